/*
 * test_checklist.c - the move checklist: ARN owners, next charges, and
 * the checklist of fixtures/move-cur-2026-08.csv, -2026-09.csv and
 * move-accounts.csv with every figure worked out by hand below.
 */
#include <errno.h>

#include "test.h"

#include "checklist.h"
#include "error.h"
#include "ingest.h"
#include "money.h"
#include "store.h"

#define TEST_NAME "test_checklist"
#include "helpers.h"

/* Whole and hundredths of a currency unit in 1e-10 units. */
static money_t
cents(long long c)
{
	return (money_t)c * 100000000LL;
}

static struct checklist *
build(struct store *st, const char *month)
{
	struct checklist *c = NULL;
	struct pv_error err;

	pv_error_clear(&err);
	if (checklist_build(st, NULL, month, &c, &err) != 0)
		fprintf(stderr, "  checklist_build: %s\n", err.msg);
	CHECK(c != NULL);
	return c;
}

static void
test_arn_owner(void)
{
	char out[16];

	CHECK_INT(checklist_arn_owner("arn:aws:ec2:eu-west-1:222222222222:"
	    "reserved-instances/aaaa-1111", out, sizeof(out)), 1);
	CHECK_STR(out, "222222222222");
	CHECK_INT(checklist_arn_owner("arn:aws:savingsplans::111111111111:"
	    "savingsplan/bbbb-2222", out, sizeof(out)), 1);
	CHECK_STR(out, "111111111111");
	CHECK_INT(checklist_arn_owner("arn:aws:rds:eu-west-1:12345:ri:x", out,
	    sizeof(out)), 0);
	CHECK_INT(checklist_arn_owner("arn:aws:ec2:eu-west-1::ri/x", out,
	    sizeof(out)), 0);
	CHECK_INT(checklist_arn_owner("aaaa-1111", out, sizeof(out)), 0);
	CHECK_INT(checklist_arn_owner("arn:aws:ec2:r:1234567890123:ri/x", out,
	    sizeof(out)), 0);
}

static void
test_next_month(void)
{
	char out[11];

	CHECK_INT(checklist_next_month("2026-09-02", out), 0);
	CHECK_STR(out, "2026-10-02");
	CHECK_INT(checklist_next_month("2026-01-31", out), 0);
	CHECK_STR(out, "2026-02-28");
	CHECK_INT(checklist_next_month("2024-01-31", out), 0);
	CHECK_STR(out, "2024-02-29");
	CHECK_INT(checklist_next_month("2026-12-15", out), 0);
	CHECK_STR(out, "2027-01-15");
	CHECK_INT(checklist_next_month("2026-13-01", out), -1);
	CHECK_INT(checklist_next_month("2026-02-30", out), -1);
	CHECK_INT(checklist_next_month("2026-09-02x", out), -1);
}

/*
 * September, by hand (fixtures/move-cur-2026-09.csv):
 * - the RI (owner 222222222222 in its ARN, a listed account): RIFee
 *   73.00; DiscountedUsage lines of 222... and 333... at 0.00: covered
 *   0.00 in 2 lines; still applies after the move.
 * - the Savings Plan (owner 111111111111, the payer, not listed):
 *   recurring fee 36.50; covered usage 5.00 + 3.50 = 8.50 in 2 lines
 *   (the negations are discounts, not covered usage); accounts 111...
 *   (its fee), 222..., 333...; does not apply after the move.
 * - Marketplace, Acme Security Ltd / Acme Firewall: fee 99.00 on 09-02
 *   and 1.25 of hourly use on 09-01: 100.25, last line 09-02, next
 *   charge a month after the fee: 2026-10-02.
 * - credit -20.00 on EC2; support AWSSupportBusiness 100.00; VAT 24.00
 *   from Amazon Web Services EMEA SARL; currency USD.
 * - accounts: 111, 222, 333 in the data; 222 and 444 listed by hand.
 * - needs: August is final and its hourly lines reach 09-01: complete;
 *   September's usage is on 09-01, 09-02, 09-04 (its last): 09-03
 *   missing; no resource column; one line tagged.
 */
