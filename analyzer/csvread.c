/*
 * csvread.c - a strict RFC 4180 tokenizer with line numbers.
 *
 * Records are cut straight out of the caller's buffer: a quoted field is
 * found with memchr for its closing quote, an unquoted one with a byte
 * table, and each field is copied once into the record buffer with a NUL
 * after it. A record cut by the end of a feed is kept in a carry buffer;
 * the next feed appends to it a growing piece at a time and parses it
 * again until the record is whole, then goes on in the new buffer. Lines
 * are counted as records are delivered, so a record's first line is exact
 * however the input was cut. (The first plan was libcsv, fed a line at a
 * time; it was too slow, and the tests now check this reader against
 * it.)
 */
#include "csvread.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "xalloc.h"

struct csvread {
	struct csvread_limits lim;
	char *display;
	csvread_record_fn fn;
	void *ctx;

	char *buf;		/* field bytes of the current record, each NUL-ended */
	size_t bufcap;
	size_t *offs;		/* start of each field in buf */
	size_t *lens;
	size_t fieldcap;
	struct csv_field *fields;	/* built when a record is complete */
	size_t fieldscap;

	char *carry;		/* the start of a record cut by a feed's end */
	size_t ncarry, carrycap;

	long line;		/* line of the first byte not yet consumed */
	int at_start;		/* the first bytes are still held back */
	unsigned char head[3];	/* ... here */
	size_t nhead;
	long records;

	int failed;		/* a callback or a limit stopped us */
	struct pv_error *err;	/* where errors go (during feed/finish) */
};

/* Bytes that end an unquoted field's run of plain text (constant: the
 * reader runs on several threads at once). */
static const unsigned char stop_byte[256] = {
	[','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1
};

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
	free(r->display);
	free(r->buf);
	free(r->offs);
	free(r->lens);
	free(r->fields);
	free(r->carry);
	free(r);
}

long
csvread_records(const struct csvread *r)
{
	return r->records;
}

static int
fail(struct csvread *r, long line, const char *msg)
{
	pv_error_set(r->err, PV_ERR_INPUT, r->display, line, "%s", msg);
	r->failed = 1;
	return -1;
}

static size_t
count_lines(const char *s, size_t n)
{
	const char *end;
	size_t k = 0;

	if (n == 0)
		return 0;
	end = s + n;
	while (s < end && (s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		k++;
		s++;
	}
	return k;
}

/*
 * The first quote in p[0..end), or end. Sixteen bytes at a time where
 * the CPU has SSE2 (every x86-64): fields are short, and a library call
 * per field cost more than the search.
 */
static const char *
find_quote(const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"');

	for (; end - p >= 16; p += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
		    quote));

		if (m != 0)
			return p + __builtin_ctz(m);
	}
#endif
	while (p < end && *p != '"')
		p++;
	return p;
}

/* The first byte in p[0..end) that ends plain text (',', '"', CR, LF),
 * or end. */
static const char *
find_stop(const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'),
	    cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');

	for (; end - p >= 16; p += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i hit = _mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, comma),
		    _mm_cmpeq_epi8(v, quote)),
		    _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
		unsigned m = (unsigned)_mm_movemask_epi8(hit);

		if (m != 0)
			return p + __builtin_ctz(m);
	}
#endif
	while (p < end && !stop_byte[(unsigned char)*p])
		p++;
	return p;
}

/* Where the first byte of p[0..n) that is not ASCII is, or n. */
static size_t
ascii_prefix(const char *p, size_t n)
{
	size_t i = 0;

#ifdef __SSE2__
	for (; n - i >= 16; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (p + i));
		unsigned m = (unsigned)_mm_movemask_epi8(v);

		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	while (i < n && (unsigned char)p[i] < 0x80)
		i++;
	return i;
}

/* Length of the valid UTF-8 sequence at p[0..n), or 0 when it is not one
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t
utf8_sequence(const unsigned char *p, size_t n)
{
	size_t len, i;
	unsigned long cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* The record being cut: where it stands, for limits and errors. */
struct cut {
	size_t nfields;
	size_t bytes;		/* field bytes plus one per separator */
	size_t buflen;
	long line;		/* where the record starts */
};

/* Would a field of len bytes (so far) break a limit? */
static int
check_field(struct csvread *r, const struct cut *c, size_t len)
{
	if (len > r->lim.max_field)
		pv_error_set(r->err, PV_ERR_INPUT, r->display, c->line,
		    "field %zu is longer than %zu bytes", c->nfields + 1,
		    r->lim.max_field);
	else if (c->nfields >= r->lim.max_fields)
		pv_error_set(r->err, PV_ERR_INPUT, r->display, c->line,
		    "more than %zu fields in one record", r->lim.max_fields);
	else if (c->bytes + len > r->lim.max_record)
		pv_error_set(r->err, PV_ERR_INPUT, r->display, c->line,
		    "record is longer than %zu bytes", r->lim.max_record);
	else
		return 0;
	r->failed = 1;
	return -1;
}

