/*
 * enclave_host.c - software-mode enclave loader and the host's ocall implementations.
 * What the enclave hands us is checked too (names, lengths): a confused enclave must not be
 * able to make the host write outside its data directory.
 */
#include "enclave_host.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "codec/scale.h"
#include "common/base58.h"
#include "common/hex.h"
#include "common/log.h"
#include "common/mem.h"

/* Room for "<dir>/.<name>.tmp". */
#define HOST_PATH_CAP    (ENCLAVE_HOST_PATH_MAX + EDL_FILE_NAME_MAX + 8)
#define HOST_TRPC_CHUNK  ((size_t)64 * 1024) /* ciphertext bytes per trpc feed answer */
#define HOST_TRPC_DRAINS 256                 /* feeds one trpc drain may take */

struct enclave_host {
    void *dl;                               /* dlopen handle of the measured library */
    char *dir;                              /* data directory (owned) */
    uint8_t mrenclave[EDL_MEASUREMENT_LEN]; /* SHA-256 of the library file */
    struct edl_ocalls ocalls;               /* table handed to ecall_init (host = this) */
    bool initialized;                       /* ecall_init succeeded: shutdown at close */
    enclave_host_xt_fn xt_fn;               /* where send_to_parentchain goes (may be NULL) */
    void *xt_ctx;                           /* its context */
    edl_edl_version_fn edl_version;         /* resolved ecalls */
    edl_init_fn init;
    edl_get_fn get_mrenclave;
    edl_get_fn get_shielding_pubkey;
    edl_get_fn get_signing_pubkey;
    edl_get_fn get_enclave_account;
    edl_shutdown_fn shutdown;
    edl_request_fn sign_xt;
    edl_request_fn stf_execute;
    edl_request_fn stf_get;
    edl_request_fn trpc_config;
    edl_trpc_conn_fn trpc_open;
    edl_trpc_feed_fn trpc_feed;
    edl_trpc_conn_fn trpc_close;
    edl_get_fn trpc_metrics;
    edl_request_fn pc_init;
    edl_request_fn pc_import;
    edl_get_fn pc_status;
};

/* ---- files ---- */

/* Builds dir/<prefix><name><suffix>. Returns: ITEE_OK or ITEE_ERR_SPACE. */
static enum itee_err host_path(char *out, const char *dir, const char *prefix, const char *name,
                               const char *suffix)
{
    int n = snprintf(out, HOST_PATH_CAP, "%s/%s%s%s", dir, prefix, name, suffix);
    return (n < 0 || n >= HOST_PATH_CAP) ? ITEE_ERR_SPACE : ITEE_OK;
}

static enum itee_err host_write_all(int fd, const uint8_t *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ITEE_ERR_IO;
        p += n;
        len -= (size_t)n;
    }
    return ITEE_OK;
}

static enum itee_err host_read_all(int fd, uint8_t *p, size_t len)
{
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ITEE_ERR_IO;
        p += n;
        len -= (size_t)n;
    }
    return ITEE_OK;
}

static enum itee_err host_fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return ITEE_ERR_IO;
    int rc = fsync(fd);
    close(fd);
    return rc == 0 ? ITEE_OK : ITEE_ERR_IO;
}

/* Write temp, fsync, rename over the target, fsync the directory; owner-only permissions. */
static enum itee_err host_write_atomic(const char *dir, const char *name, const uint8_t *data,
                                       size_t len)
{
    char tmp[HOST_PATH_CAP], dst[HOST_PATH_CAP];
    if (host_path(tmp, dir, ".", name, ".tmp") != ITEE_OK ||
        host_path(dst, dir, "", name, "") != ITEE_OK)
        return ITEE_ERR_IO;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return ITEE_ERR_IO;
    enum itee_err r = host_write_all(fd, data, len);
    if (r == ITEE_OK && fsync(fd) != 0)
        r = ITEE_ERR_IO;
    if (close(fd) != 0 && r == ITEE_OK)
        r = ITEE_ERR_IO;
    if (r == ITEE_OK && rename(tmp, dst) != 0)
        r = ITEE_ERR_IO;
    if (r != ITEE_OK) {
        (void)unlink(tmp);
        return r;
    }
    return host_fsync_dir(dir);
}

