/*
 * export.c - the Parquet export (export.h). DuckDB writes the Parquet:
 * an in-memory DuckDB gets a table function of ours, pilvi_rows(),
 * whose rows are the current source's (a SQLite statement, or the
 * report's feed rows), and "COPY (SELECT * FROM pilvi_rows()) TO
 * 'FILE' (FORMAT parquet)" streams them into one file, a chunk of
 * 2,048 rows at a time. Nothing is staged in a table, so memory does
 * not grow with the data: DuckDB holds one row group being written.
 *
 * Why not COPY ... PARTITION_BY over one big table: that holds the
 * whole database in DuckDB's memory at once (a staging table of
 * 250,000 lines, appended through duckdb_appender, already peaked at
 * 257 MiB against 145 MiB streaming, on a month of 658,485 lines).
 * Writing each payer-month into its own folder, named as Hive does,
 * gives the same layout, and file names that do not change from run
 * to run.
 *
 * The SQL given to DuckDB is built from this file's own names and the
 * paths of the folder being written, quoted as string literals; the
 * values of the data travel through the table function only. A payer
 * or month in a path is escaped as Hive escapes partition values.
 */
#define _GNU_SOURCE	/* renameat2 */
#include "export.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datetime.h"
#include "duck.h"
#include "money.h"
#include "xalloc.h"

/* One thread: the rows come from one cursor, in order. */
#ifndef EXPORT_THREADS
#define EXPORT_THREADS "1"
#endif
/* DuckDB's buffer manager stays under this while a file is written. */
#ifndef EXPORT_MEMORY_LIMIT
#define EXPORT_MEMORY_LIMIT "256MB"
#endif

/* The marker that says a folder holds an export, so that it may be
 * replaced (Spark, Hive and Athena pass over names starting with _). */
#define MARKER "_pilvi_export"

enum kind {
	K_TEXT,		/* VARCHAR; "" is NULL */
	K_INT,		/* INTEGER */
	K_BIGINT,
	K_REAL,		/* DOUBLE */
	K_MONEY,	/* DECIMAL(38,10) from money_t units */
	K_BOOL,
	K_DATE,		/* 'YYYY-MM-DD' */
	K_TIMESTAMP	/* 'YYYY-MM-DDTHH:MM:SSZ', UTC */
};

struct column {
	const char *name;
	enum kind kind;
};

/* The normalized lines: the columns of lines_sql, in its order. */
static const struct column line_columns[] = {
	{ "account_id", K_TEXT }, { "account_name", K_TEXT },
	{ "day", K_DATE }, { "span_days", K_INT },
	{ "service_code", K_TEXT }, { "service_name", K_TEXT },
	{ "usage_type", K_TEXT }, { "operation", K_TEXT },
	{ "region", K_TEXT }, { "availability_zone", K_TEXT },
	{ "resource_id", K_TEXT }, { "line_item_type", K_TEXT },
	{ "charge_class", K_TEXT }, { "currency", K_TEXT },
	{ "quantity", K_REAL }, { "amount", K_MONEY },
	{ "blended_amount", K_MONEY }, { "line_items", K_BIGINT },
	{ "tagged", K_BOOL }, { "source", K_TEXT },
};

static const struct column daily_columns[] = {
	{ "account_id", K_TEXT }, { "account_name", K_TEXT },
	{ "day", K_DATE }, { "span_days", K_INT },
	{ "service_code", K_TEXT }, { "service_name", K_TEXT },
	{ "charge_class", K_TEXT }, { "currency", K_TEXT },
	{ "amount", K_MONEY }, { "line_items", K_BIGINT },
	{ "source", K_TEXT },
};

/* The feed's columns (report_feed_columns) less the partition's two. */
static const struct column monthly_columns[] = {
	{ "schema_version", K_INT }, { "kind", K_TEXT },
	{ "customer_id", K_TEXT }, { "customer_name", K_TEXT },
	{ "account_id", K_TEXT }, { "account_name", K_TEXT },
	{ "month_status", K_TEXT }, { "days_covered", K_INT },
	{ "as_of", K_TIMESTAMP }, { "source", K_TEXT },
	{ "service_code", K_TEXT }, { "service_name", K_TEXT },
	{ "pilvi_support", K_TEXT }, { "charge_class", K_TEXT },
	{ "currency", K_TEXT }, { "amount", K_MONEY }, { "low", K_MONEY },
	{ "high", K_MONEY }, { "typical_error_pct", K_REAL },
};

/* The view rule of account_line (schema/002): per member account, the
 * linked lines where a monthly report has both views. */
