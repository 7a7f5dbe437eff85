/*
 * cli.c - run commands: open the store, call the core, print what the
 * user asked for on stdout and errors on stderr.
 */
#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "budget.h"
#include "catalog.h"
#include "drop.h"
#include "duck.h"
#include "export.h"
#include "ingest.h"
#include "report.h"
#include "store.h"
#include "walk.h"
#include "xalloc.h"

static void
print_error(const struct pv_error *e)
{
	char buf[2048];

	pv_error_format(e, buf, sizeof(buf));
	fprintf(stderr, "pilvi-analyzer: %s\n", buf);
}

static void
print_warnings(const char *name, const struct ingest_result *r)
{
	size_t i;

	for (i = 0; i < r->nwarnings; i++)
		fprintf(stderr, "pilvi-analyzer: warning: %s: %s\n", name,
		    r->warnings[i]);
	if (r->more_warnings > 0)
		fprintf(stderr, "pilvi-analyzer: warning: %s: %ld more "
		    "warnings not shown\n", name, r->more_warnings);
}

/* Open the database, and read --catalog when given. Returns the exit
 * status to give up with, or EXIT_OK. */
static int
open_store(const struct cli_options *o, struct store **st)
{
	struct pv_error err;

	pv_error_clear(&err);
	if (store_open(st, o->db, &err) != 0) {
		print_error(&err);
		return EXIT_FATAL;
	}
	if (o->catalog != NULL && catalog_load_pilvi(store_db(*st), o->catalog,
	    &err) != 0) {
		print_error(&err);
		store_close(*st);
		return err.kind == PV_ERR_FATAL ? EXIT_FATAL : EXIT_REJECTED;
	}
	return EXIT_OK;
}

/*
 * Read --pricing FILE into *rules (before any work: a bad rule is said
 * at once). Returns EXIT_OK (rules->file is NULL without --pricing), or
 * the exit status to give up with, the error printed.
 */
static int
load_pricing(const struct cli_options *o, struct pricing_rules *rules)
{
	struct pv_error err;

	memset(rules, 0, sizeof(*rules));
	if (o->pricing == NULL)
		return EXIT_OK;
	pv_error_clear(&err);
	if (pricing_rules_load(rules, o->pricing, &err) != 0) {
		print_error(&err);
		return err.kind == PV_ERR_FATAL ? EXIT_FATAL : EXIT_REJECTED;
	}
	return EXIT_OK;
}

/*
 * With --pricing, the budget under Pilvi of r's estimate, in r->pilvi
 * (the feed's pilvi rows). Returns EXIT_OK, or the status to give up
 * with, the error printed.
 */
static int
attach_pilvi(const struct cli_options *o, struct store *st, struct report *r)
{
	struct pricing_rules rules;
	struct pv_error err;
	int status;

	if ((status = load_pricing(o, &rules)) != EXIT_OK ||
	    rules.file == NULL || r->estimate == NULL)
		return status;
	pv_error_clear(&err);
	if (budget_build(st, r->estimate, &rules, &r->pilvi, &err) != 0) {
		print_error(&err);
		status = err.kind == PV_ERR_INPUT ? EXIT_REJECTED : EXIT_FATAL;
	}
	pricing_rules_release(&rules);
	return status;
}

/*
 * The store and the report the exports write from, with the budget under
 * Pilvi when --pricing asks for it. Returns EXIT_OK with *st and *r
 * (the caller closes and frees them), or the status to give up with,
 * the error printed and nothing left open.
 */
static int
open_report(const struct cli_options *o, const struct report_options *ro,
    struct store **st, struct report **r)
{
	struct pv_error err;
	int status;

	if ((status = open_store(o, st)) != EXIT_OK)
		return status;
	pv_error_clear(&err);
	if (report_build(*st, ro, r, &err) != 0) {
		print_error(&err);
		store_close(*st);
		return EXIT_FATAL;
	}
	if ((status = attach_pilvi(o, *st, *r)) != EXIT_OK) {
		report_free(*r);
		store_close(*st);
	}
	return status;
}

static double elapsed(const struct timespec *t0);

