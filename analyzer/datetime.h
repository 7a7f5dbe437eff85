/*
 * datetime.h - the date and time layouts of AWS billing files, all UTC.
 *
 * Accepted (formats.md §10.6): "2015-09-29 17:00:00", "2017/05/01 00:00:00",
 * "2016/09/01 0:00:00", "2013/11/1 0:00:00", "2018-02-01T00:00:00Z",
 * "2023-11-01T00:00:00.000Z", "2024-10-01 00:00:00", "2024-10-01",
 * "20191201T000000.000Z" (manifests), Excel-damaged US layouts
 * "10/1/18 0:00" and "10/1/2018 0:00:00" (month/day/year), seconds
 * optional, a trailing "Z", "+00:00" or "UTC" accepted. Fractions of a
 * second are ignored. Every field is range-checked ("2026-13-45" fails).
 */
#ifndef PILVI_DATETIME_H
#define PILVI_DATETIME_H

#include <stddef.h>
#include <stdint.h>

/* Seconds since 1970-01-01T00:00:00Z. */
typedef int64_t pv_time;

enum date_status {
	DATE_OK = 0,
	DATE_EMPTY = 1,		/* "", blanks or "NULL": *out untouched */
	DATE_SYNTAX = -1	/* not a date we know, or out of range */
};

enum date_status date_parse(const char *s, size_t len, pv_time *out);

/* Days since 1970-01-01 for a proleptic Gregorian date (no checks). */
int64_t date_days_from_civil(int y, int m, int d);
/* Inverse of date_days_from_civil. */
void date_civil_from_days(int64_t days, int *y, int *m, int *d);
/* Number of days in month m (1..12) of year y. */
int date_days_in_month(int y, int m);

/* "YYYY-MM-DD" of t into out (11 bytes). */
void date_format_day(pv_time t, char out[11]);
/* "YYYY-MM" of t into out (8 bytes). */
void date_format_month(pv_time t, char out[8]);
/* "YYYY-MM-DDTHH:MM:SSZ" of t into out (21 bytes). */
void date_format_iso(pv_time t, char out[21]);

/* The current time as "YYYY-MM-DDTHH:MM:SSZ"; SOURCE_DATE_EPOCH, when
 * set, stands in for the clock (reproducible output for tests). */
void date_now_iso(char out[21]);
/* The same instant as seconds since the epoch. */
pv_time date_now(void);

#endif
