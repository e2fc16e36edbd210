/* merge.h — streaming k-way merge of readers by timestamp (as mergecap does). */
#ifndef PCAPKIT_MERGE_H
#define PCAPKIT_MERGE_H

#include "pcapkit/packet.h"
#include "pcapkit/reader.h"

struct pk_merge;

/*
 * Merge N open readers (owned by the caller, who closes them after
 * pk_merge_free).  Each input is assumed sorted; packets come out by
 * (sec, nsec); among inputs holding equal times the later input goes first,
 * exactly as mergecap orders them.  Each input's own order is kept.  Returns NULL when out
 * of memory.
 */
struct pk_merge *pk_merge_new(struct pk_reader *const *readers, unsigned n);

/*
 * Next packet: 1 with *src = the input it came from, 0 when every input
 * has ended, -1 when input *src failed (its reader holds the error); that
 * input is dropped and the next call goes on with the others.  *data stays
 * valid until the next call.
 */
int pk_merge_next(struct pk_merge *m, struct pk_pkthdr *h, const uint8_t **data,
                  unsigned *src);
void pk_merge_free(struct pk_merge *m);   /* accepts NULL */

#endif
