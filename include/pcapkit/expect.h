/* expect.h — the --expect language: small boolean expressions over named
 * numeric fields, for CI gates ("packets > 0 and tcp.rst == 0").
 *
 *   expr    := or
 *   or      := and { ("or" | "||") and }
 *   and     := not { ("and" | "&&") not }
 *   not     := ("not" | "!") not | cmp
 *   cmp     := sum [ ("==" | "=" | "!=" | "<" | "<=" | ">" | ">=") sum ]
 *   sum     := product { ("+" | "-") product }
 *   product := unary { ("*" | "/") unary }
 *   unary   := "-" unary | NUMBER | FIELD | "(" expr ")"
 *
 * NUMBER is decimal with an optional fraction and one suffix: k K M G T
 * (powers of 1000) or a duration unit ns us ms s m h d (the value in
 * seconds).  FIELD is a dotted name ("quality.duplicates").  A value used as
 * a condition is true when non-zero; comparisons and and/or/not give 1 or 0.
 * Arithmetic is IEEE double; division by zero gives NaN and every comparison
 * with NaN is false.
 */
#ifndef PCAPKIT_EXPECT_H
#define PCAPKIT_EXPECT_H

#include <stddef.h>
#include <stdint.h>

struct pk_expect;

/* Look NAME up: 0 and *v set, or -1 when the name is unknown. */
typedef int (*pk_expect_lookup)(void *ctx, const char *name, double *v);

/*
 * Compile SRC.  KNOWN (may be NULL) says whether a field name exists, so that
 * a misspelt name is a compile error.  On error returns NULL, writes a
 * message (without the expression) into ERRBUF (ERRLEN bytes) and the
 * 1-based column of the fault into *COL (when COL is not NULL).
 */
struct pk_expect *pk_expect_compile(const char *src, int (*known)(const char *name),
                                    char *errbuf, size_t errlen, int *col);

/*
 * Evaluate.  Returns 1 when the expectation holds, 0 when it fails, -1 when a
 * field could not be looked up.  On 0 WHY receives the values of the fields
 * the expression uses ("tcp.rst is 3, packets is 10"); on -1 the message.
 */
int pk_expect_eval(const struct pk_expect *e, pk_expect_lookup lookup, void *ctx,
                   char *why, size_t whylen);

/*
 * Parse a duration such as "1s", "100ms", "2.5m", "1h" or a bare number of
 * seconds into nanoseconds.  Units: ns us ms s m h d.  0, or -1 when the
 * text is not a positive duration below about 292 years.
 */
int pk_parse_duration(const char *s, uint64_t *ns);

/* The source text as given. */
const char *pk_expect_source(const struct pk_expect *e);
void pk_expect_free(struct pk_expect *e);   /* accepts NULL */

#endif
