/*
 * test_rpc_server.c - the libuv server end to end over real sockets: a server on 127.0.0.1
 * with an ephemeral port runs its loop in a thread, a timer there plays block production
 * (notifying subscribers), and plain blocking sockets play the clients: HTTP POST, WebSocket
 * handshake, calls, a subscription with timer-driven notifications, unsubscribe, garbage,
 * the connection limit and a slow consumer being dropped; then a clean stop.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "net/server.h"
#include "proto/rpc.h"

struct fixture {
    uv_loop_t loop;         /* the server's loop, run by the thread */
    uv_timer_t timer;       /* "block production" */
    uv_async_t stop;        /* asks the loop thread to stop the server */
    struct rpc_server *rpc; /* methods */
    struct net_server *net; /* TCP server */
    uint16_t port;          /* bound port */
    pthread_t thread;       /* loop thread */
    int head;               /* block number notified last */
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
    if (rpc_server_notify(f->rpc, id, json_integer(f->head)) != ITEE_OK) {
        /* failure is a legitimate outcome here */
    }
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

static void fixture_start(struct fixture *f, size_t max_conns, size_t max_out, uint64_t idle_ms)
{
    memset(f, 0, sizeof(*f));
    assert_int_equal(uv_loop_init(&f->loop), 0);
    assert_int_equal(rpc_server_new(&f->rpc, NULL), ITEE_OK);
    assert_int_equal(rpc_register(f->rpc, "echo", h_echo, f), ITEE_OK);
    assert_int_equal(rpc_register_sub(f->rpc, "chain_subscribeNewHeads", "chain_newHead",
                                      "chain_unsubscribeNewHeads", h_sub, f, NULL, NULL),
                     ITEE_OK);
    struct net_server_config cfg = {.host = "127.0.0.1",
                                    .port = 0,
                                    .max_conns = max_conns,
                                    .max_out = max_out,
                                    .idle_ms = idle_ms};
    assert_int_equal(net_server_start(&f->net, &f->loop, &cfg, f->rpc), ITEE_OK);
    f->port = net_server_port(f->net);
    assert_true(f->port != 0);
    assert_ptr_equal(net_server_loop(f->net), &f->loop);
    /* a second server on the same port fails cleanly */
    struct net_server *dup = NULL;
    cfg.port = f->port;
    assert_int_equal(net_server_start(&dup, &f->loop, &cfg, f->rpc), ITEE_ERR_IO);
    cfg.host = "not-an-ip";
    assert_int_equal(net_server_start(&dup, &f->loop, &cfg, f->rpc), ITEE_ERR_ARG);
    assert_int_equal(uv_timer_init(&f->loop, &f->timer), 0);
    f->timer.data = f;
    assert_int_equal(uv_timer_start(&f->timer, on_timer, 20, 20), 0);
    assert_int_equal(uv_async_init(&f->loop, &f->stop, on_stop), 0);
    f->stop.data = f;
    assert_int_equal(pthread_create(&f->thread, NULL, loop_thread, f), 0);
}

static void fixture_stop(struct fixture *f)
{
    assert_int_equal(uv_async_send(&f->stop), 0);
    assert_int_equal(pthread_join(f->thread, NULL), 0);
    assert_int_equal(uv_loop_close(&f->loop), 0); /* every handle closed, memory released */
    rpc_server_free(f->rpc);
}

static int connect_to(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct timeval tv = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    return fd;
}

static void send_all(int fd, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n > 0) {
        ssize_t k = send(fd, b, n, MSG_NOSIGNAL);
        assert_true(k > 0);
        b += k;
        n -= (size_t)k;
    }
}

static void recv_exact(int fd, void *p, size_t n)
{
    uint8_t *b = p;
    while (n > 0) {
        ssize_t k = recv(fd, b, n, 0);
        assert_true(k > 0);
        b += k;
        n -= (size_t)k;
    }
}

/* Reads an HTTP response head (up to the blank line) into buf. */
static void recv_head(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    while (n < 4 || memcmp(buf + n - 4, "\r\n\r\n", 4) != 0) {
        assert_true(n + 1 < cap);
        recv_exact(fd, buf + n, 1);
        n++;
    }
    buf[n] = '\0';
}

