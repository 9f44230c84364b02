/*
 * genesis.c - dev / local genesis storage.
 */
#include "node/runtime/genesis.h"

#include <string.h>

#include "codec/scale.h"
#include "common/mem.h"
#include "crypto/hash.h"
#include "keys/pair.h"
#include "node/runtime/pallet_sudo.h"
#include "node/runtime/pallet_system.h"
#include "node/runtime/pallet_transaction_payment.h"
#include "node/runtime/rt_ctx.h"
#include "node/runtime/rt_storage_version.h"

static const char *const DEV_SURIS[6] = {"//Alice", "//Bob", "//Charlie",
                                         "//Dave",  "//Eve", "//Ferdie"};

static enum itee_err dev_public(uint8_t out[32], enum keys_scheme s, const char *suri)
{
    struct keys_pair p;
    enum itee_err r = keys_pair_from_suri(&p, s, suri, strlen(suri));
    if (r == ITEE_OK) {
        uint8_t pub[KEYS_PUBLIC_MAX];
        if (keys_pair_public(&p, pub) != 32)
            r = ITEE_ERR_INTERNAL;
        else
            memcpy(out, pub, 32);
    }
    keys_pair_clear(&p);
    return r;
}

enum itee_err genesis_dev_account(uint8_t out[32], const char *suri)
{
    return dev_public(out, KEYS_SCHEME_SR25519, suri);
}

void genesis_multisig_account(uint8_t out[32], uint8_t (*who)[32], size_t n, uint16_t threshold)
{
    /* insertion sort: n is tiny */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && memcmp(who[j - 1], who[j], 32) > 0; j--) {
            uint8_t t[32];
            memcpy(t, who[j], 32);
            memcpy(who[j], who[j - 1], 32);
            memcpy(who[j - 1], t, 32);
        }
    struct hash_blake2b_state st;
    uint8_t comp[SCALE_COMPACT_MAX_LEN];
    size_t cl = scale_encode_compact(comp, n);
    uint8_t th[2] = {(uint8_t)threshold, (uint8_t)(threshold >> 8)};
    if (hash_blake2b_init(&st, 32, NULL, 0) != ITEE_OK) {
        memset(out, 0, 32);
        return;
    }
    hash_blake2b_update(&st, (const uint8_t *)"modlpy/utilisuba", 16);
    hash_blake2b_update(&st, comp, cl);
    for (size_t i = 0; i < n; i++)
        hash_blake2b_update(&st, who[i], 32);
    hash_blake2b_update(&st, th, 2);
    hash_blake2b_final(&st, out);
}

enum itee_err genesis_endowed(uint8_t out[GENESIS_ENDOWED_COUNT][32])
{
    for (size_t i = 0; i < 6; i++) {
        enum itee_err r = genesis_dev_account(out[i], DEV_SURIS[i]);
        if (r != ITEE_OK)
            return r;
    }
    pallet_transaction_payment_treasury(out[6]);
    uint8_t abc[3][32];
    memcpy(abc, out, sizeof(abc));
    genesis_multisig_account(out[7], abc, 3, 2);
    return ITEE_OK;
}

static enum itee_err put_value(struct rt_state *st, const char *pallet, const char *item,
                               const uint8_t *v, size_t n)
{
    uint8_t key[32];
    rt_state_key_value(key, pallet, item);
    return rt_state_set(st, key, 32, v, n);
}

void genesis_config_free(struct genesis_config *c)
{
    itee_free(c->balances);
    itee_free(c->aura);
    itee_free(c->grandpa);
    memset(c, 0, sizeof(*c));
}

enum itee_err genesis_config_default(struct genesis_config *c, enum genesis_chain chain)
{
    (void)chain; /* dev and local differ only in the chain spec's name and id */
    memset(c, 0, sizeof(*c));
    uint8_t endowed[GENESIS_ENDOWED_COUNT][32];
    c->balances = itee_zalloc(GENESIS_ENDOWED_COUNT * sizeof(*c->balances));
    c->aura = itee_zalloc(sizeof(*c->aura));
    c->grandpa = itee_zalloc(sizeof(*c->grandpa));
    enum itee_err r = ITEE_ERR_NOMEM;
    if (c->balances == NULL || c->aura == NULL || c->grandpa == NULL)
        goto out;
    if ((r = genesis_endowed(endowed)) != ITEE_OK ||
        (r = dev_public(c->grandpa[0].id, KEYS_SCHEME_ED25519, "//Alice")) != ITEE_OK)
        goto out;
    for (size_t i = 0; i < GENESIS_ENDOWED_COUNT; i++) {
        memcpy(c->balances[i].who, endowed[i], 32);
        c->balances[i].amount = GENESIS_ENDOWMENT;
    }
    c->n_balances = GENESIS_ENDOWED_COUNT;
    memcpy(c->aura[0], endowed[0], 32);
    c->n_aura = 1;
    c->grandpa[0].weight = 1;
    c->n_grandpa = 1;
    c->has_sudo = true;
    memcpy(c->sudo, endowed[0], 32);
    /* dev and local allow skip-RA and debug enclaves */
    c->allow_skipping_attestation = true;
    c->allow_sgx_debug_mode = true;
out:
    if (r != ITEE_OK)
        genesis_config_free(c);
    return r;
}

