/*
 * test_datetime.c - date_parse over every AWS layout, the civil-day
 * arithmetic and the formatters. Expected epoch values were computed
 * independently (Python's calendar.timegm), not with this module.
 */
#include "datetime.h"
#include "test.h"

static pv_time got;

/* Parse a NUL-terminated literal into got (preset to a sentinel). */
static int
parse(const char *s)
{
	got = -12345;
	return date_parse(s, strlen(s), &got);
}

static void
test_empty(void)
{
	CHECK_INT(parse(""), DATE_EMPTY);
	CHECK_INT(got, -12345);
	CHECK_INT(date_parse(NULL, 0, &got), DATE_EMPTY);
}

static void
test_blanks(void)
{
	CHECK_INT(parse("   "), DATE_EMPTY);
	CHECK_INT(parse("\t \t"), DATE_EMPTY);
	CHECK_INT(got, -12345);
}

static void
test_null_literal(void)
{
	CHECK_INT(parse("NULL"), DATE_EMPTY);
	CHECK_INT(parse(" NULL "), DATE_EMPTY);
	CHECK_INT(got, -12345);
	CHECK_INT(parse("NULLS"), DATE_SYNTAX);
}

static void
test_dash_space_seconds(void)
{
	CHECK_INT(parse("2015-09-29 17:00:00"), DATE_OK);
	CHECK_INT(got, 1443546000);
}

static void
test_slash_padded(void)
{
	CHECK_INT(parse("2017/05/01 00:00:00"), DATE_OK);
	CHECK_INT(got, 1493596800);
	CHECK_INT(parse("2017/05/12 14:04:18"), DATE_OK);
	CHECK_INT(got, 1494597858);
}

static void
test_slash_one_digit_hour(void)
{
	CHECK_INT(parse("2016/09/01 0:00:00"), DATE_OK);
	CHECK_INT(got, 1472688000);
}

static void
test_slash_one_digit_day(void)
{
	CHECK_INT(parse("2013/11/1 0:00:00"), DATE_OK);
	CHECK_INT(got, 1383264000);
	CHECK_INT(parse("2013/9/1 0:00:00"), DATE_OK);
	CHECK_INT(got, 1377993600);
}

static void
test_iso_z(void)
{
	CHECK_INT(parse("2018-02-01T00:00:00Z"), DATE_OK);
	CHECK_INT(got, 1517443200);
}

static void
test_iso_millis_z(void)
{
	CHECK_INT(parse("2023-11-01T00:00:00.000Z"), DATE_OK);
	CHECK_INT(got, 1698796800);
}

static void
test_iso_no_zone(void)
{
	CHECK_INT(parse("2018-02-01T00:00:00"), DATE_OK);
	CHECK_INT(got, 1517443200);
}

static void
test_fraction_any_length(void)
{
	CHECK_INT(parse("2023-11-01T00:00:00.5Z"), DATE_OK);
	CHECK_INT(got, 1698796800);
	CHECK_INT(parse("2023-11-01 00:00:00.123456789012"), DATE_OK);
	CHECK_INT(got, 1698796800);
	/* Fractions are dropped, not rounded. */
	CHECK_INT(parse("2023-11-01T00:00:00.999Z"), DATE_OK);
	CHECK_INT(got, 1698796800);
}

static void
test_fraction_needs_digits(void)
{
	CHECK_INT(parse("2023-11-01T00:00:00.Z"), DATE_SYNTAX);
	CHECK_INT(parse("2023-11-01T00:00:00."), DATE_SYNTAX);
}

static void
test_dash_space_db_dump(void)
{
	CHECK_INT(parse("2024-10-01 00:00:00"), DATE_OK);
	CHECK_INT(got, 1727740800);
}

static void
test_date_only(void)
{
	CHECK_INT(parse("2024-10-01"), DATE_OK);
	CHECK_INT(got, 1727740800);
	CHECK_INT(parse("2024/10/01"), DATE_OK);
	CHECK_INT(got, 1727740800);
}