void
cli_progress_line(char *buf, size_t n, const char *name, uint64_t done,
    uint64_t total, uint64_t rows, double secs)
{
	double rate = secs > 0 ? (double)done / 1e6 / secs : 0;
	char tail[160], shown[512];
	size_t room, len = strlen(name);

	if (total > 0) {
		if (done > total)
			done = total;
		snprintf(tail, sizeof(tail), ": %d%% (%llu of %llu MB), %llu "
		    "rows, %.0f MB/s", (int)(done * 100 / total),
		    (unsigned long long)(done / 1000000),
		    (unsigned long long)(total / 1000000),
		    (unsigned long long)rows, rate);
	} else
		snprintf(tail, sizeof(tail), ": %llu MB, %llu rows, %.0f MB/s",
		    (unsigned long long)(done / 1000000),
		    (unsigned long long)rows, rate);
	/* the line fits in n - 1 columns: a long name (AWS's run to 90
	 * characters) loses its middle, so the figures stay in sight */
	room = n > 9 + strlen(tail) ? n - 9 - strlen(tail) : 0;
	if (len > room && room >= 11 && room < sizeof(shown)) {
		size_t head = (room - 3) / 2, end = room - 3 - head;

		snprintf(shown, sizeof(shown), "%.*s...%s", (int)head, name,
		    name + len - end);
		name = shown;
	}
	snprintf(buf, n, "reading %s%s", name, tail);
}

/*
 * Progress on a terminal, redrawn in place on stderr about five times a
 * second and erased when the file is done. Only once a file has taken a
 * second, and never when stderr is not a terminal or with --quiet.
 */
struct progress {
	const char *name;
	struct timespec t0;	/* when the file was opened */
	double drawn;		/* seconds at the last redraw */
	int shown;
	/* the run so far, for the closing line of a many-file ingest */
	int ingested, same, rejected;
	long rows;
};

/* The terminal's width (stderr's), else $COLUMNS, else 80. */
static size_t
columns(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");
	long v;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (c != NULL && (v = strtol(c, NULL, 10)) > 0 && v < 1000)
		return (size_t)v;
	return 80;
}

static void
show_progress(void *ctx, uint64_t done, uint64_t total, uint64_t rows)
{
	struct progress *p = ctx;
	double secs = elapsed(&p->t0);
	char line[512];

	if (secs < 1.0 || (p->shown && secs - p->drawn < 0.2))
		return;
	cli_progress_line(line, columns() < sizeof(line) ? columns() :
	    sizeof(line), p->name, done, total, rows, secs);
	fprintf(stderr, "\r%s\033[K", line);
	p->drawn = secs;
	p->shown = 1;
}

static void
clear_progress(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}

static double
elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Ingest one file (path; shown and registered as name when not NULL)
 * and say what became of it. Returns EXIT_OK, EXIT_REJECTED (a bad
 * file) or EXIT_FATAL. */
static int
ingest_one(const struct cli_options *o, struct store *st,
    struct ingest_options *io, struct progress *prog, const char *path,
    const char *shown, int report_each)
{
	struct ingest_result res;
	struct pv_error err;
	const char *name;
	struct timespec t0;
	int rc;

	name = shown != NULL ? shown : strcmp(path, "-") == 0 ? "stdin" :
	    path;
	io->name = shown;
	prog->name = name;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	prog->t0 = t0;
	rc = ingest_file(st, path, io, &res, &err);
	io->name = NULL;
	clear_progress(prog);
	if (rc != 0) {
		print_error(&err);
		ingest_result_release(&res);
		prog->rejected++;
		return err.kind == PV_ERR_FATAL ? EXIT_FATAL : EXIT_REJECTED;
	}
	if (res.status == INGEST_DUPLICATE)
		prog->same++;
	else {
		prog->ingested++;
		prog->rows += res.rows;
	}
	if (!o->quiet && res.status != INGEST_DUPLICATE)
		print_warnings(name, &res);
	if (report_each && !o->quiet) {
		if (res.status == INGEST_DUPLICATE)
			printf("%s: skipped, identical to file #%lld (%s)\n",
			    name, res.duplicate_of, res.duplicate_name);
		else {
			printf("%s: ingested as file #%lld: %s, %ld rows",
			    name, res.file_id, res.format, res.rows);
			if (res.replaced > 0)
				printf(", replaces %ld earlier payer-month%s",
				    res.replaced, res.replaced == 1 ? "" : "s");
			if (res.kept_aside > 0)
				printf(", kept aside (%ld payer-month%s): file "
				    "#%lld holds %s", res.kept_aside,
				    res.kept_aside == 1 ? "" : "s",
				    res.newer_file, res.newer_invoiced ?
				    "the invoiced month" : "newer data");
			if (o->verbose)
				printf(" (%s, %llu bytes, %.2f s)",
				    res.container,
				    (unsigned long long)res.size,
				    elapsed(&t0));
			putchar('\n');
		}
	}
	ingest_result_release(&res);
	return EXIT_OK;
}

