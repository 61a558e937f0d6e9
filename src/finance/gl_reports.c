/*
 * gl_reports.c - the general ledger's reports: trial balance, general
 * ledger, journal (day book), balance sheet, income statement and cost
 * centres.  Each is a definition (report/report.h) and a row source
 * that reads inside the snapshot report_run() hands it and emits one
 * row at a time.
 *
 *   trial-balance      the chart as a tree (like the accounts report),
 *                      each account's figures from gl_balance(), i.e.
 *                      the balance table glbal: its cost follows the
 *                      accounts and periods, never the postings; a
 *                      heading's figures are the sums of the accounts
 *                      under it (gl_balance sums a heading's subtree)
 *   general-ledger     postable accounts in code order; per account the
 *                      opening balance (glbal, plus the lines of the
 *                      first period dated before `from`), its lines in
 *                      date order and the closing balance.  The lines
 *                      come from the line index jlinex (account, date),
 *                      so an account costs its own lines in the range
 *                      (glbal says which accounts moved at all): see
 *                      HACKING, "General ledger reports"
 *   journal            the entries of a date range in date order (the
 *                      journal's date index), each a group of its lines
 *   balance-sheet      the layouts of finance/gl_layouts.c, filled from
 *   income-statement   glbal: one gl_balance() per postable account,
 *                      summed into the layout's lines (the layout is
 *                      the only thing held: tens of lines)
 *   cost-centres       per cost centre (department, code order) its
 *                      accounts with movement in the periods, from
 *                      glbal's cost_centre
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/num.h"
#include "finance/gl.h"
#include "finance/gl_layout.h"
#include "finance/glrep.h"
#include "masters/entity.h"
#include "masters/fin.h"
#include "masters/masters.h"
#include "masters/ops.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ helpers */

/* "2026-03": the period's code; "2026-03-15": a date (for messages). */
static const char *datestr(kdate d, char *buf, size_t n)
{
	return d == DATE_NONE ? "" : date_format(d, buf, n);
}

enum gl_chart gl_chart_of(struct store_txn *t)
{
	struct account a;
	char buf[32];
	enum gl_chart c = GL_CHART_CN;

	if (store_meta_get(t, "chart", buf, sizeof buf, NULL) == 0) {
		if (strcmp(buf, "ifrs") == 0)
			return GL_CHART_IFRS;
		if (strcmp(buf, "cn") == 0)
			return GL_CHART_CN;
	}
	memset(&a, 0, sizeof a);
	if (store_find_text(t, &account_schema, "code", "4103", &a, NULL) == 0)
		c = GL_CHART_CN;
	else if (store_find_text(t, &account_schema, "code", "3200", &a,
				 NULL) == 0)
		c = GL_CHART_IFRS;
	store_rec_clear(&account_schema, &a);
	return c;
}

/* The period whose code is parameter `name`'s value, or today's. */
static int period_param(struct store_txn *t, const struct rparams *p,
			const char *name, struct period *out, struct kerr *err)
{
	const char *code = rparam(p, name);
	char d[DATE_BUFSZ];
	int ret;

	store_rec_clear(&period_schema, out);
	if (*code) {
		ret = store_find_text(t, &period_schema, "code", code, out,
				      err);
		if (ret == K_ENOTFOUND)
			return kerr_set(err, K_EUSAGE, name,
					_("parameter %s: no period %s (kontor period list shows them)"),
					name, code);
		return ret;
	}
	ret = period_find(t, date_today(), out, err);
	if (ret == K_ENOTFOUND)
		return kerr_set(err, K_EUSAGE, name,
				_("parameter %s: no period contains today, %s; give --param %s=YYYY-MM or create the year (kontor period create)"),
				name, datestr(date_today(), d, sizeof d), name);
	return ret;
}

/* The periods from .. to (both default to today's), in order. */
static int period_range(struct store_txn *t, const struct rparams *p,
			struct period *from, struct period *to,
			struct kerr *err)
{
	int ret;

	if ((ret = period_param(t, p, "from", from, err)) ||
	    (ret = period_param(t, p, "to", to, err)))
		return ret;
	if (from->start > to->start)
		return kerr_set(err, K_EUSAGE, "to",
				_("parameter to: period %s is before from, %s"),
				to->code, from->code);
	return 0;
}

/*
 * The dates from .. to of a date-range report: parameter `period`'s
 * first and last day, else `from` and `to`, each defaulting to the
 * first and last day of today's period (of today's month when no period
 * holds today).
 */
static int date_range(struct store_txn *t, const struct rparams *p,
		      kdate *from, kdate *to, struct kerr *err)
{
	const char *f = rparam(p, "from"), *l = rparam(p, "to");
	struct period cur;
	kdate today = date_today();
	char a[DATE_BUFSZ], b[DATE_BUFSZ];
	int ret;

	memset(&cur, 0, sizeof cur);
	if (*rparam(p, "period")) {
		if (*f || *l)
			return kerr_set(err, K_EUSAGE, "period",
					_("parameter period: give a period or from and to, not both"));
		if ((ret = period_param(t, p, "period", &cur, err)) == 0) {
			*from = cur.start;
			*to = cur.end;
		}
		store_rec_clear(&period_schema, &cur);
		return ret;
	}
	*from = date_month_start(today);
	*to = date_month_end(today);
	ret = period_find(t, today, &cur, err);
	if (ret == 0) {
		*from = cur.start;
		*to = cur.end;
	} else if (ret != K_ENOTFOUND) {
		store_rec_clear(&period_schema, &cur);
		return ret;
	}
	kerr_clear(err);
	store_rec_clear(&period_schema, &cur);
	if (*f && strcmp(f, "today") == 0)
		*from = today;
	else if (*f && (ret = date_parse(f, from, err)))
		return kerr_set(err, K_EUSAGE, "from",
				_("parameter from: not a date: %s"), f);
	if (*l && strcmp(l, "today") == 0)
		*to = today;
	else if (*l && (ret = date_parse(l, to, err)))
		return kerr_set(err, K_EUSAGE, "to",
				_("parameter to: not a date: %s"), l);
	if (*from > *to)
		return kerr_set(err, K_EUSAGE, "to",
				_("parameter to: %s is before from, %s"),
				datestr(*to, b, sizeof b),
				datestr(*from, a, sizeof a));
	return 0;
}

