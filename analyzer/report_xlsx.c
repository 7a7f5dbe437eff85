/*
 * report_xlsx.c - the billing-spreadsheet feed as an XLSX workbook
 * (libxlsxwriter): sheets Summary, Estimate, Inventory and Monthly; money
 * as numbers with a currency format, ids as text, the header row frozen,
 * columns sized, an autofilter on every table. Strings are written as
 * strings, never as formulas, so nothing from a customer's file can run.
 */
#include "report.h"

#include <math.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "datetime.h"

struct sheet {
	lxw_worksheet *ws;
	lxw_format *head, *money, *pct;
	int ncols;
	lxw_row_t row;
	double width[32];	/* widest cell per column, in characters */
};

static double
as_number(money_t v)
{
	/* exact to the cent: the spreadsheet shows what the CSV says */
	return (double)money_round(v, 2) / (double)MONEY_SCALE;
}

static void
head(struct sheet *s, const char *const *names, int n)
{
	int c;

	s->ncols = n;
	for (c = 0; c < n; c++) {
		worksheet_write_string(s->ws, 0, (lxw_col_t)c, names[c],
		    s->head);
		s->width[c] = (double)strlen(names[c]) + 2;
	}
	s->row = 1;
	worksheet_freeze_panes(s->ws, 1, 0);
}

static void
cell_text(struct sheet *s, int c, const char *v)
{
	double w;

	if (v == NULL)
		v = "";
	worksheet_write_string(s->ws, s->row, (lxw_col_t)c, v, NULL);
	w = (double)strlen(v) + 2;
	if (w > s->width[c])
		s->width[c] = w > 60 ? 60 : w;
}

static void
cell_money(struct sheet *s, int c, money_t v)
{
	worksheet_write_number(s->ws, s->row, (lxw_col_t)c, as_number(v),
	    s->money);
	if (s->width[c] < 14)
		s->width[c] = 14;
}

static void
cell_int(struct sheet *s, int c, long v)
{
	worksheet_write_number(s->ws, s->row, (lxw_col_t)c, (double)v, NULL);
}

static void
finish(struct sheet *s)
{
	int c;

	for (c = 0; c < s->ncols; c++)
		worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c,
		    s->width[c], NULL);
	worksheet_autofilter(s->ws, 0, 0, s->row > 1 ? s->row - 1 : 0,
	    (lxw_col_t)(s->ncols - 1));
}

static void
summary(struct sheet *s, const struct report *r)
{
	static const char *const cols[] = { "customer", "payer_account",
	    "month", "status", "first_day", "last_day", "days_covered",
	    "currency", "total", "statement_total", "reconciled" };
	size_t i;

	head(s, cols, 11);
	for (i = 0; i < r->nperiods; i++, s->row++) {
		const struct report_period *p = &r->periods[i];

		cell_text(s, 0, r->customer);
		cell_text(s, 1, p->payer);
		cell_text(s, 2, p->period);
		cell_text(s, 3, p->estimated ? "estimated" : "final");
		cell_text(s, 4, p->first_day);
		cell_text(s, 5, p->last_day);
		cell_int(s, 6, p->days_covered);
		cell_text(s, 7, p->currency);
		cell_money(s, 8, p->total);
		if (p->has_statement)
			cell_money(s, 9, p->statement);
		cell_text(s, 10, p->reconciled < 0 ? "no total rows" :
		    p->reconciled ? "yes" : "no");
	}
	finish(s);
}

static void
estimate(struct sheet *s, const struct report *r)
{
	static const char *const cols[] = { "payer_account", "month",
	    "status", "days_observed", "days_in_month", "confidence",
	    "currency", "amount", "low", "high", "usage_observed",
	    "usage_projected", "fees", "fees_expected", "one_time", "tax",
	    "credits", "refunds", "naive", "run_rate", "typical_error_pct",
	    "month_charges", "fees_daily" };
	size_t i;

	head(s, cols, 23);
	for (i = 0; r->estimate != NULL && i < r->estimate->npayers;
	    i++, s->row++) {
		const struct estimate_payer *p = &r->estimate->payers[i];

		cell_text(s, 0, p->payer);
		cell_text(s, 1, p->period);
		cell_text(s, 2, p->status);
		cell_int(s, 3, p->days_observed);
		cell_int(s, 4, p->days_in_month);
		cell_text(s, 5, p->confidence);
		cell_text(s, 6, p->currency);
		cell_money(s, 7, p->amount);
		cell_money(s, 8, p->low);
		cell_money(s, 9, p->high);
		cell_money(s, 10, p->usage_observed);
		cell_money(s, 11, p->usage_projected);
		cell_money(s, 12, p->month_charges + p->fees_daily +
		    p->fees_daily_projected);
		cell_money(s, 13, p->fees_expected);
		cell_money(s, 14, p->one_time);
		cell_money(s, 15, p->tax);
		cell_money(s, 16, p->credits);
		cell_money(s, 17, p->refunds);
		cell_money(s, 18, p->naive);
		cell_money(s, 19, p->run_rate);
		worksheet_write_number(s->ws, s->row, 20,
		    round(p->typical_error * 10) / 10, NULL);
		cell_money(s, 21, p->month_charges);
		cell_money(s, 22, p->fees_daily + p->fees_daily_projected);
	}
	finish(s);
}

