/*
 * fin.h - the finance masters: the chart of accounts, tax codes,
 * currencies and their exchange rates, payment terms, fiscal years and
 * periods.  What documents and postings (src/finance) look up; no
 * posting happens here.
 *
 * Amounts and rates are integers (base/num.h): a tax rate or an
 * instalment's share is a RATE of scale 6 holding a fraction (13% is
 * 0.130000, stored as 130000); an exchange rate is a RATE too (units of
 * the base currency for one unit of the currency).
 */
#ifndef KONTOR_MASTERS_FIN_H
#define KONTOR_MASTERS_FIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/kerr.h"
#include "masters/entity.h"
#include "store/store.h"

/*
 * An account of the chart.  The chart is a tree: headings (postable
 * false) group accounts and other headings; entries post to postable
 * accounts only.
 */
struct account {
	struct store_rec h;
	char *code;              /* unique: "1001", "1122.01" */
	char *name;              /* required, CJK allowed, <= 100 chars */
	char *type;              /* asset | liability | equity | income | expense */
	char *side;              /* normal balance: debit | credit; when
				    empty, the type's (account_side_of) */
	bool postable;           /* false: a heading */
	int64_t parent;          /* REF account, a heading; 0 at the top */
	int64_t currency;        /* REF currency; 0 = any currency */
	char *status;            /* active | blocked */
};

/* A tax code: the rate and the account its tax posts to. */
struct tax {
	struct store_rec h;
	char *code;              /* "VAT13" */
	char *name;
	int64_t rate;            /* RATE, 0..1: 13% is 130000 */
	char *kind;              /* output | input | exempt | zero */
	int64_t account;         /* REF account: VAT payable (output) or
				    deductible (input); required for those */
	char *status;            /* active | blocked */
};

struct currency {
	struct store_rec h;
	char *code;              /* ISO 4217: three capital letters */
	char *name;
	int64_t decimals;        /* minor unit digits, 0..4 (JPY 0, CNY 2) */
	char *symbol;            /* "¥", "$", "€"; optional */
	char *status;            /* active | blocked */
};

/*
 * An exchange rate of a currency from a date on: rate units of the
 * base currency buy one unit of the currency.  code is computed
 * ("USD@2026-01-31") when the record is checked, so that imports,
 * exports and look-ups name a rate like any other record.
 */
struct rate {
	struct store_rec h;
	char *code;              /* computed: CURRENCY@YYYY-MM-DD */
	int64_t currency;        /* REF currency, required */
	kdate date;              /* required */
	int64_t rate;            /* RATE, > 0 */
};

/* One instalment of instalment terms (element of terms.instalments). */
struct instalment {
	struct store_elem e;
	int64_t percent;         /* RATE share of the amount: 30% is 300000 */
	int64_t days;            /* due this many days after the invoice */
};

/*
 * Payment terms.  net: due `days` after the invoice date; eom: `days`
 * after the end of the invoice's month; instalments: one due date per
 * line, the shares adding up to exactly 100%.
 */
struct terms {
	struct store_rec h;
	char *code;              /* "NET30" */
	char *name;
	char *kind;              /* net | eom | instalments */
	int64_t days;            /* net, eom: 0..999 */
	struct store_list instalments;   /* struct instalment, in order of
					    days; kind instalments only */
};

/* A due date and the amount due then (terms_schedule). */
struct due {
	kdate date;
	int64_t amount;
};

/* A fiscal year: its months are the periods of period.fyear. */
struct fyear {
	struct store_rec h;
	char *code;              /* "2026": the calendar year it starts in */
	kdate start, end;        /* inclusive */
	char *status;            /* open | closed */
};

/* A posting period, inside its fiscal year; periods never overlap. */
struct period {
	struct store_rec h;
	char *code;              /* "2026-01": the month it covers */
	int64_t fyear;           /* REF fyear */
	int64_t number;          /* 1..13 within the year (13: adjustments) */
	kdate start, end;        /* inclusive */
	char *status;            /* open | closed */
};

#define TERMS_MAX_LINES 60   /* instalments a terms record may have */

extern const struct store_schema account_schema, tax_schema,
	currency_schema, rate_schema, terms_schema, instalment_schema,
	fyear_schema, period_schema;
extern const struct entity account_entity, tax_entity, currency_entity,
	rate_entity, terms_entity, fyear_entity, period_entity;

/* The normal side of an account type: "debit" (asset, expense), "credit"
   (liability, equity, income), or NULL for an unknown type. */
const char *account_side_of(const char *type);

/* Deeper than this the chart of accounts is taken to loop or be broken. */
#define ACCOUNT_MAX_DEPTH 64

/*
 * Called by account_walk() for each account with its depth (0 at the
 * top).  *descend is true on the call: clear it to skip the accounts
 * under a.  a is valid during the call only.  A result other than 0
 * ends the walk with it.
 */
typedef int (*account_visit_fn)(void *arg, const struct account *a,
				int depth, bool *descend, struct kerr *err);

/*
 * Walks the chart of accounts in chart order: depth first from the
 * top, each heading before the accounts under it, siblings in the order
 * they were created (the "parent" index), calling visit(arg, ...) for
 * each.  One cursor a level: memory follows the depth of the tree.  An
 * account ACCOUNT_MAX_DEPTH levels down whose children are walked is
 * K_ECORRUPT (field "parent") naming it; otherwise 0, visit's result or
 * the store's error.
 */
int account_walk(struct store_txn *t, account_visit_fn visit, void *arg,
		 struct kerr *err);

/*
 * The exchange rate of currency_id on day d: the latest rate dated on
 * or before d (*found gets its date).  The base currency (its code
 * base, kontor.conf's base_currency) is always 1.000000 on d.
 * K_ENOTFOUND naming the currency and the date when there is none.
 */
int fx_rate(struct store_txn *t, const char *base, int64_t currency_id,
	    kdate d, int64_t *rate, kdate *found, struct kerr *err);

/*
 * The due dates of an invoice of `amount` dated invoice_date under
 * terms tm, into out (max entries; *n gets how many).  Instalment
 * amounts are split by num_allocate_weighted(), so they add up to the
 * amount exactly.  K_ERANGE when max is too small; K_EINVAL for terms
 * that break their rules or a missing date.
 */
int terms_schedule(const struct terms *tm, kdate invoice_date,
		   int64_t amount, struct due *out, size_t max, size_t *n,
		   struct kerr *err);

/*
 * Creates fiscal year `year` and its 12 monthly periods in one
 * transaction: the year starts on the first of fy_start_month (1..12)
 * of `year` (month 4: 2026-04-01 to 2027-03-31; its periods are
 * 2026-04 ... 2027-03).  K_EEXIST when the year exists; K_EINVAL when
 * it would overlap another.
 */
int period_create_year(struct store *st, int year, int fy_start_month,
		       struct kerr *err);

/*
 * The period containing day d, into *out (zeroed, or a record: it is
 * cleared first).  K_ENOTFOUND naming the date.
 */
int period_find(struct store_txn *t, kdate d, struct period *out,
		struct kerr *err);

#endif
