/*
 * test_seal.c - sealing: key derivation (golden values computed with node's crypto.hkdfSync),
 * seal/unseal round trips, binding to measurement/label/aad, tampering, format errors, OOM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/bytes.h"
#include "common/hex.h"
#include "common/mem.h"
#include "crypto/seal.h"

/* measurement = 00 01 .. 1f, local secret = 32 x a5 */
static void fixture(uint8_t m[SEAL_MEASUREMENT_LEN], uint8_t secret[32])
{
    for (int i = 0; i < SEAL_MEASUREMENT_LEN; i++)
        m[i] = (uint8_t)i;
    memset(secret, 0xa5, 32);
}

static void test_kdf_golden(void **state)
{
    (void)state;
    uint8_t m[SEAL_MEASUREMENT_LEN], secret[32], key[SEAL_KEY_LEN], expect[SEAL_KEY_LEN];
    fixture(m, secret);
    /* HKDF-SHA256(ikm = secret, salt = m, info = "integritee-seal-v1" || label), 32 bytes */
    assert_int_equal(seal_key_derive(key, m, secret, 32, "shielding-key"), ITEE_OK);
    assert_int_equal(
        itee_hex_decode_exact(
            expect, 32, "1222211b5d777fc7881012a08f6e1ab49addad23198268fb6b4f16244eb3e92f", 64),
        ITEE_OK);
    assert_memory_equal(key, expect, 32);
    assert_int_equal(seal_key_derive(key, m, secret, 32, ""), ITEE_OK);
    assert_int_equal(
        itee_hex_decode_exact(
            expect, 32, "3e25fb87453abf2c0d2c65f306f2ec6e59a2ac5bdfd6300284e6e2a879d0005e", 64),
        ITEE_OK);
    assert_memory_equal(key, expect, 32);
}

static void test_kdf_args(void **state)
{
    (void)state;
    uint8_t m[SEAL_MEASUREMENT_LEN], secret[32], key[SEAL_KEY_LEN];
    uint8_t zero[SEAL_KEY_LEN] = {0};
    fixture(m, secret);
    char label[SEAL_MAX_LABEL_LEN + 2];
    memset(label, 'x', sizeof(label) - 1);
    label[sizeof(label) - 1] = '\0';
    memset(key, 0xff, sizeof(key));
    assert_int_equal(seal_key_derive(key, m, secret, 32, label), ITEE_ERR_ARG);
    assert_memory_equal(key, zero, SEAL_KEY_LEN);
    label[SEAL_MAX_LABEL_LEN] = '\0'; /* exactly the maximum is fine */
    assert_int_equal(seal_key_derive(key, m, secret, 32, label), ITEE_OK);
    memset(key, 0xff, sizeof(key));
    assert_int_equal(seal_key_derive(key, m, secret, SEAL_MIN_SECRET_LEN - 1, "a"), ITEE_ERR_ARG);
    assert_memory_equal(key, zero, SEAL_KEY_LEN);
    assert_int_equal(seal_key_derive(key, NULL, secret, 32, "a"), ITEE_ERR_ARG);
    assert_int_equal(seal_key_derive(key, m, NULL, 32, "a"), ITEE_ERR_ARG);
    assert_int_equal(seal_key_derive(key, m, secret, 32, NULL), ITEE_ERR_ARG);
    assert_int_equal(seal_key_derive(NULL, m, secret, 32, "a"), ITEE_ERR_ARG);
}

static void test_seal_roundtrip(void **state)
{
    (void)state;
    uint8_t m[SEAL_MEASUREMENT_LEN], secret[32], key[SEAL_KEY_LEN];
    fixture(m, secret);
    assert_int_equal(seal_key_derive(key, m, secret, 32, "state"), ITEE_OK);
    static const size_t lens[] = {0, 1, 15, 16, 17, 100, 5000};
    uint8_t plain[5000];
    for (size_t i = 0; i < sizeof(plain); i++)
        plain[i] = (uint8_t)(i * 13 + 5);
    const uint8_t aad[] = "shard-1";
    for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
        for (int with_aad = 0; with_aad < 2; with_aad++) {
            size_t len = lens[li];
            struct itee_buf blob, back, blob2;
            itee_buf_init(&blob, 0);
            itee_buf_init(&back, 0);
            itee_buf_init(&blob2, 0);
            const uint8_t *a = with_aad ? aad : NULL;
            size_t alen = with_aad ? sizeof(aad) : 0;
            assert_int_equal(seal(&blob, key, a, alen, plain, len), ITEE_OK);
            assert_int_equal(blob.len, len + SEAL_OVERHEAD);
            assert_memory_equal(blob.ptr, "ITSL\x01", 5);
            assert_int_equal(unseal(&back, key, a, alen, blob.ptr, blob.len), ITEE_OK);
            assert_int_equal(back.len, len);
            if (len > 0)
                assert_memory_equal(back.ptr, plain, len);
            /* A fresh nonce every time: sealing twice gives different blobs. */
            assert_int_equal(seal(&blob2, key, a, alen, plain, len), ITEE_OK);
            assert_memory_not_equal(blob.ptr + 5, blob2.ptr + 5, SEAL_NONCE_LEN);
            itee_buf_free(&blob);
            itee_buf_free(&blob2);
            itee_buf_free_secret(&back);
        }
    }
    assert_int_equal(seal_overhead(), 33);
}

