/*
 * report_html.c - a document as one self-contained HTML file: an inline
 * style sheet (screen, phone and print), the key figures as cards,
 * contents links, tables with numbers right-aligned that turn into one
 * card per row on a phone, and the charts: the month day by day and
 * adding up (inline SVG, legends in HTML so they wrap) and the budget
 * by service (bars in HTML).
 *
 * Nothing is fetched: no external URL, font or script, so the file can
 * be attached to a ticket and opened anywhere, offline. Every string
 * from the document goes through esc(): account names and warnings come
 * from the customer's files. The output depends only on the document,
 * so the same model gives the same bytes (SVG coordinates are "%.1f").
 */
#include "document.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Chart colours, in order of cost; "other" is grey. */
static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
	"#b07aa1", "#ff9da7", "#9c755f"
};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))
#define OTHER_COLOUR "#bab0ac"
#define LINE_COLOUR "#4e79a7"

static const char style[] =
    "body{font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,"
    "\"Helvetica Neue\",Arial,sans-serif;color:#1f2328;background:#fff;"
    "max-width:1120px;margin:0 auto;padding:24px 28px}\n"
    "h1{font-size:1.7em;margin:0 0 .4em}\n"
    "h2{font-size:1.35em;margin:2em 0 .6em;padding-bottom:.2em;"
    "border-bottom:2px solid #d0d7de}\n"
    "h3{font-size:1.12em;margin:1.6em 0 .5em}\n"
    "h4{font-size:1em;margin:1.3em 0 .4em}\n"
    "a{color:#0969da}\n"
    "nav{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;"
    "padding:6px 14px;margin:1em 0;font-size:14px}\n"
    "nav ul{margin:.2em 0;padding-left:1.2em}\n"
    "nav ul ul{display:flex;flex-wrap:wrap;gap:0 14px;padding:0;"
    "list-style:none;font-size:13px}\n"
    ".kf{display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(210px,1fr));gap:10px;margin:.6em 0 1em}\n"
    ".card{border:1px solid #d0d7de;border-top:4px solid #8c959f;"
    "border-radius:6px;padding:8px 12px}\n"
    ".card.k-good{border-top-color:#1a7f37}.card.k-bad{border-top-color:"
    "#cf222e}.card.k-strong{border-top-color:#0969da}\n"
    ".k-good .v{color:#1a7f37}.k-bad .v{color:#cf222e}\n"
    ".card .l,.card .d{color:#59636e;font-size:13px}\n"
    ".card .v{font-size:1.4em;font-weight:600;"
    "font-variant-numeric:tabular-nums}\n"
    "table{border-collapse:collapse;margin:.4em 0 1em;font-size:13px}\n"
    "th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;"
    "vertical-align:top;overflow-wrap:break-word}\n"
    "th{background:#f3f5f7;font-weight:600}\n"
    ".n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    ".t{white-space:nowrap}\n"
    "tr.total td{font-weight:600;background:#f8f9fa}\n"
    "table.facts th,table.facts td{border:none;background:none;"
    "padding:1px 14px 1px 0}\n"
    ".wide{overflow-x:auto}\n"
    ".alert{border-left:4px solid #cf222e;background:#fff1f0;"
    "padding:6px 12px;margin:.6em 0}\n"
    ".warn{border-left:4px solid #bf8700;background:#fff8e5;"
    "padding:6px 12px;margin:.6em 0}\n"
    ".warn ul,.alert ul{margin:.2em 0;padding-left:1.2em}\n"
    ".bad{color:#cf222e;font-weight:600}\n"
    ".good{color:#1a7f37}\n"
    ".muted,figcaption{color:#59636e}\n"
    "figure{margin:.8em 0 1.4em;max-width:700px}\n"
    "figcaption{font-size:12px}\n"
    ".ct{font-weight:600;font-size:14px}\n"
    "svg{display:block;width:100%;height:auto}\n"
    "svg text{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,"
    "Arial,sans-serif;fill:#1f2328;font-size:10px}\n"
    "ul.lg{list-style:none;padding:0;margin:.2em 0;display:flex;"
    "flex-wrap:wrap;gap:2px 14px;font-size:12px}\n"
    ".sw{display:inline-block;width:14px;height:10px;margin-right:5px}\n"
    ".sw.h{background:repeating-linear-gradient(45deg,#e4ebf3 0 3px,"
    "#8aa1ba 3px 5px)}\n"
    ".sw.s,.sw.p{height:0;border-top:3px solid " LINE_COLOUR ";"
    "vertical-align:3px}\n"
    ".sw.p{border-top-style:dashed}\n"
    ".sw.b{background:rgba(78,121,167,.22)}\n"
    ".bars div{display:grid;grid-template-columns:minmax(6em,13em) 1fr "
    "auto;gap:8px;align-items:center;font-size:13px;margin:3px 0}\n"
    ".bars .lb{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;"
    "text-align:right}\n"
    ".bars .bar{height:16px;background:#f3f5f7}\n"
    ".bars .bar span{display:block;height:100%}\n"
    ".bars .v{font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    /* a phone: one column, a table row becomes a card, chart text
     * grows against the shrinking drawing, every fifth day is named */
    "@media (max-width:640px){body{padding:12px;font-size:14px}"
    "h1{font-size:1.4em}.kf{grid-template-columns:1fr}"
    "table.r,table.r tbody,table.r tr,table.r td{display:block}"
    "table.r thead{display:none}"
    "table.r tr{border:1px solid #d0d7de;border-radius:4px;"
    "margin:0 0 8px;padding:4px 8px}"
    "table.r td{border:none;padding:1px 0;display:flex;"
    "justify-content:space-between;gap:12px;text-align:right;"
    "white-space:normal}"
    "table.r td::before{content:attr(data-label);color:#59636e;"
    "text-align:left;font-weight:600}"
    "table.r td:first-child{justify-content:flex-start;font-weight:600}"
    "table.r td:first-child::before{content:none}"
    "svg text{font-size:15px}svg .minor{display:none}"
    ".bars div{grid-template-columns:1fr auto;row-gap:2px;"
    "margin-bottom:8px}"
    ".bars .bar{grid-column:1/3;order:3}.bars .lb{text-align:left}}\n"
    "@media print{body{max-width:none;padding:0;font-size:10pt}nav{"
    "display:none}table{font-size:8.5pt}th,td{padding:2px 5px}"
    "h2,h3,h4{break-after:avoid}figure,tr,.alert,.warn,.card"
    "{break-inside:avoid}thead{display:table-header-group}"
    ".wide{overflow:visible}a{color:inherit;text-decoration:none}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/*
 * Write s HTML-escaped, fit for text and for quoted attribute values:
 * & < > " ' become references, control characters become spaces. NULL
 * writes nothing. The "h" of "http" is written as a reference too: it
 * reads the same, and the file then holds no URL even as text, so
 * "no http in the output" stays a simple check.
 */
