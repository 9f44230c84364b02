/*
 * rpc.c - JSON-RPC 2.0 engine: parsing with limits, dispatch, batches, deferred answers and
 * subscriptions (see rpc.h for the model).
 *
 * Invariants: every struct rpc_sub and struct rpc_pending lives in a server-wide list and
 * points at its connection; rpc_conn_free removes all of them, so lookups by id or token never
 * reach a freed connection. A batch (a single call is a batch of one) stays alive in its
 * connection's list while deferred answers are missing, and is sent once complete.
 */
#include "proto/rpc.h"

#include <sodium.h>
#include <string.h>

#include "common/bytes.h"
#include "common/mem.h"

enum rpc_kind {
    RPC_KIND_PLAIN, /* ordinary method */
    RPC_KIND_SUB,   /* creates subscriptions */
    RPC_KIND_UNSUB, /* cancels subscriptions of notif */
    RPC_KIND_LIST,  /* the rpc_methods builtin */
};

struct rpc_method {
    char *name;            /* method name, owned */
    enum rpc_kind kind;    /* what calling it does */
    rpc_method_fn fn;      /* handler (PLAIN, SUB) */
    void *ctx;             /* handler context */
    char *notif;           /* notification method (SUB, UNSUB), owned */
    rpc_sub_end_fn on_end; /* end-of-subscription hook (SUB), may be NULL */
    void *end_ctx;         /* its context */
};

struct rpc_sub {
    struct rpc_sub *next, *prev;  /* server-wide list */
    char id[RPC_SUB_ID_LEN + 1];  /* the id the client sees */
    struct rpc_conn *conn;        /* owning connection */
    const struct rpc_method *sub; /* the subscribe method: notif name and on_end */
    void *data;                   /* program data handed to on_end */
};

struct rpc_batch {
    struct rpc_batch *next, *prev; /* connection's list of incomplete batches */
    json_t *slots;                 /* array: a response object per call, or null */
    size_t waiting;                /* deferred answers still missing */
    bool single;                   /* a lone call: send the object, not an array */
};

struct rpc_pending {
    struct rpc_pending *next, *prev; /* server-wide list */
    uint64_t token;                  /* name handed to the program */
    struct rpc_conn *conn;           /* owning connection */
    struct rpc_batch *batch;         /* batch holding the slot; NULL for notifications */
    size_t slot;                     /* index in batch->slots */
    json_t *id;                      /* request id (owned reference) */
    const struct rpc_method *method; /* method called */
};

struct rpc_conn {
    struct rpc_conn *next, *prev; /* server's connection list */
    struct rpc_server *srv;       /* owning server */
    uint64_t id;                  /* connection number */
    rpc_send_fn send;             /* transport output */
    void *send_ctx;               /* its context */
    bool subscribe;               /* subscriptions allowed */
    size_t nsubs;                 /* live subscriptions */
    struct rpc_batch *batches;    /* batches waiting for deferred answers */
    size_t npending;              /* length of that list */
    unsigned busy;                /* >0 while input is handled: hold notifications */
    struct rpc_batch *cur;        /* batch being built by rpc_conn_handle, sent by it */
    json_t *held;                 /* notifications held while busy (array) */
    enum itee_err send_err;       /* first send error while busy */
};

struct rpc_server {
    struct rpc_limits limits;       /* effective limits */
    enum rpc_methods_style style;   /* how rpc_methods answers */
    struct rpc_method *methods;     /* sorted by name (strcmp) */
    size_t nmethods, capmethods;    /* used / allocated entries */
    struct rpc_conn *conns;         /* live connections */
    struct rpc_sub *subs;           /* live subscriptions */
    struct rpc_pending *pendings;   /* deferred calls */
    uint64_t next_conn, next_token; /* counters */
};

struct rpc_call {
    struct rpc_conn *conn;           /* connection of the call */
    const struct rpc_method *method; /* method called */
    json_t *id;                      /* request id (borrowed), NULL for a notification */
    struct rpc_batch *batch;         /* where the response goes */
    size_t slot;                     /* index in batch->slots */
    bool answered;                   /* answered or deferred */
};

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *p = itee_alloc(n + 1);
    if (p != NULL)
        memcpy(p, s, n + 1);
    return p;
}

/* Doubly linked list helpers, one per node type (no generic macros that hide control flow). */
#define LIST_UNLINK(head, node)                                                                    \
    do {                                                                                           \
        if ((node)->prev != NULL)                                                                  \
            (node)->prev->next = (node)->next;                                                     \
        else                                                                                       \
            (head) = (node)->next;                                                                 \
        if ((node)->next != NULL)                                                                  \
            (node)->next->prev = (node)->prev;                                                     \
        (node)->next = (node)->prev = NULL;                                                        \
    } while (0)
