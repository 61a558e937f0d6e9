/*
 * test_ops.c - warehouses, units of measure, departments and number
 * series (masters/ops.h) on a real Berkeley DB environment.
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
	static const struct testenv_opts o = { .name = "ops" };

	return testenv_setup(state, &o);
}

/* ------------------------------------------------------------ helpers */

static struct store_txn *begin(struct store *st, bool snapshot)
{
	struct store_txn *t = NULL;
	struct kerr err;

	assert_int_equal(store_txn_begin(st, snapshot, &t, &err), 0);
	return t;
}

static void commit(struct store_txn **t)
{
	struct kerr err;

	assert_int_equal(store_txn_commit(t, &err), 0);
}

static const struct store_field *fld(const struct store_schema *s,
				     const char *name)
{
	const struct store_field *f = store_field_find(s, name);

	assert_non_null(f);
	return f;
}

/*
 * Sets fields of rec (of schema s: a record or a list element) from
 * "name=text" pairs, ended by NULL; references are looked up.
 */
static void setv(struct store *st, const struct store_schema *s, void *rec,
		 ...)
{
	struct store_txn *t = begin(st, true);
	const char *kv;
	va_list ap;

	va_start(ap, rec);
	while ((kv = va_arg(ap, const char *))) {
		const char *eq = strchr(kv, '=');
		char name[64];
		struct kerr err;

		assert_non_null(eq);
		snprintf(name, sizeof name, "%.*s", (int)(eq - kv), kv);
		kerr_clear(&err);
		if (ent_field_set(t, fld(s, name), rec, eq + 1, &err)) {
			fprintf(stderr, "set %s: %s\n", kv, err.msg);
			fail();
		}
	}
	va_end(ap);
	commit(&t);
}

/* Appends a zeroed element to list field `name` of rec; returns it. */
static void *add_elem(const struct store_schema *s, void *rec,
		      const char *name)
{
	const struct store_field *f = fld(s, name);
	struct store_list *l = (void *)((char *)rec + f->offset);
	size_t sz = f->sub->size;
	char *items = realloc(l->items, (l->n + 1) * sz);

	assert_non_null(items);
	memset(items + l->n * sz, 0, sz);
	l->items = items;
	return items + l->n++ * sz;
}

static void save_ok(struct store *st, const struct entity *e, void *rec)
{
	struct kerr err;

	kerr_clear(&err);
	if (ent_save(st, e, rec, NULL, &err)) {
		fprintf(stderr, "save %s: %s: %s\n", e->name, err.field,
			err.msg);
		fail();
	}
}

/* Expects rec refused by save with code, on field, saying want. */
static void refused(struct store *st, const struct entity *e, void *rec,
		    int code, const char *field, const char *want)
{
	struct kerr err;

	kerr_clear(&err);
	assert_int_equal(ent_save(st, e, rec, NULL, &err), code);
	assert_string_equal(err.field, field);
	if (!strstr(err.msg, want)) {
		fprintf(stderr, "\"%s\" lacks \"%s\"\n", err.msg, want);
		fail();
	}
}

/* The stored record of e with code (ent_free it). */
static void *load(struct store *st, const struct entity *e, const char *code)
{
	struct store_txn *t = begin(st, true);
	void *rec = calloc(1, e->schema->size);
	struct kerr err;

	assert_non_null(rec);
	if (ent_get_code(t, e, code, rec, &err)) {
		fprintf(stderr, "load %s: %s\n", code, err.msg);
		fail();
	}
	commit(&t);
	return rec;
}

static int64_t id_of(struct store *st, const struct entity *e,
		     const char *code)
{
	struct store_rec *r = load(st, e, code);
	int64_t id = r->id;

	ent_free(e, r);
	return id;
}

static uint64_t count(struct store *st, const struct entity *e)
{
	struct store_txn *t = begin(st, true);
	struct kerr err;
	uint64_t n = 0;

	assert_int_equal(store_count(t, e->schema, &n, &err), 0);
	commit(&t);
	return n;
}

/* ---------------------------------------------------- record builders */

static struct unit *new_unit(struct store *st, const char *code,
			     const char *decimals)
{
	struct unit *u = ent_new(&unit_entity);
	char a[64], b[64];

	assert_non_null(u);
	snprintf(a, sizeof a, "code=%s", code);
	snprintf(b, sizeof b, "decimals=%s", decimals);
	setv(st, &unit_schema, u, a, "name=Unit", b, NULL);
	return u;
}

