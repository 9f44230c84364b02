/*
 * fuzz_trpc_config.c - ecall_trpc_config's request (enclave_trpc.h) on arbitrary bytes:
 * decoding is strict and total; whatever decodes obeys the URL rules and encodes back to
 * exactly the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/scale.h"
#include "common/bytes.h"
#include "enclave/enclave_trpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless the URL is within the limits the decoder promises. */
static void check_url(const char *p, size_t len)
{
    if (len > ENCLAVE_TRPC_URL_MAX)
        abort();
    for (size_t i = 0; i < len; i++)
        if ((uint8_t)p[i] < 0x20 || (uint8_t)p[i] == 0x7f)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct enclave_trpc_config c;
    if (enclave_trpc_config_decode(&c, data, size) != ITEE_OK)
        return 0;
    check_url(c.mu_ra_url, c.mu_ra_url_len);
    check_url(c.untrusted_url, c.untrusted_url_len);
    struct itee_buf b;
    itee_buf_init(&b, 0);
    if (scale_put_bytes(&b, c.shard, sizeof(c.shard)) != ITEE_OK ||
        scale_put_str(&b, c.mu_ra_url, c.mu_ra_url_len) != ITEE_OK ||
        scale_put_str(&b, c.untrusted_url, c.untrusted_url_len) != ITEE_OK || b.len != size ||
        memcmp(b.ptr, data, size) != 0)
        abort();
    itee_buf_free(&b);
    return 0;
}
