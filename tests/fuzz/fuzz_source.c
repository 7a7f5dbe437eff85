/*
 * fuzz_source.c - container detection and decompression (source.c): any
 * bytes as a file, every member read to its end or its error, and the
 * digest taken. Limits are small so that bombs end quickly.
 */
#define _GNU_SOURCE	/* memfd_create */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "source.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[65536];
	struct source_limits lim = { 16u << 20, 200 };
	struct source *src;
	struct pv_error err;
	unsigned char digest[32];
	uint64_t raw;
	const char *name;
	char path[64];
	int fd = memfd_create("fuzz-source", MFD_CLOEXEC);

	if (fd < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (source_open(&src, path, "input", &lim, &err) == 0) {
		while (source_next(src, &name, &err) == 1)
			while (source_read(src, buf, sizeof(buf), &err) > 0)
				;
		/* the raw bytes are all hashed, whatever the decoders did */
		if (source_finish(src, digest, &raw, &err) == 0 && raw != size)
			abort();
		source_free(src);
	}
	close(fd);
	return 0;
}
