/*
 * test_gl_reports.c - the general ledger's reports, its journal import
 * and its hledger export, on entries posted with gl_post() into a real
 * environment.
 *
 * Every test gets the shared fixture (tests/unit/testenv.h: a fresh
 * store in a temporary folder) loaded with the shipped Chinese chart (or
 * the IFRS one) with its currencies, terms and account roles, the demo
 * departments and parties, and the fiscal year 2026.  The
 * reports' row sources are called directly, inside a snapshot, with an
 * emit that keeps every row, so the tests see what a renderer would:
 * the cells, the indentation and which rows are headings.
 *
 * The books of most tests (post_books), amounts in CNY:
 *   E1 2026-01-05  1002 银行存款 Dr 1,000.00 / 4001 实收资本 Cr 1,000.00
 *   E2 2026-02-10  1122 应收账款 Dr 113.00 (party P1001)
 *                  6001 主营业务收入 Cr 100.00 (cost centre CC310)
 *                  2221.02 销项税额 Cr 13.00
 *   E3 2026-02-20  6602 管理费用 Dr 50.00 (cost centre D100)
 *                  1002 银行存款 Cr 50.00
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/date.h"
#include "base/kerr.h"
#include "base/num.h"
#include "finance/gl.h"
#include "finance/gl_layout.h"
#include "finance/glrep.h"
#include "masters/csvio.h"
#include "masters/entity.h"
#include "masters/fin.h"
#include "masters/masters.h"
#include "masters/ops.h"
#include "store/store.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ fixture */

#include "../testenv.h"

#define fix testenv

/* The chart arg ("cn", "ifrs") with what goes with it, and 2026. */
static int load_books(struct store *st, void *arg)
{
	const char *chart = arg;
	char file[64], roles[64];
	struct kerr e;

	snprintf(file, sizeof file, "chart-%s.csv", chart);
	snprintf(roles, sizeof roles, "roles-%s.csv", chart);
	kerr_clear(&e);
	if (testenv_import(st, "currency", "currencies.csv", NULL) ||
	    testenv_import(st, "account", file, NULL) ||
	    testenv_import(st, "terms", "terms.csv", NULL) ||
	    testenv_import(st, "department", "departments.csv", NULL) ||
	    testenv_import(st, "series", "series.csv", NULL) ||
	    testenv_import(st, "party", "parties.csv", NULL) ||
	    testenv_import(st, "glrole", roles, NULL))
		return -1;
	if (period_create_year(st, 2026, 1, &e)) {
		fprintf(stderr, "period_create_year: %s\n", e.msg);
		return -1;
	}
	return 0;
}

static int setup(void **state)
{
	static const struct testenv_opts o = { .name = "glrep",
		.load = load_books, .arg = "cn" };
	return testenv_setup(state, &o);
}

static int setup_ifrs(void **state)
{
	static const struct testenv_opts o = { .name = "glrep",
		.load = load_books, .arg = "ifrs" };
	return testenv_setup(state, &o);
}

#define teardown testenv_teardown

/* ------------------------------------------------------------ posting */

static int64_t id_of(struct store *st, const struct entity *e,
		     const char *code)
{
	struct store_txn *t = NULL;
	void *rec = calloc(1, e->schema->size);
	int64_t id = 0;
	struct kerr err;

	assert_non_null(rec);
	assert_int_equal(store_txn_begin(st, true, &t, &err), 0);
	if (store_find_text(t, e->schema, e->code_index, code, rec, &err) == 0)
		id = ((struct store_rec *)rec)->id;
	store_txn_commit(&t, &err);
	store_rec_clear(e->schema, rec);
	free(rec);
	assert_true(id != 0);
	return id;
}

/* One line as given to post(): amounts in minor units. */
struct pl {
	const char *account;
	int64_t debit, credit;
	const char *party, *cc, *memo;
};

struct post_arg {
	struct store *st;
	const char *date, *desc;
	const struct pl *lines;
	size_t n;
	int64_t ids[16][3];         /* account, party, cost centre */
	char code[32];
};

static int post_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct post_arg *a = arg;
	struct journal j;
	struct jline *l = calloc(a->n, sizeof *l);
	int ret;

	if (!l)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	memset(&j, 0, sizeof j);
	date_parse(a->date, &j.date, NULL);
	j.description = strdup(a->desc);
	for (size_t i = 0; i < a->n; i++) {
		l[i].account = a->ids[i][0];
		l[i].party = a->ids[i][1];
		l[i].cost_centre = a->ids[i][2];
		l[i].debit = a->lines[i].debit;
		l[i].credit = a->lines[i].credit;
		l[i].memo = a->lines[i].memo ? strdup(a->lines[i].memo) : NULL;
	}
	j.lines.items = l;
	j.lines.n = a->n;
	/* A line on a control account is what a subledger posts (gl_check
	   refuses it by hand). */
	static const char *const role[][2] = {
		{ "receivable", "ar" }, { "payable", "ap" },
	};
	for (size_t k = 0; k < 2 && !j.source; k++) {
		int64_t acc = 0;
		if (gl_role_account(t, role[k][0], &acc, NULL) != 0)
			continue;
		for (size_t i = 0; i < a->n && !j.source; i++)
			if (l[i].account == acc)
				j.source = strdup(role[k][1]);
	}
	ret = gl_post(t, &j, err);
	if (!ret)
		snprintf(a->code, sizeof a->code, "%s", j.code ? j.code : "");
	store_rec_clear(&journal_schema, &j);
	return ret;
}

