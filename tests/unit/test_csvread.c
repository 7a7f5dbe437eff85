/*
 * test_csvread.c - the push CSV reader: records, fields and the line each
 * record starts on, whatever size the input arrives in; BOM, CRLF,
 * quoting, limits, refused input and callback errors.
 *
 * Inputs are memory buffers. The callback copies every record into a
 * collector (fields are only valid during the callback), so checks run
 * after the feed on stable copies.
 */
#include "test.h"

#include <csv.h>

#include "csvread.h"
#include "error.h"
#include "xalloc.h"

#define MAXREC 64

struct rec {
	long line;
	size_t n;
	char **f;	/* NUL-terminated copies */
	size_t *len;
};

struct coll {
	struct rec r[MAXREC];
	int n;
	int stop_at;	/* index of the record whose callback returns -1; -1 never */
	int calls;
};

static void
coll_init(struct coll *c)
{
	memset(c, 0, sizeof(*c));
	c->stop_at = -1;
}

static void
coll_release(struct coll *c)
{
	int i;
	size_t j;

	for (i = 0; i < c->n; i++) {
		for (j = 0; j < c->r[i].n; j++)
			free(c->r[i].f[j]);
		free(c->r[i].f);
		free(c->r[i].len);
	}
	c->n = 0;
}

static int
collect(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	struct coll *c = ctx;
	struct rec *r;
	size_t i;

	if (c->calls++ == c->stop_at)
		return pv_error_set(err, PV_ERR_INPUT, "callback", 99,
		    "stopped by the callback at record %d", c->stop_at + 1);
	if (c->n == MAXREC) {
		fprintf(stderr, "test input has too many records\n");
		exit(2);
	}
	r = &c->r[c->n++];
	r->line = rec->line;
	r->n = rec->nfields;
	r->f = xcalloc(rec->nfields + 1, sizeof(*r->f));
	r->len = xcalloc(rec->nfields + 1, sizeof(*r->len));
	for (i = 0; i < rec->nfields; i++) {
		/* the pointer must be NUL-terminated at len */
		if (rec->fields[i].ptr[rec->fields[i].len] != '\0') {
			fprintf(stderr, "field %zu not NUL-terminated\n", i);
			exit(2);
		}
		/* and the fields are one block (csvread.h) */
		if (i > 0 && rec->fields[i].ptr != rec->fields[i - 1].ptr +
		    rec->fields[i - 1].len + 1) {
			fprintf(stderr, "field %zu not after field %zu\n", i,
			    i - 1);
			exit(2);
		}
		r->f[i] = xmalloc(rec->fields[i].len + 1);
		memcpy(r->f[i], rec->fields[i].ptr, rec->fields[i].len + 1);
		r->len[i] = rec->fields[i].len;
	}
	return 0;
}

/* Which call failed in parse(). */
enum { OK = 0, IN_FEED = 1, IN_FINISH = 2 };

/*
 * Feed s[0..n) in pieces of `chunk` bytes (0: all at once), then finish.
 * Returns OK, IN_FEED or IN_FINISH; err says why.
 */
static int
parse(const char *s, size_t n, size_t chunk, const struct csvread_limits *lim,
    struct coll *c, struct pv_error *err)
{
	struct csvread *r = csvread_new("t.csv", lim, collect, c);
	size_t off = 0;
	int rc = OK;

	pv_error_clear(err);
	if (chunk == 0)
		chunk = n > 0 ? n : 1;
	while (off < n) {
		size_t k = n - off < chunk ? n - off : chunk;

		if (csvread_feed(r, s + off, k, err) != 0) {
			rc = IN_FEED;
			goto out;
		}
		off += k;
	}
	if (csvread_finish(r, err) != 0)
		rc = IN_FINISH;
out:
	csvread_free(r);
	return rc;
}

/* Same, for a NUL-terminated literal fed all at once. */
static int
parse_str(const char *s, struct coll *c, struct pv_error *err)
{
	return parse(s, strlen(s), 0, NULL, c, err);
}

/*
 * The collected records as one string, "L<line>[f1][f2]\n" per record,
 * for comparing whole parses at once.
 */
static void
dump(const struct coll *c, char *out, size_t cap)
{
	size_t used = 0;
	int i;
	size_t j;

	out[0] = '\0';
	for (i = 0; i < c->n; i++) {
		used += (size_t)snprintf(out + used, cap - used, "L%ld",
		    c->r[i].line);
		for (j = 0; j < c->r[i].n && used < cap; j++)
			used += (size_t)snprintf(out + used, cap - used, "[%s]",
			    c->r[i].f[j]);
		if (used < cap)
			used += (size_t)snprintf(out + used, cap - used, "\n");
		if (used >= cap) {
			fprintf(stderr, "dump buffer too small\n");
			exit(2);
		}
	}
}

