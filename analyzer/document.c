/*
 * document.c - the document's blocks and its builder: every string is
 * copied in, every number written out here (see document.h).
 */
#include "document.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* printf into a new string (the caller's). */
static char *
vformat(const char *fmt, va_list ap)
{
	va_list aq;
	char *s;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return xstrdup("");
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

struct doc *
doc_new(void)
{
	return xcalloc(1, sizeof(struct doc));
}

static void
text_release(struct doc_text *t)
{
	size_t i;

	for (i = 0; i < t->nspans; i++)
		free(t->spans[i].text);
	free(t->spans);
}

static void
chart_release(struct doc_chart *c)
{
	size_t i;

	free(c->title);
	free(c->caption);
	free(c->missing);
	free(c->unit);
	free(c->period);
	for (i = 0; c->labels != NULL && i < (size_t)c->npoints; i++)
		free(c->labels[i]);
	free(c->labels);
	for (i = 0; i < c->nseries; i++) {
		free(c->series[i].name);
		free(c->series[i].v);
		free(c->series[i].hi);
	}
	free(c->series);
}

static void
block_release(struct doc_block *b)
{
	size_t i, j;

	free(b->id);
	free(b->title);
	text_release(&b->text);
	for (i = 0; i < b->nitems; i++)
		text_release(&b->items[i]);
	free(b->items);
	for (i = 0; i < b->nfacts; i++) {
		free(b->facts[i].label);
		free(b->facts[i].value);
	}
	free(b->facts);
	for (i = 0; i < b->nfigures; i++) {
		free(b->figures[i].label);
		free(b->figures[i].value);
		free(b->figures[i].detail);
	}
	free(b->figures);
	for (i = 0; i < b->table.ncols; i++)
		free(b->table.cols[i].title);
	free(b->table.cols);
	for (i = 0; i < b->table.nrows; i++) {
		for (j = 0; j < b->table.ncols; j++)
			free(b->table.rows[i].cells[j].text);
		free(b->table.rows[i].cells);
	}
	free(b->table.rows);
	chart_release(&b->chart);
}

void
doc_free(struct doc *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nblocks; i++)
		block_release(&d->blocks[i]);
	free(d->blocks);
	free(d);
}

static struct doc_block *
block_new(struct doc *d, enum doc_kind kind)
{
	struct doc_block *b;

	d->blocks = xgrow(d->blocks, &d->cap, d->nblocks + 1,
	    sizeof(*d->blocks));
	b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

/* The last block if it is of this kind, else a new one. */
static struct doc_block *
block_last(struct doc *d, enum doc_kind kind)
{
	if (d->nblocks > 0 && d->blocks[d->nblocks - 1].kind == kind)
		return &d->blocks[d->nblocks - 1];
	return block_new(d, kind);
}

void
doc_heading(struct doc *d, int level, const char *id, const char *fmt, ...)
{
	struct doc_block *b = block_new(d, DOC_HEADING);
	va_list ap;

	b->level = level < 1 ? 1 : level > 4 ? 4 : level;
	b->id = id != NULL ? xstrdup(id) : NULL;
	va_start(ap, fmt);
	b->title = vformat(fmt, ap);
	va_end(ap);
}

void
doc_para(struct doc *d, enum doc_tone tone)
{
	block_new(d, DOC_PARAGRAPH)->tone = tone;
}

void
doc_list(struct doc *d, enum doc_tone tone, const char *title)
{
	struct doc_block *b = block_new(d, DOC_LIST);

	b->tone = tone;
	b->title = title != NULL ? xstrdup(title) : NULL;
}

void
doc_item(struct doc *d)
{
	struct doc_block *b = block_last(d, DOC_LIST);

	b->items = xrealloc(b->items, (b->nitems + 1) * sizeof(*b->items));
	memset(&b->items[b->nitems++], 0, sizeof(*b->items));
}

/* The text doc_add() appends to: the open paragraph or list item. */
static struct doc_text *
open_text(struct doc *d)
{
	struct doc_block *b = d->nblocks > 0 ? &d->blocks[d->nblocks - 1] :
	    NULL;

	if (b != NULL && b->kind == DOC_LIST) {
		if (b->nitems == 0)
			doc_item(d);
		return &b->items[b->nitems - 1];
	}
	if (b == NULL || b->kind != DOC_PARAGRAPH)
		b = block_new(d, DOC_PARAGRAPH);
	return &b->text;
}

static void
text_add(struct doc_text *t, enum doc_style style, char *s)
{
	t->spans = xgrow(t->spans, &t->cap, t->nspans + 1, sizeof(*t->spans));
	t->spans[t->nspans].text = s;
	t->spans[t->nspans++].style = style;
}

void
doc_add(struct doc *d, enum doc_style style, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	text_add(open_text(d), style, vformat(fmt, ap));
	va_end(ap);
}

void
doc_say(struct doc *d, enum doc_tone tone, const char *fmt, ...)
{
	va_list ap;

	doc_para(d, tone);
	va_start(ap, fmt);
	text_add(open_text(d), DOC_PLAIN, vformat(fmt, ap));
	va_end(ap);
}

void
doc_point(struct doc *d, const char *fmt, ...)
{
	va_list ap;

	doc_item(d);
	va_start(ap, fmt);
	text_add(open_text(d), DOC_PLAIN, vformat(fmt, ap));
	va_end(ap);
}

void
doc_fact(struct doc *d, const char *label, const char *fmt, ...)
{
	struct doc_block *b = block_last(d, DOC_FACTS);
	va_list ap;

	b->facts = xrealloc(b->facts, (b->nfacts + 1) * sizeof(*b->facts));
	b->facts[b->nfacts].label = xstrdup(label);
	va_start(ap, fmt);
	b->facts[b->nfacts++].value = vformat(fmt, ap);
	va_end(ap);
}

void
doc_figure(struct doc *d, enum doc_style style, const char *label,
    const char *value, const char *fmt, ...)
{
	struct doc_block *b = block_last(d, DOC_FIGURES);
	struct doc_figure *f;
	va_list ap;

	b->figures = xrealloc(b->figures, (b->nfigures + 1) *
	    sizeof(*b->figures));
	f = &b->figures[b->nfigures++];
	f->label = xstrdup(label);
	f->value = xstrdup(value);
	f->style = style;
	va_start(ap, fmt);
	f->detail = vformat(fmt, ap);
	va_end(ap);
}

struct doc_table *
doc_table(struct doc *d, const char *spec)
{
	struct doc_table *t = &block_new(d, DOC_TABLE)->table;
	const char *p = spec, *bar;

	for (;;) {
		struct doc_column *c;
		size_t len;

		bar = strchr(p, '|');
		len = bar != NULL ? (size_t)(bar - p) : strlen(p);
		t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof(*t->cols));
		c = &t->cols[t->ncols++];
		c->type = *p == '$' ? DOC_MONEY : *p == '#' ? DOC_COUNT :
		    *p == '%' ? DOC_PERCENT : *p == '@' ? DOC_DATE : DOC_TEXT;
		if (strchr("$#%@", *p) != NULL && len > 0) {
			p++;
			len--;
		}
		c->title = xstrndup(p, len);
		if (bar == NULL)
			break;
		p = bar + 1;
	}
	return t;
}

