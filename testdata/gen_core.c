/* gen_core.c — write the foundation's test captures into the directory argv[1].
 *
 * Every file is deterministic (fixed times, fixed contents), so running this
 * again must reproduce the committed files byte for byte.  testdata/README.md
 * has one line per file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The packets of the mixed capture, built on link type LT. */
enum { NMIX = 16 };

static int
mix_packet(struct pb *b, int lt, int variant, int i)
{
	static const uint8_t ra[4] = { 148, 4, 0, 0 };   /* IPv4 Router Alert */
	const char *c = "10.0.0.1", *s = "10.0.0.2";
	const char *c6 = "2001:db8::1", *s6 = "2001:db8::2";

	pb_begin_null(b, lt, variant);
	switch (i) {
	case 0:   /* TCP SYN with the usual options */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 1, .frag = 0x4000 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 40000, .dport = 80, .seq = 1000,
		    .flags = PK_TH_SYN, .win = 64240, .mss = 1460, .sackok = 1, .ts_set = 1,
		    .tsval = 100, .tsecr = 0, .ws_set = 1, .ws = 7 });
		break;
	case 1:   /* SYN-ACK */
		pb_ipv4(b, &(struct pb_ip4){ .src = s, .dst = c, .id = 0, .frag = 0x4000 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 80, .dport = 40000, .seq = 5000, .ack = 1001,
		    .flags = PK_TH_SYN | PK_TH_ACK, .win = 65160, .mss = 1460, .sackok = 1,
		    .ts_set = 1, .tsval = 200, .tsecr = 100, .ws_set = 1, .ws = 7 });
		break;
	case 2:   /* ACK */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 2, .frag = 0x4000 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 40000, .dport = 80, .seq = 1001, .ack = 5001,
		    .flags = PK_TH_ACK, .win = 502, .ts_set = 1, .tsval = 101, .tsecr = 200 });
		break;
	case 3:   /* request */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 3, .frag = 0x4000 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 40000, .dport = 80, .seq = 1001, .ack = 5001,
		    .flags = PK_TH_ACK | PK_TH_PUSH, .win = 502, .ts_set = 1, .tsval = 102, .tsecr = 200 });
		pb_payload(b, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27);
		break;
	case 4:   /* full-size response segment */
		pb_ipv4(b, &(struct pb_ip4){ .src = s, .dst = c, .id = 4, .frag = 0x4000 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 80, .dport = 40000, .seq = 5001, .ack = 1028,
		    .flags = PK_TH_ACK, .win = 509 });
		pb_fill(b, 1460, 'x');
		break;
	case 5:   /* SACK and a bad checksum */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 5, .frag = 0x4000 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 40000, .dport = 80, .seq = 1028, .ack = 6461,
		    .flags = PK_TH_ACK, .win = 501, .nsack = 1, .sack = { { 7921, 9381 } },
		    .bad_csum = 1 });
		break;
	case 6:   /* FIN, RST */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 6 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 40000, .dport = 80, .seq = 1028, .ack = 6461,
		    .flags = PK_TH_FIN | PK_TH_ACK, .win = 501 });
		break;
	case 7:
		pb_ipv4(b, &(struct pb_ip4){ .src = s, .dst = c, .id = 7 });
		pb_tcp(b, &(struct pb_tcp){ .sport = 80, .dport = 40000, .seq = 6461,
		    .flags = PK_TH_RST, .win_zero = 1 });
		break;
	case 8:   /* DNS-like query over UDP */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = "10.0.0.53", .id = 8 });
		pb_udp(b, 53001, 53);
		pb_payload(b, "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		    "\x07" "example" "\x03" "com" "\x00\x00\x01\x00\x01", 29);
		break;
	case 9:   /* ICMP echo request with IPv4 options */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 9, .opts = ra, .optlen = 4 });
		pb_icmp(b, 8, 0, 0x1234u << 16 | 1);
		pb_fill(b, 56, 0x61);
		break;
	case 10:  /* ICMP port unreachable quoting a UDP packet */
		pb_ipv4(b, &(struct pb_ip4){ .src = s, .dst = c, .id = 10 });
		pb_icmp(b, 3, 3, 0);
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 77 });
		pb_udp(b, 33434, 33435);
		pb_fill(b, 8, 0);
		break;
	case 11:  /* IPv4 fragments: first and last */
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 0x4242, .frag = 0x2000 });
		pb_udp_bad(b, 5000, 5001, 1208, 0);
		pb_fill(b, 1000, 0x42);
		break;
	case 12:
		pb_ipv4(b, &(struct pb_ip4){ .src = c, .dst = s, .id = 0x4242, .frag = 1008 / 8,
		    .proto = 17 });
		pb_fill(b, 200, 0x43);
		break;
	case 13:  /* IPv6 TCP SYN behind a hop-by-hop header */
		pb_ipv6(b, &(struct pb_ip6){ .src = c6, .dst = s6, .flow = 0x12345 });
		pb_ipv6_ext(b, 0, (const uint8_t *)"\x05\x02\x00\x00", 4);
		pb_tcp(b, &(struct pb_tcp){ .sport = 40001, .dport = 443, .seq = 1,
		    .flags = PK_TH_SYN, .mss = 1440 });
		break;
	case 14:  /* ICMPv6 echo and a UDP fragment */
		pb_ipv6(b, &(struct pb_ip6){ .src = c6, .dst = s6 });
		pb_icmp6(b, 128, 0, 0x0007u << 16 | 1);
		pb_fill(b, 16, 0x36);
		break;
	case 15:
		if (lt != PK_LINK_EN10MB && lt != PK_LINK_LINUX_SLL && lt != PK_LINK_LINUX_SLL2) {
			pb_ipv6(b, &(struct pb_ip6){ .src = s6, .dst = c6 });
			pb_ipv6_frag(b, 0, 1, 0xabcdef);
			pb_udp_bad(b, 7, 7, 600, 0);
			pb_fill(b, 100, 0x66);
		} else {  /* ARP request */
			pb_arp(b, 1, "02:00:00:00:00:01", c, NULL, s);
		}
		break;
	}
	pb_finish(b);
	return 0;
}

