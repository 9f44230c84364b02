/*
 * tls.c - TLS contexts and sessions on OpenSSL memory BIOs (see tls.h).
 *
 * Each session owns an SSL object with two memory BIOs: rbio holds ciphertext received from
 * the peer that OpenSSL has not consumed yet, wbio holds ciphertext OpenSSL produced that the
 * owner has not taken yet. Both are checked against max_pending before they can grow, so the
 * memory of a session is bounded whatever the peer sends. Plaintext written before the
 * handshake completes waits in an itee_buf (wiped when freed: it may be secret).
 *
 * OpenSSL keeps its errors in a per-thread queue; every call into libssl starts with an empty
 * queue (as SSL_get_error requires), and whatever is left is turned into the session's reason
 * text and cleared, so no error leaks from one session into another.
 */
#include "proto/tls.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/mem.h"

#define TLS_REASON_LEN     160                       /* bytes of OpenSSL reason kept */
#define TLS_SERIAL_LEN     16                        /* random serial number bytes */
#define TLS_MAX_CN_LEN     64                        /* X.520 ub-common-name */
#define TLS_MAX_VALID_DAYS 36500                     /* a century is plenty */
#define TLS_MAX_NOW        ((uint64_t)253402300799)  /* 9999-12-31T23:59:59Z */
#define TLS_MAX_PEM_LEN    ((size_t)4 * 1024 * 1024) /* CA bundles are far smaller */

struct tls_ctx {
    SSL_CTX *ssl_ctx;                           /* shared OpenSSL configuration */
    bool server;                                /* server or client role */
    enum tls_verify_mode mode;                  /* client: how the server is checked */
    uint8_t pinned_key[TLS_ED25519_PUBLIC_LEN]; /* client, TLS_VERIFY_PINNED: leaf key */
    struct itee_buf cert_der;                   /* server: leaf certificate, DER */
};

struct tls_session {
    SSL *ssl;                                   /* OpenSSL connection (owns both BIOs) */
    BIO *rbio;                                  /* ciphertext from the peer, not yet consumed */
    BIO *wbio;                                  /* ciphertext for the peer, not yet taken */
    struct itee_buf early;                      /* plaintext written during the handshake */
    size_t max_pending;                         /* bound of rbio, wbio and early */
    enum tls_verify_mode mode;                  /* client: copy of the context's mode */
    uint8_t pinned_key[TLS_ED25519_PUBLIC_LEN]; /* client: copy of the pinned key */
    bool server;                                /* role */
    bool pin_mismatch;                          /* the verify callback saw another key */
    bool peer_closed;                           /* close_notify read */
    bool we_closed;                             /* tls_session_close called */
    bool open;                                  /* handshake completed */
    enum itee_err err;                          /* sticky fatal error, ITEE_OK while healthy */
    char reason[TLS_REASON_LEN];                /* OpenSSL's text for err */
};

/* PEM input here never has a passphrase: refuse instead of prompting on a terminal. */
static int tls_no_password(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

/* Copies an ed25519 certificate's raw public key. */
static enum itee_err tls_cert_ed25519(X509 *cert, uint8_t out[TLS_ED25519_PUBLIC_LEN])
{
    EVP_PKEY *pk = cert != NULL ? X509_get0_pubkey(cert) : NULL;
    if (pk == NULL)
        return ITEE_ERR_ARG;
    size_t len = TLS_ED25519_PUBLIC_LEN;
    if (EVP_PKEY_get_id(pk) != EVP_PKEY_ED25519 ||
        EVP_PKEY_get_raw_public_key(pk, out, &len) != 1 || len != TLS_ED25519_PUBLIC_LEN) {
        ERR_clear_error();
        return ITEE_ERR_UNSUPPORTED;
    }
    return ITEE_OK;
}

/* ---------------------------------------------------------------- contexts */

/*
 * OpenSSL 3 reads the machine's openssl.cnf on first use: file I/O the enclave must not do, and
 * a host policy that must not change the enclave's TLS. Called before anything else touches
 * OpenSSL here; if the process already loaded its configuration this changes nothing.
 */
static enum itee_err tls_lib_init(void)
{
    if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) != 1)
        return ITEE_ERR_CRYPTO_LIB;
    return ITEE_OK;
}

