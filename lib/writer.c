/* writer.c — write a classic pcap stream (pcap-savefile(5)), batched with writev.
 *
 * Native byte order, version 2.4, µs magic 0xa1b2c3d4 or ns magic 0xa1b23c4d.
 * Output is queued as a list of iovecs and written with writev(2) when the
 * copy buffer or the iovec list is full, at pk_writer_flush and at close.
 * Two kinds of bytes are queued:
 *
 * - copies, in a 256 KiB buffer the writer owns (record headers it built,
 *   and the data given to pk_writer_write, which the caller may reuse at
 *   once);
 * - references to bytes a reader lent (pk_writer_write_lent): nothing is
 *   copied.  When the record header the writer would build is byte for
 *   byte the one stored in front of the data (h->stored: a classic pcap
 *   input in the same byte order and resolution, not cut), the stored
 *   record is referenced whole, and consecutive such records merge into one
 *   iovec, so an unchanged run of input goes out in one piece.
 *
 * Only whole records are ever queued, so a writev never ends mid-record
 * unless the system call itself fails.  The first error sticks and every
 * later call fails, so a caller checking only the final pk_writer_close()
 * still learns of it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "pipe.h"

#include "pcapkit/writer.h"

#define WBUF   (256u * 1024)  /* copy buffer; also the queued size that triggers a write */
#define WIOV   1024           /* iovecs per writev at most (lowered to IOV_MAX) */
#define WSMALL 128            /* lent data up to this size is copied: cheaper than an iovec */

struct pk_writer {
	int      fd;
	int      nano;
	int      failed;
	uint8_t *buf;
	size_t   len;            /* bytes of buf queued */
	struct iovec *iov;
	int      niov, maxiov;
	size_t   queued;         /* bytes queued in all iovecs */
	char     err[256];
};

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);       /* native byte order by definition */
}

static void
put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

struct pk_writer *
pk_writer_open(int fd, int linktype, uint32_t snaplen, int nano, char *errbuf)
{
	struct pk_writer *w = calloc(1, sizeof *w);
	long iovmax = WIOV;

#ifdef IOV_MAX
	iovmax = IOV_MAX;
#endif
	if (iovmax > WIOV || iovmax < 16)
		iovmax = iovmax < 16 ? 16 : WIOV;
	if (!w || !(w->buf = malloc(WBUF)) || !(w->iov = malloc((size_t)iovmax * sizeof *w->iov))) {
		if (w)
			free(w->buf);
		free(w);
		snprintf(errbuf, 512, "out of memory");
		return NULL;
	}
	w->maxiov = (int)iovmax;
	w->fd = fd;
	pk__pipe_widen(fd);
	w->nano = nano;
	put32(w->buf, nano ? 0xa1b23c4du : 0xa1b2c3d4u);
	put16(w->buf + 4, 2);
	put16(w->buf + 6, 4);
	put32(w->buf + 8, 0);           /* thiszone */
	put32(w->buf + 12, 0);          /* sigfigs */
	put32(w->buf + 16, snaplen);
	put32(w->buf + 20, (uint32_t)linktype);
	w->len = 24;
	w->iov[0].iov_base = w->buf;
	w->iov[0].iov_len = 24;
	w->niov = 1;
	w->queued = 24;
	return w;
}

int
pk_writer_flush(struct pk_writer *w)
{
	struct iovec *v = w->iov;
	int n = w->niov;

	if (w->failed)
		return -1;
	while (n > 0) {
		ssize_t got = writev(w->fd, v, n);
		size_t done;

		if (got < 0) {
			if (errno == EINTR)
				continue;
			snprintf(w->err, sizeof w->err, "write error: %s", strerror(errno));
			w->failed = 1;
			return -1;
		}
		/* A short write: step over what went out and write the rest. */
		done = (size_t)got;
		while (n > 0 && done >= v->iov_len) {
			done -= v->iov_len;
			v++;
			n--;
		}
		if (n > 0) {
			v->iov_base = (uint8_t *)v->iov_base + done;
			v->iov_len -= done;
		}
	}
	w->niov = 0;
	w->len = 0;
	w->queued = 0;
	return 0;
}

