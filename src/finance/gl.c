/*
 * gl.c - the general ledger: journal entries and the one posting path,
 * balances per account and period, account roles, recurring entries,
 * reversals, closing periods and years.  See gl.h.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "finance/gl.h"
#include "masters/fin.h"
#include "masters/masters.h"
#include "masters/ops.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Lines an entry may have: an import's entry, a depreciation run. */
#define GL_MAX_LINES 100000

int journal_validate(struct store_txn *t, const struct entity *e, void *rec,
		     struct kerr *err);
int journal_apply(struct store_txn *t, const struct entity *e, void *rec,
		  struct kerr *err);
int journal_reverse(struct store *st, const struct entity *e, void *rec,
		    char *msg, size_t n, struct kerr *err);
int glrole_validate(struct store_txn *t, const struct entity *e, void *rec,
		    struct kerr *err);
int jtemplate_validate(struct store_txn *t, const struct entity *e,
		       void *rec, struct kerr *err);

/* ------------------------------------------------------------ schemas */

#define L(tag, name, type, ref) \
	{ tag, #name, type, offsetof(struct jline, name), NULL, ref }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field jline_fields[] = {
	L(1, account, SF_REF, "account"),
	L(2, debit, SF_MONEY, NULL),
	L(3, credit, SF_MONEY, NULL),
	L(4, party, SF_REF, "party"),
	L(5, cost_centre, SF_REF, "department"),
	L(6, memo, SF_TEXT, NULL),
	L(7, currency, SF_REF, "currency"),
	L(8, rate, SF_RATE, NULL),
	L(9, fx_amount, SF_MONEY, NULL),
};
#undef L

const struct store_schema jline_schema = {
	"jline", 1, sizeof(struct jline), jline_fields, NELEM(jline_fields),
	NULL, 0, 0,
};

#define J(tag, name, type) \
	{ tag, #name, type, offsetof(struct journal, name), NULL, NULL }

static const struct store_field journal_fields[] = {
	J(1, code, SF_TEXT),
	J(2, series, SF_TEXT),
	J(3, date, SF_DATE),
	{ 4, "period", SF_REF, offsetof(struct journal, period), NULL,
	  "period" },
	J(5, description, SF_TEXT),
	J(6, source, SF_TEXT),
	J(7, source_ref, SF_TEXT),
	{ 8, "reverses", SF_REF, offsetof(struct journal, reverses), NULL,
	  "journal" },
	{ 9, "reversed_by", SF_REF, offsetof(struct journal, reversed_by),
	  NULL, "journal" },
	J(10, total, SF_MONEY),
	{ 11, "lines", SF_LIST, offsetof(struct journal, lines),
	  &jline_schema, NULL },
};
#undef J

static const struct store_index journal_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "date", 0, { "date" } },
	{ "period", 0, { "period" } },          /* period referrers */
	{ "source_ref", 0, { "source_ref" } },  /* idempotent runs */
};

const struct store_schema journal_schema = {
	"journal", 1, sizeof(struct journal), journal_fields,
	NELEM(journal_fields), journal_ix, NELEM(journal_ix), 0,
};

#define B(tag, name, type, ref) \
	{ tag, #name, type, offsetof(struct glbal, name), NULL, ref }

static const struct store_field glbal_fields[] = {
	B(1, account, SF_REF, "account"),
	B(2, pstart, SF_DATE, NULL),
	B(3, cost_centre, SF_REF, "department"),
	B(4, period, SF_REF, "period"),
	B(5, debit, SF_MONEY, NULL),
	B(6, credit, SF_MONEY, NULL),
};
#undef B

static const struct store_index glbal_ix[] = {
	{ "key", STORE_IX_UNIQUE, { "account", "pstart", "cost_centre" } },
	{ "account", 0, { "account" } },           /* account referrers */
	{ "cost_centre", 0, { "cost_centre" } },   /* department referrers */
};

const struct store_schema glbal_schema = {
	"glbal", 1, sizeof(struct glbal), glbal_fields, NELEM(glbal_fields),
	glbal_ix, NELEM(glbal_ix), STORE_NOAUDIT,
};

#define X(tag, name, type, ref) \
	{ tag, #name, type, offsetof(struct jlinex, name), NULL, ref }

static const struct store_field jlinex_fields[] = {
	X(1, account, SF_REF, "account"),
	X(2, date, SF_DATE, NULL),
	X(3, entry, SF_REF, "journal"),
	X(4, line, SF_INT, NULL),
	X(5, debit, SF_MONEY, NULL),
	X(6, credit, SF_MONEY, NULL),
};
#undef X

static const struct store_index jlinex_ix[] = {
	{ "account", 0, { "account", "date" } },
	{ "entry", 0, { "entry" } },               /* journal referrers */
};

const struct store_schema jlinex_schema = {
	"jlinex", 1, sizeof(struct jlinex), jlinex_fields,
	NELEM(jlinex_fields), jlinex_ix, NELEM(jlinex_ix), STORE_NOAUDIT,
};

static const struct store_field glrole_fields[] = {
	{ 1, "code", SF_TEXT, offsetof(struct glrole, code), NULL, NULL },
	{ 2, "account", SF_REF, offsetof(struct glrole, account), NULL,
	  "account" },
	{ 3, "note", SF_TEXT, offsetof(struct glrole, note), NULL, NULL },
};

static const struct store_index glrole_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "account", 0, { "account" } },
};

const struct store_schema glrole_schema = {
	"glrole", 1, sizeof(struct glrole), glrole_fields,
	NELEM(glrole_fields), glrole_ix, NELEM(glrole_ix), 0,
};

#define T(tag, name, type) \
	{ tag, #name, type, offsetof(struct jtemplate, name), NULL, NULL }

static const struct store_field jtemplate_fields[] = {
	T(1, code, SF_TEXT),
	T(2, description, SF_TEXT),
	T(3, day, SF_INT),
	T(4, start, SF_DATE),
	T(5, end, SF_DATE),
	T(6, status, SF_TEXT),
	{ 7, "lines", SF_LIST, offsetof(struct jtemplate, lines),
	  &jline_schema, NULL },
};
#undef T

static const struct store_index jtemplate_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
};

const struct store_schema jtemplate_schema = {
	"jtemplate", 1, sizeof(struct jtemplate), jtemplate_fields,
	NELEM(jtemplate_fields), jtemplate_ix, NELEM(jtemplate_ix), 0,
};

/* ----------------------------------------------------------- entities */

int fyear_close_books(struct store *st, const struct entity *e, void *rec,
		      char *msg, size_t n, struct kerr *err);

static const struct ent_hook journal_hooks[] = {
	{ "journal_reverse", HOOK_ACTION, "journal", NULL, NULL,
	  journal_reverse, "post" },
	/* The fiscal year screen's year-end close: here, because it posts. */
	{ "gl_close_year", HOOK_ACTION, "fyear", NULL, NULL,
	  fyear_close_books, "close" },
};

static const struct ent_default journal_defaults[] = {
	{ "series", GL_SERIES },
	{ "source", "manual" },
};

const struct entity journal_entity = {
	.name = "journal",
	.title = N_("Journal entry"),
	.schema = &journal_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "description",
	.perm = "gl.journal",
	.validate = journal_validate,
	.hooks = journal_hooks,
	.nhooks = NELEM(journal_hooks),
	.defaults = journal_defaults,
	.ndefaults = NELEM(journal_defaults),
	.apply = journal_apply,
};

