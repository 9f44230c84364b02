/*
 * enclave_ocall.h - the enclave's side of the ocalls (edl.h): every call into the host goes
 * through these wrappers, which bound what is sent and treat what comes back as hostile input
 * (a length beyond the capacity given, an unknown status code, a missing function).
 */
#ifndef ITEE_ENCLAVE_OCALL_H
#define ITEE_ENCLAVE_OCALL_H

#include <stddef.h>
#include <stdint.h>

#include "common/bytes.h"
#include "common/err.h"
#include "enclave/edl.h"

/*
 * Checks an ocall table handed in by the host: version, size and every function present.
 * Returns: ITEE_OK; ITEE_ERR_ARG (NULL or a missing function); ITEE_ERR_ENCLAVE_VERSION.
 */
ITEE_MUST_CHECK enum itee_err enclave_ocall_check_table(const struct edl_ocalls *oc);

/* Sends one log line, cut to EDL_LOG_LINE_MAX bytes. */
void enclave_ocall_log(const struct edl_ocalls *oc, uint32_t level, const char *line);

/*
 * Reads a whole file of at most max bytes (max <= EDL_FILE_MAX).
 * Returns: ITEE_OK; ITEE_ERR_NOENT; ITEE_ERR_IO; ITEE_ERR_SPACE (file larger than max);
 * ITEE_ERR_ENCLAVE_NAME; ITEE_ERR_ENCLAVE_OCALL (a length or code the contract does not
 * allow); ITEE_ERR_NOMEM; ITEE_ERR_ARG.
 * Out: out is reset and receives the content; empty on failure. The caller initialises out.
 */
ITEE_MUST_CHECK enum itee_err enclave_ocall_read_file(const struct edl_ocalls *oc, const char *name,
                                                      size_t max, struct itee_buf *out);

/*
 * Replaces a file atomically.
 * Returns: ITEE_OK; ITEE_ERR_IO; ITEE_ERR_ENCLAVE_NAME; ITEE_ERR_ENCLAVE_OCALL; ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err enclave_ocall_write_file(const struct edl_ocalls *oc,
                                                       const char *name, const uint8_t *data,
                                                       size_t len);

/*
 * Reads the host's clock (untrusted: use it for timestamps, never for security decisions).
 * Returns: ITEE_OK; ITEE_ERR_IO; ITEE_ERR_ENCLAVE_OCALL. Out: *ms (0 on failure).
 */
ITEE_MUST_CHECK enum itee_err enclave_ocall_time_ms(const struct edl_ocalls *oc, uint64_t *ms);

/*
 * Hands an encoded extrinsic (at most EDL_XT_MAX bytes) to the host for the parentchain.
 * Returns: ITEE_OK; ITEE_ERR_IO; ITEE_ERR_ENCLAVE_OCALL; ITEE_ERR_ARG.
 */
ITEE_MUST_CHECK enum itee_err enclave_ocall_send_xt(const struct edl_ocalls *oc, const uint8_t *xt,
                                                    size_t len);

#endif
