/*
 * tax.c - tax codes: a rate, a kind (output or input VAT, exempt,
 * zero-rated) and the account the tax posts to.
 */
#include <stddef.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "masters/entity.h"
#include "masters/fin.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Shared inside the family (party.c). */
int masters_check_code(const char *code, struct kerr *err);
int masters_check_name(const char *field, const char *s, struct kerr *err);
int masters_check_status(const char *s, struct kerr *err);
int tax_validate(struct store_txn *t, const struct entity *e, void *rec,
		 struct kerr *err);

/* ------------------------------------------------------------ schema */

#define X(tag, name, type) \
	{ tag, #name, type, offsetof(struct tax, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field tax_fields[] = {
	X(1, code, SF_TEXT),
	X(2, name, SF_TEXT),
	X(3, rate, SF_RATE),
	X(4, kind, SF_TEXT),
	{ 5, "account", SF_REF, offsetof(struct tax, account), NULL,
	  "account" },
	X(6, status, SF_TEXT),
};
#undef X

static const struct store_index tax_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "name", STORE_IX_FOLD, { "name" } },
	{ "account", 0, { "account" } },      /* delete check of accounts */
};

const struct store_schema tax_schema = {
	"tax", 1, sizeof(struct tax), tax_fields, NELEM(tax_fields),
	tax_ix, NELEM(tax_ix), 0,
};

static const struct ent_referrer tax_refs[] = {
	{ "item", "tax_code", N_("items (tax code)") },
};

static const struct ent_hook tax_hooks[] = {
	{ "tax_validate", HOOK_VALIDATE, "tax", tax_validate, NULL, NULL,
	  NULL },
};

static const struct ent_default tax_defaults[] = {
	{ "status", "active" },
	{ "kind", "output" },
};

const struct entity tax_entity = {
	.name = "tax",
	.title = N_("Tax code"),
	.schema = &tax_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "name",
	.perm = "tax",
	.validate = tax_validate,
	.change = NULL,
	.refs = tax_refs,
	.nrefs = NELEM(tax_refs),
	.hooks = tax_hooks,
	.nhooks = NELEM(tax_hooks),
	.defaults = tax_defaults,
	.ndefaults = NELEM(tax_defaults),
};

/* -------------------------------------------------------------- rules */

/* The tax's account must be postable: the tax is posted to it. */
static int check_account(struct store_txn *t, const struct tax *x,
			 struct kerr *err)
{
	struct account a;
	int ret;

	memset(&a, 0, sizeof a);
	if ((ret = store_get(t, &account_schema, x->account, &a, err))) {
		if (ret == K_ENOTFOUND)
			kerr_set(err, K_ENOTFOUND, "account",
				 _("the account of tax %s no longer exists"),
				 x->code ? x->code : "");
		return ret;
	}
	if (!a.postable)
		ret = kerr_set(err, K_EINVAL, "account",
			       _("account %s is a heading; a tax posts to a postable account"),
			       a.code ? a.code : "");
	store_rec_clear(&account_schema, &a);
	return ret;
}

int tax_validate(struct store_txn *t, const struct entity *e, void *rec,
		 struct kerr *err)
{
	struct tax *x = rec;
	int64_t one = num_pow10(NUM_RATE_SCALE);
	bool vat;
	int ret;

	(void)e;
	if ((ret = masters_check_code(x->code, err)) ||
	    (ret = masters_check_name("name", x->name, err)))
		return ret;
	if (!x->kind || (strcmp(x->kind, "output") != 0 &&
			 strcmp(x->kind, "input") != 0 &&
			 strcmp(x->kind, "exempt") != 0 &&
			 strcmp(x->kind, "zero") != 0))
		return kerr_set(err, K_EINVAL, "kind",
				_("kind must be output, input, exempt or zero, not \"%s\""),
				x->kind ? x->kind : "");
	if (x->rate < 0 || x->rate > one)
		return kerr_set(err, K_EINVAL, "rate",
				_("rate must be from 0 to 1 (0.13 is 13%%)"));
	vat = strcmp(x->kind, "output") == 0 || strcmp(x->kind, "input") == 0;
	if (!vat && x->rate != 0)
		return kerr_set(err, K_EINVAL, "rate",
				_("a tax of kind %s has rate 0"), x->kind);
	if (vat && x->account == 0)
		return kerr_set(err, K_EINVAL, "account",
				_("a tax of kind %s needs the account it posts to"),
				x->kind);
	if ((ret = masters_check_status(x->status, err)))
		return ret;
	if (t && x->account > 0)
		return check_account(t, x, err);
	return 0;
}
