/*
 * test_source.c - container detection, decoding, limits and hashing.
 *
 * Inputs are written into a fresh mkdtemp directory: gzip with zlib's gz*
 * API, archives with libarchive's write API, so no fixture files are
 * needed and every quirk is made right next to the test that needs it.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <zlib.h>

#include "test.h"

#include "error.h"
#include "sha256.h"
#include "source.h"
#include "xalloc.h"

#define TEST_NAME "test_source"
#include "helpers.h"

static void
append_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "ab");

	if (f == NULL || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "cannot append to %s\n", path);
		exit(2);
	}
}

/* The whole file, for comparisons (tests only: inputs are small). */
static unsigned char *
read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	size_t cap = 0, len = 0, k;

	if (f == NULL) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(2);
	}
	do {
		p = xgrow(p, &cap, len + 65536, 1);
		k = fread(p + len, 1, cap - len, f);
		len += k;
	} while (k > 0);
	fclose(f);
	*n = len;
	return p;
}

/* One gzip member holding data: mode "wb" starts the file, "ab" adds a
 * member after what is there. */
static void
write_gz(const char *path, const char *mode, const void *data, size_t n)
{
	gzFile g = gzopen(path, mode);

	if (g == NULL || (n > 0 && gzwrite(g, data, (unsigned)n) != (int)n) ||
	    gzclose(g) != Z_OK) {
		fprintf(stderr, "cannot gzip %s\n", path);
		exit(2);
	}
}

/* n zero bytes, gzipped, written in pieces so memory stays small. */
static void
write_gz_zeros(const char *path, size_t n)
{
	static const unsigned char zero[65536];
	gzFile g = gzopen(path, "wb");
	size_t k;

	if (g == NULL)
		exit(2);
	for (; n > 0; n -= k) {
		k = n < sizeof(zero) ? n : sizeof(zero);
		if (gzwrite(g, zero, (unsigned)k) != (int)k)
			exit(2);
	}
	if (gzclose(g) != Z_OK)
		exit(2);
}

/* One gzip member of data at a compression level, in a fresh buffer
 * (caller frees); *outn is its size. */
static unsigned char *
gz_member(const void *data, size_t n, int level, size_t *outn)
{
	z_stream z;
	unsigned char *out;
	size_t cap;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		exit(2);
	cap = deflateBound(&z, (uLong)n);
	out = xmalloc(cap);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		exit(2);
	*outn = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

struct ent {
	const char *name;
	const void *data;
	size_t len;
	int dir;
};

/*
 * An archive at path: format as libarchive's name ("zip", "ustar",
 * "raw"), filter as its name or NULL. Returns 0, or -1 when this
 * libarchive cannot write it.
 */
static int
write_archive(const char *path, const char *format, const char *filter,
    const struct ent *e, size_t n)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ae;
	size_t i;

	if (archive_write_set_format_by_name(a, format) != ARCHIVE_OK ||
	    (filter != NULL &&
	    archive_write_add_filter_by_name(a, filter) != ARCHIVE_OK)) {
		archive_write_free(a);
		return -1;
	}
	if (archive_write_open_filename(a, path) != ARCHIVE_OK) {
		fprintf(stderr, "%s: %s\n", path, archive_error_string(a));
		exit(2);
	}
	for (i = 0; i < n; i++) {
		ae = archive_entry_new();
		archive_entry_set_pathname(ae, e[i].name);
		archive_entry_set_filetype(ae, e[i].dir ? AE_IFDIR : AE_IFREG);
		archive_entry_set_perm(ae, e[i].dir ? 0755 : 0644);
		archive_entry_set_size(ae, e[i].dir ? 0 : (la_int64_t)e[i].len);
		archive_entry_set_mtime(ae, 1767225600, 0);
		if (archive_write_header(a, ae) != ARCHIVE_OK ||
		    (!e[i].dir && e[i].len > 0 &&
		    archive_write_data(a, e[i].data, e[i].len) !=
		    (la_ssize_t)e[i].len)) {
			fprintf(stderr, "%s: %s\n", path, archive_error_string(a));
			exit(2);
		}
		archive_entry_free(ae);
	}
	if (archive_write_close(a) != ARCHIVE_OK) {
		fprintf(stderr, "%s: %s\n", path, archive_error_string(a));
		exit(2);
	}
	archive_write_free(a);
	return 0;
}

/* The rest of the current member, in chunk-sized reads, into a fresh
 * buffer (*out, caller frees). Returns its length or -1. */
static long
slurp(struct source *s, size_t chunk, unsigned char **out,
    struct pv_error *err)
{
	unsigned char *p = NULL;
	size_t cap = 0, len = 0;
	ssize_t r;

