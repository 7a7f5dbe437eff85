/*
 * test_pricing.c - the pricing rules: parsing, the checks of a bad
 * file, and what they make of a month, with every expected amount
 * worked out by hand in the comments.
 */
#include "pricing.h"
#include "test.h"

/* money_t from a literal decimal. */
static money_t
M(const char *s)
{
	money_t v = 0;

	if (money_parse(s, strlen(s), &v, NULL) != MONEY_OK) {
		fprintf(stderr, "bad literal %s\n", s);
		exit(2);
	}
	return v;
}

#define HEAD "kind,scope,match,percent,amount,date,note\n" \
	"version,,test,,,,\n"

static struct pv_error err;

/* Parse text as rules; 0 or -1. */
static int
rules(struct pricing_rules *r, const char *text)
{
	pv_error_clear(&err);
	return pricing_rules_parse(r, "rules.csv", text, strlen(text), &err);
}

/* The error of parsing text, formatted "FILE:LINE: message". */
static const char *
parse_error(const char *text)
{
	static char buf[2048];
	struct pricing_rules r;

	if (rules(&r, text) == 0) {
		pricing_rules_release(&r);
		return "(parsed)";
	}
	pv_error_format(&err, buf, sizeof(buf));
	return buf;
}

static const struct pricing_service *
service(const struct pricing_result *res, const char *code)
{
	size_t i;

	for (i = 0; i < res->nservices; i++)
		if (strcmp(res->services[i].service, code) == 0)
			return &res->services[i];
	return NULL;
}

static const char *
effect(const struct pricing_result *res, size_t i)
{
	static char buf[256];

	if (i >= res->neffects)
		return "(none)";
	pricing_effect_format(buf, sizeof(buf), &res->effects[i]);
	return buf;
}

/* A month with something of everything, at 10 decimals: the 0 % rules
 * must give back each amount as it is. */
static const struct pricing_line month[] = {
	{ "AmazonEC2", "EUC1-BoxUsage:m5.large", NULL, "Usage", CHARGE_USAGE,
	  12345678901234LL },			/* 1234.5678901234 */
	{ "AmazonEC2", "EUC1-BoxUsage:m5.large", NULL, "EdpDiscount",
	  CHARGE_DISCOUNT, -370370367037LL },	/* -37.0370367037 */
	{ "AmazonS3", "EUC1-TimedStorage-ByteHrs", NULL, "Usage",
	  CHARGE_USAGE, 2000000000005LL },	/* 200.0000000005 */
	{ "AmazonS3", NULL, NULL, "PrivateRateDiscount", CHARGE_DISCOUNT,
	  -50000000000LL },			/* -5 */
	{ "AWSSupportBusiness", NULL, NULL, "Fee", CHARGE_FEE,
	  1000000000000LL },			/* 100 */
	{ "AmazonEC2", NULL, NULL, "Credit", CHARGE_CREDIT,
	  -250000000000LL },			/* -25 */
	{ "", NULL, NULL, "Tax", CHARGE_TAX, 310000000000LL },	/* 31 */
	{ "", NULL, NULL, "Rounding", CHARGE_ROUNDING, 12LL },
};
#define NMONTH (sizeof(month) / sizeof(month[0]))

static void
test_default_rules_reproduce_aws(void)
{
	struct pricing_rules r;
	struct pricing_result res;
	size_t i;

	pv_error_clear(&err);
	CHECK_INT(pricing_rules_default(&r, &err), 0);
	CHECK_STR(r.version, "default-1");
	CHECK_INT(pricing_apply(&r, "USD", month, NMONTH, &res, &err), 0);
	CHECK_STR(res.currency, "USD");
	/* 1234.5678901234 - 37.0370367037 + 200.0000000005 - 5 + 100 */
	CHECK_INT(res.aws_amount, M("1492.5308534202"));
	CHECK_INT(res.pilvi_amount, res.aws_amount);
	CHECK_INT(res.nservices, 3);
	for (i = 0; i < res.nservices; i++)
		CHECK_INT(res.services[i].pilvi, res.services[i].aws);
	CHECK_INT(service(&res, "AmazonEC2")->pilvi, M("1197.5308534197"));
	CHECK_INT(res.aws_credits, M("-25"));
	CHECK_INT(res.pilvi_credits, M("-25"));
	CHECK_INT(res.pilvi_tax, M("31"));
	/* 1492.5308534202 - 25 + 31; the rounding line is in no sum */
	CHECK_INT(res.pilvi_total, M("1498.5308534202"));
	CHECK_INT(res.pilvi_total, res.aws_total);
	CHECK_INT(pricing_round(res.pilvi_amount), M("1492.53"));
	CHECK_INT(res.support_fee, 0);
	CHECK_INT(res.neffects, 0);
	pricing_result_release(&res);
	pricing_rules_release(&r);
}

