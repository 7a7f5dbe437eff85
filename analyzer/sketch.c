/*
 * sketch.c - bottom-k samples of line identities (see sketch.h).
 */
#include "sketch.h"

#include <stdlib.h>
#include <string.h>

#include "hash64.h"
#include "xalloc.h"

void
sketch_init(struct sketch *s)
{
	s->n = 0;
}

/* The text fields of a line's identity, in the order hashed; the usage
 * interval follows them. */
#define NTEXT	7

static void
text_fields(const struct charge *c, const struct pv_str *f[NTEXT])
{
	f[0] = &c->account;
	f[1] = &c->service_code;
	f[2] = &c->usage_type;
	f[3] = &c->operation;
	f[4] = &c->resource;
	f[5] = &c->line_type;
	f[6] = &c->region;
}

uint64_t
sketch_line_hash(const struct charge *c)
{
	const struct pv_str *f[NTEXT];
	int64_t t[2];
	uint64_t h = HASH64_START;
	size_t i;

	text_fields(c, f);
	for (i = 0; i < NTEXT; i++)
		h = hash64_field(h, f[i]->p, f[i]->n);
	t[0] = c->start;
	t[1] = c->end;
	h = hash64_field(h, t, sizeof(t));
	return hash64_finish(h);
}

void
sketch_pending_init(struct sketch_pending *q)
{
	memset(q, 0, sizeof(*q));
}

void
sketch_pending_release(struct sketch_pending *q)
{
	free(q->bytes);
	free(q->ends);
	free(q->to);
	free(q->hashes);
	memset(q, 0, sizeof(*q));
}

void
sketch_pending_add(struct sketch_pending *q, const struct charge *c,
    size_t to)
{
	const struct pv_str *f[NTEXT];
	int64_t t[2];
	size_t need = sizeof(t) + 1, i;

	text_fields(c, f);
	for (i = 0; i < NTEXT; i++)
		need += f[i]->n + 1;
	q->bytes = xgrow(q->bytes, &q->bytes_cap, q->nbytes + need, 1);
	for (i = 0; i < NTEXT; i++)
		q->nbytes += hash64_put(q->bytes + q->nbytes, f[i]->p,
		    f[i]->n);
	t[0] = c->start;
	t[1] = c->end;
	q->nbytes += hash64_put(q->bytes + q->nbytes, t, sizeof(t));
	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 256;
		q->ends = xrealloc(q->ends, q->cap * sizeof(*q->ends));
		q->to = xrealloc(q->to, q->cap * sizeof(*q->to));
		q->hashes = xrealloc(q->hashes, q->cap * sizeof(*q->hashes));
	}
	q->ends[q->n] = q->nbytes;
	q->to[q->n++] = to;
}

void
sketch_pending_flush(struct sketch_pending *q, struct sketch *samples)
{
	size_t i;

	hash64_many(q->bytes, q->ends, q->n, q->hashes);
	for (i = 0; i < q->n; i++)
		sketch_add(&samples[q->to[i]], q->hashes[i]);
	q->n = 0;
	q->nbytes = 0;
}

static void
sift_down(uint64_t *h, int n, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		uint64_t t;

		if (l < n && h[l] > h[m])
			m = l;
		if (r < n && h[r] > h[m])
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void
sift_up(uint64_t *h, int i)
{
	while (i > 0) {
		int p = (i - 1) / 2;
		uint64_t t;

		if (h[p] >= h[i])
			return;
		t = h[p];
		h[p] = h[i];
		h[i] = t;
		i = p;
	}
}

static int
holds(const struct sketch *s, uint64_t h)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->h[i] == h)
			return 1;
	return 0;
}

void
sketch_add(struct sketch *s, uint64_t h)
{
	if (s->n == SKETCH_K) {
		/* the usual case once full: not among the smallest (a
		 * hash smaller than the largest kept is rare, so the scan
		 * for a duplicate is too) */
		if (h >= s->h[0] || holds(s, h))
			return;
		s->h[0] = h;
		sift_down(s->h, s->n, 0);
		return;
	}
	if (holds(s, h))
		return;
	s->h[s->n] = h;
	sift_up(s->h, s->n++);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

unsigned char *
sketch_encode(struct sketch *s, size_t *len)
{
	unsigned char *out;
	int i, k;

	*len = 0;
	if (s->n == 0)
		return NULL;
	qsort(s->h, (size_t)s->n, sizeof(s->h[0]), cmp_u64);
	out = xmalloc((size_t)s->n * 8);
	for (i = 0; i < s->n; i++)
		for (k = 0; k < 8; k++)
			out[i * 8 + k] = (unsigned char)(s->h[i] >> (56 - 8 * k));
	*len = (size_t)s->n * 8;
	return out;
}

int
sketch_decode(const void *p, size_t len, struct sketch *out)
{
	const unsigned char *b = p;
	size_t i;
	int k;

	out->n = 0;
	if (len % 8 != 0 || len / 8 > SKETCH_K)
		return -1;
	for (i = 0; i < len / 8; i++) {
		uint64_t h = 0;

		for (k = 0; k < 8; k++)
			h = h << 8 | b[i * 8 + k];
		if (i > 0 && h <= out->h[i - 1]) {
			out->n = 0;
			return -1;
		}
		out->h[i] = h;
	}
	out->n = (int)(len / 8);
	return 0;
}

double
sketch_shared(const struct sketch *a, const struct sketch *b, int *common)
{
	/* a sample that is not full holds every hash of its file: no
	 * threshold; else its largest hash is one */
	uint64_t ta = a->n == SKETCH_K ? a->h[a->n - 1] : UINT64_MAX;
	uint64_t tb = b->n == SKETCH_K ? b->h[b->n - 1] : UINT64_MAX;
	uint64_t t = ta < tb ? ta : tb;
	int i = 0, j = 0, na = 0, nb = 0, both = 0, least;

	*common = 0;
	if (a->n == 0 || b->n == 0)
		return -1;
	while (i < a->n && a->h[i] <= t && j < b->n && b->h[j] <= t) {
		if (a->h[i] == b->h[j]) {
			both++;
			i++;
			j++;
		} else if (a->h[i] < b->h[j])
			i++;
		else
			j++;
	}
	/* how many of each lie in the common range */
	for (na = 0; na < a->n && a->h[na] <= t; na++)
		;
	for (nb = 0; nb < b->n && b->h[nb] <= t; nb++)
		;
	*common = both;
	least = na < nb ? na : nb;
	return least > 0 ? (double)both / least : 0;
}
