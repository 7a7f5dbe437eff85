/*
 * test_walk.c - what a delivery folder's plan takes and says: files
 * placed by their folders alone (legacy CUR, Data Exports in either
 * case, Athena's year=/month=), the newest manifest's files matched by
 * their path from the report folder whatever the bucket, the newest
 * run without one (by timestamp name, else by time), what is no
 * billing data, and archives with and without a delivery in them. The
 * data files hold no data: the plan never reads them.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "test.h"

#include "error.h"
#include "source.h"
#include "walk.h"
#include "xalloc.h"

static char tdir[] = "/tmp/test_walk.XXXXXX";

/* Write path (below tdir; folders made on the way) with text. */
static void
put(const char *rel, const char *text, long mtime)
{
	char path[512], *p;
	struct timeval tv[2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tdir, rel);
	for (p = path + strlen(tdir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			exit(2);
		*p = '/';
	}
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) < 0 ||
	    fclose(f) != 0)
		exit(2);
	if (mtime > 0) {
		tv[0].tv_sec = tv[1].tv_sec = mtime;
		tv[0].tv_usec = tv[1].tv_usec = 0;
		utimes(path, tv);
	}
}

/* The plan of tdir/rel; its takes joined by ' ' (names less tdir/). */
static char *
plan_of(const char *rel, struct walk_plan *p)
{
	char path[512], *out;
	struct pv_error err;
	size_t i, n = 1, skip, len = 0;

	snprintf(path, sizeof(path), "%s/%s", tdir, rel);
	skip = strlen(tdir) + 1;
	CHECK_INT(walk_plan(path, NULL, p, &err), 0);
	for (i = 0; i < p->ntake; i++)
		n += strlen(p->take[i].name) + 1;
	out = xcalloc(n, 1);
	for (i = 0; i < p->ntake; i++)
		len += (size_t)snprintf(out + len, n - len, "%s%s", i ? " " :
		    "", p->take[i].name + (strlen(p->take[i].name) > skip ?
		    skip : 0));
	return out;
}

/* Does some note's text contain what? warning: 1 or 0, -1 either. */
static int
has_note(const struct walk_plan *p, const char *what, int warning)
{
	size_t i;

	for (i = 0; i < p->nnotes; i++)
		if (strstr(p->notes[i].text, what) != NULL &&
		    (warning < 0 || p->notes[i].warning == warning))
			return 1;
	return 0;
}

static void
test_manifest_any_bucket(void)
{
	struct walk_plan p;
	char *t;

	put("m/copied/acme/20261001-20261101/aa/acme-1.csv.gz", "x", 0);
	put("m/copied/acme/20261001-20261101/bb/acme-1.csv.gz", "x", 0);
	put("m/copied/acme/20261001-20261101/bb/acme-2.csv.gz", "x", 0);
	/* the keys name another bucket and prefix than the copy's */
	put("m/copied/acme/20261001-20261101/acme-Manifest.json",
	    "{\"reportKeys\": [\"s3prefix/acme/20261001-20261101/bb/"
	    "acme-1.csv.gz\", \"s3prefix/acme/20261001-20261101/bb/"
	    "acme-2.csv.gz\"]}", 0);
	t = plan_of("m", &p);
	CHECK_STR(t, "m/copied/acme/20261001-20261101/bb/acme-1.csv.gz "
	    "m/copied/acme/20261001-20261101/bb/acme-2.csv.gz");
	CHECK(has_note(&p, "an older run of 2026-10 (the manifest lists run "
	    "bb)", 0));
	CHECK(p.delivery && p.archive == NULL);
	free(t);
	walk_plan_release(&p);
}

/* A key ends with the file's path from the report folder at a '/':
 * "xacme-1" is not "acme-1". */
