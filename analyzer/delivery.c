/*
 * delivery.c - the re-delivery rule (see delivery.h).
 */
#include "delivery.h"

#include <string.h>

int
delivery_repeats(const struct delivery *a, const struct delivery *b)
{
	double shared;
	int common;

	if (a->sample == NULL || b->sample == NULL ||
	    a->sample->n == 0 || b->sample->n == 0)
		return strcmp(a->part, b->part) == 0;
	shared = sketch_shared(a->sample, b->sample, &common);
	/* two samples of whole files count exactly; a true sample needs
	 * two common lines, so that one identical line split by tags
	 * does not make parts of one delivery into two deliveries */
	if (a->sample->n == SKETCH_K || b->sample->n == SKETCH_K)
		return common >= 2 && shared >= DELIVERY_SHARED;
	return common >= 1 && shared >= DELIVERY_SHARED;
}

int
delivery_newer(const struct delivery *a, const struct delivery *b)
{
	int c;

	/* the invoiced month is AWS's last word on it, whatever the
	 * as-of of each part (parts can be cut by time) */
	if (a->final != b->final)
		return a->final;
	c = strcmp(a->as_of, b->as_of);
	if (c != 0)
		return c > 0;
	return 1;	/* the same data: the one ingested last */
}

/* Does a's span of days hold all of b's? */
static int
covers(const struct delivery *a, const struct delivery *b)
{
	if (a->first_day[0] != '\0' && b->first_day[0] != '\0' &&
	    strcmp(b->first_day, a->first_day) < 0)
		return 0;
	return strcmp(b->as_of, a->as_of) <= 0;
}

enum delivery_verdict
delivery_decide(const struct delivery *mine, const struct delivery *earlier,
    size_t n, int *replace, size_t *newer)
{
	size_t i;
	int found = 0, repeats_active = 0;

	for (i = 0; i < n; i++) {
		replace[i] = 0;
		if (!delivery_repeats(mine, &earlier[i]))
			continue;
		if (!delivery_newer(mine, &earlier[i])) {
			if (!found || delivery_newer(&earlier[i],
			    &earlier[*newer]))
				*newer = i;
			found = 1;
		} else if (earlier[i].active) {
			replace[i] = 1;
			repeats_active = 1;
		}
	}
	if (found) {
		for (i = 0; i < n; i++)
			replace[i] = 0;
		return DELIVERY_OLDER;
	}
	if (!repeats_active)
		return DELIVERY_JOINS;
	/* a newer delivery: the older one goes in full, its parts that
	 * this file does not repeat too when their days lie within its
	 * own (the newer delivery holds those days already, or they were
	 * dropped from the month) */
	for (i = 0; i < n; i++)
		if (earlier[i].active && !replace[i] &&
		    covers(mine, &earlier[i]))
			replace[i] = 1;
	return DELIVERY_REPLACES;
}
