/*
 * fuzz_scale_value.c - the first byte picks one of a set of fixed types; the rest is decoded
 * as that type. Whatever decodes must re-encode (from the decoded JSON) to exactly the bytes
 * that were consumed: the decoder accepts canonical encodings only.
 */
#include <stdlib.h>
#include <string.h>

#include "codec/scale_value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const types[] = {
    "u8",
    "u64",
    "i128",
    "u256",
    "bool",
    "Compact<u32>",
    "Compact<u128>",
    "Option<u16>",
    "Result<u8,Text>",
    "Vec<u16>",
    "Bytes",
    "Text",
    "(u8,Compact<u64>,bool)",
    "[u16;3]",
    "[u8;4]",
    "BTreeMap<u32,Text>",
    "BTreeSet<i16>",
    "BTreeMap<Text,Bytes>",
    "BTreeMap<(u8,u16),bool>",
    "BTreeMap<Option<u32>,u8>",
    "BTreeMap<Vec<u16>,()>",
    "BTreeMap<[u8;2],i32>",
    "BTreeMap<bool,BTreeSet<Bytes>>",
    "BTreeMap<Result<Null,u8>,u8>",
    "BTreeMap<{\"_enum\":{\"P\":\"u8\",\"Q\":\"Null\"}},u8>",
    "Option<()>",
    "{\"a\":\"u32\",\"b\":\"Option<Vec<(u8,Text)>>\"}",
    ("{\"_enum\":{\"A\":\"Null\",\"B\":\"u32\",\"C\":\"(bool,Text)\",\"D\":\"Vec<{\\\"_enum\\\":"
     "[\\\"X\\\",\\\"Y\\\"]}>\"}}"),
    "{\"_enum\":{\"X\":5,\"Y\":200}}",
    "Vec<Result<Option<u8>,{\"x\":\"i8\"}>>",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *text = types[data[0] % (sizeof(types) / sizeof(types[0]))];
    struct scale_type *t = NULL;
    if (scale_type_parse(text, strlen(text), &t) != ITEE_OK)
        abort();
    struct scale_reader r;
    scale_reader_init(&r, data + 1, size - 1);
    json_t *v = NULL;
    if (scale_value_decode(t, &r, &v) == ITEE_OK) {
        struct itee_buf b;
        itee_buf_init(&b, 0);
        if (scale_value_encode(t, v, &b) != ITEE_OK || b.len != r.pos ||
            (b.len > 0 && memcmp(b.ptr, data + 1, b.len) != 0))
            abort();
        itee_buf_free(&b);
        json_decref(v);
    } else if (r.pos != 0 || v != NULL) {
        abort();
    }
    scale_type_free(t);
    return 0;
}
