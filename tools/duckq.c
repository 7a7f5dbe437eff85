/*
 * duckq - run SQL statements through libduckdb (analyzer/duck.h) and
 * print what the last one returns as CSV with a header, for the tests
 * that read an export back as another engine would.
 *
 *   duckq SQL...
 *
 * Each argument is one statement, run in order in one in-memory
 * database; the last is a query, whose values are printed as DuckDB
 * casts them to text (NULL as an empty field; a field with a comma, a
 * quote or a line break quoted). Exit status 77 when libduckdb is
 * missing (tests skip), 1 when a statement fails (DuckDB's message on
 * standard error), 0 otherwise.
 *
 * A tool for tests: it runs the SQL it is given as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duck.h"

/* One field as CSV. */
static void
field(const char *p, uint32_t n)
{
	uint32_t i;

	if (memchr(p, ',', n) == NULL && memchr(p, '"', n) == NULL &&
	    memchr(p, '\n', n) == NULL && memchr(p, '\r', n) == NULL) {
		fwrite(p, 1, n, stdout);
		return;
	}
	putchar('"');
	for (i = 0; i < n; i++) {
		if (p[i] == '"')
			putchar('"');
		putchar(p[i]);
	}
	putchar('"');
}

/* The result of the last statement, every column as text. (Not COPY TO
 * '/dev/stdout': DuckDB opens it anew, truncating a file that holds
 * the output so far.) */
static void
print_result(const struct duck_api *d, duck_result *r)
{
	duck_idx ncols = d->column_count(r), c, i, n;
	duck_chunk ch;

	for (c = 0; c < ncols; c++)
		printf("%s%s", c > 0 ? "," : "", d->column_name(r, c));
	putchar('\n');
	while ((ch = d->fetch_chunk(*r)) != NULL) {
		n = d->data_chunk_get_size(ch);
		for (i = 0; i < n; i++) {
			for (c = 0; c < ncols; c++) {
				duck_vector v = d->data_chunk_get_vector(ch, c);
				const duck_string *s = d->vector_get_data(v);
				uint32_t len;
				const char *p;

				if (c > 0)
					putchar(',');
				if (!duck_valid(d->vector_get_validity(v), i))
					continue;
				p = duck_string_data(&s[i], &len);
				field(p, len);
			}
			putchar('\n');
		}
		d->destroy_data_chunk(&ch);
	}
}

int
main(int argc, char **argv)
{
	const struct duck_api *d;
	duck_database db;
	duck_connection con;
	duck_config cfg;
	duck_result r;
	char why[512], *err = NULL;
	size_t len;
	char *sql;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: duckq SQL...\n");
		return 2;
	}
	if ((d = duck_load(why, sizeof(why))) == NULL) {
		fprintf(stderr, "duckq: %s; %s\n", why, duck_how_to_add());
		return 77;
	}
	if (d->create_config(&cfg) != DUCK_OK ||
	    d->set_config(cfg, "threads", "1") != DUCK_OK ||
	    d->set_config(cfg, "autoinstall_known_extensions", "false") !=
	    DUCK_OK ||
	    d->open_ext(NULL, &db, cfg, &err) != DUCK_OK ||
	    d->connect(db, &con) != DUCK_OK) {
		fprintf(stderr, "duckq: cannot start DuckDB: %s\n",
		    err != NULL ? err : "?");
		return 1;
	}
	d->destroy_config(&cfg);
	for (i = 1; i < argc; i++) {
		int last = i == argc - 1;

		/* the last one's values as DuckDB casts them to text */
		len = strlen(argv[i]) + 64;
		if ((sql = malloc(len)) == NULL) {
			perror("duckq");
			return 1;
		}
		if (last)
			snprintf(sql, len, "SELECT COLUMNS(*)::VARCHAR FROM "
			    "(%s)", argv[i]);
		else
			snprintf(sql, len, "%s", argv[i]);
		if (d->query(con, sql, &r) != DUCK_OK) {
			fprintf(stderr, "duckq: %s\n", d->result_error(&r));
			d->destroy_result(&r);
			free(sql);
			return 1;
		}
		if (last)
			print_result(d, &r);
		d->destroy_result(&r);
		free(sql);
	}
	d->disconnect(&con);
	d->close(&db);
	return 0;
}
