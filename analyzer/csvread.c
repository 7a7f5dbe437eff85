/*
 * csvread.c - libcsv behind a record-at-a-time API with line numbers.
 *
 * libcsv does not count lines, so input is handed to it one line at a
 * time (split at '\n', and long lines in 64 KiB pieces so a runaway
 * field is caught before libcsv has buffered much of it). Each record's
 * first line is therefore known exactly: it is the first non-blank line
 * after the previous record ended.
 */
#include "csvread.h"

#include <csv.h>
#include <string.h>

#include "xalloc.h"

#define PIECE (64 * 1024)

struct csvread {
	struct csv_parser p;
	struct csvread_limits lim;
	char *display;
	csvread_record_fn fn;
	void *ctx;

	char *buf;		/* field bytes of the current record, each NUL-ended */
	size_t buflen, bufcap;
	size_t *offs;		/* start of each field in buf */
	size_t *lens;
	size_t nfields, fieldcap;
	struct csv_field *fields;	/* built when a record is complete */
	size_t fieldscap;

	long line;		/* line being fed */
	long rec_line;		/* line where the current record started */
	int in_record;
	int at_start;		/* the first bytes are still held back */
	unsigned char head[3];	/* ... here */
	size_t nhead;
	long records;

	int failed;		/* a callback or a limit stopped us */
	struct pv_error *err;	/* where callbacks put errors (during feed) */
};

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;	/* keep blanks: fields are data, trimming is the mapper's call */
}

void
csvread_limits_default(struct csvread_limits *l)
{
	l->max_field = 1u << 20;
	l->max_fields = 20000;
	l->max_record = 16u << 20;
}

struct csvread *
csvread_new(const char *display, const struct csvread_limits *limits,
    csvread_record_fn fn, void *ctx)
{
	struct csvread *r = xcalloc(1, sizeof(*r));

	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(r);
		return NULL;
	}
	csv_set_space_func(&r->p, no_space);
	if (limits != NULL)
		r->lim = *limits;
	else
		csvread_limits_default(&r->lim);
	r->display = xstrdup(display);
	r->fn = fn;
	r->ctx = ctx;
	r->line = 1;
	r->at_start = 1;
	return r;
}

void
csvread_free(struct csvread *r)
{
	if (r == NULL)
		return;
	csv_free(&r->p);
	free(r->display);
	free(r->buf);
	free(r->offs);
	free(r->lens);
	free(r->fields);
	free(r);
}

long
csvread_records(const struct csvread *r)
{
	return r->records;
}

static void
begin_record(struct csvread *r)
{
	if (!r->in_record) {
		r->in_record = 1;
		r->rec_line = r->line;
	}
}

static void
on_field(void *data, size_t len, void *ctx)
{
	struct csvread *r = ctx;

	if (r->failed)
		return;
	begin_record(r);
	if (len > r->lim.max_field) {
		pv_error_set(r->err, PV_ERR_INPUT, r->display, r->rec_line,
		    "field %zu is longer than %zu bytes", r->nfields + 1,
		    r->lim.max_field);
		r->failed = 1;
		return;
	}
	if (r->nfields >= r->lim.max_fields) {
		pv_error_set(r->err, PV_ERR_INPUT, r->display, r->rec_line,
		    "more than %zu fields in one record", r->lim.max_fields);
		r->failed = 1;
		return;
	}
	/* record bytes: the fields and the commas between them (buf holds
	 * a NUL where each comma was) */
	if (r->buflen + len > r->lim.max_record) {
		pv_error_set(r->err, PV_ERR_INPUT, r->display, r->rec_line,
		    "record is longer than %zu bytes", r->lim.max_record);
		r->failed = 1;
		return;
	}
	r->buf = xgrow(r->buf, &r->bufcap, r->buflen + len + 1, 1);
	if (len > 0)
		memcpy(r->buf + r->buflen, data, len);
	r->buf[r->buflen + len] = '\0';
	if (r->nfields == r->fieldcap) {
		size_t cap = r->fieldcap;

		r->offs = xgrow(r->offs, &cap, r->nfields + 1, sizeof(*r->offs));
		cap = r->fieldcap;
		r->lens = xgrow(r->lens, &cap, r->nfields + 1, sizeof(*r->lens));
		r->fieldcap = cap;
	}
	r->offs[r->nfields] = r->buflen;
	r->lens[r->nfields] = len;
	r->nfields++;
	r->buflen += len + 1;
}

static void
on_record(int term, void *ctx)
{
	struct csvread *r = ctx;
	struct csv_record rec;
	size_t i;

	(void)term;
	if (r->failed)
		return;
	begin_record(r);
	r->fields = xgrow(r->fields, &r->fieldscap, r->nfields + 1,
	    sizeof(*r->fields));
	for (i = 0; i < r->nfields; i++) {
		r->fields[i].ptr = r->buf + r->offs[i];
		r->fields[i].len = r->lens[i];
	}
	rec.fields = r->fields;
	rec.nfields = r->nfields;
	rec.line = r->rec_line;
	r->records++;
	if (r->fn(r->ctx, &rec, r->err) != 0)
		r->failed = 1;
	r->nfields = 0;
	r->buflen = 0;
	r->in_record = 0;
}

