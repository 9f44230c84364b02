/*
 * rt_metadata.c - describes the runtime of src/node/runtime to clients (see rt_metadata.h).
 *
 * Each pallet is one static function that registers its types and adds itself; they run in
 * pallet-index order because pallets are encoded in the order added. RuntimeCall and
 * RuntimeEvent are reserved first (Utility/Sudo/Proxy take nested calls, System.Events holds
 * RuntimeEvent) and defined at the end from the rows the pallets collected.
 *
 * Types follow polkadot-sdk stable2503 (integritee-node v1.18.8) in shape and path where a
 * client looks at the path (substrate-compat 8.5); BoundedVec / WeakBoundedVec are described
 * as plain Vec (same encoding, and polkadot-js maps them to Vec anyway).
 */
#include "node/runtime/rt_metadata.h"

#include <stdio.h>
#include <string.h>

#include "codec/scale.h"
#include "node/runtime/pallet_balances.h"
#include "node/runtime/pallet_proxy.h"
#include "node/runtime/pallet_teeracle.h"
#include "node/runtime/pallet_teerex.h"
#include "node/runtime/pallet_timestamp.h"
#include "node/runtime/pallet_transaction_payment.h"
#include "node/runtime/pallet_utility.h"
#include "node/runtime/rt_api.h"
#include "node/runtime/rt_exec.h"

#define MAX_ROWS 32

/* Shared type ids and the outer-enum rows collected while pallets describe themselves. */
struct rtm {
    struct metadata_builder *b;
    uint32_t u8t, u16t, u32t, u64t, u128t, boolt, strt, bytes, unit;
    uint32_t cu32, cu64, cu128, acc, h256, addr, weight, dinfo, derr, dresult, opt_acc;
    uint32_t call, vec_call, event; /* reserved RuntimeCall, Vec<RuntimeCall>, RuntimeEvent */
    struct metadata_outer_entry calls[MAX_ROWS], events[MAX_ROWS], errors[MAX_ROWS];
    size_t n_calls, n_events, n_errors;
    enum itee_err err; /* errors outside the builder (encoding constants) */
};

static void rows_add(struct rtm *m, const char *pallet, uint8_t index, uint32_t call,
                     uint32_t event, uint32_t error)
{
    if (m->n_calls >= MAX_ROWS) {
        m->err = ITEE_ERR_INTERNAL;
        return;
    }
    if (call != METADATA_TY_NONE)
        m->calls[m->n_calls++] = (struct metadata_outer_entry){pallet, index, call};
    if (event != METADATA_TY_NONE)
        m->events[m->n_events++] = (struct metadata_outer_entry){pallet, index, event};
    if (error != METADATA_TY_NONE)
        m->errors[m->n_errors++] = (struct metadata_outer_entry){pallet, index, error};
}

/* Little-endian encoding of v in n bytes (constants). */
static void le(uint8_t *out, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(v >> (8 * i));
}

static void le128(uint8_t out[16], itee_u128 v)
{
    for (size_t i = 0; i < 16; i++)
        out[i] = (uint8_t)(v >> (8 * i));
}

/* A field shorthand. */
#define F(n, t, tn)                                                                                \
    {                                                                                              \
        .name = (n), .ty = (t), .type_name = (tn)                                                  \
    }

/* ---- System (0) ---- */

static void weight_put(uint8_t **p, uint64_t ref, uint64_t proof)
{
    uint8_t tmp[SCALE_COMPACT_MAX_LEN];
    size_t n = scale_encode_compact(tmp, ref);
    memcpy(*p, tmp, n);
    *p += n;
    n = scale_encode_compact(tmp, proof);
    memcpy(*p, tmp, n);
    *p += n;
}

static void pallet_system(struct rtm *m)
{
    struct metadata_builder *b = m->b;
    /* AccountInfo<u32, AccountData<u128>> (spec 2.5) */
    struct metadata_field flags_f[] = {F(NULL, m->u128t, "u128")};
    uint32_t flags =
        metadata_type_composite(b, "pallet_balances::types::ExtraFlags", NULL, 0, flags_f, 1);
    struct metadata_param ad_p[] = {{"Balance", m->u128t}};
    struct metadata_field ad_f[] = {
        F("free", m->u128t, "Balance"), F("reserved", m->u128t, "Balance"),
        F("frozen", m->u128t, "Balance"), F("flags", flags, "ExtraFlags")};
    uint32_t account_data =
        metadata_type_composite(b, "pallet_balances::types::AccountData", ad_p, 1, ad_f, 4);
    struct metadata_param ai_p[] = {{"Nonce", m->u32t}, {"AccountData", account_data}};
    struct metadata_field ai_f[] = {
        F("nonce", m->u32t, "Nonce"), F("consumers", m->u32t, "RefCount"),
        F("providers", m->u32t, "RefCount"), F("sufficients", m->u32t, "RefCount"),
        F("data", account_data, "AccountData")};
    uint32_t account_info =
        metadata_type_composite(b, "frame_system::AccountInfo", ai_p, 2, ai_f, 5);

    /* per-class weights and lengths */
    struct metadata_param pdc_w[] = {{"T", m->weight}};
    struct metadata_field pdc_wf[] = {F("normal", m->weight, "T"), F("operational", m->weight, "T"),
                                      F("mandatory", m->weight, "T")};
    uint32_t per_class_weight = metadata_type_composite(
        b, "frame_support::dispatch::PerDispatchClass", pdc_w, 1, pdc_wf, 3);
    uint32_t opt_weight = metadata_type_option(b, m->weight);
    struct metadata_field wpc_f[] = {
        F("base_extrinsic", m->weight, "Weight"), F("max_extrinsic", opt_weight, "Option<Weight>"),
        F("max_total", opt_weight, "Option<Weight>"), F("reserved", opt_weight, "Option<Weight>")};
    uint32_t wpc =
        metadata_type_composite(b, "frame_system::limits::WeightsPerClass", NULL, 0, wpc_f, 4);
    struct metadata_param pdc_c[] = {{"T", wpc}};
    struct metadata_field pdc_cf[] = {F("normal", wpc, "T"), F("operational", wpc, "T"),
                                      F("mandatory", wpc, "T")};
    uint32_t per_class_wpc = metadata_type_composite(b, "frame_support::dispatch::PerDispatchClass",
                                                     pdc_c, 1, pdc_cf, 3);
    struct metadata_field bw_f[] = {
        F("base_block", m->weight, "Weight"), F("max_block", m->weight, "Weight"),
        F("per_class", per_class_wpc, "PerDispatchClass<WeightsPerClass>")};
    uint32_t block_weights =
        metadata_type_composite(b, "frame_system::limits::BlockWeights", NULL, 0, bw_f, 3);
    struct metadata_param pdc_u[] = {{"T", m->u32t}};
    struct metadata_field pdc_uf[] = {F("normal", m->u32t, "T"), F("operational", m->u32t, "T"),
                                      F("mandatory", m->u32t, "T")};
    uint32_t per_class_u32 = metadata_type_composite(b, "frame_support::dispatch::PerDispatchClass",
                                                     pdc_u, 1, pdc_uf, 3);
    struct metadata_field bl_f[] = {F("max", per_class_u32, "PerDispatchClass<u32>")};
    uint32_t block_length =
        metadata_type_composite(b, "frame_system::limits::BlockLength", NULL, 0, bl_f, 1);
    struct metadata_field db_f[] = {F("read", m->u64t, "u64"), F("write", m->u64t, "u64")};
    uint32_t db_weight =
        metadata_type_composite(b, "sp_weights::RuntimeDbWeight", NULL, 0, db_f, 2);

    /* RuntimeVersion (the Version constant) */
    uint32_t a8 = metadata_type_array(b, 8, m->u8t);
    uint32_t api_pair_el[] = {a8, m->u32t};
    uint32_t api_pair = metadata_type_tuple(b, api_pair_el, 2);
    uint32_t apis_vec = metadata_type_vec(b, api_pair);
    struct metadata_field rv_f[] = {F("spec_name", m->strt, "Cow<'static, str>"),
                                    F("impl_name", m->strt, "Cow<'static, str>"),
                                    F("authoring_version", m->u32t, "u32"),
                                    F("spec_version", m->u32t, "u32"),
                                    F("impl_version", m->u32t, "u32"),
                                    F("apis", apis_vec, "ApisVec"),
                                    F("transaction_version", m->u32t, "u32"),
                                    F("system_version", m->u8t, "u8")};
    uint32_t runtime_version =
        metadata_type_composite(b, "sp_version::RuntimeVersion", NULL, 0, rv_f, 8);

    /* Digest */
    uint32_t a4 = metadata_type_array(b, 4, m->u8t);
    struct metadata_field pre_f[] = {F(NULL, a4, "ConsensusEngineId"),
                                     F(NULL, m->bytes, "Vec<u8>")};
    struct metadata_field other_f[] = {F(NULL, m->bytes, "Vec<u8>")};
    struct metadata_variant di_v[] = {
        {.name = "Other", .index = 0, .fields = other_f, .n_fields = 1},
        {.name = "Consensus", .index = 4, .fields = pre_f, .n_fields = 2},
        {.name = "Seal", .index = 5, .fields = pre_f, .n_fields = 2},
        {.name = "PreRuntime", .index = 6, .fields = pre_f, .n_fields = 2},
        {.name = "RuntimeEnvironmentUpdated", .index = 8}};
    uint32_t digest_item =
        metadata_type_variant(b, "sp_runtime::generic::digest::DigestItem", NULL, 0, di_v, 5);
    struct metadata_field dg_f[] = {
        F("logs", metadata_type_vec(b, digest_item), "Vec<DigestItem>")};
    uint32_t digest =
        metadata_type_composite(b, "sp_runtime::generic::digest::Digest", NULL, 0, dg_f, 1);

    /* events and their records */
    uint32_t phase = metadata_type_phase(b);
    uint32_t topics = metadata_type_vec(b, m->h256);
    struct metadata_param er_p[] = {{"E", m->event}, {"T", m->h256}};
    struct metadata_field er_f[] = {F("phase", phase, "Phase"), F("event", m->event, "E"),
                                    F("topics", topics, "Vec<T>")};
    uint32_t record = metadata_type_composite(b, "frame_system::EventRecord", er_p, 2, er_f, 3);
    uint32_t records = metadata_type_vec(b, record);
    uint32_t u32pair_el[] = {m->u32t, m->u32t};
    uint32_t u32pair = metadata_type_tuple(b, u32pair_el, 2);
    struct metadata_field lru_f[] = {F("spec_version", m->cu32, "codec::Compact<u32>"),
                                     F("spec_name", m->strt, "Cow<'static, str>")};
    uint32_t lru =
        metadata_type_composite(b, "frame_system::LastRuntimeUpgradeInfo", NULL, 0, lru_f, 2);
    struct metadata_field cua_f[] = {F("code_hash", m->h256, "T::Hash"),
                                     F("check_version", m->boolt, "bool")};
    struct metadata_param cua_p[] = {{"T", METADATA_TY_NONE}};
    uint32_t cua =
        metadata_type_composite(b, "frame_system::CodeUpgradeAuthorization", cua_p, 1, cua_f, 2);

    /* calls */
    uint32_t kv_el[] = {m->bytes, m->bytes};
    uint32_t kv = metadata_type_tuple(b, kv_el, 2);
    struct metadata_field remark_f[] = {F("remark", m->bytes, "Vec<u8>")};
    struct metadata_field pages_f[] = {F("pages", m->u64t, "u64")};
    struct metadata_field code_f[] = {F("code", m->bytes, "Vec<u8>")};
    struct metadata_field items_f[] = {F("items", metadata_type_vec(b, kv), "Vec<KeyValue>")};
    struct metadata_field keys_f[] = {F("keys", metadata_type_vec(b, m->bytes), "Vec<Key>")};
    struct metadata_field prefix_f[] = {F("prefix", m->bytes, "Key"), F("subkeys", m->u32t, "u32")};
    struct metadata_field hash_f[] = {F("code_hash", m->h256, "T::Hash")};
    struct metadata_variant calls[] = {
        {.name = "remark", .index = 0, .fields = remark_f, .n_fields = 1},
        {.name = "set_heap_pages", .index = 1, .fields = pages_f, .n_fields = 1},
        {.name = "set_code", .index = 2, .fields = code_f, .n_fields = 1},
        {.name = "set_code_without_checks", .index = 3, .fields = code_f, .n_fields = 1},
        {.name = "set_storage", .index = 4, .fields = items_f, .n_fields = 1},
        {.name = "kill_storage", .index = 5, .fields = keys_f, .n_fields = 1},
        {.name = "kill_prefix", .index = 6, .fields = prefix_f, .n_fields = 2},
        {.name = "remark_with_event", .index = 7, .fields = remark_f, .n_fields = 1},
        {.name = "authorize_upgrade", .index = 9, .fields = hash_f, .n_fields = 1},
        {.name = "authorize_upgrade_without_checks", .index = 10, .fields = hash_f, .n_fields = 1},
        {.name = "apply_authorized_upgrade", .index = 11, .fields = code_f, .n_fields = 1}};
    uint32_t call =
        metadata_type_pallet_enum(b, "frame_system::pallet::Call", "T", calls, METADATA_LEN(calls));

    struct metadata_field ok_f[] = {F("dispatch_info", m->dinfo, "DispatchEventInfo")};
    struct metadata_field fail_f[] = {F("dispatch_error", m->derr, "DispatchError"),
                                      F("dispatch_info", m->dinfo, "DispatchEventInfo")};
    struct metadata_field acc_f[] = {F("account", m->acc, "T::AccountId")};
    struct metadata_field remarked_f[] = {F("sender", m->acc, "T::AccountId"),
                                          F("hash", m->h256, "T::Hash")};
    struct metadata_variant evs[] = {
        {.name = "ExtrinsicSuccess", .index = 0, .fields = ok_f, .n_fields = 1},
        {.name = "ExtrinsicFailed", .index = 1, .fields = fail_f, .n_fields = 2},
        {.name = "CodeUpdated", .index = 2},
        {.name = "NewAccount", .index = 3, .fields = acc_f, .n_fields = 1},
        {.name = "KilledAccount", .index = 4, .fields = acc_f, .n_fields = 1},
        {.name = "Remarked", .index = 5, .fields = remarked_f, .n_fields = 2}};
    uint32_t event =
        metadata_type_pallet_enum(b, "frame_system::pallet::Event", "T", evs, METADATA_LEN(evs));
    static const char *const errs[] = {"InvalidSpecName",
                                       "SpecVersionNeedsToIncrease",
                                       "FailedToExtractRuntimeVersion",
                                       "NonDefaultComposite",
                                       "NonZeroRefCount",
                                       "CallFiltered",
                                       "MultiBlockMigrationsOngoing",
                                       "NothingAuthorized",
                                       "Unauthorized"};
    uint32_t error =
        metadata_type_unit_enum(b, "frame_system::pallet::Error", "T", errs, METADATA_LEN(errs));

    uint8_t b2c = METADATA_BLAKE2_128_CONCAT, t64 = METADATA_TWOX64_CONCAT;
    struct metadata_storage_entry st[] = {
        {.name = "Account",
         .modifier = METADATA_DEFAULT,
         .hashers = &b2c,
         .n_hashers = 1,
         .key = m->acc,
         .value = account_info,
         .docs = " The full account information for a particular account ID."},
        {.name = "ExtrinsicCount", .modifier = METADATA_OPTIONAL, .value = m->u32t},
        {.name = "InherentsApplied", .modifier = METADATA_DEFAULT, .value = m->boolt},
        {.name = "BlockWeight", .modifier = METADATA_DEFAULT, .value = per_class_weight},
        {.name = "AllExtrinsicsLen", .modifier = METADATA_OPTIONAL, .value = m->u32t},
        {.name = "BlockHash",
         .modifier = METADATA_DEFAULT,
         .hashers = &t64,
         .n_hashers = 1,
         .key = m->u32t,
         .value = m->h256},
        {.name = "ExtrinsicData",
         .modifier = METADATA_DEFAULT,
         .hashers = &t64,
         .n_hashers = 1,
         .key = m->u32t,
         .value = m->bytes},
        {.name = "Number", .modifier = METADATA_DEFAULT, .value = m->u32t},
        {.name = "ParentHash", .modifier = METADATA_DEFAULT, .value = m->h256},
        {.name = "Digest", .modifier = METADATA_DEFAULT, .value = digest},
        {.name = "Events", .modifier = METADATA_DEFAULT, .value = records},
        {.name = "EventCount", .modifier = METADATA_DEFAULT, .value = m->u32t},
        {.name = "EventTopics",
         .modifier = METADATA_DEFAULT,
         .hashers = &b2c,
         .n_hashers = 1,
         .key = m->h256,
         .value = metadata_type_vec(b, u32pair)},
        {.name = "LastRuntimeUpgrade", .modifier = METADATA_OPTIONAL, .value = lru},
        {.name = "UpgradedToU32RefCount", .modifier = METADATA_DEFAULT, .value = m->boolt},
        {.name = "UpgradedToTripleRefCount", .modifier = METADATA_DEFAULT, .value = m->boolt},
        {.name = "ExecutionPhase", .modifier = METADATA_OPTIONAL, .value = phase},
        {.name = "AuthorizedUpgrade", .modifier = METADATA_OPTIONAL, .value = cua}};

    /*
     * BlockWeights of with_sensible_defaults(2 s ref-time x u64::MAX proof, 75 % normal):
     * base_block = BlockExecutionWeight 5 ms, base_extrinsic 125 µs, avg_block_initialization
     * 10 %; max_extrinsic = max_total - 10 % of max_block - base_extrinsic (Perbill rounding).
     */
    const uint64_t max_ref = 2000000000000ULL, max_proof = UINT64_MAX;
    const uint64_t init_ref = 200000000000ULL, init_proof = 1844674407370955161ULL;
    const uint64_t norm_ref = 1500000000000ULL, norm_proof = 13835058055282163711ULL;
    const uint64_t base_ext = RT_EXEC_EXTRINSIC_BASE_WEIGHT;
    uint8_t bw[256], *p = bw;
    weight_put(&p, 5000000000ULL, 0);
    weight_put(&p, max_ref, max_proof);
    /* normal */
    weight_put(&p, base_ext, 0);
    *p++ = 1;
    weight_put(&p, norm_ref - init_ref - base_ext, norm_proof - init_proof);
    *p++ = 1;
    weight_put(&p, norm_ref, norm_proof);
    *p++ = 1; /* reserved Some(0): the builder's start value for non-mandatory classes */
    weight_put(&p, 0, 0);
    /* operational */
    weight_put(&p, base_ext, 0);
    *p++ = 1;
    weight_put(&p, max_ref - init_ref - base_ext, max_proof - init_proof);
    *p++ = 1;
    weight_put(&p, max_ref, max_proof);
    *p++ = 1;
    weight_put(&p, max_ref - norm_ref, max_proof - norm_proof);
    /* mandatory */
    weight_put(&p, base_ext, 0);
    *p++ = 0;
    *p++ = 0;
    *p++ = 0;
    size_t bw_len = (size_t)(p - bw);
    /* BlockLength max_with_normal_ratio(5 MiB, 75 %) */
    uint8_t bl[12];
    le(bl, 3932160, 4);
    le(bl + 4, 5242880, 4);
    le(bl + 8, 5242880, 4);
    uint8_t bhc[4], dbw[16], ss58[2];
    le(bhc, RT_EXEC_BLOCK_HASH_COUNT, 4);
    le(dbw, 25000000, 8);      /* RocksDbWeight read: 25 µs */
    le(dbw + 8, 100000000, 8); /* write: 100 µs */
    le(ss58, 13, 2);
    struct itee_buf ver;
    itee_buf_init(&ver, 0);
    enum itee_err e = rt_runtime_version_encode(&ver);
    if (e != ITEE_OK && m->err == ITEE_OK)
        m->err = e;
    struct metadata_constant cs[] = {
        {.name = "BlockWeights", .ty = block_weights, .value = bw, .value_len = bw_len},
        {.name = "BlockLength", .ty = block_length, .value = bl, .value_len = sizeof(bl)},
        {.name = "BlockHashCount", .ty = m->u32t, .value = bhc, .value_len = 4},
        {.name = "DbWeight", .ty = db_weight, .value = dbw, .value_len = 16},
        {.name = "Version", .ty = runtime_version, .value = ver.ptr, .value_len = ver.len},
        {.name = "SS58Prefix", .ty = m->u16t, .value = ss58, .value_len = 2}};
    if (e == ITEE_OK)
        metadata_pallet_add(b, &(struct metadata_pallet){.name = "System",
                                                         .index = RT_PALLET_SYSTEM,
                                                         .storage_prefix = "System",
                                                         .storage = st,
                                                         .n_storage = METADATA_LEN(st),
                                                         .calls = call,
                                                         .events = event,
                                                         .errors = error,
                                                         .constants = cs,
                                                         .n_constants = METADATA_LEN(cs)});
    itee_buf_free(&ver);
    rows_add(m, "System", RT_PALLET_SYSTEM, call, event, error);
}

