/*
 * export.c - the Parquet export (export.h): rows from SQLite (or the
 * report's feed) go through DuckDB's appender into a staging table in
 * an in-memory DuckDB, and COPY writes each payer-month's rows as one
 * Parquet file (or several, EXPORT_ROWS_PER_FILE rows at most each), so
 * DuckDB never holds more than one file's rows.
 *
 * Why not COPY ... PARTITION_BY over one big table: that holds the whole
 * database in DuckDB's memory at once. Writing each payer-month into its
 * own folder, named as Hive does, gives the same layout with memory
 * bounded by a file's rows, and file names that do not change from run
 * to run.
 *
 * The SQL given to DuckDB is built from this file's own names and the
 * paths of the folder being written, quoted as string literals; the
 * values of the data travel through the appender only. A payer or
 * month in a path is escaped as Hive escapes partition values.
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

#include "duck.h"
#include "money.h"
#include "xalloc.h"

/* DuckDB's buffer manager stays under this while a file is written. */
#ifndef EXPORT_THREADS
#define EXPORT_THREADS "1"
#endif
#ifndef EXPORT_MEMORY_LIMIT
#define EXPORT_MEMORY_LIMIT "512MB"
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

struct writer {
	const struct duck_api *d;
	duck_database db;
	duck_connection con;
	duck_appender app;		/* on the staging table; NULL: none */
	const struct dataset *ds;
	char root[PATH_MAX];		/* the temporary folder, absolute */
	char part[PATH_MAX];		/* the current partition's folder */
	const char *shown;		/* the target, for messages */
	long max_rows;
	long staged;			/* rows in the staging table */
	int nfile;			/* files written in this partition */
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

/* Run a statement; -1 with DuckDB's message in err. */
static int
duck_exec(struct writer *w, const char *sql, const char *what)
{
	duck_result r;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	if (w->d->query(w->con, sql, &r) != DUCK_OK) {
		const char *e = w->d->result_error(&r);

		pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot write "
		    "'%s': %s: %s", w->shown, what, e != NULL ? e : "DuckDB "
		    "failed");
		rc = -1;
	}
	w->d->destroy_result(&r);
	return rc;
}

static int
start_duck(struct writer *w)
{
	const struct duck_api *d = w->d;
	duck_config cfg = NULL;
	char *why = NULL;
	int rc = -1;

	if (d->create_config(&cfg) != DUCK_OK)
		return pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot "
		    "configure DuckDB");
	/* the export runs on its own: both threads may write */
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
	rc = 0;
out:
	if (why != NULL)
		d->free(why);
	d->destroy_config(&cfg);
	return rc;
}

/* The staging table's type of a column: what the appender is given. */
static const char *
stage_type(enum kind k)
{
	switch (k) {
	case K_INT:
	case K_BIGINT:
	case K_MONEY:
		return "BIGINT";
	case K_REAL:
		return "DOUBLE";
	case K_BOOL:
		return "BOOLEAN";
	default:
		return "VARCHAR";
	}
}

/* A fresh, empty staging table for the dataset, and an appender on it. */
static int
stage_open(struct writer *w)
{
	struct sql s = { .len = 0 };
	size_t i;

	sql_add(&s, "CREATE OR REPLACE TABLE stage (");
	for (i = 0; i < w->ds->ncols; i++) {
		sql_add(&s, i > 0 ? ", " : "");
		sql_add(&s, w->ds->cols[i].name);
		sql_add(&s, " ");
		sql_add(&s, stage_type(w->ds->cols[i].kind));
	}
	sql_add(&s, ")");
	if (s.overflow)
		return pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "export: "
		    "SQL too long");
	if (duck_exec(w, s.text, "the staging table") != 0)
		return -1;
	if (w->d->appender_create(w->con, NULL, "stage", &w->app) != DUCK_OK) {
		pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot write '%s': "
		    "%s", w->shown, w->app != NULL ?
		    w->d->appender_error(w->app) : "no appender");
		w->d->appender_destroy(&w->app);
		w->app = NULL;
		return -1;
	}
	w->staged = 0;
	return 0;
}

static void
stage_close(struct writer *w)
{
	if (w->app != NULL)
		w->d->appender_destroy(&w->app);
	w->app = NULL;
}

/* The appender's failure as an error. */
static int
append_failed(struct writer *w)
{
	const char *e = w->app != NULL ? w->d->appender_error(w->app) : NULL;

	return pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot write "
	    "'%s': %s", w->shown, e != NULL ? e : "DuckDB's appender failed");
}

