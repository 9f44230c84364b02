/*
 * pair.c - scheme-generic key pairs: seed and secret-URI construction, signing, and
 * MultiSignature-style verification.
 */
#include "keys/pair.h"

#include <string.h>

#include "common/hex.h"
#include "common/mem.h"
#include "crypto/hash.h"
#include "keys/bip39.h"
#include "keys/suri.h"

enum itee_err keys_scheme_parse(enum keys_scheme *out, const char *name)
{
    if (out == NULL || name == NULL)
        return ITEE_ERR_ARG;
    if (strcmp(name, "sr25519") == 0)
        *out = KEYS_SCHEME_SR25519;
    else if (strcmp(name, "ed25519") == 0)
        *out = KEYS_SCHEME_ED25519;
    else if (strcmp(name, "ecdsa") == 0)
        *out = KEYS_SCHEME_ECDSA;
    else
        return ITEE_ERR_SCHEME;
    return ITEE_OK;
}

const char *keys_scheme_name(enum keys_scheme s)
{
    switch (s) {
    case KEYS_SCHEME_SR25519:
        return "sr25519";
    case KEYS_SCHEME_ED25519:
        return "ed25519";
    case KEYS_SCHEME_ECDSA:
        return "ecdsa";
    }
    return "unknown";
}

enum itee_err keys_pair_from_seed(struct keys_pair *out, enum keys_scheme scheme,
                                  const uint8_t seed[KEYS_SEED_LEN])
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    itee_memzero(out, sizeof(*out));
    if (seed == NULL)
        return ITEE_ERR_ARG;
    enum itee_err r;
    switch (scheme) {
    case KEYS_SCHEME_SR25519:
        r = sr25519_keypair_from_seed(&out->k.sr, seed);
        break;
    case KEYS_SCHEME_ED25519:
        r = ed25519_keypair_from_seed(&out->k.ed, seed);
        break;
    case KEYS_SCHEME_ECDSA:
        r = ecdsa_keypair_from_seed(&out->k.ec, seed);
        break;
    default:
        r = ITEE_ERR_SCHEME;
        break;
    }
    if (r != ITEE_OK) {
        itee_memzero(out, sizeof(*out));
        return r;
    }
    out->scheme = scheme;
    out->has_seed = true;
    memcpy(out->seed, seed, KEYS_SEED_LEN);
    return ITEE_OK;
}

/* Root mini secret of a parsed URI: the 0x seed, or the mnemonic's with the password. */
static enum itee_err keys_root_seed(uint8_t seed[KEYS_SEED_LEN], const struct suri *s)
{
    if (s->phrase_len >= 2 && s->phrase[0] == '0' && (s->phrase[1] == 'x')) {
        /* Substrate: hex after "0x" must be exactly the seed length. */
        if (itee_hex_decode_exact(seed, KEYS_SEED_LEN, s->phrase, s->phrase_len) != ITEE_OK)
            return ITEE_ERR_SURI;
        return ITEE_OK;
    }
    uint8_t entropy[BIP39_MAX_ENTROPY_LEN];
    size_t elen = 0;
    enum itee_err r =
        bip39_entropy_from_mnemonic(entropy, sizeof(entropy), &elen, s->phrase, s->phrase_len);
    if (r == ITEE_OK)
        r = bip39_mini_secret(seed, entropy, elen, s->password, s->password_len);
    itee_memzero(entropy, sizeof(entropy));
    return r;
}

/* Applies one junction to a pair in place. */
static enum itee_err keys_pair_derive(struct keys_pair *p, const struct suri_junction *j)
{
    enum itee_err r = ITEE_ERR_INTERNAL;
    uint8_t child[KEYS_SEED_LEN];
    if (p->scheme == KEYS_SCHEME_SR25519) {
        struct sr25519_keypair kp;
        if (j->hard) {
            r = sr25519_derive_hard_seed(child, &p->k.sr, j->cc);
            if (r == ITEE_OK)
                r = sr25519_keypair_from_seed(&kp, child);
        } else {
            r = sr25519_derive_soft(&kp, &p->k.sr, j->cc);
            /* A soft child has no mini secret, and later hard children have none either. */
            p->has_seed = false;
            itee_memzero(p->seed, sizeof(p->seed));
        }
        if (r == ITEE_OK) {
            p->k.sr = kp;
            if (p->has_seed)
                memcpy(p->seed, child, KEYS_SEED_LEN);
        }
        itee_memzero(&kp, sizeof(kp));
        goto out;
    }
    if (!j->hard) {
        r = ITEE_ERR_SOFT_JUNCTION;
        goto out;
    }
    if (p->scheme == KEYS_SCHEME_ED25519)
        r = ed25519_derive_hard(child, p->seed, j->cc);
    else
        r = ecdsa_derive_hard(child, p->seed, j->cc);
    if (r == ITEE_OK)
        r = keys_pair_from_seed(p, p->scheme, child);
out:
    itee_memzero(child, sizeof(child));
    return r;
}

