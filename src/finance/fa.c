/*
 * fa.c - fixed assets: the asset class and asset entities with their
 * rules, the depreciation run (fa_depreciate) and disposal (fa_dispose),
 * and the screen actions that call them.
 *
 * The schedule arithmetic is fa_calc.c's; this file reads and writes
 * records and posts through gl_post(), each posting in one transaction
 * with the assets it changes (fa.h says what is posted).
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "finance/fa.h"
#include "finance/gl.h"
#include "masters/entity.h"
#include "masters/fin.h"
#include "masters/ops.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define MONTH_BUFSZ 16           /* "YYYY-MM" + NUL, and room */

/* Shared with the masters family (party.c). */
int masters_check_code(const char *code, struct kerr *err);
int masters_check_name(const char *field, const char *s, struct kerr *err);

int faclass_validate(struct store_txn *t, const struct entity *e, void *rec,
		     struct kerr *err);
int asset_validate(struct store_txn *t, const struct entity *e, void *rec,
		   struct kerr *err);
int farun_validate(struct store_txn *t, const struct entity *e, void *rec,
		   struct kerr *err);
int fa_dispose_action(struct store *st, const struct entity *e, void *rec,
		      char *msg, size_t n, struct kerr *err);
int fa_post_action(struct store *st, const struct entity *e, void *rec,
		   char *msg, size_t n, struct kerr *err);

/* ------------------------------------------------------------ schemas */

#define C(tag, name, type) \
	{ tag, #name, type, offsetof(struct faclass, name), NULL, NULL }
#define CR(tag, name, table) \
	{ tag, #name, SF_REF, offsetof(struct faclass, name), NULL, table }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field faclass_fields[] = {
	C(1, code, SF_TEXT),
	C(2, name, SF_TEXT),
	C(3, method, SF_TEXT),
	C(4, life_months, SF_INT),
	C(5, rate, SF_RATE),
	C(6, convention, SF_TEXT),
	CR(7, asset_account, "account"),
	CR(8, depr_account, "account"),
	CR(9, expense_account, "account"),
	C(10, status, SF_TEXT),
};
#undef C
#undef CR

static const struct store_index faclass_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "name", STORE_IX_FOLD, { "name" } },
};

const struct store_schema faclass_schema = {
	"faclass", 1, sizeof(struct faclass), faclass_fields,
	NELEM(faclass_fields), faclass_ix, NELEM(faclass_ix), 0,
};

static const struct store_field fa_use_fields[] = {
	{ 1, "period", SF_TEXT, offsetof(struct fa_use, period), NULL, NULL },
	{ 2, "units", SF_QTY, offsetof(struct fa_use, units), NULL, NULL },
};

const struct store_schema fa_use_schema = {
	"fa_use", 1, sizeof(struct fa_use), fa_use_fields,
	NELEM(fa_use_fields), NULL, 0, 0,
};

#define A(tag, name, type) \
	{ tag, #name, type, offsetof(struct asset, name), NULL, NULL }
#define AR(tag, name, table) \
	{ tag, #name, SF_REF, offsetof(struct asset, name), NULL, table }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field asset_fields[] = {
	A(1, code, SF_TEXT),
	A(2, name, SF_TEXT),
	AR(3, class, "faclass"),
	A(4, acquired, SF_DATE),
	A(5, cost, SF_MONEY),
	A(6, salvage, SF_MONEY),
	A(7, life_months, SF_INT),
	A(8, method, SF_TEXT),
	A(9, rate, SF_RATE),
	A(10, convention, SF_TEXT),
	A(11, total_units, SF_QTY),
	{ 12, "usage", SF_LIST, offsetof(struct asset, usage), &fa_use_schema,
	  NULL },
	AR(13, asset_account, "account"),
	AR(14, depr_account, "account"),
	AR(15, expense_account, "account"),
	A(16, location, SF_TEXT),
	AR(17, department, "department"),
	A(18, status, SF_TEXT),
	A(19, accumulated, SF_MONEY),
	A(20, depreciated_to, SF_TEXT),
	A(21, disposal_date, SF_DATE),
	A(22, proceeds, SF_MONEY),
	AR(23, proceeds_account, "account"),
};
#undef A
#undef AR

static const struct store_index asset_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "name", STORE_IX_FOLD, { "name" } },
	{ "class", 0, { "class", "code" } },     /* the register; delete check */
	{ "department", 0, { "department" } },   /* delete check */
};

const struct store_schema asset_schema = {
	"asset", 1, sizeof(struct asset), asset_fields, NELEM(asset_fields),
	asset_ix, NELEM(asset_ix), 0,
};

#define R(tag, name, type) \
	{ tag, #name, type, offsetof(struct farun, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field farun_fields[] = {
	R(1, code, SF_TEXT),
	R(2, status, SF_TEXT),
	{ 3, "journal", SF_REF, offsetof(struct farun, journal), NULL,
	  "journal" },
	R(4, assets, SF_INT),
	R(5, amount, SF_MONEY),
};
#undef R

static const struct store_index farun_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },  /* "YYYY-MM": in time order */
};

const struct store_schema farun_schema = {
	"farun", 1, sizeof(struct farun), farun_fields, NELEM(farun_fields),
	farun_ix, NELEM(farun_ix), 0,
};

/* ----------------------------------------------------------- entities */

static const struct ent_referrer faclass_refs[] = {
	{ "asset", "class", N_("assets (class)") },
};

static const struct ent_hook faclass_hooks[] = {
	{ "faclass_validate", HOOK_VALIDATE, "faclass", faclass_validate,
	  NULL, NULL, NULL },
};

static const struct ent_default faclass_defaults[] = {
	{ "method", "straight-line" },
	{ "convention", "next-month" },
	{ "status", "active" },
};

