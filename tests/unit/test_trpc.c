/*
 * test_trpc.c - the worker's trusted JSON-RPC end to end: the real enclave library (dlopen
 * through enclave_host), the host's trpc_server on 127.0.0.1:0 running a libuv loop in a
 * thread, and wss:// clients (tls_stream + rpc_client) pinned to the enclave's signing key.
 * Covers the methods and envelopes (worker-protocol.md §3.2 era B), state_executeGetter
 * against the enclave's live STF state, refusal of a wrong pinned key, of plain ws:// and of
 * garbage, the enclave's connection limit and the host's, and the metrics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "chain/trusted_op.h"
#include "codec/scale.h"
#include "common/bytes.h"
#include "common/hex.h"
#include "common/mem.h"
#include "crypto/rsa.h"
#include "enclave/edl.h"
#include "enclave/enclave_trpc.h"
#include "keys/pair.h"
#include "net/rpc_client.h"
#include "net/tls_stream.h"
#include "service/enclave_host.h"
#include "service/trpc_server.h"

#define SO_PATH ITEE_BINARY_DIR "/lib/libintegritee-enclave.so"

/* One enclave for all tests (RSA keygen once). */
struct fixture {
    char dir[64];                           /* data dir (mkdtemp) */
    struct enclave_host *h;                 /* the loaded enclave */
    uint8_t signer[EDL_SIGNING_PUB_LEN];    /* its TLS / signing key */
    uint8_t mrenclave[EDL_MEASUREMENT_LEN]; /* also the served shard */
};

static struct fixture fx;

/* A trpc_server on its own loop thread. */
struct srv {
    uv_loop_t loop;
    uv_async_t stop;
    struct trpc_server *s;
    pthread_t thread;
    uint16_t port;
};

static void srv_on_stop(uv_async_t *a)
{
    struct srv *v = a->data;
    trpc_server_stop(v->s);
    uv_close((uv_handle_t *)&v->stop, NULL);
}

static void *srv_main(void *arg)
{
    struct srv *v = arg;
    uv_run(&v->loop, UV_RUN_DEFAULT);
    return NULL;
}

static void srv_start(struct srv *v, size_t max_conns)
{
    memset(v, 0, sizeof(*v));
    assert_int_equal(uv_loop_init(&v->loop), 0);
    struct trpc_server_config cfg = {.host = "127.0.0.1", .port = 0, .max_conns = max_conns};
    assert_int_equal(trpc_server_start(&v->s, &v->loop, fx.h, &cfg), ITEE_OK);
    v->port = trpc_server_port(v->s);
    assert_true(v->port != 0);
    assert_int_equal(uv_async_init(&v->loop, &v->stop, srv_on_stop), 0);
    v->stop.data = v;
    assert_int_equal(pthread_create(&v->thread, NULL, srv_main, v), 0);
}

static void srv_stop(struct srv *v)
{
    assert_int_equal(uv_async_send(&v->stop), 0);
    assert_int_equal(pthread_join(v->thread, NULL), 0);
    assert_int_equal(uv_loop_close(&v->loop), 0);
}

static int group_setup(void **state)
{
    (void)state;
    memcpy(fx.dir, "/tmp/itee-trpc-XXXXXX", 22);
    if (mkdtemp(fx.dir) == NULL)
        return -1;
    if (enclave_host_open(&fx.h, SO_PATH, fx.dir, 0) != ITEE_OK ||
        enclave_host_signing_pubkey(fx.h, fx.signer) != ITEE_OK ||
        enclave_host_mrenclave(fx.h, fx.mrenclave) != ITEE_OK)
        return -1;
    /* before config: no shard yet */
    return enclave_host_trpc_config(fx.h, fx.mrenclave, "127.0.0.1:3443", "ws://127.0.0.1:2001") ==
                   ITEE_OK
               ? 0
               : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    enclave_host_close(fx.h);
    DIR *d = opendir(fx.dir);
    struct dirent *e;
    char p[512];
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        (void)snprintf(p, sizeof(p), "%s/%s", fx.dir, e->d_name);
        (void)unlink(p);
    }
    if (d != NULL)
        closedir(d);
    (void)rmdir(fx.dir);
    return 0;
}

