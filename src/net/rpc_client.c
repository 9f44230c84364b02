/*
 * rpc_client.c - blocking JSON-RPC over WebSocket: a TCP socket (non-blocking, driven by poll
 * with deadlines), the client side of src/proto/ws, and jansson for the messages.
 */
#include "net/rpc_client.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/bytes.h"
#include "common/mem.h"
#include "proto/ws.h"

struct rpc_client {
    int fd;                                /* the TCP socket */
    struct rpc_client_transport transport; /* bytes in and out */
    struct ws_conn *ws;                    /* client-side WebSocket */
    struct itee_buf out;                   /* frames waiting to be written */
    uint32_t timeout_ms;                   /* per call */
    uint64_t next_id;                      /* id of the next request */
    json_t *answer;                        /* the answer being waited for, once seen */
    uint64_t want_id;                      /* its id */
    json_t **queue;                        /* notifications, oldest first (ring) */
    size_t q_head, q_len;                  /* ring position and length */
    size_t dropped;                        /* notifications lost to a full queue */
    int err_code;                          /* last remote error */
    char err_msg[RPC_CLIENT_MAX_ERROR];    /* its message */
    bool dead;                             /* the connection is closed */
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static long plain_write(void *ctx, int fd, const uint8_t *data, size_t len)
{
    (void)ctx;
    ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
    if (n >= 0)
        return (long)n;
    return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
}

static long plain_read(void *ctx, int fd, uint8_t *buf, size_t cap)
{
    (void)ctx;
    ssize_t n = recv(fd, buf, cap, 0);
    if (n > 0)
        return (long)n;
    if (n == 0)
        return -1;
    return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
}

static bool copy_bounded(char *dst, size_t cap, const char *src, size_t n)
{
    if (n >= cap)
        return false;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return true;
}

static enum itee_err parse_port(const char *p, size_t n, uint16_t *port)
{
    if (n == 0 || n > 5)
        return ITEE_ERR_URL;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return ITEE_ERR_URL;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    if (v == 0 || v > 65535)
        return ITEE_ERR_URL;
    *port = (uint16_t)v;
    return ITEE_OK;
}

enum itee_err rpc_client_parse_url(const char *url, struct rpc_client_url *out)
{
    if (url == NULL || out == NULL)
        return ITEE_ERR_ARG;
    memset(out, 0, sizeof(*out));
    const char *p;
    if (strncmp(url, "ws://", 5) == 0) {
        p = url + 5;
        out->port = 80;
    } else if (strncmp(url, "wss://", 6) == 0) {
        p = url + 6;
        out->port = 443;
        out->tls = 1;
    } else {
        return ITEE_ERR_URL;
    }
    const char *slash = strchr(p, '/');
    size_t auth_len = slash ? (size_t)(slash - p) : strlen(p);
    if (!copy_bounded(out->path, sizeof(out->path), slash ? slash : "/", slash ? strlen(slash) : 1))
        return ITEE_ERR_URL;
    const char *host = p, *port = NULL;
    size_t host_len = auth_len, port_len = 0;
    if (auth_len > 0 && p[0] == '[') { /* [IPv6]:port */
        const char *close = memchr(p, ']', auth_len);
        if (close == NULL)
            return ITEE_ERR_URL;
        host = p + 1;
        host_len = (size_t)(close - host);
        size_t rest = auth_len - (size_t)(close - p) - 1;
        if (rest > 0) {
            if (close[1] != ':')
                return ITEE_ERR_URL;
            port = close + 2;
            port_len = rest - 1;
        }
    } else {
        const char *colon = memchr(p, ':', auth_len);
        if (colon != NULL) {
            host_len = (size_t)(colon - p);
            port = colon + 1;
            port_len = auth_len - host_len - 1;
        }
    }
    if (host_len == 0 || !copy_bounded(out->host, sizeof(out->host), host, host_len))
        return ITEE_ERR_URL;
    for (size_t i = 0; i < host_len; i++)
        if (host[i] == ' ' || host[i] == '@' || (unsigned char)host[i] < 0x21)
            return ITEE_ERR_URL;
    if (port != NULL && parse_port(port, port_len, &out->port) != ITEE_OK)
        return ITEE_ERR_URL;
    return ITEE_OK;
}

/* Waits until fd is readable/writable (events) or the deadline passes. */
static enum itee_err wait_fd(int fd, short events, uint64_t deadline)
{
    for (;;) {
        uint64_t now = now_ms();
        if (now >= deadline)
            return ITEE_ERR_TIMEOUT;
        struct pollfd pfd = {.fd = fd, .events = events};
        int r = poll(&pfd, 1, (int)(deadline - now > 60000 ? 60000 : deadline - now));
        if (r > 0)
            return (pfd.revents & (POLLERR | POLLNVAL)) && !(pfd.revents & POLLIN) ? ITEE_ERR_CONN
                                                                                   : ITEE_OK;
        if (r < 0 && errno != EINTR)
            return ITEE_ERR_CONN;
    }
}

static enum itee_err tcp_connect(const struct rpc_client_url *u, uint64_t deadline, int *fd_out)
{
    char port[8];
    (void)snprintf(port, sizeof(port), "%u", (unsigned)u->port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    if (getaddrinfo(u->host, port, &hints, &res) != 0)
        return ITEE_ERR_CONN;
    enum itee_err r = ITEE_ERR_CONN;
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        int fd =
            socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
            close(fd);
            continue;
        }
        r = wait_fd(fd, POLLOUT, deadline);
        int soerr = 0;
        socklen_t len = sizeof(soerr);
        if (r == ITEE_OK && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 && soerr == 0) {
            *fd_out = fd;
            freeaddrinfo(res);
            return ITEE_OK;
        }
        close(fd);
        if (r == ITEE_ERR_TIMEOUT)
            break;
        r = ITEE_ERR_CONN;
    }
    freeaddrinfo(res);
    return r;
}

