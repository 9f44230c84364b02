/*
 * extrinsic.h - Substrate extrinsics, format v4 (sp_runtime UncheckedExtrinsic with
 * MultiAddress<AccountId32, ()>, MultiSignature and the FRAME signed extensions), the Era of
 * CheckMortality, and the signing payload.
 *
 * Wire form (always with the outer length prefix, as in blocks, RPC and the tx hash):
 *   Compact(len(body)) || body
 *   body = 0x04 || call                                     (unsigned / bare)
 *        | 0x84 || address || signature || extra || call    (signed)
 * extra = Era || Compact<u32> nonce || Compact<u128> tip [|| u8 metadata-hash mode]
 * additional signed = spec_version u32 || tx_version u32 || genesis[32] || era birth hash[32]
 *                     [|| Option<[u8;32]> metadata hash]
 * payload = call || extra || additional; over 256 bytes, blake2_256(payload) is signed instead.
 *
 * The signed extensions are fixed to the list every Integritee runtime uses (CheckNonZeroSender,
 * CheckSpecVersion, CheckTxVersion, CheckGenesis, CheckMortality, CheckNonce, CheckWeight,
 * ChargeTransactionPayment), with CheckMetadataHash appended when the chain lists it
 * (extrinsic_chain.check_metadata_hash: true for the solo node, false for the spec's mini
 * metadata).
 *
 * A decoded extrinsic is zero-copy: call and extra are views into the input bytes.
 */
#ifndef ITEE_EXTRINSIC_H
#define ITEE_EXTRINSIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/scale.h"
#include "common/bytes.h"
#include "common/err.h"
#include "common/int128.h"
#include "keys/pair.h"

#define EXTRINSIC_VERSION         4    /* the only format version we accept */
#define EXTRINSIC_SIGNED_BIT      0x80 /* version byte flag for a signed extrinsic */
#define EXTRINSIC_HASH_LEN        32
#define EXTRINSIC_PAYLOAD_MAX_RAW 256 /* longer payloads are signed as their blake2_256 */
#define EXTRINSIC_ERA_MAX_LEN     2

/* MultiAddress variant indices. */
enum extrinsic_address_kind {
    EXTRINSIC_ADDRESS_ID = 0,        /* AccountId32: the only one the runtime can look up */
    EXTRINSIC_ADDRESS_INDEX = 1,     /* Compact<()> index: AccountIndex is () here */
    EXTRINSIC_ADDRESS_RAW = 2,       /* Vec<u8> */
    EXTRINSIC_ADDRESS_ADDRESS32 = 3, /* [u8;32] */
    EXTRINSIC_ADDRESS_ADDRESS20 = 4  /* [u8;20] */
};

/* CheckMortality's Era. */
struct extrinsic_era {
    bool mortal;     /* false: immortal (encoded 0x00) */
    uint64_t period; /* power of two, 4..65536 (mortal only) */
    uint64_t phase;  /* < period (mortal only) */
};

/* The signer-chosen values carried in the extrinsic ("extra"). */
struct extrinsic_params {
    struct extrinsic_era era; /* CheckMortality */
    uint32_t nonce;           /* CheckNonce */
    itee_u128 tip;            /* ChargeTransactionPayment */
    uint8_t metadata_mode;    /* CheckMetadataHash mode: 0 disabled, 1 enabled (if listed) */
};

/* The chain's values that are signed but not carried ("additional signed"). */
struct extrinsic_chain {
    uint32_t spec_version;     /* CheckSpecVersion */
    uint32_t tx_version;       /* CheckTxVersion */
    uint8_t genesis_hash[32];  /* CheckGenesis */
    bool check_metadata_hash;  /* the runtime lists CheckMetadataHash (last) */
    bool has_metadata_hash;    /* a metadata hash is known: signed as Some when mode = 1 */
    uint8_t metadata_hash[32]; /* that hash */
};

/* A decoded extrinsic. */
struct extrinsic {
    bool is_signed;                   /* version byte 0x84 (else 0x04, bare) */
    uint8_t signer[KEYS_ACCOUNT_LEN]; /* MultiAddress::Id account (signed only) */
    enum keys_scheme sig_scheme;      /* MultiSignature variant */
    uint8_t sig[KEYS_SIG_MAX];        /* signature bytes */
    size_t sig_len;                   /* 64, or 65 for ecdsa */
    struct extrinsic_params params;   /* decoded extra */
    struct itee_slice extra;          /* the extra bytes as carried (view) */
    struct itee_slice call;           /* pallet index, call index, args (view) */
    size_t encoded_len;               /* bytes consumed, length prefix included */
};

/* ---- Era ---- */

/* Immortal era. */
struct extrinsic_era extrinsic_era_immortal(void);
/*
 * Mortal era as Substrate's Era::mortal(period_wanted, current): the period is rounded up to a
 * power of two and clamped to 4..65536, the phase quantised.
 */
