/*
 * pallet_system.c - frame_system: accounts, reference counts, origins, remark & storage calls.
 */
#include "node/runtime/pallet_system.h"

#include <string.h>

#include "crypto/hash.h"
#include "node/runtime/rt_exec.h"

/* Approximate frame_system weights (ref_time ps); see the report for their source. */
#define W_REMARK_BASE    2000000ULL
#define W_REMARK_PER_B   400ULL
#define W_SET_HEAP_PAGES 3000000ULL
#define W_SET_CODE       100000000000ULL
#define W_STORAGE_ITEM   1500000ULL
#define W_REMARK_EVENT   8000000ULL
#define W_REMARK_EV_B    1400ULL

enum { EV_SUCCESS = 0, EV_FAILED = 1, EV_NEW_ACCOUNT = 3, EV_KILLED_ACCOUNT = 4, EV_REMARKED = 5 };

static void put_u32le(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u128le(uint8_t *p, itee_u128 v)
{
    for (int i = 0; i < 16; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void pallet_system_account_default(struct pallet_system_account *a)
{
    memset(a, 0, sizeof(*a));
    a->flags = PALLET_SYSTEM_IS_NEW_LOGIC;
}

bool pallet_system_data_is_default(const struct pallet_system_account *a)
{
    return a->free == 0 && a->reserved == 0 && a->frozen == 0 &&
           a->flags == PALLET_SYSTEM_IS_NEW_LOGIC;
}

void pallet_system_account_encode(const struct pallet_system_account *a,
                                  uint8_t out[PALLET_SYSTEM_ACCOUNT_LEN])
{
    put_u32le(out, a->nonce);
    put_u32le(out + 4, a->consumers);
    put_u32le(out + 8, a->providers);
    put_u32le(out + 12, a->sufficients);
    put_u128le(out + 16, a->free);
    put_u128le(out + 32, a->reserved);
    put_u128le(out + 48, a->frozen);
    put_u128le(out + 64, a->flags);
}

enum itee_err pallet_system_account_decode(struct pallet_system_account *a, const uint8_t *p,
                                           size_t len)
{
    struct scale_reader r;
    scale_reader_init(&r, p, len);
    enum itee_err e = scale_read_u32(&r, &a->nonce);
    if (e == ITEE_OK)
        e = scale_read_u32(&r, &a->consumers);
    if (e == ITEE_OK)
        e = scale_read_u32(&r, &a->providers);
    if (e == ITEE_OK)
        e = scale_read_u32(&r, &a->sufficients);
    if (e == ITEE_OK)
        e = scale_read_u128(&r, &a->free);
    if (e == ITEE_OK)
        e = scale_read_u128(&r, &a->reserved);
    if (e == ITEE_OK)
        e = scale_read_u128(&r, &a->frozen);
    if (e == ITEE_OK)
        e = scale_read_u128(&r, &a->flags);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    return e;
}

enum itee_err pallet_system_account_key(struct itee_buf *key, const uint8_t who[RT_ACCOUNT_LEN])
{
    return rt_state_key_map(key, "System", "Account", HASH_STORAGE_BLAKE2_128_CONCAT, who,
                            RT_ACCOUNT_LEN);
}

enum itee_err pallet_system_account_get(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                        struct pallet_system_account *a, bool *exists)
{
    struct itee_buf key, val;
    itee_buf_init(&key, 0);
    itee_buf_init(&val, 0);
    bool found = false;
    pallet_system_account_default(a);
    enum itee_err r = pallet_system_account_key(&key, who);
    if (r == ITEE_OK)
        r = rt_state_get(ctx->state, key.ptr, key.len, &val, &found);
    if (r == ITEE_OK && found)
        r = pallet_system_account_decode(a, val.ptr, val.len);
    if (exists != NULL)
        *exists = found;
    itee_buf_free(&key);
    itee_buf_free(&val);
    return r;
}

enum itee_err pallet_system_account_put(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                        const struct pallet_system_account *a)
{
    struct itee_buf key;
    itee_buf_init(&key, 0);
    uint8_t enc[PALLET_SYSTEM_ACCOUNT_LEN];
    pallet_system_account_encode(a, enc);
    enum itee_err r = pallet_system_account_key(&key, who);
    if (r == ITEE_OK)
        r = rt_state_set(ctx->state, key.ptr, key.len, enc, sizeof(enc));
    itee_buf_free(&key);
    return r;
}

enum itee_err pallet_system_account_remove(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN])
{
    struct itee_buf key;
    itee_buf_init(&key, 0);
    enum itee_err r = pallet_system_account_key(&key, who);
    if (r == ITEE_OK)
        r = rt_state_remove(ctx->state, key.ptr, key.len);
    itee_buf_free(&key);
    return r;
}

static enum itee_err account_event(struct rt_ctx *ctx, uint8_t variant,
                                   const uint8_t who[RT_ACCOUNT_LEN])
{
    uint8_t ev[2 + RT_ACCOUNT_LEN];
    ev[0] = RT_PALLET_SYSTEM;
    ev[1] = variant;
    memcpy(ev + 2, who, RT_ACCOUNT_LEN);
    return rt_ctx_deposit_event(ctx, ev, sizeof(ev));
}

enum itee_err pallet_system_inc_providers(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN])
{
    struct pallet_system_account a;
    enum itee_err r = pallet_system_account_get(ctx, who, &a, NULL);
    if (r != ITEE_OK)
        return r;
    bool created = a.providers == 0 && a.sufficients == 0;
    a.providers = created ? 1 : a.providers + 1;
    r = pallet_system_account_put(ctx, who, &a);
    if (r == ITEE_OK && created)
        r = account_event(ctx, EV_NEW_ACCOUNT, who);
    return r;
}

enum itee_err pallet_system_dec_providers(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                          struct rt_post *post)
{
    struct pallet_system_account a;
    bool exists;
    enum itee_err r = pallet_system_account_get(ctx, who, &a, &exists);
    if (r != ITEE_OK || !exists)
        return r;
    if (a.providers == 0) /* FRAME logs this as a bug and treats it as 1 */
        a.providers = 1;
    if (a.providers == 1 && a.consumers == 0 && a.sufficients == 0) {
        r = pallet_system_account_remove(ctx, who);
        return r != ITEE_OK ? r : account_event(ctx, EV_KILLED_ACCOUNT, who);
    }
    if (a.providers == 1 && a.consumers > 0) {
        rt_post_fail(post, rt_derr_simple(RT_DERR_CONSUMER_REMAINING));
        return ITEE_OK;
    }
    a.providers--;
    return pallet_system_account_put(ctx, who, &a);
}

enum itee_err pallet_system_inc_consumers(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                          struct rt_post *post)
{
    struct pallet_system_account a;
    enum itee_err r = pallet_system_account_get(ctx, who, &a, NULL);
    if (r != ITEE_OK)
        return r;
    if (a.providers == 0) {
        rt_post_fail(post, rt_derr_simple(RT_DERR_NO_PROVIDERS));
        return ITEE_OK;
    }
    if (a.consumers >= PALLET_SYSTEM_MAX_CONSUMERS) {
        rt_post_fail(post, rt_derr_simple(RT_DERR_TOO_MANY_CONSUMERS));
        return ITEE_OK;
    }
    a.consumers++;
    return pallet_system_account_put(ctx, who, &a);
}

enum itee_err pallet_system_dec_consumers(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN])
{
    struct pallet_system_account a;
    bool exists;
    enum itee_err r = pallet_system_account_get(ctx, who, &a, &exists);
    if (r != ITEE_OK || !exists || a.consumers == 0)
        return r;
    a.consumers--;
    return pallet_system_account_put(ctx, who, &a);
}

