/* stats_merge.c — combine pstats --json reports into one pk_stats (pstats --merge).
 *
 * Each report is parsed with the project's JSON reader (jsonread.h) and its
 * counts are added into the state that lib/stats.c fills from packets, so
 * every output (text, JSON, CSV, --expect) works on the merged result.
 * The rules, per field (README "More than one machine"):
 *
 *   sums      packets, bytes, protocols, tcp flags, hierarchy nodes, sizes,
 *             time-series buckets (aligned to multiples of the interval, so
 *             equal intervals line up), link types, top-talker counters,
 *             drops, caplen findings, ACKed-unseen bytes and connections
 *   min/max   first/last time, smallest/largest packet, snaplen
 *   or        partial, damaged tail (the first one's offset), drops known
 *   exact only in one report   time going backwards, equal-time runs,
 *             duplicates (they depend on the packets' neighbours): listed
 *             in "merge.approximate" when more than one report is merged
 *   top-N     exact when every report listed all its keys (rows ==
 *             distinct count: run the map stage with --top larger than
 *             the distinct count); otherwise the table and its distinct
 *             count are listed as approximate (so is a table that
 *             reached PK_STATS_MAX_KEYS keys: the rest is "untracked").
 *
 * Top-talker rows and hierarchy paths go through the same table and tree
 * functions as counted packets (pk_stats_tadd, pk_stats_hchild).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapkit/jsonread.h"
#include "stats_int.h"

struct mctx {
	struct pk_stats *s;
	const struct pk_jdoc *d;
	char *err;
	size_t errlen;
};

static const struct pk_jnode *
get(struct mctx *m, const struct pk_jnode *n, const char *key)
{
	return pk_jnode_get(m->d, n, key);
}

static uint64_t
u64(struct mctx *m, const struct pk_jnode *n, const char *key)
{
	uint64_t v = 0;

	(void)pk_jnode_u64(get(m, n, key), &v);
	return v;
}

static int
is_true(struct mctx *m, const struct pk_jnode *n, const char *key)
{
	const struct pk_jnode *v = get(m, n, key);

	return v && v->type == PK_JTRUE;
}

static const char *
str(struct mctx *m, const struct pk_jnode *n, const char *key)
{
	const struct pk_jnode *v = get(m, n, key);

	return v && v->type == PK_JSTR ? v->str : NULL;
}

/* Seconds written with up to 9 decimals ("1.500000000") to ns, exactly. */
static int
secs_ns(const struct pk_jnode *n, int64_t *ns)
{
	const char *p;
	int64_t whole = 0, frac = 0;
	int digits = 0, neg = 0;

	if (!n || n->type != PK_JNUM)
		return -1;
	p = n->str;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > (INT64_MAX / 1000000000 - 9) / 10)
			return -1;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (digits < 9) {
				frac = frac * 10 + (*p - '0');
				digits++;
			}
	if (*p)
		return -1;
	for (; digits < 9; digits++)
		frac *= 10;
	*ns = (whole * 1000000000 + frac) * (neg ? -1 : 1);
	return 0;
}

static int
merr(struct mctx *m, const char *what)
{
	snprintf(m->err, m->errlen, "%s", what);
	return -1;
}

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* ---- top talkers ------------------------------------------------------- */

/* Address text to the key layout of lib/stats.c: family byte, then 4 or 16 bytes at AT. */
static int
addr_key(const char *txt, uint8_t *k, uint8_t *at)
{
	uint8_t a[16];

	if (!txt)
		return -1;
	if (inet_pton(AF_INET, txt, a) == 1) {
		if (k[0] && k[0] != 4)
			return -1;
		k[0] = 4;
		memcpy(at, a, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, txt, a) == 1) {
		if (k[0] && k[0] != 6)
			return -1;
		k[0] = 6;
		memcpy(at, a, 16);
		return 0;
	}
	return -1;
}

static const char *const tables[T_COUNT] = { "addresses", "pairs", "ports" };

