/*
 * cli_key.c - key management commands of integritee-cli.
 *
 * Output follows Substrate's `subkey` field by field (Secret phrase / Secret Key URI, Network
 * ID, Secret seed, Public key (hex), Account ID, Public key (SS58), SS58 Address) so that
 * operators can use the tools side by side. The default network is Integritee (SS58 prefix 13,
 * addresses start with '2'); the default scheme is sr25519.
 *
 * Every failure prints one line "integritee-cli: <reason>" and returns non-zero.
 */
#include "cli_key.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "common/mem.h"
#include "keys/bip39.h"
#include "keys/pair.h"
#include "keys/ss58.h"
#include "keys/suri.h"

#define CLI_EXIT_OK    0
#define CLI_EXIT_FAIL  1
#define CLI_EXIT_USAGE 2

/* Longest mnemonic: 24 words of at most 8 letters plus separators. */
#define CLI_MNEMONIC_MAX 256

/* Options shared by the key subcommands. */
struct key_opts {
    enum keys_scheme scheme; /* --scheme */
    uint16_t network;        /* --network, SS58 prefix */
    size_t words;            /* --words for generate */
    bool public_only;        /* --public: the argument is a hex public key */
    bool hex_message;        /* --hex: messages are 0x-hex, not text */
    bool json;               /* --output-type json */
    const char *password;    /* --password, appended as ///password */
    const char *pos[4];      /* positional arguments */
    int npos;                /* how many positional arguments */
};

/* Well-known SS58 network names (ss58-registry) that people type instead of numbers. */
static const struct {
    const char *name;
    uint16_t prefix;
} networks[] = {
    {"polkadot", 0},
    {"kusama", 2},
    {"integritee", 13},
    {"substrate", 42},
};

static const char *network_name(uint16_t prefix, char *tmp, size_t tmp_len)
{
    for (size_t i = 0; i < sizeof(networks) / sizeof(networks[0]); i++)
        if (networks[i].prefix == prefix)
            return networks[i].name;
    snprintf(tmp, tmp_len, "%u", (unsigned)prefix);
    return tmp;
}

static int parse_network(const char *text, uint16_t *out)
{
    for (size_t i = 0; i < sizeof(networks) / sizeof(networks[0]); i++) {
        if (strcmp(text, networks[i].name) == 0) {
            *out = networks[i].prefix;
            return 0;
        }
    }
    char *end = NULL;
    unsigned long v = strtoul(text, &end, 10);
    if (text[0] == '\0' || *end != '\0' || v > 16383 || v == 46 || v == 47)
        return -1;
    *out = (uint16_t)v;
    return 0;
}

static void fail(FILE *err, const char *what, const char *detail)
{
    if (detail)
        fprintf(err, "integritee-cli: %s: %s\n", what, detail);
    else
        fprintf(err, "integritee-cli: %s\n", what);
}

