/*
 * test_sr25519.c - schnorrkel sr25519: key expansion of the dev phrase's mini secret, the
 * //Alice zero-rng signature, HDKD hard and soft vectors (spec §3.5, §3.6), polkadot-js's
 * secret form, and verification failures (tampering, missing marker, s >= l, bad keys).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/hex.h"
#include "crypto/sr25519.h"

#define CTX SR25519_SUBSTRATE_CTX, SR25519_SUBSTRATE_CTX_LEN

static const char dev_mini[] = "fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e";
static const char alice_pk[] = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";

static void unhex(uint8_t *out, size_t len, const char *hex)
{
    assert_int_equal(itee_hex_decode_exact(out, len, hex, strlen(hex)), ITEE_OK);
}

static void assert_hex(const uint8_t *got, size_t len, const char *hex)
{
    uint8_t want[128];
    assert_true(len <= sizeof(want));
    unhex(want, len, hex);
    assert_memory_equal(got, want, len);
}

/* Chain code of a text junction: SCALE(String) (1-byte compact length) zero-padded to 32. */
static void cc_text(uint8_t cc[32], const char *s)
{
    size_t n = strlen(s);
    assert_true(n < 32);
    memset(cc, 0, 32);
    cc[0] = (uint8_t)(n << 2);
    memcpy(cc + 1, s, n);
}

static void root(struct sr25519_keypair *kp)
{
    uint8_t seed[32];
    unhex(seed, 32, dev_mini);
    assert_int_equal(sr25519_keypair_from_seed(kp, seed), ITEE_OK);
}

static void hard(struct sr25519_keypair *child, const struct sr25519_keypair *parent,
                 const char *junction)
{
    uint8_t cc[32];
    cc_text(cc, junction);
    assert_int_equal(sr25519_derive_hard(child, parent, cc), ITEE_OK);
}

static void alice(struct sr25519_keypair *kp)
{
    struct sr25519_keypair r;
    root(&r);
    hard(kp, &r, "Alice");
    sr25519_keypair_clear(&r);
}

static void test_sr25519_expand(void **state)
{
    (void)state;
    struct sr25519_keypair kp;
    uint8_t ed[64];
    root(&kp);
    assert_hex(kp.secret.key, 32,
               "05d65584630d16cd4af6d0bec10f34bb504a5dcb62dba2122d49f5a663763d0a");
    assert_hex(kp.secret.nonce, 32,
               "fd190cce74df356432b410bd64682309d6dedb27c76845daf388557cbac3ca34");
    assert_hex(kp.public.bytes, 32,
               "46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a");
    sr25519_secret_to_ed25519_bytes(ed, &kp.secret);
    assert_hex(ed, 64,
               "28b0ae221c6bb06856b287f60d7ea0d98552ea5a16db16956849aa371db3eb51"
               "fd190cce74df356432b410bd64682309d6dedb27c76845daf388557cbac3ca34");

    struct sr25519_secret back;
    assert_int_equal(sr25519_secret_from_ed25519_bytes(&back, ed), ITEE_OK);
    assert_memory_equal(&back, &kp.secret, sizeof(back));
    struct sr25519_public pk;
    assert_int_equal(sr25519_public_from_secret(&pk, &back), ITEE_OK);
    assert_memory_equal(&pk, &kp.public, sizeof(pk));

    /* not a multiple of 8 */
    ed[0] |= 1;
    assert_int_equal(sr25519_secret_from_ed25519_bytes(&back, ed), ITEE_ERR_BAD_KEY);
    /* key·8 >= 8l: the divided key is not canonical */
    memset(ed, 0xf8, 32);
    assert_int_equal(sr25519_secret_from_ed25519_bytes(&back, ed), ITEE_ERR_BAD_KEY);
    /* zero and non-canonical scalars have no public key */
    memset(&back, 0, sizeof(back));
    assert_int_equal(sr25519_public_from_secret(&pk, &back), ITEE_ERR_BAD_KEY);
    memset(back.key, 0xff, 32);
    assert_int_equal(sr25519_public_from_secret(&pk, &back), ITEE_ERR_BAD_KEY);

    /* abandon x11 about (spec §3.1) */
    uint8_t seed[32];
    unhex(seed, 32, "4ed8d4b17698ddeaa1f1559f152f87b5d472f725ca86d341bd0276f1b61197e2");
    assert_int_equal(sr25519_keypair_from_seed(&kp, seed), ITEE_OK);
    assert_hex(kp.public.bytes, 32,
               "66933bd1f37070ef87bd1198af3dacceb095237f803f3d32b173e6b425ed7972");
    sr25519_keypair_clear(&kp);
}

