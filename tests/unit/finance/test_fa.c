/*
 * test_fa.c - fixed assets on a real Berkeley DB environment: the rules
 * of asset classes and assets, the monthly depreciation run (one entry,
 * posted once, in order, never into a closed period), catching up an
 * asset entered late, disposal with a gain and with a loss, and the two
 * reports.  Amounts are checked in the ledger's balances (gl_balance),
 * which is what a user reads.
 *
 * Every test gets a fresh temporary folder with a store created in
 * FOLDER/home holding every entity's table, the Chinese chart, the
 * shipped departments and asset classes, the fiscal years 2025 to
 * 2027 and the account roles the postings use.
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
#include "finance/fa.h"
#include "finance/gl.h"
#include "masters/csvio.h"
#include "masters/entity.h"
#include "masters/fin.h"
#include "masters/ops.h"
#include "report/report.h"
#include "store/store.h"

#include "../testenv.h"

#define Y(v) ((int64_t)(v) * 100)          /* whole yuan in fen */

/* ------------------------------------------------------------ fixture */

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

static void set(struct store *st, const struct entity *e, void *rec,
		const char *field, const char *text)
{
	struct store_txn *t = snap(st);
	struct kerr err;

	kerr_clear(&err);
	if (ent_field_set(t, fld(e, field), rec, text, &err))
		fail_msg("set %s=%s: %s", field, text, err.msg);
	end(&t);
}

/* A new record of e with fields set from "name", "value" pairs. */
#define MAKE(st, e, ...) make(st, e, __VA_ARGS__, (const char *)NULL)
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
	if (ent_save(st, e, rec, NULL, &err))
		fail_msg("save %s: %s: %s", e->name, err.field, err.msg);
}

/* ent_save of rec fails with K_EINVAL-ish code, naming field, saying want. */
static void save_fails(struct store *st, const struct entity *e, void *rec,
		       const char *field, const char *want)
{
	struct kerr err;

	kerr_clear(&err);
	if (ent_save(st, e, rec, NULL, &err) == 0)
		fail_msg("save %s succeeded; expected \"%s\"", e->name, want);
	assert_string_equal(err.field, field);
	if (!strstr(err.msg, want))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
}

/* Sets role `role` to account `code`. */
static void set_role(struct store *st, const char *role, const char *code)
{
	struct glrole *r;
	struct store_txn *t = snap(st);
	struct kerr err;
	int ret;

	r = ent_new(&glrole_entity);
	assert_non_null(r);
	ret = ent_get_code(t, &glrole_entity, role, r, &err);
	end(&t);
	if (ret) {
		ent_free(&glrole_entity, r);
		r = MAKE(st, &glrole_entity, "code", role);
	}
	set(st, &glrole_entity, r, "account", code);
	save_ok(st, &glrole_entity, r);
	ent_free(&glrole_entity, r);
}

/*
 * The Chinese chart, the shipped departments, number series and asset
 * classes, and the fiscal years 2025 to 2027.
 */
static int load_fa(struct store *st, void *arg)
{
	static const struct testenv_file files[] = {
		{ "currency", "currencies.csv" }, { "account", "chart-cn.csv" },
		{ "department", "departments.csv" }, { "series", "series.csv" },
		{ "faclass", "asset-classes-cn.csv" }, { NULL, NULL },
	};
	struct kerr e;

	(void)arg;
	if (testenv_import_all(st, files))
		return -1;
	for (int y = 2025; y <= 2027; y++)
		if (period_create_year(st, y, 1, &e)) {
			fprintf(stderr, "period %d: %s\n", y, e.msg);
			return -1;
		}
	return 0;
}

/* testenv's store with load_fa's data and the roles the postings use. */
static int setup(void **state)
{
	static const struct testenv_opts o = { .name = "fa", .load = load_fa };
	struct testenv *f;

	if (testenv_setup(state, &o))
		return -1;
	f = *state;
	set_role(f->st, "bank", "1002");
	set_role(f->st, "fa-gain", "6301");
	set_role(f->st, "fa-loss", "6711");
	return 0;
}

/* ------------------------------------------------------------ helpers */

static kdate day(const char *iso)
{
	kdate d;

	assert_int_equal(date_parse(iso, &d, NULL), 0);
	return d;
}

/* The id of the record of e with code. */
static int64_t id_of(struct store *st, const struct entity *e,
		     const char *code)
{
	struct store_txn *t = snap(st);
	void *rec = ent_new(e);
	struct kerr err;
	int64_t id;

	assert_non_null(rec);
	if (ent_get_code(t, e, code, rec, &err))
		fail_msg("%s %s: %s", e->name, code, err.msg);
	id = ((struct store_rec *)rec)->id;
	ent_free(e, rec);
	end(&t);
	return id;
}

