/*
 * report_document.c - the report model turned into a document, once.
 *
 * The only place that walks struct report (and the inventory, estimate
 * and backtest the other commands print) to decide what a person reads:
 * every sentence, every threshold, what is shown and in which order.
 * The text, Markdown and HTML renderers lay the document out and decide
 * nothing, so the formats cannot drift apart.
 *
 * Order: the key figures first (month to date, the estimate with its
 * range and typical error, the change against the previous month,
 * services needing attention, coverage of the bill), then what the
 * report is of and its files, then the sections 1-5.
 */
#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "checklist.h"
#include "document.h"
#include "xalloc.h"

/* Months side by side in the month-by-month tables: half a year fits
 * a terminal's 80 columns and says how the cost moved. */
#define MONTHS_SHOWN 6

/* Services drawn apart in the share chart; the rest is one bar. */
#define SHARE_BARS 9

/* Services needing attention named in the key figures. */
#define ATTENTION_NAMED 3

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* A growing string for lists ("a, b (name), c"); sb.s is the caller's. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static void DOC_PRINTF(2, 3)
sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	b->s = xgrow(b->s, &b->cap, b->len + (size_t)(n > 0 ? n : 0) + 1, 1);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)(n > 0 ? n : 0);
}

/* "123456789012 (Acme Web)" */
static const char *
named(char *buf, size_t n, const char *id, const char *name)
{
	snprintf(buf, n, "%s%s%s%s", id, name && *name ? " (" : "",
	    name && *name ? name : "", name && *name ? ")" : "");
	return buf;
}

/* v joined with ", ", each with its account name when r is given;
 * "none" for an empty list. Returns a new string. */
static char *
joined(const struct report *r, char *const *v, size_t n)
{
	struct sbuf b = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		const char *name = r != NULL ? report_account_name(r, v[i]) :
		    NULL;

		sb_add(&b, "%s%s", i ? ", " : "", v[i]);
		if (name != NULL && *name != '\0')
			sb_add(&b, " (%s)", name);
	}
	return b.s != NULL ? b.s : xstrdup("none");
}

/* A share kept in 1/100 % as "99.99 %". */
static struct doc_num
bp_text(int bp)
{
	struct doc_num t;

	report_share_text(bp, t.s, sizeof(t.s));
	return t;
}

/* A share is no money: a double is fine here. */
static double
ratio_pct(money_t part, money_t whole)
{
	return whole != 0 ? 100.0 * (double)part / (double)whole : 0;
}

/* "76.99 USD": a key figure's value */
static const char *
amount(char *buf, size_t n, money_t v, const char *currency)
{
	snprintf(buf, n, "%s %s", doc_money(v).s, currency);
	return buf;
}

/* ---- key figures ------------------------------------------------------- */

/*
 * The estimated month over the payers the estimate sums: spent so far
 * on the estimate's basis (usage, fees and discounts: before tax,
 * without credits and refunds), the estimate, and the change against
 * the month before where it is stored.
 */
static void
figure_estimate(struct doc *d, const struct report *r)
{
	const struct estimate *e = r->estimate;
	money_t spent = 0, prev = 0, now = 0;
	const char *first = NULL, *last = NULL;	/* the payers' last days */
	char v[80];
	size_t i, k;
	int projected = 0, final = 1, nprev = 0, npay = 0;

	for (i = 0; i < e->npayers; i++) {
		const struct estimate_payer *p = &e->payers[i];

		if (strcmp(p->period, e->period) != 0)
			continue;
		npay++;
		projected |= !p->complete;
		final &= p->final;
		for (k = 0; k < r->nperiods; k++) {
			const struct report_period *rp = &r->periods[k];
			const char *day = rp->last_day;

			if (strcmp(rp->payer, p->payer) != 0 ||
			    strcmp(rp->period, p->period) != 0)
				continue;
			money_add(&spent, rp->by_class[CHARGE_USAGE]);
			money_add(&spent, rp->by_class[CHARGE_FEE]);
			money_add(&spent, rp->by_class[CHARGE_DISCOUNT]);
			if (day != NULL && (last == NULL || strcmp(day, last) > 0))
				last = day;
			if (day != NULL && (!first || strcmp(day, first) < 0))
				first = day;
		}
		if (p->previous_period != NULL) {
			nprev++;
			money_add(&prev, p->previous_amount);
			money_add(&now, p->amount);
		}
	}
	if (e->mixed != NULL) {
		doc_figure(d, DOC_PLAIN, "Month to date", "-", "payers bill "
		    "in %s: no sum across currencies (each payer below)",
		    e->mixed);
		doc_figure(d, DOC_STRONG, "Budget estimate", "-", "%s by "
		    "payer, in its own currency (below)", e->period);
		return;
	}
	doc_figure(d, DOC_PLAIN, "Month to date", amount(v, sizeof(v), spent,
	    e->currency), "%s so far: usage, fees and discounts%s%s%s",
	    e->period, last ? ", data to " : "", last ? first : "",
	    last && strcmp(first, last) != 0 ? " or later by payer" : "");
	amount(v, sizeof(v), e->amount, e->currency);
	if (projected)
		doc_figure(d, DOC_STRONG, "Budget estimate", v, "%s before tax; "
		    "80 %% range %s to %s; typical error ±%.1f%%; confidence "
		    "%s", e->period, doc_money(e->low).s, doc_money(e->high).s,
		    e->typical_error, e->confidence ? e->confidence : "none");
	else
		doc_figure(d, DOC_STRONG, "Budget estimate", v, "%s before tax, "
		    "%s: nothing projected", e->period, final ? "as invoiced" :
		    "every day in");
	if (prev == 0)
		doc_figure(d, DOC_PLAIN, "Against last month", "-", "no "
		    "earlier month stored to compare %s with", e->period);
	else {
		snprintf(v, sizeof(v), "%+.1f %%", ratio_pct(now - prev, prev));
		doc_figure(d, DOC_PLAIN, "Against last month", v, "the month "
		    "before as billed: %s %s%s", doc_money(prev).s, e->currency,
		    nprev < npay ? " (payers with an earlier month only)" : "");
	}
}

/* Whether the service at idx[i] (at i when idx is NULL) is the first
 * of its code: a service is named once however many accounts run it. */
static int
first_of_code(const struct inventory *inv, const size_t *idx, size_t i)
{
	const char *code = inv->services[idx != NULL ? idx[i] : i].code;
	size_t k;

	for (k = 0; k < i; k++)
		if (strcmp(inv->services[idx != NULL ? idx[k] : k].code,
		    code) == 0)
			return 0;
	return 1;
}

/* The services needing attention: the first `shown` named, then "and N
 * more"; *n: how many. Returns a new string, or NULL for none. */
static char *
attention_names(const struct inventory *inv, size_t shown, size_t *n)
{
	struct sbuf names = { 0 };
	size_t i;

	for (i = 0, *n = 0; i < inv->nattention; i++)
		if (first_of_code(inv, inv->attention, i) && (*n)++ < shown)
			sb_add(&names, "%s%s", *n > 1 ? ", " : "",
			    inv->services[inv->attention[i]].code);
	if (*n > shown)
		sb_add(&names, " and %zu more", *n - shown);
	return names.s;
}

static void
figure_attention(struct doc *d, const struct inventory *inv)
{
	struct sbuf costs = { 0 };
	money_t cost;
	char v[48], *names;
	size_t i, k, n;

	if (inv->nattention == 0) {
		doc_figure(d, DOC_GOOD, "Needs attention", "none", "Pilvi "
		    "supports every service listed");
		return;
	}
	names = attention_names(inv, ATTENTION_NAMED, &n);
	snprintf(v, sizeof(v), "%zu service%s", n, plural(n));
	/* their cost in each currency they are billed in, never summed
	 * across currencies */
	for (k = 0; k < inv->nattention; k++) {
		const char *cur = inv->services[inv->attention[k]].currency;
		int first = 1;

		cost = 0;
		for (i = 0; i < inv->nattention; i++) {
			const struct inventory_service *sv =
			    &inv->services[inv->attention[i]];

			if (strcmp(sv->currency, cur) != 0)
				continue;
			if (i < k) {
				first = 0;	/* this currency is written */
				break;
			}
			money_add(&cost, sv->cost);
		}
		if (first)
			sb_add(&costs, "%s%s %s", costs.s != NULL ? " and " : "",
			    doc_money(cost).s, cur);
	}
	doc_figure(d, DOC_BAD, "Needs attention", v, "unsupported or unknown "
	    "to Pilvi: %s; %s", names, costs.s);
	free(names);
	free(costs.s);
}

/* The inventory's services against the bill's usage, fees and
 * discounts, over every month it lists; the lowest month named. */