/* ---- Timestamp (3) ---- */

static void pallet_timestamp(struct rtm *m)
{
    struct metadata_builder *b = m->b;
    struct metadata_field set_f[] = {F("now", m->cu64, "T::Moment")};
    struct metadata_variant calls[] = {{.name = "set", .index = 0, .fields = set_f, .n_fields = 1}};
    uint32_t call = metadata_type_pallet_enum(b, "pallet_timestamp::pallet::Call", "T", calls, 1);
    struct metadata_storage_entry st[] = {
        {.name = "Now", .modifier = METADATA_DEFAULT, .value = m->u64t},
        {.name = "DidUpdate", .modifier = METADATA_DEFAULT, .value = m->boolt}};
    uint8_t mp[8];
    le(mp, PALLET_TIMESTAMP_MINIMUM_PERIOD, 8);
    struct metadata_constant cs[] = {
        {.name = "MinimumPeriod", .ty = m->u64t, .value = mp, .value_len = 8}};
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "Timestamp",
                                                     .index = RT_PALLET_TIMESTAMP,
                                                     .storage_prefix = "Timestamp",
                                                     .storage = st,
                                                     .n_storage = 2,
                                                     .calls = call,
                                                     .events = METADATA_TY_NONE,
                                                     .errors = METADATA_TY_NONE,
                                                     .constants = cs,
                                                     .n_constants = 1});
    rows_add(m, "Timestamp", RT_PALLET_TIMESTAMP, call, METADATA_TY_NONE, METADATA_TY_NONE);
}

/* ---- Sudo (5) ---- */

static void pallet_sudo(struct rtm *m)
{
    struct metadata_builder *b = m->b;
    struct metadata_field sudo_f[] = {F("call", m->call, "Box<<T as Config>::RuntimeCall>")};
    struct metadata_field suw_f[] = {F("call", m->call, "Box<<T as Config>::RuntimeCall>"),
                                     F("weight", m->weight, "Weight")};
    struct metadata_field key_f[] = {F("new", m->addr, "AccountIdLookupOf<T>")};
    struct metadata_field as_f[] = {F("who", m->addr, "AccountIdLookupOf<T>"),
                                    F("call", m->call, "Box<<T as Config>::RuntimeCall>")};
    struct metadata_variant calls[] = {
        {.name = "sudo", .index = 0, .fields = sudo_f, .n_fields = 1},
        {.name = "sudo_unchecked_weight", .index = 1, .fields = suw_f, .n_fields = 2},
        {.name = "set_key", .index = 2, .fields = key_f, .n_fields = 1},
        {.name = "sudo_as", .index = 3, .fields = as_f, .n_fields = 2},
        {.name = "remove_key", .index = 4}};
    uint32_t call =
        metadata_type_pallet_enum(b, "pallet_sudo::pallet::Call", "T", calls, METADATA_LEN(calls));
    struct metadata_field res_f[] = {F("sudo_result", m->dresult, "DispatchResult")};
    struct metadata_field kc_f[] = {F("old", m->opt_acc, "Option<T::AccountId>"),
                                    F("new", m->acc, "T::AccountId")};
    struct metadata_variant evs[] = {
        {.name = "Sudid", .index = 0, .fields = res_f, .n_fields = 1},
        {.name = "KeyChanged", .index = 1, .fields = kc_f, .n_fields = 2},
        {.name = "KeyRemoved", .index = 2},
        {.name = "SudoAsDone", .index = 3, .fields = res_f, .n_fields = 1}};
    uint32_t event =
        metadata_type_pallet_enum(b, "pallet_sudo::pallet::Event", "T", evs, METADATA_LEN(evs));
    static const char *const errs[] = {"RequireSudo"};
    uint32_t error = metadata_type_unit_enum(b, "pallet_sudo::pallet::Error", "T", errs, 1);
    struct metadata_storage_entry st[] = {
        {.name = "Key", .modifier = METADATA_OPTIONAL, .value = m->acc}};
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "Sudo",
                                                     .index = RT_PALLET_SUDO,
                                                     .storage_prefix = "Sudo",
                                                     .storage = st,
                                                     .n_storage = 1,
                                                     .calls = call,
                                                     .events = event,
                                                     .errors = error});
    rows_add(m, "Sudo", RT_PALLET_SUDO, call, event, error);
}

/* ---- Proxy (7) ---- */

