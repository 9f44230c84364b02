/*
 * bench_crypto.c - the integritee-c side of `make bench` for the core crypto: sr25519, ed25519
 * and ecdsa key making, signing and verification; BLAKE2b-256 and twox hashing on storage-key
 * and bulk inputs; SCALE compact integers; mnemonic -> mini secret.
 *
 * Prints one JSON object per figure on stdout (scripts/bench.sh merges them with the figures
 * of bench/ref_crypto.mjs, which times the same operations on the same inputs in node.js).
 *
 * Method, identical on both sides: per operation, warm up while doubling a chunk of iterations
 * until it lasts ~CHUNK_MS, then make BENCH_RUNS runs; each run repeats whole chunks until it
 * has lasted at least BENCH_SECONDS. A figure is the median (and best) of the runs' ops/s.
 * scripts/bench.sh calls this once per round with BENCH_RUNS=1, alternating with the node side.
 * Environment: BENCH_QUICK=1 (0.05 s x 3 runs), BENCH_SECONDS, BENCH_RUNS, BENCH_ONLY
 * (substring of the operation ids to run).
 */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/scale.h"
#include "common/err.h"
#include "common/int128.h"
#include "common/mem.h"
#include "crypto/ecdsa.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "crypto/sr25519.h"
#include "keys/bip39.h"

#define BENCH_MSG_LEN   128   /* signed message length, both sides */
#define BENCH_MAX_INPUT 65536 /* largest hash input */
#define BENCH_MAX_RUNS  15    /* upper bound on BENCH_RUNS */
#define BENCH_COMPACTS  4     /* compact values cycled through, one per encoding mode */

/* Everything the timed loops read or write; set up once, outside the timing. */
struct bench_ctx {
    uint8_t seed[32];                  /* seed[i] = i + 1 (as ref_crypto.mjs) */
    uint8_t msg[BENCH_MSG_LEN];        /* msg[i] = 7 i + 3 */
    uint8_t *input;                    /* BENCH_MAX_INPUT bytes of the same pattern */
    size_t input_len;                  /* how much of input the hash cases hash */
    uint8_t digest[32];                /* hash output sink */
    struct sr25519_keypair sr;         /* sr25519 pair of seed */
    struct sr25519_sig sr_sig;         /* sr25519 signature of msg */
    struct ed25519_keypair ed;         /* ed25519 pair of seed */
    struct ed25519_sig ed_sig;         /* ed25519 signature of msg */
    struct ecdsa_keypair ec;           /* ecdsa pair of seed */
    struct ecdsa_sig ec_sig;           /* ecdsa signature of msg */
    itee_u128 compact[BENCH_COMPACTS]; /* 42, 4242, 42424242, 2^40 + 7 */
    uint8_t compact_enc[BENCH_COMPACTS][SCALE_COMPACT_MAX_LEN]; /* their encodings */
    size_t compact_len[BENCH_COMPACTS];                         /* encoded lengths: 1, 2, 4, 7 */
    const char *phrase;                                         /* 12-word mnemonic */
    uint64_t sink; /* folds outputs so loops have an observable effect */
};

/* A timed operation: runs the operation n times, returns the first failure or ITEE_OK. */
typedef enum itee_err (*bench_fn)(struct bench_ctx *c, size_t n);

struct bench_case {
    const char *id;   /* operation id shared with ref_crypto.mjs */
    const char *impl; /* what does the work on our side */
    size_t bytes;     /* input size for throughput figures, 0 if not a throughput figure */
    bench_fn fn;      /* the loop */
};

static enum itee_err run_sr_keypair(struct bench_ctx *c, size_t n)
{
    struct sr25519_keypair kp;
    enum itee_err r = ITEE_OK;
    for (size_t i = 0; i < n && r == ITEE_OK; i++) {
        r = sr25519_keypair_from_seed(&kp, c->seed);
        c->sink += kp.public.bytes[0];
    }
    sr25519_keypair_clear(&kp);
    return r;
}

static enum itee_err run_sr_sign(struct bench_ctx *c, size_t n)
{
    struct sr25519_sig sig;
    enum itee_err r = ITEE_OK;
    for (size_t i = 0; i < n && r == ITEE_OK; i++) {
        r = sr25519_sign(&sig, &c->sr, SR25519_SUBSTRATE_CTX, SR25519_SUBSTRATE_CTX_LEN, c->msg,
                         sizeof(c->msg));
        c->sink += sig.bytes[0];
    }
    return r;
}

