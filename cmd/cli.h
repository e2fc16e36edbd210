/* cli.h — command-line plumbing shared by every command (not part of libpcapkit).
 *
 * Messages follow DESIGN.md: "prog: file: what is wrong (where)" on stderr,
 * exit 0 success, 1 no match (pfilter), 2 any error.
 */
#ifndef PK_CLI_H
#define PK_CLI_H

#include <stdint.h>
#include <stdnoreturn.h>

#include "pcapkit/decode.h"
#include "pcapkit/flow.h"
#include "pcapkit/packet.h"
#include "pcapkit/reader.h"
#include "pcapkit/writer.h"
#include "pcapkit/print.h"

enum { PK_EXIT_OK = 0, PK_EXIT_NOMATCH = 1, PK_EXIT_ERROR = 2 };

extern const char *cli_prog;

void cli_init(const char *argv0);
/* "prog: FILE: message" (FILE may be NULL: "prog: message"). */
void cli_warn(const char *file, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "prog: message" then "Try 'prog --help'." and exit 2. */
noreturn void cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parse an unsigned decimal in [min, max]; 0 ok, -1 bad (nothing printed). */
int cli_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* Display name of an input path: "-" (stdin) for NULL or "-". */
const char *cli_name(const char *path);
int cli_isatty(int fd);
/* Flush and close stdout; on failure warn and return PK_EXIT_ERROR, else STATUS. */
int cli_close_stdout(int status);
/* RFC 3339 ("2024-05-01T12:00:00.5Z", "...+02:00") or epoch seconds with an
 * optional fraction ("1714564800.000000001").  0 ok, -1 bad. */
int cli_parse_time(const char *s, int64_t *sec, uint32_t *nsec);

/*
 * Progress: one self-updating stderr line (bytes / total, packets, rate,
 * time left; text from pk_progress_format).  MODE 1 forces it (--progress),
 * 0 silences it (--no-progress, -q), -1 is automatic: shown only when
 * stderr is a terminal and the input is a regular file above 64 MiB (never
 * for a pipe).  Call cli_progress_due() per packet; when it says so, pass
 * the bytes consumed to cli_progress_show().  cli_input does all of this.
 */
struct cli_progress {
	int      on;
	int64_t  total;
	uint64_t packets;
	unsigned tick;
	double   t0, last;
	int      shown;
};
void cli_progress_start(struct cli_progress *p, int mode, int64_t total);
static inline int
cli_progress_due(struct cli_progress *p)
{
	p->packets++;
	return p->on && (++p->tick & 1023) == 0;
}
void cli_progress_show(struct cli_progress *p, uint64_t done);
void cli_progress_end(struct cli_progress *p);   /* erases the line */

/*
 * Inputs: the files named on the command line, "-" or none meaning standard
 * input, walked in order with the same reporting in every command:
 *
 *     struct cli_input in;
 *     cli_input_init(&in, argc - optind, argv + optind);
 *     while (cli_input_open_next(&in)) {          // reports unopenable files
 *             while ((rc = cli_input_next(&in, &h, &data)) == 1)
 *                     ...use the packet...
 *             cli_input_close(&in);               // reports damage and warnings
 *     }
 *     status = in.status;                         // PK_EXIT_ERROR if any input failed
 *
 * A damaged input (cut short, bad record) ends that input: its good packets
 * have been returned, the message says what and where, and the next input
 * still runs.  LENIENT turns a cut-short end (PK_ERR_CUT, the killed-capture
 * case) into a warning that leaves the status alone; other damage still fails.  Only one input may be standard input.
 */
struct cli_input {
	char   **paths;
	int      n, i;
	int      lenient;
	struct pk_reader *r;
	const char *name;       /* display name of the current input */
	int      status;
	int      used_stdin;
	int      progress;      /* progress MODE (see above); set after init */
	struct pk_reader *pre_stdin;  /* standard input opened ahead (cli_input_peek_stdin) */
	int      stdin_failed;  /* ...and that failed (already reported) */
	struct cli_progress prog;
	/* Sinks that write this input's packets without copying them (set
	 * before the first cli_input_open_next): every reader opened gets a
	 * release hook that flushes them, see pk_reader_on_release. */
	struct cli_sink *lend[2];
};
void cli_input_init(struct cli_input *in, int n, char **paths);
/* Open the next input that can be opened: 1, or 0 when none is left. */
int  cli_input_open_next(struct cli_input *in);
/* Next packet of the current input: 1, or 0 at its end (clean or not). */
int  cli_input_next(struct cli_input *in, struct pk_pkthdr *h, const uint8_t **data);
/* Open standard input now if it is among the inputs, so that its header
 * can be looked at before its turn; returns it (or NULL).  Its turn then
 * uses this reader. */
struct pk_reader *cli_input_peek_stdin(struct cli_input *in);
/* Report the current input's error (if any) and warnings, then close it. */
void cli_input_close(struct cli_input *in);
/* Report an error with the current reader (used by merging callers). */
void cli_input_report(struct cli_input *in, struct pk_reader *r, const char *name);

/* Open PATH as a reader, reporting failure as "prog: PATH: why" (NULL then). */
struct pk_reader *cli_open_reader(const char *path);

/*
 * The output stage: where packets go.  Today a pcap stream (to -w FILE or
 * stdout); the text printer will plug in here.  The link type, snap length
 * and resolution come from cli_sink_setup() before the first packet (or
 * default when there is none).  A packet of another link type is refused
 * with a message naming both inputs and both types.
 */
/*
 * Text output: tcpdump's reading flags, shared by every packet-writing
 * command.  Add CLI_TEXT_SHORTOPTS to the getopt string and CLI_TEXT_LONGOPTS
 * to the long options, and offer each option to cli_text_option() first.
 * -t selects text; -tt ... -ttttt also pick tcpdump's timestamp styles;
 * -e -v -x -xx -X -XX -S --nano are tcpdump's; -n is accepted (names are
 * never resolved).  A command's own -q should also set po.qflag.
 */
enum { CLI_O_NANO = 1000 };
#define CLI_TEXT_SHORTOPTS "tevxXSn"
#define CLI_TEXT_LONGOPTS \
	{ "text", no_argument, NULL, 't' }, \
	{ "nano", no_argument, NULL, CLI_O_NANO }
struct cli_text {
	unsigned tcount;        /* -t given this many times */
	unsigned implied;       /* a text-only flag was given */
	struct pk_print_opts po;
};
/* 1 when C was a text option (recorded in T), else 0. */
int cli_text_option(struct cli_text *t, int c);

struct cli_sink {
	const char *wpath;      /* NULL: stdout */
	int      fd;
	struct pk_writer *w;
	int      linktype;
	uint32_t snaplen;
	int      nano;
	int      ready;         /* setup done */
	int      failed;        /* a write error was reported */
	uint64_t wrapped;       /* packets whose seconds do not fit pcap's 32 bits */
	char     first[256];    /* input that fixed the link type */
	int      text;          /* text lines instead of pcap */
	struct pk_print_opts po;
	struct pk_printer *pr;
	/* Sharded output (cli_sink_open_shards): packets go to shard[k]. */
	uint32_t nshards;
	uint64_t shard_seed;
	struct cli_sink *shard;
	char    *shard_paths;   /* nshards paths of PATH_MAX bytes */
	struct pk_layers *shard_L;   /* decode scratch */
	int      lent;          /* packets come from a cli_input that lends to us */
};
/* Refuse binary output to a terminal, open -w FILE.  0 ok, -1 reported. */
int  cli_sink_open(struct cli_sink *s, const char *wpath);
/*
 * The same, choosing text or pcap: text with -t (or a text-only flag and no
 * -w), or when standard output is a terminal and no -w was given; pcap
 * otherwise.  -t with -w is a usage error.  T may be NULL (pcap only).
 */
int  cli_sink_open_text(struct cli_sink *s, const char *wpath, const struct cli_text *t);
void cli_sink_setup(struct cli_sink *s, int linktype, uint32_t snaplen, int nano,
                    const char *name);
/* 0 if NAME's link type can join the stream, else reports the mismatch, -1. */
int  cli_sink_check(struct cli_sink *s, const char *name, int linktype);
/*
 * Sharded output: N pcap files named by PATTERN (one "%d" for the shard
 * number, see pk_shard_path), each packet written to the file of its
 * shard (pk_shard_of, SEED).  Every file is written, empty ones included.
 * The other cli_sink_* calls work on the result as on one sink.
 * 0 ok, -1 reported (bad pattern, a file that cannot be created).
 */
int  cli_sink_open_shards(struct cli_sink *s, const char *pattern, uint32_t n, uint64_t seed);
/* Write one packet; -1 after reporting a write error (fatal). */
int  cli_sink_put(struct cli_sink *s, const struct pk_pkthdr *h, const uint8_t *data);
/* Flush and close; returns STATUS or PK_EXIT_ERROR on a write error. */
int  cli_sink_close(struct cli_sink *s, int status);

/*
 * Option plumbing shared by the commands (cli_opt.c).
 *
 * --help and --version print to stdout and exit 0 (2 if stdout fails).
 * The common input and output options: add the CLI_*_LONGOPTS a command
 * takes to its long options and offer every option to cli_common_option()
 * first, as with cli_text_option().  cli_output_open() then opens the
 * packet output those options and the text flags ask for.
 */
noreturn void cli_help(const char *text);
noreturn void cli_version(void);
/* Columns for text meant for a terminal: $COLUMNS (20 to 1000), else the
 * terminal's width when stdout is one, else 80. */
unsigned cli_term_width(void);

enum { CLI_O_LENIENT = 1100, CLI_O_PROGRESS, CLI_O_NOPROGRESS, CLI_O_SHARDS, CLI_O_SHARDSEED };
#define CLI_LENIENT_LONGOPTS \
	{ "lenient", no_argument, NULL, CLI_O_LENIENT }
#define CLI_PROGRESS_LONGOPTS \
	{ "progress", no_argument, NULL, CLI_O_PROGRESS }, \
	{ "no-progress", no_argument, NULL, CLI_O_NOPROGRESS }
#define CLI_SHARDS_LONGOPTS \
	{ "shards", required_argument, NULL, CLI_O_SHARDS }, \
	{ "shard-seed", required_argument, NULL, CLI_O_SHARDSEED }
struct cli_common {
	int      lenient;       /* --lenient (cli_input.lenient) */
	int      progress;      /* --progress 1, --no-progress 0; set it to -1 (auto) first */
	uint32_t shards;        /* --shards N (0: one output) */
	uint64_t shard_seed;    /* --shard-seed S */
};
/* 1 when C was one of these options (ARG its argument), else 0; a bad
 * number is a usage error. */
int cli_common_option(struct cli_common *o, int c, const char *arg);

/*
 * Open the packet output: with --shards, N pcap files named by -w PATTERN
 * (then text options, and whatever the command names in NOSHARD when
 * CONFLICT is set, are usage errors); otherwise text or pcap as
 * cli_sink_open_text() decides.  0 ok, -1 reported.
 */
/* The output snap length: FORCED (-s N) when not 0, else the input's IN
 * (PK_MAX_CAPLEN when 0 or above it). */
uint32_t cli_out_snaplen(uint32_t forced, uint32_t in);
/* Before the first input opens: OR every named input's resolution into
 * *NANO and raise *SNAP to the largest output snap length, so that a later
 * nanosecond input is not rounded to microseconds.  Standard input is
 * opened ahead for this (cli_input_peek_stdin) and read at its turn. */
void cli_input_probe(struct cli_input *in, uint32_t forced, int *nano, uint32_t *snap);

int cli_output_open(struct cli_sink *s, const char *wpath, const struct cli_text *t,
                    const struct cli_common *o, int conflict, const char *noshard);

/*
 * Filter expressions from the command line (cli_filter.c), as tcpdump takes
 * them.  cli_filter_words() decides, from the non-option words ARGS, the
 * expression (returned, malloc'd) and the inputs (*FILES, *NFILES; none =
 * standard input): -F EXPRFILE reads the expression from a file ('#' to the
 * end of a line is a comment) and every word is an input; -r (NR RPATHS)
 * makes every word part of the expression; otherwise the first word is the
 * expression when the others are all inputs, else all words are; with
 * FLOWS (--flows) and a first word that is an input, there is no
 * expression.  Bad usage or an unreadable EXPRFILE exits.
 */
struct pk_filter_err;
struct pk_flowsel;
char *cli_filter_words(int nargs, char **args, const char *exprfile, char **rpaths, int nr,
                       int flows, char ***files, int *nfiles);
/* "prog: message", then the expression with a caret under the column. */
void cli_filter_report(const char *expr, const struct pk_filter_err *err);
/* Syntax errors before any input is read (compiled as EN10MB); 0 ok, -1 reported. */
int  cli_filter_precheck(const char *expr);
/* The --flows list at PATH ("-" = standard input, which then must not also
 * be a packet input among FILES); NULL reported. */
struct pk_flowsel *cli_flows_load(const char *path, int nfiles, char **files);
/* An expression compiled for the link type and byte order of each input in
 * turn (recompiled only when they change).  REJECTS_ALL: the expression
 * can match nothing (libpcap refuses it; a pipeline stage keeps nothing,
 * with a warning the first time). */
struct cli_filter {
	const char *expr;
	int      noopt;         /* -O */
	struct pk_filter *f;
	int      have, rejects_all, linktype, be, bad_expr;
};
/* 0 ok, -1 a compile error (reported, with the caret; BAD_EXPR set). */
int  cli_filter_for(struct cli_filter *cf, int linktype, int big_endian);
/*
 * Flow-table semantics options (cli_flowopt.c): --zeek, --server-ports,
 * --validate-checksums, --no-checksums, --vlan/--no-vlan, --attempt-timer,
 * --tcp/udp/icmp-timeout, --close-delay, --max-flows, --end-time.  Given
 * in any order, they apply over the defaults (or --zeek's).
 */
enum { CLI_O_ZEEK = 1200, CLI_O_PORTS, CLI_O_VALIDATE, CLI_O_NOCSUM, CLI_O_VLAN, CLI_O_NOVLAN,
       CLI_O_ATTEMPT, CLI_O_TCPT, CLI_O_UDPT, CLI_O_ICMPT, CLI_O_CLOSE, CLI_O_MAXF,
       CLI_O_ENDTIME };
#define CLI_FLOW_LONGOPTS \
	{ "zeek", no_argument, NULL, CLI_O_ZEEK }, \
	{ "server-ports", required_argument, NULL, CLI_O_PORTS }, \
	{ "validate-checksums", no_argument, NULL, CLI_O_VALIDATE }, \
	{ "no-checksums", no_argument, NULL, CLI_O_NOCSUM }, \
	{ "vlan", no_argument, NULL, CLI_O_VLAN }, \
	{ "no-vlan", no_argument, NULL, CLI_O_NOVLAN }, \
	{ "attempt-timer", no_argument, NULL, CLI_O_ATTEMPT }, \
	{ "tcp-timeout", required_argument, NULL, CLI_O_TCPT }, \
	{ "udp-timeout", required_argument, NULL, CLI_O_UDPT }, \
	{ "icmp-timeout", required_argument, NULL, CLI_O_ICMPT }, \
	{ "close-delay", required_argument, NULL, CLI_O_CLOSE }, \
	{ "max-flows", required_argument, NULL, CLI_O_MAXF }, \
	{ "end-time", required_argument, NULL, CLI_O_ENDTIME }
struct cli_flowopts {
	const char *ports;
	int      vlan, zeek, attempt, validate, nocsum;   /* vlan -1: default */
	int64_t  tcpt, udpt, icmpt, closed;   /* ns; -1: not given */
	uint64_t maxf;
	int      have_end;                    /* --end-time */
	int64_t  end_s;
	uint32_t end_ns;
};
void cli_flowopts_init(struct cli_flowopts *s);
/* 1 when C was one of these options (ARG its argument), else 0; a bad
 * value is a usage error. */
int  cli_flow_option(struct cli_flowopts *s, int c, const char *arg);
/* The flow table S asks for, calling CB(record, ARG) per finished record;
 * STREAM bounds the live flows (--max-flows, else 2^20).  NULL when out
 * of memory; a bad --server-ports list is a usage error. */
struct pk_flowtab *cli_flowtab_new(const struct cli_flowopts *s, int stream, pk_flow_cb cb, void *arg);
#endif