/* Reads dir/name into buf (cap). Returns: as the read_file ocall (edl.h). */
static enum itee_err host_read(const char *dir, const char *name, uint8_t *buf, size_t cap,
                               size_t *len)
{
    char path[HOST_PATH_CAP];
    struct stat st;
    if (host_path(path, dir, "", name, "") != ITEE_OK)
        return ITEE_ERR_IO;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? ITEE_ERR_NOENT : ITEE_ERR_IO;
    enum itee_err r = ITEE_ERR_IO;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
        (uint64_t)st.st_size > EDL_FILE_MAX)
        goto out;
    *len = (size_t)st.st_size;
    r = ITEE_ERR_SPACE;
    if (*len > cap)
        goto out;
    r = host_read_all(fd, buf, *len);
out:
    close(fd);
    return r;
}

/* Reads the local seal secret, creating it (random, 0600) at first start. */
static enum itee_err host_local_secret(const char *dir, uint8_t secret[EDL_LOCAL_SECRET_LEN])
{
    size_t len = 0;
    enum itee_err r = host_read(dir, ENCLAVE_HOST_SECRET_FILE, secret, EDL_LOCAL_SECRET_LEN, &len);
    if (r == ITEE_ERR_NOENT) {
        if (getrandom(secret, EDL_LOCAL_SECRET_LEN, 0) != EDL_LOCAL_SECRET_LEN)
            return ITEE_ERR_RNG;
        log_info("created local seal secret %s/%s (software mode)", dir, ENCLAVE_HOST_SECRET_FILE);
        return host_write_atomic(dir, ENCLAVE_HOST_SECRET_FILE, secret, EDL_LOCAL_SECRET_LEN);
    }
    if (r == ITEE_ERR_SPACE || (r == ITEE_OK && len != EDL_LOCAL_SECRET_LEN)) {
        log_error("%s/%s: not a %d-byte local seal secret", dir, ENCLAVE_HOST_SECRET_FILE,
                  EDL_LOCAL_SECRET_LEN);
        r = ITEE_ERR_FORMAT;
    }
    return r;
}

/* ---- ocalls (host = struct enclave_host) ---- */

/* The enclave may name only its own files: plain names, never the host's secret. */
static bool host_name_ok(const char *name)
{
    return edl_file_name_ok(name) && strcmp(name, ENCLAVE_HOST_SECRET_FILE) != 0;
}

static void ocall_log(void *host, uint32_t level, const char *line, size_t len)
{
    char clean[EDL_LOG_LINE_MAX + 1];
    (void)host;
    (void)level; /* the enclave filters by its own level */
    if (line == NULL)
        return;
    if (len > EDL_LOG_LINE_MAX)
        len = EDL_LOG_LINE_MAX;
    /* Never let enclave text drive the terminal. */
    for (size_t i = 0; i < len; i++)
        clean[i] = (line[i] >= 0x20 && line[i] < 0x7f) ? line[i] : '?';
    clean[len] = '\0';
    fprintf(stderr, "[enclave] %s\n", clean);
}

static int32_t ocall_read_file(void *host, const char *name, uint8_t *buf, size_t cap, size_t *len)
{
    struct enclave_host *h = host;
    if (len == NULL || (buf == NULL && cap > 0) || !host_name_ok(name))
        return ITEE_ERR_IO;
    *len = 0;
    return host_read(h->dir, name, buf, cap, len);
}

static int32_t ocall_write_file_atomic(void *host, const char *name, const uint8_t *data,
                                       size_t len)
{
    struct enclave_host *h = host;
    if ((data == NULL && len > 0) || len > EDL_FILE_MAX || !host_name_ok(name))
        return ITEE_ERR_IO;
    return host_write_atomic(h->dir, name, data, len);
}

