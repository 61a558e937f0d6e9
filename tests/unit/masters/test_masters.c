/*
 * test_masters.c - entities, parties, items and CSV import/export on a
 * real Berkeley DB environment.
 *
 * Every test gets a fresh temporary folder with a store created in
 * FOLDER/home (STORE_CREATE, login "tester") holding every entity's
 * table; teardown closes it and removes the folder (tests/unit/testenv.h).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../testenv.h"

#include "base/date.h"
#include "base/kerr.h"
#include "base/num.h"
#include "masters/csvio.h"
#include "masters/entity.h"
#include "masters/masters.h"
#include "masters/ops.h"
#include "store/store.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ fixture */

/* A store with every entity's table in a temporary folder (testenv.h). */
static int setup(void **state)
{
	static const struct testenv_opts o = { .name = "masters" };

	return testenv_setup(state, &o);
}

/* ------------------------------------------------------------ helpers */

static void data_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/data/%s", testenv_srcdir(), name);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static const struct store_field *fld(const struct entity *e, const char *name)
{
	const struct store_field *f = store_field_find(e->schema, name);
	assert_non_null(f);
	return f;
}

/* Sets a field from text (t may be NULL for non-references). */
static void set(struct store_txn *t, const struct entity *e, void *rec,
		const char *field, const char *text)
{
	struct kerr err;

	kerr_clear(&err);
	if (ent_field_set(t, fld(e, field), rec, text, &err)) {
		fprintf(stderr, "set %s=%s: %s\n", field, text, err.msg);
		fail();
	}
}

static struct party *new_party(const char *code, const char *name)
{
	struct party *p = ent_new(&party_entity);

	assert_non_null(p);
	set(NULL, &party_entity, p, "code", code);
	set(NULL, &party_entity, p, "name", name);
	set(NULL, &party_entity, p, "customer", "yes");
	return p;
}

static struct item *new_item(const char *code, const char *desc)
{
	struct item *it = ent_new(&item_entity);

	assert_non_null(it);
	set(NULL, &item_entity, it, "code", code);
	set(NULL, &item_entity, it, "description", desc);
	return it;
}

static void save_ok(struct store *st, const struct entity *e, void *rec)
{
	struct kerr err;

	kerr_clear(&err);
	if (ent_save(st, e, rec, NULL, &err)) {
		fprintf(stderr, "save: %s: %s\n", err.field, err.msg);
		fail();
	}
}

/* The unit EA, which a new item's uom defaults to. */
static void unit_ea(struct store *st)
{
	struct unit *u = ent_new(&unit_entity);

	assert_non_null(u);
	set(NULL, &unit_entity, u, "code", "EA");
	set(NULL, &unit_entity, u, "name", "Each");
	save_ok(st, &unit_entity, u);
	ent_free(&unit_entity, u);
}

static struct store_txn *snap(struct store *st)
{
	struct store_txn *t = NULL;
	struct kerr err;

	assert_int_equal(store_txn_begin(st, true, &t, &err), 0);
	return t;
}

static void end(struct store_txn **t)
{
	struct kerr err;
	assert_int_equal(store_txn_commit(t, &err), 0);
}

static uint64_t count(struct store *st, const struct entity *e)
{
	struct store_txn *t = snap(st);
	struct kerr err;
	uint64_t n = 0;

	assert_int_equal(store_count(t, e->schema, &n, &err), 0);
	end(&t);
	return n;
}

/* The stored record with code (caller frees with ent_free). */
static void *load(struct store *st, const struct entity *e, const char *code)
{
	struct store_txn *t = snap(st);
	void *rec = calloc(1, e->schema->size);
	struct kerr err;

	assert_non_null(rec);
	if (ent_get_code(t, e, code, rec, &err)) {
		fprintf(stderr, "load %s: %s\n", code, err.msg);
		fail();
	}
	end(&t);
	return rec;
}

/* Text of a field of the stored record with code. */
static void field_of(struct store *st, const struct entity *e,
		     const char *code, const char *field, char *buf, size_t n)
{
	void *rec = load(st, e, code);
	struct store_txn *t = snap(st);

	ent_field_get(t, fld(e, field), rec, buf, n);
	end(&t);
	ent_free(e, rec);
}

/* ------------------------------------------------ a record of each type */

struct every {
	struct store_rec h;
	int64_t i;
	char *text;
	kdate date;
	int64_t money, qty, price, rate;
	bool flag;
	int64_t who;
};

static const struct store_field every_fields[] = {
	{ 1, "i", SF_INT, offsetof(struct every, i), NULL, NULL },
	{ 2, "text", SF_TEXT, offsetof(struct every, text), NULL, NULL },
	{ 3, "date", SF_DATE, offsetof(struct every, date), NULL, NULL },
	{ 4, "money", SF_MONEY, offsetof(struct every, money), NULL, NULL },
	{ 5, "qty", SF_QTY, offsetof(struct every, qty), NULL, NULL },
	{ 6, "price", SF_PRICE, offsetof(struct every, price), NULL, NULL },
	{ 7, "rate", SF_RATE, offsetof(struct every, rate), NULL, NULL },
	{ 8, "flag", SF_BOOL, offsetof(struct every, flag), NULL, NULL },
	{ 9, "who", SF_REF, offsetof(struct every, who), NULL, "party" },
};
static const struct store_schema every_schema = {
	"every", 1, sizeof(struct every), every_fields, NELEM(every_fields),
	NULL, 0, 0,
};

static const struct store_field *efld(const char *name)
{
	const struct store_field *f = store_field_find(&every_schema, name);
	assert_non_null(f);
	return f;
}

/* Parses in, formats it back and expects out. */
static void roundtrip(struct store_txn *t, const char *field, const char *in,
		      const char *out)
{
	struct every r;
	struct kerr err;
	char buf[128];

	memset(&r, 0, sizeof r);
	store_rec_clear(&every_schema, &r);
	kerr_clear(&err);
	if (ent_field_set(t, efld(field), &r, in, &err)) {
		fprintf(stderr, "%s=\"%s\": %s\n", field, in, err.msg);
		fail();
	}
	ent_field_get(t, efld(field), &r, buf, sizeof buf);
	if (strcmp(buf, out) != 0) {
		fprintf(stderr, "%s: \"%s\" gave \"%s\", want \"%s\"\n",
			field, in, buf, out);
		fail();
	}
	/* and what was written reads back the same */
	assert_int_equal(ent_field_set(t, efld(field), &r, buf, &err), 0);
	ent_field_get(t, efld(field), &r, buf, sizeof buf);
	assert_string_equal(buf, out);
	store_rec_clear(&every_schema, &r);
}

/* Expects text refused with code, err.field = field, msg containing want. */
static void refused(struct store_txn *t, const char *field, const char *in,
		    int code, const char *want)
{
	struct every r;
	struct kerr err;

	memset(&r, 0, sizeof r);
	store_rec_clear(&every_schema, &r);
	kerr_clear(&err);
	assert_int_equal(ent_field_set(t, efld(field), &r, in, &err), code);
	assert_int_equal(err.code, code);
	assert_string_equal(err.field, field);
	if (!strstr(err.msg, want)) {
		fprintf(stderr, "%s=\"%s\": \"%s\" lacks \"%s\"\n", field, in,
			err.msg, want);
		fail();
	}
	store_rec_clear(&every_schema, &r);
}

/* ------------------------------------------------------------- tests */

static void test_registry(void **state)
{
	(void)state;
	assert_true(ent_count >= 6);
	/* Every entity's table is opened, and derived tables (glbal) too. */
	assert_true(ent_nschemas >= ent_count);
	for (size_t i = 0; i < ent_count; i++) {
		bool found = false;
		for (size_t k = 0; k < ent_nschemas; k++)
			found |= ent_schemas[k] == ent_all[i]->schema;
		assert_true(found);
	}
	assert_ptr_equal(ent_find("party"), &party_entity);
	assert_ptr_equal(ent_find("item"), &item_entity);
	assert_null(ent_find("contact"));
	assert_ptr_equal(ent_by_table("item"), &item_entity);
	assert_null(ent_by_table("nope"));
	for (size_t i = 0; i < ent_nschemas; i++)
		assert_ptr_not_equal(ent_schemas[i], &contact_schema);

	/* tags rising in struct order (retired ones left out) */
	const struct store_schema *ss[] = { &party_schema, &item_schema,
					    &contact_schema };
	for (size_t s = 0; s < NELEM(ss); s++)
		for (size_t i = 0; i < ss[s]->nfields; i++) {
			assert_true(ss[s]->fields[i].tag >= 1);
			if (i)
				assert_true(ss[s]->fields[i].tag >
					    ss[s]->fields[i - 1].tag);
			if (i)
				assert_true(ss[s]->fields[i].offset >
					    ss[s]->fields[i - 1].offset);
		}
	assert_int_equal(party_schema.nfields, 24);
	assert_int_equal(item_schema.nfields, 15);
	/* item.uom: tag 4 was text, retired; the reference is tag 16 */
	assert_int_equal(fld(&item_entity, "uom")->tag, 16);
	assert_int_equal(fld(&item_entity, "uom")->type, SF_REF);
	assert_string_equal(fld(&item_entity, "uom")->ref, "unit");
	for (size_t i = 0; i < item_schema.nfields; i++)
		assert_int_not_equal(item_schema.fields[i].tag, 4);
	assert_ptr_equal(fld(&party_entity, "contacts")->sub, &contact_schema);
	assert_string_equal(fld(&party_entity, "parent")->ref, "party");
	assert_int_equal(fld(&item_entity, "margin")->type, SF_RATE);

	const struct ent_hook *h = ent_hook_find("item_margin");
	assert_non_null(h);
	assert_int_equal(h->kind, HOOK_CHANGE);
	assert_string_equal(h->entity, "item");
	assert_non_null(h->change);
	h = ent_hook_find("party_block");
	assert_non_null(h);
	assert_int_equal(h->kind, HOOK_ACTION);
	assert_string_equal(h->perm, "edit");
	assert_non_null(h->action);
	assert_non_null(ent_hook_find("party_unblock"));
	assert_int_equal(ent_hook_find("party_validate")->kind, HOOK_VALIDATE);
	assert_int_equal(ent_hook_find("item_validate")->kind, HOOK_VALIDATE);
	assert_null(ent_hook_find("nope"));
}

