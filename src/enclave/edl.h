/*
 * edl.h - the enclave boundary: the single list of ecalls (host -> enclave) and ocalls
 * (enclave -> host) of libintegritee-enclave.so, in the spirit of an SGX .edl file.
 *
 * Rules every entry obeys (docs/enclave.md):
 *  - arguments are flat byte buffers with explicit lengths ([in,size=len] / [out,size=cap]);
 *    no nested pointers; the enclave copies what it keeps and holds no host pointer after it
 *    returns (the ocall table is copied by value; its opaque `host` token is only passed back);
 *  - every ecall returns an enum itee_err value as int32_t; an output buffer comes with its
 *    capacity, and when it is too small the ecall returns ITEE_ERR_SPACE and sets *out_len to
 *    the size it needs;
 *  - ocall results are hostile input for the enclave: lengths, codes and contents are checked;
 *  - the host checks ecall_edl_version() == EDL_VERSION before anything else, and the enclave
 *    checks the ocall table's version and size in ecall_init.
 *
 * Software mode (the only mode this build has): MRENCLAVE is the SHA-256 of the .so file,
 * computed by the host loader and handed in at ecall_init. The host is trusted for that value;
 * a hardware build would take it from the CPU (EREPORT) instead, and replace only the loader.
 */
#ifndef ITEE_EDL_H
#define ITEE_EDL_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

/* Version of this boundary; bump on any change to a signature, struct or rule below. */
#define EDL_VERSION 1u

/* Marks an ecall for export; everything else in the .so is hidden (-fvisibility=hidden). */
#define EDL_EXPORT __attribute__((visibility("default")))

#define EDL_MEASUREMENT_LEN  32 /* MRENCLAVE */
#define EDL_SIGNING_PUB_LEN  32 /* ed25519 public key */
#define EDL_LOCAL_SECRET_LEN 32 /* the host's local seal secret (software mode) */
#define EDL_FILE_NAME_MAX    64 /* longest file name an ocall accepts (without the NUL) */
#define EDL_FILE_MAX         ((size_t)16 * 1024 * 1024) /* largest file the enclave reads */
#define EDL_LOG_LINE_MAX     1024                       /* longest log line the enclave emits */
#define EDL_XT_MAX           ((size_t)4 * 1024 * 1024) /* largest extrinsic sent to the parentchain */

/* ecall_init flags. */
#define EDL_INIT_SOFTWARE_MODE 0x1u /* required: this build runs in software mode only */
#define EDL_INIT_DEV           0x2u /* development: debug logging inside the enclave */
#define EDL_INIT_FLAGS_KNOWN   (EDL_INIT_SOFTWARE_MODE | EDL_INIT_DEV)

/*
 * The ocall table, passed by value into ecall_init. File names are plain relative names
 * (validated on both sides: [A-Za-z0-9._-], no leading '.', at most EDL_FILE_NAME_MAX bytes,
 * so no '/' and no '..'); the host resolves them inside its data directory.
 * Every ocall but log returns an enum itee_err value as int32_t.
 */
struct edl_ocalls {
    uint32_t version; /* EDL_VERSION the host was built with */
    uint32_t size;    /* sizeof(struct edl_ocalls) as the host sees it */
    void *host;       /* opaque token passed back to each ocall; never dereferenced inside */
    /* One log line (len <= EDL_LOG_LINE_MAX, not NUL-terminated); level is enum
     * itee_log_level. */
    void (*log)(void *host, uint32_t level, const char *line, size_t len);
    /* Reads file name into buf (cap bytes). ITEE_OK: *len bytes written (<= cap);
     * ITEE_ERR_SPACE: the file has *len bytes, more than cap; ITEE_ERR_NOENT: no such file;
     * ITEE_ERR_IO: anything else. */
    int32_t (*read_file)(void *host, const char *name, uint8_t *buf, size_t cap, size_t *len);
    /* Replaces file name with len bytes atomically (write temp, fsync, rename, fsync dir),
     * readable by the owner only. ITEE_OK or ITEE_ERR_IO. */
    int32_t (*write_file_atomic)(void *host, const char *name, const uint8_t *data, size_t len);
    /* The enclave's only clock: wall-clock milliseconds since the Unix epoch, untrusted. */
    int32_t (*time_now_ms)(void *host, uint64_t *ms);
    /* Submits an encoded extrinsic (with its length prefix) to the parentchain. */
    int32_t (*send_to_parentchain)(void *host, const uint8_t *xt, size_t len);
};

