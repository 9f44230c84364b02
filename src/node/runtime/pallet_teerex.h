/*
 * pallet_teerex.h - pallet-teerex (runtime index 50), the registry of attested enclaves
 * (spec parentchain-pallets §3; integritee-network/pallets c3ac6c1, storage version 2).
 *
 * Calls (all signed unless noted, Normal, Pays::Yes):
 *   0 register_sgx_enclave(proof: Vec<u8>, worker_url: Option<Vec<u8>>,
 *                          attestation_method: SgxAttestationMethod)
 *   1 unregister_sovereign_enclave(enclave_signer: AccountId)
 *   2 unregister_proxied_enclave(address: EnclaveInstanceAddress<AccountId>)
 *   3 register_quoting_enclave(enclave_identity: Vec<u8>, signature: Vec<u8>,
 *                              certificate_chain: Vec<u8>)
 *   4 register_tcb_info(tcb_info: Vec<u8>, signature: Vec<u8>, certificate_chain: Vec<u8>)
 *   5 set_security_flags(allow_skipping_attestation: bool, sgx_allow_debug_mode: bool) (Root)
 *
 * NOT SUPPORTED YET (remote attestation verification is another issue) — these fail with a
 * Module error and never fake success:
 *   - register_sgx_enclave with Ias or Dcap -> RemoteAttestationVerificationFailed (2)
 *     (after the proof / URL length checks, which run first as in the original);
 *   - register_quoting_enclave, register_tcb_info -> CollateralIsInvalid (9).
 * Skip{proxied} works as §3.5: only with AllowSkippingAttestation == true (dev/local genesis),
 * report_data = sender || 32 zero bytes, mr_enclave = proof[0..32] (zero if proof < 32 bytes),
 * mr_signer = 0, timestamp = Timestamp.Now, build_mode Production, status Invalid.
 *
 * Events (pallet 50):
 *   0 AddedSgxEnclave{registered_by: AccountId, worker_url: Option<Vec<u8>>,
 *                     tcb_status: Option<SgxStatus>, attestation_method: SgxAttestationMethod}
 *   1 RemovedSovereignEnclave(AccountId)
 *   2 RemovedProxiedEnclave(EnclaveInstanceAddress<AccountId>)
 *   3 SgxTcbInfoRegistered{fmspc: [u8;6], on_chain_info: SgxTcbInfoOnChain}   (never emitted yet)
 *   4 SgxQuotingEnclaveRegistered{quoting_enclave: SgxQuotingEnclave}        (never emitted yet)
 *   5 UpdatedSecurityFlags{allow_skipping_attestation: bool, sgx_allow_debug_mode: bool}
 * Errors: enum pallet_teerex_error below (54 variants, 0..53; 14 OtherSgxVerifyError carries a
 * nested u8 in the original type and is never produced).
 *
 * Storage (prefix "Teerex"):
 *   SovereignEnclaves: map Blake2_128Concat(AccountId) -> MultiEnclave<Vec<u8>>   (OptionQuery)
 *   ProxiedEnclaves: map Blake2_128Concat(EnclaveInstanceAddress<AccountId>)
 *                    -> MultiEnclave<Vec<u8>>                                     (OptionQuery)
 *   SgxQuotingEnclaveRegistry: value SgxQuotingEnclave (ValueQuery, default zeros; never written)
 *   SgxTcbInfo: map Blake2_128Concat([u8;6] fmspc) -> SgxTcbInfoOnChain (OptionQuery; never
 * written) SgxAllowDebugMode: value bool (ValueQuery, default false; genesis dev/local: true)
 *   AllowSkippingAttestation: value bool (ValueQuery, default false; genesis dev/local: true)
 * Constants: MomentsPerDay: u64 = 86_400_000, MaxAttestationRenewalPeriod: u64 = 172_800_000.
 *
 * Types (SCALE, fields in order; spec §2):
 *   MultiEnclave<Url> = enum { Sgx(SgxEnclave<Url>) = 0 }
 *   SgxEnclave<Url> { report_data: SgxReportData{d: [u8;64]}, mr_enclave: [u8;32],
 *       mr_signer: [u8;32], timestamp: u64, url: Option<Url>, build_mode: SgxBuildMode,
 *       attestation_method: SgxAttestationMethod, status: SgxStatus }
 *   SgxBuildMode = enum { Debug = 0, Production = 1 }
 *   SgxAttestationMethod = enum { Skip{proxied: bool} = 0, Ias = 1, Dcap{proxied: bool} = 2 }
 *   SgxStatus = enum { Invalid, Ok, GroupOutOfDate, GroupRevoked, ConfigurationNeeded }
 *   EnclaveInstanceAddress<AccountId> { fingerprint: H256, registrar: AccountId,
 *       signer: AnySigner }
 *   AnySigner = enum { Opaque(BoundedVec<u8, 66>) = 0, Known(MultiSigner) = 1 }
 *   MultiSigner = enum { Ed25519([u8;32]) = 0, Sr25519([u8;32]) = 1, Ecdsa([u8;33]) = 2 }
 *   QeTcb { isvsvn: u16 }; SgxQuotingEnclave { issue_date: u64, next_update: u64,
 *       miscselect: [u8;4], miscselect_mask: [u8;4], attributes: [u8;16],
 *       attributes_mask: [u8;16], mrsigner: [u8;32], isvprodid: u16, tcb: Vec<QeTcb> }
 *   TcbStatus = enum { Unknown, UpToDate, SWHardeningNeeded, ConfigurationAndSWHardeningNeeded,
 *       OutOfDate, OutOfDateConfigurationNeeded, Revoked }
 *   TcbVersionStatus { cpusvn: [u8;16], pcesvn: u16, tcb_status: TcbStatus }
 *   SgxTcbInfoOnChain { issue_date: u64, next_update: u64, tcb_levels: Vec<TcbVersionStatus> }
 */
