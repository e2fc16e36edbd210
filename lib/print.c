/* print.c — the printer handle, timestamps, hex dumps and the link-layer printers.
 *
 * Output follows tcpdump 4.99 `-nn` byte for byte: the timestamp, the link
 * layer (only with -e, or when the payload type is unknown), then the
 * network printer, then the optional hex dump, then a newline.  Formatting
 * goes into one growable buffer with hand-written number conversion; the
 * local time of a second is converted once and cached.
 *
 * Link-layer formats: IEEE 802.3 and 802.1Q/802.1ad (Ethernet), tcpdump.org
 * LINKTYPE_LINUX_SLL / LINUX_SLL2 / NULL / LOOP / RAW / IPV4 / IPV6.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "pcapkit/packet.h"
#include "pcapkit/decode.h"
#include "print_int.h"

#define OB_FLUSH_AT (256u * 1024u)

/* ---- output buffer ---- */

int
ob_grow(struct obuf *ob, size_t need)
{
	size_t cap = ob->cap ? ob->cap : 4096;
	char *nb;

	if (ob->oom)
		return -1;
	while (cap - ob->n < need)
		cap *= 2;
	nb = realloc(ob->b, cap);
	if (!nb) {
		ob->oom = 1;
		return -1;
	}
	ob->b = nb;
	ob->cap = cap;
	return 0;
}

void
putu(struct pctx *P, uint64_t v)
{
	char t[24];
	int i = 24;

	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(P, t + i, (size_t)(24 - i));
}

void
puti(struct pctx *P, int64_t v)
{
	if (v < 0) {
		putc_(P, '-');
		putu(P, (uint64_t)0 - (uint64_t)v);
	} else {
		putu(P, (uint64_t)v);
	}
}

void
putu_w(struct pctx *P, uint64_t v, int width, char pad)
{
	char t[24];
	int i = 24;

	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (24 - i < width && i > 0)
		t[--i] = pad;
	put(P, t + i, (size_t)(24 - i));
}

static void
putx_gen(struct pctx *P, uint64_t v, int width, const char *digits)
{
	char t[20];
	int i = 20;

	do {
		t[--i] = digits[v & 15];
		v >>= 4;
	} while (v);
	while (20 - i < width && i > 0)
		t[--i] = '0';
	put(P, t + i, (size_t)(20 - i));
}

void putx(struct pctx *P, uint64_t v) { putx_gen(P, v, 0, "0123456789abcdef"); }
void putx_w(struct pctx *P, uint64_t v, int w) { putx_gen(P, v, w, "0123456789abcdef"); }
void putX_w(struct pctx *P, uint64_t v, int w) { putx_gen(P, v, w, "0123456789ABCDEF"); }

void
put_ip4(struct pctx *P, const uint8_t *a)
{
	for (int i = 0; i < 4; i++) {
		if (i)
			putc_(P, '.');
		putu(P, a[i]);
	}
}

void
put_ip6(struct pctx *P, const uint8_t *a)
{
	char t[INET6_ADDRSTRLEN];

	if (inet_ntop(AF_INET6, a, t, sizeof t))
		puts_(P, t);
}

void
put_hosts(struct pctx *P, uint32_t ipoff, int32_t sport, int32_t dport)
{
	int v6 = (U8(P, ipoff) >> 4) == 6;

	for (int i = 0; i < 2; i++) {
		int32_t port = i ? dport : sport;

		if (i)
			puts_(P, " > ");
		if (v6)
			put_ip6(P, P->pkt + ipoff + (i ? 24 : 8));
		else
			put_ip4(P, P->pkt + ipoff + (i ? 16 : 12));
		if (port >= 0) {
			putc_(P, '.');
			putu(P, (uint32_t)port);
		}
	}
}

void
put_mac(struct pctx *P, const uint8_t *a, unsigned n)
{
	static const char hx[] = "0123456789abcdef";

	for (unsigned i = 0; i < n; i++) {
		if (i)
			putc_(P, ':');
		putc_(P, hx[a[i] >> 4]);
		putc_(P, hx[a[i] & 15]);
	}
}

void
putf(struct pctx *P, const char *fmt, ...)
{
	char t[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t, sizeof t, fmt, ap);
	va_end(ap);
	if (n > 0)
		put(P, t, (size_t)n < sizeof t ? (size_t)n : sizeof t - 1);
}

