/*
 * rpc.h - JSON-RPC 2.0 engine with subscriptions, as Substrate's jsonrpsee server behaves.
 *
 * Pure: no sockets, no clocks. A program builds one struct rpc_server (the method table plus
 * limits), and each transport connection (WebSocket, one HTTP exchange) gets a struct rpc_conn
 * with a send callback. Text fed with rpc_conn_handle is parsed (size and nesting limits),
 * validated, dispatched, and answered through the send callback with the error codes and
 * messages of jsonrpsee (-32700 Parse error, -32600 Invalid request, -32601 Method not found,
 * -32602 Invalid params, -32603 Internal error, ...).
 *
 * Handlers receive a struct rpc_call valid only during the call. They answer at once
 * (rpc_call_reply / rpc_call_error), or defer (rpc_call_defer) and answer later through the
 * server with the token they got, after the connection may have gone: late answers to closed
 * connections are dropped, never dereferenced. Subscriptions are named by random 16-character
 * strings like jsonrpsee's RandomStringIdProvider; notifications are addressed by that id, so a
 * program never holds a pointer into a connection.
 *
 * Ordering: while a connection's input is being handled, notifications for it are held back
 * and sent after the responses, so a subscription's id always reaches the client before its
 * first notification (polkadot-js relies on this order, spec §9.1).
 */
#ifndef ITEE_RPC_H
#define ITEE_RPC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* JSON-RPC error codes as Substrate (jsonrpsee) sends them. */
#define RPC_PARSE_ERROR         (-32700) /* "Parse error" */
#define RPC_INVALID_REQUEST     (-32600) /* "Invalid request" */
#define RPC_METHOD_NOT_FOUND    (-32601) /* "Method not found" */
#define RPC_INVALID_PARAMS      (-32602) /* "Invalid params" */
#define RPC_INTERNAL_ERROR      (-32603) /* "Internal error" */
#define RPC_TOO_MANY_SUBS       (-32006) /* "Too many subscriptions on the connection" */
#define RPC_OVERSIZED_REQUEST   (-32007) /* "Request is too big" */
#define RPC_OVERSIZED_RESPONSE  (-32008) /* "Response is too big" */
#define RPC_BATCH_TOO_LARGE     (-32010) /* "The batch request was too large" */
#define RPC_SUB_ID_LEN          16       /* characters of a subscription id */
#define RPC_DEFAULT_MAX_REQUEST ((size_t)15 * 1024 * 1024) /* Substrate --rpc-max-request-size */
#define RPC_DEFAULT_MAX_DEPTH   128  /* JSON nesting limit, serde_json's recursion limit */
#define RPC_DEFAULT_MAX_BATCH   1024 /* calls in one batch */
#define RPC_DEFAULT_MAX_SUBS    1024 /* subscriptions per connection (Substrate default) */

struct rpc_server; /* method table, limits, live connections and subscriptions */
struct rpc_conn;   /* one client connection */
struct rpc_call;   /* one call being handled; valid only inside the handler */

/* Limits; zero fields take the defaults above. */
struct rpc_limits {
    size_t max_request;  /* bytes of one request text (a whole batch) */
    size_t max_response; /* bytes of one response text */
    size_t max_depth;    /* nesting of arrays/objects in a request */
    size_t max_batch;    /* calls in one batch */
    size_t max_subs;     /* subscriptions per connection */
};

/* How the built-in rpc_methods answers. */
enum rpc_methods_style {
    RPC_METHODS_SUBSTRATE = 0, /* {"methods": ["a", ...]} (Substrate, jsonrpsee) */
    RPC_METHODS_WORKER = 1,    /* "methods: [\"a\", ...]" (the original worker, SDK v0.13) */
};

