/*
 * readahead.c - the source on its own thread (see readahead.h).
 *
 * A ring of SLOTS slots, each a message from the reading thread: a member
 * starts, a block of its bytes (or in CSV mode a batch of its records),
 * the member ends, the input is finished (digest and size), or an error.
 * The reader fills slots in order and waits while all are taken; the caller takes them in order and waits
 * while none is ready. The slot the caller took last stays its own until
 * its next call, so a block's bytes need no copy.
 */
#include "readahead.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filetype.h"
#include "parquet.h"
#include "xalloc.h"

#define SLOTS 6
#define BLOCK (256 * 1024)
/* A slot keeps its buffers for the next batch unless they grew past
 * twice the sizes of readahead.h, so memory stays near SLOTS batches:
 * six of 1,024 records (8 and 2,048 put a 5 M-row ingest 4.5 MiB over
 * issue 19's 64 MiB; bench/README.md). */
#define BATCH_BYTES READAHEAD_BATCH_BYTES
#define BATCH_FIELDS READAHEAD_BATCH_FIELDS
#define BATCH_RECORDS READAHEAD_BATCH_RECORDS

enum msg {
	MSG_MEMBER,	/* name, wanted */
	MSG_DATA,	/* buf[0..len) */
	MSG_RECORDS,	/* batch */
	MSG_END,	/* the current member has no more bytes */
	MSG_FINISH,	/* digest, raw */
	MSG_ERROR	/* err */
};

/* Records copied out of csvread's callback. Fields are kept as offsets
 * while the batch fills (bytes may move as it grows) and turned into
 * pointers when it is handed over. */
struct batch {
	char *bytes;
	size_t nbytes, bytescap;
	struct csv_field *fields;
	size_t *foff;
	size_t nfields, fieldscap;
	struct csv_record *recs;
	size_t *first;		/* each record's first field */
	unsigned char *marks;	/* each record's mark, with a mark function */
	size_t nrecs, recscap;
};

struct slot {
	enum msg msg;
	struct batch batch;
	char *name;
	int wanted;
	size_t len;
	unsigned char *buf;
	unsigned char digest[32];
	uint64_t raw;
	struct pv_error err;
};

struct readahead {
	struct source *src;
	readahead_want_fn want;
	readahead_mark_fn mark;	/* CSV mode, or NULL */
	void *mark_ctx;
	int member_start;	/* the next batch starts a member */
	char *csv_display;	/* CSV mode */
	struct slot *filling;	/* CSV mode: the batch being filled */
	unsigned char *rdbuf;	/* CSV mode: bytes before csvread */
	enum source_container container;
	uint64_t raw_size;

	pthread_t thread;
	int started;
	int cancel[2];		/* a pipe: a byte in it ends a wait for input */
	pthread_mutex_t lock;
	pthread_cond_t ready;	/* a slot was filled */
	pthread_cond_t freed;	/* a slot was given back, or stop */
	struct slot slot[SLOTS];
	unsigned depth;		/* slots the reader may fill ahead: SLOTS,
				 * or 1 with one job (it fills the next
				 * only once the caller gave the last back,
				 * so the two never run at once) */
	unsigned head;		/* next slot the caller takes */
	unsigned count;		/* slots filled or held by the caller */
	int held;		/* the caller holds slot[head - 1] */
	int stop;		/* the caller is done: the reader ends */
	uint64_t consumed;	/* raw bytes read so far */
};

/* Reader: wait for a free slot; NULL when told to stop. */
static struct slot *
take_free(struct readahead *ra)
{
	struct slot *s = NULL;

	pthread_mutex_lock(&ra->lock);
	while (!ra->stop && ra->count >= ra->depth)
		pthread_cond_wait(&ra->freed, &ra->lock);
	if (!ra->stop)
		s = &ra->slot[(ra->head + ra->count) % SLOTS];
	pthread_mutex_unlock(&ra->lock);
	return s;
}

/* Reader: hand a filled slot over. */
static void
publish(struct readahead *ra)
{
	pthread_mutex_lock(&ra->lock);
	ra->count++;
	ra->consumed = source_raw_consumed(ra->src);
	pthread_cond_signal(&ra->ready);
	pthread_mutex_unlock(&ra->lock);
}

static void
batch_release(struct batch *b)
{
	free(b->bytes);
	free(b->fields);
	free(b->foff);
	free(b->recs);
	free(b->first);
	free(b->marks);
}

static void
batch_clear(struct batch *b)
{
	if (b->bytescap > 2 * BATCH_BYTES || b->fieldscap > 2 * BATCH_FIELDS) {
		batch_release(b);
		memset(b, 0, sizeof(*b));
	}
	b->nbytes = 0;
	b->nfields = 0;
	b->nrecs = 0;
}