static int
merge_top(struct mctx *m, const struct pk_jnode *top)
{
	for (int t = 0; t < T_COUNT; t++) {
		const struct pk_jnode *arr = get(m, top, tables[t]);
		static const char *const distinct[T_COUNT] = {
			"distinct_addresses", "distinct_pairs", "distinct_ports" };
		uint64_t rows = 0;

		if (!arr || arr->type != PK_JARR)
			return merr(m, "top: a table is missing");
		for (const struct pk_jnode *r = pk_jnode_child(m->d, arr); r; r = pk_jnode_next(m->d, r)) {
			struct tent key;
			uint8_t *k = key.k;

			memset(&key, 0, sizeof key);
			if (t == T_ADDR) {
				if (addr_key(str(m, r, "addr"), k, k + 1) < 0)
					return merr(m, "top.addresses: bad address");
			} else if (t == T_PAIR) {
				if (addr_key(str(m, r, "a"), k, k + 1) < 0 ||
				    addr_key(str(m, r, "b"), k, k + 17) < 0)
					return merr(m, "top.pairs: bad address");
			} else {
				const char *p = str(m, r, "proto");
				uint64_t port = u64(m, r, "port");

				if (!p || (strcmp(p, "tcp") && strcmp(p, "udp")) || port > 65535)
					return merr(m, "top.ports: bad row");
				k[0] = strcmp(p, "tcp") == 0 ? 6 : 17;
				k[1] = (uint8_t)(port >> 8);
				k[2] = (uint8_t)port;
			}
			if (pk_stats_tadd(&m->s->t[t], key.w, pk_stats_khash(key.w),
			                  u64(m, r, "packets"), u64(m, r, "bytes")) < 0)
				m->s->merge_approx |= PK_MERGE_TOP_ADDR << t;   /* counted as untracked */
			rows++;
		}
		if (rows != u64(m, top, distinct[t]))
			m->s->merge_approx |= PK_MERGE_TOP_ADDR << t;
	}
	return 0;
}

/* ---- hierarchy --------------------------------------------------------- */

/* The label whose text is TXT: the "ethertype 0x..", "ext N", "proto N"
 * forms are read; names are found by asking pk_stats_hlabel. */
static int
label_of(const char *txt, uint32_t *label)
{
	char buf[48];
	unsigned v;
	char tail;

	if (sscanf(txt, "ethertype 0x%4x%c", &v, &tail) == 1) {
		*label = (uint32_t)HK_ETHERTYPE << 16 | v;
		return 0;
	}
	if (sscanf(txt, "ext %u%c", &v, &tail) == 1 && v < 256) {
		*label = (uint32_t)HK_IP6EXT << 16 | v;
		return 0;
	}
	if (sscanf(txt, "proto %u%c", &v, &tail) == 1 && v < 256) {
		*label = (uint32_t)HK_IPPROTO << 16 | v;
		return 0;
	}
	for (uint32_t kind = HK_LINK; kind <= HK_IPPROTO; kind++) {
		static const unsigned named[] = { 0x0800, 0x86dd, 0x0806, 0x8847, 0x8863, 0x8864 };
		unsigned lim = kind == HK_ETHERTYPE ? sizeof named / sizeof named[0] :
		               kind == HK_LINK ? 1024 : 256;

		for (unsigned i = 0; i < lim; i++) {
			uint32_t l = kind << 16 | (kind == HK_ETHERTYPE ? named[i] : i);

			pk_stats_hlabel(l, buf, sizeof buf);
			if (strcmp(buf, txt) == 0) {
				*label = l;
				return 0;
			}
		}
	}
	return -1;
}

static int
merge_hierarchy(struct mctx *m, const struct pk_jnode *arr)
{
	for (const struct pk_jnode *r = pk_jnode_child(m->d, arr); r; r = pk_jnode_next(m->d, r)) {
		const char *path = str(m, r, "path");
		char seg[64];
		unsigned node = 0;

		if (!path)
			return merr(m, "hierarchy: a row has no path");
		while (*path) {
			size_t n = strcspn(path, ".");
			uint32_t label;

			if (n >= sizeof seg)
				return merr(m, "hierarchy: label too long");
			memcpy(seg, path, n);
			seg[n] = 0;
			if (label_of(seg, &label) < 0) {
				snprintf(m->err, m->errlen, "hierarchy: unknown label '%s'", seg);
				return -1;
			}
			node = pk_stats_hchild(m->s, node, label);
			if (!node) {
				m->s->h_overflow += u64(m, r, "packets");
				break;
			}
			path += n + (path[n] == '.');
		}
		if (node) {
			m->s->h[node].packets += u64(m, r, "packets");
			m->s->h[node].bytes += u64(m, r, "bytes");
		}
	}
	return 0;
}

