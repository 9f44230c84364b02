/*
 * metadata_mini.h - the spec's minimal metadata (substrate-compat.md 8.6) described with the
 * metadata builder; included by tests/unit/test_metadata.c (byte-for-byte check against
 * tests/vectors/mini-metadata-v14.hex) and tests/conformance/driver_metadata.c (served to
 * polkadot-js). It is also the worked example of how a runtime describes its pallets.
 */
#ifndef ITEE_TEST_METADATA_MINI_H
#define ITEE_TEST_METADATA_MINI_H

#include "chain/metadata.h"

/* Describes the mini runtime into b; errors are left in b (metadata_builder_status). */
static void metadata_mini_build(struct metadata_builder *b)
{
    /* ids 0..16: primitives and anonymous types, in the vector's order */
    uint32_t u8t = metadata_type_u8(b), u16t = metadata_type_u16(b), u32t = metadata_type_u32(b);
    uint32_t u64t = metadata_type_u64(b), u128t = metadata_type_u128(b);
    (void)metadata_type_bool(b);
    uint32_t a32 = metadata_type_array(b, 32, u8t);
    (void)metadata_type_array(b, 20, u8t);
    (void)metadata_type_array(b, 4, u8t);
    (void)metadata_type_array(b, 64, u8t);
    (void)metadata_type_array(b, 65, u8t);
    uint32_t bytes = metadata_type_bytes(b);
    uint32_t unit = metadata_type_unit(b);
    uint32_t cu32 = metadata_type_compact(b, u32t);
    (void)metadata_type_compact(b, u64t);
    uint32_t cu128 = metadata_type_compact(b, u128t);
    (void)metadata_type_compact(b, unit);
    (void)a32;

    /* 17..22: accounts */
    uint32_t acc = metadata_type_account_id32(b);
    uint32_t h256 = metadata_type_h256(b);
    uint32_t topics = metadata_type_vec(b, h256);
    (void)topics;
    struct metadata_field flags_f[] = {{.ty = u128t, .type_name = "u128"}};
    uint32_t flags =
        metadata_type_composite(b, "pallet_balances::types::ExtraFlags", NULL, 0, flags_f, 1);
    struct metadata_param ad_p[] = {{"Balance", u128t}};
    struct metadata_field ad_f[] = {{.name = "free", .ty = u128t, .type_name = "Balance"},
                                    {.name = "reserved", .ty = u128t, .type_name = "Balance"},
                                    {.name = "frozen", .ty = u128t, .type_name = "Balance"},
                                    {.name = "flags", .ty = flags, .type_name = "ExtraFlags"}};
    uint32_t account_data =
        metadata_type_composite(b, "pallet_balances::types::AccountData", ad_p, 1, ad_f, 4);
    struct metadata_param ai_p[] = {{"Nonce", u32t}, {"AccountData", account_data}};
    struct metadata_field ai_f[] = {
        {.name = "nonce", .ty = u32t, .type_name = "Nonce"},
        {.name = "consumers", .ty = u32t, .type_name = "RefCount"},
        {.name = "providers", .ty = u32t, .type_name = "RefCount"},
        {.name = "sufficients", .ty = u32t, .type_name = "RefCount"},
        {.name = "data", .ty = account_data, .type_name = "AccountData"}};
    uint32_t account_info =
        metadata_type_composite(b, "frame_system::AccountInfo", ai_p, 2, ai_f, 5);

    /* 23..28: calls and the extrinsic's parts */
    uint32_t addr = metadata_type_multi_address(b, acc, unit);
    struct metadata_field remark_f[] = {{.name = "remark", .ty = bytes, .type_name = "Vec<u8>"}};
    struct metadata_variant sys_calls[] = {
        {.name = "remark", .index = 0, .fields = remark_f, .n_fields = 1}};
    uint32_t sys_call = metadata_type_pallet_enum(b, "frame_system::pallet::Call", "T", sys_calls,
                                                  METADATA_LEN(sys_calls));
    struct metadata_field xfer_f[] = {
        {.name = "dest", .ty = addr, .type_name = "AccountIdLookupOf<T>"},
        {.name = "value", .ty = cu128, .type_name = "T::Balance"}};
    struct metadata_variant bal_calls[] = {
        {.name = "transfer_allow_death", .index = 0, .fields = xfer_f, .n_fields = 2},
        {.name = "transfer_keep_alive", .index = 3, .fields = xfer_f, .n_fields = 2}};
    uint32_t bal_call = metadata_type_pallet_enum(b, "pallet_balances::pallet::Call", "T,I",
                                                  bal_calls, METADATA_LEN(bal_calls));
    struct metadata_outer_entry call_rows[] = {{"System", 0, sys_call}, {"Balances", 4, bal_call}};
    uint32_t runtime_call = metadata_type_outer_enum(b, "mini_runtime", METADATA_OUTER_CALL,
                                                     call_rows, METADATA_LEN(call_rows));
    uint32_t sig = metadata_type_multi_signature(b);
    uint32_t era = metadata_type_era(b);

    /* 29..38: signed extensions and the UncheckedExtrinsic */
    struct metadata_field era_f[] = {{.ty = era, .type_name = "Era"}};
    struct metadata_field nonce_f[] = {{.ty = cu32, .type_name = "T::Nonce"}};
    struct metadata_field tip_f[] = {{.ty = cu128, .type_name = "BalanceOf<T>"}};
    struct metadata_param tp[] = {{"T", METADATA_TY_NONE}};
    struct {
        const char *id;                 /* identifier */
        const char *path;               /* type path */
        const struct metadata_field *f; /* fields */
        size_t nf;                      /* number of fields */
        uint32_t add;                   /* additional_signed */
    } ext[] = {
        {"CheckNonZeroSender",
         "frame_system::extensions::check_non_zero_sender::CheckNonZeroSender", NULL, 0, unit},
        {"CheckSpecVersion", "frame_system::extensions::check_spec_version::CheckSpecVersion", NULL,
         0, u32t},
        {"CheckTxVersion", "frame_system::extensions::check_tx_version::CheckTxVersion", NULL, 0,
         u32t},
        {"CheckGenesis", "frame_system::extensions::check_genesis::CheckGenesis", NULL, 0, h256},
        {"CheckMortality", "frame_system::extensions::check_mortality::CheckMortality", era_f, 1,
         h256},
        {"CheckNonce", "frame_system::extensions::check_nonce::CheckNonce", nonce_f, 1, unit},
        {"CheckWeight", "frame_system::extensions::check_weight::CheckWeight", NULL, 0, unit},
        {"ChargeTransactionPayment", "pallet_transaction_payment::ChargeTransactionPayment", tip_f,
         1, unit},
    };
    struct metadata_signed_ext sx[8];
    uint32_t ext_ids[8];
    for (size_t i = 0; i < 8; i++) {
        ext_ids[i] = metadata_type_composite(b, ext[i].path, tp, 1, ext[i].f, ext[i].nf);
        sx[i] = (struct metadata_signed_ext){ext[i].id, ext_ids[i], ext[i].add};
    }
    uint32_t extra = metadata_type_tuple(b, ext_ids, 8);
    struct metadata_param ux_p[] = {
        {"Address", addr}, {"Call", runtime_call}, {"Signature", sig}, {"Extra", extra}};
    struct metadata_field ux_f[] = {{.ty = bytes}};
    uint32_t uxt = metadata_type_composite(
        b, "sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic", ux_p, 4, ux_f, 1);

    /* 39..47: events */
    uint32_t dinfo = metadata_type_dispatch_info(b);
    uint32_t derr = metadata_type_dispatch_error(b, false);
    struct metadata_field ok_f[] = {
        {.name = "dispatch_info", .ty = dinfo, .type_name = "DispatchInfo"}};
    struct metadata_field fail_f[] = {
        {.name = "dispatch_error", .ty = derr, .type_name = "DispatchError"},
        {.name = "dispatch_info", .ty = dinfo, .type_name = "DispatchInfo"}};
    struct metadata_field acc_f[] = {{.name = "account", .ty = acc, .type_name = "T::AccountId"}};
    struct metadata_variant sys_ev[] = {
        {.name = "ExtrinsicSuccess", .index = 0, .fields = ok_f, .n_fields = 1},
        {.name = "ExtrinsicFailed", .index = 1, .fields = fail_f, .n_fields = 2},
        {.name = "CodeUpdated", .index = 2},
        {.name = "NewAccount", .index = 3, .fields = acc_f, .n_fields = 1},
        {.name = "KilledAccount", .index = 4, .fields = acc_f, .n_fields = 1}};
    uint32_t sys_event = metadata_type_pallet_enum(b, "frame_system::pallet::Event", "T", sys_ev,
                                                   METADATA_LEN(sys_ev));
    struct metadata_field endowed_f[] = {
        {.name = "account", .ty = acc, .type_name = "T::AccountId"},
        {.name = "free_balance", .ty = u128t, .type_name = "T::Balance"}};
    struct metadata_field transfer_f[] = {
        {.name = "from", .ty = acc, .type_name = "T::AccountId"},
        {.name = "to", .ty = acc, .type_name = "T::AccountId"},
        {.name = "amount", .ty = u128t, .type_name = "T::Balance"}};
    struct metadata_field withdraw_f[] = {
        {.name = "who", .ty = acc, .type_name = "T::AccountId"},
        {.name = "amount", .ty = u128t, .type_name = "T::Balance"}};
    struct metadata_variant bal_ev[] = {
        {.name = "Endowed", .index = 0, .fields = endowed_f, .n_fields = 2},
        {.name = "Transfer", .index = 2, .fields = transfer_f, .n_fields = 3},
        {.name = "Withdraw", .index = 8, .fields = withdraw_f, .n_fields = 2}};
    uint32_t bal_event = metadata_type_pallet_enum(b, "pallet_balances::pallet::Event", "T,I",
                                                   bal_ev, METADATA_LEN(bal_ev));
    struct metadata_outer_entry ev_rows[] = {{"System", 0, sys_event}, {"Balances", 4, bal_event}};
    uint32_t runtime_event = metadata_type_outer_enum(b, "mini_runtime", METADATA_OUTER_EVENT,
                                                      ev_rows, METADATA_LEN(ev_rows));

    /* 48..53: event records, errors, the runtime */
    uint32_t phase = metadata_type_phase(b);
    struct metadata_param er_p[] = {{"E", runtime_event}, {"T", h256}};
    struct metadata_field er_f[] = {{.name = "phase", .ty = phase, .type_name = "Phase"},
                                    {.name = "event", .ty = runtime_event, .type_name = "E"},
                                    {.name = "topics", .ty = topics, .type_name = "Vec<T>"}};
    uint32_t record = metadata_type_composite(b, "frame_system::EventRecord", er_p, 2, er_f, 3);
    uint32_t records = metadata_type_vec(b, record);
    static const char *const sys_errs[] = {"InvalidSpecName", "SpecVersionNeedsToIncrease"};
    uint32_t sys_error = metadata_type_unit_enum(b, "frame_system::pallet::Error", "T", sys_errs,
                                                 METADATA_LEN(sys_errs));
    static const char *const bal_errs[] = {"VestingBalance", "LiquidityRestrictions",
                                           "InsufficientBalance", "ExistentialDeposit",
                                           "Expendability"};
    uint32_t bal_error = metadata_type_unit_enum(b, "pallet_balances::pallet::Error", "T,I",
                                                 bal_errs, METADATA_LEN(bal_errs));
    uint32_t runtime = metadata_type_composite(b, "mini_runtime::Runtime", NULL, 0, NULL, 0);

    /* pallets: storage defaults are computed (zero values of their types) */
    uint8_t b2c = METADATA_BLAKE2_128_CONCAT, t64 = METADATA_TWOX64_CONCAT;
    struct metadata_storage_entry sys_st[] = {
        {.name = "Account",
         .modifier = METADATA_DEFAULT,
         .hashers = &b2c,
         .n_hashers = 1,
         .key = acc,
         .value = account_info},
        {.name = "BlockHash",
         .modifier = METADATA_DEFAULT,
         .hashers = &t64,
         .n_hashers = 1,
         .key = u32t,
         .value = h256},
        {.name = "Number", .modifier = METADATA_DEFAULT, .value = u32t},
        {.name = "ParentHash", .modifier = METADATA_DEFAULT, .value = h256},
        {.name = "Events", .modifier = METADATA_DEFAULT, .value = records}};
    static const uint8_t bhc[] = {0x60, 0x09, 0, 0}, ss58[] = {0x2a, 0};
    struct metadata_constant sys_c[] = {
        {.name = "BlockHashCount", .ty = u32t, .value = bhc, .value_len = sizeof(bhc)},
        {.name = "SS58Prefix", .ty = u16t, .value = ss58, .value_len = sizeof(ss58)}};
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "System",
                                                     .index = 0,
                                                     .storage_prefix = "System",
                                                     .storage = sys_st,
                                                     .n_storage = METADATA_LEN(sys_st),
                                                     .calls = sys_call,
                                                     .events = sys_event,
                                                     .errors = sys_error,
                                                     .constants = sys_c,
                                                     .n_constants = METADATA_LEN(sys_c)});
    struct metadata_storage_entry bal_st[] = {
        {.name = "TotalIssuance", .modifier = METADATA_DEFAULT, .value = u128t}};
    static const uint8_t ed[16] = {0xe8, 0x03};
    struct metadata_constant bal_c[] = {
        {.name = "ExistentialDeposit", .ty = u128t, .value = ed, .value_len = sizeof(ed)}};
    metadata_pallet_add(b, &(struct metadata_pallet){.name = "Balances",
                                                     .index = 4,
                                                     .storage_prefix = "Balances",
                                                     .storage = bal_st,
                                                     .n_storage = 1,
                                                     .calls = bal_call,
                                                     .events = bal_event,
                                                     .errors = bal_error,
                                                     .constants = bal_c,
                                                     .n_constants = 1});
    metadata_extrinsic_set(
        b, &(struct metadata_extrinsic){.ty = uxt, .version = 4, .exts = sx, .n_exts = 8});
    metadata_runtime_type_set(b, runtime);
}

#endif
