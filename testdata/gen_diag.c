/* gen_diag.c — one capture per pflows note rule, plus captures for the
 * ladder and for pfilter --flows, written into the directory argv[1].
 *
 * Client 10.1.0.1, server 10.2.0.2:80 (TTL 64 both ways), times from
 * 2024-05-01T12:00:00Z.  Each function's comment gives the packets and the
 * facts the tests derive from them by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

#define T0 1714564800LL
#define C "10.1.0.1"
#define S "10.2.0.2"

static const char *dir;
static struct pb_out *out;

static void
open_out(const char *name)
{
	out = pb_out_pcap_in(dir, name, PK_LINK_EN10MB, 65535, 0);
}

enum { SY = PK_TH_SYN, AK = PK_TH_ACK, FI = PK_TH_FIN, RS = PK_TH_RST, PS = PK_TH_PUSH };

/* A TCP segment at T0 + ms milliseconds; from_c: client -> server.  WIN
 * 0 means 8192; use win0 for a zero window. */
struct sg {
	int from_c;
	uint16_t cport, flags;
	uint32_t seq, ack, len;
	uint16_t win;
	int win0, bad;
};

static void
tcp(int64_t ms, const struct sg *g)
{
	struct pb b;
	struct pb_tcp t;

	memset(&t, 0, sizeof t);
	t.sport = g->from_c ? g->cport : 80;
	t.dport = g->from_c ? 80 : g->cport;
	t.seq = g->seq;
	t.ack = g->ack;
	t.flags = g->flags;
	t.win = g->win0 ? 0 : g->win ? g->win : 8192;
	t.win_zero = g->win0;
	t.bad_csum = g->bad;
	if (g->flags & SY)
		t.mss = 1460;
	pb_begin(&b, PK_LINK_EN10MB);
	pb_ipv4(&b, &(struct pb_ip4){ .src = g->from_c ? C : S, .dst = g->from_c ? S : C });
	pb_tcp(&b, &t);
	if (g->len)
		pb_fill(&b, g->len, 'd');
	pb_finish(&b);
	pb_put(out, T0 + ms / 1000, (uint32_t)(ms % 1000) * 1000000, &b);
}

static void
tcpx(int64_t ms, int from_c, uint16_t cport, uint16_t flags, uint32_t seq, uint32_t ack,
     uint32_t len, uint16_t win, int win0, int bad)
{
	struct sg g;

	memset(&g, 0, sizeof g);
	g.from_c = from_c;
	g.cport = cport;
	g.flags = flags;
	g.seq = seq;
	g.ack = ack;
	g.len = len;
	g.win = win;
	g.win0 = win0;
	g.bad = bad;
	tcp(ms, &g);
}

#define TC(ms, fc, cp, fl, seq, ack, len) tcpx(ms, fc, cp, fl, seq, ack, len, 0, 0, 0)

static void
udp(int64_t ms, int from_c, uint16_t cport, uint16_t sport, size_t len)
{
	struct pb b;

	pb_begin(&b, PK_LINK_EN10MB);
	pb_ipv4(&b, &(struct pb_ip4){ .src = from_c ? C : S, .dst = from_c ? S : C });
	pb_udp(&b, from_c ? cport : sport, from_c ? sport : cport);
	pb_fill(&b, len, 'u');
	pb_finish(&b);
	pb_put(out, T0 + ms / 1000, (uint32_t)(ms % 1000) * 1000000, &b);
}

