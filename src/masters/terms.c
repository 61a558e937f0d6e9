/*
 * terms.c - payment terms: net N days, N days after the end of the
 * month, or instalments (a share and a number of days each); the due
 * dates and amounts of an invoice under them.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "masters/entity.h"
#include "masters/fin.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Shared inside the family (party.c). */
int masters_check_code(const char *code, struct kerr *err);
int masters_check_name(const char *field, const char *s, struct kerr *err);
int terms_validate(struct store_txn *t, const struct entity *e, void *rec,
		   struct kerr *err);

#define MAX_DAYS 999

/* ------------------------------------------------------------ schemas */

static const struct store_field instalment_fields[] = {
	{ 1, "percent", SF_RATE, offsetof(struct instalment, percent), NULL,
	  NULL },
	{ 2, "days", SF_INT, offsetof(struct instalment, days), NULL, NULL },
};

const struct store_schema instalment_schema = {
	"instalment", 1, sizeof(struct instalment), instalment_fields,
	NELEM(instalment_fields), NULL, 0, 0,
};

#define T(tag, name, type) \
	{ tag, #name, type, offsetof(struct terms, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field terms_fields[] = {
	T(1, code, SF_TEXT),
	T(2, name, SF_TEXT),
	T(3, kind, SF_TEXT),
	T(4, days, SF_INT),
	{ 5, "instalments", SF_LIST, offsetof(struct terms, instalments),
	  &instalment_schema, NULL },
};
#undef T

static const struct store_index terms_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "name", STORE_IX_FOLD, { "name" } },
};

const struct store_schema terms_schema = {
	"terms", 1, sizeof(struct terms), terms_fields, NELEM(terms_fields),
	terms_ix, NELEM(terms_ix), 0,
};

static const struct ent_referrer terms_refs[] = {
	{ "party", "payment_terms", N_("parties (payment terms)") },
};

static const struct ent_hook terms_hooks[] = {
	{ "terms_validate", HOOK_VALIDATE, "terms", terms_validate, NULL,
	  NULL, NULL },
};

static const struct ent_default terms_defaults[] = {
	{ "kind", "net" },
};

const struct entity terms_entity = {
	.name = "terms",
	.title = N_("Payment terms"),
	.schema = &terms_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "name",
	.perm = "terms",
	.validate = terms_validate,
	.change = NULL,
	.refs = terms_refs,
	.nrefs = NELEM(terms_refs),
	.hooks = terms_hooks,
	.nhooks = NELEM(terms_hooks),
	.defaults = terms_defaults,
	.ndefaults = NELEM(terms_defaults),
};

/* ------------------------------------------------------------- rules */

/* The rules without a transaction (terms_schedule uses them too). */
static int check(const struct terms *tm, struct kerr *err)
{
	const struct instalment *v = tm->instalments.items;
	int64_t sum = 0, one = num_pow10(NUM_RATE_SCALE);
	char a[NUM_BUFSZ];
	bool inst;

	if (!tm->kind || (strcmp(tm->kind, "net") != 0 &&
			  strcmp(tm->kind, "eom") != 0 &&
			  strcmp(tm->kind, "instalments") != 0))
		return kerr_set(err, K_EINVAL, "kind",
				_("kind must be net, eom or instalments, not \"%s\""),
				tm->kind ? tm->kind : "");
	inst = strcmp(tm->kind, "instalments") == 0;
	if (!inst) {
		if (tm->days < 0 || tm->days > MAX_DAYS)
			return kerr_set(err, K_EINVAL, "days",
					_("days must be 0 to %d"), MAX_DAYS);
		if (tm->instalments.n)
			return kerr_set(err, K_EINVAL, "instalments",
					_("%s terms have no instalments; delete the lines or make the kind instalments"),
					tm->kind);
		return 0;
	}
	if (tm->instalments.n == 0)
		return kerr_set(err, K_EINVAL, "instalments",
				_("instalment terms need at least one instalment"));
	if (tm->instalments.n > TERMS_MAX_LINES)
		return kerr_set(err, K_EINVAL, "instalments",
				_("at most %d instalments"), TERMS_MAX_LINES);
	for (size_t i = 0; i < tm->instalments.n; i++) {
		if (v[i].percent <= 0 || v[i].percent > one)
			return kerr_set(err, K_EINVAL, "instalments",
					_("instalment %zu: percent must be above 0 and at most 1 (0.30 is 30%%)"),
					i + 1);
		if (v[i].days < 0 || v[i].days > MAX_DAYS)
			return kerr_set(err, K_EINVAL, "instalments",
					_("instalment %zu: days must be 0 to %d"),
					i + 1, MAX_DAYS);
		if (i && v[i].days < v[i - 1].days)
			return kerr_set(err, K_EINVAL, "instalments",
					_("instalment %zu is due before instalment %zu; list them in order of days"),
					i + 1, i);
		sum += v[i].percent;
	}
	if (sum != one)
		return kerr_set(err, K_EINVAL, "instalments",
				_("the instalments add up to %s; they must add up to exactly 1 (100%%)"),
				num_format(sum, NUM_RATE_SCALE, false, a, sizeof a));
	return 0;
}

int terms_validate(struct store_txn *t, const struct entity *e, void *rec,
		   struct kerr *err)
{
	struct terms *tm = rec;
	int ret;

	(void)t;
	(void)e;
	if ((ret = masters_check_code(tm->code, err)) ||
	    (ret = masters_check_name("name", tm->name, err)))
		return ret;
	return check(tm, err);
}

/* ------------------------------------------------------- due dates */

int terms_schedule(const struct terms *tm, kdate invoice_date,
		   int64_t amount, struct due *out, size_t max, size_t *n,
		   struct kerr *err)
{
	const struct instalment *v = tm->instalments.items;
	int64_t w[TERMS_MAX_LINES], parts[TERMS_MAX_LINES];
	int ret;

	*n = 0;
	if (invoice_date == DATE_NONE)
		return kerr_set(err, K_EINVAL, "date",
				_("the invoice has no date"));
	if ((ret = check(tm, err)))
		return ret;
	if (strcmp(tm->kind, "instalments") != 0) {
		if (max < 1)
			return kerr_set(err, K_ERANGE, NULL,
					"room for 0 due dates; 1 needed");
		out[0].date = (strcmp(tm->kind, "eom") == 0 ?
			       date_month_end(invoice_date) : invoice_date) +
			      (kdate)tm->days;
		out[0].amount = amount;
		*n = 1;
		return 0;
	}
	if (max < tm->instalments.n)
		return kerr_set(err, K_ERANGE, NULL,
				"room for %zu due dates; %zu needed", max,
				tm->instalments.n);
	for (size_t i = 0; i < tm->instalments.n; i++)
		w[i] = v[i].percent;
	if ((ret = num_allocate_weighted(amount, tm->instalments.n, w, parts)))
		return kerr_set(err, ret, NULL, NULL);
	for (size_t i = 0; i < tm->instalments.n; i++) {
		out[i].date = invoice_date + (kdate)v[i].days;
		out[i].amount = parts[i];
	}
	*n = tm->instalments.n;
	return 0;
}