enum itee_err keys_pair_derive_hard(struct keys_pair *p, const uint8_t cc[SURI_CHAIN_CODE_LEN])
{
    if (p == NULL || cc == NULL)
        return ITEE_ERR_ARG;
    struct suri_junction j = {.hard = true};
    memcpy(j.cc, cc, SURI_CHAIN_CODE_LEN);
    return keys_pair_derive(p, &j);
}

enum itee_err keys_pair_from_suri(struct keys_pair *out, enum keys_scheme scheme, const char *suri,
                                  size_t len)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    itee_memzero(out, sizeof(*out));
    if (suri == NULL && len > 0)
        return ITEE_ERR_ARG;
    if (scheme != KEYS_SCHEME_SR25519 && scheme != KEYS_SCHEME_ED25519 &&
        scheme != KEYS_SCHEME_ECDSA)
        return ITEE_ERR_SCHEME;

    struct suri s;
    uint8_t seed[KEYS_SEED_LEN];
    enum itee_err r = suri_parse(&s, suri, len);
    if (r != ITEE_OK)
        goto out;
    /* Fail on a soft junction before any expensive work for schemes without them. */
    for (size_t i = 0; i < s.njunctions && scheme != KEYS_SCHEME_SR25519; i++) {
        if (!s.junctions[i].hard) {
            r = ITEE_ERR_SOFT_JUNCTION;
            goto out;
        }
    }
    r = keys_root_seed(seed, &s);
    if (r != ITEE_OK)
        goto out;
    r = keys_pair_from_seed(out, scheme, seed);
    for (size_t i = 0; r == ITEE_OK && i < s.njunctions; i++)
        r = keys_pair_derive(out, &s.junctions[i]);
out:
    itee_memzero(seed, sizeof(seed));
    itee_memzero(&s, sizeof(s));
    if (r != ITEE_OK)
        itee_memzero(out, sizeof(*out));
    return r;
}

size_t keys_pair_public(const struct keys_pair *p, uint8_t out[KEYS_PUBLIC_MAX])
{
    if (p == NULL || out == NULL)
        return 0;
    memset(out, 0, KEYS_PUBLIC_MAX);
    switch (p->scheme) {
    case KEYS_SCHEME_SR25519:
        memcpy(out, p->k.sr.public.bytes, SR25519_PUBLIC_LEN);
        return SR25519_PUBLIC_LEN;
    case KEYS_SCHEME_ED25519:
        memcpy(out, p->k.ed.public.bytes, ED25519_PUBLIC_LEN);
        return ED25519_PUBLIC_LEN;
    case KEYS_SCHEME_ECDSA:
        memcpy(out, p->k.ec.public.bytes, ECDSA_PUBLIC_LEN);
        return ECDSA_PUBLIC_LEN;
    }
    return 0;
}

void keys_pair_account_id(const struct keys_pair *p, uint8_t out[KEYS_ACCOUNT_LEN])
{
    uint8_t pub[KEYS_PUBLIC_MAX];
    size_t n = keys_pair_public(p, pub);
    if (n == 0 || keys_account_id_from_public(out, p->scheme, pub, n) != ITEE_OK)
        memset(out, 0, KEYS_ACCOUNT_LEN);
}

enum itee_err keys_pair_sign(const struct keys_pair *p, const uint8_t *msg, size_t len,
                             uint8_t sig[KEYS_SIG_MAX], size_t *sig_len)
{
    if (sig == NULL || sig_len == NULL)
        return ITEE_ERR_ARG;
    memset(sig, 0, KEYS_SIG_MAX);
    *sig_len = 0;
    if (p == NULL || (msg == NULL && len > 0))
        return ITEE_ERR_ARG;
    enum itee_err r = ITEE_ERR_SCHEME;
    size_t n = 0;
    switch (p->scheme) {
    case KEYS_SCHEME_SR25519: {
        struct sr25519_sig s;
        r = sr25519_sign(&s, &p->k.sr, SR25519_SUBSTRATE_CTX, SR25519_SUBSTRATE_CTX_LEN, msg, len);
        memcpy(sig, s.bytes, SR25519_SIG_LEN);
        n = SR25519_SIG_LEN;
        break;
    }
    case KEYS_SCHEME_ED25519: {
        struct ed25519_sig s;
        r = ed25519_sign(&s, &p->k.ed, msg, len);
        memcpy(sig, s.bytes, ED25519_SIG_LEN);
        n = ED25519_SIG_LEN;
        break;
    }
    case KEYS_SCHEME_ECDSA: {
        struct ecdsa_sig s;
        r = ecdsa_sign(&s, &p->k.ec, msg, len);
        memcpy(sig, s.bytes, ECDSA_SIG_LEN);
        n = ECDSA_SIG_LEN;
        break;
    }
    }
    if (r != ITEE_OK) {
        memset(sig, 0, KEYS_SIG_MAX);
        return r;
    }
    *sig_len = n;
    return ITEE_OK;
}

