/*
 * rpc_session.c - HTTP then (optionally) WebSocket framing around one struct rpc_conn.
 *
 * In HTTP state all received bytes go to an input buffer and are parsed one request at a
 * time; while a POST waits for a deferred JSON-RPC answer, later bytes stay buffered (HTTP/1.1
 * answers in order). After the 101 answer the rest of the input is WebSocket frames, and
 * every JSON-RPC output (response or notification) becomes one text frame.
 */
#include "proto/rpc_session.h"

#include <string.h>

#include "common/mem.h"
#include "proto/http.h"
#include "proto/ws.h"

enum sess_state {
    SESS_HTTP, /* HTTP/1.1 requests */
    SESS_WS,   /* WebSocket after the upgrade */
    SESS_DONE, /* close once the output is written */
};

struct rpc_session {
    struct rpc_server *srv;   /* JSON-RPC server */
    struct rpc_conn *conn;    /* JSON-RPC connection of this stream */
    struct http_conn *http;   /* HTTP parser */
    struct ws_conn *ws;       /* WebSocket state, after the upgrade */
    enum sess_state state;    /* protocol phase */
    struct itee_buf out;      /* bytes to send, bounded by max_out */
    struct itee_buf in;       /* unparsed HTTP input */
    bool waiting;             /* a POST waits for its JSON-RPC answer */
    bool answered;            /* the current POST got its answer */
    bool keep_alive;          /* the current request allows another one */
    bool health;              /* the current request is GET /health */
    bool aborted;             /* output overflowed: drop the stream */
    unsigned in_feed;         /* >0 inside feed/poll: no wake calls needed */
    rpc_session_wake_fn wake; /* output-available hook */
    void *wake_ctx;           /* its context */
};

static void sess_abort(struct rpc_session *s)
{
    s->aborted = true;
    s->state = SESS_DONE;
    itee_buf_reset(&s->out); /* a dropped client gets nothing more */
}

static void sess_wake(struct rpc_session *s)
{
    if (s->in_feed == 0 && s->wake != NULL)
        s->wake(s->wake_ctx);
}

/* Appends an HTTP response; a full output buffer drops the stream. */
static void sess_http_answer(struct rpc_session *s, int status, const char *ctype, const void *body,
                             size_t len)
{
    bool keep = s->keep_alive;
    if (http_response_write(&s->out, status, ctype, body, len, keep) != ITEE_OK) {
        sess_abort(s);
        return;
    }
    if (!keep)
        s->state = SESS_DONE;
}

/* JSON-RPC output for an HTTP request: the response body (or the result, for /health). */
static void sess_http_result(struct rpc_session *s, const char *text, size_t len)
{
    s->answered = true;
    if (!s->health) {
        sess_http_answer(s, 200, "application/json; charset=utf-8", text, len);
        return;
    }
    json_t *doc = json_loadb(text, len, 0, NULL);
    json_t *res = json_object_get(doc, "result");
    char *body = res != NULL ? json_dumps(res, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    if (body != NULL)
        sess_http_answer(s, 200, "application/json; charset=utf-8", body, strlen(body));
    else
        sess_http_answer(s, 500, NULL, NULL, 0);
    free(body);
    json_decref(doc);
}

static enum itee_err sess_send(void *ctx, const char *text, size_t len)
{
    struct rpc_session *s = ctx;
    switch (s->state) {
    case SESS_HTTP:
        if (!s->waiting || s->answered)
            return ITEE_ERR_IO; /* nothing asked for it */
        sess_http_result(s, text, len);
        if (s->in_feed == 0 && s->state == SESS_HTTP) {
            /* a deferred answer: let poll parse what was buffered meanwhile */
            s->waiting = false;
            http_conn_next(s->http);
        }
        sess_wake(s);
        return ITEE_OK;
    case SESS_WS: {
        enum itee_err r = ws_conn_send(s->ws, (const uint8_t *)text, len, true);
        if (r == ITEE_OK)
            r = ws_conn_flush(s->ws, &s->out);
        if (r == ITEE_ERR_SPACE)
            sess_abort(s);
        sess_wake(s);
        return r;
    }
    default:
        return ITEE_ERR_IO;
    }
}

static enum itee_err sess_ws_msg(void *ctx, const uint8_t *data, size_t len, bool text)
{
    (void)text; /* jsonrpsee accepts JSON in binary frames too */
    struct rpc_session *s = ctx;
    enum itee_err r = rpc_conn_handle(s->conn, (const char *)data, len);
    return r == ITEE_ERR_NOMEM ? r : ITEE_OK;
}

enum itee_err rpc_session_new(struct rpc_session **out, struct rpc_server *srv, size_t max_out,
                              rpc_session_wake_fn wake, void *ctx)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (srv == NULL)
        return ITEE_ERR_ARG;
    struct rpc_session *s = itee_zalloc(sizeof(*s));
    if (s == NULL)
        return ITEE_ERR_NOMEM;
    s->srv = srv;
    s->wake = wake;
    s->wake_ctx = ctx;
    itee_buf_init(&s->out, max_out ? max_out : RPC_SESSION_DEFAULT_MAX_OUT);
    /* room for one maximal request plus its headers (http-parser caps headers at 80 KiB) */
    itee_buf_init(&s->in, rpc_server_limits(srv)->max_request + 96 * 1024);
    enum itee_err r = http_conn_new(&s->http, rpc_server_limits(srv)->max_request);
    if (r == ITEE_OK)
        r = rpc_conn_new(&s->conn, srv, sess_send, s, false);
    if (r != ITEE_OK) {
        rpc_session_free(s);
        return r;
    }
    *out = s;
    return ITEE_OK;
}