struct extrinsic_era extrinsic_era_mortal(uint64_t period_wanted, uint64_t current);
/* Writes the encoding (1 or 2 bytes). Returns: its length (0 for an invalid era). */
size_t extrinsic_era_encode(const struct extrinsic_era *era, uint8_t out[EXTRINSIC_ERA_MAX_LEN]);
/* Reads an Era. Returns: ITEE_OK, ITEE_ERR_SCALE_EOF, or ITEE_ERR_SCALE_VARIANT (invalid). */
ITEE_MUST_CHECK enum itee_err extrinsic_era_read(struct scale_reader *r, struct extrinsic_era *era);
/* First block of the era's validity relative to current (0 for immortal). */
uint64_t extrinsic_era_birth(const struct extrinsic_era *era, uint64_t current);
/* First block after the era (UINT64_MAX for immortal). */
uint64_t extrinsic_era_death(const struct extrinsic_era *era, uint64_t current);

/* ---- decode ---- */

/*
 * Decodes exactly len bytes at p (length prefix included) as one extrinsic for chain c (which
 * fixes whether the CheckMetadataHash mode byte is present).
 * Returns: ITEE_OK; SCALE errors for malformed input (ITEE_ERR_SCALE_LENGTH when the prefix
 * disagrees with the body, ITEE_ERR_SCALE_TRAILING for leftovers, ITEE_ERR_SCALE_VARIANT for an
 * unknown version byte, address, signature or mode); ITEE_ERR_UNSUPPORTED for a well-formed
 * v5 extrinsic or a signer address other than MultiAddress::Id (the runtime's AccountIdLookup
 * cannot resolve those: Substrate reports "CannotLookup").
 * Out: *x (zeroed on failure); its views point into p.
 */
ITEE_MUST_CHECK enum itee_err extrinsic_decode(struct extrinsic *x, const struct extrinsic_chain *c,
                                               const uint8_t *p, size_t len);

/* ---- signing payload ---- */

/* Appends the extra bytes for params. Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_SPACE/_NOMEM. */
ITEE_MUST_CHECK enum itee_err extrinsic_extra_encode(struct itee_buf *b,
                                                     const struct extrinsic_chain *c,
                                                     const struct extrinsic_params *p);
/*
 * Appends the raw signing payload call || extra || additional. era_hash is the hash of the
 * era's birth block (the genesis hash for an immortal era).
 * Returns: as extrinsic_extra_encode.
 */
ITEE_MUST_CHECK enum itee_err extrinsic_payload_encode(struct itee_buf *b,
                                                       const struct extrinsic_chain *c,
                                                       struct itee_slice call,
                                                       const struct extrinsic_params *p,
                                                       const uint8_t era_hash[32]);
/*
 * The bytes actually signed: the payload itself, or blake2_256 of it when longer than 256
 * bytes (then written to hash_store). Returns: a view of payload or of hash_store.
 */
struct itee_slice extrinsic_payload_message(struct itee_slice payload, uint8_t hash_store[32]);

/*
 * Verifies a decoded signed extrinsic against its signer (MultiSignature::verify).
 * Returns: ITEE_OK, ITEE_ERR_BAD_SIG (also for a wrong chain, era hash or version: the payload
 * differs), ITEE_ERR_ARG (unsigned extrinsic or NULL), ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err extrinsic_verify(const struct extrinsic *x,
                                               const struct extrinsic_chain *c,
                                               const uint8_t era_hash[32]);

/* ---- encode ---- */

/* Appends an unsigned (bare) extrinsic: prefix || 0x04 || call. */
ITEE_MUST_CHECK enum itee_err extrinsic_encode_unsigned(struct itee_buf *b, struct itee_slice call);
/*
 * Appends a signed extrinsic from its parts (signature already made).
 * Returns: ITEE_OK, ITEE_ERR_ARG (sig_len wrong for the scheme), ITEE_ERR_SPACE/_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err
extrinsic_encode_signed(struct itee_buf *b, const struct extrinsic_chain *c,
                        const uint8_t signer[KEYS_ACCOUNT_LEN], enum keys_scheme scheme,
                        const uint8_t *sig, size_t sig_len, const struct extrinsic_params *p,
                        struct itee_slice call);
/*
 * Builds the payload, signs it with pair (sr25519 "substrate" context, ed25519, or ecdsa over
 * blake2_256) and appends the signed extrinsic. The signer address is the pair's AccountId32.
 * Returns: as extrinsic_encode_signed, or a crypto error.
 */
ITEE_MUST_CHECK enum itee_err extrinsic_sign(struct itee_buf *b, const struct keys_pair *pair,
                                             const struct extrinsic_chain *c,
                                             struct itee_slice call,
                                             const struct extrinsic_params *p,
                                             const uint8_t era_hash[32]);

/* Transaction hash: blake2_256 of the full encoding (length prefix included). */
void extrinsic_hash(uint8_t out[EXTRINSIC_HASH_LEN], const uint8_t *p, size_t len);

#endif
