/*
 * test_rt_metadata.c - the runtime's metadata (rt_metadata) and runtime APIs (rt_api): builds,
 * encodes V14/V15 and decodes them back; pallet names and indices; every storage default and
 * constant decodes exactly as its type; RuntimeVersion; state_call methods over the dev
 * genesis (nonce, metadata versions, query_info, validate_transaction).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chain/extrinsic.h"
#include "crypto/hash.h"
#include "keys/pair.h"
#include "node/runtime/rt_api.h"
#include "node/runtime/rt_metadata.h"
#include "rt_fixture.h"

/* Skips one value of type ty (a minimal type-driven SCALE walker over the registry). */
static enum itee_err walk(const struct metadata_builder *b, uint32_t ty, struct scale_reader *r,
                          int depth)
{
    const struct metadata_type *t = metadata_type_get(b, ty);
    if (t == NULL || depth > 64)
        return ITEE_ERR_ARG;
    enum itee_err e = ITEE_OK;
    switch (t->def) {
    case METADATA_DEF_COMPOSITE:
        for (size_t i = 0; i < t->n_fields && e == ITEE_OK; i++)
            e = walk(b, t->fields[i].ty, r, depth + 1);
        return e;
    case METADATA_DEF_VARIANT: {
        uint8_t idx;
        e = scale_read_u8(r, &idx);
        if (e != ITEE_OK)
            return e;
        for (size_t v = 0; v < t->n_variants; v++) {
            if (t->variants[v].index != idx)
                continue;
            for (size_t i = 0; i < t->variants[v].n_fields && e == ITEE_OK; i++)
                e = walk(b, t->variants[v].fields[i].ty, r, depth + 1);
            return e;
        }
        return ITEE_ERR_SCALE_VARIANT;
    }
    case METADATA_DEF_SEQUENCE: {
        size_t n;
        e = scale_read_len(r, &n, 0);
        for (size_t i = 0; i < n && e == ITEE_OK; i++)
            e = walk(b, t->elem, r, depth + 1);
        return e;
    }
    case METADATA_DEF_ARRAY:
        for (uint32_t i = 0; i < t->len && e == ITEE_OK; i++)
            e = walk(b, t->elem, r, depth + 1);
        return e;
    case METADATA_DEF_TUPLE:
        for (size_t i = 0; i < t->n_tuple && e == ITEE_OK; i++)
            e = walk(b, t->tuple[i], r, depth + 1);
        return e;
    case METADATA_DEF_PRIMITIVE: {
        static const size_t sz[] = {1, 4, 0, 1, 2, 4, 8, 16, 32, 1, 2, 4, 8, 16, 32};
        struct itee_slice s;
        if (t->prim == METADATA_PRIM_STR)
            return scale_read_str(r, &s);
        return scale_read_slice(r, sz[t->prim], &s);
    }
    case METADATA_DEF_COMPACT: {
        itee_u128 v;
        return scale_read_compact_u128(r, &v);
    }
    default:
        return ITEE_ERR_UNSUPPORTED;
    }
}

static void decodes_exactly(const struct metadata_builder *b, uint32_t ty, const uint8_t *p,
                            size_t len)
{
    struct scale_reader r;
    scale_reader_init(&r, p != NULL ? p : (const uint8_t *)"", len);
    assert_int_equal(walk(b, ty, &r, 0), ITEE_OK);
    assert_int_equal(scale_reader_finish(&r), ITEE_OK);
}

static struct metadata_builder *build(void)
{
    struct metadata_builder *b = NULL;
    assert_int_equal(rt_metadata_build(&b), ITEE_OK);
    assert_non_null(b);
    return b;
}

