/*
 * chain_spec.c - chain specification files (see chain_spec.h).
 */
#include "node/chain_spec.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/hex.h"
#include "common/mem.h"
#include "keys/ss58.h"
#include "node/runtime/pallet_balances.h"
#include "node/runtime/pallet_transaction_payment.h"
#include "node/runtime/rt_state.h"
#include "trie/trie.h"

#define SS58_GENERIC 42 /* Substrate prints spec accounts with its default prefix */

/* ---- parsing --------------------------------------------------------------------------- */

/* Parser state: the reason buffer and the error to return with it. */
struct parse {
    char *why;
};

static enum itee_err fail(struct parse *p, enum itee_err e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum itee_err fail(struct parse *p, enum itee_err e, const char *field, const char *fmt, ...)
{
    char msg[CHAIN_SPEC_WHY_LEN];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (k < 0)
        msg[0] = '\0';
    k = snprintf(p->why, CHAIN_SPEC_WHY_LEN, "%s: %s", field, msg);
    (void)k;
    return e;
}

/* A string field of at most max bytes without control characters into out. */
static enum itee_err get_text(struct parse *p, const json_t *o, const char *key, char *out,
                              size_t max, bool required)
{
    const json_t *v = json_object_get(o, key);
    out[0] = '\0';
    if (v == NULL || (!required && json_is_null(v))) {
        if (required)
            return fail(p, ITEE_ERR_SPEC_FIELD, key, "missing");
        return ITEE_OK;
    }
    if (!json_is_string(v))
        return fail(p, ITEE_ERR_SPEC_FIELD, key, "expected a string");
    size_t n = json_string_length(v);
    const char *s = json_string_value(v);
    if (n == 0 || n > max)
        return fail(p, ITEE_ERR_SPEC_VALUE, key, "length must be 1..%zu bytes", max);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return fail(p, ITEE_ERR_SPEC_VALUE, key, "control character");
    memcpy(out, s, n + 1);
    return ITEE_OK;
}

/* An account or public key: 0x + 64 hex digits, or SS58 of any prefix. */
static enum itee_err get_account(struct parse *p, const json_t *v, const char *field,
                                 uint8_t out[32])
{
    if (!json_is_string(v))
        return fail(p, ITEE_ERR_SPEC_FIELD, field, "expected an SS58 address or 0x public key");
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    uint16_t prefix;
    if (n > 2 && s[0] == '0' && s[1] == 'x') {
        if (itee_hex_decode_exact(out, 32, s, n) == ITEE_OK)
            return ITEE_OK;
    } else if (ss58_decode_account32(out, &prefix, s, n) == ITEE_OK) {
        return ITEE_OK;
    }
    return fail(p, ITEE_ERR_SPEC_VALUE, field, "not an SS58 address or 0x 32-byte key");
}

/* A u128 given as a JSON integer or a decimal string. */
static enum itee_err get_u128(struct parse *p, const json_t *v, const char *field, itee_u128 *out)
{
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i < 0)
            return fail(p, ITEE_ERR_SPEC_VALUE, field, "negative");
        *out = (itee_u128)i;
        return ITEE_OK;
    }
    if (!json_is_string(v))
        return fail(p, ITEE_ERR_SPEC_FIELD, field, "expected an integer");
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    itee_u128 x = 0;
    if (n == 0 || n > 39)
        return fail(p, ITEE_ERR_SPEC_VALUE, field, "not a u128");
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return fail(p, ITEE_ERR_SPEC_VALUE, field, "not a decimal integer");
        itee_u128 d = (itee_u128)(s[i] - '0');
        if (x > (~(itee_u128)0 - d) / 10)
            return fail(p, ITEE_ERR_SPEC_VALUE, field, "does not fit in u128");
        x = x * 10 + d;
    }
    *out = x;
    return ITEE_OK;
}

static enum itee_err get_object(struct parse *p, const json_t *o, const char *key,
                                const char *field, const json_t **out)
{
    *out = json_object_get(o, key);
    if (*out == NULL)
        return ITEE_OK;
    if (!json_is_object(*out))
        return fail(p, ITEE_ERR_SPEC_FIELD, field, "expected an object");
    return ITEE_OK;
}

