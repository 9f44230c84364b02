/*
 * test_tls_rpc.c - JSON-RPC behind TLS on memory BIOs, seen from a pinned tls_session client:
 * HTTP POST (keep-alive, then Connection: close with close_notify), WebSocket upgrade with a
 * masked frame and a subscription whose notification arrives through wake + poll, plain HTTP
 * and garbage (alert, done), a client that never reads its answers (bounded, dropped), a
 * client context refused, and an OOM loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/bytes.h"
#include "common/mem.h"
#include "crypto/ed25519.h"
#include "proto/rpc.h"
#include "proto/tls.h"
#include "proto/tls_rpc.h"

#define T_CHUNK 4096

struct fixture {
    struct tls_ctx *sctx;    /* server context (seed 0x21..) */
    struct tls_ctx *cctx;    /* client context pinning it */
    struct rpc_server *rpc;  /* echo + a subscription */
    struct tls_rpc *stream;  /* server side */
    struct tls_session *cli; /* client side */
    int wakes;               /* wake callback calls */
    char sub_id[RPC_SUB_ID_LEN + 1];
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
    enum itee_err r = rpc_call_sub_accept(call, NULL, f->sub_id);
    return r == ITEE_ERR_SPACE ? ITEE_OK : r;
}

static void on_wake(void *ctx)
{
    struct fixture *f = ctx;
    f->wakes++;
}

static void fixture_up(struct fixture *f, size_t max_pending)
{
    memset(f, 0, sizeof(*f));
    uint8_t seed[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)(0x21 + i);
    struct tls_server_config scfg = {.now = 1764000000};
    assert_int_equal(tls_server_ctx_new(&f->sctx, seed, &scfg), ITEE_OK);
    struct ed25519_keypair kp;
    assert_int_equal(ed25519_keypair_from_seed(&kp, seed), ITEE_OK);
    struct tls_client_config ccfg = {.mode = TLS_VERIFY_PINNED};
    memcpy(ccfg.pinned_key, kp.public.bytes, 32);
    ed25519_keypair_clear(&kp);
    assert_int_equal(tls_client_ctx_new(&f->cctx, &ccfg), ITEE_OK);
    assert_int_equal(rpc_server_new(&f->rpc, NULL), ITEE_OK);
    assert_int_equal(rpc_register(f->rpc, "echo", h_echo, f), ITEE_OK);
    assert_int_equal(rpc_register_sub(f->rpc, "sub", "note", "unsub", h_sub, f, NULL, NULL),
                     ITEE_OK);
    assert_int_equal(tls_rpc_new(&f->stream, f->sctx, f->rpc, max_pending, on_wake, f), ITEE_OK);
    assert_int_equal(tls_session_new(&f->cli, f->cctx, NULL, 0), ITEE_OK);
}

static void fixture_down(struct fixture *f)
{
    tls_session_free(f->cli);
    tls_rpc_free(f->stream);
    rpc_server_free(f->rpc);
    tls_ctx_free(f->cctx);
    tls_ctx_free(f->sctx);
}

/* Moves ciphertext both ways until quiet. Returns: the server's first feed error. */
static enum itee_err pump(struct fixture *f)
{
    uint8_t buf[T_CHUNK];
    size_t n;
    enum itee_err rs = ITEE_OK;
    for (int round = 0; round < 64; round++) {
        size_t moved = 0;
        do {
            assert_int_equal(tls_session_take_cipher(f->cli, buf, sizeof(buf), &n), ITEE_OK);
            enum itee_err r = tls_rpc_feed(f->stream, buf, n);
            if (rs == ITEE_OK)
                rs = r;
            moved += n;
        } while (n > 0);
        do {
            assert_int_equal(tls_rpc_take_cipher(f->stream, buf, sizeof(buf), &n), ITEE_OK);
            assert_int_equal(tls_session_feed_cipher(f->cli, buf, n), ITEE_OK);
            moved += n;
        } while (n > 0);
        if (moved == 0)
            return rs;
    }
    fail_msg("pump did not settle");
    return ITEE_ERR_INTERNAL;
}

/* Reads all plaintext the client has into out (NUL-terminated). */
static void client_read(struct fixture *f, struct itee_buf *out)
{
    uint8_t buf[T_CHUNK];
    size_t n;
    itee_buf_reset(out);
    do {
        assert_int_equal(tls_session_read(f->cli, buf, sizeof(buf), &n), ITEE_OK);
        assert_int_equal(itee_buf_append(out, buf, n), ITEE_OK);
    } while (n > 0);
    assert_int_equal(itee_buf_push(out, 0), ITEE_OK);
}

