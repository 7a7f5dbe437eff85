/*
 * fuzz_csv.c - the CSV reader (csvread.c): the input fed in pieces whose
 * size the first byte chooses, with small limits. Checks what csvread.h
 * promises of every record: fields NUL-terminated, one after another,
 * within the limits, lines never going back.
 */
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "fuzz.h"

struct state {
	long last_line;
	const struct csvread_limits *lim;
};

static int
on_record(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	struct state *s = ctx;
	size_t i;

	(void)err;
	if (rec->line < s->last_line || rec->nfields == 0 ||
	    rec->nfields > s->lim->max_fields)
		abort();
	s->last_line = rec->line;
	for (i = 0; i < rec->nfields; i++) {
		if (rec->fields[i].ptr[rec->fields[i].len] != '\0' ||
		    rec->fields[i].len > s->lim->max_field)
			abort();
		if (i > 0 && rec->fields[i].ptr != rec->fields[i - 1].ptr +
		    rec->fields[i - 1].len + 1)
			abort();
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csvread_limits lim = { 4096, 256, 65536 };
	struct state s = { 1, &lim };
	struct csvread *r;
	struct pv_error err;
	size_t chunk, off = 0;

	if (size == 0)
		return 0;
	chunk = data[0] % 16 == 0 ? size : data[0] % 16;
	data++;
	size--;
	r = csvread_new("input", &lim, on_record, &s);
	while (off < size) {
		size_t k = size - off < chunk ? size - off : chunk;

		if (csvread_feed(r, data + off, k, &err) != 0)
			break;
		off += k;
	}
	if (off == size)
		csvread_finish(r, &err);
	csvread_free(r);
	return 0;
}