/* Posts one entry; returns its code. */
static const char *post(struct store *st, const char *date, const char *desc,
			const struct pl *lines, size_t n)
{
	static struct post_arg a;
	struct kerr err;

	memset(&a, 0, sizeof a);
	a.st = st;
	a.date = date;
	a.desc = desc;
	a.lines = lines;
	a.n = n;
	for (size_t i = 0; i < n; i++) {
		a.ids[i][0] = id_of(st, &account_entity, lines[i].account);
		if (lines[i].party)
			a.ids[i][1] = id_of(st, &party_entity, lines[i].party);
		if (lines[i].cc)
			a.ids[i][2] = id_of(st, &department_entity, lines[i].cc);
	}
	kerr_clear(&err);
	if (store_write(st, post_fn, &a, &err))
		fail_msg("post %s %s: %s", date, desc, err.msg);
	return a.code;
}

#define C(x) ((int64_t)(x) * 100)   /* whole units in minor units */

static void post_books(struct store *st)
{
	const struct pl e1[] = {
		{ "1002", C(1000), 0, NULL, NULL, NULL },
		{ "4001", 0, C(1000), NULL, NULL, NULL },
	};
	const struct pl e2[] = {
		{ "1122", C(113), 0, "P1001", NULL, NULL },
		{ "6001", 0, C(100), NULL, "CC310", NULL },
		{ "2221.02", 0, C(13), NULL, NULL, NULL },
	};
	const struct pl e3[] = {
		{ "6602", C(50), 0, NULL, "D100", "taxi; receipts" },
		{ "1002", 0, C(50), NULL, NULL, NULL },
	};

	assert_string_equal(post(st, "2026-01-05", "Capital", e1, 2),
			    "JE-000001");
	post(st, "2026-02-10", "Sale INV-1", e2, 3);
	post(st, "2026-02-20", "Expenses: February", e3, 2);
}

/* ------------------------------------------------------- running reports */

#define MAXROWS 512
#define MAXCOLS 12

struct crow {
	char c0[160];
	char c1[160];
	char group[200];
	bool heading;
	int indent;
	int64_t num[MAXCOLS];
	bool empty[MAXCOLS];
};

struct rows {
	size_t n, ncols;
	struct crow r[MAXROWS];
};

static int keep(void *arg, const struct rrow *row, struct kerr *err)
{
	struct rows *x = arg;
	struct crow *c;

	(void)err;
	assert_true(x->n < MAXROWS);
	c = &x->r[x->n++];
	memset(c, 0, sizeof *c);
	snprintf(c->c0, sizeof c->c0, "%s",
		 row->cells[0].text ? row->cells[0].text : "");
	if (x->ncols > 1)
		snprintf(c->c1, sizeof c->c1, "%s",
			 row->cells[1].text ? row->cells[1].text : "");
	snprintf(c->group, sizeof c->group, "%s", row->group ? row->group : "");
	c->heading = row->heading;
	c->indent = row->indent;
	for (size_t i = 0; i < x->ncols && i < MAXCOLS; i++) {
		c->num[i] = row->cells[i].num;
		c->empty[i] = row->cells[i].empty;
	}
	return 0;
}

/*
 * Runs report `name` with "k=v" parameters (NULL-ended) into *out;
 * returns the source's result (err has its message).
 */
static int run(struct store *st, const char *name, struct rows *out,
	       struct kerr *err, ...)
{
	const struct report *r = report_find(name);
	struct rparams given = { 0 }, p;
	char buf[16][64];
	struct store_txn *t = NULL;
	va_list ap;
	const char *kv;
	int ret;

	assert_non_null(r);
	va_start(ap, err);
	while ((kv = va_arg(ap, const char *)) && given.n < 16) {
		char *eq;
		snprintf(buf[given.n], sizeof buf[given.n], "%s", kv);
		eq = strchr(buf[given.n], '=');
		assert_non_null(eq);
		*eq = '\0';
		given.name[given.n] = buf[given.n];
		given.value[given.n] = eq + 1;
		given.n++;
	}
	va_end(ap);
	memset(out, 0, sizeof *out);
	out->ncols = r->ncols;
	kerr_clear(err);
	if ((ret = report_params(r, &given, &p, err)))
		return ret;
	assert_int_equal(store_txn_begin(st, true, &t, err), 0);
	ret = r->source(t, r, &p, keep, out, err);
	store_txn_abort(&t);
	return ret;
}

static const struct crow *row_of(const struct rows *x, const char *c0)
{
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->r[i].c0, c0) == 0)
			return &x->r[i];
	fail_msg("no row %s", c0);
	return NULL;
}

static bool has_row(const struct rows *x, const char *c0)
{
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->r[i].c0, c0) == 0)
			return true;
	return false;
}

/* Trial-balance columns: account name postable opening debit credit balance. */
enum { TO = 3, TD = 4, TC = 5, TB = 6 };

