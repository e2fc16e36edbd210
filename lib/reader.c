/* reader.c — open a capture from a path, "-" or stdin, sniff its format, buffer it.
 *
 * Input is read with large read() calls into one buffer owned by the reader
 * (1 MiB, grown only for an oversized pcapng block), so a regular file and a
 * pipe go through the same code and memory stays flat whatever the file
 * size.  pcap.c and pcapng.c parse records out of this buffer in place.
 *
 * Why not mmap: a version reading regular files through 4 MiB mmap windows
 * (MAP_POPULATE, sequential advice, unmapped behind the cursor) was built and
 * measured on a 1 GiB capture (KVM guest, 4 KiB pages): pcat > /dev/null
 * took 0.21 s CPU against 0.14 s with read(), pfilter 'tcp port 80' 0.23 s
 * against 0.13 s, and peak RSS went from 2.7 to 5.9 MiB.  Mapping and
 * unmapping costs about what the kernel's copy costs per page, and the
 * parser then takes a cache and TLB miss per record on memory the copy would
 * have streamed through the cache.  So read() stays, into a buffer small
 * enough to stay in cache, and the copy the reader saves is on the output
 * side instead (the writer's writev of lent bytes, writer.c).
 *
 * Lent bytes are invalidated only in fill(), and only after the release
 * hook (pk_reader_on_release) has run: a writer holding iovecs into the
 * buffer flushes them there.
 *
 * Read-ahead thread.  Getting 1 GiB from the page cache into a process
 * costs 0.11-0.13 s of kernel copy on this VM however it is done (read()
 * of 128 KiB or 1 MiB, mmap windows, MAP_POPULATE, MADV_*), which alone is
 * more than pfilter's 3x-tcpdump budget; the copy does split across cores
 * (a prototype with two threads pread()ing alternate chunks: 0.061 s).  So
 * for a regular file with RD_PF_MIN or more left after the header, on two
 * or more CPUs, the first fill() after opening starts a producer thread
 * (pf_run) that pread()s consecutive RD_PF_CHUNK chunks into a ring of
 * RD_PF_SLOTS slots; the parsing thread consumes them in order, and when
 * the next one is not there yet it reads the next unclaimed chunk itself
 * rather than wait, so the copy splits over both cores.  A slot has
 * RD_PF_HEAD bytes of headroom in front of its data: moving to the next
 * chunk, the unconsumed tail of the window (the start of a record that
 * straddles the edge) is copied there, so rd_peek's N contiguous bytes at
 * buf + pos and base = file offset of buf[0] hold as on the read() path.
 * Any pcap record fits the headroom; a bigger pcapng block is assembled in
 * the reader's own growable buffer (RD_MAXBLOCK bounds it).  A slot goes
 * back to the producers only inside fill(), after the release hook ran.
 * Blocking is a mutex and two condition variables (the producer on a full
 * ring is woken when RD_PF_BATCH slots are free): no spinning.  The first short pread
 * is the end of input (a file growing meanwhile is read up to there); a
 * pread error becomes "read error at offset N", N where that pread started
 * reading, when the parser needs bytes past it.  pk_reader_close stops and
 * joins the thread wherever the reader is; it blocks every signal.
 * Pipes, small files, one allowed CPU (sched_getaffinity: taskset, cpusets),
 * pk_reader_open_mem, PK_PREFETCH=0 in the environment
 * and pk_reader_prefetch(r, 0) (pcat -m of more than two inputs) stay on
 * read().
 *
 * Measured on 1 GiB big.pcap and 200 MiB flows-200.pcap (`make bench`), 8
 * interleaved rounds at 18:57 UTC with the machine shared with three other
 * engineers (load average 4 on 2 cores: the lead's two-thread prototype
 * took 0.26-0.59 s against its 0.061 s on an idle machine), median wall
 * (mean user+sys), PK_PREFETCH=0 -> default:
 *   pcat big.pcap > /dev/null        0.19 s (0.139) -> 0.17 s (0.152)
 *   pfilter 'tcp port 80' big.pcap   0.18 s (0.133) -> 0.17 s (0.147)
 *                                    (tcpdump -w /dev/null: 0.37 s)
 *   pstats flows-200.pcap            0.08 s (0.052) -> 0.07 s (0.059)
 *   pflows flows-200.pcap            0.09 s (0.065) -> 0.08 s (0.068)
 * The two-producer version measured 0.16 / 0.18 / 0.07 / 0.09 s in the same
 * rounds.  At 19:18 UTC (load 2.7; tcpdump at its idle 0.27 s, but the
 * prototype at 0.11-0.22 s, so the second core still mostly taken), 6
 * rounds: pcat 0.12 -> 0.13 s, pfilter 0.12 -> 0.12 s (user+sys 0.120 ->
 * 0.128: the helper barely ran, the parsing thread did the reads), pstats
 * 0.04 -> 0.04 s (capinfos 0.71 s, tshark -q -z io,phs 2.11 s), pflows
 * 0.06 -> 0.05 s.  The full gain (the copy halved: about 0.07 s for
 * pfilter) needs a free second core, which no round here had.
 * The parsing thread's own instructions barely change (callgrind, pcat
 * flows-200.pcap: 71.30 M -> 71.67 M with two producers, each 0.13 M user
 * instructions, the copy itself being kernel time).  Peak RSS: pcat 2.7 ->
 * 6.2 MiB, pfilter 2.7 -> 6.4 MiB, pstats 10.9 -> 14.4 MiB (the ring is
 * 16 x 256 KiB plus the headroom pages a tail touched).
 */
