/*
 * datetime.c - parse and format the UTC timestamps of AWS billing files.
 *
 * date_parse runs for several fields of every row of multi-gigabyte
 * files, so it reads digits by hand and turns a civil date into days
 * with integer arithmetic: no sscanf, no mktime/timegm, no locale and no
 * TZ lookup. The day arithmetic is the well-known era-based algorithm
 * (a 400-year era holds exactly 146097 days), valid for every proleptic
 * Gregorian date.
 */
#include "datetime.h"

#include <stdlib.h>
#include <time.h>

#include <string.h>

#define SECS_PER_DAY 86400

/* Years date_parse accepts: nothing in a bill predates the epoch, and a
 * four-digit year is what every layout writes. */
#define YEAR_MIN 1970
#define YEAR_MAX 9999

/*
 * date_civil_from_days clamps to about +-2.1e9 years so the year still
 * fits in an int and the era arithmetic cannot overflow.
 */
#define DAYS_LIMIT 780000000000LL

/* Digit runs longer than this are never a date field; counting stops
 * here so the value cannot overflow. */
#define RUN_MAX 9

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

/*
 * Read the run of digits at s[i..e): its value into *v and its length
 * (capped at RUN_MAX + 1, which no caller accepts) into *nd. Returns the
 * index after the run.
 */
static size_t
digit_run(const char *s, size_t i, size_t e, int *v, int *nd)
{
	int x = 0, n = 0;

	while (i < e && is_digit(s[i])) {
		if (n <= RUN_MAX) {
			if (n < RUN_MAX)
				x = x * 10 + (s[i] - '0');
			n++;
		}
		i++;
	}
	*v = x;
	*nd = n;
	return i;
}

/* Skip ".ddd…" (at least one digit) if present; fractions are dropped
 * because no billing field is finer than a second. Returns the new index,
 * or e + 1 (never a valid index) for a '.' without digits. */
static size_t
skip_fraction(const char *s, size_t i, size_t e)
{
	size_t j;

	if (i >= e || s[i] != '.')
		return i;
	j = i + 1;
	while (j < e && is_digit(s[j]))
		j++;
	return j == i + 1 ? e + 1 : j;
}

/*
 * Parse the zone suffix at s[i..e): nothing, "Z", "UTC" (optionally after
 * one blank), or a numeric offset "+HH:MM", "+HHMM", "+HH". The offset in
 * seconds east of UTC goes to *off. Returns 0, or -1 if the rest is not
 * a zone.
 */
static int
parse_zone(const char *s, size_t i, size_t e, int *off)
{
	int sign, hh, mm = 0, nd;

	*off = 0;
	if (i == e)
		return 0;
	if (e - i == 1 && s[i] == 'Z')
		return 0;
	if (s[i] == ' ' && ++i == e)
		return -1;
	if (e - i == 3 && memcmp(s + i, "UTC", 3) == 0)
		return 0;
	if (s[i] != '+' && s[i] != '-')
		return -1;
	sign = s[i] == '-' ? -1 : 1;
	i = digit_run(s, i + 1, e, &hh, &nd);
	if (nd == 4) {
		mm = hh % 100;
		hh /= 100;
	} else if (nd == 2) {
		if (i < e && s[i] == ':') {
			i = digit_run(s, i + 1, e, &mm, &nd);
			if (nd != 2)
				return -1;
		}
	} else {
		return -1;
	}
	if (i != e || hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 3600 + mm * 60);
	return 0;
}

/*
 * Parse "H:MM", "HH:MM:SS", "HH:MM:SS.fff…" at s[i..e), then the zone.
 * Seconds are optional (Excel's "10/1/18 0:00").
 */
static int
parse_clock(const char *s, size_t i, size_t e, int *h, int *mi, int *sec,
    int *off)
{
	int nd;

	i = digit_run(s, i, e, h, &nd);
	if (nd < 1 || nd > 2 || i >= e || s[i] != ':')
		return -1;
	i = digit_run(s, i + 1, e, mi, &nd);
	if (nd != 2)
		return -1;
	*sec = 0;
	if (i < e && s[i] == ':') {
		i = digit_run(s, i + 1, e, sec, &nd);
		if (nd != 2)
			return -1;
		i = skip_fraction(s, i, e);
		if (i > e)
			return -1;
	}
	return parse_zone(s, i, e, off);
}