/* ---- clients ---- */

struct client {
    struct tls_stream st;
    struct rpc_client *c;
};

static enum itee_err client_open(struct client *cl, uint16_t port, const uint8_t key[32])
{
    struct tls_client_config cfg = {.mode = TLS_VERIFY_PINNED};
    memcpy(cfg.pinned_key, key, 32);
    char url[64];
    (void)snprintf(url, sizeof(url), "wss://127.0.0.1:%u", port);
    cl->c = NULL;
    assert_int_equal(tls_stream_init(&cl->st, &cfg), ITEE_OK);
    enum itee_err r = tls_stream_connect(&cl->st, url, 10000, &cl->c);
    if (r != ITEE_OK)
        tls_stream_free(&cl->st);
    return r;
}

static void client_close(struct client *cl)
{
    rpc_client_free(cl->c);
    tls_stream_free(&cl->st);
}

/* Calls method, expects a "0x" RpcReturnValue; out gets its bytes, rv views into out. */
static void call_rv(struct client *cl, const char *method, const char *params, struct itee_buf *out,
                    struct trusted_op_rpc_return *rv)
{
    json_t *res = NULL;
    assert_int_equal(rpc_client_call_text(cl->c, method, params, &res), ITEE_OK);
    assert_true(json_is_string(res));
    const char *s = json_string_value(res);
    size_t len = json_string_length(res);
    assert_true(len >= 2 && s[0] == '0' && s[1] == 'x');
    itee_buf_reset(out);
    assert_int_equal(itee_buf_reserve(out, len / 2 + 1), ITEE_OK);
    size_t n = 0;
    assert_int_equal(itee_hex_decode(out->ptr, out->cap, &n, s, len), ITEE_OK);
    out->len = n;
    json_decref(res);
    assert_int_equal(trusted_op_rpc_return_decode(rv, out->ptr, out->len), ITEE_OK);
    assert_false(rv->do_watch);
}

/* Reads the SCALE(String) value of an RpcReturnValue into text (NUL-terminated). */
static void rv_string(const struct trusted_op_rpc_return *rv, char *text, size_t cap)
{
    struct scale_reader r;
    struct itee_slice s;
    scale_reader_init(&r, rv->value.ptr, rv->value.len);
    assert_int_equal(scale_read_str(&r, &s), ITEE_OK);
    assert_int_equal(scale_reader_finish(&r), ITEE_OK);
    assert_true(s.len < cap);
    memcpy(text, s.ptr, s.len);
    text[s.len] = '\0';
}

static int raw_connect(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    struct timeval tv = {.tv_sec = 10};
    assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
    return fd;
}

/* Reads until EOF into buf (up to cap, the rest discarded). Returns: bytes kept, or -1 when
 * the server did not close within the timeout. */
static long read_to_eof(int fd, uint8_t *buf, size_t cap)
{
    size_t got = 0;
    uint8_t tmp[4096];
    for (;;) {
        ssize_t n = recv(fd, tmp, sizeof(tmp), 0);
        if (n == 0)
            return (long)got;
        if (n < 0)
            return -1;
        size_t keep = (size_t)n < cap - got ? (size_t)n : cap - got;
        memcpy(buf + got, tmp, keep);
        got += keep;
    }
}

