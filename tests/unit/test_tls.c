/*
 * test_tls.c - TLS on memory BIOs: the self-signed enclave certificate (fields checked by
 * parsing it back with OpenSSL), client/server handshakes entirely in memory, data both ways
 * (1 MiB payloads), pinned keys (match, mismatch), CA chains made here with OpenSSL (host
 * names, wrong CA, expiry), garbage and tampered ciphertext, close_notify, flood limits,
 * argument checks and an OOM loop over our own allocations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/bytes.h"
#include "common/mem.h"
#include "crypto/ed25519.h"
#include "proto/tls.h"

#define T_NOW    ((uint64_t)1764000000) /* 2025-11-24, the "now" handed to contexts */
#define T_DAY    ((uint64_t)86400)
#define T_CHUNK  4096 /* bytes moved per take_cipher call */
#define T_MIB    ((size_t)1024 * 1024)
#define T_ROUNDS 64 /* pump iterations before giving up */

static const char *const alt_names[] = {"localhost", "enclave.example", "127.0.0.1", "::1"};

static void seed_of(uint8_t seed[32], uint8_t v)
{
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)(v + i);
}

static struct tls_ctx *server_ctx(uint8_t v, uint64_t now)
{
    uint8_t seed[32];
    seed_of(seed, v);
    struct tls_server_config cfg = {.common_name = "integritee-enclave (software mode)",
                                    .alt_names = alt_names,
                                    .alt_names_len = 4,
                                    .now = now,
                                    .valid_days = 30};
    struct tls_ctx *c = NULL;
    assert_int_equal(tls_server_ctx_new(&c, seed, &cfg), ITEE_OK);
    return c;
}

static struct tls_ctx *pinned_ctx(uint8_t v)
{
    uint8_t seed[32];
    seed_of(seed, v);
    struct ed25519_keypair kp;
    assert_int_equal(ed25519_keypair_from_seed(&kp, seed), ITEE_OK);
    struct tls_client_config cfg = {.mode = TLS_VERIFY_PINNED};
    memcpy(cfg.pinned_key, kp.public.bytes, 32);
    ed25519_keypair_clear(&kp);
    struct tls_ctx *c = NULL;
    assert_int_equal(tls_client_ctx_new(&c, &cfg), ITEE_OK);
    return c;
}

/* Moves everything a has to send into b. Returns: b's feed result; *moved adds the bytes. */
static enum itee_err move(struct tls_session *a, struct tls_session *b, size_t *moved)
{
    uint8_t buf[T_CHUNK];
    size_t n;
    do {
        assert_int_equal(tls_session_take_cipher(a, buf, sizeof(buf), &n), ITEE_OK);
        *moved += n;
        enum itee_err r = tls_session_feed_cipher(b, buf, n);
        if (r != ITEE_OK)
            return r;
    } while (n > 0);
    return ITEE_OK;
}

/* Moves bytes both ways until nothing moves; the first error of each side is kept. */
static void pump(struct tls_session *c, struct tls_session *s, enum itee_err *rc, enum itee_err *rs)
{
    *rc = ITEE_OK;
    *rs = ITEE_OK;
    for (int i = 0; i < T_ROUNDS; i++) {
        size_t moved = 0;
        enum itee_err r = move(c, s, &moved);
        if (*rs == ITEE_OK)
            *rs = r;
        r = move(s, c, &moved);
        if (*rc == ITEE_OK)
            *rc = r;
        if (moved == 0)
            return;
    }
    fail_msg("pump did not settle");
}

/* Reads everything available into out (bounded by out->max). */
static enum itee_err read_all(struct tls_session *s, struct itee_buf *out)
{
    uint8_t buf[T_CHUNK];
    size_t n;
    do {
        enum itee_err r = tls_session_read(s, buf, sizeof(buf), &n);
        if (r != ITEE_OK)
            return r;
        r = itee_buf_append(out, buf, n);
        if (r != ITEE_OK)
            return r;
    } while (n > 0);
    return ITEE_OK;
}

