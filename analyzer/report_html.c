/*
 * report_html.c - the support report as one self-contained HTML file:
 * an inline style sheet (screen and print), tables with money
 * right-aligned and grouped, and two inline SVG charts (the estimated
 * month day by day, and the budget by service). Same sections, in the
 * same order, as the text report.
 *
 * Nothing is fetched: no external URL, font or script, so the file can
 * be attached to a ticket and opened anywhere, offline. Every string
 * from the model goes through esc(): account names and warnings come
 * from the customer's files. The output depends only on the model, so
 * the same model gives the same bytes (SVG coordinates are "%.1f").
 */
#include "report.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Months shown side by side in the month-by-month tables. */
#define HTML_MONTHS 12

/* The thin-data threshold: fewer complete days give a rough estimate. */
#define HTML_FIRM_DAYS 14

/* Services drawn apart in the share chart; the rest is one bar. */
#define HTML_SHARE_BARS 9

/* Chart colours, in order of cost; the last is "other". */
static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
	"#b07aa1", "#ff9da7", "#9c755f"
};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))
#define OTHER_COLOUR "#bab0ac"

static const char style[] =
    "body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,"
    "\"Helvetica Neue\",Arial,sans-serif;color:#1f2328;background:#fff;"
    "max-width:1120px;margin:0 auto;padding:24px 28px}\n"
    "h1{font-size:1.7em;margin:0 0 .4em}\n"
    "h2{font-size:1.35em;margin:2em 0 .6em;padding-bottom:.2em;"
    "border-bottom:2px solid #d0d7de}\n"
    "h3{font-size:1.12em;margin:1.6em 0 .5em}\n"
    "h4{font-size:1em;margin:1.3em 0 .4em}\n"
    "table{border-collapse:collapse;margin:.4em 0 1em;font-size:13px}\n"
    "th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;"
    "vertical-align:top;white-space:nowrap}\n"
    "td.w{white-space:normal;overflow-wrap:anywhere;min-width:12em}\n"
    "th{background:#f3f5f7;font-weight:600}\n"
    ".n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "tr.total td{font-weight:600;background:#f8f9fa}\n"
    "table.facts th,table.facts td{border:none;background:none;"
    "padding:1px 14px 1px 0}\n"
    "table.facts td{white-space:normal}\n"
    ".wide{overflow-x:auto}\n"
    ".alert{border-left:4px solid #cf222e;background:#fff1f0;"
    "padding:6px 12px;margin:.6em 0}\n"
    ".warn{border-left:4px solid #bf8700;background:#fff8e5;"
    "padding:6px 12px;margin:.6em 0}\n"
    ".warn ul,.alert ul{margin:.2em 0;padding-left:1.2em}\n"
    ".bad{color:#cf222e;font-weight:600}\n"
    ".good{color:#1a7f37}\n"
    ".muted{color:#59636e}\n"
    ".big{font-size:1.25em;font-weight:600}\n"
    "figure{margin:.8em 0 1.2em}\n"
    "figcaption{color:#59636e;font-size:12px}\n"
    "svg{display:block;width:100%;max-width:900px;height:auto}\n"
    "svg text{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,"
    "Arial,sans-serif;fill:#1f2328}\n"
    "@media print{body{max-width:none;padding:0;font-size:10pt}"
    "table{font-size:8.5pt}th,td{padding:2px 5px}"
    "h2,h3,h4{break-after:avoid}figure,tr,.alert,.warn{break-inside:avoid}"
    "thead{display:table-header-group}.wide{overflow:visible}"
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

	for (; p != NULL && *p != '\0'; p++)
		switch (*p) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		case 'h':
		case 'H':
			if (tolower(p[1]) == 't' && tolower(p[2]) == 't' &&
			    tolower(p[3]) == 'p') {
				fprintf(fp, "&#%d;", *p);
				break;
			}
			putc(*p, fp);
			break;
		default:
			putc(*p < 0x20 || *p == 0x7f ? ' ' : *p, fp);
		}
}

/* esc() of at most max characters (UTF-8 sequences kept whole), with
 * "..." when cut: chart labels have a fixed width. */
static void
esc_fit(FILE *fp, const char *s, size_t max)
{
	size_t n = 0, i;
	char *cut;

	if (s == NULL)
		return;
	for (i = 0; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && ++n > max)
			break;
	if (s[i] == '\0') {
		esc(fp, s);
		return;
	}
	cut = xstrndup(s, i);
	esc(fp, cut);
	fputs("...", fp);
	free(cut);
}

/* Money with thousands separators, into buf (48 bytes is plenty). */
static const char *
mny(char *buf, size_t n, money_t v, int places)
{
	money_format_grouped(buf, n, v, places);
	return buf;
}

/* A table head from a spec of '|'-separated titles (our own text); a
 * title starting with '>' is a right-aligned (number) column. */