static enum itee_err tls_ctx_alloc(struct tls_ctx **out, bool server)
{
    struct tls_ctx *c = itee_zalloc(sizeof(*c));
    if (c == NULL)
        return ITEE_ERR_NOMEM;
    c->server = server;
    itee_buf_init(&c->cert_der, 0);
    c->ssl_ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    if (c->ssl_ctx == NULL)
        goto fail;
    /* TLS 1.2 is the floor (1.3 is preferred by OpenSSL); nothing may renegotiate, and every
     * connection is a full handshake: no session cache, no tickets to manage keys for */
    if (SSL_CTX_set_min_proto_version(c->ssl_ctx, TLS1_2_VERSION) != 1)
        goto fail;
    SSL_CTX_set_options(c->ssl_ctx,
                        SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(c->ssl_ctx, SSL_SESS_CACHE_OFF);
    if (server && SSL_CTX_set_num_tickets(c->ssl_ctx, 0) != 1)
        goto fail;
    SSL_CTX_set_default_passwd_cb(c->ssl_ctx, tls_no_password);
    *out = c;
    return ITEE_OK;
fail:
    ERR_clear_error();
    tls_ctx_free(c);
    return ITEE_ERR_CRYPTO_LIB;
}

void tls_ctx_free(struct tls_ctx *ctx)
{
    if (ctx == NULL)
        return;
    SSL_CTX_free(ctx->ssl_ctx);
    itee_buf_free(&ctx->cert_der);
    itee_free(ctx);
}

bool tls_ctx_is_server(const struct tls_ctx *ctx)
{
    return ctx != NULL && ctx->server;
}

struct itee_slice tls_ctx_cert_der(const struct tls_ctx *ctx)
{
    if (ctx == NULL)
        return itee_slice_make(NULL, 0);
    return itee_buf_slice(&ctx->cert_der);
}

/* Stores the context's leaf certificate as DER. */
static enum itee_err tls_ctx_keep_der(struct tls_ctx *c, X509 *cert)
{
    int n = i2d_X509(cert, NULL);
    if (n <= 0)
        return ITEE_ERR_CRYPTO_LIB;
    enum itee_err r = itee_buf_reserve(&c->cert_der, (size_t)n);
    if (r != ITEE_OK)
        return r;
    uint8_t *p = c->cert_der.ptr;
    if (i2d_X509(cert, &p) != n)
        return ITEE_ERR_CRYPTO_LIB;
    c->cert_der.len = (size_t)n;
    return ITEE_OK;
}

/* A name for subjectAltName: printable ASCII without spaces. */
static bool tls_alt_name_ok(const char *name)
{
    if (name == NULL)
        return false;
    size_t len = strnlen(name, TLS_MAX_NAME_LEN + 1);
    if (len == 0 || len > TLS_MAX_NAME_LEN)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] <= 0x20 || (unsigned char)name[i] >= 0x7f)
            return false;
    return true;
}

/* A common name: UTF-8 without control bytes (validity of the UTF-8 is OpenSSL's check). */
static bool tls_cn_ok(const char *cn)
{
    size_t len = strnlen(cn, TLS_MAX_CN_LEN + 1);
    if (len == 0 || len > TLS_MAX_CN_LEN)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)cn[i] < 0x20 || (unsigned char)cn[i] == 0x7f)
            return false;
    return true;
}

static enum itee_err tls_server_config_check(const struct tls_server_config *cfg)
{
    if (cfg->now > TLS_MAX_NOW || cfg->valid_days > TLS_MAX_VALID_DAYS ||
        cfg->alt_names_len > TLS_MAX_ALT_NAMES || (cfg->alt_names == NULL && cfg->alt_names_len))
        return ITEE_ERR_ARG;
    if (cfg->common_name != NULL && !tls_cn_ok(cfg->common_name))
        return ITEE_ERR_ARG;
    for (size_t i = 0; i < cfg->alt_names_len; i++)
        if (!tls_alt_name_ok(cfg->alt_names[i]))
            return ITEE_ERR_ARG;
    return ITEE_OK;
}

