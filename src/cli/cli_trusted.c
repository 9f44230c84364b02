/*
 * cli_trusted.c - trusted commands against a worker (see cli_trusted.h).
 */
#include "cli_trusted.h"

#include <stdlib.h>
#include <string.h>

#include "chain/trusted_op.h"
#include "codec/scale.h"
#include "common/base58.h"
#include "common/hex.h"
#include "common/int128.h"
#include "crypto/rsa.h"
#include "keys/keystore.h"
#include "keys/ss58.h"
#include "net/tls_stream.h"

#define CLI_EXIT_OK    0
#define CLI_EXIT_FAIL  1
#define CLI_EXIT_USAGE 2
#define TRUSTED_SS58   13

struct trusted {
    const struct cli_opts *o;
    const char *mrenclave_arg; /* -m */
    const char *shard_arg;     /* -s */
    const char *xt_signer;     /* -a, default //Alice */
    bool direct;               /* -d */
    bool insecure;             /* --insecure-skip-tls-verify */
    struct node_api api;       /* the parentchain */
    bool api_open;
    struct tls_stream st; /* TLS to the worker */
    bool st_open;
    struct rpc_client *rpc; /* JSON-RPC over it */
    uint8_t mrenclave[32];
    uint8_t shard[32];
    FILE *err;
};

static int failf(struct trusted *t, const char *what, enum itee_err r)
{
    fprintf(t->err, "integritee-cli: %s: %s\n", what, itee_strerror(r));
    return CLI_EXIT_FAIL;
}

static bool b58_32(const char *s, uint8_t out[32])
{
    size_t n = 0;
    return itee_base58_decode(out, 32, &n, s, strlen(s)) == ITEE_OK && n == 32;
}

struct pick {
    const char *url;   /* worker URL we connect to */
    const uint8_t *mr; /* required MRENCLAVE or NULL */
    struct cli_enclave c[16];
    size_t n;
};

/* Collects registered enclaves with the URL (preferred) or with the MRENCLAVE. */
static void collect(void *ctx, const struct cli_enclave *e)
{
    struct pick *p = ctx;
    if (p->n >= 16 || (p->mr != NULL && memcmp(e->mrenclave, p->mr, 32) != 0))
        return;
    p->c[p->n++] = *e;
}

static enum itee_err connect_pinned(struct trusted *t, const char *url, const uint8_t key[32])
{
    struct tls_client_config cfg = {.mode = t->insecure ? TLS_VERIFY_NONE : TLS_VERIFY_PINNED};
    if (key != NULL)
        memcpy(cfg.pinned_key, key, 32);
    enum itee_err r = tls_stream_init(&t->st, &cfg);
    if (r != ITEE_OK)
        return r;
    t->st_open = true;
    r = tls_stream_connect(&t->st, url, t->o->timeout_ms, &t->rpc);
    if (r != ITEE_OK) {
        tls_stream_free(&t->st);
        t->st_open = false;
    }
    return r;
}

/*
 * Connects to the worker, accepting only the TLS key of a registered enclave: first those
 * registered with this very URL, then any with the MRENCLAVE asked for.
 */
