/* test_flow.c — flow table and TCP state on hand-built decoded packets.
 * Expected values are derived from Zeek's rules as described in
 * ../shared/reference/flows.md (section numbers cited per test). */
#include <stdlib.h>
#include <string.h>

#include "pcapkit/flow.h"
#include "pcapkit/tcpconn.h"
#include "unit.h"

/* The decoder provides the real one; these tests never validate checksums. */
__attribute__((weak)) int
pk_decode_l4_checksum_ok(const struct pk_layers *L)
{
	(void)L;
	return -1;
}

static uint8_t A[4] = { 10, 0, 0, 1 }, B[4] = { 10, 0, 0, 2 };

#define MAXR 16
static struct pk_flowrec recs[MAXR];
static int nrec;

static void
collect(const struct pk_flowrec *r, void *arg)
{
	(void)arg;
	if (nrec < MAXR)
		recs[nrec++] = *r;
}

/* A TCP segment from X:xp to Y:yp. */
static struct pk_layers
tcp(const uint8_t *x, uint16_t xp, const uint8_t *y, uint16_t yp, uint16_t fl,
    uint32_t seq, uint32_t ack, uint32_t len)
{
	struct pk_layers L;

	memset(&L, 0, sizeof L);
	L.have = PK_HAVE_LINK | PK_HAVE_IPV4 | PK_HAVE_TCP;
	L.ip_ver = 4;
	L.ip_src = x;
	L.ip_dst = y;
	L.ip_proto = 6;
	L.ip_hlen = 20;
	L.ip_len = 40 + len;
	L.ip_ttl = 64;
	L.l3_off = 14;
	L.l4_off = 34;
	L.sport = xp;
	L.dport = yp;
	L.tcp_flags = fl;
	L.tcp_seq = seq;
	L.tcp_ack = ack;
	L.tcp_hlen = 20;
	L.tcp_win = 1000;
	L.payload_len = len;
	L.payload_caplen = len;
	return L;
}

static struct pk_flowtab *
table(void)
{
	struct pk_flowopts o;

	pk_flowopts_default(&o);
	o.count_checksums = 0;
	nrec = 0;
	return pk_flowtab_new(&o, collect, NULL);
}

static void
feed(struct pk_flowtab *t, struct pk_layers L, double ts)
{
	int64_t s = (int64_t)ts;

	CHECK(pk_flowtab_add(t, &L, s, (uint32_t)((ts - (double)s) * 1e9 + 0.5)) == 0);
}

enum { SYN = PK_TH_SYN, ACK = PK_TH_ACK, FIN = PK_TH_FIN, RST = PK_TH_RST, PA = PK_TH_ACK | PK_TH_PUSH };

/* 1.4/1.5/1.6: a clean exchange is ShADadFf, SF, sizes from sequence numbers;
 * the final ACK after both FINs does not extend the duration (1.1). */
static void
normal_close(void)
{
	struct pk_flowtab *t = table();

	feed(t, tcp(A, 1234, B, 80, SYN, 100, 0, 0), 1.0);
	feed(t, tcp(B, 80, A, 1234, SYN | ACK, 500, 101, 0), 1.1);
	feed(t, tcp(A, 1234, B, 80, ACK, 101, 501, 0), 1.2);
	feed(t, tcp(A, 1234, B, 80, PA, 101, 501, 10), 1.3);
	feed(t, tcp(B, 80, A, 1234, ACK, 501, 111, 0), 1.4);
	feed(t, tcp(B, 80, A, 1234, PA, 501, 111, 20), 1.5);
	feed(t, tcp(A, 1234, B, 80, ACK, 111, 521, 0), 1.6);
	feed(t, tcp(A, 1234, B, 80, FIN | ACK, 111, 521, 0), 1.7);
	feed(t, tcp(B, 80, A, 1234, FIN | ACK, 521, 112, 0), 1.8);
	feed(t, tcp(A, 1234, B, 80, ACK, 112, 522, 0), 1.9);
	pk_flowtab_flush(t);
	CHECK_EQ_INT(nrec, 1);
	CHECK_EQ_STR(recs[0].history, "ShADadFf");
	CHECK_EQ_STR(pk_connstate_name(recs[0].conn_state), "SF");
	CHECK_EQ_INT(recs[0].orig.bytes, 10);
	CHECK_EQ_INT(recs[0].resp.bytes, 20);
	CHECK_EQ_INT(recs[0].orig.pkts, 6);
	CHECK_EQ_INT(recs[0].resp.pkts, 4);
	CHECK_EQ_INT(recs[0].orig_port, 1234);
	CHECK_EQ_INT(recs[0].duration_ns, 800000000);
	CHECK_EQ_INT(recs[0].rtt_syn_synack_ns, 100000000);
	CHECK_EQ_INT(recs[0].rtt_synack_ack_ns, 100000000);
	CHECK_EQ_INT(recs[0].closer, PK_CLOSE_ORIG_FIN);
	pk_flowtab_free(t);
}