static void
test_manifest_compact(void)
{
	CHECK_INT(parse("20191201T000000.000Z"), DATE_OK);
	CHECK_INT(got, 1575158400);
	CHECK_INT(parse("20191201T000000Z"), DATE_OK);
	CHECK_INT(got, 1575158400);
	CHECK_INT(parse("20240229T123456Z"), DATE_OK);
	CHECK_INT(got, 1709210096);
}

static void
test_manifest_compact_bad(void)
{
	CHECK_INT(parse("20191201T0000Z"), DATE_SYNTAX);
	CHECK_INT(parse("20191301T000000Z"), DATE_SYNTAX);
	CHECK_INT(parse("20191201T240000Z"), DATE_SYNTAX);
	CHECK_INT(parse("20191201"), DATE_SYNTAX);
	CHECK_INT(parse("20191201 000000"), DATE_SYNTAX);
}

static void
test_excel_us_two_digit_year(void)
{
	CHECK_INT(parse("10/1/18 0:00"), DATE_OK);
	CHECK_INT(got, 1538352000);
}

static void
test_excel_us_four_digit_year(void)
{
	CHECK_INT(parse("10/1/2018 0:00:00"), DATE_OK);
	CHECK_INT(got, 1538352000);
	CHECK_INT(parse("02/29/2024 12:34:56"), DATE_OK);
	CHECK_INT(got, 1709210096);
}

static void
test_excel_us_date_only(void)
{
	CHECK_INT(parse("10/1/18"), DATE_OK);
	CHECK_INT(got, 1538352000);
}

static void
test_excel_us_month_first(void)
{
	/* 13/1/18 would be day-first; the layout is month-first only. */
	CHECK_INT(parse("13/1/18 0:00"), DATE_SYNTAX);
	CHECK_INT(parse("1/13/18 0:00"), DATE_OK);
	CHECK_INT(got, 1515801600);
}

static void
test_excel_us_bad_year_width(void)
{
	CHECK_INT(parse("10/1/018 0:00"), DATE_SYNTAX);
	CHECK_INT(parse("10/1/8 0:00"), DATE_SYNTAX);
	CHECK_INT(parse("10/1/20180 0:00"), DATE_SYNTAX);
}

static void
test_minutes_without_seconds(void)
{
	CHECK_INT(parse("2024-10-01 13:45"), DATE_OK);
	CHECK_INT(got, 1727740800 + 13 * 3600 + 45 * 60);
	CHECK_INT(parse("2024-10-01T13:45Z"), DATE_OK);
	CHECK_INT(got, 1727740800 + 13 * 3600 + 45 * 60);
}

static void
test_zone_plus_zero(void)
{
	CHECK_INT(parse("2018-02-01T00:00:00+00:00"), DATE_OK);
	CHECK_INT(got, 1517443200);
	CHECK_INT(parse("2018-02-01 00:00:00+0000"), DATE_OK);
	CHECK_INT(got, 1517443200);
	CHECK_INT(parse("2018-02-01T00:00:00.000-00:00"), DATE_OK);
	CHECK_INT(got, 1517443200);
}

static void
test_zone_utc_word(void)
{
	CHECK_INT(parse("2018-02-01 00:00:00 UTC"), DATE_OK);
	CHECK_INT(got, 1517443200);
	CHECK_INT(parse("2018-02-01 00:00:00UTC"), DATE_OK);
	CHECK_INT(got, 1517443200);
}

static void
test_zone_offset_applied(void)
{
	CHECK_INT(parse("2018-02-01T02:00:00+02:00"), DATE_OK);
	CHECK_INT(got, 1517443200);
	CHECK_INT(parse("2018-01-31T19:30:00-0430"), DATE_OK);
	CHECK_INT(got, 1517443200);
}

static void
test_zone_bad(void)
{
	CHECK_INT(parse("2018-02-01T00:00:00ZZ"), DATE_SYNTAX);
	CHECK_INT(parse("2018-02-01T00:00:00 Z"), DATE_SYNTAX);
	CHECK_INT(parse("2018-02-01T00:00:00+"), DATE_SYNTAX);
	CHECK_INT(parse("2018-02-01T00:00:00+1"), DATE_SYNTAX);
	CHECK_INT(parse("2018-02-01T00:00:00+24:00"), DATE_SYNTAX);
	CHECK_INT(parse("2018-02-01T00:00:00+01:60"), DATE_SYNTAX);
	CHECK_INT(parse("2018-02-01T00:00:00 PST"), DATE_SYNTAX);
	CHECK_INT(parse("2018-02-01Z"), DATE_SYNTAX);
}

