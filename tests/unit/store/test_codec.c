/*
 * test_codec.c - the record format and byte-comparable keys.
 *
 * No environment: codec_encode/codec_decode/codec_peek, the key_*
 * builders and the record helpers (store_rec_copy, store_rec_clear,
 * store_field_text).  Every decode of untrusted bytes is done from a
 * buffer of exactly the given length, so valgrind or ASan catch a read
 * past its end; every record is cleared afterwards, so they catch leaks.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/date.h"
#include "base/kerr.h"
#include "base/utf8.h"
#include "store/codec.h"
#include "store/key.h"
#include "store/store.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char CJK[] = "上海示例贸易有限公司";

/* ------------------------------------------------------------ schemas */

/* A list element: no store_rec header, plain fields. */
struct contact {
	struct store_elem e;
	char *name;
	char *phone;
	int64_t calls;
	kdate since;
};

static const struct store_field contact_fields[] = {
	{ 1, "name", SF_TEXT, offsetof(struct contact, name), NULL, NULL },
	{ 2, "phone", SF_TEXT, offsetof(struct contact, phone), NULL, NULL },
	{ 3, "calls", SF_INT, offsetof(struct contact, calls), NULL, NULL },
	{ 4, "since", SF_DATE, offsetof(struct contact, since), NULL, NULL },
};
static const struct store_schema contact_schema = {
	"contact", 1, sizeof(struct contact), contact_fields,
	NELEM(contact_fields), NULL, 0, 0,
};

/* Every field type once. */
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
};
static const struct store_schema all_schema = {
	"all", 1, sizeof(struct all), all_fields, NELEM(all_fields), NULL, 0, 0,
};

/*
 * Schema evolution: v1 knows tags 1 and 2; v2 adds tag 3 (text) and
 * tag 4 (date); v3 dropped tag 2.  One struct serves all of them.
 */
struct evo {
	struct store_rec h;
	char *code;        /* tag 1 */
	int64_t amount;    /* tag 2 */
	char *note;        /* tag 3, since v2 */
	kdate due;         /* tag 4, since v2 */
};

static const struct store_field evo1_fields[] = {
	{ 1, "code", SF_TEXT, offsetof(struct evo, code), NULL, NULL },
	{ 2, "amount", SF_MONEY, offsetof(struct evo, amount), NULL, NULL },
};
static const struct store_field evo2_fields[] = {
	{ 1, "code", SF_TEXT, offsetof(struct evo, code), NULL, NULL },
	{ 2, "amount", SF_MONEY, offsetof(struct evo, amount), NULL, NULL },
	{ 3, "note", SF_TEXT, offsetof(struct evo, note), NULL, NULL },
	{ 4, "due", SF_DATE, offsetof(struct evo, due), NULL, NULL },
};
static const struct store_field evo3_fields[] = {
	{ 1, "code", SF_TEXT, offsetof(struct evo, code), NULL, NULL },
	{ 3, "note", SF_TEXT, offsetof(struct evo, note), NULL, NULL },
	{ 4, "due", SF_DATE, offsetof(struct evo, due), NULL, NULL },
};
static const struct store_schema evo1 = {
	"evo", 1, sizeof(struct evo), evo1_fields, NELEM(evo1_fields), NULL, 0, 0,
};
static const struct store_schema evo2 = {
	"evo", 2, sizeof(struct evo), evo2_fields, NELEM(evo2_fields), NULL, 0, 0,
};
static const struct store_schema evo3 = {
	"evo", 3, sizeof(struct evo), evo3_fields, NELEM(evo3_fields), NULL, 0, 0,
};

/* A list whose element schema grew a field (tag 2) in v2. */
struct tagline {
	struct store_elem e;
	char *label;       /* tag 1 */
	char *extra;       /* tag 2, since v2 */
};
struct doc {
	struct store_rec h;
	char *title;
	struct store_list lines;
};
static const struct store_field line1_fields[] = {
	{ 1, "label", SF_TEXT, offsetof(struct tagline, label), NULL, NULL },
};
static const struct store_field line2_fields[] = {
	{ 1, "label", SF_TEXT, offsetof(struct tagline, label), NULL, NULL },
	{ 2, "extra", SF_TEXT, offsetof(struct tagline, extra), NULL, NULL },
};
static const struct store_schema line1 = {
	"line", 1, sizeof(struct tagline), line1_fields, 1, NULL, 0, 0,
};
static const struct store_schema line2 = {
	"line", 2, sizeof(struct tagline), line2_fields, 2, NULL, 0, 0,
};
static const struct store_field doc1_fields[] = {
	{ 1, "title", SF_TEXT, offsetof(struct doc, title), NULL, NULL },
	{ 2, "lines", SF_LIST, offsetof(struct doc, lines), &line1, NULL },
};
static const struct store_field doc2_fields[] = {
	{ 1, "title", SF_TEXT, offsetof(struct doc, title), NULL, NULL },
	{ 2, "lines", SF_LIST, offsetof(struct doc, lines), &line2, NULL },
};
static const struct store_schema doc1 = {
	"doc", 1, sizeof(struct doc), doc1_fields, 2, NULL, 0, 0,
};
static const struct store_schema doc2 = {
	"doc", 2, sizeof(struct doc), doc2_fields, 2, NULL, 0, 0,
};

/* A tree: a list of itself, to try nesting past the codec's limit. */
struct node {
	struct store_elem e;
	int64_t v;
	struct store_list kids;
};
static const struct store_schema node_schema;
static const struct store_field node_fields[] = {
	{ 1, "v", SF_INT, offsetof(struct node, v), NULL, NULL },
	{ 2, "kids", SF_LIST, offsetof(struct node, kids), &node_schema, NULL },
};
static const struct store_schema node_schema = {
	"node", 1, sizeof(struct node), node_fields, 2, NULL, 0, 0,
};
struct tree {
	struct store_rec h;
	struct store_list kids;
};
static const struct store_field tree_fields[] = {
	{ 1, "kids", SF_LIST, offsetof(struct tree, kids), &node_schema, NULL },
};
static const struct store_schema tree_schema = {
	"tree", 1, sizeof(struct tree), tree_fields, 1, NULL, 0, 0,
};

/* ------------------------------------------------------------ helpers */

/* An empty record as the store hands them out: zeroes, dates unset. */
static void rec_init(const struct store_schema *s, void *rec)
{
	memset(rec, 0, s->size);
	codec_init(s, rec);
}

static void encode_ok(const struct store_schema *s, const void *rec,
		      struct kbuf *b)
{
	b->n = 0;
	assert_int_equal(codec_encode(s, rec, b), 0);
	assert_true(b->n >= CODEC_HDR_MIN);
}

/*
 * Decodes from a private heap copy of exactly len bytes, so that a read
 * past the end is caught by the memory checkers.
 */
static int decode_exact(const struct store_schema *s, const uint8_t *data,
			size_t len, void *rec, struct kerr *err)
{
	uint8_t *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	if (len)
		memcpy(copy, data, len);
	ret = codec_decode(s, len ? copy : NULL, len, rec, err);
	free(copy);
	return ret;
}

