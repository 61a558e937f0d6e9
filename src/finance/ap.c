/*
 * ap.c - accounts payable: the supplier invoice and payment entities,
 * their post actions, and the payment proposal with its payment run.
 *
 * The run is ONE transaction for all its payments: a run is what the
 * clerk reviewed as a whole (and, later, one bank file), so it pays
 * all of it or none of it.  Anything refused on the way (an item paid
 * by hand since the proposal was made, a supplier blocked meanwhile)
 * stops the run with the line named, nothing is paid, and the clerk
 * mends the proposal and runs it again.  The price: the run holds the
 * pages it writes (the payment series' counter, the payable account's
 * balance row, the suppliers' balances) until it commits, so clerks
 * posting supplier documents meanwhile wait for it (NOWAIT + retry),
 * for as long as a run of a few hundred payments takes: well under a
 * second.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "finance/sl_int.h"

int masters_check_code(const char *code, struct kerr *err);
int ap_invoice_post_action(struct store *st, const struct entity *e,
			   void *rec, char *msg, size_t n, struct kerr *err);
int ap_payment_post_action(struct store *st, const struct entity *e,
			   void *rec, char *msg, size_t n, struct kerr *err);
int ap_proposal_pay_action(struct store *st, const struct entity *e,
			   void *rec, char *msg, size_t n, struct kerr *err);
int approp_validate(struct store_txn *t, const struct entity *e, void *rec,
		    struct kerr *err);
void approp_change(const struct entity *e, void *rec);
int approp_apply(struct store_txn *t, const struct entity *e, void *rec,
		 struct kerr *err);

/* ------------------------------------------------------------ schemas */

#define PL(tag, name, type) \
	{ tag, #name, type, offsetof(struct proline, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field proline_fields[] = {
	{ 1, "party", SF_REF, offsetof(struct proline, party), NULL, "party" },
	PL(2, item, SF_TEXT),
	PL(3, due, SF_DATE),
	PL(4, open, SF_MONEY),
	PL(5, amount, SF_MONEY),
	PL(6, payment, SF_TEXT),
};
#undef PL

const struct store_schema proline_schema = {
	.name = "proline", .version = 1, .size = sizeof(struct proline),
	.fields = proline_fields, .nfields = NELEM(proline_fields),
};

#define P(tag, name, type) \
	{ tag, #name, type, offsetof(struct approp, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field approp_fields[] = {
	P(1, code, SF_TEXT),
	P(2, due_by, SF_DATE),
	P(3, pay_date, SF_DATE),
	{ 4, "bank", SF_REF, offsetof(struct approp, bank), NULL, "account" },
	{ 5, "supplier", SF_REF, offsetof(struct approp, supplier), NULL,
	  "party" },
	P(6, status, SF_TEXT),
	P(7, total, SF_MONEY),
	P(8, payments, SF_INT),
	{ 9, "lines", SF_LIST, offsetof(struct approp, lines),
	  &proline_schema, NULL },
};
#undef P

static const struct store_index approp_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "due_by", 0, { "due_by" } },
};

const struct store_schema approp_schema = {
	.name = "approp", .version = 1, .size = sizeof(struct approp),
	.fields = approp_fields, .nfields = NELEM(approp_fields),
	.indexes = approp_ix, .nindexes = NELEM(approp_ix),
};

/* ----------------------------------------------------------- entities */

static const struct ent_referrer apinv_refs[] = {
	{ "apitem", "document", N_("open items: it is posted") },
	{ "apinv", "applies_to", N_("debit notes (applies to)") },
};

static const struct ent_referrer appay_refs[] = {
	{ "apalloc", "payment", N_("allocations: it is posted") },
	{ "apitem", "payment", N_("open items: it is posted") },
};

static const struct ent_hook apinv_hooks[] = {
	{ "apinvoice_validate", HOOK_VALIDATE, "apinvoice", sl_doc_validate,
	  NULL, NULL, NULL },
	{ "apinvoice_post", HOOK_ACTION, "apinvoice", NULL, NULL,
	  ap_invoice_post_action, "post" },
};

static const struct ent_hook appay_hooks[] = {
	{ "appayment_validate", HOOK_VALIDATE, "appayment", sl_pay_validate,
	  NULL, NULL, NULL },
	{ "appayment_post", HOOK_ACTION, "appayment", NULL, NULL,
	  ap_payment_post_action, "post" },
	{ "appayment_reverse", HOOK_ACTION, "appayment", NULL, NULL,
	  sl_pay_reverse_action, "reverse" },
};

