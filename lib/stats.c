/* stats.c — count a capture in one pass: summary, quality findings,
 * protocols, hierarchy, top talkers, time series and packet sizes.
 *
 * Every packet is decoded once (pk_decode); everything else is counting in
 * fixed tables, except the top-talker tables, which grow (exactly, up to a
 * cap) and the time series.  The `protocols` object follows the semantics of
 * tcpdump's primitives of the same name (so `tcpdump -r F tcp | wc -l` is an
 * oracle), extended to count VLAN-tagged packets too: `ip` is the EtherType
 * (after any tags), `tcp`/`udp`/`icmp` the IPv4 protocol field, and for IPv6
 * the next-header field of the fixed header or of a fragment header right
 * after it (pcap-filter(7), "ip6 proto").
 */
#include <stdlib.h>
#include <string.h>

#include "pcapkit/decode.h"
#include "stats_int.h"

const char *const pk_stats_proto_names[P_COUNT] = {
	"eth", "vlan", "arp", "ipv4", "ipv6", "tcp", "udp", "icmp", "icmp6",
	"frag", "other",
};

static char *
xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

struct pk_stats *
pk_stats_new(const struct pk_stats_opts *opts)
{
	struct pk_stats *s = calloc(1, sizeof *s);
	unsigned i;

	if (!s)
		return NULL;
	if (opts)
		s->o = *opts;
	s->smallest = UINT64_MAX;
	s->tcp = calloc(PK_STATS_TCP_SLOTS, sizeof *s->tcp);
	s->tcp_tag = calloc(PK_STATS_TCP_SLOTS, sizeof *s->tcp_tag);
	for (i = 0; i < T_COUNT; i++) {
		s->t[i].cap = 1024;
		s->t[i].e = calloc(s->t[i].cap, sizeof *s->t[i].e);
		if (!s->t[i].e)
			goto fail;
	}
	if (!s->tcp || !s->tcp_tag)
		goto fail;
	s->nh = 1;     /* node 0 is the root */
	return s;
fail:
	pk_stats_free(s);
	return NULL;
}

static void
free_info(struct pk_stats *s)
{
	unsigned i;

	for (i = 0; i < s->n_ifaces; i++) {
		free(s->ifaces[i].name);
		free(s->ifaces[i].description);
		free(s->ifaces[i].filter);
		free(s->ifaces[i].os);
	}
	free(s->ifaces);
	s->ifaces = NULL;
	s->n_ifaces = 0;
	free(s->shb_hardware);
	free(s->shb_os);
	free(s->shb_application);
	free(s->shb_comment);
	s->shb_hardware = s->shb_os = s->shb_application = s->shb_comment = NULL;
}

void
pk_stats_free(struct pk_stats *s)
{
	unsigned i;

	if (!s)
		return;
	free_info(s);
	for (i = 0; i < T_COUNT; i++)
		free(s->t[i].e);
	free(s->tcp);
	free(s->tcp_tag);
	free(s->hpool);
	free(s->bucket);
	free(s->name);
	free(s->error);
	free(s);
}

int
pk_stats_begin(struct pk_stats *s, const char *name, const struct pk_reader *r)
{
	const struct pk_capinfo *ci = r ? pk_reader_info(r) : NULL;
	char *n;

	s->nfiles++;
	n = strdup(s->nfiles > 1 ? "total" : (name ? name : "-"));
	if (!n)
		return -1;
	free(s->name);
	s->name = n;
	s->cur = r;
	s->cur_ci = ci;
	s->cur_snaplen = ci ? ci->snaplen : 0;
	if (!ci)
		return 0;
	if (!s->have_info) {
		s->have_info = 1;
		s->format = ci->format;
		s->big_endian = ci->big_endian;
		s->nano = ci->nano;
		s->vmajor = ci->version_major;
		s->vminor = ci->version_minor;
		s->snaplen = ci->snaplen;
		s->linktype = ci->linktype;
		s->file_size = pk_reader_size(r);
	} else {
		int64_t sz = pk_reader_size(r);
		if (ci->format != s->format)
			s->mixed_format = 1;
		if (ci->snaplen > s->snaplen)
			s->snaplen = ci->snaplen;
		s->nano |= ci->nano;
		s->file_size = (s->file_size < 0 || sz < 0) ? -1 : s->file_size + sz;
	}
	return 0;
}

/* ---- per-packet helpers ------------------------------------------------- */