#define ACCOUNT_VIEW(t) \
    "(" t ".view = 0 OR (" t ".view = 2 AND cp.has_linked_view) " \
    "OR (" t ".view = 1 AND NOT cp.has_linked_view))"

/* The delivery lines of one payer-month. */
#define COUNTED(table, t) \
    "FROM counted_period cp " \
    "JOIN account pa ON pa.account_id = cp.payer_account " \
    "JOIN " table " " t " ON " t ".file_id = cp.file_id " \
    "     AND " t ".payer = pa.id AND " t ".period = cp.period "

/*
 * Each line of the counted deliveries, per member account; where a
 * consolidated monthly report states more on the invoice than its
 * per-account split (rounding), the difference is a line of the payer
 * account with line_items 0 and no line type (the invoice's lines are
 * PayerLineItem, the split's LinkedLineItem), as the feed books it
 * (report.c), so that the lines add up to the feed's amounts.
 */
static const char lines_sql[] =
    "SELECT a.account_id, a.name, cl.day, cl.span_days, "
    "       COALESCE(si.code, '(none)'), si.name, ut.name, op.name, "
    "       lo.region, lo.az, rs.resource_id, lt.name, cl.class, "
    "       cl.currency, cl.quantity, cl.cost, cl.blended, cl.line_items, "
    "       cl.tagged, cp.format "
    COUNTED("cost_line", "cl")
    "JOIN account a ON a.id = cl.account "
    "LEFT JOIN service_ident si ON si.service = cl.service "
    "LEFT JOIN usage_type ut ON ut.id = cl.usage_type "
    "LEFT JOIN operation op ON op.id = cl.operation "
    "LEFT JOIN location lo ON lo.id = cl.location "
    "LEFT JOIN resource rs ON rs.id = cl.resource "
    "LEFT JOIN line_type lt ON lt.id = cl.line_type "
    "WHERE cp.payer_account = ?1 AND cp.period = ?2 "
    "  AND cp.format <> 'manual' AND " ACCOUNT_VIEW("cl")
    "  AND (?3 IS NULL OR a.account_id = ?3) "
    "UNION ALL "
    "SELECT pa.account_id, MAX(pa.name), cl.day, cl.span_days, "
    "       COALESCE(si.code, '(none)'), MAX(si.name), ut.name, op.name, "
    "       lo.region, lo.az, NULL, NULL, cl.class, cl.currency, NULL, "
    "       SUM(CASE WHEN cl.view = 1 THEN cl.cost ELSE -cl.cost END), "
    "       NULL, 0, 0, cp.format "
    COUNTED("cost_line", "cl")
    "LEFT JOIN service_ident si ON si.service = cl.service "
    "LEFT JOIN usage_type ut ON ut.id = cl.usage_type "
    "LEFT JOIN operation op ON op.id = cl.operation "
    "LEFT JOIN location lo ON lo.id = cl.location "
    "WHERE cp.payer_account = ?1 AND cp.period = ?2 "
    "  AND cp.format <> 'manual' AND cp.has_payer_view "
    "  AND cp.has_linked_view AND cl.view IN (1, 2) "
    "  AND (?3 IS NULL OR pa.account_id = ?3) "
    "GROUP BY cl.day, cl.span_days, cl.service, cl.usage_type, "
    "         cl.operation, cl.location, cl.class, cl.currency, cp.format "
    "HAVING SUM(CASE WHEN cl.view = 1 THEN cl.cost ELSE -cl.cost END) <> 0";

/* A row per day, account, service, charge class and currency, from the
 * daily summary (cost_day), with the same remainder as lines_sql. */
