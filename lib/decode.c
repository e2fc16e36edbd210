/* decode.c — one bounds-checked pass from the link header to the transport header.
 *
 * Specs: IEEE 802.3 / 802.1Q / 802.1ad (Ethernet and VLAN tags), libpcap's
 * LINKTYPE_LINUX_SLL / LINUX_SLL2 / NULL / LOOP / RAW descriptions (tcpdump.org
 * link-layer header types), RFC 791 (IPv4), RFC 8200 (IPv6 and extension
 * headers), RFC 4302 (AH), RFC 826 (ARP), RFC 9293 + RFC 7323 + RFC 2018 +
 * RFC 3168 (TCP, options, ECN; AE bit from RFC 9768 AccECN), RFC 768 (UDP),
 * RFC 9260 (SCTP common header), RFC 792 (ICMP), RFC 4443 (ICMPv6),
 * RFC 2516 + RFC 1661 (PPPoE session, PPP protocol field), RFC 3032 (MPLS
 * label stack).
 *
 * Nothing is allocated and nothing is read past caplen: every access goes
 * through pk_has() first.  The first layer whose header is not all present
 * ends the walk with PK_DEC_TRUNC and `stop` naming that layer.
 */
#include <stddef.h>
#include <string.h>

#include "pcapkit/decode.h"
#include "pcapkit/packet.h"
#include "decode_bytes.h"

#define ET_IPV4  0x0800
#define ET_ARP   0x0806
#define ET_IPV6  0x86dd
#define ET_8021Q 0x8100
#define ET_8021AD 0x88a8
#define ET_QINQ1 0x9100
#define ET_QINQ2 0x9200
#define ET_PPPOES 0x8864
#define ET_MPLS  0x8847
#define ET_MPLSM 0x8848

static enum pk_dstatus
stop(struct pk_layers *L, enum pk_dstatus st, uint32_t layer)
{
	L->status = st;
	L->stop = layer;
	return st;
}

static int
is_vlan_tpid(uint16_t t)
{
	return t == ET_8021Q || t == ET_8021AD || t == ET_QINQ1 || t == ET_QINQ2;
}

/* Walk VLAN tags starting at OFF whose TPID is *type. */
static int
walk_tags(struct pk_layers *L, uint32_t *off, uint16_t *type)
{
	while (is_vlan_tpid(*type)) {
		if (!pk_has(L->caplen, *off, 4))
			return -1;
		if (L->n_vlan < PK_MAX_VLAN) {
			L->vlan_tpid[L->n_vlan] = *type;
			L->vlan_tci[L->n_vlan] = pk_be16(L->pkt + *off);
		}
		if (L->n_vlan < UINT16_MAX)
			L->n_vlan++;
		*type = pk_be16(L->pkt + *off + 2);
		*off += 4;
		L->have |= PK_HAVE_VLAN;
	}
	return 0;
}

/* 802.2 LLC with a SNAP header carrying an ethertype (RFC 1042). */
static void
llc_snap(struct pk_layers *L, uint32_t *off, uint16_t *type)
{
	const uint8_t *p = L->pkt + *off;

	if (pk_has(L->caplen, *off, 8) && p[0] == 0xaa && p[1] == 0xaa &&
	    p[2] == 0x03 && p[3] == 0 && p[4] == 0 && p[5] == 0) {
		*type = pk_be16(p + 6);
		*off += 8;
	}
}

static uint16_t
af_to_ethertype(uint32_t af)
{
	switch (af) {
	case 2:
		return ET_IPV4;
	case 10: case 24: case 28: case 30:   /* Linux, BSDs, FreeBSD, Darwin */
		return ET_IPV6;
	default:
		return 0;
	}
}

