/*
 * test_document.c - the document layer: the builder's blocks and what
 * it writes into cells.
 */
#include "test.h"

#include "document.h"

static void
test_table_spec_types(void)
{
	struct doc *d = doc_new();
	struct doc_table *t = doc_table(d, "Part|$Amount|#Days|%Share|@Month");

	CHECK_INT(t->ncols, 5);
	CHECK_STR(t->cols[0].title, "Part");
	CHECK_INT(t->cols[0].type, DOC_TEXT);
	CHECK_STR(t->cols[1].title, "Amount");
	CHECK_INT(t->cols[1].type, DOC_MONEY);
	CHECK_INT(t->cols[2].type, DOC_COUNT);
	CHECK_INT(t->cols[3].type, DOC_PERCENT);
	CHECK_STR(t->cols[4].title, "Month");
	CHECK_INT(t->cols[4].type, DOC_DATE);
	doc_free(d);
}

/* Money is grouped with 2 decimals whatever the amount's precision. */
static void
test_cells_written_once(void)
{
	struct doc *d = doc_new();
	struct doc_table *t = doc_table(d, "$A|$B|#C|%D|%E|F|G");

	doc_row(t, 0);
	doc_cell_money(t, 12345678901234LL);	/* 1234.5678901234 */
	doc_cell_money(t, -3200000000LL);	/* -0.32 */
	doc_cell_count(t, 19412);
	doc_cell_pct(t, -0.0, 1, 0);
	doc_cell_pct(t, 2.25, 1, 1);
	doc_cell_str(t, NULL);
	doc_cell_none(t);
	doc_cell_str(t, "one too many");	/* dropped */
	CHECK_STR(t->rows[0].cells[0].text, "1,234.57");
	CHECK_STR(t->rows[0].cells[1].text, "-0.32");
	CHECK_STR(t->rows[0].cells[2].text, "19412");
	CHECK_STR(t->rows[0].cells[3].text, "0.0%");
	CHECK_STR(t->rows[0].cells[4].text, "+2.2%");
	CHECK_STR(t->rows[0].cells[5].text, "-");
	CHECK_STR(t->rows[0].cells[6].text, "-");
	doc_free(d);
}

/* doc_add fills the paragraph or list item opened last. */
static void
test_spans_fill_open_block(void)
{
	struct doc *d = doc_new();

	doc_para(d, DOC_TONE_PLAIN);
	doc_add(d, DOC_STRONG, "%s USD", "76.99");
	doc_add(d, DOC_PLAIN, ", confidence %s", "low");
	doc_list(d, DOC_TONE_ALERT, "Too early");
	doc_item(d);
	doc_add(d, DOC_PLAIN, "a");
	doc_add(d, DOC_STRONG, "b");
	doc_point(d, "c %d", 2);
	CHECK_INT(d->nblocks, 2);
	CHECK_INT(d->blocks[0].kind, DOC_PARAGRAPH);
	CHECK_INT(d->blocks[0].text.nspans, 2);
	CHECK_STR(d->blocks[0].text.spans[0].text, "76.99 USD");
	CHECK_INT(d->blocks[0].text.spans[0].style, DOC_STRONG);
	CHECK_INT(d->blocks[1].kind, DOC_LIST);
	CHECK_STR(d->blocks[1].title, "Too early");
	CHECK_INT(d->blocks[1].nitems, 2);
	CHECK_INT(d->blocks[1].items[0].nspans, 2);
	CHECK_STR(d->blocks[1].items[1].spans[0].text, "c 2");
	doc_free(d);
}

/* Facts and figures in a row are one block; a heading between starts
 * another. */
static void
test_pairs_gather(void)
{
	struct doc *d = doc_new();

	doc_fact(d, "Payer", "%s", "123456789012");
	doc_fact(d, "Formats", "%s", "cur");
	doc_figure(d, DOC_STRONG, "Budget estimate", "76.99 USD", "range %s",
	    "67.82 to 93.15");
	doc_figure(d, DOC_GOOD, "Coverage", "100.00 %", "all");
	doc_heading(d, 2, "x", "X");
	doc_figure(d, DOC_PLAIN, "Again", "1", "one");
	CHECK_INT(d->nblocks, 4);
	CHECK_INT(d->blocks[0].nfacts, 2);
	CHECK_INT(d->blocks[1].nfigures, 2);
	CHECK_STR(d->blocks[1].figures[0].detail, "range 67.82 to 93.15");
	CHECK_STR(d->blocks[2].id, "x");
	CHECK_INT(d->blocks[3].nfigures, 1);
	doc_free(d);
}

static void
test_chart_series(void)
{
	struct doc *d = doc_new();
	struct doc_chart *c = doc_chart(d, DOC_CHART_CUMULATIVE, 32, "T",
	    "USD", "2026-10");
	struct doc_series *s;
	int j, zero = 1;

	doc_series(c, DOC_SERIES_LINE, "spent");
	s = doc_series(c, DOC_SERIES_BAND, "80 % range");
	for (j = 0; j < 32; j++)
		zero &= s->v[j] == 0 && s->hi[j] == 0;
	CHECK(zero);
	CHECK_INT(c->nseries, 2);
	CHECK_INT(c->split, 32);
	CHECK(c->series[0].hi == NULL);
	CHECK_INT(c->series[0].from, 0);
	CHECK_INT(c->series[0].to, 32);
	doc_chart_missing(c, "No chart: %s.", "no daily detail");
	CHECK_STR(c->missing, "No chart: no daily detail.");
	doc_free(d);
}

static void
test_width_counts_code_points(void)
{
	CHECK_INT(doc_width("±6.0%"), 5);
	CHECK_INT(doc_width(""), 0);
	CHECK_INT(doc_width(NULL), 0);
}

int
main(void)
{
	RUN(test_table_spec_types);
	RUN(test_cells_written_once);
	RUN(test_spans_fill_open_block);
	RUN(test_pairs_gather);
	RUN(test_chart_series);
	RUN(test_width_counts_code_points);
	TEST_END();
}
