/*
 * http.c - incremental HTTP/1.1 request parsing (http-parser) and response writing.
 *
 * http-parser reports header names and values in pieces (a header may straddle two reads), so
 * the interesting ones are collected in small bounded buffers; everything else is skipped.
 * After a complete request the parser is paused, so bytes of a pipelined next request stay
 * unconsumed until the owner has answered and called http_conn_next.
 */
#include "proto/http.h"

#include <http_parser.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/mem.h"

enum hdr {
    HDR_NONE,       /* a header we ignore */
    HDR_UPGRADE,    /* Upgrade */
    HDR_CONNECTION, /* Connection */
    HDR_WS_KEY,     /* Sec-WebSocket-Key */
    HDR_WS_VERSION, /* Sec-WebSocket-Version */
    HDR_CTYPE,      /* Content-Type */
};

struct http_conn {
    http_parser parser;             /* http-parser state; parser.data points back here */
    http_parser_settings cb;        /* callbacks */
    struct http_request req;        /* request being parsed */
    size_t max_body;                /* body limit */
    char field[32];                 /* header name collected so far */
    size_t field_len;               /* its length (may exceed sizeof(field): then ignored) */
    char value[256];                /* header value collected so far */
    size_t value_len;               /* its length (may exceed sizeof(value): then truncated) */
    bool in_value;                  /* the last piece was a value */
    size_t path_len;                /* bytes of the target seen (may exceed HTTP_MAX_PATH) */
    bool upgrade_hdr, conn_upgrade; /* Upgrade: websocket / Connection: ...upgrade... seen */
    bool complete;                  /* the current request is complete */
    int error_status;               /* status to answer a limit violation with, 0 if none */
};

static bool has_token(const char *v, const char *tok)
{
    /* case-insensitive search of tok as a comma-separated element */
    size_t n = strlen(tok);
    for (const char *p = v; *p != '\0'; p++) {
        if (strncasecmp(p, tok, n) == 0 && (p == v || p[-1] == ',' || p[-1] == ' ') &&
            (p[n] == '\0' || p[n] == ',' || p[n] == ' ' || p[n] == ';'))
            return true;
    }
    return false;
}

/* The value of the current header is complete. */
static void header_done(struct http_conn *h)
{
    if (h->field_len == 0 || h->field_len >= sizeof(h->field))
        goto reset;
    h->field[h->field_len] = '\0';
    size_t vlen = h->value_len < sizeof(h->value) ? h->value_len : sizeof(h->value) - 1;
    h->value[vlen] = '\0';
    if (strcasecmp(h->field, "upgrade") == 0) {
        h->upgrade_hdr = has_token(h->value, "websocket");
    } else if (strcasecmp(h->field, "connection") == 0) {
        h->conn_upgrade = h->conn_upgrade || has_token(h->value, "upgrade");
    } else if (strcasecmp(h->field, "sec-websocket-key") == 0) {
        if (h->value_len < sizeof(h->req.ws_key)) {
            memcpy(h->req.ws_key, h->value, h->value_len + 1);
            h->req.ws_key_len = h->value_len;
        }
    } else if (strcasecmp(h->field, "sec-websocket-version") == 0) {
        h->req.ws_version = strcmp(h->value, "13") == 0 ? 13 : -1;
    } else if (strcasecmp(h->field, "content-type") == 0) {
        h->req.json = strncasecmp(h->value, "application/json", 16) == 0 &&
                      (h->value[16] == '\0' || h->value[16] == ';' || h->value[16] == ' ');
    }
reset:
    h->field_len = 0;
    h->value_len = 0;
    h->in_value = false;
}

static void collect(char *dst, size_t cap, size_t *len, const char *at, size_t n)
{
    if (*len < cap) {
        size_t k = cap - *len < n ? cap - *len : n;
        memcpy(dst + *len, at, k);
    }
    *len += n;
}

static int on_url(http_parser *p, const char *at, size_t n)
{
    struct http_conn *h = p->data;
    collect(h->req.path, HTTP_MAX_PATH, &h->path_len, at, n);
    if (h->path_len > HTTP_MAX_PATH) {
        h->error_status = 414;
        return 1;
    }
    h->req.path[h->path_len] = '\0';
    return 0;
}

static int on_field(http_parser *p, const char *at, size_t n)
{
    struct http_conn *h = p->data;
    if (h->in_value)
        header_done(h);
    collect(h->field, sizeof(h->field), &h->field_len, at, n);
    return 0;
}

static int on_value(http_parser *p, const char *at, size_t n)
{
    struct http_conn *h = p->data;
    h->in_value = true;
    collect(h->value, sizeof(h->value), &h->value_len, at, n);
    return 0;
}

static int on_headers_complete(http_parser *p)
{
    struct http_conn *h = p->data;
    if (h->in_value)
        header_done(h);
    switch (p->method) {
    case HTTP_GET:
        h->req.verb = HTTP_VERB_GET;
        break;
    case HTTP_POST:
        h->req.verb = HTTP_VERB_POST;
        break;
    case HTTP_OPTIONS:
        h->req.verb = HTTP_VERB_OPTIONS;
        break;
    case HTTP_HEAD:
        h->req.verb = HTTP_VERB_HEAD;
        break;
    default:
        h->req.verb = HTTP_VERB_OTHER;
        break;
    }
    h->req.upgrade_ws = p->upgrade && h->upgrade_hdr && h->conn_upgrade;
    /* refuse a declared oversized body before reading it */
    if ((p->flags & F_CONTENTLENGTH) && p->content_length > h->max_body) {
        h->error_status = 413;
        return -1;
    }
    return 0;
}

