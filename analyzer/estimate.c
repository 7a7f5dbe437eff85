/*
 * estimate.c - the monthly budget estimate and its backtest.
 *
 * A month is read from the store and taken apart (read_month):
 *  - usage and discounts of each complete day: the series forecast.c
 *    projects over the days left;
 *  - the partial days after the last complete one: their usage is
 *    projected anew, not added (an hour of a day is not a day);
 *  - month-long lines (RI fees, hosted zones, support): counted once;
 *  - fees posted by the hour or day (Savings Plans' recurring fee):
 *    a run-rate, at the last complete day's amount;
 *  - one-time charges (upfront fees, annual subscriptions): counted as
 *    they are, and not expected next month;
 *  - credits, refunds, tax: apart; tax projected at the ratio seen.
 * The earlier complete months of the same payer lengthen the series
 * (forecast.c), and their month-long fees not yet posted this month are
 * expected again. The 80 % range and the typical error come from the
 * errors the backtest measured (calibration.c), never from a formula.
 * Money stays exact where it was observed; only the projection of days
 * not yet seen goes through floating point.
 */
#include "estimate.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration.h"
#include "charge.h"
#include "datetime.h"
#include "xalloc.h"

/* Confidence words from the expected error (half the 80 % range, as a
 * share of the amount). */
#define CONFIDENCE_HIGH_PCT	3.0
#define CONFIDENCE_MEDIUM_PCT	10.0

/* A last complete day is taken as still arriving while a service that
 * posted on each of LAG_DAYS days before has not posted on it (at most
 * LAG_MAX days are set back). */
#define LAG_DAYS	3
#define LAG_MAX		2
#define LAG_SHARE	0.9	/* late services are at most this share */
#define LAG_OTHERS	0.15	/* ... and the others move less than this */
#define LAG_PART	0.2	/* a day with less than this of the usual
				 * is not all there */

/* A service stopped in an account when it posted there on each of the
 * STOP_REGULAR days before its last (or on each from the first, at least
 * LAG_DAYS), the most at most twice the least, and then on none of the
 * STOP_DAYS or more complete days since: more than LAG_MAX, so that late
 * lines are no stop. A shorter run, from its first day this month, is a
 * stop too where the earlier months show it does not come and go
 * (short_run_ended). */
#define STOP_REGULAR	7
#define STOP_DAYS	(LAG_MAX + 1)
/* ... or on LAG_MAX when the day before them shows that it ended within
 * it (ended_within): less than usual by this many standard deviations */
#define ENDED_SD	3.0
#define ENDED_DAYS	5	/* ... measured on this many days at least */
/* A service started in an account when the earlier months do not hold
 * it there and it posted on each day from its first (after the series'
 * first day), on at least START_DAYS, the most at most twice the least:
 * one that comes and goes, or moves a lot, stays in the series. */
#define START_DAYS	3
/* A service moved to a new level in an account when it posted on each
 * of at least LAG_DAYS days before a day t (at most STOP_REGULAR are
 * looked at), the most at most twice the least, and on each day from t
 * on (MOVE_UP_DAYS at least, or STOP_DAYS for a fall, which late lines
 * could fake), every one of them beyond every day before and at least
 * MOVE_RATIO times their mean (or at most its inverse). */
#define MOVE_UP_DAYS	2
#define MOVE_RATIO	2.0
/* A service's day is a burst when it is at least BURST_RATIO times the
 * most of its days around (burst_day); the rest of them even */
#define BURST_RATIO	2.0
#define HISTORY_MONTHS	2	/* earlier months read into the series */

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

static void
add_part(struct estimate_payer *p, enum estimate_part_kind kind,
    money_t amount, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add_part(struct estimate_payer *p, enum estimate_part_kind kind,
    money_t amount, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	p->parts = xrealloc(p->parts, (p->nparts + 1) * sizeof(*p->parts));
	p->parts[p->nparts].label = xstrdup(buf);
	p->parts[p->nparts].amount = amount;
	p->parts[p->nparts].kind = kind;
	p->nparts++;
}

const char *
estimate_confidence_word(double expected_error)
{
	if (expected_error <= CONFIDENCE_HIGH_PCT)
		return "high";
	if (expected_error <= CONFIDENCE_MEDIUM_PCT)
		return "medium";
	return "low";
}

/* ---- dates ----------------------------------------------------------- */

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

/* First day number and length of a period "YYYY-MM"; -1 when bad. */
static int
period_days(const char *period, int64_t *first, int *days)
{
	int y, m;

	if (period == NULL || sscanf(period, "%d-%d", &y, &m) != 2 ||
	    y < 1971 || m < 1 || m > 12)
		return -1;
	*first = date_days_from_civil(y, m, 1);
	*days = date_days_in_month(y, m);
	return 0;
}

static void
prev_month(const char *period, char out[8])
{
	int64_t first;
	int days;

	if (period_days(period, &first, &days) != 0)
		first = date_days_from_civil(1970, 2, 1);
	date_format_month((first - 1) * 86400, out);
}

/* ---- what a line is -------------------------------------------------- */

/* Which part of the estimate a group of lines is. */
enum part {
	PART_USAGE_DAILY,	/* usage and discounts by the hour or day */
	PART_USAGE_MTD,		/* monthly reports: month-to-date usage */
	PART_MONTH,		/* month-long lines: counted once */
	PART_FEE_DAILY,		/* fees posted by the hour or day */
	PART_ONE_TIME,
	PART_CREDIT,
	PART_REFUND,
	PART_TAX,
	PART_ROUNDING
};

static int
has_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s != '\0'; s++)
		if (strncasecmp(s, word, n) == 0)
			return 1;
	return 0;
}

/*
 * A fee that is bought once: CUR's Fee (upfront reservations, Marketplace
 * contracts) and SavingsPlanUpfrontFee, or, in formats without a line
 * type, a usage type or product that says upfront or annual. A support
 * plan's Fee is not: AWS charges it every month, so a month that has not
 * got it yet expects last month's again, as it does an RI fee.
 */
static int
is_one_time(const char *line_type, const char *usage_type,
    const char *service_code, const char *service_name)
{
	static const char *const words[] = { "upfront", "annual", "yearly",
	    "sign up", "signup", "1yr", "3yr", "1 year", "3 year" };
	size_t i;

	if (charge_is_support_plan(service_code))
		return 0;
	if (strcmp(line_type, "Fee") == 0 ||
	    strcmp(line_type, "SavingsPlanUpfrontFee") == 0)
		return 1;
	if (strcmp(line_type, "RIFee") == 0 ||
	    strcmp(line_type, "SavingsPlanRecurringFee") == 0)
		return 0;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (has_word(usage_type, words[i]) ||
		    has_word(service_name, words[i]))
			return 1;
	return 0;
}

static enum part
part_of(const char *cls, const char *line_type, const char *usage_type,
    const char *service_code, const char *service_name, int long_line,
    int monthly_format)
{
	if (strcmp(cls, "usage") == 0 || strcmp(cls, "discount") == 0) {
		if (!long_line)
			return PART_USAGE_DAILY;
		/* a monthly report's lines span the month to date; in a
		 * DBR or CUR a month-long usage line is a monthly charge
		 * (hosted zones and the like) */
		if (monthly_format)
			return PART_USAGE_MTD;
		return is_one_time(line_type, usage_type, service_code,
		    service_name) ? PART_ONE_TIME : PART_MONTH;
	}
	if (strcmp(cls, "fee") == 0) {
		if (is_one_time(line_type, usage_type, service_code,
		    service_name))
			return PART_ONE_TIME;
		return long_line ? PART_MONTH : PART_FEE_DAILY;
	}
	if (strcmp(cls, "credit") == 0)
		return PART_CREDIT;
	if (strcmp(cls, "refund") == 0)
		return PART_REFUND;
	if (strcmp(cls, "tax") == 0)
		return PART_TAX;
	return PART_ROUNDING;
}

/* ---- the months stored ----------------------------------------------- */

struct month_info {
	char *payer, *period, *format, *currency;
	int places, estimated;
	char *usage_end, *last_end;
	int monthly;		/* a monthly report: no daily detail */
	int blended;		/* a counted file has blended cost only */
};

static const char months_sql[] =
    "SELECT payer_account, period, MAX(format), MIN(currency), MAX(places), "
    "       MAX(estimated), MAX(usage_end), MAX(last_end), "
    "       MAX(cost_basis = 'blended') "
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

static void
months_free(struct month_info *mi, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		month_info_release(&mi[i]);
	free(mi);
}

/* Every stored payer-month (billing deliveries only), in order. */
static int
read_months(sqlite3 *db, const char *payer, struct month_info **out,
    size_t *n, struct pv_error *err)
{
	sqlite3_stmt *q;
	size_t cap = 0;
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
		m->blended = sqlite3_column_int(q, 8);
		m->monthly = strcmp(m->format, "monthly") == 0 ||
		    strcmp(m->format, "cost-allocation") == 0;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

/* The day after the last one the month's hourly and daily lines reach
 * (a day number), or -1 when it has none. */
static int64_t
usage_end_day(const struct month_info *mi, pv_time *end)
{
	*end = -1;
	if (mi->usage_end != NULL)
		date_parse(mi->usage_end, strlen(mi->usage_end), end);
	else if (mi->last_end != NULL && mi->monthly)
		date_parse(mi->last_end, strlen(mi->last_end), end);
	return *end >= 0 ? *end / 86400 : -1;
}

/* Does the month's daily detail reach its last day? */
static int
month_complete(const struct month_info *mi)
{
	int64_t first;
	int days;
	pv_time end;

	if (mi->monthly || period_days(mi->period, &first, &days) != 0)
		return 0;
	return usage_end_day(mi, &end) >= first + days;
}

/* ---- one month's lines ------------------------------------------------ */

/* The lines of one payer-month by day, service and what they are; ?3
 * cuts at a day (backtests). */
static const char lines_sql[] =
    "SELECT il.day, il.span_days > 1, il.class, COALESCE(lt.name, ''), "
    "       COALESCE(ut.name, ''), COALESCE(si.code, ''), "
    "       COALESCE(si.name, ''), SUM(il.cost), COALESCE(ac.account_id, '') "
    "FROM invoice_day il "
    "LEFT JOIN service_ident si ON si.service = il.service "
    "LEFT JOIN account ac ON ac.id = il.account "
    "LEFT JOIN line_type lt ON lt.id = il.line_type "
    "LEFT JOIN usage_type ut ON ut.id = il.usage_type "
    "WHERE il.payer_account = ?1 AND il.period = ?2 "
    "  AND (?3 IS NULL OR il.day < ?3) "
    "GROUP BY 1, 2, 3, 4, 5, 6, 7, 9";

/* What one service posted in one account on one day (daily usage
 * only; the summaries keep no usage type for it). */
struct day_service {
	int day;		/* index in the month (in a history: in its
				 * series) */
	char *code;
	char *account;		/* the usage account */
	money_t cost;
};

/* A month as read: sums by part, the daily series, by service. */
struct month_lines {
	int64_t first;		/* day number of the 1st */
	int days;		/* in the month */
	money_t *usage;		/* per day: usage and discounts (exact) */
	money_t *fees;		/* per day: fees by the hour or day */
	int *seen;		/* per day: any daily line at all */
	money_t usage_mtd, month, one_time, credits, refunds, tax;
	money_t usage_class;	/* usage and discount lines, every part (as
				 * the data status sums them) */
	money_t spent;		/* what counts to the budget, all parts */
	struct day_service *ds;
	size_t nds, capds;
	/* ds summed by service code and day, codes sorted (posted_on) */
	struct code_days { const char *code; money_t *v; } *cd;
	size_t ncd;
	/* one-time charges by day, for the backtest */
	money_t *one_time_day;
	/* each service's share: usage (scaled later) and fixed parts */
	struct estimate_service *svc;
	size_t nsvc;
	/* month-long fees by service and usage type (expected next month) */
	struct month_fee { char *code, *name, *ut; money_t v; } *mf;
	size_t nmf;
};

static void
day_services_free(struct day_service *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].code);
		free(v[i].account);
	}
	free(v);
}

