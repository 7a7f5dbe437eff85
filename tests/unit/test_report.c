/*
 * test_report.c - the billing-spreadsheet feed against the report: the
 * totals agree everywhere, and the workbook holds the exact decimals.
 *
 * For every public sample (../shared/samples, skipped when absent) and
 * every fixture format, the report's period totals, the inventory's
 * services plus the lines of no service, the CSV feed's actual rows
 * summed per payer and month (read back with csvread, amounts parsed
 * with money_parse) and the XLSX Summary's totals (read back from the
 * zip with libarchive) are equal: to the last unit, hence to the cent.
 * The feed keeps full precision, so no rounding row is needed for that.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>

#include "test.h"

#include "csvread.h"
#include "error.h"
#include "ingest.h"
#include "money.h"
#include "report.h"
#include "store.h"
#include "xalloc.h"

#define TEST_NAME "test_report"
#include "helpers.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the CSV feed, read back ---------------------------------------- */

struct feed_sum {
	char payer[64], month[16];
	money_t sum;
};

struct feed_read {
	int header_ok;
	long rows, estimates;
	struct feed_sum sums[64];
	size_t nsums;
	char **amounts;			/* every row's amount text, in order */
	size_t namounts;
	int bad;			/* an amount that did not parse */
};

static int
on_feed(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	struct feed_read *f = ctx;
	const char *kind, *payer, *month, *amount;
	money_t v;
	size_t i;
	int c;

	(void)err;
	if (rec->line == 1) {
		f->header_ok = rec->nfields == REPORT_FEED_NCOLUMNS;
		for (c = 0; f->header_ok && c < REPORT_FEED_NCOLUMNS; c++)
			f->header_ok = strcmp(rec->fields[c].ptr,
			    report_feed_columns[c]) == 0;
		return 0;
	}
	if (rec->nfields != REPORT_FEED_NCOLUMNS) {
		f->bad = 1;
		return 0;
	}
	kind = rec->fields[1].ptr;
	payer = rec->fields[4].ptr;
	month = rec->fields[7].ptr;
	amount = rec->fields[17].ptr;
	f->amounts = xrealloc(f->amounts, (f->namounts + 1) *
	    sizeof(*f->amounts));
	f->amounts[f->namounts++] = xstrdup(amount);
	if (money_parse(amount, strlen(amount), &v, NULL) != MONEY_OK) {
		f->bad = 1;
		return 0;
	}
	f->rows++;
	if (strcmp(kind, "estimate") == 0) {
		f->estimates++;
		return 0;
	}
	for (i = 0; i < f->nsums; i++)
		if (strcmp(f->sums[i].payer, payer) == 0 &&
		    strcmp(f->sums[i].month, month) == 0)
			break;
	if (i == f->nsums) {
		if (f->nsums == NELEM(f->sums)) {
			f->bad = 1;
			return 0;
		}
		snprintf(f->sums[i].payer, sizeof(f->sums[i].payer), "%s",
		    payer);
		snprintf(f->sums[i].month, sizeof(f->sums[i].month), "%s",
		    month);
		f->sums[i].sum = 0;
		f->nsums++;
	}
	if (money_add(&f->sums[i].sum, v) != 0)
		f->bad = 1;
	return 0;
}

static void
read_feed(const char *text, size_t len, struct feed_read *f)
{
	struct csvread *r = csvread_new("feed.csv", NULL, on_feed, f);
	struct pv_error err;

	pv_error_clear(&err);
	CHECK_INT(csvread_feed(r, text, len, &err), 0);
	CHECK_INT(csvread_finish(r, &err), 0);
	csvread_free(r);
}

static void
feed_release(struct feed_read *f)
{
	size_t i;

	for (i = 0; i < f->namounts; i++)
		free(f->amounts[i]);
	free(f->amounts);
}

/* ---- the workbook, read back ----------------------------------------- */

/* The member `name` of the zip at path, NUL-terminated (caller frees),
 * or NULL. */
