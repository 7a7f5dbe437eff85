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
	doc_cells(t, doc_money(12345678901234LL).s,	/* 1234.5678901234 */
	    doc_money(-3200000000LL).s);		/* -0.32 */
	doc_cells(t, doc_count(19412).s, doc_pct(-0.0, 1, 0).s,
	    doc_pct(2.25, 1, 1).s, NULL, "", "one too many");	/* dropped */
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
	CHECK_INT(d->blocks[0].npairs, 2);
	CHECK(d->blocks[0].pairs[0].detail == NULL);
	CHECK_INT(d->blocks[1].npairs, 2);
	CHECK_STR(d->blocks[1].pairs[0].detail, "range 67.82 to 93.15");
	CHECK_STR(d->blocks[2].id, "x");
	CHECK_INT(d->blocks[3].npairs, 1);
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
	doc_chart_say(c, 1, "No chart: %s.", "no daily detail");
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

/* ---- renderers --------------------------------------------------------- */

typedef int (*render_fn)(const struct doc *, FILE *);

/* What fn makes of d (the caller frees). */
static char *
render(const struct doc *d, render_fn fn)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	CHECK(fp != NULL);
	CHECK_INT(fn(d, fp), 0);
	fclose(fp);
	return buf;
}

/* The widest line of s, in code points. */
static size_t
widest_line(const char *s)
{
	size_t best = 0;

	while (*s != '\0') {
		const char *nl = strchr(s, '\n');
		char *line = strndup(s, nl ? (size_t)(nl - s) : strlen(s));

		if (doc_width(line) > best)
			best = doc_width(line);
		free(line);
		s = nl ? nl + 1 : s + strlen(s);
	}
	return best;
}

static const char long_words[] = "the month is invoiced, but the data "
    "holds 1 of its 30 days: the totals are what the file holds, not the "
    "bill; services cover 136,300.88 of 136,300.88 in usage, fees and "
    "discounts (100.00 %)";

/* Paragraphs wrap at 80 columns; a table wraps its text to fit and
 * stays within 100 whatever its cells hold. */
static void
test_text_fits(void)
{
	struct doc *d = doc_new();
	struct doc_table *t;
	char *out;
	int i;

	doc_heading(d, 2, NULL, "1. Data status");
	doc_say(d, DOC_TONE_PLAIN, "%s", long_words);
	t = doc_table(d, "Payer|Note|$Total|File");
	for (i = 0; i < 3; i++) {
		doc_row(t, 0);
		doc_cells(t, "123456789012", long_words,
		    doc_money(13630088000000000LL).s, "/work/shared/samples/"
		    "XXXXXXXXXXXX-aws-billing-csv-2016-09.csv");
	}
	out = render(d, report_text_render);
	CHECK(widest_line(out) <= 100);
	CHECK(strstr(out, "1,363,008.80") != NULL);
	CHECK(strstr(out, "PAYER") != NULL);	/* a table, not records */
	/* the paragraph alone: 80 */
	CHECK(strstr(out, "  the month is invoiced") != NULL);
	free(out);
	doc_free(d);
	d = doc_new();
	doc_say(d, DOC_TONE_PLAIN, "%s %s", long_words, long_words);
	out = render(d, report_text_render);
	CHECK(widest_line(out) <= 80);
	free(out);
	doc_free(d);
}

/* report_text_render at 72 columns for an e-mail. */
static int
render_72(const struct doc *d, FILE *fp)
{
	return report_text_render_width(d, 72, 72, fp);
}

/* At a width of 72 nothing passes 72, a paragraph, a numbered list or a
 * table too wide for it (its long words broken); a numbered list's
 * marks are as wide as its widest, so items line up. */
static void
test_text_width_72(void)
{
	struct doc *d = doc_new();
	struct doc_table *t;
	char *out;
	int i;

	doc_say(d, DOC_TONE_PLAIN, "%s", long_words);
	doc_steps(d, DOC_TONE_PLAIN, NULL);
	for (i = 0; i < 10; i++)
		doc_point(d, "%s", long_words);
	t = doc_table(d, "Payer|Note|$Total|File");
	doc_row(t, 0);
	doc_cells(t, "123456789012", long_words,
	    doc_money(13630088000000000LL).s, "/work/shared/samples/"
	    "XXXXXXXXXXXX-aws-billing-csv-2016-09.csv");
	out = render(d, render_72);
	CHECK(widest_line(out) <= 72);
	CHECK(strstr(out, "PAYER") != NULL);	/* still a table */
	CHECK(strstr(out, "\n 1. the month is invoiced") != NULL);
	CHECK(strstr(out, "\n10. the month is invoiced") != NULL);
	/* a hanging indent under the mark */
	CHECK(strstr(out, "30 days: the\n    totals are") != NULL);
	free(out);
	/* the terminal's 80 columns are what the paragraph passes at 72 */
	out = render(d, report_text_render);
	CHECK(widest_line(out) > 72);
	free(out);
	doc_free(d);
}

