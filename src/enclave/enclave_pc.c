/*
 * enclave_pc.c - the parentchain importer inside the enclave (see enclave_pc.h for the design).
 *
 * Everything the host hands in is hostile: bundles are checked against their own header before
 * the light client sees it, and executed only once the light client finalized that header.
 * The metadata is host input too (docs/enclave.md): it names call indices and event names; a
 * lying host can make the enclave miss indirect calls (as it can by withholding blocks), but
 * cannot make it execute anything that is not in a finalized block of the real chain.
 */
#include "enclave_pc.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "chain/extrinsic.h"
#include "chain/header.h"
#include "chain/light_client.h"
#include "chain/metadata.h"
#include "chain/metadata_value.h"
#include "chain/pc_bundle.h"
#include "chain/trusted_op.h"
#include "codec/scale.h"
#include "common/mem.h"
#include "crypto/hash.h"
#include "crypto/keccak.h"
#include "crypto/rsa.h"
#include "crypto/seal.h"
#include "enclave/enclave_ctx.h"
#include "enclave/enclave_ocall.h"
#include "enclave/enclave_xt.h"
#include "enclave/stf.h"
#include "enclave/stf_balances.h"
#include "trie/trie.h"
#include "trie/trie_proof.h"

#define PC_FILE_VERSION 1
#define PC_KEY_LEN      (sizeof(ENCLAVE_PC_STATE_KEY) - 1)

/* The calls the importer reads or writes, by their indices in this runtime. */
enum pc_call { PC_INVOKE = 0, PC_SHIELD = 1, PC_CONFIRM = 2, PC_UNSHIELD = 3, PC_CALLS = 4 };
static const char *const pc_call_names[PC_CALLS] = {
    "invoke", "shield_funds", "confirm_processed_parentchain_block", "unshield_funds"};

/* A bundle received before its header was final (owned bytes, decoded views into them). */
struct pc_pending {
    uint8_t *bytes;   /* the bundle */
    size_t len;       /* its length */
    uint32_t number;  /* its header's number */
    uint8_t hash[32]; /* its header's hash */
};

struct enclave_pc {
    struct light_client *lc;      /* the parentchain as far as verified */
    struct metadata_builder *md;  /* the node's metadata (host supplied) */
    struct extrinsic_chain chain; /* values signed into our extrinsics */
    uint8_t idx[PC_CALLS][2];     /* EnclaveBridge call indices */
    uint32_t nonce;               /* the signer's next L1 nonce */
    uint8_t shard[32];            /* the shard executed */
    uint32_t last_processed;      /* last block whose calls were executed (or skipped) */
    struct pc_pending pending[ENCLAVE_PC_MAX_PENDING]; /* unfinalized bundles, in order */
    size_t n_pending;                                  /* how many */
    size_t pending_bytes;                              /* their total size */
};

/* Extrinsics built while processing, sent only once everything is persisted. */
struct pc_outbox {
    struct itee_buf bytes; /* the extrinsics back to back (each self-delimiting) */
    size_t lens[2 * 4096]; /* their lengths */
    size_t n;              /* how many */
};

/* ---- keccak and the binary merkle tree ---- */

void enclave_pc_keccak256(uint8_t out[32], const uint8_t *in, size_t len)
{
    enum { RATE = 136 };
    uint8_t st[KECCAK_STATE_LEN];
    memset(st, 0, sizeof(st));
    while (len >= RATE) {
        for (size_t i = 0; i < RATE; i++)
            st[i] ^= in[i];
        keccak_f1600(st);
        in += RATE;
        len -= RATE;
    }
    for (size_t i = 0; i < len; i++)
        st[i] ^= in[i];
    st[len] ^= 0x01; /* Keccak padding (not SHA-3's 0x06): what sp_core::keccak_256 uses */
    st[RATE - 1] ^= 0x80;
    keccak_f1600(st);
    memcpy(out, st, 32);
}

enum itee_err enclave_pc_merkle_root(uint8_t out[32], const uint8_t *leaves, size_t n)
{
    if (out == NULL || (leaves == NULL && n > 0))
        return ITEE_ERR_ARG;
    memset(out, 0, 32);
    if (n == 0)
        return ITEE_OK;
    uint8_t *row = itee_alloc_array(n, 32);
    if (row == NULL)
        return ITEE_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        enclave_pc_keccak256(row + 32 * i, leaves + 32 * i, 32);
    /* as merkelize_row: pairs hashed, an odd last node promoted, until one is left */
    while (n > 1) {
        size_t m = 0;
        for (size_t i = 0; i < n; i += 2, m++) {
            if (i + 1 < n)
                enclave_pc_keccak256(row + 32 * m, row + 32 * i, 64);
            else
                memmove(row + 32 * m, row + 32 * i, 32);
        }
        n = m;
    }
    memcpy(out, row, 32);
    itee_free(row);
    return ITEE_OK;
}

/* ---- requests ---- */

void enclave_pc_init_request_free(struct enclave_pc_init_request *rq)
{
    if (rq == NULL)
        return;
    itee_free(rq->proof);
    memset(rq, 0, sizeof(*rq));
}