/* ---- time series ------------------------------------------------------- */

static int
merge_series(struct mctx *m, const struct pk_jnode *ser)
{
	struct pk_stats *s = m->s;
	const struct pk_jnode *pk = get(m, ser, "packets"), *by = get(m, ser, "bytes"), *a, *b;
	int64_t iv, start;
	uint64_t n;

	if (secs_ns(get(m, ser, "interval"), &iv) < 0 || iv <= 0 ||
	    pk_jnode_i64(get(m, ser, "start_ns"), &start) < 0 || !pk || !by ||
	    pk->type != PK_JARR || by->type != PK_JARR || pk->n != by->n)
		return merr(m, "series: bad object");
	if (!s->o.interval_ns)
		s->o.interval_ns = (uint64_t)iv;
	else if (s->o.interval_ns != (uint64_t)iv)
		return merr(m, "series: the reports have different intervals");
	if (is_true(m, ser, "truncated"))
		s->series_truncated = 1;
	n = pk->n;
	if (!n)
		return 0;
	if (!s->nbuckets)
		s->series_start = start;
	if (start < s->series_start) {
		/* Shift the buckets already held to make room in front. */
		uint64_t shift = (uint64_t)(s->series_start - start) / (uint64_t)iv;
		uint64_t nn = s->nbuckets + shift;
		struct pcount *nb;

		if (nn > PK_STATS_MAX_BUCKETS)
			return merr(m, "series: too many buckets");
		nb = calloc(nn, sizeof *nb);
		if (!nb)
			return merr(m, "out of memory");
		memcpy(nb + shift, s->bucket, s->nbuckets * sizeof *nb);
		free(s->bucket);
		s->bucket = nb;
		s->bucket_cap = s->nbuckets = (uint32_t)nn;
		s->series_start = start;
	}
	{
		uint64_t off = (uint64_t)(start - s->series_start) / (uint64_t)iv;

		if (off + n > PK_STATS_MAX_BUCKETS)
			return merr(m, "series: too many buckets");
		if (off + n > s->bucket_cap) {
			struct pcount *nb = realloc(s->bucket, (off + n) * sizeof *nb);

			if (!nb)
				return merr(m, "out of memory");
			memset(nb + s->bucket_cap, 0, (off + n - s->bucket_cap) * sizeof *nb);
			s->bucket = nb;
			s->bucket_cap = (uint32_t)(off + n);
		}
		if (off + n > s->nbuckets)
			s->nbuckets = (uint32_t)(off + n);
		a = pk_jnode_child(m->d, pk);
		b = pk_jnode_child(m->d, by);
		for (uint64_t i = 0; a && b; i++, a = pk_jnode_next(m->d, a), b = pk_jnode_next(m->d, b)) {
			uint64_t x = 0, y = 0;

			(void)pk_jnode_u64(a, &x);
			(void)pk_jnode_u64(b, &y);
			s->bucket[off + i].packets += x;
			s->bucket[off + i].bytes += y;
		}
	}
	return 0;
}

/* ---- the report -------------------------------------------------------- */

