/*
 * codec.c - encoding records as tagged fields.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "base/utf8.h"
#include "store/codec.h"
#include "store/key.h"

#define MAGIC 'K'
#define FORMAT 1
#define WIRE_VARINT 0
#define WIRE_LEN 2
#define MAX_DEPTH 4

void kbuf_free(struct kbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

int kbuf_put(struct kbuf *b, const void *p, size_t n)
{
	if (n > b->cap - b->n) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->n < n)
			cap *= 2;
		uint8_t *np = realloc(b->p, cap);
		if (!np)
			return K_ENOMEM;
		b->p = np;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	return 0;
}

static int put_varint(struct kbuf *b, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;

	do {
		uint8_t c = v & 0x7f;
		v >>= 7;
		tmp[n++] = v ? (uint8_t)(c | 0x80) : c;
	} while (v);
	return kbuf_put(b, tmp, n);
}

static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* Reads a varint at *p (end excluded); 0 on success. */
static int get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	uint64_t r = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		if (*p >= end)
			return -1;
		uint8_t c = *(*p)++;
		if (shift == 63 && c > 1)
			return -1;
		r |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

static void *fptr(const struct store_field *f, const void *rec)
{
	return (char *)rec + f->offset;
}

static int64_t get_int(const struct store_field *f, const void *rec)
{
	switch (f->type) {
	case SF_DATE:
		return *(const kdate *)fptr(f, rec);
	case SF_BOOL:
		return *(const bool *)fptr(f, rec);
	default:
		return *(const int64_t *)fptr(f, rec);
	}
}

static void set_int(const struct store_field *f, void *rec, int64_t v)
{
	switch (f->type) {
	case SF_DATE:
		*(kdate *)fptr(f, rec) = (kdate)v;
		break;
	case SF_BOOL:
		*(bool *)fptr(f, rec) = v != 0;
		break;
	default:
		*(int64_t *)fptr(f, rec) = v;
		break;
	}
}

static int encode_fields(const struct store_schema *s, const void *rec,
			 struct kbuf *out, int depth);

static int encode_field(const struct store_field *f, const void *rec,
			struct kbuf *out, int depth)
{
	int ret = 0;

	switch (f->type) {
	case SF_TEXT: {
		const char *t = *(char *const *)fptr(f, rec);
		size_t n = t ? strlen(t) : 0;
		if (!n)
			return 0;
		if ((ret = put_varint(out, (uint64_t)f->tag << 3 | WIRE_LEN)) ||
		    (ret = put_varint(out, n)) || (ret = kbuf_put(out, t, n)))
			return ret;
		return 0;
	}
	case SF_LIST: {
		const struct store_list *l = fptr(f, rec);
		struct kbuf el = { 0 };
		for (size_t i = 0; i < l->n && !ret; i++) {
			const void *item = (const char *)l->items + i * f->sub->size;
			el.n = 0;
			const struct store_elem *eh = item;
			if ((ret = encode_fields(f->sub, item, &el, depth + 1)))
				break;
			if (eh->unknown_len &&
			    (ret = kbuf_put(&el, eh->unknown, eh->unknown_len)))
				break;
			if ((ret = put_varint(out, (uint64_t)f->tag << 3 | WIRE_LEN)) ||
			    (ret = put_varint(out, el.n)) ||
			    (ret = kbuf_put(out, el.p, el.n)))
				break;
		}
		kbuf_free(&el);
		return ret;
	}
	default: {
		int64_t v = get_int(f, rec);
		if (f->type == SF_DATE ? v == DATE_NONE : v == 0)
			return 0;
		if ((ret = put_varint(out, (uint64_t)f->tag << 3 | WIRE_VARINT)) ||
		    (ret = put_varint(out, zigzag(v))))
			return ret;
		return 0;
	}
	}
}

static int encode_fields(const struct store_schema *s, const void *rec,
			 struct kbuf *out, int depth)
{
	int ret;

	if (depth > MAX_DEPTH)
		return K_EINTERNAL;
	for (size_t i = 0; i < s->nfields; i++)
		if ((ret = encode_field(&s->fields[i], rec, out, depth)))
			return ret;
	return 0;
}

int codec_encode(const struct store_schema *s, const void *rec,
		 struct kbuf *out)
{
	const struct store_rec *h = rec;
	uint8_t hdr[16 + 1];
	size_t ulen = strnlen(h->muser, sizeof h->muser - 1);
	int ret;

	hdr[0] = MAGIC;
	hdr[1] = FORMAT;
	hdr[2] = (uint8_t)(s->version >> 8);
	hdr[3] = (uint8_t)s->version;
	for (int i = 0; i < 4; i++)
		hdr[4 + i] = (uint8_t)(h->version >> (24 - 8 * i));
	for (int i = 0; i < 8; i++)
		hdr[8 + i] = (uint8_t)((uint64_t)h->mtime_us >> (56 - 8 * i));
	hdr[16] = (uint8_t)ulen;
	if ((ret = kbuf_put(out, hdr, sizeof hdr)) ||
	    (ret = kbuf_put(out, h->muser, ulen)) ||
	    (ret = encode_fields(s, rec, out, 0)))
		return ret;
	if (h->unknown_len)
		ret = kbuf_put(out, h->unknown, h->unknown_len);
	return ret;
}

