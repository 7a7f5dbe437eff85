/*
 * test_money.c - money_parse, money_add, money_format, money_round.
 */
#include "money.h"
#include "test.h"

#include <stdint.h>

static money_t got;
static int got_places;

/* Parse a NUL-terminated literal; the value lands in got/got_places. */
static int
parse(const char *s)
{
	got = 12345;
	got_places = -1;
	return money_parse(s, strlen(s), &got, &got_places);
}

static void
test_empty_string(void)
{
	CHECK_INT(parse(""), MONEY_EMPTY);
	CHECK_INT(got, 0);
	CHECK_INT(got_places, 0);
}

static void
test_blanks_only(void)
{
	CHECK_INT(parse("  "), MONEY_EMPTY);
	CHECK_INT(got, 0);
	CHECK_INT(parse(" \t "), MONEY_EMPTY);
	CHECK_INT(got, 0);
}

static void
test_null_literal(void)
{
	CHECK_INT(parse("NULL"), MONEY_EMPTY);
	CHECK_INT(got, 0);
	CHECK_INT(parse("  NULL "), MONEY_EMPTY);
	CHECK_INT(parse("null"), MONEY_SYNTAX);
	CHECK_INT(parse("NULLX"), MONEY_SYNTAX);
}

static void
test_zero_length_null_pointer(void)
{
	money_t v = 7;

	CHECK_INT(money_parse(NULL, 0, &v, NULL), MONEY_EMPTY);
	CHECK_INT(v, 0);
}

static void
test_negative(void)
{
	CHECK_INT(parse("-108.97"), MONEY_OK);
	CHECK_INT(got, -1089700000000LL);
	CHECK_INT(got_places, 2);
}

static void
test_plus_sign(void)
{
	CHECK_INT(parse("+1"), MONEY_OK);
	CHECK_INT(got, MONEY_SCALE);
	CHECK_INT(got_places, 0);
}

static void
test_leading_dot(void)
{
	CHECK_INT(parse(".5"), MONEY_OK);
	CHECK_INT(got, 5000000000LL);
	CHECK_INT(got_places, 1);
}

static void
test_trailing_dot(void)
{
	CHECK_INT(parse("5."), MONEY_OK);
	CHECK_INT(got, 5 * MONEY_SCALE);
	CHECK_INT(got_places, 0);
}

static void
test_ten_place_zero(void)
{
	CHECK_INT(parse("0.0000000000"), MONEY_OK);
	CHECK_INT(got, 0);
	CHECK_INT(got_places, 10);
}

static void
test_ten_place_value(void)
{
	/* CUR writes fixed 10 places (formats.md §6). */
	CHECK_INT(parse("0.3000000000"), MONEY_OK);
	CHECK_INT(got, 3000000000LL);
	CHECK_INT(got_places, 10);
	/* Ten places are held exactly: no rounding at all. */
	CHECK_INT(parse("0.0014880952"), MONEY_OK);
	CHECK_INT(got, 14880952);
	CHECK_INT(got_places, 10);
	CHECK_INT(parse("218.1678632876"), MONEY_OK);
	CHECK_INT(got, 2181678632876LL);
	CHECK_INT(got_places, 10);
}

static void
test_exponent_negative_upper(void)
{
	/* 0.000000590: 2 + 7 = 9 places stated. */
	CHECK_INT(parse("5.90E-07"), MONEY_OK);
	CHECK_INT(got, 5900);
	CHECK_INT(got_places, 9);
}

static void
test_exponent_long_mantissa(void)
{
	CHECK_INT(parse("4.00000000E-08"), MONEY_OK);
	CHECK_INT(got, 400);
	CHECK_INT(got_places, 10);	/* 8 + 8 = 16, capped */
}

static void
test_exponent_rounds(void)
{
	/* 1.81e-9 = 18.1 units of 10^-10: rounds down to 18. */
	CHECK_INT(parse("1.81E-9"), MONEY_OK);
	CHECK_INT(got, 18);
	CHECK_INT(got_places, 10);
	CHECK_INT(parse("1.85E-9"), MONEY_OK);
	CHECK_INT(got, 18);
	CHECK_INT(parse("1.95E-9"), MONEY_OK);
	CHECK_INT(got, 20);
	/* At e-8 the same mantissas are exact. */
	CHECK_INT(parse("1.85E-8"), MONEY_OK);
	CHECK_INT(got, 185);
}