enum itee_err enclave_pc_init_request_decode(struct enclave_pc_init_request *rq, const uint8_t *p,
                                             size_t len)
{
    if (rq == NULL || (p == NULL && len > 0))
        return ITEE_ERR_ARG;
    memset(rq, 0, sizeof(*rq));
    struct scale_reader r;
    scale_reader_init(&r, p, len);
    size_t n = 0;
    enum itee_err e = scale_read_vec_u8(&r, &rq->genesis);
    if (e == ITEE_OK)
        e = scale_read_len(&r, &n, 1);
    if (e == ITEE_OK && (n == 0 || n > PC_BUNDLE_MAX_PROOF))
        e = ITEE_ERR_ARG;
    if (e == ITEE_OK) {
        rq->proof = itee_alloc_array(n, sizeof(*rq->proof));
        e = rq->proof == NULL ? ITEE_ERR_NOMEM : ITEE_OK;
    }
    for (size_t i = 0; e == ITEE_OK && i < n; i++) {
        e = scale_read_vec_u8(&r, &rq->proof[i]);
        rq->n_proof = i + 1;
    }
    if (e == ITEE_OK)
        e = scale_read_vec_u8(&r, &rq->metadata);
    if (e == ITEE_OK)
        e = scale_read_u32(&r, &rq->spec_version);
    if (e == ITEE_OK)
        e = scale_read_u32(&r, &rq->tx_version);
    if (e == ITEE_OK)
        e = scale_read_u32(&r, &rq->nonce);
    if (e == ITEE_OK)
        e = scale_read_bytes(&r, rq->shard, sizeof(rq->shard));
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    if (e == ITEE_OK && (rq->genesis.len == 0 || rq->metadata.len == 0))
        e = ITEE_ERR_ARG;
    if (e != ITEE_OK)
        enclave_pc_init_request_free(rq);
    return e;
}

/* ---- small helpers ---- */

static void pc_log(const struct enclave_ctx *ctx, enum itee_log_level lvl, const char *what,
                   uint32_t number, enum itee_err e)
{
    char line[200];
    (void)snprintf(line, sizeof(line), "parentchain block %u: %s (%s)", (unsigned)number, what,
                   itee_strerror(e));
    enclave_ctx_log(ctx, lvl, line);
}

static void pc_pending_clear(struct enclave_pc *pc)
{
    for (size_t i = 0; i < pc->n_pending; i++)
        itee_free(pc->pending[i].bytes);
    memset(pc->pending, 0, sizeof(pc->pending));
    pc->n_pending = 0;
    pc->pending_bytes = 0;
}

void enclave_pc_free(struct enclave_pc *pc)
{
    if (pc == NULL)
        return;
    pc_pending_clear(pc);
    light_client_free(pc->lc);
    metadata_builder_free(pc->md);
    itee_free(pc);
}

static enum itee_err pc_seal_key(const struct enclave_ctx *ctx, uint8_t key[SEAL_KEY_LEN])
{
    return seal_key_derive(key, ctx->mrenclave, ctx->secret, sizeof(ctx->secret),
                           ENCLAVE_PC_SEAL_LABEL);
}

/* Seals {version, last_processed, shard, light client} as ENCLAVE_PC_FILE. */
static enum itee_err pc_save(const struct enclave_ctx *ctx, const struct enclave_pc *pc)
{
    uint8_t key[SEAL_KEY_LEN];
    struct itee_buf plain, lcb, blob;
    itee_buf_init(&plain, ENCLAVE_PC_FILE_MAX);
    itee_buf_init(&lcb, ENCLAVE_PC_FILE_MAX);
    itee_buf_init(&blob, ENCLAVE_PC_FILE_MAX);
    enum itee_err e = light_client_encode(pc->lc, &lcb);
    if (e == ITEE_OK)
        e = scale_put_u8(&plain, PC_FILE_VERSION);
    if (e == ITEE_OK)
        e = scale_put_u32(&plain, pc->last_processed);
    if (e == ITEE_OK)
        e = scale_put_bytes(&plain, pc->shard, sizeof(pc->shard));
    if (e == ITEE_OK)
        e = scale_put_vec_u8(&plain, lcb.ptr, lcb.len);
    if (e == ITEE_OK)
        e = pc_seal_key(ctx, key);
    if (e == ITEE_OK)
        e = seal(&blob, key, (const uint8_t *)ENCLAVE_PC_FILE, strlen(ENCLAVE_PC_FILE), plain.ptr,
                 plain.len);
    if (e == ITEE_OK)
        e = enclave_ocall_write_file(&ctx->ocalls, ENCLAVE_PC_FILE, blob.ptr, blob.len);
    itee_memzero(key, sizeof(key));
    itee_buf_free(&plain);
    itee_buf_free(&lcb);
    itee_buf_free(&blob);
    return e;
}