/*
 * The staged rows as the next Parquet file of the current partition,
 * converted on the way to the dataset's types; then an empty stage.
 */
static int
stage_write(struct writer *w)
{
	struct sql s = { .len = 0 };
	char path[PATH_MAX + 32];
	size_t i;

	if (w->staged == 0)
		return 0;
	if (w->d->appender_flush(w->app) != DUCK_OK)
		return append_failed(w);
	sql_add(&s, "COPY (SELECT ");
	for (i = 0; i < w->ds->ncols; i++) {
		const struct column *c = &w->ds->cols[i];

		sql_add(&s, i > 0 ? ", " : "");
		switch (c->kind) {
		case K_MONEY:
			/* units of 10^-10, exactly: DECIMAL(28,0) holds any
			 * int64, and the product's scale is 10 */
			sql_add(&s, "CAST(");
			sql_add(&s, c->name);
			sql_add(&s, " AS DECIMAL(28,0)) * "
			    "CAST(0.0000000001 AS DECIMAL(10,10))");
			break;
		case K_INT:
			sql_add(&s, "CAST(");
			sql_add(&s, c->name);
			sql_add(&s, " AS INTEGER)");
			break;
		case K_DATE:
			sql_add(&s, "CAST(");
			sql_add(&s, c->name);
			sql_add(&s, " AS DATE)");
			break;
		case K_TIMESTAMP:
			sql_add(&s, "CAST(");
			sql_add(&s, c->name);
			sql_add(&s, " AS TIMESTAMP)");
			break;
		default:
			sql_add(&s, c->name);
			break;
		}
		sql_add(&s, " AS ");
		sql_add(&s, c->name);
	}
	snprintf(path, sizeof(path), "%s/part-%05d.parquet", w->part,
	    w->nfile);
	sql_add(&s, " FROM stage) TO ");
	sql_literal(&s, path);
	sql_add(&s, " (FORMAT parquet, COMPRESSION snappy)");
	if (s.overflow)
		return pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot "
		    "write '%s': the path is too long", w->shown);
	if (duck_exec(w, s.text, w->ds->name) != 0)
		return -1;
	w->nfile++;
	w->stats->files++;
	/* a new table rather than DELETE: DuckDB frees a dropped table's
	 * memory at once */
	stage_close(w);
	return stage_open(w);
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

/* One more row is staged; a full stage becomes a file. */
static int
row_done(struct writer *w)
{
	if (w->d->appender_end_row(w->app) != DUCK_OK)
		return append_failed(w);
	w->staged++;
	w->stats->rows[w->ds - datasets]++;
	return w->staged >= w->max_rows ? stage_write(w) : 0;
}

static int
append_text(struct writer *w, const char *s)
{
	if (s == NULL || *s == '\0')
		return w->d->append_null(w->app);
	return w->d->append_varchar_length(w->app, s, strlen(s));
}

static int
append_money(struct writer *w, money_t v)
{
	return w->d->append_int64(w->app, v);
}

/* The columns of one SQLite row, by the dataset's kinds. */
static int
append_sqlite_row(struct writer *w, sqlite3_stmt *q)
{
	const struct duck_api *d = w->d;
	size_t i;
	int bad = 0;

	for (i = 0; i < w->ds->ncols; i++) {
		int c = (int)i;

		if (sqlite3_column_type(q, c) == SQLITE_NULL) {
			bad |= d->append_null(w->app);
			continue;
		}
		switch (w->ds->cols[i].kind) {
		case K_INT:
		case K_BIGINT:
		case K_MONEY:
			bad |= d->append_int64(w->app, sqlite3_column_int64(q,
			    c));
			break;
		case K_REAL:
			bad |= d->append_double(w->app, sqlite3_column_double(q,
			    c));
			break;
		case K_BOOL:
			bad |= d->append_bool(w->app, sqlite3_column_int(q,
			    c) != 0);
			break;
		default:
			bad |= append_text(w, (const char *)
			    sqlite3_column_text(q, c));
			break;
		}
	}
	if (bad)
		return append_failed(w);
	return row_done(w);
}

static int
db_failed(struct writer *w, sqlite3 *db)
{
	return pv_error_set(w->err, PV_ERR_FATAL, NULL, 0, "cannot read the "
	    "database: %s", sqlite3_errmsg(db));
}