#ifndef ITEE_PALLET_TEEREX_H
#define ITEE_PALLET_TEEREX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/scale.h"
#include "node/runtime/rt_ctx.h"

#define PALLET_TEEREX_MOMENTS_PER_DAY                86400000ULL
#define PALLET_TEEREX_MAX_ATTESTATION_RENEWAL_PERIOD 172800000ULL
/* SGX_RA_PROOF_MAX_LEN and the URL limit. */
#define PALLET_TEEREX_PROOF_MAX_LEN 5000u
#define PALLET_TEEREX_URL_MAX_LEN   256u
/* AnySigner::Opaque bound. */
#define PALLET_TEEREX_OPAQUE_SIGNER_MAX 66u
/* Longest encoded EnclaveInstanceAddress: 32 + 32 + 1 + compact(66) 2 + 66. */
#define PALLET_TEEREX_ADDRESS_MAX_LEN 133u

enum pallet_teerex_call {
    PALLET_TEEREX_CALL_REGISTER_SGX_ENCLAVE = 0,
    PALLET_TEEREX_CALL_UNREGISTER_SOVEREIGN_ENCLAVE = 1,
    PALLET_TEEREX_CALL_UNREGISTER_PROXIED_ENCLAVE = 2,
    PALLET_TEEREX_CALL_REGISTER_QUOTING_ENCLAVE = 3,
    PALLET_TEEREX_CALL_REGISTER_TCB_INFO = 4,
    PALLET_TEEREX_CALL_SET_SECURITY_FLAGS = 5,
};

enum pallet_teerex_event {
    PALLET_TEEREX_EV_ADDED_SGX_ENCLAVE = 0,
    PALLET_TEEREX_EV_REMOVED_SOVEREIGN_ENCLAVE = 1,
    PALLET_TEEREX_EV_REMOVED_PROXIED_ENCLAVE = 2,
    PALLET_TEEREX_EV_SGX_TCB_INFO_REGISTERED = 3,
    PALLET_TEEREX_EV_SGX_QUOTING_ENCLAVE_REGISTERED = 4,
    PALLET_TEEREX_EV_UPDATED_SECURITY_FLAGS = 5,
};

