/*
 * tls_stream.h - TLS under the blocking JSON-RPC client (rpc_client), so that the CLI can
 * speak wss:// to a worker whose TLS ends inside its enclave. The stream is the client side of
 * src/proto/tls over the client's TCP socket; the verification mode is the caller's choice:
 * pinned to the enclave's registered ed25519 key (the default of integritee-cli), a CA bundle,
 * or none (a debugging option, said so by the caller).
 */
#ifndef ITEE_TLS_STREAM_H
#define ITEE_TLS_STREAM_H

#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "net/rpc_client.h"
#include "proto/tls.h"

struct tls_stream {
    struct tls_ctx *ctx;   /* client configuration */
    struct tls_session *s; /* the session (after setup) */
    struct itee_buf plain; /* decrypted bytes not yet handed to the WebSocket */
    size_t plain_off;      /* how many of them were handed out */
    enum itee_err error;   /* first fatal error (ITEE_OK while healthy) */
    uint8_t peer_key[32];  /* the server's ed25519 key once the handshake is done */
    int have_peer_key;     /* peer_key is set */
};

/* Prepares a stream with cfg (copied into a TLS client context). Returns: tls_client_ctx_new's
 * errors. */
ITEE_MUST_CHECK enum itee_err tls_stream_init(struct tls_stream *st,
                                              const struct tls_client_config *cfg);
/* Frees the stream. */
void tls_stream_free(struct tls_stream *st);

/* The transport to pass to rpc_client_connect_with (ctx = st). */
struct rpc_client_transport tls_stream_transport(struct tls_stream *st);
/* The setup hook to pass to rpc_client_connect_with: runs the TLS handshake within the deadline.
 * Returns: ITEE_OK, the TLS verification errors, ITEE_ERR_TIMEOUT, ITEE_ERR_CONN. */
enum itee_err tls_stream_setup(void *ctx, int fd, const struct rpc_client_url *url,
                               uint32_t timeout_ms);

/*
 * Connects to a wss:// url through a fresh stream. Out: *client (rpc_client_free it, then
 * tls_stream_free the stream, in that order). Returns: as rpc_client_connect_with.
 */
ITEE_MUST_CHECK enum itee_err tls_stream_connect(struct tls_stream *st, const char *url,
                                                 uint32_t timeout_ms, struct rpc_client **client);

#endif
