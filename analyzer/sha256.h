/*
 * sha256.h - SHA-256 (FIPS 180-4), streaming. Used to recognise a file
 * that was already ingested, without adding a crypto library dependency.
 */
#ifndef PILVI_SHA256_H
#define PILVI_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	unsigned char buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_final(struct sha256 *s, unsigned char digest[32]);
/* 1 when blocks are hashed with the CPU's SHA extensions, 0 in portable
 * C. The choice is made once, before the first hash. */
int sha256_hardware(void);
/* Tests only: force the portable block function (1), or go back to the
 * CPU's choice (0). Not for use while another thread hashes. */
void sha256_force_portable(int portable);
/* Lower-case hex of a digest into out (65 bytes, NUL-terminated). */
void sha256_hex(const unsigned char digest[32], char out[65]);

#endif
