/* print_ppp.c — PPPoE (RFC 2516), PPP (RFC 1661) with LCP/IPCP/IP6CP and PAP (RFC 1334), MPLS (RFC 3032). */
#include "print_int.h"

static const struct tok pppoe_codes[] = {
	{ 0x09, "PADI" }, { 0x07, "PADO" }, { 0x19, "PADR" }, { 0x65, "PADS" },
	{ 0xa7, "PADT" }, { 0x00, "" }, { 0, NULL }
};

static const struct tok pppoe_tags[] = {
	{ 0x0000, "EOL" }, { 0x0101, "Service-Name" }, { 0x0102, "AC-Name" },
	{ 0x0103, "Host-Uniq" }, { 0x0104, "AC-Cookie" }, { 0x0105, "Vendor-Specific" },
	{ 0x0110, "Relay-Session-ID" }, { 0x0120, "PPP-Max-Payload" },
	{ 0x0201, "Service-Name-Error" }, { 0x0202, "AC-System-Error" },
	{ 0x0203, "Generic-Error" }, { 0, NULL }
};

static const struct tok ppptypes[] = {
	{ 0x0021, "IP" }, { 0x0023, "OSI" }, { 0x0029, "AppleTalk" }, { 0x002b, "IPX" },
	{ 0x002d, "VJC" }, { 0x002f, "VJNC" }, { 0x003d, "ML" }, { 0x0057, "IP6" },
	{ 0x00fd, "COMP" }, { 0x0281, "MPLS" }, { 0x0283, "MPLS" }, { 0x8021, "IPCP" },
	{ 0x8023, "OSICP" }, { 0x8057, "IP6CP" }, { 0x80fd, "CCP" }, { 0x8281, "MPLSCP" },
	{ 0xc021, "LCP" }, { 0xc023, "PAP" }, { 0xc025, "LQM" }, { 0xc223, "CHAP" },
	{ 0xc02b, "BACP" }, { 0xc02d, "BAP" }, { 0, NULL }
};

static const struct tok cpcodes[] = {
	{ 1, "Conf-Request" }, { 2, "Conf-Ack" }, { 3, "Conf-Nack" }, { 4, "Conf-Reject" },
	{ 5, "Term-Request" }, { 6, "Term-Ack" }, { 7, "Code-Reject" }, { 8, "Prot-Reject" },
	{ 9, "Echo-Request" }, { 10, "Echo-Reply" }, { 11, "Disc-Req" }, { 12, "Ident" },
	{ 13, "Time-Rem" }, { 14, "Reset-Req" }, { 15, "Reset-Ack" }, { 0, NULL }
};

