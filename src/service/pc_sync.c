/*
 * pc_sync.c - parentchain blocks fetched over RPC and packaged for the enclave.
 */
#include "service/pc_sync.h"

#include <string.h>

#include "chain/pc_bundle.h"
#include "codec/scale.h"
#include "common/hex.h"
#include "common/mem.h"
#include "crypto/hash.h"

#define PC_SYNC_MAX_VALUE ((size_t)64 * 1024 * 1024)

/* Parses a "0x…" block number (as Substrate's JSON header writes it). */
static enum itee_err hex_number(const json_t *v, uint32_t *out)
{
    const char *s = json_string_value(v);
    if (s == NULL || strncmp(s, "0x", 2) != 0 || strlen(s) < 3 || strlen(s) > 10)
        return ITEE_ERR_FORMAT;
    uint32_t n = 0;
    for (const char *p = s + 2; *p; p++) {
        int d = (*p >= '0' && *p <= '9') ? *p - '0' : (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10 : -1;
        if (d < 0)
            return ITEE_ERR_FORMAT;
        n = n * 16 + (uint32_t)d;
    }
    *out = n;
    return ITEE_OK;
}

/* Rebuilds the SCALE header from Substrate's JSON form. */
static enum itee_err header_from_json(const json_t *h, struct itee_buf *out, uint32_t *number)
{
    uint8_t parent[32], state[32], ext[32];
    enum itee_err r = node_api_json_hex32(json_object_get(h, "parentHash"), parent);
    if (r == ITEE_OK)
        r = hex_number(json_object_get(h, "number"), number);
    if (r == ITEE_OK)
        r = node_api_json_hex32(json_object_get(h, "stateRoot"), state);
    if (r == ITEE_OK)
        r = node_api_json_hex32(json_object_get(h, "extrinsicsRoot"), ext);
    json_t *logs = json_object_get(json_object_get(h, "digest"), "logs");
    if (r == ITEE_OK && !json_is_array(logs))
        r = ITEE_ERR_FORMAT;
    if (r == ITEE_OK)
        r = scale_put_bytes(out, parent, 32);
    if (r == ITEE_OK)
        r = scale_put_compact(out, *number);
    if (r == ITEE_OK)
        r = scale_put_bytes(out, state, 32);
    if (r == ITEE_OK)
        r = scale_put_bytes(out, ext, 32);
    if (r == ITEE_OK)
        r = scale_put_compact(out, json_array_size(logs));
    for (size_t i = 0; r == ITEE_OK && i < json_array_size(logs); i++)
        r = node_api_json_hex(json_array_get(logs, i), out); /* each log is a SCALE DigestItem */
    return r;
}

enum itee_err pc_sync_finalized(struct node_api *api, uint8_t hash[32], uint32_t *number)
{
    json_t *h = NULL, *hdr = NULL;
    enum itee_err r = rpc_client_call(api->rpc, "chain_getFinalizedHead", NULL, &h);
    if (r == ITEE_OK)
        r = node_api_json_hex32(h, hash);
    json_t *params = r == ITEE_OK ? json_pack("[O]", h) : NULL;
    if (r == ITEE_OK && params == NULL)
        r = ITEE_ERR_NOMEM;
    if (r == ITEE_OK)
        r = rpc_client_call(api->rpc, "chain_getHeader", params, &hdr);
    if (r == ITEE_OK)
        r = hex_number(json_object_get(hdr, "number"), number);
    json_decref(params);
    json_decref(h);
    json_decref(hdr);
    return r;
}

enum itee_err pc_sync_block_hash(struct node_api *api, uint32_t n, uint8_t hash[32])
{
    json_t *params = json_pack("[I]", (json_int_t)n), *h = NULL;
    if (params == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err r = rpc_client_call(api->rpc, "chain_getBlockHash", params, &h);
    json_decref(params);
    if (r == ITEE_OK)
        r = json_is_null(h) ? ITEE_ERR_NOENT : node_api_json_hex32(h, hash);
    json_decref(h);
    return r;
}

/* The GRANDPA justification of a block, if the node has one ([[engine bytes], [data bytes]]). */
static enum itee_err grandpa_justification(const json_t *justs, struct itee_buf *out, bool *found)
{
    *found = false;
    size_t i;
    json_t *j;
    json_array_foreach(justs, i, j)
    {
        json_t *eng = json_array_get(j, 0), *data = json_array_get(j, 1);
        if (json_array_size(eng) != 4 || !json_is_array(data))
            return ITEE_ERR_FORMAT;
        char id[4];
        for (size_t k = 0; k < 4; k++)
            id[k] = (char)json_integer_value(json_array_get(eng, k));
        if (memcmp(id, "FRNK", 4) != 0)
            continue;
        size_t k;
        json_t *b;
        json_array_foreach(data, k, b)
        {
            if (!json_is_integer(b) || json_integer_value(b) < 0 || json_integer_value(b) > 255)
                return ITEE_ERR_FORMAT;
            enum itee_err r = itee_buf_push(out, (uint8_t)json_integer_value(b));
            if (r != ITEE_OK)
                return r;
        }
        *found = true;
        return ITEE_OK;
    }
    return ITEE_OK;
}

/* Decodes a SCALE Vec<Vec<u8>> of proof nodes into views. */
static enum itee_err proof_views(const struct itee_buf *proof, struct itee_slice **out, size_t *n)
{
    struct scale_reader r;
    scale_reader_init(&r, proof->ptr, proof->len);
    enum itee_err e = scale_read_len(&r, n, 1);
    if (e != ITEE_OK)
        return e;
    *out = *n ? itee_alloc_array(*n, sizeof(**out)) : NULL;
    if (*n > 0 && *out == NULL)
        return ITEE_ERR_NOMEM;
    for (size_t i = 0; e == ITEE_OK && i < *n; i++)
        e = scale_read_vec_u8(&r, &(*out)[i]);
    return e;
}

enum itee_err pc_sync_read_proof(struct node_api *api, const uint8_t at[32], struct itee_slice key,
                                 struct itee_buf *value, struct itee_buf *proof)
{
    bool found = false;
    enum itee_err r = node_api_storage(api, key, at, value, &found);
    if (r != ITEE_OK)
        return r;
    char *khex = itee_alloc(2 * key.len + 3);
    if (khex == NULL)
        return ITEE_ERR_NOMEM;
    khex[0] = '0';
    khex[1] = 'x';
    (void)itee_hex_encode(khex + 2, 2 * key.len + 1, key.ptr, key.len);
    char ah[67];
    node_api_hex32(ah, at);
    json_t *params = json_pack("[[s], s]", khex, ah), *res = NULL;
    itee_free(khex);
    if (params == NULL)
        return ITEE_ERR_NOMEM;
    r = rpc_client_call(api->rpc, "state_getReadProof", params, &res);
    json_decref(params);
    json_t *nodes = json_object_get(res, "proof");
    if (r == ITEE_OK && !json_is_array(nodes))
        r = ITEE_ERR_FORMAT;
    if (r == ITEE_OK)
        r = scale_put_compact(proof, json_array_size(nodes));
    struct itee_buf node;
    itee_buf_init(&node, PC_SYNC_MAX_VALUE);
    for (size_t i = 0; r == ITEE_OK && i < json_array_size(nodes); i++) {
        itee_buf_reset(&node);
        r = node_api_json_hex(json_array_get(nodes, i), &node);
        if (r == ITEE_OK)
            r = scale_put_vec_u8(proof, node.ptr, node.len);
    }
    itee_buf_free(&node);
    json_decref(res);
    return r;
}

enum itee_err pc_sync_bundle(struct node_api *api, const uint8_t hash[32], uint32_t *number,
                             struct itee_buf *out)
{
    char h[67];
    node_api_hex32(h, hash);
    json_t *params = json_pack("[s]", h), *res = NULL;
    if (params == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err r = rpc_client_call(api->rpc, "chain_getBlock", params, &res);
    json_decref(params);
    struct itee_buf header, just, xs, events, proof, evkey;
    itee_buf_init(&header, PC_SYNC_MAX_VALUE);
    itee_buf_init(&just, PC_SYNC_MAX_VALUE);
    itee_buf_init(&xs, PC_SYNC_MAX_VALUE);
    itee_buf_init(&events, PC_SYNC_MAX_VALUE);
    itee_buf_init(&proof, PC_SYNC_MAX_VALUE);
    itee_buf_init(&evkey, 0);
    struct itee_slice *xv = NULL, *pv = NULL;
    size_t n_x = 0, n_p = 0;
    bool has_just = false;
    if (r != ITEE_OK)
        goto cleanup;
    if (json_is_null(res)) {
        r = ITEE_ERR_NOENT;
        goto cleanup;
    }
    json_t *blk = json_object_get(res, "block");
    if ((r = header_from_json(json_object_get(blk, "header"), &header, number)) != ITEE_OK)
        goto cleanup;
    uint8_t check[32];
    hash_blake2_256(check, header.ptr, header.len);
    if (memcmp(check, hash, 32) != 0) { /* the node's JSON does not describe the block asked for */
        r = ITEE_ERR_FORMAT;
        goto cleanup;
    }
    json_t *justs = json_object_get(res, "justifications");
    if (!json_is_null(justs) && (r = grandpa_justification(justs, &just, &has_just)) != ITEE_OK)
        goto cleanup;
    json_t *exts = json_object_get(blk, "extrinsics");
    n_x = json_array_size(exts);
    /* offsets first, views after: xs may move while it grows */
    size_t *off = n_x ? itee_alloc_array(n_x + 1, sizeof(size_t)) : NULL;
    if (n_x > 0 && off == NULL) {
        r = ITEE_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t i = 0; r == ITEE_OK && i < n_x; i++) {
        off[i] = xs.len;
        r = node_api_json_hex(json_array_get(exts, i), &xs);
    }
    if (r == ITEE_OK && n_x > 0) {
        off[n_x] = xs.len;
        if ((xv = itee_alloc_array(n_x, sizeof(*xv))) == NULL)
            r = ITEE_ERR_NOMEM;
        for (size_t i = 0; r == ITEE_OK && i < n_x; i++)
            xv[i] = itee_slice_make(xs.ptr + off[i], off[i + 1] - off[i]);
    }
    itee_free(off);
    if (r != ITEE_OK)
        goto cleanup;
    uint8_t prefix[32];
    hash_storage_prefix(prefix, "System", "Events");
    if ((r = itee_buf_append(&evkey, prefix, 32)) != ITEE_OK)
        goto cleanup;
    if ((r = pc_sync_read_proof(api, hash, itee_buf_slice(&evkey), &events, &proof)) != ITEE_OK)
        goto cleanup;
    if ((r = proof_views(&proof, &pv, &n_p)) != ITEE_OK)
        goto cleanup;
    struct itee_slice js = itee_buf_slice(&just);
    r = pc_bundle_encode(out, itee_buf_slice(&header), has_just ? &js : NULL, xv, n_x,
                         itee_buf_slice(&events), pv, n_p);
cleanup:
    itee_free(xv);
    itee_free(pv);
    itee_buf_free(&header);
    itee_buf_free(&just);
    itee_buf_free(&xs);
    itee_buf_free(&events);
    itee_buf_free(&proof);
    itee_buf_free(&evkey);
    json_decref(res);
    return r;
}