/* Adds subjectAltName: IP literals as iPAddress, everything else as dNSName. */
static bool tls_cert_add_san(X509 *x, const struct tls_server_config *cfg)
{
    if (cfg->alt_names_len == 0)
        return true;
    bool ok = false;
    GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
    if (gens == NULL)
        return false;
    for (size_t i = 0; i < cfg->alt_names_len; i++) {
        const char *name = cfg->alt_names[i];
        GENERAL_NAME *g = GENERAL_NAME_new();
        if (g == NULL)
            goto out;
        ASN1_OCTET_STRING *ip = a2i_IPADDRESS(name);
        if (ip != NULL) {
            GENERAL_NAME_set0_value(g, GEN_IPADD, ip);
        } else {
            ASN1_IA5STRING *dns = ASN1_IA5STRING_new();
            if (dns == NULL || ASN1_STRING_set(dns, name, (int)strlen(name)) != 1) {
                ASN1_IA5STRING_free(dns);
                GENERAL_NAME_free(g);
                goto out;
            }
            GENERAL_NAME_set0_value(g, GEN_DNS, dns);
        }
        if (sk_GENERAL_NAME_push(gens, g) <= 0) {
            GENERAL_NAME_free(g);
            goto out;
        }
    }
    ok = X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, X509V3_ADD_DEFAULT) == 1;
out:
    GENERAL_NAMES_free(gens);
    return ok;
}

/*
 * Adds the fixed extensions of a leaf that only serves TLS. No keyUsage: with it, the
 * certificate (lacking keyCertSign, which CA:FALSE forbids) could not act as its own trust
 * anchor, and clients that pin by trusting exactly this certificate would reject it.
 */
static bool tls_cert_add_fixed_ext(X509 *x)
{
    static const struct {
        int nid;           /* extension */
        const char *value; /* its value in OpenSSL's config syntax (constant, never input) */
    } exts[] = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_ext_key_usage, "serverAuth"},
        {NID_subject_key_identifier, "hash"},
    };
    X509V3_CTX v3;
    X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &v3, exts[i].nid, exts[i].value);
        bool ok = e != NULL && X509_add_ext(x, e, -1) == 1;
        X509_EXTENSION_free(e);
        if (!ok)
            return false;
    }
    return true;
}

/* Sets a random positive serial number (RFC 5280: unique per issuer, at most 20 bytes). */
static bool tls_cert_set_serial(X509 *x)
{
    uint8_t raw[TLS_SERIAL_LEN];
    if (RAND_bytes(raw, sizeof(raw)) != 1)
        return false;
    raw[0] = (uint8_t)((raw[0] & 0x7f) | 0x40); /* positive, and never shorter than 16 bytes */
    BIGNUM *bn = BN_bin2bn(raw, sizeof(raw), NULL);
    bool ok = bn != NULL && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
    BN_free(bn);
    return ok;
}

/*
 * Sets t to the given second since the epoch without libc's gmtime, which reads the time zone
 * file on first use (file I/O the enclave must not do). Days to civil date: H. Hinnant's
 * algorithm (proleptic Gregorian; secs is non-negative here).
 */
static bool tls_time_set(ASN1_TIME *t, uint64_t secs)
{
    uint64_t days = secs / 86400, sod = secs % 86400;
    uint64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    uint64_t day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
    uint64_t year = yoe + era * 400 + (month <= 2);
    char text[32];
    int n = snprintf(text, sizeof(text), "%04llu%02llu%02llu%02llu%02llu%02lluZ",
                     (unsigned long long)year, (unsigned long long)month, (unsigned long long)day,
                     (unsigned long long)(sod / 3600), (unsigned long long)(sod / 60 % 60),
                     (unsigned long long)(sod % 60));
    /* picks UTCTime before 2050 and GeneralizedTime after, as RFC 5280 requires */
    return n == 15 && ASN1_TIME_set_string_X509(t, text) == 1;
}

/* Makes the self-signed certificate of pkey. */
static enum itee_err tls_cert_make(X509 **out, EVP_PKEY *pkey, const struct tls_server_config *cfg)
{
    const char *cn = cfg->common_name != NULL ? cfg->common_name : TLS_DEFAULT_COMMON_NAME;
    uint32_t days = cfg->valid_days != 0 ? cfg->valid_days : TLS_DEFAULT_VALID_DAYS;
    uint64_t from = cfg->now > TLS_NOT_BEFORE_SLACK_SEC ? cfg->now - TLS_NOT_BEFORE_SLACK_SEC : 0;
    uint64_t until = cfg->now + (uint64_t)days * 86400;
    if (until > TLS_MAX_NOW)
        until = TLS_MAX_NOW; /* 99991231235959Z: "no well-defined expiration" (RFC 5280) */
    X509 *x = X509_new();
    X509_NAME *name = X509_NAME_new();
    enum itee_err r = ITEE_ERR_CRYPTO_LIB;
    if (x == NULL || name == NULL || X509_set_version(x, X509_VERSION_3) != 1 ||
        !tls_cert_set_serial(x) || !tls_time_set(X509_getm_notBefore(x), from) ||
        !tls_time_set(X509_getm_notAfter(x), until) ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1,
                                   0) != 1 ||
        X509_set_subject_name(x, name) != 1 || X509_set_issuer_name(x, name) != 1 ||
        X509_set_pubkey(x, pkey) != 1 || !tls_cert_add_fixed_ext(x) || !tls_cert_add_san(x, cfg) ||
        X509_sign(x, pkey, NULL) <= 0)
        goto out;
    *out = x;
    x = NULL;
    r = ITEE_OK;
