/*
 * test_readahead.c - the source on a second thread gives the same bytes,
 * members, digest and errors as the source itself, and stops cleanly
 * when the caller is done early.
 *
 * In CSV mode the records it hands over are checked against csvread
 * run directly on the same text: every record's line, fields and bytes,
 * in order, across many batches, and the same error at the same line
 * after the records before it.
 */
#include <archive.h>
#include <archive_entry.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <zlib.h>

#include "test.h"

#include "csvread.h"
#include "error.h"
#include "readahead.h"
#include "sha256.h"
#include "source.h"
#include "xalloc.h"

#define TEST_NAME "test_readahead"
#include "helpers.h"

static char path_plain[64], path_zip[64], path_gz[64];

/* More than the queue holds (8 blocks of 256 KiB), so the reader waits. */
#define BIG (5u << 20)
static unsigned char *big;

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
	write_bytes(path_plain, big, BIG);

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

/* The jobs every case starts the readahead with (main runs them all
 * with 2, then with 1). */
static int test_jobs = 2;

/* Start on path (also the source's display name); CSV mode when csv is
 * set, with csv naming the input in CSV errors. */
static struct readahead *
start_csv(const char *path, readahead_want_fn want, const char *csv)
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
	if (readahead_start(&ra, src, &(struct readahead_options){
	    .want = want, .csv_display = csv, .jobs = test_jobs }, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		exit(2);
	}
	return ra;
}

