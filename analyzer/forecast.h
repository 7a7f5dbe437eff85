/*
 * forecast.h - the usage of the days not yet seen, from the days seen.
 *
 * Pure arithmetic on arrays of daily usage: no database, no money type,
 * no words. estimate.c reads a month from the store, hands its complete
 * days (and those of the months before) to this module, and turns the
 * numbers into money, a range and notes.
 *
 * Two methods:
 *  - the run-rate, the arithmetic a support person does by hand: the
 *    mean of the complete days times the days left. It is the baseline
 *    every other part has to beat in the backtest.
 *  - ours: the run-rate on a series that the parts below have cleaned
 *    first. Each part can be switched off (the backtest's ablation);
 *    which ones are on by default is decided by the backtest
 *    (docs/estimate.md keeps the table).
 */
#ifndef PILVI_FORECAST_H
#define PILVI_FORECAST_H

/* The parts of our method, as bits. */
enum forecast_part {
	FORECAST_HISTORY = 1u << 0,	/* earlier complete months lengthen
					 * the series (level, weekly profile,
					 * trend) */
	FORECAST_SHIFT = 1u << 1,	/* a change of level restarts the
					 * run-rate where it happened */
	FORECAST_WEEKLY = 1u << 2,	/* weekends apart from weekdays */
	FORECAST_OUTLIERS = 1u << 3,	/* a day far off the others is damped */
	FORECAST_TREND = 1u << 4,	/* a steady growth or decline goes on,
					 * damped and bounded */
	FORECAST_ACCOUNTS = 1u << 5,	/* an account new this month runs at
					 * its own rate from its first day
					 * (applied by estimate.c) */
	FORECAST_STOPPED = 1u << 6,	/* a service that stopped in an
					 * account is not projected (applied
					 * by estimate.c) */
	FORECAST_STARTED = 1u << 7,	/* a service that started in an
					 * account runs at its own rate from
					 * its first day (estimate.c) */
	FORECAST_MOVED = 1u << 8	/* a service whose level in an
					 * account doubled or halved runs at
					 * its new rate (estimate.c) */
};

#define FORECAST_NPARTS 9

/* Options that take a set of parts read 0 as "the default set"; a set
 * with this bit is taken as it is, so FORECAST_EXACT alone asks for
 * none of them (the run-rate). */
#define FORECAST_EXACT (1u << 31)

/* The parts used unless told otherwise (see docs/estimate.md). */
extern const unsigned forecast_default_parts;

/* "history", "shift", ... for one bit; NULL for anything else. */
const char *forecast_part_name(unsigned part);

/* The bit named name; 0 when there is none. */
unsigned forecast_part_by_name(const char *name);

struct forecast_input {
	const double *days;	/* daily usage, oldest first: the complete
				 * days of earlier months, then this
				 * month's complete days */
	int ndays;
	int current;		/* how many of days[] (the last ones) are
				 * this month's */
	int first_weekday;	/* weekday of days[0]: 0 Monday .. 6 Sunday */
	int ahead;		/* days to project after the last one */
	double *each;		/* NULL, or `ahead` slots for each day's
				 * projected usage */
};

struct forecast {
	double projected;	/* usage of the `ahead` days, >= 0 */
	double level;		/* usage of an average day at the end */
	double slope;		/* change of level per day; 0: no trend */
	double weekend;		/* weekend day / weekday ratio; 1: none */
	int shift_at;		/* index into days[] where the level last
				 * changed; -1: no change used */
	double shift_from;	/* the level before and after it */
	double shift_to;
	int outliers;		/* days damped */
	int history_days;	/* days of earlier months used */
	int window;		/* days the level was measured on */
	double noise;		/* day-to-day spread around the fit, as a
				 * share of the level (0 with < 3 days) */
	unsigned used;		/* the parts that changed the result */
};

/*
 * The run-rate: the mean of days[0..n) times `ahead`; 0 when n is 0.
 */
double forecast_run_rate(const double *days, int n, int ahead);

/*
 * Our method with the given parts (forecast_part bits) on in; fills
 * *out. Never projects a negative day.
 */
void forecast_usage(const struct forecast_input *in, unsigned parts,
    struct forecast *out);

#endif
