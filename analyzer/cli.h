/*
 * cli.h - the commands behind main.c: each takes parsed options, runs
 * the core, prints results and errors, and returns the exit status
 * (DESIGN.md): 0 all good, 1 some input rejected, 2 usage, 3 fatal.
 */
#ifndef PILVI_CLI_H
#define PILVI_CLI_H

#include <stddef.h>
#include <stdint.h>

enum {
	EXIT_OK = 0,
	EXIT_REJECTED = 1,
	EXIT_USAGE = 2,
	EXIT_FATAL = 3
};

struct cli_options {
	const char *db;			/* NULL: in-memory (report FILE...) */
	int quiet;			/* only errors */
	int verbose;
	const char *format;		/* --format: the command's own list
					 * (main.c commands[]), "text" when
					 * it has none */
	const char *output;		/* report: -o FILE, NULL for stdout */
	const char *payer;		/* report: --payer */
	const char *month;		/* report: --month */
	const char *account;		/* inventory: --account */
	const char *catalog;		/* --catalog FILE: Pilvi's service list */
	const char *pricing;		/* --pricing FILE: Pilvi's pricing rules */
	int threshold_pct;		/* inventory: --threshold */
	int backtest;			/* estimate: --backtest */
	const char *customer;		/* report, export: --customer NAME */
	const char *customer_id;	/* export: --customer-id ID */
	int dry_run;			/* drop: --dry-run */
	int wait;			/* drop: --wait */
	int settle_seconds;		/* drop: --settle; -1 for the default */
};

/* The progress line for an input: "reading NAME: 45% (450 of 1000 MB),
 * 1234567 rows, 95 MB/s", without the percentage when total is 0 (a
 * pipe). done and total are raw bytes, secs the time so far. It fits
 * in n - 1 characters (pass the terminal's width): a long name loses
 * its middle to "...", the figures stay. */
void cli_progress_line(char *buf, size_t n, const char *name, uint64_t done,
    uint64_t total, uint64_t rows, double secs);

int cli_ingest(const struct cli_options *o, char **files, int nfiles);
int cli_check(const struct cli_options *o, char **files, int nfiles);
int cli_files(const struct cli_options *o);
int cli_report(const struct cli_options *o, char **files, int nfiles);
int cli_inventory(const struct cli_options *o);
int cli_estimate(const struct cli_options *o);
int cli_export(const struct cli_options *o);
int cli_drop(const struct cli_options *o, const char *dir);

#endif
