/*
 * test_merlin.c - STROBE-128 / Merlin transcripts: merlin's own test vector (spec §3.5.3) and
 * the properties schnorrkel relies on (witness RNG forks without touching the transcript,
 * labels and framing separate messages). The witness RNG output itself is pinned by the
 * signing vector in test_sr25519.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/hex.h"
#include "crypto/merlin.h"

static void unhex(uint8_t *out, size_t len, const char *hex)
{
    assert_int_equal(itee_hex_decode_exact(out, len, hex, strlen(hex)), ITEE_OK);
}

static void test_merlin_vector(void **state)
{
    (void)state;
    struct merlin_transcript t;
    uint8_t out[32], want[32];
    merlin_transcript_init(&t, "test protocol");
    merlin_transcript_append_message(&t, "some label", (const uint8_t *)"some data", 9);
    merlin_transcript_challenge_bytes(&t, "challenge", out, sizeof(out));
    unhex(want, 32, "d5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615");
    assert_memory_equal(out, want, 32);
}

static void test_merlin_rng_does_not_touch_transcript(void **state)
{
    (void)state;
    struct merlin_transcript a, b;
    struct merlin_rng rng;
    uint8_t ca[64], cb[64], w1[64], w2[64], rnd[32] = {0};
    merlin_transcript_init(&a, "proto");
    merlin_transcript_append_message(&a, "m", (const uint8_t *)"x", 1);
    b = a;
    merlin_rng_init(&rng, &a);
    merlin_rng_rekey_with_witness(&rng, "w", (const uint8_t *)"secret", 6);
    merlin_rng_finalize(&rng, rnd);
    merlin_rng_fill(&rng, w1, sizeof(w1));
    merlin_transcript_challenge_bytes(&a, "c", ca, sizeof(ca));
    merlin_transcript_challenge_bytes(&b, "c", cb, sizeof(cb));
    assert_memory_equal(ca, cb, sizeof(ca));
    assert_memory_not_equal(ca, w1, sizeof(ca));

    /* the same witnesses and randomness give the same bytes; other randomness does not */
    merlin_rng_init(&rng, &b);
    merlin_rng_rekey_with_witness(&rng, "w", (const uint8_t *)"secret", 6);
    rnd[0] = 1;
    merlin_rng_finalize(&rng, rnd);
    merlin_rng_fill(&rng, w2, sizeof(w2));
    assert_memory_not_equal(w1, w2, sizeof(w1));
    merlin_rng_clear(&rng);
    merlin_transcript_clear(&a);
    uint8_t zero[sizeof(a)] = {0};
    assert_memory_equal(&a, zero, sizeof(a));
}

static void test_merlin_framing(void **state)
{
    (void)state;
    struct merlin_transcript a, b;
    uint8_t ca[32], cb[32];
    uint8_t le[8] = {0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01};

    /* append_u64 is append_message of the 8 LE bytes */
    merlin_transcript_init(&a, "p");
    merlin_transcript_init(&b, "p");
    merlin_transcript_append_u64(&a, "n", 0x0123456789abcdefULL);
    merlin_transcript_append_message(&b, "n", le, sizeof(le));
    merlin_transcript_challenge_bytes(&a, "c", ca, 32);
    merlin_transcript_challenge_bytes(&b, "c", cb, 32);
    assert_memory_equal(ca, cb, 32);

    /* moving a byte between label and message changes the challenge */
    merlin_transcript_init(&a, "p");
    merlin_transcript_init(&b, "p");
    merlin_transcript_append_message(&a, "ab", (const uint8_t *)"c", 1);
    merlin_transcript_append_message(&b, "a", (const uint8_t *)"bc", 2);
    merlin_transcript_challenge_bytes(&a, "c", ca, 32);
    merlin_transcript_challenge_bytes(&b, "c", cb, 32);
    assert_memory_not_equal(ca, cb, 32);

    /* a different protocol label changes everything */
    merlin_transcript_init(&a, "p");
    merlin_transcript_init(&b, "q");
    merlin_transcript_challenge_bytes(&a, "c", ca, 32);
    merlin_transcript_challenge_bytes(&b, "c", cb, 32);
    assert_memory_not_equal(ca, cb, 32);
}

static void test_merlin_long_messages(void **state)
{
    (void)state;
    /* messages and challenges longer than the 166-byte rate run the permutation mid-op;
     * two identical runs agree and consecutive challenges differ */
    static uint8_t big[1000];
    struct merlin_transcript a, b;
    uint8_t ca[500], cb[500];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 7);
    merlin_transcript_init(&a, "long");
    merlin_transcript_append_message(&a, "big", big, sizeof(big));
    b = a;
    merlin_transcript_challenge_bytes(&a, "c", ca, sizeof(ca));
    merlin_transcript_challenge_bytes(&b, "c", cb, sizeof(cb));
    assert_memory_equal(ca, cb, sizeof(ca));
    merlin_transcript_challenge_bytes(&a, "c", ca, sizeof(ca));
    assert_memory_not_equal(ca, cb, sizeof(ca));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merlin_vector),
        cmocka_unit_test(test_merlin_rng_does_not_touch_transcript),
        cmocka_unit_test(test_merlin_framing),
        cmocka_unit_test(test_merlin_long_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
