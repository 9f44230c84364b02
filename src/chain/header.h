/*
 * header.h - the Substrate block header (sp_runtime::generic::Header<u32, BlakeTwo256>) and its
 * digest, plus the AURA pre-runtime digest and seal.
 *
 * Wire form: parent_hash[32] || Compact<u32> number || state_root[32] || extrinsics_root[32] ||
 * Vec<DigestItem>. The block hash is blake2_256 of that encoding (seal included).
 *
 * A decoded header is zero-copy: each digest item's data is a view into the decoded bytes, so
 * the input must outlive the header. Headers built by the node point their items at the node's
 * own buffers in the same way. The digest is a fixed array (HEADER_MAX_LOGS items) so a header
 * needs no allocation; real chains carry two to four items.
 */
#ifndef ITEE_HEADER_H
#define ITEE_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/scale.h"
#include "common/bytes.h"
#include "common/err.h"
#include "keys/pair.h"

#define HEADER_HASH_LEN     32 /* H256 */
#define HEADER_ENGINE_LEN   4  /* ConsensusEngineId */
#define HEADER_MAX_LOGS     16 /* digest items we accept in one header */
#define HEADER_AURA_SIG_LEN 64 /* sr25519 signature in the AURA seal */

/* Engine ids as 4-byte strings (no terminator is used). */
#define HEADER_ENGINE_AURA    "aura"
#define HEADER_ENGINE_GRANDPA "FRNK"
#define HEADER_ENGINE_BABE    "BABE"

/* DigestItem variant indices (sp_runtime::generic::DigestItem). */
enum header_digest_kind {
    HEADER_DIGEST_OTHER = 0,              /* Other(Vec<u8>) */
    HEADER_DIGEST_CONSENSUS = 4,          /* Consensus(engine, Vec<u8>) */
    HEADER_DIGEST_SEAL = 5,               /* Seal(engine, Vec<u8>) */
    HEADER_DIGEST_PRE_RUNTIME = 6,        /* PreRuntime(engine, Vec<u8>) */
    HEADER_DIGEST_RUNTIME_ENV_UPDATED = 8 /* RuntimeEnvironmentUpdated (no data) */
};

/* One digest item. */
struct header_digest_item {
    enum header_digest_kind kind;      /* variant */
    uint8_t engine[HEADER_ENGINE_LEN]; /* engine id (Consensus/Seal/PreRuntime; zero otherwise) */
    struct itee_slice data;            /* payload bytes without their length prefix (a view) */
};

struct header {
    uint8_t parent_hash[HEADER_HASH_LEN];            /* hash of the parent block */
    uint32_t number;                                 /* block number (Compact<u32>) */
    uint8_t state_root[HEADER_HASH_LEN];             /* storage trie root after the block */
    uint8_t extrinsics_root[HEADER_HASH_LEN];        /* ordered trie root of the body */
    size_t n_logs;                                   /* digest items in use */
    struct header_digest_item logs[HEADER_MAX_LOGS]; /* digest, in order */
};

/*
 * Appends a digest item (data is viewed, not copied).
 * Returns: ITEE_OK, ITEE_ERR_ARG (NULL, unknown kind) or ITEE_ERR_SPACE (HEADER_MAX_LOGS full).
 */
ITEE_MUST_CHECK enum itee_err header_push_log(struct header *h, enum header_digest_kind kind,
                                              const char engine[HEADER_ENGINE_LEN],
                                              const uint8_t *data, size_t len);

/* Appends SCALE(header). Returns: ITEE_OK, ITEE_ERR_SPACE, ITEE_ERR_NOMEM or ITEE_ERR_ARG. */
ITEE_MUST_CHECK enum itee_err header_encode(struct itee_buf *b, const struct header *h);
/* Appends SCALE(DigestItem). Returns: as header_encode. */
ITEE_MUST_CHECK enum itee_err header_digest_item_encode(struct itee_buf *b,
                                                        const struct header_digest_item *it);

/*
 * Reads one header from r (for headers embedded in other values).
 * Returns: ITEE_OK or a SCALE error (ITEE_ERR_SCALE_VARIANT for an unknown digest item,
 * ITEE_ERR_SPACE for more than HEADER_MAX_LOGS items). Out: *h (zeroed on failure).
 */
ITEE_MUST_CHECK enum itee_err header_read(struct scale_reader *r, struct header *h);
/* Decodes exactly len bytes at p as a header. Returns: as header_read or _SCALE_TRAILING. */
ITEE_MUST_CHECK enum itee_err header_decode(struct header *h, const uint8_t *p, size_t len);

/* Block hash: blake2_256(SCALE(header)). Returns: ITEE_OK or ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err header_hash(const struct header *h, uint8_t out[HEADER_HASH_LEN]);

/* Encodes the AURA pre-runtime digest payload: SCALE(u64 slot). */
void header_aura_pre_digest(uint8_t out[8], uint64_t slot);

/*
 * Finds the AURA slot: the PreRuntime("aura") item whose payload is exactly a u64.
 * Returns: ITEE_OK, or ITEE_ERR_NOENT when there is none (or it is malformed, or appears twice).
 */
ITEE_MUST_CHECK enum itee_err header_aura_slot(const struct header *h, uint64_t *slot);

/*
 * Seals a header built without its seal: signs blake2_256(SCALE(h)) with the sr25519 pair and
 * appends Seal("aura", sig). sig_store receives the 64 signature bytes and must outlive h (the
 * seal item views it).
 * Returns: ITEE_OK, ITEE_ERR_ARG (not an sr25519 pair), ITEE_ERR_SPACE, or a crypto error.
 */
ITEE_MUST_CHECK enum itee_err header_aura_seal(struct header *h, const struct keys_pair *author,
                                               uint8_t sig_store[HEADER_AURA_SIG_LEN]);

/*
 * Checks the AURA seal: the last item must be Seal("aura", 64 bytes), verified with sr25519
 * over the hash of the header without it.
 * Out: pre_hash (optional, may be NULL) gets that hash.
 * Returns: ITEE_OK, ITEE_ERR_NOENT (no AURA seal last), ITEE_ERR_BAD_SIG, ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err header_aura_verify_seal(const struct header *h,
                                                      const uint8_t author[32],
                                                      uint8_t pre_hash[HEADER_HASH_LEN]);

#endif
