/*
 * drop.c - one run over the email-drop folder.
 *
 * Order of work, so that a crash at any point loses nothing and doubles
 * nothing: a file is ingested (one transaction) before it is moved; a run
 * killed between the two finds the file again, ingests the same bytes as
 * a duplicate (no change) and moves it then.
 */
#include "drop.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "csvread.h"
#include "datetime.h"
#include "message.h"
#include "report.h"
#include "source.h"
#include "xalloc.h"

#define LOCK_NAME ".pilvi-drop.lock"

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static void
add_item(struct drop_result *r, const char *name, enum drop_outcome o,
    const char *msg)
{
	struct drop_item *it;

	r->items = xrealloc(r->items, (r->nitems + 1) * sizeof(*r->items));
	it = &r->items[r->nitems++];
	it->name = xstrdup(name);
	it->outcome = o;
	it->message = msg != NULL ? xstrdup(msg) : NULL;
}

static int
ensure_dir(const char *path, struct pv_error *err)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot create "
		    "'%s': %s", path, strerror(errno));
	return 0;
}

/*
 * Move dir/name into dir/sub/, never over an existing file: a name taken
 * there gets ".1", ".2"... Returns the final path (caller frees), or
 * NULL with err filled.
 */
static char *
move_into(const char *dir, const char *sub, const char *name,
    struct pv_error *err)
{
	char *from = path_join(dir, name), *to_dir = path_join(dir, sub), *to;
	const char *base = strrchr(name, '/') != NULL ? strrchr(name, '/') + 1 :
	    name;	/* a Maildir's new/NAME lands as NAME */
	int i;

	for (i = 0; i < 1000; i++) {
		size_t n = strlen(to_dir) + strlen(base) + 16;

		to = xmalloc(n);
		if (i == 0)
			snprintf(to, n, "%s/%s", to_dir, base);
		else
			snprintf(to, n, "%s/%s.%d", to_dir, base, i);
		/* link + unlink: a rename that cannot replace a file */
		if (link(from, to) == 0) {
			if (unlink(from) != 0) {
				pv_error_set(err, PV_ERR_FATAL, NULL, 0,
				    "cannot move '%s': %s", from,
				    strerror(errno));
				unlink(to);
				free(to);
				to = NULL;
			}
			free(from);
			free(to_dir);
			return to;
		}
		if (errno != EEXIST)
			break;
		/* the same file there already: a move killed between its
		 * link and its unlink; finish it */
		{
			struct stat a, b;

			if (stat(from, &a) == 0 && stat(to, &b) == 0 &&
			    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
				if (unlink(from) != 0) {
					pv_error_set(err, PV_ERR_FATAL, NULL, 0,
					    "cannot move '%s': %s", from,
					    strerror(errno));
					free(to);
					to = NULL;
				}
				free(from);
				free(to_dir);
				return to;
			}
		}
		free(to);
	}
	pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot move '%s' into '%s': "
	    "%s", from, to_dir, strerror(errno));
	free(from);
	free(to_dir);
	return NULL;
}