/* A printable copy of at most 40 bytes of s (reasons stay on one line). */
static void printable(char out[41], const char *s)
{
    size_t i = 0;
    for (; s[i] != '\0' && i < 40; i++)
        out[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
    out[i] = '\0';
}

/* Refuses keys of o outside the NULL-terminated list (serde's deny_unknown_fields). */
static enum itee_err only_keys(struct parse *p, const json_t *o, const char *field,
                               const char *const *allowed)
{
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)o, k, v)
    {
        bool ok = false;
        for (size_t i = 0; allowed[i] != NULL && !ok; i++)
            ok = strcmp(k, allowed[i]) == 0;
        if (!ok) {
            char shown[41];
            printable(shown, k);
            return fail(p, ITEE_ERR_SPEC_FIELD, field, "unknown field \"%s\"", shown);
        }
    }
    return ITEE_OK;
}

static enum itee_err parse_aura(struct parse *p, const json_t *sec, struct genesis_config *c)
{
    static const char *const keys[] = {"authorities", NULL};
    const json_t *a = json_object_get(sec, "authorities");
    enum itee_err e = only_keys(p, sec, "aura", keys);
    if (e != ITEE_OK)
        return e;
    if (a == NULL)
        return ITEE_OK;
    if (!json_is_array(a))
        return fail(p, ITEE_ERR_SPEC_FIELD, "aura.authorities", "expected an array");
    size_t n = json_array_size(a);
    if (n > GENESIS_MAX_AUTHORITIES)
        return fail(p, ITEE_ERR_SPEC_VALUE, "aura.authorities", "more than %d",
                    GENESIS_MAX_AUTHORITIES);
    c->aura = itee_zalloc((n ? n : 1) * sizeof(*c->aura));
    if (c->aura == NULL)
        return ITEE_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if ((e = get_account(p, json_array_get(a, i), "aura.authorities[]", c->aura[i])) != ITEE_OK)
            return e;
        for (size_t k = 0; k < i; k++)
            if (memcmp(c->aura[k], c->aura[i], 32) == 0)
                return fail(p, ITEE_ERR_SPEC_VALUE, "aura.authorities", "duplicate authority");
        c->n_aura = i + 1;
    }
    return ITEE_OK;
}

static enum itee_err parse_grandpa(struct parse *p, const json_t *sec, struct genesis_config *c)
{
    static const char *const keys[] = {"authorities", "_config", NULL};
    const json_t *a = json_object_get(sec, "authorities");
    enum itee_err e = only_keys(p, sec, "grandpa", keys);
    if (e != ITEE_OK)
        return e;
    if (a == NULL)
        return ITEE_OK;
    if (!json_is_array(a))
        return fail(p, ITEE_ERR_SPEC_FIELD, "grandpa.authorities", "expected an array");
    size_t n = json_array_size(a);
    if (n > GENESIS_MAX_AUTHORITIES)
        return fail(p, ITEE_ERR_SPEC_VALUE, "grandpa.authorities", "more than %d",
                    GENESIS_MAX_AUTHORITIES);
    c->grandpa = itee_zalloc((n ? n : 1) * sizeof(*c->grandpa));
    if (c->grandpa == NULL)
        return ITEE_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const json_t *pair = json_array_get(a, i);
        const json_t *w = json_array_get(pair, 1);
        if (!json_is_array(pair) || json_array_size(pair) != 2 || !json_is_integer(w))
            return fail(p, ITEE_ERR_SPEC_FIELD, "grandpa.authorities[]", "expected [key, weight]");
        if (json_integer_value(w) <= 0)
            return fail(p, ITEE_ERR_SPEC_VALUE, "grandpa.authorities[]", "weight must be positive");
        if ((e = get_account(p, json_array_get(pair, 0), "grandpa.authorities[]",
                             c->grandpa[i].id)) != ITEE_OK)
            return e;
        for (size_t k = 0; k < i; k++)
            if (memcmp(c->grandpa[k].id, c->grandpa[i].id, 32) == 0)
                return fail(p, ITEE_ERR_SPEC_VALUE, "grandpa.authorities", "duplicate authority");
        c->grandpa[i].weight = (uint64_t)json_integer_value(w);
        c->n_grandpa = i + 1;
    }
    return ITEE_OK;
}

