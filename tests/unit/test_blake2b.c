/*
 * test_blake2b.c - our BLAKE2b (crypto/blake2b.c) against RFC 7693 Appendix A, the official
 * BLAKE2 keyed KAT (blake2b-kat.txt), Python hashlib.blake2b vectors, and libsodium's
 * crypto_generichash as a reference over every input length 0..255 (plus longer ones), several
 * digest and key lengths, and random streaming splits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "common/hex.h"
#include "crypto/blake2b.h"
#include "crypto/hash.h"

static void assert_hex(const uint8_t *got, size_t len, const char *hex)
{
    uint8_t want[BLAKE2B_OUT_MAX];
    assert_true(len <= sizeof(want));
    assert_int_equal(strlen(hex), 2 * len);
    assert_int_equal(itee_hex_decode_exact(want, len, hex, strlen(hex)), ITEE_OK);
    assert_memory_equal(got, want, len);
}

/* A fixed-seed PRNG (splitmix64) so failures reproduce. */
static uint64_t prng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static size_t prng_below(uint64_t *s, size_t n)
{
    return (size_t)(prng_next(s) % n);
}

static int setup_sodium(void **state)
{
    (void)state;
    /* after sodium_init libsodium uses its dispatched (AVX2) code, as the programs do */
    return sodium_init() < 0 ? -1 : 0;
}

static void test_blake2b_rfc7693(void **state)
{
    (void)state;
    uint8_t out[64];
    assert_int_equal(blake2b(out, 64, NULL, 0, (const uint8_t *)"abc", 3), ITEE_OK);
    assert_hex(out, 64,
               "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
               "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
}

/* blake2b-kat.txt: key = 00..3f, input = 00..(n-1), 64-byte digest. */
static void test_blake2b_kat_file(void **state)
{
    (void)state;
    static const struct {
        size_t len;
        const char *hash;
    } kat[] = {
        {0, "10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786"
            "b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568"},
        {1, "961f6dd1e4dd30f63901690c512e78e4b45e4742ed197c3c5e45c549fd25f2e4"
            "187b0bc9fe30492b16b0d0bc4ef9b0f34c7003fac09a5ef1532e69430234cebd"},
        {255, "142709d62e28fcccd0af97fad0f8465b971e82201dc51070faa0372aa43e9248"
              "4be1c1e73ba10906d5d1853db6a4106e0a7bf9800d373d6dee2d46d62ef2a461"},
    };
    uint8_t key[64], in[255], out[64];
    for (size_t i = 0; i < sizeof(key); i++)
        key[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof(kat) / sizeof(kat[0]); i++) {
        assert_int_equal(blake2b(out, 64, key, 64, in, kat[i].len), ITEE_OK);
        assert_hex(out, 64, kat[i].hash);
    }
}

/* Made with Python's hashlib.blake2b(data, digest_size=o, key=k), data[i] = (7i + 3) mod 256. */
static void test_blake2b_python(void **state)
{
    (void)state;
    static const struct {
        size_t len, outlen;
        const char *key, *hash;
    } vec[] = {
        {0, 64, "",
         "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
         "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"},
        {3, 32, "", "9facd640130c81e7f318a8d5c660bc1b0f5d03861ffbd4cc1358e0e904593c28"},
        {127, 16, "", "e00ab0ead4d729de8fbe7745d642e416"},
        {128, 32, "", "f0501d06597880592bc49234eef100ec1ff349058d0e9d9b753504e24af86dd6"},
        {129, 32, "", "a34a4e1e03c541dfbf3099c4b6c143c022ced65c28bd7e8a10e0a098461aecf0"},
        {256, 64, "",
         "91019c558584980249ca43eceed27e19f1c3c24161b93eed1eee2a6a774f60bf"
         "8a81b43750870bee1698feac9c5336ae4d5c842e7ead159bf3916387e8ded9ae"},
        {1000, 20, "", "7347a87d12c5b902eefd08b8b5c14816494c2639"},
        {5000, 64, "",
         "be6a5bb704e1cefca8f18de868416bfec89f1b35ff764b9f35fc3b7853762f13"
         "0211d4540a0af5941b664a4f9f5226a4b430deac9ffa4ba3701535a44e776e53"},
        {0, 32, "6b6579", "e65edfce5a36261cd824cb0f0da736b1109dcf20d2b831d598f337bb3552a3e4"},
        {128, 64,
         "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
         "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f",
         "b890c4cfabce8bf698d74bdd2e630627f49c096096af6960dd6e5f4c9ec6b1fa"
         "3c81d8d6ba2fb6abe0214812d00f166114b49a59eb9217d138d1a141673c4483"},
        {129, 48,
         "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
         "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
         "04b348608cfa774d2e3044f657d38d634999a0fd8f46b6c53aaa0d4bb3ef7ddf"
         "67cfefb84178556c2a8f229c08c41af4"},
        {300, 1, "6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b", "ae"},
    };
    static uint8_t in[5000];
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)(7 * i + 3);
    for (size_t i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
        uint8_t key[64], out[64];
        size_t keylen = strlen(vec[i].key) / 2;
        assert_int_equal(itee_hex_decode_exact(key, keylen, vec[i].key, 2 * keylen), ITEE_OK);
        assert_int_equal(blake2b(out, vec[i].outlen, keylen ? key : NULL, keylen, in, vec[i].len),
                         ITEE_OK);
        assert_hex(out, vec[i].outlen, vec[i].hash);
    }
}

