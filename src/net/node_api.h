/*
 * node_api.h - a parentchain client built on JSON-RPC and the node's own metadata: storage by
 * pallet/item name, accounts, signed extrinsics submitted and watched to inclusion or
 * finality, and the outcome read back from the block's events. The CLI and the service's
 * parentchain follower both stand on it; nothing in it knows our runtime's indices.
 */
#ifndef ITEE_NODE_API_H
#define ITEE_NODE_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/metadata.h"
#include "common/bytes.h"
#include "common/err.h"
#include "common/int128.h"
#include "keys/pair.h"
#include "net/rpc_client.h"

#define NODE_API_ERROR_MAX 160 /* bytes of a dispatch error's text */

struct node_api {
    struct rpc_client *rpc;      /* the connection */
    struct metadata_builder *md; /* the runtime's metadata (decoded) */
    uint8_t genesis[32];         /* genesis hash */
    uint32_t spec_version;       /* runtime spec version */
    uint32_t tx_version;         /* transaction version */
    uint16_t ss58;               /* ss58Format from system_properties (42 if absent) */
    uint32_t decimals;           /* tokenDecimals (12 if absent) */
    bool check_metadata_hash;    /* the runtime lists the CheckMetadataHash extension */
};

/* An account as System.Account stores it. */
struct node_account {
    uint32_t nonce;
    itee_u128 free, reserved, frozen;
};

/* How far node_api_submit waits. */
enum node_api_wait {
    NODE_API_WAIT_IN_BLOCK, /* until included in a block */
    NODE_API_WAIT_FINALIZED /* until that block is final */
};

/* What became of a submitted extrinsic. */
struct node_api_receipt {
    uint8_t tx_hash[32];            /* blake2_256 of the extrinsic */
    uint8_t block_hash[32];         /* block that includes it */
    uint32_t index;                 /* its index in the block */
    bool success;                   /* System.ExtrinsicSuccess seen */
    char error[NODE_API_ERROR_MAX]; /* "Pallet.Error" or the dispatch error, if failed */
    json_t *events;                 /* the extrinsic's events (metadata_events_decode shape) */
};

/*
 * Connects to url (ws://) and reads genesis hash, runtime version, properties and metadata.
 * Returns: ITEE_OK; the rpc_client errors; ITEE_ERR_FORMAT (answers of the wrong shape);
 * metadata_decode's errors. On failure api is left closed.
 */
ITEE_MUST_CHECK enum itee_err node_api_open(struct node_api *api, const char *url,
                                            uint32_t timeout_ms);
/* Closes the connection and frees the metadata. Safe on a zeroed or closed api. */
void node_api_close(struct node_api *api);

/*
 * Builds the storage key of `pallet.item` for the given SCALE-encoded key parts (one per hasher;
 * none for a plain value). Returns: ITEE_OK; ITEE_ERR_NOENT (no such item); ITEE_ERR_ARG (wrong
 * number of key parts); buffer errors.
 */
ITEE_MUST_CHECK enum itee_err node_api_storage_key(const struct node_api *api, const char *pallet,
                                                   const char *item, const struct itee_slice *parts,
                                                   size_t n_parts, struct itee_buf *out);
/*
 * Reads raw storage at block `at` (NULL: best block). Out: the value appended to out and
 * *found. Returns: ITEE_OK, rpc errors, ITEE_ERR_FORMAT.
 */
ITEE_MUST_CHECK enum itee_err node_api_storage(struct node_api *api, struct itee_slice key,
                                               const uint8_t *at, struct itee_buf *out,
                                               bool *found);
/* Reads System.Account of who (a missing account reads as zeros). */
ITEE_MUST_CHECK enum itee_err node_api_account(struct node_api *api, const uint8_t who[32],
                                               struct node_account *out);
/*
 * Appends pallet index, call index and the already encoded args to out.
 * Returns: ITEE_OK, ITEE_ERR_NOENT (no such call), buffer errors.
 */
ITEE_MUST_CHECK enum itee_err node_api_call(const struct node_api *api, const char *pallet,
                                            const char *call, struct itee_slice args,
                                            struct itee_buf *out);
/*
 * Signs call with signer (nonce from system_accountNextIndex, immortal, no tip), submits it with
 * author_submitAndWatchExtrinsic and waits for `wait` within timeout_ms, then reads the block's
 * events. Out: *rc (node_api_receipt_clear it). Returns: ITEE_OK (also when the call failed:
 * see rc->success); ITEE_ERR_RPC_REMOTE (refused by the pool: rpc_client_last_error);
 * ITEE_ERR_TIMEOUT; ITEE_ERR_CONN; ITEE_ERR_FORMAT (the transaction was dropped or invalid, or
 * answers of the wrong shape: rc->error says which).
 */
ITEE_MUST_CHECK enum itee_err node_api_submit(struct node_api *api, const struct keys_pair *signer,
                                              struct itee_slice call, enum node_api_wait wait,
                                              uint32_t timeout_ms, struct node_api_receipt *rc);
/*
 * Submits an already signed extrinsic (its encoding, length prefix included) and waits as
 * node_api_submit does. Returns: as node_api_submit.
 */
ITEE_MUST_CHECK enum itee_err node_api_submit_xt(struct node_api *api, struct itee_slice xt,
                                                 enum node_api_wait wait, uint32_t timeout_ms,
                                                 struct node_api_receipt *rc);
/* The next nonce of who, counting the pool (system_accountNextIndex). */
ITEE_MUST_CHECK enum itee_err node_api_next_nonce(struct node_api *api, const uint8_t who[32],
                                                  uint32_t *nonce);
/* Frees the receipt's events. */
void node_api_receipt_clear(struct node_api_receipt *rc);

/* Appends the bytes of a "0x…" JSON string. Returns: ITEE_OK, ITEE_ERR_FORMAT, buffer errors. */
ITEE_MUST_CHECK enum itee_err node_api_json_hex(const json_t *v, struct itee_buf *out);
/* Parses a "0x…" JSON string of exactly 32 bytes. Returns: ITEE_OK, ITEE_ERR_FORMAT. */
ITEE_MUST_CHECK enum itee_err node_api_json_hex32(const json_t *v, uint8_t out[32]);
/* Writes "0x" + hex of 32 bytes (67 bytes with the NUL). */
void node_api_hex32(char out[67], const uint8_t in[32]);

#endif
