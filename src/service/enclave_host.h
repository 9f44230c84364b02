/*
 * enclave_host.h - the untrusted side of the enclave boundary: loads libintegritee-enclave.so
 * (software mode: dlopen), measures it, resolves and version-checks its ecalls (edl.h), and
 * implements the ocalls over one data directory.
 *
 * Software mode: MRENCLAVE is the SHA-256 of the library file, computed here from the very
 * bytes that are then loaded (dlopen of the measured descriptor), and handed to ecall_init.
 * The enclave has to trust the host for that value; a hardware build gets it from the CPU and
 * replaces this loader (sgx_create_enclave) but keeps edl.h.
 *
 * Data directory: the enclave's sealed files (through the file ocalls, names checked by
 * edl_file_name_ok) and the host's local seal secret ENCLAVE_HOST_SECRET_FILE (32 random
 * bytes, mode 0600, created at first start; the enclave may not touch it).
 */
#ifndef ITEE_ENCLAVE_HOST_H
#define ITEE_ENCLAVE_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "enclave/edl.h"

#define ENCLAVE_HOST_SECRET_FILE "local_seal_secret.bin"
#define ENCLAVE_HOST_PATH_MAX    4096 /* longest data dir or library path accepted */

struct enclave_host;

/* Receives extrinsics the enclave sends to the parentchain (see enclave_host_set_xt_sink). */
typedef enum itee_err (*enclave_host_xt_fn)(void *ctx, const uint8_t *xt, size_t len);

/*
 * Loads and initialises the enclave: measure, dlopen, resolve every ecall, check EDL_VERSION,
 * create the data dir (0700) and local secret if missing, ecall_init. Logs the software-mode
 * line with the MRENCLAVE.
 * In: so_path (the library), data_dir, flags (EDL_INIT_*; EDL_INIT_SOFTWARE_MODE is added).
 * Returns: ITEE_OK; ITEE_ERR_ENCLAVE_LOAD (not loadable, missing ecall); ITEE_ERR_ENCLAVE_VERSION;
 * ITEE_ERR_IO/ITEE_ERR_NOENT/ITEE_ERR_FORMAT (files); whatever ecall_init returns
 * (e.g. ITEE_ERR_ENCLAVE_UNSEAL); ITEE_ERR_NOMEM; ITEE_ERR_ARG.
 * Out: *out (NULL on failure; release with enclave_host_close).
 */
ITEE_MUST_CHECK enum itee_err enclave_host_open(struct enclave_host **out, const char *so_path,
                                                const char *data_dir, uint32_t flags);

/* Shuts the enclave down (wiping its secrets), unloads it and frees h. NULL is a no-op. */
void enclave_host_close(struct enclave_host *h);

/* Returns: the MRENCLAVE the loader computed (32 bytes, valid while h lives). */
const uint8_t *enclave_host_measurement(const struct enclave_host *h);

/* Installs where send_to_parentchain ocalls go (none: the ocall fails with ITEE_ERR_IO). */
void enclave_host_set_xt_sink(struct enclave_host *h, enclave_host_xt_fn fn, void *ctx);

/* Ecall wrappers. Returns: ITEE_OK or the ecall's error. Out: as named (zeroed on failure). */
ITEE_MUST_CHECK enum itee_err enclave_host_mrenclave(struct enclave_host *h,
                                                     uint8_t out[EDL_MEASUREMENT_LEN]);
ITEE_MUST_CHECK enum itee_err enclave_host_signing_pubkey(struct enclave_host *h,
                                                          uint8_t out[EDL_SIGNING_PUB_LEN]);
ITEE_MUST_CHECK enum itee_err enclave_host_enclave_account(struct enclave_host *h,
                                                           uint8_t out[EDL_SIGNING_PUB_LEN]);
/* Out: out is reset and receives the shielding public key JSON (no NUL). */
ITEE_MUST_CHECK enum itee_err enclave_host_shielding_pubkey(struct enclave_host *h,
                                                            struct itee_buf *out);

/*
 * Has the enclave sign a parentchain extrinsic (request layout: src/enclave/enclave_xt.h; with
 * its submit flag the enclave also sends it through send_to_parentchain).
 * Returns: ITEE_OK or the ecall's error. Out: out is reset and receives the extrinsic.
 */
