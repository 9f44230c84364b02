/*
 * fuzz_unseal.c - unseal on arbitrary blobs under a fixed key; the first input byte (mod 8)
 * says how many of the following bytes are the aad. Checks seal -> unseal round trips too.
 * The fixed key is 00 01 .. 1f, so seeds can be made outside (see corpus/fuzz_unseal).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "crypto/seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t key[SEAL_KEY_LEN];
    for (size_t i = 0; i < sizeof(key); i++)
        key[i] = (uint8_t)i;
    if (size == 0)
        return 0;
    size_t aad_len = data[0] % 8;
    if (aad_len > size - 1)
        aad_len = size - 1;
    const uint8_t *aad = data + 1;
    const uint8_t *blob = aad + aad_len;
    size_t blob_len = size - 1 - aad_len;
    struct itee_buf out, sealed;
    itee_buf_init(&out, 0);
    itee_buf_init(&sealed, 0);
    enum itee_err r = unseal(&out, key, aad, aad_len, blob, blob_len);
    if (r != ITEE_OK && r != ITEE_ERR_FORMAT && r != ITEE_ERR_AUTH)
        abort();
    if (r == ITEE_OK && out.len + SEAL_OVERHEAD != blob_len)
        abort();
    if (seal(&sealed, key, aad, aad_len, blob, blob_len) != ITEE_OK ||
        unseal(&out, key, aad, aad_len, sealed.ptr, sealed.len) != ITEE_OK || out.len != blob_len ||
        (blob_len > 0 && memcmp(out.ptr, blob, blob_len) != 0))
        abort();
    itee_buf_free(&sealed);
    itee_buf_free(&out);
    return 0;
}
