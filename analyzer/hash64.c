/*
 * hash64.c - the line hash of many runs of fields at once (hash64.h).
 */
#include "hash64.h"

/* Runs hashed side by side. One run is a chain of dependent multiplies
 * (about 4 cycles a byte); four chains let each multiply start while
 * the others' are under way. */
#define LANES	4
#define IDLE	SIZE_MAX

static uint64_t
fnv(uint64_t h, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= HASH64_PRIME;
	}
	return h;
}

void
hash64_many(const unsigned char *bytes, const size_t *ends, size_t n,
    uint64_t *out)
{
	const unsigned char *p[LANES];
	uint64_t h[LANES];
	size_t left[LANES], run[LANES], next = 0, step, i, start;
	int k, busy;

	for (k = 0; k < LANES; k++)
		run[k] = IDLE;
	for (;;) {
		/* each idle lane takes the next run; all go the length of
		 * the shortest left */
		busy = 0;
		step = SIZE_MAX;
		for (k = 0; k < LANES; k++) {
			while (run[k] == IDLE && next < n) {
				start = next > 0 ? ends[next - 1] : 0;
				if (ends[next] == start) {	/* no fields */
					out[next++] = hash64_finish(HASH64_START);
					continue;
				}
				p[k] = bytes + start;
				left[k] = ends[next] - start;
				h[k] = HASH64_START;
				run[k] = next++;
			}
			if (run[k] != IDLE) {
				busy++;
				if (left[k] < step)
					step = left[k];
			}
		}
		if (busy == 0)
			return;
		if (busy == LANES) {
			uint64_t h0 = h[0], h1 = h[1], h2 = h[2], h3 = h[3];

			for (i = 0; i < step; i++) {
				h0 = (h0 ^ p[0][i]) * HASH64_PRIME;
				h1 = (h1 ^ p[1][i]) * HASH64_PRIME;
				h2 = (h2 ^ p[2][i]) * HASH64_PRIME;
				h3 = (h3 ^ p[3][i]) * HASH64_PRIME;
			}
			h[0] = h0;
			h[1] = h1;
			h[2] = h2;
			h[3] = h3;
		} else {
			for (k = 0; k < LANES; k++)
				if (run[k] != IDLE)
					h[k] = fnv(h[k], p[k], step);
		}
		for (k = 0; k < LANES; k++) {
			if (run[k] == IDLE)
				continue;
			p[k] += step;
			left[k] -= step;
			if (left[k] == 0) {
				out[run[k]] = hash64_finish(h[k]);
				run[k] = IDLE;
			}
		}
	}
}
