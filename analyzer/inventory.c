/*
 * inventory.c - the service inventory, in SQL over the stored lines.
 *
 * The lines of interest (usage, fee and discount lines of counted
 * deliveries, per account) are first copied into a TEMP table with their
 * service identity and region resolved; every figure is then a GROUP BY
 * over it. Regions come from the region column (CUR, CUR 2.0, FOCUS),
 * else from the availability zone ("eu-west-1a" -> "eu-west-1"), else
 * from the usage-type prefix ("EUN1-BoxUsage" -> "eu-north-1").
 */
#include "inventory.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const char lines_sql[] =
    "CREATE TEMP TABLE inv_line AS "
    "SELECT al.payer_account AS payer, al.period, a.account_id AS account, "
    "       a.name AS account_name, COALESCE(si.code, '(none)') AS code, "
    "       COALESCE(si.name, '(no service named)') AS name, "
    "       COALESCE(si.unknown, 1) AS unknown, al.format, "
    "       COALESCE(NULLIF(l.region, ''), "
    "                CASE WHEN l.az <> '' THEN "
    "                     rtrim(l.az, 'abcdefghijklmnopqrstuvwxyz') END, "
    "                rp.region) AS region, "
    "       al.usage_type, al.operation, al.resource, al.first_day, "
    "       al.last_day, al.cost, al.tagged, al.currency, 0 AS payer_level "
    "FROM account_month al "
    "JOIN account a ON a.id = al.account "
    "LEFT JOIN service_ident si ON si.service = al.service "
    "LEFT JOIN location l ON l.id = al.location "
    "LEFT JOIN usage_type ut ON ut.id = al.usage_type "
    "LEFT JOIN region_prefix rp "
    "       ON rp.prefix = substr(ut.name, 1, instr(ut.name, '-') - 1) "
    /* CloudFront's "EU-" is an edge pricing zone, not eu-west-1 */
    "      AND si.code <> 'AmazonCloudFront' "
    "WHERE al.class IN ('usage', 'fee', 'discount') "
    "  AND (?2 IS NULL OR a.account_id = ?2)";

/*
 * What a consolidated file states for the payer but splits to no
 * account: where a monthly report holds both the invoice's lines
 * (PayerLineItem) and the per-account split (LinkedLineItem), and the
 * split covers less (an uploader kept only some accounts), the rest of
 * each service is the payer account's, marked as stated at payer level,
 * so that the inventory covers the whole bill.
 */
static const char payer_level_sql[] =
    "INSERT INTO inv_line "
    "SELECT cp.payer_account, cm.period, pa.account_id, pa.name, "
    "       COALESCE(si.code, '(none)'), "
    "       COALESCE(si.name, '(no service named)'), "
    "       COALESCE(si.unknown, 1), cp.format, NULL, NULL, NULL, NULL, "
    "       MIN(cm.first_day), MAX(cm.last_day), "
    "       SUM(CASE WHEN cm.view = 1 THEN cm.cost ELSE -cm.cost END), 0, "
    "       MIN(cm.currency), 1 "
    "FROM cost_month cm "
    "JOIN account pa ON pa.id = cm.payer "
    "JOIN counted_period cp ON cp.file_id = cm.file_id "
    "     AND cp.payer_account = pa.account_id AND cp.period = cm.period "
    "LEFT JOIN service_ident si ON si.service = cm.service "
    "WHERE cp.has_payer_view AND cp.has_linked_view AND cm.view IN (1, 2) "
    "  AND cm.class IN ('usage', 'fee', 'discount') "
    "  AND (?1 IS NULL OR pa.account_id = ?1) "
    "GROUP BY cp.payer_account, cm.period, cm.service "
    "HAVING SUM(CASE WHEN cm.view = 1 THEN cm.cost ELSE -cm.cost END) <> 0";

/* The payer filter comes after the bill-beats-list rule: a list filed
 * under its account must still see the bill filed under the payer. */
static const char payer_sql[] =
    "DELETE FROM inv_line WHERE ?1 IS NOT NULL AND payer <> ?1";

/* A hand-made list counts only where no bill covers the account-month:
 * the two never add up. */
