/* flow_out.c — flow records as JSON lines, CSV and Zeek conn.log TSV.
 *
 * All three share one ordered field list (pk_flow_fields): Zeek's conn.log
 * fields under Zeek's names, then pflows' extras.  Zeek's conn.log format
 * is its ASCII writer's: tab-separated, "-" for unset, "(empty)" for an
 * empty set, times and intervals with six decimals, a header block naming
 * fields and types.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pcapkit/communityid.h"
#include "pcapkit/flow.h"
#include "pcapkit/out.h"

static const char *
proto_name(const struct pk_flowrec *r)
{
	switch (r->ip_proto) {
	case 6: return "tcp";
	case 17: return "udp";
	case 1: case 58: return "icmp";
	}
	return "unknown_transport";
}

static void
secs(char *b, size_t n, int64_t ns)
{
	pk_fmt_fixed(b, n, ns / 1000, 6);
}

void
pk_flow_community_id(const struct pk_flowrec *r, uint16_t seed, char out[32])
{
	size_t off = r->ip_ver == 4 ? 12 : 0, alen = r->ip_ver == 4 ? 4 : 16;
	uint16_t sp = r->orig_port, dp = r->resp_port;

	/* For ICMP pairs the record holds type/counterpart; the ID wants
	 * type/code and maps the counterpart itself, so pass code 0. */
	if ((r->ip_proto == 1 || r->ip_proto == 58) &&
	    pk_icmp_counterpart(r->ip_ver, sp) >= 0)
		dp = 0;
	pk_community_id(seed, r->orig_addr + off, r->resp_addr + off, alen, r->ip_proto, sp, dp, out);
}

/* Decimal text of V in B (at least 21 bytes); snprintf is the hot spot otherwise. */
static const char *
u64s(char *b, uint64_t v)
{
	char t[21];
	int n = 0, i = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		b[i++] = t[--n];
	b[i] = 0;
	return b;
}

#define PUTN(name, fmt, v) put(ctx, name, u64s(b, (uint64_t)(v)), 1)

static void
dir_fields(const struct pk_flowdir *d, const char *p, pk_flow_put put, void *ctx, int tcp)
{
	char b[64], name[32];

#define DN(suffix, fmt, v) do { size_t pl_ = strlen(p), sl_ = strlen(suffix); \
	memcpy(name, p, pl_); name[pl_] = '_'; memcpy(name + pl_ + 1, suffix, sl_ + 1); \
	put(ctx, name, u64s(b, (uint64_t)(v)), 1); } while (0)
	DN("payload", "%" PRIu64, d->payload);
	DN("retx_pkts", "%" PRIu64, d->retx_pkts);
	DN("retx_bytes", "%" PRIu64, d->retx_bytes);
	DN("ooo_pkts", "%" PRIu32, d->ooo_pkts);
	DN("dup_acks", "%" PRIu32, d->dup_acks);
	DN("zero_win", "%" PRIu32, d->zero_win);
	snprintf(name, sizeof name, "%s_zero_win_time", p);
	secs(b, sizeof b, d->zero_win_ns);
	put(ctx, name, b, 1);
	DN("win_min", "%" PRIu32, d->win_min);
	DN("win_max", "%" PRIu32, d->win_max);
	DN("mss", "%u", (unsigned)d->mss);
	snprintf(name, sizeof name, "%s_wscale", p);
	snprintf(b, sizeof b, "%d", tcp ? (int)d->wscale : -1);
	put(ctx, name, b, 1);
	DN("sack", "%u", (unsigned)d->sack_ok);
	DN("ts", "%u", (unsigned)d->ts_ok);
	DN("syn", "%" PRIu32, d->syn);
	DN("fin", "%" PRIu32, d->fin);
	DN("rst", "%" PRIu32, d->rst);
	DN("ttl_min", "%u", (unsigned)d->ttl_min);
	DN("ttl_max", "%u", (unsigned)d->ttl_max);
	DN("bad_csum", "%" PRIu32, d->bad_csum);
#undef DN
}

