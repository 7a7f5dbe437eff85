/*
 * helpers.h - what several unit tests share: a temporary directory and
 * the files made in it, a file written whole, a memory store, and named
 * cases inside one test. Include it after test.h and the module headers,
 * with TEST_NAME defined ("test_ingest"); main() makes the directory
 * with mkdtemp(tdir) and calls cleanup() at the end. Every function is
 * static and marked unused: a test takes what it needs.
 */
#ifndef PILVI_TEST_HELPERS_H
#define PILVI_TEST_HELPERS_H

#ifndef TEST_NAME
#error "define TEST_NAME before including helpers.h"
#endif

#include "xalloc.h"

#define T_UNUSED __attribute__((unused))

static char tdir[] = "/tmp/" TEST_NAME ".XXXXXX";
static char *made[128];
static int nmade;

/* A path in the test directory; removed by cleanup() (with the -wal and
 * -shm files SQLite may put beside it). */
static T_UNUSED const char *
tpath(const char *name)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s/%s", tdir, name);
	if (nmade == (int)(sizeof(made) / sizeof(made[0]))) {
		fprintf(stderr, "too many temporary files\n");
		exit(2);
	}
	made[nmade] = xstrdup(buf);
	return made[nmade++];
}

static T_UNUSED void
cleanup(void)
{
	char buf[600];
	int i;

	for (i = 0; i < nmade; i++) {
		unlink(made[i]);
		snprintf(buf, sizeof(buf), "%s-wal", made[i]);
		unlink(buf);
		snprintf(buf, sizeof(buf), "%s-shm", made[i]);
		unlink(buf);
		free(made[i]);
	}
	rmdir(tdir);
}

/* Write n bytes to path, or stop the test binary (exit 2). */
static T_UNUSED void
write_bytes(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
}

static T_UNUSED void
write_file(const char *path, const char *text)
{
	write_bytes(path, text, strlen(text));
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
