/* fuzz_pcap.c — libFuzzer harness: any bytes through the reader (pcap first).
 *
 * Inputs that do not start with a pcap magic get a valid µs header in
 * front, so most of the fuzzer's effort goes into the records.  Every
 * packet is checked against its caplen and passed to the writer.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcapkit/reader.h"
#include "pcapkit/writer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t hdr[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
	                                 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0 };
	char err[PK_ERRBUF];
	uint8_t *buf = malloc(size + sizeof hdr);
	struct pk_reader *r;
	struct pk_writer *w = NULL;
	struct pk_pkthdr h;
	const uint8_t *d;
	int fd = open("/dev/null", O_WRONLY);
	size_t n = size;
	volatile uint8_t sink = 0;

	if (!buf)
		return 0;
	if (size >= 4 && (data[0] == 0xd4 || data[0] == 0xa1 || data[0] == 0x4d)) {
		memcpy(buf, data, size);
	} else {
		memcpy(buf, hdr, sizeof hdr);
		memcpy(buf + sizeof hdr, data, size);
		n += sizeof hdr;
	}
	r = pk_reader_open_mem(buf, n, err);
	free(buf);
	if (r) {
		w = pk_writer_open(fd, pk_reader_info(r)->linktype, 65535, pk_reader_info(r)->nano, err);
		while (pk_reader_next(r, &h, &d) == 1) {
			if (h.caplen > PK_MAX_CAPLEN)
				abort();
			if (h.caplen)
				sink ^= d[0] ^ d[h.caplen - 1];
			if (w)
				pk_writer_write(w, &h, d);
		}
		(void)pk_reader_error(r);
		pk_writer_close(w);
		pk_reader_close(r);
	}
	close(fd);
	(void)sink;
	return 0;
}
