/* print_ip.c — IPv4 (RFC 791) and IPv6 (RFC 8200) headers, extension headers, demux.
 *
 * Mirrors the decisions of tcpdump 4.99 ip_print()/ip6_print(): which
 * problems are reported (bad-hlen, bad-len, truncated-ip), when the addresses
 * are printed here rather than by the transport printer, how a later
 * fragment is summarised (`ip-proto-N`), and the -v header line.
 */
#include "print_int.h"

static const struct tok ipproto_values[] = {
	{ 0, "Options" }, { 1, "ICMP" }, { 2, "IGMP" }, { 4, "IPIP" }, { 6, "TCP" },
	{ 8, "EGP" }, { 9, "IGRP" }, { 17, "UDP" }, { 33, "DCCP" }, { 41, "IPv6" },
	{ 43, "Routing" }, { 44, "Fragment" }, { 46, "RSVP" }, { 47, "GRE" }, { 50, "ESP" },
	{ 51, "AH" }, { 55, "Mobile IP" }, { 58, "ICMPv6" }, { 62, "Mobile IP (old)" },
	{ 88, "EIGRP" }, { 89, "OSPF" }, { 103, "PIM" }, { 108, "Compressed IP" },
	{ 112, "VRRP" }, { 113, "PGM" }, { 132, "SCTP" }, { 135, "Mobility" }, { 0, NULL }
};

void
ip_demux_print(struct pctx *P, uint32_t off, uint32_t length, int ver, int fragmented,
               uint8_t ttl, uint8_t nh, uint32_t ipoff)
{
	switch (nh) {
	case 6:
		tcp_print(P, off, length, ipoff, fragmented);
		break;
	case 17:
		udp_print(P, off, length, ipoff, fragmented);
		break;
	case 1:
		if (ver == 4)
			icmp_print(P, off, length, ipoff, fragmented);
		else
			puts_(P, "[ICMP requires IPv4]");
		break;
	case 58:
		if (ver == 6)
			icmp6_print(P, off, length, ipoff);
		else
			puts_(P, "[ICMPv6 requires IPv6]");
		break;
	case 132:
		sctp_print(P, off, length, ipoff);
		break;
	case 2:
		igmp_print(P, off, length);
		break;
	case 4:
		ip_print(P, off, length);
		break;
	case 41:
		ip6_print(P, off, length);
		break;
	case 47:
		gre_print(P, off, length);
		break;
	case 51:
		ah_demux_print(P, off, length, ver, fragmented, ttl, ipoff);
		break;
	case 50:
		esp_print(P, off, length);
		break;
	case 103:
		pim_print(P, off, length);
		break;
	case 112:
		vrrp_print(P, off, length, ipoff, ttl);
		break;
	case 59:
		puts_(P, "no next header");
		break;
	default:
		puts_(P, " ip-proto-");
		putu(P, nh);
		putc_(P, ' ');
		putu(P, length);
		break;
	}
}

static int
ip_optprint(struct pctx *P, uint32_t off, uint32_t length)
{
	static const struct tok ipopt[] = {
		{ 0, "EOL" }, { 1, "NOP" }, { 7, "RR" }, { 68, "TS" }, { 130, "security" },
		{ 131, "LSRR" }, { 133, "extended-security" }, { 137, "SSRR" }, { 148, "RA" },
		{ 0, NULL }
	};
	const char *sep = "";

	while (length > 0) {
		uint8_t type, len;

		puts_(P, sep);
		sep = ",";
		if (!HAS(P, off, 1))
			return -1;
		type = U8(P, off);
		len = type <= 1 ? 1 : 0;
		if (type <= 1) {
			put_tok(P, ipopt, "unknown %u", type);
			off++;
			length--;
			continue;
		}
		if (length < 2 || !HAS(P, off + 1, 1)) {
			put_tok(P, ipopt, "unknown %u", type);
			puts_(P, " [bad length ");
			putu(P, length);
			putc_(P, ']');
			return 0;
		}
		len = U8(P, off + 1);
		put_tok(P, ipopt, "unknown %u", type);
		if (len < 2 || len > length) {
			puts_(P, " [bad length ");
			putu(P, len);
			putc_(P, ']');
			return 0;
		}
		if (type == 148) {
			if (len != 4) {
				puts_(P, " [bad length ");
				putu(P, len);
				putc_(P, ']');
			} else {
				if (!HAS(P, off + 2, 2))
					return -1;
				if (U16(P, off + 2))
					putf(P, " value %u", U16(P, off + 2));
			}
		}
		off += len;
		length -= len;
	}
	return 0;
}

