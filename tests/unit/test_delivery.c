/*
 * test_delivery.c - line samples (sketch.c) and the re-delivery rule
 * (delivery.c).
 */
#include "delivery.h"
#include "sketch.h"
#include "test.h"

#include <math.h>

/* A sample of the hashes of lines lo..hi-1 (a stand-in line identity:
 * the line number through the same mixing as real lines). */
static void
lines(struct sketch *s, long lo, long hi)
{
	struct charge c;
	long i;

	memset(&c, 0, sizeof(c));
	sketch_init(s);
	for (i = lo; i < hi; i++) {
		c.start = i * 3600;
		c.end = c.start + 3600;
		sketch_add(s, sketch_line_hash(&c));
	}
}

/* Encode and decode: the sorted form the comparison reads. */
static void
settle(struct sketch *s)
{
	struct sketch back;
	unsigned char *b;
	size_t n;

	b = sketch_encode(s, &n);
	CHECK(sketch_decode(b, n, &back) == 0);
	CHECK_INT(back.n, s->n);
	CHECK(memcmp(back.h, s->h, (size_t)s->n * sizeof(s->h[0])) == 0);
	free(b);
}

static struct sketch sa, sb;

static void
test_small_files_are_kept_whole(void)
{
	int common;

	lines(&sa, 0, 500);
	lines(&sb, 250, 750);
	CHECK_INT(sa.n, 500);
	settle(&sa);
	settle(&sb);
	/* exact: 250 of the smaller file's 500 */
	CHECK(fabs(sketch_shared(&sa, &sb, &common) - 0.5) < 1e-9);
	CHECK_INT(common, 250);
}

static void
test_duplicates_count_once(void)
{
	struct charge c;
	int i;

	memset(&c, 0, sizeof(c));
	sketch_init(&sa);
	for (i = 0; i < 10; i++)
		sketch_add(&sa, sketch_line_hash(&c));
	CHECK_INT(sa.n, 1);
}

static void
test_fields_are_separated(void)
{
	struct charge a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.usage_type = (struct pv_str){ "ab", 2 };
	a.operation = (struct pv_str){ "c", 1 };
	b.usage_type = (struct pv_str){ "a", 1 };
	b.operation = (struct pv_str){ "bc", 2 };
	CHECK(sketch_line_hash(&a) != sketch_line_hash(&b));
	/* the cost is not part of a line's identity */
	b = a;
	b.cost = 12345;
	CHECK(sketch_line_hash(&a) == sketch_line_hash(&b));
}

/* Lines hashed together at a flush go to their own samples with the
 * hashes sketch_line_hash gives them one by one. */
static void
test_pending_hashes_as_one_by_one(void)
{
	static const char *const names[] = { "", "a", "AmazonEC2",
	    "EUN1-BoxUsage:m5.2xlarge", "arn:aws:elasticloadbalancing:eu-"
	    "north-1:645426027458:loadbalancer/app/web-dev-94/43f95f9b" };
	struct sketch want[2], got[2];
	struct sketch_pending q;
	struct charge c;
	long i;

	memset(&c, 0, sizeof(c));
	sketch_pending_init(&q);
	sketch_init(&want[0]);
	sketch_init(&want[1]);
	sketch_init(&got[0]);
	sketch_init(&got[1]);
	for (i = 0; i < 3000; i++) {
		const char *r = names[i % 5], *u = names[i / 5 % 5];

		c.resource = (struct pv_str){ r, strlen(r) };
		c.usage_type = (struct pv_str){ u, strlen(u) };
		c.account = (struct pv_str){ names[i / 25 % 5],
		    strlen(names[i / 25 % 5]) };
		c.start = i * 3600;
		c.end = c.start + (i % 7) * 3600;
		sketch_add(&want[i % 2], sketch_line_hash(&c));
		sketch_pending_add(&q, &c, (size_t)(i % 2));
		if (i % 1000 == 999)
			sketch_pending_flush(&q, got);
	}
	CHECK_INT(q.n, 0);
	settle(&want[0]);
	settle(&want[1]);
	settle(&got[0]);
	settle(&got[1]);
	CHECK_INT(got[0].n, want[0].n);
	CHECK_INT(got[1].n, want[1].n);
	CHECK(memcmp(got[0].h, want[0].h, (size_t)want[0].n *
	    sizeof(want[0].h[0])) == 0);
	CHECK(memcmp(got[1].h, want[1].h, (size_t)want[1].n *
	    sizeof(want[1].h[0])) == 0);
	sketch_pending_release(&q);
}

