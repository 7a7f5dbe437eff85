/*
 * source.h - open an input and yield the bytes of each CSV member.
 *
 * The only module that opens input files. A source is a path ("-" is
 * standard input) whose container is detected from its first bytes,
 * never from its name:
 *   gzip (1f 8b)          -> zlib, concatenated members allowed; one member
 *   zip (PK\3\4 / PK\5\6)  -> libarchive, one member per regular entry
 *   other archives/filters libarchive recognises (tar, tar.gz, bz2, xz,
 *   zstd, 7z...)          -> libarchive, one member per entry, or one
 *                            member for a compressed single file
 *   anything else         -> plain, one member
 * While it reads, the source hashes (SHA-256) and counts the raw bytes of
 * the input, so the caller learns the file's identity without reading it
 * twice. It enforces an expansion limit against decompression bombs.
 * Memory is constant: nothing is ever read whole.
 */
#ifndef PILVI_SOURCE_H
#define PILVI_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

enum source_container {
	SOURCE_PLAIN,
	SOURCE_GZIP,
	SOURCE_ZIP,
	SOURCE_ARCHIVE		/* any other libarchive-readable input */
};

struct source_limits {
	/* Refuse when the decompressed bytes of the whole input exceed this
	 * (0: no limit). */
	uint64_t max_expanded_bytes;
	/* Refuse when decompressed/compressed exceeds this ratio once more
	 * than 64 MiB came out (0: no limit). */
	uint64_t max_ratio;
};

/* Defaults: 64 GiB expanded, ratio 100 (billing CSV compresses 5 to 20
 * times), or what source_limits_set_default last set. */
void source_limits_default(struct source_limits *l);

/* The defaults for the rest of the process (the command line's
 * --max-size and --max-ratio); call before any thread starts. */
void source_limits_set_default(const struct source_limits *l);

/* Tests only: inflate gzip with zlib even where ISA-L was built in (both
 * paths must give the same bytes and the same errors). */
void source_force_zlib(int on);

struct source;

/* While waiting for a pipe or a terminal, also watch fd: once it is
 * readable the wait ends with an error ("reading ... was stopped").
 * For readahead, whose reading thread must not outlive its caller. */
void source_set_cancel(struct source *s, int fd);

/*
 * Open path ("-" for stdin). display is the name used in errors (the
 * path itself, "stdin" for "-"); the source keeps its own copy.
 * Returns 0 and sets *out, or -1 with err filled (kind PV_ERR_INPUT for
 * "cannot open 'x.csv': No such file or directory" and the like).
 * The caller frees *out with source_free.
 */
int source_open(struct source **out, const char *path, const char *display,
    const struct source_limits *limits, struct pv_error *err);

/*
 * Move to the next member. Returns 1 and sets *name (owned by the source,
 * valid until the next call; for plain and gzip inputs it is the display
 * name with any ".gz" removed), 0 when there are no more members, -1 on
 * error. Directories are never returned. Members are returned whatever
 * their name; deciding which are CSV is the caller's job.
 */
int source_next(struct source *s, const char **name, struct pv_error *err);

/*
 * Read up to n bytes of the current member into buf. Returns the number
 * of bytes (>0), 0 at the end of the member, -1 on error ("truncated gzip
 * data", "trailing garbage after gzip data", "expands beyond the limit
 * of N bytes", "corrupt zip: ..." and so on; err->file is the display
 * name, err->kind PV_ERR_INPUT).
 */
ssize_t source_read(struct source *s, void *buf, size_t n,
    struct pv_error *err);

/* The current member's modification time as the container records it
 * (a plain or gzip input: the file's), 0 when unknown. */
long long source_member_mtime(const struct source *s);

/*
 * Pass over the rest of the current member without decoding it where
 * the container allows (a zip member's compressed bytes are skipped, not
 * inflated): for listing an archive's members. Returns 0 or -1.
 */
int source_skip_member(struct source *s, struct pv_error *err);

/*
 * A path that a reader which must seek (DuckDB, for Parquet) may open to
 * read the current member, whose first nhead bytes the caller has
 * already taken with source_read (head). A plain regular file is given
 * as /proc/self/fd/N of the descriptor the source holds: the same file,
 * whatever its name holds (DuckDB would expand * and ? in a name).
 * Any other member (inside gzip or an archive, or from a pipe) is
 * copied, head first, into a temporary file in $TMPDIR (else /tmp),
 * unlinked as soon as it is made, so nothing is left behind; the copy
 * counts against the expansion limits like any read. The path stays
 * valid until the next source_next or source_free. Returns 0 and
 * fills path (n bytes), or -1 with err.
 */
int source_member_path(struct source *s, const void *head, size_t nhead,
    char *path, size_t n, struct pv_error *err);

/*
 * After the caller is done with the members: read (and hash) whatever
 * raw bytes remain, then give the SHA-256 of the whole raw input and its
 * size. Returns 0 or -1.
 */
int source_finish(struct source *s, unsigned char sha256[32],
    uint64_t *raw_bytes, struct pv_error *err);

enum source_container source_container(const struct source *s);
/* "plain", "gzip", "zip", "archive". */
const char *source_container_name(enum source_container c);
/* Raw bytes consumed so far and the input's size when known (0 when not,
 * e.g. a pipe): for progress reports. */
uint64_t source_raw_consumed(const struct source *s);
uint64_t source_raw_size(const struct source *s);

/* Frees s and closes the input; NULL is fine. */
void source_free(struct source *s);

#endif
