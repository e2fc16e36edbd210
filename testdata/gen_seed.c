/* gen_seed.c — the three traces of the classic tcpdump tutorial (2010-03-22,
 * times taken as UTC) as captures in the directory argv[1].
 *
 * Addresses, ports, packet order, flags, payload sizes and times follow the
 * tutorial's story (issue 6).  Sequence numbers, windows and options are
 * ours where the issue does not give them: a Linux-like client (window
 * 5840, MSS 1460, SACK, timestamps, window scale 6) 64.39.0.68 and a server
 * 98.129.169.14:80 (window 5792, MSS 1460, SACK, timestamps, scale 7) at the
 * capture point (TTL 64 leaving it; the client's packets arrive with TTL 49).
 *
 *   seed-http.pcap    15 packets from 15:21:47.709984, client port 12275:
 *                     handshake, a 16-byte and a 2-byte request, a 4777-byte
 *                     response whose last segment carries the server's FIN,
 *                     then the client's FIN.
 *   seed-idle.pcap    6 packets from 15:43:42.679984, port 31226: handshake,
 *                     5 s later the server's FIN, the client's FIN, final ACK.
 *   seed-synack.pcap  13 packets from 15:48:00.639984, port 40858: SYN at 0,
 *                     3, 9, 21 s, each answered at once by a SYN-ACK that,
 *                     from the second SYN on, is sent again 0.86 s later;
 *                     no SYN-ACK is ever ACKed; plus a stray SYN-ACK to port
 *                     42551 answered by a RST.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

#define CLI "64.39.0.68"
#define SRV "98.129.169.14"

static const char *dir;
static struct pb_out *out;
static int64_t t0_sec;
static uint32_t t0_usec;

static void
open_out(const char *name, int64_t sec, uint32_t usec)
{
	out = pb_out_pcap_in(dir, name, PK_LINK_EN10MB, 65535, 0);
	t0_sec = sec;
	t0_usec = usec;
}

/* A segment at t0 + usec microseconds; from_cli picks direction and TTL. */
static void
seg(int64_t usec, int from_cli, uint16_t cport, uint16_t flags, uint32_t seq, uint32_t ack,
    uint32_t len, uint16_t ip_id)
{
	struct pb b;
	struct pb_tcp t;
	int64_t u = (int64_t)t0_usec + usec;
	static uint32_t tsval_c = 91734200, tsval_s = 2736081001u;

	memset(&t, 0, sizeof t);
	t.sport = from_cli ? cport : 80;
	t.dport = from_cli ? 80 : cport;
	t.seq = seq;
	t.ack = ack;
	t.flags = flags;
	t.ts_set = !(flags & PK_TH_RST);
	t.win_zero = !!(flags & PK_TH_RST);
	t.tsval = from_cli ? tsval_c + (uint32_t)(usec / 1000) : tsval_s + (uint32_t)(usec / 1000);
	t.tsecr = (flags & PK_TH_ACK) ? (from_cli ? tsval_s + (uint32_t)(usec / 1000) - 60
	                                         : tsval_c + (uint32_t)(usec / 1000) - 60) : 0;
	if (flags & PK_TH_SYN) {
		t.mss = 1460;
		t.sackok = 1;
		t.ws_set = 1;
		t.ws = from_cli ? 6 : 7;
		t.win = from_cli ? 5840 : 5792;
	} else if (!(flags & PK_TH_RST))
		t.win = from_cli ? 92 : 54;   /* scaled: 5888 and 6912 bytes */
	pb_begin(&b, PK_LINK_EN10MB);
	pb_ipv4(&b, &(struct pb_ip4){ .src = from_cli ? CLI : SRV, .dst = from_cli ? SRV : CLI,
	                              .ttl = from_cli ? 49 : 64, .id = ip_id, .frag = 0x4000 });
	pb_tcp(&b, &t);
	if (len)
		pb_fill(&b, len, from_cli ? 'q' : 'r');
	pb_finish(&b);
	pb_put(out, t0_sec + u / 1000000, (uint32_t)(u % 1000000) * 1000, &b);
}

