/* cli_filter.c — a filter expression from the command line, as tcpdump takes
 * it: one quoted argument or several words, -F FILE, -r FILE; compile errors
 * with a caret; the --flows list of pfilter. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "pcapkit/filter.h"
#include "pcapkit/flowsel.h"

/* Read -F FILE: comments from '#' to the end of the line become blanks. */
static char *
read_exprfile(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		cli_warn(path, "%s", strerror(errno));
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	int c, comment = 0;
	while (buf && (c = getc(f)) != EOF) {
		if (c == '#')
			comment = 1;
		else if (c == '\n')
			comment = 0;
		if (n + 2 > cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
		}
		if (buf)
			buf[n++] = comment ? ' ' : (char)c;
	}
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (!buf || bad) {
		cli_warn(path, "%s", buf ? "read error" : "out of memory");
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

static char *
join_words(int n, char **w)
{
	size_t len = 1;
	for (int i = 0; i < n; i++)
		len += strlen(w[i]) + 1;
	char *e = malloc(len);
	if (!e)
		return NULL;
	e[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(e, " ");
		strcat(e, w[i]);
	}
	return e;
}

static int
is_input(const char *p)
{
	struct stat sb;
	return strcmp(p, "-") == 0 || stat(p, &sb) == 0;
}

/* "prog: message" then the expression and a caret under the column. */
void
cli_filter_report(const char *expr, const struct pk_filter_err *err)
{
	cli_warn(NULL, "%s", err->msg);
	if (err->column < 0 || strchr(expr, '\n'))
		return;
	fprintf(stderr, "  %s\n  %*s^", expr, err->column, "");
	for (int i = 1; i < err->length; i++)
		fputc('~', stderr);
	fputc('\n', stderr);
}

static struct pk_flowsel *
load_flows(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct pk_flowsel *s;
	if (!f) {
		cli_warn(path, "%s", strerror(errno));
		return NULL;
	}
	if (!(s = pk_flowsel_new()))
		cli_warn(path, "out of memory");
	else if (pk_flowsel_read(s, f) < 0) {
		cli_warn(path, "%s", pk_flowsel_error(s));
		pk_flowsel_free(s);
		s = NULL;
	}
	if (f != stdin)
		fclose(f);
	return s;
}

char *
cli_filter_words(int nargs, char **args, const char *exprfile, char **rpaths, int nr,
                 int flows, char ***files, int *nfiles)
{
	char *expr;

	if (exprfile) {
		if (!(expr = read_exprfile(exprfile)))
			exit(PK_EXIT_ERROR);
		*files = args;
		*nfiles = nargs;
	} else if (nr) {
		expr = join_words(nargs, args);
	} else if (flows && (nargs == 0 || is_input(args[0]))) {
		/* --flows alone selects; every word is an input */
		for (int i = 0; i < nargs; i++)
			if (!is_input(args[i]))
				cli_usage("%s: no such file (with --flows and no expression, every argument is an input)", args[i]);
		expr = join_words(0, args);
		*files = args;
		*nfiles = nargs;
	} else {
		int all_inputs = 1;

		if (nargs < 1)
			cli_usage("no filter expression given");
		/* several words that are not all inputs: tcpdump-style expression */
		for (int i = 1; i < nargs; i++)
			all_inputs &= is_input(args[i]);
		expr = join_words(all_inputs ? 1 : nargs, args);
		*files = all_inputs ? args + 1 : NULL;
		*nfiles = all_inputs ? nargs - 1 : 0;
	}
	if (nr) {
		*files = rpaths;
		*nfiles = nr;
	}
	if (!expr)
		exit(PK_EXIT_ERROR);
	return expr;
}

int
cli_filter_precheck(const char *expr)
{
	struct pk_filter_err err;
	struct pk_filter *f = pk_filter_compile_ex(expr, PK_LINK_EN10MB, 262144, PK_FILTER_NOOPT, &err);

	if (!f && (strstr(err.msg, "syntax error") || strstr(err.msg, "overflows") ||
	           strstr(err.msg, "octal") || strstr(err.msg, "nested too deeply"))) {
		cli_filter_report(expr, &err);
		return -1;
	}
	pk_filter_free(f);
	return 0;
}

struct pk_flowsel *
cli_flows_load(const char *path, int nfiles, char **files)
{
	int stdin_used = nfiles == 0;

	for (int i = 0; i < nfiles; i++)
		stdin_used |= strcmp(files[i], "-") == 0;
	if (strcmp(path, "-") == 0 && stdin_used)
		cli_usage("--flows -: standard input cannot hold both the flow list and the packets (use -r FILE)");
	return load_flows(path);
}

int
cli_filter_for(struct cli_filter *cf, int linktype, int big_endian)
{
	struct pk_filter_err err;
	unsigned flags = (cf->noopt ? PK_FILTER_NOOPT : 0) | (big_endian ? PK_FILTER_NULL_BE : 0);

	if (cf->have && cf->linktype == linktype && cf->be == big_endian)
		return 0;
	pk_filter_free(cf->f);
	cf->f = pk_filter_compile_ex(cf->expr, linktype, 262144, flags, &err);
	cf->rejects_all = 0;
	if (!cf->f) {
		if (strcmp(err.msg, "expression rejects all packets") != 0) {
			cli_filter_report(cf->expr, &err);
			cf->bad_expr = 1;
			return -1;
		}
		/* libpcap refuses such a filter; a pipeline stage keeps nothing. */
		if (!cf->have)
			cli_warn(NULL, "warning: %s", err.msg);
		cf->rejects_all = 1;
	}
	cf->have = 1;
	cf->linktype = linktype;
	cf->be = big_endian;
	return 0;
}
