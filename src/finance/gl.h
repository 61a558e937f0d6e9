/*
 * gl.h - the general ledger: journal entries, the one posting path,
 * balances per account and period, account roles, recurring entries,
 * reversals and the year-end close.
 *
 * Every module that moves money (receivables, payables, fixed assets,
 * later stock and payroll) builds a struct journal and calls gl_post()
 * inside its own document's transaction: the document, its journal
 * entry and the balances commit together or not at all.  gl_post
 * refuses an unbalanced entry, a closed period, an unknown, blocked or
 * heading account, and numbers the entry from its series without gaps.
 *
 * A posted entry is never changed.  gl_reverse() posts its mirror image
 * and links the two; that link is the only field of a posted entry that
 * is ever written again.
 *
 * Amounts are in the base currency's minor unit (MONEY, scale 2).  A
 * line in another currency carries the currency, the rate (RATE, base
 * units for one unit) and the amount in that currency (fx_amount,
 * signed: positive on the debit side); gl_check computes its base debit
 * or credit as fx_amount x rate, rounded once (num.h), and the entry
 * must balance in the base currency.
 *
 * Balances: table glbal holds, per account, period and cost centre, the
 * debits and credits posted.  Reports (trial balance, balance sheet)
 * read it, so they cost the number of accounts and periods, never the
 * number of postings.  glbal is derived data, not audited; gl_verify()
 * recomputes it from the journal and names any difference.
 */
#ifndef KONTOR_FINANCE_GL_H
#define KONTOR_FINANCE_GL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/kerr.h"
#include "masters/entity.h"
#include "store/store.h"

/* One line of a journal entry (element of journal.lines). */
struct jline {
	struct store_elem e;
	int64_t account;         /* REF account: postable, active */
	int64_t debit, credit;   /* MONEY, base currency: exactly one is
				    non-zero (negative allowed: red-ink
				    corrections, 红字冲销) */
	int64_t party;           /* REF party, optional */
	int64_t cost_centre;     /* REF department, optional */
	char *memo;
	int64_t currency;        /* REF currency; 0 = the base currency */
	int64_t rate;            /* RATE: base units per currency unit;
				    0 = the rate of the entry's date */
	int64_t fx_amount;       /* MONEY in `currency`, + debit / - credit;
				    foreign lines only */
};

/*
 * A posted journal entry (记账凭证).  Fields marked "set by posting"
 * are computed by gl_check/gl_post whatever the caller put there.
 */
struct journal {
	struct store_rec h;
	char *code;              /* set by posting: "JE-000042" */
	char *series;            /* number series; empty: "GL-JE" */
	kdate date;              /* required */
	int64_t period;          /* REF period: set by posting from date */
	char *description;       /* required */
	char *source;            /* manual | import | recurring | reversal |
				    close | ar | ap | fa; empty: manual */
	char *source_ref;        /* the document or run that posted it:
				    "INV-000042", "FA 2026-03", "TPL RENT
				    2026-03"; indexed, for idempotent runs */
	int64_t reverses;        /* REF journal: the entry this reverses */
	int64_t reversed_by;     /* REF journal: set by gl_reverse */
	int64_t total;           /* set by posting: sum of the debits */
	struct store_list lines; /* struct jline, at least 2 */
};

/* Debits and credits posted to one account in one period and cost
   centre (derived: see the top of this file). */
struct glbal {
	struct store_rec h;
	int64_t account;         /* REF account */
	kdate pstart;            /* the period's first day (ordering) */
	int64_t cost_centre;     /* REF department, 0 = none */
	int64_t period;          /* REF period */
	int64_t debit, credit;   /* MONEY, sums of the lines */
};

/*
 * The lines of the entries by account and date (derived, like glbal):
 * one row per line, written by gl_post with the entry, so that the
 * general ledger of one account reads that account's lines only
 * instead of every entry of the range.  The entry holds the rest of
 * the line (party, memo); gl_verify checks the rows against it.
 */
struct jlinex {
	struct store_rec h;
	int64_t account;         /* REF account */
	kdate date;              /* the entry's date */
	int64_t entry;           /* REF journal */
	int64_t line;            /* index in the entry's lines, from 0 */
	int64_t debit, credit;   /* MONEY, the line's */
};

/*
 * Which account plays a part in automatic postings: "receivable" is
 * 1122 in the Chinese chart, 1100 in the IFRS one.  One record per role
 * (code = the role's name, from gl_roles[]); loaded with the chart by
 * `kontor db init --chart` and editable under Finance setup.
 */
struct glrole {
	struct store_rec h;
	char *code;              /* a name from gl_roles[] */
	int64_t account;         /* REF account, postable */
	char *note;
};

struct gl_role_def {
	const char *name;        /* "receivable" */
	const char *what;        /* N_("trade receivables control account") */
};
extern const struct gl_role_def gl_roles[];
extern const size_t gl_nroles;

/* A recurring entry: lines posted once per period by gl_recur_run(). */
struct jtemplate {
	struct store_rec h;
	char *code;              /* "RENT" */
	char *description;       /* becomes the entry's description */
	int64_t day;             /* day of the month the entry is dated,
				    1..31 (past the month's end: its last
				    day) */
	kdate start, end;        /* first and last month it runs (end may
				    be DATE_NONE: no end) */
	char *status;            /* active | blocked */
	struct store_list lines; /* struct jline */
};

/* What one account did over a date range (gl_balance). */
struct gl_sum {
	int64_t opening;         /* debit - credit before the range */
	int64_t debit, credit;   /* posted inside the range */
	int64_t closing;         /* opening + debit - credit */
};

