/*
 * ar.c - accounts receivable: the customer invoice and receipt
 * entities (what screens, imports and kontor ar work on), their post
 * actions, the credit check of a draft and the dunning run.  The
 * machinery is shared with payables (sldoc.c, slpay.c, openitem.c).
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "finance/sl_int.h"

int ar_invoice_post_action(struct store *st, const struct entity *e,
			   void *rec, char *msg, size_t n, struct kerr *err);
int ar_receipt_post_action(struct store *st, const struct entity *e,
			   void *rec, char *msg, size_t n, struct kerr *err);

const int ar_dunning_days[AR_DUNNING_LEVELS] = { 1, 31, 61 };

/* ----------------------------------------------------------- entities */

static const struct ent_referrer arinv_refs[] = {
	{ "aritem", "document", N_("open items: it is posted") },
	{ "arinv", "applies_to", N_("credit notes (applies to)") },
};

static const struct ent_referrer arrcpt_refs[] = {
	{ "aralloc", "payment", N_("allocations: it is posted") },
	{ "aritem", "payment", N_("open items: it is posted") },
};

static const struct ent_hook arinv_hooks[] = {
	{ "arinvoice_validate", HOOK_VALIDATE, "arinvoice", sl_doc_validate,
	  NULL, NULL, NULL },
	{ "arinvoice_post", HOOK_ACTION, "arinvoice", NULL, NULL,
	  ar_invoice_post_action, "post" },
};

static const struct ent_hook arrcpt_hooks[] = {
	{ "arreceipt_validate", HOOK_VALIDATE, "arreceipt", sl_pay_validate,
	  NULL, NULL, NULL },
	{ "arreceipt_post", HOOK_ACTION, "arreceipt", NULL, NULL,
	  ar_receipt_post_action, "post" },
	{ "arreceipt_reverse", HOOK_ACTION, "arreceipt", NULL, NULL,
	  sl_pay_reverse_action, "reverse" },
};

static const struct ent_default doc_defaults[] = {
	{ "kind", "invoice" },
	{ "status", "draft" },
};

static const struct ent_default pay_defaults[] = {
	{ "status", "draft" },
};

const struct entity arinv_entity = {
	.name = "arinvoice",
	.title = N_("Customer invoice"),
	.schema = &arinv_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "number",
	.perm = "ar.invoice",
	.validate = sl_doc_validate,
	.change = sl_doc_change,
	.refs = arinv_refs,
	.nrefs = NELEM(arinv_refs),
	.hooks = arinv_hooks,
	.nhooks = NELEM(arinv_hooks),
	.defaults = doc_defaults,
	.ndefaults = NELEM(doc_defaults),
	.apply = sl_doc_apply,
	.fill = NULL,
};

const struct entity arrcpt_entity = {
	.name = "arreceipt",
	.title = N_("Customer receipt"),
	.schema = &arrcpt_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "number",
	.perm = "ar.receipt",
	.validate = sl_pay_validate,
	.change = sl_pay_change,
	.refs = arrcpt_refs,
	.nrefs = NELEM(arrcpt_refs),
	.hooks = arrcpt_hooks,
	.nhooks = NELEM(arrcpt_hooks),
	.defaults = pay_defaults,
	.ndefaults = NELEM(pay_defaults),
	.apply = sl_pay_apply,
	.fill = NULL,
};

const struct sl_ledger sl_ar = {
	.name = "ar",
	.sign = 1,
	.control_role = "receivable",
	.line_role = "revenue",
	.tax_kind = "output",
	.customer = true,
	.note_kind = "credit-note",
	.inv_series = "AR-INV",
	.note_series = "AR-CN",
	.pay_series = "AR-RCPT",
	.pay_type = "receipt",
	.doc_prefix = "AR-D",
	.pay_prefix = "AR-R",
	.doc = &arinv_schema,
	.pay = &arrcpt_schema,
	.item = &aritem_schema,
	.alloc = &aralloc_schema,
	.doc_entity = &arinv_entity,
	.pay_entity = &arrcpt_entity,
};

/* ------------------------------------------------------------ actions */

/* The message line after a post: number, entry, the credit warning. */
static void posted_msg(const struct sl_posted *o, char *msg, size_t n)
{
	char a[NUM_BUFSZ], b[NUM_BUFSZ];

	if (!msg || !n)
		return;
	if (o->over_limit)
		snprintf(msg, n,
			 _("Posted as %s (entry %s). Warning: the customer's balance is now %s, over its credit limit of %s."),
			 o->number, o->journal,
			 num_format(o->balance_after, 2, true, a, sizeof a),
			 num_format(o->credit_limit, 2, true, b, sizeof b));
	else
		snprintf(msg, n, _("Posted as %s (entry %s)."), o->number,
			 o->journal);
}