static void
inventory(struct sheet *s, const struct report *r)
{
	static const char *const cols[] = { "payer_account", "account_id",
	    "account_name", "month", "service_code", "service_name",
	    "regions", "usage_types", "resources", "first_seen", "last_seen",
	    "currency", "cost", "share", "pilvi_support" };
	const struct inventory *inv = r->inventory;
	size_t i, k;

	head(s, cols, 15);
	for (i = 0; inv != NULL && i < inv->nservices; i++, s->row++) {
		const struct inventory_service *v = &inv->services[i];
		char regions[512] = "";
		size_t len = 0;

		for (k = 0; k < v->nregions && len < sizeof(regions); k++)
			len += (size_t)snprintf(regions + len,
			    sizeof(regions) - len, "%s%s", k ? " " : "",
			    v->regions[k]);
		cell_text(s, 0, v->payer);
		cell_text(s, 1, v->account);
		cell_text(s, 2, v->account_name);
		cell_text(s, 3, v->period);
		cell_text(s, 4, v->code);
		cell_text(s, 5, v->name);
		cell_text(s, 6, regions);
		cell_int(s, 7, v->usage_types);
		cell_int(s, 8, v->resources);
		cell_text(s, 9, v->first_seen);
		cell_text(s, 10, v->last_seen);
		cell_text(s, 11, v->currency);
		cell_money(s, 12, v->cost);
		worksheet_write_number(s->ws, s->row, 13, v->share_bp / 10000.0,
		    s->pct);
		cell_text(s, 14, v->support);
	}
	finish(s);
}

/* The same rows and columns as the CSV feed (report_csv.c). */
static void
monthly(struct sheet *s, const struct report *r)
{
	static const char *const cols[] = { "schema_version", "payer_account",
	    "account_id", "account_name", "month", "service_code",
	    "service_name", "charge_class", "currency", "amount" };
	size_t i;

	head(s, cols, 10);
	for (i = 0; i < r->nlines; i++, s->row++) {
		const struct report_line *l = &r->lines[i];

		cell_int(s, 0, 1);
		cell_text(s, 1, l->payer);
		cell_text(s, 2, l->account);
		cell_text(s, 3, l->account_name);
		cell_text(s, 4, l->period);
		cell_text(s, 5, l->service_code);
		cell_text(s, 6, l->service_name);
		cell_text(s, 7, l->cls);
		cell_text(s, 8, l->currency);
		cell_money(s, 9, l->cost);
	}
	finish(s);
}

int
report_write_xlsx(const struct report *r, const char *path,
    struct pv_error *err)
{
	static const char *const names[] = { "Summary", "Estimate",
	    "Inventory", "Monthly" };
	void (*fill[])(struct sheet *, const struct report *) = { summary,
	    estimate, inventory, monthly };
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE,
	    .tmpdir = NULL };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	lxw_format *headf, *moneyf, *pctf;
	lxw_error e;
	size_t i;

	if (wb == NULL)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write "
		    "'%s'", path);
	{
		/* the creation time is the report's, so a rebuilt workbook
		 * says the same (and SOURCE_DATE_EPOCH makes it repeatable) */
		lxw_doc_properties props;

		memset(&props, 0, sizeof(props));
		props.created = (time_t)date_now();
		props.title = "Pilvi billing feed";
		workbook_set_properties(wb, &props);
	}
	headf = workbook_add_format(wb);
	format_set_bold(headf);
	format_set_bottom(headf, LXW_BORDER_THIN);
	moneyf = workbook_add_format(wb);
	format_set_num_format(moneyf, "#,##0.00");
	pctf = workbook_add_format(wb);
	format_set_num_format(pctf, "0.00%");
	for (i = 0; i < 4; i++) {
		struct sheet s;

		memset(&s, 0, sizeof(s));
		s.ws = workbook_add_worksheet(wb, names[i]);
		s.head = headf;
		s.money = moneyf;
		s.pct = pctf;
		fill[i](&s, r);
	}
	e = workbook_close(wb);
	if (e != LXW_NO_ERROR)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write "
		    "'%s': %s", path, lxw_strerror(e));
	return 0;
}