static void pallet_proxy(struct rtm *m)
{
    struct metadata_builder *b = m->b;
    static const char *const types[] = {"Any", "NonTransfer", "Governance", "CancelProxy"};
    uint32_t ptype =
        metadata_type_unit_enum(b, RT_METADATA_RUNTIME_CRATE "::ProxyType", NULL, types, 4);
    uint32_t opt_ptype = metadata_type_option(b, ptype);
    struct metadata_field proxy_f[] = {F("real", m->addr, "AccountIdLookupOf<T>"),
                                       F("force_proxy_type", opt_ptype, "Option<T::ProxyType>"),
                                       F("call", m->call, "Box<<T as Config>::RuntimeCall>")};
    struct metadata_field add_f[] = {F("delegate", m->addr, "AccountIdLookupOf<T>"),
                                     F("proxy_type", ptype, "T::ProxyType"),
                                     F("delay", m->u32t, "BlockNumberFor<T>")};
    struct metadata_field cpure_f[] = {F("proxy_type", ptype, "T::ProxyType"),
                                       F("delay", m->u32t, "BlockNumberFor<T>"),
                                       F("index", m->u16t, "u16")};
    struct metadata_field kpure_f[] = {
        F("spawner", m->addr, "AccountIdLookupOf<T>"), F("proxy_type", ptype, "T::ProxyType"),
        F("index", m->u16t, "u16"), F("height", m->cu32, "BlockNumberFor<T>"),
        F("ext_index", m->cu32, "u32")};
    struct metadata_field annc_f[] = {F("real", m->addr, "AccountIdLookupOf<T>"),
                                      F("call_hash", m->h256, "CallHashOf<T>")};
    struct metadata_field rej_f[] = {F("delegate", m->addr, "AccountIdLookupOf<T>"),
                                     F("call_hash", m->h256, "CallHashOf<T>")};
    struct metadata_field pann_f[] = {F("delegate", m->addr, "AccountIdLookupOf<T>"),
                                      F("real", m->addr, "AccountIdLookupOf<T>"),
                                      F("force_proxy_type", opt_ptype, "Option<T::ProxyType>"),
                                      F("call", m->call, "Box<<T as Config>::RuntimeCall>")};
    struct metadata_variant calls[] = {
        {.name = "proxy", .index = 0, .fields = proxy_f, .n_fields = 3},
        {.name = "add_proxy", .index = 1, .fields = add_f, .n_fields = 3},
        {.name = "remove_proxy", .index = 2, .fields = add_f, .n_fields = 3},
        {.name = "remove_proxies", .index = 3},
        {.name = "create_pure", .index = 4, .fields = cpure_f, .n_fields = 3},
        {.name = "kill_pure", .index = 5, .fields = kpure_f, .n_fields = 5},
        {.name = "announce", .index = 6, .fields = annc_f, .n_fields = 2},
        {.name = "remove_announcement", .index = 7, .fields = annc_f, .n_fields = 2},
        {.name = "reject_announcement", .index = 8, .fields = rej_f, .n_fields = 2},
        {.name = "proxy_announced", .index = 9, .fields = pann_f, .n_fields = 4}};
    uint32_t call =
        metadata_type_pallet_enum(b, "pallet_proxy::pallet::Call", "T", calls, METADATA_LEN(calls));
    struct metadata_field exec_f[] = {F("result", m->dresult, "DispatchResult")};
    struct metadata_field pure_f[] = {
        F("pure", m->acc, "T::AccountId"), F("who", m->acc, "T::AccountId"),
        F("proxy_type", ptype, "T::ProxyType"), F("disambiguation_index", m->u16t, "u16")};
    struct metadata_field ann_f[] = {F("real", m->acc, "T::AccountId"),
                                     F("proxy", m->acc, "T::AccountId"),
                                     F("call_hash", m->h256, "CallHashOf<T>")};
    struct metadata_field added_f[] = {
        F("delegator", m->acc, "T::AccountId"), F("delegatee", m->acc, "T::AccountId"),
        F("proxy_type", ptype, "T::ProxyType"), F("delay", m->u32t, "BlockNumberFor<T>")};
    struct metadata_variant evs[] = {
        {.name = "ProxyExecuted", .index = 0, .fields = exec_f, .n_fields = 1},
        {.name = "PureCreated", .index = 1, .fields = pure_f, .n_fields = 4},
        {.name = "Announced", .index = 2, .fields = ann_f, .n_fields = 3},
        {.name = "ProxyAdded", .index = 3, .fields = added_f, .n_fields = 4},
        {.name = "ProxyRemoved", .index = 4, .fields = added_f, .n_fields = 4}};
    uint32_t event =
        metadata_type_pallet_enum(b, "pallet_proxy::pallet::Event", "T", evs, METADATA_LEN(evs));
    static const char *const errs[] = {"TooMany",   "NotFound",     "NotProxy",    "Unproxyable",
                                       "Duplicate", "NoPermission", "Unannounced", "NoSelfProxy"};
    uint32_t error =
        metadata_type_unit_enum(b, "pallet_proxy::pallet::Error", "T", errs, METADATA_LEN(errs));
    struct metadata_param pd_p[] = {
        {"AccountId", m->acc}, {"ProxyType", ptype}, {"BlockNumber", m->u32t}};
    struct metadata_field pd_f[] = {F("delegate", m->acc, "AccountId"),
                                    F("proxy_type", ptype, "ProxyType"),
                                    F("delay", m->u32t, "BlockNumber")};
    uint32_t pdef = metadata_type_composite(b, "pallet_proxy::ProxyDefinition", pd_p, 3, pd_f, 3);
    uint32_t pv_el[] = {metadata_type_vec(b, pdef), m->u128t};
    uint32_t proxies_val = metadata_type_tuple(b, pv_el, 2);
    struct metadata_param an_p[] = {
        {"AccountId", m->acc}, {"Hash", m->h256}, {"BlockNumber", m->u32t}};
    struct metadata_field an_f[] = {F("real", m->acc, "AccountId"), F("call_hash", m->h256, "Hash"),
                                    F("height", m->u32t, "BlockNumber")};
    uint32_t annc = metadata_type_composite(b, "pallet_proxy::Announcement", an_p, 3, an_f, 3);
    uint32_t av_el[] = {metadata_type_vec(b, annc), m->u128t};
    uint32_t ann_val = metadata_type_tuple(b, av_el, 2);
    uint8_t t64 = METADATA_TWOX64_CONCAT;
    struct metadata_storage_entry st[] = {{.name = "Proxies",
                                           .modifier = METADATA_DEFAULT,
                                           .hashers = &t64,
                                           .n_hashers = 1,
                                           .key = m->acc,
                                           .value = proxies_val},
                                          {.name = "Announcements",
                                           .modifier = METADATA_DEFAULT,
                                           .hashers = &t64,
                                           .n_hashers = 1,
                                           .key = m->acc,
                                           .value = ann_val}};
    uint8_t base[16], factor[16], maxp[4], ann_base[16], ann_factor[16];
    le128(base, PALLET_PROXY_DEPOSIT_BASE);
    le128(factor, PALLET_PROXY_DEPOSIT_FACTOR);
    le128(ann_factor, PALLET_PROXY_ANNOUNCEMENT_DEPOSIT_FACTOR);
    le(maxp, PALLET_PROXY_MAX_PROXIES, 4);
    le128(ann_base, PALLET_PROXY_ANNOUNCEMENT_DEPOSIT_BASE);
    struct metadata_constant cs[] = {
        {.name = "ProxyDepositBase", .ty = m->u128t, .value = base, .value_len = 16},
        {.name = "ProxyDepositFactor", .ty = m->u128t, .value = factor, .value_len = 16},
        {.name = "MaxProxies", .ty = m->u32t, .value = maxp, .value_len = 4},
        {.name = "MaxPending", .ty = m->u32t, .value = maxp, .value_len = 4},
        {.name = "AnnouncementDepositBase", .ty = m->u128t, .value = ann_base, .value_len = 16},
        {.name = "AnnouncementDepositFactor",
         .ty = m->u128t,
         .value = ann_factor,
         .value_len = 16}};
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "Proxy",
                                                     .index = RT_PALLET_PROXY,
                                                     .storage_prefix = "Proxy",
                                                     .storage = st,
                                                     .n_storage = 2,
                                                     .calls = call,
                                                     .events = event,
                                                     .errors = error,
                                                     .constants = cs,
                                                     .n_constants = METADATA_LEN(cs)});
    rows_add(m, "Proxy", RT_PALLET_PROXY, call, event, error);
}

/* ---- Utility (9) ---- */

static void pallet_utility(struct rtm *m)
{
    struct metadata_builder *b = m->b;
    struct metadata_field batch_f[] = {F("calls", m->vec_call, "Vec<<T as Config>::RuntimeCall>")};
    struct metadata_field deriv_f[] = {F("index", m->u16t, "u16"),
                                       F("call", m->call, "Box<<T as Config>::RuntimeCall>")};
    struct metadata_field ww_f[] = {F("call", m->call, "Box<<T as Config>::RuntimeCall>"),
                                    F("weight", m->weight, "Weight")};
    /* OriginCaller of the solo runtime: system(RawOrigin) = 0, Void = 1 (uninhabited) */
    struct metadata_param ro_p[] = {{"AccountId", m->acc}};
    struct metadata_field ro_signed[] = {F(NULL, m->acc, "AccountId")};
    struct metadata_variant ro_v[] = {
        {.name = "Root", .index = 0},
        {.name = "Signed", .index = 1, .fields = ro_signed, .n_fields = 1},
        {.name = "None", .index = 2}};
    uint32_t raw_origin =
        metadata_type_variant(b, "frame_support::dispatch::RawOrigin", ro_p, 1, ro_v, 3);
    uint32_t vd = metadata_type_variant(b, "sp_core::Void", NULL, 0, NULL, 0);
    struct metadata_field oc_sys[] = {F(NULL, raw_origin, "frame_system::Origin<Runtime>")};
    struct metadata_field oc_void[] = {
        F(NULL, vd, "self::sp_api_hidden_includes_construct_runtime::hidden_include::Void")};
    struct metadata_variant oc_v[] = {
        {.name = "system", .index = 0, .fields = oc_sys, .n_fields = 1},
        {.name = "Void", .index = 1, .fields = oc_void, .n_fields = 1}};
    uint32_t origin_caller =
        metadata_type_variant(b, RT_METADATA_RUNTIME_CRATE "::OriginCaller", NULL, 0, oc_v, 2);
    struct metadata_field das_f[] = {F("as_origin", origin_caller, "Box<T::PalletsOrigin>"),
                                     F("call", m->call, "Box<<T as Config>::RuntimeCall>")};
    struct metadata_variant calls[] = {
        {.name = "batch", .index = 0, .fields = batch_f, .n_fields = 1},
        {.name = "as_derivative", .index = 1, .fields = deriv_f, .n_fields = 2},
        {.name = "batch_all", .index = 2, .fields = batch_f, .n_fields = 1},
        {.name = "dispatch_as", .index = 3, .fields = das_f, .n_fields = 2},
        {.name = "force_batch", .index = 4, .fields = batch_f, .n_fields = 1},
        {.name = "with_weight", .index = 5, .fields = ww_f, .n_fields = 2}};
    uint32_t call = metadata_type_pallet_enum(b, "pallet_utility::pallet::Call", "T", calls,
                                              METADATA_LEN(calls));
    struct metadata_field bi_f[] = {F("index", m->u32t, "u32"),
                                    F("error", m->derr, "DispatchError")};
    struct metadata_field if_f[] = {F("error", m->derr, "DispatchError")};
    struct metadata_field da_f[] = {F("result", m->dresult, "DispatchResult")};
    struct metadata_variant evs[] = {
        {.name = "BatchInterrupted", .index = 0, .fields = bi_f, .n_fields = 2},
        {.name = "BatchCompleted", .index = 1},
        {.name = "BatchCompletedWithErrors", .index = 2},
        {.name = "ItemCompleted", .index = 3},
        {.name = "ItemFailed", .index = 4, .fields = if_f, .n_fields = 1},
        {.name = "DispatchedAs", .index = 5, .fields = da_f, .n_fields = 1}};
    uint32_t event =
        metadata_type_pallet_enum(b, "pallet_utility::pallet::Event", NULL, evs, METADATA_LEN(evs));
    static const char *const errs[] = {"TooManyCalls"};
    uint32_t error = metadata_type_unit_enum(b, "pallet_utility::pallet::Error", "T", errs, 1);
    uint8_t lim[4];
    le(lim, PALLET_UTILITY_BATCHED_CALLS_LIMIT, 4);
    struct metadata_constant cs[] = {
        {.name = "batched_calls_limit", .ty = m->u32t, .value = lim, .value_len = 4}};
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "Utility",
                                                     .index = RT_PALLET_UTILITY,
                                                     .calls = call,
                                                     .events = event,
                                                     .errors = error,
                                                     .constants = cs,
                                                     .n_constants = 1});
    rows_add(m, "Utility", RT_PALLET_UTILITY, call, event, error);
}

/* ---- Balances (10) ---- */