/* An account's code by id, into buf ("" when it is gone). */
static const char *account_code(struct store_txn *t, int64_t id,
				struct account *a, struct kerr *err)
{
	if (store_get(t, &account_schema, id, a, err)) {
		kerr_clear(err);
		return "";
	}
	return a->code ? a->code : "";
}

/* The code of record id of schema s into buf, "" for 0 or gone. */
static const char *code_into(struct store_txn *t, const struct store_schema *s,
			     int64_t id, char *buf, size_t n)
{
	const struct store_field *f = store_field_find(s, "code");
	void *rec;

	buf[0] = '\0';
	if (!id || !f || !(rec = calloc(1, s->size)))
		return buf;
	if (store_get(t, s, id, rec, NULL) == 0) {
		const char *v = *(char **)((char *)rec + f->offset);
		snprintf(buf, n, "%s", v ? v : "");
	}
	store_rec_clear(s, rec);
	free(rec);
	return buf;
}

/* A few codes looked up again and again (parties on ledger lines). */
#define REFCACHE 16
struct refcache {
	const struct store_schema *s;
	int64_t id[REFCACHE];
	char code[REFCACHE][64];
	unsigned next;
};

static const char *ref_code(struct store_txn *t, struct refcache *rc,
			    int64_t id)
{
	unsigned slot;

	if (!id)
		return "";
	for (unsigned i = 0; i < REFCACHE; i++)
		if (rc->id[i] == id)
			return rc->code[i];
	slot = rc->next++ % REFCACHE;
	code_into(t, rc->s, id, rc->code[slot], sizeof rc->code[slot]);
	rc->id[slot] = id;
	return rc->code[slot];
}

/* ---------------------------------------------------------- trial balance */

enum { TB_ACCOUNT, TB_NAME, TB_POSTABLE, TB_OPENING, TB_DEBIT, TB_CREDIT,
       TB_BALANCE, TB_N };

static const struct rparam tb_params[] = {
	{ "from", N_("From period"), RP_PERIOD, NULL, NULL, NULL, false },
	{ "to", N_("To period"), RP_PERIOD, NULL, NULL, NULL, false },
	{ "show", N_("Show"), RP_CHOICE, NULL, "tree|postable", "tree",
	  false },
	{ "level", N_("Levels"), RP_INT, NULL, NULL, NULL, false },
	{ "zero", N_("Accounts without figures"), RP_CHOICE, NULL, "no|yes",
	  "no", false },
};

static const struct rcol tb_cols[TB_N] = {
	{ "account", N_("Account"), 14, RA_LEFT, RF_TEXT, false },
	{ "name", N_("Name"), 30, RA_LEFT, RF_TEXT, false },
	{ "postable", N_("Post"), 4, RA_LEFT, RF_TEXT, false },
	{ "opening", N_("Opening"), 17, RA_RIGHT, RF_AMOUNT, true },
	{ "debit", N_("Debit"), 17, RA_RIGHT, RF_AMOUNT, true },
	{ "credit", N_("Credit"), 17, RA_RIGHT, RF_AMOUNT, true },
	{ "balance", N_("Closing"), 17, RA_RIGHT, RF_AMOUNT, true },
};

struct tb {
	struct store_txn *t;
	remit_fn emit;
	void *arg;
	kdate from, to;
	bool postable_only, zero;
	long level;               /* 0: every level */
};

static int tb_visit(void *arg, const struct account *a, int depth,
		    bool *descend, struct kerr *err)
{
	struct tb *x = arg;
	struct gl_sum s;
	struct rcell cells[TB_N];
	bool leaf_here;
	int ret;

	if (x->postable_only) {
		*descend = !a->postable;
		if (!a->postable)
			return 0;
		leaf_here = true;
	} else {
		bool at_limit = x->level > 0 && depth + 1 >= x->level;
		*descend = !a->postable && !at_limit;
		leaf_here = !*descend;
	}
	if ((ret = gl_balance(x->t, a->h.id, x->from, x->to, -1, &s, err)))
		return ret;
	if (!x->zero && s.opening == 0 && s.debit == 0 && s.credit == 0)
		return 0;
	cells[TB_ACCOUNT] = rcell_text(a->code);
	cells[TB_NAME] = rcell_text(a->name);
	cells[TB_POSTABLE] = rcell_text(a->postable ? _("yes") : _("no"));
	cells[TB_OPENING] = rcell_num(s.opening);
	cells[TB_DEBIT] = rcell_num(s.debit);
	cells[TB_CREDIT] = rcell_num(s.credit);
	cells[TB_BALANCE] = rcell_num(s.closing);
	struct rrow row = {
		.cells = cells,
		.indent = x->postable_only ? 0 : depth,
		/* A heading whose accounts follow is not counted again in
		   the totals; one cut off by `level` stands for them. */
		.heading = !leaf_here,
	};
	return x->emit(x->arg, &row, err);
}

