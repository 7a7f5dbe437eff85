/*
 * parquet.c - rows of a Parquet file through DuckDB, as CSV records.
 *
 * Two queries per file, both prepared with the path as a bound
 * parameter: the first (LIMIT 0) learns the columns and their types;
 * the second selects every column by position (#1, #2, ...) converted
 * to text as parquet.h lists. The SQL is built from our own fragments
 * and column numbers only, never from a name in the file.
 *
 * DuckDB runs in memory with one thread and a memory limit: the caller
 * (readahead's reading thread) is the one DuckDB thread, and the other
 * core maps and stores the rows. Extensions are neither installed nor
 * loaded on their own: nothing is fetched from the network, and
 * read_parquet is built into libduckdb.
 */
#include "parquet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duck.h"
#include "xalloc.h"

/* DuckDB's buffer manager stays under this; a Parquet row group is
 * decoded a column chunk at a time within it. Measured in bench/. */
/* (-DMEMORY_LIMIT="\"64MB\"" to measure another: bench/README.md) */
#ifndef MEMORY_LIMIT
#define MEMORY_LIMIT "256MB"
#endif

enum conv {
	CONV_TEXT,	/* VARCHAR as it is, or DuckDB's cast to text */
	CONV_DOUBLE	/* the cast's text, made positional (parquet.h) */
};

struct reader {
	const struct duck_api *d;
	const char *path;
	const char *display;
	struct csvread_limits lim;
	duck_database db;
	duck_connection con;
	enum conv *conv;	/* per column */
	size_t ncols;
	char *buf;		/* one record's fields, each NUL-ended */
	size_t buflen, bufcap;
	size_t *off;		/* each field's offset in buf */
	struct csv_field *fields;
};

int
parquet_magic(const void *head, size_t n)
{
	return n >= 4 && memcmp(head, "PAR1", 4) == 0;
}

size_t
parquet_double_text(const char *in, size_t len, char *out, size_t n)
{
	char digits[64];
	size_t nd = 0, i = 0, k = 0, point;
	long exp = 0, dot = -1, e;
	int neg = 0;

	if (i < len && (in[i] == '-' || in[i] == '+'))
		neg = in[i++] == '-';
	for (; i < len; i++) {
		if (in[i] >= '0' && in[i] <= '9') {
			if (nd == sizeof(digits))
				goto verbatim;
			digits[nd++] = in[i];
		} else if (in[i] == '.' && dot < 0)
			dot = (long)nd;
		else
			break;
	}
	if (nd == 0)
		goto verbatim;		/* inf, nan */
	if (i < len && (in[i] == 'e' || in[i] == 'E')) {
		int eneg = 0;

		i++;
		if (i < len && (in[i] == '-' || in[i] == '+'))
			eneg = in[i++] == '-';
		if (i == len)
			goto verbatim;
		for (; i < len && in[i] >= '0' && in[i] <= '9'; i++)
			if (exp < 100000)
				exp = exp * 10 + (in[i] - '0');
		if (eneg)
			exp = -exp;
	}
	if (i != len)
		goto verbatim;
	/* the value is 0.DIGITS x 10^e: e digits before the point */
	e = (dot < 0 ? (long)nd : dot) + exp;
	if (e > 400 || e < -400)
		goto verbatim;		/* beyond any double */
	point = 0;
#define PUT(c) do { if (k + 1 >= n) return 0; out[k++] = (c); } while (0)
	if (neg)
		PUT('-');
	if (e <= 0)
		PUT('0');
	for (i = 0; (long)i < e; i++)
		PUT(i < nd ? digits[i] : '0');
	PUT('.');
	for (i = 0; (long)i < -e; i++, point++)
		PUT('0');
	for (i = e > 0 ? (size_t)e : 0; i < nd; i++, point++)
		PUT(digits[i]);
	for (; point < 10; point++)
		PUT('0');
#undef PUT
	out[k] = '\0';
	return k;
verbatim:
	if (len + 1 > n)
		return 0;
	memcpy(out, in, len);
	out[len] = '\0';
	return len;
}

/* DuckDB's messages name the path it was given (/proc/self/fd/N); say
 * the file's own name instead, and keep the first line. */
