/* stats_report.c — render a struct pk_stats: field lookup for --expect,
 * the report for people, one JSON line, and CSV/TSV summary rows.
 *
 * The numeric fields are listed once (NUMFIELDS) and feed both the --expect
 * lookup and the JSON writer, so a name documented in pstats(1) means the
 * same number everywhere.
 */
#include <arpa/inet.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "pcapkit/out.h"
#include "stats_int.h"

/* ---- derived values ------------------------------------------------------- */

static int64_t
dur_ns(const struct pk_stats *s)
{
	return s->packets ? s->last_ns - s->first_ns : 0;
}

static double
rate(const struct pk_stats *s, double what)
{
	int64_t d = dur_ns(s);

	return d > 0 ? what * 1e9 / (double)d : 0;
}

static double
avg_size(const struct pk_stats *s)
{
	return s->packets ? (double)s->bytes_wire / (double)s->packets : 0;
}

static unsigned
time_digits(const struct pk_stats *s)
{
	return s->nano ? 9 : 6;
}

/* Quality findings, in report order. */
enum { Q_BACK, Q_RUNS, Q_DUPS, Q_SNAP, Q_OVERLEN, Q_DROPS, Q_TAIL, Q_UNSEEN, Q_N };

static uint64_t
finding(const struct pk_stats *s, int q)
{
	switch (q) {
	case Q_BACK: return s->backwards;
	case Q_RUNS: return s->runs;
	case Q_DUPS: return s->duplicates;
	case Q_SNAP: return s->over_snaplen;
	case Q_OVERLEN: return s->over_len;
	case Q_DROPS: return s->drops;
	case Q_TAIL: return (uint64_t)s->tail_damaged;
	case Q_UNSEEN: return s->acked_unseen;
	}
	return 0;
}

/* Equal timestamps are common with coarse clocks: reported, not a problem. */
static unsigned
issues(const struct pk_stats *s)
{
	unsigned n = 0;
	int q;

	for (q = 0; q < Q_N; q++)
		n += q != Q_RUNS && finding(s, q) != 0;
	return n;
}

/* The one-line verdict: "good" or the problems, most serious first. */
static void
verdict(const struct pk_stats *s, char *buf, size_t cap)
{
	size_t n = 0;
	int k;

#define ADD(...) do { \
		if (n < cap) { \
			k = snprintf(buf + n, cap - n, n ? "; " : ""); \
			n += k > 0 ? (size_t)k : 0; \
		} \
		if (n < cap) { \
			k = snprintf(buf + n, cap - n, __VA_ARGS__); \
			n += k > 0 ? (size_t)k : 0; \
		} \
	} while (0)
	if (cap)
		buf[0] = '\0';
	if (s->tail_damaged)
		ADD("damaged tail (%llu bytes at offset %llu)",
		    (unsigned long long)s->tail_bytes, (unsigned long long)s->tail_offset);
	else if (s->partial)
		ADD("input error");
	if (s->drops)
		ADD("%llu packets dropped by the capture", (unsigned long long)s->drops);
	if (s->acked_unseen)
		ADD("%llu TCP bytes ACKed but never seen (one-sided or lossy capture)",
		    (unsigned long long)s->acked_unseen);
	if (s->backwards)
		ADD("time goes backwards %llu times", (unsigned long long)s->backwards);
	if (s->duplicates)
		ADD("%llu duplicate packets", (unsigned long long)s->duplicates);
	if (s->over_snaplen)
		ADD("%llu packets longer than the snap length", (unsigned long long)s->over_snaplen);
	if (s->over_len)
		ADD("%llu packets with more bytes captured than sent", (unsigned long long)s->over_len);
#undef ADD
	if (cap && !buf[0])
		snprintf(buf, cap, "good");
}

/*
 * The numeric fields by JSON path.  X(name, value expression, kind) with kind
 * U (unsigned integer), S (signed), D (seconds from ns, 9 decimals),
 * R (a rate, 2 decimals).
 */
#define NUMFIELDS(X) \
	X("packets", s->packets, U) \
	X("bytes_captured", s->bytes_cap, U) \
	X("bytes_wire", s->bytes_wire, U) \
	X("packets_cut", s->cut, U) \
	X("largest", s->largest, U) \
	X("largest_captured", s->largest_cap, U) \
	X("smallest", s->packets ? s->smallest : 0, U) \
	X("first_ns", s->first_ns, P) \
	X("last_ns", s->last_ns, P) \
	X("duration", dur_ns(s), D) \
	X("avg_packet_size", avg_size(s), R) \
	X("packets_per_sec", rate(s, (double)s->packets), R) \
	X("bytes_per_sec", rate(s, (double)s->bytes_wire), R) \
	X("bits_per_sec", rate(s, 8.0 * (double)s->bytes_wire), R) \
	X("file_size", s->file_size, Z) \
	X("files", s->nfiles, U) \
	X("partial", s->partial, B) \
	X("tcp.syn", s->syn, U) \
	X("tcp.synack", s->synack, U) \
	X("tcp.fin", s->fin, U) \
	X("tcp.rst", s->rst, U) \
	X("quality.issues", issues(s), U) \
	X("quality.time_backwards", s->backwards, U) \
	X("quality.time_backwards_max", s->backwards_max, D) \
	X("quality.equal_time_runs", s->runs, U) \
	X("quality.equal_time_max", s->run_max, U) \
	X("quality.duplicates", s->duplicates, U) \
	X("quality.caplen_over_snaplen", s->over_snaplen, U) \
	X("quality.caplen_over_len", s->over_len, U) \
	X("quality.drops", s->drops, U) \
	X("quality.drops_known", s->drops_known, B) \
	X("quality.damaged_tail", s->tail_damaged, B) \
	X("quality.damaged_tail_offset", s->tail_offset, U) \
	X("quality.damaged_tail_bytes", s->tail_bytes, U) \
	X("quality.acked_unseen", s->acked_unseen, U) \
	X("quality.acked_unseen_conns", s->acked_unseen_conns, U)

