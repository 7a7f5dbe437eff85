/*
 * document.h - a report as a document of blocks: headings, paragraphs,
 * lists, facts, key figures, tables with typed columns, and charts.
 *
 * One spec, several styles (SQLite's query-result formatter, curl's
 * backend table): report_document.c is the one place that reads the
 * report model and decides what to say (every wording, threshold and
 * choice of what to show); report_text.c, report_markdown.c and
 * report_html.c only lay the blocks out for their medium. A renderer
 * never formats a number of its own: money, counts and percentages are
 * written here (doc_cell_money and friends, doc_money), so every format
 * shows the same digits. JSON, CSV and XLSX are contracts of their own
 * and do not go through a document.
 *
 * Text in a document is plain text: a renderer escapes it for its
 * medium (Markdown punctuation, HTML entities), so customer text (names,
 * tags, warnings) can go in as it is.
 *
 * Ownership: a doc owns everything in it; every builder call copies the
 * strings it is given. doc_free() releases the lot. Builder calls that
 * add to a block (doc_add, doc_item, doc_row, doc_cell_*) add to the
 * block the last call opened. A pointer doc_table() or doc_chart()
 * returns is good until the next block is added.
 */
#ifndef PILVI_DOCUMENT_H
#define PILVI_DOCUMENT_H

#include <stdio.h>

#include "money.h"

#if defined(__GNUC__)
#define DOC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define DOC_PRINTF(f, a)
#endif

enum doc_kind {
	DOC_HEADING,		/* level 1-4; id: an anchor, or NULL */
	DOC_PARAGRAPH,		/* spans */
	DOC_LIST,		/* items of spans, an optional title */
	DOC_FACTS,		/* label: value (who and what a report is of) */
	DOC_FIGURES,		/* key figures: label, value, detail */
	DOC_TABLE,
	DOC_CHART
};

/* How a span or a cell reads: renderers map it to bold, colour or
 * nothing (plain text has no styles). */
enum doc_style {
	DOC_PLAIN,
	DOC_STRONG,		/* the figure a sentence is about */
	DOC_GOOD,		/* "reconciled to the cent" */
	DOC_BAD,		/* "does NOT reconcile", "unsupported" */
	DOC_MUTED		/* side remarks */
};

/* What a paragraph or list is: a renderer may frame a warning. */
enum doc_tone {
	DOC_TONE_PLAIN,
	DOC_TONE_MUTED,		/* explanations under a table */
	DOC_TONE_WARN,		/* worth a look (warnings from ingest) */
	DOC_TONE_ALERT		/* read this before the numbers */
};

/* A column's type: how renderers align it (numbers right). */
enum doc_type {
	DOC_TEXT,		/* may wrap */
	DOC_DATE,		/* YYYY-MM-DD, YYYY-MM: never wraps */
	DOC_MONEY,		/* grouped, 2 decimals */
	DOC_COUNT,
	DOC_PERCENT
};

struct doc_span {
	char *text;
	enum doc_style style;
};

/* A run of spans: a paragraph, a list item. */
struct doc_text {
	struct doc_span *spans;
	size_t nspans, cap;
};

struct doc_fact {
	char *label, *value;
};

struct doc_figure {
	char *label;		/* "Budget estimate" */
	char *value;		/* "224.33 USD": the same bytes everywhere */
	char *detail;		/* what the value is, in a sentence */
	enum doc_style style;	/* of the value */
};

struct doc_column {
	char *title;
	enum doc_type type;
};

struct doc_cell {
	char *text;		/* as shown; "-" for nothing */
	enum doc_style style;
};

struct doc_row {
	struct doc_cell *cells;	/* [ncols] */
	int total;		/* a total row (bold where there is bold) */
};

struct doc_table {
	struct doc_column *cols;
	size_t ncols;
	struct doc_row *rows;
	size_t nrows, cap;
};

enum doc_chart_kind {
	DOC_CHART_DAILY,	/* a bar a day, stacked by series */
	DOC_CHART_CUMULATIVE,	/* the month adding up: lines and a band */
	DOC_CHART_SHARE		/* one bar a label, by size */
};

enum doc_series_kind {
	DOC_SERIES_BAR,		/* stacked bars */
	DOC_SERIES_BAR_PROJECTED,	/* hatched bars */
	DOC_SERIES_LINE,	/* observed */
	DOC_SERIES_LINE_PROJECTED,	/* dashed */
	DOC_SERIES_BAND		/* between v and hi */
};

/* One series of a chart; points from..to-1 are drawn, the rest not. */
struct doc_series {
	char *name;		/* its legend entry */
	enum doc_series_kind kind;
	money_t *v;		/* [npoints] */
	money_t *hi;		/* [npoints], a band's upper edge; else NULL */
	int from, to;
	int rest;		/* the rest lumped together: a neutral colour */
};

