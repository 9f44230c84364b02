/*
 * node_api.c - parentchain access by metadata: see node_api.h.
 */
#include "net/node_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chain/extrinsic.h"
#include "chain/metadata_value.h"
#include "codec/scale.h"
#include "common/hex.h"
#include "common/mem.h"
#include "crypto/hash.h"

#define NODE_API_MAX_VALUE ((size_t)64 * 1024 * 1024)

void node_api_hex32(char out[67], const uint8_t in[32])
{
    out[0] = '0';
    out[1] = 'x';
    (void)itee_hex_encode(out + 2, 65, in, 32);
}

enum itee_err node_api_json_hex(const json_t *v, struct itee_buf *out)
{
    const char *s = json_string_value(v);
    if (s == NULL)
        return ITEE_ERR_FORMAT;
    size_t n = json_string_length(v);
    if (n < 2 || s[0] != '0' || s[1] != 'x' || n % 2 != 0)
        return ITEE_ERR_FORMAT;
    enum itee_err r = itee_buf_reserve(out, (n - 2) / 2);
    if (r != ITEE_OK)
        return r;
    size_t got = 0;
    if (itee_hex_decode(out->ptr + out->len, (n - 2) / 2, &got, s, n) != ITEE_OK)
        return ITEE_ERR_FORMAT;
    out->len += got;
    return ITEE_OK;
}

enum itee_err node_api_json_hex32(const json_t *v, uint8_t out[32])
{
    const char *s = json_string_value(v);
    if (s == NULL || itee_hex_decode_exact(out, 32, s, json_string_length(v)) != ITEE_OK)
        return ITEE_ERR_FORMAT;
    return ITEE_OK;
}

static enum itee_err read_version(struct node_api *api)
{
    json_t *v = NULL;
    enum itee_err r = rpc_client_call(api->rpc, "state_getRuntimeVersion", NULL, &v);
    if (r != ITEE_OK)
        return r;
    json_t *spec = json_object_get(v, "specVersion"),
           *tx = json_object_get(v, "transactionVersion");
    if (!json_is_integer(spec) || !json_is_integer(tx)) {
        json_decref(v);
        return ITEE_ERR_FORMAT;
    }
    api->spec_version = (uint32_t)json_integer_value(spec);
    api->tx_version = (uint32_t)json_integer_value(tx);
    json_decref(v);
    return ITEE_OK;
}

static enum itee_err read_properties(struct node_api *api)
{
    api->ss58 = 42;
    api->decimals = 12;
    json_t *v = NULL;
    enum itee_err r = rpc_client_call(api->rpc, "system_properties", NULL, &v);
    if (r != ITEE_OK)
        return r;
    json_t *f = json_object_get(v, "ss58Format");
    if (json_is_integer(f) && json_integer_value(f) >= 0 && json_integer_value(f) < 16384)
        api->ss58 = (uint16_t)json_integer_value(f);
    json_t *d = json_object_get(v, "tokenDecimals");
    if (json_is_array(d))
        d = json_array_get(d, 0);
    if (json_is_integer(d) && json_integer_value(d) >= 0 && json_integer_value(d) <= 38)
        api->decimals = (uint32_t)json_integer_value(d);
    json_decref(v);
    return ITEE_OK;
}

static enum itee_err read_metadata(struct node_api *api)
{
    json_t *v = NULL;
    struct itee_buf blob;
    itee_buf_init(&blob, NODE_API_MAX_VALUE);
    enum itee_err r = rpc_client_call(api->rpc, "state_getMetadata", NULL, &v);
    if (r == ITEE_OK)
        r = node_api_json_hex(v, &blob);
    uint32_t version = 0;
    if (r == ITEE_OK)
        r = metadata_decode(blob.ptr, blob.len, &api->md, &version);
    if (r == ITEE_OK) {
        const struct metadata_extrinsic *x = metadata_extrinsic_get(api->md);
        for (size_t i = 0; x != NULL && i < x->n_exts; i++)
            if (strcmp(x->exts[i].identifier, "CheckMetadataHash") == 0)
                api->check_metadata_hash = true;
    }
    json_decref(v);
    itee_buf_free(&blob);
    return r;
}

enum itee_err node_api_open(struct node_api *api, const char *url, uint32_t timeout_ms)
{
    if (api == NULL || url == NULL)
        return ITEE_ERR_ARG;
    memset(api, 0, sizeof(*api));
    enum itee_err r = rpc_client_connect(&api->rpc, url, timeout_ms);
    if (r != ITEE_OK)
        return r;
    rpc_client_set_timeout(api->rpc, timeout_ms);
    json_t *g = NULL;
    r = rpc_client_call_text(api->rpc, "chain_getBlockHash", "[0]", &g);
    if (r == ITEE_OK)
        r = node_api_json_hex32(g, api->genesis);
    json_decref(g);
    if (r == ITEE_OK)
        r = read_version(api);
    if (r == ITEE_OK)
        r = read_properties(api);
    if (r == ITEE_OK)
        r = read_metadata(api);
    if (r != ITEE_OK)
        node_api_close(api);
    return r;
}

