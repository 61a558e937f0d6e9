/*
 * slpay.c - receipts (AR) and payments (AP): money through a bank
 * account, applied to open items, the rest kept on account.
 *
 * The arithmetic, for money M and allocation lines (a_i, w_i):
 *   each item goes down by a_i + w_i, never past 0 nor the other way,
 *   and a line with a write-off settles its item (a_i + w_i = open);
 *   sum a_i <= M (a line may take a credit: a_i < 0 on a credit item);
 *   M - sum a_i, when above 0, becomes an on-account item of -(that);
 *   the party's balance goes down by M + sum w_i;
 *   the entry: bank sign x M, write-off sign x sum w_i, control
 *   -sign x (M + sum w_i) (sign: subledger.h).
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "finance/sl_int.h"
#include "masters/masters.h"
#include "masters/ops.h"

int masters_check_code(const char *code, struct kerr *err);

/* ------------------------------------------------------------ schemas */

#define PL(tag, name, type) \
	{ tag, #name, type, offsetof(struct slpayline, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field payline_fields[] = {
	PL(1, item, SF_TEXT),
	PL(2, amount, SF_MONEY),
	PL(3, writeoff, SF_MONEY),
	PL(4, open, SF_MONEY),
	PL(5, due, SF_DATE),
};
#undef PL

const struct store_schema slpayline_schema = {
	.name = "slpayline", .version = 1, .size = sizeof(struct slpayline),
	.fields = payline_fields, .nfields = NELEM(payline_fields),
};

#define P(tag, name, type) \
	{ tag, #name, type, offsetof(struct slpay, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field pay_fields[] = {
	P(1, code, SF_TEXT),
	P(2, status, SF_TEXT),
	{ 3, "party", SF_REF, offsetof(struct slpay, party), NULL, "party" },
	P(4, date, SF_DATE),
	{ 5, "bank", SF_REF, offsetof(struct slpay, bank), NULL, "account" },
	P(6, amount, SF_MONEY),
	P(7, reference, SF_TEXT),
	P(8, number, SF_TEXT),
	{ 9, "journal", SF_REF, offsetof(struct slpay, journal), NULL,
	  "journal" },
	P(10, allocated, SF_MONEY),
	P(11, unapplied, SF_MONEY),
	P(12, writeoff, SF_MONEY),
	{ 13, "proposal", SF_REF, offsetof(struct slpay, proposal), NULL,
	  "approp" },
	{ 14, "allocs", SF_LIST, offsetof(struct slpay, allocs),
	  &slpayline_schema, NULL },
	P(15, description, SF_TEXT),
	{ 16, "reverses", SF_REF, offsetof(struct slpay, reverses), NULL,
	  NULL },
	{ 17, "reversed_by", SF_REF, offsetof(struct slpay, reversed_by),
	  NULL, NULL },
};
#undef P

static const struct store_index pay_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "number", 0, { "number" } },
	{ "party", 0, { "party", "date" } },          /* statements */
};

const struct store_schema arrcpt_schema = {
	.name = "arrcpt", .version = 1, .size = sizeof(struct slpay),
	.fields = pay_fields, .nfields = NELEM(pay_fields),
	.indexes = pay_ix, .nindexes = NELEM(pay_ix),
};

const struct store_schema appay_schema = {
	.name = "appay", .version = 1, .size = sizeof(struct slpay),
	.fields = pay_fields, .nfields = NELEM(pay_fields),
	.indexes = pay_ix, .nindexes = NELEM(pay_ix),
};

/* ------------------------------------------------------- arithmetic */

void sl_pay_compute(struct slpay *p)
{
	const struct slpayline *v = p->allocs.items;
	int64_t a = 0, w = 0;

	for (size_t i = 0; i < p->allocs.n; i++)
		if (num_add(a, v[i].amount, &a) || num_add(w, v[i].writeoff, &w))
			a = w = 0;
	p->allocated = a;
	p->writeoff = w;
	p->unapplied = p->amount - a;
}

void sl_pay_change(const struct entity *e, void *rec)
{
	(void)e;
	sl_pay_compute(rec);
}

/* -------------------------------------------------------------- rules */

