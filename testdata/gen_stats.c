/* gen_stats.c — write pstats's test captures into the directory argv[1]:
 * one small capture per quality finding and a protocol mix whose counts are
 * derived by hand in the comments (tests/pstats.bats checks them).
 *
 * Deterministic: running it again reproduces the committed files byte for
 * byte.  testdata/README.md has one line per file.
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
#define MS 1000000u

static struct pb b;

static void
tcp4(const char *src, const char *dst, uint16_t sp, uint16_t dp, uint32_t seq,
     uint32_t ack, uint16_t flags, size_t payload)
{
	pb_begin(&b, PK_LINK_EN10MB);
	pb_ipv4(&b, &(struct pb_ip4){ .src = src, .dst = dst, .id = (uint16_t)seq });
	pb_tcp(&b, &(struct pb_tcp){ .sport = sp, .dport = dp, .seq = seq, .ack = ack,
	    .flags = flags });
	pb_fill(&b, payload, 'd');
	pb_finish(&b);
}

/* A UDP packet of 42 + N bytes whose payload is N bytes TAG (so packets
 * differ unless tags match). */
static void
udp4n(uint8_t tag, size_t n)
{
	pb_begin(&b, PK_LINK_EN10MB);
	pb_ipv4(&b, &(struct pb_ip4){ .src = "10.1.0.1", .dst = "10.1.0.2" });
	pb_udp(&b, 1000, 2000);
	pb_fill(&b, n, tag);
	pb_finish(&b);
}

/* The same, 60 bytes long. */
static void
udp4(uint8_t tag)
{
	udp4n(tag, 18);
}

/*
 * The mix: 22 Ethernet packets over 2.9 s, ms offsets in the comments.
 *   tcp  (IPv4 proto 6):  p0-p9 = 10   (p17 is TCP behind an IPv6 hop-by-hop
 *                         header, which tcpdump's "tcp" does not match: we
 *                         follow tcpdump, so it is not in protocols.tcp)
 *   udp  (proto 17): p10 p11 p15 p18 p19 p20 = 6 (p18 VLAN-tagged, p19-20 fragments)
 *   icmp: p12 p13 = 2; icmp6: p16 = 1; arp: p14 = 1; other: p21 (EtherType 0x88b5) = 1
 *   ipv4: p0-p13 p18-p20 = 17; ipv6: p15-p17 = 3; vlan: p18 = 1; frag: p19 p20 = 2
 *   tcp flags: SYN p0 p8 p17 = 3, SYN-ACK p1 = 1, FIN p5 p6 = 2, RST p9 = 1
 *   1 s buckets: [0,1) p0-p4 = 5, [1,2) p5-p11 = 7, [2,3) p12-p21 = 10
 */