/* Write text to path through a temporary file and a rename. */
static int
write_atomic(const char *path, const char *text, struct pv_error *err)
{
	size_t n = strlen(path) + 16;
	char *tmp = xmalloc(n);
	FILE *fp;
	int fd, rc = -1;

	snprintf(tmp, n, "%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0)
		goto out;
	if ((fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		goto out;
	}
	if (fputs(text, fp) < 0 || fflush(fp) != 0 || fsync(fd) != 0) {
		fclose(fp);
		goto out;
	}
	if (fclose(fp) != 0 || rename(tmp, path) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write '%s': %s",
		    path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

/* "Acme Oy/../x" -> "Acme_Oy____x": a customer name made a safe folder. */
static void
safe_name(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < n; i++) {
		char c = s[i];

		out[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    (c == '.' && i > 0) ? c : '_';
	}
	out[i] = '\0';
	if (i == 0)
		snprintf(out, n, "unknown");
}

/*
 * DIR/customers.csv: payer account, customer name, contact and,
 * optionally, customer id (the billing spreadsheet's own key), one payer
 * a line; a header line is allowed (its first field is no payer). A
 * payer listed twice takes its last line. The file is small; it is read
 * with the same CSV reader as bills, once per run.
 */
struct customer {
	char *payer, *name, *id;
};

struct customers {
	struct customer *v;
	size_t n;
};

static int
on_customer(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	struct customers *c = ctx;
	struct customer *e = NULL;
	size_t i;

	(void)err;
	if (rec->nfields < 2 || rec->fields[0].len == 0)
		return 0;
	for (i = 0; i < c->n && e == NULL; i++)
		if (strcmp(c->v[i].payer, rec->fields[0].ptr) == 0)
			e = &c->v[i];
	if (e == NULL) {
		c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
		e = &c->v[c->n++];
		e->payer = xstrdup(rec->fields[0].ptr);
	} else {
		free(e->name);
		free(e->id);
	}
	e->name = xstrdup(rec->fields[1].ptr);
	e->id = xstrdup(rec->nfields >= 4 ? rec->fields[3].ptr : "");
	return 0;
}

static void
load_customers(const char *dir, struct customers *c)
{
	char *path = path_join(dir, "customers.csv"), buf[8192];
	struct source_limits lim;
	struct source *src = NULL;
	const char *member;
	struct csvread *r;
	struct pv_error err;
	ssize_t got;

	memset(c, 0, sizeof(*c));
	source_limits_default(&lim);
	/* no customer list, or a broken one: payer ids name the folders */
	if (access(path, R_OK) == 0 && source_open(&src, path, path, &lim,
	    &err) == 0 && source_next(src, &member, &err) == 1) {
		r = csvread_new(path, NULL, on_customer, c);
		while ((got = source_read(src, buf, sizeof(buf), &err)) > 0)
			if (csvread_feed(r, buf, (size_t)got, &err) != 0)
				break;
		csvread_finish(r, &err);
		csvread_free(r);
	}
	source_free(src);
	free(path);
}

static void
customers_release(struct customers *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].payer);
		free(c->v[i].name);
		free(c->v[i].id);
	}
	free(c->v);
}

static const struct customer *
find_customer(const struct customers *c, const char *payer)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].payer, payer) == 0)
			return &c->v[i];
	return NULL;
}

/* The folder of a payer's customer under reports/: its name made safe,
 * else the payer id. */
static void
customer_folder(const struct customers *c, const char *payer, char *out,
    size_t n)
{
	const struct customer *e = find_customer(c, payer);

	safe_name(e != NULL && e->name[0] != '\0' ? e->name : payer, out, n);
}

static void
add_report(struct drop_result *res, const char *folder)
{
	size_t i;

	for (i = 0; i < res->nreports; i++)
		if (strcmp(res->reports[i], folder) == 0)
			return;
	res->reports = xrealloc(res->reports, (res->nreports + 1) *
	    sizeof(*res->reports));
	res->reports[res->nreports++] = xstrdup(folder);
}

/* A report for one payer, into its customer's folder. */
static int
write_report_txt(struct store *st, const char *dir, const char *payer,
    const struct customers *c, struct drop_result *res,
    struct pv_error *err)
{
	const struct customer *e = find_customer(c, payer);
	struct report_options ro;
	struct report *r = NULL;
	char name[256], *reports = path_join(dir, "reports"), *folder = NULL;
	char *text = NULL, *path = NULL;
	size_t len = 0;
	FILE *mem;
	int rc = -1;

	customer_folder(c, payer, name, sizeof(name));
	memset(&ro, 0, sizeof(ro));
	ro.payer = payer;
	ro.customer = e != NULL && e->name[0] != '\0' ? e->name : payer;
	folder = path_join(reports, name);
	if (ensure_dir(reports, err) != 0 || ensure_dir(folder, err) != 0 ||
	    report_build(st, &ro, &r, err) != 0)
		goto out;
	if ((mem = open_memstream(&text, &len)) == NULL) {
		pv_error_set(err, PV_ERR_FATAL, NULL, 0, "out of memory");
		goto out;
	}
	report_write_text(r, mem);
	fclose(mem);
	path = path_join(folder, "report.txt");
	if (write_atomic(path, text, err) != 0)
		goto out;
	add_report(res, folder);
	rc = 0;
out:
	report_free(r);
	free(text);
	free(path);
	free(folder);
	free(reports);
	return rc;
}

