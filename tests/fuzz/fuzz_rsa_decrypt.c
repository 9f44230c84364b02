/*
 * fuzz_rsa_decrypt.c - rsa_decrypt on arbitrary bytes under one fixed key (made once, lazily:
 * generation takes a second). Also cuts the input to whole blocks so the OAEP checks run, and
 * checks that encrypting the input and decrypting it gives it back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "crypto/rsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rsa_key *key; /* the fuzzer's one key, kept for the process lifetime */
    if (key == NULL && rsa_key_generate(&key) != ITEE_OK)
        abort();
    struct itee_buf out, ct;
    itee_buf_init(&out, 0);
    itee_buf_init(&ct, 0);
    (void)rsa_decrypt(key, data, size, &out);
    size_t whole = size - size % RSA_SHIELD_MOD_LEN;
    if (whole > 0 && whole <= 4 * RSA_SHIELD_MOD_LEN &&
        rsa_decrypt(key, data, whole, &out) == ITEE_OK && out.len > whole)
        abort();
    if (size <= 2 * RSA_OAEP_CHUNK_LEN) {
        if (rsa_encrypt(key, data, size, &ct) != ITEE_OK ||
            rsa_decrypt(key, ct.ptr, ct.len, &out) != ITEE_OK || out.len != size ||
            (size > 0 && memcmp(out.ptr, data, size) != 0))
            abort();
    }
    itee_buf_free(&ct);
    itee_buf_free_secret(&out);
    return 0;
}
