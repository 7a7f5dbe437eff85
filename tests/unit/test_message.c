/*
 * test_message.c - e-mail messages: sniffing, headers, attachments
 * decoded and saved under safe names, limits, and garbage.
 *
 * Messages are written as text into a fresh mkdtemp directory, each test
 * extracting into a folder of its own; the zip is made with libarchive's
 * write API and base64'd with GLib, so no fixture files are needed.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <glib.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "test.h"

#include "error.h"
#include "message.h"
#include "xalloc.h"

#define TEST_NAME "test_message"
#include "helpers.h"

static const char csv1[] =
    "InvoiceID,PayerAccountId,TotalCost\n"
    "123,111122223333,10.50\n";
static const char csv2[] =
    "identity/LineItemId,lineItem/UnblendedCost\n"
    "abc,0.0000001\n"
    "def,\"1,5\"\n";

static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* tdir/name, made as a folder. */
static const char *
newdir(const char *name, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s", tdir, name);
	if (mkdir(buf, 0700) != 0) {
		fprintf(stderr, "cannot mkdir %s\n", buf);
		exit(2);
	}
	return buf;
}

/* tdir/name written with n bytes of data; its path copied to buf. */
static const char *
write_named(const char *name, const void *data, size_t n, char *buf,
    size_t bn)
{
	snprintf(buf, bn, "%s", write_bytes(tpath(name), data, n));
	return buf;
}

/* The whole file, NUL-terminated; *n its size. NULL when unreadable. */
static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, len = 0, r;

	if (f == NULL)
		return NULL;
	do {
		buf = xgrow(buf, &cap, len + 4097, 1);
		r = fread(buf + len, 1, 4096, f);
		len += r;
	} while (r > 0);
	fclose(f);
	buf[len] = '\0';
	*n = len;
	return buf;
}

static int
file_is(const char *path, const void *data, size_t n)
{
	size_t got;
	char *buf = slurp(path, &got);
	int same = buf != NULL && got == n && memcmp(buf, data, n) == 0;

	free(buf);
	return same;
}

/* base64 of data in 76-column lines, each ending in "\n". */
static void
append_b64(GString *s, const void *data, size_t n)
{
	gchar *b = g_base64_encode(data, n);
	size_t len = strlen(b), i;

	for (i = 0; i < len; i += 76) {
		g_string_append_len(s, b + i, (gssize)(len - i < 76 ?
		    len - i : 76));
		g_string_append_c(s, '\n');
	}
	g_free(b);
}

/* A base64 attachment part of a "BOUND" multipart. */
static void
add_b64_part(GString *s, const char *type, const char *filename,
    const void *data, size_t n)
{
	g_string_append(s, "--BOUND\n");
	g_string_append_printf(s, "Content-Type: %s\n", type);
	if (filename != NULL)
		g_string_append_printf(s, "Content-Disposition: attachment; "
		    "filename=\"%s\"\n", filename);
	g_string_append(s, "Content-Transfer-Encoding: base64\n\n");
	append_b64(s, data, n);
}

static GString *
mixed_start(const char *subject)
{
	GString *s = g_string_new(NULL);

	g_string_append_printf(s,
	    "From: Jane Doe <jane@example.com>\n"
	    "To: billing@example.org\n"
	    "Subject: %s\n"
	    "Message-ID: <abc123@mail.example.com>\n"
	    "Date: Thu, 26 Nov 2026 10:15:00 +0200\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"BOUND\"\n"
	    "\n"
	    "--BOUND\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "\n"
	    "Here are the files.\n", subject);
	return s;
}

static const char *
write_gstring(const char *name, GString *s, char *buf, size_t n)
{
	write_named(name, s->str, s->len, buf, n);
	g_string_free(s, TRUE);
	return buf;
}

/* tdir/two.eml: a text body and two base64 CSV attachments. */
static const char *
two_csv_message(char *buf, size_t n)
{
	GString *s = mixed_start("November invoices");

	add_b64_part(s, "text/csv; name=\"a.csv\"", "a.csv", csv1,
	    strlen(csv1));
	add_b64_part(s, "text/csv", "b.csv", csv2, strlen(csv2));
	g_string_append(s, "--BOUND--\n");
	return write_gstring("two.eml", s, buf, n);
}

