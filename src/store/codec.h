/*
 * codec.h - the record format: a small header, then tagged fields.
 *
 *   header  'K' | format 1 | schema version (be16) | row version (be32)
 *           | mtime in microseconds (be64) | login length (u8) | login
 *   fields  { varint (tag << 3 | wire) ; payload }*
 *   wire 0  varint, signed values zigzag-encoded
 *   wire 2  varint length + bytes: text, or one element of a list
 *
 * Zero, false, empty text and DATE_NONE are not written; a missing field
 * reads as that default, so records written before a field existed
 * still decode.  Tags the schema does not know are kept in
 * store_rec.unknown and written back unchanged.
 */
#ifndef KONTOR_STORE_CODEC_H
#define KONTOR_STORE_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "base/kerr.h"
#include "store/store.h"

struct kbuf {
	uint8_t *p;
	size_t n;
	size_t cap;
};

void kbuf_free(struct kbuf *b);
int kbuf_put(struct kbuf *b, const void *p, size_t n);

#define CODEC_HDR_MIN 17

/* Appends the encoding of rec (header and fields) to out. */
int codec_encode(const struct store_schema *s, const void *rec,
		 struct kbuf *out);

/*
 * Decodes data into rec, which is cleared first.  Corrupt input (a bad
 * header, a length past the end, a known field with the wrong wire
 * type, invalid UTF-8) gives K_ECORRUPT and leaves rec cleared; it
 * never reads out of bounds.
 */
int codec_decode(const struct store_schema *s, const void *data, size_t len,
		 void *rec, struct kerr *err);

/*
 * Reads only the header: row version, mtime, login.  The login (who
 * saved the record, for people to read) comes back as codec_login()
 * makes it: a header whose login is not clean text still reads.
 */
int codec_peek(const void *data, size_t len, uint32_t *version,
	       int64_t *mtime_us, char *login, size_t n);

/*
 * Copies the len bytes of login into dst (n bytes, n > 0) as text: a
 * byte that does not start a valid UTF-8 character, or a control
 * character (C0, DEL, C1), becomes '?', and the copy ends before a
 * character that would not fit in n - 1 bytes.  The store keeps its
 * login this way, so the headers it writes hold clean text.
 */
void codec_login(char *dst, size_t n, const char *login, size_t len);

/* Sets the fields of an empty record to their defaults (dates DATE_NONE). */
void codec_init(const struct store_schema *s, void *rec);

#endif