const struct entity faclass_entity = {
	.name = "faclass",
	.title = N_("Asset class"),
	.schema = &faclass_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "name",
	.perm = "faclass",
	.validate = faclass_validate,
	.refs = faclass_refs,
	.nrefs = NELEM(faclass_refs),
	.hooks = faclass_hooks,
	.nhooks = NELEM(faclass_hooks),
	.defaults = faclass_defaults,
	.ndefaults = NELEM(faclass_defaults),
};

static const struct ent_hook asset_hooks[] = {
	{ "asset_validate", HOOK_VALIDATE, "asset", asset_validate, NULL,
	  NULL, NULL },
	{ "fa_dispose", HOOK_ACTION, "asset", NULL, NULL, fa_dispose_action,
	  "dispose" },
};

static const struct ent_default asset_defaults[] = {
	{ "status", "active" },
};

const struct entity asset_entity = {
	.name = "asset",
	.title = N_("Fixed asset"),
	.schema = &asset_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "name",
	.perm = "asset",
	.validate = asset_validate,
	.hooks = asset_hooks,
	.nhooks = NELEM(asset_hooks),
	.defaults = asset_defaults,
	.ndefaults = NELEM(asset_defaults),
};

static const struct ent_hook farun_hooks[] = {
	{ "farun_validate", HOOK_VALIDATE, "farun", farun_validate, NULL,
	  NULL, NULL },
	{ "fa_post", HOOK_ACTION, "farun", NULL, NULL, fa_post_action,
	  "post" },
};

static const struct ent_default farun_defaults[] = {
	{ "status", "draft" },
};

const struct entity farun_entity = {
	.name = "farun",
	.title = N_("Depreciation run"),
	.schema = &farun_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "status",
	.perm = "farun",
	.validate = farun_validate,
	.hooks = farun_hooks,
	.nhooks = NELEM(farun_hooks),
	.defaults = farun_defaults,
	.ndefaults = NELEM(farun_defaults),
};

/* ------------------------------------------------------------ helpers */

static bool streq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

/* Replaces *p by a copy of s; false when out of memory. */
static bool set_text(char **p, const char *s)
{
	char *c = NULL;

	if (s && *s && !(c = strdup(s)))
		return false;
	free(*p);
	*p = c;
	return true;
}

/* "2026-03" -> 2026-03-01; K_EINVAL for anything else. */
static int month_parse(const char *s, kdate *out)
{
	int y, m;

	if (!s || strlen(s) != 7 || s[4] != '-')
		return K_EINVAL;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return K_EINVAL;
	y = atoi(s);
	m = atoi(s + 5);
	return date_from_ymd(y, m, 1, out);
}

/* The month of d as "2026-03". */
static char *month_text(kdate d, char *buf)
{
	int y, m, dd;

	date_to_ymd(d, &y, &m, &dd);
	snprintf(buf, MONTH_BUFSZ, "%04d-%02d", y % 10000, m);
	return buf;
}

static const char *money(int64_t v, char *buf)
{
	return num_format(v, NUM_MONEY_SCALE, true, buf, NUM_BUFSZ);
}

/* Account id must be a postable, active account; field names it. */
static int check_account(struct store_txn *t, int64_t id, const char *field,
			 struct kerr *err)
{
	struct account a;
	int ret;

	if (!t)
		return 0;
	memset(&a, 0, sizeof a);
	if ((ret = store_get(t, &account_schema, id, &a, err))) {
		if (ret == K_ENOTFOUND)
			kerr_set(err, K_ENOTFOUND, field,
				 _("%s: the account no longer exists"), field);
		return ret;
	}
	if (!a.postable)
		ret = kerr_set(err, K_EINVAL, field,
			       _("%s: account %s is a heading; choose a postable account"),
			       field, a.code ? a.code : "");
	else if (a.status && strcmp(a.status, "active") != 0)
		ret = kerr_set(err, K_EINVAL, field,
			       _("%s: account %s is blocked"), field,
			       a.code ? a.code : "");
	store_rec_clear(&account_schema, &a);
	return ret;
}

static int check_life(int64_t life, bool required, struct kerr *err)
{
	if ((required && life <= 0) || life < 0 || life > 1200)
		return kerr_set(err, K_EINVAL, "life_months",
				_("life_months must be 1 to 1200"));
	return 0;
}

/* -------------------------------------------------------------- rules */

int faclass_validate(struct store_txn *t, const struct entity *e, void *rec,
		     struct kerr *err)
{
	struct faclass *c = rec;
	enum fa_method m;
	int ret;

	(void)e;
	if ((ret = masters_check_code(c->code, err)) ||
	    (ret = masters_check_name("name", c->name, err)))
		return ret;
	if (!(m = fa_method_parse(c->method)))
		return kerr_set(err, K_EINVAL, "method",
				_("method must be straight-line, declining, declining-cn, sum-of-years or units, not \"%s\""),
				c->method ? c->method : "");
	if (!fa_convention_parse(c->convention))
		return kerr_set(err, K_EINVAL, "convention",
				_("convention must be full-month or next-month, not \"%s\""),
				c->convention ? c->convention : "");
	if ((ret = check_life(c->life_months, false, err)))
		return ret;
	if (m == FA_SYD && c->life_months % 12)
		return kerr_set(err, K_EINVAL, "life_months",
				_("sum-of-years needs a life of whole years: life_months a multiple of 12"));
	if (c->rate < 0 || c->rate > num_pow10(NUM_RATE_SCALE))
		return kerr_set(err, K_EINVAL, "rate",
				_("rate must be above 0 and at most 1 (0.40 is 40%% a year), or empty for 2 / years"));
	if (c->asset_account &&
	    (ret = check_account(t, c->asset_account, "asset_account", err)))
		return ret;
	if (c->depr_account &&
	    (ret = check_account(t, c->depr_account, "depr_account", err)))
		return ret;
	if (c->expense_account &&
	    (ret = check_account(t, c->expense_account, "expense_account", err)))
		return ret;
	if (c->asset_account && c->asset_account == c->depr_account)
		return kerr_set(err, K_EINVAL, "depr_account",
				_("depr_account must differ from asset_account"));
	if (!c->status || (strcmp(c->status, "active") != 0 &&
			   strcmp(c->status, "blocked") != 0))
		return kerr_set(err, K_EINVAL, "status",
				_("status must be active or blocked, not \"%s\""),
				c->status ? c->status : "");
	return 0;
}