static int tb_source(struct store_txn *t, const struct report *r,
		     const struct rparams *p, remit_fn emit, void *arg,
		     struct kerr *err)
{
	struct period from, to;
	struct tb x = { .t = t, .emit = emit, .arg = arg };
	const char *level = rparam(p, "level");
	int ret;

	(void)r;
	memset(&from, 0, sizeof from);
	memset(&to, 0, sizeof to);
	x.postable_only = strcmp(rparam(p, "show"), "postable") == 0;
	x.zero = strcmp(rparam(p, "zero"), "yes") == 0;
	if (*level) {
		x.level = strtol(level, NULL, 10);
		if (x.level < 1 || x.level > ACCOUNT_MAX_DEPTH) {
			ret = kerr_set(err, K_EUSAGE, "level",
				       _("parameter level: give 1 (the top accounts only) to %d"),
				       ACCOUNT_MAX_DEPTH);
			goto out;
		}
		if (x.postable_only) {
			ret = kerr_set(err, K_EUSAGE, "level",
				       _("parameter level: only with show=tree (show=postable lists every postable account)"));
			goto out;
		}
	}
	if ((ret = period_range(t, p, &from, &to, err)))
		goto out;
	x.from = from.start;
	x.to = to.end;
	ret = account_walk(t, tb_visit, &x, err);
out:
	store_rec_clear(&period_schema, &from);
	store_rec_clear(&period_schema, &to);
	return ret;
}

const struct report report_trial_balance = {
	.name = "trial-balance",
	.title = N_("Trial balance"),
	.perm = "report.trial-balance",
	.params = tb_params,
	.nparams = NELEM(tb_params),
	.cols = tb_cols,
	.ncols = TB_N,
	.wide = true,
	.group_label = NULL,
	.sorted = N_("as the chart's tree: each heading, with the sums of its accounts, followed by them"),
	.chart = RC_NONE,
	.source = tb_source,
};

/* --------------------------------------------------------- general ledger */

enum { GLC_DATE, GLC_ENTRY, GLC_DESC, GLC_PARTY, GLC_MEMO, GLC_DEBIT,
       GLC_CREDIT, GLC_BALANCE, GLC_N };

static const struct rparam gl_params[] = {
	{ "period", N_("Period"), RP_PERIOD, NULL, NULL, NULL, false },
	{ "from", N_("From"), RP_DATE, NULL, NULL, NULL, false },
	{ "to", N_("To"), RP_DATE, NULL, NULL, NULL, false },
	{ "from_account", N_("From account"), RP_REF, "account", NULL, NULL,
	  false },
	{ "to_account", N_("To account"), RP_REF, "account", NULL, NULL,
	  false },
	{ "zero", N_("Accounts without figures"), RP_CHOICE, NULL, "no|yes",
	  "no", false },
};

static const struct rcol gl_cols[GLC_N] = {
	{ "date", N_("Date"), 10, RA_LEFT, RF_DATE, false },
	{ "entry", N_("Entry"), 10, RA_LEFT, RF_TEXT, false },
	{ "description", N_("Description"), 28, RA_LEFT, RF_TEXT, false },
	{ "party", N_("Party"), 9, RA_LEFT, RF_TEXT, false },
	{ "memo", N_("Memo"), 20, RA_LEFT, RF_TEXT, false },
	{ "debit", N_("Debit"), 16, RA_RIGHT, RF_AMOUNT, true },
	{ "credit", N_("Credit"), 16, RA_RIGHT, RF_AMOUNT, true },
	{ "balance", N_("Balance"), 16, RA_RIGHT, RF_AMOUNT, false },
};

struct glr {
	struct store_txn *t;
	remit_fn emit;
	void *arg;
	kdate from, to;
	bool zero;
	struct refcache parties;
	char group[512];
};

/* An opening or closing line of an account. */
static int gl_balance_row(struct glr *x, const char *what, kdate d,
			  int64_t balance, struct kerr *err)
{
	struct rcell cells[GLC_N];

	for (int i = 0; i < GLC_N; i++)
		cells[i] = rcell_none();
	cells[GLC_DATE] = rcell_num(d);
	cells[GLC_DESC] = rcell_text(what);
	cells[GLC_BALANCE] = rcell_num(balance);
	struct rrow row = { .cells = cells, .group = x->group, .heading = true };
	return x->emit(x->arg, &row, err);
}

/*
 * The lines of account a dated scan_from .. to, from the line index
 * (account, date): those before from go into *opening, the others are
 * emitted with the running balance, their entry read for its number,
 * description, party and memo.
 */
