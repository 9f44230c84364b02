/*
 * rt_storage_version.c - pallet storage versions written at genesis (see rt_storage_version.h).
 * Versions are the in-code STORAGE_VERSION of polkadot-sdk stable2503 (Balances 1, Grandpa 5)
 * and of integritee-network/pallets (Teerex 2, spec parentchain-pallets §3); the other pallets
 * of this runtime declare none, and FRAME then writes 0.
 */
#include "node/runtime/rt_storage_version.h"

static const struct rt_storage_version TABLE[] = {
    {"System", 0},
    {"Timestamp", 0},
    {"Sudo", 0},
    {"Proxy", 0},
    {"Utility", 0},
    {"Balances", 1},
    {"TransactionPayment", 0},
    {"Aura", 0},
    {"Grandpa", 5},
    {"Teerex", 2},
    {"Teeracle", 0},
    {"Sidechain", 0},
    {"EnclaveBridge", 0},
};

const struct rt_storage_version *rt_storage_version_table(size_t *n)
{
    *n = sizeof(TABLE) / sizeof(TABLE[0]);
    return TABLE;
}

void rt_storage_version_key(uint8_t out[32], const char *pallet)
{
    rt_state_key_value(out, pallet, ":__STORAGE_VERSION__:");
}

enum itee_err rt_storage_version_write_all(struct rt_state *st)
{
    enum itee_err e = ITEE_OK;
    for (size_t i = 0; e == ITEE_OK && i < sizeof(TABLE) / sizeof(TABLE[0]); i++) {
        uint8_t key[32];
        uint8_t v[2] = {(uint8_t)TABLE[i].version, (uint8_t)(TABLE[i].version >> 8)};
        rt_storage_version_key(key, TABLE[i].pallet);
        e = rt_state_set(st, key, 32, v, 2);
    }
    /* pallet_transaction_payment keeps its own StorageVersion item: Releases::V2 at genesis */
    static const uint8_t v2 = 1;
    uint8_t key[32];
    rt_state_key_value(key, "TransactionPayment", "StorageVersion");
    if (e == ITEE_OK)
        e = rt_state_set(st, key, 32, &v2, 1);
    return e;
}