static void test_build_and_roundtrip(void **state)
{
    (void)state;
    struct metadata_builder *b = build();
    struct itee_buf v14, v15, again;
    itee_buf_init(&v14, 0);
    itee_buf_init(&v15, 0);
    itee_buf_init(&again, 0);
    assert_int_equal(rt_metadata_v14(b, &v14), ITEE_OK);
    assert_int_equal(metadata_encode_v15(b, &v15), ITEE_OK);
    assert_memory_equal(v14.ptr, "meta\x0e", 5);
    assert_memory_equal(v15.ptr, "meta\x0f", 5);

    struct metadata_builder *d = NULL;
    uint32_t ver = 0;
    assert_int_equal(metadata_decode(v14.ptr, v14.len, &d, &ver), ITEE_OK);
    assert_int_equal(ver, 14);
    assert_int_equal(metadata_encode_v14(d, &again), ITEE_OK);
    assert_int_equal(again.len, v14.len);
    assert_memory_equal(again.ptr, v14.ptr, v14.len);
    metadata_builder_free(d);
    d = NULL;
    itee_buf_reset(&again);
    assert_int_equal(metadata_decode(v15.ptr, v15.len, &d, &ver), ITEE_OK);
    assert_int_equal(ver, 15);
    assert_int_equal(metadata_encode_v15(d, &again), ITEE_OK);
    assert_int_equal(again.len, v15.len);
    assert_memory_equal(again.ptr, v15.ptr, v15.len);
    metadata_builder_free(d);

    /* versions and at_version */
    itee_buf_reset(&again);
    assert_int_equal(rt_metadata_versions(b, &again), ITEE_OK);
    static const uint8_t vers[] = {0x08, 0x0e, 0, 0, 0, 0x0f, 0, 0, 0};
    assert_int_equal(again.len, sizeof(vers));
    assert_memory_equal(again.ptr, vers, sizeof(vers));
    itee_buf_reset(&again);
    assert_int_equal(rt_metadata_at_version(b, 16, &again), ITEE_OK);
    assert_int_equal(again.len, 1);
    assert_int_equal(again.ptr[0], 0);
    itee_buf_reset(&again);
    assert_int_equal(rt_metadata_at_version(b, 14, &again), ITEE_OK);
    assert_int_equal(again.ptr[0], 1);
    assert_memory_equal(again.ptr + again.len - v14.len, v14.ptr, v14.len);

    itee_buf_free(&v14);
    itee_buf_free(&v15);
    itee_buf_free(&again);
    metadata_builder_free(b);
}

static void test_pallets(void **state)
{
    (void)state;
    struct metadata_builder *b = build();
    static const struct {
        const char *name;
        uint8_t index;
        bool calls, events, errors;
    } want[] = {{"System", 0, true, true, true},
                {"Timestamp", 3, true, false, false},
                {"Sudo", 5, true, true, true},
                {"Proxy", 7, true, true, true},
                {"Utility", 9, true, true, true},
                {"Balances", 10, true, true, true},
                {"TransactionPayment", 11, false, true, false},
                {"Aura", 23, false, false, false},
                {"Grandpa", 24, false, false, false},
                {"Teerex", 50, true, true, true},
                {"Teeracle", 52, true, true, true},
                {"Sidechain", 53, true, true, true},
                {"EnclaveBridge", 54, true, true, true}};
    assert_int_equal(metadata_pallet_count(b), METADATA_LEN(want));
    for (size_t i = 0; i < METADATA_LEN(want); i++) {
        const struct metadata_pallet *p = metadata_pallet_get(b, i);
        assert_non_null(p);
        assert_string_equal(p->name, want[i].name);
        assert_int_equal(p->index, want[i].index);
        assert_int_equal(p->calls != METADATA_TY_NONE, want[i].calls);
        assert_int_equal(p->events != METADATA_TY_NONE, want[i].events);
        assert_int_equal(p->errors != METADATA_TY_NONE, want[i].errors);
    }
    /* RuntimeCall variant indices are the pallet indices; transfer_keep_alive is call 3 */
    uint32_t rc = metadata_type_find(b, "integritee_node_runtime::RuntimeCall");
    const struct metadata_type *t = metadata_type_get(b, rc);
    assert_non_null(t);
    assert_int_equal(t->n_variants, 10);
    const struct metadata_pallet *bal = metadata_pallet_get(b, 5);
    const struct metadata_type *bc = metadata_type_get(b, bal->calls);
    bool found = false;
    for (size_t i = 0; i < bc->n_variants; i++)
        if (strcmp(bc->variants[i].name, "transfer_keep_alive") == 0) {
            found = true;
            assert_int_equal(bc->variants[i].index, 3);
        }
    assert_true(found);
    metadata_builder_free(b);
}