/* Field of the record with code, as text (buf). */
static const char *field_of(struct store *st, const struct entity *e,
			    const char *code, const char *field, char *buf,
			    size_t n)
{
	struct store_txn *t = snap(st);
	void *rec = ent_new(e);
	struct kerr err;

	assert_non_null(rec);
	if (ent_get_code(t, e, code, rec, &err))
		fail_msg("%s %s: %s", e->name, code, err.msg);
	ent_field_get(t, fld(e, field), rec, buf, n);
	ent_free(e, rec);
	end(&t);
	return buf;
}

/*
 * The balance (debit - credit) of account `code` through `to`; for
 * cost centre cc (a department code) or, when NULL, summed over all.
 */
static int64_t bal(struct store *st, const char *code, const char *cc,
		   const char *to)
{
	int64_t acc = id_of(st, &account_entity, code);
	int64_t c = cc ? id_of(st, &department_entity, cc) : -1;
	struct store_txn *t = snap(st);
	struct gl_sum s;
	struct kerr err;

	kerr_clear(&err);
	if (gl_balance(t, acc, DATE_NONE, day(to), c, &s, &err))
		fail_msg("balance %s: %s", code, err.msg);
	end(&t);
	return s.closing;
}

/* Journal entries posted (all sources). */
static uint64_t entries(struct store *st)
{
	struct store_txn *t = snap(st);
	uint64_t n = 0;
	struct kerr err;

	assert_int_equal(store_count(t, &journal_schema, &n, &err), 0);
	end(&t);
	return n;
}