/* Writes all of c->out before the deadline. */
static enum itee_err flush_out(struct rpc_client *c, uint64_t deadline)
{
    size_t off = 0;
    while (off < c->out.len) {
        long n = c->transport.write(c->transport.ctx, c->fd, c->out.ptr + off, c->out.len - off);
        if (n < 0) {
            c->dead = true;
            return ITEE_ERR_CONN;
        }
        if (n == 0) {
            enum itee_err r = wait_fd(c->fd, POLLOUT, deadline);
            if (r != ITEE_OK)
                return r;
            continue;
        }
        off += (size_t)n;
    }
    itee_buf_reset(&c->out);
    return ITEE_OK;
}

static void queue_push(struct rpc_client *c, json_t *msg)
{
    if (c->q_len == RPC_CLIENT_MAX_QUEUED) { /* drop the oldest: a consumer this slow resyncs */
        json_decref(c->queue[c->q_head]);
        c->q_head = (c->q_head + 1) % RPC_CLIENT_MAX_QUEUED;
        c->q_len--;
        c->dropped++;
    }
    c->queue[(c->q_head + c->q_len) % RPC_CLIENT_MAX_QUEUED] = msg;
    c->q_len++;
}

static enum itee_err on_ws_msg(void *ctx, const uint8_t *data, size_t len, bool text)
{
    struct rpc_client *c = ctx;
    (void)text;
    json_t *msg = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, NULL);
    if (msg == NULL || !json_is_object(msg)) {
        json_decref(msg);
        return ITEE_OK; /* not ours to answer; the caller times out if its answer never comes */
    }
    json_t *id = json_object_get(msg, "id");
    if (json_object_get(msg, "method") != NULL && id == NULL) {
        queue_push(c, msg);
        return ITEE_OK;
    }
    if (json_is_integer(id) && (uint64_t)json_integer_value(id) == c->want_id &&
        c->answer == NULL) {
        c->answer = msg;
        return ITEE_OK;
    }
    json_decref(msg); /* an answer to a call we gave up on */
    return ITEE_OK;
}

/* Reads what is available (waiting until the deadline for at least one byte) into the WebSocket. */
static enum itee_err pump(struct rpc_client *c, uint64_t deadline)
{
    if (c->dead)
        return ITEE_ERR_CONN;
    bool buffered = c->transport.pending != NULL && c->transport.pending(c->transport.ctx);
    if (!buffered) {
        enum itee_err r = wait_fd(c->fd, POLLIN, deadline);
        if (r != ITEE_OK)
            return r;
    }
    uint8_t buf[16384];
    long n = c->transport.read(c->transport.ctx, c->fd, buf, sizeof(buf));
    if (n < 0) {
        c->dead = true;
        return ITEE_ERR_CONN;
    }
    if (n == 0)
        return ITEE_OK;
    enum itee_err r = ws_conn_feed(c->ws, buf, (size_t)n);
    if (r != ITEE_OK)
        return r;
    /* answers to pings and closes */
    r = ws_conn_flush(c->ws, &c->out);
    if (r == ITEE_OK)
        r = flush_out(c, deadline);
    if (ws_conn_done(c->ws))
        c->dead = true;
    return r;
}

