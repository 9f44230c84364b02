/*
 * test_hash.c - BLAKE2b (RFC 7693, BLAKE2 keyed KAT, Substrate vectors), twox/XXH64, SHA-2
 * (FIPS 180 examples), and Substrate storage keys (spec §2.1-2.3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/bytes.h"
#include "common/hex.h"
#include "crypto/hash.h"

static void unhex(uint8_t *out, size_t len, const char *hex)
{
    assert_int_equal(itee_hex_decode_exact(out, len, hex, strlen(hex)), ITEE_OK);
}

static void assert_hex(const uint8_t *got, size_t len, const char *hex)
{
    uint8_t want[256];
    assert_true(len <= sizeof(want));
    assert_int_equal(strlen(hex), 2 * len);
    unhex(want, len, hex);
    assert_memory_equal(got, want, len);
}

#define S(str) (const uint8_t *)(str), strlen(str)

static void test_hash_blake2_substrate(void **state)
{
    (void)state;
    uint8_t out[64];
    const uint8_t zero = 0;
    hash_blake2_128(out, NULL, 0);
    assert_hex(out, 16, "cae66941d9efbd404e4d88758ea67670");
    hash_blake2_256(out, NULL, 0);
    assert_hex(out, 32, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    hash_blake2_512(out, NULL, 0);
    assert_hex(out, 64,
               "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
               "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce");
    hash_blake2_256(out, &zero, 1);
    assert_hex(out, 32, "03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314");
    hash_blake2_128(out, S("abc"));
    assert_hex(out, 16, "cf4ab791c62b8d2b2109c90275287816");
    hash_blake2_256(out, S("abc"));
    assert_hex(out, 32, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    /* RFC 7693 appendix A: BLAKE2b-512("abc") */
    hash_blake2_512(out, S("abc"));
    assert_hex(out, 64,
               "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
               "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
}

