/*
 * calibration.c - the table of measured errors (see calibration.h).
 *
 * The table is small (a few hundred rows) and read once, on first use.
 * Its format, one row per line after a header:
 *	days,noise,history,trials,months,q10,q90,typical_pct
 * noise is low|mid|high|any, history 0|1|any.
 */
#include "calibration.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

extern const char *const schema_data_names[];
extern const char *const schema_data_texts[];

#define TABLE_FILE "estimate-errors.csv"

static const char *const noise_names[] = { "low", "mid", "high", "any" };

static struct calibration *rows;
static size_t nrows;
static pthread_once_t once = PTHREAD_ONCE_INIT;

const char *
calibration_noise_class(double noise)
{
	if (noise < 0.05)
		return noise_names[0];
	if (noise < 0.15)
		return noise_names[1];
	return noise_names[2];
}

static const char *
noise_name(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(noise_names) / sizeof(noise_names[0]); i++)
		if (strlen(noise_names[i]) == n && memcmp(s, noise_names[i],
		    n) == 0)
			return noise_names[i];
	return NULL;
}

static int
parse(const char *text)
{
	struct calibration *v = NULL;
	size_t n = 0, cap = 0;
	const char *p = text, *nl;
	int line = 0;

	for (; *p != '\0'; p = *nl ? nl + 1 : nl) {
		char noise[8], hist[8], buf[256];
		struct calibration c;
		size_t len;

		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		len = (size_t)(nl - p);
		if (++line == 1 || len == 0)
			continue;	/* the header, empty lines */
		if (len >= sizeof(buf))
			goto bad;
		memcpy(buf, p, len);
		buf[len] = '\0';
		memset(&c, 0, sizeof(c));
		if (sscanf(buf, "%d,%7[a-z],%7[a-z0-9],%d,%d,%lf,%lf,%lf",
		    &c.days, noise, hist, &c.trials, &c.months, &c.q_low,
		    &c.q_high, &c.typical) != 8 || c.days < 0 ||
		    (c.noise = noise_name(noise, strlen(noise))) == NULL)
			goto bad;
		if (strcmp(hist, "any") == 0)
			c.history = -1;
		else if (strcmp(hist, "0") == 0 || strcmp(hist, "1") == 0)
			c.history = hist[0] - '0';
		else
			goto bad;
		v = xgrow(v, &cap, n + 1, sizeof(*v));
		v[n++] = c;
	}
	free(rows);
	rows = v;
	nrows = n;
	return 0;
bad:
	free(v);
	return -1;
}

static void
load_compiled(void)
{
	size_t i;

	for (i = 0; schema_data_names[i] != NULL; i++)
		if (strcmp(schema_data_names[i], TABLE_FILE) == 0)
			parse(schema_data_texts[i]);
}

int
calibration_load(const char *text)
{
	/* the compiled table is read first, so that this one stays */
	pthread_once(&once, load_compiled);
	return parse(text);
}

static const struct calibration *
find(int days, const char *noise, int history)
{
	size_t i;

	for (i = 0; i < nrows; i++)
		if (rows[i].days == days && rows[i].noise == noise &&
		    rows[i].history == history &&
		    rows[i].trials >= CALIBRATION_MIN_TRIALS)
			return &rows[i];
	return NULL;
}

int
calibration_lookup(int days, double noise, int history,
    struct calibration *out)
{
	const char *cls = calibration_noise_class(noise), *any = "any";
	const struct calibration *c = NULL;
	int d, best = -1;
	size_t i;

	pthread_once(&once, load_compiled);
	if (nrows == 0)
		return -1;
	/* the nearest number of days the table holds */
	for (i = 0; i < nrows; i++) {
		int gap = abs(rows[i].days - days);

		if (rows[i].trials >= CALIBRATION_MIN_TRIALS &&
		    (best < 0 || gap < abs(best - days) || (gap == abs(best -
		    days) && rows[i].days < best)))
			best = rows[i].days;
	}
	if (best < 0)
		return -1;
	d = best;
	any = noise_name("any", 3);
	if ((c = find(d, cls, history)) == NULL &&
	    (c = find(d, any, history)) == NULL &&
	    (c = find(d, any, -1)) == NULL)
		return -1;
	*out = *c;
	return 0;
}
