/*
 * metrics.h - the node's Prometheus endpoint: counters kept by the node's parts, rendered in
 * the Prometheus text exposition format 0.0.4 with Substrate's metric names, and a small HTTP
 * server (libuv + proto/http) answering GET /metrics (404 for other paths, 405 for other
 * verbs; one request per connection, then close).
 *
 * Metrics: substrate_block_height{status="best"|"finalized"}, substrate_number_leaves,
 * substrate_ready_transactions_number, substrate_build_info{name,version,chain},
 * substrate_node_roles, substrate_process_start_time_seconds,
 * substrate_proposer_block_constructed (histogram, seconds),
 * substrate_sub_txpool_validations_scheduled / _finished,
 * substrate_rpc_calls_started{method} / substrate_rpc_calls_finished{method}.
 */
#ifndef ITEE_METRICS_H
#define ITEE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "common/bytes.h"
#include "common/err.h"
#include "net/http_server.h"

#define METRICS_DEFAULT_PORT 9615                  /* Substrate's --prometheus-port */
#define METRICS_BUCKETS      11                    /* histogram buckets below +Inf */
#define METRICS_MAX_CONNS    HTTP_SERVER_MAX_CONNS /* simultaneous scrapes */
#define METRICS_MAX_METHODS  256                   /* distinct RPC method labels */

struct metrics_rpc {
    const char *method; /* label (a string that outlives the metrics) */
    uint64_t started;   /* calls dispatched */
    uint64_t finished;  /* calls whose handler returned */
};

/* Counters the node's parts update (all on the loop's thread). */
struct metrics {
    double start_time;                           /* process start, seconds since the epoch */
    uint64_t block_buckets[METRICS_BUCKETS];     /* blocks built in at most k-th bound seconds */
    uint64_t block_count;                        /* blocks built */
    double block_sum;                            /* their total build time, seconds */
    uint64_t validations_scheduled;              /* transactions handed to validation */
    uint64_t validations_finished;               /* ... and validated (valid or not) */
    struct metrics_rpc rpc[METRICS_MAX_METHODS]; /* per-method call counters */
    size_t n_rpc;                                /* entries used */
};

/* Values read at scrape time. */
struct metrics_gauges {
    uint32_t best, finalized; /* block heights */
    size_t ready;             /* ready transactions in the pool */
    size_t leaves;            /* chain leaves */
    const char *name;         /* node name */
    const char *version;      /* node version */
    const char *chain;        /* chain spec id */
};

/* Fills the gauges when a scrape arrives. */
typedef void (*metrics_gauges_fn)(void *ctx, struct metrics_gauges *out);

/* Zeroes m and records the start time (seconds since the epoch). */
void metrics_init(struct metrics *m, double start_time);
/* Records one block's build time in seconds. */
void metrics_observe_block(struct metrics *m, double seconds);
/* Counts an RPC call starting (finished = false) or finishing. Calls of more than
 * METRICS_MAX_METHODS distinct methods beyond the limit are not counted. */
void metrics_rpc_call(struct metrics *m, const char *method, bool finished);
/* Appends the exposition text of m and g. Returns: ITEE_OK, ITEE_ERR_NOMEM/_SPACE. */
ITEE_MUST_CHECK enum itee_err metrics_render(const struct metrics *m,
                                             const struct metrics_gauges *g, struct itee_buf *out);

struct metrics_server; /* listener and its scrape connections */

/*
 * Listens on host:port (port 0 = ephemeral) on loop, serving m with gauges from fn(ctx).
 * Returns: ITEE_OK and *out; ITEE_ERR_ARG (bad host), ITEE_ERR_IO (bind failed), ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err metrics_server_start(struct metrics_server **out, uv_loop_t *loop,
                                                   const char *host, uint16_t port,
                                                   const struct metrics *m, metrics_gauges_fn fn,
                                                   void *ctx);
/* Returns: the bound port. */
uint16_t metrics_server_port(const struct metrics_server *s);
/* Closes the listener and connections; memory goes in close callbacks (run the loop after).
 * NULL is a no-op. */
void metrics_server_stop(struct metrics_server *s);

#endif
