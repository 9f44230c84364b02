/*
 * worker_l1.c - the worker's parentchain account: signing through the enclave, registration,
 * dev funding (see worker_l1.h).
 */
#include "service/worker_l1.h"

#include <stdio.h>
#include <string.h>

#include "codec/scale.h"
#include "keys/pair.h"

/* Encodes the enclave_xt request (layout: src/enclave/enclave_xt.h). */
static enum itee_err xt_request(struct itee_buf *out, const struct node_api *api, uint32_t nonce,
                                struct itee_slice call)
{
    enum itee_err r = scale_put_u32(out, api->spec_version);
    if (r == ITEE_OK)
        r = scale_put_u32(out, api->tx_version);
    if (r == ITEE_OK)
        r = scale_put_bytes(out, api->genesis, 32);
    if (r == ITEE_OK)
        r = scale_put_bool(out, api->check_metadata_hash);
    if (r == ITEE_OK)
        r = scale_put_option(out, false); /* no metadata hash: mode 0 */
    if (r == ITEE_OK)
        r = scale_put_u8(out, 0); /* immortal era */
    if (r == ITEE_OK)
        r = scale_put_bytes(out, api->genesis, 32);
    if (r == ITEE_OK)
        r = scale_put_u32(out, nonce);
    if (r == ITEE_OK)
        r = scale_put_compact(out, 0); /* tip */
    if (r == ITEE_OK)
        r = scale_put_u8(out, 0); /* metadata mode */
    if (r == ITEE_OK)
        r = scale_put_bool(out, false); /* the host submits and watches it */
    if (r == ITEE_OK)
        r = scale_put_vec_u8(out, call.ptr, call.len);
    return r;
}

enum itee_err worker_l1_sign(struct enclave_host *h, const struct node_api *api, uint32_t nonce,
                             struct itee_slice call, struct itee_buf *xt)
{
    struct itee_buf req;
    itee_buf_init(&req, 0);
    enum itee_err r = xt_request(&req, api, nonce, call);
    if (r == ITEE_OK)
        r = enclave_host_sign_xt(h, req.ptr, req.len, xt);
    itee_buf_free(&req);
    return r;
}

enum itee_err worker_l1_register(struct enclave_host *h, struct node_api *api, const char *url,
                                 uint32_t timeout_ms, uint32_t *block_number, char err[160])
{
    err[0] = '\0';
    uint8_t mr[32], signer[32];
    enum itee_err r = enclave_host_mrenclave(h, mr);
    if (r == ITEE_OK)
        r = enclave_host_signing_pubkey(h, signer);
    struct itee_buf args, call, xt;
    itee_buf_init(&args, 0);
    itee_buf_init(&call, 0);
    itee_buf_init(&xt, 0);
    if (r == ITEE_OK)
        r = scale_put_vec_u8(&args, mr, 32); /* proof: the measurement, as Skip expects */
    if (r == ITEE_OK)
        r = scale_put_option(&args, true);
    if (r == ITEE_OK)
        r = scale_put_vec_u8(&args, (const uint8_t *)url, strlen(url));
    if (r == ITEE_OK)
        r = scale_put_u8(&args, 0); /* SgxAttestationMethod::Skip */
    if (r == ITEE_OK)
        r = scale_put_bool(&args, false); /* proxied: false */
    if (r == ITEE_OK)
        r = node_api_call(api, "Teerex", "register_sgx_enclave", itee_buf_slice(&args), &call);
    uint32_t nonce = 0;
    if (r == ITEE_OK)
        r = node_api_next_nonce(api, signer, &nonce);
    if (r == ITEE_OK)
        r = worker_l1_sign(h, api, nonce, itee_buf_slice(&call), &xt);
    struct node_api_receipt rc;
    memset(&rc, 0, sizeof(rc));
    if (r == ITEE_OK)
        r = node_api_submit_xt(api, itee_buf_slice(&xt), NODE_API_WAIT_FINALIZED, timeout_ms, &rc);
    if (r == ITEE_OK && !rc.success) {
        (void)snprintf(err, 160, "%s", rc.error[0] ? rc.error : "no ExtrinsicSuccess");
        r = ITEE_ERR_ENCLAVE;
    }
    if (r == ITEE_OK) {
        /* the block number of the registration: read back from the node */
        char bh[67];
        node_api_hex32(bh, rc.block_hash);
        json_t *hdr = NULL, *params = json_pack("[s]", bh);
        r = params ? rpc_client_call(api->rpc, "chain_getHeader", params, &hdr) : ITEE_ERR_NOMEM;
        const char *num = json_string_value(json_object_get(hdr, "number"));
        unsigned long v = 0;
        if (r == ITEE_OK && (num == NULL || sscanf(num, "0x%lx", &v) != 1))
            r = ITEE_ERR_FORMAT;
        *block_number = (uint32_t)v;
        json_decref(params);
        json_decref(hdr);
    } else if (r != ITEE_ERR_ENCLAVE && rc.error[0]) {
        (void)snprintf(err, 160, "%s", rc.error);
    }
    node_api_receipt_clear(&rc);
    itee_buf_free(&args);
    itee_buf_free(&call);
    itee_buf_free(&xt);
    return r;
}

enum itee_err worker_l1_dev_fund(struct node_api *api, const uint8_t who[32], itee_u128 min,
                                 itee_u128 amount, uint32_t timeout_ms, int *funded)
{
    *funded = 0;
    struct node_account acc;
    enum itee_err r = node_api_account(api, who, &acc);
    if (r != ITEE_OK || acc.free >= min)
        return r;
    struct keys_pair alice;
    if ((r = keys_pair_from_suri(&alice, KEYS_SCHEME_SR25519, "//Alice", 7)) != ITEE_OK)
        return r;
    struct itee_buf args, call;
    itee_buf_init(&args, 0);
    itee_buf_init(&call, 0);
    r = scale_put_u8(&args, 0); /* MultiAddress::Id */
    if (r == ITEE_OK)
        r = scale_put_bytes(&args, who, 32);
    if (r == ITEE_OK)
        r = scale_put_compact_u128(&args, amount);
    if (r == ITEE_OK)
        r = node_api_call(api, "Balances", "transfer_keep_alive", itee_buf_slice(&args), &call);
    struct node_api_receipt rc;
    memset(&rc, 0, sizeof(rc));
    if (r == ITEE_OK)
        r = node_api_submit(api, &alice, itee_buf_slice(&call), NODE_API_WAIT_FINALIZED, timeout_ms,
                            &rc);
    if (r == ITEE_OK && !rc.success)
        r = ITEE_ERR_ENCLAVE;
    if (r == ITEE_OK)
        *funded = 1;
    node_api_receipt_clear(&rc);
    itee_buf_free(&args);
    itee_buf_free(&call);
    keys_pair_clear(&alice);
    return r;
}
