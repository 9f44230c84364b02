/*
 * main.c - integritee-node: the parentchain node program. Parses Substrate-style flags, loads
 * the chain spec (built-in dev/local or a JSON file, plain or raw), opens the chain database
 * (creating genesis), serves JSON-RPC on one port (WebSocket + HTTP) and Prometheus metrics on
 * another, and produces a block every slot as the single dev authority //Alice, all on one
 * libuv loop.
 *
 * Usage: integritee-node [purge-chain|build-spec [--raw]] [--dev] [--chain dev|local|FILE]
 *        [--tmp] [--base-path DIR] [--rpc-port N] [--rpc-external] [--rpc-methods M]
 *        [--rpc-max-connections N] [--prometheus-port N] [--prometheus-external]
 *        [--no-prometheus] [--name NAME] [--block-time-ms MS] [--log-level LEVEL] [--version]
 *        [--help]
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
#include "node/chain_spec.h"
#include "node/metrics.h"
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
    "  build-spec [--raw]     print the chain specification as JSON (--raw: genesis storage)\n"
    "\n"
    "Options:\n"
    "  --dev                  development chain (//Alice authority and sudo), --chain dev\n"
    "  --chain <dev|local|FILE>  chain to run: built-in, or a chain spec file (plain or raw)\n"
    "  --tmp                  use a throwaway database and keystore directory\n"
    "  --state-pruning <N|archive>  keep the state of the last N blocks (default 256)\n"
    "  --base-path <DIR>      database and keystore root (chains/<id>/{db,keystore})\n"
    "  --rpc-port <PORT>      JSON-RPC port (default 9944, 0 = any free port)\n"
    "  --rpc-external         listen on all interfaces\n"
    "  --rpc-methods <auto|safe|unsafe>  unsafe methods (author_rotateKeys, ...) allowed?\n"
    "                         auto (default): only when RPC listens on loopback\n"
    "  --rpc-max-connections <N>  simultaneous RPC connections (default 100)\n"
    "  --prometheus-port <P>  Prometheus metrics port (default 9615, 0 = any free port)\n"
    "  --prometheus-external  metrics on all interfaces\n"
    "  --no-prometheus        no metrics server\n"
    "  --name <NAME>          node name\n"
    "  --block-time-ms <MS>   slot duration (default 6000)\n"
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
    uint32_t state_pruning; /* states kept, 0: archive */
    const char *base_path;
    enum itee_log_level level;
    const char *chain;       /* --chain: dev, local or a spec file */
    const char *rpc_methods; /* --rpc-methods: auto, safe, unsafe */
    uint16_t prom_port;      /* --prometheus-port */
    bool prom_external;      /* --prometheus-external */
    bool no_prom;            /* --no-prometheus */
};

/* Prints the chain spec, plain or with every genesis storage entry (--raw). */
static int build_spec(const struct chain_spec *spec, bool raw)
{
    struct itee_buf out;
    itee_buf_init(&out, 0);
    enum itee_err e = chain_spec_write(spec, raw, &out);
    if (e == ITEE_OK && fwrite(out.ptr, 1, out.len, stdout) != out.len)
        e = ITEE_ERR_IO;
    itee_buf_free(&out);
    if (e != ITEE_OK) {
        fprintf(stderr, "integritee-node: cannot write the chain spec: %s%s\n", itee_strerror(e),
                e == ITEE_ERR_ARG ? " (a raw spec can only be written --raw)" : "");
        return 1;
    }
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
            o->chain = "dev";
        } else if (strcmp(a, "--tmp") == 0) {
            o->tmp = true;
        } else if (strcmp(a, "--raw") == 0) {
            o->raw = true;
        } else if (strcmp(a, "--state-pruning") == 0) {
            if (val == NULL)
                return usage_error("missing value for", a);
            i++;
            if (strcmp(val, "archive") == 0 || strcmp(val, "archive-canonical") == 0)
                o->state_pruning = 0;
            else if (parse_u64(val, UINT32_MAX, &v) && v > 0)
                o->state_pruning = (uint32_t)v;
            else
                return usage_error("invalid --state-pruning (a block count or archive)", val);
        } else if (strcmp(a, "--rpc-external") == 0 || strcmp(a, "--unsafe-rpc-external") == 0) {
            cfg->rpc_external = true;
        } else if (strcmp(a, "--prometheus-external") == 0) {
            o->prom_external = true;
        } else if (strcmp(a, "--no-prometheus") == 0) {
            o->no_prom = true;
        } else if (strcmp(a, "-y") == 0) {
            /* purge-chain confirmation: always assumed */
        } else if (val == NULL &&
                   (strcmp(a, "--chain") == 0 || strcmp(a, "--base-path") == 0 ||
                    strcmp(a, "-d") == 0 || strcmp(a, "--rpc-port") == 0 ||
                    strcmp(a, "--rpc-max-connections") == 0 || strcmp(a, "--name") == 0 ||
                    strcmp(a, "--block-time-ms") == 0 || strcmp(a, "--log-level") == 0 ||
                    strcmp(a, "--prometheus-port") == 0 || strcmp(a, "-l") == 0 ||
                    strcmp(a, "--rpc-methods") == 0)) {
            return usage_error("missing value for", a);
        } else if (strcmp(a, "--chain") == 0) {
            o->chain = argv[++i];
        } else if (strcmp(a, "--rpc-methods") == 0) {
            o->rpc_methods = argv[++i];
            if (strcmp(val, "auto") != 0 && strcmp(val, "safe") != 0 && strcmp(val, "unsafe") != 0)
                return usage_error("invalid --rpc-methods (auto, safe or unsafe)", val);
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
            o->prom_port = (uint16_t)v;
        } else if (strcmp(a, "--log-level") == 0 || strcmp(a, "-l") == 0) {
            if (itee_log_parse_level(argv[++i], &o->level) != 0)
                return usage_error("invalid --log-level", val);
        } else {
            return usage_error("unexpected argument", a);
        }
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

