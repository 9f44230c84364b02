/*
 * store_trie.c - struct trie_db over a store table, with journals and reference-counted
 * pruning (see store_trie.h).
 */
#include "store/store_trie.h"

#include <string.h>

/* store_trie_key with at most max path bytes. */
static size_t key_of(uint8_t key[STORE_TRIE_KEY_MAX], const uint8_t *prefix, size_t prefix_len,
                     const uint8_t hash[TRIE_HASH_LEN], size_t max)
{
    size_t n = (prefix_len + 1) / 2;
    if (max > STORE_TRIE_PREFIX_MAX)
        max = STORE_TRIE_PREFIX_MAX;
    if (n > max)
        n = max;
    for (size_t i = 0; i < n; i++) {
        uint8_t hi = prefix[2 * i] & 0x0f;
        uint8_t lo = 2 * i + 1 < prefix_len ? prefix[2 * i + 1] & 0x0f : 0;
        key[i] = (uint8_t)(hi << 4 | lo);
    }
    memcpy(key + n, hash, TRIE_HASH_LEN);
    return n + TRIE_HASH_LEN;
}

size_t store_trie_key(uint8_t key[STORE_TRIE_KEY_MAX], const uint8_t *prefix, size_t prefix_len,
                      const uint8_t hash[TRIE_HASH_LEN])
{
    return key_of(key, prefix, prefix_len, hash, STORE_TRIE_PREFIX_MAX);
}

static enum itee_err st_get(void *ctx, const uint8_t *prefix, size_t prefix_len,
                            const uint8_t hash[TRIE_HASH_LEN], struct itee_buf *out)
{
    struct store_trie *st = ctx;
    uint8_t key[STORE_TRIE_KEY_MAX];
    size_t kl = key_of(key, prefix, prefix_len, hash, st->prefix_bytes);
    return store_get_counted(st->store, st->table, key, kl, out, NULL);
}

static enum itee_err st_put(void *ctx, const uint8_t *prefix, size_t prefix_len,
                            const uint8_t hash[TRIE_HASH_LEN], const uint8_t *data, size_t len)
{
    struct store_trie *st = ctx;
    uint8_t key[STORE_TRIE_KEY_MAX];
    size_t kl = key_of(key, prefix, prefix_len, hash, st->prefix_bytes);
    return store_batch_incref(st->batch, st->table, key, kl, data, len);
}

static enum itee_err st_release(void *ctx, const uint8_t *prefix, size_t prefix_len,
                                const uint8_t hash[TRIE_HASH_LEN])
{
    struct store_trie *st = ctx;
    if (!st->journal_on)
        return ITEE_OK;
    uint8_t rec[1 + STORE_TRIE_KEY_MAX];
    size_t kl = key_of(rec + 1, prefix, prefix_len, hash, st->prefix_bytes);
    rec[0] = (uint8_t)kl;
    return itee_buf_append(&st->journal, rec, 1 + kl);
}

void store_trie_init(struct store_trie *st, struct store *store, unsigned table,
                     struct store_batch *batch)
{
    memset(st, 0, sizeof(*st));
    st->store = store;
    st->table = table;
    st->batch = batch;
    st->prefix_bytes = STORE_TRIE_PREFIX_MAX;
    itee_buf_init(&st->journal, 0);
}

void store_trie_free(struct store_trie *st)
{
    itee_buf_free(&st->journal);
}

void store_trie_db(struct trie_db *db, struct store_trie *st)
{
    db->get = st_get;
    db->put = st_put;
    db->release = st_release;
    db->ctx = st;
}

void store_trie_discard(struct store_trie *st)
{
    itee_buf_reset(&st->journal);
}

static void block_key(uint8_t k[8], uint64_t n)
{
    for (int i = 0; i < 8; i++)
        k[i] = (uint8_t)(n >> (56 - 8 * i));
}

/* Queues one decrement per key of a journal. Returns: ITEE_OK, ITEE_ERR_FORMAT or batch errors. */
static enum itee_err queue_decrefs(struct store_trie *st, const uint8_t *j, size_t len)
{
    size_t off = 0;
    while (off < len) {
        size_t kl = j[off];
        if (kl < TRIE_HASH_LEN || kl > STORE_TRIE_KEY_MAX || len - off - 1 < kl)
            return ITEE_ERR_FORMAT;
        enum itee_err e = store_batch_decref(st->batch, st->table, j + off + 1, kl);
        if (e != ITEE_OK)
            return e;
        off += 1 + kl;
    }
    return ITEE_OK;
}

/* Queues the application of the committed journal of block n, and its deletion. */
static enum itee_err apply_journal(struct store_trie *st, uint64_t n)
{
    uint8_t bk[8];
    struct itee_buf j;
    itee_buf_init(&j, 0);
    block_key(bk, n);
    enum itee_err e = store_get(st->store, st->jtable, bk, 8, &j);
    if (e == ITEE_ERR_NOENT) {
        e = ITEE_OK; /* nothing released, or the block was imported while archiving */
    } else if (e == ITEE_OK) {
        e = queue_decrefs(st, j.ptr, j.len);
        if (e == ITEE_OK)
            e = store_batch_del(st->batch, st->jtable, bk, 8);
    }
    itee_buf_free(&j);
    return e;
}

enum itee_err store_trie_end_block(struct store_trie *st, uint64_t number, uint64_t first,
                                   uint64_t last)
{
    if (first <= last && last >= number)
        return ITEE_ERR_ARG;
    enum itee_err e = ITEE_OK;
    bool own = first <= last && last + 1 == number; /* this block's releases go at once */
    if (own) {
        e = queue_decrefs(st, st->journal.ptr, st->journal.len);
    } else if (st->journal_on && st->journal.len > 0) {
        uint8_t bk[8];
        block_key(bk, number);
        e = store_batch_put(st->batch, st->jtable, bk, 8, st->journal.ptr, st->journal.len);
    }
    /* the state of block s is discarded by applying what block s + 1 released */
    for (uint64_t s = first; e == ITEE_OK && first <= last && s <= last && s + 1 < number; s++)
        e = apply_journal(st, s + 1);
    if (e == ITEE_OK)
        itee_buf_reset(&st->journal);
    return e;
}
