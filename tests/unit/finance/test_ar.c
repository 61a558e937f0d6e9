/*
 * test_ar.c - accounts receivable on a real environment: line
 * arithmetic, posting invoices and credit notes, receipts with partial,
 * over- and under-payment, write-offs and refused allocations, the
 * credit limit, aging as of a date, the statement, dunning, two
 * transactions allocating one item, and bulk posting in one
 * transaction (sl_doc_post_txn).  Amounts in the comments are
 * worked by hand.
 */
#include "arap_fix.h"

static const struct sl_ledger *const L = &sl_ar;

/* ------------------------------------------------------- arithmetic */

static void test_line_amounts(void **state)
{
	int64_t net, tax;

	(void)state;
	/* 3 x 33.3333 = 99.9999 -> 100.00; 13% of 100.00 = 13.00 */
	assert_int_equal(sl_line_amounts(3000, 333333, 0, 130000, &net, &tax), 0);
	assert_int_equal(net, 10000);
	assert_int_equal(tax, 1300);
	/* 1.5 x 19.99 = 29.985, less 10% = 26.9865 -> 26.99;
	   13% of 26.99 = 3.5087 -> 3.51 */
	assert_int_equal(sl_line_amounts(1500, 199900, 100000, 130000, &net, &tax), 0);
	assert_int_equal(net, 2699);
	assert_int_equal(tax, 351);
	/* half away from zero: 1 x 0.125 = 0.125 -> 0.13; 0.13 x 50% =
	   0.065 -> 0.07 */
	assert_int_equal(sl_line_amounts(1000, 1250, 0, 500000, &net, &tax), 0);
	assert_int_equal(net, 13);
	assert_int_equal(tax, 7);
	/* a return line: -2 x 10.005 = -20.01; 6% = -1.2006 -> -1.20 */
	assert_int_equal(sl_line_amounts(-2000, 100050, 0, 60000, &net, &tax), 0);
	assert_int_equal(net, -2001);
	assert_int_equal(tax, -120);
	/* tax per line, not on the total: two lines of 0.05 at 13% are
	   0.01 each (0.0065 -> 0.01), 0.02 together; on the total 0.10
	   it would be 0.013 -> 0.01 */
	assert_int_equal(sl_line_amounts(1000, 500, 0, 130000, &net, &tax), 0);
	assert_int_equal(tax, 1);
	/* 100% discount: nothing */
	assert_int_equal(sl_line_amounts(5000, 999999, 1000000, 130000, &net, &tax), 0);
	assert_int_equal(net, 0);
	assert_int_equal(tax, 0);
	/* too large */
	assert_int_equal(sl_line_amounts(INT64_MAX, INT64_MAX, 0, 0, &net, &tax),
			 K_ERANGE);
}

static void test_buckets(void **state)
{
	kdate due = D("2026-02-09");

	(void)state;
	/* columns: 2 current, 3 1-30, 4 31-60, 5 61-90, 6 over 90 */
	assert_int_equal(arap_aging_bucket(due, due - 1), 2);
	assert_int_equal(arap_aging_bucket(due, due), 2);
	assert_int_equal(arap_aging_bucket(due, due + 1), 3);
	assert_int_equal(arap_aging_bucket(due, due + 30), 3);
	assert_int_equal(arap_aging_bucket(due, due + 31), 4);
	assert_int_equal(arap_aging_bucket(due, due + 60), 4);
	assert_int_equal(arap_aging_bucket(due, due + 61), 5);
	assert_int_equal(arap_aging_bucket(due, due + 90), 5);
	assert_int_equal(arap_aging_bucket(due, due + 91), 6);
	/* dunning levels: 1 from day 1, 2 from 31, 3 from 61 */
	assert_int_equal(ar_dunning_level_for(0), 0);
	assert_int_equal(ar_dunning_level_for(1), 1);
	assert_int_equal(ar_dunning_level_for(30), 1);
	assert_int_equal(ar_dunning_level_for(31), 2);
	assert_int_equal(ar_dunning_level_for(60), 2);
	assert_int_equal(ar_dunning_level_for(61), 3);
	assert_int_equal(ar_dunning_level_for(999), 3);
}

/* ---------------------------------------------------------- invoices */

/* The invoice of the worked example: gross 141.61 (see below). */
static void example_invoice(struct store *st, char *code, size_t n,
			    const char *party, const char *date)
{
	char head[200];

	snprintf(head, sizeof head, "party=%s;date=%s", party, date);
	draft(st, &arinv_entity, code, n, head,
	      "item=W1;qty=3;price=33.3333;tax_code=VAT13",
	      "account=6051;description=Service;qty=1.5;price=19.99;discount=0.10;tax_code=VAT6",
	      (const char *)NULL);
}

