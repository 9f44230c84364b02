/*
 * server.c - libuv TCP server moving bytes between sockets and rpc_session engines.
 *
 * Lifetime: a connection's session is freed as soon as the connection starts closing (so its
 * subscriptions end at once and nothing is queued for a dead socket); the struct itself goes
 * in the libuv close callback. The server struct goes when its last handle has closed.
 */
#include "net/server.h"

#include <string.h>

#include "common/mem.h"
#include "proto/rpc_session.h"

#define NET_READ_CHUNK (64 * 1024) /* bytes per read callback */
#define NET_LINGER_MS  2000        /* how long a finished connection drains input */

struct net_conn {
    struct net_conn *next, *prev; /* server's connection list */
    struct net_server *srv;       /* owner */
    uv_tcp_t tcp;                 /* the socket */
    uv_timer_t timer;             /* HTTP idle timeout, then the bound on lingering */
    uv_shutdown_t shut;           /* half-close request of a finished connection */
    unsigned handles;             /* open libuv handles of this connection */
    struct rpc_session *sess;     /* protocol engine; NULL once closing */
    size_t queued;                /* bytes handed to uv_write and not yet written */
    bool dirty;                   /* output appeared outside a read: flush in prepare */
    bool close_after_write;       /* linger once queued drops to zero */
    bool lingering;               /* output done, write side shut, input discarded */
    bool closing;                 /* uv_close called */
    bool counted;                 /* counts against max_conns */
};

struct net_write {
    uv_write_t req;        /* libuv request; req.data is unused */
    struct net_conn *conn; /* connection written to */
    uint8_t *data;         /* bytes, owned (itee_alloc) */
    size_t len;            /* their length */
};

struct net_server {
    uv_loop_t *loop;           /* the program's loop */
    uv_tcp_t listener;         /* listening socket */
    uv_prepare_t prepare;      /* before-sleep hook writing asynchronous output */
    struct rpc_server *rpc;    /* JSON-RPC method table */
    size_t max_conns;          /* connection limit */
    size_t max_out;            /* per-connection unsent byte cap */
    uint64_t idle_ms;          /* HTTP idle timeout */
    size_t nconns;             /* connections counted against the limit */
    struct net_conn *conns;    /* all connections, closing ones included */
    uint16_t port;             /* bound port */
    unsigned handles;          /* open libuv handles; the struct is freed at zero */
    bool stopping;             /* net_server_stop was called */
    char rbuf[NET_READ_CHUNK]; /* read buffer shared by all connections (one thread) */
};

static void server_handle_closed(uv_handle_t *h)
{
    struct net_server *srv = h->data;
    if (--srv->handles == 0)
        itee_free(srv);
}

static void conn_closed(uv_handle_t *h)
{
    struct net_conn *c = h->data;
    struct net_server *srv = c->srv;
    if (--c->handles > 0) {
        if (--srv->handles == 0)
            itee_free(srv);
        return;
    }
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        srv->conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    itee_free(c);
    if (--srv->handles == 0)
        itee_free(srv);
}

static void conn_close(struct net_conn *c)
{
    if (c->closing)
        return;
    c->closing = true;
    if (c->counted) {
        c->counted = false;
        c->srv->nconns--;
    }
    rpc_session_free(c->sess);
    c->sess = NULL;
    uv_read_stop((uv_stream_t *)&c->tcp);
    uv_close((uv_handle_t *)&c->tcp, conn_closed);
    if (c->handles > 1)
        uv_close((uv_handle_t *)&c->timer, conn_closed);
}

/* Idle HTTP connection, or lingering for too long. */
static void timer_fired(uv_timer_t *t)
{
    conn_close(t->data);
}

static void shutdown_done(uv_shutdown_t *req, int status)
{
    (void)req;
    (void)status;
}