void node_api_close(struct node_api *api)
{
    if (api == NULL)
        return;
    rpc_client_free(api->rpc);
    metadata_builder_free(api->md);
    memset(api, 0, sizeof(*api));
}

enum itee_err node_api_storage_key(const struct node_api *api, const char *pallet, const char *item,
                                   const struct itee_slice *parts, size_t n_parts,
                                   struct itee_buf *out)
{
    const struct metadata_pallet *p = NULL;
    const struct metadata_storage_entry *e = metadata_find_storage(api->md, pallet, item, &p);
    if (e == NULL)
        return ITEE_ERR_NOENT;
    if (n_parts != e->n_hashers || (n_parts > 0 && parts == NULL))
        return ITEE_ERR_ARG;
    uint8_t prefix[32];
    hash_storage_prefix(prefix, p->storage_prefix ? p->storage_prefix : p->name, e->name);
    enum itee_err r = itee_buf_append(out, prefix, sizeof(prefix));
    for (size_t i = 0; r == ITEE_OK && i < n_parts; i++)
        r = hash_storage_append(out, (enum hash_storage_hasher)e->hashers[i], parts[i].ptr,
                                parts[i].len);
    return r;
}

enum itee_err node_api_storage(struct node_api *api, struct itee_slice key, const uint8_t *at,
                               struct itee_buf *out, bool *found)
{
    *found = false;
    char *khex = itee_alloc(2 * key.len + 3);
    if (khex == NULL)
        return ITEE_ERR_NOMEM;
    khex[0] = '0';
    khex[1] = 'x';
    (void)itee_hex_encode(khex + 2, 2 * key.len + 1, key.ptr, key.len);
    json_t *params = json_pack("[s]", khex);
    itee_free(khex);
    if (params != NULL && at != NULL) {
        char h[67];
        node_api_hex32(h, at);
        if (json_array_append_new(params, json_string(h)) != 0) {
            json_decref(params);
            params = NULL;
        }
    }
    if (params == NULL)
        return ITEE_ERR_NOMEM;
    json_t *v = NULL;
    enum itee_err r = rpc_client_call(api->rpc, "state_getStorage", params, &v);
    json_decref(params);
    if (r == ITEE_OK && !json_is_null(v)) {
        r = node_api_json_hex(v, out);
        *found = r == ITEE_OK;
    }
    json_decref(v);
    return r;
}

enum itee_err node_api_account(struct node_api *api, const uint8_t who[32],
                               struct node_account *out)
{
    memset(out, 0, sizeof(*out));
    struct itee_buf key, val;
    itee_buf_init(&key, 0);
    itee_buf_init(&val, 4096);
    struct itee_slice part = itee_slice_make(who, 32);
    bool found = false;
    enum itee_err r = node_api_storage_key(api, "System", "Account", &part, 1, &key);
    if (r == ITEE_OK)
        r = node_api_storage(api, itee_buf_slice(&key), NULL, &val, &found);
    if (r == ITEE_OK && found) {
        /* AccountInfo { nonce u32, consumers u32, providers u32, sufficients u32,
         *               data { free, reserved, frozen, flags: u128 } } */
        struct scale_reader rd;
        uint32_t skip;
        scale_reader_init(&rd, val.ptr, val.len);
        r = scale_read_u32(&rd, &out->nonce);
        for (int i = 0; r == ITEE_OK && i < 3; i++)
            r = scale_read_u32(&rd, &skip);
        if (r == ITEE_OK)
            r = scale_read_u128(&rd, &out->free);
        if (r == ITEE_OK)
            r = scale_read_u128(&rd, &out->reserved);
        if (r == ITEE_OK)
            r = scale_read_u128(&rd, &out->frozen);
        if (r != ITEE_OK)
            r = ITEE_ERR_FORMAT;
    }
    itee_buf_free(&key);
    itee_buf_free(&val);
    return r;
}

enum itee_err node_api_call(const struct node_api *api, const char *pallet, const char *call,
                            struct itee_slice args, struct itee_buf *out)
{
    uint8_t idx[2];
    enum itee_err r = metadata_find_call(api->md, pallet, call, idx);
    if (r == ITEE_OK)
        r = itee_buf_append(out, idx, 2);
    if (r == ITEE_OK && args.len > 0)
        r = itee_buf_append(out, args.ptr, args.len);
    return r;
}

