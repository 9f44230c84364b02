/*
 * trpc_server.h - the host half of the worker's trusted JSON-RPC: a libuv TCP listener that
 * moves ciphertext between client sockets and the enclave (ecall_trpc_open / _feed / _close,
 * through enclave_host). TLS, HTTP, WebSocket and JSON-RPC all run inside the enclave; this
 * side never sees plaintext.
 *
 * Per accepted socket: a fresh connection id, ecall_trpc_open, then every read is fed to the
 * enclave and whatever ciphertext it returns is written back. A connection is closed on the
 * enclave's close flag (after its last bytes are written), on EOF or socket errors, when the
 * enclave refuses it (its own connection limit) or fails, and when more than max_queued
 * ciphertext bytes wait for a client that does not read (slow consumer). Beyond max_conns the
 * server accepts and at once closes new sockets.
 *
 * Runs on the caller's loop and thread (the service's); all calls must be made from that
 * thread. The enclave_host must outlive the server.
 */
#ifndef ITEE_TRPC_SERVER_H
#define ITEE_TRPC_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "common/err.h"
#include "service/enclave_host.h"

#define TRPC_SERVER_DEFAULT_CONNS  256                       /* the enclave's own limit */
#define TRPC_SERVER_DEFAULT_QUEUED ((size_t)4 * 1024 * 1024) /* unsent bytes per connection */
#define TRPC_SERVER_BACKLOG        128                       /* listen(2) backlog */

struct trpc_server;

struct trpc_server_config {
    const char *host;  /* address to listen on (IPv4 or IPv6 literal); NULL = "127.0.0.1" */
    uint16_t port;     /* 0 = an ephemeral port (see trpc_server_port) */
    size_t max_conns;  /* open connections; 0 = TRPC_SERVER_DEFAULT_CONNS */
    size_t max_queued; /* per connection; 0 = TRPC_SERVER_DEFAULT_QUEUED */
};

/* Counters, for logs and /metrics. */
struct trpc_server_stats {
    uint64_t accepted; /* sockets accepted and opened in the enclave */
    uint64_t refused;  /* sockets closed at once (limit reached, enclave refused) */
    uint64_t dropped;  /* connections closed for errors or slow consumption */
    size_t open;       /* connections open now */
};

/*
 * Binds and listens on loop. Returns: ITEE_OK and *out; ITEE_ERR_ARG (bad address, NULL);
 * ITEE_ERR_CONN (bind or listen failed, e.g. the port is taken); ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err trpc_server_start(struct trpc_server **out, uv_loop_t *loop,
                                                struct enclave_host *enclave,
                                                const struct trpc_server_config *cfg);
/* Returns: the port actually bound. */
uint16_t trpc_server_port(const struct trpc_server *s);
/* Out: the server's counters. */
void trpc_server_stats(const struct trpc_server *s, struct trpc_server_stats *out);
/*
 * Closes the listener and every connection (telling the enclave). The server frees itself once
 * libuv has closed its handles, i.e. during the next loop iteration; s is invalid after this
 * call. NULL is a no-op.
 */
void trpc_server_stop(struct trpc_server *s);

#endif
