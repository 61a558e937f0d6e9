/*
 * arap_reports.c - the receivables and payables reports: aging as of a
 * date, the customer (and supplier) statement, and the dunning letters.
 *
 *   ar-aging, ap-aging   one row a party with an open balance as of the
 *                        date, in party-id order of the items' "party"
 *                        index (party, date): buckets by days past due
 *                        (current: not yet due, 1-30, 31-60, 61-90,
 *                        over 90) and the unapplied credits apart
 *   customer-statement,  one party's documents and money from a date
 *   supplier-statement   to a date, merged in date order from the two
 *                        tables' "party" indexes, with the opening
 *                        balance, a running balance and the closing one;
 *                        without a party, every party's with anything to
 *                        show, in code order, a group each
 *   dunning              the letters of a dunning run: one group a
 *                        customer with an item raised on that date,
 *                        listing every overdue item with its level
 *
 * Amounts as of a day are the items' amounts less the allocations
 * dated up to that day (sl_item_open_asof), so a report for a past date
 * shows what was open then.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "finance/arap_reports.h"
#include "finance/sl_int.h"

/* A date parameter ("today" or ISO; def when empty). */
static kdate param_date(const struct rparams *p, const char *name, kdate def)
{
	const char *v = rparam(p, name);
	kdate d;

	if (!*v)
		return def;
	if (strcmp(v, "today") == 0)
		return date_today();
	return date_parse(v, &d, NULL) ? def : d;
}

/* The id of the party named by parameter name (0: none given). */
static int param_party(struct store_txn *t, const struct rparams *p,
		       const char *name, int64_t *id, struct kerr *err)
{
	const char *v = rparam(p, name);
	struct party rec;
	int ret;

	*id = 0;
	if (!*v)
		return 0;
	memset(&rec, 0, sizeof rec);
	ret = store_find_text(t, &party_schema, "code", v, &rec, err);
	if (ret == K_ENOTFOUND)
		kerr_set(err, ret, name, _("no party with code %s"), v);
	*id = rec.h.id;
	store_rec_clear(&party_schema, &rec);
	return ret;
}

/* ---------------------------------------------------------------- aging */

enum { AG_CODE, AG_NAME, AG_CURRENT, AG_30, AG_60, AG_90, AG_OVER,
       AG_CREDIT, AG_TOTAL, AG_N };

static const struct rparam aging_params[] = {
	{ "as_of", N_("As of"), RP_DATE, NULL, NULL, "today", false },
	{ "party", N_("Party"), RP_REF, "party", NULL, NULL, false },
};

static const struct rcol aging_cols[AG_N] = {
	{ "party", N_("Party"), 8, RA_LEFT, RF_TEXT, false },
	{ "name", N_("Name"), 20, RA_LEFT, RF_TEXT, false },
	{ "current", N_("Current"), 13, RA_RIGHT, RF_AMOUNT, true },
	{ "days_1_30", N_("1-30"), 13, RA_RIGHT, RF_AMOUNT, true },
	{ "days_31_60", N_("31-60"), 13, RA_RIGHT, RF_AMOUNT, true },
	{ "days_61_90", N_("61-90"), 13, RA_RIGHT, RF_AMOUNT, true },
	{ "over_90", N_("Over 90"), 13, RA_RIGHT, RF_AMOUNT, true },
	{ "unapplied", N_("Unapplied"), 13, RA_RIGHT, RF_AMOUNT, true },
	{ "total", N_("Total"), 14, RA_RIGHT, RF_AMOUNT, true },
};

/* The bucket of an amount due on `due` seen on asof (AG_CURRENT..). */
int arap_aging_bucket(kdate due, kdate asof)
{
	int64_t days = (int64_t)asof - due;

	if (days <= 0)
		return AG_CURRENT;
	if (days <= 30)
		return AG_30;
	if (days <= 60)
		return AG_60;
	if (days <= 90)
		return AG_90;
	return AG_OVER;
}

