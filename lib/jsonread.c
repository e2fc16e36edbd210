/* jsonread.c — recursive-descent JSON reader into a node array (RFC 8259).
 *
 * Two passes over the text would avoid reallocation; one pass with a
 * growing node array and a string arena sized from the input (unescaped
 * strings never grow) is simpler and still allocates O(1) times per
 * doubling.  Nodes refer to each other by index, so growth is safe.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapkit/jsonread.h"

struct pk_jdoc {
	struct pk_jnode *node;
	uint32_t n, cap;
	char    *arena;         /* unescaped strings, len + 1 of the input at most */
	size_t   used;
};

struct parser {
	const char *s;
	size_t len, pos;
	struct pk_jdoc *d;
	char *err;
	size_t errlen;
	int depth;
};

static int
fail(struct parser *p, const char *what)
{
	snprintf(p->err, p->errlen, "%s at byte %zu", what, p->pos);
	return -1;
}

static void
ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
	       p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static int64_t
new_node(struct parser *p, enum pk_jtype t)
{
	struct pk_jdoc *d = p->d;

	if (d->n == d->cap) {
		uint32_t nc = d->cap ? d->cap * 2 : 64;
		struct pk_jnode *nn;

		if (nc < d->cap || nc > (1u << 30))
			return fail(p, "too many JSON values");
		nn = realloc(d->node, (size_t)nc * sizeof *nn);
		if (!nn)
			return fail(p, "out of memory");
		d->node = nn;
		d->cap = nc;
	}
	memset(&d->node[d->n], 0, sizeof d->node[0]);
	d->node[d->n].type = t;
	return d->n++;
}

static int
hex4(struct parser *p, unsigned *v)
{
	*v = 0;
	if (p->len - p->pos < 4)
		return fail(p, "cut \\u escape");
	for (int i = 0; i < 4; i++) {
		char c = p->s[p->pos++];

		*v <<= 4;
		if (c >= '0' && c <= '9') *v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f') *v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F') *v |= (unsigned)(c - 'A' + 10);
		else return fail(p, "bad \\u escape");
	}
	return 0;
}

/* A string at p->pos (on the quote): unescaped into the arena. */
static int
string(struct parser *p, const char **out, size_t *outlen)
{
	char *o = p->d->arena + p->d->used;
	size_t n = 0;

	p->pos++;
	for (;;) {
		unsigned char c;

		if (p->pos >= p->len)
			return fail(p, "unterminated string");
		c = (unsigned char)p->s[p->pos++];
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(p, "control character in string");
		if (c != '\\') {
			o[n++] = (char)c;
			continue;
		}
		if (p->pos >= p->len)
			return fail(p, "unterminated string");
		c = (unsigned char)p->s[p->pos++];
		switch (c) {
		case '"': case '\\': case '/': o[n++] = (char)c; break;
		case 'b': o[n++] = '\b'; break;
		case 'f': o[n++] = '\f'; break;
		case 'n': o[n++] = '\n'; break;
		case 'r': o[n++] = '\r'; break;
		case 't': o[n++] = '\t'; break;
		case 'u': {
			unsigned u, lo;

			if (hex4(p, &u) < 0)
				return -1;
			if (u >= 0xd800 && u < 0xdc00 && p->len - p->pos >= 6 &&
			    p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u') {
				p->pos += 2;
				if (hex4(p, &lo) < 0)
					return -1;
				if (lo >= 0xdc00 && lo < 0xe000)
					u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				else
					return fail(p, "bad surrogate pair");
			}
			/* At most 4 bytes out for at least 6 bytes in: the arena suffices. */
			if (u < 0x80)
				o[n++] = (char)u;
			else if (u < 0x800) {
				o[n++] = (char)(0xc0 | u >> 6);
				o[n++] = (char)(0x80 | (u & 0x3f));
			} else if (u < 0x10000) {
				o[n++] = (char)(0xe0 | u >> 12);
				o[n++] = (char)(0x80 | ((u >> 6) & 0x3f));
				o[n++] = (char)(0x80 | (u & 0x3f));
			} else {
				o[n++] = (char)(0xf0 | u >> 18);
				o[n++] = (char)(0x80 | ((u >> 12) & 0x3f));
				o[n++] = (char)(0x80 | ((u >> 6) & 0x3f));
				o[n++] = (char)(0x80 | (u & 0x3f));
			}
			break;
		}
		default:
			return fail(p, "bad escape in string");
		}
	}
	o[n] = 0;
	p->d->used += n + 1;
	*out = o;
	*outlen = n;
	return 0;
}

static int
number(struct parser *p, uint32_t idx)
{
	size_t start = p->pos;
	char *o = p->d->arena + p->d->used, *end;
	struct pk_jnode *nd;

	if (p->pos < p->len && p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
		return fail(p, "bad number");
	if (p->s[p->pos] == '0')
		p->pos++;
	else
		while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
			return fail(p, "bad number");
		while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
			return fail(p, "bad number");
		while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
	}
	memcpy(o, p->s + start, p->pos - start);
	o[p->pos - start] = 0;
	p->d->used += p->pos - start + 1;
	nd = &p->d->node[idx];
	nd->str = o;
	nd->len = p->pos - start;
	nd->num = strtod(o, &end);
	return 0;
}

static int64_t value(struct parser *p);

static int
literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return fail(p, "unexpected character");
	p->pos += n;
	return 0;
}