void
ip_print(struct pctx *P, uint32_t off, uint32_t length)
{
	uint32_t hlen, len, ipend;
	uint16_t ipoff_f;
	uint8_t proto, v;

	P->proto = "ip";
	if (!HAS(P, off, 1)) {
		P->longjmp = 1;
		put_trunc(P);
		return;
	}
	v = U8(P, off) >> 4;
	if (v != 4) {
		if (v == 6)
			puts_(P, "IP6, wrong link-layer encapsulation");
		else {
			puts_(P, "IP");
			putu(P, v);
		}
		put_invalid(P);
		return;
	}
	if (!P->o->eflag)
		puts_(P, "IP ");
	if (!HAS(P, off, 20)) {
		put_trunc(P);
		return;
	}
	if (length < 20) {
		puts_(P, "truncated-ip ");
		putu(P, length);
		return;
	}
	hlen = (U8(P, off) & 15) * 4u;
	if (hlen < 20) {
		puts_(P, "bad-hlen ");
		putu(P, hlen);
		return;
	}
	len = U16(P, off + 2);
	if (length < len) {
		puts_(P, "truncated-ip - ");
		putu(P, len - length);
		puts_(P, " bytes missing! ");
	}
	if (len < hlen) {
		/* tcpdump 4.99 is built without GUESS_TSO: length 0 is bad too. */
		puts_(P, "bad-len ");
		putu(P, len);
		return;
	}
	ipend = off + (length < len ? length : len);
	if (ipend < P->end)
		P->end = ipend;
	ipoff_f = U16(P, off + 6);
	proto = U8(P, off + 9);
	if (P->o->vflag) {
		uint8_t tos = U8(P, off + 1), ttl = U8(P, off + 8);

		puts_(P, "(tos 0x");
		putx(P, tos);
		switch (tos & 3) {
		case 1: puts_(P, ",ECT(1)"); break;
		case 2: puts_(P, ",ECT(0)"); break;
		case 3: puts_(P, ",CE"); break;
		}
		if (ttl >= 1) {
			puts_(P, ", ttl ");
			putu(P, ttl);
		}
		puts_(P, ", id ");
		putu(P, U16(P, off + 4));
		puts_(P, ", offset ");
		putu(P, (ipoff_f & 0x1fffu) * 8);
		puts_(P, ", flags [");
		if (ipoff_f & 0xe000) {
			const char *sep = "";

			if (ipoff_f & 0x8000) { puts_(P, "rsvd"); sep = ", "; }
			if (ipoff_f & 0x4000) { puts_(P, sep); puts_(P, "DF"); sep = ", "; }
			if (ipoff_f & 0x2000) { puts_(P, sep); puts_(P, "+"); }
		} else {
			puts_(P, "none");
		}
		puts_(P, "], proto ");
		put_tok(P, ipproto_values, "unknown", proto);
		puts_(P, " (");
		putu(P, proto);
		puts_(P, "), length ");
		putu(P, U16(P, off + 2));
		if (hlen > 20) {
			puts_(P, ", options (");
			if (ip_optprint(P, off + 20, hlen - 20) < 0) {
				puts_(P, " [truncated-option])");
				return;
			}
			putc_(P, ')');
		}
		if (HAS(P, off, hlen)) {
			uint32_t sum = 0;

			for (uint32_t i = 0; i < hlen; i += 2)
				sum += U16(P, off + i);
			while (sum >> 16)
				sum = (sum & 0xffff) + (sum >> 16);
			if (sum != 0xffff) {
				/* in_cksum_shouldbe(): the value the field should hold. */
				uint16_t got = U16(P, off + 10);
				uint32_t s = (uint32_t)got + (~sum & 0xffff);

				s = (s & 0xffff) + (s >> 16);
				s = (s & 0xffff) + (s >> 16);
				puts_(P, ", bad cksum ");
				putx(P, got);
				puts_(P, " (->");
				putx(P, s & 0xffff);
				puts_(P, ")!");
			}
		}
		puts_(P, ")\n    ");
	}
	if ((ipoff_f & 0x1fff) == 0) {
		if (proto != 6 && proto != 17 && proto != 132 && proto != 33) {
			put_ip4(P, P->pkt + off + 12);
			puts_(P, " > ");
			put_ip4(P, P->pkt + off + 16);
			puts_(P, ": ");
		}
		if (!HAS(P, off, hlen)) {
			puts_(P, " [remaining caplen(");
			putu(P, avail(P, off));
			puts_(P, ") < header length(");
			putu(P, hlen);
			puts_(P, ")]");
			put_trunc(P);
			return;
		}
		ip_demux_print(P, off + hlen, len - hlen, 4, (ipoff_f & 0x2000) != 0,
		    U8(P, off + 8), proto, off);
	} else {
		put_ip4(P, P->pkt + off + 12);
		puts_(P, " > ");
		put_ip4(P, P->pkt + off + 16);
		puts_(P, ":");
		puts_(P, " ip-proto-");
		putu(P, proto);
	}
}