static void
test_headers(void)
{
	char p[512], d[512];
	const char *path = two_csv_message(p, sizeof(p));
	const char *dir = newdir("headers", d, sizeof(d));
	struct message m;
	struct pv_error err;

	CHECK_INT(message_extract(path, "two.eml", dir, &m, &err), 0);
	CHECK_STR(m.from, "Jane Doe <jane@example.com>");
	CHECK_STR(m.subject, "November invoices");
	CHECK_STR(m.message_id, "abc123@mail.example.com");
	CHECK_STR(m.date, "2026-11-26T08:15:00Z");
	message_release(&m);
}

static void
test_two_base64_csv(void)
{
	char p[512], d[512], want[600];
	const char *path = two_csv_message(p, sizeof(p));
	const char *dir = newdir("two", d, sizeof(d));
	struct message m;
	struct pv_error err;
	struct stat sb;

	CHECK_INT(message_extract(path, "two.eml", dir, &m, &err), 0);
	CHECK_INT(m.nattachments, 2);
	if (m.nattachments != 2) {
		message_release(&m);
		return;
	}
	CHECK_STR(m.attachments[0].filename, "a.csv");
	CHECK_STR(m.attachments[1].filename, "b.csv");
	snprintf(want, sizeof(want), "%s/01-a.csv", dir);
	CHECK_STR(m.attachments[0].path, want);
	snprintf(want, sizeof(want), "%s/02-b.csv", dir);
	CHECK_STR(m.attachments[1].path, want);
	CHECK_STR(m.attachments[0].content_type, "text/csv");
	CHECK(file_is(m.attachments[0].path, csv1, strlen(csv1)));
	CHECK(file_is(m.attachments[1].path, csv2, strlen(csv2)));
	CHECK(stat(m.attachments[0].path, &sb) == 0 &&
	    (sb.st_mode & 0777) == 0600);
	CHECK_INT(count_entries(dir), 2);
	message_release(&m);
}

static void
test_headers_absent(void)
{
	static const char text[] =
	    "Subject: only this\n"
	    "Date: sometime last week\n"
	    "\n"
	    "body\n";
	char p[512], d[512];
	const char *path = write_named("bare.eml", text, strlen(text), p,
	    sizeof(p));
	const char *dir = newdir("bare", d, sizeof(d));
	struct message m;
	struct pv_error err;

	CHECK_INT(message_extract(path, "bare.eml", dir, &m, &err), 0);
	CHECK_STR(m.from, "");
	CHECK_STR(m.message_id, "");
	CHECK_STR(m.date, "");
	CHECK_STR(m.subject, "only this");
	CHECK_INT(m.nattachments, 0);
	message_release(&m);
}

/* "=3D" is "=", a line ending in "=" is joined to the next. */
static void
test_quoted_printable(void)
{
	static const char text[] =
	    "From: a@example.com\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"BOUND\"\n"
	    "\n"
	    "--BOUND\n"
	    "Content-Type: text/csv; name=\"q.csv\"\n"
	    "Content-Transfer-Encoding: quoted-printable\n"
	    "\n"
	    "id,expr=3Dvalue,lo=\n"
	    "ng\n"
	    "a,b=3D=3Dc,=C3=A4\n"
	    "--BOUND--\n";
	static const char want[] = "id,expr=value,long\na,b==c,\xc3\xa4";
	char p[512], d[512];
	const char *path = write_named("qp.eml", text, strlen(text), p,
	    sizeof(p));
	const char *dir = newdir("qp", d, sizeof(d));
	struct message m;
	struct pv_error err;

	CHECK_INT(message_extract(path, "qp.eml", dir, &m, &err), 0);
	CHECK_INT(m.nattachments, 1);
	if (m.nattachments == 1) {
		CHECK_STR(m.attachments[0].filename, "q.csv");
		CHECK(file_is(m.attachments[0].path, want, strlen(want)));
	}
	message_release(&m);
}

