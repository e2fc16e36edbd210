/* pflows.c — one record per connection (Zeek conn.log semantics) from captures. */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pcapkit/decode.h"
#include "pcapkit/diagnose.h"
#include "pcapkit/flow.h"
#include "pcapkit/ladder.h"
#include "pcapkit/out.h"
#include "pcapkit/reader.h"
#include "pcapkit/version.h"

enum fmt { F_TABLE, F_JSON, F_CONNLOG, F_CSV };
enum sortkey { S_START, S_DURATION, S_BYTES, S_PKTS };

struct run {
	enum fmt fmt;
	enum sortkey sort;
	int stream;
	int explain;            /* --explain: findings after each flow line */
	struct pk_ladder *lad;  /* --ladder: packet summaries per flow */
	uint64_t top;           /* 0 = all */
	uint16_t seed;
	struct pk_flowrec *recs;
	size_t nrec, caprec;
	uint64_t emitted;
	int64_t first_sec, last_sec;
	int have_time;
	int oom, werr;
	int header_done;        /* conn.log header written */
	int lenient;
	struct pk_table *tab;
};

static const char usage_text[] =
	"Usage: pflows [OPTION]... [FILE]...\n"
	"One record per connection from pcap/pcapng FILEs (standard input when none\n"
	"or '-'), with Zeek conn.log semantics and extra TCP facts.\n"
	"\n"
	"Output (default: an aligned table, ordered by start time):\n"
	"  -j, --json              JSON lines: Zeek field names plus pflows extras\n"
	"      --conn-log          Zeek conn.log TSV with its header block\n"
	"      --csv               CSV with a header row\n"
	"      --stream            write each record as its connection ends\n"
	"  -s, --sort KEY          start (default), duration, bytes or pkts\n"
	"  -n, --top N             only the first N records after sorting\n"
	"  -e, --explain           after each flow line, every finding of its note with\n"
	"                          the numbers and packet times behind it\n"
	"  -l, --ladder            draw each connection as a sequence diagram\n"
	"      --ascii             ASCII ladder (default: Unicode on a UTF-8 locale)\n"
	"      --full              every packet in the ladder (default: first and last 20)\n"
	"\n"
	"Semantics:\n"
	"      --zeek              Zeek's defaults: VLAN-blind key, 5 s attempt timer,\n"
	"                          1 h timeout for ssh/telnet/ftp/rlogin\n"
	"      --server-ports LIST likely server ports, e.g. '80,443,8000-8080/tcp,53/udp'\n"
	"                          (replaces the built-in list; '' for none)\n"
	"      --validate-checksums  ignore packets with a bad TCP/UDP/ICMP checksum,\n"
	"                          as Zeek does (C in history)\n"
	"      --no-checksums      do not compute checksums (bad_csum fields stay 0)\n"
	"      --vlan / --no-vlan  key flows on VLAN ids (default on, off with --zeek)\n"
	"      --attempt-timer     end unanswered SYNs after 5 s (on with --zeek)\n"
	"      --tcp-timeout SEC   TCP inactivity timeout (300)\n"
	"      --udp-timeout SEC   UDP (and pre-handshake TCP) inactivity timeout (60)\n"
	"      --icmp-timeout SEC  ICMP and other IP inactivity timeout (60)\n"
	"      --close-delay SEC   keep a closed TCP connection this long (5)\n"
	"      --max-flows N       at most N live flows; evict those nearest timeout\n"
	"      --seed N            Community ID seed (0)\n"
	"      --end-time TIME     run the timers up to TIME (RFC 3339 or epoch seconds)\n"
	"                          before the end: the last packet time of the whole\n"
	"                          input when this input is one shard of it\n"
	"      --lenient           a cut-short last record is a warning, not an error\n"
	"  -h, --help              this help\n"
	"  -V, --version           version\n";

enum { O_CONNLOG = 256, O_CSV, O_STREAM, O_ZEEK, O_PORTS, O_VALIDATE, O_VLAN, O_NOVLAN,
       O_ATTEMPT, O_NOCSUM, O_TCPT, O_UDPT, O_ICMPT, O_CLOSE, O_MAXF, O_SEED, O_LENIENT,
       O_ENDTIME, O_ASCII, O_FULL };

