/*
 * tls_rpc_server.c - JSON-RPC over TLS (https and wss) the way the worker's trusted RPC runs:
 * libuv moves only ciphertext; a tls_rpc stream (as inside the enclave: TLS on memory BIOs in
 * front of the HTTP/WebSocket/JSON-RPC engine) decrypts, answers and encrypts. The certificate's
 * key is the ed25519 key of the seed given on the command line, so clients can pin it. Methods:
 * echo, system_health, chain_subscribeNewHeads (a counter every 100 ms) with its unsubscribe.
 * Prints "<port> <ed25519 public key hex>" on stdout; stops on SIGTERM/SIGINT. Usage:
 * tls_rpc_server <seed: 64 hex digits> [port]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "common/hex.h"
#include "common/mem.h"
#include "crypto/ed25519.h"
#include "proto/rpc.h"
#include "proto/tls.h"
#include "proto/tls_rpc.h"

#define SRV_READ_CHUNK (64 * 1024)                /* bytes per read callback */
#define SRV_MAX_QUEUED ((size_t)32 * 1024 * 1024) /* unsent ciphertext before dropping */

struct app {
    uv_loop_t *loop;           /* the loop */
    uv_tcp_t listener;         /* listening socket */
    uv_prepare_t prepare;      /* writes asynchronous output before the loop sleeps */
    uv_timer_t heads;          /* "block production" */
    uv_signal_t sigterm;       /* stop on SIGTERM */
    uv_signal_t sigint;        /* stop on SIGINT */
    struct rpc_server *rpc;    /* methods */
    struct tls_ctx *tls;       /* server certificate and key */
    struct conn *conns;        /* open connections */
    long head;                 /* current head number */
    char rbuf[SRV_READ_CHUNK]; /* read buffer (one thread) */
};

struct conn {
    struct conn *next, *prev; /* app's connection list */
    struct app *app;          /* owner */
    uv_tcp_t tcp;             /* the socket */
    struct tls_rpc *stream;   /* TLS + JSON-RPC: ciphertext in, ciphertext out */
    size_t queued;            /* ciphertext handed to uv_write, not yet written */
    bool dirty;               /* output appeared outside a read */
    bool finishing;           /* close once queued reaches zero */
    bool closing;             /* uv_close called */
};

struct wreq {
    uv_write_t req;    /* libuv request */
    struct conn *conn; /* connection written to */
    uint8_t *data;     /* ciphertext, owned */
    size_t len;        /* its length */
};

static void conn_closed(uv_handle_t *h)
{
    struct conn *c = h->data;
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        c->app->conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    itee_free(c);
}

static void conn_close(struct conn *c)
{
    if (c->closing)
        return;
    c->closing = true;
    tls_rpc_free(c->stream);
    c->stream = NULL;
    uv_close((uv_handle_t *)&c->tcp, conn_closed);
}

static void write_done(uv_write_t *req, int status)
{
    struct wreq *w = (struct wreq *)req;
    struct conn *c = w->conn;
    c->queued -= w->len;
    itee_free(w->data);
    itee_free(w);
    if (!c->closing && (status < 0 || (c->finishing && c->queued == 0)))
        conn_close(c);
}

/* Sends every pending ciphertext byte. */
static void conn_send_cipher(struct conn *c)
{
    size_t pending = tls_rpc_cipher_pending(c->stream);
    if (pending == 0)
        return;
    struct wreq *w = itee_zalloc(sizeof(*w));
    uint8_t *data = itee_alloc(pending);
    if (w == NULL || data == NULL ||
        tls_rpc_take_cipher(c->stream, data, pending, &w->len) != ITEE_OK) {
        itee_free(w);
        itee_free(data);
        conn_close(c);
        return;
    }
    w->data = data;
    w->conn = c;
    uv_buf_t b = uv_buf_init((char *)w->data, (unsigned int)w->len);
    if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, write_done) != 0) {
        itee_free(w->data);
        itee_free(w);
        conn_close(c);
        return;
    }
    c->queued += w->len;
    if (c->queued > SRV_MAX_QUEUED)
        conn_close(c); /* slow consumer */
}

