/*
 * estimate.c - the monthly budget estimate and its backtest.
 *
 * The usage model, in the order it is applied to the complete days:
 *  1. one least-squares fit, weighted to recent days (half-life 7 days),
 *     of level, trend (from 5 days) and a weekend effect (from 7 days)
 *     together, so that neither passes for the other;
 *  2. outliers: the fit is robust (bisquare reweighting from a median
 *     start), so a burst day loses its weight instead of moving it;
 *  3. the trend stays only when significant (|t| > 3), the weekend
 *     effect only when it moves the level by more than 8 %;
 *  4. projection: level + slope x days ahead (+ weekend effect) per
 *     remaining day; the variance adds day-to-day noise and the level's
 *     and slope's own uncertainty.
 * Money stays exact where it was observed; only the projection of days
 * not yet seen goes through floating point.
 */
#include "estimate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "xalloc.h"

#define HALF_LIFE 7.0
#define TREND_T 3.0
#define SEASON_MIN 0.08	/* a weekend effect smaller than this is noise */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(const double *v, int n)
{
	double *c, m;

	if (n <= 0)
		return 0;
	c = xmalloc((size_t)n * sizeof(*c));
	memcpy(c, v, (size_t)n * sizeof(*c));
	qsort(c, (size_t)n, sizeof(*c), cmp_double);
	m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
	free(c);
	return m;
}

/*
 * Weighted least squares of x on up to three columns: 1, t (days from
 * the last one, so the intercept is the level there) and weekend (1 on
 * Saturdays and Sundays). use[k] says which columns take part; beta[k]
 * gets the coefficients (0 for unused ones), se[k] their standard
 * errors, *ss the weighted residual sum of squares. Returns -1 when the
 * system is singular.
 */
static int
wls(const double *x, const double *w, const int *wd, int n, const int use[3],
    double beta[3], double se[3], double *ss)
{
	double m[3][4] = { { 0 } }, inv[3][3], col[3], e;
	int idx[3], k = 0, i, r, c, p;

	for (i = 0; i < 3; i++) {
		beta[i] = se[i] = 0;
		if (use[i])
			idx[k++] = i;
	}
	for (i = 0; i < n; i++) {
		double v[3] = { 1, i - (n - 1), wd[i] >= 5 };

		for (r = 0; r < k; r++) {
			for (c = 0; c < k; c++)
				m[r][c] += w[i] * v[idx[r]] * v[idx[c]];
			m[r][3] += w[i] * v[idx[r]] * x[i];
		}
	}
	/* invert the k x k normal matrix by Gauss-Jordan */
	for (r = 0; r < k; r++)
		for (c = 0; c < k; c++)
			inv[r][c] = r == c;
	for (p = 0; p < k; p++) {
		double piv = m[p][p];

		if (fabs(piv) < 1e-12)
			return -1;
		for (c = 0; c < k; c++) {
			m[p][c] /= piv;
			inv[p][c] /= piv;
		}
		m[p][3] /= piv;
		for (r = 0; r < k; r++) {
			double f = m[r][p];

			if (r == p || f == 0)
				continue;
			for (c = 0; c < k; c++) {
				m[r][c] -= f * m[p][c];
				inv[r][c] -= f * inv[p][c];
			}
			m[r][3] -= f * m[p][3];
		}
	}
	for (r = 0; r < k; r++)
		col[r] = m[r][3];
	*ss = 0;
	for (i = 0; i < n; i++) {
		double v[3] = { 1, i - (n - 1), wd[i] >= 5 }, fit = 0;

		for (r = 0; r < k; r++)
			fit += col[r] * v[idx[r]];
		e = x[i] - fit;
		*ss += w[i] * e * e;
	}
	for (r = 0; r < k; r++) {
		double sw = 0, var;

		for (i = 0; i < n; i++)
			sw += w[i];
		beta[idx[r]] = col[r];
		/* residual variance per unit weight, scaled to the data */
		var = n > k ? *ss / (sw * (n - k) / n) : 0;
		se[idx[r]] = sqrt(var * inv[r][r] > 0 ? var * inv[r][r] : 0);
	}
	return 0;
}

/* Fitted value of day i under beta. */
static double
fitted(const double beta[3], int i, int n, int weekend)
{
	return beta[0] + beta[1] * (i - (n - 1)) + beta[2] * weekend;
}

/*
 * Iteratively reweighted least squares with Tukey's bisquare: a day far
 * from the fit (a burst, a one-off) loses its weight instead of pulling
 * the level. It starts from medians (weekday and weekend apart), which
 * a burst cannot move. rw[] receives each day's robustness weight.
 */
static void
robust_fit(const double *x, const double *w, const int *wd, int n,
    const int use[3], double beta[3], double se[3], double *ss, double *rw)
{
	double *ww = xmalloc((size_t)n * sizeof(*ww));
	double *e = xmalloc((size_t)n * sizeof(*e)), buf[64], med_wd, med_we;
	int i, k, iter;

	for (i = k = 0; i < n && k < 64; i++)
		if (wd[i] < 5 || !use[2])
			buf[k++] = x[i];
	med_wd = median(buf, k);
	for (i = k = 0; i < n && k < 64; i++)
		if (wd[i] >= 5)
			buf[k++] = x[i];
	med_we = k > 0 ? median(buf, k) : med_wd;
	beta[0] = med_wd;
	beta[1] = 0;
	beta[2] = use[2] ? med_we - med_wd : 0;
	for (iter = 0; iter < 6; iter++) {
		double scale;

		for (i = 0; i < n; i++)
			e[i] = fabs(x[i] - fitted(beta, i, n, wd[i] >= 5));
		scale = 1.4826 * median(e, n);
		/* a floor: a near-perfect series is not all outliers */
		if (scale < 0.01 * fabs(beta[0]))
			scale = 0.01 * fabs(beta[0]);
		for (i = 0; i < n; i++) {
			double u = scale > 0 ? e[i] / (4.685 * scale) : 0;

			rw[i] = u < 1 ? (1 - u * u) * (1 - u * u) : 0;
			ww[i] = w[i] * rw[i];
		}
		if (wls(x, ww, wd, n, use, beta, se, ss) != 0)
			break;
	}
	free(ww);
	free(e);
}