static void
test_exponent_positive(void)
{
	CHECK_INT(parse("1e3"), MONEY_OK);
	CHECK_INT(got, 1000 * MONEY_SCALE);
	CHECK_INT(got_places, 0);
	CHECK_INT(parse("8.62902E+11"), MONEY_RANGE);
	CHECK_INT(parse("9.22E+8"), MONEY_OK);
	CHECK_INT(got, 9220000000000000000LL);
	CHECK_INT(parse("9.23E+8"), MONEY_RANGE);
	CHECK_INT(parse("2.5e+2"), MONEY_OK);
	CHECK_INT(got, 250 * MONEY_SCALE);
	CHECK_INT(got_places, 0);
}

static void
test_exponent_partial_places(void)
{
	CHECK_INT(parse("1.2345e2"), MONEY_OK);
	CHECK_INT(got, 1234500000000LL);
	CHECK_INT(got_places, 2);
}

static void
test_exponent_huge_is_range(void)
{
	CHECK_INT(parse("1e400"), MONEY_RANGE);
	CHECK_INT(got, 0);
	CHECK_INT(parse("1e99999999999999999999999"), MONEY_RANGE);
}

static void
test_exponent_huge_negative_is_zero(void)
{
	CHECK_INT(parse("1e-400"), MONEY_OK);
	CHECK_INT(got, 0);
	CHECK_INT(got_places, 10);
	CHECK_INT(parse("-7e-99999999999999999999999"), MONEY_OK);
	CHECK_INT(got, 0);
}

static void
test_zero_with_huge_exponent(void)
{
	/* Zero stays zero however large the exponent. */
	CHECK_INT(parse("0e400"), MONEY_OK);
	CHECK_INT(got, 0);
	CHECK_INT(parse("0.000e99999999999999999999"), MONEY_OK);
	CHECK_INT(got, 0);
}

static void
test_negative_zero(void)
{
	CHECK_INT(parse("-0"), MONEY_OK);
	CHECK_INT(got, 0);
	/* Below half a unit: rounds to 0, not to a negative. */
	CHECK_INT(parse("-0.00000000001"), MONEY_OK);
	CHECK_INT(got, 0);
	CHECK_INT(parse("-0.00000000005"), MONEY_OK);
	CHECK_INT(got, 0);
	/* One unit is now representable. */
	CHECK_INT(parse("-0.0000000001"), MONEY_OK);
	CHECK_INT(got, -1);
}

static void
test_six_places(void)
{
	CHECK_INT(parse("147089.320004"), MONEY_OK);
	CHECK_INT(got, 1470893200040000LL);
	CHECK_INT(got_places, 6);
	CHECK_INT(parse("0.096770"), MONEY_OK);
	CHECK_INT(got_places, 6);
}

static void
test_integer_places(void)
{
	CHECK_INT(parse("39"), MONEY_OK);
	CHECK_INT(got, 39 * MONEY_SCALE);
	CHECK_INT(got_places, 0);
}

static void
test_fourteen_places(void)
{
	CHECK_INT(parse("0.11997536721028"), MONEY_OK);
	CHECK_INT(got, 1199753672);
	CHECK_INT(got_places, 10);
}

static void
test_round_half_even_odd_up(void)
{
	CHECK_INT(parse("0.00000000015"), MONEY_OK);
	CHECK_INT(got, 2);
	CHECK_INT(got_places, 10);
}

static void
test_round_half_even_even_stays(void)
{
	CHECK_INT(parse("0.00000000025"), MONEY_OK);
	CHECK_INT(got, 2);
	CHECK_INT(parse("0.00000000005"), MONEY_OK);
	CHECK_INT(got, 0);
}

static void
test_round_below_half(void)
{
	CHECK_INT(parse("0.00148809524"), MONEY_OK);
	CHECK_INT(got, 14880952);
	CHECK_INT(parse("0.000000000149999"), MONEY_OK);
	CHECK_INT(got, 1);
}

static void
test_round_above_half_sticky(void)
{
	/* A non-zero digit after the 5 means above half: round up. */
	CHECK_INT(parse("0.000000000250000001"), MONEY_OK);
	CHECK_INT(got, 3);
	CHECK_INT(parse("0.00000000026"), MONEY_OK);
	CHECK_INT(got, 3);
}

static void
test_round_negative_symmetric(void)
{
	CHECK_INT(parse("-0.00000000015"), MONEY_OK);
	CHECK_INT(got, -2);
	CHECK_INT(parse("-0.00000000025"), MONEY_OK);
	CHECK_INT(got, -2);
	CHECK_INT(parse("-0.0014880952"), MONEY_OK);
	CHECK_INT(got, -14880952);
	CHECK_INT(parse("-0.00148809525"), MONEY_OK);
	CHECK_INT(got, -14880952);
}