void
put_trunc(struct pctx *P)
{
	puts_(P, " [|");
	puts_(P, P->proto);
	putc_(P, ']');
}

/* The TCP/UDP checksum tcpdump prints: the pseudo-header (RFC 793 section
 * 3.1, RFC 8200 section 8.1) and the segment, summed by the decoder's
 * pk_inet_sum (each part has an even length but the last, so the folded
 * partial sums add up). */
uint16_t
l4_cksum(struct pctx *P, uint32_t ipoff, uint32_t off, uint32_t n, uint8_t proto)
{
	uint8_t ph[8];
	uint32_t sum;
	int v6 = (P->pkt[ipoff] >> 4) == 6;

	sum = v6 ? pk_inet_sum(P->pkt + ipoff + 8, 32) : pk_inet_sum(P->pkt + ipoff + 12, 8);
	ph[0] = (uint8_t)(n >> 24);
	ph[1] = (uint8_t)(n >> 16);
	ph[2] = (uint8_t)(n >> 8);
	ph[3] = (uint8_t)n;
	ph[4] = ph[5] = ph[6] = 0;
	ph[7] = proto;
	sum += pk_inet_sum(ph, 8);
	sum += pk_inet_sum(P->pkt + off, n);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)(~sum & 0xffff);
}

uint16_t
cksum_shouldbe(uint16_t sum, uint16_t computed)
{
	uint32_t s = (uint32_t)sum + computed;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

void
put_invalid(struct pctx *P)
{
	puts_(P, " (invalid)");
}

const char *
tok2str_(const struct tok *t, uint32_t v)
{
	for (; t->s; t++)
		if (t->v == v)
			return t->s;
	return NULL;
}

void
put_tok(struct pctx *P, const struct tok *t, const char *fmt_unknown, uint32_t v)
{
	const char *s = tok2str_(t, v);

	if (s)
		puts_(P, s);
	else
		putf(P, fmt_unknown, v);
}

void
put_bittok(struct pctx *P, const struct tok *t, const char *none, uint32_t v, const char *sep)
{
	int first = 1;

	for (; t->s; t++) {
		if (t->v && (v & t->v) == t->v) {
			if (!first)
				puts_(P, sep);
			puts_(P, t->s);
			first = 0;
		}
	}
	if (first)
		puts_(P, none);
}

/* tcpdump's nd_printjn: bytes as text, unprintables as M-x / ^x. */
int
put_ascii_n(struct pctx *P, uint32_t off, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint8_t c;

		if (!HAS(P, off + i, 1))
			return -1;
		c = U8(P, off + i);
		if (c & 0x80) {
			puts_(P, "M-");
			c &= 0x7f;
		}
		if (c < 0x20 || c == 0x7f) {
			putc_(P, '^');
			putc_(P, (char)(c ^ 0x40));
		} else {
			putc_(P, (char)c);
		}
	}
	return 0;
}

/* ---- hex dumps (tcpdump -x / -X formats) ---- */

void
hex_ascii_dump(struct pctx *P, const char *ident, uint32_t off, uint32_t n, uint32_t oset)
{
	static const char hx[] = "0123456789abcdef";
	uint32_t i = 0;

	if (n > avail(P, off))
		n = avail(P, off);
	while (i < n) {
		char hex[41], asc[17];
		uint32_t k = n - i < 16 ? n - i : 16, h = 0;

		for (uint32_t j = 0; j < k; j++) {
			uint8_t c = U8(P, off + i + j);

			if ((j & 1) == 0)
				hex[h++] = ' ';
			hex[h++] = hx[c >> 4];
			hex[h++] = hx[c & 15];
			asc[j] = (c > 0x20 && c < 0x7f) ? (char)c : '.';
		}
		while (h < 40)
			hex[h++] = ' ';
		puts_(P, ident);
		puts_(P, "0x");
		putx_w(P, oset + i, 4);
		puts_(P, ": ");
		put(P, hex, 40);
		puts_(P, "  ");
		put(P, asc, k);
		i += k;
	}
}

