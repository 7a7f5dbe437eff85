/*
 * store.h - the SQLite database: schema and migrations, the file
 * registry, and the per-file transaction that line items stream into.
 *
 * Line items are summed in memory per usage day and dimension (account,
 * service, usage type, operation, location, resource, line type, class)
 * and written in batches, so memory stays bounded by the number of
 * distinct keys in one batch and the number of distinct strings.
 */
#ifndef PILVI_STORE_H
#define PILVI_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "charge.h"
#include "error.h"

struct store;

/* How long a write waits for another process's write to commit (an
 * ingest holds the lock for the whole of its file). */
#define STORE_BUSY_MS	(10 * 60 * 1000)

/*
 * Open (creating when needed) the database at path; NULL means a private
 * in-memory database. Applies pending migrations. A database made by a
 * newer build is refused. Returns 0 and *out, or -1 (PV_ERR_FATAL).
 */
int store_open(struct store **out, const char *path, struct pv_error *err);
void store_close(struct store *st);

/* The connection, for read-only queries by inventory and report code. */
sqlite3 *store_db(struct store *st);

/* Before queries that name services per line: fills temp.service_ident
 * (service, code, name, unknown) from the service_identity view, which
 * costs three look-ups and a GLOB per row it is joined to. Call it again
 * after an ingest on the same connection. Returns 0 or -1. */
int store_prepare_reading(struct store *st, struct pv_error *err);

/* Number of migrations this build knows (= PRAGMA user_version after
 * store_open). */
int store_schema_version(void);

/* Start ingesting a file: BEGIN IMMEDIATE and a provisional registry
 * row. Returns 0 or -1. */
int store_begin_file(struct store *st, const char *name,
    struct pv_error *err);

/* Add one line item to the current file. Its period must be known. */
int store_add_charge(struct store *st, const struct charge *c,
    struct pv_error *err);

/* One payer-month of the file being committed. */
struct store_period {
	char payer[64];
	char period[8];			/* YYYY-MM */
	char first_day[11], last_day[11];
	char last_end[21];		/* ISO 8601, exclusive */
	char usage_end[21];		/* end of hourly/daily lines; "" none */
	char currency[8];
	int places;			/* decimals the costs were written with */
	int estimated;
	long rows;
	int has_payer_view, has_linked_view;
	int has_statement;
	money_t statement_total;
	const unsigned char *sample;	/* sketch_encode() of its lines */
	size_t sample_len;		/* 0: no line */
};

struct store_total {
	const char *kind;		/* "statement", "invoice", "account" */
	char payer[64];
	char period[8];
	char account[64];
	char invoice_id[64];
	money_t amount;
};

/* An account id damaged by a spreadsheet, and the full id recovered. */
struct store_account_fix {
	char damaged[64];
	char full[64];
};

/* Cost carried by one tag key in one account's month. */
struct store_tag_usage {
	char payer[64];
	char period[8];
	char account[64];
	const char *key;
	int view;			/* enum charge_view of the lines */
	money_t cost;
	long lines;
};

/* Lines the move checklist reads (schema/009-move.sql, move_line). */
struct store_move_line {
	char payer[64];
	char period[8];
	char account[64];
	int view;			/* enum charge_view of the lines */
	const char *kind, *cls, *ref, *name, *end_time, *line_type;
	const char *currency;
	char first_day[11], last_day[11];	/* "" when undated */
	money_t cost;
	long lines;
};

struct store_file_meta {
	const char *sha256;		/* hex */
	uint64_t size;
	const char *container;
	const char *format;
	const char *cost_basis;		/* format_cost_basis() */
	int detail_rank;
	const char *part;
	const char *payer;
	const char *period;
	long rows;
	const char *warnings;		/* newline-separated */
	const struct store_period *periods;
	size_t nperiods;
	const struct store_total *totals;
	size_t ntotals;
	const struct store_account_fix *fixes;
	size_t nfixes;
	const struct store_tag_usage *tags;
	size_t ntags;
	const struct store_move_line *moves;
	size_t nmoves;
	/* the e-mail it came in, when it did (NULL otherwise) */
	const char *mail_from, *mail_subject, *mail_message_id, *mail_date;
};

/*
 * The id of an ingested file ('ok' or 'replaced') with these raw bytes,
 * other than the one being ingested: returns 1 and sets *id and *name
 * (caller frees), 0 when there is none, -1 on error.
 */
int store_find_sha256(struct store *st, const char *sha256, long long *id,
    char **name, struct pv_error *err);

/* What committing a file did to the deliveries before it. */
struct store_commit {
	long replaced;			/* earlier payer-months it replaced */
	long kept_aside;		/* its payer-months a newer delivery
					 * already holds: stored, not counted */
	long long newer_file;		/* that delivery (the last one met) */
	int newer_invoiced;		/* ... newer as it holds the invoiced
					 * month, this file an open one */
};

/*
 * Finish the current file: flush, record periods and totals, apply
 * account fixes, settle each payer-month against the earlier
 * deliveries of its family (delivery.h), COMMIT. A payer-month whose active delivery of that
 * key reaches later (its hourly lines, else its lines, end later) is not
 * replaced: the new file's month is kept aside instead, and when no
 * month of it is left active the file is marked replaced by the newer
 * one. *file_id is the new id, *c what it did. On failure everything of
 * the file is rolled back.
 */
int store_commit_file(struct store *st, const struct store_file_meta *m,
    long long *file_id, struct store_commit *c, struct pv_error *err);

/* Abandon the current file: ROLLBACK, the database is as it was. */
void store_rollback_file(struct store *st);

#endif