/* The rows of feed[0..n) whose payer's folder is `folder` (or every row
 * when folder is NULL), as CSV, written atomically to path. */
static int
write_feed(const char *path, const struct report_feed_row *feed, size_t n,
    const struct customers *c, const char *folder, struct pv_error *err)
{
	struct report_feed_row *rows = xcalloc(n + 1, sizeof(*rows));
	char *text = NULL, name[256];
	size_t len = 0, k = 0, i;
	FILE *mem;
	int rc = -1;

	for (i = 0; i < n; i++) {
		if (folder != NULL) {
			customer_folder(c, feed[i].payer, name, sizeof(name));
			if (strcmp(name, folder) != 0)
				continue;
		}
		rows[k++] = feed[i];
	}
	if ((mem = open_memstream(&text, &len)) == NULL)
		pv_error_set(err, PV_ERR_FATAL, NULL, 0, "out of memory");
	else {
		report_write_feed_csv(rows, k, mem);
		fclose(mem);
		rc = write_atomic(path, text, err);
	}
	free(text);
	free(rows);
	return rc;
}

/*
 * The feeds: DIR/reports/billing.csv holds every customer's rows, and
 * each touched customer's folder its own rows, all from one model of the
 * whole database. The database keeps one delivery per payer, month and
 * family (a re-delivery replaces the earlier one), so the feed is
 * rebuilt rather than appended to: one row set per customer and month,
 * the newest delivery's. Rebuilt when a payer was touched, when the file
 * is missing, or when customers.csv changed since it was written.
 */
static int
write_feeds(struct store *st, const char *dir, char **payers,
    size_t npayers, const struct customers *c, struct drop_result *res,
    struct pv_error *err)
{
	struct report_options ro;
	struct report *r = NULL;
	struct report_feed_row *rows = NULL;
	char *reports = path_join(dir, "reports"), *cust = path_join(dir,
	    "customers.csv"), *all = path_join(reports, "billing.csv");
	char name[256], *folder, *path;
	struct stat fs, cs;
	size_t n, i, k;
	int rc = -1;

	if (npayers == 0 && stat(all, &fs) == 0 && (stat(cust, &cs) != 0 ||
	    cs.st_mtime < fs.st_mtime)) {
		rc = 0;
		goto out;
	}
	memset(&ro, 0, sizeof(ro));
	ro.parts = REPORT_PERIODS | REPORT_ESTIMATE;
	if (report_build(st, &ro, &r, err) != 0)
		goto out;
	for (i = 0; i < c->n; i++)
		report_set_customer(r, c->v[i].payer, c->v[i].id,
		    c->v[i].name);
	n = report_feed(r, &rows);
	for (i = 0; i < npayers; i++) {
		customer_folder(c, payers[i], name, sizeof(name));
		for (k = 0; k < i; k++) {
			char other[256];

			customer_folder(c, payers[k], other, sizeof(other));
			if (strcmp(other, name) == 0)
				break;
		}
		if (k < i)
			continue;	/* this folder's feed is written */
		folder = path_join(reports, name);
		path = path_join(folder, "billing.csv");
		k = ensure_dir(reports, err) != 0 ||
		    ensure_dir(folder, err) != 0 ||
		    write_feed(path, rows, n, c, name, err) != 0;
		if (!k)
			add_report(res, folder);
		free(path);
		free(folder);
		if (k)
			goto out;
	}
	/* no billing data yet: no empty ledger either */
	if (n == 0 && stat(all, &fs) != 0) {
		rc = 0;
		goto out;
	}
	if (ensure_dir(reports, err) != 0 ||
	    write_feed(all, rows, n, c, NULL, err) != 0)
		goto out;
	res->feed = xstrdup(all);
	rc = 0;
out:
	free(rows);
	report_free(r);
	free(all);
	free(cust);
	free(reports);
	return rc;
}