void rpc_session_free(struct rpc_session *s)
{
    if (s == NULL)
        return;
    s->state = SESS_DONE; /* on_end hooks of subscriptions must not send */
    rpc_conn_free(s->conn);
    ws_conn_free(s->ws);
    http_conn_free(s->http);
    itee_buf_free(&s->out);
    itee_buf_free(&s->in);
    itee_free(s);
}

/* Switches to WebSocket if the handshake is right. */
static void sess_upgrade(struct rpc_session *s, const struct http_request *req)
{
    char accept[WS_ACCEPT_LEN + 1];
    if (req->verb != HTTP_VERB_GET || req->ws_version != 13 ||
        ws_accept_key(req->ws_key, req->ws_key_len, accept) != ITEE_OK) {
        s->keep_alive = false;
        sess_http_answer(s, 400, NULL, NULL, 0);
        return;
    }
    if (ws_conn_new(&s->ws, rpc_server_limits(s->srv)->max_request, sess_ws_msg, s) != ITEE_OK ||
        http_response_upgrade(&s->out, accept) != ITEE_OK) {
        sess_abort(s);
        return;
    }
    rpc_conn_set_subscribe(s->conn, true);
    s->state = SESS_WS;
}

static enum itee_err sess_post(struct rpc_session *s, const struct http_request *req)
{
    if (!req->json) {
        sess_http_answer(s, 415, NULL, NULL, 0);
        return ITEE_OK;
    }
    s->waiting = true;
    s->answered = false;
    enum itee_err r = rpc_conn_handle(s->conn, (const char *)req->body.ptr, req->body.len);
    if (r == ITEE_ERR_NOMEM)
        return r;
    if (!s->answered && rpc_conn_pending(s->conn) > 0)
        return ITEE_OK; /* stays waiting for the deferred answer */
    if (!s->answered)   /* notifications only: nothing to say */
        sess_http_answer(s, 200, "application/json; charset=utf-8", NULL, 0);
    s->waiting = false;
    return ITEE_OK;
}

