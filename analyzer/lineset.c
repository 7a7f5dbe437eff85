/*
 * lineset.c - the set of line hashes: sorted arrays, one for each value
 * of a hash's top bits (see lineset.h).
 */
#include "lineset.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "format.h"
#include "hash64.h"
#include "xalloc.h"

#define NSHARDS		((size_t)1 << LINESET_SHARD_BITS)
#define LOW_BITS	(64 - LINESET_SHARD_BITS)
#define LOW_MASK	((UINT64_C(1) << LOW_BITS) - 1)
#define VALUE_SIZE	6
#define BATCH		256	/* keys lineset_mark looks up at once */

void
lineset_init(struct lineset *s)
{
	memset(s, 0, sizeof(*s));
}

void
lineset_release(struct lineset *s)
{
	size_t i;

	for (i = 0; s->shard != NULL && i < NSHARDS; i++)
		free(s->shard[i].v);
	free(s->shard);
	memset(s, 0, sizeof(*s));
}

void
lineset_marker_init(struct lineset_marker *m, const char *display,
    pv_time now)
{
	memset(m, 0, sizeof(*m));
	lineset_init(&m->seen);
	m->display = display;
	m->now = now;
}

void
lineset_marker_release(struct lineset_marker *m)
{
	lineset_release(&m->seen);
	format_free(m->fmt);
	m->fmt = NULL;
	free(m->bytes);
	m->bytes = NULL;
	m->nbytes = m->bytes_cap = 0;
}

/* The member's header: which columns identify a line, and whether its
 * lines are checked at all. A header the format cannot tell checks
 * nothing; the ingest reports it. */
static void
read_header(struct lineset_marker *m, const struct csv_record *rec)
{
	struct format *f = NULL;
	struct pv_error err;

	m->header = 1;
	m->check = 0;
	m->ncols = 0;
	pv_error_clear(&err);
	if (format_detect(&f, rec, m->display, m->now, &err) != 0)
		return;
	if (format_kind(f) != FORMAT_MANUAL) {
		m->check = 1;
		m->ncols = format_identity_columns(f, m->cols);
		m->nfields = rec->nfields;
		m->fmt = f;
		return;
	}
	format_free(f);
}

/* The i-th field of rec's identity: its identity columns', else all of
 * its fields. */
static const struct csv_field *
identity_field(const struct lineset_marker *m, const struct csv_record *rec,
    size_t i)
{
	return &rec->fields[m->ncols > 0 ? (size_t)m->cols[i] : i];
}

/* Is rec a line to look up? 1 with its identity appended to m->bytes
 * as hash64_put's fields, else 0 (a header, a disclaimer, a line not
 * checked). */
static int
put_identity(struct lineset_marker *m, const struct csv_record *rec)
{
	size_t need = 0, i, n = m->ncols > 0 ? (size_t)m->ncols : rec->nfields;

	if (format_is_disclaimer(rec))
		return 0;
	if (!m->header) {
		read_header(m, rec);
		return 0;
	}
	if (!m->check || rec->nfields != m->nfields)
		return 0;	/* the ingest says what is wrong with it */
	if (m->ncols > 0 && format_line_id(m->fmt, rec).n == 0)
		return 0;	/* a line without its id: nothing to match */
	for (i = 0; i < n; i++)
		need += identity_field(m, rec, i)->len + 1;
	m->bytes = xgrow(m->bytes, &m->bytes_cap, m->nbytes + need, 1);
	for (i = 0; i < n; i++)
		m->nbytes += hash64_put(m->bytes + m->nbytes,
		    identity_field(m, rec, i)->ptr,
		    identity_field(m, rec, i)->len);
	return 1;
}

void
lineset_mark(void *marker, const struct csv_record *recs, size_t n,
    int member_start, unsigned char *marks)
{
	struct lineset_marker *m = marker;
	uint64_t keys[BATCH];
	size_t ends[BATCH];	/* of each identity in m->bytes */
	uint32_t at[BATCH];	/* the record of each */
	unsigned char repeat[BATCH];
	size_t i, j, nkeys = 0;

	if (member_start) {
		format_free(m->fmt);
		m->fmt = NULL;
		m->header = 0;
	}
	/* the identities first, then hashed and looked up together
	 * (hash64_many, lineset_add_batch) */
	for (i = 0; i < n; i++) {
		marks[i] = 0;
		if (put_identity(m, &recs[i])) {
			ends[nkeys] = m->nbytes;
			at[nkeys++] = (uint32_t)i;
		}
		if (nkeys == BATCH || (i + 1 == n && nkeys > 0)) {
			hash64_many(m->bytes, ends, nkeys, keys);
			lineset_add_batch(&m->seen, keys, nkeys, repeat);
			for (j = 0; j < nkeys; j++)
				marks[at[j]] = repeat[j];
			nkeys = 0;
			m->nbytes = 0;
		}
	}
}