static int cmp_balance(const void *a, const void *b)
{
    return memcmp(((const struct genesis_balance *)a)->who,
                  ((const struct genesis_balance *)b)->who, 32);
}

static enum itee_err parse_balances(struct parse *p, const json_t *sec, struct genesis_config *c)
{
    static const char *const keys[] = {"balances", "devAccounts", NULL};
    const json_t *a = json_object_get(sec, "balances");
    const json_t *dev = json_object_get(sec, "devAccounts");
    enum itee_err e = only_keys(p, sec, "balances", keys);
    if (e != ITEE_OK)
        return e;
    if (dev != NULL && !json_is_null(dev))
        return fail(p, ITEE_ERR_SPEC_VALUE, "balances.devAccounts", "not supported (use null)");
    if (a == NULL)
        return ITEE_OK;
    if (!json_is_array(a))
        return fail(p, ITEE_ERR_SPEC_FIELD, "balances.balances", "expected an array");
    size_t n = json_array_size(a);
    if (n > GENESIS_MAX_BALANCES)
        return fail(p, ITEE_ERR_SPEC_VALUE, "balances.balances", "more than %d entries",
                    GENESIS_MAX_BALANCES);
    c->balances = itee_zalloc((n ? n : 1) * sizeof(*c->balances));
    if (c->balances == NULL)
        return ITEE_ERR_NOMEM;
    itee_u128 total = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *pair = json_array_get(a, i);
        struct genesis_balance *b = &c->balances[i];
        if (!json_is_array(pair) || json_array_size(pair) != 2)
            return fail(p, ITEE_ERR_SPEC_FIELD, "balances.balances[]",
                        "expected [account, amount]");
        if ((e = get_account(p, json_array_get(pair, 0), "balances.balances[]", b->who)) !=
                ITEE_OK ||
            (e = get_u128(p, json_array_get(pair, 1), "balances.balances[]", &b->amount)) !=
                ITEE_OK)
            return e;
        if (b->amount < PALLET_BALANCES_ED)
            return fail(p, ITEE_ERR_SPEC_VALUE, "balances.balances[]",
                        "amount below the existential deposit (500)");
        if (total + b->amount < total)
            return fail(p, ITEE_ERR_SPEC_VALUE, "balances.balances", "total overflows u128");
        total += b->amount;
        c->n_balances = i + 1;
    }
    /* pallet_balances refuses duplicate accounts at genesis */
    struct genesis_balance *sorted = itee_alloc_array(n ? n : 1, sizeof(*sorted));
    if (sorted == NULL)
        return ITEE_ERR_NOMEM;
    memcpy(sorted, c->balances, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), cmp_balance);
    bool dup = false;
    for (size_t i = 1; i < n && !dup; i++)
        dup = memcmp(sorted[i - 1].who, sorted[i].who, 32) == 0;
    itee_free(sorted);
    if (dup)
        return fail(p, ITEE_ERR_SPEC_VALUE, "balances.balances", "duplicate account");
    return ITEE_OK;
}

static enum itee_err parse_flag(struct parse *p, const json_t *sec, const char *key,
                                const char *field, bool *out)
{
    const json_t *v = json_object_get(sec, key);
    *out = false;
    if (v == NULL)
        return ITEE_OK;
    if (!json_is_boolean(v))
        return fail(p, ITEE_ERR_SPEC_FIELD, field, "expected true or false");
    *out = json_is_true(v);
    return ITEE_OK;
}

