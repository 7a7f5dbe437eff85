/*
 * test_export.c - the Parquet export's core (export.h): files split at
 * rows_per_file, the payer-month folders, the marker, what is refused,
 * and a replaced export leaving nothing of the old one. Skipped when
 * libduckdb is missing. (tests/cli/export-parquet.sh reads the files
 * back and compares their amounts.)
 */
#define _XOPEN_SOURCE 700	/* nftw */
#include <sys/stat.h>

#include <dirent.h>
#include <ftw.h>

#include "test.h"
#include "duck.h"
#include "export.h"
#include "ingest.h"
#include "report.h"
#include "store.h"

#define TEST_NAME "test_export"
#include "helpers.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static char out[600];

static int
exists(const char *rel)
{
	char p[1200];
	struct stat sb;

	snprintf(p, sizeof(p), "%s/%s", out, rel);
	return stat(p, &sb) == 0;
}

/* Files in out/rel, not counting . and .. */
static int
count(const char *rel)
{
	char p[1200];
	DIR *d;
	struct dirent *de;
	int n = 0;

	snprintf(p, sizeof(p), "%s/%s", out, rel);
	if ((d = opendir(p)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(path);
}

/* The fixture's store and report; 0, or -1 when libduckdb is missing. */
static int
setup(struct store **st, struct report **r)
{
	struct report_options ro;
	struct pv_error err;

	if (duck_load(NULL, 0) == NULL)
		return -1;
	*st = mem_store();
	ingest(*st, "fixtures/cur.csv");
	ingest(*st, "fixtures/cur2.csv");
	memset(&ro, 0, sizeof(ro));
	pv_error_clear(&err);
	CHECK_INT(report_build(*st, &ro, r, &err), 0);
	return 0;
}

static void
test_split_and_replace(void)
{
	struct report_options ro;
	struct export_options o = { NULL, NULL, NULL, 2 };
	struct export_stats stats;
	struct store *st;
	struct report *r = NULL;
	struct pv_error err;
	char junk[1200];

	if (setup(&st, &r) != 0)
		SKIP("libduckdb is missing");
	memset(&ro, 0, sizeof(ro));
	pv_error_clear(&err);
	CHECK_INT(export_parquet(st, r, &o, out, &stats, &err), 0);
	CHECK(exists("_pilvi_export"));
	/* two payer-months; two rows a file */
	CHECK_INT(stats.partitions, 2);
	CHECK_INT(count("lines"), 2);
	CHECK_INT(count("lines/payer_account=777777777777"), 1);
	/* cur.csv's month has more than two lines: files 0 and 1 at least,
	 * and more files in all than one per dataset and payer-month */
	CHECK(exists("lines/payer_account=777777777777/month=2026-10/"
	    "part-00001.parquet"));
	CHECK(stats.files > 6);
	CHECK(exists("lines/payer_account=010101010101/month=2026-09/"
	    "part-00000.parquet"));
	CHECK(exists("monthly/payer_account=010101010101/month=2026-09/"
	    "part-00000.parquet"));
	CHECK(stats.rows[0] > 4 && stats.rows[1] > 0 && stats.rows[2] > 0);

	/* again, one payer and no limit: the other payer's files are gone,
	 * and so is a file that was put into the old export */
	snprintf(junk, sizeof(junk), "%s/lines/junk.parquet", out);
	write_file(junk, "x");
	o.payer = ro.payer = "010101010101";
	o.rows_per_file = 0;
	report_free(r);
	CHECK_INT(report_build(st, &ro, &r, &err), 0);
	CHECK_INT(export_parquet(st, r, &o, out, &stats, &err), 0);
	CHECK_INT(stats.partitions, 1);
	CHECK_INT(stats.files, 3);
	CHECK(!exists("lines/payer_account=777777777777"));
	CHECK(!exists("lines/junk.parquet"));
	CHECK_INT(count("lines/payer_account=010101010101/month=2026-09"), 1);

	/* a failure half-way (the daily summary gone: lines are written,
	 * daily fails) leaves the export before it whole, and no
	 * temporary folder */
	CHECK_INT(sqlite3_exec(store_db(st), "DROP TABLE cost_day", NULL,
	    NULL, NULL), SQLITE_OK);
	o.payer = NULL;
	pv_error_clear(&err);
	CHECK_INT(export_parquet(st, r, &o, out, &stats, &err), -1);
	CHECK_INT(err.kind, PV_ERR_FATAL);
	CHECK(strstr(err.msg, "cost_day") != NULL);
	CHECK(stats.rows[0] > 0);
	CHECK(exists("_pilvi_export"));
	CHECK(exists("daily/payer_account=010101010101/month=2026-09/"
	    "part-00000.parquet"));
	CHECK(!exists("lines/payer_account=777777777777"));
	CHECK_INT(count(".."), 1);	/* out alone in the test folder */
	report_free(r);
	store_close(st);
}

static void
test_refused(void)
{
	struct export_options o = { NULL, NULL, NULL, 0 };
	struct export_stats stats;
	struct store *st;
	struct report *r = NULL;
	struct pv_error err;
	char mine[700], file[800], parent[700];

	if (setup(&st, &r) != 0)
		SKIP("libduckdb is missing");
	/* a folder with files that are not an export is left alone */
	snprintf(mine, sizeof(mine), "%s/mine", tdir);
	CHECK_INT(mkdir(mine, 0700), 0);
	snprintf(file, sizeof(file), "%s/notes.txt", mine);
	write_file(file, "keep");
	pv_error_clear(&err);
	CHECK_INT(export_parquet(st, r, &o, mine, &stats, &err), -1);
	CHECK_INT(err.kind, PV_ERR_INPUT);
	CHECK(strstr(err.msg, "not an export") != NULL);
	CHECK(access(file, R_OK) == 0);
	/* a file is not a folder */
	pv_error_clear(&err);
	CHECK_INT(export_parquet(st, r, &o, file, &stats, &err), -1);
	CHECK(strstr(err.msg, "is not a folder") != NULL);
	/* a parent that does not exist: a write error */
	snprintf(parent, sizeof(parent), "%s/none/out", tdir);
	pv_error_clear(&err);
	CHECK_INT(export_parquet(st, r, &o, parent, &stats, &err), -1);
	CHECK_INT(err.kind, PV_ERR_FATAL);
	/* nothing left beside them */
	CHECK_INT(unlink(file), 0);
	CHECK_INT(rmdir(mine), 0);
	report_free(r);
	store_close(st);
}

int
main(void)
{
	if (mkdtemp(tdir) == NULL)
		return 2;
	snprintf(out, sizeof(out), "%s/out", tdir);
	RUN(test_split_and_replace);
	RUN(test_refused);
	nftw(out, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	cleanup();
	TEST_END();
}
