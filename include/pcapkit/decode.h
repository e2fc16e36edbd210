/* decode.h — one bounds-checked pass over a packet into offsets and fields.
 *
 * pk_decode() fills a struct pk_layers from the captured bytes, allocating
 * nothing.  Pointers in the struct point into the caller's packet buffer and
 * live as long as it does.  A packet cut by the snap length decodes as far as
 * its bytes go: `status` says why decoding stopped and `stop` at which layer.
 * Only the fields of the layers that were reached are meaningful; the
 * PK_HAVE_* bits in `have` say which.
 *
 * This header is the contract between the decoder and its users (printer,
 * flows, stats, sharding).  Fields may be added; none is removed or renamed
 * without updating every user.
 */
#ifndef PCAPKIT_DECODE_H
#define PCAPKIT_DECODE_H

#include <stdint.h>

enum pk_dstatus {
	PK_DEC_OK = 0,
	PK_DEC_TRUNC,        /* ran out of captured bytes */
	PK_DEC_MALFORMED,    /* a header field is impossible (IHL < 5, ...) */
	PK_DEC_UNSUPPORTED,  /* a protocol we do not decode further */
};

/* Layers reached (bits of pk_layers.have). */
enum {
	PK_HAVE_LINK  = 1u << 0,
	PK_HAVE_VLAN  = 1u << 1,
	PK_HAVE_ARP   = 1u << 2,
	PK_HAVE_IPV4  = 1u << 3,
	PK_HAVE_IPV6  = 1u << 4,
	PK_HAVE_FRAG  = 1u << 5,   /* an IPv4 or IPv6 fragment (first or later) */
	PK_HAVE_TCP   = 1u << 6,
	PK_HAVE_UDP   = 1u << 7,
	PK_HAVE_ICMP  = 1u << 8,
	PK_HAVE_ICMP6 = 1u << 9,
	PK_HAVE_INNER = 1u << 10,  /* ICMP error quoting an IP header: see inner_* */
	PK_HAVE_SCTP  = 1u << 11,
	PK_HAVE_IPEXT = 1u << 12,  /* IPv6 extension headers present */
};

/* TCP flag bits as in the header's 12-bit flags field (AE is bit 8). */
enum {
	PK_TH_FIN = 0x01, PK_TH_SYN = 0x02, PK_TH_RST = 0x04, PK_TH_PUSH = 0x08,
	PK_TH_ACK = 0x10, PK_TH_URG = 0x20, PK_TH_ECE = 0x40, PK_TH_CWR = 0x80,
	PK_TH_AE = 0x100,
};

#define PK_MAX_VLAN   8    /* tags recorded; deeper stacks are counted in n_vlan */
#define PK_MAX_SACK   4
#define PK_MAX_IPEXT  8

struct pk_layers {
	const uint8_t *pkt;        /* packet start (caplen bytes valid) */
	uint32_t caplen, len;
	int      linktype;
	uint32_t have;             /* PK_HAVE_* */
	enum pk_dstatus status;
	uint32_t stop;             /* the PK_HAVE_* layer being decoded when status != OK (0 = link) */

	/* Link layer. */
	uint32_t l2_len;           /* link header bytes incl. VLAN tags */
	const uint8_t *eth_dst, *eth_src;   /* EN10MB, NULL otherwise */
	uint16_t sll_pkttype;      /* LINUX_SLL/SLL2 packet type (0 host, 4 outgoing...) */
	uint16_t ethertype;        /* after tags; for NULL/LOOP mapped from the AF;
	                              0 for an 802.3 length field (see eth_len) */
	uint16_t eth_len;          /* 802.3 length field when the type field is <= 1500 */
	uint32_t null_af;          /* NULL/LOOP address family as read (byte order fixed) */
	uint16_t n_vlan;           /* tags seen (may exceed PK_MAX_VLAN) */
	uint16_t vlan_tpid[PK_MAX_VLAN];
	uint16_t vlan_tci[PK_MAX_VLAN];   /* outermost first; id = tci & 0xfff */