static void
test_simple_records(void)
{
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	CHECK_INT(parse_str("a,b,c\n1,22,333\n", &c, &err), OK);
	CHECK_INT(c.n, 2);
	if (c.n == 2) {
		CHECK_INT(c.r[0].n, 3);
		CHECK_STR(c.r[0].f[0], "a");
		CHECK_STR(c.r[0].f[1], "b");
		CHECK_STR(c.r[0].f[2], "c");
		CHECK_INT(c.r[0].line, 1);
		CHECK_INT(c.r[1].n, 3);
		CHECK_STR(c.r[1].f[0], "1");
		CHECK_STR(c.r[1].f[1], "22");
		CHECK_STR(c.r[1].f[2], "333");
		CHECK_INT(c.r[1].len[2], 3);
		CHECK_INT(c.r[1].line, 2);
	}
	coll_release(&c);
}

static void
test_records_counter(void)
{
	struct csvread *r;
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	r = csvread_new("t.csv", NULL, collect, &c);
	CHECK_INT(csvread_records(r), 0);
	CHECK_INT(csvread_feed(r, "a\nb\nc", 5, &err), 0);
	CHECK_INT(csvread_records(r), 2);
	CHECK_INT(csvread_finish(r, &err), 0);
	CHECK_INT(csvread_records(r), 3);
	csvread_free(r);
	csvread_free(NULL);
	coll_release(&c);
}

static void
test_line_after_quoted_newlines(void)
{
	static const char in[] =
	    "h1,h2\n"
	    "\"first\nsecond\nthird\",x\n"
	    "next,1\n"
	    "\"one\ntwo\"\n"
	    "last,2\n";
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	CHECK_INT(parse_str(in, &c, &err), OK);
	CHECK_INT(c.n, 5);
	if (c.n == 5) {
		CHECK_INT(c.r[0].line, 1);
		CHECK_INT(c.r[1].line, 2);
		CHECK_STR(c.r[1].f[0], "first\nsecond\nthird");
		CHECK_STR(c.r[1].f[1], "x");
		CHECK_INT(c.r[2].line, 5);
		CHECK_STR(c.r[2].f[0], "next");
		CHECK_INT(c.r[3].line, 6);
		CHECK_STR(c.r[3].f[0], "one\ntwo");
		CHECK_INT(c.r[4].line, 8);
		CHECK_STR(c.r[4].f[0], "last");
	}
	coll_release(&c);
}

static void
test_blank_lines_skipped(void)
{
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	CHECK_INT(parse_str("\n\na,b\n\n\nc,d\r\n\r\n\r\ne,f\n\n", &c, &err), OK);
	CHECK_INT(c.n, 3);
	if (c.n == 3) {
		CHECK_INT(c.r[0].line, 3);
		CHECK_STR(c.r[0].f[0], "a");
		CHECK_INT(c.r[1].line, 6);
		CHECK_STR(c.r[1].f[1], "d");
		CHECK_INT(c.r[2].line, 9);
		CHECK_STR(c.r[2].f[0], "e");
		CHECK_INT(c.r[2].n, 2);
	}
	coll_release(&c);
}

static void
test_crlf_and_lf(void)
{
	struct coll c1, c2;
	struct pv_error err;
	char d1[512], d2[512];

	coll_init(&c1);
	coll_init(&c2);
	CHECK_INT(parse_str("a,b\r\n\"x\r\ny\",z\r\nc,d\r\n", &c1, &err), OK);
	CHECK_INT(parse_str("a,b\n\"x\ny\",z\nc,d\n", &c2, &err), OK);
	CHECK_INT(c1.n, 3);
	if (c1.n == 3) {
		CHECK_STR(c1.r[0].f[1], "b");	/* no '\r' left in the field */
		CHECK_INT(c1.r[0].len[1], 1);
		CHECK_STR(c1.r[1].f[0], "x\r\ny");	/* quoted: kept as written */
		CHECK_INT(c1.r[2].line, 4);
		CHECK_STR(c1.r[2].f[1], "d");
	}
	dump(&c2, d2, sizeof(d2));
	CHECK_STR(d2, "L1[a][b]\nL2[x\ny][z]\nL4[c][d]\n");
	/* Same records apart from the quoted line end */
	dump(&c1, d1, sizeof(d1));
	CHECK_STR(d1, "L1[a][b]\nL2[x\r\ny][z]\nL4[c][d]\n");
	coll_release(&c1);
	coll_release(&c2);
}