/* Handshake of a fresh client/server pair; asserts success. */
static void connect_pair(struct tls_ctx *cc, struct tls_ctx *sc, const char *host,
                         struct tls_session **c, struct tls_session **s)
{
    assert_int_equal(tls_session_new(c, cc, host, 0), ITEE_OK);
    assert_int_equal(tls_session_new(s, sc, NULL, 0), ITEE_OK);
    assert_int_equal(tls_session_state(*c), TLS_STATE_HANDSHAKE);
    assert_true(tls_session_cipher_pending(*c) > 0); /* the ClientHello */
    enum itee_err rc, rs;
    pump(*c, *s, &rc, &rs);
    assert_int_equal(rc, ITEE_OK);
    assert_int_equal(rs, ITEE_OK);
    /* the server completes when it reads the client's Finished */
    uint8_t tmp[1];
    size_t n;
    assert_int_equal(tls_session_read(*s, tmp, sizeof(tmp), &n), ITEE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(tls_session_state(*c), TLS_STATE_OPEN);
    assert_int_equal(tls_session_state(*s), TLS_STATE_OPEN);
}

static void test_server_cert(void **state)
{
    (void)state;
    struct tls_ctx *sc = server_ctx(1, T_NOW);
    struct itee_slice der = tls_ctx_cert_der(sc);
    assert_true(der.len > 100);
    const unsigned char *p = der.ptr;
    X509 *x = d2i_X509(NULL, &p, (long)der.len);
    assert_non_null(x);
    assert_ptr_equal(p, der.ptr + der.len);
    assert_int_equal(X509_get_version(x), X509_VERSION_3);

    /* the certificate's key is the ed25519 key of the seed, and it signed itself */
    uint8_t seed[32], raw[32];
    size_t raw_len = sizeof(raw);
    seed_of(seed, 1);
    struct ed25519_keypair kp;
    assert_int_equal(ed25519_keypair_from_seed(&kp, seed), ITEE_OK);
    EVP_PKEY *pk = X509_get0_pubkey(x);
    assert_int_equal(EVP_PKEY_get_id(pk), EVP_PKEY_ED25519);
    assert_int_equal(EVP_PKEY_get_raw_public_key(pk, raw, &raw_len), 1);
    assert_memory_equal(raw, kp.public.bytes, 32);
    assert_int_equal(X509_verify(x, pk), 1);
    assert_int_equal(X509_check_issued(x, x), X509_V_OK);

    char cn[80];
    assert_true(
        X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof(cn)) > 0);
    assert_string_equal(cn, "integritee-enclave (software mode)");
    assert_int_equal(X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)), 0);

    /* validity: now - 1 h .. now + 30 days */
    ASN1_TIME *t = ASN1_TIME_new();
    int cmp_day, cmp_sec;
    assert_non_null(ASN1_TIME_set(t, (time_t)(T_NOW - 3600)));
    assert_int_equal(ASN1_TIME_compare(t, X509_get0_notBefore(x)), 0);
    assert_non_null(ASN1_TIME_set(t, (time_t)(T_NOW + 30 * T_DAY)));
    assert_int_equal(ASN1_TIME_diff(&cmp_day, &cmp_sec, t, X509_get0_notAfter(x)), 1);
    assert_int_equal(cmp_day, 0);
    assert_int_equal(cmp_sec, 0);
    ASN1_TIME_free(t);

    /* names and extensions */
    assert_int_equal(X509_check_host(x, "enclave.example", 0, 0, NULL), 1);
    assert_int_equal(X509_check_host(x, "localhost", 0, 0, NULL), 1);
    assert_int_equal(X509_check_host(x, "other.example", 0, 0, NULL), 0);
    assert_int_equal(X509_check_ip_asc(x, "127.0.0.1", 0), 1);
    assert_int_equal(X509_check_ip_asc(x, "::1", 0), 1);
    assert_int_equal(X509_check_ip_asc(x, "10.0.0.1", 0), 0);
    assert_int_equal(X509_check_ca(x), 0);
    assert_true(X509_get_extended_key_usage(x) & XKU_SSL_SERVER);

    /* serials are random */
    struct tls_ctx *sc2 = server_ctx(1, T_NOW);
    struct itee_slice der2 = tls_ctx_cert_der(sc2);
    p = der2.ptr;
    X509 *x2 = d2i_X509(NULL, &p, (long)der2.len);
    assert_non_null(x2);
    assert_int_not_equal(ASN1_INTEGER_cmp(X509_get0_serialNumber(x), X509_get0_serialNumber(x2)),
                         0);
    X509_free(x2);
    X509_free(x);
    ed25519_keypair_clear(&kp);
    tls_ctx_free(sc2);
    tls_ctx_free(sc);
}

/* Returns: the certificate of a server context made with now/days (caller frees). */
static X509 *cert_at(uint64_t now, uint32_t days)
{
    uint8_t seed[32];
    seed_of(seed, 1);
    struct tls_server_config cfg = {.now = now, .valid_days = days};
    struct tls_ctx *c = NULL;
    assert_int_equal(tls_server_ctx_new(&c, seed, &cfg), ITEE_OK);
    struct itee_slice der = tls_ctx_cert_der(c);
    const unsigned char *p = der.ptr;
    X509 *x = d2i_X509(NULL, &p, (long)der.len);
    assert_non_null(x);
    tls_ctx_free(c);
    return x;
}

/* t equals secs (computed by OpenSSL's own, gmtime-based conversion) and has the RFC 5280 type */
static void assert_time(const ASN1_TIME *t, uint64_t secs)
{
    ASN1_TIME *want = ASN1_TIME_set(NULL, (time_t)secs);
    assert_non_null(want);
    assert_int_equal(ASN1_TIME_compare(t, want), 0);
    ASN1_TIME_free(want);
    int type = secs < 2524608000u ? V_ASN1_UTCTIME : V_ASN1_GENERALIZEDTIME; /* 2050-01-01 */
    assert_int_equal(ASN1_STRING_type(t), type);
}

/* The enclave formats certificate times itself (no gmtime): check it against OpenSSL's. */
static void test_cert_times(void **state)
{
    (void)state;
    static const uint64_t nows[] = {0,          1,          3600,       3601,
                                    951782400,  951868799,  2524604400, 2524607999,
                                    2524608000, 4107542399, 4107542400, T_NOW};
    for (size_t i = 0; i < sizeof(nows) / sizeof(nows[0]); i++) {
        X509 *x = cert_at(nows[i], 1);
        assert_time(X509_get0_notBefore(x), nows[i] > 3600 ? nows[i] - 3600 : 0);
        assert_time(X509_get0_notAfter(x), nows[i] + T_DAY);
        X509_free(x);
    }
    for (int i = 0; i < 40; i++) {
        uint64_t now;
        uint16_t days;
        assert_int_equal(RAND_bytes((unsigned char *)&now, sizeof(now)), 1);
        assert_int_equal(RAND_bytes((unsigned char *)&days, sizeof(days)), 1);
        now %= 253402300799u - 36500 * T_DAY;
        days = (uint16_t)(days % 36500 + 1);
        X509 *x = cert_at(now, days);
        assert_time(X509_get0_notBefore(x), now > 3600 ? now - 3600 : 0);
        assert_time(X509_get0_notAfter(x), now + days * T_DAY);
        X509_free(x);
    }
    /* past year 9999: clamped to 99991231235959Z */
    X509 *x = cert_at(253402300799u - T_DAY, 36500);
    assert_time(X509_get0_notAfter(x), 253402300799u);
    X509_free(x);
}

