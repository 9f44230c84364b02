/*
 * fuzz_ws_frame.c - WebSocket frames from a hostile client: arbitrary bytes after a valid
 * handshake, through the whole session (frames -> JSON-RPC -> frames), and straight into the
 * frame engine split at an input-chosen point. Text messages must reach JSON-RPC as UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "proto/rpc_session.h"
#include "proto/ws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum itee_err on_msg(void *ctx, const uint8_t *p, size_t len, bool text)
{
    (void)ctx;
    if (text && !itee_utf8_valid(p, len))
        abort();
    return ITEE_OK;
}

static enum itee_err h_echo(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)ctx;
    return rpc_call_reply(call, json_incref(params));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rpc_server *srv; /* kept for the process lifetime */
    static const char hs[] = "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\n";
    struct rpc_limits lim = {.max_request = 1 << 16};
    if (srv == NULL && (rpc_server_new(&srv, &lim) != ITEE_OK ||
                        rpc_register(srv, "echo", h_echo, NULL) != ITEE_OK))
        abort();
    struct rpc_session *s;
    if (rpc_session_new(&s, srv, 1 << 20, NULL, NULL) != ITEE_OK)
        abort();
    if (rpc_session_feed(s, (const uint8_t *)hs, sizeof(hs) - 1) != ITEE_OK ||
        !rpc_session_is_ws(s))
        abort();
    if (rpc_session_feed(s, data, size) != ITEE_OK) {
        /* failure is a legitimate outcome here */
    }
    rpc_session_free(s);

    struct ws_conn *ws;
    if (ws_conn_new(&ws, 4096, on_msg, NULL) != ITEE_OK)
        abort();
    size_t cut = size > 0 ? data[0] % (size + 1) : 0;
    if (ws_conn_feed(ws, data, cut) != ITEE_OK) {
        /* failure is a legitimate outcome here */
    }
    if (ws_conn_feed(ws, data + cut, size - cut) != ITEE_OK) {
        /* failure is a legitimate outcome here */
    }
    struct itee_buf out;
    itee_buf_init(&out, 1 << 20);
    if (ws_conn_flush(ws, &out) != ITEE_OK) {
        /* failure is a legitimate outcome here */
    }
    itee_buf_free(&out);
    ws_conn_free(ws);
    return 0;
}