/*
 * The session is finished and its output written: shut the write side and discard input until
 * the peer closes or NET_LINGER_MS pass. Closing at once would make the kernel answer unread
 * input with a reset, and the client could lose the last answer (e.g. a 1009 close frame).
 */
static void conn_linger(struct net_conn *c)
{
    if (c->lingering || c->closing)
        return;
    c->lingering = true;
    rpc_session_free(c->sess);
    c->sess = NULL;
    if (uv_shutdown(&c->shut, (uv_stream_t *)&c->tcp, shutdown_done) != 0 ||
        uv_timer_start(&c->timer, timer_fired, NET_LINGER_MS, 0) != 0)
        conn_close(c);
}

static void write_done(uv_write_t *req, int status)
{
    struct net_write *w = (struct net_write *)req;
    struct net_conn *c = w->conn;
    c->queued -= w->len;
    itee_free(w->data);
    itee_free(w);
    if (c->closing)
        return;
    if (status < 0)
        conn_close(c);
    else if (c->close_after_write && c->queued == 0)
        conn_linger(c);
}

/* Writes the session's pending output and closes when the session is finished. */
static void conn_flush(struct net_conn *c)
{
    c->dirty = false;
    if (c->closing || c->sess == NULL)
        return;
    struct itee_buf *out = rpc_session_output(c->sess);
    if (out->len > 0) {
        struct net_write *w = itee_zalloc(sizeof(*w));
        if (w == NULL) {
            conn_close(c);
            return;
        }
        itee_buf_take(out, &w->data, &w->len);
        w->conn = c;
        uv_buf_t b = uv_buf_init((char *)w->data, (unsigned int)w->len);
        if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, write_done) != 0) {
            itee_free(w->data);
            itee_free(w);
            conn_close(c);
            return;
        }
        c->queued += w->len;
        if (c->queued > c->srv->max_out) {
            conn_close(c); /* slow consumer: drop rather than buffer without bound */
            return;
        }
    }
    if (rpc_session_done(c->sess)) {
        if (c->queued == 0)
            conn_linger(c);
        else
            c->close_after_write = true;
    }
}

static void conn_wake(void *ctx)
{
    struct net_conn *c = ctx;
    c->dirty = true;
}

static void on_prepare(uv_prepare_t *p)
{
    struct net_server *srv = p->data;
    for (struct net_conn *c = srv->conns; c != NULL; c = c->next) {
        if (!c->dirty || c->closing || c->lingering)
            continue;
        if (rpc_session_poll(c->sess) != ITEE_OK)
            rpc_session_abort(c->sess);
        conn_flush(c);
    }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    struct net_conn *c = h->data;
    buf->base = c->srv->rbuf;
    buf->len = sizeof(c->srv->rbuf);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    struct net_conn *c = stream->data;
    if (c->closing)
        return;
    if (nread < 0) {
        conn_close(c);
        return;
    }
    if (nread == 0 || c->lingering)
        return; /* a finished connection's input is discarded */
    if (rpc_session_feed(c->sess, (const uint8_t *)buf->base, (size_t)nread) != ITEE_OK)
        rpc_session_abort(c->sess);
    /* HTTP must make progress (slowloris); WebSocket clients may stay quiet */
    if (rpc_session_is_ws(c->sess))
        (void)uv_timer_stop(&c->timer);
    else
        (void)uv_timer_start(&c->timer, timer_fired, c->srv->idle_ms, 0);
    conn_flush(c);
}