static void test_pinned_roundtrip(void **state)
{
    (void)state;
    /* a certificate that expired long ago: pinning ignores dates, only the key counts */
    struct tls_ctx *sc = server_ctx(7, 1000000);
    struct tls_ctx *cc = pinned_ctx(7);
    struct tls_session *c, *s;
    connect_pair(cc, sc, "enclave.example", &c, &s);
    assert_string_equal(tls_session_version(c), "TLSv1.3");
    assert_string_equal(tls_session_version(s), "TLSv1.3");
    uint8_t key[32], seed[32];
    struct ed25519_keypair kp;
    seed_of(seed, 7);
    assert_int_equal(ed25519_keypair_from_seed(&kp, seed), ITEE_OK);
    assert_int_equal(tls_session_peer_ed25519(c, key), ITEE_OK);
    assert_memory_equal(key, kp.public.bytes, 32);
    assert_int_equal(tls_session_peer_ed25519(s, key), ITEE_ERR_ARG); /* no client cert */
    ed25519_keypair_clear(&kp);

    /* 1 MiB each way, random bytes */
    uint8_t *big = itee_alloc(T_MIB);
    assert_non_null(big);
    assert_int_equal(RAND_bytes(big, (int)T_MIB), 1);
    assert_int_equal(tls_session_write(c, big, T_MIB), ITEE_OK);
    big[0] ^= 1;
    assert_int_equal(tls_session_write(s, big, T_MIB), ITEE_OK);
    enum itee_err rc, rs;
    pump(c, s, &rc, &rs);
    assert_int_equal(rc, ITEE_OK);
    assert_int_equal(rs, ITEE_OK);
    struct itee_buf got;
    itee_buf_init(&got, 0);
    assert_int_equal(read_all(s, &got), ITEE_OK);
    assert_int_equal(got.len, T_MIB);
    big[0] ^= 1;
    assert_memory_equal(got.ptr, big, T_MIB);
    itee_buf_reset(&got);
    assert_int_equal(read_all(c, &got), ITEE_OK);
    assert_int_equal(got.len, T_MIB);
    big[0] ^= 1;
    assert_memory_equal(got.ptr, big, T_MIB);

    /* small messages interleaved */
    for (int i = 0; i < 20; i++) {
        uint8_t msg[3] = {'m', (uint8_t)i, 0};
        assert_int_equal(tls_session_write(i % 2 ? c : s, msg, sizeof(msg)), ITEE_OK);
        pump(c, s, &rc, &rs);
        itee_buf_reset(&got);
        assert_int_equal(read_all(i % 2 ? s : c, &got), ITEE_OK);
        assert_int_equal(got.len, 3);
        assert_memory_equal(got.ptr, msg, 3);
    }
    itee_buf_free(&got);
    itee_free(big);
    tls_session_free(c);
    tls_session_free(s);
    tls_ctx_free(cc);
    tls_ctx_free(sc);
}

static void test_pinned_mismatch(void **state)
{
    (void)state;
    struct tls_ctx *sc = server_ctx(7, T_NOW);
    struct tls_ctx *cc = pinned_ctx(8);
    struct tls_session *c, *s;
    assert_int_equal(tls_session_new(&c, cc, NULL, 0), ITEE_OK);
    assert_int_equal(tls_session_new(&s, sc, NULL, 0), ITEE_OK);
    static const uint8_t secret[] = "must never reach the wrong server";
    assert_int_equal(tls_session_write(c, secret, sizeof(secret)), ITEE_OK); /* queued */
    enum itee_err rc, rs;
    pump(c, s, &rc, &rs);
    assert_int_equal(rc, ITEE_ERR_TLS_PEER_KEY);
    assert_int_equal(tls_session_state(c), TLS_STATE_FAILED);
    assert_string_equal(tls_session_reason(c), "peer key is not the pinned key");
    /* the server heard the alert and fails too; it never saw the plaintext */
    uint8_t buf[64];
    size_t n = 1;
    assert_int_equal(tls_session_read(s, buf, sizeof(buf), &n), ITEE_ERR_TLS);
    assert_int_equal(n, 0);
    assert_int_equal(rs == ITEE_OK || rs == ITEE_ERR_TLS, true);
    /* sticky */
    assert_int_equal(tls_session_write(c, secret, 1), ITEE_ERR_TLS_PEER_KEY);
    assert_int_equal(tls_session_feed_cipher(c, secret, 1), ITEE_ERR_TLS_PEER_KEY);
    tls_session_free(c);
    tls_session_free(s);
    tls_ctx_free(cc);
    tls_ctx_free(sc);
}

/* ---------------------------------------------------------------- a tiny CA, made here */

struct pki {
    struct itee_buf ca_pem;    /* CA certificate */
    struct itee_buf chain_pem; /* leaf, then CA */
    struct itee_buf key_pem;   /* leaf private key */
};

static void bio_to_buf(BIO *b, struct itee_buf *out)
{
    char *p;
    long n = BIO_get_mem_data(b, &p);
    assert_true(n > 0);
    assert_int_equal(itee_buf_append(out, p, (size_t)n), ITEE_OK);
}

static X509 *make_cert(EVP_PKEY *key, EVP_PKEY *signer, X509 *issuer, const char *cn, bool ca,
                       const char *san)
{
    X509 *x = X509_new();
    assert_non_null(x);
    assert_int_equal(X509_set_version(x, X509_VERSION_3), 1);
    assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), ca ? 1 : 2), 1);
    assert_non_null(ASN1_TIME_set(X509_getm_notBefore(x), (time_t)(T_NOW - T_DAY)));
    assert_non_null(ASN1_TIME_set(X509_getm_notAfter(x), (time_t)(T_NOW + 30 * T_DAY)));
    X509_NAME *name = X509_get_subject_name(x);
    assert_int_equal(
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0),
        1);
    assert_int_equal(X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name), 1);
    assert_int_equal(X509_set_pubkey(x, key), 1);
    X509V3_CTX v3;
    X509V3_set_ctx(&v3, issuer ? issuer : x, x, NULL, NULL, 0);
    const char *vals[3][2] = {
        {"basicConstraints", ca ? "critical,CA:TRUE" : "critical,CA:FALSE"},
        {"keyUsage", ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature"},
        {"subjectAltName", san},
    };
    for (int i = 0; i < (san ? 3 : 2); i++) {
        X509_EXTENSION *e = X509V3_EXT_conf(NULL, &v3, vals[i][0], vals[i][1]);
        assert_non_null(e);
        assert_int_equal(X509_add_ext(x, e, -1), 1);
        X509_EXTENSION_free(e);
    }
    assert_true(X509_sign(x, signer,
                          EVP_PKEY_get_id(signer) == EVP_PKEY_ED25519 ? NULL : EVP_sha256()) > 0);
    return x;
}

