/*
 * bench_node.c - load generator for integritee-node (issue #4 benchmarks): starts the node
 * (--dev --tmp, ephemeral port), signs transfer_keep_alive extrinsics in C from the six
 * endowed dev accounts to //Alice-derived accounts (//Alice//0, //Alice//1, ...), submits
 * them over HTTP JSON-RPC, and measures
 *   - RPC queries per second (system_health and state_getStorage on one keep-alive connection),
 *   - submissions per second (author_submitExtrinsic, validation included),
 *   - transfers per second from the first submission until the last one is in a finalized
 *     block (every block is final at once on the dev node).
 * Output: "name value unit" lines on stdout.
 * Usage: bench_node <path/to/integritee-node> [transfers=2000] [block_time_ms=1000]
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chain/extrinsic.h"
#include "codec/scale.h"
#include "common/hex.h"
#include "keys/pair.h"

#define SENDERS 6

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Starts the node; returns its pid and port (parsed from its log on stderr). */
static pid_t start_node(const char *bin, const char *bt, int *port)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        execl(bin, bin, "--dev", "--tmp", "--rpc-port", "0", "--block-time-ms", bt, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    char line[1024];
    *port = 0;
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        const char *m = strstr(line, "Running JSON-RPC server: addr=");
        if (m != NULL) {
            const char *c = strrchr(m, ':');
            *port = c ? (int)strtol(c + 1, NULL, 10) : 0;
            break;
        }
    }
    /* keep draining the node's log so it never blocks on a full pipe */
    if (fork() == 0) {
        while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
            if (getenv("BENCH_NODE_LOG"))
                fputs(line, stderr);
        }
        _exit(0);
    }
    if (f)
        fclose(f);
    return pid;
}

static int conn_open(int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) != 0)
        return -1;
    int one = 1; /* requests are small and synchronous: no Nagle delay */
    (void)setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return s;
}

/* One HTTP POST on the keep-alive connection s. Returns the parsed JSON reply (or NULL). */
static json_t *rpc(int s, const char *method, json_t *params)
{
    static char rbuf[64 << 20];
    json_t *req = json_pack("{s:i,s:s,s:s,s:o}", "id", 1, "jsonrpc", "2.0", "method", method,
                            "params", params);
    char *body = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    if (body == NULL)
        return NULL;
    char head[256];
    size_t blen = strlen(body);
    int hl = snprintf(head, sizeof(head),
                      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      "Content-Length: %zu\r\n\r\n",
                      blen);
    if (write(s, head, (size_t)hl) != hl || write(s, body, blen) != (ssize_t)blen) {
        free(body);
        return NULL;
    }
    free(body);
    size_t got = 0;
    long clen = -1;
    char *bstart = NULL;
    for (;;) {
        ssize_t r = read(s, rbuf + got, sizeof(rbuf) - 1 - got);
        if (r <= 0)
            return NULL;
        got += (size_t)r;
        rbuf[got] = '\0';
        if (bstart == NULL && (bstart = strstr(rbuf, "\r\n\r\n")) != NULL) {
            bstart += 4;
            const char *cl = strstr(rbuf, "ontent-Length:");
            if (cl == NULL)
                cl = strstr(rbuf, "ontent-length:");
            clen = cl ? strtol(cl + 14, NULL, 10) : -1;
        }
        if (bstart != NULL && clen >= 0 && (size_t)(rbuf + got - bstart) >= (size_t)clen)
            break;
    }
    return json_loadb(bstart, (size_t)clen, 0, NULL);
}

