/* flow.h — connection records from decoded packets (Zeek conn.log semantics).
 *
 * A flow table (struct pk_flowtab, opaque) is fed decoded packets in capture
 * order with pk_flowtab_add().  Packets of both directions of one connection
 * share a canonical key (pk_flow_key); a connection ends by Zeek's rules
 * (inactivity, the 5 s attempt timer, close delay after FIN/RST, reuse of
 * the 5-tuple by a new SYN) or at pk_flowtab_flush().  Each finished
 * connection is handed to the caller's callback as a struct pk_flowrec, a
 * plain record valid only during the call.
 *
 * Time is network time: the packets' own timestamps, in nanoseconds since
 * the epoch.  Timers fire when a packet at or after their time arrives,
 * before that packet is processed, as in Zeek.
 *
 * The table allocates per live flow (a pool grown in chunks) and never per
 * packet.  It keeps no global state; two tables are independent.
 */
#ifndef PCAPKIT_FLOW_H
#define PCAPKIT_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "pcapkit/decode.h"

#define PK_NS 1000000000LL

/* ------------------------------------------------------------------ key */

/*
 * Canonical flow key.  Addresses are 16 bytes (IPv4 as ::ffff:a.b.c.d).
 * `lo` is the smaller (address, port) endpoint, except for one-way ICMP
 * messages, which are not reordered (lo = sender).  For ICMP the "ports"
 * are the type and the counterpart type (request/reply pairs) or the code.
 * vlan holds the outer and inner VLAN ids (0 = none) when the key is
 * VLAN-aware.  All padding is zero so the struct can be hashed and
 * compared as bytes.
 */
struct pk_flowkey {
	uint8_t  lo_addr[16], hi_addr[16];
	uint16_t lo_port, hi_port;
	uint16_t vlan[2];
	uint8_t  ip_proto;
	uint8_t  ip_ver;      /* 4 or 6 */
	uint8_t  one_way;     /* ICMP message without a counterpart */
	uint8_t  pad_;
};

/*
 * Fill *K for the decoded packet L.  VLAN_AWARE adds the VLAN ids.
 * *SRC_IS_LO (may be NULL) says whether the packet's sender is the key's lo
 * endpoint.  Returns 0, or -1 when the packet has no IP layer to key on.
 * Non-first IP fragments are keyed by address pair and protocol only
 * (ports 0), which is where pflows counts them.
 */
int pk_flow_key(const struct pk_layers *L, int vlan_aware, struct pk_flowkey *k,
                int *src_is_lo);

/*
 * Stable hash of a key (FNV-1a 64 over its bytes, then mixed), symmetric by
 * construction since the key is canonical.  The same on every machine.
 */
uint64_t pk_flowkey_hash(const struct pk_flowkey *k, uint64_t seed);

/*
 * A coarser symmetric hash over the addresses, IP version and VLAN ids only
 * (no ports, no protocol): every packet between two hosts gets the same
 * value, IP fragments without ports and ICMP errors included.  For
 * splitting a capture into shards that pflows can process independently.
 */
uint64_t pk_flowkey_hash_hosts(const struct pk_flowkey *k, uint64_t seed);

/* ICMP counterpart type for request/reply pairs, or -1 for one-way types. */
int pk_icmp_counterpart(int ip_ver, int type);

/* ------------------------------------------------------------ records */

/* Zeek's conn_state values, in the order of its documentation. */
enum pk_connstate {
	PK_CS_S0, PK_CS_S1, PK_CS_SF, PK_CS_REJ, PK_CS_S2, PK_CS_S3,
	PK_CS_RSTO, PK_CS_RSTR, PK_CS_RSTOS0, PK_CS_RSTRH, PK_CS_SH,
	PK_CS_SHR, PK_CS_OTH,
};
const char *pk_connstate_name(enum pk_connstate s);

