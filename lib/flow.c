/* flow.c — flow table: canonical bidirectional keys, hashing, timers,
 * eviction, and the conn.log record of each finished connection.
 *
 * Flows live in a pool of fixed-size chunks addressed by 32-bit index, so
 * growing the table never moves a flow.  An open-addressing index of
 * (32-bit hash, flow index) pairs maps keys to flows; probing compares the
 * stored hash first, so a lookup touches flow memory only on a likely hit
 * and growing the index never touches flows at all.  Timers (inactivity, Zeek's TCP attempt/expire/close timers) are
 * kept in one binary heap of (time, flow, generation) entries; an entry is
 * only pushed when a flow's next deadline moves earlier than what is
 * already queued for it, and stale entries are dropped or re-queued when
 * they surface.  Keying and originator rules follow Zeek
 * (src/packet_analysis/protocol/ip/IPBasedAnalyzer.cc, .../tcp/TCP.cc
 * WantConnection, .../udp/UDP.cc, .../icmp/ICMP.cc).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "flow_int.h"
#include "frag_int.h"

#define CHUNK_BITS 12
#define CHUNK      (1u << CHUNK_BITS)
#define NIL        0xffffffffu

struct hent { int64_t when; uint32_t idx, gen; };

/* The times of a wide flow (flow_int.h, pk__tget), 64 bits each. */
struct wtimes { int64_t v[T_N]; };

/* A pool of fixed-size flow slots in chunks that never move.  Pool 1 holds
 * TCP flows (struct tflow); its indexes carry TCPBIT. */
struct pool {
	uint8_t **chunks;
	uint32_t nchunks, cap_chunks;
	uint32_t free_head, used;
	size_t   size;             /* bytes per slot */
};
#define TCPBIT 0x80000000u

struct pk_flowtab {
	struct pk_flowopts o;
	pk_flow_cb cb;
	void *arg;
	struct pool pool[2];            /* 0: UDP, ICMP, other IP; 1: TCP */
	struct pool xpool;              /* struct tcpx side records, index + 1 in tflow.x */
	struct pool v6pool;             /* IPv6 address pairs (32 bytes), index in fkey.lo */
	struct pool wpool;              /* struct wtimes of wide flows, index in tm[0] */
	struct pool hpool;              /* histories past HIST_IN letters (HIST_RECB bytes) */
	int oom;                        /* an extras record could not be allocated */
	size_t live;
	uint64_t *slot;                 /* open addressing: hash32 << 32 | index */
	uint32_t nslot;                 /* power of two, at most half full */
	struct hent *heap;
	size_t nheap, capheap;
	uint8_t tcp_ports[8192], udp_ports[8192];
	int64_t now;
	uint32_t last_idx;              /* flow of the last packet added, or NIL */
	struct pk_fragtab *frag;        /* pending IP fragments (frag.c), NULL until one */
	struct pk_layers whole;         /* the datagram a fragment completed */
	int last_whole;                 /* the last packet added completed it */
};

static const char default_ports[] =
	"21,22,23,25,53,80,81,88,110,111,113,135,139,143,179,389,443,445,502,513,514,"
	"563,585,587,614,631,636,989,990,992,993,994,995,1080,1433,1434,1521,1723,1883,"
	"2049,2811,3128,3268,3306,3389,5060,5061,5222,5223,5269,5432,5900,6379,"
	"6666-6669,8000,8080,8443,8883,8888,20000/tcp,"
	"53,67,69,88,123,137,138,161,162,389,443,500,514,1812,1813,2123,2152,3544,"
	"4789,5060,5072,5353,5355,6081/udp";

/* The table's own hash of a key: word-wise multiply-xorshift mixing, a few
 * instructions per 8 bytes where pk_flowkey_hash (stable, for uids and
 * shards) spends two per byte.  Only bucket placement depends on it. */
static inline uint32_t
tab_hash(const struct pk_flowkey *k, uint64_t seed)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = seed ^ 0x9e3779b97f4a7c15ULL, w;
	size_t i;

	if (k->ip_ver == 4) {
		/* An IPv4 key's other address bytes are the same in every key:
		 * mix only its two addresses and the ports-to-flags word. */
		uint32_t a, b, c;

		_Static_assert(offsetof(struct pk_flowkey, vlan) + 4 == offsetof(struct pk_flowkey, ip_proto),
		               "ports and VLAN ids, then protocol, version, one_way and pad_");
		memcpy(&a, k->lo_addr + 12, 4);
		memcpy(&b, k->hi_addr + 12, 4);
		memcpy(&w, &k->lo_port, 8);
		memcpy(&c, &k->ip_proto, 4);
		h = (h ^ (a | (uint64_t)b << 32)) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
		h ^= h >> 29;
		h = (h ^ c) * 0x100000001b3ULL;
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
		return (uint32_t)h;
	}

	for (i = 0; i + 8 <= sizeof *k; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	for (; i + 4 <= sizeof *k; i += 4) {
		uint32_t v;

		memcpy(&v, p + i, 4);
		h = (h ^ v) * 0x100000001b3ULL;
	}
	for (; i < sizeof *k; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

static inline struct flow *
F(const struct pk_flowtab *t, uint32_t i)
{
	/* UDP slot sizes are a constant here, so the address is two leas and
	 * an add; a TCP slot's (248 = 31 * 8) would take a shift, a subtract
	 * and an add, where the pool's size is a load and a multiply. */
	if (i & TCPBIT) {
		i &= ~TCPBIT;
		return (struct flow *)(void *)(t->pool[1].chunks[i >> CHUNK_BITS] +
		                               (size_t)(i & (CHUNK - 1)) * t->pool[1].size);
	}
	return (struct flow *)(void *)(t->pool[0].chunks[i >> CHUNK_BITS] +
	                               (size_t)(i & (CHUNK - 1)) * sizeof(struct uflow));
}

const struct pk_flowopts *
pk__opts(const struct pk_flowtab *t)
{
	return &t->o;
}

void
pk_flowopts_default(struct pk_flowopts *o)
{
	memset(o, 0, sizeof *o);
	o->tcp_inactivity_ns = 300 * PK_NS;
	o->udp_inactivity_ns = 60 * PK_NS;
	o->icmp_inactivity_ns = 60 * PK_NS;
	o->other_inactivity_ns = 60 * PK_NS;
	o->tcp_attempt_ns = 5 * PK_NS;
	o->tcp_close_ns = 5 * PK_NS;
	o->tcp_syn_timeout_ns = 5 * PK_NS;
	o->tcp_session_timer_ns = 6 * PK_NS;
	o->tcp_linger_ns = 5 * PK_NS;
	o->vlan_key = 1;
	o->count_checksums = 1;
	o->attempt_timer = 1;
	o->long_inactivity_ns = 3600 * PK_NS;
}

void
pk_flowopts_zeek(struct pk_flowopts *o)
{
	int v = o->validate_checksums, c = o->count_checksums;
	size_t m = o->max_flows;

	pk_flowopts_default(o);
	o->vlan_key = 0;
	o->port_timeouts = 1;
	o->validate_checksums = v;
	o->count_checksums = c;
	o->max_flows = m;
}

const char *
pk_connstate_name(enum pk_connstate s)
{
	static const char *const n[] = { "S0", "S1", "SF", "REJ", "S2", "S3", "RSTO",
		"RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH" };

	return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "OTH";
}

const char *
pk_flowend_name(enum pk_flowend e)
{
	static const char *const n[] = { "eof", "inactive", "attempt", "closed",
		"expired", "reuse", "evicted" };

	return (unsigned)e < sizeof n / sizeof n[0] ? n[e] : "?";
}

const char *
pk_closer_name(enum pk_closer c)
{
	static const char *const n[] = { "-", "orig_fin", "resp_fin", "orig_rst", "resp_rst" };

	return (unsigned)c < sizeof n / sizeof n[0] ? n[c] : "-";
}

/* ---------------------------------------------------------------- key */

int
pk_icmp_counterpart(int ip_ver, int type)
{
	if (ip_ver == 4) {
		switch (type) {
		case 8: return 0;    case 0: return 8;      /* echo */
		case 13: return 14;  case 14: return 13;    /* timestamp */
		case 15: return 16;  case 16: return 15;    /* information */
		case 10: return 9;   case 9: return 10;     /* router solicitation/advert */
		case 17: return 18;  case 18: return 17;    /* address mask */
		}
		return -1;
	}
	switch (type) {
	case 128: return 129;  case 129: return 128;    /* echo */
	case 133: return 134;  case 134: return 133;    /* router */
	case 135: return 136;  case 136: return 135;    /* neighbor */
	case 130: return 131;  case 131: return 130;    /* MLD query/report */
	case 139: return 140;  case 140: return 139;    /* node information */
	case 144: return 145;  case 145: return 144;    /* home agent discovery */
	}
	return -1;
}

static void
put_addr(uint8_t out[16], const uint8_t *a, int ver)
{
	if (ver == 4) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, a, 4);
	} else
		memcpy(out, a, 16);
}

