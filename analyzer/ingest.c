/*
 * ingest.c - drive one file through the pipeline and keep the file's
 * own bookkeeping: payer-months, per-class sums, total rows, warnings,
 * account ids damaged by spreadsheets.
 */
#include "ingest.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "csvread.h"
#include "filetype.h"
#include "format.h"
#include "lineset.h"
#include "readahead.h"
#include "sketch.h"
#include "sha256.h"
#include "xalloc.h"

#define MAX_WARNINGS 50

struct pending_total {
	enum total_kind kind;
	char payer[64], account[64], account_name[128], invoice_id[64];
	pv_time period;
	money_t amount;
	char month[8];		/* the payer-month it was matched to */
	int matched;
};

/* Cost carried by one tag key: key is
 * "payer\x1fYYYY-MM\x1faccount\x1fview\x1ftag". */
struct tag_entry {
	char *key;		/* NULL: empty slot */
	size_t len;
	uint64_t hash;
	money_t cost;
	long lines;
	int first_day, last_day;	/* move lines: days since 1970 */
};

/* An open-addressing table of tag_entry by key. */
struct tag_table {
	struct tag_entry *v;
	size_t cap, n;
};

struct provider_tally {
	char name[64];
	long rows;
	money_t cost;
	int places;
};

/* An account id as the file wrote it, and what we know of it. */
struct seen_account {
	char id[64];
	char name[128];
	long line;		/* first line it was seen on */
	int damaged;		/* "8.62902E+11": spreadsheet scientific notation */
	int odd;		/* not 12 digits (anonymised, or zeros lost) */
	char where[64];		/* where it was first seen, for warnings */
};

struct ingest_ctx {
	struct store *st;
	struct ingest_result *res;
	const struct ingest_options *opt;
	struct readahead *ra;	/* the input, read on a second thread */
	char display[1024];	/* name of the current member in errors */
	char member[512];	/* archive member name; "" for plain and gzip */
	char where[600];	/* scratch for where() */
	struct format *fmt;
	int have_kind;
	char cost_basis[16];	/* of the first member: format_cost_basis() */
	enum format_kind kind;
	long member_rows;
	int open_month;		/* an EstimatedDisclaimer row was seen */
	pv_time through;	/* its "activity through approximately" time */
	pv_time last_period;	/* for rows without a date */
	size_t cur_period;	/* cache: index of the last period used */
	pv_time cur_period_t;	/* ... and the period time it was found for */
	struct pending_total *totals;
	size_t ntotals, totals_cap;
	struct provider_tally *providers;
	size_t nproviders, providers_cap;
	char **unknown_types;
	size_t nunknown, unknown_cap;
	long splits;		/* split cost allocation rows left out */
	char split_where[600];	/* where() of the first */
	money_t split_cost;	/* their own unblended cost, summed */
	int split_places;	/* decimal places it was written with */
	struct seen_account *accounts;
	size_t naccounts, accounts_cap;
	size_t last_account;	/* cache for the per-row id check */
	int *est_open, *est_final;	/* per period: rows saying open / final */
	pv_time *usage_end;	/* per period: end of the latest short line */
	struct sketch *sketches;	/* per period: its lines' identities */
	struct sketch_pending pending;	/* lines for them, hashed at the end
					 * of each batch of records */
	struct lineset_marker seen;	/* the lines so far, on the reading
					 * thread, to leave out repeats */
	int repeat_mark;	/* the record at hand repeats an earlier one */
	long charge_rows;	/* rows of charges, repeats included */
	long repeats;		/* rows left out as repeats */
	long first_repeat;	/* the line of the first */
	long first_repeat_row;	/* ... and its place among charge_rows */
	char repeat_id[80];	/* its line id, "" when it has none */
	char repeat_currency[8];
	money_t repeat_cost;	/* what the repeats would have added */
	size_t est_cap;
	size_t periods_cap;
	long records;
	pv_time now;		/* for service lists without a month */
	struct tag_table tags;	/* tag key use per payer-month and account */
	/* lines the move checklist reads, per payer-month, account and
	 * what they name; key "payer US month US account US view US kind
	 * US class US ref US name US end US line type US currency" */
	struct tag_table moves;
};

/* What ingest_options_default gives: the cores available, unless
 * ingest_set_default_jobs said otherwise. */
static int default_jobs;

void
ingest_set_default_jobs(int jobs)
{
	default_jobs = jobs;
}

void
ingest_options_default(struct ingest_options *o)
{
	long cores;

	memset(o, 0, sizeof(*o));
	source_limits_default(&o->limits);
	o->jobs = default_jobs;
	if (o->jobs <= 0)
		o->jobs = (cores = sysconf(_SC_NPROCESSORS_ONLN)) > 0 ?
		    (int)cores : 1;
}

void
ingest_result_release(struct ingest_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->duplicate_name);
	free(r->periods);
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	memset(r, 0, sizeof(*r));
}

money_t
ingest_period_class(const struct ingest_period *p, enum charge_class c)
{
	int other = p->has_payer_view ? CHARGE_VIEW_PAYER : CHARGE_VIEW_LINKED;
	money_t v = p->sums[CHARGE_VIEW_ALL][c];

	/* each view alone fits: their sum is checked where it is made */
	if (money_add(&v, p->sums[other][c]) != 0)
		return p->sums[CHARGE_VIEW_ALL][c];
	return v;
}

int
ingest_period_total(const struct ingest_period *p, money_t *out)
{
	int c;

	*out = 0;
	for (c = 0; c < CHARGE_NCLASS; c++)
		if (money_add(out, ingest_period_class(p, c)) != 0)
			return -1;
	return 0;
}

int
ingest_period_statement(const struct ingest_period *p, money_t *out)
{
	if (p->has_statement) {
		*out = p->statement;
		return 1;
	}
	if (p->ninvoice_totals > 0) {
		*out = p->invoice_totals;
		return 1;
	}
	return 0;
}

static void
warn(struct ingest_ctx *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn(struct ingest_ctx *x, const char *fmt, ...)
{
	struct ingest_result *r = x->res;
	char buf[512];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	if (vsnprintf(buf, sizeof(buf), fmt, ap) >= (int)sizeof(buf))
		pv_utf8_trim(buf);
	va_end(ap);
	for (i = 0; i < r->nwarnings; i++)
		if (strcmp(r->warnings[i], buf) == 0)
			return;
	if (r->nwarnings >= MAX_WARNINGS) {
		r->more_warnings++;
		return;
	}
	r->warnings = xrealloc(r->warnings, (r->nwarnings + 1) *
	    sizeof(*r->warnings));
	r->warnings[r->nwarnings++] = xstrdup(buf);
}

/* "line 5", or "report.csv:5" inside an archive: where a warning
 * points (warnings are stored with their file, so it is not repeated). */
static const char *
where(struct ingest_ctx *x, long line)
{
	if (x->member[0] != '\0')
		snprintf(x->where, sizeof(x->where), "%s:%ld", x->member, line);
	else
		snprintf(x->where, sizeof(x->where), "line %ld", line);
	return x->where;
}

static void
copy_str(char *dst, size_t n, struct pv_str s)
{
	size_t len = pv_utf8_prefix(s.p, s.n, n - 1);

	memcpy(dst, s.p, len);
	dst[len] = '\0';
}

/* ---- account ids ---------------------------------------------------- */

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* "8.62902E+11": what a spreadsheet shows for a 12-digit number. */
static int
is_scientific(const char *s)
{
	if (!isdigit((unsigned char)*s++))
		return 0;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s != 'E' && *s != 'e')
		return 0;
	s++;
	if (*s == '+')
		s++;
	return all_digits(s);
}

