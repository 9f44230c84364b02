/*
 * test_ss58.c - SS58 addresses: spec §4 (Alice under many prefixes) and §3.6.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/base58.h"
#include "common/hex.h"
#include "keys/ss58.h"

static void unhex(uint8_t *out, size_t n, const char *hex)
{
    assert_int_equal(itee_hex_decode_exact(out, n, hex, strlen(hex)), ITEE_OK);
}

#define ALICE "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"

static void test_alice_prefixes(void **state)
{
    (void)state;
    static const struct {
        uint16_t prefix;
        const char *addr;
    } v[] = {
        {42, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"},
        {13, "2P2pRoXYwZAWVPXXtR6is5o7L34Me72iuNdiMZxeNV2BkgsH"},
        {0, "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5"},
        {2, "HNZata7iMYWmk5RvZRTiAsSDhV8366zq2YGb3tLH5Upf74F"},
        {63, "7NPoMQbiA6trJKkjB35uk96MeJD4PGWkLQLH7k7hXEkZpiba"},
        {64, "cEaNSpz4PxFcZ7nT1VEKrKewH67rfx6MfcM6yKojyyPz7qaqp"},
        {69, "cnWHXYTKQwMV96ZuTKbqTA23FuPcmWjrDyLNzCXYL92G9tmtm"},
        {255, "yGHXkYLYqxijLKKfd9Q2CB9shRVu8rPNBS53wvwGTutYg4zTg"},
        {1284, "VdvKmYJfD4VXA9fzz1SbmCo2eYHSzUFbaDCZSuaNKJAe8YNg6"},
        {16383, "yNa8JpqfFB3q8A29rCwSgxvdU94ufJw2yKKxDgznS5m1PoFvn"},
    };
    uint8_t alice[32];
    unhex(alice, 32, ALICE);
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        char text[SS58_ADDRESS_MAX];
        assert_int_equal(ss58_encode(text, sizeof(text), v[i].prefix, alice, 32), ITEE_OK);
        assert_string_equal(text, v[i].addr);
        uint8_t acc[33];
        size_t n = 0;
        uint16_t p = 0;
        assert_int_equal(ss58_decode(acc, sizeof(acc), &n, &p, v[i].addr, strlen(v[i].addr)),
                         ITEE_OK);
        assert_int_equal(n, 32);
        assert_int_equal(p, v[i].prefix);
        assert_memory_equal(acc, alice, 32);
        assert_int_equal(ss58_decode_account32(acc, &p, v[i].addr, strlen(v[i].addr)), ITEE_OK);
        assert_memory_equal(acc, alice, 32);
        /* Too-small output buffers. */
        assert_int_equal(ss58_encode(text, strlen(v[i].addr), v[i].prefix, alice, 32),
                         ITEE_ERR_SPACE);
        assert_int_equal(ss58_decode(acc, 31, &n, &p, v[i].addr, strlen(v[i].addr)),
                         ITEE_ERR_SPACE);
    }
    uint8_t zero[32] = {0};
    char text[SS58_ADDRESS_MAX];
    assert_int_equal(ss58_encode(text, sizeof(text), SS58_PREFIX_GENERIC, zero, 32), ITEE_OK);
    assert_string_equal(text, "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM");
}

static void test_dev_accounts(void **state)
{
    (void)state;
    static const struct {
        const char *pk, *a42, *a13;
    } v[] = {
        {"46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a",
         "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV",
         "2KqZnChw7NEEpReRFUixDC2kVLG9xKt5WMcVH2hSfRm6frSK"},
        {"8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48",
         "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
         "2MTf9jMQoqAcLP32TV8n7jt9EC3UBZdPQYVPJCpyJW6wyqoQ"},
        {"345071da55e5dccefaaa440339415ef9f2663338a38f7da0df21be5ab4e055ef",
         "5DFJF7tY4bpbpcKPJcBTQaKuCDEPCpiz8TRjpmLeTtweqmXL",
         "2KRAkMBqvATXHuaw3AfmTScaT95rcWTtfBMvywgv36hWgCvG"},
        {"01e552298e47454041ea31273b4b630c64c104e4514aa3643490b8aaca9cf8ed",
         "5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9X",
         "2JH4XnPBNAcpPb6T52RJNn5U3MntNMcvGSn3VPS8H7NFvBZp"},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        uint8_t pk[32];
        char text[SS58_ADDRESS_MAX];
        unhex(pk, 32, v[i].pk);
        assert_int_equal(ss58_encode(text, sizeof(text), 42, pk, 32), ITEE_OK);
        assert_string_equal(text, v[i].a42);
        assert_int_equal(ss58_encode(text, sizeof(text), SS58_PREFIX_INTEGRITEE, pk, 32), ITEE_OK);
        assert_string_equal(text, v[i].a13);
    }
}

