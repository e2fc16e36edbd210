/* test_decode_shim.c — pk_decode() through PPPoE sessions and MPLS label stacks.
 *
 * Packets are written byte by byte; offsets come from RFC 2516 section 4
 * (PPPoE: ver/type, code, session id, length, then the PPP protocol of RFC
 * 1661) and RFC 3032 section 2.1 (MPLS: label 20 bits, TC 3, S 1, TTL 8).
 */
#include <stdint.h>
#include <string.h>

#include "pcapkit/decode.h"
#include "pcapkit/packet.h"
#include "unit.h"

/* IPv4 + UDP 10.0.0.1:5000 -> 10.0.0.2:53, 4 bytes of payload. */
static const uint8_t ip_udp[] = {
	0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
	10, 0, 0, 1, 10, 0, 0, 2,
	0x13, 0x88, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00, 'a', 'b', 'c', 'd',
};

/* IPv6 + UDP ::1 -> ::2, ports 1000 -> 2000, no payload. */
static const uint8_t ip6_udp[] = {
	0x60, 0, 0, 0, 0x00, 0x08, 17, 64,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	0x03, 0xe8, 0x07, 0xd0, 0x00, 0x08, 0x00, 0x00,
};

static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };

static size_t
build(uint8_t *b, const uint8_t *shim, size_t nshim, uint16_t et, const uint8_t *ip, size_t nip)
{
	memcpy(b, macs, 12);
	b[12] = (uint8_t)(et >> 8);
	b[13] = (uint8_t)et;
	memcpy(b + 14, shim, nshim);
	memcpy(b + 14 + nshim, ip, nip);
	return 14 + nshim + nip;
}

static void
pppoe_session(void)
{
	/* ver 1 type 1, code 0 (session data), session 0x1234, length 34, PPP 0x0021 */
	static const uint8_t s4[] = { 0x11, 0x00, 0x12, 0x34, 0x00, 0x22, 0x00, 0x21 };
	static const uint8_t s6[] = { 0x11, 0x00, 0x12, 0x34, 0x00, 0x32, 0x00, 0x57 };
	static const uint8_t lcp[] = { 0x11, 0x00, 0x12, 0x34, 0x00, 0x22, 0xc0, 0x21 };
	uint8_t b[128];
	size_t n;
	struct pk_layers L;

	n = build(b, s4, sizeof s4, 0x8864, ip_udp, sizeof ip_udp);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, b, (uint32_t)n, (uint32_t)n), PK_DEC_OK);
	CHECK_EQ_INT(L.ethertype, 0x8864);          /* the outer type stays */
	CHECK_EQ_INT(L.l3_off, 22);
	CHECK(L.have & PK_HAVE_IPV4);
	CHECK(L.have & PK_HAVE_UDP);
	CHECK_EQ_INT(L.sport, 5000);
	CHECK_EQ_INT(L.dport, 53);
	CHECK_EQ_INT(L.ip_wire_len, 32);

	n = build(b, s6, sizeof s6, 0x8864, ip6_udp, sizeof ip6_udp);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, b, (uint32_t)n, (uint32_t)n), PK_DEC_OK);
	CHECK(L.have & PK_HAVE_IPV6);
	CHECK_EQ_INT(L.dport, 2000);

	/* LCP (0xc021) carries no IP. */
	n = build(b, lcp, sizeof lcp, 0x8864, ip_udp, sizeof ip_udp);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, b, (uint32_t)n, (uint32_t)n), PK_DEC_UNSUPPORTED);
	CHECK(!(L.have & PK_HAVE_IPV4));

	/* Session header cut after 7 of its 8 bytes. */
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, b, 21, 60), PK_DEC_TRUNC);

	/* PPPoE discovery (0x8863) is not looked into. */
	n = build(b, s4, sizeof s4, 0x8863, ip_udp, sizeof ip_udp);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, b, (uint32_t)n, (uint32_t)n), PK_DEC_UNSUPPORTED);
}

static void
mpls_stack(void)
{
	/* label 16 (S=0), label 17 (S=1, TTL 64): 00 01 00 40 / 00 01 11 40 */
	static const uint8_t two[] = { 0x00, 0x01, 0x00, 0x40, 0x00, 0x01, 0x11, 0x40 };
	static const uint8_t one[] = { 0x00, 0x01, 0x01, 0x40 };
	uint8_t b[128];
	size_t n;
	struct pk_layers L;

	n = build(b, two, sizeof two, 0x8847, ip_udp, sizeof ip_udp);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, b, (uint32_t)n, (uint32_t)n), PK_DEC_OK);
	CHECK_EQ_INT(L.ethertype, 0x8847);
	CHECK_EQ_INT(L.l3_off, 22);
	CHECK(L.have & PK_HAVE_UDP);
	CHECK_EQ_INT(L.ip_src[3], 1);

	n = build(b, one, sizeof one, 0x8848, ip6_udp, sizeof ip6_udp);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, b, (uint32_t)n, (uint32_t)n), PK_DEC_OK);
	CHECK_EQ_INT(L.l3_off, 18);
	CHECK(L.have & PK_HAVE_IPV6);

	/* Stack without a bottom entry inside the capture: truncated. */
	n = build(b, two, 4, 0x8847, two, 4);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, b, (uint32_t)n, (uint32_t)n), PK_DEC_TRUNC);

	/* Bottom of stack followed by a non-IP nibble (pseudowire control word 0). */
	n = build(b, one, sizeof one, 0x8847, (const uint8_t *)"\0\0\0\0", 4);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, b, (uint32_t)n, (uint32_t)n), PK_DEC_UNSUPPORTED);

	/* Under an 802.1Q tag. */
	{
		static const uint8_t tagged[] = { 0x00, 0x07, 0x88, 0x47, 0x00, 0x01, 0x01, 0x40 };

		n = build(b, tagged, sizeof tagged, 0x8100, ip_udp, sizeof ip_udp);
		CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, b, (uint32_t)n, (uint32_t)n), PK_DEC_OK);
		CHECK_EQ_INT(L.n_vlan, 1);
		CHECK_EQ_INT(L.l3_off, 22);
		CHECK(L.have & PK_HAVE_UDP);
	}
}

UNIT_MAIN(U(pppoe_session), U(mpls_stack))
