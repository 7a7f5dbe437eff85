/*
 * sketch.h - which lines two deliveries of a month share, without
 * keeping the lines.
 *
 * A month may come as one file or as parts, and again as a newer
 * delivery under another name or cut into another number of parts.
 * Whether a file repeats lines of another (a re-delivery) or holds
 * lines of its own (another part of the same delivery) is read from
 * the content: each line's identity (account, time, service, usage
 * type, operation, resource, line type, region) is hashed, and the
 * file keeps the SKETCH_K smallest distinct hashes of each payer-month
 * (a bottom-k sample). Two samples of the same hashing are comparable:
 * under the smaller of their two thresholds both are uniform samples at
 * the same rate, so the share of common hashes there estimates the
 * share of lines the two files have in common.
 */
#ifndef PILVI_SKETCH_H
#define PILVI_SKETCH_H

#include <stddef.h>
#include <stdint.h>

#include "charge.h"

/* 1,024 hashes (8 KiB a payer-month): a file of up to 1,024 distinct
 * lines is kept whole; a one-day file against a month of a million
 * lines still has about 30 of its lines in the common range. */
#define SKETCH_K	1024

struct sketch {
	uint64_t h[SKETCH_K];	/* a max-heap while adding; sorted once
				 * encoded or decoded */
	int n;
};

void sketch_init(struct sketch *s);

/* The identity hash of a line: what was used, when, where; not what
 * it cost (a newer delivery may restate the cost of the same use). */
uint64_t sketch_line_hash(const struct charge *c);

/* Add a hash (duplicates count once). */
void sketch_add(struct sketch *s, uint64_t h);

/* Lines waiting for their hashes, made together when they are flushed
 * into their samples: faster than one by one (hash64_many; one by one,
 * sketch_line_hash was 5 % of a DBR-RT ingest's samples). */
struct sketch_pending {
	unsigned char *bytes;	/* each line's identity, back to back */
	size_t nbytes, bytes_cap;
	size_t *ends;		/* where each line's identity ends */
	size_t *to;		/* the sample each line goes to */
	uint64_t *hashes;	/* scratch for the flush */
	size_t n, cap;
};

void sketch_pending_init(struct sketch_pending *q);
void sketch_pending_release(struct sketch_pending *q);
/* Keep c's identity (a copy: c may go) for samples[to] at the flush. */
void sketch_pending_add(struct sketch_pending *q, const struct charge *c,
    size_t to);
/* sketch_add each line's sketch_line_hash to its sample; q is empty
 * after. */
void sketch_pending_flush(struct sketch_pending *q, struct sketch *samples);

/* The sample as bytes (8 per hash, big-endian, ascending): *len is set,
 * the caller frees the result; NULL with *len 0 for an empty sketch.
 * Sorts s. */
unsigned char *sketch_encode(struct sketch *s, size_t *len);

/* Read bytes written by sketch_encode into *out. Returns 0, or -1 when
 * the bytes are not a sample (a length not a multiple of 8, too long,
 * not ascending). */
int sketch_decode(const void *p, size_t len, struct sketch *out);

/*
 * The share of the smaller file's lines that the other file holds too,
 * estimated from both samples (sorted, as sketch_encode or
 * sketch_decode leave them), 0..1; *common is set to the number of
 * common hashes the estimate rests on. Returns -1 when either sample is
 * empty.
 */
double sketch_shared(const struct sketch *a, const struct sketch *b,
    int *common);

#endif
