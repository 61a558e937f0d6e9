/*
 * test_fin.c - the finance masters (accounts, taxes, currencies and
 * rates, payment terms, fiscal years and periods) on a real Berkeley DB
 * environment, and the references parties and items make to them.
 *
 * Every test gets a fresh temporary folder with a store created in
 * FOLDER/home (STORE_CREATE, login "tester") holding every entity's
 * table; teardown closes it and removes the folder (tests/unit/testenv.h).
 * The tests of the references and of the shipped Chinese data start
 * with its currencies, chart, taxes and terms loaded (setup_cn).
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
#include "masters/fin.h"
#include "masters/masters.h"
#include "store/store.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ fixture */

/* A store with every entity's table in a temporary folder (testenv.h). */
static int setup(void **state)
{
	static const struct testenv_opts o = { .name = "fin" };

	return testenv_setup(state, &o);
}

/* The shipped Chinese setup: currencies, chart, taxes, terms. */
static int load_cn(struct store *st, void *arg)
{
	static const struct testenv_file files[] = {
		{ "currency", "currencies.csv" }, { "account", "chart-cn.csv" },
		{ "tax", "taxes-cn.csv" }, { "terms", "terms.csv" },
		{ NULL, NULL },
	};

	(void)arg;
	return testenv_import_all(st, files);
}

/* setup() with load_cn's data. */
static int setup_cn(void **state)
{
	static const struct testenv_opts o = { .name = "fin",
					       .load = load_cn };

	return testenv_setup(state, &o);
}

/* ------------------------------------------------------------ helpers */

