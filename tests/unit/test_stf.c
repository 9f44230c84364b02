/*
 * test_stf.c - the STF engine with the balances module: signed calls with exact balances and
 * fees, nonce rules, rejected calls without effect, root-only set_balance, unshield effects,
 * shielding, getters, a second module registered through the SDK seam, and an OOM loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chain/trusted_op.h"
#include "common/bytes.h"
#include "common/mem.h"
#include "crypto/hash.h"
#include "enclave/stf.h"
#include "enclave/stf_balances.h"
#include "enclave/stf_state.h"
#include "keys/pair.h"

#define FEE   STF_BALANCES_FEE
#define UNIT  ((itee_u128)1000000000000ull) /* 1 TEER */
#define ALICE 0
#define BOB   1
#define ENCL  2

struct fixture {
    struct keys_pair keys[3]; /* //Alice sr25519 (root), //Bob ed25519, //Enclave ed25519 */
    uint8_t id[3][32];        /* their account ids */
    uint8_t mrenclave[32];    /* 0x11.. */
    uint8_t shard[32];        /* 0x22.. */
    struct stf stf;           /* balances only */
    struct stf_state *st;     /* the shard's state, root = Alice */
    struct stf_outcome out;   /* collects outcomes */
    struct itee_buf call, signed_call; /* scratch */
};

static int setup(void **state)
{
    struct fixture *f = test_calloc(1, sizeof(*f));
    static const char *const suri[3] = {"//Alice", "//Bob", "//Enclave"};
    static const enum keys_scheme scheme[3] = {KEYS_SCHEME_SR25519, KEYS_SCHEME_ED25519,
                                               KEYS_SCHEME_ED25519};
    for (int i = 0; i < 3; i++) {
        if (keys_pair_from_suri(&f->keys[i], scheme[i], suri[i], strlen(suri[i])) != ITEE_OK)
            return -1;
        keys_pair_account_id(&f->keys[i], f->id[i]);
    }
    memset(f->mrenclave, 0x11, 32);
    memset(f->shard, 0x22, 32);
    stf_init(&f->stf, f->mrenclave, f->id[ENCL]);
    if (stf_register(&f->stf, stf_balances_module()) != ITEE_OK)
        return -1;
    if (stf_state_new(&f->st) != ITEE_OK || stf_balances_set_root(f->st, f->id[ALICE]) != ITEE_OK)
        return -1;
    stf_outcome_init(&f->out);
    itee_buf_init(&f->call, 0);
    itee_buf_init(&f->signed_call, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    for (int i = 0; i < 3; i++)
        keys_pair_clear(&f->keys[i]);
    stf_state_free(f->st);
    stf_outcome_free(&f->out);
    itee_buf_free(&f->call);
    itee_buf_free(&f->signed_call);
    test_free(f);
    return 0;
}

static struct stf_account account(struct fixture *f, int who)
{
    struct stf_account a;
    assert_int_equal(stf_state_account_get(f->st, f->id[who], &a), ITEE_OK);
    return a;
}

/* Returns: whether the outcome log from byte `from` on contains text. */
static bool log_has(const struct fixture *f, size_t from, const char *text)
{
    size_t n = strlen(text);
    for (size_t i = from; i + n <= f->out.log.len; i++)
        if (memcmp(f->out.log.ptr + i, text, n) == 0)
            return true;
    return false;
}

static void hash_of(struct fixture *f, uint8_t h[32])
{
    assert_int_equal(stf_state_hash(f->st, h), ITEE_OK);
}

/* Encodes call (built-in) signed by key `by` with nonce for mrenclave/shard into signed_call. */
static void make_signed(struct fixture *f, const struct trusted_op_call *call, int by,
                        uint32_t nonce, const uint8_t *mrenclave, const uint8_t *shard)
{
    itee_buf_reset(&f->call);
    itee_buf_reset(&f->signed_call);
    assert_int_equal(trusted_op_call_put(&f->call, call), ITEE_OK);
    struct trusted_op_call_signed cs = {.call = itee_buf_slice(&f->call), .nonce = nonce};
    assert_int_equal(trusted_op_call_sign(&cs.sig, &f->keys[by], cs.call, nonce, mrenclave, shard),
                     ITEE_OK);
    assert_int_equal(trusted_op_call_signed_put(&f->signed_call, &cs), ITEE_OK);
}

static enum itee_err run(struct fixture *f)
{
    return stf_execute(&f->stf, f->st, f->shard, f->signed_call.ptr, f->signed_call.len, &f->out);
}

static struct trusted_op_call transfer(struct fixture *f, int from, int to, itee_u128 amount)
{
    struct trusted_op_call c = {.index = TRUSTED_OP_CALL_TRANSFER, .amount = amount};
    memcpy(c.sender, f->id[from], 32);
    memcpy(c.other, f->id[to], 32);
    return c;
}

static struct trusted_op_call set_balance(struct fixture *f, int by, int who, itee_u128 free_)
{
    struct trusted_op_call c = {.index = TRUSTED_OP_CALL_SET_BALANCE, .amount = free_};
    memcpy(c.sender, f->id[by], 32);
    memcpy(c.other, f->id[who], 32);
    return c;
}

/* Alice (root) gives herself 10 TEER with her first call (nonce 0). */
static void fund_alice(struct fixture *f)
{
    struct trusted_op_call c = set_balance(f, ALICE, ALICE, 10 * UNIT);
    make_signed(f, &c, ALICE, 0, f->mrenclave, f->shard);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_OK);
}