static const char daily_sql[] =
    "SELECT account_id, MAX(aname), day, span_days, code, MAX(sname), "
    "       cls, currency, SUM(cost), SUM(n), source FROM ("
    "SELECT a.account_id AS account_id, a.name AS aname, cd.day AS day, "
    "       cd.span_days AS span_days, COALESCE(si.code, '(none)') AS code, "
    "       si.name AS sname, cd.class AS cls, cd.currency AS currency, "
    "       cd.cost AS cost, cd.line_items AS n, cp.format AS source "
    COUNTED("cost_day", "cd")
    "JOIN account a ON a.id = cd.account "
    "LEFT JOIN service_ident si ON si.service = cd.service "
    "WHERE cp.payer_account = ?1 AND cp.period = ?2 "
    "  AND cp.format <> 'manual' AND " ACCOUNT_VIEW("cd")
    "  AND (?3 IS NULL OR a.account_id = ?3) "
    "UNION ALL "
    "SELECT pa.account_id, MAX(pa.name), cd.day, cd.span_days, "
    "       COALESCE(si.code, '(none)'), MAX(si.name), cd.class, "
    "       cd.currency, "
    "       SUM(CASE WHEN cd.view = 1 THEN cd.cost ELSE -cd.cost END), 0, "
    "       cp.format "
    COUNTED("cost_day", "cd")
    "LEFT JOIN service_ident si ON si.service = cd.service "
    "WHERE cp.payer_account = ?1 AND cp.period = ?2 "
    "  AND cp.format <> 'manual' AND cp.has_payer_view "
    "  AND cp.has_linked_view AND cd.view IN (1, 2) "
    "  AND (?3 IS NULL OR pa.account_id = ?3) "
    "GROUP BY cd.day, cd.span_days, COALESCE(si.code, '(none)'), "
    "         cd.class, cd.currency, cp.format "
    "HAVING SUM(CASE WHEN cd.view = 1 THEN cd.cost ELSE -cd.cost END) <> 0"
    ") GROUP BY account_id, day, span_days, code, cls, currency, source "
    "ORDER BY day, account_id, code, cls, currency";

/* The payer-months the datasets hold, as the report counts them. */
static const char partitions_sql[] =
    "SELECT DISTINCT payer_account, period FROM counted_period "
    "WHERE format <> 'manual' "
    "  AND (?1 IS NULL OR payer_account = ?1) "
    "  AND (?2 IS NULL OR period = ?2) "
    "ORDER BY payer_account, period";

struct dataset {
	const char *name;		/* the folder */
	const struct column *cols;
	size_t ncols;
	const char *sql;		/* NULL: the feed's rows */
};

static const struct dataset datasets[] = {
	{ "lines", line_columns,
	  sizeof(line_columns) / sizeof(line_columns[0]), lines_sql },
	{ "daily", daily_columns,
	  sizeof(daily_columns) / sizeof(daily_columns[0]), daily_sql },
	{ "monthly", monthly_columns,
	  sizeof(monthly_columns) / sizeof(monthly_columns[0]), NULL },
};

/* The API, for DuckDB's callbacks (duck_load() returns one table for
 * the life of the process). */
static const struct duck_api *dapi;

/* One value of a row, from SQLite or from the feed. */
struct cell {
	int null;
	const char *text;		/* K_TEXT, K_DATE, K_TIMESTAMP */
	int64_t i;			/* K_INT, K_BIGINT, K_MONEY, K_BOOL */
	double d;			/* K_REAL */
};

static void feed_cell(const struct report_feed_row *f, size_t i,
    struct cell *c);

struct writer {
	const struct duck_api *d;
	duck_database db;
	duck_connection con;
	const struct dataset *ds;
	char root[PATH_MAX];		/* the temporary folder, absolute */
	char part[PATH_MAX];		/* the current partition's folder */
	const char *shown;		/* the target, for messages */
	long max_rows;			/* rows per file */
	int nfile;			/* files written in this partition */
	/* the rows of the current partition: the statement's (q), or the
	 * feed's from feed[next] to feed[end] */
	sqlite3_stmt *q;
	struct report_feed_row **feed;
	size_t next, end;
	int have_row;			/* a row waits: q stepped, or next < end */
	long in_file;			/* rows given to the file being written */
	int failed;			/* the source failed: err holds why */
	struct export_stats *stats;
	struct pv_error *err;
};

/* A growing SQL text; fixed size: our names and two paths. */
struct sql {
	char text[8192];
	size_t len;
	int overflow;
};

static void
sql_add(struct sql *s, const char *t)
{
	size_t n = strlen(t);

	if (s->len + n >= sizeof(s->text)) {
		s->overflow = 1;
		return;
	}
	memcpy(s->text + s->len, t, n + 1);
	s->len += n;
}

/* t as a string literal: quoted, its quotes doubled. */
static void
sql_literal(struct sql *s, const char *t)
{
	char c[2] = { 0, 0 };

	sql_add(s, "'");
	for (; *t != '\0'; t++) {
		c[0] = *t;
		sql_add(s, c);
		if (*t == '\'')
			sql_add(s, c);
	}
	sql_add(s, "'");
}

/* Run a statement; -1 with the source's error, or DuckDB's, in err. */
static int
duck_exec(struct writer *w, const char *sql, const char *what)
{
	duck_result r;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	if (w->d->query(w->con, sql, &r) != DUCK_OK) {
		const char *e = w->d->result_error(&r);

		if (!w->failed)
			pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot "
			    "write '%s': %s: %s", w->shown, what, e != NULL ?
			    e : "DuckDB failed");
		rc = -1;
	}
	w->d->destroy_result(&r);
	return rc;
}

