/* fuzz_filter.c — libFuzzer harness for the filter compiler and VM.
 *
 * Input: byte 0 picks the link type and the flags (optimizer off, NULL byte
 * order), the rest is the expression text (cut at 2048 bytes so the
 * optimizer's quadratic passes stay fast).  A compiled program is dumped in
 * the three formats and run over a fixed set of packets at every caplen
 * from 0 to the full length, so the bounds checks are exercised; the
 * translated interpreter pk_filter_run uses (xvm.c) must return what the
 * reference bpf_run (vm.c) returns for the same program, else abort.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/filter/fint.h"
#include "pcapkit/filter.h"
#include "pcapkit/packet.h"

static const int links[] = {
	PK_LINK_EN10MB, PK_LINK_LINUX_SLL, PK_LINK_LINUX_SLL2, PK_LINK_RAW, PK_LINK_RAW_OLD12,
	PK_LINK_RAW_OLD14, PK_LINK_IPV4, PK_LINK_IPV6, PK_LINK_NULL, PK_LINK_LOOP,
};

/* Ethernet + IPv4 + TCP SYN to port 80; Ethernet + VLAN + IPv6 + UDP 53. */
static const uint8_t p1[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
	0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0,
};
static const uint8_t p2[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 6, 7, 8, 9, 10, 11, 0x81, 0x00, 0x00, 0x64, 0x86, 0xdd,
	0x60, 0, 0, 0, 0, 8, 17, 64,
	0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	0, 53, 0, 53, 0, 8, 0, 0,
};
/* Raw IPv4 with IHL 15 and an AH header (protochain walks). */
static const uint8_t p3[] = {
	0x4f, 0, 0, 80, 0, 1, 0x20, 0, 64, 51, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	6, 1, 0, 0, 0, 0, 0, 0,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[8192];
	if (size < 1)
		return 0;
	size_t n = size - 1 > 2048 ? 2048 : size - 1;
	char *expr = malloc(n + 1);
	if (!expr)
		return 0;
	memcpy(expr, data + 1, n);
	expr[n] = '\0';
	unsigned flags = (data[0] & 0x40 ? PK_FILTER_NOOPT : 0) | (data[0] & 0x80 ? PK_FILTER_NULL_BE : 0);
	struct pk_filter_err err;
	struct pk_filter *f = pk_filter_compile_ex(expr, links[(data[0] & 0x3f) % 10], 262144, flags, &err);
	if (f) {
		for (int lvl = 1; lvl <= 3; lvl++)
			pk_filter_dump(f, lvl, NULL, buf, sizeof buf);
		const uint8_t *pk[] = { p1, p2, p3 };
		const uint32_t len[] = { sizeof p1, sizeof p2, sizeof p3 };
		unsigned np;
		const struct bpf_insn *prog = bpf_prog_of(f, &np);
		for (int i = 0; i < 3; i++)
			for (uint32_t c = 0; c <= len[i]; c++)
				if (pk_filter_run(f, pk[i], c, len[i]) != bpf_run(prog, np, pk[i], c, len[i]))
					abort();   /* the translated VM disagrees with the reference */
	} else if (!err.msg[0] || err.column < -1) {
		abort();   /* an error must say what and where */
	}
	pk_filter_free(f);
	free(expr);
	return 0;
}