static void pallet_balances(struct rtm *m)
{
    struct metadata_builder *b = m->b;
    static const char *const dirs[] = {"Increase", "Decrease"};
    uint32_t dir =
        metadata_type_unit_enum(b, "pallet_balances::types::AdjustmentDirection", NULL, dirs, 2);
    const char *lk = "AccountIdLookupOf<T>";
    struct metadata_field xfer_f[] = {F("dest", m->addr, lk), F("value", m->cu128, "T::Balance")};
    struct metadata_field force_f[] = {F("source", m->addr, lk), F("dest", m->addr, lk),
                                       F("value", m->cu128, "T::Balance")};
    struct metadata_field all_f[] = {F("dest", m->addr, lk), F("keep_alive", m->boolt, "bool")};
    struct metadata_field unres_f[] = {F("who", m->addr, lk), F("amount", m->u128t, "T::Balance")};
    struct metadata_field upg_f[] = {F("who", metadata_type_vec(b, m->acc), "Vec<T::AccountId>")};
    struct metadata_field set_f[] = {F("who", m->addr, lk), F("new_free", m->cu128, "T::Balance")};
    struct metadata_field adj_f[] = {F("direction", dir, "AdjustmentDirection"),
                                     F("delta", m->cu128, "T::Balance")};
    struct metadata_field burn_f[] = {F("value", m->cu128, "T::Balance"),
                                      F("keep_alive", m->boolt, "bool")};
    struct metadata_variant calls[] = {
        {.name = "transfer_allow_death", .index = 0, .fields = xfer_f, .n_fields = 2},
        {.name = "force_transfer", .index = 2, .fields = force_f, .n_fields = 3},
        {.name = "transfer_keep_alive", .index = 3, .fields = xfer_f, .n_fields = 2},
        {.name = "transfer_all", .index = 4, .fields = all_f, .n_fields = 2},
        {.name = "force_unreserve", .index = 5, .fields = unres_f, .n_fields = 2},
        {.name = "upgrade_accounts", .index = 6, .fields = upg_f, .n_fields = 1},
        {.name = "force_set_balance", .index = 8, .fields = set_f, .n_fields = 2},
        {.name = "force_adjust_total_issuance", .index = 9, .fields = adj_f, .n_fields = 2},
        {.name = "burn", .index = 10, .fields = burn_f, .n_fields = 2}};
    uint32_t call = metadata_type_pallet_enum(b, "pallet_balances::pallet::Call", "T,I", calls,
                                              METADATA_LEN(calls));

    static const char *const bst[] = {"Free", "Reserved"};
    uint32_t status = metadata_type_unit_enum(
        b, "frame_support::traits::tokens::misc::BalanceStatus", NULL, bst, 2);
    const char *bal = "T::Balance", *aid = "T::AccountId";
    struct metadata_field endowed_f[] = {F("account", m->acc, aid),
                                         F("free_balance", m->u128t, bal)};
    struct metadata_field dust_f[] = {F("account", m->acc, aid), F("amount", m->u128t, bal)};
    struct metadata_field transfer_f[] = {F("from", m->acc, aid), F("to", m->acc, aid),
                                          F("amount", m->u128t, bal)};
    struct metadata_field bset_f[] = {F("who", m->acc, aid), F("free", m->u128t, bal)};
    struct metadata_field wa_f[] = {F("who", m->acc, aid), F("amount", m->u128t, bal)};
    struct metadata_field rep_f[] = {F("from", m->acc, aid), F("to", m->acc, aid),
                                     F("amount", m->u128t, bal),
                                     F("destination_status", status, "Status")};
    struct metadata_field who_f[] = {F("who", m->acc, aid)};
    struct metadata_field amt_f[] = {F("amount", m->u128t, bal)};
    struct metadata_field forced_f[] = {F("old", m->u128t, bal), F("new", m->u128t, bal)};
    struct metadata_variant evs[] = {
        {.name = "Endowed", .index = 0, .fields = endowed_f, .n_fields = 2},
        {.name = "DustLost", .index = 1, .fields = dust_f, .n_fields = 2},
        {.name = "Transfer", .index = 2, .fields = transfer_f, .n_fields = 3},
        {.name = "BalanceSet", .index = 3, .fields = bset_f, .n_fields = 2},
        {.name = "Reserved", .index = 4, .fields = wa_f, .n_fields = 2},
        {.name = "Unreserved", .index = 5, .fields = wa_f, .n_fields = 2},
        {.name = "ReserveRepatriated", .index = 6, .fields = rep_f, .n_fields = 4},
        {.name = "Deposit", .index = 7, .fields = wa_f, .n_fields = 2},
        {.name = "Withdraw", .index = 8, .fields = wa_f, .n_fields = 2},
        {.name = "Slashed", .index = 9, .fields = wa_f, .n_fields = 2},
        {.name = "Minted", .index = 10, .fields = wa_f, .n_fields = 2},
        {.name = "Burned", .index = 11, .fields = wa_f, .n_fields = 2},
        {.name = "Suspended", .index = 12, .fields = wa_f, .n_fields = 2},
        {.name = "Restored", .index = 13, .fields = wa_f, .n_fields = 2},
        {.name = "Upgraded", .index = 14, .fields = who_f, .n_fields = 1},
        {.name = "Issued", .index = 15, .fields = amt_f, .n_fields = 1},
        {.name = "Rescinded", .index = 16, .fields = amt_f, .n_fields = 1},
        {.name = "Locked", .index = 17, .fields = wa_f, .n_fields = 2},
        {.name = "Unlocked", .index = 18, .fields = wa_f, .n_fields = 2},
        {.name = "Frozen", .index = 19, .fields = wa_f, .n_fields = 2},
        {.name = "Thawed", .index = 20, .fields = wa_f, .n_fields = 2},
        {.name = "TotalIssuanceForced", .index = 21, .fields = forced_f, .n_fields = 2}};
    uint32_t event = metadata_type_pallet_enum(b, "pallet_balances::pallet::Event", "T,I", evs,
                                               METADATA_LEN(evs));
    static const char *const errs[] = {
        "VestingBalance", "LiquidityRestrictions",   "InsufficientBalance", "ExistentialDeposit",
        "Expendability",  "ExistingVestingSchedule", "DeadAccount",         "TooManyReserves",
        "TooManyHolds",   "TooManyFreezes",          "IssuanceDeactivated", "DeltaZero"};
    uint32_t error = metadata_type_unit_enum(b, "pallet_balances::pallet::Error", "T,I", errs,
                                             METADATA_LEN(errs));

    /* storage (Account is the AccountData type System.Account registered) */
    uint32_t account_data = metadata_type_find(b, "pallet_balances::types::AccountData");
    uint32_t a8 = metadata_type_array(b, 8, m->u8t);
    static const char *const reasons[] = {"Fee", "Misc", "All"};
    uint32_t reason =
        metadata_type_unit_enum(b, "pallet_balances::types::Reasons", NULL, reasons, 3);
    struct metadata_param bl_p[] = {{"Balance", m->u128t}};
    struct metadata_field bl_f[] = {F("id", a8, "LockIdentifier"), F("amount", m->u128t, "Balance"),
                                    F("reasons", reason, "Reasons")};
    uint32_t lock =
        metadata_type_composite(b, "pallet_balances::types::BalanceLock", bl_p, 1, bl_f, 3);
    struct metadata_param rd_p[] = {{"ReserveIdentifier", a8}, {"Balance", m->u128t}};
    struct metadata_field rd_f[] = {F("id", a8, "ReserveIdentifier"),
                                    F("amount", m->u128t, "Balance")};
    uint32_t reserve =
        metadata_type_composite(b, "pallet_balances::types::ReserveData", rd_p, 2, rd_f, 2);
    uint8_t b2c = METADATA_BLAKE2_128_CONCAT;
    struct metadata_storage_entry st[] = {
        {.name = "TotalIssuance", .modifier = METADATA_DEFAULT, .value = m->u128t},
        {.name = "InactiveIssuance", .modifier = METADATA_DEFAULT, .value = m->u128t},
        {.name = "Account",
         .modifier = METADATA_DEFAULT,
         .hashers = &b2c,
         .n_hashers = 1,
         .key = m->acc,
         .value = account_data},
        {.name = "Locks",
         .modifier = METADATA_DEFAULT,
         .hashers = &b2c,
         .n_hashers = 1,
         .key = m->acc,
         .value = metadata_type_vec(b, lock)},
        {.name = "Reserves",
         .modifier = METADATA_DEFAULT,
         .hashers = &b2c,
         .n_hashers = 1,
         .key = m->acc,
         .value = metadata_type_vec(b, reserve)}};
    uint8_t ed[16], maxl[4], maxf[4];
    le128(ed, PALLET_BALANCES_ED);
    le(maxl, 50, 4);
    le(maxf, 0, 4);
    struct metadata_constant cs[] = {
        {.name = "ExistentialDeposit", .ty = m->u128t, .value = ed, .value_len = 16},
        {.name = "MaxLocks", .ty = m->u32t, .value = maxl, .value_len = 4},
        {.name = "MaxReserves", .ty = m->u32t, .value = maxl, .value_len = 4},
        {.name = "MaxFreezes", .ty = m->u32t, .value = maxf, .value_len = 4}};
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "Balances",
                                                     .index = RT_PALLET_BALANCES,
                                                     .storage_prefix = "Balances",
                                                     .storage = st,
                                                     .n_storage = METADATA_LEN(st),
                                                     .calls = call,
                                                     .events = event,
                                                     .errors = error,
                                                     .constants = cs,
                                                     .n_constants = METADATA_LEN(cs)});
    rows_add(m, "Balances", RT_PALLET_BALANCES, call, event, error);
}

/* ---- TransactionPayment (11) ---- */

static void pallet_transaction_payment(struct rtm *m)
{
    struct metadata_builder *b = m->b;
    struct metadata_field paid_f[] = {F("who", m->acc, "T::AccountId"),
                                      F("actual_fee", m->u128t, "BalanceOf<T>"),
                                      F("tip", m->u128t, "BalanceOf<T>")};
    struct metadata_variant evs[] = {
        {.name = "TransactionFeePaid", .index = 0, .fields = paid_f, .n_fields = 3}};
    uint32_t event =
        metadata_type_pallet_enum(b, "pallet_transaction_payment::pallet::Event", "T", evs, 1);
    struct metadata_field fx_f[] = {F(NULL, m->u128t, "u128")};
    uint32_t fixed =
        metadata_type_composite(b, "sp_arithmetic::fixed_point::FixedU128", NULL, 0, fx_f, 1);
    static const char *const rel[] = {"V1Ancient", "V2"};
    uint32_t releases =
        metadata_type_unit_enum(b, "pallet_transaction_payment::Releases", NULL, rel, 2);
    uint8_t one[16];
    le128(one, PALLET_TRANSACTION_PAYMENT_MULTIPLIER_ONE);
    struct metadata_storage_entry st[] = {
        {.name = "NextFeeMultiplier",
         .modifier = METADATA_DEFAULT,
         .value = fixed,
         .default_value = one,
         .default_len = 16},
        {.name = "StorageVersion", .modifier = METADATA_DEFAULT, .value = releases}};
    static const uint8_t ofm = 5;
    struct metadata_constant cs[] = {
        {.name = "OperationalFeeMultiplier", .ty = m->u8t, .value = &ofm, .value_len = 1}};
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "TransactionPayment",
                                                     .index = RT_PALLET_TRANSACTION_PAYMENT,
                                                     .storage_prefix = "TransactionPayment",
                                                     .storage = st,
                                                     .n_storage = 2,
                                                     .calls = METADATA_TY_NONE,
                                                     .events = event,
                                                     .errors = METADATA_TY_NONE,
                                                     .constants = cs,
                                                     .n_constants = 1});
    rows_add(m, "TransactionPayment", RT_PALLET_TRANSACTION_PAYMENT, METADATA_TY_NONE, event,
             METADATA_TY_NONE);
}

/* ---- Aura (23) and Grandpa (24): storage and constants only (no calls are routed) ---- */

static uint32_t key_type(struct rtm *m, const char *inner_path, const char *app_path)
{
    uint32_t a32 = metadata_type_array(m->b, 32, m->u8t);
    struct metadata_field in_f[] = {F(NULL, a32, "[u8; 32]")};
    uint32_t inner = metadata_type_composite(m->b, inner_path, NULL, 0, in_f, 1);
    struct metadata_field app_f[] = {F(NULL, inner, NULL)};
    return metadata_type_composite(m->b, app_path, NULL, 0, app_f, 1);
}

static void pallet_aura(struct rtm *m)
{
    struct metadata_builder *b = m->b;
    uint32_t auth =
        key_type(m, "sp_core::sr25519::Public", "sp_consensus_aura::sr25519::app_sr25519::Public");
    struct metadata_field slot_f[] = {F(NULL, m->u64t, "u64")};
    uint32_t slot = metadata_type_composite(b, "sp_consensus_slots::Slot", NULL, 0, slot_f, 1);
    struct metadata_storage_entry st[] = {
        {.name = "Authorities", .modifier = METADATA_DEFAULT, .value = metadata_type_vec(b, auth)},
        {.name = "CurrentSlot", .modifier = METADATA_DEFAULT, .value = slot}};
    uint8_t sd[8];
    le(sd, RT_API_SLOT_DURATION, 8);
    struct metadata_constant cs[] = {
        {.name = "SlotDuration", .ty = m->u64t, .value = sd, .value_len = 8}};
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "Aura",
                                                     .index = RT_PALLET_AURA,
                                                     .storage_prefix = "Aura",
                                                     .storage = st,
                                                     .n_storage = 2,
                                                     .calls = METADATA_TY_NONE,
                                                     .events = METADATA_TY_NONE,
                                                     .errors = METADATA_TY_NONE,
                                                     .constants = cs,
                                                     .n_constants = 1});
}