static void test_transfer_and_fees(void **state)
{
    struct fixture *f = *state;
    fund_alice(f);
    struct stf_account a = account(f, ALICE);
    assert_int_equal(a.nonce, 1);
    assert_true(a.free == 10 * UNIT);
    assert_int_equal(a.providers, 1);

    struct trusted_op_call c = transfer(f, ALICE, BOB, 3 * UNIT);
    make_signed(f, &c, ALICE, 1, f->mrenclave, f->shard);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_OK);
    uint8_t ch[32];
    hash_blake2_256(ch, f->call.ptr, f->call.len);
    assert_memory_equal(f->out.call_hash, ch, 32);
    assert_memory_equal(f->out.sender, f->id[ALICE], 32);
    a = account(f, ALICE);
    assert_int_equal(a.nonce, 2);
    assert_true(a.free == 7 * UNIT - FEE);
    assert_true(account(f, BOB).free == 3 * UNIT);
    assert_int_equal(account(f, BOB).nonce, 0);
    assert_true(account(f, ENCL).free == FEE);

    /* the same bytes again: nonce 1 is used up -> rejected, nothing changes */
    uint8_t h0[32], h1[32];
    hash_of(f, h0);
    size_t log_len = f->out.log.len;
    assert_int_equal(run(f), ITEE_ERR_STF_NONCE);
    hash_of(f, h1);
    assert_memory_equal(h0, h1, 32);
    assert_int_equal(f->out.log.len, log_len);
    /* a future nonce is rejected too */
    make_signed(f, &c, ALICE, 5, f->mrenclave, f->shard);
    assert_int_equal(run(f), ITEE_ERR_STF_NONCE);
    hash_of(f, h1);
    assert_memory_equal(h0, h1, 32);

    /* Bob pays his own fee from what he got */
    c = transfer(f, BOB, ALICE, UNIT);
    make_signed(f, &c, BOB, 0, f->mrenclave, f->shard);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_OK);
    assert_true(account(f, BOB).free == 2 * UNIT - FEE);
    assert_true(account(f, ALICE).free == 8 * UNIT - FEE);
    assert_true(account(f, ENCL).free == 2 * FEE);
    assert_true(log_has(f, 0, "balance_transfer"));
}

static void test_failed_transfer_consumes_nonce_and_fee(void **state)
{
    struct fixture *f = *state;
    fund_alice(f);
    uint8_t h0[32], h1[32];
    hash_of(f, h0);
    struct trusted_op_call c = transfer(f, ALICE, BOB, 100 * UNIT);
    make_signed(f, &c, ALICE, 1, f->mrenclave, f->shard);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_ERR_STF_FUNDS);
    struct stf_account a = account(f, ALICE);
    assert_int_equal(a.nonce, 2);
    assert_true(a.free == 10 * UNIT - FEE);
    assert_true(account(f, BOB).free == 0);
    assert_int_equal(account(f, BOB).providers, 0);
    assert_true(account(f, ENCL).free == FEE);
    hash_of(f, h1);
    assert_memory_not_equal(h0, h1, 32);

    /* a sender who cannot pay the fee: nonce consumed, nothing else */
    c = transfer(f, BOB, ALICE, 1);
    make_signed(f, &c, BOB, 0, f->mrenclave, f->shard);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_ERR_STF_FUNDS);
    assert_int_equal(account(f, BOB).nonce, 1);
    assert_true(account(f, BOB).free == 0);
    assert_true(account(f, ENCL).free == FEE);
    assert_true(account(f, ALICE).free == 10 * UNIT - FEE);
}

