/* cli.c — command-line plumbing shared by every command. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

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
