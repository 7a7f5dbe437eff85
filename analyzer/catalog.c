/*
 * catalog.c - copy the compiled-in reference CSVs into the database,
 * and read a --catalog file.
 */
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "sha256.h"
#include "source.h"
#include "xalloc.h"

extern const char *const schema_data_names[];
extern const char *const schema_data_texts[];

/* How one data file becomes rows. */
struct loader {
	const char *file;		/* schema/NAME */
	const char *table;
	const char *header;		/* expected header, comma-separated */
	int (*row)(sqlite3 *db, const struct csv_record *rec,
	    struct pv_error *err);
};

static int
db_fail(sqlite3 *db, struct pv_error *err, const char *what)
{
	return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "database: %s: %s",
	    what, sqlite3_errmsg(db));
}

/* Run sql binding each of the n texts; fields may be NULL for "". */
static int
exec_texts(sqlite3 *db, const char *sql, const char *const *v, int n,
    struct pv_error *err)
{
	sqlite3_stmt *q;
	int i, rc;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, err, "loading reference data");
	for (i = 0; i < n; i++)
		sqlite3_bind_text(q, i + 1, v[i] != NULL ? v[i] : "", -1,
		    SQLITE_TRANSIENT);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "loading reference data");
	return 0;
}

static int
service_row(sqlite3 *db, const struct csv_record *rec, struct pv_error *err)
{
	const char *code = rec->fields[0].ptr, *name = rec->fields[1].ptr;
	const char *v[2] = { code, name };
	char *aliases, *a, *next;
	int rc = 0;

	if (exec_texts(db, "INSERT INTO service_catalog(code, name) "
	    "VALUES (?1, ?2)", v, 2, err) != 0)
		return -1;
	v[0] = code;
	v[1] = code;
	if (exec_texts(db, "INSERT OR IGNORE INTO service_alias(alias, code) "
	    "VALUES (?1, ?2)", v, 2, err) != 0)
		return -1;
	v[0] = name;
	if (exec_texts(db, "INSERT OR IGNORE INTO service_alias(alias, code) "
	    "VALUES (?1, ?2)", v, 2, err) != 0)
		return -1;
	aliases = xstrdup(rec->fields[2].ptr);
	for (a = aliases; rc == 0 && a != NULL && *a != '\0'; a = next) {
		next = strchr(a, '|');
		if (next != NULL)
			*next++ = '\0';
		v[0] = a;
		rc = exec_texts(db, "INSERT OR IGNORE INTO service_alias(alias, "
		    "code) VALUES (?1, ?2)", v, 2, err);
	}
	free(aliases);
	return rc;
}

static int
region_row(sqlite3 *db, const struct csv_record *rec, struct pv_error *err)
{
	const char *v[3] = { rec->fields[0].ptr, rec->fields[1].ptr,
	    rec->fields[2].ptr };

	return exec_texts(db, "INSERT INTO region_prefix(prefix, region, name) "
	    "VALUES (?1, ?2, ?3)", v, 3, err);
}

static int
pilvi_row(sqlite3 *db, const struct csv_record *rec, struct pv_error *err)
{
	const char *v[3] = { rec->fields[0].ptr, rec->fields[1].ptr,
	    rec->nfields > 2 ? rec->fields[2].ptr : "" };

	return exec_texts(db, "INSERT INTO pilvi_catalog(service_code, status, "
	    "note) VALUES (?1, ?2, ?3)", v, 3, err);
}

static const struct loader loaders[] = {
	{ "services.csv", "service_catalog", "code,name,aliases", service_row },
	{ "regions.csv", "region_prefix", "prefix,region,name", region_row },
	{ "pilvi-catalog.csv", "pilvi_catalog", "service_code,status,note",
	  pilvi_row },
};

struct load_ctx {
	sqlite3 *db;
	const struct loader *ld;
	int seen_header;
};

static int
header_is(const struct csv_record *rec, const char *want)
{
	char buf[256];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < rec->nfields && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
		    i ? "," : "", rec->fields[i].ptr);
	return strcmp(buf, want) == 0;
}

static int
on_data_record(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	struct load_ctx *x = ctx;
	size_t ncols = 1;
	const char *p;

	for (p = x->ld->header; *p != '\0'; p++)
		ncols += *p == ',';
	if (!x->seen_header) {
		x->seen_header = 1;
		if (!header_is(rec, x->ld->header))
			return pv_error_set(err, PV_ERR_FATAL, x->ld->file, 1,
			    "built-in data: header is not '%s'",
			    x->ld->header);
		return 0;
	}
	if (rec->nfields != ncols)
		return pv_error_set(err, PV_ERR_FATAL, x->ld->file, rec->line,
		    "built-in data: expected %zu fields, found %zu", ncols,
		    rec->nfields);
	return x->ld->row(x->db, rec, err);
}

static int
load(sqlite3 *db, const struct loader *ld, const char *text,
    struct pv_error *err)
{
	struct load_ctx x = { db, ld, 0 };
	struct csvread *r;
	char sql[128];
	int rc;

	snprintf(sql, sizeof(sql), "DELETE FROM %s", ld->table);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, "loading reference data");
	if (strcmp(ld->table, "service_catalog") == 0 &&
	    sqlite3_exec(db, "DELETE FROM service_alias", NULL, NULL,
	    NULL) != SQLITE_OK)
		return db_fail(db, err, "loading reference data");
	r = csvread_new(ld->file, NULL, on_data_record, &x);
	rc = csvread_feed(r, text, strlen(text), err) == 0 &&
	    csvread_finish(r, err) == 0 ? 0 : -1;
	csvread_free(r);
	return rc;
}