/* Returns the value of an option given as "--name value" or "--name=value", advancing *i. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] == '\0' && *i + 1 < argc) {
        (*i)++;
        return argv[*i];
    }
    return NULL;
}

static int parse_opts(int argc, char **argv, struct key_opts *o, FILE *err)
{
    const char *v;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if ((v = opt_value(argc, argv, &i, "--scheme")) != NULL) {
            if (keys_scheme_parse(&o->scheme, v) != ITEE_OK) {
                fail(err, "unknown scheme (use sr25519, ed25519 or ecdsa)", v);
                return -1;
            }
        } else if ((v = opt_value(argc, argv, &i, "--network")) != NULL) {
            if (parse_network(v, &o->network) != 0) {
                fail(err, "bad network (an SS58 prefix 0..16383 except 46/47, or a name)", v);
                return -1;
            }
        } else if ((v = opt_value(argc, argv, &i, "--words")) != NULL) {
            char *end = NULL;
            unsigned long w = strtoul(v, &end, 10);
            if (*end != '\0' || (w != 12 && w != 15 && w != 18 && w != 21 && w != 24)) {
                fail(err, "bad --words (use 12, 15, 18, 21 or 24)", v);
                return -1;
            }
            o->words = w;
        } else if ((v = opt_value(argc, argv, &i, "--password")) != NULL) {
            o->password = v;
        } else if ((v = opt_value(argc, argv, &i, "--output-type")) != NULL) {
            if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0) {
                fail(err, "bad --output-type (use text or json)", v);
                return -1;
            }
            o->json = strcmp(v, "json") == 0;
        } else if (strcmp(a, "--public") == 0) {
            o->public_only = true;
        } else if (strcmp(a, "--hex") == 0) {
            o->hex_message = true;
        } else if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++) {
                if (o->npos == 4)
                    goto too_many;
                o->pos[o->npos++] = argv[i];
            }
        } else if (a[0] == '-' && a[1] == '-') {
            fail(err, "unknown or incomplete option", a);
            return -1;
        } else {
            if (o->npos == 4)
                goto too_many;
            o->pos[o->npos++] = a;
        }
    }
    return 0;
too_many:
    fail(err, "too many arguments", NULL);
    return -1;
}

/* The fields of one account as subkey prints them. */
struct key_view {
    const char *title_kind;       /* "Secret phrase", "Secret Key URI" or "Public Key URI" */
    const char *uri;              /* what the user gave */
    bool has_seed;                /* whether a secret seed line is printed with a value */
    bool is_secret;               /* false for public-only inspection */
    uint8_t seed[32];             /* the secret seed */
    uint8_t pub[KEYS_PUBLIC_MAX]; /* public key */
    size_t pub_len;               /* 32, or 33 for ecdsa */
    uint8_t account[32];          /* AccountId32 */
    enum keys_scheme scheme;      /* scheme of the key */
    uint16_t network;             /* SS58 prefix used for the addresses */
};

static int print_view(const struct key_view *kv, bool json, FILE *out, FILE *err)
{
    char seed_hex[2 + 64 + 1] = "n/a";
    char pub_hex[2 + 2 * KEYS_PUBLIC_MAX + 1];
    char acc_hex[2 + 64 + 1];
    char pub_ss58[SS58_ADDRESS_MAX];
    char addr[SS58_ADDRESS_MAX];
    char tmp[8];
    int rc = CLI_EXIT_FAIL;

    if (kv->has_seed) {
        seed_hex[0] = '0';
        seed_hex[1] = 'x';
        if (itee_hex_encode(seed_hex + 2, sizeof(seed_hex) - 2, kv->seed, 32) != ITEE_OK)
            goto out;
    }
    pub_hex[0] = acc_hex[0] = '0';
    pub_hex[1] = acc_hex[1] = 'x';
    if (itee_hex_encode(pub_hex + 2, sizeof(pub_hex) - 2, kv->pub, kv->pub_len) != ITEE_OK ||
        itee_hex_encode(acc_hex + 2, sizeof(acc_hex) - 2, kv->account, 32) != ITEE_OK ||
        ss58_encode(pub_ss58, sizeof(pub_ss58), kv->network, kv->pub, kv->pub_len) != ITEE_OK ||
        ss58_encode(addr, sizeof(addr), kv->network, kv->account, 32) != ITEE_OK) {
        fail(err, "cannot encode the key", NULL);
        goto out;
    }
    const char *net = network_name(kv->network, tmp, sizeof(tmp));
    if (json) {
        json_t *o = json_object();
        if (o == NULL)
            goto out;
        if (strcmp(kv->title_kind, "Secret phrase") == 0)
            json_object_set_new(o, "secretPhrase", json_string(kv->uri));
        if (kv->is_secret)
            json_object_set_new(o, "secretSeed", json_string(seed_hex));
        json_object_set_new(o, "networkId", json_string(net));
        json_object_set_new(o, "scheme", json_string(keys_scheme_name(kv->scheme)));
        json_object_set_new(o, "publicKey", json_string(pub_hex));
        json_object_set_new(o, "accountId", json_string(acc_hex));
        json_object_set_new(o, "publicKeySS58", json_string(pub_ss58));
        json_object_set_new(o, "ss58Address", json_string(addr));
        char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (s == NULL)
            goto out;
        fprintf(out, "%s\n", s);
        free(s);
        rc = CLI_EXIT_OK;
        goto out;
    }
    if (!kv->is_secret) {
        fprintf(out,
                "Public Key URI `%s` is account:\n"
                "  Network ID/Version: %s\n"
                "  Public key (hex):   %s\n"
                "  Account ID:         %s\n"
                "  Public key (SS58):  %s\n"
                "  SS58 Address:       %s\n",
                kv->uri, net, pub_hex, acc_hex, pub_ss58, addr);
    } else {
        if (strcmp(kv->title_kind, "Secret phrase") == 0)
            fprintf(out, "Secret phrase:       %s\n", kv->uri);
        else
            fprintf(out, "Secret Key URI `%s` is account:\n", kv->uri);
        fprintf(out,
                "  Network ID:        %s\n"
                "  Secret seed:       %s\n"
                "  Public key (hex):  %s\n"
                "  Account ID:        %s\n"
                "  Public key (SS58): %s\n"
                "  SS58 Address:      %s\n",
                net, seed_hex, pub_hex, acc_hex, pub_ss58, addr);
    }
    rc = CLI_EXIT_OK;
out:
    itee_memzero(seed_hex, sizeof(seed_hex));
    return rc;
}