/* ---- the table function: rows from the source into DuckDB ---------- */

static duck_logical_type
logical_type(const struct duck_api *d, enum kind k)
{
	switch (k) {
	case K_INT:
		return d->create_logical_type(DUCK_INTEGER);
	case K_BIGINT:
		return d->create_logical_type(DUCK_BIGINT);
	case K_REAL:
		return d->create_logical_type(DUCK_DOUBLE);
	case K_MONEY:
		/* the store's units exactly: any int64 fits 38 digits */
		return d->create_decimal_type(38, MONEY_PLACES);
	case K_BOOL:
		return d->create_logical_type(DUCK_BOOLEAN);
	case K_DATE:
		return d->create_logical_type(DUCK_DATE);
	case K_TIMESTAMP:
		return d->create_logical_type(DUCK_TIMESTAMP);
	default:
		return d->create_logical_type(DUCK_VARCHAR);
	}
}

/* The current dataset's columns, with their types. */
static void
rows_bind(duck_bind_info info)
{
	struct writer *w;
	size_t i;

	/* the extra info given at registration: the writer, whose ds is
	 * the dataset being written */
	w = dapi->bind_get_extra_info(info);
	for (i = 0; i < w->ds->ncols; i++) {
		duck_logical_type t = logical_type(w->d, w->ds->cols[i].kind);

		w->d->bind_add_result_column(info, w->ds->cols[i].name, t);
		w->d->destroy_logical_type(&t);
	}
}

static void
rows_init(duck_init_info info)
{
	/* one thread: the rows come in order from one cursor */
	dapi->init_set_max_threads(info, 1);
}

/* The next row of the source: have_row says whether there is one. */
static int
source_step(struct writer *w)
{
	int rc;

	if (w->q == NULL) {
		w->have_row = w->next < w->end;
		return 0;
	}
	rc = sqlite3_step(w->q);
	w->have_row = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		w->failed = 1;
		return pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot "
		    "read the database: %s", sqlite3_errmsg(sqlite3_db_handle(
		    w->q)));
	}
	return 0;
}

/* Column i of the source's current row. */
static void
source_cell(struct writer *w, size_t i, struct cell *c)
{
	memset(c, 0, sizeof(*c));
	if (w->q != NULL) {
		int col = (int)i;

		if (sqlite3_column_type(w->q, col) == SQLITE_NULL) {
			c->null = 1;
			return;
		}
		/* only the value the column's kind wants: asking SQLite for
		 * the others converts it (an integer to text, text to a
		 * number) */
		switch (w->ds->cols[i].kind) {
		case K_INT:
		case K_BIGINT:
		case K_MONEY:
		case K_BOOL:
			c->i = sqlite3_column_int64(w->q, col);
			break;
		case K_REAL:
			c->d = sqlite3_column_double(w->q, col);
			break;
		default:
			c->text = (const char *)sqlite3_column_text(w->q, col);
			break;
		}
		return;
	}
	feed_cell(w->feed[w->next], i, c);
}

static void
set_null(const struct duck_api *d, duck_vector v, duck_idx row)
{
	uint64_t *valid;

	d->vector_ensure_validity_writable(v);
	valid = d->vector_get_validity(v);
	valid[row / 64] &= ~((uint64_t)1 << (row % 64));
}

/* Cell c into row of vector v, as kind k wants it. */
static void
put_cell(const struct duck_api *d, duck_vector v, duck_idx row,
    enum kind k, const struct cell *c)
{
	void *data = d->vector_get_data(v);
	pv_time t;

	if (c->null || ((k == K_TEXT || k == K_DATE || k == K_TIMESTAMP) &&
	    (c->text == NULL || c->text[0] == '\0'))) {
		set_null(d, v, row);
		return;
	}
	switch (k) {
	case K_INT:
		((int32_t *)data)[row] = (int32_t)c->i;
		break;
	case K_BIGINT:
		((int64_t *)data)[row] = c->i;
		break;
	case K_REAL:
		((double *)data)[row] = c->d;
		break;
	case K_MONEY:
		/* the unscaled value: units of 10^-10, sign-extended */
		((duck_hugeint *)data)[row].lower = (uint64_t)c->i;
		((duck_hugeint *)data)[row].upper = c->i < 0 ? -1 : 0;
		break;
	case K_BOOL:
		((_Bool *)data)[row] = c->i != 0;
		break;
	case K_DATE:
	case K_TIMESTAMP:
		if (date_parse(c->text, strlen(c->text), &t) != DATE_OK) {
			set_null(d, v, row);
			break;
		}
		if (k == K_DATE)	/* days since 1970-01-01 */
			((int32_t *)data)[row] = (int32_t)((t - (t % 86400 +
			    86400) % 86400) / 86400);
		else			/* microseconds since then */
			((int64_t *)data)[row] = t * 1000000;
		break;
	default:
		d->vector_assign_string_element_len(v, row, c->text,
		    strlen(c->text));
		break;
	}
}

