/* pfilter.c — keep the packets that match a tcpdump filter expression (grep for packets). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "pcapkit/filter.h"
#include "pcapkit/flow.h"
#include "pcapkit/flowsel.h"
#include "pcapkit/shard.h"

static const char usage[] =
"Usage: pfilter [options] EXPRESSION [file ...]\n"
"       pfilter [options] -r FILE EXPRESSION WORDS...\n"
"       pfilter [options] -F EXPRFILE [file ...]\n"
"Keep the packets matching a tcpdump filter expression (pcap-filter(7)).\n"
"With no file, or when file is -, read standard input.\n"
"\n"
"  -v, --invert        keep the packets that do not match\n"
"  -c, --count         print the number of kept packets instead of packets\n"
"  -q, --quiet         write nothing; the exit status tells\n"
"  -w, --write FILE    write kept packets as pcap to FILE (- = standard output)\n"
"      --fail FILE     write the other packets as pcap to FILE in the same pass\n"
"  -r, --read FILE     read FILE (may be repeated); the words after the options\n"
"                      then all form the expression\n"
"  -F, --file FILE     read the expression from FILE ('#' starts a comment)\n"
"  -d, --dump          print the compiled BPF program as tcpdump -d does and exit\n"
"                      (-dd: as C array, -ddd: as decimal numbers)\n"
"  -O, --no-optimize   do not optimize the program (tcpdump -O)\n"
"      --lenient       a cut-short last record is a warning, not an error\n"
"      --shard K/N     read only the packets of shard K of N (host-pair hash,\n"
"                      K from 0 to N-1); the others are skipped\n"
"      --shards N      write kept packets into N files by host pair, named by\n"
"                      -w PATTERN with one %d for the shard (-w 'out-%d.pcap')\n"
"      --shard-seed S  seed of the shard hash (default 0)\n"
"      --flows FILE    keep only the packets of the flows listed in FILE (pflows\n"
"                      JSON lines; - = standard input); the expression may\n"
"                      then be omitted\n"
"\n"
"Text output (one line per packet, as tcpdump -nn -r prints it):\n"
"  -t, --text          write text even when standard output is not a terminal\n"
"                      (-tt, -ttt, -tttt, -ttttt: tcpdump's time styles)\n"
"  -e, -x, -xx, -X, -XX, -S, --nano, -n   as tcpdump; --verbose is tcpdump's -v\n"
"  A terminal on standard output gets text; a pipe or file gets pcap.\n"
"\n"
"  -h, --help          show this help and exit\n"
"      --version       show the version and exit\n"
"\n"
"Exit status (as grep): 0 at least one packet kept, 1 none, 2 error (bad\n"
"expression, unreadable or damaged input, write failure; packets before\n"
"a damaged record are still written).\n";

struct opts {
	int invert, count, quiet, dump, noopt;
	struct cli_common c;    /* --lenient, --shards, --shard-seed */
	const char *wpath, *failpath, *exprfile;
	const char *flowspath;  /* --flows */
	char **rpaths;
	int nr;
	uint32_t shard_k, shard_n;   /* --shard K/N (n 0: none) */
};

struct run {
	struct opts *o;
	struct cli_filter cf;   /* the expression, compiled per link type */
	struct cli_sink out, fail;
	uint64_t kept;
	struct pk_layers L;   /* --shard, --flows: decode scratch */
	struct pk_flowsel *sel;   /* --flows */
};

static uint32_t snap_of(const struct pk_capinfo *ci, const struct pk_pkthdr *h)
{
	if (ci->format == PK_FMT_PCAPNG && h->ifindex < ci->n_ifaces)
		return ci->ifaces[h->ifindex].snaplen;
	return ci->snaplen;
}

/* --flows: 1 the packet belongs to a listed flow, 0 not, -1 out of memory. */
static int flows_match(struct run *r, const struct pk_pkthdr *h, const uint8_t *data)
{
	pk_decode(&r->L, h->linktype, data, h->caplen, h->len);
	int k = pk_flowsel_match(r->sel, &r->L, h->sec * PK_NS + (int64_t)h->nsec);
	if (k < 0)
		cli_warn(r->o->flowspath, "%s", pk_flowsel_error(r->sel));
	return k;
}

