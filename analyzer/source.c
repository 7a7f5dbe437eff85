/*
 * source.c - open an input, detect its container, yield member bytes.
 *
 * Three layers, bottom up:
 *
 *   raw      read(2) in 256 KiB blocks into one buffer. Every byte that
 *            comes off the descriptor is hashed and counted right there,
 *            whoever asked for it (the plain reader, zlib, libarchive's
 *            read callback, or the final drain).
 *   detect   the first block is read before anything else and examined
 *            (magic numbers only, never the name); it stays in the buffer,
 *            so whichever decoder is picked starts from byte 0.
 *   decode   plain: the buffer itself. gzip: by hand, because we want our
 *            own rules about concatenated members and trailing bytes;
 *            through Intel's ISA-L where it was built in (about 1.7 GB/s
 *            here against zlib's 640 MB/s), else zlib.
 *            Everything else: libarchive, reading through the raw layer.
 *
 * A gzip stream holding a tar (a .tar.gz) goes to libarchive: detection
 * inflates the first 512 bytes of the peeked block on the side and looks
 * for a tar header there.
 *
 * 7z is the one format that must seek (its index is at the end), so only
 * a regular file can be one, and the hash follows a watermark: bytes are
 * hashed when they extend the prefix hashed so far, and source_finish
 * reads whatever a seek jumped over. For every other input the reads are
 * sequential and the watermark is simply the read position.
 *
 * Errors in the content are sticky: once a source failed, next/read keep
 * returning the same error. source_finish still works after them, since
 * the raw layer is independent of the decoders.
 */
#define ZLIB_CONST
#include "source.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef PILVI_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "sha256.h"
#include "xalloc.h"

#define BLOCK		(256 * 1024)

static int zlib_forced;		/* source_force_zlib: tests of the fallback */
static struct source_limits default_limits = {
	(uint64_t)64 << 30, 100
};
#define RATIO_FLOOR	((uint64_t)64 << 20)	/* ratio is checked above this */

enum state {
	ST_START,	/* no member yet */
	ST_MEMBER,	/* inside a member */
	ST_END,		/* no more members */
	ST_FAILED,	/* a content or I/O error; s->fail says which */
	ST_FINISHED	/* source_finish ran */
};

struct source {
	int fd;
	int cancel_fd;		/* readable: stop waiting for input; -1 none */
	int own_fd;		/* fd is ours to close (not stdin) */
	char *display;
	char *name;		/* current member's name */
	enum source_container container;
	struct source_limits lim;
	enum state state;
	struct pv_error fail;	/* replayed after ST_FAILED */

	/* Raw layer. */
	unsigned char *blk;	/* BLOCK bytes */
	size_t pos, len;	/* blk[pos..len) is read but not yet consumed */
	int eof;		/* read(2) returned 0 */
	int io_failed;		/* read(2) failed; fail holds the report */
	int seekable;		/* a regular file */
	struct sha256 sha;
	uint64_t foff;		/* fd offset: where the next read(2) reads */
	uint64_t hashed;	/* bytes [0, hashed) are in sha */
	uint64_t raw;		/* bytes read from fd, re-reads included */
	uint64_t size;		/* st_size of a regular file, else 0 */
	unsigned char digest[32];

	uint64_t expanded;	/* decompressed bytes handed out or skipped */

	/* gzip */
	z_stream z;
	int z_live;		/* inflateInit2 succeeded */
#ifdef PILVI_HAVE_ISAL
	struct inflate_state *isal;	/* instead of z when not NULL */
#endif
	int gz_end;		/* the last member's trailer was read */

	/* libarchive */
	struct archive *a;
	int a_raw;		/* a compressed single file may come: raw allowed */
	int a_7z;		/* 7z: needs the seek callback */
	int a_member_eof;	/* current entry's data fully read */
	int a_nentries;		/* headers seen */
	int a_eof;		/* libarchive said ARCHIVE_EOF: ask no more */

	int spool_fd;		/* source_member_path's copy; -1 none */
	long long mtime;	/* the current member's; 0 unknown */
};

void
source_set_cancel(struct source *s, int fd)
{
	s->cancel_fd = fd;
}

void
source_force_zlib(int on)
{
	zlib_forced = on;
}

void
source_limits_set_default(const struct source_limits *l)
{
	default_limits = *l;
}

void
source_limits_default(struct source_limits *l)
{
	*l = default_limits;
}

