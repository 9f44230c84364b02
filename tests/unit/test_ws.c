/*
 * test_ws.c - WebSocket engine: the RFC 6455 handshake vector, UTF-8 validation, messages
 * whole, split byte by byte and fragmented with an interleaved ping, and the closes for hostile
 * input (unmasked frames 1002, bad UTF-8 1007, oversized 1009, peer close).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/bytes.h"
#include "common/mem.h"
#include "common/utf8.h"
#include "proto/ws.h"

/* Builds a client frame (masked with 01 02 03 04 unless mask is false). Returns: its length. */
static size_t frame(uint8_t *out, bool fin, int opcode, const void *payload, size_t n, bool mask)
{
    const uint8_t *p = payload;
    static const uint8_t key[4] = {1, 2, 3, 4};
    size_t o = 0;
    out[o++] = (uint8_t)((fin ? 0x80 : 0) | opcode);
    uint8_t m = mask ? 0x80 : 0;
    if (n < 126) {
        out[o++] = (uint8_t)(m | n);
    } else if (n < 65536) {
        out[o++] = m | 126;
        out[o++] = (uint8_t)(n >> 8);
        out[o++] = (uint8_t)n;
    } else {
        out[o++] = m | 127;
        for (int i = 7; i >= 0; i--)
            out[o++] = (uint8_t)((uint64_t)n >> (8 * i));
    }
    if (mask) {
        memcpy(out + o, key, 4);
        o += 4;
    }
    for (size_t i = 0; i < n; i++)
        out[o + i] = mask ? (uint8_t)(p[i] ^ key[i % 4]) : p[i];
    return o + n;
}

/* Parses one unmasked server frame at *off in buf. Returns: opcode, payload via out/len. */
static int server_frame(const struct itee_buf *buf, size_t *off, const uint8_t **out, size_t *len)
{
    const uint8_t *b = buf->ptr + *off;
    assert_true(buf->len - *off >= 2);
    int op = b[0] & 0x0f;
    assert_int_equal(b[1] & 0x80, 0); /* servers never mask */
    size_t n = b[1] & 0x7f, h = 2;
    if (n == 126) {
        n = ((size_t)b[2] << 8) | b[3];
        h = 4;
    }
    assert_true(n < 127 || h == 4);
    *out = b + h;
    *len = n;
    *off += h + n;
    return op;
}

/* Collected messages. */
struct msgs {
    char text[8][256]; /* message bodies */
    bool is_text[8];   /* opcodes */
    size_t n;          /* count */
};

static enum itee_err on_msg(void *ctx, const uint8_t *data, size_t len, bool text)
{
    struct msgs *m = ctx;
    assert_true(m->n < 8 && len < 256);
    memcpy(m->text[m->n], data, len);
    m->text[m->n][len] = '\0';
    m->is_text[m->n] = text;
    m->n++;
    return ITEE_OK;
}

