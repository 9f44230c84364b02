/*
 * rt_ctx.c - block execution context: events, transactional layers, DispatchError encoding.
 */
#include "node/runtime/rt_ctx.h"

#include <string.h>

#include "codec/scale.h"
#include "common/mem.h"

void rt_ctx_init(struct rt_ctx *ctx, struct rt_state *state, uint32_t number,
                 const uint8_t parent_hash[32])
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->state = state;
    ctx->number = number;
    if (parent_hash != NULL)
        memcpy(ctx->parent_hash, parent_hash, 32);
    ctx->phase = RT_PHASE_INITIALIZATION;
}

static void event_free(struct rt_event *e)
{
    itee_free(e->bytes);
    itee_free(e->topics);
    e->bytes = NULL;
    e->topics = NULL;
}

void rt_ctx_events_clear(struct rt_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_events; i++)
        event_free(&ctx->events[i]);
    ctx->n_events = 0;
}

void rt_ctx_free(struct rt_ctx *ctx)
{
    if (ctx == NULL)
        return;
    rt_ctx_events_clear(ctx);
    itee_free(ctx->events);
    ctx->events = NULL;
    ctx->cap_events = 0;
}

enum itee_err rt_ctx_event_begin(struct itee_buf *buf, uint8_t pallet, uint8_t variant)
{
    itee_buf_reset(buf);
    enum itee_err r = itee_buf_push(buf, pallet);
    return r != ITEE_OK ? r : itee_buf_push(buf, variant);
}

enum itee_err rt_ctx_deposit_event(struct rt_ctx *ctx, const uint8_t *bytes, size_t len)
{
    return rt_ctx_deposit_event_topics(ctx, bytes, len, NULL, 0);
}

enum itee_err rt_ctx_deposit_event_topics(struct rt_ctx *ctx, const uint8_t *bytes, size_t len,
                                          const uint8_t *topics, size_t n_topics)
{
    if (ctx == NULL || bytes == NULL || len < 2 || (topics == NULL && n_topics > 0) ||
        n_topics > RT_CTX_MAX_TOPICS)
        return ITEE_ERR_ARG;
    if (ctx->n_events == ctx->cap_events) {
        size_t ncap = ctx->cap_events ? ctx->cap_events * 2 : 16;
        struct rt_event *ne = itee_realloc(ctx->events, ncap * sizeof(*ne));
        if (ne == NULL)
            return ITEE_ERR_NOMEM;
        ctx->events = ne;
        ctx->cap_events = ncap;
    }
    uint8_t *copy = itee_alloc(len);
    uint8_t *tcopy = n_topics ? itee_alloc_array(n_topics, 32) : NULL;
    if (copy == NULL || (n_topics && tcopy == NULL)) {
        itee_free(copy);
        itee_free(tcopy);
        return ITEE_ERR_NOMEM;
    }
    memcpy(copy, bytes, len);
    if (n_topics)
        memcpy(tcopy, topics, n_topics * 32);
    struct rt_event *e = &ctx->events[ctx->n_events++];
    e->phase = ctx->phase;
    e->ext_index = ctx->ext_index;
    e->bytes = copy;
    e->len = len;
    e->topics = tcopy;
    e->n_topics = n_topics;
    return ITEE_OK;
}

enum itee_err rt_ctx_events_encode(const struct rt_ctx *ctx, struct itee_buf *out)
{
    enum itee_err r = scale_put_compact(out, ctx->n_events);
    for (size_t i = 0; r == ITEE_OK && i < ctx->n_events; i++) {
        const struct rt_event *e = &ctx->events[i];
        r = scale_put_u8(out, e->phase);
        if (r == ITEE_OK && e->phase == RT_PHASE_APPLY)
            r = scale_put_u32(out, e->ext_index);
        if (r == ITEE_OK)
            r = scale_put_bytes(out, e->bytes, e->len);
        if (r == ITEE_OK)
            r = scale_put_compact(out, e->n_topics);
        if (r == ITEE_OK && e->n_topics)
            r = scale_put_bytes(out, e->topics, e->n_topics * 32);
    }
    return r;
}

