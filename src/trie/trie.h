/*
 * trie.h - Substrate's base-16 Merkle-Patricia trie (sp-trie LayoutV0 / LayoutV1, blake2-256):
 * a mutable trie with incremental roots, read-proof generation, and the ordered root used for
 * extrinsics roots. Spec: spec/substrate-compat.md section 7.
 *
 * The trie keeps the nodes it has touched in memory. Each node caches its reference (its
 * hash, or its encoding when that is shorter than 32 bytes) and carries a dirty flag, so
 * trie_root re-encodes and re-hashes only the paths changed since the last root: the cost of
 * a block is proportional to the keys it changes, not to the size of the state.
 *
 * Nodes live in a node store reached through a method table (struct trie_db), so the same
 * trie works purely in memory (db NULL), over a memory map, or over LMDB (store/store_trie.h).
 * A trie opened at a root loads nodes lazily by hash as operations reach them, and checks
 * each loaded node (and V1 value) against the hash it was asked for (ITEE_ERR_TRIE_HASH).
 * trie_commit writes every node created since the last commit (and, under V1, every new
 * value of 33 bytes or more, stored under its own hash) through db->put, and reports through
 * db->release each stored node (and value) that the changes since the last commit took out
 * of the state, so a store can prune old states.
 *
 * Keys are byte strings of at most TRIE_KEY_MAX bytes. A trie is not thread-safe.
 * After an error other than ITEE_ERR_ARG from a mutating call, the trie may be inconsistent
 * and must be freed (its db content is unaffected until the next commit).
 */
#ifndef ITEE_TRIE_H
#define ITEE_TRIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "trie/trie_node.h"

/* Longest key accepted, in bytes (bounds recursion depth to 2 * TRIE_KEY_MAX levels). */
#define TRIE_KEY_MAX 1024

/*
 * The node store a trie reads from and commits to. Every node is named by its prefix - the
 * nibbles (one per byte, each < 16) of the path from the root to the node's first partial-key
 * nibble; empty for the root - and its hash; a V1 value by the nibbles of its whole key and
 * its hash. A store may key by hash alone or use the prefix to cluster (Substrate's
 * PrefixedKey); only the hash is a commitment to the content.
 */
struct trie_db {
    /*
     * Replaces out's contents with the node (or V1 value) stored under (prefix, hash).
     * Returns: ITEE_OK, ITEE_ERR_NOENT when absent, or another error.
     */
    enum itee_err (*get)(void *ctx, const uint8_t *prefix, size_t prefix_len,
                         const uint8_t hash[TRIE_HASH_LEN], struct itee_buf *out);
    /* Stores len bytes under (prefix, hash). Returns: ITEE_OK or an error. */
    enum itee_err (*put)(void *ctx, const uint8_t *prefix, size_t prefix_len,
                         const uint8_t hash[TRIE_HASH_LEN], const uint8_t *data, size_t len);
    /*
     * May be NULL. Called by trie_commit once for each stored (prefix, hash) that the new
     * state no longer holds at that place (one call per earlier put or load it undoes).
     */
    enum itee_err (*release)(void *ctx, const uint8_t *prefix, size_t prefix_len,
                             const uint8_t hash[TRIE_HASH_LEN]);
    void *ctx; /* passed to the methods */
};

struct trie;

/*
 * Creates an empty trie. db may be NULL for a purely in-memory trie (then trie_commit only
 * computes the root); it is copied, and db->ctx must outlive the trie.
 * Out: *out (NULL on failure). Returns: ITEE_OK, ITEE_ERR_ARG or ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err trie_new(struct trie **out, enum trie_layout layout,
                                       const struct trie_db *db);
/*
 * Opens the trie whose root is root, in db (required unless root is the empty root).
 * Nothing is read until an operation needs it.
 */
ITEE_MUST_CHECK enum itee_err trie_open(struct trie **out, enum trie_layout layout,
                                        const struct trie_db *db,
                                        const uint8_t root[TRIE_HASH_LEN]);
/* Frees the trie and all nodes it holds in memory. NULL is a no-op. */
void trie_free(struct trie *t);