static void pallet_grandpa(struct rtm *m)
{
    struct metadata_builder *b = m->b;
    uint32_t auth = key_type(m, "sp_core::ed25519::Public", "sp_consensus_grandpa::app::Public");
    uint32_t pair_el[] = {auth, m->u64t};
    uint32_t pair = metadata_type_tuple(b, pair_el, 2);
    struct metadata_param ss_p[] = {{"N", m->u32t}};
    struct metadata_field sched_f[] = {F("scheduled_at", m->u32t, "N"), F("delay", m->u32t, "N")};
    struct metadata_variant ss_v[] = {
        {.name = "Live", .index = 0},
        {.name = "PendingPause", .index = 1, .fields = sched_f, .n_fields = 2},
        {.name = "Paused", .index = 2},
        {.name = "PendingResume", .index = 3, .fields = sched_f, .n_fields = 2}};
    uint32_t stored = metadata_type_variant(b, "pallet_grandpa::StoredState", ss_p, 1, ss_v, 4);
    uint32_t u32pair_el[] = {m->u32t, m->u32t};
    uint8_t t64 = METADATA_TWOX64_CONCAT;
    struct metadata_storage_entry st[] = {
        {.name = "State", .modifier = METADATA_DEFAULT, .value = stored},
        {.name = "NextForced", .modifier = METADATA_OPTIONAL, .value = m->u32t},
        {.name = "Stalled",
         .modifier = METADATA_OPTIONAL,
         .value = metadata_type_tuple(b, u32pair_el, 2)},
        {.name = "CurrentSetId", .modifier = METADATA_DEFAULT, .value = m->u64t},
        {.name = "SetIdSession",
         .modifier = METADATA_OPTIONAL,
         .hashers = &t64,
         .n_hashers = 1,
         .key = m->u64t,
         .value = m->u32t},
        {.name = "Authorities", .modifier = METADATA_DEFAULT, .value = metadata_type_vec(b, pair)}};
    uint8_t maxa[4], maxn[4], maxs[8];
    le(maxa, 32, 4);
    le(maxn, 0, 4);
    le(maxs, 24 * 28 * 6, 8);
    struct metadata_constant cs[] = {
        {.name = "MaxAuthorities", .ty = m->u32t, .value = maxa, .value_len = 4},
        {.name = "MaxNominators", .ty = m->u32t, .value = maxn, .value_len = 4},
        {.name = "MaxSetIdSessionEntries", .ty = m->u64t, .value = maxs, .value_len = 8}};
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "Grandpa",
                                                     .index = RT_PALLET_GRANDPA,
                                                     .storage_prefix = "Grandpa",
                                                     .storage = st,
                                                     .n_storage = METADATA_LEN(st),
                                                     .calls = METADATA_TY_NONE,
                                                     .events = METADATA_TY_NONE,
                                                     .errors = METADATA_TY_NONE,
                                                     .constants = cs,
                                                     .n_constants = METADATA_LEN(cs)});
}

/* ---- Teerex (50) ---- */

static const char *const teerex_verify_errs[] = {"CaVerificationFailed",
                                                 "CertificateChainIsInvalid",
                                                 "CertificateChainIsTooShort",
                                                 "CpuSvnDecodingError",
                                                 "CpuSvnLengthMismatch",
                                                 "CpuSvnOidIsMissing",
                                                 "DcapKeyTypeMismatch",
                                                 "DcapQuoteDecodingError",
                                                 "DcapQuoteIsTooLong",
                                                 "DcapQuoteVersionMismatch",
                                                 "DerEncodingError",
                                                 "EnclaveIdentityDecodingError",
                                                 "EnclaveIdentitySignatureIsInvalid",
                                                 "FmspcDecodingError",
                                                 "FmspcLengthMismatch",
                                                 "FmspcOidIsMissing",
                                                 "IntelExtensionAmbiguity",
                                                 "IntelExtensionCertificateDecodingError",
                                                 "IsvEnclaveReportSignatureIsInvalid",
                                                 "KeyLengthIsInvalid",
                                                 "LeafCertificateParsingError",
                                                 "NetscapeDecodingError",
                                                 "NetscapeDerError",
                                                 "PceSvnDecodingError",
                                                 "PceSvnLengthMismatch",
                                                 "PceSvnOidIsMissing",
                                                 "PckCertFormatMismatch",
                                                 "PublicKeyIsInvalid",
                                                 "QeHasRejectedEnclave",
                                                 "QeReportHashMismatch",
                                                 "QuoteBodyDecodingError",
                                                 "QuoteBodyIsInvalid",
                                                 "QuoteBodyMissing",
                                                 "QuoteStatusMissing",
                                                 "RsaSignatureIsInvalid",
                                                 "SgxReportParsingError",
                                                 "TcbInfoIsInvalid",
                                                 "TimestampIsInvalid",
                                                 "TimestampIsMissing"};

static void pallet_teerex(struct rtm *m)
{
    struct metadata_builder *b = m->b;
    uint32_t a4 = metadata_type_array(b, 4, m->u8t), a6 = metadata_type_array(b, 6, m->u8t);
    uint32_t a16 = metadata_type_array(b, 16, m->u8t), a32 = metadata_type_array(b, 32, m->u8t);
    uint32_t a33 = metadata_type_array(b, 33, m->u8t), a64 = metadata_type_array(b, 64, m->u8t);
    uint32_t opt_bytes = metadata_type_option(b, m->bytes);
    struct metadata_field rd_f[] = {F("d", a64, "[u8; 64]")};
    uint32_t report =
        metadata_type_composite(b, "teerex_primitives::SgxReportData", NULL, 0, rd_f, 1);
    static const char *const modes[] = {"Debug", "Production"};
    uint32_t build_mode =
        metadata_type_unit_enum(b, "teerex_primitives::SgxBuildMode", NULL, modes, 2);
    struct metadata_field prox_f[] = {F("proxied", m->boolt, "bool")};
    struct metadata_variant am_v[] = {
        {.name = "Skip", .index = 0, .fields = prox_f, .n_fields = 1},
        {.name = "Ias", .index = 1},
        {.name = "Dcap", .index = 2, .fields = prox_f, .n_fields = 1}};
    uint32_t method =
        metadata_type_variant(b, "teerex_primitives::SgxAttestationMethod", NULL, 0, am_v, 3);
    static const char *const sts[] = {"Invalid", "Ok", "GroupOutOfDate", "GroupRevoked",
                                      "ConfigurationNeeded"};
    uint32_t status = metadata_type_unit_enum(b, "teerex_primitives::SgxStatus", NULL, sts, 5);
    struct metadata_param url_p[] = {{"Url", m->bytes}};
    struct metadata_field enc_f[] = {F("report_data", report, "SgxReportData"),
                                     F("mr_enclave", a32, "MrEnclave"),
                                     F("mr_signer", a32, "MrSigner"),
                                     F("timestamp", m->u64t, "u64"),
                                     F("url", opt_bytes, "Option<Url>"),
                                     F("build_mode", build_mode, "SgxBuildMode"),
                                     F("attestation_method", method, "SgxAttestationMethod"),
                                     F("status", status, "SgxStatus")};
    uint32_t sgx_enclave =
        metadata_type_composite(b, "teerex_primitives::SgxEnclave", url_p, 1, enc_f, 8);
    struct metadata_field sgx_f[] = {F(NULL, sgx_enclave, "SgxEnclave<Url>")};
    struct metadata_variant me_v[] = {{.name = "Sgx", .index = 0, .fields = sgx_f, .n_fields = 1}};
    uint32_t multi_enclave =
        metadata_type_variant(b, "teerex_primitives::MultiEnclave", url_p, 1, me_v, 1);
    /* signers */
    struct metadata_field k32_f[] = {F(NULL, a32, "[u8; 32]")};
    struct metadata_field k33_f[] = {F(NULL, a33, "[u8; 33]")};
    uint32_t ed = metadata_type_composite(b, "sp_core::ed25519::Public", NULL, 0, k32_f, 1);
    uint32_t sr = metadata_type_composite(b, "sp_core::sr25519::Public", NULL, 0, k32_f, 1);
    uint32_t ec = metadata_type_composite(b, "sp_core::ecdsa::Public", NULL, 0, k33_f, 1);
    struct metadata_field ed_f[] = {F(NULL, ed, "ed25519::Public")};
    struct metadata_field sr_f[] = {F(NULL, sr, "sr25519::Public")};
    struct metadata_field ec_f[] = {F(NULL, ec, "ecdsa::Public")};
    struct metadata_variant ms_v[] = {
        {.name = "Ed25519", .index = 0, .fields = ed_f, .n_fields = 1},
        {.name = "Sr25519", .index = 1, .fields = sr_f, .n_fields = 1},
        {.name = "Ecdsa", .index = 2, .fields = ec_f, .n_fields = 1}};
    uint32_t multi_signer = metadata_type_variant(b, "sp_runtime::MultiSigner", NULL, 0, ms_v, 3);
    struct metadata_field op_f[] = {F(NULL, m->bytes, "BoundedVec<u8, ConstU32<66>>")};
    struct metadata_field kn_f[] = {F(NULL, multi_signer, "MultiSigner")};
    struct metadata_variant as_v[] = {{.name = "Opaque", .index = 0, .fields = op_f, .n_fields = 1},
                                      {.name = "Known", .index = 1, .fields = kn_f, .n_fields = 1}};
    uint32_t any_signer =
        metadata_type_variant(b, "teerex_primitives::AnySigner", NULL, 0, as_v, 2);
    struct metadata_param eia_p[] = {{"AccountId", m->acc}};
    struct metadata_field eia_f[] = {F("fingerprint", m->h256, "EnclaveFingerprint"),
                                     F("registrar", m->acc, "AccountId"),
                                     F("signer", any_signer, "AnySigner")};
    uint32_t address =
        metadata_type_composite(b, "teerex_primitives::EnclaveInstanceAddress", eia_p, 1, eia_f, 3);
    /* collateral */
    struct metadata_field qt_f[] = {F("isvsvn", m->u16t, "u16")};
    uint32_t qe_tcb = metadata_type_composite(b, "teerex_primitives::QeTcb", NULL, 0, qt_f, 1);
    struct metadata_field qe_f[] = {F("issue_date", m->u64t, "u64"),
                                    F("next_update", m->u64t, "u64"),
                                    F("miscselect", a4, "[u8; 4]"),
                                    F("miscselect_mask", a4, "[u8; 4]"),
                                    F("attributes", a16, "[u8; 16]"),
                                    F("attributes_mask", a16, "[u8; 16]"),
                                    F("mrsigner", a32, "[u8; 32]"),
                                    F("isvprodid", m->u16t, "u16"),
                                    F("tcb", metadata_type_vec(b, qe_tcb), "Vec<QeTcb>")};
    uint32_t qe =
        metadata_type_composite(b, "teerex_primitives::SgxQuotingEnclave", NULL, 0, qe_f, 9);
    static const char *const tcbs[] = {"Unknown",
                                       "UpToDate",
                                       "SWHardeningNeeded",
                                       "ConfigurationAndSWHardeningNeeded",
                                       "OutOfDate",
                                       "OutOfDateConfigurationNeeded",
                                       "Revoked"};
    uint32_t tcb_status = metadata_type_unit_enum(b, "teerex_primitives::TcbStatus", NULL, tcbs, 7);
    struct metadata_field tvs_f[] = {F("cpusvn", a16, "Cpusvn"), F("pcesvn", m->u16t, "Pcesvn"),
                                     F("tcb_status", tcb_status, "TcbStatus")};
    uint32_t tvs =
        metadata_type_composite(b, "teerex_primitives::TcbVersionStatus", NULL, 0, tvs_f, 3);
    struct metadata_field toc_f[] = {
        F("issue_date", m->u64t, "u64"), F("next_update", m->u64t, "u64"),
        F("tcb_levels", metadata_type_vec(b, tvs), "Vec<TcbVersionStatus>")};
    uint32_t tcb_info =
        metadata_type_composite(b, "teerex_primitives::SgxTcbInfoOnChain", NULL, 0, toc_f, 3);

    struct metadata_field reg_f[] = {F("proof", m->bytes, "Vec<u8>"),
                                     F("worker_url", opt_bytes, "Option<Vec<u8>>"),
                                     F("attestation_method", method, "SgxAttestationMethod")};
    struct metadata_field unsov_f[] = {F("enclave_signer", m->acc, "T::AccountId")};
    struct metadata_field unprox_f[] = {
        F("address", address, "EnclaveInstanceAddress<T::AccountId>")};
    struct metadata_field rqe_f[] = {F("enclave_identity", m->bytes, "Vec<u8>"),
                                     F("signature", m->bytes, "Vec<u8>"),
                                     F("certificate_chain", m->bytes, "Vec<u8>")};
    struct metadata_field rtcb_f[] = {F("tcb_info", m->bytes, "Vec<u8>"),
                                      F("signature", m->bytes, "Vec<u8>"),
                                      F("certificate_chain", m->bytes, "Vec<u8>")};
    struct metadata_field flags_f[] = {F("allow_skipping_attestation", m->boolt, "bool"),
                                       F("sgx_allow_debug_mode", m->boolt, "bool")};
    struct metadata_variant calls[] = {
        {.name = "register_sgx_enclave", .index = 0, .fields = reg_f, .n_fields = 3},
        {.name = "unregister_sovereign_enclave", .index = 1, .fields = unsov_f, .n_fields = 1},
        {.name = "unregister_proxied_enclave", .index = 2, .fields = unprox_f, .n_fields = 1},
        {.name = "register_quoting_enclave", .index = 3, .fields = rqe_f, .n_fields = 3},
        {.name = "register_tcb_info", .index = 4, .fields = rtcb_f, .n_fields = 3},
        {.name = "set_security_flags", .index = 5, .fields = flags_f, .n_fields = 2}};
    uint32_t call = metadata_type_pallet_enum(b, "pallet_teerex::pallet::Call", "T", calls,
                                              METADATA_LEN(calls));
    uint32_t opt_status = metadata_type_option(b, status);
    struct metadata_field added_f[] = {F("registered_by", m->acc, "T::AccountId"),
                                       F("worker_url", opt_bytes, "Option<Vec<u8>>"),
                                       F("tcb_status", opt_status, "Option<SgxStatus>"),
                                       F("attestation_method", method, "SgxAttestationMethod")};
    struct metadata_field rsov_f[] = {F(NULL, m->acc, "T::AccountId")};
    struct metadata_field rprox_f[] = {F(NULL, address, "EnclaveInstanceAddress<T::AccountId>")};
    struct metadata_field tcbreg_f[] = {F("fmspc", a6, "Fmspc"),
                                        F("on_chain_info", tcb_info, "SgxTcbInfoOnChain")};
    struct metadata_field qereg_f[] = {F("quoting_enclave", qe, "SgxQuotingEnclave")};
    struct metadata_variant evs[] = {
        {.name = "AddedSgxEnclave", .index = 0, .fields = added_f, .n_fields = 4},
        {.name = "RemovedSovereignEnclave", .index = 1, .fields = rsov_f, .n_fields = 1},
        {.name = "RemovedProxiedEnclave", .index = 2, .fields = rprox_f, .n_fields = 1},
        {.name = "SgxTcbInfoRegistered", .index = 3, .fields = tcbreg_f, .n_fields = 2},
        {.name = "SgxQuotingEnclaveRegistered", .index = 4, .fields = qereg_f, .n_fields = 1},
        {.name = "UpdatedSecurityFlags", .index = 5, .fields = flags_f, .n_fields = 2}};
    uint32_t event =
        metadata_type_pallet_enum(b, "pallet_teerex::pallet::Event", "T", evs, METADATA_LEN(evs));
    /* errors: 14 OtherSgxVerifyError nests sgx_verify::Error (same names as 15..53) */
    uint32_t verr = metadata_type_unit_enum(b, "sgx_verify::Error", NULL, teerex_verify_errs,
                                            METADATA_LEN(teerex_verify_errs));
    static const char *const first[] = {"EnclaveSignerDecodeError",
                                        "SenderIsNotAttestedEnclave",
                                        "RemoteAttestationVerificationFailed",
                                        "RemoteAttestationIsTooOld",
                                        "SgxModeIsNotAllowed",
                                        "EnclaveIsNotRegistered",
                                        "EnclaveUrlIsTooLong",
                                        "RaProofIsTooLong",
                                        "EmptyEnclaveRegistry",
                                        "CollateralIsInvalid",
                                        "UnregisterActiveEnclaveIsNotAllowed",
                                        "SkippingAttestationIsNotAllowed",
                                        "MissingTcbInfoForFmspc",
                                        "TcbInfoIsOutdated"};
    struct metadata_field other_f[] = {F(NULL, verr, "sgx_verify::Error")};
    struct metadata_variant ev[14 + 1 + METADATA_LEN(teerex_verify_errs)];
    size_t n = 0;
    for (size_t i = 0; i < METADATA_LEN(first); i++, n++)
        ev[n] = (struct metadata_variant){.name = first[i], .index = (uint8_t)n};
    ev[n] = (struct metadata_variant){
        .name = "OtherSgxVerifyError", .index = (uint8_t)n, .fields = other_f, .n_fields = 1};
    n++;
    for (size_t i = 0; i < METADATA_LEN(teerex_verify_errs); i++, n++)
        ev[n] = (struct metadata_variant){.name = teerex_verify_errs[i], .index = (uint8_t)n};
    struct metadata_param tp[] = {{"T", METADATA_TY_NONE}};
    uint32_t error = metadata_type_variant(b, "pallet_teerex::pallet::Error", tp, 1, ev, n);

    uint8_t b2c = METADATA_BLAKE2_128_CONCAT;
    struct metadata_storage_entry st[] = {
        {.name = "SovereignEnclaves",
         .modifier = METADATA_OPTIONAL,
         .hashers = &b2c,
         .n_hashers = 1,
         .key = m->acc,
         .value = multi_enclave},
        {.name = "ProxiedEnclaves",
         .modifier = METADATA_OPTIONAL,
         .hashers = &b2c,
         .n_hashers = 1,
         .key = address,
         .value = multi_enclave},
        {.name = "SgxQuotingEnclaveRegistry", .modifier = METADATA_DEFAULT, .value = qe},
        {.name = "SgxTcbInfo",
         .modifier = METADATA_OPTIONAL,
         .hashers = &b2c,
         .n_hashers = 1,
         .key = a6,
         .value = tcb_info},
        {.name = "SgxAllowDebugMode", .modifier = METADATA_DEFAULT, .value = m->boolt},
        {.name = "AllowSkippingAttestation", .modifier = METADATA_DEFAULT, .value = m->boolt}};
    uint8_t mpd[8], marp[8];
    le(mpd, PALLET_TEEREX_MOMENTS_PER_DAY, 8);
    le(marp, PALLET_TEEREX_MAX_ATTESTATION_RENEWAL_PERIOD, 8);
    struct metadata_constant cs[] = {
        {.name = "MomentsPerDay", .ty = m->u64t, .value = mpd, .value_len = 8},
        {.name = "MaxAttestationRenewalPeriod", .ty = m->u64t, .value = marp, .value_len = 8}};
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "Teerex",
                                                     .index = RT_PALLET_TEEREX,
                                                     .storage_prefix = "Teerex",
                                                     .storage = st,
                                                     .n_storage = METADATA_LEN(st),
                                                     .calls = call,
                                                     .events = event,
                                                     .errors = error,
                                                     .constants = cs,
                                                     .n_constants = 2});
    rows_add(m, "Teerex", RT_PALLET_TEEREX, call, event, error);
}

