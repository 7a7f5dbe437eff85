/*
 * fuzz.h - what every fuzz target defines: libFuzzer's entry point. Each
 * target is built twice: with clang's -fsanitize=fuzzer for `make fuzz`,
 * and with replay.c into a test binary that `make test` runs over the
 * target's corpus (tests/fuzz/corpus/NAME) and the fixtures.
 *
 * A target must never stop the process for an input it dislikes: errors
 * are expected results. It aborts only when a property it checks fails.
 */
#ifndef PILVI_FUZZ_H
#define PILVI_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
