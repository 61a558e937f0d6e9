/*
 * warehouse.c - warehouses and the locations inside them (receiving
 * docks, shelves, shipping lanes, quarantine), the rules they must
 * satisfy, and the check stock movements make on a location.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "masters/entity.h"
#include "masters/ops.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Shared inside the family (party.c, entity.c). */
int masters_check_code(const char *code, struct kerr *err);
int masters_check_name(const char *field, const char *s, struct kerr *err);
int masters_check_status(const char *s, struct kerr *err);
int warehouse_validate(struct store_txn *t, const struct entity *e, void *rec,
		       struct kerr *err);
void warehouse_change(const struct entity *e, void *rec);

/* ------------------------------------------------------------ schemas */

#define L(tag, name, type) \
	{ tag, #name, type, offsetof(struct location, name), NULL, NULL }

static const struct store_field location_fields[] = {
	L(1, code, SF_TEXT),
	L(2, name, SF_TEXT),
	L(3, kind, SF_TEXT),
	L(4, blocked, SF_BOOL),
};
#undef L

const struct store_schema location_schema = {
	"location", 1, sizeof(struct location), location_fields,
	NELEM(location_fields), NULL, 0, 0,
};

#define W(tag, name, type) \
	{ tag, #name, type, offsetof(struct warehouse, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field warehouse_fields[] = {
	W(1, code, SF_TEXT),
	W(2, name, SF_TEXT),
	W(3, street, SF_TEXT),
	W(4, city, SF_TEXT),
	W(5, postcode, SF_TEXT),
	W(6, country, SF_TEXT),
	W(7, manager, SF_TEXT),
	W(8, status, SF_TEXT),
	{ 9, "locations", SF_LIST, offsetof(struct warehouse, locations),
	  &location_schema, NULL },
};
#undef W

static const struct store_index warehouse_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "name", STORE_IX_FOLD, { "name" } },
	{ "city", STORE_IX_FOLD, { "city" } },
};

const struct store_schema warehouse_schema = {
	"warehouse", 1, sizeof(struct warehouse), warehouse_fields,
	NELEM(warehouse_fields), warehouse_ix, NELEM(warehouse_ix), 0,
};

static const struct ent_hook warehouse_hooks[] = {
	{ "warehouse_validate", HOOK_VALIDATE, "warehouse", warehouse_validate,
	  NULL, NULL, NULL },
};

static const struct ent_default warehouse_defaults[] = {
	{ "status", "active" },
};

const struct entity warehouse_entity = {
	.name = "warehouse",
	.title = N_("Warehouse"),
	.schema = &warehouse_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "name",
	.perm = "warehouse",
	.validate = warehouse_validate,
	.change = warehouse_change,
	.refs = NULL,
	.nrefs = 0,
	.hooks = warehouse_hooks,
	.nhooks = NELEM(warehouse_hooks),
	.defaults = warehouse_defaults,
	.ndefaults = NELEM(warehouse_defaults),
};

/* -------------------------------------------------------------- rules */

static const char *const location_kinds[] = {
	"storage", "receiving", "shipping", "quality",
};

/* A location typed without a kind is a storage place. */
void warehouse_change(const struct entity *e, void *rec)
{
	struct warehouse *w = rec;

	(void)e;
	for (size_t i = 0; i < w->locations.n; i++) {
		struct location *l = (struct location *)w->locations.items + i;
		char *k;
		if (l->kind && *l->kind)
			continue;
		if ((k = strdup("storage"))) {
			free(l->kind);
			l->kind = k;
		}
	}
}

static bool is_kind(const char *s)
{
	for (size_t i = 0; s && i < NELEM(location_kinds); i++)
		if (strcmp(s, location_kinds[i]) == 0)
			return true;
	return false;
}

int warehouse_validate(struct store_txn *t, const struct entity *e, void *rec,
		       struct kerr *err)
{
	struct warehouse *w = rec;
	const struct location *loc = w->locations.items;
	int ret;

	(void)t;
	(void)e;
	if ((ret = masters_check_code(w->code, err)) ||
	    (ret = masters_check_name("name", w->name, err)) ||
	    (ret = masters_check_status(w->status, err)))
		return ret;
	for (size_t i = 0; i < w->locations.n; i++) {
		const struct location *l = &loc[i];
		if ((ret = masters_check_code(l->code, err))) {
			if (err) {
				snprintf(err->field, sizeof err->field, "%s",
					 "locations");
				kerr_prefix(err, _("location %zu"), i + 1);
			}
			return ret;
		}
		if (!is_kind(l->kind))
			return kerr_set(err, K_EINVAL, "locations",
					_("location %zu (%s): kind must be storage, receiving, shipping or quality"),
					i + 1, l->code);
		for (size_t j = 0; j < i; j++)
			if (strcmp(loc[j].code, l->code) == 0)
				return kerr_set(err, K_EEXIST, "locations",
						_("location %s is on lines %zu and %zu; a warehouse has each code once"),
						l->code, j + 1, i + 1);
	}
	return 0;
}

/* ------------------------------------------------------------- lookup */

int warehouse_location(struct store_txn *t, const char *warehouse,
		       const char *location, int64_t *warehouse_id,
		       bool *blocked, struct kerr *err)
{
	struct warehouse w;
	int ret;

	memset(&w, 0, sizeof w);
	if ((ret = ent_get_code(t, &warehouse_entity, warehouse, &w, err))) {
		if (ret == K_ENOTFOUND && err)
			snprintf(err->field, sizeof err->field, "warehouse");
		return ret;
	}
	ret = K_ENOTFOUND;
	for (size_t i = 0; location && i < w.locations.n; i++) {
		const struct location *l =
			(const struct location *)w.locations.items + i;
		if (!l->code || strcmp(l->code, location) != 0)
			continue;
		ret = 0;
		if (warehouse_id)
			*warehouse_id = w.h.id;
		if (blocked)
			*blocked = l->blocked ||
				   strcmp(w.status ? w.status : "", "active") != 0;
		break;
	}
	if (ret)
		kerr_set(err, ret, "location", _("warehouse %s has no location %s"),
			 w.code, location ? location : "");
	store_rec_clear(&warehouse_schema, &w);
	return ret;
}