static int64_t absv(int64_t v)
{
	return v < 0 ? -v : v;
}

/* The checks that need no open item (the screen's and the post's). */
static int check_money(const struct slpay *p, struct kerr *err)
{
	const struct slpayline *v = p->allocs.items;
	char a[NUM_BUFSZ], b[NUM_BUFSZ];

	if (p->amount < 0)
		return kerr_set(err, K_EINVAL, "amount",
				_("amount must be 0 or more"));
	if (p->allocs.n > SL_MAX_ALLOCS)
		return kerr_set(err, K_EINVAL, "allocs",
				_("at most %d allocations"), SL_MAX_ALLOCS);
	for (size_t i = 0; i < p->allocs.n; i++) {
		if (sl_empty(v[i].item))
			return kerr_set(err, K_EINVAL, "allocs",
					_("line %zu: which open item? (its code, e.g. INV-000042)"),
					i + 1);
		if (absv(v[i].writeoff) > SL_WRITEOFF_MAX)
			return kerr_set(err, K_EINVAL, "allocs",
					_("line %zu: a write-off may be at most %s; a credit note settles more"),
					i + 1,
					num_format(SL_WRITEOFF_MAX, 2, true, a,
						   sizeof a));
	}
	if (p->allocated > p->amount)
		return kerr_set(err, K_EINVAL, "allocs",
				_("the allocations come to %s, more than the amount %s"),
				num_format(p->allocated, 2, true, a, sizeof a),
				num_format(p->amount, 2, true, b, sizeof b));
	if (p->allocated < 0)
		return kerr_set(err, K_EINVAL, "allocs",
				_("the allocations come to %s: credits used must not exceed what they settle"),
				num_format(p->allocated, 2, true, a, sizeof a));
	if (p->amount == 0 && p->allocs.n == 0)
		return kerr_set(err, K_EINVAL, "amount",
				_("amount is required"));
	return 0;
}

int sl_pay_validate(struct store_txn *t, const struct entity *e, void *rec,
		    struct kerr *err)
{
	const struct sl_ledger *L = sl_ledger_of(e);
	struct slpay *p = rec;
	struct slpayline *v = p->allocs.items;
	struct openitem it;
	struct party pa;
	const struct store_field *sf = store_field_find(L ? L->pay : &arrcpt_schema,
							"status");
	int ret = 0;

	if (!L)
		return kerr_set(err, K_EINTERNAL, NULL, "not a payment");
	if ((p->h.version || !sl_empty(p->code)) &&
	    (ret = masters_check_code(p->code, err)))
		return ret;
	if (!sl_is(p->status, "draft") && !sl_is(p->status, "posted"))
		return kerr_set(err, K_EINVAL, "status",
				_("status must be draft or posted, not \"%s\""),
				p->status ? p->status : "");
	if (t && p->h.version) {
		struct slpay old;
		memset(&old, 0, sizeof old);
		if ((ret = store_get(t, L->pay, p->h.id, &old, err)) == 0 &&
		    sl_is(*(char **)((char *)&old + sf->offset), "posted"))
			ret = kerr_set(err, K_EINVAL, "status",
				       _("%s is posted: it is never changed"),
				       p->code ? p->code : "");
		store_rec_clear(L->pay, &old);
		if (ret)
			return ret;
	}
	if (t && sl_is(p->status, "posted"))
		return kerr_set(err, K_EINVAL, "status",
				_("posting is an action: kontor %s post %s"),
				L->name, p->code ? p->code : "");
	if (p->party == 0)
		return kerr_set(err, K_EINVAL, "party",
				_("party is required: the %s"),
				L->customer ? _("customer") : _("supplier"));
	if (p->date == DATE_NONE)
		return kerr_set(err, K_EINVAL, "date", _("date is required"));
	sl_pay_compute(p);
	if ((ret = check_money(p, err)))
		return ret;
	if (!t)
		return 0;
	memset(&pa, 0, sizeof pa);
	ret = store_get(t, &party_schema, p->party, &pa, err);
	if (ret == K_ENOTFOUND)
		kerr_set(err, ret, "party",
			 _("party #%" PRId64 " does not exist"), p->party);
	store_rec_clear(&party_schema, &pa);
	if (ret)
		return ret;
	/* what the screen shows next to each line */
	memset(&it, 0, sizeof it);
	for (size_t i = 0; i < p->allocs.n && !ret; i++) {
		if ((ret = sl_item_find(t, L, v[i].item, &it, err))) {
			kerr_prefix(err, _("line %zu"), i + 1);
			break;
		}
		if (it.party != p->party)
			ret = kerr_set(err, K_EINVAL, "allocs",
				       _("line %zu: item %s is another party's"),
				       i + 1, it.code);
		v[i].open = it.open;
		v[i].due = it.due;
	}
	store_rec_clear(L->item, &it);
	return ret;
}