static int32_t ocall_time_now_ms(void *host, uint64_t *ms)
{
    struct timespec ts;
    (void)host;
    if (ms == NULL || clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return ITEE_ERR_IO;
    *ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
    return ITEE_OK;
}

static int32_t ocall_send_to_parentchain(void *host, const uint8_t *xt, size_t len)
{
    struct enclave_host *h = host;
    if (xt == NULL || len == 0 || len > EDL_XT_MAX)
        return ITEE_ERR_IO;
    if (h->xt_fn == NULL) {
        log_warn("enclave sent a %zu-byte extrinsic but no parentchain is connected", len);
        return ITEE_ERR_IO;
    }
    return h->xt_fn(h->xt_ctx, xt, len) == ITEE_OK ? ITEE_OK : ITEE_ERR_IO;
}

/* ---- loading ---- */

static enum itee_err host_measure_fd(int fd, uint8_t out[EDL_MEASUREMENT_LEN])
{
    crypto_hash_sha256_state st;
    uint8_t chunk[65536];
    crypto_hash_sha256_init(&st);
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ITEE_ERR_IO;
        if (n == 0)
            break;
        crypto_hash_sha256_update(&st, chunk, (unsigned long long)n);
    }
    crypto_hash_sha256_final(&st, out);
    return ITEE_OK;
}

enum itee_err enclave_host_measure(const char *path, uint8_t out[EDL_MEASUREMENT_LEN])
{
    if (path == NULL || out == NULL)
        return ITEE_ERR_ARG;
    memset(out, 0, EDL_MEASUREMENT_LEN);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? ITEE_ERR_NOENT : ITEE_ERR_IO;
    enum itee_err r = host_measure_fd(fd, out);
    close(fd);
    return r;
}

/* Resolves one ecall; dlsym hands back void *, which POSIX lets us reinterpret. */
static void *host_sym(void *dl, const char *name, enum itee_err *r)
{
    void *p = dlsym(dl, name);
    if (p == NULL && *r == ITEE_OK) {
        log_error("enclave library lacks ecall %s", name);
        *r = ITEE_ERR_ENCLAVE_LOAD;
    }
    return p;
}

static enum itee_err host_resolve(struct enclave_host *h)
{
    enum itee_err r = ITEE_OK;
    *(void **)&h->edl_version = host_sym(h->dl, EDL_SYM_EDL_VERSION, &r);
    *(void **)&h->init = host_sym(h->dl, EDL_SYM_INIT, &r);
    *(void **)&h->get_mrenclave = host_sym(h->dl, EDL_SYM_GET_MRENCLAVE, &r);
    *(void **)&h->get_shielding_pubkey = host_sym(h->dl, EDL_SYM_GET_SHIELDING_PUBKEY, &r);
    *(void **)&h->get_signing_pubkey = host_sym(h->dl, EDL_SYM_GET_SIGNING_PUBKEY, &r);
    *(void **)&h->get_enclave_account = host_sym(h->dl, EDL_SYM_GET_ENCLAVE_ACCOUNT, &r);
    *(void **)&h->shutdown = host_sym(h->dl, EDL_SYM_SHUTDOWN, &r);
    *(void **)&h->sign_xt = host_sym(h->dl, EDL_SYM_SIGN_PARENTCHAIN_XT, &r);
    *(void **)&h->stf_execute = host_sym(h->dl, EDL_SYM_STF_EXECUTE, &r);
    *(void **)&h->stf_get = host_sym(h->dl, EDL_SYM_STF_GET, &r);
    *(void **)&h->trpc_config = host_sym(h->dl, EDL_SYM_TRPC_CONFIG, &r);
    *(void **)&h->trpc_open = host_sym(h->dl, EDL_SYM_TRPC_OPEN, &r);
    *(void **)&h->trpc_feed = host_sym(h->dl, EDL_SYM_TRPC_FEED, &r);
    *(void **)&h->trpc_close = host_sym(h->dl, EDL_SYM_TRPC_CLOSE, &r);
    *(void **)&h->trpc_metrics = host_sym(h->dl, EDL_SYM_TRPC_METRICS, &r);
    *(void **)&h->pc_init = host_sym(h->dl, EDL_SYM_PARENTCHAIN_INIT, &r);
    *(void **)&h->pc_import = host_sym(h->dl, EDL_SYM_PARENTCHAIN_IMPORT, &r);
    *(void **)&h->pc_status = host_sym(h->dl, EDL_SYM_PARENTCHAIN_STATUS, &r);
    if (r != ITEE_OK)
        return r;
    uint32_t v = h->edl_version();
    if (v != EDL_VERSION) {
        log_error("enclave EDL version %u, host expects %u", v, EDL_VERSION);
        return ITEE_ERR_ENCLAVE_VERSION;
    }
    return ITEE_OK;
}

