/* filter.c — public entry points: compile, run, dump, free; the arena and errors.
 *
 * One struct fstate per compilation holds every stage's state; all its
 * memory comes from one arena released at the single exit below, also when
 * a stage raises an error (longjmp back here).  The compiled program is
 * copied out into a small pk_filter that owns nothing else.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fint.h"

struct pk_filter {
	struct bpf_xprog *x;     /* insns translated for bpf_xrun */
	unsigned len;
	struct bpf_insn insns[];
};

#define CHUNK (64 * 1024)

void *fz_alloc(struct fstate *st, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct arena_chunk *c = st->chunks;
	size_t hdr = (sizeof *c + 15) & ~(size_t)15;
	if (!c || c->size - c->used < n) {
		size_t sz = n + hdr > CHUNK ? n + hdr : CHUNK;
		c = malloc(sz);
		if (!c)
			fz_error(st, -1, 0, "out of memory");
		c->next = st->chunks;
		c->used = hdr;
		c->size = sz;
		st->chunks = c;
	}
	void *p = (char *)c + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *fz_strdup(struct fstate *st, const char *s, size_t n)
{
	char *p = fz_alloc(st, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void verr(struct fstate *st, int pos, int len, const char *fmt, va_list ap)
{
	if (st->err) {
		vsnprintf(st->err->msg, sizeof st->err->msg, fmt, ap);
		st->err->column = pos;
		st->err->length = len > 0 ? len : 1;
	}
}

void fz_error(struct fstate *st, int pos, int len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(st, pos, len, fmt, ap);
	va_end(ap);
	longjmp(st->jb, 1);
}

void fz_error_at_tok(struct fstate *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(st, st->epos, st->elen, fmt, ap);
	va_end(ap);
	longjmp(st->jb, 1);
}

static void arena_free(struct fstate *st)
{
	struct arena_chunk *c = st->chunks, *n;
	for (; c; c = n) {
		n = c->next;
		free(c);
	}
	st->chunks = NULL;
}

struct pk_filter *pk_filter_compile_ex(const char *expr, int linktype, uint32_t snaplen,
                                       unsigned flags, struct pk_filter_err *err)
{
	struct pk_filter_err dummy;
	struct fstate *volatile st = calloc(1, sizeof *st);
	struct pk_filter *volatile f = NULL;
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof *err);
	err->column = -1;
	if (!st) {
		snprintf(err->msg, sizeof err->msg, "out of memory");
		return NULL;
	}
	st->err = err;
	if (setjmp(st->jb))
		goto out;
	gen_init(st, linktype, snaplen, flags);
	lex_all(st, expr ? expr : "");
	parse_program(st);
	if (!(flags & PK_FILTER_NOOPT) && !st->no_optimize)
		opt_optimize(st);
	opt_flatten(st);
	char why[128];
	if (!bpf_check(st->prog, st->plen, st->no_optimize, why, sizeof why))
		fz_error(st, -1, 0, "internal error: generated program is invalid: %s", why);
	f = malloc(sizeof *f + st->plen * sizeof f->insns[0]);
	if (!f)
		fz_error(st, -1, 0, "out of memory");
	f->len = st->plen;
	memcpy(f->insns, st->prog, st->plen * sizeof f->insns[0]);
	if (!(f->x = bpf_xlate(f->insns, f->len))) {
		free(f);
		f = NULL;
		fz_error(st, -1, 0, "out of memory");
	}
out:
	arena_free(st);
	free(st->prog);
	free(st);
	return f;
}

struct pk_filter *pk_filter_compile(const char *expr, int linktype, uint32_t snaplen,
                                    struct pk_filter_err *err)
{
	return pk_filter_compile_ex(expr, linktype, snaplen, 0, err);
}

uint32_t pk_filter_run(const struct pk_filter *f, const uint8_t *pkt, uint32_t caplen, uint32_t len)
{
	return bpf_xrun(f->x, pkt, caplen, len);
}

unsigned pk_filter_len(const struct pk_filter *f) { return f->len; }

const struct bpf_insn *bpf_prog_of(const struct pk_filter *f, unsigned *n)
{
	*n = f->len;
	return f->insns;
}

void pk_filter_free(struct pk_filter *f)
{
	if (f)
		bpf_xfree(f->x);
	free(f);
}

int pk_filter_dump(const struct pk_filter *f, int level, FILE *out, char *buf, size_t bufsz)
{
	size_t total = 0;
	char line[128];
	if (buf && bufsz)
		buf[0] = '\0';
	for (int i = -1; i < (int)f->len; i++) {
		const struct bpf_insn *p = &f->insns[i < 0 ? 0 : i];
		int n;
		if (i < 0) {
			if (level != 3)
				continue;
			n = snprintf(line, sizeof line, "%u\n", f->len);
		} else if (level == 2)
			n = snprintf(line, sizeof line, "{ 0x%x, %d, %d, 0x%08x },\n", p->code, p->jt, p->jf, p->k);
		else if (level == 3)
			n = snprintf(line, sizeof line, "%u %u %u %u\n", p->code, p->jt, p->jf, p->k);
		else {
			bpf_image(f->insns, i, line, sizeof line - 1);
			strcat(line, "\n");
			n = (int)strlen(line);
		}
		if (out) {
			if (fputs(line, out) == EOF)
				return -1;
		} else if (buf && total + (size_t)n < bufsz)
			memcpy(buf + total, line, (size_t)n + 1);
		total += (size_t)n;
	}
	return (int)total;
}
