/*
 * chain_db.c - LMDB tables of the node's chain (see chain_db.h). Keys: block hash (32 bytes)
 * for headers and blocks, big-endian u32 for the number index (so scans run in block order),
 * path || hash for trie nodes (store_trie.h), u64 BE block number for pruning journals, and
 * in meta: "best" for the head pointer (hash || u32 LE number || state root), "format" for
 * the layout tag, "pruned" (u32 LE) for the highest block whose state was discarded.
 */
#include "node/chain_db.h"

#include <string.h>

#include "chain/block.h"
#include "common/mem.h"
#include "node/runtime/rt_state.h"

enum { T_HEADERS = 0, T_BLOCKS = 1, T_NUMS = 2, T_NODES = 3, T_META = 4, T_JOURNAL = 5 };
static const char *const k_tables[] = {"headers", "blocks", "nums", "nodes", "meta", "journal"};
static const uint8_t k_best[] = {'b', 'e', 's', 't'};
static const uint8_t k_format[] = {'f', 'o', 'r', 'm', 'a', 't'};
static const uint8_t k_pruned[] = {'p', 'r', 'u', 'n', 'e', 'd'};
/* v2: trie nodes under path || hash with reference counts (v1, untagged: hash only) */
static const uint8_t k_format_tag[] = {'i', 't', 'e', 'e', '-', 'c', 'h', 'a', 'i', 'n', '-', '2'};

static void u32_le(uint8_t p[4], uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_u32_le(const uint8_t p[4])
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * Queues the journal of block number and the discarding of the states that leave the
 * window with it. Out: *upto (valid when *any), the new highest discarded block.
 */
static enum itee_err queue_pruning(struct chain_db *db, uint32_t number, bool *any, uint32_t *upto)
{
    *any = db->any_pruned;
    *upto = db->pruned_upto;
    if (db->prune_window == 0 || number < db->prune_window)
        return store_trie_end_block(&db->st, number, 1, 0);
    uint32_t last = number - db->prune_window;
    /* catch up from the last discarded state (a smaller window than before discards more) */
    uint32_t first = db->any_pruned ? db->pruned_upto + 1 : last;
    enum itee_err e = store_trie_end_block(&db->st, number, first, last);
    if (e == ITEE_OK && first <= last) {
        uint8_t v[4];
        u32_le(v, last);
        e = store_batch_put(db->batch, T_META, k_pruned, sizeof(k_pruned), v, 4);
        *any = true;
        *upto = last;
    }
    return e;
}

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
    u32_le(best + 32, h->number);
    memcpy(best + 36, h->state_root, 32);
    bool any_pruned;
    uint32_t pruned_upto;
    enum itee_err e = queue_pruning(db, h->number, &any_pruned, &pruned_upto);
    if (e == ITEE_OK)
        e = store_batch_put(db->batch, T_HEADERS, hash, 32, henc, hlen);
    if (e == ITEE_OK)
        e = store_batch_put(db->batch, T_BLOCKS, hash, 32, blk, blen);
    if (e == ITEE_OK)
        e = store_batch_put(db->batch, T_NUMS, nk, 4, hash, 32);
    if (e == ITEE_OK)
        e = store_batch_put(db->batch, T_META, k_best, sizeof(k_best), best, sizeof(best));
    if (e == ITEE_OK && h->number == 0)
        e = store_batch_put(db->batch, T_META, k_format, sizeof(k_format), k_format_tag,
                            sizeof(k_format_tag));
    if (e == ITEE_OK)
        e = store_commit(db->store, db->batch);
    if (e != ITEE_OK) {
        chain_db_discard(db);
        return e;
    }
    db->any_pruned = any_pruned;
    db->pruned_upto = pruned_upto;
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
static enum itee_err init_genesis(struct chain_db *db, const struct genesis_source *src)
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
        e = genesis_build_source(st, src);
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

/* An existing chain must carry this layout's tag: older directories are refused, not misread. */
static enum itee_err check_format(struct chain_db *db)
{
    struct itee_buf v;
    itee_buf_init(&v, 0);
    enum itee_err e = store_get(db->store, T_META, k_format, sizeof(k_format), &v);
    if (e == ITEE_ERR_NOENT ||
        (e == ITEE_OK &&
         (v.len != sizeof(k_format_tag) || memcmp(v.ptr, k_format_tag, sizeof(k_format_tag)) != 0)))
        e = ITEE_ERR_STORE_FORMAT;
    itee_buf_free(&v);
    return e;
}

static enum itee_err load_pruned(struct chain_db *db)
{
    struct itee_buf v;
    itee_buf_init(&v, 0);
    enum itee_err e = store_get(db->store, T_META, k_pruned, sizeof(k_pruned), &v);
    if (e == ITEE_OK && v.len != 4)
        e = ITEE_ERR_FORMAT;
    if (e == ITEE_OK) {
        db->any_pruned = true;
        db->pruned_upto = get_u32_le(v.ptr);
    }
    itee_buf_free(&v);
    return e == ITEE_ERR_NOENT ? ITEE_OK : e;
}

enum itee_err chain_db_open(struct chain_db *db, const char *dir, bool nosync,
                            const struct genesis_source *src)
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
    store_trie_init(&db->st, db->store, T_NODES, db->batch);
    db->st.jtable = T_JOURNAL;
    store_trie_db(&db->tdb, &db->st);
    e = store_get(db->store, T_META, k_best, sizeof(k_best), &v);
    if (e == ITEE_OK)
        e = check_format(db);
    if (e == ITEE_OK)
        e = load_pruned(db);
    if (e == ITEE_OK)
        e = store_get(db->store, T_META, k_best, sizeof(k_best), &v);
    if (e == ITEE_ERR_NOENT) {
        e = init_genesis(db, src);
    } else if (e == ITEE_OK) {
        if (v.len != 68) {
            e = ITEE_ERR_FORMAT;
            goto out;
        }
        memcpy(db->best, v.ptr, 32);
        db->best_number = get_u32_le(v.ptr + 32);
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

void chain_db_discard(struct chain_db *db)
{
    store_batch_reset(db->batch);
    store_trie_discard(&db->st);
}

void chain_db_set_pruning(struct chain_db *db, uint32_t window)
{
    db->prune_window = window;
    db->st.journal_on = window > 0;
}

void chain_db_close(struct chain_db *db)
{
    store_trie_free(&db->st);
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
    if (e == ITEE_OK && db->any_pruned && h.number <= db->pruned_upto)
        e = ITEE_ERR_STATE_PRUNED;
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
