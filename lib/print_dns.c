/* print_dns.c — DNS (RFC 1035, RFC 6891 EDNS, RFC 6762 mDNS) one-line summaries as tcpdump prints them. */
#include "print_int.h"

static const struct tok ns_types[] = {
	{ 1, "A" }, { 2, "NS" }, { 3, "MD" }, { 4, "MF" }, { 5, "CNAME" }, { 6, "SOA" },
	{ 7, "MB" }, { 8, "MG" }, { 9, "MR" }, { 10, "NULL" }, { 11, "WKS" }, { 12, "PTR" },
	{ 13, "HINFO" }, { 14, "MINFO" }, { 15, "MX" }, { 16, "TXT" }, { 17, "RP" },
	{ 18, "AFSDB" }, { 19, "X25" }, { 20, "ISDN" }, { 21, "RT" }, { 22, "NSAP" },
	{ 23, "NSAP_PTR" }, { 24, "SIG" }, { 25, "KEY" }, { 26, "PX" }, { 27, "GPOS" },
	{ 28, "AAAA" }, { 29, "LOC" }, { 30, "NXT" }, { 31, "EID" }, { 32, "NIMLOC" },
	{ 33, "SRV" }, { 34, "ATMA" }, { 35, "NAPTR" }, { 36, "KX" }, { 37, "CERT" },
	{ 38, "A6" }, { 39, "DNAME" }, { 40, "SINK" }, { 41, "OPT" }, { 42, "APL" },
	{ 43, "DS" }, { 44, "SSHFP" }, { 45, "IPSECKEY" }, { 46, "RRSIG" }, { 47, "NSEC" },
	{ 48, "DNSKEY" }, { 99, "SPF" }, { 100, "UINFO" }, { 101, "UID" }, { 102, "GID" },
	{ 103, "UNSPEC" }, { 104, "UNSPECA" }, { 249, "TKEY" }, { 250, "TSIG" },
	{ 251, "IXFR" }, { 252, "AXFR" }, { 253, "MAILB" }, { 254, "MAILA" }, { 255, "ANY" },
	{ 256, "URI" }, { 0, NULL }
};

static const struct tok ns_classes[] = {
	{ 1, "IN" }, { 3, "CHAOS" }, { 4, "HS" }, { 255, "ANY" }, { 0, NULL }
};

static const char *const ns_ops[] = {
	"", " inv_q", " stat", " op3", " notify", " update", " op6", " op7",
	" op8", " updateA", " updateD", " updateDA", " updateM", " updateMA",
	" zoneInit", " zoneRef",
};

static const char *const ns_rcodes[] = {
	"", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused", " YXDomain",
	" YXRRSet", " NXRRSet", " NotAuth", " NotZone", " Resp11", " Resp12", " Resp13",
	" Resp14", " NoChange", " BadVers", " Resp17", " Resp18", " Resp19", " Resp20",
	" Resp21", " Resp22", " BadCookie",
};

/* Offsets are absolute in the packet; BP is the DNS header. */

/* The bit count of the RFC 2673 bit-string label whose count byte is at
 * CP (a zero byte means 256); 0 when the byte is past the snap end. */
static uint32_t
bitcount(struct pctx *P, uint32_t cp)
{
	if (!HAS(P, cp, 1))
		return 0;
	return U8(P, cp) ? U8(P, cp) : 256;
}

/* Length of the label at CP, or -1 (with a message for bad kinds). */
static int64_t
labellen(struct pctx *P, uint32_t cp)
{
	uint8_t i;

	if (!HAS(P, cp, 1))
		return -1;
	i = U8(P, cp);
	switch (i & 0xc0) {
	case 0x40: {
		uint32_t bitlen;

		if ((i & 0x3f) != 1) {
			puts_(P, "<ELT ");
			putu(P, i & 0x3f);
			putc_(P, '>');
			return -1;
		}
		if ((bitlen = bitcount(P, cp + 1)) == 0)
			return -1;
		return (bitlen + 7) / 8 + 1;
	}
	case 0xc0:
	case 0x00:
		return i;
	default:
		return -1;
	}
}

/* Skip a name; returns the offset after it or -1. */
static int64_t
ns_nskip(struct pctx *P, uint32_t cp)
{
	uint8_t i;

	if (!HAS(P, cp, 1))
		return -1;
	i = U8(P, cp++);
	while (i) {
		switch (i & 0xc0) {
		case 0xc0:
			return (int64_t)cp + 1;
		case 0x40: {
			uint32_t bitlen;

			if ((i & 0x3f) != 1 || (bitlen = bitcount(P, cp)) == 0)
				return -1;
			cp += 1 + (bitlen + 7) / 8;
			break;
		}
		case 0x80:
			return -1;
		default:
			cp += i;
			break;
		}
		if (!HAS(P, cp, 1))
			return -1;
		i = U8(P, cp++);
	}
	return cp;
}