/* Emits the row of party with sums v (when any is non-zero). */
static int aging_row(struct store_txn *t, int64_t party, const int64_t *v,
		     remit_fn emit, void *arg, struct kerr *err)
{
	struct rcell cells[AG_N];
	struct party p;
	bool any = false;
	int ret;

	for (int i = AG_CURRENT; i < AG_N; i++)
		any |= v[i] != 0;
	if (!any)
		return 0;
	memset(&p, 0, sizeof p);
	if ((ret = store_get(t, &party_schema, party, &p, err)))
		return ret;
	cells[AG_CODE] = rcell_text(p.code);
	cells[AG_NAME] = rcell_text(p.name);
	for (int i = AG_CURRENT; i < AG_N; i++)
		cells[i] = rcell_num(v[i]);
	struct rrow row = { .cells = cells };
	ret = emit(arg, &row, err);
	store_rec_clear(&party_schema, &p);
	return ret;
}

static int aging_source(struct store_txn *t, const struct sl_ledger *L,
			const struct rparams *p, remit_fn emit, void *arg,
			struct kerr *err)
{
	kdate asof = param_date(p, "as_of", date_today());
	struct store_cursor *c = NULL;
	struct openitem it;
	int64_t party = 0, only, v[AG_N];
	char key[32];
	int ret;

