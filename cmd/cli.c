/* cli.c — command-line plumbing shared by every command. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "pcapkit/progress.h"
#include "pcapkit/shard.h"

const char *cli_prog = "pcapkit";

void
cli_init(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	cli_prog = slash ? slash + 1 : (argv0 ? argv0 : cli_prog);
}

void
cli_warn(const char *file, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	if (file)
		fprintf(stderr, "%s: %s: ", cli_prog, file);
	else
		fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

noreturn void
cli_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", cli_prog);
	exit(PK_EXIT_ERROR);
}

int
cli_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

const char *
cli_name(const char *path)
{
	return (!path || strcmp(path, "-") == 0) ? "-" : path;
}

int
cli_isatty(int fd)
{
	return isatty(fd);
}

int
cli_close_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		fprintf(stderr, "%s: write error: %s\n", cli_prog, strerror(errno));
		return PK_EXIT_ERROR;
	}
	return status;
}

/* Up to 9 fraction digits after a '.', as nanoseconds; *pp advances. */
static int
parse_frac(const char **pp, uint32_t *nsec)
{
	const char *p = *pp;
	uint32_t v = 0;
	int digits = 0;

	*nsec = 0;
	if (*p != '.')
		return 0;
	p++;
	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		if (digits < 9) {
			v = v * 10 + (uint32_t)(*p - '0');
			digits++;
		}
		p++;
	}
	while (digits++ < 9)
		v *= 10;
	*nsec = v;
	*pp = p;
	return 0;
}

int
cli_parse_time(const char *s, int64_t *sec, uint32_t *nsec)
{
	struct tm tm;
	int y, mo, d, h, mi, sc, n = 0, oh, om;
	const char *p;
	time_t t;

	if (!s || !*s)
		return -1;
	/* Epoch seconds: digits only before the optional fraction. */
	p = s;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p > s && (*p == '\0' || *p == '.')) {
		uint64_t v;
		char ibuf[32];

		if ((size_t)(p - s) >= sizeof ibuf)
			return -1;
		memcpy(ibuf, s, (size_t)(p - s));
		ibuf[p - s] = '\0';
		if (cli_parse_u64(ibuf, 0, INT64_MAX / 2, &v) < 0 || parse_frac(&p, nsec) < 0 || *p)
			return -1;
		*sec = (int64_t)v;
		return 0;
	}
	if (sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sc, &n) != 6 || n == 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sc > 60)
		return -1;
	p = s + n;
	if (parse_frac(&p, nsec) < 0)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sc;
	t = timegm(&tm);
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) == 2 &&
	           n == 5 && oh < 24 && om < 60) {
		long off = (oh * 60L + om) * 60L;

		t -= *p == '+' ? off : -off;
		p += 6;
	} else {
		return -1;
	}
	if (*p)
		return -1;
	*sec = (int64_t)t;
	return 0;
}

/* ---- progress ---- */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
cli_progress_start(struct cli_progress *p, int mode, int64_t total)
{
	memset(p, 0, sizeof *p);
	p->total = total;
	if (mode == 1)
		p->on = 1;
	else if (mode < 0)
		p->on = total > (int64_t)PK_PROGRESS_MIN_SIZE && isatty(2);
	if (p->on)
		p->t0 = p->last = now();
}

void
cli_progress_show(struct cli_progress *p, uint64_t done)
{
	char line[160];
	double t = now();

	if (!p->on || (t - p->last < 0.25 && p->shown))
		return;
	p->last = t;
	pk_progress_format(line, sizeof line, done, p->total, p->packets, t - p->t0);
	fprintf(stderr, "\r%s: %s\033[K", cli_prog, line);
	fflush(stderr);
	p->shown = 1;
}

void
cli_progress_end(struct cli_progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	p->shown = 0;
	p->on = 0;
}

/* ---- inputs ---- */

struct pk_reader *
cli_open_reader(const char *path)
{
	char err[PK_ERRBUF];
	struct pk_reader *r = pk_reader_open(path, err);

	if (!r)
		cli_warn(cli_name(path), "%s", err);
	return r;
}

static void
sink_release(struct cli_sink *s)
{
	if (s->w)
		pk_writer_release(s->w);
	for (uint32_t k = 0; k < s->nshards; k++)
		sink_release(&s->shard[k]);
}

/* A reader of IN is about to move its buffer: write out what points into it. */
static void
input_release(void *ctx)
{
	struct cli_input *in = ctx;

	for (int i = 0; i < 2; i++)
		if (in->lend[i])
			sink_release(in->lend[i]);
}

