/*
 * report_csv.c - the billing-spreadsheet feed as CSV (RFC 4180, CRLF):
 * a ledger the spreadsheet can append, the rows of report_feed().
 *
 * Columns (schema_version 2; a change of columns gets a new version,
 * none is ever renamed or reordered; report_feed_columns holds them):
 *   schema_version     2
 *   kind               actual (a line of the bill) or estimate (the
 *                      projection of an open month, one per payer-month);
 *                      with --pricing also pilvi (the budget under Pilvi,
 *                      one per payer-month, with low and high) and
 *                      pilvi_service (its services and Pilvi's support
 *                      fee, to the cent, in Pilvi's currency)
 *   customer_id        export --customer-id, or customers.csv's 4th
 *                      column in the drop folder; empty when not told
 *   customer_name      export --customer, or customers.csv's 2nd column
 *   payer_account      the payer (management) account, text
 *   account_id         the usage (member) account, text; empty: estimate
 *   account_name       its name where a file gives one
 *   month              billing month, YYYY-MM
 *   month_status       open (not invoiced yet) or final (invoiced)
 *   days_covered       days of the month with data, as the report's
 *                      data status counts them
 *   as_of              where the usage lines end, exclusive, ISO 8601
 *                      UTC (2026-10-03T19:00:00Z); empty when the data
 *                      has only month-long lines (monthly reports)
 *   source             the report family counted: cur2, cur, focus,
 *                      dbr-rt, dbr, cost-allocation, monthly
 *   service_code       canonical service code (AmazonEC2; "(none)" for
 *                      lines of no service: tax, credits, rounding...)
 *   service_name       the service's billing name
 *   pilvi_support      supported, unsupported or unknown (not in Pilvi's
 *                      catalog); empty for lines of no service and
 *                      estimates
 *   charge_class       usage, fee, discount, credit, refund, tax,
 *                      rounding; empty for an estimate
 *   currency           ISO 4217 code
 *   amount             actual: the exact sum of the lines, every decimal
 *                      it has (at least 2; "7.1532452", "-5.00"), so a
 *                      payer-month's actual rows add up to its total;
 *                      estimate: the budget before tax, credits and
 *                      refunds, to the cent
 *   low, high          estimate: the 80 % range, to the cent
 *   typical_error_pct  estimate: the typical error measured at that many
 *                      days, percent with one decimal
 * Rows sorted by customer, payer, month, kind, account, service, class.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/*
 * Write s as a CSV field: always quoted (so ids keep their leading
 * zeros in any RFC 4180 reader), quotes doubled, and a text a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR first) made
 * inert with a leading apostrophe.
 */
static void
csv_text(FILE *fp, const char *s)
{
	const char *p;

	if (s == NULL)
		s = "";
	putc('"', fp);
	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
		putc('\'', fp);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			putc('"', fp);
		putc(*p, fp);
	}
	putc('"', fp);
}

/* A number stays a number (unquoted), negative ones included. */
static void
csv_money(FILE *fp, money_t v)
{
	char buf[48];

	money_format_exact(buf, sizeof(buf), v, 2);
	fputs(buf, fp);
}

int
report_write_feed_csv(const struct report_feed_row *rows, size_t n,
    FILE *fp)
{
	size_t i;
	int c;

	for (c = 0; c < REPORT_FEED_NCOLUMNS; c++)
		fprintf(fp, "%s%s", c > 0 ? "," : "", report_feed_columns[c]);
	fputs("\r\n", fp);
	for (i = 0; i < n; i++) {
		const struct report_feed_row *f = &rows[i];
		const char *text[] = { f->kind, f->customer_id,
		    f->customer_name, f->payer, f->account, f->account_name,
		    f->month, f->month_status };
		const char *text2[] = { f->as_of, f->source, f->service_code,
		    f->service_name, f->support, f->charge_class, f->currency };
		size_t k;

		fprintf(fp, "%d", REPORT_FEED_SCHEMA);
		for (k = 0; k < sizeof(text) / sizeof(text[0]); k++) {
			putc(',', fp);
			csv_text(fp, text[k]);
		}
		fprintf(fp, ",%d", f->days_covered);
		for (k = 0; k < sizeof(text2) / sizeof(text2[0]); k++) {
			putc(',', fp);
			csv_text(fp, text2[k]);
		}
		putc(',', fp);
		csv_money(fp, f->amount);
		if (f->is_estimate) {
			putc(',', fp);
			csv_money(fp, f->low);
			putc(',', fp);
			csv_money(fp, f->high);
			fprintf(fp, ",%.1f\r\n", f->typical_error);
		} else
			fputs(",,,\r\n", fp);
	}
	return ferror(fp) ? -1 : 0;
}

int
report_write_csv(const struct report *r, FILE *fp)
{
	struct report_feed_row *rows;
	size_t n = report_feed(r, &rows);
	int rc = report_write_feed_csv(rows, n, fp);

	free(rows);
	return rc;
}