enum date_status
date_parse(const char *s, size_t len, pv_time *out)
{
	size_t b = 0, e = len, i;
	int y, mo, d, h = 0, mi = 0, sec = 0, off = 0, v, nd;
	char sep;

	while (b < e && is_blank(s[b]))
		b++;
	while (e > b && is_blank(s[e - 1]))
		e--;
	if (b == e)
		return DATE_EMPTY;
	if (e - b == 4 && memcmp(s + b, "NULL", 4) == 0)
		return DATE_EMPTY;

	i = digit_run(s, b, e, &v, &nd);
	if (nd == 8 && i < e && s[i] == 'T') {
		/* Manifest billingPeriod: "20191201T000000.000Z". */
		y = v / 10000;
		mo = v / 100 % 100;
		d = v % 100;
		i = digit_run(s, i + 1, e, &v, &nd);
		if (nd != 6)
			return DATE_SYNTAX;
		h = v / 10000;
		mi = v / 100 % 100;
		sec = v % 100;
		i = skip_fraction(s, i, e);
		if (i > e || parse_zone(s, i, e, &off) == -1)
			return DATE_SYNTAX;
	} else {
		if (nd == 4 && i < e && (s[i] == '-' || s[i] == '/')) {
			/* "2015-09-29", "2017/05/01", "2013/11/1". */
			y = v;
			sep = s[i];
			i = digit_run(s, i + 1, e, &mo, &nd);
			if (nd < 1 || nd > 2 || i >= e || s[i] != sep)
				return DATE_SYNTAX;
			i = digit_run(s, i + 1, e, &d, &nd);
			if (nd < 1 || nd > 2)
				return DATE_SYNTAX;
		} else if ((nd == 1 || nd == 2) && i < e && s[i] == '/') {
			/* Excel's US layout, month first: "10/1/18". */
			mo = v;
			i = digit_run(s, i + 1, e, &d, &nd);
			if (nd < 1 || nd > 2 || i >= e || s[i] != '/')
				return DATE_SYNTAX;
			i = digit_run(s, i + 1, e, &y, &nd);
			if (nd == 2)
				y += 2000;
			else if (nd != 4)
				return DATE_SYNTAX;
		} else {
			return DATE_SYNTAX;
		}
		if (i < e) {
			if (s[i] != ' ' && s[i] != 'T')
				return DATE_SYNTAX;
			if (parse_clock(s, i + 1, e, &h, &mi, &sec, &off) == -1)
				return DATE_SYNTAX;
		}
	}

	if (y < YEAR_MIN || y > YEAR_MAX || mo < 1 || mo > 12 || d < 1 ||
	    d > date_days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60)
		return DATE_SYNTAX;
	/* A leap second has no pv_time of its own; it is the second before. */
	if (sec == 60)
		sec = 59;
	*out = date_days_from_civil(y, mo, d) * SECS_PER_DAY +
	    h * 3600 + mi * 60 + sec - off;
	return DATE_OK;
}

int64_t
date_days_from_civil(int y, int m, int d)
{
	int64_t yy, era, yoe, doy, doe;

	/* Count years from March so the leap day is the last of the year. */
	yy = (int64_t)y - (m <= 2);
	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	/* 719468 days from 0000-03-01 to 1970-01-01. */
	return era * 146097 + doe - 719468;
}

void
date_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z, era, doe, yoe, doy, mp, yy;

	if (days > DAYS_LIMIT)
		days = DAYS_LIMIT;
	if (days < -DAYS_LIMIT)
		days = -DAYS_LIMIT;
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	yy = yoe + era * 400 + (*m <= 2);
	*y = (int)yy;
}

int
date_days_in_month(int y, int m)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return mdays[m - 1];
}

static void
put_digits(char *p, int v, int width)
{
	while (width-- > 0) {
		p[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

/*
 * Split t into a civil date and seconds of the day. t is clamped to
 * 0000-01-01..9999-12-31T23:59:59 so the fixed-width outputs can always
 * hold the year.
 */
static void
split_time(pv_time t, int *y, int *m, int *d, int *sod)
{
	const pv_time lo = -62167219200LL;	/* 0000-01-01T00:00:00Z */
	const pv_time hi = 253402300799LL;	/* 9999-12-31T23:59:59Z */
	int64_t days;

	if (t < lo)
		t = lo;
	if (t > hi)
		t = hi;
	days = t / SECS_PER_DAY;
	if (t % SECS_PER_DAY < 0)
		days--;
	*sod = (int)(t - days * SECS_PER_DAY);
	date_civil_from_days(days, y, m, d);
}

void
date_format_day(pv_time t, char out[11])
{
	int y, m, d, sod;

	split_time(t, &y, &m, &d, &sod);
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = '\0';
}

void
date_format_month(pv_time t, char out[8])
{
	int y, m, d, sod;

	split_time(t, &y, &m, &d, &sod);
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '\0';
}

void
date_format_iso(pv_time t, char out[21])
{
	int y, m, d, sod;

	split_time(t, &y, &m, &d, &sod);
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = 'T';
	put_digits(out + 11, sod / 3600, 2);
	out[13] = ':';
	put_digits(out + 14, sod / 60 % 60, 2);
	out[16] = ':';
	put_digits(out + 17, sod % 60, 2);
	out[19] = 'Z';
	out[20] = '\0';
}

pv_time
date_now(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");

	if (sde != NULL && *sde != '\0') {
		char *end;
		long long v = strtoll(sde, &end, 10);

		if (*end == '\0' && v >= 0)
			return (pv_time)v;
	}
	return (pv_time)time(NULL);
}

void
date_now_iso(char out[21])
{
	date_format_iso(date_now(), out);
}
