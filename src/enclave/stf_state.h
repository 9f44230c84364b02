/*
 * stf_state.h - one shard's STF state: an in-memory key/value map with nested transactions,
 * change tracking (diffs), a canonical encoding, a state hash, and sealed persistence.
 *
 * Keys and values are byte strings. Accounts use Substrate's layout so that getters and a later
 * sidechain see what the original's runtime stored: key = twox128("System") ||
 * twox128("Account") || blake2_128(id) || id, value = SCALE(frame_system::AccountInfo {nonce u32,
 * consumers u32, providers u32, sufficients u32, data {free, reserved, frozen, flags: u128}}).
 *
 * Canonical encoding (the state hash and persistence): SCALE(BTreeMap<Vec<u8>, Vec<u8>>), i.e.
 * Compact(n) then (Vec key, Vec value) pairs in ascending key order (bytewise, shorter first).
 * State hash = blake2_256 of that encoding; it is cached and recomputed only after a change,
 * so asking twice costs nothing. The diff since stf_state_diff_clear is SCALE(BTreeMap<Vec<u8>,
 * Option<Vec<u8>>>) (None = deleted) - it costs what changed, not what the state holds.
 * (The original used postcard and AES-128-OFB with a fixed IV; both are internal to our
 * validateers, see spec/worker-protocol.md §4.6 and the seal format below.)
 *
 * Transactions nest: stf_state_tx_begin .. commit keeps every write made since the matching
 * begin, rollback undoes all of them (including nested commits). Each write allocates what it
 * needs before changing anything, so a failed write (ITEE_ERR_NOMEM) changes nothing.
 *
 * Sealed blob (stf_state_seal): "ISTF" || version 1 || nonce[12] || AES-256-GCM(canonical
 * encoding) || tag[16], AAD = the 5 header bytes || shard. The nonce is random per write, so a
 * key may seal many states; the AAD binds the blob to its shard.
 *
 * Not thread-safe; one state per shard, used by one thread at a time.
 */
#ifndef ITEE_STF_STATE_H
#define ITEE_STF_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "common/int128.h"

#define STF_STATE_KEY_MAX         1024              /* longest key accepted */
#define STF_STATE_VALUE_MAX       ((size_t)1 << 24) /* longest value accepted (16 MiB) */
#define STF_STATE_ENCODED_MAX     ((size_t)1 << 30) /* largest state encoding we build */
#define STF_STATE_HASH_LEN        32                /* blake2_256 */
#define STF_STATE_ACCOUNT_KEY_LEN 80                /* 16 + 16 + 16 + 32 */
#define STF_STATE_ACCOUNT_LEN     80                /* encoded AccountInfo */
#define STF_STATE_SEAL_KEY_LEN    32                /* AES-256 state key */
#define STF_STATE_SEAL_OVERHEAD   (4 + 1 + 12 + 16) /* magic, version, nonce, tag */

struct stf_state;

/* frame_system::AccountInfo<u32, AccountData<u128>>. */
struct stf_account {
    uint32_t nonce;       /* trusted calls applied for this account */
    uint32_t consumers;   /* frame_system reference counters, kept for layout */
    uint32_t providers;   /* (the balances STF sets providers = 1 on funded accounts) */
    uint32_t sufficients; /* unused, kept for layout */
    itee_u128 free;       /* spendable balance */
    itee_u128 reserved;   /* reserved balance (set only by balance_set_balance) */
    itee_u128 frozen;     /* not spendable below this (unused by the built-in STF) */
    itee_u128 flags;      /* pallet_balances ExtraFlags, kept for layout */
};

/* Returns: ITEE_OK or ITEE_ERR_NOMEM. Out: *out, an empty state (NULL on failure). */
ITEE_MUST_CHECK enum itee_err stf_state_new(struct stf_state **out);
/* Frees the state (NULL is a no-op); values are wiped first. */
void stf_state_free(struct stf_state *st);
/* Returns: the number of keys with a value. */
size_t stf_state_count(const struct stf_state *st);