static void
test_markup_on_one_service(void)
{
	struct pricing_rules r;
	struct pricing_result res;
	const struct pricing_line l[] = {
		{ "AmazonEC2", "BoxUsage", NULL, "Usage", CHARGE_USAGE,
		  M("1000") },
		{ "AmazonS3", "TimedStorage", NULL, "Usage", CHARGE_USAGE,
		  M("200") },
	};

	CHECK_INT(rules(&r, HEAD "markup,all,,0,,,\n"
	    "markup,service,AmazonEC2,10,,,\n"), 0);
	CHECK_INT(pricing_apply(&r, "USD", l, 2, &res, &err), 0);
	/* EC2 1000 x 1.10 = 1100; S3 200 as it is; 1300 in all */
	CHECK_INT(service(&res, "AmazonEC2")->pilvi, M("1100"));
	CHECK_INT(service(&res, "AmazonS3")->pilvi, M("200"));
	CHECK_INT(res.aws_amount, M("1200"));
	CHECK_INT(res.pilvi_amount, M("1300"));
	CHECK_STR(res.services[0].service, "AmazonEC2");
	CHECK_INT(res.neffects, 1);
	CHECK_STR(effect(&res, 0), "markup 10 % on service AmazonEC2: "
	    "-1,000.00 AWS, +1,100.00 Pilvi");
	CHECK_INT(res.effects[0].line, 4);
	pricing_result_release(&res);
	pricing_rules_release(&r);
}

static void
test_usage_type_before_service(void)
{
	struct pricing_rules r;
	struct pricing_result res;
	const struct pricing_line l[] = {
		{ "AmazonEC2", "EUC1-BoxUsage:t3.micro", NULL, "Usage",
		  CHARGE_USAGE, M("100") },
		{ "AmazonEC2", "EUC1-EBS:VolumeUsage", NULL, "Usage",
		  CHARGE_USAGE, M("100") },
		{ "AmazonEC2", NULL, NULL, "Usage", CHARGE_USAGE, M("100") },
	};

	CHECK_INT(rules(&r, HEAD "markup,service,AmazonEC2,5,,,\n"
	    "discount,usage_type,*BoxUsage:*,2.5,,,\n"), 0);
	CHECK_INT(pricing_apply(&r, "USD", l, 3, &res, &err), 0);
	/* 100 x 0.975 = 97.50 by the usage type; the other two 105 each
	 * by the service (no usage type: no pattern matches) */
	CHECK_INT(res.pilvi_amount, M("307.5"));
	CHECK_INT(res.neffects, 2);
	CHECK_STR(effect(&res, 0), "markup 5 % on service AmazonEC2: "
	    "-200.00 AWS, +210.00 Pilvi");
	CHECK_STR(effect(&res, 1), "discount 2.5 % on usage type "
	    "*BoxUsage:*: -100.00 AWS, +97.50 Pilvi");
	pricing_result_release(&res);
	pricing_rules_release(&r);
}

/* Tiers like AWS Business support's own: 10 % of the first 10 000, 7 %
 * up to 80 000, 5 % above; at least 500. */
#define TIERS "support_fee,,,10,10000,,\n" \
	"support_fee,,,7,80000,,\n" \
	"support_fee,,,5,,,\n" \
	"support_minimum,,,,500,,\n"

