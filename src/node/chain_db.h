/*
 * chain_db.h - the node's persistent chain: blocks, headers, the number -> hash index, the
 * state trie's nodes and the best/finalized pointer, in one LMDB store (store/store.h).
 *
 * A block is imported with ONE store_commit holding its header, signed block (with its GRANDPA
 * justification), number index entry, the trie nodes its state created and the new best /
 * finalized pointer, so after a crash (even kill -9) the store reopens at the last imported
 * block with its state complete. Every block is final at once (one authority), so best and
 * finalized are the same block.
 *
 * State pruning (--state-pruning): with a window of N blocks, the states of the last N blocks
 * stay readable; each import also writes the block's journal of released trie nodes and
 * discards the states that left the window (store_trie.h), in the same transaction. Reading a
 * discarded state gives ITEE_ERR_STATE_PRUNED. Window 0 is archive mode: nothing is deleted.
 *
 * The store carries a format tag; a directory written by an older layout (nodes keyed by
 * hash alone) is refused with ITEE_ERR_STORE_FORMAT instead of being misread.
 */
#ifndef ITEE_CHAIN_DB_H
#define ITEE_CHAIN_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/header.h"
#include "common/bytes.h"
#include "common/err.h"
#include "node/runtime/genesis.h"
#include "store/store.h"
#include "store/store_trie.h"
#include "trie/trie.h"

struct chain_db {
    struct store *store;       /* LMDB environment */
    struct store_batch *batch; /* pending writes of the block being imported */
    struct store_trie st;      /* trie node table over store/batch */
    struct trie_db tdb;        /* trie method table for st */
    uint8_t genesis[32];       /* genesis block hash */
    uint8_t best[32];          /* best (= finalized) block hash */
    uint32_t best_number;      /* its number */
    uint8_t best_state[32];    /* its state root */
    uint32_t prune_window;     /* states kept (0: archive) */
    bool any_pruned;           /* some state was discarded */
    uint32_t pruned_upto;      /* then: the highest block whose state is gone */
};

/* Default number of blocks whose state is kept (Substrate's default). */
#define CHAIN_DB_PRUNING_DEFAULT 256

/*
 * Opens (creating if needed) the chain in dir; an empty store gets the genesis block of src.
 * nosync: do not fsync commits (--tmp). The store starts in archive mode (chain_db_set_pruning).
 * Returns: ITEE_OK, ITEE_ERR_STORE_FORMAT (an older data dir), or a store/trie error.
 */
ITEE_MUST_CHECK enum itee_err chain_db_open(struct chain_db *db, const char *dir, bool nosync,
                                            const struct genesis_source *src);
/* Closes the store. */
void chain_db_close(struct chain_db *db);
/* Keeps the states of the last window blocks from the next import on (0: archive). */
void chain_db_set_pruning(struct chain_db *db, uint32_t window);

/* Hash of block number n. Returns: ITEE_OK or ITEE_ERR_NOENT. */
ITEE_MUST_CHECK enum itee_err chain_db_hash_at(struct chain_db *db, uint32_t n, uint8_t hash[32]);
/* Encoded header of block hash into out. Returns: ITEE_OK or ITEE_ERR_NOENT. */
ITEE_MUST_CHECK enum itee_err chain_db_header(struct chain_db *db, const uint8_t hash[32],
                                              struct itee_buf *out);
/* Encoded SignedBlock of block hash into out. Returns: ITEE_OK or ITEE_ERR_NOENT. */
ITEE_MUST_CHECK enum itee_err chain_db_block(struct chain_db *db, const uint8_t hash[32],
                                             struct itee_buf *out);
/*
 * State root after block hash. Returns: ITEE_OK, ITEE_ERR_NOENT, or ITEE_ERR_STATE_PRUNED
 * when that state was discarded.
 */
ITEE_MUST_CHECK enum itee_err chain_db_state_root(struct chain_db *db, const uint8_t hash[32],
                                                  uint8_t root[32]);
/*
 * Opens (read-only use) the state trie after block hash. Out: *out (trie_free it).
 * Returns: as chain_db_state_root, or trie errors.
 */
ITEE_MUST_CHECK enum itee_err chain_db_state(struct chain_db *db, const uint8_t hash[32],
                                             struct trie **out);

/*
 * Imports a block whose trie nodes were already committed into db->batch (trie_commit of a
 * trie opened with db->tdb): adds header, signed block, index and best pointer, and commits
 * everything in one transaction, with the pruning journal and the discarding of the states
 * that leave the window. On failure nothing is written and the batch is reset.
 */
ITEE_MUST_CHECK enum itee_err chain_db_import(struct chain_db *db, const struct header *h,
                                              const uint8_t hash[32], const uint8_t *header_enc,
                                              size_t header_len, const uint8_t *signed_block,
                                              size_t signed_len);

/* Drops the pending writes (batch and journal) of a block that will not be imported. */
void chain_db_discard(struct chain_db *db);

#endif