static void
duck_message(const struct reader *r, const char *msg, char *out, size_t n)
{
	size_t k = 0, plen = strlen(r->path);
	const char *p = msg != NULL ? msg : "unknown error";

	while (*p != '\0' && *p != '\n' && k + 1 < n) {
		if (plen > 0 && strncmp(p, r->path, plen) == 0) {
			int w = snprintf(out + k, n - k, "%s", r->display);

			if (w < 0 || (size_t)w >= n - k)
				break;
			k += (size_t)w;
			p += plen;
			continue;
		}
		out[k++] = *p++;
	}
	out[k] = '\0';
}

static int
start(struct reader *r, struct pv_error *err)
{
	const struct duck_api *d = r->d;
	duck_config cfg = NULL;
	char *why = NULL, msg[512];
	int rc = -1;

	if (d->create_config(&cfg) != DUCK_OK)
		return pv_error_set(err, PV_ERR_FATAL, r->display, 0,
		    "cannot configure DuckDB");
	if (d->set_config(cfg, "threads", "1") != DUCK_OK ||
	    d->set_config(cfg, "memory_limit", MEMORY_LIMIT) != DUCK_OK ||
	    d->set_config(cfg, "autoinstall_known_extensions", "false") !=
	    DUCK_OK ||
	    d->set_config(cfg, "autoload_known_extensions", "false") !=
	    DUCK_OK) {
		pv_error_set(err, PV_ERR_FATAL, r->display, 0, "cannot "
		    "configure DuckDB (%s)", duck_path());
		goto out;
	}
	if (d->open_ext(NULL, &r->db, cfg, &why) != DUCK_OK) {
		duck_message(r, why, msg, sizeof(msg));
		pv_error_set(err, PV_ERR_FATAL, r->display, 0, "cannot start "
		    "DuckDB: %s", msg);
		goto out;
	}
	if (d->connect(r->db, &r->con) != DUCK_OK) {
		pv_error_set(err, PV_ERR_FATAL, r->display, 0, "cannot connect "
		    "to DuckDB");
		goto out;
	}
	rc = 0;
out:
	if (why != NULL)
		d->free(why);
	d->destroy_config(&cfg);
	return rc;
}

/* Prepare sql with the path bound to its one parameter and run it,
 * streaming. Returns 0 with *res to destroy, or -1. */
static int
run(struct reader *r, const char *sql, duck_prepared *p, duck_result *res,
    struct pv_error *err)
{
	const struct duck_api *d = r->d;
	char msg[768];

	memset(res, 0, sizeof(*res));
	if (d->prepare(r->con, sql, p) != DUCK_OK) {
		duck_message(r, d->prepare_error(*p), msg, sizeof(msg));
		return pv_error_set(err, PV_ERR_INPUT, r->display, 0, "not a "
		    "readable Parquet file: %s", msg);
	}
	if (d->bind_varchar(*p, 1, r->path) != DUCK_OK)
		return pv_error_set(err, PV_ERR_FATAL, r->display, 0, "cannot "
		    "bind the path for DuckDB");
	if (d->execute_prepared_streaming(*p, res) != DUCK_OK) {
		duck_message(r, d->result_error(res), msg, sizeof(msg));
		return pv_error_set(err, PV_ERR_INPUT, r->display, 0, "not a "
		    "readable Parquet file: %s", msg);
	}
	return 0;
}