static_assert(sizeof(struct edl_ocalls) == 8 + 6 * sizeof(void *),
              "struct edl_ocalls layout changed: bump EDL_VERSION");

/*
 * Returns: 1 iff name is a plain relative file name as the file ocalls require (see above).
 * Both sides apply it: the enclave before asking, the host before touching its data dir.
 */
static inline int edl_file_name_ok(const char *name)
{
    if (name == NULL || name[0] == '\0' || name[0] == '.')
        return 0;
    for (size_t i = 0; name[i] != '\0'; i++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        if (!ok || i >= EDL_FILE_NAME_MAX)
            return 0;
    }
    return 1;
}

/* ---- ecalls: exported names (dlsym) and signatures ---- */

/* Returns: the EDL_VERSION the enclave was built with (callable before init). */
#define EDL_SYM_EDL_VERSION "ecall_edl_version"
typedef uint32_t (*edl_edl_version_fn)(void);

/*
 * Initialises the enclave: checks the ocall table, loads its sealed keys through read_file or,
 * at first start, generates them (RSA-3072 shielding, ed25519 signer, AES-256 state key) and
 * seals them through write_file_atomic. Permitted once (again only after ecall_shutdown).
 * In: ocalls (copied), mrenclave/mrenclave_len (EDL_MEASUREMENT_LEN), local secret/secret_len
 * (EDL_LOCAL_SECRET_LEN, copied then wiped at shutdown), flags (EDL_INIT_*).
 * Returns: ITEE_OK; ITEE_ERR_ARG; ITEE_ERR_ENCLAVE_VERSION; ITEE_ERR_ENCLAVE_MODE;
 * ITEE_ERR_ENCLAVE_STATE (already initialised); ITEE_ERR_ENCLAVE_UNSEAL (a sealed file this
 * enclave cannot open: other measurement or secret, or tampered); ITEE_ERR_ENCLAVE_OCALL;
 * ITEE_ERR_IO; ITEE_ERR_NOMEM; crypto errors. On failure the enclave stays uninitialised.
 */
#define EDL_SYM_INIT "ecall_init"
typedef int32_t (*edl_init_fn)(const struct edl_ocalls *ocalls, const uint8_t *mrenclave,
                               size_t mrenclave_len, const uint8_t *secret, size_t secret_len,
                               uint32_t flags);

/*
 * Output ecalls share one shape: Out: out/cap, *out_len. Returns: ITEE_OK (*out_len bytes
 * written); ITEE_ERR_SPACE (*out_len = bytes needed); ITEE_ERR_ENCLAVE_STATE (not
 * initialised); ITEE_ERR_ARG.
 */
typedef int32_t (*edl_get_fn)(uint8_t *out, size_t cap, size_t *out_len);

/* MRENCLAVE (32 bytes) the enclave was initialised with. */
#define EDL_SYM_GET_MRENCLAVE "ecall_get_mrenclave"
/* Shielding public key JSON {"n":[..],"e":[..]} (worker-protocol.md §4.5), no NUL. */
#define EDL_SYM_GET_SHIELDING_PUBKEY "ecall_get_shielding_pubkey"
/* ed25519 public key of the signer (sidechain blocks, parentchain extrinsics), 32 bytes. */
#define EDL_SYM_GET_SIGNING_PUBKEY "ecall_get_signing_pubkey"
/* ed25519 public key of the enclave's STF account (seed = blake2_256(RSA key pair JSON)). */
#define EDL_SYM_GET_ENCLAVE_ACCOUNT "ecall_get_enclave_account"

/*
 * Signs a parentchain extrinsic with the enclave signer (its L1 account). In: req/req_len, a
 * SCALE request (enclave_xt.h: chain values, era, nonce, tip, submit flag, call), copied
 * before use. Out: out/cap, *out_len: the encoded extrinsic (length prefix included). With the
 * submit flag set it is also handed to send_to_parentchain, but only once it fitted into out.
 * Returns: ITEE_OK; ITEE_ERR_SPACE (*out_len = size needed; nothing submitted); ITEE_ERR_SCALE_*
 * or ITEE_ERR_ARG (malformed request); ITEE_ERR_ENCLAVE_STATE; what send_to_parentchain returned.
 */