static enum itee_err parse_misc(struct parse *p, const json_t *cfg, struct genesis_config *c)
{
    static const char *const sudo_keys[] = {"key", NULL};
    static const char *const teerex_keys[] = {"allowSgxDebugMode", "allowSkippingAttestation",
                                              NULL};
    static const char *const tp_keys[] = {"multiplier", "_config", NULL};
    const json_t *sec;
    enum itee_err e = get_object(p, cfg, "sudo", "sudo", &sec);
    if (e == ITEE_OK && sec != NULL && (e = only_keys(p, sec, "sudo", sudo_keys)) == ITEE_OK) {
        const json_t *k = json_object_get(sec, "key");
        if (k != NULL && !json_is_null(k)) {
            e = get_account(p, k, "sudo.key", c->sudo);
            c->has_sudo = e == ITEE_OK;
        }
    }
    if (e == ITEE_OK)
        e = get_object(p, cfg, "teerex", "teerex", &sec);
    if (e == ITEE_OK && sec != NULL && (e = only_keys(p, sec, "teerex", teerex_keys)) == ITEE_OK) {
        e = parse_flag(p, sec, "allowSgxDebugMode", "teerex.allowSgxDebugMode",
                       &c->allow_sgx_debug_mode);
        if (e == ITEE_OK)
            e = parse_flag(p, sec, "allowSkippingAttestation", "teerex.allowSkippingAttestation",
                           &c->allow_skipping_attestation);
    }
    if (e == ITEE_OK)
        e = get_object(p, cfg, "transactionPayment", "transactionPayment", &sec);
    if (e == ITEE_OK && sec != NULL &&
        (e = only_keys(p, sec, "transactionPayment", tp_keys)) == ITEE_OK) {
        const json_t *m = json_object_get(sec, "multiplier");
        itee_u128 v = PALLET_TRANSACTION_PAYMENT_MULTIPLIER_ONE;
        if (m != NULL)
            e = get_u128(p, m, "transactionPayment.multiplier", &v);
        if (e == ITEE_OK && v != PALLET_TRANSACTION_PAYMENT_MULTIPLIER_ONE)
            e = fail(p, ITEE_ERR_SPEC_VALUE, "transactionPayment.multiplier",
                     "only 1000000000000000000 (1.0): the fee multiplier is constant");
    }
    return e;
}

static enum itee_err parse_config(struct parse *p, const json_t *cfg, struct genesis_config *c)
{
    static const char *const sections[] = {
        "system", "aura", "grandpa", "balances", "sudo", "teerex", "transactionPayment", NULL};
    const json_t *sec;
    enum itee_err e = only_keys(p, cfg, "genesis config", sections);
    if (e == ITEE_OK)
        e = get_object(p, cfg, "system", "system", &sec);
    if (e == ITEE_OK)
        e = get_object(p, cfg, "aura", "aura", &sec);
    if (e == ITEE_OK && sec != NULL)
        e = parse_aura(p, sec, c);
    if (e == ITEE_OK)
        e = get_object(p, cfg, "grandpa", "grandpa", &sec);
    if (e == ITEE_OK && sec != NULL)
        e = parse_grandpa(p, sec, c);
    if (e == ITEE_OK)
        e = get_object(p, cfg, "balances", "balances", &sec);
    if (e == ITEE_OK && sec != NULL)
        e = parse_balances(p, sec, c);
    if (e == ITEE_OK)
        e = parse_misc(p, cfg, c);
    return e;
}

/* "0x" + even hex into a new allocation of at most max bytes. */
static enum itee_err get_hex(struct parse *p, const char *s, size_t n, const char *field,
                             size_t max, struct itee_slice *out)
{
    if (n < 2 || s[0] != '0' || s[1] != 'x' || (n & 1) != 0)
        return fail(p, ITEE_ERR_SPEC_VALUE, field, "expected 0x-prefixed hex");
    size_t len = (n - 2) / 2;
    if (len > max)
        return fail(p, ITEE_ERR_SPEC_VALUE, field, "longer than %zu bytes", max);
    uint8_t *b = itee_alloc(len ? len : 1);
    size_t got = 0;
    if (b == NULL)
        return ITEE_ERR_NOMEM;
    if (itee_hex_decode(b, len ? len : 1, &got, s, n) != ITEE_OK || got != len) {
        itee_free(b);
        return fail(p, ITEE_ERR_SPEC_VALUE, field, "invalid hex");
    }
    *out = itee_slice_make(b, len);
    return ITEE_OK;
}