static void
figure_coverage(struct doc *d, const struct report *r)
{
	const struct report_period *low = NULL;
	const char *cur = NULL;
	money_t svc = 0, all = 0;
	char tail[128] = "";
	size_t i;
	int n = 0, bp, mixed = 0;

	for (i = 0; i < r->nperiods; i++) {
		const struct report_period *p = &r->periods[i];

		if (!p->has_coverage)
			continue;
		n++;
		money_add(&svc, p->services);
		money_add(&all, p->serviced);
		if (low == NULL || p->coverage_bp < low->coverage_bp)
			low = p;
		if (cur == NULL)
			cur = p->currency;
		else if (strcmp(cur, p->currency) != 0)
			mixed = 1;
	}
	if (n == 0)
		return;
	/* amounts in two currencies do not add up: the lowest month's
	 * share stands for them all */
	bp = mixed ? low->coverage_bp : all != 0 ? money_share_bp(svc, all) :
	    10000;
	/* of several months, the lowest is named when it falls short */
	if (n > 1 && low->coverage_bp < 10000)
		snprintf(tail, sizeof(tail), "; lowest: payer %s, %s at %s",
		    low->payer, low->period, bp_text(low->coverage_bp).s);
	else if (n > 1)
		snprintf(tail, sizeof(tail), ", every month listed");
	if (mixed)
		doc_figure(d, bp < 10000 ? DOC_BAD : DOC_GOOD,
		    "Coverage of the bill", bp_text(bp).s, "services cover "
		    "the usage, fees and discounts of each month in its own "
		    "currency%s", tail);
	else {
		char cover[160];

		report_coverage_text(svc, all, cur, cover, sizeof(cover));
		doc_figure(d, bp < 10000 || *tail == ';' ? DOC_BAD : DOC_GOOD,
		    "Coverage of the bill", bp_text(bp).s, "%s%s", cover,
		    tail);
	}
}

static void
key_figures(struct doc *d, const struct report *r)
{
	size_t before;

	doc_heading(d, 2, "key-figures", "Key figures");
	before = d->nblocks;
	if (r->estimate != NULL && r->estimate->npayers > 0)
		figure_estimate(d, r);
	if (r->inventory != NULL)
		figure_attention(d, r->inventory);
	figure_coverage(d, r);
	if (d->nblocks == before)
		doc_say(d, DOC_TONE_PLAIN, "No billing data.");
}

/* ---- what the report is of, and the files ------------------------------ */

static void
facts(struct doc *d, const struct report *r)
{
	char *s, label[48];

	if (r->customer != NULL)
		doc_fact(d, "Customer", "%s", r->customer);
	doc_fact(d, r->npayers == 1 ? "Payer account" : "Payer accounts",
	    "%s", s = joined(r, r->payers, r->npayers));
	free(s);
	snprintf(label, sizeof(label), "Accounts (%zu)", r->naccounts);
	doc_fact(d, label, "%s", s = joined(r, r->accounts, r->naccounts));
	free(s);
	doc_fact(d, "Billing periods", "%s", s = joined(NULL, r->months,
	    r->nmonths));
	free(s);
	doc_fact(d, "Formats", "%s", s = joined(NULL, r->formats, r->nformats));
	free(s);
	doc_fact(d, "Generated", "%s", r->generated_at);
}

/* "ok", "replaced by #12" */
static struct doc_num
file_status(const struct report_file *f)
{
	struct doc_num t;

	if (f->replaced_by != 0)
		snprintf(t.s, sizeof(t.s), "replaced by #%lld", f->replaced_by);
	else
		snprintf(t.s, sizeof(t.s), "%s", f->status);
	return t;
}

/* "cur (zip)": most files are plain CSV, so a container only when not */
static struct doc_num
file_format(const struct report_file *f)
{
	struct doc_num t;
	int plain = f->container == NULL || strcmp(f->container, "plain") == 0;

	snprintf(t.s, sizeof(t.s), "%s%s%s%s", f->format, plain ? "" : " (",
	    plain ? "" : f->container, plain ? "" : ")");
	return t;
}

/* The report's Files. */
static void
files_table(struct doc *d, const struct report *r)
{
	struct doc_table *t;
	size_t i;

	if (r->nfiles == 0) {
		doc_say(d, DOC_TONE_PLAIN, "No files ingested yet.");
		return;
	}
	t = doc_table(d, "#ID|Status|Format|Payer|@Period|#Rows|#Warnings|"
	    "File");
	for (i = 0; i < r->nfiles; i++) {
		const struct report_file *f = &r->files[i];

		doc_row(t, 0);
		doc_cells(t, doc_count(f->id).s);
		doc_cell(t, f->replaced_by != 0 ? DOC_MUTED : DOC_PLAIN, "%s",
		    file_status(f).s);
		doc_cells(t, file_format(f).s, f->payer, f->period,
		    doc_count(f->rows).s, doc_count((long long)f->nwarnings).s,
		    f->name);
	}
}

/* ---- 1. data status ---------------------------------------------------- */

/* Reconciled means the total is the statement's to the cent, so the
 * table says only whether; a difference is said below it. The currency
 * goes into the title when every period has the same. */
static void
periods_table(struct doc *d, const struct report *r)
{
	const char *cur = r->periods[0].currency;
	struct doc_table *t;
	char spec[160];
	size_t i;

	for (i = 1; cur != NULL && i < r->nperiods; i++)
		if (strcmp(r->periods[i].currency, cur) != 0)
			cur = NULL;
	snprintf(spec, sizeof(spec), "Payer|@Month|Status|Days with data|"
	    "Counted from|$Total%s%s%s|Statement", cur ? " (" : "",
	    cur ? cur : "|Currency", cur ? ")" : "");
	t = doc_table(d, spec);
	for (i = 0; i < r->nperiods; i++) {
		const struct report_period *p = &r->periods[i];

		doc_row(t, 0);
		doc_cells(t, p->payer, p->period, p->estimated ? "open" : "final");
		/* the month is in the row: the last day as MM-DD */
		if (p->last_day != NULL && strlen(p->last_day) == 10)
			doc_cell(t, DOC_PLAIN, "%d (to %s)", p->days_covered,
			    p->last_day + 5);
		else
			doc_cell(t, DOC_PLAIN, "none");
		doc_cells(t, p->format, doc_money(p->total).s);
		if (cur == NULL)
			doc_cells(t, p->currency);
		if (p->reconciled < 0)
			doc_cell(t, DOC_MUTED, "no total rows");
		else
			doc_cell(t, p->reconciled ? DOC_GOOD : DOC_BAD, "%s",
			    p->reconciled ? "reconciled" : "NOT reconciled");
	}
}

static void
classes_table(struct doc *d, const struct report *r)
{
	int used[CHARGE_NCLASS] = { 0 }, c, any = 0;
	struct sbuf spec = { 0 };
	struct doc_table *t;
	size_t i;

	for (i = 0; i < r->nperiods; i++)
		for (c = 0; c < CHARGE_NCLASS; c++)
			if (r->periods[i].by_class[c] != 0)
				used[c] = any = 1;
	if (!any)
		return;
	doc_heading(d, 3, NULL, "Charges by class");
	sb_add(&spec, "Payer|@Month");
	for (c = 0; c < CHARGE_NCLASS; c++)
		if (used[c])
			sb_add(&spec, "|$%s", charge_class_name(c));
	sb_add(&spec, "|$total");
	t = doc_table(d, spec.s);
	free(spec.s);
	for (i = 0; i < r->nperiods; i++) {
		const struct report_period *p = &r->periods[i];

		doc_row(t, 0);
		doc_cells(t, p->payer, p->period);
		/* "-" for none: the column is there for the other months */
		for (c = 0; c < CHARGE_NCLASS; c++)
			if (used[c])
				doc_cells(t, p->by_class[c] != 0 ?
				    doc_money(p->by_class[c]).s : NULL);
		doc_cells(t, doc_money(p->total).s);
	}
}

static void
status_section(struct doc *d, const struct report *r)
{
	size_t i, k;
	int any;

	doc_heading(d, 2, "data-status", "1. Data status");
	if (r->nperiods == 0)
		doc_say(d, DOC_TONE_PLAIN, "No billing periods.");
	else {
		periods_table(d, r);
		classes_table(d, r);
	}
	for (i = 0, any = 0; i < r->nperiods; i++) {
		const struct report_period *p = &r->periods[i];

		if (p->reconciled != 0)
			continue;
		if (!any++)
			doc_list(d, DOC_TONE_ALERT, "Does not reconcile with the "
			    "file's own totals");
		doc_point(d, "payer %s, %s: the lines add up to %s, the "
		    "statement total is %s (difference %s)", p->payer,
		    p->period, doc_money(p->total).s, doc_money(p->statement).s,
		    doc_money(p->difference).s);
	}
	for (i = 0, any = 0; i < r->nperiods; i++)
		for (k = 0; k < r->periods[i].nnotes; k++) {
			if (!any++)
				doc_list(d, DOC_TONE_PLAIN, "Notes");
			doc_point(d, "payer %s, %s: %s", r->periods[i].payer,
			    r->periods[i].period, r->periods[i].notes[k]);
		}
	for (i = 0, any = 0; i < r->nfiles; i++)
		for (k = 0; k < r->files[i].nwarnings; k++) {
			if (!any++)
				doc_list(d, DOC_TONE_WARN, "Warnings from ingest");
			doc_point(d, "file #%lld: %s", r->files[i].id,
			    r->files[i].warnings[k]);
		}
	/* the seed sends 2-4 weeks of a month: say when that is too little */
	for (i = 0, any = 0; r->estimate != NULL && i < r->estimate->npayers;
	    i++) {
		const struct estimate_payer *p = &r->estimate->payers[i];

		if (p->complete || p->days_observed >= ESTIMATE_FIRM_DAYS)
			continue;
		if (!any++)
			doc_list(d, DOC_TONE_ALERT, "Too early for a firm "
			    "estimate");
		doc_item(d);
		doc_add(d, DOC_PLAIN, "payer %s, %s: ", p->payer, p->period);
		k = (size_t)(ESTIMATE_FIRM_DAYS - p->days_observed);
		doc_add(d, DOC_STRONG, "only %d of %d days: wait ~%zu more "
		    "day%s", p->days_observed, p->days_in_month, k, plural(k));
		doc_add(d, DOC_PLAIN, " for a firmer estimate, or send the "
		    "full month");
	}
}

