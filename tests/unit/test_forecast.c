/*
 * test_forecast.c - the usage model on arrays: the run-rate, each part
 * of ours on the shape it is for and off the shapes it is not for, the
 * bounds (never a negative day, never above the cap), and the table of
 * measured errors (calibration.c) with its fall-backs.
 *
 * The series are built here from plain numbers; the expected figures
 * follow from them by hand (written next to each check).
 */
#include <math.h>

#include "test.h"

#include "calibration.h"
#include "forecast.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
near(double a, double b, double tol)
{
	return fabs(a - b) <= tol;
}

static struct forecast
run(const double *x, int n, int current, int first_weekday, int ahead,
    unsigned parts, double *each)
{
	struct forecast_input in;
	struct forecast f;

	in.days = x;
	in.ndays = n;
	in.current = current;
	in.first_weekday = first_weekday;
	in.ahead = ahead;
	in.each = each;
	forecast_usage(&in, parts, &f);
	return f;
}

/* The mean of the days seen times the days left: (10+20+30)/3 x 5. */
static void
test_run_rate(void)
{
	static const double x[] = { 10, 20, 30 };

	CHECK(near(forecast_run_rate(x, 3, 5), 100, 1e-9));
	CHECK(forecast_run_rate(x, 0, 5) == 0);
	CHECK(forecast_run_rate(x, 3, 0) == 0);
}

/* With every part off, ours is the run-rate, to the last bit. */
static void
test_no_parts_is_run_rate(void)
{
	double x[20];
	int i;
	struct forecast f;

	for (i = 0; i < 20; i++)
		x[i] = 50 + (i * 37 % 11) - (i % 3) * 4;
	f = run(x, 20, 20, 0, 11, 0, NULL);
	CHECK(near(f.projected, forecast_run_rate(x, 20, 11), 1e-9));
	CHECK_INT(f.used, 0);
	CHECK_INT(f.window, 20);
}

/* A whole month of days without history: the window is every one of
 * them, not the last 28 (the run-rate's days). */
static void
test_long_month_is_run_rate(void)
{
	double x[30];
	int i;
	struct forecast f;

	for (i = 0; i < 30; i++)
		x[i] = i < 2 ? 400 : 100 + (i % 3 - 1);
	f = run(x, 30, 30, 0, 1, 0, NULL);
	CHECK_INT(f.window, 30);
	CHECK(near(f.projected, forecast_run_rate(x, 30, 1), 1e-9));
}

/* A negative level (discounts above usage) projects no negative day. */
static void
test_negative_level(void)
{
	static const double x[] = { -5, -6, -5, -4, -5, -6 };
	double each[4];
	struct forecast f = run(x, 6, 6, 0, 4, forecast_default_parts, each);
	int i;

	CHECK(f.projected == 0);
	for (i = 0; i < 4; i++)
		CHECK(each[i] == 0);
}

/* A flat month: nothing stands out, every part stays unused. */
static void
test_flat(void)
{
	double x[14], each[17], sum = 0;
	int i;
	struct forecast f;

	for (i = 0; i < 14; i++)
		x[i] = 100;
	f = run(x, 14, 14, 0, 17, forecast_default_parts, each);
	CHECK(near(f.projected, 1700, 1e-6));
	CHECK_INT(f.used, 0);
	CHECK(near(f.level, 100, 1e-9));
	CHECK(f.slope == 0);
	CHECK_INT(f.shift_at, -1);
	for (i = 0; i < 17; i++)
		sum += each[i];
	CHECK(near(sum, f.projected, 1e-9));
}

/*
 * A fleet growing 2 a day from 100 with a little noise, 14 days: the
 * trend is found, the level at the last day is about 126, and the 16
 * days left cost more than the run-rate (113 a day) would say, but
 * less than the undamped line (126 x 16 + 2 x 136 = 2288).
 */