static void
test_final_record_without_newline(void)
{
	struct csvread *r;
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	r = csvread_new("t.csv", NULL, collect, &c);
	CHECK_INT(csvread_feed(r, "a,b\r\nc,d", 8, &err), 0);
	CHECK_INT(c.n, 1);	/* the last record waits for finish */
	CHECK_INT(csvread_finish(r, &err), 0);
	CHECK_INT(c.n, 2);
	if (c.n == 2) {
		CHECK_INT(c.r[1].line, 2);
		CHECK_INT(c.r[1].n, 2);
		CHECK_STR(c.r[1].f[0], "c");
		CHECK_STR(c.r[1].f[1], "d");
	}
	csvread_free(r);
	coll_release(&c);

	/* a closed quoted field at the very end */
	coll_init(&c);
	CHECK_INT(parse_str("x\n\"q,\"\"r\"", &c, &err), OK);
	CHECK_INT(c.n, 2);
	if (c.n == 2) {
		CHECK_STR(c.r[1].f[0], "q,\"r");
		CHECK_INT(c.r[1].line, 2);
	}
	coll_release(&c);
}

static void
test_empty_input(void)
{
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	CHECK_INT(parse("", 0, 0, NULL, &c, &err), OK);
	CHECK_INT(c.n, 0);
	CHECK_INT(parse_str("\n\r\n\n", &c, &err), OK);
	CHECK_INT(c.n, 0);
	coll_release(&c);
}

static void
test_bom_stripped(void)
{
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	CHECK_INT(parse_str("\xef\xbb\xbf" "InvoiceID,b\nx,y\n", &c, &err), OK);
	CHECK_INT(c.n, 2);
	if (c.n == 2) {
		CHECK_STR(c.r[0].f[0], "InvoiceID");
		CHECK_INT(c.r[0].len[0], 9);
		CHECK_INT(c.r[0].line, 1);
		CHECK_INT(c.r[1].line, 2);
	}
	coll_release(&c);

	/* only the first BOM is a BOM: one later in the text is data */
	coll_init(&c);
	CHECK_INT(parse_str("a\n\xef\xbb\xbf" "b\n", &c, &err), OK);
	CHECK_INT(c.n, 2);
	if (c.n == 2)
		CHECK_STR(c.r[1].f[0], "\xef\xbb\xbf" "b");
	coll_release(&c);
}

static void
test_bom_split_over_feeds(void)
{
	static const char in[] = "\xef\xbb\xbf" "\"a\",b\nc,d\n";
	struct csvread *r;
	struct coll c;
	struct pv_error err;
	char d[256];
	size_t i;

	/* one byte per feed */
	coll_init(&c);
	CHECK_INT(parse(in, sizeof(in) - 1, 1, NULL, &c, &err), OK);
	dump(&c, d, sizeof(d));
	CHECK_STR(d, "L1[a][b]\nL2[c][d]\n");
	coll_release(&c);

	/* split at every position inside and just after the BOM */
	for (i = 1; i <= 4; i++) {
		coll_init(&c);
		r = csvread_new("t.csv", NULL, collect, &c);
		CHECK_INT(csvread_feed(r, in, i, &err), 0);
		CHECK_INT(csvread_feed(r, in + i, sizeof(in) - 1 - i, &err), 0);
		CHECK_INT(csvread_finish(r, &err), 0);
		dump(&c, d, sizeof(d));
		CHECK_STR(d, "L1[a][b]\nL2[c][d]\n");
		csvread_free(r);
		coll_release(&c);
	}

	/* empty feeds before and between the BOM bytes change nothing */
	coll_init(&c);
	r = csvread_new("t.csv", NULL, collect, &c);
	CHECK_INT(csvread_feed(r, "", 0, &err), 0);
	CHECK_INT(csvread_feed(r, "\xef", 1, &err), 0);
	CHECK_INT(csvread_feed(r, "", 0, &err), 0);
	CHECK_INT(csvread_feed(r, "\xbb\xbfz\n", 4, &err), 0);
	CHECK_INT(csvread_finish(r, &err), 0);
	dump(&c, d, sizeof(d));
	CHECK_STR(d, "L1[z]\n");
	csvread_free(r);
	coll_release(&c);
}

static void
test_partial_bom(void)
{
	struct coll c;
	struct pv_error err;
	char d[256];

	/* a file that is only the start of a BOM: its bytes are data, and
	 * data that is not UTF-8, whether fed at once or byte by byte */
	coll_init(&c);
	CHECK_INT(parse("\xef\xbb", 2, 1, NULL, &c, &err), IN_FINISH);
	CHECK_STR(err.msg, "field 1 is not UTF-8 text (byte 0xef): save the "
	    "file as UTF-8 CSV");
	CHECK_INT(err.line, 1);
	CHECK_INT(c.n, 0);
	coll_release(&c);

	coll_init(&c);
	CHECK_INT(parse("\xef", 1, 0, NULL, &c, &err), IN_FINISH);
	CHECK_INT(c.n, 0);
	coll_release(&c);

	/* a whole BOM and nothing else: no record */
	coll_init(&c);
	CHECK_INT(parse("\xef\xbb\xbf", 3, 1, NULL, &c, &err), OK);
	CHECK_INT(c.n, 0);
	coll_release(&c);

	/* the start of a BOM followed by other bytes: data, not UTF-8 */
	coll_init(&c);
	CHECK_INT(parse("\xef\xbbx,y\nz\n", 8, 1, NULL, &c, &err), IN_FEED);
	CHECK_INT(err.line, 1);
	dump(&c, d, sizeof(d));
	CHECK_STR(d, "");
	coll_release(&c);
}

