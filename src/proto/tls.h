/*
 * tls.h - TLS sessions on OpenSSL memory BIOs, without sockets, so that TLS can end inside the
 * enclave: the host only moves ciphertext bytes in (tls_session_feed_cipher) and out
 * (tls_session_take_cipher); plaintext never leaves the session's owner.
 *
 * Contexts (struct tls_ctx) hold what many sessions share:
 *   - a server context made from the enclave's ed25519 signing seed, with a self-signed X.509
 *     certificate made in memory (so a client can pin the TLS key to the key registered on the
 *     parentchain), or from a PEM certificate chain and key;
 *   - a client context that pins the server's ed25519 key, verifies the chain against CA
 *     certificates handed in as PEM bytes (the enclave cannot read /etc/ssl) plus the host
 *     name, or (debug only) verifies nothing.
 * TLS 1.2 and 1.3 (preferred); renegotiation is refused; session tickets are not issued.
 *
 * A session is single-threaded. Every buffer it holds is bounded by max_pending: a peer that
 * floods, or an owner that does not drain, gets ITEE_ERR_TLS_LIMIT, never unbounded memory.
 * Errors from tls_session_feed_cipher and tls_session_read (but ITEE_ERR_ARG) are fatal: the
 * session is failed, every later call returns the same error, and only tls_session_take_cipher
 * still yields what is left to send (typically the alert telling the peer why).
 * tls_session_write's ITEE_ERR_TLS_LIMIT, ITEE_ERR_TLS_CLOSED and ITEE_ERR_NOMEM leave the
 * session as it was. The OpenSSL reason for a failure is in tls_session_reason (for logs; it
 * never contains key material).
 *
 * Buffers: every pointer argument is borrowed for the duration of the call; input bytes are
 * copied, output goes into caller memory. Contexts and sessions are owned by their creator and
 * freed with tls_ctx_free / tls_session_free.
 *
 * Typical owner loop: on bytes from the network, feed_cipher, then read plaintext until it
 * yields 0 bytes and act on it, write replies, then take_cipher and send what it yields.
 * OpenSSL initialises itself, but is told not to read openssl.cnf (no file I/O in the enclave,
 * no host policy); certificate times are formatted without gmtime (which reads the time zone
 * file) and pinned clients do not check dates: time comes from the caller's "now" only (CA
 * clients with now = 0 use the system clock). libssl itself still stamps its session objects
 * with time(), a vDSO read. This module keeps no global state.
 */
#ifndef ITEE_TLS_H
#define ITEE_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"

#define TLS_ED25519_SEED_LEN     32                         /* RFC 8032 private key */
#define TLS_ED25519_PUBLIC_LEN   32                         /* RFC 8032 public key */
#define TLS_DEFAULT_MAX_PENDING  ((size_t)16 * 1024 * 1024) /* bytes per buffer, see above */
#define TLS_MIN_PENDING          ((size_t)64 * 1024)        /* below this TLS cannot work */
#define TLS_DEFAULT_VALID_DAYS   365                        /* self-signed validity */
#define TLS_DEFAULT_COMMON_NAME  "integritee-enclave"       /* subject CN when none given */
#define TLS_MAX_ALT_NAMES        16                         /* subjectAltName entries */
#define TLS_MAX_NAME_LEN         253                        /* a DNS name's maximum */
#define TLS_NOT_BEFORE_SLACK_SEC 3600 /* notBefore = now - this, for clients' clock skew */

struct tls_ctx;     /* server or client configuration shared by sessions */
struct tls_session; /* one TLS connection's state and buffers */

/* What a self-signed server certificate says. */
struct tls_server_config {
    const char *common_name;      /* subject = issuer CN; NULL = TLS_DEFAULT_COMMON_NAME */
    const char *const *alt_names; /* subjectAltName: IP literals become IP entries, others DNS */
    size_t alt_names_len;         /* entries in alt_names, at most TLS_MAX_ALT_NAMES */
    uint64_t now;                 /* seconds since the epoch (the enclave has no clock) */
    uint32_t valid_days;          /* notAfter = now + this many days; 0 = default */
};