static int on_body(http_parser *p, const char *at, size_t n)
{
    struct http_conn *h = p->data;
    if (itee_buf_append(&h->req.body, at, n) != ITEE_OK) {
        h->error_status = 413;
        return 1;
    }
    return 0;
}

static int on_message_complete(http_parser *p)
{
    struct http_conn *h = p->data;
    h->req.keep_alive = http_should_keep_alive(p) != 0;
    h->complete = true;
    http_parser_pause(p, 1);
    return 0;
}

static void request_reset(struct http_conn *h)
{
    struct itee_buf body = h->req.body;
    itee_buf_reset(&body);
    memset(&h->req, 0, sizeof(h->req));
    h->req.body = body;
    h->field_len = h->value_len = h->path_len = 0;
    h->in_value = h->upgrade_hdr = h->conn_upgrade = h->complete = false;
}

enum itee_err http_conn_new(struct http_conn **out, size_t max_body)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    struct http_conn *h = itee_zalloc(sizeof(*h));
    if (h == NULL)
        return ITEE_ERR_NOMEM;
    http_parser_init(&h->parser, HTTP_REQUEST);
    h->parser.data = h;
    http_parser_settings_init(&h->cb);
    h->cb.on_url = on_url;
    h->cb.on_header_field = on_field;
    h->cb.on_header_value = on_value;
    h->cb.on_headers_complete = on_headers_complete;
    h->cb.on_body = on_body;
    h->cb.on_message_complete = on_message_complete;
    h->max_body = max_body;
    itee_buf_init(&h->req.body, max_body);
    *out = h;
    return ITEE_OK;
}

void http_conn_free(struct http_conn *h)
{
    if (h == NULL)
        return;
    itee_buf_free(&h->req.body);
    itee_free(h);
}

enum itee_err http_conn_feed(struct http_conn *h, const uint8_t *data, size_t len, size_t *used,
                             enum http_event *ev, int *status)
{
    if (used != NULL)
        *used = 0;
    if (ev != NULL)
        *ev = HTTP_EV_ERROR;
    if (status != NULL)
        *status = 400;
    if (h == NULL || used == NULL || ev == NULL || status == NULL || (data == NULL && len > 0))
        return ITEE_ERR_ARG;
    if (h->complete) {
        *ev = HTTP_EV_REQUEST; /* not yet released with http_conn_next */
        *status = 0;
        return ITEE_OK;
    }
    size_t n = http_parser_execute(&h->parser, &h->cb, (const char *)data, len);
    enum http_errno e = HTTP_PARSER_ERRNO(&h->parser);
    *used = n > len ? len : n;
    if (h->complete && (e == HPE_OK || e == HPE_PAUSED)) {
        *ev = HTTP_EV_REQUEST;
        *status = 0;
        return ITEE_OK;
    }
    if (e == HPE_OK && !h->parser.upgrade) {
        *ev = HTTP_EV_MORE;
        *status = 0;
        return ITEE_OK;
    }
    if (h->error_status != 0)
        *status = h->error_status;
    else if (e == HPE_HEADER_OVERFLOW)
        *status = 431;
    return ITEE_OK;
}

const struct http_request *http_conn_request(const struct http_conn *h)
{
    return &h->req;
}

void http_conn_next(struct http_conn *h)
{
    request_reset(h);
    http_parser_pause(&h->parser, 0);
}

const char *http_status_text(int status)
{
    switch (status) {
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Payload Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Unknown";
    }
}

static const char cors_headers[] = "Access-Control-Allow-Origin: *\r\n";

enum itee_err http_response_write(struct itee_buf *out, int status, const char *content_type,
                                  const void *body, size_t len, bool keep_alive)
{
    if (out == NULL || (body == NULL && len > 0))
        return ITEE_ERR_ARG;
    char head[512];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 %d %s\r\n%s%s%s%sContent-Length: %zu\r\nConnection: %s\r\n\r\n",
                     status, http_status_text(status), cors_headers,
                     content_type != NULL ? "Content-Type: " : "",
                     content_type != NULL ? content_type : "", content_type != NULL ? "\r\n" : "",
                     len, keep_alive ? "keep-alive" : "close");
    if (n < 0 || (size_t)n >= sizeof(head))
        return ITEE_ERR_INTERNAL;
    enum itee_err r = itee_buf_append(out, head, (size_t)n);
    if (r == ITEE_OK && len > 0)
        r = itee_buf_append(out, body, len);
    return r;
}

enum itee_err http_response_preflight(struct itee_buf *out, bool keep_alive)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    char head[512];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 204 No Content\r\n%sAccess-Control-Allow-Methods: POST, GET, "
                     "OPTIONS\r\nAccess-Control-Allow-Headers: content-type\r\n"
                     "Access-Control-Max-Age: 86400\r\nContent-Length: 0\r\nConnection: %s\r\n\r\n",
                     cors_headers, keep_alive ? "keep-alive" : "close");
    if (n < 0 || (size_t)n >= sizeof(head))
        return ITEE_ERR_INTERNAL;
    return itee_buf_append(out, head, (size_t)n);
}

enum itee_err http_response_upgrade(struct itee_buf *out, const char *accept)
{
    if (out == NULL || accept == NULL)
        return ITEE_ERR_ARG;
    char head[256];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
                     accept);
    if (n < 0 || (size_t)n >= sizeof(head))
        return ITEE_ERR_INTERNAL;
    return itee_buf_append(out, head, (size_t)n);
}
