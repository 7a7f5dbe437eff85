/*
 * store.c - SQLite behind the ingest pipeline.
 *
 * Ownership: struct store owns the connection, its prepared statements,
 * the string caches (one per dimension table) and the aggregation table.
 * The caches map a string to its row id so most line items never touch
 * SQLite; they are emptied on rollback because the ids they hold may
 * have been rolled back with the file.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "catalog.h"
#include "delivery.h"
#include "format.h"
#include "hash64.h"
#include "xalloc.h"

extern const char *const schema_migrations[];

/* ---- string -> id cache ------------------------------------------- */

struct intern_entry {
	char *key;		/* NULL: empty slot */
	size_t len;
	uint64_t hash;
	int64_t id;
	int named;		/* account: a name is stored for it */
};

struct intern {
	struct intern_entry *v;
	size_t cap, n;
};

static void
intern_clear(struct intern *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->v[i].key);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static struct intern_entry *
intern_find(struct intern *t, const char *key, size_t len, uint64_t h)
{
	size_t i;

	if (t->cap == 0)
		return NULL;
	for (i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		struct intern_entry *e = &t->v[i];

		if (e->key == NULL)
			return NULL;
		if (e->hash == h && e->len == len &&
		    pv_mem_eq(e->key, key, len))
			return e;
	}
}

static struct intern_entry *
intern_add(struct intern *t, const char *key, size_t len, uint64_t h,
    int64_t id)
{
	size_t i;

	if ((t->n + 1) * 4 >= t->cap * 3) {
		struct intern old = *t;
		size_t j;

		t->cap = old.cap ? old.cap * 2 : 256;
		t->v = xcalloc(t->cap, sizeof(*t->v));
		t->n = 0;
		for (j = 0; j < old.cap; j++) {
			struct intern_entry *e = &old.v[j];

			if (e->key == NULL)
				continue;
			for (i = e->hash & (t->cap - 1); t->v[i].key != NULL;
			    i = (i + 1) & (t->cap - 1))
				;
			t->v[i] = *e;
			t->n++;
		}
		free(old.v);
	}
	for (i = h & (t->cap - 1); t->v[i].key != NULL;
	    i = (i + 1) & (t->cap - 1))
		;
	t->v[i].key = xstrndup(key, len);
	t->v[i].len = len;
	t->v[i].hash = h;
	t->v[i].id = id;
	t->v[i].named = 0;
	t->n++;
	return &t->v[i];
}

/* ---- aggregation of line items ------------------------------------ */

enum dim {
	DIM_ACCOUNT, DIM_SERVICE, DIM_USAGE_TYPE, DIM_OPERATION,
	DIM_LOCATION, DIM_RESOURCE, DIM_LINE_TYPE, DIM_CURRENCY, NDIM
};

/* The last-hit slots (struct store): one per dimension, and the
 * payer's. */
#define LAST_PAYER	NDIM
#define NLAST		(NDIM + 1)

struct agg_key {
	int64_t payer, account, service, usage_type, operation, location,
	    resource, line_type, currency;
	int32_t day;		/* days since 1970-01-01 */
	int32_t period;		/* year * 12 + month - 1 */
	int32_t span;
	uint8_t cls, view, tagged;
};

struct agg_entry {
	struct agg_key k;
	int32_t first_day, last_day;	/* cost_month: days covered */
	double quantity;
	money_t cost, blended;
	int has_blended;
	int64_t count;
};

#define AGG_FLUSH_AT (1u << 15)	/* entries held before a batch write */

/*
 * A line item waiting to be summed into its entry. The slots of the
 * table are spread over half a megabyte, and finding a line's slot
 * missed the cache on most lines (perf: 5 % of a DBR-RT ingest's
 * samples on that one load): a line's slot is fetched when its key is
 * known and the line summed AGG_AHEAD lines later, in the same order.
 */
#define AGG_AHEAD	4

struct agg_pending {
	struct agg_key k;
	uint64_t hash;		/* agg_hash(&k) */
	double quantity;
	money_t cost, blended;
	int has_blended;
};

/* Entries in the order first seen, found through a table of slots that
 * each hold the upper half of a key's hash and the entry's index + 1 (0:
 * free). Probing stays in the slots, 8 bytes each; only a likely match
 * touches an entry. The table doubles when half full. */
struct agg {
	struct agg_entry *v;	/* cap / 2 of them */
	size_t n;
	uint64_t *slot;
	size_t cap;		/* slots: a power of two */
};

/* ---- the store ---------------------------------------------------- */

enum stmt {
	S_DIM_ACCOUNT, S_DIM_SERVICE, S_DIM_USAGE_TYPE, S_DIM_OPERATION,
	S_DIM_LOCATION, S_DIM_RESOURCE, S_DIM_LINE_TYPE,
	S_INSERT_LINE, S_INSERT_MONTH, S_INSERT_DAY, NSTMT
};

static const char *const stmt_sql[NSTMT] = {
	[S_DIM_ACCOUNT] = "INSERT INTO account(account_id, name) "
	    "VALUES (?1, NULLIF(?2, '')) ON CONFLICT(account_id) DO UPDATE "
	    "SET name = COALESCE(excluded.name, account.name) RETURNING id",
	[S_DIM_SERVICE] = "INSERT INTO service(code, name) VALUES (?1, ?2) "
	    "ON CONFLICT(code, name) DO UPDATE SET code = excluded.code "
	    "RETURNING id",
	[S_DIM_USAGE_TYPE] = "INSERT INTO usage_type(name) VALUES (?1) "
	    "ON CONFLICT(name) DO UPDATE SET name = excluded.name RETURNING id",
	[S_DIM_OPERATION] = "INSERT INTO operation(name) VALUES (?1) "
	    "ON CONFLICT(name) DO UPDATE SET name = excluded.name RETURNING id",
	[S_DIM_LOCATION] = "INSERT INTO location(region, az) VALUES (?1, ?2) "
	    "ON CONFLICT(region, az) DO UPDATE SET az = excluded.az "
	    "RETURNING id",
	[S_DIM_RESOURCE] = "INSERT INTO resource(resource_id) VALUES (?1) "
	    "ON CONFLICT(resource_id) DO UPDATE SET resource_id = "
	    "excluded.resource_id RETURNING id",
	[S_DIM_LINE_TYPE] = "INSERT INTO line_type(name) VALUES (?1) "
	    "ON CONFLICT(name) DO UPDATE SET name = excluded.name RETURNING id",
	[S_INSERT_LINE] = "INSERT INTO cost_line(file_id, payer, period, day, "
	    "span_days, account, service, usage_type, operation, location, "
	    "resource, line_type, class, view, currency, quantity, cost, "
	    "blended, line_items, tagged) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
	[S_INSERT_MONTH] = "INSERT INTO cost_month(file_id, payer, period, "
	    "account, service, usage_type, operation, location, resource, "
	    "line_type, class, view, currency, tagged, first_day, last_day, "
	    "quantity, cost, blended, line_items) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
	    "?20)",
	[S_INSERT_DAY] = "INSERT INTO cost_day(file_id, payer, period, day, "
	    "span_days, account, service, usage_type, line_type, class, view, "
	    "currency, cost, line_items) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?8, ?9, ?10, ?11, ?12, ?13, ?14)",
};