#define LIST_PUSH(head, node)                                                                      \
    do {                                                                                           \
        (node)->prev = NULL;                                                                       \
        (node)->next = (head);                                                                     \
        if ((head) != NULL)                                                                        \
            (head)->prev = (node);                                                                 \
        (head) = (node);                                                                           \
    } while (0)

/* Server and registration. ---------------------------------------------------------------- */

static void limits_fill(struct rpc_limits *l)
{
    if (l->max_request == 0)
        l->max_request = RPC_DEFAULT_MAX_REQUEST;
    if (l->max_response == 0)
        l->max_response = RPC_DEFAULT_MAX_REQUEST;
    if (l->max_depth == 0)
        l->max_depth = RPC_DEFAULT_MAX_DEPTH;
    if (l->max_batch == 0)
        l->max_batch = RPC_DEFAULT_MAX_BATCH;
    if (l->max_subs == 0)
        l->max_subs = RPC_DEFAULT_MAX_SUBS;
}

/* Returns: the index of name, or -(insertion point) - 1. */
static long method_find(const struct rpc_server *srv, const char *name)
{
    size_t lo = 0, hi = srv->nmethods;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(srv->methods[mid].name, name);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -(long)lo - 1;
}

static const struct rpc_method *method_get(const struct rpc_server *srv, const char *name)
{
    long i = method_find(srv, name);
    return i >= 0 ? &srv->methods[i] : NULL;
}

/* Inserts m (whose strings it takes over) in sorted position. */
static enum itee_err method_insert(struct rpc_server *srv, struct rpc_method *m)
{
    long at = method_find(srv, m->name);
    if (at >= 0)
        return ITEE_ERR_ARG;
    size_t pos = (size_t)(-at - 1);
    if (srv->nmethods == srv->capmethods) {
        size_t cap = srv->capmethods ? srv->capmethods * 2 : 32;
        struct rpc_method *p = itee_realloc(srv->methods, cap * sizeof(*p));
        if (p == NULL)
            return ITEE_ERR_NOMEM;
        srv->methods = p;
        srv->capmethods = cap;
    }
    memmove(&srv->methods[pos + 1], &srv->methods[pos],
            (srv->nmethods - pos) * sizeof(srv->methods[0]));
    srv->methods[pos] = *m;
    srv->nmethods++;
    return ITEE_OK;
}

static enum itee_err method_add(struct rpc_server *srv, const char *name, enum rpc_kind kind,
                                rpc_method_fn fn, void *ctx, const char *notif,
                                rpc_sub_end_fn on_end, void *end_ctx)
{
    if (name == NULL || name[0] == '\0')
        return ITEE_ERR_ARG;
    struct rpc_method m = {
        .kind = kind, .fn = fn, .ctx = ctx, .on_end = on_end, .end_ctx = end_ctx};
    enum itee_err r = ITEE_ERR_NOMEM;
    m.name = dup_str(name);
    if (m.name == NULL)
        goto out;
    if (notif != NULL && (m.notif = dup_str(notif)) == NULL)
        goto out;
    r = method_insert(srv, &m);
    if (r != ITEE_OK)
        goto out;
    return ITEE_OK;
out:
    itee_free(m.name);
    itee_free(m.notif);
    return r;
}

enum itee_err rpc_server_new(struct rpc_server **out, const struct rpc_limits *limits)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    struct rpc_server *srv = itee_zalloc(sizeof(*srv));
    if (srv == NULL)
        return ITEE_ERR_NOMEM;
    if (limits != NULL)
        srv->limits = *limits;
    limits_fill(&srv->limits);
    srv->next_conn = 1;
    srv->next_token = 1;
    enum itee_err r = method_add(srv, "rpc_methods", RPC_KIND_LIST, NULL, NULL, NULL, NULL, NULL);
    if (r != ITEE_OK) {
        rpc_server_free(srv);
        return r;
    }
    *out = srv;
    return ITEE_OK;
}

void rpc_server_free(struct rpc_server *srv)
{
    if (srv == NULL)
        return;
    while (srv->conns != NULL)
        rpc_conn_free(srv->conns);
    for (size_t i = 0; i < srv->nmethods; i++) {
        itee_free(srv->methods[i].name);
        itee_free(srv->methods[i].notif);
    }
    itee_free(srv->methods);
    itee_free(srv);
}

void rpc_server_set_methods_style(struct rpc_server *srv, enum rpc_methods_style style)
{
    srv->style = style;
}

const struct rpc_limits *rpc_server_limits(const struct rpc_server *srv)
{
    return &srv->limits;
}

enum itee_err rpc_register(struct rpc_server *srv, const char *name, rpc_method_fn fn, void *ctx)
{
    if (srv == NULL || fn == NULL)
        return ITEE_ERR_ARG;
    return method_add(srv, name, RPC_KIND_PLAIN, fn, ctx, NULL, NULL, NULL);
}

