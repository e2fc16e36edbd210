/* gen_shard.c — write the sharding test captures into the directory argv[1].
 *
 * shard-a.pcap and shard-b.pcap are two "rotated" captures (a: the first
 * 300 s, b: the rest) of one 12-minute trace with many flows: TCP
 * connections that complete, are refused, are never answered, idle past the
 * 300 s TCP timeout or span the two files; DNS-like UDP pairs; UDP flows
 * idle past 60 s (two pflows records each); fragmented UDP datagrams (first
 * fragment with the ports, later ones without, some out of order); ICMP
 * port unreachables sent by the server and time-exceeded errors sent by a
 * router, each quoting a flow; ICMP echo; a request on VLAN 10 answered on
 * VLAN 20 (two flows for pflows, one for pflows --zeek); IPv6 TCP and
 * ICMPv6; ARP; an experimental EtherType; and a last 2 minutes in which
 * only one host pair talks, so that the other shards end early (the case
 * where the end-of-input clock matters).
 *
 * Deterministic (a fixed LCG, no clock): running it again reproduces the
 * committed files byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

#define T0 1714564800LL           /* 2024-05-01T12:00:00Z */
#define S  1000000000LL
#define MS 1000000LL

struct rec { int64_t t; uint32_t seq, len; uint8_t *d; };

static struct rec *recs;
static size_t nrec, caprec;
static uint32_t seqno;
static struct pb b;
static uint64_t rng = 42;

static uint32_t
rnd(uint32_t n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)((rng >> 33) % n);
}

/* Keep the finished packet in b at time T (ns from T0). */
static void
store(int64_t t)
{
	if (nrec == caprec) {
		caprec = caprec ? caprec * 2 : 1024;
		recs = realloc(recs, caprec * sizeof *recs);
		if (!recs)
			exit(2);
	}
	recs[nrec].t = t;
	recs[nrec].seq = seqno++;
	recs[nrec].len = b.len;
	recs[nrec].d = malloc(b.len);
	if (!recs[nrec].d)
		exit(2);
	memcpy(recs[nrec].d, b.d, b.len);
	nrec++;
}

static void
keep(int64_t t)
{
	pb_finish(&b);
	store(t);
}

static void
eth(int vlan)
{
	pb_begin(&b, PK_LINK_EN10MB);
	if (vlan)
		pb_vlan(&b, 0x8100, (uint16_t)vlan);
}

static void
tcp(int64_t t, const char *s, const char *d, uint16_t sp, uint16_t dp, uint32_t seq,
    uint32_t ack, uint16_t fl, size_t n)
{
	eth(0);
	pb_ipv4(&b, &(struct pb_ip4){ .src = s, .dst = d, .id = (uint16_t)seqno, .frag = 0x4000 });
	pb_tcp(&b, &(struct pb_tcp){ .sport = sp, .dport = dp, .seq = seq, .ack = ack,
	    .flags = fl, .win = 8192, .mss = (fl & PK_TH_SYN) ? 1460 : 0 });
	pb_fill(&b, n, 'x');
	keep(t);
}

static void
tcp6(int64_t t, const char *s, const char *d, uint16_t sp, uint16_t dp, uint32_t seq,
     uint32_t ack, uint16_t fl, size_t n)
{
	eth(0);
	pb_ipv6(&b, &(struct pb_ip6){ .src = s, .dst = d });
	pb_tcp(&b, &(struct pb_tcp){ .sport = sp, .dport = dp, .seq = seq, .ack = ack,
	    .flags = fl, .win = 8192 });
	pb_fill(&b, n, 'y');
	keep(t);
}

static void
udp(int64_t t, int vlan, const char *s, const char *d, uint16_t sp, uint16_t dp, size_t n)
{
	eth(vlan);
	pb_ipv4(&b, &(struct pb_ip4){ .src = s, .dst = d, .id = (uint16_t)seqno });
	pb_udp(&b, sp, dp);
	pb_fill(&b, n, 'u');
	keep(t);
}

static const char *
client(char *buf, size_t n, uint32_t i)
{
	snprintf(buf, n, "10.1.%u.%u", (i >> 8) & 0xff, (i & 0xff) + 1);
	return buf;
}