/*
 * Raw layer.
 */

/* Record an I/O failure once; it wins over any later content error. */
static void
set_io_fail(struct source *s, const char *what, int errnum)
{
	pv_error_set(&s->fail, PV_ERR_FATAL, "", 0, "cannot %s '%s': %s",
	    what, s->display, strerror(errnum));
	s->io_failed = 1;
	if (s->state != ST_FINISHED)
		s->state = ST_FAILED;
}

/*
 * Read more raw bytes after blk[pos..len), moving those to the front
 * first. Returns the number of new bytes, 0 at end of input, -1 on a read
 * error (s->fail filled).
 */
static ssize_t
raw_fill(struct source *s)
{
	ssize_t n;

	if (s->io_failed)
		return -1;
	if (s->eof)
		return 0;
	if (s->pos > 0) {
		memmove(s->blk, s->blk + s->pos, s->len - s->pos);
		s->len -= s->pos;
		s->pos = 0;
	}
	if (s->len == BLOCK)
		return 0;	/* callers only fill when they need room */
	/* A pipe or terminal may keep us waiting: wait in poll, so that
	 * the cancel descriptor (source_set_cancel) can end the wait. */
	if (s->cancel_fd >= 0 && !s->seekable) {
		struct pollfd pfd[2] = {
			{ s->fd, POLLIN, 0 }, { s->cancel_fd, POLLIN, 0 }
		};

		while (poll(pfd, 2, -1) < 0)
			if (errno != EINTR) {
				set_io_fail(s, "read", errno);
				return -1;
			}
		if (pfd[1].revents != 0) {
			pv_error_set(&s->fail, PV_ERR_FATAL, "", 0, "reading "
			    "'%s' was stopped", s->display);
			s->io_failed = 1;
			s->state = ST_FAILED;
			return -1;
		}
	}
	do
		n = read(s->fd, s->blk + s->len, BLOCK - s->len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		set_io_fail(s, "read", errno);
		return -1;
	}
	if (n == 0) {
		s->eof = 1;
		return 0;
	}
	/* Only what extends the hashed prefix: after a 7z seek, bytes may
	 * come again or come after a gap (which source_finish fills). */
	if (s->foff <= s->hashed && s->foff + (uint64_t)n > s->hashed) {
		sha256_update(&s->sha, s->blk + s->len + (s->hashed - s->foff),
		    (size_t)(s->foff + (uint64_t)n - s->hashed));
		s->hashed = s->foff + (uint64_t)n;
	}
	s->foff += (uint64_t)n;
	s->raw += (uint64_t)n;
	s->len += (size_t)n;
	return n;
}

/* Raw bytes handed to a decoder: read minus still buffered. */
static uint64_t
raw_used(const struct source *s)
{
	return s->raw - (uint64_t)(s->len - s->pos);
}

/*
 * Errors.
 */

static int
replay(const struct source *s, struct pv_error *err)
{
	if (err != NULL)
		*err = s->fail;
	return -1;
}

/* A problem with the content of the input: reject it, keep running. */
static int
content_fail(struct source *s, struct pv_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
content_fail(struct source *s, struct pv_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!s->io_failed) {
		s->fail.kind = PV_ERR_INPUT;
		snprintf(s->fail.file, sizeof(s->fail.file), "%s", s->display);
		s->fail.line = 0;
		va_start(ap, fmt);
		vsnprintf(s->fail.msg, sizeof(s->fail.msg), fmt, ap);
		va_end(ap);
	}
	s->state = ST_FAILED;
	return replay(s, err);
}

static int
fatal_fail(struct source *s, struct pv_error *err, const char *msg)
{
	if (!s->io_failed)
		pv_error_set(&s->fail, PV_ERR_FATAL, s->display, 0, "%s", msg);
	s->state = ST_FAILED;
	return replay(s, err);
}

/*
 * Count n more decompressed bytes and enforce the limits. The total is
 * over the whole input, not per member: a bomb split into many small
 * members is still a bomb.
 */