/* The batch is complete: offsets become pointers. */
static void
batch_seal(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->nfields; i++)
		b->fields[i].ptr = b->bytes + b->foff[i];
	for (i = 0; i < b->nrecs; i++)
		b->recs[i].fields = b->fields + b->first[i];
}

/* Reader, CSV mode: a slot for a new batch; NULL when told to stop. */
static struct slot *
start_batch(struct readahead *ra)
{
	struct slot *s = take_free(ra);

	if (s != NULL) {
		s->msg = MSG_RECORDS;
		batch_clear(&s->batch);
	}
	ra->filling = s;
	return s;
}

/* Reader, CSV mode: hand over the batch being filled, if it holds any. */
static void
flush_batch(struct readahead *ra)
{
	struct batch *b;

	if (ra->filling == NULL || ra->filling->batch.nrecs == 0)
		return;
	b = &ra->filling->batch;
	batch_seal(b);
	if (ra->mark != NULL) {
		ra->mark(ra->mark_ctx, b->recs, b->nrecs, ra->member_start,
		    b->marks);
		ra->member_start = 0;
	}
	publish(ra);
	ra->filling = NULL;
}

/* csvread's callback on the reading thread: copy the record. */
static int
add_record(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	struct readahead *ra = ctx;
	struct batch *b;
	const char *base;
	size_t i, bytes = 0, fcap, rcap;

	if (ra->filling == NULL && start_batch(ra) == NULL)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0, "stopped");
	b = &ra->filling->batch;
	/* the fields are one block (csvread.h): copied at once */
	base = rec->nfields > 0 ? rec->fields[0].ptr : NULL;
	if (rec->nfields > 0)
		bytes = (size_t)(rec->fields[rec->nfields - 1].ptr - base) +
		    rec->fields[rec->nfields - 1].len + 1;
	b->bytes = xgrow(b->bytes, &b->bytescap, b->nbytes + bytes, 1);
	fcap = b->fieldscap;
	b->fields = xgrow(b->fields, &fcap, b->nfields + rec->nfields,
	    sizeof(*b->fields));
	fcap = b->fieldscap;
	b->foff = xgrow(b->foff, &fcap, b->nfields + rec->nfields,
	    sizeof(*b->foff));
	b->fieldscap = fcap;
	rcap = b->recscap;
	b->recs = xgrow(b->recs, &rcap, b->nrecs + 1, sizeof(*b->recs));
	rcap = b->recscap;
	b->first = xgrow(b->first, &rcap, b->nrecs + 1, sizeof(*b->first));
	if (ra->mark != NULL) {
		rcap = b->recscap;
		b->marks = xgrow(b->marks, &rcap, b->nrecs + 1,
		    sizeof(*b->marks));	/* set by flush_batch */
	}
	b->recscap = rcap;
	b->first[b->nrecs] = b->nfields;
	b->recs[b->nrecs].nfields = rec->nfields;
	b->recs[b->nrecs].line = rec->line;
	b->nrecs++;
	if (bytes > 0)
		memcpy(b->bytes + b->nbytes, base, bytes);
	for (i = 0; i < rec->nfields; i++) {
		b->foff[b->nfields] = b->nbytes +
		    (size_t)(rec->fields[i].ptr - base);
		b->fields[b->nfields].len = rec->fields[i].len;
		b->nfields++;
	}
	b->nbytes += bytes;
	if (b->nbytes >= BATCH_BYTES || b->nfields >= BATCH_FIELDS ||
	    b->nrecs >= BATCH_RECORDS)
		flush_batch(ra);
	return 0;
}

/* Reader, CSV mode: the first bytes of the member, at least 4 unless it
 * is shorter (enough to tell Parquet's "PAR1"). Returns their number or
 * -1. */