/* A small zip made in memory. */
static size_t
make_zip(unsigned char *buf, size_t cap)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	size_t used = 0;

	archive_write_set_format_zip(a);
	archive_write_open_memory(a, buf, cap, &used);
	archive_entry_set_pathname(e, "cur.csv");
	archive_entry_set_size(e, (la_int64_t)strlen(csv2));
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	if (archive_write_header(a, e) != ARCHIVE_OK ||
	    archive_write_data(a, csv2, strlen(csv2)) < 0 ||
	    archive_write_close(a) != ARCHIVE_OK)
		used = 0;
	archive_entry_free(e);
	archive_write_free(a);
	return used;
}

static void
test_zip_byte_identical(void)
{
	unsigned char zip[8192];
	size_t zn = make_zip(zip, sizeof(zip));
	char p[512], d[512];
	GString *s;
	const char *path, *dir;
	struct message m;
	struct pv_error err;

	CHECK(zn > 22);
	s = mixed_start("zip");
	add_b64_part(s, "application/zip", "cur.zip", zip, zn);
	g_string_append(s, "--BOUND--\n");
	path = write_gstring("zip.eml", s, p, sizeof(p));
	dir = newdir("zip", d, sizeof(d));
	CHECK_INT(message_extract(path, "zip.eml", dir, &m, &err), 0);
	CHECK_INT(m.nattachments, 1);
	if (m.nattachments == 1) {
		CHECK_STR(m.attachments[0].filename, "cur.zip");
		CHECK_STR(m.attachments[0].content_type, "application/zip");
		CHECK(file_is(m.attachments[0].path, zip, zn));
	}
	message_release(&m);
}

/* A message/rfc822 part is walked: the forwarded mail's attachment. */
static void
test_forwarded(void)
{
	GString *s = g_string_new(NULL);
	char p[512], d[512];
	const char *path, *dir;
	struct message m;
	struct pv_error err;

	g_string_append(s,
	    "From: Boss <boss@example.com>\n"
	    "Subject: Fwd: invoice\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"OUTER\"\n"
	    "\n"
	    "--OUTER\n"
	    "Content-Type: text/plain\n"
	    "\n"
	    "see below\n"
	    "--OUTER\n"
	    "Content-Type: message/rfc822\n"
	    "\n"
	    "From: aws@example.com\n"
	    "Subject: invoice\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"BOUND\"\n"
	    "\n"
	    "--BOUND\n"
	    "Content-Type: text/plain\n"
	    "\n"
	    "attached\n");
	add_b64_part(s, "text/csv", "inner.csv", csv1, strlen(csv1));
	g_string_append(s, "--BOUND--\n\n--OUTER--\n");
	path = write_gstring("fwd.eml", s, p, sizeof(p));
	dir = newdir("fwd", d, sizeof(d));
	CHECK_INT(message_extract(path, "fwd.eml", dir, &m, &err), 0);
	CHECK_STR(m.subject, "Fwd: invoice");
	CHECK_INT(m.nattachments, 1);
	if (m.nattachments == 1) {
		CHECK_STR(m.attachments[0].filename, "inner.csv");
		CHECK(file_is(m.attachments[0].path, csv1, strlen(csv1)));
	}
	message_release(&m);
}

static void
test_plain_body_only(void)
{
	static const char text[] =
	    "From: a@example.com\n"
	    "Subject: no files\n"
	    "Content-Type: text/plain; charset=us-ascii\n"
	    "\n"
	    "I forgot the attachment.\n";
	char p[512], d[512];
	const char *path = write_named("plain.eml", text, strlen(text), p,
	    sizeof(p));
	const char *dir = newdir("plain", d, sizeof(d));
	struct message m;
	struct pv_error err;

	CHECK_INT(message_extract(path, "plain.eml", dir, &m, &err), 0);
	CHECK_INT(m.nattachments, 0);
	CHECK_INT(count_entries(dir), 0);
	message_release(&m);
}

/* The text and html alternatives are bodies; a text part marked as an
 * attachment and an unnamed binary part are attachments. */
