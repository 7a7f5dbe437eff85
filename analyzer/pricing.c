/*
 * pricing.c - parse, check and apply Pilvi's pricing rules
 * (docs/pricing.md). No database, no output: the rules come in as text,
 * the amounts as an array, and the result goes back in a struct.
 */
#include "pricing.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "datetime.h"
#include "source.h"
#include "xalloc.h"

extern const char *const schema_data_names[];
extern const char *const schema_data_texts[];

#define DEFAULT_FILE	"pricing-rules.csv"
#define HEADER		"kind,scope,match,percent,amount,date,note"
#define NCOLS		7
#define MAX_FILE	(1 << 20)	/* a rules file is a page, not a bill */

/* Percents are held x 10^4 (four decimals), rates x 10^6: a factor of
 * 1 is ONE in both. */
#define ONE		1000000LL

enum col { C_KIND, C_SCOPE, C_MATCH, C_PERCENT, C_AMOUNT, C_DATE, C_NOTE };

static const char *const col_names[NCOLS] = { "kind", "scope", "match",
	"percent", "amount", "date", "note" };

static const char *const scope_names[PRICING_NSCOPE] = { "usage_type",
	"service", "seller", "charge_class", "all" };

static const char *const benefit_names[PRICING_NBENEFIT] = { "edp",
	"private_rate", "reseller_program", "bundled", "credits" };

/* Said when a file has no support_plan rows: AWS's plans as the bills
 * name them (services.csv and its aliases). */
static const char *const default_support_plans[] = { "AWSSupportBusiness",
	"AWSSupportDeveloper", "AWSDeveloperSupport", "AWSSupportEnterprise",
	"AWSSupportEnterpriseOnRamp", "OCBPremiumSupport" };

const char *
pricing_scope_name(enum pricing_scope s)
{
	return s < PRICING_NSCOPE ? scope_names[s] : "?";
}

const char *
pricing_benefit_name(enum pricing_benefit b)
{
	return b < PRICING_NBENEFIT ? benefit_names[b] : "?";
}

/* ---- numbers ------------------------------------------------------- */

/*
 * A plain decimal, "-12.5", with at most `places` decimals, into v x
 * 10^places; a trailing '%' is taken when pct. No exponent, no
 * separators: a rules file is read by people. Returns 0, -1 (syntax) or
 * -2 (too many decimals or too large).
 */
static int
parse_fixed(const char *s, int places, int pct, int64_t *out)
{
	int64_t v = 0;
	int neg = 0, seen = 0, dec = -1;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s != '\0'; s++) {
		if (*s == '.' && dec < 0) {
			dec = 0;
			continue;
		}
		if (*s < '0' || *s > '9')
			break;
		if (dec >= 0 && ++dec > places)
			return -2;
		if (v > (INT64_MAX / 10 - 9) / 1000000)
			return -2;
		v = v * 10 + (*s - '0');
		seen = 1;
	}
	if (pct && *s == '%')
		s++;
	if (!seen || *s != '\0')
		return -1;
	for (dec = dec < 0 ? 0 : dec; dec < places; dec++)
		v *= 10;
	*out = neg ? -v : v;
	return 0;
}

/* "5", "5.5", "-0.25": a value x 10^places written shortest. */
static void
format_fixed(char *buf, size_t n, int64_t v, int places)
{
	int64_t scale = 1, a = v < 0 ? -v : v;
	int i, len;

	for (i = 0; i < places; i++)
		scale *= 10;
	len = snprintf(buf, n, "%s%lld", v < 0 ? "-" : "",
	    (long long)(a / scale));
	if (a % scale != 0 && len > 0 && (size_t)len < n) {
		char frac[24];

		snprintf(frac, sizeof(frac), "%0*lld", places,
		    (long long)(a % scale));
		for (i = places; i > 0 && frac[i - 1] == '0'; i--)
			frac[i - 1] = '\0';
		snprintf(buf + len, n - (size_t)len, ".%s", frac);
	}
}

/* num / den rounded half away from zero (den > 0). */
static __int128
div_round(__int128 num, __int128 den)
{
	__int128 q = num / den, r = num % den;

	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += num < 0 ? -1 : 1;
	return q;
}

static int
fits(__int128 v)
{
	return v <= INT64_MAX && v >= -INT64_MAX;
}

money_t
pricing_round(money_t v)
{
	return money_round(v, 2);
}

/* ---- globs ------------------------------------------------------- */