/* What the plan of a delivery says: manifests read and what was
 * skipped on stdout, warnings on stderr. */
static void
print_plan(const struct cli_options *o, const struct walk_plan *p,
    int report_each)
{
	size_t i;

	if (o->quiet)
		return;
	for (i = 0; i < p->nnotes; i++) {
		const struct walk_note *n = &p->notes[i];

		if (n->warning)
			fprintf(stderr, "pilvi-analyzer: warning: %s: %s\n",
			    n->subject, n->text);
		else if (report_each)
			printf("%s: %s\n", n->subject, n->text);
	}
	fflush(stdout);
}

/*
 * A delivery's file as shown and registered: from the base name of the
 * folder or archive given (root) on, "/srv/in/tree/s3/x.csv.gz" as
 * "tree/s3/x.csv.gz": a path of the support machine means nothing in a
 * report. The caller frees the result.
 */
static char *
delivery_name(const char *root, const char *full)
{
	size_t n = strlen(root), b;
	char *s;

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (strncmp(full, root, n) != 0)
		return xstrdup(full);
	for (b = n; b > 0 && root[b - 1] != '/'; b--)
		;
	s = xmalloc(strlen(full) + 1);
	snprintf(s, strlen(full) + 1, "%.*s%s", (int)(n - b), root + b,
	    full + n);
	return s;
}

/* A delivery folder or archive (root, as given): the files its plan
 * takes. */
static int
ingest_delivery(const struct cli_options *o, struct store *st,
    struct ingest_options *io, struct progress *prog,
    const struct walk_plan *plan, const char *root, int report_each)
{
	char *shown;
	struct walk_members *m = NULL;
	const struct walk_item *it;
	struct pv_error err;
	char path[64];
	size_t i;
	int r, rc, status = EXIT_OK;

	print_plan(o, plan, report_each);
	if (plan->archive == NULL) {
		for (i = 0; i < plan->ntake; i++) {
			shown = delivery_name(root, plan->take[i].path);
			rc = ingest_one(o, st, io, prog, plan->take[i].path,
			    shown, report_each);
			free(shown);
			if (rc == EXIT_FATAL)
				return rc;
			if (rc != EXIT_OK)
				status = rc;
		}
		return status;
	}
	if (walk_members_open(&m, plan, &io->limits, &err) != 0)
		goto fail;
	while ((r = walk_members_next(m, &it, path, sizeof(path), &err)) ==
	    1) {
		shown = delivery_name(root, it->name);
		rc = ingest_one(o, st, io, prog, path, shown, report_each);
		free(shown);
		if (rc == EXIT_FATAL) {
			walk_members_free(m);
			return rc;
		}
		if (rc != EXIT_OK)
			status = rc;
	}
	if (r < 0)
		goto fail;
	walk_members_free(m);
	return status;
fail:
	walk_members_free(m);
	print_error(&err);
	return err.kind == PV_ERR_FATAL ? EXIT_FATAL : EXIT_REJECTED;
}

/*
 * Ingest each file; a bad one is reported and the rest go on. A folder,
 * or a zip or tar of one, is walked as a CUR or Data Exports delivery
 * (walk.h): the current run of each month is taken, and what is not is
 * listed with the reason.
 */
