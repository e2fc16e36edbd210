/* pktbuild.h — a tiny packet builder and capture-file writer for test data.
 *
 * Build a packet outside in, one layer per call, then pb_finish():
 *
 *     struct pb b;
 *     pb_begin(&b, PK_LINK_EN10MB);                  // link header
 *     pb_vlan(&b, 0x8100, 100);                      // optional tags (EN10MB)
 *     pb_ipv4(&b, &(struct pb_ip4){ .src = "10.0.0.1", .dst = "10.0.0.2" });
 *     pb_tcp(&b, &(struct pb_tcp){ .sport = 1234, .dport = 80,
 *                                  .flags = PK_TH_SYN, .mss = 1460 });
 *     pb_payload(&b, "GET /", 5);
 *     pb_finish(&b);                                 // lengths, next-protocol fields, checksums
 *
 * Each layer fills its predecessor's "next protocol" field (EtherType, SLL
 * protocol, NULL/LOOP address family, IP protocol, IPv6 next header) unless
 * the caller set it.  pb_finish() sets IP total/payload lengths and UDP
 * length to "to the end of the packet" when left 0, and computes every
 * checksum, innermost first (so an ICMP error quoting an IP/UDP packet gets
 * right checksums at both levels).  `.bad_csum = 1` makes a checksum wrong
 * on purpose; every numeric field that is 0 by default and has a meaningful
 * default (TTL 64, window 65535, IHL, data offset) takes it when left 0.
 *
 * Output (struct pb_out): pcap through the library writer (native order),
 * pcap in either byte order written by hand, or pcapng blocks written by
 * hand (the library writes only pcap).  pb_raw() appends arbitrary bytes for
 * damaged files.  Helpers abort the generator on any I/O error: test data
 * either is written whole or not at all.
 */
#ifndef PK_PKTBUILD_H
#define PK_PKTBUILD_H

#include <stddef.h>
#include <stdint.h>
#include "pcapkit/packet.h"
#include "pcapkit/decode.h"   /* PK_TH_* flag bits */

#define PB_MAX 65600
#define PB_MAXLAYERS 16

struct pb_layer { int kind; uint32_t off; uint32_t flags; };

struct pb {
	uint8_t  d[PB_MAX];
	uint32_t len;
	int      linktype;
	int      nl;
	struct pb_layer l[PB_MAXLAYERS];
	int      next_kind;      /* how to fill the pending next-protocol field */
	uint32_t next_off;       /* its offset, 0 = none pending */
};

/* Link layers.  For NULL/LOOP, PB_NULL_BE in `variant` writes the AF in
 * big-endian order (NULL is host order of the capturing machine; LOOP is
 * always big-endian).  SLL/SLL2 carry packet type 0 (to us) by default. */
enum { PB_NULL_LE = 0, PB_NULL_BE = 1 };
void pb_begin(struct pb *b, int linktype);
void pb_begin_null(struct pb *b, int linktype, int variant);
void pb_eth_addr(struct pb *b, const char *src, const char *dst);  /* "aa:bb:..." */
void pb_sll_pkttype(struct pb *b, uint16_t pkttype);
void pb_vlan(struct pb *b, uint16_t tpid, uint16_t tci);   /* 0x8100, 0x88a8, 0x9100 */

struct pb_ip4 {
	const char *src, *dst;      /* dotted quads */
	uint8_t  tos, ttl, proto;   /* ttl 0 -> 64; proto 0 -> from next layer */
	uint8_t  ihl;               /* 0 -> from options */
	uint8_t  version;           /* 0 -> 4 */
	uint16_t id;
	uint16_t frag;              /* flags + offset field as sent: 0x4000 DF, 0x2000 MF | off/8 */
	uint16_t tot_len;           /* 0 -> to the end of the packet */
	const uint8_t *opts; uint8_t optlen;   /* padded to 4 with EOL */
	int      bad_csum;
};
void pb_ipv4(struct pb *b, const struct pb_ip4 *o);

struct pb_ip6 {
	const char *src, *dst;      /* RFC 4291 text */
	uint8_t  tclass, hlim, next;   /* hlim 0 -> 64; next 0 -> from next layer (use PB_NEXT_HOPOPT for 0) */
	uint32_t flow;
	uint16_t plen;              /* 0 -> to the end of the packet */
};
#define PB_NEXT_HOPOPT 0x100
void pb_ipv6(struct pb *b, const struct pb_ip6 *o);
/* A generic extension header (0 hop-by-hop, 43 routing, 60 dest opts):
 * BODY is padded to a multiple of 8 with PadN. */