/* An asset: code, class, acquired, cost; then more name/value pairs. */
#define ASSET(st, code, cls, acq, cost, ...) \
	asset(st, code, cls, acq, cost, ##__VA_ARGS__, (const char *)NULL)
static struct asset *asset(struct store *st, const char *code,
			   const char *cls, const char *acq, const char *cost,
			   ...)
{
	struct asset *a = MAKE(st, &asset_entity, "code", code,
			       "name", "测试资产 test asset", "class", cls,
			       "acquired", acq, "cost", cost);
	const char *name, *value;
	va_list ap;

	va_start(ap, cost);
	while ((name = va_arg(ap, const char *))) {
		value = va_arg(ap, const char *);
		set(st, &asset_entity, a, name, value);
	}
	va_end(ap);
	return a;
}

static void asset_saved(struct store *st, struct asset *a)
{
	save_ok(st, &asset_entity, a);
	ent_free(&asset_entity, a);
}

static void add_usage(struct asset *a, const char *period, int64_t units)
{
	struct fa_use *v = realloc(a->usage.items,
				   (a->usage.n + 1) * sizeof *v);

	assert_non_null(v);
	a->usage.items = v;
	memset(&v[a->usage.n], 0, sizeof *v);
	v[a->usage.n].period = strdup(period);
	v[a->usage.n].units = units;
	a->usage.n++;
}

static struct fa_run_result run_ok(struct store *st, const char *period)
{
	struct fa_run_result r;
	struct kerr err;

	kerr_clear(&err);
	if (fa_depreciate(st, period, &r, &err))
		fail_msg("depreciate %s: %s", period, err.msg);
	return r;
}

static void run_fails(struct store *st, const char *period,
		      const char *want)
{
	struct fa_run_result r;
	struct kerr err;

	kerr_clear(&err);
	if (fa_depreciate(st, period, &r, &err) == 0)
		fail_msg("depreciate %s succeeded; expected \"%s\"", period,
			 want);
	if (!strstr(err.msg, want))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
}

/* Posts the purchase of an asset: Dr 1601 / Cr 1002. */
static void buy(struct store *st, const char *date, int64_t amount)
{
	struct store_txn *t = NULL;
	struct journal j;
	struct jline l[2];
	struct kerr err;

	memset(&j, 0, sizeof j);
	memset(l, 0, sizeof l);
	j.date = day(date);
	j.description = strdup("Purchase");
	l[0].account = id_of(st, &account_entity, "1601");
	l[0].debit = amount;
	l[1].account = id_of(st, &account_entity, "1002");
	l[1].credit = amount;
	j.lines.items = malloc(sizeof l);
	memcpy(j.lines.items, l, sizeof l);
	j.lines.n = 2;
	kerr_clear(&err);
	assert_int_equal(store_txn_begin(st, false, &t, &err), 0);
	if (gl_post(t, &j, &err))
		fail_msg("buy: %s", err.msg);
	assert_int_equal(store_txn_commit(&t, &err), 0);
	store_rec_clear(&journal_schema, &j);
}

/* ------------------------------------------------------------- classes */

static void test_class_rules(void **state)
{
	struct testenv *f = *state;
	struct faclass *c;

	c = MAKE(f->st, &faclass_entity, "code", "TOOLS", "name", "工具");
	/* The defaults of a new class. */
	assert_string_equal(c->method, "straight-line");
	assert_string_equal(c->convention, "next-month");
	set(f->st, &faclass_entity, c, "method", "linear");
	save_fails(f->st, &faclass_entity, c, "method",
		   "method must be straight-line, declining");
	set(f->st, &faclass_entity, c, "method", "sum-of-years");
	set(f->st, &faclass_entity, c, "life_months", "30");
	save_fails(f->st, &faclass_entity, c, "life_months", "whole years");
	set(f->st, &faclass_entity, c, "life_months", "36");
	set(f->st, &faclass_entity, c, "convention", "mid-month");
	save_fails(f->st, &faclass_entity, c, "convention",
		   "full-month or next-month");
	set(f->st, &faclass_entity, c, "convention", "full-month");
	set(f->st, &faclass_entity, c, "asset_account", "1");   /* 资产类 */
	save_fails(f->st, &faclass_entity, c, "asset_account",
		   "account 1 is a heading");
	set(f->st, &faclass_entity, c, "asset_account", "1601");
	set(f->st, &faclass_entity, c, "depr_account", "1601");
	save_fails(f->st, &faclass_entity, c, "depr_account",
		   "must differ from asset_account");
	set(f->st, &faclass_entity, c, "depr_account", "1602");
	set(f->st, &faclass_entity, c, "rate", "1.5");
	save_fails(f->st, &faclass_entity, c, "rate", "at most 1");
	set(f->st, &faclass_entity, c, "rate", "");
	save_ok(f->st, &faclass_entity, c);
	ent_free(&faclass_entity, c);
}

/* --------------------------------------------------------------- assets */

static void test_asset_takes_class(void **state)
{
	struct testenv *f = *state;
	char b[64];

	/* MACH (data/asset-classes-cn.csv): 120 months, 1601/1602/5101. */
	asset_saved(f->st, ASSET(f->st, "FA-0001", "MACH", "2026-01-10",
				 "120000", "department", "D500"));
	assert_string_equal(field_of(f->st, &asset_entity, "FA-0001", "method",
				     b, sizeof b), "straight-line");
	assert_string_equal(field_of(f->st, &asset_entity, "FA-0001",
				     "life_months", b, sizeof b), "120");
	assert_string_equal(field_of(f->st, &asset_entity, "FA-0001",
				     "convention", b, sizeof b), "next-month");
	assert_string_equal(field_of(f->st, &asset_entity, "FA-0001",
				     "asset_account", b, sizeof b), "1601");
	assert_string_equal(field_of(f->st, &asset_entity, "FA-0001",
				     "depr_account", b, sizeof b), "1602");
	assert_string_equal(field_of(f->st, &asset_entity, "FA-0001",
				     "expense_account", b, sizeof b), "5101");
	assert_string_equal(field_of(f->st, &asset_entity, "FA-0001",
				     "status", b, sizeof b), "active");
	/* Its own terms win over the class's. */
	asset_saved(f->st, ASSET(f->st, "FA-0002", "MACH", "2026-01-10",
				 "5000", "life_months", "24", "method",
				 "declining", "expense_account", "6602"));
	assert_string_equal(field_of(f->st, &asset_entity, "FA-0002",
				     "life_months", b, sizeof b), "24");
	assert_string_equal(field_of(f->st, &asset_entity, "FA-0002", "method",
				     b, sizeof b), "declining");
	assert_string_equal(field_of(f->st, &asset_entity, "FA-0002",
				     "expense_account", b, sizeof b), "6602");
}

static void test_asset_rules(void **state)
{
	struct testenv *f = *state;
	struct asset *a;

	a = ASSET(f->st, "FA-0100", "MACH", "2026-01-10", "1000");
	set(f->st, &asset_entity, a, "salvage", "1000.01");
	save_fails(f->st, &asset_entity, a, "salvage",
		   "salvage must not be more than the cost");
	set(f->st, &asset_entity, a, "salvage", "-1");
	save_fails(f->st, &asset_entity, a, "salvage", "0 or more");
	set(f->st, &asset_entity, a, "salvage", "100");
	set(f->st, &asset_entity, a, "cost", "0");
	save_fails(f->st, &asset_entity, a, "cost", "more than 0");
	set(f->st, &asset_entity, a, "cost", "1000");
	set(f->st, &asset_entity, a, "life_months", "-5");
	save_fails(f->st, &asset_entity, a, "life_months", "1 to 1200");
	set(f->st, &asset_entity, a, "life_months", "1201");
	save_fails(f->st, &asset_entity, a, "life_months", "1 to 1200");
	set(f->st, &asset_entity, a, "life_months", "");
	set(f->st, &asset_entity, a, "method", "sum-of-years");
	set(f->st, &asset_entity, a, "life_months", "30");
	save_fails(f->st, &asset_entity, a, "life_months", "whole years");
	set(f->st, &asset_entity, a, "life_months", "");
	set(f->st, &asset_entity, a, "method", "linear");
	save_fails(f->st, &asset_entity, a, "method",
		   "method must be straight-line");
	set(f->st, &asset_entity, a, "method", "units");
	save_fails(f->st, &asset_entity, a, "total_units", "more than 0");
	set(f->st, &asset_entity, a, "method", "");
	add_usage(a, "2026-02", 1000);
	save_fails(f->st, &asset_entity, a, "usage",
		   "usage is recorded for the units method only");
	set(f->st, &asset_entity, a, "method", "units");
	set(f->st, &asset_entity, a, "total_units", "10000");
	add_usage(a, "2026-02", 500);
	save_fails(f->st, &asset_entity, a, "usage",
		   "usage 2: 2026-02 is there already (usage 1)");
	free(((struct fa_use *)a->usage.items)[1].period);
	((struct fa_use *)a->usage.items)[1].period = strdup("2026-13");
	save_fails(f->st, &asset_entity, a, "usage",
		   "usage 2: period \"2026-13\" is not a month");
	store_field_clear(fld(&asset_entity, "usage"), a);
	set(f->st, &asset_entity, a, "method", "");
	set(f->st, &asset_entity, a, "expense_account", "6");   /* 损益类 */
	save_fails(f->st, &asset_entity, a, "expense_account",
		   "account 6 is a heading");
	set(f->st, &asset_entity, a, "expense_account", "");
	set(f->st, &asset_entity, a, "accumulated", "300");
	save_fails(f->st, &asset_entity, a, "depreciated_to",
		   "depreciated_to is required");
	set(f->st, &asset_entity, a, "depreciated_to", "2025-12");
	save_fails(f->st, &asset_entity, a, "depreciated_to",
		   "before the first month depreciated (2026-02)");
	set(f->st, &asset_entity, a, "depreciated_to", "2026-04");
	set(f->st, &asset_entity, a, "accumulated", "900.01");
	save_fails(f->st, &asset_entity, a, "accumulated",
		   "accumulated must be 0 to cost - salvage (900.00)");
	set(f->st, &asset_entity, a, "accumulated", "300");
	set(f->st, &asset_entity, a, "status", "fully-depreciated");
	save_fails(f->st, &asset_entity, a, "status",
		   "accumulated equals cost - salvage (900.00)");
	set(f->st, &asset_entity, a, "status", "disposed");
	save_fails(f->st, &asset_entity, a, "disposal_date",
		   "a disposed asset needs its disposal_date");
	set(f->st, &asset_entity, a, "status", "active");
	set(f->st, &asset_entity, a, "disposal_date", "2025-05-01");
	save_fails(f->st, &asset_entity, a, "disposal_date",
		   "before the asset was acquired");
	set(f->st, &asset_entity, a, "disposal_date", "");
	set(f->st, &asset_entity, a, "class", "");
	save_fails(f->st, &asset_entity, a, "class", "class is required");
	set(f->st, &asset_entity, a, "class", "MACH");
	/* An opening balance brought over: 300.00 through April. */
	save_ok(f->st, &asset_entity, a);
	/* The kept fields are not edited. */
	set(f->st, &asset_entity, a, "accumulated", "400");
	save_fails(f->st, &asset_entity, a, "accumulated",
		   "kept by the depreciation runs and disposal");
	set(f->st, &asset_entity, a, "accumulated", "300");
	set(f->st, &asset_entity, a, "status", "disposed");
	set(f->st, &asset_entity, a, "disposal_date", "2026-05-01");
	save_fails(f->st, &asset_entity, a, "status", "kept by");
	set(f->st, &asset_entity, a, "status", "active");
	set(f->st, &asset_entity, a, "disposal_date", "");
	/* Depreciated: the terms are fixed, the name and place are not. */
	set(f->st, &asset_entity, a, "cost", "2000");
	save_fails(f->st, &asset_entity, a, "cost",
		   "asset FA-0100 is depreciated through 2026-04: cost is fixed");
	set(f->st, &asset_entity, a, "cost", "1000");
	set(f->st, &asset_entity, a, "life_months", "60");
	save_fails(f->st, &asset_entity, a, "life_months", "is fixed");
	set(f->st, &asset_entity, a, "life_months", "120");
	set(f->st, &asset_entity, a, "location", "上海 3F");
	set(f->st, &asset_entity, a, "department", "D200");
	save_ok(f->st, &asset_entity, a);
	ent_free(&asset_entity, a);
}

/* ------------------------------------------------------------ the run */

/*
 * Two assets:
 *   FA-A  MACH, next-month, acquired 2026-01-10, 120,000.00, no
 *         salvage, 120 months: 1,000.00 a month from February, to
 *         5101 制造费用 for D500.
 *   FA-B  FURN, next-month, acquired 2025-12-20, 6,000.00, 60 months:
 *         100.00 a month from January, to 6602 管理费用 for D200.
 */
static void two_assets(struct store *st)
{
	asset_saved(st, ASSET(st, "FA-A", "MACH", "2026-01-10", "120000",
			      "department", "D500"));
	asset_saved(st, ASSET(st, "FA-B", "FURN", "2025-12-20", "6000",
			      "department", "D200"));
}

static void test_run_posts_once(void **state)
{
	struct testenv *f = *state;
	struct fa_run_result r;
	char b[64];

	two_assets(f->st);
	/* January: FA-B only (FA-A starts the month after it came). */
	r = run_ok(f->st, "2026-01");
	assert_false(r.already);
	assert_int_equal(r.assets, 1);
	assert_true(r.amount == Y(100));
	assert_string_equal(r.journal, "JE-000001");
	assert_true(bal(f->st, "6602", "D200", "2026-01-31") == Y(100));
	assert_true(bal(f->st, "1602", NULL, "2026-01-31") == -Y(100));
	assert_true(bal(f->st, "5101", NULL, "2026-01-31") == 0);
	/*
	 * February: 1,000.00 + 100.00 = 1,100.00 in one entry: Dr 5101
	 * (D500) 1,000.00, Dr 6602 (D200) 100.00, Cr 1602 1,100.00.
	 */
	r = run_ok(f->st, "2026-02");
	assert_int_equal(r.assets, 2);
	assert_true(r.amount == Y(1100));
	assert_string_equal(r.journal, "JE-000002");
	assert_true(bal(f->st, "5101", "D500", "2026-02-28") == Y(1000));
	assert_true(bal(f->st, "6602", "D200", "2026-02-28") == Y(200));
	assert_true(bal(f->st, "1602", NULL, "2026-02-28") == -Y(1200));
	assert_int_equal(entries(f->st), 2);
	/* Again: nothing more, and it says which entry holds it. */
	r = run_ok(f->st, "2026-02");
	assert_true(r.already);
	assert_string_equal(r.journal, "JE-000002");
	assert_int_equal(entries(f->st), 2);
	assert_true(bal(f->st, "1602", NULL, "2026-12-31") == -Y(1200));
	r = run_ok(f->st, "2026-01");
	assert_true(r.already);
	assert_int_equal(entries(f->st), 2);
	/* What the assets keep. */
	assert_string_equal(field_of(f->st, &asset_entity, "FA-A",
				     "accumulated", b, sizeof b), "1000.00");
	assert_string_equal(field_of(f->st, &asset_entity, "FA-A",
				     "depreciated_to", b, sizeof b), "2026-02");
	assert_string_equal(field_of(f->st, &asset_entity, "FA-B",
				     "accumulated", b, sizeof b), "200.00");
	/* The run records. */
	assert_string_equal(field_of(f->st, &farun_entity, "2026-02", "status",
				     b, sizeof b), "posted");
	assert_string_equal(field_of(f->st, &farun_entity, "2026-02", "journal",
				     b, sizeof b), "JE-000002");
	assert_string_equal(field_of(f->st, &farun_entity, "2026-02", "amount",
				     b, sizeof b), "1100.00");
}

static void test_run_order(void **state)
{
	struct testenv *f = *state;

	two_assets(f->st);
	run_ok(f->st, "2026-01");
	run_ok(f->st, "2026-02");
	/* A month skipped: refused, nothing posted. */
	run_fails(f->st, "2026-04",
		  "run the depreciation of 2026-03 first: the last run was 2026-02");
	assert_int_equal(entries(f->st), 2);
	/* Before the runs: refused. */
	run_fails(f->st, "2025-12",
		  "depreciation is posted through 2026-02 already; 2025-12 comes before it");
	/* Bad input. */
	run_fails(f->st, "2026-3", "not a period");
	run_fails(f->st, "2026-13", "not a period");
	run_fails(f->st, "2030-01", "no period 2030-01");
	run_ok(f->st, "2026-03");
	run_ok(f->st, "2026-04");
	assert_true(bal(f->st, "1602", NULL, "2026-12-31") ==
		    -Y(3000 + 400));
}

/* Closes period code through its record (as the screen's action does). */
static void close_period(struct store *st, const char *code)
{
	struct period *p = ent_new(&period_entity);
	struct store_txn *t = snap(st);
	struct kerr err;

	assert_non_null(p);
	assert_int_equal(ent_get_code(t, &period_entity, code, p, &err), 0);
	end(&t);
	set(st, &period_entity, p, "status", "closed");
	save_ok(st, &period_entity, p);
	ent_free(&period_entity, p);
}

static void test_closed_period(void **state)
{
	struct testenv *f = *state;

	two_assets(f->st);
	close_period(f->st, "2026-01");
	run_fails(f->st, "2026-01", "period 2026-01 is closed");
	assert_int_equal(entries(f->st), 0);
	/* No run was recorded either: February waits for nothing. */
	run_ok(f->st, "2026-02");
}

/*
 * An asset entered late is caught up by the next run: FA-C, full-month,
 * acquired 2026-01-05, 1,200.00 over 12 months = 100.00 a month, saved
 * after the runs of January and February: March posts January to
 * March, 300.00.
 */
static void test_catch_up(void **state)
{
	struct testenv *f = *state;
	struct fa_run_result r;
	char b[64];

	two_assets(f->st);
	run_ok(f->st, "2026-01");
	run_ok(f->st, "2026-02");
	asset_saved(f->st, ASSET(f->st, "FA-C", "FURN", "2026-01-05", "1200",
				 "life_months", "12", "convention",
				 "full-month", "department", "D300"));
	r = run_ok(f->st, "2026-03");
	/* 1,000.00 (FA-A) + 100.00 (FA-B) + 300.00 (FA-C). */
	assert_true(r.amount == Y(1400));
	assert_true(bal(f->st, "6602", "D300", "2026-03-31") == Y(300));
	assert_string_equal(field_of(f->st, &asset_entity, "FA-C",
				     "accumulated", b, sizeof b), "300.00");
}

/*
 * To the end of the life: FA-D, declining without a rate, full-month,
 * acquired 2026-01-01, cost 10,000.00, salvage 1,000.00, 24 months:
 * 2 / 2 years = 100% a year.  Year 1: 10,000.00 x 100% = 10,000.00,
 * more than cost - salvage, so 9,000.00 (never below salvage), 750.00
 * a month (straight-line, 9,000.00 / 24 = 375.00 a month, gives less
 * than 10,000.00 x 100% / 12 = 833.33).  Year 2: nothing is left.  The
 * runs of 2026 post 750.00 each, exactly 9,000.00 in all, and December
 * leaves the asset fully depreciated.
 */
static void test_to_the_end(void **state)
{
	struct testenv *f = *state;
	struct fa_run_result r;
	char b[64];

	asset_saved(f->st, ASSET(f->st, "FA-D", "VEH", "2026-01-01", "10000",
				 "salvage", "1000", "life_months", "24",
				 "method", "declining", "convention",
				 "full-month"));
	for (int m = 1; m <= 12; m++) {
		char p[8];
		snprintf(p, sizeof p, "2026-%02d", m);
		r = run_ok(f->st, p);
		assert_true(r.amount == Y(750));
		assert_int_equal(r.fully, m == 12);
	}
	assert_string_equal(field_of(f->st, &asset_entity, "FA-D", "status",
				     b, sizeof b), "fully-depreciated");
	assert_true(bal(f->st, "1602", NULL, "2026-12-31") == -Y(9000));
	/* Fully depreciated: the next runs post nothing for it. */
	r = run_ok(f->st, "2027-01");
	assert_int_equal(r.assets, 0);
	assert_string_equal(r.journal, "");
	assert_string_equal(field_of(f->st, &farun_entity, "2027-01", "status",
				     b, sizeof b), "posted");
	assert_true(bal(f->st, "1602", NULL, "2027-12-31") == -Y(9000));
}

/*
 * Units of production: a truck of 100,000 km, cost 100,000.00, salvage
 * 4,000.00 (0.96 a km), next-month from January.  February 3,000 km:
 * 2,880.00; March none recorded: nothing, but the month is run;
 * April 1,234.567 km: 1,185.18.
 */
static void test_units_run(void **state)
{
	struct testenv *f = *state;
	struct asset *a;
	struct fa_run_result r;
	char b[64];

	a = ASSET(f->st, "TRUCK", "VEH", "2026-01-15", "100000", "salvage",
		  "4000", "method", "units", "total_units", "100000");
	add_usage(a, "2026-02", 3000000);
	add_usage(a, "2026-04", 1234567);
	asset_saved(f->st, a);
	r = run_ok(f->st, "2026-01");
	assert_int_equal(r.assets, 0);
	r = run_ok(f->st, "2026-02");
	assert_true(r.amount == Y(2880));
	r = run_ok(f->st, "2026-03");
	assert_true(r.amount == 0);
	r = run_ok(f->st, "2026-04");
	assert_true(r.amount == 118518);
	assert_string_equal(field_of(f->st, &asset_entity, "TRUCK",
				     "accumulated", b, sizeof b), "4065.18");
	assert_true(bal(f->st, "6602", NULL, "2026-04-30") == 406518);
	/* The usage of a month posted is fixed; a later month's is not. */
	a = ent_new(&asset_entity);
	{
		struct store_txn *t = snap(f->st);
		struct kerr err;
		assert_int_equal(ent_get_code(t, &asset_entity, "TRUCK", a,
					      &err), 0);
		end(&t);
	}
	((struct fa_use *)a->usage.items)[0].units = 4000000;
	save_fails(f->st, &asset_entity, a, "usage",
		   "depreciated through 2026-04: usage is fixed");
	((struct fa_use *)a->usage.items)[0].units = 3000000;
	add_usage(a, "2026-05", 2000000);
	save_ok(f->st, &asset_entity, a);
	ent_free(&asset_entity, a);
	r = run_ok(f->st, "2026-05");
	assert_true(r.amount == Y(1920));            /* 2,000 km x 0.96 */
}

/* ------------------------------------------------------------ disposal */

/*
 * A gain: FA-A (1,000.00 a month from February, next-month) is bought
 * for 120,000.00, depreciated through March (2,000.00), and sold on
 * 2026-04-15 for 119,000.00.  Next-month: April is depreciated first
 * (1,000.00), so accumulated 3,000.00, book value 117,000.00, gain
 * 2,000.00.  The entry: Dr 5101 1,000.00 / Cr 1602 1,000.00;
 * Dr 1602 3,000.00, Dr 1002 119,000.00, Cr 6301 2,000.00,
 * Cr 1601 120,000.00.  Afterwards 1601 and 1602 are back to nothing
 * and the bank holds 119,000.00 - 120,000.00 = -1,000.00.
 */
static void test_dispose_gain(void **state)
{
	struct testenv *f = *state;
	struct fa_disposal out;
	struct fa_run_result r;
	struct kerr err;
	char b[64];

	asset_saved(f->st, ASSET(f->st, "FA-A", "MACH", "2026-01-10", "120000",
				 "department", "D500"));
	buy(f->st, "2026-01-10", Y(120000));
	run_ok(f->st, "2026-01");
	run_ok(f->st, "2026-02");
	run_ok(f->st, "2026-03");
	assert_true(bal(f->st, "1602", NULL, "2026-03-31") == -Y(2000));
	kerr_clear(&err);
	if (fa_dispose(f->st, "FA-A", day("2026-04-15"), Y(119000), 0, &out,
		       &err))
		fail_msg("dispose: %s", err.msg);
	assert_true(out.depreciation == Y(1000));
	assert_true(out.book == Y(117000));
	assert_true(out.gain == Y(2000));
	assert_true(bal(f->st, "5101", "D500", "2026-04-30") == Y(3000));
	assert_true(bal(f->st, "1602", NULL, "2026-04-30") == 0);
	assert_true(bal(f->st, "1601", NULL, "2026-04-30") == 0);
	assert_true(bal(f->st, "6301", NULL, "2026-04-30") == -Y(2000));
	assert_true(bal(f->st, "1002", NULL, "2026-04-30") == -Y(1000));
	assert_string_equal(field_of(f->st, &asset_entity, "FA-A", "status",
				     b, sizeof b), "disposed");
	assert_string_equal(field_of(f->st, &asset_entity, "FA-A",
				     "depreciated_to", b, sizeof b), "2026-04");
	/* The April run posts nothing more for it. */
	r = run_ok(f->st, "2026-04");
	assert_int_equal(r.assets, 0);
	assert_true(bal(f->st, "5101", NULL, "2026-12-31") == Y(3000));
	/* Once is enough. */
	kerr_clear(&err);
	assert_int_equal(fa_dispose(f->st, "FA-A", day("2026-05-01"), 0, 0,
				    &out, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "FA-A was disposed of on 2026-04-15"));
	/* The disposal is not edited afterwards. */
	{
		struct asset *a = ent_new(&asset_entity);
		struct store_txn *t = snap(f->st);
		assert_int_equal(ent_get_code(t, &asset_entity, "FA-A", a,
					      &err), 0);
		end(&t);
		set(f->st, &asset_entity, a, "proceeds", "1");
		save_fails(f->st, &asset_entity, a, "disposal_date",
			   "its disposal is posted");
		ent_free(&asset_entity, a);
	}
}

/*
 * A loss, full-month: FA-E, acquired 2026-01-01, 12,000.00 over 12
 * months = 1,000.00 a month from January, depreciated through February
 * (2,000.00), scrapped on 2026-03-20 for 5,000.00 into 1001 (cash).
 * Full-month: March is not depreciated; book value 10,000.00, loss
 * 5,000.00: Dr 1602 2,000.00, Dr 1001 5,000.00, Dr 6711 5,000.00,
 * Cr 1601 12,000.00.
 */
static void test_dispose_loss(void **state)
{
	struct testenv *f = *state;
	struct fa_disposal out;
	struct kerr err;

	asset_saved(f->st, ASSET(f->st, "FA-E", "FURN", "2026-01-01", "12000",
				 "life_months", "12", "convention",
				 "full-month"));
	run_ok(f->st, "2026-01");
	run_ok(f->st, "2026-02");
	/* Not before it was acquired, nor with negative proceeds. */
	kerr_clear(&err);
	assert_int_equal(fa_dispose(f->st, "FA-E", day("2025-12-31"), 0, 0,
				    &out, &err), K_EINVAL);
	assert_string_equal(err.field, "disposal_date");
	assert_int_equal(fa_dispose(f->st, "FA-E", day("2026-03-20"), -1, 0,
				    &out, &err), K_EINVAL);
	assert_string_equal(err.field, "proceeds");
	assert_int_equal(fa_dispose(f->st, "NOPE", day("2026-03-20"), 0, 0,
				    &out, &err), K_ENOTFOUND);
	/* Nor in a month already depreciated past (full-month: February). */
	assert_int_equal(fa_dispose(f->st, "FA-E", day("2026-02-10"), 0, 0,
				    &out, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "take depreciation back"));
	assert_int_equal(entries(f->st), 2);
	if (fa_dispose(f->st, "FA-E", day("2026-03-20"), Y(5000),
		       id_of(f->st, &account_entity, "1001"), &out, &err))
		fail_msg("dispose: %s", err.msg);
	assert_true(out.depreciation == 0);
	assert_true(out.book == Y(10000));
	assert_true(out.gain == -Y(5000));
	assert_true(bal(f->st, "1602", NULL, "2026-03-31") == 0);
	assert_true(bal(f->st, "1601", NULL, "2026-03-31") == -Y(12000));
	assert_true(bal(f->st, "1001", NULL, "2026-03-31") == Y(5000));
	assert_true(bal(f->st, "6711", NULL, "2026-03-31") == Y(5000));
	assert_true(bal(f->st, "6602", NULL, "2026-03-31") == Y(2000));
}

/* A disposal into a closed period is refused; nothing changes. */
static void test_dispose_closed(void **state)
{
	struct testenv *f = *state;
	struct fa_disposal out;
	struct kerr err;
	char b[64];

	two_assets(f->st);
	close_period(f->st, "2026-01");
	kerr_clear(&err);
	assert_int_equal(fa_dispose(f->st, "FA-B", day("2026-01-20"), 0, 0,
				    &out, &err), K_EINVAL);
	assert_non_null(strstr(err.msg, "period 2026-01 is closed"));
	assert_string_equal(field_of(f->st, &asset_entity, "FA-B", "status",
				     b, sizeof b), "active");
	assert_int_equal(entries(f->st), 0);
}

/* ------------------------------------------------------------ reports */

static char *report(struct store *st, const char *name, const char *param,
		    const char *value, enum rformat fmt)
{
	const struct report *r = report_find(name);
	struct rparams given = { .n = 0 }, p;
	struct rmeta m = {
		.company = "示范公司", .user = "tester",
		.run_us = INT64_C(1773532800) * 1000000,
		.width = 80, .page_lines = 66,
	};
	unsigned long rows = 0;
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	struct kerr err;

	assert_non_null(r);
	if (param) {
		given.name[0] = param;
		given.value[0] = value;
		given.n = 1;
	}
	kerr_clear(&err);
	if (report_params(r, &given, &p, &err))
		fail_msg("params: %s", err.msg);
	out = open_memstream(&text, &len);
	assert_non_null(out);
	if (report_run(st, r, &p, &m, fmt, out, &rows, &err))
		fail_msg("report %s: %s", name, err.msg);
	fclose(out);
	return text;
}

static void has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("\"%s\" not in:\n%s", want, text);
}