/* A P-256 CA issuing an ed25519 leaf for oracle.example and 127.0.0.1. */
static void pki_make(struct pki *p, const char *ca_cn)
{
    itee_buf_init(&p->ca_pem, 0);
    itee_buf_init(&p->chain_pem, 0);
    itee_buf_init(&p->key_pem, 0);
    EVP_PKEY *cakey = EVP_EC_gen("P-256");
    EVP_PKEY *leafkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    assert_non_null(cakey);
    assert_non_null(leafkey);
    X509 *ca = make_cert(cakey, cakey, NULL, ca_cn, true, NULL);
    X509 *leaf =
        make_cert(leafkey, cakey, ca, "oracle.example", false, "DNS:oracle.example,IP:127.0.0.1");
    BIO *b = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_X509(b, ca), 1);
    bio_to_buf(b, &p->ca_pem);
    BIO_free(b);
    b = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_X509(b, leaf), 1);
    assert_int_equal(PEM_write_bio_X509(b, ca), 1);
    bio_to_buf(b, &p->chain_pem);
    BIO_free(b);
    b = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_PrivateKey(b, leafkey, NULL, NULL, 0, NULL, NULL), 1);
    bio_to_buf(b, &p->key_pem);
    BIO_free(b);
    X509_free(ca);
    X509_free(leaf);
    EVP_PKEY_free(cakey);
    EVP_PKEY_free(leafkey);
}

static void pki_free(struct pki *p)
{
    itee_buf_free(&p->ca_pem);
    itee_buf_free(&p->chain_pem);
    itee_buf_free_secret(&p->key_pem);
}

static struct tls_ctx *ca_client(const struct itee_buf *ca_pem, uint64_t now)
{
    struct tls_client_config cfg = {
        .mode = TLS_VERIFY_CA, .ca_pem = ca_pem->ptr, .ca_pem_len = ca_pem->len, .now = now};
    struct tls_ctx *c = NULL;
    assert_int_equal(tls_client_ctx_new(&c, &cfg), ITEE_OK);
    return c;
}

/* Handshake expected to fail on the client with want. */
static void expect_client_fail(struct tls_ctx *cc, struct tls_ctx *sc, const char *host,
                               enum itee_err want)
{
    struct tls_session *c, *s;
    assert_int_equal(tls_session_new(&c, cc, host, 0), ITEE_OK);
    assert_int_equal(tls_session_new(&s, sc, NULL, 0), ITEE_OK);
    enum itee_err rc, rs;
    pump(c, s, &rc, &rs);
    assert_int_equal(rc, want);
    assert_int_equal(tls_session_state(c), TLS_STATE_FAILED);
    assert_true(strlen(tls_session_reason(c)) > 0);
    tls_session_free(c);
    tls_session_free(s);
}