int fa_asset_terms(const struct asset *a, struct fa_terms *t,
		   struct fa_usage **buf, struct kerr *err)
{
	const struct fa_use *u = a->usage.items;
	struct fa_usage *v = NULL;

	memset(t, 0, sizeof *t);
	*buf = NULL;
	t->acquired = a->acquired;
	t->cost = a->cost;
	t->salvage = a->salvage;
	/* Out of range: -1, which fa_terms_check refuses. */
	t->life = a->life_months >= 0 && a->life_months <= 100000 ?
		  (int)a->life_months : -1;
	t->method = fa_method_parse(a->method);
	t->rate = a->rate;
	t->convention = fa_convention_parse(a->convention);
	t->total_units = a->total_units;
	if (a->usage.n && !(v = calloc(a->usage.n, sizeof *v)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	for (size_t i = 0; i < a->usage.n; i++) {
		if (month_parse(u[i].period, &v[i].month)) {
			free(v);
			return kerr_set(err, K_EINVAL, "usage",
					_("usage %zu: period \"%s\" is not a month like 2026-03"),
					i + 1, u[i].period ? u[i].period : "");
		}
		v[i].units = u[i].units;
	}
	t->usage = v;
	t->nusage = a->usage.n;
	*buf = v;
	return 0;
}

/* Empty terms of the asset take the class's. */
static int take_class(struct store_txn *t, struct asset *a, struct kerr *err)
{
	struct faclass c;
	int ret;

	if (!a->class)
		return kerr_set(err, K_EINVAL, "class",
				_("class is required: the asset class"));
	if (!t)
		return 0;
	memset(&c, 0, sizeof c);
	if ((ret = store_get(t, &faclass_schema, a->class, &c, err))) {
		if (ret == K_ENOTFOUND)
			kerr_set(err, K_ENOTFOUND, "class",
				 _("the asset class no longer exists"));
		return ret;
	}
	if (c.status && strcmp(c.status, "active") != 0 && a->h.version == 0)
		ret = kerr_set(err, K_EINVAL, "class",
			       _("asset class %s is blocked"), c.code ? c.code : "");
	else if ((empty(a->method) && !set_text(&a->method, c.method)) ||
		 (empty(a->convention) &&
		  !set_text(&a->convention, c.convention)))
		ret = kerr_set(err, K_ENOMEM, NULL, NULL);
	if (ret == 0) {
		if (!a->life_months)
			a->life_months = c.life_months;
		if (!a->rate && streq(a->method, c.method))
			a->rate = c.rate;
		if (!a->asset_account)
			a->asset_account = c.asset_account;
		if (!a->depr_account)
			a->depr_account = c.depr_account;
		if (!a->expense_account)
			a->expense_account = c.expense_account;
	}
	store_rec_clear(&faclass_schema, &c);
	return ret;
}

static bool usage_equal(const struct fa_use *a, const struct fa_use *b)
{
	return streq(a->period, b->period) && a->units == b->units;
}

/*
 * The usage of months through `through` ("2026-03") is the same in
 * old and new (those months are posted).
 */
static bool posted_usage_kept(const struct asset *old, const struct asset *nw,
			      const char *through)
{
	const struct fa_use *o = old->usage.items, *n = nw->usage.items;

	for (size_t i = 0; i < old->usage.n; i++) {
		bool found = false;
		if (!o[i].period || strcmp(o[i].period, through) > 0)
			continue;
		for (size_t j = 0; j < nw->usage.n && !found; j++)
			found = usage_equal(&o[i], &n[j]);
		if (!found)
			return false;
	}
	for (size_t j = 0; j < nw->usage.n; j++) {
		bool found = false;
		if (!n[j].period || strcmp(n[j].period, through) > 0)
			continue;
		for (size_t i = 0; i < old->usage.n && !found; i++)
			found = usage_equal(&o[i], &n[j]);
		if (!found)
			return false;
	}
	return true;
}

/*
 * An edit (not a posting) of a stored asset: what postings keep is
 * not changed, and neither are the terms once it is depreciated.
 */
static int check_edit(struct store_txn *t, const struct asset *a,
		      struct kerr *err)
{
	struct asset o;
	const char *field = NULL;
	int ret;

	if (!t || a->h.id <= 0 || a->h.version == 0)
		return 0;
	memset(&o, 0, sizeof o);
	ret = store_get(t, &asset_schema, a->h.id, &o, err);
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		return 0;                 /* store_update says it is gone */
	}
	if (ret)
		return ret;
	if (!streq(o.status, a->status))
		field = "status";
	else if (o.accumulated != a->accumulated)
		field = "accumulated";
	else if (!streq(o.depreciated_to, a->depreciated_to))
		field = "depreciated_to";
	if (field) {
		ret = kerr_set(err, K_EINVAL, field,
			       _("%s is kept by the depreciation runs and disposal; it is not edited"),
			       field);
		goto out;
	}
	if (streq(o.status, "disposed") &&
	    (o.disposal_date != a->disposal_date || o.proceeds != a->proceeds ||
	     o.proceeds_account != a->proceeds_account)) {
		ret = kerr_set(err, K_EINVAL, "disposal_date",
			       _("asset %s is disposed of: its disposal is posted and is not edited"),
			       a->code ? a->code : "");
		goto out;
	}
	if (empty(o.depreciated_to))
		goto out;
	if (o.acquired != a->acquired)
		field = "acquired";
	else if (o.cost != a->cost)
		field = "cost";
	else if (o.salvage != a->salvage)
		field = "salvage";
	else if (o.life_months != a->life_months)
		field = "life_months";
	else if (!streq(o.method, a->method))
		field = "method";
	else if (o.rate != a->rate)
		field = "rate";
	else if (!streq(o.convention, a->convention))
		field = "convention";
	else if (o.total_units != a->total_units)
		field = "total_units";
	else if (o.asset_account != a->asset_account)
		field = "asset_account";
	else if (o.depr_account != a->depr_account)
		field = "depr_account";
	else if (!posted_usage_kept(&o, a, o.depreciated_to))
		field = "usage";
	if (field)
		ret = kerr_set(err, K_EINVAL, field,
			       _("asset %s is depreciated through %s: %s is fixed"),
			       a->code ? a->code : "", o.depreciated_to, field);
out:
	store_rec_clear(&asset_schema, &o);
	return ret;
}

static int check_usage(const struct asset *a, enum fa_method m,
		       struct kerr *err)
{
	const struct fa_use *u = a->usage.items;
	kdate d;