static const char *
embedded(const char *name)
{
	size_t i;

	for (i = 0; schema_data_names[i] != NULL; i++)
		if (strcmp(schema_data_names[i], name) == 0)
			return schema_data_texts[i];
	return NULL;
}

/* The SHA-256 the database holds for a data file ("" when none). */
static int
stored_version(sqlite3 *db, const char *name, char out[65],
    struct pv_error *err)
{
	sqlite3_stmt *q;
	int rc;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db, "SELECT sha256 FROM data_version WHERE "
	    "name = ?1", -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, err, "reading data versions");
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		snprintf(out, 65, "%s", sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	    db_fail(db, err, "reading data versions");
}

int
catalog_sync(sqlite3 *db, struct pv_error *err)
{
	char want[sizeof(loaders) / sizeof(loaders[0])][65], have[65];
	int stale[sizeof(loaders) / sizeof(loaders[0])], any = 0;
	size_t i;

	for (i = 0; i < sizeof(loaders) / sizeof(loaders[0]); i++) {
		const char *text = embedded(loaders[i].file);
		struct sha256 h;
		unsigned char d[32];

		if (text == NULL)
			return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "built "
			    "without schema/%s", loaders[i].file);
		sha256_init(&h);
		sha256_update(&h, text, strlen(text));
		sha256_final(&h, d);
		sha256_hex(d, want[i]);
		if (stored_version(db, loaders[i].file, have, err) != 0)
			return -1;
		stale[i] = strcmp(have, want[i]) != 0;
		any |= stale[i];
	}
	if (!any)
		return 0;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, "loading reference data");
	for (i = 0; i < sizeof(loaders) / sizeof(loaders[0]); i++) {
		const char *v[2] = { loaders[i].file, want[i] };

		if (!stale[i])
			continue;
		if (load(db, &loaders[i], embedded(loaders[i].file), err) != 0 ||
		    exec_texts(db, "INSERT OR REPLACE INTO data_version(name, "
		    "sha256) VALUES (?1, ?2)", v, 2, err) != 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(db, err, "loading reference data");
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* ---- --catalog FILE ---------------------------------------------- */

struct user_ctx {
	sqlite3 *db;
	const char *display;
	int seen_header;
	long rows;
};

static int
on_user_record(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	struct user_ctx *x = ctx;
	const char *code, *status, *v[3];

	if (!x->seen_header) {
		x->seen_header = 1;
		if (rec->nfields < 2 || strcmp(rec->fields[0].ptr,
		    "service_code") != 0 || strcmp(rec->fields[1].ptr,
		    "status") != 0)
			return pv_error_set(err, PV_ERR_INPUT, x->display, 1,
			    "a catalog starts with the header "
			    "'service_code,status,note'");
		return 0;
	}
	if (rec->nfields < 2 || rec->nfields > 3)
		return pv_error_set(err, PV_ERR_INPUT, x->display, rec->line,
		    "expected 2 or 3 fields, found %zu", rec->nfields);
	code = rec->fields[0].ptr;
	status = rec->fields[1].ptr;
	if (strcmp(status, "supported") != 0 &&
	    strcmp(status, "unsupported") != 0)
		return pv_error_set(err, PV_ERR_INPUT, x->display, rec->line,
		    "status '%s' is neither supported nor unsupported", status);
	if (*code == '\0')
		return pv_error_set(err, PV_ERR_INPUT, x->display, rec->line,
		    "empty service_code");
	v[0] = code;
	v[1] = status;
	v[2] = rec->nfields > 2 ? rec->fields[2].ptr : "";
	x->rows++;
	/* any spelling the aliases know stands for its canonical code */
	return exec_texts(x->db, "INSERT OR REPLACE INTO temp.pilvi_catalog("
	    "service_code, status, note) VALUES (COALESCE((SELECT code FROM "
	    "service_alias WHERE alias = ?1), ?1), ?2, ?3)", v, 3, err);
}

int
catalog_load_pilvi(sqlite3 *db, const char *path, struct pv_error *err)
{
	struct user_ctx x = { db, path, 0, 0 };
	struct source *src = NULL;
	struct source_limits lim;
	struct csvread *r = NULL;
	const char *member;
	char buf[65536];
	ssize_t n;
	int rc = -1;

	if (sqlite3_exec(db, "DROP TABLE IF EXISTS temp.pilvi_catalog; "
	    "CREATE TEMP TABLE pilvi_catalog (service_code TEXT PRIMARY KEY, "
	    "status TEXT NOT NULL, note TEXT NOT NULL DEFAULT '')", NULL, NULL,
	    NULL) != SQLITE_OK)
		return db_fail(db, err, "loading the catalog");
	source_limits_default(&lim);
	if (source_open(&src, path, path, &lim, err) != 0)
		goto out;
	if (source_next(src, &member, err) != 1) {
		if (err->msg[0] == '\0')
			pv_error_set(err, PV_ERR_INPUT, path, 0, "empty catalog");
		goto out;
	}
	r = csvread_new(path, NULL, on_user_record, &x);
	while ((n = source_read(src, buf, sizeof(buf), err)) > 0)
		if (csvread_feed(r, buf, (size_t)n, err) != 0)
			goto out;
	if (n < 0 || csvread_finish(r, err) != 0)
		goto out;
	if (x.rows == 0) {
		pv_error_set(err, PV_ERR_INPUT, path, 0, "the catalog lists no "
		    "service");
		goto out;
	}
	rc = 0;
out:
	csvread_free(r);
	source_free(src);
	if (rc != 0)
		sqlite3_exec(db, "DROP TABLE IF EXISTS temp.pilvi_catalog",
		    NULL, NULL, NULL);
	return rc;
}