/*
 * Looks key up. Out: *val views the value (valid until the next write to the state).
 * Returns: ITEE_OK, ITEE_ERR_NOENT (no value) or ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err stf_state_get(const struct stf_state *st, const uint8_t *key,
                                            size_t key_len, struct itee_slice *val);
/* Sets key to a copy of val. Returns: ITEE_OK, ITEE_ERR_ARG (sizes), ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err stf_state_put(struct stf_state *st, const uint8_t *key,
                                            size_t key_len, const uint8_t *val, size_t val_len);
/* Removes key (absent is fine). Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err stf_state_delete(struct stf_state *st, const uint8_t *key,
                                               size_t key_len);

/* Opens a (nested) transaction. Returns: ITEE_OK or ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err stf_state_tx_begin(struct stf_state *st);
/* Keeps the innermost transaction's writes. Returns: ITEE_OK or ITEE_ERR_STF_TX (none open). */
ITEE_MUST_CHECK enum itee_err stf_state_tx_commit(struct stf_state *st);
/* Undoes the innermost transaction's writes. Returns: ITEE_OK or ITEE_ERR_STF_TX. */
ITEE_MUST_CHECK enum itee_err stf_state_tx_rollback(struct stf_state *st);
/* Returns: the number of open transactions. */
size_t stf_state_tx_depth(const struct stf_state *st);

/* Out: out = the state hash. Returns: ITEE_OK or ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err stf_state_hash(struct stf_state *st, uint8_t out[STF_STATE_HASH_LEN]);
/* Appends the canonical encoding. Returns: ITEE_OK, ITEE_ERR_NOMEM, ITEE_ERR_SPACE. */
ITEE_MUST_CHECK enum itee_err stf_state_encode(const struct stf_state *st, struct itee_buf *out);
/*
 * Decodes a canonical encoding (hostile input: strict order, no duplicates, bounded sizes, no
 * trailing bytes) into a new state. Returns: ITEE_OK, ITEE_ERR_STF_STATE, a SCALE error or
 * ITEE_ERR_NOMEM. Out: *out (NULL on failure).
 */
ITEE_MUST_CHECK enum itee_err stf_state_decode(struct stf_state **out, const uint8_t *in,
                                               size_t len);

/* Appends the diff since the last stf_state_diff_clear. Returns: as stf_state_encode. */
ITEE_MUST_CHECK enum itee_err stf_state_diff_encode(const struct stf_state *st,
                                                    struct itee_buf *out);
/* Forgets the tracked changes. Returns: ITEE_OK or ITEE_ERR_STF_TX (a transaction is open). */
ITEE_MUST_CHECK enum itee_err stf_state_diff_clear(struct stf_state *st);
/*
 * Applies an encoded diff atomically (validated completely first; all or nothing).
 * Returns: ITEE_OK, ITEE_ERR_STF_STATE, a SCALE error or ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err stf_state_diff_apply(struct stf_state *st, const uint8_t *in,
                                                   size_t len);

/* Writes the storage key of account id. */
void stf_state_account_key(uint8_t out[STF_STATE_ACCOUNT_KEY_LEN], const uint8_t id[32]);
/*
 * Reads account id (absent = all zero). Returns: ITEE_OK or ITEE_ERR_STF_STATE (stored value
 * malformed). Out: *out (zeroed on failure).
 */
ITEE_MUST_CHECK enum itee_err stf_state_account_get(const struct stf_state *st,
                                                    const uint8_t id[32], struct stf_account *out);
/* Writes account id; an all-zero account is removed. Returns: as stf_state_put. */
ITEE_MUST_CHECK enum itee_err stf_state_account_put(struct stf_state *st, const uint8_t id[32],
                                                    const struct stf_account *acct);
/* Appends SCALE(AccountInfo). Returns: ITEE_OK or a buffer error. */
ITEE_MUST_CHECK enum itee_err stf_state_account_encode(const struct stf_account *acct,
                                                       struct itee_buf *out);

/*
 * Seals the state for shard under key: appends the blob described above to out.
 * Returns: ITEE_OK, ITEE_ERR_NOMEM, ITEE_ERR_SPACE, ITEE_ERR_RNG, ITEE_ERR_CRYPTO_LIB.
 */
ITEE_MUST_CHECK enum itee_err stf_state_seal(const struct stf_state *st,
                                             const uint8_t key[STF_STATE_SEAL_KEY_LEN],
                                             const uint8_t shard[32], struct itee_buf *out);
/*
 * Opens a sealed blob of shard and replaces st's contents with it (tracked changes are
 * dropped). On any failure st is untouched.
 * Returns: ITEE_OK; ITEE_ERR_FORMAT (header); ITEE_ERR_AUTH (wrong key/shard or tampered);
 * ITEE_ERR_STF_STATE or a SCALE error (content); ITEE_ERR_STF_TX (a transaction is open);
 * ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err stf_state_unseal(struct stf_state *st,
                                               const uint8_t key[STF_STATE_SEAL_KEY_LEN],
                                               const uint8_t shard[32], const uint8_t *blob,
                                               size_t len);

#endif
