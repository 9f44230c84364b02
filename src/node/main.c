/*
 * main.c - integritee-node: the parentchain node program. Parses Substrate-style flags, opens
 * the chain database (creating genesis), serves JSON-RPC on one port (WebSocket + HTTP) and
 * produces a block every slot as the single dev authority //Alice, all on one libuv loop.
 *
 * Usage: integritee-node [purge-chain|build-spec [--raw]] [--dev] [--chain dev|local] [--tmp]
 *        [--base-path DIR] [--rpc-port N] [--rpc-external] [--rpc-max-connections N]
 *        [--name NAME] [--block-time-ms MS] [--log-level LEVEL] [--version] [--help]
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chain/block.h"
#include "common/hex.h"
#include "common/log.h"
#include "common/mem.h"
#include "keys/suri.h"
#include "node/node.h"
#include "node/producer.h"
#include "node/rpc_node.h"
#include "node/runtime/rt_api.h"
#include "node/runtime/rt_metadata.h"

#define EXIT_USAGE 2

static const char k_usage[] =
    "Usage: integritee-node [SUBCOMMAND] [OPTIONS]\n"
    "\n"
    "Subcommands:\n"
    "  purge-chain            remove the chain database (with --base-path / --chain)\n"
    "  build-spec [--raw]     print the chain specification as JSON\n"
    "\n"
    "Options:\n"
    "  --dev                  development chain (//Alice authority and sudo), --chain dev\n"
    "  --chain <dev|local>    chain to run\n"
    "  --tmp                  use a throwaway database directory\n"
    "  --base-path <DIR>      database directory root\n"
    "  --rpc-port <PORT>      JSON-RPC port (default 9944, 0 = any free port)\n"
    "  --rpc-external         listen on all interfaces\n"
    "  --rpc-max-connections <N>  simultaneous RPC connections (default 100)\n"
    "  --name <NAME>          node name\n"
    "  --block-time-ms <MS>   slot duration (default 6000)\n"
    "  --prometheus-port <P>  accepted, no metrics server yet\n"
    "  --log-level <LEVEL>    error|warn|info|debug|trace (default info)\n"
    "  --version              print the version\n"
    "  --help                 this text\n";

uint64_t node_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Log lines as Substrate prints them: local time, then the message. */
static void log_sink(void *ctx, enum itee_log_level level, const char *line)
{
    (void)ctx;
    (void)level;
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    if (strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm) == 0)
        ts[0] = '\0';
    fprintf(stderr, "%s %s\n", ts, line);
    fflush(stderr);
}

/* Removes dir and the files in it (the store is one flat directory). */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *de;
    char path[4096];
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        int k = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        if (k > 0 && (size_t)k < sizeof(path))
            (void)unlink(path);
    }
    closedir(d);
    (void)rmdir(dir);
}

/* mkdir -p. */
static int mkdirs(const char *path)
{
    char tmp[4096];
    int k = snprintf(tmp, sizeof(tmp), "%s", path);
    if (k <= 0 || (size_t)k >= sizeof(tmp))
        return -1;
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return mkdir(tmp, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v > max)
        return false;
    *out = v;
    return true;
}

static void on_signal(uv_signal_t *s, int signum)
{
    struct node *n = s->data;
    log_info("Received signal %d, shutting down", signum);
    uv_stop(n->loop);
}

struct opts {
    const char *cmd; /* NULL, "purge-chain", "build-spec" */
    bool raw, tmp;
    const char *base_path;
    enum itee_log_level level;
};

static bool spec_kv(void *c, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    json_t *top = c;
    char ks[2 * TRIE_KEY_MAX + 3] = "0x";
    if (itee_hex_encode(ks + 2, sizeof(ks) - 2, k, kl) != ITEE_OK)
        return false;
    size_t cap = 2 * vl + 3;
    char *vs = malloc(cap);
    if (vs == NULL)
        return false;
    vs[0] = '0';
    vs[1] = 'x';
    if (itee_hex_encode(vs + 2, cap - 2, v, vl) == ITEE_OK)
        json_object_set_new(top, ks, json_string(vs));
    free(vs);
    return true;
}