static void client_send(struct fixture *f, const char *text)
{
    assert_int_equal(tls_session_write(f->cli, (const uint8_t *)text, strlen(text)), ITEE_OK);
}

static void post(struct fixture *f, const char *body, bool close)
{
    char req[512];
    int n = snprintf(req, sizeof(req),
                     "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n%s\r\n%s",
                     strlen(body), close ? "Connection: close\r\n" : "", body);
    assert_true(n > 0 && (size_t)n < sizeof(req));
    client_send(f, req);
}

static void test_https(void **state)
{
    (void)state;
    struct fixture f;
    fixture_up(&f, 0);
    struct itee_buf got;
    itee_buf_init(&got, 0);
    post(&f, "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"a\"]}", false);
    assert_int_equal(pump(&f), ITEE_OK);
    client_read(&f, &got);
    assert_non_null(strstr((char *)got.ptr, "HTTP/1.1 200"));
    assert_non_null(strstr((char *)got.ptr, "{\"jsonrpc\":\"2.0\",\"result\":[\"a\"],\"id\":1}"));
    assert_false(tls_rpc_done(f.stream));
    assert_false(tls_rpc_is_ws(f.stream));

    post(&f, "{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"b\"]}", true);
    assert_int_equal(pump(&f), ITEE_OK);
    client_read(&f, &got);
    assert_non_null(strstr((char *)got.ptr, "\"result\":[\"b\"]"));
    assert_true(tls_rpc_done(f.stream));
    assert_true(tls_session_peer_closed(f.cli)); /* close_notify after the answer */
    itee_buf_free(&got);
    fixture_down(&f);
}

/* A masked client text frame (RFC 6455) carrying text (< 126 bytes). */
static void ws_send(struct fixture *f, const char *text)
{
    uint8_t frame[140];
    size_t len = strlen(text);
    assert_true(len < 126);
    static const uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
    frame[0] = 0x81;
    frame[1] = (uint8_t)(0x80 | len);
    memcpy(frame + 2, mask, 4);
    for (size_t i = 0; i < len; i++)
        frame[6 + i] = (uint8_t)text[i] ^ mask[i % 4];
    assert_int_equal(tls_session_write(f->cli, frame, 6 + len), ITEE_OK);
}

