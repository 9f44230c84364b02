/*
 * stf_balances.c - the balances module (stf_balances.h): handlers for the era-B TrustedCall and
 * getter variants, on top of the engine's account helpers.
 */
#include "stf_balances.h"

#include <string.h>

#include "chain/trusted_op.h"
#include "codec/scale.h"
#include "common/int128.h"
#include "crypto/hash.h"

static void root_key(uint8_t out[32])
{
    hash_storage_prefix(out, "Sudo", "Key");
}

static void timestamp_key(uint8_t out[33], uint8_t parentchain)
{
    /* one Now per parentchain: the prefix of Timestamp::Now, then the ParentchainId */
    hash_storage_prefix(out, "Timestamp", "Now");
    out[32] = parentchain;
}

enum itee_err stf_balances_set_root(struct stf_state *st, const uint8_t root[32])
{
    uint8_t key[32];
    root_key(key);
    return stf_state_put(st, key, sizeof(key), root, 32);
}

enum itee_err stf_balances_root(const struct stf_state *st, uint8_t root[32])
{
    uint8_t key[32];
    struct itee_slice v;
    memset(root, 0, 32);
    root_key(key);
    if (stf_state_get(st, key, sizeof(key), &v) != ITEE_OK)
        return ITEE_ERR_NOENT;
    if (v.len != 32)
        return ITEE_ERR_STF_STATE;
    memcpy(root, v.ptr, 32);
    return ITEE_OK;
}

enum itee_err stf_balances_timestamp(const struct stf_state *st, uint8_t parentchain,
                                     uint64_t *moment)
{
    uint8_t key[33];
    struct itee_slice v;
    struct scale_reader r;
    *moment = 0;
    timestamp_key(key, parentchain);
    if (stf_state_get(st, key, sizeof(key), &v) != ITEE_OK)
        return ITEE_OK;
    scale_reader_init(&r, v.ptr, v.len);
    if (scale_read_u64(&r, moment) != ITEE_OK || scale_reader_finish(&r) != ITEE_OK) {
        *moment = 0;
        return ITEE_ERR_STF_STATE;
    }
    return ITEE_OK;
}

/* The decoded built-in call (the engine already checked its shape). */
static enum itee_err decoded(const struct stf_call *c, struct trusted_op_call *call)
{
    enum itee_err e = trusted_op_call_decode(call, c->call);
    /* the engine read this exact shape before dispatching; anything else is a bug */
    return e == ITEE_OK ? ITEE_OK : ITEE_ERR_INTERNAL;
}

static bool is_enclave(const struct stf_call *c)
{
    return memcmp(c->sender, stf_enclave_account(c->stf), 32) == 0;
}

static enum itee_err exec_noop(struct stf_call *c)
{
    return stf_log(c, "noop by %02x%02x..", c->sender[0], c->sender[1]);
}

static enum itee_err exec_set_balance(struct stf_call *c)
{
    struct trusted_op_call call;
    struct stf_account a;
    uint8_t root[32];
    char f[ITEE_U128_DEC_MAX], r[ITEE_U128_DEC_MAX];
    enum itee_err e = decoded(c, &call);
    if (e != ITEE_OK)
        return e;
    e = stf_balances_root(c->state, root);
    if (e == ITEE_ERR_NOENT || (e == ITEE_OK && memcmp(root, c->sender, 32) != 0))
        return ITEE_ERR_STF_ORIGIN;
    if (e == ITEE_OK)
        e = stf_state_account_get(c->state, call.other, &a);
    if (e != ITEE_OK)
        return e;
    a.free = call.amount;
    a.reserved = call.reserved;
    stf_account_settle(&a);
    e = stf_state_account_put(c->state, call.other, &a);
    if (e != ITEE_OK)
        return e;
    return stf_log(c, "balance_set_balance %02x%02x.. free %s reserved %s", call.other[0],
                   call.other[1], itee_u128_to_dec(f, call.amount),
                   itee_u128_to_dec(r, call.reserved));
}

static enum itee_err exec_transfer(struct stf_call *c)
{
    struct trusted_op_call call;
    char amount[ITEE_U128_DEC_MAX];
    enum itee_err e = decoded(c, &call);
    if (e == ITEE_OK)
        e = stf_transfer(c->state, call.sender, call.other, call.amount);
    if (e != ITEE_OK)
        return e;
    return stf_log(c, "balance_transfer %02x%02x.. -> %02x%02x.. %s", call.sender[0],
                   call.sender[1], call.other[0], call.other[1],
                   itee_u128_to_dec(amount, call.amount));
}

static enum itee_err exec_unshield(struct stf_call *c)
{
    struct trusted_op_call call;
    struct stf_account a;
    struct stf_effect fx = {0};
    char amount[ITEE_U128_DEC_MAX];
    enum itee_err e = decoded(c, &call);
    if (e != ITEE_OK)
        return e;
    if (memcmp(call.shard, c->shard, 32) != 0)
        return ITEE_ERR_STF_SHARD;
    e = stf_state_account_get(c->state, call.sender, &a);
    if (e != ITEE_OK)
        return e;
    if (a.free < a.frozen || a.free - a.frozen < call.amount)
        return ITEE_ERR_STF_FUNDS;
    a.free -= call.amount;
    stf_account_settle(&a);
    e = stf_state_account_put(c->state, call.sender, &a);
    if (e != ITEE_OK)
        return e;
    fx.kind = STF_EFFECT_UNSHIELD;
    memcpy(fx.shard, call.shard, 32);
    memcpy(fx.beneficiary, call.other, 32);
    fx.amount = call.amount;
    memcpy(fx.call_hash, c->payout_id, 32);
    e = stf_effect_push(c, &fx);
    if (e != ITEE_OK)
        return e;
    return stf_log(c, "balance_unshield %02x%02x.. -> L1 %02x%02x.. %s", call.sender[0],
                   call.sender[1], call.other[0], call.other[1],
                   itee_u128_to_dec(amount, call.amount));
}