/* Every storage default and every constant decodes exactly as its type (via the V14 wire). */
static void test_defaults_and_constants_decode(void **state)
{
    (void)state;
    struct metadata_builder *b = build();
    struct itee_buf v14;
    itee_buf_init(&v14, 0);
    assert_int_equal(rt_metadata_v14(b, &v14), ITEE_OK);
    struct metadata_builder *d = NULL;
    uint32_t ver;
    assert_int_equal(metadata_decode(v14.ptr, v14.len, &d, &ver), ITEE_OK);
    size_t n_items = 0, n_consts = 0;
    for (size_t i = 0; i < metadata_pallet_count(d); i++) {
        const struct metadata_pallet *p = metadata_pallet_get(d, i);
        for (size_t s = 0; s < p->n_storage; s++) {
            const struct metadata_storage_entry *e = &p->storage[s];
            if (e->modifier == METADATA_OPTIONAL) {
                assert_int_equal(e->default_len, 1);
                assert_int_equal(e->default_value[0], 0);
            } else {
                decodes_exactly(d, e->value, e->default_value, e->default_len);
            }
            if (e->n_hashers > 0)
                assert_non_null(metadata_type_get(d, e->key));
            n_items++;
        }
        for (size_t c = 0; c < p->n_constants; c++) {
            decodes_exactly(d, p->constants[c].ty, p->constants[c].value,
                            p->constants[c].value_len);
            n_consts++;
        }
    }
    assert_int_equal(n_items, 51);
    assert_int_equal(n_consts, 27);
    /* System.Account default: AccountInfo of zeros (80 bytes) */
    const struct metadata_pallet *sys = metadata_pallet_get(d, 0);
    assert_string_equal(sys->storage[0].name, "Account");
    assert_int_equal(sys->storage[0].default_len, 80);
    /* NextFeeMultiplier defaults to FixedU128 1.0 */
    const struct metadata_pallet *tp = metadata_pallet_get(d, 6);
    assert_string_equal(tp->storage[0].name, "NextFeeMultiplier");
    static const uint8_t one[16] = {0x00, 0x00, 0x64, 0xa7, 0xb3, 0xb6, 0xe0, 0x0d};
    assert_memory_equal(tp->storage[0].default_value, one, 16);
    metadata_builder_free(d);
    itee_buf_free(&v14);
    metadata_builder_free(b);
}

static void test_runtime_version(void **state)
{
    (void)state;
    size_t n;
    const struct rt_api_decl *dl = rt_api_decls(&n);
    for (size_t i = 0; i < n; i++) {
        uint8_t id[8];
        assert_int_equal(
            hash_blake2b(id, 8, NULL, 0, (const uint8_t *)dl[i].name, strlen(dl[i].name)), ITEE_OK);
        assert_memory_equal(id, dl[i].id, 8);
    }
    struct itee_buf v;
    itee_buf_init(&v, 0);
    assert_int_equal(rt_runtime_version_encode(&v), ITEE_OK);
    struct scale_reader r;
    scale_reader_init(&r, v.ptr, v.len);
    struct itee_slice s;
    uint32_t u;
    uint8_t sv;
    assert_int_equal(scale_read_str(&r, &s), ITEE_OK);
    assert_int_equal(s.len, 15);
    assert_memory_equal(s.ptr, "integritee-solo", 15);
    assert_int_equal(scale_read_str(&r, &s), ITEE_OK);
    assert_int_equal(scale_read_u32(&r, &u), ITEE_OK);
    assert_int_equal(u, 1);
    assert_int_equal(scale_read_u32(&r, &u), ITEE_OK);
    assert_int_equal(u, 410);
    assert_int_equal(scale_read_u32(&r, &u), ITEE_OK);
    size_t na;
    assert_int_equal(scale_read_len(&r, &na, 12), ITEE_OK);
    assert_int_equal(na, n);
    assert_int_equal(scale_read_slice(&r, na * 12, &s), ITEE_OK);
    assert_int_equal(scale_read_u32(&r, &u), ITEE_OK);
    assert_int_equal(u, 8);
    assert_int_equal(scale_read_u8(&r, &sv), ITEE_OK);
    assert_int_equal(sv, 0);
    assert_int_equal(scale_reader_finish(&r), ITEE_OK);
    itee_buf_free(&v);

    json_t *j = rt_runtime_version_json();
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "specName")), "integritee-solo");
    assert_int_equal(json_integer_value(json_object_get(j, "specVersion")), 410);
    assert_int_equal(json_integer_value(json_object_get(j, "transactionVersion")), 8);
    json_t *apis = json_object_get(j, "apis");
    assert_int_equal(json_array_size(apis), n);
    assert_string_equal(json_string_value(json_array_get(json_array_get(apis, 1), 0)),
                        "0x37e397fc7c91f5e4");
    assert_int_equal(json_integer_value(json_array_get(json_array_get(apis, 1), 1)), 2);
    json_decref(j);
}

