/* progress.h — format the one-line progress report long runs show on stderr. */
#ifndef PCAPKIT_PROGRESS_H
#define PCAPKIT_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/* Only regular files larger than this get a progress line unless forced. */
#define PK_PROGRESS_MIN_SIZE (64ull << 20)

/*
 * Write into BUF (N bytes, always terminated) a line such as
 *     "412 MiB / 1.0 GiB  40%  2.9M pkts  230 MiB/s  ETA 0:03"
 * from DONE bytes of TOTAL (negative: unknown, e.g. a pipe), PACKETS so far
 * and ELAPSED seconds.  Rate and time left are omitted until measurable.
 * Returns the length written.  Pure: no clock, no output.
 */
size_t pk_progress_format(char *buf, size_t n, uint64_t done, int64_t total,
                          uint64_t packets, double elapsed);

#endif
