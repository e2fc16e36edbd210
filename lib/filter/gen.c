/* gen.c — classic-BPF code generation for each primitive, in libpcap's order.
 *
 * Each primitive becomes a small graph of blocks (statements + one test),
 * combined by gen_and/gen_or/gen_not with back-patching exactly as libpcap's
 * gencode does, so that the optimizer sees the same graph and removes the
 * same loads (pcap-filter reference §3.4, §8).  Offsets follow the link
 * layer: EN10MB (IEEE 802.3), Linux cooked v1/v2, raw IP, BSD/OpenBSD
 * loopback; vlan/mpls/pppoes move them as they are parsed (§8.1).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fint.h"

#define ETHERMTU 1500
#define ETHERTYPE_IP 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_REVARP 0x8035
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_ATALK 0x809b
#define ETHERTYPE_AARP 0x80f3
#define ETHERTYPE_IPX 0x8137
#define ETHERTYPE_DN 0x6003
#define ETHERTYPE_LAT 0x6004
#define ETHERTYPE_SCA 0x6007
#define ETHERTYPE_MOPDL 0x6001
#define ETHERTYPE_MOPRC 0x6002
#define ETHERTYPE_8021Q 0x8100
#define ETHERTYPE_8021AD 0x88a8
#define ETHERTYPE_8021QINQ 0x9100
#define ETHERTYPE_MPLS 0x8847
#define ETHERTYPE_PPPOED 0x8863
#define ETHERTYPE_PPPOES 0x8864
#define LLCSAP_ISONS 0xfe
#define LLCSAP_IP 0x06
#define LLCSAP_NETBEUI 0xf0
#define LLCSAP_IPX 0xe0
#define LLCSAP_8021D 0x42
#define SLL_P_802_2 4
#define SLL_P_802_3 1
#define SLL_OUTGOING 4
#define PROTO_UNDEF (-1)
#define DLT_PPP_INTERNAL (-9)   /* link type after pppoes */
#define MAX_GEN_BLOCKS 20000    /* bounds the recursion of the later graph walks */



static const char *const pnames[Q_NPROTO] = {
	[Q_DEFAULT] = "", [Q_LINK] = "link", [Q_IP] = "ip", [Q_ARP] = "arp",
	[Q_RARP] = "rarp", [Q_SCTP] = "sctp", [Q_TCP] = "tcp", [Q_UDP] = "udp",
	[Q_ICMP] = "icmp", [Q_IGMP] = "igmp", [Q_IGRP] = "igrp", [Q_ATALK] = "atalk",
	[Q_DECNET] = "decnet", [Q_LAT] = "lat", [Q_SCA] = "sca", [Q_MOPRC] = "moprc",
	[Q_MOPDL] = "mopdl", [Q_IPV6] = "ip6", [Q_ICMPV6] = "icmp6", [Q_AH] = "ah",
	[Q_ESP] = "esp", [Q_PIM] = "pim", [Q_VRRP] = "vrrp", [Q_AARP] = "aarp",
	[Q_ISO] = "iso", [Q_ESIS] = "esis", [Q_ISIS] = "isis", [Q_CLNP] = "clnp",
	[Q_STP] = "stp", [Q_IPX] = "ipx", [Q_NETBEUI] = "netbeui", [Q_ISIS_L1] = "l1",
	[Q_ISIS_L2] = "l2", [Q_ISIS_IIH] = "iih", [Q_ISIS_SNP] = "snp",
	[Q_ISIS_CSNP] = "csnp", [Q_ISIS_PSNP] = "psnp", [Q_ISIS_LSP] = "lsp",
	[Q_RADIO] = "radio", [Q_CARP] = "carp",
};

#define gerr(st, ...) fz_error_at_tok(st, __VA_ARGS__)

/* ---------------------------------------------------------------- basics */

struct slist *fg_stmt(struct fstate *st, int code)
{
	struct slist *p = fz_alloc(st, sizeof *p);
	p->s.code = code;
	return p;
}

struct block *fg_block(struct fstate *st, int code)
{
	if (st->nblocks >= MAX_GEN_BLOCKS)
		gerr(st, "expression too complex (more than %d blocks)", MAX_GEN_BLOCKS);
	struct block *p = fz_alloc(st, sizeof *p);
	p->s.code = code;
	p->head = p;
	p->id = st->nblocks++;
	return p;
}

static struct block *gen_retblk(struct fstate *st, uint32_t v)
{
	struct block *b = fg_block(st, BPF_RET | BPF_K);
	b->s.k = v;
	return b;
}

void fg_sappend(struct slist *s0, struct slist *s1)
{
	while (s0->next)
		s0 = s0->next;
	s0->next = s1;
}

/* A block list threads its pending exits through JT or JF per 'sense'. */
static void backpatch(struct block *list, struct block *target)
{
	while (list) {
		struct block *next;
		if (!list->sense) {
			next = JT(list);
			JT(list) = target;
		} else {
			next = JF(list);
			JF(list) = target;
		}
		list = next;
	}
}

static void merge(struct block *b0, struct block *b1)
{
	struct block **p = &b0;
	while (*p)
		p = !(*p)->sense ? &JT(*p) : &JF(*p);
	*p = b1;
}

struct block *gen_and(struct block *b0, struct block *b1)
{
	backpatch(b0, b1->head);
	b0->sense = !b0->sense;
	b1->sense = !b1->sense;
	merge(b1, b0);
	b1->sense = !b1->sense;
	b1->head = b0->head;
	return b1;
}

struct block *gen_or(struct block *b0, struct block *b1)
{
	b0->sense = !b0->sense;
	backpatch(b0, b1->head);
	b0->sense = !b0->sense;
	merge(b1, b0);
	b1->head = b0->head;
	return b1;
}

void gen_not(struct block *b)
{
	b->sense = !b->sense;
}

void gen_finish(struct fstate *st, struct block *p)
{
	if (!p) {
		st->root = gen_retblk(st, st->snaplen);
		return;
	}
	backpatch(p, gen_retblk(st, st->snaplen));
	p->sense = !p->sense;
	backpatch(p, gen_retblk(st, 0));
	st->root = p->head;
}

static struct block *gen_uncond(struct fstate *st, int rsense)
{
	struct slist *s = fg_stmt(st, BPF_LD | BPF_IMM);
	s->s.k = !rsense;
	struct block *b = fg_block(st, JMP(BPF_JEQ));
	b->stmts = s;
	return b;
}
static struct block *gen_true(struct fstate *st) { return gen_uncond(st, 1); }
static struct block *gen_false(struct fstate *st) { return gen_uncond(st, 0); }

struct slist *fg_loadx_iphdrlen(struct fstate *st)
{
	struct slist *s = fg_stmt(st, BPF_LDX | BPF_MSH | BPF_B);
	s->s.k = st->off_linkpl + st->off_nl;
	return s;
}

static struct slist *gen_load_a(struct fstate *st, int offrel, uint32_t off, int size)
{
	struct slist *s, *s2;
	uint32_t k;
	switch (offrel) {
	case OR_PACKET: k = off; break;
	case OR_LINKHDR: k = st->off_linkhdr + off; break;
	case OR_LLC: k = st->off_linkpl + off; break;
	case OR_PREVMPLSHDR: k = st->off_linkpl + st->off_nl - 4 + off; break;
	case OR_LINKPL: k = st->off_linkpl + st->off_nl + off; break;
	case OR_LINKPL_NOSNAP: k = st->off_linkpl + st->off_nl_nosnap + off; break;
	case OR_LINKTYPE: k = st->off_linktype + off; break;
	case OR_TRAN_IPV4:
		s = fg_loadx_iphdrlen(st);
		s2 = fg_stmt(st, BPF_LD | BPF_IND | size);
		s2->s.k = st->off_linkpl + st->off_nl + off;
		fg_sappend(s, s2);
		return s;
	case OR_TRAN_IPV6: k = st->off_linkpl + st->off_nl + 40 + off; break;
	default: k = off; break;
	}
	s = fg_stmt(st, BPF_LD | BPF_ABS | size);
	s->s.k = k;
	return s;
}

static struct block *gen_ncmp(struct fstate *st, int offrel, uint32_t off, int size,
                              uint32_t mask, int jtype, int reverse, uint32_t v)
{
	struct slist *s = gen_load_a(st, offrel, off, size);
	if (mask != 0xffffffff) {
		struct slist *s2 = fg_stmt(st, BPF_ALU | BPF_AND | BPF_K);
		s2->s.k = mask;
		fg_sappend(s, s2);
	}
	struct block *b = fg_block(st, JMP(jtype));
	b->stmts = s;
	b->s.k = v;
	if (reverse && (jtype == BPF_JGT || jtype == BPF_JGE))
		gen_not(b);
	return b;
}

