/*
 * pilvi-backtest: how good the budget estimate is, measured.
 *
 *	pilvi-backtest [--without PART]... [--cut-days LIST] [--ablation]
 *	    [--calibrate FILE] [--samples DIR] [--trials FAMILY|all]
 *	    [--no-deliveries] CORPUS...
 *
 * A CORPUS is a folder written by pilvi-corpus (fixtures/corpus.c):
 * corpus.csv names each payer's family of month shapes, <payer>-<month>.csv
 * are complete months, deliveries/<payer>-<month>-d<K>.csv what AWS
 * would have delivered on day K. Each corpus is ingested into a private
 * in-memory database through the same code as `pilvi-analyzer ingest`;
 * then
 *  - every complete month is cut at days 7, 14 and 21 (estimate.c's
 *    backtest, the same as `pilvi-analyzer estimate --backtest`);
 *  - every delivery is estimated in a database that holds the payer's
 *    earlier months and that delivery only, and compared with the
 *    complete month;
 *  - with --samples, every billing file in DIR (the public samples) is
 *    backtested on its own.
 * It prints, per family and cut day, the mean absolute error of ours,
 * of the run-rate and of the naive projection, our bias and how often
 * the 80 % range held the truth. --ablation repeats the month cuts with
 * each part of the forecast off. --calibrate FILE cuts every month at
 * each day from 2 to 28 instead and writes the table of measured errors
 * (schema/estimate-errors.csv) the range is made from.
 *
 * A developer's tool: it links the analyzer's core, prints to stdout
 * and exits on the first fatal error.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration.h"
#include <sqlite3.h>

#include "estimate.h"
#include "forecast.h"
#include "ingest.h"
#include "store.h"
#include "xalloc.h"

#define PROG "pilvi-backtest"
#define MAX_FAMILIES 64
#define MAX_CUTS 32	/* cut days of one run */

struct payer_family {
	char payer[16];
	char family[32];
	char months[3][8];	/* its months, oldest first */
	int change[3];		/* day of each month's latest change, 0 none */
	int has_expected;
	double expected[3][3];	/* usage the model expects from the cut
				 * day (7, 14, 21) on, each month; USD */
};

/* A trial with the family it belongs to. */
struct result {
	struct estimate_trial t;
	char family[48];
	int delivery;		/* KIND_MONTH, KIND_DELIVERY or KIND_SAMPLE */
	int later_change;	/* the month changes on the cut day or later */
	int has_floor;
	double floor;		/* the error had the estimate known the
				 * expected usage of the days left: their
				 * noise alone; percent, signed */
};

/* Where a trial comes from. */
enum { KIND_MONTH, KIND_DELIVERY, KIND_SAMPLE };

struct results {
	struct result *v;
	size_t n, cap;
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
    noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(3);
}

static void
die_err(const struct pv_error *err)
{
	fprintf(stderr, "%s: %s%s%s\n", PROG, err->file[0] ? err->file : "",
	    err->file[0] ? ": " : "", err->msg);
	exit(3);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir ending in suffix, sorted; the caller frees them. */
static char **
list_dir(const char *dir, const char *suffix, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cap = 0, ls = strlen(suffix);

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if (e->d_name[0] == '.' || l < ls ||
		    strcmp(e->d_name + l - ls, suffix) != 0)
			continue;
		v = xgrow(v, &cap, *n + 1, sizeof(*v));
		v[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_str);
	return v;
}

static void
free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static struct payer_family *
read_corpus(const char *dir, size_t *n)
{
	char path[4096], line[512];
	struct payer_family *v = NULL;
	size_t cap = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/corpus.csv", dir);
	if ((fp = fopen(path, "r")) == NULL)
		die("cannot open '%s'", path);
	*n = 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		struct payer_family f;
		int k;

		memset(&f, 0, sizeof(f));
		if (strncmp(line, "payer,", 6) == 0)
			continue;
		k = sscanf(line, "%15[^,],%31[^,],%*[^,],%7s %7s %7s,%*[^,],"
		    "%d %d %d,%lf %lf %lf %lf %lf %lf %lf %lf %lf", f.payer,
		    f.family, f.months[0], f.months[1], f.months[2],
		    &f.change[0], &f.change[1], &f.change[2],
		    &f.expected[0][0], &f.expected[0][1], &f.expected[0][2],
		    &f.expected[1][0], &f.expected[1][1], &f.expected[1][2],
		    &f.expected[2][0], &f.expected[2][1], &f.expected[2][2]);
		if (k < 2)
			continue;
		f.has_expected = k == 17;
		v = xgrow(v, &cap, *n + 1, sizeof(*v));
		v[(*n)++] = f;
	}
	fclose(fp);
	return v;
}

