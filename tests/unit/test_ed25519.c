/*
 * test_ed25519.c - Ed25519 against RFC 8032 (tests 1-3) and Substrate's Ed25519HDKD vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/hex.h"
#include "crypto/ed25519.h"

/* Decodes a hex literal of exactly n bytes (test helper). */
static void unhex(uint8_t *out, size_t n, const char *hex)
{
    assert_int_equal(itee_hex_decode_exact(out, n, hex, strlen(hex)), ITEE_OK);
}

static void test_rfc8032(void **state)
{
    (void)state;
    static const struct {
        const char *sk, *pk, *msg, *sig;
    } v[] = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
         "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
         "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
        {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
         "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
         "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
         "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        uint8_t seed[32], pk[32], msg[2], sig[64];
        size_t mlen = strlen(v[i].msg) / 2;
        unhex(seed, 32, v[i].sk);
        unhex(pk, 32, v[i].pk);
        unhex(msg, mlen, v[i].msg);
        unhex(sig, 64, v[i].sig);
        struct ed25519_keypair kp;
        assert_int_equal(ed25519_keypair_from_seed(&kp, seed), ITEE_OK);
        assert_memory_equal(kp.public.bytes, pk, 32);
        assert_memory_equal(kp.seed, seed, 32);
        struct ed25519_sig s;
        assert_int_equal(ed25519_sign(&s, &kp, mlen ? msg : NULL, mlen), ITEE_OK);
        assert_memory_equal(s.bytes, sig, 64);
        assert_int_equal(ed25519_verify(&s, msg, mlen, &kp.public), ITEE_OK);
        /* Any flipped bit in the signature or message breaks it. */
        s.bytes[i * 7] ^= 0x01;
        assert_int_equal(ed25519_verify(&s, msg, mlen, &kp.public), ITEE_ERR_BAD_SIG);
        s.bytes[i * 7] ^= 0x01;
        uint8_t other[3] = {1, 2, 3};
        assert_int_equal(ed25519_verify(&s, other, 3, &kp.public), ITEE_ERR_BAD_SIG);
        ed25519_keypair_clear(&kp);
        uint8_t zero[sizeof(kp)] = {0};
        assert_memory_equal(&kp, zero, sizeof(kp));
    }
}

static void test_substrate_hdkd(void **state)
{
    (void)state;
    uint8_t root[32], cc[32] = {0x14, 'A', 'l', 'i', 'c', 'e'}, seed[32], want[32];
    unhex(root, 32, "fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e");
    assert_int_equal(ed25519_derive_hard(seed, root, cc), ITEE_OK);
    unhex(want, 32, "abf8e5bdbe30c65656c0a3cbd181ff8a56294a69dfedd27982aace4a76909115");
    assert_memory_equal(seed, want, 32);

    struct ed25519_keypair kp;
    assert_int_equal(ed25519_keypair_from_seed(&kp, seed), ITEE_OK);
    unhex(want, 32, "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee");
    assert_memory_equal(kp.public.bytes, want, 32);

    struct ed25519_sig s;
    uint8_t sig[64];
    assert_int_equal(ed25519_sign(&s, &kp, (const uint8_t *)"hello substrate", 15), ITEE_OK);
    unhex(sig, 64,
          "c37b5a9024a0c8f3ae38eda3f4712e45f3220868c3bceeb3c63c9ab3f015754f"
          "e656878580239c8a86eeb5bfdcbf87160e6baa5e0798b5394b46b23d3d875c0b");
    assert_memory_equal(s.bytes, sig, 64);

    /* out may alias the parent seed. */
    assert_int_equal(ed25519_derive_hard(root, root, cc), ITEE_OK);
    assert_memory_equal(root, seed, 32);
}

static void test_args(void **state)
{
    (void)state;
    struct ed25519_keypair kp;
    struct ed25519_sig s;
    uint8_t seed[32] = {0};
    assert_int_equal(ed25519_keypair_from_seed(NULL, seed), ITEE_ERR_ARG);
    assert_int_equal(ed25519_keypair_from_seed(&kp, NULL), ITEE_ERR_ARG);
    assert_int_equal(ed25519_keypair_from_seed(&kp, seed), ITEE_OK);
    assert_int_equal(ed25519_sign(&s, &kp, NULL, 1), ITEE_ERR_ARG);
    assert_int_equal(ed25519_verify(&s, NULL, 0, NULL), ITEE_ERR_ARG);
    assert_int_equal(ed25519_derive_hard(seed, seed, NULL), ITEE_ERR_ARG);
    assert_int_equal(ed25519_public_len(), 32);
    assert_int_equal(ed25519_sig_len(), 64);
    /* A small-order public key (the identity) is refused by libsodium's verify. */
    struct ed25519_public ident = {{1}};
    memset(s.bytes, 0, sizeof(s.bytes));
    s.bytes[0] = 1;
    assert_int_equal(ed25519_verify(&s, (const uint8_t *)"x", 1, &ident), ITEE_ERR_BAD_SIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc8032),
        cmocka_unit_test(test_substrate_hdkd),
        cmocka_unit_test(test_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