void
doc_row(struct doc_table *t, int total)
{
	struct doc_row *r;

	t->rows = xgrow(t->rows, &t->cap, t->nrows + 1, sizeof(*t->rows));
	r = &t->rows[t->nrows++];
	r->cells = xcalloc(t->ncols, sizeof(*r->cells));
	r->total = total;
}

/* The next empty cell of the last row (a cell too many is dropped). */
static void
cell_put(struct doc_table *t, enum doc_style style, char *s)
{
	struct doc_row *r;
	size_t i;

	if (t->nrows == 0)
		doc_row(t, 0);
	r = &t->rows[t->nrows - 1];
	for (i = 0; i < t->ncols && r->cells[i].text != NULL; i++)
		;
	if (i == t->ncols) {
		free(s);
		return;
	}
	r->cells[i].text = s;
	r->cells[i].style = style;
}

void
doc_cell(struct doc_table *t, enum doc_style style, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cell_put(t, style, vformat(fmt, ap));
	va_end(ap);
}

void
doc_cell_str(struct doc_table *t, const char *s)
{
	cell_put(t, DOC_PLAIN, xstrdup(s != NULL && *s != '\0' ? s : "-"));
}

const char *
doc_money(char *buf, size_t n, money_t v)
{
	money_format_grouped(buf, n, v, 2);
	return buf;
}

void
doc_cell_money(struct doc_table *t, money_t v)
{
	char buf[48];

	cell_put(t, DOC_PLAIN, xstrdup(doc_money(buf, sizeof(buf), v)));
}

void
doc_cell_count(struct doc_table *t, long long n)
{
	doc_cell(t, DOC_PLAIN, "%lld", n);
}

void
doc_cell_pct(struct doc_table *t, double pct, int places, int sign)
{
	/* -0.0 would print as "-0.0" */
	if (pct == 0)
		pct = 0;
	if (sign)
		doc_cell(t, DOC_PLAIN, "%+.*f%%", places, pct);
	else
		doc_cell(t, DOC_PLAIN, "%.*f%%", places, pct);
}

void
doc_cell_none(struct doc_table *t)
{
	cell_put(t, DOC_PLAIN, xstrdup("-"));
}

struct doc_chart *
doc_chart(struct doc *d, enum doc_chart_kind kind, int npoints,
    const char *title, const char *unit, const char *period)
{
	struct doc_chart *c = &block_new(d, DOC_CHART)->chart;

	c->kind = kind;
	c->npoints = npoints < 0 ? 0 : npoints;
	c->split = c->npoints;
	c->title = xstrdup(title);
	c->unit = xstrdup(unit != NULL ? unit : "");
	c->period = xstrdup(period != NULL ? period : "");
	if (kind == DOC_CHART_SHARE)
		c->labels = xcalloc((size_t)c->npoints + 1, sizeof(*c->labels));
	return c;
}

struct doc_series *
doc_series(struct doc_chart *c, enum doc_series_kind kind, const char *name)
{
	struct doc_series *s;

	c->series = xrealloc(c->series, (c->nseries + 1) * sizeof(*c->series));
	s = &c->series[c->nseries++];
	s->name = xstrdup(name);
	s->kind = kind;
	s->v = xcalloc((size_t)c->npoints + 1, sizeof(*s->v));
	s->hi = kind == DOC_SERIES_BAND ? xcalloc((size_t)c->npoints + 1,
	    sizeof(*s->hi)) : NULL;
	s->from = 0;
	s->to = c->npoints;
	return s;
}

void
doc_chart_caption(struct doc_chart *c, const char *fmt, ...)
{
	va_list ap;

	free(c->caption);
	va_start(ap, fmt);
	c->caption = vformat(fmt, ap);
	va_end(ap);
}

void
doc_chart_missing(struct doc_chart *c, const char *fmt, ...)
{
	va_list ap;

	free(c->missing);
	va_start(ap, fmt);
	c->missing = vformat(fmt, ap);
	va_end(ap);
}

size_t
doc_width(const char *s)
{
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}
