/*
 * http.h - the HTTP/1.1 server side needed by a JSON-RPC endpoint, on memory buffers
 * (http-parser): requests are parsed incrementally, one at a time (pipelined bytes wait until
 * the owner calls http_conn_next), with limits on header and body size. Responses are written
 * into a buffer with permissive CORS headers, as Substrate's `--rpc-cors all`.
 */
#ifndef ITEE_HTTP_H
#define ITEE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"

#define HTTP_MAX_PATH 256 /* longer request targets are answered 414 */

/* What one request is, as far as a JSON-RPC server cares. */
enum http_verb {
    HTTP_VERB_OTHER,   /* anything else: 405 */
    HTTP_VERB_GET,     /* GET (health, WebSocket upgrade) */
    HTTP_VERB_POST,    /* POST (JSON-RPC call) */
    HTTP_VERB_OPTIONS, /* CORS preflight */
    HTTP_VERB_HEAD,    /* HEAD */
};

struct http_request {
    enum http_verb verb;          /* request method */
    char path[HTTP_MAX_PATH + 1]; /* request target, NUL-terminated */
    bool upgrade_ws;              /* Upgrade: websocket with Connection: upgrade */
    char ws_key[64];              /* Sec-WebSocket-Key, NUL-terminated ("" if absent) */
    size_t ws_key_len;            /* its length */
    int ws_version;               /* Sec-WebSocket-Version, 0 if absent */
    bool json;                    /* Content-Type is application/json */
    bool keep_alive;              /* the connection may carry another request */
    struct itee_buf body;         /* request body */
};

/* Outcome of http_conn_feed. */
enum http_event {
    HTTP_EV_MORE,    /* need more bytes */
    HTTP_EV_REQUEST, /* a complete request is ready (http_conn_request) */
    HTTP_EV_ERROR,   /* malformed or over a limit: answer *status and close */
};

struct http_conn; /* parser state of one connection */

/* Returns: a new parser in *out accepting bodies up to max_body bytes. */
ITEE_MUST_CHECK enum itee_err http_conn_new(struct http_conn **out, size_t max_body);
/* Frees the parser. NULL is a no-op. */
void http_conn_free(struct http_conn *h);
/*
 * Parses bytes until a request is complete. *used gets how many bytes were consumed (after an
 * upgrade request the rest belong to the new protocol), *ev the outcome, *status the HTTP
 * status to answer on HTTP_EV_ERROR (400, 413, 414, 431).
 * Returns: ITEE_OK or ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err http_conn_feed(struct http_conn *h, const uint8_t *data, size_t len,
                                             size_t *used, enum http_event *ev, int *status);
/* Returns: the complete request (after HTTP_EV_REQUEST), owned by h. */
const struct http_request *http_conn_request(const struct http_conn *h);
/* Forgets the current request so that the next one can be parsed. */
void http_conn_next(struct http_conn *h);

/*
 * Appends a response with status, optional Content-Type and body, Content-Length, CORS headers
 * and Connection: keep-alive/close. Returns: ITEE_OK, ITEE_ERR_SPACE, ITEE_ERR_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err http_response_write(struct itee_buf *out, int status,
                                                  const char *content_type, const void *body,
                                                  size_t len, bool keep_alive);
/* Appends the answer to a CORS preflight (204 with the allowed methods and headers). */
ITEE_MUST_CHECK enum itee_err http_response_preflight(struct itee_buf *out, bool keep_alive);
/* Appends "101 Switching Protocols" with Sec-WebSocket-Accept: accept. */
ITEE_MUST_CHECK enum itee_err http_response_upgrade(struct itee_buf *out, const char *accept);
/* Returns: the reason phrase of status ("Bad Request" ...). */
const char *http_status_text(int status);

#endif