/* Returns 0 with L->l2_len and L->ethertype set, or -1 after stop(). */
static int
decode_link(struct pk_layers *L)
{
	const uint8_t *p = L->pkt;
	uint32_t off = 0;
	uint16_t type = 0;

	switch (L->linktype) {
	case PK_LINK_EN10MB:
		if (!pk_has(L->caplen, 0, 14)) {
			stop(L, PK_DEC_TRUNC, 0);
			return -1;
		}
		L->eth_dst = p;
		L->eth_src = p + 6;
		type = pk_be16(p + 12);
		off = 14;
		L->have |= PK_HAVE_LINK;
		if (walk_tags(L, &off, &type) < 0) {
			L->l2_len = off;
			stop(L, PK_DEC_TRUNC, PK_HAVE_VLAN);
			return -1;
		}
		if (type <= 1500) {
			L->eth_len = type;
			type = 0;
			llc_snap(L, &off, &type);
		}
		break;
	case PK_LINK_LINUX_SLL:
		if (!pk_has(L->caplen, 0, 16)) {
			stop(L, PK_DEC_TRUNC, 0);
			return -1;
		}
		L->sll_pkttype = pk_be16(p);
		type = pk_be16(p + 14);
		off = 16;
		goto sll_common;
	case PK_LINK_LINUX_SLL2:
		if (!pk_has(L->caplen, 0, 20)) {
			stop(L, PK_DEC_TRUNC, 0);
			return -1;
		}
		L->sll_pkttype = p[10];
		type = pk_be16(p);
		off = 20;
	sll_common:
		L->have |= PK_HAVE_LINK;
		if (type < 0x0600) {
			/* 1 = 802.3 raw, 4 = 802.2 LLC, others: no ethertype. */
			if (type == 4)
				llc_snap(L, &off, &type);
			if (type < 0x0600)
				type = 0;
		}
		if (walk_tags(L, &off, &type) < 0) {
			L->l2_len = off;
			stop(L, PK_DEC_TRUNC, PK_HAVE_VLAN);
			return -1;
		}
		break;
	case PK_LINK_NULL:
	case PK_LINK_LOOP: {
		uint32_t af;

		if (!pk_has(L->caplen, 0, 4)) {
			stop(L, PK_DEC_TRUNC, 0);
			return -1;
		}
		/* The AF is in the capturing host's order (NULL) or network
		 * order (LOOP); writers get this wrong, so take whichever order
		 * gives a small number, as libpcap does. */
		af = L->linktype == PK_LINK_LOOP ? pk_be32(p) : pk_le32(p);
		if ((af & 0xffff) == 0 && af != 0)
			af = af >> 24 | (af >> 8 & 0xff00) | (af << 8 & 0xff0000) | af << 24;
		L->null_af = af;
		type = af_to_ethertype(af);
		off = 4;
		L->have |= PK_HAVE_LINK;
		break;
	}
	case PK_LINK_RAW:
	case PK_LINK_RAW_OLD12:
	case PK_LINK_RAW_OLD14:
	case PK_LINK_IPV4:
	case PK_LINK_IPV6:
		/* The version nibble decides, as tcpdump 4.99 does even for
		 * LINKTYPE_IPV4/IPV6 whose packet is of the other version. */
		L->have |= PK_HAVE_LINK;
		if (!pk_has(L->caplen, 0, 1)) {
			stop(L, PK_DEC_TRUNC, PK_HAVE_IPV4);
			return -1;
		}
		type = (p[0] >> 4) == 6 ? ET_IPV6 : (p[0] >> 4) == 4 ? ET_IPV4 : 0;
		break;
	default:
		stop(L, PK_DEC_UNSUPPORTED, 0);
		return -1;
	}
	L->l2_len = off;
	L->ethertype = type;
	L->l3_off = off;
	return 0;
}

static enum pk_dstatus
decode_arp(struct pk_layers *L)
{
	const uint8_t *p = L->pkt + L->l3_off;
	uint32_t need;

	if (!pk_has(L->caplen, L->l3_off, 8))
		return stop(L, PK_DEC_TRUNC, PK_HAVE_ARP);
	L->arp_hrd = pk_be16(p);
	L->arp_pro = pk_be16(p + 2);
	L->arp_hln = p[4];
	L->arp_pln = p[5];
	L->arp_op = pk_be16(p + 6);
	need = 8 + 2u * L->arp_hln + 2u * L->arp_pln;
	if (!pk_has(L->caplen, L->l3_off, need))
		return stop(L, PK_DEC_TRUNC, PK_HAVE_ARP);
	L->arp_sha = p + 8;
	L->arp_spa = L->arp_sha + L->arp_hln;
	L->arp_tha = L->arp_spa + L->arp_pln;
	L->arp_tpa = L->arp_tha + L->arp_hln;
	L->have |= PK_HAVE_ARP;
	return PK_DEC_OK;
}