static int
add_payer(char ***v, size_t *n, const char *p)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], p) == 0)
			return 0;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(p);
	return 0;
}

/* What an entry of the drop folder that is not a regular file is, for
 * the line that says it is skipped; NULL for the folder's own
 * sub-folders, which are not deliveries and need no word. */
static const char *
not_a_file(const char *name, const struct stat *sb)
{
	static const char *const own[] = { "processed", "failed", "reports",
	    "new", "cur", "tmp" };
	size_t i;

	if (S_ISDIR(sb->st_mode)) {
		for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
			if (strcmp(name, own[i]) == 0)
				return NULL;
		return "a folder: skipped (put its files in the drop folder "
		    "itself)";
	}
	if (S_ISLNK(sb->st_mode))
		return "a symbolic link: skipped (links are not followed; "
		    "copy the file in)";
	if (S_ISFIFO(sb->st_mode))
		return "a named pipe: skipped (not a file)";
	return "not a regular file: skipped";
}

static int
cmp_item(const void *a, const void *b)
{
	return strcmp(((const struct drop_item *)a)->name,
	    ((const struct drop_item *)b)->name);
}

/* The regular files of dir waiting to be processed, sorted; every
 * other entry gets a DROP_SKIPPED item in res saying what it is. */
static int
list_inputs(const char *dir, char ***out, size_t *n, struct drop_result *res,
    struct pv_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	*out = NULL;
	*n = 0;
	if (d == NULL)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot read "
		    "'%s': %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		char *p;
		struct stat sb;

		/* dot files (the lock, editors' temporaries) and the
		 * customer list are not deliveries */
		if (e->d_name[0] == '.' || strcmp(e->d_name,
		    "customers.csv") == 0)
			continue;
		p = path_join(dir, e->d_name);
		if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
			*out = xrealloc(*out, (*n + 1) * sizeof(**out));
			(*out)[(*n)++] = xstrdup(e->d_name);
		} else if (lstat(p, &sb) == 0 && not_a_file(e->d_name, &sb))
			add_item(res, e->d_name, DROP_SKIPPED,
			    not_a_file(e->d_name, &sb));
		free(p);
	}
	closedir(d);
	/* the skipped entries are the only items yet: said in name order,
	 * not the directory's */
	if (res->nitems > 1)
		qsort(res->items, res->nitems, sizeof(*res->items), cmp_item);
	/* a Maildir: its new/ holds one message per file */
	{
		char *nd = path_join(dir, "new");

		if ((d = opendir(nd)) != NULL) {
			while ((e = readdir(d)) != NULL) {
				char *p, rel[1024];
				struct stat sb;

				if (e->d_name[0] == '.')
					continue;
				snprintf(rel, sizeof(rel), "new/%s", e->d_name);
				p = path_join(dir, rel);
				if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
					*out = xrealloc(*out, (*n + 1) *
					    sizeof(**out));
					(*out)[(*n)++] = xstrdup(rel);
				}
				free(p);
			}
			closedir(d);
		}
		free(nd);
	}
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_name);
	return 0;
}

/* Attachments that are no billing file: a signature, an invoice PDF. */
static int
not_billing(const char *filename)
{
	static const char *const skip[] = { ".pdf", ".png", ".jpg", ".jpeg",
	    ".gif", ".txt", ".html", ".htm", ".doc", ".docx", ".p7s", ".asc",
	    ".sig", ".ics", ".vcf" };
	const char *dot = strrchr(filename, '.');
	size_t i;

	for (i = 0; dot != NULL && i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strcasecmp(dot, skip[i]) == 0)
			return 1;
	return 0;
}

static void
remove_tree(const char *dir, const struct message *m)
{
	size_t i;

	/* only the copies this run made */
	for (i = 0; i < m->nattachments; i++)
		unlink(m->attachments[i].path);
	rmdir(dir);
}

static void
append(char **buf, size_t *len, const char *line)
{
	size_t n = strlen(line);

	*buf = xrealloc(*buf, *len + n + 2);
	memcpy(*buf + *len, line, n);
	(*buf)[*len + n] = '\n';
	*len += n + 1;
	(*buf)[*len] = '\0';
}