/*
 * Every input length 0..255 (the KAT range) plus longer ones across block boundaries, for
 * several digest lengths, unkeyed and with keys 00..(k-1); libsodium is the reference.
 */
static void test_blake2b_vs_libsodium(void **state)
{
    (void)state;
    static const size_t outlens[] = {1, 2, 15, 16, 20, 31, 32, 33, 48, 63, 64};
    static const size_t keylens[] = {0, 1, 16, 32, 63, 64};
    static const size_t longer[] = {256, 257, 383, 384, 385, 1023, 1024, 1025, 4096, 65536 + 7};
    static uint8_t in[65536 + 7];
    uint8_t key[64];
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof(key); i++)
        key[i] = (uint8_t)i;
    size_t cases = 0;
    for (size_t o = 0; o < sizeof(outlens) / sizeof(outlens[0]); o++) {
        for (size_t k = 0; k < sizeof(keylens) / sizeof(keylens[0]); k++) {
            size_t outlen = outlens[o], keylen = keylens[k];
            const uint8_t *kp = keylen ? key : NULL;
            for (size_t n = 0; n < 256 + sizeof(longer) / sizeof(longer[0]); n++) {
                size_t len = n < 256 ? n : longer[n - 256];
                uint8_t want[64], got[64];
                memset(got, 0xa5, sizeof(got));
                assert_int_equal(crypto_generichash(want, outlen, in, len, kp, keylen), 0);
                assert_int_equal(blake2b(got, outlen, kp, keylen, in, len), ITEE_OK);
                assert_memory_equal(got, want, outlen);
                /* nothing written past outlen */
                for (size_t j = outlen; j < sizeof(got); j++)
                    assert_int_equal(got[j], 0xa5);
                cases++;
            }
        }
    }
    assert_int_equal(cases, 11 * 6 * 266);
}

/* Streaming with random split points (including empty updates) equals the one-shot digest. */
static void test_blake2b_streaming(void **state)
{
    (void)state;
    static uint8_t in[3000];
    uint64_t seed = 0x2b1a4e5d;
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)prng_next(&seed);
    for (int iter = 0; iter < 2000; iter++) {
        size_t len =
            prng_below(&seed, 4) == 0 ? prng_below(&seed, sizeof(in) + 1) : prng_below(&seed, 400);
        size_t outlen = 1 + prng_below(&seed, 64);
        size_t keylen = prng_below(&seed, 3) == 0 ? 0 : prng_below(&seed, 65);
        const uint8_t *key = keylen ? in + prng_below(&seed, 64) : NULL;
        uint8_t want[64], got[64];
        assert_int_equal(blake2b(want, outlen, key, keylen, in, len), ITEE_OK);

        struct blake2b_state st;
        assert_int_equal(blake2b_init(&st, outlen, key, keylen), ITEE_OK);
        size_t off = 0;
        while (off < len) {
            size_t part = prng_below(&seed, 3) == 0 ? 0 : prng_below(&seed, 300);
            if (part > len - off)
                part = len - off;
            blake2b_update(&st, in + off, part);
            off += part;
        }
        blake2b_update(&st, NULL, 0);
        blake2b_final(&st, got);
        assert_memory_equal(got, want, outlen);

        /* the hash.h streaming wrappers take the same path */
        struct hash_blake2b_state hs;
        assert_int_equal(hash_blake2b_init(&hs, outlen, key, keylen), ITEE_OK);
        hash_blake2b_update(&hs, in, len / 3);
        hash_blake2b_update(&hs, in + len / 3, len - len / 3);
        memset(got, 0, sizeof(got));
        hash_blake2b_final(&hs, got);
        assert_memory_equal(got, want, outlen);
    }
}

