/*
 * pallet_balances.c - balances over System.Account, following pallet_balances' fungible
 * implementation step by step (can_withdraw / can_deposit / reducible_balance /
 * try_mutate_account) so that errors, events and refcounts match FRAME.
 */
#include "node/runtime/pallet_balances.h"

#include <string.h>

#include "node/runtime/pallet_system.h"
#include "node/runtime/rt_exec.h"

/* Approximate pallet_balances SubstrateWeight values (ref_time ps, proof bytes). */
#define W_TRANSFER_ALLOW_DEATH 50000000ULL
#define W_TRANSFER_KEEP_ALIVE  40000000ULL
#define W_FORCE_TRANSFER       52000000ULL
#define W_TRANSFER_ALL         48000000ULL
#define W_FORCE_UNRESERVE      17000000ULL
#define W_UPGRADE_ACCOUNT      16000000ULL
#define W_FORCE_SET_BALANCE    15000000ULL
#define W_ADJUST_ISSUANCE      6500000ULL
#define W_BURN                 30000000ULL
#define P_ONE_ACCOUNT          3593ULL
#define P_TWO_ACCOUNTS         6196ULL

static const uint8_t PALLET = RT_PALLET_BALANCES;

enum itee_err pallet_balances_total_issuance(struct rt_ctx *ctx, itee_u128 *out)
{
    uint8_t key[32];
    struct itee_buf v;
    itee_buf_init(&v, 64);
    bool found;
    *out = 0;
    rt_state_key_value(key, "Balances", "TotalIssuance");
    enum itee_err r = rt_state_get(ctx->state, key, 32, &v, &found);
    if (r == ITEE_OK && found) {
        struct scale_reader rd;
        scale_reader_init(&rd, v.ptr, v.len);
        r = scale_read_u128(&rd, out);
    }
    itee_buf_free(&v);
    return r;
}

enum itee_err pallet_balances_set_total_issuance(struct rt_ctx *ctx, itee_u128 v)
{
    uint8_t key[32], enc[16];
    for (int i = 0; i < 16; i++)
        enc[i] = (uint8_t)(v >> (8 * i));
    rt_state_key_value(key, "Balances", "TotalIssuance");
    return rt_state_set(ctx->state, key, 32, enc, 16);
}

static enum itee_err issuance_sub(struct rt_ctx *ctx, itee_u128 amount)
{
    itee_u128 ti;
    enum itee_err r = pallet_balances_total_issuance(ctx, &ti);
    if (r != ITEE_OK || amount == 0)
        return r;
    return pallet_balances_set_total_issuance(ctx, ti > amount ? ti - amount : 0);
}

static enum itee_err issuance_add(struct rt_ctx *ctx, itee_u128 amount)
{
    itee_u128 ti;
    enum itee_err r = pallet_balances_total_issuance(ctx, &ti);
    if (r != ITEE_OK || amount == 0)
        return r;
    itee_u128 n = ti + amount;
    return pallet_balances_set_total_issuance(ctx, n < ti ? ITEE_U128_MAX : n);
}

/* Event with (account, amount) fields. */
static enum itee_err ev_who_amount(struct rt_ctx *ctx, uint8_t variant,
                                   const uint8_t who[RT_ACCOUNT_LEN], itee_u128 amount)
{
    struct itee_buf b;
    itee_buf_init(&b, 0);
    enum itee_err r = rt_ctx_event_begin(&b, PALLET, variant);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, who, RT_ACCOUNT_LEN);
    if (r == ITEE_OK)
        r = scale_put_u128(&b, amount);
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