/*
 * One e-mail message: its attachments are saved apart, each billing file
 * among them ingested with the message's sender, subject, Message-ID and
 * date; the message then goes where its attachments say: processed/
 * when every billing file went in (or was in already), failed/ with the
 * reasons otherwise. Returns 0, or -1 when the run cannot go on.
 */
static int
drop_message(struct store *st, const char *dir, const char *name,
    const struct drop_options *o, struct drop_result *res, char ***payers,
    size_t *npayers, struct pv_error *err)
{
	struct ingest_options io;
	struct ingest_origin origin;
	struct message m;
	struct pv_error merr;
	char *path = path_join(dir, name), *tmp = path_join(dir,
	    ".pilvi-mail.XXXXXX"), *errors = NULL, *moved, line[2048];
	size_t elen = 0, i, p, billing = 0;
	int rc = -1, failed = 0;

	memset(&m, 0, sizeof(m));
	if (mkdtemp(tmp) == NULL) {
		pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot create a "
		    "temporary folder in '%s': %s", dir, strerror(errno));
		goto out;
	}
	if (message_extract(path, name, tmp, &m, &merr) != 0) {
		pv_error_format(&merr, line, sizeof(line));
		append(&errors, &elen, line);
		failed = 1;
	}
	ingest_options_default(&io);
	memset(&origin, 0, sizeof(origin));
	origin.from = m.from;
	origin.subject = m.subject;
	origin.message_id = m.message_id;
	origin.date = m.date;
	io.origin = &origin;
	for (i = 0; i < m.nattachments; i++) {
		const struct message_attachment *a = &m.attachments[i];
		struct ingest_result ir;
		struct pv_error ierr;
		char reg[1024];

		if (not_billing(a->filename))
			continue;
		billing++;
		snprintf(reg, sizeof(reg), "%s:%s", name, a->filename);
		origin.name = reg;
		if (ingest_file(o->dry_run ? NULL : st, a->path, &io, &ir,
		    &ierr) != 0) {
			ingest_result_release(&ir);
			if (ierr.kind == PV_ERR_FATAL) {
				*err = ierr;
				goto out;
			}
			snprintf(ierr.file, sizeof(ierr.file), "%.500s", reg);
			pv_error_format(&ierr, line, sizeof(line));
			append(&errors, &elen, line);
			failed = 1;
			continue;
		}
		for (p = 0; !o->dry_run && ir.status == INGEST_OK &&
		    p < ir.nperiods; p++)
			add_payer(payers, npayers, ir.periods[p].payer);
		ingest_result_release(&ir);
	}
	if (!failed && billing == 0) {
		snprintf(line, sizeof(line), "%s: no billing file attached "
		    "(%zu attachment%s)", name, m.nattachments,
		    m.nattachments == 1 ? "" : "s");
		append(&errors, &elen, line);
		failed = 1;
	}
	if (errors != NULL && elen > 0)
		errors[elen - 1] = '\0';	/* one line per failure, no last \n */
	if (o->dry_run) {
		add_item(res, name, failed ? DROP_WOULD_FAIL : DROP_WOULD_PROCESS,
		    failed ? errors : "e-mail message");
		rc = 0;
		goto out;
	}
	moved = move_into(dir, failed ? "failed" : "processed", name, err);
	if (moved == NULL)
		goto out;
	if (failed) {
		size_t n = strlen(moved) + 8;
		char *epath = xmalloc(n), *etext;

		snprintf(epath, n, "%s.error", moved);
		n = elen + 2;
		etext = xmalloc(n);
		snprintf(etext, n, "%s\n", errors);
		rc = write_atomic(epath, etext, err);
		free(epath);
		free(etext);
		free(moved);
		if (rc != 0)
			goto out;
		add_item(res, name, DROP_FAILED, errors);
	} else {
		free(moved);
		snprintf(line, sizeof(line), "%zu billing file%s from %s",
		    billing, billing == 1 ? "" : "s", m.from);
		add_item(res, name, DROP_PROCESSED, line);
	}
	rc = 0;
out:
	remove_tree(tmp, &m);
	message_release(&m);
	free(errors);
	free(path);
	free(tmp);
	return rc;
}

