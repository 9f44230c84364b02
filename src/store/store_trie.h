/*
 * store_trie.h - the trie's node store (struct trie_db) over an LMDB table: nodes and V1
 * values keyed by their 32-byte hash. Reads see committed data; trie_commit's writes go into
 * a caller's batch, so the trie nodes of a block commit in the same transaction as the block.
 */
#ifndef ITEE_STORE_TRIE_H
#define ITEE_STORE_TRIE_H

#include "store/store.h"
#include "trie/trie.h"

/* Where a trie's nodes live. All fields are the caller's; they must outlive the trie. */
struct store_trie {
    struct store *store;       /* the store */
    unsigned table;            /* table of hash -> node */
    struct store_batch *batch; /* where trie_commit queues its puts */
};

/* Fills db with methods reading from st->store and writing into st->batch. */
void store_trie_db(struct trie_db *db, struct store_trie *st);

#endif
