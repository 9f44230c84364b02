/*
 * bytes.h - non-owning byte slices and owned growable buffers with a hard maximum.
 *
 * struct itee_slice is a view: it never owns or frees memory.
 * struct itee_buf owns its memory, grows on demand up to buf->max bytes, and refuses to grow
 * past it (ITEE_ERR_SPACE), so an encoder fed hostile sizes cannot exhaust memory.
 */
#ifndef ITEE_BYTES_H
#define ITEE_BYTES_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* A read-only view of len bytes at ptr. ptr may be NULL only when len is 0. */
struct itee_slice {
    const uint8_t *ptr; /* first byte of the view */
    size_t len;         /* number of bytes in the view */
};

/* An owned, growable byte buffer. Zero-initialise, then itee_buf_init. */
struct itee_buf {
    uint8_t *ptr; /* allocation (NULL while empty) */
    size_t len;   /* bytes in use */
    size_t cap;   /* bytes allocated */
    size_t max;   /* hard limit on len; growth past it fails with ITEE_ERR_SPACE */
};

/* Default hard maximum for buffers (64 MiB) when the caller has no better bound. */
#define ITEE_BUF_DEFAULT_MAX ((size_t)64 * 1024 * 1024)

/* Returns: a slice over ptr/len. */
static inline struct itee_slice itee_slice_make(const uint8_t *ptr, size_t len)
{
    struct itee_slice s = {ptr, len};
    return s;
}

/* Initialises an empty buffer that may grow to max bytes (0 = ITEE_BUF_DEFAULT_MAX). */
void itee_buf_init(struct itee_buf *buf, size_t max);
/* Frees the buffer's memory and resets it to empty. Safe on a zeroed or freed buffer. */
void itee_buf_free(struct itee_buf *buf);
/* Like itee_buf_free, but wipes the contents first (for secrets). */
void itee_buf_free_secret(struct itee_buf *buf);
/* Sets len to 0, keeping the allocation. */
void itee_buf_reset(struct itee_buf *buf);
/* Ensures room for extra more bytes. Returns: ITEE_OK, ITEE_ERR_SPACE or ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err itee_buf_reserve(struct itee_buf *buf, size_t extra);
/* Appends len bytes. Returns: as itee_buf_reserve. */
ITEE_MUST_CHECK enum itee_err itee_buf_append(struct itee_buf *buf, const void *data, size_t len);
/* Appends one byte. */
ITEE_MUST_CHECK enum itee_err itee_buf_push(struct itee_buf *buf, uint8_t byte);
/* Returns: a slice viewing the buffer's current contents (valid until it next grows). */
struct itee_slice itee_buf_slice(const struct itee_buf *buf);
/*
 * Moves the contents out: *out gets the allocation (caller frees with itee_free), *out_len
 * its length; the buffer is left empty. An empty buffer yields *out = NULL, *out_len = 0.
 */
void itee_buf_take(struct itee_buf *buf, uint8_t **out, size_t *out_len);

#endif