/* True if topic t occurs before (event i, topic k) in deposit order. */
static bool topic_seen(const struct rt_ctx *ctx, size_t i, size_t k, const uint8_t *t)
{
    for (size_t j = 0; j <= i; j++) {
        size_t end = j == i ? k : ctx->events[j].n_topics;
        for (size_t m = 0; m < end; m++)
            if (memcmp(ctx->events[j].topics + 32 * m, t, 32) == 0)
                return true;
    }
    return false;
}

/*
 * System.EventTopics(t) = Vec<(BlockNumber, EventIndex)>: every (event, topic) occurrence of t,
 * as FRAME appends one entry per occurrence in deposit_event_indexed.
 */
static enum itee_err topic_write(struct rt_ctx *ctx, size_t from, const uint8_t *t,
                                 struct itee_buf *key, struct itee_buf *val)
{
    size_t count = 0;
    for (size_t j = from; j < ctx->n_events; j++)
        for (size_t m = 0; m < ctx->events[j].n_topics; m++)
            count += memcmp(ctx->events[j].topics + 32 * m, t, 32) == 0;
    itee_buf_reset(val);
    enum itee_err r = scale_put_compact(val, count);
    for (size_t j = from; r == ITEE_OK && j < ctx->n_events; j++)
        for (size_t m = 0; r == ITEE_OK && m < ctx->events[j].n_topics; m++)
            if (memcmp(ctx->events[j].topics + 32 * m, t, 32) == 0) {
                r = scale_put_u32(val, ctx->number);
                if (r == ITEE_OK)
                    r = scale_put_u32(val, (uint32_t)j);
            }
    if (r == ITEE_OK)
        r = rt_state_key_map(key, "System", "EventTopics", HASH_STORAGE_BLAKE2_128_CONCAT, t, 32);
    if (r == ITEE_OK)
        r = rt_state_set(ctx->state, key->ptr, key->len, val->ptr, val->len);
    return r;
}

static enum itee_err topics_flush(struct rt_ctx *ctx)
{
    struct itee_buf key, val;
    itee_buf_init(&key, 0);
    itee_buf_init(&val, 0);
    enum itee_err r = ITEE_OK;
    for (size_t i = 0; r == ITEE_OK && i < ctx->n_events; i++)
        for (size_t k = 0; r == ITEE_OK && k < ctx->events[i].n_topics; k++) {
            const uint8_t *t = ctx->events[i].topics + 32 * k;
            if (!topic_seen(ctx, i, k, t))
                r = topic_write(ctx, i, t, &key, &val);
        }
    itee_buf_free(&key);
    itee_buf_free(&val);
    return r;
}

enum itee_err rt_ctx_events_flush(struct rt_ctx *ctx)
{
    struct itee_buf b;
    itee_buf_init(&b, 0);
    uint8_t key[32];
    enum itee_err r = rt_ctx_events_encode(ctx, &b);
    if (r != ITEE_OK)
        goto out;
    rt_state_key_value(key, "System", "Events");
    r = rt_state_set(ctx->state, key, 32, b.ptr, b.len);
    if (r != ITEE_OK)
        goto out;
    itee_buf_reset(&b);
    r = scale_put_u32(&b, (uint32_t)ctx->n_events);
    if (r != ITEE_OK)
        goto out;
    rt_state_key_value(key, "System", "EventCount");
    r = rt_state_set(ctx->state, key, 32, b.ptr, b.len);
    if (r == ITEE_OK)
        r = topics_flush(ctx);
out:
    itee_buf_free(&b);
    return r;
}

enum itee_err rt_ctx_layer_begin(struct rt_ctx *ctx)
{
    if (ctx->depth >= RT_STATE_MAX_LAYERS)
        return ITEE_ERR_SPACE;
    enum itee_err r = rt_state_begin(ctx->state);
    if (r != ITEE_OK)
        return r;
    ctx->layer_events[ctx->depth++] = ctx->n_events;
    return ITEE_OK;
}

