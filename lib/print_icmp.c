/* print_icmp.c — ICMP (RFC 792), ICMPv6 (RFC 4443, RFC 4861, RFC 3810) and IGMP (RFC 2236, RFC 3376). */
#include "print_int.h"

static const struct tok icmp2str[] = {
	{ 0, "echo reply" }, { 4, "source quench" }, { 8, "echo request" },
	{ 10, "router solicitation" }, { 13, "time stamp request" }, { 14, "time stamp reply" },
	{ 15, "information request" }, { 16, "information reply" },
	{ 17, "address mask request" }, { 18, "address mask reply" }, { 0, NULL }
};

static const struct tok unreach2str[] = {
	{ 5, "%s unreachable - source route failed" },
	{ 6, "net %s unreachable - unknown" },
	{ 7, "host %s unreachable - unknown" },
	{ 8, "%s unreachable - source host isolated" },
	{ 9, "net %s unreachable - admin prohibited" },
	{ 10, "host %s unreachable - admin prohibited" },
	{ 11, "net %s unreachable - tos prohibited" },
	{ 12, "host %s unreachable - tos prohibited" },
	{ 13, "host %s unreachable - admin prohibited filter" },
	{ 14, "host %s unreachable - host precedence violation" },
	{ 15, "host %s unreachable - precedence cutoff" },
	{ 0, NULL }
};

static const struct tok type2str_redirect[] = {
	{ 0, "redirect %s to net %s" }, { 1, "redirect %s to host %s" },
	{ 2, "redirect-tos %s to net %s" }, { 3, "redirect-tos %s to host %s" }, { 0, NULL }
};

/* "%s" patterns from the tables above, with addresses substituted. */
static void
put_pattern(struct pctx *P, const char *pat, uint32_t a1, uint32_t a2)
{
	int n = 0;

	for (const char *s = pat; *s; s++) {
		if (s[0] == '%' && s[1] == 's') {
			put_ip4(P, P->pkt + (n++ == 0 ? a1 : a2));
			s++;
		} else {
			putc_(P, *s);
		}
	}
}

