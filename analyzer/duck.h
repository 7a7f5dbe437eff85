/*
 * duck.h - DuckDB's C API, loaded at run time.
 *
 * Parquet is read through DuckDB (issue 15: a well-kept library, not a
 * decoder of our own). libduckdb is 70 MB and not a Debian package, so
 * the binary does not link it: duck_load() finds it with dlopen and
 * looks up the few functions below with dlsym. Without it everything
 * but Parquet works, and a Parquet file is refused with a message that
 * says how to add it.
 *
 * The declarations are ours, written from DuckDB's documented C API
 * (duckdb.h, stable since 1.0): only what parquet.c, export.c and the
 * tools call, with the types they need. No DuckDB header is needed to
 * build.
 *
 * Where the library is looked for, first found wins:
 *   1. $PILVI_DUCKDB (a path to libduckdb.so)
 *   2. next to the executable: DIR/lib/libduckdb.so (the build tree,
 *      where make deps puts it), DIR/../lib/libduckdb.so (test binaries
 *      in build/tests), DIR/../lib/pilvi-analyzer/libduckdb.so (make
 *      install)
 *   3. dlopen("libduckdb.so"): the system's library path
 */
#ifndef PILVI_DUCK_H
#define PILVI_DUCK_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t duck_idx;

/* duckdb_type: the values DuckDB's header gives them. */
enum duck_type {
	DUCK_INVALID = 0, DUCK_BOOLEAN = 1, DUCK_TINYINT = 2,
	DUCK_SMALLINT = 3, DUCK_INTEGER = 4, DUCK_BIGINT = 5,
	DUCK_UTINYINT = 6, DUCK_USMALLINT = 7, DUCK_UINTEGER = 8,
	DUCK_UBIGINT = 9, DUCK_FLOAT = 10, DUCK_DOUBLE = 11,
	DUCK_TIMESTAMP = 12, DUCK_DATE = 13, DUCK_TIME = 14,
	DUCK_INTERVAL = 15, DUCK_HUGEINT = 16, DUCK_UHUGEINT = 32,
	DUCK_VARCHAR = 17, DUCK_BLOB = 18, DUCK_DECIMAL = 19,
	DUCK_TIMESTAMP_S = 20, DUCK_TIMESTAMP_MS = 21, DUCK_TIMESTAMP_NS = 22,
	DUCK_ENUM = 23, DUCK_LIST = 24, DUCK_STRUCT = 25, DUCK_MAP = 26,
	DUCK_UUID = 27, DUCK_UNION = 28, DUCK_BIT = 29, DUCK_TIME_TZ = 30,
	DUCK_TIMESTAMP_TZ = 31, DUCK_ARRAY = 33
};

/* duckdb_state */
#define DUCK_OK 0

/* Opaque handles: pointers to structs DuckDB never lets us look into. */
typedef struct duck_database_s *duck_database;
typedef struct duck_connection_s *duck_connection;
typedef struct duck_prepared_s *duck_prepared;
typedef struct duck_config_s *duck_config;
typedef struct duck_chunk_s *duck_chunk;
typedef struct duck_vector_s *duck_vector;
typedef struct duck_table_function_s *duck_table_function;
typedef struct duck_bind_info_s *duck_bind_info;
typedef struct duck_init_info_s *duck_init_info;
typedef struct duck_function_info_s *duck_function_info;
typedef struct duck_logical_type_s *duck_logical_type;

/* duckdb_hugeint: the value of a DECIMAL wider than 18 digits, unscaled. */
typedef struct {
	uint64_t lower;
	int64_t upper;
} duck_hugeint;

/* duckdb_result: six words; only DuckDB's functions look inside. */
typedef struct {
	duck_idx deprecated_column_count;
	duck_idx deprecated_row_count;
	duck_idx deprecated_rows_changed;
	void *deprecated_columns;
	char *deprecated_error_message;
	void *internal_data;
} duck_result;

/* duckdb_string_t: a VARCHAR value in a vector. Up to 12 bytes are
 * stored inline, longer ones through the pointer. */
typedef struct {
	union {
		struct {
			uint32_t length;
			char prefix[4];
			char *ptr;
		} pointer;
		struct {
			uint32_t length;
			char inlined[12];
		} inlined;
	} value;
} duck_string;

