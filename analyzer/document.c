/*
 * document.c - the document's blocks and its builder: every string is
 * copied in, every figure written out here (see document.h).
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
	s = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	vsnprintf(s, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	return s;
}

/* s = fmt and the caller's arguments after it, printed (a new string) */
#define FORMAT(s, fmt) do { va_list ap_; va_start(ap_, fmt);		\
	(s) = vformat(fmt, ap_); va_end(ap_); } while (0)

struct doc *
doc_new(void)
{
	return xcalloc(1, sizeof(struct doc));
}

/* Free n spans (or cells) and their array. */
static void
spans_free(struct doc_span *s, size_t n)
{
	while (n-- > 0)
		free(s[n].text);
	free(s);
}

static void
block_release(struct doc_block *b)
{
	struct doc_chart *c = &b->chart;
	size_t i;

	free(b->id);
	free(b->title);
	spans_free(b->text.spans, b->text.nspans);
	for (i = 0; i < b->nitems; i++)
		spans_free(b->items[i].spans, b->items[i].nspans);
	free(b->items);
	for (i = 0; i < b->npairs; i++) {
		free(b->pairs[i].label);
		free(b->pairs[i].value);
		free(b->pairs[i].detail);
	}
	free(b->pairs);
	for (i = 0; i < b->table.ncols; i++)
		free(b->table.cols[i].title);
	free(b->table.cols);
	for (i = 0; i < b->table.nrows; i++)
		spans_free(b->table.rows[i].cells, b->table.ncols);
	free(b->table.rows);
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

/* A new block; with `reuse`, the last one when it is of that kind. */
static struct doc_block *
block(struct doc *d, enum doc_kind kind, int reuse)
{
	struct doc_block *b;

	if (reuse && d->nblocks > 0 && d->blocks[d->nblocks - 1].kind == kind)
		return &d->blocks[d->nblocks - 1];
	d->blocks = xgrow(d->blocks, &d->cap, d->nblocks + 1,
	    sizeof(*d->blocks));
	b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

void
doc_heading(struct doc *d, int level, const char *id, const char *fmt, ...)
{
	struct doc_block *b = block(d, DOC_HEADING, 0);

	b->level = level < 1 ? 1 : level > 4 ? 4 : level;
	b->id = id != NULL ? xstrdup(id) : NULL;
	FORMAT(b->title, fmt);
}

void
doc_para(struct doc *d, enum doc_tone tone)
{
	block(d, DOC_PARAGRAPH, 0)->tone = tone;
}

void
doc_list(struct doc *d, enum doc_tone tone, const char *title)
{
	struct doc_block *b = block(d, DOC_LIST, 0);

	b->tone = tone;
	b->title = title != NULL ? xstrdup(title) : NULL;
}

void
doc_steps(struct doc *d, enum doc_tone tone, const char *title)
{
	doc_list(d, tone, title);
	d->blocks[d->nblocks - 1].numbered = 1;
}

void
doc_item(struct doc *d)
{
	struct doc_block *b = block(d, DOC_LIST, 1);

	b->items = xrealloc(b->items, (b->nitems + 1) * sizeof(*b->items));
	memset(&b->items[b->nitems++], 0, sizeof(*b->items));
}

/* Append to the open paragraph or list item; a paragraph when neither
 * is open. */
void
doc_add(struct doc *d, enum doc_style style, const char *fmt, ...)
{
	struct doc_block *b = d->nblocks > 0 ? &d->blocks[d->nblocks - 1] :
	    NULL;
	struct doc_text *t;

	if (b != NULL && b->kind == DOC_LIST && b->nitems == 0)
		doc_item(d);
	if (b == NULL || (b->kind != DOC_LIST && b->kind != DOC_PARAGRAPH))
		b = block(d, DOC_PARAGRAPH, 0);
	t = b->kind == DOC_LIST ? &b->items[b->nitems - 1] : &b->text;
	t->spans = xgrow(t->spans, &t->cap, t->nspans + 1, sizeof(*t->spans));
	FORMAT(t->spans[t->nspans].text, fmt);
	t->spans[t->nspans++].style = style;
}

static struct doc_pair *
pair(struct doc *d, enum doc_kind kind, const char *label, const char *value)
{
	struct doc_block *b = block(d, kind, 1);
	struct doc_pair *p;

	b->pairs = xrealloc(b->pairs, (b->npairs + 1) * sizeof(*b->pairs));
	p = &b->pairs[b->npairs++];
	memset(p, 0, sizeof(*p));
	p->label = xstrdup(label);
	p->value = value != NULL ? xstrdup(value) : NULL;
	return p;
}

void
doc_fact(struct doc *d, const char *label, const char *fmt, ...)
{
	FORMAT(pair(d, DOC_FACTS, label, NULL)->value, fmt);
}

void
doc_figure(struct doc *d, enum doc_style style, const char *label,
    const char *value, const char *fmt, ...)
{
	struct doc_pair *p = pair(d, DOC_FIGURES, label, value);

	p->style = style;
	FORMAT(p->detail, fmt);
}

struct doc_table *
doc_table(struct doc *d, const char *spec)
{
	static const char marks[] = "$#%@";
	static const enum doc_type types[] = {
		DOC_MONEY, DOC_COUNT, DOC_PERCENT, DOC_DATE
	};
	struct doc_table *t = &block(d, DOC_TABLE, 0)->table;
	const char *p = spec, *bar;

	do {
		struct doc_column *c;
		const char *mark = *p != '\0' ? strchr(marks, *p) : NULL;
		size_t len;

		bar = strchr(p, '|');
		len = bar != NULL ? (size_t)(bar - p) : strlen(p);
		t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof(*t->cols));
		c = &t->cols[t->ncols++];
		c->type = mark != NULL ? types[mark - marks] : DOC_TEXT;
		c->title = xstrndup(p + (mark != NULL), len - (mark != NULL));
		p = bar != NULL ? bar + 1 : p;
	} while (bar != NULL);
	return t;
}

void
doc_row(struct doc_table *t, int total)
{
	t->rows = xgrow(t->rows, &t->cap, t->nrows + 1, sizeof(*t->rows));
	t->rows[t->nrows].cells = xcalloc(t->ncols, sizeof(struct doc_span));
	t->rows[t->nrows++].total = total;
}

/* Into the next empty cell of the last row; a cell too many is
 * dropped. */
void
doc_cell(struct doc_table *t, enum doc_style style, const char *fmt, ...)
{
	struct doc_span *c;
	size_t i;

	if (t->nrows == 0)
		doc_row(t, 0);
	c = t->rows[t->nrows - 1].cells;
	for (i = 0; i < t->ncols && c[i].text != NULL; i++)
		;
	if (i == t->ncols)
		return;
	FORMAT(c[i].text, fmt);
	c[i].style = style;
}

void
doc_cells_(struct doc_table *t, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		doc_cell(t, DOC_PLAIN, "%s", v[i] != NULL && *v[i] != '\0' ?
		    v[i] : "-");
}

struct doc_num
doc_money(money_t v)
{
	struct doc_num m;

	money_format_grouped(m.s, sizeof(m.s), v, 2);
	return m;
}

struct doc_num
doc_count(long long n)
{
	struct doc_num m;

	snprintf(m.s, sizeof(m.s), "%lld", n);
	return m;
}

struct doc_num
doc_pct(double pct, int places, int sign)
{
	struct doc_num m;

	/* -0.0 would print as "-0.0" */
	snprintf(m.s, sizeof(m.s), sign ? "%+.*f%%" : "%.*f%%", places,
	    pct == 0 ? 0 : pct);
	return m;
}

struct doc_chart *
doc_chart(struct doc *d, enum doc_chart_kind kind, int npoints,
    const char *title, const char *unit, const char *period)
{
	struct doc_chart *c = &block(d, DOC_CHART, 0)->chart;

	c->kind = kind;
	c->npoints = c->split = npoints < 0 ? 0 : npoints;
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
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->kind = kind;
	s->v = xcalloc((size_t)c->npoints + 1, sizeof(*s->v));
	if (kind == DOC_SERIES_BAND)
		s->hi = xcalloc((size_t)c->npoints + 1, sizeof(*s->hi));
	s->to = c->npoints;
	return s;
}

void
doc_chart_say(struct doc_chart *c, int missing, const char *fmt, ...)
{
	char **to = missing ? &c->missing : &c->caption;

	free(*to);
	FORMAT(*to, fmt);
}

size_t
doc_width(const char *s)
{
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

int
doc_numeric(enum doc_type type)
{
	return type == DOC_MONEY || type == DOC_COUNT || type == DOC_PERCENT;
}
