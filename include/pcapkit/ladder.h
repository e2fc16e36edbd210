/* ladder.h — a connection drawn as a sequence diagram for the terminal.
 *
 * A ladder collects a small summary of each packet of each flow while the
 * capture is read (pk_ladder_add, keyed by the uid_hash that
 * pk_flowtab_last_flow reports), then draws one flow per call once its
 * record is final (pk_ladder_draw): two endpoint columns, one arrow per
 * packet with its flags, relative seq/ack, length and time since the first
 * packet, silences longer than a threshold marked, retransmissions and
 * out-of-order segments flagged, the note at the bottom.
 *
 * Memory is bounded per flow unless `full` is set: the first `head` and the
 * last `tail` packets are kept, the middle is counted and drawn as one
 * "… N packets …" line.  Allocation is per flow and grows in chunks, never
 * per packet.
 */
#ifndef PCAPKIT_LADDER_H
#define PCAPKIT_LADDER_H

#include <stdint.h>
#include <stdio.h>
#include "pcapkit/decode.h"
#include "pcapkit/flow.h"

struct pk_ladder_opts {
	int      ascii;      /* 1: ASCII only; 0: Unicode box drawing */
	int      color;      /* 1: ANSI colours for retransmissions, gaps, note */
	int      full;       /* 1: keep every packet; 0: head + tail */
	unsigned head, tail; /* packets kept at each end (default 20, 20) */
	int64_t  gap_ns;     /* mark silences longer than this (default 1 s) */
};

void pk_ladder_opts_default(struct pk_ladder_opts *o);

struct pk_ladder;

/* NULL on allocation failure.  O is copied. */
struct pk_ladder *pk_ladder_new(const struct pk_ladder_opts *o);
void pk_ladder_free(struct pk_ladder *l);   /* accepts NULL */

/*
 * Record packet L (time NS, ns since the epoch) of the flow whose record
 * will carry UID_HASH.  0, or -1 when memory ran out.
 */
int pk_ladder_add(struct pk_ladder *l, uint64_t uid_hash, const struct pk_layers *L, int64_t ns);

/*
 * Draw the flow of record R with NOTE (may be NULL) on FP.  A flow with no
 * recorded packet draws its header and note only.  0, or -1 on a write
 * error.
 */
int pk_ladder_draw(const struct pk_ladder *l, const struct pk_flowrec *r, const char *note, FILE *fp);

#endif