void
hex_dump(struct pctx *P, const char *ident, uint32_t off, uint32_t n, uint32_t oset)
{
	static const char hx[] = "0123456789abcdef";
	uint32_t i;

	if (n > avail(P, off))
		n = avail(P, off);
	for (i = 0; i < n; i++) {
		uint8_t c = U8(P, off + i);

		if ((i & 15) == 0) {
			puts_(P, ident);
			puts_(P, "0x");
			putx_w(P, oset + i, 4);
			puts_(P, ": ");
		}
		if ((i & 1) == 0)
			putc_(P, ' ');
		putc_(P, hx[c >> 4]);
		putc_(P, hx[c & 15]);
	}
}

void
default_print(struct pctx *P, uint32_t off, uint32_t n)
{
	if (!P->suppress_default)
		hex_ascii_dump(P, "\n\t", off, n, 0);
}

/* ---- timestamps ---- */

static int
cache_second(struct pk_printer *pr, int64_t sec)
{
	struct tm tm;
	time_t t = (time_t)sec;

	if (pr->cache_ok && pr->cache_sec == sec)
		return 0;
	if (!localtime_r(&t, &tm))
		return -1;
	snprintf(pr->cache_hms, sizeof pr->cache_hms, "%02u:%02u:%02u",
	    (unsigned)tm.tm_hour % 100, (unsigned)tm.tm_min % 100, (unsigned)tm.tm_sec % 100);
	snprintf(pr->cache_date, sizeof pr->cache_date, "%04u-%02u-%02u",
	    (unsigned)(tm.tm_year + 1900) % 10000, (unsigned)(tm.tm_mon + 1) % 100,
	    (unsigned)tm.tm_mday % 100);
	pr->cache_sec = sec;
	pr->cache_ok = 1;
	return 0;
}

static void
put_frac(struct pctx *P, uint32_t nsec)
{
	putc_(P, '.');
	if (P->o->nano)
		putu_w(P, nsec, 9, '0');
	else
		putu_w(P, nsec / 1000, 6, '0');
}

static void
ts_print(struct pctx *P, const struct pk_pkthdr *h)
{
	struct pk_printer *pr = P->pr;
	/* libpcap sign-extends a classic pcap's 32-bit seconds, and tcpdump
	 * 4.99 cannot convert the resulting negative time: seconds in
	 * [2^31, 2^32) print as an error.  pcapng times beyond 2^32 keep all
	 * their bits. */
	int64_t sec = h->sec;
	int bad = sec >= 0x80000000LL && sec <= 0xffffffffLL;

	switch (P->o->tflag) {
	case 1:
		return;
	case 2:
		if (bad) {
			puts_(P, "[Error converting time] ");
			return;
		}
		puti(P, sec);
		put_frac(P, h->nsec);
		putc_(P, ' ');
		return;
	case 3:
	case 5: {
		int64_t ds;
		int64_t dn;
		int neg;
		uint64_t unit = P->o->nano ? 1000000000u : 1000000u;
		uint64_t a, b;

		if (!pr->have_ref) {
			pr->have_ref = 1;
			pr->ref_sec = sec;
			pr->ref_nsec = h->nsec;
		}
		a = P->o->nano ? h->nsec : h->nsec / 1000;
		b = P->o->nano ? pr->ref_nsec : pr->ref_nsec / 1000;
		neg = sec < pr->ref_sec || (sec == pr->ref_sec && a < b);
		if (neg) {
			ds = pr->ref_sec - sec;
			dn = (int64_t)b - (int64_t)a;
		} else {
			ds = sec - pr->ref_sec;
			dn = (int64_t)a - (int64_t)b;
		}
		if (dn < 0) {
			ds--;
			dn += (int64_t)unit;
		}
		putc_(P, neg ? '-' : ' ');
		putu_w(P, (uint64_t)(ds / 3600), 2, '0');
		putc_(P, ':');
		putu_w(P, (uint64_t)(ds % 3600 / 60), 2, '0');
		putc_(P, ':');
		putu_w(P, (uint64_t)(ds % 60), 2, '0');
		putc_(P, '.');
		putu_w(P, (uint64_t)dn, P->o->nano ? 9 : 6, '0');
		putc_(P, ' ');
		if (P->o->tflag == 3) {
			pr->ref_sec = sec;
			pr->ref_nsec = h->nsec;
		}
		return;
	}
	default:
		if (bad || cache_second(pr, sec) < 0) {
			puts_(P, "[Error converting time] ");
			return;
		}
		if (P->o->tflag == 4) {
			puts_(P, pr->cache_date);
			putc_(P, ' ');
		}
		puts_(P, pr->cache_hms);
		put_frac(P, h->nsec);
		putc_(P, ' ');
	}
}