ITEE_MUST_CHECK enum itee_err enclave_host_sign_xt(struct enclave_host *h, const uint8_t *req,
                                                   size_t req_len, struct itee_buf *out);

/*
 * STF ecalls (request/answer formats: src/enclave/enclave_stf.h, docs/enclave.md).
 * Returns: ITEE_OK or the ecall's error. Out: out is reset and receives the answer.
 */
ITEE_MUST_CHECK enum itee_err enclave_host_stf_execute(struct enclave_host *h, const uint8_t *req,
                                                       size_t req_len, struct itee_buf *out);
ITEE_MUST_CHECK enum itee_err enclave_host_stf_get(struct enclave_host *h, const uint8_t *req,
                                                   size_t req_len, struct itee_buf *out);

/*
 * Trusted RPC ecalls (src/enclave/enclave_trpc.h). config tells the enclave the shard it serves
 * and the URLs it reports. feed hands in_len ciphertext bytes of connection conn_id in and
 * returns in out (reset first) every ciphertext byte the enclave has to send; *close says the
 * connection is to be closed once out is sent (the enclave has then forgotten conn_id).
 * Returns: ITEE_OK or the ecall's error (ITEE_ERR_TRPC_LIMIT, ITEE_ERR_TRPC_CONN, ...);
 * ITEE_ERR_ENCLAVE when the enclave breaks the output protocol.
 */
ITEE_MUST_CHECK enum itee_err enclave_host_trpc_config(struct enclave_host *h,
                                                       const uint8_t shard[32],
                                                       const char *mu_ra_url,
                                                       const char *untrusted_url);
ITEE_MUST_CHECK enum itee_err enclave_host_trpc_open(struct enclave_host *h, uint64_t conn_id);
ITEE_MUST_CHECK enum itee_err enclave_host_trpc_feed(struct enclave_host *h, uint64_t conn_id,
                                                     const uint8_t *in, size_t in_len,
                                                     struct itee_buf *out, bool *close);
ITEE_MUST_CHECK enum itee_err enclave_host_trpc_close(struct enclave_host *h, uint64_t conn_id);
/* Out: out is reset and receives the metrics (SCALE, layout in edl.h). */
ITEE_MUST_CHECK enum itee_err enclave_host_trpc_metrics(struct enclave_host *h,
                                                        struct itee_buf *out);

/* The parentchain importer's progress (status answer; init fills finalized only). */
struct enclave_host_pc_status {
    uint32_t finalized;         /* last finalized block the light client holds */
    uint8_t finalized_hash[32]; /* its hash */
    uint32_t last_processed;    /* last block whose indirect calls were executed */
    uint32_t best;              /* last header imported (send best + 1 next) */
};

/* What one import did. */
struct enclave_host_pc_import {
    uint32_t number;         /* the bundle's block */
    uint8_t hash[32];        /* its hash */
    uint32_t finalized;      /* finalized number afterwards */
    uint32_t calls_executed; /* indirect calls executed */
    uint32_t xts_sent;       /* extrinsics handed to send_to_parentchain */
};

/*
 * Parentchain importer ecalls (formats: src/enclave/enclave_pc.h). init: req is the SCALE init
 * request (pc_import_init_request builds it); import: one pc_bundle.
 * Returns: ITEE_OK or the ecall's error. Out: *out (zeroed on failure).
 */
ITEE_MUST_CHECK enum itee_err enclave_host_parentchain_init(struct enclave_host *h,
                                                            const uint8_t *req, size_t req_len,
                                                            struct enclave_host_pc_status *out);
ITEE_MUST_CHECK enum itee_err enclave_host_parentchain_import(struct enclave_host *h,
                                                              const uint8_t *bundle, size_t len,
                                                              struct enclave_host_pc_import *out);
ITEE_MUST_CHECK enum itee_err enclave_host_parentchain_status(struct enclave_host *h,
                                                              struct enclave_host_pc_status *out);

/*
 * Computes the software-mode measurement of a library file: SHA-256 of its bytes.
 * Returns: ITEE_OK; ITEE_ERR_NOENT; ITEE_ERR_IO; ITEE_ERR_NOMEM; ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err enclave_host_measure(const char *path,
                                                   uint8_t out[EDL_MEASUREMENT_LEN]);

#endif