static void test_rejected_without_effect(void **state)
{
    struct fixture *f = *state;
    fund_alice(f);
    uint8_t h0[32], h1[32], other[32];
    hash_of(f, h0);
    struct trusted_op_call c = transfer(f, ALICE, BOB, UNIT);
    memset(other, 0x33, 32);

    /* signed for another enclave build */
    make_signed(f, &c, ALICE, 1, other, f->shard);
    assert_int_equal(run(f), ITEE_ERR_BAD_SIG);
    /* signed for another shard */
    make_signed(f, &c, ALICE, 1, f->mrenclave, other);
    assert_int_equal(run(f), ITEE_ERR_BAD_SIG);
    /* executed on another shard than signed for */
    make_signed(f, &c, ALICE, 1, f->mrenclave, f->shard);
    assert_int_equal(
        stf_execute(&f->stf, f->st, other, f->signed_call.ptr, f->signed_call.len, &f->out),
        ITEE_ERR_BAD_SIG);
    /* signed by someone else than the sender */
    make_signed(f, &c, BOB, 1, f->mrenclave, f->shard);
    assert_int_equal(run(f), ITEE_ERR_BAD_SIG);
    /* a flipped signature byte */
    make_signed(f, &c, ALICE, 1, f->mrenclave, f->shard);
    f->signed_call.ptr[f->signed_call.len - 3] ^= 1;
    assert_int_equal(run(f), ITEE_ERR_BAD_SIG);
    /* malformed: truncated, trailing byte, unknown variant */
    assert_int_equal(
        stf_execute(&f->stf, f->st, f->shard, f->signed_call.ptr, f->signed_call.len - 1, &f->out),
        ITEE_ERR_SCALE_EOF);
    f->signed_call.ptr[0] = 9;
    assert_int_equal(run(f), ITEE_ERR_SCALE_VARIANT);
    assert_int_equal(itee_buf_push(&f->signed_call, 0), ITEE_OK);
    make_signed(f, &c, ALICE, 1, f->mrenclave, f->shard);
    assert_int_equal(itee_buf_push(&f->signed_call, 0), ITEE_OK);
    assert_int_equal(run(f), ITEE_ERR_SCALE_TRAILING);
    /* a call applied inside the caller's transaction is undone with it */
    f->signed_call.len--;
    assert_int_equal(stf_state_tx_begin(f->st), ITEE_OK);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_OK);
    assert_int_equal(account(f, ALICE).nonce, 2);
    assert_int_equal(stf_state_tx_rollback(f->st), ITEE_OK);
    hash_of(f, h1);
    assert_memory_equal(h0, h1, 32);
    assert_int_equal(account(f, ALICE).nonce, 1);
    /* the good call still works afterwards */
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_OK);
}

static void test_set_balance_root_only(void **state)
{
    struct fixture *f = *state;
    /* the dev root constant is //Alice sr25519, the fixture's root */
    assert_memory_equal(f->id[ALICE], STF_BALANCES_DEV_ROOT, 32);
    struct trusted_op_call c = set_balance(f, BOB, BOB, 1000 * UNIT);
    make_signed(f, &c, BOB, 0, f->mrenclave, f->shard);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_ERR_STF_ORIGIN);
    struct stf_account b = account(f, BOB);
    assert_true(b.free == 0);
    assert_int_equal(b.nonce, 1);
    /* root sets Bob's free and reserved; no fee */
    c = set_balance(f, ALICE, BOB, 5 * UNIT);
    c.reserved = 7;
    make_signed(f, &c, ALICE, 0, f->mrenclave, f->shard);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_OK);
    b = account(f, BOB);
    assert_true(b.free == 5 * UNIT);
    assert_true(b.reserved == 7);
    assert_true(account(f, ENCL).free == 0);
    /* a shard without root accepts nobody */
    struct stf_state *bare = NULL;
    assert_int_equal(stf_state_new(&bare), ITEE_OK);
    make_signed(f, &c, ALICE, 0, f->mrenclave, f->shard);
    assert_int_equal(
        stf_execute(&f->stf, bare, f->shard, f->signed_call.ptr, f->signed_call.len, &f->out),
        ITEE_OK);
    assert_int_equal(f->out.result, ITEE_ERR_STF_ORIGIN);
    stf_state_free(bare);
}

