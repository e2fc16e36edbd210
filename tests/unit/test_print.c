/* test_print.c — unit tests for the tcpdump-compatible printer on hand-built packets.
 *
 * Expected lines are derived by hand from tcpdump 4.99's formats (print-tcp.c,
 * print-udp.c, print-arp.c, print-ether.c, util-print.c ts_format): the
 * comments say which rule gives each part.  TZ is forced to UTC.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pcapkit/packet.h"
#include "pcapkit/print.h"
#include "unit.h"

/* Ethernet + IPv4 + TCP SYN 10.0.0.1:40000 -> 10.0.0.2:80, seq 1000, win
 * 64240, options mss 1460, sackOK, TS 1/0, nop, wscale 7 (as in test_decode.c). */
static const uint8_t syn[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	10, 0, 0, 1, 10, 0, 0, 2,
	0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00,
	0xa0, 0x02, 0xfa, 0xf0, 0x00, 0x00, 0x00, 0x00,
	0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};

static char out[8192];

static const char *
fmt(const struct pk_print_opts *o, int64_t sec, uint32_t nsec, const uint8_t *p,
    uint32_t caplen, uint32_t len, int lt)
{
	char err[256];
	struct pk_printer *pr = pk_printer_open(-1, o, err);
	struct pk_pkthdr h = { .sec = sec, .nsec = nsec, .caplen = caplen, .len = len, .linktype = lt };
	const char *t;
	size_t n;

	if (!pr)
		return "";
	t = pk_printer_format(pr, &h, p, &n);
	if (n >= sizeof out)
		n = sizeof out - 1;
	memcpy(out, t, n);
	out[n] = '\0';
	pk_printer_close(pr);
	return out;
}

static void
tcp_syn_default(void)
{
	struct pk_print_opts o = { 0 };

	/* 1714564800 = 2024-05-01T12:00:00Z; 5 us; flags S; no ack -> no
	 * "ack"; seq printed for SYN; options in wire order; payload 0. */
	CHECK_EQ_STR(fmt(&o, 1714564800, 5000, syn, sizeof syn, sizeof syn, PK_LINK_EN10MB),
	    "12:00:00.000005 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, "
	    "options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0\n");
}

static void
time_styles(void)
{
	struct pk_print_opts o = { 0 };
	const char *s;

	o.tflag = 2;    /* -tt: seconds.micro */
	s = fmt(&o, 1714564800, 5000, syn, sizeof syn, sizeof syn, PK_LINK_EN10MB);
	CHECK(strncmp(s, "1714564800.000005 IP ", 21) == 0);
	o.tflag = 4;    /* -tttt: date and time */
	s = fmt(&o, 1714564800, 5000, syn, sizeof syn, sizeof syn, PK_LINK_EN10MB);
	CHECK(strncmp(s, "2024-05-01 12:00:00.000005 IP ", 30) == 0);
	o.tflag = 3;    /* -ttt: first packet is a zero delta, with a leading space */
	s = fmt(&o, 1714564800, 5000, syn, sizeof syn, sizeof syn, PK_LINK_EN10MB);
	CHECK(strncmp(s, " 00:00:00.000000 IP ", 20) == 0);
	o.tflag = 1;    /* -t: none */
	s = fmt(&o, 1714564800, 5000, syn, sizeof syn, sizeof syn, PK_LINK_EN10MB);
	CHECK(strncmp(s, "IP 10.0.0.1", 11) == 0);
	o.tflag = 0;
	o.nano = 1;     /* --nano: nine digits */
	s = fmt(&o, 1714564800, 5001, syn, sizeof syn, sizeof syn, PK_LINK_EN10MB);
	CHECK(strncmp(s, "12:00:00.000005001 IP ", 22) == 0);
	o.nano = 0;     /* seconds past 2^31 - 1: tcpdump 4.99's message */
	s = fmt(&o, 2147483648LL, 0, syn, sizeof syn, sizeof syn, PK_LINK_EN10MB);
	CHECK(strncmp(s, "[Error converting time] IP ", 27) == 0);
}

static void
eflag_and_hex(void)
{
	struct pk_print_opts o = { 0 };
	const char *s;

	o.eflag = 1;    /* src > dst, ethertype NAME (0x%04x), length WIRE: */
	s = fmt(&o, 1714564800, 0, syn, sizeof syn, sizeof syn, PK_LINK_EN10MB);
	CHECK(strncmp(s, "12:00:00.000000 66:77:88:99:aa:bb > 00:11:22:33:44:55, "
	    "ethertype IPv4 (0x0800), length 74: 10.0.0.1.40000 > 10.0.0.2.80: Flags [S]", 125) == 0);
	o.eflag = 0;
	o.xflag = 1;    /* -x: after the link header, "\n\t0x0000: " then " %02x%02x" groups */
	s = fmt(&o, 1714564800, 0, syn, sizeof syn, sizeof syn, PK_LINK_EN10MB);
	CHECK(strstr(s, "length 0\n\t0x0000:  4500 003c 1234 4000 4006 0000 0a00 0001\n"
	    "\t0x0010:  0a00 0002 9c40 0050") != NULL);
	o.xflag = 0;
	o.Xflag = 2;    /* -XX: from byte 0, hex padded to 40 columns, then ASCII */
	s = fmt(&o, 1714564800, 0, syn, sizeof syn, sizeof syn, PK_LINK_EN10MB);
	CHECK(strstr(s, "\n\t0x0000:  0011 2233 4455 6677 8899 aabb 0800 4500  ..\"3DUfw......E.\n") != NULL);
}