static inline uint64_t
rd64le(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	       (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline uint64_t
rd32le(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
}

/* The host's view of a word whose bytes are given little-endian (byte 0 in
 * bits 0-7): the word that has those bytes in that order in memory. */
static inline uint64_t
host_word(uint64_t le)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap64(le);
#else
	return le;
#endif
}

static inline uint64_t
rd64be(const uint8_t *p)
{
	return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 |
	       (uint64_t)p[3] << 32 | (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
	       (uint64_t)p[6] << 8 | (uint64_t)p[7];
}

/* memcmp's order of two addresses of ALEN (4 or 16) bytes, as -1, 0, 1. */
static inline int
addr_cmp(const uint8_t *a, const uint8_t *b, unsigned alen)
{
	uint64_t x, y;

	if (alen == 4) {
		x = (uint64_t)a[0] << 24 | (uint64_t)a[1] << 16 | (uint64_t)a[2] << 8 | a[3];
		y = (uint64_t)b[0] << 24 | (uint64_t)b[1] << 16 | (uint64_t)b[2] << 8 | b[3];
	} else {
		x = rd64be(a);
		y = rd64be(b);
		if (x == y) {
			x = rd64be(a + 8);
			y = rd64be(b + 8);
		}
	}
	return (x > y) - (x < y);
}

/* Make LINKTYPE appear in the list (with no packets yet). */
static void
ensure_link(struct pk_stats *s, int linktype)
{
	unsigned i;

	for (i = 0; i < s->nlinks; i++)
		if (s->links[i].linktype == linktype)
			return;
	if (s->nlinks < MAXLINKS) {
		s->links[s->nlinks].linktype = linktype;
		s->links[s->nlinks++].packets = 0;
	}
}

static void
count_link(struct pk_stats *s, int linktype)
{
	unsigned i;

	for (i = 0; i < s->nlinks; i++)
		if (s->links[i].linktype == linktype) {
			s->links[i].packets++;
			return;
		}
	if (s->nlinks < MAXLINKS) {
		s->links[s->nlinks].linktype = linktype;
		s->links[s->nlinks++].packets = 1;
	} else {
		s->links_other++;
	}
}

static void
quality_time(struct pk_stats *s, int64_t ns)
{
	if (s->have_prev) {
		if (ns < s->prev_ns) {
			s->backwards++;
			if (s->prev_ns - ns > s->backwards_max)
				s->backwards_max = s->prev_ns - ns;
		}
		if (ns == s->prev_ns) {
			if (++s->run_len == 2)
				s->runs++;
			if (s->run_len > s->run_max)
				s->run_max = s->run_len;
		} else {
			s->run_len = 1;
		}
	} else {
		s->run_len = 1;
	}
	s->have_prev = 1;
	s->prev_ns = ns;
}

/*
 * Duplicates: a packet whose length, caplen, first DUP_HEAD and last
 * DUP_TAIL captured bytes equal those of one of the previous
 * PK_STATS_DUP_WINDOW packets.  The head holds every header with its
 * checksum (which covers the payload), so for IP traffic this is a
 * byte-identical test in all but name, at a fraction of the cost of
 * comparing every byte; packets up to DUP_HEAD + DUP_TAIL bytes are compared
 * whole.  Each packet's compared bytes are kept in a ring with a cheap
 * fingerprint of them: only a fingerprint match costs a byte comparison.
 */

/* Fingerprint of a packet's lengths and bytes for the duplicate check: its
 * first 64 and last 16 captured bytes (all of them when fewer), in two
 * multiply-xor lanes over 64-bit words.  Equal packets have equal
 * fingerprints; unequal ones rarely do, and then only cost a comparison. */
#define FP_K1 0x9e3779b97f4a7c15ull
#define FP_K2 0xc2b2ae3d27d4eb4full

static inline uint64_t
fingerprint(const uint8_t *p, uint32_t caplen, uint32_t len)
{
	uint64_t a = (uint64_t)caplen << 32 | len, b = ~a;
	uint32_t i;

	if (caplen >= 64) {
		for (i = 0; i < 64; i += 16) {
			a = (a ^ rd64le(p + i)) * FP_K1;
			b = (b ^ rd64le(p + i + 8)) * FP_K2;
		}
		a = (a ^ rd64le(p + caplen - 16)) * FP_K1;
		b = (b ^ rd64le(p + caplen - 8)) * FP_K2;
	} else if (caplen >= 8) {
		for (i = 0; i + 16 <= caplen; i += 16) {
			a = (a ^ rd64le(p + i)) * FP_K1;
			b = (b ^ rd64le(p + i + 8)) * FP_K2;
		}
		if (i + 8 <= caplen)
			a = (a ^ rd64le(p + i)) * FP_K1;
		if (i < caplen)
			b = (b ^ rd64le(p + caplen - 8)) * FP_K2;
	} else {
		for (i = 0; i < caplen; i++)
			a = (a ^ p[i]) * FP_K1;
	}
	return a ^ (b >> 29) ^ (b << 35);
}

static void
quality_dup(struct pk_stats *s, const uint8_t *data, uint32_t caplen, uint32_t len)
{
	int whole = caplen <= DUP_HEAD + DUP_TAIL;
	const uint8_t *tail = whole ? data : data + caplen - DUP_TAIL;
	uint64_t fp = fingerprint(data, caplen, len);
	uint32_t fp32 = (uint32_t)(fp ^ fp >> 32);
	unsigned i, pos = s->dup_pos, any = 0;
	uint8_t *b;

	/* Any slot with the same folded fingerprint?  (A loop the compiler
	 * can vectorize; a match is rare, and only then are slots looked at.) */
	for (i = 0; i < PK_STATS_DUP_WINDOW; i++)
		any |= s->dup_fp32[i] == fp32;
	for (i = 0; any && i < s->dup_fill; i++) {
		if (s->dup_fp[i] != fp || s->dup_caplen[i] != caplen || s->dup_len[i] != len)
			continue;
		b = s->dup_b[i];
		if (whole ? caplen == 0 || memcmp(b, data, caplen) == 0 :
		    memcmp(b, data, DUP_HEAD) == 0 && memcmp(b + DUP_HEAD, tail, DUP_TAIL) == 0) {
			s->duplicates++;
			break;
		}
	}
	s->dup_fp32[pos] = fp32;
	s->dup_fp[pos] = fp;
	s->dup_caplen[pos] = caplen;
	s->dup_len[pos] = len;
	b = s->dup_b[pos];
	if (whole) {
		if (caplen)
			memcpy(b, data, caplen);
	} else {
		memcpy(b, data, DUP_HEAD);
		memcpy(b + DUP_HEAD, tail, DUP_TAIL);
	}
	s->dup_pos = (pos + 1) % PK_STATS_DUP_WINDOW;
	if (s->dup_fill < PK_STATS_DUP_WINDOW)
		s->dup_fill++;
}

/* pcap-filter's "ip proto" / "ip6 proto" view of the upper protocol:
 * -1 when the byte was not captured. */
static int
filter_proto(const struct pk_layers *L, int v6)
{
	uint32_t off = L->l2_len;

	if (!v6)
		return (off <= L->caplen && L->caplen - off > 9) ? L->pkt[off + 9] : -1;
	if (off > L->caplen || L->caplen - off <= 6)
		return -1;
	if (L->pkt[off + 6] != 44)
		return L->pkt[off + 6];
	return (L->caplen - off > 40) ? L->pkt[off + 40] : -1;
}

static void
pcount(struct pcount *c, uint32_t len)
{
	c->packets++;
	c->bytes += len;
}

static void
count_protocols(struct pk_stats *s, const struct pk_layers *L)
{
	struct pcount *P = s->proto;
	uint32_t len = L->len;
	uint16_t et;
	int v6, pr;

	if (L->linktype == PK_LINK_EN10MB)
		pcount(&P[P_ETH], len);
	if (L->n_vlan)
		pcount(&P[P_VLAN], len);
	if (L->have & PK_HAVE_FRAG)
		pcount(&P[P_FRAG], len);
	if (!(L->have & PK_HAVE_LINK))
		return;
	et = L->ethertype;
	/* LINKTYPE_IPV4/IPV6 say the version; libpcap believes the link type. */
	if (L->linktype == PK_LINK_IPV4)
		et = 0x0800;
	else if (L->linktype == PK_LINK_IPV6)
		et = 0x86dd;
	switch (et) {
	case 0x0806:
		pcount(&P[P_ARP], len);
		return;
	case 0x0800:
		v6 = 0;
		pcount(&P[P_IPV4], len);
		break;
	case 0x86dd:
		v6 = 1;
		pcount(&P[P_IPV6], len);
		break;
	default:
		pcount(&P[P_OTHER], len);
		return;
	}
	pr = filter_proto(L, v6);
	if (pr == 6)
		pcount(&P[P_TCP], len);
	else if (pr == 17)
		pcount(&P[P_UDP], len);
	else if (pr == 1 && !v6)
		pcount(&P[P_ICMP], len);
	else if (pr == 58 && v6)
		pcount(&P[P_ICMP6], len);
}

/* ---- hierarchy ---------------------------------------------------------- */

unsigned
pk_stats_hchild(struct pk_stats *s, unsigned parent, uint32_t label)
{
	unsigned c;

	for (c = s->h[parent].child; c; c = s->h[c].sibling)
		if (s->h[c].label == label)
			return c;
	if (s->nh >= HMAX)
		return 0;
	c = s->nh++;
	s->h[c].label = label;
	s->h[c].parent = (uint16_t)parent;
	s->h[c].sibling = s->h[parent].child;
	s->h[parent].child = (uint16_t)c;
	return c;
}

/*
 * The hierarchy path of a packet: link, tags, EtherType, IPv6 extension
 * headers, then the upper protocol or "frag".  Only the node where the
 * path ends is counted here; pk_stats_end adds the counts to its ancestors
 * (hfold).  A path without extension headers is a function of a few
 * fields, packed into a signature and looked up in a small cache of paths
 * seen before; a miss (or extension headers) walks the tree, making nodes.
 */
static void
count_hierarchy(struct pk_stats *s, const struct pk_layers *L)
{
	uint32_t path[HPATH], last = 0;
	unsigned n = 0, i, node = 0, over = 0, nv = 0;
	uint32_t have = L->have;
	struct hpath *c = NULL;
	uint64_t sig;

	if (have & (PK_HAVE_IPV4 | PK_HAVE_IPV6)) {
		if (have & (PK_HAVE_TCP | PK_HAVE_UDP | PK_HAVE_ICMP | PK_HAVE_ICMP6 | PK_HAVE_SCTP))
			last = HK_IPPROTO << 16 | L->ip_proto;
		else if ((have & PK_HAVE_FRAG) && L->frag_off)
			last = HK_FRAG << 16;
		else if (L->status == PK_DEC_OK || L->status == PK_DEC_UNSUPPORTED)
			last = HK_IPPROTO << 16 | L->ip_proto;
	}
	if (have & PK_HAVE_LINK)
		nv = L->n_vlan < PK_MAX_VLAN ? L->n_vlan : PK_MAX_VLAN;
	if (!(have & PK_HAVE_IPV6) || !L->n_ipext) {
		/* bits 0-15 link type, 16 link decoded, 17-20 tags, 21-36
		 * EtherType, 37-55 last label (kind < 8, value < 2^16), 56 IPv6, 63 set */
		_Static_assert(PK_MAX_VLAN < 16 && HK_IPPROTO < 8, "the signature's fields fit");
		sig = 1ull << 63 | ((uint64_t)L->linktype & 0xffff) | (uint64_t)last << 37;
		if (have & PK_HAVE_LINK)
			sig |= 1u << 16 | nv << 17 | (uint64_t)L->ethertype << 21;
		if (have & PK_HAVE_IPV6)    /* bit 56: the IP under a shim is v6 */
			sig |= 1ull << 56;
		c = &s->hcache[(sig * 0x9e3779b97f4a7c15ull) >> (64 - 6)];
		_Static_assert(HCACHE == 1 << 6, "the cache index takes 6 bits");
		if (c->sig == sig) {
			s->h_overflow += c->overflow;
			pcount(&s->hself[c->node], L->len);
			return;
		}
	}
	path[n++] = HK_LINK << 16 | ((uint32_t)L->linktype & 0xffff);
	if (have & PK_HAVE_LINK) {
		for (i = 0; i < nv; i++)
			path[n++] = HK_VLAN << 16;
		path[n++] = HK_ETHERTYPE << 16 | L->ethertype;
		/* PPPoE session and MPLS are shims the decoder walks through
		 * (decode_shim): the IP version under them is a layer of its own,
		 * eth.mpls.ipv4.tcp, not eth.mpls.tcp. */
		if ((have & (PK_HAVE_IPV4 | PK_HAVE_IPV6)) && L->ethertype != 0x0800 &&
		    L->ethertype != 0x86dd)
			path[n++] = HK_ETHERTYPE << 16 | (have & PK_HAVE_IPV6 ? 0x86dd : 0x0800);
	}
	if (have & PK_HAVE_IPV6) {
		unsigned ne = L->n_ipext < PK_MAX_IPEXT ? L->n_ipext : PK_MAX_IPEXT;
		for (i = 0; i < ne; i++)
			path[n++] = HK_IP6EXT << 16 | L->ipext[i];
	}
	if (last)
		path[n++] = last;
	for (i = 0; i < n; i++) {
		unsigned next = pk_stats_hchild(s, node, path[i]);
		if (!next) {
			over = 1;
			break;
		}
		node = next;
	}
	if (c) {
		c->sig = sig;
		c->node = (uint16_t)node;
		c->overflow = (uint8_t)over;
	}
	s->h_overflow += over;
	pcount(&s->hself[node], L->len);
}

/* Add each node's own counts to it and to every ancestor.  A node's parent
 * was made before it (a lower index), so one pass from the last node back
 * carries every count up. */
static void
hfold(struct pk_stats *s)
{
	unsigned c;

	for (c = s->nh; c-- > 0;) {
		struct pcount *d = &s->hself[c];
		if (!d->packets && !d->bytes)
			continue;
		s->h[c].packets += d->packets;
		s->h[c].bytes += d->bytes;
		if (c) {
			s->hself[s->h[c].parent].packets += d->packets;
			s->hself[s->h[c].parent].bytes += d->bytes;
		}
		d->packets = d->bytes = 0;
	}
}

void
pk_stats_hlabel(uint32_t label, char *buf, size_t cap)
{
	unsigned v = label & 0xffff;
	char lt[32];

	switch (label >> 16) {
	case HK_LINK:
		switch ((int)v) {
		case PK_LINK_EN10MB: snprintf(buf, cap, "eth"); return;
		case PK_LINK_LINUX_SLL: snprintf(buf, cap, "sll"); return;
		case PK_LINK_LINUX_SLL2: snprintf(buf, cap, "sll2"); return;
		case PK_LINK_NULL: snprintf(buf, cap, "null"); return;
		case PK_LINK_LOOP: snprintf(buf, cap, "loop"); return;
		case PK_LINK_RAW: case PK_LINK_RAW_OLD12: case PK_LINK_RAW_OLD14:
		case PK_LINK_IPV4: case PK_LINK_IPV6:
			snprintf(buf, cap, "raw"); return;
		}
		snprintf(buf, cap, "%s", pk_linktype_name((int)v, lt));
		return;
	case HK_VLAN: snprintf(buf, cap, "vlan"); return;
	case HK_FRAG: snprintf(buf, cap, "frag"); return;
	case HK_ETHERTYPE:
		switch (v) {
		case 0x0800: snprintf(buf, cap, "ipv4"); return;
		case 0x86dd: snprintf(buf, cap, "ipv6"); return;
		case 0x0806: snprintf(buf, cap, "arp"); return;
		case 0x8847: snprintf(buf, cap, "mpls"); return;     /* tcpdump's filter words */
		case 0x8863: snprintf(buf, cap, "pppoed"); return;
		case 0x8864: snprintf(buf, cap, "pppoes"); return;
		}
		snprintf(buf, cap, "ethertype 0x%04x", v);
		return;
	case HK_IP6EXT:
		switch (v) {
		case 0: snprintf(buf, cap, "hopopts"); return;
		case 43: snprintf(buf, cap, "routing"); return;
		case 44: snprintf(buf, cap, "fragment"); return;
		case 60: snprintf(buf, cap, "dstopts"); return;
		case 51: snprintf(buf, cap, "ah"); return;
		case 135: snprintf(buf, cap, "mobility"); return;
		}
		snprintf(buf, cap, "ext %u", v);
		return;
	case HK_IPPROTO:
		switch (v) {
		case 1: snprintf(buf, cap, "icmp"); return;
		case 2: snprintf(buf, cap, "igmp"); return;
		case 4: snprintf(buf, cap, "ipip"); return;
		case 6: snprintf(buf, cap, "tcp"); return;
		case 17: snprintf(buf, cap, "udp"); return;
		case 41: snprintf(buf, cap, "ipv6-in-ip"); return;
		case 47: snprintf(buf, cap, "gre"); return;
		case 50: snprintf(buf, cap, "esp"); return;
		case 58: snprintf(buf, cap, "icmp6"); return;
		case 59: snprintf(buf, cap, "nonext"); return;
		case 89: snprintf(buf, cap, "ospf"); return;
		case 103: snprintf(buf, cap, "pim"); return;
		case 112: snprintf(buf, cap, "vrrp"); return;
		case 132: snprintf(buf, cap, "sctp"); return;
		}
		snprintf(buf, cap, "proto %u", v);
		return;
	}
	snprintf(buf, cap, "?");
}

/* ---- top talkers ---------------------------------------------------------- */

/*
 * Double T.  A grown table is dense (3/8 full), so every page of the new
 * array is written once here: a fresh page first touched by a probe's read
 * would fault twice (the shared zero page, then a copy on the first key).
 */
static int
tgrow(struct ttable *t)
{
	uint32_t ncap = t->cap * 2, i;
	struct tent *ne = calloc(ncap, sizeof *ne);
	size_t size = (size_t)ncap * sizeof *ne, off;

	if (!ne)
		return -1;
	for (off = 0; off < size; off += 4096)
		((volatile uint8_t *)ne)[off] = 0;
	for (i = 0; i < t->cap; i++) {
		struct tent *e = &t->e[i];
		uint32_t j;
		if (!e->k[0])
			continue;
		j = pk_stats_khash(e->w) & (ncap - 1);
		while (ne[j].k[0])
			j = (j + 1) & (ncap - 1);
		ne[j] = *e;
	}
	free(t->e);
	t->e = ne;
	t->cap = ncap;
	return 0;
}

int
pk_stats_tadd(struct ttable *t, const uint64_t *key, uint32_t h, uint64_t packets,
              uint64_t bytes)
{
	uint32_t j = h & (t->cap - 1);
	struct tent *e;

	for (;;) {
		e = &t->e[j];
		if (!e->k[0])
			break;
		if (pk_stats_keq(e->w, key)) {
			e->packets += packets;
			e->bytes += bytes;
			return 0;
		}
		j = (j + 1) & (t->cap - 1);
	}
	/* New key: keep the load at most 3/4, stop growing at the cap. */
	if (t->n >= PK_STATS_MAX_KEYS || ((uint64_t)(t->n + 1) * 4 > (uint64_t)t->cap * 3 && tgrow(t) < 0)) {
		t->untracked.packets += packets;
		t->untracked.bytes += bytes;
		return -1;
	}
	j = h & (t->cap - 1);
	while (t->e[j].k[0])
		j = (j + 1) & (t->cap - 1);
	e = &t->e[j];
	memcpy(e->w, key, sizeof e->w);
	e->packets = packets;
	e->bytes = bytes;
	t->n++;
	return 0;
}

/* Count one packet of LEN bytes for KEY: the common case (the key is
 * there) inline, a new key through pk_stats_tadd.  Unless V6, KEY is an
 * IPv4 address or pair or a port: only words 0 and 2 can be nonzero, in it
 * and in any entry whose word 0 (the family byte) equals its own. */
static inline void
tcount(struct ttable *t, const uint64_t *key, uint32_t h, uint32_t len, int v6)
{
	uint32_t j = h & (t->cap - 1);

	for (;;) {
		struct tent *e = &t->e[j];
		/* never an empty slot: keys have k[0] != 0 */
		if (e->w[0] == key[0] && e->w[2] == key[2] &&
		    (!v6 || ((e->w[1] ^ key[1]) | (e->w[3] ^ key[3]) | (e->w[4] ^ key[4])) == 0)) {
			e->packets++;
			e->bytes += len;
			return;
		}
		if (!e->k[0])
			break;
		j = (j + 1) & (t->cap - 1);
	}
	(void)pk_stats_tadd(t, key, h, 1, len);
}

/* A talker key waiting to be counted (keys are made and their slots
 * prefetched before the other work on the packet, to overlap the misses). */
struct pend {
	struct ttable *t;
	uint32_t h;
	int      v6;
	uint64_t w[TWORDS];
};

/* Set P's key words (given in the little-endian view: byte 0 lowest) and
 * its table, hash it and prefetch its slot. */
static inline void
pend_set(struct pend *p, struct ttable *t, int v6, uint64_t w0, uint64_t w1, uint64_t w2,
         uint64_t w3, uint64_t w4)
{
	p->w[0] = host_word(w0);
	p->w[1] = host_word(w1);
	p->w[2] = host_word(w2);
	p->w[3] = host_word(w3);
	p->w[4] = host_word(w4);
	p->t = t;
	p->v6 = v6;
	p->h = pk_stats_khash(p->w);
	__builtin_prefetch(&t->e[p->h & (t->cap - 1)]);
}

/*
 * Make the keys of a packet's address, pair and port counters.  The key
 * words are composed in registers from the address words (the byte layout
 * of struct tent: family at byte 0, an address at byte 1, the pair's second
 * at byte 17): written byte by byte and read back as words, they would
 * stall on store forwarding.
 */
static unsigned
talker_keys(struct pk_stats *s, const struct pk_layers *L, struct pend *p)
{
	unsigned n = 0;
	int cmp;

	if (!(L->have & (PK_HAVE_IPV4 | PK_HAVE_IPV6)) || !L->ip_src || !L->ip_dst)
		return 0;
	if (L->ip_ver == 6) {
		uint64_t s0 = rd64le(L->ip_src), s1 = rd64le(L->ip_src + 8);
		uint64_t d0 = rd64le(L->ip_dst), d1 = rd64le(L->ip_dst + 8);
		uint64_t a0, a1, b0, b1;
		cmp = addr_cmp(L->ip_src, L->ip_dst, 16);
		a0 = cmp > 0 ? d0 : s0;
		a1 = cmp > 0 ? d1 : s1;
		b0 = cmp > 0 ? s0 : d0;
		b1 = cmp > 0 ? s1 : d1;
		pend_set(&p[n++], &s->t[T_ADDR], 1, 6 | s0 << 8, s0 >> 56 | s1 << 8, s1 >> 56, 0, 0);
		if (cmp != 0)      /* count a packet once per address */
			pend_set(&p[n++], &s->t[T_ADDR], 1, 6 | d0 << 8, d0 >> 56 | d1 << 8,
			         d1 >> 56, 0, 0);
		pend_set(&p[n++], &s->t[T_PAIR], 1, 6 | a0 << 8, a0 >> 56 | a1 << 8,
		         a1 >> 56 | b0 << 8, b0 >> 56 | b1 << 8, b1 >> 56);
	} else {
		uint64_t s0 = rd32le(L->ip_src), d0 = rd32le(L->ip_dst);
		cmp = addr_cmp(L->ip_src, L->ip_dst, 4);
		pend_set(&p[n++], &s->t[T_ADDR], 0, 4 | s0 << 8, 0, 0, 0, 0);
		if (cmp != 0)
			pend_set(&p[n++], &s->t[T_ADDR], 0, 4 | d0 << 8, 0, 0, 0, 0);
		pend_set(&p[n++], &s->t[T_PAIR], 0, 4 | (cmp > 0 ? d0 : s0) << 8, 0,
		         (cmp > 0 ? s0 : d0) << 8, 0, 0);
	}

	if (L->have & (PK_HAVE_TCP | PK_HAVE_UDP)) {
		uint16_t port;
		int tcp = (L->have & PK_HAVE_TCP) != 0;
		/* The server side: the destination of a SYN, the source of a
		 * SYN-ACK, otherwise the lower port (services sit low). */
		if (tcp && (L->tcp_flags & (PK_TH_SYN | PK_TH_ACK)) == PK_TH_SYN)
			port = L->dport;
		else if (tcp && (L->tcp_flags & (PK_TH_SYN | PK_TH_ACK)) == (PK_TH_SYN | PK_TH_ACK))
			port = L->sport;
		else
			port = L->sport < L->dport ? L->sport : L->dport;
		/* protocol, then the port's two bytes in network order */
		pend_set(&p[n++], &s->t[T_PORT], 0,
		         (uint64_t)(tcp ? 6 : 17) | (uint64_t)(port >> 8) << 8 | (uint64_t)(port & 0xff) << 16,
		         0, 0, 0, 0);
	}
	return n;
}

static int
cmp_packets(const void *x, const void *y)
{
	const struct tent *a = *(const struct tent *const *)x, *b = *(const struct tent *const *)y;

	if (a->packets != b->packets)
		return a->packets < b->packets ? 1 : -1;
	if (a->bytes != b->bytes)
		return a->bytes < b->bytes ? 1 : -1;
	return memcmp(a->k, b->k, TKEY);
}

static int
cmp_bytes(const void *x, const void *y)
{
	const struct tent *a = *(const struct tent *const *)x, *b = *(const struct tent *const *)y;

	if (a->bytes != b->bytes)
		return a->bytes < b->bytes ? 1 : -1;
	if (a->packets != b->packets)
		return a->packets < b->packets ? 1 : -1;
	return memcmp(a->k, b->k, TKEY);
}

/*
 * Top N by a partial selection: keep the best N in ROWS by insertion
 * (N is small), so the cost is O(entries * N) without sorting everything.
 */
unsigned
pk_stats_top_rows(const struct ttable *t, const struct tent **rows, unsigned n, int by_bytes)
{
	int (*cmp)(const void *, const void *) = by_bytes ? cmp_bytes : cmp_packets;
	unsigned got = 0;
	uint32_t i;

	if (!n)
		return 0;
	for (i = 0; i < t->cap; i++) {
		const struct tent *e = &t->e[i];
		unsigned p;
		if (!e->k[0])
			continue;
		if (got == n && cmp(&e, &rows[n - 1]) >= 0)
			continue;
		p = got < n ? got++ : n - 1;
		while (p > 0 && cmp(&e, &rows[p - 1]) < 0) {
			rows[p] = rows[p - 1];
			p--;
		}
		rows[p] = e;
	}
	return got;
}

/* ---- TCP: bytes ACKed but never seen -------------------------------------- */

#define SEQ_LT(a, b) ((int32_t)((a) - (b)) < 0)
#define SEQ_GT(a, b) ((int32_t)((a) - (b)) > 0)
#define SANE_GAP (1u << 30)

/* The hole list of D, made when it has none; NULL when out of memory
 * (the gap is then not counted). */
static struct tcpholes *
holes_get(struct pk_stats *s, struct tcpdir *d)
{
	uint32_t i;

	if (d->holes)
		return &s->hpool[d->holes - 1];
	if (s->hpool_free) {
		i = s->hpool_free - 1;
		s->hpool_free = s->hpool[i].hole[0][0];
	} else {
		if (s->hpool_n == s->hpool_cap) {
			uint32_t ncap = s->hpool_cap ? s->hpool_cap * 2 : 64;
			struct tcpholes *n = ncap > s->hpool_cap ? realloc(s->hpool, (size_t)ncap * sizeof *n) : NULL;
			if (!n)
				return NULL;
			s->hpool = n;
			s->hpool_cap = ncap;
		}
		i = s->hpool_n++;
	}
	memset(&s->hpool[i], 0, sizeof s->hpool[i]);
	d->holes = i + 1;
	return &s->hpool[i];
}

static void
holes_put(struct pk_stats *s, struct tcpdir *d)
{
	if (!d->holes)
		return;
	s->hpool[d->holes - 1].hole[0][0] = s->hpool_free;
	s->hpool_free = d->holes;
	d->holes = 0;
	d->nholes = 0;
}

static uint64_t
dir_unseen(const struct pk_stats *s, const struct tcpdir *d)
{
	const struct tcpholes *r = d->holes ? &s->hpool[d->holes - 1] : NULL;
	uint64_t u = 0;
	unsigned i;

	if (!d->acked)
		return 0;
	if (!d->seen) {
		/* One-sided: everything the peer acknowledged during the capture. */
		u = d->ackmax - d->base;
		return u < SANE_GAP ? u : 0;
	}
	if (SEQ_GT(d->ackmax, d->next) && d->ackmax - d->next < SANE_GAP)
		u += d->ackmax - d->next;
	if (!r)
		return u;
	for (i = 0; i < d->nholes; i++) {
		uint32_t lo = r->hole[i][0], hi = r->hole[i][1];
		if (SEQ_LT(d->ackmax, hi))
			hi = d->ackmax;
		if (SEQ_GT(hi, lo))
			u += hi - lo;
	}
	return u + r->lost;
}

static void
tcp_retire(struct pk_stats *s, struct tcpslot *t)
{
	uint64_t u = dir_unseen(s, &t->d[0]) + dir_unseen(s, &t->d[1]);

	if (u) {
		s->acked_unseen += u;
		s->acked_unseen_conns++;
	}
	holes_put(s, &t->d[0]);
	holes_put(s, &t->d[1]);
}

static void
fill_holes(struct tcpholes *r, uint8_t *nholes, uint32_t seq, uint32_t end)
{
	unsigned i = 0;

	while (i < *nholes) {
		uint32_t *h = r->hole[i];
		if (!SEQ_LT(seq, h[1]) || !SEQ_GT(end, h[0])) {
			i++;
			continue;
		}
		if (!SEQ_GT(seq, h[0]) && !SEQ_LT(end, h[1])) {
			/* covered: drop the hole */
			r->hole[i][0] = r->hole[*nholes - 1][0];
			r->hole[i][1] = r->hole[*nholes - 1][1];
			(*nholes)--;
			continue;
		}
		if (!SEQ_GT(seq, h[0])) {
			h[0] = end;
		} else if (!SEQ_LT(end, h[1])) {
			h[1] = seq;
		} else if (*nholes < NHOLES) {
			/* split */
			r->hole[*nholes][0] = end;
			r->hole[*nholes][1] = h[1];
			(*nholes)++;
			h[1] = seq;
		} else {
			h[1] = seq;   /* keep the left part; the right counts as seen */
		}
		i++;
	}
}

struct tcpkey {
	uint64_t w[TWORDS];
	unsigned dir;
	uint32_t set, tag;
};

/*
 * The connection key of a TCP packet (the byte layout of struct tcpslot's
 * key, composed in registers as talker_keys does); prefetches its set's
 * tags.  tcp_probe, called later, prefetches the slot whose tag matches, so
 * that count_tcp finds both in the cache.
 */
static int
tcp_key(struct pk_stats *s, const struct pk_layers *L, struct tcpkey *K)
{
	uint64_t h, pa, pb;
	unsigned dir;
	int cmp;

	if (!L->ip_src || !L->ip_dst)
		return -1;
	cmp = addr_cmp(L->ip_src, L->ip_dst, L->ip_ver == 6 ? 16 : 4);
	if (cmp == 0)
		cmp = (L->sport > L->dport) - (L->sport < L->dport);
	dir = cmp > 0;
	/* each port as its two bytes in network order, little-endian view */
	pa = dir ? L->dport : L->sport;
	pb = dir ? L->sport : L->dport;
	pa = (pa >> 8) | (pa & 0xff) << 8;
	pb = (pb >> 8) | (pb & 0xff) << 8;
	if (L->ip_ver == 6) {
		const uint8_t *x = dir ? L->ip_dst : L->ip_src, *y = dir ? L->ip_src : L->ip_dst;
		uint64_t a0 = rd64le(x), a1 = rd64le(x + 8), b0 = rd64le(y), b1 = rd64le(y + 8);
		K->w[0] = host_word(16 | a0 << 8);
		K->w[1] = host_word(a0 >> 56 | a1 << 8);
		K->w[2] = host_word(a1 >> 56 | pa << 8 | b0 << 24);
		K->w[3] = host_word(b0 >> 40 | b1 << 24);
		K->w[4] = host_word(b1 >> 40 | pb << 24);
	} else {
		uint64_t a0 = rd32le(dir ? L->ip_dst : L->ip_src), b0 = rd32le(dir ? L->ip_src : L->ip_dst);
		K->w[0] = host_word(4 | a0 << 8);
		K->w[1] = 0;
		K->w[2] = host_word(pa << 8 | b0 << 24);
		K->w[3] = 0;
		K->w[4] = host_word(pb << 24);
	}
	K->dir = dir;
	h = pk_stats_mum(pk_stats_khash(K->w), 0x2d358dccaa6c78a5ull);
	K->set = (uint32_t)h & (PK_STATS_TCP_SLOTS / TCP_WAYS - 1);
	K->tag = (uint32_t)(h >> 32) | 1;
	__builtin_prefetch(&s->tcp_tag[K->set * TCP_WAYS]);
	return 0;
}

static void
tcp_probe(const struct pk_stats *s, const struct tcpkey *K)
{
	const uint32_t *tags = &s->tcp_tag[K->set * TCP_WAYS];
	unsigned way;

	/* the slot of a matching tag, else the first free one (a new
	 * connection's; when the set is full count_tcp reads every slot) */
	for (way = 0; way < TCP_WAYS && tags[way] != K->tag; way++)
		;
	if (way == TCP_WAYS)
		for (way = 0; way < TCP_WAYS && tags[way]; way++)
			;
	if (way < TCP_WAYS) {
		const char *t = (const char *)&s->tcp[(size_t)K->set * TCP_WAYS + way];
		__builtin_prefetch(t, 1);
		__builtin_prefetch(t + 64, 1);
		__builtin_prefetch(t + 128, 1);
		__builtin_prefetch(t + sizeof(struct tcpslot) - 1, 1);
	}
}

static void
count_tcp(struct pk_stats *s, const struct pk_layers *L, const struct tcpkey *K)
{
	unsigned way, dir = K->dir, best = 0;
	uint32_t *tags = &s->tcp_tag[K->set * TCP_WAYS];
	struct tcpslot *base = s->tcp + (size_t)K->set * TCP_WAYS, *t = NULL;
	struct tcpdir *d, *p;
	uint32_t seq, end, seglen;

	/* The tags (one cache line per set) spare touching the slots. */
	for (way = 0; way < TCP_WAYS; way++) {
		if (tags[way] == K->tag && pk_stats_keq(base[way].kw, K->w)) {
			t = &base[way];
			break;
		}
		if (!tags[way] || (tags[best] && base[way].last < base[best].last))
			best = way;
	}
	if (!t) {
		t = &base[best];
		if (tags[best])
			tcp_retire(s, t);
		memset(t, 0, sizeof *t);
		memcpy(t->kw, K->w, sizeof K->w);
		tags[best] = K->tag;
	}
	t->last = s->pktno;
	d = &t->d[dir];
	p = &t->d[!dir];

	seq = L->tcp_seq;
	seglen = L->payload_len + ((L->tcp_flags & PK_TH_SYN) != 0) + ((L->tcp_flags & PK_TH_FIN) != 0);
	end = seq + seglen;
	if (seglen && !(L->tcp_flags & PK_TH_RST)) {
		if (!d->seen) {
			d->seen = 1;
			d->base = seq;
			d->next = end;
			d->nholes = 0;
			if (d->acked && SEQ_GT(d->base, d->ackmax))
				d->base = d->ackmax;   /* the peer acked before we spoke: unseen start */
		} else if (SEQ_GT(seq, d->next)) {
			uint32_t gap = seq - d->next;
			struct tcpholes *r = gap < SANE_GAP ? holes_get(s, d) : NULL;
			if (r && d->nholes < NHOLES) {
				r->hole[d->nholes][0] = d->next;
				r->hole[d->nholes][1] = seq;
				d->nholes++;
			} else if (r) {
				r->lost += gap;
			}
			d->next = end;
		} else {
			if (d->nholes)
				fill_holes(&s->hpool[d->holes - 1], &d->nholes, seq, end);
			if (SEQ_GT(end, d->next))
				d->next = end;
		}
	}
	if (L->tcp_flags & PK_TH_ACK) {
		if (!p->acked) {
			p->acked = 1;
			p->ackmax = L->tcp_ack;
			if (!p->seen)
				p->base = L->tcp_ack;
		} else if (SEQ_GT(L->tcp_ack, p->ackmax)) {
			p->ackmax = L->tcp_ack;
		}
	}
}

void
pk_stats_tcp_flush(struct pk_stats *s)
{
	uint32_t i;

	for (i = 0; i < PK_STATS_TCP_SLOTS; i++)
		if (s->tcp_tag[i]) {
			tcp_retire(s, &s->tcp[i]);
			s->tcp_tag[i] = 0;
		}
}

/* ---- time series and sizes ---------------------------------------------- */

static void
count_series(struct pk_stats *s, int64_t ns, uint32_t len)
{
	int64_t iv = (int64_t)s->o.interval_ns;
	uint64_t idx;

	if (iv <= 0)
		return;
	if (!s->bucket) {
		int64_t q = ns / iv;
		if (ns % iv < 0)
			q--;
		s->series_start = q * iv;
	}
	idx = ns < s->series_start ? 0 : (uint64_t)(ns - s->series_start) / (uint64_t)iv;
	if (idx >= s->nbuckets) {
		if (idx >= PK_STATS_MAX_BUCKETS) {
			s->series_truncated = 1;
			s->series_dropped++;
			return;
		}
		if (idx >= s->bucket_cap) {
			uint32_t ncap = s->bucket_cap ? s->bucket_cap : 64;
			struct pcount *nb;
			while (ncap <= idx)
				ncap *= 2;
			if (ncap > PK_STATS_MAX_BUCKETS)
				ncap = PK_STATS_MAX_BUCKETS;
			nb = realloc(s->bucket, ncap * sizeof *nb);
			if (!nb) {
				s->series_truncated = 1;
				s->series_dropped++;
				return;
			}
			memset(nb + s->bucket_cap, 0, (ncap - s->bucket_cap) * sizeof *nb);
			s->bucket = nb;
			s->bucket_cap = ncap;
		}
		s->nbuckets = (uint32_t)idx + 1;
	}
	pcount(&s->bucket[idx], len);
}

/* tshark -z plen,tree buckets: 0-19, 20-39, 40-79, ... 2560-5119, 5120+. */
static inline unsigned
plen_bucket(uint32_t len)
{
	unsigned b;

	if (len < 20)
		return 0;
	b = 31u - (unsigned)__builtin_clz(len / 20);   /* floor(log2(len / 20)) */
	return b >= 8 ? 9 : b + 1;
}

/* ---- the packet ----------------------------------------------------------- */

void
pk_stats_add(struct pk_stats *s, const struct pk_pkthdr *h, const uint8_t *data)
{
	struct pk_layers *L = &s->L;
	int64_t ns = h->sec * 1000000000 + (int64_t)h->nsec;
	struct pend pend[4];
	struct tcpkey K;
	unsigned b, np;
	int is_tcp;

	s->pktno++;
	s->packets++;
	s->bytes_cap += h->caplen;
	s->bytes_wire += h->len;
	if (h->caplen < h->len)
		s->cut++;
	if (h->caplen > h->len)
		s->over_len++;
	if (h->len > s->largest)
		s->largest = h->len;
	if (h->len < s->smallest)
		s->smallest = h->len;
	if (h->caplen > s->largest_cap)
		s->largest_cap = h->caplen;
	if (s->packets == 1 || ns < s->first_ns)
		s->first_ns = ns;
	if (s->packets == 1 || ns > s->last_ns)
		s->last_ns = ns;
	count_link(s, h->linktype);
	/* The duplicate check reads the packet's last bytes, far from the
	 * headers the decoder reads first. */
	if (h->caplen)
		__builtin_prefetch(data + h->caplen - 1);

	{
		uint32_t snap = s->cur_snaplen;
		const struct pk_capinfo *ci = s->cur_ci;
		if (ci && h->ifindex < ci->n_ifaces)
			snap = ci->ifaces[h->ifindex].snaplen;
		if (snap && h->caplen > snap)
			s->over_snaplen++;
	}
	pk_decode(L, h->linktype, data, h->caplen, h->len);
	/* Make the table keys first and prefetch their slots; the other
	 * counting below runs while the cache lines arrive. */
	np = talker_keys(s, L, pend);
	is_tcp = (L->have & PK_HAVE_TCP) && tcp_key(s, L, &K) == 0;

	quality_time(s, ns);
	quality_dup(s, data, h->caplen, h->len);
	b = plen_bucket(h->len);
	s->plen[b]++;
	s->plen_bytes[b] += h->len;
	count_series(s, ns, h->len);
	if (is_tcp)
		tcp_probe(s, &K);
	count_protocols(s, L);
	count_hierarchy(s, L);
	for (b = 0; b < np; b++)
		tcount(pend[b].t, pend[b].w, pend[b].h, L->len, pend[b].v6);
	if (L->have & PK_HAVE_TCP) {
		uint16_t f = L->tcp_flags;
		if ((f & (PK_TH_SYN | PK_TH_ACK)) == PK_TH_SYN)
			s->syn++;
		if ((f & (PK_TH_SYN | PK_TH_ACK)) == (PK_TH_SYN | PK_TH_ACK))
			s->synack++;
		if (f & PK_TH_FIN)
			s->fin++;
		if (f & PK_TH_RST)
			s->rst++;
		if (is_tcp)
			count_tcp(s, L, &K);
	}
}

void
pk_stats_end(struct pk_stats *s, const struct pk_reader *r, int failed)
{
	const struct pk_capinfo *ci = r ? pk_reader_info(r) : NULL;
	unsigned i, base;

	pk_stats_tcp_flush(s);
	hfold(s);
	if (failed) {
		s->partial = 1;
		if (r && !s->error)
			s->error = xstrdup(pk_reader_error(r));
		if (r && pk_reader_errkind(r) == PK_ERR_CUT) {
			int64_t size = pk_reader_size(r);
			/* The cut record starts where the last good one ended:
			 * the reader has consumed exactly up to there. */
			s->tail_damaged = 1;
			s->tail_offset = pk_reader_consumed(r);
			s->tail_bytes = size >= 0 && (uint64_t)size > s->tail_offset ?
			                (uint64_t)size - s->tail_offset : 0;
		}
	}
	s->cur = NULL;
	s->cur_ci = NULL;
	if (!ci)
		return;
	for (i = 0; i < ci->n_ifaces; i++)
		ensure_link(s, ci->ifaces[i].linktype);
	if (s->nfiles == 1) {
		free_info(s);
		s->format = ci->format;
		s->big_endian = ci->big_endian;
		s->nano = ci->nano;
		s->snaplen = ci->snaplen;
		s->linktype = ci->linktype;
		s->shb_hardware = xstrdup(ci->shb_hardware);
		s->shb_os = xstrdup(ci->shb_os);
		s->shb_application = xstrdup(ci->shb_application);
		s->shb_comment = xstrdup(ci->shb_comment);
	}
	s->over_snaplen = s->over_snaplen > ci->caplen_over_snaplen ?
	                  s->over_snaplen : ci->caplen_over_snaplen;
	if (ci->format != PK_FMT_PCAPNG)
		return;
	base = s->n_ifaces;
	if (ci->n_ifaces) {
		struct iface_copy *n = realloc(s->ifaces, (base + ci->n_ifaces) * sizeof *n);
		if (!n)
			return;
		s->ifaces = n;
	}
	for (i = 0; i < ci->n_ifaces; i++) {
		const struct pk_iface *f = &ci->ifaces[i];
		struct iface_copy *c = &s->ifaces[base + i];
		c->linktype = f->linktype;
		c->snaplen = f->snaplen;
		c->tsresol = f->tsresol;
		c->name = xstrdup(f->name);
		c->description = xstrdup(f->description);
		c->filter = xstrdup(f->filter);
		c->os = xstrdup(f->os);
		c->packets = f->packets;
		c->drops = f->drops;
		c->has_drops = f->has_drops;
		if (f->has_drops) {
			s->drops += f->drops;
			s->drops_known = 1;
		}
	}
	s->n_ifaces = base + ci->n_ifaces;
}