static void test_new_defaults(void **state)
{
	struct party *p = ent_new(&party_entity);
	struct item *it = ent_new(&item_entity);

	(void)state;
	assert_non_null(p);
	assert_non_null(it);
	assert_string_equal(p->status, "active");
	assert_int_equal(p->currency, 0);     /* none: the base currency */
	assert_null(p->code);
	assert_int_equal(p->h.version, 0);
	assert_string_equal(it->status, "active");
	assert_string_equal(it->type, "stocked");
	assert_int_equal(it->uom, 0);      /* a code: resolved on save */
	assert_string_equal(it->lot_rule, "lot-for-lot");
	ent_free(&party_entity, p);
	ent_free(&item_entity, it);
	ent_free(&item_entity, NULL);
}

static void test_field_roundtrip(void **state)
{
	struct testenv *f = *state;
	struct party *p = new_party("ACME", "Acme, Inc.");
	struct store_txn *t;

	save_ok(f->st, &party_entity, p);
	t = snap(f->st);

	roundtrip(t, "i", "42", "42");
	roundtrip(t, "i", " -7 ", "-7");
	roundtrip(t, "i", "+0", "0");
	roundtrip(t, "i", "", "0");
	roundtrip(t, "text", "上海华东机械有限公司", "上海华东机械有限公司");
	roundtrip(t, "text", "Müller GmbH", "Müller GmbH");
	roundtrip(t, "text", "", "");
	roundtrip(t, "date", "2025-02-28", "2025-02-28");
	roundtrip(t, "date", "20240229", "2024-02-29");
	roundtrip(t, "date", "", "");
	roundtrip(t, "money", "1,234.50", "1234.50");
	roundtrip(t, "money", "1234.5", "1234.50");
	roundtrip(t, "money", "-12", "-12.00");
	roundtrip(t, "money", "(3.10)", "-3.10");
	roundtrip(t, "money", "", "0.00");
	roundtrip(t, "qty", "2.5", "2.500");
	roundtrip(t, "qty", "1,000,000.125", "1000000.125");
	roundtrip(t, "price", "1.2345", "1.2345");
	roundtrip(t, "price", "85,000", "85000.0000");
	roundtrip(t, "rate", "0.123456", "0.123456");
	roundtrip(t, "rate", "7", "7.000000");
	roundtrip(t, "flag", "yes", "yes");
	roundtrip(t, "flag", "TRUE", "yes");
	roundtrip(t, "flag", "y", "yes");
	roundtrip(t, "flag", "1", "yes");
	roundtrip(t, "flag", "no", "no");
	roundtrip(t, "flag", "False", "no");
	roundtrip(t, "flag", "n", "no");
	roundtrip(t, "flag", "0", "no");
	roundtrip(t, "flag", "", "no");
	roundtrip(t, "who", "ACME", "ACME");
	roundtrip(t, "who", "", "");

	/* values land in the record with the type's scale */
	struct every r;
	struct kerr err;
	char buf[64];
	memset(&r, 0, sizeof r);
	store_rec_clear(&every_schema, &r);
	assert_int_equal(ent_field_set(t, efld("money"), &r, "1,234.50", &err), 0);
	assert_int_equal(r.money, 123450);
	assert_int_equal(ent_field_set(t, efld("price"), &r, "1.5", &err), 0);
	assert_int_equal(r.price, 15000);
	assert_int_equal(ent_field_set(t, efld("qty"), &r, "1.5", &err), 0);
	assert_int_equal(r.qty, 1500);
	assert_int_equal(ent_field_set(t, efld("rate"), &r, "1.5", &err), 0);
	assert_int_equal(r.rate, 1500000);
	assert_int_equal(ent_field_set(t, efld("who"), &r, "ACME", &err), 0);
	assert_int_equal(r.who, p->h.id);
	assert_int_equal(ent_field_set(t, efld("date"), &r, "2025-01-31", &err), 0);
	assert_int_not_equal(r.date, DATE_NONE);
	/* empty text clears */
	assert_int_equal(ent_field_set(t, efld("date"), &r, "", &err), 0);
	assert_int_equal(r.date, DATE_NONE);
	assert_int_equal(ent_field_set(t, efld("money"), &r, "", &err), 0);
	assert_int_equal(r.money, 0);
	assert_int_equal(ent_field_set(t, efld("text"), &r, "x", &err), 0);
	assert_int_equal(ent_field_set(t, efld("text"), &r, "", &err), 0);
	assert_null(r.text);
	/* a reference to a record that is gone */
	r.who = 987654;
	assert_string_equal(ent_field_get(t, efld("who"), &r, buf, sizeof buf),
			    "#987654");
	store_rec_clear(&every_schema, &r);
	end(&t);
	ent_free(&party_entity, p);
}

static void test_field_bad_input(void **state)
{
	struct testenv *f = *state;
	struct store_txn *t = snap(f->st);

	refused(t, "money", "12x", K_EINVAL, "not an amount: 12x");
	refused(t, "money", "1.234", K_EINVAL, "too many decimals");
	refused(t, "money", "1,23.00", K_EINVAL, "thousands separator");
	refused(t, "qty", "1.2345", K_EINVAL, "too many decimals");
	refused(t, "price", "0.00001", K_EINVAL, "too many decimals");
	refused(t, "rate", "0.0000001", K_EINVAL, "too many decimals");
	refused(t, "money", "99999999999999999999", K_ERANGE, "");
	refused(t, "date", "2025-02-30", K_EINVAL, "no such date");
	refused(t, "date", "2025-02-30", K_EINVAL, "2025-02-30");
	refused(t, "date", "30.01.2025", K_EINVAL, "not a date");
	refused(t, "i", "12a", K_EINVAL, "not a whole number: 12a");
	refused(t, "i", "1.5", K_EINVAL, "not a whole number");
	refused(t, "i", "99999999999999999999", K_ERANGE, "out of range");
	refused(t, "flag", "maybe", K_EINVAL, "expected yes or no");
	refused(t, "who", "NOPE", K_ENOTFOUND, "no party with code NOPE");
	refused(t, "text", "two\nlines", K_EINVAL, "control characters");
	refused(t, "text", "tab\there", K_EINVAL, "control characters");
	refused(t, "text", "bad \xff byte", K_EINVAL, "UTF-8");
	refused(t, "text", "overlong \xc0\xaf", K_EINVAL, "UTF-8");
	end(&t);

	/* a reference needs a transaction */
	struct every r;
	struct kerr err;
	memset(&r, 0, sizeof r);
	assert_int_not_equal(ent_field_set(NULL, efld("who"), &r, "X", &err), 0);
	/* a list is not text */
	struct party *p = ent_new(&party_entity);
	assert_int_equal(ent_field_set(NULL, fld(&party_entity, "contacts"), p,
				       "x", &err), K_EINVAL);
	assert_string_equal(err.field, "contacts");
	ent_free(&party_entity, p);
}

/* The rule refuses rec with err.field = field. */
static void rule(struct store *st, const struct entity *e, void *rec,
		 const char *field, const char *want)
{
	struct store_txn *t = snap(st);
	uint32_t version = ((struct store_rec *)rec)->version;
	struct kerr err;

	kerr_clear(&err);
	assert_int_equal(ent_check(t, e, rec, &err), K_EINVAL);
	end(&t);
	if (strcmp(err.field, field) != 0 || !strstr(err.msg, want)) {
		fprintf(stderr, "want %s/\"%s\", got %s/\"%s\"\n", field, want,
			err.field, err.msg);
		fail();
	}
	/* ent_save refuses it too, and stores nothing */
	kerr_clear(&err);
	assert_int_equal(ent_save(st, e, rec, NULL, &err), K_EINVAL);
	assert_string_equal(err.field, field);
	assert_int_equal(((struct store_rec *)rec)->version, version);
}

