/*
 * sldoc.c - invoices and notes of both ledgers: the line arithmetic,
 * the rules of a draft, and posting (number, open items, the note's
 * application, party balance, journal entry) in one transaction.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "finance/sl_int.h"
#include "masters/fin.h"
#include "masters/masters.h"
#include "masters/ops.h"

/* Shared inside the masters family (party.c). */
int masters_check_code(const char *code, struct kerr *err);

/* ------------------------------------------------------------ schemas */

#define L_(tag, name, type) \
	{ tag, #name, type, offsetof(struct slline, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field line_fields[] = {
	{ 1, "item", SF_REF, offsetof(struct slline, item), NULL, "item" },
	{ 2, "account", SF_REF, offsetof(struct slline, account), NULL,
	  "account" },
	L_(3, description, SF_TEXT),
	L_(4, qty, SF_QTY),
	L_(5, price, SF_PRICE),
	L_(6, discount, SF_RATE),
	{ 7, "tax_code", SF_REF, offsetof(struct slline, tax_code), NULL,
	  "tax" },
	L_(8, tax_rate, SF_RATE),
	L_(9, net, SF_MONEY),
	L_(10, tax, SF_MONEY),
};
#undef L_

const struct store_schema slline_schema = {
	.name = "slline", .version = 1, .size = sizeof(struct slline),
	.fields = line_fields, .nfields = NELEM(line_fields),
};

#define D(tag, name, type) \
	{ tag, #name, type, offsetof(struct sldoc, name), NULL, NULL }
#define DOC_FIELDS(table)                                                  \
	D(1, code, SF_TEXT),                                               \
	D(2, kind, SF_TEXT),                                               \
	D(3, status, SF_TEXT),                                             \
	{ 4, "party", SF_REF, offsetof(struct sldoc, party), NULL, "party" }, \
	D(5, date, SF_DATE),                                               \
	{ 6, "terms", SF_REF, offsetof(struct sldoc, terms), NULL, "terms" }, \
	{ 7, "currency", SF_REF, offsetof(struct sldoc, currency), NULL,    \
	  "currency" },                                                    \
	D(8, reference, SF_TEXT),                                          \
	D(9, description, SF_TEXT),                                        \
	{ 10, "applies_to", SF_REF, offsetof(struct sldoc, applies_to),    \
	  NULL, table },                                                   \
	D(11, net, SF_MONEY),                                              \
	D(12, tax, SF_MONEY),                                              \
	D(13, gross, SF_MONEY),                                            \
	D(14, number, SF_TEXT),                                            \
	{ 15, "journal", SF_REF, offsetof(struct sldoc, journal), NULL,    \
	  "journal" },                                                     \
	D(16, due, SF_DATE),                                               \
	{ 17, "lines", SF_LIST, offsetof(struct sldoc, lines),             \
	  &slline_schema, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field arinv_fields[] = { DOC_FIELDS("arinv") };
static const struct store_field apinv_fields[] = { DOC_FIELDS("apinv") };
#undef DOC_FIELDS
#undef D

static const struct store_index doc_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "number", 0, { "number" } },
	{ "party", 0, { "party", "date" } },          /* statements */
	{ "applies_to", 0, { "applies_to" } },        /* delete check */
};

const struct store_schema arinv_schema = {
	.name = "arinv", .version = 1, .size = sizeof(struct sldoc),
	.fields = arinv_fields, .nfields = NELEM(arinv_fields),
	.indexes = doc_ix, .nindexes = NELEM(doc_ix),
};

const struct store_schema apinv_schema = {
	.name = "apinv", .version = 1, .size = sizeof(struct sldoc),
	.fields = apinv_fields, .nfields = NELEM(apinv_fields),
	.indexes = doc_ix, .nindexes = NELEM(doc_ix),
};

/* ------------------------------------------------------- arithmetic */

int sl_line_amounts(int64_t qty, int64_t price, int64_t discount,
		    int64_t rate, int64_t *net, int64_t *tax)
{
	int64_t one = num_pow10(NUM_RATE_SCALE), n, x;
	/* scales: qty 3 + price 4 + (1 - discount) 6 = 13; money is 2 */
	__int128 p = (__int128)qty * price, lim = ((__int128)1 << 126) / one;
	int ret;

	if (discount < 0 || discount > one || p > lim || p < -lim)
		return K_ERANGE;
	p *= one - discount;

	if ((ret = num_round_div(p, (__int128)num_pow10(13 - NUM_MONEY_SCALE),
				 &n)))
		return ret;
	if ((ret = num_mul_scaled(n, rate, NUM_RATE_SCALE, &x)))
		return ret;
	*net = n;
	*tax = x;
	return 0;
}