static void
test_chunk_sizes_agree(void)
{
	static const char in[] =
	    "\xef\xbb\xbf"
	    "h1,h2,h3\r\n"
	    "\"a,1\",\"say \"\"hi\"\"\",\r\n"
	    "\r\n"
	    "\"multi\r\nline\nfield\",,\"\"\r\n"
	    "\n"
	    " sp , tab\t,\"q \"\r\n"
	    "x,y,\"last, no newline\"";
	static const char want[] =
	    "L1[h1][h2][h3]\n"
	    "L2[a,1][say \"hi\"][]\n"
	    "L4[multi\r\nline\nfield][][]\n"
	    "L8[ sp ][ tab\t][q ]\n"
	    "L9[x][y][last, no newline]\n";
	struct coll c;
	struct pv_error err;
	char d[1024];
	size_t chunk;

	coll_init(&c);
	CHECK_INT(parse(in, sizeof(in) - 1, 0, NULL, &c, &err), OK);
	dump(&c, d, sizeof(d));
	CHECK_STR(d, want);
	coll_release(&c);
	for (chunk = 1; chunk <= 17; chunk++) {
		coll_init(&c);
		CHECK_INT(parse(in, sizeof(in) - 1, chunk, NULL, &c, &err), OK);
		dump(&c, d, sizeof(d));
		if (strcmp(d, want) != 0)
			fprintf(stderr, "chunk size %zu differs\n", chunk);
		CHECK_STR(d, want);
		coll_release(&c);
	}
}

static void
test_quoted_commas_and_quotes(void)
{
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	CHECK_INT(parse_str("\"Agency, Inc.\",\"a \"\"b\"\" c\",\"\"\"\"\n",
	    &c, &err), OK);
	CHECK_INT(c.n, 1);
	if (c.n == 1) {
		CHECK_INT(c.r[0].n, 3);
		CHECK_STR(c.r[0].f[0], "Agency, Inc.");
		CHECK_STR(c.r[0].f[1], "a \"b\" c");
		CHECK_STR(c.r[0].f[2], "\"");
		CHECK_INT(c.r[0].len[2], 1);
	}
	coll_release(&c);

	/* FOCUS Tags: JSON with doubled quotes inside a quoted field */
	coll_init(&c);
	CHECK_INT(parse_str("x,\"{\"\"app\"\": \"\"B\"\", \"\"n\"\": 1}\"\n",
	    &c, &err), OK);
	CHECK_INT(c.n, 1);
	if (c.n == 1)
		CHECK_STR(c.r[0].f[1], "{\"app\": \"B\", \"n\": 1}");
	coll_release(&c);
}

static void
test_empty_fields(void)
{
	struct coll c;
	struct pv_error err;
	char d[256];

	coll_init(&c);
	/* quoted and unquoted empties, as DBR-RT files mix them */
	CHECK_INT(parse_str("\"i-c7ae0eeb\",,\n\"\",\"\",x\n,\n\"\"\n", &c,
	    &err), OK);
	dump(&c, d, sizeof(d));
	CHECK_STR(d, "L1[i-c7ae0eeb][][]\nL2[][][x]\nL3[][]\nL4[]\n");
	if (c.n == 4) {
		CHECK_INT(c.r[0].len[1], 0);
		CHECK_INT(c.r[1].len[0], 0);
		CHECK_INT(c.r[3].n, 1);
	}
	coll_release(&c);
}

static void
test_spaces_kept(void)
{
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	CHECK_INT(parse_str("  a , b\t,\" c \", \n", &c, &err), OK);
	CHECK_INT(c.n, 1);
	if (c.n == 1) {
		CHECK_INT(c.r[0].n, 4);
		CHECK_STR(c.r[0].f[0], "  a ");
		CHECK_STR(c.r[0].f[1], " b\t");
		CHECK_STR(c.r[0].f[2], " c ");
		CHECK_STR(c.r[0].f[3], " ");
	}
	coll_release(&c);
}

