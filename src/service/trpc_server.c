/*
 * trpc_server.c - libuv listener moving trusted-RPC ciphertext to and from the enclave (see
 * trpc_server.h).
 */
#include "trpc_server.h"

#include <stdbool.h>
#include <string.h>

#include "common/bytes.h"
#include "common/log.h"
#include "common/mem.h"

#define TRPC_READ_CHUNK ((size_t)64 * 1024) /* bytes per read callback (<= EDL_TRPC_FEED_MAX) */

struct trpc_conn;

struct trpc_server {
    uv_loop_t *loop;              /* the caller's loop */
    struct enclave_host *enclave; /* where the ciphertext goes */
    uv_tcp_t listener;            /* listening socket */
    uint16_t port;                /* bound port */
    size_t max_conns;             /* limit on open connections */
    size_t max_queued;            /* unsent bytes per connection before dropping */
    struct trpc_conn *conns;      /* open connections */
    size_t handles;               /* libuv handles not yet closed (listener + sockets) */
    bool stopping;                /* trpc_server_stop was called */
    uint64_t next_id;             /* next connection id */
    struct trpc_server_stats stats;
    struct itee_buf out;        /* enclave output of the current feed */
    char rbuf[TRPC_READ_CHUNK]; /* read buffer (one thread) */
};

struct trpc_conn {
    struct trpc_conn *next, *prev; /* server's list */
    struct trpc_server *srv;       /* owner */
    uv_tcp_t tcp;                  /* the socket */
    uint64_t id;                   /* connection id in the enclave */
    bool in_enclave;               /* the enclave holds a stream for id */
    bool counted;                  /* counted in stats.open */
    bool finishing;                /* close once queued reaches zero */
    bool closing;                  /* uv_close called */
    size_t queued;                 /* bytes handed to uv_write, not yet written */
};

struct trpc_write {
    uv_write_t req;         /* libuv request */
    struct trpc_conn *conn; /* connection written to */
    uint8_t *data;          /* ciphertext, owned */
    size_t len;             /* its length */
};

/* Frees the server when its last handle is closed after stop. */
static void srv_maybe_free(struct trpc_server *s)
{
    if (!s->stopping || s->handles > 0)
        return;
    itee_buf_free(&s->out);
    itee_free(s);
}

static void srv_handle_closed(uv_handle_t *h)
{
    struct trpc_server *s = h->data;
    s->handles--;
    srv_maybe_free(s);
}

static void conn_closed(uv_handle_t *h)
{
    struct trpc_conn *c = h->data;
    struct trpc_server *s = c->srv;
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    itee_free(c);
    s->handles--;
    srv_maybe_free(s);
}

/* Closes the socket and forgets the enclave's stream. */
static void conn_close(struct trpc_conn *c)
{
    if (c->closing)
        return;
    c->closing = true;
    if (c->in_enclave) {
        /* an id the enclave already dropped (after a failed feed) is not an error here */
        (void)enclave_host_trpc_close(c->srv->enclave, c->id);
        c->in_enclave = false;
    }
    if (c->counted) {
        c->srv->stats.open--;
        c->counted = false;
    }
    uv_close((uv_handle_t *)&c->tcp, conn_closed);
}

static void conn_drop(struct trpc_conn *c, const char *why)
{
    if (c->closing)
        return;
    c->srv->stats.dropped++;
    ITEE_LOG(ITEE_LOG_DEBUG, "trusted rpc: dropping connection %llu: %s", (unsigned long long)c->id,
             why);
    conn_close(c);
}

static void write_done(uv_write_t *req, int status)
{
    struct trpc_write *w = (struct trpc_write *)req;
    struct trpc_conn *c = w->conn;
    c->queued -= w->len;
    itee_free(w->data);
    itee_free(w);
    if (c->closing)
        return;
    if (status < 0)
        conn_drop(c, uv_strerror(status));
    else if (c->finishing && c->queued == 0)
        conn_close(c);
}

/* Writes the server's current output buffer to c (taking its memory). */
static void conn_send(struct trpc_conn *c)
{
    struct trpc_server *s = c->srv;
    if (s->out.len == 0)
        return;
    struct trpc_write *w = itee_zalloc(sizeof(*w));
    if (w == NULL) {
        conn_drop(c, "out of memory");
        return;
    }
    itee_buf_take(&s->out, &w->data, &w->len);
    w->conn = c;
    uv_buf_t b = uv_buf_init((char *)w->data, (unsigned int)w->len);
    int rc = uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, write_done);
    if (rc != 0) {
        itee_free(w->data);
        itee_free(w);
        conn_drop(c, uv_strerror(rc));
        return;
    }
    c->queued += w->len;
    if (c->queued > s->max_queued)
        conn_drop(c, "slow consumer");
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    struct trpc_conn *c = stream->data;
    if (c->closing || nread == 0)
        return;
    if (nread < 0) {
        conn_close(c); /* EOF or reset: the client is gone */
        return;
    }
    if (c->finishing || !c->in_enclave)
        return; /* the enclave is done with this stream: ignore what still comes */
    bool close = false;
    enum itee_err r = enclave_host_trpc_feed(c->srv->enclave, c->id, (const uint8_t *)buf->base,
                                             (size_t)nread, &c->srv->out, &close);
    if (r != ITEE_OK) {
        itee_buf_reset(&c->srv->out);
        conn_drop(c, itee_strerror(r));
        return;
    }
    if (close)
        c->in_enclave = false; /* the enclave forgot the id already */
    conn_send(c);
    if (c->closing || !close)
        return;
    c->finishing = true;
    uv_read_stop(stream);
    if (c->queued == 0)
        conn_close(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    struct trpc_conn *c = h->data;
    buf->base = c->srv->rbuf;
    buf->len = sizeof(c->srv->rbuf);
}

