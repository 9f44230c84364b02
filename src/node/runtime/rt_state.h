/*
 * rt_state.h - the runtime's view of the chain state: reads go through a write overlay to the
 * trie (trie/trie.h), writes and removals land in the overlay, and rt_state_commit applies the
 * overlay to the trie once a block is done.
 *
 * Transactional layers mirror FRAME's storage layers (with_storage_layer): rt_state_begin opens
 * one, rt_state_rollback undoes every write made since, rt_state_accept keeps them in the outer
 * layer. Every dispatch runs in its own layer so that a failed call leaves no storage trace,
 * while fee payment (done outside the layer) stays.
 *
 * Keys of FRAME storage items: rt_state_key_value / _map / _double_map build
 * twox128(pallet) || twox128(item) || hasher(SCALE(key)...) (spec substrate-compat section 2.3).
 */
#ifndef ITEE_RT_STATE_H
#define ITEE_RT_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "crypto/hash.h"
#include "trie/trie.h"

/* Deepest nesting of transactional layers (FRAME's TRANSACTIONAL_LIMIT). */
#define RT_STATE_MAX_LAYERS 255

struct rt_state;

/*
 * Creates a state view over trie (not owned; it must outlive the view; may be NULL for a
 * view over an empty state that is never committed). Out: *out. Returns: ITEE_OK or NOMEM.
 */
ITEE_MUST_CHECK enum itee_err rt_state_new(struct rt_state **out, struct trie *trie);
/* Frees the view and its overlay (uncommitted writes are lost). NULL is a no-op. */
void rt_state_free(struct rt_state *st);

/*
 * Reads key. Out: *found; value (may be NULL to test presence) replaced by the value.
 * Returns: ITEE_OK or a trie/buffer error.
 */
ITEE_MUST_CHECK enum itee_err rt_state_get(struct rt_state *st, const uint8_t *key, size_t key_len,
                                           struct itee_buf *value, bool *found);
/* Writes key -> value into the overlay. Returns: ITEE_OK, ITEE_ERR_ARG or ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err rt_state_set(struct rt_state *st, const uint8_t *key, size_t key_len,
                                           const uint8_t *value, size_t value_len);
/* Removes key (absent keys are fine). */
ITEE_MUST_CHECK enum itee_err rt_state_remove(struct rt_state *st, const uint8_t *key,
                                              size_t key_len);

/* Called by rt_state_iter per key, ascending; return false to stop. */
typedef bool (*rt_state_iter_fn)(void *ctx, const uint8_t *key, size_t key_len,
                                 const uint8_t *value, size_t value_len);
/* Visits every live key starting with prefix (overlay merged over the trie), ascending. */
ITEE_MUST_CHECK enum itee_err rt_state_iter(struct rt_state *st, const uint8_t *prefix,
                                            size_t prefix_len, rt_state_iter_fn fn, void *ctx);
/*
 * Removes up to limit keys starting with prefix (0 = all), like sp_io clear_prefix.
 * Out: *removed (may be NULL).
 */
ITEE_MUST_CHECK enum itee_err rt_state_clear_prefix(struct rt_state *st, const uint8_t *prefix,
                                                    size_t prefix_len, size_t limit,
                                                    size_t *removed);

/* Opens a transactional layer. Returns: ITEE_OK, ITEE_ERR_SPACE past RT_STATE_MAX_LAYERS. */
ITEE_MUST_CHECK enum itee_err rt_state_begin(struct rt_state *st);
/* Closes the innermost layer keeping its writes. Returns: ITEE_ERR_ARG without a layer. */
ITEE_MUST_CHECK enum itee_err rt_state_accept(struct rt_state *st);
/* Closes the innermost layer undoing its writes. Returns: ITEE_ERR_ARG without a layer. */
ITEE_MUST_CHECK enum itee_err rt_state_rollback(struct rt_state *st);
/* Returns: the number of open layers. */
size_t rt_state_depth(const struct rt_state *st);

/*
 * Applies the overlay to the trie and empties it. No layer may be open (ITEE_ERR_ARG).
 * The caller then takes trie_root / trie_commit of the trie.
 */
ITEE_MUST_CHECK enum itee_err rt_state_commit(struct rt_state *st);
/* Drops the overlay (and any layers) without touching the trie. */
void rt_state_discard(struct rt_state *st);
/* Returns: the number of keys in the overlay (written or removed since the last commit). */
size_t rt_state_overlay_len(const struct rt_state *st);

/* Writes twox128(pallet) || twox128(item): a StorageValue key and every map's prefix. */
void rt_state_key_value(uint8_t out[32], const char *pallet, const char *item);
/* Replaces out with the StorageMap key for the SCALE-encoded key k. */
ITEE_MUST_CHECK enum itee_err rt_state_key_map(struct itee_buf *out, const char *pallet,
                                               const char *item, enum hash_storage_hasher h,
                                               const uint8_t *k, size_t k_len);
/* Replaces out with the StorageDoubleMap key for k1, k2. */
ITEE_MUST_CHECK enum itee_err rt_state_key_double_map(struct itee_buf *out, const char *pallet,
                                                      const char *item, enum hash_storage_hasher h1,
                                                      const uint8_t *k1, size_t k1_len,
                                                      enum hash_storage_hasher h2,
                                                      const uint8_t *k2, size_t k2_len);

#endif