	if ((ret = param_party(t, p, "party", &only, err)))
		return ret;
	memset(&it, 0, sizeof it);
	memset(v, 0, sizeof v);
	if ((ret = store_cursor_open(t, L->item, "party", &c, err)))
		return ret;
	if (only) {
		snprintf(key, sizeof key, "%" PRId64, only);
		ret = store_cursor_seek(c, key, true, &it, err);
	} else {
		ret = store_cursor_next(c, &it, err);
	}
	for (; ret == 0; ret = store_cursor_next(c, &it, err)) {
		int64_t open;
		int b;
		if (it.party != party) {
			if (party &&
			    (ret = aging_row(t, party, v, emit, arg, err)))
				break;
			party = it.party;
			memset(v, 0, sizeof v);
		}
		if ((ret = sl_item_open_asof(t, L, &it, asof, &open, err)))
			break;
		if (open == 0)
			continue;
		b = open < 0 ? AG_CREDIT : arap_aging_bucket(it.due, asof);
		v[b] += open;
		v[AG_TOTAL] += open;
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	if (!ret && party)
		ret = aging_row(t, party, v, emit, arg, err);
	store_rec_clear(L->item, &it);
	return ret;
}

static int ar_aging_source(struct store_txn *t, const struct report *r,
			   const struct rparams *p, remit_fn emit, void *arg,
			   struct kerr *err)
{
	(void)r;
	return aging_source(t, &sl_ar, p, emit, arg, err);
}

static int ap_aging_source(struct store_txn *t, const struct report *r,
			   const struct rparams *p, remit_fn emit, void *arg,
			   struct kerr *err)
{
	(void)r;
	return aging_source(t, &sl_ap, p, emit, arg, err);
}

const struct report report_ar_aging = {
	.name = "ar-aging",
	.title = N_("Receivables aging"),
	.perm = "report.ar-aging",
	.params = aging_params,
	.nparams = NELEM(aging_params),
	.cols = aging_cols,
	.ncols = AG_N,
	.wide = true,
	.sorted = N_("by party, in the order the parties were created"),
	.chart = RC_NONE,
	.source = ar_aging_source,
};

const struct report report_ap_aging = {
	.name = "ap-aging",
	.title = N_("Payables aging"),
	.perm = "report.ap-aging",
	.params = aging_params,
	.nparams = NELEM(aging_params),
	.cols = aging_cols,
	.ncols = AG_N,
	.wide = true,
	.sorted = N_("by party, in the order the parties were created"),
	.chart = RC_NONE,
	.source = ap_aging_source,
};

/* ------------------------------------------------------------ statement */

enum { ST_DATE, ST_NUMBER, ST_WHAT, ST_DUE, ST_CHARGE, ST_PAID, ST_BALANCE,
       ST_N };

static const struct rparam statement_params[] = {
	{ "party", N_("Party"), RP_REF, "party", NULL, NULL, false },
	{ "from", N_("From"), RP_DATE, NULL, NULL, NULL, false },
	{ "to", N_("To"), RP_DATE, NULL, NULL, "today", false },
};

static const struct rcol statement_cols[ST_N] = {
	{ "date", N_("Date"), 10, RA_LEFT, RF_DATE, false },
	{ "number", N_("Number"), 13, RA_LEFT, RF_TEXT, false },
	{ "what", N_("Document"), 16, RA_LEFT, RF_TEXT, false },
	{ "due", N_("Due"), 10, RA_LEFT, RF_DATE, false },
	{ "charges", N_("Charges"), 14, RA_RIGHT, RF_AMOUNT, true },
	{ "payments", N_("Payments"), 14, RA_RIGHT, RF_AMOUNT, true },
	{ "balance", N_("Balance"), 15, RA_RIGHT, RF_AMOUNT, false },
};

/* The party's balance as of day d (every item's open amount then). */
static int balance_asof(struct store_txn *t, const struct sl_ledger *L,
			int64_t party, kdate d, int64_t *sum, struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct openitem it;
	char key[32];
	int ret;

	*sum = 0;
	memset(&it, 0, sizeof it);
	if ((ret = store_cursor_open(t, L->item, "party", &c, err)))
		return ret;
	snprintf(key, sizeof key, "%" PRId64, party);
	for (ret = store_cursor_seek(c, key, true, &it, err);
	     ret == 0 && it.date <= d; ret = store_cursor_next(c, &it, err)) {
		int64_t open;
		if ((ret = sl_item_open_asof(t, L, &it, d, &open, err)))
			break;
		*sum += open;
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	store_rec_clear(L->item, &it);
	return ret;
}

/* The next posted record of party on a "party" cursor, dated to or
   before. */
static int next_posted(struct store_cursor *c, int64_t party, bool *more,
		       void *rec, const struct store_schema *s, kdate to,
		       struct kerr *err)
{
	const struct store_field *fs = store_field_find(s, "status");
	const struct store_field *fd = store_field_find(s, "date");
	const struct store_field *fp = store_field_find(s, "party");
	int ret;

	while (*more) {
		ret = store_cursor_next(c, rec, err);
		if (ret == K_ENOTFOUND) {
			kerr_clear(err);
			*more = false;
			break;
		}
		if (ret)
			return ret;
		if (*(int64_t *)((char *)rec + fp->offset) != party ||
		    *(kdate *)((char *)rec + fd->offset) > to) {
			*more = false;
			break;
		}
		if (sl_is(*(char **)((char *)rec + fs->offset), "posted"))
			return 0;
	}
	return 0;
}

/* Positions c on the party's first record dated from on. */
static int first_posted(struct store_cursor *c, int64_t party, kdate from,
			bool *more, void *rec, const struct store_schema *s,
			kdate to, struct kerr *err)
{
	const struct store_field *fp = store_field_find(s, "party");
	const struct store_field *fd = store_field_find(s, "date");
	const struct store_field *fs = store_field_find(s, "status");
	void *probe = calloc(1, s->size);
	int ret;

	if (!probe)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	*(int64_t *)((char *)probe + fp->offset) = party;
	*(kdate *)((char *)probe + fd->offset) = from;
	ret = store_cursor_seek_rec(c, probe, rec, err);
	free(probe);
	*more = ret == 0;
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		return 0;
	}
	if (ret)
		return ret;
	if (*(int64_t *)((char *)rec + fp->offset) != party ||
	    *(kdate *)((char *)rec + fd->offset) > to) {
		*more = false;
		return 0;
	}
	if (sl_is(*(char **)((char *)rec + fs->offset), "posted"))
		return 0;
	return next_posted(c, party, more, rec, s, to, err);
}

struct stline {
	struct rcell cells[ST_N];
	int64_t *balance;
	const char *group;       /* all parties: "CODE name"; else NULL */
};

static int st_emit(struct stline *l, kdate date, const char *number,
		   const char *what, kdate due, int64_t change, remit_fn emit,
		   void *arg, struct kerr *err)
{
	*l->balance += change;
	l->cells[ST_DATE] = rcell_num(date);
	l->cells[ST_NUMBER] = rcell_text(number);
	l->cells[ST_WHAT] = rcell_text(what);
	l->cells[ST_DUE] = due == DATE_NONE ? rcell_none() : rcell_num(due);
	l->cells[ST_CHARGE] = change > 0 ? rcell_num(change) : rcell_none();
	l->cells[ST_PAID] = change < 0 ? rcell_num(-change) : rcell_none();
	l->cells[ST_BALANCE] = rcell_num(*l->balance);
	struct rrow row = { .cells = l->cells, .group = l->group };
	return emit(arg, &row, err);
}

/* An opening or closing line: a date (or none), words and a balance. */
static int st_edge(struct stline *l, kdate date, const char *what,
		   int64_t balance, remit_fn emit, void *arg, struct kerr *err)
{
	l->cells[ST_DATE] = date == DATE_NONE ? rcell_none() : rcell_num(date);
	l->cells[ST_NUMBER] = rcell_none();
	l->cells[ST_WHAT] = rcell_text(what);
	l->cells[ST_DUE] = rcell_none();
	l->cells[ST_CHARGE] = rcell_none();
	l->cells[ST_PAID] = rcell_none();
	l->cells[ST_BALANCE] = rcell_num(balance);
	struct rrow row = { .cells = l->cells, .group = l->group };
	return emit(arg, &row, err);
}

#define FROM_START (INT32_MIN + 2)

/*
 * The statement of one party from `from` to `to`.  With a group (every
 * party's statements) a party with no balance and no movement is left
 * out.
 */
static int statement_party(struct store_txn *t, const struct sl_ledger *L,
			   int64_t party, kdate from, kdate to,
			   const char *group, remit_fn emit, void *arg,
			   struct kerr *err)
{
	struct store_cursor *cd = NULL, *cp = NULL;
	struct sldoc d;
	struct slpay y;
	struct stline l;
	int64_t balance = 0, check;
	bool dmore = false, pmore = false;
	int ret;