	if (a->usage.n && m != FA_UNITS)
		return kerr_set(err, K_EINVAL, "usage",
				_("usage is recorded for the units method only"));
	for (size_t i = 0; i < a->usage.n; i++) {
		if (month_parse(u[i].period, &d))
			return kerr_set(err, K_EINVAL, "usage",
					_("usage %zu: period \"%s\" is not a month like 2026-03"),
					i + 1, u[i].period ? u[i].period : "");
		if (u[i].units < 0)
			return kerr_set(err, K_EINVAL, "usage",
					_("usage %zu: units must be 0 or more"),
					i + 1);
		for (size_t j = 0; j < i; j++)
			if (streq(u[j].period, u[i].period))
				return kerr_set(err, K_EINVAL, "usage",
						_("usage %zu: %s is there already (usage %zu)"),
						i + 1, u[i].period, j + 1);
	}
	return 0;
}

int asset_validate(struct store_txn *t, const struct entity *e, void *rec,
		   struct kerr *err)
{
	struct asset *a = rec;
	struct fa_terms ft;
	struct fa_usage *ubuf = NULL;
	enum fa_method m;
	kdate d, first;
	char b1[NUM_BUFSZ];
	int ret;

	(void)e;
	if ((ret = masters_check_code(a->code, err)) ||
	    (ret = masters_check_name("name", a->name, err)) ||
	    (ret = take_class(t, a, err)))
		return ret;
	if (!a->status || (strcmp(a->status, "active") != 0 &&
			   strcmp(a->status, "fully-depreciated") != 0 &&
			   strcmp(a->status, "disposed") != 0))
		return kerr_set(err, K_EINVAL, "status",
				_("status must be active, fully-depreciated or disposed, not \"%s\""),
				a->status ? a->status : "");
	if (empty(a->method) || !(m = fa_method_parse(a->method)))
		return kerr_set(err, K_EINVAL, "method",
				_("method must be straight-line, declining, declining-cn, sum-of-years or units, not \"%s\""),
				a->method ? a->method : "");
	if (!fa_convention_parse(a->convention))
		return kerr_set(err, K_EINVAL, "convention",
				_("convention must be full-month or next-month, not \"%s\""),
				a->convention ? a->convention : "");
	if ((ret = check_life(a->life_months, m != FA_UNITS, err)) ||
	    (ret = check_usage(a, m, err)))
		return ret;
	if ((ret = fa_asset_terms(a, &ft, &ubuf, err)))
		return ret;
	ret = fa_terms_check(&ft, err);
	first = fa_first_month(&ft);
	free(ubuf);
	if (ret)
		return ret;
	if (!a->asset_account)
		return kerr_set(err, K_EINVAL, "asset_account",
				_("asset_account is required (the class has none)"));
	if (!a->depr_account)
		return kerr_set(err, K_EINVAL, "depr_account",
				_("depr_account is required (the class has none)"));
	if (!a->expense_account)
		return kerr_set(err, K_EINVAL, "expense_account",
				_("expense_account is required (the class has none)"));
	if (a->asset_account == a->depr_account)
		return kerr_set(err, K_EINVAL, "depr_account",
				_("depr_account must differ from asset_account"));
	if ((ret = check_account(t, a->asset_account, "asset_account", err)) ||
	    (ret = check_account(t, a->depr_account, "depr_account", err)) ||
	    (ret = check_account(t, a->expense_account, "expense_account",
				 err)))
		return ret;
	if (a->proceeds_account &&
	    (ret = check_account(t, a->proceeds_account, "proceeds_account",
				 err)))
		return ret;
	/* What the postings keep. */
	if (a->accumulated < 0 || a->accumulated > a->cost - a->salvage)
		return kerr_set(err, K_EINVAL, "accumulated",
				_("accumulated must be 0 to cost - salvage (%s)"),
				money(a->cost - a->salvage, b1));
	if (!empty(a->depreciated_to)) {
		if (month_parse(a->depreciated_to, &d))
			return kerr_set(err, K_EINVAL, "depreciated_to",
					_("depreciated_to \"%s\" is not a month like 2026-03"),
					a->depreciated_to);
		if (d < first)
			return kerr_set(err, K_EINVAL, "depreciated_to",
					_("depreciated_to is before the first month depreciated (%s)"),
					month_text(first, (char[MONTH_BUFSZ]){ 0 }));
	} else if (a->accumulated) {
		return kerr_set(err, K_EINVAL, "depreciated_to",
				_("depreciated_to is required with accumulated depreciation: the last month it covers"));
	}
	if (strcmp(a->status, "fully-depreciated") == 0 &&
	    a->accumulated != a->cost - a->salvage)
		return kerr_set(err, K_EINVAL, "status",
				_("an asset is fully-depreciated when accumulated equals cost - salvage (%s)"),
				money(a->cost - a->salvage, b1));
	if (a->proceeds < 0)
		return kerr_set(err, K_EINVAL, "proceeds",
				_("proceeds must be 0 or more"));
	if (a->disposal_date != DATE_NONE && a->disposal_date < a->acquired)
		return kerr_set(err, K_EINVAL, "disposal_date",
				_("disposal_date is before the asset was acquired"));
	if (strcmp(a->status, "disposed") == 0 &&
	    a->disposal_date == DATE_NONE)
		return kerr_set(err, K_EINVAL, "disposal_date",
				_("a disposed asset needs its disposal_date"));
	return check_edit(t, a, err);
}

int farun_validate(struct store_txn *t, const struct entity *e, void *rec,
		   struct kerr *err)
{
	struct farun *r = rec;
	struct period p;
	kdate d;
	int ret;