struct block *fg_cmp(struct fstate *st, int offrel, uint32_t off, int size, uint32_t v)
{ return gen_ncmp(st, offrel, off, size, 0xffffffff, BPF_JEQ, 0, v); }
static struct block *gen_cmp_gt(struct fstate *st, int offrel, uint32_t off, int size, uint32_t v)
{ return gen_ncmp(st, offrel, off, size, 0xffffffff, BPF_JGT, 0, v); }
static struct block *gen_cmp_ge(struct fstate *st, int offrel, uint32_t off, int size, uint32_t v)
{ return gen_ncmp(st, offrel, off, size, 0xffffffff, BPF_JGE, 0, v); }
static struct block *gen_cmp_lt(struct fstate *st, int offrel, uint32_t off, int size, uint32_t v)
{ return gen_ncmp(st, offrel, off, size, 0xffffffff, BPF_JGE, 1, v); }
static struct block *gen_cmp_le(struct fstate *st, int offrel, uint32_t off, int size, uint32_t v)
{ return gen_ncmp(st, offrel, off, size, 0xffffffff, BPF_JGT, 1, v); }
static struct block *gen_mcmp(struct fstate *st, int offrel, uint32_t off, int size,
                              uint32_t v, uint32_t mask)
{ return gen_ncmp(st, offrel, off, size, mask, BPF_JEQ, 0, v); }

static struct block *gen_bcmp(struct fstate *st, int offrel, uint32_t off, uint32_t size,
                              const uint8_t *v)
{
	struct block *b = NULL, *tmp;
	while (size >= 4) {
		const uint8_t *p = &v[size - 4];
		uint32_t w = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		tmp = fg_cmp(st, offrel, off + size - 4, BPF_W, w);
		if (b)
			gen_and(b, tmp);
		b = tmp;
		size -= 4;
	}
	while (size >= 2) {
		const uint8_t *p = &v[size - 2];
		tmp = fg_cmp(st, offrel, off + size - 2, BPF_H, (uint32_t)p[0] << 8 | p[1]);
		if (b)
			gen_and(b, tmp);
		b = tmp;
		size -= 2;
	}
	if (size > 0) {
		tmp = fg_cmp(st, offrel, off, BPF_B, v[0]);
		if (b)
			gen_and(b, tmp);
		b = tmp;
	}
	return b;
}

/* ------------------------------------------------------------ link types */

static int is_ether(const struct fstate *st) { return st->linktype == PK_LINK_EN10MB; }

void gen_init(struct fstate *st, int linktype, uint32_t snaplen, unsigned flags)
{
	st->linktype = st->orig_linktype = linktype;
	st->snaplen = snaplen;
	st->flags = flags;
	st->off_linkhdr = 0;
	st->off_nl = 0;
	st->off_nl_nosnap = 0;
	switch (linktype) {
	case PK_LINK_EN10MB:
		st->off_linktype = 12; st->off_linkpl = 14; st->off_nl_nosnap = 3; break;
	case PK_LINK_LINUX_SLL:
		st->off_linktype = 14; st->off_linkpl = 16; break;
	case PK_LINK_LINUX_SLL2:
		st->off_linktype = 0; st->off_linkpl = 20; break;
	case PK_LINK_NULL:
	case PK_LINK_LOOP:
		st->off_linktype = 0; st->off_linkpl = 4; break;
	case PK_LINK_RAW: case PK_LINK_RAW_OLD12: case PK_LINK_RAW_OLD14:
	case PK_LINK_IPV4: case PK_LINK_IPV6:
		st->linktype_none = 1; st->off_linktype = (uint32_t)-1; st->off_linkpl = 0; break;
	default:
		fz_error(st, -1, 0, "unknown data link type %d", linktype);
	}
}

static struct block *gen_snap(struct fstate *st, uint32_t orgcode, uint32_t ptype)
{
	uint8_t snap[8] = { 0xaa, 0xaa, 0x03, (uint8_t)(orgcode >> 16), (uint8_t)(orgcode >> 8),
		(uint8_t)orgcode, (uint8_t)(ptype >> 8), (uint8_t)ptype };
	return gen_bcmp(st, OR_LLC, 0, 8, snap);
}

static struct block *gen_ether_linktype(struct fstate *st, uint32_t p)
{
	struct block *b0, *b1;
	switch (p) {
	case LLCSAP_ISONS: case LLCSAP_IP: case LLCSAP_NETBEUI:
		b0 = gen_cmp_gt(st, OR_LINKTYPE, 0, BPF_H, ETHERMTU);
		gen_not(b0);
		b1 = fg_cmp(st, OR_LLC, 0, BPF_H, (p << 8) | p);
		return gen_and(b0, b1);
	case LLCSAP_IPX:
		b0 = fg_cmp(st, OR_LLC, 0, BPF_B, LLCSAP_IPX);
		b1 = fg_cmp(st, OR_LLC, 0, BPF_H, 0xFFFF);
		gen_or(b0, b1);
		b0 = gen_snap(st, 0x000000, ETHERTYPE_IPX);
		gen_or(b0, b1);
		b0 = gen_cmp_gt(st, OR_LINKTYPE, 0, BPF_H, ETHERMTU);
		gen_not(b0);
		gen_and(b0, b1);
		b0 = fg_cmp(st, OR_LINKTYPE, 0, BPF_H, ETHERTYPE_IPX);
		return gen_or(b0, b1);
	case ETHERTYPE_ATALK: case ETHERTYPE_AARP:
		b0 = gen_cmp_gt(st, OR_LINKTYPE, 0, BPF_H, ETHERMTU);
		gen_not(b0);
		if (p == ETHERTYPE_ATALK)
			b1 = gen_snap(st, 0x080007, ETHERTYPE_ATALK);
		else
			b1 = gen_snap(st, 0x000000, ETHERTYPE_AARP);
		gen_and(b0, b1);
		b0 = fg_cmp(st, OR_LINKTYPE, 0, BPF_H, p);
		return gen_or(b0, b1);
	default:
		if (p <= ETHERMTU) {
			b0 = gen_cmp_gt(st, OR_LINKTYPE, 0, BPF_H, ETHERMTU);
			gen_not(b0);
			b1 = fg_cmp(st, OR_LINKTYPE, 2, BPF_B, p);
			return gen_and(b0, b1);
		}
		return fg_cmp(st, OR_LINKTYPE, 0, BPF_H, p);
	}
}

static struct block *gen_sll_linktype(struct fstate *st, uint32_t p)
{
	struct block *b0, *b1;
	switch (p) {
	case LLCSAP_ISONS: case LLCSAP_IP: case LLCSAP_NETBEUI:
		b0 = fg_cmp(st, OR_LINKTYPE, 0, BPF_H, SLL_P_802_2);
		b1 = fg_cmp(st, OR_LLC, 0, BPF_H, (p << 8) | p);
		return gen_and(b0, b1);
	case LLCSAP_IPX:
		b0 = fg_cmp(st, OR_LLC, 0, BPF_B, LLCSAP_IPX);
		b1 = gen_snap(st, 0x000000, ETHERTYPE_IPX);
		gen_or(b0, b1);
		b0 = fg_cmp(st, OR_LINKTYPE, 0, BPF_H, SLL_P_802_2);
		gen_and(b0, b1);
		b0 = fg_cmp(st, OR_LINKTYPE, 0, BPF_H, SLL_P_802_3);
		gen_or(b0, b1);
		b0 = fg_cmp(st, OR_LINKTYPE, 0, BPF_H, ETHERTYPE_IPX);
		return gen_or(b0, b1);
	case ETHERTYPE_ATALK: case ETHERTYPE_AARP:
		b0 = fg_cmp(st, OR_LINKTYPE, 0, BPF_H, SLL_P_802_2);
		if (p == ETHERTYPE_ATALK)
			b1 = gen_snap(st, 0x080007, ETHERTYPE_ATALK);
		else
			b1 = gen_snap(st, 0x000000, ETHERTYPE_AARP);
		gen_and(b0, b1);
		b0 = fg_cmp(st, OR_LINKTYPE, 0, BPF_H, p);
		return gen_or(b0, b1);
	default:
		if (p <= ETHERMTU) {
			b0 = fg_cmp(st, OR_LINKTYPE, 0, BPF_H, SLL_P_802_2);
			b1 = fg_cmp(st, OR_LINKHDR, st->off_linkpl, BPF_B, p);
			return gen_and(b0, b1);
		}
		return fg_cmp(st, OR_LINKTYPE, 0, BPF_H, p);
	}
}