void sl_doc_compute(struct sldoc *d)
{
	struct slline *v = d->lines.items;
	int64_t net = 0, tax = 0;

	for (size_t i = 0; i < d->lines.n; i++) {
		if (sl_line_amounts(v[i].qty ? v[i].qty : 1000, v[i].price,
				    v[i].discount, v[i].tax_rate, &v[i].net,
				    &v[i].tax)) {
			v[i].net = v[i].tax = 0;  /* the check names the line */
			continue;
		}
		if (num_add(net, v[i].net, &net) || num_add(tax, v[i].tax, &tax))
			net = tax = 0;
	}
	d->net = net;
	d->tax = tax;
	if (num_add(net, tax, &d->gross))
		d->gross = 0;
}

void sl_doc_change(const struct entity *e, void *rec)
{
	(void)e;
	sl_doc_compute(rec);
}

/* -------------------------------------------------------------- rules */

static const char *kind_word(const struct sl_ledger *L, const char *kind)
{
	if (sl_is(kind, L->note_kind))
		return L->sign > 0 ? _("credit note") : _("debit note");
	return L->sign > 0 ? _("invoice") : _("supplier invoice");
}

/* Item defaults and the tax code's rate for line i (1-based n). */
static int check_line(struct store_txn *t, const struct sl_ledger *L,
		      struct slline *l, size_t n, struct kerr *err)
{
	int64_t one = num_pow10(NUM_RATE_SCALE);
	struct item it;
	struct tax tx;
	int ret = 0;

	memset(&it, 0, sizeof it);
	memset(&tx, 0, sizeof tx);
	if (l->qty == 0)
		l->qty = num_pow10(NUM_QTY_SCALE);
	if (l->discount < 0 || l->discount > one)
		return kerr_set(err, K_EINVAL, "lines",
				_("line %zu: discount must be 0 to 1 (0.10 is 10%%)"),
				n);
	if (l->item && t) {
		if ((ret = store_get(t, &item_schema, l->item, &it, err))) {
			if (ret == K_ENOTFOUND)
				kerr_set(err, ret, "lines",
					 _("line %zu: item #%" PRId64 " does not exist"),
					 n, l->item);
			goto out;
		}
		if (!sl_is(it.status, "active")) {
			ret = kerr_set(err, K_EINVAL, "lines",
				       _("line %zu: item %s is blocked"), n,
				       it.code);
			goto out;
		}
		if (sl_empty(l->description) &&
		    (ret = sl_set_text(&l->description, it.description, err)))
			goto out;
		if (l->price == 0)
			l->price = L->sign > 0 ? it.list_price : it.standard_cost;
		if (l->tax_code == 0)
			l->tax_code = it.tax_code;
	}
	if (!l->item && sl_empty(l->description) && !l->account)
		return kerr_set(err, K_EINVAL, "lines",
				_("line %zu: give an item, an account or a description"),
				n);
	l->tax_rate = 0;
	if (l->tax_code && t) {
		if ((ret = store_get(t, &tax_schema, l->tax_code, &tx, err))) {
			if (ret == K_ENOTFOUND)
				kerr_set(err, ret, "lines",
					 _("line %zu: tax code #%" PRId64 " does not exist"),
					 n, l->tax_code);
			goto out;
		}
		if (!sl_is(tx.status, "active")) {
			ret = kerr_set(err, K_EINVAL, "lines",
				       _("line %zu: tax code %s is blocked"),
				       n, tx.code);
			goto out;
		}
		if (!sl_is(tx.kind, L->tax_kind) && !sl_is(tx.kind, "exempt") &&
		    !sl_is(tx.kind, "zero")) {
			ret = kerr_set(err, K_EINVAL, "lines",
				       _("line %zu: tax code %s is %s tax; %s documents take %s tax"),
				       n, tx.code, tx.kind ? tx.kind : "",
				       L->name, L->tax_kind);
			goto out;
		}
		if (tx.rate && !tx.account) {
			ret = kerr_set(err, K_EINVAL, "lines",
				       _("line %zu: tax code %s has no account"),
				       n, tx.code);
			goto out;
		}
		l->tax_rate = tx.rate;
	}
	if (sl_line_amounts(l->qty, l->price, l->discount, l->tax_rate,
			    &l->net, &l->tax))
		ret = kerr_set(err, K_ERANGE, "lines",
			       _("line %zu: the amount is too large"), n);
out:
	store_rec_clear(&item_schema, &it);
	store_rec_clear(&tax_schema, &tx);
	return ret;
}