const struct gl_role_def gl_roles[] = {
	{ "receivable", N_("trade receivables control account") },
	{ "payable", N_("trade payables control account") },
	{ "revenue", N_("sales revenue when an item or line names none") },
	{ "purchases", N_("purchases when a supplier invoice line names none") },
	{ "bank", N_("bank account for receipts and payments by default") },
	{ "cash", N_("cash on hand") },
	{ "profit", N_("profit of the year (year-end close)") },
	{ "retained", N_("retained earnings (year-end close)") },
	{ "write-off", N_("small differences written off on receipts and payments") },
	{ "fx-gain", N_("exchange gains") },
	{ "fx-loss", N_("exchange losses") },
	{ "fa-gain", N_("gain on disposal of fixed assets") },
	{ "fa-loss", N_("loss on disposal of fixed assets") },
};
const size_t gl_nroles = NELEM(gl_roles);

static const struct ent_hook glrole_hooks[] = {
	{ "glrole_validate", HOOK_VALIDATE, "glrole", glrole_validate, NULL,
	  NULL, NULL },
};

const struct entity glrole_entity = {
	.name = "glrole",
	.title = N_("Account role"),
	.schema = &glrole_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "note",
	.perm = "gl.setup",
	.validate = glrole_validate,
	.hooks = glrole_hooks,
	.nhooks = NELEM(glrole_hooks),
};

static const struct ent_default jtemplate_defaults[] = {
	{ "status", "active" },
	{ "day", "1" },
};

const struct entity jtemplate_entity = {
	.name = "jtemplate",
	.title = N_("Recurring entry"),
	.schema = &jtemplate_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "description",
	.perm = "gl.journal",
	.validate = jtemplate_validate,
	.defaults = jtemplate_defaults,
	.ndefaults = NELEM(jtemplate_defaults),
};

/* ------------------------------------------------------------ helpers */

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
}

static const char *money(int64_t v, char *buf)
{
	return num_format(v, 2, true, buf, NUM_BUFSZ);
}

/* The base currency's code, as recorded when the database was made. */
static void base_currency(struct store_txn *t, char *buf, size_t n)
{
	if (store_meta_get(t, "base_currency", buf, n, NULL) || !buf[0])
		snprintf(buf, n, "CNY");
}

