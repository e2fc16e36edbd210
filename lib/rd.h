/* rd.h — the reader's private state, shared by reader.c, pcap.c and pcapng.c.
 *
 * Not installed.  The reader reads through a window `buf`: bytes [pos, len)
 * of it are read but not yet consumed and buf[0] sits at file offset `base`.
 * The window is the reader's own buffer, or with prefetching (reader.c) a
 * slot of the prefetch ring.  A packet handed out points into the window and
 * stays valid until fill() moves or refills it, which it does only after
 * calling the release hook.
 */
#ifndef PK_RD_H
#define PK_RD_H

#include <stddef.h>
#include <stdint.h>
#include "pcapkit/reader.h"

#define RD_BUFSIZE   (1u << 20)          /* initial buffer; big reads */
#define RD_MAXBLOCK  (16u << 20)         /* largest pcapng block we parse */

struct rd_pf;

struct pk_reader {
	int      fd, own_fd;
	char    *path;
	uint8_t *buf;            /* the window: own, or a prefetch slot */
	size_t   len, pos;
	uint64_t base;           /* file offset of buf[0] */
	uint8_t *own;            /* the reader's own growable buffer */
	size_t   cap;            /* its size */
	int      eof;            /* read() returned 0, or the prefetch's last chunk is in */
	size_t   chunk;          /* largest read(): small while opening */
	int64_t  size;           /* -1 unless a regular file */
	int      pf_want;        /* start prefetch threads at the next fill */
	struct rd_pf *pf;        /* prefetch threads and their ring (reader.c), or NULL */
	pk_release_fn release;   /* called before lent bytes are invalidated */
	void    *release_ctx;

	struct pk_capinfo info;
	struct pk_iface *ifaces;
	unsigned n_ifaces, cap_ifaces;
	char    *strs[4];        /* SHB hardware, os, application, comment */

	/* classic pcap */
	int      be;             /* file is big-endian */
	uint32_t scale;          /* sub-second field to ns: 1000 or 1 */
	int      swapped_lens;   /* 0 no, 1 always (< 2.3), 2 when caplen > len (2.3) */

	/* pcapng */
	unsigned sect_base;      /* global index of this section's interface 0 */
	uint64_t block;          /* 1-based number of the current block */

	uint64_t record, offset;
	enum pk_errkind errkind;
	char     err[PK_ERRBUF];
};

/* Make N bytes available at buf+pos.  Returns buf+pos, or NULL when fewer
 * than N remain (*avail says how many; errkind set only on a read error). */
const uint8_t *rd_peek(struct pk_reader *r, size_t n, size_t *avail);
/* Consume N bytes (may go past the buffer: the rest is read and dropped). */
int rd_skip(struct pk_reader *r, uint64_t n);
uint64_t rd_tell(const struct pk_reader *r);
/* Record an error; returns -1. */
int rd_fail(struct pk_reader *r, enum pk_errkind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline uint16_t rd_u16(const uint8_t *p, int be)
{
	return be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}
static inline uint32_t rd_u32(const uint8_t *p, int be)
{
	return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
	            : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}
/* BE selects big-endian; neither helper depends on the host's byte order. */

int pk__pcap_open(struct pk_reader *r, char *errbuf);
int pk__pcap_next(struct pk_reader *r, struct pk_pkthdr *h, const uint8_t **data);
int pk__pcapng_open(struct pk_reader *r, char *errbuf);
int pk__pcapng_next(struct pk_reader *r, struct pk_pkthdr *h, const uint8_t **data);
/* Read pcapng blocks up to (not including) the first packet block. */
int pk__pcapng_preamble(struct pk_reader *r);

#endif