out:
    X509_NAME_free(name);
    X509_free(x);
    return r;
}

enum itee_err tls_server_ctx_new(struct tls_ctx **out, const uint8_t seed[TLS_ED25519_SEED_LEN],
                                 const struct tls_server_config *cfg)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (seed == NULL || cfg == NULL || tls_server_config_check(cfg) != ITEE_OK)
        return ITEE_ERR_ARG;
    if (tls_lib_init() != ITEE_OK)
        return ITEE_ERR_CRYPTO_LIB;
    struct tls_ctx *c = NULL;
    X509 *cert = NULL;
    EVP_PKEY *pkey =
        EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, TLS_ED25519_SEED_LEN);
    enum itee_err r = ITEE_ERR_CRYPTO_LIB;
    if (pkey == NULL)
        goto out;
    r = tls_ctx_alloc(&c, true);
    if (r != ITEE_OK)
        goto out;
    r = tls_cert_make(&cert, pkey, cfg);
    if (r != ITEE_OK)
        goto out;
    r = ITEE_ERR_CRYPTO_LIB;
    if (SSL_CTX_use_certificate(c->ssl_ctx, cert) != 1 ||
        SSL_CTX_use_PrivateKey(c->ssl_ctx, pkey) != 1 || SSL_CTX_check_private_key(c->ssl_ctx) != 1)
        goto out;
    r = tls_ctx_keep_der(c, cert);
    if (r != ITEE_OK)
        goto out;
    *out = c;
    c = NULL;
out:
    ERR_clear_error();
    X509_free(cert);
    EVP_PKEY_free(pkey); /* the SSL_CTX holds its own reference */
    tls_ctx_free(c);
    return r;
}

/* Returns: a read-only memory BIO over len bytes, or NULL. */
static BIO *tls_mem_bio(const uint8_t *data, size_t len)
{
    if (len > (size_t)INT_MAX)
        return NULL;
    return BIO_new_mem_buf(data, (int)len);
}

/* Returns: true when PEM reading stopped at the end of the input, not at a broken block. */
static bool tls_pem_at_end(void)
{
    unsigned long e = ERR_peek_last_error();
    return e == 0 || (ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE);
}

/* Installs the PEM chain (leaf first) of a server context. */
static enum itee_err tls_ctx_use_chain(struct tls_ctx *c, BIO *bio)
{
    ERR_clear_error();
    X509 *leaf = PEM_read_bio_X509(bio, NULL, tls_no_password, NULL);
    if (leaf == NULL)
        return ITEE_ERR_TLS_PEM;
    enum itee_err r = ITEE_ERR_CRYPTO_LIB;
    if (SSL_CTX_use_certificate(c->ssl_ctx, leaf) != 1)
        goto out;
    r = tls_ctx_keep_der(c, leaf);
    X509 *extra;
    while (r == ITEE_OK && (extra = PEM_read_bio_X509(bio, NULL, tls_no_password, NULL)) != NULL)
        if (SSL_CTX_add0_chain_cert(c->ssl_ctx, extra) != 1) {
            X509_free(extra);
            r = ITEE_ERR_CRYPTO_LIB;
        }
    if (r == ITEE_OK && !tls_pem_at_end())
        r = ITEE_ERR_TLS_PEM;
out:
    X509_free(leaf);
    return r;
}

