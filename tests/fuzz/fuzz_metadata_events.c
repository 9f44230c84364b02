/*
 * fuzz_metadata_events.c - System.Events and arbitrary registry types decoded by the node
 * runtime's metadata (what the CLI and the service read from a node they do not trust): never
 * crashes, and skipping a value consumes exactly what decoding it does.
 */
#include <stdint.h>
#include <stdlib.h>

#include "chain/metadata_value.h"
#include "node/runtime/rt_metadata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct metadata_builder *md; /* built once: the fuzzer's loop is the hot path */
    if (md == NULL && rt_metadata_build(&md) != ITEE_OK)
        abort();
    json_t *v = NULL;
    if (metadata_events_decode(md, data, size, &v) == ITEE_OK && v == NULL)
        abort();
    json_decref(v);
    if (size < 2)
        return 0;
    uint32_t ty = ((uint32_t)data[0] << 8 | data[1]) % (metadata_type_count(md) + 1);
    struct scale_reader a, b;
    scale_reader_init(&a, data + 2, size - 2);
    scale_reader_init(&b, data + 2, size - 2);
    enum itee_err ea = metadata_value_decode(md, ty, &a, &v);
    enum itee_err eb = metadata_value_skip(md, ty, &b);
    if (ea != eb || (ea == ITEE_OK && scale_reader_remaining(&a) != scale_reader_remaining(&b)))
        abort();
    json_decref(v);
    return 0;
}