/* Builds "<uri>///<password>" when --password was given. Caller frees with itee_free_secret. */
static char *uri_with_password(const char *uri, const char *password, size_t *len)
{
    size_t ul = strlen(uri);
    size_t pl = password ? strlen(password) : 0;
    size_t n = ul + (password ? 3 + pl : 0);
    char *s = itee_alloc(n + 1);
    if (s == NULL)
        return NULL;
    memcpy(s, uri, ul);
    if (password) {
        memcpy(s + ul, "///", 3);
        memcpy(s + ul + 3, password, pl);
    }
    s[n] = '\0';
    *len = n;
    return s;
}

/* Fills kv from a secret URI; prints the error and returns non-zero on failure. */
static int view_from_secret(struct key_view *kv, const struct key_opts *o, const char *uri,
                            FILE *err)
{
    struct keys_pair pair;
    size_t len = 0;
    char *full = uri_with_password(uri, o->password, &len);
    if (full == NULL) {
        fail(err, "out of memory", NULL);
        return CLI_EXIT_FAIL;
    }
    enum itee_err r = keys_pair_from_suri(&pair, o->scheme, full, len);
    itee_free_secret(full, len + 1);
    if (r != ITEE_OK) {
        fail(err, "invalid secret URI", itee_strerror(r));
        return CLI_EXIT_FAIL;
    }
    struct suri parsed;
    bool is_phrase = suri_parse(&parsed, uri, strlen(uri)) == ITEE_OK && parsed.njunctions == 0 &&
                     !parsed.has_password && parsed.phrase_len > 0 &&
                     !(parsed.phrase_len > 2 && uri[0] == '0' && uri[1] == 'x');
    kv->title_kind = is_phrase ? "Secret phrase" : "Secret Key URI";
    kv->uri = uri;
    kv->is_secret = true;
    kv->has_seed = pair.has_seed;
    memcpy(kv->seed, pair.seed, 32);
    kv->pub_len = keys_pair_public(&pair, kv->pub);
    keys_pair_account_id(&pair, kv->account);
    kv->scheme = o->scheme;
    kv->network = o->network;
    keys_pair_clear(&pair);
    return CLI_EXIT_OK;
}