#define KIND_U(v) ((double)(v))
#define KIND_S(v) ((double)(v))
#define KIND_D(v) ((double)(v) / 1e9)
#define KIND_R(v) ((double)(v))
#define KIND_B(v) ((double)((v) != 0))
#define KIND_Z(v) ((double)(v))
#define KIND_P(v) (s->packets ? (double)(v) : 0)

int
pk_stats_value(const struct pk_stats *s, const char *name, double *v)
{
	unsigned i;

#define X_LOOK(n, e, k) if (strcmp(name, n) == 0) { *v = KIND_##k(e); return 0; }
	NUMFIELDS(X_LOOK)
#undef X_LOOK
	if (strncmp(name, "protocols.", 10) == 0) {
		const char *p = name + 10, *dot = strchr(p, '.');
		if (!dot)
			return -1;
		for (i = 0; i < P_COUNT; i++) {
			size_t n = strlen(pk_stats_proto_names[i]);
			if ((size_t)(dot - p) == n && strncmp(p, pk_stats_proto_names[i], n) == 0) {
				if (strcmp(dot, ".packets") == 0)
					*v = (double)s->proto[i].packets;
				else if (strcmp(dot, ".bytes") == 0)
					*v = (double)s->proto[i].bytes;
				else
					return -1;
				return 0;
			}
		}
	}
	return -1;
}

int
pk_stats_field_known(const char *name)
{
	static const char *const names[] = {
#define X_NAME(n, e, k) n,
		NUMFIELDS(X_NAME)
#undef X_NAME
	};
	unsigned i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	if (strncmp(name, "protocols.", 10) == 0) {
		const char *p = name + 10, *dot = strchr(p, '.');
		if (!dot || (strcmp(dot, ".packets") != 0 && strcmp(dot, ".bytes") != 0))
			return 0;
		for (i = 0; i < P_COUNT; i++)
			if ((size_t)(dot - p) == strlen(pk_stats_proto_names[i]) &&
			    strncmp(p, pk_stats_proto_names[i], (size_t)(dot - p)) == 0)
				return 1;
	}
	return 0;
}

/* ---- small text helpers ----------------------------------------------- */

static const char *
fmt_name(const struct pk_stats *s)
{
	if (s->mixed_format)
		return "mixed";
	if (!s->have_info)
		return "unknown";
	return s->format == PK_FMT_PCAPNG ? "pcapng" : "pcap";
}

static void
addr_text(const uint8_t *k, const uint8_t *a, char *buf, size_t cap)
{
	if (!inet_ntop(k[0] == 6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)cap))
		snprintf(buf, cap, "?");
}

static void
key_text(int table, const struct tent *e, char *buf, size_t cap)
{
	char a[48], b[48];

	switch (table) {
	case T_ADDR:
		addr_text(e->k, e->k + 1, buf, cap);
		break;
	case T_PAIR:
		addr_text(e->k, e->k + 1, a, sizeof a);
		addr_text(e->k, e->k + 17, b, sizeof b);
		snprintf(buf, cap, "%s <-> %s", a, b);
		break;
	default:
		snprintf(buf, cap, "%s/%u", e->k[0] == 6 ? "tcp" : "udp",
		         (unsigned)(e->k[1] << 8 | e->k[2]));
	}
}

static const char *const table_json[T_COUNT] = { "addresses", "pairs", "ports" };
static const char *const table_title[T_COUNT] = {
	"Top addresses", "Top address pairs", "Top ports (server side)" };

static void
plen_range(unsigned b, char *buf, size_t cap)
{
	static const unsigned lo[10] = { 0, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120 };

	if (b == 9)
		snprintf(buf, cap, "5120 and greater");
	else
		snprintf(buf, cap, "%u-%u", lo[b], lo[b + 1] - 1);
}

static void
percent(char *buf, size_t cap, uint64_t part, uint64_t whole)
{
	size_t n = pk_fmt_double(buf, cap, whole ? 100.0 * (double)part / (double)whole : 0, 1);

	if (n + 1 < cap) {
		buf[n] = '%';
		buf[n + 1] = '\0';
	}
}

/* ---- JSON --------------------------------------------------------------- */

static void
jopt(struct pk_json *j, const char *key, const char *v)
{
	pk_json_str(j, key, v);
}

