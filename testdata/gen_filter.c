/* gen_filter.c — write the filter engineer's test captures into the directory argv[1].
 *
 * One mix of packets chosen to exercise every row of the pcap-filter
 * reference (protocols, addresses, ports, fragments, IPv6 extension headers,
 * VLAN/QinQ, MPLS, PPPoE, LLC/SNAP, broadcast/multicast, odd header fields),
 * written on every supported link type, plus truncated copies cut at the
 * offsets where libpcap's loads start to fail, into DIR/filter/.  Deterministic: running this
 * again reproduces the committed files byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "pktbuild.h"

static const char *dir;

static const char *path(const char *name)
{
	static char buf[4096];
	snprintf(buf, sizeof buf, "%s/filter/%s", dir, name);
	return buf;
}

#define T0 1714564800   /* 2024-05-01T12:00:00Z */

/* Ethernet-only frames built byte by byte: 802.3/LLC, SNAP, IPX, MPLS, PPPoE, RARP... */
static size_t eth_raw(uint8_t *p, int i)
{
	static const uint8_t dst[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t src[6] = { 0x00, 0x66, 0x77, 0x88, 0x99, 0xaa };
	/* a minimal IPv4/UDP 10.1.1.1:1000 > 10.2.2.2:53 and IPv6/TCP ::1 > ::2 port 80 */
	static const uint8_t ip4udp[28] = { 0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0,
		10, 1, 1, 1, 10, 2, 2, 2, 0x03, 0xe8, 0, 53, 0, 8, 0, 0 };
	static const uint8_t ip6tcp[60] = { 0x60, 0, 0, 0, 0, 20, 6, 64,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		0x30, 0x39, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0 };
	size_t n = 12;
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
#define B(...) do { static const uint8_t x_[] = { __VA_ARGS__ }; memcpy(p + n, x_, sizeof x_); n += sizeof x_; } while (0)
#define IP4() do { memcpy(p + n, ip4udp, sizeof ip4udp); n += sizeof ip4udp; } while (0)
#define IP6() do { memcpy(p + n, ip6tcp, sizeof ip6tcp); n += sizeof ip6tcp; } while (0)
	switch (i) {
	case 0: B(0x00, 0x26, 0x42, 0x42, 0x03, 0, 0, 0, 0, 0); break;             /* STP BPDU over LLC */
	case 1: B(0x00, 0x20, 0xfe, 0xfe, 0x03, 0x81, 1, 2, 3, 4); break;          /* ISO CLNP */
	case 2: B(0x00, 0x20, 0xfe, 0xfe, 0x03, 0x83, 0x1b, 1, 0, 0x0f); break;   /* IS-IS L1 IIH */
	case 3: B(0x00, 0x30, 0xaa, 0xaa, 0x03, 0x08, 0x00, 0x07, 0x80, 0x9b, 1, 2); break;  /* AppleTalk SNAP */
	case 4: B(0x00, 0x30, 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x81, 0x37, 1, 2); break;  /* IPX SNAP */
	case 5: B(0x00, 0x30, 0xff, 0xff, 0, 0x1e, 0, 0); break;                  /* IPX raw 802.3 */
	case 6: B(0x00, 0x30, 0xe0, 0xe0, 0x03, 0xff, 0xff); break;               /* IPX 802.2 */
	case 7: B(0x81, 0x37, 0xff, 0xff, 0, 0x1e); break;                        /* IPX Ethernet II */
	case 8: B(0x00, 0x30, 0xf0, 0xf0, 0x03, 1, 2); break;                     /* NetBEUI */
	case 9: B(0x00, 0x30, 0x06, 0x06, 0x03, 0x45); break;                     /* LLC SAP 6 */
	case 10: B(0x00, 0x30, 0x64, 0x64, 0x03, 0x45); break;                    /* LLC SAP 100 */
	case 11: B(0x80, 0x35, 0, 1, 8, 0, 6, 4, 0, 3, 0, 0x11, 0x22, 0x33, 0x44, 0x55,
	           10, 0, 0, 1, 0, 0x66, 0x77, 0x88, 0x99, 0xaa, 10, 0, 0, 2); break;   /* RARP */
	case 12: B(0x88, 0x47, 0x00, 0x06, 0x41, 0x40); IP4(); break;            /* MPLS label 100 BoS, IPv4 */
	case 13: B(0x88, 0x47, 0x00, 0x06, 0x40, 0x40, 0x00, 0x0c, 0x81, 0x40); IP6(); break;  /* MPLS 100, 200 BoS, IPv6 */
	case 14: B(0x88, 0x63, 0x11, 0x09, 0, 0, 0, 4, 1, 1, 0, 0); break;        /* PPPoE discovery PADI */
	case 15: B(0x88, 0x64, 0x11, 0, 0x12, 0x34, 0, 30, 0x00, 0x21); IP4(); break;   /* PPPoE session 0x1234, IPv4 */
	case 16: B(0x88, 0x64, 0x11, 0, 0x00, 0x05, 0, 62, 0x00, 0x57); IP6(); break;   /* PPPoE session 5, IPv6 */
	case 17: B(0x81, 0x00, 0x00, 0x64, 0x88, 0x47, 0x00, 0x06, 0x41, 0x40); IP4(); break; /* VLAN 100 + MPLS */
	case 18: B(0x88, 0xa8, 0x00, 0x0a, 0x81, 0x00, 0x00, 0x14, 0x88, 0x64, 0x11, 0, 0x00, 0x07, 0, 30, 0x00, 0x21); IP4(); break; /* QinQ PPPoE */
	case 19: B(0x08, 0x00, 0x65, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 1, 1, 1, 10, 2, 2, 2, 0x03, 0xe8, 0, 53, 0, 8, 0, 0); break; /* type IP, version 6 */
	case 20: B(0x86, 0xdd); memcpy(p + n, ip4udp, sizeof ip4udp); n += sizeof ip4udp; break; /* type IPv6 carrying IPv4 */
	case 21: B(0x08, 0x00, 0x43, 0, 0, 28, 0, 1, 0, 0, 64, 6, 0, 0, 10, 1, 1, 1, 10, 2, 2, 2, 0, 80, 0, 80, 0, 0, 0, 0); break; /* IHL 3 */
	case 22: B(0x60, 0x03, 1, 2, 3, 4); break;                               /* DECnet */
	case 23: B(0x60, 0x04, 1, 2); break;                                     /* LAT */
	case 24: B(0x80, 0xf3, 0, 1, 8, 0); break;                               /* AARP */
	case 25: B(0x90, 0x00, 0, 0); break;                                     /* loopback */
	case 26: B(0x88, 0xcc, 2, 7, 4); break;                                  /* LLDP */
	case 27: B(0x08); break;                                                 /* 13-byte runt */
	}
#undef B
#undef IP4
#undef IP6
	return n;
}
#define NRAW 28

/* The IP mix, buildable on every link type.  Returns 0 to skip on LT. */
static int ip_packet(struct pb *b, int lt, int variant, int i)
{
	static const uint8_t opts[8] = { 0x07, 7, 4, 0, 0, 0, 0, 0 };   /* record route + pad */
	static const uint8_t rh[6] = { 0, 0, 0, 0, 0, 0 };
	const char *a = "10.0.0.1", *bb = "10.0.0.2";
	pb_begin_null(b, lt, variant);
	switch (i) {
	case 0: pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = bb, .id = 1 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 40000, .dport = 80, .flags = PK_TH_SYN, .mss = 1460 }); break;
	case 1: pb_ipv4(b, &(struct pb_ip4){ .src = bb, .dst = a, .id = 2 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 80, .dport = 40000, .flags = PK_TH_SYN | PK_TH_ACK, .ack = 1 });
		pb_payload(b, "GET ", 4); break;
	case 2: pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = "192.168.1.10", .id = 3 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 22, .dport = 5555, .flags = PK_TH_PUSH | PK_TH_ACK });
		pb_fill(b, 40, 'z'); break;
	case 3: pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = "10.0.0.53" });
		pb_udp(b, 5353, 53); pb_fill(b, 20, 1); break;
	case 4: pb_ipv4(b, &(struct pb_ip4){ .src = "10.0.0.53", .dst = a });
		pb_udp(b, 53, 5353); pb_fill(b, 60, 2); break;
	case 5: pb_ipv4(b, &(struct pb_ip4){ .src = "172.16.5.4", .dst = "255.255.255.255" });
		pb_udp(b, 68, 67); pb_fill(b, 30, 0); break;
	case 6: pb_ipv4(b, &(struct pb_ip4){ .src = "172.16.5.4", .dst = "224.0.0.251" });
		pb_udp(b, 5353, 5353); break;
	case 7: pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = "0.0.0.0" });
		pb_udp(b, 123, 123); pb_fill(b, 48, 0); break;
	case 8: pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = "240.1.2.3", .opts = opts, .optlen = 8 });
		pb_icmp(b, 8, 0, 0x00010001); pb_fill(b, 8, 0); break;
	case 9: pb_ipv4(b, &(struct pb_ip4){ .src = bb, .dst = a });
		pb_icmp(b, 0, 0, 0x00010001); break;
	case 10: pb_ipv4(b, &(struct pb_ip4){ .src = bb, .dst = a });
		pb_icmp(b, 3, 3, 0);
		pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = bb });
		pb_udp(b, 1000, 2000); break;
	case 11: /* first fragment, MF */
		pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = bb, .id = 9, .frag = 0x2000 });
		pb_udp_bad(b, 53, 4000, 400, 0); pb_fill(b, 100, 3); break;
	case 12: /* non-first fragment whose payload starts like port 53 */
		pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = bb, .id = 9, .frag = 13, .proto = 17 });
		pb_payload(b, "\x00\x35\x00\x35\x00\x10\x00\x00", 8); pb_fill(b, 40, 4); break;
	case 13: pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = bb, .id = 10, .frag = 20, .proto = 6 });
		pb_payload(b, "\x00\x50\x00\x50\x00\x00\x00\x01\x00\x00\x00\x00\x50\x02\xff\xff", 16); break;
	case 14: pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = bb, .proto = 132 });
		pb_payload(b, "\x0b\x59\x0b\x59\x00\x00\x00\x01\x00\x00\x00\x00", 12); break;   /* SCTP 2905 */
	case 15: pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = "224.0.0.1", .proto = 2, .ttl = 1 });
		pb_payload(b, "\x11\x64\xee\x9b\x00\x00\x00\x00", 8); break;   /* IGMP query */
	case 16: pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = "224.0.0.13", .proto = 103 });
		pb_payload(b, "\x20\x00\x00\x00", 4); break;   /* PIM */
	case 17: pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = "224.0.0.18", .proto = 112 });
		pb_payload(b, "\x21\x01\x64\x01\x00\x01\x00\x00", 8); break;   /* VRRP */
	case 18: pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = bb, .proto = 51 });
		pb_payload(b, "\x06\x04\x00\x00\x00\x00\x01\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 24);
		pb_payload(b, "\x00\x50\x01\xbb\x00\x00\x00\x00\x00\x00\x00\x00\x50\x02\xff\xff\x00\x00\x00\x00", 20); break; /* AH then TCP */
	case 19: pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = bb, .proto = 50 });
		pb_payload(b, "\x00\x00\x01\x00\x00\x00\x00\x01", 8); pb_fill(b, 24, 9); break;   /* ESP */
	case 20: pb_ipv4(b, &(struct pb_ip4){ .src = a, .dst = bb, .proto = 47 });
		pb_payload(b, "\x00\x00\x08\x00", 4); break;   /* GRE */
	case 21: pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2" });
		pb_tcp(b, &(struct pb_tcp){ .sport = 33000, .dport = 443, .flags = PK_TH_SYN }); break;
	case 22: pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8::2", .dst = "2001:db8::1" });
		pb_udp(b, 53, 33001); pb_fill(b, 12, 5); break;
	case 23: pb_ipv6(b, &(struct pb_ip6){ .src = "fe80::1", .dst = "ff02::1" });
		pb_icmp6(b, 134, 0, 0); pb_fill(b, 8, 0); break;
	case 24: pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2" });
		pb_icmp6(b, 128, 0, 0x00020001); break;
	case 25: /* hop-by-hop then TCP */
		pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8:1::5", .dst = "2001:db8::2" });
		pb_ipv6_ext(b, 0, (const uint8_t *)"\x05\x02\x00\x00", 4);
		pb_tcp(b, &(struct pb_tcp){ .sport = 33002, .dport = 80, .flags = PK_TH_SYN }); break;
	case 26: /* routing + destination options then UDP */
		pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8:ffff::9" });
		pb_ipv6_ext(b, 43, rh, sizeof rh);
		pb_ipv6_ext(b, 60, (const uint8_t *)"\x01\x00", 2);
		pb_udp(b, 4000, 53); break;
	case 27: /* fragment header, first fragment of UDP */
		pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2" });
		pb_ipv6_frag(b, 0, 1, 77);
		pb_udp_bad(b, 53, 6000, 300, 0); pb_fill(b, 40, 6); break;
	case 28: /* fragment header, non-first */
		pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2" });
		pb_ipv6_frag(b, 6, 0, 77);
		pb_payload(b, "\x00\x35\x00\x35", 4); pb_fill(b, 20, 7); break;
	case 29: /* fragment header then ICMPv6 */
		pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2" });
		pb_ipv6_frag(b, 0, 0, 78);
		pb_icmp6(b, 128, 0, 0x00030001); break;
	case 30: /* IPv6 AH then TCP */
		pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2", .next = 51 });
		pb_payload(b, "\x06\x04\x00\x00\x00\x00\x01\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 24);
		pb_payload(b, "\x00\x50\x01\xbb\x00\x00\x00\x00\x00\x00\x00\x00\x50\x02\xff\xff\x00\x00\x00\x00", 20); break;
	case 31: /* no next header */
		pb_ipv6(b, &(struct pb_ip6){ .src = "::1", .dst = "::1", .next = 59 }); break;
	case 32: pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2", .next = 132 });
		pb_payload(b, "\x0b\x59\x00\x50\x00\x00\x00\x01\x00\x00\x00\x00", 12); break;
	case 33: pb_ipv6(b, &(struct pb_ip6){ .src = "::ffff:10.0.0.1", .dst = "ff05::1:3" });
		pb_udp(b, 547, 547); break;
	case 34: if (lt != PK_LINK_EN10MB && lt != PK_LINK_LINUX_SLL && lt != PK_LINK_LINUX_SLL2)
			return 0;
		pb_arp(b, 1, "02:00:00:00:00:01", a, NULL, bb); break;
	case 35: if (lt != PK_LINK_EN10MB && lt != PK_LINK_LINUX_SLL && lt != PK_LINK_LINUX_SLL2)
			return 0;
		pb_arp(b, 2, "02:00:00:00:00:02", bb, "02:00:00:00:00:01", a); break;
	case 36: pb_ipv4(b, &(struct pb_ip4){ .src = "10.200.3.4", .dst = "10.0.0.1" });
		pb_tcp(b, &(struct pb_tcp){ .sport = 8080, .dport = 1024, .flags = PK_TH_RST | PK_TH_ACK | PK_TH_FIN | PK_TH_URG | PK_TH_ECE | PK_TH_CWR }); break;
	case 37: pb_ipv4(b, &(struct pb_ip4){ .src = "192.168.1.1", .dst = "192.168.200.7", .tos = 0x10, .ttl = 255 });
		pb_udp(b, 1900, 65535); pb_fill(b, 100, 0xff); break;
	default: return 0;
	}
	pb_finish(b);
	return 1;
}
#define NIP 38