/* Measures and loads the same open file, so what is measured is what runs. */
static enum itee_err host_load(struct enclave_host *h, const char *so_path)
{
    char fdpath[64];
    int fd = open(so_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        log_error("enclave library %s: %s", so_path, strerror(errno));
        return errno == ENOENT ? ITEE_ERR_NOENT : ITEE_ERR_IO;
    }
    enum itee_err r = host_measure_fd(fd, h->mrenclave);
    if (r == ITEE_OK) {
        (void)snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
        h->dl = dlopen(fdpath, RTLD_NOW | RTLD_LOCAL);
        if (h->dl == NULL) {
            log_error("enclave library %s: %s", so_path, dlerror());
            r = ITEE_ERR_ENCLAVE_LOAD;
        }
    }
    close(fd);
    if (r == ITEE_OK)
        r = host_resolve(h);
    return r;
}

static void host_log_mode(const struct enclave_host *h, const char *so_path)
{
    char hex[2 * EDL_MEASUREMENT_LEN + 1], b58[64];
    if (itee_hex_encode(hex, sizeof(hex), h->mrenclave, sizeof(h->mrenclave)) != ITEE_OK ||
        itee_base58_encode(b58, sizeof(b58), h->mrenclave, sizeof(h->mrenclave)) != ITEE_OK)
        return;
    log_info("enclave running in SOFTWARE MODE (no SGX): MRENCLAVE=%s (base58 %s) = SHA-256 of "
             "%s, computed by this host and trusted as such; no hardware protection",
             hex, b58, so_path);
}

static enum itee_err host_start(struct enclave_host *h, const char *so_path, uint32_t flags)
{
    uint8_t secret[EDL_LOCAL_SECRET_LEN];
    if (mkdir(h->dir, 0700) != 0 && errno != EEXIST) {
        log_error("data dir %s: %s", h->dir, strerror(errno));
        return ITEE_ERR_IO;
    }
    enum itee_err r = host_local_secret(h->dir, secret);
    if (r != ITEE_OK)
        goto out;
    host_log_mode(h, so_path);
    h->ocalls = (struct edl_ocalls){
        .version = EDL_VERSION,
        .size = sizeof(struct edl_ocalls),
        .host = h,
        .log = ocall_log,
        .read_file = ocall_read_file,
        .write_file_atomic = ocall_write_file_atomic,
        .time_now_ms = ocall_time_now_ms,
        .send_to_parentchain = ocall_send_to_parentchain,
    };
    r = (enum itee_err)h->init(&h->ocalls, h->mrenclave, sizeof(h->mrenclave), secret,
                               sizeof(secret), flags | EDL_INIT_SOFTWARE_MODE);
    if (r != ITEE_OK) {
        log_error("enclave init failed: %s (%d)", itee_strerror(r), (int)r);
        goto out;
    }
    h->initialized = true;
out:
    itee_memzero(secret, sizeof(secret));
    return r;
}