/* Why a record was emitted. */
enum pk_flowend {
	PK_END_EOF = 0,       /* still open at the end of the input */
	PK_END_INACTIVE,      /* inactivity timeout */
	PK_END_ATTEMPT,       /* 5 s attempt timer: handshake never answered */
	PK_END_CLOSED,        /* close delay after FIN/FIN, RST, or half close */
	PK_END_EXPIRED,       /* TCP expire timer (linger after one side closed) */
	PK_END_REUSE,         /* a new connection reused the key */
	PK_END_EVICTED,       /* table full (max_flows) */
};
const char *pk_flowend_name(enum pk_flowend e);

/* Who closed the connection first. */
enum pk_closer {
	PK_CLOSE_NONE = 0, PK_CLOSE_ORIG_FIN, PK_CLOSE_RESP_FIN,
	PK_CLOSE_ORIG_RST, PK_CLOSE_RESP_RST,
};
const char *pk_closer_name(enum pk_closer c);

/* Per-direction facts ("orig" = sent by the originator). */
struct pk_flowdir {
	uint64_t pkts;          /* packets counted (Zeek *_pkts) */
	uint64_t ip_bytes;      /* IP total lengths (Zeek *_ip_bytes) */
	uint64_t bytes;         /* TCP: Zeek Size() from sequence numbers; UDP: sum(len-8); ICMP: sum(ip payload-8) */
	uint64_t payload;       /* payload bytes actually seen (sum of segment lengths) */
	uint64_t retx_pkts, retx_bytes;   /* data segments not advancing the highest seq (Zeek's T) */
	uint32_t ooo_pkts;      /* data segments starting above the next expected seq */
	uint32_t dup_acks;      /* pure ACKs repeating the previous ACK number, no window change */
	uint32_t zero_win;      /* zero-window advertisements (Zeek's W counter) */
	uint32_t win_min, win_max;        /* advertised window, scaled, after the handshake */
	uint32_t syn, fin, rst; /* packets with these flags */
	uint32_t bad_csum;      /* packets with a bad L4 checksum */
	uint16_t mss;           /* MSS offered in SYN (0 = none) */
	int8_t   wscale;        /* window scale offered in SYN (-1 = none) */
	uint8_t  sack_ok, ts_ok;/* SACK-permitted / timestamps offered in SYN */
	uint8_t  ttl_min, ttl_max;
	uint8_t  state;         /* endpoint state (enum pk_tcpstate in tcpconn.h; UDP: 1 active) */
	/* Diagnosis facts, TCP only (ns since the epoch; 0 = never). */
	int64_t  zero_win_ns;       /* time spent advertising a zero window: from each zero
	                               window to the next non-zero one (or the last packet) */
	int64_t  zero_win_first_ns; /* first zero-window advertisement */
	int64_t  data_first_ns, data_last_ns;   /* first / last segment with payload */
};

#define PK_HISTORY_MAX 48

/*
 * One connection.  Times are ns since the epoch.  "Unset" Zeek fields:
 * duration and bytes are 0 when duration is 0 (Zeek prints "-").
 */
struct pk_flowrec {
	uint8_t  orig_addr[16], resp_addr[16];   /* IPv4 as ::ffff:a.b.c.d */
	uint8_t  ip_ver;        /* 4 or 6 */
	uint8_t  ip_proto;      /* 6, 17, 1, 58, ... */
	uint16_t orig_port, resp_port;           /* ICMP: type / counterpart or code */
	uint16_t vlan[2];       /* outer, inner VLAN id as keyed (0 = none/ignored) */
	int64_t  start_ns;      /* ts: first packet */
	int64_t  last_ns;       /* last packet that advanced the connection */
	int64_t  duration_ns;   /* last - start */
	char     history[PK_HISTORY_MAX + 1];
	enum pk_connstate conn_state;
	uint64_t missed_bytes;
	struct pk_flowdir orig, resp;

