/*
 * pc_bundle.c - encoding of a parentchain block bundle (see pc_bundle.h).
 */
#include "chain/pc_bundle.h"

#include <string.h>

#include "codec/scale.h"
#include "common/mem.h"

static enum itee_err put_list(struct itee_buf *out, const struct itee_slice *v, size_t n)
{
    enum itee_err r = scale_put_compact(out, n);
    for (size_t i = 0; r == ITEE_OK && i < n; i++)
        r = scale_put_vec_u8(out, v[i].ptr, v[i].len);
    return r;
}

enum itee_err pc_bundle_encode(struct itee_buf *out, struct itee_slice header,
                               const struct itee_slice *justification,
                               const struct itee_slice *extrinsics, size_t n_extrinsics,
                               struct itee_slice events, const struct itee_slice *proof,
                               size_t n_proof)
{
    if (out == NULL || (n_extrinsics > 0 && extrinsics == NULL) || (n_proof > 0 && proof == NULL) ||
        n_extrinsics > PC_BUNDLE_MAX_EXTRINSICS || n_proof > PC_BUNDLE_MAX_PROOF)
        return ITEE_ERR_ARG;
    size_t start = out->len;
    enum itee_err r = scale_put_u8(out, PC_BUNDLE_VERSION);
    if (r == ITEE_OK)
        r = scale_put_vec_u8(out, header.ptr, header.len);
    if (r == ITEE_OK)
        r = scale_put_option(out, justification != NULL);
    if (r == ITEE_OK && justification != NULL)
        r = scale_put_vec_u8(out, justification->ptr, justification->len);
    if (r == ITEE_OK)
        r = put_list(out, extrinsics, n_extrinsics);
    if (r == ITEE_OK)
        r = scale_put_vec_u8(out, events.ptr, events.len);
    if (r == ITEE_OK)
        r = put_list(out, proof, n_proof);
    if (r != ITEE_OK)
        out->len = start;
    return r;
}

static enum itee_err read_list(struct scale_reader *r, size_t max, struct itee_slice **out,
                               size_t *n_out)
{
    size_t n;
    enum itee_err e = scale_read_len(r, &n, 1);
    if (e != ITEE_OK)
        return e;
    if (n > max)
        return ITEE_ERR_SCALE_LENGTH;
    *out = n ? itee_alloc_array(n, sizeof(**out)) : NULL;
    if (n > 0 && *out == NULL)
        return ITEE_ERR_NOMEM;
    *n_out = n;
    for (size_t i = 0; i < n; i++)
        if ((e = scale_read_vec_u8(r, &(*out)[i])) != ITEE_OK)
            return e;
    return ITEE_OK;
}

enum itee_err pc_bundle_decode(struct pc_bundle *b, const uint8_t *p, size_t len)
{
    if (b == NULL)
        return ITEE_ERR_ARG;
    memset(b, 0, sizeof(*b));
    if (p == NULL && len > 0)
        return ITEE_ERR_ARG;
    struct scale_reader r;
    scale_reader_init(&r, p, len);
    uint8_t version;
    enum itee_err e = scale_read_u8(&r, &version);
    if (e == ITEE_OK && version != PC_BUNDLE_VERSION)
        e = ITEE_ERR_UNSUPPORTED;
    if (e == ITEE_OK)
        e = scale_read_vec_u8(&r, &b->header);
    if (e == ITEE_OK)
        e = scale_read_option(&r, &b->has_justification);
    if (e == ITEE_OK && b->has_justification)
        e = scale_read_vec_u8(&r, &b->justification);
    if (e == ITEE_OK)
        e = read_list(&r, PC_BUNDLE_MAX_EXTRINSICS, &b->extrinsics, &b->n_extrinsics);
    if (e == ITEE_OK)
        e = scale_read_vec_u8(&r, &b->events);
    if (e == ITEE_OK)
        e = read_list(&r, PC_BUNDLE_MAX_PROOF, &b->proof, &b->n_proof);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    if (e != ITEE_OK)
        pc_bundle_free(b);
    return e;
}

void pc_bundle_free(struct pc_bundle *b)
{
    if (b == NULL)
        return;
    itee_free(b->extrinsics);
    itee_free(b->proof);
    memset(b, 0, sizeof(*b));
}