static void
lines_release(struct month_lines *l)
{
	size_t i;

	free(l->usage);
	free(l->fees);
	free(l->seen);
	free(l->one_time_day);
	for (i = 0; i < l->ncd; i++)
		free(l->cd[i].v);
	free(l->cd);
	day_services_free(l->ds, l->nds);
	for (i = 0; i < l->nsvc; i++) {
		free(l->svc[i].code);
		free(l->svc[i].name);
	}
	free(l->svc);
	for (i = 0; i < l->nmf; i++) {
		free(l->mf[i].code);
		free(l->mf[i].name);
		free(l->mf[i].ut);
	}
	free(l->mf);
	memset(l, 0, sizeof(*l));
}

static struct estimate_service *
service_of(struct estimate_service **v, size_t *n, const char *code,
    const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].code, code) == 0)
			return &(*v)[i];
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].code = xstrdup(code);
	(*v)[*n].name = xstrdup(name);
	(*v)[*n].amount = (*v)[*n].usage_seen = (*v)[*n].fees_seen = 0;
	(*v)[*n].usage_apart = (*v)[*n].projected_apart = 0;
	return &(*v)[(*n)++];
}

static int
overflow(struct pv_error *err)
{
	return pv_error_set(err, PV_ERR_FATAL, NULL, 0,
	    "estimate: sums overflow");
}

static int
cmp_code(const void *a, const void *b)
{
	return strcmp(((const struct code_days *)a)->code,
	    ((const struct code_days *)b)->code);
}

/* l->cd from l->ds: a service's day is looked up, not searched for (a
 * large organisation's month holds tens of thousands of ds). */
static void
index_codes(struct month_lines *l)
{
	size_t i, k;

	for (i = 0; i < l->nds; i++) {
		struct code_days key = { l->ds[i].code, NULL }, *c = NULL;

		if (l->ncd > 0 && strcmp(l->cd[l->ncd - 1].code, key.code) == 0)
			c = &l->cd[l->ncd - 1];
		for (k = 0; c == NULL && k < l->ncd; k++)
			if (strcmp(l->cd[k].code, key.code) == 0)
				c = &l->cd[k];
		if (c == NULL) {
			l->cd = xrealloc(l->cd, (l->ncd + 1) * sizeof(*l->cd));
			c = &l->cd[l->ncd++];
			c->code = key.code;
			c->v = xcalloc((size_t)l->days, sizeof(*c->v));
		}
		c->v[l->ds[i].day] += l->ds[i].cost;
	}
	if (l->ncd > 1)
		qsort(l->cd, l->ncd, sizeof(*l->cd), cmp_code);
}

/* Read mi's lines (before cut, when not NULL) into *l. */
static int
read_lines(sqlite3 *db, const struct month_info *mi, const char *cut,
    struct month_lines *l, struct pv_error *err)
{
	sqlite3_stmt *q;
	int rc;

