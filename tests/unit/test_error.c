/*
 * test_error.c - the error record, and cutting UTF-8 text without
 * breaking a character (a character cut in two made the JSON report
 * invalid: an unknown line type of 'é's quoted to 60 bytes).
 */
#include "error.h"
#include "test.h"

/* Is s[0..n) valid UTF-8 (shortest forms, no surrogates)? */
static int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, len;
	unsigned long c;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		len = p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 : p[i] >= 0xc0 ? 2 : 0;
		if (len == 0 || i + len > n)
			return 0;
		c = p[i] & (0x7f >> len);
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (p[i + k] & 0x3f);
		}
		if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
		    (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
		    (c >= 0xd800 && c <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

static void
test_prefix(void)
{
	/* "aé€😀": 1 + 2 + 3 + 4 bytes */
	static const char s[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	size_t n = sizeof(s) - 1, max, got;

	CHECK_INT(pv_utf8_prefix(s, n, 100), n);
	CHECK_INT(pv_utf8_prefix(s, n, n), n);
	CHECK_INT(pv_utf8_prefix(s, n, 0), 0);
	CHECK_INT(pv_utf8_prefix(s, n, 1), 1);
	CHECK_INT(pv_utf8_prefix(s, n, 2), 1);	/* not half the é */
	CHECK_INT(pv_utf8_prefix(s, n, 3), 3);
	CHECK_INT(pv_utf8_prefix(s, n, 5), 3);	/* not 2/3 of the € */
	CHECK_INT(pv_utf8_prefix(s, n, 6), 6);
	CHECK_INT(pv_utf8_prefix(s, n, 9), 6);	/* not 3/4 of the 😀 */
	for (max = 0; max <= n; max++) {
		got = pv_utf8_prefix(s, n, max);
		CHECK(got <= max && utf8_valid(s, got));
	}
}

static void
test_trim(void)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "ab\xc3");		/* é cut after 1 of 2 */
	pv_utf8_trim(buf);
	CHECK_STR(buf, "ab");
	snprintf(buf, sizeof(buf), "ab\xe2\x82");	/* € cut after 2 of 3 */
	pv_utf8_trim(buf);
	CHECK_STR(buf, "ab");
	snprintf(buf, sizeof(buf), "ab\xf0\x9f\x98");	/* 3 of 4 */
	pv_utf8_trim(buf);
	CHECK_STR(buf, "ab");
	snprintf(buf, sizeof(buf), "ab\xe2\x82\xac");	/* whole: kept */
	pv_utf8_trim(buf);
	CHECK_STR(buf, "ab\xe2\x82\xac");
	snprintf(buf, sizeof(buf), "plain");
	pv_utf8_trim(buf);
	CHECK_STR(buf, "plain");
	buf[0] = '\0';
	pv_utf8_trim(buf);
	CHECK_STR(buf, "");
}

/* A message longer than its buffer ends on a whole character. */
static void
test_error_cut(void)
{
	struct pv_error e;
	char name[2000];
	size_t i;

	for (i = 0; i + 2 < sizeof(name); i += 2) {
		name[i] = '\xc3';
		name[i + 1] = '\xa9';
	}
	name[i] = '\0';
	/* "bad " and 999 é: of the 1023 bytes that fit, the last is half
	 * an é */
	pv_error_set(&e, PV_ERR_INPUT, name + 1, 3, "bad %s", name);
	CHECK(strlen(e.msg) < sizeof(e.msg));
	CHECK(strlen(e.msg) >= sizeof(e.msg) - 4);
	CHECK(utf8_valid(e.msg, strlen(e.msg)));
	CHECK(strncmp(e.msg, "bad \xc3\xa9", 6) == 0);
	/* the file name too (given from its second byte: it starts with
	 * a continuation byte, and so stays; only the end is cut) */
	CHECK(strlen(e.file) < sizeof(e.file));
	CHECK(utf8_valid(e.file + 1, strlen(e.file) - 1));
	CHECK_INT(e.line, 3);
}

int
main(void)
{
	RUN(test_prefix);
	RUN(test_trim);
	RUN(test_error_cut);
	TEST_END();
}