/* A party changed by one field from a valid one. */
static void party_rule(struct store *st, const char *field, const char *value,
		       const char *want_field, const char *want)
{
	struct party *p = new_party("P1", "Valid");
	struct store_txn *t = snap(st);
	struct kerr err;

	assert_int_equal(ent_check(t, &party_entity, p, &err), 0);
	end(&t);
	set(NULL, &party_entity, p, field, value);
	rule(st, &party_entity, p, want_field, want);
	ent_free(&party_entity, p);
}

static void test_party_rules(void **state)
{
	struct testenv *f = *state;
	char name101[400] = "";

	party_rule(f->st, "code", "", "code", "required");
	party_rule(f->st, "code", "p1", "code", "upper case");
	party_rule(f->st, "code", "P 1", "code", "A-Z");
	party_rule(f->st, "code", "P/1", "code", "A-Z");
	party_rule(f->st, "code", "ABCDEFGHIJKLMNOPQRSTU", "code", "at most 20");
	party_rule(f->st, "name", "", "name", "required");
	for (int i = 0; i < 101; i++)
		strcat(name101, "华");
	party_rule(f->st, "name", name101, "name", "at most 100");
	party_rule(f->st, "customer", "no", "customer", "customer, a supplier or a prospect");
	party_rule(f->st, "credit_limit", "-1", "credit_limit", "0");
	party_rule(f->st, "email", "nobody", "email", "name@example.com");
	party_rule(f->st, "email", "a@b", "email", "name@example.com");
	party_rule(f->st, "email", "@b.c", "email", "name@example.com");
	party_rule(f->st, "email", "a@b@c.d", "email", "name@example.com");
	party_rule(f->st, "status", "gone", "status", "active or blocked");
	party_rule(f->st, "status", "", "status", "active or blocked");

	/* 100 characters (300 bytes) are fine; 20-character codes too */
	struct party *p = new_party("ABCDEFGHIJ0123456.-_", name101 + 3);
	set(NULL, &party_entity, p, "email", "li.wang@example.com.cn");
	set(NULL, &party_entity, p, "customer", "no");
	set(NULL, &party_entity, p, "prospect", "yes");
	save_ok(f->st, &party_entity, p);

	/* its own parent */
	struct store_txn *t = snap(f->st);
	set(t, &party_entity, p, "parent", "ABCDEFGHIJ0123456.-_");
	end(&t);
	rule(f->st, &party_entity, p, "parent", "own parent");
	p->parent = 0;

	/* contacts need a name; their email is checked */
	struct contact *c = calloc(2, sizeof *c);
	assert_non_null(c);
	p->contacts.items = c;
	p->contacts.n = 2;
	c[0].name = strdup("王丽");
	c[0].email = strdup("wang.li@example.cn");
	c[1].role = strdup("buyer");
	struct kerr err;
	t = snap(f->st);
	assert_int_equal(ent_check(t, &party_entity, p, &err), K_EINVAL);
	assert_string_equal(err.field, "contacts");
	assert_non_null(strstr(err.msg, "contact 2: name is required"));
	c[1].name = strdup("Hans Müller");
	c[1].email = strdup("hans at example");
	assert_int_equal(ent_check(t, &party_entity, p, &err), K_EINVAL);
	assert_string_equal(err.field, "contacts");
	assert_non_null(strstr(err.msg, "hans at example"));
	free(c[1].email);
	c[1].email = NULL;
	assert_int_equal(ent_check(t, &party_entity, p, &err), 0);
	end(&t);
	save_ok(f->st, &party_entity, p);
	ent_free(&party_entity, p);

	p = load(f->st, &party_entity, "ABCDEFGHIJ0123456.-_");
	assert_int_equal(p->contacts.n, 2);
	assert_string_equal(((struct contact *)p->contacts.items)[1].name,
			    "Hans Müller");
	ent_free(&party_entity, p);

	/* the validate hook is the same rule */
	p = new_party("P2", "x");
	set(NULL, &party_entity, p, "customer", "no");
	t = snap(f->st);
	assert_int_equal(ent_hook_find("party_validate")->validate(
				 t, &party_entity, p, &err), K_EINVAL);
	assert_string_equal(err.field, "customer");
	end(&t);
	ent_free(&party_entity, p);
}

static void item_rule(struct store *st, const char *field, const char *value,
		      const char *want_field, const char *want)
{
	struct item *it = new_item("I1", "Valid");
	struct store_txn *t = snap(st);
	struct kerr err;

	assert_int_equal(ent_check(t, &item_entity, it, &err), 0);
	end(&t);
	set(NULL, &item_entity, it, field, value);
	rule(st, &item_entity, it, want_field, want);
	ent_free(&item_entity, it);
}

static void test_item_rules(void **state)
{
	struct testenv *f = *state;

	unit_ea(f->st);

	item_rule(f->st, "code", "", "code", "required");
	item_rule(f->st, "code", "abc", "code", "upper case");
	item_rule(f->st, "description", "", "description", "required");
	item_rule(f->st, "type", "gadget", "type", "stocked, purchased, manufactured or service");
	item_rule(f->st, "type", "", "type", "stocked");
	item_rule(f->st, "standard_cost", "-0.0001", "standard_cost", "0 or more");
	item_rule(f->st, "list_price", "-5", "list_price", "0 or more");
	item_rule(f->st, "lead_time", "-1", "lead_time", "0 to 999");
	item_rule(f->st, "lead_time", "1000", "lead_time", "0 to 999");
	item_rule(f->st, "safety_stock", "-1", "safety_stock", "0 or more");
	item_rule(f->st, "lot_rule", "weekly", "lot_rule", "lot-for-lot, fixed, eoq or period");
	item_rule(f->st, "lot_rule", "fixed", "lot_size", "greater than 0");
	item_rule(f->st, "lot_rule", "eoq", "lot_size", "greater than 0");
	item_rule(f->st, "lot_rule", "period", "lot_periods", "1 to 52");
	item_rule(f->st, "status", "dormant", "status", "active or blocked");

	struct item *it = new_item("I1", "Valid");
	struct store_txn *t = snap(f->st);
	struct kerr err;
	set(NULL, &item_entity, it, "lot_rule", "period");
	set(NULL, &item_entity, it, "lot_periods", "53");
	assert_int_equal(ent_check(t, &item_entity, it, &err), K_EINVAL);
	assert_string_equal(err.field, "lot_periods");
	set(NULL, &item_entity, it, "lot_periods", "52");
	assert_int_equal(ent_check(t, &item_entity, it, &err), 0);
	set(NULL, &item_entity, it, "lot_rule", "fixed");
	set(NULL, &item_entity, it, "lot_size", "0.001");
	assert_int_equal(ent_check(t, &item_entity, it, &err), 0);
	set(NULL, &item_entity, it, "lead_time", "999");
	set(NULL, &item_entity, it, "type", "service");
	assert_int_equal(ent_hook_find("item_validate")->validate(
				 t, &item_entity, it, &err), 0);
	end(&t);
	ent_free(&item_entity, it);
}

static void test_item_margin(void **state)
{
	struct testenv *f = *state;
	struct item *it = new_item("M1", "Margin");
	const struct ent_hook *h = ent_hook_find("item_margin");
	char buf[64];

	unit_ea(f->st);
	set(NULL, &item_entity, it, "standard_cost", "60");
	set(NULL, &item_entity, it, "list_price", "100");
	h->change(&item_entity, it);
	assert_int_equal(it->margin, 400000);            /* 0.4 */

	set(NULL, &item_entity, it, "list_price", "0");
	h->change(&item_entity, it);
	assert_int_equal(it->margin, 0);

	set(NULL, &item_entity, it, "standard_cost", "1");
	set(NULL, &item_entity, it, "list_price", "3");
	h->change(&item_entity, it);
	assert_int_equal(it->margin, 666667);            /* 2/3 rounded */

	set(NULL, &item_entity, it, "standard_cost", "2");
	h->change(&item_entity, it);
	assert_int_equal(it->margin, 333333);

	set(NULL, &item_entity, it, "standard_cost", "150");
	set(NULL, &item_entity, it, "list_price", "100");
	h->change(&item_entity, it);
	assert_int_equal(it->margin, -500000);           /* a loss */

	/* half away from zero: (8 - 0.0001) / 8 = 0.9999875 */
	set(NULL, &item_entity, it, "standard_cost", "0.0001");
	set(NULL, &item_entity, it, "list_price", "8");
	h->change(&item_entity, it);
	assert_int_equal(it->margin, 999988);

	/* saving computes it even when nobody called the hook */
	set(NULL, &item_entity, it, "standard_cost", "85,000");
	set(NULL, &item_entity, it, "list_price", "128,000");
	it->margin = 0;
	save_ok(f->st, &item_entity, it);
	assert_int_equal(it->margin, 335938);
	field_of(f->st, &item_entity, "M1", "margin", buf, sizeof buf);
	assert_string_equal(buf, "0.335938");
	ent_free(&item_entity, it);
}

