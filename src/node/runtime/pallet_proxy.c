/*
 * pallet_proxy.c - proxies: definitions with reserved deposits, and dispatch as the real
 * account under the proxy type's call filter.
 */
#include "node/runtime/pallet_proxy.h"

#include <string.h>

#include "crypto/hash.h"
#include "node/runtime/pallet_balances.h"
#include "node/runtime/pallet_system.h"
#include "node/runtime/rt_exec.h"

/* Approximate pallet_proxy weights for MaxProxies. */
#define W_PROXY          25000000ULL
#define W_ADD_PROXY      25000000ULL
#define W_REMOVE_PROXY   25000000ULL
#define W_REMOVE_PROXIES 24000000ULL
#define W_CREATE_PURE    25000000ULL
#define W_KILL_PURE      24000000ULL
#define W_ANNOUNCE       33000000ULL
#define W_REMOVE_ANN     20000000ULL
#define W_PROXY_ANN      33000000ULL
#define P_PROXIES        4706ULL
#define P_ANNOUNCEMENTS  5450ULL

enum { EV_EXECUTED = 0, EV_PURE_CREATED = 1, EV_ANNOUNCED = 2, EV_ADDED = 3, EV_REMOVED = 4 };

static enum itee_err proxies_key(struct itee_buf *key, const uint8_t real[RT_ACCOUNT_LEN])
{
    return rt_state_key_map(key, "Proxy", "Proxies", HASH_STORAGE_TWOX64_CONCAT, real,
                            RT_ACCOUNT_LEN);
}

enum itee_err pallet_proxy_get(struct rt_ctx *ctx, const uint8_t real[RT_ACCOUNT_LEN],
                               struct pallet_proxy_def *defs, size_t *n, itee_u128 *deposit)
{
    struct itee_buf key, val;
    itee_buf_init(&key, 0);
    itee_buf_init(&val, 0);
    bool found = false;
    *n = 0;
    *deposit = 0;
    enum itee_err r = proxies_key(&key, real);
    if (r == ITEE_OK)
        r = rt_state_get(ctx->state, key.ptr, key.len, &val, &found);
    if (r == ITEE_OK && found) {
        struct scale_reader rd;
        size_t cnt;
        scale_reader_init(&rd, val.ptr, val.len);
        r = scale_read_len(&rd, &cnt, RT_ACCOUNT_LEN + 5);
        if (r == ITEE_OK && cnt > PALLET_PROXY_MAX_PROXIES)
            r = ITEE_ERR_FORMAT;
        for (size_t i = 0; r == ITEE_OK && i < cnt; i++) {
            r = scale_read_bytes(&rd, defs[i].delegate, RT_ACCOUNT_LEN);
            if (r == ITEE_OK)
                r = scale_read_u8(&rd, &defs[i].proxy_type);
            if (r == ITEE_OK)
                r = scale_read_u32(&rd, &defs[i].delay);
        }
        if (r == ITEE_OK)
            r = scale_read_u128(&rd, deposit);
        if (r == ITEE_OK)
            r = scale_reader_finish(&rd);
        if (r == ITEE_OK)
            *n = cnt;
    }
    itee_buf_free(&key);
    itee_buf_free(&val);
    return r;
}

static enum itee_err proxies_put(struct rt_ctx *ctx, const uint8_t real[RT_ACCOUNT_LEN],
                                 const struct pallet_proxy_def *defs, size_t n, itee_u128 deposit)
{
    struct itee_buf key, val;
    itee_buf_init(&key, 0);
    itee_buf_init(&val, 0);
    enum itee_err r = proxies_key(&key, real);
    if (r == ITEE_OK && n == 0) {
        r = rt_state_remove(ctx->state, key.ptr, key.len);
        goto out;
    }
    if (r == ITEE_OK)
        r = scale_put_compact(&val, n);
    for (size_t i = 0; r == ITEE_OK && i < n; i++) {
        r = scale_put_bytes(&val, defs[i].delegate, RT_ACCOUNT_LEN);
        if (r == ITEE_OK)
            r = scale_put_u8(&val, defs[i].proxy_type);
        if (r == ITEE_OK)
            r = scale_put_u32(&val, defs[i].delay);
    }
    if (r == ITEE_OK)
        r = scale_put_u128(&val, deposit);
    if (r == ITEE_OK)
        r = rt_state_set(ctx->state, key.ptr, key.len, val.ptr, val.len);
out:
    itee_buf_free(&key);
    itee_buf_free(&val);
    return r;
}

