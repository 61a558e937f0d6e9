/*
 * openitem.c - the open items receivables and payables leave, their
 * allocations, the party balances, the credit check and the
 * control-account invariant; helpers the posting files share.
 *
 * An item goes down only through sl_item_reduce(), which writes an
 * allocation row dated like the document that made it: the open amount
 * of an item on any day is its amount less the allocations dated up to
 * that day (sl_item_open_asof), which is what aging as of a past date
 * and the customer statement read.  last_alloc lets them skip that walk
 * for items nothing touched after the day asked about.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "finance/sl_int.h"
#include "masters/fin.h"
#include "masters/masters.h"

/* ------------------------------------------------------------ schemas */

#define I(tag, name, type) \
	{ tag, #name, type, offsetof(struct openitem, name), NULL, NULL }
#define ITEM_FIELDS(doctable, paytable)                                    \
	I(1, code, SF_TEXT),                                               \
	{ 2, "party", SF_REF, offsetof(struct openitem, party), NULL,       \
	  "party" },                                                       \
	I(3, doc_type, SF_TEXT),                                           \
	I(4, doc, SF_TEXT),                                                \
	{ 5, "document", SF_REF, offsetof(struct openitem, document), NULL, \
	  doctable },                                                      \
	I(6, instalment, SF_INT),                                          \
	I(7, date, SF_DATE),                                               \
	I(8, due, SF_DATE),                                                \
	I(9, amount, SF_MONEY),                                            \
	I(10, open, SF_MONEY),                                             \
	I(11, status, SF_TEXT),                                            \
	I(12, last_alloc, SF_DATE),                                        \
	I(13, dunning_level, SF_INT),                                      \
	I(14, dunned, SF_DATE),                                            \
	{ 15, "payment", SF_REF, offsetof(struct openitem, payment), NULL,  \
	  paytable }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field aritem_fields[] = {
	ITEM_FIELDS("arinv", "arrcpt")
};
static const struct store_field apitem_fields[] = {
	ITEM_FIELDS("apinv", "appay")
};
#undef ITEM_FIELDS
#undef I

static const struct store_index item_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "party", 0, { "party", "date" } },     /* statements, aging */
	{ "open", 0, { "status", "due" } },      /* proposals, dunning */
	{ "doc", 0, { "doc" } },                 /* a document's items */
	{ "document", 0, { "document" } },       /* delete checks */
	{ "payment", 0, { "payment" } },
};

const struct store_schema aritem_schema = {
	.name = "aritem", .version = 1, .size = sizeof(struct openitem),
	.fields = aritem_fields, .nfields = NELEM(aritem_fields),
	.indexes = item_ix, .nindexes = NELEM(item_ix),
};

const struct store_schema apitem_schema = {
	.name = "apitem", .version = 1, .size = sizeof(struct openitem),
	.fields = apitem_fields, .nfields = NELEM(apitem_fields),
	.indexes = item_ix, .nindexes = NELEM(item_ix),
};

