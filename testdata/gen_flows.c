/* gen_flows.c — write pflows' synthetic captures into the directory argv[1].
 *
 * Each capture holds small TCP/UDP/ICMP conversations whose expected
 * records are derived by hand from Zeek's rules (tests/pflows.bats cites
 * the rule next to each expectation).  Times start at 2024-05-01T12:00:00Z.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

#define T0 1714564800LL

static const char *dir;
static struct pb_out *out;

static void
open_out(const char *name)
{
	out = pb_out_pcap_in(dir, name, PK_LINK_EN10MB, 65535, 0);
}

struct seg {
	const char *src, *dst;
	uint16_t sport, dport, flags, win;
	uint32_t seq, ack, len;
	int win_zero, bad, ttl;
	uint16_t mss;
	int ws;          /* window scale + 1, 0 = none */
	int sack, ts;
};

/* One TCP segment at T0 + usec microseconds. */
static void
tcp(int64_t usec, const struct seg *s)
{
	struct pb b;
	struct pb_tcp t;

	memset(&t, 0, sizeof t);
	t.sport = s->sport;
	t.dport = s->dport;
	t.seq = s->seq;
	t.ack = s->ack;
	t.flags = s->flags;
	t.win = s->win_zero ? 0 : s->win ? s->win : 8192;
	t.win_zero = s->win_zero;
	t.bad_csum = s->bad;
	t.mss = s->mss;
	t.ws_set = s->ws > 0;
	t.ws = (uint8_t)(s->ws > 0 ? s->ws - 1 : 0);
	t.sackok = s->sack;
	t.ts_set = s->ts;
	t.tsval = 1000;
	pb_begin(&b, PK_LINK_EN10MB);
	pb_ipv4(&b, &(struct pb_ip4){ .src = s->src, .dst = s->dst, .ttl = (uint8_t)s->ttl });
	pb_tcp(&b, &t);
	if (s->len)
		pb_fill(&b, s->len, 'x');
	pb_finish(&b);
	pb_put(out, T0 + usec / 1000000, (uint32_t)(usec % 1000000) * 1000, &b);
}

static void
udp(int64_t usec, const char *src, uint16_t sp, const char *dst, uint16_t dp, size_t len)
{
	struct pb b;

	pb_begin(&b, PK_LINK_EN10MB);
	pb_ipv4(&b, &(struct pb_ip4){ .src = src, .dst = dst });
	pb_udp(&b, sp, dp);
	pb_fill(&b, len, 'u');
	pb_finish(&b);
	pb_put(out, T0 + usec / 1000000, (uint32_t)(usec % 1000000) * 1000, &b);
}

static void
icmp(int64_t usec, const char *src, const char *dst, uint8_t type, uint8_t code, size_t len)
{
	struct pb b;

	pb_begin(&b, PK_LINK_EN10MB);
	pb_ipv4(&b, &(struct pb_ip4){ .src = src, .dst = dst });
	pb_icmp(&b, type, code, 0x00010001);
	pb_fill(&b, len, 'i');
	pb_finish(&b);
	pb_put(out, T0 + usec / 1000000, (uint32_t)(usec % 1000000) * 1000, &b);
}

enum { S = PK_TH_SYN, A = PK_TH_ACK, F = PK_TH_FIN, R = PK_TH_RST, P = PK_TH_PUSH };
#define C_ "10.0.0.1"
#define S_ "10.0.0.2"

/* A client C_:cp talking to S_:sp: c2s/s2c build segments. */
#define CS(t, fl, sq, ak, ln) tcp(t, &(struct seg){ C_, S_, cp, sp, fl, 0, sq, ak, ln, 0, 0, 0, 0, 0, 0, 0 })
#define SC(t, fl, sq, ak, ln) tcp(t, &(struct seg){ S_, C_, sp, cp, fl, 0, sq, ak, ln, 0, 0, 0, 0, 0, 0, 0 })

/* flows-states.pcap: one connection per conn_state, client ports 1001..1013
 * to server port 5001..5013 (none a likely server port). */
