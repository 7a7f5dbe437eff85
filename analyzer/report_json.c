/*
 * report_json.c - the JSON contract of DESIGN.md. Field names are a
 * stable interface: add, never rename. Money is a string holding the
 * exact decimal.
 */
#include "report.h"

#include "budget.h"
#include "checklist.h"

#include <stdlib.h>
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
write_file(FILE *fp, const struct report_file *f, int with_mail)
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
	fputs(", \"cost_basis\": ", fp);
	json_str(fp, f->cost_basis != NULL && f->cost_basis[0] ?
	    f->cost_basis : NULL);
	fputs(",\n     \"warnings\": ", fp);
	json_list(fp, f->warnings, f->nwarnings);
	/* the files command's own: the report's files stay as they are */
	if (with_mail) {
		fputs(",\n     \"mail_from\": ", fp);
		json_str(fp, f->mail_from);
		fputs(", \"mail_subject\": ", fp);
		json_str(fp, f->mail_subject);
	}
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
	if (p->has_coverage) {
		fputs(",\n     \"coverage\": {\"services\": ", fp);
		json_money(fp, p->services, p->places);
		fputs(", \"usage_fees_discounts\": ", fp);
		json_money(fp, p->serviced, p->places);
		fprintf(fp, ", \"pct\": \"%s%d.%02d\"}", p->coverage_bp < 0 ?
		    "-" : "", abs(p->coverage_bp) / 100,
		    abs(p->coverage_bp) % 100);
	}
	fputs(",\n     \"notes\": ", fp);
	json_list(fp, p->notes, p->nnotes);
	putc('}', fp);
}

static void
write_service(FILE *fp, const struct inventory_service *s)
{
	int i;

	fputs("    {\"payer_account\": ", fp);
	json_str(fp, s->payer);
	fputs(", \"account\": ", fp);
	json_str(fp, s->account);
	fputs(", \"account_name\": ", fp);
	json_str(fp, s->account_name);
	fputs(", \"period\": ", fp);
	json_str(fp, s->period);
	fputs(",\n     \"service\": ", fp);
	json_str(fp, s->name);
	fputs(", \"service_code\": ", fp);
	json_str(fp, s->code);
	fprintf(fp, ", \"known_service\": %s, \"source\": ",
	    s->unknown ? "false" : "true");
	json_str(fp, s->manual ? "manual" : "billing");
	fprintf(fp, ", \"payer_level\": %s", s->payer_level ? "true" :
	    "false");
	fputs(",\n     \"regions\": ", fp);
	json_list(fp, s->regions, s->nregions);
	fprintf(fp, ", \"usage_types\": %ld, \"operations\": %ld, "
	    "\"resources\": %ld,\n     \"top_usage_types\": [", s->usage_types,
	    s->operations, s->resources);
	for (i = 0; i < s->ntop; i++) {
		fputs(i ? ", {\"usage_type\": " : "{\"usage_type\": ", fp);
		json_str(fp, s->top[i].usage_type);
		fputs(", \"cost\": ", fp);
		json_money(fp, s->top[i].cost, s->places);
		putc('}', fp);
	}
	fputs("],\n     \"first_seen\": ", fp);
	json_str(fp, s->first_seen);
	fputs(", \"last_seen\": ", fp);
	json_str(fp, s->last_seen);
	fputs(", \"cost\": ", fp);
	json_money(fp, s->cost, s->places);
	fputs(", \"currency\": ", fp);
	json_str(fp, s->currency);
	fprintf(fp, ", \"share\": \"%s%d.%02d\"", s->share_bp < 0 ? "-" : "",
	    abs(s->share_bp) / 100, abs(s->share_bp) % 100);
	fputs(",\n     \"pilvi_support\": ", fp);
	json_str(fp, s->support);
	fputs(", \"pilvi_note\": ", fp);
	json_str(fp, s->support_note);
	putc('}', fp);
}