/* Write the mix as a pcap; times step by 1.25 ms plus a ns-only part. */
static void
pcap_mix(struct pb_out *o, int lt, int variant, int nano)
{
	static struct pb b;

	for (int i = 0; i < NMIX; i++) {
		mix_packet(&b, lt, variant, i);
		pb_put(o, T0 + i / 8, (uint32_t)(i % 8) * 125000000u + 1250000u * (uint32_t)i +
		       (nano ? 789u : 0u), &b);
	}
}

static void
vlan_file(void)
{
	static struct pb b;
	struct pb_out *o = pb_out_pcap(path("core-vlan.pcap"), PK_LINK_EN10MB, 65535, 0);
	static const uint16_t tpids[][2] = { { 0x8100, 0 }, { 0x88a8, 0x8100 }, { 0x9100, 0x8100 } };

	for (int i = 0; i < 3; i++) {
		pb_begin(&b, PK_LINK_EN10MB);
		pb_vlan(&b, tpids[i][0], (uint16_t)(100 + i));
		if (tpids[i][1])
			pb_vlan(&b, tpids[i][1], 200);
		pb_ipv4(&b, &(struct pb_ip4){ .src = "192.168.1.1", .dst = "192.168.1.2", .id = (uint16_t)i });
		pb_udp(&b, 1000, 2000);
		pb_fill(&b, 10, 0x11);
		pb_finish(&b);
		pb_put(o, T0 + i, 0, &b);
	}
	pb_close(o);
}