/* ---- Teeracle (52) ---- */

/* Data sources, trading pairs and oracle names are PalletString = Vec<u8> in the runtime. */

static void pallet_teeracle(struct rtm *m)
{
    struct metadata_builder *b = m->b;
    struct metadata_field bits_f[] = {F("bits", m->u64t, "u64")};
    struct metadata_param fx_p[] = {{"Frac", METADATA_TY_NONE}};
    uint32_t rate = metadata_type_composite(b, "substrate_fixed::FixedU64", fx_p, 1, bits_f, 1);
    uint32_t opt_rate = metadata_type_option(b, rate);
    struct metadata_field wl_f[] = {F("data_source", m->bytes, "DataSource"),
                                    F("enclave_fingerprint", m->h256, "EnclaveFingerprint")};
    struct metadata_field uo_f[] = {F("oracle_data_name", m->bytes, "OracleDataName"),
                                    F("data_source", m->bytes, "DataSource"),
                                    F("new_blob", m->bytes, "OracleDataBlob<T>")};
    struct metadata_field ur_f[] = {F("data_source", m->bytes, "DataSource"),
                                    F("trading_pair", m->bytes, "TradingPairString"),
                                    F("new_value", opt_rate, "Option<ExchangeRate>")};
    struct metadata_variant calls[] = {
        {.name = "add_to_whitelist", .index = 0, .fields = wl_f, .n_fields = 2},
        {.name = "remove_from_whitelist", .index = 1, .fields = wl_f, .n_fields = 2},
        {.name = "update_oracle", .index = 2, .fields = uo_f, .n_fields = 3},
        {.name = "update_exchange_rate", .index = 3, .fields = ur_f, .n_fields = 3}};
    uint32_t call = metadata_type_pallet_enum(b, "pallet_teeracle::pallet::Call", "T", calls,
                                              METADATA_LEN(calls));
    struct metadata_field eru_f[] = {F("data_source", m->bytes, "DataSource"),
                                     F("trading_pair", m->bytes, "TradingPairString"),
                                     F("exchange_rate", rate, "ExchangeRate")};
    struct metadata_field erd_f[] = {F("data_source", m->bytes, "DataSource"),
                                     F("trading_pair", m->bytes, "TradingPairString")};
    struct metadata_field ou_f[] = {F("oracle_data_name", m->bytes, "OracleDataName"),
                                    F("data_source", m->bytes, "DataSource")};
    struct metadata_variant evs[] = {
        {.name = "ExchangeRateUpdated", .index = 0, .fields = eru_f, .n_fields = 3},
        {.name = "ExchangeRateDeleted", .index = 1, .fields = erd_f, .n_fields = 2},
        {.name = "OracleUpdated", .index = 2, .fields = ou_f, .n_fields = 2},
        {.name = "AddedToWhitelist", .index = 3, .fields = wl_f, .n_fields = 2},
        {.name = "RemovedFromWhitelist", .index = 4, .fields = wl_f, .n_fields = 2}};
    uint32_t event =
        metadata_type_pallet_enum(b, "pallet_teeracle::pallet::Event", "T", evs, METADATA_LEN(evs));
    static const char *const errs[] = {"FingerprintWhitelistOverflow",
                                       "FingerprintNotWhitelisted",
                                       "FingerprintAlreadyWhitelisted",
                                       "TradingPairStringTooLong",
                                       "OracleDataNameStringTooLong",
                                       "DataSourceStringTooLong",
                                       "OracleBlobTooBig"};
    uint32_t error =
        metadata_type_unit_enum(b, "pallet_teeracle::pallet::Error", "T", errs, METADATA_LEN(errs));
    uint8_t b2c2[2] = {METADATA_BLAKE2_128_CONCAT, METADATA_BLAKE2_128_CONCAT};
    uint32_t ss_el[] = {m->bytes, m->bytes};
    uint32_t ss = metadata_type_tuple(b, ss_el, 2);
    struct metadata_storage_entry st[] = {{.name = "ExchangeRates",
                                           .modifier = METADATA_DEFAULT,
                                           .hashers = b2c2,
                                           .n_hashers = 2,
                                           .key = ss,
                                           .value = rate},
                                          {.name = "OracleData",
                                           .modifier = METADATA_DEFAULT,
                                           .hashers = b2c2,
                                           .n_hashers = 2,
                                           .key = ss,
                                           .value = m->bytes},
                                          {.name = "Whitelists",
                                           .modifier = METADATA_DEFAULT,
                                           .hashers = b2c2,
                                           .n_hashers = 1,
                                           .key = m->bytes,
                                           .value = metadata_type_vec(b, m->h256)}};
    uint8_t mwr[4], mob[4];
    le(mwr, PALLET_TEERACLE_MAX_WHITELISTED_RELEASES, 4);
    le(mob, PALLET_TEERACLE_MAX_ORACLE_BLOB_LEN, 4);
    struct metadata_constant cs[] = {
        {.name = "MaxWhitelistedReleases", .ty = m->u32t, .value = mwr, .value_len = 4},
        {.name = "MaxOracleBlobLen", .ty = m->u32t, .value = mob, .value_len = 4}};
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "Teeracle",
                                                     .index = RT_PALLET_TEERACLE,
                                                     .storage_prefix = "Teeracle",
                                                     .storage = st,
                                                     .n_storage = 3,
                                                     .calls = call,
                                                     .events = event,
                                                     .errors = error,
                                                     .constants = cs,
                                                     .n_constants = 2});
    rows_add(m, "Teeracle", RT_PALLET_TEERACLE, call, event, error);
}

/* ---- Sidechain (53) ---- */