int ar_invoice_post_action(struct store *st, const struct entity *e,
			   void *rec, char *msg, size_t n, struct kerr *err)
{
	struct sldoc *d = rec;
	struct sl_posted o;
	int ret;

	(void)e;
	if ((ret = sl_doc_post(st, &sl_ar, d->code, 0, &o, err)))
		return ret;
	posted_msg(&o, msg, n);
	return 0;
}

int ar_receipt_post_action(struct store *st, const struct entity *e,
			   void *rec, char *msg, size_t n, struct kerr *err)
{
	struct slpay *p = rec;
	struct sl_posted o;
	int ret;

	(void)e;
	if ((ret = sl_pay_post(st, &sl_ar, p->code, &o, err)))
		return ret;
	posted_msg(&o, msg, n);
	return 0;
}

/* ------------------------------------------------------- credit check */

struct credit {
	const char *code;
	struct sl_credit out;
};

static int credit_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct credit *c = arg;
	struct sldoc d;
	int ret;

	memset(&d, 0, sizeof d);
	ret = store_find_text(t, &arinv_schema, "code", c->code, &d, err);
	if (ret == K_ENOTFOUND)
		kerr_set(err, ret, "code", _("no ar document %s"), c->code);
	if (!ret && (ret = ent_check(t, &arinv_entity, &d, err)) == 0)
		ret = ar_credit_check(t, d.party,
				      sl_is(d.kind, "invoice") ? d.gross :
								 -d.gross,
				      &c->out, err);
	store_rec_clear(&arinv_schema, &d);
	return ret;
}

int ar_invoice_credit(struct store *st, const char *code,
		      struct sl_credit *out, struct kerr *err)
{
	struct credit c = { code ? code : "", { 0 } };
	int ret = store_read(st, credit_fn, &c, err);

	*out = c.out;
	return ret;
}

/* ------------------------------------------------------------ dunning */

int ar_dunning_level_for(int64_t days_over)
{
	int level = 0;

	for (int i = 0; i < AR_DUNNING_LEVELS; i++)
		if (days_over >= ar_dunning_days[i])
			level = i + 1;
	return level;
}

struct dun {
	kdate date;
	int64_t party;
	unsigned raised;
};

static int dun_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct dun *a = arg;
	struct store_cursor *c = NULL;
	struct openitem it;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int ret;

	a->raised = 0;
	memset(&it, 0, sizeof it);
	/* the ids first: raising an item rewrites the index walked */
	if ((ret = store_cursor_open(t, &aritem_schema, "open", &c, err)))
		return ret;
	for (ret = store_cursor_seek(c, "open", true, &it, err);
	     ret == 0 && it.due < a->date;
	     ret = store_cursor_next(c, &it, err)) {
		int lvl;
		if (it.open <= 0 || (a->party && it.party != a->party))
			continue;
		if (it.dunned != DATE_NONE && it.dunned >= a->date)
			continue;
		lvl = ar_dunning_level_for((int64_t)a->date - it.due);
		if (lvl <= it.dunning_level)
			continue;
		if (n == cap) {
			int64_t *v = realloc(ids, (cap = cap ? 2 * cap : 64) *
						     sizeof *v);
			if (!v) {
				ret = kerr_set(err, K_ENOMEM, NULL, NULL);
				break;
			}
			ids = v;
		}
		ids[n++] = it.h.id;
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	for (size_t i = 0; i < n && !ret; i++) {
		int lvl;
		if ((ret = store_get(t, &aritem_schema, ids[i], &it, err)))
			break;
		lvl = ar_dunning_level_for((int64_t)a->date - it.due);
		if (lvl > it.dunning_level + 1)
			lvl = (int)it.dunning_level + 1;
		it.dunning_level = lvl;
		it.dunned = a->date;
		if ((ret = store_update(t, &aritem_schema, &it, err)))
			break;
		a->raised++;
	}
	free(ids);
	store_rec_clear(&aritem_schema, &it);
	return ret;
}

int ar_dunning_run(struct store *st, kdate date, int64_t party,
		   unsigned *raised, struct kerr *err)
{
	struct dun a = { date, party, 0 };
	int ret;

	if (date == DATE_NONE)
		return kerr_set(err, K_EINVAL, "date", _("no date given"));
	ret = store_write(st, dun_fn, &a, err);
	if (raised)
		*raised = ret ? 0 : a.raised;
	return ret;
}
