/* expect.c — compile and evaluate --expect expressions (see expect.h).
 *
 * A hand-written lexer and recursive-descent parser build a small tree in
 * one array (the arena, freed once); evaluation walks it.  Parser depth and
 * node count are bounded so that hostile input cannot exhaust the stack.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapkit/expect.h"
#include "pcapkit/out.h"

#define MAXNODES 256
#define MAXDEPTH 48
#define MAXNAME  64

/* Operators, listed once (X-macro): enum and names for messages. */
#define OPS(X) \
	X(NUM, "number") X(FIELD, "field") X(NEG, "-") X(ADD, "+") X(SUB, "-") \
	X(MUL, "*") X(DIV, "/") X(EQ, "==") X(NE, "!=") X(LT, "<") X(LE, "<=") \
	X(GT, ">") X(GE, ">=") X(AND, "and") X(OR, "or") X(NOT, "not")
#define X_ENUM(n, s) OP_##n,
enum op { OPS(X_ENUM) };

struct node {
	enum op op;
	int a, b;          /* children (indices) */
	double num;
	char name[MAXNAME];
};

struct pk_expect {
	char *src;
	int n;
	struct node nd[MAXNODES];
};

/* Tokens. */
enum tok { T_END, T_NUM, T_NAME, T_LP, T_RP, T_OP, T_BAD };

struct parser {
	const char *src, *p;
	enum tok tok;
	const char *tstart;     /* start of the current token */
	size_t tlen;
	double num;
	enum op op;
	int depth;
	struct pk_expect *e;
	int (*known)(const char *);
	char *err;
	size_t errlen;
	int col, failed;
};

static void
fail(struct parser *ps, const char *at, const char *fmt, const char *arg)
{
	if (ps->failed)
		return;
	ps->failed = 1;
	ps->col = (int)(at - ps->src) + 1;
	snprintf(ps->err, ps->errlen, fmt, arg);
}

static int
isname(int c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* Suffix multipliers: SI prefixes and durations in seconds. */
static const struct { const char *s; double m; } suffix[] = {
	{ "ns", 1e-9 }, { "us", 1e-6 }, { "ms", 1e-3 }, { "s", 1 }, { "m", 60 },
	{ "h", 3600 }, { "d", 86400 }, { "k", 1e3 }, { "K", 1e3 }, { "M", 1e6 },
	{ "G", 1e9 }, { "T", 1e12 },
};

static void
lex(struct parser *ps)
{
	const char *p = ps->p;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	ps->tstart = p;
	if (!*p) {
		ps->tok = T_END;
		ps->tlen = 0;
		ps->p = p;
		return;
	}
	if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
		double v = 0, scale = 1;
		const char *q = p;
		size_t i, sl;
		while (isdigit((unsigned char)*q))
			v = v * 10 + (*q++ - '0');
		if (*q == '.') {
			q++;
			if (!isdigit((unsigned char)*q)) {
				ps->tok = T_BAD;
				ps->tlen = (size_t)(q - p);
				ps->p = q;
				return;
			}
			while (isdigit((unsigned char)*q)) {
				scale /= 10;
				v += (*q++ - '0') * scale;
			}
		}
		sl = 0;
		while (isalpha((unsigned char)q[sl]))
			sl++;
		if (sl) {
			for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++)
				if (strlen(suffix[i].s) == sl && strncmp(q, suffix[i].s, sl) == 0)
					break;
			if (i == sizeof suffix / sizeof suffix[0]) {
				ps->tok = T_BAD;
				ps->tstart = q;
				ps->tlen = sl;
				ps->p = q + sl;
				return;
			}
			v *= suffix[i].m;
			q += sl;
		}
		if (isname(*q)) {
			ps->tok = T_BAD;
			ps->tstart = q;
			ps->tlen = 1;
			ps->p = q + 1;
			return;
		}
		ps->tok = T_NUM;
		ps->num = v;
		ps->tlen = (size_t)(q - p);
		ps->p = q;
		return;
	}
	if (isalpha((unsigned char)*p) || *p == '_') {
		const char *q = p;
		while (isname(*q))
			q++;
		ps->tlen = (size_t)(q - p);
		ps->p = q;
		ps->tok = T_OP;
		if (ps->tlen == 3 && strncmp(p, "and", 3) == 0)
			ps->op = OP_AND;
		else if (ps->tlen == 2 && strncmp(p, "or", 2) == 0)
			ps->op = OP_OR;
		else if (ps->tlen == 3 && strncmp(p, "not", 3) == 0)
			ps->op = OP_NOT;
		else
			ps->tok = T_NAME;
		return;
	}
	ps->tok = T_OP;
	ps->tlen = 2;
	if (strncmp(p, "&&", 2) == 0)
		ps->op = OP_AND;
	else if (strncmp(p, "||", 2) == 0)
		ps->op = OP_OR;
	else if (strncmp(p, "==", 2) == 0)
		ps->op = OP_EQ;
	else if (strncmp(p, "!=", 2) == 0)
		ps->op = OP_NE;
	else if (strncmp(p, "<=", 2) == 0)
		ps->op = OP_LE;
	else if (strncmp(p, ">=", 2) == 0)
		ps->op = OP_GE;
	else {
		ps->tlen = 1;
		switch (*p) {
		case '=': ps->op = OP_EQ; break;
		case '<': ps->op = OP_LT; break;
		case '>': ps->op = OP_GT; break;
		case '!': ps->op = OP_NOT; break;
		case '+': ps->op = OP_ADD; break;
		case '-': ps->op = OP_SUB; break;
		case '*': ps->op = OP_MUL; break;
		case '/': ps->op = OP_DIV; break;
		case '(': ps->tok = T_LP; break;
		case ')': ps->tok = T_RP; break;
		default: ps->tok = T_BAD; break;
		}
	}
	ps->p = p + ps->tlen;
}