static void
esc(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; p != NULL && *p != '\0'; p++) {
		const char *ref = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" :
		    *p == '>' ? "&gt;" : *p == '"' ? "&quot;" : *p == '\'' ?
		    "&#39;" : NULL;

		if (ref != NULL)
			fputs(ref, fp);
		else if (tolower(*p) == 'h' && strncasecmp((const char *)p + 1,
		    "ttp", 3) == 0)
			fprintf(fp, "&#%d;", *p);
		else
			putc(*p < 0x20 || *p == 0x7f ? ' ' : *p, fp);
	}
}

/* pre, s escaped, post */
static void
tag(FILE *fp, const char *pre, const char *s, const char *post)
{
	fputs(pre, fp);
	esc(fp, s);
	fputs(post, fp);
}

static const char *const style_class[] = {
	[DOC_PLAIN] = NULL, [DOC_STRONG] = "strong", [DOC_GOOD] = "good",
	[DOC_BAD] = "bad", [DOC_MUTED] = "muted"
};

static void
spans(FILE *fp, const struct doc_text *t)
{
	size_t i;

	for (i = 0; i < t->nspans; i++) {
		enum doc_style st = t->spans[i].style;

		if (st != DOC_PLAIN)
			fprintf(fp, st == DOC_STRONG ? "<strong>" :
			    "<span class=\"%s\">", style_class[st]);
		esc(fp, t->spans[i].text);
		fputs(st == DOC_STRONG ? "</strong>" : st != DOC_PLAIN ?
		    "</span>" : "", fp);
	}
}

/* The class of a cell: its column's alignment, its style. */
static void
cell_class(FILE *fp, enum doc_type type, enum doc_style st)
{
	const char *align = doc_numeric(type) ? "n" : type == DOC_DATE ? "t" :
	    NULL;

	if (align != NULL || style_class[st] != NULL)
		fprintf(fp, " class=\"%s%s%s\"", align ? align : "",
		    align && style_class[st] ? " " : "",
		    style_class[st] ? style_class[st] : "");
}

