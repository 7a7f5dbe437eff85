/*
 * limits.c - how fast can an ingest be on this machine? Times the stages
 * the ingest is built of, each alone and on one thread, over one file:
 *
 *   read       read(2) of the raw file into a buffer (the page cache)
 *   sha256     read, and the SHA-256 the ingest takes of every input
 *   zlib       the source stage with zlib: read, hash, inflate
 *   isal       the same with ISA-L (where the build has it)
 *   source     for a plain file instead of the two: read and hash as
 *              the source stage does them
 *   tokenize   the source stage, then our CSV tokenizer with a callback
 *              that does nothing
 *
 * Each stage is run `runs` times and the fastest is printed, as seconds
 * and as MB/s of the file's uncompressed bytes (for every stage, so the
 * rates compare with the ingest's). A file is gzip when its name ends
 * in .gz. bench/limits.sh puts the
 * full ingest beside them (bench/README.md, "Physical limits").
 *
 * Usage: pilvi-limits [--runs N] FILE
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "csvread.h"
#include "error.h"
#include "sha256.h"
#include "source.h"

#define BUF_SIZE	(1 << 20)

static unsigned char buf[BUF_SIZE];

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
die(const char *what, const char *path)
{
	fprintf(stderr, "pilvi-limits: %s '%s': %s\n", what, path,
	    strerror(errno));
	exit(1);
}

/* read(2) alone; with hash, SHA-256 as well. */
static void
stage_read(const char *path, int hash)
{
	struct sha256 sha;
	unsigned char dg[32];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die("cannot open", path);
	sha256_init(&sha);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (hash)
			sha256_update(&sha, buf, (size_t)n);
	}
	if (n < 0)
		die("cannot read", path);
	sha256_final(&sha, dg);
	close(fd);
}

static int
ignore_record(void *ctx, const struct csv_record *rec, struct pv_error *err)
{
	(void)err;
	*(long *)ctx += (long)rec->nfields;
	return 0;
}

/* The source stage (read, hash, inflate), then the tokenizer when
 * tokenize. Returns the uncompressed bytes of every member. */
static unsigned long long
stage_source(const char *path, int tokenize)
{
	unsigned long long total = 0;
	unsigned char dg[32];
	struct pv_error err;
	struct source *src;
	const char *name;
	long fields = 0;
	uint64_t rawsize;
	int rc;

	pv_error_clear(&err);
	if (source_open(&src, path, path, NULL, &err) != 0)
		goto fail;
	while ((rc = source_next(src, &name, &err)) == 1) {
		struct csvread *r = tokenize ? csvread_new(name, NULL,
		    ignore_record, &fields) : NULL;
		ssize_t n;

		while ((n = source_read(src, buf, sizeof(buf), &err)) > 0) {
			total += (unsigned long long)n;
			if (r != NULL && csvread_feed(r, buf, (size_t)n,
			    &err) != 0)
				goto fail;
		}
		if (n < 0 || (r != NULL && csvread_finish(r, &err) != 0))
			goto fail;
		csvread_free(r);
	}
	if (rc < 0 || source_finish(src, dg, &rawsize, &err) != 0)
		goto fail;
	source_free(src);
	return total;
fail:
	fprintf(stderr, "pilvi-limits: %s\n", err.msg);
	exit(1);
}

static void
report(const char *stage, double best, unsigned long long bytes)
{
	if (best < 0.0005)
		printf("%-10s %8.3f s\n", stage, best);
	else
		printf("%-10s %8.3f s %9.1f MB/s\n", stage, best,
		    bytes / best / 1e6);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	static const char *const stages[] = {
		"read", "sha256", "zlib", "isal", "source", "tokenize"
	};
	int gzip;
	unsigned long long plain = 0;
	const char *path;
	int runs = 3, i, k;

	if (argc == 4 && strcmp(argv[1], "--runs") == 0) {
		runs = atoi(argv[2]) > 0 ? atoi(argv[2]) : 1;
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: pilvi-limits [--runs N] FILE\n");
		return 2;
	}
	path = argv[1];
	/* once untimed: the uncompressed size, and the file in the cache */
	plain = stage_source(path, 0);
	{
		size_t n = strlen(path);

		gzip = n > 3 && strcmp(path + n - 3, ".gz") == 0;
	}
	printf("%s: %llu bytes uncompressed, fastest of %d runs, one "
	    "thread\n", path, plain, runs);
	for (i = 0; i < 6; i++) {
		double best = -1;

		if (gzip ? i == 4 : i == 2 || i == 3)
			continue;	/* inflating is for compressed files */

#ifndef PILVI_HAVE_ISAL
		if (strcmp(stages[i], "isal") == 0) {
			printf("%-10s (built without ISA-L)\n", stages[i]);
			continue;
		}
#endif
		for (k = 0; k < runs; k++) {
			double t0 = now(), t;

			switch (i) {
			case 0: stage_read(path, 0); break;
			case 1: stage_read(path, 1); break;
			case 2: source_force_zlib(1);
				stage_source(path, 0); break;
			case 3: source_force_zlib(0);
				stage_source(path, 0); break;
			case 4: stage_source(path, 0); break;
			default: source_force_zlib(0);
				stage_source(path, 1); break;
			}
			t = now() - t0;
			if (best < 0 || t < best)
				best = t;
		}
		/* MB/s of the uncompressed bytes, as bench/run.sh counts */
		report(stages[i], best, plain);
	}
	return 0;
}
