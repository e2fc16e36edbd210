/* reader.c — open a capture from a path, "-" or stdin, sniff its format, window it.
 *
 * pcap.c and pcapng.c parse records in place out of one window on the input
 * (see rd.h); this file keeps that window filled, two ways:
 *
 * - A regular file (a path, or stdin redirected from a file) is read through
 *   mmap windows of RD_WINDOW bytes (RD_OPENWIN while opening, since tools
 *   probe many files), page-aligned, populated at once and advised
 *   sequential.  When a record runs past the window, a new window is mapped
 *   starting at the page of that record, so every record or block is lent
 *   contiguously without a copy; a block larger than the window gets a
 *   window of its own size.  The old window is unmapped, which releases its
 *   pages: peak RSS is about one window whatever the file size.  The file's
 *   size at open is its end: bytes appended later are not read (so
 *   `pcat f >> f` ends).  A file that shrinks while mapped would raise
 *   SIGBUS on the missing pages, so the size is checked again before each
 *   window and the smaller one wins; a truncation racing with the use of
 *   the current window is the remaining risk, as with any mmap reader.  If
 *   the first mmap fails (a file system without it), the read() path is used.
 * - Anything else (pipes, terminals, sockets, memory) is read with large
 *   read() calls into one buffer the reader owns (1 MiB, grown only for an
 *   oversized pcapng block).
 *
 * Either way lent bytes are invalidated only inside fill(), and only after
 * the release hook (pk_reader_on_release) has run: a writer holding iovecs
 * into the window flushes them there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rd.h"

int
rd_fail(struct pk_reader *r, enum pk_errkind kind, const char *fmt, ...)
{
	va_list ap;

	if (r->errkind != PK_ERR_NONE)
		return -1;
	r->errkind = kind;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
	return -1;
}

uint64_t
rd_tell(const struct pk_reader *r)
{
	return r->base + r->pos;
}

static void
release(struct pk_reader *r)
{
	if (r->release)
		r->release(r->release_ctx);
}

static int read_fill(struct pk_reader *r, size_t n);

/* Map a window holding stream bytes [base + pos, base + pos + n) if the file
 * has them, else up to the end (then eof is set and the caller sees fewer). */
static int
mm_fill(struct pk_reader *r, size_t n)
{
	uint64_t at = r->base + r->pos, foff = r->start + at, moff, limit = r->limit;
	size_t skew, mlen;
	struct stat st;
	void *m;

	if (fstat(r->fd, &st) == 0 && (uint64_t)st.st_size < limit)
		limit = r->limit = (uint64_t)st.st_size;    /* shrank: never touch the lost pages */
	release(r);
	if (r->map)
		munmap(r->map, r->maplen);
	r->map = NULL;
	r->maplen = 0;
	r->buf = NULL;
	r->base = at;
	r->pos = r->len = 0;
	if (foff >= limit) {
		r->eof = 1;
		return 0;
	}
	moff = foff & ~(uint64_t)(r->page - 1);
	skew = (size_t)(foff - moff);
	mlen = r->win;
	if (mlen < skew + n)
		mlen = (skew + n + r->page - 1) & ~(r->page - 1);
	if (mlen >= limit - moff) {
		mlen = (size_t)(limit - moff);
		r->eof = 1;
	}
#ifdef MAP_POPULATE
	m = mmap(NULL, mlen, PROT_READ, MAP_SHARED | MAP_POPULATE, r->fd, (off_t)moff);
#else
	m = mmap(NULL, mlen, PROT_READ, MAP_SHARED, r->fd, (off_t)moff);
#endif
	if (m == MAP_FAILED) {
		int e = errno;

		if (at == 0 && lseek(r->fd, (off_t)r->start, SEEK_SET) >= 0 &&
		    (r->buf = malloc(RD_BUFSIZE)) != NULL) {
			/* No mmap on this file system: read() it instead. */
			r->mm = 0;
			r->cap = RD_BUFSIZE;
			r->eof = 0;
			return read_fill(r, n);
		}
		r->eof = 1;
		return rd_fail(r, PK_ERR_IO, "read error at offset %llu: mmap: %s",
		    (unsigned long long)at, strerror(e));
	}
	posix_madvise(m, mlen, POSIX_MADV_SEQUENTIAL);
	r->map = m;
	r->maplen = mlen;
	r->buf = r->map + skew;
	r->len = mlen - skew;
	return 0;
}

static int
fill(struct pk_reader *r, size_t n)
{
	if (r->eof)          /* nothing more will come: no need to make room */
		return 0;
	if (r->mm)
		return mm_fill(r, n);
	release(r);
	return read_fill(r, n);
}

