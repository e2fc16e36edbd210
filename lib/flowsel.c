/* flowsel.c — keep the packets of flows listed as pflows JSON lines.
 *
 * Each line is parsed with the shared JSON reader (jsonread.h); only the
 * key fields are used.  Matching is described in flowsel.h.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "pcapkit/flow.h"
#include "pcapkit/flowsel.h"
#include "pcapkit/jsonread.h"

struct entry {
	char     uid[24];
	uint8_t  orig[16], resp[16];
	uint16_t orig_port, resp_port;
	uint8_t  proto;          /* 6, 17, 1 (ICMP or ICMPv6), 0 any other */
	uint8_t  matched;
	int64_t  ts_ns;
};

struct pk_flowsel {
	struct entry *e;
	size_t n, cap;
	uint32_t *slot;          /* index + 1 */
	size_t nslot;
	struct pk_flowtab *tab;
	size_t matched;
	char err[256];
};

struct pk_flowsel *
pk_flowsel_new(void)
{
	struct pk_flowsel *s = calloc(1, sizeof *s);
	struct pk_flowopts o;

	if (!s)
		return NULL;
	pk_flowopts_default(&o);
	o.attempt_timer = 0;     /* as pflows without --zeek */
	s->tab = pk_flowtab_new(&o, NULL, NULL);
	if (!s->tab) {
		free(s);
		return NULL;
	}
	return s;
}

void
pk_flowsel_free(struct pk_flowsel *s)
{
	if (!s)
		return;
	pk_flowtab_free(s->tab);
	free(s->e);
	free(s->slot);
	free(s);
}

const char *
pk_flowsel_error(const struct pk_flowsel *s)
{
	return s->err;
}

size_t
pk_flowsel_count(const struct pk_flowsel *s)
{
	return s->n;
}

size_t
pk_flowsel_matched(const struct pk_flowsel *s)
{
	return s->matched;
}

static uint32_t
str_hash(const char *p)
{
	uint32_t h = 2166136261u;

	while (*p)
		h = (h ^ (uint8_t)*p++) * 16777619u;
	return h;
}

static struct entry *
lookup(const struct pk_flowsel *s, const char *uid)
{
	if (!s->nslot)
		return NULL;
	for (size_t i = str_hash(uid) & (s->nslot - 1);; i = (i + 1) & (s->nslot - 1)) {
		if (!s->slot[i])
			return NULL;
		if (strcmp(s->e[s->slot[i] - 1].uid, uid) == 0)
			return &s->e[s->slot[i] - 1];
	}
}

static int
rehash(struct pk_flowsel *s, size_t n)
{
	uint32_t *sl = calloc(n, sizeof *sl);

	if (!sl)
		return -1;
	for (size_t k = 0; k < s->n; k++) {
		size_t i = str_hash(s->e[k].uid) & (n - 1);

		while (sl[i])
			i = (i + 1) & (n - 1);
		sl[i] = (uint32_t)(k + 1);
	}
	free(s->slot);
	s->slot = sl;
	s->nslot = n;
	return 0;
}

/* ------------------------------------------------------------ JSON */

static int
parse_addr(const char *s, uint8_t a[16])
{
	uint8_t v4[4];

	if (inet_pton(AF_INET, s, v4) == 1) {
		memset(a, 0, 10);
		a[10] = a[11] = 0xff;
		memcpy(a + 12, v4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, s, a) == 1 ? 0 : -1;
}

static int
parse_port(const char *s, uint16_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > 65535)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

/* "1269271307.709984" -> ns, exactly (no floating point). */
static int
parse_ts(const char *s, int64_t *out)
{
	int64_t sec = 0, frac = 0;
	int digits = 0, neg = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (sec > (INT64_MAX / PK_NS - 9) / 10)
			return -1;
		sec = sec * 10 + (*s - '0');
	}
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			if (digits < 9) {
				frac = frac * 10 + (*s - '0');
				digits++;
			}
	if (*s)
		return -1;
	while (digits++ < 9)
		frac *= 10;
	*out = (sec * PK_NS + frac) * (neg ? -1 : 1);
	return 0;
}