/* The built-in dev / local spec, or a spec file. Returns: 0 or the exit code after a message. */
static int load_spec(const char *chain, struct chain_spec *spec, enum genesis_chain *which)
{
    char why[CHAIN_SPEC_WHY_LEN];
    enum itee_err e;
    *which = GENESIS_DEV;
    if (chain == NULL || strcmp(chain, "dev") == 0) {
        e = chain_spec_builtin(spec, GENESIS_DEV);
    } else if (strcmp(chain, "local") == 0 || chain[0] == '\0') {
        *which = GENESIS_LOCAL;
        e = chain_spec_builtin(spec, GENESIS_LOCAL);
    } else {
        e = chain_spec_load(spec, chain, why);
        if (e != ITEE_OK) {
            fprintf(stderr, "integritee-node: invalid chain spec %s: %s\n", chain, why);
            return 1;
        }
    }
    if (e != ITEE_OK) {
        fprintf(stderr, "integritee-node: cannot build the chain spec: %s\n", itee_strerror(e));
        return 1;
    }
    return 0;
}

/* Scrape-time values for Prometheus. */
static void node_gauges(void *ctx, struct metrics_gauges *g)
{
    struct node *n = ctx;
    g->best = n->db.best_number;
    g->finalized = n->db.best_number; /* every block is finalized at once */
    (void)txq_bytes(&n->pool.q, true, &g->ready);
    g->leaves = 1; /* one authority: no forks */
    g->name = n->cfg.name;
    g->version = NODE_VERSION;
    g->chain = n->cfg.chain_id;
}

/* Starts the metrics server; a port in use costs the metrics, not the node. */
static struct metrics_server *start_metrics(struct node *n, const struct opts *o)
{
    struct metrics_server *ms = NULL;
    const char *host = o->prom_external ? "0.0.0.0" : "127.0.0.1";
    if (o->no_prom)
        return NULL;
    enum itee_err e =
        metrics_server_start(&ms, n->loop, host, o->prom_port, &n->metrics, node_gauges, n);
    if (e != ITEE_OK) {
        log_warn("cannot serve Prometheus metrics on %s:%u: %s", host, (unsigned)o->prom_port,
                 itee_strerror(e));
        return NULL;
    }
    log_info("Prometheus exporter started at %s:%u", host, (unsigned)metrics_server_port(ms));
    return ms;
}

int main(int argc, char **argv)
{
    static struct node n; /* large (pool ban ring); lives for the whole program */
    static struct chain_spec spec;
    struct metrics_server *prom = NULL;
    struct opts o = {.level = ITEE_LOG_INFO,
                     .state_pruning = CHAIN_DB_PRUNING_DEFAULT,
                     .prom_port = METRICS_DEFAULT_PORT};
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
    if ((rc = load_spec(o.chain, &spec, &n.cfg.chain)) != 0)
        return rc;
    n.cfg.chain_name = spec.name;
    n.cfg.chain_id = spec.id;
    n.cfg.chain_type = spec.chain_type;
    if (o.cmd && strcmp(o.cmd, "build-spec") == 0) {
        rc = build_spec(&spec, o.raw);
        chain_spec_free(&spec);
        return rc;
    }
    metrics_init(&n.metrics, (double)node_now_ms() / 1e3);

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
    char ksdir[4096]; /* next to db: chains/<id>/keystore */
    int kl = snprintf(ksdir, sizeof(ksdir), "%.*s/keystore", (int)(strlen(dir) - 3), dir);
    if (kl <= 0 || (size_t)kl >= sizeof(ksdir) || keystore_open(&n.keystore, ksdir) != ITEE_OK) {
        fprintf(stderr, "integritee-node: cannot create the keystore %s\n", ksdir);
        return 1;
    }
    n.deny_unsafe =
        (o.rpc_methods != NULL && strcmp(o.rpc_methods, "safe") == 0) ||
        ((o.rpc_methods == NULL || strcmp(o.rpc_methods, "auto") == 0) && n.cfg.rpc_external);

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
    struct genesis_source src;
    chain_spec_source(&spec, &src);
    if (e == ITEE_OK)
        e = chain_db_open(&n.db, dir, o.tmp, &src);
    if (e != ITEE_OK) {
        log_error("cannot open the chain database: %s", itee_strerror(e));
        return 1;
    }
    chain_db_set_pruning(&n.db, o.state_pruning);
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
    if (n.deny_unsafe)
        log_info("Unsafe RPC methods are refused (--rpc-methods)");
    prom = start_metrics(&n, &o);
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
    metrics_server_stop(prom);
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
        keystore_purge(&n.keystore);
        remove_dir(dir);
        char p[4096];
        int k = snprintf(p, sizeof(p), "%s/chains/%s", tmpl, n.cfg.chain_id);
        (void)k;
        (void)rmdir(p);
        k = snprintf(p, sizeof(p), "%s/chains", tmpl);
        (void)rmdir(p);
        (void)rmdir(tmpl);
    }
    chain_spec_free(&spec); /* n.cfg's names point into it */
    return 0;
}
