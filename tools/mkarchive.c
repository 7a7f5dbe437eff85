/*
 * mkarchive - write a small archive with the same bytes on every run,
 * for the test fixtures.
 *
 *   mkarchive OUT.zip|OUT.tar|OUT.tar.gz|OUT.tgz [NAME=]FILE ...
 *
 * Each FILE becomes a regular member under its basename, or under NAME
 * when given as NAME=FILE. NAME is taken as is, "../" and all: that is
 * how the path-traversal fixture is made. An argument is split at its
 * first '=', so a FILE whose own name has one needs the NAME= form.
 * A FILE that is a folder adds every regular file below it, in name
 * order, as FOLDER/path (NAME/path): a delivery tree whose folder names
 * hold '=' (BILLING_PERIOD=2026-10) goes in whole this way.
 *
 * Reproducible: every member has mode 0644, owner 0:0 without names and
 * mtime 2026-01-01 00:00:00 UTC; zip's DOS time is computed in UTC
 * whatever TZ says; the gzip header carries no timestamp. The container
 * comes from OUT's suffix (this tool makes fixtures; the analyzer itself
 * never trusts a suffix).
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#define MTIME	((time_t)1767225600)	/* 2026-01-01T00:00:00Z */

static const char *out_path;
static int out_opened;

static void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkarchive: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	/* No half-written fixture left for make to mistake for a good one. */
	if (out_opened)
		remove(out_path);
	exit(1);
}

/* archive_error_string may be NULL. */
static const char *
why(struct archive *a)
{
	const char *s = archive_error_string(a);

	return s != NULL ? s : "unknown libarchive error";
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && strcasecmp(s + n - k, suffix) == 0;
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

static void
add_member(struct archive *a, const char *name, const char *file)
{
	struct archive_entry *e;
	struct stat st;
	FILE *f;
	char buf[65536];
	size_t n;
	la_int64_t left;

	f = fopen(file, "rb");
	if (f == NULL)
		die("cannot open '%s': %s", file, strerror(errno));
	if (fstat(fileno(f), &st) != 0)
		die("cannot stat '%s': %s", file, strerror(errno));
	if (!S_ISREG(st.st_mode))
		die("'%s' is not a regular file", file);
	e = archive_entry_new();
	if (e == NULL)
		die("out of memory");
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)st.st_size);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_mtime(e, MTIME, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK)
		die("%s: %s", name, why(a));
	/* Exactly the size in the header, even if the file changes under us:
	 * a tar header cannot be taken back. */
	left = (la_int64_t)st.st_size;
	while (left > 0) {
		n = fread(buf, 1, (size_t)left < sizeof(buf) ? (size_t)left :
		    sizeof(buf), f);
		if (n == 0)
			die("'%s' %s", file, ferror(f) ? "cannot be read" :
			    "shrank while being archived");
		if (archive_write_data(a, buf, n) != (la_ssize_t)n)
			die("%s: %s", name, why(a));
		left -= (la_int64_t)n;
	}
	fclose(f);
	archive_entry_free(e);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file below dir, as name/..., in name order. */
static void
add_tree(struct archive *a, const char *name, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, path[4096], sub[4096];
	size_t n = 0, i;
	struct stat st;

	if (d == NULL)
		die("cannot read '%s': %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (names == NULL || (names[n] = strdup(de->d_name)) == NULL)
			die("out of memory");
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(sub, sizeof(sub), "%s/%s", name, names[i]);
		if (stat(path, &st) != 0)
			die("cannot stat '%s': %s", path, strerror(errno));
		if (S_ISDIR(st.st_mode))
			add_tree(a, sub, path);
		else
			add_member(a, sub, path);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char **argv)
{
	struct archive *a;
	const char *eq;
	char *name;
	int i, gz = 0, zip = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: mkarchive OUT.zip|OUT.tar|OUT.tar.gz|"
		    "OUT.tgz [NAME=]FILE ...\n");
		return 1;
	}
	out_path = argv[1];
	if (has_suffix(out_path, ".zip"))
		zip = 1;
	else if (has_suffix(out_path, ".tar.gz") || has_suffix(out_path, ".tgz"))
		gz = 1;
	else if (!has_suffix(out_path, ".tar"))
		die("'%s': the name must end in .zip, .tar, .tar.gz or .tgz",
		    out_path);

	/* zip stores local time; pin it so the bytes do not depend on TZ. */
	if (setenv("TZ", "UTC0", 1) != 0)
		die("cannot set TZ");
	tzset();

	a = archive_write_new();
	if (a == NULL)
		die("out of memory");
	if (zip) {
		if (archive_write_set_format_zip(a) != ARCHIVE_OK)
			die("zip: %s", why(a));
	} else {
		/* ustar: no pax headers, whose names and times vary. */
		if (archive_write_set_format_ustar(a) != ARCHIVE_OK)
			die("tar: %s", why(a));
		if (gz && (archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
		    archive_write_set_filter_option(a, "gzip", "timestamp",
		    NULL) != ARCHIVE_OK))
			die("gzip: %s", why(a));
	}
	/* No padding to 10240-byte blocks: fixtures stay tiny, and a tar.gz
	 * ends where the gzip stream does. */
	if (archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK)
		die("%s", why(a));
	if (archive_write_open_filename(a, out_path) != ARCHIVE_OK)
		die("cannot create '%s': %s", out_path, archive_errno(a) > 0 ?
		    strerror(archive_errno(a)) : why(a));
	out_opened = 1;

	for (i = 2; i < argc; i++) {
		struct stat st;

		eq = strchr(argv[i], '=');
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			add_tree(a, argv[i], argv[i]);
		} else if (eq != NULL) {
			if (eq == argv[i] || eq[1] == '\0')
				die("'%s': expected NAME=FILE", argv[i]);
			name = strndup(argv[i], (size_t)(eq - argv[i]));
			if (name == NULL)
				die("out of memory");
			add_member(a, name, eq + 1);
			free(name);
		} else {
			add_member(a, base_name(argv[i]), argv[i]);
		}
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		die("'%s': %s", out_path, why(a));
	archive_write_free(a);
	return 0;
}
