/*
 * helpers.h - what several unit tests share: a temporary directory and
 * the files made in it (cleanup() removes the directory whole), a file
 * written whole, a memory store, and named cases inside one test.
 * Include it after test.h and the module headers,
 * with TEST_NAME defined ("test_ingest"); main() makes the directory
 * with mkdtemp(tdir) and calls cleanup() at the end. Every function is
 * static and marked unused: a test takes what it needs.
 */
#ifndef PILVI_TEST_HELPERS_H
#define PILVI_TEST_HELPERS_H

#ifndef TEST_NAME
#error "define TEST_NAME before including helpers.h"
#endif

#include <dirent.h>
#include <sys/stat.h>

#include "xalloc.h"

#define T_UNUSED __attribute__((unused))

static char tdir[] = "/tmp/" TEST_NAME ".XXXXXX";
static char *made[128];
static int nmade;

/* A path in the test directory, valid until cleanup(); the same name
 * gives the same path again. */
static T_UNUSED const char *
tpath(const char *name)
{
	char buf[512];
	int i;

	snprintf(buf, sizeof(buf), "%s/%s", tdir, name);
	for (i = 0; i < nmade; i++)
		if (strcmp(made[i], buf) == 0)
			return made[i];
	if (nmade == (int)(sizeof(made) / sizeof(made[0]))) {
		fprintf(stderr, "too many temporary files\n");
		exit(2);
	}
	made[nmade] = xstrdup(buf);
	return made[nmade++];
}

/* Remove path: a file, or a folder with everything in it. */
static T_UNUSED void
remove_tree(const char *path)
{
	struct stat sb;
	struct dirent *e;
	DIR *d;
	char sub[1024];

	if (lstat(path, &sb) != 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		unlink(path);
		return;
	}
	if ((d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name,
			    "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			remove_tree(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

/* The test directory and everything made in it. */
static T_UNUSED void
cleanup(void)
{
	int i;

	remove_tree(tdir);
	for (i = 0; i < nmade; i++)
		free(made[i]);
	nmade = 0;
}

/* Write n bytes to path, or stop the test binary (exit 2); returns
 * path. */
static T_UNUSED const char *
write_bytes(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
	return path;
}

static T_UNUSED const char *
write_file(const char *path, const char *text)
{
	return write_bytes(path, text, strlen(text));
}

/* Named cases inside one test function: case_begin() before each,
 * case_end(name) after it, so a failure says which case it was in. */
static int case_saved;

static T_UNUSED void
case_begin(void)
{
	case_saved = t_failed;
	t_failed = 0;
}

static T_UNUSED void
case_end(const char *name)
{
	if (t_failed)
		fprintf(stderr, "  (in %s)\n", name);
	t_failed |= case_saved;
}

#ifdef PILVI_MONEY_H
/*
 * "-606.58033669" -> units of 1e-10, exactly: an optional sign, digits
 * and decimals, zeros past the tenth allowed ("20.62033861840"). The
 * tests' own parser, so that money_parse does not check itself; a bad
 * literal stops the test binary (exit 2).
 */
static T_UNUSED money_t
units(const char *s)
{
	const char *p = s;
	int neg = 0, places = 0;
	money_t v = 0;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, places++) {
			if (places >= 10 && *p == '0')
				continue;	/* "20.62033861840": exact */
			if (places >= 10)
				break;
			v = v * 10 + (*p - '0');
		}
	if (*p != '\0') {
		fprintf(stderr, "units: bad literal '%s'\n", s);
		exit(2);
	}
	for (places = places > 10 ? 10 : places; places < 10; places++)
		v *= 10;
	return neg ? -v : v;
}
#endif

#ifdef PILVI_STORE_H
/* A store in memory, or stop the test binary (exit 2). */
static T_UNUSED struct store *
mem_store(void)
{
	struct store *st = NULL;
	struct pv_error err;

	pv_error_clear(&err);
	if (store_open(&st, NULL, &err) != 0) {
		fprintf(stderr, "store_open: %s\n", err.msg);
		exit(2);
	}
	return st;
}
#endif

#if defined(PILVI_STORE_H) && defined(PILVI_INGEST_H)
/* Ingest path into st; a failure is a failed check. Returns 0 or -1. */
static T_UNUSED int
ingest(struct store *st, const char *path)
{
	struct ingest_options o;
	struct ingest_result res;
	struct pv_error err;
	int rc;

	ingest_options_default(&o);
	pv_error_clear(&err);
	rc = ingest_file(st, path, &o, &res, &err);
	if (rc != 0)
		fprintf(stderr, "  ingest %s: %s\n", path, err.msg);
	CHECK_INT(rc, 0);
	ingest_result_release(&res);
	return rc;
}
#endif

#endif