/* ---- IPv6 ---- */

static int
ip6_opt_process(struct pctx *P, uint32_t off, uint32_t len, int *found_jumbo, uint32_t *plen)
{
	uint32_t i = 0;

	while (i < len) {
		uint8_t t;
		uint32_t ol;

		if (!HAS(P, off + i, 1))
			return -1;
		t = U8(P, off + i);
		if (t == 0) {
			i++;
			continue;
		}
		if (!HAS(P, off + i + 1, 1))
			return -1;
		ol = U8(P, off + i + 1) + 2u;
		if (i + ol > len)
			return 0;   /* tcpdump: "[trunc]"-style; keep quiet */
		if (t == 0xc2 && ol == 6) {
			if (!HAS(P, off + i + 2, 4))
				return -1;
			*found_jumbo = 1;
			*plen = U32(P, off + i + 2);
		}
		i += ol;
	}
	return 0;
}

static int
rt6_print(struct pctx *P, uint32_t off)
{
	uint32_t len, type, n, a = off + 8;

	if (!HAS(P, off, 1)) {   /* the next-header byte is read by the IPv6 loop */
		P->proto = "ip6";
		put_trunc(P);
		return -1;
	}
	P->proto = "rt6";
	/* tcpdump prints each field as it reads it. */
	if (!HAS(P, off + 1, 1))
		goto trunc;
	len = U8(P, off + 1);
	puts_(P, "RT6 (len=");
	putu(P, len);
	if (!HAS(P, off + 2, 1))
		goto trunc;
	type = U8(P, off + 2);
	puts_(P, ", type=");
	putu(P, type);
	if (type == 0)
		puts_(P, " [Deprecated]");
	if (!HAS(P, off + 3, 1))
		goto trunc;
	puts_(P, ", segleft=");
	putu(P, U8(P, off + 3));
	n = len / 2;   /* addresses of 2 units of 8 bytes each */
	switch (type) {
	case 0:
	case 2:
		if (len % 2 == 1) {
			putf(P, " (invalid length %u)", len);
			put_invalid(P);
			return -1;
		}
		if (!HAS(P, off + 4, 4))   /* the reserved word (RFC 8200 4.4) */
			goto trunc;
		if (U32(P, off + 4) || P->o->vflag)
			putf(P, ", rsv=0x%0x", U32(P, off + 4));
		if (type == 2 && len != 2)
			n = 0;
		break;
	case 4:   /* segment routing (RFC 8754 section 2) */
		if (!HAS(P, off, 8))
			goto trunc;
		puts_(P, ", last-entry=");
		putu(P, U8(P, off + 4));
		if (U8(P, off + 5)) {
			puts_(P, ", flags=0x");
			putx(P, U8(P, off + 5));
		}
		puts_(P, ", tag=");
		putx(P, U16(P, off + 6));
		break;
	default:
		n = 0;
		break;
	}
	for (uint32_t i = 0; i < n; i++, a += 16) {
		if (!HAS(P, a, 16))
			goto trunc;
		puts_(P, ", [");
		putu(P, i);
		putc_(P, ']');
		put_ip6(P, P->pkt + a);
	}
	puts_(P, ") ");
	return (int)((len + 1) * 8);
trunc:
	put_trunc(P);
	return -1;
}