/* ISNs: client 1000, server 5000.  Handshake at 0, 10, 20 ms. */
static void
handshake(uint16_t cp)
{
	TC(0, 1, cp, SY, 1000, 0, 0);
	TC(10, 0, cp, SY | AK, 5000, 1001, 0);
	TC(20, 1, cp, AK, 1001, 5001, 0);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_diag DIR\n");
		return 2;
	}
	dir = argv[1];

	/* no_answer: SYNs at 0, 1, 3, 7 s; nothing back. 4 SYNs over 7.0 s. */
	open_out("diag-no-answer.pcap");
	TC(0, 1, 2001, SY, 1000, 0, 0);
	TC(1000, 1, 2001, SY, 1000, 0, 0);
	TC(3000, 1, 2001, SY, 1000, 0, 0);
	TC(7000, 1, 2001, SY, 1000, 0, 0);
	pb_close(out);

	/* refused: SYN, RST-ACK from the server. */
	open_out("diag-refused.pcap");
	TC(0, 1, 2002, SY, 1000, 0, 0);
	TC(1, 0, 2002, RS | AK, 0, 1001, 0);
	pb_close(out);

	/* hs_incomplete: SYN 0 s, SYN-ACK 0.01 s, SYN again 1 s, SYN-ACK 1.01 s,
	 * SYN-ACK again 2.01 s; never ACKed: SYN 2x, SYN-ACK 3x, a SYN after
	 * the first SYN-ACK. */
	open_out("diag-hs-incomplete.pcap");
	TC(0, 1, 2003, SY, 1000, 0, 0);
	TC(10, 0, 2003, SY | AK, 5000, 1001, 0);
	TC(1000, 1, 2003, SY, 1000, 0, 0);
	TC(1010, 0, 2003, SY | AK, 5000, 1001, 0);
	TC(2010, 0, 2003, SY | AK, 5000, 1001, 0);
	pb_close(out);

	/* unsolicited: a SYN-ACK from the server to port 2004, the client's RST. */
	open_out("diag-unsolicited.pcap");
	TC(0, 0, 2004, SY | AK, 5000, 777, 0);
	TC(1, 1, 2004, RS, 777, 0, 0);
	pb_close(out);

	/* reset: handshake, 100 B request at 0.1 s, 300 B response at 0.2 s,
	 * client RST at 12.4 s: reset by originator 12.3 s after the first payload. */
	open_out("diag-reset.pcap");
	handshake(2005);
	TC(100, 1, 2005, PS | AK, 1001, 5001, 100);
	TC(200, 0, 2005, PS | AK, 5001, 1101, 300);
	TC(12400, 1, 2005, RS | AK, 1101, 5301, 0);
	pb_close(out);

	/* one_sided: only the client's side of an established connection
	 * (3 packets, no SYN, ACKs with data): responder's packets missing. */
	open_out("diag-one-sided.pcap");
	TC(0, 1, 2006, PS | AK, 1001, 5001, 50);
	TC(100, 1, 2006, PS | AK, 1051, 5201, 50);
	TC(200, 1, 2006, AK, 1101, 5401, 0);
	pb_close(out);

	/* midstream: both sides, no SYN: data, ack, FIN, FIN, ack. */
	open_out("diag-midstream.pcap");
	TC(0, 1, 2007, PS | AK, 1001, 5001, 40);
	TC(10, 0, 2007, PS | AK, 5001, 1041, 60);
	TC(20, 1, 2007, FI | AK, 1041, 5061, 0);
	TC(30, 0, 2007, FI | AK, 5061, 1042, 0);
	TC(40, 1, 2007, AK, 1042, 5062, 0);
	pb_close(out);

	/* missed: the server's first 1000-byte segment is absent; the client
	 * ACKs it (ack 6001) before the second (6001:7001) is seen. */
	open_out("diag-missed.pcap");
	handshake(2008);
	TC(30, 1, 2008, PS | AK, 1001, 5001, 10);
	TC(50, 1, 2008, AK, 1011, 6001, 0);
	TC(60, 0, 2008, PS | AK, 6001, 1011, 1000);
	TC(70, 1, 2008, AK, 1011, 7001, 0);
	TC(80, 0, 2008, FI | AK, 7001, 1011, 0);
	TC(90, 1, 2008, FI | AK, 1011, 7002, 0);
	TC(100, 0, 2008, AK, 7002, 1012, 0);
	pb_close(out);

	/* retx: the server sends 4 x 500 B (2000 B new) and resends one 500-byte
	 * segment: payload 2500 B, 500 retransmitted = 20 %. */
	open_out("diag-retx.pcap");
	handshake(2009);
	TC(30, 1, 2009, PS | AK, 1001, 5001, 20);
	TC(40, 0, 2009, AK, 5001, 1021, 500);
	TC(41, 0, 2009, AK, 5501, 1021, 500);
	TC(42, 0, 2009, AK, 6001, 1021, 500);
	TC(43, 0, 2009, AK, 6501, 1021, 500);
	TC(60, 1, 2009, AK, 1021, 5501, 0);
	TC(300, 0, 2009, AK, 5501, 1021, 500);                 /* resent */
	TC(310, 1, 2009, AK, 1021, 7001, 0);
	TC(320, 1, 2009, FI | AK, 1021, 7001, 0);
	TC(330, 0, 2009, FI | AK, 7001, 1022, 0);
	TC(340, 1, 2009, AK, 1022, 7002, 0);
	pb_close(out);

	/* zero_win: the client advertises window 0 at 1.0 s and reopens it at
	 * 3.4 s: zero window from originator for 2.4 s; still open at the end. */
	open_out("diag-zero-win.pcap");
	handshake(2010);
	TC(100, 0, 2010, PS | AK, 5001, 1001, 1000);
	tcpx(1000, 1, 2010, AK, 1001, 6001, 0, 0, 1, 0);
	TC(2000, 0, 2010, AK, 6000, 1001, 0);                  /* window probe */
	tcpx(2010, 1, 2010, AK, 1001, 6001, 0, 0, 1, 0);
	tcpx(3400, 1, 2010, AK, 1001, 6001, 0, 8192, 0, 0);
	TC(3410, 0, 2010, PS | AK, 6001, 1001, 500);
	TC(3420, 1, 2010, AK, 1001, 6501, 0);
	pb_close(out);

	/* idle_close: handshake done at 0.02 s, the server's FIN at 5.02 s, the
	 * client's FIN, the last ACK (tutorial trace 2 in miniature). */
	open_out("diag-idle-close.pcap");
	handshake(2011);
	TC(5020, 0, 2011, FI | AK, 5001, 1001, 0);
	TC(5030, 1, 2011, FI | AK, 1001, 5002, 0);
	TC(5040, 0, 2011, AK, 5002, 1002, 0);
	pb_close(out);

	/* close (normal): 18 B request, 4777 B response in 1448+1448+1448+433,
	 * the server's FIN on the last data, then the client's FIN. */
	open_out("diag-normal.pcap");
	handshake(2012);
	TC(30, 1, 2012, PS | AK, 1001, 5001, 18);
	TC(40, 0, 2012, AK, 5001, 1019, 1448);
	TC(41, 0, 2012, AK, 6449, 1019, 1448);
	TC(42, 0, 2012, AK, 7897, 1019, 1448);
	TC(43, 0, 2012, FI | PS | AK, 9345, 1019, 433);
	TC(50, 1, 2012, AK, 1019, 9779, 0);
	TC(60, 1, 2012, FI | AK, 1019, 9779, 0);
	TC(70, 0, 2012, AK, 9779, 1020, 0);
	pb_close(out);

	/* open: handshake, 10 B each way, nothing more. */
	open_out("diag-open.pcap");
	handshake(2013);
	TC(30, 1, 2013, PS | AK, 1001, 5001, 10);
	TC(40, 0, 2013, PS | AK, 5001, 1011, 10);
	TC(50, 1, 2013, AK, 1011, 5011, 0);
	pb_close(out);

	/* idle_end: handshake + 10 B at 0 s, then an unrelated UDP packet at
	 * 400 s ends the TCP flow by the 300 s inactivity timeout. */
	open_out("diag-idle-end.pcap");
	handshake(2014);
	TC(30, 1, 2014, PS | AK, 1001, 5001, 10);
	TC(40, 0, 2014, AK, 5001, 1011, 0);
	udp(400000, 1, 2114, 9999, 8);
	pb_close(out);

	/* no_reply: 3 UDP datagrams of 100 B to port 7777, none back. */
	open_out("diag-no-reply.pcap");
	udp(0, 1, 2015, 7777, 100);
	udp(1000, 1, 2015, 7777, 100);
	udp(2000, 1, 2015, 7777, 100);
	pb_close(out);

	/* exchange: a 40 B UDP query to port 53 and a 120 B answer. */
	open_out("diag-exchange.pcap");
	udp(0, 1, 2016, 53, 40);
	udp(15, 0, 2016, 53, 120);
	pb_close(out);

	/* bad_csum: a normal small exchange where 2 packets carry a wrong TCP checksum. */
	open_out("diag-bad-csum.pcap");
	handshake(2017);
	tcpx(30, 1, 2017, PS | AK, 1001, 5001, 10, 0, 0, 1);
	tcpx(40, 0, 2017, PS | AK, 5001, 1011, 10, 0, 0, 1);
	TC(50, 1, 2017, FI | AK, 1011, 5011, 0);
	TC(60, 0, 2017, FI | AK, 5011, 1012, 0);
	TC(70, 1, 2017, AK, 1012, 5012, 0);
	pb_close(out);

	/* reuse: port 2018 used twice (FIN-closed at 0.05 s; a new SYN with a
	 * new ISN at 10 s, closed at 10.05 s), and port 2019 between them. */
	open_out("diag-reuse.pcap");
	handshake(2018);
	TC(30, 1, 2018, FI | AK, 1001, 5001, 0);
	TC(40, 0, 2018, FI | AK, 5001, 1002, 0);
	TC(50, 1, 2018, AK, 1002, 5002, 0);
	TC(5000, 1, 2019, SY, 3000, 0, 0);
	TC(5010, 0, 2019, RS | AK, 0, 3001, 0);
	TC(10000, 1, 2018, SY, 90000, 0, 0);
	TC(10010, 0, 2018, SY | AK, 70000, 90001, 0);
	TC(10020, 1, 2018, AK, 90001, 70001, 0);
	TC(10030, 1, 2018, FI | AK, 90001, 70001, 0);
	TC(10040, 0, 2018, FI | AK, 70001, 90002, 0);
	TC(10050, 1, 2018, AK, 90002, 70002, 0);
	pb_close(out);

	/* long: 60 data segments of 100 B from the server, segment 20
	 * (seq 1901) missing at first and sent after segment 21 (so 21 is
	 * out of order and 20 a retransmission by the ladder's rule), then FINs.
	 * 3 + 1 + 60 + 3 = 67 packets. */
	open_out("diag-long.pcap");
	handshake(2020);
	TC(30, 1, 2020, PS | AK, 1001, 5001, 10);
	for (int i = 0; i < 60; i++) {
		int k = i == 19 ? 20 : i == 20 ? 19 : i;   /* swap 20th and 21st */

		TC(40 + i, 0, 2020, AK, 5001 + (uint32_t)k * 100, 1011, 100);
	}
	TC(200, 0, 2020, FI | AK, 11001, 1011, 0);
	TC(210, 1, 2020, FI | AK, 1011, 11002, 0);
	TC(220, 0, 2020, AK, 11002, 1012, 0);
	pb_close(out);
	return 0;
}
