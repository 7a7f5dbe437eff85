/*
 * report_xlsx.c - the billing-spreadsheet feed as an XLSX workbook
 * (libxlsxwriter): sheets Summary, Estimate, Inventory and Monthly (the
 * feed's rows, the CSV's columns in the CSV's order); money as numbers
 * with a #,##0.00 format, ids as text, the header row frozen, columns
 * sized, an autofilter on every table. Strings are written as strings,
 * never as formulas, so nothing from a customer's file can run.
 *
 * Exact decimals. A number cell of the sheet XML holds its value as
 * decimal text (<c r="L2" s="2"><v>9.89084532</v></c>). libxlsxwriter
 * takes a double and, in Debian bookworm's 1.1.4, prints it with
 * "%.16G" (utility.h's lxw_sprintf_dbl, unless the library was built
 * with its dtoa option, which Debian's is not, and which would still
 * print the double, not our decimal): 9.89 is stored as
 * 9.890000000000001 and 8459.14 as 8459.139999999999. The library has
 * no call that takes a number as text. So every number that is not a
 * small integer is recorded here with its exact decimal text (from
 * money_format_exact, never from a float), the workbook is written to a
 * temporary file, and its zip is copied member by member into the
 * output with each recorded cell's <v> replaced by that text; nothing
 * else in the workbook changes. A spreadsheet then reads the decimal
 * itself (Excel keeps 15 significant digits of it, as of any typed
 * number).
 */
#include "report.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "datetime.h"
#include "xalloc.h"

/* A number cell and the decimal text it must hold. */
struct exact_cell {
	unsigned sheet;		/* 1-based: xl/worksheets/sheetN.xml */
	lxw_row_t row;
	lxw_col_t col;
	char text[32];
};

struct exact_cells {
	struct exact_cell *v;
	size_t n, cap;
};

struct sheet {
	lxw_worksheet *ws;
	lxw_format *head, *money, *pct;
	unsigned index;		/* 1-based, in the order added */
	struct exact_cells *exact;
	int ncols;
	lxw_row_t row;
	double width[32];	/* widest cell per column, in characters */
};

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

	if (v == NULL || *v == '\0')
		return;		/* a blank cell, not an empty string */
	worksheet_write_string(s->ws, s->row, (lxw_col_t)c, v, NULL);
	w = (double)strlen(v) + 2;
	if (w > s->width[c])
		s->width[c] = w > 60 ? 60 : w;
}

/* A number given as decimal text: written as its nearest double, and
 * recorded so that the cell gets the text itself (see the top). */
static void
cell_decimal(struct sheet *s, int c, const char *text, lxw_format *f)
{
	struct exact_cells *x = s->exact;
	struct exact_cell *e;

	worksheet_write_number(s->ws, s->row, (lxw_col_t)c,
	    strtod(text, NULL), f);
	x->v = xgrow(x->v, &x->cap, x->n + 1, sizeof(*x->v));
	e = &x->v[x->n++];
	e->sheet = s->index;
	e->row = s->row;
	e->col = (lxw_col_t)c;
	snprintf(e->text, sizeof(e->text), "%s", text);
}

/* Money at the precision it has (places 10), or rounded to places. */
static void
cell_money(struct sheet *s, int c, money_t v, int places)
{
	char text[48];

	money_format_exact(text, sizeof(text), money_round(v, places), 2);
	cell_decimal(s, c, text, s->money);
	if (s->width[c] < 14)
		s->width[c] = 14;
}

/* Integers print exactly with "%.16G". */
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
	static const char *const cols[] = { "customer_id", "customer_name",
	    "payer_account", "month", "month_status", "first_day", "last_day",
	    "days_covered", "as_of", "source", "currency", "total",
	    "statement_total", "reconciled" };
	size_t i;

	head(s, cols, 14);
	for (i = 0; i < r->nperiods; i++, s->row++) {
		const struct report_period *p = &r->periods[i];
		const char *id, *name;

		report_customer_of(r, p->payer, &id, &name);
		cell_text(s, 0, id);
		cell_text(s, 1, name);
		cell_text(s, 2, p->payer);
		cell_text(s, 3, p->period);
		cell_text(s, 4, p->estimated ? "open" : "final");
		cell_text(s, 5, p->first_day);
		cell_text(s, 6, p->last_day);
		cell_int(s, 7, p->days_covered);
		cell_text(s, 8, p->as_of);
		cell_text(s, 9, p->format);
		cell_text(s, 10, p->currency);
		cell_money(s, 11, p->total, MONEY_PLACES);
		if (p->has_statement)
			cell_money(s, 12, p->statement, MONEY_PLACES);
		cell_text(s, 13, p->reconciled < 0 ? "no total rows" :
		    p->reconciled ? "yes" : "no");
	}
	finish(s);
}