static int
blabel_print(struct pctx *P, uint32_t cp)
{
	uint32_t bitlen, b;

	if ((bitlen = bitcount(P, cp + 1)) == 0)
		return -1;
	puts_(P, "\\[x");
	b = cp + 2;
	for (uint32_t bits = bitlen; bits >= 8; bits -= 8, b++) {
		if (!HAS(P, b, 1))
			return -1;
		putx_w(P, U8(P, b), 2);
		if (bits == 8)
			break;
	}
	putc_(P, '/');
	putu(P, bitlen);
	putc_(P, ']');
	return 0;
}

/* Print a (possibly compressed) name; returns the offset after it in
 * the record, or -1 when it runs out or is bad. */
static int64_t
fqdn_print(struct pctx *P, uint32_t cp, uint32_t bp)
{
	int64_t l;
	uint32_t i, max_offset, name_chars = 0;
	int64_t rp = -1;
	int compress = 0;

	/* labellen() >= 0 also means the label's first byte is there. */
	if ((l = labellen(P, cp)) < 0)
		return -1;
	max_offset = cp - bp;
	i = U8(P, cp++);
	if ((i & 0xc0) != 0xc0) {
		compress = 0;
		rp = (int64_t)cp + l;
	}
	if (i != 0) {
		while (i && cp < P->end) {
			if ((i & 0xc0) == 0xc0) {
				uint32_t offset;

				if (!compress) {
					rp = (int64_t)cp + 1;
					compress = 1;
				}
				if (!HAS(P, cp, 1))
					return -1;
				offset = ((i << 8) | U8(P, cp)) & 0x3fff;
				if (offset >= max_offset) {
					puts_(P, "<BAD PTR>");
					return -1;
				}
				max_offset = offset;
				cp = bp + offset;
				if ((l = labellen(P, cp)) < 0)
					return -1;
				i = U8(P, cp++);
				continue;
			}
			/* labellen() has refused every other kind of label. */
			if ((i & 0xc0) == 0x40) {
				if (blabel_print(P, cp - 1) < 0)
					return -1;
			} else if (put_ascii_n(P, cp, (uint32_t)l) < 0) {
				return -1;
			}
			cp += (uint32_t)l;
			name_chars += (uint32_t)l;
			putc_(P, '.');
			name_chars++;
			if (name_chars > 1025) {
				puts_(P, "<TOO LONG>");
				return -1;
			}
			if ((l = labellen(P, cp)) < 0)
				return -1;
			i = U8(P, cp++);
			if (!compress)
				rp += l + 1;
		}
	} else {
		putc_(P, '.');
	}
	return rp;
}

static int64_t
ns_qprint(struct pctx *P, uint32_t cp, uint32_t bp, int mdns)
{
	uint32_t np = cp, t, c, klass;
	int64_t r = ns_nskip(P, cp);

	if (r < 0 || !HAS(P, (uint32_t)r, 4))
		return -1;
	cp = (uint32_t)r;
	t = U16(P, cp);
	c = U16(P, cp + 2);
	putc_(P, ' ');
	put_tok(P, ns_types, "Type%u", t);
	klass = mdns ? (c & ~0x8000u) : c;
	if (klass != 1) {
		putc_(P, ' ');
		put_tok(P, ns_classes, "(Class %u)", klass);
	}
	if (mdns)
		puts_(P, (c & 0x8000) ? " (QU)" : " (QM)");
	puts_(P, "? ");
	r = fqdn_print(P, np, bp);
	return r < 0 ? -1 : r + 4;
}

static int
edns_opt_print(struct pctx *P, uint32_t *cp, uint32_t rp)
{
	static const struct tok edns_opts[] = {
		{ 1, "LLQ" }, { 2, "UL" }, { 3, "NSID" }, { 5, "DAU" }, { 6, "DHU" }, { 7, "N3U" },
		{ 8, "ECS" }, { 9, "EXPIRE" }, { 10, "COOKIE" }, { 11, "KEEPALIVE" },
		{ 12, "PADDING" }, { 13, "CHAIN" }, { 14, "KEY-TAG" }, { 15, "EDE" },
		{ 16, "CLIENT-TAG" }, { 17, "SERVER-TAG" }, { 0, NULL }
	};
	uint16_t code, len;

	if (!HAS(P, *cp, 4))
		return -1;
	code = U16(P, *cp);
	len = U16(P, *cp + 2);
	put_tok(P, edns_opts, "Opt%u", code);
	*cp += 4;
	if (!HAS(P, *cp, len) || *cp + len > rp)
		return -1;
	*cp += len;
	return 0;
}