static void test_save_insert_update(void **state)
{
	struct testenv *f = *state;
	struct party *p = new_party("C0042", "上海华东机械有限公司");
	struct party *q;
	int64_t id;

	save_ok(f->st, &party_entity, p);
	assert_true(p->h.id > 0);
	assert_int_equal(p->h.version, 1);
	assert_string_equal(p->h.muser, "tester");
	assert_true(p->h.mtime_us > 0);
	id = p->h.id;

	set(NULL, &party_entity, p, "credit_limit", "1,234.50");
	save_ok(f->st, &party_entity, p);
	assert_int_equal(p->h.id, id);
	assert_int_equal(p->h.version, 2);

	q = load(f->st, &party_entity, "C0042");
	assert_int_equal(q->h.id, id);
	assert_int_equal(q->h.version, 2);
	assert_int_equal(q->credit_limit, 123450);
	assert_string_equal(q->name, "上海华东机械有限公司");
	assert_int_equal(q->currency, 0);     /* none: the base currency */
	ent_free(&party_entity, q);
	assert_int_equal(count(f->st, &party_entity), 1);

	/* a second party with the same code is refused, naming the field */
	struct party *d = new_party("C0042", "Copy");
	struct kerr err;
	assert_int_equal(ent_save(f->st, &party_entity, d, NULL, &err), K_EEXIST);
	assert_string_equal(err.field, "code");
	assert_int_equal(d->h.version, 0);
	assert_int_equal(d->h.id, 0);
	ent_free(&party_entity, d);

	/* ent_get_code on a missing code */
	struct store_txn *t = snap(f->st);
	q = calloc(1, sizeof *q);
	assert_int_equal(ent_get_code(t, &party_entity, "NONE", q, &err),
			 K_ENOTFOUND);
	assert_non_null(strstr(err.msg, "no party with code NONE"));
	end(&t);
	ent_free(&party_entity, q);
	ent_free(&party_entity, p);
}

/* An extra validate hook that refuses. */
static int refuse_hook(struct store_txn *t, const struct entity *e, void *rec,
		       struct kerr *err)
{
	(void)t;
	(void)e;
	(void)rec;
	return kerr_set(err, K_EINVAL, "notes", "the form says no");
}

static void test_save_extra_hook(void **state)
{
	struct testenv *f = *state;
	struct party *p = new_party("H1", "Hook");
	struct kerr err;

	assert_int_equal(ent_save(f->st, &party_entity, p, refuse_hook, &err),
			 K_EINVAL);
	assert_string_equal(err.field, "notes");
	assert_int_equal(p->h.version, 0);
	assert_int_equal(count(f->st, &party_entity), 0);
	ent_free(&party_entity, p);
}

static void test_save_stale_conflict(void **state)
{
	struct testenv *f = *state;
	struct party *p = new_party("C1", "First");
	struct party *stale = calloc(1, sizeof *stale);
	struct kerr err;

	save_ok(f->st, &party_entity, p);
	assert_int_equal(store_rec_copy(&party_schema, stale, p), 0);
	assert_int_equal(stale->h.version, 1);

	set(NULL, &party_entity, p, "name", "Second");
	save_ok(f->st, &party_entity, p);

	set(NULL, &party_entity, stale, "name", "Stale");
	kerr_clear(&err);
	assert_int_equal(ent_save(f->st, &party_entity, stale, NULL, &err),
			 K_ECONFLICT);
	assert_non_null(strstr(err.msg, "changed by tester"));
	assert_int_equal(stale->h.version, 1);       /* unchanged */

	struct party *q = load(f->st, &party_entity, "C1");
	assert_string_equal(q->name, "Second");
	ent_free(&party_entity, q);

	/* deleting the stale copy is refused too */
	assert_int_equal(ent_delete(f->st, &party_entity, stale, &err),
			 K_ECONFLICT);
	ent_free(&party_entity, stale);
	ent_free(&party_entity, p);
}

static void test_delete_referenced(void **state)
{
	struct testenv *f = *state;
	struct party *head = new_party("HQ", "Head office");
	struct party *branch = new_party("BR1", "Branch");
	struct party *other = new_party("ZZ", "Unrelated");
	struct store_txn *t;
	struct kerr err;

	save_ok(f->st, &party_entity, head);
	save_ok(f->st, &party_entity, other);
	t = snap(f->st);
	set(t, &party_entity, branch, "parent", "HQ");
	end(&t);
	save_ok(f->st, &party_entity, branch);

	kerr_clear(&err);
	assert_int_equal(ent_delete(f->st, &party_entity, head, &err),
			 K_EREFERENCED);
	assert_non_null(strstr(err.msg, "used by 1 parties (head office), e.g. BR1"));
	assert_int_equal(count(f->st, &party_entity), 3);

	/* the unrelated one goes */
	assert_int_equal(ent_delete(f->st, &party_entity, other, &err), 0);
	assert_int_equal(count(f->st, &party_entity), 2);

	/* once the branch names no parent, the head office can go */
	set(NULL, &party_entity, branch, "parent", "");
	save_ok(f->st, &party_entity, branch);
	assert_int_equal(ent_delete(f->st, &party_entity, head, &err), 0);
	assert_int_equal(count(f->st, &party_entity), 1);

	/* and the branch no longer finds it */
	t = snap(f->st);
	assert_int_equal(ent_field_set(t, fld(&party_entity, "parent"), branch,
				       "HQ", &err), K_ENOTFOUND);
	assert_string_equal(err.field, "parent");
	end(&t);
	ent_free(&party_entity, head);
	ent_free(&party_entity, branch);
	ent_free(&party_entity, other);
}

struct many {
	int64_t parent;
	int n;
};

static int many_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct many *m = arg;
	int ret = 0;

	for (int i = 0; i < m->n && !ret; i++) {
		struct party *p = ent_new(&party_entity);
		char code[16];
		if (!p)
			return K_ENOMEM;
		snprintf(code, sizeof code, "B%04d", i);
		p->code = strdup(code);
		p->name = strdup("Branch");
		p->customer = true;
		p->parent = m->parent;
		ret = store_insert(t, &party_schema, p, err);
		ent_free(&party_entity, p);
	}
	return ret;
}

static void test_delete_many_referrers(void **state)
{
	struct testenv *f = *state;
	struct party *head = new_party("HQ", "Head office");
	struct kerr err;

	save_ok(f->st, &party_entity, head);
	struct many m = { head->h.id, 3 };
	assert_int_equal(store_write(f->st, many_fn, &m, &err), 0);
	assert_int_equal(ent_delete(f->st, &party_entity, head, &err),
			 K_EREFERENCED);
	assert_non_null(strstr(err.msg, "used by 3 parties (head office), e.g. B0000"));

	/* 1001 branches: the three there are deleted and made again */
	m.n = 1001;
	struct party *p;
	for (int i = 0; i < 3; i++) {
		char code[16];
		snprintf(code, sizeof code, "B%04d", i);
		p = load(f->st, &party_entity, code);
		assert_int_equal(ent_delete(f->st, &party_entity, p, &err), 0);
		ent_free(&party_entity, p);
	}
	assert_int_equal(store_write(f->st, many_fn, &m, &err), 0);
	assert_int_equal(ent_delete(f->st, &party_entity, head, &err),
			 K_EREFERENCED);
	assert_non_null(strstr(err.msg, "used by more than 1000 parties (head office)"));
	ent_free(&party_entity, head);
}

static void test_party_block(void **state)
{
	struct testenv *f = *state;
	const struct ent_hook *block = ent_hook_find("party_block");
	const struct ent_hook *unblock = ent_hook_find("party_unblock");
	struct party *p = new_party("BL1", "Blockable");
	struct kerr err;
	char msg[128] = "";

	save_ok(f->st, &party_entity, p);
	assert_int_equal(block->action(f->st, &party_entity, p, msg, sizeof msg,
				       &err), 0);
	assert_string_equal(p->status, "blocked");
	assert_int_equal(p->h.version, 2);
	assert_non_null(strstr(msg, "BL1"));

	struct party *q = load(f->st, &party_entity, "BL1");
	assert_string_equal(q->status, "blocked");
	ent_free(&party_entity, q);

	/* again: refused, nothing saved */
	kerr_clear(&err);
	assert_int_equal(block->action(f->st, &party_entity, p, msg, sizeof msg,
				       &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "already blocked"));
	assert_int_equal(p->h.version, 2);

	assert_int_equal(unblock->action(f->st, &party_entity, p, msg,
					 sizeof msg, &err), 0);
	assert_string_equal(p->status, "active");
	assert_int_equal(p->h.version, 3);
	assert_int_equal(unblock->action(f->st, &party_entity, p, msg,
					 sizeof msg, &err), K_EINVAL);

	/* a failed save leaves the caller's record as it was */
	struct party *stale = calloc(1, sizeof *stale);
	assert_int_equal(store_rec_copy(&party_schema, stale, p), 0);
	save_ok(f->st, &party_entity, p);
	assert_int_equal(block->action(f->st, &party_entity, stale, msg,
				       sizeof msg, &err), K_ECONFLICT);
	assert_string_equal(stale->status, "active");
	ent_free(&party_entity, stale);
	ent_free(&party_entity, p);
}

