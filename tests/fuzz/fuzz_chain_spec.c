/*
 * fuzz_chain_spec.c - libFuzzer target: the chain spec JSON loader on arbitrary input. A spec
 * that parses must give a reason-free success, build its genesis storage and be written back
 * raw; a failure must leave a one-line reason and nothing allocated.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "node/chain_spec.h"
#include "node/runtime/rt_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct chain_spec s;
    char why[CHAIN_SPEC_WHY_LEN];
    if (size > 1u << 20)
        return 0;
    if (chain_spec_parse(&s, (const char *)data, size, why) != ITEE_OK) {
        if (why[0] == '\0' || strchr(why, '\n') != NULL || s.kv != NULL ||
            s.config.balances != NULL)
            __builtin_trap();
        return 0;
    }
    if (s.id[0] == '\0' || strchr(s.id, '/') != NULL)
        __builtin_trap();
    struct itee_buf out;
    itee_buf_init(&out, 0);
    if (chain_spec_write(&s, true, &out) == ITEE_OK && out.len == 0)
        __builtin_trap();
    itee_buf_free(&out);
    chain_spec_free(&s);
    return 0;
}