static void
test_which_parts(void)
{
	static const char text[] =
	    "From: a@example.com\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"BOUND\"\n"
	    "\n"
	    "--BOUND\n"
	    "Content-Type: multipart/alternative; boundary=\"ALT\"\n"
	    "\n"
	    "--ALT\n"
	    "Content-Type: text/plain\n"
	    "\n"
	    "hello\n"
	    "--ALT\n"
	    "Content-Type: text/html\n"
	    "\n"
	    "<p>hello</p>\n"
	    "--ALT--\n"
	    "\n"
	    "--BOUND\n"
	    "Content-Type: text/plain\n"
	    "Content-Disposition: attachment\n"
	    "\n"
	    "a,b\n"
	    "--BOUND\n"
	    "Content-Type: application/octet-stream\n"
	    "Content-Transfer-Encoding: 7bit\n"
	    "\n"
	    "raw bytes\n"
	    "--BOUND--\n";
	char p[512], d[512];
	const char *path = write_named("parts.eml", text, strlen(text), p,
	    sizeof(p));
	const char *dir = newdir("parts", d, sizeof(d));
	struct message m;
	struct pv_error err;

	CHECK_INT(message_extract(path, "parts.eml", dir, &m, &err), 0);
	CHECK_INT(m.nattachments, 2);
	if (m.nattachments == 2) {
		CHECK_STR(m.attachments[0].filename, "attachment-1");
		CHECK_STR(m.attachments[0].content_type, "text/plain");
		CHECK(file_is(m.attachments[0].path, "a,b", 3));
		CHECK_STR(m.attachments[1].filename, "attachment-2");
		CHECK_STR(m.attachments[1].content_type,
		    "application/octet-stream");
		CHECK(file_is(m.attachments[1].path, "raw bytes", 9));
	}
	message_release(&m);
}

/* Names from the sender never leave dir or hide in it. */
static void
test_malicious_names(void)
{
	static const char *const names[] = {
		"../../etc/passwd", "/abs/x.csv", ".hidden.csv",
		"..\\\\..\\\\win.csv", "..",
	};
	static const char *const want[] = {
		"passwd", "x.csv", "hidden.csv", "win.csv", "attachment-5",
	};
	GString *s = mixed_start("names");
	char p[512], d[512], full[1024];
	const char *path, *dir;
	struct message m;
	struct pv_error err;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		add_b64_part(s, "text/csv", names[i], csv1, strlen(csv1));
	g_string_append(s, "--BOUND--\n");
	path = write_gstring("evil.eml", s, p, sizeof(p));
	dir = newdir("evil", d, sizeof(d));
	CHECK_INT(message_extract(path, "evil.eml", dir, &m, &err), 0);
	CHECK_INT(m.nattachments, 5);
	for (i = 0; i < m.nattachments && i < 5; i++) {
		CHECK_STR(m.attachments[i].filename, want[i]);
		snprintf(full, sizeof(full), "%s/%02zu-%s", dir, i + 1,
		    want[i]);
		CHECK_STR(m.attachments[i].path, full);
		CHECK(file_is(full, csv1, strlen(csv1)));
	}
	CHECK_INT(count_entries(dir), 5);
	message_release(&m);
}

/* Two attachments of one name, and a name already taken in dir. */
static void
test_unique_names(void)
{
	GString *s = mixed_start("same");
	char p[512], d[512], full[1024], taken[1024];
	const char *path, *dir;
	struct message m;
	struct pv_error err;

	add_b64_part(s, "text/csv", "a.csv", csv1, strlen(csv1));
	add_b64_part(s, "text/csv", "a.csv", csv2, strlen(csv2));
	g_string_append(s, "--BOUND--\n");
	path = write_gstring("same.eml", s, p, sizeof(p));
	dir = newdir("same", d, sizeof(d));
	snprintf(taken, sizeof(taken), "%s/01-a.csv", dir);
	write_named("same/01-a.csv", "old", 3, full, sizeof(full));
	CHECK_INT(message_extract(path, "same.eml", dir, &m, &err), 0);
	CHECK_INT(m.nattachments, 2);
	if (m.nattachments == 2) {
		snprintf(full, sizeof(full), "%s/01-2-a.csv", dir);
		CHECK_STR(m.attachments[0].path, full);
		CHECK(file_is(full, csv1, strlen(csv1)));
		snprintf(full, sizeof(full), "%s/02-a.csv", dir);
		CHECK_STR(m.attachments[1].path, full);
		CHECK(file_is(full, csv2, strlen(csv2)));
	}
	CHECK(file_is(taken, "old", 3));
	message_release(&m);
}