static const struct ent_hook approp_hooks[] = {
	{ "approposal_validate", HOOK_VALIDATE, "approposal", approp_validate,
	  NULL, NULL, NULL },
	{ "approposal_pay", HOOK_ACTION, "approposal", NULL, NULL,
	  ap_proposal_pay_action, "pay" },
};

static const struct ent_default doc_defaults[] = {
	{ "kind", "invoice" },
	{ "status", "draft" },
};

static const struct ent_default pay_defaults[] = {
	{ "status", "draft" },
};

static const struct ent_default prop_defaults[] = {
	{ "status", "open" },
};

const struct entity apinv_entity = {
	.name = "apinvoice",
	.title = N_("Supplier invoice"),
	.schema = &apinv_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "number",
	.perm = "ap.invoice",
	.validate = sl_doc_validate,
	.change = sl_doc_change,
	.refs = apinv_refs,
	.nrefs = NELEM(apinv_refs),
	.hooks = apinv_hooks,
	.nhooks = NELEM(apinv_hooks),
	.defaults = doc_defaults,
	.ndefaults = NELEM(doc_defaults),
	.apply = sl_doc_apply,
	.fill = NULL,
};

const struct entity appay_entity = {
	.name = "appayment",
	.title = N_("Supplier payment"),
	.schema = &appay_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "number",
	.perm = "ap.payment",
	.validate = sl_pay_validate,
	.change = sl_pay_change,
	.refs = appay_refs,
	.nrefs = NELEM(appay_refs),
	.hooks = appay_hooks,
	.nhooks = NELEM(appay_hooks),
	.defaults = pay_defaults,
	.ndefaults = NELEM(pay_defaults),
	.apply = sl_pay_apply,
	.fill = NULL,
};

const struct entity approp_entity = {
	.name = "approposal",
	.title = N_("Payment proposal"),
	.schema = &approp_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "due_by",
	.perm = "ap.proposal",
	.validate = approp_validate,
	.change = approp_change,
	.refs = NULL,
	.nrefs = 0,
	.hooks = approp_hooks,
	.nhooks = NELEM(approp_hooks),
	.defaults = prop_defaults,
	.ndefaults = NELEM(prop_defaults),
	.apply = approp_apply,
	.fill = NULL,
};

const struct sl_ledger sl_ap = {
	.name = "ap",
	.sign = -1,
	.control_role = "payable",
	.line_role = "purchases",
	.tax_kind = "input",
	.customer = false,
	.note_kind = "debit-note",
	.inv_series = "AP-INV",
	.note_series = "AP-DN",
	.pay_series = "AP-PAY",
	.pay_type = "payment",
	.doc_prefix = "AP-D",
	.pay_prefix = "AP-P",
	.doc = &apinv_schema,
	.pay = &appay_schema,
	.item = &apitem_schema,
	.alloc = &apalloc_schema,
	.doc_entity = &apinv_entity,
	.pay_entity = &appay_entity,
};

/* ------------------------------------------------------------ actions */

int ap_invoice_post_action(struct store *st, const struct entity *e,
			   void *rec, char *msg, size_t n, struct kerr *err)
{
	struct sldoc *d = rec;
	struct sl_posted o;
	int ret;

	(void)e;
	if ((ret = sl_doc_post(st, &sl_ap, d->code, 0, &o, err)))
		return ret;
	if (msg && n)
		snprintf(msg, n, _("Posted as %s (entry %s)."), o.number,
			 o.journal);
	return 0;
}

int ap_payment_post_action(struct store *st, const struct entity *e,
			   void *rec, char *msg, size_t n, struct kerr *err)
{
	struct slpay *p = rec;
	struct sl_posted o;
	int ret;

	(void)e;
	if ((ret = sl_pay_post(st, &sl_ap, p->code, &o, err)))
		return ret;
	if (msg && n)
		snprintf(msg, n, _("Posted as %s (entry %s)."), o.number,
			 o.journal);
	return 0;
}