/* A dataset read from the store, a payer-month at a time. */
static int
write_from_store(struct writer *w, sqlite3 *db,
    const struct export_options *o)
{
	sqlite3_stmt *pq = NULL, *q = NULL;
	int rc = -1, step;

	if (sqlite3_prepare_v2(db, partitions_sql, -1, &pq, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, w->ds->sql, -1, &q, NULL) !=
	    SQLITE_OK) {
		db_failed(w, db);
		goto out;
	}
	sqlite3_bind_text(pq, 1, o->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(pq, 2, o->month, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, o->account, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(pq)) == SQLITE_ROW) {
		const char *payer = (const char *)sqlite3_column_text(pq, 0);
		const char *month = (const char *)sqlite3_column_text(pq, 1);
		int first = 1;

		sqlite3_bind_text(q, 1, payer, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, month, -1, SQLITE_TRANSIENT);
		while ((step = sqlite3_step(q)) == SQLITE_ROW) {
			/* no folder for a payer-month without rows (one
			 * --account that has none there) */
			if (first && partition_begin(w, payer, month) != 0)
				goto out;
			first = 0;
			if (append_sqlite_row(w, q) != 0)
				goto out;
		}
		if (step != SQLITE_DONE) {
			db_failed(w, db);
			goto out;
		}
		sqlite3_reset(q);
		if (stage_write(w) != 0)
			goto out;
	}
	if (step != SQLITE_DONE) {
		db_failed(w, db);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	sqlite3_finalize(pq);
	return rc;
}

/* The feed's row f, in monthly_columns' order. */
static int
append_feed_row(struct writer *w, const struct report_feed_row *f)
{
	const struct duck_api *d = w->d;
	int bad = 0;

	bad |= d->append_int64(w->app, REPORT_FEED_SCHEMA);
	bad |= append_text(w, f->kind);
	bad |= append_text(w, f->customer_id);
	bad |= append_text(w, f->customer_name);
	bad |= append_text(w, f->account);
	bad |= append_text(w, f->account_name);
	bad |= append_text(w, f->month_status);
	bad |= d->append_int64(w->app, f->days_covered);
	bad |= append_text(w, f->as_of);
	bad |= append_text(w, f->source);
	bad |= append_text(w, f->service_code);
	bad |= append_text(w, f->service_name);
	bad |= append_text(w, f->support);
	bad |= append_text(w, f->charge_class);
	bad |= append_text(w, f->currency);
	bad |= append_money(w, f->amount);
	if (f->is_estimate) {
		bad |= append_money(w, f->low);
		bad |= append_money(w, f->high);
		/* to a tenth, as the csv says it */
		bad |= d->append_double(w->app, round(f->typical_error * 10) /
		    10);
	} else {
		bad |= d->append_null(w->app);
		bad |= d->append_null(w->app);
		bad |= d->append_null(w->app);
	}
	if (bad)
		return append_failed(w);
	return row_done(w);
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
	struct report_feed_row *rows, **by;
	size_t n = report_feed(r, &rows), i;
	int rc = -1;

	by = xcalloc(n + 1, sizeof(*by));
	for (i = 0; i < n; i++)
		by[i] = &rows[i];
	qsort(by, n, sizeof(*by), cmp_feed);
	for (i = 0; i < n; i++) {
		if ((i == 0 || strcmp(by[i]->payer, by[i - 1]->payer) != 0 ||
		    strcmp(by[i]->month, by[i - 1]->month) != 0) &&
		    (stage_write(w) != 0 ||
		    partition_begin(w, by[i]->payer, by[i]->month) != 0))
			goto out;
		if (append_feed_row(w, by[i]) != 0)
			goto out;
	}
	if (stage_write(w) != 0)
		goto out;
	rc = 0;
out:
	free(by);
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
	if ((w.d = duck_load(why, sizeof(why))) == NULL)
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
		if (make_dir(&w, path) != 0 || stage_open(&w) != 0)
			goto out;
		if (w.ds->sql != NULL ? write_from_store(&w, store_db(st), o) :
		    write_feed(&w, r))
			goto out;
		stage_close(&w);
	}
	if (write_marker(&w, r) != 0)
		goto out;
	stage_close(&w);
	if (w.con != NULL)
		w.d->disconnect(&w.con);
	if (w.db != NULL)
		w.d->close(&w.db);
	if (put_in_place(w.root, target, exists, dir, err) != 0)
		goto out;
	made = 0;
	rc = 0;
out:
	stage_close(&w);
	if (w.con != NULL)
		w.d->disconnect(&w.con);
	if (w.db != NULL)
		w.d->close(&w.db);
	if (made)
		remove_tree(w.root);
	return rc;
}
