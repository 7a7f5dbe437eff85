/*
 * report_markdown.c - a document as GitHub-flavoured Markdown, to paste
 * into a ticket: headings, lists, pipe tables with numbers
 * right-aligned, no HTML. Charts are for the HTML report and are left
 * out.
 *
 * Every text goes through md_text(), so a name from a customer's file
 * cannot end a table cell, start a list or heading, or turn into a link
 * or markup. Numbers are our own digits and go out as they are.
 */
#include "document.h"

#include <ctype.h>
#include <string.h>

/*
 * Write s as inert inline Markdown, safe in a table cell, a list item
 * or mid-heading. Markup characters are backslash-escaped (CommonMark
 * allows that for any ASCII punctuation): | ends a GFM cell, \ ` * _ [ ]
 * < > ~ & $ are inline markup, HTML, entities or math. Line breaks and
 * other control characters become spaces. "://" and "www." are broken
 * up so GitHub does not autolink them. At the start of a line (`start`),
 * leading blanks are dropped (they would make a code block in a list
 * item), and a leading # + - = or "1. " / "1) " is escaped so it cannot
 * open a heading or a list.
 */
static void
md_text(FILE *fp, const char *s, int start)
{
	const unsigned char *p, *first;
	size_t digits = 0;

	if (s == NULL)
		return;
	first = (const unsigned char *)s;
	while (start && (*first == ' ' || *first == '\t' || *first == '\n' ||
	    *first == '\r'))
		first++;
	while (start && isdigit(first[digits]))
		digits++;
	for (p = first; *p != '\0'; p++) {
		int esc = strchr("\\`*_[]<>|~&$", *p) != NULL;

		if (start && p == first && strchr("#+-=", *p) != NULL)
			esc = 1;
		if (digits > 0 && p == first + digits && (*p == '.' ||
		    *p == ')') && (p[1] == '\0' || p[1] == ' ' || p[1] == '\t'))
			esc = 1;
		if (*p == ':' && p[1] == '/' && p[2] == '/')
			esc = 1;
		if (*p == '.' && p - first >= 3 && tolower(p[-1]) == 'w' &&
		    tolower(p[-2]) == 'w' && tolower(p[-3]) == 'w')
			esc = 1;
		if (*p < 0x20 || *p == 0x7f) {
			putc(' ', fp);
			continue;
		}
		if (esc)
			putc('\\', fp);
		putc(*p, fp);
	}
}

/* pre, s as md_text() writes it, post */
static void
md_put(FILE *fp, const char *pre, const char *s, int start, const char *post)
{
	fputs(pre, fp);
	md_text(fp, s, start);
	fputs(post, fp);
}

/* A number of ours (digits, sign, separators, "%", "-" for none) as it
 * is, and what follows it ("USD") as text. */
static void
md_value(FILE *fp, const char *s)
{
	size_t n = strspn(s, "0123456789.,+-% ");

	fwrite(s, 1, n, fp);
	md_text(fp, s + n, n == 0);
}

/* The spans, bold where the document stresses one. */
static void
md_spans(FILE *fp, const struct doc_text *t)
{
	size_t i;

	for (i = 0; i < t->nspans; i++) {
		enum doc_style st = t->spans[i].style;
		const char *b = st == DOC_STRONG || st == DOC_BAD ? "**" : "";

		md_put(fp, b, t->spans[i].text, i == 0 && *b == '\0', b);
	}
}

static void
md_table(FILE *fp, const struct doc_table *t)
{
	size_t r, i;

	fputs("|", fp);
	for (i = 0; i < t->ncols; i++)
		md_put(fp, " ", t->cols[i].title, 1, " |");
	fputs("\n|", fp);
	for (i = 0; i < t->ncols; i++)
		fputs(doc_numeric(t->cols[i].type) ? " ---: |" : " --- |", fp);
	putc('\n', fp);
	for (r = 0; r < t->nrows; r++) {
		fputs("|", fp);
		for (i = 0; i < t->ncols; i++) {
			const struct doc_span *c = &t->rows[r].cells[i];
			int bold = t->rows[r].total || c->style == DOC_BAD;

			fputs(bold ? " **" : " ", fp);
			if (doc_numeric(t->cols[i].type) ||
			    strcmp(c->text, "-") == 0)
				md_value(fp, c->text);
			else
				md_text(fp, c->text, 1);
			fputs(bold ? "** |" : " |", fp);
		}
		putc('\n', fp);
	}
}

int
report_markdown_render(const struct doc *d, FILE *fp)
{
	size_t i, k;

	for (i = 0; i < d->nblocks; i++) {
		const struct doc_block *b = &d->blocks[i];

		if (b->kind == DOC_CHART)
			continue;
		if (i > 0)
			putc('\n', fp);
		switch (b->kind) {
		case DOC_HEADING:
			fprintf(fp, "%.*s ", b->level, "####");
			md_put(fp, "", b->title, 0, "\n");
			break;
		case DOC_PARAGRAPH:
			md_spans(fp, &b->text);
			putc('\n', fp);
			break;
		case DOC_LIST:
			if (b->title != NULL)
				md_put(fp, "**", b->title, 0, "**\n\n");
			for (k = 0; k < b->nitems; k++) {
				if (b->numbered)
					fprintf(fp, "%zu. ", k + 1);
				else
					fputs("- ", fp);
				md_spans(fp, &b->items[k]);
				putc('\n', fp);
			}
			break;
		case DOC_FACTS:
			for (k = 0; k < b->npairs; k++) {
				md_put(fp, "- **", b->pairs[k].label, 0, ":** ");
				md_put(fp, "", b->pairs[k].value, 0, "\n");
			}
			break;
		case DOC_FIGURES:
			fputs("| Key figure | Value | What it is |\n"
			    "| --- | ---: | --- |\n", fp);
			for (k = 0; k < b->npairs; k++) {
				md_put(fp, "| ", b->pairs[k].label, 1, " | ");
				md_value(fp, b->pairs[k].value);
				md_put(fp, " | ", b->pairs[k].detail, 1, " |\n");
			}
			break;
		case DOC_TABLE:
			md_table(fp, &b->table);
			break;
		case DOC_CHART:
			break;
		}
	}
	return ferror(fp) ? -1 : 0;
}