static void test_seal_binding(void **state)
{
    (void)state;
    uint8_t m[SEAL_MEASUREMENT_LEN], secret[32], key[SEAL_KEY_LEN], other[SEAL_KEY_LEN];
    fixture(m, secret);
    assert_int_equal(seal_key_derive(key, m, secret, 32, "signer"), ITEE_OK);
    const uint8_t plain[] = "ed25519 seed goes here";
    struct itee_buf blob, back;
    itee_buf_init(&blob, 0);
    itee_buf_init(&back, 0);
    assert_int_equal(seal(&blob, key, (const uint8_t *)"ctx", 3, plain, sizeof(plain)), ITEE_OK);

    /* Another enclave build (measurement) cannot open it. */
    m[31] ^= 1;
    assert_int_equal(seal_key_derive(other, m, secret, 32, "signer"), ITEE_OK);
    assert_memory_not_equal(other, key, SEAL_KEY_LEN);
    assert_int_equal(unseal(&back, other, (const uint8_t *)"ctx", 3, blob.ptr, blob.len),
                     ITEE_ERR_AUTH);
    assert_int_equal(back.len, 0);
    m[31] ^= 1;
    /* Another machine secret, another purpose label. */
    secret[0] ^= 1;
    assert_int_equal(seal_key_derive(other, m, secret, 32, "signer"), ITEE_OK);
    assert_int_equal(unseal(&back, other, (const uint8_t *)"ctx", 3, blob.ptr, blob.len),
                     ITEE_ERR_AUTH);
    secret[0] ^= 1;
    assert_int_equal(seal_key_derive(other, m, secret, 32, "state"), ITEE_OK);
    assert_int_equal(unseal(&back, other, (const uint8_t *)"ctx", 3, blob.ptr, blob.len),
                     ITEE_ERR_AUTH);
    /* Another aad. */
    assert_int_equal(unseal(&back, key, (const uint8_t *)"ctX", 3, blob.ptr, blob.len),
                     ITEE_ERR_AUTH);
    assert_int_equal(unseal(&back, key, NULL, 0, blob.ptr, blob.len), ITEE_ERR_AUTH);
    /* The right everything works. */
    assert_int_equal(unseal(&back, key, (const uint8_t *)"ctx", 3, blob.ptr, blob.len), ITEE_OK);
    assert_memory_equal(back.ptr, plain, sizeof(plain));
    itee_buf_free(&blob);
    itee_buf_free_secret(&back);
}

static void test_seal_tamper_every_byte(void **state)
{
    (void)state;
    uint8_t m[SEAL_MEASUREMENT_LEN], secret[32], key[SEAL_KEY_LEN];
    fixture(m, secret);
    assert_int_equal(seal_key_derive(key, m, secret, 32, "x"), ITEE_OK);
    const uint8_t plain[40] = {1, 2, 3};
    struct itee_buf blob, back;
    itee_buf_init(&blob, 0);
    itee_buf_init(&back, 0);
    assert_int_equal(seal(&blob, key, NULL, 0, plain, sizeof(plain)), ITEE_OK);
    for (size_t i = 0; i < blob.len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            blob.ptr[i] ^= (uint8_t)(1u << bit);
            enum itee_err r = unseal(&back, key, NULL, 0, blob.ptr, blob.len);
            assert_int_equal(r, i < SEAL_HEADER_LEN ? ITEE_ERR_FORMAT : ITEE_ERR_AUTH);
            assert_int_equal(back.len, 0);
            blob.ptr[i] ^= (uint8_t)(1u << bit);
        }
    }
    /* Every truncation and an extension fail too. */
    for (size_t n = 0; n < blob.len; n++) {
        enum itee_err r = unseal(&back, key, NULL, 0, blob.ptr, n);
        assert_int_equal(r, n < SEAL_OVERHEAD ? ITEE_ERR_FORMAT : ITEE_ERR_AUTH);
    }
    assert_int_equal(itee_buf_push(&blob, 0), ITEE_OK);
    assert_int_equal(unseal(&back, key, NULL, 0, blob.ptr, blob.len), ITEE_ERR_AUTH);
    blob.len--;
    assert_int_equal(unseal(&back, key, NULL, 0, blob.ptr, blob.len), ITEE_OK);
    itee_buf_free(&blob);
    itee_buf_free_secret(&back);
}