static void pallet_sidechain(struct rtm *m)
{
    struct metadata_builder *b = m->b;
    struct metadata_field sbc_f[] = {F("block_number", m->u64t, "SidechainBlockNumber"),
                                     F("block_header_hash", m->h256, "H256")};
    uint32_t conf = metadata_type_composite(b, "sidechain_primitives::SidechainBlockConfirmation",
                                            NULL, 0, sbc_f, 2);
    struct metadata_field c_f[] = {F("shard", m->h256, "ShardIdentifier"),
                                   F("latest_finalized_ancestor", metadata_type_option(b, conf),
                                     "Option<SidechainBlockConfirmation>"),
                                   F("finalization_candidate", conf, "SidechainBlockConfirmation")};
    struct metadata_variant calls[] = {
        {.name = "confirm_imported_sidechain_block", .index = 0, .fields = c_f, .n_fields = 3}};
    uint32_t call = metadata_type_pallet_enum(b, "pallet_sidechain::pallet::Call", "T", calls, 1);
    struct metadata_field ev_f[] = {
        F("shard", m->h256, "ShardIdentifier"), F("block_number", m->u64t, "SidechainBlockNumber"),
        F("block_header_hash", m->h256, "H256"), F("validateer", m->acc, "T::AccountId")};
    struct metadata_variant evs[] = {
        {.name = "FinalizedSidechainBlock", .index = 0, .fields = ev_f, .n_fields = 4}};
    uint32_t event = metadata_type_pallet_enum(b, "pallet_sidechain::pallet::Event", "T", evs, 1);
    static const char *const errs[] = {"FinalizationCandidateIsOutdated", "AncestorNumberMismatch",
                                       "AncestorHashMismatch", "AncestorMissing"};
    uint32_t error = metadata_type_unit_enum(b, "pallet_sidechain::pallet::Error", "T", errs, 4);
    uint8_t b2c = METADATA_BLAKE2_128_CONCAT;
    struct metadata_storage_entry st[] = {{.name = "LatestSidechainBlockConfirmation",
                                           .modifier = METADATA_OPTIONAL,
                                           .hashers = &b2c,
                                           .n_hashers = 1,
                                           .key = m->h256,
                                           .value = conf}};
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "Sidechain",
                                                     .index = RT_PALLET_SIDECHAIN,
                                                     .storage_prefix = "Sidechain",
                                                     .storage = st,
                                                     .n_storage = 1,
                                                     .calls = call,
                                                     .events = event,
                                                     .errors = error});
    rows_add(m, "Sidechain", RT_PALLET_SIDECHAIN, call, event, error);
}

/* ---- EnclaveBridge (54) ---- */

static void pallet_enclave_bridge(struct rtm *m)
{
    struct metadata_builder *b = m->b;
    const char *sid = "ShardIdentifier";
    struct metadata_field req_f[] = {F("shard", m->h256, sid),
                                     F("cyphertext", m->bytes, "Vec<u8>")};
    uint32_t request =
        metadata_type_composite(b, "enclave_bridge_primitives::Request", NULL, 0, req_f, 2);
    struct metadata_param sc_p[] = {{"AccountId", m->acc}};
    struct metadata_field sc_f[] = {
        F("enclave_fingerprint", m->h256, "EnclaveFingerprint"),
        F("max_instances", metadata_type_option(b, m->u32t), "Option<u32>"),
        F("authorities", metadata_type_option(b, metadata_type_vec(b, m->acc)),
          "Option<Vec<AccountId>>"),
        F("maintenance_mode", m->boolt, "bool")};
    uint32_t shard_config =
        metadata_type_composite(b, "enclave_bridge_primitives::ShardConfig", sc_p, 1, sc_f, 4);
    struct metadata_param usc_p[] = {{"AccountId", m->acc}, {"BlockNumber", m->u32t}};
    struct metadata_field usc_f[] = {
        F("active_config", shard_config, "ShardConfig<AccountId>"),
        F("pending_upgrade", metadata_type_option(b, shard_config),
          "Option<ShardConfig<AccountId>>"),
        F("upgrade_at", metadata_type_option(b, m->u32t), "Option<BlockNumber>")};
    uint32_t upgradable = metadata_type_composite(
        b, "enclave_bridge_primitives::UpgradableShardConfig", usc_p, 2, usc_f, 3);
    struct metadata_field sss_f[] = {F("signer", m->acc, "AccountId"),
                                     F("fingerprint", m->h256, "EnclaveFingerprint"),
                                     F("last_activity", m->u32t, "BlockNumber")};
    uint32_t signer_status = metadata_type_composite(
        b, "enclave_bridge_primitives::ShardSignerStatus", usc_p, 2, sss_f, 3);

    struct metadata_field inv_f[] = {F("request", request, "Request")};
    struct metadata_field cppb_f[] = {F("shard", m->h256, sid), F("block_hash", m->h256, "H256"),
                                      F("block_number", m->u32t, "BlockNumberFor<T>"),
                                      F("trusted_calls_merkle_root", m->h256, "H256")};
    struct metadata_field shield_f[] = {F("shard", m->h256, sid),
                                        F("incognito_account_encrypted", m->bytes, "Vec<u8>"),
                                        F("amount", m->u128t, "BalanceOf<T>")};
    struct metadata_field unshield_f[] = {
        F("shard", m->h256, sid), F("beneficiary", m->acc, "T::AccountId"),
        F("amount", m->u128t, "BalanceOf<T>"), F("call_hash", m->h256, "H256")};
    struct metadata_field ph_f[] = {
        F("hash", m->h256, "H256"),
        F("extra_topics", metadata_type_vec(b, m->h256), "Vec<T::Hash>"),
        F("data", m->bytes, "Vec<u8>")};
    struct metadata_field usc2_f[] = {F("shard", m->h256, sid),
                                      F("shard_config", shard_config, "ShardConfig<T::AccountId>"),
                                      F("enactment_delay", m->u32t, "BlockNumberFor<T>")};
    struct metadata_field purge_f[] = {F("shard", m->h256, sid),
                                       F("subject", m->acc, "T::AccountId")};
    struct metadata_variant calls[] = {
        {.name = "invoke", .index = 0, .fields = inv_f, .n_fields = 1},
        {.name = "confirm_processed_parentchain_block",
         .index = 1,
         .fields = cppb_f,
         .n_fields = 4},
        {.name = "shield_funds", .index = 2, .fields = shield_f, .n_fields = 3},
        {.name = "unshield_funds", .index = 3, .fields = unshield_f, .n_fields = 4},
        {.name = "publish_hash", .index = 4, .fields = ph_f, .n_fields = 3},
        {.name = "update_shard_config", .index = 5, .fields = usc2_f, .n_fields = 3},
        {.name = "purge_enclave_from_shard_status", .index = 6, .fields = purge_f, .n_fields = 2}};
    uint32_t call = metadata_type_pallet_enum(b, "pallet_enclave_bridge::pallet::Call", "T", calls,
                                              METADATA_LEN(calls));
    struct metadata_field shard_f[] = {F(NULL, m->h256, sid)};
    struct metadata_field sf_f[] = {F("shard", m->h256, sid),
                                    F("encrypted_beneficiary", m->bytes, "Vec<u8>"),
                                    F("amount", m->u128t, "BalanceOf<T>")};
    struct metadata_field uf_f[] = {F("shard", m->h256, sid),
                                    F("beneficiary", m->acc, "T::AccountId"),
                                    F("amount", m->u128t, "BalanceOf<T>")};
    struct metadata_field ppb_f[] = {F("shard", m->h256, sid), F("block_hash", m->h256, "H256"),
                                     F("trusted_calls_merkle_root", m->h256, "H256"),
                                     F("block_number", m->u32t, "BlockNumberFor<T>")};
    struct metadata_field phe_f[] = {F("enclave_fingerprint", m->h256, "EnclaveFingerprint"),
                                     F("hash", m->h256, "H256"), F("data", m->bytes, "Vec<u8>")};
    struct metadata_variant evs[] = {
        {.name = "IndirectInvocationRegistered", .index = 0, .fields = shard_f, .n_fields = 1},
        {.name = "ShieldFunds", .index = 1, .fields = sf_f, .n_fields = 3},
        {.name = "UnshieldedFunds", .index = 2, .fields = uf_f, .n_fields = 3},
        {.name = "ProcessedParentchainBlock", .index = 3, .fields = ppb_f, .n_fields = 4},
        {.name = "PublishedHash", .index = 4, .fields = phe_f, .n_fields = 3},
        {.name = "ShardConfigUpdated", .index = 5, .fields = shard_f, .n_fields = 1},
        {.name = "PurgedEnclaveFromShardConfig", .index = 6, .fields = purge_f, .n_fields = 2}};
    uint32_t event = metadata_type_pallet_enum(b, "pallet_enclave_bridge::pallet::Event", "T", evs,
                                               METADATA_LEN(evs));
    static const char *const errs[] = {
        "WrongFingerprintForShard",     "TooManyTopics", "DataTooLong", "TooManyEnclaves",
        "EnclaveNotFoundInShardStatus", "ShardNotFound"};
    uint32_t error = metadata_type_unit_enum(b, "pallet_enclave_bridge::pallet::Error", "T", errs,
                                             METADATA_LEN(errs));
    uint8_t b2c = METADATA_BLAKE2_128_CONCAT;
    struct metadata_storage_entry st[] = {{.name = "ShardStatus",
                                           .modifier = METADATA_OPTIONAL,
                                           .hashers = &b2c,
                                           .n_hashers = 1,
                                           .key = m->h256,
                                           .value = metadata_type_vec(b, signer_status)},
                                          {.name = "ShardConfigRegistry",
                                           .modifier = METADATA_OPTIONAL,
                                           .hashers = &b2c,
                                           .n_hashers = 1,
                                           .key = m->h256,
                                           .value = upgradable},
                                          {.name = "ExecutedUnshieldCalls",
                                           .modifier = METADATA_DEFAULT,
                                           .hashers = &b2c,
                                           .n_hashers = 1,
                                           .key = m->h256,
                                           .value = m->u64t}};
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "EnclaveBridge",
                                                     .index = RT_PALLET_ENCLAVE_BRIDGE,
                                                     .storage_prefix = "EnclaveBridge",
                                                     .storage = st,
                                                     .n_storage = 3,
                                                     .calls = call,
                                                     .events = event,
                                                     .errors = error});
    rows_add(m, "EnclaveBridge", RT_PALLET_ENCLAVE_BRIDGE, call, event, error);
}

/* ---- outer enums, extrinsic, runtime APIs ---- */

/* Defines a reserved outer enum (RuntimeCall / RuntimeEvent) from collected rows. */
static void outer_define(struct rtm *m, uint32_t id, const char *path,
                         const struct metadata_outer_entry *rows, size_t n, bool is_call)
{
    struct metadata_variant v[MAX_ROWS];
    struct metadata_field f[MAX_ROWS];
    char names[MAX_ROWS][192];
    for (size_t i = 0; i < n; i++) {
        if (is_call) {
            (void)snprintf(names[i], sizeof(names[i]),
                           "self::sp_api_hidden_includes_construct_runtime::hidden_include::"
                           "dispatch::CallableCallFor<%s, Runtime>",
                           rows[i].pallet);
        } else {
            const struct metadata_type *t = metadata_type_get(m->b, rows[i].ty);
            const char *p = t != NULL && t->path != NULL ? t->path : "";
            const char *sep = strstr(p, "::");
            int len = sep != NULL ? (int)(sep - p) : (int)strlen(p);
            (void)snprintf(names[i], sizeof(names[i]), "%.*s::Event<Runtime>", len, p);
        }
        f[i] = (struct metadata_field){.ty = rows[i].ty, .type_name = names[i]};
        v[i] = (struct metadata_variant){
            .name = rows[i].pallet, .index = rows[i].index, .fields = &f[i], .n_fields = 1};
    }
    metadata_type_define(
        m->b, id,
        &(struct metadata_type){
            .path = path, .def = METADATA_DEF_VARIANT, .variants = v, .n_variants = n});
}

/* Signed extensions in wire order (chain/extrinsic.h), CheckMetadataHash last. */
static uint32_t extrinsic(struct rtm *m, uint32_t *extra_out)
{
    struct metadata_builder *b = m->b;
    uint32_t era = metadata_type_era(b);
    uint32_t sig = metadata_type_multi_signature(b);
    static const char *const modes[] = {"Disabled", "Enabled"};
    uint32_t mode =
        metadata_type_unit_enum(b, "frame_metadata_hash_extension::Mode", NULL, modes, 2);
    uint32_t opt_hash = metadata_type_option(b, metadata_type_array(b, 32, m->u8t));
    struct metadata_field era_f[] = {F(NULL, era, "Era")};
    struct metadata_field nonce_f[] = {F(NULL, m->cu32, "T::Nonce")};
    struct metadata_field tip_f[] = {F(NULL, m->cu128, "BalanceOf<T>")};
    struct metadata_field mode_f[] = {F("mode", mode, "Mode")};
    struct metadata_param tp[] = {{"T", METADATA_TY_NONE}};
    struct {
        const char *id, *path;
        const struct metadata_field *f;
        size_t nf;
        uint32_t add;
    } ext[] = {
        {"CheckNonZeroSender",
         "frame_system::extensions::check_non_zero_sender::CheckNonZeroSender", NULL, 0, m->unit},
        {"CheckSpecVersion", "frame_system::extensions::check_spec_version::CheckSpecVersion", NULL,
         0, m->u32t},
        {"CheckTxVersion", "frame_system::extensions::check_tx_version::CheckTxVersion", NULL, 0,
         m->u32t},
        {"CheckGenesis", "frame_system::extensions::check_genesis::CheckGenesis", NULL, 0, m->h256},
        {"CheckMortality", "frame_system::extensions::check_mortality::CheckMortality", era_f, 1,
         m->h256},
        {"CheckNonce", "frame_system::extensions::check_nonce::CheckNonce", nonce_f, 1, m->unit},
        {"CheckWeight", "frame_system::extensions::check_weight::CheckWeight", NULL, 0, m->unit},
        {"ChargeTransactionPayment", "pallet_transaction_payment::ChargeTransactionPayment", tip_f,
         1, m->unit},
        {"CheckMetadataHash", "frame_metadata_hash_extension::CheckMetadataHash", mode_f, 1,
         opt_hash},
    };
    enum { N_EXT = sizeof(ext) / sizeof(ext[0]) };
    struct metadata_signed_ext sx[N_EXT];
    uint32_t ids[N_EXT];
    for (size_t i = 0; i < N_EXT; i++) {
        ids[i] = metadata_type_composite(b, ext[i].path, tp, 1, ext[i].f, ext[i].nf);
        sx[i] = (struct metadata_signed_ext){ext[i].id, ids[i], ext[i].add};
    }
    uint32_t extra = metadata_type_tuple(b, ids, N_EXT);
    struct metadata_param ux_p[] = {
        {"Address", m->addr}, {"Call", m->call}, {"Signature", sig}, {"Extra", extra}};
    struct metadata_field ux_f[] = {F(NULL, m->bytes, NULL)};
    uint32_t uxt = metadata_type_composite(
        b, "sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic", ux_p, 4, ux_f, 1);
    metadata_extrinsic_set(
        b, &(struct metadata_extrinsic){.ty = uxt, .version = 4, .exts = sx, .n_exts = N_EXT});
    *extra_out = extra;
    return uxt;
}