static const struct option longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "conn-log", no_argument, NULL, O_CONNLOG },
	{ "csv", no_argument, NULL, O_CSV },
	{ "stream", no_argument, NULL, O_STREAM },
	{ "sort", required_argument, NULL, 's' },
	{ "top", required_argument, NULL, 'n' },
	{ "explain", no_argument, NULL, 'e' },
	{ "ladder", no_argument, NULL, 'l' },
	{ "ascii", no_argument, NULL, O_ASCII },
	{ "full", no_argument, NULL, O_FULL },
	{ "zeek", no_argument, NULL, O_ZEEK },
	{ "server-ports", required_argument, NULL, O_PORTS },
	{ "validate-checksums", no_argument, NULL, O_VALIDATE },
	{ "no-checksums", no_argument, NULL, O_NOCSUM },
	{ "vlan", no_argument, NULL, O_VLAN },
	{ "no-vlan", no_argument, NULL, O_NOVLAN },
	{ "attempt-timer", no_argument, NULL, O_ATTEMPT },
	{ "tcp-timeout", required_argument, NULL, O_TCPT },
	{ "udp-timeout", required_argument, NULL, O_UDPT },
	{ "icmp-timeout", required_argument, NULL, O_ICMPT },
	{ "close-delay", required_argument, NULL, O_CLOSE },
	{ "max-flows", required_argument, NULL, O_MAXF },
	{ "seed", required_argument, NULL, O_SEED },
	{ "end-time", required_argument, NULL, O_ENDTIME },
	{ "lenient", no_argument, NULL, O_LENIENT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int64_t
parse_secs(const char *opt, const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || !(v >= 0) || v > 1e9)
		cli_usage("%s: not a number of seconds: '%s'", opt, s);
	return (int64_t)(v * 1e9 + 0.5);
}

static void
endpoint(char *b, size_t n, const uint8_t a[16], int ver, unsigned port)
{
	char s[64];

	pk_flow_addr_str(a, s, sizeof s);
	snprintf(b, n, ver == 6 ? "[%s]:%u" : "%s:%u", s, port);
}

/* Column titles of the default table; the arrow column has none. */
static const char *const table_head[11] = {
	"start", "duration", "proto", "orig", "", "resp", "state", "history",
	"pkts o/r", "bytes o/r", "note",
};

/* The header row: first row of the aligned table, or a plain line when rows
 * are written as they come (--stream, --explain).  Printed whether or not
 * stdout is a terminal, so the table reads the same on screen and in a file;
 * scripts read --json or --csv. */
static int
table_header(struct run *r)
{
	const char *const *h = table_head;

	if (r->tab)
		return pk_table_add(r->tab, h);
	return printf("%s  %s  %s  %s -> %s  %s  %s  %s  %s  %s\n", h[0], h[1], h[2], h[3],
	              h[5], h[6], h[7], h[8], h[9], h[10]) < 0 ? -1 : 0;
}

/* --explain: the findings, indented, one per line. */
static void
explain(const struct pk_diag *d)
{
	for (int i = 0; i < d->n; i++)
		printf("    %s: %s\n      %s\n", pk_finding_name(d->f[i].kind), d->f[i].text,
		       d->f[i].detail);
}

static void
table_row(struct run *r, const struct pk_flowrec *f, const char *note)
{
	char start[40], dur[32], o[80], p[80], pk[48], by[48];
	const char *proto = f->ip_proto == 6 ? "tcp" : f->ip_proto == 17 ? "udp" :
	                    (f->ip_proto == 1 || f->ip_proto == 58) ? "icmp" : "ip";
	const char *cells[11];

	pk_fmt_localtime(start, sizeof start, f->start_ns / PK_NS, (uint32_t)(f->start_ns % PK_NS), 6);
	pk_fmt_fixed(dur, sizeof dur, f->duration_ns / 1000, 6);
	endpoint(o, sizeof o, f->orig_addr, f->ip_ver, f->orig_port);
	endpoint(p, sizeof p, f->resp_addr, f->ip_ver, f->resp_port);
	snprintf(pk, sizeof pk, "%llu/%llu", (unsigned long long)f->orig.pkts,
	         (unsigned long long)f->resp.pkts);
	snprintf(by, sizeof by, "%llu/%llu", (unsigned long long)f->orig.bytes,
	         (unsigned long long)f->resp.bytes);
	cells[0] = start;
	cells[1] = dur;
	cells[2] = proto;
	cells[3] = o;
	cells[4] = "->";
	cells[5] = p;
	cells[6] = pk_connstate_name(f->conn_state);
	cells[7] = f->history[0] ? f->history : "-";
	cells[8] = pk;
	cells[9] = by;
	cells[10] = note;
	if (r->stream || r->explain) {
		printf("%s  %s  %s  %s -> %s  %s  %s  %s  %s  %s\n", cells[0], cells[1], cells[2],
		       cells[3], cells[5], cells[6], cells[7], cells[8], cells[9], note);
		return;
	}
	if (pk_table_add(r->tab, cells) < 0)
		r->oom = 1;
}

