/* test_decode.c — unit tests for pk_decode() on packets written out byte by byte.
 *
 * Expected values are read off the bytes by hand (field offsets from the
 * RFCs cited in lib/decode.c); checksums were computed by hand with RFC 1071.
 */
#include <stdint.h>
#include <string.h>

#include "pcapkit/decode.h"
#include "pcapkit/packet.h"
#include "unit.h"

/* Ethernet + IPv4 + TCP SYN with mss 1460, sackOK, TS, nop, wscale 7
 * 10.0.0.1:40000 -> 10.0.0.2:80, seq 1000, IP total length 60. */
static const uint8_t eth_tcp_syn[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	10, 0, 0, 1, 10, 0, 0, 2,
	0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00,
	0xa0, 0x02, 0xfa, 0xf0, 0x00, 0x00, 0x00, 0x00,
	0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};

static void
eth_ipv4_tcp(void)
{
	struct pk_layers L;

	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, eth_tcp_syn, sizeof eth_tcp_syn,
	    sizeof eth_tcp_syn), PK_DEC_OK);
	CHECK(L.have & PK_HAVE_IPV4);
	CHECK(L.have & PK_HAVE_TCP);
	CHECK_EQ_INT(L.ethertype, 0x0800);
	CHECK_EQ_INT(L.l3_off, 14);
	CHECK_EQ_INT(L.ip_hlen, 20);
	CHECK_EQ_INT(L.ip_len, 60);
	CHECK_EQ_INT(L.ip_id, 0x1234);
	CHECK_EQ_INT(L.frag_df, 1);
	CHECK_EQ_INT(L.ip_ttl, 64);
	CHECK_EQ_INT(L.ip_src[3], 1);
	CHECK_EQ_INT(L.sport, 40000);
	CHECK_EQ_INT(L.dport, 80);
	CHECK_EQ_INT(L.tcp_seq, 1000);
	CHECK_EQ_INT(L.tcp_flags, PK_TH_SYN);
	CHECK_EQ_INT(L.tcp_hlen, 40);
	CHECK_EQ_INT(L.tcp_win, 64240);
	CHECK_EQ_INT(L.opt_mss_set, 1);
	CHECK_EQ_INT(L.opt_mss, 1460);
	CHECK_EQ_INT(L.opt_sackok, 1);
	CHECK_EQ_INT(L.opt_ts_set, 1);
	CHECK_EQ_INT(L.opt_ts_val, 1);
	CHECK_EQ_INT(L.opt_ws_set, 1);
	CHECK_EQ_INT(L.opt_ws, 7);
	CHECK_EQ_INT(L.payload_off, 14 + 20 + 40);
	CHECK_EQ_INT(L.payload_len, 0);
}

static void
truncated_tcp(void)
{
	struct pk_layers L;

	/* Cut in the middle of the TCP header (snap length 40). */
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, eth_tcp_syn, 40, sizeof eth_tcp_syn),
	    PK_DEC_TRUNC);
	CHECK_EQ_INT(L.stop, PK_HAVE_TCP);
	CHECK(L.have & PK_HAVE_IPV4);
	CHECK(!(L.have & PK_HAVE_TCP));
	/* Cut inside the Ethernet header. */
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, eth_tcp_syn, 10, sizeof eth_tcp_syn),
	    PK_DEC_TRUNC);
	CHECK_EQ_INT(L.stop, 0);
	/* Every prefix decodes without reading past it (ASan build checks). */
	for (uint32_t n = 0; n <= sizeof eth_tcp_syn; n++) {
		uint8_t copy[sizeof eth_tcp_syn];

		memcpy(copy, eth_tcp_syn, n);
		pk_decode(&L, PK_LINK_EN10MB, copy, n, sizeof eth_tcp_syn);
		CHECK(L.status == PK_DEC_OK || n < sizeof eth_tcp_syn);
	}
}

static void
bad_ihl(void)
{
	uint8_t p[sizeof eth_tcp_syn];
	struct pk_layers L;

	memcpy(p, eth_tcp_syn, sizeof p);
	p[14] = 0x44;   /* IHL 4 words = 16 bytes < 20 */
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, p, sizeof p, sizeof p), PK_DEC_MALFORMED);
	CHECK_EQ_INT(L.stop, PK_HAVE_IPV4);
	memcpy(p, eth_tcp_syn, sizeof p);
	p[16] = 0; p[17] = 10;  /* total length 10 < header length */
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, p, sizeof p, sizeof p), PK_DEC_MALFORMED);
}

