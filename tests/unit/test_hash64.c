/*
 * test_hash64.c - many runs of fields hashed at once give each run the
 * hash of hash64_field's chain: runs of every length side by side (the
 * lanes meet short and long ones), empty fields, runs without fields.
 */
#include "hash64.h"
#include "test.h"

/* A reproducible byte stream. */
static unsigned
next_byte(uint64_t *state)
{
	*state = *state * UINT64_C(6364136223846793005) +
	    UINT64_C(1442695040888963407);
	return (unsigned)(*state >> 56);
}

/* nruns runs of 0 to 5 fields of 0 to 120 bytes: hash64_many against
 * the chain, run by run. */
static void
check_runs(size_t nruns, uint64_t seed)
{
	enum { MAXF = 5, MAXLEN = 120 };
	unsigned char *bytes = calloc(nruns * MAXF * (MAXLEN + 1) + 1, 1);
	size_t *ends = calloc(nruns + 1, sizeof(*ends));
	uint64_t *want = malloc((nruns + 1) * sizeof(*want));
	uint64_t *got = malloc((nruns + 1) * sizeof(*got));
	unsigned char field[MAXLEN];
	size_t nbytes = 0, r, i, wrong = 0;
	uint64_t state = seed;

	for (r = 0; r < nruns; r++) {
		unsigned nf = next_byte(&state) % (MAXF + 1), k;
		uint64_t h = HASH64_START;

		for (k = 0; k < nf; k++) {
			size_t len = next_byte(&state) % 3 == 0 ? 0 :
			    next_byte(&state) % MAXLEN;

			for (i = 0; i < len; i++)
				field[i] = (unsigned char)next_byte(&state);
			h = hash64_field(h, field, len);
			nbytes += hash64_put(bytes + nbytes, field, len);
		}
		ends[r] = nbytes;
		want[r] = hash64_finish(h);
	}
	hash64_many(bytes, ends, nruns, got);
	for (r = 0; r < nruns; r++)
		wrong += got[r] != want[r];
	CHECK_INT(wrong, 0);
	free(got);
	free(want);
	free(ends);
	free(bytes);
}

static void
test_many_is_the_chain(void)
{
	size_t n;

	for (n = 0; n <= 9; n++)	/* fewer runs than lanes, and more */
		check_runs(n, n + 1);
	check_runs(1000, 42);
}

/* The separator keeps fields apart: "ab","c" is not "a","bc". */
static void
test_fields_are_separated(void)
{
	unsigned char bytes[16];
	size_t ends[2], n = 0;
	uint64_t got[2];

	n += hash64_put(bytes + n, "ab", 2);
	n += hash64_put(bytes + n, "c", 1);
	ends[0] = n;
	n += hash64_put(bytes + n, "a", 1);
	n += hash64_put(bytes + n, "bc", 2);
	ends[1] = n;
	hash64_many(bytes, ends, 2, got);
	CHECK(got[0] != got[1]);
}

int
main(void)
{
	RUN(test_many_is_the_chain);
	RUN(test_fields_are_separated);
	TEST_END();
}
