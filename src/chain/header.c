/*
 * header.c - Substrate block header and digest codec, AURA pre-digest and seal (see header.h).
 */
#include "chain/header.h"

#include <string.h>

#include "crypto/hash.h"

static bool kind_has_engine(enum header_digest_kind k)
{
    return k == HEADER_DIGEST_CONSENSUS || k == HEADER_DIGEST_SEAL ||
           k == HEADER_DIGEST_PRE_RUNTIME;
}

static bool kind_known(unsigned k)
{
    return k == HEADER_DIGEST_OTHER || k == HEADER_DIGEST_CONSENSUS || k == HEADER_DIGEST_SEAL ||
           k == HEADER_DIGEST_PRE_RUNTIME || k == HEADER_DIGEST_RUNTIME_ENV_UPDATED;
}

enum itee_err header_push_log(struct header *h, enum header_digest_kind kind,
                              const char engine[HEADER_ENGINE_LEN], const uint8_t *data, size_t len)
{
    if (h == NULL || !kind_known((unsigned)kind) || (data == NULL && len != 0) ||
        (kind_has_engine(kind) && engine == NULL))
        return ITEE_ERR_ARG;
    if (h->n_logs >= HEADER_MAX_LOGS)
        return ITEE_ERR_SPACE;
    struct header_digest_item *it = &h->logs[h->n_logs];
    memset(it, 0, sizeof(*it));
    it->kind = kind;
    if (kind_has_engine(kind))
        memcpy(it->engine, engine, HEADER_ENGINE_LEN);
    if (kind != HEADER_DIGEST_RUNTIME_ENV_UPDATED)
        it->data = itee_slice_make(data, len);
    h->n_logs++;
    return ITEE_OK;
}

enum itee_err header_digest_item_encode(struct itee_buf *b, const struct header_digest_item *it)
{
    if (b == NULL || it == NULL || !kind_known((unsigned)it->kind))
        return ITEE_ERR_ARG;
    enum itee_err r = scale_put_variant(b, (uint8_t)it->kind);
    if (r != ITEE_OK || it->kind == HEADER_DIGEST_RUNTIME_ENV_UPDATED)
        return r;
    if (kind_has_engine(it->kind) && (r = scale_put_bytes(b, it->engine, HEADER_ENGINE_LEN)))
        return r;
    return scale_put_vec_u8(b, it->data.ptr, it->data.len);
}

/* Encodes h with only its first n_logs digest items. */
static enum itee_err encode_prefix(struct itee_buf *b, const struct header *h, size_t n_logs)
{
    if (b == NULL || h == NULL || n_logs > HEADER_MAX_LOGS)
        return ITEE_ERR_ARG;
    enum itee_err r;
    if ((r = scale_put_bytes(b, h->parent_hash, HEADER_HASH_LEN)) ||
        (r = scale_put_compact(b, h->number)) ||
        (r = scale_put_bytes(b, h->state_root, HEADER_HASH_LEN)) ||
        (r = scale_put_bytes(b, h->extrinsics_root, HEADER_HASH_LEN)) ||
        (r = scale_put_compact(b, n_logs)))
        return r;
    for (size_t i = 0; i < n_logs; i++)
        if ((r = header_digest_item_encode(b, &h->logs[i])) != ITEE_OK)
            return r;
    return ITEE_OK;
}

enum itee_err header_encode(struct itee_buf *b, const struct header *h)
{
    if (h == NULL)
        return ITEE_ERR_ARG;
    return encode_prefix(b, h, h->n_logs);
}

/* blake2_256 of h encoded with its first n_logs items. */
static enum itee_err hash_prefix(const struct header *h, size_t n_logs,
                                 uint8_t out[HEADER_HASH_LEN])
{
    memset(out, 0, HEADER_HASH_LEN);
    struct itee_buf b;
    itee_buf_init(&b, 0);
    enum itee_err r = encode_prefix(&b, h, n_logs);
    if (r == ITEE_OK)
        hash_blake2_256(out, b.ptr, b.len);
    itee_buf_free(&b);
    return r;
}

static enum itee_err read_item(struct scale_reader *r, struct header_digest_item *it)
{
    uint8_t v;
    enum itee_err e = scale_read_variant(r, &v);
    if (e != ITEE_OK)
        return e;
    if (!kind_known(v))
        return ITEE_ERR_SCALE_VARIANT;
    it->kind = (enum header_digest_kind)v;
    if (it->kind == HEADER_DIGEST_RUNTIME_ENV_UPDATED)
        return ITEE_OK;
    if (kind_has_engine(it->kind) &&
        (e = scale_read_bytes(r, it->engine, HEADER_ENGINE_LEN)) != ITEE_OK)
        return e;
    return scale_read_vec_u8(r, &it->data);
}