static void
check_account(struct ingest_ctx *x, struct pv_str id, struct pv_str name,
    long line)
{
	struct seen_account *a;
	size_t i;

	if (id.n == 0 || id.n >= sizeof(a->id))
		return;
	if (x->naccounts > 0) {
		a = &x->accounts[x->last_account];
		if (strlen(a->id) == id.n && pv_mem_eq(a->id, id.p, id.n))
			goto named;
	}
	for (i = 0; i < x->naccounts; i++) {
		a = &x->accounts[i];
		if (strlen(a->id) == id.n && memcmp(a->id, id.p, id.n) == 0) {
			x->last_account = i;
			goto named;
		}
	}
	x->accounts = xgrow(x->accounts, &x->accounts_cap, x->naccounts + 1,
	    sizeof(*x->accounts));
	x->last_account = x->naccounts;
	a = &x->accounts[x->naccounts++];
	memset(a, 0, sizeof(*a));
	copy_str(a->id, sizeof(a->id), id);
	a->line = line;
	where(x, line);
	snprintf(a->where, sizeof(a->where), "%.*s", (int)pv_utf8_prefix(
	    x->where, strlen(x->where), 60), x->where);
	if (is_scientific(a->id)) {
		a->damaged = 1;
		warn(x, "%s: account id '%s' was damaged by a spreadsheet "
		    "(scientific notation)", where(x, line), a->id);
	} else if (!all_digits(a->id) || strlen(a->id) != 12)
		a->odd = 1;	/* summed up in warn_odd_accounts */
named:
	if (name.n > 0 && a->name[0] == '\0')
		copy_str(a->name, sizeof(a->name), name);
}

/* Does the 12-digit id full show as the damaged text d in a spreadsheet
 * (same leading digits, rounded, same exponent)? */
static int
excel_matches(const char *d, const char *full)
{
	char mant[32];
	size_t nm = 0, nf = strlen(full), i;
	const char *e;
	long exp;
	unsigned long long m = 0, f = 0, scale = 1;

	for (e = d; *e != 'E' && *e != 'e'; e++)
		if (isdigit((unsigned char)*e) && nm < sizeof(mant) - 1)
			mant[nm++] = *e;
	exp = strtol(e + 1, NULL, 10);
	if (!all_digits(full) || (long)nf != exp + 1 || nm == 0 || nm > nf ||
	    nf > 19)
		return 0;
	for (i = 0; i < nm; i++)
		m = m * 10 + (unsigned long long)(mant[i] - '0');
	for (i = 0; i < nf; i++)
		f = f * 10 + (unsigned long long)(full[i] - '0');
	for (i = nm; i < nf; i++)
		scale *= 10;
	return (f + scale / 2) / scale == m;
}

/* Is the all-digit id short the full id with its leading zeros lost
 * ("97093801910" for "097093801910")? */
static int
zeros_lost(const char *short_id, const char *full)
{
	size_t ns = strlen(short_id), nf = strlen(full), i;

	if (ns >= nf || !all_digits(short_id) || !all_digits(full))
		return 0;
	for (i = 0; i < nf - ns; i++)
		if (full[i] != '0')
			return 0;
	return strcmp(full + (nf - ns), short_id) == 0;
}

static int
damage_matches(const struct seen_account *a, const char *full)
{
	return a->damaged ? excel_matches(a->id, full) : zeros_lost(a->id, full);
}

/*
 * Recover ids a spreadsheet damaged ("8.62902E+11", or leading zeros
 * lost) from the full ids the file itself states: AccountTotal record
 * ids and every well-formed id it uses. Names only break a tie.
 */
static size_t
recover_accounts(struct ingest_ctx *x, struct store_account_fix **out)
{
	struct store_account_fix *fixes = NULL;
	size_t nfix = 0, i, j;

	for (i = 0; i < x->naccounts; i++) {
		struct seen_account *a = &x->accounts[i];
		const char *cand[8], *names[8];
		size_t ncand = 0, k, pick = 0, npick = 0;

		if (!a->damaged && !(a->odd && all_digits(a->id) &&
		    strlen(a->id) < 12))
			continue;
		for (j = 0; j < x->ntotals + x->naccounts && ncand < 8; j++) {
			const char *full, *name;

			if (j < x->ntotals) {
				if (x->totals[j].kind != TOTAL_ACCOUNT)
					continue;
				full = x->totals[j].account;
				name = x->totals[j].account_name;
			} else {
				struct seen_account *b =
				    &x->accounts[j - x->ntotals];

				if (b->damaged || b->odd)
					continue;
				full = b->id;
				name = b->name;
			}
			if (strlen(full) != 12 || !damage_matches(a, full))
				continue;
			for (k = 0; k < ncand; k++)
				if (strcmp(cand[k], full) == 0)
					break;
			if (k == ncand) {
				cand[ncand] = full;
				names[ncand++] = name;
			}
		}
		for (k = 0; k < ncand; k++)
			if (ncand == 1 || (a->name[0] != '\0' &&
			    strcmp(a->name, names[k]) == 0))
				pick = k, npick++;
		if (npick != 1 && !a->damaged)
			continue;	/* stays among the "not 12 digits" */
		if (npick != 1) {
			warn(x, "account id '%s' cannot be recovered: the file "
			    "does not state the full id; ask for the original "
			    "file, not one saved by a spreadsheet", a->id);
			continue;
		}
		a->odd = 0;	/* recovered: no "not 12 digits" warning */
		fixes = xrealloc(fixes, (nfix + 1) * sizeof(*fixes));
		snprintf(fixes[nfix].damaged, sizeof(fixes[nfix].damaged),
		    "%s", a->id);
		snprintf(fixes[nfix].full, sizeof(fixes[nfix].full), "%s",
		    cand[pick]);
		warn(x, "account id '%s' recovered as %s from the file's "
		    "account totals", a->id, cand[pick]);
		nfix++;
	}
	*out = fixes;
	return nfix;
}

/* ---- payer-months ------------------------------------------------- */

static void
month_text(pv_time t, char out[8])
{
	date_format_month(t, out);
}

