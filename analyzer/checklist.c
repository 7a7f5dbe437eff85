/*
 * checklist.c - the move checklist from the store (checklist.h): the
 * reservations, Savings Plans, Marketplace sellers and taxes ingest kept
 * in move_line (schema/009-move.sql), credits and the support plan from
 * the monthly summaries, and what the data still lacks.
 */
#include "checklist.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charge.h"
#include "datetime.h"
#include "xalloc.h"

/*
 * Lines of the counted deliveries as the invoice sees them (as
 * invoice_day): a consolidated monthly report states Marketplace
 * charges and taxes on its invoice lines, not always in the split.
 */
#define COUNTED_MOVE_LINE \
	"SELECT ml.* FROM move_line ml JOIN counted_period cp " \
	"ON cp.file_id = ml.file_id AND cp.payer_account = ml.payer_account " \
	"AND cp.period = ml.period WHERE ml.payer_account = ?1 " \
	"AND ml.period = ?2 AND (ml.view = 0 OR (ml.view = 1 AND " \
	"cp.has_payer_view) OR (ml.view = 2 AND NOT cp.has_payer_view))"

static int
db_fail(sqlite3 *db, struct pv_error *err)
{
	return pv_error_set(err, PV_ERR_FATAL, NULL, 0,
	    "reading the database for the move checklist: %s",
	    sqlite3_errmsg(db));
}

static int
prepare(sqlite3 *db, const char *sql, const struct checklist_payer *p,
    sqlite3_stmt **q, struct pv_error *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, q, NULL) != SQLITE_OK)
		return db_fail(db, err);
	sqlite3_bind_text(*q, 1, p->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(*q, 2, p->period, -1, SQLITE_STATIC);
	return 0;
}

/* Column i as a copy; NULL for SQL NULL. */
static char *
col_text(sqlite3_stmt *q, int i)
{
	const unsigned char *s = sqlite3_column_text(q, i);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

static void
list_add(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

static void
list_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
checklist_arn_owner(const char *arn, char *out, size_t n)
{
	const char *p = arn;
	size_t len;
	int field;

	/* arn:partition:service:region:account:resource */
	for (field = 0; field < 4; field++) {
		if ((p = strchr(p, ':')) == NULL)
			return 0;
		p++;
	}
	len = strcspn(p, ":");
	if (len != 12 || strspn(p, "0123456789") < 12 || n < 13)
		return 0;
	memcpy(out, p, 12);
	out[12] = '\0';
	return 1;
}

int
checklist_next_month(const char *day, char out[11])
{
	int y, m, d, dim;
	char extra, buf[32];

	if (strlen(day) != 10 || sscanf(day, "%4d-%2d-%2d%c", &y, &m, &d,
	    &extra) != 3 || m < 1 || m > 12 || d < 1 ||
	    d > date_days_in_month(y, m))
		return -1;
	if (++m > 12) {
		m = 1;
		y++;
	}
	dim = date_days_in_month(y, m);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d < dim ? d : dim);
	if (strlen(buf) != 10)
		return -1;	/* past the year 9999 */
	memcpy(out, buf, 11);
	return 0;
}

static int
account_moves(const struct checklist_payer *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->naccounts; i++)
		if (strcmp(p->accounts[i].id, id) == 0)
			return p->accounts[i].moves;
	return p->has_list ? 0 : strcmp(id, p->payer) != 0;
}

/*
 * Commitments: a row per commitment, account and class, summed in C into
 * one entry per commitment (ordered by kind and ARN).
 */
static int
load_commitments(sqlite3 *db, struct checklist_payer *p,
    struct pv_error *err)
{
	static const char sql[] =
	    "SELECT kind, ref, MAX(NULLIF(end_time, '')), currency, account, "
	    "class, SUM(cost), SUM(line_items) FROM (" COUNTED_MOVE_LINE ") "
	    "WHERE kind IN ('reservation', 'savings_plan') "
	    "GROUP BY kind, ref, currency, account, class "
	    "ORDER BY kind, ref, currency, account, class";
	struct checklist_commitment *c = NULL;
	size_t cap = 0, i;
	sqlite3_stmt *q;
	int rc;