/* Inserts or replaces key -> value. Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_NOMEM, db errors. */
ITEE_MUST_CHECK enum itee_err trie_insert(struct trie *t, const uint8_t *key, size_t key_len,
                                          const uint8_t *value, size_t value_len);
/* Removes key if present (absent keys are not an error). Out: *removed (may be NULL). */
ITEE_MUST_CHECK enum itee_err trie_remove(struct trie *t, const uint8_t *key, size_t key_len,
                                          bool *removed);
/*
 * Looks key up. Out: *found; when found, value replaced by the value (value may be NULL to
 * test presence only). Returns: ITEE_OK (found or not), ITEE_ERR_ARG, or a db/buffer error.
 */
ITEE_MUST_CHECK enum itee_err trie_get(struct trie *t, const uint8_t *key, size_t key_len,
                                       struct itee_buf *value, bool *found);

/* Computes the root, re-hashing only what changed since the last call. */
ITEE_MUST_CHECK enum itee_err trie_root(struct trie *t, uint8_t root[TRIE_HASH_LEN]);
/*
 * Computes the root and writes every node (and V1 hashed value) created since the last
 * commit through db->put, the root node always under the root hash. With db NULL it only
 * computes the root. Out: root.
 */
ITEE_MUST_CHECK enum itee_err trie_commit(struct trie *t, uint8_t root[TRIE_HASH_LEN]);
/*
 * Drops every node held in memory, keeping only the root hash; later operations reload from
 * db. Bounds memory, and lets tests prove the committed nodes alone reproduce the trie.
 * Returns: ITEE_ERR_ARG if there is no db or there are uncommitted changes.
 */
ITEE_MUST_CHECK enum itee_err trie_unload(struct trie *t);

/*
 * Called for each key visited by trie_iter, in ascending byte order. value is NULL unless the
 * iteration asked for values. Returns: true to continue, false to stop.
 */
typedef bool (*trie_iter_fn)(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *value,
                             size_t value_len);
/*
 * Visits the keys that start with prefix and are strictly greater than start (when start is
 * not NULL), ascending, at most limit of them (0 = no limit): state_getKeysPaged and
 * state_getPairs. Cost: the depth of the trie plus the keys visited.
 */
ITEE_MUST_CHECK enum itee_err trie_iter(struct trie *t, const uint8_t *prefix, size_t prefix_len,
                                        const uint8_t *start, size_t start_len, size_t limit,
                                        bool with_values, trie_iter_fn fn, void *ctx);

/* A read proof: an unordered, duplicate-free set of encoded nodes (and V1 values). */
struct trie_proof {
    struct itee_slice *nodes; /* nodes[i].ptr is owned by the proof */
    size_t count;             /* number of nodes */
    size_t cap;               /* allocated entries of nodes */
};

/* Initialises an empty proof. */
void trie_proof_init(struct trie_proof *proof);
/* Frees the proof's nodes. Safe on an initialised or freed proof. */
void trie_proof_free(struct trie_proof *proof);
/* Appends a copy of one node. Returns: ITEE_OK or ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err trie_proof_add(struct trie_proof *proof, const uint8_t *node,
                                             size_t len);

/*
 * Appends to proof (initialised by the caller) the nodes that prove the values or absence of
 * the n keys: the root node, every hashed node met on each key's path, and under V1 the
 * value of each hashed value reached (as state_getReadProof does).
 */
ITEE_MUST_CHECK enum itee_err trie_prove(struct trie *t, const struct itee_slice *keys, size_t n,
                                         struct trie_proof *proof);

/* Root of the key/value set keys[i] -> values[i] (in any order; duplicate keys: last wins). */
ITEE_MUST_CHECK enum itee_err trie_root_of(enum trie_layout layout, const struct itee_slice *keys,
                                           const struct itee_slice *values, size_t n,
                                           uint8_t root[TRIE_HASH_LEN]);
/* Ordered trie root: items[i] under the key SCALE(Compact<u32>(i)) (extrinsics root). */
ITEE_MUST_CHECK enum itee_err trie_ordered_root(enum trie_layout layout,
                                                const struct itee_slice *items, size_t n,
                                                uint8_t root[TRIE_HASH_LEN]);

#endif