static struct readahead *
start(const char *path, readahead_want_fn want)
{
	return start_csv(path, want, NULL);
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

/*
 * CSV mode. Each input is generated from a fixed seed, written to the
 * temporary directory, and kept in memory so that csvread can parse the
 * same text directly for comparison.
 */

#define BATCH_RECORDS READAHEAD_BATCH_RECORDS
#define BATCH_FIELDS READAHEAD_BATCH_FIELDS
#define BATCH_BYTES READAHEAD_BATCH_BYTES

#define NREC 20000		/* records in the varied CSV */
#define NSMALL 5000		/* records in the smaller one */
#define BAD_LINE 5000		/* bad.csv's stray quote is on this line */
#define NMANY 100000		/* records in the file left unread */
#define NAFTER 1500		/* records after the big one */
#define BIGFIELD (300 * 1024)	/* the big record's second field */

/* A growing text. */
struct text {
	char *p;
	size_t n, cap;
};

static struct text varied, small, bigrec, badmid, badend, many, manifest;
static char *bigfield;		/* the big record's field as parsed */
static char path_csv[64], path_csvgz[64], path_bigrec[64], path_bad[64],
    path_badend[64], path_cutgz[64], path_many[64], path_bills[64],
    path_two[64];

static void
text_add(struct text *t, const void *s, size_t n)
{
	t->p = xgrow(t->p, &t->cap, t->n + n, 1);
	memcpy(t->p + t->n, s, n);
	t->n += n;
}

static void
text_puts(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

static uint32_t
rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* 1 to 16 letters of plain text, now and then a two-byte UTF-8 one;
 * never a byte that CSV treats specially. */
static void
gen_word(struct text *t, uint32_t *x)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-_/:;";
	size_t i, n = 1 + rnd(x) % 16;

	for (i = 0; i < n; i++) {
		if (rnd(x) % 20 == 0)
			text_puts(t, "\xc3\xa4");
		else
			text_add(t, &abc[rnd(x) % (sizeof(abc) - 1)], 1);
	}
}

/* One field of a random kind. A record's only field is never empty and
 * unquoted: that would be a blank line, which holds no record. */
static void
gen_field(struct text *t, uint32_t *x, int only)
{
	switch (rnd(x) % 10) {
	case 0:
		if (only)
			gen_word(t, x);
		break;
	case 1:
		text_puts(t, "\"\"");
		break;
	case 2:
		text_puts(t, "\"");
		gen_word(t, x);
		text_puts(t, ",");
		gen_word(t, x);
		text_puts(t, ",\"");
		break;
	case 3:
		text_puts(t, "\"\"\"");
		gen_word(t, x);
		text_puts(t, "\"\" said \"\"");
		gen_word(t, x);
		text_puts(t, "\"");
		break;
	case 4:
		text_puts(t, "\"");
		gen_word(t, x);
		text_puts(t, rnd(x) % 2 ? "\n" : "\r\n");
		gen_word(t, x);
		text_puts(t, "\n\"");
		break;
	case 5:
		text_puts(t, "\"");
		gen_word(t, x);
		text_puts(t, "\"");
		break;
	default:
		gen_word(t, x);
		break;
	}
}

/* nrec records of 1 to 8 fields, lines ending in LF or CRLF, a blank
 * line now and then; the last record has no line end unless last_eol. */
static void
gen_csv(struct text *t, uint32_t seed, size_t nrec, int bom, int last_eol)
{
	uint32_t x = seed;
	size_t i, j, nf;

	if (bom)
		text_puts(t, "\xef\xbb\xbf");
	for (i = 0; i < nrec; i++) {
		nf = 1 + rnd(&x) % 8;
		for (j = 0; j < nf; j++) {
			if (j > 0)
				text_puts(t, ",");
			gen_field(t, &x, nf == 1);
		}
		if (i + 1 == nrec && !last_eol)
			break;
		text_puts(t, rnd(&x) % 3 == 0 ? "\r\n" : "\n");
		if (rnd(&x) % 50 == 0)
			text_puts(t, "\n");
	}
}

/* nlines lines "n,word,word", one record each; line bad_line (unless 0)
 * has a quote inside an unquoted field. */
static void
gen_lines(struct text *t, uint32_t seed, size_t nlines, size_t bad_line)
{
	uint32_t x = seed;
	char num[32];
	size_t i;

	for (i = 1; i <= nlines; i++) {
		snprintf(num, sizeof(num), "%zu,", i);
		text_puts(t, num);
		gen_word(t, &x);
		text_puts(t, i == bad_line ? ",bad\"quote," : ",");
		gen_word(t, &x);
		text_puts(t, "\n");
	}
}

/* BATCH_RECORDS short records (a batch by their number), one whose
 * quoted second field is BIGFIELD bytes with quotes and newlines in it
 * (a batch of its own), then NAFTER records of some 200 bytes (batches
 * by their bytes). */
static void
gen_bigrec(struct text *t)
{
	uint32_t x = 4242;
	size_t i, j;

	bigfield = xmalloc(BIGFIELD);
	for (i = 0; i < BIGFIELD; i++) {
		if (i % 1000 == 999)
			bigfield[i] = '\n';
		else if (i % 777 == 776)
			bigfield[i] = '"';
		else
			bigfield[i] = (char)('a' + rnd(&x) % 26);
	}
	for (i = 0; i < BATCH_RECORDS; i++) {
		text_puts(t, "short,");
		gen_word(t, &x);
		text_puts(t, ",end\n");
	}
	text_puts(t, "big,\"");
	for (j = 0; j < BIGFIELD; j++)
		text_add(t, bigfield[j] == '"' ? "\"\"" : &bigfield[j],
		    bigfield[j] == '"' ? 2 : 1);
	text_puts(t, "\",end\n");
	for (i = 0; i < NAFTER; i++) {
		text_puts(t, "long,\"");
		for (j = 0; j < 20; j++)
			gen_word(t, &x);
		text_puts(t, "\",end\n");
	}
}

static void
write_gzip(const char *path, const struct text *t)
{
	gzFile g = gzopen(path, "wb6");

	if (g == NULL || gzwrite(g, t->p, (unsigned)t->n) != (int)t->n ||
	    gzclose(g) != Z_OK) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
}

struct member {
	const char *name;
	const struct text *body;
};

static void
write_zip(const char *path, const struct member *m, size_t n)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e;
	size_t i;

	if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
	    archive_write_open_filename(a, path) != ARCHIVE_OK)
		exit(2);
	for (i = 0; i < n; i++) {
		e = archive_entry_new();
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)m[i].body->n);
		if (archive_write_header(a, e) != ARCHIVE_OK ||
		    archive_write_data(a, m[i].body->p, m[i].body->n) !=
		    (la_ssize_t)m[i].body->n)
			exit(2);
		archive_entry_free(e);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		exit(2);
	archive_write_free(a);
}