/* Metrics: conns_open, conns_refused, and calls of one method (or UINT64_MAX if absent). */
static void metrics(uint32_t *open, uint64_t *refused, const char *method, uint64_t *calls)
{
    struct itee_buf m;
    itee_buf_init(&m, 0);
    assert_int_equal(enclave_host_trpc_metrics(fx.h, &m), ITEE_OK);
    struct scale_reader r;
    scale_reader_init(&r, m.ptr, m.len);
    uint64_t opened = 0;
    size_t n = 0;
    assert_int_equal(scale_read_u32(&r, open), ITEE_OK);
    assert_int_equal(scale_read_u64(&r, &opened), ITEE_OK);
    assert_int_equal(scale_read_u64(&r, refused), ITEE_OK);
    assert_int_equal(scale_read_len(&r, &n, 9), ITEE_OK);
    *calls = UINT64_MAX;
    for (size_t i = 0; i < n; i++) {
        struct itee_slice name;
        uint64_t c = 0;
        assert_int_equal(scale_read_str(&r, &name), ITEE_OK);
        assert_int_equal(scale_read_u64(&r, &c), ITEE_OK);
        if (method != NULL && name.len == strlen(method) && memcmp(name.ptr, method, name.len) == 0)
            *calls = c;
    }
    assert_int_equal(scale_reader_finish(&r), ITEE_OK);
    itee_buf_free(&m);
}

