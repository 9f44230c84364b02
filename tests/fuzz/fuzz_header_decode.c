/*
 * fuzz_header_decode.c - the block header decoder: never crashes, whatever it accepts
 * re-encodes to exactly the same bytes, and the seal/slot helpers cope with any digest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chain/header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct header h;
    if (header_decode(&h, data, size) != ITEE_OK)
        return 0;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    if (header_encode(&b, &h) != ITEE_OK || b.len != size || memcmp(b.ptr, data, size) != 0)
        abort();
    uint64_t slot;
    uint8_t pre[32], author[32] = {0};
    (void)header_aura_slot(&h, &slot);
    (void)header_aura_verify_seal(&h, author, pre);
    itee_buf_free(&b);
    return 0;
}