/* Sets *s to a copy of v when it is empty. */
static int default_text(char **s, const char *v, struct kerr *err)
{
	char *d;

	if (!blank(*s))
		return 0;
	if (!(d = strdup(v)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	free(*s);
	*s = d;
	return 0;
}

/* The account with id `id`, or an error naming line i. */
static int line_account(struct store_txn *t, size_t i, int64_t id,
			struct account *a, struct kerr *err)
{
	int ret;

	if (!id)
		return kerr_set(err, K_EINVAL, "lines",
				_("line %zu: no account"), i + 1);
	ret = store_get(t, &account_schema, id, a, err);
	if (ret == K_ENOTFOUND)
		return kerr_set(err, K_ENOTFOUND, "lines",
				_("line %zu: the account (#%" PRId64 ") no longer exists"),
				i + 1, id);
	if (ret)
		return ret;
	if (!a->postable)
		return kerr_set(err, K_EINVAL, "lines",
				_("line %zu: account %s is a heading; post to an account below it"),
				i + 1, a->code);
	if (a->status && strcmp(a->status, "active") != 0)
		return kerr_set(err, K_EINVAL, "lines",
				_("line %zu: account %s is blocked"), i + 1,
				a->code);
	return 0;
}

/* Prefixes err's message with the line number (copied first: the
   message is rewritten into the same buffer). */
static int line_error(struct kerr *err, int ret, size_t i)
{
	char msg[sizeof err->msg];

	if (!err)
		return ret;
	snprintf(msg, sizeof msg, "%s", err->msg);
	return kerr_set(err, ret, "lines", _("line %zu: %s"), i + 1, msg);
}

/*
 * A foreign line: its base debit or credit from fx_amount x rate.
 * `base` is the base currency's code.
 */
static int line_fx(struct store_txn *t, const char *base, kdate date,
		   size_t i, struct jline *l, struct kerr *err)
{
	struct currency c;
	int64_t amount;
	int ret;

	memset(&c, 0, sizeof c);
	if ((ret = store_get(t, &currency_schema, l->currency, &c, err)))
		return ret == K_ENOTFOUND ?
			kerr_set(err, K_ENOTFOUND, "lines",
				 _("line %zu: the currency no longer exists"),
				 i + 1) : ret;
	bool is_base = c.code && strcmp(c.code, base) == 0;
	store_rec_clear(&currency_schema, &c);
	if (is_base) {             /* the base currency named: no rate */
		l->currency = 0;
		l->rate = 0;
		l->fx_amount = 0;
		return 0;
	}
	if (l->fx_amount == 0) {
		/* Only the base amount given: the foreign one from the rate. */
		if (l->rate <= 0 &&
		    (ret = fx_rate(t, base, l->currency, date, &l->rate, NULL,
				   err)))
			return line_error(err, ret, i);
		int64_t b = l->debit ? l->debit : -l->credit;
		if ((ret = num_mul_div(b, num_pow10(NUM_RATE_SCALE), l->rate,
				       &l->fx_amount)))
			return kerr_set(err, ret, "lines",
					_("line %zu: amount out of range"), i + 1);
		return 0;
	}
	if (l->rate <= 0 &&
	    (ret = fx_rate(t, base, l->currency, date, &l->rate, NULL, err)))
		return line_error(err, ret, i);
	if ((ret = num_mul_scaled(l->fx_amount, l->rate, NUM_RATE_SCALE,
				  &amount)))
		return kerr_set(err, ret, "lines",
				_("line %zu: amount out of range"), i + 1);
	if (amount >= 0) {
		l->debit = amount;
		l->credit = 0;
	} else {
		l->debit = 0;
		l->credit = -amount;
	}
	return 0;
}

/* ------------------------------------------------------------ checking */

static const char *const sources[] = {
	"manual", "import", "recurring", "reversal", "close", "ar", "ap",
	"fa", "stock", "payroll",
};

/*
 * The control accounts: their balance is the sum of the subledger's open
 * items, so only the subledger posts to them (an invoice, a receipt, a
 * payment).  A manual or imported line there would make an amount that
 * no customer owes.  The account of role `role`, or 0 when none is set.
 */
static const struct {
	const char *role, *source;
	const char *what;
} controls[] = {
	{ "receivable", "ar", N_("receivables control account: post customer invoices, credit notes and receipts under Receivables") },
	{ "payable", "ap", N_("payables control account: post supplier invoices, debit notes and payments under Payables") },
};

static int64_t role_account_or_0(struct store_txn *t, const char *role)
{
	int64_t id = 0;

	return gl_role_account(t, role, &id, NULL) == 0 ? id : 0;
}

/* The period of day d, open, in an open year. */
static int open_period(struct store_txn *t, kdate d, struct period *p,
		       struct kerr *err)
{
	struct fyear y;
	int ret;

	if ((ret = period_find(t, d, p, err)))
		return ret;
	if (p->status && strcmp(p->status, "open") != 0)
		return kerr_set(err, K_EINVAL, "date",
				_("period %s is closed"), p->code);
	memset(&y, 0, sizeof y);
	if ((ret = store_get(t, &fyear_schema, p->fyear, &y, err)))
		return ret;
	if (y.status && strcmp(y.status, "open") != 0)
		ret = kerr_set(err, K_EINVAL, "date",
			       _("fiscal year %s is closed"), y.code);
	store_rec_clear(&fyear_schema, &y);
	return ret;
}

static bool entry_stored(struct store_txn *t, int64_t id)
{
	struct journal o;
	bool there;

	memset(&o, 0, sizeof o);
	there = store_get(t, &journal_schema, id, &o, NULL) == 0;
	store_rec_clear(&journal_schema, &o);
	return there;
}

int gl_check(struct store_txn *t, struct journal *j, struct kerr *err)
{
	struct jline *v = j->lines.items;
	struct period p;
	char base[16], a[NUM_BUFSZ], b[NUM_BUFSZ];
	int64_t debits = 0, credits = 0;
	bool known = false;
	int ret;

	/* An id alone may be left from a try that was rolled back (the
	   line index takes it before the insert): posted is stored. */
	if (j->h.id && entry_stored(t, j->h.id))
		return kerr_set(err, K_EINVAL, NULL,
				_("a posted entry is not changed: reverse it"));
	if (j->date == DATE_NONE)
		return kerr_set(err, K_EINVAL, "date", _("the entry has no date"));
	if (blank(j->description))
		return kerr_set(err, K_EINVAL, "description",
				_("the entry has no description"));
	if ((ret = default_text(&j->source, "manual", err)) ||
	    (ret = default_text(&j->series, GL_SERIES, err)))
		return ret;
	for (size_t i = 0; i < NELEM(sources); i++)
		known |= strcmp(j->source, sources[i]) == 0;
	if (!known)
		return kerr_set(err, K_EINVAL, "source",
				_("unknown source \"%s\""), j->source);
	if (j->lines.n < 2)
		return kerr_set(err, K_EINVAL, "lines",
				_("an entry needs at least two lines"));
	if (j->lines.n > GL_MAX_LINES)
		return kerr_set(err, K_EINVAL, "lines",
				_("an entry has at most %d lines"), GL_MAX_LINES);
	memset(&p, 0, sizeof p);
	if ((ret = open_period(t, j->date, &p, err)))
		goto out;
	j->period = p.h.id;
	base_currency(t, base, sizeof base);
	int64_t control[NELEM(controls)];
	for (size_t k = 0; k < NELEM(controls); k++)
		control[k] = strcmp(j->source, controls[k].source) == 0 ? 0 :
			     role_account_or_0(t, controls[k].role);
	for (size_t i = 0; i < j->lines.n; i++) {
		struct jline *l = &v[i];
		struct account acc;

		memset(&acc, 0, sizeof acc);
		if ((ret = line_account(t, i, l->account, &acc, err)))
			goto line_out;
		for (size_t k = 0; k < NELEM(controls); k++) {
			if (control[k] && l->account == control[k]) {
				ret = kerr_set(err, K_EINVAL, "lines",
					       _("line %zu: account %s is the %s"),
					       i + 1, acc.code, _(controls[k].what));
				goto line_out;
			}
		}
		if (l->currency) {
			if ((ret = line_fx(t, base, j->date, i, l, err)))
				goto line_out;
		} else {
			l->rate = 0;
			l->fx_amount = 0;
		}
		if (acc.currency && acc.currency != l->currency) {
			/* The account is kept in one currency. */
			struct currency c;
			memset(&c, 0, sizeof c);
			if (store_get(t, &currency_schema, acc.currency, &c,
				      NULL) == 0 && c.code &&
			    strcmp(c.code, base) == 0 && !l->currency) {
				store_rec_clear(&currency_schema, &c);
			} else {
				ret = kerr_set(err, K_EINVAL, "lines",
					       _("line %zu: account %s is kept in %s only"),
					       i + 1, acc.code,
					       c.code ? c.code : "?");
				store_rec_clear(&currency_schema, &c);
				goto line_out;
			}
		}
		if ((l->debit != 0) == (l->credit != 0)) {
			ret = kerr_set(err, K_EINVAL, "lines",
				       l->debit ?
				       _("line %zu: a line has a debit or a credit, not both") :
				       _("line %zu: no amount"), i + 1);
			goto line_out;
		}
		if (num_add(debits, l->debit, &debits) ||
		    num_add(credits, l->credit, &credits)) {
			ret = kerr_set(err, K_ERANGE, "lines",
				       _("line %zu: the total is out of range"),
				       i + 1);
			goto line_out;
		}
line_out:
		store_rec_clear(&account_schema, &acc);
		if (ret)
			goto out;
	}
	if (debits != credits) {
		ret = kerr_set(err, K_EINVAL, "lines",
			       _("the entry does not balance: debits %s, credits %s"),
			       money(debits, a), money(credits, b));
		goto out;
	}
	if (debits == 0) {
		ret = kerr_set(err, K_EINVAL, "lines",
			       _("the entry moves no money"));
		goto out;
	}
	j->total = debits;
out:
	store_rec_clear(&period_schema, &p);
	return ret;
}

int journal_validate(struct store_txn *t, const struct entity *e, void *rec,
		     struct kerr *err)
{
	(void)e;
	return gl_check(t, rec, err);
}

/* ------------------------------------------------------------ posting */

/* One (account, cost centre) sum of an entry. */
struct delta {
	int64_t account, cost_centre;
	int64_t debit, credit;
};

static int delta_cmp(const void *a, const void *b)
{
	const struct delta *x = a, *y = b;

	if (x->account != y->account)
		return x->account < y->account ? -1 : 1;
	if (x->cost_centre != y->cost_centre)
		return x->cost_centre < y->cost_centre ? -1 : 1;
	return 0;
}

/* Adds debit/credit to the glbal row of (account, period, cost centre). */
static int add_balance(struct store_txn *t, const struct period *p,
		       const struct delta *d, struct kerr *err)
{
	struct glbal probe, row;
	int ret;

	memset(&probe, 0, sizeof probe);
	memset(&row, 0, sizeof row);
	probe.account = d->account;
	probe.pstart = p->start;
	probe.cost_centre = d->cost_centre;
	ret = store_find(t, &glbal_schema, "key", &probe, &row, err);
	if (ret == K_ENOTFOUND) {
		probe.period = p->h.id;
		probe.debit = d->debit;
		probe.credit = d->credit;
		return store_insert(t, &glbal_schema, &probe, err);
	}
	if (ret)
		return ret;
	if (num_add(row.debit, d->debit, &row.debit) ||
	    num_add(row.credit, d->credit, &row.credit))
		ret = kerr_set(err, K_ERANGE, NULL,
			       _("an account's period balance is out of range"));
	else
		ret = store_update(t, &glbal_schema, &row, err);
	store_rec_clear(&glbal_schema, &row);
	return ret;
}

/* Adds the entry's lines to glbal, one row update per (account, cc). */
/*
 * The entry's rows in the line index (jlinex).  The entry is inserted
 * after its apply step, so its id is taken here for the rows to name.
 */
static int add_lines(struct store_txn *t, struct journal *j,
		     struct kerr *err)
{
	const struct jline *l = j->lines.items;
	int ret;

	if (!j->h.id && (ret = store_new_id(t, &journal_schema, &j->h.id, err)))
		return ret;
	for (size_t i = 0; i < j->lines.n; i++) {
		struct jlinex x = {
			.account = l[i].account, .date = j->date,
			.entry = j->h.id, .line = (int64_t)i,
			.debit = l[i].debit, .credit = l[i].credit,
		};
		if ((ret = store_insert(t, &jlinex_schema, &x, err)))
			return ret;
	}
	return 0;
}

static int add_balances(struct store_txn *t, const struct journal *j,
			int sign, struct kerr *err)
{
	const struct jline *v = j->lines.items;
	struct delta *d = calloc(j->lines.n ? j->lines.n : 1, sizeof *d);
	struct period p;
	size_t n = 0;
	int ret;

	if (!d)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	memset(&p, 0, sizeof p);
	if ((ret = store_get(t, &period_schema, j->period, &p, err)))
		goto out;
	for (size_t i = 0; i < j->lines.n; i++) {
		d[n].account = v[i].account;
		d[n].cost_centre = v[i].cost_centre;
		d[n].debit = sign * v[i].debit;
		d[n].credit = sign * v[i].credit;
		n++;
	}
	/* Same order in every writer: fewer conflicts between them. */
	qsort(d, n, sizeof *d, delta_cmp);
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (w && delta_cmp(&d[w - 1], &d[i]) == 0) {
			d[w - 1].debit += d[i].debit;
			d[w - 1].credit += d[i].credit;
		} else {
			d[w++] = d[i];
		}
	}
	for (size_t i = 0; i < w && !ret; i++)
		ret = add_balance(t, &p, &d[i], err);
out:
	store_rec_clear(&period_schema, &p);
	free(d);
	return ret;
}

int journal_apply(struct store_txn *t, const struct entity *e, void *rec,
		  struct kerr *err)
{
	struct journal *j = rec;
	char num[64];
	char *code;
	int ret;

	(void)e;
	if ((ret = series_take(t, j->series, num, sizeof num, err)))
		return ret;
	if (!(code = strdup(num)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	free(j->code);
	j->code = code;
	if ((ret = add_lines(t, j, err)))
		return ret;
	return add_balances(t, j, 1, err);
}

int gl_post(struct store_txn *t, struct journal *j, struct kerr *err)
{
	int ret;

	if ((ret = ent_check(t, &journal_entity, j, err)) ||
	    (ret = ent_apply(t, &journal_entity, j, err)))
		return ret;
	return store_insert(t, &journal_schema, j, err);
}

/* ---------------------------------------------------------- reversing */

static const struct {
	const char *source, *name, *how;
} subledgers[] = {
	{ "ar", N_("receivables"), N_("correct it under Receivables (an invoice by a credit note)") },
	{ "ap", N_("payables"), N_("correct it under Payables (an invoice by a debit note)") },
	{ "fa", N_("fixed assets"), N_("correct it under Fixed assets") },
};

static int reverse_entry(struct store_txn *t, int64_t id, kdate date,
			 const char *subledger, const char *ref,
			 const char *why, struct journal *out,
			 struct kerr *err);

int gl_reverse(struct store_txn *t, int64_t id, kdate date,
	       struct journal *out, struct kerr *err)
{
	return reverse_entry(t, id, date, NULL, NULL, NULL, out, err);
}

int gl_reverse_own(struct store_txn *t, int64_t id, kdate date,
		   const char *source, const char *ref, const char *why,
		   struct journal *out, struct kerr *err)
{
	return reverse_entry(t, id, date, source, ref, why, out, err);
}

/*
 * The mirror entry of id.  subledger NULL: the ledger's own reversal,
 * refused for a subledger's entry; else that subledger reverses its
 * own (the reversal carries its source and ref, so the control account
 * takes it), with `why` in the description.
 */
static int reverse_entry(struct store_txn *t, int64_t id, kdate date,
			 const char *subledger, const char *ref,
			 const char *why, struct journal *out,
			 struct kerr *err)
{
	struct journal o, r;
	char desc[512];
	int ret;

	memset(&o, 0, sizeof o);
	memset(&r, 0, sizeof r);
	if ((ret = store_get(t, &journal_schema, id, &o, err)))
		return ret;
	if (o.reversed_by) {
		struct journal by;
		memset(&by, 0, sizeof by);
		store_get(t, &journal_schema, o.reversed_by, &by, NULL);
		ret = kerr_set(err, K_EINVAL, NULL,
			       _("entry %s is reversed already by %s"), o.code,
			       by.code ? by.code : "?");
		store_rec_clear(&journal_schema, &by);
		goto out;
	}
	if (o.reverses) {
		ret = kerr_set(err, K_EINVAL, NULL,
			       _("entry %s is a reversal; post the entry again instead"),
			       o.code);
		goto out;
	}
	if (subledger && (!o.source || strcmp(o.source, subledger) != 0)) {
		ret = kerr_set(err, K_EINVAL, NULL,
			       _("entry %s was not posted by %s"), o.code,
			       subledger);
		goto out;
	}
	/* A subledger's entry goes with its document: undo it there. */
	for (size_t k = 0; !subledger && k < NELEM(subledgers); k++) {
		if (o.source && strcmp(o.source, subledgers[k].source) == 0) {
			ret = kerr_set(err, K_EINVAL, NULL,
				       _("entry %s was posted by %s for %s: %s"),
				       o.code, _(subledgers[k].name),
				       o.source_ref ? o.source_ref : "?",
				       _(subledgers[k].how));
			goto out;
		}
	}
	if (why && *why)
		snprintf(desc, sizeof desc, _("Reversal of %s: %s (%s)"),
			 o.code, o.description ? o.description : "", why);
	else
		snprintf(desc, sizeof desc, _("Reversal of %s: %s"), o.code,
			 o.description ? o.description : "");
	r.date = date == DATE_NONE ? o.date : date;
	if (!(r.description = strdup(desc)) ||
	    !(r.series = dup_or_null(o.series)) ||
	    !(r.source = strdup(subledger ? subledger : "reversal")) ||
	    !(r.source_ref = strdup(subledger && ref ? ref : o.code)) ||
	    !(r.lines.items = calloc(o.lines.n, sizeof(struct jline)))) {
		ret = kerr_set(err, K_ENOMEM, NULL, NULL);
		goto out;
	}
	r.reverses = o.h.id;
	r.lines.n = o.lines.n;
	const struct jline *ov = o.lines.items;
	struct jline *rv = r.lines.items;
	for (size_t i = 0; i < o.lines.n; i++) {
		rv[i].account = ov[i].account;
		rv[i].debit = ov[i].credit;
		rv[i].credit = ov[i].debit;
		rv[i].party = ov[i].party;
		rv[i].cost_centre = ov[i].cost_centre;
		rv[i].currency = ov[i].currency;
		rv[i].rate = ov[i].rate;
		rv[i].fx_amount = -ov[i].fx_amount;
		if (!(rv[i].memo = dup_or_null(ov[i].memo))) {
			if (ov[i].memo) {
				ret = kerr_set(err, K_ENOMEM, NULL, NULL);
				goto out;
			}
		}
		/* The base amounts stay as posted, whatever today's rate. */
		if (rv[i].currency)
			rv[i].rate = ov[i].rate;
	}
	if ((ret = gl_post(t, &r, err)))
		goto out;
	o.reversed_by = r.h.id;
	if ((ret = store_update(t, &journal_schema, &o, err)))
		goto out;
	if (out) {
		*out = r;
		memset(&r, 0, sizeof r);
	}
out:
	store_rec_clear(&journal_schema, &o);
	store_rec_clear(&journal_schema, &r);
	return ret;
}

struct reverse_arg {
	int64_t id;
	struct journal out;
};

static int reverse_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct reverse_arg *a = arg;

	store_rec_clear(&journal_schema, &a->out);
	return gl_reverse(t, a->id, DATE_NONE, &a->out, err);
}

int journal_reverse(struct store *st, const struct entity *e, void *rec,
		    char *msg, size_t n, struct kerr *err)
{
	struct journal *j = rec;
	struct reverse_arg a;
	int ret;

	(void)e;
	memset(&a, 0, sizeof a);
	a.id = j->h.id;
	if (!a.id)
		return kerr_set(err, K_EINVAL, NULL,
				_("the entry is not posted yet"));
	if ((ret = store_write(st, reverse_fn, &a, err)))
		return ret;
	if (msg && n)
		snprintf(msg, n, _("Entry %s reversed by %s"),
			 j->code ? j->code : "", a.out.code);
	/* The screen shows the original, now marked as reversed. */
	j->reversed_by = a.out.h.id;
	store_rec_clear(&journal_schema, &a.out);
	return 0;
}

/* ---------------------------------------------------------- balances */

/* Account id and every account below it, into *ids (grown). */
static int subtree(struct store_txn *t, int64_t id, int64_t **ids, size_t *n,
		   size_t *cap, struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct account a;
	int ret;

	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		int64_t *p = realloc(*ids, nc * sizeof *p);
		if (!p)
			return kerr_set(err, K_ENOMEM, NULL, NULL);
		*ids = p;
		*cap = nc;
	}
	(*ids)[(*n)++] = id;
	memset(&a, 0, sizeof a);
	a.parent = id;
	if ((ret = store_cursor_open(t, &account_schema, "parent", &c, err)))
		return ret;
	/* Children share the key prefix "parent". */
	ret = store_cursor_seek_rec(c, &a, &a, err);
	while (ret == 0 && a.parent == id) {
		int64_t child = a.h.id;
		bool heading = !a.postable;
		if (heading) {
			if ((ret = subtree(t, child, ids, n, cap, err)))
				break;
		} else {
			if (*n == *cap) {
				size_t nc = *cap * 2;
				int64_t *p = realloc(*ids, nc * sizeof *p);
				if (!p) {
					ret = kerr_set(err, K_ENOMEM, NULL,
						       NULL);
					break;
				}
				*ids = p;
				*cap = nc;
			}
			(*ids)[(*n)++] = child;
		}
		ret = store_cursor_next(c, &a, err);
	}
	store_rec_clear(&account_schema, &a);
	store_cursor_close(&c);
	return ret == K_ENOTFOUND ? 0 : ret;
}

/* Adds account id's glbal rows into *s (pstart bounds inclusive). */
static int sum_account(struct store_txn *t, int64_t id, kdate from,
		       kdate to, int64_t cc, struct gl_sum *s,
		       struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct glbal row;
	int ret;

	memset(&row, 0, sizeof row);
	row.account = id;
	row.pstart = DATE_NONE;
	if ((ret = store_cursor_open(t, &glbal_schema, "key", &c, err)))
		return ret;
	ret = store_cursor_seek_rec(c, &row, &row, err);
	while (ret == 0 && row.account == id) {
		if (row.pstart > to)
			break;
		if (cc < 0 || row.cost_centre == cc) {
			if (from != DATE_NONE && row.pstart < from) {
				s->opening += row.debit - row.credit;
			} else {
				s->debit += row.debit;
				s->credit += row.credit;
			}
		}
		ret = store_cursor_next(c, &row, err);
	}
	store_rec_clear(&glbal_schema, &row);
	store_cursor_close(&c);
	return ret == K_ENOTFOUND ? 0 : ret;
}

int gl_balance(struct store_txn *t, int64_t account, kdate from, kdate to,
	       int64_t cost_centre, struct gl_sum *out, struct kerr *err)
{
	struct period p;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	kdate pfrom = DATE_NONE, pto = INT32_MAX;
	int ret;

	memset(out, 0, sizeof *out);
	memset(&p, 0, sizeof p);
	/* Rounded out to whole periods: rows are kept per period. */
	if (from != DATE_NONE) {
		if (period_find(t, from, &p, NULL) == 0)
			pfrom = p.start;
		else
			pfrom = from;
	}
	if (to != DATE_NONE) {
		if (period_find(t, to, &p, NULL) == 0)
			pto = p.start;
		else
			pto = to;
	}
	store_rec_clear(&period_schema, &p);
	if ((ret = subtree(t, account, &ids, &n, &cap, err)))
		goto out;
	for (size_t i = 0; i < n && !ret; i++)
		ret = sum_account(t, ids[i], pfrom, pto, cost_centre, out, err);
	out->closing = out->opening + out->debit - out->credit;
out:
	free(ids);
	return ret;
}

/* ------------------------------------------------------------- roles */

int glrole_validate(struct store_txn *t, const struct entity *e, void *rec,
		    struct kerr *err)
{
	struct glrole *r = rec;
	struct account a;
	bool known = false;
	int ret;

	(void)e;
	for (size_t i = 0; r->code && i < gl_nroles; i++)
		known |= strcmp(r->code, gl_roles[i].name) == 0;
	if (!known) {
		char list[512];
		size_t o = 0;
		list[0] = 0;
		for (size_t i = 0; i < gl_nroles && o < sizeof list; i++)
			o += (size_t)snprintf(list + o, sizeof list - o, "%s%s",
					      i ? ", " : "", gl_roles[i].name);
		return kerr_set(err, K_EINVAL, "code",
				_("unknown role \"%s\"; the roles are %s"),
				r->code ? r->code : "", list);
	}
	if (!r->account)
		return kerr_set(err, K_EINVAL, "account",
				_("role %s needs an account"), r->code);
	memset(&a, 0, sizeof a);
	if ((ret = store_get(t, &account_schema, r->account, &a, err)))
		return ret == K_ENOTFOUND ?
			kerr_set(err, K_ENOTFOUND, "account",
				 _("the account no longer exists")) : ret;
	if (!a.postable)
		ret = kerr_set(err, K_EINVAL, "account",
			       _("account %s is a heading; a role needs an account entries post to"),
			       a.code);
	store_rec_clear(&account_schema, &a);
	return ret;
}

int gl_role_account(struct store_txn *t, const char *role, int64_t *account,
		    struct kerr *err)
{
	struct glrole r;
	int ret;

	memset(&r, 0, sizeof r);
	ret = store_find_text(t, &glrole_schema, "code", role, &r, err);
	if (ret == 0 && !r.account)
		ret = K_ENOTFOUND;
	if (ret == 0)
		*account = r.account;
	store_rec_clear(&glrole_schema, &r);
	if (ret == K_ENOTFOUND)
		return kerr_set(err, K_ENOTFOUND, NULL,
				_("no account for role %s: set it under Finance setup > Account roles"),
				role);
	return ret;
}

/* --------------------------------------------------------- templates */

int jtemplate_validate(struct store_txn *t, const struct entity *e,
		       void *rec, struct kerr *err)
{
	struct jtemplate *tp = rec;
	const struct jline *v = tp->lines.items;
	int64_t d = 0, c = 0;
	char a[NUM_BUFSZ], b[NUM_BUFSZ];
	int ret;

	(void)e;
	if (blank(tp->code))
		return kerr_set(err, K_EINVAL, "code", _("no code"));
	if (blank(tp->description))
		return kerr_set(err, K_EINVAL, "description",
				_("no description"));
	if (tp->day < 1 || tp->day > 31)
		return kerr_set(err, K_EINVAL, "day",
				_("day must be 1 to 31"));
	if (tp->start == DATE_NONE)
		return kerr_set(err, K_EINVAL, "start",
				_("the first month is required"));
	if (tp->end != DATE_NONE && tp->end < tp->start)
		return kerr_set(err, K_EINVAL, "end",
				_("the last month is before the first"));
	if (!tp->status || (strcmp(tp->status, "active") != 0 &&
			    strcmp(tp->status, "blocked") != 0))
		return kerr_set(err, K_EINVAL, "status",
				_("status must be active or blocked"));
	if (tp->lines.n < 2)
		return kerr_set(err, K_EINVAL, "lines",
				_("a recurring entry needs at least two lines"));
	for (size_t i = 0; i < tp->lines.n; i++) {
		struct account acc;
		memset(&acc, 0, sizeof acc);
		ret = line_account(t, i, v[i].account, &acc, err);
		store_rec_clear(&account_schema, &acc);
		if (ret)
			return ret;
		if ((v[i].debit != 0) == (v[i].credit != 0))
			return kerr_set(err, K_EINVAL, "lines",
					_("line %zu: a line has a debit or a credit, not both"),
					i + 1);
		d += v[i].debit;
		c += v[i].credit;
	}
	if (d != c)
		return kerr_set(err, K_EINVAL, "lines",
				_("the entry does not balance: debits %s, credits %s"),
				money(d, a), money(c, b));
	return 0;
}

struct recur {
	const char *period;
	int posted, skipped;
};

int gl_find_source(struct store_txn *t, const char *source_ref, int64_t *id,
		   struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct journal j;
	int ret;

	memset(&j, 0, sizeof j);
	if ((ret = store_cursor_open(t, &journal_schema, "source_ref", &c, err)))
		return ret;
	ret = store_cursor_seek(c, source_ref, true, &j, err);
	if (ret == 0 && j.source_ref && strcmp(j.source_ref, source_ref) != 0)
		ret = K_ENOTFOUND;
	if (ret == 0 && id)
		*id = j.h.id;
	store_cursor_close(&c);
	store_rec_clear(&journal_schema, &j);
	if (ret == K_ENOTFOUND)
		return kerr_set(err, K_ENOTFOUND, NULL,
				_("no entry was posted by %s"), source_ref);
	return ret;
}

/* Has an entry with this source_ref been posted? */
static int posted_ref(struct store_txn *t, const char *ref, bool *yes,
		      struct kerr *err)
{
	int ret = gl_find_source(t, ref, NULL, err);

	*yes = ret == 0;
	return ret == K_ENOTFOUND ? 0 : ret;
}

static int recur_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct recur *r = arg;
	struct store_cursor *c = NULL;
	struct jtemplate tp;
	struct period p;
	int ret;

	r->posted = r->skipped = 0;
	memset(&p, 0, sizeof p);
	memset(&tp, 0, sizeof tp);
	ret = store_find_text(t, &period_schema, "code", r->period, &p, err);
	if (ret == K_ENOTFOUND)
		ret = kerr_set(err, K_ENOTFOUND, "period",
			       _("no period %s"), r->period);
	if (ret)
		goto out;
	if (strcmp(p.status, "open") != 0) {
		ret = kerr_set(err, K_EINVAL, "period", _("period %s is closed"),
			       p.code);
		goto out;
	}
	if ((ret = store_cursor_open(t, &jtemplate_schema, "code", &c, err)))
		goto out;
	for (;;) {
		char ref[128];
		bool done;
		if ((ret = store_cursor_next(c, &tp, err))) {
			if (ret == K_ENOTFOUND)         /* the last one done */
				ret = 0;
			break;
		}
		kdate first = tp.start, last = tp.end;

		/* Its months: from first's to last's (any day in them). */
		if (strcmp(tp.status, "active") != 0 || first > p.end ||
		    (last != DATE_NONE && date_month_end(last) < p.start))
			continue;
		snprintf(ref, sizeof ref, "TPL %s %s", tp.code, p.code);
		if ((ret = posted_ref(t, ref, &done, err)))
			break;
		if (done) {
			r->skipped++;
			continue;
		}
		struct journal j;
		memset(&j, 0, sizeof j);
		int y, m, d;
		date_to_ymd(p.start, &y, &m, &d);
		kdate day = p.start + (kdate)tp.day - 1;
		if (day > date_month_end(p.start))
			day = date_month_end(p.start);
		j.date = day;
		j.description = tp.description;
		j.source = (char *)"recurring";
		j.source_ref = ref;
		j.lines = tp.lines;
		/* gl_post may set fields: it gets its own copy. */
		struct journal cp;
		memset(&cp, 0, sizeof cp);
		if ((ret = store_rec_copy(&journal_schema, &cp, &j))) {
			ret = kerr_set(err, ret, NULL, NULL);
			break;
		}
		ret = gl_post(t, &cp, err);
		if (ret) {
			char msg[sizeof err->msg];
			snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
			ret = kerr_set(err, ret, err ? err->field : NULL,
				       _("recurring entry %s: %s"), tp.code,
				       msg);
		}
		store_rec_clear(&journal_schema, &cp);
		if (ret)
			break;
		r->posted++;
	}
out:
	store_cursor_close(&c);
	store_rec_clear(&jtemplate_schema, &tp);
	store_rec_clear(&period_schema, &p);
	return ret;
}