/* How a client checks the server. */
enum tls_verify_mode {
    TLS_VERIFY_PINNED = 1, /* the leaf key must be the given ed25519 key; self-signed is fine */
    TLS_VERIFY_CA = 2,     /* chain to one of the given CA certificates, and the host name */
    TLS_VERIFY_NONE = 3,   /* debug only: anyone is accepted (man in the middle included) */
};

struct tls_client_config {
    enum tls_verify_mode mode;                  /* see above */
    uint8_t pinned_key[TLS_ED25519_PUBLIC_LEN]; /* TLS_VERIFY_PINNED: expected leaf key */
    const uint8_t *ca_pem;                      /* TLS_VERIFY_CA: one or more PEM certs */
    size_t ca_pem_len;                          /* their length */
    uint64_t now; /* TLS_VERIFY_CA: seconds since the epoch for validity checks; 0 = clock */
};

/* Session progress, see tls_session_state. */
enum tls_state {
    TLS_STATE_HANDSHAKE = 1, /* handshake in progress; written plaintext is queued */
    TLS_STATE_OPEN = 2,      /* handshake done: data flows both ways */
    TLS_STATE_CLOSED = 3,    /* the peer sent close_notify, or we called tls_session_close */
    TLS_STATE_FAILED = 4,    /* a fatal error; only tls_session_take_cipher still works */
};

/*
 * Makes a server context whose key is the ed25519 key of seed and whose certificate is a fresh
 * self-signed X.509 v3 certificate (random serial, valid from now - 1 h for valid_days,
 * CA:FALSE, serverAuth, the given subjectAltNames; it can serve as its own trust anchor).
 * Returns: ITEE_OK and *out; ITEE_ERR_ARG (NULL, a name too long or containing NUL/control
 * bytes, too many names, now too large), ITEE_ERR_NOMEM, ITEE_ERR_CRYPTO_LIB.
 */
ITEE_MUST_CHECK enum itee_err tls_server_ctx_new(struct tls_ctx **out,
                                                 const uint8_t seed[TLS_ED25519_SEED_LEN],
                                                 const struct tls_server_config *cfg);
/*
 * Makes a server context from a PEM certificate chain (leaf first) and its PEM private key
 * (e.g. a CA-issued certificate for an HTTPS endpoint served from the enclave).
 * Returns: ITEE_OK and *out; ITEE_ERR_ARG; ITEE_ERR_TLS_PEM (unparsable, or the key does not
 * match the leaf); ITEE_ERR_NOMEM; ITEE_ERR_CRYPTO_LIB.
 */
ITEE_MUST_CHECK enum itee_err tls_server_ctx_new_pem(struct tls_ctx **out, const uint8_t *chain_pem,
                                                     size_t chain_len, const uint8_t *key_pem,
                                                     size_t key_len);
/*
 * Makes a client context.
 * Returns: ITEE_OK and *out; ITEE_ERR_ARG (bad mode, no CA bytes for TLS_VERIFY_CA);
 * ITEE_ERR_TLS_PEM (CA bytes hold no parsable certificate); ITEE_ERR_NOMEM;
 * ITEE_ERR_CRYPTO_LIB.
 */
ITEE_MUST_CHECK enum itee_err tls_client_ctx_new(struct tls_ctx **out,
                                                 const struct tls_client_config *cfg);
/* Frees a context. Sessions made from it keep their own reference; NULL is a no-op. */
void tls_ctx_free(struct tls_ctx *ctx);
/* Returns: true for server contexts. */
bool tls_ctx_is_server(const struct tls_ctx *ctx);
/* Returns: a view of the server certificate in DER (empty for client contexts); valid while
 * ctx lives. */
struct itee_slice tls_ctx_cert_der(const struct tls_ctx *ctx);

