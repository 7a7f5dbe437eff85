/*
 * report_text.c - plain-text tables for the terminal: the files
 * registry and the billing periods, money right-aligned with thousands
 * separators.
 */
#include "report.h"

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

int
report_write_text(const struct report *r, FILE *fp)
{
	size_t i;
	int c;

	fprintf(fp, "pilvi-analyzer report, generated %s\n\n", r->generated_at);
	fputs("Files\n", fp);
	if (r->nfiles == 0)
		fputs("  none\n", fp);
	for (i = 0; i < r->nfiles; i++) {
		const struct report_file *f = &r->files[i];
		size_t w;

		fprintf(fp, "  #%lld %s: %s, payer %s, %s, %ld rows%s\n", f->id,
		    f->name, f->format, f->payer ? f->payer : "-",
		    f->period ? f->period : "-", f->rows,
		    strcmp(f->status, "ok") == 0 ? "" : " (replaced)");
		for (w = 0; w < f->nwarnings; w++)
			fprintf(fp, "      warning: %s\n", f->warnings[w]);
	}
	fputs("\nBilling periods\n", fp);
	if (r->nperiods == 0)
		fputs("  none\n", fp);
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
			fprintf(fp, ", %s to %s, %d day%s", p->first_day,
			    p->last_day, p->days_covered,
			    p->days_covered == 1 ? "" : "s");
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
	return ferror(fp) ? -1 : 0;
}