/* A chunk of rows, up to DuckDB's vector size and the file's limit; an
 * empty chunk ends the file. */
static void
rows_produce(duck_function_info info, duck_chunk out)
{
	struct writer *w = dapi->function_get_extra_info(info);
	const struct duck_api *d = w->d;
	duck_idx n = 0, cap = d->vector_size(), i;
	struct cell c;

	while (n < cap && w->have_row && w->in_file < w->max_rows) {
		for (i = 0; i < w->ds->ncols; i++) {
			source_cell(w, i, &c);
			put_cell(d, d->data_chunk_get_vector(out, i), n,
			    w->ds->cols[i].kind, &c);
		}
		n++;
		w->in_file++;
		w->stats->rows[w->ds - datasets]++;
		if (w->q == NULL)
			w->next++;
		if (source_step(w) != 0) {
			d->function_set_error(info, w->err->msg);
			break;
		}
	}
	d->data_chunk_set_size(out, n);
}

/* ---- files and partitions -------------------------------------------- */

static int
start_duck(struct writer *w)
{
	const struct duck_api *d = w->d;
	duck_config cfg = NULL;
	duck_table_function f = NULL;
	char *why = NULL;
	int rc = -1;

	if (d->create_config(&cfg) != DUCK_OK)
		return pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot "
		    "configure DuckDB");
	if (d->set_config(cfg, "threads", EXPORT_THREADS) != DUCK_OK ||
	    d->set_config(cfg, "memory_limit", EXPORT_MEMORY_LIMIT) != DUCK_OK ||
	    d->set_config(cfg, "autoinstall_known_extensions", "false") !=
	    DUCK_OK ||
	    d->set_config(cfg, "autoload_known_extensions", "false") !=
	    DUCK_OK) {
		pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot configure "
		    "DuckDB (%s)", duck_path());
		goto out;
	}
	if (d->open_ext(NULL, &w->db, cfg, &why) != DUCK_OK) {
		pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot start "
		    "DuckDB: %s", why != NULL ? why : duck_path());
		goto out;
	}
	if (d->connect(w->db, &w->con) != DUCK_OK) {
		pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot connect to "
		    "DuckDB");
		goto out;
	}
	/* pilvi_rows(): the rows of the writer's current source */
	if ((f = d->create_table_function()) == NULL) {
		pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot make "
		    "DuckDB's table function");
		goto out;
	}
	d->table_function_set_name(f, "pilvi_rows");
	d->table_function_set_extra_info(f, w, NULL);
	d->table_function_set_bind(f, rows_bind);
	d->table_function_set_init(f, rows_init);
	d->table_function_set_function(f, rows_produce);
	if (d->register_table_function(w->con, f) != DUCK_OK) {
		pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot register "
		    "DuckDB's table function");
		goto out;
	}
	rc = 0;
out:
	if (f != NULL)
		d->destroy_table_function(&f);
	if (why != NULL)
		d->free(why);
	d->destroy_config(&cfg);
	return rc;
}

/* s as Hive writes a partition value: bytes other than letters, digits
 * and "._-" as %XX, and "" as Hive's default partition. */
static int
hive_value(const char *s, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t k = 0;

	if (*s == '\0')
		return snprintf(out, n, "__HIVE_DEFAULT_PARTITION__") <
		    (int)n ? 0 : -1;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (k + 4 >= n)
			return -1;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-')
			out[k++] = (char)c;
		else {
			out[k++] = '%';
			out[k++] = hex[c >> 4];
			out[k++] = hex[c & 15];
		}
	}
	out[k] = '\0';
	return 0;
}

static int
make_dir(struct writer *w, const char *path)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot "
		    "write '%s': %s: %s", w->shown, path, strerror(errno));
	return 0;
}

/* Start the partition of payer's month: its folder, made. Room is
 * left in w->part for the file's name. */