static int64_t
ns_rprint(struct pctx *P, uint32_t cp, uint32_t bp, int mdns)
{
	uint32_t klass, c, rp, opt_flags = 0;
	uint16_t typ, len;
	int64_t r;

	if (P->o->vflag) {
		putc_(P, ' ');
		if ((r = fqdn_print(P, cp, bp)) < 0)
			return -1;
	} else {
		r = ns_nskip(P, cp);
	}
	if (r < 0 || !HAS(P, (uint32_t)r, 10))
		return P->end;
	cp = (uint32_t)r;
	typ = U16(P, cp);
	c = U16(P, cp + 2);
	cp += 4;
	klass = (mdns && typ != 41) ? (c & ~0x8000u) : c;
	if (klass != 1 && typ != 41) {
		putc_(P, ' ');
		put_tok(P, ns_classes, "(Class %u)", klass);
	}
	if (mdns && (c & 0x8000))
		puts_(P, " (Cache flush)");
	if (typ == 41) {
		opt_flags = U16(P, cp + 2);
		cp += 4;
	} else {
		cp += 4;
	}
	len = U16(P, cp);
	cp += 2;
	rp = cp + len;
	putc_(P, ' ');
	put_tok(P, ns_types, "Type%u", typ);
	if (rp > P->end)
		return -1;
	switch (typ) {
	case 1:
		if (!HAS(P, cp, 4))
			return -1;
		putc_(P, ' ');
		put_ip4(P, P->pkt + cp);
		break;
	case 2: case 5: case 12: case 39:
		putc_(P, ' ');
		if (fqdn_print(P, cp, bp) < 0)
			return -1;
		break;
	case 15:
		putc_(P, ' ');
		if (fqdn_print(P, cp + 2, bp) < 0)
			return -1;
		putc_(P, ' ');
		putu(P, U16(P, cp));
		break;
	case 16:
		while (cp < rp) {
			uint8_t n;

			puts_(P, " \"");
			if (!HAS(P, cp, 1))
				return -1;
			n = U8(P, cp);
			if (put_ascii_n(P, cp + 1, n) < 0)
				return -1;
			cp += 1u + n;
			putc_(P, '"');
		}
		break;
	case 33:
		putc_(P, ' ');
		if (fqdn_print(P, cp + 6, bp) < 0)
			return -1;
		putc_(P, ':');
		putu(P, U16(P, cp + 4));
		putc_(P, ' ');
		putu(P, U16(P, cp));
		putc_(P, ' ');
		putu(P, U16(P, cp + 2));
		break;
	case 28:
		if (!HAS(P, cp, 16))
			return -1;
		putc_(P, ' ');
		put_ip6(P, P->pkt + cp);
		break;
	case 256:
		if (!HAS(P, cp, len) || len < 4)
			return -1;
		putc_(P, ' ');
		putu(P, U16(P, cp));
		putc_(P, ' ');
		putu(P, U16(P, cp + 2));
		putc_(P, ' ');
		if (put_ascii_n(P, cp + 4, len - 4u) < 0)
			return -1;
		break;
	case 41:
		puts_(P, " UDPsize=");
		putu(P, klass);
		if (opt_flags & 0x8000)
			puts_(P, " DO");
		if (cp < rp) {
			puts_(P, " [");
			while (cp < rp) {
				if (edns_opt_print(P, &cp, rp) < 0)
					return -1;
				if (cp < rp)
					putc_(P, ',');
			}
			putc_(P, ']');
		}
		break;
	default:
		break;
	}
	return rp;
}

/* " [N" SUFFIX: a section count other than the usual one. */
static void
put_count(struct pctx *P, uint32_t n, const char *suffix)
{
	puts_(P, " [");
	putu(P, n);
	puts_(P, suffix);
}