static void conv(struct store *st, struct unit *u, const char *to,
		 const char *factor)
{
	struct conversion *c = add_elem(&unit_schema, u, "conversions");
	char a[64], b[64];

	snprintf(a, sizeof a, "to=%s", to);
	snprintf(b, sizeof b, "factor=%s", factor);
	setv(st, &conversion_schema, c, a, b, NULL);
}

/* Saves unit code with decimals and conversions "TO=FACTOR", NULL-ended. */
static void unit(struct store *st, const char *code, const char *decimals,
		 ...)
{
	struct unit *u = new_unit(st, code, decimals);
	const char *c;
	va_list ap;

	va_start(ap, decimals);
	while ((c = va_arg(ap, const char *))) {
		char to[16];
		const char *eq = strchr(c, '=');
		snprintf(to, sizeof to, "%.*s", (int)(eq - c), c);
		conv(st, u, to, eq + 1);
	}
	va_end(ap);
	save_ok(st, &unit_entity, u);
	ent_free(&unit_entity, u);
}

static struct series *new_series(struct store *st, const char *code,
				 const char *prefix, const char *gap_free)
{
	struct series *s = ent_new(&series_entity);
	char a[64], b[64], c[64];

	assert_non_null(s);
	snprintf(a, sizeof a, "code=%s", code);
	snprintf(b, sizeof b, "prefix=%s", prefix);
	snprintf(c, sizeof c, "gap_free=%s", gap_free);
	setv(st, &series_schema, s, a, "name=Series", "doc_type=ar.invoice", b,
	     c, NULL);
	return s;
}

struct take {
	const char *code;
	char buf[64];
};

static int take_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct take *k = arg;

	return series_take(t, k->code, k->buf, sizeof k->buf, err);
}

/* Takes a number of series code in a transaction of its own. */
static void take(struct store *st, const char *code, const char *want)
{
	struct take k = { code, "" };
	struct kerr err;

	kerr_clear(&err);
	if (store_write(st, take_fn, &k, &err)) {
		fprintf(stderr, "take %s: %s\n", code, err.msg);
		fail();
	}
	assert_string_equal(k.buf, want);
}

/* ------------------------------------------------------------- tests */

static void test_registry(void **state)
{
	const struct entity *es[] = { &warehouse_entity, &unit_entity,
				      &department_entity, &series_entity };
	bool seen[NELEM(es)] = { false };

	(void)state;
	for (size_t i = 0; i < NELEM(es); i++) {
		assert_ptr_equal(ent_find(es[i]->name), es[i]);
		assert_ptr_equal(ent_by_table(es[i]->schema->name), es[i]);
		assert_non_null(ent_hook_find(es[i]->hooks[0].name));
		for (size_t j = 0; j < ent_nschemas; j++)
			if (ent_schemas[j] == es[i]->schema)
				seen[i] = true;
		assert_true(seen[i]);
		/* tags rise with the struct */
		const struct store_schema *s = es[i]->schema;
		for (size_t f = 1; f < s->nfields; f++) {
			assert_true(s->fields[f].tag > s->fields[f - 1].tag);
			assert_true(s->fields[f].offset > s->fields[f - 1].offset);
		}
	}
	assert_null(ent_find("location"));
	assert_null(ent_find("conversion"));
	assert_string_equal(fld(&conversion_schema, "to")->ref, "unit");
	assert_int_equal(fld(&conversion_schema, "factor")->type, SF_RATE);
	assert_string_equal(fld(&department_schema, "parent")->ref,
			    "department");
	assert_non_null(series_entity.apply);
	assert_non_null(series_entity.fill);
	assert_null(unit_entity.apply);
}

/* ---------------------------------------------------------- warehouse */

static struct warehouse *new_wh(struct store *st, const char *code)
{
	struct warehouse *w = ent_new(&warehouse_entity);
	char a[64];

	assert_non_null(w);
	snprintf(a, sizeof a, "code=%s", code);
	setv(st, &warehouse_schema, w, a, "name=上海总仓", "city=上海", NULL);
	return w;
}

static void loc(struct store *st, struct warehouse *w, const char *code,
		const char *kind)
{
	struct location *l = add_elem(&warehouse_schema, w, "locations");
	char a[64], b[64];

	snprintf(a, sizeof a, "code=%s", code);
	snprintf(b, sizeof b, "kind=%s", kind);
	setv(st, &location_schema, l, a, "name=somewhere", b, NULL);
}