static void
write_rec(struct run *r, const struct pk_flowrec *f)
{
	int rc = 0;
	struct pk_diag d;
	char note[256];

	pk_diagnose(f, &d);
	pk_diag_note(&d, PK_NOTE_MAX, note, sizeof note);
	if (r->lad) {
		if (pk_ladder_draw(r->lad, f, note, stdout) < 0)
			r->werr = 1;
		return;
	}
	switch (r->fmt) {
	case F_JSON: rc = pk_flow_write_json(stdout, f, r->seed, note); break;
	case F_CSV: rc = pk_flow_write_csv(stdout, f, r->seed, note); break;
	case F_CONNLOG:
		if (!r->header_done) {
			/* Streaming: stamp #open with the first record's start. */
			pk_flow_write_connlog_header(stdout, r->stream ? f->start_ns / PK_NS : r->first_sec);
			r->header_done = 1;
		}
		rc = pk_flow_write_connlog(stdout, f);
		break;
	case F_TABLE: table_row(r, f, note); break;
	}
	if (r->explain && r->fmt == F_TABLE)
		explain(&d);
	if (rc < 0)
		r->werr = 1;
}

static void
on_flow(const struct pk_flowrec *f, void *arg)
{
	struct run *r = arg;

	if (r->stream) {
		if (!r->top || r->emitted < r->top)
			write_rec(r, f);
		r->emitted++;
		return;
	}
	if (r->nrec == r->caprec) {
		size_t n = r->caprec ? r->caprec * 2 : 1024;
		struct pk_flowrec *p = realloc(r->recs, n * sizeof *p);

		if (!p) {
			r->oom = 1;
			return;
		}
		r->recs = p;
		r->caprec = n;
	}
	r->recs[r->nrec++] = *f;
}

static enum sortkey g_sort;

static uint64_t
key_of(const struct pk_flowrec *f)
{
	switch (g_sort) {
	case S_DURATION: return (uint64_t)f->duration_ns;
	case S_BYTES: return f->orig.bytes + f->resp.bytes;
	case S_PKTS: return f->orig.pkts + f->resp.pkts;
	default: return 0;
	}
}

static int
cmp_rec(const void *pa, const void *pb)
{
	const struct pk_flowrec *a = pa, *b = pb;

	if (g_sort != S_START) {
		uint64_t ka = key_of(a), kb = key_of(b);

		if (ka != kb)
			return ka > kb ? -1 : 1;
	}
	if (a->start_ns != b->start_ns)
		return a->start_ns < b->start_ns ? -1 : 1;
	if (a->uid_hash != b->uid_hash)
		return a->uid_hash < b->uid_hash ? -1 : 1;
	return 0;
}

static int
ladder_add(struct run *r, const struct pk_flowtab *t, const struct pk_layers *L,
           const struct pk_pkthdr *h)
{
	uint64_t uid;
	int64_t start;

	if (!pk_flowtab_last_flow(t, &uid, &start))
		return 0;
	if (pk_flowtab_last_whole(t))
		L = pk_flowtab_last_whole(t);   /* a fragment completed this datagram */
	return pk_ladder_add(r->lad, uid, L, h->sec * PK_NS + (int64_t)h->nsec);
}

