/* cli_opt.c — option plumbing every command shares: --help and --version,
 * the input options (--lenient, --progress), sharded output, and opening
 * the packet output those options ask for. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "pcapkit/shard.h"
#include "pcapkit/version.h"

noreturn void
cli_help(const char *text)
{
	fputs(text, stdout);
	exit(cli_close_stdout(PK_EXIT_OK));
}

noreturn void
cli_version(void)
{
	printf("%s (pcapkit) %s\n", cli_prog, pk_version());
	exit(cli_close_stdout(PK_EXIT_OK));
}

int
cli_common_option(struct cli_common *o, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case CLI_O_LENIENT: o->lenient = 1; return 1;
	case CLI_O_PROGRESS: o->progress = 1; return 1;
	case CLI_O_NOPROGRESS: o->progress = 0; return 1;
	case CLI_O_SHARDS:
		if (cli_parse_u64(arg, 1, PK_SHARD_MAX, &v) < 0)
			cli_usage("invalid number of shards '%s' (1 to %u)", arg, PK_SHARD_MAX);
		o->shards = (uint32_t)v;
		return 1;
	case CLI_O_SHARDSEED:
		if (cli_parse_u64(arg, 0, UINT64_MAX, &o->shard_seed) < 0)
			cli_usage("invalid shard seed '%s'", arg);
		return 1;
	default:
		return 0;
	}
}

int
cli_output_open(struct cli_sink *s, const char *wpath, const struct cli_text *t,
                const struct cli_common *o, int conflict, const char *noshard)
{
	if (!o->shards)
		return cli_sink_open_text(s, wpath, t);
	if (!wpath || t->tcount || t->implied || conflict)
		cli_usage("--shards writes pcap files: give -w PATTERN (e.g. -w 'out-%%d.pcap'), no %s",
		          noshard ? noshard : "text options");
	return cli_sink_open_shards(s, wpath, o->shards, o->shard_seed);
}

uint32_t
cli_out_snaplen(uint32_t forced, uint32_t in)
{
	if (forced)
		return forced;
	return in == 0 || in > PK_MAX_CAPLEN ? PK_MAX_CAPLEN : in;
}

static void
probe_one(const struct pk_reader *rd, uint32_t forced, int *nano, uint32_t *snap)
{
	uint32_t s = cli_out_snaplen(forced, pk_reader_info(rd)->snaplen);

	*nano |= pk_reader_info(rd)->nano;
	if (s > *snap)
		*snap = s;
}

void
cli_input_probe(struct cli_input *in, uint32_t forced, int *nano, uint32_t *snap)
{
	char err[PK_ERRBUF];
	struct pk_reader *sr = cli_input_peek_stdin(in);

	if (sr)
		probe_one(sr, forced, nano, snap);
	for (int i = 0; i < in->n; i++) {
		struct pk_reader *rd;

		if (strcmp(in->paths[i], "-") == 0 || !(rd = pk_reader_open(in->paths[i], err)))
			continue;
		probe_one(rd, forced, nano, snap);
		pk_reader_close(rd);
	}
}

unsigned
cli_term_width(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");
	uint64_t n;

	if (c && cli_parse_u64(c, 20, 1000, &n) == 0)
		return (unsigned)n;
	if (cli_isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}
