/*
 * genesis.h - the dev / local genesis state of the solo node (parentchain-pallets §11):
 * //Alice as the only Aura (sr25519) and GRANDPA (ed25519) authority and sudo key; 1000 TEER
 * each for //Alice, //Bob, //Charlie, //Dave, //Eve, //Ferdie (issue #4), the treasury account
 * and the 2-of-3 multisig of Alice/Bob/Charlie (node's chain spec); TotalIssuance their sum;
 * frame_system genesis items (BlockHash(0) = ParentHash = 0x69..69, LastRuntimeUpgrade
 * {410, "integritee-solo"}, UpgradedToU32RefCount, UpgradedToTripleRefCount,
 * :extrinsic_index = 0); TransactionPayment.NextFeeMultiplier = 1.0; Teerex
 * AllowSkippingAttestation = SgxAllowDebugMode = true.
 *
 * `:code` is left absent: there is no wasm runtime, and no fake one is stored. Grandpa
 * authorities are stored in Grandpa.Authorities (Vec<(ed25519, u64 weight)>), where
 * pallet_grandpa keeps them since the `:grandpa_authorities` well-known key was retired.
 * Pallet storage-version keys are not written.
 */
#ifndef ITEE_GENESIS_H
#define ITEE_GENESIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "common/int128.h"
#include "node/runtime/rt_state.h"
#include "trie/trie.h"

enum genesis_chain { GENESIS_DEV = 0, GENESIS_LOCAL = 1 };

#define GENESIS_MAX_BALANCES    100000 /* endowed accounts a chain spec may list */
#define GENESIS_MAX_AUTHORITIES 32     /* the runtime's MaxAuthorities */

struct genesis_balance {
    uint8_t who[32];  /* account */
    itee_u128 amount; /* free balance, at least the existential deposit */
};

struct genesis_grandpa_authority {
    uint8_t id[32];  /* ed25519 key */
    uint64_t weight; /* voting weight */
};

/* The runtime's genesis configuration (a chain spec's genesis.runtimeGenesis.config). */
struct genesis_config {
    struct genesis_balance *balances; /* endowed accounts (itee_alloc'd) */
    size_t n_balances;
    uint8_t (*aura)[32]; /* Aura authorities, sr25519 (itee_alloc'd) */
    size_t n_aura;
    struct genesis_grandpa_authority *grandpa; /* GRANDPA authorities (itee_alloc'd) */
    size_t n_grandpa;
    bool has_sudo;                   /* Sudo.Key is set */
    uint8_t sudo[32];                /* its account */
    bool allow_skipping_attestation; /* Teerex.AllowSkippingAttestation */
    bool allow_sgx_debug_mode;       /* Teerex.SgxAllowDebugMode */
};

/* One storage entry of a raw chain spec. */
struct genesis_kv {
    struct itee_slice key, value;
};

/* Where genesis storage comes from: raw entries, else a config, else the built-in chain. */
struct genesis_source {
    enum genesis_chain chain;            /* used when config and raw are NULL */
    const struct genesis_config *config; /* a plain chain spec's runtime config */
    const struct genesis_kv *raw;        /* a raw chain spec's storage, taken as is */
    size_t n_raw;
};

/* 1000 TEER (TEER = 10^12 planck). */
#define GENESIS_ENDOWMENT ((itee_u128)1000000000000000ULL)
/* Accounts endowed: six dev accounts, the treasury and the multisig. */
#define GENESIS_ENDOWED_COUNT 8

/* The sr25519 account of a dev SURI such as "//Alice". */
ITEE_MUST_CHECK enum itee_err genesis_dev_account(uint8_t out[32], const char *suri);
/* pallet_multisig::multi_account_id(sorted(who), threshold). who is sorted in place. */
void genesis_multisig_account(uint8_t out[32], uint8_t (*who)[32], size_t n, uint16_t threshold);
/* The endowed accounts in the order above. */
ITEE_MUST_CHECK enum itee_err genesis_endowed(uint8_t out[GENESIS_ENDOWED_COUNT][32]);

/* Fills c with the built-in config of chain. Returns: ITEE_OK, ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err genesis_config_default(struct genesis_config *c,
                                                     enum genesis_chain chain);
/* Frees what a config holds and zeroes it. */
void genesis_config_free(struct genesis_config *c);
/* Writes the storage of config c into st. Returns: ITEE_OK, ITEE_ERR_ARG (balance total
 * overflows u128), or a state error. */
ITEE_MUST_CHECK enum itee_err genesis_build_config(struct rt_state *st,
                                                   const struct genesis_config *c);
/* Writes the genesis storage of src into st. */
ITEE_MUST_CHECK enum itee_err genesis_build_source(struct rt_state *st,
                                                   const struct genesis_source *src);

/* Writes the genesis storage of chain into st (on top of whatever it holds). */
ITEE_MUST_CHECK enum itee_err genesis_build(struct rt_state *st, enum genesis_chain chain);
/* Builds the genesis state in a fresh in-memory trie of the given layout. Out: root. */
ITEE_MUST_CHECK enum itee_err genesis_state_root(enum genesis_chain chain, enum trie_layout layout,
                                                 uint8_t root[32]);

#endif