static void
test_limit_field(void)
{
	struct csvread_limits lim = { 8, 100, 1000 };
	struct coll c;
	struct pv_error err;

	/* exactly max_field bytes is fine */
	coll_init(&c);
	CHECK_INT(parse_str("ab,12345678\n", &c, &err), OK);
	coll_release(&c);
	coll_init(&c);
	CHECK_INT(parse("ab,12345678\n", 12, 0, &lim, &c, &err), OK);
	CHECK_INT(c.n, 1);
	coll_release(&c);

	coll_init(&c);
	CHECK_INT(parse("a,b\nab,123456789\n", 17, 0, &lim, &c, &err), IN_FEED);
	CHECK_STR(err.file, "t.csv");
	CHECK_INT(err.line, 2);
	CHECK_STR(err.msg, "field 2 is longer than 8 bytes");
	CHECK_INT(err.kind, PV_ERR_INPUT);
	CHECK_INT(c.n, 1);
	coll_release(&c);

	/* a quoted field spanning lines: the line where the record began */
	coll_init(&c);
	CHECK_INT(parse("a\n\"1234\n5678\n9\"\n", 16, 0, &lim, &c, &err),
	    IN_FEED);
	CHECK_INT(err.line, 2);
	CHECK_STR(err.msg, "field 1 is longer than 8 bytes");
	coll_release(&c);
}

static void
test_limit_field_runaway(void)
{
	struct csvread_limits lim = { 1000, 100, 100000 };
	size_t n = 300 * 1024;
	char *big = xmalloc(n);
	struct coll c;
	struct pv_error err;

	/* an unquoted field with no line end at all, in one feed */
	memset(big, 'x', n);
	memcpy(big, "h\n", 2);
	coll_init(&c);
	CHECK_INT(parse(big, n, 0, &lim, &c, &err), IN_FEED);
	CHECK_INT(err.line, 2);
	CHECK_STR(err.msg, "field 1 is longer than 1000 bytes");
	coll_release(&c);

	/* an open quote followed by many short lines */
	{
		size_t i;

		big[0] = '"';
		for (i = 1; i < n; i++)
			big[i] = i % 10 == 0 ? '\n' : 'y';
		coll_init(&c);
		CHECK_INT(parse(big, n, 4096, &lim, &c, &err), IN_FEED);
		CHECK_INT(err.line, 1);
		CHECK_STR(err.msg, "field 1 is longer than 1000 bytes");
		CHECK_INT(c.n, 0);
		coll_release(&c);
	}
	free(big);
}

static void
test_limit_fields(void)
{
	struct csvread_limits lim = { 100, 3, 1000 };
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	CHECK_INT(parse("a,b,c\n", 6, 0, &lim, &c, &err), OK);
	CHECK_INT(c.n, 1);
	coll_release(&c);

	coll_init(&c);
	CHECK_INT(parse("a,b,c\n\n1,2,3,4\n", 15, 0, &lim, &c, &err), IN_FEED);
	CHECK_STR(err.file, "t.csv");
	CHECK_INT(err.line, 3);
	CHECK_STR(err.msg, "more than 3 fields in one record");
	CHECK_INT(c.n, 1);
	coll_release(&c);

	/* a line of nothing but commas must not be buffered field by field */
	{
		size_t n = 100000;
		char *commas = xmalloc(n);

		memset(commas, ',', n);
		coll_init(&c);
		CHECK_INT(parse(commas, n, 0, &lim, &c, &err), IN_FEED);
		CHECK_INT(err.line, 1);
		CHECK_STR(err.msg, "more than 3 fields in one record");
		coll_release(&c);
		free(commas);
	}
}

static void
test_limit_record(void)
{
	struct csvread_limits lim = { 100, 100, 20 };
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	CHECK_INT(parse("ok,1\n12345,12345,12345,12345\n", 29, 0, &lim, &c,
	    &err), IN_FEED);
	CHECK_STR(err.file, "t.csv");
	CHECK_INT(err.line, 2);
	CHECK_STR(err.msg, "record is longer than 20 bytes");
	CHECK_INT(c.n, 1);
	coll_release(&c);

	/* well under the limit */
	coll_init(&c);
	CHECK_INT(parse("1234,1234\n", 10, 0, &lim, &c, &err), OK);
	CHECK_INT(c.n, 1);
	coll_release(&c);
}

static void
test_limit_record_boundary(void)
{
	struct csvread_limits lim = { 100, 100, 10 };
	struct coll c;
	struct pv_error err;

	/* BUG: a record of exactly max_record bytes is refused with "record is
	 * longer than 10 bytes": on_field counts a NUL per field
	 * (buflen + len + 1 > max_record), so "aaaaaaaaaa\n" with
	 * max_record 10 fails, and so does "aaaa,bbbbb\n" (10 bytes of
	 * text, counted as 11). Enable when fixed. */
	coll_init(&c);
	CHECK_INT(parse("aaaaaaaaaa\n", 11, 0, &lim, &c, &err), OK);
	CHECK_INT(c.n, 1);
	coll_release(&c);
	/* one byte over is refused either way */
	coll_init(&c);
	CHECK_INT(parse("aaaaaaaaaaa\n", 12, 0, &lim, &c, &err), IN_FEED);
	CHECK_STR(err.msg, "record is longer than 10 bytes");
	coll_release(&c);
}