static enum itee_err run_sr_verify(struct bench_ctx *c, size_t n)
{
    enum itee_err r = ITEE_OK;
    for (size_t i = 0; i < n && r == ITEE_OK; i++)
        r = sr25519_verify(&c->sr_sig, SR25519_SUBSTRATE_CTX, SR25519_SUBSTRATE_CTX_LEN, c->msg,
                           sizeof(c->msg), &c->sr.public);
    return r;
}

static enum itee_err run_ed_keypair(struct bench_ctx *c, size_t n)
{
    struct ed25519_keypair kp;
    enum itee_err r = ITEE_OK;
    for (size_t i = 0; i < n && r == ITEE_OK; i++) {
        r = ed25519_keypair_from_seed(&kp, c->seed);
        c->sink += kp.public.bytes[0];
    }
    ed25519_keypair_clear(&kp);
    return r;
}

static enum itee_err run_ed_sign(struct bench_ctx *c, size_t n)
{
    struct ed25519_sig sig;
    enum itee_err r = ITEE_OK;
    for (size_t i = 0; i < n && r == ITEE_OK; i++) {
        r = ed25519_sign(&sig, &c->ed, c->msg, sizeof(c->msg));
        c->sink += sig.bytes[0];
    }
    return r;
}

static enum itee_err run_ed_verify(struct bench_ctx *c, size_t n)
{
    enum itee_err r = ITEE_OK;
    for (size_t i = 0; i < n && r == ITEE_OK; i++)
        r = ed25519_verify(&c->ed_sig, c->msg, sizeof(c->msg), &c->ed.public);
    return r;
}

static enum itee_err run_ec_keypair(struct bench_ctx *c, size_t n)
{
    struct ecdsa_keypair kp;
    enum itee_err r = ITEE_OK;
    for (size_t i = 0; i < n && r == ITEE_OK; i++) {
        r = ecdsa_keypair_from_seed(&kp, c->seed);
        c->sink += kp.public.bytes[1];
    }
    ecdsa_keypair_clear(&kp);
    return r;
}

static enum itee_err run_ec_sign(struct bench_ctx *c, size_t n)
{
    struct ecdsa_sig sig;
    enum itee_err r = ITEE_OK;
    for (size_t i = 0; i < n && r == ITEE_OK; i++) {
        r = ecdsa_sign(&sig, &c->ec, c->msg, sizeof(c->msg));
        c->sink += sig.bytes[0];
    }
    return r;
}

static enum itee_err run_ec_verify(struct bench_ctx *c, size_t n)
{
    enum itee_err r = ITEE_OK;
    for (size_t i = 0; i < n && r == ITEE_OK; i++)
        r = ecdsa_verify(&c->ec_sig, c->msg, sizeof(c->msg), &c->ec.public);
    return r;
}

static enum itee_err run_blake2_256(struct bench_ctx *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        hash_blake2_256(c->digest, c->input, c->input_len);
        c->sink += c->digest[0];
    }
    return ITEE_OK;
}

static enum itee_err run_twox128(struct bench_ctx *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        hash_twox128(c->digest, c->input, c->input_len);
        c->sink += c->digest[0];
    }
    return ITEE_OK;
}

static enum itee_err run_twox64(struct bench_ctx *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        hash_twox64(c->digest, c->input, c->input_len);
        c->sink += c->digest[0];
    }
    return ITEE_OK;
}

static enum itee_err run_compact_encode(struct bench_ctx *c, size_t n)
{
    uint8_t out[SCALE_COMPACT_MAX_LEN];
    for (size_t i = 0; i < n; i++)
        c->sink += scale_encode_compact(out, c->compact[i % BENCH_COMPACTS]) + out[0];
    return ITEE_OK;
}

static enum itee_err run_compact_decode(struct bench_ctx *c, size_t n)
{
    struct scale_reader rd;
    itee_u128 v;
    enum itee_err r = ITEE_OK;
    for (size_t i = 0; i < n && r == ITEE_OK; i++) {
        size_t k = i % BENCH_COMPACTS;
        scale_reader_init(&rd, c->compact_enc[k], c->compact_len[k]);
        r = scale_read_compact_u128(&rd, &v);
        c->sink += (uint64_t)v;
    }
    return r;
}

