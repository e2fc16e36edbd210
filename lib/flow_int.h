/* flow_int.h — live-flow state shared by flow.c and tcpconn.c (not public). */
#ifndef PK_FLOW_INT_H
#define PK_FLOW_INT_H

#include <stdint.h>
#include <string.h>
#include "pcapkit/flow.h"
#include "pcapkit/tcpconn.h"

/* One TCP endpoint, as Zeek's TCP_Endpoint keeps it (the parts conn.log needs). */
struct tcpep {
	/* next in-order relative seq (reassembler): a uint64_t's bytes in
	 * 4-aligned storage, so the struct needs no 8-byte alignment (and no
	 * padding); read and write it with pk__ep_r, pk__ep_rset */
	uint32_t reassem[2];
	/* the out-of-order block, the T/W/G counters, the FIN's sequence and
	 * the letters' last sequence numbers: struct tdirx */
	uint32_t start_seq, last_seq, ack_seq;
	uint32_t last_ack;         /* for duplicate-ACK counting */
	uint16_t seq_wraps, ack_wraps;
	uint16_t last_win;
	/* bit fields: they share last_win's word */
	unsigned state : 3, prev_state : 3;   /* enum pk_tcpstate */
	unsigned did_close : 1, fin_cnt : 1;  /* fin_cnt: a FIN was seen */
	unsigned has_ack : 1;      /* last_ack valid */
	unsigned wscale : 4;       /* negotiated shift applied to windows, 0..14 */
};

static inline uint64_t
pk__ep_r(const struct tcpep *e)
{
	uint64_t v;

	memcpy(&v, e->reassem, sizeof v);
	return v;
}

static inline void
pk__ep_rset(struct tcpep *e, uint64_t v)
{
	memcpy(e->reassem, &v, sizeof v);
}

/* Per-direction counters of every flow (index 0 = originator, 1 = responder).
 * The byte counts are the pool's own: 64-bit in struct uflow, 32-bit low
 * halves in struct tflow whose high halves spill to struct tdirx. */
struct fdir {
	uint32_t pkts;
	/* bad checksums: 32 bits, offloaded captures make millions; with
	 * --validate-checksums also the count of the logarithmic C letter
	 * (every bad packet counts there and nowhere else then) */
	uint32_t bad_csum;
	uint8_t  ttl_min, ttl_max;
	uint8_t  active;           /* UDP/ICMP: sent a valid packet */
};

/* Per-direction TCP facts (TCP flows only). */
struct tdir {
	/* SYN packets sent: the low 16 bits of a 32-bit count whose high
	 * ones are struct tdirx.syn_hi (FIN and RST counts: struct tdirx) */
	uint16_t syn;
	/* smallest and largest window: a 16-bit header field shifted left by
	 * win_shmin / win_shmax, 0..14 (pk__win_min, pk__win_max) */
	uint16_t win_min, win_max;
	uint16_t mss;
	/* bit fields in one 16-bit unit (so the struct stays 2-aligned) */
	int16_t  wscale : 5;       /* -1 (none) .. 14 */
	uint16_t opts : 3;         /* 1 SACK-permitted, 2 timestamps, 4 window seen */
	uint16_t win_shmin : 4, win_shmax : 4;
};

static inline uint32_t
pk__win_min(const struct tdir *d)
{
	return (uint32_t)d->win_min << d->win_shmin;
}

static inline uint32_t
pk__win_max(const struct tdir *d)
{
	return (uint32_t)d->win_max << d->win_shmax;
}


/* Per-direction TCP facts most flows never need, or need only once they
 * close (retransmissions, zero windows, duplicate ACKs, FIN and RST facts):
 * kept in a side record of the table's extras pool, allocated the first
 * time one of them is set to a value other than 0.  A flow without the
 * record reads them all as 0.  Indexed by key side (0 = the key's lo
 * endpoint sent), not by role, so a flip need not swap it. */