static int
partition_begin(struct writer *w, const char *payer, const char *month)
{
	char p[256], m[64];
	size_t room = sizeof(w->part) - 32, len;

	if (hive_value(payer, p, sizeof(p)) != 0 ||
	    hive_value(month, m, sizeof(m)) != 0)
		return pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot "
		    "write '%s': payer '%s' is too long for a folder name",
		    w->shown, payer);
	if (snprintf(w->part, room, "%s/%s/payer_account=%s", w->root,
	    w->ds->name, p) >= (int)room)
		goto long_path;
	if (make_dir(w, w->part) != 0)
		return -1;
	len = strlen(w->part);
	if (snprintf(w->part + len, room - len, "/month=%s", m) >=
	    (int)(room - len))
		goto long_path;
	w->nfile = 0;
	if (w->ds == &datasets[0])
		w->stats->partitions++;
	return make_dir(w, w->part);
long_path:
	return pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot write "
	    "'%s': the path is too long", w->shown);
}

/* Remove the current partition's folder, made for rows that did not
 * come (and its payer's, when that is left empty). */
static int
partition_drop(struct writer *w)
{
	char *slash;

	if (rmdir(w->part) != 0)
		return pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot "
		    "write '%s': %s: %s", w->shown, w->part, strerror(errno));
	if ((slash = strrchr(w->part, '/')) != NULL) {
		*slash = '\0';
		rmdir(w->part);	/* fails while other months are in it */
	}
	if (w->ds == &datasets[0])
		w->stats->partitions--;
	return 0;
}


/*
 * The source's rows as the current partition's files: COPY reads
 * pilvi_rows() to its end, max_rows rows to a file.
 */
static int
write_partition(struct writer *w)
{
	struct sql s = { .len = 0 };
	char path[PATH_MAX + 32];

	if (source_step(w) != 0)
		return -1;
	while (w->have_row) {
		s.len = 0;
		s.overflow = 0;
		snprintf(path, sizeof(path), "%s/part-%05d.parquet", w->part,
		    w->nfile);
		sql_add(&s, "COPY (SELECT * FROM pilvi_rows()) TO ");
		sql_literal(&s, path);
		sql_add(&s, " (FORMAT parquet, COMPRESSION snappy)");
		if (s.overflow)
			return pv_error_set(w->err, PV_ERR_FATAL, NULL, 0,
			    "cannot write '%s': the path is too long",
			    w->shown);
		w->in_file = 0;
		if (duck_exec(w, s.text, w->ds->name) != 0)
			return -1;
		w->nfile++;
		w->stats->files++;
	}
	return 0;
}

/* A dataset read from the store, a payer-month at a time. */
static int
write_from_store(struct writer *w, sqlite3 *db,
    const struct export_options *o)
{
	sqlite3_stmt *pq = NULL;
	int rc = -1, step;

	if (sqlite3_prepare_v2(db, partitions_sql, -1, &pq, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, w->ds->sql, -1, &w->q, NULL) !=
	    SQLITE_OK) {
		pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot read the "
		    "database: %s", sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_bind_text(pq, 1, o->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(pq, 2, o->month, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->q, 3, o->account, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(pq)) == SQLITE_ROW) {
		const char *payer = (const char *)sqlite3_column_text(pq, 0);
		const char *month = (const char *)sqlite3_column_text(pq, 1);

		sqlite3_reset(w->q);
		sqlite3_bind_text(w->q, 1, payer, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(w->q, 2, month, -1, SQLITE_TRANSIENT);
		if (partition_begin(w, payer, month) != 0 ||
		    write_partition(w) != 0)
			goto out;
		/* a payer-month without rows (one --account that has none
		 * there) leaves no folder */
		if (w->nfile == 0 && partition_drop(w) != 0)
			goto out;
	}
	if (step != SQLITE_DONE) {
		pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot read the "
		    "database: %s", sqlite3_errmsg(db));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(w->q);
	w->q = NULL;
	sqlite3_finalize(pq);
	return rc;
}

/* Column i of feed row f, in monthly_columns' order. */
static void
feed_cell(const struct report_feed_row *f, size_t i, struct cell *c)
{
	const char *text[] = {
		NULL, f->kind, f->customer_id, f->customer_name, f->account,
		f->account_name, f->month_status, NULL, f->as_of, f->source,
		f->service_code, f->service_name, f->support, f->charge_class,
		f->currency
	};

	switch (i) {
	case 0:
		c->i = REPORT_FEED_SCHEMA;
		break;
	case 7:
		c->i = f->days_covered;
		break;
	case 15:
		c->i = f->amount;
		break;
	case 16:
	case 17:
		c->null = !f->is_estimate;
		c->i = i == 16 ? f->low : f->high;
		break;
	case 18:
		/* to a tenth, as the csv says it */
		c->null = !f->is_estimate;
		c->d = round(f->typical_error * 10) / 10;
		break;
	default:
		c->text = i < sizeof(text) / sizeof(text[0]) ? text[i] : NULL;
		c->null = c->text == NULL;
		break;
	}
}

/* Feed rows by payer and month, else in the feed's order. */
static int
cmp_feed(const void *pa, const void *pb)
{
	const struct report_feed_row *const *a = pa, *const *b = pb;
	int c;

	if ((c = strcmp((*a)->payer, (*b)->payer)) != 0 ||
	    (c = strcmp((*a)->month, (*b)->month)) != 0)
		return c;
	return *a < *b ? -1 : *a > *b;
}

/* The feed's rows, a payer-month per partition. */
static int
write_feed(struct writer *w, const struct report *r)
{
	struct report_feed_row *rows;
	size_t n = report_feed(r, &rows), i, j;
	int rc = -1;

	w->feed = xcalloc(n + 1, sizeof(*w->feed));
	for (i = 0; i < n; i++)
		w->feed[i] = &rows[i];
	qsort(w->feed, n, sizeof(*w->feed), cmp_feed);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(w->feed[j]->payer,
		    w->feed[i]->payer) == 0 && strcmp(w->feed[j]->month,
		    w->feed[i]->month) == 0; j++)
			;
		w->next = i;
		w->end = j;
		if (partition_begin(w, w->feed[i]->payer, w->feed[i]->month) !=
		    0 || write_partition(w) != 0)
			goto out;
	}
	rc = 0;
out:
	free(w->feed);
	w->feed = NULL;
	free(rows);
	return rc;
}