static void
make_csv_inputs(void)
{
	const struct member bills[] = {
		{ "manifest.json", &manifest },
		{ "first.csv", &small },
		{ "second.csv", &badmid }
	};
	const struct member two[] = {
		{ "a.csv", &varied },
		{ "b.csv", &small }
	};
	struct stat st;

	gen_csv(&varied, 1, NREC, 1, 0);
	gen_csv(&small, 2, NSMALL, 0, 1);
	gen_bigrec(&bigrec);
	gen_lines(&badmid, 3, BAD_LINE + 100, BAD_LINE);
	/* a quoted field still open at the end of the file */
	gen_csv(&badend, 5, NREC, 1, 1);
	text_puts(&badend, "1,2,\"never closed,3\n4,5\n");
	gen_lines(&many, 6, NMANY, 0);
	text_puts(&manifest, "{}");

	snprintf(path_csv, sizeof(path_csv), "%s/varied.csv", tdir);
	write_bytes(path_csv, varied.p, varied.n);
	snprintf(path_csvgz, sizeof(path_csvgz), "%s/varied.csv.gz", tdir);
	write_gzip(path_csvgz, &varied);
	snprintf(path_bigrec, sizeof(path_bigrec), "%s/bigrec.csv", tdir);
	write_bytes(path_bigrec, bigrec.p, bigrec.n);
	snprintf(path_bad, sizeof(path_bad), "%s/bad.csv", tdir);
	write_bytes(path_bad, badmid.p, badmid.n);
	snprintf(path_badend, sizeof(path_badend), "%s/late.csv.gz", tdir);
	write_gzip(path_badend, &badend);
	snprintf(path_many, sizeof(path_many), "%s/many.csv", tdir);
	write_bytes(path_many, many.p, many.n);
	snprintf(path_bills, sizeof(path_bills), "%s/bills.zip", tdir);
	write_zip(path_bills, bills, 3);
	snprintf(path_two, sizeof(path_two), "%s/two.zip", tdir);
	write_zip(path_two, two, 2);
	/* the varied CSV, gzip cut in half */
	snprintf(path_cutgz, sizeof(path_cutgz), "%s/cut.csv.gz", tdir);
	write_gzip(path_cutgz, &varied);
	if (stat(path_cutgz, &st) != 0 ||
	    truncate(path_cutgz, st.st_size / 2) != 0)
		exit(2);
}

static void
free_csv_inputs(void)
{
	free(varied.p);
	free(small.p);
	free(bigrec.p);
	free(badmid.p);
	free(badend.p);
	free(many.p);
	free(manifest.p);
	free(bigfield);
}

/* SHA-256 and size of a file's bytes on disk. */
static void
file_digest(const char *path, unsigned char sha256[32], uint64_t *size)
{
	unsigned char buf[65536];
	struct sha256 h;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL)
		exit(2);
	sha256_init(&h);
	*size = 0;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		sha256_update(&h, buf, n);
		*size += n;
	}
	fclose(f);
	sha256_final(&h, sha256);
}

struct ref_field {
	size_t off, len;
};

struct ref_rec {
	size_t first;		/* index of its first field */
	size_t nfields;
	long line;
};

/* The records of a text as csvread gives them directly, copied out of
 * its callback. */
struct ref {
	char *bytes;
	size_t nbytes, bytescap;
	struct ref_field *f;
	size_t nf, fcap;
	struct ref_rec *r;
	size_t nr, rcap;
	int rc;			/* csvread's result */
	struct pv_error err;	/* its error when rc is -1 */
};

static int
ref_add(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	struct ref *ref = ctx;
	size_t i, len;

	(void)err;
	ref->r = xgrow(ref->r, &ref->rcap, ref->nr + 1, sizeof(*ref->r));
	ref->r[ref->nr].first = ref->nf;
	ref->r[ref->nr].nfields = rec->nfields;
	ref->r[ref->nr].line = rec->line;
	ref->nr++;
	ref->f = xgrow(ref->f, &ref->fcap, ref->nf + rec->nfields,
	    sizeof(*ref->f));
	for (i = 0; i < rec->nfields; i++) {
		len = rec->fields[i].len;
		if (len > 0) {
			ref->bytes = xgrow(ref->bytes, &ref->bytescap,
			    ref->nbytes + len, 1);
			memcpy(ref->bytes + ref->nbytes, rec->fields[i].ptr,
			    len);
		}
		ref->f[ref->nf].off = ref->nbytes;
		ref->f[ref->nf].len = len;
		ref->nf++;
		ref->nbytes += len;
	}
	return 0;
}