/* Does the trial's month change on its cut day or later (a change no
 * method can see)? */
static int
change_follows(const struct payer_family *pf, size_t n,
    const struct estimate_trial *t)
{
	size_t i;
	int m;

	for (i = 0; i < n; i++)
		if (strcmp(pf[i].payer, t->payer) == 0)
			for (m = 0; m < 3; m++)
				if (strcmp(pf[i].months[m], t->period) == 0)
					return pf[i].change[m] >= t->cut_day;
	return 0;
}

/*
 * The noise floor of a month cut: had the estimate known the usage the
 * corpus model expects for the days left (corpus.csv's expected), it
 * would have missed by their noise only: (expected - actual usage of
 * those days) / the actual month. Returns 1 and sets *out, 0 when the
 * corpus does not say.
 */
static int
noise_floor(struct store *st, const struct payer_family *pf, size_t n,
    const struct estimate_trial *t, double *out)
{
	static const char sql[] =
	    "SELECT COALESCE(SUM(cd.cost), 0) FROM cost_day cd JOIN account a "
	    "ON a.id = cd.payer WHERE a.account_id = ?1 AND cd.period = ?2 "
	    "AND cd.class = 'usage' AND cd.day >= ?3";
	sqlite3_stmt *q;
	char day[11];
	size_t i;
	int m, c = t->cut_day / 7 - 1, rc;
	double after;

	if (t->cut_day % 7 != 0 || c < 0 || c > 2 || t->actual == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(pf[i].payer, t->payer) == 0)
			break;
	if (i == n || !pf[i].has_expected)
		return 0;
	for (m = 0; m < 3 && strcmp(pf[i].months[m], t->period) != 0; m++)
		;
	if (m == 3)
		return 0;
	snprintf(day, sizeof(day), "%s-%02d", t->period, t->cut_day);
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &q, NULL) != SQLITE_OK)
		die("reading usage: %s", sqlite3_errmsg(store_db(st)));
	sqlite3_bind_text(q, 1, t->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, t->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	after = rc == SQLITE_ROW ? (double)sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		die("reading usage: %s", sqlite3_errmsg(store_db(st)));
	*out = 100.0 * (pf[i].expected[m][c] * 1e10 - after) /
	    (double)t->actual;
	return 1;
}

static const char *
family_of(const struct payer_family *pf, size_t n, const char *payer)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(pf[i].payer, payer) == 0)
			return pf[i].family;
	return "?";
}

static void
ingest(struct store *st, const char *path)
{
	struct ingest_options o;
	struct ingest_result r;
	struct pv_error err;

	ingest_options_default(&o);
	memset(&r, 0, sizeof(r));
	pv_error_clear(&err);
	if (ingest_file(st, path, &o, &r, &err) != 0) {
		if (err.kind == PV_ERR_FATAL)
			die_err(&err);
		fprintf(stderr, "%s: %s:%ld: %s (skipped)\n", PROG, path,
		    (long)err.line, err.msg);
	}
	ingest_result_release(&r);
}

static void
add_result(struct results *rs, const struct estimate_trial *t,
    const char *family, int delivery, int later_change)
{
	struct result *r;

	rs->v = xgrow(rs->v, &rs->cap, rs->n + 1, sizeof(*rs->v));
	r = &rs->v[rs->n++];
	r->t = *t;
	r->t.payer = xstrdup(t->payer);
	r->t.period = xstrdup(t->period);
	snprintf(r->family, sizeof(r->family), "%s", family);
	r->delivery = delivery;
	r->later_change = later_change;
	r->has_floor = 0;
}

static void
results_free(struct results *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		free(rs->v[i].t.payer);
		free(rs->v[i].t.period);
	}
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

