/*
 * report.h - the report model: built once from the store, then handed
 * to report_document.c (the one walk that decides what the text,
 * Markdown and HTML reports say) and to the contracts of their own
 * (report_json.c, report_csv.c, report_xlsx.c through report_feed.c),
 * which only format it, so every format says the same numbers.
 */
#ifndef PILVI_REPORT_H
#define PILVI_REPORT_H

#include <stdio.h>

#include "charge.h"
#include "error.h"
#include "estimate.h"
#include "inventory.h"
#include "store.h"

struct budget;				/* budget.h */
struct checklist;			/* checklist.h */

struct report_file {
	long long id;
	char *name, *sha256, *container, *format, *payer, *period;
	char *status, *ingested_at;
	char *cost_basis;		/* "unblended", "blended", "billed", "" */
	char *mail_from, *mail_subject;	/* the e-mail it came in; NULL */
	unsigned long long size;
	long rows;
	long long replaced_by;		/* 0: not replaced */
	char **warnings;
	size_t nwarnings;
};

struct report_period {
	char *payer, *period;
	char *format;			/* the family that is counted */
	char *currency;
	int places;			/* decimals to print money with */
	int estimated;			/* 1 open month, 0 final */
	char *first_day, *last_day;	/* NULL when unknown */
	int days_covered;
	char *as_of;			/* where the hourly and daily lines end
					 * (exclusive), "YYYY-MM-DDTHH:MM:SSZ";
					 * NULL when only month-long lines */
	money_t total;
	money_t by_class[CHARGE_NCLASS];
	int has_statement;
	money_t statement;
	int reconciled;			/* 1, 0, or -1 when not possible */
	money_t difference;		/* total - statement, when not reconciled */
	char **notes;			/* e.g. a less detailed family not counted */
	size_t nnotes;
	/* coverage: the inventory's services against the period's usage,
	 * fees and discounts (only for periods the inventory lists) */
	int has_coverage;
	money_t services;		/* the inventory's sum for the period */
	money_t serviced;		/* usage + fee + discount of the period */
	int coverage_bp;		/* services / serviced, 1/100 % */
};

/* Cost of one payer, account, month, service and charge class: the
 * month-by-month section and the spreadsheet feed. */
struct report_line {
	char *payer, *account, *account_name, *period;
	char *service_code, *service_name;
	const char *cls;		/* charge_class_name() */
	const char *support;		/* Pilvi's catalog: "supported",
					 * "unsupported", "unknown"; NULL for a
					 * line of no service ("(none)") */
	char *currency;
	money_t cost;
};

/* One cell of the month-by-month tables. */
struct report_cell {
	money_t cost;
	int state;			/* 0 no line, 1 a sum, 2 the sum overflowed */
};

/* Month by month for one account: each service's cost per month, all
 * charges but tax; the last row is the account's total. */
struct report_month_account {
	char *payer, *account, *account_name, *currency;
	char **months;			/* the payer's months, sorted */
	size_t nmonths;
	char **services;		/* sorted */
	size_t nservices;
	struct report_cell *cells;	/* [(nservices + 1) * nmonths] */
};

/* Daily usage of the estimated month by its top services, and the
 * estimate's projection for the days not yet seen: the daily chart. */
#define REPORT_TOP_SERVICES 8

struct report_daily {
	char *payer, *period;
	int ndays;			/* days in the month */
	int observed;			/* days 1..observed hold data */
	char *services[REPORT_TOP_SERVICES + 1];	/* the last: "other" */
	int nservices;
	money_t *cost;			/* [ndays][nservices] */
	money_t *projected;		/* [ndays]: 0 up to observed */
};

/* An account the report speaks of, with its name where a file gives one
 * (LinkedAccountName, PayerAccountName, line_item_usage_account_name...). */
struct report_account {
	char *id;
	char *name;			/* NULL when no file names it */
};

/* Whom a payer's rows belong to in the feed (the drop folder's
 * customers.csv); a payer not listed gets the report's customer. */
struct report_customer {
	char *payer;
	char *id, *name;		/* "" when not known */
};

struct report {
	char generated_at[21];
	char *customer;			/* --customer label, or NULL */
	char *customer_id;		/* --customer-id, or NULL */
	char *account;			/* the --account the lines are of, or
					 * NULL for every account */
	struct report_customer *customers;	/* per payer, report_set_customer */
	size_t ncustomers;
	struct report_file *files;
	size_t nfiles;
	struct report_period *periods;
	size_t nperiods;
	struct inventory *inventory;
	struct estimate *estimate;
	struct estimate_record *history;	/* earlier estimates, now complete */
	size_t nhistory;
	struct report_line *lines;	/* by payer, account, period, service */
	size_t nlines;
	struct report_month_account *month_accounts;	/* from lines */
	size_t nmonth_accounts;
	struct report_daily *daily;	/* one per payer estimated */
	size_t ndaily;
	/* what the header lists, derived once for every writer */
	char **payers;			/* payer accounts, in report order */
	size_t npayers;
	char **accounts;		/* usage accounts, in report order */
	size_t naccounts;
	char **months;			/* billing months, sorted */
	size_t nmonths;
	char **formats;			/* report kinds of the counted files */
	size_t nformats;
	struct report_account *names;	/* names of payers and accounts */
	size_t nnames;
	struct budget *pilvi;		/* the budget under Pilvi (--pricing,
					 * set by the caller); NULL: none.
					 * report_free frees it */
	struct checklist *checklist;	/* the move checklist; NULL when not
					 * built (REPORT_CHECKLIST) */
};

