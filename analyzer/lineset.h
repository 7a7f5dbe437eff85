/*
 * lineset.h - the lines a file has shown so far, to leave out repeats.
 *
 * A botched re-export or two copies of one file concatenated repeat
 * line items; counted, they double a bill without a word. A line is
 * known by its own id where the format has one (CUR's LineItemId with
 * its usage interval, a DBR's RecordId), else by all of its fields. The
 * set keeps a 64-bit hash per line (about 11 bytes a line); two
 * different lines share a hash with a chance of about n^2 / 2^65
 * (5e-6 for ten million lines).
 */
#ifndef PILVI_LINESET_H
#define PILVI_LINESET_H

#include <stddef.h>
#include <stdint.h>

#include "csvread.h"
#include "format.h"

struct lineset {
	uint64_t *slot;		/* 0: empty */
	size_t cap, n;		/* cap a power of two */
};

void lineset_init(struct lineset *s);
void lineset_release(struct lineset *s);

/* The identity of a record: its line id and usage interval when
 * with_id, else every field of the record. */
uint64_t lineset_key(const struct csv_record *rec,
    const struct format_row *row, int with_id);

/* Add key; returns 1 when it was there already (a repeat), 0 when new. */
int lineset_add(struct lineset *s, uint64_t key);

#endif