	(void)e;
	if (month_parse(r->code, &d))
		return kerr_set(err, K_EINVAL, "code",
				_("code is the period of the run, a month like 2026-03, not \"%s\""),
				r->code ? r->code : "");
	if (!streq(r->status, "draft"))
		return kerr_set(err, K_EINVAL, "status",
				_("a run is saved as a draft; post it with its action (F10)"));
	if (r->journal || r->assets || r->amount)
		return kerr_set(err, K_EINVAL, "journal",
				_("journal, assets and amount are set when the run is posted"));
	if (!t)
		return 0;
	memset(&p, 0, sizeof p);
	ret = store_find_text(t, &period_schema, "code", r->code, &p, err);
	if (ret == K_ENOTFOUND)
		ret = kerr_set(err, K_ENOTFOUND, "code",
			       _("no period %s (create its fiscal year: kontor period create YEAR)"),
			       r->code);
	store_rec_clear(&period_schema, &p);
	if (ret == 0 && r->h.id > 0 && r->h.version) {
		struct farun o;
		memset(&o, 0, sizeof o);
		if (store_get(t, &farun_schema, r->h.id, &o, NULL) == 0 &&
		    streq(o.status, "posted"))
			ret = kerr_set(err, K_EINVAL, "status",
				       _("the run of %s is posted; it is not changed"),
				       o.code ? o.code : "");
		store_rec_clear(&farun_schema, &o);
	}
	return ret;
}

/* ---------------------------------------------------- journal building */

/* Debit or credit totals per account and cost centre. */
struct acc_sum {
	int64_t account, cost_centre, amount;
	bool debit;
};

struct sums {
	struct acc_sum *v;
	size_t n, cap;
};

static int sums_add(struct sums *s, int64_t account, int64_t cc, bool debit,
		    int64_t amount)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].account == account && s->v[i].cost_centre == cc &&
		    s->v[i].debit == debit)
			return num_add(s->v[i].amount, amount, &s->v[i].amount);
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct acc_sum *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return K_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (struct acc_sum){ account, cc, amount, debit };
	return 0;
}

/* Appends a line to j (amount > 0; nothing for 0). */
static int add_line(struct journal *j, int64_t account, int64_t cc,
		    bool debit, int64_t amount, const char *memo,
		    struct kerr *err)
{
	struct jline *l, *v;