static int
expand(struct source *s, uint64_t n, struct pv_error *err)
{
	uint64_t e, used;
	la_int64_t f;

	s->expanded += n;
	e = s->expanded;
	/* Under a compression filter (tar.gz, tar.bz2) headers, padding and
	 * skipped entries are decompressed too; libarchive counts them. */
	if (s->a != NULL && archive_filter_count(s->a) > 1 &&
	    archive_filter_code(s->a, 0) != ARCHIVE_FILTER_NONE) {
		f = archive_filter_bytes(s->a, 0);
		if (f > 0 && (uint64_t)f > e)
			e = (uint64_t)f;
	}
	if (s->lim.max_expanded_bytes != 0 && e > s->lim.max_expanded_bytes)
		return content_fail(s, err, "expands beyond the limit of %"
		    PRIu64 " bytes (possible decompression bomb; see "
		    "--max-size)", s->lim.max_expanded_bytes);
	if (s->lim.max_ratio != 0 && e > RATIO_FLOOR) {
		used = raw_used(s);
		if (used == 0)
			used = 1;
		if (e / used > s->lim.max_ratio)
			return content_fail(s, err, "expands more than %" PRIu64
			    " times its compressed size (possible decompression"
			    " bomb; see --max-ratio)", s->lim.max_ratio);
	}
	return 0;
}

/*
 * Detection.
 */

/* A ustar (or GNU) header: the magic and a matching checksum, so text
 * that happens to say "ustar" at 257 does not count. */
static int
is_tar_header(const unsigned char *h)
{
	unsigned long want = 0, sum = 0;
	size_t i;

	if (memcmp(h + 257, "ustar", 5) != 0)
		return 0;
	for (i = 148; i < 156 && h[i] == ' '; i++)
		;
	if (i == 156 || h[i] < '0' || h[i] > '7')
		return 0;
	for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++)
		want = want * 8 + (unsigned long)(h[i] - '0');
	for (i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return sum == want;
}

/* Does the gzip stream at p start with a tar header? Looks only at what
 * the peeked block holds; a tar.gz whose first 512 bytes need more than
 * 256 KiB of input would be pathological. */
static int
gzip_holds_tar(const unsigned char *p, size_t n)
{
	z_stream z;
	unsigned char h[512];
	int r, got;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return 0;
	z.next_in = p;
	z.avail_in = (uInt)n;
	z.next_out = h;
	z.avail_out = sizeof(h);
	do
		r = inflate(&z, Z_NO_FLUSH);
	while (r == Z_OK && z.avail_out > 0 && z.avail_in > 0);
	got = z.avail_out == 0;
	inflateEnd(&z);
	return got && is_tar_header(h);
}

static int
has(const struct source *s, size_t off, const void *magic, size_t n)
{
	return s->len >= off + n && memcmp(s->blk + off, magic, n) == 0;
}

/* bzip2: "BZh", a level, then a block or end-of-stream magic. */
static int
is_bzip2(const struct source *s)
{
	static const unsigned char blk[6] = { 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 };
	static const unsigned char end[6] = { 0x17, 0x72, 0x45, 0x38, 0x50, 0x90 };

	return has(s, 0, "BZh", 3) && s->len >= 10 &&
	    s->blk[3] >= '1' && s->blk[3] <= '9' &&
	    (memcmp(s->blk + 4, blk, 6) == 0 || memcmp(s->blk + 4, end, 6) == 0);
}