/* ---- state_call over the dev genesis ---- */

struct apifx {
    struct fx f;
    struct metadata_builder *md;
    struct extrinsic_chain chain;
    struct rt_api_env env;
    uint8_t best[32];
    struct keys_pair alice;
};

static int api_setup(void **state)
{
    struct apifx *a = test_calloc(1, sizeof(*a));
    fx_setup(&a->f);
    a->md = build();
    a->chain.spec_version = 410;
    a->chain.tx_version = 8;
    memset(a->chain.genesis_hash, 0x11, 32);
    a->chain.check_metadata_hash = true;
    memset(a->best, 0xaa, 32);
    a->env = (struct rt_api_env){
        .ctx = &a->f.ctx, .block_hash = a->best, .md = a->md, .chain = &a->chain};
    assert_int_equal(keys_pair_from_suri(&a->alice, KEYS_SCHEME_SR25519, "//Alice", 7), ITEE_OK);
    *state = a;
    return 0;
}

static int api_teardown(void **state)
{
    struct apifx *a = *state;
    keys_pair_clear(&a->alice);
    metadata_builder_free(a->md);
    fx_teardown(&a->f);
    test_free(a);
    return 0;
}

/* Signs transfer_keep_alive(Bob, amount) by Alice with nonce and era into x. */
static void signed_transfer(struct apifx *a, uint32_t nonce, itee_u128 amount, bool mortal,
                            struct itee_buf *x)
{
    struct itee_buf call;
    itee_buf_init(&call, 0);
    fx_transfer(&call, 3, a->f.acc[BOB], amount);
    struct extrinsic_params p = {.nonce = nonce};
    p.era = mortal ? extrinsic_era_mortal(64, 0) : extrinsic_era_immortal();
    const uint8_t *era_hash = mortal ? a->best : a->chain.genesis_hash;
    /* mortal at current 0 -> birth 0 = the best block (ctx number 1) */
    assert_int_equal(extrinsic_sign(x, &a->alice, &a->chain, itee_buf_slice(&call), &p, era_hash),
                     ITEE_OK);
    itee_buf_free(&call);
}

static void test_api_basic(void **state)
{
    struct apifx *a = *state;
    struct itee_buf out, want;
    itee_buf_init(&out, 0);
    itee_buf_init(&want, 0);
    assert_int_equal(rt_api_call(&a->env, "Core_version", NULL, 0, &out), ITEE_OK);
    assert_int_equal(rt_runtime_version_encode(&want), ITEE_OK);
    assert_int_equal(out.len, want.len);
    assert_memory_equal(out.ptr, want.ptr, want.len);
    itee_buf_reset(&out);
    assert_int_equal(rt_api_call(&a->env, "Metadata_metadata_versions", NULL, 0, &out), ITEE_OK);
    assert_int_equal(out.len, 9);
    itee_buf_reset(&out);
    static const uint8_t v14[] = {0x0e, 0, 0, 0};
    assert_int_equal(rt_api_call(&a->env, "Metadata_metadata_at_version", v14, 4, &out), ITEE_OK);
    assert_int_equal(out.ptr[0], 1);
    itee_buf_reset(&out);
    /* trailing bytes, unknown methods */
    assert_int_not_equal(rt_api_call(&a->env, "Core_version", v14, 1, &out), ITEE_OK);
    assert_int_equal(rt_api_call(&a->env, "BlockBuilder_apply_extrinsic", NULL, 0, &out),
                     ITEE_ERR_UNSUPPORTED);
    assert_int_equal(out.len, 0);
    /* account nonce */
    assert_int_equal(
        rt_api_call(&a->env, "AccountNonceApi_account_nonce", a->f.acc[ALICE], 32, &out), ITEE_OK);
    assert_int_equal(out.len, 4);
    assert_memory_equal(out.ptr, "\0\0\0\0", 4);
    itee_buf_reset(&out);
    /* aura / grandpa read the genesis authorities */
    assert_int_equal(rt_api_call(&a->env, "AuraApi_authorities", NULL, 0, &out), ITEE_OK);
    assert_int_equal(out.len, 33);
    assert_memory_equal(out.ptr + 1, a->f.acc[ALICE], 32);
    itee_buf_reset(&out);
    assert_int_equal(rt_api_call(&a->env, "GrandpaApi_grandpa_authorities", NULL, 0, &out),
                     ITEE_OK);
    assert_int_equal(out.len, 1 + 40);
    itee_buf_free(&out);
    itee_buf_free(&want);
}