static int
mk(struct parser *ps, enum op op, int a, int b)
{
	struct pk_expect *e = ps->e;

	if (e->n >= MAXNODES) {
		fail(ps, ps->tstart, "%s", "expression too long");
		return -1;
	}
	e->nd[e->n].op = op;
	e->nd[e->n].a = a;
	e->nd[e->n].b = b;
	return e->n++;
}

static int parse_or(struct parser *ps);

static void
unexpected(struct parser *ps)
{
	char what[48];

	if (ps->tok == T_END) {
		fail(ps, ps->tstart, "%s", "unexpected end of expression");
		return;
	}
	snprintf(what, sizeof what, "%.*s", (int)(ps->tlen > 40 ? 40 : ps->tlen), ps->tstart);
	fail(ps, ps->tstart, "unexpected '%s'", what);
}

static int
parse_unary(struct parser *ps)
{
	int n;

	if (++ps->depth > MAXDEPTH) {
		fail(ps, ps->tstart, "%s", "expression nested too deeply");
		return -1;
	}
	if (ps->tok == T_OP && ps->op == OP_SUB) {
		lex(ps);
		n = parse_unary(ps);
		n = n < 0 ? -1 : mk(ps, OP_NEG, n, -1);
	} else if (ps->tok == T_NUM) {
		n = mk(ps, OP_NUM, -1, -1);
		if (n >= 0)
			ps->e->nd[n].num = ps->num;
		lex(ps);
	} else if (ps->tok == T_NAME) {
		char name[MAXNAME];
		if (ps->tlen >= MAXNAME) {
			fail(ps, ps->tstart, "%s", "field name too long");
			return -1;
		}
		memcpy(name, ps->tstart, ps->tlen);
		name[ps->tlen] = '\0';
		if (ps->known && !ps->known(name)) {
			fail(ps, ps->tstart, "unknown field '%s'", name);
			return -1;
		}
		n = mk(ps, OP_FIELD, -1, -1);
		if (n >= 0)
			memcpy(ps->e->nd[n].name, name, ps->tlen + 1);
		lex(ps);
	} else if (ps->tok == T_LP) {
		const char *open = ps->tstart;
		lex(ps);
		n = parse_or(ps);
		if (n < 0)
			return -1;
		if (ps->tok != T_RP) {
			if (ps->tok == T_END)
				fail(ps, open, "%s", "unbalanced '('");
			else
				unexpected(ps);
			return -1;
		}
		lex(ps);
	} else {
		unexpected(ps);
		return -1;
	}
	ps->depth--;
	return n;
}

static int
parse_product(struct parser *ps)
{
	int a = parse_unary(ps);

	while (a >= 0 && ps->tok == T_OP && (ps->op == OP_MUL || ps->op == OP_DIV)) {
		enum op op = ps->op;
		int b;
		lex(ps);
		b = parse_unary(ps);
		a = b < 0 ? -1 : mk(ps, op, a, b);
	}
	return a;
}

