/* fuzz_expect.c — libFuzzer harness for the --expect compiler and evaluator. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pcapkit/expect.h"

static int
lookup(void *ctx, const char *name, double *v)
{
	(void)ctx;
	if (name[0] == 'z')
		return -1;          /* exercise the unknown-field path */
	*v = (double)strlen(name);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[128], why[256];
	char *src = malloc(size + 1);
	struct pk_expect *e;
	int col;

	if (!src)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	e = pk_expect_compile(src, NULL, err, sizeof err, &col);
	if (e) {
		pk_expect_eval(e, lookup, NULL, why, sizeof why);
		pk_expect_free(e);
	} else if (col < 1 || (size_t)col > strlen(src) + 1) {
		abort();            /* the caret must point inside the text */
	}
	free(src);
	return 0;
}
