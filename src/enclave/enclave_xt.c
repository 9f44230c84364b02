/*
 * enclave_xt.c - decoding of the host's signing request and signing with the enclave signer.
 */
#include "enclave_xt.h"

#include <string.h>

#include "codec/scale.h"
#include "common/mem.h"
#include "keys/pair.h"

static enum itee_err xt_read_chain(struct scale_reader *r, struct extrinsic_chain *c)
{
    enum itee_err e;
    bool some = false;
    if ((e = scale_read_u32(r, &c->spec_version)) != ITEE_OK ||
        (e = scale_read_u32(r, &c->tx_version)) != ITEE_OK ||
        (e = scale_read_bytes(r, c->genesis_hash, sizeof(c->genesis_hash))) != ITEE_OK ||
        (e = scale_read_bool(r, &c->check_metadata_hash)) != ITEE_OK ||
        (e = scale_read_option(r, &some)) != ITEE_OK)
        return e;
    c->has_metadata_hash = some;
    if (some)
        return scale_read_bytes(r, c->metadata_hash, sizeof(c->metadata_hash));
    return ITEE_OK;
}

static enum itee_err xt_read_params(struct scale_reader *r, struct enclave_xt_request *req)
{
    enum itee_err e;
    struct extrinsic_params *p = &req->params;
    if ((e = extrinsic_era_read(r, &p->era)) != ITEE_OK ||
        (e = scale_read_bytes(r, req->era_hash, sizeof(req->era_hash))) != ITEE_OK ||
        (e = scale_read_u32(r, &p->nonce)) != ITEE_OK ||
        (e = scale_read_compact_u128(r, &p->tip)) != ITEE_OK ||
        (e = scale_read_u8(r, &p->metadata_mode)) != ITEE_OK ||
        (e = scale_read_bool(r, &req->submit)) != ITEE_OK)
        return e;
    return p->metadata_mode > 1 ? ITEE_ERR_ARG : ITEE_OK;
}

enum itee_err enclave_xt_request_decode(struct enclave_xt_request *req, const uint8_t *p,
                                        size_t len)
{
    if (req == NULL)
        return ITEE_ERR_ARG;
    memset(req, 0, sizeof(*req));
    if (p == NULL && len > 0)
        return ITEE_ERR_ARG;
    struct scale_reader r;
    scale_reader_init(&r, p, len);
    enum itee_err e = xt_read_chain(&r, &req->chain);
    if (e == ITEE_OK)
        e = xt_read_params(&r, req);
    if (e == ITEE_OK)
        e = scale_read_vec_u8(&r, &req->call);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    /* a call is at least its pallet index and call index; shorter ones no node can decode */
    if (e == ITEE_OK && req->call.len < ENCLAVE_XT_MIN_CALL)
        e = ITEE_ERR_ARG;
    if (e != ITEE_OK)
        memset(req, 0, sizeof(*req));
    return e;
}

enum itee_err enclave_xt_sign(struct itee_buf *out, const struct enclave_xt_request *req,
                              const struct ed25519_keypair *signer)
{
    if (out == NULL || req == NULL || signer == NULL || req->call.len < ENCLAVE_XT_MIN_CALL)
        return ITEE_ERR_ARG;
    struct keys_pair pair;
    enum itee_err e = keys_pair_from_seed(&pair, KEYS_SCHEME_ED25519, signer->seed);
    if (e == ITEE_OK)
        e = extrinsic_sign(out, &pair, &req->chain, req->call, &req->params, req->era_hash);
    itee_memzero(&pair, sizeof(pair));
    return e;
}
