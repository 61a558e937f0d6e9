/*
 * test_ap.c - accounts payable on a real environment: supplier
 * invoices and debit notes with input VAT, payments, the payment
 * proposal (made, reviewed, paid as a run, refused as a whole), and
 * payables aging.  Amounts in the comments are worked by hand.
 */
#include "arap_fix.h"

static const struct sl_ledger *const L = &sl_ap;

/*
 * PINV of S1 dated 2026-01-15 (NET30: due 2026-02-14):
 *   10 x W2 at its standard cost 50.0000 = 500.00, VAT13-IN 65.00
 *   office supplies on 6602: 200.00, VAT6-IN 12.00
 * net 700.00, tax 77.00, gross 777.00
 */
static void example_bill(struct store *st, char *code, size_t n)
{
	draft(st, &apinv_entity, code, n,
	      "party=S1;date=2026-01-15;reference=SZ-2026-0042",
	      "item=W2;qty=10;tax_code=VAT13-IN",
	      "account=6602;description=Office supplies;price=200;tax_code=VAT6-IN",
	      (const char *)NULL);
}

static void test_bill_post(void **state)
{
	struct testenv *f = *state;
	struct sl_posted o;
	struct openitem it;
	struct sldoc *d;
	char code[64], dn[64], head[200];

	example_bill(f->st, code, sizeof code);
	assert_string_equal(code, "AP-D000001");
	post_ok(f->st, L, code, &o);
	assert_string_equal(o.number, "PINV-000001");
	/* Dr 1405 (purchases) 500.00, Dr 6602 200.00, Dr 2221.01 77.00 /
	   Cr 2202 777.00 */
	assert_int_equal(gl(f->st, "1405"), money("500.00"));
	assert_int_equal(gl(f->st, "6602"), money("200.00"));
	assert_int_equal(gl(f->st, "2221.01"), money("77.00"));
	assert_int_equal(gl(f->st, "2202"), -money("777.00"));
	item(f->st, L, "PINV-000001", &it);
	assert_int_equal(it.amount, money("777.00"));     /* we owe it */
	assert_int_equal(it.due, D("2026-02-14"));
	store_rec_clear(&apitem_schema, &it);
	assert_int_equal(party_bal(f->st, L, "S1"), money("777.00"));
	verify_ok(f->st, L);

	/* a debit note for one widget: 50.00 + 6.50 = 56.50, applied */
	snprintf(head, sizeof head,
		 "kind=debit-note;party=S1;date=2026-01-20;applies_to=%s", code);
	draft(f->st, &apinv_entity, dn, sizeof dn, head,
	      "item=W2;qty=1;tax_code=VAT13-IN", (const char *)NULL);
	post_ok(f->st, L, dn, &o);
	assert_string_equal(o.number, "DN-000001");
	assert_int_equal(item_open(f->st, L, "PINV-000001"), money("720.50"));
	assert_int_equal(gl(f->st, "2202"), -money("720.50"));
	assert_int_equal(gl(f->st, "1405"), money("450.00"));
	assert_int_equal(gl(f->st, "2221.01"), money("70.50"));
	verify_ok(f->st, L);

	/* a payment of 300.00: Dr 2202 / Cr 1002 */
	draft(f->st, &appay_entity, code, sizeof code,
	      "party=S1;date=2026-02-01;amount=300",
	      "item=PINV-000001;amount=300", (const char *)NULL);
	post_ok(f->st, L, code, &o);
	assert_string_equal(o.number, "PAY-000001");
	assert_int_equal(item_open(f->st, L, "PINV-000001"), money("420.50"));
	assert_int_equal(gl(f->st, "1002"), -money("300.00"));
	assert_int_equal(gl(f->st, "2202"), -money("420.50"));
	assert_int_equal(party_bal(f->st, L, "S1"), money("420.50"));
	verify_ok(f->st, L);

	/* output tax on a supplier invoice is refused, naming the line */
	d = make(f->st, &apinv_entity, "party=S1;date=2026-02-01");
	add_elem(f->st, &apinv_schema, d, "lines",
		 "description=x;price=1;tax_code=VAT13");
	save_refused(f->st, &apinv_entity, d, "lines",
		     "line 1: tax code VAT13 is output tax");
	ent_free(&apinv_entity, d);
	/* a customer is no supplier */
	d = make(f->st, &apinv_entity, "party=C1;date=2026-02-01");
	save_refused(f->st, &apinv_entity, d, "party", "not a supplier");
	ent_free(&apinv_entity, d);
}

