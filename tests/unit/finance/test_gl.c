/*
 * test_gl.c - the general ledger on a real Berkeley DB environment:
 * posting and its refusals, balances, reversal, foreign currency lines,
 * closing periods and years, recurring entries, the balance check, and
 * a property test over random entries.
 *
 * Every test gets a fresh store (STORE_CREATE, login "tester") in a
 * temporary folder with the shipped Chinese chart, taxes, currencies,
 * rates, departments, number series and account roles loaded, and the
 * fiscal year 2026 created.
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
#include <unistd.h>
#include <cmocka.h>

#include "base/date.h"
#include "base/kerr.h"
#include "base/num.h"
#include "finance/gl.h"
#include "masters/csvio.h"
#include "masters/entity.h"
#include "masters/fin.h"
#include "masters/ops.h"
#include "store/store.h"

#include "../testenv.h"

/* ------------------------------------------------------------ fixture */

static int meta_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	(void)arg;
	return store_meta_put(t, "base_currency", "CNY", err);
}

/* The shipped Chinese setup and fiscal year 2026. */
static int load_company(struct store *st, void *arg)
{
	static const struct testenv_file files[] = {
		{ "currency", "currencies.csv" }, { "rate", "rates.csv" },
		{ "account", "chart-cn.csv" }, { "tax", "taxes-cn.csv" },
		{ "department", "departments.csv" }, { "series", "series.csv" },
		{ "glrole", "roles-cn.csv" }, { NULL, NULL },
	};
	struct kerr e;

	(void)arg;
	if (testenv_import_all(st, files) ||
	    store_write(st, meta_fn, NULL, &e) ||
	    period_create_year(st, 2026, 1, &e))
		return -1;
	return 0;
}

static int setup(void **state)
{
	static const struct testenv_opts o = { .name = "gl",
					       .load = load_company };
	return testenv_setup(state, &o);
}

#define fix testenv
#define teardown testenv_teardown

/* ------------------------------------------------------------ helpers */

static int64_t M(const char *s)
{
	int64_t v;

	assert_int_equal(num_parse(s, 2, &v, NULL), 0);
	return v;
}

static kdate D(const char *s)
{
	kdate d;

	assert_int_equal(date_parse(s, &d, NULL), 0);
	return d;
}

struct codeid {
	const struct store_schema *s;
	const char *code;
	int64_t id;
};

static int id_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct codeid *c = arg;
	void *rec = calloc(1, c->s->size);
	int ret = store_find_text(t, c->s, "code", c->code, rec, err);

	c->id = ret ? 0 : ((struct store_rec *)rec)->id;
	store_rec_clear(c->s, rec);
	free(rec);
	return ret;
}

static int64_t id_of(struct store *st, const struct store_schema *s,
		     const char *code)
{
	struct codeid c = { s, code, 0 };
	struct kerr e;

	if (store_read(st, id_fn, &c, &e))
		fail_msg("no %s %s: %s", s->name, code, e.msg);
	return c.id;
}

/* A line as the tests write it: account code, amounts as text. */
struct L {
	const char *account;
	const char *debit, *credit;
	const char *cc;             /* department code or NULL */
	const char *currency;       /* NULL: base */
	const char *fx;             /* foreign amount, signed */
};

/* A journal with its lines resolved (the caller clears it). */
static void build(struct store *st, struct journal *j, const char *date,
		  const char *desc, const struct L *l, size_t n)
{
	struct jline *v = calloc(n, sizeof *v);

	memset(j, 0, sizeof *j);
	assert_non_null(v);
	j->date = D(date);
	j->description = strdup(desc);
	j->lines.items = v;
	j->lines.n = n;
	for (size_t i = 0; i < n; i++) {
		v[i].account = l[i].account ?
			id_of(st, &account_schema, l[i].account) : 0;
		v[i].debit = l[i].debit ? M(l[i].debit) : 0;
		v[i].credit = l[i].credit ? M(l[i].credit) : 0;
		v[i].cost_centre = l[i].cc ?
			id_of(st, &department_schema, l[i].cc) : 0;
		v[i].currency = l[i].currency ?
			id_of(st, &currency_schema, l[i].currency) : 0;
		v[i].fx_amount = l[i].fx ? M(l[i].fx) : 0;
	}
}

static int post_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	return gl_post(t, arg, err);
}

/*
 * Posts an entry; returns the error code (0 posted), err gets the
 * message, *code (may be NULL, 32 bytes) the entry's number.
 */
static int post(struct store *st, const char *date, const char *desc,
		const struct L *l, size_t n, char *code, struct kerr *err)
{
	struct journal j;
	int ret;

	build(st, &j, date, desc, l, n);
	kerr_clear(err);
	ret = store_write(st, post_fn, &j, err);
	if (code)
		snprintf(code, 32, "%s", ret ? "" : j.code);
	store_rec_clear(&journal_schema, &j);
	return ret;
}

