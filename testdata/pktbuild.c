/* pktbuild.c — a tiny packet builder and capture-file writer for test data.
 *
 * Header layouts: Ethernet/802.1Q (IEEE 802.3, 802.1Q), Linux cooked v1/v2
 * (tcpdump.org linktypes LINKTYPE_LINUX_SLL/SLL2), NULL/LOOP, IPv4 (RFC 791),
 * IPv6 (RFC 8200), TCP (RFC 9293, options RFC 7323/2018), UDP (RFC 768),
 * ICMP (RFC 792), ICMPv6 (RFC 4443), ARP (RFC 826), internet checksum
 * (RFC 1071).  pcap: pcap-savefile(5); pcapng: draft-ietf-opsawg-pcapng.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include "pktbuild.h"
#include "pcapkit/writer.h"

enum { L_ETH = 1, L_VLAN, L_SLL, L_SLL2, L_NULL, L_IP4, L_IP6, L_IP6EXT,
       L_TCP, L_UDP, L_ICMP, L_ICMP6, L_ARP, L_DATA };
enum { NK_NONE, NK_ETYPE, NK_AF_LE, NK_AF_BE, NK_PROTO };
enum { F_AUTOLEN = 1, F_BADSUM = 2 };

static void
die(const char *what)
{
	fprintf(stderr, "pktbuild: %s\n", what);
	exit(1);
}

static uint8_t *
grow(struct pb *b, size_t n)
{
	uint8_t *p;

	if (n > PB_MAX - b->len)
		die("packet too large");
	p = b->d + b->len;
	memset(p, 0, n);
	b->len += (uint32_t)n;
	return p;
}

static void
be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void
be32(uint8_t *p, uint32_t v) { be16(p, (uint16_t)(v >> 16)); be16(p + 2, (uint16_t)v); }
static void
le32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24); }
static uint16_t
get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static void
push(struct pb *b, int kind, uint32_t off, uint32_t flags)
{
	if (b->nl == PB_MAXLAYERS)
		die("too many layers");
	b->l[b->nl++] = (struct pb_layer){ kind, off, flags };
}

/* Fill the pending next-protocol field for a layer of KIND. */
static void
link_next(struct pb *b, int kind, uint8_t proto)
{
	uint16_t etype = kind == L_IP4 ? 0x0800 : kind == L_IP6 ? 0x86dd : 0x0806;
	uint32_t af = kind == L_IP6 ? 24 : 2;

	if (!b->next_off && b->next_kind == NK_NONE)
		return;
	switch (b->next_kind) {
	case NK_ETYPE: be16(b->d + b->next_off, etype); break;
	case NK_AF_LE: le32(b->d + b->next_off, af); break;
	case NK_AF_BE: be32(b->d + b->next_off, af); break;
	case NK_PROTO: b->d[b->next_off] = proto; break;
	}
	b->next_kind = NK_NONE;
	b->next_off = 0;
}

static void
parse_mac(uint8_t *p, const char *s)
{
	unsigned v[6];

	if (!s) {
		memset(p, 0, 6);
		return;
	}
	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		die("bad MAC address");
	for (int i = 0; i < 6; i++)
		p[i] = (uint8_t)v[i];
}