static void
states(void)
{
	uint16_t cp, sp;
	int64_t t = 0;

	open_out("flows-states.pcap");
	/* S0 */
	cp = 1001; sp = 5001;
	CS(t, S, 100, 0, 0);
	/* S1: SYN, SYN-ACK, no final ACK */
	cp = 1002; sp = 5002; t += 1000000;
	CS(t, S, 100, 0, 0); SC(t + 1000, S | A, 900, 101, 0);
	/* SF */
	cp = 1003; sp = 5003; t += 1000000;
	CS(t, S, 100, 0, 0); SC(t + 1000, S | A, 900, 101, 0); CS(t + 2000, A, 101, 901, 0);
	CS(t + 3000, F | A, 101, 901, 0); SC(t + 4000, F | A, 901, 102, 0); CS(t + 5000, A, 102, 902, 0);
	/* REJ */
	cp = 1004; sp = 5004; t += 1000000;
	CS(t, S, 100, 0, 0); SC(t + 1000, R | A, 0, 101, 0);
	/* S2: originator FIN, responder established */
	cp = 1005; sp = 5005; t += 1000000;
	CS(t, S, 100, 0, 0); SC(t + 1000, S | A, 900, 101, 0); CS(t + 2000, A, 101, 901, 0);
	CS(t + 3000, F | A, 101, 901, 0);
	/* S3: responder FIN, originator established */
	cp = 1006; sp = 5006; t += 1000000;
	CS(t, S, 100, 0, 0); SC(t + 1000, S | A, 900, 101, 0); CS(t + 2000, A, 101, 901, 0);
	SC(t + 3000, F | A, 901, 101, 0);
	/* RSTO */
	cp = 1007; sp = 5007; t += 1000000;
	CS(t, S, 100, 0, 0); SC(t + 1000, S | A, 900, 101, 0); CS(t + 2000, A, 101, 901, 0);
	CS(t + 3000, R | A, 101, 901, 0);
	/* RSTR */
	cp = 1008; sp = 5008; t += 1000000;
	CS(t, S, 100, 0, 0); SC(t + 1000, S | A, 900, 101, 0); CS(t + 2000, A, 101, 901, 0);
	SC(t + 3000, R | A, 901, 101, 0);
	/* RSTOS0: SYN then the originator's RST */
	cp = 1009; sp = 5009; t += 1000000;
	CS(t, S, 100, 0, 0); CS(t + 1000, R, 101, 0, 0);
	/* RSTRH: midstream data, responder RST */
	cp = 1010; sp = 5010; t += 1000000;
	CS(t, P | A, 100, 900, 10); SC(t + 1000, R, 900, 0, 0);
	/* SH: SYN then FIN from the originator only */
	cp = 1011; sp = 5011; t += 1000000;
	CS(t, S, 100, 0, 0); CS(t + 1000, F, 101, 0, 0);
	/* SHR: an ACK from the originator, a FIN from the responder */
	cp = 1012; sp = 5012; t += 1000000;
	CS(t, A, 100, 900, 0); SC(t + 1000, F | A, 900, 100, 0);
	/* OTH: one midstream ACK */
	cp = 1013; sp = 5013; t += 1000000;
	CS(t, A, 100, 900, 0);
	pb_close(out);
}