void
ip6_print(struct pctx *P, uint32_t off, uint32_t length)
{
	uint32_t payload_len, len, cp, advance, total = 0, ipend;
	uint8_t nh;
	int found_hbh = 0, found_jumbo = 0, fragmented = 0;
	uint32_t jumbo_len = 0;

	P->proto = "ip6";
	if (!HAS(P, off, 40)) {
		put_trunc(P);
		return;
	}
	if (length < 40) {
		puts_(P, "IP6 truncated-ip6 ");
		putu(P, length);
		return;
	}
	if (!P->o->eflag)
		puts_(P, "IP6 ");
	if ((U8(P, off) >> 4) != 6) {
		puts_(P, "version error: ");
		putu(P, U8(P, off) >> 4);
		puts_(P, " != 6");
		return;
	}
	payload_len = U16(P, off + 4);
	if (payload_len != 0) {
		len = payload_len + 40;
		if (length < len) {
			puts_(P, "truncated-ip6 - ");
			putu(P, len - length);
			puts_(P, " bytes missing!");
		}
		ipend = off + (len < length ? len : length);
	} else {
		len = 40;   /* jumbo: the HBH option gives the length */
		ipend = off + length;
	}
	if (ipend < P->end)
		P->end = ipend;
	nh = U8(P, off + 6);
	if (P->o->vflag) {
		uint32_t flow = U32(P, off);

		putc_(P, '(');
		if (flow & 0x0ff00000) {
			puts_(P, "class 0x");
			putx_w(P, (flow & 0x0ff00000) >> 20, 2);
			puts_(P, ", ");
		}
		if (flow & 0x000fffff) {
			puts_(P, "flowlabel 0x");
			putx_w(P, flow & 0xfffff, 5);
			puts_(P, ", ");
		}
		puts_(P, "hlim ");
		putu(P, U8(P, off + 7));
		puts_(P, ", next-header ");
		put_tok(P, ipproto_values, "unknown", nh);
		puts_(P, " (");
		putu(P, nh);
		puts_(P, ") payload length: ");
		putu(P, payload_len);
		puts_(P, ") ");
	}
	cp = off;
	advance = 40;
	while (cp < P->end && advance > 0) {
		if (len < advance) {
			if (payload_len) {
				put_trunc(P);
				return;
			}
			len = 0;   /* jumbo: fixed up from the HBH option below */
		} else {
			len -= advance;
		}
		cp += advance;
		total += advance;
		if (cp == off + 40 && nh != 6 && nh != 17 && nh != 33 && nh != 132) {
			put_ip6(P, P->pkt + off + 8);
			puts_(P, " > ");
			put_ip6(P, P->pkt + off + 24);
			puts_(P, ": ");
		}
		switch (nh) {
		case 0:
		case 60: {
			uint32_t hl;

			if (nh == 0) {
				if (found_hbh) {
					puts_(P, "[The Hop-by-Hop Options header was already found]");
					put_invalid(P);
					return;
				}
				if (cp != off + 40) {
					puts_(P, "[The Hop-by-Hop Options header don't follow the IPv6 header]");
					put_invalid(P);
					return;
				}
			}
			P->proto = nh == 0 ? "hbhopt" : "dstopt";
			if (!HAS(P, cp + 1, 1)) {
				P->longjmp = 1;
				put_trunc(P);
				return;
			}
			hl = (U8(P, cp + 1) + 1u) * 8;
			if (!HAS(P, cp, hl)) {
				P->longjmp = 1;
				put_trunc(P);
				return;
			}
			puts_(P, nh == 0 ? "HBH " : "DSTOPT ");
			if (nh == 0) {
				uint32_t pl = payload_len;

				if (ip6_opt_process(P, cp + 2, hl - 2, &found_jumbo, &pl) < 0) {
					put_trunc(P);
					return;
				}
				jumbo_len = pl;
				if (payload_len == 0 && !found_jumbo) {
					puts_(P, "[No valid Jumbo Payload Hop-by-Hop option found]");
					put_invalid(P);
					return;
				}
				found_hbh = 1;
			}
			advance = hl;
			nh = U8(P, cp);
			break;
		}
		case 44: {
			int64_t rest;
			uint16_t offlg;

			P->proto = "frag6";
			if (!HAS(P, cp + 2, 2) || (P->o->vflag && !HAS(P, cp, 8))) {
				P->longjmp = 1;
				put_trunc(P);
				return;
			}
			offlg = U16(P, cp + 2);
			rest = 40 + (int64_t)U16(P, off + 4) - (int64_t)(cp - off) - 8;
			puts_(P, "frag (");
			if (P->o->vflag) {
				puts_(P, "0x");
				putx_w(P, U32(P, cp + 4), 8);
				putc_(P, ':');
			}
			putu(P, offlg & 0xfff8);
			putc_(P, '|');
			putu(P, (uint64_t)rest);
			putc_(P, ')');
			if ((offlg & 0xfff8) != 0)
				return;
			putc_(P, ' ');
			advance = 8;
			if (P->end <= cp + advance)
				return;
			nh = U8(P, cp);
			fragmented = 1;
			break;
		}
		case 43: {
			int a = rt6_print(P, cp);

			if (a < 0)
				return;
			advance = (uint32_t)a;
			nh = U8(P, cp);
			break;
		}
		case 135:
		case 62:
			puts_(P, "mobility");
			return;
		default:
			if (found_jumbo) {
				len = jumbo_len + 40;
				if (len < total) {
					put_trunc(P);
					return;
				}
				if (length < len) {
					puts_(P, "truncated-ip6 - ");
					putu(P, len - length);
					puts_(P, " bytes missing!");
				}
				if (off + len < P->end)
					P->end = off + len;
				len -= total;
			}
			ip_demux_print(P, cp, len, 6, fragmented, U8(P, off + 7), nh, off);
			return;
		}
		P->proto = "ip6";
	}
}
