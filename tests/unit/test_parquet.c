/*
 * test_parquet.c - a Parquet file becomes the records its CSV holds: the
 * header, each type's text (parquet.h), NULLs as empty fields, lines
 * counted as in the CSV; through readahead from a plain file, a gzip
 * and a zip; damaged files and values over the limits refused with the
 * file's name. The files are written by DuckDB itself; without
 * libduckdb those tests skip, and the missing library's message is
 * checked instead.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <zlib.h>

#include "test.h"

#include "csvread.h"
#include "duck.h"
#include "error.h"
#include "parquet.h"
#include "readahead.h"
#include "source.h"
#include "xalloc.h"

static char tdir[] = "/tmp/test_parquet.XXXXXX";
static const struct duck_api *d;

/* Records joined as text: fields by '|', records by '\n', each record
 * after "LINE:". */
struct collect {
	char *text;
	size_t len, cap;
	long records;
	long fail_at;		/* return -1 at this record; 0 never */
};

static void
append(struct collect *c, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	c->text = xgrow(c->text, &c->cap, c->len + (size_t)n + 1, 1);
	memcpy(c->text + c->len, buf, (size_t)n + 1);
	c->len += (size_t)n;
}

static int
collect_cb(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	struct collect *c = ctx;
	size_t i;

	if (++c->records == c->fail_at)
		return pv_error_set(err, PV_ERR_INPUT, "cb", rec->line,
		    "stop here");
	append(c, "%ld:", rec->line);
	for (i = 0; i < rec->nfields; i++) {
		/* the fields lie one after another, each NUL-ended */
		if (i > 0 && rec->fields[i].ptr != rec->fields[i - 1].ptr +
		    rec->fields[i - 1].len + 1)
			append(c, "<not contiguous>");
		if (rec->fields[i].ptr[rec->fields[i].len] != '\0')
			append(c, "<no NUL>");
		append(c, "%s%.*s", i > 0 ? "|" : "", (int)rec->fields[i].len,
		    rec->fields[i].ptr);
	}
	append(c, "\n");
	return 0;
}

/* Run sql (a COPY ... TO) in a fresh in-memory DuckDB. */
static int
duck_sql(const char *sql)
{
	duck_database db = NULL;
	duck_connection con = NULL;
	duck_result r;
	int rc;

	if (d->open_ext(NULL, &db, NULL, NULL) != DUCK_OK ||
	    d->connect(db, &con) != DUCK_OK)
		return -1;
	rc = d->query(con, sql, &r);
	if (rc != DUCK_OK)
		fprintf(stderr, "duckdb: %s\n", d->result_error(&r));
	d->destroy_result(&r);
	d->disconnect(&con);
	d->close(&db);
	return rc == DUCK_OK ? 0 : -1;
}

static char path_types[128], path_rows[128];

/* One row of every type billing Parquet holds, and one of NULLs. */
static const char types_sql[] =
    "COPY (SELECT * FROM (VALUES "
    "('a,b \"q\"', 0.107::DOUBLE, 12.34::DECIMAL(18,10), "
    "TIMESTAMP '2026-10-01 05:00:00', "
    "TIMESTAMPTZ '2026-10-01 05:00:00+02', DATE '2026-10-02', "
    "MAP {'user_name': 'web', 'empty': NULL}, 42::BIGINT, "
    "1e-7::DOUBLE, 3.5::FLOAT, {'k': 1}, true, -146.0::DOUBLE), "
    "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL)) "
    "t(s, dbl, dec, ts, tstz, dt, m, i, small, f, st, b, neg)) "
    "TO '%s' (FORMAT parquet, COMPRESSION zstd)";

static const char types_want[] =
    "1:s|dbl|dec|ts|tstz|dt|m|i|small|f|st|b|neg\n"
    "2:a,b \"q\"|0.1070000000|12.3400000000|2026-10-01T05:00:00.000Z|"
    "2026-10-01T03:00:00.000Z|2026-10-02|{\"user_name\":\"web\","
    "\"empty\":null}|42|0.0000001000|3.5000000000|{\"k\":1}|true|"
    "-146.0000000000\n"
    "3:||||||||||||\n";

static int
setup(void)
{
	char sql[1024], why[256];

	snprintf(path_types, sizeof(path_types), "%s/types.parquet", tdir);
	snprintf(path_rows, sizeof(path_rows), "%s/rows.parquet", tdir);
	if ((d = duck_load(why, sizeof(why))) == NULL) {
		fprintf(stderr, "no libduckdb: %s\n", why);
		return 0;
	}
	snprintf(sql, sizeof(sql), types_sql, path_types);
	if (duck_sql(sql) != 0)
		return -1;
	/* 5,000 rows: more than one of DuckDB's chunks (2,048) */
	snprintf(sql, sizeof(sql), "COPY (SELECT i AS n, 'x' || i AS t "
	    "FROM range(5000) r(i)) TO '%s' (FORMAT parquet, COMPRESSION "
	    "snappy, ROW_GROUP_SIZE 1000)", path_rows);
	return duck_sql(sql);
}

