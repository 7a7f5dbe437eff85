/*
 * fuzz_format.c - format detection and row mapping (format.c): the
 * input parsed as CSV, its first record taken as a header and every
 * later one mapped. Checks that a mapped row keeps its promises: a
 * known kind, at most four charges, classes in range.
 */
#include <stdlib.h>

#include "csvread.h"
#include "format.h"
#include "fuzz.h"

struct state {
	struct format *fmt;
	int refused;
};

static int
on_record(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	struct state *s = ctx;
	struct format_row row;
	int i;

	if (s->refused || format_is_disclaimer(rec))
		return 0;
	if (s->fmt == NULL) {
		if (format_detect(&s->fmt, rec, "input", 1790000000, err) != 0)
			s->refused = 1;
		return 0;
	}
	if (format_map(s->fmt, rec, &row, err) != 0)
		return 0;	/* a bad row is an error, not a crash */
	if (row.nch < 0 || row.nch > 4 || row.ntags < 0 ||
	    row.ntags > FORMAT_MAX_TAGS)
		abort();
	for (i = 0; i < row.nch; i++)
		if ((unsigned)row.ch[i].cls >= CHARGE_NCLASS)
			abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state s = { NULL, 0 };
	struct csvread *r = csvread_new("input", NULL, on_record, &s);
	struct pv_error err;

	if (csvread_feed(r, data, size, &err) == 0)
		csvread_finish(r, &err);
	csvread_free(r);
	format_free(s.fmt);
	return 0;
}
