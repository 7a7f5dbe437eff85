/*
 * walk.h - which files of a CUR or Data Exports delivery to ingest.
 *
 * A delivery is a folder (or a zip or tar of one) as AWS writes it to
 * S3 (formats.md §6, §7):
 *
 *   legacy CUR   <prefix>/<report>/YYYYMMDD-YYYYMMDD/[<assemblyId>/]
 *                <report>-<n>.csv.gz, and <report>-Manifest.json in the
 *                date folder (the current assembly) and in each
 *                assembly folder; its "reportKeys" list the data files
 *   Data Exports <prefix>/<export>/data/BILLING_PERIOD=YYYY-MM/[<run>/]
 *                <export>-00001.csv.gz (or .parquet), and
 *                <prefix>/<export>/metadata/BILLING_PERIOD=YYYY-MM/
 *                <export>-Manifest.json, whose "dataFiles" name the
 *                current run (billing_period= in lower case too)
 *   Athena       <prefix>/<report>/<report>/year=YYYY/month=M/<file>.parquet,
 *                overwritten in place, no manifest
 *
 * For each report (or export) and billing period the plan takes the
 * data files the newest manifest lists; without a usable manifest, the
 * files of the newest run. Every other data file is skipped, and the plan
 * says which and why (an older run, another copy of the delivery, not
 * listed), one line per run folder; so is what is no billing data
 * (crawler-cfn.yml, Redshift commands, the Athena status table). Files
 * outside any billing-period folder are taken as they are.
 *
 * "Newest": the manifest directly in the period folder (the one AWS
 * overwrites), else the one modified last. A run: the one whose name is
 * the latest timestamp when every run is named by one, else the one
 * whose files were modified last, else the last name.
 *
 * Manifests are read as JSON by jansson. Keys name S3 objects
 * (s3://bucket/prefix/...): a data file matches a key that ends with its
 * path from the report's (export's) folder, so the bucket and prefix a
 * delivery was copied under do not matter.
 *
 * Archive members are read by source.c, like every input; a folder is
 * read with readdir (symbolic links to folders are not followed).
 */
#ifndef PILVI_WALK_H
#define PILVI_WALK_H

#include <stddef.h>

#include "error.h"
#include "source.h"

/* A file to ingest. */
struct walk_item {
	char *path;	/* a folder's file: its path; an archive's: the member */
	char *name;	/* as shown and registered: the path, "ARCHIVE(member)" */
};

/* A line about the plan: a manifest read, something skipped, a warning. */
struct walk_note {
	char *subject;	/* the file or run folder it is about */
	char *text;	/* "skipped 2 files: an older run of 2026-10 (...)" */
	int warning;	/* 1: something a person should look at */
};

struct walk_plan {
	int delivery;		/* 0: an archive that holds no delivery
				 * (ingest it as one file, as before) */
	char *archive;		/* members come from this archive; NULL: a
				 * folder */
	struct walk_item *take;	/* to ingest, in order */
	size_t ntake;
	struct walk_note *notes;
	size_t nnotes;
};

/*
 * Plan path: a folder, or a zip or tar (detected by source.c from its
 * first bytes). A folder is always walked; an archive only when one of
 * its members lies in a billing-period folder (plan->delivery is 0
 * otherwise, and for any other file). Returns 0 with *plan filled
 * (release it in every case), or -1 with err (the folder or archive
 * cannot be read).
 */
int walk_plan(const char *path, const struct source_limits *limits,
    struct walk_plan *plan, struct pv_error *err);

void walk_plan_release(struct walk_plan *plan);

/*
 * The members an archive plan takes, each copied from the archive into
 * an unlinked temporary file (source_member_path) to be ingested from
 * *path (valid until the next call). In the archive's order, which is
 * the plan's. Returns 1 with *item and path set, 0 at the end, -1 with
 * err.
 */
struct walk_members;

int walk_members_open(struct walk_members **out, const struct walk_plan *plan,
    const struct source_limits *limits, struct pv_error *err);
int walk_members_next(struct walk_members *m, const struct walk_item **item,
    char *path, size_t n, struct pv_error *err);
void walk_members_free(struct walk_members *m);

#endif
