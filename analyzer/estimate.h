/*
 * estimate.h - a monthly budget from a partial month.
 *
 * The month's charges are taken apart: usage is extrapolated from the
 * complete days (robust to outliers, weighted to recent days, weekly
 * pattern and trend taken into account); recurring monthly fees count
 * once, and a fee seen last month but not yet this month is expected
 * again; one-time purchases count as they are; credits and refunds are
 * reported apart and left out; tax is projected from the observed ratio.
 */
#ifndef PILVI_ESTIMATE_H
#define PILVI_ESTIMATE_H

#include "error.h"
#include "forecast.h"
#include "money.h"
#include "store.h"

/* ---- the estimate of a month ------------------------------------------ */

/* Fewer complete days than this give a rough estimate: the estimate's
 * notes and the report say so and how long to wait (the customer's
 * first delivery holds 2-4 weeks). */
#define ESTIMATE_FIRM_DAYS 14

struct estimate_service {
	char *code, *name;
	money_t amount;
	money_t usage_seen;		/* its usage so far (before scaling) */
	money_t fees_seen;		/* its fees by the hour or day so far */
	/* of usage_seen, what runs at a rate of its own (a service that
	 * stopped or started, an account new this month), and that
	 * rate's projection for the days left */
	money_t usage_apart, projected_apart;
};

/*
 * One line of the breakdown every format prints, in order: the parts
 * that add up to the amount, the total, what is kept apart, and the
 * methods it is compared with. The labels are written here only.
 */
enum estimate_part_kind {
	ESTIMATE_PART_ADD,		/* adds up to the amount */
	ESTIMATE_PART_TOTAL,		/* = the amount */
	ESTIMATE_PART_APART,		/* tax, credits: not in the amount */
	ESTIMATE_PART_COMPARE		/* another method, for comparison */
};

struct estimate_part {
	char *label;
	money_t amount;
	enum estimate_part_kind kind;
};

struct estimate_payer {
	char *payer, *period, *currency;
	int places;
	int final;			/* invoiced: charges as billed */
	int complete;			/* final, or every day is in: nothing
					 * is projected */
	int days_observed;		/* complete days the run-rate uses */
	int days_in_month;
	int horizon;			/* the last day projected (days_in_month,
					 * or less in a backtest) */
	int start_day;			/* day of month the run-rate starts on
					 * (1, or an account's first day) */
	int partial_days;		/* days after the last complete one
					 * that hold some data */
	int days_with_data;		/* complete days with daily lines */
	char *last_complete_day;	/* YYYY-MM-DD, NULL when none */
	/* what the data status shows for the month (so the two tie out) */
	money_t usage_to_date;		/* usage and discount lines, all of
					 * them (the data status's figure) */
	/* the parts of the amount */
	money_t usage_observed;		/* complete days' usage */
	money_t usage_partial;		/* on the partial days: projected anew */
	money_t usage_projected;	/* the days left, partial ones too */
	money_t month_charges;		/* month-long lines (RI fees, hosted
					 * zones, support): counted once */
	money_t fees_daily;		/* fees posted by the hour or day,
					 * complete days */
	money_t fees_daily_projected;	/* ... at the last day's rate */
	money_t fees_expected;		/* month-long, posted last month, not
					 * yet this one */
	money_t late_projected;		/* what the services taken as late
					 * add to the days left: had they
					 * stopped, the month is this less */
	money_t one_time;		/* upfront fees, annual subscriptions:
					 * not expected next month */
	money_t credits, refunds;	/* apart, not in amount */
	money_t tax_observed, tax;	/* tax projected for the whole month */
	money_t run_rate;		/* the baseline method's amount */
	money_t naive;			/* month-to-date x days / days seen */
	money_t amount, low, high;	/* low/high: the 80 % range */
	double typical_error;		/* percent: the median absolute error
					 * measured at this many days */
	int error_months;		/* months it was measured on */
	int error_widened;		/* the measured error doubled: no
					 * complete day, or no daily detail */
	const char *confidence;		/* "low", "medium", "high"; NULL: none */
	const char *status;		/* "estimated" or "final" */
	struct forecast fc;		/* what the usage model found */
	int history_days;		/* complete days of earlier months */
	char *previous_period;		/* the month before, when stored */
	money_t previous_amount;	/* ... its budget before tax */
	money_t *projected_days;	/* usage and fees of each day after the
					 * last complete one, to the horizon */
	int nprojected_days;
	struct estimate_part *parts;
	size_t nparts;
	struct estimate_service *services;	/* by amount */
	size_t nservices;
	char **notes;
	size_t nnotes;
};

