/* pcat.c — concatenate or merge captures into one pcap stream, with slicing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pcapkit/merge.h"

static const char usage[] =
"Usage: pcat [options] [file ...]\n"
"Concatenate (or merge by time) pcap and pcapng captures into one pcap stream.\n"
"With no file, or when file is -, read standard input.\n"
"\n"
"  -w, --write FILE    write pcap to FILE (- = standard output)\n"
"  -m, --merge         merge inputs by timestamp instead of concatenating\n"
"  -c, --count N       stop after writing N packets\n"
"      --from TIME     drop packets before TIME (RFC 3339 or epoch seconds)\n"
"      --to TIME       drop packets at or after TIME\n"
"  -s, --snaplen N     keep at most N bytes of each packet (1-262144)\n"
"      --lenient       a cut-short last record is a warning, not an error\n"
"      --progress      show progress on stderr even for small files\n"
"      --no-progress   never show progress\n"
"  -q, --quiet         same as --no-progress; with text, tcpdump's -q\n"
"      --shards N      split by host pair into N files named by -w PATTERN\n"
"                      (one %d for the shard, 0 to N-1: -w 'out-%d.pcap')\n"
"      --shard-seed S  seed of the shard hash (default 0)\n"
"\n"
"Text output (one line per packet, as tcpdump -nn -r prints it):\n"
"  -t, --text          write text even when standard output is not a terminal\n"
"                      (-tt epoch seconds, -ttt delta to previous packet,\n"
"                      -tttt date and time, -ttttt delta to first packet)\n"
"  -e                  print the link-level header\n"
"  -v                  more detail (IPv4/IPv6 header fields)\n"
"  -x, -xx             hex dump of each packet (-xx: with link header)\n"
"  -X, -XX             hex and ASCII dump (-XX: with link header)\n"
"  -S                  absolute TCP sequence numbers\n"
"      --nano          nanosecond timestamps\n"
"  -n                  accepted for tcpdump compatibility (names are never resolved)\n"
"  A terminal on standard output gets text; a pipe or file gets pcap.\n"
"\n"
"  -h, --help          show this help and exit\n"
"      --version       show the version and exit\n"
"\n"
"Exit status: 0 success, 2 error (bad usage, unreadable or damaged input,\n"
"write failure).\n";

struct opts {
	const char *wpath;
	int      merge;
	struct cli_common c;      /* --lenient, --progress, --shards */
	uint64_t count;           /* 0 = no limit */
	int      have_from, have_to;
	int64_t  from_s, to_s;
	uint32_t from_ns, to_ns, snaplen;
};

struct run {
	struct opts *o;
	struct cli_sink sink;
	uint64_t written;
	int      done;            /* -c reached or the output failed */
	int      fatal;
};

static int
before(int64_t s1, uint32_t n1, int64_t s2, uint32_t n2)
{
	return s1 < s2 || (s1 == s2 && n1 < n2);
}

/* Apply the window, the snap length and the count; write.  -1 when fatal. */
static int
emit(struct run *r, const struct pk_pkthdr *h0, const uint8_t *data)
{
	struct pk_pkthdr h = *h0;

	if (r->o->have_from && before(h.sec, h.nsec, r->o->from_s, r->o->from_ns))
		return 0;
	if (r->o->have_to && !before(h.sec, h.nsec, r->o->to_s, r->o->to_ns))
		return 0;
	if (r->o->snaplen && h.caplen > r->o->snaplen)
		h.caplen = r->o->snaplen;
	if (cli_sink_put(&r->sink, &h, data) < 0) {
		r->fatal = r->done = 1;
		return -1;
	}
	if (r->o->count && ++r->written >= r->o->count)
		r->done = 1;
	return 0;
}

static uint32_t
out_snaplen(const struct opts *o, uint32_t in)
{
	return cli_out_snaplen(o->snaplen, in);
}

static int
concat(struct run *r, int n, char **paths)
{
	struct cli_input in;
	struct pk_pkthdr h;
	const uint8_t *data;
	int nano = 0;
	uint32_t snap = 0;

	cli_input_init(&in, n, paths);
	in.lend[0] = &r->sink;
	in.lenient = r->o->c.lenient;
	if (n > 1)
		cli_input_probe(&in, r->o->snaplen, &nano, &snap);
	in.progress = r->o->c.progress;
	while (!r->done && cli_input_open_next(&in)) {
		const struct pk_capinfo *ci = pk_reader_info(in.r);
		uint32_t s = out_snaplen(r->o, ci->snaplen);

		cli_sink_setup(&r->sink, ci->linktype, s > snap ? s : snap, nano | ci->nano, in.name);
		if (cli_sink_check(&r->sink, in.name, ci->linktype) < 0) {
			in.status = PK_EXIT_ERROR;
			cli_input_close(&in);
			continue;
		}
		while (!r->done && cli_input_next(&in, &h, &data)) {
			if (h.linktype != r->sink.linktype) {
				cli_sink_check(&r->sink, in.name, h.linktype);
				in.status = PK_EXIT_ERROR;
				break;
			}
			emit(r, &h, data);
		}
		cli_input_close(&in);
	}
	return in.status;
}