static int
read_fill(struct pk_reader *r, size_t n)
{
	if (r->cap - r->pos < n) {
		if (r->pos > 0) {
			memmove(r->buf, r->buf + r->pos, r->len - r->pos);
			r->len -= r->pos;
			r->base += r->pos;
			r->pos = 0;
		}
		if (r->cap < n) {
			size_t ncap = r->cap;
			uint8_t *nb;

			while (ncap < n)
				ncap *= 2;
			nb = realloc(r->buf, ncap);
			if (!nb)
				return rd_fail(r, PK_ERR_IO, "out of memory for a %zu-byte block", n);
			r->buf = nb;
			r->cap = ncap;
		}
	}
	while (r->len - r->pos < n && !r->eof) {
		size_t want = r->cap - r->len;
		ssize_t got;

		/* While opening, read only a little: a tool may probe many files. */
		if (want > r->chunk)
			want = r->chunk;
		got = read(r->fd, r->buf + r->len, want);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return rd_fail(r, PK_ERR_IO, "read error at offset %llu: %s",
			    (unsigned long long)(r->base + r->len), strerror(errno));
		}
		if (got == 0)
			r->eof = 1;
		r->len += (size_t)got;
	}
	return 0;
}

const uint8_t *
rd_peek(struct pk_reader *r, size_t n, size_t *avail)
{
	if (r->len - r->pos < n && fill(r, n) < 0) {
		*avail = r->len - r->pos;
		return NULL;
	}
	*avail = r->len - r->pos;
	return *avail >= n ? r->buf + r->pos : NULL;
}

int
rd_skip(struct pk_reader *r, uint64_t n)
{
	while (n > 0) {
		size_t have = r->len - r->pos, step;

		if (have == 0) {
			if (r->eof)
				return -1;
			r->base += r->len;
			r->pos = r->len = 0;
			if (fill(r, 1) < 0 || r->len == 0)
				return -1;
			continue;
		}
		step = n < have ? (size_t)n : have;
		r->pos += step;
		n -= step;
	}
	return 0;
}

static struct pk_reader *start(struct pk_reader *r, char *errbuf);

static struct pk_reader *
alloc_reader(size_t cap, char *errbuf)
{
	struct pk_reader *r;

	errbuf[0] = '\0';
	r = calloc(1, sizeof *r);
	if (!r || !(r->buf = malloc(cap ? cap : 1))) {
		free(r);
		snprintf(errbuf, PK_ERRBUF, "out of memory");
		return NULL;
	}
	r->cap = cap ? cap : 1;
	r->chunk = RD_OPENWIN;
	r->size = -1;
	return r;
}

struct pk_reader *
pk_reader_open_mem(const void *data, size_t n, char *errbuf)
{
	struct pk_reader *r = alloc_reader(n, errbuf);

	if (!r)
		return NULL;
	memcpy(r->buf, data, n);
	r->len = n;
	r->eof = 1;
	r->fd = -1;
	r->size = (int64_t)n;
	r->path = strdup("(memory)");
	if (!r->path) {
		snprintf(errbuf, PK_ERRBUF, "out of memory");
		pk_reader_close(r);
		return NULL;
	}
	return start(r, errbuf);
}

/* Switch a regular file to mmap windows, from the descriptor's current
 * offset (stdin may have been read from already). */
static void
use_mmap(struct pk_reader *r)
{
	off_t at = lseek(r->fd, 0, SEEK_CUR);
	long page = sysconf(_SC_PAGESIZE);

	if (at < 0 || (uint64_t)at > (uint64_t)r->size || page <= 0 || (page & (page - 1)))
		return;
	r->mm = 1;
	r->start = (uint64_t)at;
	r->limit = (uint64_t)r->size;
	r->page = (size_t)page;
	r->win = RD_OPENWIN;
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
}

struct pk_reader *
pk_reader_open(const char *path, char *errbuf)
{
	struct pk_reader *r;
	struct stat st;

	r = alloc_reader(RD_BUFSIZE, errbuf);
	if (!r)
		return NULL;
	if (!path || strcmp(path, "-") == 0) {
		r->fd = 0;
		r->path = strdup("-");
	} else {
		r->fd = open(path, O_RDONLY);
		r->own_fd = 1;
		r->path = strdup(path);
		if (r->fd < 0) {
			snprintf(errbuf, PK_ERRBUF, "%s", strerror(errno));
			r->own_fd = 0;
			pk_reader_close(r);
			return NULL;
		}
	}
	if (!r->path) {
		snprintf(errbuf, PK_ERRBUF, "out of memory");
		pk_reader_close(r);
		return NULL;
	}
	if (fstat(r->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(errbuf, PK_ERRBUF, "%s", strerror(EISDIR));
			pk_reader_close(r);
			return NULL;
		}
		if (S_ISREG(st.st_mode))
			r->size = (int64_t)st.st_size;
	}
	if (r->size > 0)
		use_mmap(r);
	return start(r, errbuf);
}