/* 1.4 table rows 1, 10: REJ and S0; 1.7: the attempt timer ends an
 * unanswered SYN 5 s later and the retry starts a new S0 row. */
static void
rej_and_s0(void)
{
	struct pk_flowtab *t = table();

	feed(t, tcp(A, 2000, B, 110, SYN, 7, 0, 0), 1.0);
	feed(t, tcp(B, 110, A, 2000, RST | ACK, 0, 8, 0), 1.05);
	feed(t, tcp(A, 2001, B, 111, SYN, 9, 0, 0), 10.0);
	feed(t, tcp(A, 2001, B, 111, SYN, 9, 0, 0), 13.0);
	feed(t, tcp(A, 2001, B, 111, SYN, 9, 0, 0), 16.0);
	pk_flowtab_flush(t);
	CHECK_EQ_INT(nrec, 3);
	CHECK_EQ_STR(recs[0].history, "Sr");
	CHECK_EQ_STR(pk_connstate_name(recs[0].conn_state), "REJ");
	CHECK_EQ_STR(recs[1].history, "S");
	CHECK_EQ_STR(pk_connstate_name(recs[1].conn_state), "S0");
	CHECK_EQ_INT(recs[1].orig.pkts, 2);
	CHECK_EQ_INT(recs[1].end, PK_END_ATTEMPT);
	CHECK_EQ_STR(pk_connstate_name(recs[2].conn_state), "S0");
	pk_flowtab_free(t);
}

/* 1.5 logarithmic rule: 10 retransmissions give TT. */
static void
log_rule(void)
{
	struct pk_flowtab *t = table();

	feed(t, tcp(A, 1234, B, 80, SYN, 100, 0, 0), 1.0);
	feed(t, tcp(B, 80, A, 1234, SYN | ACK, 500, 101, 0), 1.1);
	feed(t, tcp(A, 1234, B, 80, ACK, 101, 501, 0), 1.2);
	for (int i = 0; i < 11; i++)
		feed(t, tcp(A, 1234, B, 80, PA, 101, 501, 10), 1.3 + i * 0.01);
	pk_flowtab_flush(t);
	CHECK_EQ_STR(recs[0].history, "ShADTT");
	CHECK_EQ_INT(recs[0].orig.retx_pkts, 10);
	CHECK_EQ_STR(pk_connstate_name(recs[0].conn_state), "S1");
	pk_flowtab_free(t);
}

/* 1.6: sizes are 64-bit across the 32-bit sequence wrap. */
static void
seq_wrap(void)
{
	struct pk_flowtab *t = table();
	uint32_t isn = 0xfffffff0u;

	feed(t, tcp(A, 1234, B, 80, SYN, isn, 0, 0), 1.0);
	feed(t, tcp(B, 80, A, 1234, SYN | ACK, 500, isn + 1, 0), 1.1);
	feed(t, tcp(A, 1234, B, 80, PA, isn + 1, 501, 1000), 1.2);
	feed(t, tcp(A, 1234, B, 80, PA, isn + 1001, 501, 1000), 1.3);
	feed(t, tcp(B, 80, A, 1234, ACK, 501, isn + 2001, 0), 1.4);
	pk_flowtab_flush(t);
	CHECK_EQ_INT(recs[0].orig.bytes, 2000);
	CHECK_EQ_STR(recs[0].history, "ShDa");
	pk_flowtab_free(t);
}

