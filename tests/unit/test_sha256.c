/*
 * test_sha256.c - SHA-256 against the FIPS 180-4 / NIST example vectors,
 * padding boundaries, and streaming in uneven chunks. Digests other than
 * the NIST ones were computed with an independent implementation
 * (Python hashlib).
 */
#include "sha256.h"
#include "test.h"

/* Hex digest of data[0..n) hashed in one update. */
static void
hash_hex(const void *data, size_t n, char out[65])
{
	struct sha256 s;
	unsigned char dg[32];

	sha256_init(&s);
	sha256_update(&s, data, n);
	sha256_final(&s, dg);
	sha256_hex(dg, out);
}

/* The byte pattern of the boundary vectors: (i * 7 + 3) mod 256. */
static void
fill_pattern(unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)((i * 7 + 3) & 0xff);
}

static void
test_abc(void)
{
	char hex[65];

	hash_hex("abc", 3, hex);
	CHECK_STR(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_empty(void)
{
	char hex[65];

	hash_hex("", 0, hex);
	CHECK_STR(hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
test_empty_null_pointer(void)
{
	char hex[65];

	hash_hex(NULL, 0, hex);
	CHECK_STR(hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
test_448_bits(void)
{
	static const char msg[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[65];

	CHECK_INT(strlen(msg), 56);
	hash_hex(msg, strlen(msg), hex);
	CHECK_STR(hex,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void
test_896_bits(void)
{
	static const char msg[] =
	    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	char hex[65];

	CHECK_INT(strlen(msg), 112);
	hash_hex(msg, strlen(msg), hex);
	CHECK_STR(hex,
	    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void
test_million_a_odd_chunks(void)
{
	static const size_t chunk[] = { 1, 7, 63, 64, 65, 129, 1000, 4093 };
	unsigned char a[4093], dg[32];
	struct sha256 s;
	size_t left = 1000000, k = 0, n;
	char hex[65];

	memset(a, 'a', sizeof(a));
	sha256_init(&s);
	while (left > 0) {
		n = chunk[k++ % (sizeof(chunk) / sizeof(chunk[0]))];
		if (n > left)
			n = left;
		sha256_update(&s, a, n);
		left -= n;
	}
	CHECK_INT(s.len, 1000000);
	sha256_final(&s, dg);
	sha256_hex(dg, hex);
	CHECK_STR(hex,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void
test_million_a_one_update(void)
{
	unsigned char *a = malloc(1000000);
	char hex[65];

	CHECK(a != NULL);
	if (a == NULL)
		return;
	memset(a, 'a', 1000000);
	hash_hex(a, 1000000, hex);
	CHECK_STR(hex,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

static void
test_padding_boundaries(void)
{
	/* Lengths either side of the 56-byte padding limit and of block
	 * edges, where the length field does or does not fit. */
	static const struct {
		size_t n;
		const char *hex;
	} v[] = {
		{ 55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b" },
		{ 56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27" },
		{ 57, "35df609437dcfea3279283ab79fd554e2bf78f8f7ae2de532d8ee300b09e8f73" },
		{ 63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055" },
		{ 64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241" },
		{ 65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e" },
		{ 119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e" },
		{ 120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5" },
		{ 127, "a8d23e75d936f303d248888d9b165ee543f4cbafcad3c9dd2a79bd84faa11d07" },
		{ 128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6" },
		{ 1000, "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371" }
	};
	unsigned char buf[1000];
	char hex[65];
	size_t i;

	fill_pattern(buf, sizeof(buf));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		hash_hex(buf, v[i].n, hex);
		CHECK_STR(hex, v[i].hex);
	}
}

static void
test_every_split_matches_one_shot(void)
{
	unsigned char buf[200], one[32], two[32];
	struct sha256 s;
	size_t cut;
	int bad = 0;

	fill_pattern(buf, sizeof(buf));
	sha256_init(&s);
	sha256_update(&s, buf, sizeof(buf));
	sha256_final(&s, one);
	for (cut = 0; cut <= sizeof(buf); cut++) {
		sha256_init(&s);
		sha256_update(&s, buf, cut);
		sha256_update(&s, NULL, 0);
		sha256_update(&s, buf + cut, sizeof(buf) - cut);
		sha256_final(&s, two);
		if (memcmp(one, two, sizeof(one)) != 0)
			bad++;
	}
	CHECK_INT(bad, 0);
}

static void
test_byte_at_a_time(void)
{
	unsigned char all[256 * 4], dg[32];
	struct sha256 s;
	char hex[65];
	size_t i;

	for (i = 0; i < sizeof(all); i++)
		all[i] = (unsigned char)i;
	sha256_init(&s);
	for (i = 0; i < sizeof(all); i++)
		sha256_update(&s, all + i, 1);
	sha256_final(&s, dg);
	sha256_hex(dg, hex);
	CHECK_STR(hex,
	    "785b0751fc2c53dc14a4ce3d800e69ef9ce1009eb327ccf458afe09c242c26c9");
}

static void
test_init_resets(void)
{
	struct sha256 s;
	unsigned char dg[32];
	char hex[65];

	sha256_init(&s);
	sha256_update(&s, "something else", 14);
	sha256_init(&s);
	sha256_update(&s, "abc", 3);
	sha256_final(&s, dg);
	sha256_hex(dg, hex);
	CHECK_STR(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_hex_format(void)
{
	unsigned char dg[32];
	char hex[65];
	int i;

	for (i = 0; i < 32; i++)
		dg[i] = (unsigned char)(i * 8 + 7);
	memset(hex, 'X', sizeof(hex));
	sha256_hex(dg, hex);
	CHECK_INT(strlen(hex), 64);
	CHECK_STR(hex,
	    "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");
}

/* A pseudo-random buffer hashed by both block functions, at every length
 * up to 300 bytes and in one 1 MB piece, must give the same digests. */
static void
test_hardware_matches_portable(void)
{
	static unsigned char buf[1 << 20];
	unsigned char a[32], b[32];
	uint32_t x = 2463534242u;
	struct sha256 s;
	size_t i, n;
	int bad = 0;

	sha256_force_portable(0);
	if (!sha256_hardware())
		SKIP("this CPU has no SHA extensions");
	for (i = 0; i < sizeof(buf); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
	for (n = 0; n <= 300; n++) {
		sha256_force_portable(1);
		sha256_init(&s);
		sha256_update(&s, buf, n == 300 ? sizeof(buf) : n);
		sha256_final(&s, a);
		sha256_force_portable(0);
		sha256_init(&s);
		sha256_update(&s, buf, n == 300 ? sizeof(buf) : n);
		sha256_final(&s, b);
		if (memcmp(a, b, sizeof(a)) != 0)
			bad++;
	}
	CHECK_INT(bad, 0);
}

/* The known-answer tests, once with the block function this CPU uses and
 * once with the portable one (the same when it has no SHA extensions). */
static void
run_vectors(void)
{
	RUN(test_abc);
	RUN(test_empty);
	RUN(test_empty_null_pointer);
	RUN(test_448_bits);
	RUN(test_896_bits);
	RUN(test_million_a_odd_chunks);
	RUN(test_million_a_one_update);
	RUN(test_padding_boundaries);
	RUN(test_every_split_matches_one_shot);
	RUN(test_byte_at_a_time);
	RUN(test_init_resets);
	RUN(test_hex_format);
}

int
main(void)
{
	sha256_force_portable(0);
	run_vectors();
	sha256_force_portable(1);
	run_vectors();
	sha256_force_portable(0);
	RUN(test_hardware_matches_portable);
	TEST_END();
}