static const char *
server(char *buf, size_t n, uint32_t i)
{
	snprintf(buf, n, "10.2.0.%u", i % 12 + 1);
	return buf;
}

/* One TCP connection from time T; KIND 0 complete, 1 refused, 2 unanswered,
 * 3 left open, 4 idle past the TCP timeout then closed. */
static void
conn(int64_t t, uint32_t i, int kind)
{
	char c[32], s[32];
	uint16_t sp = (uint16_t)(20000 + i), dp = (uint16_t)(i % 3 == 0 ? 443 : 80);
	uint32_t x = 1000 * i + 1, y = 7000 * i + 1;
	int64_t rtt = (1 + rnd(20)) * MS;

	client(c, sizeof c, i % 97);
	server(s, sizeof s, i);
	tcp(t, c, s, sp, dp, x, 0, PK_TH_SYN, 0);
	if (kind == 1) {
		tcp(t + rtt, s, c, dp, sp, 0, x + 1, PK_TH_RST | PK_TH_ACK, 0);
		return;
	}
	if (kind == 2) {
		tcp(t + 3 * S, c, s, sp, dp, x, 0, PK_TH_SYN, 0);
		return;
	}
	tcp(t + rtt, s, c, dp, sp, y, x + 1, PK_TH_SYN | PK_TH_ACK, 0);
	tcp(t + 2 * rtt, c, s, sp, dp, x + 1, y + 1, PK_TH_ACK, 0);
	tcp(t + 2 * rtt + MS, c, s, sp, dp, x + 1, y + 1, PK_TH_ACK | PK_TH_PUSH, 100);
	tcp(t + 3 * rtt + MS, s, c, dp, sp, y + 1, x + 101, PK_TH_ACK, 1000);
	tcp(t + 3 * rtt + 2 * MS, s, c, dp, sp, y + 1001, x + 101, PK_TH_ACK | PK_TH_PUSH, 500);
	tcp(t + 4 * rtt + 2 * MS, c, s, sp, dp, x + 101, y + 1501, PK_TH_ACK, 0);
	if (kind == 3)
		return;
	if (kind == 4)
		t += 320 * S;
	tcp(t + 4 * rtt + 5 * MS, c, s, sp, dp, x + 101, y + 1501, PK_TH_FIN | PK_TH_ACK, 0);
	tcp(t + 5 * rtt + 5 * MS, s, c, dp, sp, y + 1501, x + 102, PK_TH_FIN | PK_TH_ACK, 0);
	tcp(t + 6 * rtt + 5 * MS, c, s, sp, dp, x + 102, y + 1502, PK_TH_ACK, 0);
}

