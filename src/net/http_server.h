/*
 * http_server.h - a small HTTP/1.1 endpoint server on a libuv loop for status pages: one GET
 * request per connection, answered by a route callback (Prometheus /metrics of the node and
 * the worker, the worker's /is_initialized). Connections are bounded in number and time.
 */
#ifndef ITEE_HTTP_SERVER_H
#define ITEE_HTTP_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "common/bytes.h"
#include "common/err.h"

#define HTTP_SERVER_MAX_CONNS    32                        /* simultaneous connections */
#define HTTP_SERVER_MAX_RESPONSE ((size_t)4 * 1024 * 1024) /* longest body a route may write */

/*
 * Answers GET path: appends the body to body, may set *type (default "text/plain"), and
 * returns the HTTP status. Other verbs are answered 405 without calling it.
 */
typedef int (*http_server_route_fn)(void *ctx, const char *path, struct itee_buf *body,
                                    const char **type);

struct http_server;

/*
 * Listens on host:port (numeric address; port 0 = ephemeral) on loop.
 * Returns: ITEE_OK and *out; ITEE_ERR_ARG (bad host), ITEE_ERR_IO (bind failed), ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err http_server_start(struct http_server **out, uv_loop_t *loop,
                                                const char *host, uint16_t port,
                                                http_server_route_fn route, void *ctx);
/* Returns: the bound port. */
uint16_t http_server_port(const struct http_server *s);
/* Closes the listener and connections; memory goes in close callbacks (run the loop after).
 * NULL is a no-op. */
void http_server_stop(struct http_server *s);

#endif
