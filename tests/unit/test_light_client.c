/*
 * test_light_client.c - the parentchain light client on real chains built here with
 * src/chain: headers (AURA pre-digest, GRANDPA consensus digests), GRANDPA justifications
 * signed with //Alice .. //Dave ed25519 keys, real state tries and extrinsics roots.
 * Every refusal also checks that the encoded state did not change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chain/grandpa.h"
#include "chain/header.h"
#include "chain/light_client.h"
#include "codec/scale.h"
#include "common/mem.h"
#include "crypto/hash.h"
#include "keys/pair.h"
#include "trie/trie.h"

#define MAX_BLOCKS 64

enum { ALICE, BOB, CHARLIE, DAVE, EVE, N_KEYS };
static const char *const SURIS[N_KEYS] = {"//Alice", "//Bob", "//Charlie", "//Dave", "//Eve"};

/* A chain of encoded headers, block 0 the genesis. */
struct chain {
    struct itee_buf enc[MAX_BLOCKS];    /* SCALE header */
    uint8_t hash[MAX_BLOCKS][32];       /* block hash */
    size_t n;                           /* blocks built */
    struct ed25519_keypair k[N_KEYS];   /* test keys */
    uint8_t digest[MAX_BLOCKS][256];    /* FRNK consensus payload per block (if any) */
    size_t digest_len[MAX_BLOCKS];      /* its length; 0 = none */
    struct itee_buf exts[MAX_BLOCKS];   /* per block: two extrinsics, lengths in ext_len */
    size_t ext_len[MAX_BLOCKS][2];      /* split of exts */
    uint8_t state_root[MAX_BLOCKS][32]; /* state root used (from st_trie if set) */
};

static void keys_load(struct ed25519_keypair *k)
{
    for (int i = 0; i < N_KEYS; i++) {
        struct keys_pair p;
        assert_int_equal(keys_pair_from_suri(&p, KEYS_SCHEME_ED25519, SURIS[i], strlen(SURIS[i])),
                         ITEE_OK);
        k[i] = p.k.ed;
        keys_pair_clear(&p);
    }
}

static struct chain *chain_new(void)
{
    struct chain *c = calloc(1, sizeof(*c));
    assert_non_null(c);
    keys_load(c->k);
    for (int i = 0; i < MAX_BLOCKS; i++) {
        itee_buf_init(&c->enc[i], 0);
        itee_buf_init(&c->exts[i], 0);
    }
    return c;
}

static void chain_free(struct chain *c)
{
    for (int i = 0; i < MAX_BLOCKS; i++) {
        itee_buf_free(&c->enc[i]);
        itee_buf_free(&c->exts[i]);
    }
    for (int i = 0; i < N_KEYS; i++)
        ed25519_keypair_clear(&c->k[i]);
    free(c);
}

/* Encodes a header with an AURA pre-digest and an optional FRNK consensus item. */
static void header_build(struct itee_buf *out, uint8_t hash[32], const uint8_t parent[32],
                         uint32_t number, const uint8_t state_root[32], const uint8_t ext_root[32],
                         const uint8_t *frnk, size_t frnk_len)
{
    struct header h;
    memset(&h, 0, sizeof(h));
    memcpy(h.parent_hash, parent, 32);
    h.number = number;
    memcpy(h.state_root, state_root, 32);
    memcpy(h.extrinsics_root, ext_root, 32);
    uint8_t slot[8];
    header_aura_pre_digest(slot, 1000u + number);
    assert_int_equal(header_push_log(&h, HEADER_DIGEST_PRE_RUNTIME, HEADER_ENGINE_AURA, slot, 8),
                     ITEE_OK);
    if (frnk_len > 0)
        assert_int_equal(
            header_push_log(&h, HEADER_DIGEST_CONSENSUS, HEADER_ENGINE_GRANDPA, frnk, frnk_len),
            ITEE_OK);
    itee_buf_reset(out);
    assert_int_equal(header_encode(out, &h), ITEE_OK);
    hash_blake2_256(hash, out->ptr, out->len);
}

/* Appends block c->n with two extrinsics and the given state root (NULL: derived). */
static void chain_push(struct chain *c, const uint8_t *state_root)
{
    size_t i = c->n;
    assert_true(i < MAX_BLOCKS);
    uint8_t zero[32] = {0}, x[2][12];
    struct itee_slice items[2];
    for (int k = 0; k < 2; k++) {
        x[k][0] = 11 << 2; /* compact length 11 */
        memset(x[k] + 1, (int)(i * 2 + (size_t)k + 1), 11);
        items[k] = itee_slice_make(x[k], 12);
        assert_int_equal(itee_buf_append(&c->exts[i], x[k], 12), ITEE_OK);
        c->ext_len[i][k] = 12;
    }
    uint8_t ext_root[32];
    assert_int_equal(trie_ordered_root(TRIE_LAYOUT_V0, items, 2, ext_root), ITEE_OK);
    if (state_root != NULL) {
        memcpy(c->state_root[i], state_root, 32);
    } else {
        uint8_t seed[4] = {(uint8_t)i, 0x5a, 0x5a, 0x5a};
        hash_blake2_256(c->state_root[i], seed, 4);
    }
    header_build(&c->enc[i], c->hash[i], i == 0 ? zero : c->hash[i - 1], (uint32_t)i,
                 c->state_root[i], ext_root, c->digest[i], c->digest_len[i]);
    c->n++;
}

static void chain_build(struct chain *c, size_t n)
{
    while (c->n < n)
        chain_push(c, NULL);
}

/* Builds SCALE(justification) for target block t signed by signers (indices into c->k). */
static void just_build(struct itee_buf *out, const struct chain *c, size_t t, const int *signers,
                       size_t n, uint64_t round, uint64_t set_id)
{
    struct grandpa_signed_precommit sp[8];
    struct grandpa_precommit pc;
    memcpy(pc.target_hash, c->hash[t], 32);
    pc.target_number = (uint32_t)t;
    assert_true(n <= 8);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(grandpa_precommit_sign(&sp[i], &c->k[signers[i]], &pc, round, set_id),
                         ITEE_OK);
    struct grandpa_justification j;
    memset(&j, 0, sizeof(j));
    j.round = round;
    memcpy(j.target_hash, c->hash[t], 32);
    j.target_number = (uint32_t)t;
    j.precommits = sp;
    j.n_precommits = n;
    itee_buf_reset(out);
    assert_int_equal(grandpa_justification_encode(out, &j), ITEE_OK);
}

