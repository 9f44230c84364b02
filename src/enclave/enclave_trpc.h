/*
 * enclave_trpc.h - the worker's trusted JSON-RPC inside the enclave (worker-protocol.md §3.1,
 * §3.2, SDK v0.13.0 "era B" envelopes), with TLS that ends here: per client connection the
 * enclave holds a tls_rpc stream (TLS on memory BIOs in front of HTTP/WebSocket/JSON-RPC); the
 * host only moves ciphertext between its sockets and the trpc ecalls (edl.h).
 *
 * The server TLS context is made at the first ecall_trpc_open from the enclave's ed25519
 * signing seed (so clients pin the key registered on the parentchain) with a self-signed
 * certificate dated from the host's clock (the time ocall; untrusted, clients do not check
 * dates when pinning), CN "integritee-enclave (software mode)".
 *
 * Bounds a hostile client cannot lift: ENCLAVE_TRPC_MAX_CONNS streams at once, each TLS and RPC
 * buffer at most ENCLAVE_TRPC_MAX_PENDING bytes, one request at most ENCLAVE_TRPC_MAX_REQUEST.
 * A stream's bytes are taken out at every feed (the host drains with EDL_TRPC_MORE), so the
 * enclave never buffers more than those limits per connection.
 *
 * Methods (all synchronous, answered within the feed that completed the request):
 *   rpc_methods                        the RPC engine's built-in {"methods": [...]} (jsonrpsee
 *                                      shape; era A/B sent the string "methods: [a, b]", which
 *                                      needs proto/rpc to let a program replace its built-in)
 *   author_getShieldingKey             RpcReturnValue{SCALE(String RSA public key JSON), Ok}
 *   author_getShard                    RpcReturnValue{SCALE(H256) configured shard, Ok}
 *   author_getMuRaUrl                  RpcReturnValue{SCALE(String), Ok}
 *   author_getUntrustedUrl             RpcReturnValue{SCALE(String), Ok}
 *   author_getShardVault               RpcReturnValue Error (no vault exists in this worker yet)
 *   state_executeGetter                RpcReturnValue{SCALE(Option<Vec<u8>>), Ok} via stf_get
 *   author_submitExtrinsic,
 *   author_submitAndWatchExtrinsic     RpcReturnValue Error: this worker runs in offchain-worker
 *                                      mode, which (like the original) accepts indirect calls
 *                                      only; the request is checked for shape, not decrypted
 *   system_version                     RpcReturnValue{raw UTF-8 "enclave-runtime: <v> (software
 *                                      mode)", Ok}
 *   system_name, system_health,
 *   state_getRuntimeVersion,
 *   chain_subscribeAllHeads            plain JSON string "hello, world" (the original's stubs)
 * Params: a JSON array whose first element is a string where a method takes one, else -32602;
 * a string that is not valid hex / SCALE answers an Error RpcReturnValue as the original does.
 * Unknown methods: -32601. Every handled call counts in the per-method metrics.
 *
 * Locking: every trpc ecall holds the context exclusively (the connection table, the RPC engine
 * and the shard states are single-threaded), metrics included.
 */
#ifndef ITEE_ENCLAVE_TRPC_H
#define ITEE_ENCLAVE_TRPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define ENCLAVE_TRPC_MAX_CONNS   256                  /* streams held at once */
#define ENCLAVE_TRPC_MAX_PENDING ((size_t)128 * 1024) /* per TLS / RPC buffer of one stream */
#define ENCLAVE_TRPC_MAX_REQUEST ((size_t)64 * 1024)  /* one JSON-RPC request text */
#define ENCLAVE_TRPC_URL_MAX     256                  /* longest configured URL */
#define ENCLAVE_TRPC_SHARD_LEN   32                   /* ShardIdentifier (H256) */
#define ENCLAVE_TRPC_METHODS     13                   /* methods served (metrics slots) */
#define ENCLAVE_TRPC_CN          "integritee-enclave (software mode)"
#define ENCLAVE_TRPC_VERSION     "0.13.0" /* SDK version whose wire format is served */

struct enclave_ctx;
struct tls_ctx;
struct rpc_server;
struct tls_rpc;

/* ecall_trpc_config's request, decoded (views into the request bytes). */
struct enclave_trpc_config {
    uint8_t shard[ENCLAVE_TRPC_SHARD_LEN]; /* the shard this worker serves */
    const char *mu_ra_url;                 /* not NUL-terminated */
    size_t mu_ra_url_len;                  /* at most ENCLAVE_TRPC_URL_MAX */
    const char *untrusted_url;             /* not NUL-terminated */
    size_t untrusted_url_len;              /* at most ENCLAVE_TRPC_URL_MAX */
};

