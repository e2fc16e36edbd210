/* fcomp.c — test tool: compile an expression for a link type, print the BPF or the error.
 *
 * usage: fcomp [-O] [-b] [-d|-dd|-ddd] LINKTYPE EXPRESSION...
 * Prints the program as tcpdump -d would (or -dd/-ddd), or
 * "error: COLUMN: MESSAGE" and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pcapkit/filter.h"

int main(int argc, char **argv)
{
	unsigned flags = 0;
	int level = 1, i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "-O")) flags |= PK_FILTER_NOOPT;
		else if (!strcmp(argv[i], "-b")) flags |= PK_FILTER_NULL_BE;
		else if (!strcmp(argv[i], "-d")) level = 1;
		else if (!strcmp(argv[i], "-dd")) level = 2;
		else if (!strcmp(argv[i], "-ddd")) level = 3;
		else break;
	}
	if (argc - i < 1) {
		fprintf(stderr, "usage: fcomp [-O] [-b] [-d|-dd|-ddd] LINKTYPE EXPRESSION...\n");
		return 2;
	}
	int lt = atoi(argv[i++]);
	size_t n = 1;
	for (int j = i; j < argc; j++)
		n += strlen(argv[j]) + 1;
	char *e = calloc(1, n);
	for (int j = i; j < argc; j++) {
		if (j > i) strcat(e, " ");
		strcat(e, argv[j]);
	}
	struct pk_filter_err err;
	struct pk_filter *f = pk_filter_compile_ex(e, lt, 262144, flags, &err);
	if (!f) {
		printf("error: %d: %s\n", err.column, err.msg);
		free(e);
		return 1;
	}
	pk_filter_dump(f, level, stdout, NULL, 0);
	pk_filter_free(f);
	free(e);
	return 0;
}