static struct block *gen_loopback_linktype(struct fstate *st, uint32_t p)
{
	uint32_t v;
	if (p == ETHERTYPE_IP)
		v = 2;
	else if (p == ETHERTYPE_IPV6) {
		struct block *b0 = gen_loopback_linktype(st, 0x10000 + 24);
		struct block *b1 = gen_loopback_linktype(st, 0x10000 + 28);
		gen_or(b0, b1);
		b0 = gen_loopback_linktype(st, 0x10000 + 30);
		return gen_or(b0, b1);
	} else if (p >= 0x10000)
		v = p - 0x10000;
	else
		return gen_false(st);
	if (st->linktype == PK_LINK_NULL && !(st->flags & PK_FILTER_NULL_BE))
		v = (v & 0xff) << 24 | (v & 0xff00) << 8 | (v >> 8 & 0xff00) | v >> 24;
	return fg_cmp(st, OR_LINKHDR, 0, BPF_W, v);
}

static uint32_t ether_to_ppp(uint32_t p)
{
	switch (p) {
	case ETHERTYPE_IP: return 0x0021;
	case ETHERTYPE_IPV6: return 0x0057;
	case ETHERTYPE_DN: return 0x0027;
	case ETHERTYPE_ATALK: return 0x0029;
	case 0x0600: return 0x0025;       /* XNS */
	case ETHERTYPE_IPX: return 0x002b;
	case LLCSAP_ISONS: return 0x0023;
	case LLCSAP_8021D: return 0x0031;
	case ETHERTYPE_MPLS: return 0x0281;
	default: return p;
	}
}

static struct block *gen_mpls_linktype(struct fstate *st, uint32_t p)
{
	struct block *b0, *b1;
	if (p == ETHERTYPE_IP || p == ETHERTYPE_IPV6) {
		b0 = gen_mcmp(st, OR_LINKPL, (uint32_t)-2, BPF_B, 0x01, 0x01);
		b1 = gen_mcmp(st, OR_LINKPL, 0, BPF_B, p == ETHERTYPE_IP ? 0x40 : 0x60, 0xf0);
		return gen_and(b0, b1);
	}
	gerr(st, "unsupported protocol over mpls");
}

static struct block *gen_linktype(struct fstate *st, uint32_t p)
{
	if (st->label_stack_depth > 0)
		return gen_mpls_linktype(st, p);
	if (st->linktype == DLT_PPP_INTERNAL)
		return fg_cmp(st, OR_LINKTYPE, 0, BPF_H, ether_to_ppp(p));
	switch (st->linktype) {
	case PK_LINK_EN10MB:
		return gen_ether_linktype(st, p);
	case PK_LINK_LINUX_SLL:
		return gen_sll_linktype(st, p);
	case PK_LINK_LINUX_SLL2:
		/* libpcap 1.10 has no 802.2 special cases for SLL2: a plain type test */
		return fg_cmp(st, OR_LINKTYPE, 0, BPF_H, p);
	case PK_LINK_NULL: case PK_LINK_LOOP:
		return gen_loopback_linktype(st, p);
	case PK_LINK_IPV4:
		return p == ETHERTYPE_IP ? gen_true(st) : gen_false(st);
	case PK_LINK_IPV6:
		return p == ETHERTYPE_IPV6 ? gen_true(st) : gen_false(st);
	default:  /* raw IP */
		if (p == ETHERTYPE_IP)
			return gen_mcmp(st, OR_LINKHDR, 0, BPF_B, 0x40, 0xF0);
		if (p == ETHERTYPE_IPV6)
			return gen_mcmp(st, OR_LINKHDR, 0, BPF_B, 0x60, 0xF0);
		return gen_false(st);
	}
}

const char *name_linktype_desc(int lt)
{
	switch (lt) {
	case PK_LINK_EN10MB: return "Ethernet";
	case PK_LINK_LINUX_SLL: return "Linux cooked v1";
	case PK_LINK_LINUX_SLL2: return "Linux cooked v2";
	case PK_LINK_RAW: case PK_LINK_RAW_OLD12: case PK_LINK_RAW_OLD14: return "Raw IP";
	case PK_LINK_NULL: return "BSD loopback";
	case PK_LINK_LOOP: return "OpenBSD loopback";
	case PK_LINK_IPV4: return "Raw IPv4";
	case PK_LINK_IPV6: return "Raw IPv6";
	case DLT_PPP_INTERNAL: return "PPP";
	default: return "unknown";
	}
}

/* ------------------------------------------------------------ hosts */

static struct block *gen_hostop(struct fstate *st, uint32_t addr, uint32_t mask, int dir,
                                uint32_t proto, uint32_t src_off, uint32_t dst_off)
{
	struct block *b0, *b1;
	uint32_t off;
	switch (dir) {
	case QD_SRC: off = src_off; break;
	case QD_DST: off = dst_off; break;
	case QD_AND:
		b0 = gen_hostop(st, addr, mask, QD_SRC, proto, src_off, dst_off);
		b1 = gen_hostop(st, addr, mask, QD_DST, proto, src_off, dst_off);
		return gen_and(b0, b1);
	case QD_DEFAULT: case QD_OR:
		b0 = gen_hostop(st, addr, mask, QD_SRC, proto, src_off, dst_off);
		b1 = gen_hostop(st, addr, mask, QD_DST, proto, src_off, dst_off);
		return gen_or(b0, b1);
	default:
		gerr(st, "'addr1', 'addr2', 'addr3', 'addr4', 'ra' and 'ta' are only supported on 802.11 with 802.11 headers");
	}
	b0 = gen_linktype(st, proto);
	b1 = gen_mcmp(st, OR_LINKPL, off, BPF_W, addr, mask);
	return gen_and(b0, b1);
}

static struct block *gen_hostop6(struct fstate *st, const uint8_t *addr, const uint8_t *mask,
                                 int dir, uint32_t src_off, uint32_t dst_off)
{
	struct block *b0, *b1;
	uint32_t off;
	switch (dir) {
	case QD_SRC: off = src_off; break;
	case QD_DST: off = dst_off; break;
	case QD_AND:
		b0 = gen_hostop6(st, addr, mask, QD_SRC, src_off, dst_off);
		b1 = gen_hostop6(st, addr, mask, QD_DST, src_off, dst_off);
		return gen_and(b0, b1);
	case QD_DEFAULT: case QD_OR:
		b0 = gen_hostop6(st, addr, mask, QD_SRC, src_off, dst_off);
		b1 = gen_hostop6(st, addr, mask, QD_DST, src_off, dst_off);
		return gen_or(b0, b1);
	default:
		gerr(st, "'addr1', 'addr2', 'addr3', 'addr4', 'ra' and 'ta' are only supported on 802.11 with 802.11 headers");
	}
	uint32_t a[4], m[4];
	for (int i = 0; i < 4; i++) {
		a[i] = (uint32_t)addr[4 * i] << 24 | (uint32_t)addr[4 * i + 1] << 16 |
		       (uint32_t)addr[4 * i + 2] << 8 | addr[4 * i + 3];
		m[i] = (uint32_t)mask[4 * i] << 24 | (uint32_t)mask[4 * i + 1] << 16 |
		       (uint32_t)mask[4 * i + 2] << 8 | mask[4 * i + 3];
	}
	b1 = gen_mcmp(st, OR_LINKPL, off + 12, BPF_W, a[3], m[3]);
	b0 = gen_mcmp(st, OR_LINKPL, off + 8, BPF_W, a[2], m[2]);
	gen_and(b0, b1);
	b0 = gen_mcmp(st, OR_LINKPL, off + 4, BPF_W, a[1], m[1]);
	gen_and(b0, b1);
	b0 = gen_mcmp(st, OR_LINKPL, off + 0, BPF_W, a[0], m[0]);
	gen_and(b0, b1);
	b0 = gen_linktype(st, ETHERTYPE_IPV6);
	return gen_and(b0, b1);
}