/* Does s match the glob p (* any run, ? one character)? */
static int
glob_match(const char *p, const char *s)
{
	const char *star = NULL, *back = NULL;

	while (*s != '\0') {
		if (*p == '*') {
			star = ++p;
			back = s;
		} else if (*p == '?' || (*p != '\0' && *p == *s)) {
			p++;
			s++;
		} else if (star != NULL) {
			p = star;
			s = ++back;
		} else
			return 0;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/*
 * Can one text match both globs? The two patterns walked together: a
 * state is a position in each, a step reads one character both accept
 * (a '*' stays, '?' takes any, literals must agree); both at their end
 * is a text of both. At most (|a| + 1) x (|b| + 1) states.
 */
static int
globs_meet(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), w = lb + 1, top = 0;
	size_t nstates = (la + 1) * w, *stack;
	unsigned char *seen;
	int meet = 0;

	seen = xcalloc(nstates, 1);
	stack = xmalloc(nstates * sizeof(*stack));
	stack[top++] = 0;
	seen[0] = 1;
	while (top > 0 && !meet) {
		size_t s = stack[--top], i = s / w, j = s % w, next[3];
		int k, nn = 0;

		if (i == la && j == lb) {
			meet = 1;
			break;
		}
		if (i < la && a[i] == '*')
			next[nn++] = (i + 1) * w + j;
		if (j < lb && b[j] == '*')
			next[nn++] = i * w + j + 1;
		if (i < la && j < lb && !(a[i] == '*' && b[j] == '*') &&
		    (a[i] == '*' || a[i] == '?' || b[j] == '*' || b[j] == '?' ||
		    a[i] == b[j]))
			next[nn++] = (a[i] == '*' ? i : i + 1) * w +
			    (b[j] == '*' ? j : j + 1);
		for (k = 0; k < nn; k++)
			if (!seen[next[k]]) {
				seen[next[k]] = 1;
				stack[top++] = next[k];
			}
	}
	free(seen);
	free(stack);
	return meet;
}

/* ---- the rules file ------------------------------------------------ */

struct parse_ctx {
	struct pricing_rules *r;
	const char *display;
	int seen_header;
	long version_line, minimum_line;
	int has_minimum;
	size_t capm, capt;
};

/* The kinds, with the columns each one takes (besides kind and note). */
enum kind { K_VERSION, K_MARKUP, K_DISCOUNT, K_AWS_DISCOUNT, K_AWS_CREDITS,
	K_SUPPORT_PLAN, K_SUPPORT_FEE, K_SUPPORT_MINIMUM, K_CURRENCY, K_VAT };

#define TAKES(c)	(1u << (c))

static const struct kind_spec {
	const char *name;
	unsigned takes;			/* TAKES(C_...) of the columns it uses */
	unsigned needs;			/* ... that must not be empty */
} kinds[] = {
	[K_VERSION] = { "version", TAKES(C_MATCH), TAKES(C_MATCH) },
	[K_MARKUP] = { "markup", TAKES(C_SCOPE) | TAKES(C_MATCH) |
	    TAKES(C_PERCENT), TAKES(C_SCOPE) | TAKES(C_PERCENT) },
	[K_DISCOUNT] = { "discount", TAKES(C_SCOPE) | TAKES(C_MATCH) |
	    TAKES(C_PERCENT), TAKES(C_SCOPE) | TAKES(C_PERCENT) },
	[K_AWS_DISCOUNT] = { "aws_discount", TAKES(C_SCOPE) | TAKES(C_MATCH),
	    TAKES(C_SCOPE) | TAKES(C_MATCH) },
	[K_AWS_CREDITS] = { "aws_credits", TAKES(C_MATCH), TAKES(C_MATCH) },
	[K_SUPPORT_PLAN] = { "support_plan", TAKES(C_MATCH), TAKES(C_MATCH) },
	[K_SUPPORT_FEE] = { "support_fee", TAKES(C_PERCENT) | TAKES(C_AMOUNT),
	    TAKES(C_PERCENT) },
	[K_SUPPORT_MINIMUM] = { "support_minimum", TAKES(C_AMOUNT),
	    TAKES(C_AMOUNT) },
	[K_CURRENCY] = { "currency", TAKES(C_SCOPE) | TAKES(C_MATCH) |
	    TAKES(C_AMOUNT) | TAKES(C_DATE), TAKES(C_SCOPE) | TAKES(C_MATCH) |
	    TAKES(C_AMOUNT) | TAKES(C_DATE) },
	[K_VAT] = { "vat", TAKES(C_PERCENT), TAKES(C_PERCENT) },
};
#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

/* What each column holds for a kind, when it is missing: for messages. */
static const char *
wants(enum kind k, enum col c)
{
	switch (c) {
	case C_SCOPE:
		return k == K_CURRENCY ? "the bill's currency (USD)" :
		    k == K_AWS_DISCOUNT ? "edp, private_rate, reseller_program "
		    "or bundled" : "usage_type, service, seller, charge_class "
		    "or all";
	case C_MATCH:
		return k == K_VERSION ? "a label for this price list" :
		    k == K_CURRENCY ? "Pilvi's currency (EUR)" :
		    k == K_SUPPORT_PLAN ? "an AWS support service code" :
		    "carry or end";
	case C_PERCENT:
		return "a percent";
	case C_AMOUNT:
		return k == K_CURRENCY ? "the rate: 1 of the bill's currency "
		    "in Pilvi's" : "an amount";
	case C_DATE:
		return "the rate's date, YYYY-MM-DD";
	default:
		return "a value";
	}
}

static int
is_currency_code(const char *s)
{
	return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
	    s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z';
}

static int
is_date(const char *s)
{
	int y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	return y >= 1990 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= date_days_in_month(y, m);
}

#define BAD(...)	pv_error_set(err, PV_ERR_INPUT, x->display, line, \
			    __VA_ARGS__)