/* ---- 2. budget estimate: charts ---------------------------------------- */

/* What day j (0-based) adds: usage and discounts of a complete day
 * (the first obs), else the estimate's projection. */
static money_t
day_cost(const struct report_daily *dl, int j, int obs)
{
	money_t sum = 0;
	int k;

	if (j >= obs)
		return dl->projected[j];
	for (k = 0; k < dl->nservices; k++)
		money_add(&sum, dl->cost[j * dl->nservices + k]);
	return sum;
}

/*
 * The month adding up: spent day by day, the projection to the month's
 * end and the 80 % range around it. What does not come by the day
 * (month-long and one-time charges, fees) stands at day 0, so the
 * projected line ends on the estimate itself.
 */
static void
chart_cumulative(struct doc *d, const struct estimate_payer *p,
    const struct report_daily *dl, int obs)
{
	int n = dl->ndays, j;
	struct doc_chart *c = doc_chart(d, DOC_CHART_CUMULATIVE, n + 1,
	    "The month adding up", p->currency, p->period);
	money_t *sum = xcalloc((size_t)n + 1, sizeof(*sum)), days = 0;
	struct doc_series *s;

	/* sum[j]: to the end of day j */
	for (j = 0; j < n; j++)
		money_add(&days, day_cost(dl, j, obs));
	if (money_sub(p->amount, days, &sum[0]) != 0)
		sum[0] = 0;
	for (j = 1; j <= n; j++) {
		sum[j] = sum[j - 1];
		money_add(&sum[j], day_cost(dl, j - 1, obs));
	}
	c->split = obs;
	if (obs > 0) {
		s = doc_series(c, DOC_SERIES_LINE, "spent");
		memcpy(s->v, sum, (size_t)(obs + 1) * sizeof(*sum));
		s->to = obs + 1;
	}
	if (obs < n) {
		s = doc_series(c, DOC_SERIES_LINE_PROJECTED, "projected");
		memcpy(s->v + obs, sum + obs, (size_t)(n + 1 - obs) *
		    sizeof(*sum));
		s->from = obs;
		s = doc_series(c, DOC_SERIES_BAND, "80 % range");
		s->from = obs;
		for (j = obs; j <= n; j++) {
			/* the range opens from nothing to low..high */
			double f = (double)(j - obs) / (double)(n - obs);

			s->v[j] = sum[j] + (money_t)((double)(p->low -
			    p->amount) * f);
			s->hi[j] = sum[j] + (money_t)((double)(p->high -
			    p->amount) * f);
		}
	}
	doc_chart_say(c, 0, "Before tax: %s at the start is what does not "
	    "come by the day (month-long and one-time charges, fees); then "
	    "usage and discounts day by day%s, to %s %s on day %d%s%s%s%s.",
	    doc_money(sum[0]).s, obs == n ? "" : obs > 0 ? " to the last "
	    "complete day, then the projection" : ", all projected",
	    doc_money(p->amount).s, p->currency, n, obs < n ? ", with the 80 % "
	    "range " : "", obs < n ? doc_money(p->low).s : "", obs < n ?
	    " to " : "", obs < n ? doc_money(p->high).s : "");
	free(sum);
}

/* The month day by day: complete days stacked by the top services, the
 * projection hatched. A series with nothing to draw is left out, so the
 * legend names only what the chart shows. */
static void
chart_daily(struct doc *d, const struct estimate_payer *p,
    const struct report_daily *dl, int obs)
{
	struct doc_chart *c = doc_chart(d, DOC_CHART_DAILY, dl->ndays,
	    "Daily cost", p->currency, p->period);
	struct doc_series *s;
	int j, k, drawn = 0;

	c->split = obs;
	for (k = 0; k < dl->nservices; k++) {
		for (j = 0; j < obs && dl->cost[j * dl->nservices + k] == 0;
		    j++)
			;
		if (j == obs)
			continue;
		s = doc_series(c, DOC_SERIES_BAR, dl->services[k]);
		s->rest = k == dl->nservices - 1;
		s->to = obs;
		for (j = 0; j < obs; j++)
			s->v[j] = dl->cost[j * dl->nservices + k];
		drawn++;
	}
	for (j = obs; j < dl->ndays && dl->projected[j] == 0; j++)
		;
	if (j < dl->ndays) {
		s = doc_series(c, DOC_SERIES_BAR_PROJECTED, "projected usage "
		    "and fees");
		s->from = obs;
		for (j = obs; j < dl->ndays; j++)
			s->v[j] = dl->projected[j];
	}
	doc_chart_say(c, 0, "%s%s", obs == 0 ? "No complete day yet: every day "
	    "is projected. " : drawn > 1 ? "Complete days: usage and discounts "
	    "by service, the largest apart. " : "Complete days: usage and "
	    "discounts. ", obs < dl->ndays ? "Hatched: the projected usage and "
	    "fees of the days left." : "");
}

/* Both charts of a payer's month, or why there are none. */
static void
payer_charts(struct doc *d, const struct estimate_payer *p,
    const struct report_daily *dl, size_t ndl)
{
	size_t i;
	int obs;

	for (i = 0; i < ndl && (strcmp(dl[i].payer, p->payer) != 0 ||
	    strcmp(dl[i].period, p->period) != 0); i++)
		;
	if (i == ndl || dl[i].ndays <= 0 || dl[i].cost == NULL)
		return;
	if (p->days_with_data == 0) {
		doc_chart_say(doc_chart(d, DOC_CHART_DAILY, 0, "Daily cost",
		    p->currency, p->period), 1, "No daily charts: the data of "
		    "this month has no daily detail (a monthly report).");
		return;
	}
	/* days 1..observed hold data */
	obs = dl[i].observed < 0 ? 0 : dl[i].observed > dl[i].ndays ?
	    dl[i].ndays : dl[i].observed;
	chart_cumulative(d, p, &dl[i], obs);
	chart_daily(d, p, &dl[i], obs);
}

/* The budget by service: the largest services, the rest as one bar. */
static void
chart_share(struct doc *d, const struct estimate *e)
{
	size_t n = e->nservices > SHARE_BARS + 1 ? SHARE_BARS : e->nservices;
	size_t nbars = n + (n < e->nservices), i;
	struct doc_chart *c = doc_chart(d, DOC_CHART_SHARE, (int)nbars,
	    "Budget by service", e->currency, e->period);
	struct doc_series *s = doc_series(c, DOC_SERIES_BAR, "budget");

	c->total = e->amount;
	for (i = 0; i < e->nservices; i++)
		money_add(&s->v[i < n ? i : n], e->services[i].amount);
	for (i = 0; i < nbars; i++)
		c->labels[i] = xstrdup(i < n ? e->services[i].code : "other");
	doc_chart_say(c, 0, "The budget of %s by service%s, before tax, "
	    "without credits and refunds.", e->period, e->npayers > 1 ?
	    ", all payers" : "");
}

/* ---- 2. budget estimate ------------------------------------------------ */

/* Services and their share of `total` (the amount they add up to). */
static void
services_table(struct doc *d, const struct estimate_service *s, size_t n,
    money_t total)
{
	struct doc_table *t = doc_table(d, "Service|Name|$Amount|%Share");
	size_t i;

	for (i = 0; i < n; i++) {
		doc_row(t, 0);
		doc_cells(t, s[i].code, s[i].name, doc_money(s[i].amount).s,
		    total > 0 ? doc_pct(ratio_pct(s[i].amount, total), 1, 0).s :
		    NULL);
	}
}

/* " (80 % range 67.82 to 93.15)" */
static void
range_of(struct doc *d, money_t low, money_t high)
{
	doc_add(d, DOC_PLAIN, " (80 %% range %s to %s)", doc_money(low).s,
	    doc_money(high).s);
}

/* "76.99 USD", and with `range` " (80 % range 67.82 to 93.15),
 * confidence low" */