/* Loads ENCLAVE_PC_FILE. Returns: ITEE_OK, ITEE_ERR_NOENT (none), ITEE_ERR_ENCLAVE_UNSEAL, ... */
static enum itee_err pc_load(const struct enclave_ctx *ctx, struct light_client **lc,
                             uint32_t *last, uint8_t shard[32])
{
    uint8_t key[SEAL_KEY_LEN];
    struct itee_buf blob, plain;
    itee_buf_init(&blob, ENCLAVE_PC_FILE_MAX);
    itee_buf_init(&plain, ENCLAVE_PC_FILE_MAX);
    enum itee_err e =
        enclave_ocall_read_file(&ctx->ocalls, ENCLAVE_PC_FILE, ENCLAVE_PC_FILE_MAX, &blob);
    if (e != ITEE_OK)
        goto out;
    e = pc_seal_key(ctx, key);
    if (e != ITEE_OK)
        goto out;
    if (unseal(&plain, key, (const uint8_t *)ENCLAVE_PC_FILE, strlen(ENCLAVE_PC_FILE), blob.ptr,
               blob.len) != ITEE_OK) {
        e = ITEE_ERR_ENCLAVE_UNSEAL;
        goto out;
    }
    struct scale_reader r;
    struct itee_slice lcs;
    uint8_t version = 0;
    scale_reader_init(&r, plain.ptr, plain.len);
    e = scale_read_u8(&r, &version);
    if (e == ITEE_OK)
        e = scale_read_u32(&r, last);
    if (e == ITEE_OK)
        e = scale_read_bytes(&r, shard, 32);
    if (e == ITEE_OK)
        e = scale_read_vec_u8(&r, &lcs);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    if (e == ITEE_OK && version != PC_FILE_VERSION)
        e = ITEE_ERR_ENCLAVE_UNSEAL;
    if (e == ITEE_OK)
        e = light_client_decode(lc, lcs.ptr, lcs.len);
    if (e != ITEE_OK && e != ITEE_ERR_NOMEM)
        e = ITEE_ERR_ENCLAVE_UNSEAL;
out:
    itee_memzero(key, sizeof(key));
    itee_buf_free(&blob);
    itee_buf_free(&plain);
    return e;
}

/* The shard state's record of the last processed block (0 if none). */
static enum itee_err pc_state_last(struct stf_state *st, uint32_t *last)
{
    struct itee_slice v;
    *last = 0;
    enum itee_err e = stf_state_get(st, (const uint8_t *)ENCLAVE_PC_STATE_KEY, PC_KEY_LEN, &v);
    if (e == ITEE_ERR_NOENT)
        return ITEE_OK;
    if (e != ITEE_OK)
        return e;
    if (v.len != 4)
        return ITEE_ERR_STF_STATE;
    *last = (uint32_t)v.ptr[0] | (uint32_t)v.ptr[1] << 8 | (uint32_t)v.ptr[2] << 16 |
            (uint32_t)v.ptr[3] << 24;
    return ITEE_OK;
}

static enum itee_err pc_state_set_last(struct stf_state *st, uint32_t last)
{
    uint8_t v[4] = {(uint8_t)last, (uint8_t)(last >> 8), (uint8_t)(last >> 16),
                    (uint8_t)(last >> 24)};
    return stf_state_put(st, (const uint8_t *)ENCLAVE_PC_STATE_KEY, PC_KEY_LEN, v, sizeof(v));
}

/* ---- init ---- */

static enum itee_err pc_lookup_calls(struct enclave_pc *pc)
{
    for (int i = 0; i < PC_CALLS; i++) {
        enum itee_err e = metadata_find_call(pc->md, "EnclaveBridge", pc_call_names[i], pc->idx[i]);
        if (e != ITEE_OK)
            return e;
    }
    const struct metadata_extrinsic *x = metadata_extrinsic_get(pc->md);
    for (size_t i = 0; x != NULL && i < x->n_exts; i++)
        if (strcmp(x->exts[i].identifier, "CheckMetadataHash") == 0)
            pc->chain.check_metadata_hash = true;
    return ITEE_OK;
}

static enum itee_err pc_answer_head(const struct enclave_pc *pc, struct itee_buf *b)
{
    struct light_client_header fin;
    light_client_finalized(pc->lc, &fin);
    enum itee_err e = scale_put_u32(b, fin.number);
    if (e == ITEE_OK)
        e = scale_put_bytes(b, fin.hash, sizeof(fin.hash));
    return e;
}

/* Development enclaves give a shard without a root //Alice as its root, as the original's
 * test genesis does (enclave `test` feature), so balance_set_balance works on dev shards. */
static enum itee_err pc_dev_root(struct enclave_ctx *ctx, const struct enclave_pc *pc,
                                 struct stf_state *st)
{
    uint8_t root[32];
    enum itee_err e = stf_balances_root(st, root);
    if (e != ITEE_ERR_NOENT)
        return e;
    e = stf_balances_set_root(st, (const uint8_t *)STF_BALANCES_DEV_ROOT);
    if (e == ITEE_OK)
        e = enclave_shards_save(&ctx->ocalls, ctx->keys.state_key, pc->shard, st);
    return e;
}