static struct light_client *lc_new(const struct chain *c, const int *auth_keys, size_t n)
{
    struct grandpa_authority a[8];
    for (size_t i = 0; i < n; i++) {
        a[i].id = c->k[auth_keys[i]].public;
        a[i].weight = 1;
    }
    struct light_client *lc = NULL;
    assert_int_equal(light_client_new(&lc, TRIE_LAYOUT_V0, c->enc[0].ptr, c->enc[0].len, a, n),
                     ITEE_OK);
    return lc;
}

static void state_of(const struct light_client *lc, struct itee_buf *b)
{
    itee_buf_init(b, 0);
    assert_int_equal(light_client_encode(lc, b), ITEE_OK);
}

/* Imports block i of c, with justification bytes j (may be NULL); expects want. */
static void import_expect(struct light_client *lc, const struct chain *c, size_t i,
                          const struct itee_buf *j, enum itee_err want)
{
    struct itee_buf before, after;
    state_of(lc, &before);
    struct light_client_outcome o;
    enum itee_err e = light_client_import(lc, c->enc[i].ptr, c->enc[i].len,
                                          j != NULL ? j->ptr : NULL, j != NULL ? j->len : 0, &o);
    assert_int_equal(e, want);
    if (want != ITEE_OK) {
        state_of(lc, &after);
        assert_int_equal(before.len, after.len);
        assert_memory_equal(before.ptr, after.ptr, before.len);
        itee_buf_free(&after);
    }
    itee_buf_free(&before);
}

static void justify_expect(struct light_client *lc, const struct itee_buf *j, enum itee_err want,
                           struct light_client_outcome *o)
{
    struct itee_buf before, after;
    state_of(lc, &before);
    assert_int_equal(light_client_import_justification(lc, j->ptr, j->len, o), want);
    if (want != ITEE_OK) {
        state_of(lc, &after);
        assert_int_equal(before.len, after.len);
        assert_memory_equal(before.ptr, after.ptr, before.len);
        itee_buf_free(&after);
    }
    itee_buf_free(&before);
}

static const int ONLY_ALICE[] = {ALICE};
static const int FOUR[] = {ALICE, BOB, CHARLIE, DAVE};

static void test_every_block_justified(void **state)
{
    (void)state;
    struct chain *c = chain_new();
    chain_build(c, 51);
    struct light_client *lc = lc_new(c, ONLY_ALICE, 1);
    struct itee_buf j;
    itee_buf_init(&j, 0);
    for (size_t i = 1; i <= 50; i++) {
        just_build(&j, c, i, ONLY_ALICE, 1, i, 0);
        struct light_client_outcome o;
        assert_int_equal(light_client_import(lc, c->enc[i].ptr, c->enc[i].len, j.ptr, j.len, &o),
                         ITEE_OK);
        assert_int_equal(o.n_finalized, 1);
        assert_int_equal(o.finalized_number, i);
        assert_false(o.set_changed);
    }
    struct light_client_header f;
    light_client_finalized(lc, &f);
    assert_int_equal(f.number, 50);
    assert_memory_equal(f.hash, c->hash[50], 32);
    assert_memory_equal(f.parent_hash, c->hash[49], 32);
    assert_memory_equal(f.state_root, c->state_root[50], 32);
    assert_int_equal(light_client_unjustified_count(lc), 0);
    uint8_t g[32];
    light_client_genesis_hash(lc, g);
    assert_memory_equal(g, c->hash[0], 32);
    for (uint32_t n = 0; n <= 50; n++) {
        assert_int_equal(light_client_finalized_by_number(lc, n, &f), ITEE_OK);
        assert_memory_equal(f.hash, c->hash[n], 32);
    }
    assert_int_equal(light_client_finalized_by_number(lc, 51, &f), ITEE_ERR_LC_NOT_FINALIZED);
    itee_buf_free(&j);
    light_client_free(lc);
    chain_free(c);
}

static void test_every_tenth_justified(void **state)
{
    (void)state;
    struct chain *c = chain_new();
    chain_build(c, 51);
    struct light_client *lc = lc_new(c, ONLY_ALICE, 1);
    struct itee_buf j;
    itee_buf_init(&j, 0);
    struct light_client_header f;
    for (size_t i = 1; i <= 50; i++) {
        struct light_client_outcome o;
        if (i % 10 == 0) {
            just_build(&j, c, i, ONLY_ALICE, 1, 7, 0);
            assert_int_equal(
                light_client_import(lc, c->enc[i].ptr, c->enc[i].len, j.ptr, j.len, &o), ITEE_OK);
            assert_int_equal(o.n_finalized, 10);
            assert_int_equal(light_client_unjustified_count(lc), 0);
        } else {
            assert_int_equal(light_client_import(lc, c->enc[i].ptr, c->enc[i].len, NULL, 0, &o),
                             ITEE_OK);
            assert_int_equal(o.n_finalized, 0);
            assert_int_equal(light_client_unjustified_count(lc), i % 10);
            /* unjustified headers are not usable */
            assert_int_equal(light_client_finalized_by_hash(lc, c->hash[i], &f),
                             ITEE_ERR_LC_NOT_FINALIZED);
        }
        light_client_best(lc, &f);
        assert_int_equal(f.number, i);
        light_client_finalized(lc, &f);
        assert_int_equal(f.number, i - i % 10);
    }
    assert_int_equal(light_client_finalized_by_hash(lc, c->hash[35], &f), ITEE_OK);
    assert_int_equal(f.number, 35);
    itee_buf_free(&j);
    light_client_free(lc);
    chain_free(c);
}