/* flows-letters.pcap: every history letter. */
static void
letters(void)
{
	uint16_t cp, sp;
	int64_t t = 0;

	open_out("flows-letters.pcap");
	/* ShADawdTGFf: zero window (w), retransmission (T), a 10-byte hole
	 * acknowledged by the responder (G, missed_bytes 10). */
	cp = 2001; sp = 6001;
	CS(t, S, 1000, 0, 0);
	SC(t + 10000, S | A, 5000, 1001, 0);
	CS(t + 30000, A, 1001, 5001, 0);
	CS(t + 40000, P | A, 1001, 5001, 10);
	tcp(t + 50000, &(struct seg){ S_, C_, sp, cp, A, 0, 5001, 1011, 0, 1, 0, 0, 0, 0, 0, 0 });
	SC(t + 60000, P | A, 5001, 1011, 5);
	CS(t + 70000, P | A, 1001, 5006, 10);
	CS(t + 80000, P | A, 1021, 5006, 10);
	SC(t + 90000, A, 5006, 1031, 0);
	CS(t + 100000, F | A, 1031, 5006, 0);
	SC(t + 110000, F | A, 5006, 1032, 0);
	CS(t + 120000, A, 1032, 5007, 0);
	/* QI: SYN+FIN, then FIN+RST */
	cp = 2002; sp = 6002; t += 1000000;
	CS(t, S | F, 1000, 0, 0);
	CS(t + 1000, F | R, 1001, 0, 0);
	/* ^hA: a SYN-ACK first from a non-server port, then the ACK */
	cp = 2003; sp = 6003; t += 1000000;
	SC(t, S | A, 5000, 1001, 0);
	CS(t + 1000, A, 1001, 5001, 0);
	/* ttt: 100 retransmissions from the responder (logarithmic rule) */
	cp = 2004; sp = 6004; t += 1000000;
	CS(t, S, 1000, 0, 0);
	SC(t + 1000, S | A, 5000, 1001, 0);
	CS(t + 2000, A, 1001, 5001, 0);
	SC(t + 3000, P | A, 5001, 1001, 100);
	for (int i = 0; i < 100; i++)
		SC(t + 4000 + i * 100, P | A, 5001, 1001, 100);
	/* a bad checksum on the first SYN (C when validated), then a good one */
	cp = 2005; sp = 6005; t += 1000000;
	tcp(t, &(struct seg){ C_, S_, cp, sp, S, 0, 1000, 0, 0, 0, 1, 0, 0, 0, 0, 0 });
	CS(t + 1000, S, 1000, 0, 0);
	pb_close(out);
}

/* flows-lifetime.pcap: reuse, sequence wrap, timeouts. */
static void
lifetime(void)
{
	uint16_t cp = 3001, sp = 7001;
	int64_t t = 0;

	open_out("flows-lifetime.pcap");
	/* Reuse after RST with the same ISN: two rows. */
	CS(t, S, 1000, 0, 0); SC(t + 1000, R | A, 0, 1001, 0);
	CS(t + 500000, S, 1000, 0, 0); SC(t + 501000, R | A, 0, 1001, 0);
	/* A SYN with a new ISN on an open connection: a new row. */
	cp = 3002; t += 1000000;
	CS(t, S, 1000, 0, 0); SC(t + 1000, S | A, 5000, 1001, 0); CS(t + 2000, A, 1001, 5001, 0);
	CS(t + 3000, S, 777777, 0, 0);
	/* Sequence wrap: ISN 2^32 - 16, 3000 bytes, closed. */
	cp = 3003; t += 1000000;
	CS(t, S, 0xfffffff0u, 0, 0); SC(t + 1000, S | A, 5000, 0xfffffff1u, 0);
	CS(t + 2000, A, 0xfffffff1u, 5001, 0);
	CS(t + 3000, P | A, 0xfffffff1u, 5001, 1000);
	CS(t + 4000, P | A, 0xfffffff1u + 1000, 5001, 1000);
	CS(t + 5000, P | A, 0xfffffff1u + 2000, 5001, 1000);
	SC(t + 6000, A, 5001, 0xfffffff1u + 3000, 0);
	/* UDP: two datagrams 61 s apart (past the 60 s timeout), then a reply. */
	udp(t + 10000, C_, 4001, S_, 8001, 20);
	udp(t + 61010000, C_, 4001, S_, 8001, 20);
	udp(t + 61020000, S_, 8001, C_, 4001, 30);
	/* ICMP echo request and reply: one flow, type 8 / counterpart 0. */
	icmp(t + 62000000, C_, S_, 8, 0, 56);
	icmp(t + 62001000, S_, C_, 0, 0, 56);
	pb_close(out);
}