enum pallet_teerex_error {
    PALLET_TEEREX_ERR_ENCLAVE_SIGNER_DECODE_ERROR = 0,
    PALLET_TEEREX_ERR_SENDER_IS_NOT_ATTESTED_ENCLAVE = 1,
    PALLET_TEEREX_ERR_REMOTE_ATTESTATION_VERIFICATION_FAILED = 2,
    PALLET_TEEREX_ERR_REMOTE_ATTESTATION_IS_TOO_OLD = 3,
    PALLET_TEEREX_ERR_SGX_MODE_IS_NOT_ALLOWED = 4,
    PALLET_TEEREX_ERR_ENCLAVE_IS_NOT_REGISTERED = 5,
    PALLET_TEEREX_ERR_ENCLAVE_URL_IS_TOO_LONG = 6,
    PALLET_TEEREX_ERR_RA_PROOF_IS_TOO_LONG = 7,
    PALLET_TEEREX_ERR_EMPTY_ENCLAVE_REGISTRY = 8,
    PALLET_TEEREX_ERR_COLLATERAL_IS_INVALID = 9,
    PALLET_TEEREX_ERR_UNREGISTER_ACTIVE_ENCLAVE_IS_NOT_ALLOWED = 10,
    PALLET_TEEREX_ERR_SKIPPING_ATTESTATION_IS_NOT_ALLOWED = 11,
    PALLET_TEEREX_ERR_MISSING_TCB_INFO_FOR_FMSPC = 12,
    PALLET_TEEREX_ERR_TCB_INFO_IS_OUTDATED = 13,
    PALLET_TEEREX_ERR_OTHER_SGX_VERIFY_ERROR = 14,
    PALLET_TEEREX_ERR_CA_VERIFICATION_FAILED = 15,
    PALLET_TEEREX_ERR_CERTIFICATE_CHAIN_IS_INVALID = 16,
    PALLET_TEEREX_ERR_CERTIFICATE_CHAIN_IS_TOO_SHORT = 17,
    PALLET_TEEREX_ERR_CPU_SVN_DECODING_ERROR = 18,
    PALLET_TEEREX_ERR_CPU_SVN_LENGTH_MISMATCH = 19,
    PALLET_TEEREX_ERR_CPU_SVN_OID_IS_MISSING = 20,
    PALLET_TEEREX_ERR_DCAP_KEY_TYPE_MISMATCH = 21,
    PALLET_TEEREX_ERR_DCAP_QUOTE_DECODING_ERROR = 22,
    PALLET_TEEREX_ERR_DCAP_QUOTE_IS_TOO_LONG = 23,
    PALLET_TEEREX_ERR_DCAP_QUOTE_VERSION_MISMATCH = 24,
    PALLET_TEEREX_ERR_DER_ENCODING_ERROR = 25,
    PALLET_TEEREX_ERR_ENCLAVE_IDENTITY_DECODING_ERROR = 26,
    PALLET_TEEREX_ERR_ENCLAVE_IDENTITY_SIGNATURE_IS_INVALID = 27,
    PALLET_TEEREX_ERR_FMSPC_DECODING_ERROR = 28,
    PALLET_TEEREX_ERR_FMSPC_LENGTH_MISMATCH = 29,
    PALLET_TEEREX_ERR_FMSPC_OID_IS_MISSING = 30,
    PALLET_TEEREX_ERR_INTEL_EXTENSION_AMBIGUITY = 31,
    PALLET_TEEREX_ERR_INTEL_EXTENSION_CERTIFICATE_DECODING_ERROR = 32,
    PALLET_TEEREX_ERR_ISV_ENCLAVE_REPORT_SIGNATURE_IS_INVALID = 33,
    PALLET_TEEREX_ERR_KEY_LENGTH_IS_INVALID = 34,
    PALLET_TEEREX_ERR_LEAF_CERTIFICATE_PARSING_ERROR = 35,
    PALLET_TEEREX_ERR_NETSCAPE_DECODING_ERROR = 36,
    PALLET_TEEREX_ERR_NETSCAPE_DER_ERROR = 37,
    PALLET_TEEREX_ERR_PCE_SVN_DECODING_ERROR = 38,
    PALLET_TEEREX_ERR_PCE_SVN_LENGTH_MISMATCH = 39,
    PALLET_TEEREX_ERR_PCE_SVN_OID_IS_MISSING = 40,
    PALLET_TEEREX_ERR_PCK_CERT_FORMAT_MISMATCH = 41,
    PALLET_TEEREX_ERR_PUBLIC_KEY_IS_INVALID = 42,
    PALLET_TEEREX_ERR_QE_HAS_REJECTED_ENCLAVE = 43,
    PALLET_TEEREX_ERR_QE_REPORT_HASH_MISMATCH = 44,
    PALLET_TEEREX_ERR_QUOTE_BODY_DECODING_ERROR = 45,
    PALLET_TEEREX_ERR_QUOTE_BODY_IS_INVALID = 46,
    PALLET_TEEREX_ERR_QUOTE_BODY_MISSING = 47,
    PALLET_TEEREX_ERR_QUOTE_STATUS_MISSING = 48,
    PALLET_TEEREX_ERR_RSA_SIGNATURE_IS_INVALID = 49,
    PALLET_TEEREX_ERR_SGX_REPORT_PARSING_ERROR = 50,
    PALLET_TEEREX_ERR_TCB_INFO_IS_INVALID = 51,
    PALLET_TEEREX_ERR_TIMESTAMP_IS_INVALID = 52,
    PALLET_TEEREX_ERR_TIMESTAMP_IS_MISSING = 53,
};
#define PALLET_TEEREX_ERROR_COUNT 54

