/*
 * rpc_echo_server.c - a small JSON-RPC server over the real stack (libuv + HTTP + WebSocket),
 * for checking real clients against it (tests/integration/rpc_echo.mjs). Methods: echo,
 * later (answers after 50 ms), system_health, chain_subscribeNewHeads (a counter every
 * 100 ms) with its unsubscribe. Prints the bound port on stdout; stops on SIGTERM/SIGINT.
 * Usage: rpc_echo_server [port]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "net/server.h"
#include "proto/rpc.h"

struct app {
    uv_loop_t *loop;        /* the loop */
    struct rpc_server *rpc; /* methods */
    struct net_server *net; /* TCP server */
    uv_timer_t heads;       /* "block production" */
    uv_signal_t sigterm;    /* stop on SIGTERM */
    uv_signal_t sigint;     /* stop on SIGINT */
    long head;              /* current head number */
};

/* A deferred call waiting for its timer. */
struct later {
    uv_timer_t timer; /* fires once */
    struct app *app;  /* owner */
    uint64_t token;   /* call to answer */
};

static enum itee_err h_echo(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)ctx;
    return rpc_call_reply(call, json_incref(params));
}

static enum itee_err h_health(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)ctx;
    (void)params;
    return rpc_call_reply(
        call, json_pack("{s:i,s:b,s:b}", "peers", 0, "isSyncing", 0, "shouldHavePeers", 0));
}

static void later_closed(uv_handle_t *h)
{
    free(h->data);
}

static void later_fire(uv_timer_t *t)
{
    struct later *l = t->data;
    if (rpc_server_reply(l->app->rpc, l->token, json_string("later")) != ITEE_OK) {
        /* failure is a legitimate outcome here */
    }
    uv_close((uv_handle_t *)t, later_closed);
}

static enum itee_err h_later(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)params;
    struct app *a = ctx;
    struct later *l = calloc(1, sizeof(*l));
    if (l == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err r = rpc_call_defer(call, &l->token);
    if (r != ITEE_OK) {
        free(l);
        return r;
    }
    l->app = a;
    uv_timer_init(a->loop, &l->timer);
    l->timer.data = l;
    uv_timer_start(&l->timer, later_fire, 50, 0);
    return ITEE_OK;
}

static enum itee_err h_sub(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)params;
    struct app *a = ctx;
    char id[RPC_SUB_ID_LEN + 1];
    enum itee_err r = rpc_call_sub_accept(call, NULL, id);
    if (r != ITEE_OK)
        return r == ITEE_ERR_SPACE ? ITEE_OK : r;
    return rpc_server_notify(a->rpc, id, json_pack("{s:i}", "number", (int)a->head));
}

static void notify_one(void *ctx, const char *id, void *data)
{
    (void)data;
    struct app *a = ctx;
    if (rpc_server_notify(a->rpc, id, json_pack("{s:i}", "number", (int)a->head)) != ITEE_OK) {
        /* failure is a legitimate outcome here */
    }
}

static void on_head(uv_timer_t *t)
{
    struct app *a = t->data;
    a->head++;
    rpc_server_sub_foreach(a->rpc, "chain_newHead", notify_one, a);
}

static void on_signal(uv_signal_t *s, int signum)
{
    (void)signum;
    struct app *a = s->data;
    net_server_stop(a->net);
    uv_close((uv_handle_t *)&a->heads, NULL);
    uv_close((uv_handle_t *)&a->sigterm, NULL);
    uv_close((uv_handle_t *)&a->sigint, NULL);
}

int main(int argc, char **argv)
{
    struct app a = {.loop = uv_default_loop()};
    long port = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
    if (port < 0 || port > 65535 || rpc_server_new(&a.rpc, NULL) != ITEE_OK ||
        rpc_register(a.rpc, "echo", h_echo, &a) != ITEE_OK ||
        rpc_register(a.rpc, "later", h_later, &a) != ITEE_OK ||
        rpc_register(a.rpc, "system_health", h_health, &a) != ITEE_OK ||
        rpc_register_sub(a.rpc, "chain_subscribeNewHeads", "chain_newHead",
                         "chain_unsubscribeNewHeads", h_sub, &a, NULL, NULL) != ITEE_OK) {
        fprintf(stderr, "rpc_echo_server: setup failed\n");
        return 1;
    }
    struct net_server_config cfg = {.host = "127.0.0.1", .port = (uint16_t)port};
    if (net_server_start(&a.net, a.loop, &cfg, a.rpc) != ITEE_OK) {
        fprintf(stderr, "rpc_echo_server: cannot listen on port %ld\n", port);
        return 1;
    }
    printf("%u\n", net_server_port(a.net));
    fflush(stdout);
    uv_timer_init(a.loop, &a.heads);
    a.heads.data = &a;
    uv_timer_start(&a.heads, on_head, 100, 100);
    uv_signal_init(a.loop, &a.sigterm);
    a.sigterm.data = &a;
    uv_signal_start(&a.sigterm, on_signal, SIGTERM);
    uv_signal_init(a.loop, &a.sigint);
    a.sigint.data = &a;
    uv_signal_start(&a.sigint, on_signal, SIGINT);
    uv_run(a.loop, UV_RUN_DEFAULT);
    rpc_server_free(a.rpc);
    return uv_loop_close(a.loop) == 0 ? 0 : 1;
}