static void roundtrip(const struct store_schema *s, const void *in, void *out)
{
	struct kbuf b = { 0 };
	struct kerr e;

	encode_ok(s, in, &b);
	rec_init(s, out);
	kerr_clear(&e);
	assert_int_equal(decode_exact(s, b.p, b.n, out, &e), 0);
	assert_int_equal(e.code, K_OK);
	kbuf_free(&b);
}

/* True when every field of an `all` record has its default. */
static bool all_is_default(const struct all *a)
{
	return a->i == 0 && a->text == NULL && a->date == DATE_NONE &&
	       a->money == 0 && a->qty == 0 && a->price == 0 &&
	       a->rate == 0 && !a->flag && a->ref == 0 &&
	       a->contacts.n == 0 && a->contacts.items == NULL &&
	       a->h.unknown == NULL && a->h.unknown_len == 0 &&
	       a->h.version == 0 && a->h.mtime_us == 0 && a->h.muser[0] == 0;
}

static bool text_empty(const char *t)
{
	return t == NULL || *t == 0;
}

/* A record with every field set, three contacts (one of them empty). */
static void fill_all(struct all *a, struct contact *c3)
{
	rec_init(&all_schema, a);
	a->h.id = 42;
	a->h.version = 7;
	a->h.mtime_us = INT64_C(1700000000123456);
	snprintf(a->h.muser, sizeof a->h.muser, "tester");
	a->i = -123456789;
	a->text = (char *)CJK;
	a->date = 19000;
	a->money = 123456;
	a->qty = -1500;
	a->price = 99999;
	a->rate = 190000;
	a->flag = true;
	a->ref = 77;
	c3[0] = (struct contact){ { 0 }, "Li Wei 李伟", "+86 21 5555 0101", 3, 18000 };
	c3[1] = (struct contact){ { 0 }, NULL, NULL, 0, DATE_NONE };
	c3[2] = (struct contact){ { 0 }, "Zhang", "", -1, -1 };
	a->contacts.items = c3;
	a->contacts.n = 3;
}

/* Appends a varint. */
static void put_varint(struct kbuf *b, uint64_t v)
{
	do {
		uint8_t c = v & 0x7f;
		v >>= 7;
		if (v)
			c |= 0x80;
		assert_int_equal(kbuf_put(b, &c, 1), 0);
	} while (v);
}

/* A valid header (login "x") for hand-made records. */
static void put_header(struct kbuf *b)
{
	static const uint8_t hdr[] = {
		'K', 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 'x',
	};
	b->n = 0;
	assert_int_equal(kbuf_put(b, hdr, sizeof hdr), 0);
}

/* A text (wire 2) field with raw bytes. */
static void put_len_field(struct kbuf *b, unsigned tag, const void *p,
			  size_t n)
{
	put_varint(b, (uint64_t)tag << 3 | 2);
	put_varint(b, n);
	assert_int_equal(kbuf_put(b, p, n), 0);
}

/* Decoding b must give K_ECORRUPT, set err and leave rec cleared. */
static void expect_corrupt(const struct kbuf *b)
{
	struct all a;
	struct kerr e;

	rec_init(&all_schema, &a);
	kerr_clear(&e);
	assert_int_equal(decode_exact(&all_schema, b->p, b->n, &a, &e),
			 K_ECORRUPT);
	assert_int_equal(e.code, K_ECORRUPT);
	assert_true(e.msg[0] != 0);
	assert_true(all_is_default(&a));
	store_rec_clear(&all_schema, &a);
}

/* ------------------------------------------------------------ empty input */

static void test_decode_null_and_empty(void **state)
{
	struct all a;
	struct kerr e;
	uint32_t v = 99;

	(void)state;
	rec_init(&all_schema, &a);
	kerr_clear(&e);
	assert_int_equal(codec_decode(&all_schema, NULL, 0, &a, &e), K_ECORRUPT);
	assert_int_equal(e.code, K_ECORRUPT);
	assert_true(all_is_default(&a));
	/* err may be NULL */
	assert_int_equal(codec_decode(&all_schema, "", 0, &a, NULL), K_ECORRUPT);
	assert_int_equal(codec_peek(NULL, 0, &v, NULL, NULL, 0), K_ECORRUPT);
	assert_int_equal(v, 99);
	assert_int_equal(codec_peek("K", 1, NULL, NULL, NULL, 0), K_ECORRUPT);
	store_rec_clear(&all_schema, &a);
}

static void test_empty_record_roundtrip(void **state)
{
	struct all in, out;
	struct kbuf b = { 0 };

	(void)state;
	rec_init(&all_schema, &in);
	/* defaults are not written: a bare header, no login */
	encode_ok(&all_schema, &in, &b);
	assert_int_equal(b.n, CODEC_HDR_MIN);
	kbuf_free(&b);
	roundtrip(&all_schema, &in, &out);
	assert_true(all_is_default(&out));
	store_rec_clear(&all_schema, &out);
}

/* ------------------------------------------------------------ field types */

static void test_int_roundtrip(void **state)
{
	static const int64_t vals[] = {
		INT64_MIN, INT64_MIN + 1, -300, -1, 0, 1, 63, 64, 300,
		INT64_MAX - 1, INT64_MAX,
	};

	(void)state;
	for (size_t i = 0; i < NELEM(vals); i++) {
		struct all in, out;
		rec_init(&all_schema, &in);
		in.i = vals[i];
		in.ref = vals[i];
		roundtrip(&all_schema, &in, &out);
		assert_true(out.i == vals[i]);
		assert_true(out.ref == vals[i]);
		assert_int_equal(out.money, 0);
		store_rec_clear(&all_schema, &out);
	}
}

static void test_text_roundtrip(void **state)
{
	static const char *const texts[] = {
		"A0001", "plain ASCII, with punctuation: \"';\\", CJK,
		"Ünïcödé – emoji 😀", "x",
	};
	struct all in, out;
	char big[5000];

	(void)state;
	for (size_t i = 0; i < NELEM(texts); i++) {
		rec_init(&all_schema, &in);
		in.text = (char *)texts[i];
		roundtrip(&all_schema, &in, &out);
		assert_non_null(out.text);
		assert_string_equal(out.text, texts[i]);
		/* the decoded text belongs to the record */
		assert_ptr_not_equal(out.text, texts[i]);
		store_rec_clear(&all_schema, &out);
		assert_null(out.text);
	}

	/* a text longer than one varint byte of length */
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = 0;
	rec_init(&all_schema, &in);
	in.text = big;
	roundtrip(&all_schema, &in, &out);
	assert_string_equal(out.text, big);
	store_rec_clear(&all_schema, &out);

	/* empty and NULL both read back as the empty text */
	rec_init(&all_schema, &in);
	in.text = "";
	roundtrip(&all_schema, &in, &out);
	assert_true(text_empty(out.text));
	store_rec_clear(&all_schema, &out);

	rec_init(&all_schema, &in);
	in.text = NULL;
	roundtrip(&all_schema, &in, &out);
	assert_null(out.text);
	store_rec_clear(&all_schema, &out);
}

