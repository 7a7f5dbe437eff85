/*
 * message.c - take an e-mail message apart: its envelope-ish headers and
 * its attachments, each decoded into a file of its own.
 *
 * GMime does the MIME work. The parser is given a file stream, and GMime
 * keeps seekable streams "persistent": a part's content stays a window
 * on the file instead of a copy in memory, so a large zip attachment
 * costs no more memory than a small one. Each part is decoded through a
 * basic filter (base64, quoted-printable, uuencode) by our own read/write
 * loop rather than g_mime_data_wrapper_write_to_stream, so that the byte
 * limit is enforced before a byte beyond it reaches the disk and a failed
 * write reports the errno it had (a full disk, say).
 *
 * Nothing here trusts the sender's names: a filename is reduced to its
 * last path component, stripped of separators, control characters and
 * leading dots, and prefixed with a counter; the file is created with
 * O_EXCL, so an existing file or symlink in dir is never followed or
 * overwritten.
 */
#include "message.h"

#include <errno.h>
#include <fcntl.h>
#include <gmime/gmime.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

#define SNIFF_BYTES	(64 * 1024)
#define MAX_ATTACHMENTS	100
#define MAX_BYTES	((uint64_t)4 << 30)	/* decoded, all attachments */
#define MAX_DEPTH	64	/* nested multiparts / forwarded messages */
#define MAX_NAME	200	/* bytes of a name kept: NAME_MAX is 255 */

/* What a walk over the MIME tree carries along. */
struct walk {
	const char *display;
	const char *dir;
	struct message *m;
	size_t cap;		/* allocated m->attachments */
	uint64_t total;		/* decoded bytes saved so far */
	struct pv_error *err;
};

static void
init_once(void)
{
	static int done;

	/* g_mime_init is idempotent in 3.x; the flag keeps that from
	 * mattering. Never undone: the CLI runs once and exits. */
	if (!done) {
		g_mime_init();
		done = 1;
	}
}

/* ---- sniffing ---- */

/* The headers a billing file never starts with but a message does. */
static int
known_header(const char *name, size_t n)
{
	static const char *const known[] = {
		"From", "Received", "Message-ID", "MIME-Version", "Subject",
		"Return-Path", "Delivered-To", "Date", "To",
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i]) == n && strncasecmp(name, known[i], n) == 0)
			return 1;
	return 0;
}

/*
 * Look at one header-block line (without its newline or CR). Returns 1
 * for a field or a continuation, 0 for anything a header block cannot
 * hold; sets *known when the field is one of ours.
 */
static int
header_line(const char *s, size_t n, int first, int *known)
{
	size_t i, name;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7f)
			return 0;
	/* an mbox separator may come first when a Maildir file was made
	 * from an mbox */
	if (first && n >= 5 && memcmp(s, "From ", 5) == 0)
		return 1;
	if (s[0] == ' ' || s[0] == '\t')
		return !first;
	for (name = 0; name < n && s[name] != ':'; name++)
		if ((unsigned char)s[name] <= 0x20 ||
		    (unsigned char)s[name] > 0x7e)
			return 0;
	if (name == 0 || name == n)
		return 0;
	if (known_header(s, name))
		*known = 1;
	return 1;
}