/*
 * A fleet launched (or stopped) in the month: a step in the daily level.
 * Returns the index where the last regime starts, or 0 when the days
 * are better read as one level with a trend. A step is taken when two
 * flat segments explain the days at least four times better than a
 * straight line, the level moves by more than a quarter, at least three
 * days follow it, and weekdays and weekend days stand on both sides.
 */
static int
find_step(const double *x, const int *wd, int n)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, b, a, ss_line = 0, best = -1;
	int i, s, at = 0;

	if (n < 6)
		return 0;
	for (i = 0; i < n; i++) {
		sx += i;
		sy += x[i];
		sxx += (double)i * i;
		sxy += i * x[i];
	}
	b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
	a = (sy - b * sx) / n;
	for (i = 0; i < n; i++)
		ss_line += (x[i] - a - b * i) * (x[i] - a - b * i);
	for (s = 2; s <= n - 3; s++) {
		double m1 = 0, m2 = 0, ss = 0;

		for (i = 0; i < s; i++)
			m1 += x[i];
		for (i = s; i < n; i++)
			m2 += x[i];
		m1 /= s;
		m2 /= n - s;
		for (i = 0; i < n; i++) {
			double d = x[i] - (i < s ? m1 : m2);

			ss += d * d;
		}
		/* both sides must hold a weekday and a weekend day, or a
		 * weekend next to weekdays would pass for a step */
		int k, mix[2][2] = { { 0, 0 }, { 0, 0 } };

		for (k = 0; k < n; k++)
			mix[k >= s][wd[k] >= 5] = 1;
		if (!(mix[0][0] && mix[0][1] && mix[1][0] && mix[1][1]))
			continue;
		if (fabs(m2 - m1) > 0.25 * (m1 > m2 ? m1 : m2) &&
		    ss * 4 < ss_line && (best < 0 || ss < best)) {
			best = ss;
			at = s;
		}
	}
	/* a day half-way between the two levels (a launch at noon)
	 * belongs to neither */
	if (at > 0 && at < n - 3) {
		double lo = x[at - 1] < x[n - 1] ? x[at - 1] : x[n - 1];
		double hi = x[at - 1] < x[n - 1] ? x[n - 1] : x[at - 1];

		if (x[at] > lo + 0.1 * (hi - lo) && x[at] < hi - 0.1 *
		    (hi - lo))
			at++;
	}
	return at;
}

void
estimate_fit_series(const double *x, const int *wd, int n,
    struct estimate_fit *fit)
{
	double *w, *rw, beta[3], se[3], ss = 0, sw = 0;
	int use[3] = { 1, 0, 0 }, i, weekends = 0, weekdays = 0, dof, step;

	memset(fit, 0, sizeof(*fit));
	fit->n = n;
	if (n <= 0)
		return;
	/* after a step, only the new level tells what the rest of the
	 * month costs */
	step = find_step(x, wd, n);
	if (step > 0) {
		fit->step = step;
		x += step;
		wd += step;
		n -= step;
		fit->n = n;
	}
	w = xmalloc((size_t)n * sizeof(*w));
	rw = xmalloc((size_t)n * sizeof(*rw));
	for (i = 0; i < n; i++) {
		w[i] = pow(0.5, (n - 1 - i) / HALF_LIFE);
		if (wd[i] >= 5)
			weekends++;
		else
			weekdays++;
	}
	/* level, trend and weekend together, so that a weekend at the end
	 * of a short window is not taken for a falling trend, nor a growing
	 * fleet for a weekly pattern */
	use[1] = n >= 5;
	use[2] = n >= 7 && weekends > 0 && weekdays > 0;
	robust_fit(x, w, wd, n, use, beta, se, &ss, rw);
	/* keep the trend and the weekend only where they stand out */
	if (use[1] && !(se[1] > 0 ? fabs(beta[1]) / se[1] > TREND_T :
	    beta[1] != 0)) {
		use[1] = 0;
		robust_fit(x, w, wd, n, use, beta, se, &ss, rw);
	}
	if (use[2] && fabs(beta[2]) < SEASON_MIN * fabs(beta[0])) {
		use[2] = 0;
		robust_fit(x, w, wd, n, use, beta, se, &ss, rw);
	}
	fit->level = beta[0] > 0 ? beta[0] : 0;
	fit->slope = beta[1];
	fit->trend = use[1];
	fit->weekend = beta[2];
	fit->seasonal = use[2];
	for (i = 0; i < n; i++) {
		sw += w[i] * rw[i];
		if (rw[i] < 0.5)
			fit->outliers++;
	}
	dof = n - fit->outliers - 1 - use[1] - use[2];
	fit->sigma = sw > 0 ? sqrt(ss / sw * (n - fit->outliers) /
	    (dof > 1 ? dof : 1)) : 0;
	free(w);
	free(rw);
}

double
estimate_day(const struct estimate_fit *fit, int ahead, int wday)
{
	double lv = fit->level + fit->slope * ahead +
	    (wday >= 5 ? fit->weekend : 0);

	return lv > 0 ? lv : 0;
}

double
estimate_project(const struct estimate_fit *fit, int days, int first_weekday,
    double *var)
{
	double sum = 0, neff, v;
	int j;

	for (j = 0; j < days; j++)
		sum += estimate_day(fit, j + 1, (first_weekday + j) % 7);
	/* day-to-day noise on each remaining day, plus the level's own
	 * uncertainty carried over all of them (about sigma^2 / n_eff) */
	neff = fit->n < HALF_LIFE * 1.5 ? fit->n : HALF_LIFE * 1.5;
	v = days * fit->sigma * fit->sigma;
	if (neff > 0)
		v += (double)days * days * fit->sigma * fit->sigma / neff;
	if (fit->trend)	/* the slope's error grows with the horizon */
		v += (double)days * days * days * fit->sigma * fit->sigma /
		    (3.0 * (neff > 1 ? neff * neff : 1));
	*var = v;
	return sum;
}

/* ---- reading a month from the store ---------------------------------- */

static int
db_fail(sqlite3 *db, struct pv_error *err)
{
	return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "database: %s",
	    sqlite3_errmsg(db));
}