static void test_reports(void **state)
{
	struct testenv *f = *state;
	char *s;

	two_assets(f->st);
	run_ok(f->st, "2026-01");
	run_ok(f->st, "2026-02");
	/* The schedule: 1,000.00 a month from February, 120 months. */
	s = report(f->st, "depreciation-schedule", "asset", "FA-A", RFMT_CSV);
	has(s, "period,depreciation,accumulated,book_value,posted\n"
	       "2026-02,1000.00,1000.00,119000.00,yes\n"
	       "2026-03,1000.00,2000.00,118000.00,\n");
	has(s, "2036-01,1000.00,120000.00,0.00,\n");
	{
		int lines = 0;
		for (char *p = s; *p; p++)
			lines += *p == '\n';
		assert_int_equal(lines, 1 + 120);
	}
	free(s);
	s = report(f->st, "depreciation-schedule", "asset", "FA-A", RFMT_TEXT);
	has(s, "Depreciation schedule");
	has(s, "Year 1");
	has(s, "12,000.00");          /* the year's subtotal */
	has(s, "120,000.00");         /* the grand total */
	free(s);
	/* The register: by class, with book values and totals. */
	s = report(f->st, "asset-register", NULL, NULL, RFMT_CSV);
	has(s, "code,name,acquired,method,life_months,department,cost,accumulated,book_value,status\n");
	has(s, "FA-A,测试资产 test asset,2026-01-10,straight-line,120,D500,120000.00,1000.00,119000.00,active\n");
	has(s, "FA-B,测试资产 test asset,2025-12-20,straight-line,60,D200,6000.00,200.00,5800.00,active\n");
	free(s);
	s = report(f->st, "asset-register", NULL, NULL, RFMT_TEXT);
	has(s, "Class: MACH 机器设备");
	has(s, "Class: FURN 办公家具");
	has(s, "126,000.00");         /* cost, both */
	has(s, "124,800.00");         /* book value, both */
	free(s);
	s = report(f->st, "asset-register", "class", "FURN", RFMT_CSV);
	has(s, "FA-B");
	assert_null(strstr(s, "FA-A"));
	free(s);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, testenv_teardown)
	const struct CMUnitTest tests[] = {
		T(test_class_rules),
		T(test_asset_takes_class),
		T(test_asset_rules),
		T(test_run_posts_once),
		T(test_run_order),
		T(test_closed_period),
		T(test_catch_up),
		T(test_to_the_end),
		T(test_units_run),
		T(test_dispose_gain),
		T(test_dispose_loss),
		T(test_dispose_closed),
		T(test_reports),
	};
#undef T

	return cmocka_run_group_tests_name("fa", tests, NULL, NULL);
}