extern const struct store_schema journal_schema, jline_schema,
	glbal_schema, jlinex_schema, glrole_schema, jtemplate_schema;
extern const struct entity journal_entity, glrole_entity,
	jtemplate_entity;

/* The series an entry takes its number from when it names none. */
#define GL_SERIES "GL-JE"

/*
 * Checks j inside t and sets its computed fields (period, base amounts
 * of foreign lines, total, source "manual" when empty); writes nothing.
 * Refused with err->field set, naming the line ("line 3: account 1001
 * is a heading"):
 *   - no date, no description, fewer than 2 lines;
 *   - a date outside every period, or in a closed period or year
 *     ("period 2026-01 is closed");
 *   - a line without an account, with an unknown, blocked or heading
 *     account, with both or neither of debit and credit, with a
 *     currency the account does not take, with a foreign currency and
 *     no rate for the date;
 *   - debits and credits that differ ("debits 100.00, credits 99.99");
 *   - j already posted (h.id != 0): "a posted entry is not changed:
 *     reverse it".
 */
int gl_check(struct store_txn *t, struct journal *j, struct kerr *err);

/*
 * Posts j inside t, the caller's transaction: gl_check, the number from
 * j->series (gap free), the entry, and its lines added to glbal.  On
 * success j holds the entry as written (id, code).  On any error the
 * caller must abort t.
 */
int gl_post(struct store_txn *t, struct journal *j, struct kerr *err);

/*
 * The first entry posted with this source_ref ("FA 2026-03"), for runs
 * that must post once: 0 and *id (may be NULL), or K_ENOTFOUND.
 */
int gl_find_source(struct store_txn *t, const char *source_ref, int64_t *id,
		   struct kerr *err);

/*
 * Posts the reversal of entry id, dated `date` (DATE_NONE: the entry's
 * own date), inside t: the same lines with debit and credit swapped,
 * description "Reversal of JE-000042: ...", source "reversal",
 * reverses = id; and sets the original's reversed_by.  Refused when the
 * entry is already reversed or is itself a reversal, and for an entry
 * posted by ar, ap or fa (its document is corrected there).  *out (may be
 * NULL) gets the new entry; the caller clears it.
 */
int gl_reverse(struct store_txn *t, int64_t id, kdate date,
	       struct journal *out, struct kerr *err);

/*
 * A subledger's reversal of its own entry (a receipt reversed): like
 * gl_reverse, for an entry whose source is `source` ("ar"); the mirror
 * has that source, source_ref `ref` (the reversing document's number)
 * and `why` (may be NULL) in its description.  The subledger undoes its
 * document in the same transaction.
 */
int gl_reverse_own(struct store_txn *t, int64_t id, kdate date,
		   const char *source, const char *ref, const char *why,
		   struct journal *out, struct kerr *err);

/*
 * What account `account` did from `from` to `to` (inclusive, by period:
 * both dates are rounded out to the periods containing them; DATE_NONE
 * from = since the beginning), summed over every cost centre when
 * cost_centre < 0, else for that cost centre (0 = lines without one).
 * A heading sums every account below it.  Reads glbal only.
 */
int gl_balance(struct store_txn *t, int64_t account, kdate from, kdate to,
	       int64_t cost_centre, struct gl_sum *out, struct kerr *err);

/*
 * The account of role `role` (a gl_roles[] name).  K_ENOTFOUND "no
 * account for role receivable: set it under Finance setup > Account
 * roles" when none is set.
 */
int gl_role_account(struct store_txn *t, const char *role, int64_t *account,
		    struct kerr *err);

/*
 * Closes period `code` ("2026-03"): no entry may be dated in it any
 * more.  Refused while an earlier period of the same year is open
 * ("close 2026-02 first").  gl_reopen_period opens it again (refused
 * when its year is closed).
 */
int gl_close_period(struct store *st, const char *code, struct kerr *err);
int gl_reopen_period(struct store *st, const char *code, struct kerr *err);

/*
 * The year-end close of fiscal year `code` ("2026"): one entry dated the
 * year's last day that brings every income and expense account to zero
 * against the "profit" role's account (4103 本年利润), then a second
 * that moves the year's profit from there to the "retained" role's
 * account (4104 利润分配); then every period of the year and the year
 * itself are closed, and the next fiscal year is created when it does
 * not exist (starting in fy_start_month; 0: the month after this year's
 * last).  Refused when the year is closed already.  *entries (may be
 * NULL) gets how many entries were posted (0 when there was nothing to
 * move).  The fiscal year screen runs it as the action gl_close_year.
 */
int gl_close_year(struct store *st, const char *code, int fy_start_month,
		  int *entries, struct kerr *err);

/*
 * Posts, for period `code` ("2026-03"), one entry per active template
 * whose months include it and that has not posted for it yet
 * (source_ref "TPL CODE 2026-03" already there: skipped), all in one
 * transaction.  *posted and *skipped (may be NULL) get the counts.
 */
int gl_recur_run(struct store *st, const char *period_code, int *posted,
		 int *skipped, struct kerr *err);

/*
 * Recomputes every glbal row from the posted entries and compares:
 * calls report(arg, text) once per difference ("1122 2026-03: balance
 * table says debit 100.00, the entries 90.00") and sets *problems.
 * Also checks that every entry balances.  Reads a snapshot.
 */
int gl_verify(struct store *st, void (*report)(void *arg, const char *msg),
	      void *arg, unsigned *problems, struct kerr *err);

#endif