static void
test_fixture_months(void)
{
	struct store *st = mem_store();
	struct checklist *c;
	const struct checklist_payer *p;
	const struct checklist_commitment *m;

	if (ingest(st, "fixtures/move-cur-2026-08.csv") != 0 ||
	    ingest(st, "fixtures/move-cur-2026-09.csv") != 0 ||
	    ingest(st, "fixtures/move-accounts.csv") != 0 ||
	    (c = build(st, NULL)) == NULL) {
		store_close(st);
		return;
	}
	CHECK_INT(c->npayers, 1);	/* the hand-made list is no payer */
	p = &c->payers[0];
	CHECK_STR(p->payer, "111111111111");
	CHECK_STR(p->period, "2026-09");
	CHECK_STR(p->format, "cur");

	CHECK_INT(p->ncommitments, 2);
	m = &p->commitments[0];
	CHECK_STR(m->kind, "reservation");
	CHECK_STR(m->owner, "222222222222");
	CHECK_STR(m->end, "2027-03-31T23:59:59Z");
	CHECK_INT(m->fee, cents(7300));
	CHECK_INT(m->covered, 0);
	CHECK_INT(m->covered_lines, 2);
	CHECK_INT(m->naccounts, 2);
	CHECK_INT(m->owner_moves, 1);
	m = &p->commitments[1];
	CHECK_STR(m->kind, "savings_plan");
	CHECK_STR(m->arn, "arn:aws:savingsplans::111111111111:savingsplan/"
	    "bbbb-2222");
	CHECK_STR(m->owner, "111111111111");
	CHECK_STR(m->end, "2026-12-31T23:59:59Z");
	CHECK_INT(m->fee, cents(3650));
	CHECK_INT(m->covered, cents(850));
	CHECK_INT(m->covered_lines, 2);
	CHECK_INT(m->naccounts, 3);
	CHECK_INT(m->owner_moves, 0);

	CHECK_INT(p->nmarketplace, 1);
	CHECK_STR(p->marketplace[0].seller, "Acme Security Ltd");
	CHECK_STR(p->marketplace[0].product, "Acme Firewall");
	CHECK_INT(p->marketplace[0].amount, cents(10025));
	CHECK_STR(p->marketplace[0].last_charge, "2026-09-02");
	CHECK_STR(p->marketplace[0].next_charge, "2026-10-02");

	CHECK_INT(p->ncredits, 1);
	CHECK_STR(p->credits[0].name, "AmazonEC2");
	CHECK_INT(p->credits[0].amount, cents(-2000));
	CHECK_INT(p->nsupport, 1);
	CHECK_STR(p->support[0].name, "AWSSupportBusiness");
	CHECK_INT(p->support[0].amount, cents(10000));
	CHECK_INT(p->ntaxes, 1);
	CHECK_STR(p->taxes[0].name, "Amazon Web Services EMEA SARL");
	CHECK_STR(p->taxes[0].detail, "VAT");
	CHECK_INT(p->taxes[0].amount, cents(2400));
	CHECK_INT(p->ncurrencies, 1);
	CHECK_STR(p->currencies[0], "USD");

	CHECK_INT(p->has_list, 1);
	CHECK_INT(p->naccounts, 4);
	if (p->naccounts == 4) {
		CHECK_STR(p->accounts[0].id, "111111111111");
		CHECK(p->accounts[0].in_data && !p->accounts[0].listed &&
		    !p->accounts[0].moves);
		CHECK_STR(p->accounts[1].id, "222222222222");
		CHECK(p->accounts[1].in_data && p->accounts[1].listed &&
		    p->accounts[1].moves);
		CHECK_STR(p->accounts[2].id, "333333333333");
		CHECK(p->accounts[2].in_data && !p->accounts[2].moves);
		CHECK_STR(p->accounts[3].id, "444444444444");
		CHECK(!p->accounts[3].in_data && p->accounts[3].listed &&
		    p->accounts[3].moves);
	}

	CHECK_STR(p->complete_month, "2026-08");
	CHECK_INT(p->days_known, 1);
	CHECK_INT(p->ndays_missing, 1);
	if (p->ndays_missing == 1)
		CHECK_STR(p->days_missing[0], "2026-09-03");
	CHECK_INT(p->has_resources, 0);
	CHECK_INT(p->has_tags, 1);
	checklist_free(c);
	store_close(st);
}

/* Without a hand-made list every account but the payer moves: 333...
 * too, and the Savings Plan the payer owns still stays behind. */
static void
test_without_list(void)
{
	struct store *st = mem_store();
	struct checklist *c;
	const struct checklist_payer *p;

	if (ingest(st, "fixtures/move-cur-2026-09.csv") != 0 ||
	    (c = build(st, NULL)) == NULL) {
		store_close(st);
		return;
	}
	p = &c->payers[0];
	CHECK_INT(p->has_list, 0);
	CHECK_INT(p->naccounts, 3);
	if (p->naccounts == 3) {
		CHECK_INT(p->accounts[0].moves, 0);
		CHECK_INT(p->accounts[1].moves, 1);
		CHECK_INT(p->accounts[2].moves, 1);
	}
	CHECK_INT(p->commitments[0].owner_moves, 1);
	CHECK_INT(p->commitments[1].owner_moves, 0);
	/* September open, no earlier month: none complete */
	CHECK(p->complete_month == NULL);
	checklist_free(c);
	store_close(st);
}

/* A month asked for: August, final, its usage on the 1st and the 31st,
 * so 08-02..08-30 (29 days) are missing; only the RI's fee of 73.00. */
static void
test_month_asked(void)
{
	struct store *st = mem_store();
	struct checklist *c;
	const struct checklist_payer *p;

	if (ingest(st, "fixtures/move-cur-2026-08.csv") != 0 ||
	    ingest(st, "fixtures/move-cur-2026-09.csv") != 0 ||
	    (c = build(st, "2026-08")) == NULL) {
		store_close(st);
		return;
	}
	p = &c->payers[0];
	CHECK_STR(p->period, "2026-08");
	CHECK_INT(p->ncommitments, 1);
	CHECK_INT(p->commitments[0].fee, cents(7300));
	CHECK_INT(p->commitments[0].covered_lines, 0);
	CHECK_INT(p->nmarketplace, 0);
	CHECK_INT(p->nsupport, 0);
	CHECK_STR(p->complete_month, "2026-08");
	CHECK_INT(p->ndays_missing, 29);
	if (p->ndays_missing == 29) {
		CHECK_STR(p->days_missing[0], "2026-08-02");
		CHECK_STR(p->days_missing[28], "2026-08-30");
	}
	CHECK_INT(p->has_tags, 0);
	checklist_free(c);
	store_close(st);
}