/* The month cuts of every payer in st. */
static void
cut_months(struct store *st, const int *cuts, int ncuts, unsigned parts,
    const struct payer_family *pf, size_t npf, const char *label,
    struct results *rs)
{
	struct estimate_backtest_options o = { NULL, cuts, ncuts,
	    parts | FORECAST_EXACT };
	struct estimate_backtest *b;
	struct pv_error err;
	size_t i;

	pv_error_clear(&err);
	if (estimate_backtest(st, &o, &b, &err) != 0)
		die_err(&err);
	for (i = 0; i < b->ntrials; i++) {
		struct result *r;

		add_result(rs, &b->trials[i], label ? label :
		    family_of(pf, npf, b->trials[i].payer), label ?
		    KIND_SAMPLE : KIND_MONTH, change_follows(pf, npf,
		    &b->trials[i]));
		r = &rs->v[rs->n - 1];
		r->has_floor = label == NULL && noise_floor(st, pf, npf,
		    &b->trials[i], &r->floor);
	}
	for (i = 0; i < b->nskipped && label != NULL; i++)
		printf("%s: skipped payer %s, %s: %s\n", label,
		    b->skipped[i].payer, b->skipped[i].period,
		    b->skipped[i].why);
	estimate_backtest_free(b);
}

/*
 * Each delivery of the corpus in dir: a database with the payer's
 * earlier months and the delivery, estimated, against the complete
 * month's amount in full (the corpus database).
 */
static void
deliveries(const char *dir, struct store *full, unsigned parts,
    const struct payer_family *pf, size_t npf, struct results *rs)
{
	char sub[4096], path[8192];
	char **files, **months;
	size_t nfiles, nmonths, i, k;

	snprintf(sub, sizeof(sub), "%s/deliveries", dir);
	files = list_dir(sub, ".csv", &nfiles);
	months = list_dir(dir, ".csv", &nmonths);
	for (i = 0; i < nfiles; i++) {
		char payer[16], month[8];
		int cut;
		struct store *st;
		struct pv_error err;
		struct estimate_options eo;
		struct estimate *e = NULL, *whole = NULL;
		struct estimate_trial t;

		if (sscanf(files[i], "%15[0-9]-%7[0-9-]-d%d.csv", payer, month,
		    &cut) != 3)
			continue;
		pv_error_clear(&err);
		if (store_open(&st, NULL, &err) != 0)
			die_err(&err);
		for (k = 0; k < nmonths; k++) {
			size_t lp = strlen(payer);

			/* the payer's months before this one */
			if (strncmp(months[k], payer, lp) != 0 ||
			    months[k][lp] != '-' ||
			    strncmp(months[k] + lp + 1, month, 7) >= 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, months[k]);
			ingest(st, path);
		}
		snprintf(path, sizeof(path), "%s/%s", sub, files[i]);
		ingest(st, path);
		memset(&eo, 0, sizeof(eo));
		eo.payer = payer;
		eo.month = month;
		eo.parts = parts | FORECAST_EXACT;
		if (estimate_build(st, &eo, &e, &err) != 0 ||
		    estimate_build(full, &eo, &whole, &err) != 0)
			die_err(&err);
		if (e->npayers == 1 && whole->npayers == 1) {
			estimate_judge(&e->payers[0], &whole->payers[0], cut,
			    &t);
			add_result(rs, &t, family_of(pf, npf, payer),
			    KIND_DELIVERY, change_follows(pf, npf, &t));
		}
		estimate_free(e);
		estimate_free(whole);
		store_close(st);
	}
	free_list(files, nfiles);
	free_list(months, nmonths);
}

/* ---- tables ---------------------------------------------------------- */

struct score {
	int n, in, nvis, nfloor;
	double ours, rr, naive, bias, vis, vis2, floor;
};

static void
score_add(struct score *s, const struct result *r)
{
	if (!r->later_change) {
		s->nvis++;
		s->vis += fabs(r->t.err_ours);
		s->vis2 += r->t.err_ours * r->t.err_ours;
	}
	if (r->has_floor) {
		s->nfloor++;
		s->floor += fabs(r->floor);
	}
	s->n++;
	s->ours += fabs(r->t.err_ours);
	s->rr += fabs(r->t.err_run_rate);
	s->naive += fabs(r->t.err_naive);
	s->bias += r->t.err_ours;
	s->in += r->t.actual >= r->t.low && r->t.actual <= r->t.high;
}