/* Sums column col over the rows that are not headings. */
static int64_t sum(const struct rows *x, int col)
{
	int64_t s = 0;

	for (size_t i = 0; i < x->n; i++)
		if (!x->r[i].heading && !x->r[i].empty[col])
			s += x->r[i].num[col];
	return s;
}

/* ----------------------------------------------------------- the tests */

static void tb_null_and_empty(void **state)
{
	struct fix *f = *state;
	struct rows *x = calloc(1, sizeof *x);
	struct kerr err;

	/* Nothing posted: no rows (zero=no), and with zero=yes every
	   account with zeros. */
	assert_int_equal(run(f->st, "trial-balance", x, &err, "from=2026-01",
			     "to=2026-12", NULL), 0);
	assert_int_equal(x->n, 0);
	assert_int_equal(run(f->st, "trial-balance", x, &err, "from=2026-01",
			     "zero=yes", "to=2026-12", NULL), 0);
	assert_int_equal(x->n, 79);       /* data/chart-cn.csv */
	assert_int_equal(sum(x, TB), 0);
	/* A period that does not exist, one before the other, a level of 0. */
	assert_int_equal(run(f->st, "trial-balance", x, &err, "from=2031-01",
			     NULL), K_EUSAGE);
	assert_string_equal(err.field, "from");
	assert_non_null(strstr(err.msg, "no period 2031-01"));
	assert_int_equal(run(f->st, "trial-balance", x, &err, "from=2026-05",
			     "to=2026-04", NULL), K_EUSAGE);
	assert_non_null(strstr(err.msg, "2026-04 is before from, 2026-05"));
	assert_int_equal(run(f->st, "trial-balance", x, &err, "level=0", NULL),
			 K_EUSAGE);
	/* No period for today: the default says what to give. */
	setenv("KONTOR_TODAY", "2031-01-01", 1);
	assert_int_equal(run(f->st, "trial-balance", x, &err, NULL), K_EUSAGE);
	assert_non_null(strstr(err.msg, "no period contains today, 2031-01-01"));
	setenv("KONTOR_TODAY", "2026-02-15", 1);
	assert_int_equal(run(f->st, "trial-balance", x, &err, NULL), 0);
	unsetenv("KONTOR_TODAY");
	free(x);
}

static void tb_rows(void **state)
{
	struct fix *f = *state;
	struct rows *x = calloc(1, sizeof *x);
	const struct crow *r;
	struct kerr err;

	post_books(f->st);
	assert_int_equal(run(f->st, "trial-balance", x, &err, "from=2026-02",
			     "to=2026-02", NULL), 0);
	/* 1002: opens with January's 1,000.00, 50.00 out in February. */
	r = row_of(x, "1002");
	assert_false(r->heading);
	assert_int_equal(r->indent, 1);
	assert_int_equal(r->num[TO], C(1000));
	assert_int_equal(r->num[TD], 0);
	assert_int_equal(r->num[TC], C(50));
	assert_int_equal(r->num[TB], C(950));
	/* 4001: nothing in February, shown for its opening balance. */
	r = row_of(x, "4001");
	assert_int_equal(r->num[TO], -C(1000));
	assert_int_equal(r->num[TB], -C(1000));
	/* The heading 1 资产类 sums 1002 and 1122: 1,000.00 opening,
	   113.00 debit, 50.00 credit, 1,063.00 closing. */
	r = row_of(x, "1");
	assert_true(r->heading);
	assert_int_equal(r->indent, 0);
	assert_string_equal(r->c1, "资产类");
	assert_int_equal(r->num[TO], C(1000));
	assert_int_equal(r->num[TD], C(113));
	assert_int_equal(r->num[TC], C(50));
	assert_int_equal(r->num[TB], C(1063));
	/* 2221 应交税费 is a heading one level down; 2221.02 two. */
	assert_true(row_of(x, "2221")->heading);
	assert_int_equal(row_of(x, "2221")->num[TB], -C(13));
	assert_int_equal(row_of(x, "2221.02")->indent, 2);
	/* Headings come before their accounts. */
	assert_true(row_of(x, "1") < row_of(x, "1002"));
	/* Accounts without figures are left out. */
	assert_false(has_row(x, "1001"));
	/* The total (of accounts only): debits 163.00 = credits, the
	   opening and closing balances add up to 0. */
	assert_int_equal(sum(x, TD), C(163));
	assert_int_equal(sum(x, TC), C(163));
	assert_int_equal(sum(x, TO), 0);
	assert_int_equal(sum(x, TB), 0);

	/* January to February from the beginning: opening 0 everywhere. */
	assert_int_equal(run(f->st, "trial-balance", x, &err, "from=2026-01",
			     "to=2026-02", "show=postable", NULL), 0);
	for (size_t i = 0; i < x->n; i++) {
		assert_false(x->r[i].heading);
		assert_int_equal(x->r[i].indent, 0);
		assert_int_equal(x->r[i].num[TO], 0);
	}
	assert_int_equal(x->n, 6);   /* 1002 1122 2221.02 4001 6001 6602 */
	assert_int_equal(sum(x, TD), C(1163));
	assert_int_equal(sum(x, TC), C(1163));
	free(x);
}

