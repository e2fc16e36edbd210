/* out.h — output helpers shared by the commands: JSON lines, aligned tables,
 * human numbers, RFC 3339 times, CSV/TSV fields.
 *
 * Nothing here consults the locale: decimals always use '.', digits are never
 * grouped.  The pk_fmt_* formatters have snprintf semantics: they write at
 * most CAP bytes including the terminating NUL (when CAP > 0) and return the
 * length the whole text would have, so `ret >= cap` means it was cut.
 */
#ifndef PCAPKIT_OUT_H
#define PCAPKIT_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- Number and time formatting ---------------------------------------- */

/* VALUE / 10^DECIMALS as a decimal ("-12.034" for -12034, 3); DECIMALS <= 18. */
size_t pk_fmt_fixed(char *dst, size_t cap, int64_t value, unsigned decimals);

/* V rounded half away from zero to DECIMALS (<= 9) places, without locale.
 * Non-finite or out-of-range (|V| >= 9.2e18 / 10^DECIMALS) values print "0". */
size_t pk_fmt_double(char *dst, size_t cap, double v, unsigned decimals);

/* Human size with SI prefixes (powers of 1000), three significant digits at
 * most: 999 -> "999", 1234 -> "1.2 k", 12345 -> "12 k", 12345678 -> "12 M".
 * UNIT (NULL or "" for none) follows: "1.2 kB", "999 B". */
size_t pk_fmt_human(char *dst, size_t cap, uint64_t v, const char *unit);

/* Byte count as ls -h and du -h write it, with a unit: powers of 1024,
 * rounded up, one decimal below 10: 999 -> "999 B", 1024 -> "1.0 kB",
 * 4777 -> "4.7 kB", 10239 -> "10 kB", 1048575 -> "1.0 MB" ("kB" is 1024 B
 * here, the unit pflows' notes use). */
size_t pk_fmt_size(char *dst, size_t cap, uint64_t v);

/* RFC 3339 UTC time "2024-01-02T03:04:05.123456789Z" from seconds since the
 * epoch and nanoseconds (may be >= 1e9: carried into the seconds).  DIGITS
 * (0..9) fractional digits, truncated, as capinfos does.  Proleptic Gregorian
 * for any year in int64 range that fits four or more digits. */
size_t pk_fmt_rfc3339(char *dst, size_t cap, int64_t sec, uint32_t nsec, unsigned digits);

/* Local time for people, "2024-01-02 03:04:05.123456" (TZ honoured via
 * localtime_r).  Falls back to UTC with a trailing 'Z' when the time cannot be
 * converted. */
size_t pk_fmt_localtime(char *dst, size_t cap, int64_t sec, uint32_t nsec, unsigned digits);

/* Seconds since the epoch as a fixed decimal "1700000000.123456789". */
size_t pk_fmt_epoch(char *dst, size_t cap, int64_t sec, uint32_t nsec, unsigned digits);

/* ---- CSV / TSV ---------------------------------------------------------- */

/*
 * One field of a delimited row.  SEP ',' gives RFC 4180 CSV: the field is
 * quoted when it holds a comma, quote, CR or LF, or starts/ends with a space,
 * and quotes are doubled.  SEP '\t' gives TSV: tab, newline, CR and backslash
 * are written as \t \n \r \\ (never quoted).
 */
size_t pk_fmt_field(char *dst, size_t cap, const char *s, int sep);

/* ---- JSON lines --------------------------------------------------------- */

#define PK_JSON_DEPTH 16

/*
 * A JSON object writer, either into a caller buffer or onto a FILE*.
 * Members are added with a key (inside an object) or key NULL (inside an
 * array).  Strings are escaped; bytes that are not valid UTF-8 become U+FFFD.
 * Errors are sticky: nesting too deep, a full buffer or a write error set
 * `err`, checked by pk_json_end_line().
 */
struct pk_json {
	FILE   *fp;            /* FILE mode when non-NULL */
	char   *buf;           /* buffer mode */
	size_t  cap, len;      /* len = bytes the text needs (may exceed cap) */
	int     depth;
	unsigned char first[PK_JSON_DEPTH];  /* no member yet at this depth */
	int     err;
};

void pk_json_init_buf(struct pk_json *j, char *buf, size_t cap);
void pk_json_init_file(struct pk_json *j, FILE *fp);

void pk_json_object(struct pk_json *j, const char *key);   /* "key":{ */
void pk_json_array(struct pk_json *j, const char *key);    /* "key":[ */
void pk_json_close(struct pk_json *j);     /* } or ], matching the last opened */
void pk_json_str(struct pk_json *j, const char *key, const char *s);   /* NULL -> null */
void pk_json_strn(struct pk_json *j, const char *key, const char *s, size_t n);
void pk_json_u64(struct pk_json *j, const char *key, uint64_t v);
void pk_json_i64(struct pk_json *j, const char *key, int64_t v);
void pk_json_fixed(struct pk_json *j, const char *key, int64_t v, unsigned decimals);
void pk_json_double(struct pk_json *j, const char *key, double v, unsigned decimals);
void pk_json_bool(struct pk_json *j, const char *key, int v);
void pk_json_null(struct pk_json *j, const char *key);
/* Pre-formatted JSON value (caller guarantees validity). */
void pk_json_raw(struct pk_json *j, const char *key, const char *json);

/*
 * End the line: appends '\n' (all opened containers must be closed).
 * Returns 0, or -1 when anything failed (unbalanced, too deep, buffer too
 * small — then j->len says how many bytes were needed — or a write error).
 * In buffer mode the text is NUL-terminated when it fits.
 */
int pk_json_end_line(struct pk_json *j);

/* ---- Aligned text table -------------------------------------------------- */

struct pk_table;

/* A table of NCOLS columns (1..32); NULL on allocation failure. */
struct pk_table *pk_table_new(unsigned ncols);
/* Right-align column COL (numbers); columns are left-aligned by default. */
void pk_table_right(struct pk_table *t, unsigned col);
/* Append a row; CELLS[0..ncols-1] are copied (NULL prints empty).  0 / -1. */
int pk_table_add(struct pk_table *t, const char *const *cells);
/* Print every row: INDENT, then cells padded to the widest (in UTF-8
 * characters) and separated by SEP; trailing padding is not written.
 * Returns 0, or -1 on a write error. */
int pk_table_print(const struct pk_table *t, FILE *fp, const char *indent, const char *sep);
unsigned pk_table_rows(const struct pk_table *t);
void pk_table_free(struct pk_table *t);   /* accepts NULL */

/* Display width of a UTF-8 string: its count of non-continuation bytes. */
size_t pk_utf8_width(const char *s);

#endif