/* Parse t with csvread in one feed, naming it display in errors. */
static void
ref_parse(struct ref *ref, const char *display, const struct text *t)
{
	struct csvread *r = csvread_new(display, NULL, ref_add, ref);

	memset(ref, 0, sizeof(*ref));
	pv_error_clear(&ref->err);
	ref->rc = csvread_feed(r, t->p, t->n, &ref->err) == 0 &&
	    csvread_finish(r, &ref->err) == 0 ? 0 : -1;
	csvread_free(r);
}

static void
ref_release(struct ref *ref)
{
	free(ref->bytes);
	free(ref->f);
	free(ref->r);
}

/* Is rec the k-th record of ref, line, fields and bytes? */
static int
same_record(const struct csv_record *rec, const struct ref *ref, size_t k)
{
	const struct ref_field *f;
	size_t i;

	if (k >= ref->nr || rec->line != ref->r[k].line ||
	    rec->nfields != ref->r[k].nfields)
		return 0;
	for (i = 0; i < rec->nfields; i++) {
		f = &ref->f[ref->r[k].first + i];
		if (rec->fields[i].len != f->len || (f->len > 0 &&
		    memcmp(rec->fields[i].ptr, ref->bytes + f->off, f->len)))
			return 0;
	}
	return 1;
}

/* What readahead_records handed over for one member. */
struct got {
	size_t nrecs;		/* records */
	size_t nbatches;
	size_t maxbatch;	/* records in the largest batch */
	int same;		/* each record as the reference's, in order */
	int terminated;		/* each field has a NUL at its length */
	int block;		/* a record's fields lie one after another
				   (csvread.h) */
	int cut;		/* each batch ends with the record that
				   reaches a limit, and only a member's last
				   batch reaches none */
};

/* Take the current member's batches up to its end or an error, checking
 * them against ref. Returns readahead_records' last result. */
static ssize_t
take_records(struct readahead *ra, const struct ref *ref, struct got *g,
    struct pv_error *err)
{
	const struct csv_record *recs;
	const struct csv_field *f;
	size_t i, j, bytes, fields;
	ssize_t n;
	int full = 1;		/* the batch before was full */

	memset(g, 0, sizeof(*g));
	g->same = g->terminated = g->block = g->cut = 1;
	while ((n = readahead_records(ra, &recs, err)) > 0) {
		if (!full)
			g->cut = 0;
		g->nbatches++;
		if ((size_t)n > g->maxbatch)
			g->maxbatch = (size_t)n;
		bytes = fields = 0;
		for (i = 0; i < (size_t)n; i++, g->nrecs++) {
			/* the batch ought to have ended before this record */
			if (bytes >= BATCH_BYTES || fields >= BATCH_FIELDS ||
			    i >= BATCH_RECORDS)
				g->cut = 0;
			fields += recs[i].nfields;
			if (g->same && !same_record(&recs[i], ref, g->nrecs)) {
				fprintf(stderr, "record %zu (line %ld) is not "
				    "csvread's\n", g->nrecs + 1, recs[i].line);
				g->same = 0;
			}
			for (j = 0; j < recs[i].nfields; j++) {
				f = &recs[i].fields[j];
				if (f->ptr[f->len] != '\0')
					g->terminated = 0;
				if (j > 0 &&
				    f->ptr != f[-1].ptr + f[-1].len + 1)
					g->block = 0;
				bytes += f->len + 1;
			}
		}
		full = bytes >= BATCH_BYTES || fields >= BATCH_FIELDS ||
		    (size_t)n >= BATCH_RECORDS;
	}
	return n;
}

/* The records of a plain or gzip file are csvread's, in full batches. */
static void
check_same_as_csvread(const char *path, enum source_container c)
{
	struct readahead *ra = start_csv(path, NULL, "varied.csv");
	struct pv_error err;
	struct ref ref;
	struct got g;
	const char *name;
	int wanted = 0;

	ref_parse(&ref, "varied.csv", &varied);
	CHECK_INT(ref.rc, 0);
	CHECK_INT(ref.nr, NREC);
	CHECK_INT(readahead_container(ra), c);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	CHECK_INT(wanted, 1);
	CHECK_INT(take_records(ra, &ref, &g, &err), 0);
	CHECK_INT(g.nrecs, NREC);
	CHECK(g.same);
	CHECK(g.terminated);
	CHECK(g.block);
	CHECK(g.cut);
	CHECK_INT(g.maxbatch, BATCH_RECORDS);
	CHECK(g.nbatches > NREC / BATCH_RECORDS);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 0);
	readahead_free(ra);
	ref_release(&ref);
}