/* Parts of the report to build (report_options.parts; 0: all). */
#define REPORT_FILES		0x1
#define REPORT_PERIODS		0x2
#define REPORT_INVENTORY	0x4
#define REPORT_ESTIMATE		0x8
#define REPORT_CHECKLIST	0x10

struct report_options {
	const char *payer;		/* NULL: every payer */
	const char *month;		/* NULL: every month ("YYYY-MM") */
	const char *account;		/* inventory: NULL for every account */
	int threshold_pct;		/* inventory changes; 0: the default */
	int parts;			/* REPORT_* to build; 0: all */
	const char *customer;		/* a label for the header */
	const char *customer_id;	/* the feed's customer_id */
};

/*
 * The feed's rows of payer belong to customer id and name (copied;
 * NULL for ""), instead of the report's --customer and --customer-id.
 */
void report_set_customer(struct report *r, const char *payer,
    const char *id, const char *name);

/* The customer of payer's rows: id and name, "" when not known. */
void report_customer_of(const struct report *r, const char *payer,
    const char **id, const char **name);

/*
 * The billing-spreadsheet feed, schema 2: one spec for the CSV and the
 * XLSX line sheet, so both carry the same columns in the same order.
 */
#define REPORT_FEED_SCHEMA 2
#define REPORT_FEED_NCOLUMNS 21

extern const char *const report_feed_columns[REPORT_FEED_NCOLUMNS];

struct report_feed_row {
	const char *kind;		/* "actual" or "estimate" */
	const char *customer_id, *customer_name;	/* "" when not known */
	const char *payer, *account, *account_name, *month;
	const char *month_status;	/* "open", "final"; "" without a period */
	int days_covered;
	const char *as_of;		/* NULL: unknown (report_period.as_of) */
	const char *source;		/* the family counted: cur, dbr-rt... */
	const char *service_code, *service_name;
	const char *support;		/* NULL: no service, or an estimate */
	const char *charge_class;	/* NULL for an estimate */
	const char *currency;
	money_t amount;			/* actual: exact; estimate: to the cent */
	int is_estimate;		/* then low, high, typical_error hold */
	money_t low, high;		/* the 80 % range, to the cent */
	double typical_error;		/* percent */
};

/*
 * The feed's rows: each line of the report (kind actual, at full
 * precision), and one estimate row for each payer's open month the
 * estimate projects (none when the report is of one --account: the
 * estimate is the payer's). Sorted by customer name, customer id, payer,
 * month, kind, account, service, charge class, currency. Returns the
 * number of rows; *out is the caller's (free()), its strings are
 * borrowed from r.
 */
size_t report_feed(const struct report *r, struct report_feed_row **out);

/* The name of an account (payer or usage) where a file gives one. */
const char *report_account_name(const struct report *r, const char *id);
/* A share kept in 1/100 % as "99.99 %" into out (16 bytes will do). */
void report_share_text(int bp, char *out, size_t n);
/* The coverage of a bill, worded once for the data status and the key
 * figure: "services cover S of A CUR in usage, fees and discounts". */
void report_coverage_text(money_t services, money_t serviced,
    const char *currency, char *out, size_t n);

/* Build the model. Returns 0 and *out (free with report_free) or -1. */
int report_build(struct store *st, const struct report_options *o,
    struct report **out, struct pv_error *err);
void report_free(struct report *r);

/* Writers: return 0, or -1 when writing failed (check errno). */
int report_write_json(const struct report *r, FILE *fp);
int report_write_text(const struct report *r, FILE *fp);
int report_write_markdown(const struct report *r, FILE *fp);
int report_write_html(const struct report *r, FILE *fp);
/* A reply to paste into a mail to the customer: plain text, no line
 * past 72 columns (report --format email). */
int report_write_email(const struct report *r, FILE *fp);
/* The file registry as JSON: generated_at and the report's "files"
 * array, the same objects (files --format json). */
int report_write_files_json(const struct report *r, FILE *fp);
/* The file registry as a table (the files command). */
int report_write_files(const struct report *r, FILE *fp);
/* The inventory as tables (the inventory command). */
int report_write_inventory(const struct inventory *inv, FILE *fp);
/* The estimate and the record of earlier ones (the estimate command),
 * and the budget under Pilvi (--pricing) when pilvi is not NULL. */
int report_write_estimate(const struct estimate *e,
    const struct estimate_record *hist, size_t nhist,
    const struct budget *pilvi, FILE *fp);
/* ... with the budget under Pilvi (--pricing) as "pilvi_budget" when
 * pilvi is not NULL. */
int report_write_estimate_json(const struct estimate *e,
    const struct estimate_record *hist, size_t nhist,
    const struct budget *pilvi, FILE *fp);
/* The billing-spreadsheet feed: CSV to fp, XLSX to the file path (the
 * XLSX library writes files only). Return 0 or -1 (err filled for XLSX).
 * report_write_feed_csv writes the given rows of report_feed(). */
int report_write_csv(const struct report *r, FILE *fp);
int report_write_feed_csv(const struct report_feed_row *rows, size_t n,
    FILE *fp);
int report_write_xlsx(const struct report *r, const char *path,
    struct pv_error *err);
/* Backtest results side by side with the naive method. */
int report_write_backtest(const struct estimate_backtest *b, FILE *fp);

#endif