/* Returns: true if the peer closes (EOF or reset) within the receive timeout. */
static bool closed_by_peer(int fd)
{
    char c[4096];
    for (;;) {
        ssize_t k = recv(fd, c, sizeof(c), 0);
        if (k == 0 || (k < 0 && errno == ECONNRESET))
            return true;
        if (k < 0)
            return false;
    }
}

static void ws_send_text(int fd, const char *text)
{
    uint8_t hdr[8];
    size_t n = strlen(text), h = 0;
    hdr[h++] = 0x81;
    if (n < 126) {
        hdr[h++] = (uint8_t)(0x80 | n);
    } else {
        hdr[h++] = 0x80 | 126;
        hdr[h++] = (uint8_t)(n >> 8);
        hdr[h++] = (uint8_t)n;
    }
    memset(hdr + h, 0, 4); /* an all-zero mask keeps the payload as is */
    h += 4;
    send_all(fd, hdr, h);
    send_all(fd, text, n);
}

/* Reads one text frame into buf (NUL-terminated). */
static void ws_recv_text(int fd, char *buf, size_t cap)
{
    uint8_t h[8];
    recv_exact(fd, h, 2);
    assert_int_equal(h[0], 0x81);
    size_t n = h[1];
    if (n == 126) {
        recv_exact(fd, h, 2);
        n = ((size_t)h[0] << 8) | h[1];
    } else if (n == 127) {
        recv_exact(fd, h, 8);
        n = 0;
        for (int i = 0; i < 8; i++)
            n = (n << 8) | h[i];
    }
    assert_true(n < cap);
    recv_exact(fd, buf, n);
    buf[n] = '\0';
}