static int
ingest_all(const struct cli_options *o, struct store *st, char **files,
    int nfiles, int report_each)
{
	struct ingest_options io;
	struct progress prog;
	int i, rc, status = EXIT_OK;

	memset(&prog, 0, sizeof(prog));
	ingest_options_default(&io);
	if (!o->quiet && isatty(STDERR_FILENO)) {
		io.progress = show_progress;
		io.progress_ctx = &prog;
	}
	for (i = 0; i < nfiles; i++) {
		struct walk_plan plan;
		struct pv_error err;
		struct stat sb;

		if (walk_plan(files[i], &io.limits, &plan, &err) != 0) {
			walk_plan_release(&plan);
			/* a folder that cannot be read; a bad archive is
			 * reported by the ingest below, in its words */
			if (stat(files[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
				print_error(&err);
				if (err.kind == PV_ERR_FATAL)
					return EXIT_FATAL;
				status = EXIT_REJECTED;
				continue;
			}
			plan.delivery = 0;
		}
		if (plan.delivery)
			rc = ingest_delivery(o, st, &io, &prog, &plan,
			    files[i], report_each);
		else
			rc = ingest_one(o, st, &io, &prog, files[i], NULL,
			    report_each);
		walk_plan_release(&plan);
		if (rc == EXIT_FATAL)
			return rc;
		if (rc != EXIT_OK)
			status = rc;
	}
	/* many files: one line that adds them up */
	if (report_each && !o->quiet &&
	    prog.ingested + prog.same + prog.rejected > 1)
		printf("%d files: %d ingested (%ld rows), %d the same as "
		    "before, %d rejected\n", prog.ingested + prog.same +
		    prog.rejected, prog.ingested, prog.rows, prog.same,
		    prog.rejected);
	return status;
}

static int
finish_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "pilvi-analyzer: writing the output: %s\n",
		    strerror(errno));
		return EXIT_FATAL;
	}
	return status;
}

int
cli_ingest(const struct cli_options *o, char **files, int nfiles)
{
	struct store *st;
	int status;

	if ((status = open_store(o, &st)) != EXIT_OK)
		return status;
	status = ingest_all(o, st, files, nfiles, 1);
	store_close(st);
	return finish_stdout(status);
}

static void
print_check(const char *name, const struct ingest_result *r)
{
	size_t i;
	int c;

	printf("%s: %s (%s), %ld row%s, sha256 %s\n", name,
	    strcmp(r->format, "manual") == 0 ? "service list" : r->format,
	    r->container, r->rows, r->rows == 1 ? "" : "s", r->sha256);
	for (i = 0; i < r->nperiods; i++) {
		const struct ingest_period *p = &r->periods[i];
		money_t total, statement;
		char buf[64];

		printf("  payer %s, %s, %s, %ld row%s, currency %s\n", p->payer,
		    p->period, p->estimated ? "open month (estimated)" :
		    "final", p->rows, p->rows == 1 ? "" : "s",
		    p->currency[0] ? p->currency : "USD");
		for (c = 0; c < CHARGE_NCLASS; c++) {
			money_t v = ingest_period_class(p, c);

			if (v == 0)
				continue;
			money_format_grouped(buf, sizeof(buf), v, p->places);
			printf("    %-10s %24s\n", charge_class_name(c), buf);
		}
		if (ingest_period_total(p, &total) != 0) {
			printf("    total overflows\n");
			continue;
		}
		money_format_grouped(buf, sizeof(buf), total, p->places);
		printf("    %-10s %24s\n", "total", buf);
		if (!ingest_period_statement(p, &statement)) {
			printf("    no total rows: reconciliation not "
			    "possible\n");
			continue;
		}
		money_format_grouped(buf, sizeof(buf), statement, 2);
		if (money_round(total, 2) == money_round(statement, 2))
			printf("    statement total %s: reconciled to the "
			    "cent\n", buf);
		else {
			char diff[64];
			money_t d;

			if (money_sub(total, statement, &d) != 0) {
				printf("    statement total %s: does NOT "
				    "reconcile (difference overflows)\n", buf);
				continue;
			}
			money_format_grouped(diff, sizeof(diff), d, 2);
			printf("    statement total %s: does NOT reconcile "
			    "(difference %s)\n", buf, diff);
		}
	}
	for (i = 0; i < r->nwarnings; i++)
		printf("  warning: %s\n", r->warnings[i]);
}