/* Text of a DispatchError as decoded JSON: "Pallet.Error" for module errors. */
static void dispatch_error_text(const struct node_api *api, const json_t *err, char *out,
                                size_t cap)
{
    json_t *module = json_object_get(err, "Module");
    if (module != NULL) {
        json_t *idx = json_object_get(module, "index");
        const char *e = json_string_value(json_object_get(module, "error"));
        const struct metadata_pallet *p =
            json_is_integer(idx)
                ? metadata_find_pallet_index(api->md, (uint8_t)json_integer_value(idx))
                : NULL;
        uint8_t eb[4] = {0};
        size_t got = 0;
        if (p != NULL && e != NULL && p->errors != METADATA_TY_NONE &&
            itee_hex_decode(eb, sizeof(eb), &got, e, strlen(e)) == ITEE_OK && got >= 1) {
            const struct metadata_variant *v =
                metadata_find_variant_index(api->md, p->errors, eb[0]);
            if (v != NULL) {
                (void)snprintf(out, cap, "%s.%s", p->name, v->name);
                return;
            }
        }
    }
    char *text = json_dumps(err, JSON_COMPACT | JSON_ENCODE_ANY);
    (void)snprintf(out, cap, "%s", text ? text : "unknown dispatch error");
    free(text);
}

/* Finds the extrinsic in the block and collects its events. */
static enum itee_err read_outcome(struct node_api *api, const char *xhex,
                                  struct node_api_receipt *rc)
{
    char bh[67];
    node_api_hex32(bh, rc->block_hash);
    json_t *params = json_pack("[s]", bh), *blk = NULL;
    if (params == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err r = rpc_client_call(api->rpc, "chain_getBlock", params, &blk);
    json_decref(params);
    if (r != ITEE_OK)
        return r;
    json_t *xs = json_object_get(json_object_get(blk, "block"), "extrinsics");
    size_t i, n = json_array_size(xs);
    for (i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(xs, i));
        if (s != NULL && strcmp(s, xhex) == 0)
            break;
    }
    json_decref(blk);
    if (i == n) {
        (void)snprintf(rc->error, sizeof(rc->error), "extrinsic not found in its block");
        return ITEE_ERR_FORMAT;
    }
    rc->index = (uint32_t)i;
    struct itee_buf key, val;
    itee_buf_init(&key, 0);
    itee_buf_init(&val, NODE_API_MAX_VALUE);
    bool found = false;
    json_t *all = NULL;
    r = node_api_storage_key(api, "System", "Events", NULL, 0, &key);
    if (r == ITEE_OK)
        r = node_api_storage(api, itee_buf_slice(&key), rc->block_hash, &val, &found);
    if (r == ITEE_OK)
        r = metadata_events_decode(api->md, val.ptr, val.len, &all);
    itee_buf_free(&key);
    itee_buf_free(&val);
    if (r != ITEE_OK)
        return r;
    rc->events = json_array();
    size_t k;
    json_t *ev;
    json_array_foreach(all, k, ev)
    {
        json_t *ph = json_object_get(json_object_get(ev, "phase"), "ApplyExtrinsic");
        if (!json_is_integer(ph) || (uint32_t)json_integer_value(ph) != rc->index)
            continue;
        (void)json_array_append(rc->events, ev);
        const char *pallet = json_string_value(json_object_get(ev, "pallet"));
        const char *name = json_string_value(json_object_get(ev, "event"));
        if (pallet == NULL || name == NULL || strcmp(pallet, "System") != 0)
            continue;
        if (strcmp(name, "ExtrinsicSuccess") == 0)
            rc->success = true;
        if (strcmp(name, "ExtrinsicFailed") == 0)
            dispatch_error_text(api,
                                json_object_get(json_object_get(ev, "fields"), "dispatch_error"),
                                rc->error, sizeof(rc->error));
    }
    json_decref(all);
    return ITEE_OK;
}