/* The select list: every column as text. Returns a new string. */
static char *
select_sql(struct reader *r, duck_result *schema)
{
	const struct duck_api *d = r->d;
	size_t i, cap = 256 + r->ncols * 96, len = 0;
	char *sql = xmalloc(cap);

	len += (size_t)snprintf(sql, cap, "SELECT ");
	for (i = 0; i < r->ncols; i++) {
		/* the column is "#N"; these go around it */
		const char *pre = "CAST(", *post = " AS VARCHAR)";
		int w;

		r->conv[i] = CONV_TEXT;
		switch (d->column_type(schema, i)) {
		case DUCK_VARCHAR:
			pre = post = "";
			break;
		case DUCK_DOUBLE:
		case DUCK_FLOAT:
			r->conv[i] = CONV_DOUBLE;
			break;
		case DUCK_TIMESTAMP:
		case DUCK_TIMESTAMP_S:
		case DUCK_TIMESTAMP_MS:
		case DUCK_TIMESTAMP_NS:
		case DUCK_TIMESTAMP_TZ:
			/* a TIMESTAMPTZ is an instant; without ICU its cast
			 * to TIMESTAMP is that instant in UTC */
			pre = "strftime(CAST(";
			post = " AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')";
			break;
		case DUCK_DATE:
			pre = "strftime(";
			post = ", '%Y-%m-%d')";
			break;
		case DUCK_MAP:
		case DUCK_STRUCT:
		case DUCK_LIST:
		case DUCK_ARRAY:
		case DUCK_UNION:
			pre = "CAST(to_json(";
			post = ") AS VARCHAR)";
			break;
		default:
			break;
		}
		w = snprintf(sql + len, cap - len, "%s%s#%zu%s", i > 0 ? "," :
		    "", pre, i + 1, post);
		len += (size_t)w;
	}
	snprintf(sql + len, cap - len, " FROM read_parquet(?, "
	    "binary_as_string = true, hive_partitioning = false)");
	return sql;
}

/* Append one field's text to the record being built. */
static int
add_field(struct reader *r, size_t col, const char *p, size_t n, long line,
    struct pv_error *err)
{
	char tmp[512];

	if (r->conv[col] == CONV_DOUBLE && n > 0) {
		size_t k = parquet_double_text(p, n, tmp, sizeof(tmp));

		if (k > 0) {
			p = tmp;
			n = k;
		}
	}
	if (n > r->lim.max_field)
		return pv_error_set(err, PV_ERR_INPUT, r->display, line,
		    "field %zu is longer than %zu bytes", col + 1,
		    r->lim.max_field);
	if (r->buflen + n + 1 > r->lim.max_record)
		return pv_error_set(err, PV_ERR_INPUT, r->display, line,
		    "record is longer than %zu bytes", r->lim.max_record);
	if (memchr(p, '\0', n) != NULL)
		return pv_error_set(err, PV_ERR_INPUT, r->display, line,
		    "field %zu holds a NUL byte", col + 1);
	r->buf = xgrow(r->buf, &r->bufcap, r->buflen + n + 1, 1);
	memcpy(r->buf + r->buflen, p, n);
	r->off[col] = r->buflen;
	r->fields[col].len = n;
	r->buflen += n;
	r->buf[r->buflen++] = '\0';
	return 0;
}

static void
seal(struct reader *r, struct csv_record *rec, long line)
{
	size_t i;

	for (i = 0; i < r->ncols; i++)
		r->fields[i].ptr = r->buf + r->off[i];
	rec->fields = r->fields;
	rec->nfields = r->ncols;
	rec->line = line;
}

static int
emit_header(struct reader *r, duck_result *schema, csvread_record_fn fn,
    void *ctx, struct pv_error *err)
{
	struct csv_record rec;
	size_t i;

	r->buflen = 0;
	for (i = 0; i < r->ncols; i++) {
		const char *name = r->d->column_name(schema, i);
		enum conv c = r->conv[i];
		int rc;

		if (name == NULL)
			name = "";
		r->conv[i] = CONV_TEXT;
		rc = add_field(r, i, name, strlen(name), 1, err);
		r->conv[i] = c;
		if (rc != 0)
			return -1;
	}
	seal(r, &rec, 1);
	return fn(ctx, &rec, err);
}

static int
emit_rows(struct reader *r, duck_result *res, csvread_record_fn fn, void *ctx,
    struct pv_error *err)
{
	const struct duck_api *d = r->d;
	const duck_string **data = xcalloc(r->ncols, sizeof(*data));
	const uint64_t **valid = xcalloc(r->ncols, sizeof(*valid));
	duck_chunk chunk;
	long line = 1;
	char msg[768];
	const char *e;
	int rc = -1;

