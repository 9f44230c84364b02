/*
 * http_server.c - a small HTTP/1.1 endpoint server on a libuv loop (see http_server.h).
 *
 * Lifetime: every connection owns two libuv handles (socket, idle timer) and is freed when both
 * have closed; the server struct goes when its listener and all connections are closed.
 */
#define _DEFAULT_SOURCE
#include "net/http_server.h"

#include <string.h>

#include "common/mem.h"
#include "proto/http.h"

#define HTTP_SERVER_IDLE_MS  10000 /* a connection silent this long is closed */
#define HTTP_SERVER_MAX_BODY 4096  /* request bodies are not expected */

struct hconn {
    struct hconn *next, *prev; /* server's list */
    struct http_server *srv;   /* owner */
    uv_tcp_t tcp;              /* socket */
    uv_timer_t timer;          /* idle timeout */
    uv_write_t wr;             /* the one response write */
    struct http_conn *http;    /* request parser */
    struct itee_buf out;       /* response bytes */
    unsigned handles;          /* open libuv handles */
    bool closing;              /* uv_close called */
    bool answered;             /* a response is being written */
};

struct http_server {
    uv_loop_t *loop;            /* the node's loop */
    uv_tcp_t listener;          /* listening socket */
    http_server_route_fn route; /* answers a request */
    void *ctx;                  /* for route */
    struct hconn *conns;        /* open connections */
    size_t nconns;              /* their number */
    unsigned handles;           /* listener + connections' handles */
    uint16_t port;              /* bound port */
    bool stopping;              /* metrics_server_stop was called */
    char rbuf[4096];            /* read buffer (one thread) */
};

static void server_release(struct http_server *s)
{
    if (--s->handles == 0)
        itee_free(s);
}

static void listener_closed(uv_handle_t *h)
{
    server_release(h->data);
}

static void hconn_closed(uv_handle_t *h)
{
    struct hconn *c = h->data;
    struct http_server *s = c->srv;
    if (--c->handles == 0) {
        if (c->prev != NULL)
            c->prev->next = c->next;
        else
            s->conns = c->next;
        if (c->next != NULL)
            c->next->prev = c->prev;
        s->nconns--;
        http_conn_free(c->http);
        itee_buf_free(&c->out);
        itee_free(c);
    }
    server_release(s);
}

static void hconn_close(struct hconn *c)
{
    if (c->closing)
        return;
    c->closing = true;
    uv_read_stop((uv_stream_t *)&c->tcp);
    uv_close((uv_handle_t *)&c->tcp, hconn_closed);
    uv_close((uv_handle_t *)&c->timer, hconn_closed);
}

static void on_idle(uv_timer_t *t)
{
    hconn_close(t->data);
}

static void on_written(uv_write_t *w, int status)
{
    (void)status;
    hconn_close(w->data);
}

static void respond(struct hconn *c, int status, const char *type, const void *body, size_t len)
{
    c->answered = true;
    uv_read_stop((uv_stream_t *)&c->tcp);
    if (http_response_write(&c->out, status, type, body, len, false) != ITEE_OK) {
        hconn_close(c);
        return;
    }
    uv_buf_t b = uv_buf_init((char *)c->out.ptr, (unsigned int)c->out.len);
    c->wr.data = c;
    if (uv_write(&c->wr, (uv_stream_t *)&c->tcp, &b, 1, on_written) != 0)
        hconn_close(c);
}

static void serve(struct hconn *c, const struct http_request *r)
{
    struct http_server *s = c->srv;
    struct itee_buf body;
    itee_buf_init(&body, HTTP_SERVER_MAX_RESPONSE);
    const char *type = "text/plain";
    int status = r->verb == HTTP_VERB_GET ? s->route(s->ctx, r->path, &body, &type) : 405;
    respond(c, status, type, body.ptr, body.len);
    itee_buf_free(&body);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    struct hconn *c = h->data;
    *buf = uv_buf_init(c->srv->rbuf, sizeof(c->srv->rbuf));
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    struct hconn *c = st->data;
    if (nread < 0) {
        hconn_close(c);
        return;
    }
    if (nread == 0 || c->answered)
        return;
    size_t used = 0;
    enum http_event ev = HTTP_EV_MORE;
    int status = 400;
    if (http_conn_feed(c->http, (const uint8_t *)buf->base, (size_t)nread, &used, &ev, &status) !=
        ITEE_OK) {
        hconn_close(c);
        return;
    }
    if (ev == HTTP_EV_REQUEST)
        serve(c, http_conn_request(c->http));
    else if (ev == HTTP_EV_ERROR)
        respond(c, status, "text/plain", "", 0);
}

static void on_connection(uv_stream_t *l, int status)
{
    struct http_server *s = l->data;
    if (status < 0 || s->stopping)
        return;
    struct hconn *c = itee_zalloc(sizeof(*c));
    if (c == NULL)
        return;
    c->srv = s;
    itee_buf_init(&c->out, 0);
    if (uv_tcp_init(s->loop, &c->tcp) != 0) {
        itee_free(c);
        return;
    }
    uv_timer_init(s->loop, &c->timer);
    c->tcp.data = c->timer.data = c;
    c->handles = 2;
    s->handles += 2;
    c->next = s->conns;
    if (s->conns != NULL)
        s->conns->prev = c;
    s->conns = c;
    s->nconns++;
    if (uv_accept(l, (uv_stream_t *)&c->tcp) != 0 || s->nconns > HTTP_SERVER_MAX_CONNS ||
        http_conn_new(&c->http, HTTP_SERVER_MAX_BODY) != ITEE_OK ||
        uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0 ||
        uv_timer_start(&c->timer, on_idle, HTTP_SERVER_IDLE_MS, 0) != 0)
        hconn_close(c);
}

enum itee_err http_server_start(struct http_server **out, uv_loop_t *loop, const char *host,
                                uint16_t port, http_server_route_fn route, void *ctx)
{
    *out = NULL;
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof(addr));
    if (uv_ip4_addr(host, port, (struct sockaddr_in *)&addr) != 0 &&
        uv_ip6_addr(host, port, (struct sockaddr_in6 *)&addr) != 0)
        return ITEE_ERR_ARG;
    struct http_server *s = itee_zalloc(sizeof(*s));
    if (s == NULL)
        return ITEE_ERR_NOMEM;
    s->loop = loop;
    s->route = route;
    s->ctx = ctx;
    if (uv_tcp_init(loop, &s->listener) != 0) {
        itee_free(s);
        return ITEE_ERR_IO;
    }
    s->listener.data = s;
    s->handles = 1;
    if (uv_tcp_bind(&s->listener, (const struct sockaddr *)&addr, 0) != 0 ||
        uv_listen((uv_stream_t *)&s->listener, 64, on_connection) != 0) {
        uv_close((uv_handle_t *)&s->listener, listener_closed);
        return ITEE_ERR_IO;
    }
    struct sockaddr_storage bound;
    int blen = sizeof(bound);
    if (uv_tcp_getsockname(&s->listener, (struct sockaddr *)&bound, &blen) == 0)
        s->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                    : ((struct sockaddr_in *)&bound)->sin_port);
    *out = s;
    return ITEE_OK;
}

uint16_t http_server_port(const struct http_server *s)
{
    return s->port;
}

void http_server_stop(struct http_server *s)
{
    if (s == NULL || s->stopping)
        return;
    s->stopping = true;
    for (struct hconn *c = s->conns; c != NULL; c = c->next)
        hconn_close(c);
    uv_close((uv_handle_t *)&s->listener, listener_closed);
}