/* A table of more than three columns turns into cards on a phone:
 * each cell says its column's title (data-label). */
static void
table(FILE *fp, const struct doc_table *t)
{
	size_t r, i;

	fprintf(fp, "<div class=\"wide\"><table%s>\n<thead><tr>",
	    t->ncols > 3 ? " class=\"r\"" : "");
	for (i = 0; i < t->ncols; i++) {
		fputs("<th", fp);
		cell_class(fp, t->cols[i].type, DOC_PLAIN);
		tag(fp, ">", t->cols[i].title, "</th>");
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (r = 0; r < t->nrows; r++) {
		fputs(t->rows[r].total ? "<tr class=\"total\">" : "<tr>", fp);
		for (i = 0; i < t->ncols; i++) {
			fputs("<td", fp);
			cell_class(fp, t->cols[i].type, t->rows[r].cells[i].style);
			if (t->ncols > 3)
				tag(fp, " data-label=\"", t->cols[i].title, "\"");
			tag(fp, ">", t->rows[r].cells[i].text, "</td>");
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
}

/* ---- charts ------------------------------------------------------------ */

/* The drawing is small in user units so that it scales up on a wide
 * screen (to figure's 700 px) more than it shrinks on a phone. */
#define CW 520.0			/* SVG user units across */
#define MT 16.0				/* above the plot */
#define PH 190.0			/* the plot's height */
#define MR 10.0

/* A figure and its title line: the title, the month (with `period`),
 * the currency. */
static void
figure_open(FILE *fp, const struct doc_chart *c, int period)
{
	tag(fp, "<figure>\n<div class=\"ct\">", c->title, ", ");
	if (period)
		tag(fp, "", c->period, ", ");
	tag(fp, "", c->unit, "</div>\n");
}

static void
figure_close(FILE *fp, const struct doc_chart *c)
{
	tag(fp, "<figcaption>", c->caption, "</figcaption>\n</figure>\n");
}

/* The plot's frame: x from ml to CW - MR, money from bottom to top. */
struct frame {
	double ml, slot;	/* slot: a day's width */
	money_t top, bottom, step;
};

/*
 * A round step for a money axis that spans `span`: 1, 2 or 5 times a
 * power of ten, at least 0.01, giving at most five steps. Integer
 * arithmetic, so the tick labels are exact.
 */
static money_t
axis_step(money_t span)
{
	static const int f[3] = { 1, 2, 5 };
	money_t base = MONEY_SCALE / 100, s = base;
	int i;

	for (;;) {
		for (i = 0; i < 3; i++) {
			s = base * f[i];
			if (s > INT64_MAX / 5 || s * 5 >= span)
				return s;
		}
		if (base > INT64_MAX / 10)
			return s;
		base *= 10;
	}
}

static double
ypos(const struct frame *f, money_t v)
{
	return MT + PH * ((double)f->top - (double)v) /
	    ((double)f->top - (double)f->bottom);
}

static const char *
tick(char *buf, size_t n, const struct frame *f, money_t t)
{
	money_format_grouped(buf, n, t, f->step % MONEY_SCALE == 0 ? 0 : 2);
	return buf;
}

static const char *
series_colour(const struct doc_chart *c, size_t k)
{
	size_t i, n = 0;

	for (i = 0; i < k; i++)
		n += c->series[i].kind == DOC_SERIES_BAR && !c->series[i].rest;
	return c->series[k].rest ? OTHER_COLOUR : palette[n % NPALETTE];
}

/*
 * Open the figure: the money axis from what the series reach (stacked
 * for bars; a dip below zero under 2 % of the range is not worth a step
 * of its own), grid lines with ticks, the days below the plot (every
 * fifth named on a phone). The left margin fits the widest tick at the
 * phone's larger text (about 8.5 units a character).
 */
static void
frame_open(FILE *fp, struct frame *f, const struct doc_chart *c, int ndays,
    int bars)
{
	money_t hi = 0, lo = 0, span, t;
	char a[48], b[48];
	size_t k;
	int j;

	for (j = 0; j < c->npoints; j++) {
		money_t up = 0, down = 0;

		for (k = 0; k < c->nseries; k++) {
			const struct doc_series *s = &c->series[k];
			money_t v = j >= s->from && j < s->to ? s->v[j] : 0;
			money_t top = s->hi != NULL && v != 0 ? s->hi[j] : v;

			if (!bars)
				up = down = 0;
			if (money_add(v < 0 ? &down : &up, v < 0 ? v : top) != 0)
				up = INT64_MAX / 2;
			hi = up > hi ? up : hi;
			lo = down < lo ? down : lo;
		}
	}
	if (hi > 0 && lo > -(hi / 50))
		lo = 0;
	if (money_sub(hi, lo, &span) != 0)
		span = INT64_MAX;
	f->step = axis_step(span);
	f->top = (hi / f->step + (hi % f->step != 0)) * f->step;
	f->bottom = (lo / f->step - (lo % f->step != 0)) * f->step;
	if (f->top == f->bottom)
		f->top = f->step;
	tick(a, sizeof(a), f, f->top);
	tick(b, sizeof(b), f, f->bottom);
	f->ml = 12 + 8.5 * (double)(strlen(a) > strlen(b) ? strlen(a) :
	    strlen(b));
	f->slot = (CW - f->ml - MR) / ndays;
	figure_open(fp, c, 1);
	fprintf(fp, "<svg viewBox=\"0 0 %.1f %.1f\" role=\"img\" "
	    "aria-label=\"", CW, MT + PH + 24);
	tag(fp, "", c->title, "\">\n");
	for (t = f->bottom; t <= f->top; t += f->step) {
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"end\">%s</text>\n", f->ml, ypos(f, t), CW - MR,
		    ypos(f, t), t == 0 ? "#8c959f" : "#e6e9ec", f->ml - 6,
		    ypos(f, t) + 4, tick(a, sizeof(a), f, t));
		if (t > INT64_MAX - f->step)
			break;
	}
	for (j = 1; j <= ndays; j++)
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\""
		    "%s>%d</text>\n", f->ml + f->slot * (bars ? j - 0.5 : j),
		    MT + PH + 17, j == 1 || j == ndays || (j % 5 == 0 &&
		    ndays - j >= 3) ? "" : " class=\"minor\"", j);
}

/* Close the figure: the legend in HTML, so it wraps on a narrow screen
 * (one entry a series: the document holds only series drawn). */
static void
frame_close(FILE *fp, const struct doc_chart *c)
{
	static const char *const swatch[] = {
		[DOC_SERIES_BAR] = "", [DOC_SERIES_BAR_PROJECTED] = " h",
		[DOC_SERIES_LINE] = " s", [DOC_SERIES_LINE_PROJECTED] = " p",
		[DOC_SERIES_BAND] = " b"
	};
	size_t k;

	fputs("</svg>\n<ul class=\"lg\">", fp);
	for (k = 0; k < c->nseries; k++) {
		fprintf(fp, "<li><span class=\"sw%s\"", swatch[c->series[k].kind]);
		if (c->series[k].kind == DOC_SERIES_BAR)
			fprintf(fp, " style=\"background:%s\"",
			    series_colour(c, k));
		tag(fp, "></span>", c->series[k].name, "</li>");
	}
	fputs("</ul>\n", fp);
	figure_close(fp, c);
}

/* The month day by day: stacked bars (up for costs, down for
 * discounts), the projected days hatched, each with its tooltip. */
static void
chart_daily(FILE *fp, const struct doc_chart *c, int id)
{
	struct frame f;
	size_t k;
	int j;

	frame_open(fp, &f, c, c->npoints, 1);
	fprintf(fp, "<defs><pattern id=\"hatch%d\" width=\"6\" height=\"6\" "
	    "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	    "<rect width=\"6\" height=\"6\" fill=\"#e4ebf3\"/><line x1=\"0\" "
	    "y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8aa1ba\" "
	    "stroke-width=\"2.5\"/></pattern></defs>\n", id);
	for (j = 0; j < c->npoints; j++) {
		double up = ypos(&f, 0), down = up;

		for (k = 0; k < c->nseries; k++) {
			const struct doc_series *s = &c->series[k];
			double h = ypos(&f, 0) - ypos(&f, s->v[j]);

			if (j < s->from || j >= s->to || s->v[j] == 0)
				continue;
			fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" ", f.ml + f.slot * (j + 0.14),
			    h > 0 ? up - h : down, f.slot * 0.72, h > 0 ? h : -h);
			if (s->kind == DOC_SERIES_BAR_PROJECTED)
				fprintf(fp, "fill=\"url(#hatch%d)\" "
				    "stroke=\"#8aa1ba\" stroke-width=\"0.6\">",
				    id);
			else
				fprintf(fp, "fill=\"%s\">", series_colour(c, k));
			tag(fp, "<title>", c->period, "");
			fprintf(fp, "-%02d ", j + 1);
			esc(fp, s->name);
			fprintf(fp, ": %s ", doc_money(s->v[j]).s);
			tag(fp, "", c->unit, "</title></rect>\n");
			*(h > 0 ? &up : &down) -= h;
		}
	}
	if (c->split > 0 && c->split < c->npoints)
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#59636e\" stroke-dasharray=\"4 3\"/>\n",
		    f.ml + f.slot * c->split, MT - 6, f.ml + f.slot * c->split,
		    MT + PH);
	frame_close(fp, c);
}

