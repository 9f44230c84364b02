/*
 * driver_chain.c - conformance driver commands for the chain types (see driver.h).
 *
 * Arguments are hex tokens ("-" for empty), decimal numbers, or 0/1 flags. <meta> says whether
 * the chain lists CheckMetadataHash; <mh> is the metadata hash known to the chain or "-".
 *   era_mortal <period> <current>          -> ok <enc> <period> <phase> <birth> <death>
 *   era_decode <enc> <current>             -> ok <mortal> <period> <phase> <birth> <death>
 *   ext_decode <meta> <ext>                -> ok 0 <call> | ok 1 <signer> <scheme> <sig> <era>
 *                                             <nonce> <tip> <mode> <call> <txhash>
 *   ext_verify <meta> <spec> <tx> <genesis> <era_hash> <mh> <ext>
 *                                          -> ok <payload> <1|0 signature valid>
 *   ext_sign <meta> <scheme> <suri> <spec> <tx> <genesis> <era_hash> <mh> <era> <nonce> <tip>
 *            <mode> <call>                 -> ok <ext>
 *   ext_unsigned <call>                    -> ok <ext>
 *   header_build <parent> <number> <state> <extroot> <logs>
 *                                          -> ok <encoded> <hash>
 *      logs: "-" or comma-separated kind:engine:data (engine/data hex or "-")
 *   header_decode <hex>                    -> ok <hash> <number> <n_logs> <reencoded>
 *   gj_build <round> <set_id> <target> <number> <suris>  (suris comma-separated hex of text)
 *                                          -> ok <justification>
 *   gj_decode <hex> <set_id> <ids>         -> ok <round> <target> <number> <n_precommits>
 *                                             <n_ancestries> <valid 1|0> <reencoded>
 *      ids: concatenated 32-byte ed25519 authority keys, weight 1 each
 *   event_vec <records>                    -> ok <Vec<EventRecord>> built by event_vec_append
 *      records: "-" or comma-separated phase:index:pallet:variant:fields:topics (hex or "-")
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "chain/event.h"
#include "chain/extrinsic.h"
#include "chain/grandpa.h"
#include "chain/header.h"
#include "driver.h"

/* Parses an unsigned decimal (strtoull; rejects junk). */
static int num(const char *s, uint64_t *out)
{
    char *end = NULL;
    if (s[0] < '0' || s[0] > '9')
        return -1;
    *out = strtoull(s, &end, 10);
    return *end == '\0' ? 0 : -1;
}

/* Decimal u128. */
static int num128(const char *s, itee_u128 *out)
{
    *out = 0;
    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        *out = *out * 10 + (itee_u128)(*s - '0');
    }
    return 0;
}

static void u128_str(char out[48], itee_u128 v)
{
    char tmp[48];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v != 0);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

/* Exactly n bytes of hex into out. */
static int fixed(const char *s, uint8_t *out, size_t n)
{
    size_t len;
    uint8_t *p = drv_hex_arg(s, &len);
    int ok = p != NULL && len == n;
    if (ok)
        memcpy(out, p, n);
    free(p);
    return ok ? 0 : -1;
}

static int chain_args(struct extrinsic_chain *c, const char *meta, const char *spec, const char *tx,
                      const char *genesis, const char *mh)
{
    uint64_t m, s, t;
    memset(c, 0, sizeof(*c));
    if (num(meta, &m) || num(spec, &s) || num(tx, &t) || fixed(genesis, c->genesis_hash, 32))
        return -1;
    c->check_metadata_hash = m != 0;
    c->spec_version = (uint32_t)s;
    c->tx_version = (uint32_t)t;
    if (strcmp(mh, "-") != 0) {
        if (fixed(mh, c->metadata_hash, 32))
            return -1;
        c->has_metadata_hash = true;
    }
    return 0;
}