static void test_warehouse_rules(void **state)
{
	struct testenv *f = *state;
	struct warehouse *w;

	w = new_wh(f->st, "");
	refused(f->st, &warehouse_entity, w, K_EINVAL, "code", "required");
	ent_free(&warehouse_entity, w);
	w = new_wh(f->st, "sh01");
	refused(f->st, &warehouse_entity, w, K_EINVAL, "code", "upper case");
	ent_free(&warehouse_entity, w);
	w = new_wh(f->st, "SH01");
	setv(f->st, &warehouse_schema, w, "name=", NULL);
	refused(f->st, &warehouse_entity, w, K_EINVAL, "name", "required");
	setv(f->st, &warehouse_schema, w, "name=Shanghai", "status=closed",
	     NULL);
	refused(f->st, &warehouse_entity, w, K_EINVAL, "status",
		"active or blocked");
	setv(f->st, &warehouse_schema, w, "status=active", NULL);

	loc(f->st, w, "RCV-01", "receiving");
	loc(f->st, w, "a-01", "storage");
	refused(f->st, &warehouse_entity, w, K_EINVAL, "locations",
		"location 2: code \"a-01\" has lower-case letters");
	setv(f->st, &location_schema,
	     (struct location *)w->locations.items + 1, "code=A-01",
	     "kind=attic", NULL);
	refused(f->st, &warehouse_entity, w, K_EINVAL, "locations",
		"location 2 (A-01): kind must be storage, receiving, shipping or quality");
	setv(f->st, &location_schema,
	     (struct location *)w->locations.items + 1, "kind=", NULL);
	loc(f->st, w, "RCV-01", "shipping");
	refused(f->st, &warehouse_entity, w, K_EEXIST, "locations",
		"location RCV-01 is on lines 1 and 3");
	setv(f->st, &location_schema,
	     (struct location *)w->locations.items + 2, "code=SHP-01",
	     "blocked=yes", NULL);
	save_ok(f->st, &warehouse_entity, w);
	/* a location typed without a kind is storage */
	assert_string_equal(((struct location *)w->locations.items)[1].kind,
			    "storage");
	ent_free(&warehouse_entity, w);

	/* another warehouse may use the same location codes */
	w = new_wh(f->st, "BJ01");
	loc(f->st, w, "RCV-01", "receiving");
	save_ok(f->st, &warehouse_entity, w);
	ent_free(&warehouse_entity, w);

	/* the stock check */
	struct store_txn *t = begin(f->st, true);
	struct kerr err;
	int64_t id = 0;
	bool blocked = true;
	assert_int_equal(warehouse_location(t, "SH01", "A-01", &id, &blocked,
					    &err), 0);
	assert_true(id > 0);
	assert_false(blocked);
	assert_int_equal(warehouse_location(t, "SH01", "SHP-01", NULL,
					    &blocked, &err), 0);
	assert_true(blocked);
	assert_int_equal(warehouse_location(t, "SH01", "B-09", NULL, NULL,
					    &err), K_ENOTFOUND);
	assert_string_equal(err.field, "location");
	assert_string_equal(err.msg, "warehouse SH01 has no location B-09");
	assert_int_equal(warehouse_location(t, "XX", "RCV-01", NULL, NULL,
					    &err), K_ENOTFOUND);
	assert_string_equal(err.field, "warehouse");
	assert_non_null(strstr(err.msg, "no warehouse with code XX"));
	commit(&t);
}

/* --------------------------------------------------------------- unit */

static void test_unit_rules(void **state)
{
	struct testenv *f = *state;
	struct unit *u;

	unit(f->st, "EA", "0", NULL);
	u = new_unit(f->st, "BOX", "4");
	refused(f->st, &unit_entity, u, K_EINVAL, "decimals", "0 to 3");
	setv(f->st, &unit_schema, u, "decimals=-1", NULL);
	refused(f->st, &unit_entity, u, K_EINVAL, "decimals", "0 to 3");
	setv(f->st, &unit_schema, u, "decimals=0", "name=", NULL);
	refused(f->st, &unit_entity, u, K_EINVAL, "name", "required");
	setv(f->st, &unit_schema, u, "name=Box", NULL);

	conv(f->st, u, "EA", "0");
	refused(f->st, &unit_entity, u, K_EINVAL, "conversions",
		"conversion 1: the factor must be greater than 0");
	setv(f->st, &conversion_schema, u->conversions.items, "factor=-12",
	     NULL);
	refused(f->st, &unit_entity, u, K_EINVAL, "conversions",
		"greater than 0");
	setv(f->st, &conversion_schema, u->conversions.items, "factor=12",
	     NULL);
	conv(f->st, u, "EA", "10");
	refused(f->st, &unit_entity, u, K_EEXIST, "conversions",
		"conversions 1 and 2 convert to the same unit");
	setv(f->st, &conversion_schema,
	     (struct conversion *)u->conversions.items + 1, "to=", NULL);
	refused(f->st, &unit_entity, u, K_EINVAL, "conversions",
		"conversion 2: the unit it converts to is required");
	u->conversions.n = 1;          /* the element was zeroed: nothing owned */
	save_ok(f->st, &unit_entity, u);

	/* to itself: possible only once the unit exists */
	conv(f->st, u, "BOX", "1");
	refused(f->st, &unit_entity, u, K_EINVAL, "conversions",
		"conversion 2: BOX cannot convert to itself");
	ent_free(&unit_entity, u);

	/* a factor has at most 6 decimals, like every rate */
	struct conversion c;
	struct kerr err;
	memset(&c, 0, sizeof c);
	assert_int_equal(ent_field_set(NULL, fld(&conversion_schema, "factor"),
				       &c, "0.0000001", &err), K_EINVAL);
	assert_int_equal(ent_field_set(NULL, fld(&conversion_schema, "factor"),
				       &c, "0.000001", &err), 0);
	assert_int_equal(c.factor, 1);
}