/* The note's invoice: posted, the same party, dated on or before it. */
static int check_applies(struct store_txn *t, const struct sl_ledger *L,
			 const struct sldoc *d, struct kerr *err)
{
	struct sldoc inv;
	char ds[DATE_BUFSZ];
	int ret;

	if (!d->applies_to)
		return 0;
	if (!sl_is(d->kind, L->note_kind))
		return kerr_set(err, K_EINVAL, "applies_to",
				_("only a %s applies to an invoice"),
				kind_word(L, L->note_kind));
	if (!t)
		return 0;
	memset(&inv, 0, sizeof inv);
	if ((ret = store_get(t, L->doc, d->applies_to, &inv, err))) {
		if (ret == K_ENOTFOUND)
			kerr_set(err, ret, "applies_to",
				 _("the invoice it applies to does not exist"));
		return ret;
	}
	if (!sl_is(inv.kind, "invoice") || !sl_is(inv.status, "posted"))
		ret = kerr_set(err, K_EINVAL, "applies_to",
			       _("%s is not a posted invoice"), inv.code);
	else if (inv.party != d->party)
		ret = kerr_set(err, K_EINVAL, "applies_to",
			       _("invoice %s is another party's"), inv.number);
	else if (d->date != DATE_NONE && d->date < inv.date)
		ret = kerr_set(err, K_EINVAL, "applies_to",
			       _("invoice %s is dated %s, after this note"),
			       inv.number, date_format(inv.date, ds, sizeof ds));
	store_rec_clear(L->doc, &inv);
	return ret;
}

