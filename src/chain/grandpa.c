/*
 * grandpa.c - GRANDPA justification codec, precommit signing and justification verification
 * (see grandpa.h).
 */
#include "chain/grandpa.h"

#include <string.h>

#include "codec/scale.h"
#include "common/mem.h"

static void put_le(uint8_t *out, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = (uint8_t)(v >> (8 * i));
}

void grandpa_precommit_message(uint8_t out[GRANDPA_MSG_LEN], const struct grandpa_precommit *p,
                               uint64_t round, uint64_t set_id)
{
    out[0] = 1; /* Message::Precommit */
    memcpy(out + 1, p->target_hash, HEADER_HASH_LEN);
    put_le(out + 33, p->target_number, 4);
    put_le(out + 37, round, 8);
    put_le(out + 45, set_id, 8);
}

enum itee_err grandpa_precommit_sign(struct grandpa_signed_precommit *out,
                                     const struct ed25519_keypair *kp,
                                     const struct grandpa_precommit *p, uint64_t round,
                                     uint64_t set_id)
{
    memset(out, 0, sizeof(*out));
    if (kp == NULL || p == NULL)
        return ITEE_ERR_ARG;
    uint8_t msg[GRANDPA_MSG_LEN];
    grandpa_precommit_message(msg, p, round, set_id);
    enum itee_err e = ed25519_sign(&out->signature, kp, msg, sizeof(msg));
    if (e != ITEE_OK) {
        memset(out, 0, sizeof(*out));
        return e;
    }
    out->precommit = *p;
    out->id = kp->public;
    return ITEE_OK;
}

enum itee_err grandpa_signed_precommit_verify(const struct grandpa_signed_precommit *sp,
                                              uint64_t round, uint64_t set_id)
{
    uint8_t msg[GRANDPA_MSG_LEN];
    grandpa_precommit_message(msg, &sp->precommit, round, set_id);
    return ed25519_verify(&sp->signature, msg, sizeof(msg), &sp->id);
}

static enum itee_err put_precommit(struct itee_buf *b, const struct grandpa_precommit *p)
{
    enum itee_err e = scale_put_bytes(b, p->target_hash, HEADER_HASH_LEN);
    return e != ITEE_OK ? e : scale_put_u32(b, p->target_number);
}

enum itee_err grandpa_justification_encode(struct itee_buf *b,
                                           const struct grandpa_justification *j)
{
    if (b == NULL || j == NULL || (j->precommits == NULL && j->n_precommits != 0) ||
        (j->ancestries == NULL && j->n_ancestries != 0))
        return ITEE_ERR_ARG;
    enum itee_err e;
    if ((e = scale_put_u64(b, j->round)) ||
        (e = scale_put_bytes(b, j->target_hash, HEADER_HASH_LEN)) ||
        (e = scale_put_u32(b, j->target_number)) || (e = scale_put_compact(b, j->n_precommits)))
        return e;
    for (size_t i = 0; i < j->n_precommits; i++) {
        const struct grandpa_signed_precommit *sp = &j->precommits[i];
        if ((e = put_precommit(b, &sp->precommit)) ||
            (e = scale_put_bytes(b, sp->signature.bytes, ED25519_SIG_LEN)) ||
            (e = scale_put_bytes(b, sp->id.bytes, ED25519_PUBLIC_LEN)))
            return e;
    }
    if ((e = scale_put_compact(b, j->n_ancestries)) != ITEE_OK)
        return e;
    for (size_t i = 0; i < j->n_ancestries; i++)
        if ((e = header_encode(b, &j->ancestries[i])) != ITEE_OK)
            return e;
    return ITEE_OK;
}

void grandpa_justification_free(struct grandpa_justification *j)
{
    if (j == NULL)
        return;
    if (j->owns_arrays) {
        itee_free(j->precommits);
        itee_free(j->ancestries);
    }
    memset(j, 0, sizeof(*j));
}

static enum itee_err read_body(struct scale_reader *r, struct grandpa_justification *j)
{
    size_t n;
    enum itee_err e;
    j->owns_arrays = true;
    if ((e = scale_read_u64(r, &j->round)) ||
        (e = scale_read_bytes(r, j->target_hash, HEADER_HASH_LEN)) ||
        (e = scale_read_u32(r, &j->target_number)) || (e = scale_read_len(r, &n, 132)))
        return e;
    if (n > GRANDPA_MAX_PRECOMMITS)
        return ITEE_ERR_SCALE_LENGTH;
    if (n > 0 && (j->precommits = itee_alloc_array(n, sizeof(*j->precommits))) == NULL)
        return ITEE_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        struct grandpa_signed_precommit *sp = &j->precommits[i];
        if ((e = scale_read_bytes(r, sp->precommit.target_hash, HEADER_HASH_LEN)) ||
            (e = scale_read_u32(r, &sp->precommit.target_number)) ||
            (e = scale_read_bytes(r, sp->signature.bytes, ED25519_SIG_LEN)) ||
            (e = scale_read_bytes(r, sp->id.bytes, ED25519_PUBLIC_LEN)))
            return e;
    }
    j->n_precommits = n;
    /* a header takes at least 98 bytes: three hashes, a number and an empty digest */
    if ((e = scale_read_len(r, &n, 98)) != ITEE_OK)
        return e;
    if (n > GRANDPA_MAX_ANCESTRIES)
        return ITEE_ERR_SCALE_LENGTH;
    if (n > 0 && (j->ancestries = itee_alloc_array(n, sizeof(*j->ancestries))) == NULL)
        return ITEE_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        if ((e = header_read(r, &j->ancestries[i])) != ITEE_OK)
            return e;
    j->n_ancestries = n;
    return ITEE_OK;
}