void
icmp_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t ipoff, int fragmented)
{
	uint8_t type, code;
	uint32_t oip = off + 8;
	const uint8_t *dst;
	struct obuf save;

	(void)ipoff;
	P->proto = "icmp";
	if (!HAS(P, off, 2)) {
		put_trunc(P);
		return;
	}
	type = U8(P, off);
	code = U8(P, off + 1);
	/* tcpdump builds the text first and prints "ICMP <text>, length N" only
	 * when every field was there; remember where the text starts. */
	save = *P->ob;
	puts_(P, "ICMP ");
	switch (type) {
	case 0:
	case 8:
		if (!HAS(P, off + 4, 4))
			goto trunc;
		puts_(P, type == 8 ? "echo request" : "echo reply");
		puts_(P, ", id ");
		putu(P, U16(P, off + 4));
		puts_(P, ", seq ");
		putu(P, U16(P, off + 6));
		break;
	case 3:
		/* Every text names the quoted datagram's destination. */
		if (!HAS(P, oip + 16, 4))
			goto trunc;
		dst = P->pkt + oip + 16;
		switch (code) {
		case 0:
		case 1:
			puts_(P, code == 0 ? "net " : "host ");
			put_ip4(P, dst);
			puts_(P, " unreachable");
			break;
		case 2:
			put_ip4(P, dst);
			puts_(P, " protocol ");
			putu(P, U8(P, oip + 9));
			puts_(P, " unreachable");
			break;
		case 3: {
			uint32_t hlen = (U8(P, oip) & 15) * 4u;
			uint8_t pr = U8(P, oip + 9);

			if (!HAS(P, oip + hlen + 2, 2))
				goto trunc;
			put_ip4(P, dst);
			if (pr == 6)
				puts_(P, " tcp port ");
			else if (pr == 17)
				puts_(P, " udp port ");
			else {
				puts_(P, " protocol ");
				putu(P, pr);
				puts_(P, " port ");
			}
			putu(P, U16(P, oip + hlen + 2));
			puts_(P, " unreachable");
			break;
		}
		case 4: {
			uint16_t mtu = U16(P, off + 6);

			put_ip4(P, dst);
			puts_(P, " unreachable - need to frag");
			if (mtu) {
				puts_(P, " (mtu ");
				putu(P, mtu);
				putc_(P, ')');
			}
			break;
		}
		default: {
			const char *pat = tok2str_(unreach2str, code);

			if (pat) {
				put_pattern(P, pat, oip + 16, 0);
			} else {
				putc_(P, '#');
				putu(P, code);
				putc_(P, ' ');
				put_ip4(P, dst);
				puts_(P, " unreachable");
			}
			break;
		}
		}
		break;
	case 5: {
		const char *pat = tok2str_(type2str_redirect, code);

		if (!HAS(P, oip + 16, 4) || !HAS(P, off + 4, 4))
			goto trunc;
		if (pat) {
			put_pattern(P, pat, oip + 16, off + 4);
		} else {
			puts_(P, "redirect-#");
			putu(P, code);
			putc_(P, ' ');
			put_ip4(P, P->pkt + oip + 16);
			puts_(P, " to ");
			put_ip4(P, P->pkt + off + 4);
		}
		break;
	}
	case 11:
		if (!HAS(P, oip + 16, 4))
			goto trunc;
		if (code == 0)
			puts_(P, "time exceeded in-transit");
		else if (code == 1)
			puts_(P, "ip reassembly time exceeded");
		else {
			puts_(P, "time exceeded-#");
			putu(P, code);
		}
		break;
	case 12:
		if (code) {
			puts_(P, "parameter problem - code ");
			putu(P, code);
		} else {
			if (!HAS(P, off + 4, 1))
				goto trunc;
			puts_(P, "parameter problem - octet ");
			putu(P, U8(P, off + 4));
		}
		break;
	case 13:
	case 14:
		if (!HAS(P, off + 4, 4))
			goto trunc;
		puts_(P, type == 13 ? "time stamp query id " : "time stamp reply id ");
		putu(P, U16(P, off + 4));
		puts_(P, " seq ");
		putu(P, U16(P, off + 6));
		break;
	case 9:
		puts_(P, "router advertisement");
		break;
	default: {
		const char *s = tok2str_(icmp2str, type);

		if (s)
			puts_(P, s);
		else {
			puts_(P, "type-#");
			putu(P, type);
		}
		break;
	}
	}
	puts_(P, ", length ");
	putu(P, length);
	if (P->o->vflag && !fragmented && HAS(P, off, length)) {
		uint32_t sum = 0;

		for (uint32_t i = 0; i + 1 < length; i += 2)
			sum += U16(P, off + i);
		if (length & 1)
			sum += (uint32_t)U8(P, off + length - 1) << 8;
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		if (sum != 0xffff) {
			uint16_t got;

			/* An ICMP length under 4 leaves the checksum field
			 * outside what was summed: it may be past the snap end. */
			if (!HAS(P, off + 2, 2)) {
				P->longjmp = 1;
				put_trunc(P);
				return;
			}
			got = U16(P, off + 2);

			putf(P, " (wrong icmp cksum %x (->%x)!)", got,
			    cksum_shouldbe(got, (uint16_t)(~sum & 0xffff)));
		}
	}
	if (P->o->vflag && (type == 3 || type == 4 || type == 5 || type == 11 || type == 12)) {
		/* The quoted datagram, its snap end at its own length (RFC 792). */
		uint32_t save_end = P->end, ilen;

		puts_(P, "\n\t");
		if (!HAS(P, oip + 2, 2)) {
			P->longjmp = 1;
			put_trunc(P);
			return;
		}
		ilen = U16(P, oip + 2);
		if (oip + ilen < P->end)
			P->end = oip + ilen;
		ip_print(P, oip, ilen);
		P->end = save_end;
	}
	return;
trunc:
	P->ob->n = save.n;
	P->longjmp = 1;
	put_trunc(P);
}

