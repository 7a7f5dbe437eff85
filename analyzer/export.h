/*
 * export.h - the database as Hive-partitioned Parquet, for an engine
 * that queries many customers at once (DuckDB, Athena, Trino, Spark).
 *
 * Three datasets under one folder, each partitioned by payer and month
 * as payer_account=<id>/month=<YYYY-MM>/part-00000.parquet:
 *
 *   lines/    the normalized lines: a row per usage day and every
 *             dimension (cost_line of the counted deliveries, split
 *             per member account)
 *   daily/    a row per day, account, service, charge class, currency
 *   monthly/  the billing-spreadsheet feed's rows (report_feed()), the
 *             estimate rows included
 *
 * Columns are named as in the CSV feed where the feed has them; money is
 * DECIMAL(38,10), the store's exact units. The partition columns are not
 * repeated inside the files (engines take them from the path). Written
 * through libduckdb (duck.h) into a temporary folder beside the target,
 * which then takes the target's place: a failure leaves the earlier
 * export as it was. Memory stays bounded whatever the database's size:
 * the rows stream from SQLite through DuckDB into the files.
 */
#ifndef PILVI_EXPORT_H
#define PILVI_EXPORT_H

#include "error.h"
#include "report.h"
#include "store.h"

/* Rows per Parquet file at most, so that a file stays of the size the
 * engines read best (5,000,000 generated CUR lines make about 130 MB);
 * a payer-month with more lines gets part-00001.parquet and on. Memory
 * does not depend on it (export.c streams). */
#ifndef EXPORT_ROWS_PER_FILE
#define EXPORT_ROWS_PER_FILE 5000000
#endif

struct export_options {
	const char *payer;		/* NULL: every payer */
	const char *month;		/* NULL: every month */
	const char *account;		/* NULL: every account */
	long rows_per_file;		/* 0: EXPORT_ROWS_PER_FILE */
};

/* What was written, for the CLI's summary line. */
struct export_stats {
	unsigned long long rows[3];	/* lines, daily, monthly */
	unsigned long files;		/* Parquet files */
	unsigned long partitions;	/* payer-months */
};

/*
 * Write the export of st (the lines and daily rows, read from it) and r
 * (the feed's rows, report_build() with the same payer, month and
 * account) to dir, replacing an earlier export there. dir must not
 * exist, or be empty, or hold an export (its _pilvi_export file):
 * anything else is refused rather than replaced. Returns 0, or -1 with
 * err filled: PV_ERR_INPUT when libduckdb is missing or dir is not
 * ours to replace, PV_ERR_FATAL when writing failed.
 */
int export_parquet(struct store *st, const struct report *r,
    const struct export_options *o, const char *dir,
    struct export_stats *stats, struct pv_error *err);

#endif