enum itee_err rpc_register_sub(struct rpc_server *srv, const char *name, const char *notif,
                               const char *unsub, rpc_method_fn fn, void *ctx,
                               rpc_sub_end_fn on_end, void *end_ctx)
{
    if (srv == NULL || fn == NULL || notif == NULL || unsub == NULL || notif[0] == '\0')
        return ITEE_ERR_ARG;
    const struct rpc_method *u = method_get(srv, unsub);
    if (u != NULL && (u->kind != RPC_KIND_UNSUB || strcmp(u->notif, notif) != 0))
        return ITEE_ERR_ARG;
    if (method_get(srv, name) != NULL || strcmp(name, unsub) == 0)
        return ITEE_ERR_ARG;
    enum itee_err r = method_add(srv, name, RPC_KIND_SUB, fn, ctx, notif, on_end, end_ctx);
    if (r != ITEE_OK || u != NULL)
        return r;
    r = method_add(srv, unsub, RPC_KIND_UNSUB, NULL, NULL, notif, NULL, NULL);
    if (r != ITEE_OK) {
        long i = method_find(srv, name);
        itee_free(srv->methods[i].name);
        itee_free(srv->methods[i].notif);
        memmove(&srv->methods[i], &srv->methods[i + 1],
                (srv->nmethods - (size_t)i - 1) * sizeof(srv->methods[0]));
        srv->nmethods--;
    }
    return r;
}

/* Messages. ------------------------------------------------------------------------------- */