static int def_cmp(const struct pallet_proxy_def *a, const struct pallet_proxy_def *b)
{
    int c = memcmp(a->delegate, b->delegate, RT_ACCOUNT_LEN);
    if (c != 0)
        return c;
    if (a->proxy_type != b->proxy_type)
        return a->proxy_type < b->proxy_type ? -1 : 1;
    if (a->delay != b->delay)
        return a->delay < b->delay ? -1 : 1;
    return 0;
}

/* ProxyType::is_superset of the solo node. */
static bool is_superset(uint8_t x, uint8_t y)
{
    if (x == y || x == PALLET_PROXY_ANY)
        return true;
    if (y == PALLET_PROXY_ANY)
        return false;
    return x == PALLET_PROXY_NON_TRANSFER;
}

bool pallet_proxy_filter(uint8_t proxy_type, const struct scale_reader *r)
{
    struct scale_reader c = *r;
    uint8_t pallet, call;
    if (scale_read_u8(&c, &pallet) != ITEE_OK || scale_read_u8(&c, &call) != ITEE_OK)
        return false;
    if (pallet == RT_PALLET_PROXY) {
        if (call == 1 || call == 2) { /* add_proxy / remove_proxy(delegate, proxy_type, ..) */
            uint8_t who[RT_ACCOUNT_LEN], pt;
            bool ok;
            if (pallet_system_read_address(&c, who, &ok) != ITEE_OK ||
                scale_read_u8(&c, &pt) != ITEE_OK)
                return false;
            if (!is_superset(proxy_type, pt))
                return false;
        } else if (call == 3 || call == 5) { /* remove_proxies / kill_pure need Any */
            if (proxy_type != PALLET_PROXY_ANY)
                return false;
        }
    }
    switch (proxy_type) {
    case PALLET_PROXY_ANY:
        return true;
    case PALLET_PROXY_NON_TRANSFER:
        return pallet == RT_PALLET_SYSTEM || pallet == RT_PALLET_TIMESTAMP ||
               pallet == RT_PALLET_GRANDPA || pallet == RT_PALLET_TREASURY ||
               pallet == RT_PALLET_PROXY || pallet == RT_PALLET_MULTISIG;
    case PALLET_PROXY_GOVERNANCE:
        return pallet == RT_PALLET_TREASURY;
    case PALLET_PROXY_CANCEL_PROXY:
        return pallet == RT_PALLET_PROXY && call == 8;
    default:
        return false;
    }
}

static enum itee_err ev_def(struct rt_ctx *ctx, uint8_t variant,
                            const uint8_t delegator[RT_ACCOUNT_LEN],
                            const struct pallet_proxy_def *d)
{
    struct itee_buf b;
    itee_buf_init(&b, 0);
    enum itee_err r = rt_ctx_event_begin(&b, RT_PALLET_PROXY, variant);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, delegator, RT_ACCOUNT_LEN);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, d->delegate, RT_ACCOUNT_LEN);
    if (r == ITEE_OK)
        r = scale_put_u8(&b, d->proxy_type);
    if (r == ITEE_OK)
        r = scale_put_u32(&b, d->delay);
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

static itee_u128 deposit_for(size_t n)
{
    return n == 0 ? 0 : PALLET_PROXY_DEPOSIT_BASE + PALLET_PROXY_DEPOSIT_FACTOR * (itee_u128)n;
}

/* Moves the reserved deposit of who from old to new (reserve more or unreserve the excess). */
static enum itee_err rebalance_deposit(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                       itee_u128 old, itee_u128 nw, struct rt_post *post)
{
    if (nw > old)
        return pallet_balances_reserve(ctx, who, nw - old, post);
    if (nw < old)
        return pallet_balances_unreserve(ctx, who, old - nw, NULL);
    return ITEE_OK;
}