/* A percent column into *out (x 10^4), within lo..hi percent. */
static int
get_percent(struct parse_ctx *x, long line, const char *what,
    const char *s, int64_t lo, int64_t hi, int64_t *out,
    struct pv_error *err)
{
	char a[32], b[32];
	int rc = parse_fixed(s, 4, 1, out);

	if (rc == -1)
		return BAD("%s percent '%s' is not a number (write 5 or 2.5)",
		    what, s);
	if (rc == -2)
		return BAD("%s percent '%s' has more than 4 decimals or is too "
		    "large", what, s);
	if (*out < lo * 10000 || *out > hi * 10000) {
		format_fixed(a, sizeof(a), lo, 0);
		format_fixed(b, sizeof(b), hi, 0);
		return BAD("%s percent '%s' is outside %s..%s", what, s, a, b);
	}
	return 0;
}

/* An amount column (not negative) into *out. */
static int
get_amount(struct parse_ctx *x, long line, const char *what,
    const char *s, money_t *out, struct pv_error *err)
{
	int64_t v;
	int rc = parse_fixed(s, 2, 0, &v);

	if (rc == -1)
		return BAD("%s amount '%s' is not a number (write 10000 or "
		    "1500.50, no separators)", what, s);
	if (rc == -2)
		return BAD("%s amount '%s' has more than 2 decimals or is too "
		    "large", what, s);
	if (v < 0)
		return BAD("%s amount '%s' is negative", what, s);
	if (v > INT64_MAX / (MONEY_SCALE / 100))
		return BAD("%s amount '%s' is too large", what, s);
	*out = v * (MONEY_SCALE / 100);
	return 0;
}

static int
markup_row(struct parse_ctx *x, const struct csv_record *rec, int discount,
    struct pv_error *err)
{
	struct pricing_rules *r = x->r;
	const char *scope = rec->fields[C_SCOPE].ptr;
	const char *match = rec->fields[C_MATCH].ptr;
	const char *kind = discount ? "discount" : "markup";
	struct pricing_markup *m;
	long line = rec->line;
	int64_t pct;
	size_t i;
	int s;

	for (s = 0; s < PRICING_NSCOPE; s++)
		if (strcmp(scope, scope_names[s]) == 0)
			break;
	if (s == PRICING_NSCOPE)
		return BAD("unknown scope '%s' of a %s: usage_type, service, "
		    "seller, charge_class or all", scope, kind);
	if (s == PRICING_SCOPE_ALL && *match != '\0')
		return BAD("a %s of all takes no match ('%s')", kind, match);
	if (s != PRICING_SCOPE_ALL && *match == '\0')
		return BAD("a %s of %s needs the match column: which %s", kind,
		    scope, s == PRICING_SCOPE_USAGE_TYPE ? "usage types (a "
		    "pattern, * and ?)" : s == PRICING_SCOPE_CHARGE_CLASS ?
		    "charge class (usage, fee or discount)" : scope);
	if (s == PRICING_SCOPE_CHARGE_CLASS && strcmp(match, "usage") != 0 &&
	    strcmp(match, "fee") != 0 && strcmp(match, "discount") != 0)
		return BAD("charge class '%s' cannot be priced: usage, fee or "
		    "discount (credits: aws_credits; tax: vat)", match);
	if (get_percent(x, line, kind, rec->fields[C_PERCENT].ptr,
	    discount ? 0 : -100, discount ? 100 : 1000, &pct, err) != 0)
		return -1;
	for (i = 0; i < r->nmarkups; i++) {
		const struct pricing_markup *o = &r->markups[i];

		if ((int)o->scope != s)
			continue;
		if (s == PRICING_SCOPE_ALL)
			return BAD("every service has a price already (line "
			    "%ld)", o->line);
		if (strcmp(o->match, match) == 0)
			return BAD("%s '%s' has a price already (line %ld)",
			    scope_names[s], match, o->line);
		if (s == PRICING_SCOPE_USAGE_TYPE && globs_meet(o->match,
		    match))
			return BAD("usage type '%s' overlaps '%s' (line %ld): "
			    "one usage type could match both; make the "
			    "patterns exclusive", match, o->match, o->line);
	}
	r->markups = xgrow(r->markups, &x->capm, r->nmarkups + 1,
	    sizeof(*r->markups));
	m = &r->markups[r->nmarkups++];
	m->scope = (enum pricing_scope)s;
	m->match = xstrdup(match);
	m->pct_e4 = discount ? -pct : pct;
	m->line = line;
	return 0;
}

static int
carry_row(struct parse_ctx *x, const struct csv_record *rec, int credits,
    struct pv_error *err)
{
	struct pricing_rules *r = x->r;
	const char *scope = rec->fields[C_SCOPE].ptr;
	const char *match = rec->fields[C_MATCH].ptr;
	long line = rec->line;
	int b = PRICING_CREDITS;

