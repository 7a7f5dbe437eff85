/*
 * money.c - exact decimal money: parse, add, round and format money_t
 * values (int64 units of 10^-10, see money.h).
 *
 * The parser reads the text once, digit by digit, and keeps only what the
 * result can depend on: the digits that land on a whole unit, the
 * first digit below it (for rounding) and whether anything non-zero
 * follows. That is why a 10000-digit field or an exponent of 400 cannot
 * overflow anything, and why no floating point is ever needed.
 */
#include "money.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/*
 * Exponents are accumulated only up to this bound; beyond it the value is
 * certainly zero or out of range, and saturating keeps the position
 * arithmetic below far from int64 overflow for any input that fits in
 * memory.
 */
#define EXP_CAP 100000000000000000LL	/* 1e17 */

/* A value whose first significant digit sits at 10^19 units or above
 * (10^9 currency units at 10 places) exceeds INT64_MAX (about 9.22e18
 * units, 922,337,203.6854775807 currency units). */
#define MAX_LEAD_POWER 18

/* 10^0..10^18; indexed by at most MONEY_PLACES in format/round and by
 * at most MAX_LEAD_POWER in the parser. */
static const uint64_t pow10_u64[19] = {
	1ULL,
	10ULL,
	100ULL,
	1000ULL,
	10000ULL,
	100000ULL,
	1000000ULL,
	10000000ULL,
	100000000ULL,
	1000000000ULL,
	10000000000ULL,
	100000000000ULL,
	1000000000000ULL,
	10000000000000ULL,
	100000000000000ULL,
	1000000000000000ULL,
	10000000000000000ULL,
	100000000000000000ULL,
	1000000000000000000ULL
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
clamp_places(int places)
{
	if (places < 0)
		return 0;
	if (places > MONEY_PLACES)
		return MONEY_PLACES;
	return places;
}

/* |v| as unsigned, defined for INT64_MIN too. */
static uint64_t
magnitude(money_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/*
 * |v| in units of 10^-places, rounded half away from zero. Cannot
 * overflow: the quotient is at most 2^63 / 10 + 1 when places < 10, and
 * |v| itself when places == 10.
 */
static uint64_t
scaled_magnitude(money_t v, int places)
{
	uint64_t mag = magnitude(v), div, q, r;

	div = pow10_u64[MONEY_PLACES - places];
	q = mag / div;
	r = mag % div;
	if (r >= div - r)
		q++;
	return q;
}

enum money_status
money_parse(const char *s, size_t len, money_t *out, int *places)
{
	size_t b = 0, e = len, i, ms, me, nint = 0, nfrac = 0, j;
	int64_t exp10 = 0, pl, p;
	uint64_t v = 0;
	int neg = 0, eneg = 0, seen = 0, rdigit = 0, sticky = 0, d;

	*out = 0;
	if (places != NULL)
		*places = 0;

	while (b < e && is_blank(s[b]))
		b++;
	while (e > b && is_blank(s[e - 1]))
		e--;
	if (b == e)
		return MONEY_EMPTY;
	/* Database dumps (formats.md, S#11) write a literal NULL. */
	if (e - b == 4 && memcmp(s + b, "NULL", 4) == 0)
		return MONEY_EMPTY;

	i = b;
	if (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-';
		i++;
	}
	ms = i;
	while (i < e && is_digit(s[i])) {
		i++;
		nint++;
	}
	if (i < e && s[i] == '.') {
		i++;
		while (i < e && is_digit(s[i])) {
			i++;
			nfrac++;
		}
	}
	me = i;
	if (nint + nfrac == 0)
		return MONEY_SYNTAX;
	if (i < e && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < e && (s[i] == '+' || s[i] == '-')) {
			eneg = s[i] == '-';
			i++;
		}
		if (i == e || !is_digit(s[i]))
			return MONEY_SYNTAX;
		while (i < e && is_digit(s[i])) {
			if (exp10 < EXP_CAP)
				exp10 = exp10 * 10 + (s[i] - '0');
			i++;
		}
		if (eneg)
			exp10 = -exp10;
	}
	if (i != e)
		return MONEY_SYNTAX;

	/*
	 * p is the power of ten, in units of 10^-10, of the digit being
	 * read: the first mantissa digit of "12.5" sits at 10^(2 - 1 + 10).
	 */
	p = (int64_t)nint + exp10 + MONEY_PLACES - 1;
	for (j = ms; j < me; j++) {
		if (s[j] == '.')
			continue;
		d = s[j] - '0';
		if (!seen) {
			/* Leading zeros change nothing, however many. */
			if (d == 0) {
				p--;
				continue;
			}
			if (p > MAX_LEAD_POWER)
				return MONEY_RANGE;
			seen = 1;
		}
		if (p >= 0) {
			/* At most 19 digits: stays below 10^19 < 2^64. */
			v = v * 10 + (uint64_t)d;
		} else if (p == -1) {
			rdigit = d;
		} else if (d != 0) {
			sticky = 1;
			break;
		}
		p--;
	}
	/* Digits the text left out above the last one it wrote ("5e3"). */
	if (seen && p >= 0)
		v *= pow10_u64[p + 1];
	/* Half to even into the 10th place, so values with more places
	 * round without bias (CUR's own 10 places are exact). */
	if (rdigit > 5 || (rdigit == 5 && (sticky || (v & 1) != 0)))
		v++;
	if (v > (uint64_t)INT64_MAX)
		return MONEY_RANGE;

	if (places != NULL) {
		pl = (int64_t)nfrac - exp10;
		if (pl < 0)
			pl = 0;
		*places = pl > MONEY_PLACES ? MONEY_PLACES : (int)pl;
	}
	*out = neg ? -(money_t)v : (money_t)v;
	return MONEY_OK;
}

int
money_add(money_t *acc, money_t v)
{
	money_t r;

	if (__builtin_add_overflow(*acc, v, &r))
		return -1;
	*acc = r;
	return 0;
}

int
money_format(char *buf, size_t n, money_t v, int places)
{
	uint64_t q, ip, fp;
	const char *sign;

	places = clamp_places(places);
	q = scaled_magnitude(v, places);
	ip = q / pow10_u64[places];
	fp = q % pow10_u64[places];
	/* An amount that rounds to zero prints "0.00", never "-0.00". */
	sign = v < 0 && q != 0 ? "-" : "";
	if (places == 0)
		return snprintf(buf, n, "%s%" PRIu64, sign, ip);
	return snprintf(buf, n, "%s%" PRIu64 ".%0*" PRIu64, sign, ip, places,
	    fp);
}

int
money_format_exact(char *buf, size_t n, money_t v, int min_places)
{
	char full[48];
	size_t len, dot;

	len = (size_t)money_format(full, sizeof(full), v, MONEY_PLACES);
	dot = len - MONEY_PLACES - 1;	/* full[dot] == '.' */
	min_places = clamp_places(min_places);
	while (len > dot + 1 + (size_t)min_places && full[len - 1] == '0')
		len--;
	if (len == dot + 1)
		len = dot;		/* no decimals left, no point */
	full[len] = '\0';
	return snprintf(buf, n, "%s", full);
}

int
money_format_grouped(char *buf, size_t n, money_t v, int places)
{
	char plain[48], grouped[64];
	size_t i = 0, o = 0, ndig, k;

	money_format(plain, sizeof(plain), v, places);
	if (plain[0] == '-')
		grouped[o++] = plain[i++];
	ndig = strcspn(plain + i, ".");
	for (k = 0; k < ndig; k++) {
		if (k > 0 && (ndig - k) % 3 == 0)
			grouped[o++] = ',';
		grouped[o++] = plain[i++];
	}
	/* The fraction, if any, and the terminating NUL. */
	do
		grouped[o++] = plain[i];
	while (plain[i++] != '\0');
	return snprintf(buf, n, "%s", grouped);
}

int
money_share_bp(money_t part, money_t whole)
{
	__int128 n = (__int128)part * 20000;

	if (whole == 0)
		return 0;
	n /= whole;
	return (int)((n + (n >= 0 ? 1 : -1)) / 2);
}

money_t
money_round(money_t v, int places)
{
	uint64_t q, div, r, limit;

	if (places >= MONEY_PLACES)
		return v;
	places = clamp_places(places);
	div = pow10_u64[MONEY_PLACES - places];
	q = scaled_magnitude(v, places);
	/*
	 * Near the ends of the range rounding away from zero can leave
	 * int64; the nearest representable multiple, toward zero, is the
	 * only answer that is still a value of the requested precision.
	 */
	limit = v < 0 ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (q > limit / div)
		q--;
	r = q * div;
	if (v >= 0)
		return (money_t)r;
	if (r > (uint64_t)INT64_MAX)
		return INT64_MIN;
	return -(money_t)r;
}

int
money_sub(money_t a, money_t b, money_t *out)
{
	money_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return -1;
	*out = r;
	return 0;
}