static void
test_csv_plain(void)
{
	check_same_as_csvread(path_csv, SOURCE_PLAIN);
}

static void
test_csv_gzip(void)
{
	check_same_as_csvread(path_csvgz, SOURCE_GZIP);
}

/* A record larger than a batch's bytes comes whole, in a batch of its
 * own when it starts one; the records after it are cut by their bytes. */
static void
test_csv_big_record(void)
{
	struct readahead *ra = start_csv(path_bigrec, NULL, "big.csv");
	const struct ref_field *f;
	struct pv_error err;
	struct ref ref;
	struct got g;
	const char *name;
	int wanted;

	ref_parse(&ref, "big.csv", &bigrec);
	CHECK_INT(ref.rc, 0);
	CHECK_INT(ref.nr, BATCH_RECORDS + 1 + NAFTER);
	/* the reference itself holds the big field intact */
	f = ref.nr > BATCH_RECORDS && ref.r[BATCH_RECORDS].nfields == 3 ?
	    &ref.f[ref.r[BATCH_RECORDS].first + 1] : NULL;
	CHECK(f != NULL && f->len == BIGFIELD &&
	    memcmp(ref.bytes + f->off, bigfield, BIGFIELD) == 0);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	CHECK_INT(take_records(ra, &ref, &g, &err), 0);
	CHECK_INT(g.nrecs, BATCH_RECORDS + 1 + NAFTER);
	CHECK(g.same);
	CHECK(g.terminated);
	CHECK(g.block);
	CHECK(g.cut);
	/* 2048 short ones, the big one, at least two by bytes */
	CHECK(g.nbatches >= 4);
	readahead_free(ra);
	ref_release(&ref);
}

/* A CSV error far into the file comes after every record before it, as
 * csvread reports it, and stays. */
static void
test_csv_error_mid(void)
{
	struct readahead *ra = start_csv(path_bad, NULL, "bad.csv");
	const struct csv_record *recs;
	struct pv_error err;
	struct ref ref;
	struct got g;
	const char *name;
	int wanted;

	ref_parse(&ref, "bad.csv", &badmid);
	CHECK_INT(ref.rc, -1);
	CHECK_INT(ref.nr, BAD_LINE - 1);
	CHECK_INT(ref.err.line, BAD_LINE);
	CHECK(strstr(ref.err.msg, "quote inside an unquoted") != NULL);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	pv_error_clear(&err);
	CHECK_INT(take_records(ra, &ref, &g, &err), -1);
	CHECK_INT(g.nrecs, BAD_LINE - 1);
	CHECK(g.same);
	CHECK(g.nbatches >= 3);
	CHECK_INT(err.kind, PV_ERR_INPUT);
	CHECK_STR(err.file, "bad.csv");
	CHECK_INT(err.line, BAD_LINE);
	CHECK_STR(err.msg, ref.err.msg);
	pv_error_clear(&err);
	CHECK_INT(readahead_records(ra, &recs, &err), -1);
	CHECK_INT(err.line, BAD_LINE);
	CHECK_STR(err.msg, ref.err.msg);
	pv_error_clear(&err);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), -1);
	CHECK_STR(err.msg, ref.err.msg);
	readahead_free(ra);
	ref_release(&ref);
}

/* A quoted field open at the end of a gzip file: the error names the
 * CSV display name alone, at the line its record starts on. */
