/*
 * test_readahead.c - the source on a second thread gives the same bytes,
 * members, digest and errors as the source itself, and stops cleanly
 * when the caller is done early.
 */
#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <zlib.h>

#include "test.h"

#include "error.h"
#include "readahead.h"
#include "sha256.h"
#include "source.h"
#include "xalloc.h"

static char tdir[] = "/tmp/test_readahead.XXXXXX";
static char path_plain[64], path_zip[64], path_gz[64];

/* More than the queue holds (8 blocks of 256 KiB), so the reader waits. */
#define BIG (5u << 20)
static unsigned char *big;

static void
write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
}

static void
make_inputs(void)
{
	static const char *const name[] = { "manifest.json", "a.csv", "b.csv" };
	static const char *const body[] = { "{}", "a,b\n1,2\n", "c\n3\n" };
	struct archive *a = archive_write_new();
	struct archive_entry *e;
	uint32_t x = 88172645u;
	struct stat st;
	gzFile g;
	size_t i;

	big = xmalloc(BIG);
	for (i = 0; i < BIG; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		big[i] = (unsigned char)('a' + x % 26);
	}
	snprintf(path_plain, sizeof(path_plain), "%s/big.csv", tdir);
	write_file(path_plain, big, BIG);

	snprintf(path_zip, sizeof(path_zip), "%s/three.zip", tdir);
	if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
	    archive_write_open_filename(a, path_zip) != ARCHIVE_OK)
		exit(2);
	for (i = 0; i < 3; i++) {
		e = archive_entry_new();
		archive_entry_set_pathname(e, name[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)strlen(body[i]));
		if (archive_write_header(a, e) != ARCHIVE_OK ||
		    archive_write_data(a, body[i], strlen(body[i])) !=
		    (la_ssize_t)strlen(body[i]))
			exit(2);
		archive_entry_free(e);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		exit(2);
	archive_write_free(a);

	/* A gzip file cut in half. */
	snprintf(path_gz, sizeof(path_gz), "%s/cut.gz", tdir);
	g = gzopen(path_gz, "wb1");
	if (g == NULL || gzwrite(g, big, BIG) != (int)BIG ||
	    gzclose(g) != Z_OK || stat(path_gz, &st) != 0 ||
	    truncate(path_gz, st.st_size / 2) != 0)
		exit(2);
}

static struct readahead *
start(const char *path, readahead_want_fn want)
{
	struct source_limits lim;
	struct source *src;
	struct readahead *ra = NULL;
	struct pv_error err;

	source_limits_default(&lim);
	if (source_open(&src, path, path, &lim, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		exit(2);
	}
	if (readahead_start(&ra, src, want, NULL, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		exit(2);
	}
	return ra;
}

static int
only_csv(enum source_container c, const char *name)
{
	size_t n = strlen(name);

	(void)c;
	return n > 4 && strcmp(name + n - 4, ".csv") == 0;
}

static void
test_plain_bytes_and_digest(void)
{
	struct readahead *ra = start(path_plain, NULL);
	unsigned char want[32], got[32];
	struct pv_error err;
	const void *data;
	const char *name;
	struct sha256 h;
	size_t at = 0;
	uint64_t raw = 0;
	ssize_t n;
	int wanted = 0, same = 1;

	CHECK_INT(readahead_container(ra), SOURCE_PLAIN);
	CHECK_INT(readahead_raw_size(ra), BIG);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	CHECK_INT(wanted, 1);
	while ((n = readahead_read(ra, &data, &err)) > 0) {
		if (at + (size_t)n > BIG || memcmp(big + at, data, (size_t)n))
			same = 0;
		at += (size_t)n;
	}
	CHECK_INT(n, 0);
	CHECK_INT(at, BIG);
	CHECK(same);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 0);
	CHECK_INT(readahead_finish(ra, got, &raw, &err), 0);
	sha256_init(&h);
	sha256_update(&h, big, BIG);
	sha256_final(&h, want);
	CHECK(memcmp(got, want, 32) == 0);
	CHECK_INT(raw, BIG);
	CHECK_INT(readahead_raw_consumed(ra), BIG);
	readahead_free(ra);
}

/* A declined member comes without bytes; an accepted one not read out is
 * skipped by the next call. */
static void
test_zip_members(void)
{
	struct readahead *ra = start(path_zip, only_csv);
	unsigned char got[32];
	struct pv_error err;
	const void *data;
	const char *name;
	uint64_t raw;
	ssize_t n;
	int wanted = -1;

	CHECK_INT(readahead_container(ra), SOURCE_ZIP);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	CHECK_STR(name, "manifest.json");
	CHECK_INT(wanted, 0);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	CHECK_STR(name, "a.csv");
	CHECK_INT(wanted, 1);
	n = readahead_read(ra, &data, &err);
	CHECK_INT(n, 8);
	CHECK(n == 8 && memcmp(data, "a,b\n1,2\n", 8) == 0);
	CHECK_INT(readahead_read(ra, &data, &err), 0);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	CHECK_STR(name, "b.csv");
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 0);
	CHECK_INT(readahead_finish(ra, got, &raw, &err), 0);
	readahead_free(ra);
}

/* The source's error arrives after the bytes before it, and stays. */
static void
test_truncated_gzip(void)
{
	struct readahead *ra = start(path_gz, NULL);
	struct pv_error err;
	const void *data;
	const char *name;
	size_t at = 0;
	ssize_t n;
	int wanted, same = 1;

	pv_error_clear(&err);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	while ((n = readahead_read(ra, &data, &err)) > 0) {
		if (at + (size_t)n > BIG || memcmp(big + at, data, (size_t)n))
			same = 0;
		at += (size_t)n;
	}
	CHECK_INT(n, -1);
	CHECK(same);
	CHECK(at > 0 && at < BIG);
	CHECK(strstr(err.msg, "truncated") != NULL);
	CHECK_STR(err.file, path_gz);
	pv_error_clear(&err);
	CHECK_INT(readahead_read(ra, &data, &err), -1);
	CHECK(strstr(err.msg, "truncated") != NULL);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), -1);
	readahead_free(ra);
}

/* Done after one block, with the reader waiting on a full queue: free
 * stops it (the test would hang otherwise; ASan sees any leak). */
static void
test_free_early(void)
{
	struct readahead *ra = start(path_plain, NULL);
	struct pv_error err;
	const void *data;
	const char *name;
	int wanted;

	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	CHECK(readahead_read(ra, &data, &err) > 0);
	usleep(100000);		/* let the reader fill the queue */
	readahead_free(ra);
	readahead_free(NULL);
}

/* finish without reading: every member skipped, the digest still that
 * of the whole file. */
static void
test_finish_unread(void)
{
	struct readahead *ra = start(path_plain, NULL);
	unsigned char got[32], want[32];
	struct pv_error err;
	struct sha256 h;
	uint64_t raw = 0;

	CHECK_INT(readahead_finish(ra, got, &raw, &err), 0);
	sha256_init(&h);
	sha256_update(&h, big, BIG);
	sha256_final(&h, want);
	CHECK(memcmp(got, want, 32) == 0);
	CHECK_INT(raw, BIG);
	readahead_free(ra);
}

int
main(void)
{
	if (mkdtemp(tdir) == NULL)
		return 2;
	make_inputs();
	RUN(test_plain_bytes_and_digest);
	RUN(test_zip_members);
	RUN(test_truncated_gzip);
	RUN(test_free_early);
	RUN(test_finish_unread);
	unlink(path_plain);
	unlink(path_zip);
	unlink(path_gz);
	rmdir(tdir);
	free(big);
	TEST_END();
}
