/*
 * checklist.h - the move checklist (docs/move.md): what the billing files
 * show that does not simply move with the accounts when a customer's
 * billing moves to Pilvi, and what is still needed from the customer.
 * Built from the store for each payer's latest month in scope; pure data,
 * rendered by the report writers.
 */
#ifndef PILVI_CHECKLIST_H
#define PILVI_CHECKLIST_H

#include <stddef.h>

#include "error.h"
#include "money.h"
#include "store.h"

/* A Reserved Instance or Savings Plan seen in the month. */
struct checklist_commitment {
	char *kind;			/* "reservation", "savings_plan" */
	char *arn;
	char *owner;			/* from the ARN, else the account of
					 * its fee lines; NULL: not known */
	char *end;			/* as the file wrote it; NULL: not given */
	char *currency;
	money_t fee;			/* its own charges of the month (RIFee,
					 * SavingsPlanRecurringFee, Fee) */
	money_t covered;		/* usage lines it covered, at the cost
					 * the file writes for them */
	long covered_lines;
	char **accounts;		/* usage accounts of its lines, sorted */
	size_t naccounts;
	int owner_moves;		/* 1: owned by an account that moves,
					 * so it still applies after the move;
					 * 0: stays behind; -1: owner not known */
};

/* A Marketplace product bought from one seller. */
struct checklist_marketplace {
	char *seller;			/* "" when the file names none */
	char *product;
	char *currency;
	money_t amount;
	char *last_charge;		/* 'YYYY-MM-DD' of its last line */
	char *next_charge;		/* a month after the last subscription
					 * fee; NULL for usage-priced lines */
};

/* An amount per name and currency: credits, the support plan, tax. */
struct checklist_amount {
	char *name;			/* service code; tax: the entity */
	char *detail;			/* service name; tax: the tax type */
	char *currency;
	money_t amount;
};

/* An account in the data or on a hand-made list. */
struct checklist_account {
	char *id;
	int in_data;			/* has lines in the bill of the month */
	int listed;			/* on a hand-made service list */
	int moves;			/* listed, or (no list) not the payer */
};

struct checklist_payer {
	char *payer, *period;		/* the month the checklist reads */
	char *format;			/* the family counted for it */
	struct checklist_commitment *commitments;
	size_t ncommitments;
	struct checklist_marketplace *marketplace;
	size_t nmarketplace;
	struct checklist_amount *credits;	/* credits in use: they end */
	size_t ncredits;
	struct checklist_amount *support;	/* the AWS support plan */
	size_t nsupport;
	struct checklist_amount *taxes;
	size_t ntaxes;
	char **currencies;
	size_t ncurrencies;
	struct checklist_account *accounts;	/* sorted by id */
	size_t naccounts;
	int has_list;			/* a hand-made list names accounts */
	/* what is still needed from the customer */
	char *complete_month;		/* latest final month with every day;
					 * NULL: none, ask for one */
	int days_known;			/* the format has daily lines */
	char **days_missing;		/* 'YYYY-MM-DD' without usage lines,
					 * up to the last day seen */
	size_t ndays_missing;
	int has_resources;		/* lines carry resource ids */
	int has_tags;			/* lines carry tags */
};

struct checklist {
	struct checklist_payer *payers;	/* sorted by payer */
	size_t npayers;
};

/*
 * Build the checklist of payer (NULL: every payer) for month (NULL: each
 * payer's latest counted month). Returns 0 and *out (checklist_free), or
 * -1 with err filled.
 */
int checklist_build(struct store *st, const char *payer, const char *month,
    struct checklist **out, struct pv_error *err);

void checklist_free(struct checklist *c);

/* Does p's format name Reserved Instances and Savings Plans (CUR, CUR
 * 2.0, FOCUS)? Where it does not, no commitment in the data says
 * nothing, and the customer must be asked which they have. */
int checklist_names_commitments(const struct checklist_payer *p);

/*
 * The owning account in a reservation or Savings Plan ARN
 * (arn:aws:ec2:REGION:ACCOUNT:reserved-instances/ID,
 * arn:aws:savingsplans::ACCOUNT:savingsplan/ID): copied to out (n bytes).
 * Returns 1, or 0 when the ARN holds no 12-digit account.
 */
int checklist_arn_owner(const char *arn, char *out, size_t n);

/* The day a month after day ('YYYY-MM-DD'), the 31st clamped to the
 * month's end. Returns 0, or -1 when day is not a date. */
int checklist_next_month(const char *day, char out[11]);

#endif