/* qty (text, scale 3) of `from` in `to`: expects want (text) or code. */
static void convert(struct store *st, const char *from, const char *to,
		    const char *qty, const char *want)
{
	int64_t q, out = 0;
	char buf[NUM_BUFSZ];
	struct store_txn *t;
	struct kerr err;
	int64_t a = id_of(st, &unit_entity, from),
		b = id_of(st, &unit_entity, to);

	assert_int_equal(num_parse(qty, 3, &q, NULL), 0);
	t = begin(st, true);
	kerr_clear(&err);
	if (unit_convert(t, a, b, q, &out, &err)) {
		fprintf(stderr, "%s %s -> %s: %s\n", qty, from, to, err.msg);
		fail();
	}
	commit(&t);
	num_format(out, 3, false, buf, sizeof buf);
	if (strcmp(buf, want) != 0) {
		fprintf(stderr, "%s %s -> %s: %s, want %s\n", qty, from, to,
			buf, want);
		fail();
	}
}

static void units_fixture(struct store *st)
{
	unit(st, "EA", "0", NULL);
	unit(st, "KG", "3", NULL);
	unit(st, "G", "0", "KG=0.001", NULL);
	unit(st, "T", "3", "KG=1000", NULL);
	unit(st, "BOX", "0", "EA=12", NULL);
	unit(st, "DOZ", "0", "EA=12", NULL);
	unit(st, "PR", "1", "EA=2", NULL);
	unit(st, "M", "3", NULL);
	unit(st, "CM", "1", "M=0.01", NULL);
}

static void test_unit_convert(void **state)
{
	struct testenv *f = *state;

	units_fixture(f->st);
	/* direct: the unit's own conversion */
	convert(f->st, "BOX", "EA", "2", "24.000");
	convert(f->st, "T", "KG", "1.5", "1500.000");
	convert(f->st, "CM", "M", "123.4", "1.234");
	/* inverse: the other unit's conversion, backwards */
	convert(f->st, "EA", "BOX", "36", "3.000");
	convert(f->st, "KG", "T", "2500", "2.500");
	convert(f->st, "KG", "G", "1.234", "1234.000");
	/* through one unit in between */
	convert(f->st, "BOX", "DOZ", "3", "3.000");
	convert(f->st, "DOZ", "PR", "1", "6.000");
	convert(f->st, "T", "G", "1.5", "1500000.000");
	convert(f->st, "G", "T", "250000", "0.250");
	/* rounded once, half away from zero, to the target's decimals */
	convert(f->st, "EA", "BOX", "30", "3.000");        /* 2.5 */
	convert(f->st, "EA", "BOX", "29", "2.000");        /* 2.4167 */
	convert(f->st, "EA", "BOX", "-30", "-3.000");
	convert(f->st, "EA", "PR", "3", "1.500");          /* 1 decimal */
	convert(f->st, "EA", "PR", "0.1", "0.100");        /* 0.05 -> 0.1 */
	convert(f->st, "G", "T", "500", "0.001");          /* 0.0005 */
	convert(f->st, "G", "T", "499", "0.000");
	convert(f->st, "G", "KG", "1", "0.001");
	convert(f->st, "CM", "M", "0.1", "0.001");         /* 0.001 m */
	convert(f->st, "PR", "DOZ", "5", "1.000");         /* 10 EA: 0.833 */
	/* the same unit: rounded to its decimals */
	convert(f->st, "EA", "EA", "2.5", "3.000");
	convert(f->st, "KG", "KG", "2.5", "2.500");

	/* no path */
	struct store_txn *t = begin(f->st, true);
	struct kerr err;
	int64_t out = 77;
	assert_int_equal(unit_convert(t, id_of(f->st, &unit_entity, "KG"),
				      id_of(f->st, &unit_entity, "EA"), 1000,
				      &out, &err), K_ENOTFOUND);
	assert_string_equal(err.msg, "no conversion from KG to EA");
	assert_int_equal(out, 77);
	assert_int_equal(unit_convert(t, id_of(f->st, &unit_entity, "M"),
				      9999, 1000, &out, &err), K_ENOTFOUND);
	assert_string_equal(err.msg,
			    "cannot convert M to #9999: #9999 is not a unit");
	/* two hops are not searched: CM -> M has no further path to KG */
	assert_int_equal(unit_convert(t, id_of(f->st, &unit_entity, "CM"),
				      id_of(f->st, &unit_entity, "BOX"), 1000,
				      &out, &err), K_ENOTFOUND);
	/* too big */
	assert_int_equal(unit_convert(t, id_of(f->st, &unit_entity, "T"),
				      id_of(f->st, &unit_entity, "G"),
				      INT64_MAX / 2, &out, &err), K_ERANGE);
	/* rounding on its own */
	assert_int_equal(unit_round(t, id_of(f->st, &unit_entity, "PR"), 1250,
				    &out, &err), 0);
	assert_int_equal(out, 1300);
	assert_int_equal(unit_round(t, id_of(f->st, &unit_entity, "KG"), 1251,
				    &out, &err), 0);
	assert_int_equal(out, 1251);
	commit(&t);
}

