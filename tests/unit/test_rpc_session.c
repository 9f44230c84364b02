/*
 * test_rpc_session.c - HTTP parsing and one stream end to end without sockets: JSON-RPC over
 * HTTP POST (pieces, pipelining, deferred answers, keep-alive and close), /health, CORS
 * preflight, 4xx on garbage, limits; then the WebSocket upgrade carrying calls and
 * subscriptions, and bad handshakes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/bytes.h"
#include "proto/http.h"
#include "proto/rpc.h"
#include "proto/rpc_session.h"

struct app {
    struct rpc_server *srv;       /* server */
    char sub[RPC_SUB_ID_LEN + 1]; /* last subscription */
    uint64_t token;               /* last deferred call */
    int wakes;                    /* wake callbacks */
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

static enum itee_err h_later(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)params;
    struct app *a = ctx;
    return rpc_call_defer(call, &a->token);
}

static enum itee_err h_sub(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)params;
    struct app *a = ctx;
    enum itee_err r = rpc_call_sub_accept(call, NULL, a->sub);
    if (r != ITEE_OK)
        return r;
    return rpc_server_notify(a->srv, a->sub, json_string("head0"));
}

static void wake(void *ctx)
{
    struct app *a = ctx;
    a->wakes++;
}

static void app_init(struct app *a, size_t max_request)
{
    memset(a, 0, sizeof(*a));
    struct rpc_limits lim = {.max_request = max_request};
    assert_int_equal(rpc_server_new(&a->srv, &lim), ITEE_OK);
    assert_int_equal(rpc_register(a->srv, "echo", h_echo, a), ITEE_OK);
    assert_int_equal(rpc_register(a->srv, "system_health", h_health, a), ITEE_OK);
    assert_int_equal(rpc_register(a->srv, "later", h_later, a), ITEE_OK);
    assert_int_equal(rpc_register_sub(a->srv, "chain_subscribeNewHeads", "chain_newHead",
                                      "chain_unsubscribeNewHeads", h_sub, a, NULL, NULL),
                     ITEE_OK);
}

/* Feeds a C string. */
static void feed(struct rpc_session *s, const char *text)
{
    assert_int_equal(rpc_session_feed(s, (const uint8_t *)text, strlen(text)), ITEE_OK);
}

/* Takes the session output as a NUL-terminated string (static storage). */
static const char *take(struct rpc_session *s)
{
    static char text[65536];
    struct itee_buf *out = rpc_session_output(s);
    assert_true(out->len < sizeof(text));
    if (out->len > 0)
        memcpy(text, out->ptr, out->len);
    text[out->len] = '\0';
    itee_buf_reset(out);
    return text;
}

static const char *post(char *buf, size_t cap, const char *body, const char *extra)
{
    int n = snprintf(buf, cap,
                     "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                     "%sContent-Length: %zu\r\n\r\n%s",
                     extra, strlen(body), body);
    assert_true(n > 0 && (size_t)n < cap);
    return buf;
}

