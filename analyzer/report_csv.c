/*
 * report_csv.c - the billing-spreadsheet feed as CSV (RFC 4180).
 *
 * Columns (schema_version 1; a new column gets a new version, none is
 * ever renamed or reordered):
 *   schema_version  1
 *   payer_account   the payer (management) account, text
 *   account_id      the usage (member) account, text
 *   account_name    its name where a file gives one
 *   month           billing month, YYYY-MM
 *   service_code    canonical service code (AmazonEC2, ...)
 *   service_name    the service's billing name
 *   charge_class    usage, fee, discount, credit, refund, tax, rounding
 *   currency        ISO 4217 code
 *   amount          the month's cost, a plain decimal with 2 places
 * One row per payer x account x month x service x charge class.
 */
#include "report.h"

#include <string.h>

#define CSV_SCHEMA_VERSION 1

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

int
report_write_csv(const struct report *r, FILE *fp)
{
	size_t i;

	fputs("schema_version,payer_account,account_id,account_name,month,"
	    "service_code,service_name,charge_class,currency,amount\r\n", fp);
	for (i = 0; i < r->nlines; i++) {
		const struct report_line *l = &r->lines[i];
		char amount[48];

		/* numbers stay numbers, negative ones included */
		money_format(amount, sizeof(amount), l->cost, 2);
		fprintf(fp, "%d,", CSV_SCHEMA_VERSION);
		csv_text(fp, l->payer);
		putc(',', fp);
		csv_text(fp, l->account);
		putc(',', fp);
		csv_text(fp, l->account_name);
		putc(',', fp);
		csv_text(fp, l->period);
		putc(',', fp);
		csv_text(fp, l->service_code);
		putc(',', fp);
		csv_text(fp, l->service_name);
		putc(',', fp);
		csv_text(fp, l->cls);
		putc(',', fp);
		csv_text(fp, l->currency);
		fprintf(fp, ",%s\r\n", amount);
	}
	return ferror(fp) ? -1 : 0;
}
