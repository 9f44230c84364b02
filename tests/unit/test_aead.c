/*
 * test_aead.c - AES-256-GCM against the GCM specification's AES-256 vectors (McGrew & Viega,
 * "The Galois/Counter Mode of Operation", test cases 13-16), plus tamper detection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/hex.h"
#include "crypto/aead.h"

struct gcm_vector {
    const char *name;  /* test case number in the GCM spec */
    const char *key;   /* hex, 32 bytes */
    const char *nonce; /* hex, 12 bytes */
    const char *aad;   /* hex */
    const char *plain; /* hex */
    const char *ct;    /* hex, same length as plain */
    const char *tag;   /* hex, 16 bytes */
};

#define K15 "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
#define P15                                                                                        \
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449"   \
    "a6b525b16aedf5aa0de657ba637b39"
#define C15                                                                                        \
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056"   \
    "828838c5f61e6393ba7a0abcc9f662"

static const struct gcm_vector gcm_vectors[] = {
    {"13", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"14", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "00000000000000000000000000000000",
     "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {"15", K15, "cafebabefacedbaddecaf888", "", P15 "1aafd255", C15 "898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
    {"16", K15, "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2", P15, C15,
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

/* Decoded form of one vector. */
struct gcm_bytes {
    uint8_t key[AEAD_KEY_LEN];
    uint8_t nonce[AEAD_NONCE_LEN];
    uint8_t aad[64];
    size_t aad_len;
    uint8_t plain[64];
    size_t plain_len;
    uint8_t expect[64 + AEAD_TAG_LEN]; /* ciphertext || tag */
};

static void decode(struct gcm_bytes *b, const struct gcm_vector *v)
{
    size_t n = 0;
    assert_int_equal(itee_hex_decode_exact(b->key, AEAD_KEY_LEN, v->key, strlen(v->key)), ITEE_OK);
    assert_int_equal(itee_hex_decode_exact(b->nonce, AEAD_NONCE_LEN, v->nonce, strlen(v->nonce)),
                     ITEE_OK);
    assert_int_equal(itee_hex_decode(b->aad, sizeof(b->aad), &b->aad_len, v->aad, strlen(v->aad)),
                     ITEE_OK);
    assert_int_equal(
        itee_hex_decode(b->plain, sizeof(b->plain), &b->plain_len, v->plain, strlen(v->plain)),
        ITEE_OK);
    assert_int_equal(itee_hex_decode(b->expect, sizeof(b->expect), &n, v->ct, strlen(v->ct)),
                     ITEE_OK);
    assert_int_equal(n, b->plain_len);
    assert_int_equal(itee_hex_decode_exact(b->expect + n, AEAD_TAG_LEN, v->tag, strlen(v->tag)),
                     ITEE_OK);
}

static void test_gcm_spec_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(gcm_vectors) / sizeof(gcm_vectors[0]); i++) {
        struct gcm_bytes b;
        decode(&b, &gcm_vectors[i]);
        uint8_t out[64 + AEAD_TAG_LEN];
        uint8_t back[64];
        const uint8_t *aad = b.aad_len ? b.aad : NULL;
        assert_int_equal(
            aead_aes256gcm_encrypt(out, b.key, b.nonce, aad, b.aad_len, b.plain, b.plain_len),
            ITEE_OK);
        assert_memory_equal(out, b.expect, b.plain_len + AEAD_TAG_LEN);
        memset(back, 0xee, sizeof(back));
        assert_int_equal(aead_aes256gcm_decrypt(back, b.key, b.nonce, aad, b.aad_len, b.expect,
                                                b.plain_len + AEAD_TAG_LEN),
                         ITEE_OK);
        if (b.plain_len > 0)
            assert_memory_equal(back, b.plain, b.plain_len);
    }
}

static void test_gcm_tamper(void **state)
{
    (void)state;
    struct gcm_bytes b;
    decode(&b, &gcm_vectors[3]); /* has aad, ciphertext and tag */
    size_t total = b.plain_len + AEAD_TAG_LEN;
    uint8_t back[64];
    for (size_t i = 0; i < total; i++) {
        for (int bit = 0; bit < 8; bit++) {
            uint8_t bad[64 + AEAD_TAG_LEN];
            memcpy(bad, b.expect, total);
            bad[i] ^= (uint8_t)(1u << bit);
            memset(back, 0xee, sizeof(back));
            assert_int_equal(
                aead_aes256gcm_decrypt(back, b.key, b.nonce, b.aad, b.aad_len, bad, total),
                ITEE_ERR_AUTH);
            for (size_t j = 0; j < b.plain_len; j++)
                assert_int_equal(back[j], 0); /* unauthenticated plaintext is wiped */
        }
    }
    /* Wrong aad, key or nonce. */
    uint8_t aad2[64];
    memcpy(aad2, b.aad, b.aad_len);
    aad2[0] ^= 1;
    assert_int_equal(aead_aes256gcm_decrypt(back, b.key, b.nonce, aad2, b.aad_len, b.expect, total),
                     ITEE_ERR_AUTH);
    assert_int_equal(
        aead_aes256gcm_decrypt(back, b.key, b.nonce, b.aad, b.aad_len - 1, b.expect, total),
        ITEE_ERR_AUTH);
    b.key[31] ^= 0x80;
    assert_int_equal(
        aead_aes256gcm_decrypt(back, b.key, b.nonce, b.aad, b.aad_len, b.expect, total),
        ITEE_ERR_AUTH);
    b.key[31] ^= 0x80;
    b.nonce[0] ^= 1;
    assert_int_equal(
        aead_aes256gcm_decrypt(back, b.key, b.nonce, b.aad, b.aad_len, b.expect, total),
        ITEE_ERR_AUTH);
    b.nonce[0] ^= 1;
    /* Truncation: dropping bytes from either end. */
    assert_int_equal(
        aead_aes256gcm_decrypt(back, b.key, b.nonce, b.aad, b.aad_len, b.expect, total - 1),
        ITEE_ERR_AUTH);
    assert_int_equal(
        aead_aes256gcm_decrypt(back, b.key, b.nonce, b.aad, b.aad_len, b.expect + 1, total - 1),
        ITEE_ERR_AUTH);
    /* Shorter than a tag. */
    assert_int_equal(aead_aes256gcm_decrypt(back, b.key, b.nonce, NULL, 0, b.expect, 15),
                     ITEE_ERR_AUTH);
    assert_int_equal(aead_aes256gcm_decrypt(back, b.key, b.nonce, NULL, 0, b.expect, 0),
                     ITEE_ERR_AUTH);
    /* Still fine untouched. */
    assert_int_equal(
        aead_aes256gcm_decrypt(back, b.key, b.nonce, b.aad, b.aad_len, b.expect, total), ITEE_OK);
}

static void test_gcm_in_place_and_args(void **state)
{
    (void)state;
    uint8_t key[AEAD_KEY_LEN] = {1, 2, 3};
    uint8_t nonce[AEAD_NONCE_LEN] = {9};
    uint8_t buf[1000 + AEAD_TAG_LEN];
    uint8_t plain[1000];
    for (size_t i = 0; i < sizeof(plain); i++)
        plain[i] = (uint8_t)(i * 7 + 1);
    memcpy(buf, plain, sizeof(plain));
    assert_int_equal(aead_aes256gcm_encrypt(buf, key, nonce, NULL, 0, buf, sizeof(plain)), ITEE_OK);
    assert_memory_not_equal(buf, plain, sizeof(plain));
    assert_int_equal(aead_aes256gcm_decrypt(buf, key, nonce, NULL, 0, buf, sizeof(buf)), ITEE_OK);
    assert_memory_equal(buf, plain, sizeof(plain));

    assert_int_equal(aead_aes256gcm_encrypt(NULL, key, nonce, NULL, 0, plain, 1), ITEE_ERR_ARG);
    assert_int_equal(aead_aes256gcm_encrypt(buf, NULL, nonce, NULL, 0, plain, 1), ITEE_ERR_ARG);
    assert_int_equal(aead_aes256gcm_encrypt(buf, key, NULL, NULL, 0, plain, 1), ITEE_ERR_ARG);
    assert_int_equal(aead_aes256gcm_encrypt(buf, key, nonce, NULL, 5, plain, 1), ITEE_ERR_ARG);
    assert_int_equal(aead_aes256gcm_encrypt(buf, key, nonce, NULL, 0, NULL, 1), ITEE_ERR_ARG);
    assert_int_equal(aead_aes256gcm_decrypt(NULL, key, nonce, NULL, 0, buf, 17), ITEE_ERR_ARG);
    assert_int_equal(aead_aes256gcm_decrypt(buf, key, nonce, NULL, 0, NULL, 17), ITEE_ERR_ARG);
    assert_int_equal(aead_key_len(), 32);
    assert_int_equal(aead_nonce_len(), 12);
    assert_int_equal(aead_tag_len(), 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gcm_spec_vectors),
        cmocka_unit_test(test_gcm_tamper),
        cmocka_unit_test(test_gcm_in_place_and_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