void
pppoe_print(struct pctx *P, uint32_t off, uint32_t length)
{
	uint8_t vt, code;
	uint16_t ses, plen;
	uint32_t pay = off + 6;

	P->proto = "pppoe";
	if (length < 6 || !HAS(P, off, 6))
		goto trunc;
	vt = U8(P, off);
	code = U8(P, off + 1);
	ses = U16(P, off + 2);
	plen = U16(P, off + 4);
	length -= 6;
	puts_(P, "PPPoE ");
	put_tok(P, pppoe_codes, "PAD-%x", code);
	if (code == 0x09 && plen > 1484 - 14) {
		puts_(P, " [len ");
		putu(P, plen);
		puts_(P, "!]");
	}
	if (plen > length) {
		puts_(P, " [len ");
		putu(P, plen);
		puts_(P, " > ");
		putu(P, length);
		puts_(P, "!]");
		plen = (uint16_t)length;
	}
	if ((vt >> 4) != 1) {
		puts_(P, " [ver ");
		putu(P, vt >> 4);
		putc_(P, ']');
	}
	if ((vt & 15) != 1) {
		puts_(P, " [type ");
		putu(P, vt & 15);
		putc_(P, ']');
	}
	if (ses) {
		puts_(P, " [ses 0x");
		putx(P, ses);
		putc_(P, ']');
	}
	if (pay + plen < P->end)
		P->end = pay + plen;
	if (code) {
		uint32_t p = pay;
		uint16_t tag = 0xffff, tlen;

		while (tag && p < pay + plen) {
			if (!HAS(P, p, 4))
				goto trunc;
			tag = U16(P, p);
			tlen = U16(P, p + 2);
			p += 4;
			puts_(P, " [");
			put_tok(P, pppoe_tags, "TAG-0x%x", tag);
			if (tlen) {
				unsigned ascii = 0, garbage = 0, n = 0;
				char str[80];

				for (uint32_t v = p; v < p + tlen && n < sizeof str - 1; v++) {
					uint8_t c;

					if (!HAS(P, v, 1))
						goto trunc;
					c = U8(P, v);
					if (c >= 0x20 && c <= 0x7e) {
						str[n++] = (char)c;
						ascii++;
					} else {
						str[n++] = '.';
						garbage++;
					}
				}
				if (ascii > garbage) {
					puts_(P, " \"");
					put(P, str, n);
					puts_(P, "\"]");
				} else {
					puts_(P, " 0x");
					for (uint32_t v = p; v < p + tlen; v++) {
						if (!HAS(P, v, 1))
							goto trunc;
						putX_w(P, U8(P, v), 2);
					}
					putc_(P, ']');
				}
			} else {
				putc_(P, ']');
			}
			p += tlen;
		}
		return;
	}
	putc_(P, ' ');
	ppp_print(P, pay, plen);
	return;
trunc:
	put_trunc(P);
}

/* A PAP counted string (RFC 1334 section 2.2) at *P of the LENGTH bytes from
 * P0: LABEL and its text.  0, nothing printed, when it does not fit. */
static int
pap_string(struct pctx *P, const char *label, uint32_t p0, uint32_t length, uint32_t *p)
{
	uint32_t n;

	if (length - (*p - p0) < 1 || !HAS(P, *p, 1))
		return 0;
	n = U8(P, *p);
	if (length - (*p + 1 - p0) < n)
		return 0;
	puts_(P, label);
	put_ascii_n(P, *p + 1, n);
	*p += 1 + n;
	return 1;
}

static void
handle_pap(struct pctx *P, uint32_t p0, uint32_t length)
{
	static const struct tok papcodes[] = {
		{ 1, "Auth-Req" }, { 2, "Auth-ACK" }, { 3, "Auth-NACK" }, { 0, NULL }
	};
	uint32_t p = p0, len;
	uint8_t code;

	P->proto = "pap";
	if (!HAS(P, p, 4)) {
		put_trunc(P);
		return;
	}
	code = U8(P, p);
	puts_(P, "PAP, ");
	put_tok(P, papcodes, "unknown", code);
	puts_(P, " (0x");
	putx_w(P, code, 2);
	puts_(P, "), id ");
	putu(P, U8(P, p + 1));
	len = U16(P, p + 2);
	p += 4;
	if (len > length) {
		puts_(P, ", length ");
		putu(P, len);
		puts_(P, " > packet size");
		return;
	}
	length = len;
	if (length < 4) {
		puts_(P, ", length ");
		putu(P, length);
		puts_(P, " < PAP header length");
		return;
	}
	switch (code) {
	case 1:
		if (len < 6)
			put_trunc(P);
		else if (pap_string(P, ", Peer ", p0, length, &p))
			pap_string(P, ", Name ", p0, length, &p);
		break;
	case 2:
	case 3:
		if (len < 5)
			put_trunc(P);
		else
			pap_string(P, ", Msg ", p0, length, &p);
		break;
	}
}

static void
handle_ctrl_proto(struct pctx *P, uint32_t proto, uint32_t p, uint32_t length)
{
	uint8_t code;

	put_tok(P, ppptypes, "unknown ctrl-proto (0x%04x)", proto);
	puts_(P, ", ");
	if (length < 4 || !HAS(P, p, 2)) {
		put_trunc(P);
		return;
	}
	code = U8(P, p);
	put_tok(P, cpcodes, "Unknown Opcode", code);
	puts_(P, " (0x");
	putx_w(P, code, 2);
	puts_(P, "), id ");
	putu(P, U8(P, p + 1));
	puts_(P, ", length ");
	putu(P, length + 2);
}