/* ---- link layers ---- */

const struct tok ethertypes[] = {
	{ 0x0800, "IPv4" }, { 0x86dd, "IPv6" }, { 0x0806, "ARP" }, { 0x8035, "Reverse ARP" },
	{ 0x8100, "802.1Q" }, { 0x88a8, "802.1Q-QinQ" }, { 0x9100, "802.1Q-9100" },
	{ 0x9200, "802.1Q-9200" }, { 0x8863, "PPPoE D" }, { 0x8864, "PPPoE S" },
	{ 0x8847, "MPLS unicast" }, { 0x8848, "MPLS multicast" }, { 0x88cc, "LLDP" },
	{ 0x9000, "Loopback" }, { 0x880b, "PPP" }, { 0x888e, "EAPOL" }, { 0x8809, "Slow Protocols" },
	{ 0x6003, "DN" }, { 0x809b, "Appletalk" }, { 0x80f3, "Appletalk ARP" },
	{ 0x8137, "IPX" }, { 0x88e5, "802.1AE MACsec" }, { 0x8902, "CFM" }, { 0x88f7, "PTP" },
	{ 0x893f, "802.1BR" }, { 0x8808, "MAC control" }, { 0x8870, "Jumbo" },
	{ 0x6002, "MOP RC" }, { 0x6001, "MOP DL" }, { 0x6004, "LAT" }, { 0x6007, "SCA" },
	{ 0x8819, "CobraNet" }, { 0x88a2, "AoE" }, { 0x894f, "NSH" }, { 0x88ca, "TIPC" },
	{ 0x8899, "RRCP" }, { 0x8847, "MPLS" }, { 0x0200, "PUP" }, { 0x0500, "Sprite" },
	{ 0x8038, "Vanilla" }, { 0x0805, "X.25"}, { 0x8088, "MPCP"}, { 0x88f5, "MVRP" },
	{ 0x88ee, "MS NLB heartbeat" }, { 0x893a, "IEEE1905.1" }, { 0xd28b, "Arista Vendor Specific Protocol" },
	{ 0x8707, "GeoNet" }, { 0x0707, "GeoNet (old)" }, { 0x1111, "CALM FAST" },
	{ 0, NULL }
};

static void
ether_type_print(struct pctx *P, uint16_t t)
{
	if (P->o->qflag) {   /* tcpdump -q: the name alone */
		put_tok(P, ethertypes, "Unknown", t);
		return;
	}
	puts_(P, "ethertype ");
	put_tok(P, ethertypes, "Unknown", t);
	puts_(P, " (0x");
	putx_w(P, t, 4);
	putc_(P, ')');
}

/* The ethertype, then ", length LEN: " unless *SHOWN (-e gives the frame
 * length once, before the first VLAN tag), in which case ", ". */
static void
ether_type_len(struct pctx *P, uint16_t t, uint32_t len, int *shown)
{
	ether_type_print(P, t);
	if (shown && *shown) {
		puts_(P, ", ");
		return;
	}
	puts_(P, ", length ");
	putu(P, len);
	puts_(P, ": ");
	if (shown)
		*shown = 1;
}

/* "vlan V, p P[, DEI], ": an 802.1Q tag control field (IEEE 802.1Q 9.6). */
static void
vlan_print(struct pctx *P, uint16_t tci)
{
	puts_(P, "vlan ");
	putu(P, tci & 0xfff);
	puts_(P, ", p ");
	putu(P, tci >> 13);
	if (tci & 0x1000)
		puts_(P, ", DEI");
	puts_(P, ", ");
}

/* Returns 1 when the type was printed, 0 when unknown (caller dumps). */
int
ethertype_print(struct pctx *P, uint16_t type, uint32_t off, uint32_t length)
{
	switch (type) {
	case 0x0800:
		ip_print(P, off, length);
		return 1;
	case 0x86dd:
		ip6_print(P, off, length);
		return 1;
	case 0x0806:
	case 0x8035:
		arp_print(P, off, length);
		return 1;
	case 0x8863:
	case 0x8864:
	case 0x3c12:
	case 0x3c13:
		pppoe_print(P, off, length);
		return 1;
	case 0x8847:
	case 0x8848:
		mpls_print(P, off, length);
		return 1;
	case 0x880b:
		if (length) {
			puts_(P, ": ");
			ppp_print(P, off, length);
		}
		return 1;
	default:
		return ethertype_print_llc(P, type, off, length);
	}
}

