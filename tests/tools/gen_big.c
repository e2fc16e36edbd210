/* gen_big.c — write a deterministic large capture for the benchmarks.
 *
 * Usage: gen_big OUT MIB [SEED [START]]
 * Writes about MIB MiB of Ethernet pcap: many TCP connections (handshake,
 * full-size 1514-byte data frames, small ACKs, FIN), DNS-like UDP queries
 * and answers, ICMP echo, ARP, IPv6 TCP and 802.1Q-tagged frames.  The same
 * arguments always give the same bytes (a fixed linear congruential
 * generator, no clock).  Times advance 20 µs per packet from START
 * (default 2024-05-01T12:00:00Z) plus SEED ms, so two seeds interleave.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../testdata/pktbuild.h"

static uint64_t rng;

static uint32_t
rnd(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng >> 33);
}

static struct pb b;
static struct pb_out *out;
static uint64_t bytes, t_ns;
static int64_t t0;

static void
put(void)
{
	pb_finish(&b);
	pb_put(out, t0 + (int64_t)(t_ns / 1000000000u), (uint32_t)(t_ns % 1000000000u), &b);
	bytes += 16 + b.len;
	t_ns += 20000;
}

static void
addr(char *buf, size_t n, uint32_t host, int side)
{
	snprintf(buf, n, "10.%u.%u.%u", side ? 200 : (host >> 16) & 0x7f, (host >> 8) & 0xff, host & 0xff);
}

static void
tcp(const char *c, const char *s, uint16_t sp, uint16_t dp, uint32_t seq, uint32_t ack,
    uint16_t flags, size_t payload, int vlan)
{
	pb_begin(&b, PK_LINK_EN10MB);
	if (vlan)
		pb_vlan(&b, 0x8100, 42);
	pb_ipv4(&b, &(struct pb_ip4){ .src = c, .dst = s, .id = (uint16_t)rnd(), .frag = 0x4000 });
	pb_tcp(&b, &(struct pb_tcp){ .sport = sp, .dport = dp, .seq = seq, .ack = ack,
	    .flags = flags, .win = 502, .mss = (flags & PK_TH_SYN) ? 1460 : 0 });
	if (payload)
		pb_fill(&b, payload, (uint8_t)('a' + rnd() % 26));
	put();
}

static void
connection(void)
{
	char c[32], s[32];
	uint32_t h = rnd();
	uint16_t sp = (uint16_t)(32768 + rnd() % 28000);
	uint32_t cs = rnd(), ss = rnd();
	int vlan = rnd() % 16 == 0;
	unsigned nseg = 2 + rnd() % 60;

	addr(c, sizeof c, h, 0);
	addr(s, sizeof s, h % 64, 1);
	tcp(c, s, sp, 443, cs, 0, PK_TH_SYN, 0, vlan);
	tcp(s, c, 443, sp, ss, cs + 1, PK_TH_SYN | PK_TH_ACK, 0, vlan);
	tcp(c, s, sp, 443, cs + 1, ss + 1, PK_TH_ACK, 0, vlan);
	tcp(c, s, sp, 443, cs + 1, ss + 1, PK_TH_ACK | PK_TH_PUSH, 200 + rnd() % 300, vlan);
	for (unsigned i = 0; i < nseg; i++) {
		tcp(s, c, 443, sp, ss + 1 + i * 1448, cs + 1, PK_TH_ACK, 1448, vlan);
		if (i % 2)
			tcp(c, s, sp, 443, cs + 1, ss + 1 + (i + 1) * 1448, PK_TH_ACK, 0, vlan);
	}
	tcp(c, s, sp, 443, cs + 1, ss + 1, PK_TH_FIN | PK_TH_ACK, 0, vlan);
	tcp(s, c, 443, sp, ss + 1, cs + 2, PK_TH_FIN | PK_TH_ACK, 0, vlan);
}

static void
dns(void)
{
	char c[32];
	uint16_t id = (uint16_t)rnd(), sp = (uint16_t)(1024 + rnd() % 60000);
	static const char q[] = "\x00\x00\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
	    "\x03www\x07" "example\x03" "com\x00\x00\x01\x00\x01";

	addr(c, sizeof c, rnd(), 0);
	pb_begin(&b, PK_LINK_EN10MB);
	pb_ipv4(&b, &(struct pb_ip4){ .src = c, .dst = "10.200.0.53", .id = id });
	pb_udp(&b, sp, 53);
	pb_payload(&b, q, sizeof q - 1);
	b.d[b.len - (sizeof q - 1)] = (uint8_t)(id >> 8);
	put();
	pb_begin(&b, PK_LINK_EN10MB);
	pb_ipv4(&b, &(struct pb_ip4){ .src = "10.200.0.53", .dst = c, .id = id });
	pb_udp(&b, 53, sp);
	pb_payload(&b, q, sizeof q - 1);
	pb_fill(&b, 16, 0xc0);
	put();
}

static void
other(void)
{
	char c[32];
	unsigned k = rnd() % 3;

	addr(c, sizeof c, rnd(), 0);
	pb_begin(&b, PK_LINK_EN10MB);
	if (k == 0) {
		pb_ipv4(&b, &(struct pb_ip4){ .src = c, .dst = "10.200.0.1" });
		pb_icmp(&b, 8, 0, rnd());
		pb_fill(&b, 56, 0x61);
	} else if (k == 1) {
		pb_arp(&b, 1, "02:00:00:00:00:01", c, NULL, "10.200.0.1");
	} else {
		pb_ipv6(&b, &(struct pb_ip6){ .src = "2001:db8::1", .dst = "2001:db8::2" });
		pb_tcp(&b, &(struct pb_tcp){ .sport = (uint16_t)rnd(), .dport = 80, .seq = rnd(),
		    .flags = PK_TH_ACK, .win = 1000 });
		pb_fill(&b, 100 + rnd() % 1000, 0x36);
	}
	put();
}

int
main(int argc, char **argv)
{
	uint64_t want;
	unsigned seed;

	if (argc < 3) {
		fprintf(stderr, "usage: gen_big OUT MIB [SEED [START]]\n");
		return 2;
	}
	want = strtoull(argv[2], NULL, 10) << 20;
	seed = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 1;
	t0 = argc > 4 ? strtoll(argv[4], NULL, 10) : 1714564800;
	rng = seed;
	t_ns = (uint64_t)seed * 1000000u;
	out = pb_out_pcap(argv[1], PK_LINK_EN10MB, 262144, 0);
	bytes = 24;
	while (bytes < want) {
		unsigned k = rnd() % 10;

		if (k < 6)
			connection();
		else if (k < 9)
			dns();
		else
			other();
	}
	pb_close(out);
	return 0;
}