static void test_header_refusals(void **state)
{
    (void)state;
    struct chain *c = chain_new();
    chain_build(c, 6);
    struct light_client *lc = lc_new(c, ONLY_ALICE, 1);
    import_expect(lc, c, 1, NULL, ITEE_OK);
    /* a forged block 2: right number, parent not block 1 */
    struct itee_buf forged;
    itee_buf_init(&forged, 0);
    uint8_t fh[32], bogus[32];
    memset(bogus, 0x77, 32);
    header_build(&forged, fh, bogus, 2, bogus, bogus, NULL, 0);
    struct itee_buf before, after;
    state_of(lc, &before);
    assert_int_equal(light_client_import(lc, forged.ptr, forged.len, NULL, 0, NULL),
                     ITEE_ERR_LC_PARENT);
    /* block 3 before block 2 (reordered pair), and a skipped block */
    assert_int_equal(light_client_import(lc, c->enc[3].ptr, c->enc[3].len, NULL, 0, NULL),
                     ITEE_ERR_LC_GAP);
    assert_int_equal(light_client_import(lc, c->enc[5].ptr, c->enc[5].len, NULL, 0, NULL),
                     ITEE_ERR_LC_GAP);
    /* a duplicate and an old block */
    assert_int_equal(light_client_import(lc, c->enc[1].ptr, c->enc[1].len, NULL, 0, NULL),
                     ITEE_ERR_LC_NUMBER);
    assert_int_equal(light_client_import(lc, c->enc[0].ptr, c->enc[0].len, NULL, 0, NULL),
                     ITEE_ERR_LC_NUMBER);
    /* undecodable header and bad arguments */
    assert_int_equal(light_client_import(lc, c->enc[2].ptr, c->enc[2].len - 1, NULL, 0, NULL),
                     ITEE_ERR_SCALE_LENGTH);
    assert_int_equal(light_client_import(lc, NULL, 0, NULL, 0, NULL), ITEE_ERR_ARG);
    assert_int_equal(light_client_import(lc, c->enc[2].ptr, c->enc[2].len, NULL, 3, NULL),
                     ITEE_ERR_ARG);
    state_of(lc, &after);
    assert_int_equal(before.len, after.len);
    assert_memory_equal(before.ptr, after.ptr, before.len);
    itee_buf_free(&after);
    itee_buf_free(&before);
    /* the honest order still works afterwards; then the pair again is a duplicate */
    import_expect(lc, c, 2, NULL, ITEE_OK);
    import_expect(lc, c, 3, NULL, ITEE_OK);
    import_expect(lc, c, 3, NULL, ITEE_ERR_LC_NUMBER);
    import_expect(lc, c, 2, NULL, ITEE_ERR_LC_NUMBER);
    itee_buf_free(&forged);
    light_client_free(lc);
    chain_free(c);
}

/* Flips one byte of the first precommit's signature in an encoded justification. */
static void flip_sig(struct itee_buf *j)
{
    /* round 8 || target 32 || number 4 || compact count 1 || precommit target 36 || sig */
    j->ptr[8 + 32 + 4 + 1 + 36 + 5] ^= 0x01;
}

static void test_justification_refusals(void **state)
{
    (void)state;
    struct chain *c = chain_new();
    chain_build(c, 4);
    struct light_client *lc = lc_new(c, FOUR, 4);
    struct itee_buf j;
    itee_buf_init(&j, 0);
    static const int NON_AUTH[] = {ALICE, BOB, EVE};
    static const int TWO[] = {ALICE, BOB};
    static const int THREE[] = {BOB, CHARLIE, DAVE};
    static const int DUP[] = {ALICE, BOB, ALICE};

    just_build(&j, c, 1, NON_AUTH, 3, 1, 0);
    import_expect(lc, c, 1, &j, ITEE_ERR_LC_UNKNOWN_SIGNER);
    just_build(&j, c, 1, THREE, 3, 1, 1); /* wrong set id */
    import_expect(lc, c, 1, &j, ITEE_ERR_BAD_SIG);
    just_build(&j, c, 1, TWO, 2, 1, 0); /* 2 of 4: below the threshold of 3 */
    import_expect(lc, c, 1, &j, ITEE_ERR_LC_WEIGHT);
    just_build(&j, c, 1, THREE, 3, 1, 0);
    flip_sig(&j);
    import_expect(lc, c, 1, &j, ITEE_ERR_BAD_SIG);
    just_build(&j, c, 2, THREE, 3, 1, 0); /* valid, but for block 2 */
    import_expect(lc, c, 1, &j, ITEE_ERR_LC_TARGET);
    just_build(&j, c, 1, DUP, 3, 1, 0);
    import_expect(lc, c, 1, &j, ITEE_ERR_LC_DUPLICATE_SIGNER);
    /* signed for round 9, sent as round 10 */
    just_build(&j, c, 1, THREE, 3, 9, 0);
    j.ptr[0] = 10;
    import_expect(lc, c, 1, &j, ITEE_ERR_BAD_SIG);
    /* truncated and trailing bytes */
    just_build(&j, c, 1, THREE, 3, 9, 0);
    j.len--;
    import_expect(lc, c, 1, &j, ITEE_ERR_SCALE_EOF);
    j.len++;
    assert_int_equal(itee_buf_push(&j, 0), ITEE_OK);
    import_expect(lc, c, 1, &j, ITEE_ERR_SCALE_TRAILING);
    /* three of four is enough */
    just_build(&j, c, 1, THREE, 3, 9, 0);
    import_expect(lc, c, 1, &j, ITEE_OK);
    /* a justification for an already final block, or one we do not hold */
    justify_expect(lc, &j, ITEE_ERR_LC_TARGET, NULL);
    just_build(&j, c, 3, THREE, 3, 9, 0);
    justify_expect(lc, &j, ITEE_ERR_LC_TARGET, NULL);
    itee_buf_free(&j);
    light_client_free(lc);
    chain_free(c);
}

/* Justification for block t whose precommits vote for t + 1, proven by votes_ancestries. */
static void just_with_ancestry(struct itee_buf *out, const struct chain *c, size_t t,
                               bool include_ancestry, bool extra_header)
{
    struct grandpa_signed_precommit sp;
    struct grandpa_precommit pc;
    memcpy(pc.target_hash, c->hash[t + 1], 32);
    pc.target_number = (uint32_t)(t + 1);
    assert_int_equal(grandpa_precommit_sign(&sp, &c->k[ALICE], &pc, 3, 0), ITEE_OK);
    struct header anc[2];
    assert_int_equal(header_decode(&anc[0], c->enc[t + 1].ptr, c->enc[t + 1].len), ITEE_OK);
    assert_int_equal(header_decode(&anc[1], c->enc[t + 2].ptr, c->enc[t + 2].len), ITEE_OK);
    struct grandpa_justification j;
    memset(&j, 0, sizeof(j));
    j.round = 3;
    memcpy(j.target_hash, c->hash[t], 32);
    j.target_number = (uint32_t)t;
    j.precommits = &sp;
    j.n_precommits = 1;
    j.ancestries = anc;
    j.n_ancestries = include_ancestry ? (extra_header ? 2 : 1) : 0;
    itee_buf_reset(out);
    assert_int_equal(grandpa_justification_encode(out, &j), ITEE_OK);
}