static void
thead(FILE *fp, const char *spec)
{
	const char *p = spec, *bar;

	fputs("<div class=\"wide\"><table>\n<thead><tr>", fp);
	for (;;) {
		int right = *p == '>';

		bar = strchr(p, '|');
		p += right;
		fprintf(fp, "<th%s>%.*s</th>", right ? " class=\"n\"" : "",
		    bar ? (int)(bar - p) : (int)strlen(p), p);
		if (bar == NULL)
			break;
		p = bar + 1;
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
}

static void
tend(FILE *fp)
{
	fputs("</tbody></table></div>\n", fp);
}

/* A cell of model text, escaped; empty shows as "-". */
static void
td(FILE *fp, const char *s)
{
	fputs("<td>", fp);
	if (s == NULL || *s == '\0')
		putc('-', fp);
	else
		esc(fp, s);
	fputs("</td>", fp);
}

/* The same for long text (file names, notes) that may wrap. */
static void
td_wrap(FILE *fp, const char *s)
{
	fputs("<td class=\"w\">", fp);
	if (s == NULL || *s == '\0')
		putc('-', fp);
	else
		esc(fp, s);
	fputs("</td>", fp);
}

static void
td_money(FILE *fp, money_t v, int places)
{
	char buf[48];

	fprintf(fp, "<td class=\"n\">%s</td>", mny(buf, sizeof(buf), v,
	    places));
}

static void
account_list(FILE *fp, const struct report *r, char *const *ids, size_t n)
{
	size_t i;

	if (n == 0)
		fputs("none", fp);
	for (i = 0; i < n; i++) {
		const char *name = report_account_name(r, ids[i]);

		fputs(i ? ", " : "", fp);
		esc(fp, ids[i]);
		if (name != NULL) {
			fputs(" (", fp);
			esc(fp, name);
			putc(')', fp);
		}
	}
}

static void
string_list(FILE *fp, char *const *v, size_t n)
{
	size_t i;

	if (n == 0)
		fputs("none", fp);
	for (i = 0; i < n; i++) {
		fputs(i ? ", " : "", fp);
		esc(fp, v[i]);
	}
}

/* ---- charts ------------------------------------------------------------ */

#define CW 900.0			/* SVG user units across */

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
units(money_t v)
{
	return (double)v;
}

/* Width of a legend entry, estimated: SVG text cannot be measured
 * without a renderer, and the estimate only needs to be generous. */
static double
legend_width(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return 14 + 5 + (double)(n > 28 ? 31 : n) * 6.6 + 18;
}

/* The estimated month day by day: the complete days stacked by top
 * service, the projection for the days left hatched. */
static void
chart_daily(FILE *fp, const struct report_daily *d, const char *currency,
    size_t id)
{
	const double ml = 78, mr = 12, mt = 18, ph = 220;
	double slot, bw, x, y, lx, ly, h;
	money_t top = 0, bottom = 0, step, t, span;
	int j, k, ns = d->nservices, rows = 1, places, nitems, obs;
	char buf[48];

	if (d->ndays <= 0 || ns <= 0 || d->cost == NULL ||
	    d->projected == NULL)
		return;
	/* days 1..obs hold data, the rest are projected */
	obs = d->observed < 0 ? 0 : d->observed > d->ndays ? d->ndays :
	    d->observed;
	/* the axis: the highest positive stack, the lowest negative one */
	for (j = 0; j < d->ndays; j++) {
		money_t pos = 0, neg = 0;

		if (j < obs) {
			for (k = 0; k < ns; k++) {
				money_t v = d->cost[j * ns + k];

				if (v > 0 && money_add(&pos, v) != 0)
					pos = INT64_MAX / 2;
				if (v < 0 && money_add(&neg, v) != 0)
					neg = INT64_MIN / 2;
			}
		} else if (d->projected[j] > 0)
			pos = d->projected[j];
		else
			neg = d->projected[j];
		if (pos > top)
			top = pos;
		if (neg < bottom)
			bottom = neg;
	}
	if (money_sub(top, bottom, &span) != 0)
		span = INT64_MAX;
	step = axis_step(span);
	top = (top / step + (top % step != 0)) * step;
	bottom = (bottom / step - (bottom % step != 0)) * step;
	if (top == bottom)
		top = step;
	places = step % MONEY_SCALE == 0 ? 0 : 2;

	/* the legend's rows, to know the height */
	nitems = ns + (obs < d->ndays);
	for (k = 0, lx = ml; k < nitems; k++) {
		double w = legend_width(k < ns ? d->services[k] :
		    "projected usage");

		if (lx + w > CW - mr && lx > ml) {
			rows++;
			lx = ml;
		}
		lx += w;
	}
	h = mt + ph + 50 + rows * 18;

	fprintf(fp, "<figure>\n<svg viewBox=\"0 0 %.1f %.1f\" role=\"img\" "
	    "aria-label=\"daily cost of ", CW, h);
	esc(fp, d->period);
	fprintf(fp, "\">\n<defs><pattern id=\"hatch%zu\" width=\"6\" "
	    "height=\"6\" patternUnits=\"userSpaceOnUse\" "
	    "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
	    "fill=\"#e4ebf3\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
	    "stroke=\"#8aa1ba\" stroke-width=\"2.5\"/></pattern></defs>\n", id);

	/* grid and money ticks */
	for (t = bottom; t <= top; t += step) {
		y = mt + ph * (units(top) - units(t)) / (units(top) -
		    units(bottom));
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>"
		    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
		    "text-anchor=\"end\">%s</text>\n", ml, y, CW - mr, y,
		    t == 0 ? "#8c959f" : "#e6e9ec", ml - 6, y + 4,
		    mny(buf, sizeof(buf), t, places));
		if (t > INT64_MAX - step)
			break;
	}
	fprintf(fp, "<text x=\"14\" y=\"%.1f\" font-size=\"11\" "
	    "text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">",
	    mt + ph / 2, mt + ph / 2);
	esc(fp, currency);
	fputs(" per day</text>\n", fp);

	slot = (CW - ml - mr) / d->ndays;
	bw = slot * 0.72;
	for (j = 0; j < d->ndays; j++) {
		double bx = ml + slot * j + (slot - bw) / 2;
		double scale = ph / (units(top) - units(bottom));
		double zero = mt + ph * units(top) / (units(top) -
		    units(bottom));

		if (j < obs) {
			double up = 0, down = 0;

			for (k = 0; k < ns; k++) {
				money_t v = d->cost[j * ns + k];
				double hv = units(v) * scale;

				if (v == 0)
					continue;
				if (v > 0) {
					y = zero - up - hv;
					up += hv;
				} else {
					y = zero + down;
					down -= hv;
					hv = -hv;
				}
				fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" "
				    "width=\"%.1f\" height=\"%.1f\" "
				    "fill=\"%s\"><title>", bx, y, bw, hv,
				    k == ns - 1 ? OTHER_COLOUR :
				    palette[(size_t)k % NPALETTE]);
				esc(fp, d->period);
				fprintf(fp, "-%02d ", j + 1);
				esc(fp, d->services[k]);
				fprintf(fp, ": %s ", mny(buf, sizeof(buf), v,
				    2));
				esc(fp, currency);
				fputs("</title></rect>\n", fp);
			}
		} else if (d->projected[j] != 0) {
			double hv = units(d->projected[j]) * scale;

			y = hv > 0 ? zero - hv : zero;
			fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" fill=\"url(#hatch%zu)\" "
			    "stroke=\"#8aa1ba\" stroke-width=\"0.6\"><title>",
			    bx, y, bw, hv > 0 ? hv : -hv, id);
			esc(fp, d->period);
			fprintf(fp, "-%02d projected usage: %s ", j + 1,
			    mny(buf, sizeof(buf), d->projected[j], 2));
			esc(fp, currency);
			fputs("</title></rect>\n", fp);
		}
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
		    "text-anchor=\"middle\">%d</text>\n", bx + bw / 2,
		    mt + ph + 14, j + 1);
	}
	if (obs > 0 && obs < d->ndays) {
		x = ml + slot * obs;
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#59636e\" stroke-dasharray=\"4 3\"/>"
		    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
		    "fill=\"#59636e\">projected</text>\n", x, mt - 4, x,
		    mt + ph, x + 4, mt + 8);
	}
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
	    "text-anchor=\"middle\">day of ", ml + (CW - ml - mr) / 2,
	    mt + ph + 30);
	esc(fp, d->period);
	fputs("</text>\n", fp);

	/* the legend */
	for (k = 0, lx = ml, ly = mt + ph + 44; k < nitems; k++) {
		const char *name = k < ns ? d->services[k] : "projected usage";
		double w = legend_width(name);

		if (lx + w > CW - mr && lx > ml) {
			lx = ml;
			ly += 18;
		}
		if (k < ns)
			fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" "
			    "height=\"12\" fill=\"%s\"/>", lx, ly, k == ns - 1 ?
			    OTHER_COLOUR : palette[(size_t)k % NPALETTE]);
		else
			fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" "
			    "height=\"12\" fill=\"url(#hatch%zu)\" "
			    "stroke=\"#8aa1ba\" stroke-width=\"0.6\"/>", lx, ly,
			    id);
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">",
		    lx + 19, ly + 10);
		esc_fit(fp, name, 28);
		fputs("</text>\n", fp);
		lx += w;
	}
	fputs("</svg>\n<figcaption>", fp);
	if (obs == 0)
		fputs("No complete day yet: every day is projected. ", fp);
	else
		fprintf(fp, "Days 1 to %d: usage and discounts per complete "
		    "day, by service%s. ", obs, ns > 1 ? " (the largest and "
		    "the rest as other)" : "");
	if (obs < d->ndays)
		fprintf(fp, "Days %d to %d, hatched: the estimate's projected "
		    "usage per day. ", obs + 1, d->ndays);
	fputs("</figcaption>\n</figure>\n", fp);
}

