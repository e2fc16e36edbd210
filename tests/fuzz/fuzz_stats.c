/* fuzz_stats.c — libFuzzer harness: pstats' one-pass statistics on an
 * arbitrary capture held in memory (pcap or pcapng), then every report
 * format (text, JSON, CSV) written to /dev/null and a few fields queried.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pcapkit/reader.h"
#include "pcapkit/stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[PK_ERRBUF];
	struct pk_stats_opts so = { .interval_ns = size & 1 ? 100000000 : 0, .top = 5, .width = 80 };
	struct pk_stats *s;
	struct pk_reader *r;
	struct pk_pkthdr h;
	const uint8_t *p;
	double v;
	int rc;
	unsigned npk = 0;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		return 0;
	r = pk_reader_open_mem(data, size, err);
	if (!r)
		return 0;
	s = pk_stats_new(&so);
	if (s && pk_stats_begin(s, "fuzz", r) == 0) {
		while ((rc = pk_reader_next(r, &h, &p)) == 1 && npk++ < 5000)
			pk_stats_add(s, &h, p);
		pk_stats_end(s, r, rc < 0);
		pk_stats_print(s, devnull);
		pk_stats_json(s, devnull);
		pk_stats_csv(s, devnull, ',', 1);
		pk_stats_value(s, "packets", &v);
		pk_stats_value(s, "quality.duplicates", &v);
		pk_stats_value(s, "protocols.udp.bytes", &v);
	}
	pk_stats_free(s);
	pk_reader_close(r);
	return 0;
}