static enum itee_err pc_init_build(struct enclave_ctx *ctx,
                                   const struct enclave_pc_init_request *rq, struct enclave_pc *pc,
                                   bool *fresh)
{
    uint32_t version = 0, sealed_last = 0, state_last = 0;
    uint8_t sealed_shard[32], genesis_hash[32];
    struct stf_state *st = NULL;
    enum itee_err e = metadata_decode(rq->metadata.ptr, rq->metadata.len, &pc->md, &version);
    if (e == ITEE_OK)
        e = pc_lookup_calls(pc);
    if (e != ITEE_OK)
        return e;
    pc->chain.spec_version = rq->spec_version;
    pc->chain.tx_version = rq->tx_version;
    pc->nonce = rq->nonce;
    memcpy(pc->shard, rq->shard, 32);
    hash_blake2_256(genesis_hash, rq->genesis.ptr, rq->genesis.len);
    e = pc_load(ctx, &pc->lc, &sealed_last, sealed_shard);
    if (e == ITEE_ERR_NOENT) {
        *fresh = true;
        e = light_client_new_from_proof(&pc->lc, TRIE_LAYOUT_V0, rq->genesis.ptr, rq->genesis.len,
                                        LIGHT_CLIENT_AUTH_PALLET, rq->proof, rq->n_proof);
    } else if (e == ITEE_OK) {
        /* the host must not switch chains or shards under a sealed light client */
        uint8_t g[32];
        light_client_genesis_hash(pc->lc, g);
        if (memcmp(g, genesis_hash, 32) != 0)
            e = ITEE_ERR_PC_GENESIS;
        else if (memcmp(sealed_shard, rq->shard, 32) != 0)
            e = ITEE_ERR_PC_SHARD;
    }
    if (e != ITEE_OK)
        return e;
    light_client_genesis_hash(pc->lc, pc->chain.genesis_hash);
    e = enclave_shards_state(&ctx->shards, &ctx->ocalls, ctx->keys.state_key, pc->shard, &st);
    if (e == ITEE_OK)
        e = pc_state_last(st, &state_last);
    if (e == ITEE_OK && (ctx->flags & EDL_INIT_DEV) != 0)
        e = pc_dev_root(ctx, pc, st);
    /* the shard state is written first: if it is ahead, its blocks ran already */
    pc->last_processed = state_last > sealed_last ? state_last : sealed_last;
    return e;
}

enum itee_err enclave_pc_init(struct enclave_ctx *ctx, const uint8_t *req, size_t req_len,
                              uint8_t *out, size_t cap, size_t *out_len)
{
    if (ctx == NULL || out_len == NULL || (out == NULL && cap > 0) || req == NULL ||
        req_len > ENCLAVE_PC_REQUEST_MAX)
        return ITEE_ERR_ARG;
    if (cap < ENCLAVE_PC_INIT_ANS_LEN) {
        *out_len = ENCLAVE_PC_INIT_ANS_LEN;
        return ITEE_ERR_SPACE;
    }
    struct itee_buf copy, ans;
    struct enclave_pc_init_request rq;
    struct enclave_pc *pc = NULL;
    bool fresh = false;
    itee_buf_init(&copy, ENCLAVE_PC_REQUEST_MAX);
    itee_buf_init(&ans, ENCLAVE_PC_INIT_ANS_LEN);
    memset(&rq, 0, sizeof(rq));
    enum itee_err e = itee_buf_append(&copy, req, req_len);
    if (e == ITEE_OK)
        e = enclave_pc_init_request_decode(&rq, copy.ptr, copy.len);
    if (e != ITEE_OK)
        goto out;
    pc = itee_alloc(sizeof(*pc));
    if (pc == NULL) {
        e = ITEE_ERR_NOMEM;
        goto out;
    }
    memset(pc, 0, sizeof(*pc));
    e = pc_init_build(ctx, &rq, pc, &fresh);
    if (e == ITEE_OK && fresh)
        e = pc_save(ctx, pc);
    if (e == ITEE_OK)
        e = pc_answer_head(pc, &ans);
    if (e == ITEE_OK)
        e = enclave_ctx_output(out, cap, out_len, ans.ptr, ans.len);
    if (e != ITEE_OK)
        goto out;
    /* a new init replaces the old importer (new metadata or runtime version, say) */
    enclave_pc_free(ctx->pc);
    ctx->pc = pc;
    pc = NULL;
    pc_log(ctx, ITEE_LOG_INFO, fresh ? "light client created" : "light client restored",
           ctx->pc->last_processed, ITEE_OK);
out:
    if (e != ITEE_OK)
        pc_log(ctx, ITEE_LOG_ERROR, "parentchain init refused", 0, e);
    enclave_pc_free(pc);
    enclave_pc_init_request_free(&rq);
    itee_buf_free(&copy);
    itee_buf_free(&ans);
    return e;
}

/* ---- import ---- */

/* Checks a bundle's body and events proof against its own header (before the light client). */
static enum itee_err pc_bundle_check(const struct pc_bundle *b, struct header *h, uint8_t hash[32])
{
    uint8_t root[32], key[32];
    enum itee_err e = header_decode(h, b->header.ptr, b->header.len);
    if (e != ITEE_OK)
        return e;
    hash_blake2_256(hash, b->header.ptr, b->header.len);
    e = trie_ordered_root(TRIE_LAYOUT_V0, b->extrinsics, b->n_extrinsics, root);
    if (e != ITEE_OK)
        return e;
    if (memcmp(root, h->extrinsics_root, 32) != 0)
        return ITEE_ERR_LC_EXTRINSICS_ROOT;
    hash_storage_prefix(key, "System", "Events");
    struct itee_slice k = itee_slice_make(key, 32);
    struct trie_proof_value v;
    e = trie_proof_verify(h->state_root, b->proof, b->n_proof, &k, 1, &v, 0);
    if (e != ITEE_OK)
        return e;
    /* the value the host sent must be the proven one (absent = no events) */
    if (v.value.len != b->events.len ||
        (b->events.len > 0 && memcmp(v.value.ptr, b->events.ptr, b->events.len) != 0))
        return ITEE_ERR_TRIE_PROOF;
    return ITEE_OK;
}