static void
write_inventory(FILE *fp, const struct inventory *inv)
{
	size_t i, k;

	fputs(",\n  \"inventory\": [", fp);
	for (i = 0; i < inv->nservices; i++) {
		fputs(i ? ",\n" : "\n", fp);
		write_service(fp, &inv->services[i]);
	}
	fputs(inv->nservices ? "\n  ],\n  \"inventory_accounts\": [" :
	    "],\n  \"inventory_accounts\": [", fp);
	for (i = 0; i < inv->naccounts; i++) {
		const struct inventory_account *a = &inv->accounts[i];

		fputs(i ? ",\n    {\"payer_account\": " :
		    "\n    {\"payer_account\": ", fp);
		json_str(fp, a->payer);
		fputs(", \"account\": ", fp);
		json_str(fp, a->account);
		fputs(", \"account_name\": ", fp);
		json_str(fp, a->account_name);
		fputs(", \"period\": ", fp);
		json_str(fp, a->period);
		fprintf(fp, ", \"services\": %zu, \"cost\": ", a->nservices);
		json_money(fp, a->cost, a->places);
		fputs(", \"untagged_cost\": ", fp);
		json_money(fp, a->untagged, a->places);
		fputs(",\n     \"tag_keys\": [", fp);
		for (k = 0; k < a->ntags; k++) {
			fputs(k ? ", {\"key\": " : "{\"key\": ", fp);
			json_str(fp, a->tags[k].key);
			fputs(", \"cost\": ", fp);
			json_money(fp, a->tags[k].cost, a->places);
			putc('}', fp);
		}
		fputs("]}", fp);
	}
	fputs(inv->naccounts ? "\n  ],\n  \"inventory_payers\": [" :
	    "],\n  \"inventory_payers\": [", fp);
	for (i = 0; i < inv->npayers; i++) {
		const struct inventory_payer *p = &inv->payers[i];

		fputs(i ? ",\n    {\"payer_account\": " :
		    "\n    {\"payer_account\": ", fp);
		json_str(fp, p->payer);
		fputs(", \"period\": ", fp);
		json_str(fp, p->period);
		fprintf(fp, ", \"accounts\": %zu, \"services\": %zu, "
		    "\"cost\": ", p->naccounts, p->nservices);
		json_money(fp, p->cost, p->places);
		putc('}', fp);
	}
	fputs(inv->npayers ? "\n  ],\n  \"needs_attention\": [" :
	    "],\n  \"needs_attention\": [", fp);
	for (i = 0; i < inv->nattention; i++) {
		const struct inventory_service *s =
		    &inv->services[inv->attention[i]];

		fputs(i ? ",\n    {\"account\": " : "\n    {\"account\": ", fp);
		json_str(fp, s->account);
		fputs(", \"service_code\": ", fp);
		json_str(fp, s->code);
		fputs(", \"cost\": ", fp);
		json_money(fp, s->cost, s->places);
		fputs(", \"pilvi_support\": ", fp);
		json_str(fp, s->support);
		putc('}', fp);
	}
	fputs(inv->nattention ? "\n  ],\n  \"inventory_changes\": [" :
	    "],\n  \"inventory_changes\": [", fp);
	for (i = 0; i < inv->nchanges; i++) {
		const struct inventory_change *c = &inv->changes[i];

		fputs(i ? ",\n    {\"payer_account\": " :
		    "\n    {\"payer_account\": ", fp);
		json_str(fp, c->payer);
		fputs(", \"account\": ", fp);
		json_str(fp, c->account);
		fputs(", \"service_code\": ", fp);
		json_str(fp, c->code);
		fputs(", \"change\": ", fp);
		json_str(fp, inventory_change_name(c->kind));
		fputs(", \"from\": ", fp);
		json_str(fp, c->from);
		fputs(", \"to\": ", fp);
		json_str(fp, c->to);
		fputs(", \"before\": ", fp);
		json_money(fp, c->before, c->places);
		fputs(", \"after\": ", fp);
		json_money(fp, c->after, c->places);
		putc('}', fp);
	}
	fputs(inv->nchanges ? "\n  ]" : "]", fp);
}

