/*
 * event.c - EventRecord codec and System.Events append (see event.h).
 */
#include "chain/event.h"

#include <string.h>

enum itee_err event_record_encode(struct itee_buf *b, const struct event_record *rec)
{
    if (b == NULL || rec == NULL || rec->phase > EVENT_PHASE_INITIALIZATION ||
        (rec->topics == NULL && rec->n_topics != 0) ||
        (rec->fields.ptr == NULL && rec->fields.len != 0) || rec->n_topics > UINT32_MAX)
        return ITEE_ERR_ARG;
    enum itee_err e;
    if ((e = scale_put_variant(b, (uint8_t)rec->phase)) != ITEE_OK)
        return e;
    if (rec->phase == EVENT_PHASE_APPLY_EXTRINSIC &&
        (e = scale_put_u32(b, rec->extrinsic_index)) != ITEE_OK)
        return e;
    if ((e = scale_put_u8(b, rec->pallet)) || (e = scale_put_u8(b, rec->variant)) ||
        (e = scale_put_bytes(b, rec->fields.ptr, rec->fields.len)) ||
        (e = scale_put_compact(b, rec->n_topics)))
        return e;
    if (rec->n_topics == 0)
        return ITEE_OK;
    return scale_put_bytes(b, rec->topics, rec->n_topics * EVENT_TOPIC_LEN);
}

enum itee_err event_vec_append(struct itee_buf *vec, const struct event_record *rec)
{
    if (vec == NULL || rec == NULL)
        return ITEE_ERR_ARG;
    uint32_t count = 0;
    size_t old_len = 0;
    if (vec->len > 0) {
        struct scale_reader r;
        scale_reader_init(&r, vec->ptr, vec->len);
        if (scale_read_compact_u32(&r, &count) != ITEE_OK || count == UINT32_MAX)
            return ITEE_ERR_FORMAT;
        old_len = r.pos;
    }
    uint8_t pre[SCALE_COMPACT_MAX_LEN];
    size_t new_len = scale_encode_compact(pre, (itee_u128)count + 1);
    size_t start = vec->len;
    enum itee_err e = event_record_encode(vec, rec);
    if (e != ITEE_OK)
        return e;
    if (new_len > old_len && (e = itee_buf_reserve(vec, new_len - old_len)) != ITEE_OK) {
        vec->len = start;
        return e;
    }
    /* shift the records when the count's encoding grew (or appears for the first time) */
    if (new_len != old_len)
        memmove(vec->ptr + new_len, vec->ptr + old_len, vec->len - old_len);
    memcpy(vec->ptr, pre, new_len);
    vec->len = vec->len - old_len + new_len;
    return ITEE_OK;
}

enum itee_err event_record_read(struct scale_reader *r, struct event_record *rec,
                                event_fields_fn fields, void *ctx)
{
    memset(rec, 0, sizeof(*rec));
    if (fields == NULL)
        return ITEE_ERR_ARG;
    size_t start = r->pos, n, fstart;
    uint8_t phase;
    enum itee_err e = scale_read_variant(r, &phase);
    if (e != ITEE_OK)
        goto fail;
    if (phase > EVENT_PHASE_INITIALIZATION) {
        e = ITEE_ERR_SCALE_VARIANT;
        goto fail;
    }
    rec->phase = (enum event_phase)phase;
    if (phase == EVENT_PHASE_APPLY_EXTRINSIC &&
        (e = scale_read_u32(r, &rec->extrinsic_index)) != ITEE_OK)
        goto fail;
    if ((e = scale_read_u8(r, &rec->pallet)) || (e = scale_read_u8(r, &rec->variant)))
        goto fail;
    fstart = r->pos;
    if ((e = fields(ctx, rec->pallet, rec->variant, r)) != ITEE_OK)
        goto fail;
    if (r->pos < fstart) {
        e = ITEE_ERR_INTERNAL;
        goto fail;
    }
    rec->fields = itee_slice_make(r->ptr + fstart, r->pos - fstart);
    struct itee_slice topics;
    if ((e = scale_read_len(r, &n, EVENT_TOPIC_LEN)) ||
        (e = scale_read_slice(r, n * EVENT_TOPIC_LEN, &topics)))
        goto fail;
    rec->topics = topics.ptr;
    rec->n_topics = n;
    return ITEE_OK;
fail:
    r->pos = start;
    memset(rec, 0, sizeof(*rec));
    return e;
}