static void
json_fields(struct pk_json *j, const struct pk_stats *s, const char *prefix)
{
	size_t pl = strlen(prefix);

#define X_JSON(n, e, k) { \
	const char *nm = n, *kind = #k; \
	if (strncmp(nm, prefix, pl) == 0 && !strchr(nm + pl, '.')) { \
		if (kind[0] == 'U') pk_json_u64(j, nm + pl, (uint64_t)(e)); \
		else if (kind[0] == 'S') pk_json_i64(j, nm + pl, (int64_t)(e)); \
		else if (kind[0] == 'D') pk_json_fixed(j, nm + pl, (int64_t)(e), 9); \
		else if (kind[0] == 'B') pk_json_bool(j, nm + pl, (e) != 0); \
		else if (kind[0] == 'Z' && (int64_t)(e) < 0) pk_json_null(j, nm + pl); \
		else if (kind[0] == 'P' && !s->packets) pk_json_null(j, nm + pl); \
		else if (kind[0] == 'Z' || kind[0] == 'P') pk_json_i64(j, nm + pl, (int64_t)(e)); \
		else pk_json_double(j, nm + pl, (double)(e), 2); \
	} }
	NUMFIELDS(X_JSON)
#undef X_JSON
}

int
pk_stats_json(struct pk_stats *s, FILE *fp)
{
	struct pk_json j;
	char buf[512], lt[32];
	const struct tent *rows_small[256], **rows = rows_small;
	unsigned i, t, n, top = s->o.top;

	/* A large --top (complete lists, for pstats --merge) needs a bigger array. */
	if (top > 256 && !(rows = malloc(top * sizeof *rows))) {
		rows = rows_small;
		top = 256;
	}
	pk_json_init_file(&j, fp);
	pk_json_object(&j, NULL);
	pk_json_u64(&j, "version", PK_STATS_JSON_VERSION);
	pk_json_str(&j, "file", s->name);
	pk_json_str(&j, "format", fmt_name(s));
	pk_json_str(&j, "byte_order", !s->have_info ? NULL : s->big_endian ? "big" : "little");
	pk_json_u64(&j, "tsresol", time_digits(s));
	if (s->have_info && s->format == PK_FMT_PCAP && !s->mixed_format)
		pk_json_u64(&j, "snaplen", s->snaplen);
	else
		pk_json_null(&j, "snaplen");
	pk_json_array(&j, "linktypes");
	for (i = 0; i < s->nlinks; i++) {
		pk_json_object(&j, NULL);
		pk_json_i64(&j, "linktype", s->links[i].linktype);
		pk_json_str(&j, "name", pk_linktype_name(s->links[i].linktype, lt));
		pk_json_u64(&j, "packets", s->links[i].packets);
		pk_json_close(&j);
	}
	pk_json_close(&j);
	if (s->partial)
		pk_json_str(&j, "error", s->error ? s->error : "");
	json_fields(&j, s, "");
	pk_fmt_rfc3339(buf, sizeof buf, s->first_ns / 1000000000 - (s->first_ns % 1000000000 < 0),
	               (uint32_t)((s->first_ns % 1000000000 + 1000000000) % 1000000000), 9);
	pk_json_str(&j, "first", s->packets ? buf : NULL);
	pk_fmt_rfc3339(buf, sizeof buf, s->last_ns / 1000000000 - (s->last_ns % 1000000000 < 0),
	               (uint32_t)((s->last_ns % 1000000000 + 1000000000) % 1000000000), 9);
	pk_json_str(&j, "last", s->packets ? buf : NULL);

	pk_json_array(&j, "interfaces");
	for (i = 0; i < s->n_ifaces; i++) {
		const struct iface_copy *f = &s->ifaces[i];
		pk_json_object(&j, NULL);
		pk_json_u64(&j, "id", i);
		jopt(&j, "name", f->name);
		jopt(&j, "description", f->description);
		pk_json_i64(&j, "linktype", f->linktype);
		pk_json_str(&j, "linktype_name", pk_linktype_name(f->linktype, lt));
		pk_json_u64(&j, "snaplen", f->snaplen);
		pk_json_u64(&j, "tsresol", f->tsresol);
		jopt(&j, "filter", f->filter);
		jopt(&j, "os", f->os);
		pk_json_u64(&j, "packets", f->packets);
		if (f->has_drops)
			pk_json_u64(&j, "drops", f->drops);
		else
			pk_json_null(&j, "drops");
		pk_json_close(&j);
	}
	pk_json_close(&j);
	jopt(&j, "hardware", s->shb_hardware);
	jopt(&j, "os", s->shb_os);
	jopt(&j, "application", s->shb_application);
	jopt(&j, "comment", s->shb_comment);

	pk_json_object(&j, "protocols");
	for (i = 0; i < P_COUNT; i++) {
		pk_json_object(&j, pk_stats_proto_names[i]);
		pk_json_u64(&j, "packets", s->proto[i].packets);
		pk_json_u64(&j, "bytes", s->proto[i].bytes);
		pk_json_close(&j);
	}
	pk_json_close(&j);
	pk_json_object(&j, "tcp");
	json_fields(&j, s, "tcp.");
	pk_json_close(&j);
	pk_json_object(&j, "quality");
	json_fields(&j, s, "quality.");
	verdict(s, buf, sizeof buf);
	pk_json_str(&j, "verdict", buf);
	pk_json_close(&j);

	pk_json_array(&j, "hierarchy");
	{
		/* depth-first, children in first-seen order (lists are LIFO) */
		unsigned stack[64], sp = 0, order[HMAX], no = 0;
		char path[512];
		for (i = s->h[0].child; i; i = s->h[i].sibling)
			order[no++] = i;
		while (no)
			stack[sp++] = order[--no], (void)0;
		/* stack now holds root children with the first-seen on top */
		while (sp) {
			unsigned node = stack[--sp], p, c, k;
			size_t len = 0;
			unsigned chain[32], nc = 0;
			for (p = node; p && nc < 32; p = s->h[p].parent)
				chain[nc++] = p;
			path[0] = '\0';
			while (nc) {
				char lab[40];
				pk_stats_hlabel(s->h[chain[--nc]].label, lab, sizeof lab);
				len += (size_t)snprintf(path + len, len < sizeof path ? sizeof path - len : 0,
				                        "%s%s", len ? "." : "", lab);
				if (len >= sizeof path)
					len = sizeof path - 1;
			}
			pk_json_object(&j, NULL);
			pk_json_str(&j, "path", path);
			pk_json_u64(&j, "packets", s->h[node].packets);
			pk_json_u64(&j, "bytes", s->h[node].bytes);
			pk_json_close(&j);
			k = 0;
			for (c = s->h[node].child; c; c = s->h[c].sibling)
				order[k++] = c;
			while (k && sp < 64)
				stack[sp++] = order[--k] , (void)0;
		}
	}
	pk_json_close(&j);

	pk_json_object(&j, "top");
	for (t = 0; t < T_COUNT; t++) {
		n = pk_stats_top_rows(&s->t[t], rows, top, s->o.by_bytes);
		pk_json_array(&j, table_json[t]);
		for (i = 0; i < n; i++) {
			pk_json_object(&j, NULL);
			if (t == T_PORT) {
				pk_json_str(&j, "proto", rows[i]->k[0] == 6 ? "tcp" : "udp");
				pk_json_u64(&j, "port", (unsigned)(rows[i]->k[1] << 8 | rows[i]->k[2]));
			} else if (t == T_PAIR) {
				addr_text(rows[i]->k, rows[i]->k + 1, buf, sizeof buf);
				pk_json_str(&j, "a", buf);
				addr_text(rows[i]->k, rows[i]->k + 17, buf, sizeof buf);
				pk_json_str(&j, "b", buf);
			} else {
				addr_text(rows[i]->k, rows[i]->k + 1, buf, sizeof buf);
				pk_json_str(&j, "addr", buf);
			}
			pk_json_u64(&j, "packets", rows[i]->packets);
			pk_json_u64(&j, "bytes", rows[i]->bytes);
			pk_json_close(&j);
		}
		pk_json_close(&j);
	}
	pk_json_u64(&j, "distinct_addresses", s->t[T_ADDR].n);
	pk_json_u64(&j, "distinct_pairs", s->t[T_PAIR].n);
	pk_json_u64(&j, "distinct_ports", s->t[T_PORT].n);
	pk_json_close(&j);

	pk_json_array(&j, "sizes");
	for (i = 0; i < 10; i++) {
		static const unsigned lo[10] = { 0, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120 };
		pk_json_object(&j, NULL);
		pk_json_u64(&j, "min", lo[i]);
		if (i < 9)
			pk_json_u64(&j, "max", lo[i + 1] - 1);
		else
			pk_json_null(&j, "max");
		pk_json_u64(&j, "packets", s->plen[i]);
		pk_json_u64(&j, "bytes", s->plen_bytes[i]);
		pk_json_close(&j);
	}
	pk_json_close(&j);

	if (s->o.interval_ns) {
		pk_json_object(&j, "series");
		pk_json_fixed(&j, "interval", (int64_t)s->o.interval_ns, 9);
		pk_json_i64(&j, "start_ns", s->nbuckets ? s->series_start : 0);
		pk_json_array(&j, "packets");
		for (i = 0; i < s->nbuckets; i++)
			pk_json_u64(&j, NULL, s->bucket[i].packets);
		pk_json_close(&j);
		pk_json_array(&j, "bytes");
		for (i = 0; i < s->nbuckets; i++)
			pk_json_u64(&j, NULL, s->bucket[i].bytes);
		pk_json_close(&j);
		pk_json_bool(&j, "truncated", s->series_truncated);
		pk_json_close(&j);
	}
	if (s->merge_reports) {
		static const char *const seq[] = { "quality.time_backwards",
			"quality.time_backwards_max", "quality.equal_time_runs",
			"quality.equal_time_max", "quality.duplicates", "quality.issues",
			"quality.verdict" };
		pk_json_object(&j, "merge");
		pk_json_u64(&j, "reports", s->merge_reports);
		pk_json_array(&j, "approximate");
		for (i = 0; s->merge_reports > 1 && i < sizeof seq / sizeof seq[0]; i++)
			pk_json_str(&j, NULL, seq[i]);
		for (t = 0; t < T_COUNT; t++)
			if (s->merge_approx & (1u << t)) {
				snprintf(buf, sizeof buf, "top.%s", table_json[t]);
				pk_json_str(&j, NULL, buf);
				snprintf(buf, sizeof buf, "top.distinct_%s", table_json[t]);
				pk_json_str(&j, NULL, buf);
			}
		pk_json_close(&j);
		pk_json_close(&j);
	}
	pk_json_close(&j);
	if (rows != rows_small)
		free(rows);
	return pk_json_end_line(&j);
}

