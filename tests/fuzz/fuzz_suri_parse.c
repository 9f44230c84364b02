/*
 * fuzz_suri_parse.c - libFuzzer target: secret-URI parsing (and the mnemonic check of the
 * phrase it yields) on arbitrary input.
 */
#include <stddef.h>
#include <stdint.h>

#include "keys/bip39.h"
#include "keys/suri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct suri s;
    if (suri_parse(&s, (const char *)data, size) != ITEE_OK)
        return 0;
    if (s.phrase == NULL || s.njunctions > SURI_MAX_JUNCTIONS)
        __builtin_trap();
    if (s.has_password && (s.password < (const char *)data ||
                           s.password + s.password_len != (const char *)data + size))
        __builtin_trap();
    uint8_t ent[BIP39_MAX_ENTROPY_LEN];
    size_t n = 0;
    (void)bip39_entropy_from_mnemonic(ent, sizeof(ent), &n, s.phrase, s.phrase_len);
    return 0;
}