static void
vlan_qinq(void)
{
	/* 802.1ad S-tag vlan 200, 802.1Q C-tag vlan 2001, then ARP request
	 * who-has 10.0.0.2 tell 10.0.0.1. */
	static const uint8_t p[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
		0x88, 0xa8, 0x00, 0xc8, 0x81, 0x00, 0x07, 0xd1, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 10, 0, 0, 1,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10, 0, 0, 2,
	};
	struct pk_layers L;

	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, p, sizeof p, sizeof p), PK_DEC_OK);
	CHECK_EQ_INT(L.n_vlan, 2);
	CHECK_EQ_INT(L.vlan_tpid[0], 0x88a8);
	CHECK_EQ_INT(L.vlan_tci[0] & 0xfff, 200);
	CHECK_EQ_INT(L.vlan_tci[1] & 0xfff, 2001);
	CHECK_EQ_INT(L.l2_len, 22);
	CHECK(L.have & PK_HAVE_ARP);
	CHECK_EQ_INT(L.arp_op, 1);
	CHECK_EQ_INT(L.arp_tpa[3], 2);
	/* 0x9100 tag too. */
	uint8_t q[sizeof p];
	memcpy(q, p, sizeof q);
	q[12] = 0x91; q[13] = 0x00;
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_EN10MB, q, sizeof q, sizeof q), PK_DEC_OK);
	CHECK_EQ_INT(L.vlan_tpid[0], 0x9100);
	CHECK(L.have & PK_HAVE_ARP);
}

/* IPv4 UDP 192.168.1.1:53 -> 192.168.1.2:1234, 4 payload bytes; checksums by hand. */
static const uint8_t ip_udp[] = {
	0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0xf7, 0x78,
	192, 168, 1, 1, 192, 168, 1, 2,
	0x00, 0x35, 0x04, 0xd2, 0x00, 0x0c, 0x00, 0x00, 'a', 'b', 'c', 'd',
};

static void
raw_and_null(void)
{
	struct pk_layers L;
	uint8_t buf[4 + sizeof ip_udp];

	CHECK_EQ_INT(pk_decode(&L, PK_LINK_RAW, ip_udp, sizeof ip_udp, sizeof ip_udp), PK_DEC_OK);
	CHECK(L.have & PK_HAVE_UDP);
	CHECK_EQ_INT(L.sport, 53);
	CHECK_EQ_INT(L.dport, 1234);
	CHECK_EQ_INT(L.udp_len, 12);
	CHECK_EQ_INT(L.payload_len, 4);
	CHECK_EQ_INT(L.l2_len, 0);
	int lts[] = { PK_LINK_RAW_OLD12, PK_LINK_RAW_OLD14, PK_LINK_IPV4 };
	for (size_t i = 0; i < 3; i++) {
		CHECK_EQ_INT(pk_decode(&L, lts[i], ip_udp, sizeof ip_udp, sizeof ip_udp), PK_DEC_OK);
		CHECK(L.have & PK_HAVE_UDP);
	}
	/* NULL, AF_INET=2 little-endian, then big-endian; LOOP both ways. */
	memcpy(buf + 4, ip_udp, sizeof ip_udp);
	memcpy(buf, "\x02\0\0\0", 4);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_NULL, buf, sizeof buf, sizeof buf), PK_DEC_OK);
	CHECK_EQ_INT(L.null_af, 2);
	CHECK(L.have & PK_HAVE_UDP);
	memcpy(buf, "\0\0\0\x02", 4);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_NULL, buf, sizeof buf, sizeof buf), PK_DEC_OK);
	CHECK(L.have & PK_HAVE_UDP);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_LOOP, buf, sizeof buf, sizeof buf), PK_DEC_OK);
	CHECK(L.have & PK_HAVE_UDP);
	memcpy(buf, "\x02\0\0\0", 4);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_LOOP, buf, sizeof buf, sizeof buf), PK_DEC_OK);
	CHECK(L.have & PK_HAVE_UDP);
	CHECK_EQ_INT(L.l3_off, 4);
}