static struct block *gen_host(struct fstate *st, uint32_t addr, uint32_t mask, int proto,
                              int dir, int type)
{
	struct block *b0, *b1;
	const char *typestr = type == QA_NET ? "net" : "host";
	switch (proto) {
	case Q_DEFAULT:
		b0 = gen_host(st, addr, mask, Q_IP, dir, type);
		if (st->label_stack_depth == 0) {
			b1 = gen_host(st, addr, mask, Q_ARP, dir, type);
			gen_or(b0, b1);
			b0 = gen_host(st, addr, mask, Q_RARP, dir, type);
			gen_or(b1, b0);
		}
		return b0;
	case Q_LINK:
		gerr(st, "link-layer modifier applied to %s", typestr);
	case Q_IP:
		return gen_hostop(st, addr, mask, dir, ETHERTYPE_IP, 12, 16);
	case Q_RARP:
		return gen_hostop(st, addr, mask, dir, ETHERTYPE_REVARP, 14, 24);
	case Q_ARP:
		return gen_hostop(st, addr, mask, dir, ETHERTYPE_ARP, 14, 24);
	case Q_ATALK:
		gerr(st, "ATALK host filtering not implemented");
	case Q_AARP:
		gerr(st, "AARP host filtering not implemented");
	case Q_DECNET:
		gerr(st, "DECnet host filtering not implemented");
	case Q_ISO:
		gerr(st, "ISO host filtering not implemented");
	case Q_IPV6:
		gerr(st, "'ip6' modifier applied to ip %s", typestr);
	default:
		gerr(st, "'%s' modifier applied to %s", pnames[proto], typestr);
	}
}

static struct block *gen_host6(struct fstate *st, const uint8_t *addr, const uint8_t *mask,
                               int proto, int dir, int type)
{
	const char *typestr = type == QA_NET ? "net" : "host";
	switch (proto) {
	case Q_DEFAULT: case Q_IPV6:
		return gen_hostop6(st, addr, mask, dir, 8, 24);
	case Q_LINK:
		gerr(st, "link-layer modifier applied to ip6 %s", typestr);
	default:
		gerr(st, "'%s' modifier applied to ip6 %s", pnames[proto], typestr);
	}
}

static struct block *gen_ehostop(struct fstate *st, const uint8_t *ea, int dir)
{
	struct block *b0, *b1;
	switch (dir) {
	case QD_SRC: return gen_bcmp(st, OR_LINKHDR, 6, 6, ea);
	case QD_DST: return gen_bcmp(st, OR_LINKHDR, 0, 6, ea);
	case QD_AND:
		b0 = gen_ehostop(st, ea, QD_SRC);
		b1 = gen_ehostop(st, ea, QD_DST);
		return gen_and(b0, b1);
	case QD_DEFAULT: case QD_OR:
		b0 = gen_ehostop(st, ea, QD_SRC);
		b1 = gen_ehostop(st, ea, QD_DST);
		return gen_or(b0, b1);
	default:
		gerr(st, "'addr1', 'addr2', 'addr3', 'addr4', 'ra' and 'ta' are only supported on 802.11 with 802.11 headers");
	}
}

static int atoin(const char *s, uint32_t *addr)
{
	int len = 0;
	*addr = 0;
	for (;;) {
		uint32_t n = 0;
		while (*s && *s != '.') {
			if (n > 25)
				return -1;
			n = n * 10 + (uint32_t)(*s++ - '0');
		}
		if (n > 255)
			return -1;
		*addr = *addr << 8 | (n & 0xff);
		len += 8;
		if (!*s)
			return len;
		s++;
	}
}

/* ------------------------------------------------------------ protocols */

static struct block *gen_proto(struct fstate *st, uint32_t v, int proto, int dir);

struct block *fg_ipfrag(struct fstate *st)
{
	struct slist *s = gen_load_a(st, OR_LINKPL, 6, BPF_H);
	struct block *b = fg_block(st, JMP(BPF_JSET));
	b->s.k = 0x1fff;
	b->stmts = s;
	gen_not(b);
	return b;
}

struct block *fg_proto_abbrev(struct fstate *st, int proto)
{
	switch (proto) {
	case Q_SCTP: return gen_proto(st, 132, Q_DEFAULT, QD_DEFAULT);
	case Q_TCP: return gen_proto(st, 6, Q_DEFAULT, QD_DEFAULT);
	case Q_UDP: return gen_proto(st, 17, Q_DEFAULT, QD_DEFAULT);
	case Q_ICMP: return gen_proto(st, 1, Q_IP, QD_DEFAULT);
	case Q_IGMP: return gen_proto(st, 2, Q_IP, QD_DEFAULT);
	case Q_IGRP: return gen_proto(st, 9, Q_IP, QD_DEFAULT);
	case Q_PIM: return gen_proto(st, 103, Q_DEFAULT, QD_DEFAULT);
	case Q_VRRP: return gen_proto(st, 112, Q_IP, QD_DEFAULT);
	case Q_CARP: return gen_proto(st, 112, Q_IP, QD_DEFAULT);
	case Q_IP: return gen_linktype(st, ETHERTYPE_IP);
	case Q_ARP: return gen_linktype(st, ETHERTYPE_ARP);
	case Q_RARP: return gen_linktype(st, ETHERTYPE_REVARP);
	case Q_LINK: gerr(st, "link layer applied in wrong context");
	case Q_ATALK: return gen_linktype(st, ETHERTYPE_ATALK);
	case Q_AARP: return gen_linktype(st, ETHERTYPE_AARP);
	case Q_DECNET: return gen_linktype(st, ETHERTYPE_DN);
	case Q_SCA: return gen_linktype(st, ETHERTYPE_SCA);
	case Q_LAT: return gen_linktype(st, ETHERTYPE_LAT);
	case Q_MOPDL: return gen_linktype(st, ETHERTYPE_MOPDL);
	case Q_MOPRC: return gen_linktype(st, ETHERTYPE_MOPRC);
	case Q_IPV6: return gen_linktype(st, ETHERTYPE_IPV6);
	case Q_ICMPV6: return gen_proto(st, 58, Q_IPV6, QD_DEFAULT);
	case Q_AH: return gen_proto(st, 51, Q_DEFAULT, QD_DEFAULT);
	case Q_ESP: return gen_proto(st, 50, Q_DEFAULT, QD_DEFAULT);
	case Q_ISO: return gen_linktype(st, LLCSAP_ISONS);
	case Q_ESIS: return gen_proto(st, 0x82, Q_ISO, QD_DEFAULT);
	case Q_ISIS: return gen_proto(st, 0x83, Q_ISO, QD_DEFAULT);
	case Q_CLNP: return gen_proto(st, 0x81, Q_ISO, QD_DEFAULT);
	case Q_STP: return gen_linktype(st, LLCSAP_8021D);
	case Q_IPX: return gen_linktype(st, LLCSAP_IPX);
	case Q_NETBEUI: return gen_linktype(st, LLCSAP_NETBEUI);
	case Q_RADIO: gerr(st, "'radio' is not a valid protocol type");
	default: {
		/* IS-IS PDU types */
		static const struct { int q; uint8_t t[4]; int n; } isis[] = {
			{Q_ISIS_L1, {15, 17, 18, 24}, 5}, {Q_ISIS_L2, {16, 17, 20, 25}, 5},
			{Q_ISIS_IIH, {15, 16, 17, 0}, 3}, {Q_ISIS_LSP, {18, 20, 0, 0}, 2},
			{Q_ISIS_SNP, {24, 25, 26, 27}, 4}, {Q_ISIS_CSNP, {24, 25, 0, 0}, 2},
			{Q_ISIS_PSNP, {26, 27, 0, 0}, 2},
		};
		for (size_t i = 0; i < sizeof isis / sizeof isis[0]; i++)
			if (isis[i].q == proto) {
				struct block *b1 = NULL;
				int n = isis[i].n > 4 ? 4 : isis[i].n;
				uint8_t extra = proto == Q_ISIS_L1 ? 26 : 27;
				for (int j = 0; j < n; j++) {
					struct block *b0 = gen_proto(st, isis[i].t[j], Q_ISIS, QD_DEFAULT);
					b1 = b1 ? gen_or(b0, b1) : b0;
				}
				if (isis[i].n == 5)
					b1 = gen_or(gen_proto(st, extra, Q_ISIS, QD_DEFAULT), b1);
				return b1;
			}
		gerr(st, "unsupported protocol");
	}
	}
}

struct block *gen_proto_abbrev(struct fstate *st, int proto)
{
	return fg_proto_abbrev(st, proto);
}

