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
#include "pcapkit/flowlist.h"
#include "pcapkit/flowtext.h"
#include "pcapkit/ladder.h"
#include "pcapkit/reader.h"

enum fmt { F_TABLE, F_JSON, F_CONNLOG, F_CSV };

struct run {
	enum fmt fmt;
	enum pk_flowsort sort;
	int stream;
	int explain;            /* --explain: findings after each flow line */
	struct pk_ladder *lad;  /* --ladder: packet summaries per flow */
	uint64_t top;           /* 0 = all */
	uint16_t seed;
	struct pk_flowlist list;   /* records for sorted output */
	uint64_t emitted;
	int64_t first_sec, last_sec;
	int have_time;
	int oom, werr;
	int header_done;        /* conn.log header written */
	struct pk_flowtext *text;  /* the default table */
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

enum { O_CONNLOG = 256, O_CSV, O_STREAM, O_SEED, O_ASCII, O_FULL };

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
	{ "seed", required_argument, NULL, O_SEED },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	CLI_LENIENT_LONGOPTS, CLI_FLOW_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

static void
write_rec(struct run *r, const struct pk_flowrec *f)
{
	int rc = 0;
	struct pk_diag d;
	char note[256];

	if (r->explain)
		pk_diagnose(f, &d);
	else
		pk_diagnose_brief(f, &d);
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
	case F_TABLE:
		if (pk_flowtext_row(r->text, f, note, r->explain ? &d : NULL) < 0)
			r->oom = 1;
		break;
	}
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
	} else if (pk_flowlist_add(&r->list, f) < 0)
		r->oom = 1;
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

/* The ladder: Unicode boxes only on a UTF-8 locale, colour only on a
 * terminal without NO_COLOR.  NULL when out of memory. */
static struct pk_ladder *
ladder_new(int ascii, int full)
{
	struct pk_ladder_opts lo;
	const char *cs, *nc = getenv("NO_COLOR");

	pk_ladder_opts_default(&lo);
	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	lo.ascii = ascii || !cs || strcmp(cs, "UTF-8") != 0;
	lo.color = cli_isatty(1) && !(nc && *nc);
	lo.full = full;
	return pk_ladder_new(&lo);
}

static int
read_inputs(struct run *r, struct pk_flowtab *t, int lenient, int n, char **paths)
{
	struct cli_input in;
	struct pk_pkthdr h;
	const uint8_t *data;
	struct pk_layers L;

	cli_input_init(&in, n, paths);
	in.lenient = lenient;
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
	struct run r = { 0 };
	struct cli_flowopts sm;
	struct cli_common com = { .progress = -1 };
	struct pk_flowtab *t;
	int c, status, ascii = 0, full = 0, ladder = 0;
	uint64_t v;

	cli_init(argv[0]);
	cli_flowopts_init(&sm);
	while ((c = getopt_long(argc, argv, "js:n:elhV", longopts, NULL)) != -1) {
		if (cli_flow_option(&sm, c, optarg) || cli_common_option(&com, c, optarg))
			continue;
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
			if (pk_flowsort_parse(optarg, &r.sort) < 0)
				cli_usage("--sort: unknown key '%s' (start, duration, bytes, pkts)", optarg);
			break;
		case 'n':
			if (cli_parse_u64(optarg, 1, UINT64_MAX, &r.top) < 0)
				cli_usage("--top: not a positive number: '%s'", optarg);
			break;
		case O_SEED:
			if (cli_parse_u64(optarg, 0, 65535, &v) < 0)
				cli_usage("--seed: not a number from 0 to 65535: '%s'", optarg);
			r.seed = (uint16_t)v;
			break;
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default: cli_usage("unknown option");
		}
	}
	if (ladder && r.fmt != F_TABLE)
		cli_usage("--ladder draws text; it cannot be combined with --json, --csv or --conn-log");
	if (r.stream && r.sort != PK_SORT_START)
		cli_usage("--sort needs the whole input; it cannot be combined with --stream");
	if ((ladder && !(r.lad = ladder_new(ascii, full))) || !(t = cli_flowtab_new(&sm, r.stream, on_flow, &r)) ||
	    (r.fmt == F_TABLE && !r.lad && !(r.text = pk_flowtext_new(stdout, !r.stream && !r.explain)))) {
		cli_warn(NULL, "out of memory");
		return PK_EXIT_ERROR;
	}
	if (r.fmt == F_CSV)
		pk_flow_write_csv_header(stdout);

	status = read_inputs(&r, t, com.lenient, argc - optind, argv + optind);
	if (sm.have_end && pk_flowtab_advance(t, sm.end_s, sm.end_ns) < 0) {
		cli_warn(NULL, "out of memory with %zu live flows", pk_flowtab_live(t));
		status = PK_EXIT_ERROR;
	}
	pk_flowtab_flush(t);
	pk_flowtab_free(t);

	pk_flowlist_sort(&r.list, r.sort);
	for (size_t i = 0; i < r.list.n && (!r.top || i < r.top); i++)
		write_rec(&r, &r.list.r[i]);
	if (r.text && pk_flowtext_end(r.text) < 0)
		r.werr = 1;
	if (r.fmt == F_CONNLOG) {
		if (!r.header_done)
			pk_flow_write_connlog_header(stdout, r.first_sec);
		pk_flow_write_connlog_close(stdout, r.last_sec);
	}
	pk_flowtext_free(r.text);
	pk_ladder_free(r.lad);
	pk_flowlist_free(&r.list);
	if (r.oom) {
		cli_warn(NULL, "out of memory: some records were not written");
		status = PK_EXIT_ERROR;
	}
	return cli_close_stdout(status);
}