static void
test_utf16_refused(void)
{
	static const char le[] = "\xff\xfe" "a\0,\0b\0\n\0";
	static const char be[] = "\xfe\xff" "\0a\0,\0b\0\n";
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	CHECK_INT(parse(le, sizeof(le) - 1, 0, NULL, &c, &err), IN_FEED);
	CHECK_STR(err.file, "t.csv");
	CHECK_INT(err.line, 1);
	CHECK_STR(err.msg, "file is UTF-16 text; save it as UTF-8 CSV");
	CHECK_INT(c.n, 0);
	CHECK_INT(parse(be, sizeof(be) - 1, 0, NULL, &c, &err), IN_FEED);
	CHECK_INT(err.line, 1);
	CHECK_STR(err.msg, "file is UTF-16 text; save it as UTF-8 CSV");
	/* even the two BOM bytes alone */
	CHECK_INT(parse("\xff\xfe", 2, 0, NULL, &c, &err), IN_FEED);
	CHECK_STR(err.msg, "file is UTF-16 text; save it as UTF-8 CSV");
	coll_release(&c);
}

static void
test_utf16_refused_bytewise(void)
{
	static const char le[] = "\xff\xfe" "a\0,\0b\0\n\0";
	struct coll c;
	struct pv_error err;

	/* BUG: UTF-16 is only recognised when the first feed holds both BOM
	 * bytes (check_start needs n >= 2). Fed one byte at a time, FF FE
	 * "a\0,\0b\0\n\0" is reported as "binary data (a NUL byte): not a
	 * CSV text file" instead of "file is UTF-16 text; save it as UTF-8
	 * CSV", and "\xff\xfe" alone, fed bytewise, is accepted as a
	 * one-field record. Enable when fixed. */
	coll_init(&c);
	CHECK_INT(parse(le, sizeof(le) - 1, 1, NULL, &c, &err), IN_FEED);
	CHECK_INT(err.line, 1);
	CHECK_STR(err.msg, "file is UTF-16 text; save it as UTF-8 CSV");
	coll_release(&c);
	coll_init(&c);
	CHECK_INT(parse("\xff\xfe", 2, 1, NULL, &c, &err), IN_FEED);
	coll_release(&c);
	/* what does hold today: the input is refused, not read as text */
	coll_init(&c);
	CHECK_INT(parse(le, sizeof(le) - 1, 1, NULL, &c, &err), IN_FEED);
	CHECK_INT(c.n, 0);
	coll_release(&c);
}

static void
test_nul_byte_refused(void)
{
	static const char in[] = "a,b\0c\n";
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	CHECK_INT(parse(in, sizeof(in) - 1, 0, NULL, &c, &err), IN_FEED);
	CHECK_STR(err.file, "t.csv");
	CHECK_INT(err.line, 1);
	CHECK_STR(err.msg, "binary data (a NUL byte): not a CSV text file");
	CHECK_INT(c.n, 0);
	coll_release(&c);

	/* a NUL after a BOM, in a later feed */
	coll_init(&c);
	CHECK_INT(parse("\xef\xbb\xbfh\nx\0", 7, 3, NULL, &c, &err), IN_FEED);
	CHECK_STR(err.msg, "binary data (a NUL byte): not a CSV text file");
	CHECK_INT(err.line, 2);
	coll_release(&c);
}

static void
test_nul_byte_line(void)
{
	static const char in[] = "a\nb\nc\0\n";
	struct coll c;
	struct pv_error err;

	/* fed line by line, the NUL is reported on the line it is on */
	coll_init(&c);
	CHECK_INT(parse(in, sizeof(in) - 1, 2, NULL, &c, &err), IN_FEED);
	CHECK_INT(err.line, 3);
	coll_release(&c);
	/* BUG: fed in one buffer, the NUL on line 3 of "a\nb\nc\0\n" is
	 * reported at line 1 (csvread_feed uses r->line at the start of the
	 * feed, before any line of the buffer is parsed), so the line in
	 * the message depends on how the input was chunked. Enable when
	 * fixed. */
	coll_init(&c);
	CHECK_INT(parse(in, sizeof(in) - 1, 0, NULL, &c, &err), IN_FEED);
	CHECK_INT(err.line, 3);
	coll_release(&c);
}

static void
test_unterminated_quote(void)
{
	struct coll c;
	struct pv_error err;
	char d[128];

	coll_init(&c);
	CHECK_INT(parse_str("a,b\n\n\"open,c\nmore\n", &c, &err), IN_FINISH);
	CHECK_STR(err.file, "t.csv");
	CHECK_INT(err.line, 3);
	CHECK_STR(err.msg, "unterminated quoted field at end of file");
	dump(&c, d, sizeof(d));
	CHECK_STR(d, "L1[a][b]\n");
	coll_release(&c);

	/* the same byte by byte */
	coll_init(&c);
	CHECK_INT(parse("x\n\"", 3, 1, NULL, &c, &err), IN_FINISH);
	CHECK_INT(err.line, 2);
	CHECK_STR(err.msg, "unterminated quoted field at end of file");
	coll_release(&c);
}

