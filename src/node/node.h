/*
 * node.h - the state shared by the node program's parts (main, producer, pool, RPC): one
 * libuv loop owns everything, so no locking is needed anywhere.
 */
#ifndef ITEE_NODE_H
#define ITEE_NODE_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "chain/extrinsic.h"
#include "chain/metadata.h"
#include "common/bytes.h"
#include "crypto/ed25519.h"
#include "keys/keystore.h"
#include "keys/pair.h"
#include "net/server.h"
#include "node/chain_db.h"
#include "node/metrics.h"
#include "node/pool.h"
#include "proto/rpc.h"

#define NODE_VERSION      "1.18.8-c"
#define NODE_SPEC_NAME    "integritee-solo"
#define NODE_IMPL_NAME    "integritee-node-c"
#define NODE_SPEC_VERSION 410u
#define NODE_TX_VERSION   8u

struct node_config {
    enum genesis_chain chain; /* dev or local */
    const char *chain_name;   /* system_chain: "Development" / "Local Testnet" */
    const char *chain_id;     /* "dev" / "local" */
    const char *chain_type;   /* "Development" / "Local" */
    const char *name;         /* --name */
    uint64_t block_time_ms;   /* slot duration */
    uint16_t rpc_port;        /* --rpc-port (0 = ephemeral) */
    bool rpc_external;        /* bind 0.0.0.0 */
    size_t rpc_max_conns;     /* --rpc-max-connections */
};

/* A watcher told "inBlock" that still waits for its "finalized" status. */
struct node_fin {
    char sub[RPC_SUB_ID_LEN + 1]; /* subscription id */
    char hash[67];                /* block hash, 0x-hex */
};

struct node {
    struct node_config cfg;         /* settings */
    uv_loop_t *loop;                /* the loop everything runs on */
    struct chain_db db;             /* persistent chain */
    struct pool pool;               /* transaction pool */
    struct rpc_server *rpc;         /* JSON-RPC engine */
    struct net_server *net;         /* TCP/WebSocket server */
    uv_timer_t slot_timer;          /* AURA slot ticks */
    uint64_t last_slot;             /* slot of the last block produced */
    uv_timer_t fin_timer;           /* sends "finalized" a moment after "inBlock" */
    struct node_fin *fin;           /* watchers waiting for it */
    size_t n_fin, cap_fin;          /* used / allocated */
    struct keys_pair aura;          /* //Alice sr25519: AURA author */
    struct ed25519_keypair grandpa; /* //Alice ed25519: GRANDPA voter */
    uint8_t aura_account[32];       /* its public key */
    struct extrinsic_chain xchain;  /* spec/tx versions, genesis for extrinsic checks */
    struct metadata_builder *md;    /* runtime metadata (built once) */
    struct itee_buf md_v14;         /* its state_getMetadata encoding */
    bool deny_unsafe;               /* --rpc-methods: unsafe methods answer an error */
    struct keystore keystore;       /* <base>/chains/<id>/keystore (author_rotateKeys ...) */
    struct metrics metrics;         /* Prometheus counters */
};

/* Milliseconds since the epoch (wall clock). */
uint64_t node_now_ms(void);

#endif