/* A percentage with one decimal, as every report prints it. */
static void
cell_pct1(struct sheet *s, int c, double v)
{
	char text[32];

	snprintf(text, sizeof(text), "%.1f", v);
	cell_decimal(s, c, text, NULL);
}

/* The estimate's figures are projections: to the cent, as reported. */
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
		cell_money(s, 7, p->amount, 2);
		cell_money(s, 8, p->low, 2);
		cell_money(s, 9, p->high, 2);
		cell_money(s, 10, p->usage_observed, 2);
		cell_money(s, 11, p->usage_projected, 2);
		cell_money(s, 12, p->month_charges + p->fees_daily +
		    p->fees_daily_projected, 2);
		cell_money(s, 13, p->fees_expected, 2);
		cell_money(s, 14, p->one_time, 2);
		cell_money(s, 15, p->tax, 2);
		cell_money(s, 16, p->credits, 2);
		cell_money(s, 17, p->refunds, 2);
		cell_money(s, 18, p->naive, 2);
		cell_money(s, 19, p->run_rate, 2);
		cell_pct1(s, 20, p->typical_error);
		cell_money(s, 21, p->month_charges, 2);
		cell_money(s, 22, p->fees_daily + p->fees_daily_projected, 2);
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
		char regions[512] = "", share[48];
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
		cell_money(s, 12, v->cost, MONEY_PLACES);
		/* basis points as a fraction, exactly: 9259 -> 0.9259 */
		money_format_exact(share, sizeof(share), (money_t)v->share_bp *
		    (MONEY_SCALE / 10000), 0);
		cell_decimal(s, 13, share, s->pct);
		cell_text(s, 14, v->support);
	}
	finish(s);
}

/* The feed's rows and columns, as the CSV has them (report_csv.c). */
static void
monthly(struct sheet *s, const struct report *r)
{
	struct report_feed_row *rows;
	size_t n = report_feed(r, &rows), i;

	head(s, report_feed_columns, REPORT_FEED_NCOLUMNS);
	for (i = 0; i < n; i++, s->row++) {
		const struct report_feed_row *f = &rows[i];

		cell_int(s, 0, REPORT_FEED_SCHEMA);
		cell_text(s, 1, f->kind);
		cell_text(s, 2, f->customer_id);
		cell_text(s, 3, f->customer_name);
		cell_text(s, 4, f->payer);
		cell_text(s, 5, f->account);
		cell_text(s, 6, f->account_name);
		cell_text(s, 7, f->month);
		cell_text(s, 8, f->month_status);
		cell_int(s, 9, f->days_covered);
		cell_text(s, 10, f->as_of);
		cell_text(s, 11, f->source);
		cell_text(s, 12, f->service_code);
		cell_text(s, 13, f->service_name);
		cell_text(s, 14, f->support);
		cell_text(s, 15, f->charge_class);
		cell_text(s, 16, f->currency);
		cell_money(s, 17, f->amount, MONEY_PLACES);
		if (f->is_estimate) {
			cell_money(s, 18, f->low, MONEY_PLACES);
			cell_money(s, 19, f->high, MONEY_PLACES);
			cell_pct1(s, 20, f->typical_error);
		}
	}
	free(rows);
	finish(s);
}

/* ---- the exact decimals, put into the written workbook ------------- */