int ap_proposal_pay_action(struct store *st, const struct entity *e,
			   void *rec, char *msg, size_t n, struct kerr *err)
{
	struct approp *p = rec;
	char a[NUM_BUFSZ];
	size_t k;
	int64_t total;
	int ret;

	(void)e;
	if ((ret = ap_proposal_pay(st, p->code, &k, &total, err)))
		return ret;
	if (msg && n)
		snprintf(msg, n, _("Paid: %zu payments, %s in all."), k,
			 num_format(total, 2, true, a, sizeof a));
	return 0;
}

/* ----------------------------------------------------------- proposal */

void approp_change(const struct entity *e, void *rec)
{
	struct approp *p = rec;
	const struct proline *v = p->lines.items;
	int64_t sum = 0;

	(void)e;
	for (size_t i = 0; i < p->lines.n; i++)
		if (num_add(sum, v[i].amount, &sum))
			sum = 0;
	p->total = sum;
}

int approp_validate(struct store_txn *t, const struct entity *e, void *rec,
		    struct kerr *err)
{
	struct approp *p = rec;
	struct proline *v = p->lines.items;
	struct openitem it;
	char o[NUM_BUFSZ], a[NUM_BUFSZ];
	int ret = 0;

	(void)e;
	if ((p->h.version || !sl_empty(p->code)) &&
	    (ret = masters_check_code(p->code, err)))
		return ret;
	if (!sl_is(p->status, "open") && !sl_is(p->status, "paid"))
		return kerr_set(err, K_EINVAL, "status",
				_("status must be open or paid, not \"%s\""),
				p->status ? p->status : "");
	if (p->pay_date == DATE_NONE)
		return kerr_set(err, K_EINVAL, "pay_date",
				_("pay_date is required: the payments' date"));
	if (p->lines.n > SL_MAX_ALLOCS)
		return kerr_set(err, K_EINVAL, "lines",
				_("at most %d lines"), SL_MAX_ALLOCS);
	approp_change(e, p);
	if (!t)
		return 0;
	if (p->h.version) {
		struct approp old;
		memset(&old, 0, sizeof old);
		if ((ret = store_get(t, &approp_schema, p->h.id, &old, err)) == 0 &&
		    sl_is(old.status, "paid"))
			ret = kerr_set(err, K_EINVAL, "status",
				       _("proposal %s is paid: it is not changed"),
				       old.code);
		store_rec_clear(&approp_schema, &old);
		if (ret)
			return ret;
	}
	if (sl_is(p->status, "paid"))
		return kerr_set(err, K_EINVAL, "status",
				_("paying is an action: kontor ap pay %s"),
				p->code ? p->code : "");
	memset(&it, 0, sizeof it);
	for (size_t i = 0; i < p->lines.n && !ret; i++) {
		if ((ret = sl_item_find(t, &sl_ap, v[i].item, &it, err))) {
			kerr_prefix(err, _("line %zu"), i + 1);
			snprintf(err->field, sizeof err->field, "lines");
			break;
		}
		if (v[i].party == 0)
			v[i].party = it.party;
		v[i].due = it.due;
		v[i].open = it.open;
		if (it.party != v[i].party)
			ret = kerr_set(err, K_EINVAL, "lines",
				       _("line %zu: item %s is another supplier's"),
				       i + 1, it.code);
		else if (v[i].amount == 0 ||
			 (v[i].amount > 0) != (it.open > 0) ||
			 (it.open > 0 ? v[i].amount > it.open :
					v[i].amount < it.open))
			ret = kerr_set(err, K_EINVAL, "lines",
				       _("line %zu: %s against item %s, open %s; pay at most what is open, same sign"),
				       i + 1,
				       num_format(v[i].amount, 2, true, a, sizeof a),
				       it.code,
				       num_format(it.open, 2, true, o, sizeof o));
	}
	store_rec_clear(&apitem_schema, &it);
	return ret;
}

int approp_apply(struct store_txn *t, const struct entity *e, void *rec,
		 struct kerr *err)
{
	struct approp *p = rec;

	(void)e;
	if (p->h.version || !sl_empty(p->code))
		return 0;
	return sl_draft_code(t, &approp_schema, "PROP-", &p->code, err);
}

struct make {
	kdate due_by, pay_date;
	int64_t bank, supplier;
	char code[64];
	size_t lines;
};

/* Appends a line for it to p. */
static int add_line(struct approp *p, const struct openitem *it,
		    struct kerr *err)
{
	struct proline *v = realloc(p->lines.items,
				    (p->lines.n + 1) * sizeof *v);

