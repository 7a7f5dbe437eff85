/*
 * report_text.c - a document as plain text for the terminal: no colour,
 * no markup. Paragraphs wrap at 80 columns; a table fits 80 columns by
 * wrapping its text columns where it can and never passes 100 (a table
 * that cannot is printed as one record per row). Charts are for the
 * HTML report and are left out here. report_text_render_width lays the
 * same out to other widths (an e-mail's 72 columns, never passed).
 */
#include "document.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define WIDTH 80		/* what paragraphs and tables aim for */
#define MAX_WIDTH 100		/* what no line passes (but a long word) */
#define MIN_TEXT 16		/* a text column narrows to this at the least */
#define WORD 20			/* ... and, past WIDTH, breaks words longer */

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* The widths a rendering aims at and never passes. */
struct layout {
	size_t width, max;
};

/* Bytes of the first n code points of s (all of s when shorter). */
static size_t
prefix_bytes(const char *s, size_t n)
{
	size_t i = 0, cp = 0;

	for (; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && cp++ == n)
			break;
	return i;
}

/*
 * Break s into lines of at most `width` code points: at a space where
 * there is one, else after a '-', '_', '/', '.' or ',' (names and
 * paths), else anywhere. *lines is the caller's (free each, then it).
 */
static size_t
wrap(const char *s, size_t width, char ***lines)
{
	size_t n = 0;

	*lines = NULL;
	width = MAX(width, 1);
	do {
		size_t cut = prefix_bytes(s, width), take, i;

		if (s[cut] == '\0' || s[cut] == ' ')
			take = cut;
		else {
			for (i = cut; i > 0 && s[i - 1] != ' '; i--)
				;
			if (i > 0)
				take = i - 1;
			else {
				for (i = cut; i > 1 && strchr("-_/.,",
				    s[i - 1]) == NULL; i--)
					;
				take = i > 1 ? i : cut;
			}
		}
		*lines = xrealloc(*lines, (n + 1) * sizeof(**lines));
		(*lines)[n++] = xstrndup(s, take);
		s += take;
		while (*s == ' ')
			s++;
	} while (*s != '\0');
	return n;
}