static void test_ws_accept_vector(void **state)
{
    (void)state;
    char acc[WS_ACCEPT_LEN + 1];
    /* RFC 6455 section 1.3 */
    const char *key = "dGhlIHNhbXBsZSBub25jZQ==";
    assert_int_equal(ws_accept_key(key, strlen(key), acc), ITEE_OK);
    assert_string_equal(acc, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    assert_true(ws_key_valid(key, 24));
    assert_false(ws_key_valid("dGhlIHNhbXBsZSBub25jZQ=", 23));
    assert_false(ws_key_valid("dGhlIHNhbXBsZSBub25jZR==", 24)); /* stray low bits */
    assert_false(ws_key_valid("dGhlIHNhbXBsZSBub25j*Q==", 24));
    assert_int_equal(ws_accept_key("abc", 3, acc), ITEE_ERR_ARG);
    assert_string_equal(acc, "");
}

static void test_ws_utf8(void **state)
{
    (void)state;
    assert_true(itee_utf8_valid((const uint8_t *)"", 0));
    assert_true(itee_utf8_valid((const uint8_t *)"a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10));
    assert_false(itee_utf8_valid((const uint8_t *)"\xc0\x80", 2));         /* overlong NUL */
    assert_false(itee_utf8_valid((const uint8_t *)"\xe0\x80\xaf", 3));     /* overlong */
    assert_false(itee_utf8_valid((const uint8_t *)"\xed\xa0\x80", 3));     /* surrogate */
    assert_false(itee_utf8_valid((const uint8_t *)"\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    assert_false(itee_utf8_valid((const uint8_t *)"\xe2\x82", 2));         /* truncated */
    assert_false(itee_utf8_valid((const uint8_t *)"\x80", 1));
    assert_false(itee_utf8_valid((const uint8_t *)"\xff", 1));
    assert_true(itee_utf8_valid((const uint8_t *)"\xf4\x8f\xbf\xbf", 4));
}

static void test_ws_messages(void **state)
{
    (void)state;
    struct msgs m = {0};
    struct ws_conn *ws;
    assert_int_equal(ws_conn_new(&ws, 0, on_msg, &m), ITEE_OK);
    uint8_t in[1024];
    size_t n = frame(in, true, 1, "hello", 5, true);
    /* byte by byte */
    for (size_t i = 0; i < n; i++)
        assert_int_equal(ws_conn_feed(ws, in + i, 1), ITEE_OK);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.text[0], "hello");
    assert_true(m.is_text[0]);
    /* fragmented text with a ping between the fragments, and a binary message */
    n = frame(in, false, 1, "frag", 4, true);
    n += frame(in + n, false, 0, "men", 3, true);
    n += frame(in + n, true, 9, "pp", 2, true);
    n += frame(in + n, true, 0, "ted", 3, true);
    n += frame(in + n, true, 2, "\x01\x02", 2, true);
    assert_int_equal(ws_conn_feed(ws, in, n), ITEE_OK);
    assert_int_equal(m.n, 3);
    assert_string_equal(m.text[1], "fragmented");
    assert_false(m.is_text[2]);
    /* the pong, then a queued text message */
    assert_int_equal(ws_conn_send(ws, (const uint8_t *)"{\"a\":1}", 7, true), ITEE_OK);
    struct itee_buf out;
    itee_buf_init(&out, 0);
    assert_int_equal(ws_conn_flush(ws, &out), ITEE_OK);
    size_t off = 0, len;
    const uint8_t *p;
    assert_int_equal(server_frame(&out, &off, &p, &len), 10);
    assert_memory_equal(p, "pp", 2);
    assert_int_equal(server_frame(&out, &off, &p, &len), 1);
    assert_int_equal(len, 7);
    assert_int_equal(off, out.len);
    assert_false(ws_conn_done(ws));
    /* peer close: answered, then done */
    itee_buf_reset(&out);
    n = frame(in, true, 8, "\x03\xe8", 2, true);
    assert_int_equal(ws_conn_feed(ws, in, n), ITEE_OK);
    assert_int_equal(ws_conn_flush(ws, &out), ITEE_OK);
    off = 0;
    assert_int_equal(server_frame(&out, &off, &p, &len), 8);
    assert_true(ws_conn_done(ws));
    assert_int_equal(ws_conn_close_code(ws), 1000);
    /* nothing more is accepted */
    assert_int_equal(ws_conn_send(ws, (const uint8_t *)"x", 1, true), ITEE_ERR_IO);
    itee_buf_free(&out);
    ws_conn_free(ws);
}

/* Feeds one hostile input and returns the close code the server sent. */
static unsigned hostile(const uint8_t *in, size_t n, size_t max)
{
    struct msgs m = {0};
    struct ws_conn *ws;
    assert_int_equal(ws_conn_new(&ws, max, on_msg, &m), ITEE_OK);
    assert_int_equal(ws_conn_feed(ws, in, n), ITEE_OK);
    struct itee_buf out;
    itee_buf_init(&out, 0);
    assert_int_equal(ws_conn_flush(ws, &out), ITEE_OK);
    assert_int_equal(m.n, 0);
    size_t off = 0, len;
    const uint8_t *p;
    assert_int_equal(server_frame(&out, &off, &p, &len), 8);
    unsigned code = len >= 2 ? ((unsigned)p[0] << 8) | p[1] : 1005; /* 1005: no code */
    assert_true(ws_conn_done(ws));
    assert_int_equal(ws_conn_close_code(ws), code);
    itee_buf_free(&out);
    ws_conn_free(ws);
    return code;
}

static void test_ws_hostile(void **state)
{
    (void)state;
    static uint8_t in[70000];
    size_t n = frame(in, true, 1, "hello", 5, false);
    assert_int_equal(hostile(in, n, 0), WS_CLOSE_PROTOCOL);
    n = frame(in, true, 1, "\xc0\x80", 2, true);
    assert_int_equal(hostile(in, n, 0), WS_CLOSE_BAD_DATA);
    static uint8_t big[300];
    memset(big, 'a', sizeof(big));
    n = frame(in, true, 1, big, sizeof(big), true);
    assert_int_equal(hostile(in, n, 100), WS_CLOSE_TOO_BIG);
    /* a fragmented message that grows past the limit */
    n = frame(in, false, 1, big, 80, true);
    n += frame(in + n, true, 0, big, 80, true);
    assert_int_equal(hostile(in, n, 100), WS_CLOSE_TOO_BIG);
    /* a declared 2^63 length */
    memcpy(in, "\x81\xff\x7f\xff\xff\xff\xff\xff\xff\xff\x01\x02\x03\x04zz", 16);
    assert_int_equal(hostile(in, 16, 100), WS_CLOSE_TOO_BIG);
    /* reserved bits, unknown opcode, continuation without a start */
    n = frame(in, true, 1, "x", 1, true);
    in[0] |= 0x40;
    assert_int_equal(hostile(in, n, 0), WS_CLOSE_PROTOCOL);
    n = frame(in, true, 3, "x", 1, true);
    assert_int_equal(hostile(in, n, 0), WS_CLOSE_PROTOCOL);
    n = frame(in, true, 0, "x", 1, true);
    assert_int_equal(hostile(in, n, 0), WS_CLOSE_PROTOCOL);
    /* a control frame with 126-byte payload */
    n = frame(in, true, 9, big, 126, true);
    assert_int_equal(hostile(in, n, 0), 1005); /* wslay closes without a code here */
}

static void test_ws_out_full(void **state)
{
    (void)state;
    struct msgs m = {0};
    struct ws_conn *ws;
    assert_int_equal(ws_conn_new(&ws, 0, on_msg, &m), ITEE_OK);
    static uint8_t big[1000];
    assert_int_equal(ws_conn_send(ws, big, sizeof(big), false), ITEE_OK);
    struct itee_buf out;
    itee_buf_init(&out, 100);
    assert_int_equal(ws_conn_flush(ws, &out), ITEE_ERR_SPACE);
    assert_true(ws_conn_done(ws));
    itee_buf_free(&out);
    ws_conn_free(ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ws_accept_vector), cmocka_unit_test(test_ws_utf8),
        cmocka_unit_test(test_ws_messages),      cmocka_unit_test(test_ws_hostile),
        cmocka_unit_test(test_ws_out_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