/* Single-byte updates across the key block and several block boundaries. */
static void test_blake2b_bytewise(void **state)
{
    (void)state;
    uint8_t in[520], key[64], want[64], got[64];
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)(i * 13);
    for (size_t i = 0; i < sizeof(key); i++)
        key[i] = (uint8_t)i;
    for (size_t keylen = 0; keylen <= 64; keylen += 64) {
        struct blake2b_state st;
        assert_int_equal(blake2b_init(&st, 64, keylen ? key : NULL, keylen), ITEE_OK);
        for (size_t i = 0; i < sizeof(in); i++)
            blake2b_update(&st, in + i, 1);
        blake2b_final(&st, got);
        assert_int_equal(crypto_generichash(want, 64, in, sizeof(in), keylen ? key : NULL, keylen),
                         0);
        assert_memory_equal(got, want, 64);
    }
}

static void test_blake2b_args(void **state)
{
    (void)state;
    uint8_t out[65], key[65] = {0}, zero[65] = {0};
    struct blake2b_state st;
    assert_int_equal(blake2b_init(NULL, 32, NULL, 0), ITEE_ERR_ARG);
    assert_int_equal(blake2b_init(&st, 0, NULL, 0), ITEE_ERR_ARG);
    assert_int_equal(blake2b_init(&st, 65, NULL, 0), ITEE_ERR_ARG);
    assert_int_equal(blake2b_init(&st, 32, key, 65), ITEE_ERR_ARG);
    assert_int_equal(blake2b_init(&st, 32, NULL, 1), ITEE_ERR_ARG);
    assert_int_equal(blake2b_init(&st, 1, NULL, 0), ITEE_OK);
    assert_int_equal(blake2b_init(&st, 64, key, 64), ITEE_OK);

    memset(out, 0xff, sizeof(out));
    assert_int_equal(blake2b(out, 32, key, 65, key, 1), ITEE_ERR_ARG);
    assert_memory_equal(out, zero, 32); /* zeroed on failure */
    memset(out, 0xff, sizeof(out));
    assert_int_equal(blake2b(out, 32, NULL, 0, NULL, 1), ITEE_ERR_ARG);
    assert_memory_equal(out, zero, 32);
    assert_int_equal(blake2b(out, 32, NULL, 1, key, 1), ITEE_ERR_ARG);
    assert_int_equal(blake2b(out, 0, NULL, 0, key, 1), ITEE_ERR_ARG);
    assert_int_equal(blake2b(out, 65, NULL, 0, key, 1), ITEE_ERR_ARG);
    assert_int_equal(blake2b(NULL, 32, NULL, 0, key, 1), ITEE_ERR_ARG);
    assert_int_equal(blake2b(out, 32, NULL, 0, NULL, 0), ITEE_OK);
    assert_int_equal(hash_blake2b(out, 65, NULL, 0, key, 1), ITEE_ERR_ARG);
    struct hash_blake2b_state hs;
    assert_int_equal(hash_blake2b_init(NULL, 32, NULL, 0), ITEE_ERR_ARG);
    assert_int_equal(hash_blake2b_init(&hs, 0, NULL, 0), ITEE_ERR_ARG);
}

/* final wipes the whole state, which held the key. */
static void test_blake2b_final_wipes(void **state)
{
    (void)state;
    uint8_t key[64], out[64];
    memset(key, 0x5c, sizeof(key));
    struct blake2b_state st;
    assert_int_equal(blake2b_init(&st, 64, key, sizeof(key)), ITEE_OK);
    blake2b_update(&st, key, 10);
    blake2b_final(&st, out);
    const uint8_t *p = (const uint8_t *)&st;
    for (size_t i = 0; i < sizeof(st); i++)
        assert_int_equal(p[i], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blake2b_rfc7693),   cmocka_unit_test(test_blake2b_kat_file),
        cmocka_unit_test(test_blake2b_python),    cmocka_unit_test(test_blake2b_vs_libsodium),
        cmocka_unit_test(test_blake2b_streaming), cmocka_unit_test(test_blake2b_bytewise),
        cmocka_unit_test(test_blake2b_args),      cmocka_unit_test(test_blake2b_final_wipes),
    };
    return cmocka_run_group_tests(tests, setup_sodium, NULL);
}