/* Marks ok[i] for every extrinsic i with System.ExtrinsicSuccess in the events. */
static enum itee_err pc_successes(const struct enclave_pc *pc, struct itee_slice events, bool *ok,
                                  size_t n)
{
    if (events.len == 0)
        return ITEE_OK;
    json_t *arr = NULL;
    enum itee_err e = metadata_events_decode(pc->md, events.ptr, events.len, &arr);
    if (e != ITEE_OK)
        return e;
    size_t i;
    json_t *ev;
    json_array_foreach(arr, i, ev)
    {
        json_t *phase = json_object_get(ev, "phase");
        json_t *ax = json_is_object(phase) ? json_object_get(phase, "ApplyExtrinsic") : NULL;
        const char *pallet = json_string_value(json_object_get(ev, "pallet"));
        const char *name = json_string_value(json_object_get(ev, "event"));
        if (!json_is_integer(ax) || pallet == NULL || name == NULL)
            continue;
        json_int_t idx = json_integer_value(ax);
        if (idx >= 0 && (size_t)idx < n && strcmp(pallet, "System") == 0 &&
            strcmp(name, "ExtrinsicSuccess") == 0)
            ok[idx] = true;
    }
    json_decref(arr);
    return ITEE_OK;
}

/* What one processed block produced. */
struct pc_block_result {
    struct itee_buf leaves; /* blake2_256 of the executed calls' arguments */
    uint32_t executed;      /* calls executed */
};

/* invoke(Request): decrypt, decode TrustedOperation::indirect_call, execute. */
static enum itee_err pc_exec_invoke(struct enclave_ctx *ctx, struct enclave_pc *pc,
                                    struct stf_state *st, struct itee_slice args,
                                    struct stf_outcome *o)
{
    struct trusted_op_request rq;
    struct trusted_op op;
    struct itee_buf plain;
    itee_buf_init(&plain, ENCLAVE_PC_REQUEST_MAX);
    enum itee_err e = trusted_op_request_decode(&rq, args.ptr, args.len);
    if (e == ITEE_OK && memcmp(rq.shard, pc->shard, 32) != 0)
        e = ITEE_ERR_STF_SHARD;
    if (e == ITEE_OK)
        e = rsa_decrypt(ctx->keys.shielding, rq.cyphertext.ptr, rq.cyphertext.len, &plain);
    if (e == ITEE_OK)
        e = trusted_op_decode(&op, stf_schema(&ctx->stf), plain.ptr, plain.len);
    if (e == ITEE_OK && op.kind != TRUSTED_OP_INDIRECT_CALL)
        e = ITEE_ERR_ARG;
    if (e == ITEE_OK)
        e = stf_execute_op(&ctx->stf, st, pc->shard, &op.call, 0, o);
    itee_buf_free_secret(&plain);
    return e;
}

/* shield_funds(shard, incognito_account_encrypted, amount): credit the decrypted account. */
static enum itee_err pc_exec_shield(struct enclave_ctx *ctx, struct enclave_pc *pc,
                                    struct stf_state *st, struct itee_slice args,
                                    struct stf_outcome *o)
{
    struct scale_reader r;
    uint8_t shard[32];
    struct itee_slice enc;
    itee_u128 amount = 0;
    struct itee_buf who;
    itee_buf_init(&who, ENCLAVE_PC_REQUEST_MAX);
    scale_reader_init(&r, args.ptr, args.len);
    enum itee_err e = scale_read_bytes(&r, shard, 32);
    if (e == ITEE_OK)
        e = scale_read_vec_u8(&r, &enc);
    if (e == ITEE_OK)
        e = scale_read_u128(&r, &amount);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    if (e == ITEE_OK && memcmp(shard, pc->shard, 32) != 0)
        e = ITEE_ERR_STF_SHARD;
    if (e == ITEE_OK)
        e = rsa_decrypt(ctx->keys.shielding, enc.ptr, enc.len, &who);
    if (e == ITEE_OK && who.len != TRUSTED_OP_ACCOUNT_LEN)
        e = ITEE_ERR_ARG;
    if (e == ITEE_OK)
        e = stf_shield(&ctx->stf, st, pc->shard, who.ptr, amount, TRUSTED_OP_PARENTCHAIN_INTEGRITEE,
                       o);
    itee_buf_free_secret(&who);
    return e;
}

/* Executes the indirect calls of one finalized block. Only NOMEM-like failures abort. */
static enum itee_err pc_block_execute(struct enclave_ctx *ctx, struct enclave_pc *pc,
                                      struct stf_state *st, const struct pc_bundle *b,
                                      uint32_t number, struct stf_outcome *o,
                                      struct pc_block_result *res)
{
    bool *ok = NULL;
    enum itee_err e = ITEE_OK;
    if (b->n_extrinsics == 0)
        return ITEE_OK;
    ok = itee_alloc_array(b->n_extrinsics, sizeof(*ok));
    if (ok == NULL)
        return ITEE_ERR_NOMEM;
    memset(ok, 0, b->n_extrinsics * sizeof(*ok));
    e = pc_successes(pc, b->events, ok, b->n_extrinsics);
    if (e != ITEE_OK) {
        /* proven events this metadata cannot read: the host gave metadata of another runtime */
        pc_log(ctx, ITEE_LOG_ERROR, "events undecodable with the metadata", number, e);
        goto out;
    }
    for (size_t i = 0; i < b->n_extrinsics; i++) {
        struct extrinsic x;
        if (!ok[i] ||
            extrinsic_decode(&x, &pc->chain, b->extrinsics[i].ptr, b->extrinsics[i].len) != ITEE_OK)
            continue;
        if (x.call.len < 2)
            continue;
        struct itee_slice args = itee_slice_make(x.call.ptr + 2, x.call.len - 2);
        enum itee_err r;
        if (memcmp(x.call.ptr, pc->idx[PC_INVOKE], 2) == 0)
            r = pc_exec_invoke(ctx, pc, st, args, o);
        else if (memcmp(x.call.ptr, pc->idx[PC_SHIELD], 2) == 0)
            r = pc_exec_shield(ctx, pc, st, args, o);
        else
            continue;
        if (r == ITEE_ERR_NOMEM) {
            e = r;
            goto out;
        }
        if (r == ITEE_ERR_STF_SHARD)
            continue; /* another shard's call: not ours to execute or confirm */
        if (r != ITEE_OK) {
            pc_log(ctx, ITEE_LOG_WARN, "indirect call skipped", number, r);
            continue;
        }
        uint8_t leaf[32];
        hash_blake2_256(leaf, args.ptr, args.len);
        e = itee_buf_append(&res->leaves, leaf, sizeof(leaf));
        if (e != ITEE_OK)
            goto out;
        res->executed++;
    }
out:
    itee_free(ok);
    return e;
}