static void
write_estimate_body(FILE *fp, const struct estimate *e,
    const struct estimate_record *hist, size_t nhist)
{
	size_t i, k;

	fputs("{\"period\": ", fp);
	json_str(fp, e->period);
	fprintf(fp, ", \"days_observed\": %d, \"amount\": ", e->days_observed);
	/* no billing month, no estimate: null, not a budget of 0.00; nor
	 * a sum across currencies (each payer has its own below) */
	if (e->npayers == 0 || e->mixed != NULL)
		fputs("null, \"low\": null, \"high\": null", fp);
	else {
		json_money(fp, e->amount, 2);
		fputs(", \"low\": ", fp);
		json_money(fp, e->low, 2);
		fputs(", \"high\": ", fp);
		json_money(fp, e->high, 2);
	}
	fputs(", \"currency\": ", fp);
	json_str(fp, e->currency);
	fputs(",\n    \"tax\": ", fp);
	if (e->mixed != NULL)
		fputs("null", fp);
	else
		json_money(fp, e->tax, 2);
	fputs(", \"credits\": ", fp);
	if (e->mixed != NULL)
		fputs("null", fp);
	else
		json_money(fp, e->credits, 2);
	fputs(", \"confidence\": ", fp);
	json_str(fp, e->confidence);
	fprintf(fp, ", \"range_coverage_pct\": 80, \"typical_error_pct\": "
	    "\"%.1f\", \"error_months\": %d", e->typical_error,
	    e->error_months);
	fputs(",\n    \"by_service\": [", fp);
	for (i = 0; i < e->nservices; i++) {
		fputs(i ? ", {\"service\": " : "{\"service\": ", fp);
		json_str(fp, e->services[i].code);
		fputs(", \"name\": ", fp);
		json_str(fp, e->services[i].name);
		fputs(", \"amount\": ", fp);
		json_money(fp, e->services[i].amount, 2);
		putc('}', fp);
	}
	fputs("],\n    \"by_payer\": [", fp);
	for (i = 0; i < e->npayers; i++) {
		const struct estimate_payer *p = &e->payers[i];

		fputs(i ? ",\n      {\"payer_account\": " :
		    "\n      {\"payer_account\": ", fp);
		json_str(fp, p->payer);
		fputs(", \"period\": ", fp);
		json_str(fp, p->period);
		fputs(", \"status\": ", fp);
		json_str(fp, p->status);
		fputs(", \"amount\": ", fp);
		json_money(fp, p->amount, 2);
		fputs(", \"low\": ", fp);
		json_money(fp, p->low, 2);
		fputs(", \"high\": ", fp);
		json_money(fp, p->high, 2);
		fputs(", \"currency\": ", fp);
		json_str(fp, p->currency);
		fputs(", \"confidence\": ", fp);
		json_str(fp, p->confidence);
		fprintf(fp, ", \"days_observed\": %d, \"days_in_month\": %d,"
		    "\n       \"usage_observed\": ", p->days_observed,
		    p->days_in_month);
		json_money(fp, p->usage_observed, 2);
		fputs(", \"usage_projected\": ", fp);
		json_money(fp, p->usage_projected, 2);
		fputs(", \"fees\": ", fp);
		json_money(fp, p->month_charges + p->fees_daily +
		    p->fees_daily_projected, 2);
		fputs(", \"month_charges\": ", fp);
		json_money(fp, p->month_charges, 2);
		fputs(", \"fees_daily\": ", fp);
		json_money(fp, p->fees_daily, 2);
		fputs(", \"fees_daily_projected\": ", fp);
		json_money(fp, p->fees_daily_projected, 2);
		fputs(", \"fees_expected\": ", fp);
		json_money(fp, p->fees_expected, 2);
		fputs(", \"one_time\": ", fp);
		json_money(fp, p->one_time, 2);
		fputs(",\n       \"tax\": ", fp);
		json_money(fp, p->tax, 2);
		fputs(", \"credits\": ", fp);
		json_money(fp, p->credits, 2);
		fputs(", \"refunds\": ", fp);
		json_money(fp, p->refunds, 2);
		fputs(", \"naive\": ", fp);
		json_money(fp, p->naive, 2);
		fputs(", \"run_rate\": ", fp);
		json_money(fp, p->run_rate, 2);
		fputs(",\n       \"usage_to_date\": ", fp);
		json_money(fp, p->usage_to_date, 2);
		fputs(", \"usage_partial\": ", fp);
		json_money(fp, p->usage_partial, 2);
		fprintf(fp, ", \"partial_days\": %d, \"start_day\": %d, "
		    "\"typical_error_pct\": \"%.1f\", \"error_months\": %d, "
		    "\"history_days\": %d", p->partial_days, p->start_day,
		    p->typical_error, p->error_months, p->history_days);
		fputs(", \"previous_period\": ", fp);
		json_str(fp, p->previous_period);
		fputs(", \"previous_amount\": ", fp);
		if (p->previous_period != NULL)
			json_money(fp, p->previous_amount, 2);
		else
			fputs("null", fp);
		fputs(",\n       \"parts\": [", fp);
		for (k = 0; k < p->nparts; k++) {
			static const char *const kinds[] = { "part", "total",
			    "apart", "compare" };

			fputs(k ? ", {\"label\": " : "{\"label\": ", fp);
			json_str(fp, p->parts[k].label);
			fputs(", \"kind\": ", fp);
			json_str(fp, kinds[p->parts[k].kind]);
			fputs(", \"amount\": ", fp);
			json_money(fp, p->parts[k].amount, 2);
			putc('}', fp);
		}
		putc(']', fp);
		fputs(", \"notes\": ", fp);
		json_list(fp, p->notes, p->nnotes);
		putc('}', fp);
	}
	fputs(e->npayers ? "\n    ],\n    \"method\": " :
	    "],\n    \"method\": ", fp);
	json_str(fp, e->method);
	fputs(",\n    \"notes\": ", fp);
	json_list(fp, e->notes, e->nnotes);
	fputs(",\n    \"history\": [", fp);
	for (i = 0; i < nhist; i++) {
		fputs(i ? ",\n      {\"payer_account\": " :
		    "\n      {\"payer_account\": ", fp);
		json_str(fp, hist[i].payer);
		fputs(", \"period\": ", fp);
		json_str(fp, hist[i].period);
		fputs(", \"made_at\": ", fp);
		json_str(fp, hist[i].made_at);
		fputs(", \"data_through\": ", fp);
		json_str(fp, hist[i].data_through);
		fputs(", \"amount\": ", fp);
		json_money(fp, hist[i].amount, 2);
		fputs(", \"actual\": ", fp);
		json_money(fp, hist[i].actual, 2);
		fprintf(fp, ", \"error_pct\": \"%.2f\"}", hist[i].err_pct);
	}
	fputs(nhist ? "\n    ]}" : "]}", fp);
}

