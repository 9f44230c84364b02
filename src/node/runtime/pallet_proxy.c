/*
 * pallet_proxy.c - proxies: definitions with reserved deposits, and dispatch as the real
 * account under the proxy type's call filter.
 */
#include "node/runtime/pallet_proxy.h"

#include <string.h>

#include "node/runtime/pallet_balances.h"
#include "node/runtime/pallet_system.h"
#include "node/runtime/rt_exec.h"

/* Approximate pallet_proxy weights for MaxProxies. */
#define W_PROXY          25000000ULL
#define W_ADD_PROXY      25000000ULL
#define W_REMOVE_PROXY   25000000ULL
#define W_REMOVE_PROXIES 24000000ULL
#define P_PROXIES        4706ULL

enum { EV_EXECUTED = 0, EV_ADDED = 3, EV_REMOVED = 4 };

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

static enum itee_err call_proxy(struct rt_ctx *ctx, const struct rt_origin *origin,
                                struct scale_reader *args, bool exec, struct rt_info *info,
                                struct rt_post *post)
{
    uint8_t real[RT_ACCOUNT_LEN];
    bool real_ok, has_force;
    uint8_t force = 0;
    enum itee_err r = pallet_system_read_address(args, real, &real_ok);
    if (r == ITEE_OK)
        r = scale_read_option(args, &has_force);
    if (r == ITEE_OK && has_force) {
        r = scale_read_u8(args, &force);
        if (r == ITEE_OK && force > PALLET_PROXY_CANCEL_PROXY)
            r = ITEE_ERR_SCALE_VARIANT;
    }
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
    struct pallet_proxy_def defs[PALLET_PROXY_MAX_PROXIES];
    size_t n;
    itee_u128 dep;
    r = pallet_proxy_get(ctx, real, defs, &n, &dep);
    if (r != ITEE_OK)
        return r;
    const struct pallet_proxy_def *def = NULL;
    for (size_t i = 0; i < n && def == NULL; i++)
        if (memcmp(defs[i].delegate, origin->who, RT_ACCOUNT_LEN) == 0 &&
            (!has_force || defs[i].proxy_type == force))
            def = &defs[i];
    if (def == NULL) {
        rt_post_fail(post, rt_derr_module(RT_PALLET_PROXY, PALLET_PROXY_ERR_NOT_PROXY));
        return ITEE_OK;
    }
    if (def->delay != 0) {
        rt_post_fail(post, rt_derr_module(RT_PALLET_PROXY, PALLET_PROXY_ERR_UNANNOUNCED));
        return ITEE_OK;
    }
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
    scale_reader_init(&cr, args->ptr + start, end - start);
    struct rt_post res = {.ok = true};
    r = rt_exec_call(ctx, &o, &cr, true, &ci, &res);
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
    default:
        /* create_pure, kill_pure, announcements: not implemented; refused, never faked. */
        return call_index <= 9 ? ITEE_ERR_UNSUPPORTED : ITEE_ERR_SCALE_VARIANT;
    }
}
