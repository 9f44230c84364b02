/*
 * test_grandpa.c - GRANDPA justification: the spec §6.4 vector (message, signature, 178-byte
 * encoding), decode/encode round trip, and verification rules (authority set, duplicates,
 * threshold, ancestry).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chain/grandpa.h"
#include "common/hex.h"
#include "keys/pair.h"

static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
    size_t n = 0;
    assert_int_equal(itee_hex_decode(out, cap, &n, hex, strlen(hex)), ITEE_OK);
    return n;
}

#define H22 "2222222222222222222222222222222222222222222222222222222222222222"
#define SIG                                                                                        \
    "fbdc675f14d04e7a958ded1187f63f12f7d45396853e7ee3738bfd17876877eb359aef60b02a084a03e567ba4"    \
    "39aedd3e5bd1a3ad0584886c1c6088ac6a2cd04"
#define ALICE_ED "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"

static void ed_key(struct ed25519_keypair *kp, const char *suri)
{
    struct keys_pair p;
    assert_int_equal(keys_pair_from_suri(&p, KEYS_SCHEME_ED25519, suri, strlen(suri)), ITEE_OK);
    *kp = p.k.ed;
    keys_pair_clear(&p);
}

static void test_vector(void **state)
{
    (void)state;
    struct ed25519_keypair alice;
    ed_key(&alice, "//Alice");
    struct grandpa_precommit pc;
    memset(pc.target_hash, 0x22, 32);
    pc.target_number = 1;
    uint8_t msg[GRANDPA_MSG_LEN], want[256];
    grandpa_precommit_message(msg, &pc, 1, 0);
    size_t n = unhex(want, sizeof(want),
                     "01" H22 "01000000"
                     "0100000000000000"
                     "0000000000000000");
    assert_int_equal(n, GRANDPA_MSG_LEN);
    assert_memory_equal(msg, want, n);

    struct grandpa_signed_precommit sp;
    assert_int_equal(grandpa_precommit_sign(&sp, &alice, &pc, 1, 0), ITEE_OK);
    unhex(want, 64, SIG);
    assert_memory_equal(sp.signature.bytes, want, 64);
    assert_int_equal(grandpa_signed_precommit_verify(&sp, 1, 0), ITEE_OK);
    assert_int_equal(grandpa_signed_precommit_verify(&sp, 2, 0), ITEE_ERR_BAD_SIG);
    assert_int_equal(grandpa_signed_precommit_verify(&sp, 1, 1), ITEE_ERR_BAD_SIG);

    struct grandpa_justification j = {0};
    j.round = 1;
    memset(j.target_hash, 0x22, 32);
    j.target_number = 1;
    j.precommits = &sp;
    j.n_precommits = 1;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    assert_int_equal(grandpa_justification_encode(&b, &j), ITEE_OK);
    n = unhex(want, sizeof(want),
              "0100000000000000" H22 "01000000"
              "04" H22 "01000000" SIG ALICE_ED "00");
    assert_int_equal(n, 178);
    assert_int_equal(b.len, 178);
    assert_memory_equal(b.ptr, want, 178);

    struct grandpa_justification d;
    assert_int_equal(grandpa_justification_decode(&d, want, n), ITEE_OK);
    assert_int_equal(d.round, 1);
    assert_int_equal(d.n_precommits, 1);
    assert_int_equal(d.n_ancestries, 0);
    assert_memory_equal(d.precommits[0].id.bytes, alice.public.bytes, 32);
    struct grandpa_authority set[2] = {{alice.public, 1}, {{{0}}, 1}};
    assert_int_equal(grandpa_justification_verify(&d, 0, set, 1), ITEE_OK);
    assert_int_equal(grandpa_justification_verify(&d, 1, set, 1), ITEE_ERR_BAD_SIG);
    /* with two authorities of weight 1 the threshold is 2 */
    struct ed25519_keypair bob;
    ed_key(&bob, "//Bob");
    set[1].id = bob.public;
    assert_int_equal(grandpa_justification_verify(&d, 0, set, 2), ITEE_ERR_BAD_SIG);
    /* a voter outside the set */
    assert_int_equal(grandpa_justification_verify(&d, 0, set + 1, 1), ITEE_ERR_BAD_SIG);
    grandpa_justification_free(&d);

    /* truncated and trailing */
    assert_int_equal(grandpa_justification_decode(&d, want, n - 1), ITEE_ERR_SCALE_EOF);
    want[n] = 0;
    assert_int_equal(grandpa_justification_decode(&d, want, n + 1), ITEE_ERR_SCALE_TRAILING);
    assert_null(d.precommits);
    itee_buf_free(&b);
}