/* ---- ICMPv6 ---- */

static const struct tok icmp6_types[] = {
	{ 1, "destination unreachable" }, { 2, "packet too big" }, { 3, "time exceeded in-transit" },
	{ 4, "parameter problem" }, { 128, "echo request" }, { 129, "echo reply" },
	{ 130, "multicast listener query" }, { 131, "multicast listener report" },
	{ 132, "multicast listener done" }, { 133, "router solicitation" },
	{ 134, "router advertisement" }, { 135, "neighbor solicitation" },
	{ 136, "neighbor advertisement" }, { 137, "redirect" }, { 138, "router renumbering" },
	{ 139, "who-are-you request" }, { 140, "who-are-you reply" },
	{ 141, "inverse neighbor solicitation" }, { 142, "inverse neighbor advertisement" },
	{ 143, "multicast listener report v2" }, { 144, "homeagent information request" },
	{ 145, "homeagent information reply" }, { 146, "mobile router solicitation" },
	{ 147, "mobile router advertisement" }, { 155, "RPL" }, { 0, NULL }
};

static const struct tok icmp6_unreach[] = {
	{ 0, "unreachable route" }, { 1, "unreachable prohibited" }, { 2, "beyond scope" },
	{ 3, "unreachable address" }, { 4, "unreachable port" }, { 0, NULL }
};

/* The upper-layer header of the IPv6 packet quoted at OFF (for port unreachable). */
static int
get_upperlayer(struct pctx *P, uint32_t off, uint32_t *l4, uint8_t *proto)
{
	uint8_t nh;
	uint32_t cp;

	if (!HAS(P, off, 40))
		return -1;
	nh = U8(P, off + 6);
	cp = off + 40;
	for (int i = 0; i < 16; i++) {
		switch (nh) {
		case 17:
		case 6:
			if (!HAS(P, cp, 4))
				return -1;
			*l4 = cp;
			*proto = nh;
			return 0;
		case 0: case 60: case 43:
			if (!HAS(P, cp, 2))
				return -1;
			nh = U8(P, cp);
			cp += (U8(P, cp + 1) + 1u) * 8;
			break;
		case 44:
			if (!HAS(P, cp, 4) || (U16(P, cp + 2) & 0xfff8))
				return -1;
			nh = U8(P, cp);
			cp += 8;
			break;
		case 51:
			if (!HAS(P, cp, 2))
				return -1;
			nh = U8(P, cp);
			cp += (U8(P, cp + 1) + 2u) * 4;
			break;
		default:
			return -1;
		}
	}
	return -1;
}

/* LABEL and the IPv6 address at AT; 0 (nothing printed) when the address
 * runs past the snap end. */
static int
label_ip6(struct pctx *P, const char *label, uint32_t at)
{
	if (!HAS(P, at, 16))
		return 0;
	puts_(P, label);
	put_ip6(P, P->pkt + at);
	return 1;
}

static void
nodeinfo_print(struct pctx *P, uint32_t off, uint32_t length);
static void
rrenum_print(struct pctx *P, uint32_t off);

