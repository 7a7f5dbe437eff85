/*
 * test_charge.c - charge classes from CUR line item types, FOCUS charge
 * categories and legacy description text; the pv_str helpers; names.
 */
#include "test.h"

#include "charge.h"

/* A slice of a literal. */
static struct pv_str
S(const char *s)
{
	struct pv_str v = { s, strlen(s) };

	return v;
}

/* The first n bytes of s: a slice that is not NUL-terminated at n. */
static struct pv_str
SN(const char *s, size_t n)
{
	struct pv_str v = { s, n };

	return v;
}

static enum charge_class
cur(const char *t, int *rc)
{
	enum charge_class c = CHARGE_ROUNDING;

	*rc = charge_class_from_cur_type(t, strlen(t), &c);
	return c;
}

static enum charge_class
focus(const char *t, int *rc)
{
	enum charge_class c = CHARGE_ROUNDING;

	*rc = charge_class_from_focus(t, strlen(t), &c);
	return c;
}

/* Class of a legacy line from description, usage type, product, cost. */
static enum charge_class
text(const char *desc, const char *usage_type, const char *product,
    money_t cost)
{
	return charge_class_from_text(S(desc), S(usage_type), S(product), cost);
}

static void
test_cur_types_known(void)
{
	static const struct {
		const char *type;
		enum charge_class cls;
	} cases[] = {
		{ "Usage", CHARGE_USAGE },
		{ "DiscountedUsage", CHARGE_USAGE },
		{ "SavingsPlanCoveredUsage", CHARGE_USAGE },
		{ "Fee", CHARGE_FEE },
		{ "RIFee", CHARGE_FEE },
		{ "SavingsPlanUpfrontFee", CHARGE_FEE },
		{ "SavingsPlanRecurringFee", CHARGE_FEE },
		{ "FlatRateSubscription", CHARGE_FEE },
		{ "SavingsPlanNegation", CHARGE_DISCOUNT },
		{ "SppDiscount", CHARGE_DISCOUNT },
		{ "EdpDiscount", CHARGE_DISCOUNT },
		{ "BundledDiscount", CHARGE_DISCOUNT },
		{ "PrivateRateDiscount", CHARGE_DISCOUNT },
		{ "RiVolumeDiscount", CHARGE_DISCOUNT },
		{ "DistributorDiscount", CHARGE_DISCOUNT },
		{ "Discount", CHARGE_DISCOUNT },
		{ "Credit", CHARGE_CREDIT },
		{ "Refund", CHARGE_REFUND },
		{ "Tax", CHARGE_TAX },
		{ "Rounding", CHARGE_ROUNDING },
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum charge_class c = cur(cases[i].type, &rc);

		if (rc != 0 || c != cases[i].cls)
			fprintf(stderr, "type %s\n", cases[i].type);
		CHECK_INT(rc, 0);
		CHECK_INT(c, cases[i].cls);
	}
}

static void
test_cur_types_unknown(void)
{
	enum charge_class c = CHARGE_TAX;
	int rc;

	CHECK_INT(cur("BrandNewType", &rc), CHARGE_USAGE);
	CHECK_INT(rc, -1);
	CHECK_INT(cur("", &rc), CHARGE_USAGE);
	CHECK_INT(rc, -1);
	/* exact and case-sensitive */
	CHECK_INT(cur("tax", &rc), CHARGE_USAGE);
	CHECK_INT(rc, -1);
	CHECK_INT(cur("Tax ", &rc), CHARGE_USAGE);
	CHECK_INT(rc, -1);
	CHECK_INT(cur("RIFees", &rc), CHARGE_USAGE);
	CHECK_INT(rc, -1);
	/* the length is what counts, not the NUL: "Cred" of "Credit" */
	CHECK_INT(charge_class_from_cur_type("Credit", 4, &c), -1);
	CHECK_INT(c, CHARGE_USAGE);
	CHECK_INT(charge_class_from_cur_type("TaxAndMore", 3, &c), 0);
	CHECK_INT(c, CHARGE_TAX);
}