static void test_ancestry_and_late_justification(void **state)
{
    (void)state;
    struct chain *c = chain_new();
    chain_build(c, 6);
    struct light_client *lc = lc_new(c, ONLY_ALICE, 1);
    for (size_t i = 1; i <= 4; i++)
        import_expect(lc, c, i, NULL, ITEE_OK);
    struct itee_buf j;
    itee_buf_init(&j, 0);
    just_with_ancestry(&j, c, 2, false, false);
    justify_expect(lc, &j, ITEE_ERR_LC_ANCESTRY, NULL);
    just_with_ancestry(&j, c, 2, true, true); /* an unused ancestry header */
    justify_expect(lc, &j, ITEE_ERR_LC_ANCESTRY, NULL);
    just_with_ancestry(&j, c, 2, true, false);
    struct light_client_outcome o;
    justify_expect(lc, &j, ITEE_OK, &o);
    assert_int_equal(o.n_finalized, 2);
    assert_int_equal(o.finalized_number, 2);
    assert_int_equal(light_client_unjustified_count(lc), 2);
    just_build(&j, c, 4, ONLY_ALICE, 1, 4, 0);
    justify_expect(lc, &j, ITEE_OK, &o);
    assert_int_equal(o.n_finalized, 2);
    itee_buf_free(&j);
    light_client_free(lc);
    chain_free(c);
}

/* SCALE(ConsensusLog::ScheduledChange{next, delay}) with weight-1 authorities. */
static size_t scheduled_change(uint8_t *out, const struct chain *c, const int *keys, size_t n,
                               uint32_t delay, uint8_t variant)
{
    struct itee_buf b;
    itee_buf_init(&b, 0);
    assert_int_equal(scale_put_u8(&b, variant), ITEE_OK);
    if (variant == 2)
        assert_int_equal(scale_put_u32(&b, 0), ITEE_OK);
    assert_int_equal(scale_put_compact(&b, n), ITEE_OK);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(scale_put_bytes(&b, c->k[keys[i]].public.bytes, 32), ITEE_OK);
        assert_int_equal(scale_put_u64(&b, 1), ITEE_OK);
    }
    assert_int_equal(scale_put_u32(&b, delay), ITEE_OK);
    size_t len = b.len;
    memcpy(out, b.ptr, len);
    itee_buf_free(&b);
    return len;
}

static void test_scheduled_change(void **state)
{
    (void)state;
    static const int NEXT[] = {BOB, CHARLIE, DAVE};
    struct chain *c = chain_new();
    /* block 5 announces {Bob, Charlie, Dave} with delay 2: enacted when block 7 is final */
    c->digest_len[5] = scheduled_change(c->digest[5], c, NEXT, 3, 2, 1);
    /* block 9 announces a change back to Alice with delay 0 */
    c->digest_len[9] = scheduled_change(c->digest[9], c, ONLY_ALICE, 1, 0, 1);
    chain_build(c, 12);
    struct light_client *lc = lc_new(c, ONLY_ALICE, 1);
    struct itee_buf j;
    itee_buf_init(&j, 0);
    for (size_t i = 1; i <= 5; i++) {
        just_build(&j, c, i, ONLY_ALICE, 1, i, 0);
        import_expect(lc, c, i, &j, ITEE_OK);
    }
    import_expect(lc, c, 6, NULL, ITEE_OK);
    import_expect(lc, c, 7, NULL, ITEE_OK);
    /* block 8 is voted by the next set, but 7 must be justified first */
    just_build(&j, c, 8, NEXT, 3, 8, 1);
    import_expect(lc, c, 8, &j, ITEE_ERR_LC_SET_CHANGE);
    just_build(&j, c, 8, ONLY_ALICE, 1, 8, 0);
    import_expect(lc, c, 8, &j, ITEE_ERR_LC_SET_CHANGE);
    import_expect(lc, c, 8, NULL, ITEE_OK);
    /* block 7 is still the old set's to finalize */
    just_build(&j, c, 7, NEXT, 3, 7, 1);
    justify_expect(lc, &j, ITEE_ERR_LC_UNKNOWN_SIGNER, NULL);
    just_build(&j, c, 7, ONLY_ALICE, 1, 7, 0);
    struct light_client_outcome o;
    justify_expect(lc, &j, ITEE_OK, &o);
    assert_true(o.set_changed);
    assert_int_equal(o.n_finalized, 2);
    const struct grandpa_authority *a;
    size_t n;
    uint64_t set_id;
    light_client_authorities(lc, &a, &n, &set_id);
    assert_int_equal(set_id, 1);
    assert_int_equal(n, 3);
    assert_memory_equal(a[0].id.bytes, c->k[BOB].public.bytes, 32);
    /* old-set signatures are refused now, in either set id */
    just_build(&j, c, 8, ONLY_ALICE, 1, 8, 0);
    justify_expect(lc, &j, ITEE_ERR_LC_UNKNOWN_SIGNER, NULL);
    just_build(&j, c, 8, ONLY_ALICE, 1, 8, 1);
    justify_expect(lc, &j, ITEE_ERR_LC_UNKNOWN_SIGNER, NULL);
    just_build(&j, c, 8, NEXT, 3, 8, 0); /* new set, old set id */
    justify_expect(lc, &j, ITEE_ERR_BAD_SIG, NULL);
    just_build(&j, c, 8, NEXT, 3, 8, 1);
    justify_expect(lc, &j, ITEE_OK, &o);
    assert_false(o.set_changed);
    /* block 9's delay-0 change is enacted by its own justification, signed by set 1 */
    just_build(&j, c, 9, NEXT, 3, 9, 1);
    import_expect(lc, c, 9, &j, ITEE_OK);
    light_client_authorities(lc, &a, &n, &set_id);
    assert_int_equal(set_id, 2);
    assert_int_equal(n, 1);
    just_build(&j, c, 10, NEXT, 3, 10, 2);
    import_expect(lc, c, 10, &j, ITEE_ERR_LC_UNKNOWN_SIGNER);
    just_build(&j, c, 10, ONLY_ALICE, 1, 10, 2);
    import_expect(lc, c, 10, &j, ITEE_OK);
    itee_buf_free(&j);
    light_client_free(lc);
    chain_free(c);
}

