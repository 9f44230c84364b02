/*
 * grandpa.h - GRANDPA justifications (finality proofs) as Substrate encodes them, the signed
 * precommit message, and justification verification against an authority set.
 *
 * Wire form (block numbers are plain u32 here, not compact):
 *   GrandpaJustification = round u64 || Commit || votes_ancestries: Vec<Header>
 *   Commit = target_hash[32] || target_number u32 || Vec<SignedPrecommit>
 *   SignedPrecommit = target_hash[32] || target_number u32 || signature[64] || id[32]
 * Signed message: 0x01 (Message::Precommit) || target_hash || number u32 || round u64 || set_id
 * u64.
 *
 * Decoding allocates the precommit and header arrays (free with grandpa_justification_free);
 * the headers' digest data are views into the input, which must outlive the justification.
 */
#ifndef ITEE_GRANDPA_H
#define ITEE_GRANDPA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/header.h"
#include "common/bytes.h"
#include "common/err.h"
#include "crypto/ed25519.h"

#define GRANDPA_MSG_LEN        53 /* 1 + 32 + 4 + 8 + 8 */
#define GRANDPA_MAX_PRECOMMITS 4096
#define GRANDPA_MAX_ANCESTRIES 4096

struct grandpa_precommit {
    uint8_t target_hash[HEADER_HASH_LEN]; /* voted block */
    uint32_t target_number;               /* its number */
};

struct grandpa_signed_precommit {
    struct grandpa_precommit precommit; /* the vote */
    struct ed25519_sig signature;       /* over grandpa_precommit_message(...) */
    struct ed25519_public id;           /* the voting authority */
};

struct grandpa_justification {
    uint64_t round;                              /* voting round */
    uint8_t target_hash[HEADER_HASH_LEN];        /* commit target (the finalized block) */
    uint32_t target_number;                      /* its number */
    struct grandpa_signed_precommit *precommits; /* votes */
    size_t n_precommits;                         /* entries in precommits */
    struct header *ancestries;                   /* headers linking votes to the target */
    size_t n_ancestries;                         /* entries in ancestries */
    bool owns_arrays;                            /* the arrays were allocated by decode */
};

/* One authority of the current set. */
struct grandpa_authority {
    struct ed25519_public id; /* ed25519 key */
    uint64_t weight;          /* voting weight (1 on the solo node) */
};

/* Writes the 53-byte message a precommit signature covers. */
void grandpa_precommit_message(uint8_t out[GRANDPA_MSG_LEN], const struct grandpa_precommit *p,
                               uint64_t round, uint64_t set_id);

/*
 * Signs a precommit with an authority key. Out: *out (id, signature and the precommit).
 * Returns: ITEE_OK or a crypto error.
 */
ITEE_MUST_CHECK enum itee_err grandpa_precommit_sign(struct grandpa_signed_precommit *out,
                                                     const struct ed25519_keypair *kp,
                                                     const struct grandpa_precommit *p,
                                                     uint64_t round, uint64_t set_id);

/* Returns: ITEE_OK if the signature is the id's over the message, else ITEE_ERR_BAD_SIG. */
ITEE_MUST_CHECK enum itee_err
grandpa_signed_precommit_verify(const struct grandpa_signed_precommit *sp, uint64_t round,
                                uint64_t set_id);

/* Appends SCALE(justification). Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_SPACE/_NOMEM. */
ITEE_MUST_CHECK enum itee_err grandpa_justification_encode(struct itee_buf *b,
                                                           const struct grandpa_justification *j);
/*
 * Decodes exactly len bytes. Returns: ITEE_OK, a SCALE error, ITEE_ERR_NOMEM.
 * Out: *j (free with grandpa_justification_free; zeroed on failure).
 */
ITEE_MUST_CHECK enum itee_err grandpa_justification_decode(struct grandpa_justification *j,
                                                           const uint8_t *p, size_t len);
/* Frees what decode allocated. Safe on a zeroed value. */
void grandpa_justification_free(struct grandpa_justification *j);

/*
 * Verifies a justification against the authority set set_id (as Substrate's
 * GrandpaJustification::verify_with_voter_set): every precommit signed by a distinct authority
 * of the set, every precommit target the commit target or a descendant of it through
 * votes_ancestries, no unused ancestry header, and the signers' weight at least
 * total - floor((total - 1) / 3). The caller checks that the target is the block it expects.
 * Returns: ITEE_OK, ITEE_ERR_BAD_SIG (bad or foreign signature, duplicate voter, too little
 * weight), ITEE_ERR_FORMAT (ancestry does not link), ITEE_ERR_ARG, ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err grandpa_justification_verify(const struct grandpa_justification *j,
                                                           uint64_t set_id,
                                                           const struct grandpa_authority *auth,
                                                           size_t n_auth);

#endif
