/*
 * tls_rpc.c - a tls_session feeding an rpc_session (see tls_rpc.h).
 *
 * Decrypted bytes pass through a fixed buffer inside the struct (wiped when freed: requests
 * may carry secrets); answers go from the RPC engine's output buffer straight into the TLS
 * session. Once TLS fails the RPC engine is freed at once, so nothing more is decrypted or
 * answered and only the alert remains to be sent.
 */
#include "proto/tls_rpc.h"

#include "common/mem.h"

#define TLS_RPC_PLAIN_CHUNK 16384 /* one TLS record of plaintext */

struct tls_rpc {
    struct tls_session *tls;            /* TLS on memory BIOs */
    struct rpc_session *rpc;            /* HTTP/WebSocket/JSON-RPC; NULL once TLS failed */
    bool done;                          /* close the stream once the ciphertext is sent */
    uint8_t plain[TLS_RPC_PLAIN_CHUNK]; /* decrypted bytes on their way to rpc */
};

enum itee_err tls_rpc_new(struct tls_rpc **out, struct tls_ctx *tls, struct rpc_server *rpc,
                          size_t max_pending, rpc_session_wake_fn wake, void *ctx)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (max_pending == 0)
        max_pending = TLS_DEFAULT_MAX_PENDING;
    if (!tls_ctx_is_server(tls) || rpc == NULL || max_pending < TLS_MIN_PENDING)
        return ITEE_ERR_ARG;
    struct tls_rpc *c = itee_zalloc(sizeof(*c));
    if (c == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err r = tls_session_new(&c->tls, tls, NULL, max_pending);
    if (r == ITEE_OK)
        r = rpc_session_new(&c->rpc, rpc, max_pending, wake, ctx);
    if (r != ITEE_OK) {
        tls_rpc_free(c);
        return r;
    }
    *out = c;
    return ITEE_OK;
}

void tls_rpc_free(struct tls_rpc *c)
{
    if (c == NULL)
        return;
    rpc_session_free(c->rpc);
    tls_session_free(c->tls);
    itee_free_secret(c, sizeof(*c));
}

/* TLS failed: stop serving; what is left to send is the alert. Returns: err. */
static enum itee_err tls_rpc_fail(struct tls_rpc *c, enum itee_err err)
{
    rpc_session_free(c->rpc);
    c->rpc = NULL;
    c->done = true;
    return err;
}

/* Encrypts the RPC engine's output and closes TLS when either side is finished. */
static enum itee_err tls_rpc_flush(struct tls_rpc *c)
{
    if (c->rpc == NULL)
        return ITEE_OK;
    struct itee_buf *out = rpc_session_output(c->rpc);
    if (out->len > 0) {
        enum itee_err r = tls_session_write(c->tls, out->ptr, out->len);
        itee_buf_reset(out);
        if (r != ITEE_OK) /* a peer that does not read its answers is dropped */
            return tls_rpc_fail(c, r);
    }
    if (rpc_session_done(c->rpc) || tls_session_peer_closed(c->tls)) {
        c->done = true;
        if (tls_session_close(c->tls) != ITEE_OK) {
            /* a failed session still sends what it has */
        }
    }
    return ITEE_OK;
}

enum itee_err tls_rpc_feed(struct tls_rpc *c, const uint8_t *data, size_t len)
{
    if (c == NULL || (data == NULL && len != 0))
        return ITEE_ERR_ARG;
    if (c->done)
        return ITEE_OK; /* a finished stream's input is discarded */
    enum itee_err r = tls_session_feed_cipher(c->tls, data, len);
    size_t n = 0;
    while (r == ITEE_OK) {
        r = tls_session_read(c->tls, c->plain, sizeof(c->plain), &n);
        if (r != ITEE_OK || n == 0)
            break;
        if (!rpc_session_done(c->rpc) && rpc_session_feed(c->rpc, c->plain, n) != ITEE_OK)
            rpc_session_abort(c->rpc); /* out of memory: end the stream, not the process */
    }
    if (r != ITEE_OK)
        return tls_rpc_fail(c, r);
    return tls_rpc_flush(c);
}

enum itee_err tls_rpc_poll(struct tls_rpc *c)
{
    if (c == NULL)
        return ITEE_ERR_ARG;
    if (c->rpc == NULL || c->done)
        return ITEE_OK;
    if (rpc_session_poll(c->rpc) != ITEE_OK)
        rpc_session_abort(c->rpc);
    return tls_rpc_flush(c);
}

size_t tls_rpc_cipher_pending(const struct tls_rpc *c)
{
    return c != NULL ? tls_session_cipher_pending(c->tls) : 0;
}

enum itee_err tls_rpc_take_cipher(struct tls_rpc *c, uint8_t *buf, size_t cap, size_t *out_len)
{
    if (c == NULL) {
        if (out_len != NULL)
            *out_len = 0;
        return ITEE_ERR_ARG;
    }
    return tls_session_take_cipher(c->tls, buf, cap, out_len);
}

bool tls_rpc_done(const struct tls_rpc *c)
{
    return c == NULL || c->done;
}

bool tls_rpc_is_ws(const struct tls_rpc *c)
{
    return c != NULL && c->rpc != NULL && rpc_session_is_ws(c->rpc);
}

const char *tls_rpc_reason(const struct tls_rpc *c)
{
    return c != NULL ? tls_session_reason(c->tls) : "";
}