static enum itee_err parse_raw(struct parse *p, const json_t *raw, struct chain_spec *s)
{
    static const char *const keys[] = {"top", "childrenDefault", NULL};
    const json_t *top = json_object_get(raw, "top");
    const json_t *children = json_object_get(raw, "childrenDefault");
    enum itee_err e = only_keys(p, raw, "genesis.raw", keys);
    if (e != ITEE_OK)
        return e;
    if (!json_is_object(top))
        return fail(p, ITEE_ERR_SPEC_FIELD, "genesis.raw.top", "expected an object");
    if (children != NULL && (!json_is_object(children) || json_object_size(children) != 0))
        return fail(p, ITEE_ERR_SPEC_VALUE, "genesis.raw.childrenDefault",
                    "child storage is not supported (expected {})");
    size_t n = json_object_size(top);
    s->kv = itee_zalloc((n ? n : 1) * sizeof(*s->kv));
    if (s->kv == NULL)
        return ITEE_ERR_NOMEM;
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)top, k, v)
    {
        struct genesis_kv *kv = &s->kv[s->n_kv];
        if (!json_is_string(v))
            return fail(p, ITEE_ERR_SPEC_FIELD, "genesis.raw.top", "values must be hex strings");
        if ((e = get_hex(p, k, strlen(k), "genesis.raw.top key", TRIE_KEY_MAX, &kv->key)) !=
            ITEE_OK)
            return e;
        s->n_kv++;
        e = get_hex(p, json_string_value(v), json_string_length(v), "genesis.raw.top value",
                    CHAIN_SPEC_VALUE_MAX, &kv->value);
        if (e != ITEE_OK)
            return e;
    }
    s->raw = true;
    return ITEE_OK;
}

static enum itee_err parse_genesis(struct parse *p, const json_t *g, struct chain_spec *s)
{
    static const char *const keys[] = {"runtimeGenesis", "raw", "runtime", NULL};
    static const char *const rg_keys[] = {"config", "patch", "code", NULL};
    if (!json_is_object(g))
        return fail(p, ITEE_ERR_SPEC_FIELD, "genesis", "missing or not an object");
    enum itee_err e = only_keys(p, g, "genesis", keys);
    if (e != ITEE_OK)
        return e;
    if (json_object_size(g) != 1)
        return fail(p, ITEE_ERR_SPEC_FIELD, "genesis",
                    "expected exactly one of runtimeGenesis, raw, runtime");
    const json_t *raw = json_object_get(g, "raw");
    if (raw != NULL) {
        if (!json_is_object(raw))
            return fail(p, ITEE_ERR_SPEC_FIELD, "genesis.raw", "expected an object");
        return parse_raw(p, raw, s);
    }
    /* legacy specs (Substrate before 1.5) put the config at genesis.runtime */
    const json_t *cfg = json_object_get(g, "runtime");
    const json_t *rg = json_object_get(g, "runtimeGenesis");
    if (rg != NULL) {
        if (!json_is_object(rg))
            return fail(p, ITEE_ERR_SPEC_FIELD, "genesis.runtimeGenesis", "expected an object");
        if ((e = only_keys(p, rg, "genesis.runtimeGenesis", rg_keys)) != ITEE_OK)
            return e;
        const json_t *code = json_object_get(rg, "code");
        if (code != NULL && !json_is_string(code))
            return fail(p, ITEE_ERR_SPEC_FIELD, "genesis.runtimeGenesis.code",
                        "expected a hex string");
        const json_t *patch = json_object_get(rg, "patch");
        cfg = json_object_get(rg, "config");
        if ((cfg == NULL) == (patch == NULL))
            return fail(p, ITEE_ERR_SPEC_FIELD, "genesis.runtimeGenesis",
                        "expected exactly one of config, patch");
        /* a patch applies to the runtime's default config, which is empty */
        if (cfg == NULL)
            cfg = patch;
    }
    if (!json_is_object(cfg))
        return fail(p, ITEE_ERR_SPEC_FIELD, "genesis config", "expected an object");
    return parse_config(p, cfg, &s->config);
}

