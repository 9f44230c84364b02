/*
 * block.c - block and signed-block codec, extrinsics root (see block.h).
 */
#include "chain/block.h"

#include <string.h>

#include "codec/scale.h"
#include "common/mem.h"

enum itee_err block_read_opaque_extrinsic(struct scale_reader *r, struct itee_slice *out)
{
    *out = itee_slice_make(NULL, 0);
    size_t start = r->pos;
    struct itee_slice body;
    enum itee_err e = scale_read_vec_u8(r, &body);
    if (e != ITEE_OK)
        return e;
    *out = itee_slice_make(r->ptr + start, r->pos - start);
    return ITEE_OK;
}

/* Returns: true iff x is exactly one length-prefixed byte string. */
static bool opaque_ok(struct itee_slice x)
{
    struct scale_reader r;
    struct itee_slice body;
    scale_reader_init(&r, x.ptr, x.len);
    return scale_read_vec_u8(&r, &body) == ITEE_OK && scale_reader_remaining(&r) == 0;
}

enum itee_err block_encode(struct itee_buf *b, const struct block *blk)
{
    if (b == NULL || blk == NULL || (blk->extrinsics == NULL && blk->n_extrinsics != 0))
        return ITEE_ERR_ARG;
    enum itee_err e;
    if ((e = header_encode(b, &blk->header)) || (e = scale_put_compact(b, blk->n_extrinsics)))
        return e;
    for (size_t i = 0; i < blk->n_extrinsics; i++) {
        if (!opaque_ok(blk->extrinsics[i]))
            return ITEE_ERR_ARG;
        if ((e = scale_put_bytes(b, blk->extrinsics[i].ptr, blk->extrinsics[i].len)) != ITEE_OK)
            return e;
    }
    return ITEE_OK;
}

enum itee_err block_signed_encode(struct itee_buf *b, const struct block_signed *sb)
{
    if (sb == NULL ||
        (sb->has_justifications && sb->justifications == NULL && sb->n_justifications != 0))
        return ITEE_ERR_ARG;
    enum itee_err e;
    if ((e = block_encode(b, &sb->block)) || (e = scale_put_option(b, sb->has_justifications)))
        return e;
    if (!sb->has_justifications)
        return ITEE_OK;
    if ((e = scale_put_compact(b, sb->n_justifications)) != ITEE_OK)
        return e;
    for (size_t i = 0; i < sb->n_justifications; i++) {
        const struct block_justification *j = &sb->justifications[i];
        if ((e = scale_put_bytes(b, j->engine, HEADER_ENGINE_LEN)) ||
            (e = scale_put_vec_u8(b, j->data.ptr, j->data.len)))
            return e;
    }
    return ITEE_OK;
}

void block_free(struct block *blk)
{
    if (blk == NULL)
        return;
    if (blk->owns_array)
        itee_free(blk->extrinsics);
    memset(blk, 0, sizeof(*blk));
}

void block_signed_free(struct block_signed *sb)
{
    if (sb == NULL)
        return;
    block_free(&sb->block);
    if (sb->owns_justifications)
        itee_free(sb->justifications);
    memset(sb, 0, sizeof(*sb));
}

enum itee_err block_read(struct scale_reader *r, struct block *blk)
{
    memset(blk, 0, sizeof(*blk));
    size_t start = r->pos, n;
    enum itee_err e;
    /* an extrinsic takes at least two bytes: its prefix and a version byte */
    if ((e = header_read(r, &blk->header)) || (e = scale_read_len(r, &n, 2)))
        goto fail;
    if (n > BLOCK_MAX_EXTRINSICS) {
        e = ITEE_ERR_SCALE_LENGTH;
        goto fail;
    }
    if (n > 0) {
        blk->extrinsics = itee_alloc_array(n, sizeof(*blk->extrinsics));
        if (blk->extrinsics == NULL) {
            e = ITEE_ERR_NOMEM;
            goto fail;
        }
        blk->owns_array = true;
    }
    for (size_t i = 0; i < n; i++)
        if ((e = block_read_opaque_extrinsic(r, &blk->extrinsics[i])) != ITEE_OK)
            goto fail;
    blk->n_extrinsics = n;
    return ITEE_OK;
fail:
    block_free(blk);
    r->pos = start;
    return e;
}

enum itee_err block_decode(struct block *blk, const uint8_t *p, size_t len)
{
    struct scale_reader r;
    scale_reader_init(&r, p, len);
    enum itee_err e = block_read(&r, blk);
    if (e == ITEE_OK && (e = scale_reader_finish(&r)) != ITEE_OK)
        block_free(blk);
    return e;
}

static enum itee_err read_justifications(struct scale_reader *r, struct block_signed *sb)
{
    enum itee_err e = scale_read_option(r, &sb->has_justifications);
    if (e != ITEE_OK || !sb->has_justifications)
        return e;
    size_t n;
    if ((e = scale_read_len(r, &n, HEADER_ENGINE_LEN + 1)) != ITEE_OK)
        return e;
    if (n > BLOCK_MAX_JUSTIFICATIONS)
        return ITEE_ERR_SCALE_LENGTH;
    if (n > 0) {
        sb->justifications = itee_alloc_array(n, sizeof(*sb->justifications));
        if (sb->justifications == NULL)
            return ITEE_ERR_NOMEM;
        sb->owns_justifications = true;
    }
    for (size_t i = 0; i < n; i++) {
        struct block_justification *j = &sb->justifications[i];
        if ((e = scale_read_bytes(r, j->engine, HEADER_ENGINE_LEN)) ||
            (e = scale_read_vec_u8(r, &j->data)))
            return e;
    }
    sb->n_justifications = n;
    return ITEE_OK;
}

enum itee_err block_signed_decode(struct block_signed *sb, const uint8_t *p, size_t len)
{
    memset(sb, 0, sizeof(*sb));
    struct scale_reader r;
    scale_reader_init(&r, p, len);
    enum itee_err e;
    if ((e = block_read(&r, &sb->block)) || (e = read_justifications(&r, sb)) ||
        (e = scale_reader_finish(&r)))
        block_signed_free(sb);
    return e;
}

enum itee_err block_extrinsics_root(enum trie_layout layout, const struct itee_slice *extrinsics,
                                    size_t n, uint8_t root[HEADER_HASH_LEN])
{
    return trie_ordered_root(layout, extrinsics, n, root);
}
