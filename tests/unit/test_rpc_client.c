/*
 * test_rpc_client.c - the blocking JSON-RPC client against the real libuv server (src/net) in a
 * thread: calls, remote errors, subscriptions whose notifications arrive while a call waits,
 * deadlines (a peer that accepts TCP but never answers), refused connections, a server that goes
 * away, and URL parsing; plus the client handshake checker on hostile responses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/rpc_client.h"
#include "net/server.h"
#include "proto/rpc.h"
#include "proto/ws.h"

struct fixture {
    uv_loop_t loop;
    uv_timer_t timer;
    uv_async_t stop;
    struct rpc_server *rpc;
    struct net_server *net;
    uint16_t port;
    pthread_t thread;
    int head;
};

static enum itee_err h_echo(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)ctx;
    return rpc_call_reply(call, json_incref(params));
}

static enum itee_err h_sub(void *ctx, struct rpc_call *call, json_t *params)
{
    (void)params;
    struct fixture *f = ctx;
    char id[RPC_SUB_ID_LEN + 1];
    enum itee_err r = rpc_call_sub_accept(call, NULL, id);
    if (r != ITEE_OK)
        return r;
    return rpc_server_notify(f->rpc, id, json_integer(f->head));
}

static void notify_one(void *ctx, const char *id, void *data)
{
    (void)data;
    struct fixture *f = ctx;
    (void)rpc_server_notify(f->rpc, id, json_integer(f->head));
}

static void on_timer(uv_timer_t *t)
{
    struct fixture *f = t->data;
    f->head++;
    rpc_server_sub_foreach(f->rpc, "chain_newHead", notify_one, f);
}

static void on_stop(uv_async_t *a)
{
    struct fixture *f = a->data;
    net_server_stop(f->net);
    uv_close((uv_handle_t *)&f->timer, NULL);
    uv_close((uv_handle_t *)&f->stop, NULL);
}

static void *loop_thread(void *arg)
{
    struct fixture *f = arg;
    uv_run(&f->loop, UV_RUN_DEFAULT);
    return NULL;
}

static void fixture_start(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    assert_int_equal(uv_loop_init(&f->loop), 0);
    assert_int_equal(rpc_server_new(&f->rpc, NULL), ITEE_OK);
    assert_int_equal(rpc_register(f->rpc, "echo", h_echo, f), ITEE_OK);
    assert_int_equal(rpc_register_sub(f->rpc, "chain_subscribeNewHeads", "chain_newHead",
                                      "chain_unsubscribeNewHeads", h_sub, f, NULL, NULL),
                     ITEE_OK);
    struct net_server_config cfg = {.host = "127.0.0.1"};
    assert_int_equal(net_server_start(&f->net, &f->loop, &cfg, f->rpc), ITEE_OK);
    f->port = net_server_port(f->net);
    assert_int_equal(uv_timer_init(&f->loop, &f->timer), 0);
    f->timer.data = f;
    assert_int_equal(uv_timer_start(&f->timer, on_timer, 10, 10), 0);
    assert_int_equal(uv_async_init(&f->loop, &f->stop, on_stop), 0);
    f->stop.data = f;
    assert_int_equal(pthread_create(&f->thread, NULL, loop_thread, f), 0);
}

static void fixture_stop(struct fixture *f)
{
    assert_int_equal(uv_async_send(&f->stop), 0);
    assert_int_equal(pthread_join(f->thread, NULL), 0);
    assert_int_equal(uv_loop_close(&f->loop), 0);
    rpc_server_free(f->rpc);
}

static void url_of(char *buf, size_t cap, uint16_t port)
{
    (void)snprintf(buf, cap, "ws://127.0.0.1:%u", (unsigned)port);
}

static void test_calls_and_errors(void **state)
{
    (void)state;
    struct fixture f;
    fixture_start(&f);
    char url[64];
    url_of(url, sizeof(url), f.port);
    struct rpc_client *c = NULL;
    assert_int_equal(rpc_client_connect(&c, url, 5000), ITEE_OK);
    json_t *res = NULL;
    assert_int_equal(rpc_client_call_text(c, "echo", "[1,\"two\",{\"x\":3}]", &res), ITEE_OK);
    char *text = json_dumps(res, JSON_COMPACT);
    assert_string_equal(text, "[1,\"two\",{\"x\":3}]");
    free(text);
    json_decref(res);
    /* no params means [] */
    assert_int_equal(rpc_client_call(c, "echo", NULL, &res), ITEE_OK);
    assert_true(json_is_array(res) && json_array_size(res) == 0);
    json_decref(res);
    /* a remote error carries its code and message */
    assert_int_equal(rpc_client_call(c, "no_such_method", NULL, &res), ITEE_ERR_RPC_REMOTE);
    assert_null(res);
    const char *msg = NULL;
    assert_int_equal(rpc_client_last_error(c, &msg), -32601);
    assert_true(strlen(msg) > 0);
    /* params that are not an array are refused before sending */
    assert_int_equal(rpc_client_call_text(c, "echo", "{\"a\":1}", &res), ITEE_ERR_ARG);
    assert_int_equal(rpc_client_call_text(c, "echo", "[1,", &res), ITEE_ERR_ARG);
    /* a large message both ways */
    size_t big = 3u * 1024 * 1024;
    char *s = malloc(big + 1);
    assert_non_null(s);
    memset(s, 'a', big);
    s[big] = '\0';
    json_t *params = json_pack("[s]", s);
    free(s);
    assert_int_equal(rpc_client_call(c, "echo", params, &res), ITEE_OK);
    assert_int_equal(strlen(json_string_value(json_array_get(res, 0))), big);
    json_decref(res);
    json_decref(params);
    rpc_client_free(c);
    fixture_stop(&f);
}