/* An unknown type is kept, never as usage: a credit when negative. */
static void
test_unknown_class(void)
{
	CHECK_INT(charge_class_unknown(1), CHARGE_FEE);
	CHECK_INT(charge_class_unknown(0), CHARGE_FEE);
	CHECK_INT(charge_class_unknown(-1), CHARGE_CREDIT);
	CHECK_INT(charge_class_unknown(INT64_MIN), CHARGE_CREDIT);
}

/* ChargeClass "Correction": a refund, unless it corrects tax or a
 * credit; any other text (the spec has none) changes nothing. */
static void
test_focus_correction(void)
{
	static const struct pv_str corr = { "Correction", 10 };
	static const struct pv_str none = { "", 0 };

	CHECK_INT(charge_class_focus_correction(CHARGE_USAGE, corr),
	    CHARGE_REFUND);
	CHECK_INT(charge_class_focus_correction(CHARGE_FEE, corr),
	    CHARGE_REFUND);
	CHECK_INT(charge_class_focus_correction(CHARGE_REFUND, corr),
	    CHARGE_REFUND);
	CHECK_INT(charge_class_focus_correction(CHARGE_TAX, corr), CHARGE_TAX);
	CHECK_INT(charge_class_focus_correction(CHARGE_CREDIT, corr),
	    CHARGE_CREDIT);
	CHECK_INT(charge_class_focus_correction(CHARGE_USAGE, none),
	    CHARGE_USAGE);
	CHECK_INT(charge_class_focus_correction(CHARGE_FEE, S("correction")),
	    CHARGE_FEE);
	CHECK_INT(charge_class_focus_correction(CHARGE_FEE, SN("Correction!",
	    10)), CHARGE_REFUND);
}

static void
test_focus_known(void)
{
	int rc;

	CHECK_INT(focus("Usage", &rc), CHARGE_USAGE);
	CHECK_INT(rc, 0);
	CHECK_INT(focus("Purchase", &rc), CHARGE_FEE);
	CHECK_INT(rc, 0);
	CHECK_INT(focus("Tax", &rc), CHARGE_TAX);
	CHECK_INT(rc, 0);
	CHECK_INT(focus("Credit", &rc), CHARGE_CREDIT);
	CHECK_INT(rc, 0);
	CHECK_INT(focus("Adjustment", &rc), CHARGE_REFUND);
	CHECK_INT(rc, 0);
}

static void
test_focus_unknown(void)
{
	enum charge_class c = CHARGE_TAX;
	int rc;

	CHECK_INT(focus("Commitment", &rc), CHARGE_USAGE);
	CHECK_INT(rc, -1);
	CHECK_INT(focus("usage", &rc), CHARGE_USAGE);
	CHECK_INT(rc, -1);
	CHECK_INT(focus("", &rc), CHARGE_USAGE);
	CHECK_INT(rc, -1);
	/* CUR type names are not FOCUS categories */
	CHECK_INT(focus("Refund", &rc), CHARGE_USAGE);
	CHECK_INT(rc, -1);
	CHECK_INT(focus("RIFee", &rc), CHARGE_USAGE);
	CHECK_INT(rc, -1);
	CHECK_INT(charge_class_from_focus("Purchases", 9, &c), -1);
	CHECK_INT(c, CHARGE_USAGE);
	CHECK_INT(charge_class_from_focus("Purchases", 8, &c), 0);
	CHECK_INT(c, CHARGE_FEE);
}

static void
test_text_refund(void)
{
	CHECK_INT(text("Refund for duplicate charge", "", "", -50000000000),
	    CHARGE_REFUND);
	/* positive or negative, and ahead of every other rule */
	CHECK_INT(text("Refund", "", "", 10000000000), CHARGE_REFUND);
	CHECK_INT(text("Refund of Tax for 2015", "HeavyUsage:m3", "Tax", -1),
	    CHARGE_REFUND);
	CHECK_INT(text("Credit Refund", "", "", -1), CHARGE_REFUND);
	/* case matters */
	CHECK_INT(text("refund", "", "", 10), CHARGE_USAGE);
}

