/*
 * trie_proof.h - verification of Substrate read proofs (state_getReadProof): an unordered set
 * of encoded trie nodes (and V1 values) that must prove, against a trusted state root, the
 * value or the absence of each requested key. This is how the enclave's light client trusts
 * parentchain storage. Spec: spec/substrate-compat.md section 7.5.
 *
 * Proofs are produced by trie_prove (trie.h) or by a Substrate node.
 */
#ifndef ITEE_TRIE_PROOF_H
#define ITEE_TRIE_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "trie/trie_node.h"

/* Reject a proof that holds a node no requested key needed, or the same node twice. */
#define TRIE_PROOF_STRICT 1u

/* What a proof says about one key. */
struct trie_proof_value {
    bool present;            /* the key has a value */
    struct itee_slice value; /* the value: a view into the proof's nodes (empty if absent) */
};

/*
 * Verifies that the proof nodes[0..n_nodes) proves each keys[i] against root.
 * Out: results[i] for each key (views into nodes; all zeroed on failure).
 * Flags: TRIE_PROOF_STRICT, or 0 to accept proofs that carry extra nodes (as sp-trie does).
 * Returns: ITEE_OK; ITEE_ERR_TRIE_PROOF when a node needed is missing (including the root),
 * a node on a path is malformed, or (strict) a node is unused or repeated; ITEE_ERR_ARG;
 * ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err trie_proof_verify(const uint8_t root[TRIE_HASH_LEN],
                                                const struct itee_slice *nodes, size_t n_nodes,
                                                const struct itee_slice *keys, size_t n_keys,
                                                struct trie_proof_value *results, unsigned flags);

#endif