	memset(l, 0, sizeof(*l));
	if (period_days(mi->period, &l->first, &l->days) != 0)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "estimate: bad "
		    "period '%s'", mi->period);
	l->usage = xcalloc((size_t)l->days, sizeof(*l->usage));
	l->fees = xcalloc((size_t)l->days, sizeof(*l->fees));
	l->seen = xcalloc((size_t)l->days, sizeof(*l->seen));
	l->one_time_day = xcalloc((size_t)l->days, sizeof(*l->one_time_day));
	if (sqlite3_prepare_v2(db, lines_sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, err);
	sqlite3_bind_text(q, 1, mi->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, mi->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, cut, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t d = day_number((const char *)sqlite3_column_text(q, 0))
		    - l->first;
		int long_line = sqlite3_column_int(q, 1);
		const char *cls = (const char *)sqlite3_column_text(q, 2);
		const char *lt = (const char *)sqlite3_column_text(q, 3);
		const char *ut = (const char *)sqlite3_column_text(q, 4);
		const char *code = (const char *)sqlite3_column_text(q, 5);
		const char *name = (const char *)sqlite3_column_text(q, 6);
		money_t v = sqlite3_column_int64(q, 7), *sum = NULL;
		enum part part = part_of(cls, lt, ut, code, name, long_line,
		    mi->monthly);
		struct estimate_service *s;
		int in_month = d >= 0 && d < l->days;

		if (code[0] == '\0')
			code = "(none)";
		if ((strcmp(cls, "usage") == 0 || strcmp(cls, "discount") ==
		    0) && money_add(&l->usage_class, v) != 0)
			goto overflow;
		switch (part) {
		case PART_USAGE_DAILY:
			if (!in_month)	/* a line dated outside its period */
				sum = &l->usage_mtd;
			else {
				sum = &l->usage[d];
				l->seen[d] = 1;
				l->ds = xgrow(l->ds, &l->capds, l->nds + 1,
				    sizeof(*l->ds));
				l->ds[l->nds].day = (int)d;
				l->ds[l->nds].code = xstrdup(code);
				l->ds[l->nds].account = xstrdup((const char *)
				    sqlite3_column_text(q, 8));
				l->ds[l->nds++].cost = v;
			}
			break;
		case PART_USAGE_MTD:
			sum = &l->usage_mtd;
			break;
		case PART_MONTH:
			sum = &l->month;
			if (strcmp(cls, "fee") == 0 || long_line) {
				struct month_fee *f;

				l->mf = xrealloc(l->mf, (l->nmf + 1) *
				    sizeof(*l->mf));
				f = &l->mf[l->nmf++];
				f->code = xstrdup(code);
				f->name = xstrdup(name);
				f->ut = xstrdup(ut);
				f->v = v;
			}
			break;
		case PART_FEE_DAILY:
			if (in_month) {
				sum = &l->fees[d];
				l->seen[d] = 1;
			} else
				sum = &l->month;
			break;
		case PART_ONE_TIME:
			sum = &l->one_time;
			if (in_month && money_add(&l->one_time_day[d], v) != 0)
				goto overflow;
			break;
		case PART_CREDIT:
			sum = &l->credits;
			break;
		case PART_REFUND:
			sum = &l->refunds;
			break;
		case PART_TAX:
			sum = &l->tax;
			break;
		case PART_ROUNDING:	/* in no part of the budget */
			break;
		}
		if (sum != NULL && money_add(sum, v) != 0)
			goto overflow;
		/* services carry what they cost: usage (scaled later),
		 * fees and one-time charges */
		if (part != PART_CREDIT && part != PART_REFUND &&
		    part != PART_TAX && part != PART_ROUNDING) {
			if (money_add(&l->spent, v) != 0)
				goto overflow;
			s = service_of(&l->svc, &l->nsvc, code, name);
			if ((part == PART_USAGE_DAILY || part ==
			    PART_USAGE_MTD) &&
			    money_add(&s->usage_seen, v) != 0)
				goto overflow;
			if (part == PART_FEE_DAILY &&
			    money_add(&s->fees_seen, v) != 0)
				goto overflow;
			if (money_add(&s->amount, v) != 0)
				goto overflow;
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(db, err);
	index_codes(l);
	return 0;
overflow:
	sqlite3_finalize(q);
	return overflow(err);
}

/* What service `code` posted on day d (0 when nothing). */
static money_t
posted_on(const struct month_lines *l, const char *code, int64_t d)
{
	struct code_days key = { code, NULL };
	const struct code_days *c = l->ncd == 0 ? NULL : bsearch(&key, l->cd,
	    l->ncd, sizeof(*l->cd), cmp_code);

	return c != NULL && d >= 0 && d < l->days ? c->v[d] : 0;
}

/* Whether per_day[from..to) all posted (to > from); *lo, *hi and *mean
 * get the least, the most and the mean day. */
static int
posted_days(const double *per_day, int64_t from, int64_t to, double *lo,
    double *hi, double *mean)
{
	double sum = 0;
	int64_t d;

	*lo = *hi = *mean = 0;
	for (d = from; d < to; d++) {
		if (per_day[d] <= 0)
			return 0;
		if (*lo == 0 || per_day[d] < *lo)
			*lo = per_day[d];
		if (per_day[d] > *hi)
			*hi = per_day[d];
		sum += per_day[d];
	}
	if (to > from)
		*mean = sum / (double)(to - from);
	return 1;
}

/* Whether per_day[from..to) all posted, about the same each day (the
 * most at most twice the least). */
static int
posted_each_day(const double *per_day, int64_t from, int64_t to)
{
	double lo, hi, mean;

	return posted_days(per_day, from, to, &lo, &hi, &mean) &&
	    hi <= 2 * lo;
}

/*
 * Whether a service that posted about the same on each of
 * per_day[from..end) (ENDED_DAYS at least) stopped within day end: it
 * posted there, less than the least of the days before, and less than
 * their mean by more than ENDED_SD standard deviations of those days (a
 * day's own noise seldom reaches that). Its lines then end before that
 * day's midnight; when it is silent on the LAG_MAX days that follow,
 * they end more than LAG_MAX days before the data does, later than
 * lines come late.
 */
static int
ended_within(const double *per_day, int64_t from, int64_t end)
{
	double lo, hi, mean, ss = 0;
	int64_t d;

	if (end - from < ENDED_DAYS || !posted_days(per_day, from, end, &lo,
	    &hi, &mean) || hi > 2 * lo || per_day[end] <= 0 ||
	    per_day[end] >= lo)
		return 0;
	for (d = from; d < end; d++)
		ss += (per_day[d] - mean) * (per_day[d] - mean);
	return per_day[end] < mean - ENDED_SD * sqrt(ss / (double)(end -
	    from - 1));
}

/*
 * Whether per_day[day] is only part of a day: under half the mean of
 * the days after it, to last (a service began or moved within it).
 */
static int
partial_first_day(const double *per_day, int64_t day, int64_t last)
{
	double after = 0;
	int64_t d;

	for (d = day + 1; d <= last; d++)
		after += per_day[d];
	return last > day && per_day[day] < 0.5 * after / (double)(last -
	    day);
}

/* Whether per_day[from..to] are all 0. */
static int
silent_days(const double *per_day, int64_t from, int64_t to)
{
	for (; from <= to; from++)
		if (per_day[from] != 0)
			return 0;
	return 1;
}

/*
 * Set back the last complete day while it is still arriving: AWS
 * delivers some services' lines a day or two late. The services that
 * posted on each of the LAG_DAYS days before the last LAG_MAX, the most
 * at most twice the least, are the regular ones; the last complete day
 * is the latest (at most LAG_MAX back) up to which every one of them
 * has posted at least LAG_PART of its usual day. Late services that
 * made more than LAG_SHARE of those days' usage are not late but
 * switched off, and when the other services moved on the first day set
 * back by more than LAG_OTHERS or three times their spread over the
 * week before, the level changed: then the days stay. Returns the day;
 * *late_day gets the usual day of the services taken as late (0 when
 * none), *nlate_out how many they are and late_names their codes
 * (borrowed, the first `max`).
 */
static int64_t
settle_last_day(const struct month_lines *l, int64_t last, int64_t start,
    double *late_day, const char **late_names, size_t max, size_t *nlate_out)
{
	int64_t ref = last - LAG_MAX, d, ok = last, k;
	money_t all = 0, late_ref = 0;
	char *late[64];
	size_t i, nlate = 0;
	double others, others_day, usual_sum = 0;

	*late_day = 0;
	*nlate_out = 0;
	if (ref - LAG_DAYS + 1 < start)
		return last;
	for (k = ref - LAG_DAYS + 1; k <= ref; k++)
		all += l->usage[k];
	for (i = 0; i < l->ncd && nlate < 64; i++) {
		const char *code = l->cd[i].code;
		money_t v = 0;
		double usual;

		if (l->cd[i].v[ref] == 0)
			continue;
		{
			money_t lo = 0, hi = 0;

			for (k = ref - LAG_DAYS + 1; k <= ref; k++) {
				money_t on = posted_on(l, code, k);

				if (on <= 0)
					break;
				if (lo == 0 || on < lo)
					lo = on;
				if (on > hi)
					hi = on;
				v += on;
			}
			/* regular: every day, and about the same each day
			 * (a service that comes and goes is not late) */
			if (k <= ref || (double)hi > 2 * (double)lo)
				continue;
		}
		usual = (double)v / LAG_DAYS;
		for (d = ref + 1; d <= last &&
		    (double)posted_on(l, code, d) >= LAG_PART * usual; d++)
			;
		if (d == ref + 1) {
			double days[STOP_REGULAR + LAG_MAX + 1];
			int64_t from = ref - STOP_REGULAR < start ? start :
			    ref - STOP_REGULAR;

			for (k = from; k <= last; k++)
				days[k - from] = (double)posted_on(l, code, k);
			/* it stopped within ref: a stop, not late */
			if (ended_within(days, 0, ref - from) &&
			    silent_days(days, ref - from + 1, last - from))
				continue;
		}
		if (d <= last) {
			late[nlate++] = (char *)code;
			late_ref += v;
			usual_sum += usual;
			if (d - 1 < ok)
				ok = d - 1;
		}
	}
	if (ok == last || all <= 0 ||
	    (double)late_ref > LAG_SHARE * (double)all)
		return last;
	/* the other services go on as before when lines are late; when
	 * they moved too (beyond LAG_OTHERS, or three times their own
	 * spread over the week before), the level changed */
	{
		double v[7], sum = 0, ss = 0, tol;
		int nv = 0;

		for (k = ok; k >= start && nv < 7; k--) {
			v[nv] = (double)l->usage[k];
			for (i = 0; i < nlate; i++)
				v[nv] -= (double)posted_on(l, late[i], k);
			sum += v[nv++];
		}
		others = sum / nv;
		for (i = 0; i < (size_t)nv; i++)
			ss += (v[i] - others) * (v[i] - others);
		tol = nv > 1 ? 3 * sqrt(ss / (nv - 1)) : 0;
		if (tol < LAG_OTHERS * fabs(others))
			tol = LAG_OTHERS * fabs(others);
		others_day = (double)l->usage[ok + 1];
		for (i = 0; i < nlate; i++)
			others_day -= (double)posted_on(l, late[i], ok + 1);
		if (fabs(others_day - others) > tol)
			return last;
	}
	*late_day = to_double((money_t)llround(usual_sum));
	*nlate_out = nlate;
	for (i = 0; i < nlate && i < max; i++)
		late_names[i] = late[i];
	return ok;
}

/*
 * Services taken as late (settle_last_day) are projected on as they
 * were; had they stopped instead, the month is `projected` less: the
 * low end of the range takes that, and a note says so.
 */
static void
late_note(struct estimate_payer *p, const struct month_lines *l,
    int64_t from, const char *const *names, size_t shown, size_t n,
    double projected)
{
	char day[11], amount[48], list[200] = "";
	size_t i;

	for (i = 0; i < shown && i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", i ? ", " : "", names[i]);
	if (n > shown)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    " and %zu more", n - shown);
	p->late_projected = to_money(projected);
	day_text(l->first + from, day);
	money_format_grouped(amount, sizeof(amount), p->late_projected, 2);
	note(p, "%s posted less than a fifth of the usual day from %s on: "
	    "taken as lines still to come (AWS delivers some a day or two "
	    "late); had %s stopped, the month is %s less, and the range "
	    "reaches down to that", list, day, n > 1 ? "they" : "it",
	    amount);
}

/* ---- the estimate of one month -------------------------------------- */

struct history {
	double *days;		/* complete days of earlier months, oldest
				 * first, ending the day before this month */
	int n;
	char *period;		/* the month before */
	money_t amount;		/* its budget before tax */
	struct month_lines prev;	/* its lines (month-long fees) */
	int have_prev;
	char **accounts;	/* usage accounts seen in those months */
	size_t naccounts;
	struct day_service *ds;	/* their services by day (day: in days) */
	size_t nds;
};

static int
has_account(char *const *v, size_t n, const char *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], a) == 0)
			return 1;
	return 0;
}

static void
history_release(struct history *h)
{
	size_t i;

	for (i = 0; i < h->naccounts; i++)
		free(h->accounts[i]);
	free(h->accounts);
	day_services_free(h->ds, h->nds);
	free(h->days);
	free(h->period);
	lines_release(&h->prev);
	memset(h, 0, sizeof(*h));
}

/*
 * The complete months just before mi[i] of the same payer (up to
 * HISTORY_MONTHS, contiguous), their days in one series.
 */
static int
read_history(sqlite3 *db, const struct month_info *mi, size_t i,
    struct history *h, struct pv_error *err)
{
	size_t k, first = i;
	int m;

	memset(h, 0, sizeof(*h));
	for (m = 0; m < HISTORY_MONTHS && first > 0; m++) {
		char want[8];

		prev_month(mi[first].period, want);
		if (strcmp(mi[first - 1].payer, mi[i].payer) != 0 ||
		    strcmp(mi[first - 1].period, want) != 0 ||
		    !month_complete(&mi[first - 1]))
			break;
		first--;
	}
	for (k = first; k < i; k++) {
		struct month_lines l;
		int d;

		if (read_lines(db, &mi[k], NULL, &l, err) != 0) {
			lines_release(&l);
			return -1;
		}
		h->ds = xrealloc(h->ds, (h->nds + l.nds) * sizeof(*h->ds));
		for (d = 0; d < (int)l.nds; d++) {
			struct day_service *e = &h->ds[h->nds++];

			*e = l.ds[d];
			e->day += h->n;
			e->code = xstrdup(e->code);
			e->account = xstrdup(e->account);
		}
		h->days = xrealloc(h->days, (size_t)(h->n + l.days) *
		    sizeof(*h->days));
		for (d = 0; d < l.days; d++)
			h->days[h->n++] = to_double(l.usage[d]);
		for (d = 0; d < (int)l.nds; d++)
			if (!has_account(h->accounts, h->naccounts,
			    l.ds[d].account)) {
				h->accounts = xrealloc(h->accounts,
				    (h->naccounts + 1) * sizeof(*h->accounts));
				h->accounts[h->naccounts++] =
				    xstrdup(l.ds[d].account);
			}
		if (k + 1 == i) {
			h->period = xstrdup(mi[k].period);
			h->amount = l.spent;
			h->prev = l;
			h->have_prev = 1;
		} else
			lines_release(&l);
	}
	return 0;
}