#define POST(st, date, desc, code, err, ...) \
	post(st, date, desc, (const struct L[]){ __VA_ARGS__ }, \
	     sizeof((const struct L[]){ __VA_ARGS__ }) / sizeof(struct L), \
	     code, err)

struct bal {
	int64_t account;
	kdate from, to;
	int64_t cc;
	struct gl_sum s;
};

static int bal_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct bal *b = arg;

	return gl_balance(t, b->account, b->from, b->to, b->cc, &b->s, err);
}

/* The closing balance (debit positive) of an account up to `to`. */
static struct gl_sum balance(struct store *st, const char *account,
			     const char *from, const char *to, int64_t cc)
{
	struct bal b = { id_of(st, &account_schema, account),
			 from ? D(from) : DATE_NONE, to ? D(to) : DATE_NONE,
			 cc, { 0, 0, 0, 0 } };
	struct kerr e;

	assert_int_equal(store_read(st, bal_fn, &b, &e), 0);
	return b.s;
}

static int64_t closing(struct store *st, const char *account)
{
	return balance(st, account, NULL, NULL, -1).closing;
}

static void on_problem(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "gl_verify: %s\n", msg);
}

static unsigned verify(struct store *st)
{
	unsigned problems = 99;
	struct kerr e;

	assert_int_equal(gl_verify(st, on_problem, NULL, &problems, &e), 0);
	return problems;
}

/* -------------------------------------------------------------- tests */

static void test_post_and_balances(void **state)
{
	struct fix *f = *state;
	struct kerr e;
	char code[32];

	/* A sale booked by hand to other receivables (1122 is the
	   receivables' own: test_control_accounts): 1221 Dr 1,130.00 / 6001 Cr 1,000.00 / 2221.02
	   Cr 130.00 (VAT 13%). */
	assert_int_equal(POST(f->st, "2026-01-15", "发票 INV-1", code, &e,
			      { "1221", "1130.00", NULL, NULL, NULL, NULL },
			      { "6001", NULL, "1000.00", "CC310", NULL, NULL },
			      { "2221.02", NULL, "130.00", NULL, NULL, NULL }),
			 0);
	assert_string_equal(code, "JE-000001");
	/* Receipt in February. */
	assert_int_equal(POST(f->st, "2026-02-03", "收款", code, &e,
			      { "1002", "1130.00", NULL, NULL, NULL, NULL },
			      { "1221", NULL, "1130.00", NULL, NULL, NULL }),
			 0);
	assert_string_equal(code, "JE-000002");

	assert_int_equal(closing(f->st, "1221"), 0);
	assert_int_equal(closing(f->st, "1002"), M("1130.00"));
	assert_int_equal(closing(f->st, "6001"), -M("1000.00"));
	/* A heading sums the accounts below it: 2221 = its VAT lines. */
	assert_int_equal(closing(f->st, "2221"), -M("130.00"));

	/* February alone: 1221 opens at 1,130.00 and is credited. */
	struct gl_sum s = balance(f->st, "1221", "2026-02-01", "2026-02-28", -1);
	assert_int_equal(s.opening, M("1130.00"));
	assert_int_equal(s.debit, 0);
	assert_int_equal(s.credit, M("1130.00"));
	assert_int_equal(s.closing, 0);
	/* Dates inside a period round out to the whole period. */
	s = balance(f->st, "1221", "2026-01-20", "2026-01-20", -1);
	assert_int_equal(s.debit, M("1130.00"));

	/* Per cost centre: revenue of CC310 vs lines without one. */
	int64_t cc = id_of(f->st, &department_schema, "CC310");
	assert_int_equal(balance(f->st, "6001", NULL, NULL, cc).closing,
			 -M("1000.00"));
	assert_int_equal(balance(f->st, "6001", NULL, NULL, 0).closing, 0);
	assert_int_equal(verify(f->st), 0);
}

