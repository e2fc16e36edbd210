/* gen_frag.c — write flows-frag.pcap (fragmented IP datagrams) into argv[1].
 *
 * Each datagram is cut into fragments by hand; tests/pflows_frag.bats derives
 * the expected conn.log counts from Zeek's reassembly rules (src/Frag.cc):
 * one packet per datagram, at the time of the fragment that completes it,
 * with the IP length of the whole datagram.  Client 10.3.0.1, server
 * 10.3.0.2, times from 2024-05-01T12:00:00Z, one second per story.
 */
#include <stdio.h>
#include <string.h>

#include "pktbuild.h"

#define T0 1714564800LL
#define C_ "10.3.0.1"
#define S_ "10.3.0.2"
#define C6 "2001:db8:3::1"
#define S6 "2001:db8:3::2"

static struct pb_out *out;

static void
put(int64_t usec, struct pb *b, uint32_t caplen)
{
	pb_finish(b);
	if (caplen)
		pb_put_cut(out, T0 + usec / 1000000, (uint32_t)(usec % 1000000) * 1000, b, caplen);
	else
		pb_put(out, T0 + usec / 1000000, (uint32_t)(usec % 1000000) * 1000, b);
}

/* IPv4 fragment of datagram ID at byte offset OFF (a multiple of 8) holding
 * N data bytes; the first one (OFF 0) starts with the transport header. */
static void
frag4(int64_t usec, const char *src, const char *dst, uint16_t id, uint8_t proto,
      uint32_t off, int more, size_t n, uint32_t caplen, void (*l4)(struct pb *, size_t *))
{
	struct pb b;

	pb_begin(&b, PK_LINK_EN10MB);
	pb_ipv4(&b, &(struct pb_ip4){ .src = src, .dst = dst, .id = id, .proto = proto,
	    .frag = (uint16_t)((more ? 0x2000 : 0) | off / 8) });
	if (off == 0 && l4)
		l4(&b, &n);
	pb_fill(&b, n, 'f');
	put(usec, &b, caplen);
}

/* Transport headers of the first fragments; each takes its size from N. */
static uint16_t udp_sport, udp_len;
static void
udp_hdr(struct pb *b, size_t *n)
{
	pb_udp_bad(b, udp_sport, 7001, udp_len, 0);
	*n -= 8;
}
static void
echo_hdr(struct pb *b, size_t *n)
{
	pb_icmp(b, 8, 0, 0x0042u << 16 | 1);
	*n -= 8;
}
static void
reply_hdr(struct pb *b, size_t *n)
{
	pb_icmp(b, 0, 0, 0x0042u << 16 | 1);
	*n -= 8;
}

static void
udp(int64_t usec, const char *src, uint16_t sp, const char *dst, uint16_t dp, size_t n)
{
	struct pb b;

	pb_begin(&b, PK_LINK_EN10MB);
	pb_ipv4(&b, &(struct pb_ip4){ .src = src, .dst = dst });
	pb_udp(&b, sp, dp);
	pb_fill(&b, n, 'u');
	put(usec, &b, 0);
}

static void
tcp(int64_t usec, const char *src, uint16_t sp, const char *dst, uint16_t dp, uint16_t fl,
    uint32_t seq, uint32_t ack)
{
	struct pb b;

	pb_begin(&b, PK_LINK_EN10MB);
	pb_ipv4(&b, &(struct pb_ip4){ .src = src, .dst = dst });
	pb_tcp(&b, &(struct pb_tcp){ .sport = sp, .dport = dp, .seq = seq, .ack = ack, .flags = fl });
	put(usec, &b, 0);
}

static uint32_t tcp_seq;
static void
tcp_hdr(struct pb *b, size_t *n)
{
	pb_tcp(b, &(struct pb_tcp){ .sport = 40006, .dport = 7006, .seq = tcp_seq, .ack = 5001,
	    .flags = PK_TH_ACK | PK_TH_PUSH });
	*n -= 20;
}

/* IPv6 fragment: the fragment header, then (first) UDP or (later) data. */
static void
frag6(int64_t usec, uint32_t off, int more, size_t n, uint16_t ulen)
{
	struct pb b;

	pb_begin(&b, PK_LINK_EN10MB);
	pb_ipv6(&b, &(struct pb_ip6){ .src = C6, .dst = S6 });
	pb_ipv6_frag(&b, (uint16_t)(off / 8), more, 0x600d);
	if (off == 0) {
		pb_udp_bad(&b, 40005, 7005, ulen, 0);
		n -= 8;
	}
	pb_fill(&b, n, 'g');
	pb_finish(&b);
	if (off)
		b.d[14 + 40] = 17;   /* the fragment header's next header: UDP */
	pb_put(out, T0 + usec / 1000000, (uint32_t)(usec % 1000000) * 1000, &b);
}