int sl_pay_apply(struct store_txn *t, const struct entity *e, void *rec,
		 struct kerr *err)
{
	const struct sl_ledger *L = sl_ledger_of(e);
	struct slpay *p = rec;

	if (!L || p->h.version || !sl_empty(p->code))
		return 0;
	return sl_draft_code(t, L->pay, L->pay_prefix, &p->code, err);
}

/* ------------------------------------------------------------ posting */

int sl_pay_post_txn(struct store_txn *t, const struct sl_ledger *L,
		    struct slpay *p, struct sl_posted *out,
		    struct kerr *err)
{
	struct slpayline *v;
	struct openitem it;
	struct party pa;
	struct journal j;
	char number[40], desc[300], what[32];
	int64_t bank, control, writeoff = 0, total;
	int ret;

	memset(&it, 0, sizeof it);
	memset(&pa, 0, sizeof pa);
	memset(&j, 0, sizeof j);
	store_rec_clear(&journal_schema, &j);
	if (out)
		memset(out, 0, sizeof *out);
	if (sl_is(p->status, "posted"))
		return kerr_set(err, K_EINVAL, "status",
				_("%s is posted already as %s"),
				p->code ? p->code : "", p->number ? p->number : "");
	if (sl_empty(p->status) && (ret = sl_set_text(&p->status, "draft", err)))
		return ret;
	if (p->h.version == 0 && sl_empty(p->code) &&
	    (ret = sl_draft_code(t, L->pay, L->pay_prefix, &p->code, err)))
		return ret;
	if ((ret = ent_check(t, L->pay_entity, p, err)))
		return ret;
	if ((ret = sl_party_check(t, L, p->party, "party", &pa, err)))
		goto out;
	bank = p->bank;
	if (!bank && (ret = sl_role(t, "bank", &bank, err)))
		goto out;
	if (p->h.version == 0 && (ret = store_insert(t, L->pay, p, err)))
		goto out;
	if ((ret = series_take(t, L->pay_series, number, sizeof number, err)))
		goto out;
	v = p->allocs.items;
	for (size_t i = 0; i < p->allocs.n; i++) {
		snprintf(what, sizeof what, _("line %zu"), i + 1);
		if ((ret = sl_item_find(t, L, v[i].item, &it, err))) {
			kerr_prefix(err, "%s", what);
			goto out;
		}
		if (it.party != p->party) {
			ret = kerr_set(err, K_EINVAL, "allocs",
				       _("%s: item %s is another party's"),
				       what, it.code);
			goto out;
		}
		v[i].open = it.open;
		v[i].due = it.due;
		/* a write-off is for the small difference that settles it */
		if (v[i].writeoff && v[i].amount + v[i].writeoff != it.open) {
			char a[NUM_BUFSZ], b[NUM_BUFSZ], o[NUM_BUFSZ];
			ret = kerr_set(err, K_EINVAL, "allocs",
				       _("%s: a write-off settles the item: %s + %s does not come to the %s open on %s"),
				       what,
				       num_format(v[i].amount, 2, true, a, sizeof a),
				       num_format(v[i].writeoff, 2, true, b, sizeof b),
				       num_format(it.open, 2, true, o, sizeof o),
				       it.code);
			goto out;
		}
		if ((ret = sl_item_reduce(t, L, &it, v[i].amount,
					  v[i].writeoff, p->date, number,
					  p->h.id, what, err)))
			goto out;
		writeoff += v[i].writeoff;
	}
	if (p->unapplied > 0 &&
	    (ret = sl_item_add(t, L, p->party, L->pay_type, number, 0,
			       p->h.id, 1, 1, p->date, p->date, -p->unapplied,
			       NULL, err)))
		goto out;
	total = p->amount + writeoff;
	/* the entry */
	snprintf(desc, sizeof desc, "%s %s %s",
		 L->sign > 0 ? _("Receipt") : _("Payment"), number,
		 pa.name ? pa.name : "");
	j.date = p->date;
	if ((ret = sl_dup(&j.description, desc, err)) ||
	    (ret = sl_dup(&j.source, L->name, err)) ||
	    (ret = sl_dup(&j.source_ref, number, err)) ||
	    (ret = sl_role(t, L->control_role, &control, err)) ||
	    (ret = sl_jadd(&j, bank, L->sign * p->amount, 0, number, err)))
		goto out;
	if (writeoff) {
		int64_t wo;
		if ((ret = sl_role(t, "write-off", &wo, err)) ||
		    (ret = sl_jadd(&j, wo, L->sign * writeoff, p->party,
				   _("write-off"), err)))
			goto out;
	}
	if ((ret = sl_jadd(&j, control, -L->sign * total, p->party, number,
			   err)))
		goto out;
	if ((ret = sl_set_text(&p->status, "posted", err)) ||
	    (ret = sl_set_text(&p->number, number, err)))
		goto out;
	if ((ret = sl_balance_add(t, L, p->party, -total, err)))
		goto out;
	if (j.lines.n) {
		if ((ret = gl_post(t, &j, err)))
			goto out;
		p->journal = j.h.id;
	}
	if ((ret = store_update(t, L->pay, p, err)))
		goto out;
	if (out) {
		snprintf(out->number, sizeof out->number, "%s", number);
		snprintf(out->journal, sizeof out->journal, "%s",
			 j.code ? j.code : "");
		out->gross = p->amount;
		out->items = p->unapplied > 0;
	}
out:
	store_rec_clear(&journal_schema, &j);
	store_rec_clear(&party_schema, &pa);
	store_rec_clear(L->item, &it);
	return ret;
}