/*
 * The budget under Pilvi (docs/pricing.md): per payer the AWS and the
 * Pilvi side, each figure rounded once to the cent, and the rules'
 * effects. Written only with --pricing, so that reports without it
 * stay as they were.
 */
static void
write_pilvi_budget(FILE *fp, const struct budget *b)
{
	size_t i, k;

	fputs(",\n  \"pilvi_budget\": {\"rules\": ", fp);
	json_str(fp, b->rules);
	fputs(", \"version\": ", fp);
	json_str(fp, b->version);
	fputs(",\n    \"by_payer\": [", fp);
	for (i = 0; i < b->npayers; i++) {
		const struct budget_payer *p = &b->payers[i];
		const struct pricing_result *r = &p->at;

		fputs(i ? ",\n      {\"payer_account\": " :
		    "\n      {\"payer_account\": ", fp);
		json_str(fp, p->payer);
		fputs(", \"period\": ", fp);
		json_str(fp, p->period);
		fputs(", \"aws_currency\": ", fp);
		json_str(fp, r->aws_currency);
		fputs(", \"currency\": ", fp);
		json_str(fp, r->currency);
		fputs(",\n       \"aws_amount\": ", fp);
		json_money(fp, r->aws_amount, 2);
		fputs(", \"amount\": ", fp);
		json_money(fp, r->pilvi_amount, 2);
		fputs(", \"low\": ", fp);
		json_money(fp, p->low, 2);
		fputs(", \"high\": ", fp);
		json_money(fp, p->high, 2);
		fputs(", \"support_fee\": ", fp);
		json_money(fp, r->support_fee, 2);
		fputs(",\n       \"aws_credits\": ", fp);
		json_money(fp, r->aws_credits, 2);
		fputs(", \"credits\": ", fp);
		json_money(fp, r->pilvi_credits, 2);
		fputs(", \"aws_tax\": ", fp);
		json_money(fp, r->aws_tax, 2);
		fputs(", \"tax\": ", fp);
		json_money(fp, r->pilvi_tax, 2);
		fputs(", \"aws_total\": ", fp);
		json_money(fp, r->aws_total, 2);
		fputs(", \"total\": ", fp);
		json_money(fp, r->pilvi_total, 2);
		fputs(",\n       \"by_service\": [", fp);
		for (k = 0; k < r->nservices; k++) {
			const struct pricing_service *s = &r->services[k];

			fputs(k ? ",\n         {\"service\": " :
			    "\n         {\"service\": ", fp);
			json_str(fp, s->service);
			fputs(", \"aws\": ", fp);
			json_money(fp, s->aws, 2);
			fputs(", \"pilvi\": ", fp);
			json_money(fp, s->pilvi, 2);
			fprintf(fp, ", \"support_plan\": %s}", s->support_plan ?
			    "true" : "false");
		}
		fputs(r->nservices ? "],\n       \"effects\": [" :
		    "], \"effects\": [", fp);
		for (k = 0; k < r->neffects; k++) {
			const struct pricing_effect *e = &r->effects[k];
			char text[512];

			pricing_effect_format(text, sizeof(text), e);
			fputs(k ? ",\n         {\"text\": " :
			    "\n         {\"text\": ", fp);
			json_str(fp, text);
			fprintf(fp, ", \"rule_line\": %ld, \"aws\": ", e->line);
			json_money(fp, e->aws, 2);
			fputs(", \"pilvi\": ", fp);
			json_money(fp, e->pilvi, 2);
			putc('}', fp);
		}
		fputs("]}", fp);
	}
	fputs(b->npayers ? "\n    ]}" : "]}", fp);
}

