/*
 * merlin.c - STROBE-128 (only the operations Merlin needs: meta-AD, AD, PRF, KEY) and the
 * Merlin transcript and witness RNG on top of it. Follows merlin 3's strobe.rs / transcript.rs
 * byte for byte; spec §3.5.2-3.5.3.
 */
#include "crypto/merlin.h"

#include <string.h>

#include "common/mem.h"

#define STROBE_R 166 /* rate in bytes for 128-bit security: 200 - 2*128/8 - 2 */

enum strobe_flag {
    STROBE_FLAG_I = 1,
    STROBE_FLAG_A = 2,
    STROBE_FLAG_C = 4,
    STROBE_FLAG_T = 8,
    STROBE_FLAG_M = 16,
    STROBE_FLAG_K = 32,
};

static void strobe_run_f(struct merlin_strobe *s)
{
    s->st[s->pos] ^= s->pos_begin;
    s->st[s->pos + 1] ^= 0x04;
    s->st[STROBE_R + 1] ^= 0x80;
    keccak_f1600(s->st);
    s->pos = 0;
    s->pos_begin = 0;
}

static void strobe_absorb(struct merlin_strobe *s, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        s->st[s->pos] ^= data[i];
        if (++s->pos == STROBE_R)
            strobe_run_f(s);
    }
}

static void strobe_overwrite(struct merlin_strobe *s, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        s->st[s->pos] = data[i];
        if (++s->pos == STROBE_R)
            strobe_run_f(s);
    }
}

static void strobe_squeeze(struct merlin_strobe *s, uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        out[i] = s->st[s->pos];
        s->st[s->pos] = 0;
        if (++s->pos == STROBE_R)
            strobe_run_f(s);
    }
}

static void strobe_begin_op(struct merlin_strobe *s, uint8_t flags, int more)
{
    /* A continued operation ("more") must keep the flags it started with; Merlin only ever
     * continues a meta-AD with a meta-AD, so there is nothing further to check here. */
    if (more)
        return;
    uint8_t old_begin[2] = {s->pos_begin, flags};
    s->pos_begin = (uint8_t)(s->pos + 1);
    s->cur_flags = flags;
    strobe_absorb(s, old_begin, 2);
    /* C and K operations must start on a fresh block so their output depends on everything. */
    if ((flags & (STROBE_FLAG_C | STROBE_FLAG_K)) != 0 && s->pos != 0)
        strobe_run_f(s);
}

static void strobe_meta_ad(struct merlin_strobe *s, const uint8_t *d, size_t len, int more)
{
    strobe_begin_op(s, STROBE_FLAG_M | STROBE_FLAG_A, more);
    strobe_absorb(s, d, len);
}

static void strobe_ad(struct merlin_strobe *s, const uint8_t *d, size_t len)
{
    strobe_begin_op(s, STROBE_FLAG_A, 0);
    strobe_absorb(s, d, len);
}

static void strobe_prf(struct merlin_strobe *s, uint8_t *out, size_t len)
{
    strobe_begin_op(s, STROBE_FLAG_I | STROBE_FLAG_A | STROBE_FLAG_C, 0);
    strobe_squeeze(s, out, len);
}

static void strobe_key(struct merlin_strobe *s, const uint8_t *d, size_t len)
{
    strobe_begin_op(s, STROBE_FLAG_A | STROBE_FLAG_C, 0);
    strobe_overwrite(s, d, len);
}

static void strobe_init(struct merlin_strobe *s, const char *label)
{
    static const uint8_t head[18] = {1,   STROBE_R + 2, 1,   0,   1,   96,  'S', 'T', 'R',
                                     'O', 'B',          'E', 'v', '1', '.', '0', '.', '2'};
    memset(s, 0, sizeof(*s));
    memcpy(s->st, head, sizeof(head));
    keccak_f1600(s->st);
    strobe_meta_ad(s, (const uint8_t *)label, strlen(label), 0);
}

static void le32(uint8_t out[4], size_t v)
{
    /* merlin frames lengths as u32; larger messages are outside its (and our) domain */
    uint32_t x = (uint32_t)v;
    out[0] = (uint8_t)x;
    out[1] = (uint8_t)(x >> 8);
    out[2] = (uint8_t)(x >> 16);
    out[3] = (uint8_t)(x >> 24);
}

void merlin_transcript_init(struct merlin_transcript *t, const char *label)
{
    static const char proto[] = "Merlin v1.0";
    strobe_init(&t->strobe, proto);
    merlin_transcript_append_message(t, "dom-sep", (const uint8_t *)label, strlen(label));
}

void merlin_transcript_append_message(struct merlin_transcript *t, const char *label,
                                      const uint8_t *msg, size_t msg_len)
{
    uint8_t len[4];
    le32(len, msg_len);
    strobe_meta_ad(&t->strobe, (const uint8_t *)label, strlen(label), 0);
    strobe_meta_ad(&t->strobe, len, 4, 1);
    strobe_ad(&t->strobe, msg, msg_len);
}

void merlin_transcript_append_u64(struct merlin_transcript *t, const char *label, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    merlin_transcript_append_message(t, label, b, sizeof(b));
}

void merlin_transcript_challenge_bytes(struct merlin_transcript *t, const char *label, uint8_t *out,
                                       size_t out_len)
{
    uint8_t len[4];
    le32(len, out_len);
    strobe_meta_ad(&t->strobe, (const uint8_t *)label, strlen(label), 0);
    strobe_meta_ad(&t->strobe, len, 4, 1);
    strobe_prf(&t->strobe, out, out_len);
}

void merlin_transcript_clear(struct merlin_transcript *t)
{
    itee_memzero(t, sizeof(*t));
}

void merlin_rng_init(struct merlin_rng *rng, const struct merlin_transcript *t)
{
    rng->strobe = t->strobe;
}

void merlin_rng_rekey_with_witness(struct merlin_rng *rng, const char *label,
                                   const uint8_t *witness, size_t witness_len)
{
    uint8_t len[4];
    le32(len, witness_len);
    strobe_meta_ad(&rng->strobe, (const uint8_t *)label, strlen(label), 0);
    strobe_meta_ad(&rng->strobe, len, 4, 1);
    strobe_key(&rng->strobe, witness, witness_len);
}

void merlin_rng_finalize(struct merlin_rng *rng, const uint8_t rnd[32])
{
    static const uint8_t label[3] = {'r', 'n', 'g'};
    strobe_meta_ad(&rng->strobe, label, sizeof(label), 0);
    strobe_key(&rng->strobe, rnd, 32);
}

void merlin_rng_fill(struct merlin_rng *rng, uint8_t *out, size_t out_len)
{
    uint8_t len[4];
    le32(len, out_len);
    strobe_meta_ad(&rng->strobe, len, 4, 0);
    strobe_prf(&rng->strobe, out, out_len);
}

void merlin_rng_clear(struct merlin_rng *rng)
{
    itee_memzero(rng, sizeof(*rng));
}