struct store {
	sqlite3 *db;
	char *name;		/* "database 'PATH'" or "memory database", for errors */
	sqlite3_stmt *st[NSTMT];
	struct intern dims[NDIM];
	/* each dimension's last hit: line items in a row often repeat
	 * names (a slot index; -1 none, and reset when a table grows);
	 * the payer's apart from the usage account's, which alternate on
	 * every line (one slot for both never hit) */
	long last[NLAST];
	char **currencies;	/* DIM_CURRENCY ids index this */
	size_t ncurrencies, currencies_cap;
	struct agg agg;
	struct agg_pending ahead[AGG_AHEAD];	/* lines for agg, oldest at
						 * ahead_head */
	size_t ahead_head, nahead;
	/* the file's cost_month and cost_day rows, summed from what each
	 * flush of agg writes, and written at commit */
	struct agg month, day;
	int month_batches, day_batches;	/* how many times each was written
					 * for the file */
	int64_t file_id;	/* file being ingested, 0 when none */
	int lock_fd;		/* the database file, flocked while setting up */
	/* the last billing period seen, as (time, month index, its days) */
	pv_time memo_period;
	int32_t memo_month, memo_days;
	int in_tx;
};

static int
db_error(struct store *st, struct pv_error *err, const char *what)
{
	return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "%s: %s: %s",
	    st->name, what, sqlite3_errmsg(st->db));
}

static int
exec(struct store *st, const char *sql, struct pv_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		pv_error_set(err, PV_ERR_FATAL, NULL, 0, "%s: %s", st->name,
		    msg != NULL ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
store_schema_version(void)
{
	int n = 0;

	while (schema_migrations[n] != NULL)
		n++;
	return n;
}

static int
schema_version(struct store *st, int *have, struct pv_error *err)
{
	sqlite3_stmt *q;
	int rc;

	*have = 0;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q,
	    NULL) != SQLITE_OK)
		return db_error(st, err, "reading the schema version");
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*have = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return db_error(st, err, "reading the schema version");
	return 0;
}

static int
check_version(struct store *st, struct pv_error *err)
{
	int have, want = store_schema_version();

	if (schema_version(st, &have, err) != 0)
		return -1;
	if (have > want)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "%s was made "
		    "by a newer pilvi-analyzer (schema %d; this build knows "
		    "%d): upgrade pilvi-analyzer", st->name, have, want);
	return 0;
}

/*
 * Apply the migrations the database lacks, one transaction each. The
 * version is read again inside each transaction: two processes opening
 * a new database at once must not both apply the same migration. An
 * up-to-date database is left without taking a write lock.
 */
static int
migrate(struct store *st, struct pv_error *err)
{
	int have, want = store_schema_version();
	char sql[64];

	/* the usual case, read without a write lock: a report or a files
	 * listing must not wait for an ingest to commit */
	if (schema_version(st, &have, err) != 0)
		return -1;
	if (have >= want)
		return 0;
	for (;;) {
		if (exec(st, "BEGIN IMMEDIATE", err) != 0)
			return -1;
		if (schema_version(st, &have, err) != 0)
			goto fail;
		if (have >= want)
			return exec(st, "COMMIT", err);
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		    have + 1);
		if (exec(st, schema_migrations[have], err) != 0 ||
		    exec(st, sql, err) != 0)
			goto fail;
		if (exec(st, "COMMIT", err) != 0)
			goto fail;
	}
fail:
	exec(st, "ROLLBACK", NULL);
	return -1;
}

/*
 * Open (creating it 0600) and flock the database file for setting up.
 * The descriptor stays open until store_close: closing it while SQLite
 * has the file open would drop SQLite's own POSIX locks on it.
 */
static int
lock_setup(struct store *st, const char *path, struct pv_error *err)
{
	st->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	/* even the commands that only read write the WAL index beside it */
	if (st->lock_fd < 0 && (errno == EACCES || errno == EROFS ||
	    errno == EPERM))
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "database '%s' "
		    "cannot be written (%s): pilvi-analyzer needs to write "
		    "it, even to read it", path, strerror(errno));
	if (st->lock_fd < 0)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot open "
		    "database '%s': %s", path, strerror(errno));
	while (flock(st->lock_fd, LOCK_EX) != 0)
		if (errno != EINTR)
			return pv_error_set(err, PV_ERR_FATAL, NULL, 0,
			    "cannot lock database '%s': %s", path,
			    strerror(errno));
	return 0;
}

/* Forget the last hits: a table grew (its slots moved) or was emptied. */
static void
last_reset(struct store *st)
{
	size_t i;

	for (i = 0; i < NLAST; i++)
		st->last[i] = -1;
}

