/* out.c — JSON lines, aligned tables, human numbers, times and CSV/TSV fields.
 *
 * Every formatter builds its text with integer arithmetic so that no locale
 * setting can change a decimal point or group digits; the small `sink` type
 * gives all of them snprintf semantics (count everything, store what fits).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pcapkit/out.h"

struct sink {
	char  *dst;
	size_t cap, len;
};

static void
put(struct sink *s, const char *p, size_t n)
{
	if (s->len < s->cap) {
		size_t room = s->cap - s->len;
		memcpy(s->dst + s->len, p, n < room ? n : room);
	}
	s->len += n;
}

static void
putc_(struct sink *s, char c)
{
	put(s, &c, 1);
}

static void
puts_(struct sink *s, const char *p)
{
	put(s, p, strlen(p));
}

/* Unsigned decimal, at least MINW digits (zero padded). */
static void
putu(struct sink *s, uint64_t v, unsigned minw)
{
	char tmp[24];
	size_t i = sizeof tmp;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i);
	while (sizeof tmp - i < minw && i)
		tmp[--i] = '0';
	put(s, tmp + i, sizeof tmp - i);
}

static size_t
finish(struct sink *s)
{
	if (s->cap)
		s->dst[s->len < s->cap ? s->len : s->cap - 1] = '\0';
	return s->len;
}

/* A scaled value and its prefix: "4.7 k" below ten units, "12 k" from ten. */
static void
put_scaled(struct sink *s, uint64_t tenths, uint64_t whole, char prefix)
{
	if (tenths < 100) {
		putu(s, tenths / 10, 1);
		putc_(s, '.');
		putu(s, tenths % 10, 1);
	} else {
		putu(s, whole, 1);
	}
	putc_(s, ' ');
	putc_(s, prefix);
}

static const uint64_t pow10u[19] = {
	1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
	10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
	100000000000ull, 1000000000000ull, 10000000000000ull,
	100000000000000ull, 1000000000000000ull, 10000000000000000ull,
	100000000000000000ull, 1000000000000000000ull,
};

static void
putfixed(struct sink *s, int64_t value, unsigned dec)
{
	/* Magnitude as unsigned so INT64_MIN does not overflow. */
	uint64_t m = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;

	if (dec > 18)
		dec = 18;
	if (value < 0)
		putc_(s, '-');
	putu(s, m / pow10u[dec], 1);
	if (dec) {
		putc_(s, '.');
		putu(s, m % pow10u[dec], dec);
	}
}

size_t
pk_fmt_fixed(char *dst, size_t cap, int64_t value, unsigned decimals)
{
	struct sink s = { dst, cap, 0 };

	putfixed(&s, value, decimals);
	return finish(&s);
}

/* V scaled by 10^dec and rounded; 0 on failure (non-finite, too large). */
static int
scale_double(double v, unsigned dec, int64_t *out)
{
	double x;

	if (dec > 9)
		dec = 9;
	if (!isfinite(v))
		return -1;
	x = v * (double)pow10u[dec];
	if (x >= 9.2e18 || x <= -9.2e18)
		return -1;
	*out = (int64_t)llround(x);
	return 0;
}

size_t
pk_fmt_double(char *dst, size_t cap, double v, unsigned decimals)
{
	int64_t x = 0;

	if (decimals > 9)
		decimals = 9;
	if (scale_double(v, decimals, &x) < 0)
		x = 0;
	return pk_fmt_fixed(dst, cap, x, decimals);
}

size_t
pk_fmt_human(char *dst, size_t cap, uint64_t v, const char *unit)
{
	static const char prefix[] = " kMGTPE";
	struct sink s = { dst, cap, 0 };
	unsigned p = 0;
	uint64_t tenths;

	if (v < 1000) {
		putu(&s, v, 1);
	} else {
		/* Find the prefix, then round once from V itself; rounding can
		 * carry into the next prefix (999999 -> "1.0 M"). */
		uint64_t div = 1, whole;
		while (v / div >= 1000 && p < 6) {
			div *= 1000;
			p++;
		}
		tenths = v / (div / 10) + (v % (div / 10) >= div / 20 ? 1 : 0);
		whole = v / div + (v % div >= div / 2 ? 1 : 0);
		if (whole >= 1000 && p < 6) {
			p++;
			tenths = 10;
		}
		put_scaled(&s, tenths, whole, prefix[p]);
	}
	if (unit && *unit) {
		if (v < 1000)
			putc_(&s, ' ');
		puts_(&s, unit);
	}
	return finish(&s);
}