static void test_unit_delete_used(void **state)
{
	struct testenv *f = *state;
	struct item *it = ent_new(&item_entity);
	struct unit *u;
	struct kerr err;

	units_fixture(f->st);
	assert_non_null(it);
	setv(f->st, &item_schema, it, "code=RM-1", "description=Steel",
	     "uom=KG", NULL);
	save_ok(f->st, &item_entity, it);
	ent_free(&item_entity, it);

	u = load(f->st, &unit_entity, "KG");
	assert_int_equal(ent_delete(f->st, &unit_entity, u, &err),
			 K_EREFERENCED);
	assert_string_equal(err.msg, "used by 1 items (unit), e.g. RM-1");
	ent_free(&unit_entity, u);
	assert_int_equal(count(f->st, &unit_entity), 9);

	/* a unit nobody's item names goes */
	u = load(f->st, &unit_entity, "M");
	assert_int_equal(ent_delete(f->st, &unit_entity, u, &err), 0);
	ent_free(&unit_entity, u);
	assert_int_equal(count(f->st, &unit_entity), 8);
}

static void test_item_uom_default(void **state)
{
	struct testenv *f = *state;
	struct item *it = ent_new(&item_entity);
	struct store_txn *t;
	struct kerr err;
	char buf[32];

	assert_non_null(it);
	assert_int_equal(it->uom, 0);
	setv(f->st, &item_schema, it, "code=FG-1", "description=Lathe", NULL);
	/* the default's code must exist */
	refused(f->st, &item_entity, it, K_ENOTFOUND, "uom",
		"no unit with code EA");
	assert_int_equal(count(f->st, &item_entity), 0);

	units_fixture(f->st);
	save_ok(f->st, &item_entity, it);
	assert_int_equal(it->uom, id_of(f->st, &unit_entity, "EA"));
	ent_free(&item_entity, it);

	it = load(f->st, &item_entity, "FG-1");
	t = begin(f->st, true);
	ent_field_get(t, fld(&item_schema, "uom"), it, buf, sizeof buf);
	commit(&t);
	assert_string_equal(buf, "EA");
	ent_free(&item_entity, it);

	/* a unit given is kept */
	it = ent_new(&item_entity);
	setv(f->st, &item_schema, it, "code=RM-2", "description=Oil",
	     "uom=BOX", NULL);
	save_ok(f->st, &item_entity, it);
	assert_int_equal(it->uom, id_of(f->st, &unit_entity, "BOX"));
	ent_free(&item_entity, it);

	/* a code that is no unit */
	it = ent_new(&item_entity);
	t = begin(f->st, true);
	assert_int_equal(ent_field_set(t, fld(&item_schema, "uom"), it, "XX",
				       &err), K_ENOTFOUND);
	assert_string_equal(err.field, "uom");
	commit(&t);
	ent_free(&item_entity, it);
}

/* --------------------------------------------------------- department */

static void dept(struct store *st, const char *code, const char *parent)
{
	struct department *d = ent_new(&department_entity);
	char a[64], b[64];

	assert_non_null(d);
	snprintf(a, sizeof a, "code=%s", code);
	snprintf(b, sizeof b, "parent=%s", parent ? parent : "");
	setv(st, &department_schema, d, a, "name=部门", b, NULL);
	save_ok(st, &department_entity, d);
	ent_free(&department_entity, d);
}

