/*
 * document.h - a report as a document of blocks: headings, paragraphs,
 * lists, facts, key figures, tables with typed columns, and charts.
 *
 * One spec, several styles (SQLite's query-result formatter, curl's
 * backend table): report_document.c is the one place that reads the
 * report model and decides what to say (every wording, threshold and
 * choice of what to show); report_text.c, report_markdown.c and
 * report_html.c only lay the blocks out for their medium. The model's
 * figures are written here, once (doc_money, doc_count, doc_pct: 2
 * decimals), so every format shows the same digits. JSON, CSV and XLSX
 * are contracts of their own and do not go through a document.
 *
 * Text in a document is plain: a renderer escapes it for its medium,
 * so customer text (names, tags, warnings) goes in as it is.
 *
 * Ownership: a doc owns everything in it; the builder copies every
 * string it is given, and doc_free() releases the lot. doc_add, doc_item,
 * doc_row, doc_cell and doc_cells add to the block opened last. A
 * pointer that doc_table() or doc_chart() returns is good until the next
 * block is added; one from doc_series() until the next series.
 */
#ifndef PILVI_DOCUMENT_H
#define PILVI_DOCUMENT_H

#include <stdio.h>

#include "money.h"

#define DOC_PRINTF(f, a) __attribute__((format(printf, f, a)))

enum doc_kind {
	DOC_HEADING,		/* level 1-4; id: an anchor, or NULL */
	DOC_PARAGRAPH,
	DOC_LIST,		/* items, a title or NULL; numbered or not */
	DOC_FACTS,		/* label: value (what the report is of) */
	DOC_FIGURES,		/* key figures: label, value, detail */
	DOC_TABLE,
	DOC_CHART
};

/* How a span or a cell reads; plain text has no styles. */
enum doc_style { DOC_PLAIN, DOC_STRONG, DOC_GOOD, DOC_BAD, DOC_MUTED };

/* What a paragraph or list is: a renderer may frame a warning. */
enum doc_tone { DOC_TONE_PLAIN, DOC_TONE_MUTED, DOC_TONE_WARN, DOC_TONE_ALERT };

/* A column's type: numbers are right-aligned, text may wrap. */
enum doc_type { DOC_TEXT, DOC_DATE, DOC_MONEY, DOC_COUNT, DOC_PERCENT };

/* A run of text in one style; a table's cell. */
struct doc_span {
	char *text;
	enum doc_style style;
};

/* A run of spans: a paragraph, a list item. */
struct doc_text {
	struct doc_span *spans;
	size_t nspans, cap;
};

/* A fact (detail NULL) or a key figure. */
struct doc_pair {
	char *label, *value;	/* value: the same bytes in every format */
	char *detail;		/* what the figure is, in a sentence */
	enum doc_style style;	/* of the value */
};

struct doc_column {
	char *title;
	enum doc_type type;
};

struct doc_row {
	struct doc_span *cells;	/* [ncols]; text as shown, "-" for nothing */
	int total;		/* a total row */
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
	DOC_CHART_SHARE		/* one bar a label */
};

enum doc_series_kind {
	DOC_SERIES_BAR, DOC_SERIES_BAR_PROJECTED,	/* hatched */
	DOC_SERIES_LINE, DOC_SERIES_LINE_PROJECTED,	/* dashed */
	DOC_SERIES_BAND					/* v to hi */
};

/* One series of a chart; points from..to-1 are drawn. */
struct doc_series {
	char *name;		/* its legend entry */
	enum doc_series_kind kind;
	money_t *v, *hi;	/* [npoints]; hi: a band's upper edge */
	int from, to;
	int rest;		/* the rest lumped together: a neutral colour */
};

/*
 * A chart. Daily and cumulative charts run over a month's days (point i
 * is day i + 1 of a daily chart, the end of day i of a cumulative one);
 * a share chart has a label a point. Every series is drawn and has its
 * legend entry: the builder adds only series with something to draw.
 * A chart with `missing` set has no data; a renderer that draws charts
 * says that sentence instead.
 */
struct doc_chart {
	enum doc_chart_kind kind;
	char *title, *caption, *missing;
	char *unit;		/* the currency */
	char *period;		/* YYYY-MM */
	int npoints;
	char **labels;		/* share chart: [npoints] */
	money_t total;		/* share chart: what the shares are of */
	int split;		/* first projected point; npoints: none */
	struct doc_series *series;
	size_t nseries;
};

