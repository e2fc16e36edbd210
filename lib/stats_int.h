/* stats_int.h — the state shared by lib/stats.c (counting) and
 * lib/stats_report.c (output); private to the library. */
#ifndef PK_STATS_INT_H
#define PK_STATS_INT_H

#include <stdint.h>

#include "pcapkit/decode.h"
#include "pcapkit/stats.h"

/* Bits for the `protocols` object (tcpdump primitive semantics). */
enum {
	P_ETH, P_VLAN, P_ARP, P_IPV4, P_IPV6, P_TCP, P_UDP, P_ICMP, P_ICMP6,
	P_FRAG, P_OTHER, P_COUNT
};
extern const char *const pk_stats_proto_names[P_COUNT];

struct pcount { uint64_t packets, bytes; };

/* Protocol hierarchy: a tree of nodes with labels kind << 16 | value. */
enum { HK_LINK = 1, HK_VLAN, HK_ETHERTYPE, HK_IP6EXT, HK_FRAG, HK_IPPROTO };
#define HMAX 1024
#define HPATH  (4 + PK_MAX_VLAN + PK_MAX_IPEXT)   /* labels in one packet's path */
#define HCACHE 64                                /* paths remembered (direct-mapped) */
struct hpath {            /* a path seen before and the node where it ends */
	uint64_t sig;         /* the fields the path is made of; 0 = empty slot */
	uint16_t node;
	uint8_t  overflow;    /* the tree was full before the path's end */
};
struct hnode {
	uint32_t label;
	uint16_t parent, child, sibling;   /* 0 = none (node 0 is the root) */
	uint64_t packets, bytes;
};

/* Top-talker table: exact counters in an open-addressing hash table
 * (linear probing, load kept at most 3/4).  A key is TKEY bytes, compared and
 * hashed as whole 64-bit words: k[0] the address family (4 or 6) or, for
 * ports, the protocol (6 or 17; k[1..2] the port); k[1..16] an address and
 * k[17..32] the pair's second one; the rest zero.  k[0] == 0 marks an
 * empty slot. */
#define TKEY 40
#define TWORDS (TKEY / 8)
struct tent {
	union {
		uint8_t  k[TKEY];
		uint64_t w[TWORDS];
	};
	uint64_t packets, bytes;
};
struct ttable {
	struct tent *e;
	uint32_t cap, n;     /* cap a power of two */
	struct pcount untracked;
};
enum { T_ADDR, T_PAIR, T_PORT, T_COUNT };

/* TCP direction state for "ACKed but never seen" (sequence space, mod 2^32).
 * Sequence holes are rare: a direction's hole list lives in a side pool
 * (pk_stats.hpool), which keeps the connection table small. */
#define NHOLES 4
struct tcpholes {
	uint32_t hole[NHOLES][2];   /* [0][0] links the free list when unused */
	uint64_t lost;       /* gaps that no longer fit the hole list */
};
struct tcpdir {
	uint32_t base;       /* first sequence number of ours seen (or first ack from the peer) */
	uint32_t next;       /* highest end of our segments */
	uint32_t ackmax;     /* highest ack from the peer */
	uint32_t holes;      /* 1 + index of its tcpholes in pk_stats.hpool; 0 = none */
	uint8_t  seen;       /* sent a segment */
	uint8_t  acked;      /* the peer acknowledged something of ours */
	uint8_t  nholes;
};
struct tcpslot {
	union {              /* family, addr a, port a, addr b, port b (a < b), zeros */
		uint8_t  key[TKEY];
		uint64_t kw[TWORDS];
	};
	uint64_t last;       /* packet number last seen */
	struct tcpdir d[2];  /* d[0]: a -> b */
};
#define TCP_WAYS 4

/* Duplicates: the bytes compared of each previous packet (the first
 * DUP_HEAD and last DUP_TAIL, or all when shorter). */
#define DUP_HEAD 128
#define DUP_TAIL 64

struct iface_copy {
	int      linktype;
	uint32_t snaplen;
	uint8_t  tsresol;
	char    *name, *description, *filter, *os;
	uint64_t packets, drops;
	int      has_drops;
};

struct linkcount { int linktype; uint64_t packets; };
#define MAXLINKS 16

struct pk_stats {
	struct pk_stats_opts o;

	/* Inputs. */
	unsigned nfiles;
	char    *name;            /* the (last) input's name; "total" when several */
	int      have_info;
	enum pk_format format;
	int      big_endian, nano, mixed_format;
	uint16_t vmajor, vminor;
	uint32_t snaplen;
	int      linktype;
	int64_t  file_size;       /* sum; -1 when any input was a pipe */
	unsigned n_ifaces;
	struct iface_copy *ifaces;
	char    *shb_hardware, *shb_os, *shb_application, *shb_comment;
	int      partial;
	char    *error;           /* reader message of the fault, or NULL */

	/* Summary. */
	uint64_t packets, bytes_cap, bytes_wire, cut, largest, largest_cap, smallest;
	int64_t  first_ns, last_ns;    /* min and max */
	struct linkcount links[MAXLINKS];
	unsigned nlinks;
	uint64_t links_other;     /* packets of link types past MAXLINKS */
	uint32_t cur_snaplen;     /* snaplen of the current input, for caplen > snaplen */
	const struct pk_reader *cur;
	const struct pk_capinfo *cur_ci;   /* pk_reader_info(cur), or NULL */