static enum itee_err exec_shield(struct stf_call *c)
{
    struct trusted_op_call call;
    struct stf_account a;
    char amount[ITEE_U128_DEC_MAX];
    enum itee_err e = decoded(c, &call);
    if (e != ITEE_OK)
        return e;
    if (!is_enclave(c))
        return ITEE_ERR_STF_ORIGIN;
    e = stf_state_account_get(c->state, call.other, &a);
    if (e != ITEE_OK)
        return e;
    if (a.free > ITEE_U128_MAX - call.amount)
        return ITEE_ERR_STF_OVERFLOW;
    a.free += call.amount;
    stf_account_settle(&a);
    e = stf_state_account_put(c->state, call.other, &a);
    if (e != ITEE_OK)
        return e;
    return stf_log(c, "balance_shield %02x%02x.. %s (parentchain %u)", call.other[0], call.other[1],
                   itee_u128_to_dec(amount, call.amount), (unsigned)call.parentchain);
}

static enum itee_err exec_timestamp_set(struct stf_call *c)
{
    struct trusted_op_call call;
    uint8_t key[33], v[8];
    enum itee_err e = decoded(c, &call);
    if (e != ITEE_OK)
        return e;
    if (!is_enclave(c))
        return ITEE_ERR_STF_ORIGIN;
    timestamp_key(key, (uint8_t)call.parentchain);
    for (int i = 0; i < 8; i++)
        v[i] = (uint8_t)(call.moment >> (8 * i));
    return stf_state_put(c->state, key, sizeof(key), v, sizeof(v));
}

static enum itee_err get_some_value(const struct stf_getter *g, struct itee_buf *value, bool *some)
{
    (void)g;
    *some = true;
    return scale_put_u32(value, 42);
}

/* The account a trusted getter names (its only argument). */
static enum itee_err getter_account(const struct stf_getter *g, struct stf_account *a)
{
    uint8_t who[32];
    struct scale_reader r = g->args;
    enum itee_err e = scale_read_bytes(&r, who, sizeof(who));
    if (e != ITEE_OK)
        return e;
    return stf_state_account_get(g->state, who, a);
}

static enum itee_err get_free(const struct stf_getter *g, struct itee_buf *value, bool *some)
{
    struct stf_account a;
    enum itee_err e = getter_account(g, &a);
    *some = e == ITEE_OK;
    return e == ITEE_OK ? scale_put_u128(value, a.free) : e;
}

static enum itee_err get_reserved(const struct stf_getter *g, struct itee_buf *value, bool *some)
{
    struct stf_account a;
    enum itee_err e = getter_account(g, &a);
    *some = e == ITEE_OK;
    return e == ITEE_OK ? scale_put_u128(value, a.reserved) : e;
}

static enum itee_err get_nonce(const struct stf_getter *g, struct itee_buf *value, bool *some)
{
    struct stf_account a;
    enum itee_err e = getter_account(g, &a);
    *some = e == ITEE_OK;
    return e == ITEE_OK ? scale_put_u32(value, a.nonce) : e;
}

static const struct stf_call_handler calls[] = {
    {TRUSTED_OP_CALL_NOOP, "noop", 0, trusted_op_builtin_call_args, exec_noop},
    {TRUSTED_OP_CALL_SET_BALANCE, "balance_set_balance", 0, trusted_op_builtin_call_args,
     exec_set_balance},
    {TRUSTED_OP_CALL_TRANSFER, "balance_transfer", STF_BALANCES_FEE, trusted_op_builtin_call_args,
     exec_transfer},
    {TRUSTED_OP_CALL_UNSHIELD, "balance_unshield", 3 * STF_BALANCES_FEE,
     trusted_op_builtin_call_args, exec_unshield},
    {TRUSTED_OP_CALL_SHIELD, "balance_shield", 0, trusted_op_builtin_call_args, exec_shield},
    {TRUSTED_OP_CALL_TIMESTAMP_SET, "timestamp_set", 0, trusted_op_builtin_call_args,
     exec_timestamp_set},
};

static const struct stf_getter_handler public_getters[] = {
    {TRUSTED_OP_PUBLIC_SOME_VALUE, "some_value", trusted_op_builtin_public_getter_args,
     get_some_value},
};

static const struct stf_getter_handler trusted_getters[] = {
    {TRUSTED_OP_TRUSTED_FREE_BALANCE, "free_balance", trusted_op_builtin_trusted_getter_args,
     get_free},
    {TRUSTED_OP_TRUSTED_RESERVED_BALANCE, "reserved_balance",
     trusted_op_builtin_trusted_getter_args, get_reserved},
    {TRUSTED_OP_TRUSTED_NONCE, "nonce", trusted_op_builtin_trusted_getter_args, get_nonce},
};

static const struct stf_module balances_module = {
    "balances",
    calls,
    sizeof(calls) / sizeof(calls[0]),
    public_getters,
    sizeof(public_getters) / sizeof(public_getters[0]),
    trusted_getters,
    sizeof(trusted_getters) / sizeof(trusted_getters[0]),
    NULL};

const struct stf_module *stf_balances_module(void)
{
    return &balances_module;
}