static int gl_lines(struct glr *x, const struct account *a, kdate scan_from,
		    int64_t *opening, int64_t *balance, bool *opened,
		    struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct jlinex ix = { .account = a->h.id, .date = scan_from };
	struct journal j;
	int ret;

	memset(&j, 0, sizeof j);
	if ((ret = store_cursor_open(x->t, &jlinex_schema, "account", &c, err)))
		return ret;
	for (ret = store_cursor_seek_rec(c, &ix, &ix, err);
	     ret == 0 && ix.account == a->h.id && ix.date <= x->to;
	     ret = store_cursor_next(c, &ix, err)) {
		struct rcell cells[GLC_N];
		const struct jline *l;
		int64_t v;

		if (num_sub(ix.debit, ix.credit, &v))
			return kerr_set(err, K_ERANGE, NULL,
					_("account %s: an amount out of range"),
					a->code);
		if (ix.date < x->from) {
			if (num_add(*opening, v, opening)) {
				ret = kerr_set(err, K_ERANGE, NULL,
					       _("account %s: the balance is too large"),
					       a->code);
				break;
			}
			continue;
		}
		if (j.h.id != ix.entry) {
			store_rec_clear(&journal_schema, &j);
			if ((ret = store_get(x->t, &journal_schema, ix.entry,
					     &j, err)))
				break;
		}
		if (ix.line < 0 || (size_t)ix.line >= j.lines.n) {
			ret = kerr_set(err, K_EINTERNAL, NULL,
				       _("entry %s has no line %" PRId64 ": run kontor gl verify"),
				       j.code, ix.line + 1);
			break;
		}
		l = &((const struct jline *)j.lines.items)[ix.line];
		if (!*opened) {
			*balance = *opening;
			if ((ret = gl_balance_row(x, _("Opening balance"),
						  x->from, *opening, err)))
				break;
			*opened = true;
		}
		if (num_add(*balance, v, balance)) {
			ret = kerr_set(err, K_ERANGE, NULL,
				       _("account %s: the balance is too large"),
				       a->code);
			break;
		}
		cells[GLC_DATE] = rcell_num(j.date);
		cells[GLC_ENTRY] = rcell_text(j.code);
		cells[GLC_DESC] = rcell_text(j.description);
		cells[GLC_PARTY] = rcell_text(ref_code(x->t, &x->parties,
						      l->party));
		cells[GLC_MEMO] = rcell_text(l->memo);
		cells[GLC_DEBIT] = ix.debit ? rcell_num(ix.debit) :
					      rcell_none();
		cells[GLC_CREDIT] = ix.credit ? rcell_num(ix.credit) :
						rcell_none();
		cells[GLC_BALANCE] = rcell_num(*balance);
		struct rrow row = { .cells = cells, .group = x->group };
		if ((ret = x->emit(x->arg, &row, err)))
			break;
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	store_rec_clear(&jlinex_schema, &ix);
	store_rec_clear(&journal_schema, &j);
	return ret;
}

static int gl_account(struct glr *x, const struct account *a,
		      struct kerr *err)
{
	struct period first;
	struct gl_sum s;
	kdate scan_from = x->from;
	int64_t opening, balance = 0;
	bool opened = false;
	int ret;

	/*
	 * glbal knows whole periods: the opening is everything before the
	 * period holding `from`, plus that period's lines dated before it.
	 */
	memset(&first, 0, sizeof first);
	ret = period_find(x->t, x->from, &first, err);
	if (ret == 0)
		scan_from = first.start;
	else if (ret == K_ENOTFOUND)
		kerr_clear(err);
	store_rec_clear(&period_schema, &first);
	if (ret && ret != K_ENOTFOUND)
		return ret;
	if ((ret = gl_balance(x->t, a->h.id, scan_from, x->to, -1, &s, err)))
		return ret;
	opening = s.opening;
	if (!x->zero && s.opening == 0 && s.debit == 0 && s.credit == 0)
		return 0;
	snprintf(x->group, sizeof x->group, "%s %s", a->code ? a->code : "",
		 a->name ? a->name : "");
	if ((s.debit || s.credit) &&
	    (ret = gl_lines(x, a, scan_from, &opening, &balance, &opened, err)))
		return ret;
	if (!opened) {
		/* Nothing in the range: the opening is the closing. */
		balance = opening;
		if (!x->zero && opening == 0)
			return 0;
		if ((ret = gl_balance_row(x, _("Opening balance"), x->from,
					  opening, err)))
			return ret;
	}
	return gl_balance_row(x, _("Closing balance"), x->to, balance, err);
}

static int gl_source(struct store_txn *t, const struct report *r,
		     const struct rparams *p, remit_fn emit, void *arg,
		     struct kerr *err)
{
	const char *fa = rparam(p, "from_account"), *ta = rparam(p, "to_account");
	struct glr x = { .t = t, .emit = emit, .arg = arg };
	struct store_cursor *c = NULL;
	struct account a;
	int ret;

	(void)r;
	x.parties.s = &party_schema;
	x.zero = strcmp(rparam(p, "zero"), "yes") == 0;
	if ((ret = date_range(t, p, &x.from, &x.to, err)))
		return ret;
	if (*fa && *ta && strcmp(fa, ta) > 0)
		return kerr_set(err, K_EUSAGE, "to_account",
				_("parameter to_account: %s comes before from_account, %s"),
				ta, fa);
	memset(&a, 0, sizeof a);
	if ((ret = store_cursor_open(t, &account_schema, "code", &c, err)))
		return ret;
	ret = *fa ? store_cursor_seek(c, fa, false, &a, err) :
		    store_cursor_next(c, &a, err);
	for (; ret == 0; ret = store_cursor_next(c, &a, err)) {
		if (*ta && strcmp(a.code ? a.code : "", ta) > 0)
			break;
		if (!a.postable)
			continue;
		if ((ret = gl_account(&x, &a, err)))
			break;
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	store_rec_clear(&account_schema, &a);
	return ret;
}

const struct report report_general_ledger = {
	.name = "general-ledger",
	.title = N_("General ledger"),
	.perm = "report.general-ledger",
	.params = gl_params,
	.nparams = NELEM(gl_params),
	.cols = gl_cols,
	.ncols = GLC_N,
	.wide = true,
	.group_label = N_("Account"),
	.sorted = N_("by account code, then by date and entry"),
	.chart = RC_NONE,
	.source = gl_source,
};

/* ---------------------------------------------------------------- journal */

enum { JC_DATE, JC_ENTRY, JC_ACCOUNT, JC_NAME, JC_MEMO, JC_PARTY,
       JC_CC, JC_DEBIT, JC_CREDIT, JC_N };

static const struct rparam j_params[] = {
	{ "period", N_("Period"), RP_PERIOD, NULL, NULL, NULL, false },
	{ "from", N_("From"), RP_DATE, NULL, NULL, NULL, false },
	{ "to", N_("To"), RP_DATE, NULL, NULL, NULL, false },
};

static const struct rcol j_cols[JC_N] = {
	{ "date", N_("Date"), 10, RA_LEFT, RF_DATE, false },
	{ "entry", N_("Entry"), 10, RA_LEFT, RF_TEXT, false },
	{ "account", N_("Account"), 10, RA_LEFT, RF_TEXT, false },
	{ "name", N_("Name"), 22, RA_LEFT, RF_TEXT, false },
	{ "memo", N_("Description / memo"), 26, RA_LEFT, RF_TEXT, false },
	{ "party", N_("Party"), 9, RA_LEFT, RF_TEXT, false },
	{ "cost_centre", N_("Cost ctr"), 8, RA_LEFT, RF_TEXT, false },
	{ "debit", N_("Debit"), 14, RA_RIGHT, RF_AMOUNT, true },
	{ "credit", N_("Credit"), 14, RA_RIGHT, RF_AMOUNT, true },
};

static int j_source(struct store_txn *t, const struct report *r,
		    const struct rparams *p, remit_fn emit, void *arg,
		    struct kerr *err)
{
	struct refcache parties = { .s = &party_schema },
			depts = { .s = &department_schema };
	struct store_cursor *c = NULL;
	struct journal j;
	struct account a;
	kdate from, to;
	char d[DATE_BUFSZ], group[600];
	int ret;

	(void)r;
	if ((ret = date_range(t, p, &from, &to, err)))
		return ret;
	memset(&j, 0, sizeof j);
	memset(&a, 0, sizeof a);
	if ((ret = store_cursor_open(t, &journal_schema, "date", &c, err)))
		return ret;
	for (ret = store_cursor_seek(c, datestr(from, d, sizeof d), false, &j,
				     err);
	     ret == 0 && j.date <= to; ret = store_cursor_next(c, &j, err)) {
		snprintf(group, sizeof group, "%s  %s  %s", j.code ? j.code : "",
			 datestr(j.date, d, sizeof d),
			 j.description ? j.description : "");
		for (size_t i = 0; i < j.lines.n && !ret; i++) {
			const struct jline *l =
				&((const struct jline *)j.lines.items)[i];
			struct rcell cells[JC_N];

			cells[JC_DATE] = rcell_num(j.date);
			cells[JC_ENTRY] = rcell_text(j.code);
			cells[JC_ACCOUNT] = rcell_text(account_code(t, l->account,
								   &a, err));
			cells[JC_NAME] = rcell_text(a.name);
			cells[JC_MEMO] = rcell_text(l->memo && *l->memo ?
						   l->memo : j.description);
			cells[JC_PARTY] = rcell_text(ref_code(t, &parties,
							     l->party));
			cells[JC_CC] = rcell_text(ref_code(t, &depts,
							  l->cost_centre));
			cells[JC_DEBIT] = l->debit ? rcell_num(l->debit) :
						     rcell_none();
			cells[JC_CREDIT] = l->credit ? rcell_num(l->credit) :
						       rcell_none();
			struct rrow row = { .cells = cells, .group = group };
			ret = emit(arg, &row, err);
		}
		if (ret)
			break;
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	store_rec_clear(&journal_schema, &j);
	store_rec_clear(&account_schema, &a);
	return ret;
}

const struct report report_journal = {
	.name = "journal",
	.title = N_("Journal"),
	.perm = "report.journal",
	.params = j_params,
	.nparams = NELEM(j_params),
	.cols = j_cols,
	.ncols = JC_N,
	.wide = true,
	.group_label = N_("Entry"),
	.sorted = N_("by date, then in the order the entries were posted"),
	.chart = RC_NONE,
	.source = j_source,
};

/* ------------------------------------------------------------ statements */

enum { SC_LINE, SC_A, SC_B, SC_N };

#define STMT_MAX 96

/* What two columns of a statement add up to, line by line. */
struct stmt {
	const struct stmt_layout *l;
	int64_t v[STMT_MAX][2];
};

static int stmt_add(struct stmt *s, int line, int col, int64_t v,
		    const char *code, struct kerr *err)
{
	if (line < 0)
		return 0;
	if (num_add(s->v[line][col], v, &s->v[line][col]))
		return kerr_set(err, K_ERANGE, NULL,
				_("account %s: the sum is too large"), code);
	return 0;
}

/* The sums (S lines) from the items, in layout order. */
static int stmt_sums(struct stmt *s, struct kerr *err)
{
	const struct stmt_layout *l = s->l;

	for (size_t i = 0; i < l->n; i++) {
		const struct stmt_line *ln = &l->lines[i];
		if (ln->kind != 'S')
			continue;
		for (const char *p = ln->sum; p && *p; ) {
			char key[32];
			size_t n;
			int sign, at;

			while (*p == ' ')
				p++;
			if (!*p)
				break;
			sign = *p == '-' ? -1 : 1;
			if (*p == '-' || *p == '+')
				p++;
			n = strcspn(p, " ");
			snprintf(key, sizeof key, "%.*s", (int)n, p);
			p += n;
			if ((at = gl_layout_find(l, key)) < 0 || (size_t)at >= i)
				return kerr_set(err, K_EINTERNAL, NULL,
						"layout %s: line %s sums %s, not an earlier line",
						l->title, ln->key, key);
			for (int c = 0; c < 2; c++) {
				/* Each line's own sign: a sum adds shown values. */
				int64_t v = s->v[at][c];
				if (sign < 0 ? num_sub(s->v[i][c], v, &s->v[i][c]) :
					       num_add(s->v[i][c], v, &s->v[i][c]))
					return kerr_set(err, K_ERANGE, NULL,
							_("%s: a sum is too large"),
							ln->label);
			}
		}
	}
	return 0;
}

static int stmt_emit(struct stmt *s, bool translate, remit_fn emit, void *arg,
		     struct kerr *err)
{
	const struct stmt_layout *l = s->l;
	struct rcell title[SC_N] = {
		rcell_text(translate ? _(l->title) : l->title), rcell_none(),
		rcell_none(),
	};
	struct rrow first = { .cells = title, .heading = true };
	int ret;

	/* The statement's own name: 资产负债表, Statement of ... */
	if ((ret = emit(arg, &first, err)))
		return ret;
	for (size_t i = 0; i < l->n; i++) {
		const struct stmt_line *ln = &l->lines[i];
		struct rcell cells[SC_N];

		cells[SC_LINE] = rcell_text(translate ? _(ln->label) : ln->label);
		if (ln->kind == 'H') {
			cells[SC_A] = rcell_none();
			cells[SC_B] = rcell_none();
		} else {
			cells[SC_A] = rcell_num(s->v[i][0]);
			cells[SC_B] = rcell_num(s->v[i][1]);
		}
		struct rrow row = {
			.cells = cells,
			.indent = ln->kind == 'I' ? 1 : 0,   /* T: a top line */
			/* Headings and sums stand out (bold in PDF); no
			   column is totalled, so nothing is counted. */
			.heading = !gl_layout_is_item(ln),
		};
		if ((ret = emit(arg, &row, err)))
			return ret;
	}
	/* Never expected: the layout misses an account's type. */
	if (l->check_a && l->check_b) {
		int a = gl_layout_find(l, l->check_a),
		    b = gl_layout_find(l, l->check_b);
		if (a >= 0 && b >= 0 &&
		    (s->v[a][0] != s->v[b][0] || s->v[a][1] != s->v[b][1])) {
			struct rcell cells[SC_N] = {
				rcell_text(_("Out of balance (a chart account no line takes)")),
				rcell_num(s->v[a][0] - s->v[b][0]),
				rcell_num(s->v[a][1] - s->v[b][1]),
			};
			struct rrow row = { .cells = cells, .heading = true };
			if ((ret = emit(arg, &row, err)))
				return ret;
		}
	}
	return 0;
}

static const struct rparam bs_params[] = {
	{ "period", N_("Period"), RP_PERIOD, NULL, NULL, NULL, false },
};

static const struct rcol bs_cols[SC_N] = {
	{ "line", N_("Item"), 44, RA_LEFT, RF_TEXT, false },
	{ "closing", N_("End of period"), 17, RA_RIGHT, RF_AMOUNT, false },
	{ "year_start", N_("Start of year"), 17, RA_RIGHT, RF_AMOUNT, false },
};

/* The start of the fiscal year of period per. */
static int year_start(struct store_txn *t, const struct period *per,
		      kdate *start, struct kerr *err)
{
	struct fyear y;
	int ret;

	memset(&y, 0, sizeof y);
	if ((ret = store_get(t, &fyear_schema, per->fyear, &y, err)) == 0)
		*start = y.start;
	store_rec_clear(&fyear_schema, &y);
	return ret;
}

static int bs_source(struct store_txn *t, const struct report *r,
		     const struct rparams *p, remit_fn emit, void *arg,
		     struct kerr *err)
{
	bool cn = gl_chart_of(t) == GL_CHART_CN;
	struct stmt *s = calloc(1, sizeof *s);
	struct store_cursor *c = NULL;
	struct period per;
	struct account a;
	kdate ystart = DATE_NONE;
	int ret;

	(void)r;
	if (!s)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	s->l = cn ? &gl_layout_bs_cn : &gl_layout_bs_ifrs;
	memset(&per, 0, sizeof per);
	memset(&a, 0, sizeof a);
	if (s->l->n > STMT_MAX) {
		ret = kerr_set(err, K_EINTERNAL, NULL, "layout too long");
		goto out;
	}
	if ((ret = period_param(t, p, "period", &per, err)) ||
	    (ret = year_start(t, &per, &ystart, err)))
		goto out;
	if ((ret = store_cursor_open(t, &account_schema, "code", &c, err)))
		goto out;
	while ((ret = store_cursor_next(c, &a, err)) == 0) {
		struct gl_sum sum;
		int line;

		if (!a.postable)
			continue;
		line = gl_layout_item(s->l, a.code, a.type);
		if (line < 0)
			continue;
		/* From the year's first period: the opening is the year's. */
		if ((ret = gl_balance(t, a.h.id, ystart, per.end, -1, &sum,
				      err)))
			break;
		if ((ret = stmt_add(s, line, 0, sum.closing * s->l->lines[line].sign,
				    a.code, err)) ||
		    (ret = stmt_add(s, line, 1, sum.opening * s->l->lines[line].sign,
				    a.code, err)))
			break;
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	if (!ret)
		ret = stmt_sums(s, err);
	if (!ret)
		ret = stmt_emit(s, !cn, emit, arg, err);
out:
	store_cursor_close(&c);
	store_rec_clear(&period_schema, &per);
	store_rec_clear(&account_schema, &a);
	free(s);
	return ret;
}

const struct report report_balance_sheet = {
	.name = "balance-sheet",
	.title = N_("Balance sheet"),
	.perm = "report.balance-sheet",
	.params = bs_params,
	.nparams = NELEM(bs_params),
	.cols = bs_cols,
	.ncols = SC_N,
	.wide = false,
	.group_label = NULL,
	.sorted = N_("in the statement's order (finance/gl_layouts.c)"),
	.chart = RC_NONE,
	.source = bs_source,
};

static const struct rparam is_params[] = {
	{ "from", N_("From period"), RP_PERIOD, NULL, NULL, NULL, false },
	{ "to", N_("To period"), RP_PERIOD, NULL, NULL, NULL, false },
};

static const struct rcol is_cols[SC_N] = {
	{ "line", N_("Item"), 44, RA_LEFT, RF_TEXT, false },
	{ "period", N_("This period"), 17, RA_RIGHT, RF_AMOUNT, false },
	{ "year_to_date", N_("Year to date"), 17, RA_RIGHT, RF_AMOUNT, false },
};

static bool is_pl(const char *type)
{
	return type && (strcmp(type, "income") == 0 ||
			strcmp(type, "expense") == 0);
}

/*
 * Takes the year-end close out of the income statement: its entries
 * (source "close", dated a fiscal year's last day) bring income and
 * expense to zero, which a statement of the year must not show.  They
 * are found on the date index at each year end inside from .. to.
 */
static int is_unclose(struct store_txn *t, struct stmt *s, int col,
		      kdate from, kdate to, struct kerr *err)
{
	struct store_cursor *yc = NULL, *jc = NULL;
	struct fyear y;
	struct journal j;
	struct account a;
	char d[DATE_BUFSZ];
	int ret;

	memset(&y, 0, sizeof y);
	memset(&j, 0, sizeof j);
	memset(&a, 0, sizeof a);
	if ((ret = store_cursor_open(t, &fyear_schema, "start", &yc, err)) ||
	    (ret = store_cursor_open(t, &journal_schema, "date", &jc, err)))
		goto out;
	while ((ret = store_cursor_next(yc, &y, err)) == 0) {
		if (y.end < from || y.end > to)
			continue;
		for (ret = store_cursor_seek(jc, datestr(y.end, d, sizeof d),
					     false, &j, err);
		     ret == 0 && j.date == y.end;
		     ret = store_cursor_next(jc, &j, err)) {
			if (!j.source || strcmp(j.source, "close") != 0)
				continue;
			for (size_t i = 0; i < j.lines.n && !ret; i++) {
				const struct jline *l =
					&((const struct jline *)j.lines.items)[i];
				int line;
				if ((ret = store_get(t, &account_schema,
						     l->account, &a, err)))
					break;
				line = is_pl(a.type) ?
				       gl_layout_item(s->l, a.code, a.type) : -1;
				if (line < 0)
					continue;
				ret = stmt_add(s, line, col,
					       (l->credit - l->debit) *
					       s->l->lines[line].sign,
					       a.code, err);
			}
			if (ret)
				break;
		}
		ret = store_walk_end(ret, err);
		if (ret)
			break;
	}
	ret = store_walk_end(ret, err);
out:
	store_cursor_close(&jc);
	store_cursor_close(&yc);
	store_rec_clear(&fyear_schema, &y);
	store_rec_clear(&journal_schema, &j);
	store_rec_clear(&account_schema, &a);
	return ret;
}

static int is_source(struct store_txn *t, const struct report *r,
		     const struct rparams *p, remit_fn emit, void *arg,
		     struct kerr *err)
{
	bool cn = gl_chart_of(t) == GL_CHART_CN;
	struct stmt *s = calloc(1, sizeof *s);
	struct store_cursor *c = NULL;
	struct period from, to;
	struct account a;
	kdate ystart = DATE_NONE;
	int ret;

	(void)r;
	if (!s)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	s->l = cn ? &gl_layout_is_cn : &gl_layout_is_ifrs;
	memset(&from, 0, sizeof from);
	memset(&to, 0, sizeof to);
	memset(&a, 0, sizeof a);
	if (s->l->n > STMT_MAX) {
		ret = kerr_set(err, K_EINTERNAL, NULL, "layout too long");
		goto out;
	}
	if ((ret = period_range(t, p, &from, &to, err)) ||
	    (ret = year_start(t, &to, &ystart, err)))
		goto out;
	if (from.start < ystart) {
		ret = kerr_set(err, K_EUSAGE, "from",
			       _("parameter from: period %s is in an earlier fiscal year than %s"),
			       from.code, to.code);
		goto out;
	}
	if ((ret = store_cursor_open(t, &account_schema, "code", &c, err)))
		goto out;
	while ((ret = store_cursor_next(c, &a, err)) == 0) {
		struct gl_sum sp, sy;
		int line;

		/* Income and expense accounts only: the profit. */
		if (!a.postable || !is_pl(a.type))
			continue;
		line = gl_layout_item(s->l, a.code, a.type);
		if (line < 0)
			continue;
		if ((ret = gl_balance(t, a.h.id, from.start, to.end, -1, &sp,
				      err)) ||
		    (ret = gl_balance(t, a.h.id, ystart, to.end, -1, &sy, err)))
			break;
		/* Movement debit-positive, shown in the line's sign. */
		if ((ret = stmt_add(s, line, 0,
				    (sp.debit - sp.credit) * s->l->lines[line].sign,
				    a.code, err)) ||
		    (ret = stmt_add(s, line, 1,
				    (sy.debit - sy.credit) * s->l->lines[line].sign,
				    a.code, err)))
			break;
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	if (!ret)
		ret = is_unclose(t, s, 0, from.start, to.end, err);
	if (!ret)
		ret = is_unclose(t, s, 1, ystart, to.end, err);
	if (!ret)
		ret = stmt_sums(s, err);
	if (!ret)
		ret = stmt_emit(s, !cn, emit, arg, err);
out:
	store_cursor_close(&c);
	store_rec_clear(&period_schema, &from);
	store_rec_clear(&period_schema, &to);
	store_rec_clear(&account_schema, &a);
	free(s);
	return ret;
}

const struct report report_income_statement = {
	.name = "income-statement",
	.title = N_("Income statement"),
	.perm = "report.income-statement",
	.params = is_params,
	.nparams = NELEM(is_params),
	.cols = is_cols,
	.ncols = SC_N,
	.wide = false,
	.group_label = NULL,
	.sorted = N_("in the statement's order (finance/gl_layouts.c)"),
	.chart = RC_NONE,
	.source = is_source,
};

/* ------------------------------------------------------------ cost centres */

enum { CC_ACCOUNT, CC_NAME, CC_DEBIT, CC_CREDIT, CC_NET, CC_N };

static const struct rparam cc_params[] = {
	{ "from", N_("From period"), RP_PERIOD, NULL, NULL, NULL, false },
	{ "to", N_("To period"), RP_PERIOD, NULL, NULL, NULL, false },
	{ "cost_centre", N_("Cost centre"), RP_REF, "department", NULL, NULL,
	  false },
	{ "unassigned", N_("Lines without a cost centre"), RP_CHOICE, NULL,
	  "no|yes", "no", false },
};

static const struct rcol cc_cols[CC_N] = {
	{ "account", N_("Account"), 10, RA_LEFT, RF_TEXT, false },
	{ "name", N_("Name"), 21, RA_LEFT, RF_TEXT, false },
	{ "debit", N_("Debit"), 15, RA_RIGHT, RF_AMOUNT, true },
	{ "credit", N_("Credit"), 15, RA_RIGHT, RF_AMOUNT, true },
	{ "net", N_("Net"), 15, RA_RIGHT, RF_AMOUNT, true },
};

/* The accounts that moved in cost centre cc (0: none) as rows of group. */
static int cc_accounts(struct store_txn *t, int64_t cc, kdate from, kdate to,
		       const char *group, remit_fn emit, void *arg,
		       struct kerr *err)
{
	struct store_cursor *c = NULL;
	struct account a;
	int ret;

	memset(&a, 0, sizeof a);
	if ((ret = store_cursor_open(t, &account_schema, "code", &c, err)))
		return ret;
	while ((ret = store_cursor_next(c, &a, err)) == 0) {
		struct gl_sum s;
		struct rcell cells[CC_N];

		if (!a.postable)
			continue;
		if ((ret = gl_balance(t, a.h.id, from, to, cc, &s, err)))
			break;
		if (s.debit == 0 && s.credit == 0)
			continue;
		cells[CC_ACCOUNT] = rcell_text(a.code);
		cells[CC_NAME] = rcell_text(a.name);
		cells[CC_DEBIT] = rcell_num(s.debit);
		cells[CC_CREDIT] = rcell_num(s.credit);
		cells[CC_NET] = rcell_num(s.debit - s.credit);
		struct rrow row = { .cells = cells, .group = group };
		if ((ret = emit(arg, &row, err)))
			break;
	}
	ret = store_walk_end(ret, err);
	store_cursor_close(&c);
	store_rec_clear(&account_schema, &a);
	return ret;
}

static int cc_source(struct store_txn *t, const struct report *r,
		     const struct rparams *p, remit_fn emit, void *arg,
		     struct kerr *err)
{
	const char *only = rparam(p, "cost_centre");
	struct store_cursor *c = NULL;
	struct period from, to;
	struct department d;
	char group[300];
	int ret;

	(void)r;
	memset(&from, 0, sizeof from);
	memset(&to, 0, sizeof to);
	memset(&d, 0, sizeof d);
	if ((ret = period_range(t, p, &from, &to, err)))
		goto out;
	if ((ret = store_cursor_open(t, &department_schema, "code", &c, err)))
		goto out;
	ret = *only ? store_cursor_seek(c, only, false, &d, err) :
		      store_cursor_next(c, &d, err);
	for (; ret == 0; ret = store_cursor_next(c, &d, err)) {
		if (*only && strcmp(d.code ? d.code : "", only) != 0)
			break;
		snprintf(group, sizeof group, "%s %s", d.code ? d.code : "",
			 d.name ? d.name : "");
		if ((ret = cc_accounts(t, d.h.id, from.start, to.end, group,
				       emit, arg, err)))
			break;
	}
	ret = store_walk_end(ret, err);
	if (!ret && !*only && strcmp(rparam(p, "unassigned"), "yes") == 0)
		ret = cc_accounts(t, 0, from.start, to.end,
				  _("(no cost centre)"), emit, arg, err);
out:
	store_cursor_close(&c);
	store_rec_clear(&period_schema, &from);
	store_rec_clear(&period_schema, &to);
	store_rec_clear(&department_schema, &d);
	return ret;
}

const struct report report_cost_centres = {
	.name = "cost-centres",
	.title = N_("Cost centres"),
	.perm = "report.cost-centres",
	.params = cc_params,
	.nparams = NELEM(cc_params),
	.cols = cc_cols,
	.ncols = CC_N,
	.wide = false,
	.group_label = N_("Cost centre"),
	.sorted = N_("by cost centre code, then by account code"),
	.chart = RC_NONE,
	.source = cc_source,
};