static void test_date_roundtrip(void **state)
{
	kdate first, last;
	struct all in, out;

	(void)state;
	assert_int_equal(date_from_ymd(1, 1, 1, &first), 0);
	assert_int_equal(date_from_ymd(9999, 12, 31, &last), 0);
	const kdate vals[] = { 0, 1, -1, -25567 /* 1900-01-01 */, 19723,
			       first, last, INT32_MAX, INT32_MIN + 1 };

	/* DATE_NONE stays DATE_NONE */
	rec_init(&all_schema, &in);
	assert_int_equal(in.date, DATE_NONE);
	roundtrip(&all_schema, &in, &out);
	assert_int_equal(out.date, DATE_NONE);
	store_rec_clear(&all_schema, &out);

	for (size_t i = 0; i < NELEM(vals); i++) {
		rec_init(&all_schema, &in);
		in.date = vals[i];
		roundtrip(&all_schema, &in, &out);
		/* 0 is 1970-01-01, a real date, not "no date" */
		assert_int_equal(out.date, vals[i]);
		store_rec_clear(&all_schema, &out);
	}
}

static void test_amounts_roundtrip(void **state)
{
	static const int64_t vals[] = {
		INT64_MIN, -100000000000LL, -1, 1, 5, 123456, 100000000000LL,
		INT64_MAX,
	};

	(void)state;
	for (size_t i = 0; i < NELEM(vals); i++) {
		struct all in, out;
		rec_init(&all_schema, &in);
		in.money = vals[i];
		in.qty = vals[(i + 3) % NELEM(vals)];
		in.price = vals[NELEM(vals) - 1 - i];
		in.rate = vals[i] / 7;
		roundtrip(&all_schema, &in, &out);
		assert_true(out.money == in.money);
		assert_true(out.qty == in.qty);
		assert_true(out.price == in.price);
		assert_true(out.rate == in.rate);
		store_rec_clear(&all_schema, &out);
	}
}

static void test_bool_roundtrip(void **state)
{
	struct all in, out;

	(void)state;
	rec_init(&all_schema, &in);
	in.flag = true;
	roundtrip(&all_schema, &in, &out);
	assert_true(out.flag);
	store_rec_clear(&all_schema, &out);

	in.flag = false;
	roundtrip(&all_schema, &in, &out);
	assert_false(out.flag);
	store_rec_clear(&all_schema, &out);
}

static void test_list_roundtrip(void **state)
{
	struct all in, out;
	struct contact c[3];

	(void)state;
	/* 0 elements */
	rec_init(&all_schema, &in);
	roundtrip(&all_schema, &in, &out);
	assert_int_equal(out.contacts.n, 0);
	assert_null(out.contacts.items);
	store_rec_clear(&all_schema, &out);

	/* 1 element with texts */
	rec_init(&all_schema, &in);
	c[0] = (struct contact){ { 0 }, (char *)CJK, "+86 21 1234", 12, 0 };
	in.contacts.items = c;
	in.contacts.n = 1;
	roundtrip(&all_schema, &in, &out);
	assert_int_equal(out.contacts.n, 1);
	const struct contact *o = out.contacts.items;
	assert_string_equal(o[0].name, CJK);
	assert_string_equal(o[0].phone, "+86 21 1234");
	assert_int_equal(o[0].calls, 12);
	assert_int_equal(o[0].since, 0);
	store_rec_clear(&all_schema, &out);

	/* 3 elements, the middle one all defaults: count and order kept */
	fill_all(&in, c);
	roundtrip(&all_schema, &in, &out);
	assert_int_equal(out.contacts.n, 3);
	o = out.contacts.items;
	assert_string_equal(o[0].name, "Li Wei 李伟");
	assert_string_equal(o[0].phone, "+86 21 5555 0101");
	assert_int_equal(o[0].calls, 3);
	assert_int_equal(o[0].since, 18000);
	assert_null(o[1].name);
	assert_null(o[1].phone);
	assert_int_equal(o[1].calls, 0);
	assert_int_equal(o[1].since, DATE_NONE);
	assert_string_equal(o[2].name, "Zhang");
	assert_true(text_empty(o[2].phone));
	assert_true(o[2].calls == -1);
	assert_int_equal(o[2].since, -1);
	/* and the other fields next to the list */
	assert_string_equal(out.text, CJK);
	assert_true(out.i == -123456789);
	assert_int_equal(out.money, 123456);
	assert_true(out.flag);
	store_rec_clear(&all_schema, &out);
	assert_int_equal(out.contacts.n, 0);
	assert_null(out.contacts.items);
}

static void test_nesting_limit(void **state)
{
	struct kbuf b = { 0 }, el = { 0 };
	struct tree t;
	struct kerr e;

	(void)state;
	/* 3 levels below the record: fine both ways */
	struct node n3 = { { 0 }, 3, { NULL, 0 } };
	struct node n2 = { { 0 }, 2, { &n3, 1 } };
	struct node n1 = { { 0 }, 1, { &n2, 1 } };
	struct tree in;
	rec_init(&tree_schema, &in);
	in.kids.items = &n1;
	in.kids.n = 1;
	roundtrip(&tree_schema, &in, &t);
	assert_int_equal(t.kids.n, 1);
	const struct node *k = t.kids.items;
	assert_int_equal(k->v, 1);
	k = k->kids.items;
	assert_int_equal(k->v, 2);
	k = k->kids.items;
	assert_int_equal(k->v, 3);
	assert_int_equal(k->kids.n, 0);
	store_rec_clear(&tree_schema, &t);

	/* 200 nested empty lists made by hand: refused, no stack overflow */
	el.n = 0;
	for (int i = 0; i < 200; i++) {
		struct kbuf outer = { 0 };
		put_varint(&outer, 2 << 3 | 2);   /* node.kids */
		put_varint(&outer, el.n);
		assert_int_equal(kbuf_put(&outer, el.p, el.n), 0);
		kbuf_free(&el);
		el = outer;
	}
	put_header(&b);
	put_varint(&b, 1 << 3 | 2);               /* tree.kids */
	put_varint(&b, el.n);
	assert_int_equal(kbuf_put(&b, el.p, el.n), 0);
	rec_init(&tree_schema, &t);
	kerr_clear(&e);
	assert_int_equal(decode_exact(&tree_schema, b.p, b.n, &t, &e),
			 K_ECORRUPT);
	assert_int_equal(t.kids.n, 0);
	assert_null(t.kids.items);
	store_rec_clear(&tree_schema, &t);
	kbuf_free(&el);
	kbuf_free(&b);
}

/* ------------------------------------------------------------ header */