static json_t *result(json_t *reply)
{
    return reply ? json_object_get(reply, "result") : NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_node <integritee-node> [transfers] [block_time_ms]\n");
        return 2;
    }
    long n_tx = argc > 2 ? strtol(argv[2], NULL, 10) : 2000;
    const char *bt = argc > 3 ? argv[3] : "1000";
    if (n_tx <= 0 || n_tx > 100000)
        return 2;
    int port = 0;
    pid_t pid = start_node(argv[1], bt, &port);
    if (pid <= 0 || port == 0) {
        fprintf(stderr, "node did not start\n");
        return 1;
    }
    int rc = 1;
    int s = conn_open(port);
    if (s < 0)
        goto out;

    /* RPC queries per second */
    const int nq = 2000;
    double t0 = now_ms();
    for (int i = 0; i < nq; i++)
        json_decref(rpc(s, "system_health", json_array()));
    double t1 = now_ms();
    printf("rpc_system_health %.0f req/s\n", nq / ((t1 - t0) / 1e3));
    const char *alice_key = "0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9de1e"
                            "86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6822c85588"
                            "54ccde39a5684e7a56da27d";
    t0 = now_ms();
    for (int i = 0; i < nq; i++)
        json_decref(rpc(s, "state_getStorage", json_pack("[s]", alice_key)));
    t1 = now_ms();
    printf("rpc_state_getStorage %.0f req/s\n", nq / ((t1 - t0) / 1e3));

    /* chain values for signing */
    struct extrinsic_chain chain;
    memset(&chain, 0, sizeof(chain));
    chain.spec_version = 410;
    chain.tx_version = 8;
    chain.check_metadata_hash = true;
    json_t *g = rpc(s, "chain_getBlockHash", json_pack("[i]", 0));
    const char *gh = json_string_value(result(g));
    if (gh == NULL || itee_hex_decode_exact(chain.genesis_hash, 32, gh, strlen(gh)) != ITEE_OK)
        goto out;
    json_decref(g);

    static const char *const names[SENDERS] = {"//Alice", "//Bob", "//Charlie",
                                               "//Dave",  "//Eve", "//Ferdie"};
    struct keys_pair senders[SENDERS];
    for (int i = 0; i < SENDERS; i++)
        if (keys_pair_from_suri(&senders[i], KEYS_SCHEME_SR25519, names[i], strlen(names[i])) !=
            ITEE_OK)
            goto out;
    uint8_t dest[64][32];
    for (int i = 0; i < 64; i++) {
        char suri[32];
        int k = snprintf(suri, sizeof(suri), "//Alice//%d", i);
        struct keys_pair p;
        if (keys_pair_from_suri(&p, KEYS_SCHEME_SR25519, suri, (size_t)k) != ITEE_OK)
            goto out;
        keys_pair_account_id(&p, dest[i]);
        keys_pair_clear(&p);
    }

    /* sign everything first (signing is the client's cost, not the node's) */
    char **hex = calloc((size_t)n_tx, sizeof(char *));
    struct itee_buf call, x;
    itee_buf_init(&call, 0);
    itee_buf_init(&x, 0);
    t0 = now_ms();
    for (long i = 0; i < n_tx; i++) {
        struct extrinsic_params prm;
        memset(&prm, 0, sizeof(prm));
        prm.era = extrinsic_era_immortal();
        prm.nonce = (uint32_t)(i / SENDERS);
        itee_buf_reset(&call);
        itee_buf_reset(&x);
        if (scale_put_u8(&call, 10) != ITEE_OK || scale_put_u8(&call, 3) != ITEE_OK ||
            scale_put_u8(&call, 0) != ITEE_OK ||
            scale_put_bytes(&call, dest[i % 64], 32) != ITEE_OK ||
            scale_put_compact(&call, 1000000000000ULL) != ITEE_OK ||
            extrinsic_sign(&x, &senders[i % SENDERS], &chain, itee_buf_slice(&call), &prm,
                           chain.genesis_hash) != ITEE_OK)
            goto out;
        hex[i] = malloc(2 * x.len + 3);
        hex[i][0] = '0';
        hex[i][1] = 'x';
        if (itee_hex_encode(hex[i] + 2, 2 * x.len + 1, x.ptr, x.len) != ITEE_OK)
            goto out;
    }
    t1 = now_ms();
    printf("sign_transfer %.0f tx/s\n", (double)n_tx / ((t1 - t0) / 1e3));

    json_t *h = rpc(s, "chain_getHeader", json_array());
    long start_block = strtol(json_string_value(json_object_get(result(h), "number")), NULL, 16);
    json_decref(h);

    /* submit */
    long accepted = 0;
    double ts0 = now_ms();
    for (long i = 0; i < n_tx; i++) {
        json_t *r = rpc(s, "author_submitExtrinsic", json_pack("[s]", hex[i]));
        if (result(r) != NULL && json_is_string(result(r)))
            accepted++;
        json_decref(r);
    }
    double ts1 = now_ms();
    printf("submit %.0f tx/s (%ld of %ld accepted)\n", (double)n_tx / ((ts1 - ts0) / 1e3), accepted,
           n_tx);

    /* wait until every accepted transfer is in a finalized block */
    long included = 0, next_block = start_block + 1;
    int max_in_block = 0;
    double deadline = now_ms() + 600000;
    while (included < accepted && now_ms() < deadline) {
        json_t *bh = rpc(s, "chain_getBlockHash", json_pack("[I]", (json_int_t)next_block));
        const char *hh = json_string_value(result(bh));
        if (hh == NULL) {
            json_decref(bh);
            nanosleep(&(struct timespec){.tv_sec = 0, .tv_nsec = 20000000}, NULL);
            continue;
        }
        json_t *b = rpc(s, "chain_getBlock", json_pack("[s]", hh));
        json_decref(bh);
        size_t ne =
            json_array_size(json_object_get(json_object_get(result(b), "block"), "extrinsics"));
        json_decref(b);
        if (ne > 0) {
            included += (long)ne - 1; /* minus the timestamp inherent */
            if ((int)ne - 1 > max_in_block)
                max_in_block = (int)ne - 1;
        }
        next_block++;
    }
    double tf = now_ms();
    printf("transfers_finalized %ld of %ld\n", included, accepted);
    printf("tps_submit_to_finalized %.0f tx/s\n", (double)included / ((tf - ts0) / 1e3));
    printf("max_transfers_per_block %d tx\n", max_in_block);
    printf("blocks_used %ld\n", next_block - start_block - 1);
    rc = included == accepted ? 0 : 1;
    for (long i = 0; i < n_tx; i++)
        free(hex[i]);
    free(hex);
    itee_buf_free(&call);
    itee_buf_free(&x);
out:
    if (s >= 0)
        close(s);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return rc;
}
