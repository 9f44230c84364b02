/*
 * fuzz_tls_client.c - bytes from a hostile server into a TLS client session on memory BIOs, as
 * a teeracle fetch or the CLI receives them: fed in input-chosen chunk sizes, with plaintext
 * read and ciphertext drained after every chunk. The handshake must never complete (the
 * attacker lacks the client's key share) and errors must be sticky.
 * The first input byte: bit 0 picks pinned (1) or no (0) verification, the rest is the chunk
 * size (0 = everything at once).
 */
#include <stdint.h>
#include <stdlib.h>

#include "proto/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct tls_ctx *pinned, *none; /* kept for the process lifetime */
    struct tls_client_config pc = {.mode = TLS_VERIFY_PINNED, .pinned_key = {1, 2, 3}};
    struct tls_client_config nc = {.mode = TLS_VERIFY_NONE};
    if (pinned == NULL &&
        (tls_client_ctx_new(&pinned, &pc) != ITEE_OK || tls_client_ctx_new(&none, &nc) != ITEE_OK))
        abort();
    if (size == 0)
        return 0;
    size_t chunk = data[0] >> 1 != 0 ? data[0] >> 1 : size;
    struct tls_ctx *ctx = data[0] & 1 ? pinned : none;
    data++;
    size--;
    struct tls_session *s;
    if (tls_session_new(&s, ctx, "oracle.example", TLS_MIN_PENDING) != ITEE_OK)
        abort();
    uint8_t buf[4096];
    size_t n;
    enum itee_err r = ITEE_OK;
    for (size_t off = 0; off < size && r == ITEE_OK; off += chunk) {
        size_t len = size - off < chunk ? size - off : chunk;
        r = tls_session_feed_cipher(s, data + off, len);
        if (r == ITEE_OK)
            r = tls_session_read(s, buf, sizeof(buf), &n);
        if (r != ITEE_OK && tls_session_state(s) != TLS_STATE_FAILED)
            abort();
        while (tls_session_take_cipher(s, buf, sizeof(buf), &n) == ITEE_OK && n > 0) {
        }
    }
    if (r != ITEE_OK && tls_session_write(s, buf, 1) != r)
        abort(); /* errors are sticky */
    if (tls_session_state(s) == TLS_STATE_OPEN)
        abort();
    tls_session_free(s);
    return 0;
}
