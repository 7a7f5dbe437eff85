/*
 * walk.c - plan the ingest of a delivery folder or archive (walk.h).
 *
 * Three steps: list the entries (readdir, or an archive's members through
 * source.c, reading the manifests' bytes on the way); place each entry
 * (its report or export, billing period and run, from the folder names
 * alone); then, per report and period, choose the files to take and
 * describe the rest.
 */
#include "walk.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "xalloc.h"

#define MAX_DEPTH	32		/* folders below the one given */
#define MAX_MANIFEST	(16 << 20)	/* bytes of one manifest */

enum kind {
	K_DATA,		/* a billing file, by elimination */
	K_MANIFEST,	/* *-Manifest.json */
	K_OTHER		/* no billing data: skipped, said why */
};

enum layout {
	L_NONE,		/* outside any billing-period folder */
	L_CUR,		/* .../<report>/YYYYMMDD-YYYYMMDD/[<assembly>/]file */
	L_EXPORT,	/* .../<export>/data|metadata/BILLING_PERIOD=.../file */
	L_ATHENA	/* .../<report>/year=YYYY/month=M/file */
};

struct entry {
	char *rel;		/* path below the folder, or member name */
	long long mtime;
	enum kind kind;
	const char *why;	/* K_OTHER: the reason */
	enum layout layout;
	char period[8];		/* YYYY-MM */
	char *root;		/* rel's folders before the period (for an
				 * export before data/metadata); "" none */
	char *run;		/* the folders between the period and the
				 * file; "" when the file is right there */
	const char *within;	/* rel after root and '/': what manifest
				 * keys end with */
	char *group;		/* layout, report name, period */
	char *json;		/* K_MANIFEST: its bytes, NUL-ended */
	size_t json_len;
	char *unreadable;	/* K_MANIFEST: why it could not be read */
	int taken;
	int handled;		/* a note already covers it */
};

struct walker {
	const char *path;	/* the folder or archive given */
	int archive;
	struct entry *e;
	size_t n, cap;
	struct walk_plan *plan;
};

/* ---- names ---------------------------------------------------------- */

/* "DIR/rel", "ARCHIVE(rel)" */
static char *
display(const struct walker *w, const char *rel, size_t len)
{
	size_t n = strlen(w->path) + len + 3;
	char *s = xmalloc(n);

	if (w->archive)
		snprintf(s, n, "%s(%.*s)", w->path, (int)len, rel);
	else if (n > 3 && w->path[strlen(w->path) - 1] == '/')
		snprintf(s, n, "%s%.*s", w->path, (int)len, rel);
	else
		snprintf(s, n, "%s/%.*s", w->path, (int)len, rel);
	return s;
}

