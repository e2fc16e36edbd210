/* gen_hostile.c — write hostile-packets.pcap: packets whose lengths lie,
 * into the directory argv[1].
 *
 * Every record is well formed as a pcap record (caplen <= len <= snaplen);
 * the lies are inside the packets, where only the decoder, printer, filter,
 * flow table and statistics can meet them: IPv4 total length above caplen
 * or below the header, IHL < 5 or past the end, TCP data offset < 5 or
 * past the end, TCP/IPv4 options of length 0 or running past the end, UDP
 * length < 8 or past the end, IPv6 payload length too long and too short,
 * extension-header chains 400 headers long and running past the end, 1000
 * nested VLAN tags, an MPLS stack without bottom, 200 nested IP-in-IP and
 * IPv6-in-IPv6 headers, ICMP errors quoting ICMP errors (IPv4 and IPv6),
 * DNS names whose compression pointers loop, and captures of 0 and 1
 * bytes.  tests/hostile.bats runs it through every tool; the sanitizer
 * build proves no read past caplen.  Deterministic: running again
 * reproduces the file byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

/* 2024-05-01T12:00:00Z */
#define T0 1714564800

static const char *dir;
static struct pb_out *out;
static unsigned npkt;

static const char *
path(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return buf;
}

static void
put(struct pb *b)
{
	pb_put(out, T0 + npkt / 10, (npkt % 10) * 100000000u, b);
	npkt++;
}

static void
put_raw(const uint8_t *d, uint32_t caplen, uint32_t len)
{
	pb_put_data(out, T0 + npkt / 10, (npkt % 10) * 100000000u, d, caplen, len);
	npkt++;
}

static void
eth(struct pb *b)
{
	pb_begin(b, PK_LINK_EN10MB);
	pb_eth_addr(b, "02:00:00:00:00:01", "02:00:00:00:00:02");
}

static const char *C = "192.0.2.1", *S = "198.51.100.2";

/* A hand-made frame: Ethernet header with TYPE, then BODY. */
static uint32_t
frame(uint8_t *d, uint16_t type)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };

	memcpy(d, mac, 12);
	d[12] = (uint8_t)(type >> 8);
	d[13] = (uint8_t)type;
	return 14;
}

/* A 20-byte IPv4 header (no checksum) of PROTO with total length TOT. */
static uint32_t
ip4(uint8_t *d, uint8_t proto, uint16_t tot)
{
	static const uint8_t h[20] = { 0x45, 0, 0, 0, 0, 1, 0, 0, 64, 0, 0, 0,
	                               192, 0, 2, 1, 198, 51, 100, 2 };

	memcpy(d, h, 20);
	d[2] = (uint8_t)(tot >> 8);
	d[3] = (uint8_t)tot;
	d[9] = proto;
	return 20;
}

/* A 40-byte IPv6 header with NEXT and payload length PLEN. */
static uint32_t
ip6(uint8_t *d, uint8_t next, uint16_t plen)
{
	memset(d, 0, 40);
	d[0] = 0x60;
	d[4] = (uint8_t)(plen >> 8);
	d[5] = (uint8_t)plen;
	d[6] = next;
	d[7] = 64;
	d[8] = 0x20; d[9] = 0x01; d[10] = 0x0d; d[11] = 0xb8; d[23] = 1;
	d[24] = 0x20; d[25] = 0x01; d[26] = 0x0d; d[27] = 0xb8; d[39] = 2;
	return 40;
}

