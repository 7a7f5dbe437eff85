/*
 * test.h - the unit-test harness: one binary per module, a function per
 * behaviour. A failed check prints "file:line: expression" and marks the
 * running test failed; the binary ends with a RESULT line that
 * tests/run.sh adds up into the suite's one summary line.
 */
#ifndef PILVI_TEST_H
#define PILVI_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int t_pass, t_fail, t_skip;
static int t_failed, t_skipped;

#define CHECK(expr) do { \
	if (!(expr)) { \
		fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #expr); \
		t_failed = 1; \
	} \
} while (0)

#define CHECK_INT(a, b) do { \
	long long ta_ = (long long)(a), tb_ = (long long)(b); \
	if (ta_ != tb_) { \
		fprintf(stderr, "%s:%d: %s == %s (%lld != %lld)\n", \
		    __FILE__, __LINE__, #a, #b, ta_, tb_); \
		t_failed = 1; \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *ta_ = (a), *tb_ = (b); \
	if (ta_ == NULL || tb_ == NULL || strcmp(ta_, tb_) != 0) { \
		fprintf(stderr, "%s:%d: %s == %s (\"%s\" != \"%s\")\n", \
		    __FILE__, __LINE__, #a, #b, ta_ ? ta_ : "(null)", \
		    tb_ ? tb_ : "(null)"); \
		t_failed = 1; \
	} \
} while (0)

/* Skip the running test (e.g. a shared sample is absent). */
#define SKIP(why) do { \
	fprintf(stderr, "skip %s: %s\n", __func__, (why)); \
	t_skipped = 1; \
	return; \
} while (0)

#define RUN(fn) do { \
	t_failed = 0; \
	t_skipped = 0; \
	fn(); \
	if (t_failed) { \
		t_fail++; \
		fprintf(stderr, "FAIL %s\n", #fn); \
	} else if (t_skipped) { \
		t_skip++; \
	} else { \
		t_pass++; \
	} \
} while (0)

#define TEST_END() do { \
	printf("RESULT pass=%d fail=%d skip=%d\n", t_pass, t_fail, t_skip); \
	return t_fail != 0; \
} while (0)

/* Path of a shared sample, or NULL when ../shared/samples is absent. */
static inline const char *
sample_path(const char *name, char *buf, size_t n)
{
	const char *dir = getenv("PILVI_SAMPLES");

	if (dir == NULL)
		dir = "../shared/samples";
	snprintf(buf, n, "%s/%s", dir, name);
	return access(buf, R_OK) == 0 ? buf : NULL;
}

#endif
