/* test_csum.c — the fast Internet checksum against a slow reference (RFC 1071). */
#include <stdint.h>
#include <stdlib.h>

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

UNIT_MAIN(U(rfc1071_example), U(random_small), U(random_large))