/* Fills kv from an SS58 address or a 0x public key. */
static int view_from_public(struct key_view *kv, const struct key_opts *o, const char *text,
                            FILE *err)
{
    size_t tl = strlen(text);
    kv->title_kind = "Public Key URI";
    kv->uri = text;
    kv->is_secret = false;
    kv->scheme = o->scheme;
    kv->network = o->network;
    if (tl >= 2 && text[0] == '0' && text[1] == 'x') {
        if (itee_hex_decode(kv->pub, sizeof(kv->pub), &kv->pub_len, text, tl) != ITEE_OK ||
            (kv->pub_len != 32 && kv->pub_len != 33)) {
            fail(err, "invalid public key (expected 0x and 32 or 33 bytes of hex)", text);
            return CLI_EXIT_FAIL;
        }
    } else {
        uint16_t prefix = 0;
        enum itee_err r = ss58_decode(kv->pub, sizeof(kv->pub), &kv->pub_len, &prefix, text, tl);
        if (r != ITEE_OK || (kv->pub_len != 32 && kv->pub_len != 33)) {
            fail(err, "invalid SS58 address",
                 r != ITEE_OK ? itee_strerror(r) : "not a 32/33-byte account");
            return CLI_EXIT_FAIL;
        }
    }
    if (kv->pub_len == 32) {
        /* 32 bytes are the AccountId32 itself (for ecdsa: the hash of the key) */
        memcpy(kv->account, kv->pub, 32);
        return CLI_EXIT_OK;
    }
    kv->scheme = KEYS_SCHEME_ECDSA;
    enum itee_err r = keys_account_id_from_public(kv->account, kv->scheme, kv->pub, kv->pub_len);
    if (r != ITEE_OK) {
        fail(err, "invalid public key", itee_strerror(r));
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

static int cmd_generate(const struct key_opts *o, FILE *out, FILE *err)
{
    char phrase[CLI_MNEMONIC_MAX];
    struct key_view kv;
    memset(&kv, 0, sizeof(kv));
    if (o->npos != 0) {
        fail(err, "usage: key generate [--scheme S] [--words N] [--network N]", NULL);
        return CLI_EXIT_USAGE;
    }
    if (bip39_generate(phrase, sizeof(phrase), o->words) != ITEE_OK) {
        fail(err, "cannot generate a mnemonic", NULL);
        return CLI_EXIT_FAIL;
    }
    int rc = view_from_secret(&kv, o, phrase, err);
    if (rc == CLI_EXIT_OK) {
        kv.title_kind = "Secret phrase";
        rc = print_view(&kv, o->json, out, err);
    }
    itee_memzero(&kv, sizeof(kv));
    itee_memzero(phrase, sizeof(phrase));
    return rc;
}

static bool looks_public(const char *text)
{
    size_t n = strlen(text);
    /* 0x + 32 bytes is a secret seed, as in subkey (--public says otherwise); 0x + 33 bytes
     * can only be an ecdsa public key. */
    if (n == 68 && text[0] == '0' && text[1] == 'x')
        return true;
    /* An SS58 address is one base58 word without spaces or '/'. */
    return n >= 3 && strpbrk(text, " /") == NULL && !(text[0] == '0' && text[1] == 'x') &&
           strspn(text, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz") == n &&
           n > 20;
}

static int cmd_inspect(const struct key_opts *o, FILE *out, FILE *err)
{
    struct key_view kv;
    memset(&kv, 0, sizeof(kv));
    if (o->npos != 1) {
        fail(err, "usage: key inspect <uri|address|0xpublic> [--scheme S] [--network N] [--public]",
             NULL);
        return CLI_EXIT_USAGE;
    }
    const char *arg = o->pos[0];
    int rc;
    if (o->public_only || looks_public(arg))
        rc = view_from_public(&kv, o, arg, err);
    else
        rc = view_from_secret(&kv, o, arg, err);
    if (rc == CLI_EXIT_OK)
        rc = print_view(&kv, o->json, out, err);
    itee_memzero(&kv, sizeof(kv));
    return rc;
}

/* Decodes the message argument: text as-is, or hex with --hex. Caller frees. */
static uint8_t *message_bytes(const struct key_opts *o, const char *text, size_t *len, FILE *err)
{
    size_t tl = strlen(text);
    uint8_t *m = itee_alloc(tl + 1);
    if (m == NULL) {
        fail(err, "out of memory", NULL);
        return NULL;
    }
    if (o->hex_message) {
        if (itee_hex_decode(m, tl + 1, len, text, tl) != ITEE_OK) {
            fail(err, "message is not valid hex", NULL);
            itee_free(m);
            return NULL;
        }
    } else {
        memcpy(m, text, tl);
        *len = tl;
    }
    return m;
}

static int cmd_sign(const struct key_opts *o, FILE *out, FILE *err)
{
    struct keys_pair pair;
    uint8_t sig[KEYS_SIG_MAX];
    char sig_hex[2 * KEYS_SIG_MAX + 1];
    size_t sig_len = 0, msg_len = 0, uri_len = 0;
    int rc = CLI_EXIT_FAIL;
    if (o->npos != 2) {
        fail(err, "usage: key sign <uri> <message> [--scheme S] [--hex]", NULL);
        return CLI_EXIT_USAGE;
    }
    uint8_t *msg = message_bytes(o, o->pos[1], &msg_len, err);
    if (msg == NULL)
        return CLI_EXIT_FAIL;
    char *uri = uri_with_password(o->pos[0], o->password, &uri_len);
    if (uri == NULL)
        goto out_free_msg;
    enum itee_err r = keys_pair_from_suri(&pair, o->scheme, uri, uri_len);
    itee_free_secret(uri, uri_len + 1);
    if (r != ITEE_OK) {
        fail(err, "invalid secret URI", itee_strerror(r));
        goto out_free_msg;
    }
    r = keys_pair_sign(&pair, msg, msg_len, sig, &sig_len);
    keys_pair_clear(&pair);
    if (r != ITEE_OK || itee_hex_encode(sig_hex, sizeof(sig_hex), sig, sig_len) != ITEE_OK) {
        fail(err, "signing failed", itee_strerror(r));
        goto out_free_msg;
    }
    fprintf(out, "0x%s\n", sig_hex);
    rc = CLI_EXIT_OK;
out_free_msg:
    itee_free(msg);
    return rc;
}

static int cmd_verify(const struct key_opts *o, FILE *out, FILE *err)
{
    struct key_view kv;
    uint8_t sig[KEYS_SIG_MAX];
    size_t sig_len = 0, msg_len = 0;
    memset(&kv, 0, sizeof(kv));
    if (o->npos != 3) {
        fail(err,
             "usage: key verify <address|0xpublic> <message> <0xsignature> [--scheme S] [--hex]",
             NULL);
        return CLI_EXIT_USAGE;
    }
    if (view_from_public(&kv, o, o->pos[0], err) != CLI_EXIT_OK)
        return CLI_EXIT_FAIL;
    const char *st = o->pos[2];
    if (itee_hex_decode(sig, sizeof(sig), &sig_len, st, strlen(st)) != ITEE_OK) {
        fail(err, "signature is not valid hex (64 bytes, or 65 for ecdsa)", NULL);
        return CLI_EXIT_FAIL;
    }
    uint8_t *msg = message_bytes(o, o->pos[1], &msg_len, err);
    if (msg == NULL)
        return CLI_EXIT_FAIL;
    enum itee_err r;
    if (kv.pub_len == 33)
        r = keys_verify(KEYS_SCHEME_ECDSA, sig, sig_len, msg, msg_len, kv.pub, kv.pub_len);
    else
        r = keys_verify_account(kv.scheme, sig, sig_len, msg, msg_len, kv.account);
    itee_free(msg);
    if (r != ITEE_OK) {
        fail(err, "signature invalid", itee_strerror(r));
        return CLI_EXIT_FAIL;
    }
    fprintf(out, "Signature verifies correctly.\n");
    return CLI_EXIT_OK;
}

static void key_usage(FILE *f)
{
    fprintf(f,
            "usage: integritee-cli key <command> [options]\n"
            "  generate [--scheme S] [--words 12|15|18|21|24] [--network N]\n"
            "  inspect <uri|address|0xpublic> [--scheme S] [--network N] [--public]\n"
            "  sign <uri> <message> [--scheme S] [--hex]\n"
            "  verify <address|0xpublic> <message> <0xsignature> [--scheme S] [--hex]\n"
            "options: --scheme sr25519|ed25519|ecdsa (default sr25519), --network <prefix|name>\n"
            "  (default 13 = integritee), --password P, --output-type text|json\n");
}

int cli_key_main(int argc, char **argv, FILE *out, FILE *err)
{
    struct key_opts o;
    memset(&o, 0, sizeof(o));
    o.scheme = KEYS_SCHEME_SR25519;
    o.network = SS58_PREFIX_INTEGRITEE;
    o.words = 12;
    if (argc < 2) {
        fail(err, "missing key command (generate, inspect, sign, verify; see key --help)", NULL);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        key_usage(out);
        return CLI_EXIT_OK;
    }
    const char *sub = argv[1];
    if (parse_opts(argc - 2, argv + 2, &o, err) != 0)
        return CLI_EXIT_USAGE;
    if (strcmp(sub, "generate") == 0)
        return cmd_generate(&o, out, err);
    if (strcmp(sub, "inspect") == 0)
        return cmd_inspect(&o, out, err);
    if (strcmp(sub, "sign") == 0)
        return cmd_sign(&o, out, err);
    if (strcmp(sub, "verify") == 0)
        return cmd_verify(&o, out, err);
    fail(err, "unknown key command (generate, inspect, sign, verify)", sub);
    return CLI_EXIT_USAGE;
}
