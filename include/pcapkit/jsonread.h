/* jsonread.h — a small JSON reader (RFC 8259) for the project's own reports.
 *
 * pk_jdoc_parse() turns one JSON text into a tree of nodes held in one
 * allocation owned by the document; strings are unescaped (\uXXXX to UTF-8,
 * surrogate pairs joined).  Numbers keep their source text so that 64-bit
 * integers (nanosecond times) are read exactly with pk_jnode_u64/i64.
 * Nesting is limited to PK_JSON_MAX_DEPTH.  Used by pstats --merge; any
 * tool that reads pstats --json or pflows --json lines may share it.
 */
#ifndef PCAPKIT_JSONREAD_H
#define PCAPKIT_JSONREAD_H

#include <stddef.h>
#include <stdint.h>

#define PK_JSON_MAX_DEPTH 64

enum pk_jtype { PK_JNULL, PK_JFALSE, PK_JTRUE, PK_JNUM, PK_JSTR, PK_JARR, PK_JOBJ };

struct pk_jnode {
	enum pk_jtype type;
	const char *key;        /* member name inside an object, else NULL */
	const char *str;        /* PK_JSTR: the unescaped string (NUL-terminated);
	                           PK_JNUM: the number's text */
	size_t   len;           /* bytes of str */
	double   num;           /* PK_JNUM */
	uint32_t child;         /* first child (0 = none; node 0 is the root) */
	uint32_t next;          /* next sibling (0 = none) */
	uint32_t n;             /* PK_JARR/PK_JOBJ: number of children */
};

struct pk_jdoc;

/*
 * Parse LEN bytes of TEXT (one value, surrounding white space allowed).
 * NULL on error with a message in ERR (ERRLEN bytes) naming the byte offset.
 */
struct pk_jdoc *pk_jdoc_parse(const char *text, size_t len, char *err, size_t errlen);
/* The same; on error *ERRPOS (may be NULL) is the 0-based byte offset of the fault. */
struct pk_jdoc *pk_jdoc_parse_at(const char *text, size_t len, char *err, size_t errlen,
                                 size_t *errpos);
void pk_jdoc_free(struct pk_jdoc *d);   /* accepts NULL */

const struct pk_jnode *pk_jdoc_root(const struct pk_jdoc *d);
/* First child / next sibling of N, or NULL. */
const struct pk_jnode *pk_jnode_child(const struct pk_jdoc *d, const struct pk_jnode *n);
const struct pk_jnode *pk_jnode_next(const struct pk_jdoc *d, const struct pk_jnode *n);
/* Member KEY of object N (the first one with that name), or NULL. */
const struct pk_jnode *pk_jnode_get(const struct pk_jdoc *d, const struct pk_jnode *n,
                                    const char *key);
/* Integer value of a number node written without fraction or exponent:
 * 0 ok, -1 when N is missing, not such a number, or out of range. */
int pk_jnode_u64(const struct pk_jnode *n, uint64_t *v);
int pk_jnode_i64(const struct pk_jnode *n, int64_t *v);

#endif