	for (;;) {
		p = xgrow(p, &cap, len + chunk, 1);
		r = source_read(s, p + len, chunk, err);
		if (r < 0) {
			free(p);
			*out = NULL;
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	*out = p;
	return (long)len;
}

static void
sha_of_file(const char *path, unsigned char d[32], size_t *n)
{
	struct sha256 h;
	unsigned char *p = read_file(path, n);

	sha256_init(&h);
	sha256_update(&h, p, *n);
	sha256_final(&h, d);
	free(p);
}

/* source_finish agrees with hashing the file directly. */
static void
check_finish(struct source *s, const char *path)
{
	struct pv_error err;
	unsigned char got[32], want[32];
	uint64_t raw = 0;
	size_t n;

	sha_of_file(path, want, &n);
	CHECK_INT(source_finish(s, got, &raw, &err), 0);
	CHECK_INT(raw, n);
	CHECK(memcmp(got, want, 32) == 0);
}

/* Opens path; the test fails (and returns NULL) when it cannot. */
static struct source *
open_ok(const char *path, const char *display, const struct source_limits *l)
{
	struct source *s = NULL;
	struct pv_error err;

	pv_error_clear(&err);
	if (source_open(&s, path, display, l, &err) != 0) {
		fprintf(stderr, "open %s: %s\n", path, err.msg);
		return NULL;
	}
	return s;
}

static const char csv1[] = "a,b\n1,2\n";
static const char csv2[] = "c,d\n3,4\n5,6\n";

static void
test_plain(void)
{
	const char *p = tpath("plain.csv");
	struct source *s;
	struct pv_error err;
	const char *name;
	unsigned char *got;

	write_bytes(p, csv1, strlen(csv1));
	if ((s = open_ok(p, "plain.csv", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_PLAIN);
	CHECK_INT(source_raw_size(s), strlen(csv1));
	CHECK_INT(source_next(s, &name, &err), 1);
	CHECK_STR(name, "plain.csv");
	CHECK_INT(slurp(s, 3, &got, &err), strlen(csv1));
	CHECK(got != NULL && memcmp(got, csv1, strlen(csv1)) == 0);
	free(got);
	CHECK_INT(source_next(s, &name, &err), 0);
	check_finish(s, p);
	source_free(s);
}

/* More than two raw blocks, read in odd sizes: block edges lose nothing. */
static void
test_plain_large(void)
{
	const char *p = tpath("large.csv");
	size_t n = 600 * 1024 + 17, i;
	unsigned char *data = xmalloc(n), *got;
	uint32_t x = 12345;
	struct source *s;
	struct pv_error err;
	const char *name;

	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (unsigned char)(x >> 16);
	}
	data[0] = 'x';		/* no magic by accident */
	write_bytes(p, data, n);
	if ((s = open_ok(p, p, NULL)) == NULL) {
		CHECK(0);
		free(data);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_PLAIN);
	CHECK_INT(source_next(s, &name, &err), 1);
	CHECK_INT(slurp(s, 1000, &got, &err), n);
	CHECK(got != NULL && memcmp(got, data, n) == 0);
	CHECK_INT(source_raw_consumed(s), n);
	free(got);
	check_finish(s, p);
	source_free(s);
	free(data);
}

static void
test_empty_file(void)
{
	const char *p = tpath("empty.csv");
	struct source *s;
	struct pv_error err;
	const char *name;
	unsigned char *got;

	write_bytes(p, "", 0);
	if ((s = open_ok(p, "empty.csv", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_PLAIN);
	CHECK_INT(source_next(s, &name, &err), 1);
	CHECK_STR(name, "empty.csv");
	CHECK_INT(slurp(s, 64, &got, &err), 0);
	free(got);
	CHECK_INT(source_next(s, &name, &err), 0);
	check_finish(s, p);
	source_free(s);
}

static void
test_nonexistent(void)
{
	struct source *s = (struct source *)&s;
	struct pv_error err;

	pv_error_clear(&err);
	CHECK_INT(source_open(&s, "/nonexistent/x.csv", "/nonexistent/x.csv",
	    NULL, &err), -1);
	CHECK(s == NULL);
	CHECK_INT(err.kind, PV_ERR_INPUT);
	CHECK_STR(err.file, "");
	CHECK_STR(err.msg,
	    "cannot open '/nonexistent/x.csv': No such file or directory");
}

static void
test_directory(void)
{
	struct source *s = NULL;
	struct pv_error err;
	char want[600];

	CHECK_INT(source_open(&s, tdir, tdir, NULL, &err), -1);
	CHECK(s == NULL);
	snprintf(want, sizeof(want), "'%s' is a directory", tdir);
	CHECK_INT(err.kind, PV_ERR_INPUT);
	CHECK_STR(err.msg, want);
}

static void
test_gzip(void)
{
	const char *p = tpath("g.csv.gz");
	struct source *s;
	struct pv_error err;
	const char *name;
	unsigned char *got;

	write_gz(p, "wb", csv1, strlen(csv1));
	if ((s = open_ok(p, "dir/g.csv.gz", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_GZIP);
	CHECK_STR(source_container_name(source_container(s)), "gzip");
	CHECK_INT(source_next(s, &name, &err), 1);
	CHECK_STR(name, "dir/g.csv");
	CHECK_INT(slurp(s, 5, &got, &err), strlen(csv1));
	CHECK(got != NULL && memcmp(got, csv1, strlen(csv1)) == 0);
	free(got);
	CHECK_INT(source_next(s, &name, &err), 0);
	check_finish(s, p);
	source_free(s);
}

/* Detection ignores names both ways. */
static void
test_detect_not_by_name(void)
{
	const char *pg = tpath("looks-plain.csv");
	const char *pp = tpath("looks-gzip.csv.gz");
	struct source *s;
	struct pv_error err;
	const char *name;

	write_gz(pg, "wb", csv1, strlen(csv1));
	write_bytes(pp, csv1, strlen(csv1));
	if ((s = open_ok(pg, "looks-plain.csv", NULL)) != NULL) {
		CHECK_INT(source_container(s), SOURCE_GZIP);
		CHECK_INT(source_next(s, &name, &err), 1);
		CHECK_STR(name, "looks-plain.csv");
		source_free(s);
	} else {
		CHECK(0);
	}
	if ((s = open_ok(pp, "looks-gzip.csv.gz", NULL)) != NULL) {
		CHECK_INT(source_container(s), SOURCE_PLAIN);
		CHECK_INT(source_next(s, &name, &err), 1);
		CHECK_STR(name, "looks-gzip.csv.gz");
		source_free(s);
	} else {
		CHECK(0);
	}
}

static void
test_gzip_concatenated(void)
{
	const char *p = tpath("cat.csv.gz");
	struct source *s;
	struct pv_error err;
	const char *name;
	unsigned char *got;
	size_t n1 = strlen(csv1), n2 = strlen(csv2);

	write_gz(p, "wb", csv1, n1);
	write_gz(p, "ab", csv2, n2);
	if ((s = open_ok(p, "cat.csv.gz", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_next(s, &name, &err), 1);
	CHECK_INT(slurp(s, 4096, &got, &err), n1 + n2);
	CHECK(got != NULL && memcmp(got, csv1, n1) == 0 &&
	    memcmp(got + n1, csv2, n2) == 0);
	free(got);
	CHECK_INT(source_next(s, &name, &err), 0);
	check_finish(s, p);
	source_free(s);
}

/* gzip of nothing: still gzip, one member, no bytes. */
static void
test_gzip_empty_member(void)
{
	const char *p = tpath("nothing.csv.gz");
	struct source *s;
	struct pv_error err;
	const char *name;
	unsigned char *got;

	write_gz(p, "wb", "", 0);
	if ((s = open_ok(p, "nothing.csv.gz", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_GZIP);
	CHECK_INT(source_next(s, &name, &err), 1);
	CHECK_INT(slurp(s, 64, &got, &err), 0);
	free(got);
	CHECK_INT(source_next(s, &name, &err), 0);
	source_free(s);
}

/* The gzip file p, cut to keep bytes or altered by the caller, must fail
 * with msg on reading. */
static void
expect_gz_error(const char *p, const char *display, const char *msg)
{
	struct source *s;
	struct pv_error err;
	const char *name;
	unsigned char *got;
	char c;

	if ((s = open_ok(p, display, NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_GZIP);
	CHECK_INT(source_next(s, &name, &err), 1);
	pv_error_clear(&err);
	CHECK_INT(slurp(s, 4096, &got, &err), -1);
	CHECK_INT(err.kind, PV_ERR_INPUT);
	CHECK_STR(err.file, display);
	CHECK_STR(err.msg, msg);
	/* Sticky: asking again gives the same answer. */
	pv_error_clear(&err);
	CHECK_INT(source_read(s, &c, 1, &err), -1);
	CHECK_STR(err.msg, msg);
	/* The raw input is still hashed whole. */
	check_finish(s, p);
	source_free(s);
}

static void
test_gzip_truncated(void)
{
	const char *p = tpath("trunc.csv.gz");
	unsigned char *raw;
	size_t n;

	/* Cut inside the trailer. */
	write_gz(p, "wb", csv2, strlen(csv2));
	raw = read_file(p, &n);
	write_bytes(p, raw, n - 4);
	expect_gz_error(p, "trunc.csv.gz", "truncated gzip data");
	/* Cut inside the deflate data. */
	write_bytes(p, raw, n / 2);
	expect_gz_error(p, "trunc.csv.gz", "truncated gzip data");
	/* Only the first bytes of a header. */
	write_bytes(p, raw, 5);
	expect_gz_error(p, "trunc.csv.gz", "truncated gzip data");
	free(raw);
}

static void
test_gzip_trailing_garbage(void)
{
	const char *p = tpath("junk.csv.gz");

	write_gz(p, "wb", csv1, strlen(csv1));
	append_file(p, "junk\n", 5);
	expect_gz_error(p, "junk.csv.gz", "trailing garbage after gzip data");
	/* One stray byte that could start a header is still garbage. */
	write_gz(p, "wb", csv1, strlen(csv1));
	append_file(p, "\x1f", 1);
	expect_gz_error(p, "junk.csv.gz", "trailing garbage after gzip data");
}

/*
 * Two members where the first ends exactly around the 256 KiB raw block
 * edge: the check for a following member must look across blocks.
 */
static void
test_gzip_member_at_block_edge(void)
{
	const char *p = tpath("edge.csv.gz");
	const size_t block = 256 * 1024;
	size_t n = block, m1n, m2n, want, i;
	unsigned char *data = xmalloc(block + 4096), *m1, *m2, *got;
	struct source *s;
	struct pv_error err;
	const char *name;
	int edge, tries;

	for (i = 0; i < block + 4096; i++)
		data[i] = (unsigned char)('a' + i % 23);
	m2 = gz_member(csv2, strlen(csv2), 6, &m2n);
	for (edge = -2; edge <= 2; edge++) {
		want = block + (size_t)(ptrdiff_t)edge;
		/* Stored blocks (level 0) make the size a step function of
		 * n; a few corrections land on it exactly. */
		m1 = NULL;
		for (tries = 0; tries < 8; tries++) {
			free(m1);
			m1 = gz_member(data, n, 0, &m1n);
			if (m1n == want)
				break;
			n = n + want - m1n;
		}
		CHECK_INT(m1n, want);
		write_bytes(p, m1, m1n);
		append_file(p, m2, m2n);
		free(m1);
		if ((s = open_ok(p, "edge.csv.gz", NULL)) == NULL) {
			CHECK(0);
			continue;
		}
		CHECK_INT(source_next(s, &name, &err), 1);
		CHECK_INT(slurp(s, 65536, &got, &err), n + strlen(csv2));
		CHECK(got != NULL && memcmp(got, data, n) == 0 &&
		    memcmp(got + n, csv2, strlen(csv2)) == 0);
		free(got);
		check_finish(s, p);
		source_free(s);
	}
	free(m2);
	free(data);
}

static void
test_gzip_member_at_block_edge_garbage(void)
{
	const char *p = tpath("edge-junk.csv.gz");
	const size_t block = 256 * 1024;
	size_t n = block, m1n;
	unsigned char *data = xcalloc(1, block + 4096), *m1;
	int tries;

	/* First member ends one byte before the block edge, then "\x1f" at
	 * the last byte of the block and junk after it. */
	m1 = NULL;
	for (tries = 0; tries < 8; tries++) {
		free(m1);
		m1 = gz_member(data, n, 0, &m1n);
		if (m1n == block - 1)
			break;
		n = n + (block - 1) - m1n;
	}
	CHECK_INT(m1n, block - 1);
	write_bytes(p, m1, m1n);
	append_file(p, "\x1f\x00junk", 6);
	free(m1);
	free(data);
	expect_gz_error(p, "edge-junk.csv.gz", "trailing garbage after gzip data");
}

static void
test_gzip_corrupt(void)
{
	const char *p = tpath("bad.csv.gz");
	unsigned char *raw;
	size_t n;

	write_gz(p, "wb", csv2, strlen(csv2));
	raw = read_file(p, &n);
	raw[n - 8] ^= 0xff;	/* the CRC-32 */
	write_bytes(p, raw, n);
	free(raw);
	expect_gz_error(p, "bad.csv.gz", "corrupt gzip data: incorrect data check");
}

/* Reads every member into names/bodies order; returns the count or -1. */
static int
members(struct source *s, const char **want_names, const char **want_data,
    int max, struct pv_error *err)
{
	const char *name;
	unsigned char *got;
	long len;
	int n = 0, r;

	while ((r = source_next(s, &name, err)) == 1) {
		if (n < max) {
			CHECK_STR(name, want_names[n]);
			len = slurp(s, 4096, &got, err);
			if (len < 0)
				return -1;
			CHECK_INT(len, strlen(want_data[n]));
			CHECK(memcmp(got, want_data[n], (size_t)len) == 0);
			free(got);
		}
		n++;
	}
	return r < 0 ? -1 : n;
}

static void
test_zip_two_members(void)
{
	const char *p = tpath("two.zip");
	const struct ent e[] = {
		{ "a.csv", csv1, sizeof(csv1) - 1, 0 },
		{ "sub/b.csv", csv2, sizeof(csv2) - 1, 0 },
	};
	const char *names[] = { "a.csv", "sub/b.csv" };
	const char *data[] = { csv1, csv2 };
	struct source *s;
	struct pv_error err;

	write_archive(p, "zip", NULL, e, 2);
	if ((s = open_ok(p, "two.zip", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_ZIP);
	CHECK_INT(members(s, names, data, 2, &err), 2);
	check_finish(s, p);
	source_free(s);
}

static void
test_zip_directory_skipped(void)
{
	const char *p = tpath("dir.zip");
	const struct ent e[] = {
		{ "d/", NULL, 0, 1 },
		{ "d/x.csv", csv1, sizeof(csv1) - 1, 0 },
		{ "d/e/", NULL, 0, 1 },
	};
	const char *names[] = { "d/x.csv" };
	const char *data[] = { csv1 };
	struct source *s;
	struct pv_error err;

	write_archive(p, "zip", NULL, e, 3);
	if ((s = open_ok(p, "dir.zip", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(members(s, names, data, 1, &err), 1);
	source_free(s);
}

/* Names are labels: a traversal is handed over as is, not cleaned. */
static void
test_zip_traversal_name(void)
{
	const char *p = tpath("evil.zip");
	const struct ent e[] = {
		{ "../../evil.csv", csv1, sizeof(csv1) - 1, 0 },
	};
	const char *names[] = { "../../evil.csv" };
	const char *data[] = { csv1 };
	struct source *s;
	struct pv_error err;

	write_archive(p, "zip", NULL, e, 1);
	if ((s = open_ok(p, "evil.zip", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(members(s, names, data, 1, &err), 1);
	source_free(s);
}

/* A member skipped without reading it does not disturb the next one. */
static void
test_zip_skip_unread_member(void)
{
	const char *p = tpath("skip.zip");
	const struct ent e[] = {
		{ "a.csv", csv1, sizeof(csv1) - 1, 0 },
		{ "b.csv", csv2, sizeof(csv2) - 1, 0 },
	};
	struct source *s;
	struct pv_error err;
	const char *name;
	unsigned char *got;

	write_archive(p, "zip", NULL, e, 2);
	if ((s = open_ok(p, "skip.zip", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_next(s, &name, &err), 1);
	CHECK_STR(name, "a.csv");
	CHECK_INT(source_next(s, &name, &err), 1);
	CHECK_STR(name, "b.csv");
	CHECK_INT(slurp(s, 4096, &got, &err), strlen(csv2));
	CHECK(got != NULL && memcmp(got, csv2, strlen(csv2)) == 0);
	free(got);
	CHECK_INT(source_next(s, &name, &err), 0);
	source_free(s);
}

/* Stopping after the first member: finish still hashes every byte. */
static void
test_zip_finish_early(void)
{
	const char *p = tpath("early.zip");
	const struct ent e[] = {
		{ "a.csv", csv1, sizeof(csv1) - 1, 0 },
		{ "b.csv", csv2, sizeof(csv2) - 1, 0 },
	};
	struct source *s;
	struct pv_error err;
	const char *name;

	write_archive(p, "zip", NULL, e, 2);
	if ((s = open_ok(p, "early.zip", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_next(s, &name, &err), 1);
	check_finish(s, p);
	CHECK_INT(source_raw_consumed(s), source_raw_size(s));
	source_free(s);
}

static void
test_zip_corrupt(void)
{
	const char *p = tpath("corrupt.zip");
	char body[4000];
	const struct ent e[] = { { "a.csv", body, sizeof(body), 0 } };
	struct source *s;
	struct pv_error err;
	const char *name;
	unsigned char *raw, *got;
	size_t n, i;

	for (i = 0; i < sizeof(body); i++)
		body[i] = (char)('a' + (i * 7 + i / 13) % 26);
	write_archive(p, "zip", NULL, e, 1);
	raw = read_file(p, &n);
	/* Into the compressed data, well past the local header. */
	for (i = 60; i < 80 && i < n; i++)
		raw[i] ^= 0x55;
	write_bytes(p, raw, n);
	free(raw);
	if ((s = open_ok(p, "corrupt.zip", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_next(s, &name, &err), 1);
	pv_error_clear(&err);
	CHECK_INT(slurp(s, 4096, &got, &err), -1);
	CHECK_INT(err.kind, PV_ERR_INPUT);
	CHECK_STR(err.file, "corrupt.zip");
	CHECK(strncmp(err.msg, "corrupt zip: ", 13) == 0);
	check_finish(s, p);
	source_free(s);
}

/* A file that starts like a zip but is not one. */
static void
test_zip_garbage(void)
{
	const char *p = tpath("garbage.zip");
	static const char junk[] = "PK\003\004this is not a zip at all";
	struct source *s;
	struct pv_error err;
	const char *name;

	write_bytes(p, junk, sizeof(junk) - 1);
	if ((s = open_ok(p, "garbage.zip", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_ZIP);
	pv_error_clear(&err);
	CHECK_INT(source_next(s, &name, &err), -1);
	CHECK_INT(err.kind, PV_ERR_INPUT);
	CHECK(strncmp(err.msg, "corrupt zip: ", 13) == 0);
	check_finish(s, p);
	source_free(s);
}

static void
test_tar_gz(void)
{
	const char *p = tpath("one.tar.gz");
	const struct ent e[] = { { "x/one.csv", csv2, sizeof(csv2) - 1, 0 } };
	const char *names[] = { "x/one.csv" };
	const char *data[] = { csv2 };
	struct source *s;
	struct pv_error err;

	write_archive(p, "ustar", "gzip", e, 1);
	if ((s = open_ok(p, "one.tar.gz", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_ARCHIVE);
	CHECK_INT(members(s, names, data, 1, &err), 1);
	check_finish(s, p);
	source_free(s);
}

/* A tar.gz cut short: libarchive's complaint, as a content error. */
static void
test_tar_gz_truncated(void)
{
	const char *p = tpath("cut.tar.gz");
	char body[20000];
	const struct ent e[] = { { "a.csv", body, sizeof(body), 0 } };
	struct source *s;
	struct pv_error err;
	const char *name;
	unsigned char *raw, *got;
	size_t n, i;
	long r = 0;
	int k;

	for (i = 0; i < sizeof(body); i++)
		body[i] = (char)('a' + (i * 7 + i / 13) % 26);
	write_archive(p, "ustar", "gzip", e, 1);
	raw = read_file(p, &n);
	write_bytes(p, raw, n / 2);
	free(raw);
	if ((s = open_ok(p, "cut.tar.gz", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_ARCHIVE);
	pv_error_clear(&err);
	k = source_next(s, &name, &err);
	if (k == 1) {
		r = slurp(s, 4096, &got, &err);
		free(got);
	}
	CHECK(k == -1 || r == -1);
	CHECK_INT(err.kind, PV_ERR_INPUT);
	CHECK_STR(err.file, "cut.tar.gz");
	CHECK(strncmp(err.msg, "corrupt archive: ", 17) == 0);
	check_finish(s, p);
	source_free(s);
}

static void
test_tar(void)
{
	const char *p = tpath("two.tar");
	const struct ent e[] = {
		{ "d", NULL, 0, 1 },
		{ "d/a.csv", csv1, sizeof(csv1) - 1, 0 },
		{ "b.csv", csv2, sizeof(csv2) - 1, 0 },
	};
	const char *names[] = { "d/a.csv", "b.csv" };
	const char *data[] = { csv1, csv2 };
	struct source *s;
	struct pv_error err;

	write_archive(p, "ustar", NULL, e, 3);
	if ((s = open_ok(p, "two.tar", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_ARCHIVE);
	CHECK_INT(members(s, names, data, 2, &err), 2);
	check_finish(s, p);
	source_free(s);
}

/* A compressed single file: one member, named after the input. */
static void
single_file(const char *filter, const char *file, const char *want_name)
{
	const char *p = tpath(file);
	const struct ent e[] = { { "data", csv2, sizeof(csv2) - 1, 0 } };
	const char *names[] = { want_name };
	const char *data[] = { csv2 };
	struct source *s;
	struct pv_error err;

	if (write_archive(p, "raw", filter, e, 1) < 0) {
		fprintf(stderr, "skip %s: cannot write it\n", file);
		t_skipped = 1;
		return;
	}
	if ((s = open_ok(p, file, NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_ARCHIVE);
	CHECK_INT(members(s, names, data, 1, &err), 1);
	check_finish(s, p);
	source_free(s);
}

static void
test_bz2_single(void)
{
	if (archive_bzlib_version() == NULL)
		SKIP("libarchive without bzip2");
	single_file("bzip2", "one.csv.bz2", "one.csv");
}

static void
test_xz_single(void)
{
	if (archive_liblzma_version() == NULL)
		SKIP("libarchive without xz");
	single_file("xz", "one.csv.xz", "one.csv");
}

static void
test_zstd_single(void)
{
	if (archive_libzstd_version() == NULL)
		SKIP("libarchive without zstd");
	single_file("zstd", "one.csv.zst", "one.csv");
}

/* A tar inside bzip2 is read as a tar, not as one raw member. */
static void
test_tar_bz2(void)
{
	const char *p = tpath("two.tar.bz2");
	const struct ent e[] = {
		{ "a.csv", csv1, sizeof(csv1) - 1, 0 },
		{ "b.csv", csv2, sizeof(csv2) - 1, 0 },
	};
	const char *names[] = { "a.csv", "b.csv" };
	const char *data[] = { csv1, csv2 };
	struct source *s;
	struct pv_error err;

	if (archive_bzlib_version() == NULL)
		SKIP("libarchive without bzip2");
	write_archive(p, "ustar", "bzip2", e, 2);
	if ((s = open_ok(p, "two.tar.bz2", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(members(s, names, data, 2, &err), 2);
	check_finish(s, p);
	source_free(s);
}

static void
test_bz2_empty(void)
{
	const char *p = tpath("empty.csv.bz2");
	const struct ent e[] = { { "data", "", 0, 0 } };
	const char *names[] = { "empty.csv" };
	const char *data[] = { "" };
	struct source *s;
	struct pv_error err;

	if (archive_bzlib_version() == NULL)
		SKIP("libarchive without bzip2");
	write_archive(p, "raw", "bzip2", e, 1);
	if ((s = open_ok(p, "empty.csv.bz2", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_ARCHIVE);
	CHECK_INT(members(s, names, data, 1, &err), 1);
	check_finish(s, p);
	source_free(s);
}

/* A 7z of a.csv and 600 KB of incompressible bytes, so the archive spans
 * several raw blocks; NULL when libarchive cannot write 7z. big is the
 * caller's to free. */
static const char *
make_7z(const char *file, char **big, size_t *bign)
{
	const char *p = tpath(file);
	size_t n = 600 * 1000, i;
	uint32_t x = 7;
	char *b = xmalloc(n + 1);

	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (char)(x >> 16);
	}
	b[n] = '\0';
	*big = b;
	*bign = n;
	{
		const struct ent e[] = {
			{ "a.csv", csv1, sizeof(csv1) - 1, 0 },
			{ "big.bin", b, n, 0 },
		};

		if (write_archive(p, "7zip", NULL, e, 2) < 0)
			return NULL;
	}
	return p;
}

/* 7z seeks (its index is at the end): the hash must still cover every
 * byte once, in order. */
static void
test_7z(void)
{
	const char *names[] = { "a.csv", "big.bin" };
	const char *data[2];
	const char *p;
	char *big;
	size_t bign;
	struct source *s;
	struct pv_error err;
	const char *name;
	unsigned char *got;

	if ((p = make_7z("two.7z", &big, &bign)) == NULL) {
		free(big);
		SKIP("libarchive cannot write 7z");
	}
	data[0] = csv1;
	data[1] = big;
	if ((s = open_ok(p, "two.7z", NULL)) == NULL) {
		CHECK(0);
		free(big);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_ARCHIVE);
	CHECK_INT(source_next(s, &name, &err), 1);
	CHECK_STR(name, names[0]);
	CHECK_INT(slurp(s, 4096, &got, &err), strlen(data[0]));
	CHECK(got != NULL && memcmp(got, data[0], strlen(data[0])) == 0);
	free(got);
	CHECK_INT(source_next(s, &name, &err), 1);
	CHECK_STR(name, names[1]);
	CHECK_INT(slurp(s, 4096, &got, &err), bign);
	CHECK(got != NULL && memcmp(got, data[1], bign) == 0);
	free(got);
	CHECK_INT(source_next(s, &name, &err), 0);
	check_finish(s, p);
	source_free(s);
	free(big);
}

/* Stopping after the first 7z member leaves a gap between what was read
 * and the index libarchive read at the end: finish fills it. */
static void
test_7z_finish_early(void)
{
	const char *p;
	char *big;
	size_t bign;
	struct source *s;
	struct pv_error err;
	const char *name;

	if ((p = make_7z("early.7z", &big, &bign)) == NULL) {
		free(big);
		SKIP("libarchive cannot write 7z");
	}
	free(big);
	if ((s = open_ok(p, "early.7z", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_next(s, &name, &err), 1);
	CHECK_STR(name, "a.csv");
	check_finish(s, p);
	source_free(s);
}

/* "ustar" at offset 257 of a text file is not enough to be a tar: the
 * header checksum must match too. */
static void
test_not_tar(void)
{
	const char *p = tpath("ustar.csv");
	char text[600];
	struct source *s;
	struct pv_error err;
	const char *name;

	memset(text, 'q', sizeof(text));
	memcpy(text + 148, "0001234", 8);	/* a checksum, but a wrong one */
	memcpy(text + 257, "ustar", 5);
	write_bytes(p, text, sizeof(text));
	if ((s = open_ok(p, "ustar.csv", NULL)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_container(s), SOURCE_PLAIN);
	CHECK_INT(source_next(s, &name, &err), 1);
	source_free(s);
}

static void
test_limit_gzip(void)
{
	const char *p = tpath("zeros.gz");
	struct source_limits l;
	struct source *s;
	struct pv_error err;
	const char *name;
	unsigned char *got;

	write_gz_zeros(p, 1 << 20);
	source_limits_default(&l);
	l.max_expanded_bytes = 1000;
	if ((s = open_ok(p, "zeros.gz", &l)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_next(s, &name, &err), 1);
	pv_error_clear(&err);
	CHECK_INT(slurp(s, 65536, &got, &err), -1);
	CHECK_INT(err.kind, PV_ERR_INPUT);
	CHECK_STR(err.file, "zeros.gz");
	CHECK_STR(err.msg, "expands beyond the limit of 1000 bytes"
	    " (possible decompression bomb; see --max-size)");
	check_finish(s, p);
	source_free(s);
}

/* The limit is over all members together. */
static void
test_limit_across_members(void)
{
	const char *p = tpath("many.zip");
	char body[600];
	const struct ent e[] = {
		{ "a.csv", body, sizeof(body), 0 },
		{ "b.csv", body, sizeof(body), 0 },
	};
	struct source_limits l;
	struct source *s;
	struct pv_error err;
	const char *name;
	unsigned char *got;

	memset(body, 'x', sizeof(body));
	write_archive(p, "zip", NULL, e, 2);
	source_limits_default(&l);
	l.max_expanded_bytes = 1000;
	if ((s = open_ok(p, "many.zip", &l)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_next(s, &name, &err), 1);
	CHECK_INT(slurp(s, 4096, &got, &err), 600);
	free(got);
	CHECK_INT(source_next(s, &name, &err), 1);
	pv_error_clear(&err);
	CHECK_INT(slurp(s, 4096, &got, &err), -1);
	CHECK_STR(err.msg, "expands beyond the limit of 1000 bytes"
	    " (possible decompression bomb; see --max-size)");
	source_free(s);
}

/* Ratio: gzip of zeros is ~1000:1, over 64 MiB that trips a limit of 100. */
static void
test_limit_ratio(void)
{
	const char *p = tpath("ratio.gz");
	struct source_limits l;
	struct source *s;
	struct pv_error err;
	const char *name;
	unsigned char buf[65536];
	ssize_t r;
	uint64_t total = 0;

	write_gz_zeros(p, (size_t)80 << 20);
	source_limits_default(&l);
	l.max_ratio = 100;
	if ((s = open_ok(p, "ratio.gz", &l)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_next(s, &name, &err), 1);
	pv_error_clear(&err);
	while ((r = source_read(s, buf, sizeof(buf), &err)) > 0)
		total += (uint64_t)r;
	CHECK_INT(r, -1);
	CHECK(total >= (uint64_t)64 << 20);	/* not before 64 MiB */
	CHECK_STR(err.msg, "expands more than 100 times its compressed size"
	    " (possible decompression bomb; see --max-ratio)");
	source_free(s);
}

/* Limits are about decompression: plain input is not limited. */
static void
test_limit_not_plain(void)
{
	const char *p = tpath("big-plain.csv");
	char body[5000];
	struct source_limits l;
	struct source *s;
	struct pv_error err;
	const char *name;
	unsigned char *got;

	memset(body, 'y', sizeof(body));
	write_bytes(p, body, sizeof(body));
	l.max_expanded_bytes = 1000;
	l.max_ratio = 1;
	if ((s = open_ok(p, "big-plain.csv", &l)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_INT(source_next(s, &name, &err), 1);
	CHECK_INT(slurp(s, 4096, &got, &err), sizeof(body));
	free(got);
	source_free(s);
}

static void
test_container_names(void)
{
	CHECK_STR(source_container_name(SOURCE_PLAIN), "plain");
	CHECK_STR(source_container_name(SOURCE_GZIP), "gzip");
	CHECK_STR(source_container_name(SOURCE_ZIP), "zip");
	CHECK_STR(source_container_name(SOURCE_ARCHIVE), "archive");
}

int
main(void)
{
	if (mkdtemp(tdir) == NULL) {
		fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
		return 2;
	}
	RUN(test_plain);
	RUN(test_plain_large);
	RUN(test_empty_file);
	RUN(test_nonexistent);
	RUN(test_directory);
	RUN(test_gzip);
	RUN(test_detect_not_by_name);
	RUN(test_gzip_concatenated);
	RUN(test_gzip_empty_member);
	RUN(test_gzip_truncated);
	RUN(test_gzip_trailing_garbage);
	RUN(test_gzip_member_at_block_edge);
	RUN(test_gzip_member_at_block_edge_garbage);
	RUN(test_gzip_corrupt);
	RUN(test_zip_two_members);
	RUN(test_zip_directory_skipped);
	RUN(test_zip_traversal_name);
	RUN(test_zip_skip_unread_member);
	RUN(test_zip_finish_early);
	RUN(test_zip_corrupt);
	RUN(test_zip_garbage);
	RUN(test_tar_gz);
	RUN(test_tar_gz_truncated);
	RUN(test_tar);
	RUN(test_bz2_single);
	RUN(test_xz_single);
	RUN(test_zstd_single);
	RUN(test_tar_bz2);
	RUN(test_bz2_empty);
	RUN(test_7z);
	RUN(test_7z_finish_early);
	RUN(test_not_tar);
	RUN(test_limit_gzip);
	RUN(test_limit_across_members);
	/* again through zlib, where ISA-L does the gzip above */
	source_force_zlib(1);
	RUN(test_gzip);
	RUN(test_gzip_concatenated);
	RUN(test_gzip_empty_member);
	RUN(test_gzip_truncated);
	RUN(test_gzip_trailing_garbage);
	RUN(test_gzip_member_at_block_edge);
	RUN(test_gzip_member_at_block_edge_garbage);
	RUN(test_gzip_corrupt);
	RUN(test_limit_gzip);
	RUN(test_limit_across_members);
	source_force_zlib(0);
	RUN(test_limit_ratio);
	RUN(test_limit_not_plain);
	RUN(test_container_names);
	cleanup();
	TEST_END();
}
