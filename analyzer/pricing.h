/*
 * pricing.h - what a month costs through Pilvi: pricing rules as data,
 * applied to a payer-month's amounts.
 *
 * The rules are a CSV file (docs/pricing.md; the default, 0 % markup so
 * that Pilvi = AWS, is schema/pricing-rules.csv, built into the binary).
 * This module only parses, checks and applies them: it opens no
 * database, prints nothing, and reads a file only through source.
 *
 * Amounts stay money_t (10^-10 of the currency) through every step; a
 * figure is rounded to the cent once, half away from zero, where it is
 * shown (pricing_round). See docs/pricing.md, "Rounding".
 */
#ifndef PILVI_PRICING_H
#define PILVI_PRICING_H

#include <stddef.h>
#include <stdint.h>

#include "charge.h"
#include "error.h"
#include "money.h"

/* What a markup or discount rule is matched against. The order is the
 * precedence: a line takes the rule of the first scope that has one
 * matching it (usage type before service, and so on). */
enum pricing_scope {
	PRICING_SCOPE_USAGE_TYPE,	/* a glob: * and ? */
	PRICING_SCOPE_SERVICE,		/* a service code */
	PRICING_SCOPE_SELLER,		/* a Marketplace seller / billing entity */
	PRICING_SCOPE_CHARGE_CLASS,	/* usage, fee, discount */
	PRICING_SCOPE_ALL,
	PRICING_NSCOPE
};

/* The AWS discounts a rule can carry over or end, and the credits. */
enum pricing_benefit {
	PRICING_EDP,			/* EdpDiscount */
	PRICING_PRIVATE_RATE,		/* PrivateRateDiscount */
	PRICING_RESELLER_PROGRAM,	/* DistributorDiscount, SppDiscount */
	PRICING_BUNDLED,		/* BundledDiscount */
	PRICING_CREDITS,		/* credit lines */
	PRICING_NBENEFIT
};

/* A markup (negative: a discount) on the lines its scope matches. */
struct pricing_markup {
	enum pricing_scope scope;
	char *match;			/* "" for PRICING_SCOPE_ALL */
	int64_t pct_e4;			/* percent x 10^4: 5.5 % is 55000 */
	long line;			/* where the file says it */
};

/* A tier of Pilvi's support fee: pct of the spend from the previous
 * tier's bound up to upto. */
struct pricing_tier {
	int64_t pct_e4;
	money_t upto;			/* in Pilvi's currency */
	int open;			/* no upper bound (the last tier) */
	long line;
};

struct pricing_rules {
	char *file;			/* the name errors and effects give */
	char *version;			/* the file's version label */
	struct pricing_markup *markups;
	size_t nmarkups;
	int ends[PRICING_NBENEFIT];	/* 1: ends at the move; 0: carries */
	long ends_line[PRICING_NBENEFIT];
	char **support_plans;		/* AWS support service codes */
	size_t nsupport_plans;
	struct pricing_tier *tiers;	/* empty: the support plan stays */
	size_t ntiers;
	money_t support_minimum;
	long support_line;		/* the first support_fee row */
	/* currency: from -> to at rate (x 10^6) of date; to[0] == 0: none */
	char from[4], to[4], rate_date[11];
	int64_t rate_e6;
	long rate_line;
	int has_vat;
	int64_t vat_e4;
	long vat_line;
};

/*
 * Parse rules from text[0..len); display names the file in errors.
 * Returns 0 and fills *r (pricing_rules_release), or -1 with err set
 * to "FILE:LINE: message" (kind PV_ERR_INPUT) and *r left empty.
 */
int pricing_rules_parse(struct pricing_rules *r, const char *display,
    const char *text, size_t len, struct pv_error *err);

/* The same from a file (through source: plain or compressed). */
int pricing_rules_load(struct pricing_rules *r, const char *path,
    struct pv_error *err);

/* The built-in rules (schema/pricing-rules.csv). Returns 0 or -1. */
int pricing_rules_default(struct pricing_rules *r, struct pv_error *err);

void pricing_rules_release(struct pricing_rules *r);

/* One amount of a payer-month at AWS: a service's lines of one kind. */
struct pricing_line {
	const char *service;		/* service code; "" when none */
	const char *usage_type;		/* NULL: not known */
	const char *seller;		/* NULL: AWS itself */
	const char *line_type;		/* CUR line item type; NULL: unknown */
	enum charge_class cls;
	money_t amount;			/* in the bill's currency */
};

/* A service at AWS and at Pilvi. */
struct pricing_service {
	char *service;
	money_t aws;			/* usage, fees, discounts: AWS currency */
	money_t pilvi;			/* the same under the rules: Pilvi's */
	int support_plan;		/* replaced by Pilvi's support fee */
};

/* A rule that changed the amount: what it covers at AWS and what it
 * becomes at Pilvi. */
struct pricing_effect {
	char *label;			/* "support plan replaced" */
	long line;			/* the rule's line; 0: none */
	money_t aws;			/* in the bill's currency */
	money_t pilvi;			/* in Pilvi's currency */
};

struct pricing_result {
	char *aws_currency, *currency;	/* the bill's, Pilvi's */
	struct pricing_service *services;	/* by Pilvi amount, then code */
	size_t nservices;
	/* the budget: usage, fees and discounts; credits and tax apart */
	money_t aws_amount, pilvi_amount;	/* pilvi: services + support fee */
	money_t support_fee;		/* Pilvi's; 0 without a swap */
	money_t aws_credits, pilvi_credits;
	money_t aws_tax, pilvi_tax;	/* pilvi: VAT, or AWS's tax converted */
	money_t aws_total, pilvi_total;	/* amount + credits + tax */
	struct pricing_effect *effects;	/* in the order the rules apply */
	size_t neffects;
};

/*
 * Apply r to lines[0..n) of one payer-month, whose bill is in currency
 * (e.g. "USD"). Classes usage, fee and discount make the amount; credit
 * and refund lines the credits; tax the tax; rounding lines are left
 * out. Returns 0 and fills *out (pricing_result_release), or -1 with
 * err set (the rules convert from another currency; an amount beyond
 * money_t's range).
 */
int pricing_apply(const struct pricing_rules *r, const char *currency,
    const struct pricing_line *lines, size_t n, struct pricing_result *out,
    struct pv_error *err);

void pricing_result_release(struct pricing_result *res);

/* An amount as shown: to the cent, half away from zero. */
money_t pricing_round(money_t v);

/* "support plan replaced: -1,500.00 AWS, +450.00 Pilvi" into buf
 * (n >= 160 suffices for labels under 80 characters). */
void pricing_effect_format(char *buf, size_t n, const struct pricing_effect *e);

/* "edp", "private_rate", ... as the rules file writes them. */
const char *pricing_benefit_name(enum pricing_benefit b);
const char *pricing_scope_name(enum pricing_scope s);

#endif