static void
input_lend(struct cli_input *in, struct pk_reader *r)
{
	for (int i = 0; i < 2; i++)
		if (in->lend[i]) {
			in->lend[i]->lent = 1;
			pk_reader_on_release(r, input_release, in);
		}
}

void
cli_input_init(struct cli_input *in, int n, char **paths)
{
	memset(in, 0, sizeof *in);
	in->progress = -1;
	in->n = n;
	in->paths = paths;
}

int
cli_input_open_next(struct cli_input *in)
{
	static char *dash[] = { "-" };

	if (in->n == 0) {          /* no file named: standard input */
		in->n = 1;
		in->paths = dash;
	}
	while (in->i < in->n) {
		const char *path = in->paths[in->i++];

		in->name = cli_name(path);
		if (strcmp(in->name, "-") == 0 && in->pre_stdin) {
			in->r = in->pre_stdin;
			in->pre_stdin = NULL;
			input_lend(in, in->r);
			cli_progress_start(&in->prog, in->progress, pk_reader_size(in->r));
			return 1;
		}
		if (strcmp(in->name, "-") == 0) {
			if (in->stdin_failed) {
				in->stdin_failed = 0;
				continue;
			}
			if (in->used_stdin) {
				cli_warn("-", "standard input can be read only once");
				in->status = PK_EXIT_ERROR;
				continue;
			}
			in->used_stdin = 1;
		}
		in->r = cli_open_reader(path);
		if (in->r) {
			input_lend(in, in->r);
			cli_progress_start(&in->prog, in->progress, pk_reader_size(in->r));
			return 1;
		}
		in->status = PK_EXIT_ERROR;
	}
	return 0;
}

struct pk_reader *
cli_input_peek_stdin(struct cli_input *in)
{
	int i;

	if (in->pre_stdin || in->used_stdin)
		return in->pre_stdin;
	for (i = 0; i < in->n && strcmp(cli_name(in->paths[i]), "-") != 0; i++)
		;
	if (in->n > 0 && i == in->n)
		return NULL;
	in->used_stdin = 1;
	in->pre_stdin = cli_open_reader("-");
	if (!in->pre_stdin) {
		in->status = PK_EXIT_ERROR;
		in->stdin_failed = 1;
	}
	return in->pre_stdin;
}

int
cli_input_next(struct cli_input *in, struct pk_pkthdr *h, const uint8_t **data)
{
	if (!in->r || pk_reader_next(in->r, h, data) != 1)
		return 0;
	if (cli_progress_due(&in->prog))
		cli_progress_show(&in->prog, pk_reader_consumed(in->r));
	return 1;
}

void
cli_input_report(struct cli_input *in, struct pk_reader *r, const char *name)
{
	const struct pk_capinfo *ci = pk_reader_info(r);

	if (pk_reader_errkind(r) != PK_ERR_NONE) {
		/* --lenient forgives only a cut-short end (a killed capture);
		 * a record or block that makes no sense is still an error. */
		int forgive = in->lenient && pk_reader_errkind(r) == PK_ERR_CUT;

		cli_warn(name, "%s%s", pk_reader_error(r), forgive ? " (ignored: --lenient)" : "");
		if (!forgive)
			in->status = PK_EXIT_ERROR;
	}
	if (ci->caplen_over_snaplen)
	{
		const char *s = ci->caplen_over_snaplen == 1 ? "" : "s";

		if (ci->format == PK_FMT_PCAP)
			cli_warn(name, "warning: %llu record%s with caplen above the snapshot length %u, cut to it as libpcap does",
			    (unsigned long long)ci->caplen_over_snaplen, s, ci->snaplen);
		else
			cli_warn(name, "warning: %llu record%s with caplen above the interface snapshot length, kept as recorded",
			    (unsigned long long)ci->caplen_over_snaplen, s);
	}
	if (ci->caplen_over_len)
		cli_warn(name, "warning: %llu record%s with caplen above the wire length, kept as recorded",
		    (unsigned long long)ci->caplen_over_len, ci->caplen_over_len == 1 ? "" : "s");
}

void
cli_input_close(struct cli_input *in)
{
	if (!in->r)
		return;
	cli_progress_end(&in->prog);
	cli_input_report(in, in->r, in->name);
	pk_reader_close(in->r);
	in->r = NULL;
}

/* ---- output ---- */