static void test_invoice_post(void **state)
{
	struct testenv *f = *state;
	struct sl_posted o;
	struct openitem it;
	struct sldoc *d;
	char code[64];

	example_invoice(f->st, code, sizeof code, "C1", "2026-01-10");
	/* a draft gets its code from the draft counter */
	assert_string_equal(code, "AR-D000001");
	d = load(f->st, &arinv_entity, code);
	/* line 1: 3 x 33.3333 = 100.00, VAT13 13.00;
	   line 2: 1.5 x 19.99 less 10% = 26.99, VAT6 1.6194 -> 1.62;
	   net 126.99, tax 14.62, gross 141.61 */
	assert_int_equal(d->net, money("126.99"));
	assert_int_equal(d->tax, money("14.62"));
	assert_int_equal(d->gross, money("141.61"));
	assert_string_equal(d->status, "draft");
	assert_string_equal(((struct slline *)d->lines.items)[0].description,
			    "Widget 部件");
	ent_free(&arinv_entity, d);

	post_ok(f->st, L, code, &o);
	assert_string_equal(o.number, "INV-000001");
	assert_int_equal(o.gross, money("141.61"));
	assert_false(o.over_limit);
	/* Dr 1122 141.61 / Cr 6001 100.00, Cr 6051 26.99, Cr 2221.02 14.62 */
	assert_int_equal(gl(f->st, "1122"), money("141.61"));
	assert_int_equal(gl(f->st, "6001"), -money("100.00"));
	assert_int_equal(gl(f->st, "6051"), -money("26.99"));
	assert_int_equal(gl(f->st, "2221.02"), -money("14.62"));
	/* one item, NET30: 2026-01-10 + 30 = 2026-02-09 */
	item(f->st, L, "INV-000001", &it);
	assert_int_equal(it.amount, money("141.61"));
	assert_int_equal(it.open, money("141.61"));
	assert_int_equal(it.due, D("2026-02-09"));
	assert_string_equal(it.status, "open");
	store_rec_clear(&aritem_schema, &it);
	assert_int_equal(party_bal(f->st, L, "C1"), money("141.61"));
	d = load(f->st, &arinv_entity, code);
	assert_string_equal(d->status, "posted");
	assert_string_equal(d->number, "INV-000001");
	assert_int_equal(d->due, D("2026-02-09"));
	assert_true(d->journal != 0);
	ent_free(&arinv_entity, d);
	verify_ok(f->st, L);

	/* posting again is refused; the number series moved by one */
	post_refused(f->st, L, code, "status", "posted already");
	example_invoice(f->st, code, sizeof code, "C1", "2026-01-11");
	post_ok(f->st, L, code, &o);
	assert_string_equal(o.number, "INV-000002");
	assert_int_equal(gl(f->st, "1122"), 2 * money("141.61"));
	verify_ok(f->st, L);
}

static void test_instalments(void **state)
{
	struct testenv *f = *state;
	struct openitem a, b;
	char code[64];

	/* 30-70: 30% on the invoice date, 70% 60 days later.  Of gross
	   141.61, 30% is 42.483 and 70% 99.127: 42.48 + 99.12 leave one
	   fen, which goes to the larger remainder (.7 of a fen): 99.13 */
	example_invoice(f->st, code, sizeof code, "CI", "2026-03-01");
	post_ok(f->st, L, code, NULL);
	item(f->st, L, "INV-000001/1", &a);
	item(f->st, L, "INV-000001/2", &b);
	assert_int_equal(a.due, D("2026-03-01"));
	assert_int_equal(b.due, D("2026-04-30"));
	assert_int_equal(a.amount + b.amount, money("141.61"));
	assert_int_equal(a.amount, money("42.48"));
	assert_int_equal(b.amount, money("99.13"));
	store_rec_clear(&aritem_schema, &a);
	store_rec_clear(&aritem_schema, &b);
	verify_ok(f->st, L);
}

static void test_refusals(void **state)
{
	struct testenv *f = *state;
	struct party *p;
	struct sldoc *d;
	struct kerr err;
	char code[64], empty[64];

	/* an empty document */
	draft(f->st, &arinv_entity, empty, sizeof empty,
	      "party=C2;date=2026-01-05", (const char *)NULL);
	post_refused(f->st, L, empty, "lines", "no lines");
	/* a total of 0 */
	draft(f->st, &arinv_entity, code, sizeof code,
	      "party=C2;date=2026-01-05",
	      "description=Free sample;qty=1;price=10;discount=1",
	      (const char *)NULL);
	post_refused(f->st, L, code, "lines", "more than 0");
	/* a blocked party: the message names it, the field is party */
	example_invoice(f->st, code, sizeof code, "C2", "2026-01-05");
	p = load(f->st, &party_entity, "C2");
	free(p->status);
	p->status = strdup("blocked");
	save_ok(f->st, &party_entity, p);
	ent_free(&party_entity, p);
	post_refused(f->st, L, code, "party", "party C2 is blocked");
	/* a closed period: gl_check says so, naming the period */
	example_invoice(f->st, code, sizeof code, "C1", "2026-01-20");
	{
		struct period *per = load(f->st, &period_entity, "2026-01");
		free(per->status);
		per->status = strdup("closed");
		save_ok(f->st, &period_entity, per);
		ent_free(&period_entity, per);
	}
	post_refused(f->st, L, code, "date", "2026-01");
	/* nothing was written by the refused posts */
	assert_false(item_exists(f->st, L, "INV-000001"));
	assert_int_equal(gl(f->st, "1122"), 0);
	assert_int_equal(party_bal(f->st, L, "C1"), 0);
	verify_ok(f->st, L);

	/* a supplier is no customer; a bad tax kind names the line */
	d = make(f->st, &arinv_entity, "party=S1;date=2026-02-01");
	kerr_clear(&err);
	assert_int_equal(ent_save(f->st, &arinv_entity, d, NULL, &err), K_EINVAL);
	assert_string_equal(err.field, "party");
	ent_free(&arinv_entity, d);
	d = make(f->st, &arinv_entity, "party=C1;date=2026-02-01");
	add_elem(f->st, &arinv_schema, d, "lines", "item=W1;qty=1");
	add_elem(f->st, &arinv_schema, d, "lines",
		 "description=x;qty=1;price=1;tax_code=VAT13-IN");
	kerr_clear(&err);
	assert_int_equal(ent_save(f->st, &arinv_entity, d, NULL, &err), K_EINVAL);
	assert_string_equal(err.field, "lines");
	expect_in(err.msg, "line 2: tax code VAT13-IN is input tax");
	ent_free(&arinv_entity, d);
	/* foreign currency is not supported yet */
	d = make(f->st, &arinv_entity, "party=C1;date=2026-02-01;currency=USD");
	kerr_clear(&err);
	assert_int_equal(ent_save(f->st, &arinv_entity, d, NULL, &err), K_EINVAL);
	assert_string_equal(err.field, "currency");
	ent_free(&arinv_entity, d);
}