/* The functions, under their DuckDB names less the "duckdb_" prefix. */
struct duck_api {
	const char *(*library_version)(void);
	int (*create_config)(duck_config *out);
	int (*set_config)(duck_config config, const char *name,
	    const char *option);
	void (*destroy_config)(duck_config *config);
	int (*open_ext)(const char *path, duck_database *out,
	    duck_config config, char **out_error);
	void (*close)(duck_database *db);
	int (*connect)(duck_database db, duck_connection *out);
	void (*disconnect)(duck_connection *conn);
	void (*free)(void *p);
	int (*query)(duck_connection conn, const char *sql, duck_result *out);
	void (*destroy_result)(duck_result *r);
	const char *(*result_error)(duck_result *r);
	duck_idx (*column_count)(duck_result *r);
	const char *(*column_name)(duck_result *r, duck_idx col);
	int (*column_type)(duck_result *r, duck_idx col);
	int (*prepare)(duck_connection conn, const char *sql,
	    duck_prepared *out);
	const char *(*prepare_error)(duck_prepared p);
	void (*destroy_prepare)(duck_prepared *p);
	duck_idx (*prepared_statement_column_count)(duck_prepared p);
	const char *(*prepared_statement_column_name)(duck_prepared p,
	    duck_idx col);
	int (*prepared_statement_column_type)(duck_prepared p, duck_idx col);
	int (*bind_varchar)(duck_prepared p, duck_idx index, const char *val);
	int (*execute_prepared_streaming)(duck_prepared p, duck_result *out);
	duck_chunk (*fetch_chunk)(duck_result r);
	duck_idx (*data_chunk_get_size)(duck_chunk c);
	duck_vector (*data_chunk_get_vector)(duck_chunk c, duck_idx col);
	void (*destroy_data_chunk)(duck_chunk *c);
	void *(*vector_get_data)(duck_vector v);
	uint64_t *(*vector_get_validity)(duck_vector v);
	duck_idx (*vector_size)(void);
	/* a table function of ours: rows from C straight into a query, so
	 * that COPY writes them without a table in between (export.c) */
	duck_table_function (*create_table_function)(void);
	void (*destroy_table_function)(duck_table_function *f);
	void (*table_function_set_name)(duck_table_function f,
	    const char *name);
	void (*table_function_set_extra_info)(duck_table_function f,
	    void *extra, void (*destroy)(void *));
	void (*table_function_set_bind)(duck_table_function f,
	    void (*bind)(duck_bind_info info));
	void (*table_function_set_init)(duck_table_function f,
	    void (*init)(duck_init_info info));
	void (*table_function_set_function)(duck_table_function f,
	    void (*fn)(duck_function_info info, duck_chunk out));
	int (*register_table_function)(duck_connection conn,
	    duck_table_function f);
	void *(*bind_get_extra_info)(duck_bind_info info);
	void (*bind_add_result_column)(duck_bind_info info, const char *name,
	    duck_logical_type type);
	void (*init_set_max_threads)(duck_init_info info, duck_idx n);
	void *(*function_get_extra_info)(duck_function_info info);
	void (*function_set_error)(duck_function_info info, const char *error);
	duck_logical_type (*create_logical_type)(int type);
	duck_logical_type (*create_decimal_type)(uint8_t width, uint8_t scale);
	void (*destroy_logical_type)(duck_logical_type *type);
	void (*data_chunk_set_size)(duck_chunk c, duck_idx n);
	void (*vector_assign_string_element_len)(duck_vector v, duck_idx row,
	    const char *s, duck_idx len);
	void (*vector_ensure_validity_writable)(duck_vector v);
};

/*
 * The API, loaded on the first call (thread-safe; later calls return
 * the same table). Returns NULL when no libduckdb could be loaded; then
 * why (when not NULL) gets a line saying what was tried and how to add
 * it. The table lives until the process ends.
 */
const struct duck_api *duck_load(char *why, size_t n);

/* Where the loaded library came from ("" before duck_load succeeds). */
const char *duck_path(void);

/* What to do when it is missing, for messages: "run 'make deps', or set
 * PILVI_DUCKDB=/path/to/libduckdb.so". */
const char *duck_how_to_add(void);

/* A VARCHAR value's bytes and length. */
static inline const char *
duck_string_data(const duck_string *s, uint32_t *len)
{
	*len = s->value.inlined.length;
	return *len <= 12 ? s->value.inlined.inlined : s->value.pointer.ptr;
}

/* Is row i of a vector's validity mask valid (NULL mask: all are)? */
static inline int
duck_valid(const uint64_t *validity, duck_idx i)
{
	return validity == NULL || (validity[i / 64] >> (i % 64)) & 1;
}

#endif