static void
test_csv_error_at_end(void)
{
	struct readahead *ra = start_csv(path_badend, NULL, "late.csv.gz");
	const struct csv_record *recs;
	struct pv_error err;
	struct ref ref;
	struct got g;
	const char *name;
	int wanted;

	ref_parse(&ref, "late.csv.gz", &badend);
	CHECK_INT(ref.rc, -1);
	CHECK_INT(ref.nr, NREC);
	CHECK(ref.err.line > NREC);
	CHECK(strstr(ref.err.msg, "unterminated") != NULL);
	CHECK_INT(readahead_container(ra), SOURCE_GZIP);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	pv_error_clear(&err);
	CHECK_INT(take_records(ra, &ref, &g, &err), -1);
	CHECK_INT(g.nrecs, NREC);
	CHECK(g.same);
	CHECK(g.terminated);
	CHECK(g.cut);
	CHECK_STR(err.file, "late.csv.gz");
	CHECK_INT(err.line, ref.err.line);
	CHECK_STR(err.msg, ref.err.msg);
	pv_error_clear(&err);
	CHECK_INT(readahead_records(ra, &recs, &err), -1);
	CHECK_INT(err.line, ref.err.line);
	readahead_free(ra);
	ref_release(&ref);
}

/* The source's own error (a cut gzip) in CSV mode: the whole records
 * before the cut, then the error, naming the source. */
static void
test_csv_source_error(void)
{
	struct readahead *ra = start_csv(path_cutgz, NULL, "cut.csv.gz");
	struct pv_error err;
	struct ref ref;
	struct got g;
	const char *name;
	int wanted;

	ref_parse(&ref, "cut.csv.gz", &varied);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	pv_error_clear(&err);
	CHECK_INT(take_records(ra, &ref, &g, &err), -1);
	CHECK(g.nrecs > BATCH_RECORDS && g.nrecs < NREC);
	CHECK(g.same);
	CHECK(strstr(err.msg, "truncated") != NULL);
	CHECK_STR(err.file, path_cutgz);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), -1);
	readahead_free(ra);
	ref_release(&ref);
}

/* A zip's members each bring their own records between readahead_next
 * calls; an error in one names "display(member)". */
static void
test_csv_zip_members(void)
{
	struct readahead *ra = start_csv(path_bills, only_csv, "bills.zip");
	struct pv_error err;
	struct ref first, second;
	struct got g;
	const char *name;
	int wanted = -1;

	ref_parse(&first, "bills.zip(first.csv)", &small);
	ref_parse(&second, "bills.zip(second.csv)", &badmid);
	CHECK_INT(first.rc, 0);
	CHECK_INT(second.rc, -1);
	CHECK_INT(readahead_container(ra), SOURCE_ZIP);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	CHECK_STR(name, "manifest.json");
	CHECK_INT(wanted, 0);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	CHECK_STR(name, "first.csv");
	CHECK_INT(wanted, 1);
	CHECK_INT(take_records(ra, &first, &g, &err), 0);
	CHECK_INT(g.nrecs, NSMALL);
	CHECK(g.same);
	CHECK(g.cut);
	CHECK(g.nbatches >= 2);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	CHECK_STR(name, "second.csv");
	CHECK_INT(wanted, 1);
	pv_error_clear(&err);
	CHECK_INT(take_records(ra, &second, &g, &err), -1);
	CHECK_INT(g.nrecs, BAD_LINE - 1);
	CHECK(g.same);
	CHECK_STR(err.file, "bills.zip(second.csv)");
	CHECK_INT(err.line, BAD_LINE);
	CHECK_STR(err.msg, second.err.msg);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), -1);
	readahead_free(ra);
	ref_release(&first);
	ref_release(&second);
}

/* The caller is working on a batch; the reader ran meanwhile. */
static atomic_int caller_busy, reader_overlapped;

/* The mark function's result for a record: 2 for a member's first, else
 * the parity of its line. */
static void
mark_parity(void *ctx, const struct csv_record *recs, size_t n,
    int member_start, unsigned char *marks)
{
	size_t i;

	*(int *)ctx += (int)n;
	if (atomic_load(&caller_busy))
		atomic_store(&reader_overlapped, 1);
	for (i = 0; i < n; i++)
		marks[i] = i == 0 && member_start ? 2 :
		    (unsigned char)(recs[i].line & 1);
}

/* Every record comes with its mark, across batches and members, and the
 * mark function saw each record once; with one job the reader never ran
 * while the caller worked on a batch. */