static void test_posted_is_final(void **state)
{
	struct testenv *f = *state;
	struct sldoc *d;
	struct kerr err;
	char code[64];

	example_invoice(f->st, code, sizeof code, "C1", "2026-02-01");
	post_ok(f->st, L, code, NULL);
	d = load(f->st, &arinv_entity, code);
	free(d->description);
	d->description = strdup("changed");
	kerr_clear(&err);
	assert_int_equal(ent_save(f->st, &arinv_entity, d, NULL, &err), K_EINVAL);
	assert_string_equal(err.field, "status");
	expect_in(err.msg, "is posted");
	/* nor deleted: its open item refers to it */
	kerr_clear(&err);
	assert_int_equal(ent_delete(f->st, &arinv_entity, d, &err),
			 K_EREFERENCED);
	ent_free(&arinv_entity, d);
	/* a draft cannot be saved as posted */
	d = make(f->st, &arinv_entity, "party=C1;date=2026-02-01;status=posted");
	kerr_clear(&err);
	assert_int_equal(ent_save(f->st, &arinv_entity, d, NULL, &err), K_EINVAL);
	assert_string_equal(err.field, "status");
	ent_free(&arinv_entity, d);
}

static void test_credit_note(void **state)
{
	struct testenv *f = *state;
	struct sl_posted o;
	char inv[64], cn[64], head[200];

	example_invoice(f->st, inv, sizeof inv, "C1", "2026-02-01");
	post_ok(f->st, L, inv, NULL);
	/* a credit note for one widget: 33.33 + 13% 4.33 = 37.66, applied
	   to INV-000001 (141.61): 103.95 stays open */
	snprintf(head, sizeof head,
		 "kind=credit-note;party=C1;date=2026-02-05;applies_to=%s", inv);
	draft(f->st, &arinv_entity, cn, sizeof cn, head,
	      "item=W1;qty=1;price=33.3333;tax_code=VAT13", (const char *)NULL);
	post_ok(f->st, L, cn, &o);
	assert_string_equal(o.number, "CN-000001");
	assert_int_equal(item_open(f->st, L, "INV-000001"), money("103.95"));
	assert_int_equal(item_open(f->st, L, "CN-000001"), 0);
	assert_int_equal(party_bal(f->st, L, "C1"), money("103.95"));
	/* Dr 6001 33.33, Dr 2221.02 4.33, Cr 1122 37.66 */
	assert_int_equal(gl(f->st, "1122"), money("103.95"));
	assert_int_equal(gl(f->st, "6001"), -money("100.00") + money("33.33"));
	assert_int_equal(gl(f->st, "2221.02"), -money("14.62") + money("4.33"));
	verify_ok(f->st, L);

	/* a credit note without an invoice stays on account (negative) */
	draft(f->st, &arinv_entity, cn, sizeof cn,
	      "kind=credit-note;party=C1;date=2026-02-06",
	      "description=Goodwill;price=10", (const char *)NULL);
	post_ok(f->st, L, cn, NULL);
	assert_int_equal(item_open(f->st, L, "CN-000002"), -money("10.00"));
	assert_int_equal(party_bal(f->st, L, "C1"), money("93.95"));
	verify_ok(f->st, L);

	/* a note applying to another party's invoice, or to a draft */
	snprintf(head, sizeof head,
		 "kind=credit-note;party=C2;date=2026-02-07;applies_to=%s", inv);
	{
		struct sldoc *d = make(f->st, &arinv_entity, head);
		struct kerr err;
		kerr_clear(&err);
		assert_int_equal(ent_save(f->st, &arinv_entity, d, NULL, &err),
				 K_EINVAL);
		assert_string_equal(err.field, "applies_to");
		ent_free(&arinv_entity, d);
	}
}

/* ---------------------------------------------------------- receipts */

