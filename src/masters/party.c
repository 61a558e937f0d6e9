/*
 * party.c - parties: customers, suppliers and prospects (one party can
 * be all three), with their contacts; the rules a party must satisfy
 * and the block / unblock actions.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "masters/entity.h"
#include "masters/masters.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Shared inside the family (entity.c); masters.h is the public header. */
size_t ent_text_chars(const char *s);
int party_validate(struct store_txn *t, const struct entity *e, void *rec,
		   struct kerr *err);
int party_block(struct store *st, const struct entity *e, void *rec,
		char *msg, size_t n, struct kerr *err);
int party_unblock(struct store *st, const struct entity *e, void *rec,
		  char *msg, size_t n, struct kerr *err);

/* ------------------------------------------------------------ schemas */

#define C(tag, name, type) \
	{ tag, #name, type, offsetof(struct contact, name), NULL, NULL }

static const struct store_field contact_fields[] = {
	C(1, name, SF_TEXT),
	C(2, role, SF_TEXT),
	C(3, phone, SF_TEXT),
	C(4, email, SF_TEXT),
};
#undef C

const struct store_schema contact_schema = {
	"contact", 1, sizeof(struct contact), contact_fields,
	NELEM(contact_fields), NULL, 0, 0,
};

#define P(tag, name, type) \
	{ tag, #name, type, offsetof(struct party, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field party_fields[] = {
	P(1, code, SF_TEXT),
	P(2, name, SF_TEXT),
	P(3, customer, SF_BOOL),
	P(4, supplier, SF_BOOL),
	P(5, prospect, SF_BOOL),
	P(6, tax_id, SF_TEXT),
	P(7, bill_street, SF_TEXT),
	P(8, bill_city, SF_TEXT),
	P(9, bill_postcode, SF_TEXT),
	P(10, bill_country, SF_TEXT),
	P(11, ship_street, SF_TEXT),
	P(12, ship_city, SF_TEXT),
	P(13, ship_postcode, SF_TEXT),
	P(14, ship_country, SF_TEXT),
	P(15, phone, SF_TEXT),
	P(16, email, SF_TEXT),
	/* 17 retired: payment_terms was text (the terms' code); now 25 */
	P(18, credit_limit, SF_MONEY),
	/* 19 retired: currency was text (an ISO code); now 26 */
	P(20, salesperson, SF_TEXT),
	{ 21, "parent", SF_REF, offsetof(struct party, parent), NULL, "party" },
	P(22, notes, SF_TEXT),
	P(23, status, SF_TEXT),
	{ 24, "contacts", SF_LIST, offsetof(struct party, contacts),
	  &contact_schema, NULL },
	{ 25, "payment_terms", SF_REF, offsetof(struct party, payment_terms),
	  NULL, "terms" },
	{ 26, "currency", SF_REF, offsetof(struct party, currency), NULL,
	  "currency" },
};
#undef P

static const struct store_index party_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "name", STORE_IX_FOLD, { "name" } },
	{ "parent", 0, { "parent" } },        /* for the delete check */
	{ "payment_terms", 0, { "payment_terms" } },   /* of terms */
	{ "currency", 0, { "currency" } },             /* of currencies */
};

const struct store_schema party_schema = {
	"party", 1, sizeof(struct party), party_fields, NELEM(party_fields),
	party_ix, NELEM(party_ix), 0,
};

static const struct ent_referrer party_refs[] = {
	{ "party", "parent", N_("parties (head office)") },
};

int party_block(struct store *st, const struct entity *e, void *rec,
		char *msg, size_t n, struct kerr *err);
int party_unblock(struct store *st, const struct entity *e, void *rec,
		  char *msg, size_t n, struct kerr *err);

static const struct ent_hook party_hooks[] = {
	{ "party_validate", HOOK_VALIDATE, "party", party_validate, NULL,
	  NULL, NULL },
	{ "party_block", HOOK_ACTION, "party", NULL, NULL, party_block,
	  "edit" },
	{ "party_unblock", HOOK_ACTION, "party", NULL, NULL, party_unblock,
	  "edit" },
};

/*
 * No default currency: an empty one is the company's base currency
 * (kontor.conf), whichever that is, and a party can be saved before
 * any currency is.
 */
static const struct ent_default party_defaults[] = {
	{ "status", "active" },
};

const struct entity party_entity = {
	.name = "party",
	.title = N_("Party"),
	.schema = &party_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "name",
	.perm = "party",
	.validate = party_validate,
	.change = NULL,
	.refs = party_refs,
	.nrefs = NELEM(party_refs),
	.hooks = party_hooks,
	.nhooks = NELEM(party_hooks),
	.defaults = party_defaults,
	.ndefaults = NELEM(party_defaults),
};

/* -------------------------------------------------------------- rules */

