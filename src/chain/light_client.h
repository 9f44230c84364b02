/*
 * light_client.h - the enclave's GRANDPA light client of the parentchain (issue #5,
 * DESIGN.md section 4, spec/worker-protocol.md section 6).
 *
 * The enclave trusts parentchain data only through this module. It starts from a genesis
 * header and the GRANDPA authority set (set id 0), accepts a header only if it extends the last
 * accepted one (parent hash and number), and finalizes headers only with a GRANDPA
 * justification signed by more than two thirds of the current set's weight. A header without
 * a justification is held as "unjustified" until a justification for it or for a descendant
 * arrives; that justification finalizes the block and all its unjustified ancestors. Extrinsics
 * and storage are trusted only against a finalized header's roots. The host can delay blocks
 * but cannot forge, skip or reorder them.
 *
 * Authority set changes come from header digests, Consensus("FRNK", ConsensusLog):
 *  - ScheduledChange (1) announced in block A with delay d is enacted when block A + d is
 *    finalized (that block's justification is still checked against the old set); the set id
 *    then increments. A justification for a block past A + d is refused while A + d is not
 *    final (ITEE_ERR_LC_SET_CHANGE): block A + d must be justified first, as Substrate requires.
 *    A second change announced before the previous one's block A + d is refused too (the
 *    pallet never does that).
 *  - ForcedChange (2) is refused (ITEE_ERR_LC_FORCED_CHANGE): it bypasses finality and the
 *    solo parentchain never issues it; a light client must not follow it blindly.
 *  - OnDisabled (3), Pause (4) and Resume (5) are checked for form and otherwise ignored:
 *    they change who votes or whether voting happens, never which signatures are valid.
 * Any other FRNK consensus item, or one with bytes left over, is refused (ITEE_ERR_LC_DIGEST).
 *
 * The module is pure computation (no I/O, no clock): usable inside the enclave. Every call
 * that fails leaves the state exactly as it was. The whole state has a versioned SCALE
 * encoding so the enclave can seal it and resume after a restart; decoding is safe on hostile
 * bytes.
 *
 * Memory: held headers are kept as fixed-size summaries (struct light_client_header), at most
 * LIGHT_CLIENT_MAX_UNJUSTIFIED unjustified ones. Of the finalized ones it keeps every header the
 * last justification finalized (the importer reads them right after that import) and at least
 * the last LIGHT_CLIENT_MIN_HISTORY, and cuts older ones in steps of LIGHT_CLIENT_MIN_HISTORY, so
 * a client that finalizes every block keeps a sealed state of a few tens of KiB. The importer
 * may drop the finalized headers it has consumed earlier with light_client_prune.
 */
#ifndef ITEE_LIGHT_CLIENT_H
#define ITEE_LIGHT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/grandpa.h"
#include "chain/header.h"
#include "common/bytes.h"
#include "common/err.h"
#include "trie/trie.h"
#include "trie/trie_proof.h"

#define LIGHT_CLIENT_STATE_VERSION   1    /* first byte of the encoded state */
#define LIGHT_CLIENT_MAX_UNJUSTIFIED 4096 /* unjustified headers held at most */
#define LIGHT_CLIENT_MAX_AUTHORITIES 1024 /* authorities in one set */
#define LIGHT_CLIENT_MAX_PENDING     16   /* announced, not yet enacted set changes */
#define LIGHT_CLIENT_MIN_HISTORY     256  /* finalized headers kept at least */
/* finalized headers held at most: one full batch plus the minimum */
#define LIGHT_CLIENT_MAX_HISTORY (LIGHT_CLIENT_MAX_UNJUSTIFIED + 1 + LIGHT_CLIENT_MIN_HISTORY)

/* `:grandpa_authorities`, the legacy well-known key of the GRANDPA authority set. */
#define LIGHT_CLIENT_GRANDPA_KEY     ":grandpa_authorities"
#define LIGHT_CLIENT_GRANDPA_KEY_LEN 20

