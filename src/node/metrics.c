/*
 * metrics.c - Prometheus counters, their exposition text and the scrape endpoint (see
 * metrics.h); the HTTP side is src/net/http_server.
 */
#define _DEFAULT_SOURCE
#include "node/metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/mem.h"
#include "net/http_server.h"

#define METRICS_CT "text/plain; version=0.0.4; charset=utf-8"

/* Upper bounds of the block-construction histogram in seconds (Substrate's proposer buckets). */
static const double k_bounds[METRICS_BUCKETS] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                 0.5,   1.0,  2.5,   5.0,  10.0};

void metrics_init(struct metrics *m, double start_time)
{
    memset(m, 0, sizeof(*m));
    m->start_time = start_time;
}

void metrics_observe_block(struct metrics *m, double seconds)
{
    if (!(seconds >= 0))
        seconds = 0;
    for (size_t i = 0; i < METRICS_BUCKETS; i++)
        if (seconds <= k_bounds[i])
            m->block_buckets[i]++;
    m->block_count++;
    m->block_sum += seconds;
}

void metrics_rpc_call(struct metrics *m, const char *method, bool finished)
{
    size_t i = 0;
    while (i < m->n_rpc && m->rpc[i].method != method && strcmp(m->rpc[i].method, method) != 0)
        i++;
    if (i == m->n_rpc) {
        if (m->n_rpc == METRICS_MAX_METHODS)
            return;
        m->rpc[i].method = method;
        m->n_rpc++;
    }
    if (finished)
        m->rpc[i].finished++;
    else
        m->rpc[i].started++;
}

/* ---- exposition text ------------------------------------------------------------------ */

static enum itee_err put(struct itee_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum itee_err put(struct itee_buf *b, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= sizeof(line))
        return ITEE_ERR_SPACE;
    return itee_buf_append(b, line, (size_t)k);
}

/* A label value with \, " and newline escaped as the format requires (cut at 128 bytes). */
static void label(char out[260], const char *s)
{
    size_t o = 0;
    for (size_t i = 0; s != NULL && s[i] != '\0' && i < 128; i++) {
        char ch = s[i];
        if (ch == '\\' || ch == '"' || ch == '\n') {
            out[o++] = '\\';
            ch = ch == '\n' ? 'n' : ch;
        }
        out[o++] = ch;
    }
    out[o] = '\0';
}