	if (amount == 0)
		return 0;
	v = realloc(j->lines.items, (j->lines.n + 1) * sizeof *v);
	if (!v)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	j->lines.items = v;
	l = &v[j->lines.n++];
	memset(l, 0, sizeof *l);
	l->account = account;
	l->cost_centre = cc;
	if (debit)
		l->debit = amount;
	else
		l->credit = amount;
	if (memo && *memo && !(l->memo = strdup(memo)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	return 0;
}

static int journal_head(struct journal *j, kdate date, const char *desc,
			const char *ref, struct kerr *err)
{
	memset(j, 0, sizeof *j);
	j->date = date;
	if (!(j->description = strdup(desc)) || !(j->source = strdup("fa")) ||
	    !(j->source_ref = strdup(ref)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	return 0;
}

/* The code of journal entry id ("" when none), into buf. */
static void journal_code(struct store_txn *t, int64_t id, char *buf,
			 size_t n)
{
	struct journal j;

	buf[0] = '\0';
	if (!id)
		return;
	memset(&j, 0, sizeof j);
	if (store_get(t, &journal_schema, id, &j, NULL) == 0)
		snprintf(buf, n, "%s", j.code ? j.code : "");
	store_rec_clear(&journal_schema, &j);
}

/* ----------------------------------------------------- the monthly run */

/* An asset the run changes. */
struct run_item {
	int64_t id, amount;
	bool fully;
};

struct run {
	const char *period;          /* "2026-03" */
	struct fa_run_result *r;
	struct sums sums;
	struct run_item *items;
	size_t nitems, cap;
};

/* The period record of code; refuses a closed one. */
static int open_period(struct store_txn *t, const char *code,
		       struct period *p, struct kerr *err)
{
	int ret = store_find_text(t, &period_schema, "code", code, p, err);

	if (ret == K_ENOTFOUND)
		return kerr_set(err, K_ENOTFOUND, "period",
				_("no period %s (create its fiscal year: kontor period create YEAR)"),
				code);
	if (ret)
		return ret;
	if (!streq(p->status, "open"))
		return kerr_set(err, K_EINVAL, "period",
				_("period %s is closed"), code);
	return 0;
}

/*
 * Runs are posted in order: the latest posted run must be the month
 * before (or there is none yet), and none after this one.
 */
static int check_order(struct store_txn *t, const char *period, kdate pm,
		       struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct farun r;
	char prev[MONTH_BUFSZ];
	int ret;

	memset(&r, 0, sizeof r);
	month_text(date_add_months(pm, -1), prev);
	if ((ret = store_cursor_open(t, &farun_schema, "code", &c, err)))
		return ret;
	while ((ret = store_cursor_prev(c, &r, err)) == 0) {
		if (!streq(r.status, "posted"))
			continue;
		if (strcmp(r.code, period) > 0)
			ret = kerr_set(err, K_EINVAL, "period",
				       _("depreciation is posted through %s already; %s comes before it"),
				       r.code, period);
		else if (strcmp(r.code, prev) != 0)
			ret = kerr_set(err, K_EINVAL, "period",
				       _("run the depreciation of %s first: the last run was %s"),
				       prev, r.code);
		break;
	}
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		ret = 0;
	}
	store_cursor_close(&c);
	store_rec_clear(&farun_schema, &r);
	return ret;
}

/*
 * What asset a owes from month `from` through `to`: *amount, and
 * *fully when that ends its depreciation.  The end of the schedule
 * takes whatever is left of cost - salvage (an imported opening
 * balance may differ from the schedule's), and nothing ever passes it.
 */
static int owed(const struct asset *a, kdate from, kdate to, int64_t *amount,
		bool *fully, struct kerr *err)
{
	struct fa_terms ft;
	struct fa_usage *u = NULL;
	int64_t acc, left = a->cost - a->salvage - a->accumulated;
	bool ends;
	int ret;

	*amount = 0;
	*fully = false;
	if ((ret = fa_asset_terms(a, &ft, &u, err)))
		goto out;
	if (from > to)
		goto out;
	if ((ret = fa_sched_range(&ft, from, to, amount, &acc, &ends, err)))
		goto out;
	if (ends || *amount >= left) {
		*amount = left;
		*fully = true;
	}
out:
	free(u);
	if (ret)
		kerr_prefix(err, _("asset %s"), a->code ? a->code : "");
	return ret;
}

/* The first month asset a still owes (its first month, or the one after
   depreciated_to). */
static kdate next_month(const struct asset *a)
{
	struct fa_terms ft;
	kdate d;

	if (!empty(a->depreciated_to) && month_parse(a->depreciated_to, &d) == 0)
		return date_add_months(d, 1);
	memset(&ft, 0, sizeof ft);
	ft.acquired = a->acquired;
	ft.convention = fa_convention_parse(a->convention);
	return fa_first_month(&ft);
}

static int run_collect(struct store_txn *t, struct run *rn, kdate pm,
		       struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct asset a;
	int ret;

	memset(&a, 0, sizeof a);
	if ((ret = store_cursor_open(t, &asset_schema, NULL, &c, err)))
		return ret;
	while ((ret = store_cursor_next(c, &a, err)) == 0) {
		int64_t amount;
		bool fully;
		kdate from;

		if (!streq(a.status, "active"))
			continue;
		from = next_month(&a);
		if (from == DATE_NONE || from > pm)
			continue;         /* not begun, or done this month */
		if ((ret = owed(&a, from, pm, &amount, &fully, err)))
			break;
		if (rn->nitems == rn->cap) {
			size_t cap = rn->cap ? 2 * rn->cap : 64;
			struct run_item *v = realloc(rn->items, cap * sizeof *v);
			if (!v) {
				ret = kerr_set(err, K_ENOMEM, NULL, NULL);
				break;
			}
			rn->items = v;
			rn->cap = cap;
		}
		rn->items[rn->nitems++] = (struct run_item){ a.h.id, amount,
							     fully };
		if (amount &&
		    ((ret = sums_add(&rn->sums, a.expense_account, a.department,
				     true, amount)) ||
		     (ret = sums_add(&rn->sums, a.depr_account, 0, false,
				     amount)))) {
			ret = kerr_set(err, ret, NULL, _("amount out of range"));
			break;
		}
	}
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		ret = 0;
	}
	store_cursor_close(&c);
	store_rec_clear(&asset_schema, &a);
	return ret;
}

/* Writes the assets the run depreciated. */
static int run_update(struct store_txn *t, struct run *rn, struct kerr *err)
{
	struct asset a;
	int ret = 0;

	memset(&a, 0, sizeof a);
	for (size_t i = 0; i < rn->nitems && ret == 0; i++) {
		const struct run_item *it = &rn->items[i];
		if ((ret = store_get(t, &asset_schema, it->id, &a, err)))
			break;
		a.accumulated += it->amount;
		if (!set_text(&a.depreciated_to, rn->period) ||
		    (it->fully && !set_text(&a.status, "fully-depreciated"))) {
			ret = kerr_set(err, K_ENOMEM, NULL, NULL);
			break;
		}
		if (it->fully)
			rn->r->fully++;
		if (it->amount)
			rn->r->assets++;
		ret = store_update(t, &asset_schema, &a, err);
	}
	store_rec_clear(&asset_schema, &a);
	return ret;
}

static int run_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct run *rn = arg;
	struct fa_run_result *r = rn->r;
	struct period p;
	struct farun fr;
	struct journal j;
	char ref[32], desc[128];
	int64_t posted = 0;
	kdate pm;
	int ret;

	memset(r, 0, sizeof *r);
	memset(&p, 0, sizeof p);
	memset(&fr, 0, sizeof fr);
	memset(&j, 0, sizeof j);
	rn->nitems = 0;
	rn->sums.n = 0;
	if (month_parse(rn->period, &pm))
		return kerr_set(err, K_EINVAL, "period",
				_("not a period: \"%s\" (give YYYY-MM)"),
				rn->period);
	if ((ret = open_period(t, rn->period, &p, err)))
		goto out;
	snprintf(ref, sizeof ref, "FA %s", rn->period);
	/* Run before: nothing more. */
	ret = store_find_text(t, &farun_schema, "code", rn->period, &fr, err);
	if (ret && ret != K_ENOTFOUND)
		goto out;
	kerr_clear(err);
	if (ret == 0 && streq(fr.status, "posted")) {
		r->already = true;
		journal_code(t, fr.journal, r->journal, sizeof r->journal);
		r->amount = fr.amount;
		r->assets = (int)fr.assets;
		ret = 0;
		goto out;
	}
	ret = gl_find_source(t, ref, &posted, err);
	if (ret && ret != K_ENOTFOUND)
		goto out;
	kerr_clear(err);
	ret = 0;
	if (posted) {
		r->already = true;
		journal_code(t, posted, r->journal, sizeof r->journal);
		goto out;
	}
	if ((ret = check_order(t, rn->period, pm, err)) ||
	    (ret = run_collect(t, rn, pm, err)) ||
	    (ret = run_update(t, rn, err)))
		goto out;
	if (rn->sums.n) {
		snprintf(desc, sizeof desc, _("Depreciation %s"), rn->period);
		if ((ret = journal_head(&j, p.end, desc, ref, err)))
			goto out;
		/* Debits first, then credits, in the order first met. */
		for (int pass = 0; pass < 2 && ret == 0; pass++)
			for (size_t i = 0; i < rn->sums.n && ret == 0; i++) {
				const struct acc_sum *s = &rn->sums.v[i];
				if (s->debit != (pass == 0))
					continue;
				ret = add_line(&j, s->account, s->cost_centre,
					       s->debit, s->amount, desc, err);
				if (s->debit)
					r->amount += s->amount;
			}
		if (ret || (ret = gl_post(t, &j, err)))
			goto out;
		snprintf(r->journal, sizeof r->journal, "%s",
			 j.code ? j.code : "");
	}
	/* The run's record, posted. */
	if (fr.h.id == 0) {
		store_rec_clear(&farun_schema, &fr);
		if (!set_text(&fr.code, rn->period)) {
			ret = kerr_set(err, K_ENOMEM, NULL, NULL);
			goto out;
		}
	}
	if (!set_text(&fr.status, "posted")) {
		ret = kerr_set(err, K_ENOMEM, NULL, NULL);
		goto out;
	}
	fr.journal = j.h.id;
	fr.assets = r->assets;
	fr.amount = r->amount;
	ret = fr.h.id ? store_update(t, &farun_schema, &fr, err) :
			store_insert(t, &farun_schema, &fr, err);
out:
	store_rec_clear(&journal_schema, &j);
	store_rec_clear(&farun_schema, &fr);
	store_rec_clear(&period_schema, &p);
	return ret;
}

int fa_depreciate(struct store *st, const char *period,
		  struct fa_run_result *r, struct kerr *err)
{
	struct fa_run_result dummy;
	struct run rn;
	int ret;