static bool id_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-';
}

static enum itee_err parse_header(struct parse *p, const json_t *root, struct chain_spec *s)
{
    enum itee_err e = get_text(p, root, "name", s->name, CHAIN_SPEC_NAME_MAX, true);
    if (e == ITEE_OK)
        e = get_text(p, root, "id", s->id, CHAIN_SPEC_ID_MAX, true);
    for (size_t i = 0; e == ITEE_OK && s->id[i] != '\0'; i++)
        if (!id_char(s->id[i]))
            e = fail(p, ITEE_ERR_SPEC_VALUE, "id", "only letters, digits, '_' and '-'");
    if (e == ITEE_OK)
        e = get_text(p, root, "protocolId", s->protocol_id, CHAIN_SPEC_ID_MAX, false);
    if (e != ITEE_OK)
        return e;
    const json_t *ct = json_object_get(root, "chainType");
    const char *t = ct == NULL ? "Live" : json_string_value(ct);
    if (t == NULL ||
        (strcmp(t, "Development") != 0 && strcmp(t, "Local") != 0 && strcmp(t, "Live") != 0))
        return fail(p, ITEE_ERR_SPEC_VALUE, "chainType", "expected Development, Local or Live");
    memcpy(s->chain_type, t, strlen(t) + 1);
    const json_t *v = json_object_get(root, "bootNodes");
    if (v != NULL && !json_is_array(v))
        return fail(p, ITEE_ERR_SPEC_FIELD, "bootNodes", "expected an array");
    v = json_object_get(root, "telemetryEndpoints");
    if (v != NULL && !json_is_null(v) && !json_is_array(v))
        return fail(p, ITEE_ERR_SPEC_FIELD, "telemetryEndpoints", "expected null or an array");
    v = json_object_get(root, "properties");
    if (v != NULL && !json_is_null(v) && !json_is_object(v))
        return fail(p, ITEE_ERR_SPEC_FIELD, "properties", "expected null or an object");
    v = json_object_get(root, "codeSubstitutes");
    if (v != NULL && (!json_is_object(v) || json_object_size(v) != 0))
        return fail(p, ITEE_ERR_SPEC_VALUE, "codeSubstitutes",
                    "not supported (no wasm runtime): expected {}");
    return ITEE_OK;
}

/* Keeps a reason on one line whatever the input held (tokens, paths). */
static void one_line(char *why)
{
    for (size_t i = 0; why[i] != '\0'; i++)
        if ((unsigned char)why[i] < 0x20 || why[i] == 0x7f)
            why[i] = '?';
}

enum itee_err chain_spec_parse(struct chain_spec *s, const char *text, size_t len, char *why)
{
    struct parse p = {.why = why};
    json_error_t jerr;
    memset(s, 0, sizeof(*s));
    why[0] = '\0';
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        int k = snprintf(why, CHAIN_SPEC_WHY_LEN, "invalid JSON at line %d column %d: %.80s",
                         jerr.line, jerr.column, jerr.text);
        (void)k;
        one_line(why);
        return ITEE_ERR_SPEC_JSON;
    }
    enum itee_err e = json_is_object(root)
                          ? parse_header(&p, root, s)
                          : fail(&p, ITEE_ERR_SPEC_FIELD, "spec", "expected a JSON object");
    if (e == ITEE_OK)
        e = parse_genesis(&p, json_object_get(root, "genesis"), s);
    json_decref(root);
    if (e != ITEE_OK) {
        if (e == ITEE_ERR_NOMEM && why[0] == '\0') {
            int k = snprintf(why, CHAIN_SPEC_WHY_LEN, "out of memory");
            (void)k;
        }
        chain_spec_free(s);
        one_line(why);
    }
    return e;
}

