/* writer.h — write a classic pcap stream (native byte order). */
#ifndef PCAPKIT_WRITER_H
#define PCAPKIT_WRITER_H

#include <stdint.h>
#include "pcapkit/packet.h"

struct pk_writer;

/*
 * Start a pcap stream on file descriptor FD (not closed by the writer).
 * NANO selects the nanosecond magic.  The global header is written with the
 * first flush.  Returns NULL with a message in errbuf on allocation failure.
 */
struct pk_writer *pk_writer_open(int fd, int linktype, uint32_t snaplen, int nano, char *errbuf);

/*
 * Append one record; caplen bytes of data are copied untouched (the caller
 * may reuse DATA at once).  Fully buffered.  Returns 0, or -1 on a write error (then see pk_writer_error;
 * every later call fails too).
 */
int pk_writer_write(struct pk_writer *w, const struct pk_pkthdr *h, const uint8_t *data);

/*
 * Append one record without copying DATA: the writer keeps a pointer to it
 * (and to h->stored, the record as the reader stored it, which it writes
 * as is when it matches) until its next flush.  So DATA must have been lent
 * by a reader whose release hook flushes this writer, i.e. after
 *     pk_reader_on_release(r, pk_writer_release, w)
 * (or a hook of the caller's that calls pk_writer_flush); see the lending
 * contract in reader.h.  Otherwise use pk_writer_write.  Output bytes are
 * the same either way.
 */
int pk_writer_write_lent(struct pk_writer *w, const struct pk_pkthdr *h, const uint8_t *data);

/* Write out everything queued.  0, or -1 on a write error. */
int pk_writer_flush(struct pk_writer *w);
/* pk_writer_flush for use as a reader's release hook (W is the writer); an
 * error sticks and is returned by the writer's next call. */
void pk_writer_release(void *w);
const char *pk_writer_error(const struct pk_writer *w);
/* Flush and free.  Returns -1 if any write failed.  Accepts NULL. */
int pk_writer_close(struct pk_writer *w);

#endif