/* Unicode boxes only on a UTF-8 locale; colour only on a terminal without NO_COLOR. */
static void
ladder_style(struct pk_ladder_opts *lo, int ascii)
{
	const char *cs, *nc = getenv("NO_COLOR");

	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	lo->ascii = ascii || !cs || strcmp(cs, "UTF-8") != 0;
	lo->color = cli_isatty(1) && !(nc && *nc);
}

static int
read_inputs(struct run *r, struct pk_flowtab *t, int n, char **paths)
{
	struct cli_input in;
	struct pk_pkthdr h;
	const uint8_t *data;
	struct pk_layers L;

	cli_input_init(&in, n, paths);
	in.lenient = r->lenient;
	while (cli_input_open_next(&in)) {
		while (cli_input_next(&in, &h, &data) == 1) {
			pk_decode(&L, h.linktype, data, h.caplen, h.len);
			if (!r->have_time || h.sec < r->first_sec)
				r->first_sec = h.sec;
			if (!r->have_time || h.sec > r->last_sec)
				r->last_sec = h.sec;
			r->have_time = 1;
			if (pk_flowtab_add(t, &L, h.sec, h.nsec) < 0 ||
			    (r->lad && ladder_add(r, t, &L, &h) < 0)) {
				cli_warn(in.name, "out of memory with %zu live flows",
				         pk_flowtab_live(t));
				in.status = PK_EXIT_ERROR;
				cli_input_close(&in);
				return in.status;
			}
			if (r->werr)
				break;
		}
		cli_input_close(&in);
		if (r->werr)
			break;
	}
	return in.status;
}