static void test_department(void **state)
{
	struct testenv *f = *state;
	struct department *d;
	struct kerr err;

	dept(f->st, "D300", NULL);
	dept(f->st, "CC310", "D300");
	dept(f->st, "CC311", "CC310");

	d = load(f->st, &department_entity, "D300");
	assert_string_equal(d->kind, "department");
	assert_string_equal(d->status, "active");
	setv(f->st, &department_schema, d, "kind=team", NULL);
	refused(f->st, &department_entity, d, K_EINVAL, "kind",
		"department or cost-centre");
	setv(f->st, &department_schema, d, "kind=cost-centre", "status=x",
	     NULL);
	refused(f->st, &department_entity, d, K_EINVAL, "status",
		"active or blocked");
	setv(f->st, &department_schema, d, "status=active", NULL);
	/* loops: itself, a child, a grandchild */
	setv(f->st, &department_schema, d, "parent=D300", NULL);
	refused(f->st, &department_entity, d, K_EINVAL, "parent",
		"cannot be its own parent");
	setv(f->st, &department_schema, d, "parent=CC310", NULL);
	refused(f->st, &department_entity, d, K_EINVAL, "parent",
		"CC310 is below D300 already");
	setv(f->st, &department_schema, d, "parent=CC311", NULL);
	refused(f->st, &department_entity, d, K_EINVAL, "parent",
		"CC311 is below D300 already");
	setv(f->st, &department_schema, d, "parent=", NULL);
	save_ok(f->st, &department_entity, d);

	/* a parent with children stays */
	assert_int_equal(ent_delete(f->st, &department_entity, d, &err),
			 K_EREFERENCED);
	assert_string_equal(err.msg, "used by 1 departments (parent), e.g. CC310");
	ent_free(&department_entity, d);

	/* moving a leaf elsewhere is fine */
	dept(f->st, "D400", NULL);
	d = load(f->st, &department_entity, "CC311");
	setv(f->st, &department_schema, d, "parent=D400", NULL);
	save_ok(f->st, &department_entity, d);
	ent_free(&department_entity, d);
}

/* ------------------------------------------------------------- series */

