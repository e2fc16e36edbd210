/* fuzz_merge.c — libFuzzer harness for the JSON reader and pstats --merge.
 *
 * The input is split at newlines like a file of pstats --json reports; each
 * line goes to pk_jdoc_parse() (walking every node) and to
 * pk_stats_merge_json(); the merged state is then written as JSON and text
 * to /dev/null, so the reports' printers see whatever a merge can build.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pcapkit/jsonread.h"
#include "pcapkit/stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
walk(const struct pk_jdoc *d, const struct pk_jnode *n, int depth)
{
	size_t k = 1;
	uint64_t u;
	int64_t i;

	(void)pk_jnode_u64(n, &u);
	(void)pk_jnode_i64(n, &i);
	if (depth < 100)
		for (const struct pk_jnode *c = pk_jnode_child(d, n); c; c = pk_jnode_next(d, c))
			k += walk(d, c, depth + 1);
	return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct pk_stats_opts o = { .top = 5 };
	struct pk_stats *s = pk_stats_new(&o);
	const char *p = (const char *)data, *end = p + size;
	char err[256];

	if (!null)
		null = fopen("/dev/null", "w");
	if (!s)
		return 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct pk_jdoc *d = pk_jdoc_parse(p, n, err, sizeof err);

		if (d) {
			(void)walk(d, pk_jdoc_root(d), 0);
			pk_jdoc_free(d);
		}
		(void)pk_stats_merge_json(s, p, n, err, sizeof err);
		p += n + (nl != NULL);
	}
	if (null) {
		(void)pk_stats_json(s, null);
		(void)pk_stats_print(s, null);
	}
	pk_stats_free(s);
	return 0;
}
