/*
 * hash64.h - the 64-bit hash of a run of fields that the delivery
 * samples (sketch.c, stored in the database) and the set of lines seen
 * (lineset.c) both use: FNV-1a over the bytes, a separator after each
 * field, splitmix64's finaliser at the end. A stored sample must hash
 * the same in every build: the bytes are taken one by one (times as
 * the machine's int64, so the same across little-endian builds).
 */
#ifndef PILVI_HASH64_H
#define PILVI_HASH64_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HASH64_START	UINT64_C(14695981039346656037)	/* FNV offset */
#define HASH64_PRIME	UINT64_C(1099511628211)		/* FNV prime */
#define HASH64_SEP	0x1f	/* after each field: a byte no text field
				 * holds */

/* h with one field added: its bytes, then a byte no text field holds,
 * so "ab","c" and "a","bc" differ. */
static inline uint64_t
hash64_field(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= HASH64_PRIME;
	}
	h ^= HASH64_SEP;
	return h * HASH64_PRIME;
}

/* Append a field to a run of fields hash64_many hashes: its n bytes and
 * HASH64_SEP at out, which has room for n + 1. Returns n + 1. */
static inline size_t
hash64_put(unsigned char *out, const void *p, size_t n)
{
	if (n > 0)	/* an empty field may have no pointer */
		memcpy(out, p, n);
	out[n] = HASH64_SEP;
	return n + 1;
}

/* FNV's high bits mix poorly; the whole word must be uniform (a bottom-k
 * sample keeps the smallest values, a table indexes by the low bits). */
static inline uint64_t
hash64_finish(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A quick hash for tables in memory only (it may change from build to
 * build): eight bytes at a time, multiply and fold. */
static inline uint64_t
hash64_bytes(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	uint64_t w = 0;
	size_t i;

	h ^= n;
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * UINT64_C(0x9e3779b97f4a7c15);
		h ^= h >> 29;
	}
	/* the last bytes one by one: a memcpy of a length not known when
	 * compiled is a call (a tenth of dim_id's samples were there) */
	w = 0;
	for (i = 0; i < n; i++)
		w |= (uint64_t)s[i] << (8 * i);
	h = (h ^ w) * UINT64_C(0x9e3779b97f4a7c15);
	return h ^ (h >> 32);
}

/*
 * The hashes of n runs of fields at once, written with hash64_put: run
 * i is bytes[ends[i - 1] .. ends[i]) (from 0 for the first), and
 * out[i] is what hash64_field over its fields from HASH64_START, then
 * hash64_finish, gives. Faster than one run after another: FNV's
 * multiply waits for the last one, byte after byte, and runs hashed
 * side by side keep the multiplier busy.
 */
void hash64_many(const unsigned char *bytes, const size_t *ends, size_t n,
    uint64_t *out);

#endif