static void
test_trend(void)
{
	static const double noise[] = { 0.4, -0.3, 0.2, -0.5, 0.1, 0.3, -0.2,
	    0.5, -0.4, 0.2, -0.1, 0.3, -0.3, 0.1 };
	double x[14];
	int i;
	struct forecast f;

	for (i = 0; i < 14; i++)
		x[i] = 100 + 2 * i + noise[i];
	f = run(x, 14, 14, 0, 16, forecast_default_parts, NULL);
	CHECK(f.used & FORECAST_TREND);
	CHECK(near(f.slope, 2, 0.1));
	CHECK(near(f.level, 126, 0.5));
	CHECK(f.projected > forecast_run_rate(x, 14, 16) + 100);
	CHECK(f.projected < 2288);
	/* off: the run-rate's level */
	f = run(x, 14, 14, 0, 16, forecast_default_parts & ~FORECAST_TREND,
	    NULL);
	CHECK(!(f.used & FORECAST_TREND));
}

/*
 * A weak trend keeps a share of itself. Ten days rising by fits,
 * 10 14 11 15 12 16 13 17 14 18: of the 45 pairs, 35 rise and 9 fall,
 * S = 26, z = (26 - 1) / sqrt(10 x 9 x 25 / 18) = 2.2361, between
 * TREND_Z0 (2.0) and TREND_T (2.5): the share kept is 0.2361 / 0.5 =
 * 0.4721. The Theil-Sen slope is 0.5 and its line ends at 16.25; the
 * mean is 14. So the slope is 0.4721 x 0.5 = 0.2361 and the level
 * 14 + 0.4721 x 2.25 = 15.0623. With the 7th day 10 instead of 13
 * (S = 21, z = 1.789) there is no trend.
 */
static void
test_weak_trend_is_shrunk(void)
{
	double x[] = { 10, 14, 11, 15, 12, 16, 13, 17, 14, 18 };
	struct forecast f = run(x, 10, 10, 0, 20, FORECAST_TREND, NULL);

	CHECK(f.used & FORECAST_TREND);
	CHECK(near(f.slope, 0.5 * (sqrt(5) - 2) / 0.5, 1e-9));
	CHECK(near(f.level, 14 + 2.25 * (sqrt(5) - 2) / 0.5, 1e-9));
	x[1] = 13;
	x[3] = 14;
	x[5] = 15;
	x[6] = 10;
	x[7] = 16;
	x[8] = 13;
	x[9] = 17;
	f = run(x, 10, 10, 0, 20, FORECAST_TREND, NULL);
	CHECK(!(f.used & FORECAST_TREND));
	CHECK(near(f.level, 13.1, 1e-9));
}

/*
 * A step at an hour: twelve days near 10, the 13th 15.5 (the change came
 * about noon), seven near 20 (20.1 19.8 20.3 19.9 20.0 20.2 19.7, mean
 * 20.00). The 13th belongs to neither level: the shift starts on the
 * 14th and the 10 days left are 10 x 20.00 = 200.00. (With the 13th in
 * the new level, as before, 194.38.)
 */
static void
test_shift_skips_the_day_of_change(void)
{
	static const double x[] = { 10.2, 9.8, 10.1, 9.9, 10.3, 9.7, 10.0,
	    10.2, 9.8, 10.1, 9.9, 10.0, 15.5, 20.1, 19.8, 20.3, 19.9, 20.0,
	    20.2, 19.7 };
	struct forecast f = run(x, 20, 20, 0, 10, forecast_default_parts,
	    NULL);

	CHECK(f.used & FORECAST_SHIFT);
	CHECK_INT(f.shift_at, 13);
	CHECK(near(f.level, 20, 1e-9));
	CHECK(near(f.projected, 200, 1e-9));
}

/* A trend needs TREND_MIN_DAYS (10): six days of growth are a level. */
static void
test_no_trend_from_a_week(void)
{
	static const double x[] = { 100, 104, 108, 112, 116, 120 };
	struct forecast f = run(x, 6, 6, 0, 24, forecast_default_parts, NULL);

	CHECK(!(f.used & FORECAST_TREND));
	CHECK(near(f.projected, forecast_run_rate(x, 6, 24), 1e-9));
}

/*
 * A steep decline never projects a negative day: 20 days from 200 down
 * by 10 a day reach 10; the days left are at least 0 each, and each
 * day's projection is never above twice the level.
 */