static void
test_text_tax(void)
{
	CHECK_INT(text("Tax for product code AmazonEC2", "", "", 5),
	    CHARGE_TAX);
	CHECK_INT(text("Tax", "", "", 5), CHARGE_TAX);
	CHECK_INT(text("", "", "Tax", 5), CHARGE_TAX);
	/* a negative tax line is still tax, not a credit */
	CHECK_INT(text("Tax adjustment", "", "", -5), CHARGE_TAX);
	/* "Tax" inside a word is not tax */
	CHECK_INT(text("Taxonomy service", "", "", 5), CHARGE_USAGE);
	CHECK_INT(text("", "", "Taxes", 5), CHARGE_USAGE);
	/* the whole word after candidates that are not */
	CHECK_INT(text("Taxonomy, Taxi and Tax", "", "", 5), CHARGE_TAX);
	CHECK_INT(text("Taxonomy, Taxi, SynTax", "", "", 5), CHARGE_USAGE);
	CHECK_INT(text("T", "", "", 5), CHARGE_USAGE);
}

static void
test_text_tax_at_end(void)
{
	/* BUG: "Tax" is only found followed by a space or as the whole
	 * description, so a description ending in it is not tax:
	 * charge_class_from_text("US Sales Tax", "", "", 5) returns
	 * CHARGE_USAGE. formats.md §5 (and the comment in charge.c citing
	 * it) says DBR tax lines are found by the 'Tax' substring.
	 * Enable when fixed. */
	CHECK_INT(text("US Sales Tax", "", "", 5), CHARGE_TAX);
	CHECK_INT(text("Japanese Consumption Tax", "", "", 5), CHARGE_TAX);
	/* what holds either way: the word followed by more text is tax */
	CHECK_INT(text("US Sales Tax for September", "", "", 5), CHARGE_TAX);
}

static void
test_text_negative_is_credit(void)
{
	/* formats.md §5: promotion credits carry a promotion name */
	CHECK_INT(text("EDU_E_FY2015_Q1_UniversityOfCalifornia_SanDiego_Coakley",
	    "EBS:VolumeUsage.gp2", "Amazon Elastic Compute Cloud",
	    -1089700000000), CHARGE_CREDIT);
	/* sign beats the fee rules */
	CHECK_INT(text("Recurring Fee", "HeavyUsage:m3.large", "AWS Support",
	    -1), CHARGE_CREDIT);
	/* zero is not negative */
	CHECK_INT(text("promo", "", "", 0), CHARGE_USAGE);
}

static void
test_text_credit_word(void)
{
	CHECK_INT(text("AWS Credit applied", "", "", 0), CHARGE_CREDIT);
	CHECK_INT(text("Credit", "", "", 10), CHARGE_CREDIT);
	/* in the usage type or product it does not count */
	CHECK_INT(text("x", "Credit", "Credit", 10), CHARGE_USAGE);
	CHECK_INT(text("credit", "", "", 10), CHARGE_USAGE);
	/* the word outranks the fee rules */
	CHECK_INT(text("Credit for Recurring Fee", "", "", 10), CHARGE_CREDIT);
}

static void
test_text_fee(void)
{
	CHECK_INT(text("USD 0.0 hourly fee per Linux/UNIX, m3.large instance",
	    "HeavyUsage:m3.large", "Amazon Elastic Compute Cloud", 100),
	    CHARGE_FEE);
	CHECK_INT(text("Recurring Fee", "", "example product", 390000000000),
	    CHARGE_FEE);
	CHECK_INT(text("Sign up charge for subscription: 123", "", "", 1),
	    CHARGE_FEE);
	CHECK_INT(text("Upfront Fee", "", "", 1), CHARGE_FEE);
	CHECK_INT(text("One-time upfront fee", "", "", 1), CHARGE_FEE);
	CHECK_INT(text("Business support", "", "AWS Support (Business)", 1),
	    CHARGE_FEE);
	CHECK_INT(text("Business support", "", "AWSSupportBusiness", 1),
	    CHARGE_FEE);
	CHECK_INT(text("x", "APN1-Subscription", "", 1), CHARGE_FEE);
	/* the fee rules look at their own column only */
	CHECK_INT(text("HeavyUsage", "", "", 1), CHARGE_USAGE);
	CHECK_INT(text("x", "Recurring Fee", "", 1), CHARGE_USAGE);
	/* "AWS Support" is a prefix of the product, not anywhere in it */
	CHECK_INT(text("x", "", "Premium AWS Support", 1), CHARGE_USAGE);
}

