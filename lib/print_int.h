/* print_int.h — shared internals of the text printer (print*.c only).
 *
 * Each protocol printer takes the packet context and an offset into the
 * packet; it reads only through the HAS()/U8()/U16()/U32() accessors, which
 * bound every read by P->end (the current snap end, which the IP printer
 * lowers to the end of the IP datagram as tcpdump does).  Text is appended
 * to a growable buffer owned by the printer.
 */
#ifndef PK_PRINT_INT_H
#define PK_PRINT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pcapkit/print.h"
#include "decode_bytes.h"

struct obuf {
	char  *b;
	size_t n, cap;
	int    oom;
};

struct tcp_seq_ent {
	uint8_t  used, v6;
	uint16_t sport, dport;
	uint8_t  src[16], dst[16];
	uint32_t seq, ack;
};

struct rx_call {
	uint32_t callnum, client, server, opcode;
	uint16_t dport, svc;
};

struct pk_printer {
	struct pk_print_opts o;
	int    fd;
	int    failed;
	char   err[256];
	struct obuf ob;
	/* Cached local-time text of one second ("HH:MM:SS" / date). */
	int64_t  cache_sec;
	int      cache_ok;
	char     cache_hms[16];
	char     cache_date[16];
	/* -ttt / -ttttt reference. */
	int      have_ref;
	int64_t  ref_sec;
	uint32_t ref_nsec;
	/* Relative TCP sequence numbers: open-addressed table. */
	struct tcp_seq_ent *tseq;
	size_t   tseq_cap, tseq_n;
	/* AFS RX calls awaiting their replies. */
	struct rx_call rx_cache[64];
	unsigned rx_next, rx_hint;
};

struct pctx {
	struct pk_printer *pr;
	const struct pk_print_opts *o;
	struct obuf *ob;
	const uint8_t *pkt;
	uint32_t end;        /* bytes readable (current snap end) */
	uint32_t caplen, len;
	const char *proto;   /* name used in " [|proto]" */
	int suppress_default;   /* -x/-X given: no hex dump for unknown payloads */
	int longjmp;         /* tcpdump would have longjmp'd out: hex dump from byte 0 */
};

/* ---- output ---- */
int ob_grow(struct obuf *ob, size_t need);

static inline void
put(struct pctx *P, const char *s, size_t n)
{
	struct obuf *ob = P->ob;

	if (n > ob->cap - ob->n && ob_grow(ob, n) < 0)
		return;
	memcpy(ob->b + ob->n, s, n);
	ob->n += n;
}

static inline void
puts_(struct pctx *P, const char *s)
{
	put(P, s, strlen(s));
}

static inline void
putc_(struct pctx *P, char c)
{
	struct obuf *ob = P->ob;

	if (ob->n == ob->cap && ob_grow(ob, 1) < 0)
		return;
	ob->b[ob->n++] = c;
}

void putu(struct pctx *P, uint64_t v);
void puti(struct pctx *P, int64_t v);
void putu_w(struct pctx *P, uint64_t v, int width, char pad);   /* right-aligned */
void putx(struct pctx *P, uint64_t v);                 /* %x */
void putx_w(struct pctx *P, uint64_t v, int width);    /* %0*x */
void putX_w(struct pctx *P, uint64_t v, int width);    /* %0*X */
void put_ip4(struct pctx *P, const uint8_t *a);
void put_ip6(struct pctx *P, const uint8_t *a);
void put_mac(struct pctx *P, const uint8_t *a, unsigned n);
/* "src[.sport] > dst[.dport]" of the IPv4 or IPv6 header at IPOFF; a port
 * below 0 is left out. */
