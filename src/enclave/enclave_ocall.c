/*
 * enclave_ocall.c - bounded, validating wrappers around the host's ocalls. The host is not
 * trusted: its status codes are mapped onto the few each ocall may return, and lengths it
 * reports are checked against the capacity we gave it before anything is read.
 */
#include "enclave_ocall.h"

#include <stdbool.h>
#include <string.h>

#include "common/mem.h"

/* First read attempt: enough for every sealed key file, so one ocall usually suffices. */
#define ENCLAVE_OCALL_FIRST_READ 8192

enum itee_err enclave_ocall_check_table(const struct edl_ocalls *oc)
{
    if (oc == NULL)
        return ITEE_ERR_ARG;
    if (oc->version != EDL_VERSION || oc->size != sizeof(*oc))
        return ITEE_ERR_ENCLAVE_VERSION;
    if (oc->log == NULL || oc->read_file == NULL || oc->write_file_atomic == NULL ||
        oc->time_now_ms == NULL || oc->send_to_parentchain == NULL)
        return ITEE_ERR_ARG;
    return ITEE_OK;
}

void enclave_ocall_log(const struct edl_ocalls *oc, uint32_t level, const char *line)
{
    if (oc == NULL || oc->log == NULL || line == NULL)
        return;
    size_t len = strnlen(line, EDL_LOG_LINE_MAX);
    oc->log(oc->host, level, line, len);
}

/* Maps a host status onto the codes an I/O ocall may return; anything else is a contract
 * violation. */
static enum itee_err enclave_ocall_status(int32_t st, bool allow_noent)
{
    if (st == ITEE_OK || st == ITEE_ERR_IO)
        return (enum itee_err)st;
    if (allow_noent && st == ITEE_ERR_NOENT)
        return ITEE_ERR_NOENT;
    return ITEE_ERR_ENCLAVE_OCALL;
}

/* One read_file call into out's spare capacity. *need gets the size the host reports when it
 * answers ITEE_ERR_SPACE. */
static enum itee_err enclave_ocall_read_once(const struct edl_ocalls *oc, const char *name,
                                             struct itee_buf *out, size_t max, size_t *need)
{
    size_t len = 0;
    /* The buffer may have grown past max; never offer the host more than max. */
    size_t cap = out->cap < max ? out->cap : max;
    /* A host that claims more than it wrote must not make us read uninitialised memory. */
    memset(out->ptr, 0, out->cap);
    int32_t st = oc->read_file(oc->host, name, out->ptr, cap, &len);
    *need = 0;
    if (st == ITEE_ERR_SPACE) {
        if (len <= cap)
            return ITEE_ERR_ENCLAVE_OCALL;
        *need = len;
        return ITEE_ERR_SPACE;
    }
    enum itee_err r = enclave_ocall_status(st, true);
    if (r != ITEE_OK)
        return r;
    if (len > cap)
        return ITEE_ERR_ENCLAVE_OCALL;
    out->len = len;
    return ITEE_OK;
}

enum itee_err enclave_ocall_read_file(const struct edl_ocalls *oc, const char *name, size_t max,
                                      struct itee_buf *out)
{
    if (oc == NULL || oc->read_file == NULL || out == NULL || max > EDL_FILE_MAX)
        return ITEE_ERR_ARG;
    itee_buf_reset(out);
    if (!edl_file_name_ok(name))
        return ITEE_ERR_ENCLAVE_NAME;
    size_t need = 0;
    size_t first = max < ENCLAVE_OCALL_FIRST_READ ? max : ENCLAVE_OCALL_FIRST_READ;
    enum itee_err r = itee_buf_reserve(out, first == 0 ? 1 : first);
    if (r != ITEE_OK)
        goto out;
    r = enclave_ocall_read_once(oc, name, out, max, &need);
    if (r != ITEE_ERR_SPACE)
        goto out;
    /* The file is larger than the first buffer: one more try at the size the host named. */
    if (need > max) {
        r = ITEE_ERR_SPACE;
        goto out;
    }
    r = itee_buf_reserve(out, need);
    if (r != ITEE_OK)
        goto out;
    r = enclave_ocall_read_once(oc, name, out, max, &need);
    if (r == ITEE_ERR_SPACE)
        r = ITEE_ERR_IO; /* it grew in between: treat as a failed read */
out:
    if (r != ITEE_OK)
        itee_buf_reset(out);
    return r;
}

enum itee_err enclave_ocall_write_file(const struct edl_ocalls *oc, const char *name,
                                       const uint8_t *data, size_t len)
{
    if (oc == NULL || oc->write_file_atomic == NULL || (data == NULL && len > 0) ||
        len > EDL_FILE_MAX)
        return ITEE_ERR_ARG;
    if (!edl_file_name_ok(name))
        return ITEE_ERR_ENCLAVE_NAME;
    return enclave_ocall_status(oc->write_file_atomic(oc->host, name, data, len), false);
}

enum itee_err enclave_ocall_time_ms(const struct edl_ocalls *oc, uint64_t *ms)
{
    if (ms == NULL)
        return ITEE_ERR_ARG;
    *ms = 0;
    if (oc == NULL || oc->time_now_ms == NULL)
        return ITEE_ERR_ARG;
    uint64_t t = 0;
    enum itee_err r = enclave_ocall_status(oc->time_now_ms(oc->host, &t), false);
    if (r == ITEE_OK)
        *ms = t;
    return r;
}

enum itee_err enclave_ocall_send_xt(const struct edl_ocalls *oc, const uint8_t *xt, size_t len)
{
    if (oc == NULL || oc->send_to_parentchain == NULL || xt == NULL || len == 0 || len > EDL_XT_MAX)
        return ITEE_ERR_ARG;
    return enclave_ocall_status(oc->send_to_parentchain(oc->host, xt, len), false);
}