static void test_subscription(void **state)
{
    (void)state;
    struct fixture f;
    fixture_start(&f);
    char url[64];
    url_of(url, sizeof(url), f.port);
    struct rpc_client *c = NULL;
    assert_int_equal(rpc_client_connect(&c, url, 5000), ITEE_OK);
    json_t *sub = NULL;
    assert_int_equal(rpc_client_call(c, "chain_subscribeNewHeads", NULL, &sub), ITEE_OK);
    assert_true(json_is_string(sub));
    /* calls in between: notifications that arrive meanwhile are queued, not lost */
    for (int i = 0; i < 5; i++) {
        json_t *res = NULL;
        assert_int_equal(rpc_client_call_text(c, "echo", "[0]", &res), ITEE_OK);
        json_decref(res);
        nanosleep(&(struct timespec){.tv_nsec = 5000000}, NULL);
    }
    long last = -1;
    for (int i = 0; i < 8; i++) {
        json_t *n = NULL;
        assert_int_equal(rpc_client_next_notification(c, 2000, &n), ITEE_OK);
        json_t *p = json_object_get(n, "params");
        assert_string_equal(json_string_value(json_object_get(p, "subscription")),
                            json_string_value(sub));
        long v = (long)json_integer_value(json_object_get(p, "result"));
        assert_true(v > last); /* in order, none twice */
        last = v;
        json_decref(n);
    }
    assert_int_equal(rpc_client_dropped(c), 0);
    json_decref(sub);
    rpc_client_free(c);
    fixture_stop(&f);
}

static void test_server_goes_away(void **state)
{
    (void)state;
    struct fixture f;
    fixture_start(&f);
    char url[64];
    url_of(url, sizeof(url), f.port);
    struct rpc_client *c = NULL;
    assert_int_equal(rpc_client_connect(&c, url, 5000), ITEE_OK);
    fixture_stop(&f);
    json_t *res = NULL;
    enum itee_err r = rpc_client_call(c, "echo", NULL, &res);
    assert_true(r == ITEE_ERR_CONN);
    assert_int_equal(rpc_client_next_notification(c, 100, &res), ITEE_ERR_CONN);
    rpc_client_free(c);
    /* nothing listens there any more */
    assert_int_equal(rpc_client_connect(&c, url, 2000), ITEE_ERR_CONN);
    assert_null(c);
}

static void test_deadline(void **state)
{
    (void)state;
    /* a listener that never accepts nor answers: the handshake must time out */
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(lfd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(lfd, 4), 0);
    socklen_t len = sizeof(a);
    assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
    char url[64];
    url_of(url, sizeof(url), ntohs(a.sin_port));
    struct rpc_client *c = NULL;
    assert_int_equal(rpc_client_connect(&c, url, 300), ITEE_ERR_TIMEOUT);
    assert_null(c);
    close(lfd);
}