int
message_sniff(const char *path, struct pv_error *err)
{
	char *buf = xmalloc(SNIFF_BYTES);
	size_t n = 0, start, end, len;
	ssize_t r;
	int fd, known = 0, first = 1, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		pv_error_set(err, PV_ERR_INPUT, "", 0, "cannot open '%s': %s",
		    path, strerror(errno));
		goto out;
	}
	while (n < SNIFF_BYTES) {
		r = read(fd, buf + n, SNIFF_BYTES - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			pv_error_set(err, PV_ERR_INPUT, "", 0,
			    "cannot read '%s': %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	rc = 0;
	for (start = 0; start < n; start = end + 1) {
		const char *nl = memchr(buf + start, '\n', n - start);

		if (nl == NULL) {
			/* cut off by the 64 KiB window: judge what was whole */
			if (n == SNIFF_BYTES)
				break;
			end = n;
		} else {
			end = (size_t)(nl - buf);
		}
		len = end - start;
		if (len > 0 && buf[start + len - 1] == '\r')
			len--;
		if (len == 0)
			break;		/* the end of the header block */
		if (!header_line(buf + start, len, first, &known))
			goto out;
		first = 0;
	}
	rc = known;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

/* ---- extraction ---- */

/* Valid UTF-8 with C0 controls and DEL made spaces: these strings end up
 * in the database, reports and terminal lines, where a raw ESC or
 * newline from a sender would do harm. Returns an xmalloc'd copy. */
static char *
clean_text(const char *s)
{
	char *valid, *out;
	size_t i;

	if (s == NULL)
		return xstrdup("");
	valid = g_utf8_make_valid(s, -1);
	out = xstrdup(valid);
	g_free(valid);
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = ' ';
	return out;
}

/*
 * The sender's filename made safe to use as one path component: the last
 * component only (either separator), control characters and separators
 * replaced, leading dots and blanks dropped, at most MAX_NAME bytes (cut
 * on a UTF-8 boundary). "attachment-N" when nothing is left.
 */
static char *
safe_name(const char *raw, size_t n)
{
	char *valid, *out, buf[32];
	const char *base, *p;
	size_t len, i;

	if (raw == NULL)
		raw = "";
	valid = g_utf8_make_valid(raw, -1);
	base = valid;
	for (p = valid; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	while (*base == '.' || *base == ' ' || *base == '\t')
		base++;
	len = strlen(base);
	if (len > MAX_NAME) {
		len = MAX_NAME;
		while (len > 0 && ((unsigned char)base[len] & 0xc0) == 0x80)
			len--;
	}
	out = xstrndup(base, len);
	g_free(valid);
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f ||
		    out[i] == '/' || out[i] == '\\')
			out[i] = '_';
	if (out[0] == '\0') {
		free(out);
		snprintf(buf, sizeof(buf), "attachment-%zu", n);
		out = xstrdup(buf);
	}
	return out;
}

/*
 * Create dir/NN-name (or dir/NN-K-name when that exists already) for
 * writing, 0600, never following or replacing anything. Returns the fd
 * with *path set (caller frees), or -1 with w->err filled.
 */
static int
create_file(struct walk *w, size_t n, const char *name, char **path)
{
	size_t cap = strlen(w->dir) + strlen(name) + 32;
	char *p = xmalloc(cap);
	unsigned k;
	int fd;

	for (k = 1; k < 100; k++) {
		if (k == 1)
			snprintf(p, cap, "%s/%02zu-%s", w->dir, n, name);
		else
			snprintf(p, cap, "%s/%02zu-%u-%s", w->dir, n, k, name);
		fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
		    O_NOFOLLOW | O_NOCTTY, 0600);
		if (fd >= 0) {
			*path = p;
			return fd;
		}
		if (errno != EEXIST)
			break;
	}
	pv_error_set(w->err, PV_ERR_FATAL, "", 0, "cannot create '%s': %s",
	    p, strerror(errno));
	free(p);
	return -1;
}

static int
write_all(int fd, const char *buf, size_t n)
{
	ssize_t r;

	while (n > 0) {
		r = write(fd, buf, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		buf += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Decode part's content into fd. Returns 0 or -1 with w->err filled. */
static int
decode_into(struct walk *w, GMimePart *part, int fd, const char *path)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *src, *filtered = NULL;
	GMimeFilter *filter;
	char buf[16384];
	ssize_t r;
	int rc = -1;

	if (content == NULL ||
	    (src = g_mime_data_wrapper_get_stream(content)) == NULL)
		return 0;	/* an empty part: an empty file */
	if (g_mime_stream_reset(src) != 0) {
		pv_error_set(w->err, PV_ERR_INPUT, w->display, 0,
		    "cannot read an attachment: %s", strerror(errno));
		return -1;
	}
	filtered = g_mime_stream_filter_new(src);
	switch (g_mime_data_wrapper_get_encoding(content)) {
	case GMIME_CONTENT_ENCODING_BASE64:
	case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
	case GMIME_CONTENT_ENCODING_UUENCODE:
		filter = g_mime_filter_basic_new(
		    g_mime_data_wrapper_get_encoding(content), FALSE);
		g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), filter);
		g_object_unref(filter);
		break;
	default:
		break;		/* 7bit, 8bit, binary: the bytes as they are */
	}
	/* the loop g_mime_stream_write_to_stream uses: a filter may yield
	 * nothing for a while (whitespace) before its end */
	while (!g_mime_stream_eos(filtered)) {
		r = g_mime_stream_read(filtered, buf, sizeof(buf));
		if (r < 0) {
			pv_error_set(w->err, PV_ERR_INPUT, w->display, 0,
			    "cannot read an attachment: %s", strerror(errno));
			goto out;
		}
		if ((uint64_t)r > MAX_BYTES - w->total) {
			pv_error_set(w->err, PV_ERR_INPUT, w->display, 0,
			    "attachments larger than the limit of %" PRIu64
			    " bytes", MAX_BYTES);
			goto out;
		}
		w->total += (uint64_t)r;
		if (write_all(fd, buf, (size_t)r) != 0) {
			pv_error_set(w->err, PV_ERR_FATAL, "", 0,
			    "cannot write '%s': %s", path, strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	g_object_unref(filtered);
	return rc;
}

/* Save part when it is an attachment; a body text is passed over. */
static int
save_part(struct walk *w, GMimePart *part)
{
	GMimeContentType *ct = g_mime_object_get_content_type(
	    GMIME_OBJECT(part));
	const char *fname = g_mime_part_get_filename(part);
	struct message_attachment *a;
	char *type;
	size_t n;
	int fd;

	if ((fname == NULL || fname[0] == '\0') &&
	    !g_mime_part_is_attachment(part) &&
	    (ct == NULL || g_mime_content_type_is_type(ct, "text", "*")))
		return 0;
	if (w->m->nattachments == MAX_ATTACHMENTS)
		return pv_error_set(w->err, PV_ERR_INPUT, w->display, 0,
		    "too many attachments (more than %d)", MAX_ATTACHMENTS);
	w->m->attachments = xgrow(w->m->attachments, &w->cap,
	    w->m->nattachments + 1, sizeof(*w->m->attachments));
	a = &w->m->attachments[w->m->nattachments];
	memset(a, 0, sizeof(*a));
	n = w->m->nattachments + 1;
	a->filename = safe_name(fname, n);
	if ((fd = create_file(w, n, a->filename, &a->path)) < 0) {
		free(a->filename);
		return -1;
	}
	/* counted from here on, so a failure below removes the file too */
	w->m->nattachments++;
	type = ct != NULL ? g_mime_content_type_get_mime_type(ct) : NULL;
	a->content_type = clean_text(type != NULL ? type :
	    "application/octet-stream");
	g_free(type);
	if (decode_into(w, part, fd, a->path) != 0) {
		close(fd);
		return -1;
	}
	if (close(fd) != 0)
		return pv_error_set(w->err, PV_ERR_FATAL, "", 0,
		    "cannot write '%s': %s", a->path, strerror(errno));
	return 0;
}

static int
walk(struct walk *w, GMimeObject *obj, int depth)
{
	GMimeMultipart *mp;
	int i, count;

	if (obj == NULL)
		return 0;
	if (depth > MAX_DEPTH)
		return pv_error_set(w->err, PV_ERR_INPUT, w->display, 0,
		    "message parts nested more than %d deep", MAX_DEPTH);
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));

		return inner == NULL ? 0 :
		    walk(w, g_mime_message_get_mime_part(inner), depth + 1);
	}
	/* without the key nothing inside is readable; its parts are the
	 * version stamp and ciphertext, not billing files */
	if (GMIME_IS_MULTIPART_ENCRYPTED(obj))
		return 0;
	if (GMIME_IS_MULTIPART(obj)) {
		mp = GMIME_MULTIPART(obj);
		count = g_mime_multipart_get_count(mp);
		/* a signature is no attachment: only the signed content */
		if (GMIME_IS_MULTIPART_SIGNED(obj) && count > 1)
			count = 1;
		for (i = 0; i < count; i++)
			if (walk(w, g_mime_multipart_get_part(mp, i),
			    depth + 1) != 0)
				return -1;
		return 0;
	}
	if (GMIME_IS_PART(obj))
		return save_part(w, GMIME_PART(obj));
	return 0;
}

/* From, Subject, Message-ID and Date into m. */
static void
read_headers(GMimeMessage *msg, struct message *m)
{
	InternetAddressList *from = g_mime_message_get_from(msg);
	GDateTime *date = g_mime_message_get_date(msg), *utc;
	char *s = NULL;

	if (from != NULL && internet_address_list_length(from) > 0)
		s = internet_address_list_to_string(from, NULL, FALSE);
	m->from = clean_text(s);
	g_free(s);
	m->subject = clean_text(g_mime_message_get_subject(msg));
	m->message_id = clean_text(g_mime_message_get_message_id(msg));
	s = NULL;
	if (date != NULL && (utc = g_date_time_to_utc(date)) != NULL) {
		s = g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");
		g_date_time_unref(utc);
	}
	m->date = xstrdup(s != NULL ? s : "");
	g_free(s);
}

int
message_extract(const char *path, const char *display, const char *dir,
    struct message *m, struct pv_error *err)
{
	GMimeStream *stream = NULL;
	GMimeParser *parser = NULL;
	GMimeMessage *msg = NULL;
	GMimeHeaderList *headers;
	struct walk w;
	size_t i;
	int fd, rc = -1;

	memset(m, 0, sizeof(*m));
	init_once();
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		pv_error_set(err, PV_ERR_INPUT, "", 0, "cannot open '%s': %s",
		    display, strerror(errno));
		return -1;
	}
	stream = g_mime_stream_fs_new(fd);	/* owns fd from here */
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, NULL);
	/* GMime takes nearly anything as a message; one with no header at
	 * all is some other file */
	if (msg == NULL ||
	    (headers = g_mime_object_get_header_list(GMIME_OBJECT(msg))) ==
	    NULL || g_mime_header_list_get_count(headers) == 0) {
		pv_error_set(err, PV_ERR_INPUT, display, 0,
		    "not a readable e-mail message");
		goto out;
	}
	read_headers(msg, m);
	memset(&w, 0, sizeof(w));
	w.display = display;
	w.dir = dir;
	w.m = m;
	w.err = err;
	if (walk(&w, g_mime_message_get_mime_part(msg), 0) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		/* leave dir as it was: the caller only knows of files it
		 * is told about, and on failure it is told of none */
		for (i = 0; i < m->nattachments; i++)
			unlink(m->attachments[i].path);
		message_release(m);
	}
	if (msg != NULL)
		g_object_unref(msg);
	g_object_unref(parser);
	g_object_unref(stream);
	return rc;
}

void
message_release(struct message *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nattachments; i++) {
		free(m->attachments[i].filename);
		free(m->attachments[i].path);
		free(m->attachments[i].content_type);
	}
	free(m->attachments);
	free(m->from);
	free(m->subject);
	free(m->message_id);
	free(m->date);
	memset(m, 0, sizeof(*m));
}