	if (prepare(db, sql, p, &q, err) != 0)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(q, 0);
		const char *arn = (const char *)sqlite3_column_text(q, 1);
		const char *cur = (const char *)sqlite3_column_text(q, 3);
		const char *acct = (const char *)sqlite3_column_text(q, 4);
		const char *cls = (const char *)sqlite3_column_text(q, 5);
		money_t cost = sqlite3_column_int64(q, 6);

		if (c == NULL || strcmp(c->kind, kind) != 0 ||
		    strcmp(c->arn, arn) != 0 || strcmp(c->currency, cur) != 0) {
			p->commitments = xgrow(p->commitments, &cap,
			    p->ncommitments + 1, sizeof(*p->commitments));
			c = &p->commitments[p->ncommitments++];
			memset(c, 0, sizeof(*c));
			c->kind = xstrdup(kind);
			c->arn = xstrdup(arn);
			c->currency = xstrdup(cur);
			c->end = col_text(q, 2);
		}
		if (c->naccounts == 0 ||
		    strcmp(c->accounts[c->naccounts - 1], acct) != 0)
			list_add(&c->accounts, &c->naccounts, acct);
		if (strcmp(cls, "fee") == 0) {
			money_add(&c->fee, cost);
			/* fees are charged to the account that bought it */
			if (c->owner == NULL)
				c->owner = xstrdup(acct);
		} else if (strcmp(cls, "usage") == 0) {
			money_add(&c->covered, cost);
			c->covered_lines += (long)sqlite3_column_int64(q, 7);
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(db, err);
	for (i = 0; i < p->ncommitments; i++) {
		char owner[16];

		c = &p->commitments[i];
		if (checklist_arn_owner(c->arn, owner, sizeof(owner))) {
			free(c->owner);
			c->owner = xstrdup(owner);
		}
		c->owner_moves = c->owner != NULL ?
		    account_moves(p, c->owner) : -1;
	}
	return 0;
}

static int
load_marketplace(sqlite3 *db, struct checklist_payer *p,
    struct pv_error *err)
{
	static const char sql[] =
	    "SELECT ref, name, currency, SUM(cost), MAX(NULLIF(last_day, '')), "
	    "MAX(CASE WHEN class = 'fee' THEN NULLIF(first_day, '') END) "
	    "FROM (" COUNTED_MOVE_LINE ") WHERE kind = 'marketplace' "
	    "GROUP BY ref, name, currency ORDER BY ref, name, currency";
	size_t cap = 0;
	sqlite3_stmt *q;
	int rc;

	if (prepare(db, sql, p, &q, err) != 0)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct checklist_marketplace *m;
		const unsigned char *fee = sqlite3_column_text(q, 5);
		char next[11];

		p->marketplace = xgrow(p->marketplace, &cap,
		    p->nmarketplace + 1, sizeof(*p->marketplace));
		m = &p->marketplace[p->nmarketplace++];
		memset(m, 0, sizeof(*m));
		m->seller = col_text(q, 0);
		m->product = col_text(q, 1);
		m->currency = col_text(q, 2);
		m->amount = sqlite3_column_int64(q, 3);
		m->last_charge = col_text(q, 4);
		/* a subscription is charged again a month after its fee */
		if (fee != NULL && checklist_next_month((const char *)fee,
		    next) == 0)
			m->next_charge = xstrdup(next);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

/* Rows of (name, detail, currency, amount) into v; with keep, only
 * those whose name it keeps. */
static int
load_amounts(sqlite3 *db, const char *sql, struct checklist_payer *p,
    int (*keep)(const char *name), struct checklist_amount **v, size_t *n,
    struct pv_error *err)
{
	size_t cap = 0;
	sqlite3_stmt *q;
	int rc;