static void
test_encoded_words(void)
{
	/* "Laskut marraskuu – ä" and "Jörg" */
	static const char text[] =
	    "From: =?ISO-8859-1?Q?J=F6rg?= <j@example.com>\n"
	    "Subject: =?UTF-8?B?TGFza3V0IG1hcnJhc2t1dSDigJMgw6Q=?=\n"
	    "\n"
	    "x\n";
	char p[512], d[512];
	const char *path = write_named("ew.eml", text, strlen(text), p,
	    sizeof(p));
	const char *dir = newdir("ew", d, sizeof(d));
	struct message m;
	struct pv_error err;

	CHECK_INT(message_extract(path, "ew.eml", dir, &m, &err), 0);
	CHECK_STR(m.subject, "Laskut marraskuu \xe2\x80\x93 \xc3\xa4");
	CHECK_STR(m.from, "J\xc3\xb6rg <j@example.com>");
	message_release(&m);
}

/* A signature is no attachment; the signed content's is. */
static void
test_signed(void)
{
	GString *s = g_string_new(NULL);
	char p[512], d[512];
	const char *path, *dir;
	struct message m;
	struct pv_error err;

	g_string_append(s,
	    "From: a@example.com\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/signed; protocol=\"application/"
	    "pkcs7-signature\"; micalg=sha-256; boundary=\"SIG\"\n"
	    "\n"
	    "--SIG\n"
	    "Content-Type: multipart/mixed; boundary=\"BOUND\"\n"
	    "\n");
	add_b64_part(s, "text/csv", "s.csv", csv1, strlen(csv1));
	g_string_append(s, "--BOUND--\n"
	    "\n"
	    "--SIG\n"
	    "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\n"
	    "Content-Transfer-Encoding: base64\n"
	    "\n"
	    "AAAA\n"
	    "--SIG--\n");
	path = write_gstring("signed.eml", s, p, sizeof(p));
	dir = newdir("signed", d, sizeof(d));
	CHECK_INT(message_extract(path, "signed.eml", dir, &m, &err), 0);
	CHECK_INT(m.nattachments, 1);
	if (m.nattachments == 1)
		CHECK_STR(m.attachments[0].filename, "s.csv");
	message_release(&m);
}

/* Beyond 100 attachments the message is refused and dir left empty. */
static void
test_too_many(void)
{
	GString *s = mixed_start("many");
	char p[512], d[512], name[32];
	const char *path, *dir;
	struct message m;
	struct pv_error err;
	int i;

	for (i = 0; i < 101; i++) {
		snprintf(name, sizeof(name), "f%d.csv", i);
		add_b64_part(s, "text/csv", name, "x", 1);
	}
	g_string_append(s, "--BOUND--\n");
	path = write_gstring("many.eml", s, p, sizeof(p));
	dir = newdir("many", d, sizeof(d));
	pv_error_clear(&err);
	CHECK_INT(message_extract(path, "many.eml", dir, &m, &err), -1);
	CHECK_INT(err.kind, PV_ERR_INPUT);
	CHECK_STR(err.file, "many.eml");
	CHECK_STR(err.msg, "too many attachments (more than 100)");
	CHECK_INT(m.nattachments, 0);
	CHECK(m.attachments == NULL);
	CHECK_INT(count_entries(dir), 0);
	message_release(&m);
}

static void
test_missing_file(void)
{
	char p[512], d[512];
	const char *dir = newdir("missing", d, sizeof(d));
	struct message m;
	struct pv_error err;

	snprintf(p, sizeof(p), "%s/nonexistent.eml", tdir);
	pv_error_clear(&err);
	CHECK_INT(message_extract(p, "nonexistent.eml", dir, &m, &err), -1);
	CHECK_INT(err.kind, PV_ERR_INPUT);
	CHECK(strstr(err.msg, "cannot open 'nonexistent.eml'") != NULL);
	pv_error_clear(&err);
	CHECK_INT(message_sniff(p, &err), -1);
	CHECK(err.msg[0] != '\0');
}

