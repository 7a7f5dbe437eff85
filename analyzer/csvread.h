/*
 * csvread.h - a push CSV reader that knows line numbers.
 *
 * Feed it buffers of any size; for every record it calls back with the
 * fields as (pointer, length) pairs and the line where the record began.
 * It strips a UTF-8 byte order mark, takes CRLF or LF, quoted commas,
 * quotes and newlines, and empty fields quoted or not. It refuses input
 * that is not UTF-8 CSV text (UTF-16, NUL bytes, invalid UTF-8) and
 * records beyond the limits, so memory stays bounded whatever it is fed.
 */
#ifndef PILVI_CSVREAD_H
#define PILVI_CSVREAD_H

#include <stddef.h>

#include "error.h"

struct csv_field {
	const char *ptr;	/* NUL-terminated; valid during the callback */
	size_t len;
};

/* A record's fields lie one after another in one block, each followed by
 * its NUL: fields[i + 1].ptr == fields[i].ptr + fields[i].len + 1. */
struct csv_record {
	const struct csv_field *fields;
	size_t nfields;
	long line;		/* line where the record starts, 1-based */
};

/* Called once per record. Return 0 to go on, -1 (with err filled) to
 * stop; the feed call then returns -1. */
typedef int (*csvread_record_fn)(void *ctx, const struct csv_record *rec,
    struct pv_error *err);

struct csvread_limits {
	size_t max_field;	/* bytes in one field */
	size_t max_fields;	/* fields in one record */
	size_t max_record;	/* bytes in one record */
};

/* 1 MiB per field, 20 000 fields, 16 MiB per record. */
void csvread_limits_default(struct csvread_limits *l);

struct csvread;

/* New reader; display names the input in errors (copied). limits may be
 * NULL for the defaults. Free with csvread_free. */
struct csvread *csvread_new(const char *display,
    const struct csvread_limits *limits, csvread_record_fn fn, void *ctx);

/* Parse n more bytes. Returns 0, or -1 with err filled. */
int csvread_feed(struct csvread *r, const void *buf, size_t n,
    struct pv_error *err);

/* End of input: deliver a last record without a final newline; an open
 * quote is an error. Returns 0 or -1. */
int csvread_finish(struct csvread *r, struct pv_error *err);

/* Number of records delivered so far. */
long csvread_records(const struct csvread *r);

void csvread_free(struct csvread *r);

#endif
