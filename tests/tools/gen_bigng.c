/* gen_bigng.c — write a large pcapng whose blocks cross every read boundary.
 *
 * Usage: gen_bigng OUT MIB
 * Writes about MIB MiB of little-endian pcapng (one SHB, one Ethernet IDB,
 * tsresol 9): UDP packets of 60 to 1514 bytes in EPBs, and at fixed
 * intervals blocks meant to stress the reader's buffering (reader.c):
 *   every 2000th packet  an EPB of the largest caplen, 262144 bytes (a
 *                        1514-byte frame padded with filler bytes);
 *   every 3001st packet  an EPB of 1000 bytes carrying comment options
 *                        that make the block 300 KiB, 1 MiB or 5 MiB long;
 *   every 5003rd packet  an unknown (custom, 0x40000BAD) block of 700 KiB,
 *                        which readers skip;
 *   every 7919th packet  an SPB;
 * and an ISB at the end.  The same arguments always give the same bytes.
 * Printed on stdout: "packets N" (the number of packet blocks written), for
 * tests to compare with capinfos and our tools.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../testdata/pktbuild.h"

static uint64_t rng = 7;

static uint32_t
rnd(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng >> 33);
}

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* An EPB of a 1000-byte packet followed by comment options, TOTAL bytes of
 * block body in all (pcapng §4.3; options §3.5, each at most 65535 bytes). */
static void
fat_epb(struct pb_out *o, uint64_t ticks, const struct pb *b, size_t total)
{
	uint8_t *body = calloc(1, total + 65536);
	size_t n = 20, caplen = b->len;

	if (!body) {
		perror("gen_bigng");
		exit(1);
	}
	le32(body, 0);
	le32(body + 4, (uint32_t)(ticks >> 32));
	le32(body + 8, (uint32_t)ticks);
	le32(body + 12, (uint32_t)caplen);
	le32(body + 16, (uint32_t)caplen);
	memcpy(body + n, b->d, caplen);
	n += (caplen + 3) / 4 * 4;
	while (n + 4 + 60000 + 4 <= total) {
		body[n] = 1;                    /* opt_comment */
		body[n + 2] = (uint8_t)(60000 & 0xff);
		body[n + 3] = (uint8_t)(60000 >> 8);
		memset(body + n + 4, 'a' + (int)(n % 26), 60000);
		n += 4 + 60000;
	}
	n += 4;                                 /* opt_endofopt */
	pb_ng_block(o, 6, body, n);
	free(body);
}

int
main(int argc, char **argv)
{
	static const size_t fat[] = { 300 << 10, 1 << 20, 5 << 20 };
	static uint8_t custom[700 << 10], jumbo[262144];
	struct pb_out *o;
	struct pb b;
	uint64_t want, bytes = 0, packets = 0, t_ns = 0;
	const int64_t t0 = 1714564800;
	unsigned nfat = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: gen_bigng OUT MIB\n");
		return 2;
	}
	want = strtoull(argv[2], NULL, 10) << 20;
	o = pb_out_pcapng(argv[1], 0);
	pb_ng_shb(o, NULL, NULL, NULL, "gen_bigng");
	pb_ng_idb(o, PK_LINK_EN10MB, 262144, 9, 0, "big0");
	memset(custom, 0x5a, sizeof custom);
	le32(custom, 0x7fffffff);               /* private enterprise number */
	for (uint64_t i = 1; bytes < want; i++) {
		uint64_t ticks = pb_ng_ticks(t0 + (int64_t)(t_ns / 1000000000u),
		    (uint32_t)(t_ns % 1000000000u), 9, 0);
		size_t pay = i % 2000 == 0 ? 1514 - 42 : i % 3001 == 0 ? 1000 - 42
		           : 18 + rnd() % 1455;

		pb_begin(&b, PK_LINK_EN10MB);
		pb_ipv4(&b, &(struct pb_ip4){ .src = "10.1.0.1", .dst = "10.2.0.2",
		    .id = (uint16_t)i });
		pb_udp(&b, (uint16_t)(1024 + i % 50000), 9);
		pb_fill(&b, pay, (uint8_t)rnd());
		pb_finish(&b);
		if (i % 3001 == 0) {
			size_t total = fat[nfat++ % 3];

			fat_epb(o, ticks, &b, total);
			bytes += total + 12;
		} else if (i % 2000 == 0) {
			memset(jumbo, (int)(i & 0xff), sizeof jumbo);
			memcpy(jumbo, b.d, b.len);
			pb_ng_epb(o, 0, ticks, jumbo, sizeof jumbo, sizeof jumbo, NULL);
			bytes += 32 + sizeof jumbo;
		} else if (i % 7919 == 0) {
			pb_ng_spb(o, b.d, (uint32_t)b.len, (uint32_t)b.len);
			bytes += 16 + b.len + 3;
		} else {
			pb_ng_epb(o, 0, ticks, b.d, (uint32_t)b.len, (uint32_t)b.len, NULL);
			bytes += 32 + b.len + 3;
		}
		packets++;
		if (i % 5003 == 0) {
			pb_ng_block(o, 0x40000BAD, custom, sizeof custom);
			bytes += sizeof custom + 12;
		}
		t_ns += 20000;
	}
	pb_ng_isb(o, 0, pb_ng_ticks(t0 + (int64_t)(t_ns / 1000000000u), 0, 9, 0), 0);
	pb_close(o);
	printf("packets %llu\n", (unsigned long long)packets);
	return 0;
}