/* ---- CSV / TSV ---------------------------------------------------------- */

static const char *const csv_cols[] = {
	"file", "format", "linktypes", "snaplen", "packets", "bytes_captured",
	"bytes_wire", "packets_cut", "first_ns", "last_ns", "first", "last",
	"duration", "avg_packet_size", "packets_per_sec", "bytes_per_sec",
	"bits_per_sec", "file_size", "partial", "quality_issues",
};

static int
put_field(FILE *fp, const char *v, int sep, int first)
{
	char buf[1024];
	size_t n = pk_fmt_field(buf, sizeof buf, v, sep);

	if (!first && putc(sep, fp) == EOF)
		return -1;
	return fwrite(buf, 1, n < sizeof buf ? n : sizeof buf - 1, fp) ==
	       (n < sizeof buf ? n : sizeof buf - 1) ? 0 : -1;
}

static void
time_text(int64_t ns, char *buf, size_t cap, unsigned digits)
{
	int64_t sec = ns / 1000000000;
	int64_t rem = ns % 1000000000;

	if (rem < 0) {
		rem += 1000000000;
		sec--;
	}
	pk_fmt_rfc3339(buf, cap, sec, (uint32_t)rem, digits);
}

int
pk_stats_csv(struct pk_stats *s, FILE *fp, int sep, int header)
{
	char v[20][128], lt[32];
	const char *cells[20];
	unsigned i, c = 0;
	size_t used = 0;

	if (header) {
		for (i = 0; i < 20; i++)
			if (put_field(fp, csv_cols[i], sep, i == 0) < 0)
				return -1;
		if (putc('\n', fp) == EOF)
			return -1;
	}
	snprintf(v[c++], 128, "%s", s->name ? s->name : "-");
	snprintf(v[c++], 128, "%s", fmt_name(s));
	v[c][0] = '\0';
	for (i = 0; i < s->nlinks; i++) {
		int k = snprintf(v[c] + used, 128 - used, "%s%s", i ? " " : "",
		                 pk_linktype_name(s->links[i].linktype, lt));
		if (k < 0 || (size_t)k >= 128 - used)
			break;
		used += (size_t)k;
	}
	c++;
	if (s->have_info && s->format == PK_FMT_PCAP && !s->mixed_format)
		snprintf(v[c++], 128, "%u", s->snaplen);
	else
		v[c++][0] = '\0';
	snprintf(v[c++], 128, "%llu", (unsigned long long)s->packets);
	snprintf(v[c++], 128, "%llu", (unsigned long long)s->bytes_cap);
	snprintf(v[c++], 128, "%llu", (unsigned long long)s->bytes_wire);
	snprintf(v[c++], 128, "%llu", (unsigned long long)s->cut);
	if (s->packets) {
		snprintf(v[c++], 128, "%lld", (long long)s->first_ns);
		snprintf(v[c++], 128, "%lld", (long long)s->last_ns);
		time_text(s->first_ns, v[c++], 128, 9);
		time_text(s->last_ns, v[c++], 128, 9);
	} else {
		for (i = 0; i < 4; i++)
			v[c++][0] = '\0';
	}
	pk_fmt_fixed(v[c++], 128, dur_ns(s), 9);
	pk_fmt_double(v[c++], 128, avg_size(s), 2);
	pk_fmt_double(v[c++], 128, rate(s, (double)s->packets), 2);
	pk_fmt_double(v[c++], 128, rate(s, (double)s->bytes_wire), 2);
	pk_fmt_double(v[c++], 128, rate(s, 8.0 * (double)s->bytes_wire), 2);
	if (s->file_size >= 0)
		snprintf(v[c++], 128, "%lld", (long long)s->file_size);
	else
		v[c++][0] = '\0';
	snprintf(v[c++], 128, "%d", s->partial);
	snprintf(v[c++], 128, "%u", issues(s));
	for (i = 0; i < c; i++)
		cells[i] = v[i];
	for (i = 0; i < c; i++)
		if (put_field(fp, cells[i], sep, i == 0) < 0)
			return -1;
	if (putc('\n', fp) == EOF)
		return -1;
	return ferror(fp) ? -1 : 0;
}