struct ppost {
	const struct sl_ledger *L;
	const char *code;
	struct sl_posted out;
};

static int pay_post_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct ppost *a = arg;
	struct slpay p;
	int ret;

	memset(&p, 0, sizeof p);
	ret = store_find_text(t, a->L->pay, "code", a->code, &p, err);
	if (ret == K_ENOTFOUND)
		kerr_set(err, ret, "code", _("no %s %s"), a->L->pay_type,
			 a->code);
	if (!ret)
		ret = sl_pay_post_txn(t, a->L, &p, &a->out, err);
	store_rec_clear(a->L->pay, &p);
	return ret;
}

int sl_pay_post(struct store *st, const struct sl_ledger *L,
		const char *code, struct sl_posted *out, struct kerr *err)
{
	struct ppost a = { .L = L, .code = code ? code : "" };
	int ret = store_write(st, pay_post_fn, &a, err);

	if (out)
		*out = a.out;
	return ret;
}

/* ---------------------------------------------------------- reversing */

struct prev {
	const struct sl_ledger *L;
	const char *number;
	kdate date;
	const char *why;
	struct sl_posted out;
};

/* The payment's money on account, taken back (refused once applied). */
static int take_back(struct store_txn *t, const struct sl_ledger *L,
		     const struct slpay *o, const struct slpay *r,
		     struct kerr *err)
{
	struct openitem it;
	int ret;

