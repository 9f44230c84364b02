/*
 * fuzz_jsonrpc_request.c - the JSON-RPC engine on arbitrary request text: every answer it
 * sends must be valid JSON, and deferred calls are answered after the connection is gone.
 */
#include <stdint.h>
#include <stdlib.h>

#include "proto/rpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum itee_err check_send(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    json_t *v = json_loadb(text, len, 0, NULL);
    if (v == NULL)
        abort();
    json_decref(v);
    return ITEE_OK;
}

static enum itee_err h_echo(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)ctx;
    return rpc_call_reply(call, json_incref(params));
}

static enum itee_err h_sub(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)params;
    char id[RPC_SUB_ID_LEN + 1];
    enum itee_err r = rpc_call_sub_accept(call, NULL, id);
    return r == ITEE_OK ? rpc_server_notify(ctx, id, json_true()) : r;
}

static enum itee_err h_later(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)params;
    return rpc_call_defer(call, ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rpc_server *srv; /* kept for the process lifetime */
    static uint64_t token;         /* last deferred call */
    struct rpc_limits lim = {.max_request = 1 << 16, .max_depth = 32, .max_subs = 4};
    if (srv == NULL &&
        (rpc_server_new(&srv, &lim) != ITEE_OK || rpc_register(srv, "echo", h_echo, NULL) ||
         rpc_register(srv, "later", h_later, &token) ||
         rpc_register_sub(srv, "sub", "notif", "unsub", h_sub, srv, NULL, NULL)))
        abort();
    struct rpc_conn *c;
    if (rpc_conn_new(&c, srv, check_send, NULL, size % 2 == 0) != ITEE_OK)
        abort();
    if (rpc_conn_handle(c, (const char *)data, size) != ITEE_OK) {
        /* only allocation failures are errors; protocol errors are answers */
    }
    uint64_t last = token;
    /* answer the last deferred call now, or leave it for the connection to drop */
    if (size % 3 == 0 && last != 0 && rpc_server_reply(srv, last, json_null()) != ITEE_OK)
        abort();
    rpc_conn_free(c);
    /* either way the token is gone now */
    if (last != 0 && rpc_server_reply(srv, last, json_null()) != ITEE_ERR_NOENT)
        abort();
    token = 0;
    return 0;
}