static void test_receipts(void **state)
{
	struct testenv *f = *state;
	struct sl_posted o;
	struct slpay *p;
	char inv[64], r[64];

	/* INV-000001 141.61 due 2026-02-09; INV-000002 141.61 */
	example_invoice(f->st, inv, sizeof inv, "C1", "2026-01-10");
	post_ok(f->st, L, inv, NULL);
	example_invoice(f->st, inv, sizeof inv, "C1", "2026-01-12");
	post_ok(f->st, L, inv, NULL);

	/* partial: 100.00 on INV-000001 leaves 41.61 */
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-02-01;amount=100",
	      "item=INV-000001;amount=100", (const char *)NULL);
	post_ok(f->st, L, r, &o);
	assert_string_equal(o.number, "RCPT-000001");
	assert_int_equal(item_open(f->st, L, "INV-000001"), money("41.61"));
	/* Dr 1002 100.00 / Cr 1122 100.00 */
	assert_int_equal(gl(f->st, "1002"), money("100.00"));
	assert_int_equal(gl(f->st, "1122"), money("183.22"));
	verify_ok(f->st, L);

	/* over-allocating an item is refused, naming the line */
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-02-02;amount=50",
	      "item=INV-000001;amount=41.62", (const char *)NULL);
	post_refused(f->st, L, r, "allocs",
		     "line 1: 41.62 is more than the 41.61 open on item INV-000001");
	/* allocations above the money are refused, on the draft already */
	p = make(f->st, &arrcpt_entity, "party=C1;date=2026-02-02;amount=40");
	add_elem(f->st, &arrcpt_schema, p, "allocs",
		 "item=INV-000001;amount=41.61");
	save_refused(f->st, &arrcpt_entity, p, "allocs",
		     "the allocations come to 41.61, more than the amount 40.00");
	ent_free(&arrcpt_entity, p);
	/* so is a write-off above 10.00 */
	p = make(f->st, &arrcpt_entity, "party=C1;date=2026-02-02;amount=30");
	add_elem(f->st, &arrcpt_schema, p, "allocs",
		 "item=INV-000001;amount=30;writeoff=10.01");
	save_refused(f->st, &arrcpt_entity, p, "allocs",
		     "line 1: a write-off may be at most 10.00");
	ent_free(&arrcpt_entity, p);
	/* the wrong party's item */
	p = make(f->st, &arrcpt_entity, "party=C2;date=2026-02-02;amount=30");
	add_elem(f->st, &arrcpt_schema, p, "allocs",
		 "item=INV-000001;amount=30");
	save_refused(f->st, &arrcpt_entity, p, "allocs",
		     "line 1: item INV-000001 is another party's");
	ent_free(&arrcpt_entity, p);
	verify_ok(f->st, L);

	/* a write-off only settles: 30.00 + 0.05 leaves 11.56 open */
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-02-03;amount=30",
	      "item=INV-000001;amount=30;writeoff=0.05", (const char *)NULL);
	post_refused(f->st, L, r, "allocs",
		     "line 1: a write-off settles the item: 30.00 + 0.05 does not come to the 41.61 open on INV-000001");
	/* under-payment with a write-off: 41.56 paid, 0.05 written off:
	   the item is settled; Dr 1002 41.56, Dr 6603 0.05, Cr 1122 41.61 */
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-02-03;amount=41.56",
	      "item=INV-000001;amount=41.56;writeoff=0.05", (const char *)NULL);
	post_ok(f->st, L, r, &o);
	assert_int_equal(item_open(f->st, L, "INV-000001"), 0);
	assert_int_equal(gl(f->st, "6603"), money("0.05"));
	assert_int_equal(gl(f->st, "1122"), money("141.61"));
	p = load(f->st, &arrcpt_entity, r);
	assert_int_equal(p->writeoff, money("0.05"));
	assert_int_equal(p->unapplied, 0);
	ent_free(&arrcpt_entity, p);
	/* a settled item takes nothing more */
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-02-03;amount=1",
	      "item=INV-000001;amount=1", (const char *)NULL);
	post_refused(f->st, L, r, "allocs", "settled already");
	verify_ok(f->st, L);

	/* over-payment: 200.00 for INV-000002 (141.61): 58.39 on account */
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-02-10;amount=200",
	      "item=INV-000002;amount=141.61", (const char *)NULL);
	post_ok(f->st, L, r, &o);
	assert_int_equal(item_open(f->st, L, "INV-000002"), 0);
	assert_int_equal(item_open(f->st, L, o.number), -money("58.39"));
	assert_int_equal(party_bal(f->st, L, "C1"), -money("58.39"));
	assert_int_equal(gl(f->st, "1122"), -money("58.39"));
	verify_ok(f->st, L);

	/* cash with no allocation at all: all on account */
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-02-11;amount=10", (const char *)NULL);
	post_ok(f->st, L, r, &o);
	assert_int_equal(item_open(f->st, L, o.number), -money("10.00"));

	/* the credit used later: INV-000003 141.61 paid with 73.22 cash
	   and the 58.39 + 10.00 on account (RCPT-000003, RCPT-000004) */
	example_invoice(f->st, inv, sizeof inv, "C1", "2026-02-12");
	post_ok(f->st, L, inv, NULL);
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-02-15;amount=73.22",
	      "item=INV-000003;amount=141.61",
	      "item=RCPT-000003;amount=-58.39",
	      "item=RCPT-000004;amount=-10", (const char *)NULL);
	post_ok(f->st, L, r, &o);
	assert_int_equal(item_open(f->st, L, "INV-000003"), 0);
	assert_int_equal(item_open(f->st, L, "RCPT-000003"), 0);
	assert_int_equal(item_open(f->st, L, "RCPT-000004"), 0);
	assert_int_equal(party_bal(f->st, L, "C1"), 0);
	assert_int_equal(gl(f->st, "1122"), 0);
	/* cash in: 100 + 41.56 + 200 + 10 + 73.22 = 424.78 */
	assert_int_equal(gl(f->st, "1002"), money("424.78"));
	verify_ok(f->st, L);

	/* a credit used the wrong way (positive on a negative item) */
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-02-16;amount=5", (const char *)NULL);
	post_ok(f->st, L, r, &o);
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-02-16;amount=5",
	      "item=RCPT-000006;amount=5", (const char *)NULL);
	post_refused(f->st, L, r, "allocs", "goes the wrong way");
}

/* ---------------------------------------------------------- reversing */

static int64_t open_asof(struct store *st, const char *code, const char *d)
{
	struct store_txn *t = snap(st);
	struct openitem it;
	struct kerr err;
	int64_t v = -1;

	memset(&it, 0, sizeof it);
	assert_int_equal(sl_item_find(t, L, code, &it, &err), 0);
	assert_int_equal(sl_item_open_asof(t, L, &it, D(d), &v, &err), 0);
	store_rec_clear(L->item, &it);
	end(&t);
	return v;
}

static int reverse(struct store *st, const char *number, const char *date,
		   struct sl_posted *o, struct kerr *err)
{
	kerr_clear(err);
	return sl_pay_reverse(st, L, number, date ? D(date) : DATE_NONE,
			      "cheque bounced", o, err);
}