static void
pcapng_files(void)
{
	static struct pb b;
	struct pb_out *o;
	static const uint8_t res[4] = { 3, 6, 9, 0x80 | 10 };

	/* Two Ethernet interfaces, SHB comment and strings, ISB. */
	o = pb_out_pcapng(path("core-2if.pcapng"), 0);
	pb_ng_shb(o, "pcapkit test capture: two interfaces", "x86_64", "Linux", "gen_core");
	pb_ng_idb(o, PK_LINK_EN10MB, 262144, 6, 0, "eth0");
	pb_ng_idb(o, PK_LINK_EN10MB, 262144, 9, 0, "eth1");
	for (int i = 0; i < NMIX; i++) {
		uint32_t ifid = (uint32_t)i % 2;
		uint32_t ns = 1000000u * (uint32_t)i + (ifid ? 123u : 0u);

		mix_packet(&b, PK_LINK_EN10MB, 0, i);
		pb_ng_epb(o, ifid, pb_ng_ticks(T0, ns, ifid ? 9 : 6, 0), b.d, b.len, b.len,
		    i == 3 ? "a packet comment" : NULL);
	}
	pb_ng_isb(o, 0, pb_ng_ticks(T0 + 1, 0, 6, 0), 3);
	pb_close(o);

	/* One Ethernet interface per if_tsresol: 10^-3, 10^-6, 10^-9, 2^-10,
	 * the ns one with an if_tsoffset. */
	o = pb_out_pcapng(path("core-tsresol.pcapng"), 0);
	pb_ng_shb(o, NULL, NULL, NULL, NULL);
	for (int k = 0; k < 4; k++)
		pb_ng_idb(o, PK_LINK_EN10MB, 0, res[k], k == 2 ? T0 : 0, NULL);
	for (int i = 0; i < 8; i++) {
		int k = i % 4;
		/* 0.5 s plus a fraction representable in each unit:
		 * 7 ms, 7.007 ms, 7.007007 ms, 7/1024 s (6835937.5 ns). */
		uint32_t ns = k == 0 ? 7000000u : k == 1 ? 7007000u : k == 2 ? 7007007u : 6835937u;

		mix_packet(&b, PK_LINK_EN10MB, 0, i);
		pb_ng_epb(o, (uint32_t)k, k == 3 ? (uint64_t)(T0 + i) * 1024 + 7 :
		    pb_ng_ticks(T0 + i, ns, res[k], k == 2 ? T0 : 0), b.d, b.len, b.len, NULL);
	}
	pb_close(o);

	/* Big-endian, two sections, SPB, obsolete PB, an unknown block. */
	o = pb_out_pcapng(path("core-be.pcapng"), 1);
	pb_ng_shb(o, "section one", NULL, NULL, NULL);
	pb_ng_idb(o, PK_LINK_EN10MB, 65535, 6, 0, "en0");
	mix_packet(&b, PK_LINK_EN10MB, 0, 0);
	pb_ng_epb(o, 0, pb_ng_ticks(T0, 1000, 6, 0), b.d, b.len, b.len, NULL);
	pb_ng_block(o, 0x40000bad, "custom-ish block body", 21);
	mix_packet(&b, PK_LINK_EN10MB, 0, 1);
	pb_ng_pb(o, 0, pb_ng_ticks(T0, 2000, 6, 0), b.d, b.len, b.len);
	pb_ng_shb(o, "section two", NULL, NULL, NULL);
	pb_ng_idb(o, PK_LINK_EN10MB, 65535, 6, 0, "en1");
	mix_packet(&b, PK_LINK_EN10MB, 0, 2);
	pb_ng_epb(o, 0, pb_ng_ticks(T0, 3000, 6, 0), b.d, b.len, b.len, NULL);
	mix_packet(&b, PK_LINK_EN10MB, 0, 3);
	pb_ng_spb(o, b.d, b.len, b.len);
	pb_close(o);

	/* Two interfaces of different link types: readable, not one pcap stream. */
	o = pb_out_pcapng(path("core-mixed-lt.pcapng"), 0);
	pb_ng_shb(o, NULL, NULL, NULL, NULL);
	pb_ng_idb(o, PK_LINK_EN10MB, 65535, 6, 0, "eth0");
	pb_ng_idb(o, PK_LINK_RAW, 65535, 6, 0, "tun0");
	mix_packet(&b, PK_LINK_EN10MB, 0, 8);
	pb_ng_epb(o, 0, pb_ng_ticks(T0, 0, 6, 0), b.d, b.len, b.len, NULL);
	mix_packet(&b, PK_LINK_RAW, 0, 8);
	pb_ng_epb(o, 1, pb_ng_ticks(T0, 1000, 6, 0), b.d, b.len, b.len, NULL);
	pb_close(o);
}

