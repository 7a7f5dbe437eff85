/*
 * duck.c - find libduckdb and look up the functions duck.h declares.
 */
#include "duck.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct duck_api api;
static int loaded;
static char loaded_from[PATH_MAX];
static char failure[1024];

const char *
duck_how_to_add(void)
{
	return "run 'make deps' in the source tree, or set "
	    "PILVI_DUCKDB=/path/to/libduckdb.so";
}

/* Every symbol, or -1 with failure filled (the library is too old). */
static int
bind_all(void *h, const char *path)
{
	static const struct {
		const char *name;
		size_t off;
	} syms[] = {
#define S(f) { "duckdb_" #f, offsetof(struct duck_api, f) }
		S(library_version), S(create_config), S(set_config),
		S(destroy_config), S(open_ext), S(close), S(connect),
		S(disconnect), S(free), S(query), S(destroy_result),
		S(result_error), S(column_count), S(column_name),
		S(column_type), S(prepare), S(prepare_error),
		S(destroy_prepare), S(prepared_statement_column_count),
		S(prepared_statement_column_name),
		S(prepared_statement_column_type), S(bind_varchar),
		S(execute_prepared_streaming), S(fetch_chunk),
		S(data_chunk_get_size), S(data_chunk_get_vector),
		S(destroy_data_chunk), S(vector_get_data),
		S(vector_get_validity), S(vector_size),
		S(create_table_function), S(destroy_table_function),
		S(table_function_set_name), S(table_function_set_extra_info),
		S(table_function_set_bind), S(table_function_set_init),
		S(table_function_set_function), S(register_table_function),
		S(bind_get_extra_info), S(bind_add_result_column),
		S(init_set_max_threads),
		S(function_get_extra_info), S(function_set_error),
		S(create_logical_type), S(create_decimal_type),
		S(destroy_logical_type), S(data_chunk_set_size),
		S(vector_assign_string_element_len),
		S(vector_ensure_validity_writable),
#undef S
	};
	size_t i;

	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *f = dlsym(h, syms[i].name);

		if (f == NULL && i == 0) {
			snprintf(failure, sizeof(failure), "%s is not "
			    "libduckdb: it has no %s", path, syms[i].name);
			return -1;
		}
		if (f == NULL) {
			snprintf(failure, sizeof(failure), "%s has no %s: it "
			    "is too old (DuckDB 1.1 or later is needed)", path,
			    syms[i].name);
			return -1;
		}
		/* POSIX guarantees that a data pointer from dlsym converts
		 * to a function pointer; the copy says so without a cast
		 * warning. */
		memcpy((char *)&api + syms[i].off, &f, sizeof(f));
	}
	return 0;
}

static int
try_open(const char *path)
{
	void *h;

	if (path[0] == '/' && access(path, R_OK) != 0)
		return 0;
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		const char *e = dlerror();

		if (path[0] == '/')
			snprintf(failure, sizeof(failure), "cannot load %s: %s",
			    path, e != NULL ? e : "unknown error");
		return 0;
	}
	if (bind_all(h, path) != 0) {
		dlclose(h);
		return 0;
	}
	snprintf(loaded_from, sizeof(loaded_from), "%s", path);
	return 1;
}

static void
load(void)
{
	static const char *const beside[] = {
		"lib/libduckdb.so", "../lib/libduckdb.so",
		"../lib/pilvi-analyzer/libduckdb.so"
	};
	const char *env = getenv("PILVI_DUCKDB");
	char exe[PATH_MAX], path[PATH_MAX + 64];
	ssize_t n;
	size_t i;

	if (env != NULL && env[0] != '\0') {
		/* asked for by name: no quiet fallback to another copy */
		if (!try_open(env) && failure[0] == '\0')
			snprintf(failure, sizeof(failure), "PILVI_DUCKDB=%s: "
			    "no such file", env);
		loaded = loaded_from[0] != '\0';
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			slash[1] = '\0';
		for (i = 0; i < sizeof(beside) / sizeof(beside[0]); i++) {
			snprintf(path, sizeof(path), "%s%s", exe, beside[i]);
			if (try_open(path)) {
				loaded = 1;
				return;
			}
		}
	}
	if (try_open("libduckdb.so")) {
		loaded = 1;
		return;
	}
	if (failure[0] == '\0')
		snprintf(failure, sizeof(failure), "libduckdb.so was not "
		    "found");
}

const struct duck_api *
duck_load(char *why, size_t n)
{
	pthread_once(&once, load);
	if (loaded)
		return &api;
	if (why != NULL && n > 0)
		snprintf(why, n, "%s", failure);
	return NULL;
}

const char *
duck_path(void)
{
	return loaded ? loaded_from : "";
}