static void
test_callback_stops_feed(void)
{
	struct csvread *r;
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	c.stop_at = 1;
	r = csvread_new("t.csv", NULL, collect, &c);
	pv_error_clear(&err);
	CHECK_INT(csvread_feed(r, "a\nb\nc\nd\n", 8, &err), -1);
	/* the callback's error is what the caller sees */
	CHECK_STR(err.file, "callback");
	CHECK_INT(err.line, 99);
	CHECK_STR(err.msg, "stopped by the callback at record 2");
	CHECK_INT(c.calls, 2);	/* nothing delivered after the refusal */
	CHECK_INT(c.n, 1);
	/* and the reader stays stopped */
	CHECK_INT(csvread_feed(r, "e\n", 2, &err), -1);
	CHECK_INT(csvread_finish(r, &err), -1);
	CHECK_INT(c.calls, 2);
	csvread_free(r);
	coll_release(&c);

	/* a refusal of the last record, delivered by finish */
	coll_init(&c);
	c.stop_at = 1;
	r = csvread_new("t.csv", NULL, collect, &c);
	CHECK_INT(csvread_feed(r, "a\nb", 3, &err), 0);
	CHECK_INT(csvread_finish(r, &err), -1);
	CHECK_STR(err.msg, "stopped by the callback at record 2");
	csvread_free(r);
	coll_release(&c);
}

static void
test_malformed_quote_in_unquoted_field(void)
{
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	CHECK_INT(parse_str("h1,h2,h3\na,b\"c\",d\n", &c, &err), IN_FEED);
	CHECK_STR(err.file, "t.csv");
	CHECK_INT(err.line, 2);
	CHECK(strncmp(err.msg, "malformed CSV: ", 15) == 0);
	CHECK(strstr(err.msg, "a quote inside an unquoted field") != NULL);
	CHECK_INT(c.n, 1);
	coll_release(&c);
}

static void
test_malformed_text_after_quote(void)
{
	struct coll c;
	struct pv_error err;

	coll_init(&c);
	CHECK_INT(parse_str("\"x\ny\"\n\"ab\"c,d\n", &c, &err), IN_FEED);
	CHECK_INT(err.line, 3);
	CHECK(strncmp(err.msg, "malformed CSV: ", 15) == 0);
	CHECK(strstr(err.msg, "text after a closing quote") != NULL);
	coll_release(&c);

	/* byte by byte too */
	coll_init(&c);
	CHECK_INT(parse("\"ab\"c,d\n", 8, 1, NULL, &c, &err), IN_FEED);
	CHECK_INT(err.line, 1);
	CHECK(strncmp(err.msg, "malformed CSV: ", 15) == 0);
	coll_release(&c);
}

static void
test_display_name_copied(void)
{
	char name[16];
	struct csvread *r;
	struct coll c;
	struct pv_error err;

	snprintf(name, sizeof(name), "orig.csv");
	coll_init(&c);
	r = csvread_new(name, NULL, collect, &c);
	snprintf(name, sizeof(name), "changed");
	CHECK_INT(csvread_feed(r, "\"", 1, &err), 0);
	CHECK_INT(csvread_finish(r, &err), -1);
	CHECK_STR(err.file, "orig.csv");
	csvread_free(r);
	coll_release(&c);
}

static void
test_default_limits(void)
{
	struct csvread_limits l;

	csvread_limits_default(&l);
	CHECK_INT(l.max_field, 1024 * 1024);
	CHECK_INT(l.max_fields, 20000);
	CHECK_INT(l.max_record, 16 * 1024 * 1024);
}

static void
test_utf8(void)
{
	static const char *const bad[] = {
		"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82",
		"\xf4\x90\x80\x80", "ab\x80", "\xf8\x88\x80\x80\x80"
	};
	struct coll c;
	struct pv_error err;
	char in[64];
	size_t i;

	coll_init(&c);
	CHECK_INT(parse_str("city,name\nZ\xc3\xbcrich,\xe6\x9d\xb1\xe4\xba"
	    "\xac \xf0\x9f\x98\x80\n", &c, &err), OK);
	CHECK_INT(c.n, 2);
	coll_release(&c);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(in, sizeof(in), "a,b\nok,x%sy\n", bad[i]);
		coll_init(&c);
		CHECK_INT(parse_str(in, &c, &err), IN_FEED);
		CHECK_INT(err.line, 2);
		CHECK(strncmp(err.msg, "field 2 is not UTF-8 text (byte 0x",
		    34) == 0);
		CHECK_INT(c.n, 1);
		coll_release(&c);
	}
	/* the line is the byte's, inside a quoted field over lines */
	coll_init(&c);
	CHECK_INT(parse_str("h\n\"one\ntwo\xff\"\n", &c, &err), IN_FEED);
	CHECK_INT(err.line, 3);
	CHECK_STR(err.msg, "field 1 is not UTF-8 text (byte 0xff): save the "
	    "file as UTF-8 CSV");
	coll_release(&c);
}