static void
tcp_options(struct pk_layers *L, const uint8_t *o, uint32_t n)
{
	uint32_t i = 0;

	if (n == 12 && pk_be32(o) == 0x0101080a) {
		/* NOP, NOP, timestamps (RFC 7323 appendix A's layout): the
		 * options of nearly every segment after the handshake. */
		L->opt_ts_set = 1;
		L->opt_ts_val = pk_be32(o + 4);
		L->opt_ts_ecr = pk_be32(o + 8);
		return;
	}

	while (i < n) {
		uint8_t kind = o[i], len;

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (n - i < 2 || (len = o[i + 1]) < 2 || len > n - i) {
			L->opt_bad = 1;
			break;
		}
		switch (kind) {
		case 2:
			if (len == 4) {
				L->opt_mss_set = 1;
				L->opt_mss = pk_be16(o + i + 2);
			}
			break;
		case 3:
			if (len == 3) {
				L->opt_ws_set = 1;
				L->opt_ws = o[i + 2];
			}
			break;
		case 4:
			if (len == 2)
				L->opt_sackok = 1;
			break;
		case 5:
			for (uint32_t j = 2; j + 8 <= len && L->opt_nsack < PK_MAX_SACK; j += 8) {
				L->opt_sack[L->opt_nsack][0] = pk_be32(o + i + j);
				L->opt_sack[L->opt_nsack][1] = pk_be32(o + i + j + 4);
				L->opt_nsack++;
			}
			break;
		case 8:
			if (len == 10) {
				L->opt_ts_set = 1;
				L->opt_ts_val = pk_be32(o + i + 2);
				L->opt_ts_ecr = pk_be32(o + i + 6);
			}
			break;
		default:
			break;
		}
		i += len;
	}
}