/* 1.3: a SYN-ACK first, then an ACK, flips the roles: ^hA... */
static void
synack_flip(void)
{
	struct pk_flowtab *t = table();

	pk_flowtab_clear_server_ports(t);
	feed(t, tcp(B, 888, A, 64702, SYN | ACK, 500, 101, 0), 1.0);
	feed(t, tcp(A, 64702, B, 888, ACK, 101, 501, 0), 1.1);
	feed(t, tcp(B, 888, A, 64702, FIN | ACK, 501, 101, 0), 1.2);
	pk_flowtab_flush(t);
	CHECK_EQ_STR(recs[0].history, "^hAf");
	CHECK_EQ_INT(recs[0].orig_port, 64702);
	CHECK_EQ_INT(recs[0].orig.pkts, 1);
	CHECK_EQ_INT(recs[0].resp.pkts, 2);
	pk_flowtab_free(t);
}

/* 1.7: a SYN after a RST is a new connection even with the same ISN. */
static void
reuse(void)
{
	struct pk_flowtab *t = table();

	feed(t, tcp(A, 2000, B, 110, SYN, 7, 0, 0), 1.0);
	feed(t, tcp(B, 110, A, 2000, RST | ACK, 0, 8, 0), 1.05);
	feed(t, tcp(A, 2000, B, 110, SYN, 7, 0, 0), 1.5);
	feed(t, tcp(B, 110, A, 2000, RST | ACK, 0, 8, 0), 1.55);
	pk_flowtab_flush(t);
	CHECK_EQ_INT(nrec, 2);
	CHECK_EQ_INT(recs[0].end, PK_END_REUSE);
	CHECK_EQ_STR(recs[1].history, "Sr");
	pk_flowtab_free(t);
}

static void
connstate_table(void)
{
	CHECK_EQ_INT(pk_history_rstos0("SR"), 1);
	CHECK_EQ_INT(pk_history_rstos0("SaR"), 1);
	CHECK_EQ_INT(pk_history_rstos0("SaFR"), 0);
	CHECK_EQ_INT(pk_history_rstos0("R"), 0);
	CHECK_EQ_INT(pk_history_rstos0("^SR"), 1);
	CHECK_EQ_INT(pk_tcp_connstate(PK_TCP_ESTABLISHED, PK_TCP_ESTABLISHED, 0, 0, "Sh"), PK_CS_S1);
	CHECK_EQ_INT(pk_tcp_connstate(PK_TCP_CLOSED, PK_TCP_ESTABLISHED, 0, 0, ""), PK_CS_S2);
	CHECK_EQ_INT(pk_tcp_connstate(PK_TCP_ESTABLISHED, PK_TCP_CLOSED, 0, 0, ""), PK_CS_S3);
	CHECK_EQ_INT(pk_tcp_connstate(PK_TCP_PARTIAL, PK_TCP_RESET, 1, 0, "Dr"), PK_CS_RSTRH);
}

static void
keys(void)
{
	struct pk_layers L1 = tcp(A, 1, B, 2, SYN, 0, 0, 0), L2 = tcp(B, 2, A, 1, ACK, 0, 0, 0);
	struct pk_flowkey k1, k2;
	int s1, s2;

	CHECK(pk_flow_key(&L1, 1, &k1, &s1) == 0);
	CHECK(pk_flow_key(&L2, 1, &k2, &s2) == 0);
	CHECK(memcmp(&k1, &k2, sizeof k1) == 0);
	CHECK(s1 != s2);
	CHECK(pk_flowkey_hash(&k1, 0) == pk_flowkey_hash(&k2, 0));
	CHECK(pk_flowkey_hash_hosts(&k1, 0) == pk_flowkey_hash_hosts(&k2, 0));
	{
		struct pk_layers L3 = tcp(A, 7, B, 9, SYN, 0, 0, 0);
		struct pk_flowkey k3;

		CHECK(pk_flow_key(&L3, 1, &k3, NULL) == 0);
		CHECK(pk_flowkey_hash(&k3, 0) != pk_flowkey_hash(&k1, 0));
		CHECK(pk_flowkey_hash_hosts(&k3, 0) == pk_flowkey_hash_hosts(&k1, 0));
	}
	CHECK_EQ_INT(pk_icmp_counterpart(4, 8), 0);
	CHECK_EQ_INT(pk_icmp_counterpart(6, 135), 136);
	CHECK_EQ_INT(pk_icmp_counterpart(4, 3), -1);
}