enum itee_err keys_verify(enum keys_scheme s, const uint8_t *sig, size_t sig_len,
                          const uint8_t *msg, size_t len, const uint8_t *pub, size_t pub_len)
{
    if (sig == NULL || pub == NULL || (msg == NULL && len > 0))
        return ITEE_ERR_ARG;
    switch (s) {
    case KEYS_SCHEME_SR25519: {
        struct sr25519_sig sg;
        struct sr25519_public pk;
        if (sig_len != SR25519_SIG_LEN || pub_len != SR25519_PUBLIC_LEN)
            return ITEE_ERR_BAD_SIG;
        memcpy(sg.bytes, sig, SR25519_SIG_LEN);
        memcpy(pk.bytes, pub, SR25519_PUBLIC_LEN);
        /* Every way of failing is, to the caller, a signature that does not verify. */
        if (sr25519_verify(&sg, SR25519_SUBSTRATE_CTX, SR25519_SUBSTRATE_CTX_LEN, msg, len, &pk) !=
            ITEE_OK)
            return ITEE_ERR_BAD_SIG;
        return ITEE_OK;
    }
    case KEYS_SCHEME_ED25519: {
        struct ed25519_sig sg;
        struct ed25519_public pk;
        if (sig_len != ED25519_SIG_LEN || pub_len != ED25519_PUBLIC_LEN)
            return ITEE_ERR_BAD_SIG;
        memcpy(sg.bytes, sig, ED25519_SIG_LEN);
        memcpy(pk.bytes, pub, ED25519_PUBLIC_LEN);
        return ed25519_verify(&sg, msg, len, &pk);
    }
    case KEYS_SCHEME_ECDSA: {
        struct ecdsa_sig sg;
        struct ecdsa_public pk;
        if (sig_len != ECDSA_SIG_LEN || pub_len != ECDSA_PUBLIC_LEN)
            return ITEE_ERR_BAD_SIG;
        memcpy(sg.bytes, sig, ECDSA_SIG_LEN);
        memcpy(pk.bytes, pub, ECDSA_PUBLIC_LEN);
        return ecdsa_verify(&sg, msg, len, &pk);
    }
    }
    return ITEE_ERR_SCHEME;
}

enum itee_err keys_account_id_from_public(uint8_t out[KEYS_ACCOUNT_LEN], enum keys_scheme s,
                                          const uint8_t *pub, size_t len)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    memset(out, 0, KEYS_ACCOUNT_LEN);
    if (pub == NULL)
        return ITEE_ERR_ARG;
    switch (s) {
    case KEYS_SCHEME_SR25519:
    case KEYS_SCHEME_ED25519:
        if (len != KEYS_ACCOUNT_LEN)
            return ITEE_ERR_ARG;
        memcpy(out, pub, KEYS_ACCOUNT_LEN);
        return ITEE_OK;
    case KEYS_SCHEME_ECDSA:
        if (len != ECDSA_PUBLIC_LEN)
            return ITEE_ERR_ARG;
        hash_blake2_256(out, pub, len);
        return ITEE_OK;
    }
    return ITEE_ERR_SCHEME;
}

enum itee_err keys_verify_account(enum keys_scheme s, const uint8_t *sig, size_t sig_len,
                                  const uint8_t *msg, size_t len,
                                  const uint8_t account[KEYS_ACCOUNT_LEN])
{
    if (sig == NULL || account == NULL || (msg == NULL && len > 0))
        return ITEE_ERR_ARG;
    if (s != KEYS_SCHEME_ECDSA)
        return keys_verify(s, sig, sig_len, msg, len, account, KEYS_ACCOUNT_LEN);
    if (sig_len != ECDSA_SIG_LEN)
        return ITEE_ERR_BAD_SIG;
    struct ecdsa_sig sg;
    struct ecdsa_public pk;
    uint8_t id[KEYS_ACCOUNT_LEN];
    memcpy(sg.bytes, sig, ECDSA_SIG_LEN);
    if (ecdsa_recover(&pk, &sg, msg, len) != ITEE_OK)
        return ITEE_ERR_BAD_SIG;
    ecdsa_account_id(id, &pk);
    return itee_ct_eq(id, account, KEYS_ACCOUNT_LEN) ? ITEE_OK : ITEE_ERR_BAD_SIG;
}

void keys_pair_clear(struct keys_pair *p)
{
    if (p != NULL)
        itee_memzero(p, sizeof(*p));
}