/* Month-long fees of the month before that have not come this month. */
static void
expect_fees(struct estimate_payer *p, const struct month_lines *now,
    const struct history *h)
{
	size_t i, j;

	if (!h->have_prev)
		return;
	for (i = 0; i < h->prev.nmf; i++) {
		const struct month_fee *f = &h->prev.mf[i];
		char amount[48];
		int dup = 0;

		for (j = 0; j < i && !dup; j++)
			dup = strcmp(h->prev.mf[j].code, f->code) == 0 &&
			    strcmp(h->prev.mf[j].ut, f->ut) == 0;
		for (j = 0; j < now->nmf && !dup; j++)
			dup = strcmp(now->mf[j].code, f->code) == 0 &&
			    strcmp(now->mf[j].ut, f->ut) == 0;
		if (dup)
			continue;
		/* the same fee may be on several lines: sum them */
		{
			money_t v = 0;

			for (j = i; j < h->prev.nmf; j++)
				if (strcmp(h->prev.mf[j].code, f->code) == 0 &&
				    strcmp(h->prev.mf[j].ut, f->ut) == 0)
					money_add(&v, h->prev.mf[j].v);
			if (v <= 0)
				continue;
			money_add(&p->fees_expected, v);
			money_add(&service_of(&p->services, &p->nservices,
			    f->code, f->name)->amount, v);
			money_format(amount, sizeof(amount), v, 2);
			note(p, "%s %s%s%s %s expected again (posted in %s, "
			    "not yet this month)", f->code, f->ut[0] ? "(" : "",
			    f->ut, f->ut[0] ? ")" : "", amount, h->period);
		}
	}
}

static int
cmp_service(const void *a, const void *b)
{
	const struct estimate_service *x = a, *y = b;

	if (x->amount != y->amount)
		return x->amount > y->amount ? -1 : 1;
	return strcmp(x->code, y->code);
}

/* The currencies of the payers of e->period when there is more than one
 * ("EUR and USD", "EUR, GBP and USD"; the caller frees), else NULL: a
 * sum across them would be a number in no currency. */
static char *
mixed_currencies(const struct estimate *e)
{
	const char *seen[8];
	char out[160];
	size_t i, k, n = 0, more = 0, len = 0;

	for (i = 0; i < e->npayers; i++) {
		const char *c = e->payers[i].currency;

		if (strcmp(e->payers[i].period, e->period) != 0)
			continue;
		for (k = 0; k < n && strcmp(seen[k], c) != 0; k++)
			;
		if (k < n)
			continue;
		if (n == sizeof(seen) / sizeof(*seen)) {
			more = 1;
			continue;
		}
		/* sorted, so the words read the same whatever the order */
		for (k = n++; k > 0 && strcmp(seen[k - 1], c) > 0; k--)
			seen[k] = seen[k - 1];
		seen[k] = c;
	}
	if (n < 2)
		return NULL;
	out[0] = '\0';
	for (i = 0; i < n && len < sizeof(out); i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%.12s",
		    i == 0 ? "" : i + 1 < n || more ? ", " : " and ", seen[i]);
	if (more && len < sizeof(out))
		snprintf(out + len, sizeof(out) - len, " and more");
	return xstrdup(out);
}

/* part x estimated / seen - part: what a service's part of `seen` grows
 * by when the whole grows to `estimated`. */
static money_t
grown(money_t part, money_t seen, money_t estimated)
{
	if (seen == 0 || part == 0)
		return 0;
	return to_money(to_double(part) * (to_double(estimated) /
	    to_double(seen))) - part;
}

/*
 * Each service keeps its fixed parts; what of its usage runs at a rate
 * of its own gets that rate's projection, the rest of its usage seen so
 * far grows to the rest of the estimated usage in proportion, and its
 * fees by the hour or day to the estimated fees (they go on at the last
 * day's rate, not as the usage model goes). The rounding rest goes to
 * the largest service, so the services add up to the amount exactly.
 */
static void
allocate_services(struct estimate_payer *p, money_t usage_seen,
    money_t usage_estimated, money_t fees_seen, money_t fees_estimated)
{
	money_t sum = 0;
	size_t i, big = 0;

	for (i = 0; i < p->nservices; i++) {
		usage_seen -= p->services[i].usage_apart;
		usage_estimated -= p->services[i].usage_apart +
		    p->services[i].projected_apart;
	}
	for (i = 0; i < p->nservices; i++) {
		struct estimate_service *e = &p->services[i];

		e->amount += grown(e->usage_seen - e->usage_apart, usage_seen,
		    usage_estimated) + e->projected_apart + grown(e->fees_seen,
		    fees_seen, fees_estimated);
		sum += e->amount;
		if (e->amount > p->services[big].amount)
			big = i;
	}
	if (p->nservices > 0)
		p->services[big].amount += p->amount - sum;
	if (p->nservices > 1)
		qsort(p->services, p->nservices, sizeof(*p->services),
		    cmp_service);
}

/* The 80 % range, typical error and confidence from the measured
 * errors, around the amount; `spent` is the floor of the low end. */
static void
measured_range(struct estimate_payer *p, money_t projected, money_t spent,
    int monthly)
{
	struct calibration c;
	double proj = to_double(projected), half;

	p->low = p->high = p->amount;
	if (!p->final && p->days_observed == 0 && projected <= 0) {
		/* not one complete day, nothing to project from (a month of
		 * tax lines only): the amount is what is known, no more */
		p->typical_error = 0;
		p->confidence = "low";
	} else if (p->final || projected <= 0) {
		p->typical_error = 0;
		p->confidence = "high";
	} else if (calibration_lookup(p->days_observed, p->fc.noise,
	    p->history_days > 0, &c) == 0) {
		double widen = monthly || p->days_observed == 0 ? 2 : 1;

		p->low = p->amount + to_money(proj * c.q_low * widen);
		p->high = p->amount + to_money(proj * c.q_high * widen);
		p->typical_error = c.typical * widen;
		p->error_months = c.months;
		p->error_widened = widen > 1;
	} else {
		/* no table (a build without calibration): as wide as the
		 * projection itself */
		p->low = p->amount - projected;
		p->high = p->amount + projected;
		p->typical_error = 100 * proj / to_double(p->amount > 0 ?
		    p->amount : 1);
	}
	/* a fee expected from last month may not come; services taken as
	 * late may have stopped (then the month is that much less) */
	p->low -= p->fees_expected;
	if (p->late_projected > 0 && p->amount - p->late_projected < p->low)
		p->low = p->amount - p->late_projected;
	if (p->low < spent)
		p->low = spent;
	if (p->high < p->amount)
		p->high = p->amount;
	if (p->low > p->amount)
		p->low = p->amount;
	if (p->confidence == NULL) {
		half = p->amount > 0 ? 100 * to_double(p->high - p->low) / 2 /
		    to_double(p->amount) : 100;
		p->confidence = estimate_confidence_word(half);
	}
}

/* The parts every format prints, in order. */
static void
describe_parts(struct estimate_payer *p, int monthly)
{
	int left = p->horizon - (p->days_observed + p->start_day - 1);

	if (p->complete)
		add_part(p, ESTIMATE_PART_ADD, p->usage_observed, "usage, "
		    "the whole month");
	else if (monthly)
		add_part(p, ESTIMATE_PART_ADD, p->usage_observed, "usage to "
		    "date (monthly report, no daily detail)");
	else
		add_part(p, ESTIMATE_PART_ADD, p->usage_observed, "usage, %d "
		    "complete day%s", p->days_observed, p->days_observed == 1 ?
		    "" : "s");
	if (!p->complete)
		add_part(p, ESTIMATE_PART_ADD, p->usage_projected, "usage "
		    "projected, %d day%s left%s", left, left == 1 ? "" : "s",
		    p->usage_partial != 0 ? " (partial days included)" : "");
	add_part(p, ESTIMATE_PART_ADD, p->month_charges, "month-long charges, "
	    "counted once");
	if (p->fees_daily != 0 || p->fees_daily_projected != 0)
		add_part(p, ESTIMATE_PART_ADD, p->fees_daily +
		    p->fees_daily_projected, "fees by the hour or day%s",
		    p->final ? "" : ", at the last day's rate");
	if (p->fees_expected != 0)
		add_part(p, ESTIMATE_PART_ADD, p->fees_expected, "fees expected "
		    "again (posted last month)");
	add_part(p, ESTIMATE_PART_ADD, p->one_time, "one-time charges, not "
	    "expected next month");
	add_part(p, ESTIMATE_PART_TOTAL, p->amount, "= budget before tax");
	add_part(p, ESTIMATE_PART_APART, p->tax, "tax, projected apart");
	add_part(p, ESTIMATE_PART_APART, p->credits, "credits, left out");
	add_part(p, ESTIMATE_PART_APART, p->refunds, "refunds, left out");
	if (!p->complete && !monthly) {
		add_part(p, ESTIMATE_PART_COMPARE, p->run_rate, "run-rate: "
		    "mean complete day x %d days, charges once", p->horizon -
		    p->start_day + 1);
		add_part(p, ESTIMATE_PART_COMPARE, p->naive, "naive: month to "
		    "date x %d / %d", p->horizon - p->start_day + 1,
		    p->days_observed > 0 ? p->days_observed : 1);
	}
	if (p->previous_period != NULL)
		add_part(p, ESTIMATE_PART_COMPARE, p->previous_amount,
		    "previous month (%s), as billed", p->previous_period);
}

