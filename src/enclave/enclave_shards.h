/*
 * enclave_shards.h - the enclave's per-shard STF states and their sealed files.
 *
 * A shard's state lives in memory once used and is written through after every applied call
 * as state_<base58 shard>.bin (stf_state_seal under the enclave's state key, through the
 * write_file_atomic ocall). A shard without a file starts empty. Write-through of the whole
 * state is the simple first step; the append-only diff log of DESIGN.md §8 replaces it.
 */
#ifndef ITEE_ENCLAVE_SHARDS_H
#define ITEE_ENCLAVE_SHARDS_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "enclave/edl.h"
#include "enclave/stf_state.h"

#define ENCLAVE_SHARDS_MAX 64 /* shards one enclave holds at once */

struct enclave_shard {
    uint8_t id[32];          /* shard identifier (H256) */
    struct stf_state *state; /* its state (owned) */
};

struct enclave_shards {
    struct enclave_shard shards[ENCLAVE_SHARDS_MAX]; /* loaded shards */
    size_t n;                                        /* how many are in use */
};

/*
 * Returns shard's state, loading it from its sealed file on first use (empty if none).
 * Returns: ITEE_OK; ITEE_ERR_SPACE (ENCLAVE_SHARDS_MAX reached); ITEE_ERR_ENCLAVE_UNSEAL (the
 * file does not open under key for this shard, or its content is malformed); ocall errors
 * (enclave_ocall_read_file); ITEE_ERR_NOMEM. Out: *out (owned by sh; NULL on failure).
 */
ITEE_MUST_CHECK enum itee_err enclave_shards_state(struct enclave_shards *sh,
                                                   const struct edl_ocalls *oc,
                                                   const uint8_t key[STF_STATE_SEAL_KEY_LEN],
                                                   const uint8_t shard[32], struct stf_state **out);

/*
 * Seals st and writes it as shard's file.
 * Returns: ITEE_OK; ocall errors; ITEE_ERR_NOMEM; ITEE_ERR_SPACE; crypto errors.
 */
ITEE_MUST_CHECK enum itee_err enclave_shards_save(const struct edl_ocalls *oc,
                                                  const uint8_t key[STF_STATE_SEAL_KEY_LEN],
                                                  const uint8_t shard[32],
                                                  const struct stf_state *st);

/* Frees every loaded state. Safe on a zeroed struct. */
void enclave_shards_free(struct enclave_shards *sh);

#endif