static void test_digest_refusals(void **state)
{
    (void)state;
    static const int NEXT[] = {BOB};
    struct chain *c = chain_new();
    chain_build(c, 2);
    struct light_client *lc = lc_new(c, ONLY_ALICE, 1);
    struct itee_buf hb;
    itee_buf_init(&hb, 0);
    uint8_t h[32], d[256], sr[32] = {1}, er[32] = {2};
    struct itee_buf before, after;
    state_of(lc, &before);
    /* forced change (index 2) */
    header_build(&hb, h, c->hash[0], 1, sr, er, d, scheduled_change(d, c, NEXT, 1, 0, 2));
    assert_int_equal(light_client_import(lc, hb.ptr, hb.len, NULL, 0, NULL),
                     ITEE_ERR_LC_FORCED_CHANGE);
    /* unknown index, trailing bytes, truncated */
    size_t len = scheduled_change(d, c, NEXT, 1, 0, 1);
    d[0] = 9;
    header_build(&hb, h, c->hash[0], 1, sr, er, d, len);
    assert_int_equal(light_client_import(lc, hb.ptr, hb.len, NULL, 0, NULL), ITEE_ERR_LC_DIGEST);
    d[0] = 1;
    header_build(&hb, h, c->hash[0], 1, sr, er, d, len + 1);
    assert_int_equal(light_client_import(lc, hb.ptr, hb.len, NULL, 0, NULL), ITEE_ERR_LC_DIGEST);
    header_build(&hb, h, c->hash[0], 1, sr, er, d, len - 1);
    assert_int_equal(light_client_import(lc, hb.ptr, hb.len, NULL, 0, NULL), ITEE_ERR_LC_DIGEST);
    /* a zero weight, and a duplicate authority */
    d[1 + 1 + 32] = 0;
    header_build(&hb, h, c->hash[0], 1, sr, er, d, len);
    assert_int_equal(light_client_import(lc, hb.ptr, hb.len, NULL, 0, NULL),
                     ITEE_ERR_LC_AUTHORITIES);
    static const int TWICE[] = {BOB, BOB};
    len = scheduled_change(d, c, TWICE, 2, 0, 1);
    header_build(&hb, h, c->hash[0], 1, sr, er, d, len);
    assert_int_equal(light_client_import(lc, hb.ptr, hb.len, NULL, 0, NULL),
                     ITEE_ERR_LC_AUTHORITIES);
    /* delay overflowing the block number */
    len = scheduled_change(d, c, NEXT, 1, UINT32_MAX, 1);
    header_build(&hb, h, c->hash[0], 1, sr, er, d, len);
    assert_int_equal(light_client_import(lc, hb.ptr, hb.len, NULL, 0, NULL), ITEE_ERR_LC_DIGEST);
    /* OnDisabled, Pause and Resume are accepted and change nothing */
    state_of(lc, &after);
    assert_memory_equal(before.ptr, after.ptr, before.len);
    itee_buf_free(&after);
    uint8_t dis[9] = {3, 1, 0, 0, 0, 0, 0, 0, 0};
    header_build(&hb, h, c->hash[0], 1, sr, er, dis, sizeof(dis));
    assert_int_equal(light_client_import(lc, hb.ptr, hb.len, NULL, 0, NULL), ITEE_OK);
    uint8_t pause[5] = {4, 5, 0, 0, 0};
    uint8_t prev[32];
    memcpy(prev, h, 32);
    header_build(&hb, h, prev, 2, sr, er, pause, sizeof(pause));
    assert_int_equal(light_client_import(lc, hb.ptr, hb.len, NULL, 0, NULL), ITEE_OK);
    /* a change, then a second change before the first is enacted */
    len = scheduled_change(d, c, NEXT, 1, 5, 1);
    memcpy(prev, h, 32);
    header_build(&hb, h, prev, 3, sr, er, d, len);
    assert_int_equal(light_client_import(lc, hb.ptr, hb.len, NULL, 0, NULL), ITEE_OK);
    memcpy(prev, h, 32);
    header_build(&hb, h, prev, 4, sr, er, d, len);
    itee_buf_free(&before);
    state_of(lc, &before);
    assert_int_equal(light_client_import(lc, hb.ptr, hb.len, NULL, 0, NULL),
                     ITEE_ERR_LC_SET_CHANGE);
    state_of(lc, &after);
    assert_memory_equal(before.ptr, after.ptr, before.len);
    itee_buf_free(&after);
    itee_buf_free(&before);
    itee_buf_free(&hb);
    light_client_free(lc);
    chain_free(c);
}

/* A state trie for block i: a few keys whose values depend on i. */
static struct trie *state_trie(size_t i, uint8_t root[32])
{
    struct trie *t = NULL;
    assert_int_equal(trie_new(&t, TRIE_LAYOUT_V0, NULL), ITEE_OK);
    for (int k = 0; k < 20; k++) {
        uint8_t key[3] = {(uint8_t)k, (uint8_t)(k * 13), 7}, val[40];
        memset(val, (int)(i + (size_t)k), sizeof(val));
        assert_int_equal(trie_insert(t, key, 3, val, (size_t)(k % 2 ? 40 : 4)), ITEE_OK);
    }
    assert_int_equal(trie_root(t, root), ITEE_OK);
    return t;
}

static void test_extrinsics_and_storage(void **state)
{
    (void)state;
    struct chain *c = chain_new();
    struct trie *tries[4];
    uint8_t root[32];
    chain_push(c, NULL);
    for (size_t i = 1; i <= 3; i++) {
        tries[i] = state_trie(i, root);
        chain_push(c, root);
    }
    struct light_client *lc = lc_new(c, ONLY_ALICE, 1);
    struct itee_buf j;
    itee_buf_init(&j, 0);
    import_expect(lc, c, 1, NULL, ITEE_OK);
    just_build(&j, c, 2, ONLY_ALICE, 1, 2, 0);
    import_expect(lc, c, 2, &j, ITEE_OK);
    import_expect(lc, c, 3, NULL, ITEE_OK);

    for (size_t i = 1; i <= 3; i++) {
        struct itee_slice items[2] = {itee_slice_make(c->exts[i].ptr, 12),
                                      itee_slice_make(c->exts[i].ptr + 12, 12)};
        enum itee_err want = i <= 2 ? ITEE_OK : ITEE_ERR_LC_NOT_FINALIZED;
        assert_int_equal(light_client_verify_extrinsics(lc, c->hash[i], items, 2), want);
        if (i > 2)
            continue;
        assert_int_equal(light_client_verify_extrinsics(lc, c->hash[i], items, 1),
                         ITEE_ERR_LC_EXTRINSICS_ROOT);
        struct itee_slice swapped[2] = {items[1], items[0]};
        assert_int_equal(light_client_verify_extrinsics(lc, c->hash[i], swapped, 2),
                         ITEE_ERR_LC_EXTRINSICS_ROOT);
        uint8_t tampered[12];
        memcpy(tampered, items[1].ptr, 12);
        tampered[11] ^= 1;
        items[1] = itee_slice_make(tampered, 12);
        assert_int_equal(light_client_verify_extrinsics(lc, c->hash[i], items, 2),
                         ITEE_ERR_LC_EXTRINSICS_ROOT);
    }

    /* storage of block 2: two present keys and one absent */
    uint8_t k1[3] = {1, 13, 7}, k2[3] = {4, 52, 7}, k3[3] = {9, 9, 9};
    struct itee_slice keys[3] = {itee_slice_make(k1, 3), itee_slice_make(k2, 3),
                                 itee_slice_make(k3, 3)};
    struct trie_proof proof;
    trie_proof_init(&proof);
    assert_int_equal(trie_prove(tries[2], keys, 3, &proof), ITEE_OK);
    struct trie_proof_value res[3];
    assert_int_equal(
        light_client_verify_storage(lc, c->hash[2], proof.nodes, proof.count, keys, 3, res),
        ITEE_OK);
    assert_true(res[0].present && res[1].present && !res[2].present);
    assert_int_equal(res[0].value.len, 40);
    assert_int_equal(res[0].value.ptr[0], 3);
    assert_int_equal(res[1].value.len, 4);
    assert_int_equal(res[1].value.ptr[0], 6);
    /* the same proof against block 1's root, and for the unjustified block 3 */
    assert_int_equal(
        light_client_verify_storage(lc, c->hash[1], proof.nodes, proof.count, keys, 3, res),
        ITEE_ERR_TRIE_PROOF);
    assert_int_equal(
        light_client_verify_storage(lc, c->hash[3], proof.nodes, proof.count, keys, 3, res),
        ITEE_ERR_LC_NOT_FINALIZED);
    /* every single flipped bit in any node breaks the proof */
    for (size_t n = 0; n < proof.count; n++) {
        uint8_t *p = (uint8_t *)proof.nodes[n].ptr;
        for (size_t b = 0; b < proof.nodes[n].len; b += 7) {
            p[b] ^= 0x10;
            assert_int_not_equal(
                light_client_verify_storage(lc, c->hash[2], proof.nodes, proof.count, keys, 3, res),
                ITEE_OK);
            p[b] ^= 0x10;
        }
    }
    trie_proof_free(&proof);
    for (size_t i = 1; i <= 3; i++)
        trie_free(tries[i]);
    itee_buf_free(&j);
    light_client_free(lc);
    chain_free(c);
}

