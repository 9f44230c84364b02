/*
 * rpc_node.c - the node's JSON-RPC methods (see rpc_node.h), as Substrate answers them (spec
 * substrate-compat §9): reads at a block open that block's state trie from the chain database;
 * subscriptions send their current value at once and then one notification per imported block.
 */
#include "node/rpc_node.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "chain/block.h"
#include "chain/grandpa.h"
#include "chain/header.h"
#include "codec/scale.h"
#include "common/hex.h"
#include "common/int128.h"
#include "common/log.h"
#include "common/mem.h"
#include "crypto/hash.h"
#include "keys/keystore.h"
#include "keys/ss58.h"
#include "node/node.h"
#include "node/runtime/pallet_system.h"
#include "node/runtime/pallet_transaction_payment.h"
#include "node/runtime/rt_api.h"
#include "node/runtime/rt_exec.h"
#include "node/runtime/rt_metadata.h"

#define KEYS_PAGED_MAX 1000u /* Substrate's STORAGE_KEYS_PAGED_MAX_COUNT */
#define ERR_CLIENT     4003  /* sc_rpc state errors: "Client error: ..." */

/* ---- JSON helpers ------------------------------------------------------------------- */

static json_t *jhex(const uint8_t *p, size_t len)
{
    size_t cap = 2 * len + 3;
    char *s = itee_alloc(cap);
    if (s == NULL)
        return NULL;
    s[0] = '0';
    s[1] = 'x';
    json_t *j = NULL;
    if (itee_hex_encode(s + 2, cap - 2, p, len) == ITEE_OK)
        j = json_string(s);
    itee_free(s);
    return j;
}

/* Decodes a "0x.." JSON string into out (replacing it). Returns false when not hex. */
static bool jbytes(const json_t *j, struct itee_buf *out)
{
    if (!json_is_string(j))
        return false;
    const char *s = json_string_value(j);
    size_t len = json_string_length(j);
    itee_buf_reset(out);
    if (itee_buf_reserve(out, len / 2 + 1) != ITEE_OK)
        return false;
    size_t n = 0;
    if (itee_hex_decode(out->ptr, len / 2 + 1, &n, s, len) != ITEE_OK)
        return false;
    out->len = n;
    return true;
}

static bool jhash(const json_t *j, uint8_t out[32])
{
    return json_is_string(j) &&
           itee_hex_decode_exact(out, 32, json_string_value(j), json_string_length(j)) == ITEE_OK;
}

static json_t *param(json_t *params, size_t i)
{
    return json_is_array(params) ? json_array_get(params, i) : NULL;
}

/*
 * The block a call is made at: the param at index i when given (not null), else the best.
 * Returns: false (after answering the error) when the hash is malformed or unknown.
 */
static bool at_block(struct node *n, struct rpc_call *call, json_t *params, size_t i,
                     uint8_t out[32], enum itee_err *e)
{
    json_t *p = param(params, i);
    if (p == NULL || json_is_null(p)) {
        memcpy(out, n->db.best, 32);
        return true;
    }
    uint8_t root[32];
    if (!jhash(p, out)) {
        *e = rpc_call_invalid_params(call, "invalid block hash");
        return false;
    }
    if (chain_db_state_root(&n->db, out, root) != ITEE_OK) {
        char msg[160] = "Client error: UnknownBlock: State already discarded for 0x";
        size_t l = strlen(msg);
        if (itee_hex_encode(msg + l, sizeof(msg) - l, out, 32) != ITEE_OK)
            msg[l] = '\0';
        *e = rpc_call_error(call, ERR_CLIENT, msg, NULL);
        return false;
    }
    return true;
}

static json_t *header_json(const uint8_t *enc, size_t len)
{
    struct header h;
    if (header_decode(&h, enc, len) != ITEE_OK)
        return json_null();
    char num[16];
    int k = snprintf(num, sizeof(num), "0x%" PRIx32, h.number);
    (void)k;
    json_t *logs = json_array();
    struct itee_buf b;
    itee_buf_init(&b, 0);
    for (size_t i = 0; i < h.n_logs; i++) {
        itee_buf_reset(&b);
        if (header_digest_item_encode(&b, &h.logs[i]) == ITEE_OK)
            json_array_append_new(logs, jhex(b.ptr, b.len));
    }
    itee_buf_free(&b);
    return json_pack("{s:o,s:s,s:o,s:o,s:{s:o}}", "parentHash", jhex(h.parent_hash, 32), "number",
                     num, "stateRoot", jhex(h.state_root, 32), "extrinsicsRoot",
                     jhex(h.extrinsics_root, 32), "digest", "logs", logs);
}

static json_t *header_json_at(struct node *n, const uint8_t hash[32])
{
    struct itee_buf b;
    itee_buf_init(&b, 0);
    json_t *j =
        chain_db_header(&n->db, hash, &b) == ITEE_OK ? header_json(b.ptr, b.len) : json_null();
    itee_buf_free(&b);
    return j;
}

/* A state view with a block context at block hash (number + 1, as the runtime APIs run). */
struct view {
    struct trie *trie;
    struct rt_state *st;
    struct rt_ctx ctx;
    bool have_ctx;
};

static enum itee_err view_open(struct node *n, const uint8_t hash[32], struct view *v)
{
    memset(v, 0, sizeof(*v));
    struct itee_buf hb;
    struct header h;
    itee_buf_init(&hb, 0);
    enum itee_err e = chain_db_header(&n->db, hash, &hb);
    if (e == ITEE_OK)
        e = header_decode(&h, hb.ptr, hb.len);
    if (e == ITEE_OK)
        e = trie_open(&v->trie, TRIE_LAYOUT_V0, &n->db.tdb, h.state_root);
    if (e == ITEE_OK)
        e = rt_state_new(&v->st, v->trie);
    if (e == ITEE_OK) {
        rt_ctx_init(&v->ctx, v->st, h.number + 1, hash);
        v->ctx.phase = RT_PHASE_APPLY;
        v->have_ctx = true;
    }
    itee_buf_free(&hb);
    return e;
}

static void view_close(struct view *v)
{
    if (v->have_ctx)
        rt_ctx_free(&v->ctx);
    rt_state_free(v->st);
    trie_free(v->trie);
}

/* Value of key at the trie t as JSON hex or null. */
static json_t *storage_json(struct trie *t, const uint8_t *k, size_t klen)
{
    struct itee_buf v;
    bool found = false;
    itee_buf_init(&v, 0);
    json_t *j = NULL;
    if (trie_get(t, k, klen, &v, &found) == ITEE_OK)
        j = found ? jhex(v.ptr, v.len) : json_null();
    itee_buf_free(&v);
    return j ? j : json_null();
}