enum itee_err pallet_balances_reducible(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                        enum pallet_balances_preservation p, bool force,
                                        itee_u128 *out)
{
    struct pallet_system_account a;
    *out = 0;
    enum itee_err r = pallet_system_account_get(ctx, who, &a, NULL);
    if (r != ITEE_OK)
        return r;
    itee_u128 untouchable = 0;
    if (!force) /* freezes apply to the total; held funds count against them */
        untouchable = a.frozen > a.reserved ? a.frozen - a.reserved : 0;
    bool need_ed =
        p == PALLET_BALANCES_PRESERVE ||
        (p == PALLET_BALANCES_PROTECT && a.free != 0 && a.providers == 1) ||
        (p == PALLET_BALANCES_EXPENDABLE && a.free != 0 && !(a.consumers == 0 || a.providers > 1));
    if (need_ed && untouchable < PALLET_BALANCES_ED)
        untouchable = PALLET_BALANCES_ED;
    *out = a.free > untouchable ? a.free - untouchable : 0;
    return ITEE_OK;
}

/*
 * try_mutate_account: sets (free, reserved) of who, maintaining provider / consumer refs,
 * reaping dust (burned: DustRemoval is ()), and emitting Endowed / DustLost.
 */
static enum itee_err mutate_account(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                    itee_u128 new_free, itee_u128 new_reserved,
                                    struct rt_post *post)
{
    struct pallet_system_account a;
    enum itee_err r = pallet_system_account_get(ctx, who, &a, NULL);
    if (r != ITEE_OK)
        return r;
    bool is_new = pallet_system_data_is_default(&a);
    bool did_provide = a.free >= PALLET_BALANCES_ED;
    bool did_consume = !is_new && (a.reserved != 0 || a.frozen != 0);
    struct pallet_system_account d = a; /* the new AccountData */
    d.free = new_free;
    d.reserved = new_reserved;
    bool does_provide = d.free >= PALLET_BALANCES_ED;
    bool does_consume = d.reserved != 0 || d.frozen != 0;
    if (!did_provide && does_provide && (r = pallet_system_inc_providers(ctx, who)) != ITEE_OK)
        return r;
    if (did_consume && !does_consume && (r = pallet_system_dec_consumers(ctx, who)) != ITEE_OK)
        return r;
    if (!did_consume && does_consume) {
        r = pallet_system_inc_consumers(ctx, who, post);
        if (r != ITEE_OK || !post->ok)
            return r;
    }
    if (did_provide && !does_provide) {
        r = pallet_system_dec_providers(ctx, who, post);
        if (r != ITEE_OK || !post->ok)
            return r;
    }
    itee_u128 dust = 0;
    bool keep = true;
    if (d.free < PALLET_BALANCES_ED && d.reserved == 0) {
        dust = d.free;
        keep = false;
    }
    /* StoredMap::try_mutate_exists: the refcount calls above may have changed the account. */
    struct pallet_system_account now;
    r = pallet_system_account_get(ctx, who, &now, NULL);
    if (r != ITEE_OK)
        return r;
    if (now.providers > 0 || now.sufficients > 0) {
        if (keep) {
            now.free = d.free;
            now.reserved = d.reserved;
            now.frozen = d.frozen;
            now.flags = d.flags;
        } else {
            struct pallet_system_account def;
            pallet_system_account_default(&def);
            now.free = def.free;
            now.reserved = def.reserved;
            now.frozen = def.frozen;
            now.flags = def.flags;
        }
        r = pallet_system_account_put(ctx, who, &now);
    } else {
        r = pallet_system_account_remove(ctx, who);
    }
    if (r == ITEE_OK && is_new)
        r = ev_who_amount(ctx, PALLET_BALANCES_EV_ENDOWED, who, d.free);
    if (r == ITEE_OK && dust != 0) {
        r = ev_who_amount(ctx, PALLET_BALANCES_EV_DUST_LOST, who, dust);
        if (r == ITEE_OK)
            r = issuance_sub(ctx, dust);
    }
    return r;
}

