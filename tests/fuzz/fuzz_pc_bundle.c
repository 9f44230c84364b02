/*
 * fuzz_pc_bundle.c - the parentchain block bundle decoder (bytes from the untrusted host into
 * the enclave): never crashes, and whatever it accepts re-encodes to exactly the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chain/pc_bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pc_bundle b;
    if (pc_bundle_decode(&b, data, size) != ITEE_OK)
        return 0;
    struct itee_buf out;
    itee_buf_init(&out, 0);
    if (pc_bundle_encode(&out, b.header, b.has_justification ? &b.justification : NULL,
                         b.extrinsics, b.n_extrinsics, b.events, b.proof, b.n_proof) != ITEE_OK ||
        out.len != size || memcmp(out.ptr, data, size) != 0)
        abort();
    itee_buf_free(&out);
    pc_bundle_free(&b);
    return 0;
}