static struct ingest_period *
period_for(struct ingest_ctx *x, struct pv_str payer, pv_time period,
    size_t *index)
{
	struct ingest_result *r = x->res;
	struct ingest_period *p;
	char month[8];
	size_t i;

	if (x->cur_period < r->nperiods && period == x->cur_period_t) {
		p = &r->periods[x->cur_period];
		if (strlen(p->payer) == payer.n && pv_mem_eq(p->payer, payer.p,
		    payer.n)) {
			*index = x->cur_period;
			return p;
		}
	}
	x->cur_period_t = period;
	month_text(period, month);
	for (i = 0; i < r->nperiods; i++) {
		p = &r->periods[i];
		if (strlen(p->payer) == payer.n && memcmp(p->payer, payer.p,
		    payer.n) == 0 && strcmp(p->period, month) == 0) {
			x->cur_period = *index = i;
			return p;
		}
	}
	r->periods = xgrow(r->periods, &x->periods_cap, r->nperiods + 1,
	    sizeof(*r->periods));
	x->est_open = xrealloc(x->est_open, x->periods_cap * sizeof(int));
	x->est_final = xrealloc(x->est_final, x->periods_cap * sizeof(int));
	x->usage_end = xrealloc(x->usage_end, x->periods_cap *
	    sizeof(*x->usage_end));
	x->sketches = xrealloc(x->sketches, x->periods_cap *
	    sizeof(*x->sketches));
	p = &r->periods[r->nperiods];
	memset(p, 0, sizeof(*p));
	copy_str(p->payer, sizeof(p->payer), payer);
	memcpy(p->period, month, sizeof(p->period));
	p->first_day = p->last_day = -1;
	p->last_end = -1;
	p->places = 2;
	x->est_open[r->nperiods] = x->est_final[r->nperiods] = 0;
	x->usage_end[r->nperiods] = -1;
	sketch_init(&x->sketches[r->nperiods]);
	p->slot = r->nperiods;
	x->cur_period = *index = r->nperiods;
	return &r->periods[r->nperiods++];
}

#define FNV_START	0xcbf29ce484222325ULL

/* FNV-1a of s[0..n) from h: FNV_START for a whole key, or the hash of
 * the key's first parts (count_tags hashes those once for all of a
 * line's tags). */
static uint64_t
fnv1a(uint64_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The entry of key, made when new; h is fnv1a(FNV_START, key, len). */
static struct tag_entry *
tag_slot(struct tag_table *t, const char *key, size_t len, uint64_t h)
{
	size_t i;

	if ((t->n + 1) * 2 > t->cap) {
		struct tag_entry *old = t->v;
		size_t oldcap = t->cap, j;

		t->cap = oldcap ? oldcap * 2 : 256;
		t->v = xcalloc(t->cap, sizeof(*t->v));
		for (j = 0; j < oldcap; j++) {
			if (old[j].key == NULL)
				continue;
			for (i = old[j].hash & (t->cap - 1);
			    t->v[i].key != NULL; i = (i + 1) & (t->cap - 1))
				;
			t->v[i] = old[j];
		}
		free(old);
	}
	for (i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		struct tag_entry *e = &t->v[i];

		if (e->key == NULL) {
			e->key = xstrndup(key, len);
			e->len = len;
			e->hash = h;
			e->first_day = e->last_day = -1;
			t->n++;
			return e;
		}
		if (e->hash == h && e->len == len && pv_mem_eq(e->key, key,
		    len))
			return e;
	}
}

static void
tag_table_release(struct tag_table *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->v[i].key);
	free(t->v);
}

/* Append part and a 0x1f separator to key[0..*n); 0 when it does not fit. */
static int
key_part(char *key, size_t *n, size_t size, const char *part, size_t len)
{
	if (len + 1 >= size - *n)
		return 0;
	if (len > 0)	/* an empty field may have no pointer */
		memcpy(key + *n, part, len);
	*n += len;
	key[(*n)++] = '\x1f';
	return 1;
}

/* Count the cost of a usage, fee or discount line under each tag key it
 * carries, for "tag keys in use" and "how much is untagged". */
static int
count_tags(struct ingest_ctx *x, const struct charge *c,
    const struct format_row *row, const char *month, struct pv_error *err)
{
	char key[1024], view = (char)('0' + c->view);
	int i;
	size_t n = 0, m;
	uint64_t h;

	if (c->cls != CHARGE_USAGE && c->cls != CHARGE_FEE &&
	    c->cls != CHARGE_DISCOUNT)
		return 0;
	/* payer US month US account US view US tag key (US = 0x1f), built
	 * by hand: snprintf here cost more than the rest of the tag
	 * counting. The part before the tag key is the same for each of
	 * the line's tags: built and hashed once (the whole key's hash
	 * byte by byte was 3 % of a DBR-RT ingest). */
	if (!key_part(key, &n, sizeof(key), c->payer.p, c->payer.n) ||
	    !key_part(key, &n, sizeof(key), month, strlen(month)) ||
	    !key_part(key, &n, sizeof(key), c->account.p, c->account.n) ||
	    !key_part(key, &n, sizeof(key), &view, 1))
		return 0;	/* absurdly long names: not counted */
	h = fnv1a(FNV_START, key, n);
	for (i = 0; i < row->ntags; i++) {
		struct tag_entry *e;

		m = n;
		if (!key_part(key, &m, sizeof(key), row->tags[i].p,
		    row->tags[i].n))
			continue;
		e = tag_slot(&x->tags, key, m - 1, fnv1a(h, key + n,
		    m - 1 - n));
		if (money_add(&e->cost, c->cost) != 0)
			return pv_error_set(err, PV_ERR_INPUT, x->display, 0,
			    "amounts overflow the 64-bit sum (a total beyond "
			    "922,337,203)");
		e->lines++;
	}
	return 0;
}

/*
 * An account id longer than the file's bookkeeping holds (AWS's have 12
 * digits) is refused, not cut: a cut payer id matched no payer-month of
 * its own, every line opened another, and the store refused the file as
 * a fatal error. what: "payer" or "usage". Returns 0 or -1.
 */
static int
check_id_length(struct ingest_ctx *x, struct pv_str id, const char *what,
    long line, struct pv_error *err)
{
	if (id.n < sizeof(x->res->periods->payer))
		return 0;
	return pv_error_set(err, PV_ERR_INPUT, x->display, line, "%s account "
	    "id '%.*s...' is %zu characters long: an AWS account id has 12 "
	    "digits", what, (int)pv_utf8_prefix(id.p, id.n, 20), id.p, id.n);
}

/*
 * What a line tells the move checklist (checklist.h), if anything: the
 * commitment it belongs to, a Marketplace seller, a tax charge. Returns
 * the kind ("reservation"...) and sets *ref and *name, or NULL.
 */
static const char *
move_kind(const struct charge *c, struct pv_str *ref, struct pv_str *name)
{
	static const struct pv_str none = { "", 0 };

	*name = none;
	if (c->commitment_kind != CHARGE_NO_COMMITMENT) {
		*ref = c->commitment;
		return c->commitment_kind == CHARGE_SAVINGS_PLAN ?
		    "savings_plan" : "reservation";
	}
	if (c->cls == CHARGE_TAX) {
		*ref = c->invoicing_entity.n > 0 ? c->invoicing_entity :
		    c->seller;
		*name = c->tax_type;
		return "tax";
	}
	/* CUR says so; a monthly report names the seller of record, which
	 * is an Amazon entity for everything AWS itself sells */
	if (pv_str_eq(c->billing_entity, "AWS Marketplace") ||
	    (c->billing_entity.n == 0 && c->seller.n > 0 &&
	    !pv_str_prefix(c->seller, "Amazon Web Services") &&
	    !pv_str_prefix(c->seller, "Amazon.com"))) {
		*ref = c->seller;
		*name = c->service_name;
		return "marketplace";
	}
	return NULL;
}

