/* pstats.c — capture statistics: summary, quality, protocols, top talkers,
 * time series; a report for people, JSON lines, CSV/TSV, and CI gates. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pcapkit/expect.h"
#include "pcapkit/reader.h"
#include "pcapkit/stats.h"

enum { OUT_TEXT, OUT_JSON, OUT_CSV, OUT_TSV };

struct opts {
	struct pk_stats_opts so;
	int out, total, quiet, lenient, merge;
	struct pk_expect **expect;
	int nexpect;
};

static const char usage_text[] =
"Usage: pstats [OPTION]... [FILE]...\n"
"Statistics of pcap/pcapng captures (standard input when no file or \"-\").\n"
"\n"
"  -i, --interval DURATION  time series with buckets of DURATION (1s, 100ms)\n"
"      --top N              rows per top-talker table (default 10, 0 = none)\n"
"      --by packets|bytes   rank top talkers by packets (default) or bytes\n"
"      --total              one report for all inputs together\n"
"      --json               one JSON object per report, on one line\n"
"      --csv, --tsv         the summary as a table, one row per report\n"
"      --ascii              ASCII charts instead of Unicode blocks\n"
"  -e, --expect EXPR        check EXPR (repeatable); exit 1 when one fails\n"
"  -q, --quiet              no report; only failed expectations and errors\n"
"      --lenient            a cut-short last record is a warning, not an error\n"
"      --merge              the files are pstats --json reports (one per line):\n"
"                           print their combination (sums, min/max, merged\n"
"                           histograms and series; see \"merge\" in the JSON)\n"
"  -h, --help               show this help\n"
"  -V, --version            show the version\n"
"\n"
"Exit status: 0 ok, 1 an expectation failed, 2 bad usage or input.\n";

static int
lookup(void *ctx, const char *name, double *v)
{
	return pk_stats_value(ctx, name, v);
}

/* Print one report and check the expectations.  Returns 0, 1 or 2. */
static int
report(struct pk_stats *s, const struct opts *o, const char *name, int *csv_header)
{
	int rc = 0, status = 0, i;

	if (!o->quiet) {
		switch (o->out) {
		case OUT_JSON: rc = pk_stats_json(s, stdout); break;
		case OUT_CSV:
		case OUT_TSV:
			rc = pk_stats_csv(s, stdout, o->out == OUT_CSV ? ',' : '\t', *csv_header);
			*csv_header = 0;
			break;
		default:
			rc = pk_stats_print(s, stdout);
		}
	}
	if (rc < 0)
		return PK_EXIT_ERROR;   /* the write error is reported at close */
	for (i = 0; i < o->nexpect; i++) {
		char why[512];
		int r = pk_expect_eval(o->expect[i], lookup, s, why, sizeof why);
		if (r == 0) {
			cli_warn(name, "expectation failed: %s (%s)",
			         pk_expect_source(o->expect[i]), why);
			status = PK_EXIT_NOMATCH;
		} else if (r < 0) {
			cli_warn(name, "%s: %s", pk_expect_source(o->expect[i]), why);
			return PK_EXIT_ERROR;
		}
	}
	return status;
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "top", required_argument, NULL, 'T' },
		{ "by", required_argument, NULL, 'B' },
		{ "total", no_argument, NULL, 'A' },
		{ "json", no_argument, NULL, 'J' },
		{ "csv", no_argument, NULL, 'C' },
		{ "tsv", no_argument, NULL, 'S' },
		{ "ascii", no_argument, NULL, 'a' },
		{ "expect", required_argument, NULL, 'e' },
		{ "quiet", no_argument, NULL, 'q' },
		CLI_LENIENT_LONGOPTS,
		{ "merge", no_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t n;
	int c, col;
	char err[256];

	while ((c = getopt_long(argc, argv, "i:e:qhV", lo, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (pk_parse_duration(optarg, &o->so.interval_ns) < 0)
				cli_usage("bad interval '%s' (expected a duration such as 1s or 100ms)", optarg);
			break;
		case 'T':
			if (cli_parse_u64(optarg, 0, 100000, &n) < 0)
				cli_usage("bad --top '%s' (expected 0 to 100000)", optarg);
			o->so.top = (unsigned)n;
			break;
		case 'B':
			if (strcmp(optarg, "packets") == 0)
				o->so.by_bytes = 0;
			else if (strcmp(optarg, "bytes") == 0)
				o->so.by_bytes = 1;
			else
				cli_usage("bad --by '%s' (expected packets or bytes)", optarg);
			break;
		case 'A': o->total = 1; break;
		case 'J': o->out = OUT_JSON; break;
		case 'C': o->out = OUT_CSV; break;
		case 'S': o->out = OUT_TSV; break;
		case 'a': o->so.ascii = 1; break;
		case 'q': o->quiet = 1; break;
		case CLI_O_LENIENT: o->lenient = 1; break;
		case 'M': o->merge = 1; break;
		case 'e': {
			struct pk_expect *e = pk_expect_compile(optarg, pk_stats_field_known,
			                                        err, sizeof err, &col);
			struct pk_expect **ne;
			if (!e) {
				cli_warn(NULL, "bad expectation: %s (column %d)\n  %s\n  %*s^",
				         err, col, optarg, col - 1, "");
				exit(PK_EXIT_ERROR);
			}
			ne = realloc(o->expect, (size_t)(o->nexpect + 1) * sizeof *ne);
			if (!ne) {
				cli_warn(NULL, "out of memory");
				exit(PK_EXIT_ERROR);
			}
			o->expect = ne;
			o->expect[o->nexpect++] = e;
			break;
		}
		case 'h': cli_help(usage_text);
		case 'V': cli_version();
		default:
			cli_usage("unknown option");
		}
	}
}

/* --merge: every line of every file is one pstats --json report. */
static int
merge_reports(struct pk_stats *s, int n, char **paths)
{
	int status = 0;

	for (int i = 0; i < n; i++) {
		const char *name = cli_name(paths[i]);
		FILE *f = strcmp(paths[i], "-") ? fopen(paths[i], "r") : stdin;
		char *line = NULL, err[256];
		size_t cap = 0, lineno = 0;
		ssize_t len;

		if (!f) {
			cli_warn(name, "%s", strerror(errno));
			status = PK_EXIT_ERROR;
			continue;
		}
		while ((len = getline(&line, &cap, f)) >= 0) {
			lineno++;
			if (strspn(line, " \t\r\n") == (size_t)len)
				continue;
			if (pk_stats_merge_json(s, line, (size_t)len, err, sizeof err) < 0) {
				cli_warn(name, "line %zu: %s", lineno, err);
				status = PK_EXIT_ERROR;
			}
		}
		if (ferror(f)) {
			cli_warn(name, "%s", strerror(errno));
			status = PK_EXIT_ERROR;
		}
		free(line);
		if (f != stdin)
			fclose(f);
	}
	return status;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct pk_stats *s = NULL;
	struct cli_input in;
	struct pk_pkthdr h;
	const uint8_t *data;
	int status = PK_EXIT_OK, r, i, csv_header = 1;

	cli_init(argv[0]);
	memset(&o, 0, sizeof o);
	o.so.top = 10;
	parse_args(argc, argv, &o);
	o.so.width = cli_term_width();
	cli_input_init(&in, argc - optind, argv + optind);
	if (o.quiet)
		in.progress = 0;

	if (o.merge) {
		static char *stdin_only[] = { "-" };
		int n = argc - optind;

		if (!(s = pk_stats_new(&o.so))) {
			cli_warn(NULL, "out of memory");
			return cli_close_stdout(PK_EXIT_ERROR);
		}
		status = merge_reports(s, n ? n : 1, n ? argv + optind : stdin_only);
		r = report(s, &o, "merged", &csv_header);
		if (r > status)
			status = r;
	}
	while (!o.merge && cli_input_open_next(&in)) {
		int failed;
		if (!s && !(s = pk_stats_new(&o.so))) {
			cli_warn(NULL, "out of memory");
			return cli_close_stdout(PK_EXIT_ERROR);
		}
		if (pk_stats_begin(s, in.name, in.r) < 0) {
			cli_warn(in.name, "out of memory");
			return cli_close_stdout(PK_EXIT_ERROR);
		}
		while (cli_input_next(&in, &h, &data) == 1)
			pk_stats_add(s, &h, data);
		failed = pk_reader_errkind(in.r) != PK_ERR_NONE;
		pk_stats_end(s, in.r, failed);
		if (!o.total) {
			/* The report (marked partial) comes before the message. */
			r = report(s, &o, in.name, &csv_header);
			if (r > status)
				status = r;
			pk_stats_free(s);
			s = NULL;
		}
		if (failed) {
			/* Our own message says the report is partial; --lenient
			 * forgives only a cut-short end, as in every command. */
			int forgive = o.lenient && pk_reader_errkind(in.r) == PK_ERR_CUT;
			cli_progress_end(&in.prog);
			cli_warn(in.name, "%s%s", pk_reader_error(in.r),
			         forgive ? " (ignored: --lenient)" :
			         o.total ? " (report is partial)" : " (report above is partial)");
			if (!forgive)
				status = PK_EXIT_ERROR;
			pk_reader_close(in.r);
			in.r = NULL;
		} else {
			cli_input_close(&in);
		}
	}
	if (o.total && s) {
		r = report(s, &o, "total", &csv_header);
		if (r > status)
			status = r;
	}
	if (in.status > status)
		status = in.status;
	pk_stats_free(s);
	for (i = 0; i < o.nexpect; i++)
		pk_expect_free(o.expect[i]);
	free(o.expect);
	return cli_close_stdout(status);
}