static void
lying_ipv4(void)
{
	struct pb b;

	/* total length 1500 > the 54 bytes captured and on the wire */
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S, .tot_len = 1500 });
	pb_tcp(&b, &(struct pb_tcp){ .sport = 1000, .dport = 80, .seq = 1, .flags = PK_TH_SYN });
	pb_finish(&b);
	put(&b);
	/* total length 10 < the 20-byte header */
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S, .tot_len = 10 });
	pb_udp(&b, 1001, 53);
	pb_payload(&b, "abcd", 4);
	pb_finish(&b);
	put(&b);
	/* total length 0 (TSO-style) */
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S, .tot_len = 0xffff });
	pb_udp(&b, 1002, 53);
	pb_finish(&b);
	put(&b);
	/* IHL 3 (< 5) */
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S, .ihl = 3 });
	pb_udp(&b, 1003, 53);
	pb_finish(&b);
	put(&b);
	/* IHL 15: 60-byte header in a 34-byte packet */
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S, .ihl = 15, .proto = 6 });
	pb_finish(&b);
	put(&b);
	/* IHL 0 and version 4 */
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S, .ihl = 0x10, .proto = 17 });
	pb_finish(&b);
	put(&b);
	/* version 6 in an IPv4 EtherType; version 15 */
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S, .version = 6 });
	pb_udp(&b, 1004, 53);
	pb_finish(&b);
	put(&b);
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S, .version = 15 });
	pb_udp(&b, 1005, 53);
	pb_finish(&b);
	put(&b);
	/* IPv4 options: length 0, length 1, length running past the header */
	{
		static const uint8_t o0[] = { 7, 0, 4, 0 }, o1[] = { 0x44, 1, 0, 0 },
		                     o2[] = { 0x83, 40, 4, 0 };
		const uint8_t *os[] = { o0, o1, o2 };

		for (int i = 0; i < 3; i++) {
			eth(&b);
			pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S, .opts = os[i], .optlen = 4 });
			pb_icmp(&b, 8, 0, 0x00010001);
			pb_finish(&b);
			put(&b);
		}
	}
	/* last fragment at the largest offset, more-fragments set */
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S, .frag = 0x3fff, .proto = 17 });
	pb_fill(&b, 16, 0xee);
	pb_finish(&b);
	put(&b);
}

static void
lying_l4(void)
{
	struct pb b;

	/* TCP data offset 2 (< 5), 15 (past the end), 0 */
	static const uint8_t doffs[] = { 2, 15, 0x10 };
	for (int i = 0; i < 3; i++) {
		eth(&b);
		pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S });
		pb_tcp(&b, &(struct pb_tcp){ .sport = 2000, .dport = 80, .seq = 1, .ack = 1,
		    .flags = PK_TH_ACK, .doff = doffs[i] });
		pb_finish(&b);
		put(&b);
	}
	/* TCP options: kind 2 length 0 (a loop if trusted), length 1, past the end,
	 * SACK with length 250, timestamps of length 3 */
	{
		static const uint8_t o[][4] = { { 2, 0, 5, 0xb4 }, { 3, 1, 7, 1 }, { 1, 1, 8, 40 },
		                                { 5, 250, 0, 0 }, { 8, 3, 1, 1 } };
		for (int i = 0; i < 5; i++) {
			eth(&b);
			pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S });
			pb_tcp(&b, &(struct pb_tcp){ .sport = 2001, .dport = 443, .seq = 7,
			    .flags = PK_TH_SYN, .raw_opts = o[i], .raw_len = 4 });
			pb_finish(&b);
			put(&b);
		}
	}
	/* UDP length 3 (< 8) and 4000 (past the end) */
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S });
	pb_udp_bad(&b, 3000, 53, 3, 0);
	pb_payload(&b, "xyz", 3);
	pb_finish(&b);
	put(&b);
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S });
	pb_udp_bad(&b, 3001, 53, 4000, 0);
	pb_payload(&b, "\x12\x34\x01\x00\x00\x01", 6);
	pb_finish(&b);
	put(&b);
	/* TCP header cut: IPv4 says 40 bytes, only 4 of TCP present */
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S, .tot_len = 40, .proto = 6 });
	pb_payload(&b, "\x07\xd0\x00\x50", 4);
	pb_finish(&b);
	put(&b);
}