struct doc_block {
	enum doc_kind kind;
	int level;		/* heading */
	char *id;		/* heading: anchor or NULL */
	char *title;		/* heading text; list title or NULL */
	enum doc_tone tone;
	struct doc_text text;	/* paragraph */
	struct doc_text *items;	/* list */
	size_t nitems;
	int numbered;		/* list: 1., 2., ... (steps, asks) */
	struct doc_pair *pairs;	/* facts, figures */
	size_t npairs;
	struct doc_table table;
	struct doc_chart chart;
};

struct doc {
	struct doc_block *blocks;
	size_t nblocks, cap;
};

struct doc *doc_new(void);
void doc_free(struct doc *d);

void doc_heading(struct doc *d, int level, const char *id,
    const char *fmt, ...) DOC_PRINTF(4, 5);
/* Open a paragraph, a list (title may be NULL) or a list item. */
void doc_para(struct doc *d, enum doc_tone tone);
void doc_list(struct doc *d, enum doc_tone tone, const char *title);
/* Open a numbered list: where the order or a reference matters ("the
 * asks below", "point 2"). */
void doc_steps(struct doc *d, enum doc_tone tone, const char *title);
void doc_item(struct doc *d);
/* Append a span to the open paragraph or list item. */
void doc_add(struct doc *d, enum doc_style style, const char *fmt, ...)
    DOC_PRINTF(3, 4);
/* A paragraph, or a list item, of one span. */
#define doc_say(d, tone, ...) \
	(doc_para(d, tone), doc_add(d, DOC_PLAIN, __VA_ARGS__))
#define doc_point(d, ...) (doc_item(d), doc_add(d, DOC_PLAIN, __VA_ARGS__))
/* A fact, a key figure; each run of them is one block. */
void doc_fact(struct doc *d, const char *label, const char *fmt, ...)
    DOC_PRINTF(3, 4);
void doc_figure(struct doc *d, enum doc_style style, const char *label,
    const char *value, const char *fmt, ...) DOC_PRINTF(5, 6);

/*
 * Open a table from '|'-separated column titles; a title may start with
 * a type mark: '$' money, '#' count, '%' percent, '@' date (else text):
 * "Part|$Amount". Then doc_row, and its cells in column order: doc_cells
 * with plain text (customer text as it is, NULL or "" shown as "-",
 * numbers from doc_money, doc_count or doc_pct), doc_cell with a style.
 */
struct doc_table *doc_table(struct doc *d, const char *spec);
void doc_row(struct doc_table *t, int total);
void doc_cell(struct doc_table *t, enum doc_style style, const char *fmt,
    ...) DOC_PRINTF(3, 4);
#define doc_cells(t, ...) doc_cells_((t), (const char *const[]){ __VA_ARGS__ },\
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))
void doc_cells_(struct doc_table *t, const char *const *v, size_t n);

/* Open a chart of npoints points; add series (zeroed, drawn over every
 * point) and say its caption, or why there is no chart (`missing`). */
struct doc_chart *doc_chart(struct doc *d, enum doc_chart_kind kind,
    int npoints, const char *title, const char *unit, const char *period);
struct doc_series *doc_series(struct doc_chart *c, enum doc_series_kind kind,
    const char *name);
void doc_chart_say(struct doc_chart *c, int missing, const char *fmt, ...)
    DOC_PRINTF(3, 4);

/* Numbers as every renderer shows them. The text is in the struct
 * returned, so doc_money(v).s lives to the end of the full expression
 * (C11 6.2.4): enough for an argument of a call. */
struct doc_num { char s[48]; };
struct doc_num doc_money(money_t v);	/* grouped, 2 decimals */
struct doc_num doc_count(long long n);
/* a percentage with `places` decimals, signed when `sign` */
struct doc_num doc_pct(double pct, int places, int sign);

/* Display width of UTF-8 text in code points (renderers align by it). */
size_t doc_width(const char *s);
/* Whether a column holds numbers (money, count, percent): right-aligned. */
int doc_numeric(enum doc_type type);

/* The renderers: 0, or -1 when writing failed (check errno). */
int report_text_render(const struct doc *d, FILE *fp);
int report_markdown_render(const struct doc *d, FILE *fp);
int report_html_render(const struct doc *d, FILE *fp);
/* Plain text aiming at `width` columns and passing `max_width` with no
 * line but a word longer than that (report_text_render: 80 and 100). */
int report_text_render_width(const struct doc *d, size_t width,
    size_t max_width, FILE *fp);

#endif