static char *
col(sqlite3_stmt *q, int i)
{
	const unsigned char *s = sqlite3_column_text(q, i);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

static money_t
to_money(double v)
{
	double u = nearbyint(v * (double)MONEY_SCALE);

	if (u > 9.2e18)
		return INT64_MAX;
	if (u < -9.2e18)
		return INT64_MIN;
	return (money_t)u;
}

static double
to_double(money_t v)
{
	return (double)v / (double)MONEY_SCALE;
}

static void
note(struct estimate_payer *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note(struct estimate_payer *p, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	p->notes = xrealloc(p->notes, (p->nnotes + 1) * sizeof(*p->notes));
	p->notes[p->nnotes++] = xstrdup(buf);
}

/* Which part of the estimate a group of lines is. */
enum part {
	PART_USAGE_DAILY,	/* usage and discounts by the hour or day */
	PART_USAGE_MTD,		/* monthly reports: month-to-date usage */
	PART_FEE,		/* recurring, counted once */
	PART_ONE_TIME,
	PART_CREDIT,
	PART_REFUND,
	PART_TAX,
	PART_OTHER		/* rounding */
};

static enum part
part_of(const char *cls, const char *line_type, int long_line,
    int monthly_format)
{
	if (strcmp(cls, "usage") == 0 || strcmp(cls, "discount") == 0) {
		if (!long_line)
			return PART_USAGE_DAILY;
		/* a monthly report's lines span the month to date; in a
		 * DBR or CUR a month-long usage line is a monthly charge
		 * (hosted zones and the like) */
		return monthly_format ? PART_USAGE_MTD : PART_FEE;
	}
	if (strcmp(cls, "fee") == 0) {
		if (strcmp(line_type, "Fee") == 0 ||
		    strcmp(line_type, "SavingsPlanUpfrontFee") == 0)
			return PART_ONE_TIME;
		if (strcmp(line_type, "RIFee") == 0 ||
		    strcmp(line_type, "SavingsPlanRecurringFee") == 0)
			return PART_FEE;
		return long_line ? PART_FEE : PART_ONE_TIME;
	}
	if (strcmp(cls, "credit") == 0)
		return PART_CREDIT;
	if (strcmp(cls, "refund") == 0)
		return PART_REFUND;
	if (strcmp(cls, "tax") == 0)
		return PART_TAX;
	return PART_OTHER;
}

/* The lines of one payer-month, grouped by service and what they are;
 * ?3 cuts at a day (backtests), ?4 is where "recent" days start. */
static const char parts_sql[] =
    "SELECT COALESCE(si.code, ''), COALESCE(si.name, ''), il.class, "
    "       COALESCE(lt.name, ''), il.span_days > 1, SUM(il.cost), "
    "       SUM(CASE WHEN il.day >= ?4 THEN il.cost ELSE 0 END) "
    "FROM invoice_day il "
    "LEFT JOIN service_ident si ON si.service = il.service "
    "LEFT JOIN line_type lt ON lt.id = il.line_type "
    "WHERE il.payer_account = ?1 AND il.period = ?2 "
    "  AND (?3 IS NULL OR il.day < ?3) "
    "GROUP BY 1, 2, 3, 4, 5";

static const char daily_sql[] =
    "SELECT day, SUM(cost) FROM invoice_day "
    "WHERE payer_account = ?1 AND period = ?2 AND span_days = 1 "
    "  AND class IN ('usage', 'discount') AND (?3 IS NULL OR day < ?3) "
    "GROUP BY day";

/* Recurring fees of a month by service and usage type. */
static const char fees_sql[] =
    "SELECT COALESCE(si.code, ''), COALESCE(ut.name, ''), SUM(il.cost), "
    "       COALESCE(MAX(si.name), '') "
    "FROM invoice_day il "
    "LEFT JOIN service_ident si ON si.service = il.service "
    "LEFT JOIN usage_type ut ON ut.id = il.usage_type "
    "LEFT JOIN line_type lt ON lt.id = il.line_type "
    "WHERE il.payer_account = ?1 AND il.period = ?2 "
    "  AND (?3 IS NULL OR il.day < ?3) "
    "  AND ((il.class = 'fee' AND (il.span_days > 1 OR lt.name IN "
    "       ('RIFee', 'SavingsPlanRecurringFee'))) "
    "    OR (il.class IN ('usage', 'discount') AND il.span_days > 1)) "
    "GROUP BY 1, 2 HAVING SUM(il.cost) > 0";

static int
add_service(struct estimate_payer *p, const char *code, const char *name,
    money_t v, int usage)
{
	struct estimate_service *e = NULL;
	size_t i;

	for (i = 0; i < p->nservices && e == NULL; i++)
		if (strcmp(p->services[i].code, code) == 0)
			e = &p->services[i];
	if (e == NULL) {
		p->services = xrealloc(p->services, (p->nservices + 1) *
		    sizeof(*p->services));
		e = &p->services[p->nservices++];
		e->code = xstrdup(code);
		e->name = xstrdup(name);
		e->amount = e->usage_seen = 0;
	}
	if (usage && money_add(&e->usage_seen, v) != 0)
		return -1;
	return money_add(&e->amount, v);
}

static int
cmp_service(const void *a, const void *b)
{
	const struct estimate_service *x = a, *y = b;

	if (x->amount != y->amount)
		return x->amount > y->amount ? -1 : 1;
	return strcmp(x->code, y->code);
}

struct month_info {
	char *payer, *period, *format, *currency;
	int places, estimated;
	char *usage_end, *last_end;
	int has_prev;		/* the payer has data in the month before */
};

static void
prev_month(const char *period, char out[8])
{
	int y, m;

	if (sscanf(period, "%d-%d", &y, &m) != 2 || y < 1971 || m < 1 ||
	    m > 12) {
		y = 1970;
		m = 2;
	}
	date_format_month((date_days_from_civil(y, m, 1) - 1) * 86400, out);
}

static int64_t
day_number(const char *ymd)
{
	int y, m, d;

	if (ymd == NULL || sscanf(ymd, "%d-%d-%d", &y, &m, &d) != 3)
		return -1;
	return date_days_from_civil(y, m, d);
}

/* Weekday of a day number: 1970-01-01 was a Thursday (3, Monday = 0). */
static int
weekday(int64_t day)
{
	return (int)(((day % 7) + 7 + 3) % 7);
}

static void
day_text(int64_t day, char out[11])
{
	date_format_day((pv_time)day * 86400, out);
}

static int
read_daily(sqlite3 *db, const struct month_info *mi, const char *cut,
    int64_t first, int64_t last, double *x, int64_t *first_data,
    money_t *all_days, struct pv_error *err)
{
	sqlite3_stmt *q;
	int rc;

	*first_data = -1;
	*all_days = 0;
	if (sqlite3_prepare_v2(db, daily_sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, err);
	sqlite3_bind_text(q, 1, mi->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, mi->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, cut, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t d = day_number((const char *)sqlite3_column_text(q, 0));
		money_t v = sqlite3_column_int64(q, 1);

		money_add(all_days, v);
		if (*first_data < 0 || d < *first_data)
			*first_data = d;
		if (d >= first && d <= last)
			x[d - first] += to_double(v);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

/* Recurring fees of the month before that have not come this month. */
static int
expected_fees(sqlite3 *db, const struct month_info *mi, const char *cut,
    struct estimate_payer *p, struct pv_error *err)
{
	sqlite3_stmt *q;
	char prev[8];
	struct { char *code, *ut; money_t v; } *now = NULL;
	size_t nnow = 0, i;
	int rc, pass;

	prev_month(mi->period, prev);
	if (sqlite3_prepare_v2(db, fees_sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, err);
	for (pass = 0; pass < 2; pass++) {
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, mi->payer, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, pass == 0 ? mi->period : prev, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(q, 3, pass == 0 ? cut : NULL, -1,
		    SQLITE_STATIC);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			const char *code = (const char *)sqlite3_column_text(q,
			    0), *ut = (const char *)sqlite3_column_text(q, 1);
			money_t v = sqlite3_column_int64(q, 2);
			char amount[48];

			if (pass == 0) {
				now = xrealloc(now, (nnow + 1) * sizeof(*now));
				now[nnow].code = xstrdup(code);
				now[nnow].ut = xstrdup(ut);
				now[nnow].v = v;
				nnow++;
				continue;
			}
			for (i = 0; i < nnow; i++)
				if (strcmp(now[i].code, code) == 0 &&
				    strcmp(now[i].ut, ut) == 0)
					break;
			if (i < nnow)
				continue;
			money_add(&p->fees_expected, v);
			add_service(p, code[0] ? code : "(none)",
			    (const char *)sqlite3_column_text(q, 3), v, 0);
			money_format(amount, sizeof(amount), v, 2);
			note(p, "%s fee %s%s%s %s expected again (posted in %s, "
			    "not yet this month)", code, ut[0] ? "(" : "", ut,
			    ut[0] ? ")" : "", amount, prev);
		}
		if (rc != SQLITE_DONE)
			break;
	}
	sqlite3_finalize(q);
	for (i = 0; i < nnow; i++) {
		free(now[i].code);
		free(now[i].ut);
	}
	free(now);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

/* The month's parts, and each service's share of them. */
static int
read_parts(sqlite3 *db, const struct month_info *mi, const char *cut,
    int monthly, struct estimate_payer *p, money_t *usage_mtd,
    money_t *daily_total, struct pv_error *err)
{
	sqlite3_stmt *q;
	int rc;

	*usage_mtd = 0;
	*daily_total = 0;
	if (sqlite3_prepare_v2(db, parts_sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, err);
	sqlite3_bind_text(q, 1, mi->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, mi->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, cut, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, "", -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(q, 0);
		const char *name = (const char *)sqlite3_column_text(q, 1);
		enum part part = part_of((const char *)sqlite3_column_text(q,
		    2), (const char *)sqlite3_column_text(q, 3),
		    sqlite3_column_int(q, 4), monthly);
		money_t v = sqlite3_column_int64(q, 5);
		money_t *sum = NULL;

		switch (part) {
		case PART_USAGE_DAILY:
			sum = daily_total;
			break;
		case PART_USAGE_MTD:
			sum = usage_mtd;
			break;
		case PART_FEE:
			sum = &p->fees;
			break;
		case PART_ONE_TIME:
			sum = &p->one_time;
			break;
		case PART_CREDIT:
			sum = &p->credits;
			break;
		case PART_REFUND:
			sum = &p->refunds;
			break;
		case PART_TAX:
			sum = &p->tax_observed;
			break;
		case PART_OTHER:
			break;
		}
		if (sum != NULL && money_add(sum, v) != 0) {
			sqlite3_finalize(q);
			return pv_error_set(err, PV_ERR_FATAL, NULL, 0,
			    "estimate: sums overflow");
		}
		/* services carry what they cost: usage (scaled later),
		 * fees and one-time purchases */
		if (part == PART_USAGE_DAILY || part == PART_USAGE_MTD ||
		    part == PART_FEE || part == PART_ONE_TIME)
			add_service(p, code[0] ? code : "(none)", name, v,
			    part == PART_USAGE_DAILY || part == PART_USAGE_MTD);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

/*
 * Each service keeps its fees and one-time purchases; the usage seen so
 * far (all days, the partial one too) grows to the estimated usage in
 * proportion. The rounding rest goes to the largest service, so the
 * services add up to the amount exactly.
 */
static void
allocate_services(struct estimate_payer *p, money_t usage_seen,
    money_t usage_estimated)
{
	money_t sum = 0;
	size_t i, big = 0;

	for (i = 0; i < p->nservices; i++) {
		struct estimate_service *e = &p->services[i];

		if (usage_seen != 0 && e->usage_seen != 0)
			e->amount += to_money(to_double(e->usage_seen) *
			    (to_double(usage_estimated) /
			    to_double(usage_seen))) - e->usage_seen;
		sum += e->amount;
		if (e->amount > p->services[big].amount)
			big = i;
	}
	if (p->nservices > 0)
		p->services[big].amount += p->amount - sum;
	qsort(p->services, p->nservices, sizeof(*p->services), cmp_service);
}

static void
confidence_of(struct estimate_payer *p)
{
	double cv = p->fit.level > 0 ? p->fit.sigma / p->fit.level : 1;

	if (p->final)
		p->confidence = "high";
	else if (p->fit.step > 0)	/* a new level, only days old */
		p->confidence = p->fit.n >= 14 && cv < 0.15 ? "medium" : "low";
	else if (p->days_observed >= 21 && cv < 0.15)
		p->confidence = "high";
	else if (p->days_observed >= 14 && cv < 0.3)
		p->confidence = "medium";
	else if (p->days_observed >= 7 && cv < 0.05)
		p->confidence = "medium";
	else
		p->confidence = "low";
}

/* The month before mi[i] when it is stored for the same payer. */
static const struct month_info *
prev_of(const struct month_info *mi, size_t i)
{
	return mi[i].has_prev ? &mi[i - 1] : NULL;
}

/*
 * The weekend effect of the month before, as a share of its weekday
 * level (0 when it had none): what a window too short to show a weekend
 * borrows.
 */
static double
prior_weekend(sqlite3 *db, const struct month_info *prev)
{
	struct estimate_fit fit;
	struct pv_error err;
	double *x;
	int *wd, y, m, days, i;
	int64_t first, first_data;
	money_t all;

	if (prev == NULL || sscanf(prev->period, "%d-%d", &y, &m) != 2)
		return 0;
	days = date_days_in_month(y, m);
	first = date_days_from_civil(y, m, 1);
	x = xcalloc((size_t)days, sizeof(*x));
	wd = xcalloc((size_t)days, sizeof(*wd));
	if (read_daily(db, prev, NULL, first, first + days - 1, x,
	    &first_data, &all, &err) != 0) {
		free(x);
		free(wd);
		return 0;
	}
	for (i = 0; i < days; i++)
		wd[i] = weekday(first + i);
	estimate_fit_series(x, wd, days, &fit);
	free(x);
	free(wd);
	return fit.seasonal && fit.level > 0 ? fit.weekend / fit.level : 0;
}

/* Estimate one payer's month from what is stored (before cut, if any);
 * prev is the month before it, when stored. */
static int
estimate_month(sqlite3 *db, const struct month_info *mi,
    const struct month_info *prev, const char *cut, struct estimate_payer *p,
    struct pv_error *err)
{
	int y, m, monthly = strcmp(mi->format, "monthly") == 0 ||
	    strcmp(mi->format, "cost-allocation") == 0;
	int64_t first_day, last_day, last_complete, start, first_data = -1;
	int64_t cut_day = cut != NULL ? day_number(cut) : -1;
	money_t usage_mtd, daily_total, all_days, observed_fixed;
	double *x = NULL, var = 0, proj = 0;
	int *wd = NULL, n, i, rc = -1;
	pv_time end = -1;
	char buf[48], buf2[48];

	memset(p, 0, sizeof(*p));
	p->payer = xstrdup(mi->payer);
	p->period = xstrdup(mi->period);
	p->currency = xstrdup(mi->currency ? mi->currency : "USD");
	p->places = mi->places < 2 ? 2 : mi->places;
	if (sscanf(mi->period, "%d-%d", &y, &m) != 2)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "estimate: bad "
		    "period '%s'", mi->period);
	p->days_in_month = date_days_in_month(y, m);
	first_day = date_days_from_civil(y, m, 1);
	last_day = first_day + p->days_in_month - 1;

	/* how far complete days reach: hourly lines to the day's end */
	if (mi->usage_end != NULL)
		date_parse(mi->usage_end, strlen(mi->usage_end), &end);
	else if (mi->last_end != NULL)
		date_parse(mi->last_end, strlen(mi->last_end), &end);
	if (cut_day >= 0 && (end < 0 || end > cut_day * 86400))
		end = cut_day * 86400;
	last_complete = end >= 0 ? end / 86400 - 1 : first_day - 1;
	if (last_complete > last_day)
		last_complete = last_day;

	n = (int)(last_complete - first_day + 1);
	x = xcalloc((size_t)p->days_in_month + 1, sizeof(*x));
	wd = xcalloc((size_t)p->days_in_month + 1, sizeof(*wd));
	if (read_daily(db, mi, cut, first_day, last_day, x, &first_data,
	    &all_days, err) != 0 ||
	    read_parts(db, mi, cut, monthly, p, &usage_mtd, &daily_total,
	    err) != 0)
		goto out;
	/* last month's fees are expected again only while this month is
	 * still open: a complete or invoiced month is what was charged */
	if (last_complete < last_day && (cut != NULL || mi->estimated) &&
	    expected_fees(db, mi, cut, p, err) != 0)
		goto out;
	/* an account new this month: its run-rate starts on its first day
	 * (days before it cost nothing, and will not) */
	start = first_day;
	if (!mi->has_prev && first_data > first_day)
		/* when its only day is still partial, no day is complete */
		start = first_data <= last_complete ? first_data :
		    last_complete + 1;
	n = last_complete >= start ? (int)(last_complete - start + 1) : 0;
	for (i = 0; i < n; i++) {
		p->usage_observed += to_money(x[start - first_day + i]);
		wd[i] = weekday(start + i);
	}
	/* exact: the sum of the complete days as stored */
	{
		money_t exact = 0;
		sqlite3_stmt *q;
		char from[11], to[11];

		day_text(start, from);
		day_text(last_complete + 1, to);
		if (sqlite3_prepare_v2(db, "SELECT COALESCE(SUM(cost), 0) FROM "
		    "invoice_day WHERE payer_account = ?1 AND period = ?2 AND "
		    "span_days = 1 AND class IN ('usage', 'discount') AND "
		    "day >= ?3 AND day < ?4", -1, &q, NULL) != SQLITE_OK) {
			db_fail(db, err);
			goto out;
		}
		sqlite3_bind_text(q, 1, mi->payer, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, mi->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, from, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, to, -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW)
			exact = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		p->usage_observed = exact;
	}
	p->days_observed = n;
	if (n > 0)
		day_text(last_complete, buf), p->last_complete_day = xstrdup(buf);
	estimate_fit_series(x + (start - first_day), wd, n, &p->fit);
	/* a window that has not seen a weekend yet borrows last month's
	 * weekend effect */
	if (!p->fit.seasonal && n > 0 && last_complete < last_day) {
		int weekend_seen = 0;

		for (i = 0; i < n; i++)
			weekend_seen |= wd[i] >= 5;
		if (!weekend_seen || n < 7) {
			double r = prior_weekend(db, prev);

			if (r != 0) {
				p->fit.weekend = r * p->fit.level;
				p->fit.seasonal = 1;
				p->prior_weekend = 1;
			}
		}
	}

	if (monthly && daily_total == 0) {
		/* a monthly report: month-to-date lines, no daily detail */
		int seen = n > 0 ? n : 1;

		p->usage_observed = usage_mtd;
		if (last_complete < last_day)
			proj = to_double(usage_mtd) / seen *
			    (double)(last_day - last_complete);
		var = (proj * 0.25) * (proj * 0.25);
		note(p, "monthly report: no daily detail, usage extrapolated "
		    "linearly");
	} else if (n == 0 && daily_total > 0 && end > first_day * 86400 &&
	    last_complete < last_day && (cut != NULL || mi->estimated)) {
		/* not one complete day yet: the hours seen give a rate, as
		 * rough as it gets */
		int64_t from = !mi->has_prev && first_data > first_day ?
		    first_data : first_day;
		double seen = (double)(end - from * 86400) / 86400;

		if (seen <= 0)
			seen = 1.0 / 24;
		proj = to_double(daily_total) / seen *
		    (double)(last_day - from + 1);
		var = (proj * 0.5) * (proj * 0.5);
		note(p, "less than one complete day: run-rate from %.0f hours",
		    seen * 24);
	} else if (last_complete < last_day) {
		proj = estimate_project(&p->fit, (int)(last_day - last_complete),
		    weekday(last_complete + 1), &var);
	}
	/* an invoiced month is what it is, however little of it a trimmed
	 * file shows: nothing to project */
	p->final = cut == NULL && !mi->estimated;
	p->status = p->final ? "final" : "estimated";
	if (last_complete >= last_day || p->final) {
		/* the month is all there: what was charged is the answer */
		p->usage_observed = daily_total + usage_mtd;
		proj = 0;
		var = 0;
	}
	p->usage_projected = to_money(proj);
	p->amount = p->usage_observed;
	if (money_add(&p->amount, p->usage_projected) != 0 ||
	    money_add(&p->amount, p->fees) != 0 ||
	    money_add(&p->amount, p->fees_expected) != 0 ||
	    money_add(&p->amount, p->one_time) != 0) {
		pv_error_set(err, PV_ERR_FATAL, NULL, 0, "estimate overflows");
		goto out;
	}
	/* the model itself can be off beyond day-to-day noise (a fleet
	 * that changes, a pattern not yet seen): a share of the projection
	 * that shrinks as more days are seen; backtests put real errors at
	 * 1-3 % */
	if (proj > 0) {
		double k = 0.03 * sqrt(7.0 / (n > 0 ? n : 1));

		var += (proj * k) * (proj * k);
	}
	{
		double sd = sqrt(var) * 1.645;	/* a 90 % range */

		p->low = p->amount - to_money(sd) - p->fees_expected;
		p->high = p->amount + to_money(sd);
	}
	/* tax at the ratio seen so far, on the whole month */
	observed_fixed = daily_total + usage_mtd + p->fees + p->one_time;
	if (p->tax_observed != 0 && observed_fixed > 0)
		p->tax = to_money(to_double(p->amount) *
		    (to_double(p->tax_observed) / to_double(observed_fixed)));
	/* the naive run-rate, for comparison: month to date, scaled */
	if (n > 0)
		p->naive = to_money(to_double(p->usage_observed + p->fees +
		    p->one_time) * p->days_in_month / n);
	allocate_services(p, daily_total + usage_mtd,
	    p->amount - p->fees - p->fees_expected - p->one_time);
	confidence_of(p);

	/* what drove the number, in words */
	if (p->final)
		note(p, "the month is complete: charges as billed");
	else {
		note(p, "%d of %d days observed", n, p->days_in_month);
		if (n < 14)
			note(p, "wait ~%d days for a firmer estimate", 14 - n);
	}
	if (p->fees != 0) {
		money_format(buf, sizeof(buf), p->fees, 2);
		note(p, "recurring fees %s counted once", buf);
	}
	if (p->one_time != 0) {
		money_format(buf, sizeof(buf), p->one_time, 2);
		note(p, "one-time purchases %s counted as they are", buf);
	}
	if (p->credits != 0 || p->refunds != 0) {
		money_format(buf, sizeof(buf), p->credits, 2);
		money_format(buf2, sizeof(buf2), p->refunds, 2);
		note(p, "credits %s and refunds %s left out of the budget", buf,
		    buf2);
	}
	if (!p->final && p->fit.trend && p->fit.level > 0)
		note(p, "usage %s about %.1f%% a week", p->fit.slope > 0 ?
		    "growing" : "shrinking", fabs(p->fit.slope) * 7 * 100 /
		    p->fit.level);
	if (!p->final && p->fit.seasonal && p->fit.level > 0)
		note(p, "weekly pattern: weekends %+.0f%% against weekdays%s",
		    p->fit.weekend * 100 / p->fit.level, p->prior_weekend ?
		    " (from last month)" : "");
	if (!p->final && p->fit.step > 0 && p->last_complete_day != NULL) {
		char day[11];

		day_text(day_number(p->last_complete_day) - p->fit.n + 1, day);
		note(p, "usage changed level on %s: the run-rate starts there",
		    day);
	}
	if (!p->final && p->fit.outliers > 0)
		note(p, "%d unusual day%s damped", p->fit.outliers,
		    p->fit.outliers == 1 ? "" : "s");
	if (p->tax != 0) {
		money_format(buf, sizeof(buf), p->tax, 2);
		note(p, "tax %s projected apart at the observed ratio", buf);
	}
	rc = 0;
out:
	free(x);
	free(wd);
	return rc;
}

static const char months_sql[] =
    "SELECT payer_account, period, MAX(format), MIN(currency), MAX(places), "
    "       MAX(estimated), MAX(usage_end), MAX(last_end) "
    "FROM counted_period WHERE format <> 'manual' "
    "  AND (?1 IS NULL OR payer_account = ?1) "
    "GROUP BY payer_account, period ORDER BY payer_account, period";

static void
month_info_release(struct month_info *m)
{
	free(m->payer);
	free(m->period);
	free(m->format);
	free(m->currency);
	free(m->usage_end);
	free(m->last_end);
}

/* Every stored payer-month (billing deliveries only), in order. */
static int
read_months(sqlite3 *db, const char *payer, struct month_info **out,
    size_t *n, struct pv_error *err)
{
	sqlite3_stmt *q;
	size_t cap = 0, i;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, months_sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, err);
	sqlite3_bind_text(q, 1, payer, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct month_info *m;

		*out = xgrow(*out, &cap, *n + 1, sizeof(**out));
		m = &(*out)[(*n)++];
		memset(m, 0, sizeof(*m));
		m->payer = col(q, 0);
		m->period = col(q, 1);
		m->format = col(q, 2);
		m->currency = col(q, 3);
		m->places = sqlite3_column_int(q, 4);
		m->estimated = sqlite3_column_int(q, 5);
		m->usage_end = col(q, 6);
		m->last_end = col(q, 7);
	}
	sqlite3_finalize(q);
	for (i = 1; i < *n; i++) {
		char prev[8];

		prev_month((*out)[i].period, prev);
		(*out)[i].has_prev = strcmp((*out)[i - 1].payer,
		    (*out)[i].payer) == 0 && strcmp((*out)[i - 1].period,
		    prev) == 0;
	}
	return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

static void
payer_release(struct estimate_payer *p)
{
	size_t i;

	free(p->payer);
	free(p->period);
	free(p->currency);
	free(p->last_complete_day);
	for (i = 0; i < p->nservices; i++) {
		free(p->services[i].code);
		free(p->services[i].name);
	}
	free(p->services);
	for (i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->notes);
}

int
estimate_build(struct store *st, const struct estimate_options *o,
    struct estimate **out, struct pv_error *err)
{
	sqlite3 *db = store_db(st);
	struct estimate *e = xcalloc(1, sizeof(*e));
	struct month_info *mi = NULL;
	size_t nmi = 0, i, j, k;
	int rc = -1;

	e->method = "robust run-rate: complete days, recent-weighted, "
	    "outliers damped, weekly pattern and trend; fees once";
	if (store_prepare_reading(st, err) != 0 ||
	    read_months(db, o->payer, &mi, &nmi, err) != 0)
		goto out;
	for (i = 0; i < nmi; i = j) {
		size_t pick = (size_t)-1;

		for (j = i; j < nmi && strcmp(mi[j].payer, mi[i].payer) == 0;
		    j++)
			if (o->month == NULL || strcmp(mi[j].period,
			    o->month) == 0)
				pick = j;
		if (pick == (size_t)-1)
			continue;
		e->payers = xrealloc(e->payers, (e->npayers + 1) *
		    sizeof(*e->payers));
		if (estimate_month(db, &mi[pick], prev_of(mi, pick), o->cut,
		    &e->payers[e->npayers], err) != 0) {
			payer_release(&e->payers[e->npayers]);
			goto out;
		}
		e->npayers++;
	}
	/* the latest month over everything covered; payers whose data
	 * ends earlier are listed but not summed */
	for (i = 0; i < e->npayers; i++)
		if (e->period == NULL || strcmp(e->payers[i].period,
		    e->period) > 0) {
			free(e->period);
			e->period = xstrdup(e->payers[i].period);
		}
	for (i = 0; i < e->npayers; i++) {
		struct estimate_payer *p = &e->payers[i];

		if (strcmp(p->period, e->period) != 0)
			continue;
		if (e->currency == NULL)
			e->currency = xstrdup(p->currency);
		if (p->places > e->places)
			e->places = p->places;
		if (p->days_observed > e->days_observed)
			e->days_observed = p->days_observed;
		if (money_add(&e->amount, p->amount) != 0 ||
		    money_add(&e->low, p->low) != 0 ||
		    money_add(&e->high, p->high) != 0 ||
		    money_add(&e->tax, p->tax) != 0 ||
		    money_add(&e->credits, p->credits) != 0 ||
		    money_add(&e->credits, p->refunds) != 0) {
			pv_error_set(err, PV_ERR_FATAL, NULL, 0,
			    "estimate overflows");
			goto out;
		}
		for (k = 0; k < p->nservices; k++) {
			struct estimate_service *s = &p->services[k];
			size_t t;

			for (t = 0; t < e->nservices; t++)
				if (strcmp(e->services[t].code, s->code) == 0)
					break;
			if (t == e->nservices) {
				e->services = xrealloc(e->services,
				    (e->nservices + 1) * sizeof(*e->services));
				e->services[t].code = xstrdup(s->code);
				e->services[t].name = xstrdup(s->name);
				e->services[t].amount = 0;
				e->services[t].usage_seen = 0;
				e->nservices++;
			}
			money_add(&e->services[t].amount, s->amount);
		}
		for (k = 0; k < p->nnotes && e->npayers == 1; k++) {
			e->notes = xrealloc(e->notes, (e->nnotes + 1) *
			    sizeof(*e->notes));
			e->notes[e->nnotes++] = xstrdup(p->notes[k]);
		}
	}
	if (e->nservices > 1)
		qsort(e->services, e->nservices, sizeof(*e->services),
		    cmp_service);
	e->confidence = "high";
	for (i = 0; i < e->npayers; i++) {
		const char *c = e->payers[i].confidence;

		if (strcmp(e->payers[i].period, e->period) != 0)
			continue;
		if (strcmp(c, "low") == 0 || (strcmp(c, "medium") == 0 &&
		    strcmp(e->confidence, "high") == 0))
			e->confidence = c;
	}
	if (e->currency == NULL)
		e->currency = xstrdup("USD");
	if (e->places < 2)
		e->places = 2;
	rc = 0;
out:
	for (i = 0; i < nmi; i++)
		month_info_release(&mi[i]);
	free(mi);
	if (rc == 0)
		*out = e;
	else
		estimate_free(e);
	return rc;
}

void
estimate_free(struct estimate *e)
{
	size_t i;

	if (e == NULL)
		return;
	free(e->period);
	free(e->currency);
	for (i = 0; i < e->nservices; i++) {
		free(e->services[i].code);
		free(e->services[i].name);
	}
	free(e->services);
	for (i = 0; i < e->npayers; i++)
		payer_release(&e->payers[i]);
	free(e->payers);
	for (i = 0; i < e->nnotes; i++)
		free(e->notes[i]);
	free(e->notes);
	free(e);
}

/* ---- backtest ------------------------------------------------------- */

static double
pct_error(money_t est, money_t actual)
{
	if (actual == 0)
		return 0;
	return 100.0 * (to_double(est) - to_double(actual)) /
	    fabs(to_double(actual));
}

int
estimate_backtest(struct store *st, const char *payer,
    struct estimate_backtest **out, struct pv_error *err)
{
	static const int cuts[3] = { 7, 14, 21 };
	sqlite3 *db = store_db(st);
	struct estimate_backtest *b = xcalloc(1, sizeof(*b));
	struct month_info *mi = NULL;
	size_t nmi = 0, i, cap = 0;
	int c, rc = -1;

	if (store_prepare_reading(st, err) != 0 ||
	    read_months(db, payer, &mi, &nmi, err) != 0)
		goto out;
	for (i = 0; i < nmi; i++) {
		struct estimate_payer full;
		int y, m;
		pv_time end = -1, month_end;

		/* complete months only: hourly lines to the month's end */
		if (mi[i].usage_end == NULL || sscanf(mi[i].period, "%d-%d",
		    &y, &m) != 2)
			continue;
		date_parse(mi[i].usage_end, strlen(mi[i].usage_end), &end);
		month_end = (date_days_from_civil(y, m, 1) +
		    date_days_in_month(y, m)) * 86400;
		if (end < month_end)
			continue;
		if (estimate_month(db, &mi[i], prev_of(mi, i), NULL, &full,
		    err) != 0) {
			payer_release(&full);
			goto out;
		}
		for (c = 0; c < 3; c++) {
			struct estimate_payer part;
			struct estimate_trial *t;
			char cut[11];

			date_format_day((date_days_from_civil(y, m, 1) +
			    cuts[c]) * 86400, cut);
			if (estimate_month(db, &mi[i], prev_of(mi, i), cut, &part,
			    err) != 0) {
				payer_release(&part);
				payer_release(&full);
				goto out;
			}
			b->trials = xgrow(b->trials, &cap, b->ntrials + 1,
			    sizeof(*b->trials));
			t = &b->trials[b->ntrials++];
			t->payer = xstrdup(mi[i].payer);
			t->period = xstrdup(mi[i].period);
			t->cut_day = cuts[c];
			/* a purchase made after the cut could not be known
			 * on that day by any method: it is left out of what
			 * the estimate is judged against */
			t->actual = full.amount - (full.one_time -
			    part.one_time);
			t->later_one_time = full.one_time - part.one_time;
			t->ours = part.amount;
			t->naive = part.naive;
			t->err_ours = pct_error(part.amount, t->actual);
			t->err_naive = pct_error(part.naive, t->actual);
			b->mape_ours[c] += fabs(t->err_ours);
			b->mape_naive[c] += fabs(t->err_naive);
			b->count[c]++;
			payer_release(&part);
		}
		payer_release(&full);
	}
	for (c = 0; c < 3; c++)
		if (b->count[c] > 0) {
			b->mape_ours[c] /= b->count[c];
			b->mape_naive[c] /= b->count[c];
		}
	rc = 0;
out:
	for (i = 0; i < nmi; i++)
		month_info_release(&mi[i]);
	free(mi);
	if (rc == 0)
		*out = b;
	else
		estimate_backtest_free(b);
	return rc;
}

void
estimate_backtest_free(struct estimate_backtest *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->ntrials; i++) {
		free(b->trials[i].payer);
		free(b->trials[i].period);
	}
	free(b->trials);
	free(b);
}

/* ---- the record of estimates ---------------------------------------- */

int
estimate_record(struct store *st, const struct estimate *e,
    struct pv_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q;
	char now[21];
	size_t i;
	int rc = 0;

	date_now_iso(now);
	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO estimate_log("
	    "made_at, payer_account, period, data_through, days_observed, "
	    "amount, low, high, confidence, method) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, 'robust')", -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, err);
	for (i = 0; i < e->npayers && rc == 0; i++) {
		const struct estimate_payer *p = &e->payers[i];

		if (p->final || p->days_observed == 0 ||
		    p->days_observed >= p->days_in_month)
			continue;	/* nothing was estimated */
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, p->payer, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, p->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, p->last_complete_day, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(q, 5, p->days_observed);
		sqlite3_bind_int64(q, 6, p->amount);
		sqlite3_bind_int64(q, 7, p->low);
		sqlite3_bind_int64(q, 8, p->high);
		sqlite3_bind_text(q, 9, p->confidence, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = db_fail(db, err);
	}
	sqlite3_finalize(q);
	return rc;
}

int
estimate_history(struct store *st, const char *payer,
    struct estimate_record **out, size_t *n, struct pv_error *err)
{
	sqlite3 *db = store_db(st);
	struct month_info *mi = NULL;
	sqlite3_stmt *q = NULL;
	size_t nmi = 0, i, cap = 0;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (read_months(db, payer, &mi, &nmi, err) != 0)
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT made_at, data_through, "
	    "days_observed, amount FROM estimate_log WHERE payer_account = ?1 "
	    "AND period = ?2 ORDER BY made_at, id", -1, &q, NULL) != SQLITE_OK) {
		db_fail(db, err);
		goto out;
	}
	for (i = 0; i < nmi; i++) {
		struct estimate_payer full;

		if (estimate_month(db, &mi[i], prev_of(mi, i), NULL, &full,
		    err) != 0) {
			payer_release(&full);
			goto out;
		}
		if (full.usage_projected == 0 && full.days_observed ==
		    full.days_in_month) {
			sqlite3_reset(q);
			sqlite3_bind_text(q, 1, mi[i].payer, -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 2, mi[i].period, -1,
			    SQLITE_STATIC);
			while (sqlite3_step(q) == SQLITE_ROW) {
				struct estimate_record *r;

				*out = xgrow(*out, &cap, *n + 1, sizeof(**out));
				r = &(*out)[(*n)++];
				r->payer = xstrdup(mi[i].payer);
				r->period = xstrdup(mi[i].period);
				r->made_at = col(q, 0);
				r->data_through = col(q, 1);
				r->days_observed = sqlite3_column_int(q, 2);
				r->amount = sqlite3_column_int64(q, 3);
				r->actual = full.amount;
				r->err_pct = pct_error(r->amount, r->actual);
				r->places = full.places;
			}
		}
		payer_release(&full);
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	for (i = 0; i < nmi; i++)
		month_info_release(&mi[i]);
	free(mi);
	return rc;
}

void
estimate_history_free(struct estimate_record *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].payer);
		free(v[i].period);
		free(v[i].made_at);
		free(v[i].data_through);
	}
	free(v);
}