static void test_proposal(void **state)
{
	struct testenv *f = *state;
	struct approp *p;
	struct proline *v;
	struct sl_posted o;
	struct kerr err;
	struct rows rs;
	char code[64], prop[64], prop2[64];
	size_t lines, n;
	int64_t total;

	/* PINV-000001 777.00 due 02-14, part paid: 420.50 open (as above,
	   without the debit note: 300.00 paid leaves 477.00) */
	example_bill(f->st, code, sizeof code);
	post_ok(f->st, L, code, NULL);
	draft(f->st, &appay_entity, code, sizeof code,
	      "party=S1;date=2026-02-01;amount=300",
	      "item=PINV-000001;amount=300", (const char *)NULL);
	post_ok(f->st, L, code, NULL);
	/* PINV-000002: S2, 2026-01-20, NET60 (due 03-21), 113.00 */
	draft(f->st, &apinv_entity, code, sizeof code,
	      "party=S2;date=2026-01-20",
	      "description=Parts;price=100;tax_code=VAT13-IN", (const char *)NULL);
	post_ok(f->st, L, code, NULL);
	/* PINV-000003: S1, 2026-02-10 (due 03-12), 226.00 */
	draft(f->st, &apinv_entity, code, sizeof code,
	      "party=S1;date=2026-02-10",
	      "description=Parts;price=200;tax_code=VAT13-IN", (const char *)NULL);
	post_ok(f->st, L, code, NULL);
	/* 20.00 paid to S1 on account: PAY-000002, -20.00 */
	draft(f->st, &appay_entity, code, sizeof code,
	      "party=S1;date=2026-02-11;amount=20", (const char *)NULL);
	post_ok(f->st, L, code, &o);
	assert_int_equal(item_open(f->st, L, "PAY-000002"), -money("20.00"));

	/* nothing due by 2026-02-01 */
	assert_int_equal(ap_proposal_make(f->st, D("2026-02-01"), DATE_NONE, 0,
					  0, prop, sizeof prop, &lines, &err), 0);
	assert_int_equal(lines, 0);
	/* due by 2026-03-15: S1's two bills and its credit; S2's bill is
	   due 03-21 */
	assert_int_equal(ap_proposal_make(f->st, D("2026-03-15"),
					  D("2026-03-16"), 0, 0, prop,
					  sizeof prop, &lines, &err), 0);
	assert_int_equal(lines, 3);
	assert_string_equal(prop, "PROP-000001");
	p = load(f->st, &approp_entity, prop);
	v = p->lines.items;
	/* 477.00 + 226.00 - 20.00 = 683.00 */
	assert_int_equal(p->total, money("683.00"));
	assert_string_equal(v[0].item, "PINV-000001");
	assert_int_equal(v[0].amount, money("477.00"));
	assert_string_equal(v[1].item, "PINV-000003");
	assert_string_equal(v[2].item, "PAY-000002");
	assert_int_equal(v[2].amount, -money("20.00"));
	/* the clerk's review: more than open is refused, naming the line */
	v[1].amount = money("226.01");
	save_refused(f->st, &approp_entity, p, "lines", "line 2:");
	/* pay only 100.00 of PINV-000003 */
	v[1].amount = money("100.00");
	save_ok(f->st, &approp_entity, p);
	ent_free(&approp_entity, p);

	/* the run: one payment for S1, 477.00 + 100.00 - 20.00 = 557.00 */
	assert_int_equal(ap_proposal_pay(f->st, prop, &n, &total, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, money("557.00"));
	assert_int_equal(item_open(f->st, L, "PINV-000001"), 0);
	assert_int_equal(item_open(f->st, L, "PINV-000003"), money("126.00"));
	assert_int_equal(item_open(f->st, L, "PAY-000002"), 0);
	/* S1: 777 + 226 - 300 - 20 - 557 = 126.00 */
	assert_int_equal(party_bal(f->st, L, "S1"), money("126.00"));
	/* bank: 300 + 20 + 557 = 877.00 out */
	assert_int_equal(gl(f->st, "1002"), -money("877.00"));
	p = load(f->st, &approp_entity, prop);
	assert_string_equal(p->status, "paid");
	assert_int_equal(p->payments, 1);
	assert_string_equal(((struct proline *)p->lines.items)[0].payment,
			    "PAY-000003");
	/* a paid proposal is not changed, nor paid twice */
	save_refused(f->st, &approp_entity, p, "status", "is paid");
	ent_free(&approp_entity, p);
	kerr_clear(&err);
	assert_int_equal(ap_proposal_pay(f->st, prop, &n, &total, &err),
			 K_EINVAL);
	expect_in(err.msg, "paid already");
	verify_ok(f->st, L);

	/* a run refused as a whole: S2's bill is paid by hand after the
	   proposal was made */
	assert_int_equal(ap_proposal_make(f->st, D("2026-03-31"), DATE_NONE, 0,
					  id_of(f->st, &party_entity, "S2"),
					  prop2, sizeof prop2, &lines, &err), 0);
	assert_int_equal(lines, 1);
	draft(f->st, &appay_entity, code, sizeof code,
	      "party=S2;date=2026-03-01;amount=113",
	      "item=PINV-000002;amount=113", (const char *)NULL);
	post_ok(f->st, L, code, NULL);
	kerr_clear(&err);
	assert_int_equal(ap_proposal_pay(f->st, prop2, &n, &total, &err),
			 K_EINVAL);
	expect_in(err.msg, "PINV-000002");
	p = load(f->st, &approp_entity, prop2);
	assert_string_equal(p->status, "open");
	ent_free(&approp_entity, p);
	assert_int_equal(party_bal(f->st, L, "S2"), 0);
	verify_ok(f->st, L);

	/* payables aging as of the run's date, 2026-03-16: S1's 126.00 is
	   4 days over; the day before, the run's 557.00 is still owed */
	run_report(f->st, &report_ap_aging, &rs, "as_of", "2026-03-15",
		   (const char *)NULL);
	assert_string_equal(rs.buf,
			    "S1,深圳电子,0.00,703.00,0.00,0.00,0.00,-20.00,683.00\n");
	run_report(f->st, &report_ap_aging, &rs, "as_of", "2026-03-16",
		   (const char *)NULL);
	assert_string_equal(rs.buf,
			    "S1,深圳电子,0.00,126.00,0.00,0.00,0.00,0.00,126.00\n");
	/* as of 2026-02-20: S1 477.00 six days over, 226.00 not due, the
	   20.00 paid on account apart; S2 113.00 not due */
	run_report(f->st, &report_ap_aging, &rs, "as_of", "2026-02-20",
		   (const char *)NULL);
	assert_string_equal(rs.buf,
			    "S1,深圳电子,226.00,477.00,0.00,0.00,0.00,-20.00,683.00\n"
			    "S2,Second supplier,113.00,0.00,0.00,0.00,0.00,0.00,113.00\n");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, testenv_teardown)
	const struct CMUnitTest tests[] = {
		T(test_bill_post),
		T(test_proposal),
	};
#undef T
	return cmocka_run_group_tests_name("ap", tests, NULL, NULL);
}