static money_t
fee_for(const char *usage, const char *aws_support, money_t *amount)
{
	struct pricing_rules r;
	struct pricing_result res;
	const struct pricing_line l[] = {
		{ "AmazonEC2", NULL, NULL, "Usage", CHARGE_USAGE, M(usage) },
		{ "AWSSupportBusiness", NULL, NULL, "Fee", CHARGE_FEE,
		  M(aws_support) },
	};
	money_t fee;

	if (rules(&r, HEAD TIERS) != 0 ||
	    pricing_apply(&r, "USD", l, 2, &res, &err) != 0)
		return -1;
	fee = res.support_fee;
	*amount = res.pilvi_amount;
	CHECK_INT(service(&res, "AWSSupportBusiness")->pilvi, 0);
	CHECK(service(&res, "AWSSupportBusiness")->support_plan);
	pricing_result_release(&res);
	pricing_rules_release(&r);
	return fee;
}

static void
test_support_swap_tiers(void)
{
	struct pricing_rules r;
	struct pricing_result res;
	const struct pricing_line l[] = {
		{ "AmazonEC2", NULL, NULL, "Usage", CHARGE_USAGE, M("50000") },
		{ "AWSSupportBusiness", NULL, NULL, "Fee", CHARGE_FEE,
		  M("1500") },
	};
	money_t amount;

	/* 10 % of 10 000 + 7 % of 40 000 = 1 000 + 2 800 = 3 800 */
	CHECK_INT(fee_for("50000", "1500", &amount), M("3800"));
	CHECK_INT(amount, M("53800"));
	/* 1 000 + 7 % of 70 000 (4 900) + 5 % of 20 000 (1 000) = 6 900 */
	CHECK_INT(fee_for("100000", "0", &amount), M("6900"));
	/* exactly on a bound: 10 % of 10 000 = 1 000 */
	CHECK_INT(fee_for("10000", "300", &amount), M("1000"));
	/* 10 % of 3 000 is 300, below the minimum 500 */
	CHECK_INT(fee_for("3000", "100", &amount), M("500"));
	CHECK_INT(amount, M("3500"));

	CHECK_INT(rules(&r, HEAD TIERS), 0);
	CHECK_INT(pricing_apply(&r, "USD", l, 2, &res, &err), 0);
	CHECK_INT(res.aws_amount, M("51500"));
	CHECK_STR(effect(&res, 0), "support plan replaced: -1,500.00 AWS, "
	    "+3,800.00 Pilvi");
	CHECK_INT(res.effects[0].line, 3);
	pricing_result_release(&res);
	pricing_rules_release(&r);
}

static void
test_edp_ends(void)
{
	struct pricing_rules r;
	struct pricing_result res;
	const struct pricing_line l[] = {
		{ "AmazonEC2", NULL, NULL, "Usage", CHARGE_USAGE, M("1000") },
		{ "AmazonEC2", NULL, NULL, "EdpDiscount", CHARGE_DISCOUNT,
		  M("-30") },
		{ "AmazonEC2", NULL, NULL, "BundledDiscount", CHARGE_DISCOUNT,
		  M("-2") },
	};

	CHECK_INT(rules(&r, HEAD "aws_discount,edp,end,,,,\n"
	    "aws_discount,bundled,carry,,,,\n"), 0);
	CHECK_INT(pricing_apply(&r, "USD", l, 3, &res, &err), 0);
	/* AWS 1000 - 30 - 2 = 968; Pilvi 1000 - 2 = 998: the EDP's 30
	 * is no longer taken off */
	CHECK_INT(res.aws_amount, M("968"));
	CHECK_INT(res.pilvi_amount, M("998"));
	CHECK_INT(res.neffects, 1);
	CHECK_STR(effect(&res, 0), "EDP discount ends: +30.00 AWS, +0.00 "
	    "Pilvi");
	pricing_result_release(&res);
	pricing_rules_release(&r);
}

static void
test_credits_end(void)
{
	struct pricing_rules r;
	struct pricing_result res;
	const struct pricing_line l[] = {
		{ "AmazonEC2", NULL, NULL, "Usage", CHARGE_USAGE, M("1000") },
		{ "AmazonEC2", NULL, NULL, "Credit", CHARGE_CREDIT,
		  M("-200") },
		{ "AmazonEC2", NULL, NULL, "Refund", CHARGE_REFUND, M("-5") },
	};

	CHECK_INT(rules(&r, HEAD "aws_credits,,end,,,,\n"), 0);
	CHECK_INT(pricing_apply(&r, "USD", l, 3, &res, &err), 0);
	/* the budget is before credits either way; credits -205 at AWS,
	 * at Pilvi only the refund's -5: the total 795 becomes 995 */
	CHECK_INT(res.pilvi_amount, M("1000"));
	CHECK_INT(res.aws_credits, M("-205"));
	CHECK_INT(res.pilvi_credits, M("-5"));
	CHECK_INT(res.aws_total, M("795"));
	CHECK_INT(res.pilvi_total, M("995"));
	CHECK_STR(effect(&res, 0), "credits end: +200.00 AWS, +0.00 Pilvi");
	pricing_result_release(&res);
	pricing_rules_release(&r);
}

