/*
 * ws.c - WebSocket server connections on memory buffers (wslay event API), handshake key,
 * UTF-8 check. wslay reads through recv_cb from the slice given to ws_conn_feed and writes
 * through send_cb into the buffer given to ws_conn_flush, so it never touches a socket.
 */
#include "proto/ws.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <wslay/wslay.h>

#include "common/mem.h"
#include "common/utf8.h"

struct ws_conn {
    wslay_event_context_ptr ev; /* wslay state */
    ws_msg_fn on_msg;           /* message sink */
    void *ctx;                  /* its context */
    const uint8_t *in;          /* input being fed (valid during ws_conn_feed) */
    size_t in_len;              /* bytes of it left */
    struct itee_buf *out;       /* output target (valid during ws_conn_flush) */
    bool out_full;              /* out refused bytes: the connection is dead */
    uint16_t close_code;        /* close code we queued, 0 if none */
};

static const char ws_guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

bool ws_key_valid(const char *key, size_t key_len)
{
    /* 16 bytes = 22 base64 characters + "==", the last character carrying 2 bits */
    if (key == NULL || key_len != 24 || key[22] != '=' || key[23] != '=')
        return false;
    for (size_t i = 0; i < 22; i++)
        if (b64_value(key[i]) < 0)
            return false;
    return (b64_value(key[21]) & 0x0f) == 0;
}

enum itee_err ws_accept_key(const char *key, size_t key_len, char out[WS_ACCEPT_LEN + 1])
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    out[0] = '\0';
    if (!ws_key_valid(key, key_len))
        return ITEE_ERR_ARG;
    uint8_t buf[24 + sizeof(ws_guid) - 1];
    memcpy(buf, key, 24);
    memcpy(buf + 24, ws_guid, sizeof(ws_guid) - 1);
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (EVP_Digest(buf, sizeof(buf), md, &md_len, EVP_sha1(), NULL) != 1 || md_len != 20)
        return ITEE_ERR_CRYPTO_LIB;
    unsigned char enc[WS_ACCEPT_LEN + 1];
    if (EVP_EncodeBlock(enc, md, 20) != WS_ACCEPT_LEN)
        return ITEE_ERR_CRYPTO_LIB;
    memcpy(out, enc, WS_ACCEPT_LEN + 1);
    return ITEE_OK;
}