void
pb_begin_null(struct pb *b, int linktype, int variant)
{
	uint8_t *p;

	b->len = 0;
	b->nl = 0;
	b->linktype = linktype;
	b->next_kind = NK_NONE;
	b->next_off = 0;
	switch (linktype) {
	case PK_LINK_EN10MB:
		p = grow(b, 14);
		parse_mac(p, "02:00:00:00:00:02");
		parse_mac(p + 6, "02:00:00:00:00:01");
		push(b, L_ETH, 0, 0);
		b->next_kind = NK_ETYPE;
		b->next_off = 12;
		break;
	case PK_LINK_LINUX_SLL:
		/* pkttype(2) arphrd(2) addrlen(2) addr(8) protocol(2) */
		p = grow(b, 16);
		be16(p + 2, 1);
		be16(p + 4, 6);
		parse_mac(p + 6, "02:00:00:00:00:01");
		push(b, L_SLL, 0, 0);
		b->next_kind = NK_ETYPE;
		b->next_off = 14;
		break;
	case PK_LINK_LINUX_SLL2:
		/* protocol(2) reserved(2) ifindex(4) arphrd(2) pkttype(1) addrlen(1) addr(8) */
		p = grow(b, 20);
		be32(p + 4, 1);
		be16(p + 8, 1);
		p[11] = 6;
		parse_mac(p + 12, "02:00:00:00:00:01");
		push(b, L_SLL2, 0, 0);
		b->next_kind = NK_ETYPE;
		b->next_off = 0;
		break;
	case PK_LINK_NULL:
	case PK_LINK_LOOP:
		grow(b, 4);
		push(b, L_NULL, 0, 0);
		b->next_kind = (linktype == PK_LINK_LOOP || variant == PB_NULL_BE) ? NK_AF_BE : NK_AF_LE;
		b->next_off = 0;
		break;
	default:   /* RAW, IPV4, IPV6: no link header */
		break;
	}
}

void
pb_begin(struct pb *b, int linktype)
{
	pb_begin_null(b, linktype, PB_NULL_LE);
}

void
pb_eth_addr(struct pb *b, const char *src, const char *dst)
{
	if (b->linktype != PK_LINK_EN10MB)
		die("pb_eth_addr on a non-Ethernet packet");
	parse_mac(b->d, dst);
	parse_mac(b->d + 6, src);
}

void
pb_sll_pkttype(struct pb *b, uint16_t pkttype)
{
	if (b->linktype == PK_LINK_LINUX_SLL)
		be16(b->d, pkttype);
	else if (b->linktype == PK_LINK_LINUX_SLL2)
		b->d[10] = (uint8_t)pkttype;
}

void
pb_vlan(struct pb *b, uint16_t tpid, uint16_t tci)
{
	uint8_t *p;

	if (b->next_kind != NK_ETYPE)
		die("pb_vlan needs a pending EtherType");
	be16(b->d + b->next_off, tpid);
	p = grow(b, 4);
	be16(p, tci);
	push(b, L_VLAN, (uint32_t)(p - b->d), 0);
	b->next_off = (uint32_t)(p - b->d) + 2;
}

static void
parse_ip(int af, const char *s, uint8_t *out)
{
	if (!s)
		s = af == AF_INET ? "0.0.0.0" : "::";
	if (inet_pton(af, s, out) != 1)
		die("bad IP address");
}

void
pb_ipv4(struct pb *b, const struct pb_ip4 *o)
{
	uint8_t optlen = (uint8_t)((o->optlen + 3) & ~3);
	uint8_t *p;
	uint32_t flags = 0;

	link_next(b, L_IP4, 4);
	p = grow(b, 20u + optlen);
	p[0] = (uint8_t)((o->version ? o->version : 4) << 4 |
	                 (o->ihl ? o->ihl : (20 + optlen) / 4));
	p[1] = o->tos;
	if (o->tot_len)
		be16(p + 2, o->tot_len);
	else
		flags |= F_AUTOLEN;
	be16(p + 4, o->id);
	be16(p + 6, o->frag);
	p[8] = o->ttl ? o->ttl : 64;
	p[9] = o->proto;
	parse_ip(AF_INET, o->src, p + 12);
	parse_ip(AF_INET, o->dst, p + 16);
	if (o->optlen)
		memcpy(p + 20, o->opts, o->optlen);
	if (o->bad_csum)
		flags |= F_BADSUM;
	push(b, L_IP4, (uint32_t)(p - b->d), flags);
	if (!o->proto) {
		b->next_kind = NK_PROTO;
		b->next_off = (uint32_t)(p - b->d) + 9;
	}
}