static int connect_worker(struct trusted *t)
{
    enum itee_err r = cli_base_connect(t->o, &t->api);
    if (r != ITEE_OK) {
        fprintf(t->err, "integritee-cli: cannot use the node at %s:%s: %s\n", t->o->node_url,
                t->o->node_port, itee_strerror(r));
        return CLI_EXIT_FAIL;
    }
    t->api_open = true;
    char url[512];
    (void)snprintf(url, sizeof(url), "%s:%s", t->o->worker_url, t->o->worker_port);
    uint8_t mr[32];
    bool have_mr = t->mrenclave_arg != NULL;
    if (have_mr && !b58_32(t->mrenclave_arg, mr)) {
        fprintf(t->err, "integritee-cli: --mrenclave must be the base58 form of 32 bytes\n");
        return CLI_EXIT_USAGE;
    }
    struct pick p = {.url = url, .mr = have_mr ? mr : NULL};
    size_t count = 0;
    if ((r = cli_base_enclaves(&t->api, collect, &p, &count)) != ITEE_OK)
        return failf(t, "reading the enclave registry", r);
    if (t->insecure) {
        fprintf(t->err, "integritee-cli: warning: TLS verification is off "
                        "(--insecure-skip-tls-verify): anyone can pose as the worker\n");
        if ((r = connect_pinned(t, url, NULL)) != ITEE_OK)
            return failf(t, url, r);
    } else {
        r = ITEE_ERR_NOENT;
        for (int pass = 0; pass < 2 && r != ITEE_OK; pass++)
            for (size_t i = 0; i < p.n && r != ITEE_OK; i++) {
                bool same_url = strcmp(p.c[i].url, url) == 0;
                if ((pass == 0) != same_url)
                    continue;
                r = connect_pinned(t, url, p.c[i].signer);
                if (r == ITEE_OK && !have_mr)
                    memcpy(mr, p.c[i].mrenclave, 32);
            }
        if (r != ITEE_OK) {
            fprintf(t->err,
                    "integritee-cli: the worker at %s does not present the TLS key of an enclave "
                    "registered%s on the parentchain (%s)\n",
                    url, have_mr ? " with this MRENCLAVE" : "", itee_strerror(r));
            return CLI_EXIT_FAIL;
        }
    }
    memcpy(t->mrenclave, mr, 32);
    if (t->shard_arg != NULL && !b58_32(t->shard_arg, t->shard)) {
        fprintf(t->err, "integritee-cli: --shard must be the base58 form of 32 bytes\n");
        return CLI_EXIT_USAGE;
    }
    if (t->shard_arg == NULL)
        memcpy(t->shard, mr, 32); /* the default shard is the MRENCLAVE, as the original */
    return CLI_EXIT_OK;
}

static void trusted_close(struct trusted *t)
{
    rpc_client_free(t->rpc);
    t->rpc = NULL;
    if (t->st_open)
        tls_stream_free(&t->st);
    if (t->api_open)
        node_api_close(&t->api);
}

/* Calls method and decodes the RpcReturnValue; an Error status becomes ITEE_ERR_RPC_REMOTE with
 * its message printed. Out: value appended to out. */
static enum itee_err call_rv(struct trusted *t, const char *method, json_t *params,
                             struct itee_buf *out)
{
    json_t *res = NULL;
    enum itee_err r = rpc_client_call(t->rpc, method, params, &res);
    struct itee_buf raw;
    itee_buf_init(&raw, 0);
    const char *hex = json_string_value(res);
    if (r == ITEE_OK && hex == NULL)
        r = ITEE_ERR_FORMAT;
    if (r == ITEE_OK) {
        size_t n = strlen(hex);
        size_t got = 0;
        r = itee_buf_reserve(&raw, n / 2 + 1);
        if (r == ITEE_OK && itee_hex_decode(raw.ptr, n / 2 + 1, &got, hex, n) != ITEE_OK)
            r = ITEE_ERR_FORMAT;
        raw.len = got;
    }
    struct trusted_op_rpc_return rv;
    if (r == ITEE_OK && trusted_op_rpc_return_decode(&rv, raw.ptr, raw.len) != ITEE_OK)
        r = ITEE_ERR_FORMAT;
    if (r == ITEE_OK && rv.status == TRUSTED_OP_STATUS_ERROR) {
        struct scale_reader rd;
        struct itee_slice msg = {0};
        scale_reader_init(&rd, rv.value.ptr, rv.value.len);
        if (scale_read_str(&rd, &msg) != ITEE_OK)
            msg = rv.value;
        fprintf(t->err, "integritee-cli: the worker answered %s with an error: %.*s\n", method,
                (int)msg.len, (const char *)msg.ptr);
        r = ITEE_ERR_RPC_REMOTE;
    }
    if (r == ITEE_OK)
        r = itee_buf_append(out, rv.value.ptr, rv.value.len);
    if (r == ITEE_ERR_RPC_REMOTE && res == NULL) {
        const char *m = NULL;
        int code = rpc_client_last_error(t->rpc, &m);
        fprintf(t->err, "integritee-cli: %s: %d %s\n", method, code, m);
    }
    itee_buf_free(&raw);
    json_decref(res);
    return r;
}

