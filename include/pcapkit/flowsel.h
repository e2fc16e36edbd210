/* flowsel.h — select the packets of listed flows (pflows --json lines).
 *
 * A selection reads flow records as JSON lines (the fields uid, ts,
 * id.orig_h, id.orig_p, id.resp_h, id.resp_p and proto are used; others
 * are skipped), then is fed every packet of the capture in order.  It runs
 * its own flow table with pflows' default rules, so each packet is
 * attributed to the same connection instance pflows would report; a packet
 * is kept when that instance's uid is listed, its endpoints and protocol
 * are the listed record's, and it is not earlier than the record's ts.  A
 * reused 5-tuple thus selects only the listed instance.
 */
#ifndef PCAPKIT_FLOWSEL_H
#define PCAPKIT_FLOWSEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "pcapkit/decode.h"

struct pk_flowsel;

/* NULL on allocation failure. */
struct pk_flowsel *pk_flowsel_new(void);
void pk_flowsel_free(struct pk_flowsel *s);   /* accepts NULL */

/*
 * Add the records of the JSON lines in FP (blank lines skipped).  0, or -1
 * with pk_flowsel_error() naming the line and what is wrong.
 */
int pk_flowsel_read(struct pk_flowsel *s, FILE *fp);

/* Records listed so far, and how many of them matched at least one packet. */
size_t pk_flowsel_count(const struct pk_flowsel *s);
size_t pk_flowsel_matched(const struct pk_flowsel *s);

/*
 * Feed the next packet of the capture (decoded L, time NS since the epoch):
 * 1 keep, 0 not a listed flow's, -1 out of memory.
 */
int pk_flowsel_match(struct pk_flowsel *s, const struct pk_layers *L, int64_t ns);

const char *pk_flowsel_error(const struct pk_flowsel *s);

#endif