static int ws_open(uint16_t port)
{
    int fd = connect_to(port);
    const char *hs = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n";
    send_all(fd, hs, strlen(hs));
    char head[1024];
    recv_head(fd, head, sizeof(head));
    assert_non_null(strstr(head, "HTTP/1.1 101 Switching Protocols\r\n"));
    assert_non_null(strstr(head, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    return fd;
}

static void test_server_http_and_ws(void **state)
{
    (void)state;
    struct fixture f;
    fixture_start(&f, 4, 0, 300);
    /* HTTP POST with Connection: close */
    int a = connect_to(f.port);
    const char *body = "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"hi\"]}";
    char req[512], head[1024], resp[256];
    snprintf(req, sizeof(req),
             "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Connection: close\r\nContent-Length: %zu\r\n\r\n%s",
             strlen(body), body);
    send_all(a, req, strlen(req));
    recv_head(a, head, sizeof(head));
    assert_non_null(strstr(head, "HTTP/1.1 200 OK\r\n"));
    const char *want = "{\"jsonrpc\":\"2.0\",\"result\":[\"hi\"],\"id\":1}";
    recv_exact(a, resp, strlen(want));
    resp[strlen(want)] = '\0';
    assert_string_equal(resp, want);
    assert_true(closed_by_peer(a));
    close(a);
    /* WebSocket: a call, a subscription with notifications driven by the timer */
    int b = ws_open(f.port);
    char msg[4096];
    ws_send_text(b, "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[2]}");
    ws_recv_text(b, msg, sizeof(msg));
    assert_string_equal(msg, "{\"jsonrpc\":\"2.0\",\"result\":[2],\"id\":1}");
    ws_send_text(b, "{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"chain_subscribeNewHeads\"}");
    ws_recv_text(b, msg, sizeof(msg));
    json_t *j = json_loads(msg, 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(j, "id")), 2);
    char sub[64];
    snprintf(sub, sizeof(sub), "%s", json_string_value(json_object_get(j, "result")));
    json_decref(j);
    assert_int_equal(strlen(sub), RPC_SUB_ID_LEN);
    long last = -1;
    for (int i = 0; i < 4; i++) { /* the current head, then three more from the timer */
        ws_recv_text(b, msg, sizeof(msg));
        j = json_loads(msg, 0, NULL);
        assert_string_equal(json_string_value(json_object_get(j, "method")), "chain_newHead");
        json_t *p = json_object_get(j, "params");
        assert_string_equal(json_string_value(json_object_get(p, "subscription")), sub);
        long h = (long)json_integer_value(json_object_get(p, "result"));
        assert_true(h > last);
        last = h;
        json_decref(j);
    }
    char unsub[256];
    snprintf(unsub, sizeof(unsub),
             "{\"id\":3,\"jsonrpc\":\"2.0\",\"method\":\"chain_unsubscribeNewHeads\","
             "\"params\":[\"%s\"]}",
             sub);
    ws_send_text(b, unsub);
    for (;;) { /* notifications sent before the unsubscribe may still arrive */
        ws_recv_text(b, msg, sizeof(msg));
        if (strstr(msg, "\"id\":3") != NULL)
            break;
    }
    assert_string_equal(msg, "{\"jsonrpc\":\"2.0\",\"result\":true,\"id\":3}");
    /* garbage JSON keeps the connection; a garbage HTTP request closes its own */
    ws_send_text(b, "[");
    ws_recv_text(b, msg, sizeof(msg));
    assert_non_null(strstr(msg, "-32700"));
    int g = connect_to(f.port);
    send_all(g, "BLAH\r\n\r\n", 8);
    recv_head(g, head, sizeof(head));
    assert_non_null(strstr(head, "HTTP/1.1 400 Bad Request\r\n"));
    assert_true(closed_by_peer(g));
    close(g);
    /* connection limit 4: b + 3 more fit, the fifth is closed at once */
    int c[3];
    for (int i = 0; i < 3; i++)
        c[i] = connect_to(f.port);
    int over = connect_to(f.port);
    assert_true(closed_by_peer(over));
    close(over);
    for (int i = 0; i < 3; i++)
        close(c[i]);
    /* a silent or half-sent HTTP request is closed after the idle time; b (WebSocket) stays */
    int slow = connect_to(f.port);
    send_all(slow, "POST / HTTP/1.1\r\n", 17);
    assert_true(closed_by_peer(slow));
    close(slow);
    struct timespec pause = {.tv_nsec = 400 * 1000 * 1000};
    nanosleep(&pause, NULL);
    /* b still works */
    ws_send_text(b, "{\"id\":4,\"jsonrpc\":\"2.0\",\"method\":\"echo\"}");
    for (;;) {
        ws_recv_text(b, msg, sizeof(msg));
        if (strstr(msg, "\"id\":4") != NULL)
            break;
    }
    close(b);
    fixture_stop(&f);
}

static void test_server_slow_consumer(void **state)
{
    (void)state;
    struct fixture f;
    fixture_start(&f, 0, 256 * 1024, 0);
    int b = ws_open(f.port);
    int small = 4096;
    setsockopt(b, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    /* ask for ~16 MiB of answers without reading any */
    static char req[40000];
    int n = snprintf(req, sizeof(req),
                     "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"echo\","
                     "\"params\":[\"");
    memset(req + n, 'x', 32000);
    memcpy(req + n + 32000, "\"]}", 4);
    bool send_failed = false;
    for (int i = 0; i < 500 && !send_failed; i++) {
        /* a dropped connection makes send fail (EPIPE/ECONNRESET): also a pass */
        uint8_t hdr[8] = {0x81, 0x80 | 126, (uint8_t)(strlen(req) >> 8), (uint8_t)strlen(req)};
        if (send(b, hdr, 8, MSG_NOSIGNAL) != 8) {
            send_failed = true;
            break;
        }
        size_t left = strlen(req);
        const char *p = req;
        while (left > 0) {
            ssize_t k = send(b, p, left, MSG_NOSIGNAL);
            if (k <= 0) {
                send_failed = true;
                break;
            }
            p += k;
            left -= (size_t)k;
        }
    }
    assert_true(send_failed || closed_by_peer(b));
    close(b);
    fixture_stop(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_http_and_ws),
        cmocka_unit_test(test_server_slow_consumer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