void
icmp6_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t ipoff)
{
	uint8_t type, code;
	uint32_t oip = off + 8;

	(void)ipoff;
	P->proto = "icmp6";
	if (length == 0) {
		puts_(P, "ICMP6, length 0");
		put_invalid(P);
		return;
	}
	if (!HAS(P, off, 1)) {
		put_trunc(P);
		return;
	}
	type = U8(P, off);
	puts_(P, "ICMP6, ");
	put_tok(P, icmp6_types, "unknown icmp6 type (%u)", type);
	switch (type) {
	case 1:
		if (!HAS(P, off + 1, 1))
			goto trunc;
		code = U8(P, off + 1);
		puts_(P, ", ");
		put_tok(P, icmp6_unreach, "unknown unreach code (%u)", code);
		switch (code) {
		case 0: case 1: case 3:
			if (!label_ip6(P, " ", oip + 24))
				goto trunc;
			break;
		case 2:
			/* The later address first: when it is there, so is the other. */
			if (!label_ip6(P, " ", oip + 24))
				goto trunc;
			label_ip6(P, ", source address ", oip + 8);
			break;
		case 4: {
			uint32_t l4;
			uint8_t pr;

			if (get_upperlayer(P, oip, &l4, &pr) < 0)
				goto trunc;
			puts_(P, ", ");
			put_ip6(P, P->pkt + oip + 24);
			if (pr == 6)
				puts_(P, " tcp port ");
			else
				puts_(P, " udp port ");
			putu(P, U16(P, l4 + 2));
			break;
		}
		default:
			hex_ascii_dump(P, "\n\t", off, length, 0);
			return;
		}
		break;
	case 2:
		if (!HAS(P, off + 4, 4))
			goto trunc;
		puts_(P, ", mtu ");
		putu(P, U32(P, off + 4));
		break;
	case 3:
		if (!HAS(P, off + 1, 1))
			goto trunc;
		code = U8(P, off + 1);
		if (code == 0) {
			if (!label_ip6(P, " for ", oip + 24))
				goto trunc;
		} else if (code == 1) {
			puts_(P, " (reassembly)");
		} else {
			puts_(P, ", unknown code (");
			putu(P, code);
			putc_(P, ')');
		}
		break;
	case 4: {
		static const char *const pp[] = { "erroneous", "next header", "option",
			"incomplete header chain" };

		if (!HAS(P, oip + 24, 16))
			goto trunc;
		code = U8(P, off + 1);
		if (code < 4) {
			puts_(P, ", ");
			puts_(P, pp[code]);
			puts_(P, " - octet ");
			putu(P, U32(P, off + 4));
		} else {
			puts_(P, ", code-#");
			putu(P, code);
		}
		break;
	}
	case 128:
	case 129:
		if (!HAS(P, off + 4, 4))
			goto trunc;
		puts_(P, ", id ");
		putu(P, U16(P, off + 4));
		puts_(P, ", seq ");
		putu(P, U16(P, off + 6));
		break;
	case 130:
		if (length == 24) {
			if (!HAS(P, off + 8, 16))
				goto trunc;
			puts_(P, ", max resp delay: ");
			putu(P, U16(P, off + 4));
			puts_(P, " addr: ");
			put_ip6(P, P->pkt + off + 8);
		} else if (length >= 28) {
			uint32_t ngroups;

			if (!HAS(P, off + 8, 16))
				goto trunc;
			puts_(P, " v2 [");
			if (!HAS(P, off + 26, 2))
				goto trunc;
			ngroups = U16(P, off + 26);
			(void)ngroups;
			puts_(P, "gaddr ");
			put_ip6(P, P->pkt + off + 8);
			if (ngroups) {
				puts_(P, " { ");
				for (uint32_t i = 0; i < ngroups; i++) {
					if (!HAS(P, off + 28 + 16 * i, 16))
						goto trunc;
					put_ip6(P, P->pkt + off + 28 + 16 * i);
					putc_(P, ' ');
				}
				putc_(P, '}');
			}
			putc_(P, ']');
		} else {
			puts_(P, " unknown-version (len ");
			putu(P, length);
			puts_(P, ") ");
		}
		break;
	case 131:
	case 132:
	case 135:
	case 136:
		if (!label_ip6(P, type == 135 ? ", who has " : type == 136 ? ", tgt is " : ", ",
		               off + 8))
			goto trunc;
		break;
	case 133:
	case 134:
		break;
	case 137:
		if (!label_ip6(P, ", ", off + 24))
			goto trunc;
		label_ip6(P, " to ", off + 8);
		break;
	case 138:
		rrenum_print(P, off);
		break;
	case 139:
	case 140:
		nodeinfo_print(P, off, length);
		break;
	case 141:
	case 142:
		break;
	case 143:
		if (!HAS(P, off + 6, 2))
			goto trunc;
		if (length < 8) {
			puts_(P, " [invalid len ");
			putu(P, length);
			putc_(P, ']');
			break;
		}
		puts_(P, ", ");
		putu(P, U16(P, off + 6));
		puts_(P, " group record(s)");
		break;
	case 144:
	case 146:
		if (!HAS(P, off + 4, 2))
			goto trunc;
		puts_(P, ", id 0x");
		putx_w(P, U16(P, off + 4), 4);
		break;
	default:
		puts_(P, ", length ");
		putu(P, length);
		hex_ascii_dump(P, "\n\t", off, length, 0);
		return;
	}
	if (!P->o->vflag) {
		puts_(P, ", length ");
		putu(P, length);
	}
	return;
trunc:
	P->longjmp = 1;
	put_trunc(P);
}