/* The budget by service as horizontal bars: the largest services and
 * the rest as one "other" bar. */
static void
chart_share(FILE *fp, const struct estimate *e)
{
	const double ml = 200, mr = 12, mt = 8, rowh = 26, valw = 190;
	size_t n = e->nservices > HTML_SHARE_BARS + 1 ? HTML_SHARE_BARS :
	    e->nservices, i, nbars;
	money_t other = 0, max = 0;
	double barmax = CW - ml - mr - valw, h;
	char buf[48];

	if (e->nservices == 0)
		return;
	for (i = n; i < e->nservices; i++)
		money_add(&other, e->services[i].amount);
	nbars = n + (n < e->nservices);
	for (i = 0; i < n; i++)
		if (e->services[i].amount > max)
			max = e->services[i].amount;
	if (nbars > n && other > max)
		max = other;
	h = mt + rowh * (double)nbars + 8;
	fprintf(fp, "<figure>\n<svg viewBox=\"0 0 %.1f %.1f\" role=\"img\" "
	    "aria-label=\"budget by service\">\n", CW, h);
	for (i = 0; i < nbars; i++) {
		money_t v = i < n ? e->services[i].amount : other;
		const char *label = i < n ? e->services[i].code : "other";
		double y = mt + rowh * (double)i, w = 0;

		if (max > 0 && v > 0)
			w = barmax * units(v) / units(max);
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
		    "text-anchor=\"end\">", ml - 8, y + 15);
		esc_fit(fp, label, 28);
		fprintf(fp, "</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"18\" fill=\"%s\"><title>", ml, y + 3, w,
		    i < n ? palette[i % NPALETTE] : OTHER_COLOUR);
		esc(fp, i < n && e->services[i].name != NULL &&
		    e->services[i].name[0] != '\0' ? e->services[i].name :
		    label);
		fprintf(fp, "</title></rect><text x=\"%.1f\" y=\"%.1f\" "
		    "font-size=\"12\">%s ", ml + w + 6, y + 15,
		    mny(buf, sizeof(buf), v, 2));
		esc(fp, e->currency);
		/* a share is no money: a double is fine here */
		if (e->amount > 0)
			fprintf(fp, " (%.1f%%)", 100.0 * units(v) /
			    units(e->amount));
		fputs("</text>\n", fp);
	}
	fputs("</svg>\n<figcaption>The budget of ", fp);
	esc(fp, e->period);
	fprintf(fp, " by service%s, before tax, without credits and "
	    "refunds.</figcaption>\n</figure>\n", e->npayers > 1 ?
	    ", all payers" : "");
}