static void
test_text_usage(void)
{
	CHECK_INT(text("$0.044 per On Demand Linux m1.small Instance Hour",
	    "BoxUsage", "Amazon Elastic Compute Cloud", 440000000), CHARGE_USAGE);
	CHECK_INT(text("", "", "", 0), CHARGE_USAGE);
	CHECK_INT(text("AWS Marketplace Hourly Fee ap-northeast-1 t1.micro",
	    "APN1-SoftwareUsage:t1.micro", "example product", 540000000000),
	    CHARGE_USAGE);
}

static void
test_text_slices_respect_length(void)
{
	/* only the first n bytes of each slice are looked at */
	CHECK_INT(charge_class_from_text(SN("abc Refund", 3), S(""), S(""), 1),
	    CHARGE_USAGE);
	CHECK_INT(charge_class_from_text(SN("Tax x", 3), S(""), S(""), 1),
	    CHARGE_TAX);
	CHECK_INT(charge_class_from_text(S("x"), SN("BoxHeavyUsage", 3),
	    S(""), 1), CHARGE_USAGE);
}

static void
test_str_eq(void)
{
	CHECK_INT(pv_str_eq(S("abc"), "abc"), 1);
	CHECK_INT(pv_str_eq(S("abc"), "ab"), 0);
	CHECK_INT(pv_str_eq(S("abc"), "abcd"), 0);
	CHECK_INT(pv_str_eq(S("abc"), "abd"), 0);
	CHECK_INT(pv_str_eq(S("abc"), "ABC"), 0);
	CHECK_INT(pv_str_eq(S(""), ""), 1);
	CHECK_INT(pv_str_eq(S(""), "a"), 0);
	CHECK_INT(pv_str_eq(S("a"), ""), 0);
	/* length, not NUL, ends the slice */
	CHECK_INT(pv_str_eq(SN("abcdef", 3), "abc"), 1);
	CHECK_INT(pv_str_eq(SN("abcdef", 3), "abcdef"), 0);
	CHECK_INT(pv_str_eq(SN("abcdef", 0), ""), 1);
}

static void
test_str_prefix(void)
{
	CHECK_INT(pv_str_prefix(S("AccountTotal:123"), "AccountTotal:"), 1);
	CHECK_INT(pv_str_prefix(S("abc"), "abc"), 1);
	CHECK_INT(pv_str_prefix(S("abc"), "a"), 1);
	CHECK_INT(pv_str_prefix(S("abc"), ""), 1);
	CHECK_INT(pv_str_prefix(S(""), ""), 1);
	CHECK_INT(pv_str_prefix(S("abc"), "b"), 0);
	/* needle longer than the haystack */
	CHECK_INT(pv_str_prefix(S("ab"), "abc"), 0);
	CHECK_INT(pv_str_prefix(S(""), "a"), 0);
	CHECK_INT(pv_str_prefix(SN("abcdef", 2), "abc"), 0);
	CHECK_INT(pv_str_prefix(SN("abcdef", 3), "abc"), 1);
}

