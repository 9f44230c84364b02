/*
 * service_cfg.c - integritee-service's command line (see service_cfg.h).
 */
#include "service/service_cfg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base58.h"

static const char k_usage[] =
    "Usage: integritee-service [OPTIONS] <SUBCOMMAND>\n"
    "\n"
    "Subcommands:\n"
    "  run [SHARD] [--skip-ra] [--dev]   run the worker (SHARD base58, default = MRENCLAVE)\n"
    "  mrenclave                         print the enclave's MRENCLAVE (base58)\n"
    "  shielding-key                     write enclave-shielding-pubkey.json here\n"
    "  signing-key                       write enclave-signing-pubkey.bin here\n"
    "  init-shard [SHARD]                create a shard's empty state\n"
    "\n"
    "Options:\n"
    "  -u, --integritee-rpc-url <URL>    parentchain node (default ws://127.0.0.1)\n"
    "  -p, --integritee-rpc-port <PORT>  parentchain node port (default 9944)\n"
    "  -d, --data-dir <DIR>              keys, shards, light client (default: current dir)\n"
    "      --ws-external                 servers listen on 0.0.0.0\n"
    "  -r, --mu-ra-port <PORT>           state provisioning port (default 3443)\n"
    "  -P, --trusted-worker-port <PORT>  trusted wss JSON-RPC, TLS ends in the enclave (2000)\n"
    "  -w, --untrusted-worker-port <PORT> untrusted ws JSON-RPC (default 2001)\n"
    "  -T, --trusted-external-address <URL>   URL registered on the parentchain\n"
    "  -U, --untrusted-external-address <URL> URL answered by author_getUntrustedUrl\n"
    "  -M, --mu-ra-external-address <ADDR>    address answered by author_getMuRaUrl\n"
    "  -h, --untrusted-http-port <PORT>  GET /is_initialized, /metrics (default 4545)\n"
    "  (server ports may be 0: any free port, printed at start)\n"
    "      --enable-metrics              Prometheus metrics server\n"
    "  -i, --metrics-port <PORT>         metrics port (default 8787)\n"
    "  -c, --clean-reset                 purge light client, shards (unless <name>.protect)\n"
    "      --mode <offchain-worker|sidechain|teeracle>  worker mode (default offchain-worker)\n"
    "      --enclave <PATH>              enclave library (default: ../lib next to the binary)\n"
    "      --log-level <LEVEL>           error|warn|info|debug|trace (default info)\n"
    "      --help, --version\n"
    "\n"
    "This build has no SGX: the enclave runs in SOFTWARE MODE and protects nothing from the\n"
    "machine's owner; its MRENCLAVE is the SHA-256 of the library file.\n";

const char *service_cfg_usage(void)
{
    return k_usage;
}

static bool copy_str(char *dst, const char *src)
{
    size_t n = strlen(src);
    if (n >= SERVICE_CFG_STR_MAX)
        return false;
    memcpy(dst, src, n + 1);
    return true;
}

static bool parse_port(const char *s, uint16_t *out)
{
    char *end = NULL;
    unsigned long v = strtoul(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || *end != '\0' || v > 65535)
        return false;
    *out = (uint16_t)v;
    return true;
}

enum itee_err service_cfg_external(char out[SERVICE_CFG_STR_MAX], const char *in, uint16_t port)
{
    size_t parts = 1;
    for (const char *p = in; *p; p++)
        parts += *p == ':';
    bool append = parts == 1 || (parts == 2 && strstr(in, "ws") != NULL);
    int n = append ? snprintf(out, SERVICE_CFG_STR_MAX, "%s:%u", in, (unsigned)port)
                   : snprintf(out, SERVICE_CFG_STR_MAX, "%s", in);
    return (n < 0 || n >= SERVICE_CFG_STR_MAX) ? ITEE_ERR_SPACE : ITEE_OK;
}

static void defaults(struct service_cfg *c)
{
    memset(c, 0, sizeof(*c));
    c->cmd = SERVICE_CMD_HELP;
    c->mode = SERVICE_MODE_OFFCHAIN_WORKER;
    (void)copy_str(c->node_url, "ws://127.0.0.1");
    c->node_port = 9944;
    (void)copy_str(c->data_dir, ".");
    c->mu_ra_port = 3443;
    c->trusted_port = 2000;
    c->untrusted_port = 2001;
    c->http_port = 4545;
    c->metrics_port = 8787;
    (void)snprintf(c->log_level, sizeof(c->log_level), "info");
}

