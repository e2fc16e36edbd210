/* lex.c — hand-written scanner for the pcap-filter language (libpcap scanner.l rules).
 *
 * Longest match wins; on equal length the earlier rule class wins, in the
 * order keyword/named constant, MAC address, number, dotted IPv4, IPv6,
 * "bogus ethernet" colon run, identifier.  Errors found while scanning a
 * token (bad octal digit, 32-bit overflow, bogus addresses) are attached
 * to the token and raised by the parser when it reaches it, as libpcap
 * raises them from the scanner action.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "fint.h"

struct kw { const char *s; enum tok t; uint32_t v; };

static const struct kw keywords[] = {
	{"dst", T_DST, 0}, {"src", T_SRC, 0},
	{"link", T_PNAME, Q_LINK}, {"ether", T_PNAME, Q_LINK}, {"ppp", T_PNAME, Q_LINK},
	{"slip", T_PNAME, Q_LINK}, {"fddi", T_PNAME, Q_LINK}, {"tr", T_PNAME, Q_LINK},
	{"wlan", T_PNAME, Q_LINK},
	{"arp", T_PNAME, Q_ARP}, {"rarp", T_PNAME, Q_RARP}, {"ip", T_PNAME, Q_IP},
	{"sctp", T_PNAME, Q_SCTP}, {"tcp", T_PNAME, Q_TCP}, {"udp", T_PNAME, Q_UDP},
	{"icmp", T_PNAME, Q_ICMP}, {"igmp", T_PNAME, Q_IGMP}, {"igrp", T_PNAME, Q_IGRP},
	{"pim", T_PNAME, Q_PIM}, {"vrrp", T_PNAME, Q_VRRP}, {"carp", T_PNAME, Q_CARP},
	{"radio", T_PNAME, Q_RADIO}, {"ip6", T_PNAME, Q_IPV6}, {"icmp6", T_PNAME, Q_ICMPV6},
	{"ah", T_PNAME, Q_AH}, {"esp", T_PNAME, Q_ESP}, {"atalk", T_PNAME, Q_ATALK},
	{"aarp", T_PNAME, Q_AARP}, {"decnet", T_PNAME, Q_DECNET}, {"lat", T_PNAME, Q_LAT},
	{"sca", T_PNAME, Q_SCA}, {"moprc", T_PNAME, Q_MOPRC}, {"mopdl", T_PNAME, Q_MOPDL},
	{"iso", T_PNAME, Q_ISO}, {"esis", T_PNAME, Q_ESIS}, {"es-is", T_PNAME, Q_ESIS},
	{"isis", T_PNAME, Q_ISIS}, {"is-is", T_PNAME, Q_ISIS}, {"l1", T_PNAME, Q_ISIS_L1},
	{"l2", T_PNAME, Q_ISIS_L2}, {"iih", T_PNAME, Q_ISIS_IIH}, {"lsp", T_PNAME, Q_ISIS_LSP},
	{"snp", T_PNAME, Q_ISIS_SNP}, {"csnp", T_PNAME, Q_ISIS_CSNP},
	{"psnp", T_PNAME, Q_ISIS_PSNP}, {"clnp", T_PNAME, Q_CLNP}, {"stp", T_PNAME, Q_STP},
	{"ipx", T_PNAME, Q_IPX}, {"netbeui", T_PNAME, Q_NETBEUI},
	{"host", T_HOST, 0}, {"net", T_NET, 0}, {"mask", T_MASK, 0}, {"port", T_PORT, 0},
	{"portrange", T_PORTRANGE, 0}, {"proto", T_PROTO, 0}, {"protochain", T_PROTOCHAIN, 0},
	{"gateway", T_GATEWAY, 0},
	{"type", T_UNSUP, 0}, {"subtype", T_UNSUP, 0}, {"direction", T_UNSUP, 0},
	{"dir", T_UNSUP, 0},
	{"address1", T_WLANDIR, QD_ADDR1}, {"addr1", T_WLANDIR, QD_ADDR1},
	{"address2", T_WLANDIR, QD_ADDR2}, {"addr2", T_WLANDIR, QD_ADDR2},
	{"address3", T_WLANDIR, QD_ADDR3}, {"addr3", T_WLANDIR, QD_ADDR3},
	{"address4", T_WLANDIR, QD_ADDR4}, {"addr4", T_WLANDIR, QD_ADDR4},
	{"ra", T_WLANDIR, QD_RA}, {"ta", T_WLANDIR, QD_TA},
	{"less", T_LESS, 0}, {"greater", T_GREATER, 0}, {"byte", T_BYTE, 0},
	{"broadcast", T_BROADCAST, 0}, {"multicast", T_MULTICAST, 0},
	{"and", T_AND, 0}, {"or", T_OR, 0}, {"not", T_NOT, 0},
	{"len", T_LEN, 0}, {"length", T_LEN, 0},
	{"inbound", T_INBOUND, 0}, {"outbound", T_OUTBOUND, 0}, {"ifindex", T_UNSUP, 0},
	{"vlan", T_VLAN, 0}, {"mpls", T_MPLS, 0}, {"pppoed", T_PPPOED, 0},
	{"pppoes", T_PPPOES, 0}, {"geneve", T_GENEVE, 0},
	{"lane", T_UNSUP, 0}, {"llc", T_LLC, 0}, {"metac", T_UNSUP, 0}, {"bcc", T_UNSUP, 0},
	{"oam", T_UNSUP, 0}, {"oamf4", T_UNSUP, 0}, {"oamf4ec", T_UNSUP, 0},
	{"oamf4sc", T_UNSUP, 0}, {"sc", T_UNSUP, 0}, {"ilmic", T_UNSUP, 0},
	{"vpi", T_UNSUP, 0}, {"vci", T_UNSUP, 0}, {"connectmsg", T_UNSUP, 0},
	{"metaconnect", T_UNSUP, 0}, {"on", T_UNSUP, 0}, {"ifname", T_UNSUP, 0},
	{"rnr", T_UNSUP, 0}, {"rulenum", T_UNSUP, 0}, {"reason", T_UNSUP, 0},
	{"rset", T_UNSUP, 0}, {"ruleset", T_UNSUP, 0}, {"srnr", T_UNSUP, 0},
	{"subrulenum", T_UNSUP, 0}, {"action", T_UNSUP, 0}, {"fisu", T_UNSUP, 0},
	{"lssu", T_UNSUP, 0}, {"lsu", T_UNSUP, 0}, {"msu", T_UNSUP, 0},
	{"hfisu", T_UNSUP, 0}, {"hlssu", T_UNSUP, 0}, {"hmsu", T_UNSUP, 0},
	{"sio", T_UNSUP, 0}, {"opc", T_UNSUP, 0}, {"dpc", T_UNSUP, 0}, {"sls", T_UNSUP, 0},
	{"hsio", T_UNSUP, 0}, {"hopc", T_UNSUP, 0}, {"hdpc", T_UNSUP, 0},
	{"hsls", T_UNSUP, 0},
	/* named constants (scanner.l returns them as NUM) */
	{"icmptype", T_NUM, 0}, {"icmpcode", T_NUM, 1},
	{"icmp-echoreply", T_NUM, 0}, {"icmp-unreach", T_NUM, 3},
	{"icmp-sourcequench", T_NUM, 4}, {"icmp-redirect", T_NUM, 5},
	{"icmp-echo", T_NUM, 8}, {"icmp-routeradvert", T_NUM, 9},
	{"icmp-routersolicit", T_NUM, 10}, {"icmp-timxceed", T_NUM, 11},
	{"icmp-paramprob", T_NUM, 12}, {"icmp-tstamp", T_NUM, 13},
	{"icmp-tstampreply", T_NUM, 14}, {"icmp-ireq", T_NUM, 15},
	{"icmp-ireqreply", T_NUM, 16}, {"icmp-maskreq", T_NUM, 17},
	{"icmp-maskreply", T_NUM, 18},
	{"icmp6type", T_NUM, 0}, {"icmp6code", T_NUM, 1},
	{"icmp6-destinationunreach", T_NUM, 1}, {"icmp6-packettoobig", T_NUM, 2},
	{"icmp6-timeexceeded", T_NUM, 3}, {"icmp6-parameterproblem", T_NUM, 4},
	{"icmp6-echo", T_NUM, 128}, {"icmp6-echoreply", T_NUM, 129},
	{"icmp6-multicastlistenerquery", T_NUM, 130},
	{"icmp6-multicastlistenerreportv1", T_NUM, 131},
	{"icmp6-multicastlistenerdone", T_NUM, 132},
	{"icmp6-routersolicit", T_NUM, 133}, {"icmp6-routeradvert", T_NUM, 134},
	{"icmp6-neighborsolicit", T_NUM, 135}, {"icmp6-neighboradvert", T_NUM, 136},
	{"icmp6-redirect", T_NUM, 137}, {"icmp6-routerrenum", T_NUM, 138},
	{"icmp6-nodeinformationquery", T_NUM, 139},
	{"icmp6-nodeinformationresponse", T_NUM, 140},
	{"icmp6-ineighbordiscoverysolicit", T_NUM, 141},
	{"icmp6-ineighbordiscoveryadvert", T_NUM, 142},
	{"icmp6-multicastlistenerreportv2", T_NUM, 143},
	{"icmp6-homeagentdiscoveryrequest", T_NUM, 144},
	{"icmp6-homeagentdiscoveryreply", T_NUM, 145},
	{"icmp6-mobileprefixsolicit", T_NUM, 146},
	{"icmp6-mobileprefixadvert", T_NUM, 147},
	{"icmp6-certpathsolicit", T_NUM, 148}, {"icmp6-certpathadvert", T_NUM, 149},
	{"icmp6-multicastrouteradvert", T_NUM, 151},
	{"icmp6-multicastroutersolicit", T_NUM, 152},
	{"icmp6-multicastrouterterm", T_NUM, 153},
	{"tcpflags", T_NUM, 13}, {"tcp-fin", T_NUM, 0x01}, {"tcp-syn", T_NUM, 0x02},
	{"tcp-rst", T_NUM, 0x04}, {"tcp-push", T_NUM, 0x08}, {"tcp-ack", T_NUM, 0x10},
	{"tcp-urg", T_NUM, 0x20}, {"tcp-ece", T_NUM, 0x40}, {"tcp-cwr", T_NUM, 0x80},
};