static void test_sr25519_hard(void **state)
{
    (void)state;
    struct sr25519_keypair r, c, c2;
    uint8_t cc[32], seed[32];
    root(&r);

    unhex(cc, 32, "14416c6963650000000000000000000000000000000000000000000000000000");
    assert_int_equal(sr25519_derive_hard_seed(seed, &r, cc), ITEE_OK);
    assert_hex(seed, 32, "e5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a");
    assert_int_equal(sr25519_derive_hard(&c, &r, cc), ITEE_OK);
    assert_hex(c.public.bytes, 32, alice_pk);
    assert_hex(c.secret.key, 32,
               "33a6f3093f158a7109f679410bef1a0c54168145e0cecb4df006c1c2fffb1f09");

    cc_text(cc, "Bob");
    assert_int_equal(sr25519_derive_hard_seed(seed, &r, cc), ITEE_OK);
    assert_hex(seed, 32, "398f0c28f98885e046333d4a41c19cee4c37368a9832c6502f6cfd182e2aef89");
    hard(&c, &r, "Bob");
    assert_hex(c.public.bytes, 32,
               "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48");

    static const struct {
        const char *name;
        const char *pk;
    } dev[] = {
        {"Charlie", "90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22"},
        {"Dave", "306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20"},
        {"Eve", "e659a7a1628cdd93febc04a4e0646ea20e9f5f0ce097d9a05290d4a9e054df4e"},
        {"Ferdie", "1cbd2d43530a44705ad088af313e18f80b53ef16b36177cd4b77b846f2a5f07c"},
    };
    for (size_t i = 0; i < sizeof(dev) / sizeof(dev[0]); i++) {
        hard(&c, &r, dev[i].name);
        assert_hex(c.public.bytes, 32, dev[i].pk);
    }

    /* //Alice//stash, deriving in place (child aliases parent) */
    alice(&c);
    hard(&c, &c, "stash");
    assert_hex(c.public.bytes, 32,
               "be5ddb1579b72e84524fc29e78609e3caf42e85aa118ebfe0b0ad404b5bdd25f");

    /* //1: a numeric junction's chain code is the u64 LE */
    memset(cc, 0, 32);
    cc[0] = 1;
    assert_int_equal(sr25519_derive_hard(&c2, &r, cc), ITEE_OK);
    assert_hex(c2.public.bytes, 32,
               "b606fc73f57f03cdb4c932d475ab426043e429cecc2ffff0d2672b0df8398c48");
    sr25519_keypair_clear(&r);
    sr25519_keypair_clear(&c);
    sr25519_keypair_clear(&c2);
}