/* Signs call with the enclave signer at nonce into the outbox. */
static enum itee_err pc_outbox_add(struct enclave_ctx *ctx, const struct enclave_pc *pc,
                                   struct pc_outbox *ob, struct itee_slice call)
{
    if (ob->n >= sizeof(ob->lens) / sizeof(ob->lens[0]))
        return ITEE_ERR_SPACE;
    struct enclave_xt_request rq;
    memset(&rq, 0, sizeof(rq));
    rq.chain = pc->chain;
    rq.params.era = extrinsic_era_immortal();
    rq.params.nonce = pc->nonce + (uint32_t)ob->n;
    memcpy(rq.era_hash, pc->chain.genesis_hash, 32);
    rq.call = call;
    size_t before = ob->bytes.len;
    enum itee_err e = enclave_xt_sign(&ob->bytes, &rq, &ctx->keys.signer);
    if (e == ITEE_OK)
        ob->lens[ob->n++] = ob->bytes.len - before;
    return e;
}

/* confirm_processed_parentchain_block and one unshield_funds per unshield effect. */
static enum itee_err pc_block_answers(struct enclave_ctx *ctx, const struct enclave_pc *pc,
                                      const uint8_t hash[32], uint32_t number,
                                      const struct pc_block_result *res,
                                      const struct stf_outcome *o, struct pc_outbox *ob)
{
    uint8_t root[32];
    struct itee_buf call;
    itee_buf_init(&call, 4096);
    enum itee_err e = enclave_pc_merkle_root(root, res->leaves.ptr, res->leaves.len / 32);
    if (e == ITEE_OK)
        e = itee_buf_append(&call, pc->idx[PC_CONFIRM], 2);
    if (e == ITEE_OK)
        e = scale_put_bytes(&call, pc->shard, 32);
    if (e == ITEE_OK)
        e = scale_put_bytes(&call, hash, 32);
    if (e == ITEE_OK)
        e = scale_put_u32(&call, number);
    if (e == ITEE_OK)
        e = scale_put_bytes(&call, root, 32);
    if (e == ITEE_OK)
        e = pc_outbox_add(ctx, pc, ob, itee_buf_slice(&call));
    for (size_t i = 0; e == ITEE_OK && i < o->n_effects; i++) {
        const struct stf_effect *fx = &o->effects[i];
        if (fx->kind != STF_EFFECT_UNSHIELD || memcmp(fx->shard, pc->shard, 32) != 0)
            continue;
        /* the shard account pays: where shield_funds put the money (one account per shard) */
        itee_buf_reset(&call);
        e = itee_buf_append(&call, pc->idx[PC_UNSHIELD], 2);
        if (e == ITEE_OK)
            e = scale_put_bytes(&call, fx->shard, 32);
        if (e == ITEE_OK)
            e = scale_put_bytes(&call, fx->beneficiary, 32);
        if (e == ITEE_OK)
            e = scale_put_u128(&call, fx->amount);
        if (e == ITEE_OK)
            e = scale_put_bytes(&call, fx->call_hash, 32);
        if (e == ITEE_OK)
            e = pc_outbox_add(ctx, pc, ob, itee_buf_slice(&call));
    }
    itee_buf_free(&call);
    return e;
}

/* Processes finalized block `number` from bundle b (already checked against its header). */
static enum itee_err pc_block_process(struct enclave_ctx *ctx, struct enclave_pc *pc,
                                      struct stf_state *st, const struct pc_bundle *b,
                                      const uint8_t hash[32], uint32_t number, uint32_t *executed,
                                      struct pc_outbox *ob)
{
    struct stf_outcome o;
    struct pc_block_result res;
    struct trie_proof_value v;
    uint8_t key[32];
    stf_outcome_init(&o);
    memset(&res, 0, sizeof(res));
    itee_buf_init(&res.leaves, 0);
    /* the light client's word on this block, now that it is final */
    enum itee_err e = light_client_verify_extrinsics(pc->lc, hash, b->extrinsics, b->n_extrinsics);
    if (e == ITEE_OK) {
        hash_storage_prefix(key, "System", "Events");
        struct itee_slice k = itee_slice_make(key, 32);
        e = light_client_verify_storage(pc->lc, hash, b->proof, b->n_proof, &k, 1, &v);
    }
    if (e != ITEE_OK)
        goto out;
    if (number > pc->last_processed) {
        e = pc_block_execute(ctx, pc, st, b, number, &o, &res);
        if (e == ITEE_OK)
            e = pc_block_answers(ctx, pc, hash, number, &res, &o, ob);
        if (e == ITEE_OK)
            e = pc_state_set_last(st, number);
        *executed += res.executed;
    }
out:
    stf_outcome_free(&o);
    itee_buf_free(&res.leaves);
    return e;
}