static void tb_level(void **state)
{
	struct fix *f = *state;
	struct rows *x = calloc(1, sizeof *x);
	struct kerr err;

	post_books(f->st);
	/* level=1: the top headings stand for their accounts (not
	   headings then), and still add up. */
	assert_int_equal(run(f->st, "trial-balance", x, &err, "from=2026-01",
			     "to=2026-02", "level=1", NULL), 0);
	assert_int_equal(x->n, 4);   /* 1 2 4 6 */
	for (size_t i = 0; i < x->n; i++)
		assert_false(x->r[i].heading);
	assert_int_equal(row_of(x, "6")->num[TB], -C(50));  /* -100 + 50 */
	assert_int_equal(sum(x, TD), C(1163));
	assert_int_equal(sum(x, TC), C(1163));
	assert_int_equal(sum(x, TB), 0);
	/* level=2: 2221 stands for 2221.02. */
	assert_int_equal(run(f->st, "trial-balance", x, &err, "from=2026-01",
			     "to=2026-02", "level=2", NULL), 0);
	assert_false(row_of(x, "2221")->heading);
	assert_false(has_row(x, "2221.02"));
	assert_true(row_of(x, "2")->heading);
	assert_int_equal(sum(x, TD), C(1163));
	assert_int_equal(run(f->st, "trial-balance", x, &err, "level=2",
			     "show=postable", NULL), K_EUSAGE);
	free(x);
}

/* The balance sheet's rows: line closing year_start. */
static void bs_balances(void **state)
{
	struct fix *f = *state;
	struct rows *x = calloc(1, sizeof *x);
	struct kerr err;

	post_books(f->st);
	assert_int_equal(run(f->st, "balance-sheet", x, &err, "period=2026-02",
			     NULL), 0);
	/* Assets: 货币资金 1,000 - 50 = 950.00, 应收账款 113.00, total
	   1,063.00.  Liabilities: 应交税费 13.00.  Equity: 实收资本
	   1,000.00, 未分配利润 = this year's profit, 100 - 50 = 50.00;
	   13 + 1,050 = 1,063.00. */
	assert_int_equal(row_of(x, "货币资金")->num[1], C(950));
	assert_int_equal(row_of(x, "应收账款")->num[1], C(113));
	assert_int_equal(row_of(x, "资产总计")->num[1], C(1063));
	assert_int_equal(row_of(x, "应交税费")->num[1], C(13));
	assert_int_equal(row_of(x, "负债合计")->num[1], C(13));
	assert_int_equal(row_of(x, "未分配利润")->num[1], C(50));
	assert_int_equal(row_of(x, "所有者权益（或股东权益）合计")->num[1],
			 C(1050));
	assert_int_equal(row_of(x, "负债和所有者权益（或股东权益）总计")->num[1],
			 C(1063));
	/* The year began with nothing. */
	assert_int_equal(row_of(x, "资产总计")->num[2], 0);
	/* The statement's name first; no out-of-balance line. */
	assert_string_equal(x->r[0].c0, "资产负债表");
	assert_true(x->r[0].heading);
	assert_false(row_of(x, "货币资金")->heading);
	assert_true(row_of(x, "资产总计")->heading);
	assert_false(has_row(x, "Out of balance (a chart account no line takes)"));
	/* Headings have no figures; items are indented. */
	assert_true(row_of(x, "流动资产：")->empty[1]);
	assert_int_equal(row_of(x, "货币资金")->indent, 1);
	assert_int_equal(row_of(x, "资产总计")->indent, 0);

	/* January: before the sale. */
	assert_int_equal(run(f->st, "balance-sheet", x, &err, "period=2026-01",
			     NULL), 0);
	assert_int_equal(row_of(x, "资产总计")->num[1], C(1000));
	assert_int_equal(row_of(x, "负债和所有者权益（或股东权益）总计")->num[1],
			 C(1000));
	free(x);
}

static void is_net_profit(void **state)
{
	struct fix *f = *state;
	struct rows *x = calloc(1, sizeof *x);
	const char *np = "四、净利润（净亏损以“-”号填列）";
	struct kerr err;

	post_books(f->st);
	/* February: 营业收入 100.00, 管理费用 50.00, 营业利润 = 利润总额 =
	   净利润 = 50.00; January had none, so the year to date is the same. */
	assert_int_equal(run(f->st, "income-statement", x, &err,
			     "from=2026-02", "to=2026-02", NULL), 0);
	assert_int_equal(row_of(x, "一、营业收入")->num[1], C(100));
	assert_int_equal(row_of(x, "一、营业收入")->indent, 0);
	assert_int_equal(row_of(x, "管理费用")->num[1], C(50));
	assert_int_equal(row_of(x, "二、营业利润（亏损以“-”号填列）")->num[1],
			 C(50));
	assert_int_equal(row_of(x, np)->num[1], C(50));
	assert_int_equal(row_of(x, np)->num[2], C(50));
	/* January alone: nothing this period, nothing in the year yet. */
	assert_int_equal(run(f->st, "income-statement", x, &err,
			     "from=2026-01", "to=2026-01", NULL), 0);
	assert_int_equal(row_of(x, np)->num[1], 0);
	assert_int_equal(row_of(x, np)->num[2], 0);
	/* March: nothing in the period, 50.00 for the year. */
	assert_int_equal(run(f->st, "income-statement", x, &err,
			     "from=2026-03", "to=2026-03", NULL), 0);
	assert_int_equal(row_of(x, np)->num[1], 0);
	assert_int_equal(row_of(x, np)->num[2], C(50));
	free(x);
}