/* Sends the stream's ciphertext; closes once a finished stream's output is written. */
static void conn_flush(struct conn *c)
{
    c->dirty = false;
    if (c->closing)
        return;
    conn_send_cipher(c);
    if (!c->closing && tls_rpc_done(c->stream)) {
        c->finishing = true;
        if (c->queued == 0)
            conn_close(c);
    }
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    struct conn *c = stream->data;
    if (c->closing)
        return;
    if (nread < 0) {
        conn_close(c);
        return;
    }
    if (nread == 0 || c->finishing)
        return;
    enum itee_err r = tls_rpc_feed(c->stream, (const uint8_t *)buf->base, (size_t)nread);
    if (r != ITEE_OK)
        fprintf(stderr, "tls_rpc_server: dropping a client: %s (%s)\n", itee_strerror(r),
                tls_rpc_reason(c->stream));
    conn_flush(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    struct conn *c = h->data;
    buf->base = c->app->rbuf;
    buf->len = sizeof(c->app->rbuf);
}

static void conn_wake(void *ctx)
{
    struct conn *c = ctx;
    c->dirty = true;
}

static void on_prepare(uv_prepare_t *p)
{
    struct app *a = p->data;
    struct conn *next;
    for (struct conn *c = a->conns; c != NULL; c = next) {
        next = c->next;
        if (!c->dirty || c->closing)
            continue;
        if (tls_rpc_poll(c->stream) != ITEE_OK) {
            /* the stream is done; conn_flush sends what is left and closes */
        }
        conn_flush(c);
    }
}

static void on_connection(uv_stream_t *listener, int status)
{
    struct app *a = listener->data;
    if (status < 0)
        return;
    struct conn *c = itee_zalloc(sizeof(*c));
    if (c == NULL || uv_tcp_init(a->loop, &c->tcp) != 0) {
        itee_free(c);
        return;
    }
    c->app = a;
    c->tcp.data = c;
    c->next = a->conns;
    if (a->conns != NULL)
        a->conns->prev = c;
    a->conns = c;
    if (uv_accept(listener, (uv_stream_t *)&c->tcp) != 0 ||
        tls_rpc_new(&c->stream, a->tls, a->rpc, 0, conn_wake, c) != ITEE_OK ||
        uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0)
        conn_close(c);
}

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
    for (struct conn *c = a->conns; c != NULL; c = c->next)
        conn_close(c);
    uv_close((uv_handle_t *)&a->listener, NULL);
    uv_close((uv_handle_t *)&a->prepare, NULL);
    uv_close((uv_handle_t *)&a->heads, NULL);
    uv_close((uv_handle_t *)&a->sigterm, NULL);
    uv_close((uv_handle_t *)&a->sigint, NULL);
}

/* Makes the TLS context from the seed and prints the port and public key. */
static int setup_tls(struct app *a, const char *seed_hex, uint16_t port)
{
    uint8_t seed[ED25519_SEED_LEN];
    struct ed25519_keypair kp;
    if (itee_hex_decode_exact(seed, sizeof(seed), seed_hex, strlen(seed_hex)) != ITEE_OK ||
        ed25519_keypair_from_seed(&kp, seed) != ITEE_OK)
        return 1;
    static const char *const names[] = {"localhost", "127.0.0.1"};
    struct tls_server_config cfg = {.common_name = "integritee-enclave (software mode)",
                                    .alt_names = names,
                                    .alt_names_len = 2,
                                    .now = (uint64_t)time(NULL)};
    enum itee_err r = tls_server_ctx_new(&a->tls, seed, &cfg);
    itee_memzero(seed, sizeof(seed));
    if (r != ITEE_OK) {
        ed25519_keypair_clear(&kp);
        return 1;
    }
    char hex[2 * ED25519_PUBLIC_LEN + 1];
    for (size_t i = 0; i < ED25519_PUBLIC_LEN; i++)
        snprintf(hex + 2 * i, 3, "%02x", kp.public.bytes[i]);
    ed25519_keypair_clear(&kp);
    printf("%u %s\n", port, hex);
    fflush(stdout);
    return 0;
}

static int listen_on(struct app *a, long port, uint16_t *bound)
{
    struct sockaddr_in addr;
    struct sockaddr_storage got;
    int len = sizeof(got);
    if (uv_ip4_addr("127.0.0.1", (int)port, &addr) != 0 || uv_tcp_init(a->loop, &a->listener) != 0)
        return 1;
    a->listener.data = a;
    if (uv_tcp_bind(&a->listener, (const struct sockaddr *)&addr, 0) != 0 ||
        uv_listen((uv_stream_t *)&a->listener, 128, on_connection) != 0 ||
        uv_tcp_getsockname(&a->listener, (struct sockaddr *)&got, &len) != 0)
        return 1;
    *bound = ntohs(((struct sockaddr_in *)&got)->sin_port);
    return 0;
}

int main(int argc, char **argv)
{
    static struct app a; /* large buffers: not on the stack */
    a.loop = uv_default_loop();
    long port = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
    uint16_t bound = 0;
    if (argc < 2 || port < 0 || port > 65535 || rpc_server_new(&a.rpc, NULL) != ITEE_OK ||
        rpc_register(a.rpc, "echo", h_echo, &a) != ITEE_OK ||
        rpc_register(a.rpc, "system_health", h_health, &a) != ITEE_OK ||
        rpc_register_sub(a.rpc, "chain_subscribeNewHeads", "chain_newHead",
                         "chain_unsubscribeNewHeads", h_sub, &a, NULL, NULL) != ITEE_OK ||
        listen_on(&a, port, &bound) != 0 || setup_tls(&a, argv[1], bound) != 0) {
        fprintf(stderr, "usage: tls_rpc_server <seed hex> [port] (setup failed)\n");
        return 1;
    }
    uv_prepare_init(a.loop, &a.prepare);
    a.prepare.data = &a;
    uv_prepare_start(&a.prepare, on_prepare);
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
    tls_ctx_free(a.tls);
    return uv_loop_close(a.loop) == 0 ? 0 : 1;
}