/* Members or elements after '{' or '['. */
static int
container(struct parser *p, uint32_t idx, int obj)
{
	char close = obj ? '}' : ']';
	uint32_t last = 0;

	if (++p->depth > PK_JSON_MAX_DEPTH)
		return fail(p, "nesting too deep");
	p->pos++;
	ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		p->depth--;
		return 0;
	}
	for (;;) {
		const char *key = NULL;
		size_t klen;
		int64_t c;

		ws(p);
		if (obj) {
			if (p->pos >= p->len || p->s[p->pos] != '"')
				return fail(p, "expected a member name");
			if (string(p, &key, &klen) < 0)
				return -1;
			ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':')
				return fail(p, "expected ':'");
			p->pos++;
		}
		c = value(p);
		if (c < 0)
			return -1;
		p->d->node[c].key = key;
		if (last)
			p->d->node[last].next = (uint32_t)c;
		else
			p->d->node[idx].child = (uint32_t)c;
		last = (uint32_t)c;
		p->d->node[idx].n++;
		ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == close) {
			p->pos++;
			break;
		}
		return fail(p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
	p->depth--;
	return 0;
}

static int64_t
value(struct parser *p)
{
	int64_t idx;
	const char *s;
	size_t n;

	ws(p);
	if (p->pos >= p->len)
		return fail(p, "unexpected end of input");
	switch (p->s[p->pos]) {
	case '{':
	case '[':
		idx = new_node(p, p->s[p->pos] == '{' ? PK_JOBJ : PK_JARR);
		if (idx < 0 || container(p, (uint32_t)idx, p->d->node[idx].type == PK_JOBJ) < 0)
			return -1;
		return idx;
	case '"':
		if ((idx = new_node(p, PK_JSTR)) < 0 || string(p, &s, &n) < 0)
			return -1;
		p->d->node[idx].str = s;
		p->d->node[idx].len = n;
		return idx;
	case 't':
		return (idx = new_node(p, PK_JTRUE)) < 0 || literal(p, "true") < 0 ? -1 : idx;
	case 'f':
		return (idx = new_node(p, PK_JFALSE)) < 0 || literal(p, "false") < 0 ? -1 : idx;
	case 'n':
		return (idx = new_node(p, PK_JNULL)) < 0 || literal(p, "null") < 0 ? -1 : idx;
	default:
		if (p->s[p->pos] != '-' && (p->s[p->pos] < '0' || p->s[p->pos] > '9'))
			return fail(p, "unexpected character");
		if ((idx = new_node(p, PK_JNUM)) < 0 || number(p, (uint32_t)idx) < 0)
			return -1;
		return idx;
	}
}

struct pk_jdoc *
pk_jdoc_parse(const char *text, size_t len, char *err, size_t errlen)
{
	return pk_jdoc_parse_at(text, len, err, errlen, NULL);
}

struct pk_jdoc *
pk_jdoc_parse_at(const char *text, size_t len, char *err, size_t errlen, size_t *errpos)
{
	struct parser p = { .s = text, .len = len, .err = err, .errlen = errlen };
	struct pk_jdoc *d = calloc(1, sizeof *d);

	if (!d || !(d->arena = malloc(len + 1))) {
		snprintf(err, errlen, "out of memory");
		free(d);
		return NULL;
	}
	p.d = d;
	if (value(&p) < 0)
		goto bad;
	ws(&p);
	if (p.pos != len) {
		fail(&p, "text after the JSON value");
		goto bad;
	}
	return d;
bad:
	if (errpos)
		*errpos = p.pos;
	pk_jdoc_free(d);
	return NULL;
}

void
pk_jdoc_free(struct pk_jdoc *d)
{
	if (!d)
		return;
	free(d->node);
	free(d->arena);
	free(d);
}

const struct pk_jnode *
pk_jdoc_root(const struct pk_jdoc *d)
{
	return d->n ? &d->node[0] : NULL;
}

const struct pk_jnode *
pk_jnode_child(const struct pk_jdoc *d, const struct pk_jnode *n)
{
	return n && n->child ? &d->node[n->child] : NULL;
}

const struct pk_jnode *
pk_jnode_next(const struct pk_jdoc *d, const struct pk_jnode *n)
{
	return n && n->next ? &d->node[n->next] : NULL;
}

const struct pk_jnode *
pk_jnode_get(const struct pk_jdoc *d, const struct pk_jnode *n, const char *key)
{
	if (!n || n->type != PK_JOBJ)
		return NULL;
	for (const struct pk_jnode *c = pk_jnode_child(d, n); c; c = pk_jnode_next(d, c))
		if (c->key && strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

int
pk_jnode_u64(const struct pk_jnode *n, uint64_t *v)
{
	uint64_t x = 0;

	if (!n || n->type != PK_JNUM || n->len == 0 || n->str[0] == '-')
		return -1;
	for (size_t i = 0; i < n->len; i++) {
		unsigned dg;

		if (n->str[i] < '0' || n->str[i] > '9')
			return -1;
		dg = (unsigned)(n->str[i] - '0');
		if (x > (UINT64_MAX - dg) / 10)
			return -1;
		x = x * 10 + dg;
	}
	*v = x;
	return 0;
}

int
pk_jnode_i64(const struct pk_jnode *n, int64_t *v)
{
	uint64_t x;
	struct pk_jnode t;

	if (!n || n->type != PK_JNUM)
		return -1;
	if (n->len && n->str[0] == '-') {
		t = *n;
		t.str++;
		t.len--;
		if (pk_jnode_u64(&t, &x) < 0 || x > (uint64_t)INT64_MAX + 1)
			return -1;
		*v = x == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)x;
		return 0;
	}
	if (pk_jnode_u64(n, &x) < 0 || x > (uint64_t)INT64_MAX)
		return -1;
	*v = (int64_t)x;
	return 0;
}