static void
test_decline_never_negative(void)
{
	double x[20], each[40];
	int i;
	struct forecast f;

	for (i = 0; i < 20; i++)
		x[i] = 200 - 10 * i + (i % 2 ? 0.3 : -0.3);
	f = run(x, 20, 20, 0, 40, forecast_default_parts, each);
	CHECK(f.used & FORECAST_TREND);
	CHECK(f.projected >= 0);
	for (i = 0; i < 40; i++) {
		CHECK(each[i] >= 0);
		CHECK(each[i] <= 2 * f.level + 1e-9);
	}
}

/*
 * Weekdays at 100, weekends at 30, four weeks from a Monday: the
 * weekend ratio is found (0.3), and the next 7 days (a whole week) cost
 * 5 x 100 + 2 x 30 = 560, where the plain mean (80) would say 560 too;
 * the next 5 (Monday to Friday) cost 500, not 5 x 80 = 400.
 */
static void
test_weekly(void)
{
	double x[28], each[5];
	int i;
	struct forecast f;

	for (i = 0; i < 28; i++)
		x[i] = i % 7 >= 5 ? 30 : 100;
	f = run(x, 28, 28, 0, 7, forecast_default_parts, NULL);
	CHECK(f.used & FORECAST_WEEKLY);
	CHECK(near(f.weekend, 0.3, 1e-9));
	CHECK(near(f.projected, 560, 1e-6));
	f = run(x, 28, 28, 0, 5, forecast_default_parts, each);
	CHECK(near(f.projected, 500, 1e-6));
	CHECK(near(each[0], 100, 1e-6));
	f = run(x, 28, 28, 0, 5, 0, NULL);
	CHECK(near(f.projected, 400, 1e-6));
}

/* Too few days to know a weekly profile: the weekend in a 6-day window
 * is neither a weekly pattern nor a switch-off. */
static void
test_short_weekend_is_no_shift(void)
{
	static const double x[] = { 100, 101, 99, 100, 30, 31 };	/* Mon.. */
	struct forecast f = run(x, 6, 6, 0, 24, forecast_default_parts, NULL);

	CHECK(!(f.used & FORECAST_SHIFT));
	CHECK(!(f.used & FORECAST_WEEKLY));
}

/*
 * Ten days at 100, then five at 200 (a fleet launched): the run-rate
 * starts at the change, the level is 200.
 */
static void
test_shift_up(void)
{
	double x[15];
	int i;
	struct forecast f;

	for (i = 0; i < 15; i++)
		x[i] = (i < 10 ? 100 : 200) + (i % 3 - 1);
	f = run(x, 15, 15, 0, 16, forecast_default_parts, NULL);
	CHECK(f.used & FORECAST_SHIFT);
	CHECK_INT(f.shift_at, 10);
	CHECK(near(f.level, 200, 1.5));
	CHECK(near(f.shift_from, 100, 1.5));
	CHECK(near(f.projected, 3200, 30));
}

/* A switch-off two days before the end, with a month of history (the
 * weekly profile is known): the level is the new one. */
static void
test_shift_down_with_history(void)
{
	double x[40];
	int i;
	struct forecast f;

	for (i = 0; i < 40; i++)
		x[i] = (i < 38 ? 100 : 20) + (i % 2 ? 1 : -1);
	f = run(x, 40, 10, 0, 21, forecast_default_parts, NULL);
	CHECK(f.used & FORECAST_SHIFT);
	CHECK_INT(f.shift_at, 38);
	CHECK(near(f.level, 20, 1.5));
}

/*
 * Six days of this month, a month stored before at 100 (99 and 101 in
 * turn): 99, 101, then a step at an hour of the 3rd (150) to 201, 199,
 * 201. Before a week of this month, a change within it counts where
 * the earlier months are stored: the level is 200.33 from the 4th
 * (index 33), 25 x 200.33 = 5008.33 to come. Without them, six days
 * are too few: the run-rate of the six (158.50 a day). A jump on the
 * month's first day waits for the week (a workload started on the 1st
 * may stop again), and so does one within the earlier months.
 */
