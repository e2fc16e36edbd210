/* fuzz_print.c — libFuzzer harness: decoder + tcpdump-style text printer.
 *
 * The input is a capture file in memory (pcap or pcapng, so the seeds are
 * testdata/'s captures and the link type comes from the file).  Each packet
 * is decoded, its L4 checksum checked, and printed by three printers with
 * different flag sets (default; -e -vvv -X -S -tttt; -q -xx -ttt --nano),
 * which keep state across packets as pcat -t does.  Nothing is written:
 * pk_printer_format formats into the printer's buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pcapkit/decode.h"
#include "pcapkit/print.h"
#include "pcapkit/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[PK_ERRBUF];
	struct pk_reader *r;
	struct pk_pkthdr h;
	const uint8_t *p;
	struct pk_layers L;
	struct pk_printer *pr[3] = { NULL, NULL, NULL };
	struct pk_print_opts o[3];
	volatile size_t sink = 0;
	unsigned npk = 0;

	r = pk_reader_open_mem(data, size, err);
	if (!r)
		return 0;
	memset(o, 0, sizeof o);
	o[1].eflag = 1; o[1].vflag = 3; o[1].Xflag = 1; o[1].Sflag = 1; o[1].tflag = 4;
	o[2].qflag = 1; o[2].xflag = 2; o[2].tflag = 3; o[2].nano = 1;
	for (int i = 0; i < 3; i++)
		if (!(pr[i] = pk_printer_open(-1, &o[i], err)))
			goto out;
	while (pk_reader_next(r, &h, &p) == 1 && npk++ < 2000) {
		pk_decode(&L, h.linktype, p, h.caplen, h.len);
		sink += (size_t)pk_decode_l4_checksum_ok(&L);
		for (int i = 0; i < 3; i++) {
			size_t n = 0;
			const char *t = pk_printer_format(pr[i], &h, p, &n);

			if (t && n)
				sink += (unsigned char)t[n - 1];
		}
	}
out:
	for (int i = 0; i < 3; i++)
		pk_printer_close(pr[i]);
	pk_reader_close(r);
	(void)sink;
	return 0;
}