enum itee_err grandpa_justification_decode(struct grandpa_justification *j, const uint8_t *p,
                                           size_t len)
{
    if (j == NULL)
        return ITEE_ERR_ARG;
    memset(j, 0, sizeof(*j));
    struct scale_reader r;
    scale_reader_init(&r, p, len);
    enum itee_err e = read_body(&r, j);
    if (e == ITEE_OK)
        e = scale_reader_finish(&r);
    if (e != ITEE_OK)
        grandpa_justification_free(j);
    return e;
}

/* Follows parents from the precommit target down to the commit target, marking used headers. */
static enum itee_err check_ancestry(const struct grandpa_justification *j,
                                    const struct grandpa_precommit *p, uint8_t (*hashes)[32],
                                    bool *used)
{
    uint8_t cur[HEADER_HASH_LEN];
    uint32_t cur_number = p->target_number;
    memcpy(cur, p->target_hash, HEADER_HASH_LEN);
    /* each step goes one block down, so at most n_ancestries steps can succeed */
    for (size_t steps = 0; steps <= j->n_ancestries; steps++) {
        if (memcmp(cur, j->target_hash, HEADER_HASH_LEN) == 0)
            return cur_number == j->target_number ? ITEE_OK : ITEE_ERR_FORMAT;
        if (cur_number <= j->target_number)
            return ITEE_ERR_FORMAT;
        size_t k = 0;
        while (k < j->n_ancestries && memcmp(hashes[k], cur, HEADER_HASH_LEN) != 0)
            k++;
        if (k == j->n_ancestries || j->ancestries[k].number != cur_number)
            return ITEE_ERR_FORMAT;
        used[k] = true;
        memcpy(cur, j->ancestries[k].parent_hash, HEADER_HASH_LEN);
        cur_number--;
    }
    return ITEE_ERR_FORMAT;
}

static enum itee_err verify_votes(const struct grandpa_justification *j, uint64_t set_id,
                                  const struct grandpa_authority *auth, size_t n_auth, bool *seen,
                                  uint64_t *weight)
{
    *weight = 0;
    for (size_t i = 0; i < j->n_precommits; i++) {
        const struct grandpa_signed_precommit *sp = &j->precommits[i];
        size_t a = 0;
        while (a < n_auth && memcmp(auth[a].id.bytes, sp->id.bytes, ED25519_PUBLIC_LEN) != 0)
            a++;
        if (a == n_auth || seen[a])
            return ITEE_ERR_BAD_SIG;
        seen[a] = true;
        if (grandpa_signed_precommit_verify(sp, j->round, set_id) != ITEE_OK)
            return ITEE_ERR_BAD_SIG;
        *weight += auth[a].weight;
    }
    return ITEE_OK;
}

enum itee_err grandpa_justification_verify(const struct grandpa_justification *j, uint64_t set_id,
                                           const struct grandpa_authority *auth, size_t n_auth)
{
    if (j == NULL || auth == NULL || n_auth == 0)
        return ITEE_ERR_ARG;
    enum itee_err e = ITEE_ERR_NOMEM;
    bool *seen = itee_zalloc(n_auth * sizeof(bool));
    bool *used = itee_zalloc((j->n_ancestries + 1) * sizeof(bool));
    uint8_t(*hashes)[32] = itee_alloc_array(j->n_ancestries + 1, 32);
    if (seen == NULL || used == NULL || hashes == NULL)
        goto out;
    uint64_t total = 0, weight = 0;
    for (size_t a = 0; a < n_auth; a++)
        total += auth[a].weight;
    for (size_t k = 0; k < j->n_ancestries; k++)
        if ((e = header_hash(&j->ancestries[k], hashes[k])) != ITEE_OK)
            goto out;
    if ((e = verify_votes(j, set_id, auth, n_auth, seen, &weight)) != ITEE_OK)
        goto out;
    for (size_t i = 0; i < j->n_precommits; i++)
        if ((e = check_ancestry(j, &j->precommits[i].precommit, hashes, used)) != ITEE_OK)
            goto out;
    for (size_t k = 0; k < j->n_ancestries; k++)
        if (!used[k]) {
            e = ITEE_ERR_FORMAT; /* Substrate refuses justifications with unused headers */
            goto out;
        }
    e = (total > 0 && weight >= total - (total - 1) / 3) ? ITEE_OK : ITEE_ERR_BAD_SIG;
out:
    itee_free(seen);
    itee_free(used);
    itee_free(hashes);
    return e;
}