/* The node-addresses flags of RFC 4620 section 4, one letter each. */
static void
ni_flags(struct pctx *P, uint16_t flags)
{
	static const char letter[] = "TACLSG";

	if (!flags)
		return;
	puts_(P, " [");
	for (int i = 0; letter[i]; i++)
		if (flags & (1u << i))
			putc_(P, letter[i]);
	putc_(P, ']');
}

/* RFC 4620 node information query/reply (tcpdump's non-verbose text). */
static void
nodeinfo_print(struct pctx *P, uint32_t off, uint32_t length)
{
	uint8_t type, code;
	uint16_t qtype, flags;
	uint32_t siz = length;

	if (!HAS(P, off, 16)) {
		put_trunc(P);
		return;
	}
	type = U8(P, off);
	code = U8(P, off + 1);
	qtype = U16(P, off + 4);
	flags = U16(P, off + 6);
	if (type == 139) {
		puts_(P, " node information query");
		if (qtype == 3) {
			puts_(P, " (node addresses");
			ni_flags(P, flags);
			if (code == 0 && siz == 32 && HAS(P, off + 16, 16)) {
				puts_(P, ", subject=");
				put_ip6(P, P->pkt + off + 16);
			}
			putc_(P, ')');
		} else {
			puts_(P, " type ");
			putu(P, qtype);
		}
		return;
	}
	puts_(P, " node information reply");
	if (code != 0) {
		puts_(P, " (refused)");
		return;
	}
	if (qtype == 3) {
		uint32_t i = off + 16;

		puts_(P, " (node addresses");
		while (i + 20 <= off + siz && HAS(P, i, 20)) {
			putc_(P, ' ');
			put_ip6(P, P->pkt + i + 4);
			putc_(P, '(');
			puti(P, (int32_t)U32(P, i));
			putc_(P, ')');
			i += 20;
		}
		ni_flags(P, flags);
		putc_(P, ')');
	} else {
		puts_(P, " type ");
		putu(P, qtype);
	}
}

/* RFC 2894 router renumbering, as tcpdump prints it without -v. */
static void
rrenum_print(struct pctx *P, uint32_t off)
{
	uint8_t code;
	uint32_t cp;

	if (!HAS(P, off, 16)) {
		put_trunc(P);
		return;
	}
	code = U8(P, off + 1);
	switch (code) {
	case 0: puts_(P, ", command"); break;
	case 1: puts_(P, ", result"); break;
	case 255: puts_(P, ", sequence number reset"); break;
	default: puts_(P, ", code-#"); putu(P, code); break;
	}
	puts_(P, ", seq=");
	putu(P, U32(P, off + 4));
	cp = off + 16;
	if (code == 0 && HAS(P, cp, 24)) {
		static const char *const ops[] = { "?", "add", "change", "set-global" };
		uint8_t op = U8(P, cp), plen = U8(P, cp + 3);
		uint32_t n = U8(P, cp + 1);

		puts_(P, " match(");
		puts_(P, op < 4 ? ops[op] : "#");
		if (op >= 4)
			putu(P, op);
		putc_(P, ',');
		put_ip6(P, P->pkt + cp + 8);
		putc_(P, '/');
		putu(P, plen);
		putc_(P, ')');
		cp += 24;
		for (uint32_t i = 0; n >= 3 && i < (n - 3) / 4 && HAS(P, cp, 32); i++) {
			puts_(P, " use(");
			put_ip6(P, P->pkt + cp + 16);
			putc_(P, '/');
			putu(P, U8(P, cp));
			putc_(P, '/');
			putu(P, U8(P, cp + 1));
			putc_(P, ')');
			cp += 32;
		}
	}
}