static struct block *gen_proto(struct fstate *st, uint32_t v, int proto, int dir)
{
	struct block *b0, *b1, *b2;
	if (dir != QD_DEFAULT)
		gerr(st, "direction applied to 'proto'");
	switch (proto) {
	case Q_DEFAULT:
		b0 = gen_proto(st, v, Q_IP, dir);
		b1 = gen_proto(st, v, Q_IPV6, dir);
		return gen_or(b0, b1);
	case Q_LINK:
		return gen_linktype(st, v);
	case Q_IP:
		b0 = gen_linktype(st, ETHERTYPE_IP);
		b1 = fg_cmp(st, OR_LINKPL, 9, BPF_B, v);
		return gen_and(b0, b1);
	case Q_ARP:
		gerr(st, "arp does not encapsulate another protocol");
	case Q_RARP:
		gerr(st, "rarp does not encapsulate another protocol");
	case Q_IPV6:
		b0 = gen_linktype(st, ETHERTYPE_IPV6);
		b2 = fg_cmp(st, OR_LINKPL, 6, BPF_B, 44);
		b1 = fg_cmp(st, OR_LINKPL, 40, BPF_B, v);
		gen_and(b2, b1);
		b2 = fg_cmp(st, OR_LINKPL, 6, BPF_B, v);
		gen_or(b2, b1);
		return gen_and(b0, b1);
	case Q_ISO:
		b0 = gen_linktype(st, LLCSAP_ISONS);
		b1 = fg_cmp(st, OR_LINKPL_NOSNAP, 0, BPF_B, v);
		return gen_and(b0, b1);
	case Q_ISIS:
		b0 = gen_proto(st, 0x83, Q_ISO, QD_DEFAULT);
		b1 = fg_cmp(st, OR_LINKPL_NOSNAP, 4, BPF_B, v);
		return gen_and(b0, b1);
	default:
		gerr(st, "'%s proto' is bogus", pnames[proto]);
	}
}

/* ------------------------------------------------------------ ports */

static struct block *gen_portatom(struct fstate *st, uint32_t off, uint32_t v)
{ return fg_cmp(st, OR_TRAN_IPV4, off, BPF_H, v); }
static struct block *gen_portatom6(struct fstate *st, uint32_t off, uint32_t v)
{ return fg_cmp(st, OR_TRAN_IPV6, off, BPF_H, v); }

static struct block *port_dir(struct fstate *st, int v6, uint32_t port, int dir)
{
	struct block *b1, *tmp;
	struct block *(*atom)(struct fstate *, uint32_t, uint32_t) = v6 ? gen_portatom6 : gen_portatom;
	switch (dir) {
	case QD_SRC: return atom(st, 0, port);
	case QD_DST: return atom(st, 2, port);
	case QD_AND:
		tmp = atom(st, 0, port);
		b1 = atom(st, 2, port);
		return gen_and(tmp, b1);
	case QD_DEFAULT: case QD_OR:
		tmp = atom(st, 0, port);
		b1 = atom(st, 2, port);
		return gen_or(tmp, b1);
	case QD_ADDR1: case QD_ADDR2: case QD_ADDR3: case QD_ADDR4:
		gerr(st, "'addr%d' and 'address%d' are not valid qualifiers for ports",
		     dir - QD_ADDR1 + 1, dir - QD_ADDR1 + 1);
	case QD_RA: gerr(st, "'ra' is not a valid qualifier for ports");
	default: gerr(st, "'ta' is not a valid qualifier for ports");
	}
}

static struct block *gen_portop(struct fstate *st, uint32_t port, uint32_t proto, int dir)
{
	struct block *tmp = fg_cmp(st, OR_LINKPL, 9, BPF_B, proto);
	struct block *b0 = fg_ipfrag(st);
	gen_and(tmp, b0);
	struct block *b1 = port_dir(st, 0, port, dir);
	return gen_and(b0, b1);
}

static struct block *gen_portop6(struct fstate *st, uint32_t port, uint32_t proto, int dir)
{
	struct block *b0 = fg_cmp(st, OR_LINKPL, 6, BPF_B, proto);
	struct block *b1 = port_dir(st, 1, port, dir);
	return gen_and(b0, b1);
}

static struct block *gen_port_any(struct fstate *st, int v6, uint32_t port, int ipproto, int dir)
{
	struct block *(*op)(struct fstate *, uint32_t, uint32_t, int) = v6 ? gen_portop6 : gen_portop;
	struct block *b0 = gen_linktype(st, v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IP), *b1, *tmp;
	if (ipproto == PROTO_UNDEF) {
		tmp = op(st, port, 6, dir);
		b1 = op(st, port, 17, dir);
		gen_or(tmp, b1);
		tmp = op(st, port, 132, dir);
		gen_or(tmp, b1);
	} else
		b1 = op(st, port, (uint32_t)ipproto, dir);
	return gen_and(b0, b1);
}

static struct block *gen_portrangeatom(struct fstate *st, int v6, uint32_t off, uint32_t v1, uint32_t v2)
{
	if (v1 > v2) {
		uint32_t t = v1; v1 = v2; v2 = t;
	}
	int rel = v6 ? OR_TRAN_IPV6 : OR_TRAN_IPV4;
	struct block *b1 = gen_cmp_ge(st, rel, off, BPF_H, v1);
	struct block *b2 = gen_cmp_le(st, rel, off, BPF_H, v2);
	return gen_and(b1, b2);
}

static struct block *portrange_dir(struct fstate *st, int v6, uint32_t p1, uint32_t p2, int dir)
{
	struct block *b1, *tmp;
	switch (dir) {
	case QD_SRC: return gen_portrangeatom(st, v6, 0, p1, p2);
	case QD_DST: return gen_portrangeatom(st, v6, 2, p1, p2);
	case QD_AND:
		tmp = gen_portrangeatom(st, v6, 0, p1, p2);
		b1 = gen_portrangeatom(st, v6, 2, p1, p2);
		return gen_and(tmp, b1);
	case QD_DEFAULT: case QD_OR:
		tmp = gen_portrangeatom(st, v6, 0, p1, p2);
		b1 = gen_portrangeatom(st, v6, 2, p1, p2);
		return gen_or(tmp, b1);
	default:
		gerr(st, "'%s' is not a valid qualifier for port ranges",
		     dir == QD_RA ? "ra" : dir == QD_TA ? "ta" : "addr");
	}
}

static struct block *gen_portrangeop(struct fstate *st, int v6, uint32_t p1, uint32_t p2,
                                     uint32_t proto, int dir)
{
	struct block *b0, *b1;
	if (v6) {
		b0 = fg_cmp(st, OR_LINKPL, 6, BPF_B, proto);
	} else {
		struct block *tmp = fg_cmp(st, OR_LINKPL, 9, BPF_B, proto);
		b0 = fg_ipfrag(st);
		gen_and(tmp, b0);
	}
	b1 = portrange_dir(st, v6, p1, p2, dir);
	return gen_and(b0, b1);
}

static struct block *gen_portrange_any(struct fstate *st, int v6, uint32_t p1, uint32_t p2,
                                       int ipproto, int dir)
{
	struct block *b0 = gen_linktype(st, v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IP), *b1, *tmp;
	if (ipproto == PROTO_UNDEF) {
		tmp = gen_portrangeop(st, v6, p1, p2, 6, dir);
		b1 = gen_portrangeop(st, v6, p1, p2, 17, dir);
		gen_or(tmp, b1);
		tmp = gen_portrangeop(st, v6, p1, p2, 132, dir);
		gen_or(tmp, b1);
	} else
		b1 = gen_portrangeop(st, v6, p1, p2, (uint32_t)ipproto, dir);
	return gen_and(b0, b1);
}

static struct block *gen_ports(struct fstate *st, uint32_t port, int ipproto, int dir)
{
	struct block *b = gen_port_any(st, 0, port, ipproto, dir);
	return gen_or(gen_port_any(st, 1, port, ipproto, dir), b);
}

static struct block *gen_portranges(struct fstate *st, uint32_t p1, uint32_t p2, int ipproto, int dir)
{
	struct block *b = gen_portrange_any(st, 0, p1, p2, ipproto, dir);
	return gen_or(gen_portrange_any(st, 1, p1, p2, ipproto, dir), b);
}

/* ------------------------------------------------------------ protochain */

