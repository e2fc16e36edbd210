/* flowlist.h — finished flow records kept in memory for sorted output. */
#ifndef PCAPKIT_FLOWLIST_H
#define PCAPKIT_FLOWLIST_H

#include <stddef.h>
#include "pcapkit/flow.h"

enum pk_flowsort { PK_SORT_START, PK_SORT_DURATION, PK_SORT_BYTES, PK_SORT_PKTS };

/* Zero-initialise; the caller owns it and frees it with pk_flowlist_free. */
struct pk_flowlist {
	struct pk_flowrec *r;
	size_t n, cap;
};

/* Append a copy of F: 0, or -1 when out of memory (the list is unchanged). */
int  pk_flowlist_add(struct pk_flowlist *l, const struct pk_flowrec *f);
/* Order by KEY: start ascending; duration, bytes (orig + resp) or packets
 * descending; ties by start time, then uid hash, so the order is total. */
void pk_flowlist_sort(struct pk_flowlist *l, enum pk_flowsort key);
/* "start", "duration", "bytes" or "pkts": 0 and *KEY, or -1. */
int  pk_flowsort_parse(const char *name, enum pk_flowsort *key);
void pk_flowlist_free(struct pk_flowlist *l);

#endif