/* A UDP datagram from X:xp to Y:yp. */
static struct pk_layers
udp(const uint8_t *x, uint16_t xp, const uint8_t *y, uint16_t yp, uint32_t len)
{
	struct pk_layers L = tcp(x, xp, y, yp, 0, 0, 0, len);

	L.have = PK_HAVE_LINK | PK_HAVE_IPV4 | PK_HAVE_UDP;
	L.ip_proto = 17;
	L.ip_len = 28 + len;
	L.udp_len = (uint16_t)(8 + len);
	return L;
}

/* Feed at exactly NS nanoseconds since the epoch. */
static void
feed_ns(struct pk_flowtab *t, struct pk_layers L, int64_t ns)
{
	CHECK(pk_flowtab_add(t, &L, ns / PK_NS, (uint32_t)(ns % PK_NS)) == 0);
}

/*
 * Live flows keep their times as 32-bit offsets from the start, in
 * microseconds when the start is a whole microsecond (71.6 minutes of
 * range), else nanoseconds (4.29 s); a time outside that range or not a
 * whole unit moves the flow's times to a 64-bit side record.  Every time
 * of the record must come out exact either way: the expected values below
 * are the packet times themselves.
 */
static void
times_long_flow(void)
{
	/* Start on a whole microsecond; a keepalive every 250 s for 2 hours
	 * (past 2^32 us = 4294.967296 s), then a last gap of 299 s, under
	 * the 300 s TCP inactivity timeout. */
	for (int ns_start = 0; ns_start < 2; ns_start++) {
		struct pk_flowtab *t = table();
		int64_t t0 = 1000 * PK_NS + 1000 + ns_start * 123, now, last;
		uint32_t aseq = 101;

		feed_ns(t, tcp(A, 1234, B, 80, SYN, 100, 0, 0), t0);
		feed_ns(t, tcp(B, 80, A, 1234, SYN | ACK, 500, 101, 0), t0 + 100000000);
		feed_ns(t, tcp(A, 1234, B, 80, ACK, 101, 501, 0), t0 + 200000000);
		now = t0 + 200000000;
		for (int i = 0; i < 30; i++) {
			now += 250 * PK_NS;
			feed_ns(t, tcp(A, 1234, B, 80, PA, aseq, 501, 1), now);
			aseq++;
		}
		last = now + 299 * PK_NS;
		feed_ns(t, tcp(B, 80, A, 1234, PA, 501, aseq, 5), last);
		pk_flowtab_flush(t);
		CHECK_EQ_INT(nrec, 1);
		CHECK_EQ_INT(recs[0].start_ns, t0);
		CHECK_EQ_INT(recs[0].last_ns, last);
		CHECK_EQ_INT(recs[0].duration_ns, last - t0);
		CHECK_EQ_INT(recs[0].max_idle_ns, 299 * PK_NS);
		CHECK_EQ_INT(recs[0].max_idle_at_ns, last);
		CHECK_EQ_INT(recs[0].rtt_syn_synack_ns, 100000000);
		CHECK_EQ_INT(recs[0].rtt_synack_ack_ns, 100000000);
		CHECK_EQ_INT(recs[0].syn_first_ns, t0);
		CHECK_EQ_INT(recs[0].hs_ack_ns, t0 + 200000000);
		CHECK_EQ_INT(recs[0].orig.data_first_ns, t0 + 200000000 + 250 * PK_NS);
		CHECK_EQ_INT(recs[0].orig.data_last_ns, now);
		CHECK_EQ_INT(recs[0].resp.data_first_ns, last);
		CHECK_EQ_INT(recs[0].resp.data_last_ns, last);
		CHECK_EQ_INT(recs[0].orig.bytes, 30);
		CHECK_EQ_INT(recs[0].resp.bytes, 5);
		CHECK_EQ_STR(recs[0].history, "ShADd");
		pk_flowtab_free(t);
	}
}

/* Times that are not whole microseconds after a whole-microsecond start,
 * and a packet stamped before the flow's first (out-of-order capture):
 * UDP, every 50 s for 80 minutes, so the 60 s timeout never fires. */