static void
test_currency_and_vat(void)
{
	struct pricing_rules r;
	struct pricing_result res;
	const struct pricing_line l[] = {
		{ "AmazonEC2", NULL, NULL, "Usage", CHARGE_USAGE, M("2000") },
		{ "AmazonS3", NULL, NULL, "Usage", CHARGE_USAGE, M("0.25") },
		{ "AmazonEC2", NULL, NULL, "Credit", CHARGE_CREDIT, M("-100") },
		{ "", NULL, NULL, "Tax", CHARGE_TAX, M("380.05") },
	};

	CHECK_INT(rules(&r, HEAD "currency,USD,EUR,,0.5,2026-11-30,\n"
	    "vat,,,25.5,,,\n"), 0);
	CHECK_INT(pricing_apply(&r, "USD", l, 4, &res, &err), 0);
	CHECK_STR(res.currency, "EUR");
	CHECK_STR(res.aws_currency, "USD");
	/* 2000 USD x 0.5 = 1000 EUR; S3 0.25 x 0.5 = 0.125 EUR, held
	 * exactly and shown 0.13 (half away from zero, once) */
	CHECK_INT(service(&res, "AmazonEC2")->pilvi, M("1000"));
	CHECK_INT(service(&res, "AmazonS3")->pilvi, M("0.125"));
	CHECK_INT(pricing_round(service(&res, "AmazonS3")->pilvi), M("0.13"));
	CHECK_INT(pricing_round(M("-0.125")), M("-0.13"));
	CHECK_INT(res.pilvi_amount, M("1000.125"));
	/* credits -100 x 0.5 = -50; VAT 25.5 % of 950.125 = 242.281875 */
	CHECK_INT(res.pilvi_credits, M("-50"));
	CHECK_INT(res.pilvi_tax, M("242.281875"));
	CHECK_INT(pricing_round(res.pilvi_tax), M("242.28"));
	/* 1000.125 - 50 + 242.281875 */
	CHECK_INT(res.pilvi_total, M("1192.406875"));
	CHECK_INT(res.neffects, 2);
	CHECK_STR(effect(&res, 0), "in EUR at 0.5 per USD (rate of "
	    "2026-11-30): -2,000.25 AWS, +1,000.13 Pilvi");
	CHECK_STR(effect(&res, 1), "VAT 25.5 % instead of AWS's tax: "
	    "-380.05 AWS, +242.28 Pilvi");
	pricing_result_release(&res);

	/* the rules convert from USD: a bill in EUR is refused */
	CHECK_INT(pricing_apply(&r, "EUR", l, 4, &res, &err), -1);
	CHECK_STR(err.msg, "the rules convert from USD, but the bill is in "
	    "EUR");
	CHECK_INT(err.line, 3);
	pricing_rules_release(&r);
}

static void
test_without_vat_tax_is_converted(void)
{
	struct pricing_rules r;
	struct pricing_result res;
	const struct pricing_line l[] = {
		{ "", NULL, NULL, "Tax", CHARGE_TAX, M("10.01") },
	};

	CHECK_INT(rules(&r, HEAD "currency,USD,EUR,,0.9,2026-11-30,\n"), 0);
	CHECK_INT(pricing_apply(&r, "USD", l, 1, &res, &err), 0);
	/* 10.01 x 0.9 = 9.009 */
	CHECK_INT(res.pilvi_tax, M("9.009"));
	/* no amount to convert: the currency changed nothing to say */
	CHECK_INT(res.neffects, 0);
	pricing_result_release(&res);
	pricing_rules_release(&r);
}