static void test_sr25519_soft(void **state)
{
    (void)state;
    struct sr25519_keypair r, c, c2;
    struct sr25519_public pk;
    uint8_t cc[32];
    root(&r);

    cc_text(cc, "foo");
    assert_hex(cc, 32, "0c666f6f00000000000000000000000000000000000000000000000000000000");
    assert_int_equal(sr25519_derive_soft(&c, &r, cc), ITEE_OK);
    assert_hex(c.secret.key, 32,
               "51a3405493acd83c4bb0d4102bff95c2b4f7351fcfa1cf511a806e99c9dc780e");
    assert_hex(c.public.bytes, 32,
               "40b9675df90efa6069ff623b0fdfcf706cd47ca7452a5056c7ad58194d23440a");
    assert_int_equal(sr25519_derive_public_soft(&pk, &r.public, cc), ITEE_OK);
    assert_memory_equal(&pk, &c.public, sizeof(pk));

    /* the child nonce is deterministic, and differs from the parent's */
    assert_int_equal(sr25519_derive_soft(&c2, &r, cc), ITEE_OK);
    assert_memory_equal(&c2, &c, sizeof(c));
    assert_memory_not_equal(c.secret.nonce, r.secret.nonce, 32);

    /* //Alice/foo and //Alice/1, in place */
    alice(&c);
    assert_int_equal(sr25519_derive_soft(&c, &c, cc), ITEE_OK);
    assert_hex(c.public.bytes, 32,
               "f2d22c92a77441efe17f5f4e5e9fc535df36943a88f81ab941cbecfe1b55367f");
    alice(&c);
    memset(cc, 0, 32);
    cc[0] = 1;
    assert_int_equal(sr25519_derive_soft(&c, &c, cc), ITEE_OK);
    assert_hex(c.public.bytes, 32,
               "96f56ff25557d90198ffdea4a317664140e7f33a3cb4ec5edc9640104ddbbd79");

    /* a soft child signs and verifies under the publicly derived key */
    struct sr25519_sig sig;
    assert_int_equal(sr25519_derive_public_soft(&pk, &r.public, cc), ITEE_OK);
    assert_int_equal(sr25519_derive_soft(&c, &r, cc), ITEE_OK);
    assert_memory_equal(&pk, &c.public, sizeof(pk));
    assert_int_equal(sr25519_sign(&sig, &c, CTX, (const uint8_t *)"m", 1), ITEE_OK);
    assert_int_equal(sr25519_verify(&sig, CTX, (const uint8_t *)"m", 1, &pk), ITEE_OK);

    /* an invalid parent point */
    memset(pk.bytes, 0xff, 32);
    assert_int_equal(sr25519_derive_public_soft(&pk, &pk, cc), ITEE_ERR_BAD_POINT);
    sr25519_keypair_clear(&r);
    sr25519_keypair_clear(&c);
    sr25519_keypair_clear(&c2);
}

static void test_sr25519_sign_vector(void **state)
{
    (void)state;
    struct sr25519_keypair kp;
    struct sr25519_sig sig;
    struct sr25519_public pk;
    static const uint8_t zero[32] = {0};
    const uint8_t *msg = (const uint8_t *)"hello substrate";
    alice(&kp);
    assert_int_equal(sr25519_sign_with_rng(&sig, &kp, CTX, msg, 15, zero), ITEE_OK);
    assert_hex(sig.bytes, 64,
               "cea0256273797ed90abce21cb900d0199280f06b9298b50276baf1e775f07c62"
               "7503bea3ba2ce0d0456496c5508ee39db398046b3c7d7dfb6d50c280432a0181");
    unhex(pk.bytes, 32, alice_pk);
    assert_int_equal(sr25519_verify(&sig, CTX, msg, 15, &pk), ITEE_OK);

    assert_int_equal(sr25519_sign_with_rng(&sig, &kp, CTX, NULL, 0, zero), ITEE_OK);
    assert_hex(sig.bytes, 64,
               "5c3d21f3e193907dd380092eecf731fa9581d0a5f162c0285abaa8b233ab3d5c"
               "37b314e44ff7e15e60553d729b2e3681c77af514cda325a56a7eede010824386");
    assert_int_equal(sr25519_verify(&sig, CTX, NULL, 0, &pk), ITEE_OK);

    /* fresh randomness: different signatures, both valid */
    struct sr25519_sig s1, s2;
    assert_int_equal(sr25519_sign(&s1, &kp, CTX, msg, 15), ITEE_OK);
    assert_int_equal(sr25519_sign(&s2, &kp, CTX, msg, 15), ITEE_OK);
    assert_memory_not_equal(&s1, &s2, sizeof(s1));
    assert_int_equal(sr25519_verify(&s1, CTX, msg, 15, &pk), ITEE_OK);
    assert_int_equal(sr25519_verify(&s2, CTX, msg, 15, &pk), ITEE_OK);
    /* another context does not verify */
    assert_int_equal(sr25519_verify(&s1, (const uint8_t *)"other", 5, msg, 15, &pk),
                     ITEE_ERR_BAD_SIG);
    sr25519_keypair_clear(&kp);
}