int fg_alloc_reg(struct fstate *st)
{
	for (int n = BPF_MEMWORDS; --n >= 0;) {
		if (st->regused[st->curreg])
			st->curreg = (st->curreg + 1) % BPF_MEMWORDS;
		else {
			st->regused[st->curreg] = 1;
			return st->curreg;
		}
	}
	gerr(st, "too many registers needed to evaluate expression");
}

void fg_free_reg(struct fstate *st, int n) { st->regused[n] = 0; }

/*
 * Walk the IPv6 extension header chain (or IPv4's AH) looking for V.  The
 * loop uses a backward BPF_JA, so the optimizer is turned off for the whole
 * filter as libpcap does (reference §5.7).
 */
static struct block *gen_protochain(struct fstate *st, uint32_t v, int proto)
{
	struct block *b0, *b;
	struct slist *s[100];
	int fix2, fix3 = 0, fix4, fix5, ahcheck, again, end, i = 0, max;
	int reg2 = fg_alloc_reg(st);
	uint32_t base = st->off_linkpl + st->off_nl;

	switch (proto) {
	case Q_IP: case Q_IPV6: break;
	case Q_DEFAULT:
		b0 = gen_protochain(st, v, Q_IP);
		b = gen_protochain(st, v, Q_IPV6);
		fg_free_reg(st, reg2);
		return gen_or(b0, b);
	default:
		gerr(st, "bad protocol applied for 'protochain'");
	}
	st->no_optimize = 1;
	memset(s, 0, sizeof s);
	s[i++] = fg_stmt(st, 0);
	if (proto == Q_IP) {
		b0 = gen_linktype(st, ETHERTYPE_IP);
		s[i] = fg_stmt(st, BPF_LD | BPF_ABS | BPF_B); s[i++]->s.k = base + 9;
		s[i] = fg_stmt(st, BPF_LDX | BPF_MSH | BPF_B); s[i++]->s.k = base;
	} else {
		b0 = gen_linktype(st, ETHERTYPE_IPV6);
		s[i] = fg_stmt(st, BPF_LD | BPF_ABS | BPF_B); s[i++]->s.k = base + 6;
		s[i] = fg_stmt(st, BPF_LDX | BPF_IMM); s[i++]->s.k = 40;
	}
	again = i;
	s[i] = fg_stmt(st, JMP(BPF_JEQ)); s[i]->s.k = v; fix5 = i; i++;
	s[i] = fg_stmt(st, JMP(BPF_JEQ)); s[i]->s.k = 59; s[fix5]->s.jf = s[i]; fix2 = i; i++;
	if (proto == Q_IPV6) {
		int v6start = i, v6end, v6advance;
		static const uint32_t ext[] = { 0, 60, 43, 44 };
		for (int j = 0; j < 4; j++) {
			s[i] = fg_stmt(st, JMP(BPF_JEQ));
			s[i]->s.k = ext[j];
			if (j == 0)
				s[fix2]->s.jf = s[i];
			else
				s[i - 1]->s.jf = s[i];
			i++;
		}
		fix3 = i - 1;
		v6end = i - 1;
		v6advance = i;
		s[i] = fg_stmt(st, BPF_LD | BPF_IND | BPF_B); s[i++]->s.k = base;
		s[i] = fg_stmt(st, BPF_ST); s[i++]->s.k = (uint32_t)reg2;
		s[i] = fg_stmt(st, BPF_LD | BPF_IND | BPF_B); s[i++]->s.k = base + 1;
		s[i] = fg_stmt(st, BPF_ALU | BPF_ADD | BPF_K); s[i++]->s.k = 1;
		s[i] = fg_stmt(st, BPF_ALU | BPF_MUL | BPF_K); s[i++]->s.k = 8;
		s[i] = fg_stmt(st, BPF_ALU | BPF_ADD | BPF_X); s[i++]->s.k = 0;
		s[i++] = fg_stmt(st, BPF_MISC | BPF_TAX);
		s[i] = fg_stmt(st, BPF_LD | BPF_MEM); s[i++]->s.k = (uint32_t)reg2;
		s[i] = fg_stmt(st, BPF_JMP | BPF_JA); s[i]->s.k = (uint32_t)(again - i - 1);
		s[i - 1]->s.jf = s[i];
		i++;
		for (int j = v6start; j <= v6end; j++)
			s[j]->s.jt = s[v6advance];
	} else {
		s[i] = fg_stmt(st, BPF_ALU | BPF_ADD | BPF_K); s[i]->s.k = 0;
		s[fix2]->s.jf = s[i];
		i++;
	}
	ahcheck = i;
	s[i] = fg_stmt(st, JMP(BPF_JEQ)); s[i]->s.k = 51;
	if (fix3)
		s[fix3]->s.jf = s[ahcheck];
	fix4 = i;
	i++;
	s[i] = fg_stmt(st, BPF_MISC | BPF_TXA); s[i - 1]->s.jt = s[i]; i++;
	s[i] = fg_stmt(st, BPF_LD | BPF_IND | BPF_B); s[i++]->s.k = base;
	s[i] = fg_stmt(st, BPF_ST); s[i++]->s.k = (uint32_t)reg2;
	s[i] = fg_stmt(st, BPF_MISC | BPF_TXA); s[i - 1]->s.jt = s[i]; i++;
	s[i] = fg_stmt(st, BPF_ALU | BPF_ADD | BPF_K); s[i++]->s.k = 1;
	s[i++] = fg_stmt(st, BPF_MISC | BPF_TAX);
	s[i] = fg_stmt(st, BPF_LD | BPF_IND | BPF_B); s[i++]->s.k = base;
	s[i] = fg_stmt(st, BPF_ALU | BPF_ADD | BPF_K); s[i++]->s.k = 2;
	s[i] = fg_stmt(st, BPF_ALU | BPF_MUL | BPF_K); s[i++]->s.k = 4;
	s[i++] = fg_stmt(st, BPF_MISC | BPF_TAX);
	s[i] = fg_stmt(st, BPF_LD | BPF_MEM); s[i++]->s.k = (uint32_t)reg2;
	s[i] = fg_stmt(st, BPF_JMP | BPF_JA); s[i]->s.k = (uint32_t)(again - i - 1); i++;
	end = i;
	s[i] = fg_stmt(st, BPF_ALU | BPF_ADD | BPF_K); s[i]->s.k = 0;
	s[fix2]->s.jt = s[end];
	s[fix4]->s.jf = s[end];
	s[fix5]->s.jt = s[end];
	i++;
	max = i;
	for (i = 0; i < max - 1; i++)
		s[i]->next = s[i + 1];
	s[max - 1]->next = NULL;
	b = fg_block(st, JMP(BPF_JEQ));
	b->stmts = s[1];
	b->s.k = v;
	fg_free_reg(st, reg2);
	return gen_and(b0, b);
}

/* ------------------------------------------------------------ codes */

struct block *gen_ncode(struct fstate *st, const char *s, uint32_t v, struct qual q)
{
	int proto = q.proto, dir = q.dir, vlen;
	if (s == NULL)
		vlen = 32;
	else {
		vlen = atoin(s, &v);
		if (vlen < 0)
			gerr(st, "invalid IPv4 address '%s'", s);
	}
	switch (q.addr) {
	case QA_DEFAULT: case QA_HOST: case QA_NET:
		if (proto == Q_DECNET)
			gerr(st, "DECnet host filtering not implemented");
		if (proto == Q_LINK)
			gerr(st, "illegal link layer address");
		{
			uint32_t mask = 0xffffffff;
			if (s == NULL && q.addr == QA_NET) {
				while (v && (v & 0xff000000) == 0) {
					v <<= 8;
					mask <<= 8;
				}
			} else if (vlen < 32) {
				v <<= 32 - vlen;
				mask <<= 32 - vlen;
			}
			return gen_host(st, v, mask, proto, dir, q.addr);
		}
	case QA_PORT: {
		int ip;
		if (proto == Q_UDP) ip = 17;
		else if (proto == Q_TCP) ip = 6;
		else if (proto == Q_SCTP) ip = 132;
		else if (proto == Q_DEFAULT) ip = PROTO_UNDEF;
		else gerr(st, "illegal qualifier of 'port'");
		if (v > 65535)
			gerr(st, "illegal port number %u > 65535", v);
		return gen_ports(st, v, ip, dir);
	}
	case QA_PORTRANGE: {
		int ip;
		if (proto == Q_UDP) ip = 17;
		else if (proto == Q_TCP) ip = 6;
		else if (proto == Q_SCTP) ip = 132;
		else if (proto == Q_DEFAULT) ip = PROTO_UNDEF;
		else gerr(st, "illegal qualifier of 'portrange'");
		if (v > 65535)
			gerr(st, "illegal port number %u > 65535", v);
		return gen_portranges(st, v, v, ip, dir);
	}
	case QA_GATEWAY:
		gerr(st, "'gateway' requires a name");
	case QA_PROTO:
		return gen_proto(st, v, proto, dir);
	case QA_PROTOCHAIN:
		if (dir != QD_DEFAULT)
			gerr(st, "direction applied to 'protochain'");
		return gen_protochain(st, v, proto);
	default:
		gerr(st, "syntax error in filter expression");
	}
}