/* Transport layer at L->l4_off carrying L->l4_len bytes (IP-length based). */
static enum pk_dstatus
decode_l4(struct pk_layers *L)
{
	uint32_t off = L->l4_off, cl = L->caplen, hl = 0;
	const uint8_t *p = L->pkt + off;

	switch (L->ip_proto) {
	case 6:
		if (!pk_has(cl, off, 20))
			return stop(L, PK_DEC_TRUNC, PK_HAVE_TCP);
		L->sport = pk_be16(p);
		L->dport = pk_be16(p + 2);
		L->tcp_seq = pk_be32(p + 4);
		L->tcp_ack = pk_be32(p + 8);
		hl = (uint32_t)(p[12] >> 4) * 4;
		L->tcp_hlen = (uint8_t)hl;
		L->tcp_flags = (uint16_t)((p[12] & 0x01) << 8 | p[13]);
		L->tcp_win = pk_be16(p + 14);
		L->tcp_sum = pk_be16(p + 16);
		L->tcp_urp = pk_be16(p + 18);
		L->have |= PK_HAVE_TCP;
		if (hl < 20)
			return stop(L, PK_DEC_MALFORMED, PK_HAVE_TCP);
		if (!pk_has(cl, off, hl))
			return stop(L, PK_DEC_TRUNC, PK_HAVE_TCP);
		tcp_options(L, p + 20, hl - 20);
		break;
	case 17:
	case 136:  /* UDP-Lite shares the header layout */
		if (!pk_has(cl, off, 8))
			return stop(L, PK_DEC_TRUNC, PK_HAVE_UDP);
		L->sport = pk_be16(p);
		L->dport = pk_be16(p + 2);
		L->udp_len = pk_be16(p + 4);
		L->udp_sum = pk_be16(p + 6);
		L->have |= PK_HAVE_UDP;
		hl = 8;
		break;
	case 132:
		if (!pk_has(cl, off, 12))
			return stop(L, PK_DEC_TRUNC, PK_HAVE_SCTP);
		L->sport = pk_be16(p);
		L->dport = pk_be16(p + 2);
		L->have |= PK_HAVE_SCTP;
		hl = 12;
		break;
	case 1:
	case 58: {
		uint32_t bit = L->ip_proto == 1 ? PK_HAVE_ICMP : PK_HAVE_ICMP6;
		int err;

		if (!pk_has(cl, off, 4))
			return stop(L, PK_DEC_TRUNC, bit);
		L->icmp_type = p[0];
		L->icmp_code = p[1];
		L->have |= bit;
		hl = 8;
		if (pk_has(cl, off, 8)) {
			L->icmp_id = pk_be16(p + 4);
			L->icmp_seq = pk_be16(p + 6);
		}
		if (L->ip_proto == 1)
			err = p[0] == 3 || p[0] == 4 || p[0] == 5 || p[0] == 11 || p[0] == 12;
		else
			err = p[0] >= 1 && p[0] <= 4;
		if (err && pk_has(cl, off, 9)) {
			uint32_t io = off + 8;
			const uint8_t *q = L->pkt + io;
			uint32_t ihl = 0;

			L->inner_off = io;
			L->inner_ver = q[0] >> 4;
			if (L->inner_ver == 4 && pk_has(cl, io, 20) && (q[0] & 15) >= 5) {
				ihl = (uint32_t)(q[0] & 15) * 4;
				L->inner_proto = q[9];
				L->inner_src = q + 12;
				L->inner_dst = q + 16;
				L->have |= PK_HAVE_INNER;
				/* A quoted later fragment has no ports. */
				if ((pk_be16(q + 6) & 0x1fff) != 0)
					ihl = 0;
			} else if (L->inner_ver == 6 && pk_has(cl, io, 40)) {
				ihl = 40;
				L->inner_proto = q[6];
				L->inner_src = q + 8;
				L->inner_dst = q + 24;
				L->have |= PK_HAVE_INNER;
			}
			if (ihl && (L->inner_proto == 6 || L->inner_proto == 17 ||
			    L->inner_proto == 132) && pk_has(cl, io + ihl, 4)) {
				L->inner_sport = pk_be16(q + ihl);
				L->inner_dport = pk_be16(q + ihl + 2);
				L->inner_have_ports = 1;
			}
		}
		break;
	}
	default:
		return stop(L, PK_DEC_UNSUPPORTED, 0);
	}
	L->payload_off = off + hl;
	L->payload_len = L->l4_len > hl ? L->l4_len - hl : 0;
	L->payload_caplen = cl > L->payload_off ? cl - L->payload_off : 0;
	if (L->payload_caplen > L->payload_len)
		L->payload_caplen = L->payload_len;
	return PK_DEC_OK;
}

static enum pk_dstatus
decode_ipv4(struct pk_layers *L)
{
	uint32_t off = L->l3_off;
	const uint8_t *p = L->pkt + off;
	uint32_t hl, tot, fo;

	if (!pk_has(L->caplen, off, 20))
		return stop(L, PK_DEC_TRUNC, PK_HAVE_IPV4);
	L->ip_ver = p[0] >> 4;
	hl = (uint32_t)(p[0] & 15) * 4;
	L->ip_hlen = (uint8_t)hl;
	L->ip_tos = p[1];
	tot = pk_be16(p + 2);
	L->ip_len = tot;
	L->ip_id = pk_be16(p + 4);
	fo = pk_be16(p + 6);
	L->frag_df = (fo & 0x4000) != 0;
	L->frag_more = (fo & 0x2000) != 0;
	L->frag_off = (fo & 0x1fff) * 8u;
	L->frag_id = L->ip_id;
	L->ip_ttl = p[8];
	L->ip_proto = p[9];
	L->ip_src = p + 12;
	L->ip_dst = p + 16;
	L->have |= PK_HAVE_IPV4;
	if (L->ip_ver != 4 || hl < 20)
		return stop(L, PK_DEC_MALFORMED, PK_HAVE_IPV4);
	L->ip_optlen = hl - 20;
	if (tot == 0)       /* TSO: the NIC fills the length in later */
		tot = L->ip_wire_len;
	if (tot < hl)
		return stop(L, PK_DEC_MALFORMED, PK_HAVE_IPV4);
	if (!pk_has(L->caplen, off, hl))
		return stop(L, PK_DEC_TRUNC, PK_HAVE_IPV4);
	if (L->frag_more || L->frag_off)
		L->have |= PK_HAVE_FRAG;
	L->l4_off = off + hl;
	L->l4_len = tot - hl;
	if (L->frag_off)
		return PK_DEC_OK;   /* later fragment: no transport header */
	return decode_l4(L);
}

