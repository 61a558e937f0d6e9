/*
 * department.c - departments and cost centres: a tree (each may have a
 * parent) that documents and ledger lines are charged to.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "masters/entity.h"
#include "masters/ops.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Deeper than any real organisation; a longer chain is a loop. */
#define DEPARTMENT_MAX_DEPTH 64

/* Shared inside the family (party.c, entity.c). */
int masters_check_code(const char *code, struct kerr *err);
int masters_check_name(const char *field, const char *s, struct kerr *err);
int masters_check_status(const char *s, struct kerr *err);
int department_validate(struct store_txn *t, const struct entity *e,
			void *rec, struct kerr *err);

/* ------------------------------------------------------------- schema */

#define D(tag, name, type) \
	{ tag, #name, type, offsetof(struct department, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field department_fields[] = {
	D(1, code, SF_TEXT),
	D(2, name, SF_TEXT),
	D(3, kind, SF_TEXT),
	{ 4, "parent", SF_REF, offsetof(struct department, parent), NULL,
	  "department" },
	D(5, manager, SF_TEXT),
	D(6, status, SF_TEXT),
};
#undef D

static const struct store_index department_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "name", STORE_IX_FOLD, { "name" } },
	{ "parent", 0, { "parent" } },        /* for the delete check */
};

const struct store_schema department_schema = {
	"department", 1, sizeof(struct department), department_fields,
	NELEM(department_fields), department_ix, NELEM(department_ix), 0,
};

static const struct ent_referrer department_refs[] = {
	{ "department", "parent", N_("departments (parent)") },
	{ "glbal", "cost_centre", N_("posted balances (cost centre)") },
};

static const struct ent_hook department_hooks[] = {
	{ "department_validate", HOOK_VALIDATE, "department",
	  department_validate, NULL, NULL, NULL },
};

static const struct ent_default department_defaults[] = {
	{ "kind", "department" },
	{ "status", "active" },
};

const struct entity department_entity = {
	.name = "department",
	.title = N_("Department"),
	.schema = &department_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "name",
	.perm = "department",
	.validate = department_validate,
	.change = NULL,
	.refs = department_refs,
	.nrefs = NELEM(department_refs),
	.hooks = department_hooks,
	.nhooks = NELEM(department_hooks),
	.defaults = department_defaults,
	.ndefaults = NELEM(department_defaults),
};

/* -------------------------------------------------------------- rules */

/*
 * Walks up from d's parent; refuses when the walk comes back to d (or
 * runs longer than any real tree).  A record not yet stored (id 0)
 * cannot be anyone's parent, so only its own parent is checked.
 */
static int check_loop(struct store_txn *t, const struct department *d,
		      struct kerr *err)
{
	struct department up;
	int64_t id = d->parent;
	char first[64] = "";
	int ret = 0;

	if (id && id == d->h.id)
		return kerr_set(err, K_EINVAL, "parent",
				_("a department cannot be its own parent"));
	memset(&up, 0, sizeof up);
	for (int depth = 0; id && d->h.id && ret == 0; depth++) {
		if (depth >= DEPARTMENT_MAX_DEPTH) {
			ret = kerr_set(err, K_EINVAL, "parent",
				       _("the parents of %s go more than %d levels up; is there a loop?"),
				       d->code ? d->code : "",
				       DEPARTMENT_MAX_DEPTH);
			break;
		}
		if ((ret = store_get(t, &department_schema, id, &up, err))) {
			if (ret == K_ENOTFOUND)
				ret = kerr_set(err, K_ENOTFOUND, "parent",
					       _("the parent department no longer exists"));
			break;
		}
		if (depth == 0)
			snprintf(first, sizeof first, "%s", up.code ? up.code : "");
		if (up.parent == d->h.id) {
			ret = kerr_set(err, K_EINVAL, "parent",
				       _("%s is below %s already: a department cannot be below itself"),
				       first, d->code ? d->code : "");
			break;
		}
		id = up.parent;
	}
	store_rec_clear(&department_schema, &up);
	return ret;
}

int department_validate(struct store_txn *t, const struct entity *e,
			void *rec, struct kerr *err)
{
	struct department *d = rec;
	int ret;

	(void)e;
	if ((ret = masters_check_code(d->code, err)) ||
	    (ret = masters_check_name("name", d->name, err)))
		return ret;
	if (!d->kind || (strcmp(d->kind, "department") != 0 &&
			 strcmp(d->kind, "cost-centre") != 0))
		return kerr_set(err, K_EINVAL, "kind",
				_("kind must be department or cost-centre, not \"%s\""),
				d->kind ? d->kind : "");
	if ((ret = masters_check_status(d->status, err)))
		return ret;
	return check_loop(t, d, err);
}