/*
 * After the year-end close the income and expense accounts are zero,
 * but the income statement of the year (and of December, when the
 * close is dated) still shows the profit; the balance sheet is the
 * same before and after (未分配利润 holds 4103/4104 and the P&L).
 */
static void statements_after_close(void **state)
{
	struct fix *f = *state;
	struct rows *x = calloc(1, sizeof *x);
	const char *np = "四、净利润（净亏损以“-”号填列）";
	const struct pl dec[] = {
		{ "1002", C(30), 0, NULL, NULL, NULL },
		{ "6051", 0, C(30), NULL, NULL, NULL },
	};
	struct kerr err;
	int entries = 0;

	post_books(f->st);
	post(f->st, "2026-12-15", "December income", dec, 2);
	/* Profit of the year: 100 - 50 + 30 = 80.00; December's 30.00. */
	assert_int_equal(gl_close_year(f->st, "2026", 1, &entries, &err), 0);
	assert_int_equal(entries, 2);
	assert_int_equal(run(f->st, "trial-balance", x, &err, "from=2026-12",
			     "to=2026-12", "show=postable", NULL), 0);
	assert_int_equal(row_of(x, "6001")->num[TB], 0);
	assert_int_equal(row_of(x, "4104")->num[TB], -C(80));
	assert_int_equal(run(f->st, "income-statement", x, &err,
			     "from=2026-12", "to=2026-12", NULL), 0);
	assert_int_equal(row_of(x, np)->num[1], C(30));
	assert_int_equal(row_of(x, np)->num[2], C(80));
	assert_int_equal(row_of(x, "一、营业收入")->num[2], C(130));
	assert_int_equal(run(f->st, "income-statement", x, &err,
			     "from=2026-01", "to=2026-12", NULL), 0);
	assert_int_equal(row_of(x, np)->num[1], C(80));
	assert_int_equal(run(f->st, "balance-sheet", x, &err, "period=2026-12",
			     NULL), 0);
	assert_int_equal(row_of(x, "未分配利润")->num[1], C(80));
	assert_int_equal(row_of(x, "资产总计")->num[1], C(1093));
	assert_int_equal(row_of(x, "负债和所有者权益（或股东权益）总计")->num[1],
			 C(1093));
	/* 2027 (created by the close) opens with the year's balances. */
	assert_int_equal(run(f->st, "balance-sheet", x, &err, "period=2027-01",
			     NULL), 0);
	assert_int_equal(row_of(x, "资产总计")->num[2], C(1093));
	assert_int_equal(row_of(x, "未分配利润")->num[2], C(80));
	assert_int_equal(run(f->st, "income-statement", x, &err,
			     "from=2027-01", "to=2027-01", NULL), 0);
	assert_int_equal(row_of(x, np)->num[2], 0);
	/* A range across two fiscal years is refused. */
	assert_int_equal(run(f->st, "income-statement", x, &err,
			     "from=2026-12", "to=2027-01", NULL), K_EUSAGE);
	assert_non_null(strstr(err.msg, "earlier fiscal year"));
	free(x);
}

static void cc_sums(void **state)
{
	struct fix *f = *state;
	struct rows *x = calloc(1, sizeof *x);
	struct kerr err;

	post_books(f->st);
	/* Columns: account name debit credit net. */
	assert_int_equal(run(f->st, "cost-centres", x, &err, "from=2026-01",
			     "to=2026-02", NULL), 0);
	assert_int_equal(x->n, 2);
	assert_string_equal(x->r[0].group, "CC310 华东销售");
	assert_string_equal(x->r[0].c0, "6001");
	assert_int_equal(x->r[0].num[2], 0);
	assert_int_equal(x->r[0].num[3], C(100));
	assert_int_equal(x->r[0].num[4], -C(100));
	assert_string_equal(x->r[1].group, "D100 总经办");
	assert_string_equal(x->r[1].c0, "6602");
	assert_int_equal(x->r[1].num[4], C(50));
	/* With the lines without a cost centre, the sums are the trial
	   balance's: debits = credits = 1,163.00. */
	assert_int_equal(run(f->st, "cost-centres", x, &err, "from=2026-01",
			     "to=2026-02", "unassigned=yes", NULL), 0);
	assert_int_equal(sum(x, 2), C(1163));
	assert_int_equal(sum(x, 3), C(1163));
	assert_int_equal(sum(x, 4), 0);
	/* One cost centre. */
	assert_int_equal(run(f->st, "cost-centres", x, &err, "from=2026-01",
			     "to=2026-02", "cost_centre=D100", NULL), 0);
	assert_int_equal(x->n, 1);
	/* January: nothing with a cost centre. */
	assert_int_equal(run(f->st, "cost-centres", x, &err, "from=2026-01",
			     "to=2026-01", NULL), 0);
	assert_int_equal(x->n, 0);
	free(x);
}

