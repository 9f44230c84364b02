/*
 * fuzz_stf_state_decode.c - what the enclave decodes after decrypting a sealed state or a
 * block's state diff: never crashes; an accepted state re-encodes to the same bytes; a diff
 * either applies fully or leaves the state's hash unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "enclave/stf_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct stf_state *st = NULL;
    struct itee_buf b;
    uint8_t h0[32], h1[32];
    itee_buf_init(&b, 0);
    if (stf_state_decode(&st, data, size) == ITEE_OK) {
        if (stf_state_encode(st, &b) != ITEE_OK || b.len != size || memcmp(b.ptr, data, size) != 0)
            abort();
        stf_state_free(st);
        st = NULL;
    }
    if (stf_state_new(&st) != ITEE_OK ||
        stf_state_put(st, (const uint8_t *)"k", 1, (const uint8_t *)"v", 1) != ITEE_OK ||
        stf_state_diff_clear(st) != ITEE_OK || stf_state_hash(st, h0) != ITEE_OK)
        abort();
    if (stf_state_diff_apply(st, data, size) != ITEE_OK) {
        if (stf_state_hash(st, h1) != ITEE_OK || memcmp(h0, h1, 32) != 0)
            abort();
    }
    stf_state_free(st);
    itee_buf_free(&b);
    return 0;
}
