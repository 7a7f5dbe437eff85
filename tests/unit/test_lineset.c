/*
 * test_lineset.c - the set of line hashes: a repeat is found, a value
 * that shares only its top bits or only its low bits with another is not
 * taken for it, a long random run agrees with a plain sorted array, one
 * by one and in batches, and
 * the marker reads each member's header and marks the repeats of a CUR
 * (by id and interval), of a report without ids (by every field), and
 * none of a hand-made list.
 */
#include "lineset.h"
#include "test.h"

#include <string.h>

/* splitmix64: reproducible keys spread over all 64 bits. */
static uint64_t
next_key(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void
test_repeat_found(void)
{
	struct lineset s;

	lineset_init(&s);
	CHECK_INT(lineset_add(&s, 42), 0);
	CHECK_INT(lineset_add(&s, 43), 0);
	CHECK_INT(lineset_add(&s, 42), 1);
	CHECK_INT(lineset_add(&s, 0), 0);	/* 0 is a value like any */
	CHECK_INT(lineset_add(&s, 0), 1);
	CHECK_INT(s.n, 3);
	lineset_release(&s);
	lineset_release(&s);	/* released twice: harmless */
}

static void
test_top_or_low_bits_alone_differ(void)
{
	struct lineset s;
	uint64_t low = UINT64_C(0x0000123456789abc);
	uint64_t top = UINT64_C(0xbeef) << 48;

	lineset_init(&s);
	CHECK_INT(lineset_add(&s, top | low), 0);
	/* the same 48 low bits under other top bits */
	CHECK_INT(lineset_add(&s, (top ^ (UINT64_C(1) << 63)) | low), 0);
	CHECK_INT(lineset_add(&s, low), 0);
	/* the same top bits (one array), the low bits one apart */
	CHECK_INT(lineset_add(&s, top | (low + 1)), 0);
	CHECK_INT(lineset_add(&s, top | (low - 1)), 0);
	CHECK_INT(lineset_add(&s, top | UINT64_C(0xffffffffffff)), 0);
	CHECK_INT(lineset_add(&s, top), 0);
	CHECK_INT(lineset_add(&s, top | low), 1);
	CHECK_INT(lineset_add(&s, top | UINT64_C(0xffffffffffff)), 1);
	CHECK_INT(lineset_add(&s, top), 1);
	CHECK_INT(s.n, 7);
	lineset_release(&s);
}

/* The oracle: full 64-bit keys in an open-addressing table of its own
 * (cap a power of two, at most half full; key + 1 stored, 0 empty). */
static int
oracle_add(uint64_t *slot, size_t cap, uint64_t key)
{
	size_t j;

	for (j = (size_t)(key * UINT64_C(0x9e3779b97f4a7c15) >> 40) &
	    (cap - 1); slot[j] != 0; j = (j + 1) & (cap - 1))
		if (slot[j] == key + 1)
			return 1;
	slot[j] = key + 1;
	return 0;
}

/* 300,000 adds, a fifth of them repeats of an earlier key, one in
 * eleven crowded into a single array: every answer is the oracle's. */
static void
test_agrees_with_oracle(void)
{
	enum { N = 300000, CAP = 1 << 20 };
	uint64_t *seen = malloc(N * sizeof(*seen)), state = 7;
	uint64_t *slot = calloc(CAP, sizeof(*slot));
	size_t nseen = 0, i, wrong = 0, repeats = 0;
	struct lineset s;

	lineset_init(&s);
	for (i = 0; i < N; i++) {
		uint64_t k = next_key(&state);
		int got, want;

		if (i % 5 == 4 && nseen > 0)
			k = seen[k % nseen];
		else if (i % 11 == 0)
			k = (UINT64_C(0x7a7a) << 48) | (k & 0xffffff);
		want = oracle_add(slot, CAP, k);
		got = lineset_add(&s, k);
		if (got != want)
			wrong++;
		repeats += got;
		if (!got)
			seen[nseen++] = k;
	}
	CHECK_INT(wrong, 0);
	CHECK(repeats >= N / 5);	/* the run did repeat */
	CHECK_INT(s.n, nseen);
	/* every key is in the set: each add now a repeat */
	for (i = 0; i < nseen; i++)
		if (lineset_add(&s, seen[i]) != 1)
			wrong++;
	CHECK_INT(wrong, 0);
	CHECK_INT(s.n, nseen);
	lineset_release(&s);
	free(slot);
	free(seen);
}

/* Batches of 1 to 1,000 keys, repeats within a batch and across them:
 * each answer is the oracle's, as lineset_add's are. */
static void
test_batch_agrees_with_oracle(void)
{
	enum { N = 100000, CAP = 1 << 18 };
	static const size_t sizes[] = { 1, 2, 17, 300, 1000 };
	uint64_t *keys = malloc(N * sizeof(*keys)), state = 11;
	uint64_t *slot = calloc(CAP, sizeof(*slot));
	unsigned char *repeat = malloc(N);
	size_t i, k, at = 0, wrong = 0, repeats = 0;
	struct lineset s;

	for (i = 0; i < N; i++) {
		keys[i] = next_key(&state);
		if (i % 4 == 3)		/* often within the same batch */
			keys[i] = keys[i - 1 - keys[i] % (i < 40 ? i : 40)];
		else if (i % 9 == 0)	/* one array for many */
			keys[i] = (UINT64_C(0x7a7a) << 48) |
			    (keys[i] & 0xffff);
	}
	lineset_init(&s);
	for (k = 0; at < N; k++) {
		size_t n = sizes[k % 5] < N - at ? sizes[k % 5] : N - at;

		lineset_add_batch(&s, keys + at, n, repeat + at);
		at += n;
	}
	for (i = 0; i < N; i++) {
		if (repeat[i] != oracle_add(slot, CAP, keys[i]))
			wrong++;
		repeats += repeat[i];
	}
	CHECK_INT(wrong, 0);
	CHECK(repeats >= N / 4);
	CHECK_INT(s.n, N - repeats);
	lineset_release(&s);
	free(repeat);
	free(slot);
	free(keys);
}

/* The marks lineset_mark gives text's records, as a string of '0' and
 * '1' (one per record, the header's included); a form feed in text
 * starts a new member. */
struct marks {
	struct lineset_marker m;
	int member_start;
	char out[64];
	size_t n;
};

static int
mark_record(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	struct marks *k = ctx;

	unsigned char mark;

	(void)err;
	lineset_mark(&k->m, rec, 1, k->member_start, &mark);
	if (k->n + 1 < sizeof(k->out))
		k->out[k->n++] = (char)('0' + mark);
	k->member_start = 0;
	return 0;
}

static const char *
marks_of(struct marks *k, const char *text)
{
	struct pv_error err;
	const char *member = text, *ff;

	memset(k->out, 0, sizeof(k->out));
	k->n = 0;
	lineset_marker_init(&k->m, "test.csv", 0);
	do {
		struct csvread *r = csvread_new("test.csv", NULL, mark_record,
		    k);
		size_t len;

		ff = strchr(member, '\f');
		len = ff != NULL ? (size_t)(ff - member) : strlen(member);
		k->member_start = 1;
		pv_error_clear(&err);
		CHECK_INT(csvread_feed(r, member, len, &err), 0);
		CHECK_INT(csvread_finish(r, &err), 0);
		csvread_free(r);
		member = ff + 1;
	} while (ff != NULL);
	lineset_marker_release(&k->m);
	return k->out;
}

#define CUR_HEADER "identity/LineItemId,bill/PayerAccountId," \
	"bill/BillingPeriodStartDate,lineItem/UsageAccountId," \
	"lineItem/LineItemType,lineItem/UsageStartDate," \
	"lineItem/UsageEndDate,lineItem/ProductCode,lineItem/UnblendedCost," \
	"lineItem/CurrencyCode\n"
#define CUR_LINE(id, start, cost) id ",777777777777,2026-10-01T00:00:00Z," \
	"888888888888,Usage," start ",2026-10-02T00:00:00Z,AmazonEC2," cost \
	",USD\n"

static void
test_marker(void)
{
	struct marks k;

	/* a CUR: the same id and interval is a repeat whatever the cost;
	 * the same id in another interval is not; lines without an id
	 * are never marked; a record of the wrong width is left to the
	 * ingest */
	CHECK_STR(marks_of(&k, CUR_HEADER
	    CUR_LINE("a", "2026-10-01T00:00:00Z", "1.00")
	    CUR_LINE("b", "2026-10-01T00:00:00Z", "1.00")
	    CUR_LINE("a", "2026-10-01T00:00:00Z", "2.00")
	    CUR_LINE("a", "2026-10-01T01:00:00Z", "1.00")
	    CUR_LINE("", "2026-10-01T00:00:00Z", "1.00")
	    CUR_LINE("", "2026-10-01T00:00:00Z", "1.00")
	    "a,b\n"), "00010000");
	/* two members: the second's header is read again, not marked, and
	 * its lines are matched against the first's */
	CHECK_STR(marks_of(&k, CUR_HEADER
	    CUR_LINE("a", "2026-10-01T00:00:00Z", "1.00")
	    "\f" CUR_HEADER
	    CUR_LINE("a", "2026-10-01T00:00:00Z", "1.00")
	    CUR_LINE("c", "2026-10-01T00:00:00Z", "1.00")), "00010");
	/* a cost allocation report has no ids: equal lines are marked
	 * (the ingest only counts them) */
	CHECK_STR(marks_of(&k,
	    "InvoiceID,PayerAccountId,LinkedAccountId,RecordType,RecordID,"
	    "BillingPeriodStartDate,BillingPeriodEndDate,InvoiceDate,"
	    "PayerAccountName,LinkedAccountName,TaxationAddress,"
	    "PayerPONumber,ProductCode,ProductName,SellerOfRecord,"
	    "UsageType,Operation,RateId,ItemDescription,UsageStartDate,"
	    "UsageEndDate,UsageQuantity,BlendedRate,CurrencyCode,"
	    "CostBeforeTax,Credits,TaxAmount,TaxType,TotalCost\n"
	    "1,2,3,LinkedLineItem,,2026/10/01 00:00:00,2026/10/31 23:59:59,"
	    ",,,,,AmazonS3,S3,AWS,u,o,1,d,2026/10/01 00:00:00,"
	    "2026/10/31 23:59:59,1,1,USD,1,0,0,,1\n"
	    "1,2,3,LinkedLineItem,,2026/10/01 00:00:00,2026/10/31 23:59:59,"
	    ",,,,,AmazonS3,S3,AWS,u,o,1,d,2026/10/01 00:00:00,"
	    "2026/10/31 23:59:59,1,1,USD,1,0,0,,1\n"), "001");
	/* a hand-made service list is not checked; a header the formats
	 * do not know checks nothing */
	CHECK_STR(marks_of(&k, "service\nAmazon EC2\nAmazon EC2\n"), "000");
	CHECK_STR(marks_of(&k, "x,y\n1,2\n1,2\n"), "000");
}

int
main(void)
{
	RUN(test_repeat_found);
	RUN(test_top_or_low_bits_alone_differ);
	RUN(test_agrees_with_oracle);
	RUN(test_batch_agrees_with_oracle);
	RUN(test_marker);
	TEST_END();
}
