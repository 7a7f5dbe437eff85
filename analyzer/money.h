/*
 * money.h - exact decimal money as int64 units of 10^-10 of the currency.
 *
 * Every amount in the tool is a money_t: the value times 10^10, held in a
 * signed 64-bit integer. Parsing never goes through floating point; sums
 * are checked and an overflow is an error, never a wrap.
 *
 * Why 10 places: AWS Cost and Usage Reports write amounts with 10
 * decimal places, and a bill's total must be the exact sum of its rows.
 * With a coarser unit every row is rounded on the way in and the errors
 * add up (a real CUR file sums to 218.1678632876; at 10^-9 per unit the
 * per-row rounding drifts it to 218.167863013). At 10^-10 a CUR amount is
 * held exactly, so any sum of CUR amounts is exact too.
 *
 * The price is range: a value, and every sum of values, must lie within
 * about +-922,337,203.6854775807 currency units (INT64_MAX / 10^10).
 * That is enough for any monthly bill in USD or EUR; an amount or a sum
 * beyond it is reported as an error (MONEY_RANGE, money_add() == -1),
 * never wrapped or silently clamped.
 *
 * Inputs may carry any number of decimal places; the 11th and further
 * places are rounded half to even into the 10th.
 */
#ifndef PILVI_MONEY_H
#define PILVI_MONEY_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t money_t;

#define MONEY_SCALE 10000000000LL	/* units per currency unit (10^10) */
#define MONEY_PLACES 10

enum money_status {
	MONEY_OK = 0,
	MONEY_EMPTY = 1,	/* "", blanks only or "NULL": value set to 0 */
	MONEY_SYNTAX = -1,	/* not a number */
	MONEY_RANGE = -2	/* beyond +-922,337,203.6854775807 */
};

/*
 * Parse s[0..len) into *out. Accepts an optional sign, digits with an
 * optional '.', an optional exponent (e/E, sign, digits: "5.90E-07",
 * "1e400" is MONEY_RANGE), surrounding blanks. No thousands separators,
 * no currency symbols. More than 10 decimal places are rounded half to
 * even into the 10th. A magnitude above INT64_MAX units (after rounding)
 * is MONEY_RANGE, so INT64_MIN is never produced. *places (may be NULL)
 * receives the number of decimal places the text stated, after applying
 * the exponent and capped at MONEY_PLACES ("5.90E-07" -> 9,
 * "0.0014880952" -> 10, "0.096770" -> 6, "39" -> 0).
 */
enum money_status money_parse(const char *s, size_t len, money_t *out,
    int *places);

/* *acc += v; returns 0, or -1 (and leaves *acc unchanged) on overflow,
 * i.e. when the sum leaves about +-922,337,203.6854775807. */
int money_add(money_t *acc, money_t v);

/* *out = a - b; returns 0, or -1 (and leaves *out unchanged) on overflow. */
int money_sub(money_t a, money_t b, money_t *out);

/*
 * Write v with exactly `places` decimals (0..10; values outside are
 * clamped), rounding half away from zero when places < 10:
 * "1234.5678900000", "-0.32", "0". Never "-0.00". Returns the length
 * (snprintf semantics; n >= 32 always suffices: the longest output is
 * "-922337203.6854775808", 21 characters).
 */
int money_format(char *buf, size_t n, money_t v, int places);

/* Like money_format but with thousands separators ("1,234.57"); the
 * longest output is "-922,337,203.6854775808" (23 characters), so
 * n >= 32 always suffices here too. */
int money_format_grouped(char *buf, size_t n, money_t v, int places);

/*
 * Write v exactly, at the precision it has: all 10 places, less the
 * trailing zeros, but never fewer than min_places (0..10): "7.1532452",
 * "0.00000012", "146.00" with min_places 2. The text is the value
 * itself, so a sum of such texts is the sum of the values. Returns the
 * length (snprintf semantics; n >= 32 always suffices).
 */
int money_format_exact(char *buf, size_t n, money_t v, int min_places);

/*
 * Round v to `places` decimals (0..10, clamped; half away from zero), as
 * a money_t. Where rounding away from zero would leave int64 (only
 * within one step of the ends of the range) the result is the nearest
 * multiple toward zero instead.
 */
money_t money_round(money_t v, int places);

/* part / whole in hundredths of a percent, rounded half away from zero;
 * 0 when whole is 0. */
int money_share_bp(money_t part, money_t whole);

#endif
