/*
 * format.c - header detection and the column maps of each report kind
 * (formats.md §1-§9).
 */
#include "format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash64.h"
#include "xalloc.h"

/* The canonical columns a report may have. */
enum col {
	C_PAYER, C_PAYER_NAME, C_ACCOUNT, C_ACCOUNT_NAME,
	C_RECORD_TYPE, C_RECORD_ID, C_INVOICE, C_PERIOD_START,
	C_USAGE_START, C_USAGE_END, C_PRODUCT_CODE, C_PRODUCT_NAME,
	C_SERVICE_CODE, C_USAGE_TYPE, C_OPERATION, C_AZ, C_REGION,
	C_RESOURCE, C_DESCRIPTION, C_QUANTITY, C_CURRENCY,
	C_COST, C_BLENDED, C_CREDITS, C_TAX, C_TOTAL, C_LINE_TYPE,
	C_PROVIDER, C_MONTH, C_LINE_ID,
	C_CHARGE_CLASS,		/* FOCUS ChargeClass: "Correction" or null */
	C_PRODUCT_MAP,		/* CUR 2.0 "product": the product attributes
				   as a JSON map */
	C_SPLIT_PARENT,		/* split cost allocation: the instance a
				   task's or pod's line was split from */
	C_RI_ARN, C_RI_END,	/* the reservation a line belongs to */
	C_SP_ARN, C_SP_END,	/* the Savings Plan a line belongs to */
	C_COMMITMENT_ID,	/* FOCUS CommitmentDiscountId: either ARN */
	C_BILLING_ENTITY,	/* "AWS" or "AWS Marketplace" */
	C_SELLER,		/* LegalEntity, SellerOfRecord */
	C_INVOICING_ENTITY, C_TAX_TYPE,
	C_NCOL
};

struct colname {
	enum col col;
	const char *name;
};

/* Monthly report and cost allocation report (formats.md §2, §3). */
static const struct colname monthly_cols[] = {
	{ C_INVOICE, "InvoiceID" }, { C_PAYER, "PayerAccountId" },
	{ C_ACCOUNT, "LinkedAccountId" }, { C_RECORD_TYPE, "RecordType" },
	{ C_RECORD_ID, "RecordID" },
	{ C_PERIOD_START, "BillingPeriodStartDate" },
	{ C_PAYER_NAME, "PayerAccountName" },
	{ C_ACCOUNT_NAME, "LinkedAccountName" },
	{ C_PRODUCT_CODE, "ProductCode" }, { C_PRODUCT_NAME, "ProductName" },
	{ C_USAGE_TYPE, "UsageType" }, { C_OPERATION, "Operation" },
	{ C_AZ, "AvailabilityZone" }, { C_DESCRIPTION, "ItemDescription" },
	{ C_USAGE_START, "UsageStartDate" }, { C_USAGE_END, "UsageEndDate" },
	{ C_QUANTITY, "UsageQuantity" }, { C_CURRENCY, "CurrencyCode" },
	{ C_COST, "CostBeforeTax" }, { C_CREDITS, "Credits" },
	{ C_TAX, "TaxAmount" }, { C_TOTAL, "TotalCost" },
	{ C_SELLER, "SellerOfRecord" }, { C_TAX_TYPE, "TaxType" },
};

/* DBR and DBR with resources and tags (§4, §5). The single-account
 * layout has Cost instead of UnBlendedCost; see find_columns. */
static const struct colname dbr_cols[] = {
	{ C_INVOICE, "InvoiceID" }, { C_PAYER, "PayerAccountId" },
	{ C_ACCOUNT, "LinkedAccountId" }, { C_RECORD_TYPE, "RecordType" },
	{ C_RECORD_ID, "RecordId" }, { C_PRODUCT_NAME, "ProductName" },
	{ C_USAGE_TYPE, "UsageType" }, { C_OPERATION, "Operation" },
	{ C_AZ, "AvailabilityZone" }, { C_DESCRIPTION, "ItemDescription" },
	{ C_USAGE_START, "UsageStartDate" }, { C_USAGE_END, "UsageEndDate" },
	{ C_QUANTITY, "UsageQuantity" }, { C_COST, "UnBlendedCost" },
	{ C_BLENDED, "BlendedCost" }, { C_RESOURCE, "ResourceId" },
};

/* Legacy Cost and Usage Report (§6). */
static const struct colname cur_cols[] = {
	{ C_INVOICE, "bill/InvoiceId" }, { C_PAYER, "bill/PayerAccountId" },
	{ C_LINE_ID, "identity/LineItemId" },
	{ C_PERIOD_START, "bill/BillingPeriodStartDate" },
	{ C_ACCOUNT, "lineItem/UsageAccountId" },
	{ C_LINE_TYPE, "lineItem/LineItemType" },
	{ C_USAGE_START, "lineItem/UsageStartDate" },
	{ C_USAGE_END, "lineItem/UsageEndDate" },
	{ C_PRODUCT_CODE, "lineItem/ProductCode" },
	{ C_USAGE_TYPE, "lineItem/UsageType" },
	{ C_OPERATION, "lineItem/Operation" },
	{ C_AZ, "lineItem/AvailabilityZone" },
	{ C_RESOURCE, "lineItem/ResourceId" },
	{ C_QUANTITY, "lineItem/UsageAmount" },
	{ C_CURRENCY, "lineItem/CurrencyCode" },
	{ C_COST, "lineItem/UnblendedCost" },
	{ C_BLENDED, "lineItem/BlendedCost" },
	{ C_DESCRIPTION, "lineItem/LineItemDescription" },
	{ C_PRODUCT_NAME, "product/ProductName" },
	{ C_REGION, "product/region" },
	{ C_SERVICE_CODE, "product/servicecode" },
	{ C_SPLIT_PARENT, "splitLineItem/ParentResourceId" },
	{ C_RI_ARN, "reservation/ReservationARN" },
	{ C_RI_END, "reservation/EndTime" },
	{ C_SP_ARN, "savingsPlan/SavingsPlanARN" },
	{ C_SP_END, "savingsPlan/EndTime" },
	{ C_BILLING_ENTITY, "bill/BillingEntity" },
	{ C_INVOICING_ENTITY, "bill/InvoicingEntity" },
	{ C_SELLER, "lineItem/LegalEntity" },
	{ C_TAX_TYPE, "lineItem/TaxType" },
};

/*
 * Legacy CUR through AWS's Athena integration, delivered as Parquet
 * (§6: "<report-name>.parquet"): the CSV's columns renamed in snake case,
 * lineItem/UnblendedCost -> line_item_unblended_cost, resourceTags/
 * user:Name -> resource_tags_user_name (AWS, "Running Amazon Athena
 * queries", and CUR 2.0's own names, which kept the scheme). Most names
 * are CUR 2.0's too; see is_athena_cur for how the two are told apart.
 */
static const struct colname cur_athena_cols[] = {
	{ C_INVOICE, "bill_invoice_id" }, { C_PAYER, "bill_payer_account_id" },
	{ C_PERIOD_START, "bill_billing_period_start_date" },
	{ C_ACCOUNT, "line_item_usage_account_id" },
	{ C_LINE_TYPE, "line_item_line_item_type" },
	{ C_USAGE_START, "line_item_usage_start_date" },
	{ C_USAGE_END, "line_item_usage_end_date" },
	{ C_PRODUCT_CODE, "line_item_product_code" },
	{ C_USAGE_TYPE, "line_item_usage_type" },
	{ C_OPERATION, "line_item_operation" },
	{ C_AZ, "line_item_availability_zone" },
	{ C_RESOURCE, "line_item_resource_id" },
	{ C_QUANTITY, "line_item_usage_amount" },
	{ C_CURRENCY, "line_item_currency_code" },
	{ C_COST, "line_item_unblended_cost" },
	{ C_BLENDED, "line_item_blended_cost" },
	{ C_DESCRIPTION, "line_item_line_item_description" },
	{ C_PRODUCT_NAME, "product_product_name" },
	{ C_REGION, "product_region" },
	{ C_SERVICE_CODE, "product_servicecode" },
	{ C_SPLIT_PARENT, "split_line_item_parent_resource_id" },
	{ C_RI_ARN, "reservation_reservation_a_r_n" },
	{ C_RI_END, "reservation_end_time" },
	{ C_SP_ARN, "savings_plan_savings_plan_a_r_n" },
	{ C_SP_END, "savings_plan_end_time" },
	{ C_BILLING_ENTITY, "bill_billing_entity" },
	{ C_INVOICING_ENTITY, "bill_invoicing_entity" },
	{ C_SELLER, "line_item_legal_entity" },
	{ C_TAX_TYPE, "line_item_tax_type" },
};

