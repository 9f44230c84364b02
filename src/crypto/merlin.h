/*
 * merlin.h - Merlin transcripts (merlin 3, "Merlin v1.0") over the STROBE-128 subset they use.
 *
 * A transcript is a Fiat-Shamir sponge: the prover and verifier append the same labelled
 * messages and read the same challenges. The witness RNG (merlin's TranscriptRng) forks a copy
 * of the transcript, mixes secret witnesses and fresh randomness into the copy only, and is
 * what schnorrkel uses for signing nonces. Labels are NUL-terminated ASCII protocol constants.
 * Message lengths are framed as u32, as in merlin; callers never pass 4 GiB messages.
 */
#ifndef ITEE_MERLIN_H
#define ITEE_MERLIN_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/keccak.h"

/* STROBE-128 state: the Keccak sponge plus STROBE's position bookkeeping. */
struct merlin_strobe {
    uint8_t st[KECCAK_STATE_LEN]; /* Keccak-f[1600] state */
    uint8_t pos;                  /* next byte of st within the rate (0..165) */
    uint8_t pos_begin;            /* pos + 1 at the start of the current operation */
    uint8_t cur_flags;            /* STROBE flags of the current operation */
};

/* A Merlin transcript. Plain value: copying it forks the transcript. */
struct merlin_transcript {
    struct merlin_strobe strobe; /* the sponge all messages are absorbed into */
};

/* merlin's TranscriptRng: a forked transcript keyed with witnesses and randomness. */
struct merlin_rng {
    struct merlin_strobe strobe; /* fork of the transcript, private to the RNG */
};

/* Starts a transcript: STROBE init("Merlin v1.0"), then append_message("dom-sep", label). */
void merlin_transcript_init(struct merlin_transcript *t, const char *label);

/* Appends a labelled message (meta-AD label, meta-AD LE32 length, AD message). */
void merlin_transcript_append_message(struct merlin_transcript *t, const char *label,
                                      const uint8_t *msg, size_t msg_len);

/* Appends v as an 8-byte little-endian message. */
void merlin_transcript_append_u64(struct merlin_transcript *t, const char *label, uint64_t v);

/* Out: out_len challenge bytes derived from everything appended so far. */
void merlin_transcript_challenge_bytes(struct merlin_transcript *t, const char *label, uint8_t *out,
                                       size_t out_len);

/* Wipes a transcript (it may have absorbed secrets). */
void merlin_transcript_clear(struct merlin_transcript *t);

/* Starts a witness RNG as a fork of t; t itself is not modified. */
void merlin_rng_init(struct merlin_rng *rng, const struct merlin_transcript *t);

/* Mixes a secret witness into the RNG (meta-AD label, meta-AD LE32 length, KEY witness). */
void merlin_rng_rekey_with_witness(struct merlin_rng *rng, const char *label,
                                   const uint8_t *witness, size_t witness_len);

/* Mixes in 32 external random bytes (meta-AD "rng", KEY rnd); call once, after the witnesses. */
void merlin_rng_finalize(struct merlin_rng *rng, const uint8_t rnd[32]);

/* Out: out_len bytes from the finalized RNG (meta-AD LE32 length, PRF). */
void merlin_rng_fill(struct merlin_rng *rng, uint8_t *out, size_t out_len);

/* Wipes an RNG (it holds secret-derived state). */
void merlin_rng_clear(struct merlin_rng *rng);

#endif