	if (!credits) {
		for (b = 0; b < PRICING_CREDITS; b++)
			if (strcmp(scope, benefit_names[b]) == 0)
				break;
		if (b == PRICING_CREDITS)
			return BAD("unknown AWS discount '%s': edp, "
			    "private_rate, reseller_program or bundled", scope);
	}
	if (strcmp(match, "carry") != 0 && strcmp(match, "end") != 0)
		return BAD("%s%s: '%s' is neither carry (it goes on at Pilvi) "
		    "nor end", credits ? "aws_credits" : "aws_discount ",
		    credits ? "" : benefit_names[b], match);
	if (r->ends_line[b] != 0)
		return BAD("%s%s is said already (line %ld)", credits ?
		    "aws_credits" : "aws_discount ", credits ? "" :
		    benefit_names[b], r->ends_line[b]);
	r->ends[b] = strcmp(match, "end") == 0;
	r->ends_line[b] = line;
	return 0;
}

static int
tier_row(struct parse_ctx *x, const struct csv_record *rec,
    struct pv_error *err)
{
	struct pricing_rules *r = x->r;
	const char *upto = rec->fields[C_AMOUNT].ptr;
	struct pricing_tier t = { 0, 0, 0, rec->line }, *last;
	long line = rec->line;

	if (get_percent(x, line, "support fee", rec->fields[C_PERCENT].ptr, 0,
	    100, &t.pct_e4, err) != 0)
		return -1;
	if (*upto == '\0')
		t.open = 1;
	else if (get_amount(x, line, "support fee tier", upto, &t.upto,
	    err) != 0)
		return -1;
	last = r->ntiers > 0 ? &r->tiers[r->ntiers - 1] : NULL;
	if (last != NULL && last->open)
		return BAD("tiers out of order: the tier on line %ld has no "
		    "upper bound, so it must be the last", last->line);
	if (!t.open && last != NULL && t.upto <= last->upto)
		return BAD("tiers out of order: up to %s is not above the "
		    "bound of the tier on line %ld", upto, last->line);
	if (!t.open && t.upto == 0)
		return BAD("a support_fee tier up to 0 covers nothing");
	if (last == NULL)
		r->support_line = line;
	r->tiers = xgrow(r->tiers, &x->capt, r->ntiers + 1,
	    sizeof(*r->tiers));
	r->tiers[r->ntiers++] = t;
	return 0;
}

static int
currency_row(struct parse_ctx *x, const struct csv_record *rec,
    struct pv_error *err)
{
	struct pricing_rules *r = x->r;
	const char *from = rec->fields[C_SCOPE].ptr;
	const char *to = rec->fields[C_MATCH].ptr;
	const char *rate = rec->fields[C_AMOUNT].ptr;
	const char *date = rec->fields[C_DATE].ptr;
	long line = rec->line;
	int rc;

	if (r->rate_line != 0)
		return BAD("the currency is said already (line %ld)",
		    r->rate_line);
	if (!is_currency_code(from) || !is_currency_code(to))
		return BAD("currency codes are three capitals (USD, EUR), not "
		    "'%s' and '%s'", from, to);
	if (strcmp(from, to) == 0)
		return BAD("the rate converts %s to itself: leave the currency "
		    "row out", from);
	rc = parse_fixed(rate, 6, 0, &r->rate_e6);
	if (rc == -1)
		return BAD("rate '%s' is not a number (1 %s in %s: 0.92)",
		    rate, from, to);
	if (rc == -2 || r->rate_e6 > 1000000 * ONE)
		return BAD("rate '%s' has more than 6 decimals or is too large",
		    rate);
	if (r->rate_e6 <= 0)
		return BAD("rate '%s' is not above 0", rate);
	if (!is_date(date))
		return BAD("the rate's date '%s' is not a day (YYYY-MM-DD)",
		    date);
	memcpy(r->from, from, 4);
	memcpy(r->to, to, 4);
	memcpy(r->rate_date, date, 11);
	r->rate_line = line;
	return 0;
}