static void
note(struct walker *w, const char *subject, int warning, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
note(struct walker *w, const char *subject, int warning, const char *fmt, ...)
{
	struct walk_plan *p = w->plan;
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	p->notes = xrealloc(p->notes, (p->nnotes + 1) * sizeof(*p->notes));
	p->notes[p->nnotes].subject = xstrdup(subject);
	p->notes[p->nnotes].text = xstrdup(buf);
	p->notes[p->nnotes].warning = warning;
	p->nnotes++;
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

/* "20261001-20261101": the period is its first month. */
static int
cur_period(const char *c, size_t n, char out[8])
{
	int m;

	if (n != 17 || c[8] != '-' || !all_digits(c, 8) ||
	    !all_digits(c + 9, 8))
		return 0;
	m = (c[4] - '0') * 10 + (c[5] - '0');
	if (m < 1 || m > 12)
		return 0;
	snprintf(out, 8, "%.4s-%.2s", c, c + 4);
	return 1;
}

/* "BILLING_PERIOD=2026-10" (AWS writes upper case; lower seen too). */
static int
export_period(const char *c, size_t n, char out[8])
{
	static const char key[] = "billing_period=";
	size_t k = sizeof(key) - 1;
	int m;

	if (n != k + 7 || strncasecmp(c, key, k) != 0)
		return 0;
	c += k;
	if (!all_digits(c, 4) || c[4] != '-' || !all_digits(c + 5, 2))
		return 0;
	m = (c[5] - '0') * 10 + (c[6] - '0');
	if (m < 1 || m > 12)
		return 0;
	snprintf(out, 8, "%.7s", c);
	return 1;
}

/* "year=2026" then "month=10" (or "month=9"). */
static int
athena_period(const char *y, size_t yn, const char *m, size_t mn, char out[8])
{
	int month;

	if (yn != 9 || strncmp(y, "year=", 5) != 0 || !all_digits(y + 5, 4) ||
	    mn < 7 || mn > 8 || strncmp(m, "month=", 6) != 0 ||
	    !all_digits(m + 6, mn - 6))
		return 0;
	month = atoi(m + 6);
	if (month < 1 || month > 12)
		return 0;
	snprintf(out, 8, "%.4s-%02d", y + 5, month);
	return 1;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* What kind of file a name is. Data files are told from their content
 * by ingest; here only what is surely no billing data is set aside. */
static void
classify(struct entry *e)
{
	const char *base = strrchr(e->rel, '/');

	base = base != NULL ? base + 1 : e->rel;
	e->kind = K_DATA;
	if (ends_with(base, "-Manifest.json") && !ends_with(base,
	    "RedshiftManifest.json")) {
		e->kind = K_MANIFEST;
		return;
	}
	if (ends_with(base, ".json") || ends_with(base, ".yml") ||
	    ends_with(base, ".yaml") || ends_with(base, ".sql") ||
	    ends_with(base, ".md") || ends_with(base, ".html")) {
		e->kind = K_OTHER;
		e->why = "not billing data";
	}
	if (strstr(e->rel, "cost_and_usage_data_status/") != NULL) {
		/* Athena's table of whether the month is being updated */
		e->kind = K_OTHER;
		e->why = "the Athena status table, not billing data";
	}
}

/* Find the billing-period folder in rel and set layout, period, root,
 * run, within and group. */
static void
place(struct entry *e)
{
	const char *c[64];
	size_t len[64], nc = 0, i;
	const char *p = e->rel, *report;
	size_t rlen, root_end, run_start, k = 0;
	char buf[600];

	e->layout = L_NONE;
	while (nc < 64) {
		const char *slash = strchr(p, '/');

		c[nc] = p;
		len[nc] = slash != NULL ? (size_t)(slash - p) : strlen(p);
		nc++;
		if (slash == NULL)
			break;
		p = slash + 1;
	}
	/* c[nc - 1] is the file's own name */
	for (i = 0; i + 1 < nc && e->layout == L_NONE; i++) {
		if (cur_period(c[i], len[i], e->period) && i > 0) {
			e->layout = L_CUR;
			k = i;
		} else if (export_period(c[i], len[i], e->period) && i > 1 &&
		    ((len[i - 1] == 4 && strncasecmp(c[i - 1], "data", 4) ==
		    0) || (len[i - 1] == 8 && strncasecmp(c[i - 1],
		    "metadata", 8) == 0))) {
			e->layout = L_EXPORT;
			k = i;
		} else if (i + 2 < nc && i > 0 && athena_period(c[i], len[i],
		    c[i + 1], len[i + 1], e->period)) {
			e->layout = L_ATHENA;
			k = i + 1;	/* the month folder */
		}
	}
	if (e->layout == L_NONE) {
		e->root = xstrdup("");
		e->run = xstrdup("");
		e->within = e->rel;
		e->group = xstrdup("");
		return;
	}
	i = k;
	/* the report's folder: before the period (CUR), before data or
	 * metadata (export), before year= (Athena) */
	root_end = e->layout == L_EXPORT ? i - 1 : e->layout == L_ATHENA ?
	    i - 1 : i;
	report = c[root_end - 1];
	rlen = len[root_end - 1];
	e->root = xstrndup(e->rel, (size_t)(c[root_end] - e->rel) - 1);
	e->within = c[root_end];
	run_start = i + 1;
	if (run_start < nc - 1)
		e->run = xstrndup(c[run_start], (size_t)(c[nc - 1] -
		    c[run_start]) - 1);
	else
		e->run = xstrdup("");
	snprintf(buf, sizeof(buf), "%d/%.*s/%s", e->layout, (int)rlen, report,
	    e->period);
	e->group = xstrdup(buf);
}

/* ---- listing -------------------------------------------------------- */

static struct entry *
add_entry(struct walker *w, const char *rel, long long mtime)
{
	struct entry *e;

	w->e = xgrow(w->e, &w->cap, w->n + 1, sizeof(*w->e));
	e = &w->e[w->n++];
	memset(e, 0, sizeof(*e));
	e->rel = xstrdup(rel);
	e->mtime = mtime;
	classify(e);
	return e;
}

static int
hidden(const char *name)
{
	return name[0] == '.' || strcmp(name, "__MACOSX") == 0;
}

static int
list_dir(struct walker *w, const char *dir, const char *rel, int depth,
    struct pv_error *err)
{
	DIR *d;
	struct dirent *de;
	char path[4096], sub[4096];
	struct stat st;
	int rc = 0;

	if (depth > MAX_DEPTH)
		return pv_error_set(err, PV_ERR_INPUT, "", 0, "'%s': folders "
		    "nested more than %d deep", dir, MAX_DEPTH);
	if ((d = opendir(dir)) == NULL)
		return pv_error_set(err, PV_ERR_INPUT, "", 0, "cannot read "
		    "the folder '%s': %s", dir, strerror(errno));
	while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 || hidden(de->d_name))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    de->d_name) >= sizeof(path) ||
		    (size_t)snprintf(sub, sizeof(sub), "%s%s%s", rel,
		    rel[0] ? "/" : "", de->d_name) >= sizeof(sub)) {
			rc = pv_error_set(err, PV_ERR_INPUT, "", 0, "'%s': a "
			    "path too long", dir);
			break;
		}
		if (lstat(path, &st) != 0) {
			rc = pv_error_set(err, PV_ERR_INPUT, "", 0, "cannot "
			    "read '%s': %s", path, strerror(errno));
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			rc = list_dir(w, path, sub, depth + 1, err);
			continue;
		}
		/* a link to a file is read; one to a folder is not followed
		 * (no loops) */
		if (S_ISLNK(st.st_mode) && (stat(path, &st) != 0 ||
		    !S_ISREG(st.st_mode)))
			continue;
		if (S_ISREG(st.st_mode))
			add_entry(w, sub, (long long)st.st_mtime);
	}
	if (rc == 0 && errno != 0)
		rc = pv_error_set(err, PV_ERR_INPUT, "", 0, "cannot read the "
		    "folder '%s': %s", dir, strerror(errno));
	closedir(d);
	return rc;
}

