/*
 * budget.c - the budget under Pilvi: the estimate's month, line by line
 * as far as the store tells, through the pricing rules.
 */
#include "budget.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/*
 * The month's lines as the invoice counts them (the invoice_line view
 * of 001, over the month summary), by service, usage type, line type
 * and class: what each service's amount is made of. A Marketplace
 * product's lines carry its seller, as the move checklist's lines of
 * the same file name it (move_line: the seller by the product's name;
 * the first seller in order where a product had two).
 */
static const char lines_sql[] =
    "SELECT cm.class, COALESCE(lt.name, ''), ut.name, "
    "       COALESCE(NULLIF(si.code, ''), '(none)'), SUM(cm.cost), "
    "       (SELECT MIN(ml.ref) FROM move_line ml "
    "        WHERE ml.file_id = cm.file_id AND ml.kind = 'marketplace' "
    "          AND ml.payer_account = ?1 AND ml.period = ?2 "
    "          AND ml.name <> '' AND ml.name = s.name) AS seller "
    "FROM cost_month cm "
    "JOIN account pa ON pa.id = cm.payer "
    "JOIN counted_period cp ON cp.file_id = cm.file_id "
    "  AND cp.payer_account = pa.account_id AND cp.period = cm.period "
    "JOIN service s ON s.id = cm.service "
    "LEFT JOIN service_ident si ON si.service = cm.service "
    "LEFT JOIN line_type lt ON lt.id = cm.line_type "
    "LEFT JOIN usage_type ut ON ut.id = cm.usage_type "
    "WHERE cp.payer_account = ?1 AND cm.period = ?2 "
    "  AND (cm.view = 0 OR (cm.view = 1 AND cp.has_payer_view) "
    "   OR (cm.view = 2 AND NOT cp.has_payer_view)) "
    "GROUP BY 1, 2, 3, 4, 6 ORDER BY 4, 1, 2, 3, 6";

/* The lines of one payer-month; the strings are owned here. */
struct month {
	struct pricing_line *v;
	size_t n, cap;
};

static void
month_release(struct month *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free((char *)m->v[i].service);
		free((char *)m->v[i].usage_type);
		free((char *)m->v[i].line_type);
		free((char *)m->v[i].seller);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static struct pricing_line *
month_add(struct month *m, const char *service, const char *usage_type,
    const char *line_type, const char *seller, enum charge_class cls,
    money_t amount)
{
	struct pricing_line *l;

	m->v = xgrow(m->v, &m->cap, m->n + 1, sizeof(*m->v));
	l = &m->v[m->n++];
	l->service = xstrdup(service);
	l->usage_type = usage_type != NULL ? xstrdup(usage_type) : NULL;
	l->seller = seller != NULL && *seller ? xstrdup(seller) : NULL;
	l->line_type = line_type != NULL && *line_type ? xstrdup(line_type) :
	    NULL;
	l->cls = cls;
	l->amount = amount;
	return l;
}

static int
class_of(const char *name, enum charge_class *out)
{
	int c;

	for (c = 0; c < CHARGE_NCLASS; c++)
		if (strcmp(name, charge_class_name((enum charge_class)c)) == 0) {
			*out = (enum charge_class)c;
			return 0;
		}
	return -1;
}

static int
in_amount(enum charge_class c)
{
	return c == CHARGE_USAGE || c == CHARGE_FEE || c == CHARGE_DISCOUNT;
}

/* v x num / den, half away from zero (den != 0). */
static money_t
scale(money_t v, money_t num, money_t den)
{
	__int128 p = (__int128)v * num, q, r;

	if (den < 0) {
		p = -p;
		den = -den;
	}
	q = p / den;
	r = p % den;
	if (2 * (r < 0 ? -r : r) >= den)
		q += p < 0 ? -1 : 1;
	return (money_t)q;
}

/*
 * Each service's lines of the amount scaled so that they add up to the
 * service's estimated amount exactly (the rest of the rounding on its
 * largest line); a service the estimate has and the lines not (a fee
 * expected again) is one fee line. Credits, refunds and tax are taken
 * as the estimate has them.
 */
static void
fit_to_estimate(struct month *m, const struct estimate_payer *p)
{
	size_t i, k;

	for (k = 0; k < p->nservices; k++) {
		const struct estimate_service *s = &p->services[k];
		money_t seen = 0, sum = 0;
		size_t big = m->n;

		for (i = 0; i < m->n; i++)
			if (in_amount(m->v[i].cls) &&
			    strcmp(m->v[i].service, s->code) == 0)
				seen += m->v[i].amount;
		if (seen == 0) {
			if (s->amount != 0)
				month_add(m, s->code, NULL, NULL, NULL,
				    CHARGE_FEE, s->amount);
			continue;
		}
		for (i = 0; i < m->n; i++) {
			struct pricing_line *l = &m->v[i];

			if (!in_amount(l->cls) || strcmp(l->service,
			    s->code) != 0)
				continue;
			l->amount = scale(l->amount, s->amount, seen);
			sum += l->amount;
			if (big == m->n || (l->amount < 0 ? -l->amount :
			    l->amount) > (m->v[big].amount < 0 ?
			    -m->v[big].amount : m->v[big].amount))
				big = i;
		}
		m->v[big].amount += s->amount - sum;
	}
	/* what the estimate does not have (its amount is 0) counts 0 */
	for (i = 0; i < m->n; i++) {
		if (!in_amount(m->v[i].cls))
			continue;
		for (k = 0; k < p->nservices; k++)
			if (strcmp(m->v[i].service, p->services[k].code) == 0)
				break;
		if (k == p->nservices)
			m->v[i].amount = 0;
	}
	month_add(m, "", NULL, "Tax", NULL, CHARGE_TAX, p->tax);
}

static int
read_month(struct store *st, const struct estimate_payer *p,
    struct month *m, struct pv_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(db, lines_sql, -1, &q, NULL) != SQLITE_OK)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "database: "
		    "reading the month's lines: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(q, 1, p->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, p->period, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		enum charge_class cls;

		if (class_of((const char *)sqlite3_column_text(q, 0), &cls) != 0)
			continue;
		/* the tax is the estimate's, projected for the month */
		if (cls == CHARGE_TAX || cls == CHARGE_ROUNDING)
			continue;
		month_add(m, (const char *)sqlite3_column_text(q, 3),
		    (const char *)sqlite3_column_text(q, 2),
		    (const char *)sqlite3_column_text(q, 1),
		    (const char *)sqlite3_column_text(q, 5), cls,
		    sqlite3_column_int64(q, 4));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "database: "
		    "reading the month's lines: %s", sqlite3_errmsg(db));
	return 0;
}