static int
count_move(struct ingest_ctx *x, const struct charge *c, const char *month,
    struct pv_error *err)
{
	char key[2048], view = (char)('0' + c->view);
	const char *kind, *cls = charge_class_name(c->cls);
	struct pv_str ref, name;
	struct tag_entry *e;
	size_t n = 0;
	int day;

	if ((kind = move_kind(c, &ref, &name)) == NULL)
		return 0;
	if (!key_part(key, &n, sizeof(key), c->payer.p, c->payer.n) ||
	    !key_part(key, &n, sizeof(key), month, strlen(month)) ||
	    !key_part(key, &n, sizeof(key), c->account.p, c->account.n) ||
	    !key_part(key, &n, sizeof(key), &view, 1) ||
	    !key_part(key, &n, sizeof(key), kind, strlen(kind)) ||
	    !key_part(key, &n, sizeof(key), cls, strlen(cls)) ||
	    !key_part(key, &n, sizeof(key), ref.p, ref.n) ||
	    !key_part(key, &n, sizeof(key), name.p, name.n) ||
	    !key_part(key, &n, sizeof(key), c->commitment_end.p,
	    c->commitment_end.n) ||
	    !key_part(key, &n, sizeof(key), c->line_type.p, c->line_type.n) ||
	    !key_part(key, &n, sizeof(key), c->currency.p, c->currency.n))
		return 0;	/* absurdly long names: not kept */
	e = tag_slot(&x->moves, key, n - 1, fnv1a(FNV_START, key, n - 1));
	if (money_add(&e->cost, c->cost) != 0)
		return pv_error_set(err, PV_ERR_INPUT, x->display, 0,
		    "amounts overflow the 64-bit sum (a total beyond "
		    "922,337,203)");
	e->lines++;
	if (c->start >= 0) {
		day = (int)(c->start / 86400);
		if (e->first_day < 0 || day < e->first_day)
			e->first_day = day;
		if (day > e->last_day)
			e->last_day = day;
	}
	return 0;
}

static int
add_charge(struct ingest_ctx *x, struct charge *c, const struct format_row *row,
    int first, long line, struct pv_error *err)
{
	struct ingest_period *p;
	size_t pi;
	int day;

	if (c->period < 0) {
		/* summary lines (DBR Rounding) carry no dates */
		if (x->last_period < 0)
			return pv_error_set(err, PV_ERR_INPUT, x->display, line,
			    "line without a date before any dated line: the "
			    "billing period is unknown");
		c->period = x->last_period;
	} else
		x->last_period = c->period;
	if (c->payer.n == 0)
		return pv_error_set(err, PV_ERR_INPUT, x->display, line,
		    "line without a payer or usage account id");
	if (check_id_length(x, c->payer, "payer", line, err) != 0 ||
	    check_id_length(x, c->account, "usage", line, err) != 0)
		return -1;
	if (first) {
		check_account(x, c->payer, c->payer_name, line);
		if (c->account.p != c->payer.p)
			check_account(x, c->account, c->account_name, line);
	}
	c->tagged = row->ntags > 0;
	p = period_for(x, c->payer, c->period, &pi);
	if (row->ntags > 0 && count_tags(x, c, row, p->period, err) != 0)
		return -1;
	if (money_add(&p->sums[c->view][c->cls], c->cost) != 0)
		return pv_error_set(err, PV_ERR_INPUT, x->display, line,
		    "amounts overflow the 64-bit sum (a total beyond "
		    "922,337,203)");
	if (c->view == CHARGE_VIEW_PAYER)
		p->has_payer_view = 1;
	else if (c->view == CHARGE_VIEW_LINKED && c->cls != CHARGE_ROUNDING)
		p->has_linked_view = 1;
	if (first) {
		p->rows++;
		if (row->estimated == 1)
			x->est_open[pi]++;
		else if (row->estimated == 0)
			x->est_final[pi]++;
		if (row->cost_places > p->places)
			p->places = row->cost_places;
		if (p->currency[0] == '\0' && c->currency.n > 0)
			copy_str(p->currency, sizeof(p->currency), c->currency);
	}
	if (c->start >= 0) {
		day = (int)(c->start / 86400);
		if (p->first_day < 0 || day < p->first_day)
			p->first_day = day;
		if (day > p->last_day)
			p->last_day = day;
	}
	if (c->end > p->last_end)
		p->last_end = c->end;
	/* how far hourly and daily lines reach: whole-month lines (fees,
	 * credits) are dated to the month's end from its first day */
	if (c->start >= 0 && c->end - c->start <= 86400 &&
	    c->end > x->usage_end[pi])
		x->usage_end[pi] = c->end;
	if (x->st == NULL)
		return 0;
	if (count_move(x, c, p->period, err) != 0)
		return -1;
	sketch_pending_add(&x->pending, c, pi);
	return store_add_charge(x->st, c, err);
}

static int
keep_total(struct ingest_ctx *x, const struct charge_total *t, long line,
    struct pv_error *err)
{
	struct pending_total *p;

	if (check_id_length(x, t->payer, "payer", line, err) != 0 ||
	    check_id_length(x, t->account, "usage", line, err) != 0)
		return -1;

	x->totals = xgrow(x->totals, &x->totals_cap, x->ntotals + 1,
	    sizeof(*x->totals));
	p = &x->totals[x->ntotals++];
	memset(p, 0, sizeof(*p));
	p->kind = t->kind;
	copy_str(p->payer, sizeof(p->payer), t->payer);
	copy_str(p->account, sizeof(p->account), t->account);
	copy_str(p->account_name, sizeof(p->account_name), t->account_name);
	copy_str(p->invoice_id, sizeof(p->invoice_id), t->invoice_id);
	p->period = t->period;
	p->amount = t->amount;
	return 0;
}

static void
tally_provider(struct ingest_ctx *x, const struct format_row *row)
{
	struct provider_tally *t = NULL;
	size_t i;

	for (i = 0; i < x->nproviders; i++)
		if (strlen(x->providers[i].name) == row->provider.n &&
		    memcmp(x->providers[i].name, row->provider.p,
		    row->provider.n) == 0)
			t = &x->providers[i];
	if (t == NULL) {
		x->providers = xgrow(x->providers, &x->providers_cap,
		    x->nproviders + 1, sizeof(*x->providers));
		t = &x->providers[x->nproviders++];
		memset(t, 0, sizeof(*t));
		copy_str(t->name, sizeof(t->name), row->provider);
	}
	t->rows++;
	if (money_add(&t->cost, row->ch[0].cost) != 0)
		t->cost = row->ch[0].cost > 0 ? INT64_MAX : INT64_MIN;
	if (row->cost_places > t->places)
		t->places = row->cost_places;
}

static void
note_unknown_type(struct ingest_ctx *x, struct pv_str t, long line,
    enum charge_class cls)
{
	size_t i;

	for (i = 0; i < x->nunknown; i++)
		if (strlen(x->unknown_types[i]) == t.n &&
		    memcmp(x->unknown_types[i], t.p, t.n) == 0)
			return;
	x->unknown_types = xgrow(x->unknown_types, &x->unknown_cap,
	    x->nunknown + 1, sizeof(*x->unknown_types));
	x->unknown_types[x->nunknown++] = xstrndup(t.p, t.n);
	warn(x, "%s: unknown line type '%.*s' counted as %s",
	    where(x, line), (int)pv_utf8_prefix(t.p, t.n, 60), t.p,
	    charge_class_name(cls));
}