void
pk_writer_release(void *w)
{
	pk_writer_flush(w);      /* an error sticks and shows at the next call */
}

/* Make room for a record of NCOPY copied bytes in NIOV more iovecs. */
static int
room(struct pk_writer *w, size_t ncopy, int niov)
{
	if (w->failed)
		return -1;
	if (WBUF - w->len < ncopy || w->maxiov - w->niov < niov)
		return pk_writer_flush(w);
	return 0;
}

/* Queue N bytes at P, extending the last iovec when P continues it. */
static void
queue(struct pk_writer *w, const uint8_t *p, size_t n)
{
	struct iovec *last = w->niov > 0 ? &w->iov[w->niov - 1] : NULL;

	if (last && (const uint8_t *)last->iov_base + last->iov_len == p) {
		last->iov_len += n;
	} else {
		w->iov[w->niov].iov_base = (void *)(uintptr_t)p;
		w->iov[w->niov].iov_len = n;
		w->niov++;
	}
	w->queued += n;
}

/* Copy N bytes into the buffer (room() made space) and queue them. */
static void
queue_copy(struct pk_writer *w, const void *p, size_t n)
{
	uint8_t *at = w->buf + w->len;

	memcpy(at, p, n);
	w->len += n;
	queue(w, at, n);
}

static uint32_t
frac(const struct pk_writer *w, const struct pk_pkthdr *h)
{
	return w->nano ? h->nsec : h->usec_raw ? h->usec_raw : h->nsec / 1000;
}

static void
build(const struct pk_writer *w, uint8_t hdr[16], const struct pk_pkthdr *h)
{
	put32(hdr, (uint32_t)h->sec);
	put32(hdr + 4, frac(w, h));
	put32(hdr + 8, h->caplen);
	put32(hdr + 12, h->len);
}

/* Is the stored record header the one build() would write?  Compared word
 * by word against the values, not against a header built on the stack:
 * reading back freshly stored bytes in other widths stalls store forwarding
 * (it was a tenth of pfilter's user time). */
static int
same_header(const struct pk_writer *w, const uint8_t *stored, const struct pk_pkthdr *h)
{
	uint32_t v[4];

	memcpy(v, stored, sizeof v);   /* native byte order, as put32 writes */
	return v[0] == (uint32_t)h->sec && v[2] == h->caplen && v[3] == h->len && v[1] == frac(w, h);
}

static int
settle(struct pk_writer *w)
{
	return w->queued >= WBUF ? pk_writer_flush(w) : 0;
}

int
pk_writer_write(struct pk_writer *w, const struct pk_pkthdr *h, const uint8_t *data)
{
	uint8_t hdr[16];
	size_t n = 16 + (size_t)h->caplen;

	build(w, hdr, h);
	if (n > WBUF) {          /* larger than the buffer: written through at once */
		if (pk_writer_flush(w) < 0)
			return -1;
		queue_copy(w, hdr, 16);
		queue(w, data, h->caplen);
		return pk_writer_flush(w);
	}
	if (room(w, n, 1) < 0)
		return -1;
	queue_copy(w, hdr, 16);
	queue_copy(w, data, h->caplen);
	return settle(w);
}

int
pk_writer_write_lent(struct pk_writer *w, const struct pk_pkthdr *h, const uint8_t *data)
{
	uint8_t hdr[16];

	if (h->caplen <= WSMALL && !h->stored)
		return pk_writer_write(w, h, data);
	if (h->stored && h->stored + 16 == data && same_header(w, h->stored, h)) {
		if (room(w, 0, 1) < 0)
			return -1;
		queue(w, h->stored, 16 + (size_t)h->caplen);
	} else if (h->caplen <= WSMALL) {
		return pk_writer_write(w, h, data);
	} else {
		if (room(w, 16, 2) < 0)
			return -1;
		build(w, hdr, h);
		queue_copy(w, hdr, 16);
		queue(w, data, h->caplen);
	}
	return settle(w);
}

const char *
pk_writer_error(const struct pk_writer *w)
{
	return w->err;
}

int
pk_writer_close(struct pk_writer *w)
{
	int rc;

	if (!w)
		return 0;
	rc = pk_writer_flush(w);
	free(w->iov);
	free(w->buf);
	free(w);
	return rc;
}