/* Genesis whose state holds the authorities under both keys; value forms as on chain. */
static void test_init_from_proof(void **state)
{
    (void)state;
    struct chain *c = chain_new();
    uint8_t pallet_key[32], root[32], v[1 + 1 + 40];
    hash_storage_prefix(pallet_key, "Grandpa", "Authorities");
    v[0] = 1;
    v[1] = 1 << 2;
    memcpy(v + 2, c->k[ALICE].public.bytes, 32);
    memset(v + 34, 0, 8);
    v[34] = 1;
    struct trie *t = NULL;
    assert_int_equal(trie_new(&t, TRIE_LAYOUT_V0, NULL), ITEE_OK);
    assert_int_equal(trie_insert(t, (const uint8_t *)LIGHT_CLIENT_GRANDPA_KEY,
                                 LIGHT_CLIENT_GRANDPA_KEY_LEN, v, sizeof(v)),
                     ITEE_OK);
    assert_int_equal(trie_insert(t, pallet_key, 32, v + 1, sizeof(v) - 1), ITEE_OK);
    uint8_t other[4] = {1, 2, 3, 4};
    assert_int_equal(trie_insert(t, other, 4, other, 4), ITEE_OK);
    assert_int_equal(trie_root(t, root), ITEE_OK);
    chain_push(c, root);
    chain_build(c, 3);

    struct itee_slice keys[2] = {
        itee_slice_make((const uint8_t *)LIGHT_CLIENT_GRANDPA_KEY, LIGHT_CLIENT_GRANDPA_KEY_LEN),
        itee_slice_make(pallet_key, 32)};
    for (int which = 0; which < 2; which++) {
        struct trie_proof proof;
        trie_proof_init(&proof);
        assert_int_equal(trie_prove(t, &keys[which], 1, &proof), ITEE_OK);
        struct light_client *lc = NULL;
        assert_int_equal(light_client_new_from_proof(
                             &lc, TRIE_LAYOUT_V0, c->enc[0].ptr, c->enc[0].len,
                             (enum light_client_auth_key)which, proof.nodes, proof.count),
                         ITEE_OK);
        struct itee_buf j;
        itee_buf_init(&j, 0);
        just_build(&j, c, 1, ONLY_ALICE, 1, 1, 0);
        import_expect(lc, c, 1, &j, ITEE_OK);
        itee_buf_free(&j);
        light_client_free(lc);
        /* the other key's form is refused: the value is absent under the proven paths */
        assert_int_not_equal(light_client_new_from_proof(
                                 &lc, TRIE_LAYOUT_V0, c->enc[0].ptr, c->enc[0].len,
                                 (enum light_client_auth_key)(1 - which), proof.nodes, proof.count),
                             ITEE_OK);
        assert_null(lc);
        /* a tampered proof */
        ((uint8_t *)proof.nodes[0].ptr)[proof.nodes[0].len - 1] ^= 1;
        assert_int_not_equal(light_client_new_from_proof(
                                 &lc, TRIE_LAYOUT_V0, c->enc[0].ptr, c->enc[0].len,
                                 (enum light_client_auth_key)which, proof.nodes, proof.count),
                             ITEE_OK);
        assert_null(lc);
        trie_proof_free(&proof);
    }
    /* a proven but malformed value: well-known without its version byte */
    assert_int_equal(trie_insert(t, (const uint8_t *)LIGHT_CLIENT_GRANDPA_KEY,
                                 LIGHT_CLIENT_GRANDPA_KEY_LEN, v + 1, sizeof(v) - 1),
                     ITEE_OK);
    assert_int_equal(trie_root(t, root), ITEE_OK);
    struct chain *c2 = chain_new();
    chain_push(c2, root);
    struct trie_proof proof;
    trie_proof_init(&proof);
    assert_int_equal(trie_prove(t, &keys[0], 1, &proof), ITEE_OK);
    struct light_client *lc = NULL;
    assert_int_equal(light_client_new_from_proof(&lc, TRIE_LAYOUT_V0, c2->enc[0].ptr,
                                                 c2->enc[0].len, LIGHT_CLIENT_AUTH_WELL_KNOWN,
                                                 proof.nodes, proof.count),
                     ITEE_ERR_LC_AUTHORITIES);
    trie_proof_free(&proof);
    trie_free(t);
    chain_free(c2);
    chain_free(c);
}