static int
parse_sum(struct parser *ps)
{
	int a = parse_product(ps);

	while (a >= 0 && ps->tok == T_OP && (ps->op == OP_ADD || ps->op == OP_SUB)) {
		enum op op = ps->op;
		int b;
		lex(ps);
		b = parse_product(ps);
		a = b < 0 ? -1 : mk(ps, op, a, b);
	}
	return a;
}

static int
parse_cmp(struct parser *ps)
{
	int a = parse_sum(ps), b;
	enum op op;

	if (a < 0 || ps->tok != T_OP || ps->op < OP_EQ || ps->op > OP_GE)
		return a;
	op = ps->op;
	lex(ps);
	b = parse_sum(ps);
	if (b < 0)
		return -1;
	if (ps->tok == T_OP && ps->op >= OP_EQ && ps->op <= OP_GE) {
		fail(ps, ps->tstart, "%s", "comparisons do not chain; use 'and'");
		return -1;
	}
	return mk(ps, op, a, b);
}

static int
parse_not(struct parser *ps)
{
	int n;

	if (ps->tok == T_OP && ps->op == OP_NOT) {
		if (++ps->depth > MAXDEPTH) {
			fail(ps, ps->tstart, "%s", "expression nested too deeply");
			return -1;
		}
		lex(ps);
		n = parse_not(ps);
		ps->depth--;
		return n < 0 ? -1 : mk(ps, OP_NOT, n, -1);
	}
	return parse_cmp(ps);
}

static int
parse_and(struct parser *ps)
{
	int a = parse_not(ps);

	while (a >= 0 && ps->tok == T_OP && ps->op == OP_AND) {
		int b;
		lex(ps);
		b = parse_not(ps);
		a = b < 0 ? -1 : mk(ps, OP_AND, a, b);
	}
	return a;
}

static int
parse_or(struct parser *ps)
{
	int a = parse_and(ps);

	while (a >= 0 && ps->tok == T_OP && ps->op == OP_OR) {
		int b;
		lex(ps);
		b = parse_and(ps);
		a = b < 0 ? -1 : mk(ps, OP_OR, a, b);
	}
	return a;
}