struct tdirx {
	uint64_t retx_bytes;
	uint32_t retx_pkts, ooo_pkts, dup_acks;
	uint32_t rxmt_cnt, win0_cnt, gap_cnt; /* logarithmic T, W and G */
	int64_t  zw_since, zw_ns, zw_first;   /* zero window: current run, total, first */
	uint64_t hole_lo, hole_hi; /* one buffered out-of-order block [lo, hi) */
	uint64_t fin_seq;          /* relative seq just past the FIN (tcpep.fin_cnt) */
	uint32_t hist_last_syn, hist_last_fin, hist_last_rst;   /* repeat rule of S, F, R */
	uint32_t fin, rst;         /* packets with these flags */
	uint32_t ip_hi, pay_hi;    /* high 32 bits of tflow.ip_lo, pay_lo */
	uint16_t syn_hi;           /* high 16 bits of the SYN count (tdir.syn) */
};
struct tcpx {
	struct tdirx s[2];
	int64_t  syn_last_ns, synack_last_ns;   /* valid once the count passes 1 */
	uint64_t missed;           /* missed_bytes */
	int64_t  close_ns;         /* first FIN or RST (0 = none) */
	int64_t  delete_at, expire_at1;   /* close delay, second expire timer (0 = not armed) */
	uint32_t next;             /* free list */
	uint16_t cnt_hi[2];        /* high 16 bits of tflow.syn_cnt, synack_cnt */
};

enum { K_TCP = 1, K_UDP, K_ICMP, K_OTHER };
enum { IN_UDP = 0, IN_TCP, IN_ICMP, IN_OTHER, IN_LONG };   /* which inactivity timeout */

/* A flow's key as stored in the flow: struct pk_flowkey without its two
 * 16-byte addresses.  IPv4 addresses are kept inline (network byte order,
 * as the key's last 4 bytes of each v4-mapped address); an IPv6 flow keeps
 * its two addresses in the table's side pool (flow.c, v6 pairs) and LO is
 * that record's index, HI zero.  Saves 24 bytes in every flow. */
struct fkey {
	uint32_t lo, hi;
	uint16_t lo_port, hi_port;
	uint16_t vlan[2];
	uint8_t  ip_proto, ip_ver, one_way, pad_;
};

/*
 * A flow's times (ns since the epoch, 0 = none) but its start are kept in
 * 32 bits each, as 1 + (time - start) in the flow's unit: microseconds when
 * the start is a whole microsecond (pcap, most pcapng), else nanoseconds;
 * 0 stands for "none".  The max idle gap, a duration, is 1 + gap / unit.
 * A time this cannot hold exactly (not a multiple of the unit, before the
 * start, past 2^32 - 2 units: 71 minutes in microseconds, 4.29 s in
 * nanoseconds) turns the flow "wide": every time then lives as 64 bits in a
 * side record of the table (flow.c, struct wtimes), whose index takes the
 * first slot.  Read and write them with pk__tget / pk__tset only.
 * Indexes: the first T_NCOMMON are in struct flow, the rest (TCP) in
 * struct tflow.  The per-direction data times are indexed by key side
 * (0 = the key's lo endpoint sent), so a flip need not swap them.
 */
enum {
	T_LAST, T_PREV, T_IDLE, T_IDLE_AT, T_NCOMMON,
	T_ATTEMPT = T_NCOMMON, T_EXPIRE, T_SYN, T_SYNACK, T_ACK,
	T_DFIRST, T_DLAST, T_DFIRST1, T_DLAST1,   /* + 2 * key side */
	T_N
};

/* Letters of a history kept in the flow itself (most have fewer than 12),
 * and the bytes they take; a whole one (PK_HISTORY_MAX) takes HIST_RECB. */
#define HIST_IN   22
#define HIST_INB  ((HIST_IN * 5 + 7) / 8)
#define HIST_RECB 32
_Static_assert((PK_HISTORY_MAX * 5 + 7) / 8 <= HIST_RECB, "history record too small");
_Static_assert(HIST_INB >= 4, "a spilled history keeps its record index inline");

/* What every flow keeps; compact, since a table may hold millions.  The
 * 64-bit members come first and the small facts are bit fields, so there
 * is no padding; the free-list link shares a word with hist_seen, which a
 * free slot does not need (new_flow and tcp_store rewrite the slot). */
