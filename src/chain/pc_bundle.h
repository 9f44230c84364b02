/*
 * pc_bundle.h - one finalized parentchain block as the service hands it to the enclave: the
 * header, its GRANDPA justification if the node has one, the body, and the System.Events value
 * with a read proof against the header's state root. The enclave trusts none of it until its
 * light client accepted the header and the proof and extrinsics roots checked out.
 *
 * Wire form (SCALE, version 1):
 *   u8 version = 1
 *   Vec<u8> header                  (SCALE Header)
 *   Option<Vec<u8>> justification   (SCALE GrandpaJustification, engine "FRNK")
 *   Vec<Vec<u8>> extrinsics         (each an opaque extrinsic as in the block body: its own
 *                                    compact length prefix included, as the ordered trie root
 *                                    commits to it)
 *   Vec<u8> events                  (the raw System.Events value; empty if absent)
 *   Vec<Vec<u8>> events_proof       (trie nodes proving events under the state root)
 */
#ifndef ITEE_PC_BUNDLE_H
#define ITEE_PC_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"

#define PC_BUNDLE_VERSION        1
#define PC_BUNDLE_MAX_EXTRINSICS 65536 /* per block */
#define PC_BUNDLE_MAX_PROOF      4096  /* trie nodes per proof */

/* A decoded bundle: views into the encoded bytes (valid while they are). */
struct pc_bundle {
    struct itee_slice header;
    bool has_justification;
    struct itee_slice justification;
    struct itee_slice *extrinsics; /* n_extrinsics views (allocated; pc_bundle_free) */
    size_t n_extrinsics;
    struct itee_slice events;
    struct itee_slice *proof; /* n_proof views (allocated) */
    size_t n_proof;
};

/* Appends the encoding of the parts. Returns: ITEE_OK, ITEE_ERR_ARG, buffer errors. */
ITEE_MUST_CHECK enum itee_err pc_bundle_encode(struct itee_buf *out, struct itee_slice header,
                                               const struct itee_slice *justification,
                                               const struct itee_slice *extrinsics,
                                               size_t n_extrinsics, struct itee_slice events,
                                               const struct itee_slice *proof, size_t n_proof);
/*
 * Decodes a bundle (strict: version, limits, no trailing bytes). Out: *b (pc_bundle_free it; zeroed
 * on failure). Returns: ITEE_OK, ITEE_ERR_SCALE_*, ITEE_ERR_UNSUPPORTED (version), ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err pc_bundle_decode(struct pc_bundle *b, const uint8_t *p, size_t len);
/* Frees the views' arrays. */
void pc_bundle_free(struct pc_bundle *b);

#endif