static int port_proto_check(struct fstate *st, int proto, int real, const char *what, const char *name)
{
	if (proto == Q_UDP) {
		if (real == 6)
			gerr(st, "%s '%s' is tcp", what, name);
		return 17;
	}
	if (proto == Q_TCP) {
		if (real == 17)
			gerr(st, "%s '%s' is udp", what, name);
		return 6;
	}
	if (proto == Q_SCTP) {
		if (real == 6)
			gerr(st, "%s '%s' is tcp", what, name);
		if (real == 17)
			gerr(st, "%s '%s' is udp", what, name);
		return 132;
	}
	return real;
}

static int lookup_proto(struct fstate *st, const char *name, int proto)
{
	int v;
	switch (proto) {
	case Q_DEFAULT: case Q_IP: case Q_IPV6:
		v = name_proto(name);
		if (v < 0)
			gerr(st, "unknown ip proto '%s'", name);
		return v;
	case Q_LINK:
		v = name_eproto(name);
		if (v < 0) {
			v = name_llc(name);
			if (v < 0)
				gerr(st, "unknown ether proto '%s'", name);
		}
		return v;
	case Q_ISO:
		if (!strcmp(name, "clnp")) return 0x81;
		if (!strcmp(name, "esis")) return 0x82;
		if (!strcmp(name, "isis")) return 0x83;
		gerr(st, "unknown osi proto '%s'", name);
	default:
		return -1;
	}
}

struct block *gen_scode(struct fstate *st, const char *name, struct qual q)
{
	int proto = q.proto, dir = q.dir;
	switch (q.addr) {
	case QA_NET:
		gerr(st, "unknown network '%s'", name);
	case QA_DEFAULT: case QA_HOST:
		if (proto == Q_LINK) {
			if (!is_ether(st))
				gerr(st, "only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name");
			gerr(st, "unknown ether host '%s'", name);
		}
		if (proto == Q_DECNET)
			gerr(st, "unknown decnet host name '%s'", name);
		gerr(st, "unknown host '%s'", name);
	case QA_PORT: {
		int port, real;
		if (proto != Q_DEFAULT && proto != Q_UDP && proto != Q_TCP && proto != Q_SCTP)
			gerr(st, "illegal qualifier of 'port'");
		if (!name_port(name, &port, &real))
			gerr(st, "unknown port '%s'", name);
		real = port_proto_check(st, proto, real, "port", name);
		if (port > 65535)
			gerr(st, "illegal port number %d > 65535", port);
		return gen_ports(st, (uint32_t)port, real, dir);
	}
	case QA_PORTRANGE: {
		int p1, p2, real;
		if (proto != Q_DEFAULT && proto != Q_UDP && proto != Q_TCP && proto != Q_SCTP)
			gerr(st, "illegal qualifier of 'portrange'");
		/* "%d-%d" like sscanf, else NAME-NAME */
		char *end1, *end2;
		const char *dash;
		long a = strtol(name, &end1, 10), b = 0;
		if (end1 != name && *end1 == '-')
			b = strtol(end1 + 1, &end2, 10);
		if (end1 != name && *end1 == '-' && end2 != end1 + 1) {
			p1 = (int)a;
			p2 = (int)b;
			real = PROTO_UNDEF;
		} else if ((dash = strchr(name, '-')) != NULL) {
			char *n1 = fz_strdup(st, name, (size_t)(dash - name));
			int r1, r2;
			if (!name_port(n1, &p1, &r1) || !name_port(dash + 1, &p2, &r2))
				gerr(st, "unknown port in range '%s'", name);
			real = r1 == r2 ? r1 : PROTO_UNDEF;
		} else
			gerr(st, "unknown port in range '%s'", name);
		real = port_proto_check(st, proto, real, "port in range", name);
		if (p1 < 0 || p2 < 0)
			gerr(st, "illegal port number %d < 0", p1 < 0 ? p1 : p2);
		if (p1 > 65535)
			gerr(st, "illegal port number %d > 65535", p1);
		if (p2 > 65535)
			gerr(st, "illegal port number %d > 65535", p2);
		return gen_portranges(st, (uint32_t)p1, (uint32_t)p2, real, dir);
	}
	case QA_GATEWAY:
		gerr(st, "'gateway' not supported in this configuration");
	case QA_PROTO: {
		int v = lookup_proto(st, name, proto);
		if (v < 0)
			gerr(st, "unknown protocol: %s", name);
		return gen_proto(st, (uint32_t)v, proto, dir);
	}
	case QA_PROTOCHAIN: {
		int v = lookup_proto(st, name, proto);
		if (v < 0)
			gerr(st, "unknown protocol: %s", name);
		if (dir != QD_DEFAULT)
			gerr(st, "direction applied to 'protochain'");
		return gen_protochain(st, (uint32_t)v, proto);
	}
	default:
		gerr(st, "syntax error in filter expression");
	}
}

struct block *gen_mcode(struct fstate *st, const char *s1, const char *s2, uint32_t masklen,
                        struct qual q)
{
	uint32_t n, m;
	int nlen = atoin(s1, &n), mlen;
	if (nlen < 0)
		gerr(st, "invalid IPv4 address '%s'", s1);
	n = nlen == 0 ? 0 : n << (32 - nlen);
	if (s2) {
		mlen = atoin(s2, &m);
		if (mlen < 0)
			gerr(st, "invalid IPv4 address '%s'", s2);
		m = mlen == 0 ? 0 : m << (32 - mlen);
		if (n & ~m)
			gerr(st, "non-network bits set in \"%s mask %s\"", s1, s2);
	} else {
		if (masklen > 32)
			gerr(st, "mask length must be <= 32");
		m = masklen == 0 ? 0 : 0xffffffffu << (32 - masklen);
		if (n & ~m)
			gerr(st, "non-network bits set in \"%s/%u\"", s1, masklen);
	}
	if (q.addr != QA_NET)
		gerr(st, "Mask syntax for networks only");
	return gen_host(st, n, m, q.proto, q.dir, q.addr);
}

struct block *gen_mcode6(struct fstate *st, const char *s, uint32_t masklen, struct qual q)
{
	uint8_t addr[16], mask[16];
	if (inet_pton(AF_INET6, s, addr) != 1)
		gerr(st, "invalid ip6 address %s", s);
	if (masklen > 128)
		gerr(st, "mask length must be <= 128");
	memset(mask, 0, sizeof mask);
	memset(mask, 0xff, masklen / 8);
	if (masklen % 8)
		mask[masklen / 8] = (uint8_t)(0xff << (8 - masklen % 8));
	switch (q.addr) {
	case QA_DEFAULT: case QA_HOST:
		if (masklen != 128)
			gerr(st, "Mask syntax for networks only");
		/* fall through */
	case QA_NET:
		return gen_host6(st, addr, mask, q.proto, q.dir, q.addr);
	default:
		gerr(st, "invalid qualifier against IPv6 address");
	}
}

struct block *gen_ecode(struct fstate *st, const uint8_t *ea, struct qual q)
{
	if ((q.addr == QA_HOST || q.addr == QA_DEFAULT) && q.proto == Q_LINK) {
		if (!is_ether(st))
			gerr(st, "ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel");
		return gen_ehostop(st, ea, q.dir);
	}
	gerr(st, "ethernet address used in non-ether expression");
}

/* ------------------------------------------------------------ others */

struct block *gen_less(struct fstate *st, uint32_t n)
{
	struct slist *s = fg_stmt(st, BPF_LD | BPF_LEN);
	struct block *b = fg_block(st, JMP(BPF_JGT));
	b->stmts = s;
	b->s.k = n;
	gen_not(b);
	return b;
}