static void test_unshield_shield_noop(void **state)
{
    struct fixture *f = *state;
    fund_alice(f);
    uint8_t beneficiary[32], other[32];
    memset(beneficiary, 0xbe, 32);
    memset(other, 0x44, 32);
    struct trusted_op_call c = {.index = TRUSTED_OP_CALL_UNSHIELD, .amount = 2 * UNIT};
    memcpy(c.sender, f->id[ALICE], 32);
    memcpy(c.other, beneficiary, 32);
    memcpy(c.shard, f->shard, 32);
    make_signed(f, &c, ALICE, 1, f->mrenclave, f->shard);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_OK);
    assert_true(account(f, ALICE).free == 8 * UNIT - 3 * FEE);
    assert_true(account(f, ENCL).free == 3 * FEE);
    assert_int_equal(f->out.n_effects, 1);
    const struct stf_effect *fx = &f->out.effects[0];
    /* the payout id: blake2_256(call || nonce LE || sender), unique per executed call */
    uint8_t ch[32], pre[512];
    assert_true(f->call.len + 36 <= sizeof(pre));
    memcpy(pre, f->call.ptr, f->call.len);
    memcpy(pre + f->call.len, (const uint8_t[]){1, 0, 0, 0}, 4);
    memcpy(pre + f->call.len + 4, f->id[ALICE], 32);
    hash_blake2_256(ch, pre, f->call.len + 36);
    assert_int_equal(fx->kind, STF_EFFECT_UNSHIELD);
    assert_memory_equal(fx->shard, f->shard, 32);
    assert_memory_equal(fx->beneficiary, beneficiary, 32);
    assert_true(fx->amount == 2 * UNIT);
    assert_memory_equal(fx->call_hash, ch, 32);

    /* naming another shard: fee and nonce taken, nothing burnt, no effect */
    memcpy(c.shard, other, 32);
    make_signed(f, &c, ALICE, 2, f->mrenclave, f->shard);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_ERR_STF_SHARD);
    assert_true(account(f, ALICE).free == 8 * UNIT - 6 * FEE);
    assert_int_equal(f->out.n_effects, 1);
    /* more than she has */
    memcpy(c.shard, f->shard, 32);
    c.amount = 100 * UNIT;
    make_signed(f, &c, ALICE, 3, f->mrenclave, f->shard);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_ERR_STF_FUNDS);
    assert_int_equal(f->out.n_effects, 1);

    /* shielding: an input the enclave applies as its own call */
    assert_int_equal(stf_shield(&f->stf, f->st, f->shard, f->id[BOB], 777,
                                TRUSTED_OP_PARENTCHAIN_INTEGRITEE, &f->out),
                     ITEE_OK);
    assert_int_equal(f->out.result, ITEE_OK);
    assert_true(account(f, BOB).free == 777);
    assert_int_equal(account(f, ENCL).nonce, 1);
    /* a balance_shield signed by anyone else is refused by the module */
    struct trusted_op_call s = {.index = TRUSTED_OP_CALL_SHIELD, .amount = 5};
    memcpy(s.sender, f->id[ALICE], 32);
    memcpy(s.other, f->id[ALICE], 32);
    make_signed(f, &s, ALICE, 4, f->mrenclave, f->shard);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_ERR_STF_ORIGIN);
    /* internal calls must come from the enclave account */
    assert_int_equal(
        stf_execute_internal(&f->stf, f->st, f->shard, itee_buf_slice(&f->call), &f->out),
        ITEE_ERR_STF_ORIGIN);

    /* noop: only the nonce moves */
    uint8_t h0[32], h1[32];
    struct trusted_op_call n = {.index = TRUSTED_OP_CALL_NOOP};
    memcpy(n.sender, f->id[BOB], 32);
    make_signed(f, &n, BOB, 0, f->mrenclave, f->shard);
    struct stf_account before = account(f, BOB);
    hash_of(f, h0);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_OK);
    struct stf_account after = account(f, BOB);
    before.nonce++;
    assert_memory_equal(&before, &after, sizeof(before));
    hash_of(f, h1);
    assert_memory_not_equal(h0, h1, 32);
}

