/*
 * readahead.h - a source read on a second thread.
 *
 * Reading, decompressing and hashing an input (source.c) and parsing it
 * (csvread, format, store) each take a core's worth of work on a large
 * file. A readahead runs the source on its own thread and hands the
 * caller the bytes through a small bounded queue, so the two overlap;
 * memory stays at a few blocks whatever the input's size. The calls
 * mirror source.h, and the results are the same byte for byte.
 *
 * It can also parse: in CSV mode each wanted member goes through csvread
 * on the reading thread too, and the caller takes batches of records
 * instead of bytes, so that decompression and tokenizing share one core
 * and the caller's core is left for the rows themselves.
 *
 * The source must not be touched by the caller once it is handed over.
 */
#ifndef PILVI_READAHEAD_H
#define PILVI_READAHEAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "csvread.h"
#include "error.h"
#include "source.h"

struct readahead;

/* CSV mode hands the records over in batches: a batch goes once it
 * holds this many field bytes (each field's NUL counted), fields or
 * records; it can pass them by one record (up to csvread's 16 MiB). */
#define READAHEAD_BATCH_BYTES	(128 * 1024)
#define READAHEAD_BATCH_FIELDS	(32 * 1024)
#define READAHEAD_BATCH_RECORDS	1024

/* Is this member to be read? Members it declines are passed without
 * their bytes being decompressed (called on the reading thread). */
typedef int (*readahead_want_fn)(enum source_container c, const char *name);

/* CSV mode: called on the reading thread for every batch in order, as
 * it is handed over, member_start set when recs[0] is a member's first;
 * it sets marks[i] (0-255), recs[i]'s mark (readahead_marks). A batch at
 * a time, so that it can look the records up together (lineset.h). */
typedef void (*readahead_mark_fn)(void *ctx, const struct csv_record *recs,
    size_t n, int member_start, unsigned char *marks);

struct readahead_options {
	readahead_want_fn want;	/* NULL: every member */
	/* CSV mode when set (readahead_records, not readahead_read): CSV
	 * errors name csv_display, "csv_display(member)" for an
	 * archive's members, and the line */
	const char *csv_display;
	readahead_mark_fn mark;	/* CSV mode: NULL, or marks the records,
				 * with mark_ctx, used on the reading
				 * thread only until readahead_free */
	void *mark_ctx;
	/* 1: the reading thread and the caller take turns (one core);
	 * more: the reader works ahead while the caller works */
	int jobs;
};

/*
 * Start reading src (from source_open) on a new thread, as o says. The
 * readahead owns src from here on, also when it fails. Returns 0, or -1
 * with err (the thread could not be started).
 */
int readahead_start(struct readahead **out, struct source *src,
    const struct readahead_options *o, struct pv_error *err);

/* The next member, as source_next; *wanted says whether want() took it
 * (its bytes then follow). A member's unread bytes are skipped. */
int readahead_next(struct readahead *ra, const char **name, int *wanted,
    struct pv_error *err);

/* The next block of the current member: returns its length and sets
 * *data (valid until the next call), 0 at the member's end, -1 on error. */
ssize_t readahead_read(struct readahead *ra, const void **data,
    struct pv_error *err);

/* CSV mode: the next batch of the current member's records, in order.
 * Returns how many and sets *recs (valid until the next call), 0 at the
 * member's end, -1 on error (the source's, or the CSV's with its line).
 * Records before an error come first; an error ends the whole input, as
 * in byte mode: no later member, no digest. */
ssize_t readahead_records(struct readahead *ra,
    const struct csv_record **recs, struct pv_error *err);

/* The marks of the records readahead_records returned last, one per
 * record; NULL without a mark function. */
const unsigned char *readahead_marks(const struct readahead *ra);

/* After the last member: the SHA-256 and size of the raw input, as
 * source_finish. */
int readahead_finish(struct readahead *ra, unsigned char sha256[32],
    uint64_t *raw_bytes, struct pv_error *err);

enum source_container readahead_container(const struct readahead *ra);
/* For progress reports, as source_raw_consumed and source_raw_size. */
uint64_t readahead_raw_consumed(struct readahead *ra);
uint64_t readahead_raw_size(const struct readahead *ra);

/* Stop the thread, free the source and ra; NULL is fine. */
void readahead_free(struct readahead *ra);

#endif