static int
on_record(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	struct parse_ctx *x = ctx;
	struct pricing_rules *r = x->r;
	long line = rec->line;
	const char *kind;
	size_t i, c;

	if (!x->seen_header) {
		char head[128];
		size_t len = 0;

		x->seen_header = 1;
		head[0] = '\0';
		for (i = 0; i < rec->nfields && len < sizeof(head); i++)
			len += (size_t)snprintf(head + len, sizeof(head) - len,
			    "%s%s", i ? "," : "", rec->fields[i].ptr);
		if (strcmp(head, HEADER) != 0)
			return BAD("a pricing rules file starts with the "
			    "header '%s' (docs/pricing.md)", HEADER);
		return 0;
	}
	/* a blank line, or a comment: # in the first column */
	if ((rec->nfields == 1 && rec->fields[0].len == 0) ||
	    rec->fields[0].ptr[0] == '#')
		return 0;
	if (rec->nfields != NCOLS)
		return BAD("expected %d fields, found %zu", NCOLS,
		    rec->nfields);
	kind = rec->fields[C_KIND].ptr;
	for (i = 0; i < NKINDS; i++)
		if (strcmp(kind, kinds[i].name) == 0)
			break;
	if (i == NKINDS)
		return BAD("unknown kind '%s': version, markup, discount, "
		    "aws_discount, aws_credits, support_plan, support_fee, "
		    "support_minimum, currency or vat", kind);
	for (c = C_SCOPE; c < C_NOTE; c++) {
		const char *v = rec->fields[c].ptr;

		if (*v != '\0' && !(kinds[i].takes & TAKES(c)))
			return BAD("%s takes no %s ('%s')", kind, col_names[c],
			    v);
		if (*v == '\0' && (kinds[i].needs & TAKES(c)))
			return BAD("%s needs the %s column: %s", kind,
			    col_names[c], wants((enum kind)i, (enum col)c));
	}
	switch ((enum kind)i) {
	case K_VERSION:
		if (x->version_line != 0)
			return BAD("the version is said already (line %ld)",
			    x->version_line);
		x->version_line = line;
		r->version = xstrdup(rec->fields[C_MATCH].ptr);
		return 0;
	case K_MARKUP:
	case K_DISCOUNT:
		return markup_row(x, rec, i == K_DISCOUNT, err);
	case K_AWS_DISCOUNT:
	case K_AWS_CREDITS:
		return carry_row(x, rec, i == K_AWS_CREDITS, err);
	case K_SUPPORT_PLAN:
		for (c = 0; c < r->nsupport_plans; c++)
			if (strcmp(r->support_plans[c],
			    rec->fields[C_MATCH].ptr) == 0)
				return BAD("support plan '%s' is listed "
				    "already", rec->fields[C_MATCH].ptr);
		r->support_plans = xrealloc(r->support_plans,
		    (r->nsupport_plans + 1) * sizeof(*r->support_plans));
		r->support_plans[r->nsupport_plans++] = xstrdup(
		    rec->fields[C_MATCH].ptr);
		return 0;
	case K_SUPPORT_FEE:
		return tier_row(x, rec, err);
	case K_SUPPORT_MINIMUM:
		if (x->has_minimum)
			return BAD("the support minimum is said already (line "
			    "%ld)", x->minimum_line);
		x->has_minimum = 1;
		x->minimum_line = line;
		return get_amount(x, line, "support minimum",
		    rec->fields[C_AMOUNT].ptr, &r->support_minimum, err);
	case K_CURRENCY:
		return currency_row(x, rec, err);
	case K_VAT:
		if (r->has_vat)
			return BAD("vat is said already (line %ld)",
			    r->vat_line);
		r->has_vat = 1;
		r->vat_line = line;
		return get_percent(x, line, "vat", rec->fields[C_PERCENT].ptr,
		    0, 100, &r->vat_e4, err);
	}
	return 0;
}

/* What only the whole file can tell. */
static int
check_whole(struct parse_ctx *x, struct pv_error *err)
{
	struct pricing_rules *r = x->r;
	long line = 0;
	size_t i;

	if (x->version_line == 0)
		return BAD("no version row: add 'version,,LABEL,,,,' naming "
		    "this price list");
	if (x->has_minimum && r->ntiers == 0) {
		line = x->minimum_line;
		return BAD("a support minimum without support_fee tiers: add "
		    "the tiers (the last with an empty amount)");
	}
	if (r->ntiers > 0 && !r->tiers[r->ntiers - 1].open) {
		line = r->tiers[r->ntiers - 1].line;
		return BAD("the last support_fee tier needs an empty amount: "
		    "spend above its bound would pay no fee");
	}
	if (r->nsupport_plans == 0)
		for (i = 0; i < sizeof(default_support_plans) /
		    sizeof(default_support_plans[0]); i++) {
			r->support_plans = xrealloc(r->support_plans,
			    (i + 1) * sizeof(*r->support_plans));
			r->support_plans[r->nsupport_plans++] = xstrdup(
			    default_support_plans[i]);
		}
	return 0;
}

int
pricing_rules_parse(struct pricing_rules *r, const char *display,
    const char *text, size_t len, struct pv_error *err)
{
	struct parse_ctx x;
	struct csvread *cr;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&x, 0, sizeof(x));
	x.r = r;
	x.display = display;
	r->file = xstrdup(display);
	cr = csvread_new(display, NULL, on_record, &x);
	rc = csvread_feed(cr, text, len, err) == 0 &&
	    csvread_finish(cr, err) == 0 ? 0 : -1;
	csvread_free(cr);
	if (rc == 0 && !x.seen_header)
		rc = pv_error_set(err, PV_ERR_INPUT, display, 0, "empty "
		    "pricing rules file: it starts with the header '%s'",
		    HEADER);
	if (rc == 0)
		rc = check_whole(&x, err);
	if (rc != 0) {
		if (err != NULL && err->kind == PV_ERR_FATAL)
			err->kind = PV_ERR_INPUT;
		pricing_rules_release(r);
	}
	return rc;
}

int
pricing_rules_load(struct pricing_rules *r, const char *path,
    struct pv_error *err)
{
	struct source *src = NULL;
	struct source_limits lim;
	const char *member;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	source_limits_default(&lim);
	if (source_open(&src, path, path, &lim, err) != 0)
		goto out;
	if (source_next(src, &member, err) != 1) {
		if (err->msg[0] == '\0')
			pv_error_set(err, PV_ERR_INPUT, path, 0, "empty pricing "
			    "rules file");
		goto out;
	}
	for (;;) {
		buf = xgrow(buf, &cap, len + 65536, 1);
		n = source_read(src, buf + len, cap - len, err);
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > MAX_FILE) {
			pv_error_set(err, PV_ERR_INPUT, path, 0, "a pricing rules "
			    "file of over 1 MB: is it the right file?");
			goto out;
		}
	}
	rc = pricing_rules_parse(r, path, buf, len, err);