static void
test_bad_rules(void)
{
	CHECK_STR(parse_error("kind,scope\n"), "rules.csv:1: a pricing rules "
	    "file starts with the header 'kind,scope,match,percent,amount,"
	    "date,note' (docs/pricing.md)");
	CHECK_STR(parse_error(HEAD "markdown,all,,5,,,\n"), "rules.csv:3: "
	    "unknown kind 'markdown': version, markup, discount, "
	    "aws_discount, aws_credits, support_plan, support_fee, "
	    "support_minimum, currency or vat");
	CHECK_STR(parse_error(HEAD "markup,all,,five,,,\n"), "rules.csv:3: "
	    "markup percent 'five' is not a number (write 5 or 2.5)");
	CHECK_STR(parse_error(HEAD "markup,all,,1.23456,,,\n"), "rules.csv:3: "
	    "markup percent '1.23456' has more than 4 decimals or is too "
	    "large");
	CHECK_STR(parse_error(HEAD "discount,all,,150,,,\n"), "rules.csv:3: "
	    "discount percent '150' is outside 0..100");
	CHECK_STR(parse_error(HEAD "markup,all,,-101,,,\n"), "rules.csv:3: "
	    "markup percent '-101' is outside -100..1000");
	CHECK_STR(parse_error(HEAD "markup,region,eu-west-1,5,,,\n"),
	    "rules.csv:3: unknown scope 'region' of a markup: usage_type, "
	    "service, seller, charge_class or all");
	CHECK_STR(parse_error(HEAD "markup,service,AmazonEC2,5,,,\n"
	    "discount,service,AmazonEC2,3,,,\n"), "rules.csv:4: service "
	    "'AmazonEC2' has a price already (line 3)");
	CHECK_STR(parse_error(HEAD "markup,usage_type,*BoxUsage*,5,,,\n"
	    "markup,usage_type,EUC1-Box*,3,,,\n"), "rules.csv:4: usage type "
	    "'EUC1-Box*' overlaps '*BoxUsage*' (line 3): one usage type "
	    "could match both; make the patterns exclusive");
	CHECK_STR(parse_error(HEAD "markup,charge_class,credit,5,,,\n"),
	    "rules.csv:3: charge class 'credit' cannot be priced: usage, "
	    "fee or discount (credits: aws_credits; tax: vat)");
	CHECK_STR(parse_error(HEAD "markup,all,,5,100,,\n"), "rules.csv:3: "
	    "markup takes no amount ('100')");
	CHECK_STR(parse_error(HEAD "support_fee,,,10,80000,,\n"
	    "support_fee,,,7,10000,,\n"), "rules.csv:4: tiers out of order: "
	    "up to 10000 is not above the bound of the tier on line 3");
	CHECK_STR(parse_error(HEAD "support_fee,,,10,,,\n"
	    "support_fee,,,7,10000,,\n"), "rules.csv:4: tiers out of order: "
	    "the tier on line 3 has no upper bound, so it must be the last");
	CHECK_STR(parse_error(HEAD "support_fee,,,10,10000,,\n"),
	    "rules.csv:3: the last support_fee tier needs an empty amount: "
	    "spend above its bound would pay no fee");
	CHECK_STR(parse_error(HEAD "support_minimum,,,,500,,\n"),
	    "rules.csv:3: a support minimum without support_fee tiers: add "
	    "the tiers (the last with an empty amount)");
	CHECK_STR(parse_error(HEAD "currency,USD,EUR,,0.92,,\n"), "rules.csv:3: "
	    "currency needs the date column: the rate's date, YYYY-MM-DD");
	CHECK_STR(parse_error(HEAD "currency,USD,EUR,,0.92,2026-02-30,\n"),
	    "rules.csv:3: the rate's date '2026-02-30' is not a day "
	    "(YYYY-MM-DD)");
	CHECK_STR(parse_error(HEAD "currency,USD,EUR,,0.92,2026--1-01,\n"),
	    "rules.csv:3: the rate's date '2026--1-01' is not a day "
	    "(YYYY-MM-DD)");
	CHECK_STR(parse_error(HEAD "aws_discount,edp,keep,,,,\n"),
	    "rules.csv:3: aws_discount edp: 'keep' is neither carry (it goes "
	    "on at Pilvi) nor end");
	CHECK_STR(parse_error(HEAD "aws_credits,,keep,,,,\n"),
	    "rules.csv:3: aws_credits: 'keep' is neither carry (it goes on at "
	    "Pilvi) nor end");
	CHECK_STR(parse_error(HEAD "aws_discount,edp,end,,,,\n"
	    "aws_discount,edp,carry,,,,\n"), "rules.csv:4: aws_discount edp "
	    "is said already (line 3)");
	CHECK_STR(parse_error(HEAD "aws_discount,spp,end,,,,\n"),
	    "rules.csv:3: unknown AWS discount 'spp': edp, private_rate, "
	    "reseller_program or bundled");
	CHECK_STR(parse_error(HEAD "currency,usd,EUR,,0.9,2026-10-31,\n"),
	    "rules.csv:3: currency codes are three capitals (USD, EUR), not "
	    "'usd' and 'EUR'");
	CHECK_STR(parse_error(HEAD "currency,USD,EUR,,0,2026-10-31,\n"),
	    "rules.csv:3: rate '0' is not above 0");
	CHECK_STR(parse_error(HEAD "currency,USD,EUR,,0.1234567,2026-10-31,"
	    "\n"), "rules.csv:3: rate '0.1234567' has more than 6 decimals or "
	    "is too large");
	CHECK_STR(parse_error(HEAD "support_fee,,,10,,,\n"
	    "support_minimum,,,,-5,,\n"), "rules.csv:4: support minimum "
	    "amount '-5' is negative");
	CHECK_STR(parse_error(HEAD "version,,again,,,,\n"), "rules.csv:3: "
	    "the version is said already (line 2)");
	CHECK_STR(parse_error(HEAD "markup,service,,5,,,\n"), "rules.csv:3: "
	    "a markup of service needs the match column: which service");
	CHECK_STR(parse_error(HEAD "vat,,,24,,,\nvat,,,25.5,,,\n"),
	    "rules.csv:4: vat is said already (line 3)");
	CHECK_STR(parse_error("kind,scope,match,percent,amount,date,note\n"
	    "markup,all,,0,,,\n"), "rules.csv: no version row: add "
	    "'version,,LABEL,,,,' naming this price list");
	CHECK_STR(parse_error(HEAD "markup,all,,5\n"), "rules.csv:3: "
	    "expected 7 fields, found 4");
	CHECK_INT(err.kind, PV_ERR_INPUT);
}

