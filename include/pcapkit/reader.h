/* reader.h — read classic pcap and pcapng from a path, "-" or stdin. */
#ifndef PCAPKIT_READER_H
#define PCAPKIT_READER_H

#include <stddef.h>
#include <stdint.h>
#include "pcapkit/packet.h"

#define PK_ERRBUF 512

struct pk_reader;

enum pk_format { PK_FMT_PCAP = 1, PK_FMT_PCAPNG = 2 };

/* Why the last call failed (see pk_reader_errkind). */
enum pk_errkind {
	PK_ERR_NONE = 0,
	PK_ERR_IO,        /* open/read failed (errno-style) */
	PK_ERR_FORMAT,    /* bad magic, impossible length, bad block... */
	PK_ERR_CUT,       /* the input ends inside a record: the killed-capture case */
};

/* One pcapng interface (or the single implicit interface of a pcap file). */
struct pk_iface {
	int      linktype;
	uint32_t snaplen;
	uint8_t  tsresol;       /* raw if_tsresol byte; 6 (µs) or 9 (ns) for pcap */
	int64_t  tsoffset;      /* if_tsoffset, seconds */
	uint64_t ticks_per_sec; /* derived from tsresol */
	const char *name, *description, *filter, *os;  /* NULL when absent */
	uint64_t drops;         /* from the last ISB's isb_ifdrop, if any */
	int      has_drops;
	uint64_t packets;       /* packets read so far on this interface */
};

/* What is known about the capture; grows as pcapng blocks are read. */
struct pk_capinfo {
	enum pk_format format;
	int      big_endian;     /* byte order of the file (of the current section) */
	int      nano;           /* 1 when any interface has finer than µs resolution */
	uint16_t version_major, version_minor;
	uint32_t snaplen;        /* pcap header snaplen; first IDB's for pcapng */
	int      linktype;       /* pcap header link type; first IDB's for pcapng */
	unsigned sections;       /* pcapng SHBs seen */
	unsigned n_ifaces;
	const struct pk_iface *ifaces;
	const char *shb_hardware, *shb_os, *shb_application, *shb_comment;
	uint64_t caplen_over_snaplen;  /* records with caplen > snaplen: pcap ones are cut
	                                  to snaplen as libpcap does, pcapng ones kept */
	uint64_t caplen_over_len;      /* records accepted with caplen > len */
};

/*
 * Open PATH ("-" or NULL means standard input).  The format is chosen by the
 * magic number.  Returns NULL with a message in errbuf (PK_ERRBUF bytes) when
 * the input cannot be opened or its header is unusable.  The message does not
 * carry the file name; the caller adds it.
 */
struct pk_reader *pk_reader_open(const char *path, char *errbuf);

/*
 * Open N bytes of capture held in memory (copied; for tests and fuzzing).
 * Same format sniffing and errors as pk_reader_open; the path is "(memory)".
 */
struct pk_reader *pk_reader_open_mem(const void *data, size_t n, char *errbuf);

/*
 * Lend the next packet: *data stays valid until the next call or close.
 * Returns 1 for a packet, 0 at clean end of input, -1 on error (see
 * pk_reader_error / pk_reader_errkind).  After -1 every later call returns -1.
 *
 * The lending contract, precisely: the reader lends out of its input buffer.
 * Lent bytes stay valid, and unchanged, until the buffer is moved or
 * refilled; that happens only inside pk_reader_next (when the next record is
 * not wholly buffered) and at pk_reader_close, and always right after the
 * release hook was called.  So a
 * consumer that keeps pointers to several lent packets (a writer batching
 * them into one writev) may do so until its release hook is called, and
 * no longer.  Without a hook, assume only the first sentence.
 */
int pk_reader_next(struct pk_reader *r, struct pk_pkthdr *h, const uint8_t **data);

/*
 * Set (or with FN NULL, clear) the release hook: FN(CTX) is called before
 * the reader invalidates bytes it has lent, i.e. before its window moves and
 * at close.  One hook per reader; a later call replaces it.  The hook must
 * not call back into this reader.  pk_writer_release fits (writer.h).
 */
typedef void (*pk_release_fn)(void *ctx);
void pk_reader_on_release(struct pk_reader *r, pk_release_fn fn, void *ctx);

/*
 * Reading a large regular file (32 MiB or more left after the header, two or
 * more CPUs the process may run on), the reader lets a thread pread() the
 * file ahead into a bounded ring while the caller parses; it is stopped and joined by
 * pk_reader_close.  ON = 0 keeps this reader on plain read() (e.g. when many
 * readers are open at once, as in a merge); it takes effect only before the
 * first packet is read.  The environment variable PK_PREFETCH=0 turns it
 * off for every reader.  Results are the same either way.
 */
void pk_reader_prefetch(struct pk_reader *r, int on);

const struct pk_capinfo *pk_reader_info(const struct pk_reader *r);
const char *pk_reader_error(const struct pk_reader *r);   /* "" when none */
enum pk_errkind pk_reader_errkind(const struct pk_reader *r);
uint64_t pk_reader_record(const struct pk_reader *r);  /* 1-based number of the last record returned */
uint64_t pk_reader_offset(const struct pk_reader *r);  /* byte offset of the last record returned */
uint64_t pk_reader_consumed(const struct pk_reader *r);/* bytes read so far (for progress) */
int64_t  pk_reader_size(const struct pk_reader *r);    /* file size, -1 for a pipe */
const char *pk_reader_path(const struct pk_reader *r); /* as given; "-" for stdin */
void pk_reader_close(struct pk_reader *r);             /* accepts NULL */

/* "EN10MB", "LINUX_SLL", ... or "LINKTYPE_<n>" for unknown values. */
const char *pk_linktype_name(int linktype, char buf[32]);

#endif
