/*
 * pc_sync.h - the service's side of following the parentchain: fetch a block by hash over RPC
 * and package it for the enclave (src/chain/pc_bundle.h) with its justification, body, the
 * System.Events value and that value's read proof. The service checks only what it cheaply
 * can (the header it rebuilt from JSON hashes to the hash it asked for); the enclave checks
 * everything that matters.
 */
#ifndef ITEE_PC_SYNC_H
#define ITEE_PC_SYNC_H

#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "net/node_api.h"

/* Finalized head. Out: hash and number. Returns: ITEE_OK, rpc errors, ITEE_ERR_FORMAT. */
ITEE_MUST_CHECK enum itee_err pc_sync_finalized(struct node_api *api, uint8_t hash[32],
                                                uint32_t *number);
/* Hash of block number n. Returns: ITEE_OK, ITEE_ERR_NOENT (no such block), rpc errors. */
ITEE_MUST_CHECK enum itee_err pc_sync_block_hash(struct node_api *api, uint32_t n,
                                                 uint8_t hash[32]);
/*
 * Fetches block `hash` and appends its bundle to out. Out: *number.
 * Returns: ITEE_OK; ITEE_ERR_NOENT (unknown block); ITEE_ERR_FORMAT (answers of the wrong
 * shape, or a header that does not hash to `hash`); rpc errors.
 */
ITEE_MUST_CHECK enum itee_err pc_sync_bundle(struct node_api *api, const uint8_t hash[32],
                                             uint32_t *number, struct itee_buf *out);
/*
 * Reads storage `key` at block `at` with its read proof. Out: value appended to value (nothing
 * if absent), proof nodes as SCALE Vec<Vec<u8>> appended to proof.
 */
ITEE_MUST_CHECK enum itee_err pc_sync_read_proof(struct node_api *api, const uint8_t at[32],
                                                 struct itee_slice key, struct itee_buf *value,
                                                 struct itee_buf *proof);

#endif