static void test_ca_chain(void **state)
{
    (void)state;
    struct pki good, other;
    pki_make(&good, "Tiny Test CA");
    pki_make(&other, "Other CA");
    struct tls_ctx *sc = NULL;
    assert_int_equal(tls_server_ctx_new_pem(&sc, good.chain_pem.ptr, good.chain_pem.len,
                                            good.key_pem.ptr, good.key_pem.len),
                     ITEE_OK);
    assert_true(tls_ctx_cert_der(sc).len > 0);

    struct tls_ctx *cc = ca_client(&good.ca_pem, T_NOW);
    struct tls_session *c, *s;
    connect_pair(cc, sc, "oracle.example", &c, &s);
    static const uint8_t req[] = "GET /rates HTTP/1.1\r\nHost: oracle.example\r\n\r\n";
    assert_int_equal(tls_session_write(c, req, sizeof(req) - 1), ITEE_OK);
    enum itee_err rc, rs;
    pump(c, s, &rc, &rs);
    struct itee_buf got;
    itee_buf_init(&got, 0);
    assert_int_equal(read_all(s, &got), ITEE_OK);
    assert_int_equal(got.len, sizeof(req) - 1);
    assert_memory_equal(got.ptr, req, got.len);
    itee_buf_free(&got);
    tls_session_free(c);
    tls_session_free(s);
    connect_pair(cc, sc, "127.0.0.1", &c, &s); /* IP subjectAltName */
    tls_session_free(c);
    tls_session_free(s);

    expect_client_fail(cc, sc, "evil.example", ITEE_ERR_TLS_VERIFY);
    expect_client_fail(cc, sc, "10.1.2.3", ITEE_ERR_TLS_VERIFY);
    tls_ctx_free(cc);
    cc = ca_client(&other.ca_pem, T_NOW); /* not our issuer */
    expect_client_fail(cc, sc, "oracle.example", ITEE_ERR_TLS_VERIFY);
    tls_ctx_free(cc);
    cc = ca_client(&good.ca_pem, T_NOW + 60 * T_DAY); /* expired by then */
    expect_client_fail(cc, sc, "oracle.example", ITEE_ERR_TLS_VERIFY);
    tls_ctx_free(cc);
    cc = ca_client(&good.ca_pem, T_NOW - 2 * T_DAY); /* not yet valid */
    expect_client_fail(cc, sc, "oracle.example", ITEE_ERR_TLS_VERIFY);
    tls_ctx_free(cc);

    /* a bundle with both CAs works; the enclave's self-signed cert is not trusted by a CA client */
    struct itee_buf both;
    itee_buf_init(&both, 0);
    assert_int_equal(itee_buf_append(&both, other.ca_pem.ptr, other.ca_pem.len), ITEE_OK);
    assert_int_equal(itee_buf_append(&both, good.ca_pem.ptr, good.ca_pem.len), ITEE_OK);
    cc = ca_client(&both, T_NOW);
    connect_pair(cc, sc, "oracle.example", &c, &s);
    tls_session_free(c);
    tls_session_free(s);
    struct tls_ctx *enclave = server_ctx(3, T_NOW);
    expect_client_fail(cc, enclave, "localhost", ITEE_ERR_TLS_VERIFY);
    tls_ctx_free(enclave);
    tls_ctx_free(cc);

    /* a broken certificate after good ones is an error, not the end of the bundle */
    static const char broken[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    assert_int_equal(itee_buf_append(&both, broken, sizeof(broken) - 1), ITEE_OK);
    struct tls_client_config bad_cfg = {
        .mode = TLS_VERIFY_CA, .ca_pem = both.ptr, .ca_pem_len = both.len};
    assert_int_equal(tls_client_ctx_new(&cc, &bad_cfg), ITEE_ERR_TLS_PEM);
    assert_null(cc);
    struct itee_buf chain;
    itee_buf_init(&chain, 0);
    assert_int_equal(itee_buf_append(&chain, good.chain_pem.ptr, good.chain_pem.len), ITEE_OK);
    assert_int_equal(itee_buf_append(&chain, broken, sizeof(broken) - 1), ITEE_OK);
    struct tls_ctx *bad = NULL;
    assert_int_equal(
        tls_server_ctx_new_pem(&bad, chain.ptr, chain.len, good.key_pem.ptr, good.key_pem.len),
        ITEE_ERR_TLS_PEM);
    itee_buf_free(&chain);
    itee_buf_free(&both);

    /* the key must match the leaf */
    assert_int_equal(tls_server_ctx_new_pem(&bad, good.chain_pem.ptr, good.chain_pem.len,
                                            other.key_pem.ptr, other.key_pem.len),
                     ITEE_ERR_TLS_PEM);
    assert_null(bad);
    tls_ctx_free(sc);
    pki_free(&good);
    pki_free(&other);
}

/* Moves a raw OpenSSL client's output (out) into s, and s's output into the client (in). */
static void raw_move(BIO *in, BIO *out, struct tls_session *s)
{
    uint8_t buf[T_CHUNK];
    int n;
    size_t len;
    while ((n = BIO_read(out, buf, sizeof(buf))) > 0)
        assert_int_equal(tls_session_feed_cipher(s, buf, (size_t)n), ITEE_OK);
    do {
        assert_int_equal(tls_session_take_cipher(s, buf, sizeof(buf), &len), ITEE_OK);
        assert_int_equal(BIO_write(in, buf, (int)len), (int)len);
    } while (len > 0);
}

/* TLS 1.2 from a plain OpenSSL client (ed25519 signatures work there too); renegotiation is
 * refused. */
static void test_tls12_no_renegotiation(void **state)
{
    (void)state;
    struct tls_ctx *sc = server_ctx(11, T_NOW);
    struct tls_session *s;
    assert_int_equal(tls_session_new(&s, sc, NULL, 0), ITEE_OK);
    SSL_CTX *rc = SSL_CTX_new(TLS_client_method());
    assert_non_null(rc);
    assert_int_equal(SSL_CTX_set_max_proto_version(rc, TLS1_2_VERSION), 1);
    SSL *ssl = SSL_new(rc);
    BIO *in = BIO_new(BIO_s_mem()), *out = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(in, -1);
    SSL_set_bio(ssl, in, out);
    SSL_set_connect_state(ssl);
    int rc_hs = 0;
    for (int i = 0; i < 10 && rc_hs != 1; i++) {
        rc_hs = SSL_do_handshake(ssl);
        raw_move(in, out, s);
    }
    assert_int_equal(rc_hs, 1);
    uint8_t buf[64];
    size_t n;
    assert_int_equal(tls_session_read(s, buf, sizeof(buf), &n), ITEE_OK);
    assert_int_equal(tls_session_state(s), TLS_STATE_OPEN);
    assert_string_equal(tls_session_version(s), "TLSv1.2");
    assert_int_equal(SSL_write(ssl, "ping", 4), 4);
    raw_move(in, out, s);
    assert_int_equal(tls_session_read(s, buf, sizeof(buf), &n), ITEE_OK);
    assert_int_equal(n, 4);
    assert_memory_equal(buf, "ping", 4);

    /* the client asks to renegotiate: the server refuses, the client gives up */
    assert_int_equal(SSL_renegotiate(ssl), 1);
    assert_true(SSL_do_handshake(ssl) <= 0);
    raw_move(in, out, s);
    enum itee_err r = tls_session_read(s, buf, sizeof(buf), &n);
    assert_true(r == ITEE_OK || r == ITEE_ERR_TLS);
    raw_move(in, out, s);
    int rr = SSL_do_handshake(ssl);
    assert_true(rr <= 0);
    assert_int_equal(SSL_get_error(ssl, rr), SSL_ERROR_SSL);
    assert_int_equal(ERR_GET_REASON(ERR_peek_error()), SSL_R_NO_RENEGOTIATION);
    ERR_clear_error();
    SSL_free(ssl);
    SSL_CTX_free(rc);
    tls_session_free(s);
    tls_ctx_free(sc);
}

static void test_verify_none(void **state)
{
    (void)state;
    struct tls_client_config cfg = {.mode = TLS_VERIFY_NONE};
    struct tls_ctx *cc = NULL, *sc = server_ctx(9, T_NOW);
    assert_int_equal(tls_client_ctx_new(&cc, &cfg), ITEE_OK);
    struct tls_session *c, *s;
    connect_pair(cc, sc, "anything.example", &c, &s);
    tls_session_free(c);
    tls_session_free(s);
    tls_ctx_free(cc);
    tls_ctx_free(sc);
}

static void test_garbage(void **state)
{
    (void)state;
    struct tls_ctx *sc = server_ctx(2, T_NOW);
    struct tls_ctx *cc = pinned_ctx(2);
    struct tls_session *s, *c;

    /* plain HTTP to a TLS server */
    static const uint8_t http[] = "POST / HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_int_equal(tls_session_new(&s, sc, NULL, 0), ITEE_OK);
    assert_int_equal(tls_session_feed_cipher(s, http, sizeof(http) - 1), ITEE_ERR_TLS);
    assert_int_equal(tls_session_state(s), TLS_STATE_FAILED);
    assert_non_null(strstr(tls_session_reason(s), "http request"));
    assert_int_equal(tls_session_feed_cipher(s, http, 1), ITEE_ERR_TLS);
    uint8_t buf[T_CHUNK];
    size_t n;
    assert_int_equal(tls_session_take_cipher(s, buf, sizeof(buf), &n), ITEE_OK); /* alert */
    tls_session_free(s);

    /* random bytes, many times */
    for (int i = 0; i < 200; i++) {
        assert_int_equal(tls_session_new(&s, sc, NULL, 0), ITEE_OK);
        size_t len = 1 + (size_t)(i * 37) % 3000;
        assert_int_equal(RAND_bytes(buf, (int)len), 1);
        enum itee_err r = tls_session_feed_cipher(s, buf, len);
        assert_true(r == ITEE_OK || r == ITEE_ERR_TLS);
        tls_session_free(s);
    }

    /* a truncated ClientHello just waits */
    assert_int_equal(tls_session_new(&c, cc, NULL, 0), ITEE_OK);
    assert_int_equal(tls_session_new(&s, sc, NULL, 0), ITEE_OK);
    assert_int_equal(tls_session_take_cipher(c, buf, sizeof(buf), &n), ITEE_OK);
    assert_true(n > 10);
    assert_int_equal(tls_session_feed_cipher(s, buf, n / 2), ITEE_OK);
    assert_int_equal(tls_session_state(s), TLS_STATE_HANDSHAKE);
    assert_int_equal(tls_session_cipher_pending(s), 0);
    /* the rest of it, with one byte of the tail flipped (inside the hello's extensions) */
    buf[n - 1] ^= 0x55;
    enum itee_err r = tls_session_feed_cipher(s, buf + n / 2, n - n / 2);
    assert_true(r == ITEE_OK || r == ITEE_ERR_TLS);
    tls_session_free(c);
    tls_session_free(s);

    /* a tampered application record: bad MAC */
    connect_pair(cc, sc, NULL, &c, &s);
    static const uint8_t msg[] = "hello enclave";
    assert_int_equal(tls_session_write(c, msg, sizeof(msg)), ITEE_OK);
    assert_int_equal(tls_session_take_cipher(c, buf, sizeof(buf), &n), ITEE_OK);
    assert_true(n > sizeof(msg));
    buf[n - 3] ^= 1;
    assert_int_equal(tls_session_feed_cipher(s, buf, n), ITEE_OK); /* not read yet */
    uint8_t out[64];
    assert_int_equal(tls_session_read(s, out, sizeof(out), &n), ITEE_ERR_TLS);
    assert_int_equal(n, 0);
    assert_non_null(strstr(tls_session_reason(s), "bad record mac"));
    tls_session_free(c);
    tls_session_free(s);
    tls_ctx_free(cc);
    tls_ctx_free(sc);
}

static void test_close_notify(void **state)
{
    (void)state;
    struct tls_ctx *sc = server_ctx(4, T_NOW);
    struct tls_ctx *cc = pinned_ctx(4);
    struct tls_session *c, *s;
    connect_pair(cc, sc, NULL, &c, &s);
    static const uint8_t last[] = "last words";
    assert_int_equal(tls_session_write(c, last, sizeof(last)), ITEE_OK);
    assert_int_equal(tls_session_close(c), ITEE_OK);
    assert_int_equal(tls_session_close(c), ITEE_OK);
    assert_int_equal(tls_session_state(c), TLS_STATE_CLOSED);
    assert_int_equal(tls_session_write(c, last, 1), ITEE_ERR_TLS_CLOSED);
    size_t moved = 0;
    assert_int_equal(move(c, s, &moved), ITEE_OK);
    struct itee_buf got;
    itee_buf_init(&got, 0);
    assert_int_equal(read_all(s, &got), ITEE_OK);
    assert_int_equal(got.len, sizeof(last));
    assert_memory_equal(got.ptr, last, sizeof(last));
    assert_true(tls_session_peer_closed(s));
    assert_int_equal(tls_session_state(s), TLS_STATE_CLOSED);
    /* nothing may follow close_notify */
    assert_int_equal(tls_session_feed_cipher(s, last, 1), ITEE_ERR_TLS_CLOSED);
    tls_session_free(s);

    /* the other way round, the server answers and then closes */
    tls_session_free(c);
    connect_pair(cc, sc, NULL, &c, &s);
    assert_int_equal(tls_session_write(s, last, sizeof(last)), ITEE_OK);
    assert_int_equal(tls_session_close(s), ITEE_OK);
    moved = 0;
    assert_int_equal(move(s, c, &moved), ITEE_OK);
    itee_buf_reset(&got);
    assert_int_equal(read_all(c, &got), ITEE_OK);
    assert_int_equal(got.len, sizeof(last));
    assert_true(tls_session_peer_closed(c));
    assert_false(tls_session_peer_closed(s));
    itee_buf_free(&got);
    tls_session_free(c);
    tls_session_free(s);
    tls_ctx_free(cc);
    tls_ctx_free(sc);
}

static void test_limits(void **state)
{
    (void)state;
    struct tls_ctx *sc = server_ctx(5, T_NOW);
    struct tls_ctx *cc = pinned_ctx(5);
    struct tls_session *c, *s;
    uint8_t *junk = itee_zalloc(TLS_MIN_PENDING + 1);
    assert_non_null(junk);

    /* a peer flooding a server that is not reading: error, not memory */
    assert_int_equal(tls_session_new(&c, cc, NULL, TLS_MIN_PENDING), ITEE_OK);
    assert_int_equal(tls_session_new(&s, sc, NULL, TLS_MIN_PENDING), ITEE_OK);
    enum itee_err rc, rs;
    pump(c, s, &rc, &rs);
    assert_int_equal(rs, ITEE_OK);
    size_t n;
    uint8_t tmp[1];
    assert_int_equal(tls_session_read(s, tmp, sizeof(tmp), &n), ITEE_OK);
    size_t sent = 0;
    enum itee_err r = ITEE_OK;
    while (r == ITEE_OK && sent < 4 * TLS_MIN_PENDING) {
        assert_int_equal(tls_session_write(c, junk, 1000), ITEE_OK);
        size_t moved = 0;
        r = move(c, s, &moved);
        sent += moved;
    }
    assert_int_equal(r, ITEE_ERR_TLS_LIMIT);
    assert_true(sent <= TLS_MIN_PENDING + T_CHUNK);
    assert_int_equal(tls_session_state(s), TLS_STATE_FAILED);
    tls_session_free(s);

    /* one oversized chunk at once */
    assert_int_equal(tls_session_new(&s, sc, NULL, TLS_MIN_PENDING), ITEE_OK);
    assert_int_equal(tls_session_feed_cipher(s, junk, TLS_MIN_PENDING + 1), ITEE_ERR_TLS_LIMIT);
    tls_session_free(s);

    /* an owner that does not drain: writes are refused, the session stays usable */
    assert_int_equal(tls_session_write(c, junk, TLS_MIN_PENDING), ITEE_OK);
    assert_int_equal(tls_session_write(c, junk, 1000), ITEE_ERR_TLS_LIMIT);
    assert_int_equal(tls_session_state(c), TLS_STATE_OPEN);
    uint8_t *sink = itee_alloc(2 * TLS_MIN_PENDING);
    assert_non_null(sink);
    assert_int_equal(tls_session_take_cipher(c, sink, 2 * TLS_MIN_PENDING, &n), ITEE_OK);
    assert_true(n > TLS_MIN_PENDING);
    assert_int_equal(tls_session_cipher_pending(c), 0);
    assert_int_equal(tls_session_write(c, junk, 1000), ITEE_OK);
    tls_session_free(c);

    /* the plaintext queued during the handshake is bounded too */
    assert_int_equal(tls_session_new(&c, cc, NULL, TLS_MIN_PENDING), ITEE_OK);
    assert_int_equal(tls_session_write(c, junk, TLS_MIN_PENDING), ITEE_OK);
    assert_int_equal(tls_session_write(c, junk, 1), ITEE_ERR_TLS_LIMIT);
    tls_session_free(c);
    itee_free(sink);
    itee_free(junk);
    tls_ctx_free(cc);
    tls_ctx_free(sc);
}

static void test_args(void **state)
{
    (void)state;
    uint8_t seed[32] = {1};
    struct tls_ctx *c = (struct tls_ctx *)seed;
    struct tls_server_config cfg = {.now = T_NOW};
    assert_int_equal(tls_server_ctx_new(NULL, seed, &cfg), ITEE_ERR_ARG);
    assert_int_equal(tls_server_ctx_new(&c, NULL, &cfg), ITEE_ERR_ARG);
    assert_null(c);
    assert_int_equal(tls_server_ctx_new(&c, seed, NULL), ITEE_ERR_ARG);
    const char *bad_names[] = {"", "a b", "bad\nname", "tab\tname", "\x7f"};
    for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
        cfg.alt_names = &bad_names[i];
        cfg.alt_names_len = 1;
        assert_int_equal(tls_server_ctx_new(&c, seed, &cfg), ITEE_ERR_ARG);
    }
    char longname[TLS_MAX_NAME_LEN + 2];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    const char *ln = longname;
    cfg.alt_names = &ln;
    assert_int_equal(tls_server_ctx_new(&c, seed, &cfg), ITEE_ERR_ARG);
    const char *many[TLS_MAX_ALT_NAMES + 1];
    for (size_t i = 0; i <= TLS_MAX_ALT_NAMES; i++)
        many[i] = "x.example";
    cfg.alt_names = many;
    cfg.alt_names_len = TLS_MAX_ALT_NAMES + 1;
    assert_int_equal(tls_server_ctx_new(&c, seed, &cfg), ITEE_ERR_ARG);
    cfg.alt_names_len = TLS_MAX_ALT_NAMES;
    assert_int_equal(tls_server_ctx_new(&c, seed, &cfg), ITEE_OK);
    tls_ctx_free(c);
    cfg.alt_names_len = 0;
    cfg.common_name = "line\nbreak";
    assert_int_equal(tls_server_ctx_new(&c, seed, &cfg), ITEE_ERR_ARG);
    cfg.common_name = "\xff\xfe not utf-8";
    assert_int_equal(tls_server_ctx_new(&c, seed, &cfg), ITEE_ERR_CRYPTO_LIB);
    cfg.common_name = NULL;
    cfg.now = UINT64_MAX;
    assert_int_equal(tls_server_ctx_new(&c, seed, &cfg), ITEE_ERR_ARG);
    cfg.now = 0; /* the epoch is a valid, if odd, "now" */
    assert_int_equal(tls_server_ctx_new(&c, seed, &cfg), ITEE_OK);
    assert_int_equal(tls_ctx_cert_der(NULL).len, 0);

    struct tls_client_config cc = {.mode = 0};
    struct tls_ctx *cl = NULL;
    assert_int_equal(tls_client_ctx_new(&cl, &cc), ITEE_ERR_ARG);
    cc.mode = TLS_VERIFY_CA;
    assert_int_equal(tls_client_ctx_new(&cl, &cc), ITEE_ERR_ARG);
    static const uint8_t junk[] = "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END "
                                  "CERTIFICATE-----\n";
    cc.ca_pem = junk;
    cc.ca_pem_len = sizeof(junk) - 1;
    assert_int_equal(tls_client_ctx_new(&cl, &cc), ITEE_ERR_TLS_PEM);
    cc.ca_pem = (const uint8_t *)"no pem here";
    cc.ca_pem_len = 11;
    assert_int_equal(tls_client_ctx_new(&cl, &cc), ITEE_ERR_TLS_PEM);
    assert_null(cl);
    assert_int_equal(tls_server_ctx_new_pem(&cl, junk, sizeof(junk) - 1, junk, sizeof(junk) - 1),
                     ITEE_ERR_TLS_PEM);

    /* an encrypted key is refused, never prompted for */
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    BIO *b = BIO_new(BIO_s_mem());
    assert_int_equal(
        PEM_write_bio_PKCS8PrivateKey(b, k, EVP_aes_128_cbc(), NULL, 0, NULL, (void *)"password"),
        1);
    char *kp;
    long kl = BIO_get_mem_data(b, &kp);
    struct pki p;
    pki_make(&p, "CA");
    assert_int_equal(tls_server_ctx_new_pem(&cl, p.chain_pem.ptr, p.chain_pem.len,
                                            (const uint8_t *)kp, (size_t)kl),
                     ITEE_ERR_TLS_PEM);
    pki_free(&p);
    BIO_free(b);
    EVP_PKEY_free(k);

    /* sessions */
    struct tls_session *s = (struct tls_session *)seed;
    assert_int_equal(tls_session_new(&s, NULL, NULL, 0), ITEE_ERR_ARG);
    assert_null(s);
    assert_int_equal(tls_session_new(&s, c, NULL, TLS_MIN_PENDING - 1), ITEE_ERR_ARG);
    assert_int_equal(tls_session_new(&s, c, "bad host", 0), ITEE_ERR_ARG);
    cc.mode = TLS_VERIFY_CA;
    pki_make(&p, "CA");
    cc.ca_pem = p.ca_pem.ptr;
    cc.ca_pem_len = p.ca_pem.len;
    assert_int_equal(tls_client_ctx_new(&cl, &cc), ITEE_OK);
    assert_int_equal(tls_session_new(&s, cl, NULL, 0), ITEE_ERR_ARG); /* CA needs a host */
    tls_ctx_free(cl);
    pki_free(&p);
    assert_int_equal(tls_session_new(&s, c, NULL, 0), ITEE_OK);
    size_t n = 5;
    uint8_t buf[4];
    assert_int_equal(tls_session_read(s, NULL, 1, &n), ITEE_ERR_ARG);
    assert_int_equal(n, 0);
    assert_int_equal(tls_session_read(s, buf, sizeof(buf), NULL), ITEE_ERR_ARG);
    assert_int_equal(tls_session_take_cipher(s, NULL, 1, &n), ITEE_ERR_ARG);
    assert_int_equal(tls_session_feed_cipher(s, NULL, 1), ITEE_ERR_ARG);
    assert_int_equal(tls_session_feed_cipher(s, NULL, 0), ITEE_OK);
    assert_int_equal(tls_session_write(NULL, buf, 1), ITEE_ERR_ARG);
    assert_int_equal(tls_session_peer_ed25519(s, buf), ITEE_ERR_ARG);
    assert_string_equal(tls_session_version(s), "");
    assert_string_equal(tls_session_reason(s), "");
    assert_int_equal(tls_session_state(NULL), TLS_STATE_FAILED);
    tls_session_free(s);
    tls_session_free(NULL);
    tls_ctx_free(c);
    tls_ctx_free(NULL);
}

