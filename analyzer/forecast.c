/*
 * forecast.c - the usage of the days not yet seen, from the days seen.
 *
 * Our method, in the order it works on the series:
 *  1. history: up to HISTORY_MAX complete days of the months before are
 *     put in front of this month's, so a week of data is read against
 *     two months of it;
 *  2. weekly: the ratio of a weekend day to a weekday, measured against
 *     the median of each day's own centred week (so a trend, a step or
 *     a burst does not pass for it); the days are divided by their
 *     weekday's factor;
 *  3. shift: first a jump at the start of this month (the earlier
 *     months are then left out), then the clearest jump in the series
 *     (before SHIFT_FROM_DAYS days of this month, neither: only one
 *     after this month's first day, with earlier months stored),
 *     taken when a line on either side explains the days around it much
 *     better than one straight line and the jump is large against the
 *     day-to-day noise; only the days after it count, and a jump is
 *     looked for again in them;
 *  4. outliers: a day further than OUTLIER_K robust deviations above
 *     the median of the window is pulled back to that bound, unless it
 *     ends the series (a new level may be starting);
 *  5. level and trend: the mean of the last WINDOW_MAX days (all of
 *     this month's when it has more), or, where a trend stands out by
 *     ranks (Mann-Kendall, |z| > TREND_T on at least TREND_MIN_DAYS
 *     days), the robust line's (Theil-Sen) value at the last day with
 *     its slope damped a little every day ahead, the more so the fewer
 *     days it was measured on (TREND_DAMPING); from TREND_Z0 to TREND_T
 *     a share of the line, growing with |z|, and the mean the rest;
 *  6. projection: each day left is the level (never below zero, never
 *     above TREND_CAP times the level) times its weekday's factor.
 * A series whose day-to-day noise exceeds NOISY of its median day gets
 * no shift, outlier or trend: from such days they would be found by
 * chance. With every part off it is the run-rate.
 */
#include "forecast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define HISTORY_MAX	56	/* days of earlier months looked at */
#define WINDOW_MAX	28	/* days the level is measured on */
#define WEEKLY_MIN_DAYS	14	/* two weekends */
#define WEEKLY_MIN	0.08	/* a weekend effect smaller is noise */
#define SHIFT_MIN	0.20	/* a change of level smaller is no shift */
#define SHIFT_SIGMA	4.0	/* ... nor one within this many errors */
#define SHIFT_FIT	4.0	/* two levels must fit this much better
				 * than one line */
#define SHIFT_BEFORE	14	/* days before a split it is measured on */
#define SHIFT_LINE_DAYS	5	/* days after it that make a line */
#define SHIFT_FROM_DAYS	7	/* days of this month before a change
				 * within it is looked for */
#define BOUNDARY_DAYS	7	/* days before a month's start ... */
#define BOUNDARY_AFTER	3	/* ... and after it (this month may change
				 * again soon) */
#define NOISY		0.25	/* day-to-day noise, as a share of the
				 * median day, beyond which only the mean
				 * is used */
#define OUTLIER_K	5.0	/* robust deviations (1.4826 MAD) */
#define TREND_MIN_DAYS	10
#define TREND_T		2.5
#define TREND_Z0	2.0	/* below this |z| no trend; between it and
				 * TREND_T a share of one */
#define TREND_DAMPING	0.5	/* per day ahead the trend keeps 1 - this
				 * / the days it was measured on */
#define TREND_CAP	2.0	/* a day never above this times the level */

const unsigned forecast_default_parts = FORECAST_HISTORY | FORECAST_SHIFT |
    FORECAST_WEEKLY | FORECAST_OUTLIERS | FORECAST_TREND | FORECAST_ACCOUNTS |
    FORECAST_STOPPED | FORECAST_STARTED | FORECAST_MOVED;

static const char *const part_names[FORECAST_NPARTS] = {
	"history", "shift", "weekly", "outliers", "trend", "accounts",
	"stopped", "started", "moved"
};

const char *
forecast_part_name(unsigned part)
{
	int i;

	for (i = 0; i < FORECAST_NPARTS; i++)
		if (part == 1u << i)
			return part_names[i];
	return NULL;
}

unsigned
forecast_part_by_name(const char *name)
{
	int i;

	for (i = 0; i < FORECAST_NPARTS; i++)
		if (strcmp(name, part_names[i]) == 0)
			return 1u << i;
	return 0;
}

