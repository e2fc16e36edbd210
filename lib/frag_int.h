/* frag_int.h — IP fragment bookkeeping for the flow table (not public). */
#ifndef PK_FRAG_INT_H
#define PK_FRAG_INT_H

#include <stdint.h>
#include "pcapkit/decode.h"

struct pk_fragtab;

/*
 * Hand fragment L (PK_HAVE_FRAG set) to the table *TP (allocated on first
 * use; NULL until then).  Returns 1 when L completes its datagram: *R then
 * describes the whole datagram as one packet (header and transport header
 * of the first fragment, lengths of the reassembled datagram, no fragment
 * bits) and stays valid until the next call.  Returns 2 when L is to be
 * taken as it is (a first fragment not captured whole), 0 when L is held
 * or dropped, -1 when out of memory.
 */
int pk__frag_add(struct pk_fragtab **tp, const struct pk_layers *L, struct pk_layers *R);

void pk__frag_free(struct pk_fragtab *t);   /* accepts NULL */

#endif
