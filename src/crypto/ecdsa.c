/*
 * ecdsa.c - secp256k1 recoverable ECDSA over libsecp256k1, Substrate conventions.
 *
 * Contexts: the static context suffices for parsing, verification and recovery. Operations
 * that multiply the generator by a secret (public key, signing) need a full context; we build
 * one in a stack buffer with the preallocated API and randomise it (blinding against side
 * channels), so no heap allocation and no process-wide state is involved.
 */
#include "crypto/ecdsa.h"

#include <stdalign.h>
#include <stddef.h>
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_preallocated.h>
#include <secp256k1_recovery.h>
#include <sodium.h>

#include "common/mem.h"
#include "crypto/hash.h"

/* SCALE encoding of "Secp256k1HDKD": compact(13) = 0x34, then the bytes. */
static const uint8_t ecdsa_hdkd_prefix[] = {0x34, 'S', 'e', 'c', 'p', '2', '5',
                                            '6',  'k', '1', 'H', 'D', 'K', 'D'};

/* Room for a preallocated context; libsecp256k1 0.2.0 needs 208 bytes (checked at run time). */
#define ECDSA_CTX_BUF_LEN 1024

struct ecdsa_ctx_mem {
    alignas(max_align_t) uint8_t bytes[ECDSA_CTX_BUF_LEN]; /* context storage */
};

size_t ecdsa_public_len(void)
{
    return ECDSA_PUBLIC_LEN;
}

size_t ecdsa_sig_len(void)
{
    return ECDSA_SIG_LEN;
}

/* Creates a randomised full context in mem. Returns NULL (with *err set) on failure. */
static secp256k1_context *ecdsa_ctx_open(struct ecdsa_ctx_mem *mem, enum itee_err *err)
{
    if (secp256k1_context_preallocated_size(SECP256K1_CONTEXT_NONE) > sizeof(mem->bytes)) {
        *err = ITEE_ERR_CRYPTO_LIB;
        return NULL;
    }
    secp256k1_context *ctx = secp256k1_context_preallocated_create(mem, SECP256K1_CONTEXT_NONE);
    if (ctx == NULL) {
        *err = ITEE_ERR_CRYPTO_LIB;
        return NULL;
    }
    uint8_t seed[32];
    randombytes_buf(seed, sizeof(seed));
    int ok = secp256k1_context_randomize(ctx, seed);
    itee_memzero(seed, sizeof(seed));
    if (!ok) {
        secp256k1_context_preallocated_destroy(ctx);
        *err = ITEE_ERR_RNG;
        return NULL;
    }
    return ctx;
}

/* Destroys a context from ecdsa_ctx_open and wipes its memory (it holds blinding values). */
static void ecdsa_ctx_close(secp256k1_context *ctx, struct ecdsa_ctx_mem *mem)
{
    if (ctx != NULL)
        secp256k1_context_preallocated_destroy(ctx);
    itee_memzero(mem, sizeof(*mem));
}

enum itee_err ecdsa_keypair_from_seed(struct ecdsa_keypair *kp, const uint8_t seed[ECDSA_SEED_LEN])
{
    if (kp == NULL)
        return ITEE_ERR_ARG;
    itee_memzero(kp, sizeof(*kp));
    if (seed == NULL)
        return ITEE_ERR_ARG;
    if (!secp256k1_ec_seckey_verify(secp256k1_context_static, seed))
        return ITEE_ERR_BAD_KEY;

    enum itee_err r = ITEE_ERR_INTERNAL;
    struct ecdsa_ctx_mem mem;
    secp256k1_pubkey pub;
    secp256k1_context *ctx = ecdsa_ctx_open(&mem, &r);
    if (ctx == NULL)
        goto out;
    if (!secp256k1_ec_pubkey_create(ctx, &pub, seed)) {
        r = ITEE_ERR_BAD_KEY;
        goto out_close;
    }
    size_t n = ECDSA_PUBLIC_LEN;
    if (!secp256k1_ec_pubkey_serialize(secp256k1_context_static, kp->public.bytes, &n, &pub,
                                       SECP256K1_EC_COMPRESSED) ||
        n != ECDSA_PUBLIC_LEN) {
        r = ITEE_ERR_CRYPTO_LIB;
        goto out_close;
    }
    memcpy(kp->seed, seed, ECDSA_SEED_LEN);
    r = ITEE_OK;
out_close:
    ecdsa_ctx_close(ctx, &mem);
out:
    if (r != ITEE_OK)
        itee_memzero(kp, sizeof(*kp));
    return r;
}

enum itee_err ecdsa_sign_prehashed(struct ecdsa_sig *sig, const struct ecdsa_keypair *kp,
                                   const uint8_t hash[ECDSA_HASH_LEN])
{
    if (sig == NULL)
        return ITEE_ERR_ARG;
    memset(sig, 0, sizeof(*sig));
    if (kp == NULL || hash == NULL)
        return ITEE_ERR_ARG;

    enum itee_err r = ITEE_ERR_INTERNAL;
    struct ecdsa_ctx_mem mem;
    secp256k1_ecdsa_recoverable_signature rsig;
    int recid = -1;
    secp256k1_context *ctx = ecdsa_ctx_open(&mem, &r);
    if (ctx == NULL)
        goto out;
    /* NULL nonce function = RFC 6979; the library always produces low-S signatures. */
    if (!secp256k1_ecdsa_sign_recoverable(ctx, &rsig, hash, kp->seed, NULL, NULL)) {
        r = ITEE_ERR_BAD_KEY;
        goto out_close;
    }
    if (!secp256k1_ecdsa_recoverable_signature_serialize_compact(secp256k1_context_static,
                                                                 sig->bytes, &recid, &rsig) ||
        recid < 0 || recid > 3) {
        r = ITEE_ERR_CRYPTO_LIB;
        goto out_close;
    }
    sig->bytes[64] = (uint8_t)recid;
    r = ITEE_OK;
out_close:
    ecdsa_ctx_close(ctx, &mem);
out:
    if (r != ITEE_OK)
        memset(sig, 0, sizeof(*sig));
    return r;
}