static const char dedupe_sql[] =
    "DELETE FROM inv_line WHERE format = 'manual' AND EXISTS ("
    "  SELECT 1 FROM inv_line b WHERE b.format <> 'manual' "
    "  AND b.account = inv_line.account AND b.period = inv_line.period)";

/* The months to list: the one asked for, else each payer's latest. */
static const char months_sql[] =
    "CREATE TEMP TABLE inv_month AS "
    "SELECT payer, CASE WHEN ?1 IS NULL THEN MAX(period) ELSE ?1 END "
    "       AS period FROM inv_line GROUP BY payer";

static const char key_index_sql[] =
    "CREATE INDEX temp.inv_line_key ON inv_line(payer, period, account, code, "
    "region, usage_type, cost, tagged)";

static const char services_sql[] =
    "SELECT il.payer, il.period, il.account, MAX(il.account_name), il.code, "
    "       MAX(il.name), MAX(il.unknown), MAX(il.format = 'manual'), "
    "       COUNT(DISTINCT il.usage_type), COUNT(DISTINCT il.operation), "
    "       COUNT(DISTINCT il.resource), "
    /* seen days stay inside the month: a monthly report dates some
     * fees in the next one */
    "       MIN(MAX(MIN(il.first_day), il.period || '-01'), "
    "           date(il.period || '-01', '+1 month', '-1 day')), "
    "       MIN(MAX(il.last_day), "
    "           date(il.period || '-01', '+1 month', '-1 day')), "
    "       SUM(il.cost), MIN(il.currency), "
    "       (SELECT MAX(places) FROM counted_period cp "
    "        WHERE cp.payer_account = il.payer AND cp.period = il.period), "
    "       pc.status, pc.note, MAX(il.payer_level) "
    "FROM inv_line il "
    "JOIN inv_month m ON m.payer = il.payer AND m.period = il.period "
    "LEFT JOIN pilvi_catalog pc ON pc.service_code = il.code "
    "GROUP BY il.payer, il.period, il.account, il.code "
    "ORDER BY il.payer, il.period, il.account, SUM(il.cost) DESC, il.code";

static const char regions_sql[] =
    "SELECT DISTINCT region FROM inv_line WHERE payer = ?1 AND period = ?2 "
    "AND account = ?3 AND code = ?4 AND region IS NOT NULL AND region <> '' "
    "ORDER BY region";

static const char top_sql[] =
    "SELECT ut.name, SUM(il.cost) FROM inv_line il "
    "JOIN usage_type ut ON ut.id = il.usage_type "
    "WHERE il.payer = ?1 AND il.period = ?2 AND il.account = ?3 "
    "AND il.code = ?4 GROUP BY il.usage_type ORDER BY 2 DESC, 1 LIMIT 3";

static const char untagged_sql[] =
    "SELECT SUM(CASE WHEN tagged THEN 0 ELSE cost END) FROM inv_line "
    "WHERE payer = ?1 AND period = ?2 AND account = ?3";

static const char tags_sql[] =
    "SELECT tu.tag_key, SUM(tu.cost) FROM tag_usage tu "
    "JOIN counted_period cp ON cp.file_id = tu.file_id "
    "     AND cp.payer_account = tu.payer_account AND cp.period = tu.period "
    "WHERE tu.payer_account = ?1 AND tu.period = ?2 AND tu.account = ?3 "
    /* the per-account view, as account_line: never both monthly views */
    "  AND (tu.view = 0 OR (tu.view = 2 AND cp.has_linked_view) "
    "       OR (tu.view = 1 AND NOT cp.has_linked_view)) "
    "GROUP BY tu.tag_key ORDER BY 2 DESC, 1";