static void era_out(struct drv_ctx *ctx, const struct extrinsic_era *e, uint64_t current,
                    int with_enc)
{
    uint8_t enc[2];
    size_t n = extrinsic_era_encode(e, enc);
    char *h = drv_hex_str(enc, n);
    uint64_t birth = extrinsic_era_birth(e, current), death = extrinsic_era_death(e, current);
    if (with_enc)
        drv_ok(ctx, "%s %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64, h ? h : "-", e->period,
               e->phase, birth, death);
    else
        drv_ok(ctx, "%d %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64, e->mortal ? 1 : 0, e->period,
               e->phase, birth, death);
    free(h);
}

static void cmd_era_mortal(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    uint64_t period, current;
    if (num(argv[0], &period) || num(argv[1], &current)) {
        drv_err(ctx, "bad number");
        return;
    }
    struct extrinsic_era e = extrinsic_era_mortal(period, current);
    era_out(ctx, &e, current, 1);
}

static void cmd_era_decode(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t len;
    uint64_t current;
    uint8_t *p = drv_bytes_arg(argv[0], &len);
    if (p == NULL || num(argv[1], &current)) {
        free(p);
        drv_err(ctx, "bad args");
        return;
    }
    struct scale_reader r;
    struct extrinsic_era e;
    scale_reader_init(&r, p, len);
    enum itee_err err = extrinsic_era_read(&r, &e);
    if (err == ITEE_OK)
        err = scale_reader_finish(&r);
    if (err != ITEE_OK)
        drv_err(ctx, "%s", itee_strerror(err));
    else
        era_out(ctx, &e, current, 0);
    free(p);
}

static void cmd_ext_decode(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    uint64_t meta;
    size_t len;
    uint8_t *p = drv_bytes_arg(argv[1], &len);
    if (p == NULL || num(argv[0], &meta)) {
        free(p);
        drv_err(ctx, "bad args");
        return;
    }
    struct extrinsic_chain c = {0};
    c.check_metadata_hash = meta != 0;
    struct extrinsic x;
    enum itee_err err = extrinsic_decode(&x, &c, p, len);
    if (err != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(err));
        free(p);
        return;
    }
    char *call = drv_hex_str(x.call.ptr, x.call.len);
    if (!x.is_signed) {
        drv_ok(ctx, "0 %s", call);
    } else {
        uint8_t era[2], h[32];
        char tip[48];
        size_t en = extrinsic_era_encode(&x.params.era, era);
        char *signer = drv_hex_str(x.signer, 32), *sig = drv_hex_str(x.sig, x.sig_len),
             *eh = drv_hex_str(era, en);
        extrinsic_hash(h, p, len);
        char *hh = drv_hex_str(h, 32);
        u128_str(tip, x.params.tip);
        drv_ok(ctx, "1 %s %d %s %s %" PRIu32 " %s %u %s %s", signer, (int)x.sig_scheme, sig, eh,
               x.params.nonce, tip, (unsigned)x.params.metadata_mode, call, hh);
        free(signer);
        free(sig);
        free(eh);
        free(hh);
    }
    free(call);
    free(p);
}

static void cmd_ext_verify(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    struct extrinsic_chain c;
    uint8_t era_hash[32];
    size_t len;
    uint8_t *p = drv_bytes_arg(argv[6], &len);
    if (p == NULL || chain_args(&c, argv[0], argv[1], argv[2], argv[3], argv[5]) ||
        fixed(argv[4], era_hash, 32)) {
        free(p);
        drv_err(ctx, "bad args");
        return;
    }
    struct extrinsic x;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    enum itee_err err = extrinsic_decode(&x, &c, p, len);
    if (err == ITEE_OK && !x.is_signed)
        err = ITEE_ERR_ARG;
    if (err == ITEE_OK)
        err = extrinsic_payload_encode(&b, &c, x.call, &x.params, era_hash);
    if (err != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(err));
    } else {
        char *pl = drv_hex_str(b.ptr, b.len);
        drv_ok(ctx, "%s %d", pl, extrinsic_verify(&x, &c, era_hash) == ITEE_OK ? 1 : 0);
        free(pl);
    }
    itee_buf_free(&b);
    free(p);
}