static void
test_comments_and_blank_lines(void)
{
	struct pricing_rules r;

	CHECK_INT(rules(&r, HEAD "\n# a comment, with commas\n"
	    "markup,all,,1.5%,,,\n"), 0);
	CHECK_INT(r.nmarkups, 1);
	CHECK_INT(r.markups[0].pct_e4, 15000);
	/* without support_plan rows, AWS's plans are the built-in list */
	CHECK(r.nsupport_plans >= 4);
	pricing_rules_release(&r);
}

static void
test_glob_overlap_is_exact(void)
{
	/* these can never match one text: the first ends in 'a', the
	 * second in 'b' */
	CHECK_STR(parse_error(HEAD "markup,usage_type,*a,5,,,\n"
	    "markup,usage_type,*b,3,,,\n"), "(parsed)");
	/* 'ab?' and '?b*' both match "abc" */
	CHECK(strstr(parse_error(HEAD "markup,usage_type,ab?,5,,,\n"
	    "markup,usage_type,?b*,3,,,\n"), "overlaps") != NULL);
}

/* The example of docs/pricing.md, every rule at once. */
static void
test_docs_example(void)
{
	struct pricing_rules r;
	struct pricing_result res;
	const struct pricing_line l[] = {
		{ "AmazonEC2", "EUC1-BoxUsage:m5.large", NULL, "Usage",
		  CHARGE_USAGE, M("1000") },
		{ "AmazonEC2", NULL, NULL, "EdpDiscount", CHARGE_DISCOUNT,
		  M("-30") },
		{ "AWSDataTransfer", "EUC1-DataTransfer-Out-Bytes", NULL,
		  "Usage", CHARGE_USAGE, M("50") },
		{ "AWSSupportBusiness", NULL, NULL, "Fee", CHARGE_FEE,
		  M("100") },
	};

	CHECK_INT(rules(&r, "kind,scope,match,percent,amount,date,note\n"
	    "version,,2027-01,,,,price list of January 2027\n"
	    "markup,all,,4,,,\n"
	    "markup,service,AWSDataTransfer,0,,,data transfer at cost\n"
	    "discount,usage_type,*SpotUsage*,2,,,\n"
	    "aws_discount,edp,end,,,,the EDP stays with the old payer\n"
	    "aws_discount,private_rate,end,,,,\n"
	    "aws_discount,reseller_program,end,,,,\n"
	    "aws_discount,bundled,carry,,,,\n"
	    "aws_credits,,end,,,,\n"
	    "support_fee,,,10,10000,,10 % of the first 10 000\n"
	    "support_fee,,,7,80000,,7 % of 10 000-80 000\n"
	    "support_fee,,,5,250000,,\n"
	    "support_fee,,,3,,,3 % above 250 000\n"
	    "support_minimum,,,,100,,\n"
	    "currency,USD,EUR,,0.92,2026-12-01,ECB reference rate\n"
	    "vat,,,25.5,,,\n"), 0);
	CHECK_STR(r.version, "2027-01");
	CHECK_INT(pricing_apply(&r, "USD", l, 4, &res, &err), 0);
	/* EC2 1000 x 1.04 x 0.92 = 956.80; data transfer 50 x 0.92 =
	 * 46.00; fee 10 % of 1002.80 = 100.28 */
	CHECK_INT(service(&res, "AmazonEC2")->pilvi, M("956.8"));
	CHECK_INT(service(&res, "AWSDataTransfer")->pilvi, M("46"));
	CHECK_INT(res.support_fee, M("100.28"));
	CHECK_INT(res.pilvi_amount, M("1103.08"));
	/* VAT 25.5 % of 1103.08 = 281.2854, shown 281.29 */
	CHECK_INT(res.pilvi_tax, M("281.2854"));
	CHECK_INT(pricing_round(res.pilvi_total), M("1384.37"));
	CHECK_INT(res.neffects, 5);
	CHECK_STR(effect(&res, 0), "EDP discount ends: +30.00 AWS, +0.00 "
	    "Pilvi");
	CHECK_STR(effect(&res, 1), "support plan replaced: -100.00 AWS, "
	    "+100.28 Pilvi");
	CHECK_STR(effect(&res, 2), "markup 4 % on every service: -1,000.00 "
	    "AWS, +956.80 Pilvi");
	CHECK_STR(effect(&res, 3), "in EUR at 0.92 per USD (rate of "
	    "2026-12-01): -1,120.00 AWS, +1,030.40 Pilvi");
	CHECK_STR(effect(&res, 4), "VAT 25.5 % instead of AWS's tax: +0.00 "
	    "AWS, +281.29 Pilvi");
	pricing_result_release(&res);
	pricing_rules_release(&r);
}