enum itee_err tls_server_ctx_new_pem(struct tls_ctx **out, const uint8_t *chain_pem,
                                     size_t chain_len, const uint8_t *key_pem, size_t key_len)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (chain_pem == NULL || key_pem == NULL || chain_len == 0 || key_len == 0 ||
        chain_len > TLS_MAX_PEM_LEN || key_len > TLS_MAX_PEM_LEN)
        return ITEE_ERR_ARG;
    if (tls_lib_init() != ITEE_OK)
        return ITEE_ERR_CRYPTO_LIB;
    struct tls_ctx *c = NULL;
    EVP_PKEY *pkey = NULL;
    BIO *cb = tls_mem_bio(chain_pem, chain_len);
    BIO *kb = tls_mem_bio(key_pem, key_len);
    enum itee_err r = ITEE_ERR_NOMEM;
    if (cb == NULL || kb == NULL)
        goto out;
    r = tls_ctx_alloc(&c, true);
    if (r != ITEE_OK)
        goto out;
    r = tls_ctx_use_chain(c, cb);
    if (r != ITEE_OK)
        goto out;
    r = ITEE_ERR_TLS_PEM;
    pkey = PEM_read_bio_PrivateKey(kb, NULL, tls_no_password, NULL);
    if (pkey == NULL || SSL_CTX_use_PrivateKey(c->ssl_ctx, pkey) != 1 ||
        SSL_CTX_check_private_key(c->ssl_ctx) != 1)
        goto out;
    *out = c;
    c = NULL;
    r = ITEE_OK;
out:
    ERR_clear_error();
    EVP_PKEY_free(pkey);
    BIO_free(cb);
    BIO_free(kb);
    tls_ctx_free(c);
    return r;
}

/* Adds every PEM certificate in bio to the context's trust store. */
static enum itee_err tls_ctx_trust_pem(struct tls_ctx *c, BIO *bio)
{
    X509_STORE *store = SSL_CTX_get_cert_store(c->ssl_ctx);
    size_t count = 0;
    X509 *x;
    ERR_clear_error();
    while ((x = PEM_read_bio_X509(bio, NULL, tls_no_password, NULL)) != NULL) {
        int ok = X509_STORE_add_cert(store, x);
        X509_free(x);
        if (ok != 1)
            return ITEE_ERR_CRYPTO_LIB;
        count++;
    }
    if (count == 0 || !tls_pem_at_end())
        return ITEE_ERR_TLS_PEM;
    return ITEE_OK;
}

/* Verify callback for pinned mode: only the leaf's key counts; self-signed and dates do not
 * matter (the enclave's key is what the parentchain registered, whatever its certificate). */
static int tls_pin_verify_cb(int preverify, X509_STORE_CTX *xs)
{
    (void)preverify;
    SSL *ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
    struct tls_session *s = ssl != NULL ? SSL_get_app_data(ssl) : NULL;
    if (s == NULL)
        return 0;
    if (X509_STORE_CTX_get_error_depth(xs) != 0)
        return 1;
    uint8_t key[TLS_ED25519_PUBLIC_LEN];
    if (tls_cert_ed25519(X509_STORE_CTX_get_current_cert(xs), key) != ITEE_OK ||
        !itee_ct_eq(key, s->pinned_key, sizeof(key))) {
        s->pin_mismatch = true;
        X509_STORE_CTX_set_error(xs, X509_V_ERR_APPLICATION_VERIFICATION);
        return 0;
    }
    return 1;
}

enum itee_err tls_client_ctx_new(struct tls_ctx **out, const struct tls_client_config *cfg)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (cfg == NULL || cfg->now > TLS_MAX_NOW ||
        (cfg->mode != TLS_VERIFY_PINNED && cfg->mode != TLS_VERIFY_CA &&
         cfg->mode != TLS_VERIFY_NONE) ||
        (cfg->mode == TLS_VERIFY_CA &&
         (cfg->ca_pem == NULL || cfg->ca_pem_len == 0 || cfg->ca_pem_len > TLS_MAX_PEM_LEN)))
        return ITEE_ERR_ARG;
    if (tls_lib_init() != ITEE_OK)
        return ITEE_ERR_CRYPTO_LIB;
    struct tls_ctx *c = NULL;
    BIO *bio = NULL;
    enum itee_err r = tls_ctx_alloc(&c, false);
    if (r != ITEE_OK)
        goto out;
    c->mode = cfg->mode;
    if (cfg->mode == TLS_VERIFY_PINNED) {
        memcpy(c->pinned_key, cfg->pinned_key, sizeof(c->pinned_key));
        SSL_CTX_set_verify(c->ssl_ctx, SSL_VERIFY_PEER, tls_pin_verify_cb);
        /* dates do not matter to a pin, and checking them would read the clock */
        X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(c->ssl_ctx), X509_V_FLAG_NO_CHECK_TIME);
    } else if (cfg->mode == TLS_VERIFY_CA) {
        SSL_CTX_set_verify(c->ssl_ctx, SSL_VERIFY_PEER, NULL);
        if (cfg->now != 0)
            X509_VERIFY_PARAM_set_time(SSL_CTX_get0_param(c->ssl_ctx), (time_t)cfg->now);
        r = ITEE_ERR_NOMEM;
        bio = tls_mem_bio(cfg->ca_pem, cfg->ca_pem_len);
        if (bio == NULL)
            goto out;
        r = tls_ctx_trust_pem(c, bio);
        if (r != ITEE_OK)
            goto out;
    } else {
        SSL_CTX_set_verify(c->ssl_ctx, SSL_VERIFY_NONE, NULL);
    }
    *out = c;
    c = NULL;
    r = ITEE_OK;
