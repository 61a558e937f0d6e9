/*
 * item.c - items: what is bought, made, stocked or sold; the rules an
 * item must satisfy and its computed margin.
 */
#include <stddef.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "masters/entity.h"
#include "masters/masters.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Shared inside the family (party.c, entity.c). */
int masters_check_code(const char *code, struct kerr *err);
int masters_check_name(const char *field, const char *s, struct kerr *err);
int masters_check_status(const char *s, struct kerr *err);
int item_validate(struct store_txn *t, const struct entity *e, void *rec,
		  struct kerr *err);
void item_margin(const struct entity *e, void *rec);

/* ------------------------------------------------------------ schema */

#define I(tag, name, type) \
	{ tag, #name, type, offsetof(struct item, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field item_fields[] = {
	I(1, code, SF_TEXT),
	I(2, description, SF_TEXT),
	I(3, type, SF_TEXT),
	/* 4 retired: was text (the unit's code); now 16, a reference */
	I(5, category, SF_TEXT),
	I(6, standard_cost, SF_PRICE),
	I(7, list_price, SF_PRICE),
	/* 8 retired: tax_code was text (the tax's code); now 17 */
	I(9, lead_time, SF_INT),
	I(10, safety_stock, SF_QTY),
	I(11, lot_rule, SF_TEXT),
	I(12, lot_size, SF_QTY),
	I(13, lot_periods, SF_INT),
	I(14, margin, SF_RATE),
	I(15, status, SF_TEXT),
	{ 16, "uom", SF_REF, offsetof(struct item, uom), NULL, "unit" },
	{ 17, "tax_code", SF_REF, offsetof(struct item, tax_code), NULL,
	  "tax" },
};
#undef I

static const struct store_index item_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "description", STORE_IX_FOLD, { "description" } },
	{ "category", STORE_IX_FOLD, { "category" } },
	{ "uom", 0, { "uom" } },              /* for a unit's delete check */
	{ "tax_code", 0, { "tax_code" } },    /* for a tax's delete check */
};

const struct store_schema item_schema = {
	"item", 1, sizeof(struct item), item_fields, NELEM(item_fields),
	item_ix, NELEM(item_ix), 0,
};

static const struct ent_hook item_hooks[] = {
	{ "item_validate", HOOK_VALIDATE, "item", item_validate, NULL, NULL,
	  NULL },
	{ "item_margin", HOOK_CHANGE, "item", NULL, item_margin, NULL, NULL },
};

static const struct ent_default item_defaults[] = {
	{ "status", "active" },
	{ "type", "stocked" },
	{ "uom", "EA" },
	{ "lot_rule", "lot-for-lot" },
};

const struct entity item_entity = {
	.name = "item",
	.title = N_("Item"),
	.schema = &item_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "description",
	.perm = "item",
	.validate = item_validate,
	.change = item_margin,
	.refs = NULL,
	.nrefs = 0,
	.hooks = item_hooks,
	.nhooks = NELEM(item_hooks),
	.defaults = item_defaults,
	.ndefaults = NELEM(item_defaults),
};

/* -------------------------------------------------------------- rules */

static bool one_of(const char *s, const char *const *set, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return true;
	return false;
}

/*
 * margin = (list_price - standard_cost) / list_price, a rate of scale 6
 * (both prices have scale 4, which cancels); 0 when there is no price.
 */
void item_margin(const struct entity *e, void *rec)
{
	struct item *it = rec;
	int64_t m;

	(void)e;
	if (it->list_price == 0) {
		it->margin = 0;
		return;
	}
	if (num_round_div(((__int128)it->list_price - it->standard_cost) *
			  num_pow10(NUM_RATE_SCALE), it->list_price, &m) == 0)
		it->margin = m;
	else
		it->margin = 0;
}

int item_validate(struct store_txn *t, const struct entity *e, void *rec,
		  struct kerr *err)
{
	static const char *const types[] = {
		"stocked", "purchased", "manufactured", "service",
	};
	static const char *const rules[] = {
		"lot-for-lot", "fixed", "eoq", "period",
	};
	struct item *it = rec;
	int ret;

	(void)t;
	(void)e;
	if ((ret = masters_check_code(it->code, err)) ||
	    (ret = masters_check_name("description", it->description, err)))
		return ret;
	if (!one_of(it->type, types, NELEM(types)))
		return kerr_set(err, K_EINVAL, "type",
				_("type must be stocked, purchased, manufactured or service, not \"%s\""),
				it->type ? it->type : "");
	if (it->standard_cost < 0)
		return kerr_set(err, K_EINVAL, "standard_cost",
				_("standard_cost must be 0 or more"));
	if (it->list_price < 0)
		return kerr_set(err, K_EINVAL, "list_price",
				_("list_price must be 0 or more"));
	if (it->lead_time < 0 || it->lead_time > 999)
		return kerr_set(err, K_EINVAL, "lead_time",
				_("lead_time must be 0 to 999 days"));
	if (it->safety_stock < 0)
		return kerr_set(err, K_EINVAL, "safety_stock",
				_("safety_stock must be 0 or more"));
	if (!one_of(it->lot_rule, rules, NELEM(rules)))
		return kerr_set(err, K_EINVAL, "lot_rule",
				_("lot_rule must be lot-for-lot, fixed, eoq or period, not \"%s\""),
				it->lot_rule ? it->lot_rule : "");
	if (it->lot_size < 0)
		return kerr_set(err, K_EINVAL, "lot_size",
				_("lot_size must be 0 or more"));
	if ((strcmp(it->lot_rule, "fixed") == 0 ||
	     strcmp(it->lot_rule, "eoq") == 0) && it->lot_size <= 0)
		return kerr_set(err, K_EINVAL, "lot_size",
				_("lot rule %s needs a lot_size greater than 0"),
				it->lot_rule);
	if (strcmp(it->lot_rule, "period") == 0 &&
	    (it->lot_periods < 1 || it->lot_periods > 52))
		return kerr_set(err, K_EINVAL, "lot_periods",
				_("lot rule period needs lot_periods from 1 to 52"));
	return masters_check_status(it->status, err);
}
