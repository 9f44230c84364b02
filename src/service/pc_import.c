/*
 * pc_import.c - feeding the enclave's parentchain importer from the node (see pc_import.h).
 */
#include "pc_import.h"

#include <jansson.h>
#include <string.h>

#include "chain/pc_bundle.h"
#include "codec/scale.h"
#include "common/hex.h"
#include "common/log.h"
#include "crypto/hash.h"
#include "net/rpc_client.h"
#include "service/pc_sync.h"

#define PC_IMPORT_METADATA_MAX ((size_t)16 * 1024 * 1024)

/* state_getMetadata as raw bytes (RuntimeMetadataPrefixed). */
static enum itee_err pc_import_metadata(struct node_api *api, struct itee_buf *out)
{
    json_t *res = NULL;
    enum itee_err r = rpc_client_call_text(api->rpc, "state_getMetadata", "[]", &res);
    if (r != ITEE_OK)
        return r;
    const char *hex = json_string_value(res);
    size_t n = hex != NULL ? strlen(hex) : 0, len = 0;
    r = ITEE_ERR_FORMAT;
    if (n < 2 || n / 2 > PC_IMPORT_METADATA_MAX)
        goto out;
    r = itee_buf_reserve(out, n / 2);
    if (r == ITEE_OK)
        r = itee_hex_decode(out->ptr + out->len, out->cap - out->len, &len, hex, n);
    if (r == ITEE_OK)
        out->len += len;
    else
        r = ITEE_ERR_FORMAT;
out:
    json_decref(res);
    return r;
}

/* The genesis header's SCALE bytes (from block 0's bundle). Out: hash. */
static enum itee_err pc_import_genesis(struct node_api *api, uint8_t hash[32], struct itee_buf *hdr)
{
    struct itee_buf bundle;
    struct pc_bundle b;
    uint32_t number = 0;
    itee_buf_init(&bundle, 0);
    memset(&b, 0, sizeof(b));
    enum itee_err r = pc_sync_block_hash(api, 0, hash);
    if (r == ITEE_OK)
        r = pc_sync_bundle(api, hash, &number, &bundle);
    if (r == ITEE_OK)
        r = pc_bundle_decode(&b, bundle.ptr, bundle.len);
    if (r == ITEE_OK)
        r = itee_buf_append(hdr, b.header.ptr, b.header.len);
    pc_bundle_free(&b);
    itee_buf_free(&bundle);
    return r;
}

enum itee_err pc_import_init_request(struct node_api *api, const uint8_t signer[32],
                                     const uint8_t shard[32], struct itee_buf *out)
{
    struct itee_buf hdr, md, value, proof;
    uint8_t genesis[32], key[32];
    uint32_t nonce = 0;
    if (api == NULL || signer == NULL || shard == NULL || out == NULL)
        return ITEE_ERR_ARG;
    itee_buf_init(&hdr, 0);
    itee_buf_init(&md, 0);
    itee_buf_init(&value, 0);
    itee_buf_init(&proof, 0);
    hash_storage_prefix(key, "Grandpa", "Authorities");
    enum itee_err r = pc_import_genesis(api, genesis, &hdr);
    if (r == ITEE_OK)
        r = pc_sync_read_proof(api, genesis, itee_slice_make(key, 32), &value, &proof);
    if (r == ITEE_OK)
        r = pc_import_metadata(api, &md);
    if (r == ITEE_OK)
        r = node_api_next_nonce(api, signer, &nonce);
    if (r == ITEE_OK)
        r = scale_put_vec_u8(out, hdr.ptr, hdr.len);
    if (r == ITEE_OK) /* pc_sync_read_proof wrote the nodes as SCALE Vec<Vec<u8>> already */
        r = itee_buf_append(out, proof.ptr, proof.len);
    if (r == ITEE_OK)
        r = scale_put_vec_u8(out, md.ptr, md.len);
    if (r == ITEE_OK)
        r = scale_put_u32(out, api->spec_version);
    if (r == ITEE_OK)
        r = scale_put_u32(out, api->tx_version);
    if (r == ITEE_OK)
        r = scale_put_u32(out, nonce);
    if (r == ITEE_OK)
        r = scale_put_bytes(out, shard, 32);
    itee_buf_free(&hdr);
    itee_buf_free(&md);
    itee_buf_free(&value);
    itee_buf_free(&proof);
    return r;
}

enum itee_err pc_import_init(struct node_api *api, struct enclave_host *h, const uint8_t shard[32],
                             struct enclave_host_pc_status *st)
{
    struct itee_buf req;
    uint8_t signer[32];
    if (api == NULL || h == NULL || shard == NULL || st == NULL)
        return ITEE_ERR_ARG;
    itee_buf_init(&req, 0);
    enum itee_err r = enclave_host_signing_pubkey(h, signer);
    if (r == ITEE_OK)
        r = pc_import_init_request(api, signer, shard, &req);
    if (r == ITEE_OK)
        r = enclave_host_parentchain_init(h, req.ptr, req.len, st);
    itee_buf_free(&req);
    return r;
}

enum itee_err pc_import_sync(struct node_api *api, struct enclave_host *h, uint32_t max_blocks,
                             uint32_t *imported, uint32_t *executed)
{
    struct enclave_host_pc_status st;
    uint8_t head[32];
    uint32_t head_n = 0;
    if (api == NULL || h == NULL || imported == NULL || executed == NULL)
        return ITEE_ERR_ARG;
    *imported = 0;
    *executed = 0;
    enum itee_err r = enclave_host_parentchain_status(h, &st);
    if (r == ITEE_OK)
        r = pc_sync_finalized(api, head, &head_n);
    struct itee_buf bundle;
    itee_buf_init(&bundle, 0);
    for (uint32_t n = st.best + 1; r == ITEE_OK && n <= head_n; n++) {
        if (max_blocks != 0 && *imported >= max_blocks)
            break;
        uint8_t hash[32];
        uint32_t number = 0;
        struct enclave_host_pc_import res;
        itee_buf_reset(&bundle);
        r = pc_sync_block_hash(api, n, hash);
        if (r == ITEE_OK)
            r = pc_sync_bundle(api, hash, &number, &bundle);
        if (r == ITEE_OK)
            r = enclave_host_parentchain_import(h, bundle.ptr, bundle.len, &res);
        if (r != ITEE_OK) {
            log_warn("parentchain block %u not imported: %s", (unsigned)n, itee_strerror(r));
            break;
        }
        (*imported)++;
        *executed += res.calls_executed;
    }
    itee_buf_free(&bundle);
    return r;
}