/* Runs getter bytes and checks the Option<Vec<u8>> result. */
static void expect_getter(struct fixture *f, const uint8_t *g, size_t len, const uint8_t *want,
                          size_t want_len)
{
    struct itee_buf out = {0};
    itee_buf_init(&out, 0);
    assert_int_equal(stf_get(&f->stf, f->st, g, len, &out), ITEE_OK);
    assert_int_equal(out.len, want_len);
    assert_memory_equal(out.ptr, want, want_len);
    itee_buf_free(&out);
}

static void test_getters(void **state)
{
    struct fixture *f = *state;
    fund_alice(f);
    static const uint8_t some_value[] = {0, 0};
    static const uint8_t some_42[] = {1, 4 << 2, 42, 0, 0, 0};
    expect_getter(f, some_value, sizeof(some_value), some_42, sizeof(some_42));

    struct itee_buf g = {0}, enc = {0}, out = {0};
    itee_buf_init(&g, 0);
    itee_buf_init(&enc, 0);
    itee_buf_init(&out, 0);
    /* Alice's free balance, signed by Alice (sr25519) */
    assert_int_equal(
        trusted_op_trusted_getter_put(&g, TRUSTED_OP_TRUSTED_FREE_BALANCE, f->id[ALICE]), ITEE_OK);
    struct trusted_op_getter tg = {.kind = TRUSTED_OP_GETTER_TRUSTED, .getter = itee_buf_slice(&g)};
    assert_int_equal(trusted_op_getter_sign(&tg.sig, &f->keys[ALICE], tg.getter), ITEE_OK);
    assert_int_equal(trusted_op_getter_put(&enc, &tg), ITEE_OK);
    uint8_t want[18] = {1, 16 << 2};
    itee_u128 bal = 10 * UNIT;
    for (int i = 0; i < 16; i++)
        want[2 + i] = (uint8_t)(bal >> (8 * i));
    expect_getter(f, enc.ptr, enc.len, want, sizeof(want));
    /* nonce getter */
    itee_buf_reset(&g);
    itee_buf_reset(&enc);
    assert_int_equal(trusted_op_trusted_getter_put(&g, TRUSTED_OP_TRUSTED_NONCE, f->id[ALICE]),
                     ITEE_OK);
    tg.getter = itee_buf_slice(&g);
    assert_int_equal(trusted_op_getter_sign(&tg.sig, &f->keys[ALICE], tg.getter), ITEE_OK);
    assert_int_equal(trusted_op_getter_put(&enc, &tg), ITEE_OK);
    static const uint8_t nonce1[] = {1, 4 << 2, 1, 0, 0, 0};
    expect_getter(f, enc.ptr, enc.len, nonce1, sizeof(nonce1));
    /* Bob cannot read Alice's balance: signature by the wrong key */
    itee_buf_reset(&enc);
    assert_int_equal(trusted_op_getter_sign(&tg.sig, &f->keys[BOB], tg.getter), ITEE_OK);
    assert_int_equal(trusted_op_getter_put(&enc, &tg), ITEE_OK);
    assert_int_equal(stf_get(&f->stf, f->st, enc.ptr, enc.len, &out), ITEE_ERR_BAD_SIG);
    assert_int_equal(out.len, 0);
    /* malformed getters */
    static const uint8_t unknown[] = {0, 7};
    assert_int_equal(stf_get(&f->stf, f->st, unknown, sizeof(unknown), &out),
                     ITEE_ERR_SCALE_VARIANT);
    assert_int_equal(stf_get(&f->stf, f->st, enc.ptr, enc.len - 1, &out), ITEE_ERR_SCALE_EOF);
    itee_buf_free(&g);
    itee_buf_free(&enc);
    itee_buf_free(&out);
}

/*
 * A second module, as an SDK user would write it: call 10 = counter_add(who, u32 by) stores
 * a per-account counter (fails after writing when by > 1000, to show its writes are undone);
 * public getter 10 = counter_total.
 */