static void
test_scopes_and_ending_discounts(void)
{
	struct pricing_rules r;
	struct pricing_result res;
	const struct pricing_line l[] = {
		/* a Marketplace product: by its seller, 2 % off */
		{ "prod-abc123", NULL, "Acme Software Ltd", "Usage",
		  CHARGE_USAGE, M("500") },
		/* fees: 5 % on the class */
		{ "AmazonEC2", "EUC1-HeavyUsage:m5.large", NULL, "RIFee",
		  CHARGE_FEE, M("80") },
		{ "AmazonEC2", NULL, NULL, "Usage", CHARGE_USAGE, M("100") },
		{ "AmazonEC2", NULL, NULL, "PrivateRateDiscount",
		  CHARGE_DISCOUNT, M("-10") },
		{ "AmazonEC2", NULL, NULL, "SppDiscount", CHARGE_DISCOUNT,
		  M("-4") },
		{ "AmazonEC2", NULL, NULL, "DistributorDiscount",
		  CHARGE_DISCOUNT, M("-1") },
		/* not an AWS discount a rule names: carries, priced as the
		 * discount class */
		{ "AmazonEC2", NULL, NULL, "SavingsPlanNegation",
		  CHARGE_DISCOUNT, M("-20") },
	};

	CHECK_INT(rules(&r, HEAD "discount,seller,Acme Software Ltd,2,,,\n"
	    "markup,charge_class,fee,5,,,\n"
	    "aws_discount,private_rate,end,,,,\n"
	    "aws_discount,reseller_program,end,,,,\n"), 0);
	CHECK_INT(pricing_apply(&r, "USD", l, 7, &res, &err), 0);
	/* seller: 500 x 0.98 = 490; fee 80 x 1.05 = 84; usage 100 and
	 * the negation -20 at 0 %; private rate -10 and the reseller
	 * program's -4 and -1 end */
	CHECK_INT(service(&res, "prod-abc123")->pilvi, M("490"));
	CHECK_INT(service(&res, "AmazonEC2")->pilvi, M("164"));
	/* AWS: 500 + 80 + 100 - 10 - 4 - 1 - 20 = 645 */
	CHECK_INT(res.aws_amount, M("645"));
	CHECK_INT(res.pilvi_amount, M("654"));
	CHECK_INT(res.neffects, 4);
	CHECK_STR(effect(&res, 0), "private rate discount ends: +10.00 AWS, "
	    "+0.00 Pilvi");
	CHECK_STR(effect(&res, 1), "reseller program discount ends: +5.00 "
	    "AWS, +0.00 Pilvi");
	CHECK_STR(effect(&res, 2), "discount 2 % on seller Acme Software "
	    "Ltd: -500.00 AWS, +490.00 Pilvi");
	CHECK_STR(effect(&res, 3), "markup 5 % on charge class fee: -80.00 "
	    "AWS, +84.00 Pilvi");
	pricing_result_release(&res);
	pricing_rules_release(&r);
}