/* ---- 0. header --------------------------------------------------------- */

static void
write_header(const struct report *r, FILE *fp)
{
	size_t i;

	fputs("<h1>Pilvi support report", fp);
	if (r->customer != NULL) {
		fputs(": ", fp);
		esc(fp, r->customer);
	}
	fputs("</h1>\n", fp);

	fputs("<table class=\"facts\">\n", fp);
	if (r->customer != NULL) {
		fputs("<tr><th>Customer</th><td>", fp);
		esc(fp, r->customer);
		fputs("</td></tr>\n", fp);
	}
	fprintf(fp, "<tr><th>Payer account%s</th><td>",
	    r->npayers == 1 ? "" : "s");
	account_list(fp, r, r->payers, r->npayers);
	fprintf(fp, "</td></tr>\n<tr><th>Accounts (%zu)</th><td>", r->naccounts);
	account_list(fp, r, r->accounts, r->naccounts);
	fputs("</td></tr>\n<tr><th>Billing periods</th><td>", fp);
	string_list(fp, r->months, r->nmonths);
	fputs("</td></tr>\n<tr><th>Formats</th><td>", fp);
	string_list(fp, r->formats, r->nformats);
	fputs("</td></tr>\n<tr><th>Generated</th><td>", fp);
	esc(fp, r->generated_at);
	fputs("</td></tr>\n</table>\n", fp);

	fputs("<h3>Files</h3>\n", fp);
	if (r->nfiles == 0) {
		fputs("<p>No files ingested.</p>\n", fp);
		return;
	}
	thead(fp, ">#|File|Format|Container|Payer|Period|>Rows|>Warnings|"
	    "Status");
	for (i = 0; i < r->nfiles; i++) {
		const struct report_file *f = &r->files[i];

		fprintf(fp, "<tr><td class=\"n\">%lld</td>", f->id);
		td_wrap(fp, f->name);
		td(fp, f->format);
		td(fp, f->container);
		td(fp, f->payer);
		td(fp, f->period);
		fprintf(fp, "<td class=\"n\">%ld</td><td class=\"n\">%zu</td>",
		    f->rows, f->nwarnings);
		if (f->replaced_by != 0)
			fprintf(fp, "<td>replaced by #%lld</td>",
			    f->replaced_by);
		else
			td(fp, f->status);
		fputs("</tr>\n", fp);
	}
	tend(fp);
}

/* ---- 1. data status ---------------------------------------------------- */