/* What the marker file says: what the folder is, and how to read it. */
static int
write_marker(struct writer *w, const struct report *r)
{
	char path[PATH_MAX + 32];
	FILE *fp;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", w->root, MARKER);
	if ((fp = fopen(path, "w")) == NULL)
		return pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot "
		    "write '%s': %s", w->shown, strerror(errno));
	fprintf(fp, "pilvi-analyzer Parquet export\n"
	    "generated_at: %s\n"
	    "datasets: lines daily monthly, each payer_account=ID/month="
	    "YYYY-MM/part-NNNNN.parquet\n"
	    "feed_schema_version: %d\n"
	    "partition columns are text: read payer_account as VARCHAR "
	    "(account ids keep their leading zeros)\n",
	    r->generated_at, REPORT_FEED_SCHEMA);
	rc = ferror(fp) ? -1 : 0;
	if (fclose(fp) != 0 || rc != 0)
		return pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot "
		    "write '%s': %s", w->shown, strerror(errno));
	return 0;
}

static int
remove_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) != 0 ? -1 : 0;
}

/* Remove a folder we made (or an export we replace), with its content. */
static int
remove_tree(const char *path)
{
	return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Is the target ours to replace? 1 when it does not exist, 0 when it
 * may be replaced (an empty folder, or an export), -1 (err filled)
 * when not.
 */
static int
check_target(const char *target, const char *shown, struct pv_error *err)
{
	char marker[PATH_MAX + 32];
	struct stat sb;
	DIR *dp;
	struct dirent *de;
	int empty = 1;

	if (lstat(target, &sb) != 0) {
		if (errno == ENOENT)
			return 1;
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write "
		    "'%s': %s", shown, strerror(errno));
	}
	if (!S_ISDIR(sb.st_mode))
		return pv_error_set(err, PV_ERR_INPUT, NULL, 0, "'%s' is not a "
		    "folder: a Parquet export is a folder; name a new one",
		    shown);
	snprintf(marker, sizeof(marker), "%s/%s", target, MARKER);
	if (access(marker, F_OK) == 0)
		return 0;
	if ((dp = opendir(target)) == NULL)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write "
		    "'%s': %s", shown, strerror(errno));
	while ((de = readdir(dp)) != NULL && empty)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") !=
		    0)
			empty = 0;
	closedir(dp);
	if (!empty)
		return pv_error_set(err, PV_ERR_INPUT, NULL, 0, "'%s' holds "
		    "files that are not an export: name a new folder, or an "
		    "earlier export to replace", shown);
	return 0;
}

/* Put the finished folder tmp in target's place (which exists when
 * exists): an exchange where the kernel has one, else two renames. */
static int
put_in_place(const char *tmp, const char *target, int exists,
    const char *shown, struct pv_error *err)
{
	char old[PATH_MAX + 32];

	if (!exists) {
		if (rename(tmp, target) == 0)
			return 0;
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write "
		    "'%s': %s", shown, strerror(errno));
	}
