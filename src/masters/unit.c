/*
 * unit.c - units of measure (EA, KG, BOX), how many decimals their
 * quantities keep, and their conversions ("1 BOX = 12 EA"); converting
 * a quantity from one unit into another.
 *
 * A conversion is written once, on either unit: BOX holds "to EA 12",
 * and EA -> BOX uses it backwards.  Quantities are integers of scale 3
 * and factors rates of scale 6 (base/num.h); a conversion multiplies
 * the factors of its path exactly in 128 bits and rounds once.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "masters/entity.h"
#include "masters/ops.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Shared inside the family (party.c, entity.c). */
int masters_check_code(const char *code, struct kerr *err);
int masters_check_name(const char *field, const char *s, struct kerr *err);
int unit_validate(struct store_txn *t, const struct entity *e, void *rec,
		  struct kerr *err);

/* ------------------------------------------------------------ schemas */

static const struct store_field conversion_fields[] = {
	{ 1, "to", SF_REF, offsetof(struct conversion, to), NULL, "unit" },
	{ 2, "factor", SF_RATE, offsetof(struct conversion, factor), NULL,
	  NULL },
};

const struct store_schema conversion_schema = {
	"conversion", 1, sizeof(struct conversion), conversion_fields,
	NELEM(conversion_fields), NULL, 0, 0,
};

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field unit_fields[] = {
	{ 1, "code", SF_TEXT, offsetof(struct unit, code), NULL, NULL },
	{ 2, "name", SF_TEXT, offsetof(struct unit, name), NULL, NULL },
	{ 3, "decimals", SF_INT, offsetof(struct unit, decimals), NULL, NULL },
	{ 4, "conversions", SF_LIST, offsetof(struct unit, conversions),
	  &conversion_schema, NULL },
};

static const struct store_index unit_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "name", STORE_IX_FOLD, { "name" } },
};

const struct store_schema unit_schema = {
	"unit", 1, sizeof(struct unit), unit_fields, NELEM(unit_fields),
	unit_ix, NELEM(unit_ix), 0,
};

/*
 * Items name their unit (item.uom, indexed).  Another unit's conversion
 * may name this one too; list elements have no index, so that is not
 * checked here: a conversion to a deleted unit is simply no path.
 */
static const struct ent_referrer unit_refs[] = {
	{ "item", "uom", N_("items (unit)") },
};

static const struct ent_hook unit_hooks[] = {
	{ "unit_validate", HOOK_VALIDATE, "unit", unit_validate, NULL, NULL,
	  NULL },
};

static const struct ent_default unit_defaults[] = {
	{ "decimals", "0" },
};

const struct entity unit_entity = {
	.name = "unit",
	.title = N_("Unit of measure"),
	.schema = &unit_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "name",
	.perm = "unit",
	.validate = unit_validate,
	.change = NULL,
	.refs = unit_refs,
	.nrefs = NELEM(unit_refs),
	.hooks = unit_hooks,
	.nhooks = NELEM(unit_hooks),
	.defaults = unit_defaults,
	.ndefaults = NELEM(unit_defaults),
};

/* -------------------------------------------------------------- rules */

int unit_validate(struct store_txn *t, const struct entity *e, void *rec,
		  struct kerr *err)
{
	struct unit *u = rec;
	const struct conversion *cv = u->conversions.items;
	int ret;

	(void)t;
	(void)e;
	if ((ret = masters_check_code(u->code, err)) ||
	    (ret = masters_check_name("name", u->name, err)))
		return ret;
	if (u->decimals < 0 || u->decimals > UNIT_MAX_DECIMALS)
		return kerr_set(err, K_EINVAL, "decimals",
				_("decimals must be 0 to %d"), UNIT_MAX_DECIMALS);
	for (size_t i = 0; i < u->conversions.n; i++) {
		if (cv[i].to == 0)
			return kerr_set(err, K_EINVAL, "conversions",
					_("conversion %zu: the unit it converts to is required"),
					i + 1);
		if (cv[i].to == u->h.id)
			return kerr_set(err, K_EINVAL, "conversions",
					_("conversion %zu: %s cannot convert to itself"),
					i + 1, u->code);
		if (cv[i].factor <= 0)
			return kerr_set(err, K_EINVAL, "conversions",
					_("conversion %zu: the factor must be greater than 0"),
					i + 1);
		for (size_t j = 0; j < i; j++)
			if (cv[j].to == cv[i].to)
				return kerr_set(err, K_EEXIST, "conversions",
						_("conversions %zu and %zu convert to the same unit; give each unit once"),
						j + 1, i + 1);
	}
	return 0;
}

/* --------------------------------------------------------- converting */

/* A unit's code for messages ("#ID" when it is gone). */
static void code_of(const struct unit *u, int64_t id, char *buf, size_t n)
{
	if (u && u->code)
		snprintf(buf, n, "%s", u->code);
	else
		snprintf(buf, n, "#%" PRId64, id);
}

/* 10^(3 - decimals): the step quantities of u are rounded to. */
static int64_t step_of(const struct unit *u)
{
	int64_t d = u->decimals;

	if (d < 0)
		d = 0;
	if (d > NUM_QTY_SCALE)
		d = NUM_QTY_SCALE;
	return num_pow10(NUM_QTY_SCALE - (int)d);
}