static void
test_early_shift_within_month(void)
{
	double x[36];
	int i;
	struct forecast f;

	for (i = 0; i < 30; i++)
		x[i] = i % 2 ? 101 : 99;
	x[30] = 99;
	x[31] = 101;
	x[32] = 150;
	x[33] = 201;
	x[34] = 199;
	x[35] = 201;
	f = run(x, 36, 6, 0, 25, forecast_default_parts, NULL);
	CHECK(f.used & FORECAST_SHIFT);
	CHECK_INT(f.shift_at, 33);
	CHECK(near(f.level, 601.0 / 3, 1e-9));
	CHECK(near(f.projected, 25 * 601.0 / 3, 1e-6));
	f = run(x + 30, 6, 6, 0, 25, forecast_default_parts, NULL);
	CHECK(!(f.used & FORECAST_SHIFT));
	CHECK(near(f.projected, forecast_run_rate(x + 30, 6, 25), 1e-9));
	for (i = 30; i < 36; i++)
		x[i] = i % 2 ? 201 : 199;
	f = run(x, 36, 6, 0, 25, forecast_default_parts, NULL);
	CHECK(!(f.used & FORECAST_SHIFT));
	for (i = 15; i < 30; i++)
		x[i] = i % 2 ? 201 : 199;
	f = run(x, 36, 6, 0, 25, forecast_default_parts, NULL);
	CHECK(!(f.used & FORECAST_SHIFT));
	/* from a week on, it counts */
	f = run(x, 36, 7, 0, 24, forecast_default_parts, NULL);
	CHECK(f.used & FORECAST_SHIFT);
	CHECK_INT(f.shift_at, 15);
}

/* A straight ramp is a trend, not a step. */
static void
test_ramp_is_no_shift(void)
{
	double x[20];
	int i;
	struct forecast f;

	for (i = 0; i < 20; i++)
		x[i] = 100 + 5 * i;
	f = run(x, 20, 20, 0, 11, forecast_default_parts, NULL);
	CHECK(!(f.used & FORECAST_SHIFT));
	CHECK(f.used & FORECAST_TREND);
}

/*
 * One burst day (x10) mid-window is pulled back: the level stays near
 * 100 where the plain mean of 14 days is (13 x 100 + 1000) / 14 = 164.
 */
static void
test_outlier_damped(void)
{
	double x[14];
	int i;
	struct forecast f;

	for (i = 0; i < 14; i++)
		x[i] = (i == 6 ? 1000 : 100) + (i % 3 - 1) * 2;
	f = run(x, 14, 14, 0, 17, forecast_default_parts, NULL);
	CHECK(f.used & FORECAST_OUTLIERS);
	CHECK_INT(f.outliers, 1);
	CHECK(f.level < 105);
	f = run(x, 14, 14, 0, 17, forecast_default_parts & ~FORECAST_OUTLIERS,
	    NULL);
	CHECK(near(f.level, 1000.0 / 14 + 100.0 * 13 / 14, 2));
}

/* The last day high is left alone: it may be a new level starting. */
static void
test_last_day_not_damped(void)
{
	double x[8];
	int i;
	struct forecast f;

	for (i = 0; i < 8; i++)
		x[i] = (i == 7 ? 1000 : 100) + (i % 3 - 1) * 2;
	f = run(x, 8, 8, 0, 20, forecast_default_parts, NULL);
	CHECK_INT(f.outliers, 0);
	CHECK(!(f.used & FORECAST_OUTLIERS));
}

/*
 * History: three days of this month at 100 after 28 days at 100 of the
 * last: the level is measured over 28 days, 25 of them earlier; with
 * history off, over this month's 3.
 */
static void
test_history_window(void)
{
	double x[31];
	int i;
	struct forecast f;

	for (i = 0; i < 31; i++)
		x[i] = 100 + (i % 2 ? 3 : -3);
	f = run(x, 31, 3, 0, 28, forecast_default_parts, NULL);
	CHECK(f.used & FORECAST_HISTORY);
	CHECK_INT(f.window, 28);
	CHECK_INT(f.history_days, 28);
	f = run(x, 31, 3, 0, 28, forecast_default_parts & ~FORECAST_HISTORY,
	    NULL);
	CHECK(!(f.used & FORECAST_HISTORY));
	CHECK_INT(f.window, 3);
	CHECK_INT(f.history_days, 0);
	/* days 28..30 (i = 28, 29, 30): 97, 103, 97 */
	CHECK(near(f.projected, 28 * (97 + 103 + 97) / 3.0, 1e-6));
}