/* Where the genesis state keeps the GRANDPA authorities. */
enum light_client_auth_key {
    /* `:grandpa_authorities` = 0x01 (version) || Vec<(AuthorityId, u64)> (legacy chains) */
    LIGHT_CLIENT_AUTH_WELL_KNOWN = 0,
    /* Grandpa.Authorities = Vec<(AuthorityId, u64)> (current pallet_grandpa, our node) */
    LIGHT_CLIENT_AUTH_PALLET = 1,
};

/* What the light client keeps of a header. */
struct light_client_header {
    uint8_t hash[HEADER_HASH_LEN];            /* block hash */
    uint8_t parent_hash[HEADER_HASH_LEN];     /* parent's hash */
    uint32_t number;                          /* block number */
    uint8_t state_root[HEADER_HASH_LEN];      /* storage root after the block */
    uint8_t extrinsics_root[HEADER_HASH_LEN]; /* ordered trie root of the body */
};

/* What an accepted import changed. */
struct light_client_outcome {
    size_t n_finalized;        /* headers newly finalized (0 if none) */
    uint32_t finalized_number; /* number of the last finalized header afterwards */
    bool set_changed;          /* an authority set change was enacted */
};

struct light_client;

/*
 * Starts a light client from the genesis header (SCALE bytes, copied) and the GRANDPA
 * authority set with set id 0. layout is the trie layout of the parentchain's extrinsics root
 * (V0 while the runtime's system_version is 0 or 1).
 * Out: *out (NULL on failure; free with light_client_free).
 * Returns: ITEE_OK, ITEE_ERR_ARG, a header decode error, ITEE_ERR_LC_AUTHORITIES (empty set, a
 * zero weight, a duplicate key, more than LIGHT_CLIENT_MAX_AUTHORITIES, weights overflowing
 * u64), ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err light_client_new(struct light_client **out, enum trie_layout layout,
                                               const uint8_t *genesis, size_t genesis_len,
                                               const struct grandpa_authority *auth, size_t n_auth);

/*
 * As light_client_new, but reads the authority set from a read proof (state_getReadProof
 * nodes) of the key `which` names, verified against the genesis state root.
 * Returns: as light_client_new, ITEE_ERR_TRIE_PROOF (proof does not prove the key),
 * ITEE_ERR_LC_AUTHORITIES (key absent or value malformed).
 */
ITEE_MUST_CHECK enum itee_err light_client_new_from_proof(
    struct light_client **out, enum trie_layout layout, const uint8_t *genesis, size_t genesis_len,
    enum light_client_auth_key which, const struct itee_slice *nodes, size_t n_nodes);

/* Frees the light client. NULL is a no-op. */
void light_client_free(struct light_client *lc);

/*
 * Imports the next header (SCALE bytes) with an optional GRANDPA justification for it
 * (SCALE GrandpaJustification as the node produces; just NULL / just_len 0 for none).
 * Out: *outcome (optional, may be NULL).
 * Returns: ITEE_OK; ITEE_ERR_LC_NUMBER (number not above the last imported: duplicate, old or
 * out of order), ITEE_ERR_LC_GAP (a block was skipped), ITEE_ERR_LC_PARENT (parent is not the
 * last imported header: forged or from another fork), ITEE_ERR_LC_QUEUE_FULL (too many
 * unjustified headers: a justification must come first), a digest error (ITEE_ERR_LC_DIGEST,
 * _FORCED_CHANGE, _SET_CHANGE, _AUTHORITIES), a justification error (see
 * light_client_import_justification), a SCALE error for undecodable bytes, ITEE_ERR_NOMEM.
 * On any error the state is unchanged.
 */
ITEE_MUST_CHECK enum itee_err light_client_import(struct light_client *lc, const uint8_t *header,
                                                  size_t header_len, const uint8_t *just,
                                                  size_t just_len,
                                                  struct light_client_outcome *outcome);