/* general-ledger columns: date entry description party memo debit credit balance. */
static void gl_running(void **state)
{
	struct fix *f = *state;
	struct rows *x = calloc(1, sizeof *x);
	struct kerr err;

	post_books(f->st);
	assert_int_equal(run(f->st, "general-ledger", x, &err,
			     "from=2026-01-01", "to=2026-02-28",
			     "from_account=1002", "to_account=1122", NULL), 0);
	/* 1002: opening 0, +1,000.00, -50.00, closing 950.00; then 1122:
	   opening 0, +113.00, closing 113.00. */
	assert_int_equal(x->n, 7);
	assert_string_equal(x->r[0].group, "1002 银行存款");
	assert_true(x->r[0].heading);
	assert_int_equal(x->r[0].num[7], 0);
	assert_int_equal(x->r[1].num[5], C(1000));
	assert_int_equal(x->r[1].num[7], C(1000));
	assert_true(x->r[1].empty[6]);
	assert_int_equal(x->r[2].num[6], C(50));
	assert_int_equal(x->r[2].num[7], C(950));
	assert_true(x->r[3].heading);
	assert_int_equal(x->r[3].num[7], C(950));
	assert_string_equal(x->r[4].group, "1122 应收账款");
	assert_int_equal(x->r[6].num[7], C(113));
	/* From 2026-02-15: 1002's opening is 1,000.00 (January), one line. */
	assert_int_equal(run(f->st, "general-ledger", x, &err,
			     "from=2026-02-15", "to=2026-02-28",
			     "from_account=1002", "to_account=1002", NULL), 0);
	assert_int_equal(x->n, 3);
	assert_int_equal(x->r[0].num[7], C(1000));
	assert_int_equal(x->r[2].num[7], C(950));
	/* 4001 in February: nothing moved, the opening shown, zero=no. */
	assert_int_equal(run(f->st, "general-ledger", x, &err,
			     "from=2026-02-01", "to=2026-02-28",
			     "from_account=4001", "to_account=4001", NULL), 0);
	assert_int_equal(x->n, 2);
	assert_int_equal(x->r[1].num[7], -C(1000));
	assert_int_equal(run(f->st, "general-ledger", x, &err,
			     "from=2026-03-01", "to=2026-02-01", NULL), K_EUSAGE);
	free(x);
}

static void journal_day_book(void **state)
{
	struct fix *f = *state;
	struct rows *x = calloc(1, sizeof *x);
	struct kerr err;

	post_books(f->st);
	/* February: E2 (3 lines) and E3 (2 lines), debits = credits = 163. */
	assert_int_equal(run(f->st, "journal", x, &err, "from=2026-02-01",
			     "to=2026-02-28", NULL), 0);
	assert_int_equal(x->n, 5);
	assert_string_equal(x->r[0].group, "JE-000002  2026-02-10  Sale INV-1");
	assert_string_equal(x->r[4].group,
			    "JE-000003  2026-02-20  Expenses: February");
	assert_int_equal(sum(x, 7), C(163));
	assert_int_equal(sum(x, 8), C(163));
	free(x);
}

/* Every postable account of the chart is on a line of each statement. */
static void layouts_cover_the_chart(void **state)
{
	struct fix *f = *state;
	struct store_txn *t = NULL;
	struct store_cursor *c = NULL;
	struct account a;
	struct kerr err;
	bool cn;
	const struct stmt_layout *bs, *is;
	int ret, n = 0;

	memset(&a, 0, sizeof a);
	assert_int_equal(store_txn_begin(f->st, true, &t, &err), 0);
	cn = gl_chart_of(t) == GL_CHART_CN;
	bs = cn ? &gl_layout_bs_cn : &gl_layout_bs_ifrs;
	is = cn ? &gl_layout_is_cn : &gl_layout_is_ifrs;
	assert_int_equal(store_cursor_open(t, &account_schema, "code", &c,
					   &err), 0);
	while ((ret = store_cursor_next(c, &a, &err)) == 0) {
		int line;
		if (!a.postable)
			continue;
		n++;
		line = gl_layout_item(bs, a.code, a.type);
		if (line < 0)
			fail_msg("%s %s is on no balance-sheet line", a.code,
				 a.name);
		if (strcmp(a.type, "income") == 0 ||
		    strcmp(a.type, "expense") == 0) {
			/* ... and on the income statement too. */
			if (gl_layout_item(is, a.code, a.type) < 0)
				fail_msg("%s %s is on no income-statement line",
					 a.code, a.name);
		}
	}
	assert_int_equal(ret, K_ENOTFOUND);
	assert_true(n > 40);
	store_cursor_close(&c);
	store_rec_clear(&account_schema, &a);
	store_txn_abort(&t);
}

