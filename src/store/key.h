/*
 * key.h - byte-comparable keys: B-tree order under memcmp is the
 * natural order of the values, so no custom comparator is needed.
 *
 *   unsigned   big-endian
 *   signed     big-endian with the sign bit flipped (-1 < 0 < 1)
 *   text       UTF-8 bytes (C strings hold no NUL), ended by one 00,
 *              so "ab" < "abc" and a prefix scan stops cleanly
 */
#ifndef KONTOR_STORE_KEY_H
#define KONTOR_STORE_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEY_MAX 1024

struct keybuf {
	uint8_t b[KEY_MAX];
	size_t n;
	bool overflow;       /* something did not fit; the key is unusable */
};

void key_reset(struct keybuf *k);
void key_put_u16(struct keybuf *k, uint16_t v);
void key_put_u32(struct keybuf *k, uint32_t v);
void key_put_u64(struct keybuf *k, uint64_t v);
void key_put_i64(struct keybuf *k, int64_t v);
void key_put_bytes(struct keybuf *k, const void *p, size_t n);

/*
 * Appends text with its terminator; fold lowercases ASCII letters.
 * With `open`, the terminator is left off, which makes a prefix that
 * matches every longer text starting the same way.
 */
void key_put_text(struct keybuf *k, const char *s, bool fold, bool open);

uint64_t key_get_u64(const uint8_t *p);
int64_t key_get_i64(const uint8_t *p);
uint32_t key_get_u32(const uint8_t *p);
uint16_t key_get_u16(const uint8_t *p);

#endif