static int
fail(struct csvread *r, long line, const char *msg)
{
	pv_error_set(r->err, PV_ERR_INPUT, r->display, line, "%s", msg);
	r->failed = 1;
	return -1;
}

/* Does s[0..n) hold anything besides line ends? */
static int
has_content(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n')
			return 1;
	return 0;
}

static int
parse_piece(struct csvread *r, const char *s, size_t n)
{
	if (!r->in_record && has_content(s, n)) {
		r->in_record = 1;
		r->rec_line = r->line;
	}
	if (csv_parse(&r->p, s, n, on_field, on_record, r) != n &&
	    !r->failed) {
		pv_error_set(r->err, PV_ERR_INPUT, r->display, r->rec_line,
		    "malformed CSV: %s (a quote inside an unquoted field, or "
		    "text after a closing quote)", csv_strerror(csv_error(&r->p)));
		r->failed = 1;
	}
	if (!r->failed && r->p.entry_pos > r->lim.max_field) {
		pv_error_set(r->err, PV_ERR_INPUT, r->display, r->rec_line,
		    "field %zu is longer than %zu bytes", r->nfields + 1,
		    r->lim.max_field);
		r->failed = 1;
	}
	return r->failed ? -1 : 0;
}

/* Hand s[0..n) to libcsv a line (or a 64 KiB piece) at a time, counting
 * lines. */
static int
feed_lines(struct csvread *r, const char *s, size_t n)
{
	const char *end, *nl;

	if ((nl = memchr(s, '\0', n)) != NULL) {
		long line = r->line;
		const char *q;

		for (q = s; (q = memchr(q, '\n', (size_t)(nl - q))) != NULL; q++)
			line++;
		return fail(r, line, "binary data (a NUL byte): not a CSV "
		    "text file");
	}
	end = s + n;
	while (s < end) {
		size_t len;

		nl = memchr(s, '\n', (size_t)(end - s));
		len = nl != NULL ? (size_t)(nl - s) + 1 : (size_t)(end - s);
		if (len > PIECE && (nl == NULL || (size_t)(nl - s) + 1 > PIECE)) {
			if (parse_piece(r, s, PIECE) != 0)
				return -1;
			s += PIECE;
			continue;
		}
		if (parse_piece(r, s, len) != 0)
			return -1;
		s += len;
		if (nl != NULL)
			r->line++;
	}
	return 0;
}

/*
 * With the bytes held in r->head: is it clear yet what the input is?
 * Returns 0 (r->at_start cleared once it is), -1 for UTF-16.
 */
static int
start_decided(struct csvread *r)
{
	static const unsigned char bom[3] = { 0xef, 0xbb, 0xbf };
	const unsigned char *h = r->head;

	if (h[0] == 0xff || h[0] == 0xfe) {
		if (r->nhead < 2)
			return 0;
		if ((h[0] == 0xff && h[1] == 0xfe) ||
		    (h[0] == 0xfe && h[1] == 0xff))
			return fail(r, 1, "file is UTF-16 text; save it as "
			    "UTF-8 CSV");
	} else if (memcmp(h, bom, r->nhead) == 0) {
		if (r->nhead < 3)
			return 0;
		r->at_start = 0;	/* a UTF-8 BOM: dropped */
		return 0;
	}
	r->at_start = 0;
	return feed_lines(r, (const char *)h, r->nhead);
}

int
csvread_feed(struct csvread *r, const void *data, size_t n,
    struct pv_error *err)
{
	const char *s = data;

	r->err = err;
	if (r->failed)
		return -1;
	/* The first bytes decide what the input is: a UTF-8 byte order mark
	 * is dropped, a UTF-16 one refused. They may arrive split over
	 * several feeds, so up to three are held back until it is clear. */
	while (r->at_start && n > 0) {
		r->head[r->nhead++] = (unsigned char)*s++;
		n--;
		if (start_decided(r) != 0)
			return -1;
	}
	return feed_lines(r, s, n);
}

int
csvread_finish(struct csvread *r, struct pv_error *err)
{
	r->err = err;
	if (r->failed)
		return -1;
	if (r->at_start && r->nhead > 0) {
		/* input shorter than a BOM: hand over what was held back */
		r->at_start = 0;
		if (feed_lines(r, (const char *)r->head, r->nhead) != 0)
			return -1;
	}
	if (csv_fini(&r->p, on_field, on_record, r) != 0 && !r->failed) {
		pv_error_set(err, PV_ERR_INPUT, r->display, r->rec_line,
		    "unterminated quoted field at end of file");
		r->failed = 1;
	}
	return r->failed ? -1 : 0;
}