out:
    ERR_clear_error();
    BIO_free(bio);
    tls_ctx_free(c);
    return r;
}

/* ---------------------------------------------------------------- sessions */

/* Keeps a (possibly truncated) copy of a static reason text. */
static void tls_reason_set(struct tls_session *s, const char *text)
{
    size_t n = strnlen(text, sizeof(s->reason) - 1);
    memcpy(s->reason, text, n);
    s->reason[n] = '\0';
}

/* Records OpenSSL's oldest queued error as the reason (or fallback), then clears the queue. */
static void tls_session_note(struct tls_session *s, const char *fallback)
{
    unsigned long e = ERR_peek_error();
    if (e != 0)
        ERR_error_string_n(e, s->reason, sizeof(s->reason));
    else
        tls_reason_set(s, fallback);
    ERR_clear_error();
}

/* Makes err the session's sticky error. Returns: err. */
static enum itee_err tls_session_fail(struct tls_session *s, enum itee_err err, const char *why)
{
    tls_session_note(s, why);
    s->err = err;
    itee_buf_free_secret(&s->early);
    return err;
}

/* Turns a failed libssl call into the session's error (or success for "needs more input"). */
static enum itee_err tls_session_check(struct tls_session *s, int rc)
{
    switch (SSL_get_error(s->ssl, rc)) {
    case SSL_ERROR_WANT_READ:
        ERR_clear_error();
        return ITEE_OK;
    case SSL_ERROR_ZERO_RETURN:
        ERR_clear_error();
        s->peer_closed = true;
        return ITEE_OK;
    default:
        break;
    }
    if (s->pin_mismatch) {
        ERR_clear_error(); /* "certificate verify failed" says less than we know */
        return tls_session_fail(s, ITEE_ERR_TLS_PEER_KEY, "peer key is not the pinned key");
    }
    long v = SSL_get_verify_result(s->ssl);
    if (!s->server && s->mode == TLS_VERIFY_CA && v != X509_V_OK) {
        ERR_clear_error();
        return tls_session_fail(s, ITEE_ERR_TLS_VERIFY, X509_verify_cert_error_string(v));
    }
    return tls_session_fail(s, ITEE_ERR_TLS, "TLS failure");
}

/* Pinned mode, once more after the handshake: whatever path led here, the key must match. */
static enum itee_err tls_session_check_pin(struct tls_session *s)
{
    if (s->server || s->mode != TLS_VERIFY_PINNED)
        return ITEE_OK;
    uint8_t key[TLS_ED25519_PUBLIC_LEN];
    if (tls_session_peer_ed25519(s, key) != ITEE_OK || !itee_ct_eq(key, s->pinned_key, sizeof(key)))
        return tls_session_fail(s, ITEE_ERR_TLS_PEER_KEY, "peer key is not the pinned key");
    return ITEE_OK;
}

/* Encrypts len plaintext bytes into wbio. */
static enum itee_err tls_session_encrypt(struct tls_session *s, const uint8_t *data, size_t len)
{
    size_t n = 0;
    ERR_clear_error();
    if (SSL_write_ex(s->ssl, data, len, &n) == 1 && n == len)
        return ITEE_OK;
    /* memory BIOs never ask to retry a write, so anything but success is fatal */
    return tls_session_fail(s, ITEE_ERR_TLS, "write failed");
}