enum itee_err enclave_host_open(struct enclave_host **out, const char *so_path,
                                const char *data_dir, uint32_t flags)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (so_path == NULL || data_dir == NULL || data_dir[0] == '\0' ||
        strnlen(data_dir, ENCLAVE_HOST_PATH_MAX + 1) > ENCLAVE_HOST_PATH_MAX)
        return ITEE_ERR_ARG;
    struct enclave_host *h = itee_zalloc(sizeof(*h));
    if (h == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err r = ITEE_ERR_NOMEM;
    size_t dlen = strlen(data_dir);
    h->dir = itee_alloc(dlen + 1);
    if (h->dir == NULL)
        goto out;
    memcpy(h->dir, data_dir, dlen + 1);
    r = host_load(h, so_path);
    if (r == ITEE_OK)
        r = host_start(h, so_path, flags);
    if (r != ITEE_OK)
        goto out;
    *out = h;
    h = NULL;
out:
    enclave_host_close(h);
    return r;
}

void enclave_host_close(struct enclave_host *h)
{
    if (h == NULL)
        return;
    if (h->initialized && h->shutdown() != ITEE_OK)
        log_warn("enclave shutdown refused");
    if (h->dl != NULL)
        dlclose(h->dl);
    itee_free(h->dir);
    itee_free(h);
}

const uint8_t *enclave_host_measurement(const struct enclave_host *h)
{
    return h->mrenclave;
}

void enclave_host_set_xt_sink(struct enclave_host *h, enclave_host_xt_fn fn, void *ctx)
{
    h->xt_fn = fn;
    h->xt_ctx = ctx;
}

/* Calls a fixed-size getter and checks the enclave answered exactly len bytes. */
static enum itee_err host_get_fixed(edl_get_fn fn, uint8_t *out, size_t len)
{
    size_t n = 0;
    enum itee_err r = (enum itee_err)fn(out, len, &n);
    if (r == ITEE_OK && n != len)
        r = ITEE_ERR_ENCLAVE;
    if (r != ITEE_OK)
        memset(out, 0, len);
    return r;
}

enum itee_err enclave_host_mrenclave(struct enclave_host *h, uint8_t out[EDL_MEASUREMENT_LEN])
{
    if (h == NULL || out == NULL)
        return ITEE_ERR_ARG;
    return host_get_fixed(h->get_mrenclave, out, EDL_MEASUREMENT_LEN);
}

enum itee_err enclave_host_signing_pubkey(struct enclave_host *h, uint8_t out[EDL_SIGNING_PUB_LEN])
{
    if (h == NULL || out == NULL)
        return ITEE_ERR_ARG;
    return host_get_fixed(h->get_signing_pubkey, out, EDL_SIGNING_PUB_LEN);
}

enum itee_err enclave_host_enclave_account(struct enclave_host *h, uint8_t out[EDL_SIGNING_PUB_LEN])
{
    if (h == NULL || out == NULL)
        return ITEE_ERR_ARG;
    return host_get_fixed(h->get_enclave_account, out, EDL_SIGNING_PUB_LEN);
}

/* One variable-size answer: a first try with a guess, one more at the size the enclave names
 * (the enclave's answers are checked against what we offered). A NULL fn means the shielding
 * key getter, which takes no request. */
static enum itee_err host_get_var(struct enclave_host *h, edl_request_fn fn, const uint8_t *req,
                                  size_t req_len, struct itee_buf *out)
{
    itee_buf_reset(out);
    size_t need = 0;
    enum itee_err r = itee_buf_reserve(out, 4096);
    for (int attempt = 0; r == ITEE_OK && attempt < 2; attempt++) {
        r = fn != NULL ? (enum itee_err)fn(req, req_len, out->ptr, out->cap, &need)
                       : (enum itee_err)h->get_shielding_pubkey(out->ptr, out->cap, &need);
        if (r != ITEE_ERR_SPACE || need <= out->cap || attempt == 1)
            break;
        r = itee_buf_reserve(out, need);
    }
    if (r == ITEE_OK && need > out->cap)
        r = ITEE_ERR_ENCLAVE;
    if (r == ITEE_OK)
        out->len = need;
    return r;
}