struct flow {
	int64_t  start_ns;
	int64_t  queued_at;        /* earliest heap entry for this flow */
	struct fdir d[2];
	struct fkey key;
	uint32_t gen;              /* bumped on free, validates heap entries */
	union {
		uint32_t hist_seen;
		uint32_t next;     /* free list (dead slots only) */
	};
	uint32_t tm[T_NCOMMON];    /* last packet that advanced it, last packet, max idle gap and its end */
	/* history: 5-bit letter codes (pk__hist_at), the first HIST_IN of
	 * them inline; a longer one lives whole in a record of the table's
	 * history pool (flow.c, hist_buf) whose index takes the first 4 bytes */
	uint8_t  hist[HIST_INB];
	uint8_t  icmp_type, icmp_code;
	/* bit fields, grouped so none straddles a byte: multi-bit ones
	 * the packet path reads (kind, inact) start a byte */
	unsigned hist_len : 6;
	unsigned orig_is_lo : 1;   /* originator is the key's lo endpoint */
	unsigned dead : 1;
	unsigned kind : 3;         /* K_* */
	unsigned inact : 3;        /* IN_* */
	unsigned twide : 1;        /* times in a struct wtimes (index in tm[0]) */
	unsigned tns : 1;          /* time unit: 1 ns, else 1 us */
	unsigned closer : 3;       /* TCP: enum pk_closer */
	unsigned first_seen : 2;   /* 1 originator's first packet seen, 2 responder's */
	unsigned flipped : 1;
	unsigned is_active : 1, is_partial : 1;
	/* A TCP flow that has seen only its first SYN is kept in this struct
	 * alone (flow.c, tcp_compress): its few TCP facts packed into the
	 * d[].bytes words, which TCP flows do not otherwise use, and these. */
	unsigned compact : 1, c_opts : 3, c_attempt : 1;
};

/* A flow of the pool of UDP, ICMP and other IP flows (and of TCP flows
 * that have seen only their first SYN, flow.c tcp_compress): the common
 * part and the per-direction byte counts TCP flows take from sequence
 * numbers instead (Zeek: UDP sum(len - 8), ICMP sum(IP payload - 8)). */
struct uflow {
	struct flow f;
	uint64_t bytes[2];         /* by role, like d[] */
	uint64_t ip_bytes[2], payload[2];   /* by role */
};
#define UF(fl)  ((struct uflow *)(void *)(fl))

/* A TCP flow: the common part, then the endpoints, TCP facts and Zeek's
 * TCP timers.  TCP flows live in a pool of their own. */
struct tflow {
	struct flow f;
	struct tcpep ep[2];
	struct tdir td[2];
	/* attempt and first expire timer (0 = not armed; more in struct tcpx),
	 * first SYN, SYN-ACK and handshake ACK, first and last data by key side */
	uint32_t tm[T_N - T_NCOMMON];
	/* SYN and SYN-ACK packets: the low 16 bits of 32-bit counts whose
	 * high ones are struct tcpx.cnt_hi (pk__syn_count) */
	uint16_t syn_cnt, synack_cnt;
	uint32_t x;                /* extras record + 1, 0 = none yet */
	/* IP and payload bytes by role, like f.d[]: the low 32 bits of 64-bit
	 * counts whose high ones are struct tdirx.ip_hi, pay_hi (by key side;
	 * pk__tcp_bytes adds, pk__tcp_count reads) */
	uint32_t ip_lo[2], pay_lo[2];
};
#define TF(fl)  ((struct tflow *)(fl))
#define CTF(fl) ((const struct tflow *)(fl))
#define FEP(fl) (TF(fl)->ep)

/* Key side of the sender: 0 when the key's lo endpoint sent. */
static inline int
pk__xside(const struct flow *f, int is_orig)
{
	return (int)(f->orig_is_lo ^ (is_orig != 0));
}

static inline uint32_t *
pk__tslot(struct flow *f, int i)
{
	return i < T_NCOMMON ? &f->tm[i] : &((struct tflow *)(void *)f)->tm[i - T_NCOMMON];
}

int64_t pk__tget_wide(const struct pk_flowtab *t, const struct flow *f, int i);
void pk__tset_slow(struct pk_flowtab *t, struct flow *f, int i, int64_t v);

/* The time whose 32-bit form as time I of F is S. */
static inline int64_t
pk__tdec(const struct flow *f, int i, uint32_t s)
{
	if (!s)
		return 0;
	return (i == T_IDLE ? 0 : f->start_ns) + (int64_t)(s - 1) * (f->tns ? 1 : 1000);
}

