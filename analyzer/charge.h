/*
 * charge.h - the canonical line item every format is mapped to, and the
 * rules that put each line into one charge class.
 */
#ifndef PILVI_CHARGE_H
#define PILVI_CHARGE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "datetime.h"
#include "money.h"

enum charge_class {
	CHARGE_USAGE,
	CHARGE_FEE,		/* recurring or upfront fees: RI, SP, support, subscriptions */
	CHARGE_DISCOUNT,	/* EDP, bundled, private rate, SP negation */
	CHARGE_CREDIT,
	CHARGE_REFUND,
	CHARGE_TAX,
	CHARGE_ROUNDING,
	CHARGE_NCLASS
};

/*
 * Which sum a line belongs to. A consolidated monthly report states the
 * same money twice: invoice lines (PayerLineItem) and the per-account
 * split (LinkedLineItem, with CBRounding reconciling the two). Lines of
 * every other format belong to both.
 */
enum charge_view {
	CHARGE_VIEW_ALL = 0,
	CHARGE_VIEW_PAYER = 1,
	CHARGE_VIEW_LINKED = 2
};

/* A borrowed slice of a CSV field. */
struct pv_str {
	const char *p;
	size_t n;
};

/* The commitment a line belongs to (charge.commitment_kind). */
enum charge_commitment {
	CHARGE_NO_COMMITMENT,
	CHARGE_RESERVATION,
	CHARGE_SAVINGS_PLAN
};

struct charge {
	struct pv_str payer, payer_name;
	struct pv_str account, account_name;	/* usage (member) account */
	struct pv_str service_code, service_name;
	struct pv_str usage_type, operation;
	struct pv_str region, az;
	struct pv_str resource;
	struct pv_str line_type;	/* RecordType, LineItemType or ChargeCategory as written */
	struct pv_str invoice_id;
	struct pv_str currency;
	pv_time start, end;	/* usage interval, end exclusive; -1 unknown */
	pv_time period;		/* start of the billing period; -1 unknown */
	double quantity;
	money_t cost;		/* unblended (what was charged) */
	money_t blended;
	int has_blended;
	enum charge_class cls;
	enum charge_view view;
	int tagged;		/* the line carries at least one tag */
	/* for the move checklist (checklist.h); empty where the format
	 * has no such column */
	struct pv_str commitment;	/* reservation or Savings Plan ARN */
	struct pv_str commitment_end;	/* its end time as written */
	enum charge_commitment commitment_kind;
	struct pv_str billing_entity;	/* "AWS", "AWS Marketplace" */
	struct pv_str seller;		/* LegalEntity, SellerOfRecord */
	struct pv_str invoicing_entity;	/* InvoicingEntity, InvoiceIssuerName */
	struct pv_str tax_type;
};

/* Rows kept only to reconcile against, never summed with charges. */
enum total_kind {
	TOTAL_STATEMENT,
	TOTAL_INVOICE,
	TOTAL_ACCOUNT
};

struct charge_total {
	enum total_kind kind;
	struct pv_str payer, account, account_name, invoice_id, currency;
	pv_time period;		/* -1: the file's period */
	money_t amount;
};

/* "usage", "fee", ... */
const char *charge_class_name(enum charge_class c);
/* "statement", "invoice", "account". */
const char *total_kind_name(enum total_kind k);

/*
 * Class of a CUR lineItem/LineItemType (also CUR 2.0). Returns 0, or -1
 * for a type we do not know (*out is then CHARGE_USAGE; the caller
 * classes the line with charge_class_unknown and warns).
 */
int charge_class_from_cur_type(const char *s, size_t n,
    enum charge_class *out);

/* Class of a FOCUS ChargeCategory; -1 when unknown. */
int charge_class_from_focus(const char *s, size_t n, enum charge_class *out);

/*
 * Class of a FOCUS row whose ChargeClass is charge_class ("Correction"
 * or null) and whose ChargeCategory gave cls: a correction of an earlier
 * period is a refund (the class of after-the-fact changes), unless it
 * corrects tax or a credit, which keep their class.
 */
enum charge_class charge_class_focus_correction(enum charge_class cls,
    struct pv_str charge_class);

/*
 * Class of a line whose type is not in our tables (a type AWS added
 * since, or a misspelling): the money is kept, but never as usage,
 * which the estimate spreads over the days of the month. A negative
 * amount is a credit, any other a fee.
 */
enum charge_class charge_class_unknown(money_t cost);

/*
 * Is code an AWS support plan, by its service code as the reports show
 * it (AWSSupportBusiness...; AWSDeveloperSupport is read as
 * AWSSupportDeveloper, docs/pricing.md)? Charged every month, and what
 * Pilvi's own support replaces. 1 or 0.
 */
int charge_is_support_plan(const char *code);

/*
 * Class of a DBR LineItem or monthly-report line, which carry no type:
 * from the description, usage type and sign of the cost (formats.md §5:
 * a negative line is a credit unless it says it is a refund).
 */
enum charge_class charge_class_from_text(struct pv_str description,
    struct pv_str usage_type, struct pv_str product, money_t cost);
/* The same in two steps, so that what the words say can be kept for
 * text that comes again (format.c): the class the words give a line
 * that is not negative, then the class for the line's cost. */
enum charge_class charge_class_of_words(struct pv_str description,
    struct pv_str usage_type, struct pv_str product);
enum charge_class charge_class_for_cost(enum charge_class words,
    money_t cost);

/* Are the n bytes at a and b the same (memcmp's 0)? Inline, eight bytes
 * at a time: the names compared on every line are short, and calls to
 * memcmp for them were 5 % of a DBR-RT ingest's samples. */
static inline int
pv_mem_eq(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;
	uint64_t x, y;
	size_t i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			if (p[i] != q[i])
				return 0;
		return 1;
	}
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&x, p + i, 8);
		memcpy(&y, q + i, 8);
		if (x != y)
			return 0;
	}
	/* the last eight, overlapping what was compared */
	memcpy(&x, p + n - 8, 8);
	memcpy(&y, q + n - 8, 8);
	return x == y;
}

/* Does s contain the n bytes at lit? */
int pv_str_contains_n(struct pv_str s, const char *lit, size_t n);

/* Does s equal the C string lit? Does s start with it? Contain it?
 * Inline, so that a literal's length is known when compiled and a
 * short compare needs no call: they run several times on every line. */
static inline int
pv_str_eq(struct pv_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static inline int
pv_str_prefix(struct pv_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

static inline int
pv_str_contains(struct pv_str s, const char *lit)
{
	return pv_str_contains_n(s, lit, strlen(lit));
}

#endif
