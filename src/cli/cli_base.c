/*
 * cli_base.c - base commands against the node (see cli_base.h). Every request goes through
 * src/net/node_api, which reads the node's metadata, so call and storage indices come from the
 * chain, never from this file. Failures print one line "integritee-cli: <reason>".
 */
#include "cli_base.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chain/metadata_value.h"
#include "codec/scale.h"
#include "common/base58.h"
#include "common/hex.h"
#include "common/int128.h"
#include "crypto/hash.h"
#include "keys/keystore.h"
#include "keys/pair.h"
#include "keys/ss58.h"
#include "net/node_api.h"

#define CLI_EXIT_OK    0
#define CLI_EXIT_FAIL  1
#define CLI_EXIT_USAGE 2

#define FAUCET_AMOUNT ((itee_u128)1000000000000ULL) /* 1 TEER (12 decimals) per account */

static const char *const commands[] = {
    "balance",      "transfer",    "faucet",        "print-metadata",
    "list-workers", "new-account", "list-accounts", NULL};

#define CLI_SS58_PREFIX 13 /* Integritee: what offline commands print */

bool cli_base_is_command(const char *name)
{
    for (size_t i = 0; commands[i] != NULL; i++)
        if (strcmp(commands[i], name) == 0)
            return true;
    return false;
}

static int fail(FILE *err, const char *what, enum itee_err r)
{
    fprintf(err, "integritee-cli: %s: %s\n", what, itee_strerror(r));
    return CLI_EXIT_FAIL;
}

enum itee_err cli_base_connect(const struct cli_opts *o, struct node_api *api)
{
    char url[512];
    int n = snprintf(url, sizeof(url), "%s:%s", o->node_url, o->node_port);
    if (n < 0 || (size_t)n >= sizeof(url))
        return ITEE_ERR_URL;
    return node_api_open(api, url, o->timeout_ms);
}

/*
 * Resolves an account argument: an SS58 address or 0x public key (no secret needed), or a
 * secret URI (//Alice, 0x seed, mnemonic) which also yields the signing pair when pair != NULL.
 */
enum itee_err cli_base_account(const char *arg, uint8_t who[32], struct keys_pair *pair,
                               bool *have_pair)
{
    uint16_t prefix;
    *have_pair = false;
    if (ss58_decode_account32(who, &prefix, arg, strlen(arg)) == ITEE_OK)
        return ITEE_OK;
    size_t len = strlen(arg);
    if (len == 66 && arg[0] == '0' && arg[1] == 'x' && pair == NULL &&
        itee_hex_decode_exact(who, 32, arg, len) == ITEE_OK)
        return ITEE_OK;
    struct keys_pair tmp;
    enum itee_err r = keys_pair_from_suri(&tmp, KEYS_SCHEME_SR25519, arg, len);
    if (r != ITEE_OK)
        return r;
    keys_pair_account_id(&tmp, who);
    if (pair != NULL) {
        *pair = tmp;
        *have_pair = true;
    } else {
        keys_pair_clear(&tmp);
    }
    return ITEE_OK;
}

static enum itee_err parse_amount(const char *s, itee_u128 *out)
{
    return itee_u128_from_dec(s, strlen(s), out);
}

static int cmd_balance(struct node_api *api, int argc, char **argv, FILE *out, FILE *err)
{
    if (argc != 2) {
        fprintf(err, "integritee-cli: usage: balance <account>\n");
        return CLI_EXIT_USAGE;
    }
    uint8_t who[32];
    bool have;
    if (cli_base_account(argv[1], who, NULL, &have) != ITEE_OK) {
        fprintf(err, "integritee-cli: %s is not an SS58 address, 0x public key or secret URI\n",
                argv[1]);
        return CLI_EXIT_USAGE;
    }
    enum itee_err r;
    struct node_account acc;
    if ((r = node_api_account(api, who, &acc)) != ITEE_OK)
        return fail(err, "reading the account", r);
    char dec[ITEE_U128_DEC_MAX];
    itee_u128_to_dec(dec, acc.free);
    fprintf(out, "%s\n", dec);
    return CLI_EXIT_OK;
}