#ifdef RENAME_EXCHANGE
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_EXCHANGE) ==
	    0) {
		remove_tree(tmp);	/* the old export, now at tmp */
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write "
		    "'%s': %s", shown, strerror(errno));
#endif
	snprintf(old, sizeof(old), "%s.old", tmp);
	if (rename(target, old) != 0)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write "
		    "'%s': %s", shown, strerror(errno));
	if (rename(tmp, target) != 0) {
		int e = errno;

		rename(old, target);
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write "
		    "'%s': %s", shown, strerror(e));
	}
	remove_tree(old);
	return 0;
}

/*
 * The target's absolute path (its parent resolved, so DuckDB is given
 * a plain local path, never one it would take for a URL) and the
 * temporary folder beside it, made.
 */
static int
make_temporary(const char *dir, char *target, char *tmp, size_t n,
    struct pv_error *err)
{
	char copy[PATH_MAX], parent[PATH_MAX], *slash, *base;
	size_t len;

	if (snprintf(copy, sizeof(copy), "%s", dir) >= (int)sizeof(copy))
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write "
		    "'%s': the path is too long", dir);
	for (len = strlen(copy); len > 1 && copy[len - 1] == '/'; len--)
		copy[len - 1] = '\0';
	slash = strrchr(copy, '/');
	if (slash == NULL) {
		base = copy;
		snprintf(parent, sizeof(parent), ".");
	} else {
		base = slash + 1;
		*slash = '\0';
		snprintf(parent, sizeof(parent), "%s", slash == copy ? "/" :
		    copy);
	}
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") ==
	    0)
		return pv_error_set(err, PV_ERR_INPUT, NULL, 0, "cannot write "
		    "'%s': name the export's folder itself", dir);
	if (realpath(parent, target) == NULL)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write "
		    "'%s': %s", dir, strerror(errno));
	len = strlen(target);
	if (snprintf(target + len, n - len, "%s%s", target[len - 1] == '/' ?
	    "" : "/", base) >= (int)(n - len) ||
	    snprintf(tmp, n, "%s.tmp.XXXXXX", target) >= (int)n)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write "
		    "'%s': the path is too long", dir);
	if (mkdtemp(tmp) == NULL)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot write "
		    "'%s': %s", dir, strerror(errno));
	return 0;
}

int
export_parquet(struct store *st, const struct report *r,
    const struct export_options *o, const char *dir,
    struct export_stats *stats, struct pv_error *err)
{
	struct writer w;
	char target[PATH_MAX], why[512], path[PATH_MAX + 16];
	size_t i;
	int exists, rc = -1, made = 0;

	memset(&w, 0, sizeof(w));
	memset(stats, 0, sizeof(*stats));
	w.stats = stats;
	w.err = err;
	w.shown = dir;
	w.max_rows = o->rows_per_file > 0 ? o->rows_per_file :
	    EXPORT_ROWS_PER_FILE;
	if ((dapi = w.d = duck_load(why, sizeof(why))) == NULL)
		return pv_error_set(err, PV_ERR_INPUT, NULL, 0, "writing "
		    "Parquet needs libduckdb (%s); %s", why, duck_how_to_add());
	if (make_temporary(dir, target, w.root, sizeof(target), err) != 0)
		return -1;
	made = 1;
	if ((exists = check_target(target, dir, err)) < 0)
		goto out;
	exists = !exists;
	if (store_prepare_reading(st, err) != 0 || start_duck(&w) != 0)
		goto out;
	for (i = 0; i < sizeof(datasets) / sizeof(datasets[0]); i++) {
		w.ds = &datasets[i];
		snprintf(path, sizeof(path), "%s/%s", w.root, w.ds->name);
		if (make_dir(&w, path) != 0)
			goto out;
		if (w.ds->sql != NULL ? write_from_store(&w, store_db(st), o) :
		    write_feed(&w, r))
			goto out;
	}
	if (write_marker(&w, r) != 0)
		goto out;
	if (w.con != NULL)
		w.d->disconnect(&w.con);
	if (w.db != NULL)
		w.d->close(&w.db);
	if (put_in_place(w.root, target, exists, dir, err) != 0)
		goto out;
	made = 0;
	rc = 0;
out:
	if (w.con != NULL)
		w.d->disconnect(&w.con);
	if (w.db != NULL)
		w.d->close(&w.db);
	if (made)
		remove_tree(w.root);
	return rc;
}