/* Exact, with at least the cents. */
static void
json_amount(FILE *fp, money_t v)
{
	char buf[48];

	money_format_exact(buf, sizeof(buf), v, 2);
	json_str(fp, buf);
}

static const char *
json_bool(int v)
{
	return v ? "true" : "false";
}

static void
write_amounts(FILE *fp, const char *member, const char *name,
    const char *detail, const struct checklist_amount *v, size_t n)
{
	size_t i;

	fprintf(fp, ",\n     \"%s\": [", member);
	for (i = 0; i < n; i++) {
		fprintf(fp, "%s{\"%s\": ", i ? ",\n       " : "\n       ",
		    name);
		json_str(fp, v[i].name);
		fprintf(fp, ", \"%s\": ", detail);
		json_str(fp, v[i].detail);
		fputs(", \"currency\": ", fp);
		json_str(fp, v[i].currency);
		fputs(", \"amount\": ", fp);
		json_amount(fp, v[i].amount);
		putc('}', fp);
	}
	putc(']', fp);
}

/* The move checklist (docs/move.md): per payer, its latest month. */
static void
write_checklist(FILE *fp, const struct checklist *c)
{
	size_t i, k;

	fputs(",\n  \"move_checklist\": [", fp);
	for (i = 0; i < c->npayers; i++) {
		const struct checklist_payer *p = &c->payers[i];

		fputs(i ? ",\n    {\"payer_account\": " :
		    "\n    {\"payer_account\": ", fp);
		json_str(fp, p->payer);
		fputs(", \"period\": ", fp);
		json_str(fp, p->period);
		fputs(", \"format\": ", fp);
		json_str(fp, p->format);
		fputs(",\n     \"commitments\": [", fp);
		for (k = 0; k < p->ncommitments; k++) {
			const struct checklist_commitment *m =
			    &p->commitments[k];

			fputs(k ? ",\n       {\"kind\": " :
			    "\n       {\"kind\": ", fp);
			json_str(fp, m->kind);
			fputs(", \"arn\": ", fp);
			json_str(fp, m->arn);
			fputs(",\n        \"owner_account\": ", fp);
			json_str(fp, m->owner);
			fputs(", \"end\": ", fp);
			json_str(fp, m->end);
			fputs(", \"currency\": ", fp);
			json_str(fp, m->currency);
			fputs(", \"monthly_fee\": ", fp);
			json_amount(fp, m->fee);
			fputs(", \"covered\": ", fp);
			json_amount(fp, m->covered);
			fprintf(fp, ", \"covered_lines\": %ld,\n        "
			    "\"accounts\": ", m->covered_lines);
			json_list(fp, m->accounts, m->naccounts);
			fprintf(fp, ", \"applies_after_move\": %s}",
			    m->owner_moves < 0 ? "null" :
			    json_bool(m->owner_moves));
		}
		fputs("],\n     \"marketplace\": [", fp);
		for (k = 0; k < p->nmarketplace; k++) {
			const struct checklist_marketplace *m =
			    &p->marketplace[k];

			fputs(k ? ",\n       {\"seller\": " :
			    "\n       {\"seller\": ", fp);
			json_str(fp, m->seller);
			fputs(", \"product\": ", fp);
			json_str(fp, m->product);
			fputs(", \"currency\": ", fp);
			json_str(fp, m->currency);
			fputs(", \"amount\": ", fp);
			json_amount(fp, m->amount);
			fputs(", \"last_charge\": ", fp);
			json_str(fp, m->last_charge);
			fputs(", \"next_charge\": ", fp);
			json_str(fp, m->next_charge);
			putc('}', fp);
		}
		putc(']', fp);
		write_amounts(fp, "credits_ending", "service_code",
		    "service_name", p->credits, p->ncredits);
		write_amounts(fp, "support_plan", "service_code",
		    "service_name", p->support, p->nsupport);
		write_amounts(fp, "taxes", "entity", "tax_type", p->taxes,
		    p->ntaxes);
		fputs(",\n     \"currencies\": ", fp);
		json_list(fp, p->currencies, p->ncurrencies);
		fputs(",\n     \"accounts\": [", fp);
		for (k = 0; k < p->naccounts; k++) {
			const struct checklist_account *a = &p->accounts[k];

			fputs(k ? ",\n       {\"account_id\": " :
			    "\n       {\"account_id\": ", fp);
			json_str(fp, a->id);
			fprintf(fp, ", \"in_data\": %s, \"listed\": %s, "
			    "\"moves\": %s}", json_bool(a->in_data),
			    json_bool(a->listed), json_bool(a->moves));
		}
		fputs("],\n     \"needs\": {\"complete_month\": ", fp);
		json_str(fp, p->complete_month);
		fprintf(fp, ", \"days_known\": %s, \"days_missing\": ",
		    json_bool(p->days_known));
		json_list(fp, p->days_missing, p->ndays_missing);
		fprintf(fp, ",\n       \"has_resources\": %s, "
		    "\"has_tags\": %s}}", json_bool(p->has_resources),
		    json_bool(p->has_tags));
	}
	fputs(c->npayers ? "\n  ]" : "]", fp);
}