/*
 * A chart. Daily and cumulative charts run over the days of a month
 * (point i is day i + 1 for daily, day i for cumulative, day 0 being
 * the month's start); a share chart has a label per point. Every series
 * is drawn and has its legend entry: the builder adds only series with
 * something to draw. A chart with `missing` set has no data; a renderer
 * that draws charts says that sentence instead.
 */
struct doc_chart {
	enum doc_chart_kind kind;
	char *title;		/* names the chart (alt text) */
	char *caption;
	char *missing;
	char *unit;		/* the currency */
	char *period;		/* YYYY-MM of a daily or cumulative chart */
	int npoints;
	char **labels;		/* share chart: [npoints] */
	money_t total;		/* share chart: what the shares are of */
	int split;		/* first projected day; npoints: none */
	struct doc_series *series;
	size_t nseries;
};

struct doc_block {
	enum doc_kind kind;
	int level;		/* heading: 1-4 */
	char *id;		/* heading: anchor or NULL */
	char *title;		/* heading text; list title or NULL */
	enum doc_tone tone;
	struct doc_text text;	/* paragraph */
	struct doc_text *items;	/* list */
	size_t nitems;
	struct doc_fact *facts;
	size_t nfacts;
	struct doc_figure *figures;
	size_t nfigures;
	struct doc_table table;
	struct doc_chart chart;
};

struct doc {
	struct doc_block *blocks;
	size_t nblocks, cap;
};

/* A new, empty document (free with doc_free; NULL is fine there). */
struct doc *doc_new(void);
void doc_free(struct doc *d);

void doc_heading(struct doc *d, int level, const char *id,
    const char *fmt, ...) DOC_PRINTF(4, 5);
/* Open a paragraph; doc_add() fills it. */
void doc_para(struct doc *d, enum doc_tone tone);
/* Open a list (title may be NULL); doc_item() opens each item and
 * doc_add() fills it. */
void doc_list(struct doc *d, enum doc_tone tone, const char *title);
void doc_item(struct doc *d);
/* Append a span to the open paragraph or list item. */
void doc_add(struct doc *d, enum doc_style style, const char *fmt, ...)
    DOC_PRINTF(3, 4);
/* A paragraph or list item of one span, in one call. */
void doc_say(struct doc *d, enum doc_tone tone, const char *fmt, ...)
    DOC_PRINTF(3, 4);
void doc_point(struct doc *d, const char *fmt, ...) DOC_PRINTF(2, 3);

/* label: value; consecutive calls make one block. */
void doc_fact(struct doc *d, const char *label, const char *fmt, ...)
    DOC_PRINTF(3, 4);
/* A key figure; consecutive calls make one block. */
void doc_figure(struct doc *d, enum doc_style style, const char *label,
    const char *value, const char *fmt, ...) DOC_PRINTF(5, 6);

/*
 * Open a table from a spec of '|'-separated column titles; a title may
 * start with a type mark: '$' money, '#' count, '%' percent, '@' date
 * (else text). "Part|$Amount". Rows follow with doc_row and one
 * doc_cell* call per column. The table is the document's (no free).
 */
struct doc_table *doc_table(struct doc *d, const char *spec);
void doc_row(struct doc_table *t, int total);
void doc_cell(struct doc_table *t, enum doc_style style, const char *fmt,
    ...) DOC_PRINTF(3, 4);
/* customer text as it is ("" and NULL show as "-") */
void doc_cell_str(struct doc_table *t, const char *s);
void doc_cell_money(struct doc_table *t, money_t v);
void doc_cell_count(struct doc_table *t, long long n);
/* a percentage with `places` decimals, with a sign when `sign` */
void doc_cell_pct(struct doc_table *t, double pct, int places, int sign);
/* nothing there: "-" */
void doc_cell_none(struct doc_table *t);

/* Open a chart of npoints points (the document's, no free). */
struct doc_chart *doc_chart(struct doc *d, enum doc_chart_kind kind,
    int npoints, const char *title, const char *unit, const char *period);
/* Add a series (values zeroed, drawn over every point); the series is
 * the chart's, and the pointer good until the next doc_series call. */
struct doc_series *doc_series(struct doc_chart *c, enum doc_series_kind kind,
    const char *name);
/* Say the chart's caption, or why there is no chart. */
void doc_chart_caption(struct doc_chart *c, const char *fmt, ...)
    DOC_PRINTF(2, 3);
void doc_chart_missing(struct doc_chart *c, const char *fmt, ...)
    DOC_PRINTF(2, 3);

/* Money as every renderer shows it: grouped, 2 decimals. Returns buf
 * (48 bytes suffice). */
const char *doc_money(char *buf, size_t n, money_t v);

/* Display width of UTF-8 text: code points (renderers align by it). */
size_t doc_width(const char *s);

/* The renderers: 0, or -1 when writing failed (check errno). */
int report_text_render(const struct doc *d, FILE *fp);
int report_markdown_render(const struct doc *d, FILE *fp);
int report_html_render(const struct doc *d, FILE *fp);

#endif
