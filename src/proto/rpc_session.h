/*
 * rpc_session.h - one client byte stream of a JSON-RPC endpoint: HTTP/1.1 requests (POST of
 * JSON-RPC, GET /health, CORS preflight) until an Upgrade: websocket turns it into a WebSocket
 * carrying JSON-RPC messages with subscriptions. Pure: the owner feeds received bytes, takes
 * the bytes to send from rpc_session_output, and closes the stream when rpc_session_done.
 * The same engine can sit behind a TCP socket (src/net) or a TLS session inside the enclave.
 *
 * Output can appear outside rpc_session_feed (notifications, deferred answers); the session
 * then calls the wake callback, and the owner should call rpc_session_poll and write soon.
 */
#ifndef ITEE_RPC_SESSION_H
#define ITEE_RPC_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "proto/rpc.h"

#define RPC_SESSION_DEFAULT_MAX_OUT ((size_t)64 * 1024 * 1024) /* unsent bytes before dropping */

struct rpc_session; /* HTTP/WebSocket/JSON-RPC state of one stream */

/* Tells the owner that output is waiting (called outside rpc_session_feed/poll). */
typedef void (*rpc_session_wake_fn)(void *ctx);

/*
 * Returns: a new session on srv in *out. Requests are limited by the server's max_request;
 * max_out (0 = default) bounds bytes waiting in the output buffer: a client that does not read
 * is dropped. wake (may be NULL) is called with ctx when output appears asynchronously.
 */
ITEE_MUST_CHECK enum itee_err rpc_session_new(struct rpc_session **out, struct rpc_server *srv,
                                              size_t max_out, rpc_session_wake_fn wake, void *ctx);
/* Frees the session, ending its subscriptions. NULL is a no-op. */
void rpc_session_free(struct rpc_session *s);
/* Consumes len received bytes. Returns: ITEE_OK (protocol errors lead to an error answer and
 * rpc_session_done), or ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err rpc_session_feed(struct rpc_session *s, const uint8_t *data,
                                               size_t len);
/* Continues work that waited (buffered requests after a deferred answer). Returns: as feed. */
ITEE_MUST_CHECK enum itee_err rpc_session_poll(struct rpc_session *s);
/* Returns: the buffer of bytes to send; the owner takes or consumes them (itee_buf_take). */
struct itee_buf *rpc_session_output(struct rpc_session *s);
/* Returns: true when the stream should be closed once the output is written. */
bool rpc_session_done(const struct rpc_session *s);
/* Returns: true once the stream speaks WebSocket. */
bool rpc_session_is_ws(const struct rpc_session *s);
/* Tells the session that output could not be written in time (slow consumer): it is done. */
void rpc_session_abort(struct rpc_session *s);

#endif