void
pk_flow_fields(const struct pk_flowrec *r, uint16_t seed, const char *note,
               pk_flow_put put, void *ctx)
{
	char b[64], uid[24], cid[32];
	int set = r->duration_ns > 0, tcp = r->ip_proto == 6;

	pk_fmt_epoch(b, sizeof b, r->start_ns / PK_NS, (uint32_t)(r->start_ns % PK_NS), 6);
	put(ctx, "ts", b, 1);
	pk_flow_uid(r, uid);
	put(ctx, "uid", uid, 0);
	pk_flow_addr_str(r->orig_addr, b, sizeof b);
	put(ctx, "id.orig_h", b, 0);
	PUTN("id.orig_p", "%u", (unsigned)r->orig_port);
	pk_flow_addr_str(r->resp_addr, b, sizeof b);
	put(ctx, "id.resp_h", b, 0);
	PUTN("id.resp_p", "%u", (unsigned)r->resp_port);
	put(ctx, "proto", proto_name(r), 0);
	if (set) {
		secs(b, sizeof b, r->duration_ns);
		put(ctx, "duration", b, 1);
		PUTN("orig_bytes", "%" PRIu64, r->orig.bytes);
		PUTN("resp_bytes", "%" PRIu64, r->resp.bytes);
	} else {
		put(ctx, "duration", NULL, 1);
		put(ctx, "orig_bytes", NULL, 1);
		put(ctx, "resp_bytes", NULL, 1);
	}
	put(ctx, "conn_state", pk_connstate_name(r->conn_state), 0);
	PUTN("missed_bytes", "%" PRIu64, r->missed_bytes);
	put(ctx, "history", r->history[0] ? r->history : NULL, 0);
	PUTN("orig_pkts", "%" PRIu64, r->orig.pkts);
	PUTN("orig_ip_bytes", "%" PRIu64, r->orig.ip_bytes);
	PUTN("resp_pkts", "%" PRIu64, r->resp.pkts);
	PUTN("resp_ip_bytes", "%" PRIu64, r->resp.ip_bytes);
	PUTN("ip_proto", "%u", (unsigned)r->ip_proto);

	/* pflows extras */
	pk_flow_community_id(r, seed, cid);
	put(ctx, "community_id", cid, 0);
	PUTN("vlan", "%u", (unsigned)r->vlan[0]);
	PUTN("inner_vlan", "%u", (unsigned)r->vlan[1]);
	PUTN("orig_size", "%" PRIu64, r->orig.bytes);
	PUTN("resp_size", "%" PRIu64, r->resp.bytes);
	dir_fields(&r->orig, "orig", put, ctx, tcp);
	dir_fields(&r->resp, "resp", put, ctx, tcp);
	if (r->rtt_syn_synack_ns >= 0) {
		secs(b, sizeof b, r->rtt_syn_synack_ns);
		put(ctx, "rtt_syn", b, 1);
	} else
		put(ctx, "rtt_syn", NULL, 1);
	if (r->rtt_synack_ack_ns >= 0) {
		secs(b, sizeof b, r->rtt_synack_ack_ns);
		put(ctx, "rtt_ack", b, 1);
	} else
		put(ctx, "rtt_ack", NULL, 1);
	PUTN("syn_retx", "%" PRIu32, r->syn_retx);
	PUTN("synack_retx", "%" PRIu32, r->synack_retx);
	PUTN("syn_pkts", "%" PRIu32, r->syn_pkts);
	PUTN("synack_pkts", "%" PRIu32, r->synack_pkts);
	secs(b, sizeof b, r->syn_last_ns - r->syn_first_ns);
	put(ctx, "syn_span", b, 1);
	put(ctx, "closed_by", r->closer ? pk_closer_name(r->closer) : NULL, 0);
	if (r->close_ns) {
		pk_fmt_epoch(b, sizeof b, r->close_ns / PK_NS, (uint32_t)(r->close_ns % PK_NS), 6);
		put(ctx, "close_ts", b, 1);
	} else
		put(ctx, "close_ts", NULL, 1);
	secs(b, sizeof b, r->max_idle_ns);
	put(ctx, "max_idle", b, 1);
	PUTN("bad_csum", "%" PRIu32, r->bad_csum);
	put(ctx, "flipped", r->flipped ? "true" : "false", 1);
	put(ctx, "open", r->open_at_end ? "true" : "false", 1);
	put(ctx, "end", pk_flowend_name(r->end), 0);
	put(ctx, "note", note ? note : "", 0);
}

/* ------------------------------------------------------------- JSON */

static void
json_put(void *ctx, const char *name, const char *v, int num)
{
	struct pk_json *j = ctx;

	if (!v)
		return;
	if (num)
		pk_json_raw(j, name, v);
	else
		pk_json_str(j, name, v);
}