/* Points "x,y x,y" of v from..to-1, or back from to-1 to from. */
static void
points(FILE *fp, const struct frame *f, const money_t *v, int from, int to,
    int back)
{
	int j;

	for (j = from; j < to; j++) {
		int k = back ? to - 1 - (j - from) : j;

		fprintf(fp, "%s%.1f,%.1f", j > from ? " " : "",
		    f->ml + f->slot * k, ypos(f, v[k]));
	}
}

/* The month adding up: the spent line, the projection dashed, the
 * 80 % range as a band around it. */
static void
chart_cumulative(FILE *fp, const struct doc_chart *c)
{
	struct frame f;
	size_t k;

	frame_open(fp, &f, c, c->npoints - 1, 0);
	for (k = 0; k < c->nseries; k++) {
		const struct doc_series *s = &c->series[k];

		if (s->kind == DOC_SERIES_BAND)
			fputs("<polygon fill=\"" LINE_COLOUR "\" "
			    "fill-opacity=\"0.22\" points=\"", fp);
		else
			fprintf(fp, "<polyline fill=\"none\" stroke=\""
			    LINE_COLOUR "\" stroke-width=\"2.5\"%s points=\"",
			    s->kind == DOC_SERIES_LINE_PROJECTED ?
			    " stroke-dasharray=\"6 4\"" : "");
		points(fp, &f, s->v, s->from, s->to, 0);
		if (s->hi != NULL) {
			putc(' ', fp);
			points(fp, &f, s->hi, s->from, s->to, 1);
		}
		fputs("\"/>\n", fp);
	}
	frame_close(fp, c);
}