static void test_refusals(void **state)
{
	struct fix *f = *state;
	struct kerr e;
	char code[32];

	assert_int_equal(POST(f->st, "2026-01-15", "unbalanced", NULL, &e,
			      { "1002", "100.00", NULL, NULL, NULL, NULL },
			      { "6001", NULL, "99.99", NULL, NULL, NULL }),
			 K_EINVAL);
	assert_string_equal(e.msg,
			    "the entry does not balance: debits 100.00, credits 99.99");
	assert_int_equal(POST(f->st, "2026-01-15", "heading", NULL, &e,
			      { "1002", "100.00", NULL, NULL, NULL, NULL },
			      { "2221", NULL, "100.00", NULL, NULL, NULL }),
			 K_EINVAL);
	assert_string_equal(e.msg,
			    "line 2: account 2221 is a heading; post to an account below it");
	assert_int_equal(POST(f->st, "2026-01-15", "both", NULL, &e,
			      { "1002", "100.00", "100.00", NULL, NULL, NULL },
			      { "6001", NULL, "100.00", NULL, NULL, NULL },
			      { "1001", "100.00", NULL, NULL, NULL, NULL }),
			 K_EINVAL);
	assert_string_equal(e.msg,
			    "line 1: a line has a debit or a credit, not both");
	assert_int_equal(POST(f->st, "2026-01-15", "empty line", NULL, &e,
			      { "1002", NULL, NULL, NULL, NULL, NULL },
			      { "6001", NULL, NULL, NULL, NULL, NULL }),
			 K_EINVAL);
	assert_string_equal(e.msg, "line 1: no amount");
	assert_int_equal(POST(f->st, "2026-01-15", "one line", NULL, &e,
			      { "1002", "1.00", NULL, NULL, NULL, NULL }),
			 K_EINVAL);
	assert_string_equal(e.field, "lines");
	assert_int_equal(POST(f->st, "2026-01-15", "no account", NULL, &e,
			      { NULL, "1.00", NULL, NULL, NULL, NULL },
			      { "6001", NULL, "1.00", NULL, NULL, NULL }),
			 K_EINVAL);
	assert_string_equal(e.msg, "line 1: no account");
	assert_int_equal(POST(f->st, "2026-01-15", "  ", NULL, &e,
			      { "1002", "1.00", NULL, NULL, NULL, NULL },
			      { "6001", NULL, "1.00", NULL, NULL, NULL }),
			 K_EINVAL);
	assert_string_equal(e.field, "description");
	assert_int_equal(POST(f->st, "2025-12-31", "no period", NULL, &e,
			      { "1002", "1.00", NULL, NULL, NULL, NULL },
			      { "6001", NULL, "1.00", NULL, NULL, NULL }),
			 K_ENOTFOUND);
	assert_string_equal(e.field, "date");
	assert_non_null(strstr(e.msg, "2025-12-31"));

	/* Nothing of the refused entries is anywhere: balances, numbers. */
	assert_int_equal(closing(f->st, "1002"), 0);
	assert_int_equal(POST(f->st, "2026-01-15", "good", code, &e,
			      { "1002", "1.00", NULL, NULL, NULL, NULL },
			      { "6001", NULL, "1.00", NULL, NULL, NULL }), 0);
	assert_string_equal(code, "JE-000001");

	/* A blocked account. */
	struct account a;
	memset(&a, 0, sizeof a);
	struct store_txn *t;
	assert_int_equal(store_txn_begin(f->st, false, &t, &e), 0);
	assert_int_equal(store_find_text(t, &account_schema, "code", "1001",
					 &a, &e), 0);
	free(a.status);
	a.status = strdup("blocked");
	assert_int_equal(store_update(t, &account_schema, &a, &e), 0);
	assert_int_equal(store_txn_commit(&t, &e), 0);
	store_rec_clear(&account_schema, &a);
	assert_int_equal(POST(f->st, "2026-01-15", "blocked", NULL, &e,
			      { "1001", "1.00", NULL, NULL, NULL, NULL },
			      { "6001", NULL, "1.00", NULL, NULL, NULL }),
			 K_EINVAL);
	assert_string_equal(e.msg, "line 1: account 1001 is blocked");

	/* A posted entry is not posted again (or changed). */
	struct journal j;
	build(f->st, &j, "2026-01-16", "twice", (const struct L[]){
		{ "1002", "2.00", NULL, NULL, NULL, NULL },
		{ "6001", NULL, "2.00", NULL, NULL, NULL } }, 2);
	assert_int_equal(store_write(f->st, post_fn, &j, &e), 0);
	assert_int_equal(store_write(f->st, post_fn, &j, &e), K_EINVAL);
	assert_string_equal(e.msg, "a posted entry is not changed: reverse it");
	store_rec_clear(&journal_schema, &j);
	assert_int_equal(closing(f->st, "1002"), M("3.00"));
	assert_int_equal(verify(f->st), 0);
}