/* A split cost allocation row: tallied for warn_splits, not added. */
static void
tally_split(struct ingest_ctx *x, const struct format_row *row, long line)
{
	if (x->splits++ == 0)
		snprintf(x->split_where, sizeof(x->split_where), "%s",
		    where(x, line));
	if (money_add(&x->split_cost, row->ch[0].cost) != 0)
		x->split_cost = row->ch[0].cost > 0 ? INT64_MAX : INT64_MIN;
	if (row->cost_places > x->split_places)
		x->split_places = row->cost_places;
}

/*
 * Has the file shown this line before (lineset.h: the reading thread
 * marked it)? A line with an id
 * of its own that repeats is left out and tallied for the warning.
 * Without ids (monthly, cost allocation, FOCUS) equal lines are
 * legitimate (a consolidated report states each linked account's
 * support fee on a payer line without the account), so they are only
 * counted: a file that is nothing but two copies of itself is refused
 * at its end (warn_repeats). A hand-made service list is not checked.
 */
static int
is_repeat(struct ingest_ctx *x, const struct csv_record *rec,
    const struct format_row *row)
{
	int with_id = format_has_line_ids(x->fmt), i;

	if (x->kind == FORMAT_MANUAL)
		return 0;
	x->charge_rows++;
	if (!x->repeat_mark)
		return 0;
	if (x->repeats++ == 0) {
		x->first_repeat_row = x->charge_rows;
		x->first_repeat = rec->line;
		snprintf(x->repeat_id, sizeof(x->repeat_id), "%.*s",
		    (int)pv_utf8_prefix(row->line_id.p, row->line_id.n, 64),
		    row->line_id.p);
		copy_str(x->repeat_currency, sizeof(x->repeat_currency),
		    row->ch[0].currency);
	}
	for (i = 0; i < row->nch; i++)
		money_add(&x->repeat_cost, row->ch[i].cost);
	return with_id;
}

static int
on_record(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	struct ingest_ctx *x = ctx;
	struct format_row row;
	int i;

	if (format_is_disclaimer(rec))
		return 0;
	if (x->fmt == NULL) {
		if (format_detect(&x->fmt, rec, x->display, x->now, err) != 0)
			return -1;
		if (!x->have_kind) {
			x->kind = format_kind(x->fmt);
			x->have_kind = 1;
			snprintf(x->cost_basis, sizeof(x->cost_basis), "%s",
			    format_cost_basis(x->fmt));
			if (strcmp(x->cost_basis, "blended") == 0)
				warn(x, "cost basis: blended, the file has no "
				    "unblended cost column: amounts are the "
				    "organisation's average rates, not what "
				    "each account was charged");
		} else if (format_kind(x->fmt) != x->kind)
			warn(x, "member '%s' is a %s report, the file's first "
			    "is %s", x->member, format_name(format_kind(x->fmt)),
			    format_name(x->kind));
		return 0;
	}
	if (format_map(x->fmt, rec, &row, err) != 0)
		return -1;
	x->member_rows++;
	x->res->rows++;
	if (row.unknown_type)
		note_unknown_type(x, row.ch[0].line_type, rec->line,
		    row.ch[0].cls);
	switch (row.kind) {
	case ROW_OPEN_MONTH:
		x->open_month = 1;
		if (row.through > x->through)
			x->through = row.through;
		break;
	case ROW_TOTAL:
		if (keep_total(x, &row.total, rec->line, err) != 0)
			return -1;
		break;
	case ROW_OTHER_PROVIDER:
		tally_provider(x, &row);
		break;
	case ROW_SPLIT:
		tally_split(x, &row, rec->line);
		break;
	case ROW_CHARGES:
		if (is_repeat(x, rec, &row))
			break;
		for (i = 0; i < row.nch; i++)
			if (add_charge(x, &row.ch[i], &row, i == 0, rec->line,
			    err) != 0)
				return -1;
		break;
	}
	if (x->opt->progress != NULL && (++x->records & 0xffff) == 0)
		x->opt->progress(x->opt->progress_ctx,
		    readahead_raw_consumed(x->ra), readahead_raw_size(x->ra),
		    (uint64_t)x->res->rows);
	return 0;
}

/*
 * One warning for the repeated lines left out; for a file without line
 * ids whose second half repeats its first, an error (-1): it is two
 * copies of one report, and counting it would double the bill.
 */
static int
warn_repeats(struct ingest_ctx *x, struct pv_error *err)
{
	char amount[48];
	const char *cur = x->repeat_currency[0] ? x->repeat_currency : "USD";
	int twice = 2 * x->repeats == x->charge_rows &&
	    x->first_repeat_row == x->repeats + 1;

	if (x->repeats == 0)
		return 0;
	money_format(amount, sizeof(amount), x->repeat_cost, 2);
	if (twice && !format_has_line_ids(x->fmt))
		return pv_error_set(err, PV_ERR_INPUT, x->display,
		    x->first_repeat, "the file is two copies of one report "
		    "(its second half, from here, repeats the first line for "
		    "line): not counted; send one copy");
	if (!format_has_line_ids(x->fmt))
		return 0;	/* equal lines without ids are legitimate */
	if (twice)
		warn(x, "every line item is in the file twice (two copies of "
		    "one delivery): counted once; %ld repeated lines left "
		    "out (%s %s)", x->repeats, amount, cur);
	else
		warn(x, "line %ld repeats line item '%s', seen earlier in "
		    "the file: %ld repeated line%s left out (%s %s they "
		    "would have added)", x->first_repeat, x->repeat_id,
		    x->repeats, x->repeats == 1 ? "" : "s", amount, cur);
	return 0;
}

/* Is this archive member a data file? By name: archives carry manifests
 * and readme files beside the data. What a wanted member holds (CSV or
 * Parquet) is told from its first bytes. */
static int
member_is_data(const char *name)
{
	const char *base = strrchr(name, '/'), *dot;

	base = base != NULL ? base + 1 : name;
	dot = strrchr(base, '.');
	return dot == NULL || strcasecmp(dot, ".csv") == 0 ||
	    strcasecmp(dot, ".txt") == 0 || strcasecmp(dot, ".parquet") == 0;
}

/* Which members to read: every one of a plain or gzip input, the data
 * ones of an archive. */
static int
want_member(enum source_container c, const char *name)
{
	return (c != SOURCE_ZIP && c != SOURCE_ARCHIVE) || member_is_data(name);
}

/* The member's records come parsed from the reading thread. */
static int
read_member(struct ingest_ctx *x, struct pv_error *err)
{
	const struct csv_record *recs;
	ssize_t n, i;

	x->member_rows = 0;
	format_free(x->fmt);
	x->fmt = NULL;
	while ((n = readahead_records(x->ra, &recs, err)) > 0) {
		const unsigned char *marks = readahead_marks(x->ra);

		for (i = 0; i < n; i++) {
			x->repeat_mark = marks != NULL && marks[i];
			if (on_record(x, &recs[i], err) != 0)
				return -1;
		}
		sketch_pending_flush(&x->pending, x->sketches);
	}
	if (n < 0)
		return -1;
	if (x->fmt == NULL)
		return pv_error_set(err, PV_ERR_INPUT, x->display, 0,
		    "empty file: no header line");
	if (x->member_rows == 0)
		return pv_error_set(err, PV_ERR_INPUT, x->display, 0,
		    "no data rows after the header");
	return 0;
}