static char *
zip_member(const char *path, const char *name)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	la_ssize_t got;

	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		archive_read_free(a);
		return NULL;
	}
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		if (strcmp(archive_entry_pathname(e), name) != 0)
			continue;
		for (;;) {
			buf = xgrow(buf, &cap, len + 65537, 1);
			got = archive_read_data(a, buf + len, 65536);
			if (got <= 0)
				break;
			len += (size_t)got;
		}
		buf[len] = '\0';
		break;
	}
	archive_read_free(a);
	return buf;
}

/* The <v> text of cell ref ("L2") in a sheet's XML, copied to out;
 * 0, or -1 when the cell holds no value. */
static int
cell_value(const char *xml, const char *ref, char *out, size_t n)
{
	char key[32];
	const char *p, *v, *ve;

	snprintf(key, sizeof(key), "<c r=\"%s\"", ref);
	if ((p = strstr(xml, key)) == NULL || (v = strchr(p, '>')) == NULL ||
	    v[-1] == '/' || strncmp(v + 1, "<v>", 3) != 0 ||
	    (ve = strstr(v, "</v>")) == NULL || (size_t)(ve - v - 4) >= n)
		return -1;
	memcpy(out, v + 4, (size_t)(ve - v - 4));
	out[ve - v - 4] = '\0';
	return 0;
}

/* Significant digits of a number's text: "0.0700000000000001" has 16. */
static int
mantissa_digits(const char *s)
{
	int n = 0, lead = 1;

	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (lead && *s == '0')
			continue;
		lead = 0;
		n++;
	}
	return n;
}

/* Every <v> of a sheet: no double's 16-digit tail (the money texts of
 * these inputs have at most 13 significant digits). */
static int
long_values(const char *xml)
{
	const char *p = xml, *ve;
	char v[64];
	int bad = 0;

	while ((p = strstr(p, "<v>")) != NULL) {
		p += 3;
		if ((ve = strstr(p, "</v>")) == NULL)
			break;
		snprintf(v, sizeof(v), "%.*s", (int)(ve - p), p);
		if (mantissa_digits(v) >= 15) {
			fprintf(stderr, "  long value %s\n", v);
			bad++;
		}
		p = ve;
	}
	return bad;
}

/* ---- the test -------------------------------------------------------- */