/* Every month's cost per account and service, for the changes. */
static const char history_sql[] =
    "SELECT payer, period, account, code, MAX(name), SUM(cost), "
    "       (SELECT MAX(places) FROM counted_period cp "
    "        WHERE cp.payer_account = il.payer AND cp.period = il.period), "
    /* days the month's data covers: all of them when invoiced or
     * without hourly lines, else up to where the hourly lines reach */
    "       (SELECT CASE WHEN MIN(cp.estimated) = 0 "
    "                     OR MAX(cp.usage_end) IS NULL "
    "               THEN julianday(il.period || '-01', '+1 month') "
    "               ELSE MIN(julianday(MAX(cp.usage_end)), "
    "                        julianday(il.period || '-01', '+1 month')) END "
    "               - julianday(il.period || '-01') "
    "        FROM counted_period cp WHERE cp.payer_account = il.payer "
    "        AND cp.period = il.period), "
    "       julianday(il.period || '-01', '+1 month') "
    "       - julianday(il.period || '-01') "
    "FROM inv_line il GROUP BY payer, period, account, code "
    "ORDER BY payer, account, code, period";

static int
db_fail(sqlite3 *db, struct pv_error *err)
{
	return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "database: %s",
	    sqlite3_errmsg(db));
}

static char *
text(sqlite3_stmt *q, int i)
{
	const unsigned char *s = sqlite3_column_text(q, i);

	return xstrdup(s != NULL ? (const char *)s : "");
}

static char *
text_or_null(sqlite3_stmt *q, int i)
{
	const unsigned char *s = sqlite3_column_text(q, i);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

static void
bind4(sqlite3_stmt *q, const struct inventory_service *s)
{
	sqlite3_reset(q);
	sqlite3_bind_text(q, 1, s->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, s->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, s->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, s->code, -1, SQLITE_STATIC);
}

static int
prepare(sqlite3 *db, const char *sql, sqlite3_stmt **q, struct pv_error *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, q, NULL) != SQLITE_OK)
		return db_fail(db, err);
	return 0;
}

static int
load_services(sqlite3 *db, struct inventory *inv, struct pv_error *err)
{
	sqlite3_stmt *q = NULL, *rq = NULL, *tq = NULL;
	size_t cap = 0;
	int rc = -1, step;

	if (prepare(db, services_sql, &q, err) || prepare(db, regions_sql,
	    &rq, err) || prepare(db, top_sql, &tq, err))
		goto out;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		struct inventory_service *s;

		inv->services = xgrow(inv->services, &cap, inv->nservices + 1,
		    sizeof(*inv->services));
		s = &inv->services[inv->nservices++];
		memset(s, 0, sizeof(*s));
		s->payer = text(q, 0);
		s->period = text(q, 1);
		s->account = text(q, 2);
		s->account_name = text_or_null(q, 3);
		s->code = text(q, 4);
		s->name = text(q, 5);
		s->unknown = sqlite3_column_int(q, 6);
		s->manual = sqlite3_column_int(q, 7);
		s->usage_types = sqlite3_column_int(q, 8);
		s->operations = sqlite3_column_int(q, 9);
		s->resources = sqlite3_column_int(q, 10);
		s->first_seen = text(q, 11);
		s->last_seen = text(q, 12);
		s->cost = sqlite3_column_int64(q, 13);
		s->currency = text(q, 14);
		s->places = sqlite3_column_int(q, 15);
		if (s->places < 2)
			s->places = 2;
		if (sqlite3_column_type(q, 16) == SQLITE_NULL)
			s->support = "unknown";
		else
			s->support = strcmp((const char *)sqlite3_column_text(q,
			    16), "supported") == 0 ? "supported" :
			    "unsupported";
		s->support_note = text(q, 17);
		s->payer_level = sqlite3_column_int(q, 18);

		bind4(rq, s);
		while (sqlite3_step(rq) == SQLITE_ROW) {
			s->regions = xrealloc(s->regions, (s->nregions + 1) *
			    sizeof(*s->regions));
			s->regions[s->nregions++] = text(rq, 0);
		}
		bind4(tq, s);
		while (sqlite3_step(tq) == SQLITE_ROW && s->ntop < INVENTORY_TOP) {
			s->top[s->ntop].usage_type = text(tq, 0);
			s->top[s->ntop].cost = sqlite3_column_int64(tq, 1);
			s->ntop++;
		}
	}
	if (step != SQLITE_DONE) {
		db_fail(db, err);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	sqlite3_finalize(rq);
	sqlite3_finalize(tq);
	return rc;
}

static int
same_account(const struct inventory_service *a,
    const struct inventory_service *b)
{
	return strcmp(a->payer, b->payer) == 0 &&
	    strcmp(a->period, b->period) == 0 &&
	    strcmp(a->account, b->account) == 0;
}