#define EDL_SYM_SIGN_PARENTCHAIN_XT "ecall_sign_parentchain_xt"
/* The shape of every request/answer ecall (ITEE_ERR_SPACE: *out_len = size needed). */
typedef int32_t (*edl_request_fn)(const uint8_t *req, size_t req_len, uint8_t *out, size_t cap,
                                  size_t *out_len);

/*
 * Executes one trusted call on a shard's state (src/enclave/enclave_stf.h):
 * req = shard [u8;32] | flags u8 (bit 0: payload RSA-encrypted with the shielding key) |
 * SCALE(TrustedCallSigned). Answer: result u32 | call_hash [u8;32] | log Vec<u8>.
 * cap must be at least 41 (else ITEE_ERR_SPACE before anything runs). A rejected call is the
 * ecall's error and changes nothing; an applied one is persisted before the answer.
 */
#define EDL_SYM_STF_EXECUTE "ecall_stf_execute"
/* Runs one getter: req = shard [u8;32] | SCALE(Getter); answer SCALE(Option<Vec<u8>>). */
#define EDL_SYM_STF_GET "ecall_stf_get"
/* Both are edl_request_fn. */

/*
 * Trusted JSON-RPC with TLS ending inside the enclave (src/enclave/enclave_trpc.h). The host
 * names each client connection by an id of its choice and moves only ciphertext.
 * config: req = shard [u8;32] | mu_ra_url String | untrusted_url String (edl_request_fn shape,
 * nothing is written to out). open/close: a connection id (ITEE_ERR_TRPC_LIMIT at the
 * connection limit, ITEE_ERR_TRPC_CONN for an id in use / unknown). feed: in (at most
 * EDL_TRPC_FEED_MAX bytes, 0 = only drain) is consumed; up to cap bytes of ciphertext go to out;
 * *flags: EDL_TRPC_MORE (call again with no input), EDL_TRPC_CLOSE (send out, then close the
 * socket; the enclave has already forgotten the id). metrics: edl_get_fn, SCALE
 * conns_open u32 | conns_opened u64 | conns_refused u64 | Vec<(String method, u64 calls)>.
 */
#define EDL_TRPC_FEED_MAX    ((size_t)256 * 1024)
#define EDL_TRPC_MORE        0x1u
#define EDL_TRPC_CLOSE       0x2u
#define EDL_SYM_TRPC_CONFIG  "ecall_trpc_config"
#define EDL_SYM_TRPC_OPEN    "ecall_trpc_open"
#define EDL_SYM_TRPC_FEED    "ecall_trpc_feed"
#define EDL_SYM_TRPC_CLOSE   "ecall_trpc_close"
#define EDL_SYM_TRPC_METRICS "ecall_trpc_metrics"
typedef int32_t (*edl_trpc_conn_fn)(uint64_t conn_id);
typedef int32_t (*edl_trpc_feed_fn)(uint64_t conn_id, const uint8_t *in, size_t in_len,
                                    uint8_t *out, size_t cap, size_t *out_len, uint32_t *flags);

/*
 * Parentchain importer (src/enclave/enclave_pc.h: request and answer layouts). init and import
 * are edl_request_fn, status is edl_get_fn. init: genesis header, Grandpa.Authorities read proof,
 * metadata (host supplied), runtime versions, the signer's next nonce, the shard; creates the
 * light client or restores the sealed one. import: one pc_bundle; the enclave executes the
 * indirect calls of every newly finalized block and sends confirmations / unshields through
 * send_to_parentchain. A bundle that does not extend the light client changes nothing.
 */
#define EDL_SYM_PARENTCHAIN_INIT   "ecall_parentchain_init"
#define EDL_SYM_PARENTCHAIN_IMPORT "ecall_parentchain_import"
#define EDL_SYM_PARENTCHAIN_STATUS "ecall_parentchain_status"

/* Wipes every secret and returns to the uninitialised state. Returns: ITEE_OK or
 * ITEE_ERR_ENCLAVE_STATE. */
#define EDL_SYM_SHUTDOWN "ecall_shutdown"
typedef int32_t (*edl_shutdown_fn)(void);

#endif