/* Big-endian 64-bit value of 8 bytes: addresses compare as numbers. */
static inline uint64_t
be64(const uint8_t *p)
{
	return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 |
	       (uint64_t)p[3] << 32 | (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
	       (uint64_t)p[6] << 8 | p[7];
}

/* memcmp order of two 16-byte addresses: -1, 0, 1. */
static inline int
addr_cmp(const uint8_t *a, const uint8_t *b)
{
	uint64_t x = be64(a), y = be64(b);

	if (x == y) {
		x = be64(a + 8);
		y = be64(b + 8);
	}
	return (x > y) - (x < y);
}

static int
ep_less(const uint8_t *a1, uint16_t p1, const uint8_t *a2, uint16_t p2)
{
	int c = addr_cmp(a1, a2);

	return c < 0 || (c == 0 && p1 < p2);
}

int
pk_flow_key(const struct pk_layers *L, int vlan_aware, struct pk_flowkey *k, int *src_is_lo)
{
	uint8_t sa[16], da[16];
	uint16_t sp = 0, dp = 0;
	int one_way = 0, lo_is_src;

	memset(k, 0, sizeof *k);
	if (!(L->have & (PK_HAVE_IPV4 | PK_HAVE_IPV6)) || !L->ip_src || !L->ip_dst)
		return -1;
	k->ip_ver = (L->have & PK_HAVE_IPV6) ? 6 : 4;   /* the header parsed, not its version nibble (0x0800 with version 6) */
	k->ip_proto = L->ip_proto;
	if (L->have & (PK_HAVE_TCP | PK_HAVE_UDP)) {
		sp = L->sport;
		dp = L->dport;
	} else if (L->have & (PK_HAVE_ICMP | PK_HAVE_ICMP6)) {
		int cp = pk_icmp_counterpart(k->ip_ver, L->icmp_type);

		sp = L->icmp_type;
		if (cp >= 0)
			dp = (uint16_t)cp;
		else {
			dp = L->icmp_code;
			one_way = 1;
		}
	}
	if (vlan_aware && (L->have & PK_HAVE_VLAN)) {
		k->vlan[0] = L->n_vlan > 0 ? (L->vlan_tci[0] & 0xfff) : 0;
		k->vlan[1] = L->n_vlan > 1 ? (L->vlan_tci[1] & 0xfff) : 0;
	}
	if (k->ip_ver == 4) {
		/* IPv4-mapped addresses share their first 12 bytes: the
		 * order is that of the 32-bit addresses. */
		uint32_t s = (uint32_t)L->ip_src[0] << 24 | (uint32_t)L->ip_src[1] << 16 |
		             (uint32_t)L->ip_src[2] << 8 | L->ip_src[3];
		uint32_t d = (uint32_t)L->ip_dst[0] << 24 | (uint32_t)L->ip_dst[1] << 16 |
		             (uint32_t)L->ip_dst[2] << 8 | L->ip_dst[3];

		lo_is_src = one_way || s < d || (s == d && sp <= dp);
		k->lo_addr[10] = k->lo_addr[11] = k->hi_addr[10] = k->hi_addr[11] = 0xff;
		memcpy(k->lo_addr + 12, lo_is_src ? L->ip_src : L->ip_dst, 4);
		memcpy(k->hi_addr + 12, lo_is_src ? L->ip_dst : L->ip_src, 4);
		k->lo_port = lo_is_src ? sp : dp;
		k->hi_port = lo_is_src ? dp : sp;
		k->one_way = (uint8_t)one_way;
		if (src_is_lo)
			*src_is_lo = lo_is_src;
		return 0;
	}
	put_addr(sa, L->ip_src, k->ip_ver);
	put_addr(da, L->ip_dst, k->ip_ver);
	lo_is_src = one_way || ep_less(sa, sp, da, dp) ||
	            (addr_cmp(sa, da) == 0 && sp == dp);
	if (lo_is_src) {
		memcpy(k->lo_addr, sa, 16); k->lo_port = sp;
		memcpy(k->hi_addr, da, 16); k->hi_port = dp;
	} else {
		memcpy(k->lo_addr, da, 16); k->lo_port = dp;
		memcpy(k->hi_addr, sa, 16); k->hi_port = sp;
	}
	k->one_way = (uint8_t)one_way;
	if (src_is_lo)
		*src_is_lo = lo_is_src;
	return 0;
}

uint64_t
pk_flowkey_hash(const struct pk_flowkey *k, uint64_t seed)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;

	for (size_t i = 0; i < sizeof *k; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

uint64_t
pk_flowkey_hash_hosts(const struct pk_flowkey *k, uint64_t seed)
{
	struct pk_flowkey h;
	const uint8_t *a = k->lo_addr, *b = k->hi_addr;

	/* One-way ICMP keys are not ordered: order the addresses here. */
	if (memcmp(a, b, 16) > 0) {
		a = k->hi_addr;
		b = k->lo_addr;
	}
	memset(&h, 0, sizeof h);
	memcpy(h.lo_addr, a, 16);
	memcpy(h.hi_addr, b, 16);
	h.vlan[0] = k->vlan[0];
	h.vlan[1] = k->vlan[1];
	h.ip_ver = k->ip_ver;
	return pk_flowkey_hash(&h, seed);
}

/* ------------------------------------------------------ server ports */

void
pk_flowtab_clear_server_ports(struct pk_flowtab *t)
{
	memset(t->tcp_ports, 0, sizeof t->tcp_ports);
	memset(t->udp_ports, 0, sizeof t->udp_ports);
}

void
pk_flowtab_set_server_port(struct pk_flowtab *t, int proto, uint16_t port, int on)
{
	uint8_t *m = proto == 17 ? t->udp_ports : t->tcp_ports;

	if (on)
		m[port >> 3] |= (uint8_t)(1u << (port & 7));
	else
		m[port >> 3] &= (uint8_t)~(1u << (port & 7));
}

int
pk__is_server_port(const struct pk_flowtab *t, int proto, uint16_t port)
{
	const uint8_t *m = proto == 17 ? t->udp_ports : t->tcp_ports;

	return (m[port >> 3] >> (port & 7)) & 1;
}

/* "80,443,8000-8080/tcp,53/udp": a /tcp or /udp suffix applies to the
 * items since the previous suffix; items with none apply to both. */
int
pk_flowtab_server_ports(struct pk_flowtab *t, const char *list)
{
	const char *p = list;

	while (*p) {
		const char *item = p, *grp_end;
		int proto = 0;

		/* Find the extent of this group (up to a suffix or the end). */
		grp_end = p;
		while (*grp_end && *grp_end != '/')
			grp_end++;
		if (*grp_end == '/') {
			if (strncmp(grp_end, "/tcp", 4) == 0)
				proto = 6;
			else if (strncmp(grp_end, "/udp", 4) == 0)
				proto = 17;
			else
				return -1;
		}
		while (item < grp_end) {
			char *end;
			unsigned long a, b;

			if (*item == ',' || *item == ' ') {
				item++;
				continue;
			}
			if (*item < '0' || *item > '9')
				return -1;
			a = strtoul(item, &end, 10);
			b = a;
			if (*end == '-') {
				if (end[1] < '0' || end[1] > '9')
					return -1;
				b = strtoul(end + 1, &end, 10);
			}
			if (a > 65535 || b > 65535 || b < a || (end < grp_end && *end != ','))
				return -1;
			for (unsigned long x = a; x <= b; x++) {
				if (proto != 17)
					pk_flowtab_set_server_port(t, 6, (uint16_t)x, 1);
				if (proto != 6)
					pk_flowtab_set_server_port(t, 17, (uint16_t)x, 1);
			}
			item = end;
		}
		p = grp_end;
		if (*p == '/') {
			p += 4;
			if (*p == ',')
				p++;
			else if (*p)
				return -1;
		}
	}
	return 0;
}

/* -------------------------------------------------------------- table */

struct pk_flowtab *
pk_flowtab_new(const struct pk_flowopts *opts, pk_flow_cb cb, void *arg)
{
	struct pk_flowtab *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	if (opts)
		t->o = *opts;
	else
		pk_flowopts_default(&t->o);
	t->cb = cb;
	t->arg = arg;
	t->pool[0].free_head = t->pool[1].free_head = t->xpool.free_head = NIL;
	t->v6pool.free_head = NIL;
	t->wpool.free_head = NIL;
	t->hpool.free_head = NIL;
	t->hpool.size = HIST_RECB;
	t->wpool.size = sizeof(struct wtimes);
	t->xpool.size = sizeof(struct tcpx);
	t->v6pool.size = 32;
	t->last_idx = NIL;
	t->pool[0].size = sizeof(struct uflow);
	t->pool[1].size = sizeof(struct tflow);
	t->nslot = 1024;
	t->slot = malloc(t->nslot * sizeof *t->slot);
	if (!t->slot) {
		free(t);
		return NULL;
	}
	memset(t->slot, 0xff, t->nslot * sizeof *t->slot);
	(void)pk_flowtab_server_ports(t, default_ports);
	return t;
}

void
pk_flowtab_free(struct pk_flowtab *t)
{
	if (!t)
		return;
	for (int p = 0; p < 2; p++) {
		for (uint32_t i = 0; i < t->pool[p].nchunks; i++)
			free(t->pool[p].chunks[i]);
		free(t->pool[p].chunks);
	}
	for (uint32_t i = 0; i < t->xpool.nchunks; i++)
		free(t->xpool.chunks[i]);
	free(t->xpool.chunks);
	for (uint32_t i = 0; i < t->v6pool.nchunks; i++)
		free(t->v6pool.chunks[i]);
	free(t->v6pool.chunks);
	for (uint32_t i = 0; i < t->wpool.nchunks; i++)
		free(t->wpool.chunks[i]);
	free(t->wpool.chunks);
	for (uint32_t i = 0; i < t->hpool.nchunks; i++)
		free(t->hpool.chunks[i]);
	free(t->hpool.chunks);
	free(t->slot);
	free(t->heap);
	pk__frag_free(t->frag);
	free(t);
}

size_t
pk_flowtab_live(const struct pk_flowtab *t)
{
	return t->live;
}

size_t
pk_flowtab_bytes_per_flow(void)
{
	return sizeof(struct tflow);
}

static int
heap_push(struct pk_flowtab *t, int64_t when, uint32_t idx, uint32_t gen)
{
	size_t i;

	if (t->nheap == t->capheap) {
		size_t n = t->capheap ? t->capheap * 2 : 1024;
		struct hent *h = realloc(t->heap, n * sizeof *h);

		if (!h)
			return -1;
		t->heap = h;
		t->capheap = n;
	}
	i = t->nheap++;
	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (t->heap[p].when <= when)
			break;
		t->heap[i] = t->heap[p];
		i = p;
	}
	t->heap[i].when = when;
	t->heap[i].idx = idx;
	t->heap[i].gen = gen;
	return 0;
}

static void
heap_pop(struct pk_flowtab *t)
{
	struct hent last = t->heap[--t->nheap];
	size_t i = 0, n = t->nheap;

	if (n == 0)
		return;
	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && t->heap[c + 1].when < t->heap[c].when)
			c++;
		if (t->heap[c].when >= last.when)
			break;
		t->heap[i] = t->heap[c];
		i = c;
	}
	t->heap[i] = last;
}

