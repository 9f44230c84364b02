/*
 * tls_rpc.h - one JSON-RPC stream behind TLS: a tls_session (memory BIOs) whose plaintext is
 * an rpc_session (HTTP/1.1, WebSocket, JSON-RPC with subscriptions). This is what the enclave
 * runs per trusted-RPC connection: the host moves only ciphertext in (tls_rpc_feed) and out
 * (tls_rpc_take_cipher), and closes the stream when tls_rpc_done says so.
 *
 * Output can appear outside tls_rpc_feed (notifications, deferred answers): the rpc_session
 * then calls the wake callback, and the owner should call tls_rpc_poll and send soon.
 * Single-threaded, like the sessions it combines.
 */
#ifndef ITEE_TLS_RPC_H
#define ITEE_TLS_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "proto/rpc.h"
#include "proto/rpc_session.h"
#include "proto/tls.h"

struct tls_rpc; /* TLS + JSON-RPC state of one stream */

/*
 * Makes a stream served by rpc over a server session of tls. max_pending bounds each TLS
 * buffer and the RPC engine's unsent output (0 = TLS_DEFAULT_MAX_PENDING); wake (may be NULL)
 * is called with ctx when output appears asynchronously. tls and rpc must outlive the stream.
 * Returns: ITEE_OK and *out; ITEE_ERR_ARG (NULL, a client context, max_pending too small);
 * ITEE_ERR_NOMEM; ITEE_ERR_CRYPTO_LIB.
 */
ITEE_MUST_CHECK enum itee_err tls_rpc_new(struct tls_rpc **out, struct tls_ctx *tls,
                                          struct rpc_server *rpc, size_t max_pending,
                                          rpc_session_wake_fn wake, void *ctx);
/* Frees the stream (ending its subscriptions) without sending anything; NULL is a no-op. */
void tls_rpc_free(struct tls_rpc *c);
/*
 * Consumes len received ciphertext bytes: decrypts, runs the requests, encrypts the answers.
 * Returns: ITEE_OK (protocol errors above TLS become error answers, and tls_rpc_done), the
 * TLS error that failed the stream (tls_rpc_done is then true; send what is pending - an
 * alert - and close), ITEE_ERR_NOMEM, ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err tls_rpc_feed(struct tls_rpc *c, const uint8_t *data, size_t len);
/* Continues work after a wake: encrypts asynchronous output. Returns: as tls_rpc_feed. */
ITEE_MUST_CHECK enum itee_err tls_rpc_poll(struct tls_rpc *c);
/* Returns: how many ciphertext bytes wait to be sent. */
size_t tls_rpc_cipher_pending(const struct tls_rpc *c);
/* Moves up to cap ciphertext bytes into buf. Returns: ITEE_OK with *out_len, ITEE_ERR_ARG. */
ITEE_MUST_CHECK enum itee_err tls_rpc_take_cipher(struct tls_rpc *c, uint8_t *buf, size_t cap,
                                                  size_t *out_len);
/* Returns: true when the stream should be closed once the pending ciphertext is sent. */
bool tls_rpc_done(const struct tls_rpc *c);
/* Returns: true once the stream speaks WebSocket. */
bool tls_rpc_is_ws(const struct tls_rpc *c);
/* Returns: the TLS session's reason for a failure ("" if none), for logs. */
const char *tls_rpc_reason(const struct tls_rpc *c);

#endif