static void
amount_range(struct doc *d, money_t amount, const char *currency,
    int range, money_t low, money_t high, const char *confidence)
{
	doc_add(d, DOC_STRONG, "%s %s", doc_money(amount).s, currency);
	if (!range)
		return;
	range_of(d, low, high);
	doc_add(d, DOC_PLAIN, ", confidence ");
	doc_add(d, DOC_STRONG, "%s", confidence != NULL ? confidence : "none");
}

static void
estimate_payer(struct doc *d, const struct estimate *e,
    const struct estimate_payer *p, const struct report_daily *dl,
    size_t ndl, size_t i)
{
	struct doc_table *t;
	char id[32];
	size_t k;

	snprintf(id, sizeof(id), "estimate-%zu", i + 1);
	doc_heading(d, 3, id, "Payer %s, %s", p->payer, p->period);
	doc_para(d, DOC_TONE_PLAIN);
	amount_range(d, p->amount, p->currency, !p->complete, p->low, p->high,
	    p->confidence);
	doc_add(d, DOC_PLAIN, "%s", !p->complete ? ", estimated" : p->final ?
	    ", final" : ", every day in, not yet invoiced");
	if (strcmp(p->period, e->period) != 0)
		doc_add(d, DOC_PLAIN, "; not in the all-payers total: its data "
		    "ends in an earlier month");
	t = doc_table(d, "Part|$Amount");
	for (k = 0; k < p->nparts; k++) {
		doc_row(t, p->parts[k].kind == ESTIMATE_PART_TOTAL);
		doc_cells(t, p->parts[k].label,
		    doc_money(p->parts[k].amount).s);
	}
	for (k = 0; k < p->nnotes; k++)
		doc_point(d, "%s", p->notes[k]);
	payer_charts(d, p, dl, ndl);
	if (p->nservices > 0) {
		doc_heading(d, 4, NULL, "By service");
		services_table(d, p->services, p->nservices, p->amount);
	}
}

static void
history_table(struct doc *d, const struct estimate_record *h, size_t n)
{
	struct doc_table *t;
	size_t i;

	doc_heading(d, 3, NULL, "Earlier estimates of months now complete");
	t = doc_table(d, "Payer|@Month|@Made|@Data through|#Days|$Estimate|"
	    "$Actual|%Off");
	for (i = 0; i < n; i++) {
		doc_row(t, 0);
		doc_cells(t, h[i].payer, h[i].period);
		/* the day is enough; made_at is an ISO time */
		doc_cell(t, DOC_PLAIN, "%.10s", h[i].made_at != NULL ?
		    h[i].made_at : "-");
		doc_cells(t, h[i].data_through, doc_count(h[i].days_observed).s,
		    doc_money(h[i].amount).s, doc_money(h[i].actual).s,
		    doc_pct(h[i].err_pct, 1, 1).s);
	}
}

/* The estimate and the record of earlier ones; charts where the daily
 * series are given (the report has them, the estimate command not). */
static void
estimate_body(struct doc *d, const struct estimate *e,
    const struct estimate_record *hist, size_t nhist,
    const struct report_daily *dl, size_t ndl)
{
	size_t i, k, same = 0;

	if (e->npayers == 0) {
		doc_say(d, DOC_TONE_PLAIN, "No billing data to estimate from.");
		return;
	}
	for (i = 0; i < e->npayers && (e->payers[i].complete ||
	    strcmp(e->payers[i].period, e->period) != 0); i++)
		;
	/* the all-payers sum is of the payers of e->period: a headline
	 * only where it sums more than one (a payer whose latest month is
	 * another is estimated apart, below) */
	for (k = 0; k < e->npayers; k++)
		same += strcmp(e->payers[k].period, e->period) == 0;
	if (same > 1 && e->mixed != NULL)
		doc_say(d, DOC_TONE_PLAIN, "All payers, %s: no sum; they bill "
		    "in %s, and each payer's estimate below is in its own "
		    "currency.", e->period, e->mixed);
	else if (same > 1) {
		doc_para(d, DOC_TONE_PLAIN);
		doc_add(d, DOC_PLAIN, "All payers, %s: ", e->period);
		/* a range only where something is projected */
		amount_range(d, e->amount, e->currency, i < e->npayers, e->low,
		    e->high, e->confidence);
		doc_say(d, DOC_TONE_PLAIN, "Tax projected apart: %s; credits "
		    "and refunds left out: %s.", doc_money(e->tax).s,
		    doc_money(e->credits).s);
	}
	if (dl != NULL && e->nservices > 0)
		chart_share(d, e);
	if (same > 1 && e->nservices > 0) {
		doc_heading(d, 4, NULL, "By service, all payers");
		services_table(d, e->services, e->nservices, e->amount);
	}
	if (same < e->npayers)
		doc_say(d, DOC_TONE_MUTED, "%zu of %zu payers' latest month is "
		    "%s; the others are estimated for their own latest month "
		    "below.", same, e->npayers, e->period);
	/* with one payer these are that payer's notes, shown below */
	for (i = 0; same > 1 && i < e->nnotes; i++)
		doc_point(d, "%s", e->notes[i]);
	for (i = 0; i < e->npayers; i++)
		estimate_payer(d, e, &e->payers[i], dl, ndl, i);
	if (e->method != NULL)
		doc_say(d, DOC_TONE_MUTED, "Method: %s.", e->method);
	if (nhist > 0)
		history_table(d, hist, nhist);
}

/* "83.40 EUR before tax (80 % range ...), against 76.99 USD at AWS" */
static void
pilvi_against_aws(struct doc *d, const struct budget_payer *p)
{
	doc_add(d, DOC_STRONG, "%s %s", doc_money(p->at.pilvi_amount).s,
	    p->at.currency);
	doc_add(d, DOC_PLAIN, " before tax");
	if (p->low != p->high)
		range_of(d, p->low, p->high);
	doc_add(d, DOC_PLAIN, ", against %s %s at AWS",
	    doc_money(p->at.aws_amount).s, p->at.aws_currency);
}

/* The budget under Pilvi (--pricing): per payer, Pilvi's amount and
 * range against AWS's, each service on both sides, and a line per rule
 * that changed the amount (docs/pricing.md). */
static void
pilvi_section(struct doc *d, const struct budget *b)
{
	char buf[256];
	size_t i, k;

	doc_heading(d, 3, "pilvi", "Budget under Pilvi");
	doc_say(d, DOC_TONE_MUTED, "Pricing rules: %s%s%s.", b->rules,
	    b->version != NULL ? ", version " : "",
	    b->version != NULL ? b->version : "");
	for (i = 0; i < b->npayers; i++) {
		const struct budget_payer *p = &b->payers[i];
		const struct pricing_result *a = &p->at;
		struct doc_table *t;

		doc_heading(d, 4, NULL, "Payer %s, %s", p->payer, p->period);
		doc_para(d, DOC_TONE_PLAIN);
		pilvi_against_aws(d, p);
		doc_add(d, DOC_PLAIN, "; with %s tax and %s credits: %s %s",
		    doc_money(a->pilvi_tax).s, doc_money(a->pilvi_credits).s,
		    doc_money(a->pilvi_total).s, a->currency);
		snprintf(buf, sizeof(buf), "Service|$AWS, %.8s|$Pilvi, %.8s",
		    a->aws_currency, a->currency);
		t = doc_table(d, buf);
		for (k = 0; k < a->nservices; k++) {
			doc_row(t, 0);
			doc_cells(t, a->services[k].service,
			    doc_money(a->services[k].aws).s,
			    doc_money(a->services[k].pilvi).s);
		}
		if (a->support_fee != 0) {
			doc_row(t, 0);
			doc_cells(t, "Pilvi support fee", NULL,
			    doc_money(a->support_fee).s);
		}
		doc_row(t, 1);
		doc_cells(t, "= before tax", doc_money(a->aws_amount).s,
		    doc_money(a->pilvi_amount).s);
		if (a->neffects > 0 && strcmp(a->currency,
		    a->aws_currency) != 0)
			doc_say(d, DOC_TONE_MUTED, "What each rule changed: "
			    "AWS's side in %s, Pilvi's in %s (converted).",
			    a->aws_currency, a->currency);
		for (k = 0; k < a->neffects; k++) {
			pricing_effect_format(buf, sizeof(buf), &a->effects[k]);
			doc_point(d, "%s", buf);
		}
	}
}

/* ---- 3. inventory ------------------------------------------------------ */

static void
attention_table(struct doc *d, const struct inventory *inv)
{
	struct doc_table *t;
	size_t i;

	doc_heading(d, 3, NULL, "Needs attention (unsupported or unknown to "
	    "Pilvi, by cost)");
	if (inv->nattention == 0) {
		doc_say(d, DOC_TONE_PLAIN, "Nothing: Pilvi supports every "
		    "service listed.");
		return;
	}
	t = doc_table(d, "Account|Service|Name|$Cost|Pilvi|Note");
	for (i = 0; i < inv->nattention; i++) {
		const struct inventory_service *s =
		    &inv->services[inv->attention[i]];

		doc_row(t, 0);
		doc_cells(t, s->account, s->code, s->name,
		    doc_money(s->cost).s);
		doc_cell(t, DOC_BAD, "%s", s->support);
		doc_cells(t, s->support_note != NULL && *s->support_note ?
		    s->support_note : s->unknown ? "not a service we know" :
		    strcmp(s->support, "unknown") == 0 ?
		    "not in Pilvi's catalog" : NULL);
	}
}