/* Is name a temporary file of write_atomic ("NAME.tmp.XXXXXX")? */
static int
is_our_temporary(const char *name)
{
	const char *t = strstr(name, ".tmp.");

	return t != NULL && strlen(t + 5) == 6 && strchr(t + 5, '.') == NULL;
}

/* Remove the temporaries a killed run left in dir (not recursive). */
static void
remove_temporaries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (is_our_temporary(e->d_name)) {
			char *p = path_join(dir, e->d_name);

			unlink(p);
			free(p);
		}
	closedir(d);
}

/* A killed run leaves its temporaries in reports/, its customer
 * folders and failed/; the lock is held, so none is being written. */
static void
remove_stale_temporaries(const char *dir)
{
	char *reports = path_join(dir, "reports"), *failed = path_join(dir,
	    "failed");
	DIR *d;
	struct dirent *e;

	remove_temporaries(failed);
	remove_temporaries(reports);
	if ((d = opendir(reports)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			char *p;

			if (e->d_name[0] == '.')
				continue;
			p = path_join(reports, e->d_name);
			remove_temporaries(p);
			free(p);
		}
		closedir(d);
	}
	free(reports);
	free(failed);
}

/*
 * The payers whose report or feed is missing or older than their
 * newest file:
 * a run killed after ingesting and moving a file, before writing the
 * report, left them so (the rerun sees the files as duplicates).
 */
static int
add_stale_payers(struct store *st, const char *dir,
    const struct customers *c, char ***payers, size_t *npayers,
    struct pv_error *err)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT fp.payer_account, "
	    "MAX(f.ingested_at) FROM file f JOIN file_period fp ON "
	    "fp.file_id = f.id GROUP BY fp.payer_account ORDER BY 1", -1, &q,
	    NULL) != SQLITE_OK)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "reading the "
		    "files: %s", sqlite3_errmsg(db));
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *payer = (const char *)sqlite3_column_text(q, 0);
		const char *newest = (const char *)sqlite3_column_text(q, 1);
		static const char *const outputs[] = { "report.txt",
		    "billing.csv" };
		char name[256], sub[300], when[21], *p;
		struct stat sb;
		size_t k;

		if (payer == NULL || newest == NULL)
			continue;
		customer_folder(c, payer, name, sizeof(name));
		for (k = 0; k < 2; k++) {
			snprintf(sub, sizeof(sub), "reports/%s/%s", name,
			    outputs[k]);
			p = path_join(dir, sub);
			if (stat(p, &sb) == 0)
				date_format_iso((pv_time)sb.st_mtime, when);
			if (stat(p, &sb) != 0 || strcmp(when, newest) < 0)
				add_payer(payers, npayers, payer);
			free(p);
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "reading the "
		    "files: %s", sqlite3_errmsg(db));
	return 0;
}

int
drop_run(struct store *st, const char *dir, const struct drop_options *o,
    struct drop_result *res, struct pv_error *err)
{
	struct ingest_options io;
	struct customers customers = { NULL, 0 };
	char **names = NULL, **payers = NULL, *sub;
	size_t nnames = 0, npayers = 0, i, k;
	time_t now = time(NULL);
	int rc = -1;