/* ---- the report for people ------------------------------------------------ */

struct rep {
	struct pk_table *t;
	int err;
};

static void
row(struct rep *r, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
row(struct rep *r, const char *label, const char *fmt, ...)
{
	char v[1024];
	const char *cells[2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v, sizeof v, fmt, ap);
	va_end(ap);
	cells[0] = label;
	cells[1] = v;
	if (pk_table_add(r->t, cells) < 0)
		r->err = 1;
}

static int
flush_rows(struct rep *r, FILE *fp, const char *indent)
{
	int rc = pk_table_print(r->t, fp, indent, " ");

	pk_table_free(r->t);
	r->t = pk_table_new(2);
	if (!r->t)
		r->err = 1;
	return rc;
}

static int
print_hierarchy(const struct pk_stats *s, FILE *fp)
{
	struct pk_table *t = pk_table_new(4);
	unsigned stack[64], depth[64], sp = 0, order[HMAX], no = 0, c;
	int rc;

	if (!t)
		return -1;
	pk_table_right(t, 1);
	pk_table_right(t, 2);
	pk_table_right(t, 3);
	for (c = s->h[0].child; c; c = s->h[c].sibling)
		order[no++] = c;
	while (no) {
		depth[sp] = 0;
		stack[sp++] = order[--no];
	}
	while (sp) {
		unsigned node = stack[--sp], d = depth[sp], k = 0;
		char lab[64], name[160], pk[32], by[32], pc[16];
		const char *cells[4];

		pk_stats_hlabel(s->h[node].label, lab, sizeof lab);
		snprintf(name, sizeof name, "%*s%s", (int)(2 * d), "", lab);
		snprintf(pk, sizeof pk, "%llu", (unsigned long long)s->h[node].packets);
		snprintf(by, sizeof by, "%llu", (unsigned long long)s->h[node].bytes);
		percent(pc, sizeof pc, s->h[node].packets, s->packets);
		cells[0] = name;
		cells[1] = pk;
		cells[2] = pc;
		cells[3] = by;
		if (pk_table_add(t, cells) < 0) {
			pk_table_free(t);
			return -1;
		}
		for (c = s->h[node].child; c; c = s->h[c].sibling)
			order[k++] = c;
		while (k && sp < 64) {
			depth[sp] = d + 1;
			stack[sp++] = order[--k];
		}
	}
	rc = pk_table_print(t, fp, "  ", "  ");
	pk_table_free(t);
	return rc;
}

static int
print_top(const struct pk_stats *s, FILE *fp)
{
	const struct tent *rows[256];
	unsigned top = s->o.top < 256 ? s->o.top : 256, t, i, n;

	for (t = 0; t < T_COUNT; t++) {
		struct pk_table *tb;
		n = pk_stats_top_rows(&s->t[t], rows, top, s->o.by_bytes);
		if (!n)
			continue;
		if (fprintf(fp, "\n%s (by %s):\n", table_title[t],
		            s->o.by_bytes ? "bytes" : "packets") < 0)
			return -1;
		tb = pk_table_new(5);
		if (!tb)
			return -1;
		for (i = 1; i < 5; i++)
			pk_table_right(tb, i);
		for (i = 0; i < n; i++) {
			char key[128], pk[32], pp[16], by[32], bp[16];
			const char *cells[5] = { key, pk, pp, by, bp };
			key_text((int)t, rows[i], key, sizeof key);
			snprintf(pk, sizeof pk, "%llu", (unsigned long long)rows[i]->packets);
			snprintf(by, sizeof by, "%llu", (unsigned long long)rows[i]->bytes);
			/* An address or a pair counts each packet once per side. */
			percent(pp, sizeof pp, rows[i]->packets, s->packets);
			percent(bp, sizeof bp, rows[i]->bytes, s->bytes_wire);
			if (pk_table_add(tb, cells) < 0) {
				pk_table_free(tb);
				return -1;
			}
		}
		if (pk_table_print(tb, fp, "  ", "  ") < 0) {
			pk_table_free(tb);
			return -1;
		}
		pk_table_free(tb);
	}
	return 0;
}

static int
print_sizes(const struct pk_stats *s, FILE *fp)
{
	struct pk_table *t = pk_table_new(3);
	unsigned i;
	int rc;

	if (!t)
		return -1;
	pk_table_right(t, 1);
	pk_table_right(t, 2);
	for (i = 0; i < 10; i++) {
		char r[32], pk[32], pc[16];
		const char *cells[3] = { r, pk, pc };
		if (!s->plen[i])
			continue;
		plen_range(i, r, sizeof r);
		snprintf(pk, sizeof pk, "%llu", (unsigned long long)s->plen[i]);
		percent(pc, sizeof pc, s->plen[i], s->packets);
		if (pk_table_add(t, cells) < 0)
			break;
	}
	rc = pk_table_print(t, fp, "  ", "  ");
	pk_table_free(t);
	return rc;
}

static const char *const blocks[8] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
};
static const char ascii_levels[] = ".:-=+*#@";