/* What drove the number, in words. */
static void
explain(struct estimate_payer *p, int64_t first, int hist)
{
	char buf[48], buf2[48], day[11];

	if (p->final) {
		note(p, "the month is invoiced: charges as billed");
		return;
	}
	if (p->complete) {
		note(p, "every day of the month is in, not yet invoiced: "
		    "charges so far");
		return;
	}
	note(p, "%d of %d days observed", p->days_observed,
	    p->days_in_month);
	if (p->error_months > 0 && p->error_widened)
		note(p, "typical error: about ±%.1f%%, twice what was measured "
		    "on %d months of daily data (%s)", p->typical_error,
		    p->error_months, p->days_observed == 0 ? "no complete day "
		    "yet" : "a monthly report has no daily detail");
	else if (p->error_months > 0)
		note(p, "typical error at %d day%s: ±%.1f%%, measured on %d "
		    "months", p->days_observed, p->days_observed == 1 ? "" :
		    "s", p->typical_error, p->error_months);
	if (p->days_observed < ESTIMATE_FIRM_DAYS)
		note(p, "wait ~%d more day%s for a firmer estimate",
		    ESTIMATE_FIRM_DAYS - p->days_observed, ESTIMATE_FIRM_DAYS -
		    p->days_observed == 1 ? "" : "s");
	if (p->usage_partial != 0) {
		money_format_grouped(buf, sizeof(buf), p->usage_partial, 2);
		note(p, "usage %s on %d partial day%s is projected anew, not "
		    "added", buf, p->partial_days, p->partial_days == 1 ? "" :
		    "s");
	}
	/* the data status sums usage lines of every kind: say where the
	 * rest of its figure went */
	if (p->usage_to_date != p->usage_observed) {
		char seen[48], part[48], rest[48];

		money_format_grouped(buf, sizeof(buf), p->usage_to_date, 2);
		money_format_grouped(seen, sizeof(seen), p->usage_observed, 2);
		money_format_grouped(part, sizeof(part), p->usage_partial, 2);
		money_format_grouped(rest, sizeof(rest), p->usage_to_date -
		    p->usage_observed - p->usage_partial, 2);
		note(p, "usage and discounts so far %s, as in the data status: "
		    "%s on complete days, %s on partial days, %s in month-long "
		    "or one-time lines (counted once)", buf, seen, part, rest);
	}
	if (p->start_day > 1) {
		day_text(first + p->start_day - 1, day);
		note(p, "usage starts on %s: the days before cost nothing",
		    day);
	}
	if (p->fc.used & FORECAST_HISTORY)
		note(p, "level measured over %d days, %d of them from earlier "
		    "months", p->fc.window, p->fc.window - p->days_observed > 0 ?
		    p->fc.window - p->days_observed : 0);
	if (p->fc.used & FORECAST_TREND)
		note(p, "usage %s about %.1f%% a week (damped)",
		    p->fc.slope > 0 ? "growing" : "shrinking",
		    fabs(p->fc.slope) * 7 * 100 / p->fc.level);
	if (p->fc.used & FORECAST_WEEKLY)
		note(p, "weekly pattern: a weekend day costs %.0f%% of a "
		    "weekday", p->fc.weekend * 100);
	if ((p->fc.used & FORECAST_SHIFT) && p->fc.shift_at >= hist) {
		day_text(first + p->start_day - 1 + (p->fc.shift_at - hist),
		    day);
		money_format_grouped(buf, sizeof(buf), to_money(p->fc.shift_from), 2);
		money_format_grouped(buf2, sizeof(buf2), to_money(p->fc.shift_to), 2);
		note(p, "usage changed level on %s (%s to %s a day): the "
		    "run-rate starts there", day, buf, buf2);
	} else if ((p->fc.used & FORECAST_SHIFT) && p->fc.shift_at >= 0)
		note(p, "usage changed level in an earlier month: only the "
		    "days since count");
	if (p->fc.used & FORECAST_OUTLIERS)
		note(p, "%d unusual day%s damped", p->fc.outliers,
		    p->fc.outliers == 1 ? "" : "s");
	if (p->fees_daily_projected != 0) {
		money_format_grouped(buf, sizeof(buf), p->fees_daily_projected, 2);
		note(p, "fees posted by the hour or day go on at the last "
		    "day's rate: %s more", buf);
	}
}

/*
 * Usage that runs at a rate of its own, apart from the series: an
 * account that joined this month or in the earlier months read, or a
 * service that started, stopped or moved to a new level in an account;
 * and a service's burst, whose excess alone leaves the series.
 */
enum own_kind {
	OWN_ACCOUNT, OWN_JOINED, OWN_STARTED, OWN_STOPPED, OWN_MOVED,
	OWN_BURST
};

struct own_rate {
	enum own_kind kind;
	const char *code;	/* borrowed; NULL: the whole account */
	const char *account;	/* borrowed from the month's lines */
	int day;		/* its first day with usage (joined, started;
				 * below 0 in an earlier month), at its new
				 * level (moved) or its last (stopped), an
				 * index */
	double *per_day;	/* its usage by day of the month */
	double excess;		/* a burst: what its day posted above the
				 * usual, left out of the series */
	double rate;		/* joined in an earlier month: its mean day
				 * since */
};

static void
own_rates_free(struct own_rate *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].per_day);
	free(v);
}

static void
own_rate_add(struct own_rate **v, size_t *n, enum own_kind kind,
    const char *code, const char *account, int64_t day,
    const double *per_day, int days)
{
	struct own_rate *o;

	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	o = &(*v)[(*n)++];
	o->kind = kind;
	o->code = code;
	o->account = account;
	o->day = (int)day;
	o->excess = 0;
	o->rate = 0;
	o->per_day = xmalloc((size_t)days * sizeof(*per_day));
	memcpy(o->per_day, per_day, (size_t)days * sizeof(*per_day));
}

static int
cmp_account_day(const void *pa, const void *pb)
{
	const struct day_service *a = *(const struct day_service *const *)pa;
	const struct day_service *b = *(const struct day_service *const *)pb;
	int c = strcmp(a->account, b->account);

	return c != 0 ? c : (a->day > b->day) - (a->day < b->day);
}

/*
 * Where account first posted usage in the earlier months, as a day of
 * this month (below 0), when that was after the payer's first day there
 * (it joined while they ran), and its mean day since (the day it joined
 * left out when it is only part of a day) to this month's `last`; else
 * 0, when the account was there from the start or is not there at all.
 */
static int64_t
joined_earlier(const struct history *h, const double *per_day, int64_t last,
    const char *account, double *rate)
{
	int64_t first = -1, payer_first = -1, d, n, n0;
	double *all, sum = 0;
	size_t e;

	*rate = 0;
	for (e = 0; e < h->nds; e++) {
		const struct day_service *x = &h->ds[e];

		if (x->cost == 0)
			continue;
		if (payer_first < 0 || x->day < payer_first)
			payer_first = x->day;
		if (strcmp(x->account, account) == 0 && (first < 0 || x->day <
		    first))
			first = x->day;
	}
	if (first <= payer_first)
		return 0;
	n = h->n + last + 1;
	all = xcalloc((size_t)n, sizeof(*all));
	for (e = 0; e < h->nds; e++)
		if (strcmp(h->ds[e].account, account) == 0)
			all[h->ds[e].day] += to_double(h->ds[e].cost);
	for (d = 0; d <= last; d++)
		all[h->n + d] = per_day[d];
	d = partial_first_day(all, first, n - 1) ? first + 1 : first;
	for (n0 = d; d < n; d++)
		sum += all[d];
	free(all);
	*rate = sum / (double)(n - n0);
	return first - h->n;
}

/*
 * Add to *v the accounts whose usage starts after the run-rate's first
 * day (`start`) and by the last complete day, and that the earlier
 * months do not hold: they joined this month; and those that joined
 * in the earlier months (joined_earlier), whose days there would read
 * as a step in the series.
 */
static void
new_accounts(const struct month_lines *l, const struct history *h,
    int64_t start, int64_t last, struct own_rate **v, size_t *n)
{
	const struct day_service **by = xmalloc((l->nds + 1) * sizeof(*by));
	double *per_day = xmalloc((size_t)l->days * sizeof(*per_day));
	size_t i, j;

	for (i = 0; i < l->nds; i++)
		by[i] = &l->ds[i];
	qsort(by, l->nds, sizeof(*by), cmp_account_day);
	for (i = 0; i < l->nds; i = j) {
		int64_t first = -1, joined;
		double rate;

		memset(per_day, 0, (size_t)l->days * sizeof(*per_day));
		for (j = i; j < l->nds && strcmp(by[j]->account,
		    by[i]->account) == 0; j++) {
			per_day[by[j]->day] += to_double(by[j]->cost);
			if (by[j]->cost != 0 && first < 0)
				first = by[j]->day;
		}
		if (first > start && first <= last && !has_account(h->accounts,
		    h->naccounts, by[i]->account))
			own_rate_add(v, n, OWN_ACCOUNT, NULL, by[i]->account,
			    first, per_day, l->days);
		else if (first >= start && first <= last && (joined =
		    joined_earlier(h, per_day, last, by[i]->account,
		    &rate)) < 0) {
			own_rate_add(v, n, OWN_JOINED, NULL, by[i]->account,
			    joined, per_day, l->days);
			(*v)[*n - 1].rate = rate;
		}
	}
	free(per_day);
	free(by);
}

static int
same_service(const struct day_service *a, const struct day_service *b)
{
	return strcmp(a->code, b->code) == 0 && strcmp(a->account,
	    b->account) == 0;
}

static int
cmp_service_day(const void *pa, const void *pb)
{
	const struct day_service *a = *(const struct day_service *const *)pa;
	const struct day_service *b = *(const struct day_service *const *)pb;
	int c = strcmp(a->code, b->code);

	if (c == 0)
		c = strcmp(a->account, b->account);
	return c != 0 ? c : (a->day > b->day) - (a->day < b->day);
}

/*
 * The day from which per_day[start..last] runs at a new level (see
 * MOVE_RATIO), or -1. Of several, the latest.
 */
static int64_t
moved_from(const double *per_day, int64_t start, int64_t last)
{
	int64_t t;

	for (t = last - MOVE_UP_DAYS + 1; t - LAG_DAYS >= start; t--) {
		int64_t from = t - STOP_REGULAR < start ? start :
		    t - STOP_REGULAR;
		double lo, hi, before, alo, ahi, after;

		if (!posted_days(per_day, from, t, &lo, &hi, &before) ||
		    hi > 2 * lo ||
		    !posted_days(per_day, t, last + 1, &alo, &ahi, &after))
			continue;
		if ((alo > hi && alo >= MOVE_RATIO * before) ||
		    (last - t + 1 >= STOP_DAYS && ahi < lo &&
		    ahi * MOVE_RATIO <= before))
			return t;
	}
	return -1;
}

/*
 * The day of per_day[start..last) (not the last complete day: a rise
 * there may be a new level) that was a burst, or -1: every other day
 * from up to STOP_REGULAR before it to last posted, the most at most
 * twice the least, and that day at least BURST_RATIO times their most.
 * *excess gets what it posted above their mean. Of several, the latest.
 */
static int64_t
burst_day(const double *per_day, int64_t start, int64_t last,
    double *excess)
{
	int64_t d;

	for (d = last - 1; d - LAG_DAYS >= start; d--) {
		int64_t from = d - STOP_REGULAR < start ? start :
		    d - STOP_REGULAR;
		double lo, hi, before, alo, ahi, after, mean;

		if (!posted_days(per_day, from, d, &lo, &hi, &before) ||
		    !posted_days(per_day, d + 1, last + 1, &alo, &ahi, &after))
			continue;
		if (alo < lo)
			lo = alo;
		if (ahi > hi)
			hi = ahi;
		if (hi > 2 * lo || per_day[d] < BURST_RATIO * hi)
			continue;
		mean = (before * (double)(d - from) + after * (double)(last -
		    d)) / (double)(last - from);
		*excess = per_day[d] - mean;
		return d;
	}
	return -1;
}