static int
is_tag(uint16_t t)
{
	return t == 0x8100 || t == 0x88a8 || t == 0x9100 || t == 0x9200;
}

/* Ethernet frame at OFF (length/caplen from there).  Returns header length. */
static uint32_t
ether_common(struct pctx *P, uint32_t off, uint32_t length, uint32_t orig_len)
{
	uint32_t caplen = avail(P, off), hdrlen = 14;
	uint16_t lt;
	int printed_length = 0;
	uint32_t src = off + 6, dst = off;

	P->proto = "ether";
	if (caplen < 14 || length < 14) {
		put_trunc(P);
		return caplen < length ? caplen : length;
	}
	if (P->o->eflag) {
		put_mac(P, P->pkt + src, 6);
		puts_(P, " > ");
		put_mac(P, P->pkt + dst, 6);
		puts_(P, ", ");
	}
	lt = U16(P, off + 12);
	off += 14;
	length -= 14;
	caplen -= 14;
	if (lt == 0x88e5 && !P->o->eflag && caplen >= 6 && !(U8(P, off) & 0x0c)) {
		/* IEEE 802.1AE MACsec SecTAG, payload not encrypted: skip the
		 * tag and the 16-byte ICV at the end, as tcpdump does. */
		uint32_t tl = (U8(P, off) & 0x20) ? 14 : 6;

		if (caplen >= tl + 2 && length >= tl + 2 + 16) {
			lt = U16(P, off + tl);
			off += tl + 2;
			hdrlen += tl + 2;
			length -= tl + 2 + 16;
			caplen -= tl + 2;
			if (caplen > length) {
				caplen = length;
				P->end = off + length;
			}
		}
	}
	while (is_tag(lt)) {
		if (caplen < 4 || length < 4) {
			P->proto = "vlan";
			put_trunc(P);
			return hdrlen + (caplen < length ? caplen : length);
		}
		if (P->o->eflag) {
			ether_type_len(P, lt, orig_len, &printed_length);
			vlan_print(P, U16(P, off));
		}
		lt = U16(P, off + 2);
		off += 4;
		length -= 4;
		caplen -= 4;
		hdrlen += 4;
	}
	if (lt <= 1500) {
		int handled = 0;

		/* A length field only ever shortens the frame (tcpdump 4.99). */
		if (lt < length)
			length = lt;
		if (caplen > length) {
			caplen = length;
			P->end = off + length;
		}
		if (P->o->eflag) {
			puts_(P, "802.3");
			puts_(P, ", length ");
			putu(P, length);
			puts_(P, ": ");
		}
		llc_print_mac(P, off, length, caplen, src, dst, &handled);
		if (!handled)
			default_print(P, off, caplen);
		else
			hdrlen += 3;   /* the LLC header counts as link layer for -x */
		return hdrlen;
	}
	if (P->o->eflag)
		ether_type_len(P, lt, orig_len, &printed_length);
	if (!ethertype_print(P, lt, off, length)) {
		if (!P->o->eflag) {
			put_mac(P, P->pkt + src, 6);
			puts_(P, " > ");
			put_mac(P, P->pkt + dst, 6);
			puts_(P, ", ");
			ether_type_len(P, lt, orig_len, NULL);
		}
		default_print(P, off, caplen);
	}
	return hdrlen;
}

/* Ethernet inside a tunnel (VXLAN...): returns header length. */
int
ether_print_inner(struct pctx *P, uint32_t off, uint32_t length)
{
	return (int)ether_common(P, off, length, length);
}

static const struct tok sll_pkttypes[] = {
	{ 0, "In" }, { 1, "B" }, { 2, "M" }, { 3, "P" }, { 4, "Out" }, { 0, NULL }
};