static void test_reverse_receipt(void **state)
{
	struct testenv *f = *state;
	struct sl_posted o;
	struct kerr err;
	struct slpay *p;
	char inv[64], r[64];

	/* INV-000001 141.61, paid 141.56 + 0.05 written off (RCPT-000001) */
	example_invoice(f->st, inv, sizeof inv, "C1", "2026-01-10");
	post_ok(f->st, L, inv, NULL);
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-02-01;amount=141.56",
	      "item=INV-000001;amount=141.56;writeoff=0.05",
	      (const char *)NULL);
	post_ok(f->st, L, r, &o);
	assert_int_equal(item_open(f->st, L, "INV-000001"), 0);
	assert_int_equal(gl(f->st, "1122"), 0);

	/* The cheque bounces on 2026-02-20: RCPT-000002 undoes it.  The
	   invoice is open again by 141.56 + 0.05; Dr 1122 141.61 / Cr 1002
	   141.56 / Cr 6603 0.05; the customer owes 141.61 again. */
	if (reverse(f->st, "RCPT-000001", "2026-02-20", &o, &err))
		fail_msg("%s: %s", err.field, err.msg);
	assert_string_equal(o.number, "RCPT-000002");
	assert_int_equal(o.gross, -money("141.56"));
	assert_int_equal(item_open(f->st, L, "INV-000001"), money("141.61"));
	assert_int_equal(gl(f->st, "1122"), money("141.61"));
	assert_int_equal(gl(f->st, "1002"), 0);
	assert_int_equal(gl(f->st, "6603"), 0);
	assert_int_equal(party_bal(f->st, L, "C1"), money("141.61"));
	/* Aging as of a day before the reversal still sees it paid. */
	assert_int_equal(open_asof(f->st, "INV-000001", "2026-02-19"), 0);
	assert_int_equal(open_asof(f->st, "INV-000001", "2026-02-20"),
			 money("141.61"));
	/* Both records are there, linked; the reversal's figures negated. */
	p = load(f->st, &arrcpt_entity, r);
	assert_true(p->reversed_by != 0);
	int64_t rid = p->reversed_by, oid = p->h.id;
	ent_free(&arrcpt_entity, p);
	struct store_txn *t = snap(f->st);
	struct slpay x;
	memset(&x, 0, sizeof x);
	assert_int_equal(store_get(t, &arrcpt_schema, rid, &x, NULL), 0);
	end(&t);
	assert_int_equal(x.reverses, oid);
	assert_string_equal(x.status, "posted");
	assert_int_equal(x.amount, -money("141.56"));
	assert_int_equal(x.writeoff, -money("0.05"));
	assert_string_equal(x.description, "cheque bounced");
	store_rec_clear(&arrcpt_schema, &x);
	verify_ok(f->st, L);

	/* Once only; a reversal is not reversed; the ledger's own reversal
	   of the receipt's entry is refused. */
	assert_int_equal(reverse(f->st, "RCPT-000001", NULL, &o, &err),
			 K_EINVAL);
	assert_string_equal(err.msg, "RCPT-000001 is reversed already by RCPT-000002");
	assert_int_equal(reverse(f->st, "RCPT-000002", NULL, &o, &err),
			 K_EINVAL);
	assert_non_null(strstr(err.msg, "is the reversal of RCPT-000001"));
	assert_int_equal(reverse(f->st, "RCPT-000099", NULL, &o, &err),
			 K_ENOTFOUND);

	/* Money on account: 200.00 for the 141.61 open leaves 58.39 on
	   account; reversing takes that back too. */
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-03-01;amount=200",
	      "item=INV-000001;amount=141.61", (const char *)NULL);
	post_ok(f->st, L, r, &o);
	assert_string_equal(o.number, "RCPT-000003");
	assert_int_equal(party_bal(f->st, L, "C1"), -money("58.39"));
	/* Not before the receipt's own date. */
	assert_int_equal(reverse(f->st, "RCPT-000003", "2026-02-28", &o,
				 &err), K_EINVAL);
	assert_string_equal(err.field, "date");
	if (reverse(f->st, "RCPT-000003", "2026-03-02", &o, &err))
		fail_msg("%s: %s", err.field, err.msg);
	assert_int_equal(item_open(f->st, L, "RCPT-000003"), 0);
	assert_int_equal(item_open(f->st, L, "INV-000001"), money("141.61"));
	assert_int_equal(party_bal(f->st, L, "C1"), money("141.61"));
	assert_int_equal(gl(f->st, "1122"), money("141.61"));
	verify_ok(f->st, L);

	/* Money on account that has been used since: refused, naming
	   where; nothing changed. */
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-03-05;amount=50", (const char *)NULL);
	post_ok(f->st, L, r, &o);
	assert_string_equal(o.number, "RCPT-000005");
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-03-06;amount=0",
	      "item=INV-000001;amount=50",
	      "item=RCPT-000005;amount=-50", (const char *)NULL);
	post_ok(f->st, L, r, &o);
	assert_string_equal(o.number, "RCPT-000006");
	assert_int_equal(reverse(f->st, "RCPT-000005", "2026-03-07", &o,
				 &err), K_EINVAL);
	assert_string_equal(err.msg, "RCPT-000005: 50.00 of its money on account is applied since (by RCPT-000006): reverse that first");
	assert_int_equal(party_bal(f->st, L, "C1"), money("91.61"));
	/* Undo in order: RCPT-000006 (no cash, a credit used), then 5. */
	assert_int_equal(reverse(f->st, "RCPT-000006", "2026-03-07", &o,
				 &err), 0);
	assert_int_equal(item_open(f->st, L, "RCPT-000005"), -money("50.00"));
	assert_int_equal(reverse(f->st, "RCPT-000005", "2026-03-07", &o,
				 &err), 0);
	assert_int_equal(item_open(f->st, L, "INV-000001"), money("141.61"));
	assert_int_equal(party_bal(f->st, L, "C1"), money("141.61"));
	assert_int_equal(gl(f->st, "1122"), money("141.61"));
	assert_int_equal(gl(f->st, "1002"), 0);
	verify_ok(f->st, L);
}

/* ------------------------------------------------------------ limits */

static void test_credit_limit(void **state)
{
	struct testenv *f = *state;
	struct sl_credit c;
	struct sl_posted o;
	struct kerr err;
	char code[64];

	/* C1's limit is 10,000.00: 70 widgets at 100.00 + 13% = 7,910.00 */
	draft(f->st, &arinv_entity, code, sizeof code,
	      "party=C1;date=2026-03-01", "item=W1;qty=70", (const char *)NULL);
	assert_int_equal(ar_invoice_credit(f->st, code, &c, &err), 0);
	assert_int_equal(c.balance, 0);
	assert_int_equal(c.limit, money("10000.00"));
	assert_int_equal(c.after, money("7910.00"));
	assert_false(c.over);
	post_ok(f->st, L, code, &o);
	assert_false(o.over_limit);
	/* 20 more: 2,260.00, 10,170.00 after: over by 170.00 */
	draft(f->st, &arinv_entity, code, sizeof code,
	      "party=C1;date=2026-03-02", "item=W1;qty=20", (const char *)NULL);
	assert_int_equal(ar_invoice_credit(f->st, code, &c, &err), 0);
	assert_true(c.over);
	assert_int_equal(c.available, money("2090.00"));
	assert_int_equal(c.after, money("10170.00"));
	/* refused when asked to be strict, posted with a warning if not */
	kerr_clear(&err);
	assert_int_equal(sl_doc_post(f->st, L, code, SL_REFUSE_OVER_LIMIT, &o,
				     &err), K_EINVAL);
	assert_string_equal(err.field, "party");
	expect_in(err.msg, "over its credit limit of 10,000.00");
	post_ok(f->st, L, code, &o);
	assert_true(o.over_limit);
	assert_int_equal(o.balance_after, money("10170.00"));
	/* no limit: never over */
	draft(f->st, &arinv_entity, code, sizeof code,
	      "party=C2;date=2026-03-02", "item=W1;qty=2000", (const char *)NULL);
	assert_int_equal(ar_invoice_credit(f->st, code, &c, &err), 0);
	assert_false(c.over);
}