static void
write_status(const struct report *r, FILE *fp)
{
	int used[CHARGE_NCLASS] = { 0 }, c, any = 0;
	size_t i, k;
	char a[48], b[48];

	fputs("<h2>1. Data status</h2>\n", fp);
	if (r->nperiods == 0)
		fputs("<p>No billing periods.</p>\n", fp);
	else
		thead(fp, "Payer|Month|Status|Days with data|Counted from|"
		    ">Total|Currency|Statement total");
	for (i = 0; i < r->nperiods; i++) {
		const struct report_period *p = &r->periods[i];

		fputs("<tr>", fp);
		td(fp, p->payer);
		td(fp, p->period);
		fprintf(fp, "<td>%s</td>", p->estimated ? "open (estimated)" :
		    "final");
		if (p->first_day != NULL) {
			fprintf(fp, "<td>%d (", p->days_covered);
			esc(fp, p->first_day);
			fputs(" to ", fp);
			esc(fp, p->last_day);
			fputs(")</td>", fp);
		} else
			fputs("<td>none</td>", fp);
		td(fp, p->format);
		td_money(fp, p->total, p->places);
		td(fp, p->currency);
		if (p->reconciled < 0)
			fputs("<td class=\"muted\">no total rows: cannot "
			    "reconcile</td>", fp);
		else if (p->reconciled)
			fprintf(fp, "<td>%s: <span class=\"good\">reconciled "
			    "to the cent</span></td>",
			    mny(a, sizeof(a), p->statement, 2));
		else
			fprintf(fp, "<td>%s: <span class=\"bad\">not "
			    "reconciled</span>, difference %s</td>",
			    mny(a, sizeof(a), p->statement, 2),
			    mny(b, sizeof(b), p->difference, 2));
		fputs("</tr>\n", fp);
		for (c = 0; c < CHARGE_NCLASS; c++)
			if (p->by_class[c] != 0)
				used[c] = any = 1;
	}
	if (r->nperiods > 0)
		tend(fp);
	if (any) {
		fputs("<h3>Charges by class</h3>\n<div class=\"wide\"><table>\n"
		    "<thead><tr><th>Payer</th><th>Month</th>", fp);
		for (c = 0; c < CHARGE_NCLASS; c++)
			if (used[c])
				fprintf(fp, "<th class=\"n\">%s</th>",
				    charge_class_name(c));
		fputs("<th class=\"n\">total</th></tr></thead>\n<tbody>\n", fp);
		for (i = 0; i < r->nperiods; i++) {
			const struct report_period *p = &r->periods[i];

			fputs("<tr>", fp);
			td(fp, p->payer);
			td(fp, p->period);
			/* "-" for zero: a column is there for the other months */
			for (c = 0; c < CHARGE_NCLASS; c++)
				if (used[c] && p->by_class[c] == 0)
					fputs("<td class=\"n muted\">-</td>", fp);
				else if (used[c])
					td_money(fp, p->by_class[c], p->places);
			td_money(fp, p->total, p->places);
			fputs("</tr>\n", fp);
		}
		tend(fp);
	}
	for (i = 0, any = 0; i < r->nperiods; i++)
		for (k = 0; k < r->periods[i].nnotes; k++) {
			if (!any++)
				fputs("<p>Notes:</p>\n<ul>\n", fp);
			fputs("<li>payer ", fp);
			esc(fp, r->periods[i].payer);
			fputs(", ", fp);
			esc(fp, r->periods[i].period);
			fputs(": ", fp);
			esc(fp, r->periods[i].notes[k]);
			fputs("</li>\n", fp);
		}
	if (any)
		fputs("</ul>\n", fp);
	for (i = 0, any = 0; i < r->nfiles; i++)
		for (k = 0; k < r->files[i].nwarnings; k++) {
			if (!any++)
				fputs("<div class=\"warn\"><strong>Warnings from "
				    "ingest</strong>\n<ul>\n", fp);
			fprintf(fp, "<li>file #%lld: ", r->files[i].id);
			esc(fp, r->files[i].warnings[k]);
			fputs("</li>\n", fp);
		}
	if (any)
		fputs("</ul></div>\n", fp);
	/* the seed sends 2-4 weeks of a month: say when that is too little */
	for (i = 0, any = 0; r->estimate != NULL && i < r->estimate->npayers;
	    i++) {
		const struct estimate_payer *p = &r->estimate->payers[i];

		if (p->final || p->days_observed >= HTML_FIRM_DAYS)
			continue;
		if (!any++)
			fputs("<div class=\"alert\"><strong>Too early for a firm "
			    "estimate</strong>\n<ul>\n", fp);
		fputs("<li>payer ", fp);
		esc(fp, p->payer);
		fputs(", ", fp);
		esc(fp, p->period);
		fprintf(fp, ": <strong>only %d of %d days: wait ~%d days for a "
		    "firmer estimate</strong> (or send the full month)</li>\n",
		    p->days_observed, p->days_in_month,
		    HTML_FIRM_DAYS - p->days_observed);
	}
	if (any)
		fputs("</ul></div>\n", fp);
}

/* ---- 2. budget estimate ------------------------------------------------ */

static void
part_row(FILE *fp, const char *what, money_t v, int bold)
{
	char buf[48];

	fprintf(fp, "<tr%s><td>", bold ? " class=\"total\"" : "");
	esc(fp, what);
	fprintf(fp, "</td><td class=\"n\">%s</td></tr>\n",
	    mny(buf, sizeof(buf), v, 2));
}

/* Services and their share of `total` (the amount they add up to). */
static void
write_services(FILE *fp, const struct estimate_service *s, size_t n,
    money_t total)
{
	size_t i;

	thead(fp, "Service|Name|>Amount|>Share");
	for (i = 0; i < n; i++) {
		fputs("<tr>", fp);
		td(fp, s[i].code);
		td(fp, s[i].name);
		td_money(fp, s[i].amount, 2);
		/* a share is no money: a double is fine here */
		if (total > 0)
			fprintf(fp, "<td class=\"n\">%.1f%%</td>", 100.0 *
			    (double)s[i].amount / (double)total);
		else
			fputs("<td class=\"n\">-</td>", fp);
		fputs("</tr>\n", fp);
	}
	tend(fp);
}

