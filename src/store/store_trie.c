/*
 * store_trie.c - struct trie_db over a store table (see store_trie.h).
 */
#include "store/store_trie.h"

static enum itee_err st_get(void *ctx, const uint8_t hash[TRIE_HASH_LEN], struct itee_buf *out)
{
    struct store_trie *st = ctx;
    return store_get(st->store, st->table, hash, TRIE_HASH_LEN, out);
}

static enum itee_err st_put(void *ctx, const uint8_t hash[TRIE_HASH_LEN], const uint8_t *data,
                            size_t len)
{
    struct store_trie *st = ctx;
    return store_batch_put(st->batch, st->table, hash, TRIE_HASH_LEN, data, len);
}

void store_trie_db(struct trie_db *db, struct store_trie *st)
{
    db->get = st_get;
    db->put = st_put;
    db->ctx = st;
}