struct block *gen_greater(struct fstate *st, uint32_t n)
{
	struct slist *s = fg_stmt(st, BPF_LD | BPF_LEN);
	struct block *b = fg_block(st, JMP(BPF_JGE));
	b->stmts = s;
	b->s.k = n;
	return b;
}

struct block *gen_byteop(struct fstate *st, int op, uint32_t idx, uint32_t val)
{
	struct block *b;
	struct slist *s;
	switch (op) {
	case '=': return fg_cmp(st, OR_LINKHDR, idx, BPF_B, val);
	case '<': return gen_cmp_lt(st, OR_LINKHDR, idx, BPF_B, val);
	case '>': return gen_cmp_gt(st, OR_LINKHDR, idx, BPF_B, val);
	case '|': s = fg_stmt(st, BPF_ALU | BPF_OR | BPF_K); break;
	default: s = fg_stmt(st, BPF_ALU | BPF_AND | BPF_K); break;
	}
	s->s.k = val;
	b = fg_block(st, JMP(BPF_JEQ));
	/* libpcap applies the operation to whatever A holds: no load. */
	b->stmts = s;
	gen_not(b);
	return b;
}

struct block *gen_broadcast(struct fstate *st, int proto)
{
	static const uint8_t ebroadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct block *b0, *b1, *b2;
	switch (proto) {
	case Q_DEFAULT: case Q_LINK:
		if (is_ether(st) && st->linktype != DLT_PPP_INTERNAL)
			return gen_ehostop(st, ebroadcast, QD_DST);
		gerr(st, "not a broadcast link");
	case Q_IP:
		/* tcpdump -r passes netmask 0: host mask is all ones */
		b0 = gen_linktype(st, ETHERTYPE_IP);
		b1 = gen_mcmp(st, OR_LINKPL, 16, BPF_W, 0, 0xffffffff);
		b2 = gen_mcmp(st, OR_LINKPL, 16, BPF_W, 0xffffffff, 0xffffffff);
		gen_or(b1, b2);
		return gen_and(b0, b2);
	default:
		gerr(st, "only link-layer/IP broadcast filters supported");
	}
}

struct block *gen_multicast(struct fstate *st, int proto)
{
	struct block *b0, *b1;
	switch (proto) {
	case Q_DEFAULT: case Q_LINK:
		if (is_ether(st) && st->linktype != DLT_PPP_INTERNAL) {
			struct slist *s = gen_load_a(st, OR_LINKHDR, 0, BPF_B);
			b0 = fg_block(st, JMP(BPF_JSET));
			b0->s.k = 1;
			b0->stmts = s;
			return b0;
		}
		break;
	case Q_IP:
		b0 = gen_linktype(st, ETHERTYPE_IP);
		b1 = gen_cmp_ge(st, OR_LINKPL, 16, BPF_B, 224);
		return gen_and(b0, b1);
	case Q_IPV6:
		b0 = gen_linktype(st, ETHERTYPE_IPV6);
		b1 = fg_cmp(st, OR_LINKPL, 24, BPF_B, 255);
		return gen_and(b0, b1);
	}
	gerr(st, "link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel");
}

struct block *gen_inbound(struct fstate *st, int dir)
{
	struct block *b0;
	switch (st->linktype) {
	case PK_LINK_LINUX_SLL:
		b0 = fg_cmp(st, OR_LINKHDR, 0, BPF_H, SLL_OUTGOING);
		break;
	case PK_LINK_LINUX_SLL2:
		b0 = fg_cmp(st, OR_LINKHDR, 10, BPF_B, SLL_OUTGOING);
		break;
	default:
		gerr(st, "inbound/outbound not supported on %s when reading savefiles",
		     name_linktype_desc(st->linktype));
	}
	if (!dir)
		gen_not(b0);
	return b0;
}

struct block *gen_vlan(struct fstate *st, uint32_t num, int has)
{
	struct block *b0, *b1;
	if (st->label_stack_depth > 0)
		gerr(st, "no VLAN match after MPLS");
	if (!is_ether(st) || st->linktype == DLT_PPP_INTERNAL)
		gerr(st, "no VLAN support for %s", name_linktype_desc(st->linktype));
	b0 = gen_linktype(st, ETHERTYPE_8021Q);
	b1 = gen_linktype(st, ETHERTYPE_8021AD);
	gen_or(b0, b1);
	b0 = b1;
	b1 = gen_linktype(st, ETHERTYPE_8021QINQ);
	gen_or(b0, b1);
	b0 = b1;
	if (has) {
		if (num > 0x0fff)
			gerr(st, "VLAN tag %u greater than maximum %u", num, 0x0fff);
		b1 = gen_mcmp(st, OR_LINKPL, 0, BPF_H, num, 0x0fff);
		gen_and(b0, b1);
		b0 = b1;
	}
	st->off_linkpl += 4;
	st->off_linktype += 4;
	st->vlan_stack_depth++;
	return b0;
}

struct block *gen_mpls(struct fstate *st, uint32_t num, int has)
{
	struct block *b0, *b1;
	if (st->label_stack_depth > 0)
		b0 = gen_mcmp(st, OR_PREVMPLSHDR, 2, BPF_B, 0, 0x01);
	else if (st->linktype == DLT_PPP_INTERNAL)
		b0 = gen_linktype(st, ETHERTYPE_MPLS);
	else if (is_ether(st))
		b0 = gen_linktype(st, ETHERTYPE_MPLS);
	else
		gerr(st, "no MPLS support for %s", name_linktype_desc(st->linktype));
	if (has) {
		if (num > 0xFFFFF)
			gerr(st, "MPLS label %u greater than maximum %u", num, 0xFFFFF);
		b1 = gen_mcmp(st, OR_LINKPL, 0, BPF_W, num << 12, 0xfffff000);
		gen_and(b0, b1);
		b0 = b1;
	}
	st->off_nl_nosnap += 4;
	st->off_nl += 4;
	st->label_stack_depth++;
	return b0;
}

struct block *gen_pppoed(struct fstate *st)
{
	return gen_linktype(st, ETHERTYPE_PPPOED);
}

struct block *gen_pppoes(struct fstate *st, uint32_t num, int has)
{
	struct block *b0 = gen_linktype(st, ETHERTYPE_PPPOES), *b1;
	if (has) {
		if (num > 0xffff)
			gerr(st, "PPPoE session number %u greater than maximum %u", num, 0xffff);
		b1 = gen_mcmp(st, OR_LINKPL, 0, BPF_W, num, 0x0000ffff);
		gen_and(b0, b1);
		b0 = b1;
	}
	st->linktype = DLT_PPP_INTERNAL;
	st->off_linkhdr = st->off_linkpl + st->off_nl + 6;
	st->off_linktype = st->off_linkhdr;
	st->off_linkpl = st->off_linkhdr + 2;
	st->off_nl = 0;
	st->off_nl_nosnap = 0;
	st->linktype_none = 0;
	return b0;
}

/* llc i / s / u / <subtype>: KIND is 'i', 's', 'u', or 'S'/'U' with SUB. */
struct block *gen_llc_sub(struct fstate *st, int kind, uint32_t sub)
{
	struct block *b0 = gen_llc(st), *b1;
	if (kind == 'i') {
		struct slist *s = gen_load_a(st, OR_LLC, 2, BPF_B);
		b1 = fg_block(st, JMP(BPF_JSET));
		b1->s.k = 0x01;
		b1->stmts = s;
		gen_not(b1);
	} else if (kind == 's')
		b1 = gen_mcmp(st, OR_LLC, 2, BPF_B, 0x01, 0x03);
	else if (kind == 'u')
		b1 = gen_mcmp(st, OR_LLC, 2, BPF_B, 0x03, 0x03);
	else if (kind == 'S')
		b1 = gen_mcmp(st, OR_LLC, 2, BPF_B, sub, 0x0f);
	else
		b1 = gen_mcmp(st, OR_LLC, 2, BPF_B, sub, 0xef);
	return gen_and(b0, b1);
}

struct block *gen_llc(struct fstate *st)
{
	if (st->linktype == PK_LINK_EN10MB) {
		struct block *b0 = gen_cmp_gt(st, OR_LINKTYPE, 0, BPF_H, ETHERMTU);
		gen_not(b0);
		struct block *b1 = fg_cmp(st, OR_LLC, 0, BPF_H, 0xFFFF);
		gen_not(b1);
		return gen_and(b0, b1);
	}
	gerr(st, "'llc' not supported for %s", name_linktype_desc(st->linktype));
}