static void
check_one(const char *name, int *checked)
{
	struct report_options o;
	struct report *r = NULL;
	struct store *st = mem_store();
	struct pv_error err;
	struct feed_read f;
	char *text = NULL, *summary = NULL, *lines = NULL, xlsx[256];
	size_t len = 0, i, k;
	FILE *mem;

	memset(&f, 0, sizeof(f));
	if (ingest(st, name) != 0) {
		store_close(st);
		return;
	}
	memset(&o, 0, sizeof(o));
	pv_error_clear(&err);
	CHECK_INT(report_build(st, &o, &r, &err), 0);
	if (r == NULL) {
		store_close(st);
		return;
	}
	mem = open_memstream(&text, &len);
	CHECK_INT(report_write_csv(r, mem), 0);
	fclose(mem);
	read_feed(text, len, &f);
	CHECK(f.header_ok);
	CHECK(!f.bad);

	snprintf(xlsx, sizeof(xlsx), "%s/feed.xlsx", tdir);
	CHECK_INT(report_write_xlsx(r, xlsx, &err), 0);
	summary = zip_member(xlsx, "xl/worksheets/sheet1.xml");
	lines = zip_member(xlsx, "xl/worksheets/sheet4.xml");
	CHECK(summary != NULL && lines != NULL);
	for (k = 1; k <= 4; k++) {
		char member[64], *xml;

		snprintf(member, sizeof(member), "xl/worksheets/sheet%zu.xml",
		    k);
		xml = zip_member(xlsx, member);
		CHECK(xml != NULL && long_values(xml) == 0);
		free(xml);
	}

	for (i = 0; summary != NULL && i < r->nperiods; i++) {
		const struct report_period *p = &r->periods[i];
		money_t feed = 0, cell = 0, inv;
		char ref[16], v[64];
		int found = 0;

		for (k = 0; k < f.nsums; k++)
			if (strcmp(f.sums[k].payer, p->payer) == 0 &&
			    strcmp(f.sums[k].month, p->period) == 0) {
				feed = f.sums[k].sum;
				found = 1;
			}
		/* the Summary lists the periods in the report's order; its
		 * total is column L */
		snprintf(ref, sizeof(ref), "L%zu", i + 2);
		CHECK_INT(cell_value(summary, ref, v, sizeof(v)), 0);
		CHECK_INT(money_parse(v, strlen(v), &cell, NULL), MONEY_OK);
		CHECK(found || p->total == 0);
		CHECK_INT(feed, p->total);
		CHECK_INT(cell, p->total);
		CHECK_INT(money_round(feed, 2), money_round(p->total, 2));
		CHECK_INT(money_round(cell, 2), money_round(p->total, 2));
		if (p->has_coverage) {
			inv = p->services + p->by_class[CHARGE_TAX] +
			    p->by_class[CHARGE_CREDIT] +
			    p->by_class[CHARGE_REFUND] +
			    p->by_class[CHARGE_ROUNDING];
			CHECK_INT(inv, p->total);
		}
		if (feed != p->total || cell != p->total)
			fprintf(stderr, "  %s: %s %s\n", name, p->payer,
			    p->period);
		(*checked)++;
	}
	/* the line sheet's amounts are the CSV's, digit for digit */
	for (i = 0; lines != NULL && i < f.namounts; i++) {
		char ref[16], v[64];

		snprintf(ref, sizeof(ref), "R%zu", i + 2);
		CHECK_INT(cell_value(lines, ref, v, sizeof(v)), 0);
		CHECK_STR(v, f.amounts[i]);
	}
	unlink(xlsx);
	free(summary);
	free(lines);
	free(text);
	feed_release(&f);
	report_free(r);
	store_close(st);
}

static void
test_feed_totals_agree(void)
{
	static const char *const samples[] = {
		"XXXXXXXXXXXX-aws-billing-csv-2016-09.csv",
		"cost-allocation-single-account-2013-11.csv",
		"cur-2018-02.csv.gz", "cur2-mock-2024-09.csv.gz",
		"dbr-rt-consolidated-2014-09.csv",
		"dbr-rt-single-account-2015-09.csv",
		"focus-1.0-sample-2024-09.csv"
	};
	static const char *const fixtures[] = {
		"fixtures/cur.csv", "fixtures/cur2.csv", "fixtures/dbr.csv",
		"fixtures/dbr-rt-single.csv", "fixtures/focus.csv",
		"fixtures/monthly-consolidated.csv",
		"fixtures/monthly-consolidated-v2.csv",
		"fixtures/cost-allocation.csv", "fixtures/hostile-names.csv",
		"fixtures/demo/123456789012-aws-billing-detailed-line-items-"
		"with-resources-and-tags-2026-10.csv"
	};
	char path[1024];
	size_t i;
	int checked = 0, nsamples = 0;

	for (i = 0; i < NELEM(fixtures); i++)
		check_one(fixtures[i], &checked);
	CHECK(checked >= (int)NELEM(fixtures));
	for (i = 0; i < NELEM(samples); i++) {
		if (sample_path(samples[i], path, sizeof(path)) == NULL)
			continue;
		nsamples++;
		check_one(path, &checked);
	}
	if (nsamples == 0)
		SKIP("../shared/samples absent: fixtures only");
	CHECK(checked >= (int)(NELEM(fixtures) + NELEM(samples)));
}

/* An open month gets one estimate row after its actual rows, a final
 * one none; the rows carry the period's status, days and as-of. */