enum itee_err ecdsa_sign(struct ecdsa_sig *sig, const struct ecdsa_keypair *kp, const uint8_t *msg,
                         size_t len)
{
    if (sig == NULL)
        return ITEE_ERR_ARG;
    memset(sig, 0, sizeof(*sig));
    if (msg == NULL && len > 0)
        return ITEE_ERR_ARG;
    uint8_t h[ECDSA_HASH_LEN];
    hash_blake2_256(h, msg, len);
    return ecdsa_sign_prehashed(sig, kp, h);
}

enum itee_err ecdsa_recover_prehashed(struct ecdsa_public *pk, const struct ecdsa_sig *sig,
                                      const uint8_t hash[ECDSA_HASH_LEN])
{
    if (pk == NULL)
        return ITEE_ERR_ARG;
    memset(pk, 0, sizeof(*pk));
    if (sig == NULL || hash == NULL)
        return ITEE_ERR_ARG;
    int v = sig->bytes[64];
    if (v >= 27)
        v -= 27; /* Ethereum-style recovery ids 27..30 */
    if (v > 3)
        return ITEE_ERR_BAD_SIG;
    secp256k1_ecdsa_recoverable_signature rsig;
    secp256k1_pubkey pub;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(secp256k1_context_static, &rsig,
                                                             sig->bytes, v) ||
        !secp256k1_ecdsa_recover(secp256k1_context_static, &pub, &rsig, hash))
        return ITEE_ERR_BAD_SIG;
    size_t n = ECDSA_PUBLIC_LEN;
    if (!secp256k1_ec_pubkey_serialize(secp256k1_context_static, pk->bytes, &n, &pub,
                                       SECP256K1_EC_COMPRESSED) ||
        n != ECDSA_PUBLIC_LEN) {
        memset(pk, 0, sizeof(*pk));
        return ITEE_ERR_CRYPTO_LIB;
    }
    return ITEE_OK;
}

enum itee_err ecdsa_recover(struct ecdsa_public *pk, const struct ecdsa_sig *sig,
                            const uint8_t *msg, size_t len)
{
    if (pk == NULL)
        return ITEE_ERR_ARG;
    memset(pk, 0, sizeof(*pk));
    if (msg == NULL && len > 0)
        return ITEE_ERR_ARG;
    uint8_t h[ECDSA_HASH_LEN];
    hash_blake2_256(h, msg, len);
    return ecdsa_recover_prehashed(pk, sig, h);
}

enum itee_err ecdsa_verify(const struct ecdsa_sig *sig, const uint8_t *msg, size_t len,
                           const struct ecdsa_public *pk)
{
    if (sig == NULL || pk == NULL || (msg == NULL && len > 0))
        return ITEE_ERR_ARG;
    struct ecdsa_public got;
    enum itee_err r = ecdsa_recover(&got, sig, msg, len);
    if (r == ITEE_ERR_ARG)
        return r;
    if (r != ITEE_OK || !itee_ct_eq(got.bytes, pk->bytes, ECDSA_PUBLIC_LEN))
        return ITEE_ERR_BAD_SIG;
    return ITEE_OK;
}

enum itee_err ecdsa_derive_hard(uint8_t out_seed[ECDSA_SEED_LEN],
                                const uint8_t seed[ECDSA_SEED_LEN],
                                const uint8_t cc[ECDSA_CHAIN_CODE_LEN])
{
    if (out_seed == NULL || seed == NULL || cc == NULL)
        return ITEE_ERR_ARG;
    uint8_t pre[sizeof(ecdsa_hdkd_prefix) + ECDSA_SEED_LEN + ECDSA_CHAIN_CODE_LEN];
    memcpy(pre, ecdsa_hdkd_prefix, sizeof(ecdsa_hdkd_prefix));
    memcpy(pre + sizeof(ecdsa_hdkd_prefix), seed, ECDSA_SEED_LEN);
    memcpy(pre + sizeof(ecdsa_hdkd_prefix) + ECDSA_SEED_LEN, cc, ECDSA_CHAIN_CODE_LEN);
    hash_blake2_256(out_seed, pre, sizeof(pre));
    itee_memzero(pre, sizeof(pre));
    return ITEE_OK;
}

void ecdsa_account_id(uint8_t out[ECDSA_ACCOUNT_LEN], const struct ecdsa_public *pk)
{
    hash_blake2_256(out, pk->bytes, ECDSA_PUBLIC_LEN);
}

void ecdsa_keypair_clear(struct ecdsa_keypair *kp)
{
    if (kp != NULL)
        itee_memzero(kp, sizeof(*kp));
}