static void test_series_take(void **state)
{
	struct testenv *f = *state;
	struct series *s = new_series(f->st, "AR-INV", "INV-", "yes");
	struct store_txn *t;
	struct take k = { "AR-INV", "" };
	struct kerr err;

	save_ok(f->st, &series_entity, s);
	assert_int_equal(s->width, 6);
	ent_free(&series_entity, s);
	take(f->st, "AR-INV", "INV-000001");
	take(f->st, "AR-INV", "INV-000002");
	take(f->st, "AR-INV", "INV-000003");

	/* an aborted posting gives its number back */
	t = begin(f->st, false);
	assert_int_equal(take_fn(t, &k, &err), 0);
	assert_string_equal(k.buf, "INV-000004");
	store_txn_abort(&t);
	take(f->st, "AR-INV", "INV-000004");

	/* the record shows the counter */
	s = load(f->st, &series_entity, "AR-INV");
	assert_int_equal(s->next, 5);
	t = begin(f->st, true);
	int64_t next = 0;
	assert_int_equal(series_next(t, "AR-INV", &next, &err), 0);
	assert_int_equal(next, 5);
	assert_int_equal(series_next(t, "NEW", &next, &err), 0);
	assert_int_equal(next, 1);
	commit(&t);

	/* restart higher: the counter follows the record */
	setv(f->st, &series_schema, s, "next=100", "width=4", NULL);
	save_ok(f->st, &series_entity, s);
	ent_free(&series_entity, s);
	take(f->st, "AR-INV", "INV-0100");

	/* a save that leaves next alone leaves the counter alone */
	s = load(f->st, &series_entity, "AR-INV");
	assert_int_equal(s->next, 101);
	take(f->st, "AR-INV", "INV-0101");      /* meanwhile, a posting */
	setv(f->st, &series_schema, s, "name=Invoices", NULL);
	/* gap-free: never below a number given (s still says 101) */
	refused(f->st, &series_entity, s, K_EINVAL, "next",
		"series AR-INV is gap-free: next cannot go below 102");
	setv(f->st, &series_schema, s, "next=0", NULL);
	save_ok(f->st, &series_entity, s);
	ent_free(&series_entity, s);
	take(f->st, "AR-INV", "INV-0102");
	s = load(f->st, &series_entity, "AR-INV");
	assert_string_equal(s->name, "Invoices");
	/* not even with a new prefix */
	setv(f->st, &series_schema, s, "next=1", "prefix=INV2027-", NULL);
	refused(f->st, &series_entity, s, K_EINVAL, "next", "gap-free");
	ent_free(&series_entity, s);

	/* the width holds every number */
	s = load(f->st, &series_entity, "AR-INV");
	setv(f->st, &series_schema, s, "next=10000", NULL);
	refused(f->st, &series_entity, s, K_EINVAL, "next",
		"next 10000 has more than 4 digits");
	setv(f->st, &series_schema, s, "next=9999", NULL);
	save_ok(f->st, &series_entity, s);
	ent_free(&series_entity, s);
	take(f->st, "AR-INV", "INV-9999");
	assert_int_equal(store_write(f->st, take_fn, &k, &err), K_ERANGE);
	assert_string_equal(err.msg,
			    "number series AR-INV is used up: 10000 has more than 4 digits");
	s = load(f->st, &series_entity, "AR-INV");
	setv(f->st, &series_schema, s, "width=6", NULL);
	save_ok(f->st, &series_entity, s);
	/* the code stays once numbers were given */
	setv(f->st, &series_schema, s, "code=AR-INV2", NULL);
	refused(f->st, &series_entity, s, K_EINVAL, "code",
		"series AR-INV is at number 10000: its code cannot change");
	ent_free(&series_entity, s);
	take(f->st, "AR-INV", "INV-010000");

	/* too small a buffer: the posting must abort, the number stays */
	t = begin(f->st, false);
	char small[8];
	assert_int_equal(series_take(t, "AR-INV", small, sizeof small, &err),
			 K_ERANGE);
	assert_string_equal(err.msg,
			    "the number INV-010001 is longer than 7 characters");
	store_txn_abort(&t);
	take(f->st, "AR-INV", "INV-010001");

	/* blocked, unknown */
	s = load(f->st, &series_entity, "AR-INV");
	setv(f->st, &series_schema, s, "status=blocked", NULL);
	save_ok(f->st, &series_entity, s);
	ent_free(&series_entity, s);
	assert_int_equal(store_write(f->st, take_fn, &k, &err), K_EINVAL);
	assert_string_equal(err.msg, "number series AR-INV is blocked");
	k.code = "NOPE";
	assert_int_equal(store_write(f->st, take_fn, &k, &err), K_ENOTFOUND);
	assert_string_equal(err.msg, "no number series with code NOPE");
	assert_string_equal(err.field, "series");
}

static void test_series_rules(void **state)
{
	struct testenv *f = *state;
	struct series *s = new_series(f->st, "SO", "SO-", "no");

	setv(f->st, &series_schema, s, "doc_type=", NULL);
	refused(f->st, &series_entity, s, K_EINVAL, "doc_type", "required");
	setv(f->st, &series_schema, s, "doc_type=sales order", NULL);
	refused(f->st, &series_entity, s, K_EINVAL, "doc_type", "one word");
	setv(f->st, &series_schema, s, "doc_type=sales.order", "width=0",
	     NULL);
	refused(f->st, &series_entity, s, K_EINVAL, "width", "1 to 12");
	setv(f->st, &series_schema, s, "width=13", NULL);
	refused(f->st, &series_entity, s, K_EINVAL, "width", "1 to 12");
	setv(f->st, &series_schema, s, "width=12", "next=-1", NULL);
	refused(f->st, &series_entity, s, K_EINVAL, "next", "1 or more");
	setv(f->st, &series_schema, s, "next=0",
	     "prefix=123456789012345678901", NULL);
	refused(f->st, &series_entity, s, K_EINVAL, "prefix",
		"longer than 20");
	setv(f->st, &series_schema, s, "prefix=SO-", "code=so", NULL);
	refused(f->st, &series_entity, s, K_EINVAL, "code", "upper case");
	setv(f->st, &series_schema, s, "code=SO", "next=7", NULL);
	save_ok(f->st, &series_entity, s);
	ent_free(&series_entity, s);
	take(f->st, "SO", "SO-000000000007");
	take(f->st, "SO", "SO-000000000008");

	/* not gap-free: lower only with a new prefix */
	s = load(f->st, &series_entity, "SO");
	setv(f->st, &series_schema, s, "next=1", "width=4", NULL);
	refused(f->st, &series_entity, s, K_EINVAL, "next",
		"series SO: next cannot go below 9 unless the prefix changes");
	setv(f->st, &series_schema, s, "prefix=SO27-", NULL);
	save_ok(f->st, &series_entity, s);
	ent_free(&series_entity, s);
	take(f->st, "SO", "SO27-0001");

	/* a series with no numbers given yet may change its code */
	s = new_series(f->st, "PO", "PO-", "no");
	save_ok(f->st, &series_entity, s);
	setv(f->st, &series_schema, s, "code=PO2", NULL);
	save_ok(f->st, &series_entity, s);
	ent_free(&series_entity, s);
	take(f->st, "PO2", "PO-000001");

	/* deleted and made again, a series goes on where it was */
	s = load(f->st, &series_entity, "PO2");
	struct kerr err;
	assert_int_equal(ent_delete(f->st, &series_entity, s, &err), 0);
	ent_free(&series_entity, s);
	s = new_series(f->st, "PO2", "PO-", "no");
	setv(f->st, &series_schema, s, "next=1", NULL);
	refused(f->st, &series_entity, s, K_EINVAL, "next",
		"series PO2: next cannot go below 2");
	setv(f->st, &series_schema, s, "next=0", NULL);
	save_ok(f->st, &series_entity, s);
	ent_free(&series_entity, s);
	s = load(f->st, &series_entity, "PO2");
	assert_int_equal(s->next, 2);
	ent_free(&series_entity, s);
	take(f->st, "PO2", "PO-000002");
	assert_int_equal(count(f->st, &series_entity), 2);
}