/* ------------------------------------------------------------ CSV */

static int import_o(struct store *st, const struct entity *e,
		    const char *path, const struct csvio_opts *o,
		    unsigned long *rows, char **errs)
{
	size_t len = 0;
	char *buf = NULL;
	FILE *out = open_memstream(&buf, &len);
	struct kerr err;
	int ret;

	assert_non_null(out);
	kerr_clear(&err);
	ret = csvio_import_opts(st, e, path, o, rows, out, &err);
	if (ret && ret != K_EINVAL)
		fprintf(out, "%s\n", err.msg);      /* the caller may look */
	fclose(out);
	if (errs)
		*errs = buf;
	else
		free(buf);
	return ret;
}

static int import(struct store *st, const struct entity *e, const char *path,
		  bool update, unsigned long *rows, char **errs)
{
	struct csvio_opts o = { .update = update };

	return import_o(st, e, path, &o, rows, errs);
}

/* Lines of text in a file. */
static unsigned long lines_of(const char *path)
{
	size_t len;
	char *s = read_file(path, &len);
	unsigned long n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	free(s);
	return n;
}

/* The units the items of the tests and of data/items.csv name. */
static void units(struct store *st, const char *dir)
{
	const struct entity *u = ent_find("unit");
	char path[700], *errs = NULL;

	if (!u)
		return;
	snprintf(path, sizeof path, "%s/units.csv", dir);
	write_file(path,
		"code,name,decimals,conversions\n"
		"BOX,Box,0,EA|12\n"
		"EA,Each,0,\n"
		"SET,Set,0,\nKG,Kilogram,3,\nM,Metre,2,\nBTL,Bottle,0,\n"
		"PR,Pair,0,\nBAG,Bag,0,\nHR,Hour,2,\nDAY,Day,1,\n"
		"KIT,Kit,0,\n");
	if (import(st, u, path, false, NULL, &errs)) {
		fprintf(stderr, "%s", errs);
		fail();
	}
	free(errs);
}

/* The currencies, accounts, taxes and terms parties and items name. */
static void finance(struct store *st)
{
	static const char *const files[][2] = {
		{ "currency", "currencies.csv" }, { "account", "chart-cn.csv" },
		{ "tax", "taxes-cn.csv" }, { "terms", "terms.csv" },
	};
	char path[PATH_MAX], *errs = NULL;

	for (size_t i = 0; i < NELEM(files); i++) {
		data_path(path, sizeof path, files[i][1]);
		if (import(st, ent_find(files[i][0]), path, false, NULL,
			   &errs)) {
			fprintf(stderr, "%s", errs);
			fail();
		}
		free(errs);
	}
}

static void import_demo(struct store *st, const char *dir)
{
	char path[PATH_MAX];
	unsigned long rows = 0;
	char *errs = NULL;

	finance(st);
	data_path(path, sizeof path, "parties.csv");
	if (import(st, &party_entity, path, false, &rows, &errs)) {
		fprintf(stderr, "%s", errs);
		fail();
	}
	free(errs);
	assert_int_equal(rows, lines_of(path) - 1);
	assert_int_equal(count(st, &party_entity), rows);

	units(st, dir);
	data_path(path, sizeof path, "items.csv");
	if (import(st, &item_entity, path, false, &rows, &errs)) {
		fprintf(stderr, "%s", errs);
		fail();
	}
	free(errs);
	assert_int_equal(rows, lines_of(path) - 1);
	assert_int_equal(count(st, &item_entity), rows);
}

static void test_import_demo(void **state)
{
	struct testenv *f = *state;
	char buf[128];

	import_demo(f->st, f->dir);
	assert_true(count(f->st, &party_entity) >= 35);
	assert_true(count(f->st, &item_entity) >= 35);

	field_of(f->st, &party_entity, "P1017", "name", buf, sizeof buf);
	assert_string_equal(buf, "Acme, Inc.");
	field_of(f->st, &party_entity, "P1016", "name", buf, sizeof buf);
	assert_string_equal(buf, "Müller GmbH");
	field_of(f->st, &party_entity, "P1001", "credit_limit", buf, sizeof buf);
	assert_string_equal(buf, "500000.00");
	field_of(f->st, &party_entity, "P1002", "parent", buf, sizeof buf);
	assert_string_equal(buf, "P1001");
	/* a parent defined further down the file */
	field_of(f->st, &party_entity, "P1005", "parent", buf, sizeof buf);
	assert_string_equal(buf, "P1030");
	field_of(f->st, &party_entity, "P1012", "status", buf, sizeof buf);
	assert_string_equal(buf, "blocked");
	field_of(f->st, &item_entity, "FG-1000", "margin", buf, sizeof buf);
	assert_string_equal(buf, "0.335938");
	field_of(f->st, &item_entity, "SV-7000", "type", buf, sizeof buf);
	assert_string_equal(buf, "service");

	/* the head office is now used */
	struct party *hq = load(f->st, &party_entity, "P1001");
	struct kerr err;
	assert_int_equal(ent_delete(f->st, &party_entity, hq, &err),
			 K_EREFERENCED);
	assert_non_null(strstr(err.msg, "used by 2 parties (head office), e.g. P1002"));
	ent_free(&party_entity, hq);

	/* importing the same file again: every code already exists */
	char path[PATH_MAX], *errs = NULL;
	unsigned long rows = 99;
	uint64_t before = count(f->st, &party_entity);
	data_path(path, sizeof path, "parties.csv");
	assert_int_equal(import(f->st, &party_entity, path, false, &rows, &errs),
			 K_EINVAL);
	assert_int_equal(rows, 0);
	assert_non_null(strstr(errs, "parties.csv:2: code: party P1001 is already in the database"));
	free(errs);
	assert_int_equal(count(f->st, &party_entity), before);
	/* with update it rewrites them */
	assert_int_equal(import(f->st, &party_entity, path, true, &rows, NULL), 0);
	assert_int_equal(rows, before);
	assert_int_equal(count(f->st, &party_entity), before);
}

static void export_to(struct store *st, const struct entity *e,
		      const char *path, unsigned long *rows)
{
	FILE *out = fopen(path, "wb");
	struct kerr err;

	assert_non_null(out);
	if (csvio_export(st, e, out, rows, &err)) {
		fprintf(stderr, "export: %s\n", err.msg);
		fail();
	}
	assert_int_equal(fclose(out), 0);
}

/* Gives party code the contacts (name, role, phone, email) of cs. */
static void set_contacts(struct store *st, const char *code,
			 const char *const (*cs)[4], size_t n)
{
	struct party *p = load(st, &party_entity, code);
	struct contact *c;

	store_field_clear(fld(&party_entity, "contacts"), p);
	c = calloc(n, sizeof *c);
	assert_non_null(c);
	for (size_t i = 0; i < n; i++) {
		c[i].name = cs[i][0] ? strdup(cs[i][0]) : NULL;
		c[i].role = cs[i][1] ? strdup(cs[i][1]) : NULL;
		c[i].phone = cs[i][2] ? strdup(cs[i][2]) : NULL;
		c[i].email = cs[i][3] ? strdup(cs[i][3]) : NULL;
	}
	p->contacts.items = c;
	p->contacts.n = n;
	save_ok(st, &party_entity, p);
	ent_free(&party_entity, p);
}