static void test_api_query_info(void **state)
{
    struct apifx *a = *state;
    struct itee_buf x, params, out, want;
    itee_buf_init(&x, 0);
    itee_buf_init(&params, 0);
    itee_buf_init(&out, 0);
    itee_buf_init(&want, 0);
    signed_transfer(a, 0, 10 * TEER, false, &x);
    assert_int_equal(itee_buf_append(&params, x.ptr, x.len), ITEE_OK);
    assert_int_equal(scale_put_u32(&params, (uint32_t)x.len), ITEE_OK);
    assert_int_equal(
        rt_api_call(&a->env, "TransactionPaymentApi_query_info", params.ptr, params.len, &out),
        ITEE_OK);
    struct extrinsic dx;
    assert_int_equal(extrinsic_decode(&dx, &a->chain, x.ptr, x.len), ITEE_OK);
    struct rt_info info;
    assert_int_equal(rt_exec_call_info(&a->f.ctx, dx.call.ptr, dx.call.len, &info), ITEE_OK);
    assert_int_equal(pallet_transaction_payment_encode_query_info(&info, x.len, true, &want),
                     ITEE_OK);
    assert_int_equal(out.len, want.len);
    assert_memory_equal(out.ptr, want.ptr, want.len);
    itee_buf_reset(&out);
    itee_buf_reset(&want);
    assert_int_equal(rt_api_call(&a->env, "TransactionPaymentApi_query_fee_details", params.ptr,
                                 params.len, &out),
                     ITEE_OK);
    assert_int_equal(pallet_transaction_payment_encode_fee_details(&info, x.len, true, &want),
                     ITEE_OK);
    assert_int_equal(out.len, want.len);
    assert_memory_equal(out.ptr, want.ptr, want.len);
    itee_buf_free(&x);
    itee_buf_free(&params);
    itee_buf_free(&out);
    itee_buf_free(&want);
}

/* validate_transaction params: source External, the extrinsic, the block hash. */
static void validate(struct apifx *a, const struct itee_buf *x, struct itee_buf *out)
{
    struct itee_buf p;
    itee_buf_init(&p, 0);
    assert_int_equal(scale_put_u8(&p, 2), ITEE_OK);
    assert_int_equal(itee_buf_append(&p, x->ptr, x->len), ITEE_OK);
    assert_int_equal(itee_buf_append(&p, a->best, 32), ITEE_OK);
    itee_buf_reset(out);
    assert_int_equal(
        rt_api_call(&a->env, "TaggedTransactionQueue_validate_transaction", p.ptr, p.len, out),
        ITEE_OK);
    itee_buf_free(&p);
}