	memset(&it, 0, sizeof it);
	/* Its code is the payment's number (sl_pay_post_txn). */
	ret = store_find_text(t, L->item, "code", o->number, &it, err);
	if (ret == 0 && it.payment != o->h.id)
		ret = K_ENOTFOUND;
	if (ret == K_ENOTFOUND) {
		/* Posted with nothing on account, or the item is gone. */
		kerr_set(err, K_EINTERNAL, NULL,
			 _("%s: its money on account (%s) has no open item: run kontor %s verify"),
			 o->number, L->name, L->name);
		return K_EINTERNAL;
	}
	if (ret)
		return ret;
	if (it.open != it.amount) {
		struct slalloc a, ap;
		struct store_cursor *c = NULL;
		char m[NUM_BUFSZ];
		memset(&a, 0, sizeof a);
		memset(&ap, 0, sizeof ap);
		ap.item = it.h.id;
		ap.date = INT32_MIN + 1;
		/* The first allocation that used it, to name. */
		if (store_cursor_open(t, L->alloc, "item", &c, NULL) != 0 ||
		    store_cursor_seek_rec(c, &ap, &a, NULL) != 0 ||
		    a.item != it.h.id)
			store_rec_clear(L->alloc, &a);
		store_cursor_close(&c);
		ret = kerr_set(err, K_EINVAL, NULL,
			       _("%s: %s of its money on account is applied since (by %s): reverse that first"),
			       o->number,
			       num_format(-(it.amount - it.open), 2, true, m,
					  sizeof m),
			       a.doc && *a.doc ? a.doc : "?");
		store_rec_clear(L->alloc, &a);
		goto out;
	}
	ret = sl_item_reduce(t, L, &it, it.open, 0, r->date, r->number,
			     r->h.id, o->number, err);
out:
	store_rec_clear(L->item, &it);
	return ret;
}

/* The posted receipt/payment with number (its index is not unique:
   drafts have none). */
static int find_number(struct store_txn *t, const struct sl_ledger *L,
		       const char *number, struct slpay *o, struct kerr *err)
{
	struct store_cursor *c = NULL;
	int ret;

	if (!*number)
		return K_ENOTFOUND;
	if ((ret = store_cursor_open(t, L->pay, "number", &c, err)))
		return ret;
	for (ret = store_cursor_seek(c, number, true, o, err); ret == 0;
	     ret = store_cursor_next(c, o, err))
		if (o->number && strcmp(o->number, number) == 0)
			break;
	store_cursor_close(&c);
	if (ret == K_ENOTFOUND)
		kerr_clear(err);
	return ret;
}