static int ishex(int c) { return isxdigit((unsigned char)c); }
static int isdig(int c) { return c >= '0' && c <= '9'; }
static int isalnum_(int c) { return isalnum((unsigned char)c); }

/* [A-Za-z0-9]([-_.A-Za-z0-9]*[.A-Za-z0-9])? */
static int match_id(const char *s)
{
	if (!isalnum_(s[0]))
		return 0;
	int n = 1, last = 1;
	while (s[n] && (isalnum_(s[n]) || s[n] == '-' || s[n] == '_' || s[n] == '.')) {
		n++;
		if (isalnum_(s[n - 1]) || s[n - 1] == '.')
			last = n;
	}
	return last;
}

/* N: [0-9]+ | 0[xX][0-9A-Fa-f]+ */
static int match_n(const char *s)
{
	if ((s[0] == '0') && (s[1] == 'x' || s[1] == 'X') && ishex(s[2])) {
		int n = 2;
		while (ishex(s[n]))
			n++;
		return n;
	}
	int n = 0;
	while (isdig(s[n]))
		n++;
	return n;
}

/* N.N | N.N.N | N.N.N.N */
static int match_hid(const char *s)
{
	int n = match_n(s), best = 0, parts = 1;
	if (!n)
		return 0;
	while (parts < 4 && s[n] == '.') {
		int m = match_n(s + n + 1);
		if (!m)
			break;
		n += 1 + m;
		parts++;
		best = n;
	}
	return best;
}