/* "7" of "2026-10-07"; s as it is when it is no date */
static const char *
day_of(const char *s)
{
	return strlen(s) == 10 ? s + 8 + (s[8] == '0') : s;
}

static void
account_services(struct doc *d, const struct inventory *inv,
    const struct inventory_account *a)
{
	struct doc_table *t;
	char buf[160];
	size_t i, k;
	int payer_level = 0;

	doc_heading(d, 4, NULL, "Account %s: %zu service%s, %s %s",
	    named(buf, sizeof(buf), a->account, a->account_name),
	    a->nservices, plural(a->nservices), doc_money(a->cost).s,
	    a->currency);
	t = doc_table(d, "Service|Regions|#Usage types|#Resources|Days seen|"
	    "$Cost|%Share|Pilvi");
	for (i = 0; i < inv->nservices; i++) {
		const struct inventory_service *s = &inv->services[i];
		char *regions;

		if (strcmp(s->payer, a->payer) != 0 ||
		    strcmp(s->period, a->period) != 0 ||
		    strcmp(s->account, a->account) != 0)
			continue;
		payer_level |= s->payer_level;
		doc_row(t, 0);
		doc_cell(t, DOC_PLAIN, "%s%s", s->code, s->payer_level ? " *" :
		    "");
		regions = s->nregions > 0 ? joined(NULL, s->regions,
		    s->nregions) : NULL;
		doc_cells(t, regions);
		free(regions);
		doc_cells(t, doc_count(s->usage_types).s,
		    doc_count(s->resources).s);
		/* the month is in the heading: days of it */
		doc_cell(t, DOC_PLAIN, "%s to %s", day_of(s->first_seen),
		    day_of(s->last_seen));
		doc_cells(t, doc_money(s->cost).s,
		    doc_pct(s->share_bp / 100.0, 1, 0).s);
		doc_cell(t, strcmp(s->support, "supported") == 0 ? DOC_PLAIN :
		    DOC_BAD, "%s%s", s->support, s->manual ? ", from a service "
		    "list" : "");
	}
	if (payer_level)
		doc_say(d, DOC_TONE_MUTED, "* includes cost the file states for "
		    "the payer only, split to no account");
	if (a->ntags == 0 && a->untagged == a->cost) {
		doc_say(d, DOC_TONE_MUTED, "No tags.");
		return;
	}
	doc_para(d, DOC_TONE_MUTED);
	doc_add(d, DOC_PLAIN, "Untagged %s of %s; tag keys:",
	    doc_money(a->untagged).s, doc_money(a->cost).s);
	for (k = 0; k < a->ntags; k++)
		doc_add(d, DOC_PLAIN, "%s %s (%s)", k ? "," : "", a->tags[k].key,
		    doc_money(a->tags[k].cost).s);
	doc_add(d, DOC_PLAIN, ".");
}

static void
changes_table(struct doc *d, const struct inventory *inv)
{
	struct doc_table *t;
	size_t i;

	doc_heading(d, 3, NULL, "Changes from month to month (moved: more "
	    "than %d%%)", inv->threshold_pct);
	t = doc_table(d, "Months|Account|Service|Change|$Before|$After");
	for (i = 0; i < inv->nchanges; i++) {
		const struct inventory_change *c = &inv->changes[i];

		doc_row(t, 0);
		doc_cell(t, DOC_PLAIN, "%s to %s", c->from, c->to);
		doc_cells(t, c->account, c->code != NULL ? c->code :
		    "(whole account)", inventory_change_name(c->kind),
		    doc_money(c->before).s, doc_money(c->after).s);
	}
}

/* "Needs attention" first, then each payer's accounts. */
static void
inventory_body(struct doc *d, const struct inventory *inv)
{
	char id[32];
	size_t i, j;

	if (inv->nservices == 0) {
		doc_say(d, DOC_TONE_PLAIN, "No services: nothing ingested for "
		    "that selection.");
		return;
	}
	attention_table(d, inv);
	for (i = 0; i < inv->npayers; i++) {
		const struct inventory_payer *p = &inv->payers[i];

		snprintf(id, sizeof(id), "inventory-%zu", i + 1);
		doc_heading(d, 3, id, "Payer %s, %s", p->payer, p->period);
		doc_say(d, DOC_TONE_PLAIN, "%zu account%s, %zu service line%s, "
		    "%s %s (usage, fees and discounts).", p->naccounts,
		    plural(p->naccounts), p->nservices, plural(p->nservices),
		    doc_money(p->cost).s, p->currency);
		for (j = 0; j < inv->naccounts; j++)
			if (strcmp(inv->accounts[j].payer, p->payer) == 0 &&
			    strcmp(inv->accounts[j].period, p->period) == 0)
				account_services(d, inv, &inv->accounts[j]);
	}
}

/* ---- 4. month by month ------------------------------------------------- */

static void
month_account(struct doc *d, const struct report_month_account *a,
    size_t first)
{
	struct sbuf spec = { 0 };
	struct doc_table *t;
	char buf[160];
	size_t s, m;

	doc_heading(d, 3, NULL, "Account %s, payer %s, %s",
	    named(buf, sizeof(buf), a->account, a->account_name), a->payer,
	    a->currency);
	sb_add(&spec, "Service");
	for (m = first; m < a->nmonths; m++)
		sb_add(&spec, "|$%s", a->months[m]);
	t = doc_table(d, spec.s);
	free(spec.s);
	for (s = 0; s <= a->nservices; s++) {
		doc_row(t, s == a->nservices);
		doc_cells(t, s < a->nservices ? a->services[s] : "total");
		for (m = first; m < a->nmonths; m++) {
			const struct report_cell *c =
			    &a->cells[s * a->nmonths + m];

			if (c->state == 2)
				doc_cell(t, DOC_BAD, "overflow");
			else
				doc_cells(t, c->state ? doc_money(c->cost).s : NULL);
		}
	}
}

static void
months_section(struct doc *d, const struct report *r)
{
	size_t i;

	doc_heading(d, 2, "months", "4. Month by month");
	doc_say(d, r->nmonth_accounts ? DOC_TONE_MUTED : DOC_TONE_PLAIN, "%s",
	    r->nmonth_accounts ? "Each service's cost per month: all charges "
	    "but tax." : "No billing lines.");
	for (i = 0; i < r->nmonth_accounts; i++) {
		const struct report_month_account *a = &r->month_accounts[i];
		size_t nm = a->nmonths > MONTHS_SHOWN ? MONTHS_SHOWN :
		    a->nmonths;

		if (nm < a->nmonths && (i == 0 || strcmp(
		    r->month_accounts[i - 1].payer, a->payer) != 0))
			doc_say(d, DOC_TONE_MUTED, "Payer %s: the last %zu of "
			    "%zu months.", a->payer, nm, a->nmonths);
		month_account(d, a, a->nmonths - nm);
	}
	if (r->inventory != NULL && r->inventory->nchanges > 0)
		changes_table(d, r->inventory);
}

/* ---- before the move (checklist.h, docs/move.md) ---------------------- */

/* "Reserved Instance", "Savings Plan" */
static const char *
commitment_kind(const struct checklist_commitment *m)
{
	return strcmp(m->kind, "reservation") == 0 ? "Reserved Instance" :
	    "Savings Plan";
}

/* The id part of an ARN: "reserved-instances/aaaa-1111". */
static const char *
arn_id(const char *arn)
{
	const char *c = strrchr(arn, ':');

	return c != NULL ? c + 1 : arn;
}

/* The day of the month of 'YYYY-MM-DD'. */
static int
day_number(const char *s)
{
	return (s[8] - '0') * 10 + (s[9] - '0');
}

/* Days of one month as runs: "09-03, 09-05 to 09-30". */
static char *
day_runs(char *const *v, size_t n)
{
	struct sbuf b = { NULL, 0, 0 };
	size_t i = 0, j;

	while (i < n) {
		for (j = i; j + 1 < n && day_number(v[j + 1]) ==
		    day_number(v[j]) + 1; j++)
			;
		sb_add(&b, "%s%.5s", i > 0 ? ", " : "", v[i] + 5);
		if (j > i)
			sb_add(&b, " to %.5s", v[j] + 5);
		i = j + 1;
	}
	return b.s;
}

