/* gen_decode.c — write the decoder/printer test captures into the directory argv[1].
 *
 * decode-proto.pcap: one packet per protocol case the printer handles
 * (DNS over UDP and TCP with compression, HTTP request and response, ICMP
 * errors, IPv6 extension headers, TCP options incl. SACK/TFO/unknown, ARP
 * reply, PPPoE discovery, VXLAN, syslog, NTP, DHCP).  decode-trunc.pcap:
 * the same packets cut at several snap lengths, to reach every truncation
 * path.  Deterministic: running again reproduces the files byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

static const char *dir;

static const char *
path(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return buf;
}

/* 2024-05-01T12:00:00Z */
#define T0 1714564800

/* DNS query "www.example.com A" and an answer with compression (RFC 1035). */
static const uint8_t dns_q[] = {
	0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
};
static const uint8_t dns_r[] = {
	0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
	0xc0, 12, 0, 5, 0, 1, 0, 0, 0x0e, 0x10, 0, 6, 3, 'w', 'e', 'b', 0xc0, 16,
	0xc0, 45, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 93, 184, 216, 34,
};

enum { NPKT = 22 };

static void
packet(struct pb *b, int i)
{
	const char *c = "192.0.2.1", *s = "198.51.100.2";
	uint8_t buf[256];

	pb_begin(b, PK_LINK_EN10MB);
	pb_eth_addr(b, "02:00:00:00:00:01", "02:00:00:00:00:02");
	switch (i) {
	case 0:   /* DNS query over UDP */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 10 });
		pb_udp(b, 53001, 53);
		pb_payload(b, dns_q, sizeof dns_q);
		break;
	case 1:   /* DNS answer: CNAME + A, compressed names */
		pb_ipv4(b, &(struct pb_ip4){ .src = s, .dst = c, .id = 11 });
		pb_udp(b, 53, 53001);
		pb_payload(b, dns_r, sizeof dns_r);
		break;
	case 2:   /* DNS query over TCP (2-byte length prefix) */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 12, .frag = 0x4000 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 41000, .dport = 53, .seq = 7, .ack = 9,
		    .flags = PK_TH_ACK | PK_TH_PUSH, .win = 1000 });
		buf[0] = 0;
		buf[1] = sizeof dns_q;
		memcpy(buf + 2, dns_q, sizeof dns_q);
		pb_payload(b, buf, 2 + sizeof dns_q);
		break;
	case 3:   /* HTTP request */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 13, .frag = 0x4000 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 42000, .dport = 80, .seq = 100, .ack = 200,
		    .flags = PK_TH_ACK | PK_TH_PUSH, .win = 2000, .ts_set = 1, .tsval = 5, .tsecr = 6 });
		pb_payload(b, "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n", 37);
		break;
	case 4:   /* HTTP response on 8080 */
		pb_ipv4(b, &(struct pb_ip4){ .src = s, .dst = c, .id = 14, .frag = 0x4000 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 8080, .dport = 42001, .seq = 300, .ack = 400,
		    .flags = PK_TH_ACK | PK_TH_PUSH, .win = 2000 });
		pb_payload(b, "HTTP/1.1 404 Not Found\r\n\r\n", 26);
		break;
	case 5:   /* TCP SYN with SACK-permitted, TFO cookie, an unknown option, ECN */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 15 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 43000, .dport = 443, .seq = 1,
		    .flags = PK_TH_SYN | PK_TH_ECE | PK_TH_CWR, .win = 64000, .mss = 1400, .sackok = 1,
		    .raw_opts = (const uint8_t *)"\x22\x0a\x01\x02\x03\x04\x05\x06\x07\x08\x63\x04\xab\xcd\x01\x00",
		    .raw_len = 16 });
		break;
	case 6:   /* TCP ACK with two SACK blocks, urgent */
		pb_ipv4(b, &(struct pb_ip4){ .src = s, .dst = c, .id = 16 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 443, .dport = 43000, .seq = 5000, .ack = 2,
		    .flags = PK_TH_ACK | PK_TH_URG, .urp = 3, .win = 500, .nsack = 2,
		    .sack = { { 10, 20 }, { 30, 40 } } });
		break;
	case 7:   /* TCP with a bad option length */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 17 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 43001, .dport = 22, .seq = 1, .flags = PK_TH_SYN,
		    .raw_opts = (const uint8_t *)"\x02\x09\x05\xb4", .raw_len = 4 });
		break;
	case 8:   /* ICMP time exceeded quoting a UDP packet */
		pb_ipv4(b, &(struct pb_ip4){ .src = "203.0.113.9", .dst = c, .id = 18 });
		pb_icmp(b, 11, 0, 0);
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 19, .ttl = 1 });
		pb_udp(b, 33434, 33435);
		break;
	case 9:   /* ICMP need-to-frag with MTU */
		pb_ipv4(b, &(struct pb_ip4){ .src = "203.0.113.9", .dst = c, .id = 20 });
		pb_icmp(b, 3, 4, 1400);
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 21, .frag = 0x4000 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 42000, .dport = 80, .seq = 100, .flags = PK_TH_ACK });
		break;
	case 10:  /* ICMP redirect */
		pb_ipv4(b, &(struct pb_ip4){ .src = "203.0.113.9", .dst = c, .id = 22 });
		pb_icmp(b, 5, 1, 0xcb007101);   /* gateway 203.0.113.1 */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 23 });
		pb_udp(b, 1000, 2000);
		break;
	case 11:  /* IPv6: dest options, routing type 0 (deprecated), then UDP */
		pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2" });
		pb_ipv6_ext(b, 60, NULL, 0);
		pb_udp(b, 5000, 6000);
		pb_payload(b, "abcd", 4);
		break;
	case 12:  /* IPv6 first fragment of TCP, then a later fragment */
		pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2" });
		pb_ipv6_frag(b, 0, 1, 0x1234);
		pb_tcp(b, &(struct pb_tcp){ .sport = 44000, .dport = 80, .seq = 1, .flags = PK_TH_SYN });
		break;
	case 13:
		pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2" });
		pb_ipv6_frag(b, 185, 0, 0x1234);
		pb_fill(b, 16, 0x55);
		pb_finish(b);
		b->d[14 + 40] = 6;   /* the fragment header's next header: TCP */
		return;
	case 14:  /* ICMPv6 neighbour solicitation and destination unreachable (port) */
		pb_ipv6(b, &(struct pb_ip6){ .src = "fe80::1", .dst = "ff02::1:ff00:2", .hlim = 255 });
		pb_icmp6(b, 135, 0, 0);
		pb_payload(b, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
		break;
	case 15:
		pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8::2", .dst = "2001:db8::1" });
		pb_icmp6(b, 1, 4, 0);
		pb_ipv6(b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2" });
		pb_udp(b, 5001, 6001);
		break;
	case 16:  /* ARP reply */
		pb_arp(b, 2, "02:00:00:00:00:02", "192.0.2.2", "02:00:00:00:00:01", "192.0.2.1");
		break;
	case 17:  /* IPv4 later fragment (prints ip-proto-17) */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 24, .frag = 100, .proto = 17 });
		pb_fill(b, 40, 0xaa);
		break;
	case 18:  /* syslog */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 25 });
		pb_udp(b, 40514, 514);
		pb_payload(b, "<34>Oct 11 22:14:15 host su: hello", 34);
		break;
	case 19:  /* NTP client */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 26 });
		pb_udp(b, 40123, 123);
		memset(buf, 0, 48);
		buf[0] = 0x23;
		pb_payload(b, buf, 48);
		break;
	case 20:  /* DHCP discover */
		pb_ipv4(b, &(struct pb_ip4){ .src = "0.0.0.0", .dst = "255.255.255.255", .id = 27 });
		pb_udp(b, 68, 67);
		memset(buf, 0, 240);
		buf[0] = 1; buf[1] = 1; buf[2] = 6;
		memcpy(buf + 28, "\x02\x00\x00\x00\x00\x01", 6);
		memcpy(buf + 236, "\x63\x82\x53\x63", 4);
		pb_payload(b, buf, 240);
		break;
	case 21:  /* UDP to an unknown port: the generic form */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 28, .tos = 0x02 });
		pb_udp(b, 40000, 40001);
		pb_payload(b, "hello", 5);
		break;
	}
	pb_finish(b);
}

int
main(int argc, char **argv)
{
	struct pb b;
	struct pb_out *o;
	static const uint32_t cuts[] = { 10, 14, 20, 30, 34, 40, 54, 60, 70 };

	if (argc != 2) {
		fprintf(stderr, "usage: gen_decode DIR\n");
		return 2;
	}
	dir = argv[1];
	o = pb_out_pcap(path("decode-proto.pcap"), PK_LINK_EN10MB, 262144, 0);
	for (int i = 0; i < NPKT; i++) {
		packet(&b, i);
		pb_put(o, T0 + i, 1000u * (unsigned)i, &b);
	}
	pb_close(o);
	o = pb_out_pcap(path("decode-trunc.pcap"), PK_LINK_EN10MB, 262144, 0);
	for (int i = 0; i < NPKT; i++) {
		packet(&b, i);
		for (unsigned k = 0; k < sizeof cuts / sizeof cuts[0]; k++)
			if (cuts[k] < b.len)
				pb_put_cut(o, T0 + i, k, &b, cuts[k]);
	}
	pb_close(o);
	return 0;
}