static void
traffic(void)
{
	char c[32], s[32];

	for (uint32_t i = 0; i < 240; i++) {
		uint32_t k = rnd(20);
		int kind = k < 14 ? 0 : k < 16 ? 1 : k < 18 ? 2 : k < 19 ? 3 : 4;

		if (kind == 4 && i > 120)
			kind = 0;
		conn((int64_t)rnd(560) * S + rnd(1000) * MS, i, kind);
	}
	/* DNS-like pairs; every 10th client asks again 90 s later (a new flow). */
	for (uint32_t i = 0; i < 160; i++) {
		int64_t t = (int64_t)rnd(570) * S + rnd(1000) * MS;
		uint16_t sp = (uint16_t)(30000 + i);

		client(c, sizeof c, (i * 7) % 97);
		udp(t, 0, c, "10.2.0.53", sp, 53, 30);
		udp(t + (1 + rnd(30)) * MS, 0, "10.2.0.53", c, 53, sp, 90);
		if (i % 10 == 0 && t < 480 * S) {
			udp(t + 90 * S, 0, c, "10.2.0.53", sp, 53, 30);
			udp(t + 90 * S + 5 * MS, 0, "10.2.0.53", c, 53, sp, 90);
		}
	}
	/* Fragmented UDP datagrams: 3 fragments, every 4th with the last
	 * fragment first. */
	for (uint32_t i = 0; i < 24; i++) {
		int64_t t = (int64_t)rnd(560) * S + rnd(1000) * MS;
		uint16_t id = (uint16_t)(0x5000 + i);
		int64_t o[3] = { 0, MS, 2 * MS };

		client(c, sizeof c, (i * 13) % 97);
		server(s, sizeof s, i + 5);
		if (i % 4 == 0) {
			o[0] = 2 * MS;
			o[2] = 0;
		}
		eth(0);
		pb_ipv4(&b, &(struct pb_ip4){ .src = c, .dst = s, .id = id, .frag = 0x2000 });
		pb_udp_bad(&b, (uint16_t)(40000 + i), 7000, 8 + 2000, 0);
		pb_fill(&b, 992, 'f');
		keep(t + o[0]);
		eth(0);
		pb_ipv4(&b, &(struct pb_ip4){ .src = c, .dst = s, .id = id, .frag = 0x2000 | 1000 / 8,
		    .proto = 17 });
		pb_fill(&b, 1000, 'g');
		keep(t + o[1]);
		eth(0);
		pb_ipv4(&b, &(struct pb_ip4){ .src = c, .dst = s, .id = id, .frag = 2000 / 8,
		    .proto = 17 });
		pb_fill(&b, 8, 'h');
		keep(t + o[2]);
		/* The server answers with one small datagram. */
		udp(t + 10 * MS, 0, s, c, 7000, (uint16_t)(40000 + i), 20);
	}
	/* ICMP errors: port unreachable from the server (an endpoint of the
	 * quoted flow), time exceeded from a router in between. */
	for (uint32_t i = 0; i < 30; i++) {
		int64_t t = (int64_t)rnd(560) * S + rnd(1000) * MS;
		uint16_t sp = (uint16_t)(45000 + i);
		int router = i % 3 == 0;

		client(c, sizeof c, (i * 5) % 97);
		server(s, sizeof s, i + 2);
		udp(t, 0, c, s, sp, 33434, 12);
		eth(0);
		pb_ipv4(&b, &(struct pb_ip4){ .src = router ? "10.254.0.1" : s, .dst = c,
		    .id = (uint16_t)seqno });
		pb_icmp(&b, router ? 11 : 3, router ? 0 : 3, 0);
		pb_ipv4(&b, &(struct pb_ip4){ .src = c, .dst = s, .id = 77, .ttl = 1 });
		pb_udp(&b, sp, 33434);
		pb_fill(&b, 12, 'u');
		keep(t + 2 * MS);
	}
	/* ICMP echo. */
	for (uint32_t i = 0; i < 20; i++) {
		int64_t t = (int64_t)rnd(560) * S + rnd(1000) * MS;

		client(c, sizeof c, (i * 11) % 97);
		server(s, sizeof s, i);
		eth(0);
		pb_ipv4(&b, &(struct pb_ip4){ .src = c, .dst = s, .id = (uint16_t)seqno });
		pb_icmp(&b, 8, 0, (0x100u + i) << 16 | 1);
		pb_fill(&b, 56, 'p');
		keep(t);
		eth(0);
		pb_ipv4(&b, &(struct pb_ip4){ .src = s, .dst = c, .id = (uint16_t)seqno });
		pb_icmp(&b, 0, 0, (0x100u + i) << 16 | 1);
		pb_fill(&b, 56, 'p');
		keep(t + 3 * MS);
	}
	/* Request on VLAN 10, answer on VLAN 20. */
	for (uint32_t i = 0; i < 12; i++) {
		int64_t t = (int64_t)rnd(560) * S + rnd(1000) * MS;
		uint16_t sp = (uint16_t)(50000 + i);

		client(c, sizeof c, (i * 3) % 97);
		server(s, sizeof s, i);
		udp(t, 10, c, s, sp, 5161, 40);
		udp(t + 4 * MS, 20, s, c, 5161, sp, 120);
	}
	/* IPv6 connections and echo. */
	for (uint32_t i = 0; i < 30; i++) {
		int64_t t = (int64_t)rnd(560) * S + rnd(1000) * MS;
		char c6[64], s6[64];
		uint16_t sp = (uint16_t)(55000 + i);

		snprintf(c6, sizeof c6, "2001:db8:1::%x", i % 17 + 1);
		snprintf(s6, sizeof s6, "2001:db8:2::%x", i % 5 + 1);
		tcp6(t, c6, s6, sp, 443, 1, 0, PK_TH_SYN, 0);
		tcp6(t + 5 * MS, s6, c6, 443, sp, 9, 2, PK_TH_SYN | PK_TH_ACK, 0);
		tcp6(t + 10 * MS, c6, s6, sp, 443, 2, 10, PK_TH_ACK, 0);
		tcp6(t + 11 * MS, c6, s6, sp, 443, 2, 10, PK_TH_ACK | PK_TH_PUSH, 200);
		tcp6(t + 16 * MS, s6, c6, 443, sp, 10, 202, PK_TH_ACK | PK_TH_PUSH, 700);
		if (i % 2) {
			tcp6(t + 20 * MS, c6, s6, sp, 443, 202, 710, PK_TH_FIN | PK_TH_ACK, 0);
			tcp6(t + 25 * MS, s6, c6, 443, sp, 710, 203, PK_TH_FIN | PK_TH_ACK, 0);
			tcp6(t + 30 * MS, c6, s6, sp, 443, 203, 711, PK_TH_ACK, 0);
		}
		if (i % 5 == 0) {
			eth(0);
			pb_ipv6(&b, &(struct pb_ip6){ .src = c6, .dst = s6 });
			pb_icmp6(&b, 128, 0, (0x200u + i) << 16 | 1);
			pb_fill(&b, 32, 'q');
			keep(t + 40 * MS);
			eth(0);
			pb_ipv6(&b, &(struct pb_ip6){ .src = s6, .dst = c6 });
			pb_icmp6(&b, 129, 0, (0x200u + i) << 16 | 1);
			pb_fill(&b, 32, 'q');
			keep(t + 42 * MS);
		}
	}
	/* ARP and an experimental EtherType. */
	for (uint32_t i = 0; i < 16; i++) {
		int64_t t = (int64_t)rnd(560) * S + rnd(1000) * MS;

		client(c, sizeof c, i * 6 % 97);
		eth(0);
		pb_arp(&b, 1, "02:00:00:00:01:01", c, "00:00:00:00:00:00", "10.1.0.254");
		keep(t);
		eth(0);
		pb_arp(&b, 2, "02:00:00:00:00:fe", "10.1.0.254", "02:00:00:00:01:01", c);
		keep(t + MS);
		if (i % 4 == 0) {
			pb_begin(&b, PK_LINK_EN10MB);
			pb_fill(&b, 46, 'e');
			pb_finish(&b);
			b.d[12] = 0x88;
			b.d[13] = 0xb5;
			store(t + 2 * MS);
		}
	}
	/* The last two minutes: one host pair only. */
	for (int64_t t = 600 * S; t <= 720 * S; t += 3 * S)
		udp(t + 250 * MS, 0, "10.9.9.1", "10.9.9.2", 6000, 6001, 64);
}