out:
	free(buf);
	source_free(src);
	return rc;
}

int
pricing_rules_default(struct pricing_rules *r, struct pv_error *err)
{
	size_t i;

	for (i = 0; schema_data_names[i] != NULL; i++)
		if (strcmp(schema_data_names[i], DEFAULT_FILE) == 0)
			return pricing_rules_parse(r, "schema/" DEFAULT_FILE,
			    schema_data_texts[i], strlen(schema_data_texts[i]),
			    err);
	memset(r, 0, sizeof(*r));
	return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "built without "
	    "schema/%s", DEFAULT_FILE);
}

void
pricing_rules_release(struct pricing_rules *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nmarkups; i++)
		free(r->markups[i].match);
	for (i = 0; i < r->nsupport_plans; i++)
		free(r->support_plans[i]);
	free(r->markups);
	free(r->support_plans);
	free(r->tiers);
	free(r->version);
	free(r->file);
	memset(r, 0, sizeof(*r));
}

/* ---- applying the rules -------------------------------------------- */

#define I128_MAX	((__int128)(((unsigned __int128)1 << 127) - 1))

/* A sum in the making: amounts x factors (x 10^6), exact. */
struct acc {
	__int128 n;
};

static int
acc_add(struct acc *a, money_t v, int64_t factor)
{
	__int128 p = (__int128)v * factor;

	if ((p > 0 && a->n > I128_MAX / 2 - p) ||
	    (p < 0 && a->n < -I128_MAX / 2 - p))
		return -1;
	a->n += p;
	return 0;
}

/* The sum in Pilvi's currency, rounded half away from zero to money_t's
 * 10^-10 (the one rounding below the cent); -1 when beyond money_t. */
static int
acc_value(const struct acc *a, int64_t rate_e6, money_t *out)
{
	__int128 v;

	if (a->n > I128_MAX / rate_e6 || a->n < -I128_MAX / rate_e6)
		return -1;
	v = div_round(a->n * rate_e6, (__int128)ONE * ONE);
	if (!fits(v))
		return -1;
	*out = (money_t)v;
	return 0;
}

/* v x pct_e4 / 100 %, at money_t's precision. */
static money_t
percent_of(money_t v, int64_t pct_e4)
{
	return (money_t)div_round((__int128)v * pct_e4, ONE);
}

struct svc {
	const char *code;		/* borrowed from the lines */
	money_t aws;
	struct acc pilvi;
	int support_plan;
};

/* The markup that prices a line: the first scope with a match. */
static const struct pricing_markup *
markup_of(const struct pricing_rules *r, const struct pricing_line *l)
{
	const struct pricing_markup *best = NULL;
	size_t i;

	for (i = 0; i < r->nmarkups; i++) {
		const struct pricing_markup *m = &r->markups[i];
		int hit = 0;

		if (best != NULL && best->scope <= m->scope)
			continue;
		switch (m->scope) {
		case PRICING_SCOPE_USAGE_TYPE:
			hit = l->usage_type != NULL &&
			    glob_match(m->match, l->usage_type);
			break;
		case PRICING_SCOPE_SERVICE:
			hit = strcmp(m->match, l->service) == 0;
			break;
		case PRICING_SCOPE_SELLER:
			hit = l->seller != NULL &&
			    strcmp(m->match, l->seller) == 0;
			break;
		case PRICING_SCOPE_CHARGE_CLASS:
			hit = strcmp(m->match, charge_class_name(l->cls)) == 0;
			break;
		case PRICING_SCOPE_ALL:
		case PRICING_NSCOPE:
			hit = 1;
			break;
		}
		if (hit)
			best = m;
	}
	return best;
}

/* Which AWS discount or credit a line is; PRICING_NBENEFIT: none. */
static enum pricing_benefit
benefit_of(const struct pricing_line *l)
{
	const char *t = l->line_type != NULL ? l->line_type : "";

	if (l->cls == CHARGE_CREDIT)
		return PRICING_CREDITS;
	if (l->cls != CHARGE_DISCOUNT)
		return PRICING_NBENEFIT;
	if (strcmp(t, "EdpDiscount") == 0)
		return PRICING_EDP;
	if (strcmp(t, "PrivateRateDiscount") == 0)
		return PRICING_PRIVATE_RATE;
	if (strcmp(t, "DistributorDiscount") == 0 ||
	    strcmp(t, "SppDiscount") == 0)
		return PRICING_RESELLER_PROGRAM;
	if (strcmp(t, "BundledDiscount") == 0)
		return PRICING_BUNDLED;
	return PRICING_NBENEFIT;
}

static int
is_support_plan(const struct pricing_rules *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->nsupport_plans; i++)
		if (strcmp(r->support_plans[i], code) == 0)
			return 1;
	return 0;
}

