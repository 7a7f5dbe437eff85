#include "charge.h"

#include <ctype.h>
#include <string.h>

static const char *const class_names[CHARGE_NCLASS] = {
	"usage", "fee", "discount", "credit", "refund", "tax", "rounding"
};

const char *
charge_class_name(enum charge_class c)
{
	return (unsigned)c < CHARGE_NCLASS ? class_names[c] : "usage";
}

const char *
total_kind_name(enum total_kind k)
{
	switch (k) {
	case TOTAL_STATEMENT:
		return "statement";
	case TOTAL_INVOICE:
		return "invoice";
	case TOTAL_ACCOUNT:
		return "account";
	}
	return "statement";
}

int
pv_str_contains_n(struct pv_str s, const char *lit, size_t n)
{
	const char *p = s.p, *last;

	if (n == 0)
		return 1;
	if (s.n < n)
		return 0;
	/* memchr finds candidates for the first byte far faster than a
	 * byte loop; this runs several times on every line. */
	last = s.p + (s.n - n);
	while (p <= last && (p = memchr(p, lit[0], (size_t)(last - p) + 1))
	    != NULL) {
		if (memcmp(p, lit, n) == 0)
			return 1;
		p++;
	}
	return 0;
}

struct type_rule {
	const char *name;
	enum charge_class cls;
};

/*
 * CUR and CUR 2.0 line item types (docs/formats.md, "Line item types",
 * says where each name comes from). SavingsPlanNegation cancels the
 * on-demand cost of covered usage, so it is a discount: usage stays the
 * list-price picture and usage + discount is what was paid. Database
 * Savings Plans write the same SavingsPlan* types. A type not listed
 * here is classed by charge_class_unknown.
 */
static const struct type_rule cur_types[] = {
	{ "Usage", CHARGE_USAGE },
	{ "DiscountedUsage", CHARGE_USAGE },
	{ "SavingsPlanCoveredUsage", CHARGE_USAGE },
	{ "Fee", CHARGE_FEE },
	{ "RIFee", CHARGE_FEE },
	{ "SavingsPlanUpfrontFee", CHARGE_FEE },
	{ "SavingsPlanRecurringFee", CHARGE_FEE },
	/* a flat-rate pricing plan: a fixed recurring fee paid instead
	 * of usage-based pricing */
	{ "FlatRateSubscription", CHARGE_FEE },
	{ "SavingsPlanNegation", CHARGE_DISCOUNT },
	{ "EdpDiscount", CHARGE_DISCOUNT },
	{ "BundledDiscount", CHARGE_DISCOUNT },
	{ "PrivateRateDiscount", CHARGE_DISCOUNT },
	{ "RiVolumeDiscount", CHARGE_DISCOUNT },
	{ "DistributorDiscount", CHARGE_DISCOUNT },
	{ "SppDiscount", CHARGE_DISCOUNT },	/* Solution Provider Program */
	{ "Discount", CHARGE_DISCOUNT },
	{ "Credit", CHARGE_CREDIT },
	{ "Refund", CHARGE_REFUND },
	{ "Tax", CHARGE_TAX },
	{ "Rounding", CHARGE_ROUNDING },
};

int
charge_class_from_cur_type(const char *s, size_t n, enum charge_class *out)
{
	struct pv_str t = { s, n };
	size_t i;

	for (i = 0; i < sizeof(cur_types) / sizeof(cur_types[0]); i++) {
		if (pv_str_eq(t, cur_types[i].name)) {
			*out = cur_types[i].cls;
			return 0;
		}
	}
	*out = CHARGE_USAGE;
	return -1;
}

/*
 * FOCUS ChargeCategory (formats.md §8). Adjustment is the spec's bucket
 * for refunds and other after-the-fact corrections.
 */
static const struct type_rule focus_types[] = {
	{ "Usage", CHARGE_USAGE },
	{ "Purchase", CHARGE_FEE },
	{ "Tax", CHARGE_TAX },
	{ "Credit", CHARGE_CREDIT },
	{ "Adjustment", CHARGE_REFUND },
};