static json_t *msg_result(json_t *id, json_t *result)
{
    json_t *o = json_object();
    if (o == NULL || json_object_set_new(o, "jsonrpc", json_string("2.0")) != 0 ||
        json_object_set_new(o, "result", result) != 0 ||
        json_object_set(o, "id", id != NULL ? id : json_null()) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *msg_error(json_t *id, int code, const char *message, json_t *data)
{
    json_t *e = json_object();
    json_t *o = json_object();
    if (e == NULL || o == NULL || json_object_set_new(e, "code", json_integer(code)) != 0 ||
        json_object_set_new(e, "message", json_string(message != NULL ? message : "")) != 0)
        goto fail;
    if (data != NULL) {
        json_t *d = data;
        data = NULL;
        if (json_object_set_new(e, "data", d) != 0)
            goto fail;
    }
    if (json_object_set_new(o, "jsonrpc", json_string("2.0")) != 0)
        goto fail;
    json_t *ee = e;
    e = NULL;
    if (json_object_set_new(o, "error", ee) != 0 ||
        json_object_set(o, "id", id != NULL ? id : json_null()) != 0)
        goto fail;
    return o;
fail:
    json_decref(data);
    json_decref(e);
    json_decref(o);
    return NULL;
}

/* Sends one JSON value (reference stolen), enforcing the response size limit. */
static enum itee_err conn_send_json(struct rpc_conn *conn, json_t *v, bool is_response)
{
    char *text = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    if (text == NULL)
        return ITEE_ERR_NOMEM;
    size_t len = strlen(text);
    if (is_response && len > conn->srv->limits.max_response) {
        free(text);
        json_t *e = msg_error(NULL, RPC_OVERSIZED_RESPONSE, "Response is too big", NULL);
        if (e == NULL)
            return ITEE_ERR_NOMEM;
        text = json_dumps(e, JSON_COMPACT);
        json_decref(e);
        if (text == NULL)
            return ITEE_ERR_NOMEM;
        len = strlen(text);
    }
    enum itee_err r = conn->send(conn->send_ctx, text, len);
    free(text);
    if (r != ITEE_OK && conn->send_err == ITEE_OK)
        conn->send_err = r;
    return r;
}

/* Sends a notification now, or holds it until the connection's input is handled. */
static enum itee_err conn_notify(struct rpc_conn *conn, json_t *msg)
{
    if (conn->busy > 0) {
        if (json_array_append_new(conn->held, msg) != 0)
            return ITEE_ERR_NOMEM;
        return ITEE_OK;
    }
    return conn_send_json(conn, msg, false);
}

/* Sends a complete batch and frees it. */
static enum itee_err batch_send(struct rpc_conn *conn, struct rpc_batch *b)
{
    json_t *out = NULL;
    if (b->single) {
        out = json_incref(json_array_get(b->slots, 0));
        if (out != NULL && !json_is_object(out)) {
            json_decref(out);
            out = NULL;
        }
    } else {
        out = json_array();
        if (out == NULL)
            goto nomem;
        size_t i;
        json_t *v;
        json_array_foreach(b->slots, i, v)
        {
            if (json_is_object(v) && json_array_append(out, v) != 0)
                goto nomem;
        }
        if (json_array_size(out) == 0) {
            json_decref(out);
            out = NULL;
        }
    }
    json_decref(b->slots);
    itee_free(b);
    if (out == NULL)
        return ITEE_OK; /* only notifications: nothing to answer */
    return conn_send_json(conn, out, true);
nomem:
    json_decref(out);
    json_decref(b->slots);
    itee_free(b);
    return ITEE_ERR_NOMEM;
}

static struct rpc_batch *batch_new(size_t n, bool single)
{
    struct rpc_batch *b = itee_zalloc(sizeof(*b));
    if (b == NULL)
        return NULL;
    b->single = single;
    b->slots = json_array();
    if (b->slots == NULL)
        goto fail;
    for (size_t i = 0; i < n; i++)
        if (json_array_append_new(b->slots, json_null()) != 0)
            goto fail;
    return b;
fail:
    json_decref(b->slots);
    itee_free(b);
    return NULL;
}

/* Puts response (stolen) into its slot. */
static enum itee_err slot_fill(struct rpc_batch *b, size_t slot, json_t *response)
{
    if (response == NULL)
        return ITEE_ERR_NOMEM;
    if (b == NULL) {
        json_decref(response);
        return ITEE_OK;
    }
    if (json_array_set_new(b->slots, slot, response) != 0)
        return ITEE_ERR_NOMEM;
    return ITEE_OK;
}

/* Calls. ---------------------------------------------------------------------------------- */

const char *rpc_call_method(const struct rpc_call *call)
{
    return call->method->name;
}

uint64_t rpc_call_conn_id(const struct rpc_call *call)
{
    return call->conn->id;
}

static enum itee_err call_answer(struct rpc_call *call, json_t *msg)
{
    if (call->answered) {
        json_decref(msg);
        return ITEE_ERR_ARG;
    }
    call->answered = true;
    if (call->id == NULL) {
        json_decref(msg);
        return msg == NULL ? ITEE_ERR_NOMEM : ITEE_OK;
    }
    return slot_fill(call->batch, call->slot, msg);
}

enum itee_err rpc_call_reply(struct rpc_call *call, json_t *result)
{
    if (call == NULL || call->answered) {
        json_decref(result);
        return ITEE_ERR_ARG;
    }
    if (result == NULL)
        result = json_null();
    return call_answer(call, msg_result(call->id, result));
}

enum itee_err rpc_call_error(struct rpc_call *call, int code, const char *message, json_t *data)
{
    if (call == NULL || call->answered) {
        json_decref(data);
        return ITEE_ERR_ARG;
    }
    return call_answer(call, msg_error(call->id, code, message, data));
}

enum itee_err rpc_call_invalid_params(struct rpc_call *call, const char *detail)
{
    return rpc_call_error(call, RPC_INVALID_PARAMS, "Invalid params",
                          detail != NULL ? json_string(detail) : NULL);
}

enum itee_err rpc_call_defer(struct rpc_call *call, uint64_t *token)
{
    if (token != NULL)
        *token = 0;
    if (call == NULL || token == NULL || call->answered)
        return ITEE_ERR_ARG;
    struct rpc_pending *p = itee_zalloc(sizeof(*p));
    if (p == NULL)
        return ITEE_ERR_NOMEM;
    struct rpc_server *srv = call->conn->srv;
    p->token = srv->next_token++;
    p->conn = call->conn;
    p->batch = call->id != NULL ? call->batch : NULL;
    p->slot = call->slot;
    p->id = json_incref(call->id);
    p->method = call->method;
    if (p->batch != NULL)
        p->batch->waiting++;
    LIST_PUSH(srv->pendings, p);
    call->answered = true;
    *token = p->token;
    return ITEE_OK;
}

/* Returns: a fresh subscription id not used by any live subscription. */
static void sub_id_make(const struct rpc_server *srv, char id[RPC_SUB_ID_LEN + 1])
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (;;) {
        for (size_t i = 0; i < RPC_SUB_ID_LEN; i++)
            id[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
        id[RPC_SUB_ID_LEN] = '\0';
        const struct rpc_sub *s = srv->subs;
        while (s != NULL && strcmp(s->id, id) != 0)
            s = s->next;
        if (s == NULL)
            return;
    }
}

static struct rpc_sub *sub_find(const struct rpc_server *srv, const char *id)
{
    struct rpc_sub *s = srv->subs;
    while (s != NULL && strcmp(s->id, id) != 0)
        s = s->next;
    return s;
}

/* Creates a subscription for conn; on success *out points at it. */
static enum itee_err sub_create(struct rpc_conn *conn, const struct rpc_method *m, void *data,
                                struct rpc_sub **out)
{
    struct rpc_server *srv = conn->srv;
    if (conn->nsubs >= srv->limits.max_subs)
        return ITEE_ERR_SPACE;
    struct rpc_sub *s = itee_zalloc(sizeof(*s));
    if (s == NULL)
        return ITEE_ERR_NOMEM;
    sub_id_make(srv, s->id);
    s->conn = conn;
    s->sub = m;
    s->data = data;
    LIST_PUSH(srv->subs, s);
    conn->nsubs++;
    *out = s;
    return ITEE_OK;
}

static void sub_destroy(struct rpc_server *srv, struct rpc_sub *s)
{
    LIST_UNLINK(srv->subs, s);
    s->conn->nsubs--;
    if (s->sub->on_end != NULL)
        s->sub->on_end(s->sub->end_ctx, s->id, s->data);
    itee_free(s);
}

enum itee_err rpc_call_sub_accept(struct rpc_call *call, void *data,
                                  char sub_id[RPC_SUB_ID_LEN + 1])
{
    if (sub_id != NULL)
        sub_id[0] = '\0';
    if (call == NULL || sub_id == NULL || call->answered || call->method->kind != RPC_KIND_SUB)
        return ITEE_ERR_ARG;
    struct rpc_sub *s = NULL;
    enum itee_err r = sub_create(call->conn, call->method, data, &s);
    if (r == ITEE_ERR_SPACE) {
        if (rpc_call_error(call, RPC_TOO_MANY_SUBS, "Too many subscriptions on the connection",
                           NULL) != ITEE_OK)
            return ITEE_ERR_NOMEM;
        return ITEE_ERR_SPACE;
    }
    if (r != ITEE_OK)
        return r;
    r = rpc_call_reply(call, json_string(s->id));
    if (r != ITEE_OK) {
        LIST_UNLINK(call->conn->srv->subs, s);
        call->conn->nsubs--;
        itee_free(s);
        return r;
    }
    memcpy(sub_id, s->id, RPC_SUB_ID_LEN + 1);
    return ITEE_OK;
}

/* Builtins. ------------------------------------------------------------------------------- */

/* The original worker's jsonrpc_core answer: the string `methods: ["a", "b"]` (Rust's Debug of
 * a Vec<&str>). */
static enum itee_err builtin_methods_worker(struct rpc_call *call)
{
    const struct rpc_server *srv = call->conn->srv;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    enum itee_err r = itee_buf_append(&b, "methods: [", 10);
    for (size_t i = 0; r == ITEE_OK && i < srv->nmethods; i++) {
        if (i > 0)
            r = itee_buf_append(&b, ", ", 2);
        if (r == ITEE_OK)
            r = itee_buf_push(&b, '"');
        if (r == ITEE_OK)
            r = itee_buf_append(&b, srv->methods[i].name, strlen(srv->methods[i].name));
        if (r == ITEE_OK)
            r = itee_buf_push(&b, '"');
    }
    if (r == ITEE_OK)
        r = itee_buf_push(&b, ']');
    json_t *v = r == ITEE_OK ? json_stringn((const char *)b.ptr, b.len) : NULL;
    itee_buf_free(&b);
    if (v == NULL)
        return ITEE_ERR_NOMEM;
    return rpc_call_reply(call, v);
}

static enum itee_err builtin_methods(struct rpc_call *call)
{
    const struct rpc_server *srv = call->conn->srv;
    if (srv->style == RPC_METHODS_WORKER)
        return builtin_methods_worker(call);
    json_t *list = json_array();
    json_t *res = json_object();
    if (list == NULL || res == NULL)
        goto nomem;
    for (size_t i = 0; i < srv->nmethods; i++)
        if (json_array_append_new(list, json_string(srv->methods[i].name)) != 0)
            goto nomem;
    json_t *l = list;
    list = NULL;
    if (json_object_set_new(res, "methods", l) != 0)
        goto nomem;
    return rpc_call_reply(call, res);
nomem:
    json_decref(list);
    json_decref(res);
    return ITEE_ERR_NOMEM;
}

static enum itee_err builtin_unsub(struct rpc_call *call, json_t *params)
{
    json_t *idv =
        json_is_array(params) ? json_array_get(params, 0) : json_object_get(params, "subscription");
    if (!json_is_string(idv))
        return rpc_call_invalid_params(call, "expected the subscription id");
    struct rpc_server *srv = call->conn->srv;
    struct rpc_sub *s = sub_find(srv, json_string_value(idv));
    bool ok = s != NULL && s->conn == call->conn && strcmp(s->sub->notif, call->method->notif) == 0;
    if (ok)
        sub_destroy(srv, s);
    return rpc_call_reply(call, json_boolean(ok));
}

/* Request handling. ----------------------------------------------------------------------- */

/* Returns: true if the JSON text nests deeper than max (strings are skipped). */
static bool too_deep(const char *text, size_t len, size_t max)
{
    size_t depth = 0;
    bool in_str = false, esc = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_str) {
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return false;
}

static bool id_valid(const json_t *id)
{
    return json_is_number(id) || json_is_string(id) || json_is_null(id);
}

/* Handles one call object req, answering into slot i of b. */
static enum itee_err handle_one(struct rpc_conn *conn, struct rpc_batch *b, size_t i, json_t *req)
{
    struct rpc_server *srv = conn->srv;
    if (!json_is_object(req))
        return slot_fill(b, i, msg_error(NULL, RPC_INVALID_REQUEST, "Invalid request", NULL));
    json_t *id = json_object_get(req, "id");
    if (id != NULL && !id_valid(id))
        return slot_fill(b, i, msg_error(NULL, RPC_INVALID_REQUEST, "Invalid request", NULL));
    json_t *ver = json_object_get(req, "jsonrpc");
    json_t *method = json_object_get(req, "method");
    json_t *params = json_object_get(req, "params");
    if (!json_is_string(ver) || strcmp(json_string_value(ver), "2.0") != 0 ||
        !json_is_string(method) ||
        (params != NULL && !json_is_null(params) && !json_is_array(params) &&
         !json_is_object(params)))
        return slot_fill(b, i, msg_error(id, RPC_INVALID_REQUEST, "Invalid request", NULL));
    struct rpc_call call = {.conn = conn, .id = id, .batch = b, .slot = i};
    const struct rpc_method *m = method_get(srv, json_string_value(method));
    if (m == NULL || strlen(json_string_value(method)) != json_string_length(method))
        return call_answer(&call, msg_error(id, RPC_METHOD_NOT_FOUND, "Method not found", NULL));
    call.method = m;
    if ((m->kind == RPC_KIND_SUB || m->kind == RPC_KIND_UNSUB) && !conn->subscribe)
        return call_answer(&call, msg_error(id, RPC_INTERNAL_ERROR, "Internal error", NULL));
    json_t *empty = NULL;
    if (params == NULL || json_is_null(params)) {
        empty = json_array();
        if (empty == NULL)
            return ITEE_ERR_NOMEM;
        params = empty;
    }
    enum itee_err r;
    switch (m->kind) {
    case RPC_KIND_LIST:
        r = builtin_methods(&call);
        break;
    case RPC_KIND_UNSUB:
        r = builtin_unsub(&call, params);
        break;
    default:
        r = m->fn(m->ctx, &call, params);
        break;
    }
    json_decref(empty);
    if (!call.answered) {
        r = call_answer(&call, msg_error(id, RPC_INTERNAL_ERROR, "Internal error", NULL));
    } else if (r != ITEE_ERR_NOMEM) {
        r = ITEE_OK; /* the handler's answer stands */
    }
    return r;
}

/* Parses text and answers it into a new batch; sends it now unless answers are deferred. */
static enum itee_err handle_text(struct rpc_conn *conn, const char *text, size_t len)
{
    const struct rpc_limits *lim = &conn->srv->limits;
    json_t *err = NULL;
    if (len > lim->max_request)
        err = msg_error(NULL, RPC_OVERSIZED_REQUEST, "Request is too big", NULL);
    json_t *doc = NULL;
    if (err == NULL && !too_deep(text, len, lim->max_depth))
        doc = json_loadb(text, len, JSON_DECODE_ANY, NULL);
    if (err == NULL && doc == NULL)
        err = msg_error(NULL, RPC_PARSE_ERROR, "Parse error", NULL);
    if (err == NULL && json_is_array(doc) && json_array_size(doc) == 0)
        err = msg_error(NULL, RPC_INVALID_REQUEST, "Invalid request", NULL);
    if (err == NULL && json_is_array(doc) && json_array_size(doc) > lim->max_batch)
        err = msg_error(NULL, RPC_BATCH_TOO_LARGE, "The batch request was too large", NULL);
    if (err != NULL || doc == NULL) {
        json_decref(doc);
        if (err == NULL)
            return ITEE_ERR_NOMEM;
        return conn_send_json(conn, err, true);
    }
    bool single = !json_is_array(doc);
    size_t n = single ? 1 : json_array_size(doc);
    struct rpc_batch *b = batch_new(n, single);
    enum itee_err r = ITEE_ERR_NOMEM;
    if (b == NULL)
        goto out;
    /* listed while calls run, so that a deferred slot can find it */
    LIST_PUSH(conn->batches, b);
    conn->npending++;
    struct rpc_batch *saved = conn->cur;
    conn->cur = b;
    for (size_t i = 0; i < n; i++) {
        r = handle_one(conn, b, i, single ? doc : json_array_get(doc, i));
        if (r != ITEE_OK)
            break;
    }
    conn->cur = saved;
    if (b->waiting == 0) {
        LIST_UNLINK(conn->batches, b);
        conn->npending--;
        enum itee_err rs = batch_send(conn, b);
        if (r == ITEE_OK)
            r = rs;
    }
out:
    json_decref(doc);
    return r;
}

/* Connections. ---------------------------------------------------------------------------- */

enum itee_err rpc_conn_new(struct rpc_conn **out, struct rpc_server *srv, rpc_send_fn send,
                           void *send_ctx, bool subscribe)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (srv == NULL || send == NULL)
        return ITEE_ERR_ARG;
    struct rpc_conn *c = itee_zalloc(sizeof(*c));
    if (c == NULL)
        return ITEE_ERR_NOMEM;
    c->held = json_array();
    if (c->held == NULL) {
        itee_free(c);
        return ITEE_ERR_NOMEM;
    }
    c->srv = srv;
    c->id = srv->next_conn++;
    c->send = send;
    c->send_ctx = send_ctx;
    c->subscribe = subscribe;
    LIST_PUSH(srv->conns, c);
    *out = c;
    return ITEE_OK;
}

void rpc_conn_free(struct rpc_conn *conn)
{
    if (conn == NULL)
        return;
    struct rpc_server *srv = conn->srv;
    for (struct rpc_sub *s = srv->subs, *next; s != NULL; s = next) {
        next = s->next;
        if (s->conn == conn)
            sub_destroy(srv, s);
    }
    /* on_end hooks may have ended more subscriptions; re-scan until none of ours are left */
    for (struct rpc_sub *s = srv->subs, *next; s != NULL; s = next) {
        next = s->next;
        if (s->conn == conn)
            sub_destroy(srv, s);
    }
    for (struct rpc_pending *p = srv->pendings, *next; p != NULL; p = next) {
        next = p->next;
        if (p->conn == conn) {
            LIST_UNLINK(srv->pendings, p);
            json_decref(p->id);
            itee_free(p);
        }
    }
    while (conn->batches != NULL) {
        struct rpc_batch *b = conn->batches;
        LIST_UNLINK(conn->batches, b);
        json_decref(b->slots);
        itee_free(b);
    }
    json_decref(conn->held);
    LIST_UNLINK(srv->conns, conn);
    itee_free(conn);
}

void rpc_conn_set_subscribe(struct rpc_conn *conn, bool subscribe)
{
    conn->subscribe = subscribe;
}

uint64_t rpc_conn_id(const struct rpc_conn *conn)
{
    return conn->id;
}

size_t rpc_conn_pending(const struct rpc_conn *conn)
{
    return conn->npending;
}

size_t rpc_conn_sub_count(const struct rpc_conn *conn)
{
    return conn->nsubs;
}

enum itee_err rpc_conn_handle(struct rpc_conn *conn, const char *text, size_t len)
{
    if (conn == NULL || (text == NULL && len > 0))
        return ITEE_ERR_ARG;
    conn->busy++;
    conn->send_err = ITEE_OK;
    enum itee_err r = handle_text(conn, text, len);
    conn->busy--;
    /* now the held notifications, after the responses that created their subscriptions */
    json_t *held = conn->held;
    size_t n = json_array_size(held);
    for (size_t i = 0; i < n && conn->send_err == ITEE_OK; i++)
        (void)conn_send_json(conn, json_incref(json_array_get(held, i)), false);
    json_array_clear(held);
    if (r == ITEE_OK)
        r = conn->send_err;
    conn->send_err = ITEE_OK;
    return r;
}

/* Deferred answers and notifications. --------------------------------------------------- */

static struct rpc_pending *pending_take(struct rpc_server *srv, uint64_t token)
{
    struct rpc_pending *p = srv->pendings;
    while (p != NULL && p->token != token)
        p = p->next;
    if (p != NULL)
        LIST_UNLINK(srv->pendings, p);
    return p;
}

/* Puts msg (stolen) into the pending call's slot, sends the batch if complete, frees p. */
static enum itee_err pending_finish(struct rpc_pending *p, json_t *msg)
{
    struct rpc_conn *conn = p->conn;
    struct rpc_batch *b = p->batch;
    enum itee_err r = slot_fill(b, p->slot, msg);
    json_decref(p->id);
    itee_free(p);
    if (b == NULL)
        return r;
    b->waiting--;
    if (b->waiting > 0 || b == conn->cur)
        return r; /* handle_text sends the batch it is building itself */
    LIST_UNLINK(conn->batches, b);
    conn->npending--;
    enum itee_err rs = batch_send(conn, b);
    return r != ITEE_OK ? r : rs;
}

enum itee_err rpc_server_reply(struct rpc_server *srv, uint64_t token, json_t *result)
{
    struct rpc_pending *p = srv != NULL ? pending_take(srv, token) : NULL;
    if (p == NULL) {
        json_decref(result);
        return ITEE_ERR_NOENT;
    }
    if (result == NULL)
        result = json_null();
    return pending_finish(p, msg_result(p->id, result));
}

enum itee_err rpc_server_reply_error(struct rpc_server *srv, uint64_t token, int code,
                                     const char *message, json_t *data)
{
    struct rpc_pending *p = srv != NULL ? pending_take(srv, token) : NULL;
    if (p == NULL) {
        json_decref(data);
        return ITEE_ERR_NOENT;
    }
    return pending_finish(p, msg_error(p->id, code, message, data));
}

enum itee_err rpc_server_sub_accept(struct rpc_server *srv, uint64_t token, void *data,
                                    char sub_id[RPC_SUB_ID_LEN + 1])
{
    if (sub_id != NULL)
        sub_id[0] = '\0';
    if (srv == NULL || sub_id == NULL)
        return ITEE_ERR_ARG;
    struct rpc_pending *p = pending_take(srv, token);
    if (p == NULL)
        return ITEE_ERR_NOENT;
    if (p->method->kind != RPC_KIND_SUB) {
        LIST_PUSH(srv->pendings, p);
        return ITEE_ERR_ARG;
    }
    struct rpc_sub *s = NULL;
    enum itee_err r = sub_create(p->conn, p->method, data, &s);
    if (r == ITEE_ERR_SPACE) {
        enum itee_err rs =
            pending_finish(p, msg_error(p->id, RPC_TOO_MANY_SUBS,
                                        "Too many subscriptions on the connection", NULL));
        return rs != ITEE_OK ? rs : ITEE_ERR_SPACE;
    }
    if (r != ITEE_OK) {
        LIST_PUSH(srv->pendings, p);
        return r;
    }
    memcpy(sub_id, s->id, RPC_SUB_ID_LEN + 1);
    return pending_finish(p, msg_result(p->id, json_string(s->id)));
}

enum itee_err rpc_server_notify(struct rpc_server *srv, const char *sub_id, json_t *result)
{
    struct rpc_sub *s = srv != NULL && sub_id != NULL ? sub_find(srv, sub_id) : NULL;
    if (s == NULL) {
        json_decref(result);
        return ITEE_ERR_NOENT;
    }
    if (result == NULL)
        result = json_null();
    json_t *params = json_object();
    json_t *msg = json_object();
    if (params == NULL || msg == NULL ||
        json_object_set_new(params, "subscription", json_string(s->id)) != 0) {
        json_decref(result);
        goto nomem;
    }
    if (json_object_set_new(params, "result", result) != 0)
        goto nomem;
    json_t *pp = params;
    params = NULL;
    if (json_object_set_new(msg, "jsonrpc", json_string("2.0")) != 0 ||
        json_object_set_new(msg, "method", json_string(s->sub->notif)) != 0 ||
        json_object_set_new(msg, "params", pp) != 0)
        goto nomem;
    return conn_notify(s->conn, msg);
nomem:
    json_decref(params);
    json_decref(msg);
    return ITEE_ERR_NOMEM;
}

enum itee_err rpc_server_sub_end(struct rpc_server *srv, const char *sub_id)
{
    struct rpc_sub *s = srv != NULL && sub_id != NULL ? sub_find(srv, sub_id) : NULL;
    if (s == NULL)
        return ITEE_ERR_NOENT;
    sub_destroy(srv, s);
    return ITEE_OK;
}

void rpc_server_sub_foreach(struct rpc_server *srv, const char *notif, rpc_sub_visit_fn fn,
                            void *ctx)
{
    if (srv == NULL || notif == NULL || fn == NULL)
        return;
    /* copy the ids first: the visitor may end subscriptions, which frees list nodes */
    size_t n = 0;
    for (struct rpc_sub *s = srv->subs; s != NULL; s = s->next)
        n += strcmp(s->sub->notif, notif) == 0;
    if (n == 0)
        return;
    char(*ids)[RPC_SUB_ID_LEN + 1] = itee_alloc_array(n, RPC_SUB_ID_LEN + 1);
    if (ids == NULL)
        return;
    size_t k = 0;
    for (struct rpc_sub *s = srv->subs; s != NULL && k < n; s = s->next)
        if (strcmp(s->sub->notif, notif) == 0)
            memcpy(ids[k++], s->id, RPC_SUB_ID_LEN + 1);
    for (size_t i = 0; i < k; i++) {
        struct rpc_sub *s = sub_find(srv, ids[i]);
        if (s != NULL)
            fn(ctx, s->id, s->data);
    }
    itee_free(ids);
}
