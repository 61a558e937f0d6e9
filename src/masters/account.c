/*
 * account.c - the chart of accounts: a tree of headings and postable
 * accounts; the rules that keep it a tree, and its walk in chart order.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "masters/entity.h"
#include "masters/fin.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Shared inside the family (party.c). */
int masters_check_code(const char *code, struct kerr *err);
int masters_check_name(const char *field, const char *s, struct kerr *err);
int masters_check_status(const char *s, struct kerr *err);
int account_validate(struct store_txn *t, const struct entity *e, void *rec,
		     struct kerr *err);
void account_fill_side(const struct entity *e, void *rec);

/* ------------------------------------------------------------ schema */

#define A(tag, name, type) \
	{ tag, #name, type, offsetof(struct account, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field account_fields[] = {
	A(1, code, SF_TEXT),
	A(2, name, SF_TEXT),
	A(3, type, SF_TEXT),
	A(4, side, SF_TEXT),
	A(5, postable, SF_BOOL),
	{ 6, "parent", SF_REF, offsetof(struct account, parent), NULL,
	  "account" },
	{ 7, "currency", SF_REF, offsetof(struct account, currency), NULL,
	  "currency" },
	A(8, status, SF_TEXT),
};
#undef A

static const struct store_index account_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "name", STORE_IX_FOLD, { "name" } },
	{ "parent", 0, { "parent" } },        /* the tree; delete check */
	{ "currency", 0, { "currency" } },    /* delete check of currencies */
};

const struct store_schema account_schema = {
	"account", 1, sizeof(struct account), account_fields,
	NELEM(account_fields), account_ix, NELEM(account_ix), 0,
};

static const struct ent_referrer account_refs[] = {
	{ "account", "parent", N_("accounts (parent)") },
	{ "tax", "account", N_("tax codes (account)") },
	{ "glbal", "account", N_("posted balances") },
	{ "glrole", "account", N_("account roles") },
};

static const struct ent_hook account_hooks[] = {
	{ "account_validate", HOOK_VALIDATE, "account", account_validate,
	  NULL, NULL, NULL },
	{ "account_side", HOOK_CHANGE, "account", NULL, account_fill_side,
	  NULL, NULL },
};

static const struct ent_default account_defaults[] = {
	{ "status", "active" },
	{ "postable", "yes" },
};

const struct entity account_entity = {
	.name = "account",
	.title = N_("Account"),
	.schema = &account_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "name",
	.perm = "account",
	.validate = account_validate,
	.change = account_fill_side,
	.refs = account_refs,
	.nrefs = NELEM(account_refs),
	.hooks = account_hooks,
	.nhooks = NELEM(account_hooks),
	.defaults = account_defaults,
	.ndefaults = NELEM(account_defaults),
};

/* -------------------------------------------------------------- rules */

const char *account_side_of(const char *type)
{
	static const char *const debit[] = { "asset", "expense" };
	static const char *const credit[] = { "liability", "equity", "income" };

	for (size_t i = 0; type && i < NELEM(debit); i++)
		if (strcmp(type, debit[i]) == 0)
			return "debit";
	for (size_t i = 0; type && i < NELEM(credit); i++)
		if (strcmp(type, credit[i]) == 0)
			return "credit";
	return NULL;
}

/* An empty normal side becomes the type's (a contra account sets its own). */
void account_fill_side(const struct entity *e, void *rec)
{
	struct account *a = rec;
	const char *side = account_side_of(a->type);
	char *s;

	(void)e;
	if ((a->side && *a->side) || !side || !(s = strdup(side)))
		return;
	free(a->side);
	a->side = s;
}

/* The code of an account for a message, or "#ID", into buf. */
static void code_or_id(const struct account *a, char *buf, size_t n)
{
	if (a->code && *a->code)
		snprintf(buf, n, "%s", a->code);
	else
		snprintf(buf, n, "#%" PRId64, a->h.id);
}

/*
 * The parent must be a heading, and walking up from it must never come
 * back to the account (nor go on for ever).  A negative parent is a
 * placeholder of the importer's (csvio.c), checked once it is set.
 */
static int check_parent(struct store_txn *t, const struct account *a,
			struct kerr *err)
{
	struct account p;
	char parent[64] = "";
	int64_t id = a->parent;
	int ret = 0;

	if (id < 0)
		return 0;
	if (a->h.id && id == a->h.id)
		return kerr_set(err, K_EINVAL, "parent",
				_("an account cannot be its own parent"));
	memset(&p, 0, sizeof p);
	for (int depth = 0; id > 0; depth++) {
		if (depth >= ACCOUNT_MAX_DEPTH) {
			ret = kerr_set(err, K_EINVAL, "parent",
				       _("the accounts above %s go more than %d levels up; the tree loops"),
				       a->code ? a->code : "", ACCOUNT_MAX_DEPTH);
			break;
		}
		if ((ret = store_get(t, &account_schema, id, &p, err))) {
			if (ret == K_ENOTFOUND)
				kerr_set(err, K_ENOTFOUND, "parent",
					 _("the parent account #%" PRId64 " does not exist"),
					 id);
			break;
		}
		if (depth == 0) {
			code_or_id(&p, parent, sizeof parent);
			if (p.postable) {
				ret = kerr_set(err, K_EINVAL, "parent",
					       _("parent %s is postable; a parent must be a heading (postable no)"),
					       parent);
				break;
			}
		}
		if (a->h.id && p.h.id == a->h.id) {
			ret = kerr_set(err, K_EINVAL, "parent",
				       _("%s is below %s; as its parent the tree would loop"),
				       parent, a->code ? a->code : "");
			break;
		}
		id = p.parent;
	}
	store_rec_clear(&account_schema, &p);
	return ret;
}