static void test_http_post(void **state)
{
    (void)state;
    struct app a;
    app_init(&a, 0);
    struct rpc_session *s;
    assert_int_equal(rpc_session_new(&s, a.srv, 0, wake, &a), ITEE_OK);
    char req[1024];
    post(req, sizeof(req), "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[7]}", "");
    /* in two pieces, cut inside a header name */
    char first[30];
    memcpy(first, req, 29);
    first[29] = '\0';
    feed(s, first);
    assert_string_equal(take(s), "");
    feed(s, req + 29);
    const char *out = take(s);
    assert_non_null(strstr(out, "HTTP/1.1 200 OK\r\n"));
    assert_non_null(strstr(out, "Access-Control-Allow-Origin: *\r\n"));
    assert_non_null(strstr(out, "Connection: keep-alive\r\n"));
    assert_non_null(strstr(out, "\r\n\r\n{\"jsonrpc\":\"2.0\",\"result\":[7],\"id\":1}"));
    /* pipelined: a deferred call, then an echo; answers in order once the first is done */
    char two[2048], r2[1024];
    post(two, sizeof(two), "{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"later\"}", "");
    post(r2, sizeof(r2), "{\"id\":3,\"jsonrpc\":\"2.0\",\"method\":\"echo\"}", "");
    size_t l1 = strlen(two), l2 = strlen(r2);
    assert_true(l1 + l2 < sizeof(two));
    memcpy(two + l1, r2, l2 + 1);
    feed(s, two);
    assert_string_equal(take(s), "");
    assert_int_equal(rpc_server_reply(a.srv, a.token, json_string("late")), ITEE_OK);
    assert_int_equal(a.wakes, 1);
    assert_int_equal(rpc_session_poll(s), ITEE_OK);
    out = take(s);
    const char *p2 = strstr(out, "{\"jsonrpc\":\"2.0\",\"result\":\"late\",\"id\":2}");
    const char *p3 = strstr(out, "{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":3}");
    assert_non_null(p2);
    assert_non_null(p3);
    assert_true(p2 < p3);
    /* notification only: 200 with an empty body */
    feed(s, post(req, sizeof(req), "{\"jsonrpc\":\"2.0\",\"method\":\"echo\"}", ""));
    out = take(s);
    assert_non_null(strstr(out, "HTTP/1.1 200 OK\r\n"));
    assert_non_null(strstr(out, "Content-Length: 0\r\n"));
    /* subscriptions are not available over HTTP */
    feed(s, post(req, sizeof(req),
                 "{\"id\":4,\"jsonrpc\":\"2.0\",\"method\":\"chain_subscribeNewHeads\"}", ""));
    assert_non_null(strstr(take(s), "\"code\":-32603"));
    /* wrong content type: 415 */
    feed(s, "POST / HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}");
    assert_non_null(strstr(take(s), "HTTP/1.1 415 Unsupported Media Type\r\n"));
    /* health, preflight, GET elsewhere */
    feed(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    out = take(s);
    assert_non_null(strstr(out, "HTTP/1.1 200 OK\r\n"));
    assert_non_null(
        strstr(out, "\r\n\r\n{\"peers\":0,\"isSyncing\":false,\"shouldHavePeers\":false}"));
    feed(s,
         "OPTIONS / HTTP/1.1\r\nOrigin: http://a\r\nAccess-Control-Request-Method: POST\r\n\r\n");
    out = take(s);
    assert_non_null(strstr(out, "HTTP/1.1 204 No Content\r\n"));
    assert_non_null(strstr(out, "Access-Control-Allow-Headers: content-type\r\n"));
    feed(s, "GET / HTTP/1.1\r\n\r\n");
    assert_non_null(strstr(take(s), "HTTP/1.1 405 Method Not Allowed\r\n"));
    assert_false(rpc_session_done(s));
    /* Connection: close ends the stream after the answer */
    feed(s, post(req, sizeof(req), "{\"id\":5,\"jsonrpc\":\"2.0\",\"method\":\"echo\"}",
                 "Connection: close\r\n"));
    out = take(s);
    assert_non_null(strstr(out, "Connection: close\r\n"));
    assert_true(rpc_session_done(s));
    rpc_session_free(s);
    rpc_server_free(a.srv);
}

/* Feeds input to a fresh session; returns its first output line's status code. */
static int status_of(struct app *a, const char *input, size_t len)
{
    struct rpc_session *s;
    assert_int_equal(rpc_session_new(&s, a->srv, 0, wake, a), ITEE_OK);
    assert_int_equal(rpc_session_feed(s, (const uint8_t *)input, len), ITEE_OK);
    const char *out = take(s);
    int code = 0;
    if (strncmp(out, "HTTP/1.1 ", 9) == 0)
        code = (out[9] - '0') * 100 + (out[10] - '0') * 10 + (out[11] - '0');
    if (code >= 400)
        assert_true(rpc_session_done(s));
    rpc_session_free(s);
    return code;
}

static void test_http_hostile(void **state)
{
    (void)state;
    struct app a;
    app_init(&a, 1000);
    const char *g = "HELLO WORLD\r\n\r\n";
    assert_int_equal(status_of(&a, g, strlen(g)), 400);
    g = "GET / HTTP/1.1\r\nBad Header\r\n\r\n";
    assert_int_equal(status_of(&a, g, strlen(g)), 400);
    g = "\x00\x01\x02\x03";
    assert_int_equal(status_of(&a, g, 4), 400);
    /* declared body over the limit: refused before it arrives */
    g = "POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n";
    assert_int_equal(status_of(&a, g, strlen(g)), 413);
    /* chunked body over the limit */
    static char big[4096];
    int n = snprintf(big, sizeof(big),
                     "POST / HTTP/1.1\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n7d0\r\n");
    memset(big + n, 'a', 2000);
    assert_int_equal(status_of(&a, big, (size_t)n + 2000), 413);
    /* a request target that is too long */
    memset(big, 'a', sizeof(big));
    memcpy(big, "GET /", 5);
    assert_int_equal(status_of(&a, big, 600), 414);
    /* headers too large for http-parser (80 KiB) */
    static char hdr[100000];
    n = snprintf(hdr, sizeof(hdr), "GET / HTTP/1.1\r\nX: ");
    memset(hdr + n, 'b', sizeof(hdr) - (size_t)n);
    int st = status_of(&a, hdr, sizeof(hdr));
    assert_true(st == 431 || st == 413);
    /* bad WebSocket handshakes */
    g = "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n";
    assert_int_equal(status_of(&a, g, strlen(g)), 400);
    g = "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n";
    assert_int_equal(status_of(&a, g, strlen(g)), 400);
    g = "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n";
    assert_int_equal(status_of(&a, g, strlen(g)), 400);
    rpc_server_free(a.srv);
}

/* A masked client text frame. */
static size_t ws_frame(uint8_t *out, const char *text)
{
    size_t n = strlen(text), o = 0;
    out[o++] = 0x81;
    if (n < 126) {
        out[o++] = (uint8_t)(0x80 | n);
    } else {
        out[o++] = 0x80 | 126;
        out[o++] = (uint8_t)(n >> 8);
        out[o++] = (uint8_t)n;
    }
    static const uint8_t key[4] = {9, 8, 7, 6};
    memcpy(out + o, key, 4);
    o += 4;
    for (size_t i = 0; i < n; i++)
        out[o + i] = (uint8_t)text[i] ^ key[i % 4];
    return o + n;
}

/* Reads the text of the server frame at *p (unmasked, < 64 KiB). */
static const char *ws_text(const uint8_t **p)
{
    static char text[4096];
    const uint8_t *b = *p;
    assert_int_equal(b[0], 0x81);
    size_t n = b[1], h = 2;
    if (n == 126) {
        n = ((size_t)b[2] << 8) | b[3];
        h = 4;
    }
    assert_true(n < sizeof(text));
    memcpy(text, b + h, n);
    text[n] = '\0';
    *p = b + h + n;
    return text;
}

static void test_ws_session(void **state)
{
    (void)state;
    struct app a;
    app_init(&a, 0);
    struct rpc_session *s;
    assert_int_equal(rpc_session_new(&s, a.srv, 0, wake, &a), ITEE_OK);
    /* handshake and the first frame in one read */
    uint8_t in[4096];
    const char *hs = "GET / HTTP/1.1\r\nHost: localhost:9944\r\nUpgrade: websocket\r\n"
                     "Connection: keep-alive, Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n";
    size_t n = strlen(hs);
    memcpy(in, hs, n);
    n += ws_frame(in + n, "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1]}");
    assert_int_equal(rpc_session_feed(s, in, n), ITEE_OK);
    assert_true(rpc_session_is_ws(s));
    struct itee_buf *out = rpc_session_output(s);
    const char *txt = (const char *)out->ptr;
    const char *want = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                       "Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    assert_true(out->len > strlen(want));
    assert_memory_equal(txt, want, strlen(want));
    const uint8_t *p = out->ptr + strlen(want);
    assert_string_equal(ws_text(&p), "{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":1}");
    assert_ptr_equal(p, out->ptr + out->len);
    itee_buf_reset(out);
    /* a subscription: the id, then the current value, then later values via wake */
    n = ws_frame(in, "{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"chain_subscribeNewHeads\"}");
    assert_int_equal(rpc_session_feed(s, in, n), ITEE_OK);
    p = out->ptr;
    char want2[256];
    snprintf(want2, sizeof(want2), "{\"jsonrpc\":\"2.0\",\"result\":\"%s\",\"id\":2}", a.sub);
    assert_string_equal(ws_text(&p), want2);
    snprintf(want2, sizeof(want2),
             "{\"jsonrpc\":\"2.0\",\"method\":\"chain_newHead\",\"params\":{\"subscription\":"
             "\"%s\",\"result\":\"head0\"}}",
             a.sub);
    assert_string_equal(ws_text(&p), want2);
    itee_buf_reset(out);
    int wakes = a.wakes;
    assert_int_equal(rpc_server_notify(a.srv, a.sub, json_string("head1")), ITEE_OK);
    assert_int_equal(a.wakes, wakes + 1);
    p = out->ptr;
    assert_non_null(strstr(ws_text(&p), "head1"));
    itee_buf_reset(out);
    /* garbage JSON over WebSocket: a JSON-RPC error, the connection stays */
    n = ws_frame(in, "{\"id\":");
    assert_int_equal(rpc_session_feed(s, in, n), ITEE_OK);
    p = out->ptr;
    assert_non_null(strstr(ws_text(&p), "-32700"));
    itee_buf_reset(out);
    assert_false(rpc_session_done(s));
    /* closing: the close is answered and the stream is done */
    static const uint8_t close_frame[] = {0x88, 0x82, 1, 2, 3, 4, 0x03 ^ 1, 0xe8 ^ 2};
    assert_int_equal(rpc_session_feed(s, close_frame, sizeof(close_frame)), ITEE_OK);
    assert_true(out->len >= 2);
    assert_int_equal(out->ptr[0], 0x88);
    assert_true(rpc_session_done(s));
    rpc_session_free(s);
    /* the subscription ended with the stream */
    assert_int_equal(rpc_server_notify(a.srv, a.sub, json_null()), ITEE_ERR_NOENT);
    rpc_server_free(a.srv);
}

static void test_http_parser_direct(void **state)
{
    (void)state;
    struct http_conn *h;
    assert_int_equal(http_conn_new(&h, 100), ITEE_OK);
    const char *r = "POST /x HTTP/1.0\r\nContent-Type: Application/JSON; charset=utf-8\r\n"
                    "Content-Length: 2\r\n\r\n[]GET";
    size_t used;
    enum http_event ev;
    int st;
    assert_int_equal(http_conn_feed(h, (const uint8_t *)r, strlen(r), &used, &ev, &st), ITEE_OK);
    assert_int_equal(ev, HTTP_EV_REQUEST);
    assert_int_equal(used, strlen(r) - 3);
    const struct http_request *q = http_conn_request(h);
    assert_int_equal(q->verb, HTTP_VERB_POST);
    assert_string_equal(q->path, "/x");
    assert_true(q->json);
    assert_false(q->keep_alive); /* HTTP/1.0 without keep-alive */
    assert_int_equal(q->body.len, 2);
    http_conn_next(h);
    assert_int_equal(http_conn_feed(h, (const uint8_t *)"GET", 3, &used, &ev, &st), ITEE_OK);
    assert_int_equal(ev, HTTP_EV_MORE);
    http_conn_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_parser_direct),
        cmocka_unit_test(test_http_post),
        cmocka_unit_test(test_http_hostile),
        cmocka_unit_test(test_ws_session),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