size_t
pk_fmt_size(char *dst, size_t cap, uint64_t v)
{
	static const char prefix[] = "kMGTPE";
	struct sink s = { dst, cap, 0 };
	uint64_t div = 1024, q, r, tenths, whole;
	unsigned p = 0;

	if (v < 1024) {
		putu(&s, v, 1);
		puts_(&s, " B");
		return finish(&s);
	}
	while (v / div >= 1024 && p < 5) {
		div *= 1024;
		p++;
	}
	/* Round up, as ls -h does; r * 10 < 2^64 since div <= 2^60. */
	q = v / div;
	r = v % div;
	tenths = q * 10 + (r * 10 + div - 1) / div;
	whole = q + (r != 0);
	if (whole >= 1024 && p < 5) {   /* 1023.9 k rounds up to 1.0 M */
		p++;
		tenths = 10;
	}
	put_scaled(&s, tenths, whole, prefix[p]);
	putc_(&s, 'B');
	return finish(&s);
}

/* Civil date from days since 1970-01-01 (proleptic Gregorian). */
static void
civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	uint64_t doe = (uint64_t)(z - era * 146097);
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint64_t mp = (5 * doy + 2) / 153;

	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static void
norm(int64_t *sec, uint32_t *nsec)
{
	if (*nsec >= 1000000000u) {
		*sec += *nsec / 1000000000u;
		*nsec %= 1000000000u;
	}
}

static void
putfrac(struct sink *s, uint32_t nsec, unsigned digits)
{
	if (digits > 9)
		digits = 9;
	if (digits) {
		putc_(s, '.');
		putu(s, nsec / pow10u[9 - digits], digits);
	}
}

static void
putdate(struct sink *s, int64_t y, unsigned mo, unsigned d, char sep,
        unsigned h, unsigned mi, unsigned se)
{
	if (y < 0) {
		putc_(s, '-');
		putu(s, (uint64_t)0 - (uint64_t)y, 4);
	} else {
		putu(s, (uint64_t)y, 4);
	}
	putc_(s, '-');
	putu(s, mo, 2);
	putc_(s, '-');
	putu(s, d, 2);
	putc_(s, sep);
	putu(s, h, 2);
	putc_(s, ':');
	putu(s, mi, 2);
	putc_(s, ':');
	putu(s, se, 2);
}

static void
put_utc(struct sink *s, int64_t sec, uint32_t nsec, unsigned digits, char sep)
{
	int64_t days, rem, y;
	unsigned mo, d;

	norm(&sec, &nsec);
	days = sec / 86400;
	rem = sec % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil(days, &y, &mo, &d);
	putdate(s, y, mo, d, sep, (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60),
	        (unsigned)(rem % 60));
	putfrac(s, nsec, digits);
	putc_(s, 'Z');
}

size_t
pk_fmt_rfc3339(char *dst, size_t cap, int64_t sec, uint32_t nsec, unsigned digits)
{
	struct sink s = { dst, cap, 0 };

	put_utc(&s, sec, nsec, digits, 'T');
	return finish(&s);
}

size_t
pk_fmt_localtime(char *dst, size_t cap, int64_t sec, uint32_t nsec, unsigned digits)
{
	struct sink s = { dst, cap, 0 };
	struct tm tm;
	time_t t;

	norm(&sec, &nsec);
	t = (time_t)sec;
	if ((int64_t)t != sec || !localtime_r(&t, &tm)) {
		put_utc(&s, sec, nsec, digits, ' ');
		return finish(&s);
	}
	putdate(&s, (int64_t)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
	        (unsigned)tm.tm_mday, ' ', (unsigned)tm.tm_hour,
	        (unsigned)tm.tm_min, (unsigned)tm.tm_sec);
	putfrac(&s, nsec, digits);
	return finish(&s);
}