/* Sets container (and a_raw) from the first bytes. */
static void
detect(struct source *s)
{
	static const unsigned char xz[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	static const unsigned char zstd[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	static const unsigned char sevenz[6] = { '7', 'z', 0xbc, 0xaf, 0x27, 0x1c };

	if (has(s, 0, "\x1f\x8b", 2)) {
		s->container = gzip_holds_tar(s->blk, s->len) ?
		    SOURCE_ARCHIVE : SOURCE_GZIP;
	} else if (has(s, 0, "PK\003\004", 4) || has(s, 0, "PK\005\006", 4) ||
	    has(s, 0, "PK\007\010", 4)) {
		s->container = SOURCE_ZIP;
	} else if (is_bzip2(s) || has(s, 0, xz, 6) || has(s, 0, zstd, 4)) {
		/* A filter over either an archive or a single file; which one
		 * shows after decompression, so let libarchive decide. */
		s->container = SOURCE_ARCHIVE;
		s->a_raw = 1;
	} else if (has(s, 0, sevenz, 6)) {
		s->container = SOURCE_ARCHIVE;
		s->a_7z = 1;
	} else if (s->len >= 512 && is_tar_header(s->blk)) {
		s->container = SOURCE_ARCHIVE;
	} else {
		s->container = SOURCE_PLAIN;
	}
}

/* display without a trailing suffix from list (case-insensitive). */
static char *
strip_suffix(const char *display, const char *const *list)
{
	size_t n = strlen(display), k;

	for (; *list != NULL; list++) {
		k = strlen(*list);
		if (n > k && strcasecmp(display + n - k, *list) == 0)
			return xstrndup(display, n - k);
	}
	return xstrdup(display);
}

/*
 * libarchive through the raw layer.
 */

static la_ssize_t
arch_read_cb(struct archive *a, void *ud, const void **buf)
{
	struct source *s = ud;
	size_t n;

	if (s->pos == s->len && raw_fill(s) < 0) {
		archive_set_error(a, EIO, "%s", s->fail.msg);
		return -1;
	}
	/* Hand over everything buffered; it stays valid until the next call,
	 * which is the only time the buffer is refilled. */
	*buf = s->blk + s->pos;
	n = s->len - s->pos;
	s->pos = s->len;
	return (la_ssize_t)n;
}

/* Only for 7z on a regular file. */
static la_int64_t
arch_seek_cb(struct archive *a, void *ud, la_int64_t off, int whence)
{
	struct source *s = ud;
	off_t r;

	/* libarchive's position is the fd's less what is still buffered
	 * (only ever the peeked block, before the first read callback). */
	if (whence == SEEK_CUR) {
		off += (la_int64_t)(s->foff - (s->len - s->pos));
		whence = SEEK_SET;
	}
	r = lseek(s->fd, (off_t)off, whence);
	if (r < 0) {
		set_io_fail(s, "seek in", errno);
		archive_set_error(a, errno, "%s", s->fail.msg);
		return ARCHIVE_FATAL;
	}
	s->foff = (uint64_t)r;
	s->pos = s->len = 0;
	s->eof = 0;
	return r;
}

/* What libarchive said, or the read error behind it. */
static int
arch_fail(struct source *s, struct pv_error *err)
{
	const char *why = s->a != NULL ? archive_error_string(s->a) : NULL;

	if (s->io_failed) {
		s->state = ST_FAILED;
		return replay(s, err);
	}
	return content_fail(s, err, "corrupt %s: %s",
	    s->container == SOURCE_ZIP ? "zip" : "archive",
	    why != NULL ? why : "unknown error");
}

static int
arch_open(struct source *s, struct pv_error *err)
{
	if (s->a_7z && !s->seekable)
		return content_fail(s, err, "a 7z archive cannot be read from a"
		    " pipe: give its path instead");
	s->a = archive_read_new();
	if (s->a == NULL)
		return fatal_fail(s, err, "out of memory");
	/*
	 * Only the formats the magic number allows. format_all would be
	 * wrong here: its mtree reader takes plain text, a CSV inside a .bz2
	 * included, for a list of entries.
	 */
	archive_read_support_filter_gzip(s->a);
	archive_read_support_filter_bzip2(s->a);
	archive_read_support_filter_xz(s->a);
	archive_read_support_filter_zstd(s->a);
	if (s->container == SOURCE_ZIP) {
		archive_read_support_format_zip(s->a);
	} else {
		archive_read_support_format_7zip(s->a);
		archive_read_support_format_tar(s->a);
	}
	/* Raw turns any byte stream into one entry, so it is only allowed
	 * where a compressed single file is expected: elsewhere it would
	 * hide a damaged archive behind a successful read. */
	if (s->a_raw) {
		archive_read_support_format_raw(s->a);
		/* raw does not bid on nothing; empty does, with no entry. */
		archive_read_support_format_empty(s->a);
	}
	archive_read_set_callback_data(s->a, s);
	archive_read_set_read_callback(s->a, arch_read_cb);
	/* Without a seek callback libarchive reads straight through, which
	 * is what keeps zip on its streaming reader. */
	if (s->a_7z)
		archive_read_set_seek_callback(s->a, arch_seek_cb);
	if (archive_read_open1(s->a) != ARCHIVE_OK)
		return arch_fail(s, err);
	return 0;
}

/* Read (and count) the rest of the current entry's data. */
static int
arch_skip(struct source *s, struct pv_error *err)
{
	const void *p;
	size_t n;
	la_int64_t off;
	int r;

	if (s->a_member_eof)
		return 0;
	for (;;) {
		r = archive_read_data_block(s->a, &p, &n, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK)
			return arch_fail(s, err);
		if (expand(s, n, err) < 0)
			return -1;
	}
	s->a_member_eof = 1;
	return 0;
}

static int
arch_next(struct source *s, const char **name, struct pv_error *err)
{
	struct archive_entry *e;
	const char *path;
	int r;

	static const char *const raw_suffixes[] = {
		".bz2", ".bz", ".xz", ".zst", ".zstd", NULL
	};

	if (s->a == NULL && arch_open(s, err) < 0)
		return -1;
	if (s->state == ST_MEMBER && arch_skip(s, err) < 0)
		return -1;
	for (;;) {
		r = s->a_eof ? ARCHIVE_EOF : archive_read_next_header(s->a, &e);
		if (r == ARCHIVE_EOF && !s->a_eof) {
			s->a_eof = 1;
			/* A compressed empty file: one empty member, as for
			 * gzip, rather than none. */
			if (s->a_raw && s->a_nentries == 0 &&
			    archive_format(s->a) == ARCHIVE_FORMAT_EMPTY) {
				s->a_nentries++;
				s->a_member_eof = 1;
				free(s->name);
				s->name = strip_suffix(s->display, raw_suffixes);
				s->state = ST_MEMBER;
				*name = s->name;
				return 1;
			}
		}
		if (r == ARCHIVE_EOF) {
			s->state = ST_END;
			return 0;
		}
		/* ARCHIVE_WARN is about metadata (a name that does not convert
		 * to the locale and the like); the data may still be fine. */
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return arch_fail(s, err);
		s->a_nentries++;
		s->a_member_eof = 0;
		if (expand(s, 0, err) < 0)
			return -1;
		if (archive_entry_filetype(e) != AE_IFREG ||
		    archive_entry_hardlink(e) != NULL) {
			if (arch_skip(s, err) < 0)
				return -1;
			continue;
		}
		free(s->name);
		if (s->a_raw && archive_format(s->a) == ARCHIVE_FORMAT_RAW) {
			/* libarchive calls it "data"; the file's own name
			 * less the compression suffix says more. */
			s->name = strip_suffix(s->display, raw_suffixes);
		} else {
			path = archive_entry_pathname(e);
			if (path == NULL)
				path = archive_entry_pathname_utf8(e);
			/* Only ever used as a label: never as a path. */
			s->name = xstrdup(path != NULL ? path : "");
		}
		s->mtime = archive_entry_mtime_is_set(e) ?
		    (long long)archive_entry_mtime(e) : 0;
		if (archive_entry_is_data_encrypted(e))
			return content_fail(s, err, "member '%s' is encrypted,"
			    " which is not supported: extract it first",
			    s->name);
		s->state = ST_MEMBER;
		*name = s->name;
		return 1;
	}
}

static ssize_t
arch_read(struct source *s, void *buf, size_t n, struct pv_error *err)
{
	la_ssize_t r;

	if (s->a_member_eof)
		return 0;
	r = archive_read_data(s->a, buf, n);
	if (r == 0) {
		s->a_member_eof = 1;
		return 0;
	}
	/* Negative includes ARCHIVE_WARN, which is how a bad CRC shows. */
	if (r < 0)
		return arch_fail(s, err);
	if (expand(s, (uint64_t)r, err) < 0)
		return -1;
	return (ssize_t)r;
}

/*
 * gzip through zlib.
 */

/*
 * After a member's trailer: another member, nothing, or garbage.
 * Returns 1 (another member, stream reset), 0 (end), -1.
 */
static int
gz_next_member(struct source *s, struct pv_error *err)
{
	size_t avail;

	while (s->len - s->pos < 2 && !s->eof)
		if (raw_fill(s) < 0)
			return replay(s, err);
	avail = s->len - s->pos;
	if (avail == 0) {
		s->gz_end = 1;
		return 0;
	}
	if (avail >= 2 && s->blk[s->pos] == 0x1f && s->blk[s->pos + 1] == 0x8b) {
#ifdef PILVI_HAVE_ISAL
		if (s->isal != NULL) {
			isal_inflate_reset(s->isal);
			s->isal->crc_flag = ISAL_GZIP;
			return 1;
		}
#endif
		if (inflateReset(&s->z) != Z_OK)
			return fatal_fail(s, err, "cannot reset zlib stream");
		return 1;
	}
	return content_fail(s, err, "trailing garbage after gzip data");
}

#ifdef PILVI_HAVE_ISAL
/* ISA-L's errors in zlib's words (the checksum one is zlib's exactly;
 * for damaged data the two libraries may name a different fault). */
static const char *
isal_message(int r)
{
	switch (r) {
	case ISAL_INVALID_BLOCK:
		return "invalid block type";
	case ISAL_INVALID_SYMBOL:
		return "invalid code";
	case ISAL_INVALID_LOOKBACK:
		return "invalid distance too far back";
	case ISAL_INVALID_WRAPPER:
		return "incorrect header check";
	case ISAL_UNSUPPORTED_METHOD:
		return "unknown compression method";
	case ISAL_INCORRECT_CHECKSUM:
		return "incorrect data check";
	default:
		return "invalid data";
	}
}

static ssize_t
gz_read_isal(struct source *s, void *buf, size_t n, struct pv_error *err)
{
	struct inflate_state *st = s->isal;
	size_t got;
	int r;

	if (n > UINT32_MAX)
		n = UINT32_MAX;
	for (;;) {
		if (s->gz_end)
			return 0;
		if (s->pos == s->len && !s->eof && raw_fill(s) < 0)
			return replay(s, err);
		st->next_in = s->blk + s->pos;
		st->avail_in = (uint32_t)(s->len - s->pos);
		st->next_out = buf;
		st->avail_out = (uint32_t)n;
		r = isal_inflate(st);
		s->pos = s->len - st->avail_in;
		got = n - st->avail_out;
		if (r < 0 || r == ISAL_NEED_DICT)
			return content_fail(s, err, "corrupt gzip data: %s",
			    isal_message(r));
		if (st->block_state == ISAL_BLOCK_FINISH) {
			if (gz_next_member(s, err) < 0)
				return -1;
		} else if (got == 0 && s->eof && s->pos == s->len) {
			return content_fail(s, err, "truncated gzip data");
		}
		if (got > 0) {
			if (expand(s, got, err) < 0)
				return -1;
			return (ssize_t)got;
		}
	}
}
#endif

static ssize_t
gz_read(struct source *s, void *buf, size_t n, struct pv_error *err)
{
	size_t got;
	int r;

#ifdef PILVI_HAVE_ISAL
	if (s->isal != NULL)
		return gz_read_isal(s, buf, n, err);
#endif
	if (n > UINT_MAX)
		n = UINT_MAX;
	for (;;) {
		if (s->gz_end)
			return 0;
		if (s->pos == s->len && !s->eof && raw_fill(s) < 0)
			return replay(s, err);
		s->z.next_in = s->blk + s->pos;
		s->z.avail_in = (uInt)(s->len - s->pos);
		s->z.next_out = buf;
		s->z.avail_out = (uInt)n;
		r = inflate(&s->z, Z_NO_FLUSH);
		s->pos = s->len - s->z.avail_in;
		got = n - s->z.avail_out;
		switch (r) {
		case Z_STREAM_END:
			if (gz_next_member(s, err) < 0)
				return -1;
			break;
		case Z_OK:
			break;
		case Z_BUF_ERROR:
			/* No progress: input is needed and there is none. */
			if (s->eof && s->pos == s->len)
				return content_fail(s, err,
				    "truncated gzip data");
			break;
		case Z_MEM_ERROR:
			return fatal_fail(s, err, "out of memory in zlib");
		case Z_DATA_ERROR:
		case Z_NEED_DICT:
		default:
			return content_fail(s, err, "corrupt gzip data: %s",
			    s->z.msg != NULL ? s->z.msg : "invalid data");
		}
		if (got > 0) {
			if (expand(s, got, err) < 0)
				return -1;
			return (ssize_t)got;
		}
	}
}

/*
 * plain
 */

static ssize_t
plain_read(struct source *s, void *buf, size_t n, struct pv_error *err)
{
	size_t k;
	ssize_t r;

	if (s->pos == s->len) {
		r = raw_fill(s);
		if (r < 0)
			return replay(s, err);
		if (r == 0)
			return 0;
	}
	k = s->len - s->pos;
	if (k > n)
		k = n;
	memcpy(buf, s->blk + s->pos, k);
	s->pos += k;
	return (ssize_t)k;
}

/*
 * API
 */

int
source_open(struct source **out, const char *path, const char *display,
    const struct source_limits *limits, struct pv_error *err)
{
	struct source *s;
	struct stat st;
	int is_stdin = strcmp(path, "-") == 0;

	static const char *const gz_suffixes[] = { ".gz", NULL };

	*out = NULL;
	s = xcalloc(1, sizeof(*s));
	s->cancel_fd = -1;
	s->fd = -1;
	s->spool_fd = -1;
	if (display == NULL)
		display = is_stdin ? "stdin" : path;
	s->display = xstrdup(display);
	if (limits != NULL)
		s->lim = *limits;
	else
		source_limits_default(&s->lim);
	sha256_init(&s->sha);
	pv_error_clear(&s->fail);

	if (is_stdin) {
		s->fd = STDIN_FILENO;
	} else {
		s->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (s->fd < 0) {
			pv_error_set(err, PV_ERR_INPUT, "", 0,
			    "cannot open '%s': %s", s->display, strerror(errno));
			goto fail;
		}
		s->own_fd = 1;
	}
	if (fstat(s->fd, &st) != 0) {
		pv_error_set(err, PV_ERR_FATAL, "", 0, "cannot stat '%s': %s",
		    s->display, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		pv_error_set(err, PV_ERR_INPUT, "", 0, "'%s' is a directory",
		    s->display);
		goto fail;
	}
	s->mtime = (long long)st.st_mtime;
	if (S_ISREG(st.st_mode)) {
		s->size = (uint64_t)st.st_size;
		/* Offsets count from where we start reading: a redirected
		 * stdin already read from is not seekable for our purpose. */
		s->seekable = lseek(s->fd, 0, SEEK_CUR) == 0;
	}

	/* The peek: a whole first block (a pipe may need several reads), so
	 * detection sees as much as the decoders will start from. */
	s->blk = xmalloc(BLOCK);
	while (s->len < BLOCK && !s->eof)
		if (raw_fill(s) < 0) {
			if (err != NULL)
				*err = s->fail;
			goto fail;
		}
	detect(s);

	if (s->container == SOURCE_GZIP) {
		if (inflateInit2(&s->z, 15 + 16) != Z_OK) {
			pv_error_set(err, PV_ERR_FATAL, "", 0,
			    "cannot start zlib for '%s'", s->display);
			goto fail;
		}
		s->z_live = 1;
#ifdef PILVI_HAVE_ISAL
		if (!zlib_forced) {
			s->isal = xmalloc(sizeof(*s->isal));
			isal_inflate_init(s->isal);
			s->isal->crc_flag = ISAL_GZIP;
		}
#endif
		s->name = strip_suffix(s->display, gz_suffixes);
	} else if (s->container == SOURCE_PLAIN) {
		s->name = xstrdup(s->display);
	}
	/* libarchive is opened on the first source_next, so that a damaged
	 * archive is reported like any other content error. */
	*out = s;
	return 0;
fail:
	source_free(s);
	return -1;
}

static void
spool_close(struct source *s)
{
	if (s->spool_fd >= 0)
		close(s->spool_fd);
	s->spool_fd = -1;
}

/* write(2) all of p, or -1. */
static int
write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

long long
source_member_mtime(const struct source *s)
{
	return s->mtime;
}

int
source_skip_member(struct source *s, struct pv_error *err)
{
	if (s->state == ST_FAILED)
		return replay(s, err);
	if (s->state != ST_MEMBER || s->a == NULL || s->a_member_eof)
		return 0;
	if (archive_read_data_skip(s->a) != ARCHIVE_OK)
		return arch_fail(s, err);
	s->a_member_eof = 1;
	/* what a compression filter inflated on the way still counts */
	return expand(s, 0, err);
}

int
source_member_path(struct source *s, const void *head, size_t nhead,
    char *path, size_t n, struct pv_error *err)
{
	const char *dir = getenv("TMPDIR");
	char tmp[PATH_MAX], *buf;
	ssize_t r;
	int fd;

	if (s->state == ST_FAILED)
		return replay(s, err);
	spool_close(s);
	if (s->container == SOURCE_PLAIN && s->seekable) {
		snprintf(path, n, "/proc/self/fd/%d", s->fd);
		if (access(path, R_OK) == 0)
			return 0;
	}
	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	snprintf(tmp, sizeof(tmp), "%s/pilvi-member.XXXXXX", dir);
	fd = mkstemp(tmp);
	if (fd < 0)
		return pv_error_set(err, PV_ERR_FATAL, "", 0, "cannot make a "
		    "temporary file in %s for '%s': %s", dir, s->display,
		    strerror(errno));
	unlink(tmp);
	s->spool_fd = fd;
	buf = xmalloc(BLOCK);
	if (nhead > 0 && write_all(fd, head, nhead) != 0)
		goto write_fail;
	while ((r = source_read(s, buf, BLOCK, err)) > 0)
		if (write_all(fd, buf, (size_t)r) != 0)
			goto write_fail;
	free(buf);
	if (r < 0) {
		spool_close(s);
		return -1;
	}
	snprintf(path, n, "/proc/self/fd/%d", fd);
	return 0;
write_fail:
	pv_error_set(err, PV_ERR_FATAL, "", 0, "cannot write a temporary "
	    "copy of '%s' in %s: %s", s->display, dir, strerror(errno));
	free(buf);
	spool_close(s);
	return -1;
}

int
source_next(struct source *s, const char **name, struct pv_error *err)
{
	*name = NULL;
	spool_close(s);
	switch (s->state) {
	case ST_FAILED:
		return replay(s, err);
	case ST_END:
	case ST_FINISHED:
		return 0;
	case ST_START:
	case ST_MEMBER:
		break;
	}
	if (s->container == SOURCE_PLAIN || s->container == SOURCE_GZIP) {
		if (s->state == ST_MEMBER) {
			s->state = ST_END;
			return 0;
		}
		s->state = ST_MEMBER;
		*name = s->name;
		return 1;
	}
	return arch_next(s, name, err);
}

ssize_t
source_read(struct source *s, void *buf, size_t n, struct pv_error *err)
{
	if (s->state == ST_FAILED)
		return replay(s, err);
	if (s->state != ST_MEMBER || n == 0)
		return 0;
	if (n > SSIZE_MAX)
		n = SSIZE_MAX;
	switch (s->container) {
	case SOURCE_PLAIN:
		return plain_read(s, buf, n, err);
	case SOURCE_GZIP:
		return gz_read(s, buf, n, err);
	case SOURCE_ZIP:
	case SOURCE_ARCHIVE:
		break;
	}
	return arch_read(s, buf, n, err);
}

int
source_finish(struct source *s, unsigned char sha256[32],
    uint64_t *raw_bytes, struct pv_error *err)
{
	ssize_t r;

	if (s->state != ST_FINISHED) {
		/* Whatever the decoders left unread (a zip's central
		 * directory, members nobody asked for). What is buffered was
		 * hashed when it was read, libarchive's read-ahead too. After
		 * 7z seeks, go back to the end of the hashed prefix. */
		if (s->foff != s->hashed) {
			if (lseek(s->fd, (off_t)s->hashed, SEEK_SET) < 0) {
				set_io_fail(s, "seek in", errno);
				return replay(s, err);
			}
			s->foff = s->hashed;
			s->eof = 0;
		}
		do {
			s->pos = s->len = 0;
			r = raw_fill(s);
		} while (r > 0);
		if (r < 0)
			return replay(s, err);
		sha256_final(&s->sha, s->digest);
		s->state = ST_FINISHED;
	}
	memcpy(sha256, s->digest, sizeof(s->digest));
	*raw_bytes = s->hashed;
	return 0;
}

enum source_container
source_container(const struct source *s)
{
	return s->container;
}

const char *
source_container_name(enum source_container c)
{
	switch (c) {
	case SOURCE_PLAIN:
		return "plain";
	case SOURCE_GZIP:
		return "gzip";
	case SOURCE_ZIP:
		return "zip";
	case SOURCE_ARCHIVE:
		return "archive";
	}
	return "unknown";
}

uint64_t
source_raw_consumed(const struct source *s)
{
	return s->hashed;
}

uint64_t
source_raw_size(const struct source *s)
{
	return s->size;
}

void
source_free(struct source *s)
{
	if (s == NULL)
		return;
	spool_close(s);
	if (s->a != NULL)
		archive_read_free(s->a);
	if (s->z_live)
		inflateEnd(&s->z);
#ifdef PILVI_HAVE_ISAL
	free(s->isal);
#endif
	if (s->own_fd && s->fd >= 0)
		close(s->fd);
	free(s->blk);
	free(s->name);
	free(s->display);
	free(s);
}