static int64_t
inact_ns(const struct pk_flowtab *t, const struct flow *f)
{
	switch (f->inact) {
	case IN_TCP: return t->o.tcp_inactivity_ns;
	case IN_ICMP: return t->o.icmp_inactivity_ns;
	case IN_OTHER: return t->o.other_inactivity_ns;
	case IN_LONG: return t->o.long_inactivity_ns;
	}
	return t->o.udp_inactivity_ns;
}

static int64_t
next_deadline(const struct pk_flowtab *t, const struct flow *f)
{
	int64_t d = pk__tget(t, f, T_LAST) + inact_ns(t, f);

	if (f->compact) {
		int64_t a = f->c_attempt ? f->start_ns + t->o.tcp_attempt_ns : 0,
		        e = f->twide ? (int64_t)UF(f)->bytes[0]
		                     : pk__tdec(f, T_EXPIRE, (uint32_t)UF(f)->bytes[0]);

		if (a && a < d)
			d = a;
		if (e && e < d)
			d = e;
	} else if (f->kind == K_TCP) {
		int64_t n = pk__tcp_next_timer(t, f);

		if (n && n < d)
			d = n;
	}
	return d;
}

static int
schedule(struct pk_flowtab *t, uint32_t idx)
{
	struct flow *f = F(t, idx);
	int64_t d = next_deadline(t, f);

	if (f->queued_at && f->queued_at <= d)
		return 0;
	f->queued_at = d;
	return heap_push(t, d, idx, f->gen);
}

void
pk__set_inactivity(struct pk_flowtab *t, struct flow *f, int which)
{
	(void)t;
	f->inact = (uint8_t)which;
}

#define EMPTY UINT64_MAX

static void
slot_insert(uint64_t *slot, uint32_t n, uint32_t h, uint32_t idx)
{
	uint32_t i = h & (n - 1);

	while (slot[i] != EMPTY)
		i = (i + 1) & (n - 1);
	slot[i] = (uint64_t)h << 32 | idx;
}

static int
grow_slots(struct pk_flowtab *t)
{
	uint32_t n = t->nslot * 2;
	uint64_t *b = malloc((size_t)n * sizeof *b);

	if (!b)
		return -1;
	memset(b, 0xff, (size_t)n * sizeof *b);
	for (uint32_t i = 0; i < t->nslot; i++)
		if (t->slot[i] != EMPTY)
			slot_insert(b, n, (uint32_t)(t->slot[i] >> 32), (uint32_t)t->slot[i]);
	free(t->slot);
	t->slot = b;
	t->nslot = n;
	return 0;
}

/* Remove the entry for IDX (hash H) by backward-shift deletion. */
static void
slot_delete(struct pk_flowtab *t, uint32_t h, uint32_t idx)
{
	uint32_t m = t->nslot - 1, i = h & m, j;
	uint64_t want = (uint64_t)h << 32 | idx;

	while (t->slot[i] != want) {
		if (t->slot[i] == EMPTY)
			return;
		i = (i + 1) & m;
	}
	j = i;
	for (;;) {
		uint32_t home;

		j = (j + 1) & m;
		if (t->slot[j] == EMPTY)
			break;
		home = (uint32_t)(t->slot[j] >> 32) & m;
		/* Move j back to i unless its home lies cyclically in (i, j]. */
		if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
			t->slot[i] = t->slot[j];
			i = j;
		}
	}
	t->slot[i] = EMPTY;
}

/* A fresh slot at the end of pool P (chunks grow, never move), or NIL. */
static uint32_t
pool_grow(struct pool *p)
{
	if (p->used == p->nchunks * CHUNK) {
		if (p->used >= TCPBIT - CHUNK)
			return NIL;
		if (p->nchunks == p->cap_chunks) {
			uint32_t n = p->cap_chunks ? p->cap_chunks * 2 : 16;
			uint8_t **c = realloc(p->chunks, n * sizeof *c);

			if (!c)
				return NIL;
			p->chunks = c;
			p->cap_chunks = n;
		}
		p->chunks[p->nchunks] = calloc(CHUNK, p->size);
		if (!p->chunks[p->nchunks])
			return NIL;
		p->nchunks++;
	}
	return p->used++;
}

/* Slot I of pool P (the side pools' cold paths; the hot accessors below
 * multiply by their record's constant size). */
static inline uint8_t *
pool_slot(const struct pool *p, uint32_t i)
{
	return p->chunks[i >> CHUNK_BITS] + (size_t)(i & (CHUNK - 1)) * p->size;
}

/* A side record of P (times, IPv6 pairs, histories): the free list's head,
 * whose first 4 bytes link the rest, else a fresh slot; NIL when memory
 * ran out.  side_put gives record I back. */
static uint32_t
side_take(struct pool *p)
{
	uint32_t i = p->free_head;

	if (i == NIL)
		return pool_grow(p);
	memcpy(&p->free_head, pool_slot(p, i), 4);
	return i;
}

static void
side_put(struct pool *p, uint32_t i)
{
	memcpy(pool_slot(p, i), &p->free_head, 4);
	p->free_head = i;
}

static uint32_t
alloc_flow(struct pk_flowtab *t, int tcp)
{
	struct pool *p = &t->pool[tcp ? 1 : 0];
	uint32_t idx;

	if (p->free_head != NIL) {
		idx = p->free_head;
		p->free_head = F(t, idx)->next;
		return idx;
	}
	idx = pool_grow(p);
	return idx == NIL ? NIL : idx | (tcp ? TCPBIT : 0);
}

static inline struct tcpx *
X(const struct pk_flowtab *t, uint32_t x)
{
	x--;
	return (struct tcpx *)(void *)(t->xpool.chunks[x >> CHUNK_BITS] +
	                               (size_t)(x & (CHUNK - 1)) * sizeof(struct tcpx));
}

/* ------------------------------------------------------------ times */

static inline int64_t *
W(const struct pk_flowtab *t, uint32_t i)
{
	return ((struct wtimes *)(void *)(t->wpool.chunks[i >> CHUNK_BITS] +
	        (size_t)(i & (CHUNK - 1)) * sizeof(struct wtimes)))->v;
}

int64_t
pk__tget_wide(const struct pk_flowtab *t, const struct flow *f, int i)
{
	return W(t, f->tm[0])[i];
}

/* F has a struct tflow's times. */
static int
has_ttimes(const struct flow *f)
{
	return f->kind == K_TCP && !f->compact;
}

void
pk__tset_slow(struct pk_flowtab *t, struct flow *f, int i, int64_t v)
{
	if (!f->twide) {
		uint32_t w = side_take(&t->wpool);
		int64_t *tv;

		if (w == NIL) {
			t->oom = 1;
			return;
		}
		tv = W(t, w);
		memset(tv, 0, sizeof(struct wtimes));
		for (int j = 0; j < (has_ttimes(f) ? T_N : T_NCOMMON); j++) {
			tv[j] = pk__tget(t, f, j);
			*pk__tslot(f, j) = 0;   /* so that tcp_compress compares equal */
		}
		f->twide = 1;
		f->tm[0] = w;
	}
	W(t, f->tm[0])[i] = v;
}

/* Give F's wide times (if any) back. */
static void
twide_release(struct pk_flowtab *t, struct flow *f)
{
	if (f->twide) {
		side_put(&t->wpool, f->tm[0]);
		f->twide = 0;
		f->tm[0] = 0;
	}
}