struct pk_expect *
pk_expect_compile(const char *src, int (*known)(const char *name),
                  char *errbuf, size_t errlen, int *col)
{
	struct parser ps;
	struct pk_expect *e;
	int root;

	memset(&ps, 0, sizeof ps);
	if (col)
		*col = 0;
	if (errlen)
		errbuf[0] = '\0';
	e = calloc(1, sizeof *e);
	if (!e || !(e->src = strdup(src))) {
		free(e);
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	ps.src = ps.p = src;
	ps.e = e;
	ps.known = known;
	ps.err = errbuf;
	ps.errlen = errlen;
	lex(&ps);
	if (ps.tok == T_END) {
		fail(&ps, ps.tstart, "%s", "empty expression");
		root = -1;
	} else {
		root = parse_or(&ps);
		if (root >= 0 && ps.tok != T_END) {
			if (ps.tok == T_RP)
				fail(&ps, ps.tstart, "%s", "unbalanced ')'");
			else
				unexpected(&ps);
			root = -1;
		}
	}
	if (root < 0 || ps.failed) {
		if (col)
			*col = ps.col;
		pk_expect_free(e);
		return NULL;
	}
	/* The root is the last node made. */
	return e;
}

static double
eval(const struct pk_expect *e, int i, pk_expect_lookup lookup, void *ctx, int *bad, int *badnode)
{
	const struct node *n = &e->nd[i];
	double a, b, v;

	switch (n->op) {
	case OP_NUM:
		return n->num;
	case OP_FIELD:
		if (lookup(ctx, n->name, &v) < 0) {
			*bad = 1;
			*badnode = i;
			return NAN;
		}
		return v;
	case OP_NEG:
		return -eval(e, n->a, lookup, ctx, bad, badnode);
	case OP_NOT:
		return eval(e, n->a, lookup, ctx, bad, badnode) != 0 ? 0 : 1;
	case OP_AND:
		a = eval(e, n->a, lookup, ctx, bad, badnode);
		b = eval(e, n->b, lookup, ctx, bad, badnode);
		return (a != 0 && !isnan(a) && b != 0 && !isnan(b)) ? 1 : 0;
	case OP_OR:
		a = eval(e, n->a, lookup, ctx, bad, badnode);
		b = eval(e, n->b, lookup, ctx, bad, badnode);
		return ((a != 0 && !isnan(a)) || (b != 0 && !isnan(b))) ? 1 : 0;
	default:
		break;
	}
	a = eval(e, n->a, lookup, ctx, bad, badnode);
	b = eval(e, n->b, lookup, ctx, bad, badnode);
	switch (n->op) {
	case OP_ADD: return a + b;
	case OP_SUB: return a - b;
	case OP_MUL: return a * b;
	case OP_DIV: return b == 0 ? NAN : a / b;
	case OP_EQ: return a == b;
	case OP_NE: return !isnan(a) && !isnan(b) && a != b;
	case OP_LT: return a < b;
	case OP_LE: return a <= b;
	case OP_GT: return a > b;
	case OP_GE: return a >= b;
	default: return NAN;
	}
}

/* A value for messages: integers plainly, others with up to 9 decimals. */
static void
fmtval(char *buf, size_t cap, double v)
{
	size_t n;

	if (isnan(v)) {
		snprintf(buf, cap, "undefined");
		return;
	}
	if (v == floor(v) && fabs(v) < 9e15) {
		pk_fmt_fixed(buf, cap, (int64_t)v, 0);
		return;
	}
	n = pk_fmt_double(buf, cap, v, fabs(v) < 1e9 ? 9 : 0);
	if (n < cap && strchr(buf, '.')) {
		while (n > 0 && buf[n - 1] == '0')
			buf[--n] = '\0';
		if (n > 0 && buf[n - 1] == '.')
			buf[--n] = '\0';
	}
}

int
pk_expect_eval(const struct pk_expect *e, pk_expect_lookup lookup, void *ctx,
               char *why, size_t whylen)
{
	int bad = 0, badnode = -1, i, j;
	double r = eval(e, e->n - 1, lookup, ctx, &bad, &badnode);
	size_t used = 0;

	if (whylen)
		why[0] = '\0';
	if (bad) {
		snprintf(why, whylen, "unknown field '%s'", e->nd[badnode].name);
		return -1;
	}
	if (r != 0 && !isnan(r))
		return 1;
	/* List each field once, in order of appearance. */
	for (i = 0; i < e->n; i++) {
		char val[48];
		double v;
		int seen = 0;
		if (e->nd[i].op != OP_FIELD)
			continue;
		for (j = 0; j < i; j++)
			if (e->nd[j].op == OP_FIELD && strcmp(e->nd[j].name, e->nd[i].name) == 0)
				seen = 1;
		if (seen || lookup(ctx, e->nd[i].name, &v) < 0)
			continue;
		fmtval(val, sizeof val, v);
		if (used < whylen) {
			int k = snprintf(why + used, whylen - used, "%s%s is %s",
			                 used ? ", " : "", e->nd[i].name, val);
			if (k > 0)
				used += (size_t)k;
		}
	}
	return 0;
}

int
pk_parse_duration(const char *s, uint64_t *ns)
{
	static const struct { const char *u; uint64_t ns; } unit[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000ull },
		{ "", 1000000000ull }, { "m", 60000000000ull }, { "h", 3600000000000ull },
		{ "d", 86400000000000ull },
	};
	uint64_t whole = 0, frac = 0, fscale = 1;
	const char *p = s;
	size_t i;
	long double v;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > UINT64_MAX / 10 - 1)
			return -1;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		for (; isdigit((unsigned char)*p); p++)
			if (fscale < 1000000000000000000ull) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				fscale *= 10;
			}
	}
	for (i = 0; i < sizeof unit / sizeof unit[0]; i++)
		if (strcmp(p, unit[i].u) == 0)
			break;
	if (i == sizeof unit / sizeof unit[0])
		return -1;
	v = ((long double)whole + (long double)frac / (long double)fscale) * (long double)unit[i].ns;
	if (v < 1 || v > 9.2e18L)
		return -1;
	*ns = (uint64_t)(v + 0.5L);
	return 0;
}

const char *
pk_expect_source(const struct pk_expect *e)
{
	return e->src;
}

void
pk_expect_free(struct pk_expect *e)
{
	if (!e)
		return;
	free(e->src);
	free(e);
}
