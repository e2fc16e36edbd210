/* fuzz_filter.c — libFuzzer harness: the filter compiler (lexer, parser,
 * code generator, optimizer, validator), disassembler and VM.
 *
 * The input is expression text.  It is compiled for Ethernet with and
 * without the optimizer and for one more link type picked by the text's
 * length; every program that compiles is disassembled (-d, -dd, -ddd) and
 * run over a fixed set of packets, each whole and cut at several lengths,
 * so an out-of-range load must be refused by the VM, not read.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pcapkit/filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Ethernet / IPv4 / TCP SYN 10.0.0.1:40000 > 10.0.0.2:80, with MSS. */
static const uint8_t p_tcp4[] = {
	0,1,2,3,4,5, 6,7,8,9,10,11, 0x08,0x00,
	0x45,0,0,44, 0,1,0x40,0, 64,6,0,0, 10,0,0,1, 10,0,0,2,
	0x9c,0x40,0,80, 0,0,3,0xe8, 0,0,0,0, 0x60,0x02,0xff,0xff, 0,0,0,0,
	2,4,5,0xb4,
};
/* Ethernet / IPv6 / UDP 2001:db8::1:5353 > ff02::fb:53, 4 bytes payload. */
static const uint8_t p_udp6[] = {
	0x33,0x33,0,0,0,0xfb, 6,7,8,9,10,11, 0x86,0xdd,
	0x60,0,0,0, 0,12,17,255,
	0x20,0x01,0x0d,0xb8,0,0,0,0, 0,0,0,0,0,0,0,1,
	0xff,0x02,0,0,0,0,0,0, 0,0,0,0,0,0,0,0xfb,
	0x14,0xe9,0,53, 0,12,0,0, 1,2,3,4,
};
/* Ethernet / 802.1Q 100 / IPv4 / UDP, with IP options (IHL 6). */
static const uint8_t p_vlan[] = {
	0xff,0xff,0xff,0xff,0xff,0xff, 6,7,8,9,10,11, 0x81,0x00, 0x20,100, 0x08,0x00,
	0x46,0,0,36, 0,2,0,0, 1,17,0,0, 192,168,1,1, 192,168,1,255, 0x94,4,0,0,
	0,67,0,68, 0,12,0,0, 9,9,9,9,
};
/* Ethernet / ARP request. */
static const uint8_t p_arp[] = {
	0xff,0xff,0xff,0xff,0xff,0xff, 6,7,8,9,10,11, 0x08,0x06,
	0,1,8,0,6,4,0,1, 6,7,8,9,10,11, 10,0,0,1, 0,0,0,0,0,0, 10,0,0,2,
};
/* Ethernet / IPv4 later fragment of ICMP (offset 185). */
static const uint8_t p_frag[] = {
	0,1,2,3,4,5, 6,7,8,9,10,11, 0x08,0x00,
	0x45,0,0,28, 0,3,0x20,185, 64,1,0,0, 10,0,0,2, 10,0,0,1,
	1,2,3,4,5,6,7,8,
};

static const struct { const uint8_t *p; uint32_t n; } pkts[] = {
	{ p_tcp4, sizeof p_tcp4 }, { p_udp6, sizeof p_udp6 }, { p_vlan, sizeof p_vlan },
	{ p_arp, sizeof p_arp }, { p_frag, sizeof p_frag },
};

static const int other_links[] = { 101, 113, 276, 0, 108, 105, 127, 9, 12, 228, 229 };

static void
exercise(const struct pk_filter *f, int linktype)
{
	static const uint32_t cuts[] = { 0, 1, 13, 14, 18, 20, 34, 38, 54 };
	char buf[4096];
	uint32_t off = linktype == 1 ? 0 : 14;   /* other links: from the IP header */

	for (int lvl = 1; lvl <= 3; lvl++)
		(void)pk_filter_dump(f, lvl, NULL, buf, sizeof buf);
	(void)pk_filter_len(f);
	for (size_t i = 0; i < sizeof pkts / sizeof pkts[0]; i++) {
		uint32_t n = pkts[i].n > off ? pkts[i].n - off : 0;
		/* A copy of exactly CAPLEN bytes, so ASan sees any read past it. */
		for (size_t c = 0; c <= sizeof cuts / sizeof cuts[0]; c++) {
			uint32_t caplen = c < sizeof cuts / sizeof cuts[0] ? cuts[c] : n;
			uint8_t *copy;

			if (caplen > n)
				continue;
			copy = malloc(caplen ? caplen : 1);
			if (!copy)
				return;
			memcpy(copy, pkts[i].p + off, caplen);
			(void)pk_filter_run(f, copy, caplen, n);
			free(copy);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pk_filter_err err;
	struct pk_filter *f;
	char *expr;
	int other;

	if (size > 1 << 16)
		return 0;
	expr = malloc(size + 1);
	if (!expr)
		return 0;
	memcpy(expr, data, size);
	expr[size] = '\0';
	other = other_links[size % (sizeof other_links / sizeof other_links[0])];

	for (int pass = 0; pass < 3; pass++) {
		int lt = pass == 2 ? other : 1;
		unsigned flags = pass == 1 ? PK_FILTER_NOOPT : 0;

		memset(&err, 0, sizeof err);
		f = pk_filter_compile_ex(expr, lt, 262144, flags, &err);
		if (!f) {
			if (!err.msg[0] || err.column > (int)size)
				__builtin_trap();   /* an error says what and where */
			continue;
		}
		exercise(f, lt);
		pk_filter_free(f);
	}
	free(expr);
	return 0;
}