static enum pk_dstatus
decode_ipv6(struct pk_layers *L)
{
	uint32_t off = L->l3_off, end, nh, plen;
	const uint8_t *p = L->pkt + off;

	if (!pk_has(L->caplen, off, 40))
		return stop(L, PK_DEC_TRUNC, PK_HAVE_IPV6);
	L->ip_ver = p[0] >> 4;
	L->ip_tos = (uint8_t)(pk_be16(p) >> 4);
	L->ip6_flow = pk_be32(p) & 0xfffff;
	plen = pk_be16(p + 4);
	L->ip_len = plen + 40;
	L->ip_hlen = 40;
	L->ip_ttl = p[7];
	L->ip_src = p + 8;
	L->ip_dst = p + 24;
	nh = p[6];
	L->ip_proto = (uint8_t)nh;
	L->have |= PK_HAVE_IPV6;
	if (L->ip_ver != 6)
		return stop(L, PK_DEC_MALFORMED, PK_HAVE_IPV6);
	off += 40;
	/* Jumbo payload (RFC 2675) has plen 0; the end comes from the wire. */
	end = plen ? L->l3_off + 40 + plen : L->l3_off + L->ip_wire_len;
	/* Each extension header is at least 8 bytes, so the walk ends; the
	 * count cap bounds it further. */
	for (int hops = 0; hops < 64; hops++) {
		uint32_t hl;

		if (nh != 0 && nh != 43 && nh != 44 && nh != 60 && nh != 51 && nh != 135)
			break;
		if (!pk_has(L->caplen, off, 8))
			return stop(L, PK_DEC_TRUNC, PK_HAVE_IPEXT);
		L->have |= PK_HAVE_IPEXT;
		if (L->n_ipext < PK_MAX_IPEXT) {
			L->ipext[L->n_ipext] = (uint8_t)nh;
			L->ipext_off[L->n_ipext] = off;
			L->n_ipext++;
		}
		if (nh == 44) {
			uint16_t fo = pk_be16(L->pkt + off + 2);

			hl = 8;
			L->have |= PK_HAVE_FRAG;
			L->frag_off = fo & 0xfff8u;
			L->frag_more = fo & 1;
			L->frag_id = pk_be32(L->pkt + off + 4);
		} else if (nh == 51) {
			hl = ((uint32_t)L->pkt[off + 1] + 2) * 4;
		} else {
			hl = ((uint32_t)L->pkt[off + 1] + 1) * 8;
		}
		nh = L->pkt[off];
		L->ip_proto = (uint8_t)nh;
		if (!pk_has(L->caplen, off, hl))
			return stop(L, PK_DEC_TRUNC, PK_HAVE_IPEXT);
		off += hl;
		if ((L->have & PK_HAVE_FRAG) && L->frag_off)
			break;
	}
	L->l4_off = off;
	L->l4_len = end > off ? end - off : 0;
	if (nh == 59)
		return PK_DEC_OK;   /* no next header */
	if ((L->have & PK_HAVE_FRAG) && L->frag_off)
		return PK_DEC_OK;
	if (nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51 || nh == 135)
		return stop(L, PK_DEC_MALFORMED, PK_HAVE_IPEXT);  /* chain too long */
	return decode_l4(L);
}