static ssize_t
read_head(struct readahead *ra, struct pv_error *err)
{
	size_t got = 0;
	ssize_t n;

	while (got < 4) {
		n = source_read(ra->src, ra->rdbuf + got, BLOCK - got, err);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* Reader, CSV mode: parse the current member into batches, then MSG_END.
 * A member that starts with Parquet's magic number goes through
 * parquet.c instead of csvread, into the same batches.
 * Returns 0, or -1 (an error was published, or told to stop). */
static int
parse_member(struct readahead *ra, const char *member)
{
	struct csvread *r = NULL;
	struct pv_error err;
	struct slot *s;
	char *display, path[64];
	ssize_t n;
	int rc = -1;

	if (ra->container == SOURCE_ZIP || ra->container == SOURCE_ARCHIVE) {
		size_t len = strlen(ra->csv_display) + strlen(member) + 3;

		display = xmalloc(len);
		snprintf(display, len, "%s(%s)", ra->csv_display, member);
	} else {
		display = xstrdup(ra->csv_display);
	}

	pv_error_clear(&err);
	ra->member_start = 1;
	if (ra->rdbuf == NULL)
		ra->rdbuf = xmalloc(BLOCK);
	if ((n = read_head(ra, &err)) < 0)
		goto out;
	/* a PDF, an image, a manifest: said what it is, not "binary data" */
	if (filetype_of_head(ra->rdbuf, (size_t)n) != NULL) {
		pv_error_set(&err, PV_ERR_INPUT, display, 0, "%s",
		    filetype_of_head(ra->rdbuf, (size_t)n));
		goto out;
	}
	if (parquet_magic(ra->rdbuf, (size_t)n)) {
		if (source_member_path(ra->src, ra->rdbuf, (size_t)n, path,
		    sizeof(path), &err) != 0 ||
		    parquet_read(path, display, NULL, add_record, ra,
		    &err) != 0)
			goto out;
		rc = 0;
		goto out;
	}
	r = csvread_new(display, NULL, add_record, ra);
	while (n > 0) {
		if (csvread_feed(r, ra->rdbuf, (size_t)n, &err) != 0)
			goto out;
		n = source_read(ra->src, ra->rdbuf, BLOCK, &err);
		if (n < 0)
			goto out;
	}
	if (csvread_finish(r, &err) != 0)
		goto out;
	rc = 0;
out:
	csvread_free(r);
	free(display);
	/* what was parsed goes first, then the end or the error */
	flush_batch(ra);
	ra->filling = NULL;
	if ((s = take_free(ra)) == NULL)
		return -1;
	s->msg = rc == 0 ? MSG_END : MSG_ERROR;
	s->err = err;
	publish(ra);
	return rc;
}

static void *
reader(void *arg)
{
	struct readahead *ra = arg;
	struct slot *s;
	const char *name;
	ssize_t n;
	int more;

	for (;;) {
		if ((s = take_free(ra)) == NULL)
			return NULL;
		more = source_next(ra->src, &name, &s->err);
		if (more < 0) {
			s->msg = MSG_ERROR;
			publish(ra);
			return NULL;
		}
		if (more == 0)
			break;
		s->msg = MSG_MEMBER;
		free(s->name);
		s->name = xstrdup(name);
		s->wanted = ra->want == NULL || ra->want(ra->container, name);
		publish(ra);
		if (!s->wanted)
			continue;
		if (ra->csv_display != NULL) {
			if (parse_member(ra, name) != 0)
				return NULL;
			continue;
		}
		do {
			if ((s = take_free(ra)) == NULL)
				return NULL;
			if (s->buf == NULL)
				s->buf = xmalloc(BLOCK);
			n = source_read(ra->src, s->buf, BLOCK, &s->err);
			s->msg = n > 0 ? MSG_DATA : n == 0 ? MSG_END :
			    MSG_ERROR;
			s->len = n > 0 ? (size_t)n : 0;
			publish(ra);
			if (n < 0)
				return NULL;
		} while (n > 0);
	}
	s->msg = source_finish(ra->src, s->digest, &s->raw, &s->err) == 0 ?
	    MSG_FINISH : MSG_ERROR;
	publish(ra);
	return NULL;
}

int
readahead_start(struct readahead **out, struct source *src,
    const struct readahead_options *o, struct pv_error *err)
{
	struct readahead *ra = xcalloc(1, sizeof(*ra));

	*out = ra;
	ra->src = src;
	ra->want = o->want;
	ra->mark = o->mark;
	ra->mark_ctx = o->mark_ctx;
	ra->depth = o->jobs == 1 ? 1 : SLOTS;
	ra->csv_display = o->csv_display != NULL ? xstrdup(o->csv_display) :
	    NULL;
	if (pipe(ra->cancel) == 0) {
		fcntl(ra->cancel[0], F_SETFD, FD_CLOEXEC);
		fcntl(ra->cancel[1], F_SETFD, FD_CLOEXEC);
		source_set_cancel(src, ra->cancel[0]);
	} else {
		ra->cancel[0] = ra->cancel[1] = -1;
	}
	ra->container = source_container(src);
	ra->raw_size = source_raw_size(src);
	pthread_mutex_init(&ra->lock, NULL);
	pthread_cond_init(&ra->ready, NULL);
	pthread_cond_init(&ra->freed, NULL);
	if (pthread_create(&ra->thread, NULL, reader, ra) != 0)
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0,
		    "cannot start the reading thread");
	ra->started = 1;
	return 0;
}

/* Caller: give back the slot held since the last call and wait for the
 * next message. */
static struct slot *
take_ready(struct readahead *ra)
{
	struct slot *s;

	pthread_mutex_lock(&ra->lock);
	if (ra->held) {
		ra->held = 0;
		ra->head = (ra->head + 1) % SLOTS;
		ra->count--;
		pthread_cond_signal(&ra->freed);
	}
	while (ra->count == 0)
		pthread_cond_wait(&ra->ready, &ra->lock);
	s = &ra->slot[ra->head];
	ra->held = 1;
	pthread_mutex_unlock(&ra->lock);
	return s;
}

/* An error is final: the reader has stopped, and the slot stays in the
 * queue (not held) so that every later call sees it again. */
static int
fail(struct readahead *ra, const struct slot *s, struct pv_error *err)
{
	ra->held = 0;
	if (err != NULL)
		*err = s->err;
	return -1;
}

int
readahead_next(struct readahead *ra, const char **name, int *wanted,
    struct pv_error *err)
{
	struct slot *s;

	for (;;) {
		s = take_ready(ra);
		if (s->msg == MSG_MEMBER) {
			*name = s->name;
			*wanted = s->wanted;
			return 1;
		}
		if (s->msg == MSG_FINISH) {
			ra->held = 0;	/* stays for readahead_finish */
			return 0;
		}
		if (s->msg == MSG_ERROR)
			return fail(ra, s, err);
		/* MSG_DATA, MSG_RECORDS, MSG_END: the rest of a member not
		 * read out */
	}
}

ssize_t
readahead_read(struct readahead *ra, const void **data, struct pv_error *err)
{
	struct slot *s = take_ready(ra);

	switch (s->msg) {
	case MSG_DATA:
		*data = s->buf;
		return (ssize_t)s->len;
	case MSG_END:
		return 0;
	case MSG_ERROR:
		return fail(ra, s, err);
	case MSG_RECORDS:
		ra->held = 0;
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0,
		    "readahead: bytes asked for in CSV mode");
	default:
		/* A member or the end without MSG_END first: a bug. */
		ra->held = 0;
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0,
		    "readahead: read past the end of a member");
	}
}