static void test_header_roundtrip(void **state)
{
	struct all in, out;
	struct contact c[3];
	struct kbuf b = { 0 };
	uint32_t version = 0;
	int64_t mtime = 0;
	char login[32], small[4];

	(void)state;
	fill_all(&in, c);
	encode_ok(&all_schema, &in, &b);

	rec_init(&all_schema, &out);
	assert_int_equal(decode_exact(&all_schema, b.p, b.n, &out, NULL), 0);
	assert_int_equal(out.h.version, 7);
	assert_true(out.h.mtime_us == INT64_C(1700000000123456));
	assert_string_equal(out.h.muser, "tester");
	/* the id is the key, not part of the value */
	assert_int_equal(out.h.id, 0);
	store_rec_clear(&all_schema, &out);

	/* peek reads the header alone, even when the fields are cut off */
	memset(login, 'x', sizeof login);
	assert_int_equal(codec_peek(b.p, CODEC_HDR_MIN + 6, &version, &mtime,
				    login, sizeof login), 0);
	assert_int_equal(version, 7);
	assert_true(mtime == INT64_C(1700000000123456));
	assert_string_equal(login, "tester");
	/* every output is optional; a small login buffer truncates */
	assert_int_equal(codec_peek(b.p, b.n, NULL, NULL, NULL, 0), 0);
	assert_int_equal(codec_peek(b.p, b.n, NULL, NULL, small, sizeof small), 0);
	assert_string_equal(small, "tes");
	/* the login must fit in the buffer given */
	assert_int_equal(codec_peek(b.p, CODEC_HDR_MIN + 5, &version, NULL,
				    NULL, 0), K_ECORRUPT);
	kbuf_free(&b);

	/* extreme header values and the longest login */
	rec_init(&all_schema, &in);
	in.h.version = UINT32_MAX;
	in.h.mtime_us = INT64_MAX;
	memset(in.h.muser, 'L', sizeof in.h.muser - 1);
	in.h.muser[sizeof in.h.muser - 1] = 0;
	roundtrip(&all_schema, &in, &out);
	assert_true(out.h.version == UINT32_MAX);
	assert_true(out.h.mtime_us == INT64_MAX);
	assert_string_equal(out.h.muser, in.h.muser);
	store_rec_clear(&all_schema, &out);

	/* a login of 32 characters with no NUL is cut, not overrun */
	memset(in.h.muser, 'M', sizeof in.h.muser);
	roundtrip(&all_schema, &in, &out);
	assert_int_equal(strlen(out.h.muser), sizeof out.h.muser - 1);
	store_rec_clear(&all_schema, &out);
}

/*
 * The login in a header is for people to read: bytes that are not UTF-8
 * text, and control characters (an escape sequence a terminal would
 * obey), read as '?', and the record still reads (fuzz_codec found a
 * header login of raw bytes passed through).
 */
static void test_header_login_text(void **state)
{
	struct all in, out;
	struct kbuf b = { 0 };
	char login[32], cut[5];
	/* "a" ESC "[31m" 0xff NUL "王" */
	static const char raw[] = "a\x1b[31m\xff\0\xe7\x8e\x8b";
	size_t rawlen = sizeof raw - 1;

	(void)state;
	rec_init(&all_schema, &in);
	encode_ok(&all_schema, &in, &b);
	/* splice the raw login into the header: length byte, then bytes */
	b.n = CODEC_HDR_MIN - 1;
	b.p[b.n++] = (uint8_t)rawlen;
	assert_int_equal(kbuf_put(&b, raw, rawlen), 0);
	assert_int_equal(codec_peek(b.p, b.n, NULL, NULL, login, sizeof login),
			 0);
	assert_string_equal(login, "a?[31m??王");
	rec_init(&all_schema, &out);
	assert_int_equal(decode_exact(&all_schema, b.p, b.n, &out, NULL), 0);
	assert_string_equal(out.h.muser, "a?[31m??王");
	store_rec_clear(&all_schema, &out);
	kbuf_free(&b);

	/* a cut falls between characters: 王 takes 3 bytes, 4 fit */
	codec_login(cut, sizeof cut, "王王", strlen("王王"));
	assert_string_equal(cut, "王");
	codec_login(cut, sizeof cut, "abcdef", 6);
	assert_string_equal(cut, "abcd");
	/* C1 controls too (U+009B is a terminal's CSI) */
	codec_login(login, sizeof login, "x\xc2\x9by", 4);
	assert_string_equal(login, "x?y");
}

/* ------------------------------------------------------------ record helpers */

static void test_rec_copy_and_clear(void **state)
{
	struct all in, copy, out;
	struct contact c[3];
	struct kbuf b = { 0 };

	(void)state;
	fill_all(&in, c);
	assert_int_equal(store_rec_copy(&all_schema, &copy, &in), 0);
	assert_int_equal(copy.h.id, 42);
	assert_int_equal(copy.h.version, 7);
	assert_string_equal(copy.h.muser, "tester");
	assert_string_equal(copy.text, CJK);
	assert_ptr_not_equal(copy.text, in.text);
	assert_int_equal(copy.contacts.n, 3);
	assert_ptr_not_equal(copy.contacts.items, in.contacts.items);
	/* the copy encodes to the same bytes */
	encode_ok(&all_schema, &copy, &b);
	struct kbuf b2 = { 0 };
	encode_ok(&all_schema, &in, &b2);
	assert_int_equal(b.n, b2.n);
	assert_memory_equal(b.p, b2.p, b.n);
	kbuf_free(&b2);

	/* a copy of a record with unknown fields keeps them */
	rec_init(&all_schema, &out);
	static const uint8_t unk[] = { 0x98, 0x06, 0x05 };  /* tag 99 = 5 */
	assert_int_equal(kbuf_put(&b, unk, sizeof unk), 0);
	assert_int_equal(decode_exact(&all_schema, b.p, b.n, &out, NULL), 0);
	assert_int_equal(out.h.unknown_len, sizeof unk);
	store_rec_clear(&all_schema, &copy);
	assert_int_equal(store_rec_copy(&all_schema, &copy, &out), 0);
	assert_int_equal(copy.h.unknown_len, sizeof unk);
	assert_memory_equal(copy.h.unknown, unk, sizeof unk);
	assert_ptr_not_equal(copy.h.unknown, out.h.unknown);
	store_rec_clear(&all_schema, &out);
	kbuf_free(&b);

	/* clear frees everything and resets to the defaults, twice is fine */
	store_rec_clear(&all_schema, &copy);
	assert_true(all_is_default(&copy));
	assert_int_equal(copy.h.id, 0);
	store_rec_clear(&all_schema, &copy);
	assert_true(all_is_default(&copy));

	/* copying an empty record */
	rec_init(&all_schema, &in);
	assert_int_equal(store_rec_copy(&all_schema, &copy, &in), 0);
	assert_true(all_is_default(&copy));
	store_rec_clear(&all_schema, &copy);
}

static const struct store_field *field(const char *name)
{
	const struct store_field *f = store_field_find(&all_schema, name);
	assert_non_null(f);
	return f;
}

