/*
 * arap_fix.h - the fixture test_ar.c and test_ap.c share: a fresh
 * environment in a temporary folder with the Chinese chart, its taxes,
 * terms, units, number series, account roles and fiscal year 2026, and
 * a few parties and items; helpers to make documents from text the way
 * a clerk types it, and to read what postings left.
 *
 * Included once by each test file (static functions).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/date.h"
#include "base/kerr.h"
#include "base/num.h"
#include "finance/arap_reports.h"
#include "finance/gl.h"
#include "finance/subledger.h"
#include "masters/csvio.h"
#include "masters/entity.h"
#include "masters/fin.h"
#include "masters/masters.h"
#include "masters/ops.h"
#include "store/store.h"

#include "../testenv.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

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

static int64_t money(const char *s)
{
	int64_t v;

	assert_int_equal(num_parse(s, NUM_MONEY_SCALE, &v, NULL), 0);
	return v;
}

static kdate D(const char *s)
{
	kdate d;

	assert_int_equal(date_parse(s, &d, NULL), 0);
	return d;
}

/* Imports CSV text into e. */
static void import_text(struct testenv *f, const struct entity *e,
			const char *csv)
{
	char path[PATH_MAX];
	unsigned long rows = 0;
	struct kerr err;
	FILE *fp;

	snprintf(path, sizeof path, "%s/in.csv", f->dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs(csv, fp);
	fclose(fp);
	kerr_clear(&err);
	if (csvio_import(f->st, e, path, false, &rows, stderr, &err)) {
		fprintf(stderr, "import into %s: %s\n", e->name, err.msg);
		fail();
	}
}

/* The record of e with code (caller frees with ent_free). */
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

static int64_t id_of(struct store *st, const struct entity *e,
		     const char *code)
{
	void *rec = load(st, e, code);
	int64_t id = ((struct store_rec *)rec)->id;

	ent_free(e, rec);
	return id;
}

/*
 * The Chinese chart with its currencies, taxes, terms, units, number
 * series and account roles (purchases 1405, write-off 6603), and the
 * fiscal year 2026.
 */
static int load_arap(struct store *st, void *arg)
{
	static const struct testenv_file files[] = {
		{ "currency", "currencies.csv" }, { "account", "chart-cn.csv" },
		{ "tax", "taxes-cn.csv" }, { "terms", "terms.csv" },
		{ "unit", "units.csv" }, { "series", "series.csv" },
		{ "glrole", "roles-cn.csv" }, { NULL, NULL },
	};
	struct kerr e;

	(void)arg;
	if (testenv_import_all(st, files))
		return -1;
	kerr_clear(&e);
	if (period_create_year(st, 2026, 1, &e)) {
		fprintf(stderr, "period 2026: %s\n", e.msg);
		return -1;
	}
	return 0;
}

/* testenv's store with load_arap's data, and a few parties and items. */
static int setup(void **state)
{
	static const struct testenv_opts o = { .name = "arap",
					       .load = load_arap };
	struct testenv *f;

	if (testenv_setup(state, &o))
		return -1;
	f = *state;
	import_text(f, &party_entity,
		    "code,name,customer,supplier,payment_terms,credit_limit,status\n"
		    "C1,华东机械,yes,no,NET30,\"10,000.00\",active\n"
		    "C2,Second customer,yes,no,,0,active\n"
		    "CI,Instalment customer,yes,no,30-70,0,active\n"
		    "S1,深圳电子,no,yes,NET30,0,active\n"
		    "S2,Second supplier,no,yes,NET60,0,active\n");
	import_text(f, &item_entity,
		    "code,description,type,uom,list_price,standard_cost,tax_code,status\n"
		    "W1,Widget 部件,stocked,EA,100.0000,60.0000,VAT13,active\n"
		    "W2,Input widget,purchased,EA,0,50.0000,VAT13-IN,active\n");
	return 0;
}

/* ------------------------------------------------------------ making */

/* Sets "name=value;name=value" on rec (fields of schema s) in t. */
static int set_spec(struct store_txn *t, const struct store_schema *s,
		    void *rec, const char *spec, struct kerr *err)
{
	char *copy = strdup(spec), *save = NULL, *kv;
	int ret = 0;

	assert_non_null(copy);
	for (kv = strtok_r(copy, ";", &save); kv && !ret;
	     kv = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(kv, '=');
		const struct store_field *fl;
		assert_non_null(eq);
		*eq = '\0';
		fl = store_field_find(s, kv);
		if (!fl) {
			fprintf(stderr, "no field %s in %s\n", kv, s->name);
			fail();
		}
		ret = ent_field_set(t, fl, rec, eq + 1, err);
	}
	free(copy);
	return ret;
}

/* Appends an element to list field `field` of rec, from spec. */
static void add_elem(struct store *st, const struct store_schema *s,
		     void *rec, const char *field, const char *spec)
{
	const struct store_field *lf = store_field_find(s, field);
	struct store_list *l = (struct store_list *)((char *)rec + lf->offset);
	const struct store_schema *sub = lf->sub;
	struct store_txn *t = snap(st);
	struct kerr err;
	char *el;

	l->items = realloc(l->items, (l->n + 1) * sub->size);
	assert_non_null(l->items);
	el = (char *)l->items + l->n * sub->size;
	memset(el, 0, sub->size);
	for (size_t i = 0; i < sub->nfields; i++)
		if (sub->fields[i].type == SF_DATE)
			*(kdate *)(el + sub->fields[i].offset) = DATE_NONE;
	l->n++;
	kerr_clear(&err);
	if (set_spec(t, sub, el, spec, &err)) {
		fprintf(stderr, "%s: %s\n", spec, err.msg);
		fail();
	}
	end(&t);
}

/* A new record of e from spec (not saved). */
static void *make(struct store *st, const struct entity *e, const char *spec)
{
	void *rec = ent_new(e);
	struct store_txn *t = snap(st);
	struct kerr err;

	assert_non_null(rec);
	kerr_clear(&err);
	if (set_spec(t, e->schema, rec, spec, &err)) {
		fprintf(stderr, "%s: %s\n", spec, err.msg);
		fail();
	}
	end(&t);
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

/* Expects ent_save of rec to fail naming field, with want in the text. */
static void save_refused(struct store *st, const struct entity *e,
			 void *rec, const char *field, const char *want)
{
	struct kerr err;
	int ret;

	kerr_clear(&err);
	ret = ent_save(st, e, rec, NULL, &err);
	if (ret == 0 || strcmp(err.field, field) != 0 ||
	    !strstr(err.msg, want)) {
		fprintf(stderr, "save %s: want %s/\"%s\", got %d %s/\"%s\"\n",
			e->name, field, want, ret, err.field, err.msg);
		fail();
	}
}

/*
 * Saves a draft document of e (header spec) with lines (specs, NULL
 * ended); returns its code in code (n bytes).
 */
static void draft(struct store *st, const struct entity *e, char *code,
		  size_t n, const char *spec, ...)
{
	void *rec = make(st, e, spec);
	const char *line, *list = strcmp(e->schema->name, "arinv") == 0 ||
				  strcmp(e->schema->name, "apinv") == 0 ?
				  "lines" : "allocs";
	va_list ap;

	va_start(ap, spec);
	while ((line = va_arg(ap, const char *)))
		add_elem(st, e->schema, rec, list, line);
	va_end(ap);
	save_ok(st, e, rec);
	/* the code the apply step gave it, as stored */
	{
		struct store_txn *t = snap(st);
		int64_t id = ((struct store_rec *)rec)->id;
		store_rec_clear(e->schema, rec);
		assert_int_equal(store_get(t, e->schema, id, rec, NULL), 0);
		end(&t);
	}
	snprintf(code, n, "%s", *(char **)((char *)rec +
					    store_field_find(e->schema, "code")->offset));
	ent_free(e, rec);
}

/* Posts a draft of L: 0 or the error (err filled). */
static int post(struct store *st, const struct sl_ledger *L,
		const char *code, struct sl_posted *o, struct kerr *err)
{
	struct store_txn *t = snap(st);
	struct sldoc d;
	int ret;

	memset(&d, 0, sizeof d);
	ret = store_find_text(t, L->doc, "code", code, &d, NULL);
	store_rec_clear(L->doc, &d);
	end(&t);
	kerr_clear(err);
	if (ret == 0)
		return sl_doc_post(st, L, code, 0, o, err);
	return sl_pay_post(st, L, code, o, err);
}

static void post_ok(struct store *st, const struct sl_ledger *L,
		    const char *code, struct sl_posted *o)
{
	struct sl_posted x;
	struct kerr err;

	if (post(st, L, code, o ? o : &x, &err)) {
		fprintf(stderr, "post %s: %s: %s\n", code, err.field, err.msg);
		fail();
	}
}

/* Expects posting code to fail naming field, the message holding want. */
static __attribute__((unused)) void post_refused(struct store *st, const struct sl_ledger *L,
			 const char *code, const char *field,
			 const char *want)
{
	struct sl_posted o;
	struct kerr err;
	int ret = post(st, L, code, &o, &err);

	if (ret == 0 || strcmp(err.field, field) != 0 ||
	    !strstr(err.msg, want)) {
		fprintf(stderr, "post %s: want %s/\"%s\", got %d %s/\"%s\"\n",
			code, field, want, ret, err.field, err.msg);
		fail();
	}
}

/* ------------------------------------------------------------ reading */

/* The open item with code of L (caller clears it). */
static void item(struct store *st, const struct sl_ledger *L,
		 const char *code, struct openitem *it)
{
	struct store_txn *t = snap(st);
	struct kerr err;

	memset(it, 0, sizeof *it);
	if (sl_item_find(t, L, code, it, &err)) {
		fprintf(stderr, "item %s: %s\n", code, err.msg);
		fail();
	}
	end(&t);
}

static int64_t item_open(struct store *st, const struct sl_ledger *L,
			 const char *code)
{
	struct openitem it;
	int64_t v;

	item(st, L, code, &it);
	v = it.open;
	store_rec_clear(L->item, &it);
	return v;
}

static __attribute__((unused)) bool item_exists(struct store *st, const struct sl_ledger *L,
			const char *code)
{
	struct store_txn *t = snap(st);
	struct openitem it;
	struct kerr err;
	int ret;

	memset(&it, 0, sizeof it);
	ret = sl_item_find(t, L, code, &it, &err);
	store_rec_clear(L->item, &it);
	end(&t);
	return ret == 0;
}

/* Debit - credit posted to account `code` (all dates). */
static int64_t gl(struct store *st, const char *code)
{
	struct store_txn *t = snap(st);
	struct gl_sum s;
	struct kerr err;
	int64_t id = id_of(st, &account_entity, code);
	kdate last;

	date_from_ymd(9999, 12, 31, &last);
	if (gl_balance(t, id, DATE_NONE, last, -1, &s, &err)) {
		fprintf(stderr, "gl_balance %s: %s\n", code, err.msg);
		fail();
	}
	end(&t);
	return s.closing;
}

static int64_t party_bal(struct store *st, const struct sl_ledger *L,
			 const char *party)
{
	struct store_txn *t = snap(st);
	struct kerr err;
	int64_t ar, ap;

	assert_int_equal(sl_party_balance(t, id_of(st, &party_entity, party),
					  &ar, &ap, &err), 0);
	end(&t);
	return L->sign > 0 ? ar : ap;
}

static void print_problem(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "verify: %s\n", msg);
}

/* The control account agrees with the open items and the balances. */
static void verify_ok(struct store *st, const struct sl_ledger *L)
{
	unsigned problems = 99;
	struct kerr err;

	assert_int_equal(arap_verify(st, L, print_problem, NULL, &problems,
				     &err), 0);
	assert_int_equal(problems, 0);
}

/* Rows of a report source, as text (CSV-ish, one string a row). */
struct rows {
	char buf[8192];
	size_t n;
	unsigned count;
	const struct report *r;
};

static int collect(void *arg, const struct rrow *row, struct kerr *err)
{
	struct rows *rs = arg;

	(void)err;
	for (size_t i = 0; i < rs->r->ncols; i++) {
		const struct rcell *c = &row->cells[i];
		char v[NUM_BUFSZ + 100];
		if (c->empty)
			v[0] = '\0';
		else if (rs->r->cols[i].fmt == RF_TEXT)
			snprintf(v, sizeof v, "%s", c->text ? c->text : "");
		else if (rs->r->cols[i].fmt == RF_DATE)
			date_format((kdate)c->num, v, sizeof v);
		else if (rs->r->cols[i].fmt == RF_AMOUNT)
			num_format(c->num, 2, false, v, sizeof v);
		else
			snprintf(v, sizeof v, "%lld", (long long)c->num);
		rs->n += (size_t)snprintf(rs->buf + rs->n, sizeof rs->buf - rs->n,
					  "%s%s", i ? "," : "", v);
	}
	rs->n += (size_t)snprintf(rs->buf + rs->n, sizeof rs->buf - rs->n, "\n");
	rs->count++;
	return 0;
}

/* Runs report r's source with "name", "value" pairs (NULL ended). */
static void run_report(struct store *st, const struct report *r,
		       struct rows *out, ...)
{
	struct rparams given = { .n = 0 }, p;
	struct store_txn *t;
	struct kerr err;
	const char *name;
	va_list ap;

	memset(out, 0, sizeof *out);
	out->r = r;
	va_start(ap, out);
	while ((name = va_arg(ap, const char *))) {
		given.name[given.n] = name;
		given.value[given.n++] = va_arg(ap, const char *);
	}
	va_end(ap);
	assert_int_equal(report_params(r, &given, &p, &err), 0);
	t = snap(st);
	if (r->source(t, r, &p, collect, out, &err)) {
		fprintf(stderr, "report %s: %s\n", r->name, err.msg);
		fail();
	}
	end(&t);
}

static void expect_in(const char *text, const char *want)
{
	if (!strstr(text, want)) {
		fprintf(stderr, "expected \"%s\" in:\n%s", want, text);
		fail();
	}
}