/* CUR 2.0 / Data Exports (§7). */
static const struct colname cur2_cols[] = {
	{ C_INVOICE, "bill_invoice_id" }, { C_PAYER, "bill_payer_account_id" },
	{ C_LINE_ID, "identity_line_item_id" },
	{ C_PAYER_NAME, "bill_payer_account_name" },
	{ C_PERIOD_START, "bill_billing_period_start_date" },
	{ C_ACCOUNT, "line_item_usage_account_id" },
	{ C_ACCOUNT_NAME, "line_item_usage_account_name" },
	{ C_LINE_TYPE, "line_item_line_item_type" },
	{ C_USAGE_START, "line_item_usage_start_date" },
	{ C_USAGE_END, "line_item_usage_end_date" },
	{ C_PRODUCT_CODE, "line_item_product_code" },
	{ C_USAGE_TYPE, "line_item_usage_type" },
	{ C_OPERATION, "line_item_operation" },
	{ C_AZ, "line_item_availability_zone" },
	{ C_RESOURCE, "line_item_resource_id" },
	{ C_QUANTITY, "line_item_usage_amount" },
	{ C_CURRENCY, "line_item_currency_code" },
	{ C_COST, "line_item_unblended_cost" },
	{ C_BLENDED, "line_item_blended_cost" },
	{ C_DESCRIPTION, "line_item_line_item_description" },
	{ C_PRODUCT_NAME, "product_product_name" },
	{ C_REGION, "product_region_code" },
	{ C_SERVICE_CODE, "product_servicecode" },
	{ C_PRODUCT_MAP, "product" },
	{ C_SPLIT_PARENT, "split_line_item_parent_resource_id" },
	{ C_RI_ARN, "reservation_reservation_a_r_n" },
	{ C_RI_END, "reservation_end_time" },
	{ C_SP_ARN, "savings_plan_savings_plan_a_r_n" },
	{ C_SP_END, "savings_plan_end_time" },
	{ C_BILLING_ENTITY, "bill_billing_entity" },
	{ C_INVOICING_ENTITY, "bill_invoicing_entity" },
	{ C_SELLER, "line_item_legal_entity" },
	{ C_TAX_TYPE, "line_item_tax_type" },
};

/*
 * FOCUS 1.0 and 1.2 as AWS Data Exports write them (docs/formats.md,
 * "FOCUS"): 1.2 adds InvoiceId, which says whether the month is
 * invoiced, and AWS's x_ columns give the CUR names of service, usage
 * type and operation. ChargeClass marks corrections of earlier periods.
 */
static const struct colname focus_cols[] = {
	{ C_PAYER, "BillingAccountId" }, { C_PAYER_NAME, "BillingAccountName" },
	{ C_ACCOUNT, "SubAccountId" }, { C_ACCOUNT_NAME, "SubAccountName" },
	{ C_LINE_TYPE, "ChargeCategory" }, { C_INVOICE, "InvoiceId" },
	{ C_PERIOD_START, "BillingPeriodStart" },
	{ C_USAGE_START, "ChargePeriodStart" },
	{ C_USAGE_END, "ChargePeriodEnd" },
	{ C_PRODUCT_CODE, "x_ServiceCode" }, { C_PRODUCT_NAME, "ServiceName" },
	{ C_USAGE_TYPE, "x_UsageType" }, { C_OPERATION, "x_Operation" },
	{ C_AZ, "AvailabilityZone" }, { C_REGION, "RegionId" },
	{ C_RESOURCE, "ResourceId" }, { C_DESCRIPTION, "ChargeDescription" },
	{ C_QUANTITY, "ConsumedQuantity" }, { C_CURRENCY, "BillingCurrency" },
	{ C_COST, "BilledCost" }, { C_PROVIDER, "ProviderName" },
	{ C_CHARGE_CLASS, "ChargeClass" },
	{ C_COMMITMENT_ID, "CommitmentDiscountId" },
	{ C_INVOICING_ENTITY, "InvoiceIssuerName" },
};

/* A column whose value is a tag: its field index and tag key. */
struct tag_col {
	int idx;
	const char *key;	/* into the header copy */
	size_t len;
};

/* What the words of a DBR or monthly line say of its class
 * (charge_class_of_words), kept for the texts met last: a file repeats a
 * few hundred descriptions over millions of lines, and reading the words
 * of each line was 3.5 % of a DBR-RT ingest's samples. The slots are
 * small and many (128 slots of whole texts still missed a third of the
 * lines of a 1 M-row DBR-RT). */
#define WORDS_SLOTS	1024	/* a power of two */
#define WORDS_KEY	512	/* longer texts are read every time */

struct words_memo {
	char *key;		/* description US usage type US product;
				 * NULL: an empty slot */
	size_t len;		/* of key */
	size_t ndesc, nusage;	/* where its parts end */
	enum charge_class cls;
};

struct format {
	enum format_kind kind;
	char *display;
	size_t nfields;
	int idx[C_NCOL];	/* field index of each column, -1 when absent */
	struct tag_col *tag_cols;	/* user:…, resourceTags/…, resource_tags_… */
	size_t ntag_cols;
	char *header_copy;	/* the tag column names point here */
	int json_tags;		/* field of a JSON tag map (Tags, resource_tags); -1 */
	const char *json_tags_prefix;	/* only keys with this prefix, less
					 * it, are tags (CUR 2.0 "tags"); NULL */
	char *json_keys;	/* keys decoded from the JSON map of the last line */
	size_t json_keys_cap;
	char *map_vals;		/* values taken from the product map of the
				 * last line (map_common) */
	size_t map_vals_cap;
	pv_time now;		/* service lists without a month: this month */
	const char *currency;	/* service lists: from a "Cost (EUR)" header */
	const char *names[C_NCOL];	/* header name of each column found */
	const char *cost_basis;	/* format_cost_basis() */
	int null_literal;	/* "NULL" means empty (FOCUS database dumps) */
	/* the last text parsed as a date in each column, and its value:
	 * an hourly report repeats each start and end thousands of times */
	struct date_memo {
		char text[40];
		size_t len;	/* 0: nothing kept */
		pv_time value;
	} memo[C_NCOL];
	struct words_memo *words;	/* WORDS_SLOTS of them; NULL until
					 * the first line that needs one */
};

static const char *const kind_names[FORMAT_NKIND] = {
	"monthly", "cost-allocation", "dbr", "dbr-rt", "cur", "cur2", "focus",
	"manual"
};

const char *
format_name(enum format_kind k)
{
	return (unsigned)k < FORMAT_NKIND ? kind_names[k] : "unknown";
}

int
format_detail_rank(enum format_kind k)
{
	/* Line items per resource and hour beat per-account monthly lines. */
	static const int rank[FORMAT_NKIND] = {
		[FORMAT_MONTHLY] = 1, [FORMAT_COST_ALLOCATION] = 2,
		[FORMAT_DBR] = 3, [FORMAT_DBR_RT] = 4, [FORMAT_FOCUS] = 5,
		[FORMAT_CUR] = 6, [FORMAT_CUR2] = 7,
		[FORMAT_MANUAL] = 0,	/* any bill says more than a list */
	};

	return (unsigned)k < FORMAT_NKIND ? rank[k] : 0;
}

int
format_has_parts(enum format_kind k)
{
	return k == FORMAT_CUR || k == FORMAT_CUR2 || k == FORMAT_FOCUS;
}

const char *
format_cost_basis(const struct format *f)
{
	return f->cost_basis != NULL ? f->cost_basis : "";
}

enum format_kind
format_kind(const struct format *f)
{
	return f->kind;
}

size_t
format_nfields(const struct format *f)
{
	return f->nfields;
}