static enum itee_err counter_args(void *ctx, uint8_t index, struct scale_reader *r)
{
    (void)ctx;
    (void)index;
    uint8_t who[32];
    uint32_t by;
    enum itee_err e = scale_read_bytes(r, who, 32);
    return e != ITEE_OK ? e : scale_read_u32(r, &by);
}

static enum itee_err counter_exec(struct stf_call *c)
{
    uint8_t who[32], v[4];
    uint32_t by;
    struct itee_slice cur;
    static const uint8_t key[] = "counter:total";
    enum itee_err e = scale_read_bytes(&c->args, who, 32);
    if (e == ITEE_OK)
        e = scale_read_u32(&c->args, &by);
    if (e != ITEE_OK)
        return e;
    uint32_t total = 0;
    if (stf_state_get(c->state, key, sizeof(key) - 1, &cur) == ITEE_OK && cur.len == 4)
        total = (uint32_t)cur.ptr[0] | (uint32_t)cur.ptr[1] << 8 | (uint32_t)cur.ptr[2] << 16 |
                (uint32_t)cur.ptr[3] << 24;
    total += by;
    for (int i = 0; i < 4; i++)
        v[i] = (uint8_t)(total >> (8 * i));
    e = stf_state_put(c->state, key, sizeof(key) - 1, v, 4);
    if (e != ITEE_OK)
        return e;
    e = stf_log(c, "counter_add %u", by);
    if (e != ITEE_OK)
        return e;
    return by > 1000 ? ITEE_ERR_STF_OVERFLOW : ITEE_OK;
}

static enum itee_err counter_getter_args(void *ctx, uint8_t index, struct scale_reader *r)
{
    (void)ctx;
    (void)index;
    (void)r;
    return ITEE_OK;
}

static enum itee_err counter_get(const struct stf_getter *g, struct itee_buf *value, bool *some)
{
    static const uint8_t key[] = "counter:total";
    struct itee_slice cur;
    *some = stf_state_get(g->state, key, sizeof(key) - 1, &cur) == ITEE_OK;
    return *some ? scale_put_bytes(value, cur.ptr, cur.len) : ITEE_OK;
}

static const struct stf_call_handler counter_calls[] = {
    {10, "counter_add", 0, counter_args, counter_exec}};
static const struct stf_getter_handler counter_getters[] = {
    {10, "counter_total", counter_getter_args, counter_get}};
static const struct stf_module counter_module = {"counter", counter_calls, 1, counter_getters,
                                                 1,         NULL,          0, NULL};

static void counter_call(struct fixture *f, uint32_t by, uint32_t nonce)
{
    uint8_t raw[1 + 32 + 4] = {10};
    memcpy(raw + 1, f->id[BOB], 32);
    for (int i = 0; i < 4; i++)
        raw[33 + i] = (uint8_t)(by >> (8 * i));
    struct trusted_op_call_signed cs = {.call = itee_slice_make(raw, sizeof(raw)), .nonce = nonce};
    assert_int_equal(
        trusted_op_call_sign(&cs.sig, &f->keys[BOB], cs.call, nonce, f->mrenclave, f->shard),
        ITEE_OK);
    itee_buf_reset(&f->signed_call);
    assert_int_equal(trusted_op_call_signed_put(&f->signed_call, &cs), ITEE_OK);
}

