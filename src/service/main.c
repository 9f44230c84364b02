/*
 * main.c - integritee-service: the worker host. Loads the enclave (software mode), and in `run`
 * connects to the parentchain node, funds (--dev) and registers the enclave, serves
 * GET /is_initialized and /metrics, and follows the parentchain. Flags and subcommands as the
 * original worker (src/service/service_cfg.h); errors are one line "integritee-service: ...".
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "common/base58.h"
#include "common/hex.h"
#include "common/log.h"
#include "keys/ss58.h"
#include "net/http_server.h"
#include "net/node_api.h"
#include "service/enclave_host.h"
#include "service/pc_import.h"
#include "service/service_cfg.h"
#include "service/trpc_server.h"
#include "service/worker_l1.h"

#define SERVICE_VERSION "0.13.0-c"
#define SERVICE_SS58    13                                  /* Integritee */
#define DEV_FUND_MIN    ((itee_u128)10 * 1000000000000ULL)  /* 10 TEER */
#define DEV_FUND_AMOUNT ((itee_u128)100 * 1000000000000ULL) /* 100 TEER */
#define NODE_TIMEOUT_MS 60000
#define EXIT_USAGE      2

/* What the status endpoint reports; written by the main thread, read by the loop. */
struct service_status {
    atomic_int registered;         /* the enclave is in Teerex */
    atomic_ulong blocks_processed; /* parentchain blocks imported */
    atomic_ulong calls_executed;   /* indirect calls executed in the enclave */
    atomic_ulong xts_sent;         /* extrinsics the enclave sent to the parentchain */
    atomic_ulong errors;           /* failures logged */
};

struct service {
    struct service_cfg cfg;
    struct enclave_host *host;
    struct node_api api;
    struct service_status status;
    uv_loop_t loop;
    uv_signal_t sigint, sigterm;
    struct http_server *http;
    struct trpc_server *trpc;
    atomic_int stop;
};

static int die(const char *what, enum itee_err r)
{
    fprintf(stderr, "integritee-service: %s: %s\n", what, itee_strerror(r));
    return 1;
}

/* Default enclave path: <dir of this program>/../lib/libintegritee-enclave.so. */
static int default_enclave_path(char *out, size_t cap)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
        return -1;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash == NULL)
        return -1;
    *slash = '\0';
    int k = snprintf(out, cap, "%s/../lib/libintegritee-enclave.so", self);
    return (k < 0 || (size_t)k >= cap) ? -1 : 0;
}

static int open_enclave(struct service *s)
{
    if (s->cfg.enclave_path[0] == '\0' &&
        default_enclave_path(s->cfg.enclave_path, sizeof(s->cfg.enclave_path)) != 0) {
        fprintf(stderr, "integritee-service: cannot locate the enclave; use --enclave <path>\n");
        return 1;
    }
    if (!s->cfg.data_dir_given)
        log_warn("no --data-dir given: keys and state go to the current directory");
    if (mkdir(s->cfg.data_dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "integritee-service: cannot create %s: %s\n", s->cfg.data_dir,
                strerror(errno));
        return 1;
    }
    enum itee_err r = enclave_host_open(&s->host, s->cfg.enclave_path, s->cfg.data_dir,
                                        s->cfg.dev ? EDL_INIT_DEV : 0);
    return r == ITEE_OK ? 0 : die(s->cfg.enclave_path, r);
}

static void print_b58(FILE *f, const char *label, const uint8_t b[32])
{
    char b58[64];
    if (itee_base58_encode(b58, sizeof(b58), b, 32) == ITEE_OK)
        fprintf(f, "%s%s\n", label, b58);
}

static int cmd_mrenclave(struct service *s)
{
    if (s->cfg.enclave_path[0] == '\0' &&
        default_enclave_path(s->cfg.enclave_path, sizeof(s->cfg.enclave_path)) != 0)
        return die("enclave path", ITEE_ERR_NOENT);
    uint8_t mr[32];
    enum itee_err r = enclave_host_measure(s->cfg.enclave_path, mr);
    if (r != ITEE_OK)
        return die(s->cfg.enclave_path, r);
    print_b58(stdout, "", mr);
    return 0;
}

static int write_file(const char *name, const uint8_t *p, size_t n)
{
    FILE *f = fopen(name, "wb");
    if (f == NULL || fwrite(p, 1, n, f) != n) {
        if (f != NULL)
            fclose(f);
        fprintf(stderr, "integritee-service: cannot write %s: %s\n", name, strerror(errno));
        return 1;
    }
    return fclose(f) == 0 ? 0 : 1;
}

