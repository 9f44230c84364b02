/*
 * fuzz_trie_proof.c - the read-proof verifier on hostile proofs. Input: n_keys (1 byte, mod 5),
 * then n_keys keys as (len u8, bytes), then nodes as (len u16 LE, bytes) to the end. The root
 * is the hash of the first node, so walks get past the root. Checks: no crash, a proof accepted
 * strictly is accepted leniently with the same answers, and values point into the proof.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trie/trie_proof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_KEYS  4
#define MAX_NODES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct itee_slice keys[MAX_KEYS], nodes[MAX_NODES];
    size_t nk = 0, nn = 0, pos = 1;
    if (size < 1)
        return 0;
    size_t want = data[0] % (MAX_KEYS + 1);
    while (nk < want && pos < size && pos + 1 + data[pos] <= size) {
        keys[nk++] = itee_slice_make(data + pos + 1, data[pos]);
        pos += 1 + (size_t)data[pos];
    }
    while (nn < MAX_NODES && pos + 2 <= size) {
        size_t len = (size_t)data[pos] | ((size_t)data[pos + 1] << 8);
        if (pos + 2 + len > size)
            break;
        nodes[nn++] = itee_slice_make(data + pos + 2, len);
        pos += 2 + len;
    }
    if (nn == 0)
        return 0;
    uint8_t root[TRIE_HASH_LEN];
    trie_hash(root, nodes[0].ptr, nodes[0].len);
    struct trie_proof_value strict[MAX_KEYS], lenient[MAX_KEYS];
    enum itee_err es = trie_proof_verify(root, nodes, nn, keys, nk, strict, TRIE_PROOF_STRICT);
    enum itee_err el = trie_proof_verify(root, nodes, nn, keys, nk, lenient, 0);
    if (es == ITEE_OK) {
        if (el != ITEE_OK)
            abort();
        for (size_t i = 0; i < nk; i++) {
            if (strict[i].present != lenient[i].present ||
                strict[i].value.len != lenient[i].value.len)
                abort();
            if (strict[i].present && strict[i].value.len > 0 &&
                (strict[i].value.ptr < data ||
                 strict[i].value.ptr + strict[i].value.len > data + size))
                abort();
        }
    }
    return 0;
}