static void
lying_ipv6(void)
{
	struct pb b;
	static uint8_t d[PB_MAX];
	uint32_t n;

	/* payload length 5000 > what is there; 4 < the UDP header */
	eth(&b);
	pb_ipv6(&b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2", .plen = 5000 });
	pb_udp(&b, 4000, 53);
	pb_finish(&b);
	put(&b);
	eth(&b);
	pb_ipv6(&b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2", .plen = 4 });
	pb_udp(&b, 4001, 53);
	pb_payload(&b, "abcdefgh", 8);
	pb_finish(&b);
	put(&b);
	/* 400 destination-options headers, each pointing to the next: a chain
	 * that would loop forever in a decoder trusting "next header" */
	n = frame(d, 0x86dd);
	n += ip6(d + n, 60, 400 * 8 + 8);
	for (int i = 0; i < 400; i++, n += 8) {
		memset(d + n, 0, 8);
		d[n] = 60;
		d[n + 2] = 1;   /* PadN of 4 */
		d[n + 3] = 4;
	}
	memcpy(d + n, "\x0f\xa0\x00\x35\x00\x08\x00\x00", 8);
	d[n - 8] = 17;
	n += 8;
	put_raw(d, n, n);
	/* hop-by-hop, then routing whose length runs past the end */
	n = frame(d, 0x86dd);
	n += ip6(d + n, 0, 16);
	memcpy(d + n, "\x2b\x00\x01\x04\x00\x00\x00\x00", 8);      /* HBH -> routing */
	n += 8;
	memcpy(d + n, "\x11\xff\x00\x05\x00\x00\x00\x00", 8);      /* routing, 2048 bytes claimed */
	n += 8;
	put_raw(d, n, n);
	/* fragment header then another fragment header then hop-by-hop (out of place) */
	n = frame(d, 0x86dd);
	n += ip6(d + n, 44, 24);
	memcpy(d + n, "\x2c\x00\x00\x01\x00\x00\x00\x07", 8);
	n += 8;
	memcpy(d + n, "\x00\x00\x00\x00\x00\x00\x00\x07", 8);
	n += 8;
	memcpy(d + n, "\x3b\x00\x01\x04\x00\x00\x00\x00", 8);
	n += 8;
	put_raw(d, n, n);
	/* extension header cut inside its first 2 bytes */
	n = frame(d, 0x86dd);
	n += ip6(d + n, 60, 1);
	d[n++] = 17;
	put_raw(d, n, n);
}

static void
deep_nesting(void)
{
	static uint8_t d[PB_MAX];
	uint32_t n;

	/* 1000 nested 802.1Q tags, then IPv4/UDP */
	n = frame(d, 0x8100);
	for (int i = 0; i < 1000; i++, n += 4) {
		d[n] = 0;
		d[n + 1] = (uint8_t)(i % 250 + 1);
		d[n + 2] = i == 999 ? 0x08 : 0x81;
		d[n + 3] = 0x00;
	}
	n += ip4(d + n, 17, 28);
	memcpy(d + n, "\x13\x88\x00\x35\x00\x08\x00\x00", 8);
	n += 8;
	put_raw(d, n, n);
	/* 1000 alternating 802.1ad / 802.1Q tags cut in the middle */
	n = frame(d, 0x88a8);
	for (int i = 0; i < 1000; i++, n += 4) {
		d[n] = 0x20;
		d[n + 1] = 1;
		d[n + 2] = i % 2 ? 0x88 : 0x81;
		d[n + 3] = i % 2 ? 0xa8 : 0x00;
	}
	put_raw(d, n - 2, n + 100);
	/* 1000 MPLS labels, none marked bottom of stack */
	n = frame(d, 0x8847);
	for (int i = 0; i < 1000; i++, n += 4) {
		d[n] = 0;
		d[n + 1] = 0x01;
		d[n + 2] = (uint8_t)(i << 4);
		d[n + 3] = 64;
	}
	put_raw(d, n, n);
	/* 200 nested IPv4-in-IPv4 headers, then UDP */
	n = frame(d, 0x0800);
	for (int i = 0; i < 200; i++)
		n += ip4(d + n, 4, (uint16_t)((200 - i) * 20 + 8));
	d[n - 20 + 9] = 17;
	memcpy(d + n, "\x13\x89\x00\x35\x00\x08\x00\x00", 8);
	n += 8;
	put_raw(d, n, n);
	/* 200 nested IPv6-in-IPv6 headers, then ICMPv6 echo */
	n = frame(d, 0x86dd);
	for (int i = 0; i < 200; i++)
		n += ip6(d + n, 41, (uint16_t)((199 - i) * 40 + 8));
	d[n - 40 + 6] = 58;
	memcpy(d + n, "\x80\x00\x00\x00\x00\x01\x00\x01", 8);
	n += 8;
	put_raw(d, n, n);
	/* 100 nested GRE (IPv4 / GRE / IPv4 / GRE ...) */
	n = frame(d, 0x0800);
	for (int i = 0; i < 100; i++) {
		n += ip4(d + n, 47, (uint16_t)((100 - i) * 24));
		memcpy(d + n, "\x00\x00\x08\x00", 4);
		n += 4;
	}
	put_raw(d, n, n);
}

static void
icmp_in_icmp(void)
{
	struct pb b;

	/* ICMP unreachable quoting time exceeded quoting unreachable quoting
	 * an echo: errors about errors, which hosts must never send (RFC 1122
	 * 3.2.2), nested as deep as the builder allows */
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = "203.0.113.1", .dst = C });
	pb_icmp(&b, 3, 3, 0);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = "203.0.113.1" });
	pb_icmp(&b, 11, 0, 0);
	pb_ipv4(&b, &(struct pb_ip4){ .src = "203.0.113.1", .dst = C });
	pb_icmp(&b, 3, 1, 0);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S });
	pb_icmp(&b, 8, 0, 0x00070001);
	pb_finish(&b);
	put(&b);
	/* the same cut after the second quoted IPv4 header */
	pb_put_cut(out, T0 + npkt / 10, (npkt % 10) * 100000000u, &b, 14 + 20 + 8 + 20 + 8 + 10);
	npkt++;
	/* ICMPv6 packet too big quoting destination unreachable quoting an echo */
	eth(&b);
	pb_ipv6(&b, &(struct pb_ip6){ .src = "2001:db8::ff", .dst = "2001:db8::1" });
	pb_icmp6(&b, 2, 0, 1280);
	pb_ipv6(&b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::ff" });
	pb_icmp6(&b, 1, 4, 0);
	pb_ipv6(&b, &(struct pb_ip6){ .src = "2001:db8::ff", .dst = "2001:db8::1" });
	pb_icmp6(&b, 128, 0, 0x00090001);
	pb_finish(&b);
	put(&b);
	/* ICMP error whose quoted IPv4 header claims IHL 15 and total 65535 */
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = "203.0.113.1", .dst = C });
	pb_icmp(&b, 3, 3, 0);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S, .ihl = 15, .tot_len = 0xffff, .proto = 17 });
	pb_finish(&b);
	put(&b);
}