/* Accounts and payers from the service rows (already in that order). */
static int
sum_up(sqlite3 *db, struct inventory *inv, struct pv_error *err)
{
	sqlite3_stmt *uq = NULL, *tq = NULL;
	size_t i, j, acap = 0, pcap = 0;
	int rc = -1;

	if (prepare(db, untagged_sql, &uq, err) ||
	    prepare(db, tags_sql, &tq, err))
		goto out;
	for (i = 0; i < inv->nservices; i = j) {
		struct inventory_service *s = &inv->services[i];
		struct inventory_account *a;
		struct inventory_payer *p = inv->npayers > 0 ?
		    &inv->payers[inv->npayers - 1] : NULL;

		inv->accounts = xgrow(inv->accounts, &acap, inv->naccounts + 1,
		    sizeof(*inv->accounts));
		a = &inv->accounts[inv->naccounts++];
		memset(a, 0, sizeof(*a));
		a->payer = xstrdup(s->payer);
		a->account = xstrdup(s->account);
		a->account_name = s->account_name ? xstrdup(s->account_name) :
		    NULL;
		a->period = xstrdup(s->period);
		a->currency = xstrdup(s->currency);
		a->places = s->places;
		for (j = i; j < inv->nservices && same_account(s,
		    &inv->services[j]); j++) {
			if (money_add(&a->cost, inv->services[j].cost) != 0)
				goto overflow;
			a->nservices++;
		}
		for (j = i; j < inv->nservices && same_account(s,
		    &inv->services[j]); j++)
			inv->services[j].share_bp = money_share_bp(
			    inv->services[j].cost, a->cost);

		sqlite3_reset(uq);
		sqlite3_bind_text(uq, 1, a->payer, -1, SQLITE_STATIC);
		sqlite3_bind_text(uq, 2, a->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(uq, 3, a->account, -1, SQLITE_STATIC);
		if (sqlite3_step(uq) == SQLITE_ROW)
			a->untagged = sqlite3_column_int64(uq, 0);
		sqlite3_reset(tq);
		sqlite3_bind_text(tq, 1, a->payer, -1, SQLITE_STATIC);
		sqlite3_bind_text(tq, 2, a->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(tq, 3, a->account, -1, SQLITE_STATIC);
		while (sqlite3_step(tq) == SQLITE_ROW) {
			a->tags = xrealloc(a->tags, (a->ntags + 1) *
			    sizeof(*a->tags));
			a->tags[a->ntags].key = text(tq, 0);
			a->tags[a->ntags].cost = sqlite3_column_int64(tq, 1);
			a->ntags++;
		}

		if (p == NULL || strcmp(p->payer, a->payer) != 0 ||
		    strcmp(p->period, a->period) != 0) {
			inv->payers = xgrow(inv->payers, &pcap, inv->npayers + 1,
			    sizeof(*inv->payers));
			p = &inv->payers[inv->npayers++];
			memset(p, 0, sizeof(*p));
			p->payer = xstrdup(a->payer);
			p->period = xstrdup(a->period);
			p->currency = xstrdup(a->currency);
			p->places = a->places;
		}
		if (money_add(&p->cost, a->cost) != 0)
			goto overflow;
		p->naccounts++;
		p->nservices += a->nservices;
	}
	rc = 0;
	goto out;
overflow:
	pv_error_set(err, PV_ERR_FATAL, NULL, 0, "inventory totals overflow");
out:
	sqlite3_finalize(uq);
	sqlite3_finalize(tq);
	return rc;
}

/* ---- changes between months ---------------------------------------- */

struct hist {
	char *payer, *period, *account, *code, *name;
	money_t cost;
	int places;
	double days;		/* days the month's data covers */
	double month_days;	/* days in the month */
};

static void
add_change(struct inventory *inv, size_t *cap, enum inventory_change_kind k,
    const char *payer, const char *account, const char *code,
    const char *name, const char *from, const char *to, money_t before,
    money_t after, int places)
{
	struct inventory_change *c;

	inv->changes = xgrow(inv->changes, cap, inv->nchanges + 1,
	    sizeof(*inv->changes));
	c = &inv->changes[inv->nchanges++];
	c->kind = k;
	c->payer = xstrdup(payer);
	c->account = xstrdup(account);
	c->code = code ? xstrdup(code) : NULL;
	c->name = name ? xstrdup(name) : NULL;
	c->from = xstrdup(from);
	c->to = xstrdup(to);
	c->before = before;
	c->after = after;
	c->places = places < 2 ? 2 : places;
}

/*
 * Did the cost move by more than pct percent? A month still open has
 * cost less so far than the whole month before it: then the cost per
 * day of data is compared instead (whole or equally partial months
 * compare as they are).
 */
static int
moved(money_t before, double bdays, double bfull, money_t after,
    double adays, double afull, int pct)
{
	double b = (double)before, a = (double)after;

	if (before <= 0)
		return 0;
	if (adays > 0 && bdays > 0 && adays < afull && bdays >= bfull) {
		b /= bdays;
		a /= adays;
	}
	return fabs(a - b) * 100 > b * pct;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * For each payer, each stored month against the one before it: accounts
 * and services that appear or disappear, and services whose cost moved
 * past the threshold.
 */
static int
find_changes(sqlite3 *db, struct inventory *inv, struct pv_error *err)
{
	sqlite3_stmt *q;
	struct hist *h = NULL;
	size_t nh = 0, hcap = 0, ccap = 0, i, j, k;
	char **months = NULL;
	size_t nmonths = 0;
	int step;

	if (prepare(db, history_sql, &q, err) != 0)
		return -1;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		h = xgrow(h, &hcap, nh + 1, sizeof(*h));
		h[nh].payer = text(q, 0);
		h[nh].period = text(q, 1);
		h[nh].account = text(q, 2);
		h[nh].code = text(q, 3);
		h[nh].name = text(q, 4);
		h[nh].cost = sqlite3_column_int64(q, 5);
		h[nh].places = sqlite3_column_int(q, 6);
		h[nh].days = sqlite3_column_double(q, 7);
		h[nh].month_days = sqlite3_column_double(q, 8);
		nh++;
	}
	sqlite3_finalize(q);
	if (step != SQLITE_DONE) {
		free(h);
		return db_fail(db, err);
	}
	/* the payers' months, in order */
	for (i = 0; i < nh; i++) {
		char key[128];

		snprintf(key, sizeof(key), "%s\x1f%s", h[i].payer, h[i].period);
		for (j = 0; j < nmonths && strcmp(months[j], key) != 0; j++)
			;
		if (j == nmonths) {
			months = xrealloc(months, (nmonths + 1) *
			    sizeof(*months));
			months[nmonths++] = xstrdup(key);
		}
	}
	if (nmonths > 1)
		qsort(months, nmonths, sizeof(*months), cmp_str);
	for (k = 1; k < nmonths; k++) {
		char *prev = months[k - 1], *cur = months[k];
		char *ps = strchr(prev, '\x1f'), *cs = strchr(cur, '\x1f');

		if ((size_t)(ps - prev) != (size_t)(cs - cur) ||
		    strncmp(prev, cur, (size_t)(ps - prev)) != 0)
			continue;	/* first month of another payer */
		*ps = *cs = '\0';
		/* services and accounts in either month */
		for (i = 0; i < nh; i++) {
			struct hist *a = &h[i], *b = NULL;
			int in_prev = strcmp(a->period, ps + 1) == 0;
			int in_cur = strcmp(a->period, cs + 1) == 0;

			if (strcmp(a->payer, cur) != 0 || (!in_prev && !in_cur))
				continue;
			/* rows are by account, code, period: the partner
			 * month of this service is next to it */
			if (in_prev && i + 1 < nh &&
			    strcmp(h[i + 1].period, cs + 1) == 0 &&
			    strcmp(h[i + 1].account, a->account) == 0 &&
			    strcmp(h[i + 1].code, a->code) == 0 &&
			    strcmp(h[i + 1].payer, a->payer) == 0)
				b = &h[i + 1];
			if (in_cur && i > 0 &&
			    strcmp(h[i - 1].period, ps + 1) == 0 &&
			    strcmp(h[i - 1].account, a->account) == 0 &&
			    strcmp(h[i - 1].code, a->code) == 0 &&
			    strcmp(h[i - 1].payer, a->payer) == 0)
				continue;	/* seen with its partner */
			if (in_prev && b == NULL)
				add_change(inv, &ccap, CHANGE_GONE, a->payer,
				    a->account, a->code, a->name, ps + 1, cs + 1,
				    a->cost, 0, a->places);
			else if (in_cur)
				add_change(inv, &ccap, CHANGE_NEW, a->payer,
				    a->account, a->code, a->name, ps + 1, cs + 1,
				    0, a->cost, a->places);
			/* a month still open has cost less so far: costs are
			 * compared per day of data */
			else if (moved(a->cost, a->days, a->month_days,
			    b->cost, b->days, b->month_days,
			    inv->threshold_pct))
				add_change(inv, &ccap, CHANGE_MOVED, a->payer,
				    a->account, a->code, a->name, ps + 1, cs + 1,
				    a->cost, b->cost, b->places);
		}
		*ps = *cs = '\x1f';
	}
	/* accounts that appear or disappear: all their services did */
	for (i = 0; i < inv->nchanges; i++) {
		struct inventory_change *c = &inv->changes[i];
		int all = 1;
		money_t sum = 0;

		if (c->code == NULL || c->kind == CHANGE_MOVED)
			continue;
		for (j = 0; j < nh && all; j++) {
			int other_month = strcmp(h[j].period,
			    c->kind == CHANGE_GONE ? c->to : c->from) == 0;

			if (strcmp(h[j].payer, c->payer) == 0 &&
			    strcmp(h[j].account, c->account) == 0 && other_month)
				all = 0;
		}
		if (!all)
			continue;
		for (j = 0; j < inv->nchanges; j++) {
			struct inventory_change *d = &inv->changes[j];

			if (d->code != NULL && d->kind == c->kind &&
			    strcmp(d->payer, c->payer) == 0 &&
			    strcmp(d->account, c->account) == 0 &&
			    strcmp(d->from, c->from) == 0)
				money_add(&sum, c->kind == CHANGE_GONE ?
				    d->before : d->after);
		}
		for (j = 0; j < inv->nchanges; j++) {
			struct inventory_change *d = &inv->changes[j];

			if (d->code == NULL && d->kind == c->kind &&
			    strcmp(d->account, c->account) == 0 &&
			    strcmp(d->payer, c->payer) == 0 &&
			    strcmp(d->from, c->from) == 0)
				break;
		}
		if (j == inv->nchanges)
			add_change(inv, &ccap, c->kind, c->payer, c->account,
			    NULL, NULL, c->from, c->to,
			    c->kind == CHANGE_GONE ? sum : 0,
			    c->kind == CHANGE_NEW ? sum : 0, c->places);
	}
	for (i = 0; i < nh; i++) {
		free(h[i].payer);
		free(h[i].period);
		free(h[i].account);
		free(h[i].code);
		free(h[i].name);
	}
	free(h);
	for (i = 0; i < nmonths; i++)
		free(months[i]);
	free(months);
	return 0;
}

static const struct inventory *attention_inv;	/* for the qsort below */

static int
cmp_attention(const void *a, const void *b)
{
	const struct inventory_service *x =
	    &attention_inv->services[*(const size_t *)a];
	const struct inventory_service *y =
	    &attention_inv->services[*(const size_t *)b];

	if (x->cost != y->cost)
		return x->cost > y->cost ? -1 : 1;
	return strcmp(x->code, y->code);
}

int
inventory_build(struct store *st, const struct inventory_options *o,
    struct inventory **out, struct pv_error *err)
{
	sqlite3 *db = store_db(st);
	struct inventory *inv = xcalloc(1, sizeof(*inv));
	sqlite3_stmt *q = NULL;
	size_t i;
	int rc = -1;

	inv->threshold_pct = o->threshold_pct > 0 ? o->threshold_pct : 20;
	if (store_prepare_reading(st, err) != 0)
		goto out;
	if (sqlite3_exec(db, "DROP TABLE IF EXISTS temp.inv_line; "
	    "DROP TABLE IF EXISTS temp.inv_month", NULL, NULL, NULL) !=
	    SQLITE_OK || prepare(db, lines_sql, &q, err) != 0)
		goto out;
	sqlite3_bind_text(q, 1, o->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, o->account, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		db_fail(db, err);
		goto out;
	}
	sqlite3_finalize(q);
	q = NULL;
	if (prepare(db, payer_level_sql, &q, err) != 0)
		goto out;
	sqlite3_bind_text(q, 1, o->account, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		db_fail(db, err);
		goto out;
	}
	sqlite3_finalize(q);
	q = NULL;
	if (sqlite3_exec(db, dedupe_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    prepare(db, payer_sql, &q, err) != 0) {
		if (err->msg[0] == '\0')
			db_fail(db, err);
		goto out;
	}
	sqlite3_bind_text(q, 1, o->payer, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		db_fail(db, err);
		goto out;
	}
	sqlite3_finalize(q);
	q = NULL;
	if (prepare(db, months_sql, &q, err) != 0) {
		if (err->msg[0] == '\0')
			db_fail(db, err);
		goto out;
	}
	sqlite3_bind_text(q, 1, o->month, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		db_fail(db, err);
		goto out;
	}
	/* each listed service looks up its regions, top usage types and
	 * untagged cost: without the index every look-up read every line */
	if (sqlite3_exec(db, key_index_sql, NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(db, err);
		goto out;
	}
	if (load_services(db, inv, err) != 0 || sum_up(db, inv, err) != 0 ||
	    find_changes(db, inv, err) != 0)
		goto out;
	inv->attention = xcalloc(inv->nservices + 1, sizeof(*inv->attention));
	for (i = 0; i < inv->nservices; i++)
		if (strcmp(inv->services[i].support, "supported") != 0)
			inv->attention[inv->nattention++] = i;
	attention_inv = inv;
	qsort(inv->attention, inv->nattention, sizeof(*inv->attention),
	    cmp_attention);
	attention_inv = NULL;
	rc = 0;
out:
	sqlite3_finalize(q);
	sqlite3_exec(db, "DROP TABLE IF EXISTS temp.inv_line; "
	    "DROP TABLE IF EXISTS temp.inv_month", NULL, NULL, NULL);
	if (rc != 0)
		inventory_free(inv);
	else
		*out = inv;
	return rc;
}

const char *
inventory_change_name(enum inventory_change_kind k)
{
	switch (k) {
	case CHANGE_NEW:
		return "new";
	case CHANGE_GONE:
		return "gone";
	case CHANGE_MOVED:
		return "moved";
	}
	return "moved";
}

void
inventory_free(struct inventory *inv)
{
	size_t i, j;

	if (inv == NULL)
		return;
	for (i = 0; i < inv->nservices; i++) {
		struct inventory_service *s = &inv->services[i];

		free(s->payer);
		free(s->account);
		free(s->account_name);
		free(s->period);
		free(s->code);
		free(s->name);
		for (j = 0; j < s->nregions; j++)
			free(s->regions[j]);
		free(s->regions);
		for (j = 0; j < (size_t)s->ntop; j++)
			free(s->top[j].usage_type);
		free(s->first_seen);
		free(s->last_seen);
		free(s->support_note);
		free(s->currency);
	}
	free(inv->services);
	for (i = 0; i < inv->naccounts; i++) {
		struct inventory_account *a = &inv->accounts[i];

		free(a->payer);
		free(a->account);
		free(a->account_name);
		free(a->period);
		free(a->currency);
		for (j = 0; j < a->ntags; j++)
			free(a->tags[j].key);
		free(a->tags);
	}
	free(inv->accounts);
	for (i = 0; i < inv->npayers; i++) {
		free(inv->payers[i].payer);
		free(inv->payers[i].period);
		free(inv->payers[i].currency);
	}
	free(inv->payers);
	for (i = 0; i < inv->nchanges; i++) {
		struct inventory_change *c = &inv->changes[i];

		free(c->payer);
		free(c->account);
		free(c->code);
		free(c->name);
		free(c->from);
		free(c->to);
	}
	free(inv->changes);
	free(inv->attention);
	free(inv);
}
