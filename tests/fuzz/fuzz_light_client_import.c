/*
 * fuzz_light_client_import.c - header and justification bytes fed to a light client started
 * from a fixed genesis with //Alice as the only GRANDPA authority. Input: u16 LE header length,
 * the header, then the justification (possibly empty); with bit 15 of the length set the
 * header is imported alone and the justification after it. Never crashes or leaks, and a refused
 * import or justification leaves the encoded state unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chain/light_client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* //Alice's ed25519 key (spec/substrate-compat.md section 6.4). */
static const uint8_t ALICE[32] = {0x88, 0xdc, 0x34, 0x17, 0xd5, 0x05, 0x8e, 0xc4, 0xb4, 0x50, 0x3e,
                                  0x0c, 0x12, 0xea, 0x1a, 0x0a, 0x89, 0xbe, 0x20, 0x0f, 0xe9, 0x89,
                                  0x22, 0x42, 0x3d, 0x43, 0x34, 0x01, 0x4f, 0xa6, 0xb0, 0xee};

/* Genesis: parent 0, number 0, state root 22.., extrinsics root 33.., empty digest. */
static void genesis(uint8_t g[98])
{
    memset(g, 0, 33);
    memset(g + 33, 0x22, 32);
    memset(g + 65, 0x33, 32);
    g[97] = 0;
}

static void state(const struct light_client *lc, struct itee_buf *b)
{
    itee_buf_init(b, 0);
    if (light_client_encode(lc, b) != ITEE_OK)
        abort();
}

static void same(const struct itee_buf *a, const struct itee_buf *b)
{
    if (a->len != b->len || memcmp(a->ptr, b->ptr, a->len) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    /* bit 15 of the length: import the header alone, then the rest as a late justification */
    size_t raw = (size_t)data[0] | (size_t)data[1] << 8, hlen = raw & 0x7fff;
    int late = (raw & 0x8000) != 0;
    if (hlen > size - 2)
        return 0;
    const uint8_t *hdr = data + 2, *just = hdr + hlen;
    size_t jlen = size - 2 - hlen;
    uint8_t g[98];
    genesis(g);
    struct grandpa_authority a;
    memcpy(a.id.bytes, ALICE, 32);
    a.weight = 1;
    struct light_client *lc = NULL;
    if (light_client_new(&lc, TRIE_LAYOUT_V0, g, sizeof(g), &a, 1) != ITEE_OK)
        abort();
    struct itee_buf before, after;
    state(lc, &before);
    enum itee_err e = late ? light_client_import(lc, hdr, hlen, NULL, 0, NULL)
                           : light_client_import(lc, hdr, hlen, jlen ? just : NULL, jlen, NULL);
    state(lc, &after);
    if (e != ITEE_OK)
        same(&before, &after);
    if (e == ITEE_OK && late) {
        itee_buf_free(&before);
        before = after;
        e = light_client_import_justification(lc, just, jlen, NULL);
        state(lc, &after);
        if (e != ITEE_OK)
            same(&before, &after);
    }
    itee_buf_free(&before);
    itee_buf_free(&after);
    light_client_free(lc);
    return 0;
}
