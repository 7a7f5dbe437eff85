/*
 * lineset.c - an open-addressing set of line hashes (see lineset.h).
 */
#include "lineset.h"

#include <stdlib.h>
#include <string.h>

#include "hash64.h"
#include "xalloc.h"

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

uint64_t
lineset_key(const struct csv_record *rec, const struct format_row *row,
    int with_id)
{
	uint64_t h = HASH64_START;
	size_t i;

	if (with_id) {
		int64_t t[2] = { row->ch[0].start, row->ch[0].end };

		h = hash64_field(h, row->line_id.p, row->line_id.n);
		h = hash64_field(h, t, sizeof(t));
	} else
		for (i = 0; i < rec->nfields; i++)
			h = hash64_field(h, rec->fields[i].ptr,
			    rec->fields[i].len);
	h = hash64_finish(h);
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