	memset(res, 0, sizeof(*res));
	ingest_options_default(&io);
	for (i = 0; i < 2 && !o->dry_run; i++) {
		sub = path_join(dir, i == 0 ? "processed" : "failed");
		k = ensure_dir(sub, err) != 0;
		free(sub);
		if (k)
			goto out;
	}
	if (!o->dry_run)
		remove_stale_temporaries(dir);
	if (list_inputs(dir, &names, &nnames, res, err) != 0)
		goto out;
	for (i = 0; i < nnames; i++) {
		char *path = path_join(dir, names[i]), msg[2048];
		struct ingest_result ir;
		struct pv_error ierr;
		struct stat sb;
		char *moved;
		size_t p;

		/* a file still being written is left for the next run */
		if (stat(path, &sb) != 0 || now - sb.st_mtime <
		    o->settle_seconds) {
			add_item(res, names[i], DROP_UNSETTLED, NULL);
			free(path);
			continue;
		}
		/* an e-mail message is told by its content, not its name */
		if (message_sniff(path, &ierr) == 1) {
			free(path);
			if (drop_message(st, dir, names[i], o, res, &payers,
			    &npayers, err) != 0)
				goto out;
			continue;
		}
		if (ingest_file(o->dry_run ? NULL : st, path, &io, &ir,
		    &ierr) != 0) {
			if (ierr.kind == PV_ERR_FATAL) {
				*err = ierr;
				ingest_result_release(&ir);
				free(path);
				goto out;
			}
			/* name the file as the user knows it */
			snprintf(ierr.file, sizeof(ierr.file), "%s", names[i]);
			pv_error_format(&ierr, msg, sizeof(msg));
			if (o->dry_run)
				add_item(res, names[i], DROP_WOULD_FAIL, msg);
			else {
				char *epath, *etext;
				size_t n;

				moved = move_into(dir, "failed", names[i], err);
				if (moved == NULL) {
					ingest_result_release(&ir);
					free(path);
					goto out;
				}
				n = strlen(moved) + 8;
				epath = xmalloc(n);
				snprintf(epath, n, "%s.error", moved);
				n = strlen(msg) + 2;
				etext = xmalloc(n);
				snprintf(etext, n, "%s\n", msg);
				k = write_atomic(epath, etext, err) != 0;
				free(epath);
				free(etext);
				free(moved);
				if (k) {
					ingest_result_release(&ir);
					free(path);
					goto out;
				}
				add_item(res, names[i], DROP_FAILED, msg);
			}
			ingest_result_release(&ir);
			free(path);
			continue;
		}
		if (o->dry_run)
			add_item(res, names[i], DROP_WOULD_PROCESS, ir.format);
		else {
			moved = move_into(dir, "processed", names[i], err);
			if (moved == NULL) {
				ingest_result_release(&ir);
				free(path);
				goto out;
			}
			free(moved);
			if (ir.status == INGEST_DUPLICATE) {
				snprintf(msg, sizeof(msg), "identical to file "
				    "#%lld (%s)", ir.duplicate_of,
				    ir.duplicate_name);
				add_item(res, names[i], DROP_DUPLICATE, msg);
			} else {
				add_item(res, names[i], DROP_PROCESSED, NULL);
				for (p = 0; p < ir.nperiods; p++)
					add_payer(&payers, &npayers,
					    ir.periods[p].payer);
			}
		}
		ingest_result_release(&ir);
		free(path);
	}
	if (!o->dry_run) {
		load_customers(dir, &customers);
		if (add_stale_payers(st, dir, &customers, &payers, &npayers,
		    err) != 0)
			goto out;
		for (i = 0; i < npayers; i++)
			if (write_report_txt(st, dir, payers[i], &customers, res,
			    err) != 0)
				goto out;
		if (write_feeds(st, dir, payers, npayers, &customers, res,
		    err) != 0)
			goto out;
	}
	rc = 0;
out:
	customers_release(&customers);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	for (i = 0; i < npayers; i++)
		free(payers[i]);
	free(payers);
	return rc;
}

int
drop_lock(const char *dir, int wait, int *fd, struct pv_error *err)
{
	char *lock = path_join(dir, LOCK_NAME);
	int rc = 0;

	*fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0)
		rc = pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot open the "
		    "lock '%s': %s", lock, strerror(errno));
	else if (flock(*fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
		if (errno == EWOULDBLOCK)
			rc = 1;
		else
			rc = pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot "
			    "lock '%s': %s", lock, strerror(errno));
		close(*fd);
		*fd = -1;
	}
	free(lock);
	return rc;
}

void
drop_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* and with it the lock */
}

void
drop_result_release(struct drop_result *res)
{
	size_t i;

	for (i = 0; i < res->nitems; i++) {
		free(res->items[i].name);
		free(res->items[i].message);
	}
	free(res->items);
	for (i = 0; i < res->nreports; i++)
		free(res->reports[i]);
	free(res->reports);
	free(res->feed);
	memset(res, 0, sizeof(*res));
}