static int cmd_keys(struct service *s)
{
    int rc = open_enclave(s);
    if (rc != 0)
        return rc;
    enum itee_err r;
    if (s->cfg.cmd == SERVICE_CMD_SHIELDING_KEY) {
        struct itee_buf json;
        itee_buf_init(&json, 0);
        r = enclave_host_shielding_pubkey(s->host, &json);
        rc = r == ITEE_OK ? write_file("enclave-shielding-pubkey.json", json.ptr, json.len)
                          : die("shielding key", r);
        if (rc == 0)
            printf("[+] Shielding key written to enclave-shielding-pubkey.json\n");
        itee_buf_free(&json);
    } else {
        uint8_t pub[32];
        r = enclave_host_signing_pubkey(s->host, pub);
        rc = r == ITEE_OK ? write_file("enclave-signing-pubkey.bin", pub, 32)
                          : die("signing key", r);
        if (rc == 0)
            printf("[+] Signing key written to enclave-signing-pubkey.bin\n");
    }
    return rc;
}

/* The shard a command works on: the positional argument, or MRENCLAVE as the original. */
static int shard_of(struct service *s, uint8_t shard[32])
{
    if (s->cfg.shard[0] == '\0')
        return enclave_host_mrenclave(s->host, shard) == ITEE_OK ? 0 : 1;
    size_t n = 0;
    return itee_base58_decode(shard, 32, &n, s->cfg.shard, strlen(s->cfg.shard)) == ITEE_OK &&
                   n == 32
               ? 0
               : 1;
}

/* Opens the shard's state in the enclave (empty when new) and asks it a public getter. */
static int cmd_init_shard(struct service *s)
{
    int rc = open_enclave(s);
    if (rc != 0)
        return rc;
    uint8_t req[34];
    if (shard_of(s, req) != 0)
        return die("shard", ITEE_ERR_ARG);
    req[32] = 0x00; /* Getter::public */
    req[33] = 0x00; /* PublicGetter::some_value */
    struct itee_buf out;
    itee_buf_init(&out, 0);
    enum itee_err r = enclave_host_stf_get(s->host, req, sizeof(req), &out);
    /* Some(Vec<u8>(SCALE(42u32))) */
    static const uint8_t expect[] = {1, 16, 42, 0, 0, 0};
    if (r == ITEE_OK && (out.len != sizeof(expect) || memcmp(out.ptr, expect, out.len) != 0))
        r = ITEE_ERR_FORMAT;
    itee_buf_free(&out);
    if (r != ITEE_OK)
        return die("init-shard", r);
    print_b58(stdout, "Successfully initialized shard ", req);
    return 0;
}

static int route(void *ctx, const char *path, struct itee_buf *body, const char **type)
{
    struct service *s = ctx;
    char text[2048];
    int n;
    if (strcmp(path, "/is_initialized") == 0) {
        if (!atomic_load(&s->status.registered))
            return 404;
        n = snprintf(text, sizeof(text), "I am initialized.");
    } else if (strcmp(path, "/metrics") == 0) {
        *type = "text/plain; version=0.0.4; charset=utf-8";
        struct trpc_server_stats ts;
        memset(&ts, 0, sizeof(ts));
        if (s->trpc != NULL)
            trpc_server_stats(s->trpc, &ts);
        n = snprintf(text, sizeof(text),
                     "# HELP integritee_worker_registered 1 once the enclave is registered\n"
                     "# TYPE integritee_worker_registered gauge\n"
                     "integritee_worker_registered %d\n"
                     "# HELP integritee_worker_parentchain_blocks_total blocks imported\n"
                     "# TYPE integritee_worker_parentchain_blocks_total counter\n"
                     "integritee_worker_parentchain_blocks_total %lu\n"
                     "# HELP integritee_worker_calls_executed_total indirect calls executed\n"
                     "# TYPE integritee_worker_calls_executed_total counter\n"
                     "integritee_worker_calls_executed_total %lu\n"
                     "# HELP integritee_worker_parentchain_xts_total extrinsics sent by the "
                     "enclave\n"
                     "# TYPE integritee_worker_parentchain_xts_total counter\n"
                     "integritee_worker_parentchain_xts_total %lu\n"
                     "# HELP integritee_worker_errors_total failures logged\n"
                     "# TYPE integritee_worker_errors_total counter\n"
                     "integritee_worker_errors_total %lu\n"
                     "# HELP integritee_worker_trusted_rpc_connections_total trusted RPC "
                     "connections accepted\n"
                     "# TYPE integritee_worker_trusted_rpc_connections_total counter\n"
                     "integritee_worker_trusted_rpc_connections_total %llu\n"
                     "# HELP integritee_worker_trusted_rpc_open trusted RPC connections open\n"
                     "# TYPE integritee_worker_trusted_rpc_open gauge\n"
                     "integritee_worker_trusted_rpc_open %zu\n",
                     atomic_load(&s->status.registered), atomic_load(&s->status.blocks_processed),
                     atomic_load(&s->status.calls_executed), atomic_load(&s->status.xts_sent),
                     atomic_load(&s->status.errors), (unsigned long long)ts.accepted, ts.open);
    } else {
        return 404;
    }
    if (n < 0 || (size_t)n >= sizeof(text))
        return 500;
    return itee_buf_append(body, text, (size_t)n) == ITEE_OK ? 200 : 500;
}