	if (prepare(db, sql, p, &q, err) != 0)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		struct checklist_amount *a;

		if (keep != NULL && (name == NULL || !keep(name)))
			continue;
		*v = xgrow(*v, &cap, *n + 1, sizeof(**v));
		a = &(*v)[(*n)++];
		a->name = col_text(q, 0);
		a->detail = col_text(q, 1);
		a->currency = col_text(q, 2);
		a->amount = sqlite3_column_int64(q, 3);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

/* A row's text columns into a list. */
static int
load_list(sqlite3 *db, const char *sql, struct checklist_payer *p,
    char ***v, size_t *n, struct pv_error *err)
{
	sqlite3_stmt *q;
	int rc;

	if (prepare(db, sql, p, &q, err) != 0)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		list_add(v, n, (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}

/*
 * Accounts in the month's bill and on hand-made lists. A list without a
 * payer column names each account as its own payer (format.c), so the
 * lists of this payer are those naming it and those naming none.
 */
static int
load_accounts(sqlite3 *db, struct checklist_payer *p, struct pv_error *err)
{
	static const char sql[] =
	    "SELECT id, MAX(in_data), MAX(listed) FROM ("
	    "  SELECT a.account_id AS id, 1 AS in_data, 0 AS listed "
	    "  FROM account_month am JOIN account a ON a.id = am.account "
	    "  WHERE am.payer_account = ?1 AND am.period = ?2 "
	    "  UNION ALL "
	    "  SELECT a.account_id, 0, 1 FROM cost_month cm "
	    "  JOIN file f ON f.id = cm.file_id "
	    "  JOIN account a ON a.id = cm.account "
	    "  JOIN account pa ON pa.id = cm.payer "
	    "  WHERE f.format = 'manual' AND f.status = 'ok' "
	    "    AND (pa.account_id = ?1 OR cm.payer = cm.account)) "
	    "GROUP BY id ORDER BY id";
	size_t cap = 0, i;
	sqlite3_stmt *q;
	int rc;

	if (prepare(db, sql, p, &q, err) != 0)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct checklist_account *a;

		p->accounts = xgrow(p->accounts, &cap, p->naccounts + 1,
		    sizeof(*p->accounts));
		a = &p->accounts[p->naccounts++];
		a->id = col_text(q, 0);
		a->in_data = sqlite3_column_int(q, 1);
		a->listed = sqlite3_column_int(q, 2);
		if (a->listed)
			p->has_list = 1;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(db, err);
	/* with a list, the accounts listed are the ones that move; without,
	 * every account but the payer, which stays with the old billing */
	for (i = 0; i < p->naccounts; i++) {
		struct checklist_account *a = &p->accounts[i];

		a->moves = p->has_list ? a->listed :
		    strcmp(a->id, p->payer) != 0;
	}
	return 0;
}

/*
 * What is still needed: a final month whose daily lines reach its end
 * (or that has only month-long lines), the days of this month without
 * usage, and whether the lines carry resources and tags.
 */
static int
load_needs(sqlite3 *db, struct checklist_payer *p, struct pv_error *err)
{
	static const char complete_sql[] =
	    "SELECT MAX(period) FROM (SELECT period FROM counted_period "
	    "  WHERE payer_account = ?1 AND period <= ?2 "
	    "  AND format <> 'manual' GROUP BY period "
	    "  HAVING MAX(estimated) = 0 AND (MAX(usage_end) IS NULL OR "
	    "  substr(MAX(usage_end), 1, 10) >= date(period || '-01', "
	    "  '+1 month')))";
	static const char month_sql[] =
	    "SELECT MAX(estimated), MAX(usage_end), "
	    "date(MAX(usage_end), '-1 second'), "
	    "(SELECT COUNT(*) FROM account_month am WHERE "
	    "  am.payer_account = ?1 AND am.period = ?2 AND "
	    "  am.resource IS NOT NULL), "
	    "(SELECT COUNT(*) FROM account_month am WHERE "
	    "  am.payer_account = ?1 AND am.period = ?2 AND am.tagged) "
	    "FROM counted_period WHERE payer_account = ?1 AND period = ?2";
	static const char days_sql[] =
	    "SELECT DISTINCT day FROM invoice_day WHERE payer_account = ?1 "
	    "AND period = ?2 AND class = 'usage' AND span_days = 1 "
	    "ORDER BY day";
	char **seen = NULL, through[11] = "";
	size_t nseen = 0, k = 0;
	sqlite3_stmt *q;
	int rc, y, m, d, last;

	if (prepare(db, complete_sql, p, &q, err) != 0)
		return -1;
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		p->complete_month = col_text(q, 0);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return db_fail(db, err);
	if (prepare(db, month_sql, p, &q, err) != 0)
		return -1;
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const unsigned char *ld = sqlite3_column_text(q, 2);

		p->days_known = sqlite3_column_type(q, 1) != SQLITE_NULL;
		/* a final month is missing what it lacks to its end, an
		 * open one only up to the last day its hourly and daily
		 * lines reach */
		if (sqlite3_column_int(q, 0) == 0)
			snprintf(through, sizeof(through), "%s-31", p->period);
		else if (ld != NULL)
			snprintf(through, sizeof(through), "%s", ld);
		p->has_resources = sqlite3_column_int64(q, 3) > 0;
		p->has_tags = sqlite3_column_int64(q, 4) > 0;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return db_fail(db, err);
	if (!p->days_known || through[0] == '\0' ||
	    sscanf(p->period, "%4d-%2d", &y, &m) != 2 ||
	    sscanf(through + 8, "%2d", &last) != 1)
		return 0;
	if (load_list(db, days_sql, p, &seen, &nseen, err) != 0)
		return -1;
	if (last > date_days_in_month(y, m))
		last = date_days_in_month(y, m);
	for (d = 1; d <= last; d++) {
		char day[32];

		snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, d);
		while (k < nseen && strcmp(seen[k], day) < 0)
			k++;
		if (k < nseen && strcmp(seen[k], day) == 0)
			continue;
		list_add(&p->days_missing, &p->ndays_missing, day);
	}
	list_free(seen, nseen);
	return 0;
}

static int
load_payer(sqlite3 *db, struct checklist_payer *p, struct pv_error *err)
{
	static const char credits_sql[] =
	    "SELECT si.code, si.name, d.currency, SUM(d.cost) "
	    "FROM invoice_day d LEFT JOIN service_identity si "
	    "ON si.service = d.service WHERE d.payer_account = ?1 "
	    "AND d.period = ?2 AND d.class = 'credit' "
	    "GROUP BY si.code, d.currency ORDER BY si.code, d.currency";
	static const char support_sql[] =
	    "SELECT si.code, si.name, d.currency, SUM(d.cost) "
	    "FROM invoice_day d JOIN service_identity si "
	    "ON si.service = d.service WHERE d.payer_account = ?1 "
	    "AND d.period = ?2 AND d.class NOT IN ('tax', 'credit') "
	    "GROUP BY si.code, d.currency ORDER BY si.code, d.currency";
	static const char taxes_sql[] =
	    "SELECT ref, name, currency, SUM(cost) FROM (" COUNTED_MOVE_LINE
	    ") WHERE kind = 'tax' GROUP BY ref, name, currency "
	    "ORDER BY ref, name, currency";
	static const char currencies_sql[] =
	    "SELECT DISTINCT currency FROM invoice_day WHERE "
	    "payer_account = ?1 AND period = ?2 ORDER BY currency";

	/* amounts as the invoice states them (invoice_day), like the
	 * period's totals; accounts first: whether a commitment's owner
	 * moves reads them */
	return load_accounts(db, p, err) != 0 ||
	    load_commitments(db, p, err) != 0 ||
	    load_marketplace(db, p, err) != 0 ||
	    load_amounts(db, credits_sql, p, NULL, &p->credits, &p->ncredits,
	    err) != 0 ||
	    load_amounts(db, support_sql, p, charge_is_support_plan,
	    &p->support, &p->nsupport, err) != 0 ||
	    load_amounts(db, taxes_sql, p, NULL, &p->taxes, &p->ntaxes,
	    err) != 0 ||
	    load_list(db, currencies_sql, p, &p->currencies, &p->ncurrencies,
	    err) != 0 ||
	    load_needs(db, p, err) != 0 ? -1 : 0;
}

int
checklist_build(struct store *st, const char *payer, const char *month,
    struct checklist **out, struct pv_error *err)
{
	static const char sql[] =
	    "SELECT payer_account, MAX(period) FROM counted_period "
	    "WHERE format <> 'manual' AND (?1 IS NULL OR payer_account = ?1) "
	    "AND (?2 IS NULL OR period = ?2) "
	    "GROUP BY payer_account ORDER BY payer_account";
	static const char format_sql[] =
	    "SELECT MIN(format) FROM counted_period WHERE payer_account = ?1 "
	    "AND period = ?2";
	sqlite3 *db = store_db(st);
	struct checklist *c = xcalloc(1, sizeof(*c));
	sqlite3_stmt *q;
	size_t cap = 0, i;
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
		db_fail(db, err);
		goto fail;
	}
	sqlite3_bind_text(q, 1, payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, month, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct checklist_payer *p;

		c->payers = xgrow(c->payers, &cap, c->npayers + 1,
		    sizeof(*c->payers));
		p = &c->payers[c->npayers++];
		memset(p, 0, sizeof(*p));
		p->payer = col_text(q, 0);
		p->period = col_text(q, 1);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		db_fail(db, err);
		goto fail;
	}
	for (i = 0; i < c->npayers; i++) {
		struct checklist_payer *p = &c->payers[i];

		if (prepare(db, format_sql, p, &q, err) != 0)
			goto fail;
		if (sqlite3_step(q) == SQLITE_ROW)
			p->format = col_text(q, 0);
		sqlite3_finalize(q);
		if (load_payer(db, p, err) != 0)
			goto fail;
	}
	*out = c;
	return 0;
fail:
	checklist_free(c);
	return -1;
}

static void
amounts_free(struct checklist_amount *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].detail);
		free(v[i].currency);
	}
	free(v);
}