/* SgxBuildMode, SgxAttestationMethod, SgxStatus variant indices. */
enum pallet_teerex_build_mode { PALLET_TEEREX_DEBUG = 0, PALLET_TEEREX_PRODUCTION = 1 };
enum pallet_teerex_method {
    PALLET_TEEREX_METHOD_SKIP = 0,
    PALLET_TEEREX_METHOD_IAS = 1,
    PALLET_TEEREX_METHOD_DCAP = 2,
};
enum pallet_teerex_status {
    PALLET_TEEREX_STATUS_INVALID = 0,
    PALLET_TEEREX_STATUS_OK = 1,
    PALLET_TEEREX_STATUS_GROUP_OUT_OF_DATE = 2,
    PALLET_TEEREX_STATUS_GROUP_REVOKED = 3,
    PALLET_TEEREX_STATUS_CONFIGURATION_NEEDED = 4,
};

/* A decoded MultiEnclave::Sgx(SgxEnclave<Vec<u8>>). */
struct pallet_teerex_enclave {
    uint8_t report_data[64];                /* SgxReportData.d */
    uint8_t mr_enclave[32];                 /* MRENCLAVE = fingerprint */
    uint8_t mr_signer[32];                  /* MRSIGNER */
    uint64_t timestamp;                     /* attestation time, ms */
    bool has_url;                           /* url is Some */
    uint8_t url[PALLET_TEEREX_URL_MAX_LEN]; /* its bytes */
    size_t url_len;                         /* its length */
    uint8_t build_mode;                     /* enum pallet_teerex_build_mode */
    uint8_t method;                         /* enum pallet_teerex_method */
    bool proxied;                           /* Skip / Dcap {proxied} */
    uint8_t status;                         /* enum pallet_teerex_status */
};

/* Appends SCALE(MultiEnclave::Sgx(e)). */
ITEE_MUST_CHECK enum itee_err pallet_teerex_enclave_encode(const struct pallet_teerex_enclave *e,
                                                           struct itee_buf *out);
/* Decodes SCALE(MultiEnclave) (all of p). Returns: ITEE_OK or a SCALE error. */
ITEE_MUST_CHECK enum itee_err pallet_teerex_enclave_decode(struct pallet_teerex_enclave *e,
                                                           const uint8_t *p, size_t len);

/*
 * get_sovereign_enclave: reads SovereignEnclaves[who]. Out: *e, *found. Other pallets turn
 * !found into Module{50, EnclaveIsNotRegistered} (see pallet_teerex_require_sovereign).
 */
ITEE_MUST_CHECK enum itee_err pallet_teerex_sovereign_enclave(struct rt_ctx *ctx,
                                                              const uint8_t who[RT_ACCOUNT_LEN],
                                                              struct pallet_teerex_enclave *e,
                                                              bool *found);
/* Like pallet_teerex_sovereign_enclave, failing post with EnclaveIsNotRegistered when absent. */
ITEE_MUST_CHECK enum itee_err pallet_teerex_require_sovereign(struct rt_ctx *ctx,
                                                              const uint8_t who[RT_ACCOUNT_LEN],
                                                              struct pallet_teerex_enclave *e,
                                                              struct rt_post *post);
/* add_enclave for a sovereign enclave: writes SovereignEnclaves[who] = e (tests, tooling). */
ITEE_MUST_CHECK enum itee_err pallet_teerex_put_sovereign(struct rt_ctx *ctx,
                                                          const uint8_t who[RT_ACCOUNT_LEN],
                                                          const struct pallet_teerex_enclave *e);
/* Reads the AllowSkippingAttestation / SgxAllowDebugMode flags (false when unset). */
ITEE_MUST_CHECK enum itee_err pallet_teerex_flags(struct rt_ctx *ctx, bool *allow_skipping,
                                                  bool *allow_debug);

/* Dispatcher (rt_pallet_dispatch_fn). */
ITEE_MUST_CHECK enum itee_err pallet_teerex_dispatch(struct rt_ctx *ctx,
                                                     const struct rt_origin *origin,
                                                     uint8_t call_index, struct scale_reader *args,
                                                     bool exec, struct rt_info *info,
                                                     struct rt_post *post);

#endif
