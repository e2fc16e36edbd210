/* stats.h — capture statistics in one pass: summary, quality, protocols,
 * top talkers, time series and packet sizes.
 *
 * Usage: pk_stats_new(), then for each input pk_stats_begin() with its
 * reader, pk_stats_add() for every packet, pk_stats_end() (which records the
 * reader's final state: interfaces, drops, a damaged tail); then report with
 * pk_stats_print() / pk_stats_json() / pk_stats_csv(), query fields with
 * pk_stats_value(), and pk_stats_free().  Several inputs may be added to one
 * pk_stats (the --total report).
 *
 * Memory: about 53 KiB of fixed tables; the TCP table used for "ACKed but
 * never seen", 5.8 MiB (PK_STATS_TCP_SLOTS connections of 88 bytes, least
 * recently seen evicted, plus 40 bytes per direction with sequence holes); for the top talkers, exact counters in 56-byte
 * entries of tables kept 3/8 to 3/4 full, 75 to 150 bytes per distinct
 * address, address pair and port (half as much again while a table
 * doubles), capped at PK_STATS_MAX_KEYS keys per table (keys beyond the
 * cap are counted as "untracked"; at the cap a table holds 2^21 entries,
 * 112 MiB); the time series at most PK_STATS_MAX_BUCKETS buckets of 16
 * bytes.  Nothing is allocated per packet except when a table doubles or
 * the series grows.
 */
#ifndef PCAPKIT_STATS_H
#define PCAPKIT_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pcapkit/out.h"
#include "pcapkit/packet.h"
#include "pcapkit/reader.h"

#define PK_STATS_MAX_KEYS    (1u << 20)
#define PK_STATS_TCP_SLOTS   (1u << 16)
#define PK_STATS_MAX_BUCKETS (1u << 20)
#define PK_STATS_DUP_WINDOW  8    /* previous packets searched for duplicates */
#define PK_STATS_JSON_VERSION 1

struct pk_stats;

struct pk_stats_opts {
	uint64_t interval_ns;   /* time series bucket; 0 = none */
	unsigned top;           /* rows per top-talker table (0 = none) */
	int      by_bytes;      /* rank top talkers by bytes, not packets */
	int      ascii;         /* ASCII chart instead of Unicode blocks */
	unsigned width;         /* terminal columns for the chart (0 = 80) */
};

/* NULL on allocation failure. */
struct pk_stats *pk_stats_new(const struct pk_stats_opts *opts);
void pk_stats_free(struct pk_stats *s);   /* accepts NULL */

/* Start an input named NAME (copied) read by R (may be NULL for tests). */
int pk_stats_begin(struct pk_stats *s, const char *name, const struct pk_reader *r);
/* Count one packet. */
void pk_stats_add(struct pk_stats *s, const struct pk_pkthdr *h, const uint8_t *data);
/*
 * End the current input.  R (may be NULL) supplies the interfaces, SHB
 * options and ISB drops; FAILED is 1 when the last pk_reader_next returned
 * -1: the report is then marked partial, and a cut record (PK_ERR_CUT) is
 * recorded as a damaged tail (its offset and the bytes left in the file).
 */
void pk_stats_end(struct pk_stats *s, const struct pk_reader *r, int failed);

/* Value of a numeric field by its JSON path ("packets", "tcp.rst",
 * "protocols.udp.bytes", "quality.duplicates", "duration").  0 found,
 * -1 unknown name. */
int pk_stats_value(const struct pk_stats *s, const char *name, double *v);
/* 1 when NAME is a numeric field name pk_stats_value knows. */
int pk_stats_field_known(const char *name);

/* The report for people (aligned "Label: value" lines, tree, charts). */
int pk_stats_print(struct pk_stats *s, FILE *fp);
/* One JSON object on one line (schema PK_STATS_JSON_VERSION). */
int pk_stats_json(struct pk_stats *s, FILE *fp);
/*
 * pstats --merge: add one pstats --json report (TEXT, LEN bytes, one JSON
 * object) into S, which must have been fed no packet.  Sums, min/max and
 * merged histograms and time series; see lib/stats_merge.c for the rule of
 * each field and for what is marked approximate in the JSON "merge" object.
 * 0 ok; -1 with a message in ERR (ERRLEN bytes).
 */
int pk_stats_merge_json(struct pk_stats *s, const char *text, size_t len, char *err,
                        size_t errlen);

/* Summary row for CSV (SEP ',') or TSV ('\t'); the header row first when HEADER. */
int pk_stats_csv(struct pk_stats *s, FILE *fp, int sep, int header);

#endif
