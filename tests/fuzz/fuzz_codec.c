/*
 * fuzz_codec.c - the record codec under a fuzzer.
 *
 * LLVMFuzzerTestOneInput() decodes the input, as stored bytes of a
 * record, against every schema of the program (ent_schemas: the real
 * tables, lists of contacts, lines, instalments...) and against a test
 * schema with every field type and a list whose elements hold a list,
 * and checks what codec.h promises:
 *
 *   - codec_peek() and codec_decode() agree: a header peek refuses is a
 *     record decode refuses, and the version, time and login are the
 *     same; peeking with a short login buffer stays inside it;
 *   - a refused record is K_ECORRUPT with a message, and left cleared;
 *   - a decoded record has valid UTF-8 in every text, and the login
 *     is clean text (no control characters);
 *   - round trip: encoding the record and decoding that gives the same
 *     record (known fields, unknown tags of the record and of each list
 *     element, header), and encoding it again gives the same bytes;
 *     store_rec_copy() gives the same record too;
 *   - decoding into a record that holds one frees the old one, and
 *     store_rec_clear() frees everything (the sanitizer's leak check);
 *   - store_field_text() of every field stays inside small buffers.
 *
 * The input is used as it comes, of exactly its size, so a read past
 * its end is seen by AddressSanitizer.  `fuzz_codec --seeds DIR`
 * writes the seed corpus (tests/fuzz/corpus/codec): records of every
 * schema encoded, a few with unknown tags, and a few broken ones.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "fuzz.h"
#include "masters/entity.h"
#include "store/codec.h"
#include "store/store.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char fuzz_name[] = "fuzz_codec";

/* ------------------------------------------------------ a test schema */

/* An element of a list inside a list element. */
struct note {
	struct store_elem e;
	char *text;
	bool done;
};

static const struct store_field note_fields[] = {
	{ 1, "text", SF_TEXT, offsetof(struct note, text), NULL, NULL },
	{ 2, "done", SF_BOOL, offsetof(struct note, done), NULL, NULL },
};
static const struct store_schema note_schema = {
	"note", 1, sizeof(struct note), note_fields, NELEM(note_fields),
	NULL, 0, 0,
};

struct contact {
	struct store_elem e;
	char *name;
	int64_t calls;
	kdate since;
	struct store_list notes;
	int64_t amount;
};

static const struct store_field contact_fields[] = {
	{ 1, "name", SF_TEXT, offsetof(struct contact, name), NULL, NULL },
	{ 2, "calls", SF_INT, offsetof(struct contact, calls), NULL, NULL },
	{ 3, "since", SF_DATE, offsetof(struct contact, since), NULL, NULL },
	{ 4, "notes", SF_LIST, offsetof(struct contact, notes), &note_schema,
	  NULL },
	{ 6, "amount", SF_MONEY, offsetof(struct contact, amount), NULL,
	  NULL },
};
static const struct store_schema contact_schema = {
	"contact", 1, sizeof(struct contact), contact_fields,
	NELEM(contact_fields), NULL, 0, 0,
};

/* Every field type once; tags with gaps and one past 127 (2 bytes). */
struct all {
	struct store_rec h;
	int64_t i;
	char *text;
	kdate date;
	int64_t money;
	int64_t qty;
	int64_t price;
	int64_t rate;
	bool flag;
	int64_t ref;
	struct store_list contacts;
	char *note;
};

static const struct store_field all_fields[] = {
	{ 1, "i", SF_INT, offsetof(struct all, i), NULL, NULL },
	{ 2, "text", SF_TEXT, offsetof(struct all, text), NULL, NULL },
	{ 3, "date", SF_DATE, offsetof(struct all, date), NULL, NULL },
	{ 4, "money", SF_MONEY, offsetof(struct all, money), NULL, NULL },
	{ 5, "qty", SF_QTY, offsetof(struct all, qty), NULL, NULL },
	{ 6, "price", SF_PRICE, offsetof(struct all, price), NULL, NULL },
	{ 7, "rate", SF_RATE, offsetof(struct all, rate), NULL, NULL },
	{ 8, "flag", SF_BOOL, offsetof(struct all, flag), NULL, NULL },
	{ 9, "ref", SF_REF, offsetof(struct all, ref), NULL, "other" },
	{ 10, "contacts", SF_LIST, offsetof(struct all, contacts),
	  &contact_schema, NULL },
	{ 200, "note", SF_TEXT, offsetof(struct all, note), NULL, NULL },
};
static const struct store_schema all_schema = {
	"all", 1, sizeof(struct all), all_fields, NELEM(all_fields), NULL, 0, 0,
};