static int
field_is(const struct csv_field *fl, const char *lit)
{
	size_t n = strlen(lit);

	return fl->len == n && memcmp(fl->ptr, lit, n) == 0;
}

int
format_is_disclaimer(const struct csv_record *rec)
{
	static const char prefix[] = "Don't see your tags";
	const struct csv_field *f;
	size_t i;

	if (rec->nfields == 0)
		return 0;
	f = &rec->fields[0];
	if (f->len < sizeof(prefix) - 1 ||
	    memcmp(f->ptr, prefix, sizeof(prefix) - 1) != 0)
		return 0;
	for (i = 1; i < rec->nfields; i++)
		if (rec->fields[i].len != 0)
			return 0;
	return 1;
}

static int
has_column(const struct csv_record *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->nfields; i++)
		if (field_is(&h->fields[i], name))
			return 1;
	return 0;
}

static int
has_prefix_column(const struct csv_record *h, const char *prefix)
{
	size_t i, n = strlen(prefix);

	for (i = 0; i < h->nfields; i++)
		if (h->fields[i].len >= n &&
		    memcmp(h->fields[i].ptr, prefix, n) == 0)
			return 1;
	return 0;
}

static int
find_columns(struct format *f, const struct csv_record *h,
    const struct colname *cols, size_t ncols, struct pv_error *err)
{
	size_t i, j;

	for (i = 0; i < C_NCOL; i++)
		f->idx[i] = -1;
	for (i = 0; i < ncols; i++) {
		for (j = 0; j < h->nfields; j++) {
			if (!field_is(&h->fields[j], cols[i].name))
				continue;
			if (f->idx[cols[i].col] >= 0)
				return pv_error_set(err, PV_ERR_INPUT,
				    f->display, 1, "column '%s' appears twice "
				    "(fields %d and %zu)", cols[i].name,
				    f->idx[cols[i].col] + 1, j + 1);
			f->idx[cols[i].col] = (int)j;
			f->names[cols[i].col] = cols[i].name;
		}
	}
	return 0;
}

/* The single-account DBR names its cost column "Cost" (§5). */
static void
find_single_account_cost(struct format *f, const struct csv_record *h)
{
	size_t j;

	if (f->idx[C_COST] >= 0)
		return;
	for (j = 0; j < h->nfields; j++) {
		if (field_is(&h->fields[j], "Cost")) {
			f->idx[C_COST] = (int)j;
			f->names[C_COST] = "Cost";
		}
	}
}

/*
 * Tag columns (formats.md §3, §5, §6, §7, §8): "user:Key" and "aws:Key"
 * in DBR-RT and cost allocation reports, "resourceTags/user:Key" in CUR,
 * "resource_tags_user_key" columns or the JSON map "resource_tags" in
 * CUR 2.0, the JSON map "Tags" in FOCUS. CUR 2.0's "tags" map holds
 * resource tags under "resourceTags/" beside account tags, user
 * attributes and cost categories (docs/formats.md): it is read, for its
 * resource tags only, when the export has no resource_tags.
 */
static void
find_tags(struct format *f, const struct csv_record *h)
{
	static const char *const prefixes[] = { "user:", "aws:",
	    "resourceTags/", "resource_tags_" };
	size_t j, k, total = 0, off = 0;

	f->json_tags = -1;
	for (j = 0; j < h->nfields; j++)
		total += h->fields[j].len + 1;
	f->header_copy = xmalloc(total + 1);
	f->tag_cols = xcalloc(h->nfields + 1, sizeof(*f->tag_cols));
	for (j = 0; j < h->nfields; j++) {
		const struct csv_field *c = &h->fields[j];
		char *copy = f->header_copy + off;

		memcpy(copy, c->ptr, c->len + 1);
		off += c->len + 1;
		if ((f->kind == FORMAT_FOCUS && field_is(c, "Tags")) ||
		    (f->kind == FORMAT_CUR2 && field_is(c, "resource_tags"))) {
			f->json_tags = (int)j;
			f->json_tags_prefix = NULL;
			continue;
		}
		if (f->kind == FORMAT_CUR2 && field_is(c, "tags") &&
		    !has_column(h, "resource_tags")) {
			f->json_tags = (int)j;
			f->json_tags_prefix = "resourceTags/";
			continue;
		}
		for (k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
			size_t n = strlen(prefixes[k]);

			if (c->len <= n || memcmp(c->ptr, prefixes[k], n) != 0)
				continue;
			/* CUR keys drop their column prefix, others keep it */
			if (k >= 2) {
				copy += n;
				f->tag_cols[f->ntag_cols].len = c->len - n;
			} else
				f->tag_cols[f->ntag_cols].len = c->len;
			f->tag_cols[f->ntag_cols].key = copy;
			f->tag_cols[f->ntag_cols].idx = (int)j;
			f->ntag_cols++;
			break;
		}
	}
}

/* "Service name", "SERVICE_NAME", "ServiceName", "Cost (USD)" ->
 * "service name" (three times), "cost usd": lower case, words split by
 * single blanks. */
static void
normalise_name(const struct csv_field *c, char *out, size_t n)
{
	size_t i, len = 0;
	int blank = 1;

	for (i = 0; i < c->len && len + 1 < n; i++) {
		unsigned char ch = (unsigned char)c->ptr[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			out[len++] = (char)ch;
			blank = 0;
		} else if (ch >= 'A' && ch <= 'Z') {
			/* camelCase: "MonthlyCost" is "monthly cost" */
			if (i > 0 && c->ptr[i - 1] >= 'a' &&
			    c->ptr[i - 1] <= 'z' && len + 2 < n)
				out[len++] = ' ';
			out[len++] = (char)(ch - 'A' + 'a');
			blank = 0;
		} else if (!blank) {
			out[len++] = ' ';
			blank = 1;
		}
	}
	if (len > 0 && out[len - 1] == ' ')
		len--;
	out[len] = '\0';
}

struct manual_name {
	enum col col;
	const char *label;	/* for messages */
	const char *names;	/* '|'-separated normalised header names */
};

/* The header names a hand-made service list may use (DESIGN.md:
 * service, account, region, monthly cost). */
static const struct manual_name manual_names[] = {
	{ C_PRODUCT_NAME, "service", "service|service name|aws service|aws service name|"
	    "service code|product|product name" },
	{ C_ACCOUNT, "account", "account|account id|aws account|aws account id|"
	    "account number|linked account|linked account id|"
	    "usage account|usage account id" },
	{ C_ACCOUNT_NAME, "account name", "account name|aws account name" },
	{ C_PAYER, "payer", "payer|payer account|payer account id|"
	    "management account|management account id" },
	{ C_REGION, "region", "region|aws region|region code|location" },
	{ C_COST, "monthly cost", "monthly cost|monthly_cost|monthly cost usd|"
	    "monthly cost eur|cost|cost usd|cost eur|cost per month|"
	    "monthly spend|spend|amount|amount usd|amount eur|usd|eur|"
	    "estimated monthly cost|estimated monthly cost usd" },
	{ C_MONTH, "month", "month|billing month|period|billing period" },
};

static int
name_in(const char *name, const char *list)
{
	size_t n = strlen(name);
	const char *p = list;

	while (*p != '\0') {
		const char *bar = strchr(p, '|');
		size_t len = bar != NULL ? (size_t)(bar - p) : strlen(p);

		if (len == n && memcmp(p, name, n) == 0)
			return 1;
		p += len + (bar != NULL);
	}
	return 0;
}

/* Is h the header of a hand-made service list? Fills f's columns. */
static int
detect_manual(struct format *f, const struct csv_record *h,
    struct pv_error *err)
{
	char name[128];
	size_t i, j;

	for (i = 0; i < C_NCOL; i++)
		f->idx[i] = -1;
	for (j = 0; j < h->nfields; j++) {
		normalise_name(&h->fields[j], name, sizeof(name));
		for (i = 0; i < sizeof(manual_names) / sizeof(manual_names[0]);
		    i++) {
			enum col c = manual_names[i].col;

			if (!name_in(name, manual_names[i].names))
				continue;
			if (f->idx[c] >= 0)
				return pv_error_set(err, PV_ERR_INPUT,
				    f->display, 1, "service list: columns "
				    "%d and %zu both name the %s", f->idx[c] + 1,
				    j + 1, manual_names[i].label);
			f->idx[c] = (int)j;
			f->names[c] = manual_names[i].label;
			if (c == C_COST && strstr(name, "eur") != NULL)
				f->currency = "EUR";
		}
	}
	return f->idx[C_PRODUCT_NAME] >= 0 ? 1 : 0;
}