/* Write the IP mix (and on Ethernet the raw frames and tagged variants). */
static void write_mix(struct pb_out *o, int lt, int variant, uint32_t cut)
{
	static struct pb b;
	int64_t t = T0;
	for (int i = 0; i < NIP; i++) {
		if (!ip_packet(&b, lt, variant, i))
			continue;
		if (lt == PK_LINK_LINUX_SLL || lt == PK_LINK_LINUX_SLL2)
			pb_sll_pkttype(&b, (uint16_t)(i % 3 == 0 ? 4 : i % 3 == 1 ? 0 : 1));
		if (cut && cut < b.len)
			pb_put_cut(o, t++, 0, &b, cut);
		else if (!cut)
			pb_put(o, t++, 0, &b);
	}
	if (lt != PK_LINK_EN10MB)
		return;
	uint8_t p[256];
	for (int i = 0; i < NRAW; i++) {
		size_t n = eth_raw(p, i);
		if (cut && cut < n)
			pb_put_data(o, t++, 0, p, cut, (uint32_t)n);
		else if (!cut)
			pb_put_data(o, t++, 0, p, (uint32_t)n, (uint32_t)n);
	}
	/* tagged variants of a few IP packets: 802.1Q, QinQ, 0x9100 */
	static const uint16_t tp[][2] = { { 0x8100, 0 }, { 0x88a8, 0x8100 }, { 0x9100, 0x8100 } };
	static const int pick[] = { 0, 3, 21, 12, 34 };
	for (size_t k = 0; k < 3; k++)
		for (size_t j = 0; j < sizeof pick / sizeof pick[0]; j++) {
			pb_begin(&b, lt);
			pb_vlan(&b, tp[k][0], (uint16_t)(100 + 100 * k));
			if (tp[k][1])
				pb_vlan(&b, tp[k][1], (uint16_t)(7 + j));
			/* rebuild the chosen packet's layers after the tags */
			struct pb tmp;
			ip_packet(&tmp, lt, variant, pick[j]);
			memcpy(b.d + b.len - 2, tmp.d + 12, tmp.len - 12);
			b.len += tmp.len - 14;
			if (cut && cut < b.len)
				pb_put_cut(o, t++, 0, &b, cut);
			else if (!cut)
				pb_put(o, t++, 0, &b);
		}
	/* broadcast and multicast destination MACs */
	for (int k = 0; k < 2; k++) {
		pb_begin(&b, lt);
		pb_eth_addr(&b, "02:00:00:00:00:09", k ? "01:00:5e:00:00:fb" : "ff:ff:ff:ff:ff:ff");
		pb_ipv4(&b, &(struct pb_ip4){ .src = "10.0.0.9", .dst = k ? "224.0.0.251" : "10.0.0.255" });
		pb_udp(&b, 137, 137);
		pb_finish(&b);
		if (!cut)
			pb_put(o, t++, 0, &b);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_filter DIR\n");
		return 2;
	}
	dir = argv[1];
	/* a subfolder: other suites walk every capture in testdata; these are for the filter only */
	mkdir(path(""), 0777);
	struct { const char *name; int lt, variant; } L[] = {
		{ "filter-eth.pcap", PK_LINK_EN10MB, 0 },
		{ "filter-sll.pcap", PK_LINK_LINUX_SLL, 0 },
		{ "filter-sll2.pcap", PK_LINK_LINUX_SLL2, 0 },
		{ "filter-raw.pcap", PK_LINK_RAW, 0 },
		{ "filter-null.pcap", PK_LINK_NULL, PB_NULL_LE },
		{ "filter-loop.pcap", PK_LINK_LOOP, PB_NULL_BE },
	};
	for (size_t i = 0; i < sizeof L / sizeof L[0]; i++) {
		struct pb_out *o = pb_out_pcap(path(L[i].name), L[i].lt, 262144, 0);
		write_mix(o, L[i].lt, L[i].variant, 0);
		pb_close(o);
	}
	/* NULL in a big-endian file with big-endian families */
	struct pb_out *o = pb_out_pcap_ex(path("filter-null-be.pcap"), PK_LINK_NULL, 65535, 0, 1, 2, 4);
	write_mix(o, PK_LINK_NULL, PB_NULL_BE, 0);
	pb_close(o);
	/* truncated copies: Ethernet cut where loads begin to fail, and SLL/raw */
	static const uint32_t cuts[] = { 10, 13, 14, 15, 20, 23, 24, 30, 34, 36, 38, 40, 42, 50, 54, 56, 58, 62, 70 };
	o = pb_out_pcap(path("filter-trunc.pcap"), PK_LINK_EN10MB, 262144, 0);
	for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++)
		write_mix(o, PK_LINK_EN10MB, 0, cuts[c]);
	pb_close(o);
	o = pb_out_pcap(path("filter-trunc-raw.pcap"), PK_LINK_RAW, 262144, 0);
	for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++)
		write_mix(o, PK_LINK_RAW, 0, cuts[c] - 10);
	pb_close(o);
	return 0;
}