static void
test_key_boundary(void)
{
	struct walk_plan p;
	char *t;

	put("k/acme/20261001-20261101/acme-1.csv.gz", "x", 0);
	put("k/acme/20261001-20261101/acme-Manifest.json",
	    "{\"reportKeys\": [\"acme/20261001-20261101/xacme-1.csv.gz\"]}",
	    0);
	t = plan_of("k", &p);
	/* the manifest matches nothing: set aside, the one run taken */
	CHECK_STR(t, "k/acme/20261001-20261101/acme-1.csv.gz");
	CHECK(has_note(&p, "none of the 1 data files it lists", 1));
	free(t);
	walk_plan_release(&p);
}

static void
test_runs_by_name_then_time(void)
{
	struct walk_plan p;
	char *t;

	/* timestamp names: the name decides, not the time */
	put("r/e/x/data/billing_period=2026-09/20260930T0600Z/x-00001.csv.gz",
	    "x", 2000000000);
	put("r/e/x/data/billing_period=2026-09/20261001T0600Z/x-00001.csv.gz",
	    "x", 1000000000);
	/* other names: the time */
	put("r/e/y/data/BILLING_PERIOD=2026-10/run-b/y-00001.csv.gz", "x",
	    1000000000);
	put("r/e/y/data/BILLING_PERIOD=2026-10/run-a/y-00001.csv.gz", "x",
	    2000000000);
	t = plan_of("r", &p);
	CHECK_STR(t, "r/e/x/data/billing_period=2026-09/20261001T0600Z/"
	    "x-00001.csv.gz r/e/y/data/BILLING_PERIOD=2026-10/run-a/"
	    "y-00001.csv.gz");
	CHECK(has_note(&p, "no usable manifest; the newest is run "
	    "20261001T0600Z", 0));
	free(t);
	walk_plan_release(&p);
}

static void
test_placement(void)
{
	struct walk_plan p;
	char *t;

	/* overwrite mode: right in the period folder */
	put("o/acme/20260901-20261001/acme-1.csv.gz", "x", 0);
	/* Athena: month without a leading zero; the status table and the
	 * crawler's template are no billing data */
	put("o/ath/acme/acme/year=2026/month=9/acme-00001.snappy.parquet",
	    "x", 0);
	put("o/ath/acme/acme/cost_and_usage_data_status/"
	    "cost_and_usage_data_status.parquet", "x", 0);
	put("o/ath/acme/crawler-cfn.yml", "x", 0);
	/* Redshift's manifest is no delivery manifest; hidden files and
	 * a loose file outside any period folder */
	put("o/acme/20260901-20261001/acme-RedshiftManifest.json", "{}", 0);
	put("o/acme/20260901-20261001/.DS_Store", "x", 0);
	put("o/loose.csv", "x", 0);
	/* a folder named like a period but not one (month 13) */
	put("o/bad/20261301-20261401/z.csv", "x", 0);
	t = plan_of("o", &p);
	CHECK_STR(t, "o/acme/20260901-20261001/acme-1.csv.gz "
	    "o/ath/acme/acme/year=2026/month=9/acme-00001.snappy.parquet "
	    "o/bad/20261301-20261401/z.csv o/loose.csv");
	CHECK(has_note(&p, "the Athena status table, not billing data", 0));
	CHECK(has_note(&p, "not billing data", 0));
	free(t);
	walk_plan_release(&p);
}

