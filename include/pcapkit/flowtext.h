/* flowtext.h — pflows' table for people: a title row, then one line per
 * flow record (start, duration, proto, orig -> resp, conn_state, history,
 * packets and bytes each way, note), optionally followed by the --explain
 * paragraph of each record's findings. */
#ifndef PCAPKIT_FLOWTEXT_H
#define PCAPKIT_FLOWTEXT_H

#include <stdio.h>
#include "pcapkit/diagnose.h"
#include "pcapkit/flow.h"

struct pk_flowtext;

/*
 * A table written to FP.  ALIGNED: rows are kept and written, each column
 * as wide as its widest cell, by pk_flowtext_end(); otherwise each row is
 * written at once, fields two spaces apart.  The title row comes first in
 * both (also when there is no record).  NULL when out of memory.
 */
struct pk_flowtext *pk_flowtext_new(FILE *fp, int aligned);
/* One record's row with its NOTE; with EXPLAIN (not NULL), its findings,
 * indented, after it.  0, or -1 when out of memory (write errors stay in
 * FP's error flag). */
int pk_flowtext_row(struct pk_flowtext *t, const struct pk_flowrec *f, const char *note,
                    const struct pk_diag *explain);
/* Write what is kept.  0, or -1 on a write error. */
int pk_flowtext_end(struct pk_flowtext *t);
void pk_flowtext_free(struct pk_flowtext *t);   /* accepts NULL */

#endif