static enum itee_err handshake(struct rpc_client *c, const struct rpc_client_url *u,
                               uint64_t deadline)
{
    char key[WS_CLIENT_KEY_LEN + 1];
    char host[300];
    int n = (u->port == 80 || u->port == 443)
                ? snprintf(host, sizeof(host), "%s", u->host)
                : snprintf(host, sizeof(host), "%s:%u", u->host, (unsigned)u->port);
    if (n < 0 || (size_t)n >= sizeof(host))
        return ITEE_ERR_URL;
    enum itee_err r = ws_client_request(&c->out, host, u->path, key);
    if (r == ITEE_OK)
        r = flush_out(c, deadline);
    if (r != ITEE_OK)
        return r == ITEE_ERR_ARG ? ITEE_ERR_URL : r;
    struct itee_buf in;
    itee_buf_init(&in, WS_MAX_RESPONSE + 16384);
    size_t used = 0;
    while (used == 0) {
        bool buffered = c->transport.pending != NULL && c->transport.pending(c->transport.ctx);
        if (!buffered && (r = wait_fd(c->fd, POLLIN, deadline)) != ITEE_OK)
            goto cleanup;
        uint8_t buf[4096];
        long got = c->transport.read(c->transport.ctx, c->fd, buf, sizeof(buf));
        if (got < 0) {
            r = ITEE_ERR_CONN;
            goto cleanup;
        }
        if ((r = itee_buf_append(&in, buf, (size_t)got)) != ITEE_OK)
            goto cleanup;
        if (ws_client_response_check(in.ptr, in.len, key, &used) != ITEE_OK) {
            r = ITEE_ERR_CONN;
            goto cleanup;
        }
    }
    r = ws_conn_new_client(&c->ws, RPC_CLIENT_MAX_MSG, on_ws_msg, c);
    if (r == ITEE_OK && in.len > used) /* frames that came with the response */
        r = ws_conn_feed(c->ws, in.ptr + used, in.len - used);
cleanup:
    itee_buf_free(&in);
    return r;
}