static void layout_matching(void **state)
{
	const struct stmt_layout *l = &gl_layout_bs_cn;

	(void)state;
	/* The longest prefix wins; contra accounts go with their line. */
	assert_string_equal(l->lines[gl_layout_item(l, "1231", "asset")].key,
			    "ar");
	assert_string_equal(l->lines[gl_layout_item(l, "2221.01", "liability")].key,
			    "tax");
	assert_string_equal(l->lines[gl_layout_item(l, "1602", "asset")].key,
			    "fa");
	/* A code no prefix names: its type's line. */
	assert_string_equal(l->lines[gl_layout_item(l, "1003", "asset")].key,
			    "oca");
	assert_string_equal(l->lines[gl_layout_item(l, "2999", "liability")].key,
			    "oap");
	assert_string_equal(l->lines[gl_layout_item(l, "7001", "expense")].key,
			    "re");
	assert_int_equal(gl_layout_item(l, "7001", NULL), -1);
	assert_string_equal(l->lines[gl_layout_item(l, NULL, "asset")].key,
			    "oca");
	l = &gl_layout_is_cn;
	assert_string_equal(l->lines[gl_layout_item(l, "6901", "expense")].key,
			    "adm");
	assert_string_equal(l->lines[gl_layout_item(l, "6999", "income")].key,
			    "oinc");
	/* Every sum names earlier lines (stmt_sums checks it at run time). */
	const struct stmt_layout *all[] = { &gl_layout_bs_cn, &gl_layout_is_cn,
		&gl_layout_bs_ifrs, &gl_layout_is_ifrs };
	for (size_t k = 0; k < NELEM(all); k++)
		for (size_t i = 0; i < all[k]->n; i++)
			assert_true(all[k]->lines[i].kind == 'H' ||
				    all[k]->lines[i].kind == 'S' ||
				    gl_layout_is_item(&all[k]->lines[i]));
}

static void ifrs_statements(void **state)
{
	struct fix *f = *state;
	struct rows *x = calloc(1, sizeof *x);
	struct kerr err;
	const struct pl e1[] = {
		{ "1010", C(5000), 0, NULL, NULL, NULL },
		{ "3000", 0, C(5000), NULL, NULL, NULL },
	};
	const struct pl e2[] = {
		{ "1100", C(1200), 0, NULL, NULL, NULL },
		{ "4000", 0, C(1000), NULL, NULL, NULL },
		{ "2200", 0, C(200), NULL, NULL, NULL },
	};
	const struct pl e3[] = {
		{ "5000", C(600), 0, NULL, NULL, NULL },
		{ "1220", 0, C(600), NULL, NULL, NULL },
	};

	post(f->st, "2026-01-02", "Shares", e1, 2);
	post(f->st, "2026-01-10", "Sale", e2, 3);
	post(f->st, "2026-01-11", "Cost of the sale", e3, 2);
	/* Assets 5,000 + 1,200 - 600 = 5,600.00; liabilities 200.00;
	   equity 5,000 + profit 400 = 5,400.00. */
	assert_int_equal(run(f->st, "balance-sheet", x, &err, "period=2026-01",
			     NULL), 0);
	assert_int_equal(row_of(x, "Total assets")->num[1], C(5600));
	assert_int_equal(row_of(x, "Inventories")->num[1], -C(600));
	assert_int_equal(row_of(x, "Other current liabilities")->num[1],
			 C(200));
	assert_int_equal(row_of(x, "Retained earnings")->num[1], C(400));
	assert_int_equal(row_of(x, "Total equity and liabilities")->num[1],
			 C(5600));
	assert_int_equal(run(f->st, "income-statement", x, &err,
			     "from=2026-01", "to=2026-01", NULL), 0);
	assert_int_equal(row_of(x, "Revenue")->num[1], C(1000));
	assert_int_equal(row_of(x, "Gross profit")->num[1], C(400));
	assert_int_equal(row_of(x, "Profit for the period")->num[1], C(400));
	free(x);
}

/* ------------------------------------------------------ journal import */