/* Waits for the watched status; returns ITEE_OK with rc->block_hash set when reached. */
static enum itee_err watch(struct node_api *api, const char *sub, enum node_api_wait wait,
                           uint32_t timeout_ms, struct node_api_receipt *rc)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        struct timespec t1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        uint64_t spent = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000u +
                         (uint64_t)((t1.tv_nsec - t0.tv_nsec) / 1000000);
        if (spent >= timeout_ms)
            return ITEE_ERR_TIMEOUT;
        json_t *msg = NULL;
        enum itee_err r =
            rpc_client_next_notification(api->rpc, (uint32_t)(timeout_ms - spent), &msg);
        if (r != ITEE_OK)
            return r;
        json_t *p = json_object_get(msg, "params");
        const char *id = json_string_value(json_object_get(p, "subscription"));
        json_t *res = json_object_get(p, "result");
        if (id == NULL || strcmp(id, sub) != 0) {
            json_decref(msg);
            continue;
        }
        const char *word = json_string_value(res);
        json_t *in_block = json_object_get(res, "inBlock");
        json_t *final = json_object_get(res, "finalized");
        if (word != NULL && (strcmp(word, "dropped") == 0 || strcmp(word, "invalid") == 0)) {
            (void)snprintf(rc->error, sizeof(rc->error), "transaction %s by the pool", word);
            r = ITEE_ERR_FORMAT;
        } else if (json_object_get(res, "usurped") != NULL) {
            (void)snprintf(rc->error, sizeof(rc->error), "transaction usurped by another");
            r = ITEE_ERR_FORMAT;
        } else if (final != NULL || (in_block != NULL && wait == NODE_API_WAIT_IN_BLOCK)) {
            r = node_api_json_hex32(final != NULL ? final : in_block, rc->block_hash);
        } else {
            json_decref(msg);
            continue;
        }
        json_decref(msg);
        return r;
    }
}

enum itee_err node_api_submit_xt(struct node_api *api, struct itee_slice xt,
                                 enum node_api_wait wait, uint32_t timeout_ms,
                                 struct node_api_receipt *rc)
{
    memset(rc, 0, sizeof(*rc));
    extrinsic_hash(rc->tx_hash, xt.ptr, xt.len);
    char *xhex = itee_alloc(2 * xt.len + 3);
    if (xhex == NULL)
        return ITEE_ERR_NOMEM;
    xhex[0] = '0';
    xhex[1] = 'x';
    (void)itee_hex_encode(xhex + 2, 2 * xt.len + 1, xt.ptr, xt.len);
    json_t *sub = NULL, *params = json_pack("[s]", xhex);
    enum itee_err r = params ? ITEE_OK : ITEE_ERR_NOMEM;
    if (r == ITEE_OK)
        r = rpc_client_call(api->rpc, "author_submitAndWatchExtrinsic", params, &sub);
    json_decref(params);
    if (r == ITEE_OK && !json_is_string(sub))
        r = ITEE_ERR_FORMAT;
    if (r == ITEE_OK)
        r = watch(api, json_string_value(sub), wait, timeout_ms, rc);
    if (r == ITEE_OK)
        r = read_outcome(api, xhex, rc);
    json_decref(sub);
    itee_free(xhex);
    return r;
}

enum itee_err node_api_next_nonce(struct node_api *api, const uint8_t who[32], uint32_t *nonce)
{
    char h[67];
    node_api_hex32(h, who);
    json_t *params = json_pack("[s]", h), *v = NULL;
    if (params == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err r = rpc_client_call(api->rpc, "system_accountNextIndex", params, &v);
    json_decref(params);
    if (r == ITEE_OK && (!json_is_integer(v) || json_integer_value(v) < 0 ||
                         json_integer_value(v) > (json_int_t)UINT32_MAX))
        r = ITEE_ERR_FORMAT;
    if (r == ITEE_OK)
        *nonce = (uint32_t)json_integer_value(v);
    json_decref(v);
    return r;
}

enum itee_err node_api_submit(struct node_api *api, const struct keys_pair *signer,
                              struct itee_slice call, enum node_api_wait wait, uint32_t timeout_ms,
                              struct node_api_receipt *rc)
{
    memset(rc, 0, sizeof(*rc));
    struct extrinsic_chain chain;
    memset(&chain, 0, sizeof(chain));
    chain.spec_version = api->spec_version;
    chain.tx_version = api->tx_version;
    memcpy(chain.genesis_hash, api->genesis, 32);
    chain.check_metadata_hash = api->check_metadata_hash;
    struct extrinsic_params prm;
    memset(&prm, 0, sizeof(prm));
    prm.era = extrinsic_era_immortal();
    uint8_t who[32];
    keys_pair_account_id(signer, who);
    enum itee_err r = node_api_next_nonce(api, who, &prm.nonce);
    struct itee_buf x;
    itee_buf_init(&x, 0);
    if (r == ITEE_OK)
        r = extrinsic_sign(&x, signer, &chain, call, &prm, api->genesis);
    if (r == ITEE_OK)
        r = node_api_submit_xt(api, itee_buf_slice(&x), wait, timeout_ms, rc);
    itee_buf_free(&x);
    return r;
}

void node_api_receipt_clear(struct node_api_receipt *rc)
{
    if (rc == NULL)
        return;
    json_decref(rc->events);
    rc->events = NULL;
}