void pb_ipv6_ext(struct pb *b, uint8_t type, const uint8_t *body, size_t n);
void pb_ipv6_frag(struct pb *b, uint16_t offset8, int more, uint32_t id);

struct pb_tcp {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint16_t flags;             /* PK_TH_* */
	uint16_t win;               /* 0 -> 65535 unless win_zero */
	int      win_zero;
	uint16_t urp;
	uint8_t  doff;              /* 0 -> from options */
	uint16_t mss;               /* 0 = absent */
	int      ws_set; uint8_t ws;
	int      sackok;
	int      nsack; uint32_t sack[4][2];
	int      ts_set; uint32_t tsval, tsecr;
	const uint8_t *raw_opts; uint8_t raw_len;   /* appended after the above */
	int      bad_csum;
};
void pb_tcp(struct pb *b, const struct pb_tcp *o);

void pb_udp(struct pb *b, uint16_t sport, uint16_t dport);
void pb_udp_bad(struct pb *b, uint16_t sport, uint16_t dport, uint16_t len, int bad_csum);
/* ICMP / ICMPv6: type, code, and the 4-byte rest of header (id << 16 | seq
 * for echo).  The quoted packet of an error is built by the next calls. */
void pb_icmp(struct pb *b, uint8_t type, uint8_t code, uint32_t rest);
void pb_icmp6(struct pb *b, uint8_t type, uint8_t code, uint32_t rest);
/* ARP for IPv4 over Ethernet (op 1 request, 2 reply). */
void pb_arp(struct pb *b, uint16_t op, const char *sha, const char *spa,
            const char *tha, const char *tpa);
void pb_payload(struct pb *b, const void *data, size_t n);
void pb_fill(struct pb *b, size_t n, uint8_t byte);
void pb_finish(struct pb *b);

/* ---- capture files ---- */
struct pb_out;
/* pcap through pk_writer (native byte order, version 2.4). */
struct pb_out *pb_out_pcap(const char *path, int linktype, uint32_t snaplen, int nano);
/* The same for DIR/NAME (the generators write into the directory they are given). */
struct pb_out *pb_out_pcap_in(const char *dir, const char *name, int linktype, uint32_t snaplen, int nano);
/* pcap by hand: any byte order / version (for reader tests). */
struct pb_out *pb_out_pcap_ex(const char *path, int linktype, uint32_t snaplen, int nano,
                              int big_endian, uint16_t vmajor, uint16_t vminor);
/* pcapng by hand; write the SHB/IDBs yourself. */
struct pb_out *pb_out_pcapng(const char *path, int big_endian);

/* A pcap record (caplen 0 = the whole packet), or any record of raw data. */
void pb_put(struct pb_out *o, int64_t sec, uint32_t nsec, const struct pb *b);
void pb_put_cut(struct pb_out *o, int64_t sec, uint32_t nsec, const struct pb *b, uint32_t caplen);
void pb_put_data(struct pb_out *o, int64_t sec, uint32_t nsec, const void *data,
                 uint32_t caplen, uint32_t len);
void pb_raw(struct pb_out *o, const void *bytes, size_t n);
void pb_close(struct pb_out *o);

/* pcapng blocks (strings NULL = option absent). */
void pb_ng_shb(struct pb_out *o, const char *comment, const char *hardware,
               const char *os, const char *application);
void pb_ng_idb(struct pb_out *o, int linktype, uint32_t snaplen, uint8_t tsresol,
               int64_t tsoffset, const char *name);
/* Ticks for (sec, nsec) in units of TSRESOL (pcapng if_tsresol byte) after
 * subtracting TSOFFSET seconds, truncated. */
uint64_t pb_ng_ticks(int64_t sec, uint32_t nsec, uint8_t tsresol, int64_t tsoffset);
void pb_ng_epb(struct pb_out *o, uint32_t ifid, uint64_t ticks, const void *data,
               uint32_t caplen, uint32_t len, const char *comment);
void pb_ng_spb(struct pb_out *o, const void *data, uint32_t caplen, uint32_t len);
void pb_ng_pb(struct pb_out *o, uint16_t ifid, uint64_t ticks, const void *data,
              uint32_t caplen, uint32_t len);
void pb_ng_isb(struct pb_out *o, uint32_t ifid, uint64_t ticks, uint64_t ifdrop);
void pb_ng_block(struct pb_out *o, uint32_t type, const void *body, size_t n);

#endif
