/*
 * chain_db.c - LMDB tables of the node's chain (see chain_db.h). Keys: block hash (32 bytes)
 * for headers and blocks, big-endian u32 for the number index (so scans run in block order),
 * the node hash for trie nodes, and the fixed key "best" for the head pointer
 * (hash || u32 LE number || state root).
 */
#include "node/chain_db.h"

#include <string.h>

#include "chain/block.h"
#include "common/mem.h"
#include "node/runtime/rt_state.h"

enum { T_HEADERS = 0, T_BLOCKS = 1, T_NUMS = 2, T_NODES = 3, T_META = 4 };
static const char *const k_tables[] = {"headers", "blocks", "nums", "nodes", "meta"};
static const uint8_t k_best[] = {'b', 'e', 's', 't'};

static void num_key(uint8_t k[4], uint32_t n)
{
    k[0] = (uint8_t)(n >> 24);
    k[1] = (uint8_t)(n >> 16);
    k[2] = (uint8_t)(n >> 8);
    k[3] = (uint8_t)n;
}

/* Queues header, block, index and head pointer, then commits the batch. */
static enum itee_err queue_and_commit(struct chain_db *db, const struct header *h,
                                      const uint8_t hash[32], const uint8_t *henc, size_t hlen,
                                      const uint8_t *blk, size_t blen)
{
    uint8_t nk[4];
    uint8_t best[68];
    num_key(nk, h->number);
    memcpy(best, hash, 32);
    best[32] = (uint8_t)h->number;
    best[33] = (uint8_t)(h->number >> 8);
    best[34] = (uint8_t)(h->number >> 16);
    best[35] = (uint8_t)(h->number >> 24);
    memcpy(best + 36, h->state_root, 32);
    enum itee_err e = store_batch_put(db->batch, T_HEADERS, hash, 32, henc, hlen);
    if (e == ITEE_OK)
        e = store_batch_put(db->batch, T_BLOCKS, hash, 32, blk, blen);
    if (e == ITEE_OK)
        e = store_batch_put(db->batch, T_NUMS, nk, 4, hash, 32);
    if (e == ITEE_OK)
        e = store_batch_put(db->batch, T_META, k_best, sizeof(k_best), best, sizeof(best));
    if (e == ITEE_OK)
        e = store_commit(db->store, db->batch);
    if (e != ITEE_OK) {
        store_batch_reset(db->batch);
        return e;
    }
    memcpy(db->best, hash, 32);
    db->best_number = h->number;
    memcpy(db->best_state, h->state_root, 32);
    return ITEE_OK;
}

enum itee_err chain_db_import(struct chain_db *db, const struct header *h, const uint8_t hash[32],
                              const uint8_t *header_enc, size_t header_len,
                              const uint8_t *signed_block, size_t signed_len)
{
    return queue_and_commit(db, h, hash, header_enc, header_len, signed_block, signed_len);
}

/* Builds and imports the genesis block (state from genesis.c, empty body, no digest). */
static enum itee_err init_genesis(struct chain_db *db, enum genesis_chain chain)
{
    struct trie *t = NULL;
    struct rt_state *st = NULL;
    struct itee_buf henc, benc;
    struct header h;
    struct block_signed sb;
    uint8_t hash[32];
    itee_buf_init(&henc, 0);
    itee_buf_init(&benc, 0);
    memset(&h, 0, sizeof(h));
    memset(&sb, 0, sizeof(sb));
    enum itee_err e = trie_new(&t, TRIE_LAYOUT_V0, &db->tdb);
    if (e == ITEE_OK)
        e = rt_state_new(&st, t);
    if (e == ITEE_OK)
        e = genesis_build(st, chain);
    if (e == ITEE_OK)
        e = rt_state_commit(st);
    if (e == ITEE_OK)
        e = trie_commit(t, h.state_root);
    if (e == ITEE_OK)
        e = block_extrinsics_root(TRIE_LAYOUT_V0, NULL, 0, h.extrinsics_root);
    if (e == ITEE_OK)
        e = header_encode(&henc, &h);
    if (e == ITEE_OK)
        e = header_hash(&h, hash);
    if (e == ITEE_OK) {
        sb.block.header = h;
        e = block_signed_encode(&benc, &sb);
    }
    if (e == ITEE_OK)
        e = queue_and_commit(db, &h, hash, henc.ptr, henc.len, benc.ptr, benc.len);
    rt_state_free(st);
    trie_free(t);
    itee_buf_free(&henc);
    itee_buf_free(&benc);
    return e;
}

