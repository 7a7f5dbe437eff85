/*
 * delivery.h - which deliveries of a month count, decided from their
 * content.
 *
 * AWS delivers a month many times while it is open, and once more when
 * it is invoiced; each delivery holds the month to date, in one file or
 * in parts, and customers rename files. A file's payer-month is compared
 * with the earlier files of the same payer, month and report family:
 *
 *  - it repeats lines of one of them (their samples share at least
 *    DELIVERY_SHARED of the smaller file's lines): the two are
 *    deliveries of the same data, and the newer stands. Newer: an
 *    invoiced month over an open one; then the one whose data reaches
 *    later (as-of, the end of its latest hourly or daily line); then
 *    the one ingested last. A newer file replaces the active files it repeats
 *    and every active file whose days it covers (an older delivery's
 *    other parts, even re-cut differently); an older file is kept
 *    aside and the newer one named;
 *  - it repeats none of the active files: it is another part of the
 *    delivery that is active, and counts beside it.
 *
 * What content cannot tell: the parts of an open month's delivery cut
 * by time (days 1-10, 11-20, ...) arriving after an open delivery that
 * reaches further than the first part: that part reads as older and is
 * kept aside (and said so). An invoiced delivery replaces every open
 * one, cut however it is.
 *
 * Files without a sample (ingested before the samples existed, or with
 * no line in that month) repeat each other when their file-name part
 * numbers are equal, as before.
 */
#ifndef PILVI_DELIVERY_H
#define PILVI_DELIVERY_H

#include <stddef.h>

#include "sketch.h"

/* Two in a hundred: the parts of one delivery share no line, save
 * identical lines split by tags (rare, and never this many); a
 * re-delivery shares at least its days before the cut with every part
 * of the newer one, which is a share of 1/parts or of the days covered,
 * whichever is more (a single day of a month in 40 parts: 3 %). */
#define DELIVERY_SHARED	0.02

struct delivery {
	long long file_id;
	int active;		/* counted now */
	const char *as_of;	/* ISO 8601 end of its latest hourly or daily
				 * line, else of any line; "" unknown */
	const char *first_day;	/* YYYY-MM-DD; "" unknown */
	int final;		/* the month is invoiced */
	const char *part;	/* file-name part number; "" none */
	const struct sketch *sample;	/* sorted; NULL when none */
};

enum delivery_verdict {
	DELIVERY_JOINS,		/* another part: counts beside the others */
	DELIVERY_REPLACES,	/* a newer delivery: replaces *replace */
	DELIVERY_OLDER		/* repeats a newer delivery: kept aside */
};

/*
 * Does file a repeat lines of file b (1) or not (0)?
 */
int delivery_repeats(const struct delivery *a, const struct delivery *b);

/*
 * Is a newer than b (1) or not (0)? b is taken to be ingested first.
 */
int delivery_newer(const struct delivery *a, const struct delivery *b);

/*
 * The verdict on `mine` against the n earlier deliveries of its
 * payer-month and family. replace[i] is set to 1 for each earlier one
 * it replaces (DELIVERY_REPLACES), else 0; *newer to the index of the
 * newest it repeats (DELIVERY_OLDER).
 */
enum delivery_verdict delivery_decide(const struct delivery *mine,
    const struct delivery *earlier, size_t n, int *replace, size_t *newer);

#endif