#define _GNU_SOURCE        /* sched_getaffinity, CPU_COUNT */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipe.h"
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

/* ---- prefetching: threads copy the file into a ring while we parse ---- */

#ifndef RD_PF_CHUNK
#define RD_PF_CHUNK   (256u << 10)       /* one pread() */
#endif
#ifndef RD_PF_SLOTS
#define RD_PF_SLOTS   16u                /* chunks in flight or held */
#endif
/* One producer: the parsing thread reads the chunks the producer has not
 * claimed yet itself (pf_take), so the copy splits over two cores without
 * a third thread competing for them, and with no second core free the
 * reader degrades to about the read() path.  (The first version, two
 * producers and a consumer that only waited, made 1.5x the context
 * switches and was slower than read() when the other core was busy.) */
#define RD_PF_THREADS 1
/* Sleeping and waking a thread costs tens of µs here (a KVM guest): a
 * producer blocked on a full ring sleeps until this many slots are free,
 * rather than being woken once per chunk. */
#define RD_PF_BATCH   (RD_PF_SLOTS / 2)
/* Room in front of each slot's data for the unconsumed tail of the previous
 * window: any pcap record (16 + PK_MAX_CAPLEN) fits, so only a pcapng block
 * bigger than this ever goes through the reader's own buffer. */
#define RD_PF_HEAD    (PK_MAX_CAPLEN + 8192u)
/* Smaller files stay on read(): starting the threads and faulting in the
 * ring costs about 2 ms of system time, which the parallel copy (about
 * 0.06 ms a MiB) only wins back from a few tens of MiB. */
#define RD_PF_MIN     (32u << 20)

struct rd_pf {
	pthread_mutex_t mu;
	pthread_cond_t ready;    /* a chunk was filled (the consumer waits) */
	pthread_cond_t space;    /* a slot was released, or stop (producers wait) */
	int      fd;
	off_t    fstart;         /* file position of chunk 0 */
	uint64_t sstart;         /* stream offset (as rd_tell counts) of chunk 0 */
	uint8_t *mem;            /* RD_PF_SLOTS x (RD_PF_HEAD + RD_PF_CHUNK) */
	struct {
		uint64_t filled; /* chunk index + 1 once read; under mu */
		size_t   got;
		int      err;
	} slot[RD_PF_SLOTS];
	uint64_t next;           /* producers: next chunk to read */
	uint64_t consumed;       /* chunks the consumer handed back */
	uint64_t last;           /* first short chunk (EOF or error), or UINT64_MAX */
	uint64_t wfor;           /* the chunk the waiting consumer wants */
	int      cwait, pwait;   /* the consumer waits; producers waiting */
	int      stop;
	/* consumer side only */
	uint64_t want;           /* next chunk to take */
	int      cur;            /* slot of the window, -1 when it is r->own */
	int      err;            /* errno of a failed pread, once reached */
	uint64_t erroff;
	pthread_t th[RD_PF_THREADS];
	int      nth;
};