/* ---- system_* ---------------------------------------------------------------------- */

static enum itee_err h_system(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    (void)params;
    const char *m = rpc_call_method(call);
    json_t *r;
    if (strcmp(m, "system_name") == 0)
        r = json_string("Integritee Node");
    else if (strcmp(m, "system_version") == 0)
        r = json_string(NODE_VERSION);
    else if (strcmp(m, "system_chain") == 0)
        r = json_string(n->cfg.chain_name);
    else if (strcmp(m, "system_chainType") == 0)
        r = json_string(n->cfg.chain_type);
    else if (strcmp(m, "system_properties") == 0)
        r = json_pack("{s:i,s:i,s:s}", "ss58Format", SS58_PREFIX_INTEGRITEE, "tokenDecimals", 12,
                      "tokenSymbol", "TEER");
    else if (strcmp(m, "system_health") == 0)
        r = json_pack("{s:i,s:b,s:b}", "peers", 0, "isSyncing", 0, "shouldHavePeers", 0);
    else if (strcmp(m, "system_peers") == 0 || strcmp(m, "system_localListenAddresses") == 0)
        r = json_array();
    else if (strcmp(m, "system_localPeerId") == 0)
        r = json_string("12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp");
    else if (strcmp(m, "system_nodeRoles") == 0)
        r = json_pack("[s]", "Authority");
    else if (strcmp(m, "system_syncState") == 0)
        r = json_pack("{s:i,s:I,s:I}", "startingBlock", 0, "currentBlock",
                      (json_int_t)n->db.best_number, "highestBlock", (json_int_t)n->db.best_number);
    else
        return rpc_call_error(call, RPC_METHOD_NOT_FOUND, "Method not found", NULL);
    return rpc_call_reply(call, r);
}

static enum itee_err h_next_index(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    json_t *p = param(params, 0);
    uint8_t who[32];
    uint16_t prefix;
    if (!json_is_string(p))
        return rpc_call_invalid_params(call, "expected an account");
    const char *s = json_string_value(p);
    if (ss58_decode_account32(who, &prefix, s, strlen(s)) != ITEE_OK &&
        itee_hex_decode_exact(who, 32, s, strlen(s)) != ITEE_OK)
        return rpc_call_invalid_params(call, "invalid account");
    struct view v;
    enum itee_err e = view_open(n, n->db.best, &v);
    struct pallet_system_account a;
    if (e == ITEE_OK)
        e = pallet_system_account_get(&v.ctx, who, &a, NULL);
    view_close(&v);
    if (e != ITEE_OK)
        return e;
    return rpc_call_reply(call, json_integer(pool_next_nonce(&n->pool, who, a.nonce)));
}

/* ---- chain_* ------------------------------------------------------------------------ */