enum { S = PK_TH_SYN, A = PK_TH_ACK, F = PK_TH_FIN, R = PK_TH_RST, P = PK_TH_PUSH };

static void
seed_http(void)
{
	const uint16_t cp = 12275;
	const uint32_t c = 3697687393u, s = 2150317551u;   /* ISNs */

	open_out("seed-http.pcap", 1269271307, 709984);
	seg(0, 1, cp, S, c, 0, 0, 40021);
	seg(59853, 0, cp, S | A, s, c + 1, 0, 0);
	seg(59934, 1, cp, A, c + 1, s + 1, 0, 40022);
	seg(60102, 1, cp, P | A, c + 1, s + 1, 16, 40023);            /* 16-byte request */
	seg(119577, 0, cp, A, s + 1, c + 17, 0, 48121);
	seg(119688, 1, cp, P | A, c + 17, s + 1, 2, 40024);           /* 2-byte request */
	seg(179212, 0, cp, A, s + 1, c + 19, 0, 48122);
	seg(181904, 0, cp, A, s + 1, c + 19, 1448, 48123);            /* 4777 = 3 x 1448 + 433 */
	seg(181944, 0, cp, A, s + 1449, c + 19, 1448, 48124);
	seg(182020, 1, cp, A, c + 19, s + 2897, 0, 40025);
	seg(241473, 0, cp, A, s + 2897, c + 19, 1448, 48125);
	seg(241510, 0, cp, F | P | A, s + 4345, c + 19, 433, 48126);  /* last data + FIN */
	seg(241619, 1, cp, A, c + 19, s + 4778, 0, 40026);
	seg(243870, 1, cp, F | A, c + 19, s + 4779, 0, 40027);
	seg(303316, 0, cp, A, s + 4779, c + 20, 0, 48127);
	pb_close(out);
}

static void
seed_idle(void)
{
	const uint16_t cp = 31226;
	const uint32_t c = 1844129521u, s = 3374591770u;

	open_out("seed-idle.pcap", 1269272622, 679984);
	seg(0, 1, cp, S, c, 0, 0, 21877);
	seg(59882, 0, cp, S | A, s, c + 1, 0, 0);
	seg(59969, 1, cp, A, c + 1, s + 1, 0, 21878);
	seg(5060032, 0, cp, F | A, s + 1, c + 1, 0, 61207);          /* 5 s after the handshake */
	seg(5119601, 1, cp, F | A, c + 1, s + 2, 0, 21879);
	seg(5179310, 0, cp, A, s + 2, c + 2, 0, 61208);
	pb_close(out);
}

static void
seed_synack(void)
{
	const uint16_t cp = 40858;
	const uint32_t c = 2419745803u, s = 1075023418u;
	/* The client's SYN retries at 0, 3, 9, 21 s (Linux doubling RTO). */
	static const int64_t syn_at[4] = { 0, 3000000, 9000000, 21000000 };
	uint16_t id = 3309;

	open_out("seed-synack.pcap", 1269272880, 639984);
	for (int i = 0; i < 4; i++) {
		seg(syn_at[i], 1, cp, S, c, 0, 0, id++);
		seg(syn_at[i] + 59911, 0, cp, S | A, s, c + 1, 0, 0);
		if (i > 0)
			seg(syn_at[i] + 59911 + 860000, 0, cp, S | A, s, c + 1, 0, 0);
		if (i == 2) {
			/* Stray SYN-ACK to a port with no SYN, refused by the client. */
			seg(syn_at[i] + 2571203, 0, 42551, S | A, 3905566183u, 1508800131u, 0, 0);
			seg(syn_at[i] + 2631090, 1, 42551, R, 1508800131u, 0, 0, id++);
		}
	}
	pb_close(out);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_seed DIR\n");
		return 2;
	}
	dir = argv[1];
	seed_http();
	seed_idle();
	seed_synack();
	return 0;
}
