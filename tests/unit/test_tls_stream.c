/*
 * test_tls_stream.c - the blocking JSON-RPC client over wss:// against the TLS test server
 * (tests/integration/tls_rpc_server: TLS on memory BIOs in front of the JSON-RPC engine, as in
 * the enclave): a pinned key that matches, one that does not, no verification, a plain ws://
 * client refused, calls and subscription notifications through TLS.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/wait.h>
#include <unistd.h>

#include "common/hex.h"
#include "net/tls_stream.h"

struct server {
    pid_t pid;
    unsigned port;
    uint8_t key[32];
};

static void server_start(struct server *s)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        execl(ITEE_BINARY_DIR "/tests/tls_rpc_server", "tls_rpc_server",
              "4242424242424242424242424242424242424242424242424242424242424242", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    assert_non_null(f);
    char line[256], hex[80];
    assert_non_null(fgets(line, sizeof(line), f));
    assert_int_equal(sscanf(line, "%u %79s", &s->port, hex), 2);
    assert_int_equal(itee_hex_decode_exact(s->key, 32, hex, strlen(hex)), ITEE_OK);
    fclose(f);
}

static void server_stop(struct server *s)
{
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
}

static void url_of(char *buf, size_t cap, const char *scheme, unsigned port)
{
    (void)snprintf(buf, cap, "%s://127.0.0.1:%u", scheme, port);
}

static void test_pinned(void **state)
{
    (void)state;
    struct server srv;
    server_start(&srv);
    char url[64];
    url_of(url, sizeof(url), "wss", srv.port);
    struct tls_client_config cfg = {.mode = TLS_VERIFY_PINNED};
    memcpy(cfg.pinned_key, srv.key, 32);
    struct tls_stream st;
    assert_int_equal(tls_stream_init(&st, &cfg), ITEE_OK);
    struct rpc_client *c = NULL;
    assert_int_equal(tls_stream_connect(&st, url, 5000, &c), ITEE_OK);
    assert_true(st.have_peer_key);
    assert_memory_equal(st.peer_key, srv.key, 32);
    json_t *res = NULL;
    assert_int_equal(rpc_client_call_text(c, "echo", "[\"through tls\"]", &res), ITEE_OK);
    assert_string_equal(json_string_value(json_array_get(res, 0)), "through tls");
    json_decref(res);
    /* a subscription's notifications come through the same TLS stream */
    assert_int_equal(rpc_client_call(c, "chain_subscribeNewHeads", NULL, &res), ITEE_OK);
    json_decref(res);
    for (int i = 0; i < 3; i++) {
        json_t *n = NULL;
        assert_int_equal(rpc_client_next_notification(c, 3000, &n), ITEE_OK);
        assert_non_null(json_object_get(n, "params"));
        json_decref(n);
    }
    /* a large message both ways */
    size_t big = 1u << 20;
    char *s = malloc(big + 1);
    assert_non_null(s);
    memset(s, 'z', big);
    s[big] = '\0';
    json_t *params = json_pack("[s]", s);
    free(s);
    assert_int_equal(rpc_client_call(c, "echo", params, &res), ITEE_OK);
    assert_int_equal(strlen(json_string_value(json_array_get(res, 0))), big);
    json_decref(res);
    json_decref(params);
    rpc_client_free(c);
    tls_stream_free(&st);
    server_stop(&srv);
}

static void test_refused(void **state)
{
    (void)state;
    struct server srv;
    server_start(&srv);
    char url[64];
    url_of(url, sizeof(url), "wss", srv.port);
    /* someone else's key: the handshake fails before any byte of JSON-RPC is sent */
    struct tls_client_config cfg = {.mode = TLS_VERIFY_PINNED};
    memcpy(cfg.pinned_key, srv.key, 32);
    cfg.pinned_key[31] ^= 1;
    struct tls_stream st;
    assert_int_equal(tls_stream_init(&st, &cfg), ITEE_OK);
    struct rpc_client *c = NULL;
    assert_int_equal(tls_stream_connect(&st, url, 5000, &c), ITEE_ERR_TLS_PEER_KEY);
    assert_null(c);
    tls_stream_free(&st);
    /* no verification (debug) connects */
    struct tls_client_config none = {.mode = TLS_VERIFY_NONE};
    assert_int_equal(tls_stream_init(&st, &none), ITEE_OK);
    assert_int_equal(tls_stream_connect(&st, url, 5000, &c), ITEE_OK);
    json_t *res = NULL;
    assert_int_equal(rpc_client_call_text(c, "system_health", "[]", &res), ITEE_OK);
    json_decref(res);
    rpc_client_free(c);
    tls_stream_free(&st);
    /* a plain WebSocket client gets no answer from a TLS port */
    url_of(url, sizeof(url), "ws", srv.port);
    assert_int_not_equal(rpc_client_connect(&c, url, 2000), ITEE_OK);
    assert_null(c);
    server_stop(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pinned),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