/* Time I of F (0 = none). */
static inline int64_t
pk__tget(const struct pk_flowtab *t, const struct flow *f, int i)
{
	if (f->twide)
		return pk__tget_wide(t, f, i);
	return pk__tdec(f, i, *pk__tslot((struct flow *)(uintptr_t)f, i));
}

static inline void pk__tset(struct pk_flowtab *t, struct flow *f, int i, int64_t v);

/* Is time I of F set (not 0)? */
static inline int
pk__tset_p(const struct pk_flowtab *t, const struct flow *f, int i)
{
	if (f->twide)
		return pk__tget_wide(t, f, i) != 0;
	return *pk__tslot((struct flow *)(uintptr_t)f, i) != 0;
}

/* Set time I of F to NOW, whose 32-bit form in F is SNOW (0: unknown). */
static inline void
pk__tset_now(struct pk_flowtab *t, struct flow *f, int i, int64_t now, uint32_t snow)
{
	if (snow && !f->twide)
		*pk__tslot(f, i) = snow;
	else
		pk__tset(t, f, i, now);
}

/* The 32-bit form of V as time I of F in *S; 0 when it has none. */
static inline int
pk__tenc(const struct flow *f, int i, int64_t v, uint32_t *s)
{
	uint64_t d;

	if (!v) {
		*s = 0;
		return 1;
	}
	d = (uint64_t)v - (uint64_t)(i == T_IDLE ? 0 : f->start_ns);
	if (!f->tns) {
		uint64_t q = d / 1000;

		if (q * 1000 != d)
			return 0;
		d = q;
	}
	if (d >= 0xffffffffu)   /* also a time before the start */
		return 0;
	*s = (uint32_t)d + 1;
	return 1;
}

/* Set time I of F to V; a time the 32-bit form cannot hold makes F wide
 * (pk__tset_slow: on allocation failure the table reports out of memory). */
static inline void
pk__tset(struct pk_flowtab *t, struct flow *f, int i, int64_t v)
{
	if (!f->twide && pk__tenc(f, i, v, pk__tslot(f, i)))
		return;
	pk__tset_slow(t, f, i, v);
}

/* Sizes per live flow (bench 40-pflows: peak RSS with a million flows);
 * a layout change that grows them must be deliberate. */
_Static_assert(sizeof(struct tcpep) == 32, "struct tcpep grew");
_Static_assert(sizeof(struct fdir) == 12, "struct fdir grew");
_Static_assert(sizeof(struct tdir) == 10, "struct tdir grew");
_Static_assert(sizeof(struct fkey) == 20, "struct fkey grew");
_Static_assert(sizeof(struct flow) == 104, "struct flow grew");
_Static_assert(sizeof(struct uflow) == 152, "struct uflow grew");
_Static_assert(sizeof(struct tflow) == 248, "struct tflow grew");

struct pk_flowtab;

/* tcpconn.c */
/* Is this TCP packet (from originator if IS_ORIG) a reuse of F's key? */
int  pk__tcp_is_reuse(const struct flow *f, const struct pk_layers *L, int is_orig);
/* Process one valid TCP segment; *IS_ORIG may change if roles flip. */
void pk__tcp_process(struct pk_flowtab *t, struct flow *f, const struct pk_layers *L,
                     int64_t now, uint32_t snow, int *is_orig);
void pk__tcp_checksum_error(struct pk_flowtab *t, struct flow *f, int is_orig);
uint64_t pk__tcp_size(const struct tcpep *e, const struct tcpep *peer);
/* TCP timers due at NOW; returns an end reason if the flow must go, else -1. */
int  pk__tcp_timers(struct pk_flowtab *t, struct flow *f, int64_t now);
int64_t pk__tcp_next_timer_slow(const struct pk_flowtab *t, const struct flow *f);
static inline int64_t pk__tcp_next_timer(const struct pk_flowtab *t, const struct flow *f);

/* flow.c helpers used by tcpconn.c */
/* The extras of the direction whose sender is the originator if IS_ORIG,
 * allocated on first use; NULL when out of memory (pk_flowtab_add then
 * fails).  pk__tcpx_peek never allocates. */