int
cli_check(const struct cli_options *o, char **files, int nfiles)
{
	struct ingest_options io;
	int i, status = EXIT_OK;

	ingest_options_default(&io);
	for (i = 0; i < nfiles; i++) {
		struct ingest_result res;
		struct pv_error err;

		if (ingest_file(NULL, files[i], &io, &res, &err) != 0) {
			print_error(&err);
			if (err.kind == PV_ERR_FATAL) {
				ingest_result_release(&res);
				return EXIT_FATAL;
			}
			status = EXIT_REJECTED;
		} else if (!o->quiet)
			print_check(strcmp(files[i], "-") == 0 ? "stdin" :
			    files[i], &res);
		ingest_result_release(&res);
	}
	return finish_stdout(status);
}

int
cli_files(const struct cli_options *o)
{
	struct report_options ro = { o->payer, o->month, o->account,
	    o->threshold_pct, REPORT_FILES, NULL, NULL };
	struct store *st;
	struct report *r;
	struct pv_error err;
	int status = EXIT_OK;

	if ((status = open_store(o, &st)) != EXIT_OK)
		return status;
	pv_error_clear(&err);
	if (report_build(st, &ro, &r, &err) != 0) {
		print_error(&err);
		store_close(st);
		return EXIT_FATAL;
	}
	if ((strcmp(o->format, "json") == 0 ?
	    report_write_files_json(r, stdout) : report_write_files(r,
	    stdout)) != 0)
		status = EXIT_FATAL;
	report_free(r);
	store_close(st);
	return finish_stdout(status);
}

/*
 * Write the report to -o FILE through a temporary file in the same
 * directory, renamed into place: a reader never sees half a report.
 * Reports hold billing data, so the file is private (0600).
 */
static int
write_report(const struct cli_options *o, const struct report *r)
{
	char tmp[4096];
	FILE *fp = stdout;
	int fd = -1, rc;

	if (o->output != NULL && strcmp(o->output, "-") != 0) {
		if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", o->output) >=
		    (int)sizeof(tmp) || (fd = mkstemp(tmp)) < 0 ||
		    (fp = fdopen(fd, "w")) == NULL) {
			fprintf(stderr, "pilvi-analyzer: cannot write '%s': %s\n",
			    o->output, strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
			return EXIT_FATAL;
		}
	}
	if (strcmp(o->format, "json") == 0)
		rc = report_write_json(r, fp);
	else if (strcmp(o->format, "markdown") == 0)
		rc = report_write_markdown(r, fp);
	else if (strcmp(o->format, "html") == 0)
		rc = report_write_html(r, fp);
	else if (strcmp(o->format, "email") == 0)
		rc = report_write_email(r, fp);
	else
		rc = report_write_text(r, fp);
	if (fp == stdout)
		return rc == 0 ? finish_stdout(EXIT_OK) : EXIT_FATAL;
	if (rc != 0 || fflush(fp) != 0 || fsync(fileno(fp)) != 0 ||
	    fclose(fp) != 0 || rename(tmp, o->output) != 0) {
		fprintf(stderr, "pilvi-analyzer: cannot write '%s': %s\n",
		    o->output, strerror(errno));
		unlink(tmp);
		return EXIT_FATAL;
	}
	return EXIT_OK;
}

int
cli_report(const struct cli_options *o, char **files, int nfiles)
{
	struct report_options ro = { o->payer, o->month, o->account,
	    o->threshold_pct, 0, o->customer, o->customer_id };
	struct pricing_rules rules;
	struct store *st;
	struct report *r = NULL;
	struct pv_error err;
	int status = EXIT_OK, wstatus;

	if ((status = load_pricing(o, &rules)) != EXIT_OK)
		return status;
	if ((status = open_store(o, &st)) != EXIT_OK) {
		pricing_rules_release(&rules);
		return status;
	}
	if (nfiles > 0) {
		struct cli_options quiet = *o;

		quiet.quiet = 1;	/* the report itself says what was read */
		status = ingest_all(o->quiet ? &quiet : o, st, files, nfiles, 0);
		if (status == EXIT_FATAL) {
			pricing_rules_release(&rules);
			store_close(st);
			return status;
		}
	}
	pv_error_clear(&err);
	if (report_build(st, &ro, &r, &err) != 0 ||
	    (rules.file != NULL && r->estimate != NULL &&
	    budget_build(st, r->estimate, &rules, &r->pilvi, &err) != 0)) {
		print_error(&err);
		pricing_rules_release(&rules);
		report_free(r);
		store_close(st);
		return err.kind == PV_ERR_INPUT ? EXIT_REJECTED : EXIT_FATAL;
	}
	pricing_rules_release(&rules);
	wstatus = write_report(o, r);
	report_free(r);
	store_close(st);
	return wstatus != EXIT_OK ? wstatus : status;
}

