/*
 * ingest.h - the pipeline for one input file:
 *   source -> csvread -> format -> charge -> store
 * in one transaction: the file goes in whole or not at all. With no
 * store it only reads and totals (the check command).
 */
#ifndef PILVI_INGEST_H
#define PILVI_INGEST_H

#include <stdint.h>

#include "charge.h"
#include "error.h"
#include "source.h"
#include "store.h"

/* What one file says about one payer's month. */
struct ingest_period {
	char payer[64];
	char period[8];			/* YYYY-MM */
	int first_day, last_day;	/* days since 1970; -1 none */
	pv_time last_end;		/* latest usage end (exclusive); -1 */
	pv_time usage_end;		/* ... of hourly and daily lines; -1 */
	char currency[8];
	int places;			/* decimals the costs were written with */
	int estimated;			/* 1 open month, 0 final */
	long rows;
	/* sums[view][class]; see charge_view */
	money_t sums[3][CHARGE_NCLASS];
	int has_payer_view, has_linked_view;
	int has_statement;		/* StatementTotal seen */
	money_t statement;
	int ninvoice_totals;		/* InvoiceTotal rows seen */
	money_t invoice_totals;
	size_t slot;			/* where the ingest keeps its state for
					 * it (the order it was first met) */
};

/* Sum of class c as the invoice sees it (never both monthly views). */
money_t ingest_period_class(const struct ingest_period *p,
    enum charge_class c);
/* All classes: the period's total. Returns 0, or -1 on overflow. */
int ingest_period_total(const struct ingest_period *p, money_t *out);
/* The file's own total: StatementTotal, else the InvoiceTotal sum.
 * Returns 1 and sets *out, 0 when the file has no total rows. */
int ingest_period_statement(const struct ingest_period *p, money_t *out);

enum ingest_status {
	INGEST_OK,		/* stored (or, for check, read) */
	INGEST_DUPLICATE	/* the same bytes were ingested before */
};

struct ingest_result {
	enum ingest_status status;
	char format[32];
	char container[16];
	char sha256[65];
	uint64_t size;
	long rows;
	long long file_id;
	long replaced;			/* earlier payer-months replaced */
	long kept_aside;		/* its payer-months a newer delivery
					 * holds: stored, not counted */
	long long newer_file;		/* that delivery's file id */
	int newer_invoiced;		/* it is the invoiced month */
	long long duplicate_of;
	char *duplicate_name;
	struct ingest_period *periods;	/* sorted by payer, period */
	size_t nperiods;
	char **warnings;
	size_t nwarnings;
	long more_warnings;		/* warnings beyond the kept ones */
};

void ingest_result_release(struct ingest_result *r);

/* Where a file came from when it arrived by e-mail (all may be NULL). */
struct ingest_origin {
	const char *from, *subject, *message_id, *date;
	const char *name;	/* the name to register instead of the path */
};

struct ingest_options {
	struct source_limits limits;
	const struct ingest_origin *origin;	/* NULL: not by e-mail */
	/* The name to show in errors and register instead of the path
	 * (an archive member of a delivery, read from a temporary copy);
	 * NULL: the path. origin->name wins for the register. */
	const char *name;
	/* Called every 65,536 rows while reading: raw bytes read, the
	 * input's size (0 when unknown) and rows so far. */
	void (*progress)(void *ctx, uint64_t done, uint64_t total,
	    uint64_t rows);
	void *progress_ctx;
	/* Threads that read one file: 1, the reading (inflate, SHA-256,
	 * CSV, repeated lines) and the mapping and storing take turns; 2
	 * or more, they overlap. A third is not used yet (README.md,
	 * "Big files"). */
	int jobs;
};

/* The defaults: source limits as source_limits_set_default left them,
 * jobs as ingest_set_default_jobs did (0: the cores available). */
void ingest_options_default(struct ingest_options *o);
void ingest_set_default_jobs(int jobs);

/*
 * Read path ("-": stdin) and, when st is not NULL, store it in one
 * transaction. Returns 0 with *res filled (res->status says whether it
 * was a duplicate), or -1 with err filled; then the database is as it
 * was. err->kind says whether the file was bad (PV_ERR_INPUT) or the run
 * cannot go on (PV_ERR_FATAL). Release *res in both cases.
 */
int ingest_file(struct store *st, const char *path,
    const struct ingest_options *o, struct ingest_result *res,
    struct pv_error *err);

#endif