static void test_new_refusals(void **state)
{
    (void)state;
    struct chain *c = chain_new();
    chain_build(c, 2);
    struct grandpa_authority a[2] = {{c->k[ALICE].public, 1}, {c->k[ALICE].public, 1}};
    struct light_client *lc = NULL;
    const uint8_t *g = c->enc[0].ptr;
    size_t glen = c->enc[0].len;
    assert_int_equal(light_client_new(&lc, TRIE_LAYOUT_V0, g, glen, a, 0), ITEE_ERR_LC_AUTHORITIES);
    assert_int_equal(light_client_new(&lc, TRIE_LAYOUT_V0, g, glen, a, 2), ITEE_ERR_LC_AUTHORITIES);
    a[1].weight = 0;
    a[1].id = c->k[BOB].public;
    assert_int_equal(light_client_new(&lc, TRIE_LAYOUT_V0, g, glen, a, 2), ITEE_ERR_LC_AUTHORITIES);
    a[0].weight = UINT64_MAX;
    a[1].weight = 1;
    assert_int_equal(light_client_new(&lc, TRIE_LAYOUT_V0, g, glen, a, 2), ITEE_ERR_LC_AUTHORITIES);
    /* block 1 is no genesis; a truncated genesis; a bad layout */
    assert_int_equal(light_client_new(&lc, TRIE_LAYOUT_V0, c->enc[1].ptr, c->enc[1].len, a, 1),
                     ITEE_ERR_ARG);
    assert_int_equal(light_client_new(&lc, TRIE_LAYOUT_V0, g, glen - 1, a, 1),
                     ITEE_ERR_SCALE_LENGTH);
    assert_int_equal(light_client_new(&lc, (enum trie_layout)7, g, glen, a, 1), ITEE_ERR_ARG);
    assert_null(lc);
    /* the threshold with unequal weights: Alice 3 of total 4 is exactly enough */
    a[0].weight = 3;
    assert_int_equal(light_client_new(&lc, TRIE_LAYOUT_V0, g, glen, a, 2), ITEE_OK);
    struct itee_buf j;
    itee_buf_init(&j, 0);
    static const int B[] = {BOB};
    just_build(&j, c, 1, B, 1, 1, 0);
    import_expect(lc, c, 1, &j, ITEE_ERR_LC_WEIGHT);
    just_build(&j, c, 1, ONLY_ALICE, 1, 1, 0);
    import_expect(lc, c, 1, &j, ITEE_OK);
    itee_buf_free(&j);
    light_client_free(lc);
    chain_free(c);
}

/* Decoding the encoding gives the same state, which then behaves the same. */
static void roundtrip(const struct light_client *lc, struct light_client **copy)
{
    struct itee_buf a, b;
    state_of(lc, &a);
    assert_int_equal(light_client_decode(copy, a.ptr, a.len), ITEE_OK);
    state_of(*copy, &b);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.ptr, b.ptr, a.len);
    /* every strict prefix is refused */
    for (size_t n = 0; n < a.len; n += (n < 200 ? 1 : 97)) {
        struct light_client *bad = NULL;
        assert_int_not_equal(light_client_decode(&bad, a.ptr, n), ITEE_OK);
        assert_null(bad);
    }
    itee_buf_free(&a);
    itee_buf_free(&b);
}

static void test_state_roundtrip(void **state)
{
    (void)state;
    static const int NEXT[] = {BOB, CHARLIE, DAVE};
    struct chain *c = chain_new();
    c->digest_len[3] = scheduled_change(c->digest[3], c, NEXT, 3, 4, 1);
    chain_build(c, 12);
    struct light_client *lc = lc_new(c, ONLY_ALICE, 1), *copy = NULL;
    struct itee_buf j;
    itee_buf_init(&j, 0);
    just_build(&j, c, 1, ONLY_ALICE, 1, 1, 0);
    import_expect(lc, c, 1, &j, ITEE_OK);
    for (size_t i = 2; i <= 8; i++)
        import_expect(lc, c, i, NULL, ITEE_OK);
    /* finalized 1, unjustified 2..8, a pending change enacted at 7 */
    roundtrip(lc, &copy);
    just_build(&j, c, 7, ONLY_ALICE, 1, 7, 0);
    struct light_client_outcome o1, o2;
    assert_int_equal(light_client_import_justification(lc, j.ptr, j.len, &o1), ITEE_OK);
    assert_int_equal(light_client_import_justification(copy, j.ptr, j.len, &o2), ITEE_OK);
    assert_memory_equal(&o1, &o2, sizeof(o1));
    assert_true(o1.set_changed);
    struct itee_buf s1, s2;
    state_of(lc, &s1);
    state_of(copy, &s2);
    assert_int_equal(s1.len, s2.len);
    assert_memory_equal(s1.ptr, s2.ptr, s1.len);
    /* a wrong version, an inconsistent chain, trailing bytes */
    struct light_client *bad = NULL;
    s1.ptr[0] = 2;
    assert_int_equal(light_client_decode(&bad, s1.ptr, s1.len), ITEE_ERR_LC_STATE);
    s1.ptr[0] = 1;
    s1.ptr[1] = 2;
    assert_int_equal(light_client_decode(&bad, s1.ptr, s1.len), ITEE_ERR_LC_STATE);
    s1.ptr[1] = 0;
    size_t held_at = 1 + 1 + 32 + 8 + 1 + 3 * 40 + 1; /* first held header's hash */
    s1.ptr[held_at + 5] ^= 1;
    assert_int_equal(light_client_decode(&bad, s1.ptr, s1.len), ITEE_ERR_LC_STATE);
    s1.ptr[held_at + 5] ^= 1;
    assert_int_equal(itee_buf_push(&s1, 0), ITEE_OK);
    assert_int_equal(light_client_decode(&bad, s1.ptr, s1.len), ITEE_ERR_SCALE_TRAILING);
    assert_null(bad);
    itee_buf_free(&s1);
    itee_buf_free(&s2);
    light_client_free(copy);
    roundtrip(lc, &copy);
    light_client_free(copy);
    itee_buf_free(&j);
    light_client_free(lc);
    chain_free(c);
}

/* Streams n headers after prev (numbers from first), justifying only the last. */
static void stream(struct light_client *lc, const struct chain *c, uint8_t prev[32], uint32_t first,
                   uint32_t n, bool justify_last, enum itee_err last_want)
{
    struct itee_buf hb, j;
    itee_buf_init(&hb, 0);
    itee_buf_init(&j, 0);
    uint8_t h[32], r[32] = {9};
    for (uint32_t i = 0; i < n; i++) {
        header_build(&hb, h, prev, first + i, r, r, NULL, 0);
        bool last = i + 1 == n;
        const uint8_t *jp = NULL;
        size_t jl = 0;
        if (last && justify_last) {
            struct grandpa_precommit pc;
            struct grandpa_signed_precommit sp;
            memcpy(pc.target_hash, h, 32);
            pc.target_number = first + i;
            assert_int_equal(grandpa_precommit_sign(&sp, &c->k[ALICE], &pc, 1, 0), ITEE_OK);
            struct grandpa_justification gj;
            memset(&gj, 0, sizeof(gj));
            gj.round = 1;
            memcpy(gj.target_hash, h, 32);
            gj.target_number = first + i;
            gj.precommits = &sp;
            gj.n_precommits = 1;
            itee_buf_reset(&j);
            assert_int_equal(grandpa_justification_encode(&j, &gj), ITEE_OK);
            jp = j.ptr;
            jl = j.len;
        }
        enum itee_err e = light_client_import(lc, hb.ptr, hb.len, jp, jl, NULL);
        assert_int_equal(e, last ? last_want : ITEE_OK);
        if (e == ITEE_OK)
            memcpy(prev, h, 32);
    }
    itee_buf_free(&hb);
    itee_buf_free(&j);
}