int
cli_inventory(const struct cli_options *o)
{
	struct inventory_options io = { o->payer, o->account, o->month,
	    o->threshold_pct };
	struct inventory *inv;
	struct store *st;
	struct pv_error err;
	int status;

	if ((status = open_store(o, &st)) != EXIT_OK)
		return status;
	pv_error_clear(&err);
	if (inventory_build(st, &io, &inv, &err) != 0) {
		print_error(&err);
		store_close(st);
		return EXIT_FATAL;
	}
	report_write_inventory(inv, stdout);
	inventory_free(inv);
	store_close(st);
	return finish_stdout(EXIT_OK);
}

int
cli_estimate(const struct cli_options *o)
{
	struct estimate_options eo = { o->payer, o->month, NULL, 0 };
	struct estimate_record *hist = NULL;
	struct estimate *e = NULL;
	struct budget *pilvi = NULL;
	struct pricing_rules rules;
	struct store *st;
	struct pv_error err;
	size_t nhist = 0;
	int status, rc;

	if ((status = load_pricing(o, &rules)) != EXIT_OK)
		return status;
	if ((status = open_store(o, &st)) != EXIT_OK) {
		pricing_rules_release(&rules);
		return status;
	}
	pv_error_clear(&err);
	if (o->backtest) {
		struct estimate_backtest_options bo = { o->payer, NULL, 0, 0 };
		struct estimate_backtest *b;

		if (estimate_backtest(st, &bo, &b, &err) != 0) {
			print_error(&err);
			store_close(st);
			return EXIT_FATAL;
		}
		report_write_backtest(b, stdout);
		estimate_backtest_free(b);
		store_close(st);
		return finish_stdout(EXIT_OK);
	}
	/* the estimate is kept, so that the month's final bill can say
	 * later how far off it was */
	if (estimate_build(st, &eo, &e, &err) != 0 ||
	    estimate_record(st, e, &err) != 0 ||
	    estimate_history(st, o->payer, &hist, &nhist, &err) != 0 ||
	    (rules.file != NULL && budget_build(st, e, &rules, &pilvi,
	    &err) != 0)) {
		print_error(&err);
		pricing_rules_release(&rules);
		estimate_history_free(hist, nhist);
		estimate_free(e);
		store_close(st);
		return err.kind == PV_ERR_INPUT ? EXIT_REJECTED : EXIT_FATAL;
	}
	pricing_rules_release(&rules);
	/* no billing month: no estimate, and a status that says so (the
	 * JSON still comes, with a null confidence, for scripts) */
	status = e->npayers == 0 ? EXIT_REJECTED : EXIT_OK;
	if (status != EXIT_OK)
		fprintf(stderr, "pilvi-analyzer: no billing data to estimate "
		    "from%s%s%s%s: ingest a billing file first\n", o->payer ?
		    " for payer " : "", o->payer ? o->payer : "", o->month ?
		    " in " : "", o->month ? o->month : "");
	if (strcmp(o->format, "json") == 0)
		rc = report_write_estimate_json(e, hist, nhist, pilvi, stdout);
	else if (e->npayers > 0)
		rc = report_write_estimate(e, hist, nhist, pilvi, stdout);
	(void)rc;
	budget_free(pilvi);
	estimate_history_free(hist, nhist);
	estimate_free(e);
	store_close(st);
	return finish_stdout(status);
}

/*
 * export -o -: the CSV straight to standard output; the workbook is
 * written to a private temporary file first (the spreadsheet library
 * wants a path) and copied out.
 */