static int
merge(struct run *r, int n, char **paths)
{
	struct cli_input in;
	struct pk_reader **rs = calloc((size_t)(n ? n : 1), sizeof *rs);
	const char **names = calloc((size_t)(n ? n : 1), sizeof *names);
	struct pk_merge *m = NULL;
	struct pk_pkthdr h;
	const uint8_t *data;
	unsigned k = 0, src;
	int nano = 0, rc;
	uint32_t snap = 0;
	int64_t total = 0;
	struct cli_progress prog;

	if (!rs || !names) {
		cli_warn(NULL, "out of memory");
		free(rs);
		free(names);
		return PK_EXIT_ERROR;
	}
	cli_input_init(&in, n, paths);
	in.lend[0] = &r->sink;
	in.lenient = r->o->c.lenient;
	while (cli_input_open_next(&in)) {
		const struct pk_capinfo *ci = pk_reader_info(in.r);

		cli_sink_setup(&r->sink, ci->linktype, 0, 0, in.name);
		if (cli_sink_check(&r->sink, in.name, ci->linktype) < 0) {
			in.status = PK_EXIT_ERROR;
			pk_reader_close(in.r);
			in.r = NULL;
			continue;
		}
		nano |= ci->nano;
		if (out_snaplen(r->o, ci->snaplen) > snap)
			snap = out_snaplen(r->o, ci->snaplen);
		if (total >= 0)
			total = pk_reader_size(in.r) < 0 ? -1 : total + pk_reader_size(in.r);
		names[k] = in.name;
		/* Read-ahead threads for each of many inputs would only fight
		 * over the two cores and multiply the memory. */
		if (n > 2)
			pk_reader_prefetch(in.r, 0);
		rs[k++] = in.r;
		in.r = NULL;
	}
	r->sink.nano = nano;
	r->sink.snaplen = snap ? snap : out_snaplen(r->o, 0);
	cli_progress_start(&prog, r->o->c.progress, total);
	m = pk_merge_new(rs, k);
	if (!m) {
		cli_warn(NULL, "out of memory");
		in.status = PK_EXIT_ERROR;
	}
	while (m && !r->done && (rc = pk_merge_next(m, &h, &data, &src)) != 0) {
		if (rc < 0) {
			cli_progress_end(&prog);
			cli_input_report(&in, rs[src], names[src]);
			continue;
		}
		if (h.linktype != r->sink.linktype) {
			cli_sink_check(&r->sink, names[src], h.linktype);
			in.status = PK_EXIT_ERROR;
			break;
		}
		emit(r, &h, data);
		if (cli_progress_due(&prog)) {
			uint64_t done = 0;

			for (unsigned i = 0; i < k; i++)
				done += pk_reader_consumed(rs[i]);
			cli_progress_show(&prog, done);
		}
	}
	cli_progress_end(&prog);
	pk_merge_free(m);
	for (unsigned i = 0; i < k; i++) {
		/* Errors were reported as they happened; add the warnings. */
		if (pk_reader_errkind(rs[i]) == PK_ERR_NONE)
			cli_input_report(&in, rs[i], names[i]);
		pk_reader_close(rs[i]);
	}
	free(rs);
	free(names);
	return in.status;
}

/* A time option: seconds and nanoseconds, or a usage error. */
static void
time_arg(const char *arg, int64_t *sec, uint32_t *nsec, int *have)
{
	if (cli_parse_time(arg, sec, nsec) < 0)
		cli_usage("invalid time '%s' (RFC 3339 or epoch seconds)", arg);
	*have = 1;
}

int
main(int argc, char **argv)
{
	enum { O_FROM = 256, O_TO };
	static const struct option longopts[] = {
		{ "write", required_argument, NULL, 'w' },
		{ "merge", no_argument, NULL, 'm' },
		{ "count", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		{ "snaplen", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		CLI_LENIENT_LONGOPTS, CLI_PROGRESS_LONGOPTS, CLI_SHARDS_LONGOPTS, CLI_TEXT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .c.progress = -1 };
	struct run r = { .o = &o };
	struct cli_text t = { 0 };
	uint64_t v;
	int c, status;

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "w:mc:s:qh" CLI_TEXT_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_text_option(&t, c) || cli_common_option(&o.c, c, optarg))
			continue;
		switch (c) {
		case 'w': o.wpath = optarg; break;
		case 'm': o.merge = 1; break;
		case 'c':
			if (cli_parse_u64(optarg, 1, UINT64_MAX, &o.count) < 0)
				cli_usage("invalid packet count '%s'", optarg);
			break;
		case 's':
			if (cli_parse_u64(optarg, 1, PK_MAX_CAPLEN, &v) < 0)
				cli_usage("invalid snap length '%s' (1 to %u)", optarg, PK_MAX_CAPLEN);
			o.snaplen = (uint32_t)v;
			break;
		case O_FROM: time_arg(optarg, &o.from_s, &o.from_ns, &o.have_from); break;
		case O_TO: time_arg(optarg, &o.to_s, &o.to_ns, &o.have_to); break;
		case 'q': o.c.progress = 0; t.po.qflag = 1; break;
		case 'h': cli_help(usage);
		case 'V': cli_version();
		default:
			fprintf(stderr, "Try 'pcat --help' for more information.\n");
			return PK_EXIT_ERROR;
		}
	}
	if (cli_output_open(&r.sink, o.wpath, &t, &o.c, 0, NULL) < 0)
		return PK_EXIT_ERROR;
	if (o.merge)
		status = merge(&r, argc - optind, argv + optind);
	else
		status = concat(&r, argc - optind, argv + optind);
	if (r.fatal)
		status = PK_EXIT_ERROR;
	return cli_sink_close(&r.sink, status);
}