static void
test_surrounding_blanks(void)
{
	CHECK_INT(parse("  2015-09-29 17:00:00\t"), DATE_OK);
	CHECK_INT(got, 1443546000);
}

static void
test_length_bounds_input(void)
{
	pv_time t = 0;

	/* Only len bytes count: the date part of a longer buffer. */
	CHECK_INT(date_parse("2024-10-01 garbage", 10, &t), DATE_OK);
	CHECK_INT(t, 1727740800);
}

static void
test_leap_day_ok(void)
{
	CHECK_INT(parse("2024-02-29"), DATE_OK);
	CHECK_INT(got, 1709164800);
	CHECK_INT(parse("2000-02-29 00:00:00"), DATE_OK);
	CHECK_INT(got, 951782400);
}

static void
test_leap_day_rejected(void)
{
	CHECK_INT(parse("2023-02-29"), DATE_SYNTAX);
	CHECK_INT(got, -12345);
	CHECK_INT(parse("2100-02-29"), DATE_SYNTAX);
	CHECK_INT(parse("2/29/23 0:00"), DATE_SYNTAX);
}

static void
test_month_out_of_range(void)
{
	CHECK_INT(parse("2026-13-45"), DATE_SYNTAX);
	CHECK_INT(parse("2026-13-01"), DATE_SYNTAX);
	CHECK_INT(parse("2026-00-01"), DATE_SYNTAX);
}

static void
test_day_out_of_range(void)
{
	CHECK_INT(parse("2026-01-32"), DATE_SYNTAX);
	CHECK_INT(parse("2026-04-31"), DATE_SYNTAX);
	CHECK_INT(parse("2026-01-00"), DATE_SYNTAX);
	CHECK_INT(parse("2026-04-30"), DATE_OK);
}

static void
test_time_out_of_range(void)
{
	CHECK_INT(parse("2026-01-01 24:00:00"), DATE_SYNTAX);
	CHECK_INT(parse("2026-01-01 23:60:00"), DATE_SYNTAX);
	CHECK_INT(parse("2026-01-01 23:59:61"), DATE_SYNTAX);
	CHECK_INT(parse("2026-01-01 23:59:59"), DATE_OK);
}

static void
test_leap_second_clamps(void)
{
	CHECK_INT(parse("2015-09-30 23:59:60"), DATE_OK);
	CHECK_INT(got, 1443657599);
}

static void
test_year_range(void)
{
	CHECK_INT(parse("1969-12-31 23:59:59"), DATE_SYNTAX);
	CHECK_INT(parse("1970-01-01 00:00:00"), DATE_OK);
	CHECK_INT(got, 0);
	CHECK_INT(parse("9999-12-31 23:59:59"), DATE_OK);
	CHECK_INT(got, 253402300799LL);
	CHECK_INT(parse("10000-01-01"), DATE_SYNTAX);
	CHECK_INT(parse("0999-01-01"), DATE_SYNTAX);
}

static void
test_field_widths(void)
{
	CHECK_INT(parse("2024-001-01"), DATE_SYNTAX);
	CHECK_INT(parse("2024-10-001"), DATE_SYNTAX);
	CHECK_INT(parse("2024-10-01 000:00:00"), DATE_SYNTAX);
	CHECK_INT(parse("2024-10-01 00:0:00"), DATE_SYNTAX);
	CHECK_INT(parse("2024-10-01 00:00:0"), DATE_SYNTAX);
	CHECK_INT(parse("2024-10-01 00:00:000"), DATE_SYNTAX);
	CHECK_INT(parse("24-10-01"), DATE_SYNTAX);
	CHECK_INT(parse("02024-10-01"), DATE_SYNTAX);
}

