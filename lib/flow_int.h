/* flow_int.h — live-flow state shared by flow.c and tcpconn.c (not public). */
#ifndef PK_FLOW_INT_H
#define PK_FLOW_INT_H

#include <stdint.h>
#include "pcapkit/flow.h"
#include "pcapkit/tcpconn.h"

/* One TCP endpoint, as Zeek's TCP_Endpoint keeps it (the parts conn.log needs). */
struct tcpep {
	uint64_t reassem;          /* next in-order relative seq (reassembler) */
	/* the out-of-order block, the T/W/G counters, the FIN's sequence and
	 * the letters' last sequence numbers: struct tdirx */
	uint32_t start_seq, last_seq, ack_seq;
	uint32_t last_ack;         /* for duplicate-ACK counting */
	uint16_t seq_wraps, ack_wraps;
	uint16_t last_win;
	uint8_t  state, prev_state, did_close, fin_cnt;
	uint8_t  has_ack;          /* last_ack valid */
	uint8_t  wscale;           /* negotiated shift applied to windows */
};

/* Per-direction counters of every flow (index 0 = originator, 1 = responder). */
struct fdir {
	uint64_t ip_bytes, bytes, payload;
	uint32_t pkts;
	uint32_t chk_cnt;          /* bad checksums seen (logarithmic C) */
	uint16_t bad_csum;
	uint8_t  ttl_min, ttl_max;
	uint8_t  active;           /* UDP/ICMP: sent a valid packet */
};

/* Per-direction TCP facts (TCP flows only). */
struct tdir {
	uint32_t win_min, win_max;
	uint16_t syn, mss;         /* FIN and RST counts: struct tdirx */
	int8_t   wscale;
	uint8_t  opts;             /* 1 SACK-permitted, 2 timestamps, 4 window seen */
};

/* Per-direction diagnosis times (ns; 0 = none), apart from struct tdir so
 * that neither needs padding. */
struct tdtime {
	int64_t  data_first, data_last;       /* packets carrying payload */
};

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
};
struct tcpx {
	struct tdirx s[2];
	int64_t  syn_last_ns, synack_last_ns;   /* valid once the count passes 1 */
	uint64_t missed;           /* missed_bytes */
	int64_t  close_ns;         /* first FIN or RST (0 = none) */
	int64_t  delete_at, expire_at1;   /* close delay, second expire timer (0 = not armed) */
	uint32_t next;             /* free list */
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

/* What every flow keeps; compact, since a table may hold millions. */
struct flow {
	struct fkey key;
	uint32_t next;             /* free list */
	uint32_t gen;              /* bumped on free, validates heap entries */
	uint32_t hist_seen;
	int64_t  start_ns, last_ns, prev_ns;
	int64_t  max_idle_ns, max_idle_at;
	int64_t  queued_at;        /* earliest heap entry for this flow */
	struct fdir d[2];
	uint8_t  hist[(PK_HISTORY_MAX * 5 + 7) / 8];   /* 5-bit letter codes (pk__hist_at) */
	uint8_t  hist_len;
	uint8_t  kind;             /* K_* */
	uint8_t  inact;            /* IN_* */
	uint8_t  orig_is_lo;       /* originator is the key's lo endpoint */
	uint8_t  is_active, is_partial, first_seen;
	uint8_t  flipped;
	uint8_t  icmp_type, icmp_code;
	uint8_t  dead;
	/* A TCP flow that has seen only its first SYN is kept in this struct
	 * alone (flow.c, tcp_compress): its few TCP facts packed into the
	 * d[].bytes words, which TCP flows do not otherwise use, and these. */
	uint8_t  compact, c_opts, c_attempt;
	uint8_t  closer;           /* TCP: enum pk_closer */
};

/* A TCP flow: the common part, then the endpoints, TCP facts and Zeek's
 * TCP timers.  TCP flows live in a pool of their own. */
struct tflow {
	struct flow f;
	struct tcpep ep[2];
	struct tdir td[2];
	struct tdtime dt[2];
	int64_t  attempt_at, expire_at;   /* 0 = not armed; more timers in struct tcpx */
	int64_t  syn_ns, synack_ns, ack_ns;
	uint32_t syn_cnt, synack_cnt;
	uint32_t x;                /* extras record + 1, 0 = none yet */
};
#define TF(fl)  ((struct tflow *)(fl))
#define CTF(fl) ((const struct tflow *)(fl))
#define FEP(fl) (TF(fl)->ep)

struct pk_flowtab;

/* tcpconn.c */
/* Is this TCP packet (from originator if IS_ORIG) a reuse of F's key? */
int  pk__tcp_is_reuse(const struct flow *f, const struct pk_layers *L, int is_orig);
/* Process one valid TCP segment; *IS_ORIG may change if roles flip. */
void pk__tcp_process(struct pk_flowtab *t, struct flow *f, const struct pk_layers *L,
                     int64_t now, int *is_orig);
void pk__tcp_checksum_error(struct flow *f, int is_orig);
uint64_t pk__tcp_size(const struct tcpep *e, const struct tcpep *peer);
/* TCP timers due at NOW; returns an end reason if the flow must go, else -1. */
int  pk__tcp_timers(struct pk_flowtab *t, struct flow *f, int64_t now);
int64_t pk__tcp_next_timer(const struct pk_flowtab *t, const struct flow *f);

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
void pk__hist_add(struct flow *f, char c);
char pk__hist_at(const struct flow *f, unsigned i);
int  pk__hist_check(struct flow *f, uint32_t mask, char code, int is_orig);
int  pk__hist_scaled(struct flow *f, char code, uint32_t *counter, int is_orig);
void pk__flip(struct flow *f);
void pk__set_inactivity(struct pk_flowtab *t, struct flow *f, int which);
const struct pk_flowopts *pk__opts(const struct pk_flowtab *t);
int  pk__is_server_port(const struct pk_flowtab *t, int proto, uint16_t port);

/* History mask bits (Zeek's HIST_*); the responder's are shifted by 16. */
enum {
	H_SYN = 0x1, H_FIN = 0x2, H_RST = 0x4, H_FIN_RST = 0x8,
	H_DATA = 0x10, H_ACK = 0x20, H_MULTI = 0x40,
};

#endif