static void
checksums(void)
{
	struct pk_layers L;
	uint8_t p[sizeof ip_udp];

	pk_decode(&L, PK_LINK_RAW, ip_udp, sizeof ip_udp, sizeof ip_udp);
	/* UDP checksum 0: "none sent" counts as good over IPv4. */
	CHECK_EQ_INT(pk_decode_l4_checksum_ok(&L), 1);
	memcpy(p, ip_udp, sizeof p);
	/* The correct UDP checksum, by hand (RFC 768 pseudo-header):
	 * c0a8+0101+c0a8+0102+0011+000c + 0035+04d2+000c+0000+6162+6364
	 * = 0x24d49 -> folded 0x4d4b -> complement 0xb2b4. */
	p[26] = 0xb2; p[27] = 0xb4;
	pk_decode(&L, PK_LINK_RAW, p, sizeof p, sizeof p);
	CHECK_EQ_INT(pk_decode_l4_checksum_ok(&L), 1);
	p[26] = 0x00; p[27] = 0x01;   /* a wrong value */
	pk_decode(&L, PK_LINK_RAW, p, sizeof p, sizeof p);
	CHECK_EQ_INT(pk_decode_l4_checksum_ok(&L), 0);
	/* Bad IPv4 header checksum. */
	memcpy(p, ip_udp, sizeof p);
	p[10] = 0;
	pk_decode(&L, PK_LINK_RAW, p, sizeof p, sizeof p);
	CHECK_EQ_INT(pk_decode_l4_checksum_ok(&L), 0);
}

static void
sll_and_sll2(void)
{
	uint8_t sll[16 + sizeof ip_udp], sll2[20 + sizeof ip_udp];
	struct pk_layers L;

	memset(sll, 0, 16);
	sll[1] = 4;                 /* outgoing */
	sll[14] = 0x08;             /* protocol IPv4 */
	memcpy(sll + 16, ip_udp, sizeof ip_udp);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_LINUX_SLL, sll, sizeof sll, sizeof sll), PK_DEC_OK);
	CHECK_EQ_INT(L.sll_pkttype, 4);
	CHECK_EQ_INT(L.l3_off, 16);
	CHECK(L.have & PK_HAVE_UDP);
	memset(sll2, 0, 20);
	sll2[0] = 0x08;
	sll2[10] = 4;
	memcpy(sll2 + 20, ip_udp, sizeof ip_udp);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_LINUX_SLL2, sll2, sizeof sll2, sizeof sll2), PK_DEC_OK);
	CHECK_EQ_INT(L.sll_pkttype, 4);
	CHECK_EQ_INT(L.l3_off, 20);
	CHECK(L.have & PK_HAVE_UDP);
}

/* IPv6 with hop-by-hop (8 bytes), then a fragment header (offset 0, M set),
 * then ICMPv6 echo request id 7 seq 9. */
static const uint8_t ip6_ext[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x18, 0x00, 0x40,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	44, 0, 1, 0, 0, 0, 0, 0,                 /* HBH: next=frag, len 0, PadN */
	58, 0, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef,  /* frag: next=ICMPv6, off 0, M */
	128, 0, 0x00, 0x00, 0x00, 0x07, 0x00, 0x09,
};

static void
ipv6_ext(void)
{
	struct pk_layers L;
	uint8_t p[sizeof ip6_ext];

	CHECK_EQ_INT(pk_decode(&L, PK_LINK_RAW, ip6_ext, sizeof ip6_ext, sizeof ip6_ext), PK_DEC_OK);
	CHECK(L.have & PK_HAVE_IPV6);
	CHECK(L.have & PK_HAVE_IPEXT);
	CHECK(L.have & PK_HAVE_FRAG);
	CHECK(L.have & PK_HAVE_ICMP6);
	CHECK_EQ_INT(L.n_ipext, 2);
	CHECK_EQ_INT(L.ipext[0], 0);
	CHECK_EQ_INT(L.ipext[1], 44);
	CHECK_EQ_INT(L.frag_more, 1);
	CHECK_EQ_INT(L.frag_id, 0xdeadbeef);
	CHECK_EQ_INT(L.ip_proto, 58);
	CHECK_EQ_INT(L.l4_off, 56);
	CHECK_EQ_INT(L.icmp_type, 128);
	CHECK_EQ_INT(L.icmp_id, 7);
	CHECK_EQ_INT(L.icmp_seq, 9);
	CHECK_EQ_INT(L.ip_len, 64);
	/* A hop-by-hop header whose length runs past the end stops safely. */
	memcpy(p, ip6_ext, sizeof p);
	p[41] = 200;
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_RAW, p, sizeof p, sizeof p), PK_DEC_TRUNC);
	CHECK_EQ_INT(L.stop, PK_HAVE_IPEXT);
	/* A chain of nothing but extension headers ends without a transport. */
	memcpy(p, ip6_ext, sizeof p);
	p[48] = 60;     /* fragment's next = dstopts */
	p[56] = 60;     /* "dstopts" (the ICMPv6 bytes) says next = dstopts, len 0 */
	p[57] = 0;
	CHECK(pk_decode(&L, PK_LINK_RAW, p, sizeof p, sizeof p) != PK_DEC_OK);
}