/* A week of a big month against the month: the week is a small share
 * of the month, and still found inside it; against the rest of the
 * month, nothing is shared. */
static void
test_big_files_are_sampled(void)
{
	int common;
	double s;

	lines(&sa, 0, 200000);		/* the month */
	lines(&sb, 0, 45000);		/* its first week */
	CHECK_INT(sa.n, SKETCH_K);
	settle(&sa);
	settle(&sb);
	s = sketch_shared(&sa, &sb, &common);
	CHECK(s > 0.99);
	CHECK(common > 100);
	lines(&sb, 200000, 260000);	/* another month's lines */
	settle(&sb);
	CHECK(sketch_shared(&sa, &sb, &common) == 0);
	CHECK_INT(common, 0);
	/* a third of the month, dealt out in turn: the share of the
	 * smaller is about a third of the first week */
	sketch_init(&sb);
	{
		struct charge c;
		long i;

		memset(&c, 0, sizeof(c));
		for (i = 0; i < 200000; i += 3) {
			c.start = i * 3600;
			c.end = c.start + 3600;
			sketch_add(&sb, sketch_line_hash(&c));
		}
	}
	lines(&sa, 0, 45000);
	settle(&sa);
	settle(&sb);
	s = sketch_shared(&sa, &sb, &common);
	CHECK(s > 0.25 && s < 0.42);
}

static void
test_decode_refuses_junk(void)
{
	unsigned char b[16] = { 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1 };

	CHECK(sketch_decode(b, 15, &sa) == -1);	/* not whole hashes */
	CHECK(sketch_decode(b, 16, &sa) == -1);	/* not ascending */
	CHECK(sketch_decode(b, 8, &sa) == 0);
	CHECK_INT(sa.n, 1);
}

/* deliveries over samples of line ranges */
static struct sketch samples[6];

static struct delivery
dl(int k, long lo, long hi, const char *as_of, int final, int active)
{
	struct delivery d;

	lines(&samples[k], lo, hi);
	settle(&samples[k]);
	memset(&d, 0, sizeof(d));
	d.file_id = k + 1;
	d.active = active;
	d.as_of = as_of;
	d.first_day = "2024-01-01";
	d.final = final;
	d.part = "";
	d.sample = &samples[k];
	return d;
}

static void
test_newer_delivery_replaces_older(void)
{
	struct delivery e[1], mine;
	int rep[1];
	size_t newer;

	e[0] = dl(0, 0, 168, "2024-01-08T00:00:00Z", 0, 1);	/* a week */
	mine = dl(1, 0, 744, "2024-02-01T00:00:00Z", 0, 1);	/* the month */
	CHECK_INT(delivery_decide(&mine, e, 1, rep, &newer),
	    DELIVERY_REPLACES);
	CHECK_INT(rep[0], 1);
}

static void
test_older_delivery_is_kept_aside(void)
{
	struct delivery e[2], mine;
	int rep[2];
	size_t newer = 99;

	e[0] = dl(0, 0, 372, "2024-02-01T00:00:00Z", 0, 1);	/* part 1 */
	e[1] = dl(1, 372, 744, "2024-02-01T00:00:00Z", 0, 1);	/* part 2 */
	mine = dl(2, 0, 168, "2024-01-08T00:00:00Z", 0, 1);
	CHECK_INT(delivery_decide(&mine, e, 2, rep, &newer), DELIVERY_OLDER);
	CHECK_INT(newer, 0);
	CHECK_INT(rep[0] + rep[1], 0);
}