	memset(&rn, 0, sizeof rn);
	rn.period = period ? period : "";
	rn.r = r ? r : &dummy;
	ret = store_write(st, run_fn, &rn, err);
	free(rn.items);
	free(rn.sums.v);
	return ret;
}

/* ------------------------------------------------------------ disposal */

struct dispose {
	const char *code;
	kdate date;
	int64_t proceeds, account;
	struct fa_disposal *out;
};

static int dispose_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct dispose *d = arg;
	struct fa_disposal *out = d->out;
	struct asset a;
	struct period p;
	struct journal j;
	char ref[64], desc[256], ds[DATE_BUFSZ], mt[MONTH_BUFSZ];
	int64_t dep = 0, acc, book, gain, bank = 0, other = 0;
	kdate last, from;
	bool fully = false, catch_up;
	int ret;

	memset(out, 0, sizeof *out);
	memset(&a, 0, sizeof a);
	memset(&p, 0, sizeof p);
	memset(&j, 0, sizeof j);
	if ((ret = ent_get_code(t, &asset_entity, d->code, &a, err)))
		goto out;
	if (streq(a.status, "disposed")) {
		ret = kerr_set(err, K_EINVAL, "status",
			       _("asset %s was disposed of on %s"), a.code,
			       date_format(a.disposal_date, ds, sizeof ds));
		goto out;
	}
	if (d->date == DATE_NONE) {
		ret = kerr_set(err, K_EINVAL, "disposal_date",
			       _("disposal_date is required: the day the asset leaves"));
		goto out;
	}
	if (d->date < a.acquired) {
		ret = kerr_set(err, K_EINVAL, "disposal_date",
			       _("disposal_date is before the asset was acquired"));
		goto out;
	}
	if (d->proceeds < 0) {
		ret = kerr_set(err, K_EINVAL, "proceeds",
			       _("proceeds must be 0 or more"));
		goto out;
	}
	if ((ret = period_find(t, d->date, &p, err)))
		goto out;
	if (!streq(p.status, "open")) {
		ret = kerr_set(err, K_EINVAL, "disposal_date",
			       _("period %s is closed"), p.code ? p.code : "");
		goto out;
	}
	/* Depreciation up to the disposal: its month counts under next-month. */
	last = date_month_start(d->date);
	if (fa_convention_parse(a.convention) != FA_NEXT_MONTH)
		last = date_add_months(last, -1);
	from = next_month(&a);
	if (from > date_add_months(last, 1)) {
		ret = kerr_set(err, K_EINVAL, "disposal_date",
			       _("asset %s is depreciated through %s: a disposal on %s would have to take depreciation back"),
			       a.code, a.depreciated_to ? a.depreciated_to : "",
			       date_format(d->date, ds, sizeof ds));
		goto out;
	}
	catch_up = streq(a.status, "active") && from <= last;
	if (catch_up && (ret = owed(&a, from, last, &dep, &fully, err)))
		goto out;
	acc = a.accumulated + dep;
	book = a.cost - acc;
	gain = d->proceeds - book;
	if (d->proceeds && !(bank = d->account ? d->account : a.proceeds_account) &&
	    (ret = gl_role_account(t, "bank", &bank, err)))
		goto out;
	if (gain > 0 && (ret = gl_role_account(t, "fa-gain", &other, err)))
		goto out;
	if (gain < 0 && (ret = gl_role_account(t, "fa-loss", &other, err)))
		goto out;
	if (bank && (ret = check_account(t, bank, "proceeds_account", err)))
		goto out;

