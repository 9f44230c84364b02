/*
 * rpc_client.h - a blocking JSON-RPC 2.0 client over WebSocket, for the programs that talk to a
 * node or a worker: the CLI (one call, print, exit) and the service's parentchain follower (its
 * own thread, subscriptions). Every wait has a deadline; nothing blocks forever.
 *
 * Answers and notifications arrive interleaved on one socket; notifications received while a call
 * waits for its answer are queued and handed out by rpc_client_next_notification in arrival
 * order. The transport below the WebSocket is a byte stream with read/write hooks, so that TLS
 * (wss://, terminated inside the enclave on the worker's side) can sit under it.
 */
#ifndef ITEE_RPC_CLIENT_H
#define ITEE_RPC_CLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define RPC_CLIENT_DEFAULT_TIMEOUT_MS 30000
#define RPC_CLIENT_MAX_MSG            ((size_t)64 * 1024 * 1024) /* metadata can be large */
#define RPC_CLIENT_MAX_QUEUED         4096 /* notifications held before the oldest are dropped */
#define RPC_CLIENT_MAX_ERROR          256  /* bytes of a remote error message kept */

struct rpc_client;

/* A stream the WebSocket runs over; the default is the plain TCP socket. */
struct rpc_client_transport {
    void *ctx;
    /* Returns: bytes written (> 0), 0 if it would block, -1 on a dead connection. */
    long (*write)(void *ctx, int fd, const uint8_t *data, size_t len);
    /* Returns: bytes read (> 0), 0 if it would block, -1 on EOF or error. */
    long (*read)(void *ctx, int fd, uint8_t *buf, size_t cap);
    /* Returns: true if bytes are already buffered (read would not block although the socket
     * has nothing). May be NULL. */
    bool (*pending)(void *ctx);
};

/* Parsed ws:// or wss:// URL. */
struct rpc_client_url {
    char host[256]; /* host name or address, without IPv6 brackets */
    uint16_t port;  /* explicit or 80/443 */
    char path[256]; /* "/" if absent */
    int tls;        /* 1 for wss:// */
};

/* Parses url. Returns: ITEE_OK, ITEE_ERR_URL (not ws:// or wss://, bad port, too long). */
ITEE_MUST_CHECK enum itee_err rpc_client_parse_url(const char *url, struct rpc_client_url *out);

/*
 * Connects to a ws:// URL and completes the WebSocket handshake within timeout_ms.
 * wss:// needs a transport: use rpc_client_connect_with. Returns: ITEE_OK and *out;
 * ITEE_ERR_URL, ITEE_ERR_CONN (resolve, connect or handshake failed), ITEE_ERR_TIMEOUT,
 * ITEE_ERR_NOMEM, ITEE_ERR_UNSUPPORTED (wss:// without transport).
 */
ITEE_MUST_CHECK enum itee_err rpc_client_connect(struct rpc_client **out, const char *url,
                                                 uint32_t timeout_ms);
/*
 * As rpc_client_connect, but the bytes go through transport (e.g. TLS) once TCP is connected.
 * setup (may be NULL) runs after the TCP connect and before the WebSocket handshake, e.g. to do a
 * TLS handshake; it gets the socket and the deadline in milliseconds from now.
 */
ITEE_MUST_CHECK enum itee_err
rpc_client_connect_with(struct rpc_client **out, const char *url, uint32_t timeout_ms,
                        const struct rpc_client_transport *transport,
                        enum itee_err (*setup)(void *ctx, int fd, const struct rpc_client_url *url,
                                               uint32_t timeout_ms));
/* Closes the connection and frees everything, queued notifications included. NULL is a no-op. */
void rpc_client_free(struct rpc_client *c);

/* Sets the deadline of each later call in milliseconds (0 = RPC_CLIENT_DEFAULT_TIMEOUT_MS). */
void rpc_client_set_timeout(struct rpc_client *c, uint32_t timeout_ms);

/*
 * Calls method with params (a JSON array, or NULL for []; the reference is not stolen) and waits
 * for the answer. Returns: ITEE_OK and *result (a new reference, may be JSON null);
 * ITEE_ERR_RPC_REMOTE (the server answered an error: see rpc_client_last_error),
 * ITEE_ERR_TIMEOUT, ITEE_ERR_CONN, ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err rpc_client_call(struct rpc_client *c, const char *method,
                                              json_t *params, json_t **result);
/* As rpc_client_call, with params given as JSON text ("[...]"). ITEE_ERR_ARG if it is not. */
ITEE_MUST_CHECK enum itee_err rpc_client_call_text(struct rpc_client *c, const char *method,
                                                   const char *params_json, json_t **result);
/* Returns: the code and message of the last remote error (message "" if none). */
int rpc_client_last_error(const struct rpc_client *c, const char **message);

/*
 * Waits up to timeout_ms for the next notification (a JSON object with "method" and
 * "params": {"subscription", "result"}). Returns: ITEE_OK and *msg (a new reference);
 * ITEE_ERR_TIMEOUT, ITEE_ERR_CONN.
 */
ITEE_MUST_CHECK enum itee_err rpc_client_next_notification(struct rpc_client *c,
                                                           uint32_t timeout_ms, json_t **msg);
/* Returns: notifications dropped because the queue was full (a slow consumer). */
size_t rpc_client_dropped(const struct rpc_client *c);

#endif