static void test_closed_period(void **state)
{
	struct fix *f = *state;
	struct kerr e;

	/* Periods close in order. */
	assert_int_equal(gl_close_period(f->st, "2026-02", &e), K_EINVAL);
	assert_string_equal(e.msg, "close 2026-01 first: periods close in order");
	assert_int_equal(gl_close_period(f->st, "2026-01", &e), 0);
	assert_int_equal(gl_close_period(f->st, "2026-01", &e), K_EINVAL);
	assert_int_equal(POST(f->st, "2026-01-31", "late", NULL, &e,
			      { "1002", "5.00", NULL, NULL, NULL, NULL },
			      { "6001", NULL, "5.00", NULL, NULL, NULL }),
			 K_EINVAL);
	assert_string_equal(e.msg, "period 2026-01 is closed");
	assert_string_equal(e.field, "date");
	assert_int_equal(POST(f->st, "2026-02-01", "in time", NULL, &e,
			      { "1002", "5.00", NULL, NULL, NULL, NULL },
			      { "6001", NULL, "5.00", NULL, NULL, NULL }), 0);
	assert_int_equal(gl_close_period(f->st, "2026-02", &e), 0);
	/* Opening again goes backwards from the last closed. */
	assert_int_equal(gl_reopen_period(f->st, "2026-01", &e), K_EINVAL);
	assert_string_equal(e.msg,
			    "open 2026-02 first: periods open again from the last closed");
	assert_int_equal(gl_reopen_period(f->st, "2026-02", &e), 0);
	assert_int_equal(gl_reopen_period(f->st, "2026-01", &e), 0);
	assert_int_equal(POST(f->st, "2026-01-31", "late", NULL, &e,
			      { "1002", "5.00", NULL, NULL, NULL, NULL },
			      { "6001", NULL, "5.00", NULL, NULL, NULL }), 0);
	assert_int_equal(closing(f->st, "1002"), M("10.00"));
}

struct rev {
	const char *code;
	struct journal out;
};

static int rev_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct rev *r = arg;
	struct journal j;
	int ret;

	memset(&j, 0, sizeof j);
	store_rec_clear(&journal_schema, &r->out);
	if ((ret = store_find_text(t, &journal_schema, "code", r->code, &j,
				   err)))
		return ret;
	ret = gl_reverse(t, j.h.id, DATE_NONE, &r->out, err);
	store_rec_clear(&journal_schema, &j);
	return ret;
}

static void test_reversal(void **state)
{
	struct fix *f = *state;
	struct kerr e;
	char code[32];

	assert_int_equal(POST(f->st, "2026-03-10", "rent", code, &e,
			      { "6602", "5000.00", NULL, "D100", NULL, NULL },
			      { "1002", NULL, "5000.00", NULL, NULL, NULL }), 0);
	assert_int_equal(closing(f->st, "6602"), M("5000.00"));

	struct rev r;
	memset(&r, 0, sizeof r);
	r.code = "JE-000001";
	assert_int_equal(store_write(f->st, rev_fn, &r, &e), 0);
	assert_string_equal(r.out.code, "JE-000002");
	assert_string_equal(r.out.source, "reversal");
	assert_string_equal(r.out.description, "Reversal of JE-000001: rent");
	store_rec_clear(&journal_schema, &r.out);
	/* Balances are back where they were, per cost centre too. */
	assert_int_equal(closing(f->st, "6602"), 0);
	assert_int_equal(closing(f->st, "1002"), 0);
	assert_int_equal(balance(f->st, "6602", NULL, NULL,
				 id_of(f->st, &department_schema, "D100")).closing,
			 0);
	/* Once only; a reversal is not reversed. */
	assert_int_equal(store_write(f->st, rev_fn, &r, &e), K_EINVAL);
	assert_string_equal(e.msg, "entry JE-000001 is reversed already by JE-000002");
	r.code = "JE-000002";
	assert_int_equal(store_write(f->st, rev_fn, &r, &e), K_EINVAL);
	assert_non_null(strstr(e.msg, "is a reversal"));
	store_rec_clear(&journal_schema, &r.out);

	/* The screen's action does the same. */
	assert_int_equal(POST(f->st, "2026-03-11", "fee", code, &e,
			      { "6603", "10.00", NULL, NULL, NULL, NULL },
			      { "1002", NULL, "10.00", NULL, NULL, NULL }), 0);
	const struct ent_hook *h = ent_hook_find("journal_reverse");
	assert_non_null(h);
	struct journal j;
	memset(&j, 0, sizeof j);
	struct store_txn *t;
	assert_int_equal(store_txn_begin(f->st, true, &t, &e), 0);
	assert_int_equal(store_find_text(t, &journal_schema, "code", code, &j,
					 &e), 0);
	store_txn_abort(&t);
	char msg[128];
	assert_int_equal(h->action(f->st, &journal_entity, &j, msg, sizeof msg,
				   &e), 0);
	assert_string_equal(msg, "Entry JE-000003 reversed by JE-000004");
	assert_true(j.reversed_by != 0);
	store_rec_clear(&journal_schema, &j);
	assert_int_equal(closing(f->st, "6603"), 0);
	assert_int_equal(verify(f->st), 0);
}