/*
 * How often the service code in account came back after STOP_DAYS or
 * more silent days, in the earlier months and this month's days to `to`
 * (per_day: its days this month).
 */
static int
came_back(const struct history *h, const char *code, const char *account,
    const double *per_day, int64_t to)
{
	int64_t n = h->n + to + 1, d, seen = -1;
	char *posted = xcalloc((size_t)n, 1);
	size_t e;
	int back = 0;

	for (e = 0; e < h->nds; e++)
		if (h->ds[e].cost != 0 && strcmp(h->ds[e].code, code) == 0 &&
		    strcmp(h->ds[e].account, account) == 0)
			posted[h->ds[e].day] = 1;
	for (d = 0; d <= to; d++)
		if (per_day[d] > 0)
			posted[h->n + d] = 1;
	for (d = 0; d < n; d++)
		if (posted[d]) {
			back += seen >= 0 && d - seen - 1 >= STOP_DAYS;
			seen = d;
		}
	free(posted);
	return back;
}

/*
 * Whether a service that ran only from its first day this month (first)
 * to end stopped: it posted about the same on each day before end (end
 * itself may be part of a day), has been silent for STOP_DAYS or more
 * complete days since, and came back after such a silence at most once
 * in the earlier months, which must be stored, and this one (a service
 * that comes and goes, a weekend job, keeps its place in the series).
 */
static int
short_run_ended(const struct history *h, const char *code,
    const char *account, const double *per_day, int64_t first, int64_t end,
    int64_t last)
{
	return h->n > 0 && end > first && last - end >= STOP_DAYS &&
	    posted_each_day(per_day, first, end) &&
	    came_back(h, code, account, per_day, end) <= 1;
}

/*
 * Add to *v the services of days start..last that stopped (see
 * STOP_REGULAR and short_run_ended; with FORECAST_STOPPED in parts),
 * moved (moved_from; FORECAST_MOVED), had a burst (burst_day;
 * FORECAST_OUTLIERS) or started (see START_DAYS; with FORECAST_STARTED)
 * in an account, other than in an account *v already holds as joined
 * (it runs at its own rate whole).
 */
static void
service_changes(const struct month_lines *l, const struct history *h,
    int64_t start, int64_t last, unsigned parts, struct own_rate **v,
    size_t *n)
{
	const struct day_service **by = xmalloc((l->nds + 1) * sizeof(*by));
	double *per_day = xcalloc((size_t)l->days, sizeof(*per_day));
	size_t joined = *n, i, j, k;

	for (i = 0; i < l->nds; i++)
		by[i] = &l->ds[i];
	qsort(by, l->nds, sizeof(*by), cmp_service_day);
	for (i = 0; i < l->nds; i = j) {
		int64_t first = -1, end = -1, from, d, full;
		double excess;

		memset(per_day, 0, (size_t)l->days * sizeof(*per_day));
		for (j = i; j < l->nds && same_service(by[i], by[j]); j++)
			per_day[by[j]->day] += to_double(by[j]->cost);
		for (d = start; d <= last; d++)
			if (per_day[d] > 0) {
				if (first < 0)
					first = d;
				end = d;
			}
		for (k = 0; k < joined && strcmp((*v)[k].account,
		    by[i]->account) != 0; k++)
			;
		if (first < 0 || k < joined)
			continue;
		from = end - STOP_REGULAR < start ? start : end - STOP_REGULAR;
		if ((parts & FORECAST_STOPPED) && ((last - end >= STOP_DAYS &&
		    end - from >= LAG_DAYS && posted_each_day(per_day, from,
		    end)) || (last - end == LAG_MAX && ended_within(per_day,
		    from, end)) || short_run_ended(h, by[i]->code,
		    by[i]->account, per_day, first, end, last))) {
			own_rate_add(v, n, OWN_STOPPED, by[i]->code,
			    by[i]->account, end, per_day, l->days);
			continue;
		}
		if ((parts & FORECAST_MOVED) && first == start && (d =
		    moved_from(per_day, start, last)) >= 0) {
			own_rate_add(v, n, OWN_MOVED, by[i]->code,
			    by[i]->account, d, per_day, l->days);
			continue;
		}
		if ((parts & FORECAST_OUTLIERS) && first == start && (d =
		    burst_day(per_day, start, last, &excess)) >= 0) {
			own_rate_add(v, n, OWN_BURST, by[i]->code,
			    by[i]->account, d, per_day, l->days);
			(*v)[*n - 1].excess = excess;
			continue;
		}
		/* a start within its first day: the days after are even */
		full = partial_first_day(per_day, first, last) ? first + 1 :
		    first;
		if (!(parts & FORECAST_STARTED) || first <= start ||
		    last - full + 1 < START_DAYS || !posted_each_day(per_day,
		    full, last + 1))
			continue;
		for (k = 0; k < h->nds && !same_service(&h->ds[k], by[i]); k++)
			;
		if (k == h->nds)
			own_rate_add(v, n, OWN_STARTED, by[i]->code,
			    by[i]->account, first, per_day, l->days);
	}
	free(per_day);
	free(by);
}

/*
 * Set apart in p's services the usage of account (of service code only,
 * unless NULL) on days from..to, as running at a rate of its own:
 * projected (0 for a service that stopped), spread over its services by
 * what each posted there.
 */
static void
set_apart(struct estimate_payer *p, const struct month_lines *l,
    const char *code, const char *account, int64_t from, int64_t to,
    double projected)
{
	money_t all = 0;
	size_t i;

	for (i = 0; i < l->nds; i++) {
		const struct day_service *e = &l->ds[i];

		if (e->day >= from && e->day <= to && strcmp(e->account,
		    account) == 0 && (code == NULL || strcmp(e->code, code) ==
		    0))
			all += e->cost;
	}
	for (i = 0; i < l->nds; i++) {
		const struct day_service *e = &l->ds[i];
		struct estimate_service *s;

		if (e->day < from || e->day > to || strcmp(e->account,
		    account) != 0 || (code != NULL && strcmp(e->code, code) !=
		    0))
			continue;
		s = service_of(&p->services, &p->nservices, e->code, "");
		s->usage_apart += e->cost;
		if (all != 0)
			s->projected_apart += to_money(projected *
			    (to_double(e->cost) / to_double(all)));
	}
}

/*
 * What o adds to the days left (ahead of them after last): nothing for
 * a service that stopped, else its mean day from its first, to each
 * day's projection in each and to p's; its services set apart, and a
 * note that says so.
 */
static void
own_rate_project(struct estimate_payer *p, const struct month_lines *l,
    const struct own_rate *o, int64_t start, int64_t last, int ahead,
    double *each)
{
	double rate = 0;
	char day[11], amount[48];
	int64_t d;
	int k;

	day_text(l->first + o->day, day);
	if (o->kind == OWN_BURST) {
		money_format_grouped(amount, sizeof(amount),
		    to_money(o->excess), 2);
		note(p, "%s in account %s: %s was a burst, %s above its usual "
		    "day: not projected", o->code, o->account, day, amount);
		return;
	}
	if (o->kind == OWN_STOPPED) {
		set_apart(p, l, o->code, o->account, start, last, 0);
		note(p, "%s in account %s stopped after %s: not projected",
		    o->code, o->account, day);
		return;
	}
	/* a first day that is part of a day: the rate is the days after */
	if (o->kind == OWN_JOINED)
		rate = o->rate;
	else {
		for (d = o->day + 1; d <= last; d++)
			rate += o->per_day[d];
		if (partial_first_day(o->per_day, o->day, last))
			rate /= (double)(last - o->day);
		else
			rate = (rate + o->per_day[o->day]) /
			    (double)(last - o->day + 1);
	}
	set_apart(p, l, o->code, o->account, start, last, rate * ahead);
	p->fc.projected += rate * ahead;
	for (k = 0; k < ahead; k++)
		each[k] += rate;
	money_format_grouped(amount, sizeof(amount), to_money(rate), 2);
	/* a service's rate under half a cent a day changes no figure: no
	 * note (a new account is news whatever it costs) */
	if (o->kind != OWN_ACCOUNT && o->kind != OWN_JOINED &&
	    fabs(rate) < 0.005)
		return;
	if (o->kind == OWN_ACCOUNT)
		note(p, "account %s is new this month: from %s it runs at its "
		    "own rate, %s a day", o->account, day, amount);
	else if (o->kind == OWN_JOINED)
		note(p, "account %s joined on %s: it runs at its own rate since, "
		    "%s a day", o->account, day, amount);
	else if (o->kind == OWN_MOVED)
		note(p, "%s in account %s moved to a new level on %s: it runs "
		    "at that rate, %s a day", o->code, o->account, day, amount);
	else
		note(p, "%s in account %s started on %s: it runs at its own "
		    "rate, %s a day", o->code, o->account, day, amount);
}

/*
 * Estimate mi[i] (one payer's month) from what is stored before cut
 * (everything when NULL), projected to day `horizon` of the month (0:
 * its last day). parts: the forecast parts used.
 */
static int
estimate_month(sqlite3 *db, const struct month_info *mi, size_t i,
    const char *cut, int horizon, unsigned parts, struct estimate_payer *p,
    struct pv_error *err)
{
	const struct month_info *m = &mi[i];
	struct month_lines l;
	struct history h;
	struct forecast_input in;
	int64_t last_complete, start, cut_day = cut ? day_number(cut) : -1;
	double late_day = 0;
	const char *late_names[3];
	size_t nlate_names = 0;
	int64_t first_data = -1, last_data = -1;
	money_t usage_all = 0, fees_daily_all = 0, spent, projected, fees;
	double *series = NULL, *each = NULL, fee_rate = 0;
	int n, d, ahead, rc = -1;
	pv_time end;

	memset(p, 0, sizeof(*p));
	memset(&h, 0, sizeof(h));
	p->payer = xstrdup(m->payer);
	p->period = xstrdup(m->period);
	p->currency = xstrdup(m->currency ? m->currency : "USD");
	p->places = m->places < 2 ? 2 : m->places;
	if (read_lines(db, m, cut, &l, err) != 0)
		goto out;
	p->days_in_month = l.days;
	p->horizon = horizon > 0 && horizon < l.days ? horizon : l.days;
	p->final = cut == NULL && !m->estimated;
	p->status = p->final ? "final" : "estimated";