void
ppp_print(struct pctx *P, uint32_t p, uint32_t length)
{
	uint32_t proto, olen = length;

	P->proto = "ppp";
	if (length < 2 || !HAS(P, p, 2))
		goto trunc;
	if (U16(P, p) == 0xff03) {
		p += 2;
		length -= 2;
	}
	if (length < 2 || !HAS(P, p, 1))
		goto trunc;
	if (U8(P, p) % 2) {   /* a compressed one-byte protocol field (RFC 1661 6.5) */
		proto = U8(P, p);
		p++;
		length--;
	} else {
		if (!HAS(P, p, 2))
			goto trunc;
		proto = U16(P, p);
		p += 2;
		length -= 2;
	}
	if (P->o->eflag) {
		const char *t = tok2str_(ppptypes, proto);

		if (t)
			puts_(P, t);
		else
			putf(P, "unknown ctrl-proto (0x%04x)", proto);
		puts_(P, " (0x");
		putx_w(P, proto, 4);
		puts_(P, "), length ");
		putu(P, olen);
		if (!t)
			return;
		puts_(P, ": ");
	}
	switch (proto) {
	case 0xc021: case 0x8021: case 0x8023: case 0x8281: case 0x8057: case 0x80fd: case 0xc02b:
		handle_ctrl_proto(P, proto, p, length);
		break;
	case 0xc023:
		handle_pap(P, p, length);
		break;
	case 0x0800: case 0x002f: case 0x0021:
		ip_print(P, p, length);
		break;
	case 0x86dd: case 0x0057:
		ip6_print(P, p, length);
		break;
	case 0x0281: case 0x0283:
		mpls_print(P, p, length);
		break;
	case 0x00fd:
		puts_(P, "compressed PPP data");
		break;
	default:
		put_tok(P, ppptypes, "unknown PPP protocol (0x%04x)", proto);
		putc_(P, ' ');
		hex_ascii_dump(P, "\n\t", p, length, 0);
		break;
	}
	return;
trunc:
	put_trunc(P);
}

/* ---- MPLS label stack (RFC 3032) ---- */

void
mpls_print(struct pctx *P, uint32_t off, uint32_t length)
{
	uint32_t label = 0, entry;
	int first = 1, ver;

	P->proto = "mpls";
	puts_(P, "MPLS");
	do {
		if (length < 4) {
			put_invalid(P);
			return;
		}
		if (!HAS(P, off, 4)) {
			put_trunc(P);
			return;
		}
		entry = U32(P, off);
		label = entry >> 12;
		puts_(P, !first && P->o->vflag ? "\n\t(" : " (");
		first = 0;
		puts_(P, "label ");
		putu(P, label);
		if (label < 16) {
			static const char *const rsv[] = { "IPv4 explicit NULL", "router alert",
				"IPv6 explicit NULL", "implicit NULL", "rsvd", "rsvd", "rsvd",
				"rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "OAM", "rsvd", "rsvd" };
			puts_(P, " (");
			puts_(P, rsv[label]);
			putc_(P, ')');
		}
		puts_(P, ", tc ");
		putu(P, (entry >> 9) & 7);
		if (entry & 0x100)
			puts_(P, ", [S]");
		puts_(P, ", ttl ");
		putu(P, entry & 0xff);
		putc_(P, ')');
		off += 4;
		length -= 4;
	} while (!(entry & 0x100));
	/* The payload from an explicit-NULL label, else from the first nibble,
	 * as tcpdump guesses it. */
	if (label == 0 || label == 2) {
		ver = label == 0 ? 4 : 6;
	} else if (HAS(P, off, 1)) {
		ver = U8(P, off) >> 4;
	} else {
		put_trunc(P);
		return;
	}
	if (ver == 4) {
		putc_(P, ' ');
		ip_print(P, off, length);
	} else if (ver == 6) {
		putc_(P, ' ');
		ip6_print(P, off, length);
	}
}