/* A stored record's status: a posted one is never saved again. */
static int check_status(struct store_txn *t, const struct sl_ledger *L,
			const struct store_schema *s, const struct store_rec *h,
			const char *status, const char *code, struct kerr *err)
{
	const struct store_field *f = store_field_find(s, "status");
	void *old;
	int ret = 0;

	if (!sl_is(status, "draft") && !sl_is(status, "posted"))
		return kerr_set(err, K_EINVAL, "status",
				_("status must be draft or posted, not \"%s\""),
				status ? status : "");
	if (!t)
		return 0;
	if (h->version == 0) {
		if (sl_is(status, "posted"))
			return kerr_set(err, K_EINVAL, "status",
					_("a new document is a draft; post it with kontor %s post"),
					L->name);
		return 0;
	}
	if (!(old = calloc(1, s->size)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	if ((ret = store_get(t, s, h->id, old, err)) == 0 &&
	    sl_is(*(char **)((char *)old + f->offset), "posted"))
		ret = kerr_set(err, K_EINVAL, "status",
			       _("%s is posted: it is never changed (a %s corrects it)"),
			       code ? code : "",
			       L->sign > 0 ? _("credit note") : _("debit note"));
	else if (ret == 0 && sl_is(status, "posted"))
		ret = kerr_set(err, K_EINVAL, "status",
			       _("posting is an action: kontor %s post %s"),
			       L->name, code ? code : "");
	store_rec_clear(s, old);
	free(old);
	return ret;
}

int sl_doc_validate(struct store_txn *t, const struct entity *e, void *rec,
		    struct kerr *err)
{
	const struct sl_ledger *L = sl_ledger_of(e);
	struct sldoc *d = rec;
	struct slline *v = d->lines.items;
	struct party p;
	int ret;

	if (!L)
		return kerr_set(err, K_EINTERNAL, NULL, "not a document");
	if ((d->h.version || !sl_empty(d->code)) &&
	    (ret = masters_check_code(d->code, err)))
		return ret;
	if (!sl_is(d->kind, "invoice") && !sl_is(d->kind, L->note_kind))
		return kerr_set(err, K_EINVAL, "kind",
				_("kind must be invoice or %s, not \"%s\""),
				L->note_kind, d->kind ? d->kind : "");
	if ((ret = check_status(t, L, L->doc, &d->h, d->status, d->code, err)))
		return ret;
	if (d->party == 0)
		return kerr_set(err, K_EINVAL, "party",
				_("party is required: the %s"),
				L->customer ? _("customer") : _("supplier"));
	if (d->date == DATE_NONE)
		return kerr_set(err, K_EINVAL, "date", _("date is required"));
	if ((ret = sl_currency_check(t, d->currency, err)))
		return ret;
	if (d->lines.n > SL_MAX_LINES)
		return kerr_set(err, K_EINVAL, "lines",
				_("at most %d lines"), SL_MAX_LINES);
	if (t) {
		memset(&p, 0, sizeof p);
		ret = store_get(t, &party_schema, d->party, &p, err);
		if (ret == K_ENOTFOUND)
			kerr_set(err, ret, "party",
				 _("party #%" PRId64 " does not exist"),
				 d->party);
		else if (!ret && L->customer && !p.customer)
			ret = kerr_set(err, K_EINVAL, "party",
				       _("party %s is not a customer"), p.code);
		else if (!ret && !L->customer && !p.supplier)
			ret = kerr_set(err, K_EINVAL, "party",
				       _("party %s is not a supplier"), p.code);
		store_rec_clear(&party_schema, &p);
		if (ret)
			return ret;
	}
	if (sl_is(d->status, "draft") && t)
		for (size_t i = 0; i < d->lines.n; i++)
			if ((ret = check_line(t, L, &v[i], i + 1, err)))
				return ret;
	if ((ret = check_applies(t, L, d, err)))
		return ret;
	sl_doc_compute(d);
	return 0;
}

int sl_doc_apply(struct store_txn *t, const struct entity *e, void *rec,
		 struct kerr *err)
{
	const struct sl_ledger *L = sl_ledger_of(e);
	struct sldoc *d = rec;

	if (!L || d->h.version || !sl_empty(d->code))
		return 0;
	return sl_draft_code(t, L->doc, L->doc_prefix, &d->code, err);
}

/* ------------------------------------------------------------ posting */

struct dpost {
	const struct sl_ledger *L;
	const char *code;
	unsigned flags;
	struct sl_posted out;
};

/* Adds the tax lines of d to j: one per tax account, in line order. */
static int tax_lines(struct store_txn *t, const struct sldoc *d,
		     struct journal *j, int64_t mult, struct kerr *err)
{
	const struct slline *v = d->lines.items;
	int64_t acct[SL_MAX_LINES], sum[SL_MAX_LINES];
	size_t n = 0;
	struct tax tx;
	int ret = 0;

	memset(&tx, 0, sizeof tx);
	for (size_t i = 0; i < d->lines.n && !ret; i++) {
		size_t k;
		if (v[i].tax == 0)
			continue;
		if ((ret = store_get(t, &tax_schema, v[i].tax_code, &tx, err)))
			break;
		for (k = 0; k < n && acct[k] != tx.account; k++)
			;
		if (k == n) {
			acct[n] = tx.account;
			sum[n++] = 0;
		}
		sum[k] += v[i].tax;
	}
	store_rec_clear(&tax_schema, &tx);
	for (size_t k = 0; k < n && !ret; k++)
		ret = sl_jadd(j, acct[k], mult * sum[k], d->party,
			      _("tax"), err);
	return ret;
}

/*
 * Applies note item `note` (negative) to the open items of invoice id,
 * instalment by instalment, as far as both go.
 */
static int apply_note(struct store_txn *t, const struct sl_ledger *L,
		      const struct sldoc *d, struct openitem *note,
		      struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct openitem it;
	struct sldoc inv;
	int64_t ids[SL_MAX_DUE];
	size_t n = 0;
	int ret;

	memset(&inv, 0, sizeof inv);
	memset(&it, 0, sizeof it);
	if ((ret = store_get(t, L->doc, d->applies_to, &inv, err)))
		return ret;
	if ((ret = store_cursor_open(t, L->item, "doc", &c, err)))
		goto out;
	for (ret = store_cursor_seek(c, inv.number, true, &it, err);
	     ret == 0 && n < SL_MAX_DUE; ret = store_cursor_next(c, &it, err))
		if (sl_is(it.doc, inv.number) && it.document == inv.h.id &&
		    it.open > 0)
			ids[n++] = it.h.id;
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	for (size_t i = 0; i < n && !ret && note->open < 0; i++) {
		int64_t x;
		if ((ret = store_get(t, L->item, ids[i], &it, err)))
			break;
		x = it.open < -note->open ? it.open : -note->open;
		if (!(ret = sl_item_reduce(t, L, &it, x, 0, d->date, note->doc,
					   0, note->doc, err)))
			ret = sl_item_reduce(t, L, note, -x, 0, d->date,
					     note->doc, 0, note->doc, err);
	}
out:
	store_rec_clear(L->item, &it);
	store_rec_clear(L->doc, &inv);
	return ret;
}

/* The due dates of d: its terms, else the party's, else the date. */
static int schedule(struct store_txn *t, const struct sldoc *d,
		    const struct party *p, struct due *due, size_t *n,
		    struct kerr *err)
{
	int64_t id = d->terms ? d->terms : p->payment_terms;
	struct terms tm;
	int ret;

	*n = 1;
	due[0].date = d->date;
	due[0].amount = d->gross;
	if (!sl_is(d->kind, "invoice") || !id)
		return 0;
	memset(&tm, 0, sizeof tm);
	if ((ret = store_get(t, &terms_schema, id, &tm, err)) == 0 &&
	    (ret = terms_schedule(&tm, d->date, d->gross, due, SL_MAX_DUE, n,
				  err)))
		kerr_prefix(err, _("terms %s"), tm.code ? tm.code : "");
	if (ret && !err->field[0])
		snprintf(err->field, sizeof err->field, "terms");
	store_rec_clear(&terms_schema, &tm);
	return ret;
}

/*
 * THE posting of a document of L, inside t: d is a draft read from the
 * table, or (h.version 0) one the caller built, which is checked and
 * inserted as a draft first, the way sl_pay_post_txn does with a
 * payment.  On success d holds the posted record.
 */
static int doc_post(struct store_txn *t, const struct sl_ledger *L,
		    struct sldoc *d, unsigned flags, struct sl_posted *out,
		    struct kerr *err)
{
	struct party p;
	struct journal j;
	struct openitem note;
	struct due due[SL_MAX_DUE];
	struct sl_credit cr;
	char number[40], desc[300], o[NUM_BUFSZ], l[NUM_BUFSZ];
	const struct slline *v;
	int64_t mult, control;
	size_t ndue;
	bool is_note;
	int ret;

	memset(&p, 0, sizeof p);
	memset(&j, 0, sizeof j);
	memset(&note, 0, sizeof note);
	memset(out, 0, sizeof *out);
	store_rec_clear(&journal_schema, &j);
	if (sl_is(d->status, "posted")) {
		ret = kerr_set(err, K_EINVAL, "status",
			       _("%s is posted already as %s"), d->code,
			       d->number ? d->number : "");
		goto out;
	}
	if (d->h.version == 0) {
		if ((sl_empty(d->status) &&
		     (ret = sl_set_text(&d->status, "draft", err))) ||
		    (sl_empty(d->kind) &&
		     (ret = sl_set_text(&d->kind, "invoice", err))))
			goto out;
		if (sl_empty(d->code) &&
		    (ret = sl_draft_code(t, L->doc, L->doc_prefix, &d->code,
					 err)))
			goto out;
	}
	if ((ret = ent_check(t, L->doc_entity, d, err)))
		goto out;
	is_note = sl_is(d->kind, L->note_kind);
	if (d->lines.n == 0) {
		ret = kerr_set(err, K_EINVAL, "lines",
			       _("%s has no lines: nothing to post"), d->code);
		goto out;
	}
	if (d->gross <= 0) {
		ret = kerr_set(err, K_EINVAL, "lines",
			       _("%s comes to %s: a document to post must come to more than 0"),
			       d->code, num_format(d->gross, 2, true, o, sizeof o));
		goto out;
	}
	if ((ret = sl_party_check(t, L, d->party, "party", &p, err)))
		goto out;
	if (L->sign > 0 && !is_note) {
		if ((ret = ar_credit_check(t, d->party, d->gross, &cr, err)))
			goto out;
		out->over_limit = cr.over;
		out->balance_after = cr.after;
		out->credit_limit = cr.limit;
		if (cr.over && (flags & SL_REFUSE_OVER_LIMIT)) {
			ret = kerr_set(err, K_EINVAL, "party",
				       _("%s would put %s at %s, over its credit limit of %s"),
				       d->code, p.code,
				       num_format(cr.after, 2, true, o, sizeof o),
				       num_format(cr.limit, 2, true, l, sizeof l));
			goto out;
		}
	}
	if ((ret = schedule(t, d, &p, due, &ndue, err)))
		goto out;
	if (d->h.version == 0 && (ret = store_insert(t, L->doc, d, err)))
		goto out;
	if ((ret = series_take(t, is_note ? L->note_series : L->inv_series,
			       number, sizeof number, err)))
		goto out;
	/* the items */
	mult = is_note ? -1 : 1;
	for (size_t i = 0; i < ndue; i++)
		if ((ret = sl_item_add(t, L, d->party, d->kind, number, d->h.id,
				       0, (int64_t)i + 1, (int64_t)ndue, d->date,
				       due[i].date, mult * due[i].amount,
				       is_note ? &note : NULL, err)))
			goto out;
	if (is_note && d->applies_to &&
	    (ret = apply_note(t, L, d, &note, err)))
		goto out;
	/* the entry: control vs the lines and the tax */
	snprintf(desc, sizeof desc, "%s %s %s", kind_word(L, d->kind), number,
		 p.name ? p.name : "");
	j.date = d->date;
	if ((ret = sl_dup(&j.description, desc, err)) ||
	    (ret = sl_dup(&j.source, L->name, err)) ||
	    (ret = sl_dup(&j.source_ref, number, err)) ||
	    (ret = sl_role(t, L->control_role, &control, err)) ||
	    (ret = sl_jadd(&j, control, L->sign * mult * d->gross, d->party,
			   number, err)))
		goto out;
	v = d->lines.items;
	for (size_t i = 0; i < d->lines.n; i++) {
		int64_t acct = v[i].account;
		if (!acct && (ret = sl_role(t, L->line_role, &acct, err)))
			goto out;
		if ((ret = sl_jadd(&j, acct, -L->sign * mult * v[i].net,
				   d->party, v[i].description, err))) {
			kerr_prefix(err, _("line %zu"), i + 1);
			goto out;
		}
	}
	if ((ret = tax_lines(t, d, &j, -L->sign * mult, err)))
		goto out;
	/* the document */
	if ((ret = sl_set_text(&d->status, "posted", err)) ||
	    (ret = sl_set_text(&d->number, number, err)))
		goto out;
	d->due = due[ndue - 1].date;
	/* shared rows last: the party's balance, then the ledger */
	if ((ret = sl_balance_add(t, L, d->party, mult * d->gross, err)))
		goto out;
	if ((ret = gl_post(t, &j, err)))
		goto out;
	d->journal = j.h.id;
	if ((ret = store_update(t, L->doc, d, err)))
		goto out;
	snprintf(out->number, sizeof out->number, "%s", number);
	snprintf(out->journal, sizeof out->journal, "%s",
		 j.code ? j.code : "");
	out->gross = d->gross;
	out->items = (int64_t)ndue;
out:
	store_rec_clear(L->item, &note);
	store_rec_clear(&journal_schema, &j);
	store_rec_clear(&party_schema, &p);
	return ret;
}

static int post_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct dpost *a = arg;
	struct sldoc d;
	int ret;

	memset(&d, 0, sizeof d);
	memset(&a->out, 0, sizeof a->out);
	if ((ret = store_find_text(t, a->L->doc, "code", a->code, &d, err))) {
		if (ret == K_ENOTFOUND)
			kerr_set(err, ret, "code", _("no %s document %s"),
				 a->L->name, a->code);
	} else {
		ret = doc_post(t, a->L, &d, a->flags, &a->out, err);
	}
	store_rec_clear(a->L->doc, &d);
	return ret;
}

int sl_doc_post_txn(struct store_txn *t, const struct sl_ledger *L,
		    struct sldoc *d, unsigned flags, struct sl_posted *out,
		    struct kerr *err)
{
	struct sl_posted o;

	return doc_post(t, L, d, flags, out ? out : &o, err);
}

int sl_doc_post(struct store *st, const struct sl_ledger *L,
		const char *code, unsigned flags, struct sl_posted *out,
		struct kerr *err)
{
	struct dpost a = { .L = L, .code = code ? code : "", .flags = flags };
	int ret = store_write(st, post_fn, &a, err);

	if (out)
		*out = a.out;
	return ret;
}