static uint32_t
sll_print(struct pctx *P, int v2)
{
	uint32_t hl = v2 ? 20 : 16, caplen = P->end;
	uint16_t proto, hatype, pkttype;
	uint32_t off = hl, length = P->len;

	P->proto = v2 ? "sll2" : "sll";
	if (caplen < hl) {
		put_trunc(P);
		return caplen;
	}
	if (v2) {
		proto = U16(P, 0);
		hatype = U16(P, 8);
		pkttype = U8(P, 10);
	} else {
		pkttype = U16(P, 0);
		hatype = U16(P, 2);
		proto = U16(P, 14);
	}
	(void)hatype;
	if (v2) {
		char ifname[IF_NAMESIZE + 1];
		const char *pt = tok2str_(sll_pkttypes, pkttype);

		/* tcpdump names the interface by asking this host. */
		if (!if_indextoname(U32(P, 4), ifname))
			snprintf(ifname, sizeof ifname, "?");
		putf(P, "%-5s %-3s ", ifname, pt ? pt : "?");
	}
	if (P->o->eflag) {
		uint32_t halen = v2 ? U8(P, 11) : U16(P, 4);

		if (v2) {
			puts_(P, "ifindex ");
			putu(P, U32(P, 4));
			putc_(P, ' ');
		} else {
			const char *pt = tok2str_(sll_pkttypes, pkttype);

			putf(P, "%3s ", pt ? pt : "?");
		}
		if (halen == 6) {
			put_mac(P, P->pkt + (v2 ? 12 : 6), 6);
			putc_(P, ' ');
		}
		if (proto >= 0x0600) {
			ether_type_len(P, proto, length, NULL);
		} else {
			puts_(P, "unknown protocol, length ");
			putu(P, length);
			puts_(P, ": ");
		}
	}
	length = length > hl ? length - hl : 0;
	if (proto < 0x0600) {
		int handled = 0;

		if (proto == 4)
			llc_print(P, off, length, avail(P, off), &handled);
		if (!handled)
			default_print(P, off, avail(P, off));
		return hl;
	}
	while (is_tag(proto)) {
		if (!HAS(P, off, 4)) {
			P->proto = "vlan";
			put_trunc(P);
			return P->end;
		}
		if (P->o->eflag)
			vlan_print(P, U16(P, off));
		proto = U16(P, off + 2);
		if (P->o->eflag) {
			ether_type_print(P, proto);
			puts_(P, ", ");
		}
		off += 4;
		hl += 4;
		length = length > 4 ? length - 4 : 0;
	}
	if (!ethertype_print(P, proto, off, length))
		default_print(P, off, avail(P, off));
	return hl;
}

static const struct tok af_values[] = {
	{ 2, "IPv4" }, { 10, "IPv6" }, { 24, "IPv6" }, { 28, "IPv6" }, { 30, "IPv6" },
	{ 7, "OSI" }, { 23, "IPX" }, { 16, "Appletalk" }, { 0, NULL }
};

/* "AF name (n), length LEN: " of a BSD loopback header. */
static void
af_print(struct pctx *P, uint32_t af, uint32_t length)
{
	puts_(P, "AF ");
	put_tok(P, af_values, "Unknown", af);
	puts_(P, " (");
	putu(P, af);
	puts_(P, "), length ");
	putu(P, length);
	puts_(P, ": ");
}

static uint32_t
null_print(struct pctx *P, int loop)
{
	uint32_t af, length = P->len;

	P->proto = loop ? "loop" : "null";
	if (P->end < 4) {
		put_trunc(P);
		return P->end;
	}
	af = loop ? U32(P, 0) : pk_le32(P->pkt);
	if ((af & 0xffff) == 0 && af)
		af = af >> 24 | (af >> 8 & 0xff00) | (af << 8 & 0xff0000) | af << 24;
	if (P->o->eflag)
		af_print(P, af, length);
	length = length > 4 ? length - 4 : 0;
	switch (af) {
	case 2:
		ip_print(P, 4, length);
		break;
	case 10: case 24: case 28: case 30:
		ip6_print(P, 4, length);
		break;
	default:
		if (!P->o->eflag)
			af_print(P, af, length + 4);
		default_print(P, 4, avail(P, 4));
	}
	return 4;
}

static uint32_t
raw_print(struct pctx *P)
{
	uint8_t v;

	if (P->o->eflag)
		puts_(P, "ip: ");
	if (P->end < 1) {
		P->proto = "ip";
		put_trunc(P);
		return 0;
	}
	v = U8(P, 0) >> 4;
	if (v == 4)
		ip_print(P, 0, P->len);
	else if (v == 6)
		ip6_print(P, 0, P->len);
	else {
		puts_(P, "unknown ip ");
		putu(P, v);
	}
	return 0;
}

/* ---- the handle ---- */