void
pb_ipv6(struct pb *b, const struct pb_ip6 *o)
{
	uint8_t *p;

	link_next(b, L_IP6, 41);
	p = grow(b, 40);
	be32(p, 6u << 28 | (uint32_t)o->tclass << 20 | (o->flow & 0xfffff));
	if (o->plen)
		be16(p + 4, o->plen);
	p[6] = (uint8_t)o->next;
	p[7] = o->hlim ? o->hlim : 64;
	parse_ip(AF_INET6, o->src, p + 8);
	parse_ip(AF_INET6, o->dst, p + 24);
	push(b, L_IP6, (uint32_t)(p - b->d), o->plen ? 0 : F_AUTOLEN);
	if (!o->next) {
		b->next_kind = NK_PROTO;
		b->next_off = (uint32_t)(p - b->d) + 6;
	}
}

void
pb_ipv6_ext(struct pb *b, uint8_t type, const uint8_t *body, size_t n)
{
	size_t total = (2 + n + 7) & ~(size_t)7;
	uint8_t *p;

	link_next(b, L_IP6EXT, type);
	p = grow(b, total);
	p[1] = (uint8_t)(total / 8 - 1);
	if (n)
		memcpy(p + 2, body, n);
	if (total - 2 - n >= 2) {            /* PadN over the rest */
		p[2 + n] = 1;
		p[3 + n] = (uint8_t)(total - 4 - n);
	} else if (total - 2 - n == 1) {
		p[2 + n] = 0;                    /* Pad1 */
	}
	push(b, L_IP6EXT, (uint32_t)(p - b->d), 0);
	b->next_kind = NK_PROTO;
	b->next_off = (uint32_t)(p - b->d);
}

void
pb_ipv6_frag(struct pb *b, uint16_t offset8, int more, uint32_t id)
{
	uint8_t *p;

	link_next(b, L_IP6EXT, 44);
	p = grow(b, 8);
	be16(p + 2, (uint16_t)(offset8 << 3 | (more ? 1 : 0)));
	be32(p + 4, id);
	push(b, L_IP6EXT, (uint32_t)(p - b->d), 0);
	b->next_kind = NK_PROTO;
	b->next_off = (uint32_t)(p - b->d);
}

void
pb_tcp(struct pb *b, const struct pb_tcp *o)
{
	uint8_t opt[60];
	size_t n = 0, hl;
	uint8_t *p;

	link_next(b, L_TCP, 6);
	if (o->mss) {
		opt[n++] = 2; opt[n++] = 4; be16(opt + n, o->mss); n += 2;
	}
	if (o->sackok) {
		opt[n++] = 4; opt[n++] = 2;
	}
	if (o->ts_set) {
		if (!o->sackok) {      /* Linux aligns a lone timestamp with two NOPs */
			opt[n++] = 1; opt[n++] = 1;
		}
		opt[n++] = 8; opt[n++] = 10;
		be32(opt + n, o->tsval); be32(opt + n + 4, o->tsecr); n += 8;
	}
	if (o->ws_set) {
		opt[n++] = 1; opt[n++] = 3; opt[n++] = 3; opt[n++] = o->ws;
	}
	if (o->nsack) {
		opt[n++] = 1; opt[n++] = 1;
		opt[n++] = 5; opt[n++] = (uint8_t)(2 + 8 * o->nsack);
		for (int i = 0; i < o->nsack && i < 4; i++) {
			be32(opt + n, o->sack[i][0]); be32(opt + n + 4, o->sack[i][1]); n += 8;
		}
	}
	if (o->raw_len) {
		if (n + o->raw_len > 40)
			die("TCP options too long");
		memcpy(opt + n, o->raw_opts, o->raw_len);
		n += o->raw_len;
	}
	if (n > 40)
		die("TCP options too long");
	while (n % 4)
		opt[n++] = 0;      /* EOL padding */
	hl = 20 + n;
	p = grow(b, hl);
	be16(p, o->sport);
	be16(p + 2, o->dport);
	be32(p + 4, o->seq);
	be32(p + 8, o->ack);
	p[12] = (uint8_t)((o->doff ? o->doff : hl / 4) << 4 | ((o->flags >> 8) & 1));
	p[13] = (uint8_t)o->flags;
	be16(p + 14, o->win ? o->win : o->win_zero ? 0 : 65535);
	be16(p + 18, o->urp);
	memcpy(p + 20, opt, n);
	push(b, L_TCP, (uint32_t)(p - b->d), o->bad_csum ? F_BADSUM : 0);
}