/* The budget by service as bars in HTML: they reflow on any screen. */
static void
chart_share(FILE *fp, const struct doc_chart *c)
{
	const struct doc_series *s = &c->series[0];
	money_t max = 0;
	int i;

	for (i = 0; i < c->npoints; i++)
		max = s->v[i] > max ? s->v[i] : max;
	figure_open(fp, c, 0);
	fputs("<div class=\"bars\">\n", fp);
	for (i = 0; i < c->npoints; i++) {
		double w = max > 0 && s->v[i] > 0 ? 100.0 * (double)s->v[i] /
		    (double)max : 0;

		tag(fp, "<div><span class=\"lb\">", c->labels[i], "");
		fprintf(fp, "</span><span class=\"bar\"><span style=\"width:%.1f%%;"
		    "background:%s\"></span></span><span class=\"v\">%s", w,
		    i == c->npoints - 1 && strcmp(c->labels[i], "other") == 0 ?
		    OTHER_COLOUR : palette[(size_t)i % NPALETTE],
		    doc_money(s->v[i]).s);
		/* a share is no money: a double is fine here */
		if (c->total > 0)
			fprintf(fp, " (%.1f%%)", 100.0 * (double)s->v[i] /
			    (double)c->total);
		fputs("</span></div>\n", fp);
	}
	fputs("</div>\n", fp);
	figure_close(fp, c);
}

static void
chart(FILE *fp, const struct doc_chart *c, int id)
{
	if (c->missing != NULL)
		tag(fp, "<p class=\"muted\">", c->missing, "</p>\n");
	else if (c->nseries == 0 || c->npoints < 2)
		return;
	else if (c->kind == DOC_CHART_DAILY)
		chart_daily(fp, c, id);
	else if (c->kind == DOC_CHART_CUMULATIVE)
		chart_cumulative(fp, c);
	else
		chart_share(fp, c);
}

/* ---- blocks ------------------------------------------------------------ */

/* Contents: the sections, and the payers within them, that have an
 * anchor. */