static enum itee_err head(struct itee_buf *b, const char *name, const char *type, const char *help)
{
    return put(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static enum itee_err render_chain(const struct metrics *m, const struct metrics_gauges *g,
                                  struct itee_buf *b)
{
    char n[260], v[260], c[260];
    label(n, g->name);
    label(v, g->version);
    label(c, g->chain);
    enum itee_err e = head(b, "substrate_block_height", "gauge", "Block height info of the chain");
    if (e == ITEE_OK)
        e = put(b, "substrate_block_height{status=\"best\"} %u\n", (unsigned)g->best);
    if (e == ITEE_OK)
        e = put(b, "substrate_block_height{status=\"finalized\"} %u\n", (unsigned)g->finalized);
    if (e == ITEE_OK)
        e = head(b, "substrate_number_leaves", "gauge", "Number of known chain leaves (aka forks)");
    if (e == ITEE_OK)
        e = put(b, "substrate_number_leaves %zu\n", g->leaves);
    if (e == ITEE_OK)
        e = head(b, "substrate_ready_transactions_number", "gauge",
                 "Number of transactions in the ready queue");
    if (e == ITEE_OK)
        e = put(b, "substrate_ready_transactions_number %zu\n", g->ready);
    if (e == ITEE_OK)
        e = head(b, "substrate_build_info", "gauge",
                 "A metric with a constant '1' value labeled by name, version");
    if (e == ITEE_OK)
        e = put(b, "substrate_build_info{name=\"%s\",version=\"%s\",chain=\"%s\"} 1\n", n, v, c);
    if (e == ITEE_OK)
        e = head(b, "substrate_node_roles", "gauge",
                 "The roles the node is running as (4 = authority)");
    if (e == ITEE_OK)
        e = put(b, "substrate_node_roles 4\n");
    if (e == ITEE_OK)
        e = head(b, "substrate_process_start_time_seconds", "gauge",
                 "Number of seconds between the UNIX epoch and the moment the process started");
    if (e == ITEE_OK)
        e = put(b, "substrate_process_start_time_seconds %.0f\n", m->start_time);
    return e;
}

static enum itee_err render_counters(const struct metrics *m, struct itee_buf *b)
{
    enum itee_err e = head(b, "substrate_proposer_block_constructed", "histogram",
                           "Histogram of time taken to construct new block");
    for (size_t i = 0; e == ITEE_OK && i < METRICS_BUCKETS; i++)
        e = put(b, "substrate_proposer_block_constructed_bucket{le=\"%g\"} %llu\n", k_bounds[i],
                (unsigned long long)m->block_buckets[i]);
    if (e == ITEE_OK)
        e = put(b,
                "substrate_proposer_block_constructed_bucket{le=\"+Inf\"} %llu\n"
                "substrate_proposer_block_constructed_sum %.6f\n"
                "substrate_proposer_block_constructed_count %llu\n",
                (unsigned long long)m->block_count, m->block_sum,
                (unsigned long long)m->block_count);
    if (e == ITEE_OK)
        e = head(b, "substrate_sub_txpool_validations_scheduled", "counter",
                 "Total number of transactions scheduled for validation");
    if (e == ITEE_OK)
        e = put(b, "substrate_sub_txpool_validations_scheduled %llu\n",
                (unsigned long long)m->validations_scheduled);
    if (e == ITEE_OK)
        e = head(b, "substrate_sub_txpool_validations_finished", "counter",
                 "Total number of transactions that finished validation");
    if (e == ITEE_OK)
        e = put(b, "substrate_sub_txpool_validations_finished %llu\n",
                (unsigned long long)m->validations_finished);
    static const char *const names[2] = {"substrate_rpc_calls_started",
                                         "substrate_rpc_calls_finished"};
    static const char *const help[2] = {
        "Number of received RPC calls (unique un-batched requests)",
        "Number of processed RPC calls (unique un-batched requests)"};
    for (size_t k = 0; k < 2; k++) {
        if (e == ITEE_OK)
            e = head(b, names[k], "counter", help[k]);
        for (size_t i = 0; e == ITEE_OK && i < m->n_rpc; i++) {
            char meth[260];
            label(meth, m->rpc[i].method);
            e = put(b, "%s{method=\"%s\"} %llu\n", names[k], meth,
                    (unsigned long long)(k == 0 ? m->rpc[i].started : m->rpc[i].finished));
        }
    }
    return e;
}

enum itee_err metrics_render(const struct metrics *m, const struct metrics_gauges *g,
                             struct itee_buf *out)
{
    enum itee_err e = render_chain(m, g, out);
    return e == ITEE_OK ? render_counters(m, out) : e;
}

/* ---- scrape endpoint --------------------------------------------------------------------- */

struct metrics_server {
    struct http_server *http; /* the listener */
    const struct metrics *m;  /* counters */
    metrics_gauges_fn gauges; /* scrape-time values */
    void *ctx;                /* for gauges */
};

static int route(void *ctx, const char *path, struct itee_buf *body, const char **type)
{
    static const char k_not_found[] = "Not found.";
    struct metrics_server *s = ctx;
    if (strcmp(path, "/metrics") != 0)
        return itee_buf_append(body, k_not_found, sizeof(k_not_found) - 1) == ITEE_OK ? 404 : 500;
    struct metrics_gauges g;
    memset(&g, 0, sizeof(g));
    s->gauges(s->ctx, &g);
    if (metrics_render(s->m, &g, body) != ITEE_OK)
        return 500;
    *type = METRICS_CT;
    return 200;
}

enum itee_err metrics_server_start(struct metrics_server **out, uv_loop_t *loop, const char *host,
                                   uint16_t port, const struct metrics *m, metrics_gauges_fn fn,
                                   void *ctx)
{
    *out = NULL;
    struct metrics_server *s = itee_zalloc(sizeof(*s));
    if (s == NULL)
        return ITEE_ERR_NOMEM;
    s->m = m;
    s->gauges = fn;
    s->ctx = ctx;
    enum itee_err r = http_server_start(&s->http, loop, host, port, route, s);
    if (r != ITEE_OK) {
        itee_free(s);
        return r;
    }
    *out = s;
    return ITEE_OK;
}

uint16_t metrics_server_port(const struct metrics_server *s)
{
    return http_server_port(s->http);
}

void metrics_server_stop(struct metrics_server *s)
{
    if (s == NULL)
        return;
    /* the listener's memory goes in its close callbacks; the wrapper has no handles of its own */
    http_server_stop(s->http);
    itee_free(s);
}