static void
merge_info(struct mctx *m, const struct pk_jnode *root)
{
	struct pk_stats *s = m->s;
	const char *fmt = str(m, root, "format");
	const struct pk_jnode *sn = get(m, root, "snaplen"), *fs = get(m, root, "file_size");
	enum pk_format f = fmt && strcmp(fmt, "pcapng") == 0 ? PK_FMT_PCAPNG : PK_FMT_PCAP;
	uint64_t v;
	int64_t size;
	const char *bo = str(m, root, "byte_order");

	s->nfiles += (unsigned)u64(m, root, "files");
	if (fmt && strcmp(fmt, "unknown") != 0) {
		if (!s->have_info) {
			s->have_info = 1;
			s->format = f;
			s->big_endian = bo && strcmp(bo, "big") == 0;
			s->mixed_format = strcmp(fmt, "mixed") == 0;
		} else if (strcmp(fmt, "mixed") == 0 || f != s->format) {
			s->mixed_format = 1;
		}
	}
	if (u64(m, root, "tsresol") == 9)
		s->nano = 1;
	if (pk_jnode_u64(sn, &v) == 0 && v > s->snaplen)
		s->snaplen = (uint32_t)v;
	if (s->merge_reports == 0)
		s->file_size = 0;
	if (s->file_size >= 0)
		s->file_size = pk_jnode_i64(fs, &size) == 0 && size >= 0 ? s->file_size + size : -1;
	if (is_true(m, root, "partial")) {
		s->partial = 1;
		if (!s->error)
			s->error = dup_or_null(str(m, root, "error"));
	}
	if (!s->shb_hardware)
		s->shb_hardware = dup_or_null(str(m, root, "hardware"));
	if (!s->shb_os)
		s->shb_os = dup_or_null(str(m, root, "os"));
	if (!s->shb_application)
		s->shb_application = dup_or_null(str(m, root, "application"));
	if (!s->shb_comment)
		s->shb_comment = dup_or_null(str(m, root, "comment"));
}

static int
merge_links(struct mctx *m, const struct pk_jnode *arr)
{
	struct pk_stats *s = m->s;

	for (const struct pk_jnode *r = pk_jnode_child(m->d, arr); r; r = pk_jnode_next(m->d, r)) {
		int64_t lt;
		unsigned i;

		if (pk_jnode_i64(get(m, r, "linktype"), &lt) < 0)
			return merr(m, "linktypes: bad row");
		if (!s->nlinks && !s->linktype)
			s->linktype = (int)lt;
		for (i = 0; i < s->nlinks && s->links[i].linktype != lt; i++)
			;
		if (i == s->nlinks) {
			if (s->nlinks == MAXLINKS) {
				s->links_other += u64(m, r, "packets");
				continue;
			}
			s->links[s->nlinks++].linktype = (int)lt;
		}
		s->links[i].packets += u64(m, r, "packets");
	}
	return 0;
}

static int
merge_ifaces(struct mctx *m, const struct pk_jnode *arr)
{
	struct pk_stats *s = m->s;
	struct iface_copy *n;

	if (!arr || arr->type != PK_JARR || !arr->n)
		return 0;
	n = realloc(s->ifaces, (s->n_ifaces + arr->n) * sizeof *n);
	if (!n)
		return merr(m, "out of memory");
	s->ifaces = n;
	for (const struct pk_jnode *r = pk_jnode_child(m->d, arr); r; r = pk_jnode_next(m->d, r)) {
		struct iface_copy *c = &s->ifaces[s->n_ifaces++];
		int64_t lt = 0;
		uint64_t d;

		memset(c, 0, sizeof *c);
		(void)pk_jnode_i64(get(m, r, "linktype"), &lt);
		c->linktype = (int)lt;
		c->snaplen = (uint32_t)u64(m, r, "snaplen");
		c->tsresol = (uint8_t)u64(m, r, "tsresol");
		c->name = dup_or_null(str(m, r, "name"));
		c->description = dup_or_null(str(m, r, "description"));
		c->filter = dup_or_null(str(m, r, "filter"));
		c->os = dup_or_null(str(m, r, "os"));
		c->packets = u64(m, r, "packets");
		if (pk_jnode_u64(get(m, r, "drops"), &d) == 0) {
			c->drops = d;
			c->has_drops = 1;
		}
	}
	return 0;
}

