/*
 * lineset.c - an open-addressing set of line hashes (see lineset.h).
 */
#include "lineset.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define FNV_OFFSET	UINT64_C(14695981039346656037)
#define FNV_PRIME	UINT64_C(1099511628211)

void
lineset_init(struct lineset *s)
{
	memset(s, 0, sizeof(*s));
}

void
lineset_release(struct lineset *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= FNV_PRIME;
	}
	h ^= 0x1f;		/* ends a field: "ab","c" is not "a","bc" */
	return h * FNV_PRIME;
}

/* splitmix64's finaliser: the slot index takes the low bits */
static uint64_t
mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t
lineset_key(const struct csv_record *rec, const struct format_row *row,
    int with_id)
{
	uint64_t h = FNV_OFFSET;
	size_t i;

	if (with_id) {
		int64_t t[2] = { row->ch[0].start, row->ch[0].end };

		h = fnv(h, row->line_id.p, row->line_id.n);
		h = fnv(h, t, sizeof(t));
	} else
		for (i = 0; i < rec->nfields; i++)
			h = fnv(h, rec->fields[i].ptr, rec->fields[i].len);
	h = mix(h);
	return h != 0 ? h : 1;	/* 0 marks an empty slot */
}

static void
grow(struct lineset *s)
{
	uint64_t *old = s->slot;
	size_t oldcap = s->cap, i;

	s->cap = oldcap ? oldcap * 2 : 1024;
	s->slot = xcalloc(s->cap, sizeof(*s->slot));
	for (i = 0; i < oldcap; i++) {
		size_t j;

		if (old[i] == 0)
			continue;
		for (j = old[i] & (s->cap - 1); s->slot[j] != 0;
		    j = (j + 1) & (s->cap - 1))
			;
		s->slot[j] = old[i];
	}
	free(old);
}

int
lineset_add(struct lineset *s, uint64_t key)
{
	size_t j;

	/* at most 3/4 full: probes stay short */
	if (4 * (s->n + 1) > 3 * s->cap)
		grow(s);
	for (j = key & (s->cap - 1); s->slot[j] != 0;
	    j = (j + 1) & (s->cap - 1))
		if (s->slot[j] == key)
			return 1;
	s->slot[j] = key;
	s->n++;
	return 0;
}