/* The whole of the current member, up to MAX_MANIFEST bytes. Returns 0,
 * 1 when it is larger (err says so; the rest of it is left unread), or
 * -1 when it cannot be read. */
static int
slurp(struct source *s, const char *name, char **out, size_t *len,
    struct pv_error *err)
{
	size_t n = 0, cap = 0;
	char *buf = NULL;
	ssize_t r;

	for (;;) {
		buf = xgrow(buf, &cap, n + 65536 + 1, 1);
		r = source_read(s, buf + n, 65536, err);
		if (r < 0) {
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > MAX_MANIFEST) {
			free(buf);
			pv_error_set(err, PV_ERR_INPUT, name, 0, "larger than "
			    "%d MiB", MAX_MANIFEST >> 20);
			return 1;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* An archive's members; manifests are read on the way. Sets *is_archive
 * to 0 (and lists nothing) when path is no zip or tar. */
static int
list_archive(struct walker *w, const struct source_limits *lim,
    int *is_archive, struct pv_error *err)
{
	struct source *s;
	const char *name;
	int more, rc = -1;

	*is_archive = 0;
	if (source_open(&s, w->path, w->path, lim, err) != 0)
		return -1;
	if (source_container(s) != SOURCE_ZIP &&
	    source_container(s) != SOURCE_ARCHIVE) {
		source_free(s);
		return 0;
	}
	*is_archive = 1;
	while ((more = source_next(s, &name, err)) == 1) {
		struct entry *e;
		const char *base = strrchr(name, '/');

		base = base != NULL ? base + 1 : name;
		if (hidden(base) || strncmp(name, "__MACOSX/", 9) == 0 ||
		    name[0] == '\0') {
			if (source_skip_member(s, err) != 0)
				goto out;
			continue;
		}
		if (strchr(name, '/') == NULL) {
			/* a file at the top: an archive of files, not of a
			 * delivery's folders; no need to read further (a
			 * DBR's zip is done after one header) */
			*is_archive = 0;
			rc = 0;
			goto out;
		}
		e = add_entry(w, name, source_member_mtime(s));
		if (e->kind == K_MANIFEST) {
			char *disp = display(w, name, strlen(name));
			int r = slurp(s, disp, &e->json, &e->json_len, err);

			free(disp);
			if (r < 0)
				goto out;
			if (r > 0) {
				e->unreadable = xstrdup(err->msg);
				pv_error_clear(err);
				if (source_skip_member(s, err) != 0)
					goto out;
			}
		} else if (source_skip_member(s, err) != 0)
			goto out;
	}
	if (more == 0)
		rc = 0;
out:
	source_free(s);
	return rc;
}

/* A folder's manifest, read through source.c like any input. One that
 * cannot be read is set aside with the reason (e->unreadable): the
 * delivery's data files can still be read. */
static void
read_manifest_file(struct walker *w, struct entry *e,
    const struct source_limits *lim)
{
	char *path = display(w, e->rel, strlen(e->rel));
	struct pv_error err;
	struct source *s;
	const char *name;
	int rc = -1;

	pv_error_clear(&err);
	if (source_open(&s, path, path, lim, &err) == 0) {
		if ((rc = source_next(s, &name, &err)) == 1)
			rc = slurp(s, path, &e->json, &e->json_len, &err);
		source_free(s);
	}
	if (rc != 0) {
		free(e->json);
		e->json = NULL;
		e->unreadable = xstrdup(err.msg[0] != '\0' ? err.msg :
		    "empty");
	}
	free(path);
}

/* ---- choosing ------------------------------------------------------- */

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->group, y->group);

	return c != 0 ? c : strcmp(x->rel, y->rel);
}

/* The keys of a manifest: "reportKeys" (legacy CUR) or "dataFiles"
 * (Data Exports). Returns the JSON array (borrowed from root) or NULL
 * with why set. */
static json_t *
manifest_keys(json_t *root, const char **why)
{
	json_t *a = json_object_get(root, "reportKeys");
	size_t i;

	if (a == NULL)
		a = json_object_get(root, "dataFiles");
	if (!json_is_array(a)) {
		*why = "no reportKeys or dataFiles list";
		return NULL;
	}
	for (i = 0; i < json_array_size(a); i++)
		if (!json_is_string(json_array_get(a, i))) {
			*why = "a data file that is not a string";
			return NULL;
		}
	if (json_array_size(a) == 0) {
		*why = "it lists no data files";
		return NULL;
	}
	return a;
}

/* Does the S3 key end with the entry's path from its report folder? */
static int
key_names(const char *key, const struct entry *e)
{
	size_t k = strlen(key), n = strlen(e->within);

	if (k < n || strcasecmp(key + k - n, e->within) != 0)
		return 0;
	return k == n || key[k - n - 1] == '/';
}

/* Manifests of a group, best first: the one in the period folder itself
 * (AWS overwrites it with each update), then the latest, then by name. */
static int
cmp_manifest(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a;
	const struct entry *y = *(const struct entry *const *)b;

	if ((x->run[0] == '\0') != (y->run[0] == '\0'))
		return x->run[0] == '\0' ? -1 : 1;
	if (x->mtime != y->mtime)
		return x->mtime > y->mtime ? -1 : 1;
	return strcmp(x->rel, y->rel);	/* copies: the first one */
}

/* A run named by a timestamp: 20261015T093000Z, 2026-10-15T09:30:00Z,
 * 20261015 and the like (eight digits first, then digits and T Z - : .). */
static int
timestamp_name(const char *s)
{
	size_t i, digits = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (isdigit((unsigned char)s[i]))
			digits++;
		else if (strchr("TZ-:._", s[i]) == NULL)
			return 0;
	}
	return digits >= 8;
}

