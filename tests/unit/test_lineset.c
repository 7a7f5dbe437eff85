/*
 * test_lineset.c - the set of line hashes: a repeat is found, a value
 * that shares only its top bits or only its low bits with another is not
 * taken for it, and a long random run agrees with a plain sorted array.
 */
#include "lineset.h"
#include "test.h"

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

int
main(void)
{
	RUN(test_repeat_found);
	RUN(test_top_or_low_bits_alone_differ);
	RUN(test_agrees_with_oracle);
	TEST_END();
}