int
cli_text_option(struct cli_text *t, int c)
{
	switch (c) {
	case 't': t->tcount++; break;
	case 'e': t->po.eflag++; t->implied = 1; break;
	case 'v': t->po.vflag++; t->implied = 1; break;
	case 'x': t->po.xflag++; t->implied = 1; break;
	case 'X': t->po.Xflag++; t->implied = 1; break;
	case 'S': t->po.Sflag = 1; t->implied = 1; break;
	case 'n': break;
	case CLI_O_NANO: t->po.nano = 1; t->implied = 1; break;
	default: return 0;
	}
	return 1;
}

int
cli_sink_open_text(struct cli_sink *s, const char *wpath, const struct cli_text *t)
{
	int tty = isatty(1);

	if (!t || (!t->tcount && (wpath || (!t->implied && !tty))))
		return cli_sink_open(s, wpath);
	if (wpath)
		cli_usage("-t (text) and -w (pcap) cannot be combined");
	memset(s, 0, sizeof *s);
	s->fd = 1;
	s->text = 1;
	s->po = t->po;
	if (s->po.xflag > 2)
		s->po.xflag = 2;
	if (s->po.Xflag > 2)
		s->po.Xflag = 2;
	/* -t is text; -tt..-ttttt are tcpdump's styles 2..5. */
	s->po.tflag = t->tcount >= 2 ? (t->tcount > 5 ? 5 : t->tcount) : 0;
	s->po.line_buffered = tty;
	return 0;
}

