/*
 * test_ecdsa.c - secp256k1 ECDSA with Substrate's conventions (spec §3.4 vectors).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/hex.h"
#include "crypto/ecdsa.h"
#include "crypto/hash.h"

static void unhex(uint8_t *out, size_t n, const char *hex)
{
    assert_int_equal(itee_hex_decode_exact(out, n, hex, strlen(hex)), ITEE_OK);
}

static const uint8_t hello[] = "hello substrate";
#define HELLO_LEN 15

/* The dev phrase's //Alice ecdsa key pair, from the derivation vector. */
static void alice(struct ecdsa_keypair *kp)
{
    uint8_t root[32], cc[32] = {0x14, 'A', 'l', 'i', 'c', 'e'}, seed[32], want[32];
    unhex(root, 32, "fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e");
    assert_int_equal(ecdsa_derive_hard(seed, root, cc), ITEE_OK);
    unhex(want, 32, "cb6df9de1efca7a3998a8ead4e02159d5fa99c3e0d4fd6432667390bb4726854");
    assert_memory_equal(seed, want, 32);
    assert_int_equal(ecdsa_keypair_from_seed(kp, seed), ITEE_OK);
}

static void test_alice(void **state)
{
    (void)state;
    struct ecdsa_keypair kp;
    alice(&kp);
    uint8_t pk[33], acc[32];
    unhex(pk, 33, "020a1091341fe5664bfa1782d5e04779689068c916b04cb365ec3153755684d9a1");
    assert_memory_equal(kp.public.bytes, pk, 33);
    ecdsa_account_id(acc, &kp.public);
    unhex(pk, 32, "01e552298e47454041ea31273b4b630c64c104e4514aa3643490b8aaca9cf8ed");
    assert_memory_equal(acc, pk, 32);
}

static void test_sign_vector(void **state)
{
    (void)state;
    struct ecdsa_keypair kp;
    alice(&kp);
    uint8_t h[32], want[65];
    hash_blake2_256(h, hello, HELLO_LEN);
    unhex(want, 32, "9e0eea94452ddbdaad0efb1d61324311ee9c96e0a0da68ec45c3d62189f95dc4");
    assert_memory_equal(h, want, 32);

    struct ecdsa_sig s, s2;
    assert_int_equal(ecdsa_sign(&s, &kp, hello, HELLO_LEN), ITEE_OK);
    unhex(want, 65,
          "29826d169811b51b5d09b1da9df557e4ee4f70189c282001f74cba6b79cac36f"
          "2ac4389a0bfab8e4045435d65ec47f2a5620ace2289b7bdb95dc38586cd4912100");
    assert_memory_equal(s.bytes, want, 65);
    assert_int_equal(ecdsa_sign_prehashed(&s2, &kp, h), ITEE_OK);
    assert_memory_equal(s2.bytes, want, 65);

    struct ecdsa_public rec;
    assert_int_equal(ecdsa_recover(&rec, &s, hello, HELLO_LEN), ITEE_OK);
    assert_memory_equal(rec.bytes, kp.public.bytes, 33);
    assert_int_equal(ecdsa_verify(&s, hello, HELLO_LEN, &kp.public), ITEE_OK);

    /* Ethereum-style recovery id 27 is accepted; 4 and 31 are not. */
    s2.bytes[64] = 27;
    assert_int_equal(ecdsa_verify(&s2, hello, HELLO_LEN, &kp.public), ITEE_OK);
    s2.bytes[64] = 4;
    assert_int_equal(ecdsa_verify(&s2, hello, HELLO_LEN, &kp.public), ITEE_ERR_BAD_SIG);
    s2.bytes[64] = 31;
    assert_int_equal(ecdsa_recover(&rec, &s2, hello, HELLO_LEN), ITEE_ERR_BAD_SIG);
    uint8_t zero[33] = {0};
    assert_memory_equal(rec.bytes, zero, 33);
    /* The wrong recovery id recovers some other key. */
    s2.bytes[64] = 1;
    assert_int_not_equal(ecdsa_verify(&s2, hello, HELLO_LEN, &kp.public), ITEE_OK);
    /* Tampered message or signature. */
    assert_int_equal(ecdsa_verify(&s, hello, HELLO_LEN - 1, &kp.public), ITEE_ERR_BAD_SIG);
    s.bytes[10] ^= 0x40;
    assert_int_equal(ecdsa_verify(&s, hello, HELLO_LEN, &kp.public), ITEE_ERR_BAD_SIG);
    /* r = 0 cannot be parsed into a signature at all. */
    memset(s.bytes, 0, 32);
    assert_int_equal(ecdsa_recover(&rec, &s, hello, HELLO_LEN), ITEE_ERR_BAD_SIG);
}

static void test_low_s_and_roundtrip(void **state)
{
    (void)state;
    /* Half the group order: every S we produce must be at most this. */
    uint8_t half[32];
    unhex(half, 32, "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");
    uint8_t seed[32];
    for (int i = 0; i < 32; i++) {
        memset(seed, i + 1, 32);
        struct ecdsa_keypair kp;
        assert_int_equal(ecdsa_keypair_from_seed(&kp, seed), ITEE_OK);
        struct ecdsa_sig s;
        uint8_t msg[1] = {(uint8_t)i};
        assert_int_equal(ecdsa_sign(&s, &kp, msg, 1), ITEE_OK);
        assert_true(memcmp(s.bytes + 32, half, 32) <= 0);
        assert_true(s.bytes[64] <= 3);
        assert_int_equal(ecdsa_verify(&s, msg, 1, &kp.public), ITEE_OK);
        ecdsa_keypair_clear(&kp);
    }
}

static void test_bad_seeds(void **state)
{
    (void)state;
    struct ecdsa_keypair kp;
    uint8_t seed[32] = {0};
    assert_int_equal(ecdsa_keypair_from_seed(&kp, seed), ITEE_ERR_BAD_KEY);
    /* The group order n itself is out of range; n - 1 is the largest valid key. */
    unhex(seed, 32, "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    assert_int_equal(ecdsa_keypair_from_seed(&kp, seed), ITEE_ERR_BAD_KEY);
    uint8_t zero[sizeof(kp)] = {0};
    assert_memory_equal(&kp, zero, sizeof(kp));
    seed[31] = 0x40;
    assert_int_equal(ecdsa_keypair_from_seed(&kp, seed), ITEE_OK);
    assert_int_equal(ecdsa_keypair_from_seed(NULL, seed), ITEE_ERR_ARG);
    assert_int_equal(ecdsa_public_len(), 33);
    assert_int_equal(ecdsa_sig_len(), 65);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alice),
        cmocka_unit_test(test_sign_vector),
        cmocka_unit_test(test_low_s_and_roundtrip),
        cmocka_unit_test(test_bad_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
