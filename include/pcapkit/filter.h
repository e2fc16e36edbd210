/* filter.h — the tcpdump filter language compiled to classic BPF and run.
 *
 * pk_filter_compile() turns an expression (pcap-filter(7) syntax, libpcap
 * 1.10 semantics) into a validated classic-BPF program for one link type;
 * pk_filter_run() applies it to one packet and says whether it is kept.
 * Errors are values: struct pk_filter_err holds a message and the column
 * (0-based byte offset into the expression) of the offending token.
 */
#ifndef PCAPKIT_FILTER_H
#define PCAPKIT_FILTER_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

struct pk_filter;

struct pk_filter_err {
	char msg[256];
	int  column;        /* byte offset into the expression, -1 when none */
	int  length;        /* length of the offending token (>= 1 when column >= 0) */
};

/* Compile flags. */
enum {
	PK_FILTER_NOOPT   = 1u << 0,   /* no optimizer (tcpdump -O) */
	PK_FILTER_NULL_BE = 1u << 1,   /* DLT_NULL family stored big-endian (file byte order) */
};

/*
 * Compile EXPR for LINKTYPE (LINKTYPE_* value) and SNAPLEN (the value the
 * accepting return carries).  Returns a filter to free with pk_filter_free,
 * or NULL with *err filled.  "expression rejects all packets" is reported as
 * an error, as libpcap does.
 */
struct pk_filter *pk_filter_compile(const char *expr, int linktype, uint32_t snaplen,
                                    struct pk_filter_err *err);
struct pk_filter *pk_filter_compile_ex(const char *expr, int linktype, uint32_t snaplen,
                                       unsigned flags, struct pk_filter_err *err);

/* Run on one packet: CAPLEN captured bytes of a LEN-byte packet.  Returns the
 * program's return value (0 = reject, non-zero = accept). */
uint32_t pk_filter_run(const struct pk_filter *f, const uint8_t *pkt,
                       uint32_t caplen, uint32_t len);

/*
 * Disassemble like tcpdump: LEVEL 1 = -d, 2 = -dd, 3 = -ddd.  Writes to OUT
 * when non-NULL, else into BUF (size BUFSZ, NUL-terminated, truncated).
 * Returns the number of characters the full text needs, -1 on write error.
 */
int pk_filter_dump(const struct pk_filter *f, int level, FILE *out, char *buf, size_t bufsz);

/* Number of instructions. */
unsigned pk_filter_len(const struct pk_filter *f);

void pk_filter_free(struct pk_filter *f);   /* accepts NULL */

#endif