static void test_foreign_currency(void **state)
{
	struct fix *f = *state;
	struct kerr e;

	/* USD 1,000.00 at the rate of 2026-01 (data/rates.csv) on the bank
	   side; the base side must match the rounded product. */
	struct rr { int64_t rate; } r;
	struct store_txn *t;
	assert_int_equal(store_txn_begin(f->st, true, &t, &e), 0);
	assert_int_equal(fx_rate(t, "CNY", id_of(f->st, &currency_schema, "USD"),
				 D("2026-01-20"), &r.rate, NULL, &e), 0);
	store_txn_abort(&t);
	int64_t base;
	assert_int_equal(num_mul_scaled(M("1000.00"), r.rate, 6, &base), 0);
	char amt[NUM_BUFSZ];
	num_format(base, 2, false, amt, sizeof amt);

	assert_int_equal(POST(f->st, "2026-01-20", "USD receipt", NULL, &e,
			      { "1002", NULL, NULL, NULL, "USD", "1000.00" },
			      { "6051", NULL, amt, NULL, NULL, NULL }), 0);
	assert_int_equal(closing(f->st, "1002"), base);
	/* One cent off in the base currency: refused. */
	num_format(base + 1, 2, false, amt, sizeof amt);
	assert_int_equal(POST(f->st, "2026-01-20", "USD receipt", NULL, &e,
			      { "1002", NULL, NULL, NULL, "USD", "1000.00" },
			      { "6051", NULL, amt, NULL, NULL, NULL }),
			 K_EINVAL);
	assert_non_null(strstr(e.msg, "does not balance"));
	/* No rate on the date: named. */
	struct currency c;
	memset(&c, 0, sizeof c);
	c.code = strdup("CHF");
	c.name = strdup("Swiss franc");
	c.decimals = 2;
	c.status = strdup("active");
	assert_int_equal(ent_save(f->st, &currency_entity, &c, NULL, &e), 0);
	store_rec_clear(&currency_schema, &c);
	assert_int_equal(POST(f->st, "2026-01-20", "CHF", NULL, &e,
			      { "1002", NULL, NULL, NULL, "CHF", "1000.00" },
			      { "6051", NULL, "50.00", NULL, NULL, NULL }),
			 K_ENOTFOUND);
	assert_non_null(strstr(e.msg, "CHF"));
	assert_int_equal(strncmp(e.msg, "line 1: ", 8), 0);  /* whole, not torn */
	assert_null(strstr(e.msg + 8, "line 1: "));
	assert_string_equal(e.field, "lines");
	assert_non_null(strstr(e.msg, "line 1"));
}