/* Nothing seen: nothing projected, each day 0. */
static void
test_empty(void)
{
	double each[3] = { 1, 1, 1 };
	struct forecast f = run(NULL, 0, 0, 0, 3, forecast_default_parts,
	    each);

	CHECK(f.projected == 0);
	CHECK(each[0] == 0 && each[1] == 0 && each[2] == 0);
}

static void
test_part_names(void)
{
	int i;

	for (i = 0; i < FORECAST_NPARTS; i++)
		CHECK_INT(forecast_part_by_name(forecast_part_name(1u << i)),
		    1u << i);
	CHECK(forecast_part_by_name("nonsense") == 0);
	CHECK(forecast_part_name(3) == NULL);
}

/* ---- the measured-error table ---------------------------------------- */

static const char table[] =
    "days,noise,history,trials,months,q10,q90,typical_pct\n"
    "6,low,0,40,20,-0.10,0.12,2.50\n"
    "6,any,0,90,40,-0.20,0.25,4.00\n"
    "6,any,any,200,80,-0.30,0.35,5.00\n"
    "6,high,1,10,5,-0.90,0.90,9.00\n"
    "13,any,any,150,60,-0.05,0.06,1.50\n";

static void
test_calibration_lookup(void)
{
	struct calibration c;

	CHECK_INT(calibration_load(table), 0);
	/* the exact row */
	CHECK_INT(calibration_lookup(6, 0.01, 0, &c), 0);
	CHECK(near(c.q_low, -0.10, 1e-12) && near(c.q_high, 0.12, 1e-12));
	CHECK_INT(c.months, 20);
	/* mid noise: no row of its own, the row of any noise */
	CHECK_INT(calibration_lookup(6, 0.10, 0, &c), 0);
	CHECK(near(c.typical, 4.0, 1e-12));
	/* high noise with history has a row of too few trials: either */
	CHECK_INT(calibration_lookup(6, 0.5, 1, &c), 0);
	CHECK(near(c.typical, 5.0, 1e-12));
	/* 10 days: the nearest row (13) */
	CHECK_INT(calibration_lookup(10, 0.01, 1, &c), 0);
	CHECK_INT(c.days, 13);
	CHECK_INT(calibration_lookup(2, 0.01, 1, &c), 0);
	CHECK_INT(c.days, 6);
}

static void
test_calibration_bad(void)
{
	struct calibration c;

	CHECK_INT(calibration_load("h\n6,loud,0,40,20,-0.1,0.1,1\n"), -1);
	CHECK_INT(calibration_load("h\n6,low,2,40,20,-0.1,0.1,1\n"), -1);
	CHECK_INT(calibration_load("h\n6,low,0,40\n"), -1);
	/* a bad table leaves the last good one */
	CHECK_INT(calibration_lookup(6, 0.01, 0, &c), 0);
	CHECK_INT(calibration_load("h\n"), 0);
	CHECK_INT(calibration_lookup(6, 0.01, 0, &c), -1);
}

static void
test_noise_class(void)
{
	CHECK_STR(calibration_noise_class(0.0), "low");
	CHECK_STR(calibration_noise_class(0.049), "low");
	CHECK_STR(calibration_noise_class(0.05), "mid");
	CHECK_STR(calibration_noise_class(0.15), "high");
}

int
main(void)
{
	RUN(test_run_rate);
	RUN(test_no_parts_is_run_rate);
	RUN(test_flat);
	RUN(test_long_month_is_run_rate);
	RUN(test_negative_level);
	RUN(test_trend);
	RUN(test_weak_trend_is_shrunk);
	RUN(test_shift_skips_the_day_of_change);
	RUN(test_no_trend_from_a_week);
	RUN(test_decline_never_negative);
	RUN(test_weekly);
	RUN(test_short_weekend_is_no_shift);
	RUN(test_shift_up);
	RUN(test_shift_down_with_history);
	RUN(test_early_shift_within_month);
	RUN(test_ramp_is_no_shift);
	RUN(test_outlier_damped);
	RUN(test_last_day_not_damped);
	RUN(test_history_window);
	RUN(test_empty);
	RUN(test_part_names);
	RUN(test_calibration_lookup);
	RUN(test_calibration_bad);
	RUN(test_noise_class);
	TEST_END();
}