static uint64_t
load48(const unsigned char *b)
{
	return (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 |
	    (uint64_t)b[3] << 24 | (uint64_t)b[4] << 32 |
	    (uint64_t)b[5] << 40;
}

static void
store48(unsigned char *b, uint64_t v)
{
	int i;

	for (i = 0; i < VALUE_SIZE; i++)
		b[i] = (unsigned char)(v >> (8 * i));
}

/* Where low would stand in sh if the values were spread evenly. */
static uint32_t
guess(const struct lineset_shard *sh, uint64_t low)
{
	return (uint32_t)(((low >> 16) * sh->n) >> 32);
}

/* Where low stands or would stand in sh: the first value >= low. The
 * values are uniform (a hash's bits), so the search starts at the guess
 * and walks a few steps, mostly within the cache line guessed (5 M
 * adds: 1.58 s against a binary search's 1.69). Values that are not
 * uniform (a test's) fall back to a binary search after WALK steps. */
#define WALK	8

static uint32_t
find(const struct lineset_shard *sh, uint64_t low)
{
	uint32_t lo = 0, hi = sh->n, g = guess(sh, low), k;

	for (k = 0; k < WALK; k++) {
		if (g > 0 && load48(sh->v + (size_t)(g - 1) * VALUE_SIZE) >= low)
			g--;
		else if (g < sh->n && load48(sh->v + (size_t)g * VALUE_SIZE) <
		    low)
			g++;
		else
			return g;
	}
	if (g > 0 && load48(sh->v + (size_t)(g - 1) * VALUE_SIZE) >= low)
		hi = g - 1;
	else
		lo = g;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (load48(sh->v + (size_t)mid * VALUE_SIZE) < low)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
lineset_add(struct lineset *s, uint64_t key)
{
	struct lineset_shard *sh;
	uint64_t low = key & LOW_MASK;
	uint32_t lo;

	if (s->shard == NULL)
		s->shard = xcalloc(NSHARDS, sizeof(*s->shard));
	sh = &s->shard[key >> LOW_BITS];
	lo = find(sh, low);
	if (lo < sh->n && load48(sh->v + (size_t)lo * VALUE_SIZE) == low)
		return 1;
	if (sh->n == sh->cap) {
		/* an eighth more: little slack in each of the many arrays
		 * (a quarter peaked 4 MB higher at five million lines) */
		uint32_t cap = sh->cap + sh->cap / 8 + 4;

		sh->v = xrealloc(sh->v, (size_t)cap * VALUE_SIZE);
		sh->cap = cap;
	}
	memmove(sh->v + ((size_t)lo + 1) * VALUE_SIZE,
	    sh->v + (size_t)lo * VALUE_SIZE,
	    (size_t)(sh->n - lo) * VALUE_SIZE);
	store48(sh->v + (size_t)lo * VALUE_SIZE, low);
	sh->n++;
	s->n++;
	return 0;
}

/*
 * An add misses the cache twice, on the shard and on its values, and
 * one add after another waits for each miss in turn. In a batch, the
 * shard of the key 2 * AHEAD places on and the values of the key AHEAD
 * places on are fetched while this one is added, so the misses of
 * several keys overlap.
 */
#define AHEAD	8

void
lineset_add_batch(struct lineset *s, const uint64_t *keys, size_t n,
    unsigned char *repeat)
{
	const struct lineset_shard *sh;
	size_t i;

	if (s->shard == NULL)
		s->shard = xcalloc(NSHARDS, sizeof(*s->shard));
	for (i = 0; i < n && i < 2 * AHEAD; i++)
		__builtin_prefetch(&s->shard[keys[i] >> LOW_BITS]);
	for (i = 0; i < n; i++) {
		if (i + 2 * AHEAD < n)
			__builtin_prefetch(&s->shard[keys[i + 2 * AHEAD] >>
			    LOW_BITS]);
		/* here, not in a function of its own: GCC takes a function
		 * that only prefetches for one without effect and drops
		 * its calls */
		if (i + AHEAD < n) {
			sh = &s->shard[keys[i + AHEAD] >> LOW_BITS];
			if (sh->v != NULL)
				__builtin_prefetch(sh->v + (size_t)guess(sh,
				    keys[i + AHEAD] & LOW_MASK) * VALUE_SIZE);
		}
		repeat[i] = (unsigned char)lineset_add(s, keys[i]);
	}
}