static void test_wss(void **state)
{
    (void)state;
    struct fixture f;
    fixture_up(&f, 0);
    struct itee_buf got;
    itee_buf_init(&got, 0);
    client_send(&f, "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\n\r\n");
    assert_int_equal(pump(&f), ITEE_OK);
    client_read(&f, &got);
    assert_non_null(strstr((char *)got.ptr, "HTTP/1.1 101"));
    assert_non_null(strstr((char *)got.ptr, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    assert_true(tls_rpc_is_ws(f.stream));

    static const char call[] = "{\"id\":7,\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1]}";
    ws_send(&f, call);
    assert_int_equal(pump(&f), ITEE_OK);
    client_read(&f, &got);
    static const char answer[] = "{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":7}";
    assert_int_equal(got.len - 1, 2 + strlen(answer));
    assert_int_equal(got.ptr[0], 0x81); /* unmasked text frame */
    assert_int_equal(got.ptr[1], strlen(answer));
    assert_memory_equal(got.ptr + 2, answer, strlen(answer));

    /* a notification from outside a feed: wake, then poll encrypts it */
    ws_send(&f, "{\"id\":8,\"jsonrpc\":\"2.0\",\"method\":\"sub\",\"params\":[]}");
    assert_int_equal(pump(&f), ITEE_OK);
    client_read(&f, &got);
    assert_non_null(strstr((char *)got.ptr + 2, f.sub_id));
    int wakes = f.wakes;
    assert_int_equal(rpc_server_notify(f.rpc, f.sub_id, json_pack("{s:i}", "n", 42)), ITEE_OK);
    assert_true(f.wakes > wakes);
    assert_int_equal(tls_rpc_cipher_pending(f.stream), 0);
    assert_int_equal(tls_rpc_poll(f.stream), ITEE_OK);
    assert_true(tls_rpc_cipher_pending(f.stream) > 0);
    assert_int_equal(pump(&f), ITEE_OK);
    client_read(&f, &got);
    assert_non_null(strstr((char *)got.ptr + 2, "\"method\":\"note\""));
    assert_non_null(strstr((char *)got.ptr + 2, "\"n\":42"));

    /* the client's close_notify ends the stream */
    assert_int_equal(tls_session_close(f.cli), ITEE_OK);
    assert_int_equal(pump(&f), ITEE_OK);
    assert_true(tls_rpc_done(f.stream));
    itee_buf_free(&got);
    fixture_down(&f);
}

static void test_hostile(void **state)
{
    (void)state;
    struct fixture f;
    fixture_up(&f, 0);
    static const char http[] = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
    assert_int_equal(tls_rpc_feed(f.stream, (const uint8_t *)http, sizeof(http) - 1), ITEE_ERR_TLS);
    assert_true(tls_rpc_done(f.stream));
    assert_non_null(strstr(tls_rpc_reason(f.stream), "http request"));
    uint8_t buf[T_CHUNK];
    size_t n;
    assert_int_equal(tls_rpc_take_cipher(f.stream, buf, sizeof(buf), &n), ITEE_OK);
    assert_true(n == 0 || (n < 16 && buf[0] == 0x15));         /* at most an alert, never HTTP */
    assert_int_equal(tls_rpc_feed(f.stream, buf, 1), ITEE_OK); /* discarded once done */
    assert_int_equal(tls_rpc_poll(f.stream), ITEE_OK);

    /* garbage after a good handshake */
    tls_rpc_free(f.stream);
    assert_int_equal(tls_rpc_new(&f.stream, f.sctx, f.rpc, 0, on_wake, &f), ITEE_OK);
    assert_int_equal(pump(&f), ITEE_OK);
    memset(buf, 0x17, 64); /* looks like an application record, is not one */
    buf[1] = 3;
    buf[2] = 3;
    buf[3] = 0;
    buf[4] = 59;
    assert_int_equal(tls_rpc_feed(f.stream, buf, 64), ITEE_ERR_TLS);
    assert_true(tls_rpc_done(f.stream));

    /* arguments */
    struct tls_rpc *s = (struct tls_rpc *)buf;
    assert_int_equal(tls_rpc_new(&s, f.cctx, f.rpc, 0, NULL, NULL), ITEE_ERR_ARG); /* client */
    assert_null(s);
    assert_int_equal(tls_rpc_new(&s, f.sctx, NULL, 0, NULL, NULL), ITEE_ERR_ARG);
    assert_int_equal(tls_rpc_new(&s, f.sctx, f.rpc, 100, NULL, NULL), ITEE_ERR_ARG);
    assert_int_equal(tls_rpc_feed(NULL, buf, 1), ITEE_ERR_ARG);
    assert_int_equal(tls_rpc_take_cipher(NULL, buf, 1, &n), ITEE_ERR_ARG);
    assert_int_equal(n, 0);
    assert_true(tls_rpc_done(NULL));
    tls_rpc_free(NULL);
    fixture_down(&f);
}

/* A client that sends requests but never takes its answers is cut off, memory bounded. */
static void test_not_reading(void **state)
{
    (void)state;
    struct fixture f;
    fixture_up(&f, TLS_MIN_PENDING);
    assert_int_equal(pump(&f), ITEE_OK);
    char body[200];
    snprintf(body, sizeof(body),
             "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"%0150d\"]}", 0);
    uint8_t buf[T_CHUNK];
    size_t n;
    enum itee_err r = ITEE_OK;
    int requests = 0;
    for (; requests < 2000 && r == ITEE_OK; requests++) {
        post(&f, body, false);
        do {
            assert_int_equal(tls_session_take_cipher(f.cli, buf, sizeof(buf), &n), ITEE_OK);
            r = tls_rpc_feed(f.stream, buf, n);
        } while (n > 0 && r == ITEE_OK);
        /* the server's answers pile up: nobody takes them */
    }
    assert_int_equal(r, ITEE_ERR_TLS_LIMIT);
    assert_true(requests < 2000);
    assert_true(tls_rpc_done(f.stream));
    assert_true(tls_rpc_cipher_pending(f.stream) <= TLS_MIN_PENDING + 1024);
    fixture_down(&f);
}

static void test_oom(void **state)
{
    (void)state;
    struct fixture f;
    fixture_up(&f, 0);
    bool done = false;
    for (long n = 0; n < 50 && !done; n++) {
        struct tls_rpc *s = NULL;
        itee_mem_fail_after(n);
        enum itee_err r = tls_rpc_new(&s, f.sctx, f.rpc, 0, NULL, NULL);
        itee_mem_fail_after(-1);
        assert_true(r == ITEE_OK || r == ITEE_ERR_NOMEM);
        if (r == ITEE_OK)
            done = true;
        else
            assert_null(s);
        tls_rpc_free(s);
    }
    assert_true(done);
    fixture_down(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_https),   cmocka_unit_test(test_wss),
        cmocka_unit_test(test_hostile), cmocka_unit_test(test_not_reading),
        cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