int gl_recur_run(struct store *st, const char *period_code, int *posted,
		 int *skipped, struct kerr *err)
{
	struct recur r = { period_code, 0, 0 };
	int ret = store_write(st, recur_fn, &r, err);

	if (posted)
		*posted = ret ? 0 : r.posted;
	if (skipped)
		*skipped = ret ? 0 : r.skipped;
	return ret;
}

/* ------------------------------------------------------------ closing */

struct pstat {
	const char *code;
	const char *to;         /* "closed" | "open" */
};

static int pstat_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct pstat *a = arg;
	struct period p;
	struct fyear y;
	int ret;

	memset(&p, 0, sizeof p);
	memset(&y, 0, sizeof y);
	ret = store_find_text(t, &period_schema, "code", a->code, &p, err);
	if (ret == K_ENOTFOUND)
		ret = kerr_set(err, K_ENOTFOUND, "period", _("no period %s"),
			       a->code);
	if (ret)
		goto out;
	if (strcmp(p.status, a->to) == 0) {
		ret = kerr_set(err, K_EINVAL, "status",
			       _("period %s is %s already"), p.code, a->to);
		goto out;
	}
	if ((ret = store_get(t, &fyear_schema, p.fyear, &y, err)))
		goto out;
	if (strcmp(a->to, "open") == 0 && strcmp(y.status, "open") != 0) {
		ret = kerr_set(err, K_EINVAL, "status",
			       _("fiscal year %s is closed; open the year first"),
			       y.code);
		goto out;
	}
	/* The order rule is the period's own (period_validate). */
	char *s = strdup(a->to);
	if (!s) {
		ret = kerr_set(err, K_ENOMEM, NULL, NULL);
		goto out;
	}
	free(p.status);
	p.status = s;
	if ((ret = ent_check(t, &period_entity, &p, err)) == 0)
		ret = store_update(t, &period_schema, &p, err);