/* "N file(s) of run R" as the subject's folder: the run's folder, or
 * the period folder for files right in it. */
static char *
run_subject(const struct walker *w, const struct entry *e)
{
	const char *base = strrchr(e->rel, '/');
	size_t len = base != NULL ? (size_t)(base - e->rel) : 0;

	return display(w, e->rel, len);
}

/* Note every not-taken data file of group [lo, hi), a line per run
 * folder. how(e) says why. */
static void
note_skipped(struct walker *w, size_t lo, size_t hi, const char *period,
    const struct entry *keep, int by_manifest, const char *manifest_run)
{
	size_t i, j;

	for (i = lo; i < hi; i++) {
		struct entry *e = &w->e[i];
		size_t count = 0;
		char *subject, why[600];

		if (e->kind != K_DATA || e->taken || e->handled)
			continue;
		for (j = i; j < hi; j++) {
			struct entry *f = &w->e[j];

			if (f->kind == K_DATA && !f->taken && !f->handled &&
			    strcmp(f->root, e->root) == 0 &&
			    strcmp(f->run, e->run) == 0) {
				f->handled = 1;
				count++;
			}
		}
		if (keep != NULL && strcmp(e->root, keep->root) != 0) {
			char *kept = display(w, keep->root,
			    strlen(keep->root));

			snprintf(why, sizeof(why), "another copy of %s (%s "
			    "is read)", period, kept);
			free(kept);
		}
		else if (keep != NULL && strcmp(e->run, keep->run) != 0)
			snprintf(why, sizeof(why), "an older run of %s (%s%s%s)",
			    period, by_manifest ? "the manifest lists " :
			    "no usable manifest; the newest is ", keep->run[0] ?
			    "run " : "the files in the period folder",
			    keep->run);
		else if (by_manifest)
			snprintf(why, sizeof(why), "not in the manifest of %s%s%s",
			    period, manifest_run[0] ? ", run " : "",
			    manifest_run);
		else
			snprintf(why, sizeof(why), "not taken");
		subject = run_subject(w, e);
		note(w, subject, 0, "skipped %zu file%s: %s", count,
		    count == 1 ? "" : "s", why);
		free(subject);
	}
}