static void test_queue_limit_and_history(void **state)
{
    (void)state;
    struct chain *c = chain_new();
    chain_build(c, 1);
    struct light_client *lc = lc_new(c, ONLY_ALICE, 1);
    uint8_t prev[32];
    memcpy(prev, c->hash[0], 32);
    /* the queue takes exactly LIGHT_CLIENT_MAX_UNJUSTIFIED headers */
    stream(lc, c, prev, 1, LIGHT_CLIENT_MAX_UNJUSTIFIED + 1, false, ITEE_ERR_LC_QUEUE_FULL);
    assert_int_equal(light_client_unjustified_count(lc), LIGHT_CLIENT_MAX_UNJUSTIFIED);
    /* with a justification the next one finalizes all of them at once */
    uint32_t next = LIGHT_CLIENT_MAX_UNJUSTIFIED + 1;
    stream(lc, c, prev, next, 1, true, ITEE_OK);
    struct light_client_header f;
    light_client_finalized(lc, &f);
    assert_int_equal(f.number, next);
    assert_int_equal(light_client_finalized_by_number(lc, 0, &f), ITEE_OK);
    next++;
    /* two more full batches overflow the history: the oldest go, the last batch stays */
    for (int k = 0; k < 2; k++) {
        stream(lc, c, prev, next, LIGHT_CLIENT_MAX_UNJUSTIFIED + 1, true, ITEE_OK);
        next += LIGHT_CLIENT_MAX_UNJUSTIFIED + 1;
    }
    uint32_t last = next - 1;
    light_client_finalized(lc, &f);
    assert_int_equal(f.number, last);
    assert_int_equal(light_client_finalized_by_number(lc, 0, &f), ITEE_ERR_LC_NOT_FINALIZED);
    assert_int_equal(light_client_finalized_by_number(lc, last - LIGHT_CLIENT_MAX_UNJUSTIFIED, &f),
                     ITEE_OK);
    /* finalizing block by block, the history shrinks back to between 256 and 512 headers */
    for (int k = 0; k < 300; k++)
        stream(lc, c, prev, next++, 1, true, ITEE_OK);
    last = next - 1;
    assert_int_equal(
        light_client_finalized_by_number(lc, last - (LIGHT_CLIENT_MIN_HISTORY - 1), &f), ITEE_OK);
    assert_int_equal(light_client_finalized_by_number(lc, last - 2 * LIGHT_CLIENT_MIN_HISTORY, &f),
                     ITEE_ERR_LC_NOT_FINALIZED);
    struct itee_buf sb;
    state_of(lc, &sb);
    assert_true(sb.len < 2 * LIGHT_CLIENT_MIN_HISTORY * 140 + 1000);
    itee_buf_free(&sb);
    /* pruning drops consumed headers but never the finalized head */
    light_client_prune(lc, last - 10);
    assert_int_equal(light_client_finalized_by_number(lc, last - 11, &f),
                     ITEE_ERR_LC_NOT_FINALIZED);
    assert_int_equal(light_client_finalized_by_number(lc, last - 10, &f), ITEE_OK);
    light_client_prune(lc, UINT32_MAX);
    assert_int_equal(light_client_finalized_by_number(lc, last, &f), ITEE_OK);
    assert_int_equal(light_client_finalized_by_number(lc, last - 1, &f), ITEE_ERR_LC_NOT_FINALIZED);
    struct light_client *copy = NULL;
    roundtrip(lc, &copy);
    light_client_free(copy);
    light_client_free(lc);
    chain_free(c);
}

/* Every allocation failure during import or decode is ITEE_ERR_NOMEM with nothing changed. */
static void test_oom(void **state)
{
    (void)state;
    static const int NEXT[] = {BOB, CHARLIE, DAVE};
    struct chain *c = chain_new();
    c->digest_len[2] = scheduled_change(c->digest[2], c, NEXT, 3, 0, 1);
    chain_build(c, 3);
    struct light_client *lc = lc_new(c, ONLY_ALICE, 1);
    import_expect(lc, c, 1, NULL, ITEE_OK);
    struct itee_buf j, before, after;
    itee_buf_init(&j, 0);
    just_build(&j, c, 2, ONLY_ALICE, 1, 2, 0);
    state_of(lc, &before);
    for (long n = 0;; n++) {
        itee_mem_fail_after(n);
        enum itee_err e = light_client_import(lc, c->enc[2].ptr, c->enc[2].len, j.ptr, j.len, NULL);
        bool hit = itee_mem_fault_hit();
        itee_mem_fail_after(-1);
        if (!hit) {
            assert_int_equal(e, ITEE_OK);
            break;
        }
        assert_int_equal(e, ITEE_ERR_NOMEM);
        state_of(lc, &after);
        assert_int_equal(before.len, after.len);
        assert_memory_equal(before.ptr, after.ptr, before.len);
        itee_buf_free(&after);
        assert_true(n < 1000);
    }
    itee_buf_free(&before);
    state_of(lc, &before);
    for (long n = 0;; n++) {
        struct light_client *copy = NULL;
        itee_mem_fail_after(n);
        enum itee_err e = light_client_decode(&copy, before.ptr, before.len);
        bool hit = itee_mem_fault_hit();
        itee_mem_fail_after(-1);
        if (!hit) {
            assert_int_equal(e, ITEE_OK);
            light_client_free(copy);
            break;
        }
        assert_int_equal(e, ITEE_ERR_NOMEM);
        assert_null(copy);
        assert_true(n < 1000);
    }
    itee_buf_free(&before);
    itee_buf_free(&j);
    light_client_free(lc);
    chain_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_block_justified),
        cmocka_unit_test(test_every_tenth_justified),
        cmocka_unit_test(test_header_refusals),
        cmocka_unit_test(test_justification_refusals),
        cmocka_unit_test(test_ancestry_and_late_justification),
        cmocka_unit_test(test_scheduled_change),
        cmocka_unit_test(test_digest_refusals),
        cmocka_unit_test(test_extrinsics_and_storage),
        cmocka_unit_test(test_init_from_proof),
        cmocka_unit_test(test_new_refusals),
        cmocka_unit_test(test_state_roundtrip),
        cmocka_unit_test(test_queue_limit_and_history),
        cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