static void
times_odd(void)
{
	struct pk_flowtab *t = table();
	int64_t t0 = 5000 * PK_NS, now = t0;

	feed_ns(t, tcp(A, 1, B, 2, SYN, 7, 0, 0), t0);
	feed_ns(t, tcp(B, 2, A, 1, SYN | ACK, 70, 8, 0), t0 + 1001);   /* 1.001 us later */
	pk_flowtab_flush(t);
	CHECK_EQ_INT(nrec, 1);
	CHECK_EQ_INT(recs[0].rtt_syn_synack_ns, 1001);
	CHECK_EQ_INT(recs[0].duration_ns, 1001);
	CHECK_EQ_INT(recs[0].synack_first_ns, t0 + 1001);
	pk_flowtab_free(t);

	t = table();
	feed_ns(t, udp(A, 53, B, 9999, 10), t0);
	feed_ns(t, udp(B, 9999, A, 53, 10), t0 - 7);        /* before the start */
	pk_flowtab_flush(t);
	CHECK_EQ_INT(nrec, 1);
	CHECK_EQ_INT(recs[0].start_ns, t0);
	CHECK_EQ_INT(recs[0].last_ns, t0 - 7);
	CHECK_EQ_INT(recs[0].duration_ns, -7);
	pk_flowtab_free(t);

	t = table();
	for (int i = 0; i < 97; i++, now += 50 * PK_NS)
		feed_ns(t, udp(A, 5000, B, 5001, 1), now);
	pk_flowtab_flush(t);
	CHECK_EQ_INT(nrec, 1);
	CHECK_EQ_INT(recs[0].orig.pkts, 97);
	CHECK_EQ_INT(recs[0].duration_ns, 96 * 50 * PK_NS);
	CHECK_EQ_INT(recs[0].max_idle_ns, 50 * PK_NS);
	CHECK_EQ_INT(recs[0].max_idle_at_ns, t0 + 50 * PK_NS);
	pk_flowtab_free(t);
}

/* feed N copies of L, one every 1 ms from TS on. */
static void
feed_n(struct pk_flowtab *t, struct pk_layers L, double ts, int n)
{
	for (int i = 0; i < n; i++)
		feed(t, L, ts + i * 0.001);
}

/*
 * Histories around the letters a flow keeps inline (22; a longer one
 * lives whole in a record of its own), from both sides, after a flip (1.3
 * rule 1: a SYN-ACK first, then an ACK: "^h", then the ACK's "A").  1.5:
 * the first data each way is D / d; a retransmitted segment is T / t and
 * a zero-window advertisement W / w, both logarithmic (letters at counts
 * 1, 10, 100, 1000, 10000: n packets give 1 + log10 n of them); the
 * responder's first pure ACK adds a before its first w; then F and f.
 * Four flows one after the other, each ended (its record given back)
 * before the next one's history grows: 28, 24, 22 and 23 letters; and a
 * short-history flow alongside each.
 */