/* ---- IGMP ---- */

void
igmp_print(struct pctx *P, uint32_t off, uint32_t length)
{
	uint8_t type;

	P->proto = "igmp";
	if (P->o->qflag) {
		puts_(P, "igmp");
		return;
	}
	if (!HAS(P, off, 1)) {
		put_trunc(P);
		return;
	}
	type = U8(P, off);
	switch (type) {
	case 0x11: {
		uint32_t mrc;

		puts_(P, "igmp query");
		if (length >= 12) {
			puts_(P, " v3");
			if (!HAS(P, off + 4, 4))
				goto trunc;
			mrc = U8(P, off + 1);
			/* RFC 3376 section 4.1.1: exponential form above 127. */
			if (mrc >= 128)
				mrc = ((mrc & 15) | 0x10) << (((mrc >> 4) & 7) + 3);
			if (mrc != 100) {
				puts_(P, " [max resp time ");
				if (mrc < 600) {
					putf(P, "%.1fs", mrc * 0.1);
				} else {
					static const char *const un[] = { "y", "w", "d", "h", "m", "s" };
					static const uint32_t sec[] = { 31536000, 604800, 86400, 3600, 60, 1 };
					uint32_t t = mrc / 10;

					for (int i = 0; i < 6 && t; i++) {
						if (t >= sec[i]) {
							putu(P, t / sec[i]);
							puts_(P, un[i]);
							t %= sec[i];
						}
					}
				}
				putc_(P, ']');
			}
			if (U32(P, off + 4)) {
				puts_(P, " [gaddr ");
				put_ip4(P, P->pkt + off + 4);
				if (HAS(P, off + 10, 2) && U16(P, off + 10)) {
					puts_(P, " { ");
					for (uint32_t i = 0; i < U16(P, off + 10); i++) {
						if (!HAS(P, off + 12 + 4 * i, 4))
							goto trunc;
						put_ip4(P, P->pkt + off + 12 + 4 * i);
						putc_(P, ' ');
					}
					putc_(P, '}');
				}
				putc_(P, ']');
			} else if (HAS(P, off + 10, 2) && U16(P, off + 10)) {
				puts_(P, " {");
				putc_(P, '}');
			}
			return;
		}
		if (!HAS(P, off + 1, 1))
			goto trunc;
		mrc = U8(P, off + 1);
		if (mrc) {
			puts_(P, " v2");
			if (mrc != 100) {
				puts_(P, " [max resp time ");
				putu(P, mrc);
				putc_(P, ']');
			}
		} else {
			puts_(P, " v1");
		}
		if (!HAS(P, off + 4, 4))
			goto trunc;
		if (U32(P, off + 4)) {
			puts_(P, " [gaddr ");
			put_ip4(P, P->pkt + off + 4);
			putc_(P, ']');
		}
		if (length != 8) {
			puts_(P, " [len ");
			putu(P, length);
			putc_(P, ']');
		}
		return;
	}
	case 0x12:
	case 0x16:
		if (!HAS(P, off + 4, 4))
			goto trunc;
		puts_(P, type == 0x12 ? "igmp v1 report " : "igmp v2 report ");
		put_ip4(P, P->pkt + off + 4);
		return;
	case 0x17:
		if (!HAS(P, off + 4, 4))
			goto trunc;
		puts_(P, "igmp leave ");
		put_ip4(P, P->pkt + off + 4);
		return;
	case 0x22: {
		if (!HAS(P, off + 6, 2))
			goto trunc;
		puts_(P, "igmp v3 report, ");
		putu(P, U16(P, off + 6));
		puts_(P, " group record(s)");
		return;
	}
	default:
		puts_(P, "igmp-");
		putu(P, type);
		return;
	}
trunc:
	put_trunc(P);
}