/* ------------------------------------------------------ stored keys */

/* The 32 bytes (lo address, hi address) of IPv6 pair I. */
static inline uint8_t *
V6(const struct pk_flowtab *t, uint32_t i)
{
	return t->v6pool.chunks[i >> CHUNK_BITS] + (size_t)(i & (CHUNK - 1)) * 32;
}

/* *C: K without its addresses, IPv4 ones inline (LO/HI left 0 for IPv6). */
static inline void
fkey_make(const struct pk_flowkey *k, struct fkey *c)
{
	memset(c, 0, sizeof *c);
	if (k->ip_ver == 4) {
		memcpy(&c->lo, k->lo_addr + 12, 4);
		memcpy(&c->hi, k->hi_addr + 12, 4);
	}
	c->lo_port = k->lo_port;
	c->hi_port = k->hi_port;
	c->vlan[0] = k->vlan[0];
	c->vlan[1] = k->vlan[1];
	c->ip_proto = k->ip_proto;
	c->ip_ver = k->ip_ver;
	c->one_way = k->one_way;
}

/* Store K in F (C from fkey_make); an IPv6 pair takes a side record.
 * 0, or -1 when memory ran out. */
static int
fkey_store(struct pk_flowtab *t, struct flow *f, const struct pk_flowkey *k,
           const struct fkey *c)
{
	f->key = *c;
	if (k->ip_ver == 6) {
		uint32_t i = side_take(&t->v6pool);

		if (i == NIL)
			return -1;
		memcpy(V6(t, i), k->lo_addr, 16);
		memcpy(V6(t, i) + 16, k->hi_addr, 16);
		f->key.lo = i;
	}
	return 0;
}

/* Give F's IPv6 pair (if any) back. */
static void
fkey_release(struct pk_flowtab *t, const struct flow *f)
{
	if (f->key.ip_ver == 6)
		side_put(&t->v6pool, f->key.lo);
}

/* The full key of F. */
static void
fkey_load(const struct pk_flowtab *t, const struct flow *f, struct pk_flowkey *k)
{
	const struct fkey *c = &f->key;

	memset(k, 0, sizeof *k);
	if (c->ip_ver == 6) {
		memcpy(k->lo_addr, V6(t, c->lo), 16);
		memcpy(k->hi_addr, V6(t, c->lo) + 16, 16);
	} else {
		k->lo_addr[10] = k->lo_addr[11] = k->hi_addr[10] = k->hi_addr[11] = 0xff;
		memcpy(k->lo_addr + 12, &c->lo, 4);
		memcpy(k->hi_addr + 12, &c->hi, 4);
	}
	k->lo_port = c->lo_port;
	k->hi_port = c->hi_port;
	k->vlan[0] = c->vlan[0];
	k->vlan[1] = c->vlan[1];
	k->ip_proto = c->ip_proto;
	k->ip_ver = c->ip_ver;
	k->one_way = c->one_way;
}

/* The table's hash of F's key. */
static uint32_t
flow_hash(const struct pk_flowtab *t, const struct flow *f)
{
	struct pk_flowkey k;

	fkey_load(t, f, &k);
	return tab_hash(&k, t->o.hash_seed);
}

/* Does F's key equal K (C from fkey_make)? */
static inline int
fkey_eq(const struct pk_flowtab *t, const struct flow *f, const struct pk_flowkey *k,
        const struct fkey *c)
{
	if (c->ip_ver == 4)
		return memcmp(&f->key, c, sizeof *c) == 0;
	return memcmp((const char *)&f->key + 8, (const char *)c + 8, sizeof *c - 8) == 0 &&
	       memcmp(V6(t, f->key.lo), k->lo_addr, 16) == 0 &&
	       memcmp(V6(t, f->key.lo) + 16, k->hi_addr, 16) == 0;
}

#define xside pk__xside

struct tcpx *
pk__tcpx_rec(struct pk_flowtab *t, struct flow *f)
{
	struct tflow *tf = TF(f);
	struct pool *p = &t->xpool;

	if (!tf->x) {
		uint32_t i = p->free_head;

		if (i != NIL)
			p->free_head = X(t, i + 1)->next;
		else if ((i = pool_grow(p)) == NIL) {
			t->oom = 1;
			return NULL;
		}
		tf->x = i + 1;
		memset(X(t, tf->x), 0, sizeof(struct tcpx));
	}
	return X(t, tf->x);
}

struct tdirx *
pk__tcpx(struct pk_flowtab *t, struct flow *f, int is_orig)
{
	struct tcpx *x = pk__tcpx_rec(t, f);

	return x ? &x->s[xside(f, is_orig)] : NULL;
}

struct tdirx *
pk__tcpx_get(const struct pk_flowtab *t, struct flow *f, int is_orig)
{
	return TF(f)->x ? &X(t, TF(f)->x)->s[xside(f, is_orig)] : NULL;
}

const struct tdirx *
pk__tcpx_peek(const struct pk_flowtab *t, const struct flow *f, int is_orig)
{
	return CTF(f)->x ? &X(t, CTF(f)->x)->s[xside(f, is_orig)] : NULL;
}

const struct tcpx *
pk__tcpx_rec_peek(const struct pk_flowtab *t, const struct flow *f)
{
	return CTF(f)->x ? X(t, CTF(f)->x) : NULL;
}

/* The slot of key K (C from fkey_make, H its hash) and in *FP its flow,
 * or NIL. */
static uint32_t
lookup(const struct pk_flowtab *t, const struct pk_flowkey *k, const struct fkey *c,
       uint32_t h, struct flow **fp)
{
	uint32_t m = t->nslot - 1, i = h & m;

	for (;; i = (i + 1) & m) {
		uint64_t e = t->slot[i];
		struct flow *f;

		if (e == EMPTY)
			return NIL;
		if ((uint32_t)(e >> 32) == h &&
		    fkey_eq(t, f = F(t, (uint32_t)e), k, c)) {
			*fp = f;
			return (uint32_t)e;
		}
	}
}

/* -------------------------------------------------------- history */

#define SWAP32(a) do { uint32_t s_ = (a)[0]; (a)[0] = (a)[1]; (a)[1] = s_; } while (0)
#define SWAP64(a) do { uint64_t s_ = (a)[0]; (a)[0] = (a)[1]; (a)[1] = s_; } while (0)

/* History letters are stored as 5-bit codes, index + 1 in this alphabet,
 * which holds every letter the code adds (Zeek's, in both cases). */
static const char hist_abc[] = "^SHADFRCGTWIQZNXshadfrcgtwiqznx";

static unsigned
hist_code(char c)
{
	switch (c) {
#define HC(ch, v) case ch: return v;
	HC('^', 1) HC('S', 2) HC('H', 3) HC('A', 4) HC('D', 5) HC('F', 6) HC('R', 7)
	HC('C', 8) HC('G', 9) HC('T', 10) HC('W', 11) HC('I', 12) HC('Q', 13) HC('Z', 14)
	HC('N', 15) HC('X', 16) HC('s', 17) HC('h', 18) HC('a', 19) HC('d', 20) HC('f', 21)
	HC('r', 22) HC('c', 23) HC('g', 24) HC('t', 25) HC('w', 26) HC('i', 27) HC('q', 28)
	HC('z', 29) HC('n', 30) HC('x', 31)
#undef HC
	}
	return 0;   /* "?" */
}

/* The record of history pool index I. */
static inline uint8_t *
HR(const struct pk_flowtab *t, uint32_t i)
{
	return t->hpool.chunks[i >> CHUNK_BITS] + (size_t)(i & (CHUNK - 1)) * HIST_RECB;
}

/* The letter codes of F: inline, or the record of a history past HIST_IN
 * letters (its index in the inline bytes). */
static inline uint8_t *
hist_buf(const struct pk_flowtab *t, const struct flow *f)
{
	uint32_t i;

	if (f->hist_len <= HIST_IN)
		return (uint8_t *)(uintptr_t)f->hist;
	memcpy(&i, f->hist, 4);
	return HR(t, i);
}

/* Move F's HIST_IN inline letters to a record of their own; NULL when
 * memory ran out. */
static uint8_t *
hist_spill(struct pk_flowtab *t, struct flow *f)
{
	uint32_t i = side_take(&t->hpool);
	uint8_t *r;

	if (i == NIL) {
		t->oom = 1;
		return NULL;
	}
	r = HR(t, i);
	memset(r, 0, HIST_RECB);
	memcpy(r, f->hist, HIST_INB);
	memset(f->hist, 0, HIST_INB);
	memcpy(f->hist, &i, 4);
	return r;
}

/* Give F's history record (if any) back. */
static void
hist_release(struct pk_flowtab *t, struct flow *f)
{
	if (f->hist_len > HIST_IN) {
		uint32_t i;

		memcpy(&i, f->hist, 4);
		side_put(&t->hpool, i);
	}
}

