/*
 * store.h - the LMDB key-value store under every persistent structure of the node (trie nodes,
 * blocks, headers, justifications) and the worker's untrusted-side caches.
 *
 * One store = one LMDB environment in a data directory, with a fixed list of named tables
 * given at open. Writes are gathered in a batch (struct store_batch) and applied by
 * store_commit in ONE write transaction: either all of a batch is visible after a crash or
 * none of it, so a block and its trie nodes commit atomically together.
 *
 * Durability: by default a successful store_commit has been fsync'ed (LMDB syncs data, then
 * the meta page), so it survives power loss. With STORE_NOSYNC the commit survives a crash
 * of the process (SIGKILL) but an OS crash may lose the last commits - never consistency:
 * LMDB's copy-on-write B-tree always reopens at the last fully written meta page, without
 * repair or recovery step.
 *
 * Map size: LMDB needs a maximum file size up front. The store starts at the given size and
 * doubles it whenever a commit reports MDB_MAP_FULL, then retries the batch (which is why
 * writes are batched: the batch can be replayed). The file grows only as data is written.
 *
 * Single-process, single-thread use; reads see the last committed state.
 */
#ifndef ITEE_STORE_H
#define ITEE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"

/* Most tables a store may have. */
#define STORE_TABLES_MAX 16
/* Default initial map size when store_open is given 0 (64 MiB; grows on demand). */
#define STORE_DEFAULT_MAP_SIZE ((size_t)64 << 20)
/* LMDB's key size limit (default build). */
#define STORE_KEY_MAX 511

/* store_open flags */
#define STORE_NOSYNC   1u /* do not fsync on commit (tests, benchmarks, --tmp) */
#define STORE_WRITEMAP 2u /* write through a writable map (MDB_WRITEMAP): fewer copies */

struct store;
struct store_batch;

/*
 * Opens (creating if needed) the store in directory dir with the named tables.
 * map_size: initial map size in bytes (0 = STORE_DEFAULT_MAP_SIZE).
 * Out: *out (NULL on failure).
 * Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_NOMEM, ITEE_ERR_IO (with the LMDB reason lost;
 * see store_last_error).
 */
ITEE_MUST_CHECK enum itee_err store_open(struct store **out, const char *dir,
                                         const char *const *tables, size_t n_tables,
                                         size_t map_size, unsigned flags);
/* Closes the store. NULL is a no-op. */
void store_close(struct store *s);
/* Returns: a static description of the last LMDB error seen by s ("" if none). */
const char *store_last_error(const struct store *s);
/* Returns: the current map size in bytes. */
size_t store_map_size(const struct store *s);

/*
 * Reads the committed value of key in table into out (replacing its contents).
 * Returns: ITEE_OK, ITEE_ERR_NOENT, ITEE_ERR_ARG, ITEE_ERR_IO, or an itee_buf error.
 */
ITEE_MUST_CHECK enum itee_err store_get(struct store *s, unsigned table, const uint8_t *key,
                                        size_t key_len, struct itee_buf *out);

/*
 * Called by store_scan for each entry, in ascending key order; the views are valid only
 * during the call. Returns: true to continue.
 */
typedef bool (*store_scan_fn)(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *value,
                              size_t value_len);
/* Visits the entries of table with key >= start (start NULL: from the first). */
ITEE_MUST_CHECK enum itee_err store_scan(struct store *s, unsigned table, const uint8_t *start,
                                         size_t start_len, store_scan_fn fn, void *ctx);

/* Creates an empty batch. Returns: ITEE_OK or ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err store_batch_new(struct store_batch **out);
/* Frees a batch. NULL is a no-op. */
void store_batch_free(struct store_batch *b);
/* Empties a batch, keeping its memory. */
void store_batch_reset(struct store_batch *b);
/* Returns: the number of operations in the batch. */
size_t store_batch_count(const struct store_batch *b);
/* Queues a put (copies key and value). Returns: ITEE_OK, ITEE_ERR_ARG or ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err store_batch_put(struct store_batch *b, unsigned table,
                                              const uint8_t *key, size_t key_len,
                                              const uint8_t *value, size_t value_len);
/* Queues a delete (of a key that may be absent). */
ITEE_MUST_CHECK enum itee_err store_batch_del(struct store_batch *b, unsigned table,
                                              const uint8_t *key, size_t key_len);

/*
 * Reference-counted entries (trie nodes shared by several states): the value is stored as
 * value || u32 LE count. incref stores value with count 1, or adds 1 to the count of an
 * existing entry (whose value is then kept: equal keys name equal contents); decref
 * subtracts 1 and deletes the entry at 0 (an absent key is ignored). Read such entries with
 * store_get_counted.
 */
ITEE_MUST_CHECK enum itee_err store_batch_incref(struct store_batch *b, unsigned table,
                                                 const uint8_t *key, size_t key_len,
                                                 const uint8_t *value, size_t value_len);
ITEE_MUST_CHECK enum itee_err store_batch_decref(struct store_batch *b, unsigned table,
                                                 const uint8_t *key, size_t key_len);
/*
 * store_get for a reference-counted entry: out gets the value without its count.
 * Out: *count (may be NULL). Returns: as store_get, or ITEE_ERR_FORMAT for a short entry.
 */
ITEE_MUST_CHECK enum itee_err store_get_counted(struct store *s, unsigned table, const uint8_t *key,
                                                size_t key_len, struct itee_buf *out,
                                                uint32_t *count);

/*
 * Applies the batch in one write transaction, growing the map as needed, then empties it.
 * Records are applied sorted by (table, key), keeping the batch order among records of the
 * same key: B-tree pages are then visited once each, in order, however the batch was filled.
 * Returns: ITEE_OK (durable as described above), ITEE_ERR_ARG, ITEE_ERR_IO; on error
 * nothing of the batch is applied and the batch is kept.
 */
ITEE_MUST_CHECK enum itee_err store_commit(struct store *s, struct store_batch *b);

#endif
