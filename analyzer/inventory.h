/*
 * inventory.h - which AWS services run where: per payer, account, month
 * and service, from the stored line items (and hand-made service lists
 * where no bill covers the account and month), with Pilvi's support
 * status, tag use, and the changes from one month to the next.
 */
#ifndef PILVI_INVENTORY_H
#define PILVI_INVENTORY_H

#include "error.h"
#include "money.h"
#include "store.h"

#define INVENTORY_TOP 3		/* usage types listed per service */

struct inventory_usage {
	char *usage_type;
	money_t cost;
};

/* One service in one account's month. */
struct inventory_service {
	char *payer, *account, *account_name, *period;
	char *code, *name;
	int unknown;			/* not in the service aliases */
	int manual;			/* from a hand-made list, not a bill */
	int payer_level;		/* holds cost the file states for the
					 * payer only, split to no account */
	char **regions;			/* sorted; NULL-free */
	size_t nregions;
	long usage_types, operations, resources;
	struct inventory_usage top[INVENTORY_TOP];
	int ntop;
	char *first_seen, *last_seen;	/* YYYY-MM-DD */
	money_t cost;			/* usage + fee + discount */
	int share_bp;			/* of the account's cost, 1/100 % */
	const char *support;		/* "supported", "unsupported", "unknown" */
	char *support_note;
	char *currency;
	int places;
};

struct inventory_tag {
	char *key;
	money_t cost;
};

struct inventory_account {
	char *payer, *account, *account_name, *period, *currency;
	int places;
	money_t cost;
	size_t nservices;
	money_t untagged;		/* cost of lines without any tag */
	struct inventory_tag *tags;	/* keys in use, by cost */
	size_t ntags;
};

struct inventory_payer {
	char *payer, *period, *currency;
	int places;
	money_t cost;
	size_t naccounts, nservices;
};

enum inventory_change_kind { CHANGE_NEW, CHANGE_GONE, CHANGE_MOVED };

/* A change from one stored month to the next: an account (code NULL) or
 * a service that is new, gone, or whose cost moved past the threshold. */
struct inventory_change {
	enum inventory_change_kind kind;
	char *payer, *account, *code, *name;
	char *from, *to;		/* the two months */
	money_t before, after;
	int places;
};

struct inventory {
	struct inventory_service *services;	/* by payer, account, cost */
	size_t nservices;
	struct inventory_account *accounts;
	size_t naccounts;
	struct inventory_payer *payers;
	size_t npayers;
	struct inventory_change *changes;
	size_t nchanges;
	size_t *attention;	/* indexes into services: unsupported and
				   unknown ones, by cost */
	size_t nattention;
	int threshold_pct;
};

struct inventory_options {
	const char *payer;		/* NULL: all */
	const char *account;		/* NULL: all */
	const char *month;		/* NULL: each payer's latest month */
	int threshold_pct;		/* "moved": |change| above this; 0: 20 */
};

/* Build the inventory. Returns 0 and *out (free with inventory_free),
 * or -1 with err filled. */
int inventory_build(struct store *st, const struct inventory_options *o,
    struct inventory **out, struct pv_error *err);
void inventory_free(struct inventory *inv);

const char *inventory_change_name(enum inventory_change_kind k);

#endif