	/* Extras (pflows, beyond Zeek). */
	uint64_t uid_hash;      /* deterministic: key hash mixed with start time */
	int64_t  rtt_syn_synack_ns;   /* first SYN -> first SYN-ACK, -1 unknown */
	int64_t  rtt_synack_ack_ns;   /* first SYN-ACK -> first ACK from the SYN side, -1 unknown */
	uint32_t syn_retx;      /* SYNs beyond the first (same connection) */
	uint32_t synack_retx;   /* SYN-ACKs beyond the first */
	enum pk_closer closer;  /* who sent the first FIN or RST */
	int64_t  close_ns;      /* when (0 = never) */
	int64_t  max_idle_ns;   /* longest gap between two packets of the flow */
	int64_t  max_idle_at_ns;/* time of the packet ending that gap */
	uint32_t bad_csum;      /* packets with a bad L4 checksum (both directions) */
	uint8_t  flipped;       /* roles were flipped at least once */
	uint8_t  open_at_end;   /* still open when the input ended */
	enum pk_flowend end;
	uint8_t  icmp_type, icmp_code;   /* first ICMP message */
	/* Handshake facts, TCP only (ns since the epoch; 0 = never). */
	uint32_t syn_pkts, synack_pkts;  /* pure SYNs, SYN-ACKs (both directions) */
	int64_t  syn_first_ns, syn_last_ns;
	int64_t  synack_first_ns, synack_last_ns;
	int64_t  hs_ack_ns;     /* first ACK after SYN and SYN-ACK (handshake done) */
};

/* ------------------------------------------------------------- table */

struct pk_flowopts {
	int64_t tcp_inactivity_ns;   /* 300 s */
	int64_t udp_inactivity_ns;   /* 60 s (also TCP before the handshake completes) */
	int64_t icmp_inactivity_ns;  /* 60 s */
	int64_t other_inactivity_ns; /* 60 s */
	int64_t tcp_attempt_ns;      /* 5 s; 0 disables the attempt timer */
	int64_t tcp_close_ns;        /* 5 s close delay */
	int64_t tcp_syn_timeout_ns;  /* 5 s: first expire check */
	int64_t tcp_session_timer_ns;/* 6 s: later expire checks */
	int64_t tcp_linger_ns;       /* 5 s */
	int     vlan_key;            /* key on VLAN ids (default 1; Zeek 0) */
	int     validate_checksums;  /* bad L4 checksum: count and ignore (Zeek) */
	int     count_checksums;     /* compute checksums to count bad ones (default 1) */
	int     attempt_timer;       /* 1 = Zeek's attempt timer on */
	int     port_timeouts;       /* Zeek's 1 h inactivity for 21, 22, 23, 513/tcp once established */
	int64_t long_inactivity_ns;  /* 3600 s */
	size_t  max_flows;           /* 0 = unlimited; else evict the oldest-idle */
	uint64_t hash_seed;
};

/* pflows defaults: VLAN-aware, checksums counted not validated. */
void pk_flowopts_default(struct pk_flowopts *o);
/* Zeek's defaults for timers and key (checksum validation left as is). */
void pk_flowopts_zeek(struct pk_flowopts *o);

struct pk_flowtab;

/* Called for every finished connection; R is valid during the call only. */
typedef void (*pk_flow_cb)(const struct pk_flowrec *r, void *arg);

/* NULL on allocation failure.  OPTS is copied. */
struct pk_flowtab *pk_flowtab_new(const struct pk_flowopts *opts, pk_flow_cb cb, void *arg);
void pk_flowtab_free(struct pk_flowtab *t);   /* accepts NULL; emits nothing */

/*
 * Likely server ports (used to pick the originator of a connection whose
 * first packet is not a SYN, and of UDP flows).  The table starts with the
 * built-in list; PROTO is 6 or 17.
 */
void pk_flowtab_clear_server_ports(struct pk_flowtab *t);
void pk_flowtab_set_server_port(struct pk_flowtab *t, int proto, uint16_t port, int on);
/* Parse "80,443,8000-8080/tcp,53/udp" (no suffix = both); -1 on a syntax error. */
int pk_flowtab_server_ports(struct pk_flowtab *t, const char *list);

/*
 * Feed one decoded packet with its timestamp.  Packets without an IP layer
 * are ignored (return 0).  Expired connections are emitted first.
 * Returns 0, or -1 when memory ran out.
 */