/* Take what the newest readable manifest of group [lo, hi) lists.
 * Returns 1 when a manifest decided, 0 when none could. */
static int
by_manifest(struct walker *w, size_t lo, size_t hi)
{
	struct entry **m = NULL;
	size_t nm = 0, i, j, k;
	int decided = 0;

	for (i = lo; i < hi; i++)
		if (w->e[i].kind == K_MANIFEST) {
			m = xrealloc(m, (nm + 1) * sizeof(*m));
			m[nm++] = &w->e[i];
		}
	if (nm > 1)
		qsort(m, nm, sizeof(*m), cmp_manifest);
	for (k = 0; k < nm && !decided; k++) {
		struct entry *man = m[k], *keep = NULL;
		char *subject = display(w, man->rel, strlen(man->rel));
		json_error_t jerr;
		const char *why = NULL;
		json_t *root, *keys;
		size_t listed, found = 0, missing = 0;
		char first_missing[256] = "";

		if (man->unreadable != NULL) {
			note(w, subject, 1, "manifest not read: %s",
			    man->unreadable);
			free(subject);
			continue;
		}
		root = json_loadb(man->json != NULL ? man->json : "",
		    man->json_len, 0, &jerr);
		if (root == NULL) {
			note(w, subject, 1, "not a readable manifest: %s "
			    "(line %d)", jerr.text, jerr.line);
			free(subject);
			continue;
		}
		if ((keys = manifest_keys(root, &why)) == NULL) {
			note(w, subject, 1, "manifest not used: %s", why);
			json_decref(root);
			free(subject);
			continue;
		}
		listed = json_array_size(keys);
		for (j = 0; j < listed; j++) {
			const char *key = json_string_value(json_array_get(keys,
			    j));
			struct entry *hit = NULL;

			/* the same file may be there twice (copies of the
			 * delivery): the one beside the manifest counts */
			for (i = lo; i < hi; i++) {
				struct entry *e = &w->e[i];

				if (e->kind != K_DATA || !key_names(key, e))
					continue;
				if (hit == NULL || (strcmp(e->root,
				    man->root) == 0 && strcmp(hit->root,
				    man->root) != 0))
					hit = e;
			}
			if (hit == NULL) {
				if (missing++ == 0) {
					const char *b = strrchr(key, '/');

					snprintf(first_missing,
					    sizeof(first_missing), "%s",
					    b != NULL ? b + 1 : key);
				}
				continue;
			}
			if (!hit->taken)
				found++;
			hit->taken = 1;
			keep = hit;
		}
		if (found == 0) {
			note(w, subject, 1, "manifest not used: none of the "
			    "%zu data files it lists is in the delivery",
			    listed);
			json_decref(root);
			free(subject);
			continue;
		}
		note(w, subject, 0, "manifest of %s: lists %zu data file%s",
		    man->period, listed, listed == 1 ? "" : "s");
		if (missing > 0)
			note(w, subject, 1, "%zu of the data files it lists %s "
			    "not in the delivery (%s%s): the month is "
			    "incomplete", missing, missing == 1 ? "is" : "are",
			    first_missing, missing > 1 ? ", ..." : "");
		note_skipped(w, lo, hi, man->period, keep, 1, keep->run);
		json_decref(root);
		free(subject);
		decided = 1;
	}
	/* the manifests not read: those of the period folder (of copies);
	 * each assembly's own copy of its manifest goes unsaid */
	for (; k < nm; k++) {
		char *subject;

		if (m[k]->run[0] != '\0')
			continue;
		subject = display(w, m[k]->rel, strlen(m[k]->rel));
		note(w, subject, 0, "skipped: another manifest of %s",
		    m[k]->period);
		free(subject);
	}
	free(m);
	return decided;
}