/* ------------------------------------------------------------- aging */

static void test_aging(void **state)
{
	struct testenv *f = *state;
	struct rows rs;
	char inv[64], r[64];

	/* INV-000001 141.61 dated 2026-01-10, due 2026-02-09 */
	example_invoice(f->st, inv, sizeof inv, "C1", "2026-01-10");
	post_ok(f->st, L, inv, NULL);
	/* due + 0: current */
	run_report(f->st, &report_ar_aging, &rs, "as_of", "2026-02-09",
		   (const char *)NULL);
	assert_string_equal(rs.buf,
			    "C1,华东机械,141.61,0.00,0.00,0.00,0.00,0.00,141.61\n");
	/* due + 30 = 2026-03-11: 1-30 */
	run_report(f->st, &report_ar_aging, &rs, "as_of", "2026-03-11",
		   (const char *)NULL);
	assert_string_equal(rs.buf,
			    "C1,华东机械,0.00,141.61,0.00,0.00,0.00,0.00,141.61\n");
	/* due + 31 = 2026-03-12: 31-60 */
	run_report(f->st, &report_ar_aging, &rs, "as_of", "2026-03-12",
		   (const char *)NULL);
	assert_string_equal(rs.buf,
			    "C1,华东机械,0.00,0.00,141.61,0.00,0.00,0.00,141.61\n");
	/* due + 91 = 2026-05-11: over 90 */
	run_report(f->st, &report_ar_aging, &rs, "as_of", "2026-05-11",
		   (const char *)NULL);
	assert_string_equal(rs.buf,
			    "C1,华东机械,0.00,0.00,0.00,0.00,141.61,0.00,141.61\n");
	/* before the invoice: nothing */
	run_report(f->st, &report_ar_aging, &rs, "as_of", "2026-01-09",
		   (const char *)NULL);
	assert_int_equal(rs.count, 0);

	/* a receipt of 200.00 on 2026-03-20: 141.61 applied, 58.39 on
	   account */
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-03-20;amount=200",
	      "item=INV-000001;amount=141.61", (const char *)NULL);
	post_ok(f->st, L, r, NULL);
	/* as of the day before, the item is still open, the cash unseen */
	run_report(f->st, &report_ar_aging, &rs, "as_of", "2026-03-19",
		   (const char *)NULL);
	assert_string_equal(rs.buf,
			    "C1,华东机械,0.00,0.00,141.61,0.00,0.00,0.00,141.61\n");
	/* as of the day: only the unapplied cash, apart */
	run_report(f->st, &report_ar_aging, &rs, "as_of", "2026-03-20",
		   (const char *)NULL);
	assert_string_equal(rs.buf,
			    "C1,华东机械,0.00,0.00,0.00,0.00,0.00,-58.39,-58.39\n");
	/* one party only */
	example_invoice(f->st, inv, sizeof inv, "C2", "2026-03-01");
	post_ok(f->st, L, inv, NULL);
	run_report(f->st, &report_ar_aging, &rs, "as_of", "2026-03-20",
		   (const char *)NULL);
	assert_int_equal(rs.count, 2);
	/* (C2 has no terms: due on the date, 19 days ago) */
	run_report(f->st, &report_ar_aging, &rs, "as_of", "2026-03-20",
		   "party", "C2", (const char *)NULL);
	assert_string_equal(rs.buf,
			    "C2,Second customer,0.00,141.61,0.00,0.00,0.00,0.00,141.61\n");
}

static void test_statement(void **state)
{
	struct testenv *f = *state;
	struct rows rs;
	char inv[64], r[64], cn[64], head[200];

	example_invoice(f->st, inv, sizeof inv, "C1", "2026-01-10");
	post_ok(f->st, L, inv, NULL);
	example_invoice(f->st, inv, sizeof inv, "C1", "2026-02-10");
	post_ok(f->st, L, inv, NULL);
	/* another customer's invoice is not on C1's statement */
	example_invoice(f->st, cn, sizeof cn, "C2", "2026-02-11");
	post_ok(f->st, L, cn, NULL);
	snprintf(head, sizeof head,
		 "kind=credit-note;party=C1;date=2026-02-12;applies_to=%s", inv);
	draft(f->st, &arinv_entity, cn, sizeof cn, head,
	      "description=Price cut;price=11.30", (const char *)NULL);
	post_ok(f->st, L, cn, NULL);
	draft(f->st, &arrcpt_entity, r, sizeof r,
	      "party=C1;date=2026-02-15;amount=141.56",
	      "item=INV-000001;amount=141.56;writeoff=0.05", (const char *)NULL);
	post_ok(f->st, L, r, NULL);
	/* from 2026-02-01: opening 141.61 (INV-000001), +141.61
	   INV-000002, -11.30 CN-000001, -141.56 receipt, -0.05 written
	   off: closing 130.31 */
	run_report(f->st, &report_customer_statement, &rs, "party", "C1",
		   "from", "2026-02-01", "to", "2026-02-28", (const char *)NULL);
	assert_string_equal(rs.buf,
			    "2026-01-31,,Opening balance,,,,141.61\n"
			    "2026-02-10,INV-000002,Invoice,2026-03-12,141.61,,283.22\n"
			    "2026-02-12,CN-000001,Credit note,,,11.30,271.92\n"
			    "2026-02-15,RCPT-000001,Receipt,,,141.56,130.36\n"
			    "2026-02-15,RCPT-000001,Written off,,,0.05,130.31\n"
			    "2026-02-28,,Closing balance,,,,130.31\n");
	assert_int_equal(party_bal(f->st, L, "C1"), money("130.31"));
	/* every customer's: C1's six lines, C2's three (CI has none) */
	run_report(f->st, &report_customer_statement, &rs,
		   "from", "2026-02-01", "to", "2026-02-28", (const char *)NULL);
	assert_int_equal(rs.count, 9);
	expect_in(rs.buf, "2026-02-28,,Closing balance,,,,130.31\n"
			  "2026-01-31,,Opening balance,,,,0.00\n"
			  "2026-02-11,INV-000003,Invoice,2026-02-11,141.61,,141.61\n"
			  "2026-02-28,,Closing balance,,,,141.61\n");
	/* the whole history */
	run_report(f->st, &report_customer_statement, &rs, "party", "C1",
		   "to", "2026-12-31", (const char *)NULL);
	expect_in(rs.buf, ",,Opening balance,,,,0.00\n2026-01-10,INV-000001");
	expect_in(rs.buf, "Closing balance,,,,130.31\n");
}

