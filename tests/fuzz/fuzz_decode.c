/* fuzz_decode.c — libFuzzer harness for the decoder and the text printer.
 *
 * Input: byte 0 picks the link type, byte 1 the printer options (-e -v -x
 * -X -S -q, time styles), the rest is one packet given to pk_decode(),
 * pk_decode_l4_checksum_ok() and pk_printer_format() with caplen = len and
 * with a shorter wire length, so truncation paths are reached too.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pcapkit/decode.h"
#include "pcapkit/packet.h"
#include "pcapkit/print.h"

static const int links[] = {
	PK_LINK_EN10MB, PK_LINK_LINUX_SLL, PK_LINK_LINUX_SLL2, PK_LINK_RAW, PK_LINK_RAW_OLD12,
	PK_LINK_RAW_OLD14, PK_LINK_IPV4, PK_LINK_IPV6, PK_LINK_NULL, PK_LINK_LOOP,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pk_printer *pr[16];
	struct pk_layers L;
	struct pk_pkthdr h;
	const uint8_t *pkt;
	uint32_t n;
	unsigned sel;
	size_t tlen;
	char err[256];

	if (size < 2 || size > 65536 + 2)
		return 0;
	pkt = data + 2;
	n = (uint32_t)(size - 2);
	h.linktype = links[data[0] % (sizeof links / sizeof links[0])];
	sel = data[1] & 15;
	if (!pr[sel]) {
		struct pk_print_opts o;

		memset(&o, 0, sizeof o);
		o.eflag = sel & 1;
		o.vflag = (sel >> 1) & 1;
		o.xflag = (sel >> 2) & 1;
		o.Xflag = (sel >> 3) & 1;
		o.Sflag = sel == 5;
		o.qflag = sel == 6;
		o.tflag = sel % 6;
		pr[sel] = pk_printer_open(-1, &o, err);
		if (!pr[sel])
			return 0;
	}
	pk_decode(&L, h.linktype, pkt, n, n);
	(void)pk_decode_l4_checksum_ok(&L);
	pk_decode(&L, h.linktype, pkt, n, n + (data[1] >> 4) * 100u);
	h.sec = 1700000000 + (int64_t)(data[1] & 7);
	h.nsec = 123456789;
	h.caplen = n;
	h.len = n + (data[1] >> 4) * 100u;
	h.ifindex = 0;
	(void)pk_printer_format(pr[sel], &h, pkt, &tlen);
	h.len = n;
	(void)pk_printer_format(pr[sel], &h, pkt, &tlen);
	return 0;
}