static void
test_sniff_message(void)
{
	static const char mbox[] =
	    "From jane@example.com Thu Nov 26 10:15:00 2026\r\n"
	    "Received: from mx.example.com\r\n"
	    "\tby mail.example.org\r\n"
	    "Subject: hi\r\n"
	    "\r\n"
	    "body\r\n";
	char p[512];

	two_csv_message(p, sizeof(p));
	CHECK_INT(message_sniff(p, NULL), 1);
	write_named("mbox.eml", mbox, strlen(mbox), p, sizeof(p));
	CHECK_INT(message_sniff(p, NULL), 1);
}

static void
test_sniff_not_message(void)
{
	static const unsigned char gz[] = {
		0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
		0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	static const char notes[] = "Note: pay attention\n\nsomething\n";
	char p[512];

	write_named("bill.csv", csv1, strlen(csv1), p, sizeof(p));
	CHECK_INT(message_sniff(p, NULL), 0);
	write_named("bill.csv.gz", gz, sizeof(gz), p, sizeof(p));
	CHECK_INT(message_sniff(p, NULL), 0);
	/* header-shaped, but no field a message has */
	write_named("notes.txt", notes, strlen(notes), p, sizeof(p));
	CHECK_INT(message_sniff(p, NULL), 0);
	write_named("empty", "", 0, p, sizeof(p));
	CHECK_INT(message_sniff(p, NULL), 0);
}

/* rc is 0 or -1; either way nothing outside dir, and on -1 nothing in
 * it. */
static void
check_garbage(const char *path, const char *dir)
{
	struct message m;
	struct pv_error err;
	size_t i, dn = strlen(dir);
	int rc;

	pv_error_clear(&err);
	rc = message_extract(path, "garbage", dir, &m, &err);
	CHECK(rc == 0 || rc == -1);
	if (rc == -1) {
		CHECK_INT(err.kind, PV_ERR_INPUT);
		CHECK_INT(count_entries(dir), 0);
	}
	for (i = 0; rc == 0 && i < m.nattachments; i++)
		CHECK(strncmp(m.attachments[i].path, dir, dn) == 0 &&
		    m.attachments[i].path[dn] == '/' &&
		    strchr(m.attachments[i].path + dn + 1, '/') == NULL);
	message_release(&m);
}

static void
test_garbage(void)
{
	unsigned char noise[4096];
	char p[512], d[512], *two;
	size_t n, i;
	uint32_t x = 12345;

	two_csv_message(p, sizeof(p));
	two = slurp(p, &n);
	CHECK(two != NULL);
	if (two == NULL)
		return;
	/* cut inside the second attachment's base64 */
	write_named("cut.eml", two, n - 40, p, sizeof(p));
	check_garbage(p, newdir("g-cut", d, sizeof(d)));
	free(two);
	for (i = 0; i < sizeof(noise); i++) {
		x = x * 1103515245u + 12345u;
		noise[i] = (unsigned char)(x >> 16);
	}
	write_named("noise", noise, sizeof(noise), p, sizeof(p));
	check_garbage(p, newdir("g-noise", d, sizeof(d)));
	write_named("csv.eml", csv1, strlen(csv1), p, sizeof(p));
	check_garbage(p, newdir("g-csv", d, sizeof(d)));
	write_named("empty.eml", "", 0, p, sizeof(p));
	check_garbage(p, newdir("g-empty", d, sizeof(d)));
}

int
main(void)
{
	if (mkdtemp(tdir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	RUN(test_headers);
	RUN(test_two_base64_csv);
	RUN(test_headers_absent);
	RUN(test_quoted_printable);
	RUN(test_zip_byte_identical);
	RUN(test_forwarded);
	RUN(test_plain_body_only);
	RUN(test_which_parts);
	RUN(test_malicious_names);
	RUN(test_unique_names);
	RUN(test_encoded_words);
	RUN(test_signed);
	RUN(test_too_many);
	RUN(test_missing_file);
	RUN(test_sniff_message);
	RUN(test_sniff_not_message);
	RUN(test_garbage);
	cleanup();
	TEST_END();
}