static void
test_round_carries(void)
{
	CHECK_INT(parse("0.99999999999"), MONEY_OK);
	CHECK_INT(got, MONEY_SCALE);
	CHECK_INT(parse("9.999999999951"), MONEY_OK);
	CHECK_INT(got, 10 * MONEY_SCALE);
	CHECK_INT(parse("0.9999999999"), MONEY_OK);
	CHECK_INT(got, MONEY_SCALE - 1);
}

static void
test_leading_zeros(void)
{
	CHECK_INT(parse("000012.50"), MONEY_OK);
	CHECK_INT(got, 125000000000LL);
	CHECK_INT(parse("-00.5"), MONEY_OK);
	CHECK_INT(got, -5000000000LL);
}

static void
test_surrounding_blanks(void)
{
	CHECK_INT(parse(" \t-1.25\t "), MONEY_OK);
	CHECK_INT(got, -12500000000LL);
	CHECK_INT(got_places, 2);
}

static void
test_length_bounds_input(void)
{
	money_t v = 0;

	/* Only the first len bytes count: "12" of "12345". */
	CHECK_INT(money_parse("12345", 2, &v, NULL), MONEY_OK);
	CHECK_INT(v, 12 * MONEY_SCALE);
}

static void
test_embedded_nul_rejected(void)
{
	money_t v = 0;

	CHECK_INT(money_parse("1\0" "2", 3, &v, NULL), MONEY_SYNTAX);
}

static void
test_places_may_be_null(void)
{
	money_t v = 0;

	CHECK_INT(money_parse("1.5", 3, &v, NULL), MONEY_OK);
	CHECK_INT(v, 15000000000LL);
}

static void
test_long_zero_run_then_one(void)
{
	size_t n = 10002, i;
	char *s = malloc(n);
	money_t v = 0;
	int pl = 0;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	/* "0.000...0001" with 10000 fraction digits: rounds to 0. */
	s[0] = '0';
	s[1] = '.';
	for (i = 2; i < n - 1; i++)
		s[i] = '0';
	s[n - 1] = '1';
	CHECK_INT(money_parse(s, n, &v, &pl), MONEY_OK);
	CHECK_INT(v, 0);
	CHECK_INT(pl, 10);

	/* "000...0001" with 10000 leading zeros is 1. */
	for (i = 0; i < n - 1; i++)
		s[i] = '0';
	CHECK_INT(money_parse(s, n, &v, &pl), MONEY_OK);
	CHECK_INT(v, MONEY_SCALE);
	CHECK_INT(pl, 0);
	free(s);
}

static void
test_long_digit_run_is_range(void)
{
	size_t n = 10000, i;
	char *s = malloc(n);
	money_t v = 0;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	s[0] = '1';
	for (i = 1; i < n; i++)
		s[i] = '0';
	CHECK_INT(money_parse(s, n, &v, NULL), MONEY_RANGE);
	free(s);
}

static void
test_long_fraction_with_exponent(void)
{
	size_t n, i;
	char *s;
	money_t v = 0;

	/* 1 followed by 20 zeros, scaled back down by e-20: exactly 1. */
	n = 25;
	s = malloc(n + 1);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	s[0] = '1';
	for (i = 1; i <= 20; i++)
		s[i] = '0';
	memcpy(s + 21, "e-20", 4);
	s[n] = '\0';
	CHECK_INT(money_parse(s, n, &v, NULL), MONEY_OK);
	CHECK_INT(v, MONEY_SCALE);
	free(s);
}

static void
test_reject_thousands_separator(void)
{
	CHECK_INT(parse("1,000"), MONEY_SYNTAX);
	CHECK_INT(got, 0);
}

static void
test_reject_currency_symbol(void)
{
	CHECK_INT(parse("$5"), MONEY_SYNTAX);
	CHECK_INT(parse("5$"), MONEY_SYNTAX);
}

static void
test_reject_words(void)
{
	CHECK_INT(parse("abc"), MONEY_SYNTAX);
	CHECK_INT(parse("inf"), MONEY_SYNTAX);
	CHECK_INT(parse("nan"), MONEY_SYNTAX);
	CHECK_INT(parse("0x10"), MONEY_SYNTAX);
}

static void
test_reject_two_dots(void)
{
	CHECK_INT(parse("1.2.3"), MONEY_SYNTAX);
}

