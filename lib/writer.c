/* writer.c — write a classic pcap stream (pcap-savefile(5)), fully buffered.
 *
 * Native byte order, version 2.4, µs magic 0xa1b2c3d4 or ns magic 0xa1b23c4d.
 * Records are gathered in a 1 MiB buffer and written with write(2); the first
 * error sticks and every later call fails, so a caller checking only the
 * final pk_writer_close() still learns of it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcapkit/writer.h"

#define WBUF (256u * 1024)   /* a pipe-friendly size; bigger records bypass it */

struct pk_writer {
	int      fd;
	int      nano;
	int      failed;
	uint8_t *buf;
	size_t   len;
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

	if (!w || !(w->buf = malloc(WBUF))) {
		free(w);
		snprintf(errbuf, 512, "out of memory");
		return NULL;
	}
	w->fd = fd;
	w->nano = nano;
	put32(w->buf, nano ? 0xa1b23c4du : 0xa1b2c3d4u);
	put16(w->buf + 4, 2);
	put16(w->buf + 6, 4);
	put32(w->buf + 8, 0);           /* thiszone */
	put32(w->buf + 12, 0);          /* sigfigs */
	put32(w->buf + 16, snaplen);
	put32(w->buf + 20, (uint32_t)linktype);
	w->len = 24;
	return w;
}

static int
write_all(struct pk_writer *w, const uint8_t *p, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(w->fd, p + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(w->err, sizeof w->err, "write error: %s", strerror(errno));
			w->failed = 1;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

int
pk_writer_flush(struct pk_writer *w)
{
	if (w->failed)
		return -1;
	if (write_all(w, w->buf, w->len) < 0)
		return -1;
	w->len = 0;
	return 0;
}

int
pk_writer_write(struct pk_writer *w, const struct pk_pkthdr *h, const uint8_t *data)
{
	uint8_t *p;

	if (w->failed)
		return -1;
	if (WBUF - w->len < 16 + (size_t)h->caplen && pk_writer_flush(w) < 0)
		return -1;
	if (16 + (size_t)h->caplen > WBUF) {     /* larger than the buffer: write through */
		p = w->buf;
		put32(p, (uint32_t)h->sec);
		put32(p + 4, w->nano ? h->nsec : h->usec_raw ? h->usec_raw : h->nsec / 1000);
		put32(p + 8, h->caplen);
		put32(p + 12, h->len);
		return write_all(w, p, 16) < 0 || write_all(w, data, h->caplen) < 0 ? -1 : 0;
	}
	p = w->buf + w->len;
	put32(p, (uint32_t)h->sec);
	put32(p + 4, w->nano ? h->nsec : h->usec_raw ? h->usec_raw : h->nsec / 1000);
	put32(p + 8, h->caplen);
	put32(p + 12, h->len);
	memcpy(p + 16, data, h->caplen);
	w->len += 16 + (size_t)h->caplen;
	return 0;
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
	free(w->buf);
	free(w);
	return rc;
}
