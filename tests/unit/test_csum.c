/* test_csum.c — the fast Internet checksum against a slow reference (RFC 1071). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pcapkit/decode.h"
#include "unit.h"

/* The textbook loop of RFC 1071 section 4.1: 16 bits at a time, big-endian
 * words, a trailing odd byte padded with zero, end-around carry. */
static uint16_t
ref_sum(const uint8_t *p, uint32_t n)
{
	uint32_t sum = 0, i;

	for (i = 0; i + 1 < n; i += 2) {
		sum += (uint32_t)p[i] << 8 | p[i + 1];
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (n & 1) {
		sum += (uint32_t)p[n - 1] << 8;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)sum;
}

/* A small deterministic generator (xorshift32), so failures repeat. */
static uint32_t rng = 0x2545f491u;
static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void
fill(uint8_t *b, size_t n, int mode)
{
	for (size_t i = 0; i < n; i++)
		b[i] = mode == 0 ? (uint8_t)rnd() : mode == 1 ? 0xff : mode == 2 ? 0 :
		       (uint8_t)(rnd() & 1 ? 0xff : rnd());
}

/* RFC 1071 section 3 worked example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2. */
static void
rfc1071_example(void)
{
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	CHECK_EQ_INT(pk_inet_sum(b, sizeof b), 0xddf2);
	CHECK_EQ_INT(ref_sum(b, sizeof b), 0xddf2);
	CHECK_EQ_INT(pk_inet_sum(b, 0), 0);
	CHECK_EQ_INT(pk_inet_sum(b, 1), 0x0000);
	CHECK_EQ_INT(pk_inet_sum(b + 2, 1), 0xf200);
}

/* Every length 0..600 at every alignment 0..15, random, all-ones, all-zero
 * and mostly-ones data (the last stresses carries). */
static void
random_small(void)
{
	static uint8_t buf[640];
	int bad = 0;

	for (int mode = 0; mode < 4; mode++)
		for (uint32_t n = 0; n <= 600; n++)
			for (uint32_t a = 0; a < 16; a++) {
				fill(buf, sizeof buf, mode);
				if (pk_inet_sum(buf + a, n) != ref_sum(buf + a, n) && bad++ < 5)
					fprintf(stderr, "# mode %d len %u align %u: %04x vs %04x\n",
					        mode, n, a, pk_inet_sum(buf + a, n), ref_sum(buf + a, n));
			}
	CHECK_EQ_INT(bad, 0);
}

/* Large buffers up to the largest IPv6 jumbo-free L4 length (65535 + 40). */
static void
random_large(void)
{
	size_t cap = 65575 + 16;
	uint8_t *buf = malloc(cap);
	int bad = 0;

	CHECK(buf != NULL);
	if (!buf)
		return;
	for (int i = 0; i < 400; i++) {
		uint32_t n = i < 8 ? 65575 - (uint32_t)i : rnd() % 65576;
		uint32_t a = rnd() % 16;
		fill(buf, cap, i % 4);
		if (pk_inet_sum(buf + a, n) != ref_sum(buf + a, n))
			bad++;
	}
	free(buf);
	CHECK_EQ_INT(bad, 0);
}

/* The transport check of a decoded packet against the RFC 1071 loop over a
 * pseudo-header laid out byte by byte as RFC 9293 section 3.1 (IPv4) and
 * RFC 8200 section 8.1 (IPv6) draw it, for TCP and UDP segments of every
 * length 0..300 (and some up to 9000) in raw IPv4 and IPv6 packets, each
 * with its right checksum and then with one random bit flipped. */
static uint16_t
ref_l4(const uint8_t *ip, int v6, const uint8_t *l4, uint32_t n, uint8_t proto)
{
	uint8_t ph[40 + 9000 + 20];
	uint32_t al = v6 ? 16 : 4, k = 0;

	memcpy(ph + k, ip + (v6 ? 8 : 12), 2 * al);
	k += 2 * al;
	if (v6) {
		ph[k++] = (uint8_t)(n >> 24);
		ph[k++] = (uint8_t)(n >> 16);
		ph[k++] = (uint8_t)(n >> 8);
		ph[k++] = (uint8_t)n;
		ph[k++] = 0; ph[k++] = 0; ph[k++] = 0;
		ph[k++] = proto;
	} else {
		ph[k++] = 0;
		ph[k++] = proto;
		ph[k++] = (uint8_t)(n >> 8);
		ph[k++] = (uint8_t)n;
	}
	memcpy(ph + k, l4, n);
	return ref_sum(ph, k + n);
}

static int
l4_case(int v6, uint8_t proto, uint32_t n, int flip)
{
	static uint8_t pkt[40 + 9000 + 8];
	uint32_t hl = v6 ? 40 : 20, so = proto == 6 ? 16 : 6;
	struct pk_layers L;
	uint16_t c;

	fill(pkt, sizeof pkt, 0);
	if (v6) {
		pkt[0] = 0x60;
		pkt[4] = (uint8_t)(n >> 8);
		pkt[5] = (uint8_t)n;
		pkt[6] = proto;
	} else {
		uint32_t tot = hl + n;

		pkt[0] = 0x45;
		pkt[2] = (uint8_t)(tot >> 8);
		pkt[3] = (uint8_t)tot;
		pkt[6] = pkt[7] = 0;   /* no fragment */
		pkt[9] = proto;
		pkt[10] = pkt[11] = 0;
		c = (uint16_t)~ref_sum(pkt, 20);
		pkt[10] = (uint8_t)(c >> 8);
		pkt[11] = (uint8_t)c;
	}
	if (proto == 6)
		pkt[hl + 12] = 0x50;   /* data offset 5 */
	else {
		pkt[hl + 4] = (uint8_t)(n >> 8);
		pkt[hl + 5] = (uint8_t)n;
	}
	pkt[hl + so] = pkt[hl + so + 1] = 0;
	c = (uint16_t)~ref_l4(pkt, v6, pkt + hl, n, proto);
	if (proto == 17 && c == 0)
		c = 0xffff;   /* RFC 768: 0 means none sent */
	pkt[hl + so] = (uint8_t)(c >> 8);
	pkt[hl + so + 1] = (uint8_t)c;
	if (flip) {
		uint32_t bit = rnd() % (n * 8);

		if (proto == 6 && bit / 8 == 12)
			bit += 8;   /* not the data offset: the segment must still decode */

		pkt[hl + bit / 8] ^= (uint8_t)(1u << bit % 8);
	}
	pk_decode(&L, 101, pkt, hl + n, hl + n);
	return pk_decode_l4_checksum_ok(&L);
}

static void
transport(void)
{
	int bad = 0;

	for (int v6 = 0; v6 < 2; v6++)
		for (int tcp = 0; tcp < 2; tcp++)
			for (uint32_t i = 0; i < 340; i++) {
				uint32_t n = i <= 300 ? i : 300 + rnd() % 8700;
				uint8_t proto = tcp ? 6 : 17;

				if (n < (tcp ? 20u : 8u))
					continue;
				if (l4_case(v6, proto, n, 0) != 1 && bad++ < 5)
					fprintf(stderr, "# v6 %d proto %u len %u: good sum rejected\n", v6, proto, n);
				/* A flipped bit always changes the sum (one word moves by
				 * a power of two), except 0x0000 <-> 0xffff, which the
				 * sender never produces here. */
				if (l4_case(v6, proto, n, 1) != 0 && bad++ < 5)
					fprintf(stderr, "# v6 %d proto %u len %u: bad sum accepted\n", v6, proto, n);
			}
	CHECK_EQ_INT(bad, 0);
}

UNIT_MAIN(U(rfc1071_example), U(random_small), U(random_large), U(transport))