static void test_export_roundtrip(void **state)
{
	struct testenv *f = *state;
	const struct entity **es = calloc(ent_count, sizeof *es);
	static const char *const two[][4] = {
		{ "Li Wei", "Buyer | purchasing", "+86 21 5555 0101",
		  "li.wei@example.cn" },
		{ "Back\\slash", NULL, NULL, NULL },
	};
	static const char *const one[][4] = {
		{ "王芳", "财务, \"总监\"", NULL, "wang@example.cn" },
	};
	char home2[700], a[700], b[700];
	struct store *st2 = NULL;

	import_demo(f->st, f->dir);
	set_contacts(f->st, "P1017", two, 2);
	set_contacts(f->st, "P1001", one, 1);
	snprintf(home2, sizeof home2, "%s/home2", f->dir);
	assert_int_equal(testenv_open(home2, NULL, 0, &st2), 0);
	/* every entity, each after those it refers to */
	assert_non_null(es);
	csvio_order(es);
	for (size_t i = 0; i < ent_count; i++) {
		unsigned long n1 = 0, n2 = 0, rows = 0;
		size_t l1, l2;
		char *s1, *s2, *errs = NULL;

		snprintf(a, sizeof a, "%s/%s-1.csv", f->dir, es[i]->name);
		snprintf(b, sizeof b, "%s/%s-2.csv", f->dir, es[i]->name);
		export_to(f->st, es[i], a, &n1);
		assert_int_equal(n1, count(f->st, es[i]));
		if (import(st2, es[i], a, false, &rows, &errs)) {
			fprintf(stderr, "%s", errs);
			fail();
		}
		free(errs);
		assert_int_equal(rows, n1);
		export_to(st2, es[i], b, &n2);
		assert_int_equal(n2, n1);
		s1 = read_file(a, &l1);
		s2 = read_file(b, &l2);
		assert_int_equal(l1, l2);
		assert_memory_equal(s1, s2, l1);
		free(s1);
		free(s2);
	}
	free(es);

	/* the contacts came through */
	struct party *p = load(st2, &party_entity, "P1017");
	assert_int_equal(p->contacts.n, 2);
	struct contact *c = p->contacts.items;
	assert_string_equal(c[0].role, "Buyer | purchasing");
	assert_string_equal(c[1].name, "Back\\slash");
	assert_null(c[1].role);
	ent_free(&party_entity, p);
	store_close(&st2);

	/* the export: a header of field names, quoting where needed, code order */
	size_t len;
	snprintf(a, sizeof a, "%s/party-1.csv", f->dir);
	char *s = read_file(a, &len);
	assert_true(strncmp(s, "code,name,customer,supplier,prospect,tax_id,", 44) == 0);
	assert_non_null(strstr(s, ",status,contacts"));
	assert_non_null(strstr(s, "\nP1017,\"Acme, Inc.\",yes,no,no,"));
	assert_non_null(strstr(s, ",\"Li Wei|Buyer \\| purchasing|+86 21 5555 0101|li.wei@example.cn\nBack\\\\slash|||\""));
	assert_non_null(strstr(s, ",\"王芳|财务, \"\"总监\"\"||wang@example.cn\""));
	assert_non_null(strstr(s, "\"Ships from the \"\"east\"\" warehouse\""));
	assert_true(strstr(s, "\nP1001,") < strstr(s, "\nP1002,"));
	assert_true(strstr(s, "\nP1039,") < strstr(s, "\nP1040,"));
	free(s);
}

/* errs holds want (a line of the error output). */
static void has_line(const char *errs, const char *want)
{
	if (!strstr(errs, want)) {
		fprintf(stderr, "missing \"%s\" in:\n%s", want, errs);
		fail();
	}
}

static unsigned count_lines(const char *s)
{
	unsigned n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_import_bad_file(void **state)
{
	struct testenv *f = *state;
	char path[700];
	char *errs = NULL;
	unsigned long rows = 7;

	/* one good party already there */
	struct party *p = new_party("OLD", "Already here");
	save_ok(f->st, &party_entity, p);
	ent_free(&party_entity, p);

	snprintf(path, sizeof path, "%s/bad.csv", f->dir);
	write_file(path,
		"code,name,customer,credit_limit,parent,colour\n"      /* 1 */
		"P1,Good,yes,100.00,P9,red\n"                          /* 2 */
		"P2,Bad amount,yes,12x,,red\n"                         /* 3 */
		"P3,Decimals,yes,1.234,,red\n"                         /* 4 */
		"P1,Duplicate,yes,0,,red\n"                            /* 5 */
		"P4,Short,yes\n"                                       /* 6 */
		"P5,\"Two\n"                                           /* 7 */
		"lines\",yes,0,,red\n"                                 /* 8 */
		"P6,Bad \xff UTF-8,yes,0,,red\n"                       /* 9 */
		",No code,yes,0,,red\n"                                /* 10 */
		"p7,Lower,yes,0,,red\n"                                /* 11 */
		"P8,Unknown parent,yes,0,NOPE,red\n"                   /* 12 */
		"\n"                                                   /* 13 */
		"P9,Good parent,yes,\"1,000.00\",,red\n"               /* 14 */
		"P10,No role,no,0,,red\n"                              /* 15 */
		"P11,Self,yes,0,P11,red\n"                             /* 16 */
		"OLD,Exists,yes,0,,red\n"                              /* 17 */
		"P12,Too,yes,0,,red,many\n"                            /* 18 */
		"P13,,yes,0,,red\n"                                    /* 19 */
		"P14,Later parent,yes,0,P99,red\n");                   /* 20 */

	assert_int_equal(import(f->st, &party_entity, path, false, &rows, &errs),
			 K_EINVAL);
	assert_int_equal(rows, 0);
	assert_int_equal(count(f->st, &party_entity), 1);

	char want[900];
#define WANT(line, rest) \
	do { \
		snprintf(want, sizeof want, "%s:%d: %s", path, line, rest); \
		has_line(errs, want); \
	} while (0)
	WANT(1, "colour: unknown column; the columns of party are code, name,");
	WANT(3, "credit_limit: not an amount: 12x\n");
	WANT(4, "credit_limit: too many decimals in \"1.234\" (at most 2)\n");
	WANT(5, "code: duplicate code P1: an earlier row of the file has it too\n");
	WANT(6, "3 columns where the header has 6\n");
	WANT(7, "name: control characters");
	WANT(9, "name: not valid UTF-8 text\n");
	WANT(10, "code: code is required\n");
	WANT(11, "code: code \"p7\" has lower-case letters");
	WANT(12, "parent: no party with code NOPE\n");
	WANT(15, "customer: a party must be a customer, a supplier or a prospect");
	WANT(16, "parent: a party cannot be its own parent\n");
	WANT(17, "code: party OLD is already in the database\n");
	WANT(18, "7 columns where the header has 6\n");
	WANT(19, "name: name is required\n");
	/* found after the last row, reported in line order */
	WANT(20, "parent: no party with code P99\n");
#undef WANT
	assert_int_equal(count_lines(errs), 16);
	/* in line order */
	assert_true(strstr(errs, ":3: ") < strstr(errs, ":12: "));
	assert_true(strstr(errs, ":12: ") < strstr(errs, ":15: "));
	assert_true(strstr(errs, ":19: ") < strstr(errs, ":20: "));
	free(errs);

	/* the good rows alone go in; P1's parent comes later in the file */
	write_file(path,
		"code,name,customer,credit_limit,parent\n"
		"P1,Good,yes,100.00,P9\n"
		"P9,Good parent,yes,\"1,000.00\",\n");
	assert_int_equal(import(f->st, &party_entity, path, false, &rows, &errs),
			 0);
	free(errs);
	assert_int_equal(rows, 2);
	assert_int_equal(count(f->st, &party_entity), 3);
	char buf[64];
	field_of(f->st, &party_entity, "P1", "parent", buf, sizeof buf);
	assert_string_equal(buf, "P9");

	/* a NUL byte inside a value */
	static const char nul[] = "code,name,customer\nP20,A\0B,yes\n";
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(nul, 1, sizeof nul - 1, fp), sizeof nul - 1);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(import(f->st, &party_entity, path, false, &rows, &errs),
			 K_EINVAL);
	has_line(errs, ":2: name: the value holds a NUL byte\n");
	assert_int_equal(count_lines(errs), 1);
	free(errs);
	assert_int_equal(count(f->st, &party_entity), 3);
}

static void test_import_bad_header(void **state)
{
	struct testenv *f = *state;
	char path[700];
	char *errs = NULL;

	snprintf(path, sizeof path, "%s/nocode.csv", f->dir);
	write_file(path, "name,customer\nFoo,yes\n");
	assert_int_equal(import(f->st, &party_entity, path, false, NULL, &errs),
			 K_EINVAL);
	has_line(errs, ":1: code: the code column is required\n");
	assert_int_equal(count_lines(errs), 1);
	free(errs);

	write_file(path, "code,name,name,customer\nA,x,y,yes\n");
	assert_int_equal(import(f->st, &party_entity, path, false, NULL, &errs),
			 K_EINVAL);
	has_line(errs, ":1: name: the column appears twice (also column 2)\n");
	assert_int_equal(count_lines(errs), 1);
	free(errs);

	write_file(path, "");
	assert_int_equal(import(f->st, &party_entity, path, false, NULL, &errs),
			 K_EINVAL);
	has_line(errs, ":1: no header row");
	free(errs);

	write_file(path, "code,name,customer\n");
	assert_int_equal(import(f->st, &party_entity, path, false, NULL, &errs),
			 0);
	assert_string_equal(errs, "");
	free(errs);

	write_file(path, "code,name,customer\nA,\"x\"y,yes\nB,z,yes\n");
	assert_int_equal(import(f->st, &party_entity, path, false, NULL, &errs),
			 K_EINVAL);
	has_line(errs, ":2: bad quoting");
	free(errs);

	write_file(path, "code,name,customer\nA,x,yes\n\nB,x\"y,yes\n");
	assert_int_equal(import(f->st, &party_entity, path, false, NULL, &errs),
			 K_EINVAL);
	has_line(errs, ":4: bad quoting");
	free(errs);

	write_file(path, "code,name,customer\nA,x,yes\nB,\"open,yes\n");
	assert_int_equal(import(f->st, &party_entity, path, false, NULL, &errs),
			 K_EINVAL);
	has_line(errs, ":3: a quoted field is not closed");
	free(errs);

	snprintf(path, sizeof path, "%s/missing.csv", f->dir);
	assert_int_equal(import(f->st, &party_entity, path, false, NULL, &errs),
			 K_ENOTFOUND);
	free(errs);
	assert_int_equal(count(f->st, &party_entity), 0);
}

