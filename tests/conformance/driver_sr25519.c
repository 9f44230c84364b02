/*
 * driver_sr25519.c - conformance driver commands for the sr25519 area (see driver.h).
 * Secrets travel in polkadot-js's 64-byte form, (key·8) || nonce.
 *
 *   sr_from_seed <seed32>                   -> ok <pub> <secret64>
 *   sr_public <secret64>                    -> ok <pub>
 *   sr_sign <secret64> <pub> <msg|->        -> ok <sig>     (fresh randomness)
 *   sr_sign_rng <secret64> <pub> <msg|-> <rnd32> -> ok <sig> (given witness randomness)
 *   sr_verify <pub> <msg|-> <sig>           -> ok 1 | ok 0 <itee_err number>
 *   sr_derive_hard <secret64> <pub> <cc32>  -> ok <pub> <secret64> <child mini secret>
 *   sr_derive_soft <secret64> <pub> <cc32>  -> ok <pub> <secret64>
 *   sr_derive_public <pub> <cc32>           -> ok <pub>
 * "-" stands for an empty message.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/sr25519.h"
#include "driver.h"

/* Decodes a hex argument of exactly want bytes (want 0: any length, "-" = empty). */
static uint8_t *sr_arg(const char *a, size_t want, size_t *len)
{
    size_t n = 0;
    uint8_t *p;
    p = want == 0 ? drv_bytes_arg(a, &n) : drv_hex_arg(a, &n);
    if (p != NULL && want != 0 && n != want) {
        free(p);
        return NULL;
    }
    if (len != NULL)
        *len = n;
    return p;
}

/* Prints "ok" and the hex of up to three byte strings. */
static void reply(struct drv_ctx *ctx, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
                  const uint8_t *c, size_t clen)
{
    char *ha = drv_hex_str(a, alen);
    char *hb = b != NULL ? drv_hex_str(b, blen) : NULL;
    char *hc = c != NULL ? drv_hex_str(c, clen) : NULL;
    if (ha == NULL || (b != NULL && hb == NULL) || (c != NULL && hc == NULL))
        drv_err(ctx, "out of memory");
    else if (c != NULL)
        drv_ok(ctx, "%s %s %s", ha, hb, hc);
    else if (b != NULL)
        drv_ok(ctx, "%s %s", ha, hb);
    else
        drv_ok(ctx, "%s", ha);
    free(ha);
    free(hb);
    free(hc);
}

/* Builds a keypair from the polkadot-js secret and public arguments. */
static int load_pair(struct drv_ctx *ctx, struct sr25519_keypair *kp, const char *sec,
                     const char *pub)
{
    uint8_t *s = sr_arg(sec, 64, NULL);
    uint8_t *p = sr_arg(pub, 32, NULL);
    int ok = 0;
    if (s == NULL || p == NULL)
        drv_err(ctx, "bad secret or public key");
    else if (sr25519_secret_from_ed25519_bytes(&kp->secret, s) != ITEE_OK)
        drv_err(ctx, "secret not in polkadot-js form");
    else {
        memcpy(kp->public.bytes, p, 32);
        ok = 1;
    }
    free(s);
    free(p);
    return ok;
}

static void reply_pair(struct drv_ctx *ctx, const struct sr25519_keypair *kp, const uint8_t *seed)
{
    uint8_t ed[64];
    sr25519_secret_to_ed25519_bytes(ed, &kp->secret);
    reply(ctx, kp->public.bytes, 32, ed, 64, seed, 32);
}

static void cmd_from_seed(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    struct sr25519_keypair kp;
    uint8_t *seed = sr_arg(argv[0], 32, NULL);
    if (seed == NULL)
        drv_err(ctx, "seed must be 32 bytes");
    else if (sr25519_keypair_from_seed(&kp, seed) != ITEE_OK)
        drv_err(ctx, "sr25519_keypair_from_seed failed");
    else
        reply_pair(ctx, &kp, NULL);
    free(seed);
}

static void cmd_public(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    struct sr25519_secret sk;
    struct sr25519_public pk;
    uint8_t *s = sr_arg(argv[0], 64, NULL);
    if (s == NULL)
        drv_err(ctx, "secret must be 64 bytes");
    else if (sr25519_secret_from_ed25519_bytes(&sk, s) != ITEE_OK ||
             sr25519_public_from_secret(&pk, &sk) != ITEE_OK)
        drv_err(ctx, "bad secret");
    else
        reply(ctx, pk.bytes, 32, NULL, 0, NULL, 0);
    free(s);
}