static void
test_reject_double_sign(void)
{
	CHECK_INT(parse("--1"), MONEY_SYNTAX);
	CHECK_INT(parse("+-1"), MONEY_SYNTAX);
	CHECK_INT(parse("-"), MONEY_SYNTAX);
	CHECK_INT(parse("- 1"), MONEY_SYNTAX);
}

static void
test_reject_bad_exponent(void)
{
	CHECK_INT(parse("1e"), MONEY_SYNTAX);
	CHECK_INT(parse("1e+"), MONEY_SYNTAX);
	CHECK_INT(parse("1e-"), MONEY_SYNTAX);
	CHECK_INT(parse("1e5.0"), MONEY_SYNTAX);
	CHECK_INT(parse("1e 5"), MONEY_SYNTAX);
}

static void
test_reject_exponent_without_mantissa(void)
{
	CHECK_INT(parse("e5"), MONEY_SYNTAX);
	CHECK_INT(parse(".e5"), MONEY_SYNTAX);
}

static void
test_reject_lone_dot(void)
{
	CHECK_INT(parse("."), MONEY_SYNTAX);
	CHECK_INT(parse("-."), MONEY_SYNTAX);
}

static void
test_reject_inner_blank(void)
{
	CHECK_INT(parse("1 000"), MONEY_SYNTAX);
	CHECK_INT(parse("1.5 x"), MONEY_SYNTAX);
}

static void
test_range_just_above_max(void)
{
	CHECK_INT(parse("922337204"), MONEY_RANGE);
	CHECK_INT(got, 0);
	CHECK_INT(parse("-922337204"), MONEY_RANGE);
	CHECK_INT(parse("922337203"), MONEY_OK);
	CHECK_INT(got, 9223372030000000000LL);
}

static void
test_range_five_billion_is_range(void)
{
	/* Beyond +-922 million: an error at 10^-10 units. */
	CHECK_INT(parse("5000000000.00"), MONEY_RANGE);
	CHECK_INT(got, 0);
	CHECK_INT(parse("-5000000000.00"), MONEY_RANGE);
	CHECK_INT(parse("500000000.00"), MONEY_OK);
	CHECK_INT(got, 5000000000000000000LL);
}

static void
test_range_exact_int64_max(void)
{
	CHECK_INT(parse("922337203.6854775807"), MONEY_OK);
	CHECK_INT(got, INT64_MAX);
	CHECK_INT(got_places, 10);
	CHECK_INT(parse("-922337203.6854775807"), MONEY_OK);
	CHECK_INT(got, -INT64_MAX);
	CHECK_INT(parse("922337203.6854775808"), MONEY_RANGE);
	/* The magnitude limit is symmetric: INT64_MIN itself is refused. */
	CHECK_INT(parse("-922337203.6854775808"), MONEY_RANGE);
}

static void
test_range_by_rounding(void)
{
	/* ...807 is odd, so a trailing 5 rounds up past INT64_MAX. */
	CHECK_INT(parse("922337203.68547758075"), MONEY_RANGE);
	CHECK_INT(parse("922337203.68547758074"), MONEY_OK);
	CHECK_INT(got, INT64_MAX);
	CHECK_INT(parse("9.2233720368547758075e8"), MONEY_RANGE);
}

static void
test_range_twenty_digits(void)
{
	CHECK_INT(parse("99999999999999999999"), MONEY_RANGE);
	CHECK_INT(parse("10000000000"), MONEY_RANGE);
	CHECK_INT(parse("1000000000"), MONEY_RANGE);
	CHECK_INT(parse("999999999.9999999999"), MONEY_RANGE);
}

static void
test_add_ok(void)
{
	money_t acc = 5;

	CHECK_INT(money_add(&acc, -7), 0);
	CHECK_INT(acc, -2);
}

static void
test_add_overflow_leaves_acc(void)
{
	money_t acc = INT64_MAX - 1;

	CHECK_INT(money_add(&acc, 2), -1);
	CHECK_INT(acc, INT64_MAX - 1);
	CHECK_INT(money_add(&acc, 1), 0);
	CHECK_INT(acc, INT64_MAX);
}

static void
test_add_underflow_leaves_acc(void)
{
	money_t acc = INT64_MIN + 1;

	CHECK_INT(money_add(&acc, -2), -1);
	CHECK_INT(acc, INT64_MIN + 1);
	CHECK_INT(money_add(&acc, -1), 0);
	CHECK_INT(acc, INT64_MIN);
}