static void apis(struct rtm *m, uint32_t uxt)
{
    struct metadata_builder *b = m->b;
    uint32_t rv = metadata_type_find(b, "sp_version::RuntimeVersion");
    struct metadata_field om_f[] = {F(NULL, m->bytes, "Vec<u8>")};
    uint32_t opaque = metadata_type_composite(b, "sp_core::OpaqueMetadata", NULL, 0, om_f, 1);
    uint32_t opt_opaque = metadata_type_option(b, opaque);
    uint32_t vec_u32 = metadata_type_vec(b, m->u32t);
    /* TransactionValidity */
    static const char *const src[] = {"InBlock", "Local", "External"};
    uint32_t source = metadata_type_unit_enum(
        b, "sp_runtime::transaction_validity::TransactionSource", NULL, src, 3);
    uint32_t vbytes = metadata_type_vec(b, m->bytes);
    struct metadata_field vt_f[] = {
        F("priority", m->u64t, "TransactionPriority"), F("requires", vbytes, "Vec<TransactionTag>"),
        F("provides", vbytes, "Vec<TransactionTag>"),
        F("longevity", m->u64t, "TransactionLongevity"), F("propagate", m->boolt, "bool")};
    uint32_t valid = metadata_type_composite(
        b, "sp_runtime::transaction_validity::ValidTransaction", NULL, 0, vt_f, 5);
    struct metadata_field custom_f[] = {F(NULL, m->u8t, "u8")};
    struct metadata_variant inv_v[] = {
        {.name = "Call", .index = 0},
        {.name = "Payment", .index = 1},
        {.name = "Future", .index = 2},
        {.name = "Stale", .index = 3},
        {.name = "BadProof", .index = 4},
        {.name = "AncientBirthBlock", .index = 5},
        {.name = "ExhaustsResources", .index = 6},
        {.name = "Custom", .index = 7, .fields = custom_f, .n_fields = 1},
        {.name = "BadMandatory", .index = 8},
        {.name = "MandatoryValidation", .index = 9},
        {.name = "BadSigner", .index = 10},
        {.name = "IndeterminateImplicit", .index = 11},
        {.name = "UnknownOrigin", .index = 12}};
    uint32_t invalid = metadata_type_variant(
        b, "sp_runtime::transaction_validity::InvalidTransaction", NULL, 0, inv_v, 13);
    struct metadata_variant unk_v[] = {
        {.name = "CannotLookup", .index = 0},
        {.name = "NoUnsignedValidator", .index = 1},
        {.name = "Custom", .index = 2, .fields = custom_f, .n_fields = 1}};
    uint32_t unknown = metadata_type_variant(
        b, "sp_runtime::transaction_validity::UnknownTransaction", NULL, 0, unk_v, 3);
    struct metadata_field inv_f[] = {F(NULL, invalid, "InvalidTransaction")};
    struct metadata_field unk_f[] = {F(NULL, unknown, "UnknownTransaction")};
    struct metadata_variant tve_v[] = {
        {.name = "Invalid", .index = 0, .fields = inv_f, .n_fields = 1},
        {.name = "Unknown", .index = 1, .fields = unk_f, .n_fields = 1}};
    uint32_t tve = metadata_type_variant(
        b, "sp_runtime::transaction_validity::TransactionValidityError", NULL, 0, tve_v, 2);
    uint32_t validity = metadata_type_result(b, valid, tve);
    /* RuntimeDispatchInfo, FeeDetails */
    uint32_t dclass = metadata_type_find(b, "frame_support::dispatch::DispatchClass");
    struct metadata_param rdi_p[] = {{"Balance", m->u128t}, {"Weight", m->weight}};
    struct metadata_field rdi_f[] = {F("weight", m->weight, "Weight"),
                                     F("class", dclass, "DispatchClass"),
                                     F("partial_fee", m->u128t, "Balance")};
    uint32_t rdi = metadata_type_composite(
        b, "pallet_transaction_payment::types::RuntimeDispatchInfo", rdi_p, 2, rdi_f, 3);
    struct metadata_param bp[] = {{"Balance", m->u128t}};
    struct metadata_field inc_f[] = {F("base_fee", m->u128t, "Balance"),
                                     F("len_fee", m->u128t, "Balance"),
                                     F("adjusted_weight_fee", m->u128t, "Balance")};
    uint32_t inc = metadata_type_composite(b, "pallet_transaction_payment::types::InclusionFee", bp,
                                           1, inc_f, 3);
    struct metadata_field fd_f[] = {
        F("inclusion_fee", metadata_type_option(b, inc), "Option<InclusionFee<Balance>>")};
    uint32_t fee_details =
        metadata_type_composite(b, "pallet_transaction_payment::types::FeeDetails", bp, 1, fd_f, 1);
    /* consensus */
    uint32_t aura_auth = metadata_type_find(b, "sp_consensus_aura::sr25519::app_sr25519::Public");
    uint32_t gp_auth = metadata_type_find(b, "sp_consensus_grandpa::app::Public");
    uint32_t gp_el[] = {gp_auth, m->u64t};
    uint32_t gp_list = metadata_type_vec(b, metadata_type_tuple(b, gp_el, 2));
    struct metadata_field sd_f[] = {F(NULL, m->u64t, "u64")};
    uint32_t slot_dur =
        metadata_type_composite(b, "sp_consensus_slots::SlotDuration", NULL, 0, sd_f, 1);

    struct metadata_api_param ver_in[] = {{"version", m->u32t}};
    struct metadata_api_param acc_in[] = {{"account", m->acc}};
    struct metadata_api_param vt_in[] = {{"source", source}, {"tx", uxt}, {"block_hash", m->h256}};
    struct metadata_api_param qi_in[] = {{"uxt", uxt}, {"len", m->u32t}};
    struct metadata_api_param w_in[] = {{"weight", m->weight}};
    struct metadata_api_param l_in[] = {{"length", m->u32t}};
    struct metadata_api_method core[] = {{.name = "version", .output = rv}};
    struct metadata_api_method meta[] = {
        {.name = "metadata", .output = opaque},
        {.name = "metadata_at_version", .inputs = ver_in, .n_inputs = 1, .output = opt_opaque},
        {.name = "metadata_versions", .output = vec_u32}};
    struct metadata_api_method ttq[] = {
        {.name = "validate_transaction", .inputs = vt_in, .n_inputs = 3, .output = validity}};
    struct metadata_api_method nonce[] = {
        {.name = "account_nonce", .inputs = acc_in, .n_inputs = 1, .output = m->u32t}};
    struct metadata_api_method tp[] = {
        {.name = "query_info", .inputs = qi_in, .n_inputs = 2, .output = rdi},
        {.name = "query_fee_details", .inputs = qi_in, .n_inputs = 2, .output = fee_details},
        {.name = "query_weight_to_fee", .inputs = w_in, .n_inputs = 1, .output = m->u128t},
        {.name = "query_length_to_fee", .inputs = l_in, .n_inputs = 1, .output = m->u128t}};
    struct metadata_api_method aura[] = {
        {.name = "slot_duration", .output = slot_dur},
        {.name = "authorities", .output = metadata_type_vec(b, aura_auth)}};
    struct metadata_api_method gp[] = {{.name = "grandpa_authorities", .output = gp_list},
                                       {.name = "current_set_id", .output = m->u64t}};
    struct metadata_api list[] = {
        {.name = "Core", .methods = core, .n_methods = 1},
        {.name = "Metadata", .methods = meta, .n_methods = 3},
        {.name = "TaggedTransactionQueue", .methods = ttq, .n_methods = 1},
        {.name = "AuraApi", .methods = aura, .n_methods = 2},
        {.name = "GrandpaApi", .methods = gp, .n_methods = 2},
        {.name = "AccountNonceApi", .methods = nonce, .n_methods = 1},
        {.name = "TransactionPaymentApi", .methods = tp, .n_methods = 4}};
    for (size_t i = 0; i < METADATA_LEN(list); i++)
        metadata_api_add(b, &list[i]);
}

static void describe(struct rtm *m)
{
    struct metadata_builder *b = m->b;
    m->u8t = metadata_type_u8(b);
    m->u16t = metadata_type_u16(b);
    m->u32t = metadata_type_u32(b);
    m->u64t = metadata_type_u64(b);
    m->u128t = metadata_type_u128(b);
    m->boolt = metadata_type_bool(b);
    m->strt = metadata_type_str(b);
    m->bytes = metadata_type_bytes(b);
    m->unit = metadata_type_unit(b);
    m->cu32 = metadata_type_compact(b, m->u32t);
    m->cu64 = metadata_type_compact(b, m->u64t);
    m->cu128 = metadata_type_compact(b, m->u128t);
    m->acc = metadata_type_account_id32(b);
    m->h256 = metadata_type_h256(b);
    m->addr = metadata_type_multi_address(b, m->acc, m->unit);
    m->weight = metadata_type_weight(b);
    m->dinfo = metadata_type_dispatch_info(b);
    m->derr = metadata_type_dispatch_error(b, true);
    m->dresult = metadata_type_result(b, m->unit, m->derr);
    m->opt_acc = metadata_type_option(b, m->acc);
    m->call = metadata_type_reserve(b, RT_METADATA_RUNTIME_CRATE "::RuntimeCall", NULL, 0);
    m->vec_call = metadata_type_vec(b, m->call);
    m->event = metadata_type_reserve(b, RT_METADATA_RUNTIME_CRATE "::RuntimeEvent", NULL, 0);

    pallet_system(m);
    pallet_timestamp(m);
    pallet_sudo(m);
    pallet_proxy(m);
    pallet_utility(m);
    pallet_balances(m);
    pallet_transaction_payment(m);
    pallet_aura(m);
    pallet_grandpa(m);
    pallet_teerex(m);
    pallet_teeracle(m);
    pallet_sidechain(m);
    pallet_enclave_bridge(m);

    outer_define(m, m->call, RT_METADATA_RUNTIME_CRATE "::RuntimeCall", m->calls, m->n_calls, true);
    outer_define(m, m->event, RT_METADATA_RUNTIME_CRATE "::RuntimeEvent", m->events, m->n_events,
                 false);
    uint32_t rt_error = metadata_type_outer_enum(b, RT_METADATA_RUNTIME_CRATE, METADATA_OUTER_ERROR,
                                                 m->errors, m->n_errors);
    uint32_t extra = METADATA_TY_NONE;
    uint32_t uxt = extrinsic(m, &extra);
    (void)extra;
    uint32_t runtime =
        metadata_type_composite(b, RT_METADATA_RUNTIME_CRATE "::Runtime", NULL, 0, NULL, 0);
    metadata_runtime_type_set(b, runtime);
    metadata_outer_enums_set(b, m->call, m->event, rt_error);
    apis(m, uxt);
}

enum itee_err rt_metadata_build(struct metadata_builder **out)
{
    *out = NULL;
    struct rtm m;
    memset(&m, 0, sizeof(m));
    enum itee_err e = metadata_builder_new(&m.b);
    if (e != ITEE_OK)
        return e;
    describe(&m);
    e = m.err != ITEE_OK ? m.err : metadata_builder_status(m.b);
    if (e != ITEE_OK) {
        metadata_builder_free(m.b);
        return e;
    }
    *out = m.b;
    return ITEE_OK;
}

enum itee_err rt_metadata_v14(const struct metadata_builder *b, struct itee_buf *out)
{
    return metadata_encode_v14(b, out);
}

enum itee_err rt_metadata_at_version(const struct metadata_builder *b, uint32_t version,
                                     struct itee_buf *out)
{
    return metadata_encode_at_version(b, version, out);
}

enum itee_err rt_metadata_versions(const struct metadata_builder *b, struct itee_buf *out)
{
    return metadata_encode_versions(b, out);
}