static void
reserve(struct csvread *r, const struct cut *c, size_t len)
{
	if (c->buflen + len + 1 > r->bufcap)
		r->buf = xgrow(r->buf, &r->bufcap, c->buflen + len + 1, 1);
	if (c->nfields == r->fieldcap) {
		size_t cap = r->fieldcap;

		r->offs = xgrow(r->offs, &cap, c->nfields + 1, sizeof(*r->offs));
		cap = r->fieldcap;
		r->lens = xgrow(r->lens, &cap, c->nfields + 1, sizeof(*r->lens));
		r->fieldcap = cap;
	}
}

static void
add_field(struct csvread *r, struct cut *c, size_t start, size_t len)
{
	r->buf[start + len] = '\0';
	r->offs[c->nfields] = start;
	r->lens[c->nfields] = len;
	c->nfields++;
	c->bytes += len + 1;
	c->buflen = start + len + 1;
}

/* Is the record's text UTF-8? Fails naming the field and line. */
static int
check_utf8(struct csvread *r, const struct cut *c)
{
	const char *buf = r->buf;
	size_t i = 0, k, f;

	while ((i += ascii_prefix(buf + i, c->buflen - i)) < c->buflen) {
		k = utf8_sequence((const unsigned char *)buf + i,
		    c->buflen - i);
		if (k == 0) {
			for (f = 0; f + 1 < c->nfields && r->offs[f + 1] <= i;
			    f++)
				;
			pv_error_set(r->err, PV_ERR_INPUT, r->display,
			    c->line + (long)count_lines(buf, i), "field %zu is "
			    "not UTF-8 text (byte 0x%02x): save the file as "
			    "UTF-8 CSV", f + 1, (unsigned char)buf[i]);
			r->failed = 1;
			return -1;
		}
		i += k;
	}
	return 0;
}

static int
deliver(struct csvread *r, const struct cut *c)
{
	struct csv_record rec;
	size_t i;

	r->fields = xgrow(r->fields, &r->fieldscap, c->nfields + 1,
	    sizeof(*r->fields));
	for (i = 0; i < c->nfields; i++) {
		r->fields[i].ptr = r->buf + r->offs[i];
		r->fields[i].len = r->lens[i];
	}
	rec.fields = r->fields;
	rec.nfields = c->nfields;
	rec.line = c->line;
	r->records++;
	if (r->fn(r->ctx, &rec, r->err) != 0) {
		r->failed = 1;
		return -1;
	}
	return 0;
}

enum { CUT_DONE, CUT_MORE, CUT_FAILED };

/*
 * Cut one record from s[0..n), which starts at a record (not on a blank
 * line). Returns CUT_DONE with *used the bytes it took (line end
 * included), CUT_MORE when s ends inside the record (and !final), or
 * CUT_FAILED.
 */
static int
cut_record(struct csvread *r, const char *s, size_t n, int final,
    size_t *used, struct cut *c)
{
	const char *p = s, *end = s + n;

	c->nfields = 0;
	c->bytes = 0;
	c->buflen = 0;
	for (;;) {
		size_t start = c->buflen, len = 0;
		const char *q;

		if (p < end && *p == '"') {
			p++;
			for (;;) {
				size_t k;

				q = find_quote(p, end);
				k = (size_t)(q - p);
				if (check_field(r, c, len + k) != 0)
					return CUT_FAILED;
				reserve(r, c, len + k + 1);
				memcpy(r->buf + start + len, p, k);
				len += k;
				if (q == end) {
					if (!final)
						return CUT_MORE;
					fail(r, c->line, "unterminated quoted "
					    "field at end of file");
					return CUT_FAILED;
				}
				if (q + 1 == end && !final)
					return CUT_MORE;
				if (q + 1 < end && q[1] == '"') {
					r->buf[start + len++] = '"';
					p = q + 2;
					continue;
				}
				p = q + 1;
				if (p < end && *p != ',' && *p != '\n' &&
				    *p != '\r') {
					fail(r, c->line + (long)count_lines(s,
					    (size_t)(p - s)),
					    "malformed CSV: text after a closing "
					    "quote (a quoted field must end at "
					    "its closing quote)");
					return CUT_FAILED;
				}
				break;
			}
		} else {
			q = find_stop(p, end);
			len = (size_t)(q - p);
			if (check_field(r, c, len) != 0)
				return CUT_FAILED;
			if (q < end && *q == '"') {
				fail(r, c->line + (long)count_lines(s,
				    (size_t)(q - s)),
				    "malformed CSV: a quote inside an unquoted "
				    "field (quote the whole field and double "
				    "the quote)");
				return CUT_FAILED;
			}
			if (q == end && !final)
				return CUT_MORE;
			reserve(r, c, len);
			memcpy(r->buf + start, p, len);
			p = q;
		}
		add_field(r, c, start, len);
		/* p is at a separator, a line end or the end */
		if (p == end) {
			*used = n;
			return CUT_DONE;
		}
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\r') {
			if (p + 1 == end && !final)
				return CUT_MORE;	/* is a '\n' next? */
			p++;
			if (p < end && *p == '\n')
				p++;
		} else {
			p++;	/* '\n' */
		}
		*used = (size_t)(p - s);
		return CUT_DONE;
	}
}