static void
add_effect(struct pricing_result *res, long line, money_t aws, money_t pilvi,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
add_effect(struct pricing_result *res, long line, money_t aws, money_t pilvi,
    const char *fmt, ...)
{
	struct pricing_effect *e;
	char label[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(label, sizeof(label), fmt, ap);
	va_end(ap);
	res->effects = xrealloc(res->effects, (res->neffects + 1) *
	    sizeof(*res->effects));
	e = &res->effects[res->neffects++];
	e->label = xstrdup(label);
	e->line = line;
	e->aws = aws;
	e->pilvi = pilvi;
}

static int
cmp_service(const void *a, const void *b)
{
	const struct pricing_service *x = a, *y = b;

	if (x->pilvi != y->pilvi)
		return x->pilvi > y->pilvi ? -1 : 1;
	if (x->aws != y->aws)
		return x->aws > y->aws ? -1 : 1;
	return strcmp(x->service, y->service);
}

/* Pilvi's support fee on spend: each tier's percent of the spend within
 * it, and at least the minimum. */
static money_t
support_fee(const struct pricing_rules *r, money_t spend)
{
	money_t fee = 0, from = 0;
	size_t i;

	for (i = 0; i < r->ntiers && spend > from; i++) {
		const struct pricing_tier *t = &r->tiers[i];
		money_t to = t->open || spend < t->upto ? spend : t->upto;

		fee += percent_of(to - from, t->pct_e4);
		from = to;
	}
	return fee > r->support_minimum ? fee : r->support_minimum;
}

static int
overflow(struct pv_error *err, const struct pricing_rules *r)
{
	return pv_error_set(err, PV_ERR_INPUT, r->file, 0, "an amount under "
	    "these rules leaves the range money is held in (about "
	    "+-922 million)");
}

int
pricing_apply(const struct pricing_rules *r, const char *currency,
    const struct pricing_line *lines, size_t n, struct pricing_result *out,
    struct pv_error *err)
{
	struct acc *mk_pilvi = NULL, credits = { 0 }, acc;
	money_t *mk_aws = NULL, ended[PRICING_NBENEFIT] = { 0 };
	money_t support_aws = 0, spend = 0, v;
	struct svc *sv = NULL;
	size_t nsv = 0, i, k;
	int64_t rate = r->to[0] != '\0' ? r->rate_e6 : ONE;
	int swap = r->ntiers > 0, rc = -1;
	char pct[32];

	memset(out, 0, sizeof(*out));
	if (r->to[0] != '\0' && strcmp(currency, r->from) != 0) {
		pv_error_set(err, PV_ERR_INPUT, r->file, r->rate_line, "the rules "
		    "convert from %s, but the bill is in %s", r->from,
		    currency);
		goto out;
	}
	out->aws_currency = xstrdup(currency);
	out->currency = xstrdup(r->to[0] != '\0' ? r->to : currency);
	mk_aws = xcalloc(r->nmarkups + 1, sizeof(*mk_aws));
	mk_pilvi = xcalloc(r->nmarkups + 1, sizeof(*mk_pilvi));
	sv = xcalloc(n + 1, sizeof(*sv));
	for (i = 0; i < n; i++) {
		const struct pricing_line *l = &lines[i];
		enum pricing_benefit b = benefit_of(l);
		const struct pricing_markup *m;
		struct svc *s;

		if (l->cls == CHARGE_TAX) {
			if (money_add(&out->aws_tax, l->amount) != 0)
				goto range;
			continue;
		}
		if (l->cls == CHARGE_ROUNDING)
			continue;
		if (l->cls == CHARGE_CREDIT || l->cls == CHARGE_REFUND) {
			if (money_add(&out->aws_credits, l->amount) != 0)
				goto range;
			if (b == PRICING_CREDITS && r->ends[b]) {
				if (money_add(&ended[b], l->amount) != 0)
					goto range;
			} else if (acc_add(&credits, l->amount, ONE) != 0)
				goto range;
			continue;
		}
		/* usage, fees, discounts: the budget, service by service */
		for (k = 0; k < nsv && strcmp(sv[k].code, l->service) != 0;
		    k++)
			;
		s = &sv[k];
		if (k == nsv) {
			s->code = l->service;
			s->support_plan = is_support_plan(r, l->service);
			nsv++;
		}
		if (money_add(&s->aws, l->amount) != 0 ||
		    money_add(&out->aws_amount, l->amount) != 0)
			goto range;
		if (b != PRICING_NBENEFIT && r->ends[b]) {
			if (money_add(&ended[b], l->amount) != 0)
				goto range;
			continue;
		}
		if (swap && s->support_plan) {
			if (money_add(&support_aws, l->amount) != 0)
				goto range;
			continue;
		}
		m = markup_of(r, l);
		k = m != NULL ? (size_t)(m - r->markups) : r->nmarkups;
		if (acc_add(&s->pilvi, l->amount, ONE + (m != NULL ?
		    m->pct_e4 : 0)) != 0 ||
		    money_add(&mk_aws[k], l->amount) != 0 ||
		    acc_add(&mk_pilvi[k], l->amount, ONE + (m != NULL ?
		    m->pct_e4 : 0)) != 0)
			goto range;
	}

	/* the services, in Pilvi's currency */
	out->services = xcalloc(nsv + 1, sizeof(*out->services));
	for (i = 0; i < nsv; i++) {
		struct pricing_service *p = &out->services[out->nservices++];

		p->service = xstrdup(sv[i].code);
		p->aws = sv[i].aws;
		p->support_plan = swap && sv[i].support_plan;
		if (acc_value(&sv[i].pilvi, rate, &p->pilvi) != 0 ||
		    money_add(&spend, p->pilvi) != 0)
			goto range;
	}
	if (out->nservices > 1)
		qsort(out->services, out->nservices, sizeof(*out->services),
		    cmp_service);

	/* what changed, in the order the rules apply */
	for (i = 0; i < PRICING_NBENEFIT; i++)
		if (r->ends[i] && ended[i] != 0)
			add_effect(out, r->ends_line[i], ended[i], 0, "%s end%s",
			    i == PRICING_EDP ? "EDP discount" :
			    i == PRICING_PRIVATE_RATE ? "private rate discount" :
			    i == PRICING_RESELLER_PROGRAM ? "reseller program "
			    "discount" : i == PRICING_BUNDLED ? "bundled discount" :
			    "credits", i == PRICING_CREDITS ? "" : "s");
	if (swap) {
		out->support_fee = support_fee(r, spend);
		add_effect(out, r->support_line, support_aws, out->support_fee,
		    support_aws != 0 ? "support plan replaced" :
		    "Pilvi support fee");
	}
	for (i = 0; i < r->nmarkups; i++) {
		const struct pricing_markup *m = &r->markups[i];

		if (m->pct_e4 == 0 || mk_aws[i] == 0)
			continue;
		acc.n = mk_pilvi[i].n;
		if (acc_value(&acc, rate, &v) != 0)
			goto range;
		format_fixed(pct, sizeof(pct), m->pct_e4 < 0 ? -m->pct_e4 :
		    m->pct_e4, 4);
		if (m->scope == PRICING_SCOPE_ALL)
			add_effect(out, m->line, mk_aws[i], v, "%s %s %% on "
			    "every service", m->pct_e4 < 0 ? "discount" :
			    "markup", pct);
		else
			add_effect(out, m->line, mk_aws[i], v, "%s %s %% on "
			    "%s %s", m->pct_e4 < 0 ? "discount" : "markup", pct,
			    m->scope == PRICING_SCOPE_USAGE_TYPE ? "usage type" :
			    m->scope == PRICING_SCOPE_CHARGE_CLASS ?
			    "charge class" : scope_names[m->scope], m->match);
	}
	if (r->to[0] != '\0' && out->aws_amount != 0) {
		acc.n = (__int128)out->aws_amount * ONE;
		if (acc_value(&acc, rate, &v) != 0)
			goto range;
		format_fixed(pct, sizeof(pct), r->rate_e6, 6);
		add_effect(out, r->rate_line, out->aws_amount, v, "in %s at %s "
		    "per %s (rate of %s)", r->to, pct, r->from, r->rate_date);
	}

	/* the sums */
	out->pilvi_amount = spend;
	if (money_add(&out->pilvi_amount, out->support_fee) != 0 ||
	    acc_value(&credits, rate, &out->pilvi_credits) != 0)
		goto range;
	if (r->has_vat) {
		money_t base = out->pilvi_amount;

		if (money_add(&base, out->pilvi_credits) != 0)
			goto range;
		out->pilvi_tax = base > 0 ? percent_of(base, r->vat_e4) : 0;
		format_fixed(pct, sizeof(pct), r->vat_e4, 4);
		add_effect(out, r->vat_line, out->aws_tax, out->pilvi_tax,
		    "VAT %s %% instead of AWS's tax", pct);
	} else {
		acc.n = (__int128)out->aws_tax * ONE;
		if (acc_value(&acc, rate, &out->pilvi_tax) != 0)
			goto range;
	}
	out->aws_total = out->aws_amount;
	out->pilvi_total = out->pilvi_amount;
	if (money_add(&out->aws_total, out->aws_credits) != 0 ||
	    money_add(&out->aws_total, out->aws_tax) != 0 ||
	    money_add(&out->pilvi_total, out->pilvi_credits) != 0 ||
	    money_add(&out->pilvi_total, out->pilvi_tax) != 0)
		goto range;
	rc = 0;
	goto out;
range:
	overflow(err, r);
out:
	free(sv);
	free(mk_aws);
	free(mk_pilvi);
	if (rc != 0)
		pricing_result_release(out);
	return rc;
}

void
pricing_result_release(struct pricing_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->nservices; i++)
		free(res->services[i].service);
	for (i = 0; i < res->neffects; i++)
		free(res->effects[i].label);
	free(res->services);
	free(res->effects);
	free(res->aws_currency);
	free(res->currency);
	memset(res, 0, sizeof(*res));
}

/* "+1,234.50" / "-0.30": a change, to the cent, always signed. */
static void
signed_amount(char *buf, size_t n, money_t v)
{
	char num[48];

	money_format_grouped(num, sizeof(num), pricing_round(v), 2);
	snprintf(buf, n, "%s%s", num[0] == '-' ? "" : "+", num);
}

void
pricing_effect_format(char *buf, size_t n, const struct pricing_effect *e)
{
	char a[64], p[64];

	/* what leaves the AWS side, what comes on Pilvi's */
	signed_amount(a, sizeof(a), -e->aws);
	signed_amount(p, sizeof(p), e->pilvi);
	snprintf(buf, n, "%s: %s AWS, %s Pilvi", e->label, a, p);
}