/* Processes every newly finalized block in order, from the pending list or the current one. */
static enum itee_err pc_process_final(struct enclave_ctx *ctx, struct enclave_pc *pc,
                                      struct stf_state *st, uint32_t from, uint32_t to,
                                      const struct pc_bundle *cur, const uint8_t cur_hash[32],
                                      uint32_t cur_number, uint32_t *executed, struct pc_outbox *ob)
{
    enum itee_err e = ITEE_OK;
    for (uint32_t n = from; e == ITEE_OK && n <= to; n++) {
        if (n == cur_number) {
            e = pc_block_process(ctx, pc, st, cur, cur_hash, n, executed, ob);
            continue;
        }
        const struct pc_pending *p = NULL;
        for (size_t i = 0; i < pc->n_pending && p == NULL; i++)
            if (pc->pending[i].number == n)
                p = &pc->pending[i];
        if (p == NULL && n <= pc->last_processed)
            continue; /* ran before a restart (the shard state says so): header only */
        if (p == NULL)
            return ITEE_ERR_INTERNAL; /* every non-final header has its bundle held */
        struct pc_bundle b;
        e = pc_bundle_decode(&b, p->bytes, p->len);
        if (e == ITEE_OK)
            e = pc_block_process(ctx, pc, st, &b, p->hash, n, executed, ob);
        pc_bundle_free(&b);
    }
    return e;
}

/* Drops the held bundles up to number `upto` (they are final and processed now). */
static void pc_pending_drop(struct enclave_pc *pc, uint32_t upto)
{
    size_t k = 0;
    for (size_t i = 0; i < pc->n_pending; i++) {
        if (pc->pending[i].number <= upto) {
            pc->pending_bytes -= pc->pending[i].len;
            itee_free(pc->pending[i].bytes);
        } else {
            pc->pending[k++] = pc->pending[i];
        }
    }
    for (size_t i = k; i < pc->n_pending; i++)
        memset(&pc->pending[i], 0, sizeof(pc->pending[i]));
    pc->n_pending = k;
}

static enum itee_err pc_pending_add(struct enclave_pc *pc, const uint8_t *p, size_t len,
                                    uint32_t number, const uint8_t hash[32])
{
    if (pc->n_pending >= ENCLAVE_PC_MAX_PENDING || len > ENCLAVE_PC_PENDING_MAX - pc->pending_bytes)
        return ITEE_ERR_PC_PENDING;
    struct pc_pending *q = &pc->pending[pc->n_pending];
    q->bytes = itee_alloc(len);
    if (q->bytes == NULL)
        return ITEE_ERR_NOMEM;
    memcpy(q->bytes, p, len);
    q->len = len;
    q->number = number;
    memcpy(q->hash, hash, 32);
    pc->n_pending++;
    pc->pending_bytes += len;
    return ITEE_OK;
}

/* Sends the outbox in order; stops at the first refusal (later nonces would be stuck). */
static uint32_t pc_outbox_send(struct enclave_ctx *ctx, struct enclave_pc *pc,
                               const struct pc_outbox *ob)
{
    size_t off = 0;
    uint32_t sent = 0;
    for (size_t i = 0; i < ob->n; i++) {
        enum itee_err e = enclave_ocall_send_xt(&ctx->ocalls, ob->bytes.ptr + off, ob->lens[i]);
        if (e != ITEE_OK) {
            pc_log(ctx, ITEE_LOG_WARN, "extrinsic not sent", pc->last_processed, e);
            break;
        }
        off += ob->lens[i];
        sent++;
    }
    pc->nonce += sent;
    return sent;
}