static int run_inputs(struct run *r, int n, char **paths)
{
	struct cli_input in;
	struct pk_pkthdr h;
	const uint8_t *data;
	int fatal = 0;
	cli_input_init(&in, n, paths);
	in.lend[0] = &r->out;
	in.lend[1] = &r->fail;
	in.lenient = r->o->c.lenient;
	in.progress = r->o->quiet ? 0 : -1;
	while (!fatal && cli_input_open_next(&in)) {
		const struct pk_capinfo *ci = pk_reader_info(in.r);
		if (cli_filter_for(&r->cf, ci->linktype, ci->big_endian) < 0) {
			cli_input_close(&in);
			return PK_EXIT_ERROR;
		}
		if (r->o->dump) {
			cli_input_close(&in);
			if (!r->cf.rejects_all && pk_filter_dump(r->cf.f, r->o->dump, stdout, NULL, 0) < 0)
				return PK_EXIT_ERROR;
			return r->cf.rejects_all ? PK_EXIT_ERROR : PK_EXIT_OK;
		}
		uint32_t snap = ci->snaplen ? ci->snaplen : PK_MAX_CAPLEN;
		if (!r->o->quiet && !r->o->count) {
			cli_sink_setup(&r->out, ci->linktype, snap, ci->nano, in.name);
			if (cli_sink_check(&r->out, in.name, ci->linktype) < 0) {
				in.status = PK_EXIT_ERROR;
				cli_input_close(&in);
				continue;
			}
		}
		if (r->o->failpath)
			cli_sink_setup(&r->fail, ci->linktype, snap, ci->nano, in.name);
		/* Per-input constants, held in locals: the calls in the loop could
		 * change anything reachable through r as far as the compiler knows. */
		const struct pk_filter *f = r->cf.rejects_all ? NULL : r->cf.f;
		const int linktype = ci->linktype, invert = r->o->invert, quiet = r->o->quiet;
		const int write = !quiet && !r->o->count, failing = r->o->failpath != NULL;
		const uint32_t shard_n = r->o->shard_n, shard_k = r->o->shard_k;
		const uint32_t snap1 = ci->format == PK_FMT_PCAPNG || !ci->snaplen ? UINT32_MAX : ci->snaplen;
		uint64_t kept = 0;
		while (cli_input_next(&in, &h, &data)) {
			if (h.linktype != linktype) {
				cli_sink_check(&r->out, in.name, h.linktype);
				in.status = PK_EXIT_ERROR;
				break;
			}
			if (shard_n && pk_shard_of_packet(&r->L, h.linktype, data, h.caplen, h.len,
			    r->o->c.shard_seed, shard_n) != shard_k)
				continue;
			/* libpcap hands the filter at most the snapshot length */
			uint32_t cap = h.caplen, s = snap1 == UINT32_MAX ? snap_of(ci, &h) : snap1;
			if (s && cap > s)
				cap = s;
			int match = f && pk_filter_run(f, data, cap, h.len) != 0;
			if (r->sel) {
				int k = flows_match(r, &h, data);
				if (k < 0) {
					fatal = 1;
					break;
				}
				match = match && k;
			}
			if (match != invert) {
				kept++;
				if (quiet)
					break;
				if (write && cli_sink_put(&r->out, &h, data) < 0) {
					fatal = 1;
					break;
				}
			} else if (failing && cli_sink_put(&r->fail, &h, data) < 0) {
				fatal = 1;
				break;
			}
		}
		r->kept += kept;
		cli_input_close(&in);
		if (r->o->quiet && r->kept)
			break;
	}
	return fatal ? PK_EXIT_ERROR : in.status;
}