static void cmd_ext_sign(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    struct extrinsic_chain c;
    struct extrinsic_params prm = {0};
    struct keys_pair kp;
    uint8_t era_hash[32];
    uint64_t nonce, mode;
    size_t suri_len = 0, era_len = 0, call_len = 0;
    enum keys_scheme scheme;
    uint8_t *suri = drv_bytes_arg(argv[2], &suri_len), *era = drv_bytes_arg(argv[8], &era_len),
            *call = drv_bytes_arg(argv[12], &call_len);
    struct itee_buf b;
    itee_buf_init(&b, 0);
    memset(&kp, 0, sizeof(kp));
    struct scale_reader r;
    scale_reader_init(&r, era, era_len);
    if (suri == NULL || era == NULL || call == NULL ||
        chain_args(&c, argv[0], argv[3], argv[4], argv[5], argv[7]) ||
        keys_scheme_parse(&scheme, argv[1]) != ITEE_OK || fixed(argv[6], era_hash, 32) ||
        num(argv[9], &nonce) || num128(argv[10], &prm.tip) || num(argv[11], &mode) ||
        extrinsic_era_read(&r, &prm.era) != ITEE_OK || scale_reader_finish(&r) != ITEE_OK) {
        drv_err(ctx, "bad args");
        goto out;
    }
    prm.nonce = (uint32_t)nonce;
    prm.metadata_mode = (uint8_t)mode;
    enum itee_err err = keys_pair_from_suri(&kp, scheme, (const char *)suri, suri_len);
    if (err == ITEE_OK)
        err = extrinsic_sign(&b, &kp, &c, itee_slice_make(call, call_len), &prm, era_hash);
    if (err != ITEE_OK)
        drv_err(ctx, "%s", itee_strerror(err));
    else
        drv_ok_hex(ctx, b.ptr, b.len);
out:
    keys_pair_clear(&kp);
    itee_buf_free(&b);
    free(suri);
    free(era);
    free(call);
}

static void cmd_ext_unsigned(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t len;
    uint8_t *call = drv_bytes_arg(argv[0], &len);
    struct itee_buf b;
    itee_buf_init(&b, 0);
    if (call == NULL || extrinsic_encode_unsigned(&b, itee_slice_make(call, len)) != ITEE_OK)
        drv_err(ctx, "bad args");
    else
        drv_ok_hex(ctx, b.ptr, b.len);
    itee_buf_free(&b);
    free(call);
}

/* Parses "kind:engine:data,..." into h; the data are kept in store (freed by the caller). */
static int parse_logs(struct header *h, char *spec, uint8_t **store, size_t *n_store)
{
    if (strcmp(spec, "-") == 0)
        return 0;
    char *save = NULL;
    for (char *item = strtok_r(spec, ",", &save); item != NULL; item = strtok_r(NULL, ",", &save)) {
        char *k = item, *eng = strchr(k, ':');
        if (eng == NULL)
            return -1;
        *eng++ = '\0';
        char *data = strchr(eng, ':');
        if (data == NULL)
            return -1;
        *data++ = '\0';
        uint64_t kind;
        uint8_t engine[4] = {0};
        size_t len;
        if (num(k, &kind) || (strcmp(eng, "-") != 0 && fixed(eng, engine, 4)))
            return -1;
        uint8_t *d = drv_bytes_arg(data, &len);
        if (d == NULL)
            return -1;
        store[(*n_store)++] = d;
        if (header_push_log(h, (enum header_digest_kind)kind, (const char *)engine, d, len))
            return -1;
    }
    return 0;
}