struct enclave_trpc_conn {
    uint64_t id;            /* host's connection id */
    struct tls_rpc *stream; /* NULL = free slot */
};

/* The trusted RPC's part of the enclave context (zero = nothing set up). */
struct enclave_trpc {
    struct tls_ctx *tls;                                    /* server context, made at first open */
    struct rpc_server *rpc;                                 /* method table, made at first open */
    struct enclave_trpc_conn conns[ENCLAVE_TRPC_MAX_CONNS]; /* open streams */
    size_t n_open;                                          /* slots in use */
    bool configured;                                        /* ecall_trpc_config succeeded */
    uint8_t shard[ENCLAVE_TRPC_SHARD_LEN];                  /* served shard */
    char mu_ra_url[ENCLAVE_TRPC_URL_MAX + 1];               /* NUL-terminated */
    char untrusted_url[ENCLAVE_TRPC_URL_MAX + 1];           /* NUL-terminated */
    uint64_t calls[ENCLAVE_TRPC_METHODS];                   /* handled calls per method */
    uint64_t conns_opened;                                  /* streams opened since init */
    uint64_t conns_refused;                                 /* opens refused at the limit */
};

/*
 * Decodes a config request (strict): shard [u8;32] | mu_ra_url String | untrusted_url String,
 * each URL at most ENCLAVE_TRPC_URL_MAX bytes of UTF-8 without NUL or control bytes.
 * Returns: ITEE_OK; SCALE errors; ITEE_ERR_ARG (URL too long or with control bytes).
 */
ITEE_MUST_CHECK enum itee_err enclave_trpc_config_decode(struct enclave_trpc_config *out,
                                                         const uint8_t *req, size_t len);

/* Applies a config request (copied). Returns: as enclave_trpc_config_decode. */
ITEE_MUST_CHECK enum itee_err enclave_trpc_config(struct enclave_ctx *ctx, const uint8_t *req,
                                                  size_t len);

/*
 * Opens a stream for the host's connection id (making the TLS context and method table at
 * first use). Returns: ITEE_OK; ITEE_ERR_TRPC_LIMIT (ENCLAVE_TRPC_MAX_CONNS open);
 * ITEE_ERR_TRPC_CONN (id already open); ITEE_ERR_NOMEM; ITEE_ERR_CRYPTO_LIB; ocall errors.
 */
ITEE_MUST_CHECK enum itee_err enclave_trpc_open(struct enclave_ctx *ctx, uint64_t conn_id);

/*
 * Feeds in_len ciphertext bytes (at most EDL_TRPC_FEED_MAX; 0 = only drain) into the stream and
 * moves up to cap bytes of its ciphertext answer into out. *flags gets EDL_TRPC_MORE when more
 * ciphertext waits (call again with no input) and EDL_TRPC_CLOSE when the host should send out
 * and then close the connection: the stream is already freed then (a TLS failure caused by the
 * client is such a close, not an ecall error).
 * Returns: ITEE_OK; ITEE_ERR_TRPC_CONN (unknown id); ITEE_ERR_ARG; ITEE_ERR_NOMEM (the stream is
 * freed: close the connection).
 */
ITEE_MUST_CHECK enum itee_err enclave_trpc_feed(struct enclave_ctx *ctx, uint64_t conn_id,
                                                const uint8_t *in, size_t in_len, uint8_t *out,
                                                size_t cap, size_t *out_len, uint32_t *flags);

/* Frees the connection's stream. Returns: ITEE_OK or ITEE_ERR_TRPC_CONN (unknown id). */
ITEE_MUST_CHECK enum itee_err enclave_trpc_close(struct enclave_ctx *ctx, uint64_t conn_id);

/*
 * Writes the metrics (SCALE): conns_open u32 | conns_opened u64 | conns_refused u64 |
 * Vec<(String method, u64 calls)>. Returns: ITEE_OK; ITEE_ERR_SPACE (*out_len = needed);
 * ITEE_ERR_ARG; ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err enclave_trpc_metrics(struct enclave_ctx *ctx, uint8_t *out,
                                                   size_t cap, size_t *out_len);

/* Frees every stream, the method table and the TLS context; leaves t zeroed. */
void enclave_trpc_free(struct enclave_trpc *t);

#endif
