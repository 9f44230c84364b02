/*
 * fuzz_tls_server.c - bytes from a hostile client into a TLS server session on memory BIOs,
 * as the enclave receives them from the host: fed in input-chosen chunk sizes, with plaintext
 * read and ciphertext drained after every chunk. Checks that errors are sticky and that no
 * plaintext appears before a handshake that an attacker without the client role cannot finish.
 * The first input byte is the chunk size (0 = everything at once).
 */
#include <stdint.h>
#include <stdlib.h>

#include "proto/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads and drains once; aborts on a broken invariant. Returns: the read result. */
static enum itee_err drain(struct tls_session *s)
{
    uint8_t buf[4096];
    size_t n;
    enum itee_err r = tls_session_read(s, buf, sizeof(buf), &n);
    if (r != ITEE_OK && (n != 0 || tls_session_state(s) != TLS_STATE_FAILED))
        abort();
    while (tls_session_take_cipher(s, buf, sizeof(buf), &n) == ITEE_OK && n > 0) {
    }
    if (tls_session_cipher_pending(s) != 0)
        abort();
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct tls_ctx *ctx; /* kept for the process lifetime */
    static const uint8_t seed[TLS_ED25519_SEED_LEN] = {42};
    struct tls_server_config cfg = {.now = 1764000000};
    if (ctx == NULL && tls_server_ctx_new(&ctx, seed, &cfg) != ITEE_OK)
        abort();
    if (size == 0)
        return 0;
    size_t chunk = data[0] != 0 ? data[0] : size;
    data++;
    size--;
    struct tls_session *s;
    if (tls_session_new(&s, ctx, NULL, TLS_MIN_PENDING) != ITEE_OK)
        abort();
    enum itee_err r = ITEE_OK;
    for (size_t off = 0; off < size && r == ITEE_OK; off += chunk) {
        size_t len = size - off < chunk ? size - off : chunk;
        r = tls_session_feed_cipher(s, data + off, len);
        if (r != ITEE_OK && tls_session_state(s) != TLS_STATE_FAILED)
            abort();
        if (r == ITEE_OK)
            r = drain(s);
    }
    if (r != ITEE_OK && tls_session_feed_cipher(s, data, 1) != r)
        abort(); /* errors are sticky */
    if (tls_session_state(s) == TLS_STATE_OPEN)
        abort(); /* random bytes cannot complete a handshake with fresh key shares */
    tls_session_free(s);
    return 0;
}