static int
print_series(const struct pk_stats *s, FILE *fp)
{
	unsigned width = s->o.width ? s->o.width : 80, i;
	uint64_t max = 0;
	char iv[48];

	pk_fmt_fixed(iv, sizeof iv, (int64_t)s->o.interval_ns, 9);
	{
		/* trim trailing zeros of the interval for people */
		size_t n = strlen(iv);
		while (n > 1 && iv[n - 1] == '0')
			iv[--n] = '\0';
		if (n && iv[n - 1] == '.')
			iv[--n] = '\0';
	}
	if (fprintf(fp, "\nTime series (%s s buckets, %u buckets%s):\n", iv, s->nbuckets,
	            s->series_truncated ? ", truncated" : "") < 0)
		return -1;
	for (i = 0; i < s->nbuckets; i++)
		if (s->bucket[i].packets > max)
			max = s->bucket[i].packets;
	if (s->nbuckets <= 60) {
		/* One bar per bucket: offset, packets, bytes, bar. */
		unsigned barw = width > 50 ? width - 40 : 10;
		for (i = 0; i < s->nbuckets; i++) {
			char off[48];
			unsigned k, len = max ? (unsigned)((s->bucket[i].packets * barw + max - 1) / max) : 0;
			pk_fmt_fixed(off, sizeof off, (int64_t)i * (int64_t)s->o.interval_ns, 3);
			if (fprintf(fp, "  +%-10s %10llu %12llu ", off,
			            (unsigned long long)s->bucket[i].packets,
			            (unsigned long long)s->bucket[i].bytes) < 0)
				return -1;
			for (k = 0; k < len; k++)
				if (fputs(s->o.ascii ? "#" : blocks[7], fp) == EOF)
					return -1;
			if (putc('\n', fp) == EOF)
				return -1;
		}
		return 0;
	}
	/* A sparkline: columns of equal bucket groups, each its group's sum. */
	{
		unsigned cols = width > 4 ? width - 4 : 1;
		unsigned per = (s->nbuckets + cols - 1) / cols, ncol = (s->nbuckets + per - 1) / per;
		uint64_t cmax = 0, sum;
		unsigned c, b;
		for (c = 0; c < ncol; c++) {
			sum = 0;
			for (b = c * per; b < (c + 1) * per && b < s->nbuckets; b++)
				sum += s->bucket[b].packets;
			if (sum > cmax)
				cmax = sum;
		}
		if (fputs("  ", fp) == EOF)
			return -1;
		for (c = 0; c < ncol; c++) {
			unsigned lvl;
			sum = 0;
			for (b = c * per; b < (c + 1) * per && b < s->nbuckets; b++)
				sum += s->bucket[b].packets;
			lvl = cmax ? (unsigned)((sum * 7 + cmax - 1) / cmax) : 0;
			if (!sum) {
				if (putc(' ', fp) == EOF)
					return -1;
			} else if (s->o.ascii) {
				if (putc(ascii_levels[lvl], fp) == EOF)
					return -1;
			} else if (fputs(blocks[lvl], fp) == EOF) {
				return -1;
			}
		}
		if (fprintf(fp, "\n  (%u bucket%s per column, peak %llu packets per column)\n",
		            per, per == 1 ? "" : "s", (unsigned long long)cmax) < 0)
			return -1;
	}
	return 0;
}