/* Drives the handshake; on completion checks the pin and sends queued plaintext. */
static enum itee_err tls_session_advance(struct tls_session *s)
{
    if (s->open || s->we_closed)
        return ITEE_OK;
    ERR_clear_error();
    int rc = SSL_do_handshake(s->ssl);
    if (rc != 1)
        return tls_session_check(s, rc);
    s->open = true;
    enum itee_err r = tls_session_check_pin(s);
    if (r != ITEE_OK || s->early.len == 0)
        return r;
    r = tls_session_encrypt(s, s->early.ptr, s->early.len);
    itee_buf_free_secret(&s->early);
    return r;
}

enum itee_err tls_session_new(struct tls_session **out, struct tls_ctx *ctx, const char *host,
                              size_t max_pending)
{
    if (out == NULL)
        return ITEE_ERR_ARG;
    *out = NULL;
    if (max_pending == 0)
        max_pending = TLS_DEFAULT_MAX_PENDING;
    if (ctx == NULL || max_pending < TLS_MIN_PENDING || (host != NULL && !tls_alt_name_ok(host)) ||
        (!ctx->server && ctx->mode == TLS_VERIFY_CA && host == NULL))
        return ITEE_ERR_ARG;
    struct tls_session *s = itee_zalloc(sizeof(*s));
    if (s == NULL)
        return ITEE_ERR_NOMEM;
    s->server = ctx->server;
    s->mode = ctx->mode;
    s->max_pending = max_pending;
    memcpy(s->pinned_key, ctx->pinned_key, sizeof(s->pinned_key));
    itee_buf_init(&s->early, max_pending);
    enum itee_err r = ITEE_ERR_CRYPTO_LIB;
    s->ssl = SSL_new(ctx->ssl_ctx);
    if (s->ssl == NULL)
        goto out;
    s->rbio = BIO_new(BIO_s_mem());
    s->wbio = BIO_new(BIO_s_mem());
    if (s->rbio == NULL || s->wbio == NULL) {
        BIO_free(s->rbio);
        BIO_free(s->wbio);
        goto out;
    }
    BIO_set_mem_eof_return(s->rbio, -1); /* empty means "wait for more", not end of stream */
    SSL_set_bio(s->ssl, s->rbio, s->wbio);
    SSL_set_app_data(s->ssl, s);
    if (s->server) {
        SSL_set_accept_state(s->ssl);
    } else {
        SSL_set_connect_state(s->ssl);
        bool is_ip = false;
        if (host != NULL) {
            ASN1_OCTET_STRING *ip = a2i_IPADDRESS(host);
            is_ip = ip != NULL;
            ASN1_OCTET_STRING_free(ip);
        }
        if ((host != NULL && !is_ip && SSL_set_tlsext_host_name(s->ssl, host) != 1) ||
            (ctx->mode == TLS_VERIFY_CA && SSL_set1_host(s->ssl, host) != 1))
            goto out;
        r = tls_session_advance(s); /* puts the ClientHello into wbio */
        if (r != ITEE_OK)
            goto out;
    }
    *out = s;
    s = NULL;
    r = ITEE_OK;
out:
    ERR_clear_error();
    tls_session_free(s);
    return r;
}

void tls_session_free(struct tls_session *s)
{
    if (s == NULL)
        return;
    SSL_free(s->ssl); /* frees both BIOs */
    itee_buf_free_secret(&s->early);
    itee_free(s);
}

enum itee_err tls_session_feed_cipher(struct tls_session *s, const uint8_t *data, size_t len)
{
    if (s == NULL || (data == NULL && len != 0))
        return ITEE_ERR_ARG;
    if (s->err != ITEE_OK)
        return s->err;
    if (len == 0)
        return ITEE_OK;
    if (s->peer_closed)
        return tls_session_fail(s, ITEE_ERR_TLS_CLOSED, "data after close_notify");
    if (BIO_ctrl_pending(s->wbio) > s->max_pending)
        return tls_session_fail(s, ITEE_ERR_TLS_LIMIT, "unsent output over the limit");
    if (len > s->max_pending - BIO_ctrl_pending(s->rbio))
        return tls_session_fail(s, ITEE_ERR_TLS_LIMIT, "unread input over the limit");
    size_t written = 0;
    if (BIO_write_ex(s->rbio, data, len, &written) != 1 || written != len)
        return tls_session_fail(s, ITEE_ERR_NOMEM, "input buffer");
    return tls_session_advance(s);
}