size_t
pk_fmt_epoch(char *dst, size_t cap, int64_t sec, uint32_t nsec, unsigned digits)
{
	struct sink s = { dst, cap, 0 };

	norm(&sec, &nsec);
	if (sec < 0 && nsec) {
		/* -1.5 s is sec -2, nsec 500000000. */
		putc_(&s, '-');
		putu(&s, (uint64_t)(-(sec + 1)), 1);
		putfrac(&s, 1000000000u - nsec, digits);
	} else {
		if (sec < 0) {
			putc_(&s, '-');
			putu(&s, (uint64_t)0 - (uint64_t)sec, 1);
		} else {
			putu(&s, (uint64_t)sec, 1);
		}
		putfrac(&s, nsec, digits);
	}
	return finish(&s);
}

size_t
pk_fmt_field(char *dst, size_t cap, const char *f, int sep)
{
	struct sink s = { dst, cap, 0 };
	const char *p;
	size_t n;

	if (!f)
		f = "";
	n = strlen(f);
	if (sep == '\t') {
		for (p = f; *p; p++) {
			switch (*p) {
			case '\t': puts_(&s, "\\t"); break;
			case '\n': puts_(&s, "\\n"); break;
			case '\r': puts_(&s, "\\r"); break;
			case '\\': puts_(&s, "\\\\"); break;
			default: putc_(&s, *p);
			}
		}
		return finish(&s);
	}
	if (strpbrk(f, "\"\r\n") || strchr(f, sep) ||
	    (n && (f[0] == ' ' || f[n - 1] == ' '))) {
		putc_(&s, '"');
		for (p = f; *p; p++) {
			if (*p == '"')
				putc_(&s, '"');
			putc_(&s, *p);
		}
		putc_(&s, '"');
	} else {
		put(&s, f, n);
	}
	return finish(&s);
}

/* ---- JSON ---------------------------------------------------------------- */

void
pk_json_init_buf(struct pk_json *j, char *buf, size_t cap)
{
	memset(j, 0, sizeof *j);
	j->buf = buf;
	j->cap = cap;
	j->first[0] = 1;
}

void
pk_json_init_file(struct pk_json *j, FILE *fp)
{
	memset(j, 0, sizeof *j);
	j->fp = fp;
	j->first[0] = 1;
}

static void
jput(struct pk_json *j, const char *p, size_t n)
{
	if (j->fp) {
		if (n && fwrite(p, 1, n, j->fp) != n)
			j->err = 1;
	} else if (j->len < j->cap) {
		size_t room = j->cap - j->len;
		memcpy(j->buf + j->len, p, n < room ? n : room);
	}
	j->len += n;
}

static void
jputc(struct pk_json *j, char c)
{
	if (!j->fp) {   /* as jput(j, &c, 1), without a memcpy call per byte */
		if (j->len < j->cap)
			j->buf[j->len] = c;
		j->len++;
		return;
	}
	if (putc(c, j->fp) == EOF)
		j->err = 1;
	j->len++;
}

/* Length of a valid UTF-8 sequence at P (at most N bytes), 0 if invalid. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t k, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		k = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		k = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4, cp = c & 0x07;
	else
		return 0;
	if (k > n)
		return 0;
	for (i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* Reject overlongs, surrogates and values past U+10FFFF. */
	if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k;
}

/* 1 for the bytes a JSON string carries as they are (printable ASCII
 * but '"' and '\\'): one load per byte in the common case. */
static const uint8_t json_plain[256] = {
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	1,1,0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
	1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,0,1,1,1,
	1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
};

static void
jstring(struct pk_json *j, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	jputc(j, '"');
	while (i < n) {
		unsigned c = p[i];
		size_t k;
		char esc[7];

		if (json_plain[c]) {
			run++;
			i++;
			continue;
		}
		if (c >= 0x80 && (k = utf8_len(p + i, n - i)) != 0) {
			run += k;
			i += k;
			continue;
		}
		jput(j, (const char *)p + i - run, run);
		run = 0;
		switch (c) {
		case '"': jput(j, "\\\"", 2); break;
		case '\\': jput(j, "\\\\", 2); break;
		case '\n': jput(j, "\\n", 2); break;
		case '\r': jput(j, "\\r", 2); break;
		case '\t': jput(j, "\\t", 2); break;
		default:
			if (c >= 0x80) {
				jput(j, "\\ufffd", 6);
			} else {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				jput(j, esc, 6);
			}
		}
		i++;
	}
	jput(j, (const char *)p + i - run, run);
	jputc(j, '"');
}