static void
score_print(const char *name, int cut, const struct score *s)
{
	if (s->n == 0)
		return;
	printf("%-26s %3d %5d %7.2f %8.2f %7.2f", name, cut, s->n,
	    s->ours / s->n, s->rr / s->n, s->naive / s->n);
	if (s->nfloor == s->n)
		printf(" %6.2f", s->floor / s->nfloor);
	else
		printf(" %6s", "-");
	printf(" %+7.2f %6.0f%%", s->bias / s->n, 100.0 * s->in / s->n);
	if (s->nvis > 0)
		printf(" %5d %7.2f\n", s->nvis, s->vis / s->nvis);
	else
		printf(" %5d %7s\n", 0, "-");
}

/* The families in order of first appearance. */
static size_t
families(const struct results *rs, int delivery, const char **out)
{
	size_t i, j, n = 0;

	for (i = 0; i < rs->n; i++) {
		if (rs->v[i].delivery != delivery)
			continue;
		for (j = 0; j < n && strcmp(out[j], rs->v[i].family) != 0; j++)
			;
		if (j == n && n < MAX_FAMILIES)
			out[n++] = rs->v[i].family;
	}
	return n;
}

static void
print_trials(const struct results *rs, const char *family)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		const struct estimate_trial *t = &rs->v[i].t;

		if (family != NULL && strcmp(rs->v[i].family, family) != 0)
			continue;
		printf("%-12s %c %s %s cut %2d days %2d hist %d actual %12.2f "
		    "ours %12.2f (%+6.1f%%) run-rate %+6.1f%% range %.2f..%.2f "
		    "noise %.3f%s\n", rs->v[i].family, "MDR"[rs->v[i].delivery],
		    t->payer, t->period, t->cut_day, t->days_observed,
		    t->history, t->actual / 1e10, t->ours / 1e10, t->err_ours,
		    t->err_run_rate, t->low / 1e10, t->high / 1e10, t->noise,
		    rs->v[i].later_change ? " change-follows" : "");
	}
}

/* The standard error of the mean absolute error of the months whose
 * change is visible: how far another corpus of as many months could
 * put it. */
static double
score_vis_se(const struct score *s)
{
	double m, var;

	if (s->nvis < 2)
		return 0;
	m = s->vis / s->nvis;
	var = (s->vis2 - s->nvis * m * m) / (s->nvis - 1);
	return var > 0 ? sqrt(var / s->nvis) : 0;
}

static void
print_table(const struct results *rs, const int *cuts, int ncuts)
{
	const char *fam[MAX_FAMILIES];
	struct score visible[MAX_CUTS];
	size_t nf, i, f;
	int c, d;

	printf("%-26s %3s %5s %7s %8s %7s %6s %7s %7s %5s %7s\n", "FAMILY",
	    "CUT", "N", "OURS", "RUN-RATE", "NAIVE", "FLOOR", "BIAS", "IN80",
	    "N VIS", "OURS VIS");
	for (d = KIND_MONTH; d <= KIND_SAMPLE; d++) {
		nf = families(rs, d, fam);
		for (f = 0; f < nf; f++) {
			for (c = 0; c < ncuts; c++) {
				struct score s = { 0 };
				char name[80];

				for (i = 0; i < rs->n; i++)
					if (rs->v[i].delivery == d &&
					    rs->v[i].t.cut_day == cuts[c] &&
					    strcmp(rs->v[i].family, fam[f]) ==
					    0)
						score_add(&s, &rs->v[i]);
				snprintf(name, sizeof(name), "%s%s", d ==
				    KIND_DELIVERY ? "delivered " : "", fam[f]);
				score_print(name, cuts[c], &s);
			}
		}
	}
	printf("\n");
	for (c = 0; c < ncuts; c++) {
		struct score all = { 0 }, vis = { 0 }, later = { 0 },
		    del = { 0 }, real = { 0 };

		for (i = 0; i < rs->n; i++) {
			const struct result *r = &rs->v[i];

			if (r->t.cut_day != cuts[c])
				continue;
			if (r->delivery == KIND_SAMPLE) {
				score_add(&real, r);
				continue;
			}
			score_add(&all, r);
			if (r->delivery == KIND_DELIVERY)
				score_add(&del, r);
			else if (r->later_change)
				score_add(&later, r);
			else
				score_add(&vis, r);
		}
		score_print("corpus, all", cuts[c], &all);
		score_print("months, change visible", cuts[c], &vis);
		visible[c] = vis;
		score_print("months, change may follow", cuts[c], &later);
		score_print("deliveries", cuts[c], &del);
		score_print("real samples", cuts[c], &real);
	}
	printf("(mean absolute error in percent of the actual month; FLOOR: "
	    "had the estimate\n known the usage the corpus model expects for "
	    "the days left, their noise\n alone; BIAS: ours, signed; IN80: "
	    "share of actual months inside the 80 %%\n range; VIS, change "
	    "visible: every step, burst, new account or plan bought\n of the "
	    "month had a whole day at its level before the cut)\n");
	printf("standard error of OURS VIS, months (the spread of their errors "
	    "/ the square\n root of their number):");
	for (c = 0; c < ncuts; c++)
		if (visible[c].nvis > 0)
			printf("%s %.2f at day %d", c ? "," : "",
			    score_vis_se(&visible[c]), cuts[c]);
	printf("\n");
}