/* Shims between the link and IP that flows look through: a PPPoE session
 * header (RFC 2516 section 4: ver/type 0x11, code 0, session, length) and its
 * PPP protocol field (RFC 1661: 0x0021 IPv4, 0x0057 IPv6), or an MPLS label
 * stack (RFC 3032: 4-byte entries up to the bottom-of-stack bit, then the IP
 * version nibble).  L->ethertype keeps the outer type; l3_off moves past the
 * shim.  Returns the inner ethertype, 0 when it carries no IP, -1 when cut. */
static int
decode_shim(struct pk_layers *L)
{
	uint32_t off = L->l3_off;

	if (L->ethertype == ET_PPPOES) {
		const uint8_t *p = L->pkt + off;
		uint16_t proto;

		if (!pk_has(L->caplen, off, 8))
			return -1;
		if (p[0] != 0x11 || p[1] != 0)
			return 0;
		proto = pk_be16(p + 6);
		L->l3_off = off + 8;
		return proto == 0x0021 ? ET_IPV4 : proto == 0x0057 ? ET_IPV6 : 0;
	}
	for (;;) {   /* MPLS */
		if (!pk_has(L->caplen, off, 4))
			return -1;
		off += 4;
		if (L->pkt[off - 2] & 1)
			break;
	}
	if (!pk_has(L->caplen, off, 1))
		return -1;
	L->l3_off = off;
	return (L->pkt[off] >> 4) == 4 ? ET_IPV4 : (L->pkt[off] >> 4) == 6 ? ET_IPV6 : 0;
}

/* Zero *L but for the arrays, which are only read below their counts
 * (n_vlan, n_ipext, opt_nsack); a quarter less to clear per packet. */
#define ZERO_SPAN(L, from, to) memset((char *)(L) + offsetof(struct pk_layers, from), 0, \
	offsetof(struct pk_layers, to) - offsetof(struct pk_layers, from))
static inline void
zero_layers(struct pk_layers *L)
{
	ZERO_SPAN(L, pkt, vlan_tpid);
	ZERO_SPAN(L, l3_off, ipext);
	ZERO_SPAN(L, ip_optlen, l4_off);   /* two pieces: stores, not a rep stos */
	ZERO_SPAN(L, l4_off, opt_sack);
	memset(&L->opt_bad, 0, sizeof *L - offsetof(struct pk_layers, opt_bad));
}

enum pk_dstatus
pk_decode(struct pk_layers *L, int linktype, const uint8_t *pkt, uint32_t caplen, uint32_t len)
{
	int type;

	zero_layers(L);
	L->pkt = pkt;
	L->caplen = caplen;
	L->len = len < caplen ? caplen : len;
	L->linktype = linktype;
	L->status = PK_DEC_OK;
	if (linktype == PK_LINK_EN10MB && caplen >= 34 && pkt[12] == 0x08 && pkt[13] == 0x00) {
		/* The common case, untagged Ethernet II carrying IPv4: what
		 * decode_link and the shim and type dispatch below do for it,
		 * without their branches. */
		L->eth_dst = pkt;
		L->eth_src = pkt + 6;
		L->have = PK_HAVE_LINK;
		L->l2_len = L->l3_off = 14;
		L->ethertype = ET_IPV4;
		L->ip_wire_len = L->len - 14;   /* len >= caplen >= 34 */
		return decode_ipv4(L);
	}
	if (decode_link(L) < 0)
		return L->status;
	type = L->ethertype;
	if (type == ET_PPPOES || type == ET_MPLS || type == ET_MPLSM) {
		type = decode_shim(L);
		if (type < 0)
			return stop(L, PK_DEC_TRUNC, 0);
	}
	L->ip_wire_len = L->len > L->l3_off ? L->len - L->l3_off : 0;
	switch (type) {
	case ET_IPV4:
		return decode_ipv4(L);
	case ET_IPV6:
		return decode_ipv6(L);
	case ET_ARP:
		return decode_arp(L);
	default:
		return stop(L, PK_DEC_UNSUPPORTED, 0);
	}
}