int pk_flowtab_add(struct pk_flowtab *t, const struct pk_layers *L, int64_t sec, uint32_t nsec);

/*
 * Run the timers due at or before SEC.NSEC, as the arrival of a packet at
 * that time would, without counting anything.  Calling it with the time of
 * the last packet of the *whole* input before pk_flowtab_flush() makes a
 * table fed only part of the packets (one shard of a capture split by host
 * pair) end its connections exactly as the table fed everything.
 * Returns 0, or -1 when memory ran out.
 */
int pk_flowtab_advance(struct pk_flowtab *t, int64_t sec, uint32_t nsec);

/* Emit every live connection as open at end of input (end = PK_END_EOF). */
void pk_flowtab_flush(struct pk_flowtab *t);

size_t pk_flowtab_live(const struct pk_flowtab *t);

/*
 * The flow the packet of the last pk_flowtab_add() call was counted in:
 * 1, *UID_HASH (the uid_hash its record will carry) and *START_NS (its
 * start time; with the hash it gives the uid, pk_flow_uid), or 0 when that
 * packet was not attributed to a flow (no IP layer, a fragment of a datagram
 * not yet complete, cut transport header).  Lets a caller map packets to
 * records exactly, with the table's own reuse and timeout rules.
 */
int pk_flowtab_last_flow(const struct pk_flowtab *t, uint64_t *uid_hash, int64_t *start_ns);

/*
 * IP fragments reach a flow once per datagram, whole, as in Zeek: the
 * fragment that completes a datagram is counted as the datagram (its
 * length, the first fragment's headers).  When the last pk_flowtab_add()
 * was such a fragment, this returns the datagram's layers (owned by the
 * table, valid until the next add), else NULL.
 */
const struct pk_layers *pk_flowtab_last_whole(const struct pk_flowtab *t);
size_t pk_flowtab_bytes_per_flow(void);   /* size of the live-flow state */

/* Zeek-style uid "C" + 17 base62 characters from r->uid_hash (deterministic). */
void pk_flow_uid(const struct pk_flowrec *r, char out[24]);

/* Address as text (dotted quad for IPv4-mapped, RFC 5952 for IPv6). */
void pk_flow_addr_str(const uint8_t a[16], char *out, size_t n);


/* ------------------------------------------------------------ output */

/*
 * Every field of a record, Zeek's first then pflows' extras, in a fixed
 * order: PUT(ctx, name, value, is_number) once per field; VALUE is NULL
 * for a field Zeek leaves unset (duration and bytes of a zero-length flow,
 * an empty history).  NOTE (may be NULL) fills the "note" field.
 * SEED is the Community ID seed.
 */
typedef void (*pk_flow_put)(void *ctx, const char *name, const char *value, int is_number);
void pk_flow_fields(const struct pk_flowrec *r, uint16_t seed, const char *note,
                    pk_flow_put put, void *ctx);

/* Community ID v1 of the record ("1:..."); OUT needs 32 bytes. */
void pk_flow_community_id(const struct pk_flowrec *r, uint16_t seed, char out[32]);

/* One JSON line (unset fields omitted).  0, or -1 on a write error. */
int pk_flow_write_json(FILE *fp, const struct pk_flowrec *r, uint16_t seed, const char *note);
/* CSV: header line, and one row per record (unset fields empty). */
int pk_flow_write_csv_header(FILE *fp);
int pk_flow_write_csv(FILE *fp, const struct pk_flowrec *r, uint16_t seed, const char *note);
/*
 * Zeek conn.log TSV: the header block (#separator ... #types), rows with
 * Zeek's columns, and the #close line.  OPEN_SEC/CLOSE_SEC stamp #open and
 * #close (pflows passes the first and last packet times, so output is
 * reproducible).
 */
int pk_flow_write_connlog_header(FILE *fp, int64_t open_sec);
int pk_flow_write_connlog(FILE *fp, const struct pk_flowrec *r);
int pk_flow_write_connlog_close(FILE *fp, int64_t close_sec);

#endif
