/*
 * fuzz_enclave_ocall.c - a hostile host answering the enclave's read_file ocall. Input layout:
 *   byte 0      status of the first answer (mapped onto a few codes and garbage)
 *   bytes 1..2  claimed length of the first answer (LE, scaled), byte 3 status of the second,
 *   bytes 4..5  claimed length of the second answer, byte 6 the read limit (scaled)
 *   rest        file content the host copies into the enclave's buffer (up to its capacity)
 * Checks the wrapper never reports more than the limit or an error outside its contract,
 * then feeds the same content as every sealed key file to enclave_keys_load, which must
 * refuse it (no key can be unsealed from bytes made without the seal key).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "enclave/edl.h"
#include "enclave/enclave_keys.h"
#include "enclave/enclave_ocall.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The scripted host. */
struct script {
    const uint8_t *hdr;     /* the 7 header bytes */
    const uint8_t *content; /* file bytes */
    size_t content_len;     /* their number */
    int call;               /* read_file calls so far */
};

static int32_t status_of(uint8_t b)
{
    static const int32_t codes[] = {
        ITEE_OK, ITEE_ERR_SPACE, ITEE_ERR_NOENT, ITEE_ERR_IO, ITEE_ERR_ARG, -1, 12345};
    return codes[b % (sizeof(codes) / sizeof(codes[0]))];
}

static int32_t s_read(void *host, const char *name, uint8_t *buf, size_t cap, size_t *len)
{
    struct script *s = host;
    (void)name;
    const uint8_t *h = s->call == 0 ? s->hdr : s->hdr + 3;
    s->call++;
    size_t claimed = (size_t)h[1] | (size_t)h[2] << 8;
    size_t n = s->content_len < cap ? s->content_len : cap;
    memcpy(buf, s->content, n);
    *len = (h[0] & 0x80) ? claimed * 64 : (h[0] & 0x40) ? n : claimed;
    return status_of(h[0]);
}

static int32_t s_write(void *host, const char *name, const uint8_t *d, size_t len)
{
    (void)host;
    (void)name;
    (void)d;
    (void)len;
    abort(); /* nothing may be written when no key could be read */
}

static void s_log(void *host, uint32_t level, const char *line, size_t len)
{
    (void)host;
    (void)level;
    (void)line;
    if (len > EDL_LOG_LINE_MAX)
        abort();
}

static int32_t s_time(void *host, uint64_t *ms)
{
    (void)host;
    *ms = 0;
    return ITEE_OK;
}

static int32_t s_send(void *host, const uint8_t *xt, size_t len)
{
    (void)host;
    (void)xt;
    (void)len;
    return ITEE_ERR_IO;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 7)
        return 0;
    struct script s = {data, data + 7, size - 7, 0};
    struct edl_ocalls oc = {EDL_VERSION, sizeof(oc), &s, s_log, s_read, s_write, s_time, s_send};
    size_t max = (size_t)data[6] * 512;
    struct itee_buf out;
    itee_buf_init(&out, 0);
    enum itee_err r = enclave_ocall_read_file(&oc, "f.bin", max, &out);
    if (r == ITEE_OK && out.len > max)
        abort();
    if (r != ITEE_OK && out.len != 0)
        abort();
    if (r != ITEE_OK && r != ITEE_ERR_NOENT && r != ITEE_ERR_IO && r != ITEE_ERR_SPACE &&
        r != ITEE_ERR_ENCLAVE_OCALL && r != ITEE_ERR_NOMEM)
        abort();
    itee_buf_free(&out);

    /* Every sealed file answered with these bytes (never "missing", so no key generation). */
    static const uint8_t hdr_ok[7] = {0x46, 0, 0, 0x46, 0, 0, 0}; /* ITEE_OK, true length */
    uint8_t m[EDL_MEASUREMENT_LEN] = {0}, secret[EDL_LOCAL_SECRET_LEN] = {1};
    struct enclave_keys keys;
    struct script all = {hdr_ok, s.content, s.content_len, 0};
    oc.host = &all;
    r = enclave_keys_load(&keys, &oc, m, secret, sizeof(secret));
    if (r == ITEE_OK || keys.shielding != NULL)
        abort();
    enclave_keys_clear(&keys);
    return 0;
}
