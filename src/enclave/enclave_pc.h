/*
 * enclave_pc.h - the parentchain importer inside the enclave (issue #5): the enclave follows the
 * Integritee parentchain through its GRANDPA light client (chain/light_client.h), executes the
 * indirect invocations of finalized blocks on its shard (EnclaveBridge.invoke and
 * EnclaveBridge.shield_funds) and answers each processed block with a signed
 * EnclaveBridge.confirm_processed_parentchain_block, and each unshield effect of the STF with
 * EnclaveBridge.unshield_funds (spec/worker-protocol.md §6).
 *
 * Requests and answers (SCALE; docs/enclave.md):
 *   init req:   genesis_header Vec<u8> | authorities_proof Vec<Vec<u8>> (read proof of
 *               Grandpa.Authorities at genesis) | metadata Vec<u8> (RuntimeMetadataPrefixed) |
 *               spec_version u32 | tx_version u32 | enclave_nonce u32 | shard [u8;32]
 *   init ans:   finalized u32 | finalized_hash [u8;32]
 *   import req: a pc_bundle (chain/pc_bundle.h)
 *   import ans: number u32 | hash [u8;32] | finalized u32 | calls_executed u32 | xts_sent u32
 *   status ans: finalized u32 | finalized_hash [u8;32] | last_processed u32 | best u32
 *               (best = last header imported; the host sends best + 1 next)
 *
 * Design (the simple sound one): every bundle's body and events proof are checked against its
 * own header before the light client sees the header, so a refused bundle changes nothing. A
 * bundle whose header is not final yet (no justification) is kept in memory, bounded by
 * ENCLAVE_PC_MAX_PENDING; when a later justification finalizes it, it is executed in order.
 * Sealed state (ENCLAVE_PC_FILE) is written only when nothing is pending, so after a restart the
 * host simply resends from best + 1. The last processed block number is also written into the
 * shard state in the same transaction as the calls it executed (ENCLAVE_PC_STATE_KEY): that
 * state file is the authority, so a crash between the two writes never executes a block twice.
 */
#ifndef ITEE_ENCLAVE_PC_H
#define ITEE_ENCLAVE_PC_H

#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"

#define ENCLAVE_PC_FILE           "lc_integritee.bin"        /* sealed light client + progress */
#define ENCLAVE_PC_SEAL_LABEL     "parentchain-integritee"   /* its sealing key label */
#define ENCLAVE_PC_STATE_KEY      "itee:pc:last_processed"   /* shard state key: u32 LE */
#define ENCLAVE_PC_MAX_PENDING    64                         /* unfinalized bundles held at most */
#define ENCLAVE_PC_PENDING_MAX    ((size_t)64 * 1024 * 1024) /* their bytes at most */
#define ENCLAVE_PC_FILE_MAX       ((size_t)8 * 1024 * 1024)  /* largest sealed file read */
#define ENCLAVE_PC_REQUEST_MAX    ((size_t)32 * 1024 * 1024) /* largest init/import request */
#define ENCLAVE_PC_INIT_ANS_LEN   (4 + 32)
#define ENCLAVE_PC_IMPORT_ANS_LEN (4 + 32 + 4 + 4 + 4)
#define ENCLAVE_PC_STATUS_ANS_LEN (4 + 32 + 4 + 4)

struct enclave_ctx;
struct enclave_pc;

/* A decoded init request: views into the request bytes. */
struct enclave_pc_init_request {
    struct itee_slice genesis;  /* SCALE genesis header */
    struct itee_slice *proof;   /* n_proof trie nodes (allocated; _free) */
    size_t n_proof;             /* how many */
    struct itee_slice metadata; /* RuntimeMetadataPrefixed */
    uint32_t spec_version;      /* runtime spec version (signed into extrinsics) */
    uint32_t tx_version;        /* transaction version */
    uint32_t nonce;             /* the signer's next L1 nonce */
    uint8_t shard[32];          /* the shard this enclave executes */
};

/*
 * Decodes an init request strictly (bounded counts, no trailing bytes).
 * Returns: ITEE_OK; ITEE_ERR_SCALE_*; ITEE_ERR_ARG; ITEE_ERR_NOMEM. Out: *rq (zeroed on failure;
 * release with enclave_pc_init_request_free).
 */
ITEE_MUST_CHECK enum itee_err enclave_pc_init_request_decode(struct enclave_pc_init_request *rq,
                                                             const uint8_t *p, size_t len);
void enclave_pc_init_request_free(struct enclave_pc_init_request *rq);

/* Keccak-256 (the original Keccak padding, as Ethereum and sp_core::keccak_256). */
void enclave_pc_keccak256(uint8_t out[32], const uint8_t *in, size_t len);

/*
 * Binary Merkle root as Substrate's binary_merkle_tree::merkle_root::<Keccak256>: each leaf is
 * hashed, pairs are hashed as keccak(a || b), an odd last node is promoted; no leaves give 32
 * zero bytes. Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_NOMEM. In: n leaves of 32 bytes each.
 */
ITEE_MUST_CHECK enum itee_err enclave_pc_merkle_root(uint8_t out[32], const uint8_t *leaves,
                                                     size_t n);

/*
 * The ecalls (context entered exclusively). Formats above. Out: out/cap, *out_len
 * (ITEE_ERR_SPACE: *out_len = size needed, checked before anything runs).
 * init Returns: ITEE_OK; ITEE_ERR_ENCLAVE_UNSEAL (sealed file not openable or malformed);
 * ITEE_ERR_PC_GENESIS; ITEE_ERR_PC_SHARD; ITEE_ERR_NOENT (a call missing in the metadata);
 * light-client, metadata and SCALE errors; ocall errors; ITEE_ERR_NOMEM.
 * import Returns: ITEE_OK; ITEE_ERR_PC_NOT_INIT; the light client's error for a bundle that does
 * not extend it; ITEE_ERR_LC_EXTRINSICS_ROOT / ITEE_ERR_TRIE_PROOF for a body or events proof
 * not matching the header; ITEE_ERR_PC_PENDING; ITEE_ERR_NOMEM; persistence errors. On any
 * error nothing changed (no state, no extrinsic sent).
 * status Returns: ITEE_OK; ITEE_ERR_PC_NOT_INIT.
 */
ITEE_MUST_CHECK enum itee_err enclave_pc_init(struct enclave_ctx *ctx, const uint8_t *req,
                                              size_t req_len, uint8_t *out, size_t cap,
                                              size_t *out_len);
ITEE_MUST_CHECK enum itee_err enclave_pc_import(struct enclave_ctx *ctx, const uint8_t *req,
                                                size_t req_len, uint8_t *out, size_t cap,
                                                size_t *out_len);
ITEE_MUST_CHECK enum itee_err enclave_pc_status(struct enclave_ctx *ctx, uint8_t *out, size_t cap,
                                                size_t *out_len);

/* Frees the importer (NULL is a no-op). */
void enclave_pc_free(struct enclave_pc *pc);

#endif