/* ---- ablation --------------------------------------------------------- */

/* Mean absolute error of the month cuts of a family (NULL: all) at a
 * cut day; visible: only months whose change had a whole day before
 * the cut. */
static double
family_mae(const struct results *rs, const char *family, int cut,
    int visible)
{
	double s = 0;
	size_t i;
	int n = 0;

	for (i = 0; i < rs->n; i++)
		if (rs->v[i].t.cut_day == cut &&
		    rs->v[i].delivery == KIND_MONTH &&
		    (!visible || !rs->v[i].later_change) &&
		    (family == NULL || strcmp(rs->v[i].family, family) == 0)) {
			s += fabs(rs->v[i].t.err_ours);
			n++;
		}
	return n ? s / n : 0;
}

/* The family a part helps least (the rise of its error without the
 * part; negative: the part hurts it). */
static double
worst_family(const struct results *with, const struct results *without,
    const char **fam, size_t nf, int cut, int visible, const char **which,
    int *n)
{
	double worst = 1e9;
	size_t f, i;

	*which = "-";
	*n = 0;
	for (f = 0; f < nf; f++) {
		double g = family_mae(without, fam[f], cut, visible) -
		    family_mae(with, fam[f], cut, visible);

		if (g < worst) {
			worst = g;
			*which = fam[f];
		}
	}
	for (i = 0; i < with->n; i++)
		*n += with->v[i].t.cut_day == cut &&
		    with->v[i].delivery == KIND_MONTH &&
		    (!visible || !with->v[i].later_change) &&
		    strcmp(with->v[i].family, *which) == 0;
	return worst;
}

static void
ablation(struct store **st, const struct payer_family **pf,
    const size_t *npf, int ncorp, const int *cuts, int ncuts)
{
	struct results base = { 0 };
	const char *fam[MAX_FAMILIES];
	size_t nf;
	int k, c, i;

	for (i = 0; i < ncorp; i++)
		cut_months(st[i], cuts, ncuts, forecast_default_parts, pf[i],
		    npf[i], NULL, &base);
	nf = families(&base, 0, fam);
	printf("\nablation: mean absolute error of the month cuts with every "
	    "default part, and\nwith one part off; GAIN: how much the error "
	    "rises without it; WORST: the\nfamily the part helps least (a "
	    "negative gain: the part hurts it), over all\nmonths and over "
	    "the months whose change had a whole day before the cut\n");
	printf("%-10s %3s %6s %7s %6s  %-26s %s\n", "PART", "CUT", "WITH",
	    "WITHOUT", "GAIN", "WORST (ALL, N)", "WORST (CHANGE VISIBLE, N)");
	for (k = 0; k < FORECAST_NPARTS; k++) {
		unsigned bit = 1u << k;
		struct results off = { 0 };

		if (!(forecast_default_parts & bit))
			continue;
		for (i = 0; i < ncorp; i++)
			cut_months(st[i], cuts, ncuts,
			    forecast_default_parts & ~bit, pf[i], npf[i], NULL,
			    &off);
		for (c = 0; c < ncuts; c++) {
			double with = family_mae(&base, NULL, cuts[c], 0);
			double without = family_mae(&off, NULL, cuts[c], 0);
			const char *wa, *wv;
			int na, nv;
			double ga = worst_family(&base, &off, fam, nf, cuts[c],
			    0, &wa, &na);
			double gv = worst_family(&base, &off, fam, nf, cuts[c],
			    1, &wv, &nv);
			char a[48];

			snprintf(a, sizeof(a), "%s %+.2f (%d)", wa, ga, na);
			printf("%-10s %3d %6.2f %7.2f %+6.2f  %-26s %s %+.2f "
			    "(%d)\n", forecast_part_name(bit), cuts[c], with,
			    without, without - with, a, wv, gv, nv);
		}
		results_free(&off);
	}
	results_free(&base);
}