static void test_seal_format_errors(void **state)
{
    (void)state;
    uint8_t key[SEAL_KEY_LEN] = {7};
    uint8_t blob[SEAL_OVERHEAD + 4];
    struct itee_buf back;
    itee_buf_init(&back, 0);
    memset(blob, 0, sizeof(blob));
    memcpy(blob, "ITSL\x02", 5);
    assert_int_equal(unseal(&back, key, NULL, 0, blob, sizeof(blob)), ITEE_ERR_FORMAT);
    blob[4] = 0;
    assert_int_equal(unseal(&back, key, NULL, 0, blob, sizeof(blob)), ITEE_ERR_FORMAT);
    memcpy(blob, "ITSM\x01", 5);
    assert_int_equal(unseal(&back, key, NULL, 0, blob, sizeof(blob)), ITEE_ERR_FORMAT);
    memcpy(blob, "ITSL\x01", 5);
    assert_int_equal(unseal(&back, key, NULL, 0, blob, sizeof(blob)), ITEE_ERR_AUTH);
    assert_int_equal(unseal(&back, key, NULL, 0, NULL, 0), ITEE_ERR_FORMAT);
    assert_int_equal(unseal(&back, key, NULL, 0, NULL, 5), ITEE_ERR_ARG);
    assert_int_equal(unseal(&back, NULL, NULL, 0, blob, sizeof(blob)), ITEE_ERR_ARG);
    assert_int_equal(unseal(NULL, key, NULL, 0, blob, sizeof(blob)), ITEE_ERR_ARG);
    assert_int_equal(seal(&back, key, NULL, 1, blob, 1), ITEE_ERR_ARG);
    assert_int_equal(seal(&back, NULL, NULL, 0, blob, 1), ITEE_ERR_ARG);
    /* A buffer whose maximum is too small for the blob. */
    struct itee_buf small;
    itee_buf_init(&small, SEAL_OVERHEAD + 3);
    assert_int_equal(seal(&small, key, NULL, 0, blob, 4), ITEE_ERR_SPACE);
    assert_int_equal(seal(&small, key, NULL, 0, blob, 3), ITEE_OK);
    itee_buf_free(&small);
    itee_buf_free(&back);
}

static void test_seal_oom(void **state)
{
    (void)state;
    uint8_t key[SEAL_KEY_LEN] = {3};
    const uint8_t plain[100] = {9};
    const uint8_t aad[10] = {1};
    int ok_seal = 0, ok_unseal = 0;
    for (long n = 0; n < 20 && !(ok_seal && ok_unseal); n++) {
        struct itee_buf blob, back;
        itee_buf_init(&blob, 0);
        itee_buf_init(&back, 0);
        itee_mem_fail_after(n);
        enum itee_err r = seal(&blob, key, aad, sizeof(aad), plain, sizeof(plain));
        itee_mem_fail_after(-1);
        assert_true(r == ITEE_OK || r == ITEE_ERR_NOMEM);
        if (r == ITEE_OK) {
            ok_seal = 1;
            itee_mem_fail_after(n);
            r = unseal(&back, key, aad, sizeof(aad), blob.ptr, blob.len);
            itee_mem_fail_after(-1);
            assert_true(r == ITEE_OK || r == ITEE_ERR_NOMEM);
            if (r == ITEE_OK) {
                ok_unseal = 1;
                assert_memory_equal(back.ptr, plain, sizeof(plain));
            } else {
                assert_int_equal(back.len, 0);
            }
        } else {
            assert_int_equal(blob.len, 0);
        }
        itee_buf_free(&blob);
        itee_buf_free_secret(&back);
    }
    assert_true(ok_seal && ok_unseal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kdf_golden),
        cmocka_unit_test(test_kdf_args),
        cmocka_unit_test(test_seal_roundtrip),
        cmocka_unit_test(test_seal_binding),
        cmocka_unit_test(test_seal_tamper_every_byte),
        cmocka_unit_test(test_seal_format_errors),
        cmocka_unit_test(test_seal_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