struct flag {
    const char *s, *l; /* short and long names */
    int kind;          /* 0 switch, 1 string, 2 port */
    size_t off;        /* offsetof the field */
};

#define F_SW(s, l, f)                                                                              \
    {                                                                                              \
        s, l, 0, offsetof(struct service_cfg, f)                                                   \
    }
#define F_STR(s, l, f)                                                                             \
    {                                                                                              \
        s, l, 1, offsetof(struct service_cfg, f)                                                   \
    }
#define F_PORT(s, l, f)                                                                            \
    {                                                                                              \
        s, l, 2, offsetof(struct service_cfg, f)                                                   \
    }

static const struct flag k_global[] = {
    F_STR("-u", "--integritee-rpc-url", node_url),
    F_STR(NULL, "--node-url", node_url),
    F_PORT("-p", "--integritee-rpc-port", node_port),
    F_PORT(NULL, "--node-port", node_port),
    F_STR("-d", "--data-dir", data_dir),
    F_SW(NULL, "--ws-external", ws_external),
    F_PORT("-r", "--mu-ra-port", mu_ra_port),
    F_PORT("-P", "--trusted-worker-port", trusted_port),
    F_PORT("-w", "--untrusted-worker-port", untrusted_port),
    F_STR("-T", "--trusted-external-address", trusted_external),
    F_STR("-U", "--untrusted-external-address", untrusted_external),
    F_STR("-M", "--mu-ra-external-address", mu_ra_external),
    F_PORT("-h", "--untrusted-http-port", http_port),
    F_SW(NULL, "--enable-metrics", enable_metrics),
    F_PORT("-i", "--metrics-port", metrics_port),
    F_SW("-c", "--clean-reset", clean_reset),
    F_STR(NULL, "--enclave", enclave_path),
};

static const struct flag *find_flag(const char *arg)
{
    for (size_t i = 0; i < sizeof(k_global) / sizeof(k_global[0]); i++)
        if ((k_global[i].s && strcmp(arg, k_global[i].s) == 0) || strcmp(arg, k_global[i].l) == 0)
            return &k_global[i];
    return NULL;
}

__attribute__((format(printf, 2, 3))) static enum itee_err fail(char err[SERVICE_CFG_ERR_MAX],
                                                                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(err, SERVICE_CFG_ERR_MAX, fmt, ap);
    va_end(ap);
    return ITEE_ERR_ARG;
}

static enum itee_err parse_mode(struct service_cfg *c, const char *v, char *err)
{
    if (strcmp(v, "offchain-worker") == 0)
        c->mode = SERVICE_MODE_OFFCHAIN_WORKER;
    else if (strcmp(v, "sidechain") == 0)
        c->mode = SERVICE_MODE_SIDECHAIN;
    else if (strcmp(v, "teeracle") == 0)
        c->mode = SERVICE_MODE_TEERACLE;
    else
        return fail(err, "unknown --mode '%s' (offchain-worker, sidechain, teeracle)", v);
    return ITEE_OK;
}

static enum itee_err set_flag(struct service_cfg *c, const struct flag *f, const char *v, char *err)
{
    char *base = (char *)c;
    if (f->kind == 1) {
        if (!copy_str(base + f->off, v))
            return fail(err, "value of %s is too long", f->l);
        if (f->off == offsetof(struct service_cfg, data_dir))
            c->data_dir_given = true;
        return ITEE_OK;
    }
    if (!parse_port(v, (uint16_t *)(void *)(base + f->off)))
        return fail(err, "%s needs a port number 0..65535", f->l);
    return ITEE_OK;
}

static bool is_valid_shard(const char *s)
{
    uint8_t b[64];
    size_t n = 0;
    return itee_base58_decode(b, sizeof(b), &n, s, strlen(s)) == ITEE_OK && n == 32;
}

