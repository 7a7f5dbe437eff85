/*
 * lineset.h - the lines a file has shown so far, to leave out repeats.
 *
 * A botched re-export or two copies of one file concatenated repeat
 * line items; counted, they double a bill without a word. A line is
 * known by its own id where the format has one (CUR's LineItemId with
 * its usage interval, a DBR's RecordId), else by all of its fields. The
 * set keeps a 64-bit hash per line; two different lines share a hash
 * with a chance of about n^2 / 2^65 (5e-6 for ten million lines).
 *
 * Memory is what bounds a big file's ingest (bench/README.md): the top
 * LINESET_SHARD_BITS of a hash pick one of 65,536 small sorted arrays
 * and only the other 48 bits are stored: 6 bytes a line, about 8 with
 * the arrays' slack and the allocator's share (five million lines: 38
 * MiB), and no table to double and rehash (an open-addressing table of
 * the whole hashes peaked at 95 MiB there). The price is time: an add
 * misses the cache twice (the array's place, then the array) where the
 * table missed it once; bench/README.md has the figures.
 */
#ifndef PILVI_LINESET_H
#define PILVI_LINESET_H

#include <stddef.h>
#include <stdint.h>

#include "csvread.h"
#include "format.h"

#define LINESET_SHARD_BITS	16

struct lineset_shard {
	unsigned char *v;	/* n 48-bit values, 6 bytes each, ascending */
	uint32_t n, cap;
};

struct lineset {
	struct lineset_shard *shard;	/* 1 << LINESET_SHARD_BITS, or
					 * NULL before the first line */
	size_t n;			/* lines in the set */
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