static void
member(struct pk_json *j, const char *key)
{
	if (j->first[j->depth] & 1)
		j->first[j->depth] &= (unsigned char)~1u;
	else
		jputc(j, ',');
	if (key) {
		jstring(j, key, strlen(key));
		jputc(j, ':');
	}
}

static void
open_(struct pk_json *j, const char *key, char c)
{
	if (j->depth == 0 && !(j->first[0] & 1)) {
		/* a second top-level value on one line is a caller error */
		j->err = 1;
	}
	if (j->depth > 0)
		member(j, key);
	else
		j->first[0] = 0;
	if (j->depth + 1 >= PK_JSON_DEPTH) {
		j->err = 1;
		return;
	}
	jputc(j, c);
	j->depth++;
	j->first[j->depth] = (unsigned char)(1 | (c == '[' ? 2 : 0));
}

void
pk_json_object(struct pk_json *j, const char *key)
{
	open_(j, key, '{');
}

void
pk_json_array(struct pk_json *j, const char *key)
{
	open_(j, key, '[');
}

void
pk_json_close(struct pk_json *j)
{
	/* first[] keeps, besides "no member yet" (bit 0), the kind (bit 1). */
	if (j->depth <= 0) {
		j->err = 1;
		return;
	}
	jputc(j, (j->first[j->depth] & 2) ? ']' : '}');
	j->depth--;
}

void
pk_json_str(struct pk_json *j, const char *key, const char *s)
{
	if (!s) {
		pk_json_null(j, key);
		return;
	}
	pk_json_strn(j, key, s, strlen(s));
}

void
pk_json_strn(struct pk_json *j, const char *key, const char *s, size_t n)
{
	member(j, key);
	jstring(j, s, n);
}

void
pk_json_u64(struct pk_json *j, const char *key, uint64_t v)
{
	char b[24];
	struct sink s = { b, sizeof b, 0 };

	putu(&s, v, 1);
	member(j, key);
	jput(j, b, s.len);
}

void
pk_json_i64(struct pk_json *j, const char *key, int64_t v)
{
	pk_json_fixed(j, key, v, 0);
}

void
pk_json_fixed(struct pk_json *j, const char *key, int64_t v, unsigned decimals)
{
	char b[48];
	size_t n = pk_fmt_fixed(b, sizeof b, v, decimals);

	member(j, key);
	jput(j, b, n);
}

void
pk_json_double(struct pk_json *j, const char *key, double v, unsigned decimals)
{
	char b[48];
	size_t n;

	if (!isfinite(v)) {
		pk_json_null(j, key);
		return;
	}
	n = pk_fmt_double(b, sizeof b, v, decimals);
	member(j, key);
	jput(j, b, n);
}

void
pk_json_bool(struct pk_json *j, const char *key, int v)
{
	member(j, key);
	if (v)
		jput(j, "true", 4);
	else
		jput(j, "false", 5);
}

void
pk_json_null(struct pk_json *j, const char *key)
{
	member(j, key);
	jput(j, "null", 4);
}

void
pk_json_raw(struct pk_json *j, const char *key, const char *json)
{
	member(j, key);
	jput(j, json, strlen(json));
}

int
pk_json_end_line(struct pk_json *j)
{
	if (j->depth != 0)
		j->err = 1;
	jputc(j, '\n');
	if (!j->fp) {
		if (j->len < j->cap)
			j->buf[j->len] = '\0';
		else
			j->err = 1;
	}
	return j->err ? -1 : 0;
}

/* ---- Tables -------------------------------------------------------------- */

/* Cells live in one growing text arena (NUL-terminated, addressed by
 * offset so growing never invalidates them), with their byte length and
 * display width kept beside, so a table of many rows costs no malloc per
 * cell and printing measures nothing twice. */
struct pk_cell { uint32_t off, len, width; };
struct pk_table {
	unsigned ncols, nrows, cap;
	uint32_t right;        /* bit per right-aligned column */
	struct pk_cell *cells; /* nrows * ncols */
	char    *text;
	size_t   tlen, tcap;
};

size_t
pk_utf8_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

struct pk_table *
pk_table_new(unsigned ncols)
{
	struct pk_table *t;

	if (ncols == 0 || ncols > 32)
		return NULL;
	t = calloc(1, sizeof *t);
	if (t)
		t->ncols = ncols;
	return t;
}