	memset(&d, 0, sizeof d);
	memset(&y, 0, sizeof y);
	memset(&l, 0, sizeof l);
	l.balance = &balance;
	l.group = group;
	if ((ret = balance_asof(t, L, party, from - 1, &balance, err)))
		return ret;
	if ((ret = store_cursor_open(t, L->doc, "party", &cd, err)) ||
	    (ret = store_cursor_open(t, L->pay, "party", &cp, err)) ||
	    (ret = first_posted(cd, party, from, &dmore, &d, L->doc, to, err)) ||
	    (ret = first_posted(cp, party, from, &pmore, &y, L->pay, to, err)))
		goto out;
	if (group && balance == 0 && !dmore && !pmore)
		goto out;
	if ((ret = st_edge(&l, from > FROM_START ? from - 1 : DATE_NONE,
			   _("Opening balance"), balance, emit, arg, err)))
		goto out;
	while (!ret && (dmore || pmore)) {
		if (dmore && (!pmore || d.date <= y.date)) {
			bool note = sl_is(d.kind, L->note_kind);
			const char *what = note ? (L->sign > 0 ? _("Credit note") :
							     _("Debit note")) :
						  _("Invoice");
			ret = st_emit(&l, d.date, d.number, what,
				      note ? DATE_NONE : d.due,
				      note ? -d.gross : d.gross, emit, arg, err);
			if (!ret)
				ret = next_posted(cd, party, &dmore, &d,
						  L->doc, to, err);
			continue;
		}
		ret = st_emit(&l, y.date, y.number,
			      y.reverses ? (L->sign > 0 ? _("Receipt reversed") :
							  _("Payment reversed")) :
			      L->sign > 0 ? _("Receipt") : _("Payment"),
			      DATE_NONE, -y.amount, emit, arg, err);
		if (!ret && y.writeoff)
			ret = st_emit(&l, y.date, y.number,
				      y.reverses ? _("Write-off reversed") :
						   _("Written off"),
				      DATE_NONE, -y.writeoff, emit, arg, err);
		if (!ret)
			ret = next_posted(cp, party, &pmore, &y, L->pay, to,
					  err);
	}
	if (ret)
		goto out;
	/* the closing balance, which the open items must agree with */
	if ((ret = balance_asof(t, L, party, to, &check, err)))
		goto out;
	ret = st_edge(&l, to, check == balance ? _("Closing balance") :
			      _("Closing (items differ!)"), check, emit, arg,
		      err);
out:
	store_cursor_close(&cd);
	store_cursor_close(&cp);
	store_rec_clear(L->doc, &d);
	store_rec_clear(L->pay, &y);
	return ret;
}

/* One party's statement, or every customer's (supplier's) in code order. */
static int statement_source(struct store_txn *t, const struct sl_ledger *L,
			    const struct rparams *p, remit_fn emit, void *arg,
			    struct kerr *err)
{
	kdate to = param_date(p, "to", date_today());
	kdate from = param_date(p, "from", DATE_NONE);
	struct store_cursor *c = NULL;
	struct party rec;
	char group[300];
	int64_t party;
	int ret;