/* The part number of a multi-part delivery: "report-2.csv.gz" -> "2". */
static void
part_of(const char *path, char *out, size_t n)
{
	const char *base = strrchr(path, '/'), *dot, *p;

	out[0] = '\0';
	base = base != NULL ? base + 1 : path;
	dot = strstr(base, ".csv");
	if (dot == NULL)
		dot = base + strlen(base);
	p = dot;
	while (p > base && isdigit((unsigned char)p[-1]))
		p--;
	if (p == dot || p == base || p[-1] != '-')
		return;
	/* "...-2026-10.csv" ends in a month, not a part number */
	if (dot - p == 2 && p - base >= 5 && isdigit((unsigned char)p[-2]) &&
	    isdigit((unsigned char)p[-3]) && isdigit((unsigned char)p[-4]) &&
	    isdigit((unsigned char)p[-5]))
		return;
	while (*p == '0' && p + 1 < dot)
		p++;
	snprintf(out, n, "%.*s", (int)(dot - p), p);
}

static int
cmp_period(const void *a, const void *b)
{
	const struct ingest_period *x = a, *y = b;
	int c = strcmp(x->payer, y->payer);

	return c != 0 ? c : strcmp(x->period, y->period);
}

/* Settle what needs the whole file: totals, open/final, account ids. */
static void
finish_periods(struct ingest_ctx *x)
{
	struct ingest_result *r = x->res;
	size_t i, j;

	for (i = 0; i < x->ntotals; i++) {
		struct pending_total *t = &x->totals[i];
		struct ingest_period *best = NULL;
		char month[8] = "";

		if (t->period >= 0)
			month_text(t->period, month);
		/* a total without payer or month belongs to the file's
		 * busiest payer-month (DBR summary lines carry no dates) */
		for (j = 0; j < r->nperiods; j++) {
			struct ingest_period *p = &r->periods[j];

			if (t->payer[0] != '\0' && strcmp(p->payer, t->payer))
				continue;
			if (month[0] != '\0' && strcmp(p->period, month))
				continue;
			if (best == NULL || p->rows > best->rows)
				best = p;
		}
		if (best == NULL)
			continue;
		snprintf(t->payer, sizeof(t->payer), "%s", best->payer);
		memcpy(t->month, best->period, sizeof(t->month));
		t->matched = 1;
		if (t->kind == TOTAL_STATEMENT) {
			best->has_statement = 1;
			money_add(&best->statement, t->amount);
		} else if (t->kind == TOTAL_INVOICE) {
			best->ninvoice_totals++;
			money_add(&best->invoice_totals, t->amount);
		}
	}
	for (j = 0; j < r->nperiods; j++) {
		struct ingest_period *p = &r->periods[j];
		int y, m;
		pv_time month_end;

		if (sscanf(p->period, "%d-%d", &y, &m) != 2)
			continue;	/* cannot happen: made by month_text */
		month_end = (date_days_from_civil(y, m, 1) +
		    date_days_in_month(y, m)) * 86400;
		/* coverage never reaches outside the month: a monthly
		 * report's fee lines can be dated the next month */
		if (p->last_end > month_end)
			p->last_end = month_end;
		if (x->open_month && x->through >= 0 && x->through < p->last_end)
			p->last_end = x->through;
		if (p->last_end > 0 && (p->last_end - 1) / 86400 > p->last_day)
			p->last_day = (int)((p->last_end - 1) / 86400);
		if (p->last_day >= 0 && (pv_time)p->last_day * 86400 >= month_end)
			p->last_day = (int)(month_end / 86400) - 1;
		if (p->first_day >= 0 && (pv_time)p->first_day * 86400 <
		    month_end - (pv_time)date_days_in_month(y, m) * 86400)
			p->first_day = (int)(month_end / 86400) -
			    date_days_in_month(y, m);
		p->usage_end = x->usage_end[j] < month_end ? x->usage_end[j] :
		    month_end;
		if (x->open_month || x->est_open[j] > 0)
			p->estimated = 1;
		else if (x->est_final[j] > 0)
			p->estimated = 0;
		else if (x->usage_end[j] >= 0)
			/* nothing says: a month seen to its end is complete */
			p->estimated = x->usage_end[j] < month_end;
		else
			p->estimated = 0;	/* only whole-month lines */
	}
}

/* One warning for all ids that are not 12 digits: anonymised samples
 * have hundreds, and one line says it as well. */
static void
warn_odd_accounts(struct ingest_ctx *x)
{
	char list[256] = "";
	size_t i, n = 0, len = 0;

	for (i = 0; i < x->naccounts; i++) {
		struct seen_account *a = &x->accounts[i];
		int w;

		if (!a->odd)
			continue;
		if (n++ < 3) {
			w = snprintf(list + len, sizeof(list) - len, "%s'%s' "
			    "(%s)", len ? ", " : "", a->id, a->where);
			if (w > 0 && (size_t)w < sizeof(list) - len)
				len += (size_t)w;
		}
	}
	if (n == 1)
		warn(x, "account id %s is not 12 digits", list);
	else if (n > 1)
		warn(x, "%zu account ids are not 12 digits: %s%s", n, list,
		    n > 3 ? ", ..." : "");
}

static void
warn_providers(struct ingest_ctx *x)
{
	size_t i;

	for (i = 0; i < x->nproviders; i++) {
		struct provider_tally *t = &x->providers[i];
		char amount[40];

		money_format(amount, sizeof(amount), t->cost,
		    t->places > 2 ? t->places : 2);
		warn(x, "skipped %ld row%s of provider '%s' (billed %s): not "
		    "AWS", t->rows, t->rows == 1 ? "" : "s", t->name, amount);
	}
}

/* One line for the split cost allocation rows left out. */
static void
warn_splits(struct ingest_ctx *x)
{
	char amount[40];

	if (x->splits == 0)
		return;
	money_format(amount, sizeof(amount), x->split_cost,
	    x->split_places > 2 ? x->split_places : 2);
	warn(x, "%s: left out %ld split cost allocation row%s (ECS tasks, EKS "
	    "pods; unblended %s): the instance they share out is counted on "
	    "its own line", x->split_where, x->splits, x->splits == 1 ? "" :
	    "s", amount);
}

static char *
join_warnings(const struct ingest_result *r)
{
	size_t i, len = 1;
	char *s, *p;

	for (i = 0; i < r->nwarnings; i++)
		len += strlen(r->warnings[i]) + 1;
	len += 64;
	s = p = xmalloc(len);
	*p = '\0';
	for (i = 0; i < r->nwarnings; i++)
		p += snprintf(p, len - (size_t)(p - s), "%s%s", i ? "\n" : "",
		    r->warnings[i]);
	if (r->more_warnings > 0)
		snprintf(p, len - (size_t)(p - s), "\n... and %ld more "
		    "warnings", r->more_warnings);
	return s;
}