void
pb_udp_bad(struct pb *b, uint16_t sport, uint16_t dport, uint16_t len, int bad_csum)
{
	uint8_t *p;

	link_next(b, L_UDP, 17);
	p = grow(b, 8);
	be16(p, sport);
	be16(p + 2, dport);
	be16(p + 4, len);
	push(b, L_UDP, (uint32_t)(p - b->d), (len ? 0 : F_AUTOLEN) | (bad_csum ? F_BADSUM : 0));
}

void
pb_udp(struct pb *b, uint16_t sport, uint16_t dport)
{
	pb_udp_bad(b, sport, dport, 0, 0);
}

static void
icmp_common(struct pb *b, int kind, uint8_t type, uint8_t code, uint32_t rest)
{
	uint8_t *p;

	link_next(b, kind, kind == L_ICMP ? 1 : 58);
	p = grow(b, 8);
	p[0] = type;
	p[1] = code;
	be32(p + 4, rest);
	push(b, kind, (uint32_t)(p - b->d), 0);
}

void pb_icmp(struct pb *b, uint8_t type, uint8_t code, uint32_t rest) { icmp_common(b, L_ICMP, type, code, rest); }
void pb_icmp6(struct pb *b, uint8_t type, uint8_t code, uint32_t rest) { icmp_common(b, L_ICMP6, type, code, rest); }

void
pb_arp(struct pb *b, uint16_t op, const char *sha, const char *spa,
       const char *tha, const char *tpa)
{
	uint8_t *p;

	link_next(b, L_ARP, 0);
	p = grow(b, 28);
	be16(p, 1);
	be16(p + 2, 0x0800);
	p[4] = 6;
	p[5] = 4;
	be16(p + 6, op);
	parse_mac(p + 8, sha);
	parse_ip(AF_INET, spa, p + 14);
	parse_mac(p + 18, tha);
	parse_ip(AF_INET, tpa, p + 24);
	push(b, L_ARP, (uint32_t)(p - b->d), 0);
}

void
pb_payload(struct pb *b, const void *data, size_t n)
{
	memcpy(grow(b, n), data, n);
}

void
pb_fill(struct pb *b, size_t n, uint8_t byte)
{
	memset(grow(b, n), byte, n);
}