static int pay_reverse_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct prev *a = arg;
	const struct sl_ledger *L = a->L;
	struct slpay o, r;
	struct openitem it;
	struct journal j;
	char number[40], desc[300], ds[DATE_BUFSZ];
	const struct slpayline *ov;
	struct slpayline *rv;
	int64_t total;
	int ret;

	memset(&o, 0, sizeof o);
	memset(&r, 0, sizeof r);
	memset(&it, 0, sizeof it);
	memset(&j, 0, sizeof j);
	ret = find_number(t, L, a->number, &o, err);
	if (ret == K_ENOTFOUND)
		ret = kerr_set(err, K_ENOTFOUND, "number", _("no posted %s %s"),
			       L->pay_type, a->number);
	if (ret)
		goto out;
	if (!sl_is(o.status, "posted")) {
		ret = kerr_set(err, K_EINVAL, "status", _("%s is not posted"),
			       a->number);
		goto out;
	}
	if (o.reverses || o.reversed_by) {
		struct slpay x;
		memset(&x, 0, sizeof x);
		store_get(t, L->pay, o.reverses ? o.reverses : o.reversed_by,
			  &x, NULL);
		ret = kerr_set(err, K_EINVAL, NULL,
			       o.reverses ? _("%s is the reversal of %s: post that one again instead") :
					    _("%s is reversed already by %s"),
			       o.number, x.number ? x.number : "?");
		store_rec_clear(L->pay, &x);
		goto out;
	}
	r.date = a->date == DATE_NONE ? date_today() : a->date;
	if (r.date < o.date) {
		ret = kerr_set(err, K_EINVAL, "date",
			       _("%s is dated %s: a reversal cannot be earlier"),
			       o.number, date_format(o.date, ds, sizeof ds));
		goto out;
	}
	/* The reversal: the original's figures negated, numbered next. */
	if ((ret = sl_draft_code(t, L->pay, L->pay_prefix, &r.code, err)) ||
	    (ret = series_take(t, L->pay_series, number, sizeof number, err)))
		goto out;
	snprintf(desc, sizeof desc, _("Reversal of %s"), o.number);
	if ((ret = sl_dup(&r.status, "posted", err)) ||
	    (ret = sl_dup(&r.number, number, err)) ||
	    (ret = sl_dup(&r.reference, o.number, err)) ||
	    (ret = sl_dup(&r.description,
			  a->why && *a->why ? a->why : desc, err)))
		goto out;
	r.party = o.party;
	r.bank = o.bank;
	r.amount = -o.amount;
	r.allocated = -o.allocated;
	r.unapplied = -o.unapplied;
	r.writeoff = -o.writeoff;
	r.reverses = o.h.id;
	ov = o.allocs.items;
	if (o.allocs.n &&
	    !(r.allocs.items = calloc(o.allocs.n, sizeof(struct slpayline)))) {
		ret = kerr_set(err, K_ENOMEM, NULL, NULL);
		goto out;
	}
	r.allocs.n = o.allocs.n;
	rv = r.allocs.items;
	for (size_t i = 0; i < o.allocs.n; i++) {
		if ((ret = sl_dup(&rv[i].item, ov[i].item, err)))
			goto out;
		rv[i].amount = -ov[i].amount;
		rv[i].writeoff = -ov[i].writeoff;
		rv[i].due = ov[i].due;
	}
	if ((ret = store_insert(t, L->pay, &r, err)))
		goto out;
	/* The items it settled, open again; its money on account back. */
	for (size_t i = 0; i < o.allocs.n; i++) {
		store_rec_clear(L->item, &it);
		if ((ret = sl_item_find(t, L, ov[i].item, &it, err)) ||
		    (ret = sl_item_restore(t, L, &it, ov[i].amount,
					   ov[i].writeoff, r.date, number,
					   r.h.id, err))) {
			kerr_prefix(err, _("line %zu"), i + 1);
			goto out;
		}
		rv[i].open = it.open;
	}
	if (o.unapplied > 0 && (ret = take_back(t, L, &o, &r, err)))
		goto out;
	/* Shared rows last, as when it was posted. */
	if (num_add(o.amount, o.writeoff, &total)) {
		ret = kerr_set(err, K_ERANGE, NULL, _("amount out of range"));
		goto out;
	}
	if ((ret = sl_balance_add(t, L, o.party, total, err)))
		goto out;
	if (o.journal) {
		if ((ret = gl_reverse_own(t, o.journal, r.date, L->name,
					  number, a->why, &j, err)))
			goto out;
		r.journal = j.h.id;
	}
	o.reversed_by = r.h.id;
	if ((ret = store_update(t, L->pay, &r, err)) ||
	    (ret = store_update(t, L->pay, &o, err)))
		goto out;
	snprintf(a->out.number, sizeof a->out.number, "%s", number);
	snprintf(a->out.journal, sizeof a->out.journal, "%s",
		 j.code ? j.code : "");
	a->out.gross = r.amount;
out:
	store_rec_clear(&journal_schema, &j);
	store_rec_clear(L->item, &it);
	store_rec_clear(L->pay, &r);
	store_rec_clear(L->pay, &o);
	return ret;
}

int sl_pay_reverse(struct store *st, const struct sl_ledger *L,
		   const char *number, kdate date, const char *why,
		   struct sl_posted *out, struct kerr *err)
{
	struct prev a = { .L = L, .number = number ? number : "", .date = date,
			  .why = why };
	int ret = store_write(st, pay_reverse_fn, &a, err);

	if (out)
		*out = a.out;
	return ret;
}

/* The receipt and payment screens' action: reversed today. */
int sl_pay_reverse_action(struct store *st, const struct entity *e,
			  void *rec, char *msg, size_t n, struct kerr *err)
{
	const struct sl_ledger *L = sl_ledger_of(e);
	struct slpay *p = rec;
	struct sl_posted o;
	int ret;

	if (!L)
		return kerr_set(err, K_EINTERNAL, NULL, "not a payment");
	if (!sl_is(p->status, "posted") || sl_empty(p->number))
		return kerr_set(err, K_EINVAL, "status",
				_("only a posted %s is reversed; a draft is deleted"),
				L->pay_type);
	if ((ret = sl_pay_reverse(st, L, p->number, DATE_NONE, NULL, &o,
				  err)))
		return ret;
	if (msg && n)
		snprintf(msg, n, _("Reversed by %s (entry %s)."), o.number,
			 o.journal);
	return 0;
}
