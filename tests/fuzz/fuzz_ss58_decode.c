/*
 * fuzz_ss58_decode.c - libFuzzer target: SS58 decoding of arbitrary text never misbehaves, and
 * whatever decodes re-encodes to the same text (unless it used a two-byte prefix for an ident
 * below 64, which polkadot-js also accepts and which encodes back in one byte).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/base58.h"
#include "keys/ss58.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t acc[SS58_ACCOUNT_MAX], raw[ITEE_BASE58_MAX_BYTES];
    size_t n = 0, rn = 0;
    uint16_t prefix = 0;
    if (ss58_decode(acc, sizeof(acc), &n, &prefix, (const char *)data, size) != ITEE_OK)
        return 0;
    if (itee_base58_decode(raw, sizeof(raw), &rn, (const char *)data, size) != ITEE_OK || rn == 0)
        __builtin_trap();
    char text[SS58_ADDRESS_MAX];
    if (ss58_encode(text, sizeof(text), prefix, acc, n) != ITEE_OK)
        __builtin_trap();
    if (prefix < 64 && (raw[0] & 0x40))
        return 0;
    if (strlen(text) != size || memcmp(text, data, size) != 0)
        __builtin_trap();
    return 0;
}
