/*
 * calibration.h - how far off the estimate was, measured.
 *
 * schema/estimate-errors.csv holds, per number of complete days seen,
 * the day-to-day noise of those days and whether an earlier month was
 * stored, the errors the backtest measured on the training corpus
 * (`make calibrate`, tools/backtest.c). It is compiled into the binary.
 * The estimate's 80 % range and its "typical error" come from here, not
 * from a formula.
 */
#ifndef PILVI_CALIBRATION_H
#define PILVI_CALIBRATION_H

/* Coverage the range is made for: from q_low to q_high. */
#define CALIBRATION_LOW_QUANTILE	0.10
#define CALIBRATION_HIGH_QUANTILE	0.90

/* Rows with fewer trials are not used. */
#define CALIBRATION_MIN_TRIALS		30

struct calibration {
	int days;		/* the row's days observed */
	const char *noise;	/* "low", "mid", "high" or "any" */
	int history;		/* 0, 1, or -1 for either */
	double q_low, q_high;	/* quantiles of (actual - estimate) /
				 * projected part */
	double typical;		/* median |actual - estimate| / actual,
				 * percent */
	int trials, months;
};

/* "low" (< 5 %), "mid" (< 15 %) or "high": the class of a day-to-day
 * spread (forecast's noise, a share of the level). */
const char *calibration_noise_class(double noise);

/*
 * The row for an estimate on `days` complete days with that noise and
 * with (1) or without (0) an earlier month: the exact row when it holds
 * CALIBRATION_MIN_TRIALS trials, else the row of any noise, else of
 * either history, else the nearest number of days. Returns 0, or -1
 * when the table is empty.
 */
int calibration_lookup(int days, double noise, int history,
    struct calibration *out);

/* Parse a table in the format of schema/estimate-errors.csv (for
 * tests); replaces the compiled one. Returns 0 or -1 (bad line). */
int calibration_load(const char *text);

#endif
