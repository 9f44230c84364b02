/*
 * server.h - the TCP side of a JSON-RPC endpoint on a libuv loop: accepts connections (up to a
 * limit), feeds their bytes to one struct rpc_session each, writes the sessions' output, and
 * drops clients whose unsent output grows past a cap (slow consumers). Output that appears
 * outside a read (notifications from timers, deferred answers) is written from a prepare hook,
 * i.e. once per loop iteration before the loop sleeps, batching all of it.
 *
 * The loop belongs to the program: block production timers and the RPC share it, and every
 * callback runs on the loop's thread, so the RPC engine needs no locks.
 */
#ifndef ITEE_SERVER_H
#define ITEE_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "common/err.h"
#include "proto/rpc.h"

#define NET_DEFAULT_MAX_CONNS 100                        /* --rpc-max-connections */
#define NET_DEFAULT_MAX_OUT   ((size_t)64 * 1024 * 1024) /* unsent bytes per connection */
#define NET_DEFAULT_IDLE_MS   60000 /* an HTTP connection silent this long is closed */

struct net_server; /* listening socket and its connections */

struct net_server_config {
    const char *host; /* numeric IPv4/IPv6 address to bind ("127.0.0.1", "0.0.0.0", "::") */
    uint16_t port;    /* port, 0 = ephemeral (see net_server_port) */
    size_t max_conns; /* simultaneous connections, 0 = NET_DEFAULT_MAX_CONNS */
    size_t max_out;   /* unsent bytes per connection before dropping it, 0 = default */
    uint64_t idle_ms; /* close HTTP (not WebSocket) connections silent this long, 0 = default */
};

/*
 * Binds and listens on loop, serving JSON-RPC from rpc. Returns: ITEE_OK and *out;
 * ITEE_ERR_ARG (bad host), ITEE_ERR_IO (bind/listen failed, e.g. port in use), ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err net_server_start(struct net_server **out, uv_loop_t *loop,
                                               const struct net_server_config *cfg,
                                               struct rpc_server *rpc);
/* Returns: the port actually bound (the ephemeral one when cfg->port was 0). */
uint16_t net_server_port(const struct net_server *srv);
/* Returns: the loop the server runs on (for the program's timers). */
uv_loop_t *net_server_loop(const struct net_server *srv);
/* Returns: the number of open client connections. */
size_t net_server_conn_count(const struct net_server *srv);
/*
 * Closes the listener and every connection (ending their subscriptions at once). The memory is
 * released by libuv close callbacks: run the loop until it returns afterwards. NULL is a no-op.
 */
void net_server_stop(struct net_server *srv);

#endif
