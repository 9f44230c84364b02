/*
 * driver_keys.c - conformance driver commands for the keys area (see driver.h): BIP39,
 * secret URIs, scheme-generic pairs, signatures and SS58. Text travels hex-encoded; "-"
 * stands for empty bytes or text.
 *
 *   bip39_from_entropy <entropy>              -> ok <hex(mnemonic)>
 *   bip39_to_entropy <hex(mnemonic)>          -> ok <entropy>
 *   bip39_mini <hex(mnemonic)> <hex(pass)|->  -> ok <mini secret>
 *   bip39_generate <words>                    -> ok <hex(mnemonic)>
 *   pair_suri <scheme> <hex(suri)>            -> ok <public> <account> <seed|->
 *   pair_sign <scheme> <seed> <msg|->         -> ok <public> <sig>
 *   keys_verify <scheme> <sig> <msg|-> <pub>  -> ok 1 | ok 0
 *   keys_verify_account <scheme> <sig> <msg|-> <account32> -> ok 1 | ok 0
 *   ss58_encode <prefix> <account>            -> ok <address>
 *   ss58_decode <address>                     -> ok <prefix> <account>
 * Failures answer "err <itee_strerror text>".
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "keys/bip39.h"
#include "keys/pair.h"
#include "keys/ss58.h"

static void cmd_bip39_from_entropy(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t n = 0;
    uint8_t *e = drv_bytes_arg(argv[0], &n);
    char text[BIP39_MNEMONIC_MAX];
    enum itee_err r =
        e == NULL ? ITEE_ERR_HEX : bip39_mnemonic_from_entropy(text, sizeof(text), e, n);
    if (r == ITEE_OK)
        drv_ok_hex(ctx, (const uint8_t *)text, strlen(text));
    else
        drv_err(ctx, "%s", itee_strerror(r));
    free(e);
}

static void cmd_bip39_to_entropy(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t n = 0, elen = 0;
    uint8_t *m = drv_bytes_arg(argv[0], &n);
    uint8_t ent[BIP39_MAX_ENTROPY_LEN];
    enum itee_err r =
        m == NULL ? ITEE_ERR_HEX
                  : bip39_entropy_from_mnemonic(ent, sizeof(ent), &elen, (const char *)m, n);
    if (r == ITEE_OK)
        drv_ok_hex(ctx, ent, elen);
    else
        drv_err(ctx, "%s", itee_strerror(r));
    free(m);
}

static void cmd_bip39_mini(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t n = 0, plen = 0, elen = 0;
    uint8_t *m = drv_bytes_arg(argv[0], &n), *pw = drv_bytes_arg(argv[1], &plen);
    uint8_t ent[BIP39_MAX_ENTROPY_LEN], mini[BIP39_MINI_SECRET_LEN];
    enum itee_err r = ITEE_ERR_HEX;
    if (m != NULL && pw != NULL)
        r = bip39_entropy_from_mnemonic(ent, sizeof(ent), &elen, (const char *)m, n);
    if (r == ITEE_OK)
        r = bip39_mini_secret(mini, ent, elen, (const char *)pw, plen);
    if (r == ITEE_OK)
        drv_ok_hex(ctx, mini, sizeof(mini));
    else
        drv_err(ctx, "%s", itee_strerror(r));
    free(m);
    free(pw);
}

static void cmd_bip39_generate(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    char text[BIP39_MNEMONIC_MAX];
    enum itee_err r = bip39_generate(text, sizeof(text), strtoul(argv[0], NULL, 10));
    if (r == ITEE_OK)
        drv_ok_hex(ctx, (const uint8_t *)text, strlen(text));
    else
        drv_err(ctx, "%s", itee_strerror(r));
}

static void cmd_pair_suri(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    enum keys_scheme s;
    size_t n = 0;
    uint8_t *suri = NULL;
    struct keys_pair p;
    enum itee_err r = keys_scheme_parse(&s, argv[0]);
    if (r == ITEE_OK) {
        suri = drv_bytes_arg(argv[1], &n);
        r = suri == NULL ? ITEE_ERR_HEX : keys_pair_from_suri(&p, s, (const char *)suri, n);
    }
    if (r != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(r));
        free(suri);
        return;
    }
    uint8_t pub[KEYS_PUBLIC_MAX], acc[KEYS_ACCOUNT_LEN];
    size_t plen = keys_pair_public(&p, pub);
    keys_pair_account_id(&p, acc);
    char *hp = drv_hex_str(pub, plen), *ha = drv_hex_str(acc, sizeof(acc)),
         *hs = drv_hex_str(p.seed, sizeof(p.seed));
    if (hp == NULL || ha == NULL || hs == NULL)
        drv_err(ctx, "out of memory");
    else
        drv_ok(ctx, "%s %s %s", hp, ha, p.has_seed ? hs : "-");
    free(hp);
    free(ha);
    free(hs);
    free(suri);
    keys_pair_clear(&p);
}

static void cmd_pair_sign(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    enum keys_scheme s;
    size_t slen = 0, mlen = 0, siglen = 0;
    uint8_t *seed = NULL, *msg = NULL, sig[KEYS_SIG_MAX], pub[KEYS_PUBLIC_MAX];
    struct keys_pair p;
    enum itee_err r = keys_scheme_parse(&s, argv[0]);
    if (r == ITEE_OK) {
        seed = drv_bytes_arg(argv[1], &slen);
        msg = drv_bytes_arg(argv[2], &mlen);
        r = (seed == NULL || msg == NULL || slen != KEYS_SEED_LEN)
                ? ITEE_ERR_HEX
                : keys_pair_from_seed(&p, s, seed);
    }
    if (r == ITEE_OK) {
        r = keys_pair_sign(&p, msg, mlen, sig, &siglen);
        size_t plen = keys_pair_public(&p, pub);
        keys_pair_clear(&p);
        if (r == ITEE_OK) {
            char *hp = drv_hex_str(pub, plen), *hs = drv_hex_str(sig, siglen);
            if (hp == NULL || hs == NULL)
                drv_err(ctx, "out of memory");
            else
                drv_ok(ctx, "%s %s", hp, hs);
            free(hp);
            free(hs);
        }
    }
    if (r != ITEE_OK)
        drv_err(ctx, "%s", itee_strerror(r));
    free(seed);
    free(msg);
}

static void cmd_keys_verify(struct drv_ctx *ctx, int argc, char **argv, bool account)
{
    (void)argc;
    enum keys_scheme s;
    size_t siglen = 0, mlen = 0, plen = 0;
    uint8_t *sig = NULL, *msg = NULL, *pub = NULL;
    enum itee_err r = keys_scheme_parse(&s, argv[0]);
    if (r == ITEE_OK) {
        sig = drv_bytes_arg(argv[1], &siglen);
        msg = drv_bytes_arg(argv[2], &mlen);
        pub = drv_bytes_arg(argv[3], &plen);
        if (sig == NULL || msg == NULL || pub == NULL || (account && plen != KEYS_ACCOUNT_LEN))
            r = ITEE_ERR_HEX;
    }
    if (r == ITEE_OK) {
        r = account ? keys_verify_account(s, sig, siglen, msg, mlen, pub)
                    : keys_verify(s, sig, siglen, msg, mlen, pub, plen);
        if (r == ITEE_OK || r == ITEE_ERR_BAD_SIG)
            drv_ok(ctx, "%d", r == ITEE_OK);
        else
            drv_err(ctx, "%s", itee_strerror(r));
    } else {
        drv_err(ctx, "%s", itee_strerror(r));
    }
    free(sig);
    free(msg);
    free(pub);
}

static void cmd_keys_verify_pub(struct drv_ctx *ctx, int argc, char **argv)
{
    cmd_keys_verify(ctx, argc, argv, false);
}

static void cmd_keys_verify_account(struct drv_ctx *ctx, int argc, char **argv)
{
    cmd_keys_verify(ctx, argc, argv, true);
}

static void cmd_ss58_encode(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t n = 0;
    unsigned long prefix = strtoul(argv[0], NULL, 10);
    uint8_t *acc = drv_bytes_arg(argv[1], &n);
    char text[SS58_ADDRESS_MAX];
    enum itee_err r = acc == NULL      ? ITEE_ERR_HEX
                      : prefix > 65535 ? ITEE_ERR_SS58_PREFIX
                                       : ss58_encode(text, sizeof(text), (uint16_t)prefix, acc, n);
    if (r == ITEE_OK)
        drv_ok(ctx, "%s", text);
    else
        drv_err(ctx, "%s", itee_strerror(r));
    free(acc);
}

static void cmd_ss58_decode(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    uint8_t acc[SS58_ACCOUNT_MAX];
    size_t n = 0;
    uint16_t prefix = 0;
    enum itee_err r = ss58_decode(acc, sizeof(acc), &n, &prefix, argv[0], strlen(argv[0]));
    char *h = r == ITEE_OK ? drv_hex_str(acc, n) : NULL;
    if (r != ITEE_OK)
        drv_err(ctx, "%s", itee_strerror(r));
    else if (h == NULL)
        drv_err(ctx, "out of memory");
    else
        drv_ok(ctx, "%u %s", prefix, h);
    free(h);
}

const struct drv_cmd drv_cmds_keys[] = {
    {"bip39_from_entropy", 1, cmd_bip39_from_entropy},
    {"bip39_to_entropy", 1, cmd_bip39_to_entropy},
    {"bip39_mini", 2, cmd_bip39_mini},
    {"bip39_generate", 1, cmd_bip39_generate},
    {"pair_suri", 2, cmd_pair_suri},
    {"pair_sign", 3, cmd_pair_sign},
    {"keys_verify", 4, cmd_keys_verify_pub},
    {"keys_verify_account", 4, cmd_keys_verify_account},
    {"ss58_encode", 2, cmd_ss58_encode},
    {"ss58_decode", 1, cmd_ss58_decode},
    {NULL, 0, NULL},
};
