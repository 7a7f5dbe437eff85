/*
 * report.c - build the report model from the store with SQL.
 *
 * Sums are taken over INTEGER 1e-10 units; SQLite's SUM() fails with
 * "integer overflow" rather than wrap, and that error is passed on.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "checklist.h"
#include "xalloc.h"

static char *
col_text(sqlite3_stmt *q, int i)
{
	const unsigned char *s = sqlite3_column_text(q, i);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

static int
db_fail(sqlite3 *db, struct pv_error *err)
{
	return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "database: %s",
	    sqlite3_errmsg(db));
}

static void
split_lines(const char *s, char ***out, size_t *n)
{
	const char *p = s, *nl;

	*out = NULL;
	*n = 0;
	if (s == NULL || *s == '\0')
		return;
	for (;;) {
		nl = strchr(p, '\n');
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

static int
load_files(sqlite3 *db, struct report *r, const struct report_options *o,
    struct pv_error *err)
{
	sqlite3_stmt *q;
	size_t cap = 0;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT id, name, sha256, container, "
	    "format, payer_account, period, status, ingested_at, size, rows, "
	    "replaced_by, warnings, cost_basis, mail_from, mail_subject "
	    "FROM file "
	    "WHERE (?1 IS NULL OR payer_account = ?1) AND (?2 IS NULL OR "
	    "EXISTS (SELECT 1 FROM file_period fp WHERE fp.file_id = file.id "
	    "AND fp.period = ?2)) ORDER BY id", -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, err);
	sqlite3_bind_text(q, 1, o->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, o->month, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct report_file *f;

		r->files = xgrow(r->files, &cap, r->nfiles + 1,
		    sizeof(*r->files));
		f = &r->files[r->nfiles++];
		memset(f, 0, sizeof(*f));
		f->id = sqlite3_column_int64(q, 0);
		f->name = col_text(q, 1);
		f->sha256 = col_text(q, 2);
		f->container = col_text(q, 3);
		f->format = col_text(q, 4);
		f->payer = col_text(q, 5);
		f->period = col_text(q, 6);
		f->status = col_text(q, 7);
		f->ingested_at = col_text(q, 8);
		f->size = (unsigned long long)sqlite3_column_int64(q, 9);
		f->rows = (long)sqlite3_column_int64(q, 10);
		f->replaced_by = sqlite3_column_int64(q, 11);
		split_lines((const char *)sqlite3_column_text(q, 12),
		    &f->warnings, &f->nwarnings);
		f->cost_basis = col_text(q, 13);
		f->mail_from = col_text(q, 14);
		f->mail_subject = col_text(q, 15);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

/* Per payer-month: what is counted, and from which family. */
static const char period_sql[] =
    "SELECT payer_account, period, MIN(format), MAX(estimated), "
    "MAX(places), MIN(currency), MIN(first_day), MAX(last_day), "
    "MAX(last_end), COUNT(statement_total), SUM(statement_total), "
    "MAX(cost_basis = 'blended'), MAX(usage_end) "
    "FROM counted_period "
    "WHERE format <> 'manual' "
    "  AND (?1 IS NULL OR payer_account = ?1) AND (?2 IS NULL OR period = ?2) "
    "GROUP BY payer_account, period ORDER BY payer_account, period";

static const char class_sql[] =
    "SELECT class, SUM(cost) FROM invoice_day "
    "WHERE payer_account = ?1 AND period = ?2 GROUP BY class";

/* Days with line items of their own (hourly or daily); period-long
 * lines (monthly reports, credits) say nothing about coverage. */
static const char days_sql[] =
    "SELECT COUNT(DISTINCT day), MIN(day), MAX(day) FROM invoice_day "
    "WHERE payer_account = ?1 AND period = ?2 AND span_days = 1";

static const char other_sql[] =
    "SELECT DISTINCT f.format FROM file_period fp JOIN file f "
    "ON f.id = fp.file_id WHERE f.status = 'ok' AND fp.active = 1 AND "
    "fp.payer_account = ?1 AND fp.period = ?2 AND f.format != ?3 "
    "ORDER BY f.detail_rank DESC";

static void
add_note(struct report_period *p, const char *s)
{
	p->notes = xrealloc(p->notes, (p->nnotes + 1) * sizeof(*p->notes));
	p->notes[p->nnotes++] = xstrdup(s);
}