/*
 * A method handler. params is the request's params (an array or an object; an empty array
 * when absent), borrowed. The handler answers with rpc_call_reply/rpc_call_error, defers with
 * rpc_call_defer, or (subscription methods) accepts with rpc_call_sub_accept.
 * Returns: ITEE_OK; anything else (or returning without an answer) sends -32603 Internal error.
 */
typedef enum itee_err (*rpc_method_fn)(void *ctx, struct rpc_call *call, json_t *params);

/* Called once when a subscription ends (unsubscribe, rpc_server_sub_end, or connection close),
 * with the data given to rpc_call_sub_accept. */
typedef void (*rpc_sub_end_fn)(void *ctx, const char *sub_id, void *data);

/*
 * Sends one complete JSON text (a response or notification) to the client.
 * Returns: ITEE_OK, or an error after which the connection should be closed by its owner.
 */
typedef enum itee_err (*rpc_send_fn)(void *ctx, const char *text, size_t len);

/* Returns: a new server with the given limits (NULL = defaults) in *out. */
ITEE_MUST_CHECK enum itee_err rpc_server_new(struct rpc_server **out,
                                             const struct rpc_limits *limits);
/* Frees the server. All its connections must have been freed first. NULL is a no-op. */
void rpc_server_free(struct rpc_server *srv);
/* Returns: the effective limits of the server. */
const struct rpc_limits *rpc_server_limits(const struct rpc_server *srv);
/* Sets how rpc_methods answers (default RPC_METHODS_SUBSTRATE). */
void rpc_server_set_methods_style(struct rpc_server *srv, enum rpc_methods_style style);

/*
 * Registers a plain method. name is copied. ctx is passed to fn.
 * Returns: ITEE_OK, ITEE_ERR_ARG (bad name or already registered), ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err rpc_register(struct rpc_server *srv, const char *name,
                                           rpc_method_fn fn, void *ctx);
/*
 * Registers a subscription method `name` whose notifications use method `notif` and which is
 * cancelled by `unsub` (registered too, unless it already is for the same notif; it answers
 * true/false). on_end (may be NULL) is called with end_ctx when a subscription ends.
 * Returns: as rpc_register.
 */
ITEE_MUST_CHECK enum itee_err rpc_register_sub(struct rpc_server *srv, const char *name,
                                               const char *notif, const char *unsub,
                                               rpc_method_fn fn, void *ctx, rpc_sub_end_fn on_end,
                                               void *end_ctx);

/*
 * Returns: a new connection in *out, sending through send(send_ctx, ...). subscribe says
 * whether it can carry subscriptions (WebSocket yes, HTTP no: jsonrpsee answers -32603).
 */
ITEE_MUST_CHECK enum itee_err rpc_conn_new(struct rpc_conn **out, struct rpc_server *srv,
                                           rpc_send_fn send, void *send_ctx, bool subscribe);
/* Ends the connection's subscriptions (calling on_end), drops its deferred calls, frees it. */
void rpc_conn_free(struct rpc_conn *conn);
/* Allows or forbids subscriptions on the connection (HTTP upgraded to WebSocket). */
void rpc_conn_set_subscribe(struct rpc_conn *conn, bool subscribe);
/* Returns: the connection's number, unique within its server. */
uint64_t rpc_conn_id(const struct rpc_conn *conn);
/* Returns: how many of the connection's responses wait for deferred answers. */
size_t rpc_conn_pending(const struct rpc_conn *conn);
/* Returns: how many subscriptions the connection has. */
size_t rpc_conn_sub_count(const struct rpc_conn *conn);

/*
 * Handles one request text (a call or a batch): answers it through the send callback,
 * except for notifications and deferred calls. Protocol errors become JSON-RPC error responses.
 * Returns: ITEE_OK; ITEE_ERR_NOMEM; or the send callback's error.
 */
ITEE_MUST_CHECK enum itee_err rpc_conn_handle(struct rpc_conn *conn, const char *text, size_t len);

/* Inside a handler. --------------------------------------------------------------------- */