/*
 * Imports a justification for a held unjustified header (e.g. one that arrived after its
 * block); it finalizes that header and its unjustified ancestors.
 * Out: *outcome (optional).
 * Returns: ITEE_OK; ITEE_ERR_LC_TARGET (the commit target is not the expected / a held
 * unjustified header), ITEE_ERR_LC_SET_CHANGE (a pending set change must be justified first),
 * ITEE_ERR_LC_UNKNOWN_SIGNER (a precommit by a key outside the current set),
 * ITEE_ERR_LC_DUPLICATE_SIGNER, ITEE_ERR_LC_WEIGHT (signers hold less than the threshold
 * total - floor((total - 1) / 3)), ITEE_ERR_BAD_SIG (a signature does not verify: forged,
 * wrong round or wrong set id), ITEE_ERR_LC_ANCESTRY (a precommit target not proven to descend
 * from the commit target, or an unused ancestry header), a SCALE error, ITEE_ERR_NOMEM.
 * On any error the state is unchanged.
 */
ITEE_MUST_CHECK enum itee_err
light_client_import_justification(struct light_client *lc, const uint8_t *just, size_t just_len,
                                  struct light_client_outcome *outcome);

/* Out: *out, the last finalized header. */
void light_client_finalized(const struct light_client *lc, struct light_client_header *out);
/* Out: *out, the last imported header (finalized or not). */
void light_client_best(const struct light_client *lc, struct light_client_header *out);
/* Out: the genesis hash. */
void light_client_genesis_hash(const struct light_client *lc, uint8_t out[HEADER_HASH_LEN]);
/* Returns: the number of unjustified headers held. */
size_t light_client_unjustified_count(const struct light_client *lc);
/*
 * Out: *auth views the current authority set (valid until the next import or free), *n_auth
 * its size, *set_id its id.
 */
void light_client_authorities(const struct light_client *lc, const struct grandpa_authority **auth,
                              size_t *n_auth, uint64_t *set_id);

/*
 * Looks up a held finalized header by number. Out: *out (zeroed on failure).
 * Returns: ITEE_OK or ITEE_ERR_LC_NOT_FINALIZED (not finalized, or already pruned).
 */
ITEE_MUST_CHECK enum itee_err light_client_finalized_by_number(const struct light_client *lc,
                                                               uint32_t number,
                                                               struct light_client_header *out);
/* As light_client_finalized_by_number, by block hash. */
ITEE_MUST_CHECK enum itee_err light_client_finalized_by_hash(const struct light_client *lc,
                                                             const uint8_t hash[HEADER_HASH_LEN],
                                                             struct light_client_header *out);

/*
 * Drops the finalized headers numbered below `below` that the importer has consumed; the last
 * finalized header is always kept.
 */
void light_client_prune(struct light_client *lc, uint32_t below);

/*
 * Checks that items (each extrinsic's full encoding, length prefix included, in block order)
 * are exactly the body of the held finalized block `hash`.
 * Returns: ITEE_OK, ITEE_ERR_LC_NOT_FINALIZED, ITEE_ERR_LC_EXTRINSICS_ROOT, ITEE_ERR_ARG,
 * ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err light_client_verify_extrinsics(const struct light_client *lc,
                                                             const uint8_t hash[HEADER_HASH_LEN],
                                                             const struct itee_slice *items,
                                                             size_t n);

/*
 * Verifies a read proof of keys against the state root of the held finalized block `hash`.
 * Out: results[i] (views into nodes; zeroed on failure).
 * Returns: ITEE_OK, ITEE_ERR_LC_NOT_FINALIZED, ITEE_ERR_TRIE_PROOF, ITEE_ERR_ARG,
 * ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err
light_client_verify_storage(const struct light_client *lc, const uint8_t hash[HEADER_HASH_LEN],
                            const struct itee_slice *nodes, size_t n_nodes,
                            const struct itee_slice *keys, size_t n_keys,
                            struct trie_proof_value *results);

/*
 * Appends the whole state (versioned SCALE, see light_client.c) to b.
 * Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_SPACE, ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err light_client_encode(const struct light_client *lc,
                                                  struct itee_buf *b);

/*
 * Rebuilds a light client from exactly len bytes of light_client_encode output.
 * Out: *out (NULL on failure).
 * Returns: ITEE_OK, a SCALE error, ITEE_ERR_LC_STATE (unknown version or inconsistent state),
 * ITEE_ERR_LC_AUTHORITIES, ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err light_client_decode(struct light_client **out, const uint8_t *p,
                                                  size_t len);

#endif