static void
truncated(void)
{
	struct pk_print_opts o = { 0 };

	/* 40 bytes: both ports present, the 20-byte TCP header is not:
	 * addresses and ports, then " [|tcp]" after ": ". */
	CHECK_EQ_STR(fmt(&o, 1714564800, 0, syn, 40, sizeof syn, PK_LINK_EN10MB),
	    "12:00:00.000000 IP 10.0.0.1.40000 > 10.0.0.2.80:  [|tcp]\n");
	/* 10 bytes: not even the Ethernet header. */
	CHECK_EQ_STR(fmt(&o, 1714564800, 0, syn, 10, sizeof syn, PK_LINK_EN10MB),
	    "12:00:00.000000  [|ether]\n");
}

static void
relative_seq(void)
{
	/* A SYN-ACK (seq 5000, ack 1001) makes the connection entry; the ACK
	 * from the client (seq 1001, ack 5001) then prints "ack 1". */
	uint8_t sa[sizeof syn], ack[54];
	struct pk_print_opts o = { 0 };
	struct pk_pkthdr h = { .sec = 1714564800, .caplen = sizeof syn, .len = sizeof syn,
	    .linktype = PK_LINK_EN10MB };
	char err[256];
	struct pk_printer *pr = pk_printer_open(-1, &o, err);
	const char *t;
	size_t n;

	memcpy(sa, syn, sizeof sa);
	memcpy(sa + 26, "\x0a\x00\x00\x02\x0a\x00\x00\x01", 8);   /* swap addresses */
	memcpy(sa + 34, "\x00\x50\x9c\x40\x00\x00\x13\x88\x00\x00\x03\xe9", 12);
	sa[47] = 0x12;                                         /* SYN|ACK */
	memcpy(ack, syn, 54);
	ack[17] = 40;                                          /* IP length 40 */
	memcpy(ack + 38, "\x00\x00\x03\xe9\x00\x00\x13\x89", 8);
	ack[46] = 0x50;                                        /* data offset 5 */
	ack[47] = 0x10;                                        /* ACK */
	CHECK(pr != NULL);
	if (!pr)
		return;
	t = pk_printer_format(pr, &h, sa, &n);
	memcpy(out, t, n < sizeof out ? n : sizeof out - 1);
	out[n < sizeof out ? n : sizeof out - 1] = '\0';
	CHECK(strstr(out, "Flags [S.], seq 5000, ack 1001,") != NULL);
	h.caplen = h.len = 54;
	t = pk_printer_format(pr, &h, ack, &n);
	memcpy(out, t, n < sizeof out ? n : sizeof out - 1);
	out[n < sizeof out ? n : sizeof out - 1] = '\0';
	CHECK(strstr(out, "Flags [.], ack 1, win 64240, length 0\n") != NULL);
	pk_printer_close(pr);
	/* -S keeps them absolute. */
	o.Sflag = 1;
	CHECK(strstr(fmt(&o, 1714564800, 0, ack, 54, 54, PK_LINK_EN10MB),
	    "Flags [.], ack 5001, win 64240, length 0\n") != NULL);
}

static void
udp_arp_raw(void)
{
	/* Raw IPv4 UDP 192.168.1.1:5000 -> 192.168.1.2:6000, 4 bytes: the generic
	 * "UDP, length N" of the UDP length field minus 8. */
	static const uint8_t udp[] = {
		0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
		192, 168, 1, 1, 192, 168, 1, 2,
		0x13, 0x88, 0x17, 0x70, 0x00, 0x0c, 0x00, 0x00, 'a', 'b', 'c', 'd',
	};
	/* ARP request who-has 10.0.0.2 tell 10.0.0.1 (zero target MAC: no
	 * "(mac)"), wire length 42 - 14. */
	static const uint8_t arp[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 10, 0, 0, 1,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10, 0, 0, 2,
	};
	struct pk_print_opts o = { 0 };

	CHECK_EQ_STR(fmt(&o, 1714564800, 0, udp, sizeof udp, sizeof udp, PK_LINK_RAW),
	    "12:00:00.000000 IP 192.168.1.1.5000 > 192.168.1.2.6000: UDP, length 4\n");
	CHECK_EQ_STR(fmt(&o, 1714564800, 0, arp, sizeof arp, sizeof arp, PK_LINK_EN10MB),
	    "12:00:00.000000 ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28\n");
	o.qflag = 1;    /* -q: "tcp N" for TCP; UDP keeps its line */
	CHECK_EQ_STR(fmt(&o, 1714564800, 0, syn, sizeof syn, sizeof syn, PK_LINK_EN10MB),
	    "12:00:00.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: tcp 0\n");
}

static void
write_errors(void)
{
	struct pk_print_opts o = { 0 };
	struct pk_pkthdr h = { .sec = 1714564800, .caplen = sizeof syn, .len = sizeof syn,
	    .linktype = PK_LINK_EN10MB };
	char err[256];
	int fds[2];
	struct pk_printer *pr;

	/* A closed descriptor: the flush fails and says so; later calls fail. */
	CHECK(pipe(fds) == 0);
	close(fds[1]);
	close(fds[0]);
	pr = pk_printer_open(fds[1], &o, err);
	CHECK(pr != NULL);
	if (!pr)
		return;
	CHECK_EQ_INT(pk_printer_write(pr, &h, syn), 0);   /* buffered */
	CHECK_EQ_INT(pk_printer_flush(pr), -1);
	CHECK(strstr(pk_printer_error(pr), "write error") != NULL);
	CHECK_EQ_INT(pk_printer_write(pr, &h, syn), -1);
	CHECK_EQ_INT(pk_printer_close(pr), -1);
	CHECK_EQ_INT(pk_printer_close(NULL), 0);
}

static void
setup_tz(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	CHECK(1);
}

UNIT_MAIN(U(setup_tz), U(tcp_syn_default), U(time_styles), U(eflag_and_hex), U(truncated),
    U(relative_seq), U(udp_arp_raw), U(write_errors))