/* Two sorted captures whose times interleave, with ties across files. */
static void
merge_files(void)
{
	static struct pb b;
	struct pb_out *a = pb_out_pcap(path("merge-a.pcap"), PK_LINK_EN10MB, 65535, 0);
	struct pb_out *c = pb_out_pcap(path("merge-b.pcap"), PK_LINK_EN10MB, 65535, 0);

	for (int i = 0; i < 10; i++) {
		mix_packet(&b, PK_LINK_EN10MB, 0, i);
		pb_put(a, T0 + i, 0, &b);
		mix_packet(&b, PK_LINK_EN10MB, 0, 8);
		/* b: every other packet ties with a; the others fall between. */
		pb_put(c, T0 + i, i % 2 ? 500000000u : 0u, &b);
	}
	pb_close(a);
	pb_close(c);
}

/* Bytes of mix packet I on Ethernet. */
static uint32_t
cut_pkt_len(int i)
{
	static struct pb b;

	mix_packet(&b, PK_LINK_EN10MB, 0, i);
	return b.len;
}

/* Size of bad-cut.pcap before cutting: header + 4 records (3 mix + a 1514-byte one). */
static long
cut_size(void)
{
	return 24 + 4 * 16 + (long)cut_pkt_len(0) + (long)cut_pkt_len(1) +
	       (long)cut_pkt_len(2) + (long)cut_pkt_len(4);
}

static void
damaged_files(void)
{
	static struct pb b;
	struct pb_out *o;
	uint8_t hdr[24];
	FILE *f;

	f = fopen(path("bad-empty.pcap"), "wb");
	if (!f || fclose(f) != 0)
		exit(1);

	/* A well-formed header to cut from. */
	o = pb_out_pcap_ex(path("bad-shorthdr.pcap"), PK_LINK_EN10MB, 65535, 0, 0, 2, 4);
	pb_close(o);
	f = fopen(path("bad-shorthdr.pcap"), "rb");
	if (!f || fread(hdr, 1, 24, f) != 24 || fclose(f) != 0)
		exit(1);
	f = fopen(path("bad-shorthdr.pcap"), "wb");
	if (!f || fwrite(hdr, 1, 10, f) != 10 || fclose(f) != 0)
		exit(1);

	o = pb_out_pcap_ex(path("bad-magic.pcap"), PK_LINK_EN10MB, 65535, 0, 0, 2, 4);
	pb_close(o);
	f = fopen(path("bad-magic.pcap"), "r+b");
	if (!f || fwrite("\x12\x34\x56\x78", 1, 4, f) != 4 || fclose(f) != 0)
		exit(1);

	/* Three good packets, then a 1514-byte fourth cut after 611 bytes. */
	o = pb_out_pcap_ex(path("bad-cut.pcap"), PK_LINK_EN10MB, 65535, 0, 0, 2, 4);
	for (int i = 0; i < 4; i++) {
		mix_packet(&b, PK_LINK_EN10MB, 0, i == 3 ? 4 : i);
		pb_put(o, T0 + i, 0, &b);
	}
	pb_close(o);
	if (truncate(path("bad-cut.pcap"), (off_t)(cut_size() - (1514 - 611))) != 0)
		exit(1);

	/* Two good packets, then a record announcing caplen 300000. */
	o = pb_out_pcap_ex(path("bad-caplen.pcap"), PK_LINK_EN10MB, 65535, 0, 0, 2, 4);
	for (int i = 0; i < 2; i++) {
		mix_packet(&b, PK_LINK_EN10MB, 0, i);
		pb_put(o, T0 + i, 0, &b);
	}
	pb_put_data(o, T0 + 2, 0, b.d, 0, 0);     /* header only, then patch */
	pb_close(o);
	f = fopen(path("bad-caplen.pcap"), "r+b");
	{
		uint8_t cl[4] = { 0xe0, 0x93, 0x04, 0x00 };   /* 300000 LE */
		long at = 24 + 2 * 16 + (long)cut_pkt_len(0) + (long)cut_pkt_len(1) + 8;

		if (!f || fseek(f, at, SEEK_SET) != 0 || fwrite(cl, 1, 4, f) != 4 ||
		    fwrite(cl, 1, 4, f) != 4 || fclose(f) != 0)
			exit(1);
	}

	/* pcapng: two good packets, then an EPB whose length field says 7. */
	o = pb_out_pcapng(path("bad-blocklen.pcapng"), 0);
	pb_ng_shb(o, NULL, NULL, NULL, NULL);
	pb_ng_idb(o, PK_LINK_EN10MB, 0, 6, 0, NULL);
	for (int i = 0; i < 2; i++) {
		mix_packet(&b, PK_LINK_EN10MB, 0, i);
		pb_ng_epb(o, 0, pb_ng_ticks(T0 + i, 0, 6, 0), b.d, b.len, b.len, NULL);
	}
	pb_raw(o, "\x06\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00", 12);
	pb_close(o);
}

