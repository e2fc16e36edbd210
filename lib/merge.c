/* merge.c — streaming k-way merge of readers by timestamp.
 *
 * A binary min-heap of input indices keyed by (sec, nsec, index).  Equal
 * times are broken by the index, the later input first, because that is
 * the order mergecap produces (its scan for the earliest packet counts
 * "equal" as earlier, so the last input holding the smallest time wins).
 * Within one input the order is always kept.  Each
 * input's current packet stays lent by its own reader, so nothing is copied;
 * the input that supplied the last packet is advanced on the next call.
 */
#include <stdlib.h>

#include "pcapkit/merge.h"

struct src {
	struct pk_reader *r;
	struct pk_pkthdr h;
	const uint8_t *data;
};

struct pk_merge {
	struct src *s;
	unsigned *heap;
	unsigned n, nheap, prime;
	long     last;      /* input to advance before the next pop, -1 none */
};

static int
less(const struct pk_merge *m, unsigned a, unsigned b)
{
	const struct pk_pkthdr *x = &m->s[a].h, *y = &m->s[b].h;

	if (x->sec != y->sec)
		return x->sec < y->sec;
	if (x->nsec != y->nsec)
		return x->nsec < y->nsec;
	return a > b;
}

static void
push(struct pk_merge *m, unsigned i)
{
	unsigned k = m->nheap++;

	m->heap[k] = i;
	while (k > 0) {
		unsigned p = (k - 1) / 2;

		if (!less(m, m->heap[k], m->heap[p]))
			break;
		unsigned t = m->heap[k];
		m->heap[k] = m->heap[p];
		m->heap[p] = t;
		k = p;
	}
}

static unsigned
pop(struct pk_merge *m)
{
	unsigned top = m->heap[0], k = 0;

	m->heap[0] = m->heap[--m->nheap];
	for (;;) {
		unsigned l = 2 * k + 1, r = l + 1, best = k;

		if (l < m->nheap && less(m, m->heap[l], m->heap[best]))
			best = l;
		if (r < m->nheap && less(m, m->heap[r], m->heap[best]))
			best = r;
		if (best == k)
			break;
		unsigned t = m->heap[k];
		m->heap[k] = m->heap[best];
		m->heap[best] = t;
		k = best;
	}
	return top;
}

struct pk_merge *
pk_merge_new(struct pk_reader *const *readers, unsigned n)
{
	struct pk_merge *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->s = calloc(n ? n : 1, sizeof *m->s);
	m->heap = calloc(n ? n : 1, sizeof *m->heap);
	if (!m->s || !m->heap) {
		pk_merge_free(m);
		return NULL;
	}
	for (unsigned i = 0; i < n; i++)
		m->s[i].r = readers[i];
	m->n = n;
	m->last = -1;
	return m;
}

/* Read input I's next packet into the heap: 1, 0 ended, -1 failed. */
static int
fetch(struct pk_merge *m, unsigned i)
{
	int rc = pk_reader_next(m->s[i].r, &m->s[i].h, &m->s[i].data);

	if (rc == 1)
		push(m, i);
	return rc;
}

int
pk_merge_next(struct pk_merge *m, struct pk_pkthdr *h, const uint8_t **data, unsigned *src)
{
	unsigned i;

	while (m->prime < m->n) {
		i = m->prime++;
		if (m->s[i].r && fetch(m, i) < 0) {
			*src = i;
			return -1;
		}
	}
	if (m->last >= 0) {
		i = (unsigned)m->last;
		m->last = -1;
		if (fetch(m, i) < 0) {
			*src = i;
			return -1;
		}
	}
	if (m->nheap == 0)
		return 0;
	i = pop(m);
	m->last = (long)i;
	*h = m->s[i].h;
	*data = m->s[i].data;
	*src = i;
	return 1;
}

void
pk_merge_free(struct pk_merge *m)
{
	if (!m)
		return;
	free(m->s);
	free(m->heap);
	free(m);
}