enum itee_err pallet_system_can_dec_provider(struct rt_ctx *ctx, const uint8_t who[RT_ACCOUNT_LEN],
                                             bool *can)
{
    struct pallet_system_account a;
    enum itee_err r = pallet_system_account_get(ctx, who, &a, NULL);
    *can = r == ITEE_OK && (a.consumers == 0 || a.providers > 1);
    return r;
}

bool pallet_system_ensure_signed(const struct rt_origin *origin, struct rt_post *post)
{
    if (origin->kind == RT_ORIGIN_SIGNED)
        return true;
    rt_post_fail(post, rt_derr_simple(RT_DERR_BAD_ORIGIN));
    return false;
}

bool pallet_system_ensure_root(const struct rt_origin *origin, struct rt_post *post)
{
    if (origin->kind == RT_ORIGIN_ROOT)
        return true;
    rt_post_fail(post, rt_derr_simple(RT_DERR_BAD_ORIGIN));
    return false;
}

bool pallet_system_ensure_none(const struct rt_origin *origin, struct rt_post *post)
{
    if (origin->kind == RT_ORIGIN_NONE)
        return true;
    rt_post_fail(post, rt_derr_simple(RT_DERR_BAD_ORIGIN));
    return false;
}

enum itee_err pallet_system_read_address(struct scale_reader *r, uint8_t who[RT_ACCOUNT_LEN],
                                         bool *resolved)
{
    uint8_t tag;
    struct itee_slice s;
    *resolved = false;
    memset(who, 0, RT_ACCOUNT_LEN);
    enum itee_err e = scale_read_u8(r, &tag);
    if (e != ITEE_OK)
        return e;
    switch (tag) {
    case 0: /* Id(AccountId32) */
        e = scale_read_bytes(r, who, RT_ACCOUNT_LEN);
        *resolved = e == ITEE_OK;
        return e;
    case 1: /* Index(Compact<()>): encodes as nothing; AccountIndex () resolves nothing */
        return ITEE_OK;
    case 2: /* Raw(Vec<u8>) */
        return scale_read_vec_u8(r, &s);
    case 3: /* Address32 */
        return scale_read_slice(r, 32, &s);
    case 4: /* Address20 */
        return scale_read_slice(r, 20, &s);
    default:
        return ITEE_ERR_SCALE_VARIANT;
    }
}