static int hexrun(const char *s, int max)
{
	int n = 0;
	while (n < max && ishex(s[n]))
		n++;
	return n;
}

/* MAC: B:B:B:B:B:B, B-B-..., B.B.B.B.B.B, B2.B2.B2, B2B2B2 (B = 1-2 hex digits). */
static int match_mac(const char *s)
{
	int best = 0;
	static const char seps[] = ":-.";
	for (int k = 0; k < 3; k++) {
		int n = 0, ok = 1;
		for (int i = 0; i < 6; i++) {
			int h = hexrun(s + n, 2);
			if (!h) { ok = 0; break; }
			n += h;
			if (i < 5) {
				if (s[n] != seps[k]) { ok = 0; break; }
				n++;
			}
		}
		if (ok && n > best)
			best = n;
	}
	/* xxxx.xxxx.xxxx */
	if (hexrun(s, 4) == 4 && s[4] == '.' && hexrun(s + 5, 4) == 4 && s[9] == '.' &&
	    hexrun(s + 10, 4) == 4 && 14 > best)
		best = 14;
	/* 12 hex digits */
	if (hexrun(s, 12) == 12 && 12 > best)
		best = 12;
	return best;
}

/* {B}:+({B}:+)+ */
static int match_bogus(const char *s)
{
	int n = 0, groups = 0;
	for (;;) {
		int h = hexrun(s + n, 2);
		if (!h || s[n + h] != ':')
			break;
		n += h;
		while (s[n] == ':')
			n++;
		groups++;
	}
	return groups >= 2 ? n : 0;
}

