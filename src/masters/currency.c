/*
 * currency.c - currencies and their exchange rates by date; the rate
 * that holds on a day is the latest one dated on or before it.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "masters/entity.h"
#include "masters/fin.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Shared inside the family (party.c, entity.c). */
size_t ent_text_chars(const char *s);
int masters_check_name(const char *field, const char *s, struct kerr *err);
int masters_check_status(const char *s, struct kerr *err);
int currency_validate(struct store_txn *t, const struct entity *e,
		      void *rec, struct kerr *err);
int rate_validate(struct store_txn *t, const struct entity *e, void *rec,
		  struct kerr *err);

/* ---------------------------------------------------------- currency */

#define C(tag, name, type) \
	{ tag, #name, type, offsetof(struct currency, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field currency_fields[] = {
	C(1, code, SF_TEXT),
	C(2, name, SF_TEXT),
	C(3, decimals, SF_INT),
	C(4, symbol, SF_TEXT),
	C(5, status, SF_TEXT),
};
#undef C

static const struct store_index currency_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "name", STORE_IX_FOLD, { "name" } },
};

const struct store_schema currency_schema = {
	"currency", 1, sizeof(struct currency), currency_fields,
	NELEM(currency_fields), currency_ix, NELEM(currency_ix), 0,
};

static const struct ent_referrer currency_refs[] = {
	{ "rate", "key", N_("exchange rates") },
	{ "account", "currency", N_("accounts (currency)") },
	{ "party", "currency", N_("parties (currency)") },
};

static const struct ent_hook currency_hooks[] = {
	{ "currency_validate", HOOK_VALIDATE, "currency", currency_validate,
	  NULL, NULL, NULL },
};

static const struct ent_default currency_defaults[] = {
	{ "status", "active" },
	{ "decimals", "2" },
};

const struct entity currency_entity = {
	.name = "currency",
	.title = N_("Currency"),
	.schema = &currency_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "name",
	.perm = "currency",
	.validate = currency_validate,
	.change = NULL,
	.refs = currency_refs,
	.nrefs = NELEM(currency_refs),
	.hooks = currency_hooks,
	.nhooks = NELEM(currency_hooks),
	.defaults = currency_defaults,
	.ndefaults = NELEM(currency_defaults),
};

int currency_validate(struct store_txn *t, const struct entity *e,
		      void *rec, struct kerr *err)
{
	struct currency *c = rec;
	int ret;

	(void)t;
	(void)e;
	if (!c->code || strlen(c->code) != 3 ||
	    strspn(c->code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
		return kerr_set(err, K_EINVAL, "code",
				_("code must be an ISO 4217 code of 3 capital letters such as CNY, not \"%s\""),
				c->code ? c->code : "");
	if ((ret = masters_check_name("name", c->name, err)))
		return ret;
	if (c->decimals < 0 || c->decimals > 4)
		return kerr_set(err, K_EINVAL, "decimals",
				_("decimals must be 0 to 4 (2 for cents, 0 for yen)"));
	if (ent_text_chars(c->symbol) > 8)
		return kerr_set(err, K_EINVAL, "symbol",
				_("symbol is at most 8 characters"));
	return masters_check_status(c->status, err);
}

/* ------------------------------------------------------------- rates */

#define R(tag, name, type) \
	{ tag, #name, type, offsetof(struct rate, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field rate_fields[] = {
	R(1, code, SF_TEXT),
	{ 2, "currency", SF_REF, offsetof(struct rate, currency), NULL,
	  "currency" },
	R(3, date, SF_DATE),
	R(4, rate, SF_RATE),
};
#undef R

static const struct store_index rate_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "key", STORE_IX_UNIQUE, { "currency", "date" } },   /* fx_rate */
	{ "date", 0, { "date" } },
};

const struct store_schema rate_schema = {
	"rate", 1, sizeof(struct rate), rate_fields, NELEM(rate_fields),
	rate_ix, NELEM(rate_ix), 0,
};

static const struct ent_hook rate_hooks[] = {
	{ "rate_validate", HOOK_VALIDATE, "rate", rate_validate, NULL, NULL,
	  NULL },
};