static void
test_trailing_junk(void)
{
	CHECK_INT(parse("2024-10-01x"), DATE_SYNTAX);
	CHECK_INT(parse("2024-10-01 00:00:00x"), DATE_SYNTAX);
	CHECK_INT(parse("2024-10-01 00:00:00 00"), DATE_SYNTAX);
	CHECK_INT(parse("2024-10-01 "), DATE_OK);
	CHECK_INT(parse("2024-10-01T"), DATE_SYNTAX);
	CHECK_INT(parse("2024-10-01 00"), DATE_SYNTAX);
	CHECK_INT(parse("2024-10-01 00:"), DATE_SYNTAX);
	CHECK_INT(parse("2024-10-01 00:00:"), DATE_SYNTAX);
}

static void
test_mixed_separators(void)
{
	CHECK_INT(parse("2024-10/01"), DATE_SYNTAX);
	CHECK_INT(parse("2024/10-01"), DATE_SYNTAX);
	CHECK_INT(parse("2024.10.01"), DATE_SYNTAX);
	CHECK_INT(parse("2024-10-01_00:00:00"), DATE_SYNTAX);
	CHECK_INT(parse("2024-10-01  00:00:00"), DATE_SYNTAX);
}

static void
test_not_dates(void)
{
	CHECK_INT(parse("abc"), DATE_SYNTAX);
	CHECK_INT(parse("2024"), DATE_SYNTAX);
	CHECK_INT(parse("-2024-10-01"), DATE_SYNTAX);
	CHECK_INT(parse("1443546000"), DATE_SYNTAX);
	CHECK_INT(parse("12345678901234567890-01-01"), DATE_SYNTAX);
	CHECK_INT(got, -12345);
}

static void
test_days_from_civil_anchors(void)
{
	CHECK_INT(date_days_from_civil(1970, 1, 1), 0);
	CHECK_INT(date_days_from_civil(1969, 12, 31), -1);
	CHECK_INT(date_days_from_civil(2000, 3, 1), 11017);
	CHECK_INT(date_days_from_civil(1, 1, 1), -719162);
	CHECK_INT(date_days_from_civil(9999, 12, 31), 2932896);
}

static void
test_civil_from_days_anchors(void)
{
	int y, m, d;

	date_civil_from_days(0, &y, &m, &d);
	CHECK(y == 1970 && m == 1 && d == 1);
	date_civil_from_days(-1, &y, &m, &d);
	CHECK(y == 1969 && m == 12 && d == 31);
	date_civil_from_days(11016, &y, &m, &d);
	CHECK(y == 2000 && m == 2 && d == 29);
	date_civil_from_days(-719162, &y, &m, &d);
	CHECK(y == 1 && m == 1 && d == 1);
}

static void
test_civil_round_trip_wide(void)
{
	int64_t days, back;
	int y, m, d, py, pm, pd, bad = 0;

	/* About -2700..+8700 CE, day by day: each day follows the last. */
	date_civil_from_days(-1700000, &py, &pm, &pd);
	for (days = -1699999; days <= 2500000; days++) {
		date_civil_from_days(days, &y, &m, &d);
		back = date_days_from_civil(y, m, d);
		if (back != days)
			bad++;
		if (d == 1) {
			if (pd != date_days_in_month(py, pm) ||
			    (m == 1 ? py + 1 != y || pm != 12 :
			    py != y || pm + 1 != m))
				bad++;
		} else if (y != py || m != pm || d != pd + 1) {
			bad++;
		}
		py = y;
		pm = m;
		pd = d;
	}
	CHECK_INT(bad, 0);
}

static void
test_civil_round_trip_far(void)
{
	static const int64_t far[] = {
		-500000000LL, -146097LL * 1000, 146097LL * 1000 - 1,
		500000000LL, 700000000000LL, -700000000000LL
	};
	size_t i;
	int y, m, d;

	for (i = 0; i < sizeof(far) / sizeof(far[0]); i++) {
		date_civil_from_days(far[i], &y, &m, &d);
		CHECK_INT(date_days_from_civil(y, m, d), far[i]);
	}
}