static void on_signal(uv_signal_t *sig, int signum)
{
    (void)signum;
    struct service *s = sig->data;
    atomic_store(&s->stop, 1);
    http_server_stop(s->http);
    s->http = NULL;
    trpc_server_stop(s->trpc);
    s->trpc = NULL;
    uv_close((uv_handle_t *)&s->sigint, NULL);
    uv_close((uv_handle_t *)&s->sigterm, NULL);
}

/* Submits what the enclave signed (confirmations, unshield payouts); runs inside an ecall. */
static enum itee_err submit_xt(void *ctx, const uint8_t *xt, size_t len)
{
    struct service *s = ctx;
    char *hex = malloc(2 * len + 3);
    if (hex == NULL)
        return ITEE_ERR_NOMEM;
    hex[0] = '0';
    hex[1] = 'x';
    (void)itee_hex_encode(hex + 2, 2 * len + 1, xt, len);
    json_t *params = json_pack("[s]", hex), *res = NULL;
    free(hex);
    enum itee_err r = params ? rpc_client_call(s->api.rpc, "author_submitExtrinsic", params, &res)
                             : ITEE_ERR_NOMEM;
    if (r == ITEE_ERR_RPC_REMOTE) {
        const char *m = NULL;
        int code = rpc_client_last_error(s->api.rpc, &m);
        log_error("the node refused an extrinsic of the enclave: %d %s", code, m);
        atomic_fetch_add(&s->status.errors, 1);
    } else if (r == ITEE_OK) {
        atomic_fetch_add(&s->status.xts_sent, 1);
    }
    json_decref(params);
    json_decref(res);
    return r;
}

/* Initialises the enclave's light client and imports every finalized block, in order. */
static void follow_parentchain(struct service *s)
{
    uint8_t shard[32];
    if (shard_of(s, shard) != 0) {
        atomic_store(&s->stop, 1);
        return;
    }
    enclave_host_set_xt_sink(s->host, submit_xt, s);
    struct enclave_host_pc_status st;
    enum itee_err r = pc_import_init(&s->api, s->host, shard, &st);
    if (r != ITEE_OK) {
        fprintf(stderr, "integritee-service: parentchain light client: %s\n", itee_strerror(r));
        atomic_fetch_add(&s->status.errors, 1);
        atomic_store(&s->stop, 1);
        return;
    }
    printf("[+] Parentchain light client at finalized block #%u, calls executed up to #%u\n",
           st.finalized, st.last_processed);
    fflush(stdout);
    while (!atomic_load(&s->stop)) {
        uint32_t imported = 0, executed = 0;
        r = pc_import_sync(&s->api, s->host, 64, &imported, &executed);
        if (r != ITEE_OK) {
            /* a refused bundle or a lost node: say so, wait, try again from the enclave's state */
            log_error("parentchain sync: %s", itee_strerror(r));
            atomic_fetch_add(&s->status.errors, 1);
        }
        atomic_fetch_add(&s->status.blocks_processed, imported);
        atomic_fetch_add(&s->status.calls_executed, executed);
        if (imported > 0 && enclave_host_parentchain_status(s->host, &st) == ITEE_OK) {
            printf("[+] Synced parentchain block #%u (indirect calls executed: %u)\n",
                   st.last_processed, executed);
            fflush(stdout);
        }
        if (imported == 0 || r != ITEE_OK)
            nanosleep(&(struct timespec){.tv_nsec = 250000000}, NULL);
    }
}