static void cmd_header_build(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    struct header h;
    uint64_t number;
    uint8_t *store[HEADER_MAX_LOGS + 1] = {0};
    size_t n_store = 0;
    memset(&h, 0, sizeof(h));
    struct itee_buf b;
    itee_buf_init(&b, 0);
    uint8_t hash[32];
    if (fixed(argv[0], h.parent_hash, 32) || num(argv[1], &number) || number > UINT32_MAX ||
        fixed(argv[2], h.state_root, 32) || fixed(argv[3], h.extrinsics_root, 32) ||
        parse_logs(&h, argv[4], store, &n_store)) {
        drv_err(ctx, "bad args");
        goto out;
    }
    h.number = (uint32_t)number;
    if (header_encode(&b, &h) != ITEE_OK || header_hash(&h, hash) != ITEE_OK) {
        drv_err(ctx, "encode failed");
        goto out;
    }
    char *e = drv_hex_str(b.ptr, b.len), *hh = drv_hex_str(hash, 32);
    drv_ok(ctx, "%s %s", e, hh);
    free(e);
    free(hh);
out:
    for (size_t i = 0; i < n_store; i++)
        free(store[i]);
    itee_buf_free(&b);
}

static void cmd_header_decode(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t len;
    uint8_t *p = drv_bytes_arg(argv[0], &len), hash[32];
    struct header h;
    struct itee_buf b;
    itee_buf_init(&b, 0);
    enum itee_err err = p == NULL ? ITEE_ERR_HEX : header_decode(&h, p, len);
    if (err == ITEE_OK && (err = header_hash(&h, hash)) == ITEE_OK)
        err = header_encode(&b, &h);
    if (err != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(err));
    } else {
        char *hh = drv_hex_str(hash, 32), *e = drv_hex_str(b.ptr, b.len);
        drv_ok(ctx, "%s %" PRIu32 " %zu %s", hh, h.number, h.n_logs, e);
        free(hh);
        free(e);
    }
    itee_buf_free(&b);
    free(p);
}

static void cmd_gj_build(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    uint64_t round, set_id, number;
    struct grandpa_justification j;
    struct grandpa_signed_precommit sp[16];
    memset(&j, 0, sizeof(j));
    struct itee_buf b;
    itee_buf_init(&b, 0);
    if (num(argv[0], &round) || num(argv[1], &set_id) || fixed(argv[2], j.target_hash, 32) ||
        num(argv[3], &number) || number > UINT32_MAX) {
        drv_err(ctx, "bad args");
        goto out;
    }
    j.round = round;
    j.target_number = (uint32_t)number;
    j.precommits = sp;
    char *save = NULL;
    for (char *s = strtok_r(argv[4], ",", &save); s != NULL; s = strtok_r(NULL, ",", &save)) {
        size_t len;
        uint8_t *suri = drv_bytes_arg(s, &len);
        struct keys_pair kp;
        struct grandpa_precommit pc;
        memcpy(pc.target_hash, j.target_hash, 32);
        pc.target_number = j.target_number;
        int bad = suri == NULL || j.n_precommits == 16 ||
                  keys_pair_from_suri(&kp, KEYS_SCHEME_ED25519, (const char *)suri, len) ||
                  grandpa_precommit_sign(&sp[j.n_precommits], &kp.k.ed, &pc, round, set_id);
        keys_pair_clear(&kp);
        free(suri);
        if (bad) {
            drv_err(ctx, "bad suri");
            goto out;
        }
        j.n_precommits++;
    }
    if (grandpa_justification_encode(&b, &j) != ITEE_OK)
        drv_err(ctx, "encode failed");
    else
        drv_ok_hex(ctx, b.ptr, b.len);
out:
    itee_buf_free(&b);
}

