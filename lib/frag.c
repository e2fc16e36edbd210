/* frag.c — IP fragments reach a flow once per datagram, whole, as in Zeek.
 *
 * Zeek reassembles IPv4 and IPv6 fragments before a connection sees them
 * (src/Frag.cc, src/packet_analysis/protocol/ip/IP.cc): a fragmented
 * datagram counts as ONE packet, at the time its last missing fragment
 * arrives, with the IP length of the whole datagram (the unfragmentable
 * header plus every fragment's data; for IPv6 without the 8-byte fragment
 * header).  A datagram that never completes is never seen.  A fragment not
 * captured whole is not reassembled: the first one is analysed alone, the
 * others are dropped.
 *
 * Only what the flow table counts is kept, not the data: the byte ranges
 * received, the size implied by the last fragment (RFC 791 section 3.2,
 * RFC 8200 section 4.5) and the first fragment's headers, which are decoded
 * again and given the reassembled lengths.  The table is bounded: a datagram
 * whose slots are all taken replaces the oldest pending one (Zeek keeps
 * them forever by default, frag_timeout = 0).  Checksums of a reassembled
 * datagram cannot be verified without its data and count as unknown.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "frag_int.h"

#define NSLOT   1024   /* pending datagrams (power of two) */
#define PROBE   8      /* slots looked at per datagram */
#define KEEP    384    /* bytes of the first fragment kept (link + IP + transport headers) */
#define NRANGE  16     /* disjoint byte ranges per datagram; more drops it */

struct pend {
	uint64_t seq;                 /* arrival order of the first fragment; 0 = free */
	uint8_t  ver, src[16], dst[16];
	uint32_t id;
	uint32_t size;                /* datagram data size, 0 until a last fragment */
	uint32_t nr;
	uint32_t lo[NRANGE], hi[NRANGE];   /* sorted, disjoint, not adjacent */
	/* the first fragment (offset 0) */
	int      linktype;
	uint32_t keep, len;           /* bytes kept, its wire length */
	uint8_t  bytes[KEEP];
};

struct pk_fragtab {
	uint64_t seq;
	struct pend p[NSLOT];
};

/* Where the fragment's data starts: after the IPv4 header, or after the
 * IPv6 fragment header.  0 when it cannot be told. */
static uint32_t
data_start(const struct pk_layers *L)
{
	if (L->ip_ver == 4)
		return L->l3_off + L->ip_hlen;
	for (unsigned i = 0; i < L->n_ipext; i++)
		if (L->ipext[i] == 44)
			return L->ipext_off[i] + 8;
	return 0;
}

static uint32_t
hash(const struct pk_layers *L)
{
	unsigned n = L->ip_ver == 4 ? 4 : 16;
	uint32_t h = 2166136261u ^ L->frag_id;

	for (unsigned i = 0; i < n; i++)
		h = (h ^ L->ip_src[i] ^ (uint32_t)L->ip_dst[i] << 8) * 16777619u;
	return h ^ h >> 15;
}

static int
same(const struct pend *e, const struct pk_layers *L)
{
	unsigned n = L->ip_ver == 4 ? 4 : 16;

	return e->seq && e->ver == L->ip_ver && e->id == L->frag_id &&
	       memcmp(e->src, L->ip_src, n) == 0 && memcmp(e->dst, L->ip_dst, n) == 0;
}

/* The datagram's slot: its own, else a free one, else the oldest of the probe. */
static struct pend *
slot_for(struct pk_fragtab *t, const struct pk_layers *L)
{
	uint32_t h = hash(L);
	struct pend *free_e = NULL, *old = NULL;

	for (unsigned i = 0; i < PROBE; i++) {
		struct pend *e = &t->p[(h + i) & (NSLOT - 1)];

		if (same(e, L))
			return e;
		if (!e->seq && !free_e)
			free_e = e;
		if (e->seq && (!old || e->seq < old->seq))
			old = e;
	}
	return free_e ? free_e : old;
}