/* ---- the demo: two capture points of a small office's web traffic ---- */

struct conv {
	const char *c, *s;
	uint16_t cp, sp;
	uint32_t cseq, sseq;
};

static void
seg(struct pb *b, const struct conv *v, int from_server, uint16_t flags, uint32_t dlen)
{
	pb_begin(b, PK_LINK_EN10MB);
	pb_ipv4(b, &(struct pb_ip4){ .src = from_server ? v->s : v->c,
	    .dst = from_server ? v->c : v->s, .frag = 0x4000, .ttl = from_server ? 52 : 64 });
	pb_tcp(b, &(struct pb_tcp){ .sport = from_server ? v->sp : v->cp,
	    .dport = from_server ? v->cp : v->sp,
	    .seq = from_server ? v->sseq : v->cseq,
	    .ack = (flags & PK_TH_ACK) ? (from_server ? v->cseq : v->sseq) : 0,
	    .flags = flags, .win = 64240, .mss = (flags & PK_TH_SYN) ? 1460 : 0 });
	if (dlen)
		pb_fill(b, dlen, from_server ? 'r' : 'q');
	pb_finish(b);
}

/* Emit one packet on output O (pcap or pcapng interface 0) at T0 + MS ms. */
static void
emit(struct pb_out *o, int ng, const struct pb *b, uint32_t ms)
{
	int64_t sec = T0 + ms / 1000;
	uint32_t ns = (ms % 1000) * 1000000u + (ng ? 417u : 0u);

	if (ng)
		pb_ng_epb(o, 0, pb_ng_ticks(sec, ns, 9, 0), b->d, b->len, b->len, NULL);
	else
		pb_put(o, sec, ns, b);
}

/* A whole HTTP exchange: handshake, request, NSEG response segments, close. */
static void
http(struct pb_out *o, int ng, struct conv v, uint32_t ms, int nseg, int close)
{
	static struct pb b;
	uint32_t t = ms;

	seg(&b, &v, 0, PK_TH_SYN, 0); emit(o, ng, &b, t); v.cseq++;
	seg(&b, &v, 1, PK_TH_SYN | PK_TH_ACK, 0); emit(o, ng, &b, t += 21); v.sseq++;
	seg(&b, &v, 0, PK_TH_ACK, 0); emit(o, ng, &b, t += 1);
	seg(&b, &v, 0, PK_TH_ACK | PK_TH_PUSH, 120); emit(o, ng, &b, t += 1); v.cseq += 120;
	for (int i = 0; i < nseg; i++) {
		seg(&b, &v, 1, PK_TH_ACK, 1448); emit(o, ng, &b, t += 23); v.sseq += 1448;
		if (i % 2) {
			seg(&b, &v, 0, PK_TH_ACK, 0);
			emit(o, ng, &b, t += 1);
		}
	}
	if (close) {
		seg(&b, &v, 0, PK_TH_FIN | PK_TH_ACK, 0); emit(o, ng, &b, t += 40); v.cseq++;
		seg(&b, &v, 1, PK_TH_FIN | PK_TH_ACK, 0); emit(o, ng, &b, t += 21); v.sseq++;
		seg(&b, &v, 0, PK_TH_ACK, 0); emit(o, ng, &b, t += 1);
	}
}