static void clear_fields(const struct store_schema *s, void *rec);

static void clear_field(const struct store_field *f, void *rec)
{
	if (f->type == SF_TEXT) {
		char **t = fptr(f, rec);
		free(*t);
		*t = NULL;
	} else if (f->type == SF_LIST) {
		struct store_list *l = fptr(f, rec);
		for (size_t i = 0; i < l->n; i++) {
			struct store_elem *eh =
				(void *)((char *)l->items + i * f->sub->size);
			clear_fields(f->sub, eh);
			free(eh->unknown);
		}
		free(l->items);
		l->items = NULL;
		l->n = 0;
	} else {
		set_int(f, rec, f->type == SF_DATE ? DATE_NONE : 0);
	}
}

static void clear_fields(const struct store_schema *s, void *rec)
{
	for (size_t i = 0; i < s->nfields; i++)
		clear_field(&s->fields[i], rec);
}

void store_field_clear(const struct store_field *f, void *rec)
{
	clear_field(f, rec);
}

void codec_init(const struct store_schema *s, void *rec)
{
	for (size_t i = 0; i < s->nfields; i++)
		if (s->fields[i].type == SF_DATE)
			set_int(&s->fields[i], rec, DATE_NONE);
}

void store_rec_clear(const struct store_schema *s, void *rec)
{
	struct store_rec *h = rec;

	clear_fields(s, rec);
	free(h->unknown);
	memset(rec, 0, s->size);
	codec_init(s, rec);
}

static const struct store_field *by_tag(const struct store_schema *s,
					unsigned tag)
{
	for (size_t i = 0; i < s->nfields; i++)
		if (s->fields[i].tag == tag)
			return &s->fields[i];
	return NULL;
}

static int corrupt(struct kerr *err, const struct store_schema *s,
		   const char *what)
{
	return kerr_set(err, K_ECORRUPT, NULL,
			_("corrupt %s record: %s"), s->name, what);
}

/*
 * Decodes fields from p..end into rec (already initialised).  Unknown
 * tags go to *unknown when it is non-NULL, else are skipped.
 */
static int decode_fields(const struct store_schema *s, const uint8_t *p,
			 const uint8_t *end, void *rec, struct kbuf *unknown,
			 int depth, struct kerr *err)
{
	if (depth > MAX_DEPTH)
		return corrupt(err, s, "nested too deep");
	while (p < end) {
		const uint8_t *start = p;
		uint64_t key, v;

		if (get_varint(&p, end, &key))
			return corrupt(err, s, "bad field key");
		unsigned wire = key & 7;
		uint64_t tag = key >> 3;
		if (wire != WIRE_VARINT && wire != WIRE_LEN)
			return corrupt(err, s, "bad wire type");
		if (get_varint(&p, end, &v))
			return corrupt(err, s, "bad varint");
		const uint8_t *payload = p;
		if (wire == WIRE_LEN) {
			if (v > (uint64_t)(end - p))
				return corrupt(err, s, "length past the end");
			p += v;
		}
		const struct store_field *f = tag <= UINT16_MAX ?
			by_tag(s, (unsigned)tag) : NULL;
		if (!f) {
			if (unknown && kbuf_put(unknown, start, (size_t)(p - start)))
				return kerr_set(err, K_ENOMEM, NULL, NULL);
			continue;
		}
		bool want_len = f->type == SF_TEXT || f->type == SF_LIST;
		if (want_len != (wire == WIRE_LEN))
			return corrupt(err, s, f->name);
		if (f->type == SF_TEXT) {
			if (memchr(payload, 0, v) ||
			    !utf8_valid((const char *)payload, v))
				return corrupt(err, s, f->name);
			char *t = malloc(v + 1);
			if (!t)
				return kerr_set(err, K_ENOMEM, NULL, NULL);
			memcpy(t, payload, v);
			t[v] = 0;
			char **dst = fptr(f, rec);
			free(*dst);
			*dst = t;
		} else if (f->type == SF_LIST) {
			struct store_list *l = fptr(f, rec);
			size_t sz = f->sub->size;
			void *items = realloc(l->items, (l->n + 1) * sz);
			if (!items)
				return kerr_set(err, K_ENOMEM, NULL, NULL);
			l->items = items;
			void *item = (char *)items + l->n * sz;
			memset(item, 0, sz);
			codec_init(f->sub, item);
			l->n++;
			struct kbuf eu = { 0 };
			int ret = decode_fields(f->sub, payload, payload + v,
						item, &eu, depth + 1, err);
			((struct store_elem *)item)->unknown = eu.p;
			((struct store_elem *)item)->unknown_len = eu.n;
			if (ret)
				return ret;
		} else {
			int64_t iv = unzigzag(v);
			if (f->type == SF_DATE && (iv < INT32_MIN || iv > INT32_MAX))
				return corrupt(err, s, f->name);
			if (f->type == SF_BOOL && (iv < 0 || iv > 1))
				return corrupt(err, s, f->name);
			set_int(f, rec, iv);
		}
	}
	return 0;
}

