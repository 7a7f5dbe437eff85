/*
 * replay.c - run a fuzz target over files, without libFuzzer: what
 * `make test` does with each target's corpus and the fixtures, so every
 * input a fuzzer ever kept (crashes included, once fixed) is tried on
 * every build. With no arguments it reads tests/fuzz/corpus/NAME,
 * fixtures/ and fixtures/bad/ from the tree's top (the current
 * directory) and build/fixtures when BUILT_FIXTURES names it.
 * Prints "RESULT pass=1 fail=0 skip=0": the replay is one test (a
 * failure aborts it; no input at all fails it).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef FUZZ_NAME
#error "FUZZ_NAME must name the target"
#endif

static long replayed;

static void
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0, k;

	if (f == NULL)
		return;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((buf = realloc(buf, cap)) == NULL)
				abort();
		}
		if ((k = fread(buf + n, 1, cap - n, f)) == 0)
			break;
		n += k;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	replayed++;
}

static void
replay_path(const char *path)
{
	struct stat st;
	struct dirent **names;
	int i, n;
	char sub[4096];

	if (stat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		replay_file(path);
		return;
	}
	/* sorted, so a failure names the same input every run */
	if ((n = scandir(path, &names, NULL, alphasort)) < 0)
		return;
	for (i = 0; i < n; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && stat(sub, &st) == 0 &&
		    S_ISREG(st.st_mode))
			replay_file(sub);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char **argv)
{
	const char *built = getenv("BUILT_FIXTURES");
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			replay_path(argv[i]);
	} else {
		replay_path("tests/fuzz/corpus/" FUZZ_NAME);
		replay_path("fixtures");
		replay_path("fixtures/bad");
		if (built != NULL)
			replay_path(built);
	}
	printf("replayed %ld inputs through fuzz_%s\n", replayed, FUZZ_NAME);
	printf("RESULT pass=%d fail=%d skip=0\n", replayed > 0, replayed == 0);
	return 0;
}