/* ----------------------------------------------------------- dunning */

static void test_dunning(void **state)
{
	struct testenv *f = *state;
	struct openitem it;
	struct rows rs;
	struct kerr err;
	unsigned raised;
	char inv[64];

	/* INV-000001 due 2026-02-09 */
	example_invoice(f->st, inv, sizeof inv, "C1", "2026-01-10");
	post_ok(f->st, L, inv, NULL);
	/* not overdue yet */
	assert_int_equal(ar_dunning_run(f->st, D("2026-02-09"), 0, &raised,
					&err), 0);
	assert_int_equal(raised, 0);
	/* 60 days over, never dunned: level 1 only (no skipping) */
	assert_int_equal(ar_dunning_run(f->st, D("2026-04-10"), 0, &raised,
					&err), 0);
	assert_int_equal(raised, 1);
	item(f->st, L, "INV-000001", &it);
	assert_int_equal(it.dunning_level, 1);
	assert_int_equal(it.dunned, D("2026-04-10"));
	store_rec_clear(&aritem_schema, &it);
	/* again the same day: nothing */
	assert_int_equal(ar_dunning_run(f->st, D("2026-04-10"), 0, &raised,
					&err), 0);
	assert_int_equal(raised, 0);
	/* the letter of that run */
	run_report(f->st, &report_dunning, &rs, "date", "2026-04-10",
		   (const char *)NULL);
	assert_string_equal(rs.buf,
			    "INV-000001,2026-01-10,2026-02-09,60,1,141.61\n");
	/* next day: level 2 (60 days over allow 2) */
	assert_int_equal(ar_dunning_run(f->st, D("2026-04-11"), 0, &raised,
					&err), 0);
	assert_int_equal(raised, 1);
	/* a week later: 68 days over allow 3 */
	assert_int_equal(ar_dunning_run(f->st, D("2026-04-18"), 0, &raised,
					&err), 0);
	item(f->st, L, "INV-000001", &it);
	assert_int_equal(it.dunning_level, 3);
	store_rec_clear(&aritem_schema, &it);
	/* 3 is the last level */
	assert_int_equal(ar_dunning_run(f->st, D("2026-06-18"), 0, &raised,
					&err), 0);
	assert_int_equal(raised, 0);
	/* no letter on a date without a run */
	run_report(f->st, &report_dunning, &rs, "date", "2026-06-18",
		   (const char *)NULL);
	assert_int_equal(rs.count, 0);
}

/* ------------------------------------------------------- concurrency */

/*
 * Two transactions allocate one item: the second cannot even read it
 * while the first holds it (NOWAIT: K_EBUSY at once, store_write would
 * retry), and once the first commits it sees the item settled.
 */
static void test_two_transactions(void **state)
{
	struct testenv *f = *state;
	struct store_txn *a = NULL, *b = NULL;
	struct slpay p1, p2;
	struct sl_posted o;
	struct kerr err;
	char inv[64];
	int ret;

	example_invoice(f->st, inv, sizeof inv, "C1", "2026-01-10");
	post_ok(f->st, L, inv, NULL);
	memset(&p1, 0, sizeof p1);
	memset(&p2, 0, sizeof p2);
	for (int i = 0; i < 2; i++) {
		struct slpay *p = i ? &p2 : &p1;
		struct slpayline *v = calloc(1, sizeof *v);
		store_rec_clear(&arrcpt_schema, p);
		p->party = id_of(f->st, &party_entity, "C1");
		p->date = D("2026-02-01");
		p->amount = money("141.61");
		p->allocs.items = v;
		p->allocs.n = 1;
		v->item = strdup("INV-000001");
		v->amount = money("141.61");
		v->due = DATE_NONE;
	}
	assert_int_equal(store_txn_begin(f->st, false, &a, &err), 0);
	assert_int_equal(sl_pay_post_txn(a, L, &p1, &o, &err), 0);
	assert_int_equal(store_txn_begin(f->st, false, &b, &err), 0);
	kerr_clear(&err);
	ret = sl_pay_post_txn(b, L, &p2, &o, &err);
	assert_int_equal(ret, K_EBUSY);
	store_txn_abort(&b);
	assert_int_equal(store_txn_commit(&a, &err), 0);
	/* the second again, after the first committed: refused */
	store_rec_clear(&arrcpt_schema, &p2);
	memset(&p2, 0, sizeof p2);
	store_rec_clear(&arrcpt_schema, &p2);
	p2.party = id_of(f->st, &party_entity, "C1");
	p2.date = D("2026-02-01");
	p2.amount = money("141.61");
	p2.allocs.items = calloc(1, sizeof(struct slpayline));
	p2.allocs.n = 1;
	((struct slpayline *)p2.allocs.items)->item = strdup("INV-000001");
	((struct slpayline *)p2.allocs.items)->amount = money("141.61");
	assert_int_equal(store_txn_begin(f->st, false, &b, &err), 0);
	kerr_clear(&err);
	assert_int_equal(sl_pay_post_txn(b, L, &p2, &o, &err), K_EINVAL);
	expect_in(err.msg, "settled already");
	store_txn_abort(&b);
	store_rec_clear(&arrcpt_schema, &p1);
	store_rec_clear(&arrcpt_schema, &p2);
	assert_int_equal(item_open(f->st, L, "INV-000001"), 0);
	assert_int_equal(gl(f->st, "1002"), money("141.61"));
	verify_ok(f->st, L);
}