static const char *
payer_currency(const struct report *r, const struct report_daily *d)
{
	size_t i;

	for (i = 0; r->estimate != NULL && i < r->estimate->npayers; i++)
		if (strcmp(r->estimate->payers[i].payer, d->payer) == 0 &&
		    strcmp(r->estimate->payers[i].period, d->period) == 0)
			return r->estimate->payers[i].currency;
	return "";
}

static void
write_estimate_payer(const struct report *r, const struct estimate_payer *p,
    FILE *fp)
{
	const struct estimate *e = r->estimate;
	char a[48], lo[48], hi[48];
	size_t i;

	fputs("<h3>Payer ", fp);
	esc(fp, p->payer);
	fputs(", ", fp);
	esc(fp, p->period);
	fprintf(fp, "</h3>\n<p><span class=\"big\">%s ",
	    mny(a, sizeof(a), p->amount, 2));
	esc(fp, p->currency);
	if (p->complete)
		fputs(p->final ? "</span>, final" : "</span>, every day in, "
		    "not yet invoiced", fp);
	else
		fprintf(fp, "</span> (80 %% range %s to %s), confidence "
		    "<strong>%s</strong>, estimated", mny(lo, sizeof(lo),
		    p->low, 2), mny(hi, sizeof(hi), p->high, 2),
		    p->confidence);
	if (strcmp(p->period, e->period) != 0)
		fputs("; not in the all-payers total: its data ends in an "
		    "earlier month", fp);
	fputs("</p>\n", fp);
	thead(fp, "Part|>Amount");
	for (i = 0; i < p->nparts; i++)
		part_row(fp, p->parts[i].label, p->parts[i].amount,
		    p->parts[i].kind == ESTIMATE_PART_TOTAL);
	tend(fp);
	for (i = 0; i < r->ndaily; i++)
		if (strcmp(r->daily[i].payer, p->payer) == 0 &&
		    strcmp(r->daily[i].period, p->period) == 0)
			chart_daily(fp, &r->daily[i], payer_currency(r,
			    &r->daily[i]), i);
	if (p->nservices > 0) {
		fputs("<h4>By service</h4>\n", fp);
		write_services(fp, p->services, p->nservices, p->amount);
	}
	if (p->nnotes > 0)
		fputs("<ul>\n", fp);
	for (i = 0; i < p->nnotes; i++) {
		fputs("<li>", fp);
		esc(fp, p->notes[i]);
		fputs("</li>\n", fp);
	}
	if (p->nnotes > 0)
		fputs("</ul>\n", fp);
}

static void
write_estimate(const struct report *r, FILE *fp)
{
	const struct estimate *e = r->estimate;
	char a[48], lo[48], hi[48];
	size_t i;

	fputs("<h2>2. Budget estimate</h2>\n", fp);
	if (e == NULL) {
		fputs("<p>Not part of this report.</p>\n", fp);
		return;
	}
	if (e->npayers == 0) {
		fputs("<p>No billing data to estimate from.</p>\n", fp);
		return;
	}
	fprintf(fp, "<p>%s, ", e->npayers > 1 ? "All payers" : "Budget");
	esc(fp, e->period);
	fprintf(fp, ": <span class=\"big\">%s ",
	    mny(a, sizeof(a), e->amount, 2));
	esc(fp, e->currency);
	fprintf(fp, "</span> (80 %% range %s to %s), confidence <strong>%s</strong>",
	    mny(lo, sizeof(lo), e->low, 2), mny(hi, sizeof(hi), e->high, 2),
	    e->confidence);
	fprintf(fp, "<br>\nbefore tax (projected apart: %s), without credits "
	    "and refunds (%s)</p>\n", mny(lo, sizeof(lo), e->tax, 2),
	    mny(hi, sizeof(hi), e->credits, 2));
	chart_share(fp, e);
	if (e->npayers > 1 && e->nservices > 0) {
		fputs("<h4>By service, all payers</h4>\n", fp);
		write_services(fp, e->services, e->nservices, e->amount);
	}
	/* with one payer these are that payer's notes, shown below */
	if (e->npayers > 1 && e->nnotes > 0) {
		fputs("<ul>\n", fp);
		for (i = 0; i < e->nnotes; i++) {
			fputs("<li>", fp);
			esc(fp, e->notes[i]);
			fputs("</li>\n", fp);
		}
		fputs("</ul>\n", fp);
	}
	for (i = 0; i < e->npayers; i++)
		write_estimate_payer(r, &e->payers[i], fp);
	if (e->method != NULL) {
		fputs("<p class=\"muted\">Method: ", fp);
		esc(fp, e->method);
		fputs(".</p>\n", fp);
	}
	if (r->nhistory > 0) {
		fputs("<h3>Earlier estimates of months now complete</h3>\n", fp);
		thead(fp, "Payer|Month|Made|Data through|>Days|>Estimate|"
		    ">Actual|>Off");
		for (i = 0; i < r->nhistory; i++) {
			const struct estimate_record *h = &r->history[i];

			fputs("<tr>", fp);
			td(fp, h->payer);
			td(fp, h->period);
			td(fp, h->made_at);
			td(fp, h->data_through);
			fprintf(fp, "<td class=\"n\">%d</td>", h->days_observed);
			td_money(fp, h->amount, 2);
			td_money(fp, h->actual, 2);
			fprintf(fp, "<td class=\"n\">%+.1f%%</td></tr>\n",
			    h->err_pct);
		}
		tend(fp);
	}
}