static void
mix_file(void)
{
	struct pb_out *o = pb_out_pcap(path("stats-mix.pcap"), PK_LINK_EN10MB, 65535, 0);
	const char *c = "10.0.0.1", *s = "10.0.0.2";
	int i = 0;

#define PUT(ms) pb_put(o, T0 + (ms) / 1000, (uint32_t)((ms) % 1000) * MS, &b)
	tcp4(c, s, 40000, 80, 1000, 0, PK_TH_SYN, 0);                        PUT(0);
	tcp4(s, c, 80, 40000, 5000, 1001, PK_TH_SYN | PK_TH_ACK, 0);         PUT(100);
	tcp4(c, s, 40000, 80, 1001, 5001, PK_TH_ACK, 0);                     PUT(200);
	tcp4(c, s, 40000, 80, 1001, 5001, PK_TH_ACK | PK_TH_PUSH, 100);      PUT(300);
	tcp4(s, c, 80, 40000, 5001, 1101, PK_TH_ACK, 200);                   PUT(400);
	tcp4(c, s, 40000, 80, 1101, 5201, PK_TH_FIN | PK_TH_ACK, 0);         PUT(1000);
	tcp4(s, c, 80, 40000, 5201, 1102, PK_TH_FIN | PK_TH_ACK, 0);         PUT(1100);
	tcp4(c, s, 40000, 80, 1102, 5202, PK_TH_ACK, 0);                     PUT(1200);
	tcp4(c, "10.0.0.3", 40001, 443, 7000, 0, PK_TH_SYN, 0);              PUT(1300);
	tcp4("10.0.0.3", c, 443, 40001, 0, 7001, PK_TH_RST | PK_TH_ACK, 0);  PUT(1400);

	pb_begin(&b, PK_LINK_EN10MB);                          /* p10 */
	pb_ipv4(&b, &(struct pb_ip4){ .src = c, .dst = "10.0.0.4", .id = 10 });
	pb_udp(&b, 5353, 53);
	pb_fill(&b, 20, 'q');
	pb_finish(&b);
	PUT(1500);
	pb_begin(&b, PK_LINK_EN10MB);                          /* p11 */
	pb_ipv4(&b, &(struct pb_ip4){ .src = "10.0.0.4", .dst = c, .id = 11 });
	pb_udp(&b, 53, 5353);
	pb_fill(&b, 40, 'r');
	pb_finish(&b);
	PUT(1600);
	pb_begin(&b, PK_LINK_EN10MB);                          /* p12 */
	pb_ipv4(&b, &(struct pb_ip4){ .src = c, .dst = s, .id = 12 });
	pb_icmp(&b, 8, 0, 0x0042u << 16 | 1);
	pb_fill(&b, 32, 'i');
	pb_finish(&b);
	PUT(2000);
	pb_begin(&b, PK_LINK_EN10MB);                          /* p13 */
	pb_ipv4(&b, &(struct pb_ip4){ .src = s, .dst = c, .id = 13 });
	pb_icmp(&b, 0, 0, 0x0042u << 16 | 1);
	pb_fill(&b, 32, 'i');
	pb_finish(&b);
	PUT(2100);
	pb_begin(&b, PK_LINK_EN10MB);                          /* p14 */
	pb_arp(&b, 1, "02:00:00:00:00:01", c, NULL, s);
	pb_finish(&b);
	PUT(2200);
	pb_begin(&b, PK_LINK_EN10MB);                          /* p15 */
	pb_ipv6(&b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2" });
	pb_udp(&b, 1000, 53);
	pb_fill(&b, 12, 'u');
	pb_finish(&b);
	PUT(2300);
	pb_begin(&b, PK_LINK_EN10MB);                          /* p16 */
	pb_ipv6(&b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2" });
	pb_icmp6(&b, 128, 0, 0x0007u << 16 | 1);
	pb_fill(&b, 16, '6');
	pb_finish(&b);
	PUT(2400);
	pb_begin(&b, PK_LINK_EN10MB);                          /* p17 */
	pb_ipv6(&b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2" });
	pb_ipv6_ext(&b, 0, (const uint8_t *)"\x05\x02\x00\x00", 4);
	pb_tcp(&b, &(struct pb_tcp){ .sport = 40002, .dport = 22, .seq = 1, .flags = PK_TH_SYN });
	pb_finish(&b);
	PUT(2500);
	pb_begin(&b, PK_LINK_EN10MB);                          /* p18 */
	pb_vlan(&b, 0x8100, 100);
	pb_ipv4(&b, &(struct pb_ip4){ .src = "10.0.0.5", .dst = "10.0.0.6", .id = 18 });
	pb_udp(&b, 1234, 53);
	pb_fill(&b, 10, 'v');
	pb_finish(&b);
	PUT(2600);
	pb_begin(&b, PK_LINK_EN10MB);                          /* p19: first fragment */
	pb_ipv4(&b, &(struct pb_ip4){ .src = c, .dst = s, .id = 0x4242, .frag = 0x2000 });
	pb_udp_bad(&b, 5000, 5001, 8 + 96 + 92, 0);
	pb_fill(&b, 96, 0x42);     /* 104 bytes of IP payload: 13 units of 8 */
	pb_finish(&b);
	PUT(2700);
	pb_begin(&b, PK_LINK_EN10MB);                          /* p20: last fragment */
	pb_ipv4(&b, &(struct pb_ip4){ .src = c, .dst = s, .id = 0x4242, .frag = 13,
	    .proto = 17 });
	pb_fill(&b, 92, 0x43);
	pb_finish(&b);
	PUT(2800);
	pb_begin(&b, PK_LINK_EN10MB);                          /* p21: EtherType 0x88b5 (local experimental) */
	pb_fill(&b, 30, 0);
	pb_finish(&b);
	b.d[12] = 0x88;
	b.d[13] = 0xb5;
	PUT(2900);
#undef PUT
	(void)i;
	pb_close(o);
}

/* Time goes backwards twice: 10.0, 11.0, 9.5 (-1.5 s), 12.0, 11.8 (-0.2 s). */
static void
backwards_file(void)
{
	static const uint32_t ms[] = { 10000, 11000, 9500, 12000, 11800 };
	struct pb_out *o = pb_out_pcap(path("stats-backwards.pcap"), PK_LINK_EN10MB, 65535, 0);

	for (unsigned i = 0; i < 5; i++) {
		udp4((uint8_t)i);
		pb_put(o, T0 + ms[i] / 1000, (ms[i] % 1000) * MS, &b);
	}
	pb_close(o);
}

/* Equal timestamps: 1, 1, 1, 2, 3, 3, 4 s: two runs, the longest 3. */
static void
equal_file(void)
{
	static const uint32_t sec[] = { 1, 1, 1, 2, 3, 3, 4 };
	struct pb_out *o = pb_out_pcap(path("stats-equal.pcap"), PK_LINK_EN10MB, 65535, 0);

	for (unsigned i = 0; i < 7; i++) {
		udp4((uint8_t)i);
		pb_put(o, T0 + sec[i], 0, &b);
	}
	pb_close(o);
}

/*
 * Duplicates: tags A A B C A, then 9 distinct, then B.  The second A is a
 * duplicate (previous packet), the third A too (3 packets back, within the
 * window of 8); the last B is 13 packets after the first: not counted.  = 2.
 */
static void
dup_file(void)
{
	static const uint8_t tags[] = { 'A', 'A', 'B', 'C', 'A', 1, 2, 3, 4, 5, 6, 7, 8, 9, 'B' };
	struct pb_out *o = pb_out_pcap(path("stats-dup.pcap"), PK_LINK_EN10MB, 65535, 0);

	for (unsigned i = 0; i < sizeof tags; i++) {
		udp4(tags[i]);
		pb_put(o, T0, i * MS, &b);
	}
	pb_close(o);
}

/* Header snaplen 64; three 100-byte packets kept whole (caplen > snaplen),
 * one cut to 64. */
static void
oversnap_file(void)
{
	struct pb_out *o = pb_out_pcap(path("stats-oversnap.pcap"), PK_LINK_EN10MB, 64, 0);

	for (unsigned i = 0; i < 4; i++) {
		udp4n((uint8_t)i, 58);    /* 100 bytes */
		if (i == 3)
			pb_put_cut(o, T0 + i, 0, &b, 64);
		else
			pb_put(o, T0 + i, 0, &b);
	}
	pb_close(o);
}

/* pcapng: one interface, 3 packets, then an ISB saying 7 were dropped. */
static void
drops_file(void)
{
	struct pb_out *o = pb_out_pcapng(path("stats-drops.pcapng"), 0);

	pb_ng_shb(o, NULL, NULL, "Linux", "gen_stats");
	pb_ng_idb(o, PK_LINK_EN10MB, 65535, 6, 0, "eth0");
	for (unsigned i = 0; i < 3; i++) {
		udp4((uint8_t)i);
		pb_ng_epb(o, 0, pb_ng_ticks(T0 + i, 0, 6, 0), b.d, b.len, b.len, NULL);
	}
	pb_ng_isb(o, 0, pb_ng_ticks(T0 + 3, 0, 6, 0), 7);
	pb_close(o);
}

/*
 * Damaged tail: 3 good 60-byte packets (24 + 3 * 76 = 252 bytes), then a
 * record header announcing 200 bytes of which 50 follow: the tail starts
 * at offset 252 and is 16 + 50 = 66 bytes long.
 */
static void
cut_file(void)
{
	struct pb_out *o = pb_out_pcap_ex(path("stats-cut.pcap"), PK_LINK_EN10MB, 65535, 0, 0, 2, 4);
	static const uint8_t hdr[16] = {
		0xe0, 0x3c, 0x32, 0x66,   /* 1714564320 LE: any time */
		0, 0, 0, 0, 200, 0, 0, 0, 200, 0, 0, 0 };
	uint8_t junk[50];

	for (unsigned i = 0; i < 3; i++) {
		udp4((uint8_t)i);
		pb_put(o, T0 + i, 0, &b);
	}
	memset(junk, 0x5a, sizeof junk);
	pb_raw(o, hdr, sizeof hdr);
	pb_raw(o, junk, sizeof junk);
	pb_close(o);
}

/*
 * TCP bytes ACKed but never seen.  Connection 1: handshake, 100 bytes at
 * 101-200, 100 bytes at 301-400 (201-300 missing), the server ACKs 401:
 * 100 bytes unseen.  Connection 2 is one-sided: only the server's pure ACKs,
 * acknowledging 1000 then 3000: 2000 bytes unseen.  Total 2100 in 2.
 */
static void
unseen_file(void)
{
	struct pb_out *o = pb_out_pcap(path("stats-unseen.pcap"), PK_LINK_EN10MB, 65535, 0);
	const char *c = "10.2.0.1", *s = "10.2.0.2";
	uint32_t t = 0;

#define PUT() pb_put(o, T0, (t++) * MS, &b)
	tcp4(c, s, 33000, 80, 100, 0, PK_TH_SYN, 0);                 PUT();
	tcp4(s, c, 80, 33000, 900, 101, PK_TH_SYN | PK_TH_ACK, 0);   PUT();
	tcp4(c, s, 33000, 80, 101, 901, PK_TH_ACK, 0);               PUT();
	tcp4(c, s, 33000, 80, 101, 901, PK_TH_ACK, 100);             PUT();
	tcp4(c, s, 33000, 80, 301, 901, PK_TH_ACK, 100);             PUT();
	tcp4(s, c, 80, 33000, 901, 401, PK_TH_ACK, 0);               PUT();
	tcp4("10.2.0.4", "10.2.0.3", 443, 34000, 50, 1000, PK_TH_ACK, 0);  PUT();
	tcp4("10.2.0.4", "10.2.0.3", 443, 34000, 50, 3000, PK_TH_ACK, 0);  PUT();
#undef PUT
	pb_close(o);
}

/* A pcap header and no packet. */
static void
empty_file(void)
{
	struct pb_out *o = pb_out_pcap(path("stats-empty.pcap"), PK_LINK_EN10MB, 65535, 0);

	pb_close(o);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_stats DIR\n");
		return 2;
	}
	dir = argv[1];
	mix_file();
	backwards_file();
	equal_file();
	dup_file();
	oversnap_file();
	drops_file();
	cut_file();
	unseen_file();
	empty_file();
	return 0;
}