int
pk_stats_print(struct pk_stats *s, FILE *fp)
{
	struct rep r = { pk_table_new(2), 0 };
	char a[96], b[96], lt[32];
	unsigned i, dg = time_digits(s);
	int rc = 0;

	if (!r.t)
		return -1;
	row(&r, "File:", "%s%s", s->name ? s->name : "-", s->partial ? " (partial: input damaged)" : "");
	if (s->have_info)
		row(&r, "Format:", "%s, %s-endian, %s", fmt_name(s),
		    s->big_endian ? "big" : "little", s->nano ? "nanoseconds" : "microseconds");
	for (i = 0; i < s->nlinks; i++)
		row(&r, i ? "" : "Link types:", "%s (%d): %llu packets",
		    pk_linktype_name(s->links[i].linktype, lt), s->links[i].linktype,
		    (unsigned long long)s->links[i].packets);
	if (!s->nlinks && s->have_info)
		row(&r, "Link types:", "%s (%d)", pk_linktype_name(s->linktype, lt), s->linktype);
	if (s->have_info && s->format == PK_FMT_PCAP && !s->mixed_format)
		row(&r, "Snap length:", "%u", s->snaplen);
	if (s->file_size >= 0) {
		pk_fmt_human(a, sizeof a, (uint64_t)s->file_size, "B");
		row(&r, "File size:", "%lld bytes (%s)", (long long)s->file_size, a);
	}
	row(&r, "Packets:", "%llu", (unsigned long long)s->packets);
	pk_fmt_human(a, sizeof a, s->bytes_cap, "B");
	row(&r, "Bytes captured:", "%llu (%s)", (unsigned long long)s->bytes_cap, a);
	pk_fmt_human(a, sizeof a, s->bytes_wire, "B");
	row(&r, "Bytes on the wire:", "%llu (%s)", (unsigned long long)s->bytes_wire, a);
	row(&r, "Cut by snap length:", "%llu packets", (unsigned long long)s->cut);
	if (s->packets) {
		int64_t f = s->first_ns, l = s->last_ns;
		row(&r, "Largest packet:", "%llu bytes", (unsigned long long)s->largest);
		pk_fmt_localtime(a, sizeof a, f / 1000000000 - (f % 1000000000 < 0),
		                 (uint32_t)((f % 1000000000 + 1000000000) % 1000000000), dg);
		row(&r, "First packet:", "%s", a);
		pk_fmt_localtime(a, sizeof a, l / 1000000000 - (l % 1000000000 < 0),
		                 (uint32_t)((l % 1000000000 + 1000000000) % 1000000000), dg);
		row(&r, "Last packet:", "%s", a);
		pk_fmt_fixed(a, sizeof a, dur_ns(s) / (dg == 6 ? 1000 : 1), dg);
		row(&r, "Duration:", "%s s", a);
		pk_fmt_double(a, sizeof a, avg_size(s), 2);
		row(&r, "Average packet size:", "%s bytes", a);
		if (dur_ns(s) > 0) {
			pk_fmt_double(a, sizeof a, rate(s, (double)s->packets), 2);
			row(&r, "Packet rate:", "%s packets/s", a);
			pk_fmt_double(a, sizeof a, rate(s, (double)s->bytes_wire), 2);
			pk_fmt_human(b, sizeof b, (uint64_t)llround(rate(s, 8.0 * (double)s->bytes_wire)), "bit/s");
			row(&r, "Data rate:", "%s bytes/s (%s)", a, b);
		}
	}
	if (s->shb_hardware)
		row(&r, "Capture hardware:", "%s", s->shb_hardware);
	if (s->shb_os)
		row(&r, "Capture OS:", "%s", s->shb_os);
	if (s->shb_application)
		row(&r, "Capture application:", "%s", s->shb_application);
	if (s->shb_comment)
		row(&r, "Capture comment:", "%s", s->shb_comment);
	for (i = 0; i < s->n_ifaces; i++) {
		const struct iface_copy *f = &s->ifaces[i];
		char drops[48] = "";
		char lab[32];
		if (f->has_drops)
			snprintf(drops, sizeof drops, ", %llu dropped", (unsigned long long)f->drops);
		snprintf(lab, sizeof lab, "Interface #%u:", i);
		row(&r, lab, "%s%s%s%s, snaplen %u, tsresol %u, %llu packets%s",
		    f->name ? f->name : "(unnamed)", f->description ? " (" : "",
		    f->description ? f->description : "", f->description ? ")" : "",
		    f->snaplen, f->tsresol, (unsigned long long)f->packets, drops);
		row(&r, "", "link type %s (%d)", pk_linktype_name(f->linktype, lt), f->linktype);
		if (f->filter)
			row(&r, "", "filter: %s", f->filter);
		if (f->os)
			row(&r, "", "OS: %s", f->os);
	}
	rc |= flush_rows(&r, fp, "");

	/* Quality. */
	{
		char v[512];
		verdict(s, v, sizeof v);
		if (fprintf(fp, "\nQuality: %s\n", v) < 0)
			rc = -1;
	}
	pk_fmt_fixed(a, sizeof a, s->backwards_max, 9);
	row(&r, "Time going backwards:", "%llu%s%s%s", (unsigned long long)s->backwards,
	    s->backwards ? " (largest step back " : "", s->backwards ? a : "", s->backwards ? " s)" : "");
	row(&r, "Equal-timestamp runs:", "%llu%s", (unsigned long long)s->runs, "");
	if (s->runs)
		row(&r, "", "longest %llu packets", (unsigned long long)s->run_max);
	row(&r, "Duplicate packets:", "%llu (equal to one of the previous %u)",
	    (unsigned long long)s->duplicates, PK_STATS_DUP_WINDOW);
	row(&r, "Caplen > snaplen:", "%llu", (unsigned long long)s->over_snaplen);
	row(&r, "Caplen > length:", "%llu", (unsigned long long)s->over_len);
	if (s->drops_known)
		row(&r, "Dropped (pcapng ISB):", "%llu", (unsigned long long)s->drops);
	else
		row(&r, "Dropped (pcapng ISB):", "unknown (no interface statistics)");
	if (s->tail_damaged)
		row(&r, "Damaged tail:", "yes, %llu bytes at offset %llu",
		    (unsigned long long)s->tail_bytes, (unsigned long long)s->tail_offset);
	else
		row(&r, "Damaged tail:", "%s", s->partial ? "no (but the input has an error)" : "no");
	row(&r, "TCP bytes ACKed unseen:", "%llu in %llu connections",
	    (unsigned long long)s->acked_unseen, (unsigned long long)s->acked_unseen_conns);
	rc |= flush_rows(&r, fp, "  ");

	if (s->packets) {
		if (fprintf(fp, "\nProtocols (packets, %% of packets, bytes):\n") < 0)
			rc = -1;
		rc |= print_hierarchy(s, fp);
		if (fprintf(fp, "\nTCP: %llu SYN, %llu SYN-ACK, %llu FIN, %llu RST\n",
		            (unsigned long long)s->syn, (unsigned long long)s->synack,
		            (unsigned long long)s->fin, (unsigned long long)s->rst) < 0)
			rc = -1;
		rc |= print_top(s, fp);
		if (fprintf(fp, "\nPacket sizes (bytes on the wire):\n") < 0)
			rc = -1;
		rc |= print_sizes(s, fp);
		if (s->o.interval_ns)
			rc |= print_series(s, fp);
	}
	pk_table_free(r.t);
	if (r.err || ferror(fp))
		rc = -1;
	return rc ? -1 : 0;
}
