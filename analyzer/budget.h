/*
 * budget.h - the budget under Pilvi: each payer's estimated month with
 * Pilvi's pricing rules applied (issue 16, item 2; docs/pricing.md).
 *
 * The estimate says what the month costs at AWS, service by service;
 * the month's lines so far say what each service's amount is made of
 * (usage types, fees, which discounts). Each service's lines are scaled
 * to its estimated amount, so the AWS side here is the estimate to the
 * last unit, and the rules (pricing.h) turn it into Pilvi's.
 */
#ifndef PILVI_BUDGET_H
#define PILVI_BUDGET_H

#include "error.h"
#include "estimate.h"
#include "pricing.h"
#include "store.h"

struct budget_payer {
	char *payer, *period;
	struct pricing_result at;	/* at the estimate's amount */
	/* Pilvi's amount at the estimate's low and high ends: the rules
	 * applied to the same lines scaled to each end */
	money_t low, high;
};

struct budget {
	char *rules;			/* the rules file's name */
	char *version;			/* its version label */
	struct budget_payer *payers;	/* as the estimate's payers */
	size_t npayers;
};

/*
 * The budget under Pilvi of each payer e estimates. Returns 0 and *out
 * (budget_free), or -1 with err set (a database failure; a bill in a
 * currency the rules do not convert from).
 */
int budget_build(struct store *st, const struct estimate *e,
    const struct pricing_rules *rules, struct budget **out,
    struct pv_error *err);

void budget_free(struct budget *b);

#endif