/* Runs a signed trusted getter of who (pair) and appends its SCALE result (empty if None). */
static enum itee_err getter(struct trusted *t, enum trusted_op_trusted_getter kind,
                            const struct keys_pair *who, struct itee_buf *out, bool *some)
{
    uint8_t acc[32];
    keys_pair_account_id(who, acc);
    struct itee_buf g, enc, req, val;
    itee_buf_init(&g, 0);
    itee_buf_init(&enc, 0);
    itee_buf_init(&req, 0);
    itee_buf_init(&val, 0);
    struct trusted_op_getter tg = {.kind = TRUSTED_OP_GETTER_TRUSTED};
    enum itee_err r = trusted_op_trusted_getter_put(&g, kind, acc);
    if (r == ITEE_OK) {
        tg.getter = itee_buf_slice(&g);
        r = trusted_op_getter_sign(&tg.sig, who, tg.getter);
    }
    if (r == ITEE_OK)
        r = trusted_op_getter_put(&enc, &tg);
    struct trusted_op_request rq;
    memcpy(rq.shard, t->shard, 32);
    rq.cyphertext = itee_buf_slice(&enc);
    if (r == ITEE_OK)
        r = trusted_op_request_put(&req, &rq);
    char *hex = NULL;
    json_t *params = NULL;
    if (r == ITEE_OK && (hex = malloc(2 * req.len + 3)) == NULL)
        r = ITEE_ERR_NOMEM;
    if (r == ITEE_OK) {
        hex[0] = '0';
        hex[1] = 'x';
        (void)itee_hex_encode(hex + 2, 2 * req.len + 1, req.ptr, req.len);
        if ((params = json_pack("[s]", hex)) == NULL)
            r = ITEE_ERR_NOMEM;
    }
    if (r == ITEE_OK)
        r = call_rv(t, "state_executeGetter", params, &val);
    /* value = SCALE(Option<Vec<u8>>) */
    struct scale_reader rd;
    scale_reader_init(&rd, val.ptr, val.len);
    struct itee_slice inner = {0};
    if (r == ITEE_OK && scale_read_option(&rd, some) != ITEE_OK)
        r = ITEE_ERR_FORMAT;
    if (r == ITEE_OK && *some && scale_read_vec_u8(&rd, &inner) != ITEE_OK)
        r = ITEE_ERR_FORMAT;
    if (r == ITEE_OK && inner.len > 0)
        r = itee_buf_append(out, inner.ptr, inner.len);
    json_decref(params);
    free(hex);
    itee_buf_free(&g);
    itee_buf_free(&enc);
    itee_buf_free(&req);
    itee_buf_free(&val);
    return r;
}

/* Trusted accounts: a secret URI, or an SS58 address of a key in the trusted keystore. */
static void keystore_dir(struct trusted *t, char *out, size_t cap)
{
    char b58[64] = "";
    (void)itee_base58_encode(b58, sizeof(b58), t->shard, 32);
    (void)snprintf(out, cap, "./my_trusted_keystore/%s", b58);
}

static enum itee_err trusted_pair(struct trusted *t, const char *arg, struct keys_pair *pair)
{
    uint8_t who[32];
    uint16_t prefix;
    if (ss58_decode_account32(who, &prefix, arg, strlen(arg)) == ITEE_OK) {
        struct keystore ks;
        char dir[512];
        keystore_dir(t, dir, sizeof(dir));
        memset(&ks, 0, sizeof(ks));
        (void)snprintf(ks.dir, sizeof(ks.dir), "%s", dir);
        return keystore_load(&ks, "sr25", 4, who, 32, pair);
    }
    return keys_pair_from_suri(pair, KEYS_SCHEME_SR25519, arg, strlen(arg));
}

static int cmd_balance_nonce(struct trusted *t, bool nonce, int argc, char **argv, FILE *out)
{
    if (argc != 2) {
        fprintf(t->err, "integritee-cli: usage: trusted %s <account>\n", argv[0]);
        return CLI_EXIT_USAGE;
    }
    struct keys_pair who;
    if (trusted_pair(t, argv[1], &who) != ITEE_OK) {
        fprintf(t->err,
                "integritee-cli: %s: a trusted getter is signed by the account: give its "
                "secret URI or an address in the trusted keystore\n",
                argv[1]);
        return CLI_EXIT_USAGE;
    }
    struct itee_buf v;
    itee_buf_init(&v, 0);
    bool some = false;
    enum itee_err r = getter(t, nonce ? TRUSTED_OP_TRUSTED_NONCE : TRUSTED_OP_TRUSTED_FREE_BALANCE,
                             &who, &v, &some);
    keys_pair_clear(&who);
    struct scale_reader rd;
    scale_reader_init(&rd, v.ptr, v.len);
    int code = CLI_EXIT_OK;
    if (r != ITEE_OK) {
        code = r == ITEE_ERR_RPC_REMOTE ? CLI_EXIT_FAIL : failf(t, "getter", r);
    } else if (nonce) {
        uint32_t n = 0;
        if (some && scale_read_u32(&rd, &n) != ITEE_OK)
            code = failf(t, "nonce", ITEE_ERR_FORMAT);
        else
            fprintf(out, "%u\n", n);
    } else {
        itee_u128 b = 0;
        char dec[ITEE_U128_DEC_MAX];
        if (some && scale_read_u128(&rd, &b) != ITEE_OK) {
            code = failf(t, "balance", ITEE_ERR_FORMAT);
        } else {
            itee_u128_to_dec(dec, b);
            fprintf(out, "%s\n", dec);
        }
    }
    itee_buf_free(&v);
    return code;
}