static void
test_csv_marks(void)
{
	struct source_limits lim;
	struct source *src;
	struct readahead *ra = NULL;
	struct pv_error err;
	const struct csv_record *recs;
	const unsigned char *marks;
	const char *name;
	ssize_t n, i;
	int wanted, calls = 0, total = 0, wrong = 0, first;

	source_limits_default(&lim);
	CHECK_INT(source_open(&src, path_two, path_two, &lim, &err), 0);
	CHECK_INT(readahead_start(&ra, src, &(struct readahead_options){
	    .csv_display = "two.zip", .mark = mark_parity, .mark_ctx = &calls,
	    .jobs = test_jobs }, &err), 0);
	while (readahead_next(ra, &name, &wanted, &err) == 1) {
		first = 1;
		while ((n = readahead_records(ra, &recs, &err)) > 0) {
			atomic_store(&caller_busy, 1);
			marks = readahead_marks(ra);
			CHECK(marks != NULL);
			for (i = 0; marks != NULL && i < n; i++, first = 0)
				wrong += marks[i] != (first ? 2 :
				    (recs[i].line & 1));
			total += (int)n;
			usleep(1000);	/* time for a reader working ahead */
			atomic_store(&caller_busy, 0);
		}
		CHECK_INT(n, 0);
	}
	CHECK_INT(wrong, 0);
	CHECK(total > BATCH_RECORDS);
	readahead_free(ra);
	CHECK_INT(calls, total);
	if (test_jobs == 1)
		CHECK_INT(atomic_load(&reader_overlapped), 0);
	atomic_store(&reader_overlapped, 0);
}

/* A member left after one batch: the next call skips its other records
 * and goes on with the next member, and the digest is still whole. */
static void
test_csv_member_skipped(void)
{
	struct readahead *ra = start_csv(path_two, NULL, "two.zip");
	const struct csv_record *recs;
	unsigned char got[32], want[32];
	struct pv_error err;
	struct ref ref;
	struct got g;
	const char *name;
	uint64_t raw = 0, size;
	int wanted;

	ref_parse(&ref, "two.zip(b.csv)", &small);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	CHECK_STR(name, "a.csv");
	CHECK_INT(readahead_records(ra, &recs, &err), BATCH_RECORDS);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	CHECK_STR(name, "b.csv");
	CHECK_INT(take_records(ra, &ref, &g, &err), 0);
	CHECK_INT(g.nrecs, NSMALL);
	CHECK(g.same);
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 0);
	CHECK_INT(readahead_finish(ra, got, &raw, &err), 0);
	file_digest(path_two, want, &size);
	CHECK(memcmp(got, want, 32) == 0);
	CHECK_INT(raw, size);
	readahead_free(ra);
	ref_release(&ref);
}

/* Done after one batch, with the reader waiting for a free slot in the
 * middle of a member; also before any member and before any record.
 * free stops the reader each time (a hang otherwise; ASan sees leaks). */
static void
test_csv_free_early(void)
{
	struct readahead *ra = start_csv(path_many, NULL, "many.csv");
	const struct csv_record *recs = NULL;
	struct pv_error err;
	const char *name;
	int wanted;

	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	CHECK_INT(readahead_records(ra, &recs, &err), BATCH_RECORDS);
	CHECK(recs != NULL && recs[0].line == 1 && recs[0].nfields == 3 &&
	    strcmp(recs[0].fields[0].ptr, "1") == 0);
	usleep(100000);		/* let the reader fill the queue */
	/* the queue holds it back: it has not read the whole file */
	CHECK(readahead_raw_consumed(ra) < readahead_raw_size(ra));
	readahead_free(ra);

	ra = start_csv(path_many, NULL, "many.csv");
	readahead_free(ra);

	ra = start_csv(path_many, NULL, "many.csv");
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	readahead_free(ra);
}

/* Read every member to its end, as records or as bytes, then finish.
 * Returns readahead_finish's result, -1 when a read failed. */
static int
read_all(const char *path, int csv, unsigned char sha256[32],
    uint64_t *raw)
{
	struct readahead *ra = start_csv(path, NULL, csv ? "all" : NULL);
	const struct csv_record *recs;
	struct pv_error err;
	const void *data;
	const char *name;
	ssize_t n = 0;
	int wanted, more, rc = -1;

	while ((more = readahead_next(ra, &name, &wanted, &err)) == 1) {
		do {
			n = csv ? readahead_records(ra, &recs, &err) :
			    readahead_read(ra, &data, &err);
		} while (n > 0);
		if (n < 0)
			break;
	}
	if (more == 0)
		rc = readahead_finish(ra, sha256, raw, &err);
	readahead_free(ra);
	return rc;
}