static void test_url(void **state)
{
    (void)state;
    struct rpc_client_url u;
    assert_int_equal(rpc_client_parse_url("ws://127.0.0.1:9944", &u), ITEE_OK);
    assert_string_equal(u.host, "127.0.0.1");
    assert_int_equal(u.port, 9944);
    assert_string_equal(u.path, "/");
    assert_int_equal(u.tls, 0);
    assert_int_equal(rpc_client_parse_url("wss://node.example:443/rpc/x", &u), ITEE_OK);
    assert_string_equal(u.host, "node.example");
    assert_string_equal(u.path, "/rpc/x");
    assert_int_equal(u.tls, 1);
    assert_int_equal(rpc_client_parse_url("ws://[::1]:2000", &u), ITEE_OK);
    assert_string_equal(u.host, "::1");
    assert_int_equal(u.port, 2000);
    assert_int_equal(rpc_client_parse_url("ws://localhost", &u), ITEE_OK);
    assert_int_equal(u.port, 80);
    const char *bad[] = {"http://127.0.0.1:1", "ws://",      "ws://:80",       "ws://h:0",
                         "ws://h:65536",       "ws://h:12a", "ws://[::1",      "ws://[::1]x",
                         "ws://a b:1",         "ws://u@h:1", "127.0.0.1:9944", ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(rpc_client_parse_url(bad[i], &u), ITEE_ERR_URL);
    struct rpc_client *c = NULL;
    assert_int_equal(rpc_client_connect(&c, "wss://127.0.0.1:1", 100), ITEE_ERR_UNSUPPORTED);
}

static void test_handshake_response(void **state)
{
    (void)state;
    struct itee_buf req;
    itee_buf_init(&req, 4096);
    char key[WS_CLIENT_KEY_LEN + 1];
    assert_int_equal(ws_client_request(&req, "h:1", "/", key), ITEE_OK);
    assert_true(ws_key_valid(key, strlen(key)));
    char accept[WS_ACCEPT_LEN + 1];
    assert_int_equal(ws_accept_key(key, strlen(key), accept), ITEE_OK);
    char good[512];
    int n = snprintf(good, sizeof(good),
                     "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\n"
                     "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\nXY",
                     accept);
    size_t used = 0;
    assert_int_equal(ws_client_response_check((const uint8_t *)good, (size_t)n, key, &used),
                     ITEE_OK);
    assert_int_equal(used, (size_t)n - 2);
    /* incomplete: every proper prefix asks for more */
    for (size_t i = 0; i < (size_t)n - 2; i++) {
        assert_int_equal(ws_client_response_check((const uint8_t *)good, i, key, &used), ITEE_OK);
        assert_int_equal(used, 0);
    }
    /* refused or wrong */
    char bad[512];
    snprintf(bad, sizeof(bad),
             "HTTP/1.1 200 OK\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
             "Sec-WebSocket-Accept: %s\r\n\r\n",
             accept);
    assert_int_equal(ws_client_response_check((const uint8_t *)bad, strlen(bad), key, &used),
                     ITEE_ERR_PARSE);
    snprintf(bad, sizeof(bad),
             "HTTP/1.1 101 X\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
             "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n");
    assert_int_equal(ws_client_response_check((const uint8_t *)bad, strlen(bad), key, &used),
                     ITEE_ERR_PARSE);
    snprintf(bad, sizeof(bad),
             "HTTP/1.1 101 X\r\nConnection: upgrade\r\n"
             "Sec-WebSocket-Accept: %s\r\n\r\n",
             accept);
    assert_int_equal(ws_client_response_check((const uint8_t *)bad, strlen(bad), key, &used),
                     ITEE_ERR_PARSE);
    /* an endless header block is cut off */
    uint8_t *flood = malloc(WS_MAX_RESPONSE + 10);
    assert_non_null(flood);
    memset(flood, 'a', WS_MAX_RESPONSE + 10);
    assert_int_equal(ws_client_response_check(flood, WS_MAX_RESPONSE + 10, key, &used),
                     ITEE_ERR_PARSE);
    free(flood);
    /* header injection through host or path is refused */
    assert_int_equal(ws_client_request(&req, "h\r\nX: y", "/", key), ITEE_ERR_ARG);
    assert_int_equal(ws_client_request(&req, "h", "/a b", key), ITEE_ERR_ARG);
    assert_int_equal(ws_client_request(&req, "h", "nopath", key), ITEE_ERR_ARG);
    itee_buf_free(&req);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calls_and_errors),
        cmocka_unit_test(test_subscription),
        cmocka_unit_test(test_server_goes_away),
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_url),
        cmocka_unit_test(test_handshake_response),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