/* As mnemonicToMiniSecret: parse and check the phrase, then PBKDF2 over its entropy. */
static enum itee_err run_mini_secret(struct bench_ctx *c, size_t n)
{
    uint8_t entropy[BIP39_MAX_ENTROPY_LEN], mini[BIP39_MINI_SECRET_LEN];
    size_t elen = 0;
    enum itee_err r = ITEE_OK;
    for (size_t i = 0; i < n && r == ITEE_OK; i++) {
        r = bip39_entropy_from_mnemonic(entropy, sizeof(entropy), &elen, c->phrase,
                                        strlen(c->phrase));
        if (r == ITEE_OK)
            r = bip39_mini_secret(mini, entropy, elen, NULL, 0);
        c->sink += mini[0];
    }
    itee_memzero(entropy, sizeof(entropy));
    itee_memzero(mini, sizeof(mini));
    return r;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Times one chunk of n iterations. Out: *secs. */
static enum itee_err time_chunk(const struct bench_case *bc, struct bench_ctx *c, size_t n,
                                double *secs)
{
    double t0 = now_seconds();
    enum itee_err r = bc->fn(c, n);
    *secs = now_seconds() - t0;
    return r;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Measures one case and prints its JSON line. Returns: ITEE_OK or the operation's failure. */
static enum itee_err measure(const struct bench_case *bc, struct bench_ctx *c, double seconds,
                             int runs)
{
    double rates[BENCH_MAX_RUNS], t = 0, chunk = seconds / 10 < 0.005 ? seconds / 10 : 0.005;
    size_t n = 1;
    enum itee_err r = time_chunk(bc, c, n, &t);
    /* Grow the chunk until it lasts ~CHUNK_MS (5 ms); this is also the warm-up. */
    while (r == ITEE_OK && t < chunk) {
        n *= 2;
        r = time_chunk(bc, c, n, &t);
    }
    for (int k = 0; k < runs && r == ITEE_OK; k++) {
        double el = 0;
        size_t ops = 0;
        while (r == ITEE_OK && el < seconds) {
            r = time_chunk(bc, c, n, &t);
            el += t;
            ops += n;
        }
        rates[k] = (double)ops / el;
    }
    if (r != ITEE_OK) {
        fprintf(stderr, "bench_crypto: %s failed: %s\n", bc->id, itee_strerror(r));
        return r;
    }
    qsort(rates, (size_t)runs, sizeof(rates[0]), cmp_double);
    printf("{\"side\":\"c\",\"area\":\"crypto\",\"id\":\"%s\",\"impl\":\"%s\","
           "\"ops_median\":%.3f,\"ops_best\":%.3f",
           bc->id, bc->impl, rates[runs / 2], rates[runs - 1]);
    if (bc->bytes != 0)
        printf(",\"bytes\":%zu", bc->bytes);
    printf("}\n");
    fflush(stdout);
    return ITEE_OK;
}

/* Makes the keys, signatures and encodings the timed loops use, and checks them once. */
static enum itee_err setup(struct bench_ctx *c)
{
    enum itee_err r;
    const itee_u128 values[BENCH_COMPACTS] = {42, 4242, 42424242, ((itee_u128)1 << 40) + 7};

    for (size_t i = 0; i < sizeof(c->seed); i++)
        c->seed[i] = (uint8_t)(i + 1);
    for (size_t i = 0; i < sizeof(c->msg); i++)
        c->msg[i] = (uint8_t)(7 * i + 3);
    for (size_t i = 0; i < BENCH_MAX_INPUT; i++)
        c->input[i] = (uint8_t)(7 * i + 3);
    c->phrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";
    for (size_t k = 0; k < BENCH_COMPACTS; k++) {
        c->compact[k] = values[k];
        c->compact_len[k] = scale_encode_compact(c->compact_enc[k], values[k]);
    }
    if ((r = sr25519_keypair_from_seed(&c->sr, c->seed)) != ITEE_OK ||
        (r = sr25519_sign(&c->sr_sig, &c->sr, SR25519_SUBSTRATE_CTX, SR25519_SUBSTRATE_CTX_LEN,
                          c->msg, sizeof(c->msg))) != ITEE_OK ||
        (r = sr25519_verify(&c->sr_sig, SR25519_SUBSTRATE_CTX, SR25519_SUBSTRATE_CTX_LEN, c->msg,
                            sizeof(c->msg), &c->sr.public)) != ITEE_OK)
        return r;
    if ((r = ed25519_keypair_from_seed(&c->ed, c->seed)) != ITEE_OK ||
        (r = ed25519_sign(&c->ed_sig, &c->ed, c->msg, sizeof(c->msg))) != ITEE_OK ||
        (r = ed25519_verify(&c->ed_sig, c->msg, sizeof(c->msg), &c->ed.public)) != ITEE_OK)
        return r;
    if ((r = ecdsa_keypair_from_seed(&c->ec, c->seed)) != ITEE_OK ||
        (r = ecdsa_sign(&c->ec_sig, &c->ec, c->msg, sizeof(c->msg))) != ITEE_OK ||
        (r = ecdsa_verify(&c->ec_sig, c->msg, sizeof(c->msg), &c->ec.public)) != ITEE_OK)
        return r;
    if (c->compact_len[0] != 1 || c->compact_len[1] != 2 || c->compact_len[2] != 4 ||
        c->compact_len[3] != 7)
        return ITEE_ERR_INTERNAL;
    return ITEE_OK;
}

static double env_double(const char *name, double dflt)
{
    const char *s = getenv(name);
    char *end = NULL;
    double v = s != NULL ? strtod(s, &end) : 0;
    return (s != NULL && end != s && v > 0) ? v : dflt;
}

static const struct bench_case bench_cases[] = {
    {"sr25519.keypair_from_seed", "sr25519 (libsodium ristretto255 + own merlin)", 0,
     run_sr_keypair},
    {"sr25519.sign", "sr25519 (libsodium ristretto255 + own merlin)", 0, run_sr_sign},
    {"sr25519.verify", "sr25519 (libsodium ristretto255 + own merlin)", 0, run_sr_verify},
    {"ed25519.keypair_from_seed", "libsodium", 0, run_ed_keypair},
    {"ed25519.sign", "libsodium", 0, run_ed_sign},
    {"ed25519.verify", "libsodium", 0, run_ed_verify},
    {"ecdsa.keypair_from_seed", "libsecp256k1", 0, run_ec_keypair},
    {"ecdsa.sign", "libsecp256k1 + own blake2b", 0, run_ec_sign},
    {"ecdsa.verify", "libsecp256k1 recover + own blake2b", 0, run_ec_verify},
    {"hash.blake2_256.32", "own blake2b (RFC 7693)", 32, run_blake2_256},
    {"hash.twox128.32", "libxxhash", 32, run_twox128},
    {"hash.twox64.32", "libxxhash", 32, run_twox64},
    {"hash.blake2_256.1024", "own blake2b (RFC 7693)", 1024, run_blake2_256},
    {"hash.twox128.1024", "libxxhash", 1024, run_twox128},
    {"hash.twox64.1024", "libxxhash", 1024, run_twox64},
    {"hash.blake2_256.65536", "own blake2b (RFC 7693)", 65536, run_blake2_256},
    {"hash.twox128.65536", "libxxhash", 65536, run_twox128},
    {"hash.twox64.65536", "libxxhash", 65536, run_twox64},
    {"scale.compact_encode", "scale_encode_compact", 0, run_compact_encode},
    {"scale.compact_decode", "scale_read_compact_u128", 0, run_compact_decode},
    {"bip39.mini_secret", "bip39 + OpenSSL PBKDF2-HMAC-SHA512", 0, run_mini_secret},
};

int main(void)
{
    static struct bench_ctx ctx; /* static: too big for a comfortable stack frame */
    int quick = getenv("BENCH_QUICK") != NULL && strcmp(getenv("BENCH_QUICK"), "1") == 0;
    double seconds = env_double("BENCH_SECONDS", quick ? 0.05 : 0.5);
    int runs = (int)env_double("BENCH_RUNS", quick ? 3 : 5);
    const char *only = getenv("BENCH_ONLY");
    int status = 1;

    if (runs > BENCH_MAX_RUNS)
        runs = BENCH_MAX_RUNS;
    /* Like any program using the library: lets libsodium pick its CPU-specific code paths. */
    if (sodium_init() < 0) {
        fprintf(stderr, "bench_crypto: sodium_init failed\n");
        return 1;
    }
    ctx.input = itee_alloc(BENCH_MAX_INPUT);
    if (ctx.input == NULL) {
        fprintf(stderr, "bench_crypto: out of memory\n");
        return 1;
    }
    enum itee_err r = setup(&ctx);
    if (r != ITEE_OK) {
        fprintf(stderr, "bench_crypto: setup failed: %s\n", itee_strerror(r));
        goto out;
    }
    printf("{\"side\":\"c\",\"info\":true,\"seconds\":%.3f,\"runs\":%d,\"sodium\":\"%s\"}\n",
           seconds, runs, sodium_version_string());
    for (size_t i = 0; i < sizeof(bench_cases) / sizeof(bench_cases[0]); i++) {
        const struct bench_case *bc = &bench_cases[i];
        if (only != NULL && strstr(bc->id, only) == NULL)
            continue;
        ctx.input_len = bc->bytes;
        if (measure(bc, &ctx, seconds, runs) != ITEE_OK)
            goto out;
    }
    /* Keeps the folded outputs alive; nobody reads this line. */
    fprintf(stderr, "bench_crypto: done (sink %llu)\n", (unsigned long long)(ctx.sink & 0xff));
    status = 0;
out:
    sr25519_keypair_clear(&ctx.sr);
    ed25519_keypair_clear(&ctx.ed);
    ecdsa_keypair_clear(&ctx.ec);
    itee_free(ctx.input);
    return status;
}
