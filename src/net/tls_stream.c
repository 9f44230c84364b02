/*
 * tls_stream.c - TLS client transport for rpc_client (see tls_stream.h).
 */
#include "net/tls_stream.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define TLS_STREAM_SEND_MS 30000 /* longest wait for the socket to take our ciphertext */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

enum itee_err tls_stream_init(struct tls_stream *st, const struct tls_client_config *cfg)
{
    memset(st, 0, sizeof(*st));
    itee_buf_init(&st->plain, RPC_CLIENT_MAX_MSG + 65536);
    return tls_client_ctx_new(&st->ctx, cfg);
}

void tls_stream_free(struct tls_stream *st)
{
    if (st == NULL)
        return;
    tls_session_free(st->s);
    tls_ctx_free(st->ctx);
    itee_buf_free(&st->plain);
    memset(st, 0, sizeof(*st));
}

/* Sends all pending ciphertext, waiting for the socket until deadline. */
static enum itee_err flush_cipher(struct tls_stream *st, int fd, uint64_t deadline)
{
    uint8_t buf[16384];
    while (tls_session_cipher_pending(st->s) > 0) {
        size_t n = 0;
        enum itee_err r = tls_session_take_cipher(st->s, buf, sizeof(buf), &n);
        if (r != ITEE_OK)
            return r;
        size_t off = 0;
        while (off < n) {
            ssize_t k = send(fd, buf + off, n - off, MSG_NOSIGNAL);
            if (k > 0) {
                off += (size_t)k;
                continue;
            }
            if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                return ITEE_ERR_CONN;
            uint64_t now = now_ms();
            if (now >= deadline)
                return ITEE_ERR_TIMEOUT;
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            (void)poll(&p, 1, (int)(deadline - now));
        }
    }
    return ITEE_OK;
}

/* Moves every decrypted byte the session has into st->plain. */
static enum itee_err drain_plain(struct tls_stream *st)
{
    if (st->plain_off == st->plain.len) {
        itee_buf_reset(&st->plain);
        st->plain_off = 0;
    }
    uint8_t buf[16384];
    for (;;) {
        size_t n = 0;
        enum itee_err r = tls_session_read(st->s, buf, sizeof(buf), &n);
        if (r != ITEE_OK)
            return r;
        if (n == 0)
            return ITEE_OK;
        if ((r = itee_buf_append(&st->plain, buf, n)) != ITEE_OK)
            return r;
    }
}

/* Reads what the socket has (non-blocking) into the session. Returns -1 on EOF/error. */
static long pull(struct tls_stream *st, int fd)
{
    uint8_t buf[16384];
    ssize_t k = recv(fd, buf, sizeof(buf), 0);
    if (k == 0)
        return -1;
    if (k < 0)
        return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
    enum itee_err r = tls_session_feed_cipher(st->s, buf, (size_t)k);
    if (r == ITEE_OK)
        r = flush_cipher(st, fd, now_ms() + TLS_STREAM_SEND_MS); /* e.g. key updates */
    if (r == ITEE_OK)
        r = drain_plain(st);
    if (r != ITEE_OK) {
        st->error = r;
        return -1;
    }
    return k;
}

static long t_write(void *ctx, int fd, const uint8_t *data, size_t len)
{
    struct tls_stream *st = ctx;
    if (st->error != ITEE_OK)
        return -1;
    enum itee_err r = tls_session_write(st->s, data, len);
    if (r == ITEE_OK)
        r = flush_cipher(st, fd, now_ms() + TLS_STREAM_SEND_MS);
    if (r != ITEE_OK) {
        st->error = r;
        return -1;
    }
    return (long)len;
}

static long t_read(void *ctx, int fd, uint8_t *buf, size_t cap)
{
    struct tls_stream *st = ctx;
    if (st->plain_off == st->plain.len) {
        if (st->error != ITEE_OK || tls_session_state(st->s) == TLS_STATE_CLOSED)
            return -1;
        long k = pull(st, fd);
        if (k < 0)
            return -1;
        if (st->plain_off == st->plain.len)
            return 0;
    }
    size_t n = st->plain.len - st->plain_off;
    if (n > cap)
        n = cap;
    memcpy(buf, st->plain.ptr + st->plain_off, n);
    st->plain_off += n;
    return (long)n;
}

static bool t_pending(void *ctx)
{
    const struct tls_stream *st = ctx;
    return st->plain_off < st->plain.len;
}

struct rpc_client_transport tls_stream_transport(struct tls_stream *st)
{
    struct rpc_client_transport t = {
        .ctx = st, .write = t_write, .read = t_read, .pending = t_pending};
    return t;
}

/* Returns: true if host is a DNS name (SNI is not sent for IP literals). */
static bool is_dns_name(const char *host)
{
    bool alpha = false;
    for (const char *p = host; *p; p++) {
        if (*p == ':')
            return false;
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
            alpha = true;
    }
    return alpha;
}

enum itee_err tls_stream_setup(void *ctx, int fd, const struct rpc_client_url *url,
                               uint32_t timeout_ms)
{
    struct tls_stream *st = ctx;
    uint64_t deadline = now_ms() + timeout_ms;
    enum itee_err r =
        tls_session_new(&st->s, st->ctx, is_dns_name(url->host) ? url->host : NULL, 0);
    if (r != ITEE_OK)
        return r;
    while (tls_session_state(st->s) == TLS_STATE_HANDSHAKE) {
        if ((r = flush_cipher(st, fd, deadline)) != ITEE_OK)
            return r;
        uint64_t now = now_ms();
        if (now >= deadline)
            return ITEE_ERR_TIMEOUT;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int pr = poll(&p, 1, (int)(deadline - now));
        if (pr < 0 && errno != EINTR)
            return ITEE_ERR_CONN;
        if (pr <= 0)
            continue;
        if (pull(st, fd) < 0)
            return st->error != ITEE_OK ? st->error : ITEE_ERR_CONN;
    }
    if (tls_session_state(st->s) != TLS_STATE_OPEN)
        return st->error != ITEE_OK ? st->error : ITEE_ERR_CONN;
    if (flush_cipher(st, fd, deadline) != ITEE_OK)
        return ITEE_ERR_CONN;
    st->have_peer_key = tls_session_peer_ed25519(st->s, st->peer_key) == ITEE_OK;
    return ITEE_OK;
}

enum itee_err tls_stream_connect(struct tls_stream *st, const char *url, uint32_t timeout_ms,
                                 struct rpc_client **client)
{
    struct rpc_client_transport t = tls_stream_transport(st);
    return rpc_client_connect_with(client, url, timeout_ms, &t, tls_stream_setup);
}