static void
test_days_in_month(void)
{
	CHECK_INT(date_days_in_month(2024, 2), 29);
	CHECK_INT(date_days_in_month(2023, 2), 28);
	CHECK_INT(date_days_in_month(1900, 2), 28);
	CHECK_INT(date_days_in_month(2000, 2), 29);
	CHECK_INT(date_days_in_month(2023, 1), 31);
	CHECK_INT(date_days_in_month(2023, 4), 30);
	CHECK_INT(date_days_in_month(2023, 12), 31);
	CHECK_INT(date_days_in_month(2023, 0), 0);
	CHECK_INT(date_days_in_month(2023, 13), 0);
}

static void
test_format_day(void)
{
	char b[11];

	date_format_day(1443546000, b);
	CHECK_STR(b, "2015-09-29");
	date_format_day(0, b);
	CHECK_STR(b, "1970-01-01");
	date_format_day(-1, b);
	CHECK_STR(b, "1969-12-31");
}

static void
test_format_month(void)
{
	char b[8];

	date_format_month(1709210096, b);
	CHECK_STR(b, "2024-02");
	date_format_month(253402300799LL, b);
	CHECK_STR(b, "9999-12");
}

static void
test_format_iso(void)
{
	char b[21];

	date_format_iso(1709210096, b);
	CHECK_STR(b, "2024-02-29T12:34:56Z");
	date_format_iso(-1, b);
	CHECK_STR(b, "1969-12-31T23:59:59Z");
	date_format_iso(253402300799LL, b);
	CHECK_STR(b, "9999-12-31T23:59:59Z");
}

static void
test_format_clamps(void)
{
	char b[21];

	date_format_iso(INT64_MAX, b);
	CHECK_STR(b, "9999-12-31T23:59:59Z");
	date_format_iso(INT64_MIN, b);
	CHECK_STR(b, "0000-01-01T00:00:00Z");
}

static void
test_parse_format_round_trip(void)
{
	static const char *const in[] = {
		"2015-09-29T17:00:00Z", "2024-02-29T12:34:56Z",
		"1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
		"2100-03-01T00:00:00Z"
	};
	char b[21];
	pv_time t;
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		CHECK_INT(date_parse(in[i], strlen(in[i]), &t), DATE_OK);
		date_format_iso(t, b);
		CHECK_STR(b, in[i]);
	}
}

int
main(void)
{
	RUN(test_empty);
	RUN(test_blanks);
	RUN(test_null_literal);
	RUN(test_dash_space_seconds);
	RUN(test_slash_padded);
	RUN(test_slash_one_digit_hour);
	RUN(test_slash_one_digit_day);
	RUN(test_iso_z);
	RUN(test_iso_millis_z);
	RUN(test_iso_no_zone);
	RUN(test_fraction_any_length);
	RUN(test_fraction_needs_digits);
	RUN(test_dash_space_db_dump);
	RUN(test_date_only);
	RUN(test_manifest_compact);
	RUN(test_manifest_compact_bad);
	RUN(test_excel_us_two_digit_year);
	RUN(test_excel_us_four_digit_year);
	RUN(test_excel_us_date_only);
	RUN(test_excel_us_month_first);
	RUN(test_excel_us_bad_year_width);
	RUN(test_minutes_without_seconds);
	RUN(test_zone_plus_zero);
	RUN(test_zone_utc_word);
	RUN(test_zone_offset_applied);
	RUN(test_zone_bad);
	RUN(test_surrounding_blanks);
	RUN(test_length_bounds_input);
	RUN(test_leap_day_ok);
	RUN(test_leap_day_rejected);
	RUN(test_month_out_of_range);
	RUN(test_day_out_of_range);
	RUN(test_time_out_of_range);
	RUN(test_leap_second_clamps);
	RUN(test_year_range);
	RUN(test_field_widths);
	RUN(test_trailing_junk);
	RUN(test_mixed_separators);
	RUN(test_not_dates);
	RUN(test_days_from_civil_anchors);
	RUN(test_civil_from_days_anchors);
	RUN(test_civil_round_trip_wide);
	RUN(test_civil_round_trip_far);
	RUN(test_days_in_month);
	RUN(test_format_day);
	RUN(test_format_month);
	RUN(test_format_iso);
	RUN(test_format_clamps);
	RUN(test_parse_format_round_trip);
	TEST_END();
}
