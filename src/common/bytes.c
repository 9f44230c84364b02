/*
 * bytes.c - owned buffers with a hard maximum; growth doubles to keep appends amortised O(1).
 */
#include "bytes.h"

#include <string.h>

#include "mem.h"

void itee_buf_init(struct itee_buf *buf, size_t max)
{
    buf->ptr = NULL;
    buf->len = 0;
    buf->cap = 0;
    buf->max = max ? max : ITEE_BUF_DEFAULT_MAX;
}

void itee_buf_free(struct itee_buf *buf)
{
    itee_free(buf->ptr);
    buf->ptr = NULL;
    buf->len = 0;
    buf->cap = 0;
}

void itee_buf_free_secret(struct itee_buf *buf)
{
    itee_memzero(buf->ptr, buf->cap);
    itee_buf_free(buf);
}

void itee_buf_reset(struct itee_buf *buf)
{
    buf->len = 0;
}

enum itee_err itee_buf_reserve(struct itee_buf *buf, size_t extra)
{
    if (buf->max == 0)
        buf->max = ITEE_BUF_DEFAULT_MAX;
    if (extra > buf->max - buf->len)
        return ITEE_ERR_SPACE;
    size_t need = buf->len + extra;
    if (need <= buf->cap)
        return ITEE_OK;
    size_t ncap = buf->cap ? buf->cap : 64;
    while (ncap < need)
        ncap = ncap > buf->max / 2 ? buf->max : ncap * 2;
    uint8_t *p = itee_realloc(buf->ptr, ncap);
    if (p == NULL)
        return ITEE_ERR_NOMEM;
    buf->ptr = p;
    buf->cap = ncap;
    return ITEE_OK;
}

enum itee_err itee_buf_append(struct itee_buf *buf, const void *data, size_t len)
{
    if (len == 0)
        return ITEE_OK;
    enum itee_err r = itee_buf_reserve(buf, len);
    if (r != ITEE_OK)
        return r;
    memcpy(buf->ptr + buf->len, data, len);
    buf->len += len;
    return ITEE_OK;
}

enum itee_err itee_buf_push(struct itee_buf *buf, uint8_t byte)
{
    return itee_buf_append(buf, &byte, 1);
}

struct itee_slice itee_buf_slice(const struct itee_buf *buf)
{
    return itee_slice_make(buf->ptr, buf->len);
}

void itee_buf_take(struct itee_buf *buf, uint8_t **out, size_t *out_len)
{
    if (buf->len == 0) {
        itee_buf_free(buf);
        *out = NULL;
        *out_len = 0;
        return;
    }
    *out = buf->ptr;
    *out_len = buf->len;
    buf->ptr = NULL;
    buf->len = 0;
    buf->cap = 0;
}