int
cli_sink_open(struct cli_sink *s, const char *wpath)
{
	memset(s, 0, sizeof *s);
	s->fd = 1;
	if (wpath && strcmp(wpath, "-") != 0) {
		s->wpath = wpath;
		s->fd = open(wpath, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (s->fd < 0) {
			cli_warn(wpath, "%s", strerror(errno));
			return -1;
		}
	} else if (!wpath && isatty(1)) {
		cli_warn(NULL, "refusing to write binary pcap to a terminal; "
		    "redirect or pipe the output, or use -w FILE");
		return -1;
	}
	return 0;
}

void
cli_sink_setup(struct cli_sink *s, int linktype, uint32_t snaplen, int nano, const char *name)
{
	if (s->ready)
		return;
	s->linktype = linktype;
	s->snaplen = snaplen;
	s->nano = nano;
	snprintf(s->first, sizeof s->first, "%s", name ? name : "-");
	s->ready = 1;
}

int
cli_sink_check(struct cli_sink *s, const char *name, int linktype)
{
	char b1[32], b2[32];

	if (!s->ready || linktype == s->linktype || s->text)
		return 0;
	if (strcmp(name, s->first) == 0) {
		cli_warn(name, "interfaces of link types %s (%d) and %s (%d) cannot share one pcap stream",
		    pk_linktype_name(s->linktype, b2), s->linktype,
		    pk_linktype_name(linktype, b1), linktype);
		return -1;
	}
	cli_warn(name, "link type %s (%d) differs from %s (%d) of %s; one pcap stream holds one link type",
	    pk_linktype_name(linktype, b1), linktype,
	    pk_linktype_name(s->linktype, b2), s->linktype, s->first);
	return -1;
}

static int
sink_start(struct cli_sink *s)
{
	char err[PK_ERRBUF];

	if (!s->ready)
		cli_sink_setup(s, PK_LINK_EN10MB, PK_MAX_CAPLEN, 0, NULL);
	if (s->text) {
		s->pr = pk_printer_open(s->fd, &s->po, err);
		if (!s->pr) {
			s->failed = 1;
			cli_warn(NULL, "%s", err);
			return -1;
		}
		return 0;
	}
	s->w = pk_writer_open(s->fd, s->linktype, s->snaplen, s->nano, err);
	if (!s->w) {
		s->failed = 1;
		cli_warn(NULL, "%s", err);
		return -1;
	}
	return 0;
}

#define SHARD_PATH 4096

int
cli_sink_open_shards(struct cli_sink *s, const char *pattern, uint32_t n, uint64_t seed)
{
	char err[256];

	memset(s, 0, sizeof *s);
	s->fd = -1;
	if (n < 1 || n > PK_SHARD_MAX) {
		cli_warn(NULL, "the number of shards must be 1 to %u", PK_SHARD_MAX);
		return -1;
	}
	s->shard = calloc(n, sizeof *s->shard);
	s->shard_paths = malloc((size_t)n * SHARD_PATH);
	s->shard_L = malloc(sizeof *s->shard_L);
	if (!s->shard || !s->shard_paths || !s->shard_L) {
		cli_warn(NULL, "out of memory");
		goto fail;
	}
	s->shard_seed = seed;
	for (uint32_t k = 0; k < n; k++) {
		char *path = s->shard_paths + (size_t)k * SHARD_PATH;

		if (pk_shard_path(pattern, k, path, SHARD_PATH, err, sizeof err) < 0) {
			cli_warn(NULL, "%s", err);
			goto fail;
		}
		if (strcmp(path, "-") == 0) {
			cli_warn(NULL, "bad output pattern '%s': shards are files, not standard output", pattern);
			goto fail;
		}
		if (cli_sink_open(&s->shard[k], path) < 0)
			goto fail;
		s->nshards = k + 1;
	}
	return 0;
fail:
	for (uint32_t k = 0; k < s->nshards; k++)
		close(s->shard[k].fd);
	free(s->shard);
	free(s->shard_paths);
	free(s->shard_L);
	memset(s, 0, sizeof *s);
	return -1;
}

/* The shard's own sink, set up from the parent on first use. */
static struct cli_sink *
shard_sink(struct cli_sink *s, uint32_t k)
{
	struct cli_sink *c = &s->shard[k];

	if (!s->ready)
		cli_sink_setup(s, PK_LINK_EN10MB, PK_MAX_CAPLEN, 0, NULL);
	cli_sink_setup(c, s->linktype, s->snaplen, s->nano, s->first);
	c->lent = s->lent;
	return c;
}

int
cli_sink_put(struct cli_sink *s, const struct pk_pkthdr *h, const uint8_t *data)
{
	if (s->nshards) {
		uint32_t k = pk_shard_of_packet(s->shard_L, h->linktype, data, h->caplen, h->len,
		                                s->shard_seed, s->nshards);

		if (s->failed)
			return -1;
		if (cli_sink_put(shard_sink(s, k), h, data) < 0) {
			s->failed = 1;
			return -1;
		}
		return 0;
	}
	if (!s->w && !s->pr && sink_start(s) < 0)
		return -1;
	if (s->failed)
		return -1;
	if (s->pr) {
		if (pk_printer_write(s->pr, h, data) < 0) {
			s->failed = 1;
			cli_warn("stdout", "%s", pk_printer_error(s->pr));
			return -1;
		}
		return 0;
	}
	if (h->sec < 0 || h->sec > (int64_t)UINT32_MAX)
		s->wrapped++;
	if ((s->lent ? pk_writer_write_lent(s->w, h, data) : pk_writer_write(s->w, h, data)) < 0) {
		s->failed = 1;
		cli_warn(s->wpath ? s->wpath : "stdout", "%s", pk_writer_error(s->w));
		return -1;
	}
	return 0;
}

int
cli_sink_close(struct cli_sink *s, int status)
{
	if (s->nshards) {
		for (uint32_t k = 0; k < s->nshards; k++)
			if (cli_sink_close(shard_sink(s, k), status) != status)
				s->failed = 1;
		free(s->shard);
		free(s->shard_paths);
		free(s->shard_L);
		s->shard = NULL;
		s->shard_paths = NULL;
		s->shard_L = NULL;
		s->nshards = 0;
		return s->failed ? PK_EXIT_ERROR : status;
	}
	if (s->text) {
		if (s->pr && !s->failed && pk_printer_flush(s->pr) < 0) {
			cli_warn("stdout", "%s", pk_printer_error(s->pr));
			s->failed = 1;
		}
		pk_printer_close(s->pr);
		s->pr = NULL;
		return s->failed ? PK_EXIT_ERROR : status;
	}
	if (!s->w && !s->failed && sink_start(s) < 0)
		return PK_EXIT_ERROR;
	if (s->w && !s->failed && pk_writer_flush(s->w) < 0) {
		cli_warn(s->wpath ? s->wpath : "stdout", "%s", pk_writer_error(s->w));
		s->failed = 1;
	}
	pk_writer_close(s->w);
	s->w = NULL;
	if (s->wrapped)
		cli_warn(NULL, "warning: %llu packet%s with times outside 1970-2106 written modulo 2^32 seconds (the pcap limit)",
		    (unsigned long long)s->wrapped, s->wrapped == 1 ? "" : "s");
	if (s->wpath && close(s->fd) < 0 && !s->failed) {
		cli_warn(s->wpath, "%s", strerror(errno));
		s->failed = 1;
	}
	return s->failed ? PK_EXIT_ERROR : status;
}