/* CUR 2.0's names for the same columns, and FOCUS's one commitment id:
 * the kind then comes from the ARN. */
static void
test_cur2_and_focus_columns(void)
{
	struct store *st = mem_store();
	const char *cur2 = tpath("cur2.csv"), *focus = tpath("focus.csv");
	struct checklist *c;
	const struct checklist_payer *p;

	write_file(cur2,
	    "identity_line_item_id,bill_invoice_id,bill_payer_account_id,"
	    "bill_billing_entity,bill_billing_period_start_date,"
	    "line_item_usage_account_id,line_item_line_item_type,"
	    "line_item_usage_start_date,line_item_usage_end_date,"
	    "line_item_product_code,line_item_currency_code,"
	    "line_item_unblended_cost,line_item_legal_entity,"
	    "product_product_name,reservation_reservation_a_r_n,"
	    "reservation_end_time,savings_plan_savings_plan_a_r_n,"
	    "savings_plan_end_time\n"
	    "c1,,555555555555,AWS,2026-09-01T00:00:00Z,666666666666,RIFee,"
	    "2026-09-01T00:00:00Z,2026-10-01T00:00:00Z,AmazonRDS,EUR,"
	    "40.00,AWS EMEA,Amazon RDS,arn:aws:rds:eu-west-1:555555555555:"
	    "ri:db-ri,2027-01-01T00:00:00Z,,\n"
	    "c2,,555555555555,AWS Marketplace,2026-09-01T00:00:00Z,"
	    "666666666666,Fee,2026-09-30T00:00:00Z,2026-10-01T00:00:00Z,"
	    "prodx,EUR,12.00,Widget Oy,Widget,,,,\n");
	write_file(focus,
	    "BillingAccountId,SubAccountId,ChargeCategory,BillingPeriodStart,"
	    "ChargePeriodStart,ChargePeriodEnd,x_ServiceCode,ServiceName,"
	    "BillingCurrency,BilledCost,CommitmentDiscountId\n"
	    "777777777777,888888888888,Purchase,2026-09-01T00:00:00Z,"
	    "2026-09-01T00:00:00Z,2026-10-01T00:00:00Z,ComputeSavingsPlans,"
	    "Savings Plans,USD,10.00,arn:aws:savingsplans::888888888888:"
	    "savingsplan/sp-1\n");
	if (ingest(st, cur2) != 0 || ingest(st, focus) != 0 ||
	    (c = build(st, NULL)) == NULL) {
		store_close(st);
		return;
	}
	CHECK_INT(c->npayers, 2);
	p = &c->payers[0];
	CHECK_STR(p->payer, "555555555555");
	CHECK_INT(p->ncommitments, 1);
	if (p->ncommitments == 1) {
		CHECK_STR(p->commitments[0].kind, "reservation");
		CHECK_STR(p->commitments[0].owner, "555555555555");
		CHECK_STR(p->commitments[0].end, "2027-01-01T00:00:00Z");
		CHECK_STR(p->commitments[0].currency, "EUR");
		CHECK_INT(p->commitments[0].fee, cents(4000));
		/* owned by the payer: stays */
		CHECK_INT(p->commitments[0].owner_moves, 0);
	}
	CHECK_INT(p->nmarketplace, 1);
	if (p->nmarketplace == 1) {
		CHECK_STR(p->marketplace[0].seller, "Widget Oy");
		/* charged on the 30th: again on October 30th */
		CHECK_STR(p->marketplace[0].next_charge, "2026-10-30");
	}
	/* the daily fee line reaches the 30th and no usage line is there:
	 * every day up to it is missing */
	CHECK_INT(p->days_known, 1);
	CHECK_INT(p->ndays_missing, 30);
	p = &c->payers[1];
	CHECK_STR(p->payer, "777777777777");
	CHECK_INT(p->ncommitments, 1);
	if (p->ncommitments == 1) {
		CHECK_STR(p->commitments[0].kind, "savings_plan");
		CHECK_STR(p->commitments[0].owner, "888888888888");
		CHECK(p->commitments[0].end == NULL);
		CHECK_INT(p->commitments[0].owner_moves, 1);
	}
	checklist_free(c);
	store_close(st);
}

int
main(void)
{
	if (mkdtemp(tdir) == NULL) {
		fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
		return 2;
	}
	RUN(test_arn_owner);
	RUN(test_next_month);
	RUN(test_fixture_months);
	RUN(test_without_list);
	RUN(test_month_asked);
	RUN(test_cur2_and_focus_columns);
	cleanup();
	TEST_END();
}