const struct entity rate_entity = {
	.name = "rate",
	.title = N_("Exchange rate"),
	.schema = &rate_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "date",       /* an index too: look-ups sort by it */
	.perm = "rate",
	.validate = rate_validate,
	.change = NULL,
	.refs = NULL,
	.nrefs = 0,
	.hooks = rate_hooks,
	.nhooks = NELEM(rate_hooks),
	.defaults = NULL,
	.ndefaults = 0,
};

/* Reads currency id into c (zeroed or a record); K_ENOTFOUND names it. */
static int get_currency(struct store_txn *t, int64_t id, struct currency *c,
			const char *field, struct kerr *err)
{
	int ret = store_get(t, &currency_schema, id, c, err);

	if (ret == K_ENOTFOUND)
		kerr_set(err, K_ENOTFOUND, field,
			 _("currency #%" PRId64 " does not exist"), id);
	return ret;
}

/*
 * Besides the rules, computes the code from the currency's code and the
 * date (which needs the transaction: a change hook has none).
 */
int rate_validate(struct store_txn *t, const struct entity *e, void *rec,
		  struct kerr *err)
{
	struct rate *r = rec;
	struct currency c;
	char d[DATE_BUFSZ], *code;
	int ret;

	(void)e;
	if (r->date == DATE_NONE)
		return kerr_set(err, K_EINVAL, "date", _("date is required"));
	if (r->rate <= 0)
		return kerr_set(err, K_EINVAL, "rate",
				_("rate must be more than 0 (base currency units for one of this currency)"));
	if (r->currency == 0)
		return kerr_set(err, K_EINVAL, "currency",
				_("currency is required"));
	if (!t)
		return 0;
	memset(&c, 0, sizeof c);
	if ((ret = get_currency(t, r->currency, &c, "currency", err)))
		return ret;
	date_format(r->date, d, sizeof d);
	code = malloc(strlen(c.code ? c.code : "") + sizeof d + 2);
	if (!code) {
		store_rec_clear(&currency_schema, &c);
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	}
	sprintf(code, "%s@%s", c.code ? c.code : "", d);
	free(r->code);
	r->code = code;
	store_rec_clear(&currency_schema, &c);
	return 0;
}

int fx_rate(struct store_txn *t, const char *base, int64_t currency_id,
	    kdate d, int64_t *rate, kdate *found, struct kerr *err)
{
	struct store_cursor *cur = NULL;
	struct currency c;
	struct rate probe, r;
	char ds[DATE_BUFSZ];
	int ret;

	if (d == DATE_NONE)
		return kerr_set(err, K_EINVAL, "date",
				_("an exchange rate needs a date"));
	memset(&c, 0, sizeof c);
	memset(&probe, 0, sizeof probe);
	memset(&r, 0, sizeof r);
	if ((ret = get_currency(t, currency_id, &c, "currency", err)))
		return ret;
	if (base && c.code && strcmp(c.code, base) == 0) {
		*rate = num_pow10(NUM_RATE_SCALE);
		if (found)
			*found = d;
		goto out;
	}
	/* The first key after (currency, d), then one step back. */
	probe.currency = currency_id;
	probe.date = d + 1;
	if ((ret = store_cursor_open(t, &rate_schema, "key", &cur, err)))
		goto out;
	ret = store_cursor_seek_rec(cur, &probe, &r, err);
	if (ret == 0 || ret == K_ENOTFOUND)
		ret = store_cursor_prev(cur, &r, err);
	if (ret == 0 && r.currency == currency_id && r.date <= d) {
		*rate = r.rate;
		if (found)
			*found = r.date;
	} else if (ret == 0 || ret == K_ENOTFOUND) {
		ret = kerr_set(err, K_ENOTFOUND, "date",
			       _("no exchange rate for %s on or before %s"),
			       c.code ? c.code : "", date_format(d, ds, sizeof ds));
	}
out:
	store_cursor_close(&cur);
	store_rec_clear(&rate_schema, &r);
	store_rec_clear(&currency_schema, &c);
	return ret;
}