/* Is s[0..len) one of the IPv6 textual forms of scanner.l? */
static int is_v6_form(const char *s, int len)
{
	int groups = 0, dbl = 0, i = 0, quad = 0;
	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		dbl = 1;
		i = 2;
		if (i == len)
			return 1;
	} else if (len >= 1 && s[0] == ':')
		return 0;
	while (i < len) {
		/* one group: hex (1-4) or a dotted quad at the end */
		int h = 0;
		while (i + h < len && ishex(s[i + h]))
			h++;
		if (i + h < len && s[i + h] == '.') {
			int q = match_hid(s + i);
			int dots = 0;
			for (int j = i; j < i + q; j++)
				dots += s[j] == '.';
			if (q != len - i || dots != 3)
				return 0;
			quad = 1;
			groups += 2;
			i = len;
			break;
		}
		if (h < 1 || h > 4)
			return 0;
		groups++;
		i += h;
		if (i == len)
			break;
		if (s[i] != ':')
			return 0;
		i++;
		if (i < len && s[i] == ':') {
			if (dbl)
				return 0;
			dbl = 1;
			i++;
			if (i == len)
				break;
		} else if (i == len)
			return 0;
	}
	(void)quad;
	if (dbl)
		return groups <= 7;
	return groups == 8;
}

static int match_v6(const char *s)
{
	int run = 0;
	/* No IPv6 text is longer than 45 characters (groups of at most 4 hex
	 * digits, a dotted quad at the end), so longer runs need not be tried:
	 * trying every prefix of a long run would take quadratic time. */
	while (s[run] && run < 64 && (ishex(s[run]) || s[run] == ':' || s[run] == '.'))
		run++;
	for (int l = run; l >= 2; l--) {
		int colons = 0;
		for (int j = 0; j < l; j++)
			colons += s[j] == ':';
		if (colons >= 2 && is_v6_form(s, l))
			return l;
	}
	return 0;
}

