/*
 * utf8.h - strict UTF-8 validation, shared by the SCALE String decoder and WebSocket text frames.
 */
#ifndef ITEE_UTF8_H
#define ITEE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Returns: true iff the len bytes at p are well-formed UTF-8: no overlong forms, no UTF-16
 * surrogates, nothing past U+10FFFF, no truncated sequence.
 */
bool itee_utf8_valid(const uint8_t *p, size_t len);

#endif