static void
test_double_text(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "0.1", "0.1000000000" }, { "146.0", "146.0000000000" },
		{ "1e-07", "0.0000001000" }, { "3.52e-05", "0.0000352000" },
		{ "-0.0", "-0.0000000000" }, { "1.81e-08", "0.0000000181" },
		{ "1.2345678901234e-05", "0.000012345678901234" },
		{ "218.1678632876", "218.1678632876" },
		{ "1e+22", "10000000000000000000000.0000000000" },
		{ "1.5e3", "1500.0000000000" }, { "inf", "inf" },
		{ "-inf", "-inf" }, { "nan", "nan" }, { "12x", "12x" },
	};
	char out[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(parquet_double_text(cases[i].in, strlen(cases[i].in),
		    out, sizeof(out)) == strlen(cases[i].out));
		CHECK_STR(out, cases[i].out);
	}
	CHECK_INT(parquet_double_text("0.1", 3, out, 8), 0);
}

static void
test_magic(void)
{
	CHECK(parquet_magic("PAR1\x15", 5));
	CHECK(!parquet_magic("PAR", 3));
	CHECK(!parquet_magic("a,b\n", 4));
}

static void
test_types(void)
{
	struct collect c = { 0 };
	struct pv_error err;

	if (d == NULL)
		SKIP("no libduckdb");
	CHECK_INT(parquet_read(path_types, "types.parquet", NULL, collect_cb,
	    &c, &err), 0);
	CHECK_STR(c.text, types_want);
	free(c.text);
}

static void
test_many_rows(void)
{
	struct collect c = { 0 };
	struct pv_error err;
	char want[64];

	if (d == NULL)
		SKIP("no libduckdb");
	CHECK_INT(parquet_read(path_rows, "rows.parquet", NULL, collect_cb,
	    &c, &err), 0);
	CHECK_INT(c.records, 5001);
	CHECK(strncmp(c.text, "1:n|t\n2:0|x0\n3:1|x1\n", 20) == 0);
	snprintf(want, sizeof(want), "5001:4999|x4999\n");
	CHECK(c.len > strlen(want) && strcmp(c.text + c.len - strlen(want),
	    want) == 0);
	free(c.text);
}

/* The callback's error stands, and no record follows it. */
static void
test_callback_stops(void)
{
	struct collect c = { 0 };
	struct pv_error err;

	if (d == NULL)
		SKIP("no libduckdb");
	c.fail_at = 3000;
	CHECK_INT(parquet_read(path_rows, "rows.parquet", NULL, collect_cb,
	    &c, &err), -1);
	CHECK_STR(err.msg, "stop here");
	CHECK_INT(err.line, 3000);
	CHECK_INT(c.records, 3000);
	free(c.text);
}

static void
test_limits(void)
{
	struct collect c = { 0 };
	struct csvread_limits lim;
	struct pv_error err;

	if (d == NULL)
		SKIP("no libduckdb");
	csvread_limits_default(&lim);
	lim.max_field = 20;
	CHECK_INT(parquet_read(path_types, "types.parquet", &lim, collect_cb,
	    &c, &err), -1);
	CHECK_STR(err.file, "types.parquet");
	CHECK_INT(err.line, 2);
	CHECK_STR(err.msg, "field 4 is longer than 20 bytes");
	free(c.text);
	memset(&c, 0, sizeof(c));
	csvread_limits_default(&lim);
	lim.max_fields = 5;
	CHECK_INT(parquet_read(path_types, "types.parquet", &lim, collect_cb,
	    &c, &err), -1);
	CHECK_STR(err.msg, "more than 5 fields in one record");
	CHECK_INT(c.records, 0);
}

static void
test_damaged(void)
{
	struct collect c = { 0 };
	struct pv_error err;
	char path[160];
	FILE *in, *out;
	char buf[256];
	size_t n;

	if (d == NULL)
		SKIP("no libduckdb");
	/* the first 256 bytes: the magic number, no footer */
	snprintf(path, sizeof(path), "%s/cut.parquet", tdir);
	in = fopen(path_types, "rb");
	out = fopen(path, "wb");
	if (in == NULL || out == NULL)
		SKIP("cannot write");
	n = fread(buf, 1, sizeof(buf), in);
	fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
	CHECK_INT(parquet_read(path, "cut.parquet", NULL, collect_cb, &c,
	    &err), -1);
	CHECK_INT(err.kind, PV_ERR_INPUT);
	CHECK_STR(err.file, "cut.parquet");
	CHECK(strncmp(err.msg, "not a readable Parquet file: ", 29) == 0);
	/* DuckDB's words name the file as we do, not by the path it had */
	CHECK(strstr(err.msg, "cut.parquet") != NULL);
	CHECK(strstr(err.msg, tdir) == NULL);
	CHECK_INT(c.records, 0);
}