enum itee_err enclave_host_shielding_pubkey(struct enclave_host *h, struct itee_buf *out)
{
    if (h == NULL || out == NULL)
        return ITEE_ERR_ARG;
    return host_get_var(h, NULL, NULL, 0, out);
}

enum itee_err enclave_host_sign_xt(struct enclave_host *h, const uint8_t *req, size_t req_len,
                                   struct itee_buf *out)
{
    if (h == NULL || req == NULL || out == NULL)
        return ITEE_ERR_ARG;
    return host_get_var(h, h->sign_xt, req, req_len, out);
}

enum itee_err enclave_host_stf_execute(struct enclave_host *h, const uint8_t *req, size_t req_len,
                                       struct itee_buf *out)
{
    if (h == NULL || req == NULL || out == NULL)
        return ITEE_ERR_ARG;
    return host_get_var(h, h->stf_execute, req, req_len, out);
}

enum itee_err enclave_host_stf_get(struct enclave_host *h, const uint8_t *req, size_t req_len,
                                   struct itee_buf *out)
{
    if (h == NULL || req == NULL || out == NULL)
        return ITEE_ERR_ARG;
    return host_get_var(h, h->stf_get, req, req_len, out);
}

/* ---- parentchain importer ---- */

/* One fixed-size answer (ecalls that check their capacity before running anything). */
static enum itee_err host_pc_call(edl_request_fn fn, const uint8_t *req, size_t req_len,
                                  uint8_t *ans, size_t ans_len)
{
    size_t n = 0;
    enum itee_err r = (enum itee_err)fn(req, req_len, ans, ans_len, &n);
    if (r == ITEE_OK && n != ans_len)
        r = ITEE_ERR_ENCLAVE;
    return r;
}

static uint32_t host_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

enum itee_err enclave_host_parentchain_init(struct enclave_host *h, const uint8_t *req,
                                            size_t req_len, struct enclave_host_pc_status *out)
{
    uint8_t ans[4 + 32];
    if (h == NULL || req == NULL || out == NULL)
        return ITEE_ERR_ARG;
    memset(out, 0, sizeof(*out));
    enum itee_err r = host_pc_call(h->pc_init, req, req_len, ans, sizeof(ans));
    if (r != ITEE_OK)
        return r;
    out->finalized = host_le32(ans);
    memcpy(out->finalized_hash, ans + 4, 32);
    return ITEE_OK;
}

enum itee_err enclave_host_parentchain_import(struct enclave_host *h, const uint8_t *bundle,
                                              size_t len, struct enclave_host_pc_import *out)
{
    uint8_t ans[4 + 32 + 12];
    if (h == NULL || bundle == NULL || out == NULL)
        return ITEE_ERR_ARG;
    memset(out, 0, sizeof(*out));
    enum itee_err r = host_pc_call(h->pc_import, bundle, len, ans, sizeof(ans));
    if (r != ITEE_OK)
        return r;
    out->number = host_le32(ans);
    memcpy(out->hash, ans + 4, 32);
    out->finalized = host_le32(ans + 36);
    out->calls_executed = host_le32(ans + 40);
    out->xts_sent = host_le32(ans + 44);
    return ITEE_OK;
}

enum itee_err enclave_host_parentchain_status(struct enclave_host *h,
                                              struct enclave_host_pc_status *out)
{
    uint8_t ans[4 + 32 + 8];
    size_t n = 0;
    if (h == NULL || out == NULL)
        return ITEE_ERR_ARG;
    memset(out, 0, sizeof(*out));
    enum itee_err r = (enum itee_err)h->pc_status(ans, sizeof(ans), &n);
    if (r == ITEE_OK && n != sizeof(ans))
        r = ITEE_ERR_ENCLAVE;
    if (r != ITEE_OK)
        return r;
    out->finalized = host_le32(ans);
    memcpy(out->finalized_hash, ans + 4, 32);
    out->last_processed = host_le32(ans + 36);
    out->best = host_le32(ans + 40);
    return ITEE_OK;
}