/* One's-complement sums (RFC 1071).
 *
 * RFC 1071 section 2: the sum does not depend on byte order (summing
 * byte-swapped words gives the byte-swapped sum) and may be accumulated in
 * wider words with the carries added back (2^16 is 1 modulo 0xffff, and so
 * is 2^64).  So every piece (pseudo-header, header, payload) is summed as
 * native 64-bit words (memcpy loads: any alignment) into one 64-bit
 * one's-complement accumulator (each carry out added back at once: an add
 * and an add-with-carry), which is folded to 16 bits and swapped back once
 * on a little-endian host.  A piece shorter than a word is zero-padded at
 * its end, which keeps 16-bit word boundaries as long as every piece but
 * the last has an even length (they all do here).  test_csum checks this
 * against the 16-bit loop, and the transport check against a byte-wise
 * pseudo-header sum. */

/* S + V with the end-around carry: one's-complement addition of 64-bit
 * words (the second add cannot carry again). */
static inline uint64_t
oc_add(uint64_t s, uint64_t v)
{
	s += v;
	return s + (s < v);
}

static inline uint64_t
ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static inline uint32_t
ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CSUM_AVX2 1
/* The bulk with AVX2, when the CPU has it: 32 bytes per load, XOR 0x8000
 * and multiply-add against ones (vpmaddwd), which sums pairs of native
 * 16-bit words as signed numbers u - 32768; the bias, 32768 per word, is
 * added back once at the end.  A lane gains at most 2^16 in magnitude per
 * 32 bytes and the whole (at most 65575 bytes, 32788 words) stays within
 * +-2^30, so the 32-bit lanes and their total cannot overflow.
 * Returns the native-order sum of the first N & ~31 bytes (N >= 32). */
__attribute__((target("avx2")))
static uint64_t
csum_avx2(const uint8_t *p, uint32_t n)
{
	const __m256i bias = _mm256_set1_epi16(-32768), one = _mm256_set1_epi16(1);
	__m256i a = _mm256_setzero_si256();
	int64_t words = (int64_t)(n & ~31u) / 2;
	__m128i x;

#define W32(o) _mm256_madd_epi16(_mm256_xor_si256(bias, \
	_mm256_loadu_si256((const __m256i *)(const void *)(p + (o)))), one)
	/* One accumulator fed by a tree of adds: four would be copied
	 * around by the register allocator. */
	for (; n >= 128; p += 128, n -= 128)
		a = _mm256_add_epi32(a, _mm256_add_epi32(_mm256_add_epi32(W32(0), W32(32)),
		                                         _mm256_add_epi32(W32(64), W32(96))));
	for (; n >= 32; p += 32, n -= 32)
		a = _mm256_add_epi32(a, W32(0));
#undef W32
	x = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
	x = _mm_add_epi32(x, _mm_shuffle_epi32(x, 0x4e));
	x = _mm_add_epi32(x, _mm_shuffle_epi32(x, 0xb1));
	return (uint64_t)((int64_t)_mm_cvtsi128_si32(x) + 32768 * words);
}
#endif