static int cmd_get_shard(struct trusted *t, FILE *out)
{
    struct itee_buf v;
    itee_buf_init(&v, 0);
    enum itee_err r = call_rv(t, "author_getShard", NULL, &v);
    int code = CLI_EXIT_OK;
    if (r != ITEE_OK || v.len != 32) {
        code = r == ITEE_ERR_RPC_REMOTE ? CLI_EXIT_FAIL
                                        : failf(t, "author_getShard", r ? r : ITEE_ERR_FORMAT);
    } else {
        char b58[64];
        (void)itee_base58_encode(b58, sizeof(b58), v.ptr, 32);
        fprintf(out, "%s\n", b58);
    }
    itee_buf_free(&v);
    return code;
}

static enum itee_err shielding_key(struct trusted *t, struct rsa_key **key)
{
    struct itee_buf v;
    itee_buf_init(&v, 0);
    enum itee_err r = call_rv(t, "author_getShieldingKey", NULL, &v);
    struct scale_reader rd;
    struct itee_slice json = {0};
    scale_reader_init(&rd, v.ptr, v.len);
    if (r == ITEE_OK && scale_read_str(&rd, &json) != ITEE_OK)
        r = ITEE_ERR_FORMAT;
    if (r == ITEE_OK)
        r = rsa_public_from_json(key, (const char *)json.ptr, json.len);
    itee_buf_free(&v);
    return r;
}

/* Signs call by pair (nonce from the enclave), encrypts it to the enclave and sends it inside
 * EnclaveBridge.invoke, signed on L1 by -a. */
static int send_indirect(struct trusted *t, const struct trusted_op_call *call,
                         const struct keys_pair *pair, FILE *out)
{
    struct itee_buf cb, top, ct, req, xcall, nv;
    itee_buf_init(&cb, 0);
    itee_buf_init(&top, 0);
    itee_buf_init(&ct, 0);
    itee_buf_init(&req, 0);
    itee_buf_init(&xcall, 0);
    itee_buf_init(&nv, 0);
    struct rsa_key *key = NULL;
    struct keys_pair xt_signer;
    bool have_xt = false;
    struct node_api_receipt rc;
    memset(&rc, 0, sizeof(rc));
    bool some = false;
    uint32_t nonce = 0;
    enum itee_err r = getter(t, TRUSTED_OP_TRUSTED_NONCE, pair, &nv, &some);
    struct scale_reader rd;
    scale_reader_init(&rd, nv.ptr, nv.len);
    if (r == ITEE_OK && some && scale_read_u32(&rd, &nonce) != ITEE_OK)
        r = ITEE_ERR_FORMAT;
    if (r == ITEE_OK)
        r = trusted_op_call_put(&cb, call);
    struct trusted_op op = {.kind = TRUSTED_OP_INDIRECT_CALL};
    op.call.call = itee_buf_slice(&cb);
    op.call.nonce = nonce;
    if (r == ITEE_OK)
        r = trusted_op_call_sign(&op.call.sig, pair, op.call.call, nonce, t->mrenclave, t->shard);
    if (r == ITEE_OK)
        r = trusted_op_put(&top, &op);
    if (r == ITEE_OK)
        r = shielding_key(t, &key);
    if (r == ITEE_OK)
        r = rsa_encrypt(key, top.ptr, top.len, &ct);
    struct trusted_op_request rq;
    memcpy(rq.shard, t->shard, 32);
    rq.cyphertext = itee_buf_slice(&ct);
    if (r == ITEE_OK)
        r = trusted_op_request_put(&req, &rq);
    if (r == ITEE_OK)
        r = node_api_call(&t->api, "EnclaveBridge", "invoke", itee_buf_slice(&req), &xcall);
    if (r == ITEE_OK && (r = keys_pair_from_suri(&xt_signer, KEYS_SCHEME_SR25519, t->xt_signer,
                                                 strlen(t->xt_signer))) == ITEE_OK)
        have_xt = true;
    if (r == ITEE_OK)
        r = node_api_submit(&t->api, &xt_signer, itee_buf_slice(&xcall), NODE_API_WAIT_FINALIZED,
                            t->o->timeout_ms, &rc);
    int code = CLI_EXIT_OK;
    if (r != ITEE_OK) {
        code = r == ITEE_ERR_RPC_REMOTE ? CLI_EXIT_FAIL : failf(t, "indirect call", r);
    } else if (!rc.success) {
        fprintf(t->err, "integritee-cli: EnclaveBridge.invoke failed: %s\n", rc.error);
        code = CLI_EXIT_FAIL;
    } else {
        char h[67], b[67];
        node_api_hex32(h, rc.tx_hash);
        node_api_hex32(b, rc.block_hash);
        fprintf(out,
                "[+] invoke TrustedOperation extrinsic success. extrinsic hash: %s / status: "
                "Finalized / block hash: %s\n",
                h, b);
    }
    node_api_receipt_clear(&rc);
    if (have_xt)
        keys_pair_clear(&xt_signer);
    rsa_key_free(key);
    itee_buf_free(&cb);
    itee_buf_free(&top);
    itee_buf_free(&ct);
    itee_buf_free(&req);
    itee_buf_free(&xcall);
    itee_buf_free(&nv);
    return code;
}