/* An account id as stored: the recovered full id when it was damaged. */
static void
fixed_id(char *out, size_t n, const char *id, size_t len,
    const struct store_account_fix *fixes, size_t nfixes)
{
	size_t i;

	for (i = 0; i < nfixes; i++) {
		if (strlen(fixes[i].damaged) == len &&
		    memcmp(fixes[i].damaged, id, len) == 0) {
			snprintf(out, n, "%s", fixes[i].full);
			return;
		}
	}
	snprintf(out, n, "%.*s", (int)len, id);
}

/*
 * Split a key of key_part()s in place into at most nf fields (the last
 * keeps any separators after it): the tables are not looked up again
 * once their rows are made. Returns the number of fields.
 */
static int
split_key(char *key, char **f, int nf)
{
	char *p = key;
	int j = 0;

	f[0] = key;
	while (j + 1 < nf && (p = strchr(p, '\x1f')) != NULL) {
		*p++ = '\0';
		f[++j] = p;
	}
	return j + 1;
}

/* The tag entries as rows for the store; keys point into x->tags. */
static struct store_tag_usage *
tag_usage_list(struct ingest_ctx *x, const struct store_account_fix *fixes,
    size_t nfixes, size_t *n)
{
	struct store_tag_usage *v = xcalloc(x->tags.n + 1, sizeof(*v));
	size_t i, k = 0;

	for (i = 0; i < x->tags.cap; i++) {
		struct tag_entry *e = &x->tags.v[i];
		char *f[5];

		if (e->key == NULL || split_key(e->key, f, 5) != 5)
			continue;
		fixed_id(v[k].payer, sizeof(v[k].payer), f[0], strlen(f[0]),
		    fixes, nfixes);
		snprintf(v[k].period, sizeof(v[k].period), "%s", f[1]);
		fixed_id(v[k].account, sizeof(v[k].account), f[2],
		    strlen(f[2]), fixes, nfixes);
		v[k].view = f[3][0] - '0';
		v[k].key = f[4];
		v[k].cost = e->cost;
		v[k].lines = e->lines;
		k++;
	}
	*n = k;
	return v;
}

/* The move entries as rows for the store; strings point into x->moves. */
static struct store_move_line *
move_line_list(struct ingest_ctx *x, const struct store_account_fix *fixes,
    size_t nfixes, size_t *n)
{
	struct store_move_line *v = xcalloc(x->moves.n + 1, sizeof(*v));
	size_t i, k = 0;

	for (i = 0; i < x->moves.cap; i++) {
		struct tag_entry *e = &x->moves.v[i];
		char *f[11];

		if (e->key == NULL || split_key(e->key, f, 11) != 11)
			continue;
		fixed_id(v[k].payer, sizeof(v[k].payer), f[0], strlen(f[0]),
		    fixes, nfixes);
		snprintf(v[k].period, sizeof(v[k].period), "%s", f[1]);
		fixed_id(v[k].account, sizeof(v[k].account), f[2],
		    strlen(f[2]), fixes, nfixes);
		v[k].view = f[3][0] - '0';
		v[k].kind = f[4];
		v[k].cls = f[5];
		v[k].ref = f[6];
		v[k].name = f[7];
		v[k].end_time = f[8];
		v[k].line_type = f[9];
		v[k].currency = f[10];
		if (e->first_day >= 0) {
			date_format_day((pv_time)e->first_day * 86400,
			    v[k].first_day);
			date_format_day((pv_time)e->last_day * 86400,
			    v[k].last_day);
		}
		v[k].cost = e->cost;
		v[k].lines = e->lines;
		k++;
	}
	*n = k;
	return v;
}

static int
commit(struct ingest_ctx *x, const char *path, struct store_account_fix *fixes,
    size_t nfixes, struct pv_error *err)
{
	struct ingest_result *r = x->res;
	struct store_file_meta m;
	struct store_period *ps = xcalloc(r->nperiods + 1, sizeof(*ps));
	struct store_total *ts = xcalloc(x->ntotals + 1, sizeof(*ts));
	unsigned char **samples = xcalloc(r->nperiods + 1, sizeof(*samples));
	char part[32], period[20], *warnings;
	const char *payer = NULL;
	struct store_tag_usage *tags;
	struct store_move_line *moves;
	long best_rows = -1;
	size_t i, nts = 0, ntags, nmoves;
	int rc;

	for (i = 0; i < r->nperiods; i++) {
		struct ingest_period *p = &r->periods[i];
		struct store_period *s = &ps[i];

		snprintf(s->payer, sizeof(s->payer), "%s", p->payer);
		memcpy(s->period, p->period, sizeof(s->period));
		if (p->first_day >= 0) {
			date_format_day((pv_time)p->first_day * 86400,
			    s->first_day);
			date_format_day((pv_time)p->last_day * 86400,
			    s->last_day);
		}
		if (p->last_end >= 0)
			date_format_iso(p->last_end, s->last_end);
		if (p->usage_end >= 0)
			date_format_iso(p->usage_end, s->usage_end);
		snprintf(s->currency, sizeof(s->currency), "%s", p->currency);
		s->places = p->places;
		s->estimated = p->estimated;
		s->rows = p->rows;
		s->has_payer_view = p->has_payer_view;
		s->has_linked_view = p->has_linked_view;
		s->has_statement = ingest_period_statement(p,
		    &s->statement_total);
		samples[i] = sketch_encode(&x->sketches[p->slot],
		    &s->sample_len);
		s->sample = samples[i];
		if (p->rows > best_rows) {
			best_rows = p->rows;
			payer = p->payer;
		}
	}
	for (i = 0; i < x->ntotals; i++) {
		struct pending_total *t = &x->totals[i];
		static const char *const kinds[] = { "statement", "invoice",
		    "account" };

		if (!t->matched)
			continue;	/* belongs to no payer-month of the file */
		ts[nts].kind = kinds[t->kind];
		snprintf(ts[nts].payer, sizeof(ts[nts].payer), "%s", t->payer);
		memcpy(ts[nts].period, t->month, sizeof(ts[nts].period));
		snprintf(ts[nts].account, sizeof(ts[nts].account), "%s",
		    t->account);
		snprintf(ts[nts].invoice_id, sizeof(ts[nts].invoice_id), "%s",
		    t->invoice_id);
		ts[nts].amount = t->amount;
		nts++;
	}
	part[0] = '\0';
	if (format_has_parts(x->kind))
		part_of(path, part, sizeof(part));
	period[0] = '\0';
	if (r->nperiods > 0) {
		const char *lo = r->periods[0].period, *hi = lo;

		for (i = 1; i < r->nperiods; i++) {
			if (strcmp(r->periods[i].period, lo) < 0)
				lo = r->periods[i].period;
			if (strcmp(r->periods[i].period, hi) > 0)
				hi = r->periods[i].period;
		}
		if (strcmp(lo, hi) == 0)
			snprintf(period, sizeof(period), "%s", lo);
		else
			snprintf(period, sizeof(period), "%s..%s", lo, hi);
	}
	tags = tag_usage_list(x, fixes, nfixes, &ntags);
	moves = move_line_list(x, fixes, nfixes, &nmoves);
	warnings = join_warnings(r);
	memset(&m, 0, sizeof(m));
	m.sha256 = r->sha256;
	m.size = r->size;
	m.container = r->container;
	m.format = r->format;
	m.detail_rank = format_detail_rank(x->kind);
	m.cost_basis = x->cost_basis;
	m.part = part;
	m.payer = payer;
	m.period = period;
	m.rows = r->rows;
	m.warnings = warnings;
	m.periods = ps;
	m.nperiods = r->nperiods;
	m.totals = ts;
	m.ntotals = nts;
	m.fixes = fixes;
	m.nfixes = nfixes;
	m.tags = tags;
	m.ntags = ntags;
	m.moves = moves;
	m.nmoves = nmoves;
	if (x->opt->origin != NULL) {
		const struct ingest_origin *o = x->opt->origin;

		m.mail_from = o->from != NULL ? o->from : "";
		m.mail_subject = o->subject != NULL ? o->subject : "";
		m.mail_message_id = o->message_id != NULL ? o->message_id : "";
		m.mail_date = o->date != NULL ? o->date : "";
	}
	{
		struct store_commit c;

		rc = store_commit_file(x->st, &m, &r->file_id, &c, err);
		r->replaced = c.replaced;
		r->kept_aside = c.kept_aside;
		r->newer_file = c.newer_file;
		r->newer_invoiced = c.newer_invoiced;
	}
	free(tags);
	free(moves);
	free(warnings);
	for (i = 0; i < r->nperiods; i++)
		free(samples[i]);
	free(samples);
	free(ps);
	free(ts);
	return rc;
}