static void test_second_module(void **state)
{
    struct fixture *f = *state;
    struct trusted_op_call_signed cs;
    counter_call(f, 5, 0);
    /* unknown to the built-in schema and to an STF without the module */
    assert_int_equal(
        trusted_op_call_signed_decode(&cs, NULL, f->signed_call.ptr, f->signed_call.len),
        ITEE_ERR_SCALE_VARIANT);
    assert_int_equal(run(f), ITEE_ERR_SCALE_VARIANT);
    /* a module clashing with balances' indices is refused as a whole */
    static const struct stf_call_handler clash_calls[] = {
        {11, "fine", 0, counter_args, counter_exec}, {2, "clash", 0, counter_args, counter_exec}};
    static const struct stf_module clash = {"clash", clash_calls, 2, NULL, 0, NULL, 0, NULL};
    assert_int_equal(stf_register(&f->stf, &clash), ITEE_ERR_STF_MODULE);
    assert_int_equal(stf_register(&f->stf, &counter_module), ITEE_OK);
    assert_int_equal(stf_register(&f->stf, &counter_module), ITEE_ERR_STF_MODULE);
    assert_int_equal(trusted_op_call_signed_decode(&cs, stf_schema(&f->stf), f->signed_call.ptr,
                                                   f->signed_call.len),
                     ITEE_OK);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_OK);
    counter_call(f, 7, 1);
    assert_int_equal(run(f), ITEE_OK);
    static const uint8_t total[] = {0, 10};
    static const uint8_t some_12[] = {1, 4 << 2, 12, 0, 0, 0};
    expect_getter(f, total, sizeof(total), some_12, sizeof(some_12));
    /* a failing handler: its write is undone, the nonce is still consumed */
    size_t log_len = f->out.log.len;
    counter_call(f, 5000, 2);
    assert_int_equal(run(f), ITEE_OK);
    assert_int_equal(f->out.result, ITEE_ERR_STF_OVERFLOW);
    expect_getter(f, total, sizeof(total), some_12, sizeof(some_12));
    assert_int_equal(account(f, BOB).nonce, 3);
    assert_false(log_has(f, log_len, "counter_add 5000"));
    assert_true(log_has(f, log_len, "counter_add failed"));
    /* the built-in calls still dispatch to balances */
    fund_alice(f);
}

/* Every allocation failure during execution leaves state and outcome as they were. */
static void test_oom(void **state)
{
    struct fixture *f = *state;
    fund_alice(f);
    uint8_t beneficiary[32], h0[32], h1[32];
    memset(beneficiary, 0xbe, 32);
    struct trusted_op_call c = {.index = TRUSTED_OP_CALL_UNSHIELD, .amount = UNIT};
    memcpy(c.sender, f->id[ALICE], 32);
    memcpy(c.other, beneficiary, 32);
    memcpy(c.shard, f->shard, 32);
    make_signed(f, &c, ALICE, 1, f->mrenclave, f->shard);
    /* start from an outcome with no spare capacity, so effect and log pushes allocate */
    stf_outcome_free(&f->out);
    hash_of(f, h0);
    long i;
    for (i = 0;; i++) {
        itee_mem_fail_after(i);
        enum itee_err e = run(f);
        itee_mem_fail_after(-1);
        if (e == ITEE_OK)
            break;
        assert_int_equal(e, ITEE_ERR_NOMEM);
        hash_of(f, h1);
        assert_memory_equal(h0, h1, 32);
        assert_int_equal(f->out.n_effects, 0);
        assert_int_equal(f->out.log.len, 0);
        assert_int_equal(account(f, ALICE).nonce, 1);
        assert_true(i < 1000);
    }
    assert_true(i > 3);
    assert_int_equal(f->out.result, ITEE_OK);
    assert_int_equal(f->out.n_effects, 1);
    assert_true(account(f, ALICE).free == 9 * UNIT - 3 * FEE);
    /* and over shielding and getters */
    for (i = 0;; i++) {
        itee_mem_fail_after(i);
        enum itee_err e = stf_shield(&f->stf, f->st, f->shard, f->id[BOB], 5,
                                     TRUSTED_OP_PARENTCHAIN_INTEGRITEE, &f->out);
        itee_mem_fail_after(-1);
        if (e == ITEE_OK)
            break;
        assert_int_equal(e, ITEE_ERR_NOMEM);
        assert_true(account(f, BOB).free == 0);
    }
    assert_true(account(f, BOB).free == 5);
    static const uint8_t some_value[] = {0, 0};
    struct itee_buf out = {0};
    itee_buf_init(&out, 0);
    for (i = 0;; i++) {
        itee_mem_fail_after(i);
        enum itee_err e = stf_get(&f->stf, f->st, some_value, sizeof(some_value), &out);
        itee_mem_fail_after(-1);
        if (e == ITEE_OK)
            break;
        assert_int_equal(e, ITEE_ERR_NOMEM);
        assert_int_equal(out.len, 0);
    }
    assert_int_equal(out.len, 6);
    itee_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_transfer_and_fees, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_transfer_consumes_nonce_and_fee, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rejected_without_effect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_balance_root_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unshield_shield_noop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_getters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_module, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oom, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