/*
 * Is a snake-case header legacy CUR in Athena's layout rather than CUR
 * 2.0? CUR 2.0 folded the product, tag and cost category columns into
 * maps and added account names (§7), so a header with any of those is
 * CUR 2.0. Without them, a column only legacy CUR writes says legacy:
 * product_region (CUR 2.0: product_region_code), or one per tag or cost
 * category (resource_tags_user_..., cost_category_...). A header with
 * neither (a bare export, the CUR 2.0 mock among the samples) stays
 * CUR 2.0, as before.
 */
static int
is_athena_cur(const struct csv_record *h)
{
	static const char *const cur2_only[] = { "bill_payer_account_name",
	    "line_item_usage_account_name", "product", "resource_tags",
	    "cost_category", "discount", "tags", "product_region_code" };
	size_t i;

	for (i = 0; i < sizeof(cur2_only) / sizeof(cur2_only[0]); i++)
		if (has_column(h, cur2_only[i]))
			return 0;
	return has_column(h, "product_region") ||
	    has_prefix_column(h, "resource_tags_user_") ||
	    has_prefix_column(h, "resource_tags_aws_") ||
	    has_prefix_column(h, "cost_category_");
}

int
format_detect(struct format **out, const struct csv_record *h,
    const char *display, pv_time now, struct pv_error *err)
{
	struct format *f = xcalloc(1, sizeof(*f));
	const struct colname *cols;
	size_t ncols;

	f->display = xstrdup(display);
	f->nfields = h->nfields;
	f->now = now;
	f->json_tags = -1;
	if (has_prefix_column(h, "lineItem/") ||
	    has_column(h, "identity/LineItemId")) {
		f->kind = FORMAT_CUR;
		cols = cur_cols;
		ncols = sizeof(cur_cols) / sizeof(cur_cols[0]);
	} else if ((has_prefix_column(h, "line_item_") ||
	    has_column(h, "identity_line_item_id")) && is_athena_cur(h)) {
		f->kind = FORMAT_CUR;
		cols = cur_athena_cols;
		ncols = sizeof(cur_athena_cols) / sizeof(cur_athena_cols[0]);
	} else if (has_prefix_column(h, "line_item_") ||
	    has_column(h, "identity_line_item_id")) {
		f->kind = FORMAT_CUR2;
		cols = cur2_cols;
		ncols = sizeof(cur2_cols) / sizeof(cur2_cols[0]);
	} else if (has_column(h, "BilledCost")) {
		f->kind = FORMAT_FOCUS;
		f->null_literal = 1;
		cols = focus_cols;
		ncols = sizeof(focus_cols) / sizeof(focus_cols[0]);
	} else if (has_column(h, "RecordType") &&
	    (has_column(h, "TotalCost") || has_column(h, "CostBeforeTax"))) {
		f->kind = has_column(h, "AvailabilityZone") ?
		    FORMAT_COST_ALLOCATION : FORMAT_MONTHLY;
		cols = monthly_cols;
		ncols = sizeof(monthly_cols) / sizeof(monthly_cols[0]);
	} else if (has_column(h, "RecordType") && has_column(h, "InvoiceID")) {
		f->kind = has_column(h, "ResourceId") ||
		    has_column(h, "RecordId") ? FORMAT_DBR_RT : FORMAT_DBR;
		cols = dbr_cols;
		ncols = sizeof(dbr_cols) / sizeof(dbr_cols[0]);
	} else {
		int m = detect_manual(f, h, err);

		if (m < 0)
			goto fail;
		if (m == 1) {
			f->kind = FORMAT_MANUAL;
			*out = f;
			return 0;
		}
		pv_error_set(err, PV_ERR_INPUT, display, 1, "not an AWS billing "
		    "report (no InvoiceID/RecordType, lineItem/…, line_item_… "
		    "or BilledCost columns)");
		goto fail;
	}
	if (find_columns(f, h, cols, ncols, err) != 0)
		goto fail;
	if (f->kind == FORMAT_DBR || f->kind == FORMAT_DBR_RT)
		find_single_account_cost(f, h);
	/* a consolidated DBR exported with its blended pair only: the
	 * blended cost is all there is, and it says so */
	if ((f->kind == FORMAT_DBR || f->kind == FORMAT_DBR_RT) &&
	    f->idx[C_COST] < 0 && f->idx[C_BLENDED] >= 0) {
		f->idx[C_COST] = f->idx[C_BLENDED];
		f->names[C_COST] = f->names[C_BLENDED];
		f->cost_basis = "blended";
	}
	if ((f->kind == FORMAT_MONTHLY || f->kind == FORMAT_COST_ALLOCATION) &&
	    f->idx[C_COST] < 0) {
		/* Without CostBeforeTax the whole TotalCost is the charge. */
		f->idx[C_COST] = f->idx[C_TOTAL];
		f->names[C_COST] = f->names[C_TOTAL];
		f->idx[C_TOTAL] = -1;
		f->idx[C_CREDITS] = f->idx[C_TAX] = -1;
	}
	if (f->idx[C_COST] < 0) {
		pv_error_set(err, PV_ERR_INPUT, display, 1, "%s report without "
		    "a cost column", format_name(f->kind));
		goto fail;
	}
	if (f->idx[C_PERIOD_START] < 0 && f->idx[C_USAGE_START] < 0) {
		pv_error_set(err, PV_ERR_INPUT, display, 1, "%s report without "
		    "a billing period or usage date column",
		    format_name(f->kind));
		goto fail;
	}
	if (f->idx[C_PAYER] < 0 && f->idx[C_ACCOUNT] < 0) {
		pv_error_set(err, PV_ERR_INPUT, display, 1, "%s report without "
		    "an account column", format_name(f->kind));
		goto fail;
	}
	find_tags(f, h);
	if (f->cost_basis == NULL)
		f->cost_basis = f->names[C_COST] != NULL &&
		    (strcmp(f->names[C_COST], "UnBlendedCost") == 0 ||
		    strcmp(f->names[C_COST], "lineItem/UnblendedCost") == 0 ||
		    strcmp(f->names[C_COST], "line_item_unblended_cost") ==
		    0) ? "unblended" : "billed";
	*out = f;
	return 0;
fail:
	format_free(f);
	return -1;
}

void
format_free(struct format *f)
{
	size_t i;

	if (f == NULL)
		return;
	free(f->display);
	free(f->tag_cols);
	free(f->header_copy);
	free(f->json_keys);
	free(f->map_vals);
	for (i = 0; f->words != NULL && i < WORDS_SLOTS; i++)
		free(f->words[i].key);
	free(f->words);
	free(f);
}

/* The text of column c in rec, or an empty slice. */
static struct pv_str
get(const struct format *f, const struct csv_record *rec, enum col c)
{
	struct pv_str s = { "", 0 };
	int i = f->idx[c];

	if (i < 0)
		return s;
	s.p = rec->fields[i].ptr;
	s.n = rec->fields[i].len;
	if (f->null_literal && s.n == 4 && memcmp(s.p, "NULL", 4) == 0)
		s.n = 0;
	return s;
}

static int
get_money(const struct format *f, const struct csv_record *rec, enum col c,
    money_t *out, int *places, struct pv_error *err)
{
	struct pv_str s = get(f, rec, c);
	enum money_status st = money_parse(s.p, s.n, out, places);

	if (st == MONEY_SYNTAX)
		return pv_error_set(err, PV_ERR_INPUT, f->display, rec->line,
		    "bad amount '%.*s' in column %s",
		    (int)pv_utf8_prefix(s.p, s.n, 60), s.p, f->names[c]);
	if (st == MONEY_RANGE)
		return pv_error_set(err, PV_ERR_INPUT, f->display, rec->line,
		    "amount '%.*s' in column %s is out of range (more than "
		    "922,337,203 in magnitude)", (int)pv_utf8_prefix(s.p, s.n,
		    60), s.p, f->names[c]);
	return 0;
}