static void test_field_text(void **state)
{
	struct all a;
	struct contact c[3];
	char buf[64];

	(void)state;
	assert_null(store_field_find(&all_schema, "nope"));
	assert_null(store_field_find(&all_schema, ""));

	rec_init(&all_schema, &a);
	/* defaults */
	assert_string_equal(store_field_text(field("text"), &a, buf, sizeof buf), "");
	assert_string_equal(store_field_text(field("date"), &a, buf, sizeof buf), "");
	assert_string_equal(store_field_text(field("flag"), &a, buf, sizeof buf), "false");
	assert_string_equal(store_field_text(field("i"), &a, buf, sizeof buf), "0");

	fill_all(&a, c);
	a.i = INT64_MIN;
	a.money = -123456;
	a.qty = 1500;
	a.price = 99999;
	a.rate = 190000;
	a.date = 0;
	assert_string_equal(store_field_text(field("text"), &a, buf, sizeof buf), CJK);
	assert_string_equal(store_field_text(field("i"), &a, buf, sizeof buf),
			    "-9223372036854775808");
	assert_string_equal(store_field_text(field("ref"), &a, buf, sizeof buf), "77");
	assert_string_equal(store_field_text(field("date"), &a, buf, sizeof buf),
			    "1970-01-01");
	assert_string_equal(store_field_text(field("money"), &a, buf, sizeof buf),
			    "-1234.56");
	assert_string_equal(store_field_text(field("qty"), &a, buf, sizeof buf), "1.500");
	assert_string_equal(store_field_text(field("price"), &a, buf, sizeof buf),
			    "9.9999");
	assert_string_equal(store_field_text(field("rate"), &a, buf, sizeof buf),
			    "0.190000");
	assert_string_equal(store_field_text(field("flag"), &a, buf, sizeof buf), "true");

	/* a small buffer truncates, a zero-sized one is left alone */
	assert_string_equal(store_field_text(field("ref"), &a, buf, 2), "7");
	buf[0] = '#';
	assert_ptr_equal(store_field_text(field("ref"), &a, buf, 0), buf);
	assert_int_equal(buf[0], '#');
}

/* store.h: lists are formatted as "[n items]". */
static void test_field_text_list(void **state)
{
	struct all a;
	struct contact c[3];
	char buf[64];

	(void)state;
	fill_all(&a, c);
	assert_string_equal(store_field_text(field("contacts"), &a, buf,
					     sizeof buf), "[3 items]");
}

/* ------------------------------------------------------------ evolution */

static void test_evolution_new_field_default(void **state)
{
	struct evo in, out;
	struct kbuf b = { 0 };

	(void)state;
	rec_init(&evo1, &in);
	in.code = "E1";
	in.amount = 500;
	encode_ok(&evo1, &in, &b);

	/* v2 reads a v1 record: the new fields have their defaults */
	rec_init(&evo2, &out);
	out.note = strdup("stale");   /* decode clears rec first */
	assert_int_equal(decode_exact(&evo2, b.p, b.n, &out, NULL), 0);
	assert_string_equal(out.code, "E1");
	assert_int_equal(out.amount, 500);
	assert_null(out.note);
	assert_int_equal(out.due, DATE_NONE);
	assert_int_equal(out.h.unknown_len, 0);
	store_rec_clear(&evo2, &out);
	kbuf_free(&b);
}

static void test_evolution_old_program_keeps_unknown(void **state)
{
	struct evo in, old, out;
	struct kbuf b = { 0 };

	(void)state;
	rec_init(&evo2, &in);
	in.code = "E2";
	in.amount = 700;
	in.note = (char *)CJK;
	in.due = 0;
	encode_ok(&evo2, &in, &b);

	/* v1 reads a v2 record: tags 3 and 4 are kept aside */
	rec_init(&evo1, &old);
	assert_int_equal(decode_exact(&evo1, b.p, b.n, &old, NULL), 0);
	assert_string_equal(old.code, "E2");
	assert_int_equal(old.amount, 700);
	assert_null(old.note);
	assert_int_equal(old.due, 0);     /* v1 does not know "due" at all */
	assert_true(old.h.unknown_len > 0);
	assert_non_null(old.h.unknown);

	/* v1 changes what it knows and writes the record back */
	free(old.code);
	old.code = strdup("E2-renamed");
	old.amount = 701;
	encode_ok(&evo1, &old, &b);
	store_rec_clear(&evo1, &old);

	/* v2 still finds its fields: nothing lost by the old program */
	rec_init(&evo2, &out);
	assert_int_equal(decode_exact(&evo2, b.p, b.n, &out, NULL), 0);
	assert_string_equal(out.code, "E2-renamed");
	assert_int_equal(out.amount, 701);
	assert_non_null(out.note);
	assert_string_equal(out.note, CJK);
	assert_int_equal(out.due, 0);
	assert_int_equal(out.h.unknown_len, 0);
	store_rec_clear(&evo2, &out);
	kbuf_free(&b);
}

static void test_evolution_removed_field(void **state)
{
	struct evo in, out;
	struct kbuf b = { 0 };

	(void)state;
	rec_init(&evo2, &in);
	in.code = "E3";
	in.amount = 900;
	in.note = "n";
	in.due = 20000;
	encode_ok(&evo2, &in, &b);

	/* v3 dropped tag 2: skipped, the rest decodes */
	rec_init(&evo3, &out);
	assert_int_equal(decode_exact(&evo3, b.p, b.n, &out, NULL), 0);
	assert_string_equal(out.code, "E3");
	assert_int_equal(out.amount, 0);
	assert_string_equal(out.note, "n");
	assert_int_equal(out.due, 20000);
	store_rec_clear(&evo3, &out);
	kbuf_free(&b);
}

/*
 * A newer program added a field to the elements of a list; an older one
 * rewrites the record.  The element field must survive like a top-level
 * one does (codec.h: unknown tags are "written back unchanged").
 */
static void test_evolution_list_element_field_kept(void **state)
{
	struct doc in, old, out;
	struct tagline l[2] = { { { 0 }, "one", "extra-1" },
				{ { 0 }, "two", "extra-2" } };
	struct kbuf b = { 0 };

	(void)state;
	rec_init(&doc2, &in);
	in.title = "T";
	in.lines.items = l;
	in.lines.n = 2;
	encode_ok(&doc2, &in, &b);

	rec_init(&doc1, &old);
	assert_int_equal(decode_exact(&doc1, b.p, b.n, &old, NULL), 0);
	assert_int_equal(old.lines.n, 2);
	free(old.title);
	old.title = strdup("T2");
	encode_ok(&doc1, &old, &b);
	store_rec_clear(&doc1, &old);

	rec_init(&doc2, &out);
	assert_int_equal(decode_exact(&doc2, b.p, b.n, &out, NULL), 0);
	assert_string_equal(out.title, "T2");
	assert_int_equal(out.lines.n, 2);
	const struct tagline *o = out.lines.items;
	assert_string_equal(o[0].label, "one");
	assert_string_equal(o[1].label, "two");
	/* checked after freeing, so a failure leaks nothing */
	bool kept0 = o[0].extra && strcmp(o[0].extra, "extra-1") == 0;
	bool kept1 = o[1].extra && strcmp(o[1].extra, "extra-2") == 0;
	store_rec_clear(&doc2, &out);
	kbuf_free(&b);
	if (!kept0 || !kept1)
		print_error("the element field written by v2 was dropped by v1\n");
	assert_true(kept0);
	assert_true(kept1);
}