static uint8_t *
slot_data(struct rd_pf *pf, unsigned s)
{
	return pf->mem + (size_t)s * (RD_PF_HEAD + RD_PF_CHUNK) + RD_PF_HEAD;
}

static int
filled(const struct rd_pf *pf, uint64_t k)
{
	return pf->slot[k % RD_PF_SLOTS].filled == k + 1;
}

/* pread chunk K whole into its slot (a short read is the end of the file);
 * no lock held.  Returns the errno of a failure, 0 if none. */
static int
read_chunk(struct rd_pf *pf, uint64_t k, size_t *gotp)
{
	unsigned s = (unsigned)(k % RD_PF_SLOTS);
	size_t got = 0;
	int err = 0;

	while (got < RD_PF_CHUNK) {
		ssize_t n = pread(pf->fd, slot_data(pf, s) + got, RD_PF_CHUNK - got,
		    pf->fstart + (off_t)(k * RD_PF_CHUNK + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = errno;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	*gotp = got;
	return err;
}

/* Under mu: chunk K is in its slot. */
static void
publish(struct rd_pf *pf, uint64_t k, size_t got, int err)
{
	unsigned s = (unsigned)(k % RD_PF_SLOTS);

	pf->slot[s].got = got;
	pf->slot[s].err = err;
	pf->slot[s].filled = k + 1;
	if (got < RD_PF_CHUNK && k < pf->last) {
		pf->last = k;
		pthread_cond_broadcast(&pf->space);  /* idle producers may quit */
	}
	if (pf->cwait && k == pf->wfor)
		pthread_cond_signal(&pf->ready);
}

/* A producer: take the next chunk index once its slot is free, read it,
 * publish it. */
static void *
pf_run(void *arg)
{
	struct rd_pf *pf = arg;

	pthread_mutex_lock(&pf->mu);
	for (;;) {
		uint64_t k;
		size_t got;
		int err;

		while (!pf->stop && pf->next <= pf->last &&
		    pf->next >= pf->consumed + RD_PF_SLOTS) {
			pf->pwait++;
			pthread_cond_wait(&pf->space, &pf->mu);
			pf->pwait--;
		}
		if (pf->stop || pf->next > pf->last)
			break;
		k = pf->next++;
		pthread_mutex_unlock(&pf->mu);
		err = read_chunk(pf, k, &got);
		pthread_mutex_lock(&pf->mu);
		publish(pf, k, got, err);
	}
	pthread_mutex_unlock(&pf->mu);
	return NULL;
}

static void
pf_stop(struct rd_pf *pf)
{
	pthread_mutex_lock(&pf->mu);
	pf->stop = 1;
	pthread_cond_broadcast(&pf->space);
	pthread_mutex_unlock(&pf->mu);
	for (int i = 0; i < pf->nth; i++)
		pthread_join(pf->th[i], NULL);
	pthread_cond_destroy(&pf->ready);
	pthread_cond_destroy(&pf->space);
	pthread_mutex_destroy(&pf->mu);
	free(pf->mem);
	free(pf);
}

/* CPUs this process may run on: a cpuset or `taskset -c 0` can allow fewer
 * than are online, and a read-ahead thread on the one allowed CPU only
 * takes turns with the parser. */
static long
usable_cpus(void)
{
#ifdef __linux__
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof set, &set) == 0)
		return CPU_COUNT(&set);
#endif
	return sysconf(_SC_NPROCESSORS_ONLN);
}

/* Start the producers if this input is worth it; on any failure stay on
 * the read() path, which pread() has not disturbed. */
static void
pf_start(struct pk_reader *r)
{
	const char *env = getenv("PK_PREFETCH");
	struct rd_pf *pf;
	sigset_t all, old;
	off_t at;

	r->pf_want = 0;
	if ((env && strcmp(env, "0") == 0) || usable_cpus() < 2)
		return;
	at = lseek(r->fd, 0, SEEK_CUR);
	if (at < 0 || r->size < 0 || r->size - (int64_t)at < (int64_t)RD_PF_MIN)
		return;
	pf = calloc(1, sizeof *pf);
	if (!pf)
		return;
	if (posix_memalign((void **)&pf->mem, 4096,
	    (size_t)RD_PF_SLOTS * (RD_PF_HEAD + RD_PF_CHUNK)) != 0) {
		free(pf);
		return;
	}
	pthread_mutex_init(&pf->mu, NULL);
	pthread_cond_init(&pf->ready, NULL);
	pthread_cond_init(&pf->space, NULL);
	pf->fd = r->fd;
	pf->fstart = at;
	pf->sstart = r->base + r->len;
	pf->last = UINT64_MAX;
	pf->cur = -1;
	/* Signals stay with the main thread: the producers block them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (int i = 0; i < RD_PF_THREADS; i++)
		if (pthread_create(&pf->th[pf->nth], NULL, pf_run, pf) == 0)
			pf->nth++;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pf->nth == 0) {
		pf_stop(pf);
		return;
	}
	r->pf = pf;
}


/* Chunk pf->want, in its slot; returns the slot.  While it is not there,
 * read the next unclaimed chunk ourselves if its slot is free (so with no
 * second core free this is about the read() path), and sleep only when the
 * producer is reading the very chunk we need and there is nothing else to
 * read (ring full, or the end found). */
static unsigned
pf_take(struct rd_pf *pf)
{
	uint64_t k = pf->want;

	pthread_mutex_lock(&pf->mu);
	while (!filled(pf, k)) {
		if (pf->next <= pf->last && pf->next < pf->consumed + RD_PF_SLOTS) {
			uint64_t j = pf->next++;
			size_t got;
			int err;

			pthread_mutex_unlock(&pf->mu);
			err = read_chunk(pf, j, &got);
			pthread_mutex_lock(&pf->mu);
			publish(pf, j, got, err);
			continue;
		}
		pf->wfor = k;
		pf->cwait = 1;
		pthread_cond_wait(&pf->ready, &pf->mu);
		pf->cwait = 0;
	}
	pthread_mutex_unlock(&pf->mu);
	return (unsigned)(k % RD_PF_SLOTS);
}

/* Hand chunk K (the oldest held) back to the producers. */
static void
pf_give(struct rd_pf *pf, uint64_t k)
{
	pthread_mutex_lock(&pf->mu);
	pf->consumed = k + 1;
	if (pf->pwait && pf->consumed + RD_PF_SLOTS >= pf->next + RD_PF_BATCH)
		pthread_cond_broadcast(&pf->space);
	pthread_mutex_unlock(&pf->mu);
}

/* Make the reader's own buffer hold at least NEED bytes (doubling; what it
 * holds is kept, r->buf is the caller's to re-point); N is the block size
 * the message names.  0, or -1 with the error recorded. */
static int
grow_own(struct pk_reader *r, size_t need, size_t n)
{
	size_t ncap = r->cap;
	uint8_t *nb;

	if (ncap >= need)
		return 0;
	while (ncap < need)
		ncap *= 2;
	if (!(nb = realloc(r->own, ncap)))
		return rd_fail(r, PK_ERR_IO, "out of memory for a %zu-byte block", n);
	r->own = nb;
	r->cap = ncap;
	return 0;
}

/* fill() with prefetching: move to the next chunk, carrying the unconsumed
 * tail in front of it so the window stays contiguous; a tail too big for
 * the headroom (a pcapng block over RD_PF_HEAD) is assembled in r->own. */
static int
pf_fill(struct pk_reader *r, size_t n)
{
	struct rd_pf *pf = r->pf;

	while (r->len - r->pos < n && !r->eof) {
		size_t tail = r->len - r->pos, got;
		uint64_t k = pf->want;
		unsigned s;
		uint8_t *data;

		if (pf->err)
			return rd_fail(r, PK_ERR_IO, "read error at offset %llu: %s",
			    (unsigned long long)pf->erroff, strerror(pf->err));
		s = pf_take(pf);
		data = slot_data(pf, s);
		got = pf->slot[s].got;
		if (tail <= RD_PF_HEAD) {
			memcpy(data - tail, r->buf + r->pos, tail);
			if (pf->cur >= 0)
				pf_give(pf, k - 1);
			pf->cur = (int)s;
			r->buf = data - tail;
		} else {
			if (r->buf == r->own)
				memmove(r->own, r->own + r->pos, tail);
			if (grow_own(r, tail + got, n) < 0)
				return -1;
			if (pf->cur >= 0) {
				memcpy(r->own, r->buf + r->pos, tail);
				pf_give(pf, k - 1);
				pf->cur = -1;
			}
			memcpy(r->own + tail, data, got);
			pf_give(pf, k);
			r->buf = r->own;
		}
		r->len = tail + got;
		r->pos = 0;
		r->base = pf->sstart + k * RD_PF_CHUNK - tail;
		pf->want = k + 1;
		if (got < RD_PF_CHUNK) {
			if (pf->slot[s].err) {
				pf->err = pf->slot[s].err;
				pf->erroff = pf->sstart + k * RD_PF_CHUNK + got;
			} else {
				r->eof = 1;
			}
		}
	}
	if (r->len - r->pos < n && pf->err)
		return rd_fail(r, PK_ERR_IO, "read error at offset %llu: %s",
		    (unsigned long long)pf->erroff, strerror(pf->err));
	return 0;
}

static int
fill(struct pk_reader *r, size_t n)
{
	if (r->eof)          /* nothing more will come: no need to make room */
		return 0;
	if (r->release)      /* the memmove or read below may overwrite lent bytes */
		r->release(r->release_ctx);
	if (r->pf_want)
		pf_start(r);
	if (r->pf)
		return pf_fill(r, n);
	if (r->cap - r->pos < n) {
		if (r->pos > 0) {
			memmove(r->own, r->own + r->pos, r->len - r->pos);
			r->len -= r->pos;
			r->base += r->pos;
			r->pos = 0;
		}
		if (grow_own(r, n, n) < 0)
			return -1;
		r->buf = r->own;
	}
	while (r->len - r->pos < n && !r->eof) {
		size_t want = r->cap - r->len;
		ssize_t got;

		/* While opening, read only a little: a tool may probe many files. */
		if (want > r->chunk)
			want = r->chunk;
		got = read(r->fd, r->own + r->len, want);

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
	if (!r || !(r->own = r->buf = malloc(cap ? cap : 1))) {
		free(r);
		snprintf(errbuf, PK_ERRBUF, "out of memory");
		return NULL;
	}
	r->cap = cap ? cap : 1;
	r->chunk = 64 * 1024;
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
		if (S_ISFIFO(st.st_mode))
			pk__pipe_widen(r->fd);
	}
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
	r->pf_want = r->fd >= 0 && r->size >= 0;
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

void
pk_reader_prefetch(struct pk_reader *r, int on)
{
	if (!r->pf)
		r->pf_want = on && r->fd >= 0 && r->size >= 0;
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
	if (r->release)
		r->release(r->release_ctx);
	if (r->pf)
		pf_stop(r->pf);
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
	free(r->own);
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