/* ---- 3. inventory ------------------------------------------------------ */

static void
write_account(const struct inventory *inv, const struct inventory_account *a,
    FILE *fp)
{
	char buf[48];
	size_t i, k;

	fputs("<h4>Account ", fp);
	esc(fp, a->account);
	if (a->account_name != NULL && a->account_name[0] != '\0') {
		fputs(" (", fp);
		esc(fp, a->account_name);
		putc(')', fp);
	}
	fprintf(fp, ": %zu service%s, %s ", a->nservices,
	    a->nservices == 1 ? "" : "s", mny(buf, sizeof(buf), a->cost, 2));
	esc(fp, a->currency);
	fputs("</h4>\n", fp);
	thead(fp, "Service|Regions|>Usage types|>Resources|First seen|"
	    "Last seen|>Cost|>Share|Pilvi support");
	for (i = 0; i < inv->nservices; i++) {
		const struct inventory_service *s = &inv->services[i];
		int bp = s->share_bp;

		if (strcmp(s->payer, a->payer) != 0 ||
		    strcmp(s->period, a->period) != 0 ||
		    strcmp(s->account, a->account) != 0)
			continue;
		fputs("<tr><td>", fp);
		esc(fp, s->code);
		if (s->name != NULL && s->name[0] != '\0' &&
		    strcmp(s->name, s->code) != 0) {
			fputs("<br><span class=\"muted\">", fp);
			esc(fp, s->name);
			fputs("</span>", fp);
		}
		fputs("</td><td class=\"w\">", fp);
		if (s->nregions == 0)
			putc('-', fp);
		for (k = 0; k < s->nregions; k++) {
			fputs(k ? ", " : "", fp);
			esc(fp, s->regions[k]);
		}
		fprintf(fp, "</td><td class=\"n\">%ld</td><td class=\"n\">%ld"
		    "</td>", s->usage_types, s->resources);
		td(fp, s->first_seen);
		td(fp, s->last_seen);
		td_money(fp, s->cost, 2);
		fprintf(fp, "<td class=\"n\">%s%d.%02d%%</td><td%s>%s%s%s</td>"
		    "</tr>\n", bp < 0 ? "-" : "", abs(bp) / 100, abs(bp) % 100,
		    strcmp(s->support, "supported") == 0 ? "" :
		    " class=\"bad\"", s->support,
		    s->manual ? " (from a service list)" : "", s->payer_level ?
		    " (partly stated for the payer only)" : "");
	}
	tend(fp);
	if (a->ntags == 0 && a->untagged == a->cost)
		fputs("<p class=\"muted\">No tags.</p>\n", fp);
	else {
		fprintf(fp, "<p class=\"muted\">Untagged %s of ",
		    mny(buf, sizeof(buf), a->untagged, 2));
		fprintf(fp, "%s; tag keys:", mny(buf, sizeof(buf), a->cost, 2));
		for (k = 0; k < a->ntags; k++) {
			fputs(k ? ", " : " ", fp);
			esc(fp, a->tags[k].key);
			fprintf(fp, " (%s)", mny(buf, sizeof(buf),
			    a->tags[k].cost, 2));
		}
		fputs(".</p>\n", fp);
	}
}

static void
write_inventory(const struct inventory *inv, FILE *fp)
{
	size_t i, j;

	fputs("<h2>3. Service inventory</h2>\n", fp);
	if (inv == NULL) {
		fputs("<p>Not part of this report.</p>\n", fp);
		return;
	}
	if (inv->nservices == 0) {
		fputs("<p>No services: nothing ingested for that selection."
		    "</p>\n", fp);
		return;
	}
	fputs("<h3>Needs attention (unsupported or unknown to Pilvi, by cost)"
	    "</h3>\n", fp);
	if (inv->nattention == 0)
		fputs("<p>Nothing: Pilvi supports every service listed.</p>\n",
		    fp);
	else
		thead(fp, "Account|Service|Name|>Cost|Pilvi support|Note");
	for (i = 0; i < inv->nattention; i++) {
		const struct inventory_service *s =
		    &inv->services[inv->attention[i]];
		const char *note = s->support_note;

		if (note == NULL || note[0] == '\0')
			note = s->unknown ? "not a service we know" :
			    strcmp(s->support, "unknown") == 0 ?
			    "not in Pilvi's catalog" : "";
		fputs("<tr>", fp);
		td(fp, s->account);
		td(fp, s->code);
		td(fp, s->name);
		td_money(fp, s->cost, 2);
		fprintf(fp, "<td class=\"bad\">%s</td>", s->support);
		td_wrap(fp, note);
		fputs("</tr>\n", fp);
	}
	if (inv->nattention > 0)
		tend(fp);
	for (i = 0; i < inv->npayers; i++) {
		const struct inventory_payer *p = &inv->payers[i];
		char buf[48];

		fputs("<h3>Payer ", fp);
		esc(fp, p->payer);
		fputs(", ", fp);
		esc(fp, p->period);
		fprintf(fp, ": %zu account%s, %zu service line%s, %s ",
		    p->naccounts, p->naccounts == 1 ? "" : "s", p->nservices,
		    p->nservices == 1 ? "" : "s",
		    mny(buf, sizeof(buf), p->cost, 2));
		esc(fp, p->currency);
		fputs("</h3>\n<p class=\"muted\">Cost is usage, fees and "
		    "discounts.</p>\n", fp);
		for (j = 0; j < inv->naccounts; j++)
			if (strcmp(inv->accounts[j].payer, p->payer) == 0 &&
			    strcmp(inv->accounts[j].period, p->period) == 0)
				write_account(inv, &inv->accounts[j], fp);
	}
}

