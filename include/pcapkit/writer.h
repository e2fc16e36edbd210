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
 * Append one record; caplen bytes of data are copied untouched.  Fully
 * buffered.  Returns 0, or -1 on a write error (then see pk_writer_error;
 * every later call fails too).
 */
int pk_writer_write(struct pk_writer *w, const struct pk_pkthdr *h, const uint8_t *data);
int pk_writer_flush(struct pk_writer *w);
const char *pk_writer_error(const struct pk_writer *w);
/* Flush and free.  Returns -1 if any write failed.  Accepts NULL. */
int pk_writer_close(struct pk_writer *w);

#endif