enum itee_err header_read(struct scale_reader *r, struct header *h)
{
    if (r == NULL || h == NULL)
        return ITEE_ERR_ARG;
    memset(h, 0, sizeof(*h));
    size_t start = r->pos;
    size_t n = 0;
    enum itee_err e;
    if ((e = scale_read_bytes(r, h->parent_hash, HEADER_HASH_LEN)) ||
        (e = scale_read_compact_u32(r, &h->number)) ||
        (e = scale_read_bytes(r, h->state_root, HEADER_HASH_LEN)) ||
        (e = scale_read_bytes(r, h->extrinsics_root, HEADER_HASH_LEN)) ||
        (e = scale_read_len(r, &n, 1)))
        goto fail;
    if (n > HEADER_MAX_LOGS) {
        e = ITEE_ERR_SPACE;
        goto fail;
    }
    for (size_t i = 0; i < n; i++)
        if ((e = read_item(r, &h->logs[i])) != ITEE_OK)
            goto fail;
    h->n_logs = n;
    return ITEE_OK;
fail:
    /* the reader contract: consume nothing on failure */
    r->pos = start;
    memset(h, 0, sizeof(*h));
    return e;
}

enum itee_err header_decode(struct header *h, const uint8_t *p, size_t len)
{
    struct scale_reader r;
    scale_reader_init(&r, p, len);
    enum itee_err e = header_read(&r, h);
    if (e == ITEE_OK && (e = scale_reader_finish(&r)) != ITEE_OK && h != NULL)
        memset(h, 0, sizeof(*h));
    return e;
}

enum itee_err header_hash(const struct header *h, uint8_t out[HEADER_HASH_LEN])
{
    if (h == NULL) {
        memset(out, 0, HEADER_HASH_LEN);
        return ITEE_ERR_ARG;
    }
    return hash_prefix(h, h->n_logs, out);
}

void header_aura_pre_digest(uint8_t out[8], uint64_t slot)
{
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(slot >> (8 * i));
}

enum itee_err header_aura_slot(const struct header *h, uint64_t *slot)
{
    *slot = 0;
    bool found = false;
    for (size_t i = 0; i < h->n_logs; i++) {
        const struct header_digest_item *it = &h->logs[i];
        if (it->kind != HEADER_DIGEST_PRE_RUNTIME ||
            memcmp(it->engine, HEADER_ENGINE_AURA, HEADER_ENGINE_LEN) != 0)
            continue;
        /* sc-consensus-aura rejects a header with more than one AURA pre-digest */
        if (found || it->data.len != 8) {
            *slot = 0;
            return ITEE_ERR_NOENT;
        }
        found = true;
        for (int k = 7; k >= 0; k--)
            *slot = (*slot << 8) | it->data.ptr[k];
    }
    return found ? ITEE_OK : ITEE_ERR_NOENT;
}

enum itee_err header_aura_seal(struct header *h, const struct keys_pair *author,
                               uint8_t sig_store[HEADER_AURA_SIG_LEN])
{
    if (h == NULL || author == NULL || sig_store == NULL || author->scheme != KEYS_SCHEME_SR25519)
        return ITEE_ERR_ARG;
    if (h->n_logs >= HEADER_MAX_LOGS)
        return ITEE_ERR_SPACE;
    uint8_t pre[HEADER_HASH_LEN];
    uint8_t sig[KEYS_SIG_MAX];
    size_t sig_len = 0;
    enum itee_err r = header_hash(h, pre);
    if (r != ITEE_OK)
        return r;
    if ((r = keys_pair_sign(author, pre, sizeof(pre), sig, &sig_len)) != ITEE_OK)
        return r;
    if (sig_len != HEADER_AURA_SIG_LEN)
        return ITEE_ERR_INTERNAL;
    memcpy(sig_store, sig, HEADER_AURA_SIG_LEN);
    return header_push_log(h, HEADER_DIGEST_SEAL, HEADER_ENGINE_AURA, sig_store,
                           HEADER_AURA_SIG_LEN);
}

enum itee_err header_aura_verify_seal(const struct header *h, const uint8_t author[32],
                                      uint8_t pre_hash[HEADER_HASH_LEN])
{
    uint8_t pre[HEADER_HASH_LEN];
    if (pre_hash != NULL)
        memset(pre_hash, 0, HEADER_HASH_LEN);
    if (h == NULL || h->n_logs == 0)
        return ITEE_ERR_NOENT;
    const struct header_digest_item *seal = &h->logs[h->n_logs - 1];
    if (seal->kind != HEADER_DIGEST_SEAL ||
        memcmp(seal->engine, HEADER_ENGINE_AURA, HEADER_ENGINE_LEN) != 0 ||
        seal->data.len != HEADER_AURA_SIG_LEN)
        return ITEE_ERR_NOENT;
    /* the pre-hash covers the header as it was before the seal was pushed */
    enum itee_err r = hash_prefix(h, h->n_logs - 1, pre);
    if (r != ITEE_OK)
        return r;
    r = keys_verify(KEYS_SCHEME_SR25519, seal->data.ptr, seal->data.len, pre, sizeof(pre), author,
                    32);
    if (r == ITEE_OK && pre_hash != NULL)
        memcpy(pre_hash, pre, HEADER_HASH_LEN);
    return r;
}