/* Add [lo, hi) to the ranges, merging what touches.  -1 when full. */
static int
add_range(struct pend *e, uint32_t lo, uint32_t hi)
{
	uint32_t i = 0, j;

	while (i < e->nr && e->hi[i] < lo)
		i++;
	j = i;
	while (j < e->nr && e->lo[j] <= hi) {
		if (e->lo[j] < lo)
			lo = e->lo[j];
		if (e->hi[j] > hi)
			hi = e->hi[j];
		j++;
	}
	if (i == j) {   /* nothing merged: insert at i */
		if (e->nr == NRANGE)
			return -1;
		memmove(e->lo + i + 1, e->lo + i, (e->nr - i) * sizeof *e->lo);
		memmove(e->hi + i + 1, e->hi + i, (e->nr - i) * sizeof *e->hi);
		e->nr++;
	} else if (j > i + 1) {   /* ranges i..j-1 become one */
		memmove(e->lo + i + 1, e->lo + j, (e->nr - j) * sizeof *e->lo);
		memmove(e->hi + i + 1, e->hi + j, (e->nr - j) * sizeof *e->hi);
		e->nr -= j - i - 1;
	}
	e->lo[i] = lo;
	e->hi[i] = hi;
	return 0;
}

/* The first fragment decoded again, with the whole datagram's lengths. */
static int
deliver(const struct pend *e, struct pk_layers *R)
{
	uint32_t start, hdr, l4hdr;

	pk_decode(R, e->linktype, e->bytes, e->keep, e->len);
	start = data_start(R);
	if (!start || start < R->l3_off || R->l4_off < start || R->l4_off - start > e->size)
		return 0;
	hdr = start - R->l3_off - (R->ip_ver == 6 ? 8u : 0u);
	R->have &= ~(uint32_t)PK_HAVE_FRAG;
	R->frag_more = 0;
	R->frag_off = 0;
	R->ip_len = R->ip_wire_len = hdr + e->size;
	R->l4_len = e->size - (R->l4_off - start);
	if (R->have & (PK_HAVE_TCP | PK_HAVE_UDP | PK_HAVE_ICMP | PK_HAVE_ICMP6 | PK_HAVE_SCTP)) {
		l4hdr = R->payload_off - R->l4_off;
		R->payload_len = R->l4_len > l4hdr ? R->l4_len - l4hdr : 0;
		/* The flow table reads no payload byte: it only needs to know
		 * that the reassembled datagram held all of it. */
		R->payload_caplen = R->payload_len;
	}
	return 1;
}

int
pk__frag_add(struct pk_fragtab **tp, const struct pk_layers *L, struct pk_layers *R)
{
	struct pk_fragtab *t = *tp;
	struct pend *e;
	uint32_t start = data_start(L), end = L->l3_off + L->ip_len, lo, hi;
	int rc;

	if (!start || end < start || L->ip_len == 0)
		return 0;
	if (L->caplen < end)   /* not captured whole: Zeek keeps only a first fragment */
		return L->frag_off == 0 ? 2 : 0;
	lo = L->frag_off;
	hi = lo + (end - start);
	if (!t) {
		if (!(t = *tp = calloc(1, sizeof *t)))
			return -1;
	}
	e = slot_for(t, L);
	if (!same(e, L)) {
		memset(e, 0, offsetof(struct pend, bytes));
		e->seq = ++t->seq;
		e->ver = L->ip_ver;
		e->id = L->frag_id;
		memcpy(e->src, L->ip_src, L->ip_ver == 4 ? 4 : 16);
		memcpy(e->dst, L->ip_dst, L->ip_ver == 4 ? 4 : 16);
	}
	if (lo == 0 && !e->keep) {
		e->linktype = L->linktype;
		e->len = L->len;
		e->keep = L->caplen < KEEP ? L->caplen : KEEP;
		memcpy(e->bytes, L->pkt, e->keep);
	}
	/* The last fragment fixes the size; a fragment reaching past it
	 * stretches it, as Zeek's fragment_size_inconsistency handling does. */
	if (!L->frag_more && (!e->size || hi > e->size))
		e->size = hi;
	if (e->size && hi > e->size)
		e->size = hi;
	if (add_range(e, lo, hi) < 0) {
		e->seq = 0;   /* too scattered to follow: dropped */
		return 0;
	}
	if (!e->size || !e->keep || e->nr != 1 || e->lo[0] != 0 || e->hi[0] < e->size)
		return 0;
	if (e->hi[0] > e->size)
		e->size = e->hi[0];
	rc = deliver(e, R);
	e->seq = 0;
	return rc;
}

void
pk__frag_free(struct pk_fragtab *t)
{
	free(t);
}