/* S plus the N bytes at P. */
static inline __attribute__((always_inline)) uint64_t
csum_add(uint64_t s, const uint8_t *p, uint32_t n)
{
#ifdef CSUM_AVX2
	if (n >= 64 && __builtin_cpu_supports("avx2")) {
		s = oc_add(s, csum_avx2(p, n));
		p += n & ~31u;
		n &= 31;
		for (; n >= 8; p += 8, n -= 8)
			s = oc_add(s, ld64(p));
		if (n) {
			/* The last 1-7 bytes: load the 8 that end with them
			 * (bytes already summed lie before) and shift those out;
			 * the kept bytes keep their place in the word, an odd
			 * last one as a zero-padded first byte. */
			uint64_t v = ld64(p + n - 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			v >>= 8 * (8 - n);
#else
			v <<= 8 * (8 - n);
#endif
			s = oc_add(s, v);
		}
		return s;
	}
#endif
	for (; n >= 32; p += 32, n -= 32) {
		s = oc_add(s, ld64(p));
		s = oc_add(s, ld64(p + 8));
		s = oc_add(s, ld64(p + 16));
		s = oc_add(s, ld64(p + 24));
	}
	for (; n >= 8; p += 8, n -= 8)
		s = oc_add(s, ld64(p));
	/* The tail: where a 16-bit word sits inside the 64-bit accumulator
	 * does not matter after folding, only that it starts on an even byte. */
	if (n >= 4) {
		s = oc_add(s, ld32(p));
		p += 4;
		n -= 4;
	}
	if (n >= 2) {
		uint16_t w;

		memcpy(&w, p, 2);
		s = oc_add(s, w);
		p += 2;
		n -= 2;
	}
	if (n) {   /* odd last byte: the first byte of a zero-padded word */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		s = oc_add(s, p[0]);
#else
		s = oc_add(s, (uint64_t)p[0] << 8);
#endif
	}
	return s;
}

/* The 16-bit sum of S, in network order. */
static inline uint16_t
csum_fold(uint64_t s)
{
	uint32_t t = (uint32_t)s, hi = (uint32_t)(s >> 32);

	t += hi;
	t += t < hi;
	t = (t & 0xffff) + (t >> 16);
	t = (t & 0xffff) + (t >> 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	t = (t >> 8 | t << 8) & 0xffff;   /* swap back */
#endif
	return (uint16_t)t;
}

/* Does S fold to 0xffff, the sum of data with a correct checksum?  S is
 * congruent to the sum modulo 2^64 - 1, a multiple of 0xffff, and folding
 * gives 0 only for 0 and 0xffff for every other multiple of 0xffff: one
 * multiply instead of folding (and byte order does not matter). */
static inline int
csum_ok(uint64_t s)
{
	return s != 0 && s % 0xffff == 0;
}

uint16_t
pk_inet_sum(const uint8_t *p, uint32_t n)
{
	return csum_fold(csum_add(0, p, n));
}

int
pk_decode_l4_checksum_ok(const struct pk_layers *L)
{
	uint32_t have = L->have, n;
	uint64_t s;

	if (have & PK_HAVE_FRAG)
		return -1;
	if (have & PK_HAVE_IPV4) {
		const uint8_t *h = L->pkt + L->l3_off;

		if (!pk_has(L->caplen, L->l3_off, L->ip_hlen) || L->ip_hlen < 20)
			return -1;
		if (L->ip_hlen == 20)   /* no options: three loads */
			s = oc_add(oc_add(ld64(h), ld64(h + 8)), ld32(h + 16));
		else
			s = csum_add(0, h, L->ip_hlen);
		if (!csum_ok(s))
			return 0;
	}
	if (!(have & (PK_HAVE_TCP | PK_HAVE_UDP | PK_HAVE_ICMP | PK_HAVE_ICMP6)) ||
	    L->status != PK_DEC_OK)
		return -1;
	n = L->l4_len;
	if ((have & PK_HAVE_UDP) && L->udp_len >= 8 && L->udp_len <= n)
		n = L->udp_len;
	if (!pk_has(L->caplen, L->l4_off, n) || n > 0xffff + 40u)
		return -1;
	if ((have & PK_HAVE_UDP) && L->udp_sum == 0 && (have & PK_HAVE_IPV4))
		return 1;   /* no checksum sent (IPv4 only) */
	s = 0;
	if (!(have & PK_HAVE_ICMP)) {
		/* Pseudo-header (RFC 768, RFC 9293 3.1, RFC 8200 8.1): the
		 * addresses, then the 32-bit length and the protocol as one
		 * 8-byte word (n, 0, 0, 0, protocol in network order). */
		if (have & PK_HAVE_IPV4)
			s = (uint64_t)ld32(L->ip_src) + ld32(L->ip_dst);
		else
			s = oc_add(oc_add(ld64(L->ip_src), ld64(L->ip_src + 8)),
			           oc_add(ld64(L->ip_dst), ld64(L->ip_dst + 8)));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		s = oc_add(s, __builtin_bswap32(n) | (uint64_t)L->ip_proto << 56);
#else
		s = oc_add(s, (uint64_t)n << 32 | L->ip_proto);
#endif
	}
	return csum_ok(csum_add(s, L->pkt + L->l4_off, n));
}