static void
test_str_contains(void)
{
	CHECK_INT(pv_str_contains(S("abcdef"), "abc"), 1);	/* start */
	CHECK_INT(pv_str_contains(S("abcdef"), "cd"), 1);	/* middle */
	CHECK_INT(pv_str_contains(S("abcdef"), "def"), 1);	/* end */
	CHECK_INT(pv_str_contains(S("abcdef"), "abcdef"), 1);
	CHECK_INT(pv_str_contains(S("abcdef"), "dex"), 0);
	CHECK_INT(pv_str_contains(S("abcdef"), "fa"), 0);
	/* a false start right before the match */
	CHECK_INT(pv_str_contains(S("aaab"), "aab"), 1);
	/* empty needle: found everywhere, even in an empty haystack */
	CHECK_INT(pv_str_contains(S("abc"), ""), 1);
	CHECK_INT(pv_str_contains(S(""), ""), 1);
	/* needle longer than the haystack */
	CHECK_INT(pv_str_contains(S("ab"), "abc"), 0);
	CHECK_INT(pv_str_contains(S(""), "a"), 0);
	/* the slice ends at its length: no match across it */
	CHECK_INT(pv_str_contains(SN("abcdef", 4), "cde"), 0);
	CHECK_INT(pv_str_contains(SN("abcdef", 4), "cd"), 1);
	CHECK_INT(pv_str_contains(SN("abcdef", 0), "a"), 0);
}

static void
test_class_names(void)
{
	CHECK_STR(charge_class_name(CHARGE_USAGE), "usage");
	CHECK_STR(charge_class_name(CHARGE_FEE), "fee");
	CHECK_STR(charge_class_name(CHARGE_DISCOUNT), "discount");
	CHECK_STR(charge_class_name(CHARGE_CREDIT), "credit");
	CHECK_STR(charge_class_name(CHARGE_REFUND), "refund");
	CHECK_STR(charge_class_name(CHARGE_TAX), "tax");
	CHECK_STR(charge_class_name(CHARGE_ROUNDING), "rounding");
	/* out of range falls back to usage */
	CHECK_STR(charge_class_name(CHARGE_NCLASS), "usage");
	CHECK_STR(charge_class_name((enum charge_class)-1), "usage");
}

static void
test_total_kind_names(void)
{
	CHECK_STR(total_kind_name(TOTAL_STATEMENT), "statement");
	CHECK_STR(total_kind_name(TOTAL_INVOICE), "invoice");
	CHECK_STR(total_kind_name(TOTAL_ACCOUNT), "account");
}

/* pv_mem_eq is memcmp's equality for every length around its eight-byte
 * steps, a difference at any place found. */
static void
test_mem_eq(void)
{
	char a[48], b[48];
	size_t n, at, wrong = 0;

	for (n = 0; n <= 40; n++) {
		for (at = 0; at < n + 8 && at < sizeof(a); at++)
			a[at] = b[at] = (char)('a' + at % 26);
		if (!pv_mem_eq(a, b, n))
			wrong++;
		for (at = 0; at < n; at++) {
			b[at] ^= 0x20;
			if (pv_mem_eq(a, b, n) != (memcmp(a, b, n) == 0))
				wrong++;
			b[at] ^= 0x20;
		}
		/* a difference past the end is none */
		b[n] ^= 0x20;
		if (!pv_mem_eq(a, b, n))
			wrong++;
		b[n] ^= 0x20;
	}
	CHECK_INT(wrong, 0);
}

int
main(void)
{
	RUN(test_mem_eq);
	RUN(test_cur_types_known);
	RUN(test_cur_types_unknown);
	RUN(test_unknown_class);
	RUN(test_focus_correction);
	RUN(test_focus_known);
	RUN(test_focus_unknown);
	RUN(test_text_refund);
	RUN(test_text_tax);
	RUN(test_text_tax_at_end);
	RUN(test_text_negative_is_credit);
	RUN(test_text_credit_word);
	RUN(test_text_fee);
	RUN(test_text_usage);
	RUN(test_text_slices_respect_length);
	RUN(test_str_eq);
	RUN(test_str_prefix);
	RUN(test_str_contains);
	RUN(test_class_names);
	RUN(test_total_kind_names);
	TEST_END();
}