static void
test_feed_estimate_rows(void)
{
	struct report_options o;
	struct report *r = NULL;
	struct report_feed_row *rows = NULL;
	struct store *st = mem_store();
	struct pv_error err;
	size_t n, i, est = 0;

	ingest(st, "fixtures/cur.csv");
	memset(&o, 0, sizeof(o));
	o.customer = "Acme Oy";
	o.customer_id = "C-17";
	pv_error_clear(&err);
	CHECK_INT(report_build(st, &o, &r, &err), 0);
	if (r == NULL) {
		store_close(st);
		return;
	}
	n = report_feed(r, &rows);
	CHECK(n > 1);
	for (i = 0; i < n; i++) {
		CHECK_STR(rows[i].customer_id, "C-17");
		CHECK_STR(rows[i].customer_name, "Acme Oy");
		CHECK_STR(rows[i].month_status, "open");
		CHECK_STR(rows[i].as_of, "2026-10-03T01:00:00Z");
		CHECK_STR(rows[i].source, "cur");
		CHECK_INT(rows[i].days_covered, 3);
		if (rows[i].is_estimate) {
			est++;
			CHECK_INT(i, n - 1);
			CHECK_STR(rows[i].kind, "estimate");
			CHECK(rows[i].charge_class == NULL);
			CHECK(rows[i].low <= rows[i].amount &&
			    rows[i].amount <= rows[i].high);
			CHECK_INT(rows[i].amount % (MONEY_SCALE / 100), 0);
		} else
			CHECK_STR(rows[i].kind, "actual");
	}
	CHECK_INT(est, 1);
	free(rows);
	/* the drop folder's customer of a payer wins over the default */
	report_set_customer(r, "777777777777", NULL, "Other Oy");
	n = report_feed(r, &rows);
	CHECK_STR(rows[0].customer_id, "");
	CHECK_STR(rows[0].customer_name, "Other Oy");
	free(rows);
	report_free(r);
	store_close(st);

	/* a final month: its rows are the bill, no estimate */
	st = mem_store();
	ingest(st, "fixtures/cur2.csv");
	memset(&o, 0, sizeof(o));
	CHECK_INT(report_build(st, &o, &r, &err), 0);
	if (r == NULL) {
		store_close(st);
		return;
	}
	n = report_feed(r, &rows);
	CHECK_INT(n, 2);
	for (i = 0; i < n; i++) {
		CHECK(!rows[i].is_estimate);
		CHECK_STR(rows[i].month_status, "final");
		CHECK_STR(rows[i].as_of, "2026-10-01T00:00:00Z");
		CHECK_STR(rows[i].customer_name, "");
	}
	free(rows);
	report_free(r);
	store_close(st);
}

/* A database with no bill yet: the workbook is written all the same,
 * its sheets with headers and no amount to make exact (the rewrite of
 * the sheets searched an empty list: bsearch on NULL, which UBSan
 * stops in make SANITIZE=address,undefined test). */
static void
test_xlsx_empty(void)
{
	struct report_options o;
	struct report *r = NULL;
	struct store *st = mem_store();
	struct pv_error err;
	char xlsx[256], *summary;

	memset(&o, 0, sizeof(o));
	pv_error_clear(&err);
	CHECK_INT(report_build(st, &o, &r, &err), 0);
	if (r == NULL) {
		store_close(st);
		return;
	}
	CHECK_INT(r->nperiods, 0);
	snprintf(xlsx, sizeof(xlsx), "%s/empty.xlsx", tdir);
	CHECK_INT(report_write_xlsx(r, xlsx, &err), 0);
	summary = zip_member(xlsx, "xl/worksheets/sheet1.xml");
	CHECK(summary != NULL);
	free(summary);
	unlink(xlsx);
	report_free(r);
	store_close(st);
}

int
main(void)
{
	if (mkdtemp(tdir) == NULL) {
		fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
		return 2;
	}
	RUN(test_feed_totals_agree);
	RUN(test_feed_estimate_rows);
	RUN(test_xlsx_empty);
	cleanup();
	TEST_END();
}