	/* Quality. */
	int64_t  prev_ns;
	int      have_prev;
	uint64_t backwards, run_len, runs, run_max;
	int64_t  backwards_max;
	uint64_t dup_fp[PK_STATS_DUP_WINDOW];     /* fingerprint of lengths and bytes */
	uint32_t dup_fp32[PK_STATS_DUP_WINDOW];   /* its folded half, searched first */
	uint32_t dup_caplen[PK_STATS_DUP_WINDOW], dup_len[PK_STATS_DUP_WINDOW];
	uint8_t  dup_b[PK_STATS_DUP_WINDOW][DUP_HEAD + DUP_TAIL];
	unsigned dup_pos, dup_fill;
	uint64_t duplicates;
	uint64_t over_snaplen, over_len;
	uint64_t drops;
	int      drops_known;
	int      tail_damaged;
	uint64_t tail_offset, tail_bytes;
	uint64_t acked_unseen, acked_unseen_conns;

	/* Protocols, TCP flags, hierarchy. */
	struct pcount proto[P_COUNT];
	uint64_t syn, synack, fin, rst;
	struct hnode h[HMAX];
	unsigned nh;
	uint64_t h_overflow;
	/* Per packet only the node where its path ends is counted (hself);
	 * pk_stats_end folds those counts into every ancestor of h. */
	struct pcount hself[HMAX];
	struct hpath hcache[HCACHE];

	/* Top talkers. */
	struct ttable t[T_COUNT];

	/* TCP connection table (set-associative, TCP_WAYS per set). */
	struct tcpslot *tcp;
	uint32_t *tcp_tag;        /* per slot: hash tag | 1, 0 = empty */
	struct tcpholes *hpool;   /* hole lists (grows by doubling) */
	uint32_t hpool_n, hpool_cap, hpool_free;   /* used, allocated; free list head + 1 */
	uint64_t pktno;

	/* Time series. */
	int64_t  series_start;
	struct pcount *bucket;
	uint32_t nbuckets, bucket_cap;
	int      series_truncated;
	uint64_t series_dropped;

	/* Packet sizes (tshark plen buckets, by wire length). */
	uint64_t plen[10];
	uint64_t plen_bytes[10];

	struct pk_layers L;

	/* pstats --merge (lib/stats_merge.c): reports merged, approximate parts. */
	unsigned merge_reports;
	unsigned merge_approx;    /* PK_MERGE_TOP_* bits */
};
enum { PK_MERGE_TOP_ADDR = 1, PK_MERGE_TOP_PAIR = 2, PK_MERGE_TOP_PORT = 4 };

/* One top-talker row for the reports. */
struct trow { const struct tent *e; };
/* Sort a table's entries into ROWS (up to N) by packets (BY_BYTES 0) or bytes. */
unsigned pk_stats_top_rows(const struct ttable *t, const struct tent **rows, unsigned n, int by_bytes);
/* Label text of a hierarchy node. */
void pk_stats_hlabel(uint32_t label, char *buf, size_t cap);
/* The child of hierarchy node PARENT labelled LABEL, made when new; 0 when
 * the tree is full. */
unsigned pk_stats_hchild(struct pk_stats *s, unsigned parent, uint32_t label);
/* Finish the TCP table: fold live connections into acked_unseen. */
void pk_stats_tcp_flush(struct pk_stats *s);

/* ---- the top-talker tables' one mechanism (counting and --merge) ---- */

/* 64x64 -> 128-bit multiply, folded (GCC/Clang's unsigned __int128). */
static inline uint64_t
pk_stats_mum(uint64_t a, uint64_t b)
{
	__extension__ unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* Hash of a TKEY-byte key given as TWORDS words (not cryptographic).  An
 * IPv4 address, pair or port key has only words 0 and 2 set: one multiply. */
static inline uint32_t
pk_stats_khash(const uint64_t *w)
{
	uint64_t a = pk_stats_mum(w[0] ^ 0xe7037ed1a0b428dbull, w[2] ^ 0x8ebc6af09c88c6e3ull);

	if (w[1] | w[3] | w[4]) {
		uint64_t b = pk_stats_mum(w[1] ^ 0x589965cc75374cc3ull, w[3] ^ 0xa0761d6478bd642full);
		a = pk_stats_mum(a ^ w[4] ^ 0x1d8e4e27c47d124full, b);
	}
	return (uint32_t)a;
}

_Static_assert(TWORDS == 5, "pk_stats_khash and pk_stats_keq read five words");

static inline int
pk_stats_keq(const uint64_t *a, const uint64_t *b)
{
	return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]) |
	        (a[4] ^ b[4])) == 0;
}

/*
 * Add PACKETS and BYTES to KEY's counters in T (H = pk_stats_khash of the
 * key), making the entry when new; the table doubles to keep its load at
 * most 3/4.  -1 when the key is new and T holds PK_STATS_MAX_KEYS keys or cannot
 * grow: the counts then go to T's `untracked`.
 */
int pk_stats_tadd(struct ttable *t, const uint64_t *key, uint32_t h, uint64_t packets,
                  uint64_t bytes);

#endif
