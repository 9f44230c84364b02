/*
 * fuzz_trie_node.c - the trie node decoder: never crashes, and whatever it accepts re-encodes
 * to exactly the same bytes (the decoder accepts only canonical encodings).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trie/trie_node.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct trie_node_view v;
    if (trie_node_decode(&v, data, size) != ITEE_OK)
        return 0;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    if (trie_node_encode(&b, &v) != ITEE_OK || b.len != size || memcmp(b.ptr, data, size) != 0)
        abort();
    itee_buf_free(&b);
    return 0;
}
