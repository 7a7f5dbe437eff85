/*
 * csv2parquet - write a billing CSV as the Parquet file AWS would have
 * delivered for the same data, through libduckdb (analyzer/duck.h).
 *
 *   csv2parquet [options] IN.csv[.gz] OUT.parquet
 *     --compression C   snappy (default), zstd, gzip or uncompressed
 *     --athena          rename legacy CUR columns as AWS's Athena layout
 *                       does: lineItem/UnblendedCost ->
 *                       line_item_unblended_cost, resourceTags/user:Name
 *                       -> resource_tags_user_name
 *     --decimal         amounts as DECIMAL(38,10) (default: DOUBLE, as
 *                       AWS writes CUR and FOCUS amounts)
 *     --null TEXT       TEXT in the CSV is NULL (besides the empty field;
 *                       FOCUS dumps write NULL)
 *     --row-group N     rows per row group (DuckDB's default otherwise)
 *
 * Column types follow AWS's Parquet: names ending in "date", "start" or
 * "end" of a period are TIMESTAMP; names ending in cost, amount, rate,
 * quantity or price are DOUBLE (or DECIMAL); the map columns of CUR 2.0
 * (product, resource_tags, cost_category, tags; discount with DOUBLE
 * values) and FOCUS (Tags, x_CostCategories, x_Discounts) are MAPs read
 * from the CSV's JSON text; everything else VARCHAR. Exit status 77
 * when libduckdb is missing (tests skip), 1 on any other failure.
 *
 * A tool for tests and the benchmark over our own fixtures: unlike the
 * analyzer, it pastes the column names and paths it is given into SQL,
 * quoted; it is never run on files from outside.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "duck.h"

static const struct duck_api *d;
static duck_connection con;

static void
usage(void)
{
	fprintf(stderr, "usage: csv2parquet [--compression snappy|zstd|gzip|"
	    "uncompressed] [--athena] [--decimal] [--null TEXT] "
	    "[--row-group N] IN.csv OUT.parquet\n");
	exit(2);
}

/* A growing string. */
struct buf {
	char *p;
	size_t len, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (b->p == NULL) {
			perror("csv2parquet");
			exit(1);
		}
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* s quoted with q ('"' for a name, '\'' for a string), q doubled. */
static void
quoted(struct buf *b, const char *s, char q)
{
	put(b, &q, 1);
	for (; *s != '\0'; s++) {
		put(b, s, 1);
		if (*s == q)
			put(b, s, 1);
	}
	put(b, &q, 1);
}

/* lineItem/UnblendedCost -> line_item_unblended_cost: each capital
 * starts a word (savingsPlan/SavingsPlanARN -> savings_plan_savings_plan_
 * a_r_n, as AWS's CUR 2.0 names show), '/' and ':' become '_'. */
static void
athena_name(const char *in, char *out, size_t n)
{
	size_t k = 0;
	int start = 1;

	for (; *in != '\0' && k + 2 < n; in++) {
		unsigned char c = (unsigned char)*in;

		if (isupper(c)) {
			if (!start && k > 0 && out[k - 1] != '_')
				out[k++] = '_';
			out[k++] = (char)tolower(c);
		} else if (isalnum(c)) {
			out[k++] = (char)c;
		} else if (k > 0 && out[k - 1] != '_') {
			out[k++] = '_';
		}
		start = !isalnum(c);
	}
	out[k] = '\0';
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

enum kind { K_TEXT, K_TIME, K_AMOUNT, K_MAP, K_MAP_DOUBLE };

static enum kind
kind_of(const char *name)
{
	static const char *const maps[] = { "product", "resource_tags",
	    "cost_category", "tags", "Tags", "x_CostCategories" };
	static const char *const amounts[] = { "cost", "amount", "rate",
	    "quantity", "price" };
	size_t i;

	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		if (strcmp(name, maps[i]) == 0)
			return K_MAP;
	if (strcmp(name, "discount") == 0 || strcmp(name, "x_Discounts") == 0)
		return K_MAP_DOUBLE;
	if (ends_with(name, "date") || ends_with(name, "PeriodStart") ||
	    ends_with(name, "PeriodEnd"))
		return K_TIME;
	for (i = 0; i < sizeof(amounts) / sizeof(amounts[0]); i++)
		if (ends_with(name, amounts[i]))
			return K_AMOUNT;
	return K_TEXT;
}

static int
query(const char *sql)
{
	duck_result r;
	int rc = d->query(con, sql, &r);

	if (rc != DUCK_OK)
		fprintf(stderr, "csv2parquet: %s\n", d->result_error(&r));
	d->destroy_result(&r);
	return rc == DUCK_OK ? 0 : -1;
}

int
main(int argc, char **argv)
{
	const char *compression = "snappy", *nulls[8], *in, *out;
	int athena = 0, decimal = 0, nnull = 0, i;
	long row_group = 0;
	struct buf src = { 0 }, sql = { 0 };
	duck_database db;
	duck_config cfg;
	duck_result r;
	duck_idx c, ncols;
	char why[512], *err = NULL, name[512], num[32];

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (strcmp(argv[i], "--compression") == 0 && i + 1 < argc)
			compression = argv[++i];
		else if (strcmp(argv[i], "--athena") == 0)
			athena = 1;
		else if (strcmp(argv[i], "--decimal") == 0)
			decimal = 1;
		else if (strcmp(argv[i], "--null") == 0 && i + 1 < argc &&
		    nnull < 8)
			nulls[nnull++] = argv[++i];
		else if (strcmp(argv[i], "--row-group") == 0 && i + 1 < argc)
			row_group = strtol(argv[++i], NULL, 10);
		else
			usage();
	}
	if (argc - i != 2)
		usage();
	in = argv[i];
	out = argv[i + 1];
	if ((d = duck_load(why, sizeof(why))) == NULL) {
		fprintf(stderr, "csv2parquet: %s; %s\n", why, duck_how_to_add());
		return 77;
	}
	if (d->create_config(&cfg) != DUCK_OK ||
	    d->set_config(cfg, "threads", "2") != DUCK_OK ||
	    d->set_config(cfg, "memory_limit", "1GB") != DUCK_OK ||
	    d->set_config(cfg, "autoinstall_known_extensions", "false") !=
	    DUCK_OK ||
	    d->open_ext(NULL, &db, cfg, &err) != DUCK_OK ||
	    d->connect(db, &con) != DUCK_OK) {
		fprintf(stderr, "csv2parquet: cannot start DuckDB: %s\n",
		    err != NULL ? err : "?");
		return 1;
	}
	d->destroy_config(&cfg);

	/* every field as text first; the types are chosen by name below */
	puts_(&src, "read_csv(");
	quoted(&src, in, '\'');
	puts_(&src, ", all_varchar = true, header = true, nullstr = [''");
	for (i = 0; i < nnull; i++) {
		puts_(&src, ", ");
		quoted(&src, nulls[i], '\'');
	}
	puts_(&src, "])");
	puts_(&sql, "SELECT * FROM ");
	puts_(&sql, src.p);
	puts_(&sql, " LIMIT 0");
	if (d->query(con, sql.p, &r) != DUCK_OK) {
		fprintf(stderr, "csv2parquet: %s\n", d->result_error(&r));
		return 1;
	}
	ncols = d->column_count(&r);
	sql.len = 0;
	puts_(&sql, "COPY (SELECT ");
	for (c = 0; c < ncols; c++) {
		const char *col = d->column_name(&r, c);

		if (athena && strchr(col, '/') != NULL)
			athena_name(col, name, sizeof(name));
		else
			snprintf(name, sizeof(name), "%s", col);
		if (c > 0)
			puts_(&sql, ", ");
		switch (kind_of(name)) {
		case K_TIME:
			puts_(&sql, "CAST(");
			quoted(&sql, col, '"');
			puts_(&sql, " AS TIMESTAMP)");
			break;
		case K_AMOUNT:
			puts_(&sql, "CAST(");
			quoted(&sql, col, '"');
			puts_(&sql, decimal ? " AS DECIMAL(38,10))" :
			    " AS DOUBLE)");
			break;
		case K_MAP:
		case K_MAP_DOUBLE:
			puts_(&sql, "CAST(CAST(");
			quoted(&sql, col, '"');
			puts_(&sql, kind_of(name) == K_MAP ?
			    " AS JSON) AS MAP(VARCHAR, VARCHAR))" :
			    " AS JSON) AS MAP(VARCHAR, DOUBLE))");
			break;
		case K_TEXT:
			quoted(&sql, col, '"');
			break;
		}
		puts_(&sql, " AS ");
		quoted(&sql, name, '"');
	}
	d->destroy_result(&r);
	puts_(&sql, " FROM ");
	puts_(&sql, src.p);
	puts_(&sql, ") TO ");
	quoted(&sql, out, '\'');
	puts_(&sql, " (FORMAT parquet, COMPRESSION ");
	quoted(&sql, compression, '\'');
	if (row_group > 0) {
		snprintf(num, sizeof(num), "%ld", row_group);
		puts_(&sql, ", ROW_GROUP_SIZE ");
		puts_(&sql, num);
	}
	puts_(&sql, ")");
	if (query(sql.p) != 0)
		return 1;
	d->disconnect(&con);
	d->close(&db);
	free(src.p);
	free(sql.p);
	return 0;
}