void
pk__hist_add(struct pk_flowtab *t, struct flow *f, char c)
{
	unsigned v = hist_code(c), bit, sh;
	uint8_t *h;

	if (f->hist_len < HIST_IN)
		h = f->hist;
	else if (f->hist_len >= PK_HISTORY_MAX)
		return;
	else if (f->hist_len == HIST_IN) {
		if ((h = hist_spill(t, f)) == NULL)
			return;
	} else
		h = hist_buf(t, f);
	/* Letters are appended in order and the array starts zeroed, so
	 * OR-ing the 5 bits in (over at most two bytes) is enough. */
	bit = f->hist_len++ * 5u;
	sh = bit & 7;
	h[bit >> 3] |= (uint8_t)(v << sh);
	if (sh > 3)
		h[(bit >> 3) + 1] |= (uint8_t)(v >> (8 - sh));
}

/* Letter I of history codes H. */
static char
hist_letter(const uint8_t *h, unsigned i)
{
	unsigned v, bit = i * 5u, sh = bit & 7;

	v = h[bit >> 3] >> sh;
	if (sh > 3)
		v |= (unsigned)h[(bit >> 3) + 1] << (8 - sh);
	v &= 31;
	return v ? hist_abc[v - 1] : '?';
}

char
pk__hist_at(const struct pk_flowtab *t, const struct flow *f, unsigned i)
{
	if (i >= f->hist_len)
		return 0;
	return hist_letter(hist_buf(t, f), i);
}

/* Zeek's CheckHistory: record CODE the first time MASK is seen from this
 * side; returns 1 when it had been seen before. */
int
pk__hist_check(struct pk_flowtab *t, struct flow *f, uint32_t mask, char code, int is_orig)
{
	if (!is_orig) {
		mask <<= 16;
		if (code >= 'A' && code <= 'Z')
			code = (char)(code + 32);
	}
	if (f->hist_seen & mask)
		return 1;
	f->hist_seen |= mask;
	pk__hist_add(t, f, code);
	return 0;
}

/* Zeek's ScaledHistoryEntry, base 10: the letter at counts 1, 10, 100... */
int
pk__hist_scaled(struct pk_flowtab *t, struct flow *f, char code, uint32_t *counter, int is_orig)
{
	uint32_t c = ++*counter;

	while (c >= 10 && c % 10 == 0)
		c /= 10;
	if (c != 1)
		return 0;
	pk__hist_add(t, f, is_orig ? code : (char)(code + 32));
	return 1;
}

void
pk__flip(struct pk_flowtab *t, struct flow *f)
{
	struct fdir d = f->d[0];

	f->d[0] = f->d[1];
	f->d[1] = d;
	if (f->kind == K_TCP) {
		struct tflow *tf = TF(f);
		struct tcpep e = tf->ep[0];
		struct tdir td = tf->td[0];

		tf->ep[0] = tf->ep[1];
		tf->ep[1] = e;
		tf->td[0] = tf->td[1];
		tf->td[1] = td;
		SWAP32(tf->ip_lo);
		SWAP32(tf->pay_lo);
		if (f->closer)
			f->closer = (uint8_t)(f->closer == PK_CLOSE_ORIG_FIN ? PK_CLOSE_RESP_FIN :
			            f->closer == PK_CLOSE_RESP_FIN ? PK_CLOSE_ORIG_FIN :
			            f->closer == PK_CLOSE_ORIG_RST ? PK_CLOSE_RESP_RST : PK_CLOSE_ORIG_RST);
	} else {
		SWAP64(UF(f)->bytes);
		SWAP64(UF(f)->ip_bytes);
		SWAP64(UF(f)->payload);
	}
	f->orig_is_lo = !f->orig_is_lo;
	f->hist_seen = (f->hist_seen >> 16) | (f->hist_seen << 16);
	f->first_seen = (uint8_t)(((f->first_seen & 1) << 1) | ((f->first_seen >> 1) & 1));
	f->is_partial = 0;
	f->flipped = 1;
	pk__hist_add(t, f, '^');
}

void
pk__tcp_carry(struct pk_flowtab *t, struct flow *f, int is_orig, int is_pay)
{
	struct tdirx *x = pk__tcpx(t, f, is_orig);

	if (x) {
		if (is_pay)
			x->pay_hi++;
		else
			x->ip_hi++;
	}
}

/* ----------------------------------------------------------- records */