static void b58_of(const uint8_t b[32], char out[64])
{
    (void)itee_base58_encode(out, 64, b, 32);
}

static int cmd_call(struct trusted *t, int argc, char **argv, FILE *out)
{
    const char *name = argv[0];
    bool set = strcmp(name, "set-balance") == 0, unshield = strcmp(name, "unshield-funds") == 0;
    int need = set ? 3 : 4;
    if (argc != need) {
        fprintf(t->err, "integritee-cli: usage: trusted %s %s\n", name,
                set ? "<account> <amount>" : "<from> <to> <amount>");
        return CLI_EXIT_USAGE;
    }
    if (t->direct) {
        fprintf(t->err, "integritee-cli: --direct needs a sidechain validateer (issue #6); "
                        "off-chain workers take indirect calls\n");
        return CLI_EXIT_USAGE;
    }
    struct trusted_op_call call;
    memset(&call, 0, sizeof(call));
    struct keys_pair signer;
    bool unused;
    itee_u128 amount;
    const char *amount_s = argv[need - 1];
    if (itee_u128_from_dec(amount_s, strlen(amount_s), &amount) != ITEE_OK) {
        fprintf(t->err, "integritee-cli: <amount> must be an integer in planck\n");
        return CLI_EXIT_USAGE;
    }
    const char *signer_s = set ? "//Alice" : argv[1]; /* set-balance: the dev shard's root */
    if (trusted_pair(t, signer_s, &signer) != ITEE_OK) {
        fprintf(t->err,
                "integritee-cli: %s: give a secret URI or an address in the trusted "
                "keystore\n",
                signer_s);
        return CLI_EXIT_USAGE;
    }
    keys_pair_account_id(&signer, call.sender);
    const char *other = set ? argv[1] : argv[2];
    if (cli_base_account(other, call.other, NULL, &unused) != ITEE_OK) {
        keys_pair_clear(&signer);
        fprintf(t->err, "integritee-cli: %s is not an SS58 address, 0x public key or secret URI\n",
                other);
        return CLI_EXIT_USAGE;
    }
    call.amount = amount;
    call.index = set ? TRUSTED_OP_CALL_SET_BALANCE
                     : (unshield ? TRUSTED_OP_CALL_UNSHIELD : TRUSTED_OP_CALL_TRANSFER);
    if (unshield)
        memcpy(call.shard, t->shard, 32);
    char mr58[64], sh58[64];
    b58_of(t->mrenclave, mr58);
    b58_of(t->shard, sh58);
    if (set) {
        char hex[65], dec[ITEE_U128_DEC_MAX];
        (void)itee_hex_encode(hex, sizeof(hex), call.other, 32);
        itee_u128_to_dec(dec, amount);
        fprintf(out, "send trusted call set-balance(0x%s, %s)\n", hex, dec);
    } else {
        fprintf(out,
                "send trusted call %s from %s to %s: %s, signing using mrenclave: %s and "
                "shard: %s\n",
                unshield ? "unshield_funds" : "transfer", argv[1], argv[2], amount_s, mr58, sh58);
    }
    int code = send_indirect(t, &call, &signer, out);
    keys_pair_clear(&signer);
    return code;
}