static void on_connection(uv_stream_t *listener, int status)
{
    struct net_server *srv = listener->data;
    if (status < 0 || srv->stopping)
        return;
    struct net_conn *c = itee_zalloc(sizeof(*c));
    if (c == NULL)
        return;
    c->srv = srv;
    c->tcp.data = c;
    c->handles = 1;
    if (uv_tcp_init(srv->loop, &c->tcp) != 0) {
        itee_free(c);
        return;
    }
    srv->handles++;
    if (uv_timer_init(srv->loop, &c->timer) == 0) {
        c->timer.data = c;
        c->handles++;
        srv->handles++;
    }
    c->next = srv->conns;
    if (srv->conns != NULL)
        srv->conns->prev = c;
    srv->conns = c;
    c->closing = false;
    if (c->handles < 2 || uv_accept(listener, (uv_stream_t *)&c->tcp) != 0 ||
        srv->nconns >= srv->max_conns ||
        rpc_session_new(&c->sess, srv->rpc, srv->max_out, conn_wake, c) != ITEE_OK) {
        conn_close(c); /* over the limit: the client sees the connection closed */
        return;
    }
    c->counted = true;
    srv->nconns++;
    (void)uv_tcp_nodelay(&c->tcp, 1);
    if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0 ||
        uv_timer_start(&c->timer, timer_fired, srv->idle_ms, 0) != 0)
        conn_close(c);
}

enum itee_err net_server_start(struct net_server **out, uv_loop_t *loop,
                               const struct net_server_config *cfg, struct rpc_server *rpc)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (loop == NULL || cfg == NULL || cfg->host == NULL || rpc == NULL)
        return ITEE_ERR_ARG;
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof(addr));
    if (uv_ip4_addr(cfg->host, cfg->port, (struct sockaddr_in *)&addr) != 0 &&
        uv_ip6_addr(cfg->host, cfg->port, (struct sockaddr_in6 *)&addr) != 0)
        return ITEE_ERR_ARG;
    struct net_server *srv = itee_zalloc(sizeof(*srv));
    if (srv == NULL)
        return ITEE_ERR_NOMEM;
    srv->loop = loop;
    srv->rpc = rpc;
    srv->max_conns = cfg->max_conns ? cfg->max_conns : NET_DEFAULT_MAX_CONNS;
    srv->max_out = cfg->max_out ? cfg->max_out : NET_DEFAULT_MAX_OUT;
    srv->idle_ms = cfg->idle_ms ? cfg->idle_ms : NET_DEFAULT_IDLE_MS;
    if (uv_tcp_init(loop, &srv->listener) != 0) {
        itee_free(srv);
        return ITEE_ERR_IO;
    }
    srv->listener.data = srv;
    srv->handles = 1;
    if (uv_tcp_bind(&srv->listener, (const struct sockaddr *)&addr, 0) != 0 ||
        uv_listen((uv_stream_t *)&srv->listener, 128, on_connection) != 0) {
        uv_close((uv_handle_t *)&srv->listener, server_handle_closed);
        return ITEE_ERR_IO;
    }
    struct sockaddr_storage bound;
    int blen = sizeof(bound);
    if (uv_tcp_getsockname(&srv->listener, (struct sockaddr *)&bound, &blen) == 0)
        srv->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                      : ((struct sockaddr_in *)&bound)->sin_port);
    if (uv_prepare_init(loop, &srv->prepare) == 0) {
        srv->prepare.data = srv;
        srv->handles++;
        (void)uv_prepare_start(&srv->prepare, on_prepare);
        uv_unref((uv_handle_t *)&srv->prepare); /* never keeps the loop alive by itself */
    }
    *out = srv;
    return ITEE_OK;
}

uint16_t net_server_port(const struct net_server *srv)
{
    return srv->port;
}

uv_loop_t *net_server_loop(const struct net_server *srv)
{
    return srv->loop;
}

size_t net_server_conn_count(const struct net_server *srv)
{
    return srv->nconns;
}

void net_server_stop(struct net_server *srv)
{
    if (srv == NULL || srv->stopping)
        return;
    srv->stopping = true;
    for (struct net_conn *c = srv->conns; c != NULL; c = c->next)
        conn_close(c);
    uv_close((uv_handle_t *)&srv->listener, server_handle_closed);
    if (srv->prepare.data == srv) /* set only when the prepare handle was initialised */
        uv_close((uv_handle_t *)&srv->prepare, server_handle_closed);
}
