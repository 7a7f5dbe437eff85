/*
 * sha256.c - SHA-256 as specified in FIPS 180-4, sections 4.1.2, 4.2.2,
 * 5.1.1, 5.3.3 and 6.2.
 *
 * Every byte of every input is hashed, so the block function matters: the
 * portable one below ran at about a third of all ingest time. On x86-64
 * CPUs with the SHA extensions (Intel SHA-NI, AMD Zen) a second block
 * function does the same rounds in hardware, several times faster; it is
 * chosen once, at the first sha256_init, by CPUID.
 */
#include "sha256.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define SHA256_HAVE_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

/* FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the
 * cube roots of the first 64 primes. */
static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static uint32_t
rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static uint32_t
load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
store_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* FIPS 180-4 §6.2.2: fold one 512-bit block into the hash value. */
static void
compress_portable(uint32_t h[8], const unsigned char block[64])
{
	uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2, s0, s1;
	int t;

	for (t = 0; t < 16; t++)
		w[t] = load_be32(block + 4 * t);
	for (t = 16; t < 64; t++) {
		s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^
		    (w[t - 15] >> 3);
		s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^
		    (w[t - 2] >> 10);
		w[t] = s1 + w[t - 7] + s0 + w[t - 16];
	}

	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	f = h[5];
	g = h[6];
	hh = h[7];
	for (t = 0; t < 64; t++) {
		s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
		t1 = hh + s1 + ((e & f) ^ (~e & g)) + K[t] + w[t];
		s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
		t2 = s0 + ((a & b) ^ (a & c) ^ (b & c));
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

#ifdef SHA256_HAVE_X86
/*
 * The same block function with the SHA extensions. The instructions keep
 * the working variables as two vectors, ABEF and CDGH (A in the highest
 * lane); sha256rnds2 does two rounds, sha256msg1/msg2 the message
 * schedule of §6.2.2 step 1, four words at a time.
 */
__attribute__((target("sha,sse4.1,ssse3"))) static void
compress_x86(uint32_t h[8], const unsigned char block[64])
{
	/* Big-endian words: reverse the bytes within each 32-bit lane. */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL,
	    0x0405060700010203ULL);
	__m128i abef, cdgh, abef0, cdgh0, t, k, w[4];
	int g;

	/* h[0..3] = A B C D and h[4..7] = E F G H into ABEF and CDGH. */
	t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xb1);
	cdgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]),
	    0x1b);
	abef = _mm_alignr_epi8(t, cdgh, 8);
	cdgh = _mm_blend_epi16(cdgh, t, 0xf0);
	abef0 = abef;
	cdgh0 = cdgh;

	/* Sixteen groups of four rounds; w[g % 4] holds W[4g .. 4g+3]. */
	for (g = 0; g < 16; g++) {
		if (g < 4)
			w[g] = _mm_shuffle_epi8(_mm_loadu_si128(
			    (const __m128i *)(block + 16 * g)), bswap);
		else
			w[g & 3] = _mm_sha256msg2_epu32(_mm_add_epi32(
			    _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]),
			    _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4)),
			    w[(g + 3) & 3]);
		k = _mm_add_epi32(w[g & 3],
		    _mm_loadu_si128((const __m128i *)&K[4 * g]));
		/* Two rounds give the new ABEF, and the old ABEF is the new
		 * CDGH; the next two rounds, from the high half of k, swap
		 * the roles back. */
		cdgh = _mm_sha256rnds2_epu32(cdgh, abef, k);
		abef = _mm_sha256rnds2_epu32(abef, cdgh,
		    _mm_shuffle_epi32(k, 0x0e));
	}
	abef = _mm_add_epi32(abef, abef0);
	cdgh = _mm_add_epi32(cdgh, cdgh0);

	/* Back to A B C D and E F G H. */
	t = _mm_shuffle_epi32(abef, 0x1b);
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);
	_mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(t, cdgh, 0xf0));
	_mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(cdgh, t, 8));
}

/* CPUID: leaf 7 EBX bit 29 is SHA; leaf 1 ECX bits 9 and 19 are SSSE3
 * and SSE4.1, which the shuffles and blends need. */
static int
cpu_has_sha(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) ||
	    !(c & (1u << 19)))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b & (1u << 29)) != 0;
}
#endif

/* The block function in use: -1 until the first sha256_init decides. */
static int use_hardware = -1;

static void
compress(uint32_t h[8], const unsigned char block[64])
{
#ifdef SHA256_HAVE_X86
	if (use_hardware == 1) {
		compress_x86(h, block);
		return;
	}
#endif
	compress_portable(h, block);
}

int
sha256_hardware(void)
{
	if (use_hardware < 0) {
#ifdef SHA256_HAVE_X86
		use_hardware = cpu_has_sha();
#else
		use_hardware = 0;
#endif
	}
	return use_hardware;
}

void
sha256_force_portable(int portable)
{
	use_hardware = -1;
	if (portable)
		use_hardware = 0;
	else
		(void)sha256_hardware();
}

void
sha256_init(struct sha256 *s)
{
	(void)sha256_hardware();

	/* FIPS 180-4 §5.3.3: the first 32 bits of the fractional parts of
	 * the square roots of the first 8 primes. */
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(s->h, h0, sizeof(h0));
	s->len = 0;
	s->nbuf = 0;
}

void
sha256_update(struct sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t take;

	/* data may be NULL when n is 0, and memcpy must not see it. */
	if (n == 0)
		return;
	s->len += n;
	if (s->nbuf > 0) {
		take = sizeof(s->buf) - s->nbuf;
		if (take > n)
			take = n;
		memcpy(s->buf + s->nbuf, p, take);
		s->nbuf += take;
		p += take;
		n -= take;
		if (s->nbuf < sizeof(s->buf))
			return;
		compress(s->h, s->buf);
		s->nbuf = 0;
	}
	/* Whole blocks straight from the caller's memory, no copy. */
	while (n >= sizeof(s->buf)) {
		compress(s->h, p);
		p += sizeof(s->buf);
		n -= sizeof(s->buf);
	}
	if (n > 0) {
		memcpy(s->buf, p, n);
		s->nbuf = n;
	}
}

void
sha256_final(struct sha256 *s, unsigned char digest[32])
{
	uint64_t bits = s->len * 8;
	int i;

	/* §5.1.1: a 1 bit, zeros up to 56 bytes mod 64, the bit length. */
	s->buf[s->nbuf++] = 0x80;
	if (s->nbuf > 56) {
		memset(s->buf + s->nbuf, 0, sizeof(s->buf) - s->nbuf);
		compress(s->h, s->buf);
		s->nbuf = 0;
	}
	memset(s->buf + s->nbuf, 0, 56 - s->nbuf);
	for (i = 0; i < 8; i++)
		s->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	compress(s->h, s->buf);
	for (i = 0; i < 8; i++)
		store_be32(digest + 4 * i, s->h[i]);
}

void
sha256_hex(const unsigned char digest[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 0x0f];
	}
	out[64] = '\0';
}
