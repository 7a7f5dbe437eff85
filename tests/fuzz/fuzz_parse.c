/*
 * fuzz_parse.c - the money and date parsers (money.c, datetime.c) on any
 * text. Properties: an amount that parses prints back (with its places)
 * as text that parses to the same amount; a date that parses formats as
 * a day that parses back to the same day.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "fuzz.h"
#include "money.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	money_t m, back;
	pv_time t, day;
	int places;
	char buf[40], iso[21];

	if (money_parse(s, size, &m, &places) == MONEY_OK) {
		if (places < 0 || places > MONEY_PLACES)
			abort();
		money_format(buf, sizeof(buf), m, MONEY_PLACES);
		if (money_parse(buf, strlen(buf), &back, NULL) != MONEY_OK ||
		    back != m)
			abort();
	}
	if (date_parse(s, size, &t) == DATE_OK) {
		date_format_day(t, buf);
		if (date_parse(buf, strlen(buf), &day) != DATE_OK ||
		    day != t - (t % 86400 + 86400) % 86400)
			abort();
		date_format_iso(t, iso);
		if (date_parse(iso, strlen(iso), &day) != DATE_OK || day != t)
			abort();
	}
	return 0;
}