/* Pilvi's amount when the month's amount is `to` instead of `from`:
 * the lines of the amount scaled alike. */
static int
amount_at(const struct pricing_rules *rules, const char *currency,
    const struct month *m, money_t from, money_t to, money_t *out,
    struct pv_error *err)
{
	struct pricing_line *v = xmalloc((m->n + 1) * sizeof(*v));
	struct pricing_result res;
	size_t i;
	int rc;

	for (i = 0; i < m->n; i++) {
		v[i] = m->v[i];
		if (in_amount(v[i].cls) && from != 0)
			v[i].amount = scale(v[i].amount, to, from);
	}
	rc = pricing_apply(rules, currency, v, m->n, &res, err);
	if (rc == 0)
		*out = res.pilvi_amount;
	pricing_result_release(&res);
	free(v);
	return rc;
}

int
budget_build(struct store *st, const struct estimate *e,
    const struct pricing_rules *rules, struct budget **out,
    struct pv_error *err)
{
	struct budget *b = xcalloc(1, sizeof(*b));
	struct month m = { NULL, 0, 0 };
	size_t i;

	*out = NULL;
	b->rules = xstrdup(rules->file != NULL ? rules->file : "");
	b->version = xstrdup(rules->version != NULL ? rules->version : "");
	b->payers = xcalloc(e->npayers + 1, sizeof(*b->payers));
	if (e->npayers > 0 && store_prepare_reading(st, err) != 0)
		goto fail;
	for (i = 0; i < e->npayers; i++) {
		const struct estimate_payer *p = &e->payers[i];
		struct budget_payer *bp = &b->payers[b->npayers];
		const char *cur = p->currency != NULL ? p->currency : "USD";

		if (read_month(st, p, &m, err) != 0)
			goto fail;
		fit_to_estimate(&m, p);
		if (pricing_apply(rules, cur, m.v, m.n, &bp->at, err) != 0)
			goto fail;
		bp->payer = xstrdup(p->payer);
		bp->period = xstrdup(p->period);
		b->npayers++;
		if (amount_at(rules, cur, &m, p->amount, p->low, &bp->low,
		    err) != 0 ||
		    amount_at(rules, cur, &m, p->amount, p->high, &bp->high,
		    err) != 0)
			goto fail;
		month_release(&m);
	}
	*out = b;
	return 0;
fail:
	month_release(&m);
	budget_free(b);
	return -1;
}

void
budget_free(struct budget *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->npayers; i++) {
		free(b->payers[i].payer);
		free(b->payers[i].period);
		pricing_result_release(&b->payers[i].at);
	}
	free(b->payers);
	free(b->rules);
	free(b->version);
	free(b);
}