void codec_login(char *dst, size_t n, const char *login, size_t len)
{
	size_t in = 0, out = 0;

	while (in < len) {
		uint32_t cp;
		int k = utf8_decode(login + in, len - in, &cp);

		if (k <= 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			if (out + 1 > n - 1)
				break;
			dst[out++] = '?';
			in += k > 0 ? (size_t)k : 1;
			continue;
		}
		if (out + (size_t)k > n - 1)
			break;
		memcpy(dst + out, login + in, (size_t)k);
		out += (size_t)k;
		in += (size_t)k;
	}
	dst[out] = 0;
}

int codec_peek(const void *data, size_t len, uint32_t *version,
	       int64_t *mtime_us, char *login, size_t n)
{
	const uint8_t *p = data;

	if (len < CODEC_HDR_MIN || p[0] != MAGIC || p[1] != FORMAT ||
	    (size_t)CODEC_HDR_MIN + p[16] > len || p[16] > 31)
		return K_ECORRUPT;
	if (version)
		*version = key_get_u32(p + 4);
	if (mtime_us) {
		uint64_t t = 0;
		for (int i = 0; i < 8; i++)
			t = t << 8 | p[8 + i];
		*mtime_us = (int64_t)t;
	}
	if (login && n)
		codec_login(login, n, (const char *)p + CODEC_HDR_MIN, p[16]);
	return 0;
}

int codec_decode(const struct store_schema *s, const void *data, size_t len,
		 void *rec, struct kerr *err)
{
	struct store_rec *h = rec;
	const uint8_t *p = data;
	struct kbuf unknown = { 0 };
	int ret;

	store_rec_clear(s, rec);
	if (codec_peek(data, len, &h->version, &h->mtime_us, h->muser,
		       sizeof h->muser))
		return corrupt(err, s, "bad header");
	size_t off = CODEC_HDR_MIN + p[16];
	ret = decode_fields(s, p + off, p + len, rec, &unknown, 0, err);
	if (ret) {
		kbuf_free(&unknown);
		store_rec_clear(s, rec);
		return ret;
	}
	h->unknown = unknown.p;
	h->unknown_len = unknown.n;
	return 0;
}

int store_rec_copy(const struct store_schema *s, void *dst, const void *src)
{
	struct kbuf b = { 0 };
	int ret;

	memset(dst, 0, s->size);
	codec_init(s, dst);
	if ((ret = codec_encode(s, src, &b)) == 0)
		ret = codec_decode(s, b.p, b.n, dst, NULL);
	kbuf_free(&b);
	if (ret == 0)
		((struct store_rec *)dst)->id = ((const struct store_rec *)src)->id;
	return ret;
}

const struct store_field *store_field_find(const struct store_schema *s,
					   const char *name)
{
	for (size_t i = 0; i < s->nfields; i++)
		if (strcmp(s->fields[i].name, name) == 0)
			return &s->fields[i];
	return NULL;
}

char *store_field_text(const struct store_field *f, const void *rec,
		       char *buf, size_t n)
{
	int64_t v;

	if (!n)
		return buf;
	switch (f->type) {
	case SF_TEXT: {
		const char *t = *(char *const *)fptr(f, rec);
		snprintf(buf, n, "%s", t ? t : "");
		break;
	}
	case SF_LIST: {
		const struct store_list *l = fptr(f, rec);
		snprintf(buf, n, "[%zu items]", l->n);
		break;
	}
	case SF_DATE:
		date_format(*(const kdate *)fptr(f, rec), buf, n);
		break;
	case SF_BOOL:
		snprintf(buf, n, "%s", *(const bool *)fptr(f, rec) ?
			 "true" : "false");
		break;
	case SF_MONEY:
	case SF_QTY:
	case SF_PRICE:
	case SF_RATE: {
		static const int scale[] = {
			[SF_MONEY] = NUM_MONEY_SCALE, [SF_QTY] = NUM_QTY_SCALE,
			[SF_PRICE] = NUM_PRICE_SCALE, [SF_RATE] = NUM_RATE_SCALE,
		};
		char tmp[NUM_BUFSZ];
		v = *(const int64_t *)fptr(f, rec);
		snprintf(buf, n, "%s", num_format(v, scale[f->type], false,
						  tmp, sizeof tmp));
		break;
	}
	default:
		v = *(const int64_t *)fptr(f, rec);
		snprintf(buf, n, "%lld", (long long)v);
		break;
	}
	return buf;
}