static void
move_commitments(struct doc *d, const struct checklist_payer *p)
{
	struct doc_table *t;
	size_t i;

	if (p->ncommitments == 0) {
		doc_say(d, DOC_TONE_MUTED, "%s", checklist_names_commitments(p) ?
		    "No Reserved Instance or Savings Plan in the data." :
		    "This format names no Reserved Instance or Savings Plan: "
		    "ask the customer which they have.");
		return;
	}
	doc_heading(d, 4, NULL, "Reserved Instances and Savings Plans");
	t = doc_table(d, "Kind|Commitment|Owner|@Ends|After the move|"
	    "$Monthly fee|$Covered usage|Currency");
	for (i = 0; i < p->ncommitments; i++) {
		const struct checklist_commitment *m = &p->commitments[i];

		doc_row(t, 0);
		doc_cells(t, commitment_kind(m), arn_id(m->arn), m->owner);
		doc_cell(t, DOC_PLAIN, "%.10s", m->end != NULL ? m->end : "-");
		if (m->owner_moves < 0)
			doc_cell(t, DOC_MUTED, "owner not known");
		else if (m->owner_moves)
			doc_cell(t, DOC_GOOD, "moves with its owner");
		else
			doc_cell(t, DOC_BAD, "stays behind");
		doc_cells(t, doc_money(m->fee).s, doc_money(m->covered).s,
		    m->currency);
	}
}

static void
move_marketplace(struct doc *d, const struct checklist_payer *p)
{
	struct doc_table *t;
	size_t i;

	if (p->nmarketplace == 0)
		return;
	doc_heading(d, 4, NULL, "Marketplace subscriptions");
	t = doc_table(d, "Seller|Product|$Amount|Currency|@Next charge");
	for (i = 0; i < p->nmarketplace; i++) {
		const struct checklist_marketplace *m = &p->marketplace[i];

		doc_row(t, 0);
		doc_cells(t, m->seller, m->product, doc_money(m->amount).s,
		    m->currency, m->next_charge);
	}
}

/* Credits, the support plan, taxes and currencies: one line each. */
static void
move_changes(struct doc *d, const struct checklist_payer *p)
{
	size_t i;

	doc_list(d, DOC_TONE_PLAIN, "Ends or changes at the move");
	for (i = 0; i < p->ncredits; i++)
		doc_point(d, "Credits in use end: %s %s on %s",
		    doc_money(p->credits[i].amount).s, p->credits[i].currency,
		    p->credits[i].name != NULL ? p->credits[i].name :
		    "(no service)");
	for (i = 0; i < p->nsupport; i++)
		doc_point(d, "AWS support plan %s: %s %s, replaced by Pilvi's "
		    "support", p->support[i].name,
		    doc_money(p->support[i].amount).s, p->support[i].currency);
	if (p->nsupport == 0)
		doc_point(d, "No AWS support plan charged");
	for (i = 0; i < p->ntaxes; i++)
		doc_point(d, "Tax %s%s%s %s charged by %s",
		    p->taxes[i].detail[0] != '\0' ? p->taxes[i].detail : "",
		    p->taxes[i].detail[0] != '\0' ? ": " : "",
		    doc_money(p->taxes[i].amount).s, p->taxes[i].currency,
		    p->taxes[i].name[0] != '\0' ? p->taxes[i].name :
		    "an entity the file does not name");
	if (p->ncurrencies > 0) {
		doc_item(d);
		doc_add(d, DOC_PLAIN, "Currencies:");
		for (i = 0; i < p->ncurrencies; i++)
			doc_add(d, DOC_PLAIN, "%s %s", i > 0 ? "," : "",
			    p->currencies[i]);
	}
}

static void
move_accounts(struct doc *d, const struct checklist_payer *p)
{
	size_t i, ndata = 0, nlisted = 0;

	for (i = 0; i < p->naccounts; i++) {
		ndata += p->accounts[i].in_data;
		nlisted += p->accounts[i].listed;
	}
	if (!p->has_list) {
		doc_say(d, DOC_TONE_MUTED, "%zu account%s in the bill; no "
		    "hand-made list of the accounts that move: every account "
		    "but the payer is taken to move.", ndata, plural(ndata));
		return;
	}
	doc_para(d, DOC_TONE_PLAIN);
	doc_add(d, DOC_PLAIN, "%zu account%s in the bill, %zu on hand-made "
	    "lists (the accounts that move).", ndata, plural(ndata), nlisted);
	for (i = 0; i < p->naccounts; i++) {
		const struct checklist_account *a = &p->accounts[i];

		if (a->in_data && !a->listed)
			doc_add(d, DOC_PLAIN, " %s: in the bill, not listed.",
			    a->id);
		else if (!a->in_data && a->listed)
			doc_add(d, DOC_PLAIN, " %s: listed, not in the bill.",
			    a->id);
	}
}

/*
 * What is still needed from the customer for a payer's month, as items
 * of the list opened last: the report's section 5 and the e-mail ask in
 * these words. `of` is " (payer X)" where one list holds several payers,
 * else ""; `end` closes each item ("." in the e-mail, whose items are
 * sentences).
 */
static void
move_asks(struct doc *d, const struct checklist_payer *p, const char *of,
    const char *end)
{
	if (p->complete_month == NULL)
		doc_point(d, "The files of a complete month%s: none up to %s "
		    "is invoiced with every day%s", of, p->period, end);
	if (p->ndays_missing > 0) {
		char *runs = day_runs(p->days_missing, p->ndays_missing);

		doc_point(d, "The missing day%s of %s%s: %s; the files hold no "
		    "usage for %s%s", plural(p->ndays_missing), p->period, of,
		    runs, p->ndays_missing == 1 ? "it" : "them", end);
		free(runs);
	}
	if (!p->has_resources)
		doc_point(d, "A Cost and Usage Report with resource ids%s: the "
		    "files we have name no resources%s", of, end);
	if (!p->has_tags)
		doc_point(d, "Cost allocation tags%s, if any are in use: no "
		    "line of the files carries one%s", of, end);
}

static void
move_needs(struct doc *d, const struct checklist_payer *p)
{
	/* none of move_asks()'s conditions holds */
	if (p->complete_month != NULL && p->ndays_missing == 0 &&
	    p->has_resources && p->has_tags) {
		doc_say(d, DOC_TONE_MUTED, "Nothing more is needed from the "
		    "customer: %s is a complete month, with resources and "
		    "tags.", p->complete_month);
		return;
	}
	doc_list(d, DOC_TONE_WARN, "Still needed from the customer");
	move_asks(d, p, "", "");
}

static void
move_section(struct doc *d, const struct report *r)
{
	size_t i;

	doc_heading(d, 2, "move", "5. Before the move");
	if (r->checklist == NULL) {
		doc_say(d, DOC_TONE_PLAIN, "Not part of this report.");
		return;
	}
	if (r->checklist->npayers == 0) {
		doc_say(d, DOC_TONE_PLAIN, "No billing months.");
		return;
	}
	doc_say(d, DOC_TONE_MUTED, "What does not simply move with the "
	    "accounts, from each payer's latest month.");
	for (i = 0; i < r->checklist->npayers; i++) {
		const struct checklist_payer *p = &r->checklist->payers[i];
		char id[64];

		snprintf(id, sizeof(id), "move-%s", p->payer);
		doc_heading(d, 3, id, "Payer %s, %s", p->payer, p->period);
		move_commitments(d, p);
		move_marketplace(d, p);
		move_changes(d, p);
		move_accounts(d, p);
		move_needs(d, p);
	}
}

/* ---- the documents ----------------------------------------------------- */

static struct doc *
report_doc(const struct report *r)
{
	struct doc *d = doc_new();

	doc_heading(d, 1, NULL, "Pilvi support report%s%s",
	    r->customer != NULL ? ": " : "",
	    r->customer != NULL ? r->customer : "");
	key_figures(d, r);
	doc_heading(d, 2, "about", "About this report");
	facts(d, r);
	doc_heading(d, 3, NULL, "Files");
	files_table(d, r);
	status_section(d, r);
	doc_heading(d, 2, "estimate", "2. Budget estimate");
	if (r->estimate != NULL) {
		estimate_body(d, r->estimate, r->history, r->nhistory,
		    r->daily, r->ndaily);
		if (r->pilvi != NULL)
			pilvi_section(d, r->pilvi);
	} else
		doc_say(d, DOC_TONE_PLAIN, "Not part of this report.");
	doc_heading(d, 2, "inventory", "3. Service inventory");
	if (r->inventory != NULL)
		inventory_body(d, r->inventory);
	else
		doc_say(d, DOC_TONE_PLAIN, "Not part of this report.");
	months_section(d, r);
	move_section(d, r);
	return d;
}

typedef int (*renderer)(const struct doc *, FILE *);

/* Render d with fn and free it. */
static int
render(struct doc *d, renderer fn, FILE *fp)
{
	int rc = fn(d, fp);

	doc_free(d);
	return rc != 0 || ferror(fp) ? -1 : 0;
}

int
report_write_text(const struct report *r, FILE *fp)
{
	return render(report_doc(r), report_text_render, fp);
}

int
report_write_markdown(const struct report *r, FILE *fp)
{
	return render(report_doc(r), report_markdown_render, fp);
}

int
report_write_html(const struct report *r, FILE *fp)
{
	return render(report_doc(r), report_html_render, fp);
}

/*
 * The files command: a record a file, its name whole on the first line
 * (a table cannot keep the long names AWS gives without breaking them),
 * then what became of it, when it came and, for mail, whom from.
 */