static void
icmp_error_inner(void)
{
	/* ICMP port unreachable quoting the IPv4/UDP header of ip_udp. */
	uint8_t p[20 + 8 + 28];
	struct pk_layers L;

	memcpy(p, "\x45\x00\x00\x38\x00\x02\x00\x00\x40\x01\x00\x00"
	    "\xc0\xa8\x01\x02\xc0\xa8\x01\x01", 20);
	memcpy(p + 20, "\x03\x03\x00\x00\x00\x00\x00\x00", 8);
	memcpy(p + 28, ip_udp, 28);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_RAW, p, sizeof p, sizeof p), PK_DEC_OK);
	CHECK(L.have & PK_HAVE_ICMP);
	CHECK_EQ_INT(L.icmp_type, 3);
	CHECK_EQ_INT(L.icmp_code, 3);
	CHECK(L.have & PK_HAVE_INNER);
	CHECK_EQ_INT(L.inner_off, 28);
	CHECK_EQ_INT(L.inner_proto, 17);
	CHECK_EQ_INT(L.inner_have_ports, 1);
	CHECK_EQ_INT(L.inner_sport, 53);
	CHECK_EQ_INT(L.inner_dport, 1234);
	CHECK_EQ_INT(L.inner_src[3], 1);
}

static void
ipv4_fragment(void)
{
	uint8_t p[sizeof ip_udp];
	struct pk_layers L;

	memcpy(p, ip_udp, sizeof p);
	p[6] = 0x00; p[7] = 0x03;   /* offset 3*8 = 24 bytes, not first */
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_RAW, p, sizeof p, sizeof p), PK_DEC_OK);
	CHECK(L.have & PK_HAVE_FRAG);
	CHECK(!(L.have & PK_HAVE_UDP));
	CHECK_EQ_INT(L.frag_off, 24);
	CHECK_EQ_INT(pk_decode_l4_checksum_ok(&L), -1);
	p[6] = 0x20; p[7] = 0x00;   /* first fragment, MF */
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_RAW, p, sizeof p, sizeof p), PK_DEC_OK);
	CHECK(L.have & PK_HAVE_FRAG);
	CHECK(L.have & PK_HAVE_UDP);
}

static void
tcp_flags_ae(void)
{
	uint8_t p[sizeof eth_tcp_syn];
	struct pk_layers L;

	memcpy(p, eth_tcp_syn, sizeof p);
	p[34 + 12] = 0xa1;    /* data offset 10, AE bit */
	p[34 + 13] = 0xc2;    /* CWR ECE SYN */
	pk_decode(&L, PK_LINK_EN10MB, p, sizeof p, sizeof p);
	CHECK_EQ_INT(L.tcp_flags, PK_TH_AE | PK_TH_CWR | PK_TH_ECE | PK_TH_SYN);
	/* SACK blocks and an option whose length runs past the header. */
	memcpy(p + 54, "\x05\x0a\x00\x00\x00\x05\x00\x00\x00\x09\x01\x01\x08\x0a\x00\x00\x00\x00\x00\x00", 20);
	pk_decode(&L, PK_LINK_EN10MB, p, sizeof p, sizeof p);
	CHECK_EQ_INT(L.opt_nsack, 1);
	CHECK_EQ_INT(L.opt_sack[0][0], 5);
	CHECK_EQ_INT(L.opt_sack[0][1], 9);
	CHECK_EQ_INT(L.opt_ts_set, 0);
	CHECK_EQ_INT(L.opt_bad, 1);
}

static void
unknown_link(void)
{
	struct pk_layers L;

	CHECK_EQ_INT(pk_decode(&L, 9999, ip_udp, sizeof ip_udp, sizeof ip_udp), PK_DEC_UNSUPPORTED);
	CHECK_EQ_INT(pk_decode(&L, PK_LINK_RAW, ip_udp, 0, 0), PK_DEC_TRUNC);
}

UNIT_MAIN(U(eth_ipv4_tcp), U(truncated_tcp), U(bad_ihl), U(vlan_qinq), U(raw_and_null),
    U(checksums), U(sll_and_sll2), U(ipv6_ext), U(icmp_error_inner), U(ipv4_fragment),
    U(tcp_flags_ae), U(unknown_link))