enum itee_err rpc_client_connect_with(struct rpc_client **out, const char *url, uint32_t timeout_ms,
                                      const struct rpc_client_transport *transport,
                                      enum itee_err (*setup)(void *ctx, int fd,
                                                             const struct rpc_client_url *url,
                                                             uint32_t timeout_ms))
{
    if (out == NULL || url == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    struct rpc_client_url u;
    enum itee_err r = rpc_client_parse_url(url, &u);
    if (r != ITEE_OK)
        return r;
    if (u.tls && transport == NULL)
        return ITEE_ERR_UNSUPPORTED;
    if (timeout_ms == 0)
        timeout_ms = RPC_CLIENT_DEFAULT_TIMEOUT_MS;
    uint64_t deadline = now_ms() + timeout_ms;
    struct rpc_client *c = itee_zalloc(sizeof(*c));
    if (c == NULL)
        return ITEE_ERR_NOMEM;
    c->fd = -1;
    c->timeout_ms = RPC_CLIENT_DEFAULT_TIMEOUT_MS;
    c->next_id = 1;
    itee_buf_init(&c->out, RPC_CLIENT_MAX_MSG + 64);
    if (transport != NULL) {
        c->transport = *transport;
    } else {
        c->transport.write = plain_write;
        c->transport.read = plain_read;
    }
    c->queue = itee_alloc_array(RPC_CLIENT_MAX_QUEUED, sizeof(json_t *));
    if (c->queue == NULL) {
        r = ITEE_ERR_NOMEM;
        goto cleanup;
    }
    if ((r = tcp_connect(&u, deadline, &c->fd)) != ITEE_OK)
        goto cleanup;
    if (setup != NULL) {
        uint64_t now = now_ms();
        if (now >= deadline) {
            r = ITEE_ERR_TIMEOUT;
            goto cleanup;
        }
        if ((r = setup(c->transport.ctx, c->fd, &u, (uint32_t)(deadline - now))) != ITEE_OK)
            goto cleanup;
    }
    if ((r = handshake(c, &u, deadline)) != ITEE_OK)
        goto cleanup;
    *out = c;
    return ITEE_OK;
cleanup:
    rpc_client_free(c);
    return r;
}

enum itee_err rpc_client_connect(struct rpc_client **out, const char *url, uint32_t timeout_ms)
{
    return rpc_client_connect_with(out, url, timeout_ms, NULL, NULL);
}

void rpc_client_free(struct rpc_client *c)
{
    if (c == NULL)
        return;
    if (c->ws != NULL && !c->dead && ws_conn_close(c->ws, WS_CLOSE_NORMAL, "bye") == ITEE_OK &&
        ws_conn_flush(c->ws, &c->out) == ITEE_OK)
        (void)flush_out(c, now_ms() + 200); /* best effort: the peer learns we left */
    ws_conn_free(c->ws);
    if (c->fd >= 0)
        close(c->fd);
    for (size_t i = 0; i < c->q_len; i++)
        json_decref(c->queue[(c->q_head + i) % RPC_CLIENT_MAX_QUEUED]);
    itee_free(c->queue);
    json_decref(c->answer);
    itee_buf_free(&c->out);
    itee_free(c);
}

void rpc_client_set_timeout(struct rpc_client *c, uint32_t timeout_ms)
{
    c->timeout_ms = timeout_ms ? timeout_ms : RPC_CLIENT_DEFAULT_TIMEOUT_MS;
}

static void set_remote_error(struct rpc_client *c, const json_t *err)
{
    c->err_code = (int)json_integer_value(json_object_get(err, "code"));
    const char *m = json_string_value(json_object_get(err, "message"));
    (void)snprintf(c->err_msg, sizeof(c->err_msg), "%s", m ? m : "(no message)");
}

enum itee_err rpc_client_call(struct rpc_client *c, const char *method, json_t *params,
                              json_t **result)
{
    if (c == NULL || method == NULL || result == NULL || (params && !json_is_array(params)))
        return ITEE_ERR_ARG;
    *result = NULL;
    uint64_t deadline = now_ms() + c->timeout_ms;
    c->want_id = c->next_id++;
    json_decref(c->answer);
    c->answer = NULL;
    json_t *p = params ? json_incref(params) : json_array();
    /* "o" steals p, also when packing fails */
    json_t *req = json_pack("{s:s, s:I, s:s, s:o}", "jsonrpc", "2.0", "id", (json_int_t)c->want_id,
                            "method", method, "params", p);
    if (req == NULL)
        return ITEE_ERR_NOMEM;
    char *text = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    if (text == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err r = ws_conn_send(c->ws, (const uint8_t *)text, strlen(text), true);
    free(text);
    if (r == ITEE_OK)
        r = ws_conn_flush(c->ws, &c->out);
    if (r == ITEE_OK)
        r = flush_out(c, deadline);
    while (r == ITEE_OK && c->answer == NULL)
        r = pump(c, deadline);
    if (r != ITEE_OK)
        return r == ITEE_ERR_SPACE ? ITEE_ERR_CONN : r;
    json_t *ans = c->answer;
    c->answer = NULL;
    json_t *err = json_object_get(ans, "error");
    if (err != NULL) {
        set_remote_error(c, err);
        json_decref(ans);
        return ITEE_ERR_RPC_REMOTE;
    }
    json_t *res = json_object_get(ans, "result");
    *result = res ? json_incref(res) : json_null();
    json_decref(ans);
    return ITEE_OK;
}

enum itee_err rpc_client_call_text(struct rpc_client *c, const char *method,
                                   const char *params_json, json_t **result)
{
    if (result != NULL)
        *result = NULL;
    json_t *params = params_json ? json_loads(params_json, 0, NULL) : NULL;
    if (params_json != NULL && !json_is_array(params)) {
        json_decref(params);
        return ITEE_ERR_ARG;
    }
    enum itee_err r = rpc_client_call(c, method, params, result);
    json_decref(params);
    return r;
}

int rpc_client_last_error(const struct rpc_client *c, const char **message)
{
    if (message != NULL)
        *message = c->err_msg;
    return c->err_code;
}

enum itee_err rpc_client_next_notification(struct rpc_client *c, uint32_t timeout_ms, json_t **msg)
{
    if (c == NULL || msg == NULL)
        return ITEE_ERR_ARG;
    *msg = NULL;
    uint64_t deadline = now_ms() + timeout_ms;
    enum itee_err r = ITEE_OK;
    while (c->q_len == 0 && r == ITEE_OK)
        r = pump(c, deadline);
    if (c->q_len == 0)
        return r;
    *msg = c->queue[c->q_head];
    c->q_head = (c->q_head + 1) % RPC_CLIENT_MAX_QUEUED;
    c->q_len--;
    return ITEE_OK;
}

size_t rpc_client_dropped(const struct rpc_client *c)
{
    return c->dropped;
}