int
store_open(struct store **out, const char *path, struct pv_error *err)
{
	struct store *st = xcalloc(1, sizeof(*st));
	/* NOMUTEX: one thread uses a connection (the reading thread of
	 * readahead.c never touches SQLite); SQLite's own locks were 5 % of
	 * an ingest of bench/gen-alt.py's lines */
	int i, flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX;
	size_t n = path != NULL ? strlen(path) + 16 : 32;

	last_reset(st);
	st->lock_fd = -1;
	st->name = xmalloc(n);
	if (path != NULL)
		snprintf(st->name, n, "database '%s'", path);
	else
		snprintf(st->name, n, "memory database");

	/* Billing data is confidential: a new database is created private
	 * (SQLite gives its -wal and -shm files the same mode; the umask can
	 * only take more away). Setting up (journal mode, migrations) is
	 * done by one process at a time, under an flock of the file: two
	 * first opens at once could otherwise find each other switching to
	 * WAL and fail with "database is locked". */
	if (path != NULL && lock_setup(st, path, err) != 0)
		goto fail;
	if (sqlite3_open_v2(path != NULL ? path : ":memory:", &st->db, flags,
	    NULL) != SQLITE_OK) {
		pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot open database "
		    "'%s': %s", path != NULL ? path : ":memory:",
		    st->db != NULL ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	sqlite3_extended_result_codes(st->db, 1);
	/* A database made by a newer build is refused before anything,
	 * even the journal mode, is changed in it. */
	if (check_version(st, err) != 0)
		goto fail;
	/* WAL: readers go on while a file is ingested, and a crash never
	 * leaves half a file; NORMAL sync is safe with WAL. A 4 MiB page
	 * cache: ingest appends, and reports read the small summaries, so
	 * more only made memory grow with the database. Sorts and temporary
	 * tables spill to a file rather than grow in memory. */
	if ((path != NULL && exec(st, "PRAGMA journal_mode = WAL", err) != 0) ||
	    exec(st, "PRAGMA synchronous = NORMAL", err) != 0 ||
	    exec(st, "PRAGMA cache_size = -4096", err) != 0 ||
	    exec(st, "PRAGMA temp_store = FILE", err) != 0)
		goto fail;
	if (migrate(st, err) != 0 || catalog_sync(st->db, err) != 0)
		goto fail;
	for (i = 0; i < NSTMT; i++) {
		if (sqlite3_prepare_v3(st->db, stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->st[i], NULL) != SQLITE_OK) {
			db_error(st, err, "preparing statements");
			goto fail;
		}
	}
	if (st->lock_fd >= 0)
		flock(st->lock_fd, LOCK_UN);
	*out = st;
	return 0;
fail:
	if (err != NULL && err->msg[0] == '\0')
		pv_error_set(err, PV_ERR_FATAL, NULL, 0, "cannot open database");
	store_close(st);
	return -1;
}

static void
agg_clear(struct agg *a)
{
	free(a->v);
	free(a->slot);
	memset(a, 0, sizeof(*a));
}

static void
caches_clear(struct store *st)
{
	size_t i;

	for (i = 0; i < NDIM; i++)
		intern_clear(&st->dims[i]);
	last_reset(st);
	for (i = 0; i < st->ncurrencies; i++)
		free(st->currencies[i]);
	free(st->currencies);
	st->currencies = NULL;
	st->ncurrencies = st->currencies_cap = 0;
}

void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	if (st->in_tx)
		store_rollback_file(st);
	for (i = 0; i < NSTMT; i++)
		sqlite3_finalize(st->st[i]);
	caches_clear(st);
	agg_clear(&st->agg);
	agg_clear(&st->month);
	agg_clear(&st->day);
	sqlite3_close(st->db);
	if (st->lock_fd >= 0)
		close(st->lock_fd);
	free(st->name);
	free(st);
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

int
store_prepare_reading(struct store *st, struct pv_error *err)
{
	return exec(st, "DROP TABLE IF EXISTS temp.service_ident; "
	    "CREATE TEMP TABLE service_ident (service INTEGER PRIMARY KEY, "
	    "code TEXT, name TEXT, unknown INTEGER); "
	    "INSERT INTO temp.service_ident "
	    "SELECT service, code, name, unknown FROM main.service_identity",
	    err);
}

int
store_begin_file(struct store *st, const char *name, struct pv_error *err)
{
	sqlite3_stmt *q = NULL;
	char now[21];

	if (exec(st, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	st->in_tx = 1;
	st->month_batches = st->day_batches = 0;
	date_now_iso(now);
	if (sqlite3_prepare_v2(st->db, "INSERT INTO file(name, sha256, size, "
	    "container, format, detail_rank, rows, status, ingested_at) "
	    "VALUES (?1, '', 0, '', '', 0, 0, 'ok', ?2)", -1, &q,
	    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, now, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(q);
	st->file_id = sqlite3_last_insert_rowid(st->db);
	return 0;
fail:
	db_error(st, err, "registering the file");
	sqlite3_finalize(q);
	store_rollback_file(st);
	return -1;
}

void
store_rollback_file(struct store *st)
{
	if (st->in_tx)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
	st->file_id = 0;
	st->nahead = 0;
	agg_clear(&st->agg);
	agg_clear(&st->month);
	agg_clear(&st->day);
	/* Ids made inside the transaction are gone with it. */
	caches_clear(st);
}

/* Is e the key of (a) or, for two-part dimensions, (a, b)? */
static int
same_key(const struct intern_entry *e, struct pv_str a, struct pv_str b,
    int two)
{
	if (!two)
		return e->len == a.n && pv_mem_eq(e->key, a.p, a.n);
	return e->len == a.n + 1 + b.n && (a.n == 0 ||
	    pv_mem_eq(e->key, a.p, a.n)) && e->key[a.n] == '\x1f' &&
	    (b.n == 0 || pv_mem_eq(e->key + a.n + 1, b.p, b.n));
}

/* Row id for a dimension value; 0 for an empty one (stored as NULL).
 * at: the last-hit slot to try first (d, or LAST_PAYER). */
static int
dim_id(struct store *st, enum dim d, int at, struct pv_str a,
    struct pv_str b, int64_t *id, struct pv_error *err)
{
	static const enum stmt stmts[] = {
		S_DIM_ACCOUNT, S_DIM_SERVICE, S_DIM_USAGE_TYPE,
		S_DIM_OPERATION, S_DIM_LOCATION, S_DIM_RESOURCE,
		S_DIM_LINE_TYPE
	};
	struct intern_entry *e;
	sqlite3_stmt *q;
	uint64_t h;
	char keybuf[1024];
	const char *key = a.p;
	size_t len = a.n;
	int two = d == DIM_SERVICE || d == DIM_LOCATION;

	if (a.n == 0 && (!two || b.n == 0)) {
		*id = 0;
		return 0;
	}
	if (st->last[at] >= 0) {
		e = &st->dims[d].v[st->last[at]];
		if (same_key(e, a, b, two) &&
		    (d != DIM_ACCOUNT || e->named || b.n == 0)) {
			*id = e->id;
			return 0;
		}
	}
	if (two) {
		/* cache key "a\x1fb"; longer pairs bypass the cache */
		if (a.n + b.n + 1 <= sizeof(keybuf)) {
			if (a.n > 0)	/* an empty slice may have no pointer */
				memcpy(keybuf, a.p, a.n);
			keybuf[a.n] = '\x1f';
			if (b.n > 0)
				memcpy(keybuf + a.n + 1, b.p, b.n);
			key = keybuf;
			len = a.n + b.n + 1;
		} else
			key = NULL;
	}
	/* hash64_bytes: resource ids run to 100 bytes and every line item
	 * hashes eight names */
	h = key != NULL ? hash64_bytes(key, len, 0xcbf29ce484222325ULL) : 0;
	e = key != NULL ? intern_find(&st->dims[d], key, len, h) : NULL;
	if (e != NULL && (d != DIM_ACCOUNT || e->named || b.n == 0)) {
		st->last[at] = (long)(e - st->dims[d].v);
		*id = e->id;
		return 0;
	}
	q = st->st[stmts[d]];
	/* an empty slice may have a NULL pointer: bind "" (never NULL) */
	sqlite3_bind_text(q, 1, a.n ? a.p : "", (int)a.n, SQLITE_TRANSIENT);
	if (two || d == DIM_ACCOUNT)
		sqlite3_bind_text(q, 2, b.n ? b.p : "", (int)b.n,
		    SQLITE_TRANSIENT);
	if (sqlite3_step(q) != SQLITE_ROW) {
		db_error(st, err, "storing a name");
		sqlite3_reset(q);
		return -1;
	}
	*id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (key != NULL) {
		if (e == NULL) {
			size_t cap = st->dims[d].cap;

			e = intern_add(&st->dims[d], key, len, h, *id);
			if (st->dims[d].cap != cap)	/* the slots moved */
				last_reset(st);
		}
		if (d == DIM_ACCOUNT && b.n > 0)
			e->named = 1;
		st->last[at] = (long)(e - st->dims[d].v);
	}
	return 0;
}

static int64_t
currency_id(struct store *st, struct pv_str c)
{
	size_t i;

	if (c.n == 0) {
		/* DBRs state no currency: they are in USD (formats.md §9). */
		c.p = "USD";
		c.n = 3;
	}
	for (i = 0; i < st->ncurrencies; i++)
		if (strlen(st->currencies[i]) == c.n &&
		    memcmp(st->currencies[i], c.p, c.n) == 0)
			return (int64_t)i;
	st->currencies = xgrow(st->currencies, &st->currencies_cap,
	    st->ncurrencies + 1, sizeof(*st->currencies));
	st->currencies[st->ncurrencies] = xstrndup(c.p, c.n);
	return (int64_t)st->ncurrencies++;
}

static uint64_t
agg_hash(const struct agg_key *k)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	const int64_t parts[] = { k->payer, k->account, k->service,
	    k->usage_type, k->operation, k->location, k->resource,
	    k->line_type, k->currency, k->day, k->period, k->span,
	    (int64_t)k->cls << 16 | k->view << 8 | k->tagged };
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		h ^= (uint64_t)parts[i];
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	return h;
}

static int
agg_key_eq(const struct agg_key *a, const struct agg_key *b)
{
	return a->payer == b->payer && a->account == b->account &&
	    a->service == b->service && a->usage_type == b->usage_type &&
	    a->operation == b->operation && a->location == b->location &&
	    a->resource == b->resource && a->line_type == b->line_type &&
	    a->currency == b->currency && a->day == b->day &&
	    a->period == b->period && a->span == b->span &&
	    a->cls == b->cls && a->view == b->view && a->tagged == b->tagged;
}

static void
bind_id(sqlite3_stmt *q, int i, int64_t id)
{
	if (id == 0)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_int64(q, i, id);
}

static struct agg_entry *agg_slot(struct agg *a, const struct agg_key *k);
static struct agg_entry *agg_slot_hashed(struct agg *a,
    const struct agg_key *k, uint64_t h);
static int month_flush(struct store *st, struct pv_error *err);
static int day_flush(struct store *st, struct pv_error *err);
static void agg_reset(struct agg *a);

/* Sum an entry of cost_line's aggregation into the file's cost_month and
 * cost_day rows. */
static int
agg_derive(struct store *st, const struct agg_entry *e, struct pv_error *err)
{
	struct agg_key k = e->k;
	struct agg_entry *m;
	int32_t last = e->k.day + e->k.span - 1;

	/* cost_month: all but the day, with the days it covers */
	k.day = 0;
	k.span = 0;
	m = agg_slot(&st->month, &k);
	if (m->count == 0 || e->k.day < m->first_day)
		m->first_day = e->k.day;
	if (m->count == 0 || last > m->last_day)
		m->last_day = last;
	m->quantity += e->quantity;
	if (money_add(&m->cost, e->cost) != 0 ||
	    money_add(&m->blended, e->blended) != 0)
		goto overflow;
	m->has_blended |= e->has_blended;
	m->count += e->count;

	/* cost_day: the day, without names below the service; the usage
	 * type stays where a line is not daily usage (fees need it) */
	k = e->k;
	k.operation = k.location = k.resource = 0;
	k.tagged = 0;
	if ((k.cls == CHARGE_USAGE || k.cls == CHARGE_DISCOUNT) && k.span == 1)
		k.usage_type = 0;
	m = agg_slot(&st->day, &k);
	if (money_add(&m->cost, e->cost) != 0)
		goto overflow;
	m->count += e->count;
	return 0;
overflow:
	return pv_error_set(err, PV_ERR_INPUT, NULL, 0, "amounts overflow the "
	    "64-bit sum");
}

/* Bind what every line table has: file, payer and period. */
static void
bind_head(struct store *st, sqlite3_stmt *q, const struct agg_key *k)
{
	char period[8];
	int y = k->period / 12, m = k->period % 12 + 1;

	/* years are 1970..9999 (date_parse checks) */
	date_format_month(date_days_from_civil(y, m, 1) * 86400, period);
	sqlite3_bind_int64(q, 1, st->file_id);
	sqlite3_bind_int64(q, 2, k->payer);
	sqlite3_bind_text(q, 3, period, -1, SQLITE_TRANSIENT);
}

static int
step_insert(struct store *st, sqlite3_stmt *q, struct pv_error *err)
{
	int rc = sqlite3_step(q);

	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return db_error(st, err, "writing line items");
	return 0;
}

static int
agg_flush(struct store *st, struct pv_error *err)
{
	sqlite3_stmt *q = st->st[S_INSERT_LINE];
	size_t i;

	for (i = 0; i < st->agg.n; i++) {
		struct agg_entry *e = &st->agg.v[i];
		char day[11];

		/* the summaries are bounded too: a file with more keys than
		 * that writes a key's sums in several rows, which every
		 * query adds up */
		if (agg_derive(st, e, err) != 0 ||
		    (st->month.n >= AGG_FLUSH_AT && month_flush(st, err) != 0) ||
		    (st->day.n >= AGG_FLUSH_AT && day_flush(st, err) != 0))
			return -1;
		date_format_day((pv_time)e->k.day * 86400, day);
		bind_head(st, q, &e->k);
		sqlite3_bind_text(q, 4, day, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(q, 5, e->k.span);
		sqlite3_bind_int64(q, 6, e->k.account);
		bind_id(q, 7, e->k.service);
		bind_id(q, 8, e->k.usage_type);
		bind_id(q, 9, e->k.operation);
		bind_id(q, 10, e->k.location);
		bind_id(q, 11, e->k.resource);
		bind_id(q, 12, e->k.line_type);
		sqlite3_bind_text(q, 13, charge_class_name(e->k.cls), -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(q, 14, e->k.view);
		sqlite3_bind_text(q, 15, st->currencies[e->k.currency], -1,
		    SQLITE_STATIC);
		sqlite3_bind_double(q, 16, e->quantity);
		sqlite3_bind_int64(q, 17, e->cost);
		if (e->has_blended)
			sqlite3_bind_int64(q, 18, e->blended);
		else
			sqlite3_bind_null(q, 18);
		sqlite3_bind_int64(q, 19, e->count);
		sqlite3_bind_int(q, 20, e->k.tagged);
		if (step_insert(st, q, err) != 0)
			return -1;
	}
	agg_reset(&st->agg);
	return 0;
}

/* Empty a table for reuse, keeping its memory. */
static void
agg_reset(struct agg *a)
{
	if (a->slot != NULL)
		memset(a->slot, 0, a->cap * sizeof(*a->slot));
	a->n = 0;
}

/* The cost_month rows summed so far. */
static int
month_flush(struct store *st, struct pv_error *err)
{
	sqlite3_stmt *q = st->st[S_INSERT_MONTH];
	size_t i;

	for (i = 0; i < st->month.n; i++) {
		struct agg_entry *e = &st->month.v[i];
		char first[11], last[11];

		date_format_day((pv_time)e->first_day * 86400, first);
		date_format_day((pv_time)e->last_day * 86400, last);
		bind_head(st, q, &e->k);
		sqlite3_bind_int64(q, 4, e->k.account);
		bind_id(q, 5, e->k.service);
		bind_id(q, 6, e->k.usage_type);
		bind_id(q, 7, e->k.operation);
		bind_id(q, 8, e->k.location);
		bind_id(q, 9, e->k.resource);
		bind_id(q, 10, e->k.line_type);
		sqlite3_bind_text(q, 11, charge_class_name(e->k.cls), -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(q, 12, e->k.view);
		sqlite3_bind_text(q, 13, st->currencies[e->k.currency], -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(q, 14, e->k.tagged);
		sqlite3_bind_text(q, 15, first, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 16, last, -1, SQLITE_TRANSIENT);
		sqlite3_bind_double(q, 17, e->quantity);
		sqlite3_bind_int64(q, 18, e->cost);
		if (e->has_blended)
			sqlite3_bind_int64(q, 19, e->blended);
		else
			sqlite3_bind_null(q, 19);
		sqlite3_bind_int64(q, 20, e->count);
		if (step_insert(st, q, err) != 0)
			return -1;
	}
	st->month_batches += st->month.n > 0;
	agg_reset(&st->month);
	return 0;
}

/* The cost_day rows summed so far. */
static int
day_flush(struct store *st, struct pv_error *err)
{
	sqlite3_stmt *q = st->st[S_INSERT_DAY];
	size_t i;

	for (i = 0; i < st->day.n; i++) {
		struct agg_entry *e = &st->day.v[i];
		char day[11];

		date_format_day((pv_time)e->k.day * 86400, day);
		bind_head(st, q, &e->k);
		sqlite3_bind_text(q, 4, day, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(q, 5, e->k.span);
		sqlite3_bind_int64(q, 6, e->k.account);
		bind_id(q, 7, e->k.service);
		bind_id(q, 8, e->k.usage_type);
		bind_id(q, 9, e->k.line_type);
		sqlite3_bind_text(q, 10, charge_class_name(e->k.cls), -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(q, 11, e->k.view);
		sqlite3_bind_text(q, 12, st->currencies[e->k.currency], -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(q, 13, e->cost);
		sqlite3_bind_int64(q, 14, e->count);
		if (step_insert(st, q, err) != 0)
			return -1;
	}
	st->day_batches += st->day.n > 0;
	agg_reset(&st->day);
	return 0;
}

/*
 * A file with more keys than a batch holds wrote a key's sums in several
 * rows; at commit they become one row a key, so that every report reads
 * fewer (a month of 183 k resources in 500 k lines: 456 k rows, 183 k
 * after). SQLite sorts in its temporary file: memory stays bounded.
 */
static int
compact(struct store *st, const char *table, const char *columns,
    const char *keys, struct pv_error *err)
{
	struct pv_error ignored;
	char sql[1024];
	int rc;

	snprintf(sql, sizeof(sql), "CREATE TEMP TABLE compacted AS SELECT "
	    "%s FROM main.%s WHERE file_id = %lld GROUP BY %s; "
	    "DELETE FROM main.%s WHERE file_id = %lld; "
	    "INSERT INTO main.%s SELECT * FROM temp.compacted",
	    columns, table, (long long)st->file_id, keys, table,
	    (long long)st->file_id, table);
	rc = exec(st, sql, err);
	if (exec(st, "DROP TABLE IF EXISTS temp.compacted", rc == 0 ? err :
	    &ignored) != 0)
		rc = -1;
	return rc;
}

/* At commit: the rest of the file's cost_month and cost_day rows, one a
 * key. */
static int
derived_flush(struct store *st, struct pv_error *err)
{
	if (month_flush(st, err) != 0 || day_flush(st, err) != 0)
		return -1;
	agg_clear(&st->month);
	agg_clear(&st->day);
	/* the columns in the table's order; the keys with the most
	 * values first, so that the sort compares less */
	if (st->month_batches > 1 && compact(st, "cost_month", "file_id, "
	    "payer, period, account, service, usage_type, operation, "
	    "location, resource, line_type, class, view, currency, tagged, "
	    "MIN(first_day), MAX(last_day), SUM(quantity), SUM(cost), "
	    "SUM(blended), SUM(line_items)", "resource, usage_type, account, "
	    "service, operation, location, line_type, class, view, currency, "
	    "tagged, payer, period", err) != 0)
		return -1;
	if (st->day_batches > 1 && compact(st, "cost_day", "file_id, payer, "
	    "period, day, span_days, account, service, usage_type, "
	    "line_type, class, view, currency, SUM(cost), SUM(line_items)",
	    "account, service, day, usage_type, span_days, line_type, class, "
	    "view, currency, payer, period", err) != 0)
		return -1;
	st->month_batches = st->day_batches = 0;
	return 0;
}

/* Room for one more entry: the first table, or one twice the size. */
static void
agg_grow(struct agg *a)
{
	size_t i, j, cap = a->cap ? a->cap * 2 : 1024;

	free(a->slot);
	a->slot = xcalloc(cap, sizeof(*a->slot));
	a->v = xrealloc(a->v, cap / 2 * sizeof(*a->v));
	a->cap = cap;
	for (i = 0; i < a->n; i++) {
		uint64_t h = agg_hash(&a->v[i].k);

		for (j = h & (cap - 1); a->slot[j] != 0; j = (j + 1) & (cap - 1))
			;
		a->slot[j] = (h >> 32) << 32 | (uint64_t)(i + 1);
	}
}

static struct agg_entry *
agg_slot(struct agg *a, const struct agg_key *k)
{
	return agg_slot_hashed(a, k, agg_hash(k));
}

/* agg_slot with h = agg_hash(k) already made. */
static struct agg_entry *
agg_slot_hashed(struct agg *a, const struct agg_key *k, uint64_t h)
{
	uint64_t tag = h >> 32;
	size_t i;

	if (a->n + 1 > a->cap / 2)
		agg_grow(a);
	for (i = h & (a->cap - 1);; i = (i + 1) & (a->cap - 1)) {
		uint64_t s = a->slot[i];
		struct agg_entry *e;

		if (s == 0) {
			e = &a->v[a->n];
			memset(e, 0, sizeof(*e));
			e->k = *k;
			a->slot[i] = tag << 32 | (uint64_t)(a->n + 1);
			a->n++;
			return e;
		}
		if (s >> 32 == tag) {
			e = &a->v[(uint32_t)s - 1];
			if (agg_key_eq(&e->k, k))
				return e;
		}
	}
}

/* Sum the oldest line waiting into its entry. Returns 0 or -1. */
static int
agg_sum_oldest(struct store *st, struct pv_error *err)
{
	struct agg_pending *p = &st->ahead[st->ahead_head];
	struct agg_entry *e;

	st->ahead_head = (st->ahead_head + 1) % AGG_AHEAD;
	st->nahead--;
	e = agg_slot_hashed(&st->agg, &p->k, p->hash);
	e->quantity += p->quantity;
	/* per-key sums cannot overflow unless the file total does, which
	 * ingest checks first; still, never wrap silently */
	if (money_add(&e->cost, p->cost) != 0 ||
	    (p->has_blended && money_add(&e->blended, p->blended) != 0))
		return pv_error_set(err, PV_ERR_INPUT, NULL, 0, "amounts "
		    "overflow the 64-bit sum");
	e->has_blended |= p->has_blended;
	e->count++;
	if (st->agg.n >= AGG_FLUSH_AT)
		return agg_flush(st, err);
	return 0;
}

/* Sum every line waiting. */
static int
agg_sum_waiting(struct store *st, struct pv_error *err)
{
	while (st->nahead > 0)
		if (agg_sum_oldest(st, err) != 0)
			return -1;
	return 0;
}

int
store_add_charge(struct store *st, const struct charge *c,
    struct pv_error *err)
{
	static const struct pv_str none = { "", 0 };
	struct agg_key k;
	struct agg_pending *p;
	int64_t start, span;
	int y, m, d;

	memset(&k, 0, sizeof(k));
	if (dim_id(st, DIM_ACCOUNT, LAST_PAYER, c->payer, c->payer_name,
	    &k.payer, err) != 0 ||
	    dim_id(st, DIM_ACCOUNT, DIM_ACCOUNT, c->account, c->account_name,
	    &k.account, err) != 0 ||
	    dim_id(st, DIM_SERVICE, DIM_SERVICE, c->service_code,
	    c->service_name, &k.service, err) != 0 ||
	    dim_id(st, DIM_USAGE_TYPE, DIM_USAGE_TYPE, c->usage_type, none,
	    &k.usage_type, err) != 0 ||
	    dim_id(st, DIM_OPERATION, DIM_OPERATION, c->operation, none,
	    &k.operation, err) != 0 ||
	    dim_id(st, DIM_LOCATION, DIM_LOCATION, c->region, c->az,
	    &k.location, err) != 0 ||
	    dim_id(st, DIM_RESOURCE, DIM_RESOURCE, c->resource, none,
	    &k.resource, err) != 0 ||
	    dim_id(st, DIM_LINE_TYPE, DIM_LINE_TYPE, c->line_type, none,
	    &k.line_type, err) != 0)
		return -1;
	k.currency = currency_id(st, c->currency);
	start = c->start >= 0 ? c->start : c->period;
	k.day = (int32_t)(start / 86400);
	span = c->end > start ? (c->end - start + 86399) / 86400 : 1;
	if (c->period != st->memo_period || st->memo_days == 0) {
		date_civil_from_days(c->period / 86400, &y, &m, &d);
		st->memo_period = c->period;
		st->memo_month = y * 12 + m - 1;
		st->memo_days = date_days_in_month(y, m);
	}
	if (c->start < 0)	/* an undated line belongs to the whole month */
		span = st->memo_days;
	k.span = (int32_t)(span < 1 ? 1 : span);
	k.period = st->memo_month;
	k.cls = (uint8_t)c->cls;
	k.view = (uint8_t)c->view;
	k.tagged = c->tagged != 0;
	if (st->nahead == AGG_AHEAD && agg_sum_oldest(st, err) != 0)
		return -1;
	p = &st->ahead[(st->ahead_head + st->nahead++) % AGG_AHEAD];
	p->k = k;
	p->hash = agg_hash(&k);
	p->quantity = c->quantity;
	p->cost = c->cost;
	p->blended = c->blended;
	p->has_blended = c->has_blended;
	if (st->agg.slot != NULL)
		__builtin_prefetch(&st->agg.slot[p->hash & (st->agg.cap - 1)]);
	return 0;
}

int
store_find_sha256(struct store *st, const char *sha256, long long *id,
    char **name, struct pv_error *err)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(st->db, "SELECT id, name FROM file WHERE "
	    "sha256 = ?1 AND id != ?2 ORDER BY id LIMIT 1", -1, &q,
	    NULL) != SQLITE_OK)
		return db_error(st, err, "looking up the file");
	sqlite3_bind_text(q, 1, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, st->file_id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(q, 0);
		*name = xstrdup((const char *)sqlite3_column_text(q, 1));
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = db_error(st, err, "looking up the file");
	sqlite3_finalize(q);
	return rc;
}

/* Run sql with the given text/int64 parameters ("t" / "i" per char). */
static int
run(struct store *st, const char *sql, const char *types,
    struct pv_error *err, ...)
{
	sqlite3_stmt *q;
	va_list ap;
	int i, rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_error(st, err, "preparing");
	va_start(ap, err);
	for (i = 0; types[i] != '\0'; i++) {
		if (types[i] == 't') {
			const char *s = va_arg(ap, const char *);

			if (s == NULL)
				sqlite3_bind_null(q, i + 1);
			else
				sqlite3_bind_text(q, i + 1, s, -1,
				    SQLITE_TRANSIENT);
		} else
			sqlite3_bind_int64(q, i + 1, va_arg(ap, int64_t));
	}
	va_end(ap);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		;
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_error(st, err, "writing");
	return 0;
}

/* The tables that hold a file's line items: cost_line and its summaries.
 * Whatever changes a file's lines changes all three alike. */
static const char *const line_tables[] = {
	"cost_line", "cost_month", "cost_day"
};
#define NLINE_TABLES (sizeof(line_tables) / sizeof(line_tables[0]))

/* Damaged account ids of this file's lines get the recovered full id. */
static int
apply_fix(struct store *st, const struct store_account_fix *fx,
    struct pv_error *err)
{
	static const struct pv_str none = { "", 0 };
	static const char *const columns[] = { "account", "payer" };
	struct pv_str full = { fx->full, strlen(fx->full) };
	struct pv_str bad = { fx->damaged, strlen(fx->damaged) };
	int64_t full_id, bad_id;
	char sql[128];
	size_t t, c;

	if (dim_id(st, DIM_ACCOUNT, DIM_ACCOUNT, full, none, &full_id,
	    err) != 0 ||
	    dim_id(st, DIM_ACCOUNT, DIM_ACCOUNT, bad, none, &bad_id, err) != 0)
		return -1;
	for (t = 0; t < NLINE_TABLES; t++)
		for (c = 0; c < 2; c++) {
			snprintf(sql, sizeof(sql), "UPDATE %s SET %s = ?1 "
			    "WHERE file_id = ?2 AND %s = ?3", line_tables[t],
			    columns[c], columns[c]);
			if (run(st, sql, "iii", err, full_id, st->file_id,
			    bad_id) != 0)
				return -1;
		}
	return run(st, "UPDATE account SET name = (SELECT name FROM account "
	    "WHERE id = ?2) WHERE id = ?1 AND name IS NULL", "ii", err,
	    full_id, bad_id);
}

static int
record_period(struct store *st, const struct store_period *p,
    struct pv_error *err)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(st->db, "INSERT INTO file_period(file_id, "
	    "payer_account, period, first_day, last_day, last_end, currency, "
	    "estimated, rows, has_payer_view, has_linked_view, "
	    "statement_total, places, usage_end) VALUES (?1, ?2, ?3, "
	    "NULLIF(?4, ''), NULLIF(?5, ''), NULLIF(?6, ''), ?7, ?8, ?9, ?10, "
	    "?11, ?12, ?13, NULLIF(?14, ''))", -1,
	    &q, NULL) != SQLITE_OK)
		return db_error(st, err, "preparing");
	sqlite3_bind_int64(q, 1, st->file_id);
	sqlite3_bind_text(q, 2, p->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, p->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, p->first_day, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, p->last_day, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, p->last_end, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, p->currency[0] ? p->currency : "USD", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(q, 8, p->estimated);
	sqlite3_bind_int64(q, 9, p->rows);
	sqlite3_bind_int(q, 10, p->has_payer_view);
	sqlite3_bind_int(q, 11, p->has_linked_view);
	if (p->has_statement)
		sqlite3_bind_int64(q, 12, p->statement_total);
	else
		sqlite3_bind_null(q, 12);
	sqlite3_bind_int(q, 13, p->places);
	sqlite3_bind_text(q, 14, p->usage_end, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_error(st, err, "recording the billing period");
	if (p->sample_len == 0)
		return 0;
	if (sqlite3_prepare_v2(st->db, "INSERT INTO file_sketch(file_id, "
	    "payer_account, period, sample) VALUES (?1, ?2, ?3, ?4)", -1, &q,
	    NULL) != SQLITE_OK)
		return db_error(st, err, "preparing");
	sqlite3_bind_int64(q, 1, st->file_id);
	sqlite3_bind_text(q, 2, p->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, p->period, -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 4, p->sample, (int)p->sample_len, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_error(st, err, "recording the billing period");
	return 0;
}

/* Take a file's lines of one payer-month out of the count: its lines
 * go, its month is inactive (the file stays listed). */
static int
drop_month(struct store *st, long long file_id, const char *payer,
    const char *period, struct pv_error *err)
{
	static const char lines_sql[] =
	    "DELETE FROM %s WHERE file_id = ?1 AND period = ?3 AND payer IN "
	    "(SELECT id FROM account WHERE account_id = ?2)";
	char del[512];
	size_t i;

	for (i = 0; i < NLINE_TABLES; i++) {
		snprintf(del, sizeof(del), lines_sql, line_tables[i]);
		if (run(st, del, "itt", err, (int64_t)file_id, payer,
		    period) != 0)
			return -1;
	}
	return run(st, "DELETE FROM tag_usage WHERE file_id = ?1 AND "
	    "payer_account = ?2 AND period = ?3", "itt", err,
	    (int64_t)file_id, payer, period) != 0 ||
	    run(st, "DELETE FROM move_line WHERE file_id = ?1 AND "
	    "payer_account = ?2 AND period = ?3", "itt", err,
	    (int64_t)file_id, payer, period) != 0 ||
	    run(st, "UPDATE file_period SET active = 0 WHERE file_id = ?1 AND "
	    "payer_account = ?2 AND period = ?3", "itt", err,
	    (int64_t)file_id, payer, period) != 0 ? -1 : 0;
}

/* The earlier deliveries of a payer-month and family, as delivery.h
 * reads them; the strings and samples live in the arrays given. */
struct earlier {
	struct delivery *d;
	struct sketch *samples;
	char (*as_of)[21], (*first_day)[11], (*part)[32];
	size_t n, cap;
};

static void
earlier_free(struct earlier *e)
{
	free(e->d);
	free(e->samples);
	free(e->as_of);
	free(e->first_day);
	free(e->part);
}

static void
copy_col(char *out, size_t n, sqlite3_stmt *q, int col)
{
	const unsigned char *t = sqlite3_column_text(q, col);

	snprintf(out, n, "%s", t != NULL ? (const char *)t : "");
}

static int
earlier_read(struct store *st, const struct store_file_meta *m,
    const struct store_period *p, struct earlier *e, struct pv_error *err)
{
	static const char sql[] =
	    "SELECT fp.file_id, fp.active, "
	    "COALESCE(NULLIF(fp.usage_end, ''), fp.last_end), fp.first_day, "
	    "fp.estimated, f.part, s.sample "
	    "FROM file_period fp JOIN file f ON f.id = fp.file_id "
	    "LEFT JOIN file_sketch s ON s.file_id = fp.file_id AND "
	    "s.payer_account = fp.payer_account AND s.period = fp.period "
	    "WHERE fp.payer_account = ?2 AND fp.period = ?3 AND "
	    "f.format = ?4 AND f.id != ?1 ORDER BY fp.file_id";
	sqlite3_stmt *q;
	size_t i;
	int rc;

	memset(e, 0, sizeof(*e));
	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_error(st, err, "comparing deliveries");
	sqlite3_bind_int64(q, 1, st->file_id);
	sqlite3_bind_text(q, 2, p->payer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, p->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, m->format, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct delivery *d;

		if (e->n == e->cap) {
			e->cap = e->cap ? 2 * e->cap : 8;
			e->d = xrealloc(e->d, e->cap * sizeof(*e->d));
			e->samples = xrealloc(e->samples, e->cap *
			    sizeof(*e->samples));
			e->as_of = xrealloc(e->as_of, e->cap *
			    sizeof(*e->as_of));
			e->first_day = xrealloc(e->first_day, e->cap *
			    sizeof(*e->first_day));
			e->part = xrealloc(e->part, e->cap * sizeof(*e->part));
		}
		d = &e->d[e->n];
		d->file_id = sqlite3_column_int64(q, 0);
		d->active = sqlite3_column_int(q, 1);
		copy_col(e->as_of[e->n], sizeof(e->as_of[0]), q, 2);
		copy_col(e->first_day[e->n], sizeof(e->first_day[0]), q, 3);
		d->final = sqlite3_column_int(q, 4) == 0;
		copy_col(e->part[e->n], sizeof(e->part[0]), q, 5);
		/* a sample that does not read back is treated as none */
		d->sample = sqlite3_column_type(q, 6) == SQLITE_BLOB &&
		    sketch_decode(sqlite3_column_blob(q, 6),
		    (size_t)sqlite3_column_bytes(q, 6), &e->samples[e->n]) ==
		    0 ? &e->samples[e->n] : NULL;
		e->n++;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_error(st, err, "comparing deliveries");
	/* the pointers, once the arrays have stopped moving */
	for (i = 0; i < e->n; i++) {
		e->d[i].as_of = e->as_of[i];
		e->d[i].first_day = e->first_day[i];
		e->d[i].part = e->part[i];
		if (e->d[i].sample != NULL)
			e->d[i].sample = &e->samples[i];
	}
	return 0;
}

/*
 * Settle one payer-month of the file being committed against the
 * earlier deliveries of its payer, month and family (delivery.h): it is
 * kept aside when it repeats a newer one, or replaces the older ones
 * it makes obsolete, or counts beside them as another part.
 */
static int
settle_delivery(struct store *st, const struct store_file_meta *m,
    const struct store_period *p, struct store_commit *c,
    struct pv_error *err)
{
	struct earlier e;
	struct delivery mine;
	struct sketch *sample = NULL;
	int *replace = NULL, rc = -1;
	size_t i, newer = 0;

	if (earlier_read(st, m, p, &e, err) != 0)
		goto out;
	if (e.n == 0) {
		rc = 0;
		goto out;
	}
	memset(&mine, 0, sizeof(mine));
	mine.file_id = st->file_id;
	mine.active = 1;
	mine.as_of = p->usage_end[0] ? p->usage_end : p->last_end;
	mine.first_day = p->first_day;
	mine.final = !p->estimated;
	mine.part = m->part;
	if (p->sample_len > 0) {
		sample = xmalloc(sizeof(*sample));
		if (sketch_decode(p->sample, p->sample_len, sample) == 0)
			mine.sample = sample;
	}
	replace = xcalloc(e.n, sizeof(*replace));
	switch (delivery_decide(&mine, e.d, e.n, replace, &newer)) {
	case DELIVERY_OLDER:
		if (drop_month(st, st->file_id, p->payer, p->period, err) != 0)
			goto out;
		c->kept_aside++;
		c->newer_file = e.d[newer].file_id;
		c->newer_invoiced = e.d[newer].final && !mine.final;
		break;
	case DELIVERY_REPLACES:
		for (i = 0; i < e.n; i++) {
			if (!replace[i])
				continue;
			if (drop_month(st, e.d[i].file_id, p->payer, p->period,
			    err) != 0 || run(st, "UPDATE file SET status = "
			    "'replaced', replaced_by = ?1 WHERE id = ?2 AND "
			    "status = 'ok' AND NOT EXISTS (SELECT 1 FROM "
			    "file_period WHERE file_id = ?2 AND active = 1)",
			    "ii", err, (int64_t)st->file_id,
			    (int64_t)e.d[i].file_id) != 0)
				goto out;
			c->replaced++;
		}
		break;
	case DELIVERY_JOINS:
		break;
	}
	rc = 0;
out:
	free(replace);
	free(sample);
	earlier_free(&e);
	return rc;
}

int
store_commit_file(struct store *st, const struct store_file_meta *m,
    long long *file_id, struct store_commit *c, struct pv_error *err)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	if (agg_sum_waiting(st, err) != 0 || agg_flush(st, err) != 0 ||
	    derived_flush(st, err) != 0)
		goto fail;
	for (i = 0; i < m->nfixes; i++)
		if (apply_fix(st, &m->fixes[i], err) != 0)
			goto fail;
	for (i = 0; i < m->nperiods; i++) {
		if (record_period(st, &m->periods[i], err) != 0 ||
		    settle_delivery(st, m, &m->periods[i], c, err) != 0)
			goto fail;
	}
	for (i = 0; i < m->ntotals; i++) {
		const struct store_total *t = &m->totals[i];

		if (run(st, "INSERT INTO file_total(file_id, payer_account, "
		    "period, kind, account, invoice_id, amount) VALUES (?1, ?2, "
		    "?3, ?4, NULLIF(?5, ''), NULLIF(?6, ''), ?7)", "ittttti",
		    err, (int64_t)st->file_id, t->payer, t->period, t->kind,
		    t->account, t->invoice_id, (int64_t)t->amount) != 0)
			goto fail;
	}
	for (i = 0; i < m->ntags; i++) {
		const struct store_tag_usage *t = &m->tags[i];

		if (run(st, "INSERT INTO tag_usage(file_id, payer_account, "
		    "period, account, tag_key, view, cost, line_items) VALUES "
		    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", "ittttiii", err,
		    (int64_t)st->file_id, t->payer, t->period, t->account,
		    t->key, (int64_t)t->view, (int64_t)t->cost,
		    (int64_t)t->lines) != 0)
			goto fail;
	}
	for (i = 0; i < m->nmoves; i++) {
		const struct store_move_line *t = &m->moves[i];

		if (run(st, "INSERT INTO move_line(file_id, payer_account, "
		    "period, account, kind, ref, name, end_time, line_type, "
		    "class, view, currency, first_day, last_day, cost, "
		    "line_items) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
		    "?10, ?11, ?12, ?13, ?14, ?15, ?16)", "itttttttttitttii",
		    err, (int64_t)st->file_id, t->payer, t->period, t->account,
		    t->kind, t->ref, t->name, t->end_time, t->line_type, t->cls,
		    (int64_t)t->view, t->currency, t->first_day, t->last_day,
		    (int64_t)t->cost, (int64_t)t->lines) != 0)
			goto fail;
	}
	if (m->mail_from != NULL && run(st, "UPDATE file SET mail_from = ?2, "
	    "mail_subject = ?3, mail_message_id = NULLIF(?4, ''), "
	    "mail_date = NULLIF(?5, '') WHERE id = ?1", "itttt", err,
	    (int64_t)st->file_id, m->mail_from, m->mail_subject,
	    m->mail_message_id, m->mail_date) != 0)
		goto fail;
	if (run(st, "UPDATE file SET sha256 = ?2, size = ?3, container = ?4, "
	    "format = ?5, detail_rank = ?6, part = ?7, payer_account = ?8, "
	    "period = ?9, rows = ?10, warnings = ?11, cost_basis = ?12 "
	    "WHERE id = ?1", "itittitttitt", err, (int64_t)st->file_id,
	    m->sha256, (int64_t)m->size, m->container, m->format,
	    (int64_t)m->detail_rank, m->part, m->payer, m->period,
	    (int64_t)m->rows, m->warnings, m->cost_basis != NULL ?
	    m->cost_basis : "") != 0)
		goto fail;
	/* every month of it kept aside: the newer delivery stands */
	if (c->kept_aside > 0 && run(st, "UPDATE file SET status = "
	    "'replaced', replaced_by = ?2 WHERE id = ?1 AND NOT EXISTS "
	    "(SELECT 1 FROM file_period WHERE file_id = ?1 AND active = 1)",
	    "ii", err, (int64_t)st->file_id, (int64_t)c->newer_file) != 0)
		goto fail;
	if (exec(st, "COMMIT", err) != 0)
		goto fail;
	*file_id = st->file_id;
	st->in_tx = 0;
	st->file_id = 0;
	return 0;
fail:
	store_rollback_file(st);
	return -1;
}