/* fungible::Inspect::can_withdraw(..).into_result(keep_nonzero). */
static enum itee_err can_withdraw(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                  itee_u128 amount, bool keep_nonzero, struct rt_post *post)
{
    if (amount == 0)
        return ITEE_OK;
    itee_u128 ti, liquid;
    struct pallet_system_account a;
    enum itee_err r = pallet_balances_total_issuance(ctx, &ti);
    if (r == ITEE_OK)
        r = pallet_system_account_get(ctx, who, &a, NULL);
    if (r == ITEE_OK)
        r = pallet_balances_reducible(ctx, who, PALLET_BALANCES_EXPENDABLE, false, &liquid);
    if (r != ITEE_OK)
        return r;
    if (ti < amount) {
        rt_post_fail(post, rt_derr_arith(RT_ARITH_UNDERFLOW));
        return ITEE_OK;
    }
    if (a.free < amount) {
        rt_post_fail(post, rt_derr_token(RT_TOKEN_FUNDS_UNAVAILABLE));
        return ITEE_OK;
    }
    itee_u128 new_free = a.free - amount;
    if (amount > liquid) {
        rt_post_fail(post, rt_derr_token(RT_TOKEN_FROZEN));
        return ITEE_OK;
    }
    bool reduced_to_zero = false;
    if (new_free < PALLET_BALANCES_ED) {
        if (!(a.consumers == 0 || a.providers > 1)) {
            rt_post_fail(post, rt_derr_token(RT_TOKEN_ONLY_PROVIDER));
            return ITEE_OK;
        }
        reduced_to_zero = true;
    }
    if (new_free + a.reserved < a.frozen) {
        rt_post_fail(post, rt_derr_token(RT_TOKEN_FROZEN));
        return ITEE_OK;
    }
    if (reduced_to_zero && keep_nonzero)
        rt_post_fail(post, rt_derr_token(RT_TOKEN_NOT_EXPENDABLE));
    return ITEE_OK;
}

/* fungible::Inspect::can_deposit(.., Extant).into_result(). */
static enum itee_err can_deposit(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                 itee_u128 amount, struct rt_post *post)
{
    if (amount == 0)
        return ITEE_OK;
    struct pallet_system_account a;
    enum itee_err r = pallet_system_account_get(ctx, who, &a, NULL);
    if (r != ITEE_OK)
        return r;
    itee_u128 nf = a.free + amount;
    if (nf < a.free || nf + a.reserved < nf)
        rt_post_fail(post, rt_derr_arith(RT_ARITH_OVERFLOW));
    else if (nf < PALLET_BALANCES_ED)
        rt_post_fail(post, rt_derr_token(RT_TOKEN_BELOW_MINIMUM));
    return ITEE_OK;
}

/* Unbalanced::decrease_balance(Exact). Out: *taken. */
static enum itee_err decrease_balance(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                      itee_u128 amount, enum pallet_balances_preservation p,
                                      struct rt_post *post)
{
    itee_u128 reducible;
    struct pallet_system_account a;
    enum itee_err r = pallet_balances_reducible(ctx, who, p, false, &reducible);
    if (r == ITEE_OK)
        r = pallet_system_account_get(ctx, who, &a, NULL);
    if (r != ITEE_OK)
        return r;
    if (reducible < amount || a.free < amount) {
        rt_post_fail(post, rt_derr_token(RT_TOKEN_FUNDS_UNAVAILABLE));
        return ITEE_OK;
    }
    return mutate_account(ctx, who, a.free - amount, a.reserved, post);
}

/* Unbalanced::increase_balance. Out: *added. */
static enum itee_err increase_balance(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                      itee_u128 amount, bool best_effort, itee_u128 *added,
                                      struct rt_post *post)
{
    struct pallet_system_account a;
    *added = 0;
    enum itee_err r = pallet_system_account_get(ctx, who, &a, NULL);
    if (r != ITEE_OK)
        return r;
    itee_u128 nb = a.free + amount;
    if (nb < a.free) {
        if (!best_effort) {
            rt_post_fail(post, rt_derr_arith(RT_ARITH_OVERFLOW));
            return ITEE_OK;
        }
        nb = ITEE_U128_MAX;
    }
    if (nb < PALLET_BALANCES_ED) {
        if (!best_effort)
            rt_post_fail(post, rt_derr_token(RT_TOKEN_BELOW_MINIMUM));
        return ITEE_OK;
    }
    if (nb == a.free)
        return ITEE_OK;
    r = mutate_account(ctx, who, nb, a.reserved, post);
    if (r == ITEE_OK && post->ok)
        *added = nb - a.free;
    return r;
}