	snprintf(ref, sizeof ref, "FA DISPOSAL %s", a.code);
	snprintf(desc, sizeof desc, _("Disposal of %s %s"), a.code,
		 a.name ? a.name : "");
	if ((ret = journal_head(&j, d->date, desc, ref, err)))
		goto out;
	if (dep) {
		char dd[128];
		snprintf(dd, sizeof dd, _("Depreciation to %s"),
			 month_text(last, mt));
		if ((ret = add_line(&j, a.expense_account, a.department, true,
				    dep, dd, err)) ||
		    (ret = add_line(&j, a.depr_account, 0, false, dep, dd, err)))
			goto out;
	}
	if ((ret = add_line(&j, a.depr_account, 0, true, acc, desc, err)) ||
	    (ret = add_line(&j, bank, 0, true, d->proceeds, desc, err)) ||
	    (ret = add_line(&j, other, 0, gain < 0, gain < 0 ? -gain : gain,
			    desc, err)) ||
	    (ret = add_line(&j, a.asset_account, 0, false, a.cost, desc, err)))
		goto out;
	if ((ret = gl_post(t, &j, err)))
		goto out;
	/* The asset, disposed of. */
	a.accumulated = acc;
	if (catch_up && !set_text(&a.depreciated_to, month_text(last, mt))) {
		ret = kerr_set(err, K_ENOMEM, NULL, NULL);
		goto out;
	}
	if (!set_text(&a.status, "disposed")) {
		ret = kerr_set(err, K_ENOMEM, NULL, NULL);
		goto out;
	}
	a.disposal_date = d->date;
	a.proceeds = d->proceeds;
	if (d->proceeds)
		a.proceeds_account = bank;
	if ((ret = store_update(t, &asset_schema, &a, err)))
		goto out;
	snprintf(out->journal, sizeof out->journal, "%s", j.code ? j.code : "");
	out->depreciation = dep;
	out->book = book;
	out->gain = gain;
out:
	store_rec_clear(&journal_schema, &j);
	store_rec_clear(&period_schema, &p);
	store_rec_clear(&asset_schema, &a);
	return ret;
}

int fa_dispose(struct store *st, const char *code, kdate date,
	       int64_t proceeds, int64_t account, struct fa_disposal *out,
	       struct kerr *err)
{
	struct fa_disposal dummy;
	struct dispose d = { code ? code : "", date, proceeds, account,
			     out ? out : &dummy };

	return store_write(st, dispose_fn, &d, err);
}

/* ------------------------------------------------------------ actions */

int fa_dispose_action(struct store *st, const struct entity *e, void *rec,
		      char *msg, size_t n, struct kerr *err)
{
	struct asset *a = rec;
	struct fa_disposal out;
	char b1[NUM_BUFSZ], b2[NUM_BUFSZ];
	int ret;

	(void)e;
	if (a->disposal_date == DATE_NONE)
		return kerr_set(err, K_EINVAL, "disposal_date",
				_("fill in disposal_date (and the proceeds), save, then dispose"));
	if ((ret = fa_dispose(st, a->code, a->disposal_date, a->proceeds,
			      a->proceeds_account, &out, err)))
		return ret;
	if (msg && n) {
		if (out.gain >= 0)
			snprintf(msg, n, _("Disposed of %s: %s, book value %s, gain %s"),
				 a->code, out.journal, money(out.book, b1),
				 money(out.gain, b2));
		else
			snprintf(msg, n, _("Disposed of %s: %s, book value %s, loss %s"),
				 a->code, out.journal, money(out.book, b1),
				 money(-out.gain, b2));
	}
	return 0;
}

int fa_post_action(struct store *st, const struct entity *e, void *rec,
		   char *msg, size_t n, struct kerr *err)
{
	struct farun *r = rec;
	struct fa_run_result res;
	char b1[NUM_BUFSZ];
	int ret;

	(void)e;
	if ((ret = fa_depreciate(st, r->code, &res, err)))
		return ret;
	if (msg && n) {
		if (res.already)
			snprintf(msg, n, _("The depreciation of %s was posted already (%s); nothing more posted"),
				 r->code, res.journal[0] ? res.journal : "-");
		else if (!res.journal[0])
			snprintf(msg, n, _("Nothing to depreciate in %s; the run is recorded"),
				 r->code);
		else
			snprintf(msg, n, _("Posted %s: depreciation of %s, %d assets, %s"),
				 res.journal, r->code, res.assets,
				 money(res.amount, b1));
	}
	return 0;
}
