/*
 * store_trie.h - the trie's node store (struct trie_db) over an LMDB table, with state
 * pruning (Substrate's state-db, in the reference-counting variant).
 *
 * Keys: a node is stored under its nibble path from the root (packed two nibbles a byte,
 * at most STORE_TRIE_PREFIX_MAX bytes of it) || its 32-byte hash, a V1 value under its key's
 * nibbles || its hash (Substrate's PrefixedKey). Nodes near each other in the trie are then
 * near each other in the B-tree, so a block's writes land on few pages instead of one random
 * page per node. The path only clusters: the hash still names the content, so two positions
 * with the same truncated path and hash share one entry (that is what the count is for).
 *
 * Values are reference-counted (store_batch_incref): each put of a node adds one, and each
 * release (the node left a state) is written to the block's journal. Pruning a block applies
 * its journal as decrements, so a node is deleted only when no state in the window (nor the
 * head) still holds it, even if it was removed once and re-inserted later.
 *
 * Reads see committed data; puts and the journal go into the caller's batch, so the trie
 * nodes of a block commit in the same transaction as the block.
 */
#ifndef ITEE_STORE_TRIE_H
#define ITEE_STORE_TRIE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/bytes.h"
#include "store/store.h"
#include "trie/trie.h"

/* Most path bytes in a node key (longer paths are truncated: clustering needs no more). */
#define STORE_TRIE_PREFIX_MAX 64
/* Largest node key: path bytes and the hash. */
#define STORE_TRIE_KEY_MAX (STORE_TRIE_PREFIX_MAX + TRIE_HASH_LEN)

/* Where a trie's nodes live. store, table, jtable and batch are the caller's. */
struct store_trie {
    struct store *store;       /* the store */
    unsigned table;            /* table of path || hash -> node || count */
    struct store_batch *batch; /* where trie_commit queues its writes */
    unsigned jtable;           /* table of journals (u64 BE block -> released keys) */
    bool journal_on;           /* record releases (pruning); off: archive, nothing deleted */
    unsigned prefix_bytes;     /* path bytes in keys (STORE_TRIE_PREFIX_MAX; 0: hash only) */
    struct itee_buf journal;   /* releases of the block being built: (u8 len || key)* */
};

/*
 * Initialises st (journal off; set journal_on and jtable to prune). Free with
 * store_trie_free.
 */
void store_trie_init(struct store_trie *st, struct store *store, unsigned table,
                     struct store_batch *batch);
/* Frees the pending journal. */
void store_trie_free(struct store_trie *st);
/*
 * Builds the table key of (prefix, hash) as the trie names a node or value: the prefix
 * nibbles (one per byte) packed, truncated to STORE_TRIE_PREFIX_MAX bytes, then the hash.
 * Returns: the key's length.
 */
size_t store_trie_key(uint8_t key[STORE_TRIE_KEY_MAX], const uint8_t *prefix, size_t prefix_len,
                      const uint8_t hash[TRIE_HASH_LEN]);
/* Fills db with methods reading from st->store and writing into st->batch. */
void store_trie_db(struct trie_db *db, struct store_trie *st);

/* Forgets the releases recorded since the last store_trie_end_block (a block abandoned). */
void store_trie_discard(struct store_trie *st);
/*
 * Ends block number (after trie_commit, before store_commit): queues its journal into the
 * batch (when journal_on) and empties the pending journal; then queues the discarding of the
 * states of blocks first..last (none when first > last; last < number): the state of block
 * s goes by applying the journal of block s + 1 as decrements, then deleting it.
 * Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_FORMAT (a malformed journal) or store errors.
 */
ITEE_MUST_CHECK enum itee_err store_trie_end_block(struct store_trie *st, uint64_t number,
                                                   uint64_t first, uint64_t last);

#endif