#define A(tag, name, type) \
	{ tag, #name, type, offsetof(struct slalloc, name), NULL, NULL }
#define ALLOC_FIELDS(itemtable, paytable)                                  \
	{ 1, "item", SF_REF, offsetof(struct slalloc, item), NULL,          \
	  itemtable },                                                     \
	A(2, date, SF_DATE),                                               \
	A(3, amount, SF_MONEY),                                            \
	A(4, writeoff, SF_MONEY),                                          \
	A(5, doc, SF_TEXT),                                                \
	{ 6, "party", SF_REF, offsetof(struct slalloc, party), NULL,        \
	  "party" },                                                       \
	{ 7, "payment", SF_REF, offsetof(struct slalloc, payment), NULL,    \
	  paytable }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field aralloc_fields[] = {
	ALLOC_FIELDS("aritem", "arrcpt")
};
static const struct store_field apalloc_fields[] = {
	ALLOC_FIELDS("apitem", "appay")
};
#undef ALLOC_FIELDS
#undef A

static const struct store_index alloc_ix[] = {
	{ "item", 0, { "item", "date" } },
	{ "payment", 0, { "payment" } },         /* delete checks */
};

const struct store_schema aralloc_schema = {
	.name = "aralloc", .version = 1, .size = sizeof(struct slalloc),
	.fields = aralloc_fields, .nfields = NELEM(aralloc_fields),
	.indexes = alloc_ix, .nindexes = NELEM(alloc_ix),
};

const struct store_schema apalloc_schema = {
	.name = "apalloc", .version = 1, .size = sizeof(struct slalloc),
	.fields = apalloc_fields, .nfields = NELEM(apalloc_fields),
	.indexes = alloc_ix, .nindexes = NELEM(alloc_ix),
};

static const struct store_field partybal_fields[] = {
	{ 1, "party", SF_REF, offsetof(struct partybal, party), NULL, "party" },
	{ 2, "ar", SF_MONEY, offsetof(struct partybal, ar), NULL, NULL },
	{ 3, "ap", SF_MONEY, offsetof(struct partybal, ap), NULL, NULL },
};

static const struct store_index partybal_ix[] = {
	{ "party", STORE_IX_UNIQUE, { "party" } },
};

/* Derived from the open items (arap_verify recomputes it). */
const struct store_schema partybal_schema = {
	.name = "partybal", .version = 1, .size = sizeof(struct partybal),
	.fields = partybal_fields, .nfields = NELEM(partybal_fields),
	.indexes = partybal_ix, .nindexes = NELEM(partybal_ix),
	SL_NOAUDIT_INIT
};

/* ------------------------------------------------------------ helpers */

int sl_dup(char **dst, const char *s, struct kerr *err)
{
	if (!(*dst = strdup(s ? s : "")))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	return 0;
}

int sl_set_text(char **dst, const char *s, struct kerr *err)
{
	char *n = strdup(s ? s : "");

	if (!n)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	free(*dst);
	*dst = n;
	return 0;
}

int sl_party_check(struct store_txn *t, const struct sl_ledger *L,
		   int64_t id, const char *field, struct party *p,
		   struct kerr *err)
{
	int ret;

	store_rec_clear(&party_schema, p);
	if (id == 0)
		return kerr_set(err, K_EINVAL, field,
				_("%s is required: the %s"), field,
				L->customer ? _("customer") : _("supplier"));
	if ((ret = store_get(t, &party_schema, id, p, err))) {
		if (ret == K_ENOTFOUND)
			kerr_set(err, ret, field,
				 _("party #%" PRId64 " does not exist"), id);
		return ret;
	}
	if (!sl_is(p->status, "active"))
		return kerr_set(err, K_EINVAL, field,
				_("party %s is blocked"), p->code);
	if (L->customer && !p->customer)
		return kerr_set(err, K_EINVAL, field,
				_("party %s is not a customer"), p->code);
	if (!L->customer && !p->supplier)
		return kerr_set(err, K_EINVAL, field,
				_("party %s is not a supplier"), p->code);
	return 0;
}

int sl_currency_check(struct store_txn *t, int64_t currency,
		      struct kerr *err)
{
	(void)t;
	if (currency == 0)
		return 0;
	return kerr_set(err, K_EINVAL, "currency",
			_("documents in another currency are not supported yet: leave currency empty (the base currency)"));
}

int sl_role(struct store_txn *t, const char *role, int64_t *account,
	    struct kerr *err)
{
	return gl_role_account(t, role, account, err);
}

int sl_draft_code(struct store_txn *t, const struct store_schema *s,
		  const char *prefix, char **code, struct kerr *err)
{
	char name[64], buf[64];
	int64_t n;
	int ret;

	snprintf(name, sizeof name, "draft.%s", s->name);
	if ((ret = store_counter_next(t, name, &n, err)))
		return ret;
	snprintf(buf, sizeof buf, "%s%06" PRId64, prefix, n);
	return sl_set_text(code, buf, err);
}

int sl_jadd(struct journal *j, int64_t account, int64_t amount,
	    int64_t party, const char *memo, struct kerr *err)
{
	struct jline *v;

	if (amount == 0)
		return 0;
	v = realloc(j->lines.items, (j->lines.n + 1) * sizeof *v);
	if (!v)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	j->lines.items = v;
	v += j->lines.n;
	memset(v, 0, sizeof *v);
	v->account = account;
	if (amount > 0)
		v->debit = amount;
	else
		v->credit = -amount;
	v->party = party;
	if (memo && *memo && !(v->memo = strdup(memo)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	j->lines.n++;
	return 0;
}

/* ------------------------------------------------------------- items */

int sl_item_find(struct store_txn *t, const struct sl_ledger *L,
		 const char *code, struct openitem *out, struct kerr *err)
{
	int ret = store_find_text(t, L->item, "code", code ? code : "", out,
				  err);

	if (ret == K_ENOTFOUND)
		kerr_set(err, ret, "allocs", _("no open item %s"),
			 code ? code : "");
	return ret;
}

int sl_item_add(struct store_txn *t, const struct sl_ledger *L,
		int64_t party, const char *doc_type, const char *doc,
		int64_t document, int64_t payment, int64_t instalment,
		int64_t ninst, kdate date, kdate due, int64_t amount,
		struct openitem *out, struct kerr *err)
{
	struct openitem it;
	char code[80];
	int ret;

	memset(&it, 0, sizeof it);
	store_rec_clear(L->item, &it);
	if (ninst > 1)
		snprintf(code, sizeof code, "%s/%" PRId64, doc, instalment);
	else
		snprintf(code, sizeof code, "%s", doc);
	if ((ret = sl_dup(&it.code, code, err)) ||
	    (ret = sl_dup(&it.doc_type, doc_type, err)) ||
	    (ret = sl_dup(&it.doc, doc, err)) ||
	    (ret = sl_dup(&it.status, amount ? "open" : "closed", err)))
		goto out;
	it.party = party;
	it.document = document;
	it.payment = payment;
	it.instalment = instalment;
	it.date = date;
	it.due = due;
	it.amount = amount;
	it.open = amount;
	it.last_alloc = DATE_NONE;
	it.dunned = DATE_NONE;
	if ((ret = store_insert(t, L->item, &it, err)))
		goto out;
	if (out) {
		store_rec_clear(L->item, out);
		*out = it;
		memset(&it, 0, sizeof it);
	}
out:
	store_rec_clear(L->item, &it);
	return ret;
}

static int64_t sgn(int64_t v)
{
	return (v > 0) - (v < 0);
}

int sl_item_reduce(struct store_txn *t, const struct sl_ledger *L,
		   struct openitem *it, int64_t amount, int64_t writeoff,
		   kdate date, const char *doc, int64_t payment,
		   const char *what, struct kerr *err)
{
	struct slalloc a;
	char o[NUM_BUFSZ], r[NUM_BUFSZ], ds[DATE_BUFSZ];
	int64_t red;
	int ret;

	if (num_add(amount, writeoff, &red))
		return kerr_set(err, K_ERANGE, "allocs", _("%s: amount out of range"),
				what);
	if (!sl_is(it->status, "open") || it->open == 0)
		return kerr_set(err, K_EINVAL, "allocs",
				_("%s: item %s is settled already"), what,
				it->code);
	if (it->date != DATE_NONE && date < it->date)
		return kerr_set(err, K_EINVAL, "allocs",
				_("%s: item %s is dated %s, after this document"),
				what, it->code,
				date_format(it->date, ds, sizeof ds));
	if (red == 0)
		return kerr_set(err, K_EINVAL, "allocs",
				_("%s: nothing applied to item %s"), what,
				it->code);
	if (sgn(red) != sgn(it->open))
		return kerr_set(err, K_EINVAL, "allocs",
				_("%s: item %s is open %s; %s goes the wrong way"),
				what, it->code,
				num_format(it->open, 2, true, o, sizeof o),
				num_format(red, 2, true, r, sizeof r));
	if ((red > 0 && red > it->open) || (red < 0 && red < it->open))
		return kerr_set(err, K_EINVAL, "allocs",
				_("%s: %s is more than the %s open on item %s"),
				what, num_format(red, 2, true, r, sizeof r),
				num_format(it->open, 2, true, o, sizeof o),
				it->code);
	it->open -= red;
	if (it->last_alloc == DATE_NONE || date > it->last_alloc)
		it->last_alloc = date;
	if (it->open == 0 && (ret = sl_set_text(&it->status, "closed", err)))
		return ret;
	if ((ret = store_update(t, L->item, it, err)))
		return ret;
	memset(&a, 0, sizeof a);
	store_rec_clear(L->alloc, &a);
	a.item = it->h.id;
	a.date = date;
	a.amount = amount;
	a.writeoff = writeoff;
	a.party = it->party;
	a.payment = payment;
	if (!(a.doc = strdup(doc ? doc : "")))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	ret = store_insert(t, L->alloc, &a, err);
	store_rec_clear(L->alloc, &a);
	return ret;
}

int sl_item_restore(struct store_txn *t, const struct sl_ledger *L,
		    struct openitem *it, int64_t amount, int64_t writeoff,
		    kdate date, const char *doc, int64_t payment,
		    struct kerr *err)
{
	struct slalloc a;
	int64_t back;
	int ret;

	if (num_add(amount, writeoff, &back) ||
	    num_add(it->open, back, &it->open))
		return kerr_set(err, K_ERANGE, "allocs",
				_("item %s: amount out of range"), it->code);
	if (it->open != 0 && (ret = sl_set_text(&it->status, "open", err)))
		return ret;
	if (it->last_alloc == DATE_NONE || date > it->last_alloc)
		it->last_alloc = date;
	if ((ret = store_update(t, L->item, it, err)))
		return ret;
	memset(&a, 0, sizeof a);
	a.item = it->h.id;
	a.date = date;
	a.amount = -amount;
	a.writeoff = -writeoff;
	a.party = it->party;
	a.payment = payment;
	if (!(a.doc = strdup(doc ? doc : "")))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	ret = store_insert(t, L->alloc, &a, err);
	store_rec_clear(L->alloc, &a);
	return ret;
}

/* The allocations of item id dated on or before asof, summed. */
static int alloc_sum(struct store_txn *t, const struct sl_ledger *L,
		     int64_t id, kdate asof, int64_t *sum, struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct slalloc a, probe;
	int ret;

	*sum = 0;
	memset(&a, 0, sizeof a);
	memset(&probe, 0, sizeof probe);
	probe.item = id;
	probe.date = INT32_MIN + 1;
	if ((ret = store_cursor_open(t, L->alloc, "item", &c, err)))
		return ret;
	for (ret = store_cursor_seek_rec(c, &probe, &a, err);
	     ret == 0 && a.item == id && a.date <= asof;
	     ret = store_cursor_next(c, &a, err))
		*sum += a.amount + a.writeoff;
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	store_rec_clear(L->alloc, &a);
	return ret;
}

int sl_item_open_asof(struct store_txn *t, const struct sl_ledger *L,
		      const struct openitem *it, kdate asof, int64_t *open,
		      struct kerr *err)
{
	int64_t sum;
	int ret;

	*open = 0;
	if (it->date != DATE_NONE && it->date > asof)
		return 0;
	if (it->last_alloc == DATE_NONE || it->last_alloc <= asof) {
		*open = it->open;
		return 0;
	}
	if ((ret = alloc_sum(t, L, it->h.id, asof, &sum, err)))
		return ret;
	*open = it->amount - sum;
	return 0;
}

/* ----------------------------------------------------------- balances */

static int bal_get(struct store_txn *t, int64_t party, struct partybal *b,
		   struct kerr *err)
{
	struct partybal probe;

	memset(&probe, 0, sizeof probe);
	probe.party = party;
	return store_find(t, &partybal_schema, "party", &probe, b, err);
}

int sl_balance_add(struct store_txn *t, const struct sl_ledger *L,
		   int64_t party, int64_t delta, struct kerr *err)
{
	struct partybal b;
	int64_t *v;
	int ret;

	if (delta == 0)
		return 0;
	memset(&b, 0, sizeof b);
	ret = bal_get(t, party, &b, err);
	if (ret && ret != K_ENOTFOUND)
		return ret;
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		memset(&b, 0, sizeof b);
		b.party = party;
	}
	v = L->sign > 0 ? &b.ar : &b.ap;
	if (num_add(*v, delta, v))
		ret = kerr_set(err, K_ERANGE, "party",
			       _("the party's balance is out of range"));
	else if (b.h.version == 0)
		ret = store_insert(t, &partybal_schema, &b, err);
	else
		ret = store_update(t, &partybal_schema, &b, err);
	store_rec_clear(&partybal_schema, &b);
	return ret;
}

int sl_party_balance(struct store_txn *t, int64_t party, int64_t *ar,
		     int64_t *ap, struct kerr *err)
{
	struct partybal b;
	int ret;

	memset(&b, 0, sizeof b);
	if (ar)
		*ar = 0;
	if (ap)
		*ap = 0;
	ret = bal_get(t, party, &b, err);
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		return 0;
	}
	if (ret == 0) {
		if (ar)
			*ar = b.ar;
		if (ap)
			*ap = b.ap;
	}
	store_rec_clear(&partybal_schema, &b);
	return ret;
}

int ar_credit_check(struct store_txn *t, int64_t party, int64_t amount,
		    struct sl_credit *out, struct kerr *err)
{
	struct party p;
	int ret;

	memset(out, 0, sizeof *out);
	memset(&p, 0, sizeof p);
	if ((ret = store_get(t, &party_schema, party, &p, err))) {
		if (ret == K_ENOTFOUND)
			kerr_set(err, ret, "party",
				 _("party #%" PRId64 " does not exist"), party);
		return ret;
	}
	out->limit = p.credit_limit;
	store_rec_clear(&party_schema, &p);
	if ((ret = sl_party_balance(t, party, &out->balance, NULL, err)))
		return ret;
	if (num_add(out->balance, amount, &out->after))
		return kerr_set(err, K_ERANGE, "party",
				_("the balance is out of range"));
	if (out->limit > 0) {
		out->available = out->limit - out->balance;
		out->over = out->after > out->limit;
	}
	return 0;
}

/* The party screen's info line. */
static int party_credit_line(struct store_txn *t, const void *rec, char *buf,
			     size_t n, struct kerr *err)
{
	const struct party *p = rec;
	struct sl_credit c;
	int64_t ap = 0;
	char a[NUM_BUFSZ], b[NUM_BUFSZ], l[NUM_BUFSZ], v[NUM_BUFSZ];
	int ret;

	if (!p->h.id)
		return 0;
	if ((ret = ar_credit_check(t, p->h.id, 0, &c, err)) ||
	    (ret = sl_party_balance(t, p->h.id, NULL, &ap, err)))
		return ret;
	if (c.limit > 0)
		snprintf(buf, n, _("Receivable %s  Payable %s  Limit %s  left %s%s"),
			 num_format(c.balance, 2, true, a, sizeof a),
			 num_format(ap, 2, true, b, sizeof b),
			 num_format(c.limit, 2, true, l, sizeof l),
			 num_format(c.available, 2, true, v, sizeof v),
			 c.available < 0 ? _("  OVER LIMIT") : "");
	else
		snprintf(buf, n, _("Receivable %s  Payable %s  No credit limit"),
			 num_format(c.balance, 2, true, a, sizeof a),
			 num_format(ap, 2, true, b, sizeof b));
	return 0;
}

const struct ent_info party_credit_info = {
	"party_credit", "party", party_credit_line,
};

/* ----------------------------------------------------------- verify */

struct verify {
	const struct sl_ledger *L;
	void (*report)(void *arg, const char *msg);
	void *arg;
	unsigned problems;
};

static void problem(struct verify *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct verify *v, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	v->problems++;
	if (v->report)
		v->report(v->arg, msg);
}

/* One party's items, summed, in the "party" index's order. */
struct partysum {
	int64_t party;
	int64_t sum;
};

static int check_party(struct store_txn *t, struct verify *v,
		       const struct partysum *ps, struct kerr *err)
{
	char a[NUM_BUFSZ], b[NUM_BUFSZ], code[64];
	int64_t ar, ap, have;
	struct party p;
	int ret;

	if ((ret = sl_party_balance(t, ps->party, &ar, &ap, err)))
		return ret;
	have = v->L->sign > 0 ? ar : ap;
	if (have == ps->sum)
		return 0;
	memset(&p, 0, sizeof p);
	if (store_get(t, &party_schema, ps->party, &p, NULL) == 0)
		snprintf(code, sizeof code, "%s", p.code ? p.code : "");
	else
		snprintf(code, sizeof code, "#%" PRId64, ps->party);
	store_rec_clear(&party_schema, &p);
	problem(v, _("%s party %s: balance table says %s, the open items %s"),
		v->L->name, code, num_format(have, 2, true, a, sizeof a),
		num_format(ps->sum, 2, true, b, sizeof b));
	return 0;
}

static int verify_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct verify *v = arg;
	const struct sl_ledger *L = v->L;
	struct store_cursor *c = NULL;
	struct openitem it;
	struct partysum ps = { 0, 0 };
	struct gl_sum gs;
	int64_t total = 0, account, sum;
	kdate last;
	char a[NUM_BUFSZ], b[NUM_BUFSZ];
	int ret;

	memset(&it, 0, sizeof it);
	if ((ret = store_cursor_open(t, L->item, "party", &c, err)))
		return ret;
	while ((ret = store_cursor_next(c, &it, err)) == 0) {
		if (it.party != ps.party) {
			if (ps.party && (ret = check_party(t, v, &ps, err)))
				break;
			ps.party = it.party;
			ps.sum = 0;
		}
		if ((ret = alloc_sum(t, L, it.h.id, INT32_MAX, &sum, err)))
			break;
		if (it.amount - sum != it.open)
			problem(v, _("%s item %s: open %s, but its amount less its allocations is %s"),
				L->name, it.code,
				num_format(it.open, 2, true, a, sizeof a),
				num_format(it.amount - sum, 2, true, b, sizeof b));
		ps.sum += it.open;
		total += it.open;
		if ((it.open == 0) != sl_is(it.status, "closed"))
			problem(v, _("%s item %s: open %s but status %s"),
				L->name, it.code,
				num_format(it.open, 2, true, a, sizeof a),
				it.status ? it.status : "");
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	if (!ret && ps.party)
		ret = check_party(t, v, &ps, err);
	store_rec_clear(L->item, &it);
	if (ret)
		return ret;
	if ((ret = sl_role(t, L->control_role, &account, err)))
		return ret;
	/* everything posted: up to the end of the last period there is */
	{
		struct store_cursor *pc = NULL;
		struct period per;
		memset(&per, 0, sizeof per);
		if ((ret = store_cursor_open(t, &period_schema, "start", &pc,
					     err)))
			return ret;
		ret = store_cursor_last(pc, &per, err);
		last = per.end;
		store_cursor_close(&pc);
		store_rec_clear(&period_schema, &per);
		if (ret == K_ENOTFOUND) {
			kerr_clear(err);
			gs.closing = 0;         /* no period: nothing posted */
			goto compare;
		}
		if (ret)
			return ret;
	}
	if ((ret = gl_balance(t, account, DATE_NONE, last, -1, &gs, err)))
		return ret;
compare:
	if (gs.closing != L->sign * total)
		problem(v, _("%s: control account balance %s, open items %s"),
			L->name, num_format(gs.closing, 2, true, a, sizeof a),
			num_format(L->sign * total, 2, true, b, sizeof b));
	return 0;
}

int arap_verify(struct store *st, const struct sl_ledger *L,
		void (*report)(void *arg, const char *msg), void *arg,
		unsigned *problems, struct kerr *err)
{
	struct verify v = { L, report, arg, 0 };
	int ret = store_read(st, verify_fn, &v, err);

	if (problems)
		*problems = v.problems;
	return ret;
}

/* ------------------------------------------------------------ ledgers */

const struct sl_ledger *sl_ledger_of(const struct entity *e)
{
	if (e == &arinv_entity || e == &arrcpt_entity)
		return &sl_ar;
	if (e == &apinv_entity || e == &appay_entity)
		return &sl_ap;
	return NULL;
}