static void test_sr25519_verify_rejects(void **state)
{
    (void)state;
    struct sr25519_keypair kp;
    struct sr25519_sig sig, bad;
    struct sr25519_public pk;
    uint8_t msg[40];
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (uint8_t)i;
    alice(&kp);
    pk = kp.public;
    assert_int_equal(sr25519_sign(&sig, &kp, CTX, msg, sizeof(msg)), ITEE_OK);
    assert_int_equal(sr25519_verify(&sig, CTX, msg, sizeof(msg), &pk), ITEE_OK);

    /* every single-bit flip of the signature fails (with some error) */
    for (size_t bit = 0; bit < 8 * SR25519_SIG_LEN; bit++) {
        bad = sig;
        bad.bytes[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_not_equal(sr25519_verify(&bad, CTX, msg, sizeof(msg), &pk), ITEE_OK);
    }
    /* a flipped message bit */
    for (size_t bit = 0; bit < 8 * sizeof(msg); bit += 13) {
        msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(sr25519_verify(&sig, CTX, msg, sizeof(msg), &pk), ITEE_ERR_BAD_SIG);
        msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    /* a flipped public-key bit: an invalid point or another key */
    for (size_t bit = 0; bit < 256; bit++) {
        struct sr25519_public p2 = pk;
        p2.bytes[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        enum itee_err r = sr25519_verify(&sig, CTX, msg, sizeof(msg), &p2);
        assert_true(r == ITEE_ERR_BAD_POINT || r == ITEE_ERR_BAD_SIG);
    }
    /* the marker bit */
    bad = sig;
    bad.bytes[63] &= 0x7f;
    assert_int_equal(sr25519_verify(&bad, CTX, msg, sizeof(msg), &pk), ITEE_ERR_NOT_MARKED);
    /* s >= l: s + l still satisfies the equation mod l, but is not canonical */
    static const uint8_t l[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,       0xd6,
                                  0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, [31] = 0x10};
    bad = sig;
    bad.bytes[63] &= 0x7f;
    unsigned carry = 0;
    for (int i = 0; i < 32; i++) {
        unsigned v = bad.bytes[32 + i] + l[i] + carry;
        bad.bytes[32 + i] = (uint8_t)v;
        carry = v >> 8;
    }
    assert_int_equal(carry, 0);
    bad.bytes[63] |= 0x80;
    assert_int_equal(sr25519_verify(&bad, CTX, msg, sizeof(msg), &pk), ITEE_ERR_SCALAR_RANGE);
    bad = sig;
    memcpy(bad.bytes + 32, l, 32);
    bad.bytes[63] |= 0x80;
    assert_int_equal(sr25519_verify(&bad, CTX, msg, sizeof(msg), &pk), ITEE_ERR_SCALAR_RANGE);
    /* identity and non-canonical public keys */
    memset(pk.bytes, 0, 32);
    assert_int_equal(sr25519_verify(&sig, CTX, msg, sizeof(msg), &pk), ITEE_ERR_BAD_POINT);
    memset(pk.bytes, 0xff, 32);
    assert_int_equal(sr25519_verify(&sig, CTX, msg, sizeof(msg), &pk), ITEE_ERR_BAD_POINT);
    /* forged for the identity key: R = s·B with s = 1 */
    memset(&bad, 0, sizeof(bad));
    memset(pk.bytes, 0, 32);
    bad.bytes[32] = 1;
    bad.bytes[63] |= 0x80;
    assert_int_equal(sr25519_verify(&bad, CTX, msg, sizeof(msg), &pk), ITEE_ERR_BAD_POINT);
    sr25519_keypair_clear(&kp);
    uint8_t z[sizeof(kp)] = {0};
    assert_memory_equal(&kp, z, sizeof(kp));
}

static void test_sr25519_args(void **state)
{
    (void)state;
    struct sr25519_keypair kp;
    struct sr25519_sig sig;
    static const uint8_t zero[32] = {0};
    alice(&kp);
    assert_int_equal(sr25519_sign_with_rng(NULL, &kp, CTX, NULL, 0, zero), ITEE_ERR_ARG);
    assert_int_equal(sr25519_sign_with_rng(&sig, NULL, CTX, NULL, 0, zero), ITEE_ERR_ARG);
    assert_int_equal(sr25519_sign_with_rng(&sig, &kp, CTX, NULL, 3, zero), ITEE_ERR_ARG);
    assert_int_equal(sr25519_verify(&sig, CTX, NULL, 0, NULL), ITEE_ERR_ARG);
    assert_int_equal(sr25519_keypair_from_seed(&kp, NULL), ITEE_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sr25519_expand),         cmocka_unit_test(test_sr25519_hard),
        cmocka_unit_test(test_sr25519_soft),           cmocka_unit_test(test_sr25519_sign_vector),
        cmocka_unit_test(test_sr25519_verify_rejects), cmocka_unit_test(test_sr25519_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