struct tdirx *pk__tcpx(struct pk_flowtab *t, struct flow *f, int is_orig);
struct tcpx *pk__tcpx_rec(struct pk_flowtab *t, struct flow *f);
/* The extras of that direction if allocated, else NULL. */
struct tdirx *pk__tcpx_get(const struct pk_flowtab *t, struct flow *f, int is_orig);
const struct tdirx *pk__tcpx_peek(const struct pk_flowtab *t, const struct flow *f, int is_orig);
/* F's extras record if allocated, else NULL. */
const struct tcpx *pk__tcpx_rec_peek(const struct pk_flowtab *t, const struct flow *f);

/* F's count of SYN (WHICH 0) or SYN-ACK (1) packets. */
static inline uint32_t
pk__syn_count(const struct pk_flowtab *t, const struct flow *f, int which)
{
	const struct tcpx *r = CTF(f)->x ? pk__tcpx_rec_peek(t, f) : NULL;

	return (which ? CTF(f)->synack_cnt : CTF(f)->syn_cnt) |
	       (uint32_t)(r ? r->cnt_hi[which] : 0) << 16;
}
/* History letters (a failed allocation of the record a long history
 * needs drops the letter and makes pk_flowtab_add report out of memory). */
void pk__hist_add(struct pk_flowtab *t, struct flow *f, char c);
char pk__hist_at(const struct pk_flowtab *t, const struct flow *f, unsigned i);
int  pk__hist_check(struct pk_flowtab *t, struct flow *f, uint32_t mask, char code, int is_orig);
int  pk__hist_scaled(struct pk_flowtab *t, struct flow *f, char code, uint32_t *counter, int is_orig);
void pk__flip(struct pk_flowtab *t, struct flow *f);
/* Carry into the high half of TCP byte count *LO (an ip_lo or pay_lo of
 * the sender's role; IS_PAY: pay_lo) that just wrapped. */
void pk__tcp_carry(struct pk_flowtab *t, struct flow *f, int is_orig, int is_pay);
/* Add N to the IP (IS_PAY 0) or payload (1) bytes the sender sent. */
static inline void
pk__tcp_bytes(struct pk_flowtab *t, struct flow *f, int is_orig, int is_pay, uint32_t n)
{
	uint32_t *lo = is_pay ? &TF(f)->pay_lo[is_orig ? 0 : 1] : &TF(f)->ip_lo[is_orig ? 0 : 1];

	if ((*lo += n) < n)
		pk__tcp_carry(t, f, is_orig, is_pay);
}

/* The 64-bit count of those bytes. */
static inline uint64_t
pk__tcp_count(const struct pk_flowtab *t, const struct flow *f, int is_orig, int is_pay)
{
	const struct tdirx *x = CTF(f)->x ? pk__tcpx_peek(t, f, is_orig) : NULL;
	int r = is_orig ? 0 : 1;

	if (is_pay)
		return CTF(f)->pay_lo[r] | (uint64_t)(x ? x->pay_hi : 0) << 32;
	return CTF(f)->ip_lo[r] | (uint64_t)(x ? x->ip_hi : 0) << 32;
}
void pk__set_inactivity(struct pk_flowtab *t, struct flow *f, int which);
const struct pk_flowopts *pk__opts(const struct pk_flowtab *t);
int  pk__is_server_port(const struct pk_flowtab *t, int proto, uint16_t port);

/* History mask bits (Zeek's HIST_*); the responder's are shifted by 16. */
enum {
	H_SYN = 0x1, H_FIN = 0x2, H_RST = 0x4, H_FIN_RST = 0x8,
	H_DATA = 0x10, H_ACK = 0x20, H_MULTI = 0x40,
};

/* The earliest armed TCP timer of F, 0 = none.  Most flows have no
 * extras record and 32-bit times: the earlier of the two set forms (0 - 1
 * wraps past every set one) is the earlier time. */
static inline int64_t
pk__tcp_next_timer(const struct pk_flowtab *t, const struct flow *f)
{
	if (!f->twide && !CTF(f)->x) {
		const uint32_t *tm = CTF(f)->tm;
		uint32_t a = tm[T_ATTEMPT - T_NCOMMON], e = tm[T_EXPIRE - T_NCOMMON];

		return pk__tdec(f, T_EXPIRE, a - 1 < e - 1 ? a : e);
	}
	return pk__tcp_next_timer_slow(t, f);
}

#endif
