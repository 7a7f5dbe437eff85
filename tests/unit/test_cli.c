/*
 * test_cli.c - the parts of the command layer that are plain functions:
 * the progress line shown while a big file is read.
 */
#include "cli.h"
#include "test.h"

static void
test_progress_known_size(void)
{
	char buf[256];

	cli_progress_line(buf, sizeof(buf), "cur.csv.gz", 450000000,
	    1000000000, 1234567, 4.5);
	CHECK_STR(buf, "reading cur.csv.gz: 45% (450 of 1000 MB), "
	    "1234567 rows, 100 MB/s");
}

static void
test_progress_pipe(void)
{
	char buf[256];

	cli_progress_line(buf, sizeof(buf), "stdin", 2500000, 0, 65536, 2.0);
	CHECK_STR(buf, "reading stdin: 2 MB, 65536 rows, 1 MB/s");
}

/* The reader runs ahead, and a file can grow while read: never past
 * 100%. */
static void
test_progress_clamped(void)
{
	char buf[256];

	cli_progress_line(buf, sizeof(buf), "x.csv", 2000, 1000, 10, 1.0);
	CHECK_STR(buf, "reading x.csv: 100% (0 of 0 MB), 10 rows, 0 MB/s");
}

/* A real AWS file name on an 80-column terminal: its middle goes, the
 * percentage and the figures stay, the line fits. */
static void
test_progress_fits_terminal(void)
{
	char buf[80];

	cli_progress_line(buf, sizeof(buf), "123456789012-aws-billing-"
	    "detailed-line-items-with-resources-and-tags-2026-10.csv.zip",
	    450000000, 1000000000, 1234567, 4.5);
	CHECK(strlen(buf) <= 79);
	CHECK_STR(buf, "reading 12345678901...-10.csv.zip: 45% (450 of 1000 "
	    "MB), 1234567 rows, 100 MB/s");
}

/* A long name is cut at the buffer, never overrun. */
static void
test_progress_small_buffer(void)
{
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	cli_progress_line(buf, sizeof(buf), "a-very-long-file-name.csv", 1, 2,
	    3, 1.0);
	CHECK_INT(strlen(buf), sizeof(buf) - 1);
	CHECK_STR(buf, "reading a-very-");
}

int
main(void)
{
	RUN(test_progress_known_size);
	RUN(test_progress_pipe);
	RUN(test_progress_clamped);
	RUN(test_progress_small_buffer);
	RUN(test_progress_fits_terminal);
	TEST_END();
}