static enum itee_err add_or_remove(struct rt_ctx *ctx, const struct rt_origin *origin, bool add,
                                   const struct pallet_proxy_def *d, struct rt_post *post)
{
    struct pallet_proxy_def defs[PALLET_PROXY_MAX_PROXIES + 1];
    size_t n;
    itee_u128 dep;
    const uint8_t *who = origin->who;
    if (add && memcmp(who, d->delegate, RT_ACCOUNT_LEN) == 0) {
        rt_post_fail(post, rt_derr_module(RT_PALLET_PROXY, PALLET_PROXY_ERR_NO_SELF_PROXY));
        return ITEE_OK;
    }
    enum itee_err r = pallet_proxy_get(ctx, who, defs, &n, &dep);
    if (r != ITEE_OK)
        return r;
    size_t i = 0;
    while (i < n && def_cmp(&defs[i], d) < 0)
        i++;
    bool present = i < n && def_cmp(&defs[i], d) == 0;
    if (add) {
        if (present) {
            rt_post_fail(post, rt_derr_module(RT_PALLET_PROXY, PALLET_PROXY_ERR_DUPLICATE));
            return ITEE_OK;
        }
        if (n >= PALLET_PROXY_MAX_PROXIES) {
            rt_post_fail(post, rt_derr_module(RT_PALLET_PROXY, PALLET_PROXY_ERR_TOO_MANY));
            return ITEE_OK;
        }
        memmove(&defs[i + 1], &defs[i], (n - i) * sizeof(defs[0]));
        defs[i] = *d;
        n++;
    } else {
        if (!present) {
            rt_post_fail(post, rt_derr_module(RT_PALLET_PROXY, PALLET_PROXY_ERR_NOT_FOUND));
            return ITEE_OK;
        }
        memmove(&defs[i], &defs[i + 1], (n - i - 1) * sizeof(defs[0]));
        n--;
    }
    itee_u128 nd = deposit_for(n);
    r = rebalance_deposit(ctx, who, dep, nd, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    r = proxies_put(ctx, who, defs, n, nd);
    if (r != ITEE_OK)
        return r;
    return ev_def(ctx, add ? EV_ADDED : EV_REMOVED, who, d);
}

static enum itee_err read_def(struct scale_reader *args, struct pallet_proxy_def *d, bool *ok)
{
    enum itee_err r = pallet_system_read_address(args, d->delegate, ok);
    if (r == ITEE_OK)
        r = scale_read_u8(args, &d->proxy_type);
    if (r == ITEE_OK && d->proxy_type > PALLET_PROXY_CANCEL_PROXY)
        r = ITEE_ERR_SCALE_VARIANT;
    if (r == ITEE_OK)
        r = scale_read_u32(args, &d->delay);
    return r;
}

static enum itee_err do_proxy(struct rt_ctx *ctx, const struct rt_origin *origin,
                              const struct pallet_proxy_def *def,
                              const uint8_t real[RT_ACCOUNT_LEN], const uint8_t *call,
                              size_t call_len);

/* find_proxy: the first definition of real for delegate (of type force when given). */
static enum itee_err find_proxy(struct rt_ctx *ctx, const uint8_t real[RT_ACCOUNT_LEN],
                                const uint8_t delegate[RT_ACCOUNT_LEN], bool has_force,
                                uint8_t force, struct pallet_proxy_def *out, bool *found)
{
    struct pallet_proxy_def defs[PALLET_PROXY_MAX_PROXIES];
    size_t n;
    itee_u128 dep;
    *found = false;
    enum itee_err r = pallet_proxy_get(ctx, real, defs, &n, &dep);
    for (size_t i = 0; r == ITEE_OK && i < n && !*found; i++)
        if (memcmp(defs[i].delegate, delegate, RT_ACCOUNT_LEN) == 0 &&
            (!has_force || defs[i].proxy_type == force)) {
            *out = defs[i];
            *found = true;
        }
    return r;
}

/* Option<ProxyType>. */
static enum itee_err read_force(struct scale_reader *args, bool *has_force, uint8_t *force)
{
    *force = 0;
    enum itee_err r = scale_read_option(args, has_force);
    if (r == ITEE_OK && *has_force) {
        r = scale_read_u8(args, force);
        if (r == ITEE_OK && *force > PALLET_PROXY_CANCEL_PROXY)
            r = ITEE_ERR_SCALE_VARIANT;
    }
    return r;
}

static enum itee_err call_proxy(struct rt_ctx *ctx, const struct rt_origin *origin,
                                struct scale_reader *args, bool exec, struct rt_info *info,
                                struct rt_post *post)
{
    uint8_t real[RT_ACCOUNT_LEN];
    bool real_ok, has_force;
    uint8_t force = 0;
    enum itee_err r = pallet_system_read_address(args, real, &real_ok);
    if (r == ITEE_OK)
        r = read_force(args, &has_force, &force);
    if (r != ITEE_OK)
        return r;
    size_t start = args->pos;
    struct rt_info ci;
    struct rt_post ignored = {.ok = true};
    r = rt_exec_call(ctx, origin, args, false, &ci, &ignored);
    if (r != ITEE_OK)
        return r;
    size_t end = args->pos;
    info->weight = rt_weight_add(ci.weight, rt_weight_make(W_PROXY, P_PROXIES));
    info->cls = ci.cls;
    if (!exec || !pallet_system_ensure_signed(origin, post))
        return ITEE_OK;
    if (!real_ok) {
        rt_post_fail(post, rt_derr_simple(RT_DERR_CANNOT_LOOKUP));
        return ITEE_OK;
    }
    struct pallet_proxy_def found_def;
    bool found;
    r = find_proxy(ctx, real, origin->who, has_force, force, &found_def, &found);
    if (r != ITEE_OK)
        return r;
    const struct pallet_proxy_def *def = &found_def;
    if (!found) {
        rt_post_fail(post, rt_derr_module(RT_PALLET_PROXY, PALLET_PROXY_ERR_NOT_PROXY));
        return ITEE_OK;
    }
    if (def->delay != 0) {
        rt_post_fail(post, rt_derr_module(RT_PALLET_PROXY, PALLET_PROXY_ERR_UNANNOUNCED));
        return ITEE_OK;
    }
    return do_proxy(ctx, origin, def, real, args->ptr + start, end - start);
}

/* do_proxy: dispatches call as Signed(real) under def's filter; ProxyExecuted{result}. */
static enum itee_err do_proxy(struct rt_ctx *ctx, const struct rt_origin *origin,
                              const struct pallet_proxy_def *def,
                              const uint8_t real[RT_ACCOUNT_LEN], const uint8_t *call,
                              size_t call_len)
{
    /* Dispatch as Signed(real), filtered by the proxy type (on top of any outer filter). */
    struct rt_origin o = *origin;
    memcpy(o.who, real, RT_ACCOUNT_LEN);
    if (o.proxy_filter) {
        /* Nested proxies: FRAME stacks both filters; the solo node's types nest, so the
         * intersection is the narrower one, or nothing (0xff matches no call). */
        if (is_superset(o.proxy_type, def->proxy_type))
            o.proxy_type = def->proxy_type;
        else if (!is_superset(def->proxy_type, o.proxy_type))
            o.proxy_type = 0xff;
    } else {
        o.proxy_filter = true;
        o.proxy_type = def->proxy_type;
    }
    struct scale_reader cr;
    struct rt_info ci;
    scale_reader_init(&cr, call, call_len);
    struct rt_post res = {.ok = true};
    enum itee_err r = rt_exec_call(ctx, &o, &cr, true, &ci, &res);
    if (r != ITEE_OK)
        return r;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    r = rt_ctx_event_begin(&b, RT_PALLET_PROXY, EV_EXECUTED);
    if (r == ITEE_OK)
        r = rt_derr_encode_result(&res, &b);
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

/* ---- pure proxies ---- */

void pallet_proxy_pure_account(uint8_t out[RT_ACCOUNT_LEN], const uint8_t who[RT_ACCOUNT_LEN],
                               uint8_t proxy_type, uint16_t index, uint32_t height,
                               uint32_t ext_index)
{
    uint8_t e[16 + RT_ACCOUNT_LEN + 4 + 4 + 1 + 2];
    uint8_t *p = e;
    memcpy(p, "modlpy/proxy____", 16);
    p += 16;
    memcpy(p, who, RT_ACCOUNT_LEN);
    p += RT_ACCOUNT_LEN;
    for (int i = 0; i < 4; i++)
        *p++ = (uint8_t)(height >> (8 * i));
    for (int i = 0; i < 4; i++)
        *p++ = (uint8_t)(ext_index >> (8 * i));
    *p++ = proxy_type;
    *p++ = (uint8_t)index;
    *p++ = (uint8_t)(index >> 8);
    hash_blake2_256(out, e, sizeof(e));
}

static enum itee_err create_pure(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                 const struct pallet_proxy_def *d, uint16_t index,
                                 struct rt_post *post)
{
    uint8_t pure[RT_ACCOUNT_LEN];
    pallet_proxy_pure_account(pure, who, d->proxy_type, index, ctx->number, ctx->ext_index);
    struct pallet_proxy_def defs[PALLET_PROXY_MAX_PROXIES];
    size_t n;
    itee_u128 dep;
    enum itee_err r = pallet_proxy_get(ctx, pure, defs, &n, &dep);
    if (r != ITEE_OK)
        return r;
    if (n > 0) {
        rt_post_fail(post, rt_derr_module(RT_PALLET_PROXY, PALLET_PROXY_ERR_DUPLICATE));
        return ITEE_OK;
    }
    itee_u128 deposit = PALLET_PROXY_DEPOSIT_BASE + PALLET_PROXY_DEPOSIT_FACTOR;
    r = pallet_balances_reserve(ctx, who, deposit, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    struct pallet_proxy_def def = *d;
    memcpy(def.delegate, who, RT_ACCOUNT_LEN);
    r = proxies_put(ctx, pure, &def, 1, deposit);
    struct itee_buf b;
    itee_buf_init(&b, 0);
    if (r == ITEE_OK)
        r = rt_ctx_event_begin(&b, RT_PALLET_PROXY, EV_PURE_CREATED);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, pure, RT_ACCOUNT_LEN);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, who, RT_ACCOUNT_LEN);
    if (r == ITEE_OK)
        r = scale_put_u8(&b, d->proxy_type);
    if (r == ITEE_OK)
        r = scale_put_u16(&b, index);
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

/* kill_pure: the caller must be the pure account spawner created at (height, ext_index). */
static enum itee_err kill_pure(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                               const uint8_t spawner[RT_ACCOUNT_LEN], uint8_t proxy_type,
                               uint16_t index, uint32_t height, uint32_t ext_index,
                               struct rt_post *post)
{
    uint8_t pure[RT_ACCOUNT_LEN];
    pallet_proxy_pure_account(pure, spawner, proxy_type, index, height, ext_index);
    if (memcmp(pure, who, RT_ACCOUNT_LEN) != 0) {
        rt_post_fail(post, rt_derr_module(RT_PALLET_PROXY, PALLET_PROXY_ERR_NO_PERMISSION));
        return ITEE_OK;
    }
    struct pallet_proxy_def defs[PALLET_PROXY_MAX_PROXIES];
    size_t n;
    itee_u128 dep;
    enum itee_err r = pallet_proxy_get(ctx, who, defs, &n, &dep);
    if (r == ITEE_OK)
        r = proxies_put(ctx, who, defs, 0, 0);
    if (r == ITEE_OK && dep > 0)
        r = pallet_balances_unreserve(ctx, spawner, dep, NULL);
    return r;
}

/* ---- announcements ---- */

static enum itee_err ann_key(struct itee_buf *key, const uint8_t who[RT_ACCOUNT_LEN])
{
    return rt_state_key_map(key, "Proxy", "Announcements", HASH_STORAGE_TWOX64_CONCAT, who,
                            RT_ACCOUNT_LEN);
}

enum itee_err pallet_proxy_announcements_get(struct rt_ctx *ctx,
                                             const uint8_t delegate[RT_ACCOUNT_LEN],
                                             struct pallet_proxy_announcement *anns, size_t *n,
                                             itee_u128 *deposit)
{
    struct itee_buf key, val;
    itee_buf_init(&key, 0);
    itee_buf_init(&val, 0);
    bool found = false;
    *n = 0;
    *deposit = 0;
    enum itee_err r = ann_key(&key, delegate);
    if (r == ITEE_OK)
        r = rt_state_get(ctx->state, key.ptr, key.len, &val, &found);
    if (r == ITEE_OK && found) {
        struct scale_reader rd;
        size_t cnt;
        scale_reader_init(&rd, val.ptr, val.len);
        r = scale_read_len(&rd, &cnt, RT_ACCOUNT_LEN + 36);
        if (r == ITEE_OK && cnt > PALLET_PROXY_MAX_PENDING)
            r = ITEE_ERR_FORMAT;
        for (size_t i = 0; r == ITEE_OK && i < cnt; i++) {
            r = scale_read_bytes(&rd, anns[i].real, RT_ACCOUNT_LEN);
            if (r == ITEE_OK)
                r = scale_read_bytes(&rd, anns[i].call_hash, 32);
            if (r == ITEE_OK)
                r = scale_read_u32(&rd, &anns[i].height);
        }
        if (r == ITEE_OK)
            r = scale_read_u128(&rd, deposit);
        if (r == ITEE_OK)
            r = scale_reader_finish(&rd);
        if (r == ITEE_OK)
            *n = cnt;
    }
    itee_buf_free(&key);
    itee_buf_free(&val);
    return r;
}

/* rejig_deposit + write (or remove when empty) Announcements(who). */
static enum itee_err ann_put(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                             const struct pallet_proxy_announcement *anns, size_t n,
                             itee_u128 old_deposit, struct rt_post *post)
{
    itee_u128 nd = n == 0 ? 0
                          : PALLET_PROXY_ANNOUNCEMENT_DEPOSIT_BASE +
                                PALLET_PROXY_ANNOUNCEMENT_DEPOSIT_FACTOR * (itee_u128)n;
    enum itee_err r = rebalance_deposit(ctx, who, old_deposit, nd, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    struct itee_buf key, val;
    itee_buf_init(&key, 0);
    itee_buf_init(&val, 0);
    r = ann_key(&key, who);
    if (r == ITEE_OK && n == 0) {
        r = rt_state_remove(ctx->state, key.ptr, key.len);
        goto out;
    }
    if (r == ITEE_OK)
        r = scale_put_compact(&val, n);
    for (size_t i = 0; r == ITEE_OK && i < n; i++) {
        r = scale_put_bytes(&val, anns[i].real, RT_ACCOUNT_LEN);
        if (r == ITEE_OK)
            r = scale_put_bytes(&val, anns[i].call_hash, 32);
        if (r == ITEE_OK)
            r = scale_put_u32(&val, anns[i].height);
    }
    if (r == ITEE_OK)
        r = scale_put_u128(&val, nd);
    if (r == ITEE_OK)
        r = rt_state_set(ctx->state, key.ptr, key.len, val.ptr, val.len);
out:
    itee_buf_free(&key);
    itee_buf_free(&val);
    return r;
}

static enum itee_err announce(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                              const uint8_t real[RT_ACCOUNT_LEN], const uint8_t call_hash[32],
                              struct rt_post *post)
{
    struct pallet_proxy_def def;
    bool found;
    enum itee_err r = find_proxy(ctx, real, who, false, 0, &def, &found);
    if (r != ITEE_OK)
        return r;
    if (!found) {
        rt_post_fail(post, rt_derr_module(RT_PALLET_PROXY, PALLET_PROXY_ERR_NOT_PROXY));
        return ITEE_OK;
    }
    struct pallet_proxy_announcement anns[PALLET_PROXY_MAX_PENDING + 1];
    size_t n;
    itee_u128 dep;
    r = pallet_proxy_announcements_get(ctx, who, anns, &n, &dep);
    if (r != ITEE_OK)
        return r;
    if (n >= PALLET_PROXY_MAX_PENDING) {
        rt_post_fail(post, rt_derr_module(RT_PALLET_PROXY, PALLET_PROXY_ERR_TOO_MANY));
        return ITEE_OK;
    }
    memcpy(anns[n].real, real, RT_ACCOUNT_LEN);
    memcpy(anns[n].call_hash, call_hash, 32);
    anns[n].height = ctx->number;
    r = ann_put(ctx, who, anns, n + 1, dep, post);
    if (r != ITEE_OK || !post->ok)
        return r;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    r = rt_ctx_event_begin(&b, RT_PALLET_PROXY, EV_ANNOUNCED);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, real, RT_ACCOUNT_LEN);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, who, RT_ACCOUNT_LEN);
    if (r == ITEE_OK)
        r = scale_put_bytes(&b, call_hash, 32);
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

/*
 * edit_announcements: drops delegate's announcements for (real, call_hash) that are at least
 * min_age blocks old; none dropped is NotFound (or `none_err`).
 */
static enum itee_err edit_announcements(struct rt_ctx *ctx, const uint8_t delegate[RT_ACCOUNT_LEN],
                                        const uint8_t real[RT_ACCOUNT_LEN],
                                        const uint8_t call_hash[32], uint32_t min_age,
                                        uint8_t none_err, struct rt_post *post)
{
    struct pallet_proxy_announcement anns[PALLET_PROXY_MAX_PENDING];
    size_t n, w = 0;
    itee_u128 dep;
    enum itee_err r = pallet_proxy_announcements_get(ctx, delegate, anns, &n, &dep);
    if (r != ITEE_OK)
        return r;
    for (size_t i = 0; i < n; i++) {
        uint32_t age = ctx->number > anns[i].height ? ctx->number - anns[i].height : 0;
        bool drop = memcmp(anns[i].real, real, RT_ACCOUNT_LEN) == 0 &&
                    memcmp(anns[i].call_hash, call_hash, 32) == 0 && age >= min_age;
        if (!drop)
            anns[w++] = anns[i];
    }
    if (w == n) {
        rt_post_fail(post, rt_derr_module(RT_PALLET_PROXY, none_err));
        return ITEE_OK;
    }
    return ann_put(ctx, delegate, anns, w, dep, post);
}

static enum itee_err call_proxy_announced(struct rt_ctx *ctx, const struct rt_origin *origin,
                                          struct scale_reader *args, bool exec,
                                          struct rt_info *info, struct rt_post *post)
{
    uint8_t delegate[RT_ACCOUNT_LEN], real[RT_ACCOUNT_LEN], force = 0;
    bool d_ok, r_ok, has_force;
    enum itee_err r = pallet_system_read_address(args, delegate, &d_ok);
    if (r == ITEE_OK)
        r = pallet_system_read_address(args, real, &r_ok);
    if (r == ITEE_OK)
        r = read_force(args, &has_force, &force);
    if (r != ITEE_OK)
        return r;
    size_t start = args->pos;
    struct rt_info ci;
    struct rt_post ignored = {.ok = true};
    r = rt_exec_call(ctx, origin, args, false, &ci, &ignored);
    if (r != ITEE_OK)
        return r;
    info->weight = rt_weight_add(ci.weight, rt_weight_make(W_PROXY_ANN, P_ANNOUNCEMENTS));
    info->cls = ci.cls;
    if (!exec || !pallet_system_ensure_signed(origin, post))
        return ITEE_OK;
    if (!d_ok || !r_ok) {
        rt_post_fail(post, rt_derr_simple(RT_DERR_CANNOT_LOOKUP));
        return ITEE_OK;
    }
    struct pallet_proxy_def def;
    bool found;
    r = find_proxy(ctx, real, delegate, has_force, force, &def, &found);
    if (r != ITEE_OK)
        return r;
    if (!found) {
        rt_post_fail(post, rt_derr_module(RT_PALLET_PROXY, PALLET_PROXY_ERR_NOT_PROXY));
        return ITEE_OK;
    }
    const uint8_t *call = args->ptr + start;
    size_t call_len = args->pos - start;
    uint8_t call_hash[32];
    hash_blake2_256(call_hash, call, call_len);
    r = edit_announcements(ctx, delegate, real, call_hash, def.delay, PALLET_PROXY_ERR_UNANNOUNCED,
                           post);
    if (r != ITEE_OK || !post->ok)
        return r;
    return do_proxy(ctx, origin, &def, real, call, call_len);
}

/* Calls 4..8 (pure proxies, announcements). */
static enum itee_err dispatch_more(struct rt_ctx *ctx, const struct rt_origin *origin,
                                   uint8_t call_index, struct scale_reader *args, bool exec,
                                   struct rt_info *info, struct rt_post *post)
{
    uint8_t acc[RT_ACCOUNT_LEN], hash[32];
    struct pallet_proxy_def d;
    uint16_t index = 0;
    uint32_t height = 0, ext_index = 0;
    bool ok = true;
    enum itee_err r;
    memset(&d, 0, sizeof(d));
    if (call_index == 4) { /* create_pure(proxy_type, delay, index) */
        r = scale_read_u8(args, &d.proxy_type);
        if (r == ITEE_OK && d.proxy_type > PALLET_PROXY_CANCEL_PROXY)
            r = ITEE_ERR_SCALE_VARIANT;
        if (r == ITEE_OK)
            r = scale_read_u32(args, &d.delay);
        if (r == ITEE_OK)
            r = scale_read_u16(args, &index);
        info->weight = rt_weight_make(W_CREATE_PURE, P_PROXIES);
    } else if (call_index == 5) { /* kill_pure(spawner, proxy_type, index, height, ext_index) */
        r = pallet_system_read_address(args, acc, &ok);
        if (r == ITEE_OK)
            r = scale_read_u8(args, &d.proxy_type);
        if (r == ITEE_OK && d.proxy_type > PALLET_PROXY_CANCEL_PROXY)
            r = ITEE_ERR_SCALE_VARIANT;
        if (r == ITEE_OK)
            r = scale_read_u16(args, &index);
        if (r == ITEE_OK)
            r = scale_read_compact_u32(args, &height);
        if (r == ITEE_OK)
            r = scale_read_compact_u32(args, &ext_index);
        info->weight = rt_weight_make(W_KILL_PURE, P_PROXIES);
    } else { /* announce / remove_announcement (real, hash), reject_announcement (delegate, hash) */
        r = pallet_system_read_address(args, acc, &ok);
        if (r == ITEE_OK)
            r = scale_read_bytes(args, hash, 32);
        info->weight = rt_weight_make(call_index == 6 ? W_ANNOUNCE : W_REMOVE_ANN, P_ANNOUNCEMENTS);
    }
    if (r != ITEE_OK)
        return r;
    if (!exec || !pallet_system_ensure_signed(origin, post))
        return ITEE_OK;
    if (!ok) {
        rt_post_fail(post, rt_derr_simple(RT_DERR_CANNOT_LOOKUP));
        return ITEE_OK;
    }
    switch (call_index) {
    case 4:
        return create_pure(ctx, origin->who, &d, index, post);
    case 5:
        return kill_pure(ctx, origin->who, acc, d.proxy_type, index, height, ext_index, post);
    case 6:
        return announce(ctx, origin->who, acc, hash, post);
    case 7:
        return edit_announcements(ctx, origin->who, acc, hash, 0, PALLET_PROXY_ERR_NOT_FOUND, post);
    default: /* 8: the real account rejects delegate acc's announcement */
        return edit_announcements(ctx, acc, origin->who, hash, 0, PALLET_PROXY_ERR_NOT_FOUND, post);
    }
}

enum itee_err pallet_proxy_dispatch(struct rt_ctx *ctx, const struct rt_origin *origin,
                                    uint8_t call_index, struct scale_reader *args, bool exec,
                                    struct rt_info *info, struct rt_post *post)
{
    struct pallet_proxy_def d;
    bool ok = true;
    enum itee_err r;
    switch (call_index) {
    case 0:
        return call_proxy(ctx, origin, args, exec, info, post);
    case 1:
    case 2:
        memset(&d, 0, sizeof(d));
        r = read_def(args, &d, &ok);
        if (r != ITEE_OK)
            return r;
        info->weight = rt_weight_make(call_index == 1 ? W_ADD_PROXY : W_REMOVE_PROXY, P_PROXIES);
        if (!exec || !pallet_system_ensure_signed(origin, post))
            return ITEE_OK;
        if (!ok) {
            rt_post_fail(post, rt_derr_simple(RT_DERR_CANNOT_LOOKUP));
            return ITEE_OK;
        }
        return add_or_remove(ctx, origin, call_index == 1, &d, post);
    case 3: { /* remove_proxies() */
        info->weight = rt_weight_make(W_REMOVE_PROXIES, P_PROXIES);
        if (!exec || !pallet_system_ensure_signed(origin, post))
            return ITEE_OK;
        struct pallet_proxy_def defs[PALLET_PROXY_MAX_PROXIES];
        size_t n;
        itee_u128 dep;
        r = pallet_proxy_get(ctx, origin->who, defs, &n, &dep);
        if (r == ITEE_OK)
            r = pallet_balances_unreserve(ctx, origin->who, dep, NULL);
        if (r == ITEE_OK)
            r = proxies_put(ctx, origin->who, defs, 0, 0);
        return r;
    }
    case 4:
    case 5:
    case 6:
    case 7:
    case 8:
        return dispatch_more(ctx, origin, call_index, args, exec, info, post);
    case 9:
        return call_proxy_announced(ctx, origin, args, exec, info, post);
    default:
        return ITEE_ERR_SCALE_VARIANT;
    }
}