/* ---- calibration ------------------------------------------------------ */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
quantile(double *v, int n, double q)
{
	double pos, frac;
	int lo;

	if (n == 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	pos = q * (n - 1);
	lo = (int)pos;
	frac = pos - lo;
	return lo + 1 < n ? v[lo] * (1 - frac) + v[lo + 1] * frac : v[lo];
}

/* Rows of the measured-error table for one selection of trials. */
static void
calibrate_row(FILE *out, const struct results *rs, int days,
    const char *noise, int history)
{
	double *r = xmalloc((rs->n + 1) * sizeof(*r));
	double *a = xmalloc((rs->n + 1) * sizeof(*a));
	char last[64] = "";
	size_t i;
	int n = 0, months = 0;

	for (i = 0; i < rs->n; i++) {
		const struct estimate_trial *t = &rs->v[i].t;
		char key[64];

		if (t->days_observed != days || t->projected <= 0 ||
		    (strcmp(noise, "any") != 0 && strcmp(noise,
		    calibration_noise_class(t->noise)) != 0) ||
		    (history >= 0 && t->history != history))
			continue;
		r[n] = ((double)t->actual - (double)t->ours) /
		    (double)t->projected;
		a[n] = fabs(t->err_ours);
		n++;
		snprintf(key, sizeof(key), "%s %s", t->payer, t->period);
		if (strcmp(key, last) != 0)
			months++;
		snprintf(last, sizeof(last), "%s", key);
	}
	if (n >= CALIBRATION_MIN_TRIALS) {
		double lo = quantile(r, n, CALIBRATION_LOW_QUANTILE);
		double hi = quantile(r, n, CALIBRATION_HIGH_QUANTILE);

		fprintf(out, "%d,%s,%s,%d,%d,%.4f,%.4f,%.2f\n", days, noise,
		    history < 0 ? "any" : history ? "1" : "0", n, months, lo,
		    hi, quantile(a, n, 0.5));
	}
	free(r);
	free(a);
}

static void
calibrate(const char *path, const struct results *rs)
{
	static const char *const noises[] = { "low", "mid", "high", "any" };
	FILE *out = fopen(path, "w");
	int days, h, k;

	if (out == NULL)
		die("cannot create '%s'", path);
	fputs("days,noise,history,trials,months,q10,q90,typical_pct\n", out);
	for (days = 0; days <= 31; days++)
		for (h = -1; h <= 1; h++)
			for (k = 0; k < 4; k++)
				calibrate_row(out, rs, days, noises[k], h);
	if (fclose(out) != 0)
		die("cannot write '%s'", path);
}

/* ---- main ------------------------------------------------------------- */

static void
usage(void)
{
	fprintf(stderr, "usage: %s [--without PART]... [--cut-days LIST] "
	    "[--ablation]\n       [--calibrate FILE] [--samples DIR] "
	    "[--trials FAMILY|all] [--no-deliveries] CORPUS...\n", PROG);
	exit(2);
}

int
main(int argc, char **argv)
{
	static int cuts[MAX_CUTS] = { 7, 14, 21 };
	int ncuts = 3, a, do_ablation = 0, do_deliveries = 1, ncorp = 0, i;
	unsigned parts = forecast_default_parts;
	const char *calib = NULL, *samples = NULL, *trials = NULL;
	const char *corp[16];
	struct store *st[16];
	const struct payer_family *pfs[16];
	size_t npfs[16];
	struct results rs = { 0 };

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--without") == 0 && a + 1 < argc) {
			unsigned bit = forecast_part_by_name(argv[++a]);

			if (bit == 0) {
				char list[200] = "";
				int k;

				for (k = 0; k < FORECAST_NPARTS; k++)
					snprintf(list + strlen(list),
					    sizeof(list) - strlen(list), "%s%s",
					    k ? ", " : "",
					    forecast_part_name(1u << k));
				die("unknown part '%s' (%s)", argv[a], list);
			}
			parts &= ~bit;
		} else if (strcmp(argv[a], "--cut-days") == 0 && a + 1 < argc) {
			char *p = argv[++a], *end;

			for (ncuts = 0; *p && ncuts < MAX_CUTS; ncuts++) {
				long v = strtol(p, &end, 10);

				if (end == p || v < 2 || v > 31)
					usage();
				cuts[ncuts] = (int)v;
				p = *end == ',' ? end + 1 : end;
			}
		} else if (strcmp(argv[a], "--ablation") == 0)
			do_ablation = 1;
		else if (strcmp(argv[a], "--no-deliveries") == 0)
			do_deliveries = 0;
		else if (strcmp(argv[a], "--calibrate") == 0 && a + 1 < argc)
			calib = argv[++a];
		else if (strcmp(argv[a], "--trials") == 0 && a + 1 < argc)
			trials = argv[++a];
		else if (strcmp(argv[a], "--samples") == 0 && a + 1 < argc)
			samples = argv[++a];
		else if (argv[a][0] == '-')
			usage();
		else if (ncorp < 16)
			corp[ncorp++] = argv[a];
	}
	if (ncorp == 0 && samples == NULL)
		usage();
	if (calib != NULL) {
		/* every day of the month, for the table */
		for (ncuts = 0; ncuts < 27; ncuts++)
			cuts[ncuts] = ncuts + 2;
		do_deliveries = 0;
	}
	for (i = 0; i < ncorp; i++) {
		char **files;
		size_t nfiles, k;
		struct pv_error err;

		pfs[i] = read_corpus(corp[i], &npfs[i]);
		pv_error_clear(&err);
		if (store_open(&st[i], NULL, &err) != 0)
			die_err(&err);
		files = list_dir(corp[i], ".csv", &nfiles);
		for (k = 0; k < nfiles; k++) {
			char path[4096];

			if (strcmp(files[k], "corpus.csv") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", corp[i],
			    files[k]);
			ingest(st[i], path);
		}
		free_list(files, nfiles);
		cut_months(st[i], cuts, ncuts, parts, pfs[i], npfs[i], NULL,
		    &rs);
		if (do_deliveries)
			deliveries(corp[i], st[i], parts, pfs[i], npfs[i], &rs);
	}
	if (samples != NULL) {
		char **files;
		size_t nfiles, k;

		files = list_dir(samples, "", &nfiles);
		for (k = 0; k < nfiles; k++) {
			char path[4096], label[48];
			struct store *s;
			struct pv_error err;
			size_t l = strlen(files[k]);

			if (!(strstr(files[k], ".csv") != NULL) ||
			    (l > 5 && strcmp(files[k] + l - 5, ".json") == 0))
				continue;
			pv_error_clear(&err);
			if (store_open(&s, NULL, &err) != 0)
				die_err(&err);
			snprintf(path, sizeof(path), "%s/%s", samples,
			    files[k]);
			ingest(s, path);
			snprintf(label, sizeof(label), "real %.42s", files[k]);
			cut_months(s, cuts, ncuts, parts, NULL, 0, label, &rs);
			store_close(s);
		}
		free_list(files, nfiles);
		printf("\n");
	}
	if (trials != NULL)
		print_trials(&rs, strcmp(trials, "all") == 0 ? NULL : trials);
	if (calib != NULL)
		calibrate(calib, &rs);
	else
		print_table(&rs, cuts, ncuts);
	if (do_ablation)
		ablation(st, pfs, npfs, ncorp, cuts, ncuts);
	results_free(&rs);
	for (i = 0; i < ncorp; i++) {
		store_close(st[i]);
		free((void *)pfs[i]);
	}
	return 0;
}
