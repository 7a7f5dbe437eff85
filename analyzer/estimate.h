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
#include "money.h"
#include "store.h"

/* ---- the daily-series model (pure; unit-tested on arrays) ----------- */

struct estimate_fit {
	int n;			/* days fitted */
	int step;		/* days before a change of level, left out */
	double level;		/* weekday usage per day at the last day */
	double slope;		/* per day; 0 when no trend was found */
	int trend;		/* 1: a significant trend is used */
	double weekend;		/* added on Saturdays and Sundays; 0: none */
	int seasonal;		/* 1: the weekend effect is used */
	double sigma;		/* residual standard deviation per day */
	int outliers;		/* days clipped */
};

/*
 * Fit x[0..n) (daily usage, oldest first); weekday[i] is 0 (Monday) to
 * 6 (Sunday) for x[i].
 */
void estimate_fit_series(const double *x, const int *weekday, int n,
    struct estimate_fit *fit);

/* Expected usage of the `days` days after the fitted ones; the first of
 * them falls on first_weekday. *var receives the variance of that sum. */
double estimate_project(const struct estimate_fit *fit, int days,
    int first_weekday, double *var);

/* Expected usage of one day, `ahead` days after the last fitted one
 * (1 = the next day), falling on weekday (0 Monday .. 6 Sunday). */
double estimate_day(const struct estimate_fit *fit, int ahead, int weekday);

/* ---- the estimate of a month ------------------------------------------ */

struct estimate_service {
	char *code, *name;
	money_t amount;
	money_t usage_seen;		/* its usage so far (before scaling) */
};

struct estimate_payer {
	char *payer, *period, *currency;
	int places;
	int final;			/* the month is complete: no projection */
	int days_observed, days_in_month;
	char *last_complete_day;	/* YYYY-MM-DD, NULL when none */
	money_t usage_observed;		/* complete days */
	money_t usage_projected;	/* the days left (and the partial one) */
	money_t fees;			/* recurring, counted once */
	money_t fees_expected;		/* seen last month, not yet this one */
	money_t one_time;
	money_t credits, refunds;	/* apart, not in amount */
	money_t tax_observed, tax;	/* tax projected for the whole month */
	money_t naive;			/* month-to-date x days / days seen */
	money_t amount, low, high;
	const char *confidence;		/* "low", "medium", "high" */
	const char *status;		/* "estimated" or "final" */
	struct estimate_fit fit;
	int prior_weekend;		/* the weekend effect is last month's */
	struct estimate_service *services;	/* by amount */
	size_t nservices;
	char **notes;
	size_t nnotes;
};

struct estimate {
	char *period;			/* the latest month estimated */
	int days_observed;
	money_t amount, low, high, tax, credits;
	char *currency;
	int places;
	struct estimate_service *services;	/* summed over payers */
	size_t nservices;
	struct estimate_payer *payers;
	size_t npayers;
	const char *method;
	const char *confidence;		/* the lowest of the payers' */
	char **notes;
	size_t nnotes;
};

struct estimate_options {
	const char *payer;		/* NULL: every payer */
	const char *month;		/* NULL: each payer's latest month */
	/* Only what a delivery on this day (YYYY-MM-DD, data before it)
	 * would have held: for backtests. NULL: everything stored. */
	const char *cut;
};

int estimate_build(struct store *st, const struct estimate_options *o,
    struct estimate **out, struct pv_error *err);
void estimate_free(struct estimate *e);

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

struct estimate_trial {
	char *payer, *period;
	int cut_day;			/* 7, 14, 21 */
	money_t actual;			/* the month, less later one-time buys */
	money_t later_one_time;		/* one-time purchases after the cut */
	money_t ours, naive;
	double err_ours, err_naive;	/* percent, signed */
};

struct estimate_backtest {
	struct estimate_trial *trials;
	size_t ntrials;
	double mape_ours[3], mape_naive[3];	/* at days 7, 14, 21 */
	int count[3];
};

/* Every complete month in the store, cut at days 7, 14 and 21. */
int estimate_backtest(struct store *st, const char *payer,
    struct estimate_backtest **out, struct pv_error *err);
void estimate_backtest_free(struct estimate_backtest *b);

#endif