void
pk_flow_addr_str(const uint8_t a[16], char *out, size_t n)
{
	static const uint8_t v4[12] = { 0,0,0,0,0,0,0,0,0,0,0xff,0xff };
	int best = -1, bestlen = 0;
	size_t o = 0;

	if (memcmp(a, v4, 12) == 0) {
		char b[16];   /* "255.255.255.255" */
		size_t l = 0;

		for (int i = 12; i < 16; i++) {
			unsigned v = a[i];

			if (v >= 100)
				b[l++] = (char)('0' + v / 100);
			if (v >= 10)
				b[l++] = (char)('0' + v / 10 % 10);
			b[l++] = (char)('0' + v % 10);
			b[l++] = i < 15 ? '.' : '\0';
		}
		if (n) {
			l = l < n ? l : n;
			memcpy(out, b, l);
			out[l - 1] = '\0';
		}
		return;
	}
	/* RFC 5952: compress the longest run (>= 2) of zero groups. */
	for (int i = 0; i < 8;) {
		int j = i;

		while (j < 8 && a[2 * j] == 0 && a[2 * j + 1] == 0)
			j++;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	for (int i = 0; i < 8 && o < n; i++) {
		if (i == best) {
			o += (size_t)snprintf(out + o, n - o, "::");
			i += bestlen - 1;
			continue;
		}
		if (i > 0 && i != best + bestlen)
			o += (size_t)snprintf(out + o, n - o, ":");
		else if (i > 0 && best < 0)
			o += (size_t)snprintf(out + o, n - o, ":");
		o += (size_t)snprintf(out + o, n - o, "%x", (a[2 * i] << 8) | a[2 * i + 1]);
	}
	if (o == 0)
		snprintf(out, n, "::");
}

void
pk_flow_uid(const struct pk_flowrec *r, char out[24])
{
	static const char b62[] =
		"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	uint64_t a = r->uid_hash, b = r->uid_hash * 0x9e3779b97f4a7c15ULL ^ (uint64_t)r->start_ns;
	int i = 0;

	out[i++] = 'C';
	for (int k = 0; k < 11; k++) {
		out[i++] = b62[a % 62];
		a /= 62;
	}
	for (int k = 0; k < 6; k++) {
		out[i++] = b62[b % 62];
		b /= 62;
	}
	out[i] = 0;
}

static void
fill_dir(struct pk_flowdir *o, const struct fdir *d, uint64_t ip_bytes, uint64_t payload,
         uint64_t bytes, const struct tdir *td, const struct tdirx *x)
{
	memset(o, 0, sizeof *o);
	o->pkts = d->pkts;
	o->ip_bytes = ip_bytes;
	o->bytes = bytes;
	o->payload = payload;
	o->bad_csum = d->bad_csum;
	o->ttl_min = d->ttl_min;
	o->ttl_max = d->ttl_max;
	o->wscale = -1;
	if (!td)
		return;
	o->win_min = pk__win_min(td);
	o->win_max = pk__win_max(td);
	o->syn = td->syn | (uint32_t)(x ? x->syn_hi : 0) << 16;
	o->fin = x ? x->fin : 0;
	o->rst = x ? x->rst : 0;
	o->mss = td->mss;
	o->wscale = td->wscale;
	o->sack_ok = td->opts & 1;
	o->ts_ok = (td->opts >> 1) & 1;
}

static uint64_t
uid_hash_of(const struct pk_flowtab *t, const struct flow *f)
{
	struct pk_flowkey k;

	fkey_load(t, f, &k);
	return pk_flowkey_hash(&k, 0x5eed) ^ ((uint64_t)f->start_ns * 0x9e3779b97f4a7c15ULL);
}

int
pk_flowtab_last_flow(const struct pk_flowtab *t, uint64_t *uid_hash, int64_t *start_ns)
{
	if (t->last_idx == NIL)
		return 0;
	*uid_hash = uid_hash_of(t, F(t, t->last_idx));
	*start_ns = F(t, t->last_idx)->start_ns;
	return 1;
}

const struct pk_layers *
pk_flowtab_last_whole(const struct pk_flowtab *t)
{
	return t->last_whole ? &t->whole : NULL;
}

static void
diag_dir(const struct pk_flowtab *t, const struct flow *f, struct pk_flowdir *o, int is_orig,
         int64_t last)
{
	const struct tdirx *x = pk__tcpx_peek(t, f, is_orig);
	int side = 2 * xside(f, is_orig);

	if (x) {
		o->retx_pkts = x->retx_pkts;
		o->retx_bytes = x->retx_bytes;
		o->ooo_pkts = x->ooo_pkts;
		o->dup_acks = x->dup_acks;
		o->zero_win = x->win0_cnt;
		o->zero_win_ns = x->zw_ns + (x->zw_since ? last - x->zw_since : 0);
		o->zero_win_first_ns = x->zw_first;
	}
	o->data_first_ns = pk__tget(t, f, T_DFIRST + side);
	o->data_last_ns = pk__tget(t, f, T_DLAST + side);
}

/* ------------------------------------------------------ compact TCP */

/*
 * Most live TCP flows of a scan or a SYN flood never get past their first
 * SYN, and a million of them in full (struct tflow) would cost over 500
 * bytes each.  Such a flow is kept as a plain struct flow instead, in the
 * pool of UDP flows, with f->compact set and its TCP facts packed in:
 *   bytes[0]     the expire timer (its 32-bit form, flow_int.h; wide: 64 bits)
 *   bytes[1]     start_seq | mss << 32 | SYN's wscale << 48 | applied wscale << 56
 *   c_opts       td[0].opts;  c_attempt: attempt timer armed at start + tcp_attempt
 * Everything else has the value a fresh flow gets.  A flow is stored
 * compact only when expanding the packed form gives back exactly the same
 * TCP state (tcp_compress checks it byte for byte), so the representation
 * can never change a result; any packet or timer works on an expanded copy.
 */
static void
tcp_expand(const struct pk_flowtab *t, const struct flow *c, struct tflow *o)
{
	uint64_t w = UF(c)->bytes[1];

	memset(o, 0, sizeof *o);
	memcpy(&o->f, c, sizeof o->f);
	o->f.compact = o->f.c_opts = o->f.c_attempt = 0;
	pk__ep_rset(&o->ep[0], 1);
	pk__ep_rset(&o->ep[1], 1);
	o->ep[0].start_seq = o->ep[0].ack_seq = (uint32_t)w;
	o->ep[0].last_seq = (uint32_t)w + 1;
	o->ep[0].state = PK_TCP_SYN_SENT;
	o->ep[0].wscale = (uint8_t)(w >> 56);
	o->td[0].syn = 1;
	o->td[0].mss = (uint16_t)(w >> 32);
	o->td[0].wscale = (int8_t)(uint8_t)(w >> 48);
	o->td[0].opts = c->c_opts;
	o->td[1].wscale = -1;
	/* tcp_compress packs only flows without an extras record, whose
	 * counts are their low halves */
	for (int i = 0; i < 2; i++) {
		o->ip_lo[i] = (uint32_t)UF(c)->ip_bytes[i];
		o->pay_lo[i] = (uint32_t)UF(c)->payload[i];
	}
	if (c->twide) {
		/* The wide record is the flow's own: its TCP times get the
		 * values tcp_compress checked they had. */
		int64_t *v = W(t, c->tm[0]);

		for (int i = T_NCOMMON; i < T_N; i++)
			v[i] = 0;
		v[T_EXPIRE] = (int64_t)UF(c)->bytes[0];
		v[T_ATTEMPT] = c->c_attempt ? c->start_ns + t->o.tcp_attempt_ns : 0;
		v[T_SYN] = c->start_ns;
	} else {
		/* tcp_compress checked that these times have a 32-bit form. */
		o->tm[T_EXPIRE - T_NCOMMON] = (uint32_t)UF(c)->bytes[0];
		if (c->c_attempt)
			(void)pk__tenc(&o->f, T_ATTEMPT, c->start_ns + t->o.tcp_attempt_ns,
			               pk__tslot(&o->f, T_ATTEMPT));
		(void)pk__tenc(&o->f, T_SYN, c->start_ns, pk__tslot(&o->f, T_SYN));
	}
	o->syn_cnt = 1;
}

/* Pack TF into *OUT; 1 when that loses nothing, else 0. */
static int
tcp_compress(const struct pk_flowtab *t, const struct tflow *tf, struct uflow *uo)
{
	struct flow *out = &uo->f;
	struct tflow chk;
	uint32_t s;

	if (tf->x || tf->syn_cnt != 1 ||
	    tf->ep[0].state != PK_TCP_SYN_SENT || tf->ep[1].state != PK_TCP_INACTIVE)
		return 0;
	memcpy(out, &tf->f, sizeof *out);
	out->compact = 1;
	if (tf->f.twide) {
		const int64_t *v = W(t, tf->f.tm[0]);

		for (int i = T_NCOMMON; i < T_N; i++)
			if (i != T_EXPIRE && i != T_ATTEMPT && i != T_SYN && v[i])
				return 0;
		if (v[T_SYN] != tf->f.start_ns ||
		    (v[T_ATTEMPT] && v[T_ATTEMPT] != tf->f.start_ns + t->o.tcp_attempt_ns))
			return 0;
		uo->bytes[0] = (uint64_t)v[T_EXPIRE];
		out->c_attempt = v[T_ATTEMPT] != 0;
	} else {
		if (tf->tm[T_ATTEMPT - T_NCOMMON] &&
		    !pk__tenc(&tf->f, T_ATTEMPT, tf->f.start_ns + t->o.tcp_attempt_ns, &s))
			return 0;
		uo->bytes[0] = tf->tm[T_EXPIRE - T_NCOMMON];
		out->c_attempt = tf->tm[T_ATTEMPT - T_NCOMMON] != 0;
	}
	uo->bytes[1] = tf->ep[0].start_seq | (uint64_t)tf->td[0].mss << 32 |
	                  (uint64_t)(uint8_t)tf->td[0].wscale << 48 |
	                  (uint64_t)tf->ep[0].wscale << 56;
	out->c_opts = tf->td[0].opts;
	for (int i = 0; i < 2; i++) {
		uo->ip_bytes[i] = tf->ip_lo[i];
		uo->payload[i] = tf->pay_lo[i];
	}
	tcp_expand(t, out, &chk);
	return memcmp((const char *)&chk + sizeof chk.f, (const char *)tf + sizeof tf->f,
	              sizeof chk - sizeof chk.f) == 0;
}

/* Replace IDX by NIDX in the key index (hash H). */
static void
slot_replace(struct pk_flowtab *t, uint32_t h, uint32_t idx, uint32_t nidx)
{
	uint32_t m = t->nslot - 1, i = h & m;
	uint64_t want = (uint64_t)h << 32 | idx;

	for (; t->slot[i] != EMPTY; i = (i + 1) & m)
		if (t->slot[i] == want) {
			t->slot[i] = (uint64_t)h << 32 | nidx;
			return;
		}
}

/* Give slot IDX back to its pool; queued heap entries go stale. */
static void
free_slot(struct pk_flowtab *t, uint32_t idx)
{
	struct flow *f = F(t, idx);

	f->gen++;
	f->dead = 1;
	f->next = t->pool[idx >> 31].free_head;
	t->pool[idx >> 31].free_head = idx;
}

/*
 * Store the TCP state W (a working copy, or the full slot IDX itself) of
 * the flow held in slot IDX: compact when possible (a full slot is only
 * packed while NEW, before any timer refers to it), otherwise in a full
 * slot.  Returns the flow's slot, which may have moved, or NIL when memory
 * ran out (the flow then stays as it was).
 */
static uint32_t
tcp_store(struct pk_flowtab *t, uint32_t idx, struct tflow *w, uint32_t h, int is_new)
{
	struct uflow c;
	uint32_t n, gen;
	struct flow *d;

	if (!(idx & TCPBIT) || is_new) {
		if (tcp_compress(t, w, &c)) {
			if (!(idx & TCPBIT)) {
				gen = F(t, idx)->gen;
				memcpy(UF(F(t, idx)), &c, sizeof c);
				F(t, idx)->gen = gen;
				return idx;
			}
			if ((n = alloc_flow(t, 0)) == NIL)
				return idx;
		} else if (idx & TCPBIT)
			return idx;
		else if ((n = alloc_flow(t, 1)) == NIL)
			return NIL;
	} else
		return idx;
	d = F(t, n);
	gen = d->gen;
	if (n & TCPBIT)
		memcpy(d, w, sizeof *w);
	else
		memcpy(d, &c, sizeof c);
	d->gen = gen;
	d->dead = 0;
	d->queued_at = 0;
	slot_replace(t, h, idx, n);
	free_slot(t, idx);
	if (t->last_idx == idx)
		t->last_idx = n;
	return n;
}

static void
emit(struct pk_flowtab *t, struct flow *f, enum pk_flowend why)
{
	struct pk_flowrec r;
	struct pk_flowkey kb, *k = &kb;
	int lo = f->orig_is_lo;
	const struct tcpx *rx;

	fkey_load(t, f, &kb);
	memset(&r, 0, sizeof r);
	memcpy(r.orig_addr, lo ? k->lo_addr : k->hi_addr, 16);
	memcpy(r.resp_addr, lo ? k->hi_addr : k->lo_addr, 16);
	r.orig_port = lo ? k->lo_port : k->hi_port;
	r.resp_port = lo ? k->hi_port : k->lo_port;
	r.ip_ver = k->ip_ver;
	r.ip_proto = k->ip_proto;
	r.vlan[0] = k->vlan[0];
	r.vlan[1] = k->vlan[1];
	r.start_ns = f->start_ns;
	r.last_ns = pk__tget(t, f, T_LAST);
	r.duration_ns = r.last_ns - f->start_ns;
	{
		const uint8_t *h = hist_buf(t, f);

		for (unsigned i = 0; i < f->hist_len; i++)
			r.history[i] = hist_letter(h, i);
		r.history[f->hist_len] = 0;
	}
	rx = f->kind == K_TCP ? pk__tcpx_rec_peek(t, f) : NULL;
	r.missed_bytes = rx ? rx->missed : 0;
	if (f->kind == K_TCP) {
		fill_dir(&r.orig, &f->d[0], pk__tcp_count(t, f, 1, 0), pk__tcp_count(t, f, 1, 1), 0,
		         &TF(f)->td[0], pk__tcpx_peek(t, f, 1));
		fill_dir(&r.resp, &f->d[1], pk__tcp_count(t, f, 0, 0), pk__tcp_count(t, f, 0, 1), 0,
		         &TF(f)->td[1], pk__tcpx_peek(t, f, 0));
	} else {
		fill_dir(&r.orig, &f->d[0], UF(f)->ip_bytes[0], UF(f)->payload[0], UF(f)->bytes[0],
		         NULL, NULL);
		fill_dir(&r.resp, &f->d[1], UF(f)->ip_bytes[1], UF(f)->payload[1], UF(f)->bytes[1],
		         NULL, NULL);
	}
	if (f->kind == K_TCP) {
		const struct tcpep *ep = FEP(f);

		r.orig.bytes = pk__tcp_size(&ep[0], &ep[1]);
		r.resp.bytes = pk__tcp_size(&ep[1], &ep[0]);
		r.orig.state = ep[0].state;
		r.resp.state = ep[1].state;
		r.conn_state = pk_tcp_connstate(ep[0].state, ep[1].state,
		                                r.orig.bytes, r.resp.bytes, r.history);
	} else if (f->kind == K_UDP) {
		r.orig.state = f->d[0].active;
		r.resp.state = f->d[1].active;
		r.conn_state = f->d[0].active ? (f->d[1].active ? PK_CS_SF : PK_CS_S0)
		                              : (f->d[1].active ? PK_CS_SHR : PK_CS_OTH);
	} else
		r.conn_state = PK_CS_OTH;
	r.uid_hash = uid_hash_of(t, f);
	r.rtt_syn_synack_ns = r.rtt_synack_ack_ns = -1;
	if (f->kind == K_TCP) {
		const struct tflow *tf = CTF(f);
		int64_t syn_ns = pk__tget(t, f, T_SYN), synack_ns = pk__tget(t, f, T_SYNACK);
		int64_t ack_ns = pk__tget(t, f, T_ACK), prev_ns = pk__tget(t, f, T_PREV);

		if (syn_ns && synack_ns >= syn_ns)
			r.rtt_syn_synack_ns = synack_ns - syn_ns;
		if (ack_ns && synack_ns)
			r.rtt_synack_ack_ns = ack_ns - synack_ns;
		uint32_t syn_cnt = pk__syn_count(t, f, 0), synack_cnt = pk__syn_count(t, f, 1);

		r.syn_retx = syn_cnt > 1 ? syn_cnt - 1 : 0;
		r.synack_retx = synack_cnt > 1 ? synack_cnt - 1 : 0;
		r.closer = (enum pk_closer)f->closer;
		r.close_ns = rx ? rx->close_ns : 0;
		r.syn_pkts = syn_cnt;
		r.synack_pkts = synack_cnt;
		r.syn_first_ns = syn_ns;
		r.syn_last_ns = syn_cnt > 1 && tf->x ? X(t, tf->x)->syn_last_ns : syn_ns;
		r.synack_first_ns = synack_ns;
		r.synack_last_ns = synack_cnt > 1 && tf->x ? X(t, tf->x)->synack_last_ns : synack_ns;
		r.hs_ack_ns = ack_ns;
		diag_dir(t, f, &r.orig, 1, prev_ns);
		diag_dir(t, f, &r.resp, 0, prev_ns);
	}
	r.max_idle_ns = pk__tget(t, f, T_IDLE);
	r.max_idle_at_ns = pk__tget(t, f, T_IDLE_AT);
	r.bad_csum = (uint32_t)f->d[0].bad_csum + f->d[1].bad_csum;
	r.flipped = f->flipped;
	r.open_at_end = why == PK_END_EOF;
	if (f->kind == K_TCP && r.open_at_end) {
		const struct tcpep *a = &FEP(f)[0], *b = &FEP(f)[1];

		/* Closed, reset or half closed: waiting out the close delay. */
		if ((a->did_close && b->did_close) || a->state == PK_TCP_RESET ||
		    b->state == PK_TCP_RESET || (rx && rx->delete_at))
			r.open_at_end = 0;
	}
	r.end = why;
	r.icmp_type = f->icmp_type;
	r.icmp_code = f->icmp_code;
	if (t->cb)
		t->cb(&r, t->arg);
}

/* Emit and free flow IDX; VIEW (NULL: the slot itself) is its current
 * state when a working copy holds it. */
static void
remove_flow_view(struct pk_flowtab *t, uint32_t idx, struct flow *view, enum pk_flowend why)
{
	struct flow *f = F(t, idx);
	uint32_t h = flow_hash(t, f);
	struct tflow w;

	if (!view && f->compact) {
		tcp_expand(t, f, &w);
		view = &w.f;
	}
	emit(t, view ? view : f, why);
	slot_delete(t, h, idx);
	if (view)
		f = view;
	if (f->kind == K_TCP && !f->compact && TF(f)->x) {
		X(t, TF(f)->x)->next = t->xpool.free_head;
		t->xpool.free_head = TF(f)->x - 1;
		TF(f)->x = 0;
	}
	fkey_release(t, f);
	twide_release(t, f);
	hist_release(t, f);
	free_slot(t, idx);
	t->live--;
}

static void
remove_flow(struct pk_flowtab *t, uint32_t idx, enum pk_flowend why)
{
	remove_flow_view(t, idx, NULL, why);
}

/* Run the timers of flow IDX due at NOW; returns 1 if it was removed. */
static int
run_timers(struct pk_flowtab *t, uint32_t *idxp, int64_t now)
{
	uint32_t idx = *idxp;
	struct flow *f = F(t, idx);

	if (f->kind == K_TCP) {
		struct tflow w;
		struct flow *v = NULL;

		if (f->compact) {
			tcp_expand(t, f, &w);
			f = v = &w.f;
		}
		/* Analyzer timers and the inactivity timer, in time order. */
		for (;;) {
			int64_t n = pk__tcp_next_timer(t, f), ia = pk__tget(t, f, T_LAST) + inact_ns(t, f);

			if (ia <= now && (!n || ia <= n)) {
				remove_flow_view(t, idx, v, PK_END_INACTIVE);
				return 1;
			}
			if (!n || n > now)
				break;
			{
				int r = pk__tcp_timers(t, f, now);

				if (r >= 0) {
					remove_flow_view(t, idx, v, (enum pk_flowend)r);
					return 1;
				}
			}
		}
		if (v) {
			uint32_t n = tcp_store(t, idx, &w, flow_hash(t, f), 0);

			if (n == NIL)
				return -1;
			*idxp = n;
		}
		return 0;
	}
	if (pk__tget(t, f, T_LAST) + inact_ns(t, f) <= now) {
		remove_flow(t, idx, PK_END_INACTIVE);
		return 1;
	}
	return 0;
}

static int
advance_due(struct pk_flowtab *t, int64_t now)
{
	while (t->nheap && t->heap[0].when <= now) {
		struct hent h = t->heap[0];
		struct flow *f = F(t, h.idx);

		heap_pop(t);
		if (f->gen != h.gen || f->dead)
			continue;
		if (f->queued_at == h.when)
			f->queued_at = 0;
		{
			uint32_t idx = h.idx;
			int r = run_timers(t, &idx, now);

			if (r < 0 || (r == 0 && schedule(t, idx) < 0))
				return -1;
		}
	}
	return 0;
}

/* Run the timers due at NOW.  Most packets find none: that test inline,
 * the work (and its call frame) only when some timer is due. */
static inline int
advance(struct pk_flowtab *t, int64_t now)
{
	if (!t->nheap || t->heap[0].when > now)
		return 0;
	return advance_due(t, now);
}

static int
evict_one(struct pk_flowtab *t)
{
	while (t->nheap) {
		struct hent h = t->heap[0];
		struct flow *f = F(t, h.idx);

		heap_pop(t);
		if (f->gen != h.gen || f->dead)
			continue;
		if (f->queued_at == h.when)
			f->queued_at = 0;
		remove_flow(t, h.idx, PK_END_EVICTED);
		return 0;
	}
	return -1;
}

static uint32_t
new_flow(struct pk_flowtab *t, const struct pk_flowkey *k, const struct fkey *c, uint32_t h,
         int64_t now, int kind)
{
	uint32_t idx;
	struct flow *f;
	uint32_t gen;

	if (t->o.max_flows && t->live >= t->o.max_flows)
		(void)evict_one(t);
	if (t->live + 1 > (size_t)t->nslot / 2 && grow_slots(t) < 0)
		return NIL;
	idx = alloc_flow(t, kind == K_TCP);
	if (idx == NIL)
		return NIL;
	f = F(t, idx);
	gen = f->gen;
	memset(f, 0, t->pool[idx >> 31].size);
	f->gen = gen;
	f->kind = (uint8_t)kind;
	if (fkey_store(t, f, k, c) < 0) {
		free_slot(t, idx);
		return NIL;
	}
	f->start_ns = now;
	f->tns = now % 1000 != 0;
	pk__tset(t, f, T_LAST, now);
	pk__tset(t, f, T_PREV, now);
	f->is_active = 1;
	if (kind == K_TCP) {
		pk__ep_rset(&FEP(f)[0], 1);   /* the reassembler starts past the SYN */
		pk__ep_rset(&FEP(f)[1], 1);
		TF(f)->td[0].wscale = TF(f)->td[1].wscale = -1;
	}
	slot_insert(t->slot, t->nslot, h, idx);
	t->live++;
	return idx;
}

/* F's last time is NOW, whose 32-bit form in F is SNOW (0: none). */
static inline void
set_last(struct pk_flowtab *t, struct flow *f, int64_t now, uint32_t snow)
{
	if (snow)
		f->tm[T_LAST] = snow;
	else
		pk__tset(t, f, T_LAST, now);
}

/* Count packet L in its sender's D (IP bytes: by kind, in the switch). */
static void
count_pkt(struct fdir *d, const struct pk_layers *L)
{
	d->pkts++;
	if (d->pkts == 1 || L->ip_ttl < d->ttl_min)
		d->ttl_min = L->ip_ttl;
	if (d->pkts == 1 || L->ip_ttl > d->ttl_max)
		d->ttl_max = L->ip_ttl;
}

static int
is_bcast4(const uint8_t a[16])
{
	static const uint8_t b[16] = { 0,0,0,0,0,0,0,0,0,0,0xff,0xff,0xff,0xff,0xff,0xff };

	return memcmp(a, b, 16) == 0;
}

int
pk_flowtab_add(struct pk_flowtab *t, const struct pk_layers *L, int64_t sec, uint32_t nsec)
{
	struct pk_flowkey k;
	struct fkey ck;
	int src_is_lo, kind, is_orig, csum = -1;
	int64_t now = sec * PK_NS + (int64_t)nsec;
	uint32_t h, idx;
	struct flow *f, *v = NULL;   /* V: working copy of a compact TCP flow */
	struct tflow w;
	int is_new = 0, oom = 0;
	uint32_t snow;   /* NOW's 32-bit form in F, 0 if it has none */

	t->last_idx = NIL;
	t->last_whole = 0;
	if (L->have & PK_HAVE_FRAG) {
		/* A fragmented datagram counts once, whole (frag.c). */
		int rc = pk__frag_add(&t->frag, L, &t->whole);

		if (rc <= 0)
			return rc;
		if (rc == 1) {
			L = &t->whole;
			t->last_whole = 1;
		}
	}
	if (pk_flow_key(L, t->o.vlan_key, &k, &src_is_lo) < 0)
		return 0;
	if ((L->have & PK_HAVE_FRAG) && L->frag_off != 0)
		return 0;   /* later fragments carry no transport header */
	if (L->have & PK_HAVE_TCP) {
		kind = K_TCP;
		if (L->tcp_hlen < 20)
			return 0;
	} else if (L->have & PK_HAVE_UDP)
		kind = K_UDP;
	else if (L->have & (PK_HAVE_ICMP | PK_HAVE_ICMP6))
		kind = K_ICMP;
	else if (L->ip_proto == 6 || L->ip_proto == 17 || L->ip_proto == 1 || L->ip_proto == 58)
		return 0;   /* transport header cut off: Zeek skips the packet */
	else
		kind = K_OTHER;

	if (now > t->now)
		t->now = now;
	if (advance(t, now) < 0)
		return -1;

	h = tab_hash(&k, t->o.hash_seed);
	fkey_make(&k, &ck);
	idx = lookup(t, &k, &ck, h, &f);
	if (idx != NIL) {
		if (f->compact) {
			tcp_expand(t, f, &w);
			f = v = &w.f;
		}
		is_orig = (src_is_lo != 0) == (f->orig_is_lo != 0);
		if (kind == K_TCP && pk__tcp_is_reuse(f, L, is_orig)) {
			remove_flow_view(t, idx, v, PK_END_REUSE);
			idx = NIL;
			v = NULL;
		}
	}
	if (idx == NIL) {
		int flip = 0;
		const uint8_t *dst_addr = src_is_lo ? k.hi_addr : k.lo_addr;

		idx = new_flow(t, &k, &ck, h, now, kind);
		if (idx == NIL)
			return -1;
		is_new = 1;
		f = F(t, idx);
		f->kind = (uint8_t)kind;
		f->orig_is_lo = (uint8_t)src_is_lo;
		if (kind == K_TCP) {
			f->inact = IN_UDP;
			pk__tset(t, f, T_EXPIRE, now + t->o.tcp_syn_timeout_ns);
			if (!(L->tcp_flags & PK_TH_SYN) || (L->tcp_flags & PK_TH_ACK)) {
				if (pk__is_server_port(t, 6, L->sport)) {
					if (pk__is_server_port(t, 6, L->dport))
						flip = !(L->tcp_flags & PK_TH_SYN) && L->sport < L->dport;
					else
						flip = 1;
				}
			}
		} else if (kind == K_UDP) {
			f->inact = IN_UDP;
			flip = pk__is_server_port(t, 17, L->sport) && !pk__is_server_port(t, 17, L->dport);
		} else if (kind == K_ICMP) {
			f->inact = IN_ICMP;
			f->icmp_type = L->icmp_type;
			f->icmp_code = L->icmp_code;
		} else
			f->inact = IN_OTHER;
		if (flip && k.ip_ver == 4 && is_bcast4(dst_addr))
			flip = 0;
		if (flip)
			pk__flip(t, f);
		is_orig = (src_is_lo != 0) == (f->orig_is_lo != 0);
	}
	f = v ? v : F(t, idx);
	t->last_idx = idx;

	if (!f->twide && pk__tenc(f, T_PREV, now, &snow) && snow) {
		/* The same in the 32-bit forms, which count whole units from
		 * the start (a prev of 0 is a form of 0; the gap's form is
		 * 1 + gap / unit). */
		uint32_t sp = f->tm[T_PREV], si = f->tm[T_IDLE];

		if (sp && (int64_t)snow - sp > (int64_t)(si ? si - 1 : 0)) {
			f->tm[T_IDLE] = snow - sp + 1;
			f->tm[T_IDLE_AT] = snow;
		}
		f->tm[T_PREV] = snow;
	} else {
		int64_t prev = pk__tget(t, f, T_PREV);

		snow = 0;
		if (prev && now - prev > pk__tget(t, f, T_IDLE)) {
			pk__tset(t, f, T_IDLE, now - prev);
			pk__tset(t, f, T_IDLE_AT, now);
		}
		pk__tset(t, f, T_PREV, now);
	}

	if (t->o.validate_checksums || t->o.count_checksums)
		csum = pk_decode_l4_checksum_ok(L);
	if (csum == 0) {
		/* Validated, a bad packet's count is also that of the
		 * logarithmic C letter (TCP and UDP), which adds it. */
		if (!t->o.validate_checksums)
			f->d[is_orig ? 0 : 1].bad_csum++;
		else {
			if (kind == K_TCP)
				pk__tcp_checksum_error(t, f, is_orig);
			else if (kind == K_UDP)
				pk__hist_scaled(t, f, 'C', &f->d[is_orig ? 0 : 1].bad_csum, is_orig);
			else
				f->d[is_orig ? 0 : 1].bad_csum++;
			goto done;
		}
	}

	if (kind == K_TCP) {
		pk__tcp_process(t, f, L, now, snow, &is_orig);
		pk__tcp_bytes(t, f, is_orig, 0, L->ip_len);
	} else {
		/* UDP, ICMP and other IP: byte counts by kind (Zeek: UDP
		 * sum(len - 8), ICMP sum(IP payload - 8)), then what all share. */
		int r = is_orig ? 0 : 1;

		if (kind == K_UDP) {
			pk__hist_check(t, f, H_DATA, 'D', is_orig);
			if (L->udp_len >= 8)
				UF(f)->bytes[r] += (uint64_t)L->udp_len - 8;
			UF(f)->payload[r] += L->payload_len;
		} else if (kind == K_ICMP) {
			uint32_t hl = L->l4_off - L->l3_off;

			if (L->ip_len >= hl + 8)
				UF(f)->bytes[r] += L->ip_len - hl - 8;
		}
		UF(f)->ip_bytes[r] += L->ip_len;
		f->d[r].active = 1;
		set_last(t, f, now, snow);
	}
	count_pkt(&f->d[is_orig ? 0 : 1], L);
done:
	if (t->oom) {   /* an extras or wide-times record could not be had */
		t->oom = 0;
		oom = 1;
	}
	if (kind == K_TCP && (v || is_new)) {
		idx = tcp_store(t, idx, TF(f), h, is_new);
		if (idx == NIL)
			return -1;
	}
	if (oom)
		return -1;
	return schedule(t, idx);
}

int
pk_flowtab_advance(struct pk_flowtab *t, int64_t sec, uint32_t nsec)
{
	int64_t now = sec * PK_NS + (int64_t)nsec;

	if (now > t->now)
		t->now = now;
	return advance(t, now);
}

void
pk_flowtab_flush(struct pk_flowtab *t)
{
	/* Slot order, not start order: callers sort. */
	for (int p = 0; p < 2; p++)
		for (uint32_t i = 0; i < t->pool[p].used; i++) {
			uint32_t idx = i | (p ? TCPBIT : 0);

			if (!F(t, idx)->dead)
				remove_flow(t, idx, PK_END_EOF);
		}
	t->nheap = 0;
}