static void cmd_gj_decode(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    size_t len, ids_len;
    uint64_t set_id;
    uint8_t *p = drv_bytes_arg(argv[0], &len), *ids = drv_bytes_arg(argv[2], &ids_len);
    struct grandpa_authority *auth = NULL;
    struct grandpa_justification j;
    memset(&j, 0, sizeof(j));
    struct itee_buf b;
    itee_buf_init(&b, 0);
    if (p == NULL || ids == NULL || ids_len % 32 != 0 || num(argv[1], &set_id)) {
        drv_err(ctx, "bad args");
        goto out;
    }
    size_t n_auth = ids_len / 32;
    auth = calloc(n_auth + 1, sizeof(*auth));
    for (size_t i = 0; auth != NULL && i < n_auth; i++) {
        memcpy(auth[i].id.bytes, ids + 32 * i, 32);
        auth[i].weight = 1;
    }
    enum itee_err err = grandpa_justification_decode(&j, p, len);
    if (err == ITEE_OK)
        err = grandpa_justification_encode(&b, &j);
    if (err != ITEE_OK) {
        drv_err(ctx, "%s", itee_strerror(err));
        goto out;
    }
    int valid = auth != NULL && n_auth > 0 &&
                grandpa_justification_verify(&j, set_id, auth, n_auth) == ITEE_OK;
    char *t = drv_hex_str(j.target_hash, 32), *e = drv_hex_str(b.ptr, b.len);
    drv_ok(ctx, "%" PRIu64 " %s %" PRIu32 " %zu %zu %d %s", j.round, t, j.target_number,
           j.n_precommits, j.n_ancestries, valid, e);
    free(t);
    free(e);
out:
    grandpa_justification_free(&j);
    itee_buf_free(&b);
    free(auth);
    free(p);
    free(ids);
}

/* Appends one "phase:index:pallet:variant:fields:topics" record to v. */
static int append_record(struct itee_buf *v, char *spec)
{
    char *f[6];
    char *save = NULL;
    int n = 0;
    for (char *t = strtok_r(spec, ":", &save); t != NULL && n < 6; t = strtok_r(NULL, ":", &save))
        f[n++] = t;
    uint64_t phase, index, pallet, variant;
    if (n != 6 || num(f[0], &phase) || num(f[1], &index) || num(f[2], &pallet) ||
        num(f[3], &variant) || pallet > 255 || variant > 255 || index > UINT32_MAX)
        return -1;
    size_t fl, tl;
    uint8_t *fields = drv_bytes_arg(f[4], &fl), *topics = drv_bytes_arg(f[5], &tl);
    int rc = -1;
    if (fields != NULL && topics != NULL && tl % 32 == 0) {
        struct event_record rec = {(enum event_phase)phase,
                                   (uint32_t)index,
                                   (uint8_t)pallet,
                                   (uint8_t)variant,
                                   {fields, fl},
                                   topics,
                                   tl / 32};
        rc = event_vec_append(v, &rec) == ITEE_OK ? 0 : -1;
    }
    free(fields);
    free(topics);
    return rc;
}

static void cmd_event_vec(struct drv_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    struct itee_buf v;
    itee_buf_init(&v, 0);
    char *save = NULL;
    int bad = 0;
    if (strcmp(argv[0], "-") != 0)
        for (char *r = strtok_r(argv[0], ",", &save); r != NULL && !bad;
             r = strtok_r(NULL, ",", &save))
            bad = append_record(&v, r);
    if (bad)
        drv_err(ctx, "bad record");
    else if (v.len == 0)
        drv_ok(ctx, "00"); /* the empty Vec */
    else
        drv_ok_hex(ctx, v.ptr, v.len);
    itee_buf_free(&v);
}

const struct drv_cmd drv_cmds_chain[] = {
    {"era_mortal", 2, cmd_era_mortal},     {"era_decode", 2, cmd_era_decode},
    {"ext_decode", 2, cmd_ext_decode},     {"ext_verify", 7, cmd_ext_verify},
    {"ext_sign", 13, cmd_ext_sign},        {"ext_unsigned", 1, cmd_ext_unsigned},
    {"header_build", 5, cmd_header_build}, {"header_decode", 1, cmd_header_decode},
    {"gj_build", 5, cmd_gj_build},         {"gj_decode", 3, cmd_gj_decode},
    {"event_vec", 1, cmd_event_vec},       {NULL, 0, NULL},
};