/* libpcap's stoulen: decimal, 0x hex, leading-0 octal, 32-bit overflow check. */
static const char *conv_num(struct fstate *st, const char *s, int n, uint32_t *out)
{
	uint64_t v = 0;
	int base = 10, i = 0;
	if (n > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (n > 1 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	char *txt = fz_strdup(st, s, (size_t)n);
	for (; i < n; i++) {
		int c = (unsigned char)s[i], d;
		if (isdig(c))
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			d = c - 'A' + 10;
		if (base == 8 && d > 7) {
			char *m = fz_alloc(st, 64 + (size_t)n);
			sprintf(m, "number %s contains non-octal digit", txt);
			return m;
		}
		v = v * (uint64_t)base + (uint64_t)d;
		if (v > 0xffffffffu) {
			char *m = fz_alloc(st, 64 + (size_t)n);
			sprintf(m, "number %s overflows 32 bits", txt);
			return m;
		}
	}
	*out = (uint32_t)v;
	return NULL;
}

static void scan(struct fstate *st, struct token *t)
{
	const char *p = st->p;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	memset(t, 0, sizeof *t);
	t->pos = (int)(p - st->expr);
	if (!*p) {
		t->t = T_EOF;
		t->len = 1;
		st->p = p;
		return;
	}
	/* Two-character operators first (longest match). */
	static const struct { const char *s; enum tok t; } ops2[] = {
		{">=", T_GE}, {"<=", T_LE}, {"!=", T_NEQ}, {"==", T_EQ}, {"<<", T_LSH},
		{">>", T_RSH}, {"&&", T_AND}, {"||", T_OR},
	};
	for (size_t i = 0; i < sizeof ops2 / sizeof ops2[0]; i++)
		if (p[0] == ops2[i].s[0] && p[1] == ops2[i].s[1]) {
			t->t = ops2[i].t;
			t->len = 2;
			st->p = p + 2;
			return;
		}
	static const char ops1[] = "+-*/%:[]!<>()&|^=";
	static const enum tok tops1[] = {T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_COLON,
		T_LBRACK, T_RBRACK, T_NOT, T_LT, T_GT, T_LPAREN, T_RPAREN, T_AMP, T_PIPE,
		T_CARET, T_EQ};
	const char *o = strchr(ops1, *p);
	/* '-' and the like never start an address or identifier. */
	if (o && *p != ':') {
		t->t = tops1[o - ops1];
		t->len = 1;
		st->p = p + 1;
		return;
	}
	if (*p == '\\') {
		int n = 1;
		while (p[n] && !strchr(" !()\n\t", p[n]))
			n++;
		if (n > 1) {
			t->t = T_ID;
			t->s = fz_strdup(st, p + 1, (size_t)(n - 1));
			t->len = n;
			st->p = p + n;
			return;
		}
		t->t = T_ERR;
		t->len = 1;
		st->p = p + 1;
		return;
	}
	int lid = match_id(p), lmac = match_mac(p), lnum = match_n(p), lhid = match_hid(p);
	int lv6 = match_v6(p), lbog = match_bogus(p);
	int best = lid;
	if (lmac > best) best = lmac;
	if (lnum > best) best = lnum;
	if (lhid > best) best = lhid;
	if (lv6 > best) best = lv6;
	if (lbog > best) best = lbog;
	if (best == 0) {
		if (*p == ':') {
			t->t = T_COLON;
			t->len = 1;
			st->p = p + 1;
			return;
		}
		t->t = T_ERR;
		t->len = 1;
		st->p = p + 1;
		return;
	}
	t->len = best;
	st->p = p + best;
	char *txt = fz_strdup(st, p, (size_t)best);
	t->s = txt;
	if (lid == best) {
		for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
			if (strcmp(keywords[i].s, txt) == 0) {
				t->t = keywords[i].t;
				t->v = keywords[i].v;
				return;
			}
	}
	if (lmac == best) {
		t->t = T_EID;
		return;
	}
	if (lnum == best) {
		t->t = T_NUM;
		t->lexerr = conv_num(st, p, best, &t->v);
		return;
	}
	if (lhid == best) {
		t->t = T_HID;
		return;
	}
	if (lv6 == best) {
		struct in6_addr a;
		t->t = T_HID6;
		if (inet_pton(AF_INET6, txt, &a) != 1) {
			char *m = fz_alloc(st, 64 + (size_t)best);
			sprintf(m, "bogus IPv6 address %s", txt);
			t->lexerr = m;
		}
		return;
	}
	if (lbog == best) {
		char *m = fz_alloc(st, 64 + (size_t)best);
		sprintf(m, "bogus ethernet address %s", txt);
		t->t = T_EID;
		t->lexerr = m;
		return;
	}
	t->t = T_ID;
}

/* Tokenise the whole expression once; pmatch[i] is the index of the
 * parenthesis matching token i (-1 when unmatched or not a parenthesis). */
void lex_all(struct fstate *st, const char *expr)
{
	size_t cap = 64, n = 0;
	struct token *v = fz_alloc(st, cap * sizeof *v);
	st->expr = expr;
	st->p = expr;
	for (;;) {
		if (n == cap) {
			struct token *nv = fz_alloc(st, 2 * cap * sizeof *v);
			memcpy(nv, v, cap * sizeof *v);
			v = nv;
			cap *= 2;
		}
		scan(st, &v[n]);
		if (v[n++].t == T_EOF)
			break;
	}
	int *m = fz_alloc(st, n * sizeof *m), *stack = fz_alloc(st, n * sizeof *m), sp = 0;
	for (size_t i = 0; i < n; i++) {
		m[i] = -1;
		if (v[i].t == T_LPAREN)
			stack[sp++] = (int)i;
		else if (v[i].t == T_RPAREN && sp > 0) {
			int o = stack[--sp];
			m[o] = (int)i;
			m[i] = o;
		}
	}
	st->toks = v;
	st->ntoks = (int)n;
	st->pmatch = m;
	st->ti = 0;
}