/*
 * Deliver the whole records of s[0..n). Returns the bytes consumed (the
 * rest starts a record cut by the end), or -1. With final, the end of s
 * ends the last record.
 */
static long
parse(struct csvread *r, const char *s, size_t n, int final)
{
	size_t pos = 0;

	while (pos < n) {
		struct cut c;
		size_t used = 0;
		int rc;

		/* blank lines hold no record */
		if (s[pos] == '\n') {
			r->line++;
			pos++;
			continue;
		}
		if (s[pos] == '\r') {
			pos++;
			continue;
		}
		c.line = r->line;
		rc = cut_record(r, s + pos, n - pos, final, &used, &c);
		if (rc == CUT_FAILED)
			return -1;
		if (rc == CUT_MORE)
			break;
		if (check_utf8(r, &c) != 0)
			return -1;
		/* newlines inside quoted fields, and the one ending it */
		r->line += (long)count_lines(s + pos, used);
		pos += used;
		if (deliver(r, &c) != 0)
			return -1;
	}
	return (long)pos;
}

static void
carry_append(struct csvread *r, const char *s, size_t n)
{
	if (n == 0)
		return;
	r->carry = xgrow(r->carry, &r->carrycap, r->ncarry + n, 1);
	memcpy(r->carry + r->ncarry, s, n);
	r->ncarry += n;
}

static void
carry_drop(struct csvread *r, size_t n)
{
	memmove(r->carry, r->carry + n, r->ncarry - n);
	r->ncarry -= n;
}

/* Parse s[0..n) after what the carry holds. */
static int
feed_text(struct csvread *r, const char *s, size_t n)
{
	const char *nul;
	long k;

	if ((nul = memchr(s, '\0', n)) != NULL) {
		long line = r->line + (long)count_lines(r->carry, r->ncarry) +
		    (long)count_lines(s, (size_t)(nul - s));

		return fail(r, line, "binary data (a NUL byte): not a CSV "
		    "text file");
	}
	/* Finish the carried record: append a growing piece of s (at
	 * least as much as is carried, so the re-parses cost no more than
	 * the bytes themselves) until it is whole. */
	while (r->ncarry > 0 && n > 0) {
		size_t old = r->ncarry, piece = old > 4096 ? old : 4096;

		if (piece > n)
			piece = n;
		carry_append(r, s, piece);
		if ((k = parse(r, r->carry, r->ncarry, 0)) < 0)
			return -1;
		if ((size_t)k < old) {
			/* records ended inside what was carried (a '\r' waited
			 * for its '\n'); the rest, piece included, stays */
			carry_drop(r, (size_t)k);
			s += piece;
			n -= piece;
			continue;
		}
		/* the carried bytes are all taken: go on in s from where the
		 * parse stopped */
		s += (size_t)k - old;
		n -= (size_t)k - old;
		r->ncarry = 0;
	}
	if (n == 0)
		return 0;
	if ((k = parse(r, s, n, 0)) < 0)
		return -1;
	carry_append(r, s + k, n - (size_t)k);
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
	return feed_text(r, (const char *)h, r->nhead);
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
	return feed_text(r, s, n);
}

int
csvread_finish(struct csvread *r, struct pv_error *err)
{
	long k;

	r->err = err;
	if (r->failed)
		return -1;
	if (r->at_start && r->nhead > 0) {
		/* input shorter than a BOM: hand over what was held back */
		r->at_start = 0;
		if (feed_text(r, (const char *)r->head, r->nhead) != 0)
			return -1;
	}
	if (r->ncarry > 0) {
		if ((k = parse(r, r->carry, r->ncarry, 1)) < 0)
			return -1;
		carry_drop(r, (size_t)k);
	}
	return 0;
}
