/* flowlist.c — finished flow records kept in memory for sorted output. */
#include <stdlib.h>
#include <string.h>

#include "pcapkit/flowlist.h"

int
pk_flowlist_add(struct pk_flowlist *l, const struct pk_flowrec *f)
{
	if (l->n == l->cap) {
		size_t n = l->cap ? l->cap * 2 : 1024;
		struct pk_flowrec *p = realloc(l->r, n * sizeof *p);

		if (!p)
			return -1;
		l->r = p;
		l->cap = n;
	}
	l->r[l->n++] = *f;
	return 0;
}

static int
by_start(const void *pa, const void *pb)
{
	const struct pk_flowrec *a = pa, *b = pb;

	if (a->start_ns != b->start_ns)
		return a->start_ns < b->start_ns ? -1 : 1;
	if (a->uid_hash != b->uid_hash)
		return a->uid_hash < b->uid_hash ? -1 : 1;
	return 0;
}

/* Descending by K, then by start. */
static int
by_key(uint64_t ka, uint64_t kb, const void *pa, const void *pb)
{
	if (ka != kb)
		return ka > kb ? -1 : 1;
	return by_start(pa, pb);
}

static int
by_duration(const void *pa, const void *pb)
{
	const struct pk_flowrec *a = pa, *b = pb;

	return by_key((uint64_t)a->duration_ns, (uint64_t)b->duration_ns, pa, pb);
}

static int
by_bytes(const void *pa, const void *pb)
{
	const struct pk_flowrec *a = pa, *b = pb;

	return by_key(a->orig.bytes + a->resp.bytes, b->orig.bytes + b->resp.bytes, pa, pb);
}

static int
by_pkts(const void *pa, const void *pb)
{
	const struct pk_flowrec *a = pa, *b = pb;

	return by_key(a->orig.pkts + a->resp.pkts, b->orig.pkts + b->resp.pkts, pa, pb);
}

void
pk_flowlist_sort(struct pk_flowlist *l, enum pk_flowsort key)
{
	static int (*const cmp[])(const void *, const void *) = {
		[PK_SORT_START] = by_start, [PK_SORT_DURATION] = by_duration,
		[PK_SORT_BYTES] = by_bytes, [PK_SORT_PKTS] = by_pkts,
	};

	if (l->n > 1)
		qsort(l->r, l->n, sizeof *l->r, cmp[key]);
}

int
pk_flowsort_parse(const char *name, enum pk_flowsort *key)
{
	static const char *const names[] = { "start", "duration", "bytes", "pkts" };

	for (int i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0) {
			*key = (enum pk_flowsort)i;
			return 0;
		}
	return -1;
}

void
pk_flowlist_free(struct pk_flowlist *l)
{
	free(l->r);
	memset(l, 0, sizeof *l);
}