static enum itee_err sess_request(struct rpc_session *s, const struct http_request *req)
{
    s->keep_alive = req->keep_alive;
    s->health = false;
    if (req->upgrade_ws) {
        sess_upgrade(s, req);
        return ITEE_OK;
    }
    switch (req->verb) {
    case HTTP_VERB_OPTIONS:
        if (http_response_preflight(&s->out, s->keep_alive) != ITEE_OK)
            sess_abort(s);
        else if (!s->keep_alive)
            s->state = SESS_DONE;
        return ITEE_OK;
    case HTTP_VERB_POST:
        return sess_post(s, req);
    case HTTP_VERB_GET:
        if (strcmp(req->path, "/health") == 0) {
            static const char q[] = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"system_health\"}";
            s->waiting = true;
            s->answered = false;
            s->health = true;
            enum itee_err r = rpc_conn_handle(s->conn, q, sizeof(q) - 1);
            if (r == ITEE_ERR_NOMEM)
                return r;
            if (!s->answered && rpc_conn_pending(s->conn) > 0)
                return ITEE_OK;
            if (!s->answered)
                sess_http_answer(s, 500, NULL, NULL, 0);
            s->waiting = false;
            return ITEE_OK;
        }
        sess_http_answer(s, 405, NULL, NULL, 0);
        return ITEE_OK;
    default:
        sess_http_answer(s, 405, NULL, NULL, 0);
        return ITEE_OK;
    }
}

/* Drops the first n bytes of the input buffer. */
static void in_consume(struct itee_buf *in, size_t n)
{
    memmove(in->ptr, in->ptr + n, in->len - n);
    in->len -= n;
}

/* Parses buffered HTTP input while no answer is pending. */
static enum itee_err sess_http_process(struct rpc_session *s)
{
    while (s->state == SESS_HTTP && !s->waiting && s->in.len > 0) {
        size_t used = 0;
        enum http_event ev;
        int status = 0;
        enum itee_err r = http_conn_feed(s->http, s->in.ptr, s->in.len, &used, &ev, &status);
        if (r != ITEE_OK)
            return r;
        in_consume(&s->in, used);
        if (ev == HTTP_EV_MORE)
            return ITEE_OK;
        if (ev == HTTP_EV_ERROR) {
            s->keep_alive = false;
            sess_http_answer(s, status, NULL, NULL, 0);
            s->state = SESS_DONE;
            return ITEE_OK;
        }
        r = sess_request(s, http_conn_request(s->http));
        if (r != ITEE_OK)
            return r;
        if (s->state == SESS_WS) {
            /* what follows the handshake is already WebSocket */
            r = ws_conn_feed(s->ws, s->in.ptr, s->in.len);
            s->in.len = 0;
            return r;
        }
        if (!s->waiting)
            http_conn_next(s->http);
    }
    return ITEE_OK;
}

/* Moves pending WebSocket frames to the output and notes the end of the connection. */
static void sess_ws_flush(struct rpc_session *s)
{
    if (s->state != SESS_WS)
        return;
    if (ws_conn_flush(s->ws, &s->out) != ITEE_OK) {
        sess_abort(s);
        return;
    }
    if (ws_conn_done(s->ws))
        s->state = SESS_DONE;
}

enum itee_err rpc_session_feed(struct rpc_session *s, const uint8_t *data, size_t len)
{
    if (s == NULL || (data == NULL && len > 0))
        return ITEE_ERR_ARG;
    enum itee_err r = ITEE_OK;
    s->in_feed++;
    switch (s->state) {
    case SESS_HTTP:
        if (itee_buf_append(&s->in, data, len) != ITEE_OK) {
            /* a request larger than any allowed one: answer 413 and stop */
            s->keep_alive = false;
            sess_http_answer(s, 413, NULL, NULL, 0);
            s->state = SESS_DONE;
            break;
        }
        r = sess_http_process(s);
        break;
    case SESS_WS:
        r = ws_conn_feed(s->ws, data, len);
        break;
    default:
        break;
    }
    sess_ws_flush(s);
    s->in_feed--;
    return r;
}

enum itee_err rpc_session_poll(struct rpc_session *s)
{
    if (s == NULL)
        return ITEE_ERR_ARG;
    s->in_feed++;
    enum itee_err r = s->state == SESS_HTTP ? sess_http_process(s) : ITEE_OK;
    sess_ws_flush(s);
    s->in_feed--;
    return r;
}

struct itee_buf *rpc_session_output(struct rpc_session *s)
{
    return &s->out;
}

bool rpc_session_done(const struct rpc_session *s)
{
    return s->state == SESS_DONE;
}

bool rpc_session_is_ws(const struct rpc_session *s)
{
    return s->ws != NULL;
}

void rpc_session_abort(struct rpc_session *s)
{
    sess_abort(s);
}