int
pk_flow_write_json(FILE *fp, const struct pk_flowrec *r, uint16_t seed, const char *note)
{
	struct pk_json j;
	char buf[4096];

	/* Build the line in memory (one write per record), or stream it
	 * when a long note does not fit. */
	pk_json_init_buf(&j, buf, sizeof buf);
	pk_json_object(&j, NULL);
	pk_flow_fields(r, seed, note, json_put, &j);
	pk_json_close(&j);
	if (pk_json_end_line(&j) == 0)
		return fwrite(buf, 1, j.len, fp) == j.len ? 0 : -1;
	pk_json_init_file(&j, fp);
	pk_json_object(&j, NULL);
	pk_flow_fields(r, seed, note, json_put, &j);
	pk_json_close(&j);
	return pk_json_end_line(&j);
}

/* -------------------------------------------------------------- CSV */

struct csvctx { FILE *fp; int n, header; };

static void
csv_put(void *ctx, const char *name, const char *v, int num)
{
	struct csvctx *c = ctx;
	char b[512];
	const char *s = c->header ? name : (v ? v : "");

	(void)num;
	if (c->n++)
		fputc(',', c->fp);
	pk_fmt_field(b, sizeof b, s, ',');
	fputs(b, c->fp);
}

int
pk_flow_write_csv_header(FILE *fp)
{
	struct pk_flowrec r;
	struct csvctx c = { fp, 0, 1 };

	memset(&r, 0, sizeof r);
	r.ip_ver = 4;
	pk_flow_fields(&r, 0, NULL, csv_put, &c);
	fputc('\n', fp);
	return ferror(fp) ? -1 : 0;
}

int
pk_flow_write_csv(FILE *fp, const struct pk_flowrec *r, uint16_t seed, const char *note)
{
	struct csvctx c = { fp, 0, 0 };

	pk_flow_fields(r, seed, note, csv_put, &c);
	fputc('\n', fp);
	return ferror(fp) ? -1 : 0;
}

/* ----------------------------------------------------------- conn.log */

static void
stamp(char *b, size_t n, int64_t sec)
{
	time_t t = (time_t)sec;
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		memset(&tm, 0, sizeof tm);
	strftime(b, n, "%Y-%m-%d-%H-%M-%S", &tm);
}

int
pk_flow_write_connlog_header(FILE *fp, int64_t open_sec)
{
	char b[64];

	stamp(b, sizeof b, open_sec);
	fprintf(fp, "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n"
	        "#unset_field\t-\n#path\tconn\n#open\t%s\n", b);
	fputs("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\t"
	      "duration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\t"
	      "missed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\t"
	      "tunnel_parents\tip_proto\n", fp);
	fputs("#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\t"
	      "count\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\t"
	      "set[string]\tcount\n", fp);
	return ferror(fp) ? -1 : 0;
}

int
pk_flow_write_connlog_close(FILE *fp, int64_t close_sec)
{
	char b[64];

	stamp(b, sizeof b, close_sec);
	fprintf(fp, "#close\t%s\n", b);
	return ferror(fp) ? -1 : 0;
}

int
pk_flow_write_connlog(FILE *fp, const struct pk_flowrec *r)
{
	char ts[32], uid[24], oa[64], ra[64], dur[32];
	int set = r->duration_ns > 0;

	pk_fmt_epoch(ts, sizeof ts, r->start_ns / PK_NS, (uint32_t)(r->start_ns % PK_NS), 6);
	pk_flow_uid(r, uid);
	pk_flow_addr_str(r->orig_addr, oa, sizeof oa);
	pk_flow_addr_str(r->resp_addr, ra, sizeof ra);
	fprintf(fp, "%s\t%s\t%s\t%u\t%s\t%u\t%s\t-\t", ts, uid, oa, (unsigned)r->orig_port,
	        ra, (unsigned)r->resp_port, proto_name(r));
	if (set) {
		secs(dur, sizeof dur, r->duration_ns);
		fprintf(fp, "%s\t%" PRIu64 "\t%" PRIu64 "\t", dur, r->orig.bytes, r->resp.bytes);
	} else
		fputs("-\t-\t-\t", fp);
	fprintf(fp, "%s\t-\t-\t%" PRIu64 "\t%s\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64
	        "\t-\t%u\n", pk_connstate_name(r->conn_state), r->missed_bytes,
	        r->history[0] ? r->history : "-", r->orig.pkts, r->orig.ip_bytes,
	        r->resp.pkts, r->resp.ip_bytes, (unsigned)r->ip_proto);
	return ferror(fp) ? -1 : 0;
}
