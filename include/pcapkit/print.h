/* print.h — tcpdump-compatible text, one line per packet (tcpdump 4.99 `-nn`).
 *
 * A printer formats packets into a large internal buffer and writes it to a
 * file descriptor when the buffer fills, on pk_printer_flush(), after every
 * packet when `line_buffered` is set, and on close.  Its state (relative TCP
 * sequence numbers, previous timestamp for -ttt, first for -ttttt, the cached
 * local time of the current second) lives in the handle, never in globals.
 */
#ifndef PCAPKIT_PRINT_H
#define PCAPKIT_PRINT_H

#include <stddef.h>
#include <stdint.h>
#include "pcapkit/packet.h"

/* Options, named after the tcpdump flags they mirror. */
struct pk_print_opts {
	unsigned eflag;      /* -e: link-level header */
	unsigned qflag;      /* -q: quiet */
	unsigned vflag;      /* -v count */
	unsigned xflag;      /* -x = 1, -xx = 2: hex */
	unsigned Xflag;      /* -X = 1, -XX = 2: hex and ASCII */
	unsigned Sflag;      /* -S: absolute TCP sequence numbers */
	unsigned tflag;      /* 0 default, 1 -t, 2 -tt, 3 -ttt, 4 -tttt, 5 -ttttt */
	unsigned nano;       /* --nano: nanosecond fractions */
	unsigned line_buffered;  /* write after each packet (terminal) */
};

struct pk_printer;

/*
 * New printer writing to FD (not closed by the printer).  Returns NULL with a
 * message in errbuf (at least 256 bytes) when memory runs out.
 */
struct pk_printer *pk_printer_open(int fd, const struct pk_print_opts *o, char *errbuf);

/*
 * Format one packet of link type H->linktype.  Returns 0, or -1 on a write
 * error (see pk_printer_error; every later call fails too).
 */
int pk_printer_write(struct pk_printer *p, const struct pk_pkthdr *h, const uint8_t *data);

/*
 * Format one packet into the internal buffer without writing it; returns a
 * pointer to the text (not NUL-terminated) and its length in *n.  The text
 * is valid until the next call.  For tests and fuzzing.
 */
const char *pk_printer_format(struct pk_printer *p, const struct pk_pkthdr *h,
                              const uint8_t *data, size_t *n);

int pk_printer_flush(struct pk_printer *p);
const char *pk_printer_error(const struct pk_printer *p);
/* Flush and free.  Returns -1 if any write failed.  Accepts NULL. */
int pk_printer_close(struct pk_printer *p);

#endif