enum itee_err chain_spec_load(struct chain_spec *s, const char *path, char *why)
{
    memset(s, 0, sizeof(*s));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        int k = snprintf(why, CHAIN_SPEC_WHY_LEN, "cannot open %.120s: %s", path, strerror(err));
        (void)k;
        one_line(why);
        return err == ENOENT ? ITEE_ERR_NOENT : ITEE_ERR_IO;
    }
    struct itee_buf b;
    itee_buf_init(&b, CHAIN_SPEC_FILE_MAX + 1);
    enum itee_err e = ITEE_OK;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        e = ITEE_ERR_IO;
    } else {
        for (;;) {
            if ((e = itee_buf_reserve(&b, 65536)) != ITEE_OK)
                break;
            ssize_t n = read(fd, b.ptr + b.len, 65536);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                e = n < 0 ? ITEE_ERR_IO : ITEE_OK;
                break;
            }
            b.len += (size_t)n;
            if (b.len > CHAIN_SPEC_FILE_MAX) {
                e = ITEE_ERR_SPACE;
                break;
            }
        }
    }
    close(fd);
    if (e == ITEE_ERR_SPACE || (e == ITEE_OK && b.len > CHAIN_SPEC_FILE_MAX)) {
        int k = snprintf(why, CHAIN_SPEC_WHY_LEN, "%.120s: larger than %zu bytes", path,
                         CHAIN_SPEC_FILE_MAX);
        (void)k;
        e = ITEE_ERR_SPEC_VALUE;
    } else if (e != ITEE_OK) {
        int k = snprintf(why, CHAIN_SPEC_WHY_LEN, "cannot read %.120s", path);
        (void)k;
        e = e == ITEE_ERR_NOMEM ? e : ITEE_ERR_IO;
    } else {
        e = chain_spec_parse(s, (const char *)b.ptr, b.len, why);
    }
    itee_buf_free(&b);
    one_line(why);
    return e;
}

/* ---- built-in specs and writing -------------------------------------------------------- */