ssize_t
readahead_records(struct readahead *ra, const struct csv_record **recs,
    struct pv_error *err)
{
	struct slot *s = take_ready(ra);

	switch (s->msg) {
	case MSG_RECORDS:
		*recs = s->batch.recs;
		return (ssize_t)s->batch.nrecs;
	case MSG_END:
		return 0;
	case MSG_ERROR:
		return fail(ra, s, err);
	case MSG_DATA:
		ra->held = 0;
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0,
		    "readahead: records asked for in byte mode");
	default:
		ra->held = 0;
		return pv_error_set(err, PV_ERR_FATAL, NULL, 0,
		    "readahead: records asked for past the end of a member");
	}
}

const unsigned char *
readahead_marks(const struct readahead *ra)
{
	const struct slot *s = &ra->slot[ra->head];

	return ra->held && s->msg == MSG_RECORDS ? s->batch.marks : NULL;
}

int
readahead_finish(struct readahead *ra, unsigned char sha256[32],
    uint64_t *raw_bytes, struct pv_error *err)
{
	struct slot *s;
	const char *name;
	int wanted, more;

	/* Members nobody asked for are skipped up to the end. */
	while ((more = readahead_next(ra, &name, &wanted, err)) == 1)
		;
	if (more < 0)
		return -1;
	s = &ra->slot[ra->head];
	memcpy(sha256, s->digest, 32);
	*raw_bytes = s->raw;
	return 0;
}

enum source_container
readahead_container(const struct readahead *ra)
{
	return ra->container;
}

uint64_t
readahead_raw_consumed(struct readahead *ra)
{
	uint64_t n;

	pthread_mutex_lock(&ra->lock);
	n = ra->consumed;
	pthread_mutex_unlock(&ra->lock);
	return n;
}

uint64_t
readahead_raw_size(const struct readahead *ra)
{
	return ra->raw_size;
}

void
readahead_free(struct readahead *ra)
{
	int i;

	if (ra == NULL)
		return;
	if (ra->started) {
		pthread_mutex_lock(&ra->lock);
		ra->stop = 1;
		pthread_cond_broadcast(&ra->freed);
		pthread_mutex_unlock(&ra->lock);
		/* the reader may be waiting on a pipe that never ends (a
		 * failed write leaves it to wait, as before) */
		if (ra->cancel[1] >= 0) {
			ssize_t w = write(ra->cancel[1], "", 1);

			(void)w;
		}
		pthread_join(ra->thread, NULL);
	}
	if (ra->cancel[0] >= 0) {
		close(ra->cancel[0]);
		close(ra->cancel[1]);
	}
	source_free(ra->src);
	for (i = 0; i < SLOTS; i++) {
		free(ra->slot[i].name);
		free(ra->slot[i].buf);
		batch_release(&ra->slot[i].batch);
	}
	free(ra->rdbuf);
	free(ra->csv_display);
	pthread_cond_destroy(&ra->freed);
	pthread_cond_destroy(&ra->ready);
	pthread_mutex_destroy(&ra->lock);
	free(ra);
}