static void
test_add_at_new_limits(void)
{
	money_t acc = 0, max = 0, unit = 0, half = 0;

	CHECK_INT(money_parse("922337203.6854775807", 20, &max, NULL),
	    MONEY_OK);
	CHECK_INT(money_parse("0.0000000001", 12, &unit, NULL), MONEY_OK);
	CHECK_INT(money_parse("500000000", 9, &half, NULL), MONEY_OK);
	/* 500 million + 500 million leaves the range: error, not a wrap. */
	acc = half;
	CHECK_INT(money_add(&acc, half), -1);
	CHECK_INT(acc, half);
	CHECK_INT(money_add(&acc, -half), 0);
	CHECK_INT(acc, 0);
	acc = -half;
	CHECK_INT(money_add(&acc, -half), -1);
	CHECK_INT(acc, -half);
	/* The largest value plus one unit overflows. */
	acc = max;
	CHECK_INT(money_add(&acc, unit), -1);
	CHECK_INT(acc, INT64_MAX);
	acc = -max;
	CHECK_INT(money_add(&acc, -unit), 0);
	CHECK_INT(acc, INT64_MIN);
	CHECK_INT(money_add(&acc, -unit), -1);
	CHECK_INT(acc, INT64_MIN);
}

static void
test_add_cur_column_exact(void)
{
	/* 19412 CUR rows of 0.0014880952 sum exactly, with no drift:
	 * at 10^-9 each row would round to 0.001488095 and the total
	 * would come out 0.0000038824 short. */
	static const char row[] = "0.0014880952";
	money_t acc = 0, v = 0, want = 0;
	int i, ok = 1;

	for (i = 0; i < 19412; i++) {
		if (money_parse(row, sizeof(row) - 1, &v, NULL) != MONEY_OK ||
		    money_add(&acc, v) != 0) {
			ok = 0;
			break;
		}
	}
	CHECK(ok);
	CHECK_INT(acc, 19412LL * 14880952LL);
	CHECK_INT(acc, 288869040224LL);
	CHECK_INT(money_parse("28.8869040224", 13, &want, NULL), MONEY_OK);
	CHECK_INT(acc, want);
}

static void
test_format_ten_places(void)
{
	char b[32];

	CHECK_INT(money_format(b, sizeof(b), 12345678900000LL, 10), 15);
	CHECK_STR(b, "1234.5678900000");
	money_format(b, sizeof(b), 1, 10);
	CHECK_STR(b, "0.0000000001");
	money_format(b, sizeof(b), -1, 10);
	CHECK_STR(b, "-0.0000000001");
	money_format(b, sizeof(b), 14880952, 10);
	CHECK_STR(b, "0.0014880952");
	money_format(b, sizeof(b), 2181678632876LL, 10);
	CHECK_STR(b, "218.1678632876");
}

static void
test_format_nine_places(void)
{
	char b[32];

	CHECK_INT(money_format(b, sizeof(b), 12345678900000LL, 9), 14);
	CHECK_STR(b, "1234.567890000");
	/* Half a 10^-9 step rounds away from zero. */
	money_format(b, sizeof(b), 5, 9);
	CHECK_STR(b, "0.000000001");
	money_format(b, sizeof(b), -5, 9);
	CHECK_STR(b, "-0.000000001");
	money_format(b, sizeof(b), 4, 9);
	CHECK_STR(b, "0.000000000");
	money_format(b, sizeof(b), -4, 9);
	CHECK_STR(b, "0.000000000");
}

static void
test_format_six_places(void)
{
	char b[32];

	money_format(b, sizeof(b), 12345678900000LL, 6);
	CHECK_STR(b, "1234.567890");
}

static void
test_format_zero_places(void)
{
	char b[32];

	CHECK_INT(money_format(b, sizeof(b), 0, 0), 1);
	CHECK_STR(b, "0");
	money_format(b, sizeof(b), 25000000000LL, 0);
	CHECK_STR(b, "3");
	money_format(b, sizeof(b), -25000000000LL, 0);
	CHECK_STR(b, "-3");
}

static void
test_format_rounds_half_away(void)
{
	char b[32];

	money_format(b, sizeof(b), 50000000, 2);	/* 0.005 */
	CHECK_STR(b, "0.01");
	money_format(b, sizeof(b), -50000000, 2);
	CHECK_STR(b, "-0.01");
	money_format(b, sizeof(b), 49999999, 2);
	CHECK_STR(b, "0.00");
	money_format(b, sizeof(b), -3150000000LL, 2);	/* -0.315 */
	CHECK_STR(b, "-0.32");
}