/*
 * Makes a session. For client contexts host (may be NULL except for TLS_VERIFY_CA) is sent as
 * SNI (DNS names only) and checked against the certificate in TLS_VERIFY_CA mode; a client
 * session has its ClientHello ready in tls_session_take_cipher at once. Servers ignore host.
 * max_pending bounds each buffer (0 = TLS_DEFAULT_MAX_PENDING, at least TLS_MIN_PENDING).
 * Returns: ITEE_OK and *out; ITEE_ERR_ARG (NULL ctx, host missing or too long, max_pending
 * too small), ITEE_ERR_NOMEM, ITEE_ERR_CRYPTO_LIB.
 */
ITEE_MUST_CHECK enum itee_err tls_session_new(struct tls_session **out, struct tls_ctx *ctx,
                                              const char *host, size_t max_pending);
/* Frees the session without sending anything; NULL is a no-op. */
void tls_session_free(struct tls_session *s);

/*
 * Consumes len ciphertext bytes received from the peer (copied) and advances the handshake.
 * Returns: ITEE_OK (also when more bytes are needed); ITEE_ERR_TLS_LIMIT (unread input would
 * exceed max_pending, or unsent output already does); ITEE_ERR_TLS (protocol error, alert from
 * the peer); ITEE_ERR_TLS_VERIFY (client: the chain or host name did not verify);
 * ITEE_ERR_TLS_PEER_KEY (client: the leaf key is not the pinned one); ITEE_ERR_TLS_CLOSED (input
 * after the session closed); ITEE_ERR_NOMEM; ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err tls_session_feed_cipher(struct tls_session *s, const uint8_t *data,
                                                      size_t len);
/*
 * Decrypts up to cap bytes of received plaintext into buf (caller memory).
 * Returns: ITEE_OK with *out_len bytes (0: nothing complete yet, or the peer closed - see
 * tls_session_state); errors as tls_session_feed_cipher. Out: *out_len (0 on error).
 */
ITEE_MUST_CHECK enum itee_err tls_session_read(struct tls_session *s, uint8_t *buf, size_t cap,
                                               size_t *out_len);
/*
 * Encrypts len plaintext bytes for the peer (queued until the handshake is done).
 * Returns: ITEE_OK; ITEE_ERR_TLS_LIMIT (the queue or unsent ciphertext would exceed
 * max_pending: the owner should drain or drop the peer; the session stays usable);
 * ITEE_ERR_TLS_CLOSED (after close); ITEE_ERR_NOMEM; the session's error if failed.
 */
ITEE_MUST_CHECK enum itee_err tls_session_write(struct tls_session *s, const uint8_t *data,
                                                size_t len);
/* Returns: how many ciphertext bytes wait to be sent. */
size_t tls_session_cipher_pending(const struct tls_session *s);
/*
 * Moves up to cap bytes of ciphertext to send into buf (caller memory); works in every state.
 * Returns: ITEE_OK with *out_len bytes (0 = nothing to send), ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err tls_session_take_cipher(struct tls_session *s, uint8_t *buf,
                                                      size_t cap, size_t *out_len);
/*
 * Sends close_notify (take it with tls_session_take_cipher); later writes fail. A peer's
 * close_notify shows as TLS_STATE_CLOSED; a stream that ends without one may be truncated.
 * Returns: ITEE_OK (also if already closed), the session's error if failed.
 */
ITEE_MUST_CHECK enum itee_err tls_session_close(struct tls_session *s);
/* Returns: the session's state. */
enum tls_state tls_session_state(const struct tls_session *s);
/* Returns: true once the peer's close_notify has been read. */
bool tls_session_peer_closed(const struct tls_session *s);
/* Returns: OpenSSL's reason for the last error ("" if none); valid while s lives. */
const char *tls_session_reason(const struct tls_session *s);
/* Returns: the negotiated protocol ("TLSv1.3"), or "" during the handshake. */
const char *tls_session_version(const struct tls_session *s);
/*
 * Copies the peer's leaf public key if it is ed25519 (for logging or a later check).
 * Returns: ITEE_OK, ITEE_ERR_ARG (no peer certificate yet), ITEE_ERR_UNSUPPORTED (not ed25519).
 */
ITEE_MUST_CHECK enum itee_err tls_session_peer_ed25519(const struct tls_session *s,
                                                       uint8_t out[TLS_ED25519_PUBLIC_LEN]);

#endif