static const struct store_field *fld(const struct entity *e, const char *name)
{
	const struct store_field *f = store_field_find(e->schema, name);

	assert_non_null(f);
	return f;
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

/* Sets a field from text, references looked up in a snapshot. */
static void set(struct store *st, const struct entity *e, void *rec,
		const char *field, const char *text)
{
	struct store_txn *t = snap(st);
	struct kerr err;

	kerr_clear(&err);
	if (ent_field_set(t, fld(e, field), rec, text, &err)) {
		fprintf(stderr, "set %s=%s: %s\n", field, text, err.msg);
		fail();
	}
	end(&t);
}

/* A new record of e with fields set from "name", "value" pairs. */
static void *make(struct store *st, const struct entity *e, ...)
{
	void *rec = ent_new(e);
	const char *name, *value;
	va_list ap;

	assert_non_null(rec);
	va_start(ap, e);
	while ((name = va_arg(ap, const char *))) {
		value = va_arg(ap, const char *);
		set(st, e, rec, name, value);
	}
	va_end(ap);
	return rec;
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

/* Makes and saves a record; the caller frees it. */
#define SAVED(st, e, ...) saved(st, e, __VA_ARGS__, (const char *)NULL)
static void *saved(struct store *st, const struct entity *e, ...)
{
	void *rec = ent_new(e);
	const char *name, *value;
	va_list ap;

	assert_non_null(rec);
	va_start(ap, e);
	while ((name = va_arg(ap, const char *))) {
		value = va_arg(ap, const char *);
		set(st, e, rec, name, value);
	}
	va_end(ap);
	save_ok(st, e, rec);
	return rec;
}

/*
 * Expects ent_save of rec to fail with code, err.field = field and a
 * message holding want; rec stays unsaved (its version unchanged).
 */
static void refused(struct store *st, const struct entity *e, void *rec,
		    int code, const char *field, const char *want)
{
	uint32_t version = ((struct store_rec *)rec)->version;
	struct kerr err;
	int ret;

	kerr_clear(&err);
	ret = ent_save(st, e, rec, NULL, &err);
	if (ret != code || strcmp(err.field, field) != 0 ||
	    !strstr(err.msg, want)) {
		fprintf(stderr, "%s: want %d %s/\"%s\", got %d %s/\"%s\"\n",
			e->name, code, field, want, ret, err.field, err.msg);
		fail();
	}
	assert_int_equal(((struct store_rec *)rec)->version, version);
}

/* Sets field to text on a copy of a valid rec and expects it refused. */
static void rule(struct store *st, const struct entity *e, const void *rec,
		 const char *field, const char *text, const char *want_field,
		 const char *want)
{
	void *r = calloc(1, e->schema->size);

	assert_non_null(r);
	assert_int_equal(store_rec_copy(e->schema, r, rec), 0);
	set(st, e, r, field, text);
	refused(st, e, r, K_EINVAL, want_field, want);
	ent_free(e, r);
}

/* The stored record with code (caller frees with ent_free). */
static void *load(struct store *st, const struct entity *e, const char *code)
{
	struct store_txn *t = snap(st);
	void *rec = calloc(1, e->schema->size);
	struct kerr err;

	assert_non_null(rec);
	if (ent_get_code(t, e, code, rec, &err)) {
		fprintf(stderr, "load %s %s: %s\n", e->name, code, err.msg);
		fail();
	}
	end(&t);
	return rec;
}

/* Text of a field of the stored record with code, into buf. */
static const char *field_of(struct store *st, const struct entity *e,
			    const char *code, const char *field, char *buf,
			    size_t n)
{
	void *rec = load(st, e, code);
	struct store_txn *t = snap(st);

	ent_field_get(t, fld(e, field), rec, buf, n);
	end(&t);
	ent_free(e, rec);
	return buf;
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

static kdate D(const char *s)
{
	kdate d;

	assert_int_equal(date_parse(s, &d, NULL), 0);
	return d;
}

static int64_t money(const char *s)
{
	int64_t v;

	assert_int_equal(num_parse(s, NUM_MONEY_SCALE, &v, NULL), 0);
	return v;
}

/* Imports data/FILE into the entity named entity; the rows written. */
static unsigned long import_data(struct store *st, const char *entity,
				 const char *file)
{
	unsigned long rows = 0;

	assert_int_equal(testenv_import(st, entity, file, &rows), 0);
	return rows;
}

/* ------------------------------------------------------- registry */

static void test_registry(void **state)
{
	const struct entity *es[] = {
		&account_entity, &tax_entity, &currency_entity, &rate_entity,
		&terms_entity, &fyear_entity, &period_entity,
	};
	const struct ent_hook *h;

	(void)state;
	for (size_t i = 0; i < NELEM(es); i++) {
		bool in = false;
		assert_ptr_equal(ent_find(es[i]->name), es[i]);
		assert_ptr_equal(ent_by_table(es[i]->schema->name), es[i]);
		for (size_t k = 0; k < ent_nschemas; k++)
			in |= ent_schemas[k] == es[i]->schema;
		assert_true(in);
		/* tags rising with the offsets; look-ups sort by name_field */
		for (size_t k = 1; k < es[i]->schema->nfields; k++) {
			assert_true(es[i]->schema->fields[k].tag >
				    es[i]->schema->fields[k - 1].tag);
			assert_true(es[i]->schema->fields[k].offset >
				    es[i]->schema->fields[k - 1].offset);
		}
		bool named = false;
		for (size_t k = 0; k < es[i]->schema->nindexes; k++)
			named |= !strcmp(es[i]->schema->indexes[k].name,
					 es[i]->name_field);
		assert_true(named);
	}
	h = ent_hook_find("period_close");
	assert_non_null(h);
	assert_int_equal(h->kind, HOOK_ACTION);
	assert_string_equal(h->perm, "close");
	assert_string_equal(h->entity, "period");
	assert_int_equal(ent_hook_find("fyear_close")->kind, HOOK_ACTION);
	assert_int_equal(ent_hook_find("fyear_open")->kind, HOOK_ACTION);
	assert_int_equal(ent_hook_find("period_open")->kind, HOOK_ACTION);
	assert_int_equal(ent_hook_find("account_side")->kind, HOOK_CHANGE);
	assert_int_equal(ent_hook_find("tax_validate")->kind, HOOK_VALIDATE);

	/* the party and item fields that became references: new tags */
	const struct { const struct entity *e; const char *f, *ref;
		       unsigned tag, old; } refs[] = {
		{ &party_entity, "payment_terms", "terms", 25, 17 },
		{ &party_entity, "currency", "currency", 26, 19 },
		{ &item_entity, "tax_code", "tax", 17, 8 },
	};
	for (size_t i = 0; i < NELEM(refs); i++) {
		const struct store_field *f = fld(refs[i].e, refs[i].f);
		assert_int_equal(f->type, SF_REF);
		assert_string_equal(f->ref, refs[i].ref);
		assert_int_equal(f->tag, refs[i].tag);
		for (size_t k = 0; k < refs[i].e->schema->nfields; k++)
			assert_int_not_equal(refs[i].e->schema->fields[k].tag,
					     refs[i].old);
	}
	assert_string_equal(account_side_of("asset"), "debit");
	assert_string_equal(account_side_of("expense"), "debit");
	assert_string_equal(account_side_of("liability"), "credit");
	assert_string_equal(account_side_of("equity"), "credit");
	assert_string_equal(account_side_of("income"), "credit");
	assert_null(account_side_of("cost"));
}

/* ---------------------------------------------------------- accounts */

static void test_account_rules(void **state)
{
	struct testenv *f = *state;
	struct store *st = f->st;
	struct account *top, *sub, *leaf, *a;
	char buf[64];

	top = SAVED(st, &account_entity, "code", "1", "name", "资产类",
		    "type", "asset", "postable", "no");
	sub = SAVED(st, &account_entity, "code", "11", "name", "流动资产",
		    "type", "asset", "postable", "no", "parent", "1");
	leaf = SAVED(st, &account_entity, "code", "1001", "name", "库存现金",
		     "type", "asset", "parent", "11");
	/* defaults: postable, active; the side follows the type */
	assert_true(leaf->postable);
	assert_string_equal(leaf->status, "active");
	assert_string_equal(leaf->side, "debit");
	a = SAVED(st, &account_entity, "code", "6001", "name", "主营业务收入",
		  "type", "income");
	assert_string_equal(a->side, "credit");
	ent_free(&account_entity, a);
	/* a contra account keeps the side it is given */
	a = SAVED(st, &account_entity, "code", "1231", "name", "坏账准备",
		  "type", "asset", "side", "credit", "parent", "11");
	assert_string_equal(field_of(st, &account_entity, "1231", "side", buf,
				     sizeof buf), "credit");

	/* each rule, naming its field */
	rule(st, &account_entity, a, "code", "", "code", "required");
	rule(st, &account_entity, a, "code", "12 31", "code", "A-Z");
	rule(st, &account_entity, a, "name", "", "name", "required");
	rule(st, &account_entity, a, "type", "cost", "type",
	     "asset, liability, equity, income or expense");
	rule(st, &account_entity, a, "side", "left", "side", "debit or credit");
	rule(st, &account_entity, a, "status", "gone", "status",
	     "active or blocked");
	rule(st, &account_entity, a, "parent", "1001", "parent",
	     "parent 1001 is postable");
	rule(st, &account_entity, a, "parent", "1231", "parent",
	     "own parent");
	ent_free(&account_entity, a);

	/* a duplicate code */
	a = make(st, &account_entity, "code", "1001", "name", "Copy", "type",
		 "asset", NULL);
	refused(st, &account_entity, a, K_EEXIST, "code", "");
	ent_free(&account_entity, a);

	/* the tree may not loop: 1 under 11 (below it), 1 under 1 */
	set(st, &account_entity, top, "parent", "11");
	refused(st, &account_entity, top, K_EINVAL, "parent", "loop");
	set(st, &account_entity, top, "parent", "1");
	refused(st, &account_entity, top, K_EINVAL, "parent", "own parent");
	/* two levels down: a heading 111 under 11, then 1 under 111 */
	a = SAVED(st, &account_entity, "code", "111", "name", "现金",
		  "type", "asset", "postable", "no", "parent", "11");
	set(st, &account_entity, top, "parent", "111");
	refused(st, &account_entity, top, K_EINVAL, "parent", "loop");
	top->parent = 0;
	ent_free(&account_entity, a);

	/* a heading with accounts below stays a heading */
	set(st, &account_entity, sub, "postable", "yes");
	refused(st, &account_entity, sub, K_EINVAL, "postable",
		"accounts below it");
	set(st, &account_entity, sub, "postable", "no");

	/* nor is it deleted */
	struct kerr err;
	assert_int_equal(ent_delete(st, &account_entity, sub, &err),
			 K_EREFERENCED);
	assert_non_null(strstr(err.msg, "accounts (parent)"));
	assert_int_equal(ent_delete(st, &account_entity, leaf, &err), 0);

	ent_free(&account_entity, top);
	ent_free(&account_entity, sub);
	ent_free(&account_entity, leaf);
}

/* ------------------------------------------------------ account_walk */

/* What a walk saw: "code@depth" of each account, space-separated. */
struct walked {
	char seen[1024];
	const char *prune;        /* its children are skipped */
	const char *fail_at;      /* the walk stops here with K_EINVAL */
	int calls;
};

static int walk_visit(void *arg, const struct account *a, int depth,
		      bool *descend, struct kerr *err)
{
	struct walked *w = arg;
	size_t n = strlen(w->seen);

	assert_true(*descend);             /* true on every call */
	w->calls++;
	snprintf(w->seen + n, sizeof w->seen - n, "%s%s@%d", n ? " " : "",
		 a->code, depth);
	if (w->prune && strcmp(a->code, w->prune) == 0)
		*descend = false;
	if (w->fail_at && strcmp(a->code, w->fail_at) == 0)
		return kerr_set(err, K_EINVAL, NULL, "stop at %s", a->code);
	return 0;
}

/* Walks the chart of st into w; account_walk's result. */
static int walk(struct store *st, struct walked *w)
{
	struct store_txn *t = snap(st);
	struct kerr err;
	int ret;

	w->seen[0] = '\0';
	w->calls = 0;
	kerr_clear(&err);
	ret = account_walk(t, walk_visit, w, &err);
	if (ret == 0)
		assert_int_equal(err.code, 0);
	end(&t);
	return ret;
}

/* No accounts, then accounts at the top only: no depth but 0. */
static void test_account_walk_leaves(void **state)
{
	struct testenv *f = *state;
	struct store *st = f->st;
	struct walked w = { .prune = NULL };
	static const char *const codes[] = { "3001", "1001", "2001" };

	assert_int_equal(walk(st, &w), 0);
	assert_int_equal(w.calls, 0);
	/* Created 3001, 1001, 2001: the walk keeps that order, not the
	   codes' (siblings in the order they were created). */
	for (size_t i = 0; i < NELEM(codes); i++)
		ent_free(&account_entity,
			 SAVED(st, &account_entity, "code", codes[i], "name",
			       codes[i], "type", "asset"));
	assert_int_equal(walk(st, &w), 0);
	assert_string_equal(w.seen, "3001@0 1001@0 2001@0");
	/* Nothing to skip under a leaf. */
	w.prune = "1001";
	assert_int_equal(walk(st, &w), 0);
	assert_string_equal(w.seen, "3001@0 1001@0 2001@0");
}

/*
 * The chart
 *
 *   1          heading
 *     11       heading
 *       1001
 *       1002
 *     1122
 *   2          heading
 *     2202
 *
 * created in the order 1, 2, 11, 2202, 1001, 1122, 1002: each heading
 * comes before the accounts under it, at its depth.
 */
static void test_account_walk_tree(void **state)
{
	struct testenv *f = *state;
	struct store *st = f->st;
	struct walked w = { .prune = NULL };
	static const char *const chart[][3] = {  /* code, parent, postable */
		{ "1", "", "no" }, { "2", "", "no" }, { "11", "1", "no" },
		{ "2202", "2", "yes" }, { "1001", "11", "yes" },
		{ "1122", "1", "yes" }, { "1002", "11", "yes" },
	};
	char code[16], parent[16];
	struct kerr err;

	for (size_t i = 0; i < NELEM(chart); i++)
		ent_free(&account_entity,
			 SAVED(st, &account_entity, "code", chart[i][0],
			       "name", chart[i][0], "type", "asset",
			       "parent", chart[i][1], "postable",
			       chart[i][2]));
	assert_int_equal(walk(st, &w), 0);
	assert_string_equal(w.seen,
			    "1@0 11@1 1001@2 1002@2 1122@1 2@0 2202@1");

	/* A heading whose children are skipped: on to its siblings. */
	w.prune = "11";
	assert_int_equal(walk(st, &w), 0);
	assert_string_equal(w.seen, "1@0 11@1 1122@1 2@0 2202@1");
	w.prune = "1";
	assert_int_equal(walk(st, &w), 0);
	assert_string_equal(w.seen, "1@0 2@0 2202@1");

	/* visit's error ends the walk with it. */
	w.prune = NULL;
	w.fail_at = "1001";
	assert_int_equal(walk(st, &w), K_EINVAL);
	assert_string_equal(w.seen, "1@0 11@1 1001@2");
	w.fail_at = NULL;

	/* A chain of headings H1..H63 under 2: H63 is at depth 63, below
	   which a walk may not go (ACCOUNT_MAX_DEPTH levels). */
	snprintf(parent, sizeof parent, "2");
	for (int d = 1; d < ACCOUNT_MAX_DEPTH; d++) {
		snprintf(code, sizeof code, "H%d", d);
		ent_free(&account_entity,
			 SAVED(st, &account_entity, "code", code, "name",
			       code, "type", "asset", "parent", parent,
			       "postable", "no"));
		snprintf(parent, sizeof parent, "%s", code);
	}
	assert_int_equal(walk(st, &w), K_ECORRUPT);
	assert_int_equal(w.calls, 7 + 63);
	assert_non_null(strstr(w.seen, " H63@63"));
	/* The error names the account and the field. */
	struct store_txn *t = snap(st);
	kerr_clear(&err);
	w.seen[0] = '\0';
	assert_int_equal(account_walk(t, walk_visit, &w, &err), K_ECORRUPT);
	assert_string_equal(err.field, "parent");
	assert_non_null(strstr(err.msg, "more than 64 levels deep at H63"));
	end(&t);
	/* Not walking below H63 is no error. */
	w.prune = "H63";
	assert_int_equal(walk(st, &w), 0);
	assert_int_equal(w.calls, 7 + 63);
}

/* ------------------------------------------------------------- taxes */

static void test_tax_rules(void **state)
{
	struct testenv *f = *state;
	struct store *st = f->st;
	struct account *h, *vat;
	struct tax *x;
	struct kerr err;
	char buf[64];

	h = SAVED(st, &account_entity, "code", "2221", "name", "应交税费",
		  "type", "liability", "postable", "no");
	vat = SAVED(st, &account_entity, "code", "2221.02",
		    "name", "应交增值税(销项税额)", "type", "liability",
		    "parent", "2221");
	x = SAVED(st, &tax_entity, "code", "VAT13", "name", "增值税 13%",
		  "rate", "0.13", "account", "2221.02");
	assert_int_equal(x->rate, 130000);
	assert_string_equal(x->kind, "output");
	assert_string_equal(field_of(st, &tax_entity, "VAT13", "account", buf,
				     sizeof buf), "2221.02");

	rule(st, &tax_entity, x, "rate", "1.000001", "rate", "from 0 to 1");
	rule(st, &tax_entity, x, "rate", "-0.01", "rate", "from 0 to 1");
	rule(st, &tax_entity, x, "kind", "sales", "kind",
	     "output, input, exempt or zero");
	rule(st, &tax_entity, x, "kind", "exempt", "rate", "rate 0");
	rule(st, &tax_entity, x, "kind", "zero", "rate", "rate 0");
	rule(st, &tax_entity, x, "account", "", "account", "needs the account");
	rule(st, &tax_entity, x, "account", "2221", "account", "heading");
	rule(st, &tax_entity, x, "code", "", "code", "required");
	rule(st, &tax_entity, x, "name", "", "name", "required");

	/* exempt with rate 0 and no account is fine; 0 and 1 are rates */
	struct tax *e = SAVED(st, &tax_entity, "code", "EXEMPT",
			      "name", "免税", "kind", "exempt", "rate", "0");
	ent_free(&tax_entity, e);
	set(st, &tax_entity, x, "rate", "1");
	save_ok(st, &tax_entity, x);

	/* the account is in use */
	assert_int_equal(ent_delete(st, &account_entity, vat, &err),
			 K_EREFERENCED);
	assert_non_null(strstr(err.msg, "used by 1 tax codes (account), e.g. VAT13"));
	ent_free(&tax_entity, x);
	ent_free(&account_entity, h);
	ent_free(&account_entity, vat);
}

/* -------------------------------------------------------- currencies */

static void test_currency_rules(void **state)
{
	struct testenv *f = *state;
	struct store *st = f->st;
	struct currency *c;

	c = SAVED(st, &currency_entity, "code", "JPY", "name", "Japanese Yen",
		  "decimals", "0", "symbol", "JP¥");
	assert_int_equal(c->decimals, 0);
	ent_free(&currency_entity, c);
	c = SAVED(st, &currency_entity, "code", "USD", "name", "US Dollar");
	assert_int_equal(c->decimals, 2);            /* the default */
	assert_string_equal(c->status, "active");
	rule(st, &currency_entity, c, "code", "usd", "code", "3 capital letters");
	rule(st, &currency_entity, c, "code", "US", "code", "3 capital letters");
	rule(st, &currency_entity, c, "code", "EURO", "code", "3 capital letters");
	rule(st, &currency_entity, c, "name", "", "name", "required");
	rule(st, &currency_entity, c, "decimals", "5", "decimals", "0 to 4");
	rule(st, &currency_entity, c, "decimals", "-1", "decimals", "0 to 4");
	rule(st, &currency_entity, c, "symbol", "123456789", "symbol",
	     "at most 8");
	rule(st, &currency_entity, c, "status", "old", "status",
	     "active or blocked");
	ent_free(&currency_entity, c);
}

/* ------------------------------------------------------------- rates */

static void rate_is(struct store *st, const char *base, const char *cur,
		    const char *day, const char *want, const char *want_from)
{
	struct currency *c = load(st, &currency_entity, cur);
	struct store_txn *t = snap(st);
	char buf[NUM_BUFSZ], from[DATE_BUFSZ];
	int64_t r = -1;
	kdate found = DATE_NONE;
	struct kerr err;

	kerr_clear(&err);
	if (fx_rate(t, base, c->h.id, D(day), &r, &found, &err)) {
		fprintf(stderr, "fx_rate %s %s: %s\n", cur, day, err.msg);
		fail();
	}
	end(&t);
	assert_string_equal(num_format(r, NUM_RATE_SCALE, false, buf,
				       sizeof buf), want);
	assert_string_equal(date_format(found, from, sizeof from), want_from);
	ent_free(&currency_entity, c);
}

static void no_rate(struct store *st, const char *base, const char *cur,
		    const char *day)
{
	struct currency *c = load(st, &currency_entity, cur);
	struct store_txn *t = snap(st);
	int64_t r = 0;
	kdate found;
	struct kerr err;
	char want[64];

	kerr_clear(&err);
	assert_int_equal(fx_rate(t, base, c->h.id, D(day), &r, &found, &err),
			 K_ENOTFOUND);
	end(&t);
	snprintf(want, sizeof want, "no exchange rate for %s on or before %s",
		 cur, day);
	if (!strstr(err.msg, want)) {
		fprintf(stderr, "\"%s\" lacks \"%s\"\n", err.msg, want);
		fail();
	}
	ent_free(&currency_entity, c);
}

static void test_rates(void **state)
{
	struct testenv *f = *state;
	struct store *st = f->st;
	const char *cur[] = { "CNY", "EUR", "USD" };
	struct rate *r;
	struct kerr err;

	for (size_t i = 0; i < NELEM(cur); i++)
		ent_free(&currency_entity,
			 SAVED(st, &currency_entity, "code", cur[i], "name",
			       cur[i]));
	static const char *const rates[][3] = {
		{ "USD", "2026-01-01", "7.1184" },
		{ "USD", "2026-02-01", "7.1026" },
		{ "USD", "2026-03-01", "7.0950" },
		{ "EUR", "2026-02-01", "7.5985" },
	};
	for (size_t i = 0; i < NELEM(rates); i++) {
		r = SAVED(st, &rate_entity, "currency", rates[i][0], "date",
			  rates[i][1], "rate", rates[i][2]);
		ent_free(&rate_entity, r);
	}
	/* the code is made from the currency and the date */
	r = load(st, &rate_entity, "USD@2026-02-01");
	assert_int_equal(r->rate, 7102600);
	rule(st, &rate_entity, r, "rate", "0", "rate", "more than 0");
	rule(st, &rate_entity, r, "date", "", "date", "required");
	rule(st, &rate_entity, r, "currency", "", "currency", "required");
	ent_free(&rate_entity, r);
	/* one rate per currency and day */
	r = make(st, &rate_entity, "currency", "USD", "date", "2026-03-01",
		 "rate", "7", NULL);
	kerr_clear(&err);
	assert_int_equal(ent_save(st, &rate_entity, r, NULL, &err), K_EEXIST);
	ent_free(&rate_entity, r);

	/* the latest on or before the day */
	rate_is(st, "CNY", "USD", "2026-01-01", "7.118400", "2026-01-01");
	rate_is(st, "CNY", "USD", "2026-01-31", "7.118400", "2026-01-01");
	rate_is(st, "CNY", "USD", "2026-02-01", "7.102600", "2026-02-01");
	rate_is(st, "CNY", "USD", "2026-02-28", "7.102600", "2026-02-01");
	rate_is(st, "CNY", "USD", "2030-12-31", "7.095000", "2026-03-01");
	rate_is(st, "CNY", "EUR", "2026-06-30", "7.598500", "2026-02-01");
	/* before the first rate: not another currency's */
	no_rate(st, "CNY", "USD", "2025-12-31");
	no_rate(st, "CNY", "EUR", "2026-01-31");
	/* the base currency is 1, rates or not */
	rate_is(st, "CNY", "CNY", "2026-05-05", "1.000000", "2026-05-05");
	/* with another base, CNY has no rate */
	no_rate(st, "USD", "CNY", "2026-05-05");

	/* a currency with rates is not deleted */
	struct currency *c = load(st, &currency_entity, "EUR");
	assert_int_equal(ent_delete(st, &currency_entity, c, &err),
			 K_EREFERENCED);
	assert_non_null(strstr(err.msg, "used by 1 exchange rates, e.g. EUR@2026-02-01"));
	ent_free(&currency_entity, c);
}

/* ------------------------------------------------------------- terms */

static struct terms *terms_of(struct store *st, const char *kind,
			      const char *days)
{
	return make(st, &terms_entity, "code", "T", "name", "Terms", "kind",
		    kind, "days", days, NULL);
}

/* Sets tm's instalment lines from pairs of share and days texts. */
static void lines(struct terms *tm, size_t n, const char *const (*l)[2])
{
	struct instalment *v = calloc(n ? n : 1, sizeof *v);

	assert_non_null(v);
	store_field_clear(fld(&terms_entity, "instalments"), tm);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(num_parse(l[i][0], NUM_RATE_SCALE,
					   &v[i].percent, NULL), 0);
		v[i].days = atoi(l[i][1]);
	}
	tm->instalments.items = v;
	tm->instalments.n = n;
}

static void due_is(const struct terms *tm, const char *inv, const char *amt,
		   size_t want_n, const char *const *dates,
		   const char *const *amounts)
{
	struct due out[8];
	size_t n = 99;
	struct kerr err;
	int64_t sum = 0;
	char d[DATE_BUFSZ], a[NUM_BUFSZ];

	kerr_clear(&err);
	if (terms_schedule(tm, D(inv), money(amt), out, NELEM(out), &n, &err)) {
		fprintf(stderr, "terms_schedule: %s\n", err.msg);
		fail();
	}
	assert_int_equal(n, want_n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(date_format(out[i].date, d, sizeof d),
				    dates[i]);
		assert_string_equal(num_format(out[i].amount, 2, false, a,
					       sizeof a), amounts[i]);
		sum += out[i].amount;
	}
	assert_int_equal(sum, money(amt));       /* to the cent */
}

static void test_terms_schedule(void **state)
{
	struct testenv *f = *state;
	struct store *st = f->st;
	struct terms *tm;

	/* net: days after the invoice date */
	tm = terms_of(st, "net", "30");
	due_is(tm, "2026-01-31", "100.00", 1, (const char *[]){ "2026-03-02" },
	       (const char *[]){ "100.00" });
	due_is(tm, "2028-02-15", "1.00", 1, (const char *[]){ "2028-03-16" },
	       (const char *[]){ "1.00" });
	due_is(tm, "2026-12-15", "5.00", 1, (const char *[]){ "2027-01-14" },
	       (const char *[]){ "5.00" });
	ent_free(&terms_entity, tm);
	tm = terms_of(st, "net", "0");
	due_is(tm, "2026-03-09", "9.99", 1, (const char *[]){ "2026-03-09" },
	       (const char *[]){ "9.99" });
	ent_free(&terms_entity, tm);

	/* eom: days after the end of the invoice's month */
	tm = terms_of(st, "eom", "30");
	due_is(tm, "2026-01-31", "10.00", 1, (const char *[]){ "2026-03-02" },
	       (const char *[]){ "10.00" });
	due_is(tm, "2026-01-01", "10.00", 1, (const char *[]){ "2026-03-02" },
	       (const char *[]){ "10.00" });
	due_is(tm, "2028-01-31", "10.00", 1, (const char *[]){ "2028-03-01" },
	       (const char *[]){ "10.00" });          /* leap year */
	due_is(tm, "2028-02-10", "10.00", 1, (const char *[]){ "2028-03-30" },
	       (const char *[]){ "10.00" });
	due_is(tm, "2027-02-10", "10.00", 1, (const char *[]){ "2027-03-30" },
	       (const char *[]){ "10.00" });
	due_is(tm, "2026-12-05", "10.00", 1, (const char *[]){ "2027-01-30" },
	       (const char *[]){ "10.00" });
	ent_free(&terms_entity, tm);
	tm = terms_of(st, "eom", "0");
	due_is(tm, "2028-02-10", "10.00", 1, (const char *[]){ "2028-02-29" },
	       (const char *[]){ "10.00" });
	ent_free(&terms_entity, tm);

	/* instalments: 30% now, 70% in 60 days */
	tm = terms_of(st, "instalments", "0");
	lines(tm, 2, (const char *const[][2]){ { "0.3", "0" }, { "0.7", "60" } });
	due_is(tm, "2026-01-31", "100.00", 2,
	       (const char *[]){ "2026-01-31", "2026-04-01" },
	       (const char *[]){ "30.00", "70.00" });
	due_is(tm, "2026-01-31", "0.01", 2,
	       (const char *[]){ "2026-01-31", "2026-04-01" },
	       (const char *[]){ "0.00", "0.01" });
	/* three thirds of 100.01: the largest remainders take the cents */
	lines(tm, 3, (const char *const[][2]){ { "0.333333", "0" },
					       { "0.333333", "30" },
					       { "0.333334", "60" } });
	due_is(tm, "2026-05-01", "100.01", 3,
	       (const char *[]){ "2026-05-01", "2026-05-31", "2026-06-30" },
	       (const char *[]){ "33.34", "33.33", "33.34" });
	due_is(tm, "2026-05-01", "-100.01", 3,
	       (const char *[]){ "2026-05-01", "2026-05-31", "2026-06-30" },
	       (const char *[]){ "-33.34", "-33.33", "-33.34" });
	due_is(tm, "2026-05-01", "100.00", 3,
	       (const char *[]){ "2026-05-01", "2026-05-31", "2026-06-30" },
	       (const char *[]){ "33.33", "33.33", "33.34" });
	save_ok(st, &terms_entity, tm);

	/* too little room; no date */
	struct due one[1];
	size_t n;
	struct kerr err;
	assert_int_equal(terms_schedule(tm, D("2026-01-01"), 100, one, 1, &n,
					&err), K_ERANGE);
	assert_int_equal(terms_schedule(tm, DATE_NONE, 100, one, 1, &n, &err),
			 K_EINVAL);

	/* the rules */
	lines(tm, 2, (const char *const[][2]){ { "0.3", "0" }, { "0.69", "60" } });
	refused(st, &terms_entity, tm, K_EINVAL, "instalments",
		"add up to 0.990000");
	assert_int_equal(terms_schedule(tm, D("2026-01-01"), 100, one, 1, &n,
					&err), K_EINVAL);
	lines(tm, 2, (const char *const[][2]){ { "0.3", "60" }, { "0.7", "0" } });
	refused(st, &terms_entity, tm, K_EINVAL, "instalments", "order of days");
	lines(tm, 2, (const char *const[][2]){ { "0", "0" }, { "1", "60" } });
	refused(st, &terms_entity, tm, K_EINVAL, "instalments", "above 0");
	lines(tm, 0, NULL);
	refused(st, &terms_entity, tm, K_EINVAL, "instalments", "at least one");
	ent_free(&terms_entity, tm);

	tm = terms_of(st, "net", "1000");
	refused(st, &terms_entity, tm, K_EINVAL, "days", "0 to 999");
	set(st, &terms_entity, tm, "days", "30");
	lines(tm, 1, (const char *const[][2]){ { "1", "0" } });
	refused(st, &terms_entity, tm, K_EINVAL, "instalments",
		"net terms have no instalments");
	lines(tm, 0, NULL);
	set(st, &terms_entity, tm, "kind", "weekly");
	refused(st, &terms_entity, tm, K_EINVAL, "kind", "net, eom or instalments");
	ent_free(&terms_entity, tm);
}

/* ----------------------------------------------------------- periods */

static void period_is(struct store *st, const char *day, const char *code,
		      int64_t number, const char *year)
{
	struct store_txn *t = snap(st);
	struct period p;
	struct kerr err;
	char buf[64];

	memset(&p, 0, sizeof p);
	kerr_clear(&err);
	if (period_find(t, D(day), &p, &err)) {
		fprintf(stderr, "period_find %s: %s\n", day, err.msg);
		fail();
	}
	assert_string_equal(p.code, code);
	assert_int_equal(p.number, number);
	ent_field_get(t, fld(&period_entity, "fyear"), &p, buf, sizeof buf);
	assert_string_equal(buf, year);
	end(&t);
	store_rec_clear(&period_schema, &p);
}

static void no_period(struct store *st, const char *day)
{
	struct store_txn *t = snap(st);
	struct period p;
	struct kerr err;

	memset(&p, 0, sizeof p);
	assert_int_equal(period_find(t, D(day), &p, &err), K_ENOTFOUND);
	assert_non_null(strstr(err.msg, day));
	assert_string_equal(err.field, "date");
	end(&t);
	store_rec_clear(&period_schema, &p);
}

static void test_period_year_january(void **state)
{
	struct testenv *f = *state;
	struct store *st = f->st;
	struct kerr err;
	char buf[64];

	assert_int_equal(period_create_year(st, 2026, 1, &err), 0);
	assert_int_equal(count(st, &fyear_entity), 1);
	assert_int_equal(count(st, &period_entity), 12);
	assert_string_equal(field_of(st, &fyear_entity, "2026", "start", buf,
				     sizeof buf), "2026-01-01");
	assert_string_equal(field_of(st, &fyear_entity, "2026", "end", buf,
				     sizeof buf), "2026-12-31");
	assert_string_equal(field_of(st, &period_entity, "2026-02", "end", buf,
				     sizeof buf), "2026-02-28");
	assert_string_equal(field_of(st, &period_entity, "2026-12", "status",
				     buf, sizeof buf), "open");

	/* again: refused, nothing more written */
	kerr_clear(&err);
	assert_int_equal(period_create_year(st, 2026, 1, &err), K_EEXIST);
	assert_non_null(strstr(err.msg, "2026 exists already"));
	/* a year that would overlap */
	assert_int_equal(period_create_year(st, 2025, 4, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "overlap fiscal year 2026"));
	assert_int_equal(count(st, &fyear_entity), 1);
	assert_int_equal(count(st, &period_entity), 12);
	assert_int_equal(period_create_year(st, 2026, 13, &err), K_EINVAL);
	assert_int_equal(period_create_year(st, 0, 1, &err), K_EINVAL);

	period_is(st, "2026-01-01", "2026-01", 1, "2026");
	period_is(st, "2026-02-28", "2026-02", 2, "2026");
	period_is(st, "2026-03-01", "2026-03", 3, "2026");
	period_is(st, "2026-12-31", "2026-12", 12, "2026");
	no_period(st, "2025-12-31");
	no_period(st, "2027-01-01");
	/* the next year leaves no gap */
	assert_int_equal(period_create_year(st, 2027, 1, &err), 0);
	period_is(st, "2027-01-01", "2027-01", 1, "2027");
	period_is(st, "2026-12-31", "2026-12", 12, "2026");
	no_period(st, "2028-01-01");

	/* the rules of a period */
	struct period *p = load(st, &period_entity, "2026-05");
	rule(st, &period_entity, p, "number", "14", "number", "1 to 13");
	rule(st, &period_entity, p, "number", "0", "number", "1 to 13");
	rule(st, &period_entity, p, "end", "2026-04-30", "end", "before start");
	rule(st, &period_entity, p, "end", "2026-06-01", "start", "overlap period 2026-06");
	rule(st, &period_entity, p, "status", "done", "status", "open or closed");
	rule(st, &period_entity, p, "fyear", "2027", "start", "inside its dates");
	ent_free(&period_entity, p);
	/* a 13th period for adjustments fits only inside its year */
	p = make(st, &period_entity, "code", "2026-13", "fyear", "2026",
		 "number", "13", "start", "2026-12-31", "end", "2026-12-31",
		 NULL);
	refused(st, &period_entity, p, K_EINVAL, "start", "overlap period 2026-12");
	ent_free(&period_entity, p);

	/* a year is not deleted while it has periods */
	struct fyear *y = load(st, &fyear_entity, "2027");
	assert_int_equal(ent_delete(st, &fyear_entity, y, &err), K_EREFERENCED);
	assert_non_null(strstr(err.msg, "used by 12 periods"));
	rule(st, &fyear_entity, y, "end", "2027-06-30", "end", "outside these dates");
	rule(st, &fyear_entity, y, "end", "2029-01-01", "end", "24 months");
	rule(st, &fyear_entity, y, "start", "2026-12-01", "start", "overlap fiscal year 2026");
	ent_free(&fyear_entity, y);
}

static void test_period_year_april(void **state)
{
	struct testenv *f = *state;
	struct store *st = f->st;
	struct kerr err;
	char buf[64];

	assert_int_equal(period_create_year(st, 2026, 4, &err), 0);
	assert_string_equal(field_of(st, &fyear_entity, "2026", "start", buf,
				     sizeof buf), "2026-04-01");
	assert_string_equal(field_of(st, &fyear_entity, "2026", "end", buf,
				     sizeof buf), "2027-03-31");
	period_is(st, "2026-04-01", "2026-04", 1, "2026");
	period_is(st, "2026-12-31", "2026-12", 9, "2026");
	period_is(st, "2027-01-15", "2027-01", 10, "2026");
	period_is(st, "2027-03-31", "2027-03", 12, "2026");
	no_period(st, "2026-03-31");
	no_period(st, "2027-04-01");
	assert_int_equal(period_create_year(st, 2026, 4, &err), K_EEXIST);
	assert_int_equal(period_create_year(st, 2027, 1, &err), K_EINVAL);
	assert_int_equal(period_create_year(st, 2027, 4, &err), 0);
	period_is(st, "2027-04-01", "2027-04", 1, "2027");
	/* leap February inside the next year's periods */
	assert_string_equal(field_of(st, &period_entity, "2028-02", "end", buf,
				     sizeof buf), "2028-02-29");
}

static void test_period_close(void **state)
{
	struct testenv *f = *state;
	struct store *st = f->st;
	const struct ent_hook *pclose = ent_hook_find("period_close");
	const struct ent_hook *popen = ent_hook_find("period_open");
	const struct ent_hook *yclose = ent_hook_find("fyear_close");
	const struct ent_hook *yopen = ent_hook_find("fyear_open");
	struct kerr err;
	char msg[200], code[16], buf[64];

	assert_int_equal(period_create_year(st, 2026, 1, &err), 0);
	struct period *p = load(st, &period_entity, "2026-01");
	assert_int_equal(pclose->action(st, &period_entity, p, msg, sizeof msg,
					&err), 0);
	assert_string_equal(msg, "Period 2026-01 closed");
	assert_string_equal(p->status, "closed");
	assert_int_equal(pclose->action(st, &period_entity, p, msg, sizeof msg,
					&err), K_EINVAL);
	assert_non_null(strstr(err.msg, "closed already"));

	/* the year closes only when every period is closed */
	struct fyear *y = load(st, &fyear_entity, "2026");
	assert_int_equal(yclose->action(st, &fyear_entity, y, msg, sizeof msg,
					&err), K_EINVAL);
	assert_string_equal(err.field, "status");
	assert_non_null(strstr(err.msg, "period 2026-02 is open"));
	assert_string_equal(y->status, "open");      /* as it was */
	for (int m = 2; m <= 12; m++) {
		struct period *q;
		snprintf(code, sizeof code, "2026-%02d", m);
		q = load(st, &period_entity, code);
		assert_int_equal(pclose->action(st, &period_entity, q, msg,
						sizeof msg, &err), 0);
		ent_free(&period_entity, q);
	}
	assert_int_equal(yclose->action(st, &fyear_entity, y, msg, sizeof msg,
					&err), 0);
	assert_string_equal(msg, "Fiscal year 2026 closed");
	assert_string_equal(field_of(st, &fyear_entity, "2026", "status", buf,
				     sizeof buf), "closed");

	/* a period of a closed year stays closed */
	assert_int_equal(popen->action(st, &period_entity, p, msg, sizeof msg,
				       &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "fiscal year 2026 is closed"));
	assert_string_equal(p->status, "closed");
	assert_int_equal(yopen->action(st, &fyear_entity, y, msg, sizeof msg,
				       &err), 0);
	/* periods open again from the last closed one backwards */
	assert_int_equal(popen->action(st, &period_entity, p, msg, sizeof msg,
				       &err), K_EINVAL);
	assert_string_equal(err.msg,
			    "open 2026-02 first: periods open again from the last closed");
	for (int m = 12; m >= 2; m--) {
		struct period *q;
		snprintf(code, sizeof code, "2026-%02d", m);
		q = load(st, &period_entity, code);
		assert_int_equal(popen->action(st, &period_entity, q, msg,
					       sizeof msg, &err), 0);
		ent_free(&period_entity, q);
	}
	assert_int_equal(popen->action(st, &period_entity, p, msg, sizeof msg,
				       &err), 0);
	assert_string_equal(msg, "Period 2026-01 opened again");
	assert_string_equal(field_of(st, &period_entity, "2026-01", "status",
				     buf, sizeof buf), "open");
	ent_free(&period_entity, p);
	ent_free(&fyear_entity, y);
}

/* --------------------------------------------- parties and items */

static void test_references(void **state)
{
	struct testenv *f = *state;
	struct store *st = f->st;
	struct kerr err;
	char buf[64];

	/* a party names its currency and terms by code (setup_cn) */
	struct party *p = make(st, &party_entity, "code", "C1", "name", "客户",
			       "customer", "yes", "currency", "USD",
			       "payment_terms", "NET30", NULL);
	save_ok(st, &party_entity, p);
	assert_string_equal(field_of(st, &party_entity, "C1", "currency", buf,
				     sizeof buf), "USD");
	assert_string_equal(field_of(st, &party_entity, "C1", "payment_terms",
				     buf, sizeof buf), "NET30");
	/* unknown codes are refused naming the field */
	struct store_txn *t = snap(st);
	assert_int_equal(ent_field_set(t, fld(&party_entity, "currency"), p,
				       "XYZ", &err), K_ENOTFOUND);
	assert_string_equal(err.field, "currency");
	assert_non_null(strstr(err.msg, "no currency with code XYZ"));
	assert_int_equal(ent_field_set(t, fld(&party_entity, "payment_terms"),
				       p, "NET99", &err), K_ENOTFOUND);
	assert_string_equal(err.field, "payment_terms");
	end(&t);
	/* no currency: the base currency; saved without one */
	struct party *q = make(st, &party_entity, "code", "C2", "name", "x",
			       "customer", "yes", NULL);
	save_ok(st, &party_entity, q);
	assert_int_equal(q->currency, 0);
	ent_free(&party_entity, q);

	/* what is in use is not deleted, and the message says by whom */
	struct currency *usd = load(st, &currency_entity, "USD");
	assert_int_equal(ent_delete(st, &currency_entity, usd, &err),
			 K_EREFERENCED);
	assert_non_null(strstr(err.msg, "used by 1 parties (currency), e.g. C1"));
	struct terms *net30 = load(st, &terms_entity, "NET30");
	assert_int_equal(ent_delete(st, &terms_entity, net30, &err),
			 K_EREFERENCED);
	assert_non_null(strstr(err.msg, "used by 1 parties (payment terms), e.g. C1"));
	/* once the party names another, they go */
	set(st, &party_entity, p, "currency", "EUR");
	set(st, &party_entity, p, "payment_terms", "");
	save_ok(st, &party_entity, p);
	assert_int_equal(ent_delete(st, &currency_entity, usd, &err), 0);
	assert_int_equal(ent_delete(st, &terms_entity, net30, &err), 0);
	ent_free(&currency_entity, usd);
	ent_free(&terms_entity, net30);
	ent_free(&party_entity, p);

	/* an account with a currency: that currency is in use */
	struct currency *eur = load(st, &currency_entity, "EUR");
	struct account *a = SAVED(st, &account_entity, "code", "1002.01",
				  "name", "银行存款 欧元", "type", "asset",
				  "currency", "EUR");
	assert_int_equal(ent_delete(st, &currency_entity, eur, &err),
			 K_EREFERENCED);
	ent_free(&account_entity, a);
	ent_free(&currency_entity, eur);

	/* an item names its tax code; the tax is then in use */
	const struct entity *ue = ent_find("unit");
	if (ue) {
		void *u = make(st, ue, "code", "EA", "name", "Each", NULL);
		save_ok(st, ue, u);
		ent_free(ue, u);
	}
	struct item *it = make(st, &item_entity, "code", "I1",
			       "description", "Thing", "tax_code", "VAT13",
			       NULL);
	save_ok(st, &item_entity, it);
	assert_string_equal(field_of(st, &item_entity, "I1", "tax_code", buf,
				     sizeof buf), "VAT13");
	struct tax *x = load(st, &tax_entity, "VAT13");
	assert_int_equal(ent_delete(st, &tax_entity, x, &err), K_EREFERENCED);
	assert_non_null(strstr(err.msg, "used by 1 items (tax code), e.g. I1"));
	ent_free(&tax_entity, x);
	ent_free(&item_entity, it);
}

/* ----------------------------------------------------- shipped data */

/* Exports e into a string (caller frees). */
static char *export_text(struct store *st, const struct entity *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct kerr err;

	assert_non_null(out);
	assert_int_equal(csvio_export(st, e, out, NULL, &err), 0);
	fclose(out);
	return buf;
}

static char *file_text(const char *name)
{
	char path[PATH_MAX], *buf;
	FILE *fp;
	long n;

	snprintf(path, sizeof path, "%s/data/%s", testenv_srcdir(), name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void test_shipped_cn(void **state)
{
	struct testenv *f = *state;
	struct store *st = f->st;
	char buf[64];

	/* setup_cn imported currencies, chart, taxes and terms */
	assert_int_equal(import_data(st, "rate", "rates.csv"), 11);
	assert_int_equal(count(st, &currency_entity), 6);
	assert_true(count(st, &account_entity) >= 50);
	assert_int_equal(count(st, &tax_entity), 8);
	assert_int_equal(count(st, &terms_entity), 8);
	assert_int_equal(count(st, &rate_entity), 11);

	/* the accounts the brief names, under their headings */
	static const char *const need[][2] = {
		{ "1001", "1" }, { "1002", "1" }, { "1012", "1" },
		{ "1121", "1" }, { "1122", "1" }, { "1123", "1" },
		{ "1221", "1" }, { "1231", "1" }, { "1401", "1" },
		{ "1403", "1" }, { "1405", "1" }, { "1411", "1" },
		{ "1601", "1" }, { "1602", "1" }, { "1701", "1" },
		{ "2001", "2" }, { "2201", "2" }, { "2202", "2" },
		{ "2203", "2" }, { "2211", "2" }, { "2221", "2" },
		{ "2221.01", "2221" }, { "2221.02", "2221" }, { "2241", "2" },
		{ "4001", "4" }, { "4002", "4" }, { "4101", "4" },
		{ "4103", "4" }, { "4104", "4" }, { "5001", "5" },
		{ "5101", "5" }, { "6001", "6" }, { "6051", "6" },
		{ "6111", "6" }, { "6301", "6" }, { "6401", "6" },
		{ "6402", "6" }, { "6403", "6" }, { "6601", "6" },
		{ "6602", "6" }, { "6603", "6" }, { "6711", "6" },
		{ "6801", "6" },
	};
	for (size_t i = 0; i < NELEM(need); i++)
		assert_string_equal(field_of(st, &account_entity, need[i][0],
					     "parent", buf, sizeof buf),
				    need[i][1]);
	struct account *a = load(st, &account_entity, "2221");
	assert_false(a->postable);
	ent_free(&account_entity, a);
	a = load(st, &account_entity, "1602");
	assert_string_equal(a->side, "credit");          /* contra asset */
	assert_string_equal(a->name, "累计折旧");
	ent_free(&account_entity, a);
	assert_string_equal(field_of(st, &account_entity, "6001", "type", buf,
				     sizeof buf), "income");
	assert_string_equal(field_of(st, &account_entity, "6602", "type", buf,
				     sizeof buf), "expense");

	/* taxes on their VAT accounts */
	assert_string_equal(field_of(st, &tax_entity, "VAT13", "account", buf,
				     sizeof buf), "2221.02");
	assert_string_equal(field_of(st, &tax_entity, "VAT13-IN", "account",
				     buf, sizeof buf), "2221.01");
	assert_string_equal(field_of(st, &tax_entity, "VAT9", "rate", buf,
				     sizeof buf), "0.090000");
	assert_string_equal(field_of(st, &tax_entity, "VAT0", "kind", buf,
				     sizeof buf), "zero");
	assert_string_equal(field_of(st, &currency_entity, "JPY", "decimals",
				     buf, sizeof buf), "0");

	/* the instalment terms and their due dates */
	struct terms *tm = load(st, &terms_entity, "30-70");
	assert_int_equal(tm->instalments.n, 2);
	struct due d[4];
	size_t n;
	struct kerr err;
	assert_int_equal(terms_schedule(tm, D("2026-01-10"), money("1000.00"),
					d, NELEM(d), &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(d[0].amount, 30000);
	assert_int_equal(d[1].amount, 70000);
	assert_int_equal(d[1].date, D("2026-03-11"));
	ent_free(&terms_entity, tm);
	tm = load(st, &terms_entity, "EOM30");
	assert_string_equal(tm->kind, "eom");
	assert_int_equal(tm->days, 30);
	ent_free(&terms_entity, tm);

	/* rates from the file */
	struct currency *usd = load(st, &currency_entity, "USD");
	struct store_txn *t = snap(st);
	int64_t r;
	kdate from;
	assert_int_equal(fx_rate(t, "CNY", usd->h.id, D("2026-02-14"), &r,
				 &from, &err), 0);
	assert_int_equal(r, 7102600);
	end(&t);
	ent_free(&currency_entity, usd);

	/* the parties and items of the demo find their references */
	import_data(st, "unit", "units.csv");
	assert_int_equal(import_data(st, "party", "parties.csv"), 40);
	assert_int_equal(import_data(st, "item", "items.csv"), 40);

	/* export writes the shipped files byte for byte (code order) */
	static const struct { const struct entity *e; const char *file; } same[] = {
		{ &account_entity, "chart-cn.csv" },
		{ &tax_entity, "taxes-cn.csv" },
		{ &currency_entity, "currencies.csv" },
		{ &terms_entity, "terms.csv" },
		{ &rate_entity, "rates.csv" },
	};
	for (size_t i = 0; i < NELEM(same); i++) {
		char *x = export_text(st, same[i].e), *y = file_text(same[i].file);
		if (strcmp(x, y) != 0) {
			fprintf(stderr, "export of %s differs from %s:\n%s",
				same[i].e->name, same[i].file, x);
			fail();
		}
		free(x);
		free(y);
	}
}

static void test_shipped_ifrs(void **state)
{
	struct testenv *f = *state;
	struct store *st = f->st;
	char buf[64];

	assert_int_equal(import_data(st, "currency", "currencies.csv"), 6);
	assert_true(import_data(st, "account", "chart-ifrs.csv") >= 40);
	assert_int_equal(import_data(st, "tax", "taxes-ifrs.csv"), 6);
	assert_string_equal(field_of(st, &account_entity, "1000", "parent", buf,
				     sizeof buf), "11");
	assert_string_equal(field_of(st, &account_entity, "11", "parent", buf,
				     sizeof buf), "1");
	assert_string_equal(field_of(st, &account_entity, "4000", "name", buf,
				     sizeof buf), "Revenue from the sale of goods");
	assert_string_equal(field_of(st, &tax_entity, "VAT20", "account", buf,
				     sizeof buf), "2200");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, testenv_teardown)
#define T_CN(fn) \
	cmocka_unit_test_setup_teardown(fn, setup_cn, testenv_teardown)
	const struct CMUnitTest tests[] = {
		T(test_registry),
		T(test_account_rules),
		T(test_account_walk_leaves),
		T(test_account_walk_tree),
		T(test_tax_rules),
		T(test_currency_rules),
		T(test_rates),
		T(test_terms_schedule),
		T(test_period_year_january),
		T(test_period_year_april),
		T(test_period_close),
		T_CN(test_references),
		T_CN(test_shipped_cn),
		T(test_shipped_ifrs),
	};
#undef T_CN
#undef T

	return cmocka_run_group_tests_name("fin", tests, NULL, NULL);
}