int
main(int argc, char **argv)
{
	struct run r;
	struct pk_flowopts o;
	struct pk_flowtab *t;
	const char *ports = NULL;
	int ladder = 0, ascii = 0, full = 0;
	int c, status, vlan = -1, zeek = 0, attempt = 0, validate = 0, nocsum = 0;
	int64_t tcpt = -1, udpt = -1, icmpt = -1, closed = -1;
	uint64_t v, maxf = 0;
	int have_end = 0;
	int64_t end_s = 0;
	uint32_t end_ns = 0;

	cli_init(argv[0]);
	memset(&r, 0, sizeof r);
	while ((c = getopt_long(argc, argv, "js:n:elhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': r.fmt = F_JSON; break;
		case O_CONNLOG: r.fmt = F_CONNLOG; break;
		case O_CSV: r.fmt = F_CSV; break;
		case O_STREAM: r.stream = 1; break;
		case 'e': r.explain = 1; break;
		case 'l': ladder = 1; break;
		case O_ASCII: ascii = 1; break;
		case O_FULL: full = 1; break;
		case 's':
			if (strcmp(optarg, "start") == 0) r.sort = S_START;
			else if (strcmp(optarg, "duration") == 0) r.sort = S_DURATION;
			else if (strcmp(optarg, "bytes") == 0) r.sort = S_BYTES;
			else if (strcmp(optarg, "pkts") == 0) r.sort = S_PKTS;
			else cli_usage("--sort: unknown key '%s' (start, duration, bytes, pkts)", optarg);
			break;
		case 'n':
			if (cli_parse_u64(optarg, 1, UINT64_MAX, &r.top) < 0)
				cli_usage("--top: not a positive number: '%s'", optarg);
			break;
		case O_ZEEK: zeek = 1; break;
		case O_PORTS: ports = optarg; break;
		case O_VALIDATE: validate = 1; break;
		case O_NOCSUM: nocsum = 1; break;
		case O_VLAN: vlan = 1; break;
		case O_NOVLAN: vlan = 0; break;
		case O_ATTEMPT: attempt = 1; break;
		case O_TCPT: tcpt = parse_secs("--tcp-timeout", optarg); break;
		case O_UDPT: udpt = parse_secs("--udp-timeout", optarg); break;
		case O_ICMPT: icmpt = parse_secs("--icmp-timeout", optarg); break;
		case O_CLOSE: closed = parse_secs("--close-delay", optarg); break;
		case O_MAXF:
			if (cli_parse_u64(optarg, 1, 1u << 30, &maxf) < 0)
				cli_usage("--max-flows: not a number in range: '%s'", optarg);
			break;
		case O_LENIENT: r.lenient = 1; break;
		case O_SEED:
			if (cli_parse_u64(optarg, 0, 65535, &v) < 0)
				cli_usage("--seed: not a number from 0 to 65535: '%s'", optarg);
			r.seed = (uint16_t)v;
			break;
		case O_ENDTIME:
			if (cli_parse_time(optarg, &end_s, &end_ns) < 0)
				cli_usage("--end-time: invalid time '%s' (RFC 3339 or epoch seconds)", optarg);
			have_end = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return cli_close_stdout(PK_EXIT_OK);
		case 'V':
			printf("pflows (pcapkit) %s\n", pk_version());
			return cli_close_stdout(PK_EXIT_OK);
		default:
			cli_usage("unknown option");
		}
	}
	if (ladder && r.fmt != F_TABLE)
		cli_usage("--ladder draws text; it cannot be combined with --json, --csv or --conn-log");
	if (ladder) {
		struct pk_ladder_opts lo;

		pk_ladder_opts_default(&lo);
		ladder_style(&lo, ascii);
		lo.full = full;
		if (!(r.lad = pk_ladder_new(&lo))) {
			cli_warn(NULL, "out of memory");
			return PK_EXIT_ERROR;
		}
		r.explain = 0;
	}
	if (r.stream && r.sort != S_START)
		cli_usage("--sort needs the whole input; it cannot be combined with --stream");

	pk_flowopts_default(&o);
	o.attempt_timer = 0;
	if (zeek) {
		pk_flowopts_zeek(&o);
		o.attempt_timer = 1;
	}
	if (attempt)
		o.attempt_timer = 1;
	if (vlan >= 0)
		o.vlan_key = vlan;
	o.validate_checksums = validate;
	o.count_checksums = !nocsum;
	if (tcpt >= 0) o.tcp_inactivity_ns = tcpt;
	if (udpt >= 0) o.udp_inactivity_ns = udpt;
	if (icmpt >= 0) o.icmp_inactivity_ns = o.other_inactivity_ns = icmpt;
	if (closed >= 0) o.tcp_close_ns = closed;
	o.max_flows = (size_t)maxf;
	if (r.stream && !o.max_flows)
		o.max_flows = 1u << 20;

	t = pk_flowtab_new(&o, on_flow, &r);
	if (!t) {
		cli_warn(NULL, "out of memory");
		return PK_EXIT_ERROR;
	}
	if (ports) {
		pk_flowtab_clear_server_ports(t);
		if (pk_flowtab_server_ports(t, ports) < 0)
			cli_usage("--server-ports: cannot parse '%s'", ports);
	}
	if (r.fmt == F_TABLE && !r.stream && !r.explain && !r.lad && !(r.tab = pk_table_new(11))) {
		cli_warn(NULL, "out of memory");
		return PK_EXIT_ERROR;
	}
	if (r.tab)
		pk_table_right(r.tab, 1);
	if (r.fmt == F_TABLE && !r.lad && table_header(&r) < 0)
		r.werr = 1;
	if (r.fmt == F_CSV)
		pk_flow_write_csv_header(stdout);

	status = read_inputs(&r, t, argc - optind, argv + optind);
	if (have_end && pk_flowtab_advance(t, end_s, end_ns) < 0) {
		cli_warn(NULL, "out of memory with %zu live flows", pk_flowtab_live(t));
		status = PK_EXIT_ERROR;
	}
	pk_flowtab_flush(t);
	pk_flowtab_free(t);

	if (!r.stream) {
		g_sort = r.sort;
		if (r.nrec)
			qsort(r.recs, r.nrec, sizeof *r.recs, cmp_rec);
		for (size_t i = 0; i < r.nrec && (!r.top || i < r.top); i++)
			write_rec(&r, &r.recs[i]);
		if (r.tab && pk_table_print(r.tab, stdout, "", "  ") < 0)
			r.werr = 1;
	}
	if (r.fmt == F_CONNLOG) {
		if (!r.header_done)
			pk_flow_write_connlog_header(stdout, r.first_sec);
		pk_flow_write_connlog_close(stdout, r.last_sec);
	}
	pk_table_free(r.tab);
	pk_ladder_free(r.lad);
	free(r.recs);
	if (r.oom) {
		cli_warn(NULL, "out of memory: some records were not written");
		status = PK_EXIT_ERROR;
	}
	return cli_close_stdout(status);
}
