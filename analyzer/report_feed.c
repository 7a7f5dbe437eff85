/*
 * report_feed.c - the billing-spreadsheet feed as rows: the one spec
 * the CSV (report_csv.c) and the XLSX line sheet (report_xlsx.c) render,
 * so the two carry the same columns, in the same order, with the same
 * values. Also whom each payer's rows belong to (the customer).
 *
 * Actual rows keep the full precision of the report's lines: the feed's
 * amounts of a payer and month add up to the period's total exactly, so
 * no per-row rounding and no rounding row are needed. Estimate rows are
 * projections; their amounts are to the cent, as every report prints
 * them.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "xalloc.h"

const char *const report_feed_columns[REPORT_FEED_NCOLUMNS] = {
	"schema_version", "kind", "customer_id", "customer_name",
	"payer_account", "account_id", "account_name", "month",
	"month_status", "days_covered", "as_of", "source", "service_code",
	"service_name", "pilvi_support", "charge_class", "currency", "amount",
	"low", "high", "typical_error_pct"
};

static char *
dup_or_empty(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

void
report_set_customer(struct report *r, const char *payer, const char *id,
    const char *name)
{
	struct report_customer *c = NULL;
	size_t i;

	for (i = 0; i < r->ncustomers && c == NULL; i++)
		if (strcmp(r->customers[i].payer, payer) == 0)
			c = &r->customers[i];
	if (c == NULL) {
		r->customers = xrealloc(r->customers, (r->ncustomers + 1) *
		    sizeof(*r->customers));
		c = &r->customers[r->ncustomers++];
		c->payer = xstrdup(payer);
	} else {
		free(c->id);
		free(c->name);
	}
	c->id = dup_or_empty(id);
	c->name = dup_or_empty(name);
}

void
report_customer_of(const struct report *r, const char *payer,
    const char **id, const char **name)
{
	size_t i;

	for (i = 0; i < r->ncustomers; i++)
		if (strcmp(r->customers[i].payer, payer) == 0) {
			*id = r->customers[i].id;
			*name = r->customers[i].name;
			return;
		}
	*id = r->customer_id != NULL ? r->customer_id : "";
	*name = r->customer != NULL ? r->customer : "";
}

/* The period of payer's month; the periods are sorted by payer, month. */
static const struct report_period *
find_period(const struct report *r, const char *payer, const char *month)
{
	size_t lo = 0, hi = r->nperiods;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct report_period *p = &r->periods[mid];
		int c = strcmp(p->payer, payer);

		if (c == 0)
			c = strcmp(p->period, month);
		if (c == 0)
			return p;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* What the period says of the month: status, days, as-of, source. */
static void
fill_month(struct report_feed_row *f, const struct report *r)
{
	const struct report_period *p = find_period(r, f->payer, f->month);

	f->month_status = p == NULL ? "" : p->estimated ? "open" : "final";
	f->days_covered = p != NULL ? p->days_covered : 0;
	f->as_of = p != NULL ? p->as_of : NULL;
	f->source = p != NULL ? p->format : "";
	report_customer_of(r, f->payer, &f->customer_id, &f->customer_name);
}

static int
cmp_str(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int
cmp_row(const void *pa, const void *pb)
{
	const struct report_feed_row *a = pa, *b = pb;
	int c;

	if ((c = cmp_str(a->customer_name, b->customer_name)) != 0 ||
	    (c = cmp_str(a->customer_id, b->customer_id)) != 0 ||
	    (c = cmp_str(a->payer, b->payer)) != 0 ||
	    (c = cmp_str(a->month, b->month)) != 0 ||
	    (c = cmp_str(a->kind, b->kind)) != 0 ||
	    (c = cmp_str(a->account, b->account)) != 0 ||
	    (c = cmp_str(a->service_code, b->service_code)) != 0 ||
	    (c = cmp_str(a->charge_class, b->charge_class)) != 0)
		return c;
	return cmp_str(a->currency, b->currency);
}

/* The name of payer's service code, as its estimate has it ("" when
 * not there). */
static const char *
service_name_of(const struct estimate *e, const char *payer,
    const char *code)
{
	size_t i, k;

	for (i = 0; e != NULL && i < e->npayers; i++) {
		if (strcmp(e->payers[i].payer, payer) != 0)
			continue;
		for (k = 0; k < e->payers[i].nservices; k++)
			if (strcmp(e->payers[i].services[k].code, code) == 0)
				return e->payers[i].services[k].name;
	}
	return "";
}

/* The estimate of payer's month, for the typical error. */
static const struct estimate_payer *
estimate_of(const struct estimate *e, const char *payer, const char *month)
{
	size_t i;

	for (i = 0; e != NULL && i < e->npayers; i++)
		if (strcmp(e->payers[i].payer, payer) == 0 &&
		    strcmp(e->payers[i].period, month) == 0)
			return &e->payers[i];
	return NULL;
}

/*
 * With --pricing, the budget under Pilvi (docs/pricing.md): a row of
 * kind pilvi per payer-month (amount, low, high in Pilvi's currency),
 * and rows of kind pilvi_service, one per service and one for Pilvi's
 * support fee, that add up to it. Returns the rows added at rows + n.
 */
static size_t
pilvi_rows(const struct report *r, struct report_feed_row *rows)
{
	const struct budget *b = r->pilvi;
	size_t n = 0, i, k;

	for (i = 0; b != NULL && r->account == NULL && i < b->npayers; i++) {
		const struct budget_payer *p = &b->payers[i];
		const struct estimate_payer *ep = estimate_of(r->estimate,
		    p->payer, p->period);
		struct report_feed_row *f = &rows[n++], *total = f, *big = NULL;
		money_t sum = 0;

		f->kind = "pilvi";
		f->payer = p->payer;
		f->month = p->period;
		f->currency = p->at.currency;
		f->amount = pricing_round(p->at.pilvi_amount);
		f->is_estimate = 1;
		f->low = pricing_round(p->low);
		f->high = pricing_round(p->high);
		f->typical_error = ep != NULL ? ep->typical_error : 0;
		fill_month(f, r);
		for (k = 0; k <= p->at.nservices; k++) {
			const struct pricing_service *s = &p->at.services[k];

			if (k == p->at.nservices && p->at.support_fee == 0)
				break;
			f = &rows[n++];
			f->kind = "pilvi_service";
			f->payer = p->payer;
			f->month = p->period;
			f->currency = p->at.currency;
			if (k == p->at.nservices) {
				f->service_name = "Pilvi support fee";
				f->amount = pricing_round(p->at.support_fee);
			} else {
				f->service_code = s->service;
				f->service_name = service_name_of(r->estimate,
				    p->payer, s->service);
				f->amount = pricing_round(s->pilvi);
			}
			sum += f->amount;
			if (big == NULL || (f->amount < 0 ? -f->amount :
			    f->amount) > (big->amount < 0 ? -big->amount :
			    big->amount))
				big = f;
			fill_month(f, r);
		}
		/* each figure is rounded once; in a ledger the rows must add
		 * up, so the cent or two between the rounded services and
		 * the rounded total go on the largest row */
		if (big != NULL)
			big->amount += total->amount - sum;
	}
	return n;
}

size_t
report_feed(const struct report *r, struct report_feed_row **out)
{
	const struct estimate *e = r->estimate;
	size_t n = 0, i, max = r->nlines + (e != NULL ? e->npayers : 0);
	struct report_feed_row *rows;

	for (i = 0; r->pilvi != NULL && i < r->pilvi->npayers; i++)
		max += r->pilvi->payers[i].at.nservices + 2;
	rows = xcalloc(max + 1, sizeof(*rows));

	for (i = 0; i < r->nlines; i++) {
		const struct report_line *l = &r->lines[i];
		struct report_feed_row *f = &rows[n++];

		f->kind = "actual";
		f->payer = l->payer;
		f->account = l->account;
		f->account_name = l->account_name;
		f->month = l->period;
		f->service_code = l->service_code;
		f->service_name = l->service_name;
		f->support = l->support;
		f->charge_class = l->cls;
		f->currency = l->currency;
		f->amount = l->cost;
		fill_month(f, r);
	}
	/* an estimate of one account would be the payer's, not the
	 * account's; a final month needs none: its rows are the bill */
	for (i = 0; e != NULL && r->account == NULL && i < e->npayers; i++) {
		const struct estimate_payer *p = &e->payers[i];
		struct report_feed_row *f;

		if (p->final)
			continue;
		f = &rows[n++];
		f->kind = "estimate";
		f->payer = p->payer;
		f->month = p->period;
		f->currency = p->currency;
		f->amount = money_round(p->amount, 2);
		f->is_estimate = 1;
		f->low = money_round(p->low, 2);
		f->high = money_round(p->high, 2);
		f->typical_error = p->typical_error;
		fill_month(f, r);
	}
	n += pilvi_rows(r, rows + n);
	if (n > 1)
		qsort(rows, n, sizeof(*rows), cmp_row);
	*out = rows;
	return n;
}