static void
test_unusable_manifests(void)
{
	struct walk_plan p;
	char *t;

	put("u/acme/20261001-20261101/r1/acme-1.csv.gz", "x", 1000000000);
	put("u/acme/20261001-20261101/r2/acme-1.csv.gz", "x", 2000000000);
	put("u/acme/20261001-20261101/acme-Manifest.json",
	    "{\"reportKeys\": []}", 0);
	t = plan_of("u", &p);
	CHECK_STR(t, "u/acme/20261001-20261101/r2/acme-1.csv.gz");
	CHECK(has_note(&p, "manifest not used: it lists no data files", 1));
	free(t);
	walk_plan_release(&p);
	put("u/acme/20261001-20261101/acme-Manifest.json",
	    "{\"reportKeys\": [1, 2]}", 0);
	t = plan_of("u", &p);
	CHECK_STR(t, "u/acme/20261001-20261101/r2/acme-1.csv.gz");
	CHECK(has_note(&p, "a data file that is not a string", 1));
	free(t);
	walk_plan_release(&p);

	/* too large to be a manifest: set aside, the data still read */
	{
		size_t n = (17u << 20);
		char *big = xmalloc(n + 1);

		memset(big, ' ', n);
		big[n] = '\0';
		put("u/acme/20261001-20261101/acme-Manifest.json", big, 0);
		free(big);
	}
	t = plan_of("u", &p);
	CHECK_STR(t, "u/acme/20261001-20261101/r2/acme-1.csv.gz");
	CHECK(has_note(&p, "manifest not read: larger than 16 MiB", 1));
	free(t);
	walk_plan_release(&p);
}

static void
write_zip(const char *rel, const char *const *names, size_t n)
{
	char path[512];
	struct archive *a = archive_write_new();
	struct archive_entry *e;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", tdir, rel);
	archive_write_set_format_zip(a);
	archive_write_open_filename(a, path);
	for (i = 0; i < n; i++) {
		e = archive_entry_new();
		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, 1);
		archive_write_header(a, e);
		archive_write_data(a, "x", 1);
		archive_entry_free(e);
	}
	archive_write_free(a);
}

static void
test_archives(void)
{
	static const char *const flat[] = { "acme-1.csv", "acme-2.csv" };
	static const char *const tree[] = {
		"acme/20261001-20261101/r1/acme-1.csv.gz",
		"acme/20261001-20261101/r2/acme-1.csv.gz",
		"acme/readme.md",
	};
	static const char *const folders[] = { "a/b.csv", "a/c.csv" };
	struct walk_plan p;
	struct walk_members *m;
	const struct walk_item *it;
	struct pv_error err;
	char path[64], *t;
	int n = 0;

	write_zip("flat.zip", flat, 2);
	t = plan_of("flat.zip", &p);
	CHECK_INT(p.delivery, 0);
	free(t);
	walk_plan_release(&p);

	/* folders, but none a billing period: one file, as before */
	write_zip("folders.zip", folders, 2);
	t = plan_of("folders.zip", &p);
	CHECK_INT(p.delivery, 0);
	free(t);
	walk_plan_release(&p);

	write_zip("tree.zip", tree, 3);
	t = plan_of("tree.zip", &p);
	CHECK_INT(p.delivery, 1);
	/* same times (a zip's are all alike here): the last name */
	CHECK(strstr(t, "tree.zip(acme/20261001-20261101/r2/acme-1.csv.gz)")
	    != NULL);
	CHECK_INT(p.ntake, 1);
	CHECK(has_note(&p, "not billing data", 0));
	CHECK_INT(walk_members_open(&m, &p, NULL, &err), 0);
	while (walk_members_next(m, &it, path, sizeof(path), &err) == 1) {
		CHECK_STR(it->path, "acme/20261001-20261101/r2/acme-1.csv.gz");
		CHECK(strncmp(path, "/proc/self/fd/", 14) == 0);
		n++;
	}
	CHECK_INT(n, 1);
	walk_members_free(m);
	free(t);
	walk_plan_release(&p);

	/* a plain file is no delivery, and is not read through */
	put("plain.csv", "a,b\n", 0);
	t = plan_of("plain.csv", &p);
	CHECK_INT(p.delivery, 0);
	free(t);
	walk_plan_release(&p);
}

int
main(void)
{
	char cmd[128];

	if (mkdtemp(tdir) == NULL || setenv("TMPDIR", tdir, 1) != 0)
		return 2;
	RUN(test_manifest_any_bucket);
	RUN(test_key_boundary);
	RUN(test_runs_by_name_then_time);
	RUN(test_placement);
	RUN(test_unusable_manifests);
	RUN(test_archives);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tdir);
	TEST_END();
}
