/*
 * report_markdown.c - the support report as GitHub-flavoured Markdown,
 * to paste into a ticket: headings, pipe tables with money right-aligned
 * and grouped, no HTML. Same sections, in the same order, as the text
 * report: header, data status, budget estimate, inventory, month by
 * month.
 *
 * Text from the customer's files (account and service names, file
 * names, warnings) goes through md_text(), so a name cannot end a table
 * cell, start a list or heading, or turn into a link or markup.
 */
#include "report.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Months shown side by side in the month-by-month tables. */
#define MD_MONTHS 12

/* The thin-data threshold: fewer complete days give a rough estimate. */
#define MD_FIRM_DAYS 14

/*
 * Write s as inert inline Markdown, safe in a table cell, a list item
 * or mid-heading. Markup characters are backslash-escaped (CommonMark
 * allows that for any ASCII punctuation): | ends a GFM cell, \ ` * _ [ ]
 * < > ~ & $ are inline markup, HTML, entities or math. Line breaks and
 * other control characters become spaces, leading blanks are dropped
 * (they would make a code block in a list item), and a leading # + - =
 * or "1." / "1)" is escaped so it cannot open a heading or a list.
 * "://" and "www." are broken up so GitHub does not autolink them.
 */
static void
md_text(FILE *fp, const char *s)
{
	const unsigned char *p, *start;
	size_t digits = 0;

	if (s == NULL)
		return;
	start = (const unsigned char *)s;
	while (*start == ' ' || *start == '\t' || *start == '\n' ||
	    *start == '\r')
		start++;
	while (isdigit(start[digits]))
		digits++;
	for (p = start; *p != '\0'; p++) {
		int esc = strchr("\\`*_[]<>|~&$", *p) != NULL;

		if (p == start && strchr("#+-=", *p) != NULL)
			esc = 1;
		if (digits > 0 && p == start + digits &&
		    (*p == '.' || *p == ')'))
			esc = 1;
		if (*p == ':' && p[1] == '/' && p[2] == '/')
			esc = 1;
		if (*p == '.' && p - start >= 3 && tolower(p[-1]) == 'w' &&
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

/* Money with thousands separators, into buf (48 bytes is plenty). */
static const char *
mny(char *buf, size_t n, money_t v, int places)
{
	money_format_grouped(buf, n, v, places);
	return buf;
}

/*
 * A table head from a spec of '|'-separated titles (our own text, not
 * escaped); a title starting with '>' is right-aligned (money, counts).
 */
static void
md_head(FILE *fp, const char *spec)
{
	const char *p, *bar;
	int pass, right;

	for (pass = 0; pass < 2; pass++) {
		fputs("\n|", fp);
		for (p = spec; p != NULL; p = bar != NULL ? bar + 1 : NULL) {
			bar = strchr(p, '|');
			right = *p == '>';
			if (pass == 0)
				fprintf(fp, " %.*s |", bar != NULL ?
				    (int)(bar - p) - right :
				    (int)strlen(p) - right, p + right);
			else
				fputs(right ? " ---: |" : " --- |", fp);
		}
	}
	putc('\n', fp);
}

/* One cell of customer text; an empty one shows as "-". */
static void
cell(FILE *fp, const char *s)
{
	putc(' ', fp);
	if (s == NULL || *s == '\0')
		putc('-', fp);
	else
		md_text(fp, s);
	fputs(" |", fp);
}

/* One cell of our own text (money, counts, fixed words). */
static void
cell_raw(FILE *fp, const char *s)
{
	fprintf(fp, " %s |", s);
}

static void
cell_money(FILE *fp, money_t v, int places)
{
	char buf[48];

	cell_raw(fp, mny(buf, sizeof(buf), v, places));
}

/* "123456789012 (Acme Web)" as a comma-separated list. */
static void
account_list(FILE *fp, const struct report *r, char *const *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *name = report_account_name(r, ids[i]);

		fputs(i ? ", " : "", fp);
		md_text(fp, ids[i]);
		if (name != NULL) {
			fputs(" (", fp);
			md_text(fp, name);
			putc(')', fp);
		}
	}
}

/* ---- 0. header --------------------------------------------------------- */

static void
write_header(const struct report *r, FILE *fp)
{
	size_t i;

	fputs("# Pilvi support report\n\n", fp);
	if (r->customer != NULL) {
		fputs("- **Customer:** ", fp);
		md_text(fp, r->customer);
		putc('\n', fp);
	}

	fprintf(fp, "- **Payer account%s:** ", r->npayers == 1 ? "" : "s");
	if (r->npayers == 0)
		fputs("none", fp);
	account_list(fp, r, r->payers, r->npayers);
	fprintf(fp, "\n- **Accounts (%zu):** ", r->naccounts);
	if (r->naccounts == 0)
		fputs("none", fp);
	account_list(fp, r, r->accounts, r->naccounts);
	fputs("\n- **Billing periods:** ", fp);
	if (r->nmonths == 0)
		fputs("none", fp);
	for (i = 0; i < r->nmonths; i++) {
		fputs(i ? ", " : "", fp);
		md_text(fp, r->months[i]);
	}
	fputs("\n- **Formats:** ", fp);
	if (r->nformats == 0)
		fputs("none", fp);
	for (i = 0; i < r->nformats; i++) {
		fputs(i ? ", " : "", fp);
		md_text(fp, r->formats[i]);
	}
	fprintf(fp, "\n- **Generated:** %s\n", r->generated_at);

	fputs("\n### Files\n", fp);
	if (r->nfiles == 0) {
		fputs("\nNo files ingested.\n", fp);
		return;
	}
	md_head(fp, ">#|File|Format|Container|Payer|Period|>Rows|>Warnings|"
	    "Status");
	for (i = 0; i < r->nfiles; i++) {
		const struct report_file *f = &r->files[i];
		char buf[48];

		fprintf(fp, "| %lld |", f->id);
		cell(fp, f->name);
		cell(fp, f->format);
		cell(fp, f->container);
		cell(fp, f->payer);
		cell(fp, f->period);
		fprintf(fp, " %ld | %zu |", f->rows, f->nwarnings);
		if (f->replaced_by != 0) {
			snprintf(buf, sizeof(buf), "replaced by #%lld",
			    f->replaced_by);
			cell_raw(fp, buf);
		} else
			cell(fp, f->status);
		putc('\n', fp);
	}
}

/* ---- 1. data status ---------------------------------------------------- */

static void
write_status(const struct report *r, FILE *fp)
{
	int used[CHARGE_NCLASS] = { 0 }, c, any = 0;
	size_t i, k;

	fputs("\n## 1. Data status\n", fp);
	if (r->nperiods == 0)
		fputs("\nNo billing periods.\n", fp);
	else {
		md_head(fp, "Payer|Month|Status|Days with data|Counted from|"
		    ">Total|Currency|Statement total");
		for (i = 0; i < r->nperiods; i++) {
			const struct report_period *p = &r->periods[i];
			char a[48], b[48];

			fputs("|", fp);
			cell(fp, p->payer);
			cell(fp, p->period);
			cell_raw(fp, p->estimated ? "open (estimated)" :
			    "final");
			if (p->first_day != NULL) {
				fprintf(fp, " %d (", p->days_covered);
				md_text(fp, p->first_day);
				fputs("..", fp);
				md_text(fp, p->last_day);
				fputs(") |", fp);
			} else
				cell_raw(fp, "none");
			cell(fp, p->format);
			cell_money(fp, p->total, p->places);
			cell(fp, p->currency);
			if (p->reconciled < 0)
				cell_raw(fp, "no total rows: cannot reconcile");
			else if (p->reconciled)
				fprintf(fp, " %s: reconciled to the cent |",
				    mny(a, sizeof(a), p->statement, 2));
			else
				fprintf(fp, " %s: **not reconciled**, "
				    "difference %s |",
				    mny(a, sizeof(a), p->statement, 2),
				    mny(b, sizeof(b), p->difference, 2));
			putc('\n', fp);
			for (c = 0; c < CHARGE_NCLASS; c++)
				if (p->by_class[c] != 0)
					used[c] = any = 1;
		}
	}
	if (any) {
		fputs("\n### Charges by class\n\n|", fp);
		fputs(" Payer | Month |", fp);
		for (c = 0; c < CHARGE_NCLASS; c++)
			if (used[c])
				fprintf(fp, " %s |", charge_class_name(c));
		fputs(" total |\n| --- | --- |", fp);
		for (c = 0; c < CHARGE_NCLASS; c++)
			if (used[c])
				fputs(" ---: |", fp);
		fputs(" ---: |\n", fp);
		for (i = 0; i < r->nperiods; i++) {
			const struct report_period *p = &r->periods[i];

			fputs("|", fp);
			cell(fp, p->payer);
			cell(fp, p->period);
			/* "-" for zero: a column is there for the other months */
			for (c = 0; c < CHARGE_NCLASS; c++)
				if (used[c] && p->by_class[c] == 0)
					cell_raw(fp, "-");
				else if (used[c])
					cell_money(fp, p->by_class[c],
					    p->places);
			cell_money(fp, p->total, p->places);
			putc('\n', fp);
		}
	}
	for (i = 0, any = 0; i < r->nperiods; i++)
		for (k = 0; k < r->periods[i].nnotes; k++) {
			if (!any++)
				fputs("\nNotes:\n\n", fp);
			fputs("- payer ", fp);
			md_text(fp, r->periods[i].payer);
			fputs(", ", fp);
			md_text(fp, r->periods[i].period);
			fputs(": ", fp);
			md_text(fp, r->periods[i].notes[k]);
			putc('\n', fp);
		}
	for (i = 0, any = 0; i < r->nfiles; i++)
		for (k = 0; k < r->files[i].nwarnings; k++) {
			if (!any++)
				fputs("\n### Warnings from ingest\n\n", fp);
			fprintf(fp, "- file #%lld: ", r->files[i].id);
			md_text(fp, r->files[i].warnings[k]);
			putc('\n', fp);
		}
	/* the seed sends 2-4 weeks of a month: say when that is too little */
	for (i = 0, any = 0; r->estimate != NULL && i < r->estimate->npayers;
	    i++) {
		const struct estimate_payer *p = &r->estimate->payers[i];

		if (p->final || p->days_observed >= MD_FIRM_DAYS)
			continue;
		if (!any++)
			fputs("\n### Too early for a firm estimate\n\n", fp);
		fputs("- **payer ", fp);
		md_text(fp, p->payer);
		fputs(", ", fp);
		md_text(fp, p->period);
		fprintf(fp, ": only %d of %d days: wait ~%d days for a firmer "
		    "estimate** (or send the full month)\n", p->days_observed,
		    p->days_in_month, MD_FIRM_DAYS - p->days_observed);
	}
}

/* ---- 2. budget estimate ------------------------------------------------ */

/* Services and their share of `total` (the amount they add up to). */
static void
write_services(FILE *fp, const struct estimate_service *s, size_t n,
    money_t total)
{
	size_t i;

	md_head(fp, "Service|Name|>Amount|>Share");
	for (i = 0; i < n; i++) {
		char buf[32];

		fputs("|", fp);
		cell(fp, s[i].code);
		cell(fp, s[i].name);
		cell_money(fp, s[i].amount, 2);
		/* a share is no money: a double is fine here */
		if (total > 0)
			snprintf(buf, sizeof(buf), "%.1f%%", 100.0 *
			    (double)s[i].amount / (double)total);
		else
			snprintf(buf, sizeof(buf), "-");
		cell_raw(fp, buf);
		putc('\n', fp);
	}
}

static void
write_estimate_payer(const struct estimate *e, const struct estimate_payer *p,
    FILE *fp)
{
	char a[48], lo[48], hi[48];
	size_t i;

	fputs("\n### Payer ", fp);
	md_text(fp, p->payer);
	fputs(", ", fp);
	md_text(fp, p->period);
	fprintf(fp, "\n\n**%s ", mny(a, sizeof(a), p->amount, 2));
	md_text(fp, p->currency);
	if (p->complete)
		fputs(p->final ? "**, final" : "**, every day in, not yet "
		    "invoiced", fp);
	else
		fprintf(fp, "** (80 %% range %s to %s), confidence **%s**, "
		    "estimated", mny(lo, sizeof(lo), p->low, 2),
		    mny(hi, sizeof(hi), p->high, 2), p->confidence);
	if (strcmp(p->period, e->period) != 0)
		fputs("; not in the all-payers total: its data ends in an "
		    "earlier month", fp);
	fputs("\n\n| Part | Amount |\n| --- | ---: |\n", fp);
	for (i = 0; i < p->nparts; i++) {
		if (p->parts[i].kind == ESTIMATE_PART_TOTAL) {
			fputs("| **", fp);
			md_text(fp, p->parts[i].label);
			fprintf(fp, "** | **%s** |\n", mny(a, sizeof(a),
			    p->parts[i].amount, 2));
			continue;
		}
		fputs("| ", fp);
		md_text(fp, p->parts[i].label);
		fprintf(fp, " | %s |\n", mny(a, sizeof(a), p->parts[i].amount,
		    2));
	}
	if (p->nservices > 0) {
		fputs("\nBy service:\n", fp);
		write_services(fp, p->services, p->nservices, p->amount);
	}
	if (p->nnotes > 0)
		putc('\n', fp);
	for (i = 0; i < p->nnotes; i++) {
		fputs("- ", fp);
		md_text(fp, p->notes[i]);
		putc('\n', fp);
	}
}

static void
write_estimate(const struct report *r, FILE *fp)
{
	const struct estimate *e = r->estimate;
	size_t i;

	fputs("\n## 2. Budget estimate\n", fp);
	if (e == NULL) {
		fputs("\nNot part of this report.\n", fp);
		return;
	}
	if (e->npayers == 0) {
		fputs("\nNo billing data to estimate from.\n", fp);
		return;
	}
	if (e->npayers > 1) {
		char a[48], lo[48], hi[48];

		fputs("\n**All payers, ", fp);
		md_text(fp, e->period);
		fprintf(fp, ": %s ", mny(a, sizeof(a), e->amount, 2));
		md_text(fp, e->currency);
		fprintf(fp, "** (80 %% range %s to %s), confidence **%s**\n",
		    mny(lo, sizeof(lo), e->low, 2),
		    mny(hi, sizeof(hi), e->high, 2), e->confidence);
		fprintf(fp, "\nTax projected apart: %s; credits and refunds "
		    "left out: %s.\n", mny(a, sizeof(a), e->tax, 2),
		    mny(lo, sizeof(lo), e->credits, 2));
		if (e->nservices > 0) {
			fputs("\nBy service, all payers:\n", fp);
			write_services(fp, e->services, e->nservices,
			    e->amount);
		}
		/* with one payer these are that payer's notes, shown below */
		if (e->nnotes > 0)
			putc('\n', fp);
		for (i = 0; i < e->nnotes; i++) {
			fputs("- ", fp);
			md_text(fp, e->notes[i]);
			putc('\n', fp);
		}
	}
	for (i = 0; i < e->npayers; i++)
		write_estimate_payer(e, &e->payers[i], fp);
	if (e->method != NULL) {
		fputs("\nMethod: ", fp);
		md_text(fp, e->method);
		fputs(".\n", fp);
	}
	if (r->nhistory > 0) {
		fputs("\n### Earlier estimates of months now complete\n", fp);
		md_head(fp, "Payer|Month|Made|Data through|>Days|>Estimate|"
		    ">Actual|>Off");
		for (i = 0; i < r->nhistory; i++) {
			const struct estimate_record *h = &r->history[i];
			char off[32];

			fputs("|", fp);
			cell(fp, h->payer);
			cell(fp, h->period);
			cell(fp, h->made_at);
			cell(fp, h->data_through);
			fprintf(fp, " %d |", h->days_observed);
			cell_money(fp, h->amount, 2);
			cell_money(fp, h->actual, 2);
			snprintf(off, sizeof(off), "%+.1f%%", h->err_pct);
			cell_raw(fp, off);
			putc('\n', fp);
		}
	}
}

/* ---- 3. inventory ------------------------------------------------------ */

static void
write_account(const struct inventory *inv, const struct inventory_account *a,
    FILE *fp)
{
	char buf[48], share[16];
	size_t i, k;

	fputs("\n#### Account ", fp);
	md_text(fp, a->account);
	if (a->account_name != NULL && a->account_name[0] != '\0') {
		fputs(" (", fp);
		md_text(fp, a->account_name);
		putc(')', fp);
	}
	fprintf(fp, ": %zu service%s, %s ", a->nservices,
	    a->nservices == 1 ? "" : "s", mny(buf, sizeof(buf), a->cost, 2));
	md_text(fp, a->currency);
	putc('\n', fp);
	md_head(fp, "Service|Regions|>Usage types|>Resources|First seen|"
	    "Last seen|>Cost|>Share|Pilvi support");
	for (i = 0; i < inv->nservices; i++) {
		const struct inventory_service *s = &inv->services[i];
		int bp = s->share_bp;

		if (strcmp(s->payer, a->payer) != 0 ||
		    strcmp(s->period, a->period) != 0 ||
		    strcmp(s->account, a->account) != 0)
			continue;
		fputs("|", fp);
		cell(fp, s->code);
		putc(' ', fp);
		if (s->nregions == 0)
			putc('-', fp);
		for (k = 0; k < s->nregions; k++) {
			fputs(k ? ", " : "", fp);
			md_text(fp, s->regions[k]);
		}
		fprintf(fp, " | %ld | %ld |", s->usage_types, s->resources);
		cell(fp, s->first_seen);
		cell(fp, s->last_seen);
		cell_money(fp, s->cost, 2);
		snprintf(share, sizeof(share), "%s%d.%02d%%", bp < 0 ? "-" : "",
		    abs(bp) / 100, abs(bp) % 100);
		cell_raw(fp, share);
		fprintf(fp, " %s%s%s |", s->support, s->manual ?
		    " (from a service list)" : "", s->payer_level ?
		    " (partly stated for the payer only)" : "");
		putc('\n', fp);
	}
	if (a->ntags == 0 && a->untagged == a->cost)
		fputs("\nNo tags.\n", fp);
	else {
		fprintf(fp, "\nUntagged %s of ",
		    mny(buf, sizeof(buf), a->untagged, 2));
		fprintf(fp, "%s; tag keys:", mny(buf, sizeof(buf), a->cost, 2));
		for (k = 0; k < a->ntags; k++) {
			fputs(k ? ", " : " ", fp);
			md_text(fp, a->tags[k].key);
			fprintf(fp, " (%s)", mny(buf, sizeof(buf),
			    a->tags[k].cost, 2));
		}
		fputs(".\n", fp);
	}
}

static void
write_inventory(const struct inventory *inv, FILE *fp)
{
	size_t i, j;

	fputs("\n## 3. Service inventory\n", fp);
	if (inv == NULL) {
		fputs("\nNot part of this report.\n", fp);
		return;
	}
	if (inv->nservices == 0) {
		fputs("\nNo services: nothing ingested for that selection.\n",
		    fp);
		return;
	}
	fputs("\n### Needs attention (unsupported or unknown to Pilvi, by "
	    "cost)\n", fp);
	if (inv->nattention == 0)
		fputs("\nNothing: Pilvi supports every service listed.\n", fp);
	else
		md_head(fp, "Account|Service|Name|>Cost|Pilvi support|Note");
	for (i = 0; i < inv->nattention; i++) {
		const struct inventory_service *s =
		    &inv->services[inv->attention[i]];
		const char *note = s->support_note;

		if (note == NULL || note[0] == '\0')
			note = s->unknown ? "not a service we know" :
			    strcmp(s->support, "unknown") == 0 ?
			    "not in Pilvi's catalog" : "";
		fputs("|", fp);
		cell(fp, s->account);
		cell(fp, s->code);
		cell(fp, s->name);
		cell_money(fp, s->cost, 2);
		cell_raw(fp, s->support);
		cell(fp, note);
		putc('\n', fp);
	}
	for (i = 0; i < inv->npayers; i++) {
		const struct inventory_payer *p = &inv->payers[i];
		char buf[48];

		fputs("\n### Payer ", fp);
		md_text(fp, p->payer);
		fputs(", ", fp);
		md_text(fp, p->period);
		fprintf(fp, ": %zu account%s, %zu service line%s, %s ",
		    p->naccounts, p->naccounts == 1 ? "" : "s", p->nservices,
		    p->nservices == 1 ? "" : "s",
		    mny(buf, sizeof(buf), p->cost, 2));
		md_text(fp, p->currency);
		fputs("\n\nCost is usage, fees and discounts.\n", fp);
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
		cell_raw(fp, "overflow");
	else if (c->state == 0)
		cell_raw(fp, "-");
	else
		cell_money(fp, c->cost, 2);
}

/* One account's table, from its month `first` on. */
static void
write_month_account(const struct report_month_account *a, size_t first,
    FILE *fp)
{
	size_t s, m;

	fputs("\n### Account ", fp);
	md_text(fp, a->account);
	if (a->account_name != NULL && a->account_name[0] != '\0') {
		fputs(" (", fp);
		md_text(fp, a->account_name);
		putc(')', fp);
	}
	fputs(", payer ", fp);
	md_text(fp, a->payer);
	fputs(", ", fp);
	md_text(fp, a->currency);
	fputs("\n\n| Service |", fp);
	for (m = first; m < a->nmonths; m++) {
		putc(' ', fp);
		md_text(fp, a->months[m]);
		fputs(" |", fp);
	}
	fputs("\n| --- |", fp);
	for (m = first; m < a->nmonths; m++)
		fputs(" ---: |", fp);
	putc('\n', fp);
	for (s = 0; s <= a->nservices; s++) {
		if (s < a->nservices) {
			fputs("|", fp);
			cell(fp, a->services[s]);
		} else
			fputs("| **total** |", fp);
		for (m = first; m < a->nmonths; m++)
			mcell_write(fp, &a->cells[s * a->nmonths + m]);
		putc('\n', fp);
	}
}

static void
write_changes(const struct inventory *inv, FILE *fp)
{
	size_t i;

	fprintf(fp, "\n### Changes from month to month (moved: more than "
	    "%d%%)\n", inv->threshold_pct);
	md_head(fp, "Months|Account|Service|Change|>Before|>After");
	for (i = 0; i < inv->nchanges; i++) {
		const struct inventory_change *c = &inv->changes[i];

		fputs("| ", fp);
		md_text(fp, c->from);
		fputs("..", fp);
		md_text(fp, c->to);
		fputs(" |", fp);
		cell(fp, c->account);
		if (c->code != NULL)
			cell(fp, c->code);
		else
			cell_raw(fp, "(whole account)");
		cell_raw(fp, inventory_change_name(c->kind));
		cell_money(fp, c->before, 2);
		cell_money(fp, c->after, 2);
		putc('\n', fp);
	}
}

static void
write_months(const struct report *r, FILE *fp)
{
	size_t i;

	fputs("\n## 4. Month by month\n", fp);
	if (r->nmonth_accounts == 0)
		fputs("\nNo billing lines.\n", fp);
	else
		fputs("\nEach service's cost per month: all charges but tax.\n",
		    fp);
	for (i = 0; i < r->nmonth_accounts; i++) {
		const struct report_month_account *a = &r->month_accounts[i];
		size_t nm = a->nmonths > MD_MONTHS ? MD_MONTHS : a->nmonths;

		if (nm < a->nmonths && (i == 0 || strcmp(
		    r->month_accounts[i - 1].payer, a->payer) != 0)) {
			fputs("\nPayer ", fp);
			md_text(fp, a->payer);
			fprintf(fp, ": the last %zu of %zu months.\n", nm,
			    a->nmonths);
		}
		write_month_account(a, a->nmonths - nm, fp);
	}
	if (r->inventory != NULL && r->inventory->nchanges > 0)
		write_changes(r->inventory, fp);
}

int
report_write_markdown(const struct report *r, FILE *fp)
{
	write_header(r, fp);
	write_status(r, fp);
	write_estimate(r, fp);
	write_inventory(r->inventory, fp);
	write_months(r, fp);
	return ferror(fp) ? -1 : 0;
}