/* Transfers amount from pair to `to` with Balances.transfer_keep_alive, waiting for finality. */
static enum itee_err transfer(struct node_api *api, const struct keys_pair *from,
                              const uint8_t to[32], itee_u128 amount, unsigned timeout_ms,
                              struct node_api_receipt *rc)
{
    struct itee_buf args, call;
    itee_buf_init(&args, 0);
    itee_buf_init(&call, 0);
    enum itee_err r = scale_put_u8(&args, 0); /* MultiAddress::Id */
    if (r == ITEE_OK)
        r = scale_put_bytes(&args, to, 32);
    if (r == ITEE_OK)
        r = scale_put_compact_u128(&args, amount);
    if (r == ITEE_OK)
        r = node_api_call(api, "Balances", "transfer_keep_alive", itee_buf_slice(&args), &call);
    if (r == ITEE_OK)
        r = node_api_submit(api, from, itee_buf_slice(&call), NODE_API_WAIT_FINALIZED, timeout_ms,
                            rc);
    itee_buf_free(&args);
    itee_buf_free(&call);
    return r;
}

static int report_submit(struct node_api *api, enum itee_err r, const struct node_api_receipt *rc,
                         FILE *err)
{
    if (r == ITEE_ERR_RPC_REMOTE) {
        const char *msg = NULL;
        int code = rpc_client_last_error(api->rpc, &msg);
        fprintf(err, "integritee-cli: the node refused the extrinsic: %d %s\n", code, msg);
        return CLI_EXIT_FAIL;
    }
    if (r != ITEE_OK) {
        fprintf(err, "integritee-cli: extrinsic: %s%s%s\n", itee_strerror(r),
                rc->error[0] ? ": " : "", rc->error);
        return CLI_EXIT_FAIL;
    }
    if (!rc->success) {
        fprintf(err, "integritee-cli: extrinsic failed: %s\n",
                rc->error[0] ? rc->error : "no ExtrinsicSuccess event");
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

static int cmd_transfer(const struct cli_opts *o, struct node_api *api, int argc, char **argv,
                        FILE *out, FILE *err)
{
    if (argc != 4) {
        fprintf(err, "integritee-cli: usage: transfer <from> <to> <amount>\n");
        return CLI_EXIT_USAGE;
    }
    uint8_t from_acc[32], to[32];
    struct keys_pair from;
    bool have = false;
    itee_u128 amount;
    enum itee_err r = cli_base_account(argv[1], from_acc, &from, &have);
    if (r != ITEE_OK || !have) {
        fprintf(err, "integritee-cli: <from> must be a secret URI (//Alice, 0x seed, phrase)\n");
        return CLI_EXIT_USAGE;
    }
    int rc_exit = CLI_EXIT_USAGE;
    bool unused;
    if (cli_base_account(argv[2], to, NULL, &unused) != ITEE_OK) {
        fprintf(err, "integritee-cli: %s is not an SS58 address, 0x public key or secret URI\n",
                argv[2]);
        goto cleanup;
    }
    if (parse_amount(argv[3], &amount) != ITEE_OK) {
        fprintf(err, "integritee-cli: <amount> must be an integer in planck\n");
        goto cleanup;
    }
    struct node_api_receipt rc;
    r = transfer(api, &from, to, amount, o->timeout_ms, &rc);
    rc_exit = report_submit(api, r, &rc, err);
    if (rc_exit == CLI_EXIT_OK) {
        char h[67];
        node_api_hex32(h, rc.tx_hash);
        fprintf(out, "[+] L1 extrinsic success. extrinsic hash: %s\n", h);
        struct node_account acc;
        if ((r = node_api_account(api, to, &acc)) != ITEE_OK) {
            rc_exit = fail(err, "reading the balance", r);
        } else {
            char dec[ITEE_U128_DEC_MAX];
            itee_u128_to_dec(dec, acc.free);
            fprintf(out, "balance for %s is now %s\n", argv[2], dec);
        }
    }
    node_api_receipt_clear(&rc);
cleanup:
    keys_pair_clear(&from);
    return rc_exit;
}

static int cmd_faucet(const struct cli_opts *o, struct node_api *api, int argc, char **argv,
                      FILE *out, FILE *err)
{
    if (argc < 2) {
        fprintf(err, "integritee-cli: usage: faucet <account>...\n");
        return CLI_EXIT_USAGE;
    }
    struct keys_pair alice;
    enum itee_err r = keys_pair_from_suri(&alice, KEYS_SCHEME_SR25519, "//Alice", 7);
    if (r != ITEE_OK)
        return fail(err, "//Alice", r);
    int code = CLI_EXIT_OK;
    for (int i = 1; i < argc && code == CLI_EXIT_OK; i++) {
        uint8_t to[32];
        bool unused;
        if (cli_base_account(argv[i], to, NULL, &unused) != ITEE_OK) {
            fprintf(err, "integritee-cli: %s is not an SS58 address, 0x public key or secret URI\n",
                    argv[i]);
            code = CLI_EXIT_USAGE;
            break;
        }
        struct node_api_receipt rc;
        r = transfer(api, &alice, to, FAUCET_AMOUNT, o->timeout_ms, &rc);
        code = report_submit(api, r, &rc, err);
        if (code == CLI_EXIT_OK) {
            char dec[ITEE_U128_DEC_MAX];
            itee_u128_to_dec(dec, FAUCET_AMOUNT);
            fprintf(out, "faucet: sent %s to %s\n", dec, argv[i]);
        }
        node_api_receipt_clear(&rc);
    }
    keys_pair_clear(&alice);
    return code;
}

static void print_variants(const struct metadata_builder *md, uint32_t ty, const char *what,
                           FILE *out)
{
    const struct metadata_type *t = metadata_type_get(md, ty);
    if (t == NULL || t->def != METADATA_DEF_VARIANT || t->n_variants == 0)
        return;
    fprintf(out, "  %s:", what);
    for (size_t i = 0; i < t->n_variants; i++)
        fprintf(out, " %s(%u)", t->variants[i].name, (unsigned)t->variants[i].index);
    fprintf(out, "\n");
}

static int cmd_print_metadata(struct node_api *api, FILE *out)
{
    size_t n = metadata_pallet_count(api->md);
    fprintf(out, "metadata: %zu pallets, spec_version %u, transaction_version %u\n", n,
            api->spec_version, api->tx_version);
    for (size_t i = 0; i < n; i++) {
        const struct metadata_pallet *p = metadata_pallet_get(api->md, i);
        fprintf(out, "pallet %s (%u)\n", p->name, (unsigned)p->index);
        print_variants(api->md, p->calls, "calls", out);
        print_variants(api->md, p->events, "events", out);
        print_variants(api->md, p->errors, "errors", out);
        if (p->n_storage > 0) {
            fprintf(out, "  storage:");
            for (size_t k = 0; k < p->n_storage; k++)
                fprintf(out, " %s", p->storage[k].name);
            fprintf(out, "\n");
        }
        if (p->n_constants > 0) {
            fprintf(out, "  constants:");
            for (size_t k = 0; k < p->n_constants; k++)
                fprintf(out, " %s", p->constants[k].name);
            fprintf(out, "\n");
        }
    }
    return CLI_EXIT_OK;
}

/* Reads one SovereignEnclaves entry (key = prefix(32) || blake2_128(16) || AccountId(32)). */
static enum itee_err read_enclave(struct node_api *api, const uint8_t *key, size_t key_len,
                                  uint32_t value_ty, struct cli_enclave *e)
{
    memset(e, 0, sizeof(*e));
    if (key_len != 80)
        return ITEE_ERR_FORMAT;
    memcpy(e->signer, key + 48, 32);
    struct itee_buf val;
    itee_buf_init(&val, 1 << 20);
    bool found = false;
    json_t *v = NULL;
    enum itee_err r = node_api_storage(api, itee_slice_make(key, key_len), NULL, &val, &found);
    if (r == ITEE_OK && found) {
        struct scale_reader rd;
        scale_reader_init(&rd, val.ptr, val.len);
        r = metadata_value_decode(api->md, value_ty, &rd, &v);
    }
    if (r == ITEE_OK && !found)
        r = ITEE_ERR_NOENT;
    json_t *sgx = json_object_get(v, "Sgx");
    const char *mr_hex = json_string_value(json_object_get(sgx, "mr_enclave"));
    if (r == ITEE_OK && (mr_hex == NULL || itee_hex_decode_exact(e->mrenclave, 32, mr_hex,
                                                                 strlen(mr_hex)) != ITEE_OK))
        r = ITEE_ERR_FORMAT;
    if (r == ITEE_OK) {
        e->timestamp = (long long)json_integer_value(json_object_get(sgx, "timestamp"));
        const char *url_hex = json_string_value(json_object_get(sgx, "url"));
        uint8_t url_b[sizeof(e->url) - 1];
        size_t url_len = 0;
        if (url_hex != NULL &&
            itee_hex_decode(url_b, sizeof(url_b), &url_len, url_hex, strlen(url_hex)) == ITEE_OK)
            (void)snprintf(e->url, sizeof(e->url), "%.*s", (int)url_len, (const char *)url_b);
        char *method =
            json_dumps(json_object_get(sgx, "attestation_method"), JSON_ENCODE_ANY | JSON_COMPACT);
        (void)snprintf(e->method, sizeof(e->method), "%s", method ? method : "?");
        free(method);
    }
    json_decref(v);
    itee_buf_free(&val);
    return r;
}

static void print_enclave(const struct cli_enclave *e, uint16_t ss58_prefix, FILE *out)
{
    char ss58[64] = "?", mr58[64] = "?";
    (void)ss58_encode(ss58, sizeof(ss58), ss58_prefix, e->signer, 32);
    (void)itee_base58_encode(mr58, sizeof(mr58), e->mrenclave, 32);
    fprintf(out, "Enclave\n   signer: %s\n   MRENCLAVE: %s\n   RA timestamp: %lld\n   URL: %s\n",
            ss58, mr58, e->timestamp, e->url);
    fprintf(out, "   attestation: %s\n", e->method);
}

/* Appends the keys under prefix (state_getKeysPaged, pages of 1000) to keys, as a JSON array. */
static enum itee_err keys_with_prefix(struct node_api *api, const uint8_t prefix[32], json_t *keys)
{
    char pre[67], start[67 + 2 * 64] = "";
    node_api_hex32(pre, prefix);
    for (;;) {
        json_t *params =
            start[0] ? json_pack("[s, i, s]", pre, 1000, start) : json_pack("[s, i]", pre, 1000);
        json_t *page = NULL;
        if (params == NULL)
            return ITEE_ERR_NOMEM;
        enum itee_err r = rpc_client_call(api->rpc, "state_getKeysPaged", params, &page);
        json_decref(params);
        if (r != ITEE_OK)
            return r;
        size_t n = json_array_size(page);
        if (!json_is_array(page) || json_array_extend(keys, page) != 0) {
            json_decref(page);
            return ITEE_ERR_FORMAT;
        }
        const char *last = n ? json_string_value(json_array_get(page, n - 1)) : NULL;
        if (n < 1000 || last == NULL || strlen(last) >= sizeof(start)) {
            json_decref(page);
            return ITEE_OK;
        }
        (void)snprintf(start, sizeof(start), "%s", last);
        json_decref(page);
    }
}

enum itee_err cli_base_enclaves(struct node_api *api, cli_enclave_fn fn, void *ctx, size_t *count)
{
    *count = 0;
    const struct metadata_pallet *p = NULL;
    const struct metadata_storage_entry *e =
        metadata_find_storage(api->md, "Teerex", "SovereignEnclaves", &p);
    if (e == NULL)
        return ITEE_ERR_NOENT;
    uint8_t prefix[32];
    hash_storage_prefix(prefix, p->storage_prefix ? p->storage_prefix : p->name, e->name);
    json_t *keys = json_array();
    if (keys == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err r = keys_with_prefix(api, prefix, keys);
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        if (r != ITEE_OK)
            break;
        uint8_t key[128];
        size_t key_len = 0;
        const char *kh = json_string_value(k);
        struct cli_enclave enc;
        if (kh == NULL || itee_hex_decode(key, sizeof(key), &key_len, kh, strlen(kh)) != ITEE_OK)
            r = ITEE_ERR_FORMAT;
        else if ((r = read_enclave(api, key, key_len, e->value, &enc)) == ITEE_OK) {
            (*count)++;
            if (fn != NULL)
                fn(ctx, &enc);
        }
    }
    json_decref(keys);
    return r;
}

struct print_ctx {
    FILE *out;
    uint16_t prefix;
};

static void print_one(void *ctx, const struct cli_enclave *e)
{
    const struct print_ctx *pc = ctx;
    print_enclave(e, pc->prefix, pc->out);
}

static int cmd_list_workers(struct node_api *api, FILE *out, FILE *err)
{
    size_t n = 0;
    enum itee_err r = cli_base_enclaves(api, NULL, NULL, &n);
    if (r == ITEE_ERR_NOENT) {
        fprintf(err, "integritee-cli: the node has no Teerex.SovereignEnclaves\n");
        return CLI_EXIT_FAIL;
    }
    if (r != ITEE_OK)
        return fail(err, "listing enclaves", r);
    fprintf(out, "number of enclaves registered: %zu\n", n);
    struct print_ctx pc = {.out = out, .prefix = api->ss58};
    r = cli_base_enclaves(api, print_one, &pc, &n);
    return r == ITEE_OK ? CLI_EXIT_OK : fail(err, "reading an enclave", r);
}

static int cmd_new_account(const struct cli_opts *o, FILE *out, FILE *err)
{
    struct keystore ks;
    uint8_t pub[KEYS_PUBLIC_MAX];
    size_t len = 0;
    enum itee_err r = keystore_open(&ks, o->keystore);
    if (r == ITEE_OK)
        r = keystore_generate(&ks, "sr25", 4, pub, &len);
    if (r != ITEE_OK)
        return fail(err, o->keystore, r);
    char ss58[64];
    if ((r = ss58_encode(ss58, sizeof(ss58), CLI_SS58_PREFIX, pub, len)) != ITEE_OK)
        return fail(err, "ss58", r);
    fprintf(out, "%s\n", ss58);
    return CLI_EXIT_OK;
}

static void print_key(void *ctx, const uint8_t *pub, size_t len)
{
    char ss58[64];
    if (ss58_encode(ss58, sizeof(ss58), CLI_SS58_PREFIX, pub, len) == ITEE_OK)
        fprintf((FILE *)ctx, "%s\n", ss58);
}

static int cmd_list_accounts(const struct cli_opts *o, FILE *out, FILE *err)
{
    struct keystore ks;
    memset(&ks, 0, sizeof(ks));
    if ((size_t)snprintf(ks.dir, sizeof(ks.dir), "%s", o->keystore) >= sizeof(ks.dir))
        return fail(err, "keystore path", ITEE_ERR_ARG);
    enum itee_err r = keystore_list(&ks, "sr25", 4, print_key, out);
    return r == ITEE_OK ? CLI_EXIT_OK : fail(err, o->keystore, r);
}

int cli_base_main(const struct cli_opts *o, int argc, char **argv, FILE *out, FILE *err)
{
    /* offline commands: the keystore only */
    if (strcmp(argv[0], "new-account") == 0 || strcmp(argv[0], "list-accounts") == 0) {
        if (argc != 1) {
            fprintf(err, "integritee-cli: usage: %s\n", argv[0]);
            return CLI_EXIT_USAGE;
        }
        return argv[0][0] == 'n' ? cmd_new_account(o, out, err) : cmd_list_accounts(o, out, err);
    }
    struct node_api api;
    enum itee_err r = cli_base_connect(o, &api);
    if (r != ITEE_OK) {
        fprintf(err, "integritee-cli: cannot use the node at %s:%s: %s\n", o->node_url,
                o->node_port, itee_strerror(r));
        return CLI_EXIT_FAIL;
    }
    int code;
    if (strcmp(argv[0], "balance") == 0)
        code = cmd_balance(&api, argc, argv, out, err);
    else if (strcmp(argv[0], "transfer") == 0)
        code = cmd_transfer(o, &api, argc, argv, out, err);
    else if (strcmp(argv[0], "faucet") == 0)
        code = cmd_faucet(o, &api, argc, argv, out, err);
    else if (strcmp(argv[0], "print-metadata") == 0)
        code = cmd_print_metadata(&api, out);
    else
        code = cmd_list_workers(&api, out, err);
    node_api_close(&api);
    return code;
}