/* Two authorities vote on descendants of the target; the ancestry must link them. */
static void test_ancestry(void **state)
{
    (void)state;
    struct ed25519_keypair alice, bob, charlie;
    ed_key(&alice, "//Alice");
    ed_key(&bob, "//Bob");
    ed_key(&charlie, "//Charlie");
    /* chain: target #10 <- h11 <- h12 */
    uint8_t target[32];
    memset(target, 0xaa, 32);
    struct header anc[3];
    memset(anc, 0, sizeof(anc));
    anc[0].number = 11;
    memcpy(anc[0].parent_hash, target, 32);
    uint8_t h11[32], h12[32];
    assert_int_equal(header_hash(&anc[0], h11), ITEE_OK);
    anc[1].number = 12;
    memcpy(anc[1].parent_hash, h11, 32);
    assert_int_equal(header_hash(&anc[1], h12), ITEE_OK);
    anc[2].number = 99; /* unrelated */

    struct grandpa_precommit p1 = {{0}, 12}, p2 = {{0}, 10};
    memcpy(p1.target_hash, h12, 32);
    memcpy(p2.target_hash, target, 32);
    struct grandpa_signed_precommit sp[3];
    assert_int_equal(grandpa_precommit_sign(&sp[0], &alice, &p1, 7, 3), ITEE_OK);
    assert_int_equal(grandpa_precommit_sign(&sp[1], &bob, &p2, 7, 3), ITEE_OK);
    assert_int_equal(grandpa_precommit_sign(&sp[2], &alice, &p2, 7, 3), ITEE_OK);
    struct grandpa_authority set[3] = {{alice.public, 1}, {bob.public, 1}, {charlie.public, 1}};

    struct grandpa_justification j = {0};
    j.round = 7;
    memcpy(j.target_hash, target, 32);
    j.target_number = 10;
    j.precommits = sp;
    j.n_precommits = 2;
    j.ancestries = anc;
    j.n_ancestries = 2;
    /* 2 of 3: threshold 3 - 0 = 3? no: total 3, faulty floor(2/3) = 0 -> 3 needed */
    assert_int_equal(grandpa_justification_verify(&j, 3, set, 3), ITEE_ERR_BAD_SIG);
    assert_int_equal(grandpa_justification_verify(&j, 3, set, 2), ITEE_OK);

    /* round trip through the wire keeps it valid */
    struct itee_buf b;
    itee_buf_init(&b, 0);
    assert_int_equal(grandpa_justification_encode(&b, &j), ITEE_OK);
    struct grandpa_justification d;
    assert_int_equal(grandpa_justification_decode(&d, b.ptr, b.len), ITEE_OK);
    assert_int_equal(d.n_ancestries, 2);
    assert_int_equal(grandpa_justification_verify(&d, 3, set, 2), ITEE_OK);
    grandpa_justification_free(&d);

    /* an unused extra header, a missing link, a duplicate voter */
    j.n_ancestries = 3;
    assert_int_equal(grandpa_justification_verify(&j, 3, set, 2), ITEE_ERR_FORMAT);
    j.ancestries = anc + 1;
    j.n_ancestries = 1;
    assert_int_equal(grandpa_justification_verify(&j, 3, set, 2), ITEE_ERR_FORMAT);
    j.ancestries = anc;
    j.n_ancestries = 2;
    sp[1] = sp[2];
    assert_int_equal(grandpa_justification_verify(&j, 3, set, 2), ITEE_ERR_BAD_SIG);
    itee_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector),
        cmocka_unit_test(test_ancestry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