static ssize_t recv_cb(wslay_event_context_ptr ev, uint8_t *buf, size_t len, int flags, void *user)
{
    (void)flags;
    struct ws_conn *ws = user;
    if (ws->in_len == 0) {
        wslay_event_set_error(ev, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    size_t n = len < ws->in_len ? len : ws->in_len;
    memcpy(buf, ws->in, n);
    ws->in += n;
    ws->in_len -= n;
    return (ssize_t)n;
}

static ssize_t send_cb(wslay_event_context_ptr ev, const uint8_t *data, size_t len, int flags,
                       void *user)
{
    (void)flags;
    struct ws_conn *ws = user;
    if (ws->out == NULL) {
        wslay_event_set_error(ev, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    if (itee_buf_append(ws->out, data, len) != ITEE_OK) {
        ws->out_full = true;
        wslay_event_set_error(ev, WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return (ssize_t)len;
}

static void fail(struct ws_conn *ws, uint16_t code, const char *reason)
{
    /* fails harmlessly when a close is already queued (e.g. by wslay itself) */
    if (wslay_event_queue_close(ws->ev, code, (const uint8_t *)reason, strlen(reason)) == 0 &&
        ws->close_code == 0)
        ws->close_code = code;
    wslay_event_shutdown_read(ws->ev);
}

static void msg_cb(wslay_event_context_ptr ev, const struct wslay_event_on_msg_recv_arg *arg,
                   void *user)
{
    (void)ev;
    struct ws_conn *ws = user;
    if (arg->opcode == WSLAY_CONNECTION_CLOSE) {
        if (ws->close_code == 0)
            ws->close_code = arg->status_code != 0 ? arg->status_code : WS_CLOSE_NORMAL;
        return; /* wslay queues the answering close itself */
    }
    if (arg->opcode != WSLAY_TEXT_FRAME && arg->opcode != WSLAY_BINARY_FRAME)
        return; /* ping is answered by wslay, pong needs nothing */
    bool text = arg->opcode == WSLAY_TEXT_FRAME;
    if (text && !itee_utf8_valid(arg->msg, arg->msg_length)) {
        fail(ws, WS_CLOSE_BAD_DATA, "invalid UTF-8");
        return;
    }
    if (ws->on_msg(ws->ctx, arg->msg, arg->msg_length, text) != ITEE_OK)
        fail(ws, WS_CLOSE_INTERNAL, "internal error");
}

enum itee_err ws_conn_new(struct ws_conn **out, size_t max_msg, ws_msg_fn on_msg, void *ctx)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (on_msg == NULL)
        return ITEE_ERR_ARG;
    struct ws_conn *ws = itee_zalloc(sizeof(*ws));
    if (ws == NULL)
        return ITEE_ERR_NOMEM;
    struct wslay_event_callbacks cb = {
        .recv_callback = recv_cb,
        .send_callback = send_cb,
        .on_msg_recv_callback = msg_cb,
    };
    if (wslay_event_context_server_init(&ws->ev, &cb, ws) != 0) {
        itee_free(ws);
        return ITEE_ERR_NOMEM;
    }
    wslay_event_config_set_max_recv_msg_length(ws->ev, max_msg ? max_msg : WS_DEFAULT_MAX_MSG);
    ws->on_msg = on_msg;
    ws->ctx = ctx;
    *out = ws;
    return ITEE_OK;
}

static int genmask_cb(wslay_event_context_ptr ev, uint8_t *buf, size_t len, void *user)
{
    (void)user;
    /* masking keys must be unpredictable to the page a proxy might cache (RFC 6455 §10.3) */
    if (RAND_bytes(buf, (int)len) != 1) {
        wslay_event_set_error(ev, WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return 0;
}

enum itee_err ws_conn_new_client(struct ws_conn **out, size_t max_msg, ws_msg_fn on_msg, void *ctx)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (on_msg == NULL)
        return ITEE_ERR_ARG;
    struct ws_conn *ws = itee_zalloc(sizeof(*ws));
    if (ws == NULL)
        return ITEE_ERR_NOMEM;
    struct wslay_event_callbacks cb = {
        .recv_callback = recv_cb,
        .send_callback = send_cb,
        .genmask_callback = genmask_cb,
        .on_msg_recv_callback = msg_cb,
    };
    if (wslay_event_context_client_init(&ws->ev, &cb, ws) != 0) {
        itee_free(ws);
        return ITEE_ERR_NOMEM;
    }
    wslay_event_config_set_max_recv_msg_length(ws->ev, max_msg ? max_msg : WS_DEFAULT_MAX_MSG);
    ws->on_msg = on_msg;
    ws->ctx = ctx;
    *out = ws;
    return ITEE_OK;
}

static bool header_text_ok(const char *s)
{
    for (; *s; s++)
        if (*s == '\r' || *s == '\n' || *s == ' ')
            return false;
    return true;
}

enum itee_err ws_client_request(struct itee_buf *out, const char *host, const char *path,
                                char key_out[WS_CLIENT_KEY_LEN + 1])
{
    if (out == NULL || host == NULL || path == NULL || key_out == NULL || host[0] == '\0' ||
        path[0] != '/' || !header_text_ok(host) || !header_text_ok(path))
        return ITEE_ERR_ARG;
    uint8_t nonce[16];
    if (RAND_bytes(nonce, sizeof(nonce)) != 1)
        return ITEE_ERR_RNG;
    unsigned char enc[WS_CLIENT_KEY_LEN + 1];
    if (EVP_EncodeBlock(enc, nonce, sizeof(nonce)) != WS_CLIENT_KEY_LEN)
        return ITEE_ERR_CRYPTO_LIB;
    memcpy(key_out, enc, WS_CLIENT_KEY_LEN + 1);
    char head[1024];
    int n = snprintf(head, sizeof(head),
                     "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n",
                     path, host, key_out);
    if (n < 0 || (size_t)n >= sizeof(head))
        return ITEE_ERR_ARG;
    return itee_buf_append(out, head, (size_t)n);
}

/* Returns: true if the n bytes at a equal the NUL-terminated b, ignoring ASCII case. */
static bool ascii_ieq(const char *a, size_t n, const char *b)
{
    size_t bl = strlen(b);
    if (n != bl)
        return false;
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

/* Returns: true if the n bytes at v contain the token "upgrade" in a comma-separated list. */
static bool has_upgrade_token(const char *v, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (v[i] == ' ' || v[i] == ','))
            i++;
        size_t start = i;
        while (i < n && v[i] != ',')
            i++;
        size_t end = i;
        while (end > start && v[end - 1] == ' ')
            end--;
        if (ascii_ieq(v + start, end - start, "upgrade"))
            return true;
    }
    return false;
}

struct ws_handshake_seen {
    bool upgrade, connection, accept;
};

static void check_header(const char *line, size_t n, const char *expect_accept,
                         struct ws_handshake_seen *seen)
{
    const char *colon = memchr(line, ':', n);
    if (colon == NULL)
        return;
    size_t name_len = (size_t)(colon - line);
    const char *v = colon + 1;
    size_t vlen = n - name_len - 1;
    while (vlen > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        vlen--;
    }
    while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
        vlen--;
    if (ascii_ieq(line, name_len, "upgrade"))
        seen->upgrade = ascii_ieq(v, vlen, "websocket");
    else if (ascii_ieq(line, name_len, "connection"))
        seen->connection = has_upgrade_token(v, vlen);
    else if (ascii_ieq(line, name_len, "sec-websocket-accept"))
        seen->accept = vlen == WS_ACCEPT_LEN && memcmp(v, expect_accept, WS_ACCEPT_LEN) == 0;
}

enum itee_err ws_client_response_check(const uint8_t *data, size_t len, const char *key,
                                       size_t *used)
{
    if (used == NULL || key == NULL || (data == NULL && len > 0))
        return ITEE_ERR_ARG;
    *used = 0;
    char accept[WS_ACCEPT_LEN + 1];
    if (ws_accept_key(key, strlen(key), accept) != ITEE_OK)
        return ITEE_ERR_ARG;
    size_t scan = len < WS_MAX_RESPONSE ? len : WS_MAX_RESPONSE;
    size_t end = 0;
    for (size_t i = 3; i < scan; i++)
        if (data[i - 3] == '\r' && data[i - 2] == '\n' && data[i - 1] == '\r' && data[i] == '\n') {
            end = i + 1;
            break;
        }
    if (end == 0)
        return len >= WS_MAX_RESPONSE ? ITEE_ERR_PARSE : ITEE_OK;
    const char *text = (const char *)data;
    static const char status[] = "HTTP/1.1 101";
    if (end < sizeof(status) - 1 || memcmp(text, status, sizeof(status) - 1) != 0 ||
        (text[sizeof(status) - 1] != ' ' && text[sizeof(status) - 1] != '\r'))
        return ITEE_ERR_PARSE;
    struct ws_handshake_seen seen = {false, false, false};
    size_t pos = 0;
    while (pos < end) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', end - pos);
        if (nl == NULL)
            break;
        size_t n = (size_t)(nl - line);
        if (n > 0 && line[n - 1] == '\r')
            n--;
        if (pos > 0)
            check_header(line, n, accept, &seen);
        pos = (size_t)(nl - text) + 1;
    }
    if (!seen.upgrade || !seen.connection || !seen.accept)
        return ITEE_ERR_PARSE;
    *used = end;
    return ITEE_OK;
}

void ws_conn_free(struct ws_conn *ws)
{
    if (ws == NULL)
        return;
    wslay_event_context_free(ws->ev);
    itee_free(ws);
}

enum itee_err ws_conn_feed(struct ws_conn *ws, const uint8_t *data, size_t len)
{
    if (ws == NULL || (data == NULL && len > 0))
        return ITEE_ERR_ARG;
    if (!wslay_event_want_read(ws->ev))
        return ITEE_OK; /* closing: input is dropped */
    ws->in = data;
    ws->in_len = len;
    int rv = wslay_event_recv(ws->ev);
    ws->in = NULL;
    ws->in_len = 0;
    if (rv == WSLAY_ERR_NOMEM)
        return ITEE_ERR_NOMEM;
    if (rv != 0) /* a frame wslay cannot parse (e.g. an oversized control frame) */
        fail(ws, WS_CLOSE_PROTOCOL, "protocol error");
    return ITEE_OK;
}

enum itee_err ws_conn_send(struct ws_conn *ws, const uint8_t *data, size_t len, bool text)
{
    if (ws == NULL || (data == NULL && len > 0))
        return ITEE_ERR_ARG;
    struct wslay_event_msg msg = {
        .opcode = text ? WSLAY_TEXT_FRAME : WSLAY_BINARY_FRAME, .msg = data, .msg_length = len};
    int rv = wslay_event_queue_msg(ws->ev, &msg);
    if (rv == WSLAY_ERR_NOMEM)
        return ITEE_ERR_NOMEM;
    return rv == 0 ? ITEE_OK : ITEE_ERR_IO;
}

enum itee_err ws_conn_close(struct ws_conn *ws, uint16_t code, const char *reason)
{
    if (ws == NULL)
        return ITEE_ERR_ARG;
    fail(ws, code, reason != NULL ? reason : "");
    return ITEE_OK;
}

enum itee_err ws_conn_flush(struct ws_conn *ws, struct itee_buf *out)
{
    if (ws == NULL || out == NULL)
        return ITEE_ERR_ARG;
    if (ws->out_full)
        return ITEE_ERR_SPACE;
    ws->out = out;
    int rv = wslay_event_send(ws->ev);
    ws->out = NULL;
    if (ws->out_full)
        return ITEE_ERR_SPACE;
    if (rv == WSLAY_ERR_NOMEM)
        return ITEE_ERR_NOMEM;
    return rv == 0 ? ITEE_OK : ITEE_ERR_INTERNAL;
}

bool ws_conn_done(const struct ws_conn *ws)
{
    if (ws->out_full)
        return true;
    return !wslay_event_want_read(ws->ev) && !wslay_event_want_write(ws->ev);
}

uint16_t ws_conn_close_code(const struct ws_conn *ws)
{
    if (ws->close_code != 0)
        return ws->close_code;
    /* a close wslay queued itself (1002, 1009) is known once it is sent */
    if (wslay_event_get_close_sent(ws->ev))
        return wslay_event_get_status_code_sent(ws->ev);
    return 0;
}