/* The run of a group's data files [lo, hi) with the latest files. */
static long long
run_mtime(const struct walker *w, size_t lo, size_t hi, const struct entry *r)
{
	long long t = 0;
	size_t i;

	for (i = lo; i < hi; i++)
		if (w->e[i].kind == K_DATA && strcmp(w->e[i].root, r->root) ==
		    0 && strcmp(w->e[i].run, r->run) == 0 && w->e[i].mtime > t)
			t = w->e[i].mtime;
	return t;
}

/* Without a manifest: the newest run. */
static void
by_run(struct walker *w, size_t lo, size_t hi)
{
	struct entry *best = NULL;
	int stamps = 1;
	size_t i;

	for (i = lo; i < hi; i++)
		if (w->e[i].kind == K_DATA && !timestamp_name(w->e[i].run))
			stamps = 0;
	for (i = lo; i < hi; i++) {
		struct entry *e = &w->e[i];
		int c;

		if (e->kind != K_DATA)
			continue;
		if (best == NULL) {
			best = e;
			continue;
		}
		if (strcmp(e->run, best->run) == 0)
			continue;	/* same run, maybe another copy */
		if (stamps)
			c = strcmp(e->run, best->run);
		else {
			long long te = run_mtime(w, lo, hi, e),
			    tb = run_mtime(w, lo, hi, best);

			c = te != tb ? (te > tb ? 1 : -1) : strcmp(e->run,
			    best->run);
		}
		if (c > 0)
			best = e;
	}
	if (best == NULL)
		return;
	/* that run, from the first copy in name order */
	for (i = lo; i < hi; i++) {
		struct entry *e = &w->e[i];

		if (e->kind == K_DATA && strcmp(e->run, best->run) == 0 &&
		    strcmp(e->root, best->root) == 0)
			e->taken = 1;
	}
	note_skipped(w, lo, hi, best->period, best, 0, "");
}

static void
choose(struct walker *w)
{
	size_t lo = 0, hi, i;

	while (lo < w->n) {
		for (hi = lo + 1; hi < w->n && strcmp(w->e[hi].group,
		    w->e[lo].group) == 0; hi++)
			;
		if (w->e[lo].layout == L_NONE) {
			for (i = lo; i < hi; i++) {
				struct entry *e = &w->e[i];
				char *subject;

				if (e->kind == K_DATA) {
					e->taken = 1;
					continue;
				}
				subject = display(w, e->rel, strlen(e->rel));
				note(w, subject, 0, "skipped: %s",
				    e->kind == K_MANIFEST ? "a manifest "
				    "outside a billing-period folder" : e->why);
				free(subject);
			}
		} else {
			for (i = lo; i < hi; i++) {
				struct entry *e = &w->e[i];
				char *subject;

				if (e->kind != K_OTHER)
					continue;
				subject = display(w, e->rel, strlen(e->rel));
				note(w, subject, 0, "skipped: %s", e->why);
				free(subject);
			}
			if (!by_manifest(w, lo, hi))
				by_run(w, lo, hi);
		}
		lo = hi;
	}
}

/* ---- the plan ------------------------------------------------------- */

static void
walker_release(struct walker *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		free(w->e[i].rel);
		free(w->e[i].root);
		free(w->e[i].run);
		free(w->e[i].group);
		free(w->e[i].json);
		free(w->e[i].unreadable);
	}
	free(w->e);
}

static int
cmp_item(const void *a, const void *b)
{
	return strcmp(((const struct walk_item *)a)->name,
	    ((const struct walk_item *)b)->name);
}

int
walk_plan(const char *path, const struct source_limits *limits,
    struct walk_plan *plan, struct pv_error *err)
{
	struct walker w;
	struct stat st;
	size_t i;
	int rc = -1, layout = 0;