/* flows-extras.pcap: handshake options, RTT, TTL, duplicate ACKs, closer. */
static void
extras(void)
{
	uint16_t cp = 4001, sp = 80;
	int64_t t = 0;

	open_out("flows-extras.pcap");
	tcp(t, &(struct seg){ C_, S_, cp, sp, S, 65535, 1000, 0, 0, 0, 0, 60, 1460, 8, 1, 1 });
	tcp(t + 10000, &(struct seg){ S_, C_, sp, cp, S | A, 28960, 5000, 1001, 0, 0, 0, 50, 1400, 3, 1, 0 });
	CS(t + 30000, A, 1001, 5001, 0);
	CS(t + 40000, P | A, 1001, 5001, 100);
	SC(t + 50000, A, 5001, 1101, 0);
	SC(t + 60000, A, 5001, 1101, 0);
	SC(t + 70000, A, 5001, 1101, 0);
	SC(t + 2070000, F | A, 5001, 1101, 0);
	CS(t + 2080000, F | A, 1101, 5002, 0);
	SC(t + 2090000, A, 5002, 1102, 0);
	pb_close(out);
}

/* flows-idle.pcap: SSH and HTTP connections silent for 400 s after the
 * handshake (Zeek: 5 min TCP timeout, 1 h for ssh/telnet/ftp/rlogin). */
static void
idle(void)
{
	uint16_t cp, sp;

	open_out("flows-idle.pcap");
	cp = 50022; sp = 22;
	CS(0, S, 1000, 0, 0); SC(1000, S | A, 5000, 1001, 0); CS(2000, A, 1001, 5001, 0);
	CS(400002000, P | A, 1001, 5001, 10);
	cp = 50080; sp = 80;
	CS(10, S, 1000, 0, 0); SC(1010, S | A, 5000, 1001, 0); CS(2010, A, 1001, 5001, 0);
	CS(400002010, P | A, 1001, 5001, 10);
	pb_close(out);
}

/* --many N FILE [tcp|tcp3]: N distinct UDP 5-tuples, one 64-byte datagram
 * each (tcp: one TCP SYN each; tcp3: a whole handshake, SYN, SYN-ACK, ACK,
 * 10 us apart), 100 us apart (for the memory benchmark). */
static int
many(const char *path, long n, int tcp)
{
	struct pb b;

	out = pb_out_pcap(path, PK_LINK_EN10MB, 65535, 0);
	for (long i = 0; i < n; i++) {
		char src[32], dst[32];
		int64_t usec = (int64_t)i * 100;
		uint16_t sport = (uint16_t)(1024 + (i % 50000));

		snprintf(src, sizeof src, "10.%ld.%ld.%ld", (i >> 16) & 255, (i >> 8) & 255, i & 255);
		snprintf(dst, sizeof dst, "172.16.%ld.%ld", (i >> 24) & 255, (i >> 32) & 255);
		for (int k = 0; k < (tcp == 2 ? 3 : 1); k++) {
			int back = k == 1;

			pb_begin(&b, PK_LINK_EN10MB);
			pb_ipv4(&b, &(struct pb_ip4){ .src = back ? dst : src, .dst = back ? src : dst });
			if (tcp == 0) {
				pb_udp(&b, sport, 53);
				pb_fill(&b, 22, 'm');
			} else if (!back)
				pb_tcp(&b, &(struct pb_tcp){ .sport = sport, .dport = 80,
				       .seq = (uint32_t)i + (k ? 1 : 0), .ack = k ? 1001 : 0,
				       .flags = k ? PK_TH_ACK : PK_TH_SYN });
			else
				pb_tcp(&b, &(struct pb_tcp){ .sport = 80, .dport = sport, .seq = 1000,
				       .ack = (uint32_t)i + 1, .flags = PK_TH_SYN | PK_TH_ACK });
			pb_finish(&b);
			pb_put(out, T0 + (usec + 10 * k) / 1000000,
			       (uint32_t)((usec + 10 * k) % 1000000) * 1000, &b);
		}
	}
	pb_close(out);
	return 0;
}

int
main(int argc, char **argv)
{
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "--many") == 0)
		return many(argv[3], atol(argv[2]), argc < 5 ? 0 : strcmp(argv[4], "tcp") == 0 ? 1 :
		            strcmp(argv[4], "tcp3") == 0 ? 2 : 0);
	if (argc != 2) {
		fprintf(stderr, "usage: gen_flows DIR | gen_flows --many N FILE [tcp|tcp3]\n");
		return 2;
	}
	dir = argv[1];
	states();
	letters();
	lifetime();
	extras();
	idle();
	return 0;
}