/* ------------------------------------------------------- bulk posting */

/* A draft built in memory: one line of item W1, qty whole units. */
static void built(struct store *st, struct sldoc *d, const char *party,
		  const char *date, int64_t qty, int64_t discount)
{
	struct slline *v = calloc(1, sizeof *v);

	assert_non_null(v);
	memset(d, 0, sizeof *d);
	d->party = id_of(st, &party_entity, party);
	d->date = D(date);
	v->item = id_of(st, &item_entity, "W1");
	v->qty = qty * 1000;
	v->discount = discount;
	d->lines.items = v;
	d->lines.n = 1;
}

/*
 * sl_doc_post_txn (kontor demo --scale): several built documents posted
 * in one transaction through the same posting, and a refused one that
 * leaves nothing behind once the caller aborts.
 */
static void test_post_txn(void **state)
{
	struct testenv *f = *state;
	struct store_txn *t;
	struct sl_posted o;
	struct sldoc d1, d2, d3;
	struct kerr err;
	char code[64];

	assert_int_equal(store_txn_begin(f->st, false, &t, &err), 0);
	/* 2 x W1 at its list price 100.00 = 200.00, VAT13 26.00: 226.00 */
	built(f->st, &d1, "C1", "2026-05-01", 2, 0);
	assert_int_equal(sl_doc_post_txn(t, L, &d1, 0, &o, &err), 0);
	assert_string_equal(o.number, "INV-000001");
	assert_int_equal(o.gross, money("226.00"));
	assert_string_equal(d1.code, "AR-D000001");
	assert_string_equal(d1.status, "posted");
	assert_string_equal(d1.kind, "invoice");
	/* NET30 of C1: due 2026-05-31 */
	assert_int_equal(d1.due, D("2026-05-31"));
	/* 1 x 100.00 less 10% = 90.00, VAT13 11.70: 101.70 */
	built(f->st, &d2, "C2", "2026-05-02", 1, 100000);
	assert_int_equal(sl_doc_post_txn(t, L, &d2, 0, &o, &err), 0);
	assert_string_equal(o.number, "INV-000002");
	assert_int_equal(o.gross, money("101.70"));
	assert_int_equal(store_txn_commit(&t, &err), 0);
	store_rec_clear(&arinv_schema, &d1);
	store_rec_clear(&arinv_schema, &d2);
	/* 226.00 + 101.70 */
	assert_int_equal(gl(f->st, "1122"), money("327.70"));
	assert_int_equal(item_open(f->st, L, "INV-000001"), money("226.00"));
	assert_int_equal(item_open(f->st, L, "INV-000002"), money("101.70"));
	assert_int_equal(party_bal(f->st, L, "C2"), money("101.70"));
	verify_ok(f->st, L);

	/* a supplier cannot take a customer invoice; the caller aborts */
	assert_int_equal(store_txn_begin(f->st, false, &t, &err), 0);
	built(f->st, &d3, "S1", "2026-05-03", 1, 0);
	kerr_clear(&err);
	assert_int_equal(sl_doc_post_txn(t, L, &d3, 0, &o, &err), K_EINVAL);
	expect_in(err.msg, "not a customer");
	store_txn_abort(&t);
	store_rec_clear(&arinv_schema, &d3);
	/* nothing of it stays: the draft code and the number come next */
	example_invoice(f->st, code, sizeof code, "C1", "2026-05-04");
	assert_string_equal(code, "AR-D000003");
	post_ok(f->st, L, code, &o);
	assert_string_equal(o.number, "INV-000003");
	verify_ok(f->st, L);
}

/* ------------------------------------------------------------ import */

static void test_import_drafts(void **state)
{
	struct testenv *f = *state;
	struct sl_posted o;

	/* what kontor import arinvoice reads: lines in one column, one a
	   line: item|account|description|qty|price|discount|tax_code */
	import_text(f, &arinv_entity,
		    "code,party,date,reference,lines\n"
		    "SO-1,C1,2026-04-01,PO 4711,\"W1||Widget|2|100||VAT13\n"
		    "|6051|Freight|1|50||VAT6\"\n");
	post_ok(f->st, L, "SO-1", &o);
	/* 200.00 + 26.00 + 50.00 + 3.00 = 279.00 */
	assert_int_equal(o.gross, money("279.00"));
	assert_int_equal(gl(f->st, "6051"), -money("50.00"));
	import_text(f, &arrcpt_entity,
		    "code,party,date,amount,allocs\n"
		    "BANK-1,C1,2026-04-05,279,INV-000001|279|0\n");
	post_ok(f->st, L, "BANK-1", &o);
	assert_int_equal(item_open(f->st, L, "INV-000001"), 0);
	verify_ok(f->st, L);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, testenv_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_amounts),
		cmocka_unit_test(test_buckets),
		T(test_invoice_post),
		T(test_instalments),
		T(test_refusals),
		T(test_posted_is_final),
		T(test_credit_note),
		T(test_receipts),
		T(test_reverse_receipt),
		T(test_credit_limit),
		T(test_aging),
		T(test_statement),
		T(test_dunning),
		T(test_two_transactions),
		T(test_import_drafts),
		T(test_post_txn),
	};
#undef T
	return cmocka_run_group_tests_name("ar", tests, NULL, NULL);
}