static int
export_to_stdout(const struct report *r, const char *format)
{
	char tmp[4096], buf[65536];
	const char *dir = getenv("TMPDIR");
	struct pv_error err;
	size_t n;
	FILE *in;
	int fd, rc;

	if (strcmp(format, "xlsx") != 0) {
		if (report_write_csv(r, stdout) != 0)
			return finish_stdout(EXIT_FATAL);
		return finish_stdout(EXIT_OK);
	}
	if (snprintf(tmp, sizeof(tmp), "%s/pilvi-export.XXXXXX", dir != NULL &&
	    *dir ? dir : "/tmp") >= (int)sizeof(tmp) ||
	    (fd = mkstemp(tmp)) < 0) {
		fprintf(stderr, "pilvi-analyzer: cannot make a temporary file "
		    "for the workbook: %s\n", strerror(errno));
		return EXIT_FATAL;
	}
	close(fd);
	pv_error_clear(&err);
	rc = report_write_xlsx(r, tmp, &err);
	if (rc != 0)
		print_error(&err);
	else if ((in = fopen(tmp, "rb")) == NULL)
		rc = -1;
	else {
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			if (fwrite(buf, 1, n, stdout) != n)
				break;
		rc = ferror(in) ? -1 : 0;
		fclose(in);
	}
	unlink(tmp);
	return rc != 0 ? EXIT_FATAL : finish_stdout(EXIT_OK);
}

/*
 * export --format parquet -o DIR: the lines, the daily rows and the
 * feed's rows as Hive-partitioned Parquet (export.h), the report built
 * with the same payer, month and account as the lines.
 */
static int
export_parquet_dir(const struct cli_options *o,
    const struct report_options *all)
{
	struct export_options eo = { o->payer, o->month, o->account, 0 };
	struct report_options ro = *all;
	struct export_stats stats;
	struct store *st;
	struct report *r;
	struct pv_error err;
	char why[512];
	int status;

	/* before the work: without libduckdb there is nothing to do */
	if (duck_load(why, sizeof(why)) == NULL) {
		fprintf(stderr, "pilvi-analyzer: writing Parquet needs libduckdb "
		    "(%s); %s\n", why, duck_how_to_add());
		return EXIT_REJECTED;
	}
	/* the feed's rows need the periods, the lines and the estimate;
	 * not the inventory, which on a bill of 100,000 resources took
	 * most of three minutes */
	ro.parts = REPORT_PERIODS | REPORT_ESTIMATE;
	if ((status = open_report(o, &ro, &st, &r)) != EXIT_OK)
		return status;
	pv_error_clear(&err);
	if (export_parquet(st, r, &eo, o->output, &stats, &err) != 0) {
		print_error(&err);
		status = err.kind == PV_ERR_INPUT ? EXIT_REJECTED : EXIT_FATAL;
	} else if (!o->quiet)
		printf("%s: %llu lines, %llu daily rows, %llu monthly rows; "
		    "%lu payer-months, %lu files\n", o->output, stats.rows[0],
		    stats.rows[1], stats.rows[2], stats.partitions, stats.files);
	report_free(r);
	store_close(st);
	return finish_stdout(status);
}

/*
 * The billing-spreadsheet feed, from the same report model as every
 * report, written to a temporary file beside -o and renamed into place.
 */