static void
files_records(struct doc *d, const struct report *r)
{
	size_t i;

	if (r->nfiles == 0) {
		doc_say(d, DOC_TONE_PLAIN, "No files ingested yet.");
		return;
	}
	for (i = 0; i < r->nfiles; i++) {
		const struct report_file *f = &r->files[i];
		const char *at = f->ingested_at;
		size_t k;

		doc_heading(d, 3, NULL, "#%lld  %s", f->id, f->name);
		doc_point(d, "%s; %s; payer %s, %s; %ld %s", file_status(f).s,
		    file_format(f).s, f->payer[0] != '\0' ? f->payer :
		    "unknown", f->period[0] != '\0' ? f->period : "no period",
		    f->rows, f->rows == 1 ? "row" : "rows");
		for (k = 0; k < f->nwarnings; k++)
			doc_point(d, "warning: %s", f->warnings[k]);
		/* stored as YYYY-MM-DDTHH:MM:SSZ: said to the minute */
		if (at != NULL && strlen(at) >= 16)
			doc_point(d, "ingested %.10s %.5s UTC", at, at + 11);
		if (f->mail_from != NULL)
			doc_point(d, "e-mail from %s%s%s%s", f->mail_from,
			    f->mail_subject != NULL ? ", subject \"" : "",
			    f->mail_subject != NULL ? f->mail_subject : "",
			    f->mail_subject != NULL ? "\"" : "");
	}
}

int
report_write_files(const struct report *r, FILE *fp)
{
	struct doc *d = doc_new();

	files_records(d, r);
	return render(d, report_text_render, fp);
}

int
report_write_inventory(const struct inventory *inv, FILE *fp)
{
	struct doc *d = doc_new();

	inventory_body(d, inv);
	if (inv->nservices > 0 && inv->nchanges > 0)
		changes_table(d, inv);
	return render(d, report_text_render, fp);
}

int
report_write_estimate(const struct estimate *e,
    const struct estimate_record *hist, size_t nhist,
    const struct budget *pilvi, FILE *fp)
{
	struct doc *d = doc_new();

	estimate_body(d, e, hist, nhist, NULL, 0);
	if (pilvi != NULL)
		pilvi_section(d, pilvi);
	return render(d, report_text_render, fp);
}

/* ---- the backtest ------------------------------------------------------ */

int
report_write_backtest(const struct estimate_backtest *b, FILE *fp)
{
	static const int cuts[4] = { 7, 14, 21, 0 };
	struct doc *d = doc_new();
	struct doc_table *t;
	size_t i;
	int c, later = 0;

	for (i = 0; i < b->nskipped; i++)
		doc_point(d, "skipped payer %s, %s: %s", b->skipped[i].payer,
		    b->skipped[i].period, b->skipped[i].why);
	if (b->ntrials == 0) {
		doc_say(d, DOC_TONE_PLAIN, "No month with %d complete days to "
		    "backtest on.", ESTIMATE_BACKTEST_MIN_DAYS);
		return render(d, report_text_render, fp);
	}
	t = doc_table(d, "Payer|@Month|#Cut|#Days|$Actual|$Ours|80% range|"
	    "%Error|%Run-rate");
	for (i = 0; i < b->ntrials; i++) {
		const struct estimate_trial *tr = &b->trials[i];
		int in = tr->actual >= tr->low && tr->actual <= tr->high;

		doc_row(t, 0);
		doc_cells(t, tr->payer, tr->period, doc_count(tr->cut_day).s,
		    doc_count(tr->days_observed).s, doc_money(tr->actual).s,
		    doc_money(tr->ours).s);
		/* one word, so that a terminal table does not wrap it */
		doc_cell(t, in ? DOC_PLAIN : DOC_BAD, "%s..%s%s",
		    doc_money(tr->low).s, doc_money(tr->high).s, in ? "" : " !");
		doc_cells(t, doc_pct(tr->err_ours, 1, 1).s,
		    doc_pct(tr->err_run_rate, 1, 1).s);
		later |= tr->later_one_time != 0;
	}
	doc_say(d, DOC_TONE_MUTED, "Cut: the day of the delivery; days: "
	    "complete days before it; actual: the month to its last complete "
	    "day, budget before tax; ! the actual is outside the range.%s",
	    later ? " One-time charges made after the cut are left out of the "
	    "actual: no method can know them on that day." : "");
	doc_heading(d, 3, NULL, "Mean absolute error by the day of delivery");
	t = doc_table(d, "Cut|%Ours|%Run-rate|%Naive|%Bias|%In range|#Months");
	for (c = 0; c < 4; c++) {
		struct estimate_score sc;

		estimate_score(b->trials, b->ntrials, cuts[c], &sc);
		if (sc.n == 0)
			continue;
		doc_row(t, cuts[c] == 0);
		doc_cell(t, DOC_PLAIN, cuts[c] != 0 ? "day %d" : "all", cuts[c]);
		doc_cells(t, doc_pct(sc.mae_ours, 1, 0).s, doc_pct(sc.mae_run_rate,
		    1, 0).s, doc_pct(sc.mae_naive, 1, 0).s, doc_pct(sc.bias_ours,
		    1, 1).s, doc_pct(sc.coverage, 0, 0).s, doc_count(sc.n).s);
	}
	return render(d, report_text_render, fp);
}

/* ---- the e-mail (report --format email) -------------------------------- */

/*
 * A reply the support person can paste into a mail to the customer:
 * what we received, the services and Pilvi's support of them, whether
 * the accounts can move, the monthly budget, and what is still needed
 * from the customer, numbered so a reply can say "point 2". Plain text
 * at 72 columns (the width mail clients quote without rewrapping). It
 * speaks to the customer ("your accounts"), so its sentences are its
 * own; the figures are the report's.
 */

/* Services named before "and N more": a mail stays short. */
#define EMAIL_NAMED 5

/* "2026-09", "2026-08 and 2026-09", "2026-06 to 2026-09" */
static void
email_months(struct doc *d, const struct report *r)
{
	if (r->nmonths == 1)
		doc_add(d, DOC_PLAIN, "%s", r->months[0]);
	else if (r->nmonths == 2)
		doc_add(d, DOC_PLAIN, "%s and %s", r->months[0], r->months[1]);
	else if (r->nmonths > 2)
		doc_add(d, DOC_PLAIN, "%s to %s", r->months[0],
		    r->months[r->nmonths - 1]);
}

/* Whether v[0..n-1] holds s. */
static int
email_has(char *const *v, size_t n, const char *s)
{
	while (n-- > 0)
		if (strcmp(v[n], s) == 0)
			return 1;
	return 0;
}

/* (a) What we received: the payers and accounts of the bills (a
 * hand-made list's accounts are no bill). */
static void
email_received(struct doc *d, const struct report *r)
{
	char **payers = xcalloc(r->nperiods + 1, sizeof(*payers));
	char **accounts = xcalloc(r->nlines + 1, sizeof(*accounts));
	size_t i, k, nok = 0, np = 0, na = 0;

	for (i = 0; i < r->nfiles; i++)
		nok += strcmp(r->files[i].status, "ok") == 0 &&
		    r->files[i].replaced_by == 0;
	for (i = 0; i < r->nperiods; i++)
		if (!email_has(payers, np, r->periods[i].payer))
			payers[np++] = r->periods[i].payer;
	for (i = 0; i < r->nlines; i++)
		for (k = 0; k < r->nperiods; k++)
			if (strcmp(r->lines[i].payer, r->periods[k].payer) == 0
			    && strcmp(r->lines[i].period,
			    r->periods[k].period) == 0 && !email_has(accounts,
			    na, r->lines[i].account)) {
				accounts[na++] = r->lines[i].account;
				break;
			}
	if (np == 0)
		doc_say(d, DOC_TONE_PLAIN, "We have received no billing data "
		    "yet.");
	else {
		doc_para(d, DOC_TONE_PLAIN);
		doc_add(d, DOC_PLAIN, "We received %zu file%s with billing data "
		    "for ", nok, plural(nok));
		email_months(d, r);
		doc_add(d, DOC_PLAIN, ": payer account%s ", plural(np));
		for (i = 0; i < np; i++)
			doc_add(d, DOC_PLAIN, "%s%s", i == 0 ? "" : i + 1 < np ?
			    ", " : " and ", payers[i]);
		doc_add(d, DOC_PLAIN, ", %zu account%s in all.", na,
		    plural(na));
	}
	free(payers);
	free(accounts);
}

/* (b) The services of the latest month and Pilvi's support of them:
 * each named once however many accounts run it. */