static char *write_file(struct fix *f, const char *name, const char *text)
{
	static char path[700];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static uint64_t journals(struct store *st)
{
	struct store_txn *t = NULL;
	struct kerr err;
	uint64_t n = 0;

	assert_int_equal(store_txn_begin(st, true, &t, &err), 0);
	assert_int_equal(store_count(t, &journal_schema, &n, &err), 0);
	store_txn_abort(&t);
	return n;
}

static void import_good_and_bad(void **state)
{
	struct fix *f = *state;
	struct rows *x = calloc(1, sizeof *x);
	unsigned long entries = 9, rows = 0;
	char *out = NULL;
	size_t outlen = 0;
	FILE *errs;
	struct kerr err;
	const char *path;

	path = write_file(f, "good.csv",
		"entry,date,account,debit,credit,description,party,cost_centre\n"
		"A,2026-01-05,1002,\"1,000.00\",,Capital,,\n"
		"A,2026-01-05,4001,,1000,Capital,,\n"
		"B,2026-02-10,1221,113.00,,Sale,P1001,\n"
		"B,2026-02-10,6001,,100.00,Sale,,CC310\n"
		"B,2026-02-10,2221.02,,13.00,Sale,,\n");
	assert_int_equal(gl_import_journal(f->st, path, NULL, &entries, &rows,
					   stderr, &err), 0);
	assert_int_equal(entries, 2);
	assert_int_equal(rows, 5);
	assert_int_equal(journals(f->st), 2);
	assert_int_equal(run(f->st, "trial-balance", x, &err, "from=2026-01",
			     "to=2026-02", "show=postable", NULL), 0);
	assert_int_equal(row_of(x, "1002")->num[TB], C(1000));
	assert_int_equal(row_of(x, "1221")->num[TB], C(113));

	/* Unbalanced, after a good entry: named at its first row, with both
	   sums; nothing posted, the good entry neither. */
	path = write_file(f, "bad.csv",
		"entry,date,account,debit,credit,description\n"
		"C,2026-02-11,1001,5.00,,ok\n"
		"C,2026-02-11,1002,,5.00,ok\n"
		"D,2026-02-12,6602,100.00,,short\n"
		"D,2026-02-12,1001,,99.99,short\n"
		"E,2026-02-12,9999,1.00,,unknown\n"
		"E,2026-02-12,1001,,1.00,unknown\n");
	errs = open_memstream(&out, &outlen);
	assert_non_null(errs);
	entries = 9;
	assert_int_equal(gl_import_journal(f->st, path, NULL, &entries, &rows,
					   errs, &err), K_EINVAL);
	fclose(errs);
	assert_int_equal(entries, 0);
	assert_non_null(strstr(out, "bad.csv:4: entry: entry D does not balance: debits 100.00, credits 99.99\n"));
	assert_non_null(strstr(out, "bad.csv:6: account: no account with code 9999\n"));
	assert_non_null(strstr(err.msg, "2 error(s); nothing was posted"));
	assert_int_equal(journals(f->st), 2);
	free(out);
	out = NULL;

	/* An entry that comes back; a dry run posts nothing. */
	path = write_file(f, "back.csv",
		"entry,date,account,debit,credit,description\n"
		"F,2026-02-11,1001,5.00,,x\n"
		"F,2026-02-11,1002,,5.00,x\n"
		"G,2026-02-11,1001,5.00,,y\n"
		"G,2026-02-11,1002,,5.00,y\n"
		"F,2026-02-11,1001,5.00,,x\n"
		"F,2026-02-11,1002,,5.00,x\n");
	errs = open_memstream(&out, &outlen);
	assert_int_equal(gl_import_journal(f->st, path, NULL, &entries, &rows,
					   errs, &err), K_EINVAL);
	fclose(errs);
	assert_non_null(strstr(out, "back.csv:6: entry: entry F comes back after other entries' rows; it began at line 2"));
	free(out);
	path = write_file(f, "dry.csv",
		"entry,date,account,debit,credit,description\n"
		"H,2026-02-11,1001,5.00,,x\n"
		"H,2026-02-11,1002,,5.00,x\n");
	struct csvio_opts o = { .dry_run = true };
	assert_int_equal(gl_import_journal(f->st, path, &o, &entries, &rows,
					   stderr, &err), 0);
	assert_int_equal(entries, 0);
	assert_int_equal(journals(f->st), 2);
	/* No file. */
	assert_int_equal(gl_import_journal(f->st, "/nonexistent/x.csv", NULL,
					   &entries, &rows, stderr, &err),
			 K_ENOTFOUND);
	free(x);
}

/* ------------------------------------------------------- ledger export */

static void export_ledger(void **state)
{
	struct fix *f = *state;
	unsigned long n = 0;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;
	struct kerr err;

	post_books(f->st);
	fp = open_memstream(&out, &len);
	assert_non_null(fp);
	assert_int_equal(gl_export_ledger(f->st, "CNY", fp, &n, &err), 0);
	fclose(fp);
	assert_int_equal(n, 3);
	assert_non_null(strstr(out, "commodity 1000.00 CNY\n"));
	assert_non_null(strstr(out, "account 1 资产类:1002 银行存款  ; type: A\n"));
	assert_non_null(strstr(out, "account 6 损益类:6001 主营业务收入  ; type: R\n"));
	assert_non_null(strstr(out, "\n2026-01-05 * (JE-000001) Capital\n"));
	/* The colon of the description stays (only names lose theirs); a
	   memo's ';' becomes ','. */
	assert_non_null(strstr(out, "\n2026-02-20 * (JE-000003) Expenses: February\n"));
	assert_non_null(strstr(out, "    6 损益类:6602 管理费用  50.00 CNY  ; cost_centre: D100, memo: taxi, receipts\n"));
	assert_non_null(strstr(out, "    1 资产类:1122 应收账款  113.00 CNY  ; party: P1001\n"));
	assert_non_null(strstr(out, "    2 负债类:2221 应交税费:2221.02 应交增值税(销项税额)  -13.00 CNY\n"));
	/* In date order. */
	assert_true(strstr(out, "JE-000001") < strstr(out, "JE-000002"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tb_null_and_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(tb_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(tb_level, setup, teardown),
		cmocka_unit_test_setup_teardown(bs_balances, setup, teardown),
		cmocka_unit_test_setup_teardown(is_net_profit, setup, teardown),
		cmocka_unit_test_setup_teardown(statements_after_close, setup,
						teardown),
		cmocka_unit_test_setup_teardown(cc_sums, setup, teardown),
		cmocka_unit_test_setup_teardown(gl_running, setup, teardown),
		cmocka_unit_test_setup_teardown(journal_day_book, setup, teardown),
		cmocka_unit_test_setup_teardown(layouts_cover_the_chart, setup,
						teardown),
		cmocka_unit_test_setup_teardown(layouts_cover_the_chart,
						setup_ifrs, teardown),
		cmocka_unit_test(layout_matching),
		cmocka_unit_test_setup_teardown(ifrs_statements, setup_ifrs,
						teardown),
		cmocka_unit_test_setup_teardown(import_good_and_bad, setup,
						teardown),
		cmocka_unit_test_setup_teardown(export_ledger, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