void
domain_print(struct pctx *P, uint32_t bp, uint32_t length, int over_tcp, int mdns)
{
	uint16_t flags, rcode;
	uint32_t qd, an, ns, ar, i;
	int64_t cp;

	P->proto = "domain";
	if (over_tcp) {
		if (length < 2) {
			puts_(P, " [DNS over TCP: length ");
			putu(P, length);
			puts_(P, " < 2]");
			put_invalid(P);
			return;
		}
		length -= 2;
		if (!HAS(P, bp, 2)) {
			P->longjmp = 1;
			put_trunc(P);
			return;
		}
		if (U16(P, bp) != length) {
			puts_(P, " [prefix length(");
			putu(P, U16(P, bp));
			puts_(P, ") != length(");
			putu(P, length);
			puts_(P, ")]");
			put_invalid(P);
			return;
		}
		bp += 2;
		putc_(P, ' ');
	}
	if (length < 12) {
		puts_(P, "domain [length ");
		putu(P, length);
		puts_(P, " < 12]");
		put_invalid(P);
		return;
	}
	if (!HAS(P, bp, 12)) {
		put_trunc(P);
		return;
	}
	flags = U16(P, bp + 2);
	qd = U16(P, bp + 4);
	an = U16(P, bp + 6);
	ns = U16(P, bp + 8);
	ar = U16(P, bp + 10);
	rcode = flags & 0xf;
	/* Find an OPT record for the extended rcode (RFC 6891 section 6.1.3). */
	cp = bp + 12;
	for (i = 0; i < qd; i++) {
		cp = ns_nskip(P, (uint32_t)cp);
		if (cp < 0)
			goto print;
		cp += 4;
		if (cp >= P->end)
			goto print;
	}
	for (i = 0; i < an + ns; i++) {
		cp = ns_nskip(P, (uint32_t)cp);
		if (cp < 0 || !HAS(P, (uint32_t)cp, 10))
			goto print;
		cp += 10 + U16(P, (uint32_t)cp + 8);
	}
	for (i = 0; i < ar; i++) {
		cp = ns_nskip(P, (uint32_t)cp);
		if (cp < 0 || !HAS(P, (uint32_t)cp, 10))
			goto print;
		if (U16(P, (uint32_t)cp) == 41) {
			rcode |= (uint16_t)(U8(P, (uint32_t)cp + 4) << 4);
			break;
		}
		cp += 10 + U16(P, (uint32_t)cp + 8);
	}
print:
	if (flags & 0x8000) {
		putu(P, U16(P, bp));
		puts_(P, ns_ops[(flags >> 11) & 15]);
		if (rcode < sizeof ns_rcodes / sizeof ns_rcodes[0])
			puts_(P, ns_rcodes[rcode]);
		else {
			puts_(P, " Resp");
			putu(P, rcode);
		}
		if (flags & 0x0400)
			putc_(P, '*');
		if (!(flags & 0x0080))
			putc_(P, '-');
		if (flags & 0x0200)
			putc_(P, '|');
		if (flags & 0x0020)
			putc_(P, '$');
		if (qd != 1)
			put_count(P, qd, "q]");
		cp = bp + 12;
		for (i = 0; i < qd; i++) {
			cp = ns_nskip(P, (uint32_t)cp);
			if (cp < 0)
				goto trunc;
			cp += 4;
		}
		putc_(P, ' ');
		putu(P, an);
		putc_(P, '/');
		putu(P, ns);
		putc_(P, '/');
		putu(P, ar);
		for (i = 0; i < an && (i == 0 || cp < P->end); i++) {
			if (i)
				putc_(P, ',');
			if ((cp = ns_rprint(P, (uint32_t)cp, bp, mdns)) < 0)
				goto trunc;
		}
		if (i < an)
			goto trunc;
	} else {
		putu(P, U16(P, bp));
		puts_(P, ns_ops[(flags >> 11) & 15]);
		if (flags & 0x0100)
			putc_(P, '+');
		if (flags & 0x0010)
			putc_(P, '%');
		if (flags & 0x6cf) {
			puts_(P, " [b2&3=0x");
			putx(P, flags);
			putc_(P, ']');
		}
		if (((flags >> 11) & 15) == 1) {   /* NOTIFY (RFC 1996): one answer, no question */
			if (qd)
				put_count(P, qd, "q]");
			if (an != 1)
				put_count(P, an, "a]");
		} else {
			if (an)
				put_count(P, an, "a]");
			if (qd != 1)
				put_count(P, qd, "q]");
		}
		if (ns)
			put_count(P, ns, "n]");
		if (ar)
			put_count(P, ar, "au]");
		cp = bp + 12;
		for (i = 0; i < qd && (i == 0 || cp < P->end); i++)
			if ((cp = ns_qprint(P, (uint32_t)cp, bp, mdns)) < 0)
				goto trunc;
		if (i < qd)
			goto trunc;
	}
	puts_(P, " (");
	putu(P, length);
	putc_(P, ')');
	return;
trunc:
	put_trunc(P);
}