static void
email_services(struct doc *d, const struct inventory *inv)
{
	const char *month = NULL;	/* the latest bill's */
	char *names;
	size_t i, n = 0, nbad;
	int listed = 0;			/* a hand-made list names some */

	for (i = 0; i < inv->nservices; i++) {
		const struct inventory_service *s = &inv->services[i];

		n += first_of_code(inv, NULL, i);
		listed |= s->manual;
		if (!s->manual && (month == NULL || strcmp(s->period,
		    month) > 0))
			month = s->period;
	}
	if (n == 0) {
		doc_say(d, DOC_TONE_PLAIN, "The files show no AWS services.");
		return;
	}
	names = attention_names(inv, EMAIL_NAMED, &nbad);
	doc_para(d, DOC_TONE_PLAIN);
	if (month != NULL)
		doc_add(d, DOC_PLAIN, "%s %s%s name%s %zu AWS service%s. ",
		    "The bill of", month, listed ? " and your lists" : "",
		    listed ? "" : "s", n, plural(n));
	else
		doc_add(d, DOC_PLAIN, "Your lists name %zu AWS service%s. ", n,
		    plural(n));
	if (nbad == 0)
		doc_add(d, DOC_PLAIN, "Pilvi supports %s.", n == 1 ? "it" :
		    "all of them");
	else
		doc_add(d, DOC_PLAIN, "Pilvi supports %zu of them; %s need%s a "
		    "check on our side first: %s.", n - nbad, nbad == 1 ?
		    "one" : doc_count((long long)nbad).s, nbad == 1 ? "s" : "",
		    names);
	free(names);
}

/* (d) The monthly budget: under Pilvi (--pricing) beside AWS's, else
 * AWS's estimate with its range and typical error; a payer a line. */
static void
email_budget(struct doc *d, const struct report *r)
{
	const struct estimate *e = r->estimate;
	size_t i, n = r->pilvi != NULL ? r->pilvi->npayers : e->npayers;

	for (i = 0; i < n; i++) {
		char who[48] = "";

		if (n > 1)
			snprintf(who, sizeof(who), " of payer %s",
			    r->pilvi != NULL ? r->pilvi->payers[i].payer :
			    e->payers[i].payer);
		doc_para(d, DOC_TONE_PLAIN);
		if (r->pilvi != NULL) {
			doc_add(d, DOC_PLAIN, "The monthly budget%s under Pilvi, "
			    "for %s: ", who, r->pilvi->payers[i].period);
			pilvi_against_aws(d, &r->pilvi->payers[i]);
			doc_add(d, DOC_PLAIN, ".");
		} else {
			const struct estimate_payer *p = &e->payers[i];

			doc_add(d, DOC_PLAIN, "The monthly budget%s at AWS, for "
			    "%s: %s %s before tax", who, p->period,
			    doc_money(p->amount).s, p->currency);
			if (!p->complete)
				doc_add(d, DOC_PLAIN, " (80 %% range %s to %s; "
				    "typical error ±%.1f %%).",
				    doc_money(p->low).s, doc_money(p->high).s,
				    p->typical_error);
			else
				doc_add(d, DOC_PLAIN, ", %s.", p->final ?
				    "as invoiced" : "every day in");
		}
	}
	if (n == 0)
		doc_say(d, DOC_TONE_PLAIN, "There is no month to budget from "
		    "yet.");
}

/* (e) What is still needed from the customer, and what they must act
 * on, of one payer's month: items of the list opened last. */
static void
email_asks(struct doc *d, const struct checklist_payer *p, int npayers)
{
	char of[48] = "", ofp[48] = "";	/* " (payer X)", " of payer X" */
	size_t i;

	if (npayers > 1) {
		snprintf(of, sizeof(of), " (payer %s)", p->payer);
		snprintf(ofp, sizeof(ofp), " of payer %s", p->payer);
	}
	move_asks(d, p, of, ".");
	if (p->ncommitments == 0 && !checklist_names_commitments(p))
		doc_point(d, "Which Reserved Instances and Savings Plans you "
		    "have, if any%s: these files do not name them.", of);
	for (i = 0; i < p->ncommitments; i++) {
		const struct checklist_commitment *m = &p->commitments[i];

		if (m->owner_moves > 0)
			continue;
		doc_item(d);
		doc_add(d, DOC_PLAIN, "%s %s", commitment_kind(m),
		    arn_id(m->arn));
		if (m->end != NULL)
			doc_add(d, DOC_PLAIN, ", ending %.10s", m->end);
		if (m->owner_moves < 0)
			doc_add(d, DOC_PLAIN, ": the files do not say which "
			    "account owns it; please tell us.");
		else
			doc_add(d, DOC_PLAIN, ", is owned by account %s, which "
			    "does not move: it stops applying after the move "
			    "(%s %s of usage a month). Please tell us whether "
			    "to replace it.", m->owner, doc_money(m->covered).s,
			    m->currency);
	}
	for (i = 0; i < p->nmarketplace; i++) {
		const struct checklist_marketplace *m = &p->marketplace[i];

		doc_point(d, "The Marketplace subscription%s to %s%s%s (%s %s%s%s) "
		    "moves only if you subscribe again under Pilvi's billing.",
		    ofp, m->product, m->seller[0] != '\0' ? " from " : "",
		    m->seller, doc_money(m->amount).s, m->currency,
		    m->next_charge != NULL ? ", next charge " : "",
		    m->next_charge != NULL ? m->next_charge : "");
	}
	for (i = 0; i < p->ncredits; i++)
		/* a credit is written negative; said as an amount */
		doc_point(d, "Credits of %s %s on %s%s end at the move.",
		    doc_money(p->credits[i].amount < 0 ?
		    -p->credits[i].amount : p->credits[i].amount).s,
		    p->credits[i].currency,
		    p->credits[i].name != NULL ? p->credits[i].name :
		    "no service", of);
	for (i = 0; i < p->nsupport; i++)
		doc_point(d, "Your AWS support plan%s (%s, %s %s a month) is "
		    "replaced by Pilvi's support: please confirm you can give "
		    "it up.", ofp, p->support[i].name,
		    doc_money(p->support[i].amount).s, p->support[i].currency);
	for (i = 0; i < p->naccounts; i++) {
		const struct checklist_account *a = &p->accounts[i];

		if (a->in_data && !a->listed && p->has_list)
			doc_point(d, "Account %s is in the bill but not on your "
			    "list of accounts that move: does it move?", a->id);
		else if (!a->in_data && a->listed)
			doc_point(d, "Account %s is on your list but has no "
			    "line in the bill: the files of its payer, please.",
			    a->id);
	}
}

static struct doc *
email_doc(const struct report *r)
{
	struct doc *d = doc_new(), *asks = doc_new();
	const struct inventory *inv = r->inventory;
	size_t i, nasks, nattention = inv != NULL ? inv->nattention : 0;

	/* the asks are gathered first, so that the readiness sentence
	 * above them can say whether there are any */
	doc_steps(asks, DOC_TONE_PLAIN, NULL);
	/* hand-made lists alone are no bill: nothing to budget or check */
	if (r->checklist != NULL && r->checklist->npayers == 0)
		doc_point(asks, "Your billing files: a Cost and Usage Report (or "
		    "the monthly bills) of your accounts, with a complete "
		    "month.");
	for (i = 0; r->checklist != NULL && i < r->checklist->npayers; i++)
		email_asks(asks, &r->checklist->payers[i],
		    (int)r->checklist->npayers);
	nasks = asks->blocks[0].nitems;
	email_received(d, r);
	if (inv != NULL)
		email_services(d, inv);
	if (r->checklist != NULL) {
		doc_para(d, DOC_TONE_PLAIN);
		if (nasks == 0 && nattention == 0)
			doc_add(d, DOC_PLAIN, "The accounts can move to Pilvi "
			    "now: we need nothing more from you.");
		else if (nasks == 0)
			doc_add(d, DOC_PLAIN, "The accounts can move to Pilvi "
			    "once we have checked the service%s above; we need "
			    "nothing more from you.", plural(nattention));
		else
			doc_add(d, DOC_PLAIN, "The accounts can move to Pilvi "
			    "after the %s below%s.", nasks == 1 ? "point" :
			    "points", nattention > 0 ? ", and once we have "
			    "checked the services above" : "");
	}
	if (r->estimate != NULL)
		email_budget(d, r);
	if (nasks > 0) {
		doc_say(d, DOC_TONE_PLAIN, "What we still need from you, or "
		    "what you need to act on:");
		doc_steps(d, DOC_TONE_PLAIN, NULL);
		for (i = 0; i < nasks; i++) {
			const struct doc_text *t = &asks->blocks[0].items[i];
			size_t k;

			doc_item(d);
			for (k = 0; k < t->nspans; k++)
				doc_add(d, t->spans[k].style, "%s",
				    t->spans[k].text);
		}
	}
	doc_free(asks);
	return d;
}

int
report_write_email(const struct report *r, FILE *fp)
{
	struct doc *d = email_doc(r);
	int rc;

	/* a subject line first: the mail needs one, and it says who the
	 * mail is about when the support person answers several */
	fprintf(fp, "Subject: Moving %s%sAWS billing to Pilvi\n\n",
	    r->customer != NULL ? r->customer : "your",
	    r->customer != NULL ? "'s " : " ");
	rc = report_text_render_width(d, 72, 72, fp);
	doc_free(d);
	return rc != 0 || ferror(fp) ? -1 : 0;
}