/* ---- 4. month by month ------------------------------------------------- */

static void
mcell_write(FILE *fp, const struct report_cell *c)
{
	if (c->state == 2)
		fputs("<td class=\"n bad\">overflow</td>", fp);
	else if (c->state == 0)
		fputs("<td class=\"n muted\">-</td>", fp);
	else
		td_money(fp, c->cost, 2);
}

/* One account's table, from its month `first` on. */
static void
write_month_account(const struct report_month_account *a, size_t first,
    FILE *fp)
{
	size_t s, m;

	fputs("<h4>Account ", fp);
	esc(fp, a->account);
	if (a->account_name != NULL && a->account_name[0] != '\0') {
		fputs(" (", fp);
		esc(fp, a->account_name);
		putc(')', fp);
	}
	fputs(", payer ", fp);
	esc(fp, a->payer);
	fputs(", ", fp);
	esc(fp, a->currency);
	fputs("</h4>\n<div class=\"wide\"><table>\n<thead><tr><th>Service</th>",
	    fp);
	for (m = first; m < a->nmonths; m++) {
		fputs("<th class=\"n\">", fp);
		esc(fp, a->months[m]);
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (s = 0; s <= a->nservices; s++) {
		if (s < a->nservices) {
			fputs("<tr>", fp);
			td(fp, a->services[s]);
		} else
			fputs("<tr class=\"total\"><td>total</td>", fp);
		for (m = first; m < a->nmonths; m++)
			mcell_write(fp, &a->cells[s * a->nmonths + m]);
		fputs("</tr>\n", fp);
	}
	tend(fp);
}

static void
write_changes(const struct inventory *inv, FILE *fp)
{
	size_t i;

	fprintf(fp, "<h3>Changes from month to month (moved: more than %d%%)"
	    "</h3>\n", inv->threshold_pct);
	thead(fp, "Months|Account|Service|Change|>Before|>After");
	for (i = 0; i < inv->nchanges; i++) {
		const struct inventory_change *c = &inv->changes[i];

		fputs("<tr><td>", fp);
		esc(fp, c->from);
		fputs(" to ", fp);
		esc(fp, c->to);
		fputs("</td>", fp);
		td(fp, c->account);
		if (c->code != NULL)
			td(fp, c->code);
		else
			fputs("<td>(whole account)</td>", fp);
		fprintf(fp, "<td>%s</td>", inventory_change_name(c->kind));
		td_money(fp, c->before, 2);
		td_money(fp, c->after, 2);
		fputs("</tr>\n", fp);
	}
	tend(fp);
}

static void
write_months(const struct report *r, FILE *fp)
{
	size_t i;

	fputs("<h2>4. Month by month</h2>\n", fp);
	if (r->nmonth_accounts == 0)
		fputs("<p>No billing lines.</p>\n", fp);
	else
		fputs("<p class=\"muted\">Each service's cost per month: all "
		    "charges but tax.</p>\n", fp);
	for (i = 0; i < r->nmonth_accounts; i++) {
		const struct report_month_account *a = &r->month_accounts[i];
		size_t nm = a->nmonths > HTML_MONTHS ? HTML_MONTHS : a->nmonths;

		if (nm < a->nmonths && (i == 0 || strcmp(
		    r->month_accounts[i - 1].payer, a->payer) != 0)) {
			fputs("<p class=\"muted\">Payer ", fp);
			esc(fp, a->payer);
			fprintf(fp, ": the last %zu of %zu months.</p>\n", nm,
			    a->nmonths);
		}
		write_month_account(a, a->nmonths - nm, fp);
	}
	if (r->inventory != NULL && r->inventory->nchanges > 0)
		write_changes(r->inventory, fp);
}

int
report_write_html(const struct report *r, FILE *fp)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>Pilvi support report", fp);
	if (r->customer != NULL) {
		fputs(": ", fp);
		esc(fp, r->customer);
	}
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
	write_header(r, fp);
	write_status(r, fp);
	write_estimate(r, fp);
	write_inventory(r->inventory, fp);
	write_months(r, fp);
	fputs("</body>\n</html>\n", fp);
	return ferror(fp) ? -1 : 0;
}