int
charge_class_from_focus(const char *s, size_t n, enum charge_class *out)
{
	struct pv_str t = { s, n };
	size_t i;

	for (i = 0; i < sizeof(focus_types) / sizeof(focus_types[0]); i++) {
		if (pv_str_eq(t, focus_types[i].name)) {
			*out = focus_types[i].cls;
			return 0;
		}
	}
	*out = CHARGE_USAGE;
	return -1;
}

enum charge_class
charge_class_focus_correction(enum charge_class cls, struct pv_str cc)
{
	if (!pv_str_eq(cc, "Correction"))
		return cls;
	return cls == CHARGE_TAX || cls == CHARGE_CREDIT ? cls : CHARGE_REFUND;
}

enum charge_class
charge_class_unknown(money_t cost)
{
	/* As usage, an unknown charge would be mixed into the usage
	 * total and the daily usage trend the estimate extends to the
	 * month's end, where nobody could tell it apart. As a fee or a
	 * credit it still counts in the total, under a heading of its
	 * own, and the warning names it. */
	return cost < 0 ? CHARGE_CREDIT : CHARGE_FEE;
}

/* Does s hold word as a whole word ("US Sales Tax", not "Syntax")? */
static int
contains_word(struct pv_str s, const char *word)
{
	size_t n = strlen(word), i;
	const char *p = s.p, *last;

	if (n == 0 || s.n < n)
		return 0;
	/* candidates by their first byte, as pv_str_contains (a memcmp at
	 * every place: perf gave charge_class_from_text 2.0 % of a DBR-RT
	 * ingest's samples, 0.5 % now) */
	last = s.p + (s.n - n);
	while (p <= last && (p = memchr(p, word[0], (size_t)(last - p) + 1))
	    != NULL) {
		i = (size_t)(p - s.p);
		if (memcmp(p, word, n) == 0 &&
		    (i == 0 || !isalnum((unsigned char)s.p[i - 1])) &&
		    (i + n == s.n || !isalnum((unsigned char)s.p[i + n])))
			return 1;
		p++;
	}
	return 0;
}

enum charge_class
charge_class_of_words(struct pv_str desc, struct pv_str usage_type,
    struct pv_str product)
{
	/* AWS: credits, refunds and tax are found by these words in the
	 * description (formats.md §5); a refund or tax is named as such. */
	if (pv_str_contains(desc, "Refund"))
		return CHARGE_REFUND;
	if (contains_word(desc, "Tax") || pv_str_eq(product, "Tax"))
		return CHARGE_TAX;
	if (pv_str_contains(desc, "Credit"))
		return CHARGE_CREDIT;
	/* Reserved-instance monthly fees, upfront purchases, support plans,
	 * Marketplace subscriptions: posted once, not by the hour. */
	if (pv_str_contains(usage_type, "HeavyUsage") ||
	    pv_str_contains(desc, "Recurring Fee") ||
	    pv_str_contains(desc, "Upfront Fee") ||
	    pv_str_contains(desc, "upfront fee") ||
	    pv_str_contains(desc, "Sign up charge") ||
	    pv_str_prefix(product, "AWS Support") ||
	    pv_str_prefix(product, "AWSSupport") ||
	    pv_str_contains(usage_type, "Subscription"))
		return CHARGE_FEE;
	return CHARGE_USAGE;
}

enum charge_class
charge_class_for_cost(enum charge_class words, money_t cost)
{
	/* a negative line is a credit unless it says it is a refund or
	 * tax */
	if (cost < 0 && words != CHARGE_REFUND && words != CHARGE_TAX)
		return CHARGE_CREDIT;
	return words;
}

enum charge_class
charge_class_from_text(struct pv_str desc, struct pv_str usage_type,
    struct pv_str product, money_t cost)
{
	return charge_class_for_cost(charge_class_of_words(desc, usage_type,
	    product), cost);
}

int
charge_is_support_plan(const char *code)
{
	return strncmp(code, "AWSSupport", 10) == 0 ||
	    strcmp(code, "OCBPremiumSupport") == 0;
}