int
checklist_names_commitments(const struct checklist_payer *p)
{
	return strcmp(p->format, "cur") == 0 ||
	    strcmp(p->format, "cur2") == 0 || strcmp(p->format, "focus") == 0;
}

void
checklist_free(struct checklist *c)
{
	size_t i, k;

	if (c == NULL)
		return;
	for (i = 0; i < c->npayers; i++) {
		struct checklist_payer *p = &c->payers[i];

		free(p->payer);
		free(p->period);
		free(p->format);
		for (k = 0; k < p->ncommitments; k++) {
			struct checklist_commitment *m = &p->commitments[k];

			free(m->kind);
			free(m->arn);
			free(m->owner);
			free(m->end);
			free(m->currency);
			list_free(m->accounts, m->naccounts);
		}
		free(p->commitments);
		for (k = 0; k < p->nmarketplace; k++) {
			struct checklist_marketplace *m = &p->marketplace[k];

			free(m->seller);
			free(m->product);
			free(m->currency);
			free(m->last_charge);
			free(m->next_charge);
		}
		free(p->marketplace);
		amounts_free(p->credits, p->ncredits);
		amounts_free(p->support, p->nsupport);
		amounts_free(p->taxes, p->ntaxes);
		list_free(p->currencies, p->ncurrencies);
		for (k = 0; k < p->naccounts; k++)
			free(p->accounts[k].id);
		free(p->accounts);
		free(p->complete_month);
		list_free(p->days_missing, p->ndays_missing);
	}
	free(c->payers);
	free(c);
}