static void test_api_validate(void **state)
{
    struct apifx *a = *state;
    struct itee_buf x, out;
    itee_buf_init(&x, 0);
    itee_buf_init(&out, 0);

    /* valid, immortal: Ok, requires [], provides [(alice, 0)], longevity u64::MAX */
    signed_transfer(a, 0, 10 * TEER, false, &x);
    validate(a, &x, &out);
    assert_int_equal(out.len, 1 + 8 + 1 + 1 + 1 + 36 + 8 + 1);
    assert_int_equal(out.ptr[0], 0);
    assert_int_equal(out.ptr[9], 0);    /* requires: empty */
    assert_int_equal(out.ptr[10], 4);   /* provides: one */
    assert_int_equal(out.ptr[11], 144); /* Vec<u8> of 36 */
    assert_memory_equal(out.ptr + 12, a->f.acc[ALICE], 32);
    assert_memory_equal(out.ptr + 44, "\0\0\0\0", 4);
    assert_memory_equal(out.ptr + 48, "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
    assert_int_equal(out.ptr[56], 1);
    uint64_t prio = 0;
    for (int i = 0; i < 8; i++)
        prio |= (uint64_t)out.ptr[1 + i] << (8 * i);
    assert_true(prio > 0);

    /* mortal era born at the best block: longevity bounded */
    itee_buf_reset(&x);
    signed_transfer(a, 0, 10 * TEER, true, &x);
    validate(a, &x, &out);
    assert_int_equal(out.ptr[0], 0);
    assert_true(out.ptr[55] == 0); /* longevity < 2^56 */

    /* future nonce: requires (alice, 2) */
    itee_buf_reset(&x);
    signed_transfer(a, 3, 10 * TEER, false, &x);
    validate(a, &x, &out);
    assert_int_equal(out.ptr[0], 0);
    assert_int_equal(out.ptr[9], 4);
    assert_memory_equal(out.ptr + 11 + 32, "\x02\0\0\0", 4);

    /* bad signature: Err(Invalid(BadProof)) */
    itee_buf_reset(&x);
    signed_transfer(a, 0, 10 * TEER, false, &x);
    x.ptr[x.len - 1] ^= 1; /* the amount changes: the signature no longer matches */
    validate(a, &x, &out);
    assert_int_equal(out.len, 3);
    assert_memory_equal(out.ptr, "\x01\x00\x04", 3);

    /* cannot pay: Err(Invalid(Payment)) */
    itee_buf_reset(&x);
    signed_transfer(a, 0, 10 * TEER, false, &x);
    struct pallet_system_account acc = fx_account(&a->f, a->f.acc[ALICE]);
    acc.free = 1000;
    assert_int_equal(pallet_system_account_put(&a->f.ctx, a->f.acc[ALICE], &acc), ITEE_OK);
    validate(a, &x, &out);
    assert_memory_equal(out.ptr, "\x01\x00\x01", 3);

    /* stale nonce */
    acc.free = 1000 * TEER;
    acc.nonce = 5;
    assert_int_equal(pallet_system_account_put(&a->f.ctx, a->f.acc[ALICE], &acc), ITEE_OK);
    validate(a, &x, &out);
    assert_memory_equal(out.ptr, "\x01\x00\x03", 3);
    /* the state is left untouched by validation */
    assert_int_equal(fx_account(&a->f, a->f.acc[ALICE]).nonce, 5);

    /* unsigned timestamp inherent: MandatoryValidation; unsigned transfer: NoUnsignedValidator */
    struct itee_buf call;
    itee_buf_init(&call, 0);
    fx_call_begin(&call, RT_PALLET_TIMESTAMP, 0);
    fx_put_compact(&call, 1000);
    itee_buf_reset(&x);
    assert_int_equal(extrinsic_encode_unsigned(&x, itee_buf_slice(&call)), ITEE_OK);
    validate(a, &x, &out);
    assert_memory_equal(out.ptr, "\x01\x00\x09", 3);
    itee_buf_reset(&call);
    fx_transfer(&call, 3, a->f.acc[BOB], TEER);
    itee_buf_reset(&x);
    assert_int_equal(extrinsic_encode_unsigned(&x, itee_buf_slice(&call)), ITEE_OK);
    validate(a, &x, &out);
    assert_memory_equal(out.ptr, "\x01\x01\x01", 3);
    itee_buf_free(&call);
    itee_buf_free(&x);
    itee_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_and_roundtrip),
        cmocka_unit_test(test_pallets),
        cmocka_unit_test(test_defaults_and_constants_decode),
        cmocka_unit_test(test_runtime_version),
        cmocka_unit_test_setup_teardown(test_api_basic, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(test_api_query_info, api_setup, api_teardown),
        cmocka_unit_test_setup_teardown(test_api_validate, api_setup, api_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
