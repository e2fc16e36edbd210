/* fuzz_stats.c — libFuzzer harness for the statistics pass: the input is
 * split into packets (2-byte length prefixes), each counted under a link
 * type chosen by the first byte, then every report is rendered. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pcapkit/stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int lt[8] = { 0, 1, 101, 108, 113, 228, 229, 276 };
	struct pk_stats_opts o = { .top = 3, .interval_ns = 1000000 };
	struct pk_stats *s;
	struct pk_pkthdr h;
	FILE *null;
	size_t off = 1;
	int64_t t = 0;

	if (size < 1 || !(s = pk_stats_new(&o)))
		return 0;
	pk_stats_begin(s, "fuzz", NULL);
	memset(&h, 0, sizeof h);
	h.linktype = lt[data[0] & 7];
	while (off + 2 <= size) {
		size_t n = (size_t)(data[off] << 8 | data[off + 1]);
		off += 2;
		if (n > size - off)
			n = size - off;
		t += (data[off - 1] & 3) * 300000 - 100000;   /* also backwards */
		h.sec = t / 1000000000;
		h.nsec = (uint32_t)(t % 1000000000 + (t % 1000000000 < 0 ? 1000000000 : 0));
		h.caplen = (uint32_t)n;
		h.len = (uint32_t)n + (data[off - 2] & 1) * 10;
		pk_stats_add(s, &h, data + off);
		off += n;
	}
	pk_stats_end(s, NULL, 0);
	null = fopen("/dev/null", "w");
	if (null) {
		pk_stats_json(s, null);
		pk_stats_print(s, null);
		pk_stats_csv(s, null, ',', 1);
		fclose(null);
	}
	pk_stats_free(s);
	return 0;
}