static void test_year_end_close(void **state)
{
	struct fix *f = *state;
	struct kerr e;
	int n = -1;

	assert_int_equal(POST(f->st, "2026-03-01", "sales", NULL, &e,
			      { "1002", "10000.00", NULL, NULL, NULL, NULL },
			      { "6001", NULL, "10000.00", NULL, NULL, NULL }), 0);
	assert_int_equal(POST(f->st, "2026-06-30", "costs", NULL, &e,
			      { "6401", "6000.00", NULL, NULL, NULL, NULL },
			      { "6602", "1500.00", NULL, NULL, NULL, NULL },
			      { "1002", NULL, "7500.00", NULL, NULL, NULL }), 0);
	/* Profit 10,000 - 7,500 = 2,500.00. */
	assert_int_equal(gl_close_year(f->st, "2026", 1, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(closing(f->st, "6001"), 0);
	assert_int_equal(closing(f->st, "6401"), 0);
	assert_int_equal(closing(f->st, "6602"), 0);
	assert_int_equal(closing(f->st, "4103"), 0);
	assert_int_equal(closing(f->st, "4104"), -M("2500.00"));
	assert_int_equal(closing(f->st, "1002"), M("2500.00"));
	/* Closed: the year and its periods; the next year is there. */
	assert_int_equal(POST(f->st, "2026-12-31", "late", NULL, &e,
			      { "1002", "1.00", NULL, NULL, NULL, NULL },
			      { "6001", NULL, "1.00", NULL, NULL, NULL }),
			 K_EINVAL);
	assert_string_equal(e.msg, "period 2026-12 is closed");
	assert_int_equal(gl_close_year(f->st, "2026", 1, &n, &e), K_EINVAL);
	assert_string_equal(e.msg, "fiscal year 2026 is closed already");
	assert_int_equal(POST(f->st, "2027-01-02", "new year", NULL, &e,
			      { "1002", "1.00", NULL, NULL, NULL, NULL },
			      { "6001", NULL, "1.00", NULL, NULL, NULL }), 0);
	/* A closed year's period does not open again. */
	assert_int_equal(gl_reopen_period(f->st, "2026-12", &e), K_EINVAL);
	assert_non_null(strstr(e.msg, "fiscal year 2026 is closed"));
	assert_int_equal(verify(f->st), 0);
}

static int tpl_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct jtemplate *tp = arg;
	int ret = ent_check(t, &jtemplate_entity, tp, err);

	return ret ? ret : store_insert(t, &jtemplate_schema, tp, err);
}

static void test_recurring(void **state)
{
	struct fix *f = *state;
	struct kerr e;
	struct journal j;
	struct jtemplate tp;
	int posted = -1, skipped = -1;

	build(f->st, &j, "2026-01-01", "x", (const struct L[]){
		{ "6602", "8000.00", NULL, "D100", NULL, NULL },
		{ "2241", NULL, "8000.00", NULL, NULL, NULL } }, 2);
	memset(&tp, 0, sizeof tp);
	tp.code = strdup("RENT");
	tp.description = strdup("月租 office rent");
	tp.day = 31;                      /* the month's last day */
	tp.start = D("2026-02-01");
	tp.end = D("2026-04-30");
	tp.status = strdup("active");
	tp.lines = j.lines;
	j.lines.items = NULL;
	j.lines.n = 0;
	store_rec_clear(&journal_schema, &j);
	if (store_write(f->st, tpl_fn, &tp, &e))
		fail_msg("template: %s", e.msg);
	store_rec_clear(&jtemplate_schema, &tp);

	assert_int_equal(gl_recur_run(f->st, "2026-01", &posted, &skipped, &e), 0);
	assert_int_equal(posted, 0);           /* before its first month */
	{ int r_ = gl_recur_run(f->st, "2026-02", &posted, &skipped, &e); if (r_) fail_msg("recur: %d %s", r_, e.msg); }
	assert_int_equal(posted, 1);
	assert_int_equal(skipped, 0);
	assert_int_equal(gl_recur_run(f->st, "2026-02", &posted, &skipped, &e), 0);
	assert_int_equal(posted, 0);
	assert_int_equal(skipped, 1);
	assert_int_equal(gl_recur_run(f->st, "2026-04", &posted, &skipped, &e), 0);
	assert_int_equal(posted, 1);           /* its last month */
	assert_int_equal(gl_recur_run(f->st, "2026-05", &posted, &skipped, &e), 0);
	assert_int_equal(posted, 0);           /* after its last month */
	assert_int_equal(closing(f->st, "6602"), M("16000.00"));
	/* Dated the 28th: February 2026 has no 31st. */
	struct gl_sum s = balance(f->st, "2241", "2026-02-01", "2026-02-28", -1);
	assert_int_equal(s.credit, M("8000.00"));
	assert_int_equal(gl_recur_run(f->st, "2099-01", &posted, &skipped, &e),
			 K_ENOTFOUND);
	assert_string_equal(e.msg, "no period 2099-01");
}

static void test_roles(void **state)
{
	struct fix *f = *state;
	struct kerr e;
	struct store_txn *t;
	int64_t acc = 0;

	assert_int_equal(store_txn_begin(f->st, true, &t, &e), 0);
	assert_int_equal(gl_role_account(t, "receivable", &acc, &e), 0);
	assert_int_equal(acc, id_of(f->st, &account_schema, "1122"));
	assert_int_equal(gl_role_account(t, "nonesuch", &acc, &e), K_ENOTFOUND);
	assert_string_equal(e.msg,
			    "no account for role nonesuch: set it under Finance setup > Account roles");
	store_txn_abort(&t);

	struct glrole r;
	memset(&r, 0, sizeof r);
	r.code = strdup("nonesuch");
	r.account = id_of(f->st, &account_schema, "1002");
	assert_int_equal(ent_save(f->st, &glrole_entity, &r, NULL, &e), K_EINVAL);
	assert_string_equal(e.field, "code");
	free(r.code);
	r.code = strdup("bank");
	r.account = id_of(f->st, &account_schema, "2221");
	assert_int_equal(ent_save(f->st, &glrole_entity, &r, NULL, &e), K_EINVAL);
	assert_string_equal(e.msg,
			    "account 2221 is a heading; a role needs an account entries post to");
	r.account = id_of(f->st, &account_schema, "1012");
	assert_int_equal(ent_save(f->st, &glrole_entity, &r, NULL, &e), K_EEXIST);
	store_rec_clear(&glrole_schema, &r);
}

/* Two clerks post at once: the second waits for the first's number. */
static void test_concurrent_numbers(void **state)
{
	struct fix *f = *state;
	struct kerr e;
	struct journal a, b;
	struct store_txn *t1, *t2;

	build(f->st, &a, "2026-04-01", "first", (const struct L[]){
		{ "1002", "1.00", NULL, NULL, NULL, NULL },
		{ "6001", NULL, "1.00", NULL, NULL, NULL } }, 2);
	build(f->st, &b, "2026-04-01", "second", (const struct L[]){
		{ "1001", "2.00", NULL, NULL, NULL, NULL },
		{ "6051", NULL, "2.00", NULL, NULL, NULL } }, 2);
	assert_int_equal(store_txn_begin(f->st, false, &t1, &e), 0);
	assert_int_equal(gl_post(t1, &a, &e), 0);
	assert_int_equal(store_txn_begin(f->st, false, &t2, &e), 0);
	/* The counter row is locked by t1: t2 is told to try again. */
	assert_int_equal(gl_post(t2, &b, &e), K_EBUSY);
	store_txn_abort(&t2);
	assert_int_equal(store_txn_commit(&t1, &e), 0);
	/* b may carry fields the refused attempt set; a fresh copy. */
	store_rec_clear(&journal_schema, &b);
	build(f->st, &b, "2026-04-01", "second", (const struct L[]){
		{ "1001", "2.00", NULL, NULL, NULL, NULL },
		{ "6051", NULL, "2.00", NULL, NULL, NULL } }, 2);
	assert_int_equal(store_write(f->st, post_fn, &b, &e), 0);
	assert_string_equal(a.code, "JE-000001");
	assert_string_equal(b.code, "JE-000002");
	store_rec_clear(&journal_schema, &a);
	store_rec_clear(&journal_schema, &b);
	assert_int_equal(verify(f->st), 0);
}

/* Random balanced entries: the balances are the sums of the lines. */
static void test_property_random(void **state)
{
	struct fix *f = *state;
	static const char *const accts[] = {
		"1001", "1002", "1221", "1405", "2241", "2221.01", "2221.02",
		"6001", "6401", "6602", "6603", "4103",
	};
	enum { NA = sizeof accts / sizeof *accts, ENTRIES = 300 };
	int64_t expect[NA] = { 0 };
	int64_t ids[NA];
	struct kerr e;
	unsigned seed = 20261127;

	for (int i = 0; i < NA; i++)
		ids[i] = id_of(f->st, &account_schema, accts[i]);
	for (int k = 0; k < ENTRIES; k++) {
		size_t n = 2 + (size_t)(rand_r(&seed) % 6);
		struct journal j;
		struct jline *v = calloc(n, sizeof *v);
		int64_t sum = 0;
		char date[16];

		assert_non_null(v);
		memset(&j, 0, sizeof j);
		snprintf(date, sizeof date, "2026-%02d-%02d",
			 1 + rand_r(&seed) % 12, 1 + rand_r(&seed) % 28);
		j.date = D(date);
		j.description = strdup("random");
		j.lines.items = v;
		j.lines.n = n;
		for (size_t i = 0; i < n; i++) {
			int a = rand_r(&seed) % NA;
			v[i].account = ids[a];
			int64_t amt;
			if (i + 1 < n) {
				/* -500.00 .. 500.00, never 0 */
				amt = (rand_r(&seed) % 100000) - 50000;
				if (amt == 0)
					amt = 1;
			} else {
				amt = -sum;     /* 0: an unlucky draw, skipped */
			}
			if (amt > 0)
				v[i].debit = amt;
			else
				v[i].credit = -amt;
			sum += amt;
		}
		if (v[n - 1].debit == 0 && v[n - 1].credit == 0) {
			store_rec_clear(&journal_schema, &j);
			continue;
		}
		int ret = store_write(f->st, post_fn, &j, &e);
		if (ret)
			fail_msg("entry %d: %s", k, e.msg);
		for (size_t i = 0; i < n; i++)
			for (int a = 0; a < NA; a++)
				if (v[i].account == ids[a])
					expect[a] += v[i].debit - v[i].credit;
		store_rec_clear(&journal_schema, &j);
	}
	int64_t total = 0;
	for (int a = 0; a < NA; a++) {
		int64_t got = closing(f->st, accts[a]);
		if (got != expect[a])
			fail_msg("%s: %lld, expected %lld", accts[a],
				 (long long)got, (long long)expect[a]);
		total += got;
	}
	assert_int_equal(total, 0);     /* the ledger balances */
	assert_int_equal(verify(f->st), 0);
}

static int damage_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct glbal row;
	int ret;

	(void)arg;
	memset(&row, 0, sizeof row);
	if ((ret = store_cursor_open(t, &glbal_schema, "key", &c, err)))
		return ret;
	ret = store_cursor_next(c, &row, err);
	store_cursor_close(&c);
	if (ret == 0) {
		row.debit += 1;         /* one cent that no entry posted */
		ret = store_update(t, &glbal_schema, &row, err);
	}
	store_rec_clear(&glbal_schema, &row);
	return ret;
}

