/*
 * ws.h - server side of the WebSocket protocol (RFC 6455) on memory buffers, through wslay's
 * event API: no sockets. The owner feeds received bytes in, gets whole messages through a
 * callback, queues text messages, and collects the bytes to send with ws_conn_flush.
 *
 * What it enforces: client frames must be masked, control frames are answered (ping -> pong,
 * close -> close), fragmented messages are reassembled, messages over the size limit close the
 * connection with 1009, text messages that are not valid UTF-8 with 1007.
 * The opening handshake is HTTP (see http.h); ws_accept_key computes its answer.
 */
#ifndef ITEE_WS_H
#define ITEE_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"

#define WS_ACCEPT_LEN      28 /* characters of a Sec-WebSocket-Accept value */
#define WS_CLOSE_NORMAL    1000
#define WS_CLOSE_PROTOCOL  1002
#define WS_CLOSE_BAD_DATA  1007 /* text not UTF-8 */
#define WS_CLOSE_TOO_BIG   1009
#define WS_CLOSE_INTERNAL  1011
#define WS_DEFAULT_MAX_MSG ((size_t)15 * 1024 * 1024) /* as Substrate's max request size */

struct ws_conn; /* one server-side WebSocket connection after the handshake */

/*
 * Receives one complete data message (valid only during the call). text says the opcode was
 * text (its UTF-8 is already checked). Returns: ITEE_OK, or an error that closes with 1011.
 */
typedef enum itee_err (*ws_msg_fn)(void *ctx, const uint8_t *data, size_t len, bool text);

/*
 * Computes Sec-WebSocket-Accept = base64(SHA-1(key || GUID)) into out (NUL-terminated).
 * Returns: ITEE_OK, ITEE_ERR_ARG (key not 16 bytes in base64), ITEE_ERR_CRYPTO_LIB.
 */
ITEE_MUST_CHECK enum itee_err ws_accept_key(const char *key, size_t key_len,
                                            char out[WS_ACCEPT_LEN + 1]);
/* Returns: true if key is the base64 form of 16 bytes, as RFC 6455 requires. */
bool ws_key_valid(const char *key, size_t key_len);
/* Returns: a new connection in *out; messages over max_msg bytes (0 = default) are refused. */
ITEE_MUST_CHECK enum itee_err ws_conn_new(struct ws_conn **out, size_t max_msg, ws_msg_fn on_msg,
                                          void *ctx);
/*
 * Client side: like ws_conn_new, but the frames we send are masked with fresh random keys and the
 * frames we receive must not be (RFC 6455 §5.1). Use after ws_client_response_check succeeded.
 */
ITEE_MUST_CHECK enum itee_err ws_conn_new_client(struct ws_conn **out, size_t max_msg,
                                                 ws_msg_fn on_msg, void *ctx);
/* Frees the connection. NULL is a no-op. */
void ws_conn_free(struct ws_conn *ws);

#define WS_CLIENT_KEY_LEN 24   /* base64 of 16 random bytes */
#define WS_MAX_RESPONSE   8192 /* longest handshake response a client accepts */

/*
 * Appends a client opening handshake (GET path, Host, Upgrade, Connection, Sec-WebSocket-Key
 * with 16 fresh random bytes, Sec-WebSocket-Version 13) to out, and the key to key_out
 * (NUL-terminated) for ws_client_response_check. host must not contain CR, LF or spaces.
 * Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_RNG, ITEE_ERR_NOMEM/SPACE.
 */
ITEE_MUST_CHECK enum itee_err ws_client_request(struct itee_buf *out, const char *host,
                                                const char *path,
                                                char key_out[WS_CLIENT_KEY_LEN + 1]);
/*
 * Checks the server's handshake response in data: status 101, Upgrade: websocket, Connection
 * containing "upgrade", and Sec-WebSocket-Accept matching key. *used gets the response length
 * (bytes after it are WebSocket frames); *used = 0 with ITEE_OK means the response is not
 * complete yet (feed more bytes). Returns: ITEE_OK; ITEE_ERR_PARSE (malformed, refused, wrong
 * accept key, or longer than WS_MAX_RESPONSE); ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err ws_client_response_check(const uint8_t *data, size_t len,
                                                       const char *key, size_t *used);
/*
 * Consumes all len bytes received from the peer, calling on_msg for each complete message and
 * queueing automatic answers (pong, close). Protocol violations queue a close frame and stop
 * reading; they are not errors here. Returns: ITEE_OK or ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err ws_conn_feed(struct ws_conn *ws, const uint8_t *data, size_t len);
/* Queues one message (text or binary). Returns: ITEE_OK, ITEE_ERR_IO (closing), ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err ws_conn_send(struct ws_conn *ws, const uint8_t *data, size_t len,
                                           bool text);
/* Queues a close frame with code and a short reason (may be NULL) and stops reading. */
ITEE_MUST_CHECK enum itee_err ws_conn_close(struct ws_conn *ws, uint16_t code, const char *reason);
/* Appends the bytes of all queued frames to out. Returns: ITEE_OK, ITEE_ERR_SPACE (out full;
 * the connection is then dead), ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err ws_conn_flush(struct ws_conn *ws, struct itee_buf *out);
/* Returns: true when the connection will neither read nor write any more (close the socket). */
bool ws_conn_done(const struct ws_conn *ws);
/* Returns: the close code sent to the peer (0 if none yet). */
uint16_t ws_conn_close_code(const struct ws_conn *ws);

#endif