static void
test_format_round_carries(void)
{
	char b[32];

	money_format(b, sizeof(b), 9999999999LL, 2);
	CHECK_STR(b, "1.00");
	money_format(b, sizeof(b), 9999999999LL, 9);
	CHECK_STR(b, "1.000000000");
	money_format(b, sizeof(b), -99950000000LL, 2);
	CHECK_STR(b, "-10.00");
}

static void
test_format_no_negative_zero(void)
{
	char b[32];

	money_format(b, sizeof(b), -1, 2);
	CHECK_STR(b, "0.00");
	money_format(b, sizeof(b), -49999999, 2);
	CHECK_STR(b, "0.00");
	money_format(b, sizeof(b), -4999999999LL, 0);
	CHECK_STR(b, "0");
	money_format(b, sizeof(b), 0, 10);
	CHECK_STR(b, "0.0000000000");
}

static void
test_format_int64_min(void)
{
	char b[32];

	char exact[22];

	CHECK_INT(money_format(b, sizeof(b), INT64_MIN, 10), 21);
	CHECK_STR(b, "-922337203.6854775808");
	/* 21 characters and the NUL fit a 22-byte buffer exactly. */
	CHECK_INT(money_format(exact, sizeof(exact), INT64_MIN, 10), 21);
	CHECK_STR(exact, "-922337203.6854775808");
	money_format(b, sizeof(b), INT64_MIN, 9);
	CHECK_STR(b, "-922337203.685477581");
	money_format(b, sizeof(b), INT64_MIN, 2);
	CHECK_STR(b, "-922337203.69");
	money_format(b, sizeof(b), INT64_MIN, 0);
	CHECK_STR(b, "-922337204");
}

static void
test_format_int64_max(void)
{
	char b[32];

	CHECK_INT(money_format(b, sizeof(b), INT64_MAX, 10), 20);
	CHECK_STR(b, "922337203.6854775807");
	money_format(b, sizeof(b), INT64_MAX, 9);
	CHECK_STR(b, "922337203.685477581");
	money_format(b, sizeof(b), INT64_MAX, 3);
	CHECK_STR(b, "922337203.685");
	money_format(b, sizeof(b), INT64_MAX, 0);
	CHECK_STR(b, "922337204");
}

static void
test_format_places_clamped(void)
{
	char b[32];

	money_format(b, sizeof(b), 15000000000LL, 12);
	CHECK_STR(b, "1.5000000000");
	money_format(b, sizeof(b), 15000000000LL, 11);
	CHECK_STR(b, "1.5000000000");
	money_format(b, sizeof(b), 15000000000LL, -3);
	CHECK_STR(b, "2");
}

static void
test_format_snprintf_semantics(void)
{
	char b[5];

	CHECK_INT(money_format(b, sizeof(b), 12345678900000LL, 2), 7);
	CHECK_STR(b, "1234");
	CHECK_INT(money_format(NULL, 0, -12345678900000LL, 2), 8);
	CHECK_INT(money_format(NULL, 0, INT64_MIN, 10), 21);
}

static void
test_format_round_trip(void)
{
	static const char *const in[] = {
		"0.0000000001", "-108.9700000000", "147089.3200040000",
		"922337203.6854775807", "-922337203.6854775807",
		"0.0000000000", "0.0014880952", "218.1678632876",
		"-0.0000000001"
	};
	char b[32];
	money_t v;
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		CHECK_INT(money_parse(in[i], strlen(in[i]), &v, NULL), MONEY_OK);
		money_format(b, sizeof(b), v, 10);
		CHECK_STR(b, in[i]);
	}
}

static void
test_grouped_millions(void)
{
	char b[32];

	CHECK_INT(money_format_grouped(b, sizeof(b), 12345678900000000LL, 2),
	    12);
	CHECK_STR(b, "1,234,567.89");
}

/* The exact text: every place the value has, at least min_places. */
static void
test_format_exact(void)
{
	char b[32];

	CHECK_INT(money_format_exact(b, sizeof(b), 71532452000LL, 2), 9);
	CHECK_STR(b, "7.1532452");
	money_format_exact(b, sizeof(b), 1200, 2);
	CHECK_STR(b, "0.00000012");
	money_format_exact(b, sizeof(b), 146 * MONEY_SCALE, 2);
	CHECK_STR(b, "146.00");
	money_format_exact(b, sizeof(b), -5 * MONEY_SCALE, 2);
	CHECK_STR(b, "-5.00");
	money_format_exact(b, sizeof(b), 0, 2);
	CHECK_STR(b, "0.00");
	money_format_exact(b, sizeof(b), 1, 2);
	CHECK_STR(b, "0.0000000001");
	money_format_exact(b, sizeof(b), -1, 2);
	CHECK_STR(b, "-0.0000000001");
	money_format_exact(b, sizeof(b), 39 * MONEY_SCALE, 0);
	CHECK_STR(b, "39");
	money_format_exact(b, sizeof(b), 15 * MONEY_SCALE / 10, 0);
	CHECK_STR(b, "1.5");
	money_format_exact(b, sizeof(b), INT64_MIN, 2);
	CHECK_STR(b, "-922337203.6854775808");
	money_format_exact(b, sizeof(b), INT64_MAX, 12);
	CHECK_STR(b, "922337203.6854775807");
}