static int
cmp_cell(const void *pa, const void *pb)
{
	const struct exact_cell *a = pa, *b = pb;

	if (a->sheet != b->sheet)
		return a->sheet < b->sheet ? -1 : 1;
	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

/* "AB12" -> column 27, row 11 (both 0-based); 0, or -1 when it is not a
 * cell reference. */
static int
parse_ref(const char *p, const char *end, lxw_row_t *row, lxw_col_t *col)
{
	unsigned long c = 0, r = 0;

	if (p == end || *p < 'A' || *p > 'Z')
		return -1;
	for (; p < end && *p >= 'A' && *p <= 'Z'; p++)
		c = c * 26 + (unsigned long)(*p - 'A' + 1);
	if (p == end)
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		r = r * 10 + (unsigned long)(*p - '0');
	if (p != end || r == 0 || c == 0 || c > LXW_COL_MAX ||
	    r > LXW_ROW_MAX)
		return -1;
	*row = (lxw_row_t)(r - 1);
	*col = (lxw_col_t)(c - 1);
	return 0;
}

static void
buf_add(char **b, size_t *len, size_t *cap, const char *s, size_t n)
{
	*b = xgrow(*b, cap, *len + n + 1, 1);
	memcpy(*b + *len, s, n);
	*len += n;
}

/*
 * The sheet XML xml[0..n) with the <v> of each recorded cell of `sheet`
 * replaced by its text. Returns a new buffer (caller frees), *outlen
 * its length. The cells are sorted (cmp_cell).
 */
static char *
exact_sheet(const char *xml, size_t n, unsigned sheet,
    const struct exact_cells *x, size_t *outlen)
{
	static const char open[] = "<c r=\"";
	const char *p = xml, *end = xml + n;
	char *out = NULL;
	size_t len = 0, cap = 0;

	for (;;) {
		const char *c = p, *ref, *q, *v, *ve;
		struct exact_cell key, *hit;

		while (c + sizeof(open) - 1 <= end && memcmp(c, open,
		    sizeof(open) - 1) != 0)
			c++;
		if (c + sizeof(open) - 1 > end)
			break;
		ref = c + sizeof(open) - 1;
		q = memchr(ref, '"', (size_t)(end - ref));
		v = q != NULL ? memchr(q, '>', (size_t)(end - q)) : NULL;
		if (v == NULL)
			break;
		memset(&key, 0, sizeof(key));
		key.sheet = sheet;
		/* <c r="A1" .../> holds nothing; a value is "<v>...</v>";
		 * no recorded cell (x->v NULL), nothing to search */
		if (x->n == 0 || v[-1] == '/' || end - v < 4 ||
		    memcmp(v + 1, "<v>", 3) != 0 ||
		    parse_ref(ref, q, &key.row, &key.col) != 0 ||
		    (ve = memchr(v + 4, '<', (size_t)(end - v - 4))) == NULL ||
		    (hit = bsearch(&key, x->v, x->n, sizeof(*x->v),
		    cmp_cell)) == NULL) {
			buf_add(&out, &len, &cap, p, (size_t)(v + 1 - p));
			p = v + 1;
			continue;
		}
		buf_add(&out, &len, &cap, p, (size_t)(v + 4 - p));
		buf_add(&out, &len, &cap, hit->text, strlen(hit->text));
		p = ve;
	}
	buf_add(&out, &len, &cap, p, (size_t)(end - p));
	*outlen = len;
	return out;
}

/* N of "xl/worksheets/sheetN.xml", or 0. */
static unsigned
sheet_number(const char *name)
{
	static const char pre[] = "xl/worksheets/sheet";
	char *end;
	unsigned long k;

	if (name == NULL || strncmp(name, pre, sizeof(pre) - 1) != 0)
		return 0;
	k = strtoul(name + sizeof(pre) - 1, &end, 10);
	return strcmp(end, ".xml") == 0 && k > 0 && k < 256 ? (unsigned)k : 0;
}

static const char *
arch_why(struct archive *a)
{
	const char *s = archive_error_string(a);

	return s != NULL ? s : "unknown error";
}

/*
 * Copy the zip at raw to path, member by member in the same order, each
 * sheet with its recorded cells made exact. Members get mode 0644 and
 * no time (libarchive then writes 1980-01-01, as libxlsxwriter does),
 * so the bytes do not depend on the clock or the time zone.
 */
static int
exact_copy(const char *raw, const char *path, const struct exact_cells *x,
    struct pv_error *err)
{
	struct archive *in = archive_read_new(), *out = archive_write_new();
	struct archive_entry *e, *ne = NULL;
	char *data = NULL, *fixed = NULL;
	size_t cap = 0;
	int rc = -1, st;

	if (in == NULL || out == NULL) {
		pv_error_set(err, PV_ERR_FATAL, NULL, 0, "out of memory");
		goto out;
	}
	if (archive_read_support_format_zip_seekable(in) != ARCHIVE_OK ||
	    archive_read_open_filename(in, raw, 65536) != ARCHIVE_OK) {
		pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot read back "
		    "the workbook '%s': %s", raw, arch_why(in));
		goto out;
	}
	if (archive_write_set_format_zip(out) != ARCHIVE_OK ||
	    archive_write_zip_set_compression_deflate(out) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(out, 1) != ARCHIVE_OK ||
	    archive_write_open_filename(out, path) != ARCHIVE_OK)
		goto write_error;
	while ((st = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		size_t len = 0, flen;
		la_ssize_t got;
		unsigned sheet = sheet_number(name);
		const char *body;

		for (;;) {
			data = xgrow(data, &cap, len + 65536, 1);
			got = archive_read_data(in, data + len, 65536);
			if (got < 0) {
				pv_error_set(err, PV_ERR_FATAL, NULL, 0,
				    "cannot read back the workbook '%s': %s",
				    raw, arch_why(in));
				goto out;
			}
			if (got == 0)
				break;
			len += (size_t)got;
		}
		/* every part libxlsxwriter writes holds XML: an empty one
		 * is a write that failed unseen (it does not check its
		 * temporary files' writes), and the workbook is broken */
		if (len == 0) {
			pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write "
			    "'%s': the workbook's part '%s' came out empty (a "
			    "full disk?)", path, name);
			goto out;
		}
		body = data;
		flen = len;
		if (sheet > 0) {
			free(fixed);
			fixed = exact_sheet(data, len, sheet, x, &flen);
			body = fixed;
		}
		if ((ne = archive_entry_new()) == NULL) {
			pv_error_set(err, PV_ERR_FATAL, NULL, 0, "out of "
			    "memory");
			goto out;
		}
		archive_entry_set_pathname(ne, name);
		archive_entry_set_filetype(ne, AE_IFREG);
		archive_entry_set_perm(ne, 0644);
		archive_entry_set_size(ne, (la_int64_t)flen);
		if (archive_write_header(out, ne) != ARCHIVE_OK ||
		    (flen > 0 && archive_write_data(out, body, flen) !=
		    (la_ssize_t)flen))
			goto write_error;
		archive_entry_free(ne);
		ne = NULL;
	}
	if (st != ARCHIVE_EOF) {
		pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot read back the "
		    "workbook '%s': %s", raw, arch_why(in));
		goto out;
	}
	if (archive_write_close(out) != ARCHIVE_OK)
		goto write_error;
	rc = 0;
	goto out;