struct estimate {
	char *period;			/* the latest month estimated */
	int days_observed;
	money_t amount, low, high, tax, credits;
	char *currency;			/* NULL where mixed */
	char *mixed;			/* NULL, or the currencies of payers
					 * that bill in more than one ("EUR
					 * and USD"): then nothing is summed
					 * (amount ... credits 0, no services) */
	int places;
	struct estimate_service *services;	/* summed over payers */
	size_t nservices;
	struct estimate_payer *payers;
	size_t npayers;
	const char *method;
	const char *confidence;		/* the lowest of the payers'; NULL when
					 * nothing could be estimated */
	double typical_error;		/* the largest of the payers' */
	int error_months;
	char **notes;
	size_t nnotes;
};

struct estimate_options {
	const char *payer;		/* NULL: every payer */
	const char *month;		/* NULL: each payer's latest month */
	/* Only what a delivery on this day (YYYY-MM-DD, data before it)
	 * would have held: for backtests. NULL: everything stored. */
	const char *cut;
	unsigned parts;			/* forecast parts; 0: the default */
};

/*
 * The estimate of each payer's month. A store with no billing month
 * gives an estimate with no payers (and a NULL confidence). Returns 0
 * or -1 with err set; *out is the caller's (estimate_free).
 */
int estimate_build(struct store *st, const struct estimate_options *o,
    struct estimate **out, struct pv_error *err);
void estimate_free(struct estimate *e);

/* The confidence word for an expected error (percent, the half-width
 * of the range); the thresholds are written here only. */
const char *estimate_confidence_word(double expected_error);

/*
 * Keep the estimates of open months in estimate_log, with the day their
 * data reaches (once per payer, month and data). Returns 0 or -1.
 */
int estimate_record(struct store *st, const struct estimate *e,
    struct pv_error *err);

/* An earlier estimate of a month that is now complete. */
struct estimate_record {
	char *payer, *period, *made_at, *data_through;
	int days_observed;
	money_t amount, actual;
	double err_pct;
	int places;
};

/* The logged estimates of months now complete, oldest first. */
int estimate_history(struct store *st, const char *payer,
    struct estimate_record **out, size_t *n, struct pv_error *err);
void estimate_history_free(struct estimate_record *v, size_t n);

/* ---- backtest ------------------------------------------------------- */

/* Months with fewer complete days are not judged. */
#define ESTIMATE_BACKTEST_MIN_DAYS 20

struct estimate_trial {
	char *payer, *period;
	int cut_day;			/* the delivery's day: 7, 14, 21 */
	int days_observed;		/* complete days before it */
	int horizon;			/* the month's last complete day */
	int history;			/* an earlier month was stored */
	money_t actual;			/* to the horizon, less later one-time
					 * charges */
	money_t later_one_time;		/* one-time charges after the cut */
	money_t projected;		/* ours: usage and fees projected */
	money_t ours, low, high, run_rate, naive;
	double noise;			/* the days' own spread (forecast) */
	double err_ours, err_run_rate, err_naive;	/* percent, signed */
};

struct estimate_skipped {
	char *payer, *period, *why;
};

struct estimate_backtest {
	struct estimate_trial *trials;
	size_t ntrials;
	struct estimate_skipped *skipped;
	size_t nskipped;
};

struct estimate_backtest_options {
	const char *payer;		/* NULL: every payer */
	const int *cut_days;		/* NULL: 7, 14, 21 */
	int ncut_days;
	unsigned parts;			/* forecast parts; 0: the default */
};

/*
 * Every month with at least ESTIMATE_BACKTEST_MIN_DAYS complete days,
 * cut at each cut day before its last complete day and estimated to
 * that day (the whole month when it is complete). Returns 0 or -1.
 */
int estimate_backtest(struct store *st,
    const struct estimate_backtest_options *o,
    struct estimate_backtest **out, struct pv_error *err);
void estimate_backtest_free(struct estimate_backtest *b);

/*
 * A trial of `part` (a month estimated as a delivery on cut_day held it)
 * against `full` (the same month as billed, to the same horizon): the
 * error of ours, the run-rate's and the naive one, the range and what
 * the trial stood on. t->payer and t->period borrow part's strings.
 */
void estimate_judge(const struct estimate_payer *part,
    const struct estimate_payer *full, int cut_day, struct estimate_trial *t);

/* Summary of the trials at one cut day (or every one: cut_day 0). */
struct estimate_score {
	int n;
	double mae_ours, mae_run_rate, mae_naive;	/* percent */
	double bias_ours;				/* mean signed */
	double coverage;				/* share in range */
};

void estimate_score(const struct estimate_trial *t, size_t n, int cut_day,
    struct estimate_score *out);

#endif
