/*
 * key.c - byte-comparable key encoding.
 */
#include <string.h>

#include "store/key.h"

void key_reset(struct keybuf *k)
{
	k->n = 0;
	k->overflow = false;
}

static void put(struct keybuf *k, const void *p, size_t n)
{
	if (k->overflow || n > KEY_MAX - k->n) {
		k->overflow = true;
		return;
	}
	memcpy(k->b + k->n, p, n);
	k->n += n;
}

void key_put_bytes(struct keybuf *k, const void *p, size_t n)
{
	put(k, p, n);
}

void key_put_u16(struct keybuf *k, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(k, b, 2);
}

void key_put_u32(struct keybuf *k, uint32_t v)
{
	uint8_t b[4];
	for (int i = 3; i >= 0; i--) {
		b[i] = (uint8_t)v;
		v >>= 8;
	}
	put(k, b, 4);
}

void key_put_u64(struct keybuf *k, uint64_t v)
{
	uint8_t b[8];
	for (int i = 7; i >= 0; i--) {
		b[i] = (uint8_t)v;
		v >>= 8;
	}
	put(k, b, 8);
}

void key_put_i64(struct keybuf *k, int64_t v)
{
	key_put_u64(k, (uint64_t)v ^ UINT64_C(0x8000000000000000));
}

void key_put_text(struct keybuf *k, const char *s, bool fold, bool open)
{
	static const uint8_t end = 0x00;

	for (; s && *s; s++) {
		uint8_t c = (uint8_t)*s;
		if (fold && c >= 'A' && c <= 'Z')
			c = (uint8_t)(c - 'A' + 'a');
		put(k, &c, 1);
	}
	if (!open)
		put(k, &end, 1);
}

uint64_t key_get_u64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

int64_t key_get_i64(const uint8_t *p)
{
	return (int64_t)(key_get_u64(p) ^ UINT64_C(0x8000000000000000));
}

uint32_t key_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

uint16_t key_get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}