static int
get_time(struct format *f, const struct csv_record *rec, enum col c,
    pv_time *out, struct pv_error *err)
{
	struct pv_str s = get(f, rec, c);
	struct date_memo *m = &f->memo[c];

	if (s.n > 0 && s.n == m->len && memcmp(s.p, m->text, s.n) == 0) {
		*out = m->value;
		return 0;
	}
	*out = -1;
	if (date_parse(s.p, s.n, out) == DATE_SYNTAX) {
		*out = -1;
		return pv_error_set(err, PV_ERR_INPUT, f->display, rec->line,
		    "bad date '%.*s' in column %s",
		    (int)pv_utf8_prefix(s.p, s.n, 60), s.p, f->names[c]);
	}
	if (s.n > 0 && s.n <= sizeof(m->text)) {
		memcpy(m->text, s.p, s.n);
		m->len = s.n;
		m->value = *out;
	}
	return 0;
}

/*
 * Plain decimals ("744.00000000", "-0.5") of at most 15 significant
 * digits, the common case, without strtod: the digits make an integer
 * below 2^53 and the fraction divides it by an exact power of ten, so the
 * one rounding is the same as strtod's (correctly rounded) result.
 * Returns 0 when the text is not of that shape.
 */
static int
quick_decimal(const char *s, size_t n, double *out)
{
	static const double pow10[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
	};
	uint64_t m = 0;
	size_t i = 0, digits = 0, frac = 0;
	int neg = 0, dot = 0, any = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (i == n)
		return 0;
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			any = 1;
			if (m != 0 || s[i] != '0')
				digits++;
			m = m * 10 + (uint64_t)(s[i] - '0');
			frac += dot;
			if (digits > 15)
				return 0;
		} else if (s[i] == '.' && !dot) {
			dot = 1;
		} else {
			return 0;
		}
	}
	if (!any || frac >= sizeof(pow10) / sizeof(pow10[0]))
		return 0;
	*out = (double)m / pow10[frac];
	if (neg)
		*out = -*out;
	return 1;
}

double
format_quantity(const char *s, size_t n)
{
	char buf[64];
	char *end;
	double v;

	if (n == 0 || n >= sizeof(buf))
		return 0;
	if (quick_decimal(s, n, &v))
		return v;
	memcpy(buf, s, n);
	buf[n] = '\0';
	v = strtod(buf, &end);
	return *end == '\0' ? v : 0;
}

static double
get_quantity(const struct format *f, const struct csv_record *rec)
{
	struct pv_str s = get(f, rec, C_QUANTITY);

	return format_quantity(s.p, s.n);
}

static pv_time
month_start(pv_time t)
{
	int y, m, d;

	if (t < 0)
		return -1;
	date_civil_from_days(t / 86400, &y, &m, &d);
	return date_days_from_civil(y, m, 1) * 86400;
}

static const char *
json_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r'))
		p++;
	return p;
}