void
pk_table_right(struct pk_table *t, unsigned col)
{
	if (col < t->ncols)
		t->right |= 1u << col;
}

int
pk_table_add(struct pk_table *t, const char *const *cells)
{
	unsigned c;
	size_t need = 0, lens[32];

	if (t->nrows == t->cap) {
		unsigned ncap = t->cap ? t->cap * 2 : 16;
		struct pk_cell *n = realloc(t->cells, (size_t)ncap * t->ncols * sizeof *n);
		if (!n)
			return -1;
		t->cells = n;
		t->cap = ncap;
	}
	for (c = 0; c < t->ncols; c++) {
		lens[c] = strlen(cells[c] ? cells[c] : "");
		need += lens[c] + 1;
	}
	if (need > UINT32_MAX - t->tlen)
		return -1;
	if (t->tlen + need > t->tcap) {
		size_t ncap = t->tcap ? t->tcap : 4096;
		char *n;

		while (ncap < t->tlen + need)
			ncap *= 2;
		if (!(n = realloc(t->text, ncap)))
			return -1;
		t->text = n;
		t->tcap = ncap;
	}
	for (c = 0; c < t->ncols; c++) {
		struct pk_cell *e = &t->cells[(size_t)t->nrows * t->ncols + c];
		char *d = t->text + t->tlen;

		memcpy(d, cells[c] ? cells[c] : "", lens[c] + 1);
		e->off = (uint32_t)t->tlen;
		e->len = (uint32_t)lens[c];
		e->width = (uint32_t)lens[c];
		for (size_t i = 0; i < lens[c]; i++)
			if ((unsigned char)d[i] >= 0x80) {   /* UTF-8: count code points */
				e->width = (uint32_t)pk_utf8_width(d);
				break;
			}
		t->tlen += lens[c] + 1;
	}
	t->nrows++;
	return 0;
}

unsigned
pk_table_rows(const struct pk_table *t)
{
	return t->nrows;
}

/* Append N bytes (or N spaces when S is NULL) to the row buffer. */
static int
row_put(char **b, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (n > *cap - *len) {
		size_t c = *cap ? *cap : 256;
		char *nb;

		while (c - *len < n)
			c *= 2;
		if (!(nb = realloc(*b, c)))
			return -1;
		*b = nb;
		*cap = c;
	}
	if (s)
		memcpy(*b + *len, s, n);
	else
		memset(*b + *len, ' ', n);
	*len += n;
	return 0;
}

int
pk_table_print(const struct pk_table *t, FILE *fp, const char *indent, const char *sep)
{
	size_t w[32] = { 0 }, seplen = sep ? strlen(sep) : 0, inlen = indent ? strlen(indent) : 0;
	size_t len, cap = 0;
	char *b = NULL;
	unsigned r, c, last;
	int rc = 0;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			size_t x = t->cells[(size_t)r * t->ncols + c].width;
			if (x > w[c])
				w[c] = x;
		}
	/* Each row is put together in one buffer and written at once. */
	for (r = 0; r < t->nrows && rc == 0; r++) {
		const struct pk_cell *row = t->cells + (size_t)r * t->ncols;

		/* Last non-empty cell: nothing is padded after it. */
		last = 0;
		for (c = 0; c < t->ncols; c++)
			if (row[c].len || (t->right >> c & 1))
				last = c;
		len = 0;
		rc |= row_put(&b, &len, &cap, indent, inlen);
		for (c = 0; c <= last; c++) {
			size_t x = row[c].width;
			int right = t->right >> c & 1;
			if (c)
				rc |= row_put(&b, &len, &cap, sep, seplen);
			if (right)
				rc |= row_put(&b, &len, &cap, NULL, w[c] - x);
			rc |= row_put(&b, &len, &cap, t->text + row[c].off, row[c].len);
			if (!right && c < last)
				rc |= row_put(&b, &len, &cap, NULL, w[c] - x);
		}
		rc |= row_put(&b, &len, &cap, "\n", 1);
		if (rc == 0 && fwrite(b, 1, len, fp) != len)
			rc = -1;
	}
	free(b);
	return rc < 0 || ferror(fp) ? -1 : 0;
}

void
pk_table_free(struct pk_table *t)
{
	if (!t)
		return;
	free(t->cells);
	free(t->text);
	free(t);
}