/* Sniff the magic and read the file header (and pcapng's first IDBs). */
static struct pk_reader *
start(struct pk_reader *r, char *errbuf)
{
	const uint8_t *p;
	size_t avail;
	uint32_t magic;
	int rc;

	p = rd_peek(r, 4, &avail);
	if (!p) {
		if (r->errkind != PK_ERR_NONE)
			snprintf(errbuf, PK_ERRBUF, "%s", r->err);
		else if (avail == 0)
			snprintf(errbuf, PK_ERRBUF, "empty input: no capture file header");
		else
			snprintf(errbuf, PK_ERRBUF,
			    "file header is cut short: 4-byte magic needed, %zu present", avail);
		pk_reader_close(r);
		return NULL;
	}
	magic = rd_u32(p, 0);
	switch (magic) {
	case 0xa1b2c3d4: case 0xd4c3b2a1: case 0xa1b23c4d: case 0x4d3cb2a1:
		rc = pk__pcap_open(r, errbuf);
		break;
	case 0x0a0d0d0a:
		rc = pk__pcapng_open(r, errbuf);
		break;
	default:
		snprintf(errbuf, PK_ERRBUF,
		    "not a pcap or pcapng file: unknown magic 0x%08x at offset 0",
		    (unsigned)rd_u32(p, 1));
		rc = -1;
	}
	if (rc == 0 && r->info.format == PK_FMT_PCAPNG && pk__pcapng_preamble(r) < 0) {
		snprintf(errbuf, PK_ERRBUF, "%s", r->err);
		rc = -1;
	}
	if (rc < 0) {
		pk_reader_close(r);
		return NULL;
	}
	r->chunk = r->cap;
	r->win = RD_WINDOW;
	return r;
}

int
pk_reader_next(struct pk_reader *r, struct pk_pkthdr *h, const uint8_t **data)
{
	if (r->errkind != PK_ERR_NONE)
		return -1;
	return r->info.format == PK_FMT_PCAP ? pk__pcap_next(r, h, data)
	                                     : pk__pcapng_next(r, h, data);
}

const struct pk_capinfo *
pk_reader_info(const struct pk_reader *r)
{
	return &r->info;
}

const char *
pk_reader_error(const struct pk_reader *r)
{
	return r->err;
}

enum pk_errkind
pk_reader_errkind(const struct pk_reader *r)
{
	return r->errkind;
}

void
pk_reader_on_release(struct pk_reader *r, pk_release_fn fn, void *ctx)
{
	r->release = fn;
	r->release_ctx = ctx;
}

uint64_t pk_reader_record(const struct pk_reader *r) { return r->record; }
uint64_t pk_reader_offset(const struct pk_reader *r) { return r->offset; }
uint64_t pk_reader_consumed(const struct pk_reader *r) { return r->base + r->pos; }
int64_t  pk_reader_size(const struct pk_reader *r) { return r->size; }
const char *pk_reader_path(const struct pk_reader *r) { return r->path; }

void
pk_reader_close(struct pk_reader *r)
{
	if (!r)
		return;
	release(r);
	if (r->map)
		munmap(r->map, r->maplen);
	if (r->own_fd)
		close(r->fd);
	for (unsigned i = 0; i < r->n_ifaces; i++) {
		free((char *)r->ifaces[i].name);
		free((char *)r->ifaces[i].description);
		free((char *)r->ifaces[i].filter);
		free((char *)r->ifaces[i].os);
	}
	for (unsigned i = 0; i < 4; i++)
		free(r->strs[i]);
	free(r->ifaces);
	if (!r->mm)
		free(r->buf);
	free(r->path);
	free(r);
}

const char *
pk_linktype_name(int linktype, char buf[32])
{
	static const struct { int lt; const char *name; } names[] = {
		{ PK_LINK_NULL, "NULL" }, { PK_LINK_EN10MB, "EN10MB" },
		{ PK_LINK_RAW_OLD12, "RAW" }, { PK_LINK_RAW_OLD14, "RAW" },
		{ PK_LINK_RAW, "RAW" }, { PK_LINK_LOOP, "LOOP" },
		{ PK_LINK_LINUX_SLL, "LINUX_SLL" }, { PK_LINK_IPV4, "IPV4" },
		{ PK_LINK_IPV6, "IPV6" }, { PK_LINK_LINUX_SLL2, "LINUX_SLL2" },
		{ 105, "IEEE802_11" }, { 127, "IEEE802_11_RADIO" }, { 9, "PPP" },
		{ 50, "PPP_HDLC" }, { 104, "C_HDLC" }, { 6, "IEEE802" },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].lt == linktype)
			return names[i].name;
	snprintf(buf, 32, "LINKTYPE_%d", linktype);
	return buf;
}