	if ((ret = param_party(t, p, "party", &party, err)))
		return ret;
	if (from == DATE_NONE)
		from = FROM_START;
	if (from > to)
		return kerr_set(err, K_EUSAGE, "from", _("from is after to"));
	if (party)
		return statement_party(t, L, party, from, to, NULL, emit, arg,
				       err);
	memset(&rec, 0, sizeof rec);
	if ((ret = store_cursor_open(t, &party_schema, "code", &c, err)))
		return ret;
	while ((ret = store_cursor_next(c, &rec, err)) == 0) {
		if (L->customer ? !rec.customer : !rec.supplier)
			continue;
		snprintf(group, sizeof group, "%s %s", rec.code,
			 rec.name ? rec.name : "");
		if ((ret = statement_party(t, L, rec.h.id, from, to, group,
					   emit, arg, err)))
			break;
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	store_rec_clear(&party_schema, &rec);
	return ret;
}

static int customer_statement_source(struct store_txn *t,
				     const struct report *r,
				     const struct rparams *p, remit_fn emit,
				     void *arg, struct kerr *err)
{
	(void)r;
	return statement_source(t, &sl_ar, p, emit, arg, err);
}

static int supplier_statement_source(struct store_txn *t,
				     const struct report *r,
				     const struct rparams *p, remit_fn emit,
				     void *arg, struct kerr *err)
{
	(void)r;
	return statement_source(t, &sl_ap, p, emit, arg, err);
}

const struct report report_customer_statement = {
	.name = "customer-statement",
	.title = N_("Customer statement"),
	.perm = "report.customer-statement",
	.params = statement_params,
	.nparams = NELEM(statement_params),
	.cols = statement_cols,
	.ncols = ST_N,
	.wide = true,
	.group_label = N_("Customer"),
	.sorted = N_("by party code, then by date: documents before money on the same day"),
	.chart = RC_NONE,
	.source = customer_statement_source,
};

const struct report report_supplier_statement = {
	.name = "supplier-statement",
	.title = N_("Supplier statement"),
	.perm = "report.supplier-statement",
	.params = statement_params,
	.nparams = NELEM(statement_params),
	.cols = statement_cols,
	.ncols = ST_N,
	.wide = true,
	.group_label = N_("Supplier"),
	.sorted = N_("by party code, then by date: documents before money on the same day"),
	.chart = RC_NONE,
	.source = supplier_statement_source,
};

/* -------------------------------------------------------------- dunning */

enum { DN_ITEM, DN_DATE, DN_DUE, DN_DAYS, DN_LEVEL, DN_OPEN, DN_N };

static const struct rparam dunning_params[] = {
	{ "date", N_("Run date"), RP_DATE, NULL, NULL, "today", false },
	{ "party", N_("Party"), RP_REF, "party", NULL, NULL, false },
};

static const struct rcol dunning_cols[DN_N] = {
	{ "item", N_("Item"), 16, RA_LEFT, RF_TEXT, false },
	{ "date", N_("Date"), 10, RA_LEFT, RF_DATE, false },
	{ "due", N_("Due"), 10, RA_LEFT, RF_DATE, false },
	{ "days", N_("Days over"), 9, RA_RIGHT, RF_INT, false },
	{ "level", N_("Level"), 5, RA_RIGHT, RF_INT, false },
	{ "open", N_("Open"), 15, RA_RIGHT, RF_AMOUNT, true },
};

/* What a letter of each level is called. */
static const char *const level_words[AR_DUNNING_LEVELS + 1] = {
	"", N_("Payment reminder"), N_("Second reminder"),
	N_("Final demand before collection"),
};

struct dunparty {
	struct openitem *v;
	size_t n, cap;
	bool letter;
	int level;
};

static void dunparty_clear(struct dunparty *dp)
{
	for (size_t i = 0; i < dp->n; i++)
		store_rec_clear(&aritem_schema, &dp->v[i]);
	dp->n = 0;
	dp->letter = false;
	dp->level = 0;
}

/* The letter of one customer: its overdue items under one group. */
static int dun_letter(struct store_txn *t, struct dunparty *dp, kdate date,
		      remit_fn emit, void *arg, struct kerr *err)
{
	struct rcell cells[DN_N];
	struct party p;
	char group[300];
	int ret = 0;

	if (!dp->letter || dp->n == 0)
		return 0;
	memset(&p, 0, sizeof p);
	if ((ret = store_get(t, &party_schema, dp->v[0].party, &p, err)))
		return ret;
	snprintf(group, sizeof group, "%s %s: %s", p.code, p.name ? p.name : "",
		 _(level_words[dp->level]));
	for (size_t i = 0; i < dp->n && !ret; i++) {
		const struct openitem *it = &dp->v[i];
		cells[DN_ITEM] = rcell_text(it->code);
		cells[DN_DATE] = rcell_num(it->date);
		cells[DN_DUE] = rcell_num(it->due);
		cells[DN_DAYS] = rcell_num((int64_t)date - it->due);
		cells[DN_LEVEL] = rcell_num(it->dunning_level);
		cells[DN_OPEN] = rcell_num(it->open);
		struct rrow row = { .cells = cells, .group = group };
		ret = emit(arg, &row, err);
	}
	store_rec_clear(&party_schema, &p);
	return ret;
}

static int dunning_source(struct store_txn *t, const struct report *r,
			  const struct rparams *p, remit_fn emit, void *arg,
			  struct kerr *err)
{
	kdate date = param_date(p, "date", date_today());
	struct store_cursor *c = NULL;
	struct dunparty dp = { NULL, 0, 0, false, 0 };
	struct openitem it;
	int64_t only, party = 0;
	char key[32];
	int ret;