enum itee_err chain_db_open(struct chain_db *db, const char *dir, bool nosync,
                            enum genesis_chain chain)
{
    memset(db, 0, sizeof(*db));
    struct itee_buf v;
    itee_buf_init(&v, 0);
    enum itee_err e = store_open(&db->store, dir, k_tables, sizeof(k_tables) / sizeof(*k_tables), 0,
                                 nosync ? STORE_NOSYNC : 0);
    if (e == ITEE_OK)
        e = store_batch_new(&db->batch);
    if (e != ITEE_OK)
        goto out;
    db->st.store = db->store;
    db->st.table = T_NODES;
    db->st.batch = db->batch;
    store_trie_db(&db->tdb, &db->st);
    e = store_get(db->store, T_META, k_best, sizeof(k_best), &v);
    if (e == ITEE_ERR_NOENT) {
        e = init_genesis(db, chain);
    } else if (e == ITEE_OK) {
        if (v.len != 68) {
            e = ITEE_ERR_FORMAT;
            goto out;
        }
        memcpy(db->best, v.ptr, 32);
        db->best_number = (uint32_t)v.ptr[32] | (uint32_t)v.ptr[33] << 8 |
                          (uint32_t)v.ptr[34] << 16 | (uint32_t)v.ptr[35] << 24;
        memcpy(db->best_state, v.ptr + 36, 32);
    }
    if (e == ITEE_OK)
        e = chain_db_hash_at(db, 0, db->genesis);
out:
    itee_buf_free(&v);
    if (e != ITEE_OK)
        chain_db_close(db);
    return e;
}

void chain_db_close(struct chain_db *db)
{
    store_batch_free(db->batch);
    store_close(db->store);
    db->batch = NULL;
    db->store = NULL;
}

enum itee_err chain_db_hash_at(struct chain_db *db, uint32_t n, uint8_t hash[32])
{
    uint8_t k[4];
    struct itee_buf v;
    itee_buf_init(&v, 0);
    num_key(k, n);
    enum itee_err e = store_get(db->store, T_NUMS, k, 4, &v);
    if (e == ITEE_OK && v.len != 32)
        e = ITEE_ERR_FORMAT;
    if (e == ITEE_OK)
        memcpy(hash, v.ptr, 32);
    itee_buf_free(&v);
    return e;
}

enum itee_err chain_db_header(struct chain_db *db, const uint8_t hash[32], struct itee_buf *out)
{
    return store_get(db->store, T_HEADERS, hash, 32, out);
}

enum itee_err chain_db_block(struct chain_db *db, const uint8_t hash[32], struct itee_buf *out)
{
    return store_get(db->store, T_BLOCKS, hash, 32, out);
}

enum itee_err chain_db_state_root(struct chain_db *db, const uint8_t hash[32], uint8_t root[32])
{
    if (memcmp(hash, db->best, 32) == 0) {
        memcpy(root, db->best_state, 32);
        return ITEE_OK;
    }
    struct itee_buf v;
    struct header h;
    itee_buf_init(&v, 0);
    enum itee_err e = chain_db_header(db, hash, &v);
    if (e == ITEE_OK)
        e = header_decode(&h, v.ptr, v.len);
    if (e == ITEE_OK)
        memcpy(root, h.state_root, 32);
    itee_buf_free(&v);
    return e;
}

enum itee_err chain_db_state(struct chain_db *db, const uint8_t hash[32], struct trie **out)
{
    uint8_t root[32];
    *out = NULL;
    enum itee_err e = chain_db_state_root(db, hash, root);
    if (e == ITEE_OK)
        e = trie_open(out, TRIE_LAYOUT_V0, &db->tdb, root);
    return e;
}
