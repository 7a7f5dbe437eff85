/*
 * parquet.h - a Parquet file as the records a CSV of the same data holds.
 *
 * DuckDB (duck.h) decodes the file; this module turns each row into a
 * csv_record of text fields, header first, and hands them to the same
 * callback csvread calls, so detection, mapping, the store, the
 * inventory and the estimate are the CSV path's, and a Parquet file
 * and the CSV of the same data give the same totals by construction.
 *
 * The text of a value is what AWS's CSV of the same data holds:
 *   VARCHAR          as it is; NULL is an empty field
 *   DECIMAL          exact, with all of its scale ("0.1070000000")
 *   DOUBLE, FLOAT    the shortest text that reads back as the same
 *                    number, written without an exponent and with at
 *                    least 10 decimals, as legacy CUR's CSV writes
 *                    amounts ("0.1070000000", "0.0000001810"): a double
 *                    says nothing of the places it was written with,
 *                    and 1e-10 is what money_t keeps
 *   TIMESTAMP (any)  ISO 8601 UTC with milliseconds, as CUR 2.0's CSV
 *                    ("2026-10-01T00:00:00.000Z")
 *   DATE             "2026-10-01"
 *   MAP, STRUCT,     JSON text, as a JSON map in a CSV field
 *   LIST             ({"user_name":"web"}); format.c reads tag keys
 *                    from it as from the CSV
 *   anything else    DuckDB's own text for it
 *
 * Lines in errors count as in the CSV of the same data: the header is
 * line 1, the first row line 2.
 *
 * Memory: DuckDB streams the file one chunk (2,048 rows) at a time on one
 * thread under a memory limit (parquet.c says which); one record's
 * fields are kept at a time, within csvread's limits.
 */
#ifndef PILVI_PARQUET_H
#define PILVI_PARQUET_H

#include <stddef.h>

#include "csvread.h"
#include "error.h"

/* Do these first bytes of a file say Parquet ("PAR1")? */
int parquet_magic(const void *head, size_t n);

/*
 * Read the Parquet file at path (which DuckDB opens; display names it
 * in errors) and call fn for its header and then each row, as csvread
 * does. limits may be NULL for csvread's defaults. Returns 0, or -1
 * with err filled: kind PV_ERR_INPUT for a damaged file, a value over
 * the limits, or libduckdb missing (the message says how to add it);
 * when fn fails, its error stands.
 */
int parquet_read(const char *path, const char *display,
    const struct csvread_limits *limits, csvread_record_fn fn, void *ctx,
    struct pv_error *err);

/*
 * Write the text DuckDB gives a DOUBLE ("0.107", "1e-07", "146.0",
 * "-inf") as parquet_read hands it on: positional, with at least 10
 * decimals ("0.1070000000", "0.0000001000"). Text that is no finite
 * number is copied as it is. Returns the length written (out is
 * NUL-terminated), or 0 when it does not fit in n bytes. For tests.
 */
size_t parquet_double_text(const char *in, size_t len, char *out, size_t n);

#endif