	if (!v)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	p->lines.items = v;
	v += p->lines.n;
	memset(v, 0, sizeof *v);
	v->party = it->party;
	v->due = it->due;
	v->open = it->open;
	v->amount = it->open;
	p->lines.n++;
	return sl_dup(&v->item, it->code, err);
}

/*
 * The supplier's open items (all of them, in date order), the positive
 * ones due by m->due_by, the credits whatever their date, added to p
 * when they come to more than 0.
 */
static int add_supplier(struct store_txn *t, const struct make *m,
			int64_t party, struct approp *p, struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct openitem it;
	size_t first = p->lines.n;
	int64_t net = 0;
	char key[32];
	int ret;

	memset(&it, 0, sizeof it);
	if ((ret = store_cursor_open(t, &apitem_schema, "party", &c, err)))
		return ret;
	snprintf(key, sizeof key, "%" PRId64, party);
	for (ret = store_cursor_seek(c, key, true, &it, err); ret == 0;
	     ret = store_cursor_next(c, &it, err)) {
		if (!sl_is(it.status, "open") || it.open == 0)
			continue;
		if (it.open > 0 && it.due > m->due_by)
			continue;
		if (p->lines.n >= SL_MAX_ALLOCS) {
			ret = kerr_set(err, K_ERANGE, "lines",
				       _("more than %d items are due; make proposals per supplier"),
				       SL_MAX_ALLOCS);
			break;
		}
		if ((ret = add_line(p, &it, err)))
			break;
		net += it.open;
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	store_rec_clear(&apitem_schema, &it);
	if (ret)
		return ret;
	/* nothing due, or credits eat it all: the supplier is not paid */
	bool any = false;
	for (size_t i = first; i < p->lines.n; i++)
		any |= ((struct proline *)p->lines.items)[i].open > 0;
	if (net <= 0 || !any) {
		for (size_t i = first; i < p->lines.n; i++)
			store_field_clear(&proline_schema.fields[1],
					  (char *)p->lines.items +
						  i * sizeof(struct proline));
		p->lines.n = first;
	}
	return 0;
}

static int make_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct make *m = arg;
	struct store_cursor *c = NULL;
	struct openitem it;
	struct approp p;
	int64_t *parties = NULL;
	size_t np = 0, cap = 0;
	int ret;

	memset(&it, 0, sizeof it);
	memset(&p, 0, sizeof p);
	store_rec_clear(&approp_schema, &p);
	m->lines = 0;
	m->code[0] = '\0';
	/* the suppliers with something due: the "open" index, due order */
	if ((ret = store_cursor_open(t, &apitem_schema, "open", &c, err)))
		return ret;
	for (ret = store_cursor_seek(c, "open", true, &it, err);
	     ret == 0 && it.due <= m->due_by;
	     ret = store_cursor_next(c, &it, err)) {
		size_t k;
		if (it.open <= 0 || (m->supplier && it.party != m->supplier))
			continue;
		for (k = 0; k < np && parties[k] != it.party; k++)
			;
		if (k < np)
			continue;
		if (np == cap) {
			int64_t *v = realloc(parties, (cap = cap ? 2 * cap : 32) *
							      sizeof *v);
			if (!v) {
				ret = kerr_set(err, K_ENOMEM, NULL, NULL);
				break;
			}
			parties = v;
		}
		parties[np++] = it.party;
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	for (size_t k = 0; k < np && !ret; k++)
		ret = add_supplier(t, m, parties[k], &p, err);
	free(parties);
	store_rec_clear(&apitem_schema, &it);
	if (ret || p.lines.n == 0)
		goto out;
	p.due_by = m->due_by;
	p.pay_date = m->pay_date;
	p.bank = m->bank;
	p.supplier = m->supplier;
	if ((ret = sl_dup(&p.status, "open", err)) ||
	    (ret = ent_check(t, &approp_entity, &p, err)) ||
	    (ret = ent_apply(t, &approp_entity, &p, err)) ||
	    (ret = store_insert(t, &approp_schema, &p, err)))
		goto out;
	snprintf(m->code, sizeof m->code, "%s", p.code);
	m->lines = p.lines.n;
out:
	store_rec_clear(&approp_schema, &p);
	return ret;
}

int ap_proposal_make(struct store *st, kdate due_by, kdate pay_date,
		     int64_t bank, int64_t supplier, char *code, size_t n,
		     size_t *lines, struct kerr *err)
{
	struct make m = { due_by, pay_date == DATE_NONE ? due_by : pay_date,
			  bank, supplier, "", 0 };
	int ret;

	if (due_by == DATE_NONE)
		return kerr_set(err, K_EINVAL, "due_by",
				_("the due date is required"));
	ret = store_write(st, make_fn, &m, err);
	if (code && n)
		snprintf(code, n, "%s", ret ? "" : m.code);
	if (lines)
		*lines = ret ? 0 : m.lines;
	return ret;
}

struct pay {
	const char *code;
	size_t payments;
	int64_t total;
};

static int pay_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct pay *a = arg;
	struct approp p;
	struct proline *v;
	struct slpay pay;
	bool *done = NULL;
	int ret;

	a->payments = 0;
	a->total = 0;
	memset(&p, 0, sizeof p);
	memset(&pay, 0, sizeof pay);
	ret = store_find_text(t, &approp_schema, "code", a->code, &p, err);
	if (ret == K_ENOTFOUND)
		kerr_set(err, ret, "code", _("no payment proposal %s"),
			 a->code);
	if (ret)
		goto out;
	if (sl_is(p.status, "paid")) {
		ret = kerr_set(err, K_EINVAL, "status",
			       _("proposal %s is paid already"), p.code);
		goto out;
	}
	if ((ret = ent_check(t, &approp_entity, &p, err)))
		goto out;
	if (p.lines.n == 0) {
		ret = kerr_set(err, K_EINVAL, "lines",
			       _("proposal %s has no lines"), p.code);
		goto out;
	}
	v = p.lines.items;
	if (!(done = calloc(p.lines.n, sizeof *done))) {
		ret = kerr_set(err, K_ENOMEM, NULL, NULL);
		goto out;
	}
	/* one payment per supplier, in the order they first appear */
	for (size_t i = 0; i < p.lines.n && !ret; i++) {
		struct sl_posted o;
		int64_t sum = 0;
		if (done[i])
			continue;
		store_rec_clear(&appay_schema, &pay);
		pay.party = v[i].party;
		pay.date = p.pay_date;
		pay.bank = p.bank;
		pay.proposal = p.h.id;
		for (size_t k = i; k < p.lines.n && !ret; k++) {
			struct slpayline *pl;
			if (done[k] || v[k].party != v[i].party)
				continue;
			done[k] = true;
			pl = realloc(pay.allocs.items,
				     (pay.allocs.n + 1) * sizeof *pl);
			if (!pl) {
				ret = kerr_set(err, K_ENOMEM, NULL, NULL);
				break;
			}
			pay.allocs.items = pl;
			pl += pay.allocs.n++;
			memset(pl, 0, sizeof *pl);
			pl->amount = v[k].amount;
			pl->due = DATE_NONE;
			sum += v[k].amount;
			ret = sl_dup(&pl->item, v[k].item, err);
		}
		if (ret)
			break;
		if (sum <= 0)
			continue;       /* the clerk left only credits */
		pay.amount = sum;
		if ((ret = sl_dup(&pay.status, "draft", err)) ||
		    (ret = sl_dup(&pay.reference, p.code, err)))
			break;
		if ((ret = sl_pay_post_txn(t, &sl_ap, &pay, &o, err))) {
			kerr_prefix(err, _("proposal %s"), p.code);
			break;
		}
		for (size_t k = i; k < p.lines.n && !ret; k++)
			if (v[k].party == v[i].party)
				ret = sl_set_text(&v[k].payment, o.number, err);
		a->payments++;
		a->total += sum;
	}
	if (ret)
		goto out;
	p.payments = (int64_t)a->payments;
	if ((ret = sl_set_text(&p.status, "paid", err)))
		goto out;
	ret = store_update(t, &approp_schema, &p, err);
out:
	free(done);
	store_rec_clear(&appay_schema, &pay);
	store_rec_clear(&approp_schema, &p);
	return ret;
}

int ap_proposal_pay(struct store *st, const char *code, size_t *payments,
		    int64_t *total, struct kerr *err)
{
	struct pay a = { code ? code : "", 0, 0 };
	int ret = store_write(st, pay_fn, &a, err);

	if (payments)
		*payments = ret ? 0 : a.payments;
	if (total)
		*total = ret ? 0 : a.total;
	return ret;
}