static void
dns_loops(void)
{
	struct pb b;
	/* answer name = pointer to itself (offset 12) */
	static const uint8_t self[] = { 0xab, 0xcd, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
	                                0xc0, 12, 0, 1, 0, 1,
	                                0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4 };
	/* two pointers pointing at each other; a label running past the end */
	static const uint8_t pair[] = { 0xab, 0xce, 0x01, 0x00, 0, 2, 0, 0, 0, 0, 0, 0,
	                                0xc0, 14, 0xc0, 12, 0, 1, 0, 1,
	                                63, 'a', 'b' };
	/* a chain of 60 pointers each to the one before, ending in a label */
	uint8_t chain[12 + 2 + 3 + 120 + 4];
	uint32_t n = 0;

	memcpy(chain, "\xab\xcf\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
	n = 12;
	memcpy(chain + n, "\x01x\x00", 3);
	n += 3;
	for (int i = 0; i < 60; i++, n += 2) {
		chain[n] = 0xc0;
		chain[n + 1] = (uint8_t)(i ? n - 2 : 12);
	}
	memcpy(chain + n, "\x00\x01\x00\x01", 4);
	n += 4;
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = S, .dst = C });
	pb_udp(&b, 53, 5000);
	pb_payload(&b, self, sizeof self);
	pb_finish(&b);
	put(&b);
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S });
	pb_udp(&b, 5001, 53);
	pb_payload(&b, pair, sizeof pair);
	pb_finish(&b);
	put(&b);
	eth(&b);
	pb_ipv4(&b, &(struct pb_ip4){ .src = C, .dst = S });
	pb_tcp(&b, &(struct pb_tcp){ .sport = 5002, .dport = 53, .seq = 1, .ack = 1,
	    .flags = PK_TH_ACK | PK_TH_PUSH });
	pb_payload(&b, "\xff\xff", 2);   /* TCP DNS length prefix 65535 */
	pb_payload(&b, chain, n);
	pb_finish(&b);
	put(&b);
}

/* ICMP two bytes long and captured to its end: the checksum field that -v
 * shows for a bad sum lies past the snap end (found by fuzz_decode). */
static void
short_icmp(void)
{
	static const uint8_t d[] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 22, 0, 1, 0, 0, 64, 1, 0, 0,
		192, 0, 2, 1, 198, 51, 100, 2,
		0x40, 0xc0,
	};

	put_raw(d, sizeof d, sizeof d);
}

static void
tiny(void)
{
	static const uint8_t d[64] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00, 0x45 };

	put_raw(d, 0, 60);     /* nothing captured */
	put_raw(d, 1, 60);     /* one byte */
	put_raw(d, 13, 13);    /* less than an Ethernet header */
	put_raw(d, 15, 15);    /* one byte of IPv4 */
	put_raw(d, 0, 0);      /* an empty packet */
	short_icmp();
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_hostile DIR\n");
		return 2;
	}
	dir = argv[1];
	out = pb_out_pcap(path("hostile-packets.pcap"), PK_LINK_EN10MB, 262144, 0);
	lying_ipv4();
	lying_l4();
	lying_ipv6();
	deep_nesting();
	icmp_in_icmp();
	dns_loops();
	tiny();
	pb_close(out);
	return 0;
}