	/* how far complete days reach: hourly lines to the day's end */
	last_complete = usage_end_day(m, &end) - 1 - l.first;
	if (cut_day >= 0 && (end < 0 || last_complete >= cut_day - l.first))
		last_complete = cut_day - l.first - 1;
	if (last_complete >= l.days)
		last_complete = l.days - 1;
	/* no hourly or daily line at all (a file of tax lines only): no
	 * complete day, not a day before the month began */
	if (last_complete < -1)
		last_complete = -1;
	for (d = 0; d < l.days; d++) {
		if (money_add(&usage_all, l.usage[d]) != 0 ||
		    money_add(&fees_daily_all, l.fees[d]) != 0) {
			overflow(err);
			goto out;
		}
		if (l.seen[d]) {
			if (first_data < 0)
				first_data = d;
			last_data = d;
		}
	}
	if (money_add(&usage_all, l.usage_mtd) != 0) {
		overflow(err);
		goto out;
	}
	p->usage_to_date = l.usage_class;
	if (!m->monthly && read_history(db, mi, i, &h, err) != 0)
		goto out;

	/* an account new this month: its run-rate starts on its first
	 * day (the days before cost nothing, and will not) */
	start = 0;
	if (h.n == 0 && first_data > 0 && !p->final)
		start = first_data <= last_complete ? first_data :
		    last_complete + 1;
	if (!p->final && !m->monthly)
		last_complete = settle_last_day(&l, last_complete, start,
		    &late_day, late_names, sizeof(late_names) /
		    sizeof(late_names[0]), &nlate_names);
	if (p->final || last_complete >= p->horizon - 1)
		last_complete = p->horizon - 1;
	p->start_day = (int)start + 1;
	n = last_complete >= start ? (int)(last_complete - start + 1) : 0;
	p->days_observed = n;
	if (last_complete >= 0) {
		char buf[11];

		day_text(l.first + last_complete, buf);
		p->last_complete_day = xstrdup(buf);
	}
	for (d = (int)start; d <= last_complete; d++) {
		money_add(&p->usage_observed, l.usage[d]);
		money_add(&p->fees_daily, l.fees[d]);
		p->days_with_data += l.seen[d];
	}
	for (d = (int)last_complete + 1; d < l.days; d++)
		if (l.seen[d]) {
			money_add(&p->usage_partial, l.usage[d]);
			p->partial_days++;
		}
	p->month_charges = l.month;
	p->one_time = l.one_time;
	p->credits = l.credits;
	p->refunds = l.refunds;
	p->tax_observed = l.tax;
	p->services = l.svc;
	p->nservices = l.nsvc;
	l.svc = NULL;
	l.nsvc = 0;
	if (h.period != NULL) {
		p->previous_period = xstrdup(h.period);
		p->previous_amount = h.amount;
	}
	/* last month's fees are expected again only while this month is
	 * still open: a complete or invoiced month is what was charged */
	if (!p->final && last_complete < p->horizon - 1 && horizon == 0)
		expect_fees(p, &l, &h);

	/* the usage model on this month's complete days, after the
	 * earlier months' */
	ahead = p->final ? 0 : p->horizon - 1 - (int)last_complete;
	if (late_day > 0 && ahead > 0)
		late_note(p, &l, last_complete + 1, late_names,
		    sizeof(late_names) / sizeof(late_names[0]), nlate_names,
		    late_day * ahead);
	series = xmalloc((size_t)(h.n + n + 1) * sizeof(*series));
	each = xcalloc((size_t)ahead + 1, sizeof(*each));
	if (h.n > 0)
		memcpy(series, h.days, (size_t)h.n * sizeof(*series));
	/* usage only: fees by the hour go on at their own rate */
	for (d = 0; d < n; d++)
		series[h.n + d] = to_double(l.usage[start + d]);
	in.days = series;
	in.ndays = h.n + n;
	in.current = n;
	in.first_weekday = weekday(l.first + start - h.n);
	in.ahead = ahead;
	in.each = each;
	if (m->monthly) {
		/* a monthly report: month-to-date lines, no daily detail;
		 * the days it covers give a run-rate */
		int seen = last_data >= 0 ? (int)last_data + 1 :
		    (int)(last_complete + 1);

		if (seen < 1)
			seen = 1;
		memset(&p->fc, 0, sizeof(p->fc));
		p->fc.shift_at = -1;
		p->fc.weekend = 1;
		p->usage_observed = usage_all;
		p->days_observed = seen;
		ahead = p->final ? 0 : p->horizon - seen;
		if (ahead < 0)
			ahead = 0;
		p->fc.projected = forecast_run_rate((double[]){ to_double(
		    usage_all) / seen }, 1, ahead);
		note(p, "monthly report: no daily detail, usage extrapolated "
		    "linearly");
	} else if (n == 0 && !p->final && usage_all > 0 && end > (l.first +
	    start) * 86400) {
		/* not one complete day yet: the hours seen give a rate, as
		 * rough as it gets */
		double hours = (double)(end - (l.first + start) * 86400) / 3600;

		if (hours < 1)
			hours = 1;
		memset(&p->fc, 0, sizeof(p->fc));
		p->fc.shift_at = -1;
		p->fc.weekend = 1;
		p->fc.projected = to_double(usage_all) / hours * 24 * ahead;
		p->usage_partial = usage_all;
		note(p, "less than one complete day: run-rate from %.0f hours",
		    hours);
	} else {
		struct own_rate *own = NULL;
		size_t nown = 0, k, e;

		if (parts == 0)
			parts = forecast_default_parts;
		/* accounts that joined this month and services that
		 * started run at their own rate from their first day;
		 * services that stopped are no part of the level, here or
		 * in the earlier months: the rest is the series */
		if ((parts & FORECAST_ACCOUNTS) && !p->final)
			new_accounts(&l, &h, start, last_complete, &own, &nown);
		if (!p->final)
			service_changes(&l, &h, start, last_complete, parts,
			    &own, &nown);
		for (k = 0; k < nown; k++) {
			if (own[k].kind == OWN_BURST) {
				series[h.n + own[k].day - start] -=
				    own[k].excess;
				continue;
			}
			for (d = (int)start; d <= last_complete; d++)
				series[h.n + d - start] -= own[k].per_day[d];
			/* in the earlier months too, where it ran */
			for (e = 0; (own[k].kind == OWN_STOPPED ||
			    own[k].kind == OWN_MOVED || own[k].kind ==
			    OWN_JOINED) && e < h.nds; e++)
				if ((own[k].code == NULL || strcmp(h.ds[e].code,
				    own[k].code) == 0) && strcmp(h.ds[e].account,
				    own[k].account) == 0)
					series[h.ds[e].day] -=
					    to_double(h.ds[e].cost);
		}
		forecast_usage(&in, parts, &p->fc);
		for (k = 0; k < nown; k++)
			own_rate_project(p, &l, &own[k], start, last_complete,
			    ahead, each);
		own_rates_free(own, nown);
	}
	p->history_days = p->fc.history_days;

	/* fees by the hour or day: the last complete day's rate */
	if (last_complete >= start && !p->final)
		fee_rate = to_double(l.fees[last_complete]);
	p->fees_daily_projected = to_money(fee_rate * ahead);
	if (p->final || m->monthly) {
		/* daily fees are all there (or in usage_mtd) */
		p->fees_daily = fees_daily_all;
		p->fees_daily_projected = m->monthly && !p->final ?
		    to_money(to_double(fees_daily_all) / p->days_observed *
		    ahead) : 0;
	}
	if (p->final) {
		p->usage_observed = usage_all;
		p->usage_partial = 0;
		p->partial_days = 0;
		p->fc.projected = 0;
	}
	p->complete = p->final || ahead == 0;
	p->usage_projected = to_money(p->fc.projected);
	p->projected_days = xcalloc((size_t)ahead + 1,
	    sizeof(*p->projected_days));
	p->nprojected_days = m->monthly ? 0 : ahead;
	for (d = 0; d < p->nprojected_days; d++)
		p->projected_days[d] = to_money(each[d] + fee_rate);

	p->amount = 0;
	if (money_add(&p->amount, p->usage_observed) != 0 ||
	    money_add(&p->amount, p->usage_projected) != 0 ||
	    money_add(&p->amount, p->month_charges) != 0 ||
	    money_add(&p->amount, p->fees_daily) != 0 ||
	    money_add(&p->amount, p->fees_daily_projected) != 0 ||
	    money_add(&p->amount, p->fees_expected) != 0 ||
	    money_add(&p->amount, p->one_time) != 0) {
		overflow(err);
		goto out;
	}
	/* the baseline: the mean complete day over the whole month, the
	 * charges once */
	{
		double mean_day = n > 0 ? to_double(p->usage_observed +
		    p->fees_daily) / n : 0;

		p->run_rate = p->final ? p->amount : to_money(mean_day *
		    (p->horizon - start)) + p->month_charges + p->one_time;
		if (m->monthly)
			p->run_rate = p->amount - p->fees_expected;
	}
	/* naive: everything so far, scaled to the month */
	spent = l.spent;
	{
		int seen = n > 0 ? n : 1;

		p->naive = p->final ? p->amount : to_money(to_double(spent) *
		    (p->horizon - start) / seen);
	}
	projected = p->usage_projected + p->fees_daily_projected;
	measured_range(p, projected, spent, m->monthly);

	/* tax at the ratio of the month before, where it is stored (a
	 * month-long tax line may already hold the whole month's tax),
	 * else at the ratio seen so far; a complete month's as billed */
	if (p->final || last_complete >= l.days - 1)
		p->tax = p->tax_observed;
	else if (h.have_prev && h.prev.tax != 0 && h.prev.spent > 0)
		p->tax = to_money(to_double(p->amount) *
		    (to_double(h.prev.tax) / to_double(h.prev.spent)));
	else if (p->tax_observed != 0 && spent > 0)
		p->tax = to_money(to_double(p->amount) *
		    (to_double(p->tax_observed) / to_double(spent)));
	fees = p->fees_daily + p->fees_daily_projected;
	allocate_services(p, usage_all, p->amount - p->month_charges -
	    p->fees_expected - p->one_time - fees, fees_daily_all, fees);