/* A numbered list is one in every format. */
static void
test_numbered_list(void)
{
	struct doc *d = doc_new();
	char *out;

	doc_steps(d, DOC_TONE_PLAIN, NULL);
	doc_point(d, "first");
	doc_point(d, "second");
	doc_list(d, DOC_TONE_PLAIN, NULL);
	doc_point(d, "bullet");
	CHECK_INT(d->blocks[0].numbered, 1);
	CHECK_INT(d->blocks[1].numbered, 0);
	out = render(d, report_text_render);
	CHECK_STR(out, "1. first\n2. second\n\n- bullet\n");
	free(out);
	out = render(d, report_markdown_render);
	CHECK(strstr(out, "1. first\n2. second\n") != NULL);
	CHECK(strstr(out, "- bullet") != NULL);
	free(out);
	out = render(d, report_html_render);
	CHECK(strstr(out, "<ol>\n<li>first</li>\n<li>second</li>\n</ol>") !=
	    NULL);
	CHECK(strstr(out, "<ul>\n<li>bullet</li>\n</ul>") != NULL);
	free(out);
	doc_free(d);
}

/* A table that cannot fit 100 columns even wrapped is one record a row. */
static void
test_text_records(void)
{
	struct doc *d = doc_new();
	struct doc_table *t = doc_table(d, "$A|$B|$C|$D|$E|$F|$G|$H|$I|$J");
	char *out;
	int i;

	doc_row(t, 0);
	for (i = 0; i < 10; i++)
		doc_cells(t, doc_money(9000000000000000000LL).s);
	out = render(d, report_text_render);
	CHECK(widest_line(out) <= 100);
	CHECK(strstr(out, "J: 900,000,000.00") != NULL);
	free(out);
	doc_free(d);
}

/* Charts are the HTML's: text and Markdown leave them out. */
static void
test_charts_only_in_html(void)
{
	struct doc *d = doc_new();
	struct doc_chart *c = doc_chart(d, DOC_CHART_DAILY, 30, "Daily cost",
	    "USD", "2026-10");
	struct doc_series *s = doc_series(c, DOC_SERIES_BAR, "AmazonEC2");
	char *out;
	int n = 0;
	const char *p;

	s->v[0] = 10000000000LL;
	doc_chart_say(c, 0, "Complete days.");
	doc_chart_say(doc_chart(d, DOC_CHART_CUMULATIVE, 31, "T", "USD",
	    "2026-10"), 1, "No chart: no daily detail.");
	out = render(d, report_text_render);
	CHECK_STR(out, "");
	free(out);
	out = render(d, report_markdown_render);
	CHECK_STR(out, "");
	free(out);
	out = render(d, report_html_render);
	CHECK(strstr(out, "<svg") != NULL);
	CHECK(strstr(out, "No chart: no daily detail.") != NULL);
	/* one legend entry: the one series */
	for (p = out; (p = strstr(p, "<li>")) != NULL; p++)
		n++;
	CHECK_INT(n, 1);
	free(out);
	doc_free(d);
}

/* Customer text cannot become markup in either format. */
static void
test_escaping(void)
{
	struct doc *d = doc_new();
	struct doc_table *t;
	char *out;

	doc_heading(d, 2, "x", "1. Data status");
	doc_fact(d, "Account", "%s", "<script>alert(1)</script>");
	t = doc_table(d, "Name|$Cost");
	doc_row(t, 0);
	doc_cells(t, "a|b =HYPERLINK(\"http://x\")",
	    doc_money(-50000000000LL).s);
	out = render(d, report_markdown_render);
	CHECK(strstr(out, "## 1. Data status") != NULL);
	CHECK(strstr(out, "\\<script\\>") != NULL);
	CHECK(strstr(out, "a\\|b") != NULL);
	CHECK(strstr(out, "http\\://") != NULL);
	CHECK(strstr(out, "| -5.00 |") != NULL);
	free(out);
	out = render(d, report_html_render);
	CHECK(strstr(out, "<script>") == NULL);
	CHECK(strstr(out, "&lt;script&gt;") != NULL);
	CHECK(strstr(out, "http") == NULL);
	CHECK(strstr(out, "<h2 id=\"x\">") != NULL);
	free(out);
	doc_free(d);
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
	RUN(test_text_fits);
	RUN(test_text_records);
	RUN(test_text_width_72);
	RUN(test_numbered_list);
	RUN(test_charts_only_in_html);
	RUN(test_escaping);
	TEST_END();
}