write_error:
	pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write '%s': %s", path,
	    archive_errno(out) > 0 ? strerror(archive_errno(out)) :
	    arch_why(out));
out:
	archive_entry_free(ne);
	archive_read_free(in);
	archive_write_free(out);
	free(data);
	free(fixed);
	return rc;
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
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	struct exact_cells exact = { NULL, 0, 0 };
	lxw_workbook *wb;
	lxw_format *headf, *moneyf, *pctf;
	lxw_error e;
	size_t n = strlen(path) + 16;
	char *raw = xmalloc(n);
	int fd, rc = -1;
	unsigned i;

	/* the library's workbook, beside the output, before the copy */
	snprintf(raw, n, "%s.raw.XXXXXX", path);
	if ((fd = mkstemp(raw)) < 0) {
		pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write '%s': "
		    "%s", path, strerror(errno));
		free(raw);
		free(dir);
		return -1;
	}
	close(fd);
	/* the library's temporary parts beside the output too, not in
	 * TMPDIR: one disk to have room, the one the user chose */
	if (slash != NULL)
		*slash = '\0';
	opt.tmpdir = slash != NULL ? (slash == dir ? "/" : dir) : ".";
	if ((wb = workbook_new_opt(raw, &opt)) == NULL) {
		pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write '%s'",
		    path);
		goto out;
	}
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
		s.index = i + 1;
		s.exact = &exact;
		fill[i](&s, r);
	}
	e = workbook_close(wb);
	if (e != LXW_NO_ERROR) {
		pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write '%s': %s",
		    path, lxw_strerror(e));
		goto out;
	}
	if (exact.n > 1)
		qsort(exact.v, exact.n, sizeof(*exact.v), cmp_cell);
	rc = exact_copy(raw, path, &exact, err);
out:
	unlink(raw);
	free(raw);
	free(dir);
	free(exact.v);
	return rc;
}
