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
 * table missed it once (bench/README.md has the figures), paid back in
 * part by lineset_add_batch, which overlaps the misses of many adds.
 */
#ifndef PILVI_LINESET_H
#define PILVI_LINESET_H

#include <stddef.h>
#include <stdint.h>

#include "csvread.h"
#include "datetime.h"
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

/* Add key; returns 1 when it was there already (a repeat), 0 when new. */
int lineset_add(struct lineset *s, uint64_t key);
/* Add keys[0..n) in order, as lineset_add would one by one: repeat[i]
 * is what it returns for keys[i]. Faster than one by one: the cache
 * misses of the keys overlap. */
void lineset_add_batch(struct lineset *s, const uint64_t *keys, size_t n,
    unsigned char *repeat);

/*
 * Repeats found as the records are read: the reading thread calls
 * lineset_mark on every batch of records (readahead.h's mark function),
 * so the set costs the thread that maps and stores the lines nothing
 * (it was a tenth of that thread's time, and that thread is the
 * ingest's bottleneck), and a batch's lookups overlap. A member's first
 * record other than a disclaimer is its header, which says the format
 * and so the identity columns; a record is marked a repeat when its
 * identity is in the set already. A line that has an id column but no
 * id is not looked up (nothing to match); a hand-made service list is
 * not checked. Which marked records count as repeats (only charge
 * lines) is the ingest's to decide.
 */
struct lineset_marker {
	struct lineset seen;
	const char *display;	/* for format_detect */
	pv_time now;
	int header;		/* the member's header is read */
	int check;		/* the member's lines are checked */
	struct format *fmt;	/* the member's, for its line ids */
	size_t nfields;		/* the header's */
	int cols[FORMAT_IDENTITY_MAX], ncols;
	unsigned char *bytes;	/* the identities of the records at hand */
	size_t nbytes, bytes_cap;
};

void lineset_marker_init(struct lineset_marker *m, const char *display,
    pv_time now);
void lineset_marker_release(struct lineset_marker *m);
/* marks[i] = 1 when recs[i] repeats an earlier record of the file, else
 * 0; member_start: recs[0] is a member's first record. */
void lineset_mark(void *marker, const struct csv_record *recs, size_t n,
    int member_start, unsigned char *marks);

#endif