int
main(int argc, char **argv)
{
	char path[1024];
	int64_t t = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_frag DIR\n");
		return 2;
	}
	snprintf(path, sizeof path, "%s/flows-frag.pcap", argv[1]);
	out = pb_out_pcap(path, PK_LINK_EN10MB, 65535, 0);

	/* 1. UDP 40001: a 3000-byte UDP datagram in fragments of 1480, 1480
	 *    and 40 data bytes, in order; a 100-byte unfragmented answer. */
	udp_sport = 40001; udp_len = 3000;
	frag4(t, C_, S_, 101, 17, 0, 1, 1480, 0, udp_hdr);
	frag4(t + 100, C_, S_, 101, 17, 1480, 1, 1480, 0, NULL);
	frag4(t + 200, C_, S_, 101, 17, 2960, 0, 40, 0, NULL);
	udp(t + 10000, S_, 7001, C_, 40001, 100);

	/* 2. UDP 40002: the same datagram, last fragment first, the first
	 *    fragment last (at +0.3 s); a duplicate middle fragment. */
	t += 1000000;
	udp_sport = 40002;
	frag4(t, C_, S_, 102, 17, 2960, 0, 40, 0, NULL);
	frag4(t + 100000, C_, S_, 102, 17, 1480, 1, 1480, 0, NULL);
	frag4(t + 200000, C_, S_, 102, 17, 1480, 1, 1480, 0, NULL);
	frag4(t + 300000, C_, S_, 102, 17, 0, 1, 1480, 0, udp_hdr);

	/* 3. UDP 40003: a datagram whose middle fragment never comes. */
	t += 1000000;
	udp_sport = 40003;
	frag4(t, C_, S_, 103, 17, 0, 1, 1480, 0, udp_hdr);
	frag4(t + 200, C_, S_, 103, 17, 2960, 0, 40, 0, NULL);

	/* 4. ICMP echo of 4000 ICMP bytes each way, two fragments each. */
	t += 1000000;
	frag4(t, C_, S_, 104, 1, 0, 1, 2000, 0, echo_hdr);
	frag4(t + 100, C_, S_, 104, 1, 2000, 0, 2000, 0, NULL);
	frag4(t + 5000, S_, C_, 9104, 1, 0, 1, 2000, 0, reply_hdr);
	frag4(t + 5100, S_, C_, 9104, 1, 2000, 0, 2000, 0, NULL);

	/* 5. IPv6 UDP 40005: 1232 + 500 data bytes after the fragment header. */
	t += 1000000;
	frag6(t, 0, 1, 1232, 1732);
	frag6(t + 100, 1232, 0, 500, 0);

	/* 6. TCP 40006: handshake, a 2000-byte segment in two fragments
	 *    (20 + 1460 and 540 data bytes), ACK, FINs. */
	t += 1000000;
	tcp(t, C_, 40006, S_, 7006, PK_TH_SYN, 1000, 0);
	tcp(t + 1000, S_, 7006, C_, 40006, PK_TH_SYN | PK_TH_ACK, 5000, 1001);
	tcp(t + 2000, C_, 40006, S_, 7006, PK_TH_ACK, 1001, 5001);
	tcp_seq = 1001;
	frag4(t + 3000, C_, S_, 106, 6, 0, 1, 1480, 0, tcp_hdr);
	frag4(t + 3100, C_, S_, 106, 6, 1480, 0, 540, 0, NULL);
	tcp(t + 4000, S_, 7006, C_, 40006, PK_TH_ACK, 5001, 3001);
	tcp(t + 5000, C_, 40006, S_, 7006, PK_TH_FIN | PK_TH_ACK, 3001, 5001);
	tcp(t + 6000, S_, 7006, C_, 40006, PK_TH_FIN | PK_TH_ACK, 5001, 3002);
	tcp(t + 7000, C_, 40006, S_, 7006, PK_TH_ACK, 3002, 5002);

	/* 7. UDP 40007: the first fragment (IP length 1500) captured only to
	 *    200 bytes, then its last fragment (IP length 540). */
	t += 1000000;
	udp_sport = 40007; udp_len = 2000;
	frag4(t, C_, S_, 107, 17, 0, 1, 1480, 200, udp_hdr);
	frag4(t + 100, C_, S_, 107, 17, 1480, 0, 520, 0, NULL);

	pb_close(out);
	return 0;
}