enum itee_err rt_ctx_layer_end(struct rt_ctx *ctx, bool accept)
{
    if (ctx->depth == 0)
        return ITEE_ERR_ARG;
    size_t mark = ctx->layer_events[--ctx->depth];
    if (accept)
        return rt_state_accept(ctx->state);
    while (ctx->n_events > mark)
        event_free(&ctx->events[--ctx->n_events]);
    return rt_state_rollback(ctx->state);
}

enum itee_err rt_derr_encode(const struct rt_derr *e, struct itee_buf *out)
{
    enum itee_err r = scale_put_u8(out, e->kind);
    if (r != ITEE_OK)
        return r;
    switch (e->kind) {
    case RT_DERR_MODULE:
        r = scale_put_u8(out, e->index);
        return r != ITEE_OK ? r : scale_put_bytes(out, e->error, 4);
    case RT_DERR_TOKEN:
    case RT_DERR_ARITHMETIC:
    case RT_DERR_TRANSACTIONAL:
        return scale_put_u8(out, e->sub);
    default:
        return ITEE_OK; /* Other's message is not encoded (#[codec(skip)]) */
    }
}

enum itee_err rt_derr_encode_result(const struct rt_post *p, struct itee_buf *out)
{
    enum itee_err r = scale_put_u8(out, p->ok ? 0 : 1);
    if (r != ITEE_OK || p->ok)
        return r;
    return rt_derr_encode(&p->err, out);
}

enum itee_err rt_weight_encode(const struct rt_weight *w, struct itee_buf *out)
{
    enum itee_err r = scale_put_compact(out, w->ref_time);
    return r != ITEE_OK ? r : scale_put_compact(out, w->proof_size);
}

struct rt_derr rt_derr_module(uint8_t pallet, uint8_t error)
{
    struct rt_derr e;
    memset(&e, 0, sizeof(e));
    e.kind = RT_DERR_MODULE;
    e.index = pallet;
    e.error[0] = error;
    return e;
}

struct rt_derr rt_derr_simple(enum rt_derr_kind kind)
{
    struct rt_derr e;
    memset(&e, 0, sizeof(e));
    e.kind = (uint8_t)kind;
    return e;
}

struct rt_derr rt_derr_token(enum rt_token_err t)
{
    struct rt_derr e = rt_derr_simple(RT_DERR_TOKEN);
    e.sub = (uint8_t)t;
    return e;
}

struct rt_derr rt_derr_arith(enum rt_arith_err a)
{
    struct rt_derr e = rt_derr_simple(RT_DERR_ARITHMETIC);
    e.sub = (uint8_t)a;
    return e;
}

void rt_post_fail(struct rt_post *post, struct rt_derr e)
{
    post->ok = false;
    post->err = e;
}

bool rt_derr_eq(const struct rt_derr *a, const struct rt_derr *b)
{
    return a->kind == b->kind && a->index == b->index && memcmp(a->error, b->error, 4) == 0 &&
           a->sub == b->sub;
}

struct rt_weight rt_weight_make(uint64_t ref_time, uint64_t proof_size)
{
    struct rt_weight w = {ref_time, proof_size};
    return w;
}

struct rt_weight rt_weight_add(struct rt_weight a, struct rt_weight b)
{
    struct rt_weight w;
    w.ref_time = a.ref_time + b.ref_time < a.ref_time ? UINT64_MAX : a.ref_time + b.ref_time;
    w.proof_size =
        a.proof_size + b.proof_size < a.proof_size ? UINT64_MAX : a.proof_size + b.proof_size;
    return w;
}

struct rt_weight rt_post_actual_weight(const struct rt_info *info, const struct rt_post *post)
{
    if (!post->has_actual)
        return info->weight;
    struct rt_weight w = post->actual;
    if (w.ref_time > info->weight.ref_time)
        w.ref_time = info->weight.ref_time;
    if (w.proof_size > info->weight.proof_size)
        w.proof_size = info->weight.proof_size;
    return w;
}