	(void)r;
	if ((ret = param_party(t, p, "party", &only, err)))
		return ret;
	memset(&it, 0, sizeof it);
	if ((ret = store_cursor_open(t, &aritem_schema, "party", &c, err)))
		return ret;
	if (only) {
		snprintf(key, sizeof key, "%" PRId64, only);
		ret = store_cursor_seek(c, key, true, &it, err);
	} else {
		ret = store_cursor_next(c, &it, err);
	}
	for (; ret == 0; ret = store_cursor_next(c, &it, err)) {
		if (it.party != party) {
			if ((ret = dun_letter(t, &dp, date, emit, arg, err)))
				break;
			dunparty_clear(&dp);
			party = it.party;
		}
		if (!sl_is(it.status, "open") || it.open <= 0 ||
		    it.due >= date || it.dunning_level == 0)
			continue;
		if (dp.n == dp.cap) {
			struct openitem *v = realloc(dp.v, (dp.cap = dp.cap ?
							    2 * dp.cap : 16) *
							   sizeof *v);
			if (!v) {
				ret = kerr_set(err, K_ENOMEM, NULL, NULL);
				break;
			}
			dp.v = v;
		}
		dp.v[dp.n++] = it;             /* takes its texts */
		memset(&it, 0, sizeof it);
		if (dp.v[dp.n - 1].dunned == date)
			dp.letter = true;
		if (dp.v[dp.n - 1].dunning_level > dp.level)
			dp.level = (int)dp.v[dp.n - 1].dunning_level;
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	if (!ret)
		ret = dun_letter(t, &dp, date, emit, arg, err);
	dunparty_clear(&dp);
	free(dp.v);
	store_rec_clear(&aritem_schema, &it);
	return ret;
}

const struct report report_dunning = {
	.name = "dunning",
	.title = N_("Dunning letters"),
	.perm = "report.dunning",
	.params = dunning_params,
	.nparams = NELEM(dunning_params),
	.cols = dunning_cols,
	.ncols = DN_N,
	.wide = false,
	.group_label = NULL,
	.sorted = N_("by customer; each customer's items by date"),
	.chart = RC_NONE,
	.source = dunning_source,
};