struct pk_printer *
pk_printer_open(int fd, const struct pk_print_opts *o, char *errbuf)
{
	struct pk_printer *p = calloc(1, sizeof *p);

	if (!p || ob_grow(&p->ob, 1u << 20) < 0) {
		if (p)
			free(p->ob.b);
		free(p);
		snprintf(errbuf, 256, "out of memory");
		return NULL;
	}
	p->o = *o;
	p->fd = fd;
	return p;
}

static uint32_t
link_print(struct pctx *P, int linktype)
{
	switch (linktype) {
	case PK_LINK_EN10MB:
		return ether_common(P, 0, P->len, P->len);
	case PK_LINK_LINUX_SLL:
		return sll_print(P, 0);
	case PK_LINK_LINUX_SLL2:
		return sll_print(P, 1);
	case PK_LINK_NULL:
		return null_print(P, 0);
	case PK_LINK_LOOP:
		return null_print(P, 1);
	case PK_LINK_RAW:
	case PK_LINK_RAW_OLD12:
	case PK_LINK_RAW_OLD14:
	case PK_LINK_IPV4:
	case PK_LINK_IPV6:
		return raw_print(P);
	default:
		putf(P, "[unsupported link type %d]", linktype);
		return 0;
	}
}

static void
format_packet(struct pk_printer *pr, const struct pk_pkthdr *h, const uint8_t *data)
{
	struct pctx P;
	uint32_t hdrlen;

	P.pr = pr;
	P.o = &pr->o;
	P.ob = &pr->ob;
	P.pkt = data;
	P.caplen = h->caplen;
	P.len = h->len < h->caplen ? h->caplen : h->len;
	P.end = h->caplen;
	P.proto = "";
	/* tcpdump's -q, -x and -X each turn off the generic hex dump. */
	P.suppress_default = pr->o.xflag || pr->o.Xflag || pr->o.qflag;
	P.longjmp = 0;
	ts_print(&P, h);
	hdrlen = link_print(&P, h->linktype);
	if (P.longjmp)
		hdrlen = 0;
	P.end = h->caplen;
	if (pr->o.Xflag || pr->o.xflag) {
		/* -X/-x: from the network header; -XX/-xx: the whole packet. */
		void (*dump)(struct pctx *, const char *, uint32_t, uint32_t, uint32_t) =
		    pr->o.Xflag ? hex_ascii_dump : hex_dump;

		if ((pr->o.Xflag ? pr->o.Xflag : pr->o.xflag) > 1)
			dump(&P, "\n\t", 0, h->caplen, 0);
		else if (h->caplen > hdrlen)
			dump(&P, "\n\t", hdrlen, h->caplen - hdrlen, 0);
	}
	putc_(&P, '\n');
}

static int
write_all(struct pk_printer *p)
{
	size_t off = 0;

	while (off < p->ob.n) {
		ssize_t w = write(p->fd, p->ob.b + off, p->ob.n - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			snprintf(p->err, sizeof p->err, "write error: %s", strerror(errno));
			p->failed = 1;
			p->ob.n = 0;
			return -1;
		}
		off += (size_t)w;
	}
	p->ob.n = 0;
	return 0;
}

int
pk_printer_flush(struct pk_printer *p)
{
	if (p->failed)
		return -1;
	if (p->ob.oom) {
		snprintf(p->err, sizeof p->err, "out of memory");
		p->failed = 1;
		return -1;
	}
	return write_all(p);
}

int
pk_printer_write(struct pk_printer *p, const struct pk_pkthdr *h, const uint8_t *data)
{
	if (p->failed)
		return -1;
	format_packet(p, h, data);
	if (p->o.line_buffered || p->ob.n >= OB_FLUSH_AT || p->ob.oom)
		return pk_printer_flush(p);
	return 0;
}

const char *
pk_printer_format(struct pk_printer *p, const struct pk_pkthdr *h, const uint8_t *data, size_t *n)
{
	p->ob.n = 0;
	p->ob.oom = 0;
	format_packet(p, h, data);
	*n = p->ob.n;
	return p->ob.b;
}

const char *
pk_printer_error(const struct pk_printer *p)
{
	return p->err;
}

int
pk_printer_close(struct pk_printer *p)
{
	int rc;

	if (!p)
		return 0;
	rc = pk_printer_flush(p);
	free(p->ob.b);
	free(p->tseq);
	free(p);
	return rc;
}