/* Parses the subcommand at argv[i..]. */
static enum itee_err parse_sub(struct service_cfg *c, int i, int argc, char *const *argv, char *err)
{
    const char *sub = argv[i++];
    if (strcmp(sub, "run") == 0)
        c->cmd = SERVICE_CMD_RUN;
    else if (strcmp(sub, "mrenclave") == 0)
        c->cmd = SERVICE_CMD_MRENCLAVE;
    else if (strcmp(sub, "shielding-key") == 0)
        c->cmd = SERVICE_CMD_SHIELDING_KEY;
    else if (strcmp(sub, "signing-key") == 0)
        c->cmd = SERVICE_CMD_SIGNING_KEY;
    else if (strcmp(sub, "init-shard") == 0)
        c->cmd = SERVICE_CMD_INIT_SHARD;
    else
        return fail(err, "unknown subcommand '%s' (try --help)", sub);
    bool takes_shard = c->cmd == SERVICE_CMD_RUN || c->cmd == SERVICE_CMD_INIT_SHARD;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (c->cmd == SERVICE_CMD_RUN && strcmp(a, "--skip-ra") == 0)
            c->skip_ra = true;
        else if (c->cmd == SERVICE_CMD_RUN && (strcmp(a, "--dev") == 0 || strcmp(a, "-d") == 0))
            c->dev = true;
        else if (takes_shard && a[0] != '-' && c->shard[0] == '\0') {
            if (!is_valid_shard(a))
                return fail(err, "shard '%s' is not the base58 form of 32 bytes", a);
            (void)copy_str(c->shard, a);
        } else {
            return fail(err, "unexpected argument '%s' for this subcommand", a);
        }
    }
    return ITEE_OK;
}

enum itee_err service_cfg_parse(struct service_cfg *c, int argc, char *const *argv,
                                char err[SERVICE_CFG_ERR_MAX])
{
    defaults(c);
    err[0] = '\0';
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) {
            c->cmd = SERVICE_CMD_HELP;
            return ITEE_OK;
        }
        if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            c->cmd = SERVICE_CMD_VERSION;
            return ITEE_OK;
        }
        const struct flag *f = find_flag(a);
        bool is_mode = strcmp(a, "--mode") == 0, is_log = strcmp(a, "--log-level") == 0;
        if (f == NULL && !is_mode && !is_log)
            return fail(err, "unknown option '%s' (try --help)", a);
        if (f != NULL && f->kind == 0) {
            *(bool *)(void *)((char *)c + f->off) = true;
            continue;
        }
        if (i + 1 >= argc)
            return fail(err, "%s needs a value", a);
        const char *v = argv[++i];
        enum itee_err r;
        if (is_mode)
            r = parse_mode(c, v, err);
        else if (is_log)
            r = (size_t)snprintf(c->log_level, sizeof(c->log_level), "%s", v) < sizeof(c->log_level)
                    ? ITEE_OK
                    : fail(err, "bad --log-level '%s'", v);
        else
            r = set_flag(c, f, v, err);
        if (r != ITEE_OK)
            return r;
    }
    if (c->node_port == 0)
        return fail(err, "%s", "--integritee-rpc-port must be 1..65535");
    if (i >= argc)
        return fail(err, "%s",
                    "missing subcommand (run, mrenclave, shielding-key, signing-key, "
                    "init-shard; try --help)");
    enum itee_err r = parse_sub(c, i, argc, argv, err);
    if (r != ITEE_OK)
        return r;
    /* -T/-U/-M default to the local address and get their port by the original's rule */
    const char *ip = c->ws_external ? "0.0.0.0" : "127.0.0.1";
    char def[SERVICE_CFG_STR_MAX];
    struct {
        char *field;
        const char *scheme;
        uint16_t port;
    } ext[3] = {{c->trusted_external, "wss://", c->trusted_port},
                {c->untrusted_external, "ws://", c->untrusted_port},
                {c->mu_ra_external, "", c->mu_ra_port}};
    for (int k = 0; k < 3; k++) {
        if (ext[k].field[0] == '\0')
            (void)snprintf(def, sizeof(def), "%s%s", ext[k].scheme, ip);
        else
            (void)snprintf(def, sizeof(def), "%s", ext[k].field);
        if (service_cfg_external(ext[k].field, def, ext[k].port) != ITEE_OK)
            return fail(err, "%s", "external address too long");
    }
    return ITEE_OK;
}