static void
test_disjoint_part_joins(void)
{
	struct delivery e[1], mine;
	int rep[1];
	size_t newer;

	e[0] = dl(0, 0, 372, "2024-02-01T00:00:00Z", 0, 1);
	mine = dl(1, 372, 744, "2024-02-01T00:00:00Z", 0, 1);
	CHECK_INT(delivery_decide(&mine, e, 1, rep, &newer), DELIVERY_JOINS);
	CHECK_INT(rep[0], 0);
}

/* parts 1-3 re-cut as 1-2: the first new part repeats old parts 1
 * and 2; old part 3, whose lines the newer delivery dropped, goes too,
 * as its days lie within the new part's */
static void
test_recut_replaces_every_old_part(void)
{
	struct delivery e[3], mine;
	int rep[3];
	size_t newer;

	e[0] = dl(0, 0, 250, "2024-02-01T00:00:00Z", 0, 1);
	e[1] = dl(1, 250, 500, "2024-02-01T00:00:00Z", 0, 1);
	e[2] = dl(2, 2000, 2244, "2024-02-01T00:00:00Z", 0, 1);
	mine = dl(3, 0, 400, "2024-02-01T00:00:00Z", 1, 1);
	CHECK_INT(delivery_decide(&mine, e, 3, rep, &newer),
	    DELIVERY_REPLACES);
	CHECK_INT(rep[0], 1);
	CHECK_INT(rep[1], 1);
	CHECK_INT(rep[2], 1);
}

/* a part cut by time reaching past the one it replaces is another
 * part of the newer delivery, not covered: it stays */
static void
test_later_part_is_not_covered(void)
{
	struct delivery e[2], mine;
	int rep[2];
	size_t newer;

	e[0] = dl(0, 0, 168, "2024-01-08T00:00:00Z", 0, 1);	/* a week */
	e[1] = dl(1, 240, 480, "2024-01-21T00:00:00Z", 0, 1);	/* part 2 */
	e[1].first_day = "2024-01-11";
	mine = dl(2, 0, 240, "2024-01-11T00:00:00Z", 0, 1);	/* part 1 */
	CHECK_INT(delivery_decide(&mine, e, 2, rep, &newer),
	    DELIVERY_REPLACES);
	CHECK_INT(rep[0], 1);
	CHECK_INT(rep[1], 0);
}

static void
test_invoiced_month_wins(void)
{
	struct delivery a, b;

	a = dl(0, 0, 100, "2024-01-11T00:00:00Z", 1, 1);
	b = dl(1, 0, 100, "2024-02-01T00:00:00Z", 0, 1);
	CHECK(delivery_newer(&a, &b));
	CHECK(!delivery_newer(&b, &a));
	/* the same data: the one ingested last */
	b.final = 1;
	b.as_of = a.as_of;
	CHECK(delivery_newer(&a, &b));
	CHECK(delivery_newer(&b, &a));
}

static void
test_no_sample_falls_back_to_part(void)
{
	struct delivery a, b;

	a = dl(0, 0, 10, "", 0, 1);
	b = dl(1, 100, 110, "", 0, 1);
	a.sample = NULL;
	a.part = "2";
	b.part = "2";
	CHECK(delivery_repeats(&a, &b));
	b.part = "3";
	CHECK(!delivery_repeats(&a, &b));
}

int
main(void)
{
	RUN(test_small_files_are_kept_whole);
	RUN(test_duplicates_count_once);
	RUN(test_fields_are_separated);
	RUN(test_pending_hashes_as_one_by_one);
	RUN(test_big_files_are_sampled);
	RUN(test_decode_refuses_junk);
	RUN(test_newer_delivery_replaces_older);
	RUN(test_older_delivery_is_kept_aside);
	RUN(test_disjoint_part_joins);
	RUN(test_recut_replaces_every_old_part);
	RUN(test_later_part_is_not_covered);
	RUN(test_invoiced_month_wins);
	RUN(test_no_sample_falls_back_to_part);
	TEST_END();
}