/* Mode 1: the first line index row's credit +1 cent; 2: it is gone. */
static int damage_lines_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct jlinex row;
	int ret;

	memset(&row, 0, sizeof row);
	if ((ret = store_cursor_open(t, &jlinex_schema, NULL, &c, err)))
		return ret;
	ret = store_cursor_next(c, &row, err);
	store_cursor_close(&c);
	if (ret == 0 && *(int *)arg == 1) {
		row.credit += 1;
		ret = store_update(t, &jlinex_schema, &row, err);
	} else if (ret == 0) {
		ret = store_delete(t, &jlinex_schema, &row, err);
	}
	store_rec_clear(&jlinex_schema, &row);
	return ret;
}

/*
 * The control accounts (roles receivable 1122 and payable 2202) are the
 * subledgers' own: their balance is the sum of the open items, so a
 * manual, imported or recurring line there is refused, and an entry the
 * receivables posted is not reversed in the ledger.
 */
static int post_as(struct store *st, const char *source, const char *date,
		   const struct L *l, size_t n, struct kerr *err)
{
	struct journal j;
	int ret;

	build(st, &j, date, "control", l, n);
	j.source = strdup(source);
	j.source_ref = strdup("AR-2026-000001");
	kerr_clear(err);
	ret = store_write(st, post_fn, &j, err);
	store_rec_clear(&journal_schema, &j);
	return ret;
}