/* A ratio: a quantity of one unit times num / den is one of another. */
struct ratio {
	__int128 num, den;
};

/* The ratio from unit `from` to unit id `to` by from's own conversion. */
static bool forward(const struct unit *from, int64_t to, struct ratio *r)
{
	const struct conversion *cv = from->conversions.items;

	for (size_t i = 0; i < from->conversions.n; i++)
		if (cv[i].to == to && cv[i].factor > 0) {
			r->num = cv[i].factor;
			r->den = num_pow10(NUM_RATE_SCALE);
			return true;
		}
	return false;
}

/* The ratio from unit id `from` to unit `to`, by to's conversion. */
static bool backward(int64_t from, const struct unit *to, struct ratio *r)
{
	struct ratio f;

	if (!forward(to, from, &f))
		return false;
	r->num = f.den;
	r->den = f.num;
	return true;
}

/* Either way between two loaded units. */
static bool edge(const struct unit *a, const struct unit *b, struct ratio *r)
{
	return forward(a, b->h.id, r) || backward(a->h.id, b, r);
}

/*
 * Looks for a unit m with a -> m and m -> b, the first in id order;
 * *found says whether there is one, *r gets the product of the two.
 */
static int via_one(struct store_txn *t, const struct unit *a,
		   const struct unit *b, struct ratio *r, bool *found,
		   struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct unit m;
	int ret;

	memset(&m, 0, sizeof m);
	if ((ret = store_cursor_open(t, &unit_schema, NULL, &c, err)))
		return ret;
	for (ret = store_cursor_first(c, &m, err); ret == 0;
	     ret = store_cursor_next(c, &m, err)) {
		struct ratio r1, r2;
		if (m.h.id == a->h.id || m.h.id == b->h.id)
			continue;
		if (!edge(a, &m, &r1) || !edge(&m, b, &r2))
			continue;
		if (__builtin_mul_overflow(r1.num, r2.num, &r->num) ||
		    __builtin_mul_overflow(r1.den, r2.den, &r->den))
			continue;
		break;
	}
	store_cursor_close(&c);
	store_rec_clear(&unit_schema, &m);
	*found = ret == 0;
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		ret = 0;
	}
	return ret;
}

/* *out = qty * r, rounded once to the step of the target unit. */
static int apply_ratio(int64_t qty, const struct ratio *r, int64_t step,
		       int64_t *out, struct kerr *err)
{
	__int128 n, d;
	int64_t q;

	if (__builtin_mul_overflow((__int128)qty, r->num, &n) ||
	    __builtin_mul_overflow(r->den, (__int128)step, &d) ||
	    num_round_div(n, d, &q) || num_mul(q, step, out))
		return kerr_set(err, K_ERANGE, NULL,
				_("the converted quantity is too large"));
	return 0;
}

int unit_round(struct store_txn *t, int64_t unit, int64_t qty, int64_t *out,
	       struct kerr *err)
{
	struct ratio one = { 1, 1 };
	struct unit u;
	int ret;

	memset(&u, 0, sizeof u);
	if ((ret = store_get(t, &unit_schema, unit, &u, err))) {
		if (ret == K_ENOTFOUND)
			kerr_set(err, ret, "uom", _("no unit #%" PRId64), unit);
		return ret;
	}
	ret = apply_ratio(qty, &one, step_of(&u), out, err);
	store_rec_clear(&unit_schema, &u);
	return ret;
}

int unit_convert(struct store_txn *t, int64_t from, int64_t to, int64_t qty,
		 int64_t *out, struct kerr *err)
{
	struct unit a, b;
	struct ratio r = { 1, 1 };
	char ca[64], cb[64];
	bool have_a, have_b;
	int ret;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	ret = store_get(t, &unit_schema, from, &a, err);
	if (ret && ret != K_ENOTFOUND)
		goto out;
	have_a = ret == 0;
	ret = store_get(t, &unit_schema, to, &b, err);
	if (ret && ret != K_ENOTFOUND)
		goto out;
	have_b = ret == 0;
	code_of(have_a ? &a : NULL, from, ca, sizeof ca);
	code_of(have_b ? &b : NULL, to, cb, sizeof cb);
	if (!have_a || !have_b) {
		ret = kerr_set(err, K_ENOTFOUND, "uom",
			       _("cannot convert %s to %s: %s is not a unit"),
			       ca, cb, have_a ? cb : ca);
		goto out;
	}
	kerr_clear(err);
	if (from != to && !edge(&a, &b, &r)) {
		bool found;
		if ((ret = via_one(t, &a, &b, &r, &found, err)))
			goto out;
		if (!found) {
			ret = kerr_set(err, K_ENOTFOUND, "uom",
				       _("no conversion from %s to %s"), ca, cb);
			goto out;
		}
	}
	ret = apply_ratio(qty, &r, step_of(&b), out, err);
out:
	store_rec_clear(&unit_schema, &a);
	store_rec_clear(&unit_schema, &b);
	return ret;
}