/* Prints a chain spec: names and properties, and with --raw the genesis storage. */
static int build_spec(const struct node_config *cfg, bool raw)
{
    struct trie *t = NULL;
    struct rt_state *st = NULL;
    json_t *top = json_object();
    if (raw) {
        if (trie_new(&t, TRIE_LAYOUT_V0, NULL) != ITEE_OK || rt_state_new(&st, t) != ITEE_OK ||
            genesis_build(st, cfg->chain) != ITEE_OK || rt_state_commit(st) != ITEE_OK)
            return 1;
    }
    json_t *spec = json_pack("{s:s,s:s,s:s,s:[],s:n,s:n,s:{s:i,s:i,s:s}}", "name", cfg->chain_name,
                             "id", cfg->chain_id, "chainType", cfg->chain_type, "bootNodes",
                             "telemetryEndpoints", "protocolId", "properties", "ss58Format", 13,
                             "tokenDecimals", 12, "tokenSymbol", "TEER");
    if (raw) {
        /* every key of the genesis state */
        if (trie_iter(t, NULL, 0, NULL, 0, 0, true, spec_kv, top) != ITEE_OK)
            return 1;
        json_object_set_new(spec, "genesis",
                            json_pack("{s:{s:o,s:{}}}", "raw", "top", top, "childrenDefault"));
    } else {
        json_decref(top);
        json_object_set_new(spec, "genesis", json_pack("{s:s}", "runtimeGenesis", "built in"));
    }
    char *text = json_dumps(spec, JSON_INDENT(2));
    if (text)
        printf("%s\n", text);
    free(text);
    json_decref(spec);
    rt_state_free(st);
    trie_free(t);
    return 0;
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "integritee-node: %s%s%s (see --help)\n", msg, arg ? ": " : "", arg ? arg : "");
    return EXIT_USAGE;
}

static int parse_args(int argc, char **argv, struct node_config *cfg, struct opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = (i + 1 < argc) ? argv[i + 1] : NULL;
        uint64_t v;
        if (i == 1 && (strcmp(a, "purge-chain") == 0 || strcmp(a, "build-spec") == 0)) {
            o->cmd = a;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(k_usage, stdout);
            exit(0);
        } else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("integritee-node %s\n", NODE_VERSION);
            exit(0);
        } else if (strcmp(a, "--dev") == 0) {
            cfg->chain = GENESIS_DEV;
        } else if (strcmp(a, "--tmp") == 0) {
            o->tmp = true;
        } else if (strcmp(a, "--raw") == 0) {
            o->raw = true;
        } else if (strcmp(a, "--rpc-external") == 0 || strcmp(a, "--unsafe-rpc-external") == 0) {
            cfg->rpc_external = true;
        } else if (strcmp(a, "-y") == 0) {
            /* purge-chain confirmation: always assumed */
        } else if (val == NULL &&
                   (strcmp(a, "--chain") == 0 || strcmp(a, "--base-path") == 0 ||
                    strcmp(a, "-d") == 0 || strcmp(a, "--rpc-port") == 0 ||
                    strcmp(a, "--rpc-max-connections") == 0 || strcmp(a, "--name") == 0 ||
                    strcmp(a, "--block-time-ms") == 0 || strcmp(a, "--log-level") == 0 ||
                    strcmp(a, "--prometheus-port") == 0 || strcmp(a, "-l") == 0)) {
            return usage_error("missing value for", a);
        } else if (strcmp(a, "--chain") == 0) {
            i++;
            if (strcmp(val, "dev") == 0)
                cfg->chain = GENESIS_DEV;
            else if (strcmp(val, "local") == 0)
                cfg->chain = GENESIS_LOCAL;
            else
                return usage_error("unsupported chain (dev or local)", val);
        } else if (strcmp(a, "--base-path") == 0 || strcmp(a, "-d") == 0) {
            o->base_path = argv[++i];
        } else if (strcmp(a, "--rpc-port") == 0) {
            if (!parse_u64(argv[++i], 65535, &v))
                return usage_error("invalid --rpc-port", val);
            cfg->rpc_port = (uint16_t)v;
        } else if (strcmp(a, "--rpc-max-connections") == 0) {
            if (!parse_u64(argv[++i], 100000, &v) || v == 0)
                return usage_error("invalid --rpc-max-connections", val);
            cfg->rpc_max_conns = (size_t)v;
        } else if (strcmp(a, "--name") == 0) {
            cfg->name = argv[++i];
        } else if (strcmp(a, "--block-time-ms") == 0) {
            if (!parse_u64(argv[++i], 3600000, &v) || v < 100)
                return usage_error("invalid --block-time-ms (>= 100)", val);
            cfg->block_time_ms = v;
        } else if (strcmp(a, "--prometheus-port") == 0) {
            if (!parse_u64(argv[++i], 65535, &v))
                return usage_error("invalid --prometheus-port", val);
        } else if (strcmp(a, "--log-level") == 0 || strcmp(a, "-l") == 0) {
            if (itee_log_parse_level(argv[++i], &o->level) != 0)
                return usage_error("invalid --log-level", val);
        } else {
            return usage_error("unexpected argument", a);
        }
    }
    if (cfg->chain == GENESIS_LOCAL) {
        cfg->chain_name = "Local Testnet";
        cfg->chain_id = "local_testnet";
        cfg->chain_type = "Local";
    }
    return 0;
}

