/*
 * fuzz_scale_reader.c - drives a mixed sequence of scale_read_* calls chosen by the input's
 * own bytes. Checks: no read past the input, failed reads consume nothing, and every compact
 * that decodes re-encodes to exactly the bytes it consumed (canonical forms only).
 */
#include <stdlib.h>
#include <string.h>

#include "codec/scale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs one reader operation selected by op. Returns: its result. */
static enum itee_err step(struct scale_reader *r, uint8_t op)
{
    uint8_t b[32];
    union {
        uint16_t u16;
        uint32_t u32;
        uint64_t u64;
        itee_u128 u128;
        bool flag;
        size_t n;
        struct itee_slice s;
    } v;
    struct scale_reader sub;
    switch (op % 16) {
    case 0:
        return scale_read_u8(r, b);
    case 1:
        return scale_read_u64(r, &v.u64);
    case 2:
        return scale_read_i128(r, (itee_i128 *)&v.u128);
    case 3:
        return scale_read_bool(r, &v.flag);
    case 4:
        return scale_read_option(r, &v.flag);
    case 5:
        return scale_read_result(r, &v.flag);
    case 6:
        return scale_read_len(r, &v.n, op >> 4);
    case 7:
        return scale_read_vec_u8(r, &v.s);
    case 8:
        return scale_read_str(r, &v.s);
    case 9:
        return scale_read_bytes(r, b, op >> 3);
    case 10:
        return scale_read_slice(r, op >> 4, &v.s);
    case 11: {
        enum itee_err e = scale_reader_sub(r, op >> 4, &sub);
        while (e == ITEE_OK && scale_reader_remaining(&sub) > 0)
            e = scale_read_u16(&sub, &v.u16);
        return ITEE_OK;
    }
    default: {
        size_t start = r->pos;
        enum itee_err e = op % 3 == 0   ? scale_read_compact_u32(r, &v.u32)
                          : op % 3 == 1 ? scale_read_compact_u64(r, &v.u64)
                                        : scale_read_compact_u128(r, &v.u128);
        if (e == ITEE_OK) {
            itee_u128 x = op % 3 == 0 ? v.u32 : op % 3 == 1 ? v.u64 : v.u128;
            uint8_t enc[SCALE_COMPACT_MAX_LEN];
            size_t n = scale_encode_compact(enc, x);
            if (n != r->pos - start || memcmp(enc, r->ptr + start, n) != 0)
                abort();
        }
        return e;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t nops = data[0] % 16 + 1;
    if (nops > size - 1)
        nops = size - 1;
    struct scale_reader r;
    scale_reader_init(&r, data + 1 + nops, size - 1 - nops);
    for (size_t i = 0; i < nops; i++) {
        size_t before = r.pos;
        enum itee_err e = step(&r, data[1 + i]);
        if (r.pos > r.len || (e != ITEE_OK && r.pos != before))
            abort();
    }
    return 0;
}