/* After everything was read as records, the digest and size are those of
 * byte mode and of the file. */
static void
test_csv_finish_digest(void)
{
	const char *const paths[] = { path_csv, path_csvgz, path_two };
	unsigned char file[32], csv[32], bytes[32];
	uint64_t size, csv_raw, bytes_raw;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		file_digest(paths[i], file, &size);
		csv_raw = bytes_raw = 0;
		CHECK_INT(read_all(paths[i], 1, csv, &csv_raw), 0);
		CHECK_INT(read_all(paths[i], 0, bytes, &bytes_raw), 0);
		CHECK(memcmp(csv, bytes, 32) == 0);
		CHECK(memcmp(csv, file, 32) == 0);
		CHECK_INT(csv_raw, bytes_raw);
		CHECK_INT(csv_raw, size);
	}
}

/*
 * A pipe whose writer stays open (a slow producer on stdin): after one
 * batch the caller gives up, and readahead_free must not wait for the
 * producer. alarm() ends a hung run, which the runner counts as failed.
 */
static void
test_free_while_pipe_waits(void)
{
	static char line[2048];
	struct readahead *ra;
	const struct csv_record *recs;
	struct pv_error err;
	const char *name;
	char path[64], c;
	int fds[2], done[2], wanted;
	size_t sent = 0;
	pid_t writer;

	/* long records: what the reader has read fits the queue, so it
	 * waits on the pipe, not for room */
	memset(line, 'x', sizeof(line));
	line[0] = 'a';
	line[1] = ',';
	line[sizeof(line) - 1] = '\n';
	CHECK_INT(pipe(fds), 0);
	CHECK_INT(pipe(done), 0);
	if ((writer = fork()) == 0) {
		/* more than the first block, which source_open waits for;
		 * then say so, and hold the pipe open until killed (or for
		 * 30 s, without the runner's output: a failed run must not
		 * leave it holding that) */
		alarm(30);
		close(STDIN_FILENO);
		close(STDOUT_FILENO);
		close(STDERR_FILENO);
		close(fds[0]);
		while (sent < 300 * 1024) {
			if (write(fds[1], line, sizeof(line)) < 0)
				_exit(1);
			sent += sizeof(line);
		}
		if (write(done[1], "", 1) < 0)
			_exit(1);
		for (;;)
			pause();
	}
	CHECK(writer > 0);
	close(fds[1]);
	close(done[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	alarm(20);
	ra = start_csv(path, NULL, "pipe");
	CHECK_INT(readahead_next(ra, &name, &wanted, &err), 1);
	CHECK(readahead_records(ra, &recs, &err) > 0);
	/* all is written and soon read: the reader then waits on the pipe */
	CHECK_INT(read(done[0], &c, 1), 1);
	usleep(200 * 1000);
	readahead_free(ra);	/* the writer is still there: must not wait */
	alarm(0);
	kill(writer, SIGKILL);
	waitpid(writer, NULL, 0);
	close(fds[0]);
	close(done[0]);
}

int
main(void)
{
	if (mkdtemp(tdir) == NULL)
		return 2;
	make_inputs();
	make_csv_inputs();
	/* every case with the reader working ahead, then taking turns
	 * with the caller (--jobs 1): the same records, errors and
	 * digests either way */
	for (test_jobs = 2; test_jobs >= 1; test_jobs--) {
		RUN(test_plain_bytes_and_digest);
		RUN(test_zip_members);
		RUN(test_truncated_gzip);
		RUN(test_free_early);
		RUN(test_finish_unread);
		RUN(test_csv_plain);
		RUN(test_csv_gzip);
		RUN(test_csv_big_record);
		RUN(test_csv_error_mid);
		RUN(test_csv_error_at_end);
		RUN(test_csv_source_error);
		RUN(test_csv_zip_members);
		RUN(test_csv_member_skipped);
		RUN(test_csv_marks);
		RUN(test_csv_free_early);
		RUN(test_csv_finish_digest);
	}
	test_jobs = 2;	/* the reader must be waiting on the pipe */
	RUN(test_free_while_pipe_waits);
	free_csv_inputs();
	cleanup();
	free(big);
	TEST_END();
}