/* Waits (up to 10 s) until the enclave holds want connections. */
static void wait_open(uint32_t want)
{
    uint32_t open = UINT32_MAX;
    uint64_t refused, calls;
    for (int i = 0; i < 1000; i++) {
        metrics(&open, &refused, NULL, &calls);
        if (open == want)
            return;
        struct timespec ts = {.tv_nsec = 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(open, want);
}

/* ---- tests ---- */

/* The ecalls refuse what they must, before and without any socket. */
static void test_ecall_contract(void **state)
{
    (void)state;
    struct itee_buf out;
    itee_buf_init(&out, 0);
    bool close = false;
    const uint8_t junk[3] = {1, 2, 3};
    assert_int_equal(enclave_host_trpc_feed(fx.h, 999999, junk, 3, &out, &close),
                     ITEE_ERR_TRPC_CONN);
    assert_int_equal(enclave_host_trpc_close(fx.h, 999999), ITEE_ERR_TRPC_CONN);
    assert_int_equal(enclave_host_trpc_open(fx.h, 999999), ITEE_OK);
    assert_int_equal(enclave_host_trpc_open(fx.h, 999999), ITEE_ERR_TRPC_CONN);
    /* garbage: the stream fails and the enclave says close (possibly after an alert) */
    assert_int_equal(enclave_host_trpc_feed(fx.h, 999999, junk, 3, &out, &close), ITEE_OK);
    if (!close) {
        uint8_t more[300];
        memset(more, 0x16, sizeof(more));
        assert_int_equal(enclave_host_trpc_feed(fx.h, 999999, more, sizeof(more), &out, &close),
                         ITEE_OK);
    }
    assert_true(close);
    assert_int_equal(enclave_host_trpc_close(fx.h, 999999), ITEE_ERR_TRPC_CONN);
    /* a config that is not one */
    assert_int_equal(enclave_host_trpc_config(fx.h, fx.mrenclave, "bad\nurl", ""), ITEE_ERR_ARG);
    itee_buf_free(&out);
}

static void test_methods(void **state)
{
    (void)state;
    struct srv v;
    srv_start(&v, 0);
    struct client cl;
    assert_int_equal(client_open(&cl, v.port, fx.signer), ITEE_OK);
    struct itee_buf b, want;
    itee_buf_init(&b, 0);
    itee_buf_init(&want, 0);
    struct trusted_op_rpc_return rv;
    char text[4096];
    uint32_t open;
    uint64_t refused, before, after;
    metrics(&open, &refused, "author_getShieldingKey", &before);

    /* the shielding key: SCALE(String JSON), the very key the enclave exports */
    call_rv(&cl, "author_getShieldingKey", "[]", &b, &rv);
    assert_int_equal(rv.status, TRUSTED_OP_STATUS_OK);
    rv_string(&rv, text, sizeof(text));
    struct rsa_key *pk = NULL;
    assert_int_equal(rsa_public_from_json(&pk, text, strlen(text)), ITEE_OK);
    rsa_key_free(pk);
    assert_int_equal(enclave_host_shielding_pubkey(fx.h, &want), ITEE_OK);
    assert_int_equal(strlen(text), want.len);
    assert_memory_equal(text, want.ptr, want.len);
    metrics(&open, &refused, "author_getShieldingKey", &after);
    assert_int_equal(after, before + 1);

    /* the shard: SCALE(H256) = 32 raw bytes */
    call_rv(&cl, "author_getShard", "[]", &b, &rv);
    assert_int_equal(rv.status, TRUSTED_OP_STATUS_OK);
    assert_int_equal(rv.value.len, 32);
    assert_memory_equal(rv.value.ptr, fx.mrenclave, 32);

    call_rv(&cl, "author_getMuRaUrl", "[]", &b, &rv);
    rv_string(&rv, text, sizeof(text));
    assert_string_equal(text, "127.0.0.1:3443");
    call_rv(&cl, "author_getUntrustedUrl", "[]", &b, &rv);
    rv_string(&rv, text, sizeof(text));
    assert_string_equal(text, "ws://127.0.0.1:2001");

    /* no vault yet: the Error envelope with a message */
    call_rv(&cl, "author_getShardVault", "[]", &b, &rv);
    assert_int_equal(rv.status, TRUSTED_OP_STATUS_ERROR);
    rv_string(&rv, text, sizeof(text));
    assert_non_null(strstr(text, "vault"));

    /* system_version: raw UTF-8, not SCALE */
    call_rv(&cl, "system_version", "[]", &b, &rv);
    assert_int_equal(rv.status, TRUSTED_OP_STATUS_OK);
    const char *ver = "enclave-runtime: " ENCLAVE_TRPC_VERSION " (software mode)";
    assert_int_equal(rv.value.len, strlen(ver));
    assert_memory_equal(rv.value.ptr, ver, strlen(ver));

    json_t *res = NULL;
    assert_int_equal(rpc_client_call_text(cl.c, "system_health", "[]", &res), ITEE_OK);
    assert_string_equal(json_string_value(res), "hello, world");
    json_decref(res);
    /* SDK v0.13's form: the string `methods: ["author_getMuRaUrl", ...]` */
    assert_int_equal(rpc_client_call_text(cl.c, "rpc_methods", "[]", &res), ITEE_OK);
    const char *list = json_string_value(res);
    assert_non_null(list);
    assert_memory_equal(list, "methods: [\"", 11);
    assert_non_null(strstr(list, "\"state_executeGetter\""));
    assert_non_null(strstr(list, "\"author_getShieldingKey\""));
    assert_int_equal(list[strlen(list) - 1], ']');
    json_decref(res);

    /* unknown method and bad params */
    const char *msg = NULL;
    assert_int_equal(rpc_client_call_text(cl.c, "author_noSuchMethod", "[]", &res),
                     ITEE_ERR_RPC_REMOTE);
    assert_int_equal(rpc_client_last_error(cl.c, &msg), -32601);
    assert_int_equal(rpc_client_call_text(cl.c, "state_executeGetter", "[]", &res),
                     ITEE_ERR_RPC_REMOTE);
    assert_int_equal(rpc_client_last_error(cl.c, &msg), -32602);
    assert_int_equal(rpc_client_call_text(cl.c, "author_submitExtrinsic", "[42]", &res),
                     ITEE_ERR_RPC_REMOTE);
    assert_int_equal(rpc_client_last_error(cl.c, &msg), -32602);
    /* not hex / not a Request: the original's Error envelope */
    call_rv(&cl, "state_executeGetter", "[\"0xzz\"]", &b, &rv);
    assert_int_equal(rv.status, TRUSTED_OP_STATUS_ERROR);

    /* direct calls: a well-formed Request is refused in offchain-worker mode */
    uint8_t ct[384];
    memset(ct, 0x5a, sizeof(ct));
    struct trusted_op_request rq = {.cyphertext = itee_slice_make(ct, sizeof(ct))};
    memcpy(rq.shard, fx.mrenclave, 32);
    itee_buf_reset(&want);
    assert_int_equal(trusted_op_request_put(&want, &rq), ITEE_OK);
    char *params = itee_alloc(2 * want.len + 8);
    assert_non_null(params);
    memcpy(params, "[\"0x", 4);
    assert_int_equal(itee_hex_encode(params + 4, 2 * want.len + 1, want.ptr, want.len), ITEE_OK);
    memcpy(params + 4 + 2 * want.len, "\"]", 3);
    call_rv(&cl, "author_submitAndWatchExtrinsic", params, &b, &rv);
    assert_int_equal(rv.status, TRUSTED_OP_STATUS_ERROR);
    rv_string(&rv, text, sizeof(text));
    assert_non_null(strstr(text, "offchain-worker mode"));
    itee_free(params);

    client_close(&cl);
    itee_buf_free(&b);
    itee_buf_free(&want);
    srv_stop(&v);
}

/* Builds ["0x" + hex(Request{shard, SCALE(Getter trusted getter(who) signed by p)})]. */
static char *getter_params(const struct keys_pair *p, enum trusted_op_trusted_getter g,
                           const uint8_t shard[32])
{
    uint8_t who[32];
    keys_pair_account_id(p, who);
    struct itee_buf gb, getter, req;
    itee_buf_init(&gb, 0);
    itee_buf_init(&getter, 0);
    itee_buf_init(&req, 0);
    assert_int_equal(trusted_op_trusted_getter_put(&gb, g, who), ITEE_OK);
    struct trusted_op_getter tg = {.kind = TRUSTED_OP_GETTER_TRUSTED,
                                   .getter = itee_buf_slice(&gb)};
    assert_int_equal(trusted_op_getter_sign(&tg.sig, p, tg.getter), ITEE_OK);
    assert_int_equal(trusted_op_getter_put(&getter, &tg), ITEE_OK);
    struct trusted_op_request rq = {.cyphertext = itee_buf_slice(&getter)};
    memcpy(rq.shard, shard, 32);
    assert_int_equal(trusted_op_request_put(&req, &rq), ITEE_OK);
    char *params = itee_alloc(2 * req.len + 8);
    assert_non_null(params);
    memcpy(params, "[\"0x", 4);
    assert_int_equal(itee_hex_encode(params + 4, 2 * req.len + 1, req.ptr, req.len), ITEE_OK);
    memcpy(params + 4 + 2 * req.len, "\"]", 3);
    itee_buf_free(&gb);
    itee_buf_free(&getter);
    itee_buf_free(&req);
    return params;
}

/* state_executeGetter sees the enclave's live STF state: a trusted call applied through
 * ecall_stf_execute moves the nonce the RPC getter reports. */
static void test_execute_getter(void **state)
{
    (void)state;
    struct keys_pair alice;
    assert_int_equal(keys_pair_from_suri(&alice, KEYS_SCHEME_SR25519, "//Alice", 7), ITEE_OK);
    uint8_t who[32];
    keys_pair_account_id(&alice, who);
    struct srv v;
    srv_start(&v, 0);
    struct client cl;
    assert_int_equal(client_open(&cl, v.port, fx.signer), ITEE_OK);
    struct itee_buf b, out;
    itee_buf_init(&b, 0);
    itee_buf_init(&out, 0);
    struct trusted_op_rpc_return rv;

    char *p = getter_params(&alice, TRUSTED_OP_TRUSTED_NONCE, fx.mrenclave);
    call_rv(&cl, "state_executeGetter", p, &b, &rv);
    itee_free(p);
    assert_int_equal(rv.status, TRUSTED_OP_STATUS_OK);
    const uint8_t nonce0[6] = {1, 0x10, 0, 0, 0, 0}; /* Some(SCALE(0u32)) */
    assert_int_equal(rv.value.len, sizeof(nonce0));
    assert_memory_equal(rv.value.ptr, nonce0, sizeof(nonce0));

    /* balance_set_balance(alice, alice, 1000, 0), nonce 0, straight into the enclave */
    struct trusted_op_call call = {.index = TRUSTED_OP_CALL_SET_BALANCE, .amount = 1000};
    memcpy(call.sender, who, 32);
    memcpy(call.other, who, 32);
    struct itee_buf cb, req;
    itee_buf_init(&cb, 0);
    itee_buf_init(&req, 0);
    assert_int_equal(trusted_op_call_put(&cb, &call), ITEE_OK);
    struct trusted_op_call_signed cs = {.call = itee_buf_slice(&cb), .nonce = 0};
    assert_int_equal(trusted_op_call_sign(&cs.sig, &alice, cs.call, 0, fx.mrenclave, fx.mrenclave),
                     ITEE_OK);
    assert_int_equal(itee_buf_append(&req, fx.mrenclave, 32), ITEE_OK);
    assert_int_equal(itee_buf_push(&req, 0), ITEE_OK);
    assert_int_equal(trusted_op_call_signed_put(&req, &cs), ITEE_OK);
    assert_int_equal(enclave_host_stf_execute(fx.h, req.ptr, req.len, &out), ITEE_OK);
    uint32_t result = (uint32_t)out.ptr[0] | (uint32_t)out.ptr[1] << 8;

    /* the nonce moved whatever the call's result (a shard without a root refuses set_balance:
     * the root comes from the parentchain init) */
    p = getter_params(&alice, TRUSTED_OP_TRUSTED_NONCE, fx.mrenclave);
    call_rv(&cl, "state_executeGetter", p, &b, &rv);
    itee_free(p);
    const uint8_t nonce1[6] = {1, 0x10, 1, 0, 0, 0};
    assert_int_equal(rv.value.len, sizeof(nonce1));
    assert_memory_equal(rv.value.ptr, nonce1, sizeof(nonce1));

    /* free_balance: Some(SCALE(u128)) - 1000 if the shard has //Alice as root, else 0 */
    p = getter_params(&alice, TRUSTED_OP_TRUSTED_FREE_BALANCE, fx.mrenclave);
    call_rv(&cl, "state_executeGetter", p, &b, &rv);
    itee_free(p);
    assert_int_equal(rv.status, TRUSTED_OP_STATUS_OK);
    assert_int_equal(rv.value.len, 18);
    assert_int_equal(rv.value.ptr[0], 1);
    assert_int_equal(rv.value.ptr[1], 16 << 2);
    uint16_t low = (uint16_t)(rv.value.ptr[2] | rv.value.ptr[3] << 8);
    assert_int_equal(low, result == 0 ? 1000 : 0);

    /* a shard this worker does not serve: Error, and nothing loaded */
    uint8_t other[32];
    memset(other, 0xee, sizeof(other));
    p = getter_params(&alice, TRUSTED_OP_TRUSTED_NONCE, other);
    call_rv(&cl, "state_executeGetter", p, &b, &rv);
    itee_free(p);
    assert_int_equal(rv.status, TRUSTED_OP_STATUS_ERROR);

    client_close(&cl);
    srv_stop(&v);
    keys_pair_clear(&alice);
    itee_buf_free(&b);
    itee_buf_free(&out);
    itee_buf_free(&cb);
    itee_buf_free(&req);
}

/* A client pinned to another key stops in the handshake; plain ws:// and garbage get no
 * plaintext and a closed socket; the server keeps serving. */
static void test_refusals(void **state)
{
    (void)state;
    struct srv v;
    srv_start(&v, 0);
    struct client cl;
    uint8_t wrong[32];
    memcpy(wrong, fx.signer, 32);
    wrong[0] ^= 1;
    assert_int_equal(client_open(&cl, v.port, wrong), ITEE_ERR_TLS_PEER_KEY);

    char url[64];
    (void)snprintf(url, sizeof(url), "ws://127.0.0.1:%u", v.port);
    struct rpc_client *plain = NULL;
    assert_int_not_equal(rpc_client_connect(&plain, url, 5000), ITEE_OK);

    /* an HTTP upgrade in clear text: no HTTP answer, the socket is closed */
    static const char up[] = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: "
                             "Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\n";
    uint8_t got[4096];
    int fd = raw_connect(v.port);
    assert_int_equal(send(fd, up, sizeof(up) - 1, 0), (ssize_t)(sizeof(up) - 1));
    long n = read_to_eof(fd, got, sizeof(got));
    assert_true(n >= 0);
    for (long i = 0; i + 4 <= n; i++)
        assert_false(memcmp(got + i, "HTTP", 4) == 0);
    close(fd);

    /* garbage bytes */
    uint8_t junk[8192];
    for (size_t i = 0; i < sizeof(junk); i++)
        junk[i] = (uint8_t)(i * 131u + 7u);
    fd = raw_connect(v.port);
    (void)send(fd, junk, sizeof(junk), MSG_NOSIGNAL);
    assert_true(read_to_eof(fd, got, sizeof(got)) >= 0);
    close(fd);

    /* still serving */
    assert_int_equal(client_open(&cl, v.port, fx.signer), ITEE_OK);
    json_t *res = NULL;
    assert_int_equal(rpc_client_call_text(cl.c, "system_name", "[]", &res), ITEE_OK);
    json_decref(res);
    client_close(&cl);
    srv_stop(&v);
    wait_open(0);
}

/* The enclave holds at most ENCLAVE_TRPC_MAX_CONNS streams; the host has its own limit. */
static void test_connection_limits(void **state)
{
    (void)state;
    struct srv v;
    srv_start(&v, 4 * ENCLAVE_TRPC_MAX_CONNS); /* the enclave's limit is the one hit */
    wait_open(0);
    uint32_t open;
    uint64_t refused0, refused1, calls;
    metrics(&open, &refused0, NULL, &calls);
    static int fds[ENCLAVE_TRPC_MAX_CONNS];
    for (size_t i = 0; i < ENCLAVE_TRPC_MAX_CONNS; i++)
        fds[i] = raw_connect(v.port);
    wait_open(ENCLAVE_TRPC_MAX_CONNS);
    uint8_t got[64];
    int extra = raw_connect(v.port);
    assert_int_equal(read_to_eof(extra, got, sizeof(got)), 0); /* closed at once, nothing sent */
    close(extra);
    metrics(&open, &refused1, NULL, &calls);
    assert_int_equal(open, ENCLAVE_TRPC_MAX_CONNS);
    assert_int_equal(refused1, refused0 + 1);
    /* one goes, a new one comes in */
    close(fds[0]);
    wait_open(ENCLAVE_TRPC_MAX_CONNS - 1);
    struct client cl;
    assert_int_equal(client_open(&cl, v.port, fx.signer), ITEE_OK);
    client_close(&cl);
    for (size_t i = 1; i < ENCLAVE_TRPC_MAX_CONNS; i++)
        close(fds[i]);
    wait_open(0);
    srv_stop(&v);

    /* the host's limit: two connections, the third closed without reaching the enclave */
    srv_start(&v, 2);
    int a = raw_connect(v.port), b = raw_connect(v.port);
    wait_open(2);
    extra = raw_connect(v.port);
    assert_int_equal(read_to_eof(extra, got, sizeof(got)), 0);
    close(extra);
    metrics(&open, &refused0, NULL, &calls);
    assert_int_equal(open, 2);
    close(a);
    close(b);
    srv_stop(&v);
    wait_open(0); /* stop told the enclave about whatever was still open */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ecall_contract),    cmocka_unit_test(test_methods),
        cmocka_unit_test(test_execute_getter),    cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_connection_limits),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
