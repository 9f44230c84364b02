/*
 * fuzz_metadata_decode.c - the metadata decoder: never crashes, and whatever it accepts
 * re-encodes (V14 or V15, as decoded) to exactly the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chain/metadata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct metadata_builder *b = NULL;
    uint32_t version = 0;
    if (metadata_decode(data, size, &b, &version) != ITEE_OK)
        return 0;
    struct itee_buf out;
    itee_buf_init(&out, 0);
    enum itee_err r =
        version == METADATA_V14 ? metadata_encode_v14(b, &out) : metadata_encode_v15(b, &out);
    if (r != ITEE_OK || out.len != size || memcmp(out.ptr, data, size) != 0)
        abort();
    itee_buf_free(&out);
    metadata_builder_free(b);
    return 0;
}