static void sign_common(struct drv_ctx *ctx, char **argv, const char *rnd_arg)
{
    struct sr25519_keypair kp;
    struct sr25519_sig sig;
    size_t len = 0;
    uint8_t *msg = NULL, *rnd = NULL;
    enum itee_err r;
    if (!load_pair(ctx, &kp, argv[0], argv[1]))
        return;
    msg = sr_arg(argv[2], 0, &len);
    if (rnd_arg != NULL)
        rnd = sr_arg(rnd_arg, 32, NULL);
    if (msg == NULL || (rnd_arg != NULL && rnd == NULL)) {
        drv_err(ctx, "bad message or randomness");
        goto out;
    }
    if (rnd != NULL)
        r = sr25519_sign_with_rng(&sig, &kp, SR25519_SUBSTRATE_CTX, SR25519_SUBSTRATE_CTX_LEN, msg,
                                  len, rnd);
    else
        r = sr25519_sign(&sig, &kp, SR25519_SUBSTRATE_CTX, SR25519_SUBSTRATE_CTX_LEN, msg, len);
    if (r != ITEE_OK)
        drv_err(ctx, "sign failed: %d", (int)r);
    else
        reply(ctx, sig.bytes, 64, NULL, 0, NULL, 0);
out:
    free(msg);
    free(rnd);
}

static void cmd_sign(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    sign_common(ctx, argv, NULL);
}

static void cmd_sign_rng(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    sign_common(ctx, argv, argv[3]);
}

static void cmd_verify(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t len = 0;
    uint8_t *pk = sr_arg(argv[0], 32, NULL);
    uint8_t *msg = sr_arg(argv[1], 0, &len);
    uint8_t *sig = sr_arg(argv[2], 64, NULL);
    if (pk == NULL || msg == NULL || sig == NULL) {
        drv_err(ctx, "bad arguments");
    } else {
        struct sr25519_public p;
        struct sr25519_sig s;
        memcpy(p.bytes, pk, 32);
        memcpy(s.bytes, sig, 64);
        enum itee_err r =
            sr25519_verify(&s, SR25519_SUBSTRATE_CTX, SR25519_SUBSTRATE_CTX_LEN, msg, len, &p);
        if (r == ITEE_OK)
            drv_ok(ctx, "1");
        else
            drv_ok(ctx, "0 %d", (int)r);
    }
    free(pk);
    free(msg);
    free(sig);
}

static void cmd_derive(struct drv_ctx *ctx, char **argv, int is_hard)
{
    struct sr25519_keypair kp, child;
    uint8_t seed[32];
    enum itee_err r;
    if (!load_pair(ctx, &kp, argv[0], argv[1]))
        return;
    uint8_t *cc = sr_arg(argv[2], 32, NULL);
    if (cc == NULL) {
        drv_err(ctx, "chain code must be 32 bytes");
        return;
    }
    if (is_hard) {
        r = sr25519_derive_hard(&child, &kp, cc);
        if (r == ITEE_OK)
            r = sr25519_derive_hard_seed(seed, &kp, cc);
    } else {
        r = sr25519_derive_soft(&child, &kp, cc);
    }
    if (r != ITEE_OK)
        drv_err(ctx, "derive failed: %d", (int)r);
    else
        reply_pair(ctx, &child, is_hard ? seed : NULL);
    free(cc);
}

static void cmd_derive_hard(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    cmd_derive(ctx, argv, 1);
}

static void cmd_derive_soft(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    cmd_derive(ctx, argv, 0);
}

static void cmd_derive_public(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    uint8_t *pk = sr_arg(argv[0], 32, NULL);
    uint8_t *cc = sr_arg(argv[1], 32, NULL);
    struct sr25519_public p, child;
    enum itee_err r;
    if (pk == NULL || cc == NULL) {
        drv_err(ctx, "bad arguments");
    } else {
        memcpy(p.bytes, pk, 32);
        r = sr25519_derive_public_soft(&child, &p, cc);
        if (r != ITEE_OK)
            drv_err(ctx, "derive failed: %d", (int)r);
        else
            reply(ctx, child.bytes, 32, NULL, 0, NULL, 0);
    }
    free(pk);
    free(cc);
}

const struct drv_cmd drv_cmds_sr25519[] = {
    {"sr_from_seed", 1, cmd_from_seed},
    {"sr_public", 1, cmd_public},
    {"sr_sign", 3, cmd_sign},
    {"sr_sign_rng", 4, cmd_sign_rng},
    {"sr_verify", 3, cmd_verify},
    {"sr_derive_hard", 3, cmd_derive_hard},
    {"sr_derive_soft", 3, cmd_derive_soft},
    {"sr_derive_public", 2, cmd_derive_public},
    {NULL, 0, NULL},
};