/* ------------------------------------------------------------ corruption */

/*
 * Cut a full record at every length: either K_ECORRUPT with rec cleared,
 * or success exactly at a field boundary (re-encoding gives the prefix).
 */
static void test_corrupt_truncated(void **state)
{
	struct all in, out;
	struct contact c[3];
	struct kbuf b = { 0 }, again = { 0 };
	unsigned corrupt = 0, ok = 0;

	(void)state;
	fill_all(&in, c);
	encode_ok(&all_schema, &in, &b);
	size_t hdr = CODEC_HDR_MIN + strlen("tester");

	for (size_t len = 0; len <= b.n; len++) {
		struct kerr e;
		rec_init(&all_schema, &out);
		kerr_clear(&e);
		int ret = decode_exact(&all_schema, b.p, len, &out, &e);
		if (len < hdr || ret) {
			if (ret != K_ECORRUPT)
				print_error("length %zu of %zu: %d\n", len, b.n, ret);
			assert_int_equal(ret, K_ECORRUPT);
			assert_int_equal(e.code, K_ECORRUPT);
			assert_true(all_is_default(&out));
			corrupt++;
		} else {
			encode_ok(&all_schema, &out, &again);
			if (again.n != len || memcmp(again.p, b.p, len) != 0)
				print_error("length %zu of %zu decoded as something else\n",
					    len, b.n);
			assert_int_equal(again.n, len);
			assert_memory_equal(again.p, b.p, len);
			ok++;
		}
		store_rec_clear(&all_schema, &out);
	}
	/* the whole record and the header alone decode; most cuts do not */
	assert_true(ok >= 2);
	assert_true(corrupt > b.n / 2);
	kbuf_free(&b);
	kbuf_free(&again);
}

static void test_corrupt_header(void **state)
{
	struct all in;
	struct kbuf b = { 0 };

	(void)state;
	rec_init(&all_schema, &in);
	in.i = 5;
	in.text = "a text long enough to hold a 32-byte login";
	snprintf(in.h.muser, sizeof in.h.muser, "tester");
	encode_ok(&all_schema, &in, &b);
	assert_true(b.n > CODEC_HDR_MIN + 32);

	b.p[0] = 'k';                        /* bad magic */
	expect_corrupt(&b);
	b.p[0] = 'K';
	b.p[1] = 2;                          /* unknown format */
	expect_corrupt(&b);
	b.p[1] = 1;
	b.p[16] = 200;                       /* login past the end */
	expect_corrupt(&b);
	b.p[16] = 32;                        /* longer than any login */
	expect_corrupt(&b);
	b.p[16] = (uint8_t)strlen("tester");
	struct all out;
	rec_init(&all_schema, &out);
	assert_int_equal(decode_exact(&all_schema, b.p, b.n, &out, NULL), 0);
	assert_int_equal(out.i, 5);
	store_rec_clear(&all_schema, &out);
	kbuf_free(&b);
}

static void test_corrupt_length_past_end(void **state)
{
	struct kbuf b = { 0 };

	(void)state;
	/* text of 10 bytes claimed, 3 present */
	put_header(&b);
	put_varint(&b, 2 << 3 | 2);
	put_varint(&b, 10);
	assert_int_equal(kbuf_put(&b, "abc", 3), 0);
	expect_corrupt(&b);

	/* an unknown field too: its length is checked before it is kept */
	put_header(&b);
	put_varint(&b, 77 << 3 | 2);
	put_varint(&b, 10);
	assert_int_equal(kbuf_put(&b, "abc", 3), 0);
	expect_corrupt(&b);

	/* a huge length (would wrap a pointer) */
	put_header(&b);
	put_varint(&b, 2 << 3 | 2);
	put_varint(&b, UINT64_MAX);
	assert_int_equal(kbuf_put(&b, "abc", 3), 0);
	expect_corrupt(&b);

	/* a list element whose inside claims more than the element holds */
	put_header(&b);
	put_varint(&b, 10 << 3 | 2);
	put_varint(&b, 3);
	put_varint(&b, 1 << 3 | 2);   /* contact.name */
	put_varint(&b, 5);
	assert_int_equal(kbuf_put(&b, "a", 1), 0);
	assert_int_equal(kbuf_put(&b, "bcdef", 5), 0);   /* outside the element */
	expect_corrupt(&b);

	/* a field key cut in the middle of its varint */
	put_header(&b);
	static const uint8_t cut[] = { 0x80 };
	assert_int_equal(kbuf_put(&b, cut, 1), 0);
	expect_corrupt(&b);

	/* a varint of 11 bytes, and one that overflows 64 bits */
	put_header(&b);
	put_varint(&b, 1 << 3 | 0);
	static const uint8_t longv[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
					 0x80, 0x80, 0x80, 0x80, 0x01 };
	assert_int_equal(kbuf_put(&b, longv, sizeof longv), 0);
	expect_corrupt(&b);
	put_header(&b);
	put_varint(&b, 1 << 3 | 0);
	static const uint8_t over[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					0xff, 0xff, 0xff, 0x02 };
	assert_int_equal(kbuf_put(&b, over, sizeof over), 0);
	expect_corrupt(&b);
	kbuf_free(&b);
}

static void test_corrupt_text(void **state)
{
	static const struct {
		const char *bytes;
		size_t n;
	} bad[] = {
		{ "\xff\xfe", 2 },
		{ "abc\x80", 4 },               /* lone continuation */
		{ "\xc0\xaf", 2 },              /* overlong '/' */
		{ "\xed\xa0\x80", 3 },          /* surrogate */
		{ "\xe4\xb8", 2 },              /* cut CJK character */
		{ "a\0b", 3 },                  /* embedded NUL */
		{ "\0", 1 },
	};
	struct kbuf b = { 0 };

	(void)state;
	for (size_t i = 0; i < NELEM(bad); i++) {
		put_header(&b);
		put_varint(&b, 1 << 3 | 0);     /* a good field first */
		put_varint(&b, 2);
		put_len_field(&b, 2, bad[i].bytes, bad[i].n);
		expect_corrupt(&b);

		/* the same inside a list element */
		struct kbuf el = { 0 };
		put_len_field(&el, 1, bad[i].bytes, bad[i].n);
		put_header(&b);
		put_len_field(&b, 10, el.p, el.n);
		expect_corrupt(&b);
		kbuf_free(&el);
	}

	/* the good CJK text made the same way decodes */
	struct all a;
	put_header(&b);
	put_len_field(&b, 2, CJK, strlen(CJK));
	rec_init(&all_schema, &a);
	assert_int_equal(decode_exact(&all_schema, b.p, b.n, &a, NULL), 0);
	assert_string_equal(a.text, CJK);
	store_rec_clear(&all_schema, &a);
	kbuf_free(&b);
}