	/* Network layer. */
	uint32_t l3_off;           /* offset of the IP/ARP header */
	uint8_t  ip_ver;           /* 4, 6 or 0 */
	const uint8_t *ip_src, *ip_dst;   /* 4 or 16 bytes inside pkt */
	uint8_t  ip_hlen;          /* IPv4 IHL*4; 40 for IPv6 (fixed header) */
	uint32_t ip_len;           /* IPv4 total length; IPv6 payload length + 40 */
	uint8_t  ip_ttl;           /* TTL / hop limit */
	uint8_t  ip_tos;           /* TOS / traffic class */
	uint16_t ip_id;            /* IPv4 id */
	uint32_t ip6_flow;         /* IPv6 flow label */
	uint8_t  ip_proto;         /* final upper-layer protocol after extension headers */
	uint8_t  frag_more;        /* MF set */
	uint8_t  frag_df;          /* IPv4 DF set */
	uint32_t frag_off;         /* fragment offset in bytes (0 for the first) */
	uint32_t frag_id;          /* IPv4 id or IPv6 fragment identification */
	uint8_t  n_ipext;
	uint8_t  ipext[PK_MAX_IPEXT];   /* IPv6 extension header types, in order */
	uint32_t ipext_off[PK_MAX_IPEXT];  /* offset of each extension header */
	uint32_t ip_optlen;        /* IPv4 option bytes (ip_hlen - 20) */
	uint32_t ip_wire_len;      /* bytes of the packet from l3_off on the wire (len - l3_off) */
	uint32_t l4_len;           /* transport bytes claimed by the IP header (segment length) */

	/* ARP (PK_HAVE_ARP). */
	uint16_t arp_op, arp_hrd, arp_pro;
	uint8_t  arp_hln, arp_pln;
	const uint8_t *arp_sha, *arp_spa, *arp_tha, *arp_tpa;

	/* Transport (TCP/UDP/SCTP/ICMP/ICMPv6). */
	uint32_t l4_off;
	uint16_t sport, dport;     /* TCP/UDP/SCTP */
	uint32_t payload_off;      /* first byte after the transport header */
	uint32_t payload_len;      /* payload bytes claimed by the headers (IP length based) */
	uint32_t payload_caplen;   /* payload bytes actually captured */

	/* TCP (PK_HAVE_TCP). */
	uint32_t tcp_seq, tcp_ack;
	uint16_t tcp_flags;        /* PK_TH_* */
	uint16_t tcp_win;
	uint16_t tcp_urp;
	uint8_t  tcp_hlen;         /* data offset * 4 */
	uint16_t tcp_sum;          /* checksum field as sent */
	/* TCP options (parsed when the option bytes were captured). */
	uint8_t  opt_mss_set, opt_ws_set, opt_sackok, opt_ts_set;
	uint16_t opt_mss;
	uint8_t  opt_ws;
	uint32_t opt_ts_val, opt_ts_ecr;
	uint8_t  opt_nsack;
	uint32_t opt_sack[PK_MAX_SACK][2];
	uint8_t  opt_bad;          /* an option ran past the header or had a bad length */

	/* UDP (PK_HAVE_UDP). */
	uint16_t udp_len, udp_sum;

	/* ICMP / ICMPv6 (PK_HAVE_ICMP / PK_HAVE_ICMP6). */
	uint8_t  icmp_type, icmp_code;
	uint16_t icmp_id, icmp_seq;   /* echo request/reply */

	/* ICMP error's quoted packet (PK_HAVE_INNER): its addresses and ports. */
	uint32_t inner_off;          /* offset of the quoted IP header */
	uint8_t  inner_ver, inner_proto, inner_have_ports;
	const uint8_t *inner_src, *inner_dst;
	uint16_t inner_sport, inner_dport;
};

/*
 * Decode PKT (caplen captured bytes of a len-byte packet) of link type
 * LINKTYPE into *L.  Returns L->status.  Never reads past caplen.
 */
enum pk_dstatus pk_decode(struct pk_layers *L, int linktype,
                          const uint8_t *pkt, uint32_t caplen, uint32_t len);

/*
 * Verify the IPv4 header checksum and the TCP/UDP/ICMP/ICMPv6 checksum of a
 * decoded packet.  Returns 1 good, 0 bad, -1 cannot tell (not captured whole,
 * a fragment, or no transport layer).
 */
int pk_decode_l4_checksum_ok(const struct pk_layers *L);

/*
 * The Internet checksum sum (RFC 1071) of N bytes at P: the one's-complement
 * sum of the big-endian 16-bit words (a trailing odd byte padded with zero),
 * folded to 16 bits and not complemented.  0 only when every byte is 0.
 */
uint16_t pk_inet_sum(const uint8_t *p, uint32_t n);

#endif