int main(int argc, char **argv)
{
	enum { O_FAIL = 256, O_VERSION, O_VERBOSE, O_SHARD, O_FLOWS };
	static const struct option longopts[] = {
		{ "invert", no_argument, NULL, 'v' },
		{ "count", no_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "write", required_argument, NULL, 'w' },
		{ "fail", required_argument, NULL, O_FAIL },
		{ "read", required_argument, NULL, 'r' },
		{ "file", required_argument, NULL, 'F' },
		{ "dump", no_argument, NULL, 'd' },
		{ "no-optimize", no_argument, NULL, 'O' },
		{ "verbose", no_argument, NULL, O_VERBOSE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, O_VERSION },
		{ "shard", required_argument, NULL, O_SHARD },
		{ "flows", required_argument, NULL, O_FLOWS },
		CLI_LENIENT_LONGOPTS, CLI_SHARDS_LONGOPTS, CLI_TEXT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { 0 };
	struct run r = { .o = &o };
	struct cli_text t = { 0 };
	int c, status;
	char *expr = NULL, **files = NULL;
	int nfiles = 0;

	cli_init(argv[0]);
	o.rpaths = calloc((size_t)argc + 1, sizeof *o.rpaths);
	if (!o.rpaths)
		return PK_EXIT_ERROR;
	/* '+': options stop at the expression, which may start with '-'. */
	while ((c = getopt_long(argc, argv, "+vcqw:r:F:dOhtexXSn", longopts, NULL)) != -1) {
		if ((c != 'v' && cli_text_option(&t, c)) || cli_common_option(&o.c, c, optarg))
			continue;
		switch (c) {
		case 'v': o.invert = 1; break;
		case 'c': o.count = 1; break;
		case 'q': o.quiet = 1; break;
		case 'w': o.wpath = optarg; break;
		case O_FAIL: o.failpath = optarg; break;
		case 'r': o.rpaths[o.nr++] = optarg; break;
		case 'F': o.exprfile = optarg; break;
		case 'd': o.dump = o.dump < 3 ? o.dump + 1 : 3; break;
		case 'O': o.noopt = 1; break;
		case O_SHARD: {
			char err[256];
			if (pk_shard_parse(optarg, &o.shard_k, &o.shard_n, err, sizeof err) < 0)
				cli_usage("--shard: %s", err);
			break;
		}
		case O_VERBOSE: cli_text_option(&t, 'v'); break;
		case O_FLOWS: o.flowspath = optarg; break;
		case 'h': cli_help(usage);
		case O_VERSION: cli_version();
		default: cli_usage("unknown option");
		}
	}
	expr = cli_filter_words(argc - optind, argv + optind, o.exprfile, o.rpaths, o.nr,
	                        o.flowspath != NULL, &files, &nfiles);
	r.cf.expr = expr;
	r.cf.noopt = o.noopt;
	if (o.count && o.quiet)
		o.count = 0;
	if ((o.c.shards || (!o.dump && !o.quiet && !o.count)) &&
	    cli_output_open(&r.out, o.wpath, &t, &o.c, o.quiet || o.count || o.dump,
	                    "-c, -q, -d or text options") < 0)
		exit(PK_EXIT_ERROR);   /* exit, not return: main's allocations stay reachable */
	if (o.failpath && (cli_sink_open(&r.fail, o.failpath) < 0))
		exit(PK_EXIT_ERROR);   /* exit, not return: main's allocations stay reachable */
	if (cli_filter_precheck(expr) < 0) {
		free(expr);
		free(o.rpaths);
		exit(PK_EXIT_ERROR);   /* exit, not return: main's allocations stay reachable */
	}
	if (o.flowspath && !(r.sel = cli_flows_load(o.flowspath, nfiles, files))) {
		free(expr);
		free(o.rpaths);
		return PK_EXIT_ERROR;
	}
	status = run_inputs(&r, nfiles, files);
	if (r.sel && status != PK_EXIT_ERROR && pk_flowsel_matched(r.sel) < pk_flowsel_count(r.sel))
		cli_warn(o.flowspath, "%zu of %zu listed flows matched no packet",
		         pk_flowsel_count(r.sel) - pk_flowsel_matched(r.sel), pk_flowsel_count(r.sel));
	pk_flowsel_free(r.sel);
	if (!o.dump && !o.quiet && !o.count) {
		if (!r.out.ready)
			cli_sink_setup(&r.out, r.cf.have ? r.cf.linktype : PK_LINK_EN10MB, PK_MAX_CAPLEN, 0, NULL);
		status = cli_sink_close(&r.out, status);
	}
	if (o.failpath) {
		if (!r.fail.ready)
			cli_sink_setup(&r.fail, r.cf.have ? r.cf.linktype : PK_LINK_EN10MB, PK_MAX_CAPLEN, 0, NULL);
		status = cli_sink_close(&r.fail, status);
	}
	/* like grep -c, the count is printed also after a damaged input */
	if (o.count && !r.cf.bad_expr)
		printf("%llu\n", (unsigned long long)r.kept);
	pk_filter_free(r.cf.f);
	free(expr);
	free(o.rpaths);
	if (status == PK_EXIT_OK && !o.dump && r.kept == 0)
		status = PK_EXIT_NOMATCH;
	return cli_close_stdout(status);
}