int
report_write_estimate_json(const struct estimate *e,
    const struct estimate_record *hist, size_t nhist,
    const struct budget *pilvi, FILE *fp)
{
	fputs("{\n  \"estimate\": ", fp);
	write_estimate_body(fp, e, hist, nhist);
	if (pilvi != NULL)
		write_pilvi_budget(fp, pilvi);
	fputs("\n}\n", fp);
	return ferror(fp) ? -1 : 0;
}

/* The opening both documents share: generated_at and the files; with
 * with_mail, each file's e-mail too (the files command's own). */
static void
write_head(FILE *fp, const struct report *r, int with_mail)
{
	size_t i;

	fputs("{\n  \"generated_at\": ", fp);
	json_str(fp, r->generated_at);
	fputs(",\n  \"files\": [", fp);
	for (i = 0; i < r->nfiles; i++) {
		fputs(i ? ",\n" : "\n", fp);
		write_file(fp, &r->files[i], with_mail);
	}
	fputs(r->nfiles ? "\n  ]" : "]", fp);
}

int
report_write_json(const struct report *r, FILE *fp)
{
	size_t i;

	write_head(fp, r, 0);
	fputs(",\n  \"periods\": [", fp);
	for (i = 0; i < r->nperiods; i++) {
		fputs(i ? ",\n" : "\n", fp);
		write_period(fp, &r->periods[i]);
	}
	fputs(r->nperiods ? "\n  ]" : "]", fp);
	if (r->inventory != NULL)
		write_inventory(fp, r->inventory);
	if (r->estimate != NULL && r->estimate->npayers > 0) {
		fputs(",\n  \"estimate\": ", fp);
		write_estimate_body(fp, r->estimate, r->history, r->nhistory);
	}
	if (r->checklist != NULL)
		write_checklist(fp, r->checklist);
	if (r->pilvi != NULL)
		write_pilvi_budget(fp, r->pilvi);
	fputs("\n}\n", fp);
	return ferror(fp) ? -1 : 0;
}

int
report_write_files_json(const struct report *r, FILE *fp)
{
	write_head(fp, r, 1);
	fputs("\n}\n", fp);
	return ferror(fp) ? -1 : 0;
}