static void
test_grouped_negative(void)
{
	char b[32];

	money_format_grouped(b, sizeof(b), -12345000000000LL, 2);
	CHECK_STR(b, "-1,234.50");
}

static void
test_grouped_small(void)
{
	char b[32];

	money_format_grouped(b, sizeof(b), 0, 2);
	CHECK_STR(b, "0.00");
	money_format_grouped(b, sizeof(b), 999 * MONEY_SCALE, 0);
	CHECK_STR(b, "999");
	money_format_grouped(b, sizeof(b), -999 * MONEY_SCALE, 2);
	CHECK_STR(b, "-999.00");
	money_format_grouped(b, sizeof(b), 1000 * MONEY_SCALE, 0);
	CHECK_STR(b, "1,000");
	money_format_grouped(b, sizeof(b), 100000 * MONEY_SCALE, 1);
	CHECK_STR(b, "100,000.0");
}

static void
test_grouped_no_negative_zero(void)
{
	char b[32];

	money_format_grouped(b, sizeof(b), -1, 2);
	CHECK_STR(b, "0.00");
	money_format_grouped(b, sizeof(b), -4999999999LL, 0);
	CHECK_STR(b, "0");
}

static void
test_grouped_limits(void)
{
	char b[32];

	char exact[24];

	CHECK_INT(money_format_grouped(b, sizeof(b), INT64_MIN, 10), 23);
	CHECK_STR(b, "-922,337,203.6854775808");
	CHECK_INT(money_format_grouped(exact, sizeof(exact), INT64_MIN, 10),
	    23);
	CHECK_STR(exact, "-922,337,203.6854775808");
	money_format_grouped(b, sizeof(b), INT64_MAX, 10);
	CHECK_STR(b, "922,337,203.6854775807");
	money_format_grouped(b, sizeof(b), INT64_MAX, 2);
	CHECK_STR(b, "922,337,203.69");
	money_format_grouped(b, sizeof(b), INT64_MIN, 0);
	CHECK_STR(b, "-922,337,204");
}

static void
test_grouped_snprintf_semantics(void)
{
	char b[4];

	CHECK_INT(money_format_grouped(b, sizeof(b), 1234 * MONEY_SCALE, 0),
	    5);
	CHECK_STR(b, "1,2");
	CHECK_INT(money_format_grouped(NULL, 0, -1234 * MONEY_SCALE, 2), 9);
}

static void
test_round_to_cents(void)
{
	CHECK_INT(money_round(12345678900LL, 2), 12300000000LL);
	CHECK_INT(money_round(12350000000LL, 2), 12400000000LL);
	CHECK_INT(money_round(-12350000000LL, 2), -12400000000LL);
	CHECK_INT(money_round(-12349999999LL, 2), -12300000000LL);
	CHECK_INT(money_round(2181678632876LL, 2), 2181700000000LL);
}

static void
test_round_to_units(void)
{
	CHECK_INT(money_round(25000000000LL, 0), 3 * MONEY_SCALE);
	CHECK_INT(money_round(-25000000000LL, 0), -3 * MONEY_SCALE);
	CHECK_INT(money_round(-4999999999LL, 0), 0);
}

static void
test_round_ten_is_identity(void)
{
	CHECK_INT(money_round(1234567891, 10), 1234567891);
	CHECK_INT(money_round(INT64_MIN, 10), INT64_MIN);
	CHECK_INT(money_round(INT64_MAX, 10), INT64_MAX);
	CHECK_INT(money_round(INT64_MAX, 12), INT64_MAX);
	/* Nine places is no longer the identity. */
	CHECK_INT(money_round(15, 9), 20);
	CHECK_INT(money_round(-25, 9), -30);
	CHECK_INT(money_round(14, 9), 10);
}