/* The test schema first, then the program's tables. */
static const struct store_schema *schema_at(size_t i)
{
	return i == 0 ? &all_schema : ent_schemas[i - 1];
}

static size_t nschemas(void)
{
	return ent_nschemas + 1;
}

/* ------------------------------------------------ walking a record */

static void *fptr(const struct store_field *f, const void *rec)
{
	return (char *)rec + f->offset;
}

/* The text of an SF_TEXT field; NULL reads as "" (store.h). */
static const char *text_of(const struct store_field *f, const void *rec)
{
	const char *t = *(char *const *)fptr(f, rec);

	return t ? t : "";
}

static int64_t int_of(const struct store_field *f, const void *rec)
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

static bool same_bytes(const uint8_t *a, size_t an, const uint8_t *b,
		       size_t bn)
{
	return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/*
 * True when the fields of a and b (of schema s) are the same; *why
 * names the first difference.
 */
static bool same_fields(const struct store_schema *s, const void *a,
			const void *b, const char **why)
{
	for (size_t i = 0; i < s->nfields; i++) {
		const struct store_field *f = &s->fields[i];

		*why = f->name;
		if (f->type == SF_TEXT) {
			if (strcmp(text_of(f, a), text_of(f, b)) != 0)
				return false;
		} else if (f->type == SF_LIST) {
			const struct store_list *la = fptr(f, a),
						*lb = fptr(f, b);
			if (la->n != lb->n)
				return false;
			for (size_t j = 0; j < la->n; j++) {
				const struct store_elem *ea = (const void *)
					((const char *)la->items + j * f->sub->size);
				const struct store_elem *eb = (const void *)
					((const char *)lb->items + j * f->sub->size);
				if (!same_fields(f->sub, ea, eb, why))
					return false;
				*why = "unknown tags of an element";
				if (!same_bytes(ea->unknown, ea->unknown_len,
						eb->unknown, eb->unknown_len))
					return false;
			}
		} else if (int_of(f, a) != int_of(f, b)) {
			return false;
		}
	}
	return true;
}

/* True when records a and b are the same, header and unknown tags too. */
static bool same_rec(const struct store_schema *s, const void *a,
		     const void *b, const char **why)
{
	const struct store_rec *ha = a, *hb = b;

	*why = "header";
	if (ha->version != hb->version || ha->mtime_us != hb->mtime_us ||
	    strncmp(ha->muser, hb->muser, sizeof ha->muser) != 0)
		return false;
	*why = "unknown tags";
	if (!same_bytes(ha->unknown, ha->unknown_len, hb->unknown,
			hb->unknown_len))
		return false;
	return same_fields(s, a, b, why);
}

/* True when every field of rec holds its default and owns nothing. */
static bool is_clear(const struct store_schema *s, const void *rec)
{
	for (size_t i = 0; i < s->nfields; i++) {
		const struct store_field *f = &s->fields[i];

		if (f->type == SF_TEXT) {
			if (*(char *const *)fptr(f, rec) != NULL)
				return false;
		} else if (f->type == SF_LIST) {
			const struct store_list *l = fptr(f, rec);
			if (l->n != 0 || l->items != NULL)
				return false;
		} else if (int_of(f, rec) != (f->type == SF_DATE ?
					      DATE_NONE : 0)) {
			return false;
		}
	}
	return true;
}

/* True when every text of rec (lists included) is valid UTF-8. */
static bool texts_valid(const struct store_schema *s, const void *rec,
			const char **why)
{
	for (size_t i = 0; i < s->nfields; i++) {
		const struct store_field *f = &s->fields[i];

		*why = f->name;
		if (f->type == SF_TEXT) {
			const char *t = text_of(f, rec);
			if (!utf8_valid(t, strlen(t)))
				return false;
		} else if (f->type == SF_LIST) {
			const struct store_list *l = fptr(f, rec);
			for (size_t j = 0; j < l->n; j++)
				if (!texts_valid(f->sub, (const char *)l->items +
						 j * f->sub->size, why))
					return false;
		}
	}
	return true;
}

/* store_field_text() of every field of rec into buffers of 1..40 bytes. */
static void field_texts(const struct store_schema *s, const void *rec)
{
	static const size_t sizes[] = { 1, 2, 5, 11, 40 };

	for (size_t i = 0; i < s->nfields; i++)
		for (size_t k = 0; k < NELEM(sizes); k++) {
			char *buf = malloc(sizes[k]);
			if (!buf)
				abort();
			store_field_text(&s->fields[i], rec, buf, sizes[k]);
			if (!memchr(buf, 0, sizes[k]))
				fuzz_fail("%s.%s: store_field_text left no "
					  "NUL in %zu bytes", s->name,
					  s->fields[i].name, sizes[k]);
			free(buf);
		}
}

/* A new empty record of schema s. */
static void *new_rec(const struct store_schema *s)
{
	void *rec = calloc(1, s->size);

	if (!rec)
		abort();
	codec_init(s, rec);
	return rec;
}

static void free_rec(const struct store_schema *s, void *rec)
{
	store_rec_clear(s, rec);
	free(rec);
}

/* ----------------------------------------------------------- checks */

/* codec_peek with a login buffer of exactly n bytes. */
static void peek_short(const uint8_t *data, size_t size, size_t n)
{
	char *login = malloc(n);

	if (!login)
		abort();
	if (codec_peek(data, size, NULL, NULL, login, n) == 0 &&
	    !memchr(login, 0, n))
		fuzz_fail("codec_peek left no NUL in a %zu-byte login", n);
	free(login);
}

static void check_schema(const struct store_schema *s, const uint8_t *data,
			 size_t size, bool peek_ok, uint32_t version,
			 int64_t mtime, const char *login)
{
	struct kbuf b1 = { 0 }, b2 = { 0 };
	struct kerr err;
	const char *why;
	void *r1 = new_rec(s), *r2, *r3;
	int ret;

	kerr_clear(&err);
	ret = codec_decode(s, data, size, r1, &err);
	fuzz_note("%s: %s", s->name, ret ? err.msg : "decoded");
	if (ret != 0) {
		if (ret != K_ECORRUPT)
			fuzz_fail("%s: codec_decode gave %d (%s), not "
				  "K_ECORRUPT", s->name, ret, err.msg);
		if (!err.msg[0])
			fuzz_fail("%s: refused without a message", s->name);
		if (!is_clear(s, r1) || ((struct store_rec *)r1)->unknown)
			fuzz_fail("%s: a refused record is not cleared",
				  s->name);
		free_rec(s, r1);
		return;
	}
	if (!peek_ok)
		fuzz_fail("%s: decoded a record whose header peek refuses",
			  s->name);
	{
		const struct store_rec *h = r1;
		if (h->version != version || h->mtime_us != mtime ||
		    strncmp(h->muser, login, sizeof h->muser) != 0)
			fuzz_fail("%s: decode and peek read different headers",
				  s->name);
		if (!memchr(h->muser, 0, sizeof h->muser))
			fuzz_fail("%s: the login has no NUL", s->name);
		if (!utf8_valid(h->muser, strlen(h->muser)))
			fuzz_fail("%s: the login is not valid UTF-8",
				  s->name);
		for (const char *c = h->muser; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				fuzz_fail("%s: the login holds a control "
					  "character", s->name);
	}
	if (!texts_valid(s, r1, &why))
		fuzz_fail("%s.%s: decoded text is not valid UTF-8", s->name,
			  why);

	/* round trip */
	if ((ret = codec_encode(s, r1, &b1)) != 0)
		fuzz_fail("%s: encoding a decoded record gave %d", s->name, ret);
	r2 = new_rec(s);
	if ((ret = codec_decode(s, b1.p, b1.n, r2, &err)) != 0)
		fuzz_fail("%s: decoding a record it encoded: %s", s->name,
			  err.msg);
	if (!same_rec(s, r1, r2, &why))
		fuzz_fail("%s: round trip changed %s", s->name, why);
	if ((ret = codec_encode(s, r2, &b2)) != 0)
		fuzz_fail("%s: encoding again gave %d", s->name, ret);
	if (!same_bytes(b1.p, b1.n, b2.p, b2.n))
		fuzz_fail("%s: encoding the same record twice gave %zu and "
			  "%zu different bytes", s->name, b1.n, b2.n);

	/* a deep copy is the same record */
	r3 = new_rec(s);
	if ((ret = store_rec_copy(s, r3, r1)) != 0)
		fuzz_fail("%s: store_rec_copy gave %d", s->name, ret);
	if (!same_rec(s, r1, r3, &why))
		fuzz_fail("%s: store_rec_copy changed %s", s->name, why);
	free_rec(s, r3);

	/* decoding over a full record frees what it held */
	if ((ret = codec_decode(s, data, size, r2, &err)) != 0 ||
	    !same_rec(s, r1, r2, &why))
		fuzz_fail("%s: decoding over a record differs", s->name);

	field_texts(s, r1);
	kbuf_free(&b1);
	kbuf_free(&b2);
	free_rec(s, r1);
	free_rec(s, r2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t version = 0;
	int64_t mtime = 0;
	char login[32] = "";
	bool peek_ok = codec_peek(data, size, &version, &mtime, login,
				  sizeof login) == 0;

	peek_short(data, size, 1);
	peek_short(data, size, 4);
	for (size_t i = 0; i < nschemas(); i++)
		check_schema(schema_at(i), data, size, peek_ok, version,
			     mtime, login);
	return 0;
}

/* ------------------------------------------------------------ seeds */

/* Appends a varint; for the hand-made broken seeds. */
static void put_varint(struct kbuf *b, uint64_t v)
{
	uint8_t c;

	do {
		c = v & 0x7f;
		v >>= 7;
		if (v)
			c |= 0x80;
		if (kbuf_put(b, &c, 1))
			abort();
	} while (v);
}

static void put_text(struct kbuf *b, unsigned tag, const char *t)
{
	put_varint(b, (uint64_t)tag << 3 | 2);
	put_varint(b, strlen(t));
	if (kbuf_put(b, t, strlen(t)))
		abort();
}

/* Fills every field of rec with a value of its type (k varies them). */
static void fill(const struct store_schema *s, void *rec, int k, int depth)
{
	static const char *const texts[] = {
		"C0001", "上海示例贸易有限公司", "a|b\\c", "Ω", "x",
	};

	for (size_t i = 0; i < s->nfields; i++) {
		const struct store_field *f = &s->fields[i];
		void *p = fptr(f, rec);

		switch (f->type) {
		case SF_TEXT:
			*(char **)p = strdup(texts[(k + (int)i) % 5]);
			break;
		case SF_DATE:
			*(kdate *)p = 20000 + k * 31 + (int)i;
			break;
		case SF_BOOL:
			*(bool *)p = (k + (int)i) % 2;
			break;
		case SF_LIST: {
			struct store_list *l = p;
			size_t n = depth < 2 ? 2 : 0;
			if (!n)
				break;
			if (!(l->items = calloc(n, f->sub->size)))
				abort();
			l->n = n;
			for (size_t j = 0; j < n; j++) {
				void *e = (char *)l->items + j * f->sub->size;
				codec_init(f->sub, e);
				fill(f->sub, e, k + (int)j, depth + 1);
			}
			break;
		}
		default:
			*(int64_t *)p = (k % 2 ? -1 : 1) *
				(int64_t)(12345 * (k + 1) + (int)i);
			break;
		}
	}
}

static int write_seed(const char *dir, const char *name, const struct kbuf *b)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fuzz_write(path, b->p, b->n);
	return 0;
}

/* The record of schema s filled with k, encoded into b (emptied first). */
static void encode_filled(const struct store_schema *s, int k, struct kbuf *b)
{
	void *rec = new_rec(s);
	struct store_rec *h = rec;

	fill(s, rec, k, 0);
	h->version = (uint32_t)k + 1;
	h->mtime_us = INT64_C(1735689600000000) + k;
	snprintf(h->muser, sizeof h->muser, k % 2 ? "clerk" : "王");
	b->n = 0;
	if (codec_encode(s, rec, b))
		abort();
	free_rec(s, rec);
}

int fuzz_make_seeds(const char *dir)
{
	struct kbuf b = { 0 };
	char name[128];

	/* a record of each table, filled */
	for (size_t i = 0; i < nschemas(); i++) {
		encode_filled(schema_at(i), (int)i, &b);
		snprintf(name, sizeof name, "%s.rec", schema_at(i)->name);
		write_seed(dir, name, &b);
	}

	/* the test schema: empty; extremes; unknown tags in the record
	 * and in a list element */
	{
		struct all a;
		memset(&a, 0, sizeof a);
		codec_init(&all_schema, &a);
		b.n = 0;
		codec_encode(&all_schema, &a, &b);
		write_seed(dir, "all-empty.rec", &b);

		a.i = INT64_MIN;
		a.money = INT64_MAX;
		a.qty = -1;
		a.date = INT32_MAX;
		a.rate = 1;
		a.flag = true;
		a.h.version = UINT32_MAX;
		a.h.mtime_us = -1;
		memset(a.h.muser, 'u', sizeof a.h.muser - 1);
		b.n = 0;
		codec_encode(&all_schema, &a, &b);
		write_seed(dir, "all-extremes.rec", &b);
	}
	encode_filled(&all_schema, 7, &b);
	put_text(&b, 999, "from a newer program");   /* unknown tag */
	put_varint(&b, (uint64_t)70000 << 3);        /* tag past 16 bits */
	put_varint(&b, 5);
	write_seed(dir, "all-unknown.rec", &b);
	{
		/* contacts element with an unknown text tag 5 */
		struct kbuf el = { 0 };
		encode_filled(&all_schema, 3, &b);
		put_text(&el, 1, "Lee");
		put_text(&el, 5, "fax");
		put_varint(&b, 10 << 3 | 2);
		put_varint(&b, el.n);
		kbuf_put(&b, el.p, el.n);
		kbuf_free(&el);
		write_seed(dir, "elem-unknown.rec", &b);
	}

	/* broken: a cut record, a bad magic, a length past the end, bad
	 * UTF-8, a bool of 2, a wire type 5, a date past 32 bits */
	encode_filled(&all_schema, 1, &b);
	b.n -= 3;
	write_seed(dir, "cut.rec", &b);
	b.p[0] = 'X';
	write_seed(dir, "bad-magic.rec", &b);
	encode_filled(&all_schema, 2, &b);
	b.n = 17 + b.p[16];
	put_varint(&b, 2 << 3 | 2);
	put_varint(&b, 100);
	kbuf_put(&b, "short", 5);
	write_seed(dir, "past-end.rec", &b);
	b.n = 17 + b.p[16];
	put_varint(&b, 2 << 3 | 2);
	put_varint(&b, 2);
	kbuf_put(&b, "\xc3\x28", 2);
	write_seed(dir, "bad-utf8.rec", &b);
	b.n = 17 + b.p[16];
	put_varint(&b, 8 << 3);
	put_varint(&b, 2);
	write_seed(dir, "bool2.rec", &b);
	b.n = 17 + b.p[16];
	put_varint(&b, 1 << 3 | 5);
	put_varint(&b, 1);
	write_seed(dir, "wire5.rec", &b);
	b.n = 17 + b.p[16];
	put_varint(&b, 3 << 3);
	put_varint(&b, UINT64_C(1) << 40);
	write_seed(dir, "date-big.rec", &b);
	kbuf_free(&b);
	return 0;
}