out:
	store_rec_clear(&period_schema, &p);
	store_rec_clear(&fyear_schema, &y);
	return ret;
}

int gl_close_period(struct store *st, const char *code, struct kerr *err)
{
	struct pstat a = { code, "closed" };

	return store_write(st, pstat_fn, &a, err);
}

int gl_reopen_period(struct store *st, const char *code, struct kerr *err)
{
	struct pstat a = { code, "open" };

	return store_write(st, pstat_fn, &a, err);
}

struct yclose {
	const char *code;
	int fy_start_month;
	int entries;
	int next_year;           /* to create after, 0 none */
	int next_month;          /* the month it starts in */
};

/* Appends a line to j (lines grown by doubling). */
static int add_line(struct journal *j, size_t *cap, int64_t account,
		    int64_t amount, const char *memo, struct kerr *err)
{
	struct jline *v;

	if (j->lines.n == *cap) {
		size_t nc = *cap ? *cap * 2 : 32;
		v = realloc(j->lines.items, nc * sizeof *v);
		if (!v)
			return kerr_set(err, K_ENOMEM, NULL, NULL);
		j->lines.items = v;
		*cap = nc;
	}
	v = (struct jline *)j->lines.items + j->lines.n;
	memset(v, 0, sizeof *v);
	v->account = account;
	if (amount >= 0)
		v->debit = amount;
	else
		v->credit = -amount;
	if (memo && !(v->memo = strdup(memo)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	j->lines.n++;
	return 0;
}

static int yclose_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct yclose *a = arg;
	struct fyear y;
	struct account acc;
	struct store_cursor *c = NULL;
	struct journal j1, j2;
	int64_t profit_acc, retained_acc, profit = 0;
	size_t cap = 0, cap2 = 0;
	char ref[64];
	int ret;

	a->entries = 0;
	a->next_year = 0;
	memset(&y, 0, sizeof y);
	memset(&acc, 0, sizeof acc);
	memset(&j1, 0, sizeof j1);
	memset(&j2, 0, sizeof j2);
	ret = store_find_text(t, &fyear_schema, "code", a->code, &y, err);
	if (ret == K_ENOTFOUND)
		ret = kerr_set(err, K_ENOTFOUND, "fyear",
			       _("no fiscal year %s"), a->code);
	if (ret)
		goto out;
	if (strcmp(y.status, "open") != 0) {
		ret = kerr_set(err, K_EINVAL, "fyear",
			       _("fiscal year %s is closed already"), y.code);
		goto out;
	}
	if ((ret = gl_role_account(t, "profit", &profit_acc, err)) ||
	    (ret = gl_role_account(t, "retained", &retained_acc, err)))
		goto out;
	/* 1. Income and expense accounts to zero against profit. */
	if ((ret = store_cursor_open(t, &account_schema, "code", &c, err)))
		goto out;
	while ((ret = store_cursor_next(c, &acc, err)) == 0) {
		struct gl_sum s;
		if (!acc.postable || !acc.type ||
		    (strcmp(acc.type, "income") != 0 &&
		     strcmp(acc.type, "expense") != 0))
			continue;
		if ((ret = gl_balance(t, acc.h.id, y.start, y.end, -1, &s,
				      err)))
			break;
		/* What the year did, plus anything left from before. */
		int64_t bal = s.closing;
		if (bal == 0)
			continue;
		if ((ret = add_line(&j1, &cap, acc.h.id, -bal, NULL, err)))
			break;
		profit += bal;
	}
	store_cursor_close(&c);
	if (ret != K_ENOTFOUND)
		goto out;
	ret = 0;
	if (j1.lines.n) {
		if ((ret = add_line(&j1, &cap, profit_acc, profit, NULL, err)))
			goto out;
		snprintf(ref, sizeof ref, "CLOSE %s", y.code);
		j1.date = y.end;
		if (!(j1.description = strdup(_("Year-end close: income and expenses to profit of the year"))) ||
		    !(j1.source = strdup("close")) ||
		    !(j1.source_ref = strdup(ref))) {
			ret = kerr_set(err, K_ENOMEM, NULL, NULL);
			goto out;
		}
		if ((ret = gl_post(t, &j1, err)))
			goto out;
		a->entries++;
	}
	/* 2. The profit of the year (whatever else was posted to it this
	      year too) to retained earnings. */
	struct gl_sum ps;
	if ((ret = gl_balance(t, profit_acc, DATE_NONE, y.end, -1, &ps, err)))
		goto out;
	if (ps.closing != 0 && profit_acc != retained_acc) {
		if ((ret = add_line(&j2, &cap2, profit_acc, -ps.closing, NULL,
				    err)) ||
		    (ret = add_line(&j2, &cap2, retained_acc, ps.closing, NULL,
				    err)))
			goto out;
		snprintf(ref, sizeof ref, "RETAIN %s", y.code);
		j2.date = y.end;
		if (!(j2.description = strdup(_("Year-end close: profit of the year to retained earnings"))) ||
		    !(j2.source = strdup("close")) ||
		    !(j2.source_ref = strdup(ref))) {
			ret = kerr_set(err, K_ENOMEM, NULL, NULL);
			goto out;
		}
		if ((ret = gl_post(t, &j2, err)))
			goto out;
		a->entries++;
	}
	/* 3. Every period of the year closed, then the year. */
	struct period p;
	memset(&p, 0, sizeof p);
	p.fyear = y.h.id;
	if ((ret = store_cursor_open(t, &period_schema, "fyear", &c, err)))
		goto out;
	ret = store_cursor_seek_rec(c, &p, &p, err);
	while (ret == 0 && p.fyear == y.h.id) {
		if (strcmp(p.status, "closed") != 0) {
			char *s = strdup("closed");
			if (!s) {
				ret = kerr_set(err, K_ENOMEM, NULL, NULL);
				break;
			}
			free(p.status);
			p.status = s;
			if ((ret = store_update(t, &period_schema, &p, err)))
				break;
		}
		ret = store_cursor_next(c, &p, err);
	}
	store_rec_clear(&period_schema, &p);
	store_cursor_close(&c);
	if (ret && ret != K_ENOTFOUND)
		goto out;
	char *s = strdup("closed");
	if (!s) {
		ret = kerr_set(err, K_ENOMEM, NULL, NULL);
		goto out;
	}
	free(y.status);
	y.status = s;
	if ((ret = store_update(t, &fyear_schema, &y, err)))
		goto out;
	/* 4. The next year, when there is none yet. */
	struct period next;
	memset(&next, 0, sizeof next);
	if (period_find(t, y.end + 1, &next, NULL) != 0) {
		int yy, mm, dd;
		date_to_ymd(y.end + 1, &yy, &mm, &dd);
		a->next_year = yy;
		a->next_month = mm;
	}
	store_rec_clear(&period_schema, &next);
out:
	store_cursor_close(&c);
	store_rec_clear(&account_schema, &acc);
	store_rec_clear(&fyear_schema, &y);
	store_rec_clear(&journal_schema, &j1);
	store_rec_clear(&journal_schema, &j2);
	return ret;
}

int gl_close_year(struct store *st, const char *code, int fy_start_month,
		  int *entries, struct kerr *err)
{
	struct yclose a = { code, fy_start_month, 0, 0, 0 };
	int ret = store_write(st, yclose_fn, &a, err);

	if (entries)
		*entries = ret ? 0 : a.entries;
	if (ret)
		return ret;
	if (fy_start_month < 1)         /* the next year starts as this one */
		fy_start_month = a.next_month;
	/* The next year in its own transaction: a year once closed stays
	   closed even if creating the next one fails (it can be made by
	   hand with kontor period create). */
	if (a.next_year && (ret = period_create_year(st, a.next_year,
						     fy_start_month, err)) &&
	    ret == K_EEXIST)
		ret = 0;
	return ret;
}

int fyear_close_books(struct store *st, const struct entity *e, void *rec,
		      char *msg, size_t n, struct kerr *err)
{
	struct fyear *y = rec;
	int entries = 0, ret;

	(void)e;
	if ((ret = gl_close_year(st, y->code, 0, &entries, err)))
		return ret;
	/* The screen shows the year as it is now. */
	char *s = strdup("closed");
	if (s) {
		free(y->status);
		y->status = s;
	}
	if (msg && n)
		snprintf(msg, n, _("Fiscal year %s closed with %d closing entries"),
			 y->code, entries);
	return 0;
}

/* ------------------------------------------------------------ verify */

struct vsum {
	int64_t account, cost_centre;
	kdate pstart;
	int64_t debit, credit;
};

struct verify {
	void (*report)(void *arg, const char *msg);
	void *arg;
	unsigned problems;
	struct vsum *v;
	size_t n, cap;
};

static int vsum_cmp(const void *a, const void *b)
{
	const struct vsum *x = a, *y = b;

	if (x->account != y->account)
		return x->account < y->account ? -1 : 1;
	if (x->pstart != y->pstart)
		return x->pstart < y->pstart ? -1 : 1;
	if (x->cost_centre != y->cost_centre)
		return x->cost_centre < y->cost_centre ? -1 : 1;
	return 0;
}

static void problem(struct verify *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct verify *v, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	v->problems++;
	if (v->report)
		v->report(v->arg, msg);
}

static int vadd(struct verify *v, const struct vsum *s, struct kerr *err)
{
	if (v->n == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 1024;
		struct vsum *p = realloc(v->v, nc * sizeof *p);
		if (!p)
			return kerr_set(err, K_ENOMEM, NULL, NULL);
		v->v = p;
		v->cap = nc;
	}
	v->v[v->n++] = *s;
	return 0;
}

/* Folds equal keys of v->v (sorted) together. */
static void vfold(struct verify *v)
{
	size_t w = 0;

	qsort(v->v, v->n, sizeof *v->v, vsum_cmp);
	for (size_t i = 0; i < v->n; i++) {
		if (w && vsum_cmp(&v->v[w - 1], &v->v[i]) == 0) {
			v->v[w - 1].debit += v->v[i].debit;
			v->v[w - 1].credit += v->v[i].credit;
		} else {
			v->v[w++] = v->v[i];
		}
	}
	v->n = w;
}

/* The code of account id, for messages ("#ID" when it is gone). */
static const char *acode(struct store_txn *t, int64_t id, char *buf, size_t n)
{
	struct account a;

	memset(&a, 0, sizeof a);
	if (store_get(t, &account_schema, id, &a, NULL) == 0 && a.code)
		snprintf(buf, n, "%s", a.code);
	else
		snprintf(buf, n, "#%" PRId64, id);
	store_rec_clear(&account_schema, &a);
	return buf;
}

/*
 * The line index against the entries: every row is a line of its entry
 * as posted, and there are as many rows as lines.
 */
static int verify_lines(struct store_txn *t, struct verify *v,
			uint64_t nlines, struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct jlinex x;
	struct journal j;
	uint64_t rows = 0;
	char ac[64];
	int ret;

	memset(&x, 0, sizeof x);
	memset(&j, 0, sizeof j);
	if ((ret = store_cursor_open(t, &jlinex_schema, NULL, &c, err)))
		return ret;
	while ((ret = store_cursor_next(c, &x, err)) == 0) {
		rows++;
		if (j.h.id != x.entry) {
			store_rec_clear(&journal_schema, &j);
			if ((ret = store_get(t, &journal_schema, x.entry, &j,
					     err)) == K_ENOTFOUND) {
				kerr_clear(err);
				problem(v, _("line index row %" PRId64 ": entry #%" PRId64 " does not exist"),
					x.h.id, x.entry);
				continue;
			}
			if (ret)
				break;
		}
		const struct jline *l = j.lines.items;
		if (x.line < 0 || (uint64_t)x.line >= j.lines.n ||
		    l[x.line].account != x.account || x.date != j.date ||
		    l[x.line].debit != x.debit || l[x.line].credit != x.credit)
			problem(v, _("line index row %" PRId64 " (account %s) is not line %" PRId64 " of entry %s as posted"),
				x.h.id, acode(t, x.account, ac, sizeof ac),
				x.line + 1, j.code ? j.code : "?");
	}
	store_cursor_close(&c);
	store_rec_clear(&jlinex_schema, &x);
	store_rec_clear(&journal_schema, &j);
	if (ret != K_ENOTFOUND)
		return ret;
	kerr_clear(err);
	if (rows != nlines)
		problem(v, _("the line index has %" PRIu64 " rows, the entries %" PRIu64 " lines"),
			rows, nlines);
	return 0;
}

static int verify_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	char ac[64];
	struct verify *v = arg;
	struct store_cursor *c = NULL;
	struct journal j;
	struct glbal row;
	struct period p;
	char a[NUM_BUFSZ], b[NUM_BUFSZ], a2[NUM_BUFSZ], b2[NUM_BUFSZ];
	char ds[DATE_BUFSZ];
	int64_t last_period = 0;
	kdate last_start = DATE_NONE;
	uint64_t nlines = 0;
	int ret;

	v->problems = 0;
	v->n = 0;
	memset(&j, 0, sizeof j);
	memset(&row, 0, sizeof row);
	memset(&p, 0, sizeof p);
	/* The entries: each balanced, their lines summed per key.  Memory
	   grows with (accounts x periods x cost centres), not lines. */
	if ((ret = store_cursor_open(t, &journal_schema, "period", &c, err)))
		return ret;
	while ((ret = store_cursor_next(c, &j, err)) == 0) {
		const struct jline *l = j.lines.items;
		int64_t d = 0, cr = 0;
		if (j.period != last_period) {
			if ((ret = store_get(t, &period_schema, j.period, &p,
					     err)))
				break;
			last_period = j.period;
			last_start = p.start;
		}
		for (size_t i = 0; i < j.lines.n; i++) {
			struct vsum s = { l[i].account, l[i].cost_centre,
					  last_start, l[i].debit,
					  l[i].credit };
			d += l[i].debit;
			cr += l[i].credit;
			if ((ret = vadd(v, &s, err)))
				break;
		}
		if (ret)
			break;
		nlines += j.lines.n;
		if (d != cr || d != j.total)
			problem(v, _("entry %s does not balance: debits %s, credits %s"),
				j.code, money(d, a), money(cr, b));
		if (v->n > 65536)
			vfold(v);
	}
	store_cursor_close(&c);
	if (ret != K_ENOTFOUND)
		goto out;
	vfold(v);
	/* The balance rows, key order = the sorted sums' order. */
	if ((ret = store_cursor_open(t, &glbal_schema, "key", &c, err)))
		goto out;
	size_t i = 0;
	bool have = (ret = store_cursor_next(c, &row, err)) == 0;
	if (ret && ret != K_ENOTFOUND)
		goto out;
	ret = 0;
	while (have || i < v->n) {
		struct vsum r = { row.account, row.cost_centre, row.pstart,
				  row.debit, row.credit };
		int cmp = !have ? 1 : i >= v->n ? -1 : vsum_cmp(&r, &v->v[i]);
		if (cmp > 0) {
			problem(v, _("account %s, period from %s: entries post debit %s credit %s, no balance row"),
				acode(t, v->v[i].account, ac, sizeof ac),
				date_format(v->v[i].pstart, ds, sizeof ds),
				money(v->v[i].debit, a),
				money(v->v[i].credit, b));
			i++;
			continue;
		}
		if (cmp == 0) {
			if (r.debit != v->v[i].debit ||
			    r.credit != v->v[i].credit)
				problem(v, _("account %s, period from %s: balance table says debit %s credit %s, the entries debit %s credit %s"),
					acode(t, r.account, ac, sizeof ac),
					date_format(r.pstart, ds, sizeof ds),
					money(r.debit, a), money(r.credit, b),
					money(v->v[i].debit, a2),
					money(v->v[i].credit, b2));
			i++;
		} else if (r.debit || r.credit) {
			problem(v, _("account %s, period from %s: balance table has debit %s credit %s, no entries"),
				acode(t, r.account, ac, sizeof ac),
				date_format(r.pstart, ds, sizeof ds),
				money(r.debit, a), money(r.credit, b));
		}
		ret = store_cursor_next(c, &row, err);
		if (ret && ret != K_ENOTFOUND)
			goto out;
		have = ret == 0;
		ret = 0;
	}
	store_cursor_close(&c);
	ret = verify_lines(t, v, nlines, err);
out:
	store_cursor_close(&c);
	store_rec_clear(&journal_schema, &j);
	store_rec_clear(&glbal_schema, &row);
	store_rec_clear(&period_schema, &p);
	return ret;
}

int gl_verify(struct store *st, void (*report)(void *arg, const char *msg),
	      void *arg, unsigned *problems, struct kerr *err)
{
	struct verify v;
	int ret;

	memset(&v, 0, sizeof v);
	v.report = report;
	v.arg = arg;
	ret = store_read(st, verify_fn, &v, err);
	free(v.v);
	if (problems)
		*problems = v.problems;
	return ret;
}