	while ((chunk = d->fetch_chunk(*res)) != NULL) {
		duck_idx n = d->data_chunk_get_size(chunk), row;
		size_t i;

		for (i = 0; i < r->ncols; i++) {
			duck_vector v = d->data_chunk_get_vector(chunk, i);

			data[i] = d->vector_get_data(v);
			valid[i] = d->vector_get_validity(v);
		}
		for (row = 0; row < n; row++) {
			struct csv_record rec;

			line++;
			r->buflen = 0;
			for (i = 0; i < r->ncols; i++) {
				const char *p = "";
				uint32_t len = 0;

				if (duck_valid(valid[i], row))
					p = duck_string_data(&data[i][row],
					    &len);
				if (add_field(r, i, p, len, line, err) != 0)
					goto fail;
			}
			seal(r, &rec, line);
			if (fn(ctx, &rec, err) != 0)
				goto fail;
		}
		d->destroy_data_chunk(&chunk);
	}
	/* the stream ends with no chunk both at its end and on an error */
	if ((e = d->result_error(res)) != NULL) {
		duck_message(r, e, msg, sizeof(msg));
		pv_error_set(err, PV_ERR_INPUT, r->display, line + 1,
		    "damaged Parquet data: %s", msg);
		goto out;
	}
	rc = 0;
	goto out;
fail:
	d->destroy_data_chunk(&chunk);
out:
	free(data);
	free(valid);
	return rc;
}

int
parquet_read(const char *path, const char *display,
    const struct csvread_limits *limits, csvread_record_fn fn, void *ctx,
    struct pv_error *err)
{
	static const char schema_sql[] = "SELECT * FROM read_parquet(?, "
	    "binary_as_string = true, hive_partitioning = false) LIMIT 0";
	struct reader r;
	duck_prepared p1 = NULL, p2 = NULL;
	duck_result schema, rows;
	int have_schema = 0, have_rows = 0, rc = -1;
	char why[512], *sql = NULL;

	memset(&r, 0, sizeof(r));
	r.path = path;
	r.display = display;
	if (limits != NULL)
		r.lim = *limits;
	else
		csvread_limits_default(&r.lim);
	if ((r.d = duck_load(why, sizeof(why))) == NULL)
		return pv_error_set(err, PV_ERR_INPUT, display, 0, "a Parquet "
		    "file: reading it needs libduckdb (%s); %s", why,
		    duck_how_to_add());
	if (start(&r, err) != 0)
		goto out;
	have_schema = 1;
	if (run(&r, schema_sql, &p1, &schema, err) != 0)
		goto out;
	r.ncols = r.d->column_count(&schema);
	if (r.ncols == 0) {
		pv_error_set(err, PV_ERR_INPUT, display, 0, "a Parquet file "
		    "without columns");
		goto out;
	}
	if (r.ncols > r.lim.max_fields) {
		pv_error_set(err, PV_ERR_INPUT, display, 1, "more than %zu "
		    "fields in one record", r.lim.max_fields);
		goto out;
	}
	r.conv = xcalloc(r.ncols, sizeof(*r.conv));
	r.off = xcalloc(r.ncols, sizeof(*r.off));
	r.fields = xcalloc(r.ncols, sizeof(*r.fields));
	sql = select_sql(&r, &schema);
	if (emit_header(&r, &schema, fn, ctx, err) != 0)
		goto out;
	/* done with the first query before the second runs on the same
	 * connection */
	r.d->destroy_result(&schema);
	r.d->destroy_prepare(&p1);
	have_schema = 0;
	have_rows = 1;
	if (run(&r, sql, &p2, &rows, err) != 0)
		goto out;
	rc = emit_rows(&r, &rows, fn, ctx, err);
out:
	if (have_rows)
		r.d->destroy_result(&rows);
	if (have_schema)
		r.d->destroy_result(&schema);
	if (p2 != NULL)
		r.d->destroy_prepare(&p2);
	if (p1 != NULL)
		r.d->destroy_prepare(&p1);
	if (r.con != NULL)
		r.d->disconnect(&r.con);
	if (r.db != NULL)
		r.d->close(&r.db);
	free(sql);
	free(r.conv);
	free(r.off);
	free(r.fields);
	free(r.buf);
	return rc;
}