int
cli_export(const struct cli_options *o)
{
	struct report_options ro = { o->payer, o->month, o->account,
	    o->threshold_pct, 0, o->customer, o->customer_id };
	struct store *st;
	struct report *r;
	struct pv_error err;
	char tmp[4096];
	int status, fd = -1, rc;
	mode_t mask;
	FILE *fp = NULL;

	if (strcmp(o->format, "parquet") == 0)
		return export_parquet_dir(o, &ro);
	if ((status = open_report(o, &ro, &st, &r)) != EXIT_OK)
		return status;
	store_close(st);
	if (strcmp(o->output, "-") == 0) {
		rc = export_to_stdout(r, o->format);
		report_free(r);
		return rc;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", o->output) >=
	    (int)sizeof(tmp) || (fd = mkstemp(tmp)) < 0) {
		fprintf(stderr, "pilvi-analyzer: cannot write '%s': %s\n",
		    o->output, strerror(errno));
		report_free(r);
		return EXIT_FATAL;
	}
	if (strcmp(o->format, "xlsx") == 0) {
		close(fd);
		rc = report_write_xlsx(r, tmp, &err);
		if (rc != 0)
			print_error(&err);
	} else {
		fp = fdopen(fd, "w");
		rc = fp == NULL || report_write_csv(r, fp) != 0 ||
		    fflush(fp) != 0 || fsync(fileno(fp)) != 0 ? -1 : 0;
		if (fp != NULL && fclose(fp) != 0)
			rc = -1;
		else if (fp == NULL)
			close(fd);
		if (rc != 0)
			fprintf(stderr, "pilvi-analyzer: cannot write '%s': %s\n",
			    o->output, strerror(errno));
	}
	/* the feed holds billing data: private, like the database (the
	 * spreadsheet writer made the file anew; the umask only tightens) */
	mask = umask(077);
	umask(mask);
	if (rc == 0 && (chmod(tmp, 0600 & ~mask) != 0 ||
	    rename(tmp, o->output) != 0)) {
		fprintf(stderr, "pilvi-analyzer: cannot write '%s': %s\n",
		    o->output, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(tmp);
	report_free(r);
	return rc == 0 ? EXIT_OK : EXIT_FATAL;
}

/*
 * The email-drop folder, for cron: quiet when all is well (--quiet prints
 * nothing then), one line per failed file on stderr, exit 1 when any file
 * failed, 3 when the run itself could not work.
 */
int
cli_drop(const struct cli_options *o, const char *dir)
{
	struct drop_options dopt;
	struct drop_result res;
	struct store *st;
	struct pv_error err;
	size_t i;
	int status, lock = -1;

	memset(&dopt, 0, sizeof(dopt));
	dopt.dry_run = o->dry_run;
	dopt.settle_seconds = o->settle_seconds >= 0 ? o->settle_seconds : 60;
	pv_error_clear(&err);
	/* the lock first: a second run must not even open the database */
	switch (drop_lock(dir, o->wait, &lock, &err)) {
	case 1:
		if (!o->quiet)
			fprintf(stderr, "pilvi-analyzer: %s: another drop run is "
			    "working; nothing done (--wait waits for it)\n", dir);
		return EXIT_OK;
	case -1:
		print_error(&err);
		return EXIT_FATAL;
	}
	if ((status = open_store(o, &st)) != EXIT_OK) {
		drop_unlock(lock);
		return status;
	}
	if (drop_run(st, dir, &dopt, &res, &err) != 0) {
		print_error(&err);
		drop_result_release(&res);
		store_close(st);
		drop_unlock(lock);
		return EXIT_FATAL;
	}
	store_close(st);
	drop_unlock(lock);
	for (i = 0; i < res.nitems; i++) {
		const struct drop_item *it = &res.items[i];
		/* a Maildir message read goes to cur/, as a mail reader's */
		const char *dest = strncmp(it->name, "new/", 4) == 0 ? "cur/" :
		    "processed/";

		switch (it->outcome) {
		case DROP_FAILED:
			status = EXIT_REJECTED;
			fprintf(stderr, "pilvi-analyzer: %s (moved to failed/)\n",
			    it->message);
			break;
		case DROP_WOULD_FAIL:
			fprintf(stderr, "pilvi-analyzer: %s (would go to "
			    "failed/)\n", it->message);
			break;
		case DROP_PROCESSED:
			if (!o->quiet)
				printf("%s: ingested, moved to %s\n", it->name,
				    dest);
			break;
		case DROP_DUPLICATE:
			if (!o->quiet)
				printf("%s: %s, moved to %s\n", it->name,
				    it->message, dest);
			break;
		case DROP_SKIPPED:
			if (!o->quiet)
				printf("%s: %s\n", it->name, it->message);
			break;
		case DROP_UNSETTLED:
			if (!o->quiet)
				printf("%s: still being written, left for the "
				    "next run\n", it->name);
			break;
		case DROP_WOULD_PROCESS:
			printf("%s: would be ingested (%s)\n", it->name,
			    it->message);
			break;
		}
	}
	for (i = 0; i < res.nreports && !o->quiet; i++)
		printf("report written to %s/\n", res.reports[i]);
	if (res.feed != NULL && !o->quiet)
		printf("feed of every customer written to %s\n", res.feed);
	drop_result_release(&res);
	return finish_stdout(status);
}