static void set_text(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

enum itee_err chain_spec_builtin(struct chain_spec *s, enum genesis_chain chain)
{
    memset(s, 0, sizeof(*s));
    bool local = chain == GENESIS_LOCAL;
    set_text(s->name, sizeof(s->name), local ? "Local Testnet" : "Development");
    set_text(s->id, sizeof(s->id), local ? "local_testnet" : "dev");
    set_text(s->chain_type, sizeof(s->chain_type), local ? "Local" : "Development");
    set_text(s->protocol_id, sizeof(s->protocol_id), "teer");
    return genesis_config_default(&s->config, chain);
}

void chain_spec_source(const struct chain_spec *s, struct genesis_source *out)
{
    memset(out, 0, sizeof(*out));
    if (s->raw) {
        out->raw = s->kv;
        out->n_raw = s->n_kv;
    } else {
        out->config = &s->config;
    }
}

void chain_spec_free(struct chain_spec *s)
{
    for (size_t i = 0; i < s->n_kv; i++) {
        itee_free((void *)s->kv[i].key.ptr);
        itee_free((void *)s->kv[i].value.ptr);
    }
    itee_free(s->kv);
    genesis_config_free(&s->config);
    memset(s, 0, sizeof(*s));
}

static json_t *jhex(const uint8_t *p, size_t len)
{
    size_t cap = 2 * len + 3;
    char *t = itee_alloc(cap);
    if (t == NULL)
        return NULL;
    t[0] = '0';
    t[1] = 'x';
    json_t *j = itee_hex_encode(t + 2, cap - 2, p, len) == ITEE_OK ? json_string(t) : NULL;
    itee_free(t);
    return j;
}

static json_t *jaccount(const uint8_t who[32])
{
    char a[64];
    if (ss58_encode(a, sizeof(a), SS58_GENERIC, who, 32) != ITEE_OK)
        return NULL;
    return json_string(a);
}

static json_t *ju128(itee_u128 v)
{
    if (v <= (itee_u128)INT64_MAX)
        return json_integer((json_int_t)v);
    char tmp[48], out[48];
    size_t i = 0;
    do {
        tmp[i++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v != 0);
    for (size_t k = 0; k < i; k++)
        out[k] = tmp[i - 1 - k];
    out[i] = '\0';
    return json_string(out);
}

static json_t *config_json(const struct genesis_config *c)
{
    json_t *aura = json_array(), *gp = json_array(), *bal = json_array();
    for (size_t i = 0; i < c->n_aura; i++)
        json_array_append_new(aura, jaccount(c->aura[i]));
    for (size_t i = 0; i < c->n_grandpa; i++)
        json_array_append_new(
            gp, json_pack("[o,I]", jaccount(c->grandpa[i].id), (json_int_t)c->grandpa[i].weight));
    for (size_t i = 0; i < c->n_balances; i++)
        json_array_append_new(
            bal, json_pack("[o,o]", jaccount(c->balances[i].who), ju128(c->balances[i].amount)));
    return json_pack("{s:{},s:{s:o},s:{s:o},s:{s:o},s:{s:o},s:{s:b,s:b},s:{s:s}}", "system", "aura",
                     "authorities", aura, "grandpa", "authorities", gp, "balances", "balances", bal,
                     "sudo", "key", c->has_sudo ? jaccount(c->sudo) : json_null(), "teerex",
                     "allowSgxDebugMode", c->allow_sgx_debug_mode, "allowSkippingAttestation",
                     c->allow_skipping_attestation, "transactionPayment", "multiplier",
                     "1000000000000000000");
}

static bool raw_kv(void *ctx, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    json_t *top = ctx;
    json_t *key = jhex(k, kl);
    json_t *val = jhex(v, vl);
    bool ok =
        key != NULL && val != NULL && json_object_set_new(top, json_string_value(key), val) == 0;
    if (!ok && val != NULL && key == NULL)
        json_decref(val);
    json_decref(key);
    return ok;
}

/* Every storage entry of s's genesis as a "0x.." -> "0x.." object. */
static enum itee_err raw_top(const struct chain_spec *s, json_t **out)
{
    struct trie *t = NULL;
    struct rt_state *st = NULL;
    struct genesis_source src;
    json_t *top = json_object();
    chain_spec_source(s, &src);
    enum itee_err e = top == NULL ? ITEE_ERR_NOMEM : trie_new(&t, TRIE_LAYOUT_V0, NULL);
    if (e == ITEE_OK)
        e = rt_state_new(&st, t);
    if (e == ITEE_OK)
        e = genesis_build_source(st, &src);
    if (e == ITEE_OK)
        e = rt_state_commit(st);
    if (e == ITEE_OK)
        e = trie_iter(t, NULL, 0, NULL, 0, 0, true, raw_kv, top);
    rt_state_free(st);
    trie_free(t);
    if (e != ITEE_OK) {
        json_decref(top);
        top = NULL;
    }
    *out = top;
    return e;
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
    return itee_buf_append(data, buffer, size) == ITEE_OK ? 0 : -1;
}

enum itee_err chain_spec_write(const struct chain_spec *s, bool raw, struct itee_buf *out)
{
    json_t *genesis = NULL;
    if (s->raw && !raw)
        return ITEE_ERR_ARG;
    if (raw) {
        json_t *top = NULL;
        enum itee_err e = raw_top(s, &top);
        if (e != ITEE_OK)
            return e;
        genesis = json_pack("{s:{s:o,s:{}}}", "raw", "top", top, "childrenDefault");
    } else {
        genesis = json_pack("{s:{s:o}}", "runtimeGenesis", "config", config_json(&s->config));
    }
    json_t *spec = json_pack(
        "{s:s,s:s,s:s,s:[],s:n,s:o,s:{s:i,s:i,s:s},s:{},s:o}", "name", s->name, "id", s->id,
        "chainType", s->chain_type, "bootNodes", "telemetryEndpoints", "protocolId",
        s->protocol_id[0] ? json_string(s->protocol_id) : json_null(), "properties", "ss58Format",
        13, "tokenDecimals", 12, "tokenSymbol", "TEER", "codeSubstitutes", "genesis", genesis);
    if (spec == NULL)
        return ITEE_ERR_NOMEM;
    enum itee_err e = json_dump_callback(spec, dump_cb, out, JSON_INDENT(2)) == 0
                          ? itee_buf_push(out, '\n')
                          : ITEE_ERR_NOMEM;
    json_decref(spec);
    return e;
}