/* A postable account may not have accounts below it. */
static int check_children(struct store_txn *t, const struct account *a,
			  struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct account ch;
	char key[24];
	int ret;

	if (!a->postable || a->h.id <= 0)
		return 0;
	memset(&ch, 0, sizeof ch);
	if ((ret = store_cursor_open(t, &account_schema, "parent", &c, err)))
		return ret;
	snprintf(key, sizeof key, "%" PRId64, a->h.id);
	for (ret = store_cursor_seek(c, key, true, &ch, err); ret == 0;
	     ret = store_cursor_next(c, &ch, err)) {
		if (ch.h.id == a->h.id)
			continue;
		ret = kerr_set(err, K_EINVAL, "postable",
			       _("%s has accounts below it (%s, ...): it stays a heading (postable no)"),
			       a->code ? a->code : "", ch.code ? ch.code : "");
		break;
	}
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		ret = 0;
	}
	store_cursor_close(&c);
	store_rec_clear(&account_schema, &ch);
	return ret;
}

int account_validate(struct store_txn *t, const struct entity *e, void *rec,
		     struct kerr *err)
{
	struct account *a = rec;
	int ret;

	(void)e;
	if ((ret = masters_check_code(a->code, err)) ||
	    (ret = masters_check_name("name", a->name, err)))
		return ret;
	if (!a->type || !*a->type)
		return kerr_set(err, K_EINVAL, "type", _("type is required"));
	if (!account_side_of(a->type))
		return kerr_set(err, K_EINVAL, "type",
				_("type must be asset, liability, equity, income or expense, not \"%s\""),
				a->type ? a->type : "");
	if (!a->side || (strcmp(a->side, "debit") != 0 &&
			 strcmp(a->side, "credit") != 0))
		return kerr_set(err, K_EINVAL, "side",
				_("side must be debit or credit, not \"%s\""),
				a->side ? a->side : "");
	if ((ret = masters_check_status(a->status, err)))
		return ret;
	if (!t)
		return 0;
	if ((ret = check_parent(t, a, err)))
		return ret;
	return check_children(t, a, err);
}

/* ------------------------------------------------------------ the walk */

/* Positions cursor *c (opened on first use) on the first child of id. */
static int first_child(struct store_txn *t, struct store_cursor **c,
		       int64_t id, struct account *rec, struct kerr *err)
{
	char key[32];
	int ret;

	if (!*c && (ret = store_cursor_open(t, &account_schema, "parent", c,
					    err)))
		return ret;
	snprintf(key, sizeof key, "%" PRId64, id);
	return store_cursor_seek(*c, key, true, rec, err);
}

int account_walk(struct store_txn *t, account_visit_fn visit, void *arg,
		 struct kerr *err)
{
	struct store_cursor *stack[ACCOUNT_MAX_DEPTH] = { 0 };
	struct account rec;
	int depth = 0, ret;

	memset(&rec, 0, sizeof rec);
	/* stack[d] walks the children of the account above at depth d. */
	ret = first_child(t, &stack[0], 0, &rec, err);
	for (;;) {
		bool descend = true;

		if (ret == K_ENOTFOUND) {
			/* This level is done: back to the parent's siblings. */
			kerr_clear(err);
			if (depth == 0) {
				ret = 0;
				break;
			}
			depth--;
			ret = store_cursor_next(stack[depth], &rec, err);
			continue;
		}
		if (ret)
			break;
		if ((ret = visit(arg, &rec, depth, &descend, err)))
			break;
		if (!descend) {
			ret = store_cursor_next(stack[depth], &rec, err);
			continue;
		}
		if (depth + 1 >= ACCOUNT_MAX_DEPTH) {
			ret = kerr_set(err, K_ECORRUPT, "parent",
				       _("the chart of accounts is more than %d levels deep at %s"),
				       ACCOUNT_MAX_DEPTH, rec.code ? rec.code : "");
			break;
		}
		/* Its children first (none: K_ENOTFOUND, then its siblings). */
		ret = first_child(t, &stack[depth + 1], rec.h.id, &rec, err);
		if (ret == 0) {
			depth++;
		} else if (ret == K_ENOTFOUND) {
			kerr_clear(err);
			ret = store_cursor_next(stack[depth], &rec, err);
		}
	}
	for (int i = 0; i < ACCOUNT_MAX_DEPTH; i++)
		store_cursor_close(&stack[i]);
	store_rec_clear(&account_schema, &rec);
	return ret;
}