static void
contents(FILE *fp, const struct doc *d)
{
	size_t i;
	int open2 = 0, open3 = 0;

	fputs("<nav><strong>Contents</strong>\n<ul>", fp);
	for (i = 0; i < d->nblocks; i++) {
		const struct doc_block *b = &d->blocks[i];

		if (b->kind != DOC_HEADING || b->id == NULL || b->level > 3)
			continue;
		if (b->level == 2) {
			fputs(open3 ? "</ul></li>" : open2 ? "</li>" : "", fp);
			open3 = 0;
			open2 = 1;
		} else if (!open3) {
			fputs("<ul>", fp);
			open3 = 1;
		}
		tag(fp, "\n<li><a href=\"#", b->id, "\">");
		tag(fp, "", b->title, b->level == 3 ? "</a></li>" : "</a>");
	}
	fputs(open3 ? "</ul></li>" : open2 ? "</li>" : "", fp);
	fputs("\n</ul></nav>\n", fp);
}

static const char *const tone_class[] = {
	[DOC_TONE_PLAIN] = NULL, [DOC_TONE_MUTED] = "muted",
	[DOC_TONE_WARN] = "warn", [DOC_TONE_ALERT] = "alert"
};

/* A paragraph, or a list framed when it warns. */
static void
text_block(FILE *fp, const struct doc_block *b)
{
	const char *tone = tone_class[b->tone];
	size_t k;

	if (b->kind == DOC_PARAGRAPH) {
		fprintf(fp, "<p%s%s%s>", tone ? " class=\"" : "", tone ? tone :
		    "", tone ? "\"" : "");
		spans(fp, &b->text);
		fputs("</p>\n", fp);
		return;
	}
	if (b->tone >= DOC_TONE_WARN)
		fprintf(fp, "<div class=\"%s\">", tone);
	if (b->title != NULL)
		tag(fp, b->tone >= DOC_TONE_WARN ? "<strong>" : "<p>", b->title,
		    b->tone >= DOC_TONE_WARN ? "</strong>\n" : ":</p>\n");
	fputs(b->numbered ? "<ol>\n" : "<ul>\n", fp);
	for (k = 0; k < b->nitems; k++) {
		fputs("<li>", fp);
		spans(fp, &b->items[k]);
		fputs("</li>\n", fp);
	}
	fputs(b->numbered ? "</ol>" : "</ul>", fp);
	fputs(b->tone >= DOC_TONE_WARN ? "</div>\n" : "\n", fp);
}

static void
pairs(FILE *fp, const struct doc_block *b)
{
	size_t k;

	fputs(b->kind == DOC_FACTS ? "<table class=\"facts\">\n" :
	    "<div class=\"kf\">\n", fp);
	for (k = 0; k < b->npairs; k++) {
		const struct doc_pair *f = &b->pairs[k];

		if (b->kind == DOC_FACTS)
			fputs("<tr><th>", fp);
		else
			fprintf(fp, "<div class=\"card%s%s\"><div class=\"l\">",
			    style_class[f->style] ? " k-" : "",
			    style_class[f->style] ? style_class[f->style] : "");
		tag(fp, "", f->label, b->kind == DOC_FACTS ? "</th><td>" :
		    "</div><div class=\"v\">");
		if (b->kind == DOC_FACTS)
			tag(fp, "", f->value, "</td></tr>\n");
		else {
			tag(fp, "", f->value, "</div><div class=\"d\">");
			tag(fp, "", f->detail, "</div></div>\n");
		}
	}
	fputs(b->kind == DOC_FACTS ? "</table>\n" : "</div>\n", fp);
}

int
report_html_render(const struct doc *d, FILE *fp)
{
	size_t i;
	int toc = 0;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>", fp);
	for (i = 0; i < d->nblocks; i++)
		if (d->blocks[i].kind == DOC_HEADING) {
			esc(fp, d->blocks[i].title);
			break;
		}
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
	for (i = 0; i < d->nblocks; i++) {
		const struct doc_block *b = &d->blocks[i];

		switch (b->kind) {
		case DOC_HEADING:
			/* contents after the key figures */
			if (b->level == 2 && toc++ == 1)
				contents(fp, d);
			fprintf(fp, "<h%d", b->level);
			if (b->id != NULL)
				tag(fp, " id=\"", b->id, "\"");
			tag(fp, ">", b->title, "");
			fprintf(fp, "</h%d>\n", b->level);
			break;
		case DOC_PARAGRAPH:
		case DOC_LIST:
			text_block(fp, b);
			break;
		case DOC_FACTS:
		case DOC_FIGURES:
			pairs(fp, b);
			break;
		case DOC_TABLE:
			table(fp, &b->table);
			break;
		case DOC_CHART:
			chart(fp, &b->chart, (int)i);
			break;
		}
	}
	fputs("</body>\n</html>\n", fp);
	return ferror(fp) ? -1 : 0;
}
