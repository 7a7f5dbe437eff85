/*
 * report_json.c - the JSON contract of DESIGN.md. Field names are a
 * stable interface: add, never rename. Money is a string holding the
 * exact decimal.
 */
#include "report.h"

#include <string.h>

static void
json_str(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL) {
		fputs("null", fp);
		return;
	}
	putc('"', fp);
	for (; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if (*p < 0x20)
				fprintf(fp, "\\u%04x", *p);
			else
				putc(*p, fp);
		}
	}
	putc('"', fp);
}

static void
json_money(FILE *fp, money_t v, int places)
{
	char buf[48];

	money_format(buf, sizeof(buf), v, places);
	json_str(fp, buf);
}

/* Totals the file states are written with 2 decimals; keep them so
 * unless they carry more. */
static int
statement_places(money_t v, int places)
{
	return money_round(v, 2) == v ? 2 : places;
}

static void
json_list(FILE *fp, char *const *v, size_t n)
{
	size_t i;

	putc('[', fp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputs(", ", fp);
		json_str(fp, v[i]);
	}
	putc(']', fp);
}

static void
write_file(FILE *fp, const struct report_file *f)
{
	fputs("    {\"id\": ", fp);
	fprintf(fp, "%lld", f->id);
	fputs(", \"name\": ", fp);
	json_str(fp, f->name);
	fputs(", \"sha256\": ", fp);
	json_str(fp, f->sha256);
	fputs(", \"format\": ", fp);
	json_str(fp, f->format);
	fputs(", \"container\": ", fp);
	json_str(fp, f->container);
	fputs(",\n     \"payer_account\": ", fp);
	json_str(fp, f->payer);
	fputs(", \"period\": ", fp);
	json_str(fp, f->period);
	fprintf(fp, ", \"rows\": %ld, \"size\": %llu, \"status\": ", f->rows,
	    f->size);
	json_str(fp, f->status);
	if (f->replaced_by != 0)
		fprintf(fp, ", \"replaced_by\": %lld", f->replaced_by);
	fputs(", \"ingested_at\": ", fp);
	json_str(fp, f->ingested_at);
	fputs(",\n     \"warnings\": ", fp);
	json_list(fp, f->warnings, f->nwarnings);
	putc('}', fp);
}

static void
write_period(FILE *fp, const struct report_period *p)
{
	int c;

	fputs("    {\"payer_account\": ", fp);
	json_str(fp, p->payer);
	fputs(", \"period\": ", fp);
	json_str(fp, p->period);
	fputs(", \"status\": ", fp);
	json_str(fp, p->estimated ? "estimated" : "final");
	fputs(", \"format\": ", fp);
	json_str(fp, p->format);
	fputs(",\n     \"first_day\": ", fp);
	json_str(fp, p->first_day);
	fputs(", \"last_day\": ", fp);
	json_str(fp, p->last_day);
	fprintf(fp, ", \"days_covered\": %d, \"currency\": ", p->days_covered);
	json_str(fp, p->currency);
	fputs(",\n     \"total\": ", fp);
	json_money(fp, p->total, p->places);
	fputs(",\n     \"by_class\": {", fp);
	for (c = 0; c < CHARGE_NCLASS; c++) {
		fprintf(fp, "%s\"%s\": ", c ? ", " : "", charge_class_name(c));
		json_money(fp, p->by_class[c], p->places);
	}
	fputs("},\n     \"statement_total\": ", fp);
	if (p->has_statement)
		json_money(fp, p->statement, statement_places(p->statement,
		    p->places));
	else
		fputs("null", fp);
	fputs(", \"reconciled\": ", fp);
	fputs(p->reconciled < 0 ? "null" : p->reconciled ? "true" : "false",
	    fp);
	if (p->reconciled == 0) {
		fputs(", \"difference\": ", fp);
		json_money(fp, p->difference, 2);
	}
	fputs(",\n     \"notes\": ", fp);
	json_list(fp, p->notes, p->nnotes);
	putc('}', fp);
}

int
report_write_json(const struct report *r, FILE *fp)
{
	size_t i;

	fputs("{\n  \"generated_at\": ", fp);
	json_str(fp, r->generated_at);
	fputs(",\n  \"files\": [", fp);
	for (i = 0; i < r->nfiles; i++) {
		fputs(i ? ",\n" : "\n", fp);
		write_file(fp, &r->files[i]);
	}
	fputs(r->nfiles ? "\n  ],\n  \"periods\": [" : "],\n  \"periods\": [",
	    fp);
	for (i = 0; i < r->nperiods; i++) {
		fputs(i ? ",\n" : "\n", fp);
		write_period(fp, &r->periods[i]);
	}
	fputs(r->nperiods ? "\n  ]\n}\n" : "]\n}\n", fp);
	return ferror(fp) ? -1 : 0;
}