enum itee_err pallet_balances_transfer(struct rt_ctx *ctx, const uint8_t from[RT_ACCOUNT_LEN],
                                       const uint8_t to[RT_ACCOUNT_LEN], itee_u128 amount,
                                       enum pallet_balances_preservation p, struct rt_post *post)
{
    enum itee_err r = can_withdraw(ctx, from, amount, p != PALLET_BALANCES_EXPENDABLE, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    r = can_deposit(ctx, to, amount, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    if (memcmp(from, to, RT_ACCOUNT_LEN) == 0)
        return ITEE_OK;
    r = decrease_balance(ctx, from, amount, p, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    /* Best effort, as FRAME: can_deposit already vouched for it. */
    struct rt_post ignored = {.ok = true};
    itee_u128 added;
    r = increase_balance(ctx, to, amount, true, &added, &ignored);
    if (r != ITEE_OK)
        return r;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    r = rt_ctx_event_begin(&b, PALLET, PALLET_BALANCES_EV_TRANSFER);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, from, RT_ACCOUNT_LEN);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, to, RT_ACCOUNT_LEN);
    if (r == ITEE_OK)
        r = scale_put_u128(&b, amount);
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

enum itee_err pallet_balances_withdraw(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                       itee_u128 amount, enum pallet_balances_preservation p,
                                       struct rt_post *post)
{
    if (amount == 0)
        return ITEE_OK;
    enum itee_err r = decrease_balance(ctx, who, amount, p, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    return ev_who_amount(ctx, PALLET_BALANCES_EV_WITHDRAW, who, amount);
}

enum itee_err pallet_balances_deposit(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                      itee_u128 amount, bool best_effort, itee_u128 *deposited,
                                      struct rt_post *post)
{
    itee_u128 added = 0;
    if (deposited != NULL)
        *deposited = 0;
    enum itee_err r = increase_balance(ctx, who, amount, best_effort, &added, post);
    if (r != ITEE_OK || !post->ok || added == 0)
        return r;
    if (deposited != NULL)
        *deposited = added;
    return ev_who_amount(ctx, PALLET_BALANCES_EV_DEPOSIT, who, added);
}

enum itee_err pallet_balances_reserve(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                      itee_u128 amount, struct rt_post *post)
{
    if (amount == 0)
        return ITEE_OK;
    struct pallet_system_account a;
    enum itee_err r = pallet_system_account_get(ctx, who, &a, NULL);
    if (r != ITEE_OK)
        return r;
    if (a.free < amount) {
        rt_post_fail(post, rt_derr_module(PALLET, PALLET_BALANCES_ERR_INSUFFICIENT_BALANCE));
        return ITEE_OK;
    }
    if (a.reserved + amount < a.reserved) {
        rt_post_fail(post, rt_derr_arith(RT_ARITH_OVERFLOW));
        return ITEE_OK;
    }
    /* ensure_can_withdraw: the new free balance must cover the freeze not held. */
    itee_u128 min = a.frozen > a.reserved ? a.frozen - a.reserved : 0;
    if (a.free - amount < min) {
        rt_post_fail(post, rt_derr_module(PALLET, PALLET_BALANCES_ERR_LIQUIDITY_RESTRICTIONS));
        return ITEE_OK;
    }
    r = mutate_account(ctx, who, a.free - amount, a.reserved + amount, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    return ev_who_amount(ctx, PALLET_BALANCES_EV_RESERVED, who, amount);
}

enum itee_err pallet_balances_unreserve(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                        itee_u128 amount, itee_u128 *remaining)
{
    if (remaining != NULL)
        *remaining = amount;
    if (amount == 0)
        return ITEE_OK;
    struct pallet_system_account a;
    bool exists;
    enum itee_err r = pallet_system_account_get(ctx, who, &a, &exists);
    if (r != ITEE_OK || !exists)
        return r;
    itee_u128 actual = a.reserved < amount ? a.reserved : amount;
    itee_u128 nf = a.free + actual;
    if (nf < a.free)
        nf = ITEE_U128_MAX;
    struct rt_post p = {.ok = true};
    r = mutate_account(ctx, who, nf, a.reserved - actual, &p);
    if (r != ITEE_OK)
        return r;
    if (!p.ok)
        return ITEE_OK; /* FRAME ignores the failure and unreserves nothing */
    if (remaining != NULL)
        *remaining = amount - actual;
    return actual ? ev_who_amount(ctx, PALLET_BALANCES_EV_UNRESERVED, who, actual) : ITEE_OK;
}

/* burn_from(Exact, Polite) + Burned event. */
static enum itee_err burn_from(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                               itee_u128 amount, enum pallet_balances_preservation p,
                               struct rt_post *post)
{
    itee_u128 reducible, ti;
    enum itee_err r = pallet_balances_reducible(ctx, who, p, false, &reducible);
    if (r == ITEE_OK)
        r = pallet_balances_total_issuance(ctx, &ti);
    if (r != ITEE_OK)
        return r;
    if (reducible < amount) {
        rt_post_fail(post, rt_derr_token(RT_TOKEN_FUNDS_UNAVAILABLE));
        return ITEE_OK;
    }
    if (ti < amount) {
        rt_post_fail(post, rt_derr_arith(RT_ARITH_OVERFLOW));
        return ITEE_OK;
    }
    r = decrease_balance(ctx, who, amount, p, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    r = issuance_sub(ctx, amount);
    return r != ITEE_OK ? r : ev_who_amount(ctx, PALLET_BALANCES_EV_BURNED, who, amount);
}

static enum itee_err force_set_balance(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                       itee_u128 new_free, struct rt_post *post)
{
    if (new_free < PALLET_BALANCES_ED)
        new_free = 0;
    struct pallet_system_account a;
    enum itee_err r = pallet_system_account_get(ctx, who, &a, NULL);
    if (r != ITEE_OK)
        return r;
    itee_u128 old_free = a.free;
    r = mutate_account(ctx, who, new_free, a.reserved, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    /* The Currency imbalances' drop handlers square up the issuance and say so. */
    if (new_free > old_free) {
        r = issuance_add(ctx, new_free - old_free);
        if (r == ITEE_OK) {
            struct itee_buf b;
            itee_buf_init(&b, 0);
            r = rt_ctx_event_begin(&b, PALLET, PALLET_BALANCES_EV_ISSUED);
            if (r == ITEE_OK)
                r = scale_put_u128(&b, new_free - old_free);
            if (r == ITEE_OK)
                r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
            itee_buf_free(&b);
        }
    } else if (new_free < old_free) {
        r = issuance_sub(ctx, old_free - new_free);
        if (r == ITEE_OK) {
            struct itee_buf b;
            itee_buf_init(&b, 0);
            r = rt_ctx_event_begin(&b, PALLET, PALLET_BALANCES_EV_RESCINDED);
            if (r == ITEE_OK)
                r = scale_put_u128(&b, old_free - new_free);
            if (r == ITEE_OK)
                r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
            itee_buf_free(&b);
        }
    }
    if (r == ITEE_OK)
        r = ev_who_amount(ctx, PALLET_BALANCES_EV_BALANCE_SET, who, new_free);
    return r;
}

static enum itee_err adjust_issuance(struct rt_ctx *ctx, uint8_t direction, itee_u128 delta,
                                     struct rt_post *post)
{
    if (delta == 0) {
        rt_post_fail(post, rt_derr_module(PALLET, PALLET_BALANCES_ERR_DELTA_ZERO));
        return ITEE_OK;
    }
    itee_u128 old, nw;
    enum itee_err r = pallet_balances_total_issuance(ctx, &old);
    if (r != ITEE_OK)
        return r;
    if (direction == 0) {
        nw = old + delta;
        if (nw < old) {
            rt_post_fail(post, rt_derr_arith(RT_ARITH_OVERFLOW));
            return ITEE_OK;
        }
    } else {
        if (old < delta) {
            rt_post_fail(post, rt_derr_arith(RT_ARITH_UNDERFLOW));
            return ITEE_OK;
        }
        nw = old - delta;
    }
    /* InactiveIssuance is never set in this runtime (0), so IssuanceDeactivated cannot occur. */
    r = pallet_balances_set_total_issuance(ctx, nw);
    struct itee_buf b;
    itee_buf_init(&b, 0);
    if (r == ITEE_OK)
        r = rt_ctx_event_begin(&b, PALLET, PALLET_BALANCES_EV_ISSUANCE_FORCED);
    if (r == ITEE_OK)
        r = scale_put_u128(&b, old);
    if (r == ITEE_OK)
        r = scale_put_u128(&b, nw);
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

static void cannot_lookup(struct rt_post *post)
{
    rt_post_fail(post, rt_derr_simple(RT_DERR_CANNOT_LOOKUP));
}

enum itee_err pallet_balances_dispatch(struct rt_ctx *ctx, const struct rt_origin *origin,
                                       uint8_t call_index, struct scale_reader *args, bool exec,
                                       struct rt_info *info, struct rt_post *post)
{
    uint8_t src[RT_ACCOUNT_LEN], dest[RT_ACCOUNT_LEN];
    bool src_ok = true, dest_ok = true, flag;
    itee_u128 value;
    enum itee_err r;
    switch (call_index) {
    case 0: /* transfer_allow_death(dest, Compact value) */
    case 3: /* transfer_keep_alive(dest, Compact value) */
        r = pallet_system_read_address(args, dest, &dest_ok);
        if (r == ITEE_OK)
            r = scale_read_compact_u128(args, &value);
        if (r != ITEE_OK)
            return r;
        info->weight = rt_weight_make(
            call_index == 0 ? W_TRANSFER_ALLOW_DEATH : W_TRANSFER_KEEP_ALIVE, P_ONE_ACCOUNT);
        if (!exec || !pallet_system_ensure_signed(origin, post))
            return ITEE_OK;
        if (!dest_ok) {
            cannot_lookup(post);
            return ITEE_OK;
        }
        return pallet_balances_transfer(
            ctx, origin->who, dest, value,
            call_index == 0 ? PALLET_BALANCES_EXPENDABLE : PALLET_BALANCES_PRESERVE, post);
    case 2: /* force_transfer(source, dest, Compact value), Root */
        r = pallet_system_read_address(args, src, &src_ok);
        if (r == ITEE_OK)
            r = pallet_system_read_address(args, dest, &dest_ok);
        if (r == ITEE_OK)
            r = scale_read_compact_u128(args, &value);
        if (r != ITEE_OK)
            return r;
        info->weight = rt_weight_make(W_FORCE_TRANSFER, P_TWO_ACCOUNTS);
        if (!exec || !pallet_system_ensure_root(origin, post))
            return ITEE_OK;
        if (!src_ok || !dest_ok) {
            cannot_lookup(post);
            return ITEE_OK;
        }
        return pallet_balances_transfer(ctx, src, dest, value, PALLET_BALANCES_EXPENDABLE, post);
    case 4: /* transfer_all(dest, keep_alive: bool) */
        r = pallet_system_read_address(args, dest, &dest_ok);
        if (r == ITEE_OK)
            r = scale_read_bool(args, &flag);
        if (r != ITEE_OK)
            return r;
        info->weight = rt_weight_make(W_TRANSFER_ALL, P_ONE_ACCOUNT);
        if (!exec || !pallet_system_ensure_signed(origin, post))
            return ITEE_OK;
        if (!dest_ok) {
            cannot_lookup(post);
            return ITEE_OK;
        }
        {
            enum pallet_balances_preservation p =
                flag ? PALLET_BALANCES_PRESERVE : PALLET_BALANCES_EXPENDABLE;
            r = pallet_balances_reducible(ctx, origin->who, p, false, &value);
            if (r != ITEE_OK)
                return r;
            return pallet_balances_transfer(ctx, origin->who, dest, value, p, post);
        }
    case 5: /* force_unreserve(who, amount: u128), Root */
        r = pallet_system_read_address(args, dest, &dest_ok);
        if (r == ITEE_OK)
            r = scale_read_u128(args, &value);
        if (r != ITEE_OK)
            return r;
        info->weight = rt_weight_make(W_FORCE_UNRESERVE, P_ONE_ACCOUNT);
        if (!exec || !pallet_system_ensure_root(origin, post))
            return ITEE_OK;
        if (!dest_ok) {
            cannot_lookup(post);
            return ITEE_OK;
        }
        return pallet_balances_unreserve(ctx, dest, value, NULL);
    case 6: { /* upgrade_accounts(who: Vec<AccountId>): every account here is new-logic */
        size_t n;
        struct itee_slice s;
        r = scale_read_len(args, &n, RT_ACCOUNT_LEN);
        if (r == ITEE_OK)
            r = scale_read_slice(args, n * RT_ACCOUNT_LEN, &s);
        if (r != ITEE_OK)
            return r;
        info->weight = rt_weight_make(W_UPGRADE_ACCOUNT * n, P_ONE_ACCOUNT * n);
        if (exec)
            (void)pallet_system_ensure_signed(origin, post);
        return ITEE_OK;
    }
    case 8: /* force_set_balance(who, Compact new_free), Root */
        r = pallet_system_read_address(args, dest, &dest_ok);
        if (r == ITEE_OK)
            r = scale_read_compact_u128(args, &value);
        if (r != ITEE_OK)
            return r;
        info->weight = rt_weight_make(W_FORCE_SET_BALANCE, P_ONE_ACCOUNT);
        if (!exec || !pallet_system_ensure_root(origin, post))
            return ITEE_OK;
        if (!dest_ok) {
            cannot_lookup(post);
            return ITEE_OK;
        }
        return force_set_balance(ctx, dest, value, post);
    case 9: { /* force_adjust_total_issuance(direction: Increase=0|Decrease=1, Compact delta) */
        uint8_t dir;
        r = scale_read_u8(args, &dir);
        if (r == ITEE_OK && dir > 1)
            r = ITEE_ERR_SCALE_VARIANT;
        if (r == ITEE_OK)
            r = scale_read_compact_u128(args, &value);
        if (r != ITEE_OK)
            return r;
        info->weight = rt_weight_make(W_ADJUST_ISSUANCE, 0);
        if (!exec || !pallet_system_ensure_root(origin, post))
            return ITEE_OK;
        return adjust_issuance(ctx, dir, value, post);
    }
    case 10: /* burn(Compact value, keep_alive: bool) */
        r = scale_read_compact_u128(args, &value);
        if (r == ITEE_OK)
            r = scale_read_bool(args, &flag);
        if (r != ITEE_OK)
            return r;
        info->weight = rt_weight_make(W_BURN, P_ONE_ACCOUNT);
        if (!exec || !pallet_system_ensure_signed(origin, post))
            return ITEE_OK;
        return burn_from(ctx, origin->who, value,
                         flag ? PALLET_BALANCES_PRESERVE : PALLET_BALANCES_EXPENDABLE, post);
    default:
        return ITEE_ERR_SCALE_VARIANT;
    }
}