/* Derives //Alice's AURA (sr25519) and GRANDPA (ed25519) keys. */
static enum itee_err load_keys(struct node *n)
{
    static const char suri[] = "//Alice";
    struct keys_pair ed;
    enum itee_err e = keys_pair_from_suri(&n->aura, KEYS_SCHEME_SR25519, suri, sizeof(suri) - 1);
    if (e == ITEE_OK)
        e = keys_pair_from_suri(&ed, KEYS_SCHEME_ED25519, suri, sizeof(suri) - 1);
    if (e == ITEE_OK) {
        n->grandpa = ed.k.ed;
        keys_pair_account_id(&n->aura, n->aura_account);
    }
    keys_pair_clear(&ed);
    return e;
}

int main(int argc, char **argv)
{
    static struct node n; /* large (pool ban ring); lives for the whole program */
    struct opts o = {.level = ITEE_LOG_INFO};
    n.cfg = (struct node_config){.chain = GENESIS_DEV,
                                 .chain_name = "Development",
                                 .chain_id = "dev",
                                 .chain_type = "Development",
                                 .name = "integritee-node-c",
                                 .block_time_ms = 6000,
                                 .rpc_port = 9944,
                                 .rpc_max_conns = NET_DEFAULT_MAX_CONNS};
    int rc = parse_args(argc, argv, &n.cfg, &o);
    if (rc != 0)
        return rc;
    itee_log_set_sink(log_sink, NULL);
    itee_log_set_level(o.level);
    if (o.cmd && strcmp(o.cmd, "build-spec") == 0)
        return build_spec(&n.cfg, o.raw);

    char dir[4096];
    char tmpl[] = "/tmp/integritee-node-XXXXXX";
    if (o.tmp) {
        if (mkdtemp(tmpl) == NULL) {
            fprintf(stderr, "integritee-node: cannot create a temporary directory\n");
            return 1;
        }
        int k = snprintf(dir, sizeof(dir), "%s/chains/%s/db", tmpl, n.cfg.chain_id);
        (void)k;
    } else {
        const char *base = o.base_path;
        char def[2048];
        if (base == NULL) {
            const char *home = getenv("HOME");
            int k =
                snprintf(def, sizeof(def), "%s/.local/share/integritee-node", home ? home : "/tmp");
            (void)k;
            base = def;
        }
        int k = snprintf(dir, sizeof(dir), "%s/chains/%s/db", base, n.cfg.chain_id);
        if (k <= 0 || (size_t)k >= sizeof(dir))
            return usage_error("base path too long", NULL);
    }
    if (o.cmd && strcmp(o.cmd, "purge-chain") == 0) {
        remove_dir(dir);
        fprintf(stderr, "\"%s\" removed.\n", dir);
        return 0;
    }
    if (mkdirs(dir) != 0) {
        fprintf(stderr, "integritee-node: cannot create %s\n", dir);
        return 1;
    }

    log_info("Integritee Node");
    log_info("version %s", NODE_VERSION);
    log_info("Chain specification: %s", n.cfg.chain_name);
    log_info("Node name: %s", n.cfg.name);
    log_info("Role: AUTHORITY");
    log_info("Database: LMDB at %s", dir);

    n.loop = uv_default_loop();
    pool_init(&n.pool);
    itee_buf_init(&n.md_v14, 0);
    enum itee_err e = load_keys(&n);
    if (e == ITEE_OK)
        e = chain_db_open(&n.db, dir, o.tmp, n.cfg.chain);
    if (e != ITEE_OK) {
        log_error("cannot open the chain database: %s", itee_strerror(e));
        return 1;
    }
    n.xchain.spec_version = RT_API_SPEC_VERSION;
    n.xchain.tx_version = RT_API_TRANSACTION_VERSION;
    memcpy(n.xchain.genesis_hash, n.db.genesis, 32);
    n.xchain.check_metadata_hash = true;
    if ((e = rt_metadata_build(&n.md)) != ITEE_OK ||
        (e = rt_metadata_v14(n.md, &n.md_v14)) != ITEE_OK) {
        log_error("cannot build the runtime metadata: %s", itee_strerror(e));
        return 1;
    }
    char gh[67] = "0x";
    if (itee_hex_encode(gh + 2, sizeof(gh) - 2, n.db.genesis, 32) != ITEE_OK)
        gh[2] = '\0';
    log_info("Initializing Genesis block/state (hash: %s)", gh);
    log_info("Best block #%" PRIu32 " (finalized #%" PRIu32 ")", n.db.best_number,
             n.db.best_number);

    struct rpc_limits lim = {0};
    struct net_server_config nc = {.host = n.cfg.rpc_external ? "0.0.0.0" : "127.0.0.1",
                                   .port = n.cfg.rpc_port,
                                   .max_conns = n.cfg.rpc_max_conns};
    if ((e = rpc_server_new(&n.rpc, &lim)) != ITEE_OK || (e = rpc_node_register(&n)) != ITEE_OK) {
        log_error("cannot set up the RPC server: %s", itee_strerror(e));
        return 1;
    }
    if ((e = net_server_start(&n.net, n.loop, &nc, n.rpc)) != ITEE_OK) {
        log_error("cannot listen on %s:%u: %s", nc.host, (unsigned)nc.port, itee_strerror(e));
        return 1;
    }
    log_info("Running JSON-RPC server: addr=%s:%u", nc.host, (unsigned)net_server_port(n.net));
    if ((e = producer_start(&n)) != ITEE_OK)
        return 1;

    uv_signal_t sigint, sigterm;
    uv_signal_init(n.loop, &sigint);
    uv_signal_init(n.loop, &sigterm);
    sigint.data = sigterm.data = &n;
    uv_signal_start(&sigint, on_signal, SIGINT);
    uv_signal_start(&sigterm, on_signal, SIGTERM);
    signal(SIGPIPE, SIG_IGN);

    uv_run(n.loop, UV_RUN_DEFAULT);

    /* orderly shutdown: close everything, let the close callbacks run */
    net_server_stop(n.net);
    uv_close((uv_handle_t *)&n.slot_timer, NULL);
    uv_close((uv_handle_t *)&n.fin_timer, NULL);
    uv_close((uv_handle_t *)&sigint, NULL);
    uv_close((uv_handle_t *)&sigterm, NULL);
    uv_run(n.loop, UV_RUN_DEFAULT);
    rpc_server_free(n.rpc);
    pool_free(&n.pool);
    itee_free(n.fin);
    metadata_builder_free(n.md);
    itee_buf_free(&n.md_v14);
    chain_db_close(&n.db);
    keys_pair_clear(&n.aura);
    ed25519_keypair_clear(&n.grandpa);
    if (o.tmp) {
        remove_dir(dir);
        char p[4096];
        int k = snprintf(p, sizeof(p), "%s/chains/%s", tmpl, n.cfg.chain_id);
        (void)k;
        (void)rmdir(p);
        k = snprintf(p, sizeof(p), "%s/chains", tmpl);
        (void)rmdir(p);
        (void)rmdir(tmpl);
    }
    return 0;
}