static void test_import_limits(void **state)
{
	struct testenv *f = *state;
	char path[700];
	char *errs = NULL;
	FILE *fp;

	/* a field of more than 1 MiB: a quote left open, say */
	snprintf(path, sizeof path, "%s/huge.csv", f->dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fprintf(fp, "code,name,customer\nA,x,yes\nB,\"");
	for (int i = 0; i < 40000; i++)
		fprintf(fp, "a long line of text, over and over\n");
	fclose(fp);
	assert_int_equal(import(f->st, &party_entity, path, false, NULL, &errs),
			 K_EINVAL);
	has_line(errs, ":3: a field longer than 1048576 bytes");
	assert_int_equal(count_lines(errs), 1);
	free(errs);

	/* a row of 10,000 columns: counted, not kept */
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fprintf(fp, "code,name,customer\nA,x,yes\nB");
	for (int i = 0; i < 10000; i++)
		fputs(",y", fp);
	fprintf(fp, "\nC,z,yes\n");
	fclose(fp);
	assert_int_equal(import(f->st, &party_entity, path, false, NULL, &errs),
			 K_EINVAL);
	has_line(errs, ":3: 10001 columns where the header has 3\n");
	assert_int_equal(count_lines(errs), 1);
	free(errs);

	/* a row of more than 8 MiB in fields of less than 1 MiB: not kept */
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fprintf(fp, "code,name,customer\nA,x,yes\nB");
	for (int i = 0; i < 10; i++) {
		fputc(',', fp);
		for (int j = 0; j < 900000; j++)
			fputc('x', fp);
	}
	fprintf(fp, "\nC,z,yes\n");
	fclose(fp);
	assert_int_equal(import(f->st, &party_entity, path, false, NULL, &errs),
			 K_EINVAL);
	has_line(errs, ":3: a row longer than 8388608 bytes\n");
	assert_int_equal(count_lines(errs), 1);
	free(errs);
	assert_int_equal(count(f->st, &party_entity), 0);
}

static void test_import_bom_crlf(void **state)
{
	struct testenv *f = *state;
	char path[700];
	char *errs = NULL;
	unsigned long rows = 0;

	units(f->st, f->dir);
	snprintf(path, sizeof path, "%s/bom.csv", f->dir);
	write_file(path,
		"\xEF\xBB\xBF" "code,description,standard_cost,list_price\r\n"
		"A1,\"Multi\r\nline\",1,2\r\n"
		"A2,ok,1.00001,2\r\n");
	assert_int_equal(import(f->st, &item_entity, path, false, &rows, &errs),
			 K_EINVAL);
	has_line(errs, ":2: description: control characters");
	has_line(errs, ":4: standard_cost: too many decimals");
	free(errs);

	/* old Mac line ends: a lone CR ends a line too */
	write_file(path, "code,description,type\rB1,ok,service\r\rB2,bad,gizmo\r");
	assert_int_equal(import(f->st, &item_entity, path, false, &rows, &errs),
			 K_EINVAL);
	has_line(errs, ":4: type: type must be stocked");
	free(errs);

	write_file(path,
		"\xEF\xBB\xBF" "code,description,standard_cost,list_price\r\n"
		"A1,一,1,2\r\n"
		"\r\n"
		"A2,\"two, quoted\",\"1,000.5\",\"2,000\"\r\n");
	assert_int_equal(import(f->st, &item_entity, path, false, &rows, &errs),
			 0);
	free(errs);
	assert_int_equal(rows, 2);
	char buf[64];
	field_of(f->st, &item_entity, "A2", "standard_cost", buf, sizeof buf);
	assert_string_equal(buf, "1000.5000");
	field_of(f->st, &item_entity, "A2", "margin", buf, sizeof buf);
	assert_string_equal(buf, "0.499750");
	field_of(f->st, &item_entity, "A1", "uom", buf, sizeof buf);
	assert_string_equal(buf, "EA");                  /* default kept */
}

static void test_import_lists(void **state)
{
	struct testenv *f = *state;
	char path[700];
	char *errs = NULL;
	unsigned long rows = 0;

	snprintf(path, sizeof path, "%s/lists.csv", f->dir);
	write_file(path,
		"code,name,customer,contacts\r\n"                       /* 1 */
		"C1,One,yes,\"Li Wei|Buyer|+86 21 1|li@example.cn\r\n"  /* 2 */
		"\r\n"                                                  /* 3 */
		"Anna \\| Bo|A\\\\B||\"\r\n"                             /* 4 */
		"C2,Two,yes,Solo\r\n"                                   /* 5 */
		"C3,Three,yes,\r\n");                                   /* 6 */
	assert_int_equal(import(f->st, &party_entity, path, false, &rows, &errs),
			 0);
	free(errs);
	assert_int_equal(rows, 3);

	struct party *p = load(f->st, &party_entity, "C1");
	struct contact *c = p->contacts.items;
	assert_int_equal(p->contacts.n, 2);
	assert_string_equal(c[0].name, "Li Wei");
	assert_string_equal(c[0].role, "Buyer");
	assert_string_equal(c[0].phone, "+86 21 1");
	assert_string_equal(c[0].email, "li@example.cn");
	assert_string_equal(c[1].name, "Anna | Bo");
	assert_string_equal(c[1].role, "A\\B");
	assert_null(c[1].phone);
	assert_null(c[1].email);
	ent_free(&party_entity, p);
	p = load(f->st, &party_entity, "C2");
	assert_int_equal(p->contacts.n, 1);          /* missing parts: empty */
	assert_string_equal(((struct contact *)p->contacts.items)->name, "Solo");
	ent_free(&party_entity, p);
	p = load(f->st, &party_entity, "C3");
	assert_int_equal(p->contacts.n, 0);
	ent_free(&party_entity, p);

	/* bad elements name the element and its part */
	write_file(path,
		"code,name,customer,contacts\n"                         /* 1 */
		"D1,One,yes,\"A|b\nB|c|d|e|f\"\n"                       /* 2 */
		"D2,Two,yes,A\\x\n"                                     /* 4 */
		"D3,Three,yes,\"A|b|c|bad mail\"\n"                     /* 5 */
		"D4,Four,yes,\"|role only\"\n"                          /* 6 */
		"D5,Five,yes,\"A|\xff\"\n");                            /* 7 */
	assert_int_equal(import(f->st, &party_entity, path, false, &rows, &errs),
			 K_EINVAL);
	has_line(errs, ":2: contacts: contact 2: more than 4 parts (name|role|phone|email)\n");
	has_line(errs, ":4: contacts: contact 1: a backslash must be followed by |, \\ or n");
	has_line(errs, ":5: contacts: contact 1 (A): email \"bad mail\" is not an address");
	has_line(errs, ":6: contacts: contact 1: name is required\n");
	has_line(errs, ":7: contacts: not valid UTF-8 text\n");
	assert_int_equal(count_lines(errs), 5);
	free(errs);
	assert_int_equal(count(f->st, &party_entity), 3);

	/*
	 * A reference inside an element to a code further down the file
	 * (BOX converts to EA, which comes later), and one to no code.
	 */
	const struct entity *u = ent_find("unit");
	if (u) {
		size_t len = 0;
		char *out = NULL;
		FILE *fp;
		struct kerr err;

		units(f->st, f->dir);
		fp = open_memstream(&out, &len);
		assert_non_null(fp);
		assert_int_equal(csvio_export(f->st, u, fp, NULL, &err), 0);
		fclose(fp);
		has_line(out, "\nBOX,Box,0,EA|12.000000");
		free(out);
		write_file(path, "code,name,conversions\n"
				 "C1,Case,\"BOX|4\nNOPE|1\"\n");
		assert_int_equal(import(f->st, u, path, false, &rows, &errs),
				 K_EINVAL);
		has_line(errs, ":2: conversions: conversion 2: to: no unit with code NOPE\n");
		assert_int_equal(count_lines(errs), 1);
		free(errs);
	}

	/* an empty field empties the list on update */
	write_file(path, "code,contacts\nC1,\n");
	assert_int_equal(import(f->st, &party_entity, path, true, &rows, &errs),
			 0);
	free(errs);
	p = load(f->st, &party_entity, "C1");
	assert_int_equal(p->contacts.n, 0);
	assert_string_equal(p->name, "One");          /* other fields kept */
	ent_free(&party_entity, p);
}

static void test_import_update(void **state)
{
	struct testenv *f = *state;
	char path[700], buf[64];
	char *errs = NULL;
	unsigned long rows = 0;

	snprintf(path, sizeof path, "%s/up.csv", f->dir);
	write_file(path,
		"code,name,customer,credit_limit\n"
		"U1,First,yes,10\n"
		"U2,Second,yes,20\n");
	assert_int_equal(import(f->st, &party_entity, path, false, &rows, &errs),
			 0);
	free(errs);
	struct party *p = load(f->st, &party_entity, "U1");
	uint32_t version = p->h.version;
	ent_free(&party_entity, p);

	/* U1 changes, U3 is new (its parent comes later), U2 is left alone */
	write_file(path,
		"code,name,parent\n"
		"U1,First renamed,U4\n"
		"U3,Third,\n"
		"U4,Fourth,\n");
	assert_int_equal(import(f->st, &party_entity, path, true, &rows, &errs),
			 K_EINVAL);
	has_line(errs, ":3: customer: a party must be a customer");
	free(errs);
	write_file(path,
		"code,name,parent,supplier\n"
		"U1,First renamed,U4,no\n"
		"U3,Third,,yes\n"
		"U4,Fourth,,yes\n");
	assert_int_equal(import(f->st, &party_entity, path, true, &rows, &errs),
			 0);
	free(errs);
	assert_int_equal(rows, 3);
	assert_int_equal(count(f->st, &party_entity), 4);
	p = load(f->st, &party_entity, "U1");
	assert_string_equal(p->name, "First renamed");
	assert_true(p->customer);                     /* not in the file: kept */
	assert_int_equal(p->credit_limit, 1000);
	assert_int_equal(p->h.version, version + 2);  /* row, then its parent */
	ent_free(&party_entity, p);
	field_of(f->st, &party_entity, "U1", "parent", buf, sizeof buf);
	assert_string_equal(buf, "U4");
	field_of(f->st, &party_entity, "U2", "name", buf, sizeof buf);
	assert_string_equal(buf, "Second");

	/* a code twice in the file is an error with --update too */
	write_file(path, "code,name\nU2,Again\nU2,And again\n");
	assert_int_equal(import(f->st, &party_entity, path, true, &rows, &errs),
			 K_EINVAL);
	has_line(errs, ":3: code: duplicate code U2: an earlier row of the file has it too\n");
	assert_int_equal(count_lines(errs), 1);
	free(errs);
	field_of(f->st, &party_entity, "U2", "name", buf, sizeof buf);
	assert_string_equal(buf, "Second");
}

struct prog {
	unsigned calls, done;
	unsigned long last;
};

static void on_progress(void *arg, unsigned long rows, bool done)
{
	struct prog *p = arg;

	p->calls++;
	p->done += done;
	p->last = rows;
}

static void test_import_dry_run_progress(void **state)
{
	struct testenv *f = *state;
	char path[700];
	char *errs = NULL;
	unsigned long rows = 0;
	struct prog pg = { 0 };
	struct csvio_opts o = { .dry_run = true, .progress = on_progress,
				.arg = &pg };

	snprintf(path, sizeof path, "%s/dry.csv", f->dir);
	write_file(path, "code,name,customer\nA,a,yes\nB,b,yes\n");
	assert_int_equal(import_o(f->st, &party_entity, path, &o, &rows, &errs),
			 0);
	free(errs);
	assert_int_equal(rows, 2);
	assert_int_equal(count(f->st, &party_entity), 0);
	assert_int_equal(pg.done, 1);
	assert_int_equal(pg.last, 2);
}

static void test_import_busy(void **state)
{
	struct testenv *f = *state;
	char path[700];
	char *errs = NULL;
	struct store_txn *t = NULL;
	struct kerr err;

	/* a clerk's transaction holds the page the import must write */
	struct party *p = new_party("CLERK", "Being saved");
	assert_int_equal(store_txn_begin(f->st, false, &t, &err), 0);
	assert_int_equal(store_insert(t, &party_schema, p, &err), 0);
	ent_free(&party_entity, p);

	snprintf(path, sizeof path, "%s/busy.csv", f->dir);
	write_file(path, "code,name,customer\nA,a,yes\n");
	assert_int_equal(import(f->st, &party_entity, path, false, NULL, &errs),
			 K_EBUSY);
	has_line(errs, "the database is busy: another user is changing party; try again\n");
	free(errs);
	store_txn_abort(&t);
	assert_int_equal(count(f->st, &party_entity), 0);
	assert_int_equal(import(f->st, &party_entity, path, false, NULL, NULL),
			 0);
	assert_int_equal(count(f->st, &party_entity), 1);
}

static void test_columns(void **state)
{
	struct testenv *f = *state;
	size_t len = 0;
	char *buf = NULL;
	FILE *out = open_memstream(&buf, &len);
	struct kerr err;

	assert_non_null(out);
	assert_int_equal(csvio_columns(f->st, &party_entity, out, &err), 0);
	assert_int_equal(csvio_columns(f->st, &item_entity, out, &err), 0);
	fclose(out);
	has_line(buf, "code                  text                      required\n");
	has_line(buf, "name                  text                      required\n");
	has_line(buf, "customer              yes/no                    a party must be a customer, a supplier or a prospect (at least one)\n");
	has_line(buf, "credit_limit          amount with 2 decimals\n");
	has_line(buf, "parent                code of party\n");
	has_line(buf, "contacts              list: name|role|phone|email\n");
	has_line(buf, "description           text                      required\n");
	has_line(buf, "lead_time             whole number\n");
	has_line(buf, "standard_cost         amount with 4 decimals\n");
	has_line(buf, "uom                   code of unit              default EA\n");
	has_line(buf, "status                text                      default active\n");
	free(buf);
}

static void test_import_big(void **state)
{
	struct testenv *f = *state;
	char path[700], want[1600];
	char *errs = NULL;
	unsigned long rows = 0, line, bad_desc = 0, bad_cost = 0;
	const int n = 2500;
	FILE *fp;

	/*
	 * More than one 64 KiB chunk.  A line break in a few descriptions
	 * (refused; those rows span two lines) and a bad amount near the
	 * end: the lines named must count the breaks.
	 */
	units(f->st, f->dir);
	snprintf(path, sizeof path, "%s/big.csv", f->dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fprintf(fp, "code,description,category,standard_cost,list_price\n");
	line = 2;
	for (int i = 0; i < n; i++) {
		bool two = i % 500 == 7;
		if (two && i == 1507)
			bad_desc = line;
		if (i == 1998)
			bad_cost = line;
		fprintf(fp, "IT%05d,\"Item %d, a thing with a long description%s\",Category %d,%s,%d.25\n",
			i, i, two ? "\nand a second line" : "", i % 7,
			i == 1998 ? "x" : "1.5", i);
		line += two ? 2 : 1;
	}
	fclose(fp);
	assert_int_equal(import(f->st, &item_entity, path, false, &rows, &errs),
			 K_EINVAL);
	assert_int_equal(count_lines(errs), 6);
	snprintf(want, sizeof want, "%s:%lu: standard_cost: not an amount: x\n",
		 path, bad_cost);
	has_line(errs, want);
	snprintf(want, sizeof want, "%s:%lu: description: control characters",
		 path, bad_desc);
	has_line(errs, want);
	free(errs);
	assert_int_equal(count(f->st, &item_entity), 0);

	/* every row bad: the first 1000 are named, then the scan stops */
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fprintf(fp, "code,description,lead_time\n");
	for (int i = 0; i < n; i++)
		fprintf(fp, "IT%05d,Item %d,soon\n", i, i);
	fclose(fp);
	assert_int_equal(import(f->st, &item_entity, path, false, &rows, &errs),
			 K_EINVAL);
	assert_int_equal(count_lines(errs), CSVIO_MAX_ERRORS + 1);
	snprintf(want, sizeof want, "%s:1001: lead_time: not a whole number: soon\n%s:1002: more than 1000 errors; the rest of the file was not checked\n",
		 path, path);
	has_line(errs, want);
	free(errs);
	assert_int_equal(count(f->st, &item_entity), 0);

	/* the same without problems goes in */
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fprintf(fp, "code,description,category,standard_cost,list_price\n");
	for (int i = 0; i < n; i++)
		fprintf(fp, "IT%05d,\"Item %d, a thing with a long description\",Category %d,1.5,%d.25\n",
			i, i, i % 7, i);
	fclose(fp);
	assert_int_equal(import(f->st, &item_entity, path, false, &rows, &errs),
			 0);
	free(errs);
	assert_int_equal(rows, (unsigned long)n);
	assert_int_equal(count(f->st, &item_entity), (uint64_t)n);
	char buf[64];
	field_of(f->st, &item_entity, "IT02499", "list_price", buf, sizeof buf);
	assert_string_equal(buf, "2499.2500");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, testenv_teardown)
	const struct CMUnitTest tests[] = {
		T(test_registry),
		T(test_new_defaults),
		T(test_field_roundtrip),
		T(test_field_bad_input),
		T(test_party_rules),
		T(test_item_rules),
		T(test_item_margin),
		T(test_save_insert_update),
		T(test_save_extra_hook),
		T(test_save_stale_conflict),
		T(test_delete_referenced),
		T(test_delete_many_referrers),
		T(test_party_block),
		T(test_import_demo),
		T(test_export_roundtrip),
		T(test_import_bad_file),
		T(test_import_bad_header),
		T(test_import_limits),
		T(test_import_bom_crlf),
		T(test_import_lists),
		T(test_import_update),
		T(test_import_dry_run_progress),
		T(test_import_busy),
		T(test_columns),
		T(test_import_big),
	};
#undef T

	return cmocka_run_group_tests_name("masters", tests, NULL, NULL);
}