static void print_key(void *ctx, const uint8_t *pub, size_t len)
{
    char ss58[64];
    if (ss58_encode(ss58, sizeof(ss58), TRUSTED_SS58, pub, len) == ITEE_OK)
        fprintf((FILE *)ctx, "%s\n", ss58);
}

static int cmd_accounts(struct trusted *t, bool create, FILE *out)
{
    char dir[512];
    keystore_dir(t, dir, sizeof(dir));
    struct keystore ks;
    enum itee_err r = ITEE_OK;
    if (create) {
        r = keystore_open(&ks, "./my_trusted_keystore");
        if (r == ITEE_OK)
            r = keystore_open(&ks, dir);
        uint8_t pub[KEYS_PUBLIC_MAX];
        size_t len = 0;
        if (r == ITEE_OK)
            r = keystore_generate(&ks, "sr25", 4, pub, &len);
        if (r == ITEE_OK)
            print_key(out, pub, len);
    } else {
        memset(&ks, 0, sizeof(ks));
        (void)snprintf(ks.dir, sizeof(ks.dir), "%s", dir);
        r = keystore_list(&ks, "sr25", 4, print_key, out);
    }
    return r == ITEE_OK ? CLI_EXIT_OK : failf(t, dir, r);
}

/* Parses trusted options; returns the index of the command or -1. */
static int parse_opts(struct trusted *t, int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "-m") == 0 || strcmp(a, "--mrenclave") == 0)
            slot = &t->mrenclave_arg;
        else if (strcmp(a, "-s") == 0 || strcmp(a, "--shard") == 0)
            slot = &t->shard_arg;
        else if (strcmp(a, "-a") == 0 || strcmp(a, "--xt-signer") == 0)
            slot = &t->xt_signer;
        else if (strcmp(a, "-d") == 0 || strcmp(a, "--direct") == 0)
            t->direct = true;
        else if (strcmp(a, "--insecure-skip-tls-verify") == 0)
            t->insecure = true;
        else {
            fprintf(t->err, "integritee-cli: unknown trusted option %s\n", a);
            return -1;
        }
        if (slot != NULL) {
            if (i + 1 >= argc) {
                fprintf(t->err, "integritee-cli: %s needs a value\n", a);
                return -1;
            }
            *slot = argv[++i];
        }
    }
    if (i >= argc) {
        fprintf(t->err, "integritee-cli: usage: trusted [-m MRENCLAVE] [-s SHARD] [-a XT_SIGNER] "
                        "[--direct] <new-account|list-accounts|transfer|set-balance|balance|"
                        "unshield-funds|nonce|get-shard|get-shard-vault> ...\n");
        return -1;
    }
    return i;
}