static void on_connection(uv_stream_t *listener, int status)
{
    struct trpc_server *s = listener->data;
    if (status < 0 || s->stopping)
        return;
    struct trpc_conn *c = itee_zalloc(sizeof(*c));
    if (c == NULL)
        return; /* the socket waits in the backlog; libuv calls again on the next one */
    if (uv_tcp_init(s->loop, &c->tcp) != 0) {
        itee_free(c);
        return;
    }
    c->srv = s;
    c->id = ++s->next_id;
    c->tcp.data = c;
    c->next = s->conns;
    if (s->conns != NULL)
        s->conns->prev = c;
    s->conns = c;
    s->handles++;
    if (uv_accept(listener, (uv_stream_t *)&c->tcp) != 0) {
        conn_close(c);
        return;
    }
    if (s->stats.open >= s->max_conns) {
        s->stats.refused++;
        conn_close(c);
        return;
    }
    enum itee_err r = enclave_host_trpc_open(s->enclave, c->id);
    if (r != ITEE_OK) {
        s->stats.refused++;
        ITEE_LOG(ITEE_LOG_DEBUG, "trusted rpc: enclave refused a connection: %s", itee_strerror(r));
        conn_close(c);
        return;
    }
    c->in_enclave = true;
    c->counted = true;
    s->stats.open++;
    s->stats.accepted++;
    (void)uv_tcp_nodelay(&c->tcp, 1);
    if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0)
        conn_drop(c, "read_start failed");
}

static enum itee_err srv_bind(struct trpc_server *s, const char *host, uint16_t port)
{
    struct sockaddr_storage addr;
    if (uv_ip4_addr(host, port, (struct sockaddr_in *)&addr) != 0 &&
        uv_ip6_addr(host, port, (struct sockaddr_in6 *)&addr) != 0)
        return ITEE_ERR_ARG;
    if (uv_tcp_init(s->loop, &s->listener) != 0)
        return ITEE_ERR_CONN;
    s->listener.data = s;
    s->handles++;
    struct sockaddr_storage got;
    int len = sizeof(got);
    if (uv_tcp_bind(&s->listener, (const struct sockaddr *)&addr, 0) != 0 ||
        uv_listen((uv_stream_t *)&s->listener, TRPC_SERVER_BACKLOG, on_connection) != 0 ||
        uv_tcp_getsockname(&s->listener, (struct sockaddr *)&got, &len) != 0)
        return ITEE_ERR_CONN;
    s->port = got.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&got)->sin6_port)
                                        : ntohs(((struct sockaddr_in *)&got)->sin_port);
    return ITEE_OK;
}

enum itee_err trpc_server_start(struct trpc_server **out, uv_loop_t *loop,
                                struct enclave_host *enclave, const struct trpc_server_config *cfg)
{
    if (out == NULL || loop == NULL || enclave == NULL || cfg == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    struct trpc_server *s = itee_zalloc(sizeof(*s));
    if (s == NULL)
        return ITEE_ERR_NOMEM;
    s->loop = loop;
    s->enclave = enclave;
    s->max_conns = cfg->max_conns != 0 ? cfg->max_conns : TRPC_SERVER_DEFAULT_CONNS;
    s->max_queued = cfg->max_queued != 0 ? cfg->max_queued : TRPC_SERVER_DEFAULT_QUEUED;
    itee_buf_init(&s->out, 0);
    enum itee_err r = srv_bind(s, cfg->host != NULL ? cfg->host : "127.0.0.1", cfg->port);
    if (r != ITEE_OK) {
        s->stopping = true;
        if (s->handles > 0)
            uv_close((uv_handle_t *)&s->listener, srv_handle_closed); /* frees s */
        else
            srv_maybe_free(s);
        return r;
    }
    *out = s;
    return ITEE_OK;
}

uint16_t trpc_server_port(const struct trpc_server *s)
{
    return s != NULL ? s->port : 0;
}

void trpc_server_stats(const struct trpc_server *s, struct trpc_server_stats *out)
{
    if (s == NULL || out == NULL)
        return;
    *out = s->stats;
}

void trpc_server_stop(struct trpc_server *s)
{
    if (s == NULL || s->stopping)
        return;
    s->stopping = true;
    for (struct trpc_conn *c = s->conns; c != NULL; c = c->next)
        conn_close(c);
    uv_close((uv_handle_t *)&s->listener, srv_handle_closed);
}