static void test_hash_blake2_keyed(void **state)
{
    (void)state;
    /* blake2b-kat.txt (BLAKE2 reference): key = 00..3f, in = 00..(n-1) */
    uint8_t key[64], in[255], out[64];
    for (size_t i = 0; i < sizeof(key); i++)
        key[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)i;
    assert_int_equal(hash_blake2b(out, 64, key, 64, NULL, 0), ITEE_OK);
    assert_hex(out, 64,
               "10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786"
               "b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568");
    assert_int_equal(hash_blake2b(out, 64, key, 64, in, 1), ITEE_OK);
    assert_hex(out, 64,
               "961f6dd1e4dd30f63901690c512e78e4b45e4742ed197c3c5e45c549fd25f2e4"
               "187b0bc9fe30492b16b0d0bc4ef9b0f34c7003fac09a5ef1532e69430234cebd");
    assert_int_equal(hash_blake2b(out, 64, key, 64, in, 255), ITEE_OK);
    assert_hex(out, 64,
               "142709d62e28fcccd0af97fad0f8465b971e82201dc51070faa0372aa43e9248"
               "4be1c1e73ba10906d5d1853db6a4106e0a7bf9800d373d6dee2d46d62ef2a461");

    /* short digests are their own function, not a truncation (Python hashlib) */
    assert_int_equal(hash_blake2b(out, 5, (const uint8_t *)"k", 1, S("abc")), ITEE_OK);
    assert_hex(out, 5, "ae6b06782a");

    /* streaming in pieces equals one shot */
    struct hash_blake2b_state st;
    uint8_t out2[64];
    assert_int_equal(hash_blake2b_init(&st, 64, key, 64), ITEE_OK);
    hash_blake2b_update(&st, in, 100);
    hash_blake2b_update(&st, NULL, 0);
    hash_blake2b_update(&st, in + 100, 155);
    hash_blake2b_final(&st, out2);
    assert_int_equal(hash_blake2b(out, 64, key, 64, in, 255), ITEE_OK);
    assert_memory_equal(out, out2, 64);
    assert_int_equal(hash_blake2b(out, 32, NULL, 0, S("abc")), ITEE_OK);
    assert_hex(out, 32, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");

    /* argument checks */
    assert_int_equal(hash_blake2b(out, 0, NULL, 0, in, 1), ITEE_ERR_ARG);
    assert_int_equal(hash_blake2b(out, 65, NULL, 0, in, 1), ITEE_ERR_ARG);
    assert_int_equal(hash_blake2b(out, 32, key, 65, in, 1), ITEE_ERR_ARG);
    assert_int_equal(hash_blake2b(out, 32, NULL, 3, in, 1), ITEE_ERR_ARG);
    assert_int_equal(hash_blake2b(out, 32, NULL, 0, NULL, 1), ITEE_ERR_ARG);
    assert_int_equal(hash_blake2b_init(&st, 0, NULL, 0), ITEE_ERR_ARG);
}

static void test_hash_twox(void **state)
{
    (void)state;
    uint8_t out[32];
    hash_twox64(out, NULL, 0);
    assert_hex(out, 8, "99e9d85137db46ef");
    hash_twox128(out, NULL, 0);
    assert_hex(out, 16, "99e9d85137db46ef4bbea33613baafd5");
    hash_twox256(out, NULL, 0);
    assert_hex(out, 32, "99e9d85137db46ef4bbea33613baafd56f963c64b1f3685a4eb4abd67ff6203a");
    hash_twox64(out, S("abc"));
    assert_hex(out, 8, "990977adf52cbc44");
    hash_twox128(out, S("abc"));
    assert_hex(out, 16, "990977adf52cbc440889329981caa9be");
    hash_twox256(out, S("abc"));
    assert_hex(out, 32, "990977adf52cbc440889329981caa9bef7da5770b2b8a05303b75d95360dd62b");
    assert_true(hash_xxh64(NULL, 0, 0) == 0xEF46DB3751D8E999ULL);
    const uint8_t u32zero[4] = {0};
    hash_twox64(out, u32zero, 4);
    assert_hex(out, 8, "b4def25cfda6ef3a");
}

static void test_hash_sha2(void **state)
{
    (void)state;
    uint8_t out[64];
    hash_sha256(out, NULL, 0);
    assert_hex(out, 32, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hash_sha256(out, S("abc"));
    assert_hex(out, 32, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    hash_sha256(out, S("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
    assert_hex(out, 32, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    hash_sha512(out, S("abc"));
    assert_hex(out, 64,
               "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
               "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    hash_sha512(out, S("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                       "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"));
    assert_hex(out, 64,
               "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
               "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
}

static void test_hash_storage_prefixes(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *hex;
    } v[] = {
        {"System", "26aa394eea5630e07c48ae0c9558cef7"},
        {"Account", "b99d880ec681799c0cf30e8886371da9"},
        {"Number", "02a5c1b19ab7a04f536c519aca4983ac"},
        {"Events", "80d41e5e16056765bc8461851072c9d7"},
        {"BlockHash", "a44704b568d21667356a5a050c118746"},
        {"Timestamp", "f0c365c3cf59d671eb72da0e7a4113c4"},
        {"Balances", "c2261276cc9d1f8598ea4b6a74b15c2f"},
        {"TotalIssuance", "57c875e4cff74148e4628f264b974c80"},
        {"UpgradedToTripleRefCount", "a7fd6c28836b9a28522dc924110cf439"},
        {":__STORAGE_VERSION__:", "4e7b9012096b41c4eb3aaf947f6ea429"},
    };
    uint8_t out[16];
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        hash_twox128(out, S(v[i].name));
        assert_hex(out, 16, v[i].hex);
    }
    uint8_t key[32];
    hash_storage_prefix(key, "System", "Events");
    assert_hex(key, 32, "26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7");
    hash_storage_prefix(key, "System", "Number");
    assert_hex(key, 32, "26aa394eea5630e07c48ae0c9558cef702a5c1b19ab7a04f536c519aca4983ac");
}

static void test_hash_storage_maps(void **state)
{
    (void)state;
    struct itee_buf b = {0};
    uint8_t prefix[32], alice[32];
    const uint8_t zero_u32[4] = {0};
    itee_buf_init(&b, 0);

    /* System.BlockHash(0): Twox64Concat over u32 */
    hash_storage_prefix(prefix, "System", "BlockHash");
    assert_int_equal(itee_buf_append(&b, prefix, 32), ITEE_OK);
    assert_int_equal(hash_storage_append(&b, HASH_STORAGE_TWOX64_CONCAT, zero_u32, 4), ITEE_OK);
    assert_int_equal(b.len, 32 + hash_storage_len(HASH_STORAGE_TWOX64_CONCAT, 4));
    assert_hex(b.ptr, b.len,
               "26aa394eea5630e07c48ae0c9558cef7a44704b568d21667356a5a050c118746"
               "b4def25cfda6ef3a00000000");

    /* System.Account(Alice): Blake2_128Concat over AccountId32 */
    itee_buf_reset(&b);
    unhex(alice, 32, "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
    hash_storage_prefix(prefix, "System", "Account");
    assert_int_equal(itee_buf_append(&b, prefix, 32), ITEE_OK);
    assert_int_equal(hash_storage_append(&b, HASH_STORAGE_BLAKE2_128_CONCAT, alice, 32), ITEE_OK);
    assert_hex(b.ptr, b.len,
               "26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9"
               "de1e86a9a8c739864cf3cc5ec2bea59f"
               "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");

    /* the other hashers, by length and content */
    static const enum hash_storage_hasher all[] = {
        HASH_STORAGE_BLAKE2_128, HASH_STORAGE_BLAKE2_256, HASH_STORAGE_BLAKE2_128_CONCAT,
        HASH_STORAGE_TWOX128,    HASH_STORAGE_TWOX256,    HASH_STORAGE_TWOX64_CONCAT,
        HASH_STORAGE_IDENTITY,
    };
    static const char *const abc_hex[] = {
        "cf4ab791c62b8d2b2109c90275287816",
        "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319",
        "cf4ab791c62b8d2b2109c90275287816616263",
        "990977adf52cbc440889329981caa9be",
        "990977adf52cbc440889329981caa9bef7da5770b2b8a05303b75d95360dd62b",
        "990977adf52cbc44616263",
        "616263",
    };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        itee_buf_reset(&b);
        assert_int_equal(hash_storage_append(&b, all[i], S("abc")), ITEE_OK);
        assert_int_equal(b.len, hash_storage_len(all[i], 3));
        assert_hex(b.ptr, b.len, abc_hex[i]);
    }
    itee_buf_reset(&b);
    assert_int_equal(hash_storage_append(&b, HASH_STORAGE_IDENTITY, NULL, 0), ITEE_OK);
    assert_int_equal(b.len, 0);
    assert_int_equal(hash_storage_append(&b, (enum hash_storage_hasher)7, S("abc")), ITEE_ERR_ARG);
    assert_int_equal(hash_storage_len((enum hash_storage_hasher)7, 3), 0);

    /* a full buffer is refused and left unchanged */
    struct itee_buf small = {0};
    itee_buf_init(&small, 20);
    assert_int_equal(hash_storage_append(&small, HASH_STORAGE_TWOX64_CONCAT, S("abc")), ITEE_OK);
    assert_int_equal(hash_storage_append(&small, HASH_STORAGE_TWOX64_CONCAT, S("abc")),
                     ITEE_ERR_SPACE);
    assert_int_equal(small.len, 11);
    itee_buf_free(&small);
    itee_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_blake2_substrate),
        cmocka_unit_test(test_hash_blake2_keyed),
        cmocka_unit_test(test_hash_twox),
        cmocka_unit_test(test_hash_sha2),
        cmocka_unit_test(test_hash_storage_prefixes),
        cmocka_unit_test(test_hash_storage_maps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