int cli_trusted_main(const struct cli_opts *o, int argc, char **argv, FILE *out, FILE *err)
{
    struct trusted t;
    memset(&t, 0, sizeof(t));
    t.o = o;
    t.err = err;
    t.xt_signer = "//Alice";
    int i = parse_opts(&t, argc, argv);
    if (i < 0)
        return CLI_EXIT_USAGE;
    const char *cmd = argv[i];
    static const char *const known[] = {
        "new-account",    "list-accounts", "transfer",  "set-balance",     "balance",
        "unshield-funds", "nonce",         "get-shard", "get-shard-vault", NULL};
    bool ok = false;
    for (size_t k = 0; known[k] != NULL; k++)
        ok = ok || strcmp(known[k], cmd) == 0;
    if (!ok) {
        fprintf(err, "integritee-cli: unknown trusted command: %s\n", cmd);
        return CLI_EXIT_USAGE;
    }
    int code = connect_worker(&t);
    if (code == CLI_EXIT_OK) {
        if (strcmp(cmd, "new-account") == 0 || strcmp(cmd, "list-accounts") == 0)
            code = cmd_accounts(&t, cmd[0] == 'n', out);
        else if (strcmp(cmd, "balance") == 0 || strcmp(cmd, "nonce") == 0)
            code = cmd_balance_nonce(&t, cmd[0] == 'n', argc - i, argv + i, out);
        else if (strcmp(cmd, "get-shard") == 0)
            code = cmd_get_shard(&t, out);
        else if (strcmp(cmd, "get-shard-vault") == 0) {
            struct itee_buf v;
            itee_buf_init(&v, 0);
            enum itee_err r = call_rv(&t, "author_getShardVault", NULL, &v);
            if (r == ITEE_OK && v.len >= 32) {
                char ss58[64];
                (void)ss58_encode(ss58, sizeof(ss58), TRUSTED_SS58, v.ptr, 32);
                fprintf(out, "%s\n", ss58);
            } else {
                code = CLI_EXIT_FAIL;
            }
            itee_buf_free(&v);
        } else
            code = cmd_call(&t, argc - i, argv + i, out);
    }
    trusted_close(&t);
    return code;
}

int cli_trusted_shield_funds(const struct cli_opts *o, int argc, char **argv, FILE *out, FILE *err)
{
    if (argc != 5) {
        fprintf(err, "integritee-cli: usage: shield-funds <from> <to_incognito> <amount> "
                     "<shard_b58>\n");
        return CLI_EXIT_USAGE;
    }
    struct trusted t;
    memset(&t, 0, sizeof(t));
    t.o = o;
    t.err = err;
    t.shard_arg = argv[4];
    struct keys_pair from;
    bool have = false;
    uint8_t from_acc[32], to[32];
    itee_u128 amount;
    if (cli_base_account(argv[1], from_acc, &from, &have) != ITEE_OK || !have) {
        fprintf(err, "integritee-cli: <from> must be a secret URI (//Alice, 0x seed, phrase)\n");
        return CLI_EXIT_USAGE;
    }
    int code = CLI_EXIT_USAGE;
    bool unused;
    if (cli_base_account(argv[2], to, NULL, &unused) != ITEE_OK ||
        itee_u128_from_dec(argv[3], strlen(argv[3]), &amount) != ITEE_OK) {
        fprintf(err, "integritee-cli: bad <to_incognito> or <amount>\n");
        goto done;
    }
    if ((code = connect_worker(&t)) != CLI_EXIT_OK)
        goto done;
    struct rsa_key *key = NULL;
    struct itee_buf ct, args, call;
    itee_buf_init(&ct, 0);
    itee_buf_init(&args, 0);
    itee_buf_init(&call, 0);
    struct node_api_receipt rc;
    memset(&rc, 0, sizeof(rc));
    enum itee_err r = shielding_key(&t, &key);
    if (r == ITEE_OK)
        r = rsa_encrypt(key, to, 32, &ct);
    if (r == ITEE_OK)
        r = scale_put_bytes(&args, t.shard, 32);
    if (r == ITEE_OK)
        r = scale_put_vec_u8(&args, ct.ptr, ct.len);
    if (r == ITEE_OK)
        r = scale_put_u128(&args, amount);
    if (r == ITEE_OK)
        r = node_api_call(&t.api, "EnclaveBridge", "shield_funds", itee_buf_slice(&args), &call);
    if (r == ITEE_OK)
        r = node_api_submit(&t.api, &from, itee_buf_slice(&call), NODE_API_WAIT_FINALIZED,
                            o->timeout_ms, &rc);
    if (r != ITEE_OK) {
        code = failf(&t, "shield-funds", r);
    } else if (!rc.success) {
        fprintf(err, "integritee-cli: shield-funds failed: %s\n", rc.error);
        code = CLI_EXIT_FAIL;
    } else {
        char h[67];
        node_api_hex32(h, rc.tx_hash);
        fprintf(out, "[+] shield funds success. extrinsic hash: %s\n", h);
        code = CLI_EXIT_OK;
    }
    node_api_receipt_clear(&rc);
    rsa_key_free(key);
    itee_buf_free(&ct);
    itee_buf_free(&args);
    itee_buf_free(&call);
done:
    keys_pair_clear(&from);
    trusted_close(&t);
    return code;
}
