/*
 * sr25519.c - schnorrkel 0.11 (as Substrate uses it) on libsodium's Ristretto255: key expansion,
 * signing, verification, HDKD and polkadot-js's secret-key form. Spec §3.5.
 *
 * Scalars are 32-byte little-endian values below l; 64-byte Merlin outputs are reduced mod l
 * with crypto_core_ristretto255_scalar_reduce. Every secret intermediate is wiped before return.
 */
#include "crypto/sr25519.h"

#include <string.h>

#include <sodium.h>

#include "common/mem.h"
#include "crypto/merlin.h"

/* l = 2^252 + 27742317777372353535851937790883648493, little-endian. */
static const uint8_t sr25519_l[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

/* Returns: 1 iff the LE scalar s is below l. Used on secret keys too, so it visits every byte
 * and decides without data-dependent branches. */
static int scalar_is_canonical(const uint8_t s[32])
{
    /* Scan from the most significant byte: lt/gt latch at the first differing byte. */
    unsigned lt = 0, gt = 0;
    for (int i = 31; i >= 0; i--) {
        unsigned a = s[i], b = sr25519_l[i];
        unsigned undecided = 1u ^ (lt | gt);
        lt |= undecided & ((a - b) >> 8 & 1u);
        gt |= undecided & ((b - a) >> 8 & 1u);
    }
    return (int)lt;
}

/* Returns: 1 iff all 32 bytes are zero (the identity's only encoding, or scalar 0). */
static int is_zero32(const uint8_t p[32])
{
    uint8_t acc = 0;
    for (int i = 0; i < 32; i++)
        acc |= p[i];
    return acc == 0;
}

/* Fills kp from a 64-byte SHA-512 output (expand_ed25519 steps 2-5). */
static enum itee_err keypair_from_hash(struct sr25519_keypair *kp, const uint8_t h[64])
{
    uint8_t k[32];
    memcpy(k, h, 32);
    k[0] &= 248;
    k[31] &= 63;
    k[31] |= 64;
    /* divide by the cofactor 8: the clamped value is a multiple of 8 below 2^255 */
    for (int i = 0; i < 31; i++)
        kp->secret.key[i] = (uint8_t)(k[i] >> 3 | k[i + 1] << 5);
    kp->secret.key[31] = (uint8_t)(k[31] >> 3);
    memcpy(kp->secret.nonce, h + 32, 32);
    itee_memzero(k, sizeof(k));
    if (crypto_scalarmult_ristretto255_base(kp->public.bytes, kp->secret.key) != 0)
        return ITEE_ERR_BAD_KEY;
    return ITEE_OK;
}

enum itee_err sr25519_keypair_from_seed(struct sr25519_keypair *kp,
                                        const uint8_t seed[SR25519_SEED_LEN])
{
    uint8_t h[64];
    if (kp == NULL)
        return ITEE_ERR_ARG;
    memset(kp, 0, sizeof(*kp));
    if (seed == NULL)
        return ITEE_ERR_ARG;
    crypto_hash_sha512(h, seed, SR25519_SEED_LEN);
    enum itee_err r = keypair_from_hash(kp, h);
    itee_memzero(h, sizeof(h));
    if (r != ITEE_OK)
        sr25519_keypair_clear(kp);
    return r;
}

enum itee_err sr25519_public_from_secret(struct sr25519_public *pk, const struct sr25519_secret *sk)
{
    if (pk == NULL)
        return ITEE_ERR_ARG;
    memset(pk, 0, sizeof(*pk));
    if (sk == NULL)
        return ITEE_ERR_ARG;
    /* schnorrkel's SecretKey::from_bytes demands a canonical scalar; 0 has no public key */
    if (!scalar_is_canonical(sk->key) ||
        crypto_scalarmult_ristretto255_base(pk->bytes, sk->key) != 0) {
        memset(pk, 0, sizeof(*pk));
        return ITEE_ERR_BAD_KEY;
    }
    return ITEE_OK;
}

/* The signing transcript up to and including "sign:pk" (shared by sign and verify). */
static void sign_transcript(struct merlin_transcript *t, const uint8_t *ctx, size_t ctx_len,
                            const uint8_t *msg, size_t msg_len, const uint8_t pk[32])
{
    merlin_transcript_init(t, "SigningContext");
    merlin_transcript_append_message(t, "", ctx, ctx_len);
    merlin_transcript_append_message(t, "sign-bytes", msg, msg_len);
    merlin_transcript_append_message(t, "proto-name", (const uint8_t *)"Schnorr-sig", 11);
    merlin_transcript_append_message(t, "sign:pk", pk, 32);
}

/* Out: k = reduce64(challenge("sign:c", 64)) after committing R. */
static void sign_challenge(uint8_t k[32], struct merlin_transcript *t, const uint8_t R[32])
{
    uint8_t wide[64];
    merlin_transcript_append_message(t, "sign:R", R, 32);
    merlin_transcript_challenge_bytes(t, "sign:c", wide, sizeof(wide));
    crypto_core_ristretto255_scalar_reduce(k, wide);
}

enum itee_err sr25519_sign_with_rng(struct sr25519_sig *sig, const struct sr25519_keypair *kp,
                                    const uint8_t *ctx, size_t ctx_len, const uint8_t *msg,
                                    size_t msg_len, const uint8_t rnd[32])
{
    struct merlin_transcript t;
    struct merlin_rng rng;
    uint8_t wide[64], r[32], k[32];
    enum itee_err ret = ITEE_ERR_INTERNAL;

    if (sig == NULL)
        return ITEE_ERR_ARG;
    memset(sig, 0, sizeof(*sig));
    if (kp == NULL || rnd == NULL || (ctx == NULL && ctx_len != 0) ||
        (msg == NULL && msg_len != 0) || ctx_len > UINT32_MAX || msg_len > UINT32_MAX)
        return ITEE_ERR_ARG;

    sign_transcript(&t, ctx, ctx_len, msg, msg_len, kp->public.bytes);

    /* r = witness_scalar("signing", [nonce]) */
    merlin_rng_init(&rng, &t);
    merlin_rng_rekey_with_witness(&rng, "signing", kp->secret.nonce, 32);
    merlin_rng_finalize(&rng, rnd);
    merlin_rng_fill(&rng, wide, sizeof(wide));
    crypto_core_ristretto255_scalar_reduce(r, wide);

    /* R = r·B; fails only for r = 0, which happens with probability 2^-252 */
    if (crypto_scalarmult_ristretto255_base(sig->bytes, r) != 0) {
        ret = ITEE_ERR_CRYPTO_LIB;
        goto out;
    }
    sign_challenge(k, &t, sig->bytes);

    /* s = k·key + r */
    crypto_core_ristretto255_scalar_mul(k, k, kp->secret.key);
    crypto_core_ristretto255_scalar_add(sig->bytes + 32, k, r);
    sig->bytes[63] |= 0x80; /* schnorrkel marker: s < 2^253 leaves bit 255 free */
    ret = ITEE_OK;
out:
    if (ret != ITEE_OK)
        memset(sig, 0, sizeof(*sig));
    merlin_transcript_clear(&t);
    merlin_rng_clear(&rng);
    itee_memzero(wide, sizeof(wide));
    itee_memzero(r, sizeof(r));
    itee_memzero(k, sizeof(k));
    return ret;
}

enum itee_err sr25519_sign(struct sr25519_sig *sig, const struct sr25519_keypair *kp,
                           const uint8_t *ctx, size_t ctx_len, const uint8_t *msg, size_t msg_len)
{
    uint8_t rnd[32];
    if (sig != NULL)
        memset(sig, 0, sizeof(*sig));
    if (sodium_init() < 0)
        return ITEE_ERR_RNG;
    randombytes_buf(rnd, sizeof(rnd));
    enum itee_err r = sr25519_sign_with_rng(sig, kp, ctx, ctx_len, msg, msg_len, rnd);
    itee_memzero(rnd, sizeof(rnd));
    return r;
}

enum itee_err sr25519_verify(const struct sr25519_sig *sig, const uint8_t *ctx, size_t ctx_len,
                             const uint8_t *msg, size_t msg_len, const struct sr25519_public *pk)
{
    struct merlin_transcript t;
    uint8_t s[32], k[32], sB[32], kA[32], check[32];

    if (sig == NULL || pk == NULL || (ctx == NULL && ctx_len != 0) ||
        (msg == NULL && msg_len != 0) || ctx_len > UINT32_MAX || msg_len > UINT32_MAX)
        return ITEE_ERR_ARG;
    if ((sig->bytes[63] & 0x80) == 0)
        return ITEE_ERR_NOT_MARKED;
    memcpy(s, sig->bytes + 32, 32);
    s[31] &= 0x7f;
    if (!scalar_is_canonical(s))
        return ITEE_ERR_SCALAR_RANGE;
    /* the identity decodes fine but would let anyone sign for it; refuse it as a key */
    if (is_zero32(pk->bytes) || crypto_core_ristretto255_is_valid_point(pk->bytes) != 1)
        return ITEE_ERR_BAD_POINT;

    sign_transcript(&t, ctx, ctx_len, msg, msg_len, pk->bytes);
    sign_challenge(k, &t, sig->bytes);

    /* s·B; libsodium refuses s = 0 (identity result), whose encoding is all zeros */
    if (crypto_scalarmult_ristretto255_base(sB, s) != 0)
        memset(sB, 0, sizeof(sB));
    /* k·A is the identity only for k = 0 (probability 2^-252): no valid signature then */
    if (crypto_scalarmult_ristretto255(kA, k, pk->bytes) != 0)
        return ITEE_ERR_BAD_SIG;
    if (crypto_core_ristretto255_sub(check, sB, kA) != 0)
        return ITEE_ERR_BAD_SIG;
    return itee_ct_eq(check, sig->bytes, 32) ? ITEE_OK : ITEE_ERR_BAD_SIG;
}

/* The HDKD transcript shared by hard and soft junctions, up to the chain code. */
static void hdkd_transcript(struct merlin_transcript *t, const uint8_t cc[32])
{
    merlin_transcript_init(t, "SchnorrRistrettoHDKD");
    merlin_transcript_append_message(t, "sign-bytes", NULL, 0);
    merlin_transcript_append_message(t, "chain-code", cc, 32);
}

/*
 * The derivation functions below allow child == parent (in-place derivation): they read the
 * parent completely before writing the child, so they zero the child only on failure.
 */
enum itee_err sr25519_derive_hard_seed(uint8_t child_seed[SR25519_SEED_LEN],
                                       const struct sr25519_keypair *parent,
                                       const uint8_t cc[SR25519_CHAIN_CODE_LEN])
{
    struct merlin_transcript t;
    if (child_seed == NULL)
        return ITEE_ERR_ARG;
    memset(child_seed, 0, SR25519_SEED_LEN);
    if (parent == NULL || cc == NULL)
        return ITEE_ERR_ARG;
    hdkd_transcript(&t, cc);
    /* the reduced scalar, not polkadot-js's key·8 form */
    merlin_transcript_append_message(&t, "secret-key", parent->secret.key, 32);
    merlin_transcript_challenge_bytes(&t, "HDKD-hard", child_seed, SR25519_SEED_LEN);
    merlin_transcript_clear(&t);
    return ITEE_OK;
}

enum itee_err sr25519_derive_hard(struct sr25519_keypair *child,
                                  const struct sr25519_keypair *parent,
                                  const uint8_t cc[SR25519_CHAIN_CODE_LEN])
{
    uint8_t seed[SR25519_SEED_LEN];
    if (child == NULL)
        return ITEE_ERR_ARG;
    /* compute into a local first: child may alias parent */
    enum itee_err r = sr25519_derive_hard_seed(seed, parent, cc);
    if (r == ITEE_OK)
        r = sr25519_keypair_from_seed(child, seed);
    else
        memset(child, 0, sizeof(*child));
    itee_memzero(seed, sizeof(seed));
    return r;
}

/* Out: d = reduce64(challenge("HDKD-scalar")) for a soft junction; t is left after
 * "HDKD-chaincode" so the caller can fork the witness RNG from it. */
static void soft_scalar(uint8_t d[32], struct merlin_transcript *t, const uint8_t pk[32],
                        const uint8_t cc[32])
{
    uint8_t wide[64], cc_out[32];
    hdkd_transcript(t, cc);
    merlin_transcript_append_message(t, "public-key", pk, 32);
    merlin_transcript_challenge_bytes(t, "HDKD-scalar", wide, sizeof(wide));
    crypto_core_ristretto255_scalar_reduce(d, wide);
    /* Substrate discards the derived chain code, but it advances the transcript */
    merlin_transcript_challenge_bytes(t, "HDKD-chaincode", cc_out, sizeof(cc_out));
}

enum itee_err sr25519_derive_soft(struct sr25519_keypair *child,
                                  const struct sr25519_keypair *parent,
                                  const uint8_t cc[SR25519_CHAIN_CODE_LEN])
{
    struct merlin_transcript t;
    struct merlin_rng rng;
    struct sr25519_keypair out;
    uint8_t d[32], both[64];
    static const uint8_t zero_rnd[32] = {0};
    enum itee_err ret = ITEE_ERR_INTERNAL;

    if (child == NULL)
        return ITEE_ERR_ARG;
    if (parent == NULL || cc == NULL) {
        memset(child, 0, sizeof(*child));
        return ITEE_ERR_ARG;
    }
    memset(&out, 0, sizeof(out));
    soft_scalar(d, &t, parent->public.bytes, cc);

    /*
     * Child nonce. schnorrkel draws it from the witness RNG over this transcript, with label
     * "HDKD-nonce" and witnesses [nonce, key||nonce], finalized with OS randomness, so its
     * soft-derived nonces are random. We finalize with 32 zero bytes instead, making the
     * nonce a deterministic function of the parent secret and chain code: the same SURI then
     * always yields the same secret. The nonce only hardens signing against a bad RNG and is
     * not part of any spec; the child scalar and public key are unaffected.
     */
    memcpy(both, parent->secret.key, 32);
    memcpy(both + 32, parent->secret.nonce, 32);
    merlin_rng_init(&rng, &t);
    merlin_rng_rekey_with_witness(&rng, "HDKD-nonce", parent->secret.nonce, 32);
    merlin_rng_rekey_with_witness(&rng, "HDKD-nonce", both, sizeof(both));
    merlin_rng_finalize(&rng, zero_rnd);
    merlin_rng_fill(&rng, out.secret.nonce, 32);

    crypto_core_ristretto255_scalar_add(out.secret.key, parent->secret.key, d);
    if (crypto_scalarmult_ristretto255_base(out.public.bytes, out.secret.key) != 0) {
        ret = ITEE_ERR_BAD_KEY; /* key + d = 0: probability 2^-252 */
        goto out;
    }
    *child = out;
    ret = ITEE_OK;
out:
    if (ret != ITEE_OK)
        memset(child, 0, sizeof(*child));
    itee_memzero(&out, sizeof(out));
    itee_memzero(d, sizeof(d));
    itee_memzero(both, sizeof(both));
    merlin_transcript_clear(&t);
    merlin_rng_clear(&rng);
    return ret;
}

enum itee_err sr25519_derive_public_soft(struct sr25519_public *child,
                                         const struct sr25519_public *parent,
                                         const uint8_t cc[SR25519_CHAIN_CODE_LEN])
{
    struct merlin_transcript t;
    uint8_t d[32], dB[32];
    struct sr25519_public out;

    if (child == NULL)
        return ITEE_ERR_ARG;
    if (parent == NULL || cc == NULL) {
        memset(child, 0, sizeof(*child));
        return ITEE_ERR_ARG;
    }
    if (crypto_core_ristretto255_is_valid_point(parent->bytes) != 1) {
        memset(child, 0, sizeof(*child));
        return ITEE_ERR_BAD_POINT;
    }
    soft_scalar(d, &t, parent->bytes, cc);
    /* d = 0 (probability 2^-252) leaves the key unchanged */
    if (crypto_scalarmult_ristretto255_base(dB, d) != 0)
        memset(dB, 0, sizeof(dB));
    if (crypto_core_ristretto255_add(out.bytes, parent->bytes, dB) != 0) {
        memset(child, 0, sizeof(*child));
        return ITEE_ERR_BAD_POINT;
    }
    *child = out;
    return ITEE_OK;
}

void sr25519_secret_to_ed25519_bytes(uint8_t out[64], const struct sr25519_secret *sk)
{
    /* key·8: key < l < 2^253, so the shifted value fits in 32 bytes */
    uint8_t carry = 0;
    for (int i = 0; i < 32; i++) {
        out[i] = (uint8_t)(sk->key[i] << 3 | carry);
        carry = (uint8_t)(sk->key[i] >> 5);
    }
    memcpy(out + 32, sk->nonce, 32);
}

enum itee_err sr25519_secret_from_ed25519_bytes(struct sr25519_secret *sk, const uint8_t in[64])
{
    if (sk == NULL)
        return ITEE_ERR_ARG;
    memset(sk, 0, sizeof(*sk));
    if (in == NULL)
        return ITEE_ERR_ARG;
    if ((in[0] & 7) != 0)
        return ITEE_ERR_BAD_KEY;
    for (int i = 0; i < 31; i++)
        sk->key[i] = (uint8_t)(in[i] >> 3 | in[i + 1] << 5);
    sk->key[31] = (uint8_t)(in[31] >> 3);
    if (!scalar_is_canonical(sk->key)) {
        itee_memzero(sk, sizeof(*sk));
        return ITEE_ERR_BAD_KEY;
    }
    memcpy(sk->nonce, in + 32, 32);
    return ITEE_OK;
}

void sr25519_keypair_clear(struct sr25519_keypair *kp)
{
    if (kp != NULL)
        itee_memzero(kp, sizeof(*kp));
}