/* Connects, funds (--dev) and registers; runs on its own thread so the loop keeps serving. */
static void *l1_thread(void *arg)
{
    struct service *s = arg;
    char url[SERVICE_CFG_STR_MAX + 8];
    (void)snprintf(url, sizeof(url), "%s:%u", s->cfg.node_url, (unsigned)s->cfg.node_port);
    enum itee_err r = node_api_open(&s->api, url, NODE_TIMEOUT_MS);
    if (r != ITEE_OK) {
        fprintf(stderr, "integritee-service: cannot use the node at %s: %s\n", url,
                itee_strerror(r));
        atomic_fetch_add(&s->status.errors, 1);
        atomic_store(&s->stop, 1);
        return NULL;
    }
    uint8_t signer[32];
    if ((r = enclave_host_signing_pubkey(s->host, signer)) != ITEE_OK)
        goto fail;
    if (s->cfg.dev) {
        int funded = 0;
        r = worker_l1_dev_fund(&s->api, signer, DEV_FUND_MIN, DEV_FUND_AMOUNT, NODE_TIMEOUT_MS,
                               &funded);
        if (r != ITEE_OK)
            goto fail;
        if (funded)
            printf("[+] --dev: funded the enclave account from //Alice\n");
    }
    uint32_t number = 0;
    char err[160];
    r = worker_l1_register(s->host, &s->api, s->cfg.trusted_external, NODE_TIMEOUT_MS, &number,
                           err);
    if (r != ITEE_OK) {
        fprintf(stderr, "integritee-service: registering the enclave failed: %s\n",
                err[0] ? err : itee_strerror(r));
        atomic_fetch_add(&s->status.errors, 1);
        atomic_store(&s->stop, 1);
        return NULL;
    }
    printf("[+] Enclave registered at block number: %u (attestation: Skip, software mode)\n",
           number);
    fflush(stdout);
    atomic_store(&s->status.registered, 1);
    follow_parentchain(s);
    return NULL;
fail:
    fprintf(stderr, "integritee-service: parentchain: %s\n", itee_strerror(r));
    atomic_fetch_add(&s->status.errors, 1);
    atomic_store(&s->stop, 1);
    return NULL;
}

static void on_tick(uv_timer_t *t)
{
    struct service *s = t->data;
    if (atomic_load(&s->stop)) {
        uv_timer_stop(t);
        uv_close((uv_handle_t *)t, NULL);
        if (s->http != NULL) {
            http_server_stop(s->http);
            s->http = NULL;
        }
        if (s->trpc != NULL) {
            trpc_server_stop(s->trpc);
            s->trpc = NULL;
        }
        if (!uv_is_closing((uv_handle_t *)&s->sigint)) {
            uv_close((uv_handle_t *)&s->sigint, NULL);
            uv_close((uv_handle_t *)&s->sigterm, NULL);
        }
    }
}

static int print_identity(struct service *s)
{
    uint8_t mr[32], signer[32];
    enum itee_err r = enclave_host_mrenclave(s->host, mr);
    if (r == ITEE_OK)
        r = enclave_host_signing_pubkey(s->host, signer);
    if (r != ITEE_OK)
        return die("enclave", r);
    printf("Integritee Worker for offchain-worker v%s (enclave in SOFTWARE MODE, no SGX)\n",
           SERVICE_VERSION);
    print_b58(stdout, "MRENCLAVE=", mr);
    char ss58[64];
    if (ss58_encode(ss58, sizeof(ss58), SERVICE_SS58, signer, 32) == ITEE_OK)
        printf("Enclave account %s\n", ss58);
    fflush(stdout);
    return 0;
}

/*
 * Tells the enclave what it serves and starts the trusted RPC port (TLS ends in the enclave).
 * With -P 0 the registered URL gets the port actually bound, unless -T named one.
 */
static int start_trusted_rpc(struct service *s)
{
    uint8_t shard[32];
    if (shard_of(s, shard) != 0)
        return die("shard", ITEE_ERR_ARG);
    enum itee_err r =
        enclave_host_trpc_config(s->host, shard, s->cfg.mu_ra_external, s->cfg.untrusted_external);
    if (r != ITEE_OK)
        return die("trusted rpc config", r);
    const char *ip = s->cfg.ws_external ? "0.0.0.0" : "127.0.0.1";
    struct trpc_server_config tc = {.host = ip, .port = s->cfg.trusted_port};
    if ((r = trpc_server_start(&s->trpc, &s->loop, s->host, &tc)) != ITEE_OK)
        return die("trusted worker port", r);
    uint16_t port = trpc_server_port(s->trpc);
    size_t n = strlen(s->cfg.trusted_external);
    if (s->cfg.trusted_port == 0 && n >= 2 && strcmp(s->cfg.trusted_external + n - 2, ":0") == 0)
        (void)snprintf(s->cfg.trusted_external + n - 1, sizeof(s->cfg.trusted_external) - n + 1,
                       "%u", (unsigned)port);
    printf("[+] Trusted RPC direct invocation server listening on %s:%u\n", ip, (unsigned)port);
    return 0;
}