/* The body of import once the bundle is decoded and checked. */
static enum itee_err pc_import_checked(struct enclave_ctx *ctx, struct enclave_pc *pc,
                                       const struct pc_bundle *b, const uint8_t *bytes, size_t len,
                                       const uint8_t hash[32], uint32_t number,
                                       struct itee_buf *ans)
{
    struct itee_buf snapshot;
    struct pc_outbox *ob = itee_alloc(sizeof(*ob));
    struct stf_state *st = NULL;
    struct light_client_outcome lo;
    struct light_client_header before;
    uint32_t executed = 0, sent = 0;
    bool in_tx = false, imported = false;
    itee_buf_init(&snapshot, ENCLAVE_PC_FILE_MAX);
    if (ob == NULL)
        return ITEE_ERR_NOMEM;
    memset(ob, 0, sizeof(*ob));
    itee_buf_init(&ob->bytes, 0);
    light_client_finalized(pc->lc, &before);
    /* a snapshot so that a failure after the light client moved undoes that too */
    enum itee_err e = light_client_encode(pc->lc, &snapshot);
    if (e == ITEE_OK)
        e = enclave_shards_state(&ctx->shards, &ctx->ocalls, ctx->keys.state_key, pc->shard, &st);
    if (e != ITEE_OK)
        goto out;
    e = light_client_import(pc->lc, b->header.ptr, b->header.len,
                            b->has_justification ? b->justification.ptr : NULL,
                            b->has_justification ? b->justification.len : 0, &lo);
    if (e != ITEE_OK)
        goto out; /* the light client's refusal: nothing changed */
    imported = true;
    if (lo.n_finalized == 0) {
        e = pc_pending_add(pc, bytes, len, number, hash);
        goto out;
    }
    e = stf_state_tx_begin(st);
    if (e != ITEE_OK)
        goto out;
    in_tx = true;
    e = pc_process_final(ctx, pc, st, before.number + 1, lo.finalized_number, b, hash, number,
                         &executed, ob);
    /* the shard state (with its last processed block) is written inside the transaction, so
     * a failed write is rolled back in memory too; then the light client */
    if (e == ITEE_OK)
        e = enclave_shards_save(&ctx->ocalls, ctx->keys.state_key, pc->shard, st);
    if (e == ITEE_OK && number > lo.finalized_number)
        e = pc_pending_add(pc, bytes, len, number, hash);
    if (e != ITEE_OK)
        goto out;
    e = stf_state_tx_commit(st);
    in_tx = false;
    if (e != ITEE_OK)
        goto out;
    if (lo.finalized_number > pc->last_processed)
        pc->last_processed = lo.finalized_number;
    pc_pending_drop(pc, lo.finalized_number);
    light_client_prune(pc->lc, pc->last_processed);
    if (pc->n_pending == 0) {
        enum itee_err se = pc_save(ctx, pc);
        /* the state file is ahead then; a restart resumes from it without re-executing */
        if (se != ITEE_OK)
            pc_log(ctx, ITEE_LOG_ERROR, "light client not sealed", number, se);
    }
    sent = pc_outbox_send(ctx, pc, ob);
out:
    if (in_tx)
        (void)stf_state_tx_rollback(st);
    if (e != ITEE_OK && imported) {
        struct light_client *old = NULL;
        if (light_client_decode(&old, snapshot.ptr, snapshot.len) == ITEE_OK) {
            light_client_free(pc->lc);
            pc->lc = old;
        }
    }
    if (e == ITEE_OK) {
        struct light_client_header fin;
        light_client_finalized(pc->lc, &fin);
        e = scale_put_u32(ans, number);
        if (e == ITEE_OK)
            e = scale_put_bytes(ans, hash, 32);
        if (e == ITEE_OK)
            e = scale_put_u32(ans, fin.number);
        if (e == ITEE_OK)
            e = scale_put_u32(ans, executed);
        if (e == ITEE_OK)
            e = scale_put_u32(ans, sent);
    }
    itee_buf_free(&ob->bytes);
    itee_free(ob);
    itee_buf_free(&snapshot);
    return e;
}

enum itee_err enclave_pc_import(struct enclave_ctx *ctx, const uint8_t *req, size_t req_len,
                                uint8_t *out, size_t cap, size_t *out_len)
{
    if (ctx == NULL || out_len == NULL || (out == NULL && cap > 0) || req == NULL ||
        req_len > ENCLAVE_PC_REQUEST_MAX)
        return ITEE_ERR_ARG;
    if (ctx->pc == NULL)
        return ITEE_ERR_PC_NOT_INIT;
    if (cap < ENCLAVE_PC_IMPORT_ANS_LEN) {
        *out_len = ENCLAVE_PC_IMPORT_ANS_LEN;
        return ITEE_ERR_SPACE;
    }
    struct itee_buf copy, ans;
    struct pc_bundle b;
    struct header h;
    uint8_t hash[32];
    memset(&b, 0, sizeof(b));
    itee_buf_init(&copy, ENCLAVE_PC_REQUEST_MAX);
    itee_buf_init(&ans, ENCLAVE_PC_IMPORT_ANS_LEN);
    /* copied first: the host must not change the bytes between the checks and their use */
    enum itee_err e = itee_buf_append(&copy, req, req_len);
    if (e == ITEE_OK)
        e = pc_bundle_decode(&b, copy.ptr, copy.len);
    if (e == ITEE_OK)
        e = pc_bundle_check(&b, &h, hash);
    if (e == ITEE_OK)
        e = pc_import_checked(ctx, ctx->pc, &b, copy.ptr, copy.len, hash, h.number, &ans);
    if (e == ITEE_OK)
        e = enclave_ctx_output(out, cap, out_len, ans.ptr, ans.len);
    else
        pc_log(ctx, ITEE_LOG_WARN, "bundle refused", ctx->pc->last_processed + 1, e);
    pc_bundle_free(&b);
    itee_buf_free(&copy);
    itee_buf_free(&ans);
    return e;
}

enum itee_err enclave_pc_status(struct enclave_ctx *ctx, uint8_t *out, size_t cap, size_t *out_len)
{
    if (ctx == NULL || out_len == NULL || (out == NULL && cap > 0))
        return ITEE_ERR_ARG;
    if (ctx->pc == NULL)
        return ITEE_ERR_PC_NOT_INIT;
    struct itee_buf ans;
    struct light_client_header best;
    itee_buf_init(&ans, ENCLAVE_PC_STATUS_ANS_LEN);
    light_client_best(ctx->pc->lc, &best);
    enum itee_err e = pc_answer_head(ctx->pc, &ans);
    if (e == ITEE_OK)
        e = scale_put_u32(&ans, ctx->pc->last_processed);
    if (e == ITEE_OK)
        e = scale_put_u32(&ans, best.number);
    if (e == ITEE_OK)
        e = enclave_ctx_output(out, cap, out_len, ans.ptr, ans.len);
    itee_buf_free(&ans);
    return e;
}