static void
demo_files(void)
{
	static struct pb b;
	struct pb_out *a = pb_out_pcap(path("demo-uplink.pcap"), PK_LINK_EN10MB, 262144, 0);
	struct pb_out *n = pb_out_pcapng(path("demo-wifi.pcapng"), 0);
	struct conv rej = { "10.1.0.6", "93.184.216.34", 50002, 80, 7000, 0 };

	pb_ng_shb(n, "demo: the office Wi-Fi access point", NULL, "Linux", "gen_core");
	pb_ng_idb(n, PK_LINK_EN10MB, 262144, 9, 0, "wlan0");

	/* Uplink: a page fetch to port 80, an HTTPS session, and DNS. */
	http(a, 0, (struct conv){ "10.1.0.5", "93.184.216.34", 50001, 80, 1000, 90000 }, 0, 6, 1);
	http(a, 0, (struct conv){ "10.1.0.7", "151.101.1.69", 50003, 443, 3000, 70000 }, 40, 4, 1);
	for (int i = 0; i < 3; i++) {
		pb_begin(&b, PK_LINK_EN10MB);
		pb_ipv4(&b, &(struct pb_ip4){ .src = "10.1.0.5", .dst = "10.1.0.1", .id = (uint16_t)i });
		pb_udp(&b, (uint16_t)(40000 + i), 53);
		pb_payload(&b, "\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		    "\x07" "example" "\x03" "com" "\x00\x00\x01\x00\x01", 29);
		pb_finish(&b);
		emit(a, 0, &b, 600 + 100u * (uint32_t)i);
	}
	/* Wi-Fi: a refused connection, a second fetch still open at the end. */
	seg(&b, &rej, 0, PK_TH_SYN, 0);
	emit(n, 1, &b, 15);
	rej.cseq++;
	seg(&b, &rej, 1, PK_TH_RST | PK_TH_ACK, 0);
	emit(n, 1, &b, 36);
	http(n, 1, (struct conv){ "10.1.0.8", "93.184.216.34", 50004, 80, 5000, 30000 }, 120, 3, 0);
	pb_close(a);
	pb_close(n);
}

int
main(int argc, char **argv)
{
	struct pb_out *o;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_core DIR\n");
		return 2;
	}
	dir = argv[1];

	o = pb_out_pcap(path("core-eth-us.pcap"), PK_LINK_EN10MB, 262144, 0);
	pcap_mix(o, PK_LINK_EN10MB, 0, 0);
	pb_close(o);
	o = pb_out_pcap(path("core-eth-ns.pcap"), PK_LINK_EN10MB, 262144, 1);
	pcap_mix(o, PK_LINK_EN10MB, 0, 1);
	pb_close(o);
	o = pb_out_pcap_ex(path("core-be-us.pcap"), PK_LINK_EN10MB, 65535, 0, 1, 2, 4);
	pcap_mix(o, PK_LINK_EN10MB, 0, 0);
	pb_close(o);
	o = pb_out_pcap_ex(path("core-be-ns.pcap"), PK_LINK_EN10MB, 65535, 1, 1, 2, 4);
	pcap_mix(o, PK_LINK_EN10MB, 0, 1);
	pb_close(o);
	o = pb_out_pcap(path("core-sll.pcap"), PK_LINK_LINUX_SLL, 262144, 0);
	pcap_mix(o, PK_LINK_LINUX_SLL, 0, 0);
	pb_close(o);
	o = pb_out_pcap(path("core-sll2.pcap"), PK_LINK_LINUX_SLL2, 262144, 0);
	pcap_mix(o, PK_LINK_LINUX_SLL2, 0, 0);
	pb_close(o);
	o = pb_out_pcap(path("core-null.pcap"), PK_LINK_NULL, 262144, 0);
	pcap_mix(o, PK_LINK_NULL, PB_NULL_LE, 0);
	pb_close(o);
	o = pb_out_pcap(path("core-loop.pcap"), PK_LINK_LOOP, 262144, 0);
	pcap_mix(o, PK_LINK_LOOP, PB_NULL_BE, 0);
	pb_close(o);
	o = pb_out_pcap(path("core-raw.pcap"), PK_LINK_RAW, 262144, 0);
	pcap_mix(o, PK_LINK_RAW, 0, 0);
	pb_close(o);
	/* Header snaplen 96, but the records keep up to 1514 bytes. */
	o = pb_out_pcap(path("core-overcap.pcap"), PK_LINK_EN10MB, 96, 0);
	pcap_mix(o, PK_LINK_EN10MB, 0, 0);
	pb_close(o);
	vlan_file();
	pcapng_files();
	merge_files();
	damaged_files();
	demo_files();
	return 0;
}