/* Returns: the method name the client called (borrowed). */
const char *rpc_call_method(const struct rpc_call *call);
/* Returns: the connection number of the call. */
uint64_t rpc_call_conn_id(const struct rpc_call *call);
/* Answers with result (reference stolen, even on failure). Returns: ITEE_OK, ITEE_ERR_ARG
 * (already answered). */
ITEE_MUST_CHECK enum itee_err rpc_call_reply(struct rpc_call *call, json_t *result);
/* Answers with an error; data (stolen) may be NULL. Returns: as rpc_call_reply. */
ITEE_MUST_CHECK enum itee_err rpc_call_error(struct rpc_call *call, int code, const char *message,
                                             json_t *data);
/* Answers -32602 "Invalid params" with detail (may be NULL) as data. */
ITEE_MUST_CHECK enum itee_err rpc_call_invalid_params(struct rpc_call *call, const char *detail);
/*
 * Defers the answer: *token names the call for rpc_server_reply / rpc_server_reply_error /
 * rpc_server_sub_accept later. Returns: ITEE_OK, ITEE_ERR_ARG (already answered),
 * ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err rpc_call_defer(struct rpc_call *call, uint64_t *token);
/*
 * In a subscription handler: creates the subscription, answers with its id, and copies the id
 * to sub_id (RPC_SUB_ID_LEN + 1 bytes). data (may be NULL) is handed to on_end.
 * Returns: ITEE_OK; ITEE_ERR_ARG (not a subscription method or answered); ITEE_ERR_SPACE (the
 * per-connection limit: the call is answered -32006); ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err rpc_call_sub_accept(struct rpc_call *call, void *data,
                                                  char sub_id[RPC_SUB_ID_LEN + 1]);

/* Outside handlers. -------------------------------------------------------------------- */

/* Answers a deferred call (result stolen). Returns: ITEE_OK, ITEE_ERR_NOENT (connection gone
 * or unknown token), ITEE_ERR_NOMEM, or the send error. */
ITEE_MUST_CHECK enum itee_err rpc_server_reply(struct rpc_server *srv, uint64_t token,
                                               json_t *result);
/* Answers a deferred call with an error (data stolen, may be NULL). Returns: as above. */
ITEE_MUST_CHECK enum itee_err rpc_server_reply_error(struct rpc_server *srv, uint64_t token,
                                                     int code, const char *message, json_t *data);
/* Accepts a deferred subscription call, like rpc_call_sub_accept. Returns: as above, plus
 * ITEE_ERR_SPACE at the subscription limit. */
ITEE_MUST_CHECK enum itee_err rpc_server_sub_accept(struct rpc_server *srv, uint64_t token,
                                                    void *data, char sub_id[RPC_SUB_ID_LEN + 1]);
/*
 * Sends a notification {"jsonrpc":"2.0","method":<notif>,"params":{"subscription":id,
 * "result":result}} (result stolen). Returns: ITEE_OK, ITEE_ERR_NOENT (no such subscription),
 * ITEE_ERR_NOMEM, or the send error.
 */
ITEE_MUST_CHECK enum itee_err rpc_server_notify(struct rpc_server *srv, const char *sub_id,
                                                json_t *result);
/* Ends a subscription from the server side (e.g. a finalized extrinsic), calling on_end.
 * Returns: ITEE_OK or ITEE_ERR_NOENT. */
ITEE_MUST_CHECK enum itee_err rpc_server_sub_end(struct rpc_server *srv, const char *sub_id);

/* Visitor for rpc_server_sub_foreach. */
typedef void (*rpc_sub_visit_fn)(void *ctx, const char *sub_id, void *data);
/* Calls fn for every live subscription whose notification method is notif. fn may notify and
 * end subscriptions (the one visited included). */
void rpc_server_sub_foreach(struct rpc_server *srv, const char *notif, rpc_sub_visit_fn fn,
                            void *ctx);

#endif