static int
cmp(const void *x, const void *y)
{
	const struct rec *a = x, *c = y;

	if (a->t != c->t)
		return a->t < c->t ? -1 : 1;
	return a->seq < c->seq ? -1 : a->seq > c->seq;
}

static void
write_file(const char *dir, const char *name, int64_t from, int64_t to)
{
	char p[4096];
	struct pb_out *o;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	o = pb_out_pcap(p, PK_LINK_EN10MB, 65535, 0);
	for (size_t i = 0; i < nrec; i++)
		if (recs[i].t >= from && recs[i].t < to)
			pb_put_data(o, T0 + recs[i].t / S, (uint32_t)(recs[i].t % S), recs[i].d,
			    recs[i].len, recs[i].len);
	pb_close(o);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_shard DIR\n");
		return 2;
	}
	traffic();
	qsort(recs, nrec, sizeof *recs, cmp);
	/* Whole microseconds: the files are µs pcap. */
	for (size_t i = 0; i < nrec; i++)
		recs[i].t -= recs[i].t % 1000;
	write_file(argv[1], "shard-a.pcap", 0, 300 * S);
	write_file(argv[1], "shard-b.pcap", 300 * S, 100000 * S);
	for (size_t i = 0; i < nrec; i++)
		free(recs[i].d);
	free(recs);
	return 0;
}