static void test_short_and_33(void **state)
{
    (void)state;
    static const size_t lens[] = {1, 2, 4, 8, 32, 33};
    static const uint16_t prefixes[] = {0, 13, 42, 63, 64, 1000, 16383};
    for (size_t i = 0; i < 6; i++) {
        for (size_t j = 0; j < 7; j++) {
            uint8_t acc[33], got[33];
            for (size_t k = 0; k < 33; k++)
                acc[k] = (uint8_t)(k * 37 + i + j);
            char text[SS58_ADDRESS_MAX];
            assert_int_equal(ss58_encode(text, sizeof(text), prefixes[j], acc, lens[i]), ITEE_OK);
            size_t n = 0;
            uint16_t p = 0;
            assert_int_equal(ss58_decode(got, sizeof(got), &n, &p, text, strlen(text)), ITEE_OK);
            assert_int_equal(n, lens[i]);
            assert_int_equal(p, prefixes[j]);
            assert_memory_equal(got, acc, lens[i]);
            /* The raw form has the checksum length the account length implies. */
            uint8_t raw[64];
            size_t rn = 0;
            assert_int_equal(itee_base58_decode(raw, sizeof(raw), &rn, text, strlen(text)),
                             ITEE_OK);
            assert_int_equal(rn, (prefixes[j] < 64 ? 1u : 2u) + lens[i] + (lens[i] >= 32 ? 2 : 1));
        }
    }
    /* A 1-byte account with prefix 42 (polkadot-js: encodeAddress(new Uint8Array([1]), 42)). */
    uint8_t one = 1;
    char text[SS58_ADDRESS_MAX];
    assert_int_equal(ss58_encode(text, sizeof(text), 42, &one, 1), ITEE_OK);
    assert_string_equal(text, "F7NZ");
}

static void test_errors(void **state)
{
    (void)state;
    uint8_t acc[33] = {0};
    char text[SS58_ADDRESS_MAX];
    assert_int_equal(ss58_encode(text, sizeof(text), 46, acc, 32), ITEE_ERR_SS58_PREFIX);
    assert_int_equal(ss58_encode(text, sizeof(text), 47, acc, 32), ITEE_ERR_SS58_PREFIX);
    assert_int_equal(ss58_encode(text, sizeof(text), 16384, acc, 32), ITEE_ERR_SS58_PREFIX);
    assert_int_equal(ss58_encode(text, sizeof(text), 42, acc, 3), ITEE_ERR_ARG);
    assert_int_equal(ss58_encode(text, sizeof(text), 42, acc, 31), ITEE_ERR_ARG);
    assert_int_equal(ss58_encode(text, sizeof(text), 42, acc, 0), ITEE_ERR_ARG);

    size_t n;
    uint16_t p;
    const char *good = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
    char bad[64];
    memcpy(bad, good, strlen(good) + 1);
    bad[10] = bad[10] == 'a' ? 'b' : 'a';
    assert_int_equal(ss58_decode(acc, 33, &n, &p, bad, strlen(bad)), ITEE_ERR_SS58_CHECKSUM);
    assert_int_equal(n, 0);
    assert_int_not_equal(ss58_decode(acc, 33, &n, &p, good, strlen(good) - 1), ITEE_OK);
    assert_int_equal(ss58_decode(acc, 33, &n, &p, "0OIl", 4), ITEE_ERR_SS58);
    assert_int_equal(ss58_decode(acc, 33, &n, &p, "", 0), ITEE_ERR_SS58);
    /* A payload whose first byte is 46 (reserved) with a valid-looking length. */
    uint8_t raw[35] = {46};
    assert_int_equal(itee_base58_encode(bad, sizeof(bad), raw, sizeof(raw)), ITEE_OK);
    assert_int_equal(ss58_decode(acc, 33, &n, &p, bad, strlen(bad)), ITEE_ERR_SS58_PREFIX);
    raw[0] = 0x80;
    assert_int_equal(itee_base58_encode(bad, sizeof(bad), raw, sizeof(raw)), ITEE_OK);
    assert_int_equal(ss58_decode(acc, 33, &n, &p, bad, strlen(bad)), ITEE_ERR_SS58_PREFIX);
    /* A 33-byte account decodes, but not as an AccountId32. */
    assert_int_equal(ss58_encode(text, sizeof(text), 42, acc, 33), ITEE_OK);
    assert_int_equal(ss58_decode_account32(acc, &p, text, strlen(text)), ITEE_ERR_SS58);
    assert_int_equal(ss58_prefix_valid(45), 1);
    assert_int_equal(ss58_prefix_valid(46), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alice_prefixes),
        cmocka_unit_test(test_dev_accounts),
        cmocka_unit_test(test_short_and_33),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