static void
test_round_limits(void)
{
	/* Rounding away would leave int64: the result is toward zero. */
	CHECK_INT(money_round(INT64_MAX, 0), 9223372030000000000LL);
	CHECK_INT(money_round(INT64_MIN, 0), -9223372030000000000LL);
	CHECK_INT(money_round(INT64_MAX, 2), 9223372036800000000LL);
	CHECK_INT(money_round(INT64_MIN, 2), -9223372036800000000LL);
	CHECK_INT(money_round(INT64_MAX, 4), 9223372036854000000LL);
	CHECK_INT(money_round(INT64_MIN, 4), -9223372036854000000LL);
	CHECK_INT(money_round(INT64_MAX, 9), 9223372036854775800LL);
	CHECK_INT(money_round(INT64_MIN, 9), -9223372036854775800LL);
	/* Where rounding away still fits, it is taken. */
	CHECK_INT(money_round(INT64_MAX, 3), 9223372036850000000LL);
	CHECK_INT(money_round(INT64_MIN, 3), -9223372036850000000LL);
}

static void
test_round_agrees_with_format(void)
{
	char a[32], b[32];
	money_t v;
	int places;

	for (v = -20000000000LL; v <= 20000000000LL; v += 123456711) {
		for (places = 0; places <= 10; places++) {
			money_format(a, sizeof(a), v, places);
			money_format(b, sizeof(b), money_round(v, places),
			    places);
			CHECK_STR(a, b);
		}
	}
}

int
main(void)
{
	RUN(test_empty_string);
	RUN(test_blanks_only);
	RUN(test_null_literal);
	RUN(test_zero_length_null_pointer);
	RUN(test_negative);
	RUN(test_plus_sign);
	RUN(test_leading_dot);
	RUN(test_trailing_dot);
	RUN(test_ten_place_zero);
	RUN(test_ten_place_value);
	RUN(test_exponent_negative_upper);
	RUN(test_exponent_long_mantissa);
	RUN(test_exponent_rounds);
	RUN(test_exponent_positive);
	RUN(test_exponent_partial_places);
	RUN(test_exponent_huge_is_range);
	RUN(test_exponent_huge_negative_is_zero);
	RUN(test_zero_with_huge_exponent);
	RUN(test_negative_zero);
	RUN(test_six_places);
	RUN(test_integer_places);
	RUN(test_fourteen_places);
	RUN(test_round_half_even_odd_up);
	RUN(test_round_half_even_even_stays);
	RUN(test_round_below_half);
	RUN(test_round_above_half_sticky);
	RUN(test_round_negative_symmetric);
	RUN(test_round_carries);
	RUN(test_leading_zeros);
	RUN(test_surrounding_blanks);
	RUN(test_length_bounds_input);
	RUN(test_embedded_nul_rejected);
	RUN(test_places_may_be_null);
	RUN(test_long_zero_run_then_one);
	RUN(test_long_digit_run_is_range);
	RUN(test_long_fraction_with_exponent);
	RUN(test_reject_thousands_separator);
	RUN(test_reject_currency_symbol);
	RUN(test_reject_words);
	RUN(test_reject_two_dots);
	RUN(test_reject_double_sign);
	RUN(test_reject_bad_exponent);
	RUN(test_reject_exponent_without_mantissa);
	RUN(test_reject_lone_dot);
	RUN(test_reject_inner_blank);
	RUN(test_range_just_above_max);
	RUN(test_range_five_billion_is_range);
	RUN(test_range_exact_int64_max);
	RUN(test_range_by_rounding);
	RUN(test_range_twenty_digits);
	RUN(test_add_ok);
	RUN(test_add_overflow_leaves_acc);
	RUN(test_add_underflow_leaves_acc);
	RUN(test_add_at_new_limits);
	RUN(test_add_cur_column_exact);
	RUN(test_format_ten_places);
	RUN(test_format_nine_places);
	RUN(test_format_six_places);
	RUN(test_format_zero_places);
	RUN(test_format_rounds_half_away);
	RUN(test_format_round_carries);
	RUN(test_format_no_negative_zero);
	RUN(test_format_int64_min);
	RUN(test_format_int64_max);
	RUN(test_format_places_clamped);
	RUN(test_format_snprintf_semantics);
	RUN(test_format_round_trip);
	RUN(test_grouped_millions);
	RUN(test_grouped_negative);
	RUN(test_grouped_small);
	RUN(test_grouped_no_negative_zero);
	RUN(test_grouped_limits);
	RUN(test_grouped_snprintf_semantics);
	RUN(test_format_exact);
	RUN(test_round_to_cents);
	RUN(test_round_to_units);
	RUN(test_round_ten_is_identity);
	RUN(test_round_limits);
	RUN(test_round_agrees_with_format);
	TEST_END();
}