static enum itee_err put_system(struct rt_state *st, struct itee_buf *b)
{
    uint8_t h69[32];
    memset(h69, 0x69, 32);
    const uint8_t zero32[4] = {0, 0, 0, 0}, yes = 1;
    itee_buf_reset(b);
    enum itee_err r =
        rt_state_key_map(b, "System", "BlockHash", HASH_STORAGE_TWOX64_CONCAT, zero32, 4);
    if (r == ITEE_OK)
        r = rt_state_set(st, b->ptr, b->len, h69, 32);
    if (r == ITEE_OK)
        r = put_value(st, "System", "ParentHash", h69, 32);
    itee_buf_reset(b);
    if (r == ITEE_OK)
        r = scale_put_compact(b, 410); /* spec_version */
    if (r == ITEE_OK)
        r = scale_put_str(b, "integritee-solo", 15);
    if (r == ITEE_OK)
        r = put_value(st, "System", "LastRuntimeUpgrade", b->ptr, b->len);
    if (r == ITEE_OK)
        r = put_value(st, "System", "UpgradedToU32RefCount", &yes, 1);
    if (r == ITEE_OK)
        r = put_value(st, "System", "UpgradedToTripleRefCount", &yes, 1);
    if (r == ITEE_OK)
        r = rt_state_set(st, (const uint8_t *)":extrinsic_index", 16, zero32, 4);
    return r;
}

static enum itee_err put_authorities(struct rt_state *st, struct itee_buf *b,
                                     const struct genesis_config *c)
{
    itee_buf_reset(b);
    enum itee_err r = scale_put_compact(b, c->n_aura);
    for (size_t i = 0; r == ITEE_OK && i < c->n_aura; i++)
        r = scale_put_bytes(b, c->aura[i], 32);
    if (r == ITEE_OK)
        r = put_value(st, "Aura", "Authorities", b->ptr, b->len);
    itee_buf_reset(b);
    if (r == ITEE_OK)
        r = scale_put_compact(b, c->n_grandpa);
    for (size_t i = 0; r == ITEE_OK && i < c->n_grandpa; i++) {
        r = scale_put_bytes(b, c->grandpa[i].id, 32);
        if (r == ITEE_OK)
            r = scale_put_u64(b, c->grandpa[i].weight);
    }
    if (r == ITEE_OK)
        r = put_value(st, "Grandpa", "Authorities", b->ptr, b->len);
    return r;
}

enum itee_err genesis_build_config(struct rt_state *st, const struct genesis_config *c)
{
    struct rt_ctx ctx;
    rt_ctx_init(&ctx, st, 0, NULL);
    struct itee_buf b;
    itee_buf_init(&b, 0);
    enum itee_err r = ITEE_OK;
    itee_u128 total = 0;
    for (size_t i = 0; r == ITEE_OK && i < c->n_balances; i++) {
        struct pallet_system_account a;
        pallet_system_account_default(&a);
        a.providers = 1;
        a.free = c->balances[i].amount;
        if (total + a.free < total)
            r = ITEE_ERR_ARG;
        total += a.free;
        if (r == ITEE_OK)
            r = pallet_system_account_put(&ctx, c->balances[i].who, &a);
    }
    if (r == ITEE_OK)
        r = put_system(st, &b);
    /* balances, transaction payment, sudo */
    itee_buf_reset(&b);
    if (r == ITEE_OK)
        r = scale_put_u128(&b, total);
    if (r == ITEE_OK)
        r = put_value(st, "Balances", "TotalIssuance", b.ptr, b.len);
    itee_buf_reset(&b);
    if (r == ITEE_OK)
        r = scale_put_u128(&b, PALLET_TRANSACTION_PAYMENT_MULTIPLIER_ONE);
    if (r == ITEE_OK)
        r = put_value(st, "TransactionPayment", "NextFeeMultiplier", b.ptr, b.len);
    if (r == ITEE_OK && c->has_sudo)
        r = pallet_sudo_set_key(&ctx, c->sudo);
    if (r == ITEE_OK)
        r = put_authorities(st, &b, c);
    const uint8_t yes = 1;
    if (r == ITEE_OK && c->allow_skipping_attestation)
        r = put_value(st, "Teerex", "AllowSkippingAttestation", &yes, 1);
    if (r == ITEE_OK && c->allow_sgx_debug_mode)
        r = put_value(st, "Teerex", "SgxAllowDebugMode", &yes, 1);
    if (r == ITEE_OK)
        r = rt_storage_version_write_all(st);
    itee_buf_free(&b);
    rt_ctx_free(&ctx);
    return r;
}

enum itee_err genesis_build_source(struct rt_state *st, const struct genesis_source *src)
{
    if (src->raw != NULL) {
        enum itee_err r = ITEE_OK;
        for (size_t i = 0; r == ITEE_OK && i < src->n_raw; i++)
            r = rt_state_set(st, src->raw[i].key.ptr, src->raw[i].key.len, src->raw[i].value.ptr,
                             src->raw[i].value.len);
        return r;
    }
    if (src->config != NULL)
        return genesis_build_config(st, src->config);
    return genesis_build(st, src->chain);
}

enum itee_err genesis_build(struct rt_state *st, enum genesis_chain chain)
{
    struct genesis_config c;
    enum itee_err r = genesis_config_default(&c, chain);
    if (r == ITEE_OK)
        r = genesis_build_config(st, &c);
    genesis_config_free(&c);
    return r;
}

enum itee_err genesis_state_root(enum genesis_chain chain, enum trie_layout layout,
                                 uint8_t root[32])
{
    struct trie *t = NULL;
    struct rt_state *st = NULL;
    memset(root, 0, 32);
    enum itee_err r = trie_new(&t, layout, NULL);
    if (r == ITEE_OK)
        r = rt_state_new(&st, t);
    if (r == ITEE_OK)
        r = genesis_build(st, chain);
    if (r == ITEE_OK)
        r = rt_state_commit(st);
    if (r == ITEE_OK)
        r = trie_root(t, root);
    rt_state_free(st);
    trie_free(t);
    return r;
}