enum itee_err pallet_system_note_applied(struct rt_ctx *ctx, bool ok, const struct rt_derr *err,
                                         const struct rt_weight *weight, enum rt_class cls,
                                         enum rt_pays pays)
{
    struct itee_buf b;
    itee_buf_init(&b, 0);
    enum itee_err r = rt_ctx_event_begin(&b, RT_PALLET_SYSTEM, ok ? EV_SUCCESS : EV_FAILED);
    if (r == ITEE_OK && !ok)
        r = rt_derr_encode(err, &b);
    if (r == ITEE_OK)
        r = rt_weight_encode(weight, &b);
    if (r == ITEE_OK)
        r = scale_put_u8(&b, (uint8_t)cls);
    if (r == ITEE_OK)
        r = scale_put_u8(&b, (uint8_t)pays);
    if (r == ITEE_OK)
        r = rt_ctx_deposit_event(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

/* remark / remark_with_event: Vec<u8>. */
static enum itee_err call_remark(struct rt_ctx *ctx, const struct rt_origin *origin,
                                 struct scale_reader *args, bool exec, bool with_event,
                                 struct rt_info *info, struct rt_post *post)
{
    struct itee_slice rem;
    enum itee_err r = scale_read_vec_u8(args, &rem);
    if (r != ITEE_OK)
        return r;
    info->weight = with_event ? rt_weight_make(W_REMARK_EVENT + W_REMARK_EV_B * rem.len, 0)
                              : rt_weight_make(W_REMARK_BASE + W_REMARK_PER_B * rem.len, 0);
    if (!exec)
        return ITEE_OK;
    /* remark takes any origin (ensure_signed_or_root); remark_with_event needs Signed. */
    if (!with_event) {
        if (origin->kind == RT_ORIGIN_NONE)
            rt_post_fail(post, rt_derr_simple(RT_DERR_BAD_ORIGIN));
        return ITEE_OK;
    }
    if (!pallet_system_ensure_signed(origin, post))
        return ITEE_OK;
    uint8_t ev[2 + 32 + 32];
    ev[0] = RT_PALLET_SYSTEM;
    ev[1] = EV_REMARKED;
    memcpy(ev + 2, origin->who, 32);
    hash_blake2_256(ev + 34, rem.ptr, rem.len);
    return rt_ctx_deposit_event(ctx, ev, sizeof(ev));
}

/* set_storage: Vec<(Vec<u8>, Vec<u8>)>, Root. */
static enum itee_err call_set_storage(struct rt_ctx *ctx, const struct rt_origin *origin,
                                      struct scale_reader *args, bool exec, struct rt_info *info,
                                      struct rt_post *post)
{
    size_t n;
    enum itee_err r = scale_read_len(args, &n, 2);
    if (r != ITEE_OK)
        return r;
    size_t start = args->pos;
    for (size_t i = 0; i < n && r == ITEE_OK; i++) {
        struct itee_slice k, v;
        r = scale_read_vec_u8(args, &k);
        if (r == ITEE_OK)
            r = scale_read_vec_u8(args, &v);
    }
    if (r != ITEE_OK)
        return r;
    info->cls = RT_CLASS_OPERATIONAL;
    info->weight = rt_weight_make(W_STORAGE_ITEM * n, 0);
    if (!exec || !pallet_system_ensure_root(origin, post))
        return ITEE_OK;
    struct scale_reader again;
    scale_reader_init(&again, args->ptr + start, args->pos - start);
    for (size_t i = 0; i < n && r == ITEE_OK; i++) {
        struct itee_slice k, v;
        r = scale_read_vec_u8(&again, &k);
        if (r == ITEE_OK)
            r = scale_read_vec_u8(&again, &v);
        if (r == ITEE_OK)
            r = rt_state_set(ctx->state, k.ptr, k.len, v.ptr, v.len);
    }
    return r;
}

/* kill_storage: Vec<Vec<u8>>, Root. */
static enum itee_err call_kill_storage(struct rt_ctx *ctx, const struct rt_origin *origin,
                                       struct scale_reader *args, bool exec, struct rt_info *info,
                                       struct rt_post *post)
{
    size_t n;
    enum itee_err r = scale_read_len(args, &n, 1);
    if (r != ITEE_OK)
        return r;
    size_t start = args->pos;
    for (size_t i = 0; i < n && r == ITEE_OK; i++) {
        struct itee_slice k;
        r = scale_read_vec_u8(args, &k);
    }
    if (r != ITEE_OK)
        return r;
    info->cls = RT_CLASS_OPERATIONAL;
    info->weight = rt_weight_make(W_STORAGE_ITEM * n, 0);
    if (!exec || !pallet_system_ensure_root(origin, post))
        return ITEE_OK;
    struct scale_reader again;
    scale_reader_init(&again, args->ptr + start, args->pos - start);
    for (size_t i = 0; i < n && r == ITEE_OK; i++) {
        struct itee_slice k;
        r = scale_read_vec_u8(&again, &k);
        if (r == ITEE_OK)
            r = rt_state_remove(ctx->state, k.ptr, k.len);
    }
    return r;
}

enum itee_err pallet_system_dispatch(struct rt_ctx *ctx, const struct rt_origin *origin,
                                     uint8_t call_index, struct scale_reader *args, bool exec,
                                     struct rt_info *info, struct rt_post *post)
{
    struct itee_slice s;
    uint64_t u64v;
    uint32_t u32v;
    enum itee_err r;
    switch (call_index) {
    case 0:
        return call_remark(ctx, origin, args, exec, false, info, post);
    case 1: /* set_heap_pages(pages: u64), Root: accepted, stored under :heappages */
        r = scale_read_u64(args, &u64v);
        if (r != ITEE_OK)
            return r;
        info->cls = RT_CLASS_OPERATIONAL;
        info->weight = rt_weight_make(W_SET_HEAP_PAGES, 0);
        if (exec && pallet_system_ensure_root(origin, post)) {
            uint8_t v[8];
            for (int i = 0; i < 8; i++)
                v[i] = (uint8_t)(u64v >> (8 * i));
            return rt_state_set(ctx->state, (const uint8_t *)":heappages", 10, v, 8);
        }
        return ITEE_OK;
    case 2:
    case 3:
    case 11: /* set_code / set_code_without_checks / apply_authorized_upgrade(code) */
        r = scale_read_vec_u8(args, &s);
        if (r != ITEE_OK)
            return r;
        info->cls = RT_CLASS_OPERATIONAL;
        info->weight = rt_weight_make(W_SET_CODE, 0);
        /* No wasm executor: a runtime upgrade can never be valid here. */
        if (exec && (call_index == 11 || pallet_system_ensure_root(origin, post)))
            rt_post_fail(post,
                         rt_derr_module(RT_PALLET_SYSTEM,
                                        call_index == 11
                                            ? PALLET_SYSTEM_ERR_NOTHING_AUTHORIZED
                                            : PALLET_SYSTEM_ERR_FAILED_TO_EXTRACT_RUNTIME_VERSION));
        return ITEE_OK;
    case 4:
        return call_set_storage(ctx, origin, args, exec, info, post);
    case 5:
        return call_kill_storage(ctx, origin, args, exec, info, post);
    case 6: /* kill_prefix(prefix: Vec<u8>, subkeys: u32), Root */
        r = scale_read_vec_u8(args, &s);
        if (r == ITEE_OK)
            r = scale_read_u32(args, &u32v);
        if (r != ITEE_OK)
            return r;
        info->cls = RT_CLASS_OPERATIONAL;
        info->weight = rt_weight_make(W_STORAGE_ITEM * (uint64_t)u32v, 0);
        if (exec && pallet_system_ensure_root(origin, post))
            return rt_state_clear_prefix(ctx->state, s.ptr, s.len, 0,
                                         NULL); /* subkeys is only a weight hint */
        return ITEE_OK;
    case 7:
        return call_remark(ctx, origin, args, exec, true, info, post);
    case 9:
    case 10: /* authorize_upgrade(code_hash), Root: refused like set_code */
        r = scale_read_slice(args, 32, &s);
        if (r != ITEE_OK)
            return r;
        info->cls = RT_CLASS_OPERATIONAL;
        info->weight = rt_weight_make(W_SET_HEAP_PAGES, 0);
        if (exec && pallet_system_ensure_root(origin, post))
            rt_post_fail(post, rt_derr_module(RT_PALLET_SYSTEM,
                                              PALLET_SYSTEM_ERR_FAILED_TO_EXTRACT_RUNTIME_VERSION));
        return ITEE_OK;
    default:
        return ITEE_ERR_SCALE_VARIANT;
    }
}
