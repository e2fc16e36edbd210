/* print_arp.c — ARP and RARP (RFC 826, RFC 903) one-line summaries. */
#include "print_int.h"

static const struct tok arphrd[] = {
	{ 1, "Ethernet" }, { 6, "IEEE 802" }, { 7, "ARCNET" }, { 15, "Frame Relay" },
	{ 16, "ATM" }, { 19, "ATM" }, { 23, "Strip" }, { 24, "IEEE 1394" },
	{ 32, "InfiniBand" }, { 0, NULL }
};

static const struct tok arpop[] = {
	{ 1, "Request" }, { 2, "Reply" }, { 3, "Reverse Request" }, { 4, "Reverse Reply" },
	{ 8, "Inverse Request" }, { 9, "Inverse Reply" }, { 10, "NACK Reply" }, { 0, NULL }
};

static void
linkaddr(struct pctx *P, uint32_t off, uint32_t n)
{
	if (n == 0) {
		puts_(P, "<empty>");
		return;
	}
	put_mac(P, P->pkt + off, n);
}

static void
paddr(struct pctx *P, uint32_t off, uint16_t pro, uint8_t pln)
{
	if (pro != 0x0800 && pro != 0x1000)
		puts_(P, "<wrong proto type>");
	else if (pln != 4)
		puts_(P, "<wrong len>");
	else
		put_ip4(P, P->pkt + off);
}

void
arp_print(struct pctx *P, uint32_t off, uint32_t length)
{
	uint16_t hrd, pro, op;
	uint8_t hln, pln;
	uint32_t sha, spa, tha, tpa;
	int nonzero = 0;

	P->proto = "arp";
	if (!HAS(P, off, 8))
		goto trunc;
	hrd = U16(P, off);
	pro = U16(P, off + 2);
	hln = U8(P, off + 4);
	pln = U8(P, off + 5);
	op = U16(P, off + 6);
	sha = off + 8;
	spa = sha + hln;
	tha = spa + pln;
	tpa = tha + hln;
	if (hrd == 19) {
		/* ATM ARP (RFC 2225) has its own layout: type/length bytes for
		 * each of six addresses after a 12-byte header. */
		uint32_t n = 12;

		if (!HAS(P, off, 12)) {
			put_trunc(P);
			return;
		}
		n += (U8(P, off + 4) & 0x3fu) + (U8(P, off + 5) & 0x3fu) + U8(P, off + 8) +
		    (U8(P, off + 9) & 0x3fu) + (U8(P, off + 10) & 0x3fu) + U8(P, off + 11);
		if (!HAS(P, off, n))
			goto trunc;
		puts_(P, "ARP, ATM, length ");
		putu(P, length);
		return;
	}
	if (!HAS(P, tpa, pln))
		goto trunc;
	if (!P->o->eflag)
		puts_(P, "ARP, ");
	if ((pro != 0x0800 && pro != 0x1000) || pln != 4 || hln == 0 || P->o->vflag) {
		put_tok(P, arphrd, "Unknown Hardware (%u)", hrd);
		puts_(P, " (len ");
		putu(P, hln);
		puts_(P, "), ");
		put_tok(P, ethertypes, "Unknown Protocol (0x%04x)", pro);
		puts_(P, " (len ");
		putu(P, pln);
		putc_(P, ')');
		if (!P->o->vflag)
			goto out;
	}
	if (P->o->vflag)
		puts_(P, ", ");
	put_tok(P, arpop, "Unknown (%u)", op);
	putc_(P, ' ');
	switch (op) {
	case 1:
		puts_(P, "who-has ");
		paddr(P, tpa, pro, pln);
		for (uint32_t i = 0; i < hln; i++)
			if (U8(P, tha + i))
				nonzero = 1;
		if (nonzero) {
			puts_(P, " (");
			linkaddr(P, tha, hln);
			putc_(P, ')');
		}
		puts_(P, " tell ");
		paddr(P, spa, pro, pln);
		break;
	case 2:
		paddr(P, spa, pro, pln);
		puts_(P, " is-at ");
		linkaddr(P, sha, hln);
		break;
	case 3:
	case 8:
		puts_(P, "who-is ");
		linkaddr(P, tha, hln);
		puts_(P, " tell ");
		linkaddr(P, sha, hln);
		break;
	case 4:
		linkaddr(P, tha, hln);
		puts_(P, " at ");
		paddr(P, tpa, pro, pln);
		break;
	case 9:
		linkaddr(P, sha, hln);
		puts_(P, " at ");
		paddr(P, spa, pro, pln);
		break;
	default:
		/* tcpdump's ND_DEFAULTPRINT here ignores -x/-X. */
		hex_ascii_dump(P, "\n\t", off, avail(P, off), 0);
		return;
	}
out:
	puts_(P, ", length ");
	putu(P, length);
	return;
trunc:
	P->longjmp = 1;
	put_trunc(P);
}
