/*
 * pc_import.h - the service side of the enclave's parentchain importer (issue #5): builds the
 * importer's init request from a node connection (genesis header, Grandpa.Authorities read proof
 * at genesis, the node's metadata, runtime versions, the enclave signer's next nonce) and feeds
 * the enclave one finalized block at a time, from the block after the last one it imported up
 * to the node's finalized head. The enclave verifies everything; this side only fetches.
 */
#ifndef ITEE_PC_IMPORT_H
#define ITEE_PC_IMPORT_H

#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "net/node_api.h"
#include "service/enclave_host.h"

/*
 * Appends the init request (src/enclave/enclave_pc.h) to out.
 * In: signer (the enclave signer's account, for its nonce), shard.
 * Returns: ITEE_OK; rpc errors; ITEE_ERR_FORMAT (answers of the wrong shape); ITEE_ERR_NOENT.
 */
ITEE_MUST_CHECK enum itee_err pc_import_init_request(struct node_api *api, const uint8_t signer[32],
                                                     const uint8_t shard[32], struct itee_buf *out);

/*
 * Builds the init request and hands it to the enclave. Out: *st (finalized number and hash).
 * Returns: as pc_import_init_request, or the ecall's error.
 */
ITEE_MUST_CHECK enum itee_err pc_import_init(struct node_api *api, struct enclave_host *h,
                                             const uint8_t shard[32],
                                             struct enclave_host_pc_status *st);

/*
 * Imports every block from the enclave's best + 1 up to the node's finalized head (at most
 * max_blocks of them; 0 = no limit). Out: *imported (blocks imported), *executed (indirect calls
 * executed). Returns: ITEE_OK; rpc errors; the enclave's refusal of a bundle.
 */
ITEE_MUST_CHECK enum itee_err pc_import_sync(struct node_api *api, struct enclave_host *h,
                                             uint32_t max_blocks, uint32_t *imported,
                                             uint32_t *executed);

#endif