static int cmd_run(struct service *s)
{
    if (s->cfg.mode != SERVICE_MODE_OFFCHAIN_WORKER) {
        fprintf(stderr,
                "integritee-service: --mode %s is not available yet (issue #%d); use "
                "--mode offchain-worker\n",
                s->cfg.mode == SERVICE_MODE_SIDECHAIN ? "sidechain" : "teeracle",
                s->cfg.mode == SERVICE_MODE_SIDECHAIN ? 6 : 7);
        return EXIT_USAGE;
    }
    if (!s->cfg.skip_ra) {
        fprintf(stderr, "integritee-service: remote attestation needs SGX hardware; this software-"
                        "mode build registers with `run --skip-ra` on chains that allow it\n");
        return EXIT_USAGE;
    }
    int rc = open_enclave(s);
    if (rc == 0)
        rc = print_identity(s);
    if (rc != 0)
        return rc;
    uv_loop_init(&s->loop);
    enum itee_err r = http_server_start(&s->http, &s->loop, "0.0.0.0", s->cfg.http_port, route, s);
    if (r != ITEE_OK) {
        uv_loop_close(&s->loop);
        return die("untrusted http port", r);
    }
    if ((rc = start_trusted_rpc(s)) != 0) {
        http_server_stop(s->http);
        uv_run(&s->loop, UV_RUN_DEFAULT);
        uv_loop_close(&s->loop);
        return rc;
    }
    printf("[+] Untrusted http server listening on 0.0.0.0:%u (/is_initialized, /metrics)\n",
           (unsigned)http_server_port(s->http));
    uv_signal_init(&s->loop, &s->sigint);
    uv_signal_init(&s->loop, &s->sigterm);
    s->sigint.data = s->sigterm.data = s;
    uv_signal_start(&s->sigint, on_signal, SIGINT);
    uv_signal_start(&s->sigterm, on_signal, SIGTERM);
    uv_timer_t tick;
    uv_timer_init(&s->loop, &tick);
    tick.data = s;
    uv_timer_start(&tick, on_tick, 100, 100);
    pthread_t th;
    if (pthread_create(&th, NULL, l1_thread, s) != 0) {
        atomic_store(&s->stop, 1);
        rc = 1;
    }
    uv_run(&s->loop, UV_RUN_DEFAULT);
    if (rc == 0)
        pthread_join(th, NULL);
    uv_loop_close(&s->loop);
    node_api_close(&s->api);
    return atomic_load(&s->status.errors) ? 1 : rc;
}

int main(int argc, char **argv)
{
    static struct service s; /* the program's state lives in main's scope, statically sized */
    char err[SERVICE_CFG_ERR_MAX];
    if (service_cfg_parse(&s.cfg, argc, argv, err) != ITEE_OK) {
        fprintf(stderr, "integritee-service: %s\n", err);
        return EXIT_USAGE;
    }
    enum itee_log_level level;
    if (itee_log_parse_level(s.cfg.log_level, &level) != 0) {
        fprintf(stderr, "integritee-service: bad --log-level %s\n", s.cfg.log_level);
        return EXIT_USAGE;
    }
    itee_log_set_level(level);
    int rc;
    switch (s.cfg.cmd) {
    case SERVICE_CMD_HELP:
        fputs(service_cfg_usage(), stdout);
        return 0;
    case SERVICE_CMD_VERSION:
        printf("integritee-service %s (software mode)\n", SERVICE_VERSION);
        return 0;
    case SERVICE_CMD_MRENCLAVE:
        return cmd_mrenclave(&s);
    case SERVICE_CMD_SHIELDING_KEY:
    case SERVICE_CMD_SIGNING_KEY:
        rc = cmd_keys(&s);
        break;
    case SERVICE_CMD_INIT_SHARD:
        rc = cmd_init_shard(&s);
        break;
    default:
        rc = cmd_run(&s);
        break;
    }
    enclave_host_close(s.host);
    return rc;
}
