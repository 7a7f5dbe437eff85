/*
 * drop.h - the email-drop folder, for cron: every settled file in DIR is
 * ingested once and then moved, atomically, to DIR/processed/ (ingested,
 * or the same bytes as before) or DIR/failed/ (with NAME.error beside it
 * saying what was wrong). One run at a time (flock on DIR/.pilvi-drop.lock);
 * a file modified in the last settle seconds is left for the next run;
 * nothing is ever deleted. After a run, each customer touched gets its
 * report and spreadsheet feed in DIR/reports/<customer>/, and
 * DIR/reports/billing.csv holds every customer's feed rows (rebuilt from
 * the database, one row set per customer and month), all replaced
 * atomically. E-mail messages (.eml, a Maildir's new/) are told by their
 * content: their billing attachments go in with the sender, subject,
 * Message-ID and date, and the message moves as a whole.
 */
#ifndef PILVI_DROP_H
#define PILVI_DROP_H

#include "error.h"
#include "ingest.h"
#include "store.h"

enum drop_outcome {
	DROP_PROCESSED,		/* ingested, moved to processed/ */
	DROP_DUPLICATE,		/* same bytes as before, moved to processed/ */
	DROP_FAILED,		/* moved to failed/, NAME.error written */
	DROP_UNSETTLED,		/* still being written: left for next run */
	DROP_SKIPPED,		/* not a regular file (message: what) */
	DROP_WOULD_PROCESS,	/* --dry-run */
	DROP_WOULD_FAIL		/* --dry-run */
};

struct drop_item {
	char *name;		/* the file's name in DIR */
	enum drop_outcome outcome;
	char *message;		/* what went wrong, or a note; may be NULL */
};

struct drop_options {
	int dry_run;
	int settle_seconds;	/* files younger than this are left */
};

struct drop_result {
	struct drop_item *items;
	size_t nitems;
	char **reports;		/* report folders written */
	size_t nreports;
	char *feed;		/* the cumulative feed written, or NULL */
};

/*
 * Take the folder's lock (DIR/.pilvi-drop.lock, flock), before the
 * database is opened: two runs never touch it at once. Returns 0 with *fd
 * holding the lock (release with drop_unlock), 1 when another run holds
 * it and wait is 0, or -1 with err filled (folder unusable).
 */
int drop_lock(const char *dir, int wait, int *fd, struct pv_error *err);
void drop_unlock(int fd);

/*
 * Process dir into st; the caller holds the lock. Returns 0 with *res
 * filled, or -1 when the run itself could not work (err: folder
 * unwritable, database unusable...). Release *res with
 * drop_result_release.
 */
int drop_run(struct store *st, const char *dir, const struct drop_options *o,
    struct drop_result *res, struct pv_error *err);
void drop_result_release(struct drop_result *res);

#endif