/* One pflows --json line into *E, read with the shared JSON reader. */
static int
parse_line(struct pk_flowsel *s, const char *line, size_t len, unsigned long lineno, struct entry *e)
{
	static const char *const names[] = { "uid", "ts", "id.orig_h", "id.orig_p", "id.resp_h",
	                                     "id.resp_p", "proto" };
	const struct pk_jnode *v[7], *root;
	char jerr[160];
	size_t at = 0;
	struct pk_jdoc *d = pk_jdoc_parse_at(line, len, jerr, sizeof jerr, &at);
	int i, bad;

	memset(e, 0, sizeof *e);
	root = d ? pk_jdoc_root(d) : NULL;
	if (!root || root->type != PK_JOBJ) {
		if (d)          /* valid JSON but not an object: point at its first byte */
			for (at = 0; at < len && strchr(" \t\r\n", line[at]); at++)
				;
		snprintf(s->err, sizeof s->err, "line %lu: not a JSON object (column %zu)", lineno, at + 1);
		pk_jdoc_free(d);
		return -1;
	}
	/* uid and proto and the addresses are strings; ts and the ports numbers. */
	for (i = 0; i < 7; i++) {
		int want = (i == 0 || i == 2 || i == 4 || i == 6) ? PK_JSTR : PK_JNUM;

		v[i] = pk_jnode_get(d, root, names[i]);
		if (!v[i] || (int)v[i]->type != want || (i == 0 && v[i]->len >= sizeof e->uid)) {
			snprintf(s->err, sizeof s->err, "line %lu: no \"%s\" field (pflows --json lines expected)",
			         lineno, names[i]);
			pk_jdoc_free(d);
			return -1;
		}
	}
	memcpy(e->uid, v[0]->str, v[0]->len + 1);
	bad = parse_ts(v[1]->str, &e->ts_ns) < 0 ? 1 :
	      parse_addr(v[2]->str, e->orig) < 0 ? 2 :
	      parse_port(v[3]->str, &e->orig_port) < 0 ? 3 :
	      parse_addr(v[4]->str, e->resp) < 0 ? 4 :
	      parse_port(v[5]->str, &e->resp_port) < 0 ? 5 : -1;
	e->proto = strcmp(v[6]->str, "tcp") == 0 ? 6 : strcmp(v[6]->str, "udp") == 0 ? 17 :
	           strcmp(v[6]->str, "icmp") == 0 ? 1 : 0;
	if (bad >= 0)
		snprintf(s->err, sizeof s->err, "line %lu: bad value for \"%s\": '%.100s'", lineno,
		         names[bad], v[bad]->str);
	pk_jdoc_free(d);
	return bad >= 0 ? -1 : 0;
}

static int
add_entry(struct pk_flowsel *s, const struct entry *e)
{
	if (lookup(s, e->uid))
		return 0;        /* listed twice: once is enough */
	if (s->n == s->cap) {
		size_t n = s->cap ? s->cap * 2 : 64;
		struct entry *p = realloc(s->e, n * sizeof *p);

		if (!p)
			return -1;
		s->e = p;
		s->cap = n;
	}
	s->e[s->n++] = *e;
	if (s->n * 2 > s->nslot)
		return rehash(s, s->nslot ? s->nslot * 2 : 128);
	{
		size_t i = str_hash(e->uid) & (s->nslot - 1);

		while (s->slot[i])
			i = (i + 1) & (s->nslot - 1);
		s->slot[i] = (uint32_t)s->n;
	}
	return 0;
}

int
pk_flowsel_read(struct pk_flowsel *s, FILE *fp)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	struct entry e;
	int rc = 0;

	while ((n = getline(&line, &cap, fp)) >= 0) {
		size_t len = (size_t)n, i;

		lineno++;
		for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' ||
		                        line[i] == '\n'); i++)
			;
		if (i == len)
			continue;
		if (parse_line(s, line, len, lineno, &e) < 0) {
			rc = -1;
			break;
		}
		if (add_entry(s, &e) < 0) {
			snprintf(s->err, sizeof s->err, "out of memory at line %lu", lineno);
			rc = -1;
			break;
		}
	}
	if (!rc && ferror(fp)) {
		snprintf(s->err, sizeof s->err, "read error after line %lu", lineno);
		rc = -1;
	}
	free(line);
	return rc;
}

/* ---------------------------------------------------------- matching */

static int
same_endpoints(const struct entry *e, const struct pk_flowkey *k, int ports)
{
	int fwd = memcmp(e->orig, k->lo_addr, 16) == 0 && memcmp(e->resp, k->hi_addr, 16) == 0 &&
	          (!ports || (e->orig_port == k->lo_port && e->resp_port == k->hi_port));
	int rev = memcmp(e->orig, k->hi_addr, 16) == 0 && memcmp(e->resp, k->lo_addr, 16) == 0 &&
	          (!ports || (e->orig_port == k->hi_port && e->resp_port == k->lo_port));

	return fwd || rev;
}

int
pk_flowsel_match(struct pk_flowsel *s, const struct pk_layers *L, int64_t ns)
{
	struct pk_flowrec r;
	struct pk_flowkey k;
	struct entry *e;
	uint8_t proto;
	int src_is_lo;
	char uid[24];

	if (pk_flowtab_add(s->tab, L, ns / PK_NS, (uint32_t)(ns % PK_NS)) < 0) {
		snprintf(s->err, sizeof s->err, "out of memory with %zu live flows",
		         pk_flowtab_live(s->tab));
		return -1;
	}
	memset(&r, 0, sizeof r);
	if (!pk_flowtab_last_flow(s->tab, &r.uid_hash, &r.start_ns))
		return 0;
	pk_flow_uid(&r, uid);
	if (!(e = lookup(s, uid)) || ns < e->ts_ns)
		return 0;
	if (pk_flow_key(L, 0, &k, &src_is_lo) < 0)
		return 0;
	proto = k.ip_proto == 58 ? 1 : k.ip_proto;
	if (e->proto && e->proto != proto)
		return 0;
	if (!same_endpoints(e, &k, proto == 6 || proto == 17))
		return 0;
	if (!e->matched) {
		e->matched = 1;
		s->matched++;
	}
	return 1;
}