static int
days_between(const char *a, const char *b_exclusive_iso)
{
	int y1, m1, d1, y2, m2, d2, h2 = 0;

	if (a == NULL || b_exclusive_iso == NULL ||
	    sscanf(a, "%d-%d-%d", &y1, &m1, &d1) != 3 ||
	    sscanf(b_exclusive_iso, "%d-%d-%dT%d", &y2, &m2, &d2, &h2) < 3)
		return 0;
	return (int)(date_days_from_civil(y2, m2, d2) -
	    date_days_from_civil(y1, m1, d1)) + (h2 > 0);
}

static int
fill_period(sqlite3 *db, struct report_period *p, struct pv_error *err)
{
	sqlite3_stmt *q;
	int rc, c;

	if (sqlite3_prepare_v2(db, class_sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, err);
	sqlite3_bind_text(q, 1, p->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, p->period, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *cls = (const char *)sqlite3_column_text(q, 0);
		money_t v = sqlite3_column_int64(q, 1);

		for (c = 0; c < CHARGE_NCLASS; c++)
			if (strcmp(cls, charge_class_name(c)) == 0)
				p->by_class[c] = v;
		if (money_add(&p->total, v) != 0) {
			sqlite3_finalize(q);
			return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "the "
			    "total of %s %s overflows", p->payer, p->period);
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(db, err);

	if (sqlite3_prepare_v2(db, days_sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, err);
	sqlite3_bind_text(q, 1, p->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, p->period, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW &&
	    sqlite3_column_int(q, 0) > 0) {
		p->days_covered = sqlite3_column_int(q, 0);
		free(p->first_day);
		free(p->last_day);
		p->first_day = col_text(q, 1);
		p->last_day = col_text(q, 2);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err);
	return 0;
}

static int
load_periods(sqlite3 *db, struct report *r, const struct report_options *o,
    struct pv_error *err)
{
	sqlite3_stmt *q, *oq;
	size_t cap = 0, i;
	int rc;

	if (sqlite3_prepare_v2(db, period_sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, err);
	sqlite3_bind_text(q, 1, o->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, o->month, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct report_period *p;
		char *last_end;

		r->periods = xgrow(r->periods, &cap, r->nperiods + 1,
		    sizeof(*r->periods));
		p = &r->periods[r->nperiods++];
		memset(p, 0, sizeof(*p));
		p->payer = col_text(q, 0);
		p->period = col_text(q, 1);
		p->format = col_text(q, 2);
		p->estimated = sqlite3_column_int(q, 3);
		p->places = sqlite3_column_int(q, 4);
		p->currency = col_text(q, 5);
		p->first_day = col_text(q, 6);
		p->last_day = col_text(q, 7);
		last_end = col_text(q, 8);
		p->days_covered = days_between(p->first_day, last_end);
		free(last_end);
		p->has_statement = sqlite3_column_int(q, 9) > 0;
		p->statement = sqlite3_column_int64(q, 10);
		p->as_of = col_text(q, 12);
		if (sqlite3_column_int(q, 11))
			add_note(p, "cost basis: blended, the file has no "
			    "unblended cost column (the organisation's average "
			    "rates, not what each account was charged)");
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(db, err);

	if (sqlite3_prepare_v2(db, other_sql, -1, &oq, NULL) != SQLITE_OK)
		return db_fail(db, err);
	for (i = 0; i < r->nperiods; i++) {
		struct report_period *p = &r->periods[i];

		if (fill_period(db, p, err) != 0) {
			sqlite3_finalize(oq);
			return -1;
		}
		if (p->places < 2)
			p->places = 2;
		p->reconciled = !p->has_statement ? -1 :
		    money_round(p->total, 2) == money_round(p->statement, 2);
		if (p->reconciled == 0 && money_sub(p->total, p->statement,
		    &p->difference) != 0) {
			sqlite3_finalize(oq);
			return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "the "
			    "difference from the statement total of %s %s "
			    "overflows", p->payer, p->period);
		}
		/* an invoiced month whose file holds part of its days: the
		 * totals are the file's, not the bill's */
		{
			int y, m;

			if (!p->estimated && sscanf(p->period, "%d-%d", &y,
			    &m) == 2 && m >= 1 && m <= 12 && p->days_covered >
			    0 && p->days_covered < date_days_in_month(y, m) &&
			    strcmp(p->format, "monthly") != 0 &&
			    strcmp(p->format, "cost-allocation") != 0) {
				char note[200];

				snprintf(note, sizeof(note), "warning: the month "
				    "is invoiced, but the data holds %d of its %d "
				    "days: the totals are what the file holds, "
				    "not the bill", p->days_covered,
				    date_days_in_month(y, m));
				add_note(p, note);
			}
		}
		sqlite3_bind_text(oq, 1, p->payer, -1, SQLITE_STATIC);
		sqlite3_bind_text(oq, 2, p->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(oq, 3, p->format, -1, SQLITE_STATIC);
		while (sqlite3_step(oq) == SQLITE_ROW) {
			char note[256];

			snprintf(note, sizeof(note), "also delivered as %s; "
			    "not counted, %s is more detailed",
			    sqlite3_column_text(oq, 0), p->format);
			add_note(p, note);
		}
		sqlite3_reset(oq);
	}
	sqlite3_finalize(oq);
	return 0;
}

/* Month by month, per account, service and class (billing files only:
 * hand-made lists are no bill). */
static const char lines_sql[] =
    "SELECT u.payer, u.account, MAX(u.aname), u.period, u.code, "
    "       MAX(u.sname), u.cls, u.currency, SUM(u.cost), MAX(pc.status) "
    "FROM ("
    "SELECT al.payer_account AS payer, a.account_id AS account, "
    "       a.name AS aname, al.period AS period, "
    "       COALESCE(si.code, '(none)') AS code, si.name AS sname, "
    "       al.class AS cls, al.currency AS currency, al.cost AS cost "
    "FROM account_month al JOIN account a ON a.id = al.account "
    "LEFT JOIN service_ident si ON si.service = al.service "
    "WHERE al.format <> 'manual' "
    "  AND (?1 IS NULL OR al.payer_account = ?1) "
    "  AND (?2 IS NULL OR al.period = ?2) "
    "  AND (?3 IS NULL OR a.account_id = ?3) "
    /* what the invoice states beyond the per-account split is the
     * payer account's (as in the inventory); the split's own rounding
     * (CBRounding) comes out again there, so the rows add up to the
     * invoice */
    "UNION ALL "
    "SELECT cp.payer_account, pa.account_id, pa.name, cm.period, "
    "       COALESCE(si.code, '(none)'), si.name, cm.class, cm.currency, "
    "       SUM(CASE WHEN cm.view = 1 THEN cm.cost ELSE -cm.cost END) "
    "FROM cost_month cm JOIN account pa ON pa.id = cm.payer "
    "JOIN counted_period cp ON cp.file_id = cm.file_id "
    "     AND cp.payer_account = pa.account_id AND cp.period = cm.period "
    "LEFT JOIN service_ident si ON si.service = cm.service "
    "WHERE cp.has_payer_view AND cp.has_linked_view AND cm.view IN (1, 2) "
    "  AND cp.format <> 'manual' "
    "  AND (?1 IS NULL OR cp.payer_account = ?1) "
    "  AND (?2 IS NULL OR cm.period = ?2) "
    "  AND (?3 IS NULL OR pa.account_id = ?3) "
    "GROUP BY cp.payer_account, cm.period, cm.service, cm.class, "
    "         cm.currency "
    "HAVING SUM(CASE WHEN cm.view = 1 THEN cm.cost ELSE -cm.cost END) <> 0"
    ") u "
    /* Pilvi's catalog (a --catalog TEMP table shadows it) */
    "LEFT JOIN pilvi_catalog pc ON pc.service_code = u.code "
    "GROUP BY u.payer, u.account, u.period, u.code, u.cls, u.currency "
    "ORDER BY u.payer, u.account, u.period, u.code, u.cls";

static int
load_lines(sqlite3 *db, struct report *r, const struct report_options *o,
    struct pv_error *err)
{
	sqlite3_stmt *q;
	size_t cap = 0;
	int rc, c;

	if (sqlite3_prepare_v2(db, lines_sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, err);
	sqlite3_bind_text(q, 1, o->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, o->month, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, o->account, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct report_line *l;
		const char *cls = (const char *)sqlite3_column_text(q, 6);

		r->lines = xgrow(r->lines, &cap, r->nlines + 1,
		    sizeof(*r->lines));
		l = &r->lines[r->nlines++];
		l->payer = col_text(q, 0);
		l->account = col_text(q, 1);
		l->account_name = col_text(q, 2);
		l->period = col_text(q, 3);
		l->service_code = col_text(q, 4);
		l->service_name = col_text(q, 5);
		l->cls = "usage";
		for (c = 0; c < CHARGE_NCLASS; c++)
			if (strcmp(cls, charge_class_name(c)) == 0)
				l->cls = charge_class_name(c);
		l->currency = col_text(q, 7);
		l->cost = sqlite3_column_int64(q, 8);
		if (strcmp(l->service_code, "(none)") == 0)
			l->support = NULL;
		else if (sqlite3_column_type(q, 9) == SQLITE_NULL)
			l->support = "unknown";
		else
			l->support = strcmp((const char *)sqlite3_column_text(q,
			    9), "supported") == 0 ? "supported" : "unsupported";
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

static void list_add(char ***v, size_t *n, const char *s);
static int cmp_text(const void *a, const void *b);
static void free_list(char **v, size_t n);

static size_t
index_of(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return i;
	return n;
}

/*
 * The month-by-month tables from the lines (ordered by payer, account,
 * month, service): per account, each service's cost per month, all
 * charges but tax, and a total row. The months are the payer's.
 */
static void
build_month_tables(struct report *r)
{
	size_t i, j, k, pj;

	for (i = 0; i < r->nlines; i = pj) {
		char **months = NULL;
		size_t nm = 0;

		for (pj = i; pj < r->nlines && strcmp(r->lines[pj].payer,
		    r->lines[i].payer) == 0; pj++)
			list_add(&months, &nm, r->lines[pj].period);
		if (nm > 1)
			qsort(months, nm, sizeof(*months), cmp_text);
		for (k = i; k < pj; k = j) {
			struct report_month_account *a;
			size_t m, sv, t;

			for (j = k; j < pj && strcmp(r->lines[j].account,
			    r->lines[k].account) == 0; j++)
				;
			r->month_accounts = xrealloc(r->month_accounts,
			    (r->nmonth_accounts + 1) *
			    sizeof(*r->month_accounts));
			a = &r->month_accounts[r->nmonth_accounts++];
			memset(a, 0, sizeof(*a));
			a->payer = xstrdup(r->lines[k].payer);
			a->account = xstrdup(r->lines[k].account);
			a->account_name = r->lines[k].account_name != NULL ?
			    xstrdup(r->lines[k].account_name) : NULL;
			a->currency = xstrdup(r->lines[k].currency);
			for (m = 0; m < nm; m++)
				list_add(&a->months, &a->nmonths, months[m]);
			for (t = k; t < j; t++)
				list_add(&a->services, &a->nservices,
				    r->lines[t].service_code);
			if (a->nservices > 1)
				qsort(a->services, a->nservices,
				    sizeof(*a->services), cmp_text);
			a->cells = xcalloc((a->nservices + 1) * a->nmonths,
			    sizeof(*a->cells));
			for (t = k; t < j; t++) {
				const struct report_line *l = &r->lines[t];
				struct report_cell *c[2];
				int z;

				if (strcmp(l->cls, "tax") == 0)
					continue;
				m = index_of(a->months, a->nmonths, l->period);
				sv = index_of(a->services, a->nservices,
				    l->service_code);
				c[0] = &a->cells[sv * a->nmonths + m];
				c[1] = &a->cells[a->nservices * a->nmonths + m];
				for (z = 0; z < 2; z++) {
					if (c[z]->state == 2)
						continue;
					c[z]->state = money_add(&c[z]->cost,
					    l->cost) != 0 ? 2 : 1;
				}
			}
		}
		free_list(months, nm);
	}
}

static const char daily_sql[] =
    "SELECT il.day, COALESCE(si.code, '(none)'), SUM(il.cost) "
    "FROM invoice_day il "
    "LEFT JOIN service_ident si ON si.service = il.service "
    "WHERE il.payer_account = ?1 AND il.period = ?2 AND il.span_days = 1 "
    "  AND il.class IN ('usage', 'discount') "
    "GROUP BY 1, 2";

/* The services the daily chart draws apart: the largest by their usage
 * and discounts on the complete days (what the bars show; a service of
 * month-long charges only would take a place and draw nothing). */
static const char top_daily_sql[] =
    "SELECT COALESCE(si.code, '(none)') FROM invoice_day il "
    "LEFT JOIN service_ident si ON si.service = il.service "
    "WHERE il.payer_account = ?1 AND il.period = ?2 AND il.span_days = 1 "
    "  AND il.class IN ('usage', 'discount') "
    "  AND CAST(substr(il.day, 9, 2) AS INTEGER) <= ?3 "
    "GROUP BY 1 ORDER BY SUM(il.cost) DESC, 1 LIMIT ?4";

static int
top_daily(sqlite3 *db, struct report_daily *d)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(db, top_daily_sql, -1, &q, NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	sqlite3_bind_text(q, 1, d->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, d->period, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, d->observed);
	sqlite3_bind_int(q, 4, REPORT_TOP_SERVICES);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		d->services[d->nservices++] = col_text(q, 0);
	sqlite3_finalize(q);
	return rc;
}

/* The daily chart of each estimated payer-month: observed days by top
 * service, and the estimate's projection for the rest. */
static int
load_daily(sqlite3 *db, struct report *r, struct pv_error *err)
{
	sqlite3_stmt *q;
	size_t i;
	int rc = SQLITE_DONE;

	if (r->estimate == NULL || r->estimate->npayers == 0)
		return 0;
	if (sqlite3_prepare_v2(db, daily_sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, err);
	r->daily = xcalloc(r->estimate->npayers, sizeof(*r->daily));
	for (i = 0; i < r->estimate->npayers && rc == SQLITE_DONE; i++) {
		const struct estimate_payer *p = &r->estimate->payers[i];
		struct report_daily *d = &r->daily[r->ndaily++];
		int y, m, k, j, last = 0, ly, lm;

		d->payer = xstrdup(p->payer);
		d->period = xstrdup(p->period);
		if (sscanf(p->period, "%d-%d", &y, &m) != 2)
			continue;
		d->ndays = date_days_in_month(y, m);
		if (p->last_complete_day == NULL || sscanf(p->last_complete_day,
		    "%d-%d-%d", &ly, &lm, &last) != 3)
			last = 0;
		d->observed = p->final ? d->ndays : last;
		if ((rc = top_daily(db, d)) != SQLITE_DONE)
			break;
		d->services[d->nservices++] = xstrdup("other");
		d->cost = xcalloc((size_t)d->ndays * (size_t)d->nservices,
		    sizeof(*d->cost));
		d->projected = xcalloc((size_t)d->ndays, sizeof(*d->projected));
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, p->payer, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, p->period, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			const char *day = (const char *)sqlite3_column_text(q, 0);
			const char *code = (const char *)sqlite3_column_text(q,
			    1);
			int dy, dm, dd;

			/* the partial day is part of the projection */
			if (sscanf(day, "%d-%d-%d", &dy, &dm, &dd) != 3 ||
			    dd < 1 || dd > d->observed)
				continue;
			for (k = 0; k < d->nservices - 1; k++)
				if (strcmp(d->services[k], code) == 0)
					break;
			money_add(&d->cost[(dd - 1) * d->nservices + k],
			    sqlite3_column_int64(q, 2));
		}
		for (j = d->observed; j < d->ndays; j++)
			if (j - d->observed < p->nprojected_days)
				d->projected[j] = p->projected_days[j -
				    d->observed];
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

static void
list_add(char ***v, size_t *n, const char *s)
{
	size_t i;

	if (s == NULL || *s == '\0')
		return;
	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

static int
cmp_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The header's lists: payers and accounts as the sections meet them,
 * months sorted, the kinds of the files counted; and every account's
 * name from the account table (payer names too, which no usage line
 * carries).
 */
static int
derive_lists(sqlite3 *db, struct report *r, struct pv_error *err)
{
	char **ids = NULL;
	size_t nids = 0, i;
	sqlite3_stmt *q;

	for (i = 0; i < r->nperiods; i++) {
		list_add(&r->payers, &r->npayers, r->periods[i].payer);
		list_add(&r->months, &r->nmonths, r->periods[i].period);
	}
	for (i = 0; r->inventory != NULL && i < r->inventory->npayers; i++)
		list_add(&r->payers, &r->npayers, r->inventory->payers[i].payer);
	for (i = 0; i < r->nlines; i++)
		list_add(&ids, &nids, r->lines[i].account);
	for (i = 0; r->inventory != NULL && i < r->inventory->naccounts; i++)
		list_add(&ids, &nids, r->inventory->accounts[i].account);
	for (i = 0; i < r->nfiles; i++)
		if (strcmp(r->files[i].status, "ok") == 0)
			list_add(&r->formats, &r->nformats, r->files[i].format);
	if (r->nmonths > 1)
		qsort(r->months, r->nmonths, sizeof(*r->months), cmp_text);
	if (sqlite3_prepare_v2(db, "SELECT name FROM account WHERE "
	    "account_id = ?1", -1, &q, NULL) != SQLITE_OK) {
		for (i = 0; i < nids; i++)
			free(ids[i]);
		free(ids);
		return db_fail(db, err);
	}
	r->names = xcalloc(nids + r->npayers + 1, sizeof(*r->names));
	for (i = 0; i < nids + r->npayers; i++) {
		const char *id = i < nids ? ids[i] : r->payers[i - nids];
		struct report_account *a = &r->names[r->nnames];

		if (report_account_name(r, id) != NULL)
			continue;
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
		a->id = xstrdup(id);
		a->name = sqlite3_step(q) == SQLITE_ROW ? col_text(q, 0) : NULL;
		r->nnames++;
	}
	sqlite3_finalize(q);
	r->accounts = ids;
	r->naccounts = nids;
	return 0;
}

const char *
report_account_name(const struct report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nnames; i++)
		if (strcmp(r->names[i].id, id) == 0)
			return r->names[i].name;
	return NULL;
}

void
report_share_text(int bp, char *out, size_t n)
{
	snprintf(out, n, "%s%d.%02d %%", bp < 0 ? "-" : "", abs(bp) / 100,
	    abs(bp) % 100);
}

void
report_coverage_text(money_t services, money_t serviced, const char *currency,
    char *out, size_t n)
{
	char svc[48], all[48];

	money_format_grouped(svc, sizeof(svc), services, 2);
	money_format_grouped(all, sizeof(all), serviced, 2);
	snprintf(out, n, "services cover %s of %s%s%s in usage, fees and "
	    "discounts", svc, all, currency != NULL ? " " : "",
	    currency != NULL ? currency : "");
}

/* The coverage sentence of a period, as a note every format prints. */
static void
coverage_note(struct report_period *p)
{
	char cover[160], share[16], tax[48], cr[48], rf[48], rd[48], buf[600];

	report_coverage_text(p->services, p->serviced, p->currency, cover,
	    sizeof(cover));
	report_share_text(p->coverage_bp, share, sizeof(share));
	money_format_grouped(tax, sizeof(tax), p->by_class[CHARGE_TAX], 2);
	money_format_grouped(cr, sizeof(cr), p->by_class[CHARGE_CREDIT], 2);
	money_format_grouped(rf, sizeof(rf), p->by_class[CHARGE_REFUND], 2);
	money_format_grouped(rd, sizeof(rd), p->by_class[CHARGE_ROUNDING], 2);
	snprintf(buf, sizeof(buf), "%s%s (%s); tax %s, credits %s, refunds %s "
	    "and rounding %s belong to no service", p->coverage_bp < 10000 ?
	    "warning: " : "", cover, share, tax, cr, rf, rd);
	add_note(p, buf);
}

/*
 * Coverage: the inventory's services of each period it lists against
 * the period's usage, fees and discounts; with tax, credits, refunds and
 * rounding (which belong to no service) they make the period's total.
 */
static void
cover_periods(struct report *r)
{
	size_t i, k;

	for (i = 0; i < r->nperiods && r->inventory != NULL; i++) {
		struct report_period *p = &r->periods[i];

		for (k = 0; k < r->inventory->npayers; k++) {
			const struct inventory_payer *ip =
			    &r->inventory->payers[k];

			if (strcmp(ip->payer, p->payer) != 0 ||
			    strcmp(ip->period, p->period) != 0)
				continue;
			p->has_coverage = 1;
			p->services = ip->cost;
			p->serviced = p->by_class[CHARGE_USAGE] +
			    p->by_class[CHARGE_FEE] +
			    p->by_class[CHARGE_DISCOUNT];
			/* nothing to cover is covered in full */
			p->coverage_bp = p->serviced != 0 ?
			    money_share_bp(p->services, p->serviced) : 10000;
			coverage_note(p);
		}
	}
}

int
report_build(struct store *st, const struct report_options *o,
    struct report **out, struct pv_error *err)
{
	struct report *r = xcalloc(1, sizeof(*r));
	sqlite3 *db = store_db(st);

	struct inventory_options io = { o->payer, o->account, o->month,
	    o->threshold_pct };
	struct estimate_options eo = { o->payer, o->month, NULL, 0 };
	int parts = o->parts != 0 ? o->parts : REPORT_FILES | REPORT_PERIODS |
	    REPORT_INVENTORY | REPORT_ESTIMATE | REPORT_CHECKLIST;

	date_now_iso(r->generated_at);
	r->customer = o->customer != NULL ? xstrdup(o->customer) : NULL;
	r->customer_id = o->customer_id != NULL ? xstrdup(o->customer_id) :
	    NULL;
	r->account = o->account != NULL ? xstrdup(o->account) : NULL;
	if (store_prepare_reading(st, err) != 0 ||
	    ((parts & REPORT_FILES) && load_files(db, r, o, err) != 0) ||
	    ((parts & REPORT_PERIODS) && (load_periods(db, r, o, err) != 0 ||
	    load_lines(db, r, o, err) != 0)) ||
	    ((parts & REPORT_INVENTORY) && inventory_build(st, &io,
	    &r->inventory, err) != 0) ||
	    ((parts & REPORT_ESTIMATE) && (estimate_build(st, &eo,
	    &r->estimate, err) != 0 || estimate_history(st, o->payer,
	    &r->history, &r->nhistory, err) != 0 ||
	    load_daily(db, r, err) != 0)) ||
	    ((parts & REPORT_CHECKLIST) && checklist_build(st, o->payer,
	    o->month, &r->checklist, err) != 0) ||
	    derive_lists(db, r, err) != 0) {
		report_free(r);
		return -1;
	}
	build_month_tables(r);
	cover_periods(r);
	*out = r;
	return 0;
}

static void
free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
report_free(struct report *r)
{
	size_t i;

	if (r == NULL)
		return;
	budget_free(r->pilvi);
	checklist_free(r->checklist);
	for (i = 0; i < r->nfiles; i++) {
		struct report_file *f = &r->files[i];

		free(f->name);
		free(f->sha256);
		free(f->container);
		free(f->format);
		free(f->payer);
		free(f->period);
		free(f->status);
		free(f->ingested_at);
		free(f->cost_basis);
		free(f->mail_from);
		free(f->mail_subject);
		free_list(f->warnings, f->nwarnings);
	}
	free(r->files);
	for (i = 0; i < r->nperiods; i++) {
		struct report_period *p = &r->periods[i];

		free(p->payer);
		free(p->period);
		free(p->format);
		free(p->currency);
		free(p->first_day);
		free(p->last_day);
		free(p->as_of);
		free_list(p->notes, p->nnotes);
	}
	free(r->periods);
	for (i = 0; i < r->nlines; i++) {
		struct report_line *l = &r->lines[i];

		free(l->payer);
		free(l->account);
		free(l->account_name);
		free(l->period);
		free(l->service_code);
		free(l->service_name);
		free(l->currency);
	}
	free(r->lines);
	for (i = 0; i < r->nmonth_accounts; i++) {
		struct report_month_account *a = &r->month_accounts[i];

		free(a->payer);
		free(a->account);
		free(a->account_name);
		free(a->currency);
		free_list(a->months, a->nmonths);
		free_list(a->services, a->nservices);
		free(a->cells);
	}
	free(r->month_accounts);
	for (i = 0; i < r->ndaily; i++) {
		struct report_daily *d = &r->daily[i];
		int k;

		free(d->payer);
		free(d->period);
		for (k = 0; k < d->nservices; k++)
			free(d->services[k]);
		free(d->cost);
		free(d->projected);
	}
	free(r->daily);
	free_list(r->payers, r->npayers);
	free_list(r->months, r->nmonths);
	free_list(r->formats, r->nformats);
	free_list(r->accounts, r->naccounts);
	for (i = 0; i < r->nnames; i++) {
		free(r->names[i].id);
		free(r->names[i].name);
	}
	free(r->names);
	free(r->customer);
	free(r->customer_id);
	free(r->account);
	for (i = 0; i < r->ncustomers; i++) {
		free(r->customers[i].payer);
		free(r->customers[i].id);
		free(r->customers[i].name);
	}
	free(r->customers);
	inventory_free(r->inventory);
	estimate_free(r->estimate);
	estimate_history_free(r->history, r->nhistory);
	free(r);
}