	memset(plan, 0, sizeof(*plan));
	memset(&w, 0, sizeof(w));
	w.path = path;
	w.plan = plan;
	pv_error_clear(err);
	if (strcmp(path, "-") == 0 || stat(path, &st) != 0 ||
	    !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)))
		return 0;	/* ingest reads it, or says what is wrong */
	if (S_ISDIR(st.st_mode)) {
		if (list_dir(&w, path, "", 0, err) != 0)
			goto out;
	} else {
		if (list_archive(&w, limits, &w.archive, err) != 0)
			goto out;
		if (!w.archive) {
			rc = 0;
			goto out;
		}
	}
	for (i = 0; i < w.n; i++) {
		place(&w.e[i]);
		layout |= w.e[i].layout != L_NONE;
	}
	if (w.archive && !layout) {
		rc = 0;		/* a zip of CSV files, as before */
		goto out;
	}
	plan->delivery = 1;
	if (w.archive)
		plan->archive = xstrdup(path);
	for (i = 0; i < w.n; i++)
		if (!w.archive && w.e[i].kind == K_MANIFEST &&
		    w.e[i].layout != L_NONE)
			read_manifest_file(&w, &w.e[i], limits);
	if (w.n > 1)
		qsort(w.e, w.n, sizeof(*w.e), cmp_entry);
	choose(&w);
	for (i = 0; i < w.n; i++) {
		struct walk_item *it;

		if (!w.e[i].taken)
			continue;
		plan->take = xrealloc(plan->take, (plan->ntake + 1) *
		    sizeof(*plan->take));
		it = &plan->take[plan->ntake++];
		it->name = display(&w, w.e[i].rel, strlen(w.e[i].rel));
		it->path = w.archive ? xstrdup(w.e[i].rel) : xstrdup(it->name);
	}
	/* a folder's files in name order; an archive's in its own order,
	 * which is the order its members can be read in */
	if (!w.archive && plan->ntake > 1)
		qsort(plan->take, plan->ntake, sizeof(*plan->take), cmp_item);
	rc = 0;
out:
	walker_release(&w);
	return rc;
}

void
walk_plan_release(struct walk_plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->ntake; i++) {
		free(p->take[i].path);
		free(p->take[i].name);
	}
	free(p->take);
	for (i = 0; i < p->nnotes; i++) {
		free(p->notes[i].subject);
		free(p->notes[i].text);
	}
	free(p->notes);
	free(p->archive);
	memset(p, 0, sizeof(*p));
}

/* ---- an archive's members ------------------------------------------- */

struct walk_members {
	const struct walk_plan *plan;
	struct source *src;
	char *wanted;		/* plan->take[i] not yet given */
	size_t left;
};

int
walk_members_open(struct walk_members **out, const struct walk_plan *plan,
    const struct source_limits *limits, struct pv_error *err)
{
	struct walk_members *m = xcalloc(1, sizeof(*m));

	*out = m;
	m->plan = plan;
	m->wanted = xcalloc(plan->ntake + 1, 1);
	memset(m->wanted, 1, plan->ntake);
	m->left = plan->ntake;
	if (plan->archive == NULL)
		return pv_error_set(err, PV_ERR_FATAL, "", 0, "walk: no "
		    "archive");
	return source_open(&m->src, plan->archive, plan->archive, limits, err);
}

int
walk_members_next(struct walk_members *m, const struct walk_item **item,
    char *path, size_t n, struct pv_error *err)
{
	const char *name;
	size_t i;
	int more = 0;

	while (m->left > 0 && (more = source_next(m->src, &name, err)) == 1) {
		for (i = 0; i < m->plan->ntake; i++)
			if (m->wanted[i] && strcmp(m->plan->take[i].path,
			    name) == 0)
				break;
		if (i == m->plan->ntake) {
			if (source_skip_member(m->src, err) != 0)
				return -1;
			continue;
		}
		m->wanted[i] = 0;
		m->left--;
		if (source_member_path(m->src, NULL, 0, path, n, err) != 0)
			return -1;
		*item = &m->plan->take[i];
		return 1;
	}
	if (m->left > 0 && more < 0)
		return -1;
	return 0;
}

void
walk_members_free(struct walk_members *m)
{
	if (m == NULL)
		return;
	source_free(m->src);
	free(m->wanted);
	free(m);
}