	describe_parts(p, m->monthly);
	if (m->blended)
		note(p, "the estimate rests on blended cost: the file has no "
		    "unblended cost column, so the amounts are the "
		    "organisation's average rates");
	explain(p, l.first, h.n);
	if (p->final && !m->monthly && last_data >= 0 &&
	    last_data < l.days - 1 && usage_end_day(m, &end) < l.first +
	    l.days)
		note(p, "warning: the month is invoiced, but the data holds "
		    "days only to %d of %d: the amount is what the file holds, "
		    "not the bill", (int)last_data + 1, l.days);
	rc = 0;
out:
	free(series);
	free(each);
	lines_release(&l);
	history_release(&h);
	return rc;
}

static void
payer_release(struct estimate_payer *p)
{
	size_t i;

	free(p->payer);
	free(p->period);
	free(p->currency);
	free(p->last_complete_day);
	free(p->previous_period);
	free(p->projected_days);
	for (i = 0; i < p->nparts; i++)
		free(p->parts[i].label);
	free(p->parts);
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

	e->method = "run-rate of the complete days, after earlier months, "
	    "level changes, services stopped, started or moved, weekly "
	    "pattern, unusual days and trend are taken into account; fees by "
	    "cadence; 80 % range from measured errors";
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
		if (estimate_month(db, mi, pick, o->cut, 0, o->parts,
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
	e->mixed = mixed_currencies(e);
	for (i = 0; i < e->npayers; i++) {
		struct estimate_payer *p = &e->payers[i];

		if (strcmp(p->period, e->period) != 0)
			continue;
		if (e->currency == NULL && e->mixed == NULL)
			e->currency = xstrdup(p->currency);
		if (p->places > e->places)
			e->places = p->places;
		if (p->days_observed > e->days_observed)
			e->days_observed = p->days_observed;
		if (p->typical_error > e->typical_error) {
			e->typical_error = p->typical_error;
			e->error_months = p->error_months;
		}
		if (e->mixed != NULL)
			continue;	/* EUR and USD do not add up */
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
		for (k = 0; k < p->nservices; k++)
			money_add(&service_of(&e->services, &e->nservices,
			    p->services[k].code, p->services[k].name)->amount,
			    p->services[k].amount);
		for (k = 0; k < p->nnotes && e->npayers == 1; k++) {
			e->notes = xrealloc(e->notes, (e->nnotes + 1) *
			    sizeof(*e->notes));
			e->notes[e->nnotes++] = xstrdup(p->notes[k]);
		}
	}
	if (e->nservices > 1)
		qsort(e->services, e->nservices, sizeof(*e->services),
		    cmp_service);
	/* the lowest confidence of the payers summed; none without data */
	for (i = 0; i < e->npayers; i++) {
		const char *c = e->payers[i].confidence;

		if (strcmp(e->payers[i].period, e->period) != 0)
			continue;
		if (e->confidence == NULL || strcmp(c, "low") == 0 ||
		    (strcmp(c, "medium") == 0 && strcmp(e->confidence,
		    "high") == 0))
			e->confidence = c;
	}
	if (e->currency == NULL && e->mixed == NULL)
		e->currency = xstrdup("USD");
	if (e->places < 2)
		e->places = 2;
	rc = 0;
out:
	months_free(mi, nmi);
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
	free(e->mixed);
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
		return est == 0 ? 0 : 100;
	return 100.0 * (to_double(est) - to_double(actual)) /
	    fabs(to_double(actual));
}

void
estimate_judge(const struct estimate_payer *part,
    const struct estimate_payer *full, int cut_day, struct estimate_trial *t)
{
	memset(t, 0, sizeof(*t));
	t->payer = part->payer;
	t->period = part->period;
	t->cut_day = cut_day;
	t->days_observed = part->days_observed;
	t->horizon = part->horizon;
	t->history = part->history_days > 0;
	/* a purchase made after the cut could not be known on that day by
	 * any method: it is left out of what the estimate is judged
	 * against */
	t->later_one_time = full->one_time - part->one_time;
	t->actual = full->amount - t->later_one_time;
	t->projected = part->usage_projected + part->fees_daily_projected;
	t->ours = part->amount;
	t->low = part->low;
	t->high = part->high;
	t->run_rate = part->run_rate;
	t->naive = part->naive;
	t->noise = part->fc.noise;
	t->err_ours = pct_error(t->ours, t->actual);
	t->err_run_rate = pct_error(t->run_rate, t->actual);
	t->err_naive = pct_error(t->naive, t->actual);
}

static void
skip_month(struct estimate_backtest *b, const struct month_info *m,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
skip_month(struct estimate_backtest *b, const struct month_info *m,
    const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	b->skipped = xrealloc(b->skipped, (b->nskipped + 1) *
	    sizeof(*b->skipped));
	b->skipped[b->nskipped].payer = xstrdup(m->payer);
	b->skipped[b->nskipped].period = xstrdup(m->period);
	b->skipped[b->nskipped].why = xstrdup(buf);
	b->nskipped++;
}

int
estimate_backtest(struct store *st,
    const struct estimate_backtest_options *o,
    struct estimate_backtest **out, struct pv_error *err)
{
	static const int default_cuts[3] = { 7, 14, 21 };
	const int *cuts = o->cut_days ? o->cut_days : default_cuts;
	int ncuts = o->cut_days ? o->ncut_days : 3;
	sqlite3 *db = store_db(st);
	struct estimate_backtest *b = xcalloc(1, sizeof(*b));
	struct month_info *mi = NULL;
	size_t nmi = 0, i, cap = 0;
	int c, rc = -1;

	if (store_prepare_reading(st, err) != 0 ||
	    read_months(db, o->payer, &mi, &nmi, err) != 0)
		goto out;
	for (i = 0; i < nmi; i++) {
		struct estimate_payer full;
		int64_t first, last;
		int days, horizon;
		pv_time end;
		char stop[11];

		if (mi[i].monthly) {
			skip_month(b, &mi[i], "a monthly report: no daily "
			    "detail to cut");
			continue;
		}
		if (period_days(mi[i].period, &first, &days) != 0)
			continue;
		last = usage_end_day(&mi[i], &end) - first;	/* days */
		if (last > days)
			last = days;
		if (last < ESTIMATE_BACKTEST_MIN_DAYS) {
			skip_month(b, &mi[i], "only %d complete day%s (the "
			    "backtest needs %d)", last > 0 ? (int)last : 0,
			    last == 1 ? "" : "s", ESTIMATE_BACKTEST_MIN_DAYS);
			continue;
		}
		horizon = (int)last;
		/* the truth: the month to its last complete day, as billed */
		day_text(first + horizon, stop);
		if (estimate_month(db, mi, i, horizon < days ? stop : NULL,
		    horizon, o->parts, &full, err) != 0) {
			payer_release(&full);
			goto out;
		}
		/* a trimmed file can reach the month's end in a few days */
		if (full.days_with_data < ESTIMATE_BACKTEST_MIN_DAYS) {
			skip_month(b, &mi[i], "only %d day%s with data (the "
			    "backtest needs %d)", full.days_with_data,
			    full.days_with_data == 1 ? "" : "s",
			    ESTIMATE_BACKTEST_MIN_DAYS);
			payer_release(&full);
			continue;
		}
		for (c = 0; c < ncuts; c++) {
			struct estimate_payer part;
			struct estimate_trial *t;
			char cut[11];

			if (cuts[c] < 2 || cuts[c] - 1 >= horizon)
				continue;
			day_text(first + cuts[c] - 1, cut);
			if (estimate_month(db, mi, i, cut, horizon, o->parts,
			    &part, err) != 0) {
				payer_release(&part);
				payer_release(&full);
				goto out;
			}
			b->trials = xgrow(b->trials, &cap, b->ntrials + 1,
			    sizeof(*b->trials));
			t = &b->trials[b->ntrials++];
			estimate_judge(&part, &full, cuts[c], t);
			t->payer = xstrdup(mi[i].payer);
			t->period = xstrdup(mi[i].period);
			payer_release(&part);
		}
		payer_release(&full);
	}
	rc = 0;
out:
	months_free(mi, nmi);
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
	for (i = 0; i < b->nskipped; i++) {
		free(b->skipped[i].payer);
		free(b->skipped[i].period);
		free(b->skipped[i].why);
	}
	free(b->skipped);
	free(b);
}

void
estimate_score(const struct estimate_trial *t, size_t n, int cut_day,
    struct estimate_score *out)
{
	size_t i;
	int in = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		if (cut_day != 0 && t[i].cut_day != cut_day)
			continue;
		out->n++;
		out->mae_ours += fabs(t[i].err_ours);
		out->mae_run_rate += fabs(t[i].err_run_rate);
		out->mae_naive += fabs(t[i].err_naive);
		out->bias_ours += t[i].err_ours;
		in += t[i].actual >= t[i].low && t[i].actual <= t[i].high;
	}
	if (out->n > 0) {
		out->mae_ours /= out->n;
		out->mae_run_rate /= out->n;
		out->mae_naive /= out->n;
		out->bias_ours /= out->n;
		out->coverage = 100.0 * in / out->n;
	}
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
	int rc = 0, busy = 0;

	date_now_iso(now);
	/* the log is kept by the way: while an ingest holds the write
	 * lock, this estimate goes unlogged rather than wait for it (the
	 * next one after the ingest is logged) */
	sqlite3_busy_timeout(db, 0);
	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO estimate_log("
	    "made_at, payer_account, period, data_through, days_observed, "
	    "amount, low, high, confidence, method) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, 'measured')", -1, &q, NULL) != SQLITE_OK) {
		rc = db_fail(db, err);
		sqlite3_busy_timeout(db, STORE_BUSY_MS);
		return rc;
	}
	for (i = 0; i < e->npayers && rc == 0 && !busy; i++) {
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
		switch (sqlite3_step(q)) {
		case SQLITE_DONE:
			break;
		case SQLITE_BUSY:
			busy = 1;	/* a writer is at work */
			break;
		default:
			rc = db_fail(db, err);
		}
	}
	sqlite3_finalize(q);
	sqlite3_busy_timeout(db, STORE_BUSY_MS);
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

		if (!month_complete(&mi[i]))
			continue;
		if (estimate_month(db, mi, i, NULL, 0, 0, &full, err) != 0) {
			payer_release(&full);
			goto out;
		}
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, mi[i].payer, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, mi[i].period, -1, SQLITE_STATIC);
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
		payer_release(&full);
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	months_free(mi, nmi);
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
