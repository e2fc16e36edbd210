/* cli.h — command-line plumbing shared by every command (not part of libpcapkit).
 *
 * Messages follow DESIGN.md: "prog: file: what is wrong (where)" on stderr,
 * exit 0 success, 1 no match (pfilter), 2 any error.
 */
#ifndef PK_CLI_H
#define PK_CLI_H

#include <stdint.h>
#include <stdnoreturn.h>

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

#endif