static void
long_history(void)
{
	static const struct { int n[4]; const char *want; } c[] = {
		{ { 10000, 10000, 10000, 10000 }, "^hADTTTTTdtttttWWWWWawwwwwFf" },
		{ { 1000, 1000, 1000, 1000 }, "^hADTTTTdttttWWWWawwwwFf" },
		{ { 10000, 100, 100, 100 }, "^hADTTTTTdtttWWWawwwFf" },
		{ { 10000, 1000, 100, 100 }, "^hADTTTTTdttttWWWawwwFf" },
	};
	struct pk_flowtab *t = table();
	double ts = 1.0;
	int n = 0;

	pk_flowtab_clear_server_ports(t);
	for (int k = 0; k < 4; k++, ts += 100) {
		uint16_t ap = (uint16_t)(64702 + k);
		struct pk_layers w;

		feed(t, tcp(B, 888, A, ap, SYN | ACK, 500, 101, 0), ts);
		feed(t, tcp(A, ap, B, 888, ACK, 101, 501, 0), ts + 0.1);
		feed(t, tcp(A, 7, B, 9, SYN, 1, 0, 0), ts + 0.15);   /* short-history flow */
		feed(t, tcp(A, ap, B, 888, PA, 101, 501, 10), ts + 0.2);
		feed_n(t, tcp(A, ap, B, 888, PA, 101, 501, 10), ts + 0.3, c[k].n[0]);
		feed(t, tcp(B, 888, A, ap, PA, 501, 111, 10), ts + 20);
		feed_n(t, tcp(B, 888, A, ap, PA, 501, 111, 10), ts + 20.1, c[k].n[1]);
		w = tcp(A, ap, B, 888, ACK, 111, 511, 0);
		w.tcp_win = 0;
		feed_n(t, w, ts + 40, c[k].n[2]);
		w = tcp(B, 888, A, ap, ACK, 511, 111, 0);
		w.tcp_win = 0;
		feed_n(t, w, ts + 60, c[k].n[3]);
		feed(t, tcp(A, ap, B, 888, FIN | ACK, 111, 511, 0), ts + 80);
		feed(t, tcp(B, 888, A, ap, FIN | ACK, 511, 112, 0), ts + 80.1);
	}
	pk_flowtab_flush(t);
	CHECK_EQ_INT(nrec, 8);
	for (int i = 0; i < nrec; i++) {
		int k = recs[i].orig_port - 64702;

		if (recs[i].orig_port == 7) {
			CHECK_EQ_STR(recs[i].history, "S");
			continue;
		}
		CHECK(k >= 0 && k < 4);
		if (k < 0 || k >= 4)
			continue;
		n++;
		CHECK_EQ_STR(recs[i].history, c[k].want);
		CHECK_EQ_INT(recs[i].orig.retx_pkts, c[k].n[0]);
		CHECK_EQ_INT(recs[i].resp.retx_pkts, c[k].n[1]);
		CHECK_EQ_INT(recs[i].orig.zero_win, c[k].n[2]);
		CHECK_EQ_INT(recs[i].resp.zero_win, c[k].n[3]);
	}
	CHECK_EQ_INT(n, 4);
	pk_flowtab_free(t);
}

/*
 * TCP IP and payload byte counts past 2^32 (the flow keeps 32-bit low
 * halves; the high ones go to its extras record), by sender, across a
 * flip: B's SYN-ACK (carrying 10 bytes) comes first, then A's SYN with
 * the sequence number the SYN-ACK acknowledged: a SYN/SYN-ACK reversal
 * (1.3 rule 3), A becomes the originator.  Then A sends 5 segments of
 * 10^9 bytes, B 7.  Each packet's IP length is its payload + 40 (tcp()
 * builds 20-byte IP and TCP headers).
 */
static void
bytes_past_32bit(void)
{
	struct pk_flowtab *t = table();
	uint32_t G = 1000000000u, aseq = 101, bseq = 511;

	pk_flowtab_clear_server_ports(t);
	feed(t, tcp(B, 888, A, 64702, SYN | ACK, 500, 101, 10), 1.0);
	feed(t, tcp(A, 64702, B, 888, SYN, 100, 0, 0), 1.1);
	feed(t, tcp(A, 64702, B, 888, ACK, 101, 511, 0), 1.2);
	for (int i = 0; i < 7; i++) {
		if (i < 5) {
			feed(t, tcp(A, 64702, B, 888, PA, aseq, bseq, G), 2.0 + i);
			aseq += G;
		}
		feed(t, tcp(B, 888, A, 64702, PA, bseq, aseq, G), 2.5 + i);
		bseq += G;
	}
	pk_flowtab_flush(t);
	CHECK_EQ_INT(nrec, 1);
	CHECK_EQ_INT(recs[0].flipped, 1);
	CHECK_EQ_INT(recs[0].orig_port, 64702);
	CHECK_EQ_INT(recs[0].orig.pkts, 7);
	CHECK_EQ_INT(recs[0].resp.pkts, 8);
	CHECK(recs[0].orig.payload == 5000000000ull);
	CHECK(recs[0].resp.payload == 7000000010ull);
	CHECK(recs[0].orig.ip_bytes == 80 + 5 * (1000000000ull + 40));
	CHECK(recs[0].resp.ip_bytes == 50 + 7 * (1000000000ull + 40));
	CHECK(recs[0].orig.bytes == 5000000000ull);
	pk_flowtab_free(t);
}

UNIT_MAIN(U(long_history), U(bytes_past_32bit), U(times_long_flow), U(times_odd), U(normal_close), U(rej_and_s0), U(log_rule), U(seq_wrap), U(synack_flip),
          U(reuse), U(connstate_table), U(keys))