enum itee_err tls_session_read(struct tls_session *s, uint8_t *buf, size_t cap, size_t *out_len)
{
    if (out_len == NULL)
        return ITEE_ERR_ARG;
    *out_len = 0;
    if (s == NULL || (buf == NULL && cap != 0))
        return ITEE_ERR_ARG;
    if (s->err != ITEE_OK)
        return s->err;
    enum itee_err r = tls_session_advance(s);
    if (r != ITEE_OK || !s->open || s->peer_closed || cap == 0)
        return r;
    if (BIO_ctrl_pending(s->wbio) > s->max_pending) /* reading can make output (key updates) */
        return tls_session_fail(s, ITEE_ERR_TLS_LIMIT, "unsent output over the limit");
    size_t n = 0;
    ERR_clear_error();
    int rc = SSL_read_ex(s->ssl, buf, cap, &n);
    if (rc == 1) {
        *out_len = n;
        return ITEE_OK;
    }
    return tls_session_check(s, rc);
}

enum itee_err tls_session_write(struct tls_session *s, const uint8_t *data, size_t len)
{
    if (s == NULL || (data == NULL && len != 0))
        return ITEE_ERR_ARG;
    if (s->err != ITEE_OK)
        return s->err;
    if (s->we_closed)
        return ITEE_ERR_TLS_CLOSED;
    if (len == 0)
        return ITEE_OK;
    if (!s->open) {
        enum itee_err r = itee_buf_append(&s->early, data, len);
        return r == ITEE_ERR_SPACE ? ITEE_ERR_TLS_LIMIT : r;
    }
    size_t pending = BIO_ctrl_pending(s->wbio);
    if (pending > s->max_pending || len > s->max_pending - pending)
        return ITEE_ERR_TLS_LIMIT;
    return tls_session_encrypt(s, data, len);
}

size_t tls_session_cipher_pending(const struct tls_session *s)
{
    return s != NULL ? BIO_ctrl_pending(s->wbio) : 0;
}

enum itee_err tls_session_take_cipher(struct tls_session *s, uint8_t *buf, size_t cap,
                                      size_t *out_len)
{
    if (out_len == NULL)
        return ITEE_ERR_ARG;
    *out_len = 0;
    if (s == NULL || (buf == NULL && cap != 0))
        return ITEE_ERR_ARG;
    size_t pending = BIO_ctrl_pending(s->wbio);
    if (pending == 0 || cap == 0)
        return ITEE_OK;
    size_t n = 0;
    if (BIO_read_ex(s->wbio, buf, pending < cap ? pending : cap, &n) != 1) {
        ERR_clear_error();
        return ITEE_ERR_INTERNAL; /* a memory BIO with pending bytes cannot fail to read */
    }
    *out_len = n;
    return ITEE_OK;
}

enum itee_err tls_session_close(struct tls_session *s)
{
    if (s == NULL)
        return ITEE_ERR_ARG;
    if (s->err != ITEE_OK)
        return s->err;
    if (s->we_closed)
        return ITEE_OK;
    s->we_closed = true;
    itee_buf_free_secret(&s->early);
    if (!s->open)
        return ITEE_OK; /* nothing to close cleanly yet: the owner just drops the stream */
    ERR_clear_error();
    if (SSL_shutdown(s->ssl) < 0)
        return tls_session_fail(s, ITEE_ERR_TLS, "shutdown failed");
    return ITEE_OK;
}

enum tls_state tls_session_state(const struct tls_session *s)
{
    if (s == NULL || s->err != ITEE_OK)
        return TLS_STATE_FAILED;
    if (s->peer_closed || s->we_closed)
        return TLS_STATE_CLOSED;
    return s->open ? TLS_STATE_OPEN : TLS_STATE_HANDSHAKE;
}

bool tls_session_peer_closed(const struct tls_session *s)
{
    return s != NULL && s->peer_closed;
}

const char *tls_session_reason(const struct tls_session *s)
{
    return s != NULL ? s->reason : "";
}

const char *tls_session_version(const struct tls_session *s)
{
    return s != NULL && s->open ? SSL_get_version(s->ssl) : "";
}

enum itee_err tls_session_peer_ed25519(const struct tls_session *s,
                                       uint8_t out[TLS_ED25519_PUBLIC_LEN])
{
    if (s == NULL || out == NULL)
        return ITEE_ERR_ARG;
    memset(out, 0, TLS_ED25519_PUBLIC_LEN);
    return tls_cert_ed25519(SSL_get0_peer_certificate(s->ssl), out);
}