static uint32_t
sum_add(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += get16(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t
sum_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Pseudo-header sum for the transport layer at index I (RFC 768/9293/8200 §8.1). */
static uint32_t
pseudo(const struct pb *b, int i, uint8_t proto, uint32_t len)
{
	for (int j = i - 1; j >= 0; j--) {
		const uint8_t *ip = b->d + b->l[j].off;
		uint32_t s = 0;

		if (b->l[j].kind == L_IP4) {
			s = sum_add(s, ip + 12, 8);
		} else if (b->l[j].kind == L_IP6) {
			s = sum_add(s, ip + 8, 32);
		} else {
			continue;
		}
		return s + proto + (len >> 16) + (len & 0xffff);
	}
	return 0;
}

void
pb_finish(struct pb *b)
{
	for (int i = 0; i < b->nl; i++) {
		struct pb_layer *L = &b->l[i];
		uint8_t *p = b->d + L->off;
		uint32_t rest = b->len - L->off;

		if (!(L->flags & F_AUTOLEN))
			continue;
		if (L->kind == L_IP4 || L->kind == L_UDP)
			be16(p + (L->kind == L_IP4 ? 2 : 4), (uint16_t)rest);
		else if (L->kind == L_IP6)
			be16(p + 4, (uint16_t)(rest - 40));
	}
	for (int i = b->nl - 1; i >= 0; i--) {
		struct pb_layer *L = &b->l[i];
		uint8_t *p = b->d + L->off;
		uint32_t rest = b->len - L->off, s;
		uint16_t c;
		int at;

		switch (L->kind) {
		case L_IP4:
			be16(p + 10, 0);
			c = sum_fold(sum_add(0, p, (size_t)(p[0] & 15) * 4 > rest ? rest : (size_t)(p[0] & 15) * 4));
			at = 10;
			break;
		case L_TCP:
			be16(p + 16, 0);
			s = pseudo(b, i, 6, rest);
			c = sum_fold(sum_add(s, p, rest));
			at = 16;
			break;
		case L_UDP:
			be16(p + 6, 0);
			s = pseudo(b, i, 17, rest);
			c = sum_fold(sum_add(s, p, rest));
			if (c == 0)
				c = 0xffff;
			at = 6;
			break;
		case L_ICMP:
			be16(p + 2, 0);
			c = sum_fold(sum_add(0, p, rest));
			at = 2;
			break;
		case L_ICMP6:
			be16(p + 2, 0);
			s = pseudo(b, i, 58, rest);
			c = sum_fold(sum_add(s, p, rest));
			at = 2;
			break;
		default:
			continue;
		}
		if (L->flags & F_BADSUM)
			c = (uint16_t)(c ^ 0x5a5a);
		be16(p + at, c);
	}
}

/* ---- capture files ---- */

enum { O_PCAP, O_PCAP_HAND, O_PCAPNG };

struct pb_out {
	int   kind;
	int   fd;
	FILE *f;
	struct pk_writer *w;
	int   be, nano;
};

static void
out_bytes(struct pb_out *o, const void *p, size_t n)
{
	if (fwrite(p, 1, n, o->f) != n)
		die("write failed");
}

static void
o16(struct pb_out *o, uint16_t v)
{
	uint8_t p[2];

	if (o->be) be16(p, v); else { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
	out_bytes(o, p, 2);
}

static void
o32(struct pb_out *o, uint32_t v)
{
	uint8_t p[4];

	if (o->be) be32(p, v); else le32(p, v);
	out_bytes(o, p, 4);
}

static void
o64(struct pb_out *o, uint64_t v)
{
	if (o->be) { o32(o, (uint32_t)(v >> 32)); o32(o, (uint32_t)v); }
	else       { o32(o, (uint32_t)v); o32(o, (uint32_t)(v >> 32)); }
}

struct pb_out *
pb_out_pcap(const char *path, int linktype, uint32_t snaplen, int nano)
{
	struct pb_out *o = calloc(1, sizeof *o);
	char err[512];

	if (!o)
		die("out of memory");
	o->kind = O_PCAP;
	o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (o->fd < 0)
		die(path);
	o->w = pk_writer_open(o->fd, linktype, snaplen, nano, err);
	if (!o->w)
		die(err);
	o->nano = nano;
	return o;
}

struct pb_out *
pb_out_pcap_in(const char *dir, const char *name, int linktype, uint32_t snaplen, int nano)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return pb_out_pcap(path, linktype, snaplen, nano);
}

struct pb_out *
pb_out_pcap_ex(const char *path, int linktype, uint32_t snaplen, int nano,
               int big_endian, uint16_t vmajor, uint16_t vminor)
{
	struct pb_out *o = calloc(1, sizeof *o);

	if (!o)
		die("out of memory");
	o->kind = O_PCAP_HAND;
	o->be = big_endian;
	o->nano = nano;
	o->f = fopen(path, "wb");
	if (!o->f)
		die(path);
	o32(o, nano ? 0xa1b23c4d : 0xa1b2c3d4);
	o16(o, vmajor);
	o16(o, vminor);
	o32(o, 0);
	o32(o, 0);
	o32(o, snaplen);
	o32(o, (uint32_t)linktype);
	return o;
}

struct pb_out *
pb_out_pcapng(const char *path, int big_endian)
{
	struct pb_out *o = calloc(1, sizeof *o);

	if (!o)
		die("out of memory");
	o->kind = O_PCAPNG;
	o->be = big_endian;
	o->f = fopen(path, "wb");
	if (!o->f)
		die(path);
	return o;
}

void
pb_put_data(struct pb_out *o, int64_t sec, uint32_t nsec, const void *data,
            uint32_t caplen, uint32_t len)
{
	if (o->kind == O_PCAP) {
		struct pk_pkthdr h = { .sec = sec, .nsec = nsec, .caplen = caplen, .len = len };

		if (pk_writer_write(o->w, &h, data) < 0)
			die(pk_writer_error(o->w));
	} else if (o->kind == O_PCAP_HAND) {
		o32(o, (uint32_t)sec);
		o32(o, o->nano ? nsec : nsec / 1000);
		o32(o, caplen);
		o32(o, len);
		out_bytes(o, data, caplen);
	} else {
		die("pb_put on a pcapng output: use pb_ng_epb");
	}
}

void
pb_put_cut(struct pb_out *o, int64_t sec, uint32_t nsec, const struct pb *b, uint32_t caplen)
{
	pb_put_data(o, sec, nsec, b->d, caplen && caplen < b->len ? caplen : b->len, b->len);
}

void
pb_put(struct pb_out *o, int64_t sec, uint32_t nsec, const struct pb *b)
{
	pb_put_cut(o, sec, nsec, b, 0);
}

void
pb_raw(struct pb_out *o, const void *bytes, size_t n)
{
	if (o->kind == O_PCAP) {
		if (pk_writer_flush(o->w) < 0 || write(o->fd, bytes, n) != (ssize_t)n)
			die("write failed");
	} else {
		out_bytes(o, bytes, n);
	}
}

void
pb_close(struct pb_out *o)
{
	if (o->kind == O_PCAP) {
		if (pk_writer_close(o->w) < 0 || close(o->fd) < 0)
			die("close failed");
	} else if (fclose(o->f) != 0) {
		die("close failed");
	}
	free(o);
}

/* Options are appended to OPT as code, length, value, padding (in o's order). */
struct optbuf { uint8_t d[1024]; size_t n; };

static void
opt_add(struct pb_out *o, struct optbuf *ob, uint16_t code, const void *v, size_t len)
{
	size_t pad = (len + 3) & ~(size_t)3;

	if (ob->n + 4 + pad > sizeof ob->d - 4)
		die("options too long");
	if (o->be) { be16(ob->d + ob->n, code); be16(ob->d + ob->n + 2, (uint16_t)len); }
	else {
		ob->d[ob->n] = (uint8_t)code; ob->d[ob->n + 1] = (uint8_t)(code >> 8);
		ob->d[ob->n + 2] = (uint8_t)len; ob->d[ob->n + 3] = (uint8_t)(len >> 8);
	}
	memset(ob->d + ob->n + 4, 0, pad);
	memcpy(ob->d + ob->n + 4, v, len);
	ob->n += 4 + pad;
}

static void
opt_str(struct pb_out *o, struct optbuf *ob, uint16_t code, const char *s)
{
	if (s)
		opt_add(o, ob, code, s, strlen(s));
}

static void
opt_end(struct optbuf *ob)
{
	if (ob->n) {
		memset(ob->d + ob->n, 0, 4);
		ob->n += 4;
	}
}

void
pb_ng_shb(struct pb_out *o, const char *comment, const char *hardware,
          const char *os, const char *application)
{
	struct optbuf ob = { .n = 0 };

	opt_str(o, &ob, 1, comment);
	opt_str(o, &ob, 2, hardware);
	opt_str(o, &ob, 3, os);
	opt_str(o, &ob, 4, application);
	opt_end(&ob);
	o32(o, 0x0a0d0d0a);
	o32(o, (uint32_t)(28 + ob.n));
	o32(o, 0x1a2b3c4d);
	o16(o, 1);
	o16(o, 0);
	o64(o, UINT64_MAX);      /* section length unknown */
	out_bytes(o, ob.d, ob.n);
	o32(o, (uint32_t)(28 + ob.n));
}

void
pb_ng_idb(struct pb_out *o, int linktype, uint32_t snaplen, uint8_t tsresol,
          int64_t tsoffset, const char *name)
{
	struct optbuf ob = { .n = 0 };

	opt_str(o, &ob, 2, name);
	if (tsresol != 6)
		opt_add(o, &ob, 9, &tsresol, 1);
	if (tsoffset) {
		uint8_t v[8];
		uint64_t u = (uint64_t)tsoffset;

		if (o->be) { be32(v, (uint32_t)(u >> 32)); be32(v + 4, (uint32_t)u); }
		else       { le32(v, (uint32_t)u); le32(v + 4, (uint32_t)(u >> 32)); }
		opt_add(o, &ob, 14, v, 8);
	}
	opt_end(&ob);
	o32(o, 1);
	o32(o, (uint32_t)(20 + ob.n));
	o16(o, (uint16_t)linktype);
	o16(o, 0);
	o32(o, snaplen);
	out_bytes(o, ob.d, ob.n);
	o32(o, (uint32_t)(20 + ob.n));
}

uint64_t
pb_ng_ticks(int64_t sec, uint32_t nsec, uint8_t tsresol, int64_t tsoffset)
{
	uint64_t tps = 1, s = (uint64_t)(sec - tsoffset);

	if (tsresol & 0x80)
		tps = (uint64_t)1 << (tsresol & 0x7f);
	else
		for (int i = 0; i < tsresol; i++)
			tps *= 10;
	return s * tps + (uint64_t)((unsigned __int128)nsec * tps / 1000000000u);
}

static void
packet_block(struct pb_out *o, uint32_t type, uint32_t ifid, uint64_t ticks,
             const void *data, uint32_t caplen, uint32_t len, const char *comment)
{
	static const uint8_t zero[4];
	struct optbuf ob = { .n = 0 };
	uint32_t pad = (4 - caplen % 4) % 4, blen;

	opt_str(o, &ob, 1, comment);
	opt_end(&ob);
	blen = 32 + caplen + pad + (uint32_t)ob.n;
	o32(o, type);
	o32(o, blen);
	if (type == 2) {
		o16(o, (uint16_t)ifid);
		o16(o, 0);
	} else {
		o32(o, ifid);
	}
	o32(o, (uint32_t)(ticks >> 32));
	o32(o, (uint32_t)ticks);
	o32(o, caplen);
	o32(o, len);
	out_bytes(o, data, caplen);
	out_bytes(o, zero, pad);
	out_bytes(o, ob.d, ob.n);
	o32(o, blen);
}

void
pb_ng_epb(struct pb_out *o, uint32_t ifid, uint64_t ticks, const void *data,
          uint32_t caplen, uint32_t len, const char *comment)
{
	packet_block(o, 6, ifid, ticks, data, caplen, len, comment);
}

void
pb_ng_pb(struct pb_out *o, uint16_t ifid, uint64_t ticks, const void *data,
         uint32_t caplen, uint32_t len)
{
	packet_block(o, 2, ifid, ticks, data, caplen, len, NULL);
}

void
pb_ng_spb(struct pb_out *o, const void *data, uint32_t caplen, uint32_t len)
{
	static const uint8_t zero[4];
	uint32_t pad = (4 - caplen % 4) % 4, blen = 16 + caplen + pad;

	o32(o, 3);
	o32(o, blen);
	o32(o, len);
	out_bytes(o, data, caplen);
	out_bytes(o, zero, pad);
	o32(o, blen);
}

void
pb_ng_isb(struct pb_out *o, uint32_t ifid, uint64_t ticks, uint64_t ifdrop)
{
	struct optbuf ob = { .n = 0 };
	uint8_t v[8];

	if (o->be) { be32(v, (uint32_t)(ifdrop >> 32)); be32(v + 4, (uint32_t)ifdrop); }
	else       { le32(v, (uint32_t)ifdrop); le32(v + 4, (uint32_t)(ifdrop >> 32)); }
	opt_add(o, &ob, 5, v, 8);
	opt_end(&ob);
	o32(o, 5);
	o32(o, (uint32_t)(24 + ob.n));
	o32(o, ifid);
	o32(o, (uint32_t)(ticks >> 32));
	o32(o, (uint32_t)ticks);
	out_bytes(o, ob.d, ob.n);
	o32(o, (uint32_t)(24 + ob.n));
}

void
pb_ng_block(struct pb_out *o, uint32_t type, const void *body, size_t n)
{
	static const uint8_t zero[4];
	size_t pad = (4 - n % 4) % 4;
	uint32_t blen = (uint32_t)(12 + n + pad);

	o32(o, type);
	o32(o, blen);
	out_bytes(o, body, n);
	out_bytes(o, zero, pad);
	o32(o, blen);
}
