/*
 * utf8.h - UTF-8 text measured in display columns.
 *
 * Widths follow Unicode East Asian Width: wide and fullwidth characters
 * (CJK ideographs, kana, hangul, fullwidth forms) take two columns,
 * combining marks and zero-width characters none, the rest one.  The
 * table is our own, so widths do not depend on the locale.
 */
#ifndef KONTOR_BASE_UTF8_H
#define KONTOR_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates). */
bool utf8_valid(const char *s, size_t len);

/*
 * Decodes one character at s (len bytes available) into *cp; returns the
 * bytes used, or 0 at the end, or -1 for invalid input (then *cp is
 * U+FFFD and 1 byte is consumed by callers that skip).
 */
int utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Columns of one code point: 0, 1 or 2 (control characters: 0). */
int utf8_cp_width(uint32_t cp);

/* Display columns of a NUL-terminated string; invalid bytes count 1. */
size_t utf8_width(const char *s);

/*
 * Bytes of the longest prefix of s that fits in `cols` columns without
 * splitting a character; *used (may be NULL) gets its width.
 */
size_t utf8_fit(const char *s, size_t cols, size_t *used);

/*
 * Writes s into buf (size n) cut to `cols` columns and padded with
 * spaces to exactly `cols` columns (a wide character that would straddle
 * the edge becomes a space).  right = true aligns right.  Returns buf;
 * buf must hold at least cols + strlen(s) + 1 bytes to never truncate.
 */
char *utf8_pad(const char *s, size_t cols, bool right, char *buf, size_t n);

#endif