static json_t *hash_of(struct node *n, json_t *p)
{
    json_int_t num;
    if (p == NULL || json_is_null(p))
        return jhex(n->db.best, 32);
    if (json_is_integer(p)) {
        num = json_integer_value(p);
    } else if (json_is_string(p)) {
        const char *s = json_string_value(p);
        char *end = NULL;
        num = (json_int_t)strtoll(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
        if (end == s || *end != '\0')
            return json_null();
    } else {
        return json_null();
    }
    uint8_t h[32];
    if (num < 0 || num > UINT32_MAX || chain_db_hash_at(&n->db, (uint32_t)num, h) != ITEE_OK)
        return json_null();
    return jhex(h, 32);
}

static enum itee_err h_block_hash(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    json_t *p = param(params, 0);
    if (json_is_array(p)) {
        json_t *r = json_array();
        size_t i;
        json_t *x;
        json_array_foreach(p, i, x) json_array_append_new(r, hash_of(n, x));
        return rpc_call_reply(call, r);
    }
    if (p != NULL && !json_is_null(p) && !json_is_integer(p) && !json_is_string(p))
        return rpc_call_invalid_params(call, "expected a block number");
    return rpc_call_reply(call, hash_of(n, p));
}

static enum itee_err h_header(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    uint8_t h[32];
    json_t *p = param(params, 0);
    if (p == NULL || json_is_null(p))
        return rpc_call_reply(call, header_json_at(n, n->db.best));
    if (!jhash(p, h))
        return rpc_call_invalid_params(call, "invalid block hash");
    return rpc_call_reply(call, header_json_at(n, h));
}

static enum itee_err h_block(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    uint8_t h[32];
    json_t *p = param(params, 0);
    if (p == NULL || json_is_null(p))
        memcpy(h, n->db.best, 32);
    else if (!jhash(p, h))
        return rpc_call_invalid_params(call, "invalid block hash");
    struct itee_buf b;
    struct block_signed sb;
    itee_buf_init(&b, 0);
    if (chain_db_block(&n->db, h, &b) != ITEE_OK ||
        block_signed_decode(&sb, b.ptr, b.len) != ITEE_OK) {
        itee_buf_free(&b);
        return rpc_call_reply(call, json_null());
    }
    struct itee_buf hb;
    itee_buf_init(&hb, 0);
    json_t *hdr =
        header_encode(&hb, &sb.block.header) == ITEE_OK ? header_json(hb.ptr, hb.len) : json_null();
    itee_buf_free(&hb);
    json_t *exts = json_array();
    for (size_t i = 0; i < sb.block.n_extrinsics; i++)
        json_array_append_new(exts, jhex(sb.block.extrinsics[i].ptr, sb.block.extrinsics[i].len));
    json_t *just = json_null();
    if (sb.has_justifications) {
        json_decref(just);
        just = json_array();
        for (size_t i = 0; i < sb.n_justifications; i++) {
            json_t *eng = json_array(), *data = json_array();
            for (size_t k = 0; k < 4; k++)
                json_array_append_new(eng, json_integer(sb.justifications[i].engine[k]));
            for (size_t k = 0; k < sb.justifications[i].data.len; k++)
                json_array_append_new(data, json_integer(sb.justifications[i].data.ptr[k]));
            json_array_append_new(just, json_pack("[o,o]", eng, data));
        }
    }
    block_signed_free(&sb);
    itee_buf_free(&b);
    return rpc_call_reply(call, json_pack("{s:{s:o,s:o},s:o}", "block", "header", hdr, "extrinsics",
                                          exts, "justifications", just));
}

static enum itee_err h_finalized(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    (void)params;
    return rpc_call_reply(call, jhex(n->db.best, 32));
}

static enum itee_err h_sub_heads(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    (void)params;
    char id[RPC_SUB_ID_LEN + 1];
    enum itee_err e = rpc_call_sub_accept(call, NULL, id);
    if (e != ITEE_OK)
        return e == ITEE_ERR_SPACE ? ITEE_OK : e;
    return rpc_server_notify(n->rpc, id, header_json_at(n, n->db.best));
}

/* ---- state_* ------------------------------------------------------------------------ */

static enum itee_err h_storage(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    const char *m = rpc_call_method(call);
    struct itee_buf key, v;
    uint8_t at[32];
    enum itee_err e = ITEE_OK;
    itee_buf_init(&key, 0);
    itee_buf_init(&v, 0);
    if (!jbytes(param(params, 0), &key)) {
        e = rpc_call_invalid_params(call, "invalid storage key");
        goto out;
    }
    if (!at_block(n, call, params, 1, at, &e))
        goto out;
    struct trie *t = NULL;
    bool found = false;
    e = chain_db_state(&n->db, at, &t);
    if (e == ITEE_OK)
        e = trie_get(t, key.ptr, key.len, &v, &found);
    trie_free(t);
    if (e != ITEE_OK)
        goto out;
    json_t *r;
    if (!found) {
        r = json_null();
    } else if (strcmp(m, "state_getStorageHash") == 0 || strcmp(m, "state_getStorageHashAt") == 0) {
        uint8_t h[32];
        hash_blake2_256(h, v.ptr, v.len);
        r = jhex(h, 32);
    } else if (strcmp(m, "state_getStorageSize") == 0 || strcmp(m, "state_getStorageSizeAt") == 0) {
        r = json_integer((json_int_t)v.len);
    } else {
        r = jhex(v.ptr, v.len);
    }
    e = rpc_call_reply(call, r);
out:
    itee_buf_free(&key);
    itee_buf_free(&v);
    return e;
}

struct keys_acc {
    json_t *arr;
};

static bool keys_cb(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *value,
                    size_t value_len)
{
    (void)value;
    (void)value_len;
    struct keys_acc *a = ctx;
    json_array_append_new(a->arr, jhex(key, key_len));
    return true;
}

static enum itee_err h_keys_paged(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    struct itee_buf prefix, start;
    uint8_t at[32];
    enum itee_err e = ITEE_OK;
    itee_buf_init(&prefix, 0);
    itee_buf_init(&start, 0);
    json_t *pp = param(params, 0), *pc = param(params, 1), *ps = param(params, 2);
    bool has_start = ps != NULL && !json_is_null(ps);
    if ((pp != NULL && !json_is_null(pp) && !jbytes(pp, &prefix)) || !json_is_integer(pc) ||
        (has_start && !jbytes(ps, &start))) {
        e = rpc_call_invalid_params(call, "expected prefix, count, startKey?, hash?");
        goto out;
    }
    json_int_t count = json_integer_value(pc);
    if (count < 0 || count > KEYS_PAGED_MAX) {
        e = rpc_call_error(call, RPC_INVALID_PARAMS,
                           "count exceeds maximum value. value: larger, max: 1000", NULL);
        goto out;
    }
    if (!at_block(n, call, params, 3, at, &e))
        goto out;
    struct trie *t = NULL;
    struct keys_acc acc = {.arr = json_array()};
    if (count > 0) {
        e = chain_db_state(&n->db, at, &t);
        if (e == ITEE_OK)
            e = trie_iter(t, prefix.ptr, prefix.len, has_start ? start.ptr : NULL, start.len,
                          (size_t)count, false, keys_cb, &acc);
        trie_free(t);
    }
    if (e != ITEE_OK) {
        json_decref(acc.arr);
        goto out;
    }
    e = rpc_call_reply(call, acc.arr);
out:
    itee_buf_free(&prefix);
    itee_buf_free(&start);
    return e;
}

/* {"block": at, "changes": [[k, v|null]...]} for the keys array at block at. */
static json_t *changes_json(struct node *n, const uint8_t at[32], json_t *keys, json_t *last,
                            bool only_changed)
{
    struct trie *t = NULL;
    struct itee_buf k;
    itee_buf_init(&k, 0);
    json_t *changes = json_array();
    if (chain_db_state(&n->db, at, &t) == ITEE_OK) {
        size_t i;
        json_t *kj;
        json_array_foreach(keys, i, kj)
        {
            if (!jbytes(kj, &k))
                continue;
            json_t *v = storage_json(t, k.ptr, k.len);
            if (last != NULL) {
                json_t *old = json_array_get(last, i);
                bool same = old != NULL && json_equal(old, v);
                json_array_set(last, i, v);
                if (only_changed && same) {
                    json_decref(v);
                    continue;
                }
            }
            json_array_append_new(changes, json_pack("[O,o]", kj, v));
        }
    }
    trie_free(t);
    itee_buf_free(&k);
    return json_pack("{s:o,s:o}", "block", jhex(at, 32), "changes", changes);
}

static enum itee_err h_query_at(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    json_t *keys = param(params, 0);
    uint8_t at[32];
    enum itee_err e = ITEE_OK;
    if (!json_is_array(keys))
        return rpc_call_invalid_params(call, "expected an array of keys");
    if (!at_block(n, call, params, 1, at, &e))
        return e;
    return rpc_call_reply(call, json_pack("[o]", changes_json(n, at, keys, NULL, false)));
}

static enum itee_err h_read_proof(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    json_t *keys = param(params, 0);
    uint8_t at[32];
    enum itee_err e = ITEE_OK;
    if (!json_is_array(keys))
        return rpc_call_invalid_params(call, "expected an array of keys");
    if (!at_block(n, call, params, 1, at, &e))
        return e;
    size_t nk = json_array_size(keys);
    struct itee_buf *kb = itee_alloc_array(nk + 1, sizeof(*kb));
    struct itee_slice *ks = itee_alloc_array(nk + 1, sizeof(*ks));
    struct trie_proof proof;
    struct trie *t = NULL;
    trie_proof_init(&proof);
    if (kb == NULL || ks == NULL) {
        e = ITEE_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nk; i++)
        itee_buf_init(&kb[i], 0);
    for (size_t i = 0; i < nk; i++) {
        if (!jbytes(json_array_get(keys, i), &kb[i])) {
            e = rpc_call_invalid_params(call, "invalid storage key");
            goto free_keys;
        }
        ks[i] = itee_buf_slice(&kb[i]);
    }
    e = chain_db_state(&n->db, at, &t);
    if (e == ITEE_OK)
        e = trie_prove(t, ks, nk, &proof);
    if (e == ITEE_OK) {
        json_t *arr = json_array();
        for (size_t i = 0; i < proof.count; i++)
            json_array_append_new(arr, jhex(proof.nodes[i].ptr, proof.nodes[i].len));
        e = rpc_call_reply(call, json_pack("{s:o,s:o}", "at", jhex(at, 32), "proof", arr));
    }
free_keys:
    for (size_t i = 0; i < nk; i++)
        itee_buf_free(&kb[i]);
out:
    trie_free(t);
    trie_proof_free(&proof);
    itee_free(kb);
    itee_free(ks);
    return e;
}

static enum itee_err h_metadata(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    uint8_t at[32];
    enum itee_err e = ITEE_OK;
    if (!at_block(n, call, params, 0, at, &e))
        return e;
    return rpc_call_reply(call, jhex(n->md_v14.ptr, n->md_v14.len));
}

static enum itee_err h_runtime_version(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    uint8_t at[32];
    enum itee_err e = ITEE_OK;
    if (!at_block(n, call, params, 0, at, &e))
        return e;
    json_t *v = rt_runtime_version_json();
    return v ? rpc_call_reply(call, v) : ITEE_ERR_NOMEM;
}

static enum itee_err h_sub_version(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    (void)params;
    char id[RPC_SUB_ID_LEN + 1];
    enum itee_err e = rpc_call_sub_accept(call, NULL, id);
    if (e != ITEE_OK)
        return e == ITEE_ERR_SPACE ? ITEE_OK : e;
    return rpc_server_notify(n->rpc, id, rt_runtime_version_json());
}

/* A storage subscription: its keys and the values last sent. */
struct storage_sub {
    json_t *keys; /* array of hex keys */
    json_t *last; /* values last sent (same length) */
};

static void storage_sub_end(void *ctx, const char *sub_id, void *data)
{
    (void)ctx;
    (void)sub_id;
    struct storage_sub *s = data;
    if (s == NULL)
        return;
    json_decref(s->keys);
    json_decref(s->last);
    itee_free(s);
}

static enum itee_err h_sub_storage(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    json_t *keys = param(params, 0);
    if (keys != NULL && !json_is_null(keys) && !json_is_array(keys))
        return rpc_call_invalid_params(call, "expected an array of keys");
    struct storage_sub *s = itee_zalloc(sizeof(*s));
    if (s == NULL)
        return ITEE_ERR_NOMEM;
    s->keys = json_is_array(keys) ? json_deep_copy(keys) : json_array();
    s->last = json_array();
    for (size_t i = 0; i < json_array_size(s->keys); i++)
        json_array_append_new(s->last, json_null());
    char id[RPC_SUB_ID_LEN + 1];
    enum itee_err e = rpc_call_sub_accept(call, s, id);
    if (e != ITEE_OK) {
        storage_sub_end(NULL, NULL, s);
        return e == ITEE_ERR_SPACE ? ITEE_OK : e;
    }
    return rpc_server_notify(n->rpc, id, changes_json(n, n->db.best, s->keys, s->last, false));
}

static enum itee_err h_call(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    json_t *pm = param(params, 0);
    struct itee_buf args, out;
    uint8_t at[32];
    enum itee_err e = ITEE_OK;
    itee_buf_init(&args, 0);
    itee_buf_init(&out, 0);
    if (!json_is_string(pm) || !jbytes(param(params, 1), &args)) {
        e = rpc_call_invalid_params(call, "expected method, data, hash?");
        goto out;
    }
    if (!at_block(n, call, params, 2, at, &e))
        goto out;
    struct view v;
    e = view_open(n, at, &v);
    if (e == ITEE_OK) {
        struct rt_api_env env = {.ctx = &v.ctx, .block_hash = at, .md = n->md, .chain = &n->xchain};
        e = rt_api_call(&env, json_string_value(pm), args.ptr, args.len, &out);
    }
    view_close(&v);
    if (e == ITEE_OK) {
        e = rpc_call_reply(call, jhex(out.ptr, out.len));
    } else if (e == ITEE_ERR_UNSUPPORTED) {
        char msg[200];
        int k = snprintf(msg, sizeof(msg),
                         "Client error: Execution failed: Other: Exported method %s is not found",
                         json_string_value(pm));
        (void)k;
        e = rpc_call_error(call, ERR_CLIENT, msg, NULL);
    } else if (e >= ITEE_ERR_SCALE_EOF && e <= ITEE_ERR_SCALE_ORDER) {
        log_debug("state_call %s: %s", json_string_value(pm), itee_strerror(e));
        e = rpc_call_error(call, ERR_CLIENT,
                           "Client error: Execution failed: Runtime panicked: Bad input data "
                           "provided to the runtime API",
                           NULL);
    }
out:
    itee_buf_free(&args);
    itee_buf_free(&out);
    return e;
}

/*
 * The shared first half of payment_queryInfo / payment_queryFeeDetails [ext, at?]: decodes the
 * extrinsic and asks the runtime at `at` for its dispatch info. Returns: true with *xt (views into
 * x) and *info; false when the call has been answered (*e is the answer's result).
 */
static bool fee_call_info(struct node *n, struct rpc_call *call, json_t *params, struct itee_buf *x,
                          struct extrinsic *xt, struct rt_info *info, enum itee_err *e)
{
    uint8_t at[32];
    if (!jbytes(param(params, 0), x)) {
        *e = rpc_call_invalid_params(call, "expected hex extrinsic bytes");
        return false;
    }
    if (!at_block(n, call, params, 1, at, e))
        return false;
    if (extrinsic_decode(xt, &n->xchain, x->ptr, x->len) != ITEE_OK) {
        *e = rpc_call_error(call, 1001, "Extrinsic has invalid format", NULL);
        return false;
    }
    struct view v;
    enum itee_err r = view_open(n, at, &v);
    if (r == ITEE_OK)
        r = rt_exec_call_info(&v.ctx, xt->call.ptr, xt->call.len, info);
    view_close(&v);
    if (r != ITEE_OK) {
        *e = rpc_call_error(call, 1001, "Extrinsic has invalid format", NULL);
        return false;
    }
    return true;
}

/* ---- author_* / payment_* ------------------------------------------------------------- */

static enum itee_err verdict_error(struct rpc_call *call, const struct pool_verdict *v)
{
    return rpc_call_error(call, v->code, v->message, v->data ? json_string(v->data) : NULL);
}

static enum itee_err h_submit(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    struct itee_buf x;
    struct pool_verdict v;
    itee_buf_init(&x, 0);
    enum itee_err e;
    if (!jbytes(param(params, 0), &x)) {
        e = rpc_call_invalid_params(call, "expected hex extrinsic bytes");
        goto out;
    }
    n->metrics.validations_scheduled++;
    e = pool_submit(n, x.ptr, x.len, &v);
    n->metrics.validations_finished++;
    if (e != ITEE_OK)
        goto out;
    e = v.code ? verdict_error(call, &v) : rpc_call_reply(call, jhex(v.hash, 32));
out:
    itee_buf_free(&x);
    return e;
}

static void watch_end(void *ctx, const char *sub_id, void *data)
{
    (void)data;
    struct node *n = ctx;
    pool_unwatch(&n->pool, sub_id);
}

static enum itee_err h_submit_watch(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    struct itee_buf x;
    struct pool_verdict v;
    itee_buf_init(&x, 0);
    enum itee_err e;
    if (!jbytes(param(params, 0), &x)) {
        e = rpc_call_invalid_params(call, "expected hex extrinsic bytes");
        goto out;
    }
    n->metrics.validations_scheduled++;
    e = pool_submit(n, x.ptr, x.len, &v);
    n->metrics.validations_finished++;
    if (e != ITEE_OK)
        goto out;
    if (v.code) {
        e = verdict_error(call, &v);
        goto out;
    }
    char id[RPC_SUB_ID_LEN + 1];
    e = rpc_call_sub_accept(call, NULL, id);
    if (e != ITEE_OK) {
        e = e == ITEE_ERR_SPACE ? ITEE_OK : e;
        goto out;
    }
    struct txq_tx *t = &n->pool.q.tx[v.index];
    t->watched = true;
    memcpy(t->watch, id, sizeof(id));
    e = rpc_server_notify(n->rpc, id, json_string(v.future ? "future" : "ready"));
    if (e == ITEE_ERR_NOENT)
        e = ITEE_OK;
out:
    itee_buf_free(&x);
    return e;
}

static enum itee_err h_pending(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    (void)params;
    json_t *r = json_array();
    for (size_t i = 0; i < n->pool.q.n; i++)
        json_array_append_new(r, jhex(n->pool.q.tx[i].bytes, n->pool.q.tx[i].len));
    return rpc_call_reply(call, r);
}

static enum itee_err h_query_info(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    struct itee_buf x, out;
    enum itee_err e = ITEE_OK;
    itee_buf_init(&x, 0);
    itee_buf_init(&out, 0);
    struct extrinsic xt;
    struct rt_info info;
    if (!fee_call_info(n, call, params, &x, &xt, &info, &e))
        goto out;
    if (pallet_transaction_payment_encode_query_info(&info, x.len, xt.is_signed, &out) != ITEE_OK) {
        e = rpc_call_error(call, 1001, "Extrinsic has invalid format", NULL);
        goto out;
    }
    struct scale_reader r;
    uint64_t rt = 0, ps = 0;
    uint8_t cls = 0;
    itee_u128 fee = 0;
    scale_reader_init(&r, out.ptr, out.len);
    if (scale_read_compact_u64(&r, &rt) != ITEE_OK || scale_read_compact_u64(&r, &ps) != ITEE_OK ||
        scale_read_u8(&r, &cls) != ITEE_OK || scale_read_u128(&r, &fee) != ITEE_OK) {
        e = ITEE_ERR_INTERNAL;
        goto out;
    }
    char fs[ITEE_U128_DEC_MAX];
    itee_u128_to_dec(fs, fee);
    static const char *const classes[] = {"normal", "operational", "mandatory"};
    e = rpc_call_reply(call, json_pack("{s:{s:I,s:I},s:s,s:s}", "weight", "refTime", (json_int_t)rt,
                                       "proofSize", (json_int_t)ps, "class",
                                       classes[cls < 3 ? cls : 0], "partialFee", fs));
out:
    itee_buf_free(&x);
    itee_buf_free(&out);
    return e;
}

/* sp_rpc NumberOrHex of a u128: Hex(U256), serialised as minimal 0x-hex ("0x0" for zero). */
static json_t *u128_hexnum(itee_u128 v)
{
    char out[2 + 32 + 1] = "0x";
    char tmp[32];
    size_t i = 0;
    do {
        tmp[i++] = "0123456789abcdef"[(int)(v & 15)];
        v >>= 4;
    } while (v != 0 && i < sizeof(tmp));
    for (size_t k = 0; k < i; k++)
        out[2 + k] = tmp[i - 1 - k];
    out[2 + i] = '\0';
    return json_string(out);
}

/*
 * payment_queryFeeDetails [ext, at?]: FeeDetails { inclusionFee: Option<InclusionFee {baseFee,
 * lenFee, adjustedWeightFee}> } (the tip is serde-skipped, as in pallet-transaction-payment-rpc).
 */
static enum itee_err h_query_fee_details(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    struct itee_buf x;
    enum itee_err e = ITEE_OK;
    itee_buf_init(&x, 0);
    struct extrinsic xt;
    struct rt_info info;
    if (!fee_call_info(n, call, params, &x, &xt, &info, &e))
        goto out;
    struct pallet_transaction_payment_fee f;
    pallet_transaction_payment_details(x.len, &info.weight, info.pays, 0, &f);
    json_t *incl = json_null();
    if (xt.is_signed && f.has_inclusion)
        incl =
            json_pack("{s:o,s:o,s:o}", "baseFee", u128_hexnum(f.base_fee), "lenFee",
                      u128_hexnum(f.len_fee), "adjustedWeightFee", u128_hexnum(f.adjusted_weight));
    e = rpc_call_reply(call, json_pack("{s:o}", "inclusionFee", incl));
out:
    itee_buf_free(&x);
    return e;
}

/* ---- author_* keys (unsafe) ------------------------------------------------------------ */

#define KEY_AURA    "aura"
#define KEY_GRANDPA "gran"

/* author_rotateKeys: new AURA (sr25519) and GRANDPA (ed25519) keys in the keystore; answers
 * SCALE(SessionKeys {aura, grandpa}), the two public keys concatenated. */
static enum itee_err h_rotate_keys(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    (void)params;
    uint8_t pub[2][KEYS_PUBLIC_MAX], both[64];
    size_t len[2] = {0, 0};
    enum itee_err e = keystore_generate(&n->keystore, KEY_AURA, 4, pub[0], &len[0]);
    if (e == ITEE_OK)
        e = keystore_generate(&n->keystore, KEY_GRANDPA, 4, pub[1], &len[1]);
    if (e != ITEE_OK || len[0] != 32 || len[1] != 32) {
        log_error("author_rotateKeys: %s", itee_strerror(e));
        return rpc_call_error(call, RPC_INTERNAL_ERROR, "Keystore operation failed", NULL);
    }
    memcpy(both, pub[0], 32);
    memcpy(both + 32, pub[1], 32);
    return rpc_call_reply(call, jhex(both, 64));
}

/* The key type param: a 4-character string. */
static bool key_type(const json_t *j, const char **out)
{
    enum keys_scheme s;
    if (!json_is_string(j) ||
        keystore_scheme(json_string_value(j), json_string_length(j), &s) != ITEE_OK)
        return false;
    *out = json_string_value(j);
    return true;
}

/* author_insertKey [keyType, suri, publicKey]: the suri must derive publicKey. */
static enum itee_err h_insert_key(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    const char *type = NULL;
    json_t *suri = param(params, 1);
    struct itee_buf pub;
    itee_buf_init(&pub, 0);
    enum itee_err e;
    if (!key_type(param(params, 0), &type) || !json_is_string(suri) ||
        !jbytes(param(params, 2), &pub)) {
        e = rpc_call_invalid_params(call, "expected keyType (aura, gran, ...), suri, publicKey");
        goto out;
    }
    e = keystore_insert(&n->keystore, type, 4, json_string_value(suri), json_string_length(suri),
                        pub.ptr, pub.len);
    if (e == ITEE_OK)
        e = rpc_call_reply(call, json_null());
    else if (e == ITEE_ERR_IO)
        e = rpc_call_error(call, RPC_INTERNAL_ERROR, "Keystore operation failed", NULL);
    else
        e = rpc_call_invalid_params(call, itee_strerror(e));
out:
    itee_buf_free(&pub);
    return e;
}

/* author_hasKey [publicKey, keyType]. */
static enum itee_err h_has_key(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    const char *type = NULL;
    struct itee_buf pub;
    bool has = false;
    itee_buf_init(&pub, 0);
    enum itee_err e;
    if (!jbytes(param(params, 0), &pub) || !key_type(param(params, 1), &type))
        e = rpc_call_invalid_params(call, "expected publicKey, keyType");
    else if (keystore_has(&n->keystore, type, 4, pub.ptr, pub.len, &has) != ITEE_OK)
        e = rpc_call_reply(call, json_false()); /* wrong length for the type: not there */
    else
        e = rpc_call_reply(call, json_boolean(has));
    itee_buf_free(&pub);
    return e;
}

/* author_hasSessionKeys [SCALE(SessionKeys)]: both keys in the keystore. */
static enum itee_err h_has_session_keys(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    struct itee_buf keys;
    bool a = false, g = false;
    itee_buf_init(&keys, 0);
    enum itee_err e;
    if (!jbytes(param(params, 0), &keys) || keys.len != 64) {
        e = rpc_call_invalid_params(call, "Session keys are not encoded correctly");
    } else if (keystore_has(&n->keystore, KEY_AURA, 4, keys.ptr, 32, &a) != ITEE_OK ||
               keystore_has(&n->keystore, KEY_GRANDPA, 4, keys.ptr + 32, 32, &g) != ITEE_OK) {
        e = ITEE_ERR_INTERNAL;
    } else {
        e = rpc_call_reply(call, json_boolean(a && g));
    }
    itee_buf_free(&keys);
    return e;
}

/* ---- grandpa_* ---------------------------------------------------------------------------- */

/* The GRANDPA justification of block hash into out. Returns: ITEE_OK or ITEE_ERR_NOENT. */
static enum itee_err justification_of(struct node *n, const uint8_t hash[32], struct itee_buf *out)
{
    struct itee_buf b;
    struct block_signed sb;
    itee_buf_init(&b, 0);
    enum itee_err e = chain_db_block(&n->db, hash, &b);
    if (e == ITEE_OK)
        e = block_signed_decode(&sb, b.ptr, b.len);
    if (e != ITEE_OK) {
        itee_buf_free(&b);
        return ITEE_ERR_NOENT;
    }
    e = ITEE_ERR_NOENT;
    for (size_t i = 0; sb.has_justifications && i < sb.n_justifications && e == ITEE_ERR_NOENT; i++)
        if (memcmp(sb.justifications[i].engine, HEADER_ENGINE_GRANDPA, 4) == 0) {
            itee_buf_reset(out);
            e = itee_buf_append(out, sb.justifications[i].data.ptr, sb.justifications[i].data.len);
        }
    block_signed_free(&sb);
    itee_buf_free(&b);
    return e;
}

/* Grandpa.Authorities at the best block, decoded into auth (at most n_max). */
static enum itee_err grandpa_authorities(struct node *n, struct grandpa_authority *auth,
                                         size_t n_max, size_t *count)
{
    uint8_t key[32];
    struct itee_buf v;
    struct trie *t = NULL;
    bool found = false;
    itee_buf_init(&v, 0);
    *count = 0;
    rt_state_key_value(key, "Grandpa", "Authorities");
    enum itee_err e = chain_db_state(&n->db, n->db.best, &t);
    if (e == ITEE_OK)
        e = trie_get(t, key, 32, &v, &found);
    trie_free(t);
    struct scale_reader r;
    uint64_t len = 0;
    scale_reader_init(&r, v.ptr, v.len);
    if (e == ITEE_OK && found && (e = scale_read_compact_u64(&r, &len)) == ITEE_OK && len > n_max)
        e = ITEE_ERR_FORMAT;
    for (uint64_t i = 0; e == ITEE_OK && found && i < len; i++) {
        e = scale_read_bytes(&r, auth[i].id.bytes, 32);
        if (e == ITEE_OK)
            e = scale_read_u64(&r, &auth[i].weight);
        *count = (size_t)i + 1;
    }
    itee_buf_free(&v);
    return e;
}

/* grandpa_roundState: the single-authority voter's view (our precommit completes each round). */
static enum itee_err h_round_state(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    (void)params;
    struct grandpa_authority auth[GENESIS_MAX_AUTHORITIES];
    size_t na = 0;
    enum itee_err e = grandpa_authorities(n, auth, GENESIS_MAX_AUTHORITIES, &na);
    if (e != ITEE_OK)
        return e;
    uint64_t total = 0, ours = 0;
    json_t *missing = json_array();
    for (size_t i = 0; i < na; i++) {
        total += auth[i].weight;
        if (memcmp(auth[i].id.bytes, n->grandpa.public.bytes, 32) == 0) {
            ours += auth[i].weight;
        } else {
            char a[64];
            if (ss58_encode(a, sizeof(a), 42, auth[i].id.bytes, 32) == ITEE_OK)
                json_array_append_new(missing, json_string(a));
        }
    }
    uint64_t threshold = total == 0 ? 0 : total - (total - 1) / 3;
    json_t *votes = json_pack("{s:I,s:o}", "currentWeight", (json_int_t)ours, "missing", missing);
    json_t *best =
        json_pack("{s:I,s:I,s:I,s:O,s:o}", "round", (json_int_t)n->db.best_number, "totalWeight",
                  (json_int_t)total, "thresholdWeight", (json_int_t)threshold, "prevotes", votes,
                  "precommits", json_deep_copy(votes));
    return rpc_call_reply(call,
                          json_pack("{s:i,s:o,s:[]}", "setId", 0, "best", best, "background"));
}

/* Parses a block number param (JSON integer, or decimal / 0x-hex string). */
static bool block_number(const json_t *p, uint32_t *out)
{
    json_int_t num;
    if (json_is_integer(p)) {
        num = json_integer_value(p);
    } else if (json_is_string(p)) {
        const char *s = json_string_value(p);
        char *end = NULL;
        errno = 0;
        num = (json_int_t)strtoll(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
        if (end == s || *end != '\0' || errno != 0)
            return false;
    } else {
        return false;
    }
    if (num < 0 || num > UINT32_MAX)
        return false;
    *out = (uint32_t)num;
    return true;
}

/*
 * grandpa_proveFinality [blockNumber]: hex SCALE FinalityProof {block, justification: Vec<u8>,
 * unknown_headers: Vec<Header>} for the first justified block at or after blockNumber (headers
 * (blockNumber, justified]), or null when the block is not finalized yet.
 */
static enum itee_err h_prove_finality(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    uint32_t num = 0;
    if (!block_number(param(params, 0), &num))
        return rpc_call_invalid_params(call, "expected a block number");
    struct itee_buf just, headers, proof;
    uint8_t h[32];
    uint32_t j = num;
    size_t n_headers = 0;
    enum itee_err e = ITEE_ERR_NOENT;
    itee_buf_init(&just, 0);
    itee_buf_init(&headers, 0);
    itee_buf_init(&proof, 0);
    for (; j <= n->db.best_number && e == ITEE_ERR_NOENT; j++) {
        if ((e = chain_db_hash_at(&n->db, j, h)) != ITEE_OK)
            break;
        if (j > num) {
            if ((e = chain_db_header(&n->db, h, &proof)) != ITEE_OK ||
                (e = itee_buf_append(&headers, proof.ptr, proof.len)) != ITEE_OK)
                break;
            itee_buf_reset(&proof);
            n_headers++;
        }
        e = justification_of(n, h, &just);
    }
    if (e == ITEE_ERR_NOENT) {
        e = rpc_call_reply(call, json_null());
        goto out;
    }
    if (e == ITEE_OK)
        e = scale_put_bytes(&proof, h, 32);
    if (e == ITEE_OK)
        e = scale_put_compact(&proof, just.len);
    if (e == ITEE_OK)
        e = scale_put_bytes(&proof, just.ptr, just.len);
    if (e == ITEE_OK)
        e = scale_put_compact(&proof, n_headers);
    if (e == ITEE_OK)
        e = scale_put_bytes(&proof, headers.ptr, headers.len);
    if (e == ITEE_OK)
        e = rpc_call_reply(call, jhex(proof.ptr, proof.len));
out:
    itee_buf_free(&just);
    itee_buf_free(&headers);
    itee_buf_free(&proof);
    return e;
}

/* grandpa_subscribeJustifications: one notification per finalized block from now on. */
static enum itee_err h_sub_justifications(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)ctx;
    (void)params;
    char id[RPC_SUB_ID_LEN + 1];
    enum itee_err e = rpc_call_sub_accept(call, NULL, id);
    return e == ITEE_ERR_SPACE ? ITEE_OK : e;
}

/* ---- table ---------------------------------------------------------------------------- */

struct method {
    const char *name;
    rpc_method_fn fn;
};

/* Refused under --rpc-methods safe (or auto with --rpc-external), as Substrate's DenyUnsafe. */
static const char *const k_unsafe[] = {"author_rotateKeys", "author_insertKey", "author_hasKey",
                                       "author_hasSessionKeys"};

static const struct method k_methods[] = {
    {"system_name", h_system},
    {"system_version", h_system},
    {"system_chain", h_system},
    {"system_chainType", h_system},
    {"system_properties", h_system},
    {"system_health", h_system},
    {"system_peers", h_system},
    {"system_localPeerId", h_system},
    {"system_localListenAddresses", h_system},
    {"system_nodeRoles", h_system},
    {"system_syncState", h_system},
    {"system_accountNextIndex", h_next_index},
    {"account_nextIndex", h_next_index},
    {"chain_getBlockHash", h_block_hash},
    {"chain_getHead", h_block_hash},
    {"chain_getHeader", h_header},
    {"chain_getBlock", h_block},
    {"chain_getFinalizedHead", h_finalized},
    {"chain_getFinalisedHead", h_finalized},
    {"state_getStorage", h_storage},
    {"state_getStorageAt", h_storage},
    {"state_getStorageHash", h_storage},
    {"state_getStorageHashAt", h_storage},
    {"state_getStorageSize", h_storage},
    {"state_getStorageSizeAt", h_storage},
    {"state_getKeysPaged", h_keys_paged},
    {"state_getKeysPagedAt", h_keys_paged},
    {"state_queryStorageAt", h_query_at},
    {"state_getReadProof", h_read_proof},
    {"state_getMetadata", h_metadata},
    {"state_getRuntimeVersion", h_runtime_version},
    {"chain_getRuntimeVersion", h_runtime_version},
    {"state_call", h_call},
    {"state_callAt", h_call},
    {"author_submitExtrinsic", h_submit},
    {"author_pendingExtrinsics", h_pending},
    {"payment_queryInfo", h_query_info},
    {"author_rotateKeys", h_rotate_keys},
    {"author_insertKey", h_insert_key},
    {"author_hasKey", h_has_key},
    {"author_hasSessionKeys", h_has_session_keys},
    {"grandpa_roundState", h_round_state},
    {"grandpa_proveFinality", h_prove_finality},
    {"payment_queryFeeDetails", h_query_fee_details},
};

struct sub_method {
    const char *name, *notif, *unsub;
    rpc_method_fn fn;
};

static const struct sub_method k_subs[] = {
    {"chain_subscribeNewHeads", "chain_newHead", "chain_unsubscribeNewHeads", h_sub_heads},
    {"chain_subscribeNewHead", "chain_newHead", "chain_unsubscribeNewHead", h_sub_heads},
    {"subscribe_newHead", "chain_newHead", "unsubscribe_newHead", h_sub_heads},
    {"chain_subscribeAllHeads", "chain_allHead", "chain_unsubscribeAllHeads", h_sub_heads},
    {"chain_subscribeFinalizedHeads", "chain_finalizedHead", "chain_unsubscribeFinalizedHeads",
     h_sub_heads},
    {"chain_subscribeFinalisedHeads", "chain_finalizedHead", "chain_unsubscribeFinalisedHeads",
     h_sub_heads},
    {"state_subscribeRuntimeVersion", "state_runtimeVersion", "state_unsubscribeRuntimeVersion",
     h_sub_version},
    {"chain_subscribeRuntimeVersion", "state_runtimeVersion", "chain_unsubscribeRuntimeVersion",
     h_sub_version},
    {"state_subscribeStorage", "state_storage", "state_unsubscribeStorage", h_sub_storage},
    {"author_submitAndWatchExtrinsic", "author_extrinsicUpdate", "author_unwatchExtrinsic",
     h_submit_watch},
    {"grandpa_subscribeJustifications", "grandpa_justifications",
     "grandpa_unsubscribeJustifications", h_sub_justifications},
};

/*
 * Every call goes through here: counted for Prometheus (substrate_rpc_calls_*), and unsafe
 * methods refused as Substrate's DenyUnsafe does.
 */
static enum itee_err h_dispatch(void *ctx, struct rpc_call *call, json_t *params)
{
    struct node *n = ctx;
    const char *name = rpc_call_method(call);
    const char *label = NULL;
    rpc_method_fn fn = NULL;
    bool unsafe = false;
    for (size_t i = 0; fn == NULL && i < sizeof(k_methods) / sizeof(*k_methods); i++)
        if (strcmp(k_methods[i].name, name) == 0) {
            fn = k_methods[i].fn;
            label = k_methods[i].name;
        }
    for (size_t i = 0; fn == NULL && i < sizeof(k_subs) / sizeof(*k_subs); i++)
        if (strcmp(k_subs[i].name, name) == 0) {
            fn = k_subs[i].fn;
            label = k_subs[i].name;
        }
    if (fn == NULL)
        return rpc_call_error(call, RPC_METHOD_NOT_FOUND, "Method not found", NULL);
    for (size_t i = 0; i < sizeof(k_unsafe) / sizeof(*k_unsafe); i++)
        unsafe = unsafe || strcmp(k_unsafe[i], name) == 0;
    metrics_rpc_call(&n->metrics, label, false);
    enum itee_err e = unsafe && n->deny_unsafe
                          ? rpc_call_error(call, RPC_METHOD_NOT_FOUND,
                                           "RPC call is unsafe to be called externally", NULL)
                          : fn(ctx, call, params);
    metrics_rpc_call(&n->metrics, label, true);
    return e;
}

enum itee_err rpc_node_register(struct node *n)
{
    enum itee_err e = ITEE_OK;
    for (size_t i = 0; e == ITEE_OK && i < sizeof(k_methods) / sizeof(*k_methods); i++)
        e = rpc_register(n->rpc, k_methods[i].name, h_dispatch, n);
    for (size_t i = 0; e == ITEE_OK && i < sizeof(k_subs) / sizeof(*k_subs); i++) {
        rpc_sub_end_fn end = NULL;
        void *end_ctx = NULL;
        if (k_subs[i].fn == h_sub_storage)
            end = storage_sub_end;
        if (k_subs[i].fn == h_submit_watch) {
            end = watch_end;
            end_ctx = n;
        }
        e = rpc_register_sub(n->rpc, k_subs[i].name, k_subs[i].notif, k_subs[i].unsub, h_dispatch,
                             n, end, end_ctx);
    }
    return e;
}

static void notify_head(void *ctx, const char *sub_id, void *data)
{
    (void)data;
    struct node *n = ctx;
    if (rpc_server_notify(n->rpc, sub_id, header_json_at(n, n->db.best)) != ITEE_OK) {
        /* the connection is gone */
    }
}

static void notify_storage(void *ctx, const char *sub_id, void *data)
{
    struct node *n = ctx;
    struct storage_sub *s = data;
    if (s == NULL || json_array_size(s->keys) == 0)
        return;
    json_t *c = changes_json(n, n->db.best, s->keys, s->last, true);
    if (json_array_size(json_object_get(c, "changes")) == 0) {
        json_decref(c);
        return;
    }
    if (rpc_server_notify(n->rpc, sub_id, c) != ITEE_OK) {
        /* the connection is gone */
    }
}

/* The justification of the new block, for grandpa_justifications subscribers. */
struct just_note {
    struct node *n;
    json_t *hex;
};

static void notify_justification(void *ctx, const char *sub_id, void *data)
{
    (void)data;
    struct just_note *j = ctx;
    if (rpc_server_notify(j->n->rpc, sub_id, json_copy(j->hex)) != ITEE_OK) {
        /* the connection is gone */
    }
}

void rpc_node_on_block(struct node *n)
{
    struct itee_buf jb;
    itee_buf_init(&jb, 0);
    if (justification_of(n, n->db.best, &jb) == ITEE_OK) {
        struct just_note note = {.n = n, .hex = jhex(jb.ptr, jb.len)};
        if (note.hex != NULL)
            rpc_server_sub_foreach(n->rpc, "grandpa_justifications", notify_justification, &note);
        json_decref(note.hex);
    }
    itee_buf_free(&jb);
    rpc_server_sub_foreach(n->rpc, "chain_newHead", notify_head, n);
    rpc_server_sub_foreach(n->rpc, "chain_allHead", notify_head, n);
    rpc_server_sub_foreach(n->rpc, "chain_finalizedHead", notify_head, n);
    rpc_server_sub_foreach(n->rpc, "state_storage", notify_storage, n);
}