/* The support fee when the month has no AWS plan, and when nothing is
 * spent: the minimum. */
static void
test_support_fee_without_a_plan(void)
{
	struct pricing_rules r;
	struct pricing_result res;
	const struct pricing_line l[] = {
		{ "AmazonEC2", NULL, NULL, "Usage", CHARGE_USAGE, M("-3") },
	};

	CHECK_INT(rules(&r, HEAD TIERS), 0);
	CHECK_INT(pricing_apply(&r, "USD", l, 1, &res, &err), 0);
	CHECK_INT(res.support_fee, M("500"));
	CHECK_INT(res.pilvi_amount, M("497"));
	CHECK_STR(effect(&res, 0), "Pilvi support fee: +0.00 AWS, +500.00 "
	    "Pilvi");
	pricing_result_release(&res);
	pricing_rules_release(&r);
}

static void
test_out_of_range(void)
{
	struct pricing_rules r;
	struct pricing_result res;
	const struct pricing_line l[] = {
		{ "AmazonEC2", NULL, NULL, "Usage", CHARGE_USAGE,
		  M("900000000") },
	};

	/* 900 million x 1.10 leaves money_t: refused, not wrapped */
	CHECK_INT(rules(&r, HEAD "markup,all,,10,,,\n"), 0);
	CHECK_INT(pricing_apply(&r, "USD", l, 1, &res, &err), -1);
	CHECK(strstr(err.msg, "leaves the range") != NULL);
	CHECK_INT(res.nservices, 0);
	pricing_rules_release(&r);
}

static void
test_load_file(void)
{
	char path[] = "/tmp/test_pricing.XXXXXX";
	const char *text = HEAD "markup,all,,3,,,\n";
	struct pricing_rules r;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	CHECK_INT(write(fd, text, strlen(text)), (long long)strlen(text));
	close(fd);
	pv_error_clear(&err);
	CHECK_INT(pricing_rules_load(&r, path, &err), 0);
	CHECK_STR(r.file, path);
	CHECK_INT(r.markups[0].pct_e4, 30000);
	pricing_rules_release(&r);
	unlink(path);
	CHECK_INT(pricing_rules_load(&r, path, &err), -1);
	CHECK(strstr(err.msg, "cannot open") != NULL);
	CHECK_INT(err.kind, PV_ERR_INPUT);
}

int
main(void)
{
	RUN(test_default_rules_reproduce_aws);
	RUN(test_markup_on_one_service);
	RUN(test_usage_type_before_service);
	RUN(test_support_swap_tiers);
	RUN(test_edp_ends);
	RUN(test_credits_end);
	RUN(test_currency_and_vat);
	RUN(test_without_vat_tax_is_converted);
	RUN(test_bad_rules);
	RUN(test_comments_and_blank_lines);
	RUN(test_glob_overlap_is_exact);
	RUN(test_docs_example);
	RUN(test_scopes_and_ending_discounts);
	RUN(test_support_fee_without_a_plan);
	RUN(test_out_of_range);
	RUN(test_load_file);
	TEST_END();
}