double
forecast_run_rate(const double *days, int n, int ahead)
{
	double sum = 0;
	int i;

	if (n <= 0 || ahead <= 0)
		return 0;
	for (i = 0; i < n; i++)
		sum += days[i];
	sum = sum / n * ahead;
	return sum > 0 ? sum : 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of v[0..n), which it sorts; 0 when n is 0. */
static double
median_sort(double *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
mean(const double *v, int n)
{
	double s = 0;
	int i;

	for (i = 0; i < n; i++)
		s += v[i];
	return n > 0 ? s / n : 0;
}

static int
is_weekend(int wd)
{
	return wd >= 5;
}

/*
 * The ratio of a weekend day to a weekday in x[0..n) (weekday of x[i]:
 * wd[i]), each day measured against the median of the week centred on
 * it (a median, so that a burst does not lift its neighbours); 1 when
 * fewer than three weekend days can be measured or the effect is too
 * small against the weekdays' own spread.
 */
static double
weekend_ratio(const double *x, const int *wd, int n)
{
	double *we, *wk, r, spread, week[7];
	int i, j, nwe = 0, nwk = 0;

	if (n < WEEKLY_MIN_DAYS)
		return 1;
	we = xmalloc((size_t)n * sizeof(*we));
	wk = xmalloc((size_t)n * sizeof(*wk));
	for (i = 3; i + 3 < n; i++) {
		double m;

		for (j = 0; j < 7; j++)
			week[j] = x[i - 3 + j];
		m = median_sort(week, 7);
		if (m <= 0)
			continue;
		if (is_weekend(wd[i]))
			we[nwe++] = x[i] / m;
		else
			wk[nwk++] = x[i] / m;
	}
	r = 1;
	if (nwe >= 3 && nwk >= 5) {
		double mwk = median_sort(wk, nwk), mwe = median_sort(we, nwe);

		/* the weekday ratios' own spread says how far apart two
		 * medians can fall by chance */
		for (i = 0; i < nwk; i++)
			wk[i] = fabs(wk[i] - mwk);
		spread = 1.4826 * median_sort(wk, nwk);
		if (mwk > 0 && mwe >= 0) {
			r = mwe / mwk;
			if (fabs(r - 1) < WEEKLY_MIN ||
			    fabs(mwe - mwk) < 2 * spread / sqrt(nwe))
				r = 1;
		}
	}
	free(we);
	free(wk);
	return r;
}

/* Residual sum of squares of the least-squares line through z[0..n). */
static double
line_ss(const double *z, int n, double *slope, double *at_end, double *se)
{
	double st = 0, sz = 0, stt = 0, stz = 0, b, a, ss = 0, d;
	int i;

	for (i = 0; i < n; i++) {
		st += i;
		sz += z[i];
		stt += (double)i * i;
		stz += i * z[i];
	}
	d = n * stt - st * st;
	b = d > 0 ? (n * stz - st * sz) / d : 0;
	a = (sz - b * st) / n;
	for (i = 0; i < n; i++)
		ss += (z[i] - a - b * i) * (z[i] - a - b * i);
	if (slope != NULL)
		*slope = b;
	if (at_end != NULL)
		*at_end = a + b * (n - 1);
	if (se != NULL)
		*se = n > 2 && d > 0 ? sqrt(ss / (n - 2) * n / d) : 0;
	return ss;
}

/* The day-to-day noise of z[0..n), from differences (a step moves
 * only one of them). */
static double
day_noise(const double *z, int n)
{
	double *d, noise;
	int i;

	if (n < 2)
		return 0;
	d = xmalloc((size_t)n * sizeof(*d));
	for (i = 1; i < n; i++)
		d[i - 1] = fabs(z[i] - z[i - 1]);
	noise = 1.4826 * median_sort(d, n - 1) / sqrt(2);
	free(d);
	return noise;
}

/*
 * Did the level change when this month began (z[b] is its first day)?
 * The first up to BOUNDARY_AFTER days of the month against the last
 * BOUNDARY_DAYS of the month before: a jump as large as find_shift asks for,
 * with every one of this month's days nearer its own level. Billing
 * months change at their start (reservations end, workloads restart),
 * and a break there is looked for first, so that an older level does
 * not blur the search for a change within this month.
 */
static int
month_break(const double *z, int n, int b)
{
	int nb = b < BOUNDARY_DAYS ? b : BOUNDARY_DAYS;
	int na = n - b < BOUNDARY_AFTER ? n - b : BOUNDARY_AFTER, k;
	double before, after, jump, noise;

	if (nb < 3 || na < 2)
		return 0;
	before = mean(z + b - nb, nb);
	after = mean(z + b, na);
	jump = after - before;
	/* the larger of the noise from one day to the next and the spread
	 * within either side: days that come and go are noise too */
	noise = day_noise(z + b - nb, nb + na);
	{
		double ss = 0, sd;

		for (k = b - nb; k < b + na; k++)
			ss += (z[k] - (k < b ? before : after)) *
			    (z[k] - (k < b ? before : after));
		sd = sqrt(ss / (nb + na - 2));
		if (sd > noise)
			noise = sd;
	}
	if (fabs(jump) <= SHIFT_MIN * (after > before ? after : before) ||
	    fabs(jump) <= SHIFT_SIGMA * noise * sqrt(1.0 / nb + 1.0 / na))
		return 0;
	for (k = b; k < b + na; k++)
		if (fabs(z[k] - after) >= fabs(z[k] - before))
			return 0;
	return 1;
}

/*
 * The jump in standard errors of a split of z[0..n) at s, gap days
 * before s in neither side, or 0 when it is no shift (see find_shift);
 * *before and *after get the two lines' values at s.
 */
static double
split_jump(const double *z, const int *wd, int n, int profiled,
    double noise, int s, int gap, double *before, double *after)
{
	int b0 = s > SHIFT_BEFORE ? s - SHIFT_BEFORE : 0;
	int nb = s - gap - b0, na = n - s, k;
	int mix[2][2] = { { 0, 0 }, { 0, 0 } };
	double bs, b_end, as = 0, a_end, ss, jump, se, sd;

	for (k = b0; k < n; k++)
		mix[k >= s][is_weekend(wd[k])] = 1;
	if (!profiled && !(mix[0][0] && mix[0][1] && mix[1][0] && mix[1][1]))
		return 0;
	ss = line_ss(z + b0, nb, &bs, &b_end, NULL);
	*before = b_end + bs * (1 + gap);	/* the line's day s */
	if (na >= SHIFT_LINE_DAYS) {
		ss += line_ss(z + s, na, &as, &a_end, NULL);
		*after = a_end - as * (na - 1);
	} else {
		*after = mean(z + s, na);
		for (k = s; k < n; k++)
			ss += (z[k] - *after) * (z[k] - *after);
	}
	jump = *after - *before;
	/* the spread around the two fits counts as noise too */
	sd = sqrt(ss / (nb + na > 4 ? nb + na - 4 : 1));
	se = (sd > noise ? sd : noise) * sqrt(1.0 / nb + 1.0 / na);
	/* each day after is nearer the new line than the old one's
	 * extension */
	for (k = s; k < n; k++) {
		double pa = na >= SHIFT_LINE_DAYS ? *after + as * (k - s) :
		    *after, pb = *before + bs * (k - s);

		if (fabs(z[k] - pa) >= fabs(z[k] - pb))
			return 0;
	}
	if (fabs(jump) <= SHIFT_MIN * (*after > *before ? *after : *before) ||
	    fabs(jump) <= SHIFT_SIGMA * se ||
	    ss * SHIFT_FIT >= line_ss(z + b0, n - b0, NULL, NULL, NULL))
		return 0;
	return se > 0 ? fabs(jump) / se : 1e300;
}

/*
 * Where the last level of z[0..n) starts. A split at s is a candidate
 * when, against the SHIFT_BEFORE days before it, a line on each side
 * (a flat level after it while it is shorter than SHIFT_LINE_DAYS) fits
 * SHIFT_FIT times better than one line through both, the jump at s
 * moves the level by more than SHIFT_MIN of the larger one and by more
 * than SHIFT_SIGMA standard errors, and every day after it is nearer
 * the new level than the old line's extension; of the candidates, the
 * clearest (largest jump in standard errors) wins, so the latest of
 * several steps is found. A ramp is no step: its days after any split
 * stay near the line.
 * Unless the weekday profile is known (profiled), each side must hold a
 * weekday and a weekend day, so that a weekend does not pass for a
 * switch-off. A change at an hour leaves a day between the levels: a
 * split from gap_from on (this month's days) is also tried with the day
 * before it in neither side (the old line then reaches across it). The
 * days before min_s are never after a split. Returns 0 when there is
 * none; *from and *to get the levels on either side of the jump.
 */
static int
find_shift(const double *z, const int *wd, int n, int profiled, int min_s,
    int gap_from, double *from, double *to)
{
	double noise, best_t = 0, m1 = 0, m2 = 0, before = 0, after = 0, t;
	int s, at = 0, min_after = profiled ? 2 : 3, gap;

	if (n < 3 + min_after)
		return 0;
	noise = day_noise(z, n);
	for (gap = 0; gap <= 1; gap++)
		for (s = gap && gap_from > 4 ? gap_from : 3 + gap;
		    s <= n - min_after; s++) {
			if (s - gap < min_s)
				continue;
			t = split_jump(z, wd, n, profiled, noise, s, gap,
			    &before, &after);
			if (t > best_t) {
				best_t = t;
				at = s;
				m1 = before;
				m2 = after;
			}
		}
	*from = m1;
	*to = m2;
	return at;
}

/*
 * Pull days further than OUTLIER_K robust deviations above the median
 * back to that bound; returns how many moved. Only bursts are damped: a
 * low day is more often a weekend or a quiet day than an error. Days at
 * the end that are all high are left alone: they may be a new level
 * starting, and only the days after them can tell.
 */
static int
damp_outliers(double *z, int n)
{
	double *c, med, scale, hi;
	int i, moved = 0, end = n;

	if (n < 5)
		return 0;
	c = xmalloc((size_t)n * sizeof(*c));
	memcpy(c, z, (size_t)n * sizeof(*c));
	med = median_sort(c, n);
	for (i = 0; i < n; i++)
		c[i] = fabs(z[i] - med);
	scale = 1.4826 * median_sort(c, n);
	free(c);
	/* a near-constant series is not all outliers */
	if (scale < 0.02 * fabs(med))
		scale = 0.02 * fabs(med);
	if (scale <= 0)
		return 0;
	hi = med + OUTLIER_K * scale;
	while (end > 0 && z[end - 1] > hi)
		end--;
	for (i = 0; i < end; i++)
		if (z[i] > hi) {
			z[i] = hi;
			moved++;
		}
	return moved;
}

/*
 * A monotonic trend in z[0..n), by ranks: the Mann-Kendall statistic
 * must stand out by more than TREND_T standard deviations (ties
 * ignored), so one heavy day cannot make a trend; the slope is the
 * Theil-Sen median of the pairwise slopes and *at_end the line's value
 * at the last day (the median of the days less the slope's share).
 * Returns the share of the trend to keep: 0 for none, 1 from TREND_T
 * on, in between a share that grows with |z| from TREND_Z0 (a trend
 * just under the bar is more likely real than not: a hard cut at it
 * drops most of a weak but real trend).
 */
static double
robust_trend(const double *z, int n, double *slope, double *at_end)
{
	double *v, var, zs;
	long sgn = 0;
	int i, j, k = 0;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			sgn += (z[j] > z[i]) - (z[j] < z[i]);
	var = (double)n * (n - 1) * (2 * n + 5) / 18;
	zs = (double)(sgn > 0 ? sgn - 1 : sgn < 0 ? sgn + 1 : 0) / sqrt(var);
	if (fabs(zs) <= TREND_Z0)
		return 0;
	v = xmalloc((size_t)n * (size_t)(n - 1) / 2 * sizeof(*v));
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			v[k++] = (z[j] - z[i]) / (j - i);
	*slope = median_sort(v, k);
	for (i = 0; i < n; i++)
		v[i] = z[i] - *slope * (i - (n - 1));
	*at_end = median_sort(v, n);
	free(v);
	return fabs(zs) >= TREND_T ? 1 :
	    (fabs(zs) - TREND_Z0) / (TREND_T - TREND_Z0);
}

void
forecast_usage(const struct forecast_input *in, unsigned parts,
    struct forecast *out)
{
	double *z = NULL, fwd = 1, fwe = 1, level, slope = 0, damp = 0, phi;
	int *wd = NULL, n, off, hist, start = 0, w0, win, i, k, noisy = 0;

	memset(out, 0, sizeof(*out));
	out->weekend = 1;
	out->shift_at = -1;
	hist = in->ndays - in->current;
	if (!(parts & FORECAST_HISTORY))
		off = hist;
	else
		off = hist > HISTORY_MAX ? hist - HISTORY_MAX : 0;
	n = in->ndays - off;
	if (n <= 0) {
		for (k = 0; in->each != NULL && k < in->ahead; k++)
			in->each[k] = 0;
		return;
	}
	out->history_days = hist - off;
	z = xmalloc((size_t)n * sizeof(*z));
	wd = xmalloc((size_t)n * sizeof(*wd));
	for (i = 0; i < n; i++) {
		z[i] = in->days[off + i];
		wd[i] = (in->first_weekday + off + i) % 7;
	}

	if (parts & FORECAST_WEEKLY) {
		double r = weekend_ratio(z, wd, n);

		if (r != 1) {
			fwe = 7 * r / (5 + 2 * r);
			fwd = 7 / (5 + 2 * r);
			out->weekend = r;
			out->used |= FORECAST_WEEKLY;
			for (i = 0; i < n; i++)
				z[i] /= is_weekend(wd[i]) ? fwe : fwd;
		}
	}

	/* a series this noisy cannot show a shift, a burst or a trend
	 * that chance would not show as well: the plain mean serves it
	 * best. The noise is the root mean square of the day-to-day
	 * differences (a trend hardly moves it, days that come and go
	 * do), less the largest two or tenth (a burst or a step is not
	 * noise) */
	{
		int m = n < WINDOW_MAX ? n : WINDOW_MAX, keep, drop;
		double *c = xmalloc((size_t)m * sizeof(*c)), med, ss = 0;

		memcpy(c, z + n - m, (size_t)m * sizeof(*c));
		med = median_sort(c, m);
		for (i = n - m + 1; i < n; i++)
			c[i - (n - m + 1)] = fabs(z[i] - z[i - 1]);
		drop = (m - 1) / 10 > 2 ? (m - 1) / 10 : 2;
		keep = m - 1 - drop;
		if (keep >= 2) {
			median_sort(c, m - 1);	/* sorts */
			for (i = 0; i < keep; i++)
				ss += c[i] * c[i];
			if (med <= 0 || sqrt(ss / keep / 2) > NOISY * med) {
				parts &= ~(FORECAST_SHIFT | FORECAST_OUTLIERS |
				    FORECAST_TREND);
				noisy = 1;
			}
		}
		free(c);
	}

	if (parts & FORECAST_SHIFT) {
		double from, to;
		/* before a week of this month, a change of level at its
		 * start or within the earlier months cuts away history
		 * that the backtest finds serves better (docs/estimate.md):
		 * until then, only a change after this month's first day
		 * counts, and only against stored earlier months */
		int early = in->current < SHIFT_FROM_DAYS;

		if (!early && hist - off > 0 && month_break(z, n, hist - off)) {
			start = hist - off;
			out->shift_at = off + start;
			out->shift_from = mean(z + start - 3, 3);
			out->shift_to = mean(z + start, n - start);
		}
		for (k = 0; k < 3 && (!early || hist - off > 0); k++) {
			int s = find_shift(z + start, wd + start, n - start,
			    (parts & FORECAST_WEEKLY) && n >= WEEKLY_MIN_DAYS,
			    early ? hist - off - start + 1 : 0,
			    hist - off - start, &from, &to);

			if (s <= 0)
				break;
			start += s;
			out->shift_at = off + start;
			out->shift_from = from;
			out->shift_to = to;
		}
		/* a change within the earlier months only shortens the
		 * history; it is this month's that the notes tell */
		if (out->shift_at >= 0)
			out->used |= FORECAST_SHIFT;
	}

	/* the last WINDOW_MAX days, or all of this month's when it has
	 * more (without history: the run-rate's own days), never from
	 * before a shift */
	w0 = n - WINDOW_MAX < hist - off ? n - WINDOW_MAX : hist - off;
	if (noisy)
		w0 = 0;
	if (w0 < start)
		w0 = start;
	win = n - w0;
	out->window = win;
	if (w0 < hist - off)
		out->used |= FORECAST_HISTORY;

	if ((parts & FORECAST_OUTLIERS) && (out->outliers =
	    damp_outliers(z + w0, win)) > 0)
		out->used |= FORECAST_OUTLIERS;

	level = mean(z + w0, win);
	if ((parts & FORECAST_TREND) && win >= TREND_MIN_DAYS) {
		double b, at_end, keep;

		keep = robust_trend(z + w0, win, &b, &at_end);
		if (keep > 0 && at_end > 0) {
			slope = keep * b;
			level += keep * (at_end - level);
			out->used |= FORECAST_TREND;
		}
	}
	out->level = level;
	out->slope = slope;
	{
		double ss = 0, b = slope, a = level - slope * (win - 1);

		for (i = 0; i < win; i++) {
			double e = z[w0 + i] - (a + b * i);

			ss += e * e;
		}
		out->noise = win >= 3 && level > 0 ?
		    sqrt(ss / (win - 1)) / level : 0;
	}

	phi = 1 - TREND_DAMPING / (win > 0 ? win : 1);
	for (k = 1; k <= in->ahead; k++) {
		int w = (wd[n - 1] + k) % 7;
		double day;

		damp = damp * phi + phi;
		day = level + slope * damp;
		if (level > 0 && day > TREND_CAP * level)
			day = TREND_CAP * level;
		if (day < 0)
			day = 0;
		day *= is_weekend(w) ? fwe : fwd;
		if (in->each != NULL)
			in->each[k - 1] = day;
		out->projected += day;
	}
	free(z);
	free(wd);
}