static void test_corrupt_wire_types(void **state)
{
	struct kbuf b = { 0 };

	(void)state;
	/* a known varint field sent as wire 2 (SF_INT, SF_DATE, SF_BOOL) */
	static const unsigned varint_tags[] = { 1, 3, 4, 8, 9 };
	for (size_t i = 0; i < NELEM(varint_tags); i++) {
		put_header(&b);
		put_len_field(&b, varint_tags[i], "\x01", 1);
		expect_corrupt(&b);
	}
	/* a text or a list sent as a varint */
	put_header(&b);
	put_varint(&b, 2 << 3 | 0);
	put_varint(&b, 5);
	expect_corrupt(&b);
	put_header(&b);
	put_varint(&b, 10 << 3 | 0);
	put_varint(&b, 5);
	expect_corrupt(&b);
	/* wire types the format does not have, even for unknown tags */
	for (unsigned w = 1; w < 8; w++) {
		if (w == 2)
			continue;
		put_header(&b);
		put_varint(&b, 1 << 3 | w);
		put_varint(&b, 0);
		expect_corrupt(&b);
		put_header(&b);
		put_varint(&b, 500 << 3 | w);
		put_varint(&b, 0);
		expect_corrupt(&b);
	}
	/* values out of their type's range */
	put_header(&b);
	put_varint(&b, 3 << 3 | 0);              /* date beyond int32 */
	put_varint(&b, (uint64_t)INT32_MAX * 2 + 2);
	expect_corrupt(&b);
	put_header(&b);
	put_varint(&b, 8 << 3 | 0);              /* bool 2 */
	put_varint(&b, 4);
	expect_corrupt(&b);
	put_header(&b);
	put_varint(&b, 8 << 3 | 0);              /* bool -1 */
	put_varint(&b, 1);
	expect_corrupt(&b);

	/* an unknown tag of any size is kept, not refused */
	struct all a;
	put_header(&b);
	put_varint(&b, (uint64_t)70000 << 3 | 0);
	put_varint(&b, 1);
	put_varint(&b, 1 << 3 | 0);
	put_varint(&b, 6);
	rec_init(&all_schema, &a);
	assert_int_equal(decode_exact(&all_schema, b.p, b.n, &a, NULL), 0);
	assert_int_equal(a.i, 3);
	assert_true(a.h.unknown_len > 0);
	store_rec_clear(&all_schema, &a);
	kbuf_free(&b);
}

/* Checks a successfully decoded random record is sane. */
static void check_sane(const struct all *a)
{
	if (a->text) {
		assert_true(a->text[0] != 0);
		assert_true(utf8_valid(a->text, strlen(a->text)));
	}
	assert_true(a->contacts.n == 0 || a->contacts.items != NULL);
	const struct contact *c = a->contacts.items;
	for (size_t i = 0; i < a->contacts.n; i++) {
		if (c[i].name)
			assert_true(utf8_valid(c[i].name, strlen(c[i].name)));
		if (c[i].phone)
			assert_true(utf8_valid(c[i].phone, strlen(c[i].phone)));
	}
	assert_true(a->h.unknown_len == 0 || a->h.unknown != NULL);
	assert_true(a->h.muser[sizeof a->h.muser - 1] == 0);
}

static uint32_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift32: the same sequence everywhere */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void test_corrupt_random(void **state)
{
	struct all in, out;
	struct contact c[3];
	struct kbuf good = { 0 };
	uint8_t buf[300];
	unsigned nok = 0, ncorrupt = 0;

	(void)state;
	rng_state = 20240601u;
	fill_all(&in, c);
	encode_ok(&all_schema, &in, &good);
	assert_true(good.n < sizeof buf);

	for (int i = 0; i < 6000; i++) {
		size_t len;
		switch (i % 3) {
		case 0:          /* pure noise */
			len = rnd() % sizeof buf;
			for (size_t j = 0; j < len; j++)
				buf[j] = (uint8_t)rnd();
			break;
		case 1:          /* a valid header, then noise */
			len = CODEC_HDR_MIN + 1 + rnd() % 100;
			for (size_t j = 0; j < len; j++)
				buf[j] = (uint8_t)rnd();
			memcpy(buf, good.p, CODEC_HDR_MIN + 6);
			break;
		default:         /* a good record with a few bytes changed */
			len = good.n - rnd() % 4;
			memcpy(buf, good.p, good.n);
			for (int k = 1 + (int)(rnd() % 3); k > 0; k--)
				buf[CODEC_HDR_MIN + 6 + rnd() % (len - CODEC_HDR_MIN - 6)] =
					(uint8_t)rnd();
			break;
		}
		struct kerr e;
		rec_init(&all_schema, &out);
		kerr_clear(&e);
		int ret = decode_exact(&all_schema, buf, len, &out, &e);
		if (ret == 0) {
			check_sane(&out);
			nok++;
		} else {
			if (ret != K_ECORRUPT)
				print_error("buffer %d: %d (%s)\n", i, ret, e.msg);
			assert_int_equal(ret, K_ECORRUPT);
			assert_true(all_is_default(&out));
			ncorrupt++;
		}
		store_rec_clear(&all_schema, &out);
		/* peek never reads past len either */
		uint32_t v;
		int64_t m;
		char login[32];
		ret = codec_peek(buf, len, &v, &m, login, sizeof login);
		assert_true(ret == 0 || ret == K_ECORRUPT);
		if (ret == 0)
			assert_true(strlen(login) < sizeof login);
	}
	/* both outcomes were exercised */
	assert_true(nok > 50);
	assert_true(ncorrupt > 1000);
	kbuf_free(&good);
}

/* ------------------------------------------------------------ keys */

static int keycmp(const struct keybuf *a, const struct keybuf *b)
{
	size_t n = a->n < b->n ? a->n : b->n;
	int c = memcmp(a->b, b->b, n);
	return c ? c : (a->n > b->n) - (a->n < b->n);
}

static void test_key_integers(void **state)
{
	static const int64_t order[] = {
		INT64_MIN, -300, -5, -1, 0, 1, 255, 256, 300, INT64_MAX,
	};
	struct keybuf a, b;

	(void)state;
	for (size_t i = 0; i + 1 < NELEM(order); i++) {
		key_reset(&a);
		key_reset(&b);
		key_put_i64(&a, order[i]);
		key_put_i64(&b, order[i + 1]);
		assert_int_equal(a.n, 8);
		assert_true(memcmp(a.b, b.b, 8) < 0);
		assert_true(key_get_i64(a.b) == order[i]);
		assert_true(key_get_i64(b.b) == order[i + 1]);
	}
	/* unsigned: big-endian */
	key_reset(&a);
	key_put_u16(&a, 0x0102);
	key_put_u32(&a, 0x03040506);
	key_put_u64(&a, UINT64_C(0x0708090a0b0c0d0e));
	static const uint8_t want[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
					13, 14 };
	assert_int_equal(a.n, sizeof want);
	assert_memory_equal(a.b, want, sizeof want);
	assert_int_equal(key_get_u16(a.b), 0x0102);
	assert_int_equal(key_get_u32(a.b + 2), 0x03040506);
	assert_true(key_get_u64(a.b + 6) == UINT64_C(0x0708090a0b0c0d0e));
	assert_false(a.overflow);
	key_reset(&a);
	key_put_u64(&a, 1);
	key_reset(&b);
	key_put_u64(&b, UINT64_MAX);
	assert_true(memcmp(a.b, b.b, 8) < 0);
}