/* ----------------------------------------------------------- shipped */

/* Imports data/FILE into e; want rows, or any number when want is 0. */
static void import_data(struct store *st, const struct entity *e,
			const char *file, unsigned long want)
{
	unsigned long rows = 0;

	assert_int_equal(testenv_import(st, e->name, file, &rows), 0);
	if (want) {
		assert_int_equal(rows, want);
		assert_int_equal(count(st, e), want);
	}
}

/* What items name besides units, when this build has those entities. */
static void finance_data(struct store *st)
{
	static const char *const files[][2] = {
		{ "account", "chart-cn.csv" },
		{ "tax", "taxes-cn.csv" },
	};

	for (size_t i = 0; i < NELEM(files); i++) {
		const struct entity *e = ent_find(files[i][0]);
		if (e)
			import_data(st, e, files[i][1], 0);
	}
}

static void test_shipped_data(void **state)
{
	struct testenv *f = *state;

	import_data(f->st, &unit_entity, "units.csv", 16);
	import_data(f->st, &warehouse_entity, "warehouses.csv", 2);
	import_data(f->st, &department_entity, "departments.csv", 9);
	import_data(f->st, &series_entity, "series.csv", 11);   /* AP-DN too */
	finance_data(f->st);
	import_data(f->st, &item_entity, "items.csv", 40);

	convert(f->st, "BOX", "EA", "1", "12.000");
	convert(f->st, "EA", "DOZ", "30", "3.000");        /* 2.5 */
	convert(f->st, "T", "KG", "0.25", "250.000");
	convert(f->st, "G", "T", "1500", "0.002");
	convert(f->st, "CM", "M", "250", "2.500");
	convert(f->st, "PR", "EA", "3", "6.000");

	struct store_txn *t = begin(f->st, true);
	struct kerr err;
	bool blocked = true;
	assert_int_equal(warehouse_location(t, "SH01", "A-01-02", NULL,
					    &blocked, &err), 0);
	assert_false(blocked);
	assert_int_equal(warehouse_location(t, "BJ01", "SHP-01", NULL, NULL,
					    &err), 0);
	assert_int_equal(warehouse_location(t, "BJ01", "A-01-01", NULL, NULL,
					    &err), K_ENOTFOUND);
	commit(&t);

	struct department *d = load(f->st, &department_entity, "CC310");
	assert_int_equal(d->parent, id_of(f->st, &department_entity, "D300"));
	assert_string_equal(d->kind, "cost-centre");
	ent_free(&department_entity, d);

	struct warehouse *w = load(f->st, &warehouse_entity, "SH01");
	assert_int_equal(w->locations.n, 5);
	assert_string_equal(((struct location *)w->locations.items)[0].kind,
			    "receiving");
	ent_free(&warehouse_entity, w);

	take(f->st, "AR-INV", "INV-000001");
	take(f->st, "GL-JE", "JE-000001");
	take(f->st, "SO", "SO-000001");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, testenv_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		T(test_warehouse_rules),
		T(test_unit_rules),
		T(test_unit_convert),
		T(test_unit_delete_used),
		T(test_item_uom_default),
		T(test_department),
		T(test_series_take),
		T(test_series_rules),
		T(test_shipped_data),
	};
#undef T

	return cmocka_run_group_tests_name("masters/ops", tests, NULL, NULL);
}
