/*
 * report_text.c - plain-text tables for the terminal: the files
 * registry and the billing periods, money right-aligned with thousands
 * separators.
 */
#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define MAXCOLS 10

/* A table collected row by row, then printed with aligned columns. */
struct table {
	int ncols;
	const char *head[MAXCOLS];
	int right[MAXCOLS];		/* right-align this column */
	char **cells;			/* row-major */
	size_t nrows, cap;
};

static void
table_add(struct table *t, ...)
{
	va_list ap;
	int i;

	t->cells = xgrow(t->cells, &t->cap, (t->nrows + 1) * (size_t)t->ncols,
	    sizeof(*t->cells));
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++) {
		const char *s = va_arg(ap, const char *);

		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] =
		    xstrdup(s != NULL ? s : "");
	}
	va_end(ap);
	t->nrows++;
}

/* A row from an array of t->ncols cells. */
static void
table_add_row(struct table *t, const char *const *cells)
{
	int i;

	t->cells = xgrow(t->cells, &t->cap, (t->nrows + 1) * (size_t)t->ncols,
	    sizeof(*t->cells));
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] =
		    xstrdup(cells[i] != NULL ? cells[i] : "");
	t->nrows++;
}

static void
table_print(struct table *t, FILE *fp, const char *indent)
{
	size_t w[MAXCOLS], r;
	int i;

	for (i = 0; i < t->ncols; i++)
		w[i] = strlen(t->head[i]);
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++) {
			size_t n = strlen(t->cells[r * (size_t)t->ncols +
			    (size_t)i]);

			if (n > w[i])
				w[i] = n;
		}
	for (r = 0; r <= t->nrows; r++) {
		fputs(indent, fp);
		for (i = 0; i < t->ncols; i++) {
			const char *s = r == 0 ? t->head[i] :
			    t->cells[(r - 1) * (size_t)t->ncols + (size_t)i];
			int last = i == t->ncols - 1;

			if (t->right[i])
				fprintf(fp, "%*s", (int)w[i], s);
			else if (last)
				fputs(s, fp);
			else
				fprintf(fp, "%-*s", (int)w[i], s);
			if (!last)
				fputs("  ", fp);
		}
		putc('\n', fp);
	}
	for (r = 0; r < t->nrows * (size_t)t->ncols; r++)
		free(t->cells[r]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

int
report_write_files(const struct report *r, FILE *fp)
{
	struct table t = { 8, { "ID", "STATUS", "FORMAT", "PAYER", "PERIOD",
	    "ROWS", "WARN", "FILE" }, { 1, 0, 0, 0, 0, 1, 1, 0 }, NULL, 0, 0 };
	size_t i;

	if (r->nfiles == 0) {
		fputs("no files ingested yet\n", fp);
		return ferror(fp) ? -1 : 0;
	}
	for (i = 0; i < r->nfiles; i++) {
		const struct report_file *f = &r->files[i];
		char id[24], rows[24], nw[24];

		snprintf(id, sizeof(id), "%lld", f->id);
		snprintf(rows, sizeof(rows), "%ld", f->rows);
		snprintf(nw, sizeof(nw), "%zu", f->nwarnings);
		table_add(&t, id, f->status, f->format, f->payer, f->period,
		    rows, nw, f->name);
	}
	table_print(&t, fp, "");
	return ferror(fp) ? -1 : 0;
}

static void
money_cell(char *buf, size_t n, money_t v, int places)
{
	money_format_grouped(buf, n, v, places);
}

static void write_changes(const struct inventory *inv, FILE *fp);
static void write_inventory(const struct inventory *inv, int with_changes,
    FILE *fp);

static void
write_header(const struct report *r, FILE *fp)
{
	size_t i;

	fprintf(fp, "Pilvi support report%s%s\ngenerated %s\n",
	    r->customer ? ": " : "", r->customer ? r->customer : "",
	    r->generated_at);
	for (i = 0; i < r->npayers; i++) {
		const char *name = report_account_name(r, r->payers[i]);

		fprintf(fp, "%s%s%s%s%s", i ? ", " : "payer ", r->payers[i],
		    name ? " (" : "", name ? name : "", name ? ")" : "");
	}
	if (r->npayers > 0)
		putc('\n', fp);
	if (r->naccounts > 0) {
		fprintf(fp, "%zu account%s:", r->naccounts,
		    r->naccounts == 1 ? "" : "s");
		for (i = 0; i < r->naccounts; i++)
			fprintf(fp, "%s %s", i && i % 6 == 0 ? "\n " : "",
			    r->accounts[i]);
		putc('\n', fp);
	}
	if (r->nmonths > 0) {
		fputs("billing periods:", fp);
		for (i = 0; i < r->nmonths; i++)
			fprintf(fp, " %s", r->months[i]);
		putc('\n', fp);
	}
	if (r->nformats > 0) {
		fputs("formats:", fp);
		for (i = 0; i < r->nformats; i++)
			fprintf(fp, " %s", r->formats[i]);
		putc('\n', fp);
	}
	fputs("files:\n", fp);
	if (r->nfiles == 0)
		fputs("  none\n", fp);
	for (i = 0; i < r->nfiles; i++) {
		const struct report_file *f = &r->files[i];

		fprintf(fp, "  #%lld %s\n      %s (%s), payer %s, %s, %ld rows%s\n",
		    f->id, f->name, f->format, f->container,
		    f->payer ? f->payer : "-", f->period ? f->period : "-",
		    f->rows, strcmp(f->status, "ok") == 0 ? "" : ", replaced");
	}
}

static void
write_status(const struct report *r, FILE *fp)
{
	size_t i, w;
	int c, warned = 0;

	fputs("\n1. Data status\n", fp);
	if (r->nperiods == 0)
		fputs("  no billing periods\n", fp);
	for (i = 0; i < r->nperiods; i++) {
		const struct report_period *p = &r->periods[i];
		struct table t = { 2, { "CLASS", "AMOUNT" }, { 0, 1 }, NULL, 0,
		    0 };
		char buf[64];
		size_t k;

		fprintf(fp, "\n  payer %s, %s: %s, from %s", p->payer,
		    p->period, p->estimated ? "open month (estimated)" :
		    "final", p->format);
		if (p->first_day != NULL)
			fprintf(fp, ",\n    %d day%s with data, %s to %s",
			    p->days_covered, p->days_covered == 1 ? "" : "s",
			    p->first_day, p->last_day);
		putc('\n', fp);
		for (c = 0; c < CHARGE_NCLASS; c++) {
			if (p->by_class[c] == 0)
				continue;
			money_cell(buf, sizeof(buf), p->by_class[c], p->places);
			table_add(&t, charge_class_name(c), buf);
		}
		money_cell(buf, sizeof(buf), p->total, p->places);
		table_add(&t, "total", buf);
		table_print(&t, fp, "    ");
		fprintf(fp, "    currency %s; ", p->currency);
		if (p->reconciled < 0)
			fputs("the file has no total rows: reconciliation not "
			    "possible\n", fp);
		else {
			money_cell(buf, sizeof(buf), p->statement, 2);
			fprintf(fp, "statement total %s: %s", buf,
			    p->reconciled ? "reconciled to the cent" :
			    "does NOT reconcile");
			if (!p->reconciled) {
				money_cell(buf, sizeof(buf),
				    p->difference, 2);
				fprintf(fp, " (difference %s)", buf);
			}
			putc('\n', fp);
		}
		for (k = 0; k < p->nnotes; k++)
			fprintf(fp, "    note: %s\n", p->notes[k]);
	}
	for (i = 0; i < r->nfiles; i++) {
		const struct report_file *f = &r->files[i];

		for (w = 0; w < f->nwarnings; w++) {
			if (!warned++)
				fputs("\n  warnings from ingest\n", fp);
			fprintf(fp, "    #%lld: %s\n", f->id, f->warnings[w]);
		}
	}
	/* the seed sends 2-4 weeks: say when that is too little */
	for (i = 0; r->estimate != NULL && i < r->estimate->npayers; i++) {
		const struct estimate_payer *p = &r->estimate->payers[i];

		if (p->final || p->days_observed >= 14)
			continue;
		fprintf(fp, "\n  payer %s, %s: only %d of %d days, too few for "
		    "a firm estimate;\n  wait ~%d days, or send the full month\n",
		    p->payer, p->period, p->days_observed, p->days_in_month,
		    14 - p->days_observed);
	}
}

/* Month by month: per account, each service's cost in the last four
 * months (the model's tables), then the changes. */
static void
write_months(const struct report *r, FILE *fp)
{
	size_t i, s, m;

	fputs("\n4. Month by month (all charges but tax)\n", fp);
	if (r->nmonth_accounts == 0)
		fputs("  no data\n", fp);
	for (i = 0; i < r->nmonth_accounts; i++) {
		const struct report_month_account *a = &r->month_accounts[i];
		size_t nm = a->nmonths > 4 ? 4 : a->nmonths;
		size_t first = a->nmonths - nm;
		struct table t;

		memset(&t, 0, sizeof(t));
		t.ncols = (int)nm + 1;
		t.head[0] = "SERVICE";
		for (m = 0; m < nm; m++) {
			t.head[m + 1] = a->months[first + m];
			t.right[m + 1] = 1;
		}
		fprintf(fp, "\n  account %s (payer %s)\n", a->account, a->payer);
		for (s = 0; s <= a->nservices; s++) {
			char cells[5][48];
			const char *c[5];

			snprintf(cells[0], sizeof(cells[0]), "%s",
			    s < a->nservices ? a->services[s] : "total");
			for (m = 0; m < nm; m++) {
				const struct report_cell *cell =
				    &a->cells[s * a->nmonths + first + m];

				if (cell->state == 2)
					snprintf(cells[m + 1], sizeof(cells[0]),
					    "overflow");
				else if (cell->state == 0)
					snprintf(cells[m + 1], sizeof(cells[0]),
					    "-");
				else
					money_cell(cells[m + 1],
					    sizeof(cells[0]), cell->cost, 2);
			}
			for (m = 0; m <= nm; m++)
				c[m] = cells[m];
			table_add_row(&t, c);
		}
		table_print(&t, fp, "    ");
	}
	if (r->inventory != NULL && r->inventory->nchanges > 0)
		write_changes(r->inventory, fp);
}

int
report_write_text(const struct report *r, FILE *fp)
{
	write_header(r, fp);
	write_status(r, fp);
	if (r->estimate != NULL && r->estimate->npayers > 0) {
		fputs("\n2. Budget estimate\n", fp);
		if (report_write_estimate(r->estimate, r->history, r->nhistory,
		    fp) != 0)
			return -1;
	}
	if (r->inventory != NULL) {
		fputs("\n3. Service inventory\n\n", fp);
		write_inventory(r->inventory, 0, fp);
	}
	write_months(r, fp);
	return ferror(fp) ? -1 : 0;
}

/* "eu-west-1", "eu-west-1 +2", "-": a cell's worth of regions. */
static void
regions_cell(char *buf, size_t n, const struct inventory_service *s)
{
	if (s->nregions == 0)
		snprintf(buf, n, "-");
	else if (s->nregions == 1)
		snprintf(buf, n, "%s", s->regions[0]);
	else
		snprintf(buf, n, "%s +%zu", s->regions[0], s->nregions - 1);
}

static void
share_cell(char *buf, size_t n, int bp)
{
	snprintf(buf, n, "%s%d.%02d%%", bp < 0 ? "-" : "", abs(bp) / 100,
	    abs(bp) % 100);
}

/* "AmazonEC2", cut to fit a column with "..." */
static void
fit(char *buf, size_t n, const char *s, size_t width)
{
	if (strlen(s) <= width)
		snprintf(buf, n, "%s", s);
	else
		snprintf(buf, n, "%.*s...", (int)(width - 3), s);
}

static void
write_account(const struct inventory *inv, const struct inventory_account *a,
    FILE *fp)
{
	struct table t = { 9, { "SERVICE", "REGIONS", "TYPES", "RES", "FIRST",
	    "LAST", "COST", "SHARE", "PILVI" }, { 0, 0, 1, 1, 0, 0, 1, 1, 0 },
	    NULL, 0, 0 };
	char total[48], cost[48], untagged[48];
	size_t i, k;
	int payer_level = 0;

	money_format_grouped(total, sizeof(total), a->cost, 2);
	fprintf(fp, "\n  account %s%s%s%s: %zu service%s, %s %s\n", a->account,
	    a->account_name ? " (" : "", a->account_name ? a->account_name : "",
	    a->account_name ? ")" : "", a->nservices,
	    a->nservices == 1 ? "" : "s", total, a->currency);
	for (i = 0; i < inv->nservices; i++) {
		const struct inventory_service *s = &inv->services[i];
		char code[32], regions[64], types[16], res[16], share[16];

		if (strcmp(s->payer, a->payer) != 0 ||
		    strcmp(s->period, a->period) != 0 ||
		    strcmp(s->account, a->account) != 0)
			continue;
		fit(code, sizeof(code), s->code, 24);
		if (s->payer_level) {
			size_t len = strlen(code);

			payer_level = 1;
			snprintf(code + len, sizeof(code) - len, " *");
		}
		regions_cell(regions, sizeof(regions), s);
		snprintf(types, sizeof(types), "%ld", s->usage_types);
		snprintf(res, sizeof(res), "%ld", s->resources);
		money_format_grouped(cost, sizeof(cost), s->cost, 2);
		share_cell(share, sizeof(share), s->share_bp);
		table_add(&t, code, regions, types, res, s->first_seen,
		    s->last_seen, cost, share, s->support);
	}
	table_print(&t, fp, "    ");
	if (payer_level)
		fputs("    * includes cost the file states for the payer only, "
		    "split to no account\n", fp);
	if (a->ntags == 0 && a->untagged == a->cost)
		fputs("    no tags\n", fp);
	else {
		money_format_grouped(untagged, sizeof(untagged), a->untagged, 2);
		fprintf(fp, "    untagged %s of %s; tag keys:", untagged,
		    total);
		for (k = 0; k < a->ntags; k++) {
			money_format_grouped(cost, sizeof(cost), a->tags[k].cost,
			    2);
			fprintf(fp, "%s %s (%s)", k ? "," : "", a->tags[k].key,
			    cost);
		}
		putc('\n', fp);
	}
}

static void
write_changes(const struct inventory *inv, FILE *fp)
{
	struct table t = { 6, { "MONTHS", "ACCOUNT", "SERVICE", "CHANGE",
	    "BEFORE", "AFTER" }, { 0, 0, 0, 0, 1, 1 }, NULL, 0, 0 };
	size_t i;

	fprintf(fp, "\nChanges from month to month (moved: more than %d%%)\n",
	    inv->threshold_pct);
	for (i = 0; i < inv->nchanges; i++) {
		const struct inventory_change *c = &inv->changes[i];
		char months[24], code[40], before[48], after[48];

		snprintf(months, sizeof(months), "%s..%s", c->from, c->to);
		fit(code, sizeof(code), c->code ? c->code : "(whole account)",
		    32);
		money_format_grouped(before, sizeof(before), c->before, 2);
		money_format_grouped(after, sizeof(after), c->after, 2);
		table_add(&t, months, c->account, code,
		    inventory_change_name(c->kind), before, after);
	}
	table_print(&t, fp, "  ");
}

/* "Needs attention" first, then each payer's accounts; the changes
 * between months when with_changes. */
static void
write_inventory(const struct inventory *inv, int with_changes, FILE *fp)
{
	size_t i, j;

	if (inv->nservices == 0) {
		fputs("no services: nothing ingested for that selection\n", fp);
		return;
	}
	fputs("Needs attention (unsupported or unknown to Pilvi, by cost)\n",
	    fp);
	if (inv->nattention == 0)
		fputs("  nothing: Pilvi supports every service listed\n", fp);
	else {
		struct table t = { 5, { "ACCOUNT", "SERVICE", "COST", "PILVI",
		    "NOTE" }, { 0, 0, 1, 0, 0 }, NULL, 0, 0 };

		for (i = 0; i < inv->nattention; i++) {
			const struct inventory_service *s =
			    &inv->services[inv->attention[i]];
			char code[40], cost[48];

			fit(code, sizeof(code), s->code, 32);
			money_format_grouped(cost, sizeof(cost), s->cost, 2);
			table_add(&t, s->account, code, cost, s->support,
			    s->support_note[0] ? s->support_note :
			    s->unknown ? "not a service we know" :
			    strcmp(s->support, "unknown") == 0 ?
			    "not in Pilvi's catalog" : "");
		}
		table_print(&t, fp, "  ");
	}
	for (i = 0; i < inv->npayers; i++) {
		const struct inventory_payer *p = &inv->payers[i];
		char cost[48];

		money_format_grouped(cost, sizeof(cost), p->cost, 2);
		fprintf(fp, "\npayer %s, %s: %zu account%s, %zu service line%s, "
		    "%s %s (usage, fees and discounts)\n", p->payer, p->period,
		    p->naccounts, p->naccounts == 1 ? "" : "s", p->nservices,
		    p->nservices == 1 ? "" : "s", cost, p->currency);
		for (j = 0; j < inv->naccounts; j++)
			if (strcmp(inv->accounts[j].payer, p->payer) == 0 &&
			    strcmp(inv->accounts[j].period, p->period) == 0)
				write_account(inv, &inv->accounts[j], fp);
	}
	if (with_changes && inv->nchanges > 0)
		write_changes(inv, fp);
}

int
report_write_inventory(const struct inventory *inv, FILE *fp)
{
	write_inventory(inv, 1, fp);
	return ferror(fp) ? -1 : 0;
}

static void
estimate_line(struct table *t, const char *what, money_t v)
{
	char buf[48];

	money_format_grouped(buf, sizeof(buf), v, 2);
	table_add(t, what, buf);
}

static void
write_estimate_payer(const struct estimate_payer *p, FILE *fp)
{
	struct table t = { 2, { "PART", "AMOUNT" }, { 0, 1 }, NULL, 0, 0 };
	char amount[48], low[48], high[48];
	size_t i;

	money_format_grouped(amount, sizeof(amount), p->amount, 2);
	money_format_grouped(low, sizeof(low), p->low, 2);
	money_format_grouped(high, sizeof(high), p->high, 2);
	if (p->complete)
		fprintf(fp, "\npayer %s, %s: %s %s, %s\n", p->payer,
		    p->period, amount, p->currency, p->final ? "final" :
		    "every day in, not yet invoiced");
	else
		fprintf(fp, "\npayer %s, %s: %s %s (80 %% range %s to %s), "
		    "confidence %s\n", p->payer, p->period, amount,
		    p->currency, low, high, p->confidence);
	for (i = 0; i < p->nparts; i++)
		estimate_line(&t, p->parts[i].label, p->parts[i].amount);
	table_print(&t, fp, "  ");
	if (p->nservices > 0) {
		struct table s = { 2, { "SERVICE", "AMOUNT" }, { 0, 1 }, NULL,
		    0, 0 };

		fputs("  by service\n", fp);
		for (i = 0; i < p->nservices; i++) {
			char code[40];

			fit(code, sizeof(code), p->services[i].code, 32);
			estimate_line(&s, code, p->services[i].amount);
		}
		table_print(&s, fp, "    ");
	}
	for (i = 0; i < p->nnotes; i++)
		fprintf(fp, "  note: %s\n", p->notes[i]);
}

int
report_write_estimate(const struct estimate *e,
    const struct estimate_record *hist, size_t nhist, FILE *fp)
{
	size_t i;

	if (e->npayers == 0) {
		fputs("no billing data to estimate from\n", fp);
		return ferror(fp) ? -1 : 0;
	}
	if (e->npayers > 1) {
		char amount[48], low[48], high[48];

		money_format_grouped(amount, sizeof(amount), e->amount, 2);
		money_format_grouped(low, sizeof(low), e->low, 2);
		money_format_grouped(high, sizeof(high), e->high, 2);
		fprintf(fp, "estimate for %s, all payers: %s %s (80 %% range %s to "
		    "%s), confidence %s\n", e->period, amount, e->currency, low,
		    high, e->confidence);
	}
	for (i = 0; i < e->npayers; i++)
		write_estimate_payer(&e->payers[i], fp);
	if (nhist > 0) {
		struct table t = { 6, { "PAYER", "MONTH", "DATA TO", "ESTIMATE",
		    "ACTUAL", "OFF" }, { 0, 0, 0, 1, 1, 1 }, NULL, 0, 0 };

		fputs("\nearlier estimates of months now complete\n", fp);
		for (i = 0; i < nhist; i++) {
			char est[48], act[48], off[24];

			money_format_grouped(est, sizeof(est), hist[i].amount, 2);
			money_format_grouped(act, sizeof(act), hist[i].actual, 2);
			snprintf(off, sizeof(off), "%+.1f%%", hist[i].err_pct);
			table_add(&t, hist[i].payer, hist[i].period,
			    hist[i].data_through ? hist[i].data_through : "-",
			    est, act, off);
		}
		table_print(&t, fp, "  ");
	}
	return ferror(fp) ? -1 : 0;
}

int
report_write_backtest(const struct estimate_backtest *b, FILE *fp)
{
	struct table t = { 9, { "PAYER", "MONTH", "CUT", "DAYS", "ACTUAL",
	    "OURS", "80% RANGE", "ERROR", "RUN-RATE" }, { 0, 0, 1, 1, 1, 1, 1,
	    1, 1 }, NULL, 0, 0 };
	static const int cuts[4] = { 7, 14, 21, 0 };
	size_t i;
	int c, later = 0;

	for (i = 0; i < b->nskipped; i++)
		fprintf(fp, "skipped payer %s, %s: %s\n", b->skipped[i].payer,
		    b->skipped[i].period, b->skipped[i].why);
	if (b->ntrials == 0) {
		fprintf(fp, "%sno month with %d complete days to backtest on\n",
		    b->nskipped ? "\n" : "", ESTIMATE_BACKTEST_MIN_DAYS);
		return ferror(fp) ? -1 : 0;
	}
	if (b->nskipped)
		putc('\n', fp);
	for (i = 0; i < b->ntrials; i++) {
		const struct estimate_trial *tr = &b->trials[i];
		char day[8], days[8], act[48], ours[48], range[100], lo[48],
		    hi[48], rr[48], errs[24];

		snprintf(day, sizeof(day), "%d", tr->cut_day);
		snprintf(days, sizeof(days), "%d", tr->days_observed);
		money_format_grouped(act, sizeof(act), tr->actual, 2);
		money_format_grouped(ours, sizeof(ours), tr->ours, 2);
		money_format_grouped(lo, sizeof(lo), tr->low, 2);
		money_format_grouped(hi, sizeof(hi), tr->high, 2);
		snprintf(range, sizeof(range), "%s-%s%s", lo, hi,
		    tr->actual >= tr->low && tr->actual <= tr->high ? "" : " !");
		snprintf(rr, sizeof(rr), "%+.1f%%", tr->err_run_rate);
		snprintf(errs, sizeof(errs), "%+.1f%%", tr->err_ours);
		table_add(&t, tr->payer, tr->period, day, days, act, ours,
		    range, errs, rr);
		later |= tr->later_one_time != 0;
	}
	table_print(&t, fp, "");
	fputs("(CUT: the day of the delivery; DAYS: complete days before it; "
	    "ACTUAL: the month\n to its last complete day, budget before "
	    "tax; ! the actual is outside the range)\n", fp);
	if (later)
		fputs("(one-time charges made after the cut are left out of "
		    "the actual: no method\n can know them on that day)\n",
		    fp);
	fputs("\nmean absolute error: ours, run-rate, naive; bias; range "
	    "coverage\n", fp);
	for (c = 0; c < 4; c++) {
		struct estimate_score sc;

		estimate_score(b->trials, b->ntrials, cuts[c], &sc);
		if (sc.n == 0)
			continue;
		if (cuts[c])
			fprintf(fp, "  day %2d: ", cuts[c]);
		else
			fputs("  all:    ", fp);
		fprintf(fp, "%5.1f%% %5.1f%% %5.1f%%; %+5.1f%%; %3.0f%% of %d\n",
		    sc.mae_ours, sc.mae_run_rate, sc.mae_naive, sc.bias_ours,
		    sc.coverage, sc.n);
	}
	return ferror(fp) ? -1 : 0;
}