/* Shared with item.c through its own prototypes. */
int masters_check_code(const char *code, struct kerr *err);
int masters_check_name(const char *field, const char *s, struct kerr *err);
int masters_check_status(const char *s, struct kerr *err);
bool masters_email_ok(const char *s);

/* 1..20 characters of A-Z, 0-9, '.', '_', '-'. */
int masters_check_code(const char *code, struct kerr *err)
{
	size_t n = code ? strlen(code) : 0;

	if (n == 0)
		return kerr_set(err, K_EINVAL, "code", _("code is required"));
	if (n > 20)
		return kerr_set(err, K_EINVAL, "code",
				_("code is %zu characters long; at most 20"), n);
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			return kerr_set(err, K_EINVAL, "code",
					_("code \"%s\" has lower-case letters; codes are upper case (A-Z, 0-9, '.', '_', '-')"),
					code);
		return kerr_set(err, K_EINVAL, "code",
				_("code \"%s\" may only hold A-Z, 0-9, '.', '_' and '-'"),
				code);
	}
	return 0;
}

/* A required text of at most 100 characters (name, description). */
int masters_check_name(const char *field, const char *s, struct kerr *err)
{
	size_t n = ent_text_chars(s);

	if (n == 0)
		return kerr_set(err, K_EINVAL, field, _("%s is required"),
				field);
	if (n > 100)
		return kerr_set(err, K_EINVAL, field,
				_("%s is %zu characters long; at most 100"),
				field, n);
	return 0;
}

int masters_check_status(const char *s, struct kerr *err)
{
	if (s && (strcmp(s, "active") == 0 || strcmp(s, "blocked") == 0))
		return 0;
	return kerr_set(err, K_EINVAL, "status",
			_("status must be active or blocked, not \"%s\""),
			s ? s : "");
}

/* x@y.z: one '@', something before it, a dot inside the domain, no blanks. */
bool masters_email_ok(const char *s)
{
	const char *at = strchr(s, '@'), *dot;

	if (!at || at == s || strchr(at + 1, '@') || strpbrk(s, " \t"))
		return false;
	dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] != '\0';
}

int party_validate(struct store_txn *t, const struct entity *e, void *rec,
		   struct kerr *err)
{
	struct party *p = rec;
	int ret;

	(void)t;
	(void)e;
	if ((ret = masters_check_code(p->code, err)) ||
	    (ret = masters_check_name("name", p->name, err)))
		return ret;
	if (!p->customer && !p->supplier && !p->prospect)
		return kerr_set(err, K_EINVAL, "customer",
				_("a party must be a customer, a supplier or a prospect (at least one)"));
	if (p->credit_limit < 0)
		return kerr_set(err, K_EINVAL, "credit_limit",
				_("credit_limit must be 0 (no limit) or more"));
	if (p->email && !masters_email_ok(p->email))
		return kerr_set(err, K_EINVAL, "email",
				_("email \"%s\" is not an address like name@example.com"),
				p->email);
	if ((ret = masters_check_status(p->status, err)))
		return ret;
	if (p->parent && p->parent == p->h.id)
		return kerr_set(err, K_EINVAL, "parent",
				_("a party cannot be its own parent"));
	for (size_t i = 0; i < p->contacts.n; i++) {
		const struct contact *c =
			(const struct contact *)p->contacts.items + i;
		if (!c->name || !*c->name)
			return kerr_set(err, K_EINVAL, "contacts",
					_("contact %zu: name is required"), i + 1);
		if (c->email && !masters_email_ok(c->email))
			return kerr_set(err, K_EINVAL, "contacts",
					_("contact %zu (%s): email \"%s\" is not an address like name@example.com"),
					i + 1, c->name, c->email);
	}
	return 0;
}

/* ------------------------------------------------------------ actions */

/* Sets status to `to` and saves; refuses when it already is `to`. */
static int set_status(struct store *st, const struct entity *e, void *rec,
		      const char *to, const char *done, char *msg, size_t n,
		      struct kerr *err)
{
	struct party *p = rec;
	char *old = p->status, *nw;
	int ret;

	if (old && strcmp(old, to) == 0)
		return kerr_set(err, K_EINVAL, "status",
				_("party %s is already %s"),
				p->code ? p->code : "", to);
	if (!(nw = strdup(to)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	p->status = nw;
	if ((ret = ent_save(st, e, rec, NULL, err))) {
		p->status = old;          /* the caller's record as it was */
		free(nw);
		return ret;
	}
	free(old);
	if (msg && n)
		snprintf(msg, n, done, p->code ? p->code : "");
	return 0;
}

int party_block(struct store *st, const struct entity *e, void *rec,
		char *msg, size_t n, struct kerr *err)
{
	return set_status(st, e, rec, "blocked", _("Party %s blocked"), msg, n,
			  err);
}

int party_unblock(struct store *st, const struct entity *e, void *rec,
		  char *msg, size_t n, struct kerr *err)
{
	return set_status(st, e, rec, "active", _("Party %s unblocked"), msg,
			  n, err);
}