static void text_key(struct keybuf *k, const char *s, bool fold, bool open)
{
	key_reset(k);
	key_put_text(k, s, fold, open);
	assert_false(k->overflow);
}

static void test_key_text(void **state)
{
	static const char *const order[] = {
		"", "A", "Z", "a", "ab", "abc", "abd", "b", "é", CJK,
	};
	struct keybuf a, b;

	(void)state;
	/* NULL is the empty text */
	text_key(&a, NULL, false, false);
	text_key(&b, "", false, false);
	assert_int_equal(a.n, 1);
	assert_int_equal(keycmp(&a, &b), 0);

	for (size_t i = 0; i + 1 < NELEM(order); i++) {
		text_key(&a, order[i], false, false);
		text_key(&b, order[i + 1], false, false);
		if (keycmp(&a, &b) >= 0)
			print_error("\"%s\" !< \"%s\"\n", order[i], order[i + 1]);
		assert_true(keycmp(&a, &b) < 0);
	}
	/* a text key followed by more parts still sorts by the text first */
	text_key(&a, "ab", false, false);
	key_put_u64(&a, UINT64_MAX);
	text_key(&b, "abc", false, false);
	key_put_u64(&b, 0);
	assert_true(keycmp(&a, &b) < 0);

	/* folding: ASCII letters only, both ways equal */
	text_key(&a, "ABC", true, false);
	text_key(&b, "abc", true, false);
	assert_int_equal(keycmp(&a, &b), 0);
	text_key(&a, "Apple", true, false);
	text_key(&b, "apricot", true, false);
	assert_true(keycmp(&a, &b) < 0);
	text_key(&a, "ABC", false, false);
	text_key(&b, "abc", false, false);
	assert_true(keycmp(&a, &b) < 0);
	text_key(&a, CJK, true, false);
	text_key(&b, CJK, false, false);
	assert_int_equal(keycmp(&a, &b), 0);
}

static void test_key_open_prefix(void **state)
{
	static const char *const longer[] = {
		"ab", "abc", "abZ", "ab\x7f", "ab上海", "ab ",
	};
	struct keybuf p, k;

	(void)state;
	text_key(&p, "ab", false, true);
	assert_int_equal(p.n, 2);
	for (size_t i = 0; i < NELEM(longer); i++) {
		text_key(&k, longer[i], false, false);
		assert_true(k.n > p.n);
		assert_memory_equal(k.b, p.b, p.n);
		/* and the prefix sorts before each of them */
		assert_true(keycmp(&p, &k) < 0);
	}
	/* not a prefix of texts that differ */
	text_key(&k, "a", false, false);
	assert_false(k.n >= p.n && memcmp(k.b, p.b, p.n) == 0);
	text_key(&k, "b", false, false);
	assert_true(keycmp(&p, &k) < 0);
	/* a folded open key is the prefix of folded keys */
	text_key(&p, "AB", true, true);
	text_key(&k, "abCD", true, false);
	assert_memory_equal(k.b, p.b, p.n);
	/* the empty open key is the prefix of everything */
	text_key(&p, "", false, true);
	assert_int_equal(p.n, 0);
	text_key(&p, NULL, false, true);
	assert_int_equal(p.n, 0);
}

static void test_key_overflow(void **state)
{
	struct keybuf k;
	char *big = malloc(KEY_MAX + 10);
	uint8_t zero[KEY_MAX] = { 0 };

	(void)state;
	assert_non_null(big);
	/* exactly KEY_MAX fits */
	key_reset(&k);
	key_put_bytes(&k, zero, KEY_MAX);
	assert_false(k.overflow);
	assert_int_equal(k.n, KEY_MAX);
	key_put_bytes(&k, zero, 1);
	assert_true(k.overflow);
	assert_int_equal(k.n, KEY_MAX);

	/* a text one byte too long (with its terminator) */
	memset(big, 'x', KEY_MAX);
	big[KEY_MAX] = 0;
	key_reset(&k);
	key_put_text(&k, big, false, false);
	assert_true(k.overflow);
	assert_true(k.n <= KEY_MAX);
	/* open, the same text fits exactly */
	key_reset(&k);
	key_put_text(&k, big, false, true);
	assert_false(k.overflow);
	assert_int_equal(k.n, KEY_MAX);

	/* once set the flag stays, and nothing more is written */
	key_reset(&k);
	key_put_bytes(&k, zero, KEY_MAX - 4);
	key_put_u64(&k, 1);
	assert_true(k.overflow);
	size_t n = k.n;
	key_put_u16(&k, 1);
	assert_true(k.overflow);
	assert_int_equal(k.n, n);
	/* reset clears it */
	key_reset(&k);
	assert_false(k.overflow);
	assert_int_equal(k.n, 0);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_null_and_empty),
		cmocka_unit_test(test_empty_record_roundtrip),
		cmocka_unit_test(test_int_roundtrip),
		cmocka_unit_test(test_text_roundtrip),
		cmocka_unit_test(test_date_roundtrip),
		cmocka_unit_test(test_amounts_roundtrip),
		cmocka_unit_test(test_bool_roundtrip),
		cmocka_unit_test(test_list_roundtrip),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_header_roundtrip),
		cmocka_unit_test(test_header_login_text),
		cmocka_unit_test(test_rec_copy_and_clear),
		cmocka_unit_test(test_field_text),
		cmocka_unit_test(test_field_text_list),
		cmocka_unit_test(test_evolution_new_field_default),
		cmocka_unit_test(test_evolution_old_program_keeps_unknown),
		cmocka_unit_test(test_evolution_removed_field),
		cmocka_unit_test(test_evolution_list_element_field_kept),
		cmocka_unit_test(test_corrupt_truncated),
		cmocka_unit_test(test_corrupt_header),
		cmocka_unit_test(test_corrupt_length_past_end),
		cmocka_unit_test(test_corrupt_text),
		cmocka_unit_test(test_corrupt_wire_types),
		cmocka_unit_test(test_corrupt_random),
		cmocka_unit_test(test_key_integers),
		cmocka_unit_test(test_key_text),
		cmocka_unit_test(test_key_open_prefix),
		cmocka_unit_test(test_key_overflow),
	};

	return cmocka_run_group_tests_name("store codec", tests, NULL, NULL);
}