/* ---- trusted RPC ---- */

enum itee_err enclave_host_trpc_config(struct enclave_host *h, const uint8_t shard[32],
                                       const char *mu_ra_url, const char *untrusted_url)
{
    if (h == NULL || shard == NULL || mu_ra_url == NULL || untrusted_url == NULL)
        return ITEE_ERR_ARG;
    struct itee_buf req;
    itee_buf_init(&req, 0);
    size_t n = 0;
    enum itee_err r = scale_put_bytes(&req, shard, 32);
    if (r == ITEE_OK)
        r = scale_put_str(&req, mu_ra_url, strlen(mu_ra_url));
    if (r == ITEE_OK)
        r = scale_put_str(&req, untrusted_url, strlen(untrusted_url));
    if (r == ITEE_OK)
        r = (enum itee_err)h->trpc_config(req.ptr, req.len, NULL, 0, &n);
    itee_buf_free(&req);
    return r;
}

enum itee_err enclave_host_trpc_open(struct enclave_host *h, uint64_t conn_id)
{
    if (h == NULL)
        return ITEE_ERR_ARG;
    return (enum itee_err)h->trpc_open(conn_id);
}

enum itee_err enclave_host_trpc_close(struct enclave_host *h, uint64_t conn_id)
{
    if (h == NULL)
        return ITEE_ERR_ARG;
    return (enum itee_err)h->trpc_close(conn_id);
}

enum itee_err enclave_host_trpc_feed(struct enclave_host *h, uint64_t conn_id, const uint8_t *in,
                                     size_t in_len, struct itee_buf *out, bool *close)
{
    if (h == NULL || out == NULL || close == NULL || (in == NULL && in_len > 0) ||
        in_len > EDL_TRPC_FEED_MAX)
        return ITEE_ERR_ARG;
    itee_buf_reset(out);
    *close = false;
    uint32_t flags = EDL_TRPC_MORE;
    enum itee_err r = ITEE_OK;
    /* The enclave bounds what one stream holds, so a bounded number of drains empties it; an
     * enclave that keeps saying "more" is broken. */
    for (unsigned i = 0; r == ITEE_OK && (flags & EDL_TRPC_MORE) != 0; i++) {
        r = i < HOST_TRPC_DRAINS ? itee_buf_reserve(out, HOST_TRPC_CHUNK) : ITEE_ERR_ENCLAVE;
        size_t n = 0;
        if (r == ITEE_OK)
            r = (enum itee_err)h->trpc_feed(conn_id, i == 0 ? in : NULL, i == 0 ? in_len : 0,
                                            out->ptr + out->len, HOST_TRPC_CHUNK, &n, &flags);
        if (r == ITEE_OK && n > HOST_TRPC_CHUNK)
            r = ITEE_ERR_ENCLAVE;
        if (r == ITEE_OK)
            out->len += n;
    }
    if (r == ITEE_OK)
        *close = (flags & EDL_TRPC_CLOSE) != 0;
    return r;
}

enum itee_err enclave_host_trpc_metrics(struct enclave_host *h, struct itee_buf *out)
{
    if (h == NULL || out == NULL)
        return ITEE_ERR_ARG;
    itee_buf_reset(out);
    size_t need = 0;
    enum itee_err r = itee_buf_reserve(out, 1024);
    if (r == ITEE_OK)
        r = (enum itee_err)h->trpc_metrics(out->ptr, out->cap, &need);
    if (r == ITEE_ERR_SPACE && need > out->cap) {
        r = itee_buf_reserve(out, need);
        if (r == ITEE_OK)
            r = (enum itee_err)h->trpc_metrics(out->ptr, out->cap, &need);
    }
    if (r == ITEE_OK && need > out->cap)
        r = ITEE_ERR_ENCLAVE;
    if (r == ITEE_OK)
        out->len = need;
    return r;
}