/* Records through readahead, as ingest reads them. */
static char *
via_readahead(const char *path, long *records, struct pv_error *err)
{
	struct collect c = { 0 };
	struct readahead *ra;
	struct source *src;
	const struct csv_record *recs;
	const char *name;
	unsigned char sha[32];
	uint64_t raw;
	ssize_t n, i;
	int wanted, more;

	if (source_open(&src, path, "in", NULL, err) != 0 ||
	    readahead_start(&ra, src, &(struct readahead_options){
	    .csv_display = "in", .jobs = 2 }, err) != 0)
		return NULL;
	while ((more = readahead_next(ra, &name, &wanted, err)) == 1) {
		append(&c, "member %s\n", name);
		while ((n = readahead_records(ra, &recs, err)) > 0)
			for (i = 0; i < n; i++)
				collect_cb(&c, &recs[i], err);
		if (n < 0)
			break;
	}
	if (more == 0 && readahead_finish(ra, sha, &raw, err) != 0)
		more = -1;
	readahead_free(ra);
	*records = c.records;
	if (more != 0) {
		free(c.text);
		return NULL;
	}
	return c.text;
}

/* Files the source left in TMPDIR. */
static int
count_spooled(void)
{
	DIR *dir = opendir(tdir);
	struct dirent *de;
	int n = 0;

	while (dir != NULL && (de = readdir(dir)) != NULL)
		n += strncmp(de->d_name, "pilvi-member", 12) == 0;
	if (dir != NULL)
		closedir(dir);
	return n;
}

static void
test_readahead_containers(void)
{
	char gz[160], zip[160], buf[4096], want[2048];
	struct archive *a;
	struct archive_entry *e;
	struct pv_error err;
	struct stat st;
	long records;
	char *got;
	gzFile g;
	FILE *f;
	size_t n;

	if (d == NULL)
		SKIP("no libduckdb");
	f = fopen(path_types, "rb");
	n = f != NULL ? fread(buf, 1, sizeof(buf), f) : 0;
	if (f != NULL)
		fclose(f);
	CHECK(n > 0 && n < sizeof(buf));
	snprintf(gz, sizeof(gz), "%s/types.parquet.gz", tdir);
	g = gzopen(gz, "wb");
	gzwrite(g, buf, (unsigned)n);
	gzclose(g);
	snprintf(zip, sizeof(zip), "%s/types.zip", tdir);
	a = archive_write_new();
	archive_write_set_format_zip(a);
	archive_write_open_filename(a, zip);
	e = archive_entry_new();
	archive_entry_set_pathname(e, "x-00001.snappy.parquet");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)n);
	archive_write_header(a, e);
	archive_write_data(a, buf, n);
	archive_entry_free(e);
	archive_write_free(a);

	got = via_readahead(path_types, &records, &err);
	snprintf(want, sizeof(want), "member in\n%s", types_want);
	CHECK_STR(got, want);
	free(got);
	got = via_readahead(gz, &records, &err);
	snprintf(want, sizeof(want), "member in\n%s", types_want);
	CHECK_STR(got, want);
	free(got);
	got = via_readahead(zip, &records, &err);
	snprintf(want, sizeof(want), "member x-00001.snappy.parquet\n%s",
	    types_want);
	CHECK_STR(got, want);
	free(got);
	/* the temporary copies (TMPDIR is tdir) are gone */
	CHECK(stat(zip, &st) == 0);
	CHECK_INT(count_spooled(), 0);
}

/* Without libduckdb: the file is refused with what to do. */
static void
test_missing_library(void)
{
	struct pv_error err;
	struct collect c = { 0 };

	if (d != NULL)
		SKIP("libduckdb is loaded");
	CHECK_INT(parquet_read("/nonexistent.parquet", "x.parquet", NULL,
	    collect_cb, &c, &err), -1);
	CHECK_INT(err.kind, PV_ERR_INPUT);
	CHECK(strstr(err.msg, "reading it needs libduckdb") != NULL);
	CHECK(strstr(err.msg, "make deps") != NULL);
	CHECK(strstr(err.msg, "PILVI_DUCKDB") != NULL);
}

int
main(void)
{
	char cmd[160];

	if (mkdtemp(tdir) == NULL || setenv("TMPDIR", tdir, 1) != 0)
		return 2;
	if (setup() != 0) {
		fprintf(stderr, "setup failed\n");
		return 2;
	}
	RUN(test_double_text);
	RUN(test_magic);
	RUN(test_types);
	RUN(test_many_rows);
	RUN(test_callback_stops);
	RUN(test_limits);
	RUN(test_damaged);
	RUN(test_readahead_containers);
	RUN(test_missing_library);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tdir);
	TEST_END();
}