/* Recovered account ids replace the damaged ones wherever the file's
 * bookkeeping holds them, before totals are matched to payer-months. */
static void
apply_fixes(struct ingest_ctx *x, const struct store_account_fix *fixes,
    size_t nfixes)
{
	struct ingest_result *r = x->res;
	size_t i, j;

	for (j = 0; j < nfixes; j++) {
		for (i = 0; i < r->nperiods; i++)
			if (strcmp(r->periods[i].payer, fixes[j].damaged) == 0)
				snprintf(r->periods[i].payer,
				    sizeof(r->periods[i].payer), "%s",
				    fixes[j].full);
		for (i = 0; i < x->ntotals; i++)
			if (strcmp(x->totals[i].payer, fixes[j].damaged) == 0)
				snprintf(x->totals[i].payer,
				    sizeof(x->totals[i].payer), "%s",
				    fixes[j].full);
	}
}

static void
ctx_release(struct ingest_ctx *x)
{
	size_t i;

	format_free(x->fmt);
	free(x->totals);
	free(x->providers);
	for (i = 0; i < x->nunknown; i++)
		free(x->unknown_types[i]);
	free(x->unknown_types);
	free(x->accounts);
	free(x->est_open);
	free(x->est_final);
	free(x->usage_end);
	free(x->sketches);
	sketch_pending_release(&x->pending);
	lineset_marker_release(&x->seen);
	tag_table_release(&x->tags);
	tag_table_release(&x->moves);
}

/*
 * The name a file is registered, and shown in every report, by: its base
 * name, never a path of the support machine (cron's drop path is gone
 * once the file is moved). A delivery's member comes with its name in
 * the delivery (ingest_options.name), which walk.c makes the same way.
 */
static const char *
registered_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

int
ingest_file(struct store *st, const char *path, const struct ingest_options *o,
    struct ingest_result *res, struct pv_error *err)
{
	struct ingest_ctx x;
	struct store_account_fix *fixes = NULL;
	const char *display = o->name != NULL ? o->name :
	    strcmp(path, "-") == 0 ? "stdin" : path;
	const char *member;
	const char *kind_of_archive = NULL;	/* a workbook's zip */
	unsigned char digest[32];
	struct source *src;
	size_t nfixes = 0, members = 0;
	int rc = -1, more, wanted, in_tx = 0;

	memset(res, 0, sizeof(*res));
	memset(&x, 0, sizeof(x));
	x.st = st;
	x.res = res;
	x.opt = o;
	x.last_period = -1;
	x.through = -1;
	x.now = date_now();
	pv_error_clear(err);
	if (source_open(&src, path, display, &o->limits, err) != 0)
		goto out;
	snprintf(res->container, sizeof(res->container), "%s",
	    source_container_name(source_container(src)));
	lineset_marker_init(&x.seen, display, x.now);
	sketch_pending_init(&x.pending);
	if (readahead_start(&x.ra, src, &(struct readahead_options){
	    .want = want_member, .csv_display = display, .mark = lineset_mark,
	    .mark_ctx = &x.seen, .jobs = o->jobs }, err) != 0)
		goto out;
	if (st != NULL) {
		if (store_begin_file(st, o->origin != NULL &&
		    o->origin->name != NULL ? o->origin->name :
		    o->name != NULL ? o->name : registered_name(path), err) != 0)
			goto out;
		in_tx = 1;
	}
	while ((more = readahead_next(x.ra, &member, &wanted, err)) == 1) {
		enum source_container c = readahead_container(x.ra);

		if (c == SOURCE_ZIP || c == SOURCE_ARCHIVE) {
			snprintf(x.display, sizeof(x.display), "%s(%s)",
			    display, member);
			snprintf(x.member, sizeof(x.member), "%s", member);
			if (!wanted) {
				if (kind_of_archive == NULL)
					kind_of_archive =
					    filetype_of_member(member);
				warn(&x, "skipped member '%s': not a CSV or "
				    "Parquet file", member);
				continue;
			}
		} else
			snprintf(x.display, sizeof(x.display), "%s", display);
		members++;
		if (read_member(&x, err) != 0)
			goto out;
	}
	if (more < 0)
		goto out;
	if (members == 0) {
		if (kind_of_archive != NULL)
			pv_error_set(err, PV_ERR_INPUT, display, 0, "%s",
			    kind_of_archive);
		else
			pv_error_set(err, PV_ERR_INPUT, display, 0, "no CSV "
			    "or Parquet file inside the archive");
		goto out;
	}
	if (readahead_finish(x.ra, digest, &res->size, err) != 0)
		goto out;
	sha256_hex(digest, res->sha256);
	snprintf(res->format, sizeof(res->format), "%s", format_name(x.kind));
	nfixes = recover_accounts(&x, &fixes);
	warn_odd_accounts(&x);
	if (warn_repeats(&x, err) != 0)
		goto out;
	warn_providers(&x);
	warn_splits(&x);
	apply_fixes(&x, fixes, nfixes);
	finish_periods(&x);
	if (res->nperiods > 1)
		qsort(res->periods, res->nperiods, sizeof(*res->periods),
		    cmp_period);
	if (st != NULL) {
		int dup = store_find_sha256(st, res->sha256, &res->duplicate_of,
		    &res->duplicate_name, err);

		if (dup < 0)
			goto out;
		if (dup == 1) {
			store_rollback_file(st);
			in_tx = 0;
			res->status = INGEST_DUPLICATE;
			rc = 0;
			goto out;
		}
		in_tx = 0;	/* commit ends the transaction either way */
		if (commit(&x, o->name != NULL ? o->name : path, fixes, nfixes,
		    err) != 0)
			goto out;
	}
	rc = 0;
out:
	if (in_tx)
		store_rollback_file(st);
	readahead_free(x.ra);
	ctx_release(&x);
	free(fixes);
	return rc;
}