static void test_control_accounts(void **state)
{
	struct fix *f = *state;
	struct kerr e;
	const struct L sale[] = {
		{ "6001", NULL, "100.00", NULL, NULL, NULL },
		{ "1122", "100.00", NULL, NULL, NULL, NULL },
	};
	const struct L bill[] = {
		{ "1405", "50.00", NULL, NULL, NULL, NULL },
		{ "2202", NULL, "50.00", NULL, NULL, NULL },
	};

	/* By hand, imported or recurring: refused, the line named. */
	assert_int_equal(post_as(f->st, "manual", "2026-04-01", sale, 2, &e),
			 K_EINVAL);
	assert_string_equal(e.field, "lines");
	assert_string_equal(e.msg, "line 2: account 1122 is the receivables control account: post customer invoices, credit notes and receipts under Receivables");
	assert_int_equal(post_as(f->st, "import", "2026-04-01", bill, 2, &e),
			 K_EINVAL);
	assert_non_null(strstr(e.msg, "line 2: account 2202 is the payables control account"));
	assert_int_equal(post_as(f->st, "recurring", "2026-04-01", sale, 2,
				 &e), K_EINVAL);
	/* The payables may not post to the receivables' account either. */
	assert_int_equal(post_as(f->st, "ap", "2026-04-01", sale, 2, &e),
			 K_EINVAL);
	assert_int_equal(closing(f->st, "1122"), 0);
	assert_int_equal(closing(f->st, "2202"), 0);

	/* The subledger's own postings go through. */
	assert_int_equal(post_as(f->st, "ar", "2026-04-01", sale, 2, &e), 0);
	assert_int_equal(post_as(f->st, "ap", "2026-04-01", bill, 2, &e), 0);
	assert_int_equal(closing(f->st, "1122"), M("100.00"));
	assert_int_equal(closing(f->st, "2202"), -M("50.00"));

	/* Its entry is corrected in the subledger, not reversed here. */
	struct rev r;
	memset(&r, 0, sizeof r);
	r.code = "JE-000001";
	assert_int_equal(store_write(f->st, rev_fn, &r, &e), K_EINVAL);
	assert_string_equal(e.msg, "entry JE-000001 was posted by receivables for AR-2026-000001: correct it under Receivables (an invoice by a credit note)");
	assert_int_equal(closing(f->st, "1122"), M("100.00"));

	assert_int_equal(verify(f->st), 0);
}

/* The balance table and the line index are checked against the entries. */
static void test_verify_finds_damage(void **state)
{
	struct fix *f = *state;
	struct kerr e;

	assert_int_equal(POST(f->st, "2026-05-05", "x", NULL, &e,
			      { "1002", "7.00", NULL, NULL, NULL, NULL },
			      { "6001", NULL, "7.00", NULL, NULL, NULL }), 0);
	assert_int_equal(verify(f->st), 0);
	assert_int_equal(store_write(f->st, damage_fn, NULL, &e), 0);
	assert_int_equal(verify(f->st), 1);

	/* A line index row that says another amount is named; once it is
	   gone, the count is (2 lines posted, 1 row left). */
	int mode = 1;
	assert_int_equal(store_write(f->st, damage_lines_fn, &mode, &e), 0);
	assert_int_equal(verify(f->st), 2);
	mode = 2;
	assert_int_equal(store_write(f->st, damage_lines_fn, &mode, &e), 0);
	assert_int_equal(verify(f->st), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_post_and_balances),
		T(test_refusals),
		T(test_closed_period),
		T(test_reversal),
		T(test_foreign_currency),
		T(test_year_end_close),
		T(test_recurring),
		T(test_roles),
		T(test_concurrent_numbers),
		T(test_property_random),
		T(test_control_accounts),
		T(test_verify_finds_damage),
#undef T
	};

	return cmocka_run_group_tests_name("gl", tests, NULL, NULL);
}
