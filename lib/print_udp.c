/* print_udp.c — UDP (RFC 768) and SCTP common header (RFC 9260) summaries and port dispatch. */
#include "print_int.h"

static void
udpipaddr_print(struct pctx *P, uint32_t ipoff, int sport, int dport)
{
	int v6 = (U8(P, ipoff) >> 4) == 6;
	uint8_t nh = v6 ? U8(P, ipoff + 6) : U8(P, ipoff + 9);

	if (nh == 17) {
		put_hosts(P, ipoff, sport, dport);
		puts_(P, ": ");
	} else if (sport >= 0) {
		putu(P, (unsigned)sport);
		puts_(P, " > ");
		putu(P, (unsigned)dport);
		puts_(P, ": ");
	}
}

void
udp_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t ipoff, int fragmented)
{
	uint16_t sport, dport;
	uint32_t ulen;

	P->proto = "udp";
	if (!HAS(P, off + 2, 2)) {
		udpipaddr_print(P, ipoff, -1, -1);
		put_trunc(P);
		return;
	}
	sport = U16(P, off);
	dport = U16(P, off + 2);
	if (length < 8) {
		udpipaddr_print(P, ipoff, sport, dport);
		puts_(P, "truncated-udp ");
		putu(P, length);
		return;
	}
	if (!HAS(P, off + 4, 2)) {
		udpipaddr_print(P, ipoff, sport, dport);
		put_trunc(P);
		return;
	}
	ulen = U16(P, off + 4);
	if (ulen == 0 && length > 65535)
		ulen = length;
	if (ulen < 8) {
		udpipaddr_print(P, ipoff, sport, dport);
		puts_(P, "truncated-udplength ");
		putu(P, ulen);
		return;
	}
	ulen -= 8;
	length -= 8;
	if (ulen < length)
		length = ulen;
	if (off + 8 > P->end) {
		udpipaddr_print(P, ipoff, sport, dport);
		put_trunc(P);
		return;
	}
	udpipaddr_print(P, ipoff, sport, dport);
	if (!P->o->qflag && P->o->vflag && !fragmented) {
		int v6 = (U8(P, ipoff) >> 4) == 6;
		uint16_t us = U16(P, off + 6);

		/* IPv4 checksums only with -vv; 0 there means none (RFC 768). */
		if (!v6 && P->o->vflag > 1 && us == 0) {
			puts_(P, "[no cksum] ");
		} else if ((v6 || P->o->vflag > 1) && HAS(P, off + 8, length)) {
			uint16_t sum = l4_cksum(P, ipoff, off, length + 8, 17);

			if (sum)
				putf(P, "[bad udp cksum 0x%04x -> 0x%04x!] ", us, cksum_shouldbe(us, sum));
			else
				puts_(P, "[udp sum ok] ");
		}
	}
	if (!P->o->qflag && print_app_udp(P, off + 8, length, sport, dport, ipoff))
		return;
	if (ulen > length && !fragmented) {
		puts_(P, "UDP, bad length ");
		putu(P, ulen);
		puts_(P, " > ");
		putu(P, length);
	} else {
		puts_(P, "UDP, length ");
		putu(P, ulen);
	}
}

void
sctp_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t ipoff)
{
	P->proto = "sctp";
	if (!HAS(P, off, 12)) {
		put_trunc(P);
		return;
	}
	put_hosts(P, ipoff, U16(P, off), U16(P, off + 2));
	puts_(P, ": sctp");
	(void)length;
}
