/* fuzz_pcapng.c — libFuzzer harness: any bytes as pcapng blocks.
 *
 * Inputs that do not start with an SHB get a minimal little-endian SHB in
 * front, so the fuzzer explores IDB/EPB/SPB/PB/ISB parsing, options,
 * interface ids and timestamp conversion.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pcapkit/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t shb[28] = { 0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0,
	                                 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0,
	                                 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	                                 28, 0, 0, 0 };
	char err[PK_ERRBUF];
	uint8_t *buf = malloc(size + sizeof shb);
	struct pk_reader *r;
	struct pk_pkthdr h;
	const uint8_t *d;
	size_t n = size;
	volatile uint64_t sink = 0;

	if (!buf)
		return 0;
	if (size >= 4 && memcmp(data, shb, 4) == 0) {
		memcpy(buf, data, size);
	} else {
		memcpy(buf, shb, sizeof shb);
		memcpy(buf + sizeof shb, data, size);
		n += sizeof shb;
	}
	r = pk_reader_open_mem(buf, n, err);
	free(buf);
	if (r) {
		const struct pk_capinfo *ci;

		while (pk_reader_next(r, &h, &d) == 1) {
			if (h.caplen > PK_MAX_CAPLEN)
				abort();
			if (h.caplen)
				sink += d[h.caplen - 1];
			sink += (uint64_t)h.sec + h.nsec;
		}
		ci = pk_reader_info(r);
		for (unsigned i = 0; i < ci->n_ifaces; i++)
			if (ci->ifaces[i].name)
				sink += strlen(ci->ifaces[i].name);
		pk_reader_close(r);
	}
	(void)sink;
	return 0;
}