static void
free_lines(char **lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* The widest word of s (code points): where a title may wrap. */
static size_t
widest_word(const char *s)
{
	size_t best = 0, cur = 0;

	for (; *s != '\0'; s++)
		if (*s == ' ')
			cur = 0;
		else if (((unsigned char)*s & 0xc0) != 0x80 && ++cur > best)
			best = cur;
	return best;
}

/* A paragraph: `first` before the first line, `indent` spaces before
 * the others (a hanging indent). */
static void
put_wrapped(FILE *fp, const struct layout *lo, const char *s, size_t indent,
    const char *first)
{
	char **lines;
	size_t n = wrap(s, lo->width > indent + 20 ? lo->width - indent : 20,
	    &lines);
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(fp, "%*s%s\n", i == 0 ? 0 : (int)indent, i == 0 ?
		    first : "", lines[i]);
	free_lines(lines, n);
}

/* A paragraph or list item: its spans as one text (plain has no
 * styles), wrapped. */
static void
put_text(FILE *fp, const struct layout *lo, const struct doc_text *t,
    size_t indent, const char *bullet)
{
	char first[16], *s;
	size_t i, len = 0;

	for (i = 0; i < t->nspans; i++)
		len += strlen(t->spans[i].text);
	s = xmalloc(len + 1);
	for (i = 0, len = 0, *s = '\0'; i < t->nspans; i++) {
		memcpy(s + len, t->spans[i].text, strlen(t->spans[i].text) + 1);
		len += strlen(s + len);
	}
	snprintf(first, sizeof(first), "%*s%s", (int)indent, "", bullet);
	put_wrapped(fp, lo, s, indent + strlen(bullet), first);
	free(s);
}

/* ---- tables ------------------------------------------------------------ */

/* One row laid out: each cell's lines, padded to the column widths. */
static void
put_row(FILE *fp, const struct doc_table *t, const char *const *cells,
    const size_t *w, size_t indent)
{
	char ***lines = xcalloc(t->ncols, sizeof(*lines));
	size_t *n = xcalloc(t->ncols, sizeof(*n)), height = 0, i, l;

	for (i = 0; i < t->ncols; i++) {
		n[i] = wrap(cells[i], w[i], &lines[i]);
		height = MAX(height, n[i]);
	}
	for (l = 0; l < height; l++) {
		size_t pending = indent;	/* spaces owed: none at the end */

		for (i = 0; i < t->ncols; i++) {
			const char *s = l < n[i] ? lines[i][l] : "";
			size_t sw = doc_width(s);

			if (*s != '\0') {
				if (doc_numeric(t->cols[i].type))
					pending += w[i] - sw;
				fprintf(fp, "%*s%s", (int)pending, "", s);
				pending = doc_numeric(t->cols[i].type) ? 0 :
				    w[i] - sw;
			} else
				pending += w[i];
			pending += 2;
		}
		putc('\n', fp);
	}
	for (i = 0; i < t->ncols; i++)
		free_lines(lines[i], n[i]);
	free(lines);
	free(n);
}

/* Column titles in capitals, as terminal tables have them. */
static char **
titles(const struct doc_table *t)
{
	char **h = xcalloc(t->ncols, sizeof(*h));
	size_t i, k;

	for (i = 0; i < t->ncols; i++) {
		h[i] = xstrdup(t->cols[i].title);
		for (k = 0; h[i][k] != '\0'; k++)
			h[i][k] = (char)toupper((unsigned char)h[i][k]);
	}
	return h;
}

/* A table too wide even wrapped: one "TITLE: value" block per row. */
static void
put_records(FILE *fp, const struct layout *lo, const struct doc_table *t,
    char **head, size_t indent)
{
	size_t r, i, tw = 0;

	for (i = 0; i < t->ncols; i++)
		tw = MAX(tw, doc_width(head[i]));
	for (r = 0; r < t->nrows; r++) {
		if (r > 0)
			putc('\n', fp);
		for (i = 0; i < t->ncols; i++) {
			char first[64];

			snprintf(first, sizeof(first), "%*s%s:%*s", (int)indent,
			    "", head[i], (int)(tw - doc_width(head[i]) + 1), "");
			put_wrapped(fp, lo, t->rows[r].cells[i].text, indent +
			    tw + 2, first);
		}
	}
}

/* Narrow the widest column that can give (down to min) until the table
 * fits `target`; returns its width. */
static size_t
narrow(size_t *w, const size_t *min, size_t ncols, size_t indent,
    size_t target)
{
	size_t i, total;

	for (;;) {
		size_t best = ncols;

		for (i = 0, total = indent; i < ncols; i++)
			total += w[i] + (i > 0 ? 2 : 0);
		if (total <= target)
			return total;
		for (i = 0; i < ncols; i++)
			if (w[i] > min[i] && (best == ncols || w[i] > w[best]))
				best = i;
		if (best == ncols)
			return total;
		w[best]--;
	}
}

/*
 * A table aims at lo->width by wrapping text at its spaces (no column
 * below MIN_TEXT, no word broken); past lo->max it breaks words longer
 * than WORD too; past that it is printed as records.
 */
static void
put_table(FILE *fp, const struct layout *lo, const struct doc_table *t,
    size_t indent, int header)
{
	/* widths: as wide as the widest cell; soft and hard: narrowest */
	size_t *w = xcalloc(3 * t->ncols, sizeof(*w));
	size_t *soft = w + t->ncols, *hard = soft + t->ncols, i, r;
	const char **cells = xcalloc(t->ncols, sizeof(*cells));
	char **head = titles(t);

	for (i = 0; i < t->ncols; i++) {
		w[i] = header ? doc_width(head[i]) : 0;
		soft[i] = hard[i] = header ? widest_word(head[i]) : 1;
		for (r = 0; r < t->nrows; r++) {
			const char *s = t->rows[r].cells[i].text;
			size_t cw = doc_width(s), word = widest_word(s);
			size_t phrase = MIN(cw, MIN_TEXT);

			w[i] = MAX(w[i], cw);
			/* numbers and dates never wrap (a title may) */
			if (t->cols[i].type != DOC_TEXT)
				word = phrase = cw;
			soft[i] = MAX(soft[i], MAX(word, phrase));
			hard[i] = MAX(hard[i], MAX(phrase, MIN(word, WORD)));
		}
	}
	if (narrow(w, soft, t->ncols, indent, lo->width) > lo->max &&
	    narrow(w, hard, t->ncols, indent, lo->max) > lo->max)
		put_records(fp, lo, t, head, indent);
	else {
		if (header)
			put_row(fp, t, (const char *const *)head, w, indent);
		for (r = 0; r < t->nrows; r++) {
			for (i = 0; i < t->ncols; i++)
				cells[i] = t->rows[r].cells[i].text;
			put_row(fp, t, cells, w, indent);
		}
	}
	for (i = 0; i < t->ncols; i++)
		free(head[i]);
	free(head);
	free(cells);
	free(w);
}

/* Facts and key figures are tables without a header. */
static void
put_pairs(FILE *fp, const struct layout *lo, const struct doc_block *b,
    size_t indent)
{
	struct doc *tmp = doc_new();
	struct doc_table *t = doc_table(tmp, b->kind == DOC_FACTS ? "|" :
	    "|$|");
	size_t i;

	for (i = 0; i < b->npairs; i++) {
		doc_row(t, 0);
		doc_cell(t, DOC_PLAIN, "%s%s", b->pairs[i].label,
		    b->kind == DOC_FACTS ? ":" : "");
		doc_cell(t, DOC_PLAIN, "%s", b->pairs[i].value);
		if (b->kind == DOC_FIGURES)
			doc_cell(t, DOC_PLAIN, "%s", b->pairs[i].detail);
	}
	put_table(fp, lo, t, indent, 0);
	doc_free(tmp);
}

/* ---- blocks ------------------------------------------------------------ */

/* Headings at the left but the smallest, which stands with the text
 * (indented 2 under every heading). */
static void
put_heading(FILE *fp, const struct layout *lo, const struct doc_block *b)
{
	size_t n = doc_width(b->title);

	put_wrapped(fp, lo, b->title, b->level == 4 ? 2 : 0, b->level == 4 ?
	    "  " : "");
	if (b->level <= 2) {
		for (n = n > lo->width ? lo->width : n; n > 0; n--)
			putc(b->level == 1 ? '=' : '-', fp);
		putc('\n', fp);
	}
}

int
report_text_render(const struct doc *d, FILE *fp)
{
	return report_text_render_width(d, WIDTH, MAX_WIDTH, fp);
}

int
report_text_render_width(const struct doc *d, size_t width,
    size_t max_width, FILE *fp)
{
	const struct layout lo = { width, max_width < width ? width :
	    max_width };
	size_t i, k, indent = 0;
	int after_heading = 0;

	for (i = 0; i < d->nblocks; i++) {
		const struct doc_block *b = &d->blocks[i];

		if (b->kind == DOC_CHART)
			continue;
		/* a blank line between blocks, none under a small heading */
		if (i > 0 && after_heading <= 2)
			putc('\n', fp);
		after_heading = 0;
		switch (b->kind) {
		case DOC_HEADING:
			put_heading(fp, &lo, b);
			indent = 2;
			after_heading = b->level;
			break;
		case DOC_PARAGRAPH:
			put_text(fp, &lo, &b->text, indent, "");
			break;
		case DOC_LIST:
			if (b->title != NULL)
				fprintf(fp, "%*s%s:\n", (int)indent, "",
				    b->title);
			for (k = 0; k < b->nitems; k++) {
				char mark[48];

				/* a numbered list's marks are as wide as
				 * its widest, so the items line up */
				snprintf(mark, sizeof(mark), "%*zu. ",
				    snprintf(NULL, 0, "%zu", b->nitems), k + 1);
				put_text(fp, &lo, &b->items[k], indent,
				    b->numbered ? mark : "- ");
			}
			break;
		case DOC_FACTS:
		case DOC_FIGURES:
			put_pairs(fp, &lo, b, indent);
			break;
		case DOC_TABLE:
			put_table(fp, &lo, &b->table, indent, 1);
			break;
		case DOC_CHART:
			break;
		}
	}
	return ferror(fp) ? -1 : 0;
}