static int
hex4(const char *p, const char *end, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char h = p[i];

		v <<= 4;
		if (h >= '0' && h <= '9')
			v |= (unsigned)(h - '0');
		else if (h >= 'a' && h <= 'f')
			v |= (unsigned)(h - 'a' + 10);
		else if (h >= 'A' && h <= 'F')
			v |= (unsigned)(h - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * The JSON string that starts at p (*p == '"'), unescaped into out when
 * out is not NULL (an escape never grows: out needs no more room than
 * the text). Returns the byte after the closing quote, *len the bytes
 * written; NULL when the string does not close.
 */
static const char *
json_string(const char *p, const char *end, char *out, size_t *len)
{
	size_t n = 0;

	for (p++; p < end && *p != '"'; p++) {
		unsigned cp, lo;
		char ch = *p;

		if (ch == '\\') {
			if (++p >= end)
				return NULL;
			switch (*p) {
			case 'n': ch = '\n'; break;
			case 't': ch = '\t'; break;
			case 'r': ch = '\r'; break;
			case 'b': ch = '\b'; break;
			case 'f': ch = '\f'; break;
			case 'u':
				if (hex4(p + 1, end, &cp) != 0)
					return NULL;
				p += 4;
				if (cp >= 0xd800 && cp < 0xdc00 && end - p > 6 &&
				    p[1] == '\\' && p[2] == 'u' &&
				    hex4(p + 3, end, &lo) == 0 && lo >= 0xdc00 &&
				    lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					    (lo - 0xdc00);
					p += 6;
				} else if (cp >= 0xd800 && cp < 0xe000)
					cp = 0xfffd;	/* a lone surrogate */
				if (out != NULL) {
					if (cp < 0x80)
						out[n++] = (char)cp;
					else if (cp < 0x800) {
						out[n++] = (char)(0xc0 | cp >> 6);
						out[n++] = (char)(0x80 | (cp & 0x3f));
					} else if (cp < 0x10000) {
						out[n++] = (char)(0xe0 | cp >> 12);
						out[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
						out[n++] = (char)(0x80 | (cp & 0x3f));
					} else {
						out[n++] = (char)(0xf0 | cp >> 18);
						out[n++] = (char)(0x80 | (cp >> 12 & 0x3f));
						out[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
						out[n++] = (char)(0x80 | (cp & 0x3f));
					}
				}
				continue;
			default:	/* \" \\ \/ */
				ch = *p;
				break;
			}
		}
		if (out != NULL)
			out[n++] = ch;
	}
	if (p >= end)
		return NULL;
	*len = n;
	return p + 1;
}

/* Past one JSON value at p: to the ',' or '}' after a scalar, past the
 * close of an object or array. NULL when the text ends inside it. */
static const char *
json_skip_value(const char *p, const char *end)
{
	int depth = 0;
	size_t n;

	while (p < end) {
		if (*p == '"') {
			if ((p = json_string(p, end, NULL, &n)) == NULL)
				return NULL;
			if (depth == 0)
				return p;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']') {
			if (depth == 0)
				return p;
			if (--depth == 0)
				return p + 1;
		} else if (*p == ',' && depth == 0)
			return p;
		p++;
	}
	return depth == 0 ? p : NULL;
}

/*
 * The string value of key in the JSON object s, unescaped into out
 * (room for s.n bytes, which it also uses to read keys): its length, or
 * -1 when s is no object, has no such key or its value is no string.
 */
static long
json_lookup(struct pv_str s, const char *key, char *out)
{
	const char *p = s.p, *end = s.p + s.n;
	size_t klen = strlen(key), n;

	p = json_ws(p, end);
	if (p >= end || *p++ != '{')
		return -1;
	for (;;) {
		int match;

		p = json_ws(p, end);
		if (p >= end || *p != '"' ||
		    (p = json_string(p, end, out, &n)) == NULL)
			return -1;
		match = n == klen && memcmp(out, key, klen) == 0;
		p = json_ws(p, end);
		if (p >= end || *p++ != ':')
			return -1;
		p = json_ws(p, end);
		if (match) {
			if (p >= end || *p != '"' ||
			    json_string(p, end, out, &n) == NULL)
				return -1;
			return (long)n;
		}
		if ((p = json_skip_value(p, end)) == NULL)
			return -1;
		p = json_ws(p, end);
		if (p >= end || *p != ',')
			return -1;
		p++;
	}
}

/*
 * CUR 2.0 keeps the product attributes that have no column of their own
 * in the map "product", each named as its legacy column less "product/"
 * (docs/formats.md): the product name lives there unless the export
 * selects it as a column, and an export may leave out the region and
 * service code columns. Fills what the columns left empty.
 */
static void
product_map_fallbacks(struct format *f, const struct csv_record *rec,
    struct charge *c)
{
	static const char *const region_keys[] = { "region_code", "region" };
	struct pv_str m = get(f, rec, C_PRODUCT_MAP);
	struct pv_str *want[3] = { &c->service_name, &c->region,
	    &c->service_code };
	size_t used = 0, i, k;

	if (m.n == 0 || (c->service_name.n > 0 && c->region.n > 0 &&
	    c->service_code.n > 0))
		return;
	if (f->map_vals_cap < 2 * m.n + 1) {
		f->map_vals_cap = 2 * m.n + 1;
		f->map_vals = xrealloc(f->map_vals, f->map_vals_cap);
	}
	for (i = 0; i < 3; i++) {
		for (k = 0; want[i]->n == 0 && k < 2; k++) {
			const char *key = i == 0 ? "product_name" : i == 2 ?
			    "servicecode" : region_keys[k];
			long n = json_lookup(m, key, f->map_vals + used);

			if (n > 0) {
				want[i]->p = f->map_vals + used;
				want[i]->n = (size_t)n;
				used += (size_t)n;
			}
			if (i != 1)
				break;
		}
	}
}

/*
 * The reservation or Savings Plan a line belongs to: its ARN and, where
 * the file gives it, its end. FOCUS names either in one column; the
 * ARN's resource type tells them apart ("reserved-instances",
 * "savingsplan"; other services' reservations count as reservations).
 */
static void
commitment_of(struct format *f, const struct csv_record *rec,
    struct charge *c)
{
	struct pv_str arn;

	if ((arn = get(f, rec, C_RI_ARN)).n > 0) {
		c->commitment = arn;
		c->commitment_end = get(f, rec, C_RI_END);
		c->commitment_kind = CHARGE_RESERVATION;
	} else if ((arn = get(f, rec, C_SP_ARN)).n > 0) {
		c->commitment = arn;
		c->commitment_end = get(f, rec, C_SP_END);
		c->commitment_kind = CHARGE_SAVINGS_PLAN;
	} else if ((arn = get(f, rec, C_COMMITMENT_ID)).n > 0) {
		c->commitment = arn;
		c->commitment_kind = pv_str_contains(arn, ":savingsplan") ?
		    CHARGE_SAVINGS_PLAN : CHARGE_RESERVATION;
	}
}

/* The common part of every charge: who, what, where, when. */
static int
map_common(struct format *f, const struct csv_record *rec, struct charge *c,
    struct pv_error *err)
{
	pv_time period;

	memset(c, 0, sizeof(*c));
	c->payer = get(f, rec, C_PAYER);
	c->payer_name = get(f, rec, C_PAYER_NAME);
	c->account = get(f, rec, C_ACCOUNT);
	c->account_name = get(f, rec, C_ACCOUNT_NAME);
	if (c->account.n == 0)
		c->account = c->payer;
	if (c->payer.n == 0)
		c->payer = c->account;
	c->service_code = get(f, rec, C_PRODUCT_CODE);
	if (c->service_code.n == 0)
		c->service_code = get(f, rec, C_SERVICE_CODE);
	c->service_name = get(f, rec, C_PRODUCT_NAME);
	c->usage_type = get(f, rec, C_USAGE_TYPE);
	c->operation = get(f, rec, C_OPERATION);
	c->az = get(f, rec, C_AZ);
	c->region = get(f, rec, C_REGION);
	c->resource = get(f, rec, C_RESOURCE);
	if (f->idx[C_PRODUCT_MAP] >= 0)
		product_map_fallbacks(f, rec, c);
	c->line_type = get(f, rec, f->idx[C_LINE_TYPE] >= 0 ? C_LINE_TYPE :
	    C_RECORD_TYPE);
	c->invoice_id = get(f, rec, C_INVOICE);
	c->currency = get(f, rec, C_CURRENCY);
	commitment_of(f, rec, c);
	c->billing_entity = get(f, rec, C_BILLING_ENTITY);
	c->seller = get(f, rec, C_SELLER);
	c->invoicing_entity = get(f, rec, C_INVOICING_ENTITY);
	c->tax_type = get(f, rec, C_TAX_TYPE);
	if (get_time(f, rec, C_PERIOD_START, &period, err) ||
	    get_time(f, rec, C_USAGE_START, &c->start, err) ||
	    get_time(f, rec, C_USAGE_END, &c->end, err))
		return -1;
	c->period = month_start(period >= 0 ? period : c->start);
	if (c->start < 0)
		c->start = period;
	/* Legacy reports end periods at 23:59:59 (inclusive): make every
	 * end exclusive. */
	if (c->end >= 0 && c->end % 60 == 59)
		c->end += 1;
	c->quantity = get_quantity(f, rec);
	return 0;
}

static int
estimated_of(const struct format *f, struct pv_str invoice)
{
	if (f->idx[C_INVOICE] < 0)
		return -1;
	switch (f->kind) {
	case FORMAT_CUR:
	case FORMAT_CUR2:
	case FORMAT_FOCUS:
		/* "Until the report is final, the InvoiceId is blank" (§6). */
		return invoice.n == 0;
	default:
		if (pv_str_eq(invoice, "Estimated"))
			return 1;
		return invoice.n > 0 ? 0 : -1;
	}
}

static int
map_total(struct format *f, const struct csv_record *rec,
    struct format_row *row, enum total_kind kind, struct pv_error *err)
{
	struct charge c;

	if (map_common(f, rec, &c, err) != 0)
		return -1;
	row->kind = ROW_TOTAL;
	row->total.kind = kind;
	row->total.payer = get(f, rec, C_PAYER);
	row->total.account = get(f, rec, C_ACCOUNT);
	row->total.account_name = get(f, rec, C_ACCOUNT_NAME);
	row->total.invoice_id = c.invoice_id;
	row->total.currency = c.currency;
	row->total.period = c.period;
	/* The record id and description can hold the account id in full
	 * where the id column was damaged by a spreadsheet (§2). */
	if (kind == TOTAL_ACCOUNT) {
		struct pv_str rid = get(f, rec, C_RECORD_ID);

		if (pv_str_prefix(rid, "AccountTotal:")) {
			row->total.account.p = rid.p + 13;
			row->total.account.n = rid.n - 13;
		}
	}
	return get_money(f, rec, f->idx[C_TOTAL] >= 0 ? C_TOTAL : C_COST,
	    &row->total.amount, NULL, err);
}

/* One more charge of a monthly line: its credits, tax or rounding. */
static void
add_part(struct format_row *row, const struct charge *base, money_t amount,
    enum charge_class cls)
{
	struct charge *c;

	if (amount == 0)
		return;
	c = &row->ch[row->nch++];
	*c = *base;
	c->cost = amount;
	c->quantity = 0;	/* the usage is counted once, on the cost */
	c->cls = cls;
}

/* charge_class_from_text, with what the words say kept in f->words. */
static enum charge_class
class_from_text(struct format *f, struct pv_str desc, struct pv_str usage,
    struct pv_str product, money_t cost)
{
	char key[WORDS_KEY];
	size_t len = desc.n + usage.n + product.n + 2;
	struct words_memo *m;

	if (len > sizeof(key))
		return charge_class_from_text(desc, usage, product, cost);
	if (desc.n > 0)	/* an empty field may have no pointer */
		memcpy(key, desc.p, desc.n);
	key[desc.n] = '\x1f';
	if (usage.n > 0)
		memcpy(key + desc.n + 1, usage.p, usage.n);
	key[desc.n + 1 + usage.n] = '\x1f';
	if (product.n > 0)
		memcpy(key + desc.n + usage.n + 2, product.p, product.n);
	if (f->words == NULL)
		f->words = xcalloc(WORDS_SLOTS, sizeof(*f->words));
	m = &f->words[hash64_bytes(key, len, 0) & (WORDS_SLOTS - 1)];
	if (m->key == NULL || m->len != len || m->ndesc != desc.n ||
	    m->nusage != usage.n || memcmp(m->key, key, len) != 0) {
		m->cls = charge_class_of_words(desc, usage, product);
		free(m->key);
		m->key = xmalloc(len);
		memcpy(m->key, key, len);
		m->len = len;
		m->ndesc = desc.n;
		m->nusage = usage.n;
	}
	return charge_class_for_cost(m->cls, cost);
}

/* Monthly and cost allocation reports (§2, §3). */
static int
map_monthly(struct format *f, const struct csv_record *rec,
    struct format_row *row, struct pv_error *err)
{
	struct pv_str rt = get(f, rec, C_RECORD_TYPE);
	struct charge base;
	money_t cost, credits = 0, tax = 0, total = 0, extra = 0;
	int total_places = 0;
	enum charge_view view;

	if (pv_str_eq(rt, "StatementTotal"))
		return map_total(f, rec, row, TOTAL_STATEMENT, err);
	if (pv_str_eq(rt, "InvoiceTotal"))
		return map_total(f, rec, row, TOTAL_INVOICE, err);
	if (pv_str_eq(rt, "AccountTotal"))
		return map_total(f, rec, row, TOTAL_ACCOUNT, err);
	if (pv_str_eq(rt, "EstimatedDisclaimer")) {
		/* "This report reflects your estimated monthly bill for
		 * activity through approximately 2018/10/31 06:27:46" */
		static const char mark[] = "through approximately ";
		struct pv_str d = get(f, rec, C_DESCRIPTION);
		size_t i;

		row->kind = ROW_OPEN_MONTH;
		for (i = 0; i + sizeof(mark) - 1 <= d.n; i++) {
			if (memcmp(d.p + i, mark, sizeof(mark) - 1) != 0)
				continue;
			i += sizeof(mark) - 1;
			if (date_parse(d.p + i, d.n - i, &row->through) != DATE_OK)
				row->through = -1;
			break;
		}
		return 0;
	}
	if (pv_str_eq(rt, "PayerLineItem"))
		view = CHARGE_VIEW_PAYER;
	else if (pv_str_eq(rt, "LinkedLineItem") || pv_str_eq(rt, "CBRounding"))
		view = CHARGE_VIEW_LINKED;
	else {
		view = CHARGE_VIEW_ALL;
		row->unknown_type = 1;
	}
	if (map_common(f, rec, &base, err) != 0 ||
	    get_money(f, rec, C_COST, &cost, &row->cost_places, err) != 0 ||
	    get_money(f, rec, C_CREDITS, &credits, NULL, err) != 0 ||
	    get_money(f, rec, C_TAX, &tax, NULL, err) != 0 ||
	    get_money(f, rec, C_TOTAL, &total, &total_places, err) != 0)
		return -1;
	if (f->idx[C_TOTAL] >= 0) {
		money_t parts = cost;

		if (get(f, rec, C_COST).n == 0 && get(f, rec, C_CREDITS).n == 0 &&
		    get(f, rec, C_TAX).n == 0) {
			/* CBRounding and the like state only TotalCost */
			cost = total;
			row->cost_places = total_places;
		} else if (money_add(&parts, credits) != 0 ||
		    money_add(&parts, tax) != 0 ||
		    money_sub(total, parts, &extra) != 0)
			return pv_error_set(err, PV_ERR_INPUT, f->display,
			    rec->line, "amounts overflow the 64-bit sum");
	}
	base.view = view;
	row->estimated = estimated_of(f, base.invoice_id);
	row->ch[0] = base;
	row->ch[0].cost = cost;
	if (pv_str_eq(rt, "CBRounding"))
		row->ch[0].cls = CHARGE_ROUNDING;
	else
		row->ch[0].cls = class_from_text(f, get(f, rec,
		    C_DESCRIPTION), base.usage_type, base.service_code, cost);
	row->nch = 1;
	add_part(row, &base, credits, CHARGE_CREDIT);
	add_part(row, &base, tax, CHARGE_TAX);
	/* TotalCost is the line's total as AWS states it; where it is
	 * written with fewer digits than its parts (S#4 line 8:
	 * 13312 + 1064.952446 stated as 14376.95245), the difference is
	 * kept as rounding so the line sums to its TotalCost. */
	add_part(row, &base, extra, CHARGE_ROUNDING);
	return 0;
}

/* DBR and DBR-RT (§4, §5). */
static int
map_dbr(struct format *f, const struct csv_record *rec,
    struct format_row *row, struct pv_error *err)
{
	struct pv_str rt = get(f, rec, C_RECORD_TYPE);
	struct charge *c = &row->ch[0];

	if (pv_str_eq(rt, "StatementTotal"))
		return map_total(f, rec, row, TOTAL_STATEMENT, err);
	if (pv_str_eq(rt, "InvoiceTotal"))
		return map_total(f, rec, row, TOTAL_INVOICE, err);
	if (pv_str_eq(rt, "AccountTotal"))
		return map_total(f, rec, row, TOTAL_ACCOUNT, err);
	if (map_common(f, rec, c, err) != 0 ||
	    get_money(f, rec, C_COST, &c->cost, &row->cost_places, err) != 0)
		return -1;
	if (f->idx[C_BLENDED] >= 0) {
		if (get_money(f, rec, C_BLENDED, &c->blended, NULL, err) != 0)
			return -1;
		c->has_blended = 1;
	}
	row->estimated = estimated_of(f, c->invoice_id);
	row->nch = 1;
	if (pv_str_eq(rt, "Rounding"))
		c->cls = CHARGE_ROUNDING;
	else {
		if (!pv_str_eq(rt, "LineItem"))
			row->unknown_type = 1;
		c->cls = class_from_text(f, get(f, rec, C_DESCRIPTION),
		    c->usage_type, c->service_name, c->cost);
		if (pv_str_eq(rt, "Discount")) {	/* listed by AWS, §5 */
			c->cls = CHARGE_DISCOUNT;
			row->unknown_type = 0;
		}
	}
	return 0;
}

/* CUR and CUR 2.0 (§6, §7). */
static int
map_cur(struct format *f, const struct csv_record *rec,
    struct format_row *row, struct pv_error *err)
{
	struct charge *c = &row->ch[0];

	if (map_common(f, rec, c, err) != 0 ||
	    get_money(f, rec, C_COST, &c->cost, &row->cost_places, err) != 0)
		return -1;
	if (f->idx[C_BLENDED] >= 0) {
		if (get_money(f, rec, C_BLENDED, &c->blended, NULL, err) != 0)
			return -1;
		c->has_blended = 1;
	}
	if (c->line_type.n == 0)
		c->cls = CHARGE_USAGE;
	else if (charge_class_from_cur_type(c->line_type.p, c->line_type.n,
	    &c->cls) != 0) {
		c->cls = charge_class_unknown(c->cost);
		row->unknown_type = 1;
	}
	row->estimated = estimated_of(f, c->invoice_id);
	row->nch = 1;
	/* Split cost allocation adds a line per ECS task or EKS pod and
	 * hour that shares out an EC2 instance whose own line is in the
	 * file too (docs/formats.md): counting both would count the
	 * instance twice. */
	if (get(f, rec, C_SPLIT_PARENT).n > 0)
		row->kind = ROW_SPLIT;
	return 0;
}

/* FOCUS 1.x (§8). */
static int
map_focus(struct format *f, const struct csv_record *rec,
    struct format_row *row, struct pv_error *err)
{
	struct charge *c = &row->ch[0];
	struct pv_str provider = get(f, rec, C_PROVIDER);

	if (map_common(f, rec, c, err) != 0 ||
	    get_money(f, rec, C_COST, &c->cost, &row->cost_places, err) != 0)
		return -1;
	if (c->line_type.n > 0 && charge_class_from_focus(c->line_type.p,
	    c->line_type.n, &c->cls) != 0) {
		c->cls = charge_class_unknown(c->cost);
		row->unknown_type = 1;
	}
	c->cls = charge_class_focus_correction(c->cls, get(f, rec,
	    C_CHARGE_CLASS));
	row->estimated = estimated_of(f, c->invoice_id);
	row->nch = 1;
	if (provider.n > 0 && !pv_str_eq(provider, "AWS") &&
	    !pv_str_eq(provider, "Amazon Web Services")) {
		row->kind = ROW_OTHER_PROVIDER;
		row->provider = provider;
	}
	return 0;
}

/*
 * The keys of a JSON object ({"env": "prod", "team": null}) whose value
 * is not null, "" or {}: FOCUS Tags and CUR 2.0 resource_tags. Keys are
 * copied (unescaped) into f->json_keys. Anything that is not an object
 * gives no keys: tags are data, a malformed map is not worth a file.
 */
static void
json_tag_keys(struct format *f, struct pv_str s, struct format_row *row)
{
	const char *p = s.p, *end = s.p + s.n;
	size_t used = 0;

	if (f->json_keys_cap < s.n + 1) {
		f->json_keys_cap = s.n + 1;
		f->json_keys = xrealloc(f->json_keys, f->json_keys_cap);
	}
#define SKIP_WS() while (p < end && (*p == ' ' || *p == '\t' || \
	    *p == '\n' || *p == '\r')) p++
	SKIP_WS();
	if (p >= end || *p++ != '{')
		return;
	for (;;) {
		char *key = f->json_keys + used;
		size_t klen = 0;
		int nonempty = 0, depth;

		SKIP_WS();
		if (p >= end || *p != '"')
			return;
		for (p++; p < end && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < end)
				p++;
			key[klen++] = *p;
		}
		if (p >= end)
			return;
		p++;
		SKIP_WS();
		if (p >= end || *p++ != ':')
			return;
		SKIP_WS();
		if (p >= end)
			return;
		if (*p == '"') {
			nonempty = p + 1 < end && p[1] != '"';
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\')
					p++;
			p++;
		} else if (*p == '{' || *p == '[') {
			const char *open = p;

			for (depth = 0; p < end; p++) {
				if (*p == '"') {
					for (p++; p < end && *p != '"'; p++)
						if (*p == '\\')
							p++;
				} else if (*p == '{' || *p == '[')
					depth++;
				else if ((*p == '}' || *p == ']') &&
				    --depth == 0) {
					p++;
					break;
				}
			}
			nonempty = p - open > 2;
		} else {
			const char *v = p;

			while (p < end && *p != ',' && *p != '}')
				p++;
			nonempty = !(p - v >= 4 && memcmp(v, "null", 4) == 0);
		}
		if (nonempty && klen > 0 && row->ntags < FORMAT_MAX_TAGS) {
			size_t skip = 0;

			if (f->json_tags_prefix != NULL) {
				skip = strlen(f->json_tags_prefix);
				if (klen <= skip || memcmp(key,
				    f->json_tags_prefix, skip) != 0)
					klen = skip = 0;	/* not a tag */
			}
			if (klen > 0) {
				row->tags[row->ntags].p = key + skip;
				row->tags[row->ntags].n = klen - skip;
				row->ntags++;
				used += klen;
			}
		}
		SKIP_WS();
		if (p >= end || *p != ',')
			return;
		p++;
	}
#undef SKIP_WS
}

/* Which tag keys carry a value on this line. */
static void
map_tags(struct format *f, const struct csv_record *rec,
    struct format_row *row)
{
	size_t i;

	for (i = 0; i < f->ntag_cols && row->ntags < FORMAT_MAX_TAGS; i++) {
		const struct csv_field *v = &rec->fields[f->tag_cols[i].idx];

		if (v->len == 0 || (f->null_literal && v->len == 4 &&
		    memcmp(v->ptr, "NULL", 4) == 0))
			continue;
		row->tags[row->ntags].p = f->tag_cols[i].key;
		row->tags[row->ntags].n = f->tag_cols[i].len;
		row->ntags++;
	}
	if (f->json_tags >= 0) {
		struct pv_str j = { rec->fields[f->json_tags].ptr,
		    rec->fields[f->json_tags].len };

		json_tag_keys(f, j, row);
	}
}

/* A line of a hand-made service list: one service, its monthly cost. */
static int
map_manual(struct format *f, const struct csv_record *rec,
    struct format_row *row, struct pv_error *err)
{
	static const struct pv_str unspecified = { "unspecified", 11 };
	struct charge *c = &row->ch[0];
	struct pv_str month = get(f, rec, C_MONTH);
	int y, m, d;

	memset(c, 0, sizeof(*c));
	c->service_name = get(f, rec, C_PRODUCT_NAME);
	while (c->service_name.n > 0 && c->service_name.p[c->service_name.n -
	    1] == ' ')
		c->service_name.n--;
	if (c->service_name.n == 0)
		return pv_error_set(err, PV_ERR_INPUT, f->display, rec->line,
		    "no service named");
	c->account = get(f, rec, C_ACCOUNT);
	if (c->account.n == 0)
		c->account = unspecified;
	c->account_name = get(f, rec, C_ACCOUNT_NAME);
	c->payer = get(f, rec, C_PAYER);
	if (c->payer.n == 0)
		c->payer = c->account;
	c->region = get(f, rec, C_REGION);
	c->line_type.p = "manual";
	c->line_type.n = 6;
	if (f->currency != NULL) {
		c->currency.p = f->currency;
		c->currency.n = strlen(f->currency);
	}
	if (get_money(f, rec, C_COST, &c->cost, &row->cost_places, err) != 0)
		return -1;
	if (month.n > 0) {
		char buf[16];
		pv_time t;

		if (month.n < 6 || month.n > 7 || month.p[4] != '-')
			return pv_error_set(err, PV_ERR_INPUT, f->display,
			    rec->line, "bad month '%.*s' (YYYY-MM)",
			    (int)pv_utf8_prefix(month.p, month.n, 20), month.p);
		snprintf(buf, sizeof(buf), "%.*s-01", (int)month.n, month.p);
		if (date_parse(buf, strlen(buf), &t) != DATE_OK)
			return pv_error_set(err, PV_ERR_INPUT, f->display,
			    rec->line, "bad month '%.*s' (YYYY-MM)",
			    (int)month.n, month.p);
		c->period = t;
	} else
		c->period = month_start(f->now);
	date_civil_from_days(c->period / 86400, &y, &m, &d);
	c->start = c->period;
	c->end = c->period + (pv_time)date_days_in_month(y, m) * 86400;
	c->cls = CHARGE_USAGE;
	row->estimated = 1;	/* a list is what the customer expects */
	row->nch = 1;
	return 0;
}

int
format_map(struct format *f, const struct csv_record *rec,
    struct format_row *row, struct pv_error *err)
{
	int rc;

	memset(row, 0, sizeof(*row));
	row->kind = ROW_CHARGES;
	row->estimated = -1;
	row->through = -1;
	if (rec->nfields != f->nfields)
		return pv_error_set(err, PV_ERR_INPUT, f->display, rec->line,
		    "expected %zu fields, found %zu", f->nfields, rec->nfields);
	switch (f->kind) {
	case FORMAT_MONTHLY:
	case FORMAT_COST_ALLOCATION:
		rc = map_monthly(f, rec, row, err);
		break;
	case FORMAT_DBR:
	case FORMAT_DBR_RT:
		rc = map_dbr(f, rec, row, err);
		break;
	case FORMAT_CUR:
	case FORMAT_CUR2:
		rc = map_cur(f, rec, row, err);
		break;
	case FORMAT_MANUAL:
		return map_manual(f, rec, row, err);
	case FORMAT_FOCUS:
	case FORMAT_NKIND:
	default:
		rc = map_focus(f, rec, row, err);
		break;
	}
	if (rc == 0 && row->kind == ROW_CHARGES) {
		map_tags(f, rec, row);
		row->line_id = format_line_id(f, rec);
	}
	return rc;
}

struct pv_str
format_line_id(const struct format *f, const struct csv_record *rec)
{
	struct pv_str none = { "", 0 };

	if (f->nfields != rec->nfields)
		return none;
	return get(f, rec, f->kind == FORMAT_DBR || f->kind == FORMAT_DBR_RT ?
	    C_RECORD_ID : C_LINE_ID);
}

int
format_identity_columns(const struct format *f,
    int cols[FORMAT_IDENTITY_MAX])
{
	static const int rest[] = { C_PERIOD_START, C_USAGE_START,
	    C_USAGE_END };
	int n = 0;
	size_t i;

	if (!format_has_line_ids(f))
		return 0;
	cols[n++] = f->idx[f->kind == FORMAT_DBR || f->kind == FORMAT_DBR_RT ?
	    C_RECORD_ID : C_LINE_ID];
	for (i = 0; i < sizeof(rest) / sizeof(rest[0]); i++)
		if (f->idx[rest[i]] >= 0)
			cols[n++] = f->idx[rest[i]];
	return n;
}

int
format_has_line_ids(const struct format *f)
{
	switch (f->kind) {
	case FORMAT_CUR:
	case FORMAT_CUR2:
		return f->idx[C_LINE_ID] >= 0;
	case FORMAT_DBR:
	case FORMAT_DBR_RT:
		return f->idx[C_RECORD_ID] >= 0;
	default:
		return 0;
	}
}