/*
 * The reader against libcsv (strict), the parser it replaced: random
 * inputs over the bytes that matter, fed in random pieces, must give the
 * same records and fields, and fail where libcsv fails.
 */
struct ref {
	char out[4096];
	size_t used;
};

static void
ref_field(void *data, size_t len, void *ctx)
{
	struct ref *f = ctx;

	f->used += (size_t)snprintf(f->out + f->used, sizeof(f->out) - f->used,
	    "[%.*s]", (int)len, data != NULL ? (const char *)data : "");
}

static void
ref_row(int term, void *ctx)
{
	struct ref *f = ctx;

	(void)term;
	f->used += (size_t)snprintf(f->out + f->used, sizeof(f->out) - f->used,
	    "\n");
}

static int
ref_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* libcsv's records as "[f1][f2]\n" lines; -1 where it refuses s. */
static int
ref_parse(const char *s, size_t n, struct ref *f)
{
	struct csv_parser p;
	int rc = 0;

	f->used = 0;
	f->out[0] = '\0';
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return -2;
	csv_set_space_func(&p, ref_no_space);
	if (csv_parse(&p, s, n, ref_field, ref_row, f) != n ||
	    csv_fini(&p, ref_field, ref_row, f) != 0)
		rc = -1;
	csv_free(&p);
	return rc;
}

static void
dump_fields(const struct coll *c, char *out, size_t cap)
{
	size_t used = 0, j;
	int i;

	out[0] = '\0';
	for (i = 0; i < c->n; i++) {
		for (j = 0; j < c->r[i].n; j++)
			used += (size_t)snprintf(out + used, cap - used, "[%s]",
			    c->r[i].f[j]);
		used += (size_t)snprintf(out + used, cap - used, "\n");
	}
}

static void
test_agrees_with_libcsv(void)
{
	static const char alphabet[] = "ab,\"\"\n\r ";
	unsigned seed = 12345;
	int round, mismatches = 0;

	for (round = 0; round < 50000 && mismatches < 5; round++) {
		char in[48], got[4096];
		size_t n, i, chunk;
		struct coll c;
		struct pv_error err;
		struct ref f;
		int ours, theirs;

		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % 40;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		seed = seed * 1103515245u + 12345u;
		chunk = (seed >> 16) % 6;	/* 0: all at once */
		coll_init(&c);
		ours = parse(in, n, chunk, NULL, &c, &err) == OK ? 0 : -1;
		theirs = ref_parse(in, n, &f);
		dump_fields(&c, got, sizeof(got));
		if (ours != theirs || (ours == 0 && strcmp(got, f.out) != 0)) {
			fprintf(stderr, "differs from libcsv (chunk %zu): \"",
			    chunk);
			for (i = 0; i < n; i++)
				fprintf(stderr, in[i] == '\n' ? "\\n" :
				    in[i] == '\r' ? "\\r" : "%c", in[i]);
			fprintf(stderr, "\"\n  ours %d: %s\n  libcsv %d: %s\n",
			    ours, ours == 0 ? got : err.msg, theirs, f.out);
			mismatches++;
		}
		coll_release(&c);
	}
	CHECK_INT(mismatches, 0);
}

int
main(void)
{
	RUN(test_simple_records);
	RUN(test_records_counter);
	RUN(test_line_after_quoted_newlines);
	RUN(test_blank_lines_skipped);
	RUN(test_crlf_and_lf);
	RUN(test_final_record_without_newline);
	RUN(test_empty_input);
	RUN(test_bom_stripped);
	RUN(test_bom_split_over_feeds);
	RUN(test_partial_bom);
	RUN(test_chunk_sizes_agree);
	RUN(test_quoted_commas_and_quotes);
	RUN(test_empty_fields);
	RUN(test_spaces_kept);
	RUN(test_limit_field);
	RUN(test_limit_field_runaway);
	RUN(test_limit_fields);
	RUN(test_limit_record);
	RUN(test_limit_record_boundary);
	RUN(test_utf16_refused);
	RUN(test_utf16_refused_bytewise);
	RUN(test_nul_byte_refused);
	RUN(test_nul_byte_line);
	RUN(test_unterminated_quote);
	RUN(test_callback_stops_feed);
	RUN(test_malformed_quote_in_unquoted_field);
	RUN(test_malformed_text_after_quote);
	RUN(test_display_name_copied);
	RUN(test_default_limits);
	RUN(test_agrees_with_libcsv);
	RUN(test_utf8);
	TEST_END();
}