/* Every one of our allocations failing in turn: NOMEM and no leak, then success. */
static void test_oom(void **state)
{
    (void)state;
    uint8_t seed[32];
    seed_of(seed, 6);
    struct tls_server_config cfg = {.now = T_NOW, .alt_names = alt_names, .alt_names_len = 2};
    struct tls_ctx *cc = pinned_ctx(6);
    bool done = false;
    for (long n = 0; n < 100 && !done; n++) {
        struct tls_ctx *sc = NULL;
        struct tls_session *c = NULL, *s = NULL;
        itee_mem_fail_after(n);
        enum itee_err r = tls_server_ctx_new(&sc, seed, &cfg);
        if (r == ITEE_OK)
            r = tls_session_new(&s, sc, NULL, 0);
        if (r == ITEE_OK) {
            r = tls_session_new(&c, cc, NULL, 0);
            if (r != ITEE_OK)
                assert_null(c);
        }
        if (r == ITEE_OK)
            r = tls_session_write(c, seed, sizeof(seed));
        itee_mem_fail_after(-1);
        assert_true(r == ITEE_OK || r == ITEE_ERR_NOMEM);
        if (r == ITEE_OK) {
            enum itee_err rc, rs;
            pump(c, s, &rc, &rs);
            assert_int_equal(rc, ITEE_OK);
            assert_int_equal(rs, ITEE_OK);
            uint8_t got[32];
            size_t len;
            assert_int_equal(tls_session_read(s, got, sizeof(got), &len), ITEE_OK);
            assert_int_equal(len, sizeof(seed));
            done = true;
        }
        tls_session_free(c);
        tls_session_free(s);
        tls_ctx_free(sc);
    }
    assert_true(done);
    tls_ctx_free(cc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_cert),
        cmocka_unit_test(test_cert_times),
        cmocka_unit_test(test_pinned_roundtrip),
        cmocka_unit_test(test_pinned_mismatch),
        cmocka_unit_test(test_ca_chain),
        cmocka_unit_test(test_tls12_no_renegotiation),
        cmocka_unit_test(test_verify_none),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_close_notify),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_args),
        cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