void put_hosts(struct pctx *P, uint32_t ipoff, int32_t sport, int32_t dport);
void putf(struct pctx *P, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void put_trunc(struct pctx *P);                        /* " [|proto]" */
void put_invalid(struct pctx *P);
/* One's-complement sum (RFC 1071) of N bytes at OFF plus the IPv4/IPv6
 * pseudo-header of the IP header at IPOFF; 0 when correct. */
uint16_t l4_cksum(struct pctx *P, uint32_t ipoff, uint32_t off, uint32_t n, uint8_t proto);
uint16_t cksum_shouldbe(uint16_t sum, uint16_t computed);                      /* " (invalid)" */
/* N bytes as text, unprintables escaped as tcpdump's fn_print_char does
 * ("M-" for the high bit, "^" for controls).  Returns 0, -1 when the bytes
 * run past the snap end. */
int put_ascii_n(struct pctx *P, uint32_t off, uint32_t n);
void hex_ascii_dump(struct pctx *P, const char *ident, uint32_t off, uint32_t n, uint32_t oset);
void hex_dump(struct pctx *P, const char *ident, uint32_t off, uint32_t n, uint32_t oset);
void default_print(struct pctx *P, uint32_t off, uint32_t n);

/* ---- bounded reads ---- */
static inline int
HAS(const struct pctx *P, uint32_t off, uint32_t n)
{
	return pk_has(P->end, off, n);
}

static inline uint8_t U8(const struct pctx *P, uint32_t off) { return P->pkt[off]; }
static inline uint16_t U16(const struct pctx *P, uint32_t off) { return pk_be16(P->pkt + off); }
static inline uint32_t U24(const struct pctx *P, uint32_t off) { return pk_be24(P->pkt + off); }
static inline uint32_t U32(const struct pctx *P, uint32_t off) { return pk_be32(P->pkt + off); }

static inline uint32_t
avail(const struct pctx *P, uint32_t off)
{
	return off < P->end ? P->end - off : 0;
}

/* A token table: value -> name. */
struct tok {
	uint32_t v;
	const char *s;
};
extern const struct tok ethertypes[];
const char *tok2str_(const struct tok *t, uint32_t v);   /* NULL when absent */
void put_tok(struct pctx *P, const struct tok *t, const char *fmt_unknown, uint32_t v);
/* bittok2str: names of set bits joined by SEP, or NONE when no bit is set. */
void put_bittok(struct pctx *P, const struct tok *t, const char *none, uint32_t v, const char *sep);

/* ---- protocol printers ---- */
void print_ether_type(struct pctx *P, uint16_t type, uint32_t off, uint32_t length, int *handled);
int  ethertype_print(struct pctx *P, uint16_t type, uint32_t off, uint32_t length);
void ip_print(struct pctx *P, uint32_t off, uint32_t length);
void ip6_print(struct pctx *P, uint32_t off, uint32_t length);
void arp_print(struct pctx *P, uint32_t off, uint32_t length);
void tcp_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t ipoff, int fragmented);
void udp_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t ipoff, int fragmented);
void icmp_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t ipoff, int fragmented);
void icmp6_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t ipoff);
void sctp_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t ipoff);
void domain_print(struct pctx *P, uint32_t off, uint32_t length, int over_tcp, int mdns);
void ip_demux_print(struct pctx *P, uint32_t off, uint32_t length, int ver, int fragmented,
                    uint8_t ttl, uint8_t nh, uint32_t ipoff);
void igmp_print(struct pctx *P, uint32_t off, uint32_t length);
void print_app_tcp(struct pctx *P, uint32_t off, uint32_t length, uint16_t sport, uint16_t dport);
int  print_app_udp(struct pctx *P, uint32_t off, uint32_t length, uint16_t sport, uint16_t dport,
                   uint32_t ipoff);
void txtproto_print(struct pctx *P, uint32_t off, uint32_t length, const char *proto,
                    const char *const *cmds, int resp);
void rx_print(struct pctx *P, uint32_t bp, uint32_t length, uint16_t sport, uint16_t dport,
              uint32_t ipoff);
int  print_misc_udp(struct pctx *P, uint32_t off, uint32_t length, uint16_t sport, uint16_t dport);
int  print_misc_udp2(struct pctx *P, uint32_t off, uint32_t length, uint16_t sport, uint16_t dport);
void pppoe_print(struct pctx *P, uint32_t off, uint32_t length);
void ppp_print(struct pctx *P, uint32_t off, uint32_t length);
void mpls_print(struct pctx *P, uint32_t off, uint32_t length);
void llc_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t caplen_hint, int *handled);
void gre_print(struct pctx *P, uint32_t off, uint32_t length);
void vrrp_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t ipoff, uint8_t ttl);
void ah_demux_print(struct pctx *P, uint32_t off, uint32_t length, int ver, int fragmented,
                    uint8_t ttl, uint32_t ipoff);
void llc_print_mac(struct pctx *P, uint32_t off, uint32_t length, uint32_t caplen, uint32_t src,
                   uint32_t dst, int *handled);
void stp_print(struct pctx *P, uint32_t off, uint32_t length);
void ipx_print(struct pctx *P, uint32_t off, uint32_t length);
int  ethertype_print_llc(struct pctx *P, uint16_t type, uint32_t off, uint32_t length);
void esp_print(struct pctx *P, uint32_t off, uint32_t length);
void pim_print(struct pctx *P, uint32_t off, uint32_t length);
int  ether_print_inner(struct pctx *P, uint32_t off, uint32_t length);

#endif