static void
merge_counts(struct mctx *m, const struct pk_jnode *root)
{
	struct pk_stats *s = m->s;
	const struct pk_jnode *q = get(m, root, "quality"), *tcp = get(m, root, "tcp");
	const struct pk_jnode *protos = get(m, root, "protocols"), *sizes = get(m, root, "sizes");
	uint64_t packets = u64(m, root, "packets"), v;
	int64_t first, last, back;
	const struct pk_jnode *r;
	unsigned i;

	if (packets) {
		(void)pk_jnode_i64(get(m, root, "first_ns"), &first);
		(void)pk_jnode_i64(get(m, root, "last_ns"), &last);
		if (!s->packets || first < s->first_ns)
			s->first_ns = first;
		if (!s->packets || last > s->last_ns)
			s->last_ns = last;
		v = u64(m, root, "smallest");
		if (v < s->smallest)
			s->smallest = v;
	}
	s->packets += packets;
	s->bytes_cap += u64(m, root, "bytes_captured");
	s->bytes_wire += u64(m, root, "bytes_wire");
	s->cut += u64(m, root, "packets_cut");
	if ((v = u64(m, root, "largest")) > s->largest)
		s->largest = v;
	if ((v = u64(m, root, "largest_captured")) > s->largest_cap)
		s->largest_cap = v;

	s->syn += u64(m, tcp, "syn");
	s->synack += u64(m, tcp, "synack");
	s->fin += u64(m, tcp, "fin");
	s->rst += u64(m, tcp, "rst");
	for (i = 0; i < P_COUNT; i++) {
		const struct pk_jnode *p = get(m, protos, pk_stats_proto_names[i]);

		s->proto[i].packets += u64(m, p, "packets");
		s->proto[i].bytes += u64(m, p, "bytes");
	}

	s->backwards += u64(m, q, "time_backwards");
	if (secs_ns(get(m, q, "time_backwards_max"), &back) == 0 && back > s->backwards_max)
		s->backwards_max = back;
	s->runs += u64(m, q, "equal_time_runs");
	if ((v = u64(m, q, "equal_time_max")) > s->run_max)
		s->run_max = v;
	s->duplicates += u64(m, q, "duplicates");
	s->over_snaplen += u64(m, q, "caplen_over_snaplen");
	s->over_len += u64(m, q, "caplen_over_len");
	s->drops += u64(m, q, "drops");
	if (is_true(m, q, "drops_known"))
		s->drops_known = 1;
	if (is_true(m, q, "damaged_tail") && !s->tail_damaged) {
		s->tail_damaged = 1;
		s->tail_offset = u64(m, q, "damaged_tail_offset");
		s->tail_bytes = u64(m, q, "damaged_tail_bytes");
	}
	s->acked_unseen += u64(m, q, "acked_unseen");
	s->acked_unseen_conns += u64(m, q, "acked_unseen_conns");

	for (r = pk_jnode_child(m->d, sizes), i = 0; r && i < 10; r = pk_jnode_next(m->d, r), i++) {
		s->plen[i] += u64(m, r, "packets");
		s->plen_bytes[i] += u64(m, r, "bytes");
	}
}

int
pk_stats_merge_json(struct pk_stats *s, const char *text, size_t len, char *err, size_t errlen)
{
	char jerr[128];
	struct pk_jdoc *d = pk_jdoc_parse(text, len, jerr, sizeof jerr);
	struct mctx m = { .s = s, .d = d, .err = err, .errlen = errlen };
	const struct pk_jnode *root, *ser;
	uint64_t ver;
	int rc = -1;

	if (!d) {
		snprintf(err, errlen, "not JSON: %s", jerr);
		return -1;
	}
	root = pk_jdoc_root(d);
	if (!root || root->type != PK_JOBJ || pk_jnode_u64(get(&m, root, "version"), &ver) < 0 ||
	    !get(&m, root, "packets") || !get(&m, root, "quality") || !get(&m, root, "top")) {
		merr(&m, "not a pstats --json report");
		goto out;
	}
	if (ver != PK_STATS_JSON_VERSION) {
		snprintf(err, errlen, "report version %llu; this pstats reads version %d",
		    (unsigned long long)ver, PK_STATS_JSON_VERSION);
		goto out;
	}
	ser = get(&m, root, "series");
	if (s->merge_reports && (ser != NULL) != (s->o.interval_ns != 0)) {
		merr(&m, "some reports have a time series (-i) and some do not");
		goto out;
	}
	merge_info(&m, root);
	merge_counts(&m, root);
	if (merge_links(&m, get(&m, root, "linktypes")) < 0 ||
	    merge_ifaces(&m, get(&m, root, "interfaces")) < 0 ||
	    merge_hierarchy(&m, get(&m, root, "hierarchy")) < 0 ||
	    merge_top(&m, get(&m, root, "top")) < 0 ||
	    (ser && merge_series(&m, ser) < 0))
		goto out;
	s->merge_reports++;
	free(s->name);
	s->name = strdup("merged");
	rc = 0;
out:
	pk_jdoc_free(d);
	return rc;
}
