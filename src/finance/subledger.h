/*
 * subledger.h - accounts receivable and accounts payable: documents
 * (customer invoices and credit notes, supplier invoices and debit
 * notes), receipts and payments with their allocations, the open items
 * they leave, the party balances, dunning, the payment proposal and
 * the control-account check.
 *
 * AR and AP are one machine with two settings (struct sl_ledger): the
 * same record layouts in tables of their own (arinv/apinv, arrcpt/
 * appay, aritem/apitem, aralloc/apalloc), the same posting code, the
 * signs and the account roles differing.
 *
 * Signs.  An open item's amount is what the party owes us (AR) or what
 * we owe the party (AP): an invoice is positive, a credit note (AR) or
 * debit note (AP) and money received or paid on account negative.  The
 * control account's balance (debit - credit) is sign x the sum of the
 * open amounts, sign being +1 for AR (1122 应收账款 is debit-normal) and
 * -1 for AP (2202 应付账款).
 *
 * Posting.  Every post runs in ONE store_write transaction: the
 * document (status posted, its number from its series, gap free), its
 * open items, the allocations it makes, the party balance and the
 * journal entry (gl_post) commit together or not at all.  Documents
 * amounts are in the base currency for now (currency empty or the
 * base); see HACKING, "Receivables and payables".
 *
 * Rounding.  sl_line_amounts() is the one place a line's net and tax
 * are rounded (tax per line, the Chinese fapiao practice): the screens,
 * the importer's checks and the posting all call it.
 */
#ifndef KONTOR_FINANCE_SUBLEDGER_H
#define KONTOR_FINANCE_SUBLEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/kerr.h"
#include "masters/entity.h"
#include "store/store.h"

/* ------------------------------------------------------------ records */

/* A line of an invoice or note (element of sldoc.lines). */
struct slline {
	struct store_elem e;
	int64_t item;            /* REF item, optional: its description,
				    price and tax code are the defaults */
	int64_t account;         /* REF account: revenue (AR) or expense /
				    asset (AP); 0 = the role's account */
	char *description;
	int64_t qty;             /* QTY, scale 3; 0 is taken as 1 */
	int64_t price;           /* PRICE, scale 4 */
	int64_t discount;        /* RATE, 0..1: 10% is 100000 */
	int64_t tax_code;        /* REF tax; 0 = the item's, else none */
	int64_t tax_rate;        /* RATE: the tax code's, set by the check */
	int64_t net;             /* MONEY, computed: sl_line_amounts */
	int64_t tax;             /* MONEY, computed: sl_line_amounts */
};

/*
 * A customer invoice or credit note (table arinv), a supplier invoice or
 * debit note (table apinv).  Drafts are edited freely; posting fills
 * number, journal and due and makes the record read-only for good.
 */
struct sldoc {
	struct store_rec h;
	char *code;              /* the draft's key: given (an import), or
				    taken from a counter when saved empty
				    ("AR-D000001"); never changes */
	char *kind;              /* invoice | credit-note (AR) or
				    debit-note (AP) */
	char *status;            /* draft | posted */
	int64_t party;           /* REF party: a customer (AR) / supplier */
	kdate date;              /* the document's (and the entry's) date */
	int64_t terms;           /* REF terms; 0 = the party's; none at
				    all: due on the date */
	int64_t currency;        /* REF currency: empty or the base one */
	char *reference;         /* customer's order / supplier's invoice no. */
	char *description;
	int64_t applies_to;      /* REF the same table: the posted invoice a
				    note corrects (its open amount goes
				    down), or 0 */
	int64_t net, tax, gross; /* MONEY, computed from the lines */
	char *number;            /* set by posting: "INV-000042" */
	int64_t journal;         /* REF journal: set by posting */
	kdate due;               /* set by posting: the last due date */
	struct store_list lines; /* struct slline */
};

/* What a receipt or payment does to one open item (slpay.allocs). */
struct slpayline {
	struct store_elem e;
	char *item;              /* the open item's code: "INV-000042", or
				    "INV-000042/2" for an instalment */
	int64_t amount;          /* MONEY applied, signed like the item
				    (negative: an on-account credit used) */
	int64_t writeoff;        /* MONEY written off on the item; the item
				    goes down by amount + writeoff */
	int64_t open;            /* shown: the item's open amount as checked */
	kdate due;               /* shown: the item's due date */
};

/*
 * A receipt from a customer (table arrcpt) or a payment to a supplier
 * (table appay): money through a bank account, applied to open items;
 * what is not applied stays on account as a negative open item.
 */
struct slpay {
	struct store_rec h;
	char *code;              /* the draft's key, like sldoc.code */
	char *status;            /* draft | posted */
	int64_t party;           /* REF party */
	kdate date;
	int64_t bank;            /* REF account; 0 = the role bank's */
	int64_t amount;          /* MONEY received / paid, >= 0 */
	char *reference;
	char *number;            /* set by posting: "RCPT-000007" */
	int64_t journal;         /* REF journal: set by posting */
	int64_t allocated;       /* MONEY, computed: sum of allocs' amount */
	int64_t unapplied;       /* MONEY, computed: amount - allocated */
	int64_t writeoff;        /* MONEY, computed: sum of allocs' writeoff */
	int64_t proposal;        /* REF approp: the run that made it (AP) */
	struct store_list allocs;   /* struct slpayline */
	char *description;
	int64_t reverses;        /* REF the same table: set on a reversal,
				    the receipt/payment it undoes (its
				    amounts are that one's negated) */
	int64_t reversed_by;     /* REF the same table: set on the original
				    when it is reversed */
};

/*
 * An open item (tables aritem, apitem): one instalment of a document,
 * or money on account.  Written by posting only; not an entity.
 */
struct openitem {
	struct store_rec h;
	char *code;              /* doc number, "/N" for instalment N > 1
				    of several ("INV-000042/2") */
	int64_t party;           /* REF party */
	char *doc_type;          /* invoice | credit-note | debit-note |
				    receipt | payment */
	char *doc;               /* the document's number */
	int64_t document;        /* REF arinv/apinv: the invoice or note */
	int64_t instalment;      /* 1.. */
	kdate date;              /* the document's date */
	kdate due;
	int64_t amount;          /* MONEY, signed (top of this file) */
	int64_t open;            /* MONEY left; same sign as amount, or 0 */
	char *status;            /* open | closed */
	kdate last_alloc;        /* the latest allocation's date, or NONE */
	int64_t dunning_level;   /* AR: 0..3, raised by dunning runs */
	kdate dunned;            /* AR: the date of the run that raised it */
	int64_t payment;         /* REF arrcpt/appay: money on account */
};

/* An allocation (tables aralloc, apalloc): item went down by amount +
   writeoff on date, by document doc. */
struct slalloc {
	struct store_rec h;
	int64_t item;            /* REF the item table */
	kdate date;
	int64_t amount;          /* MONEY, signed like the item */
	int64_t writeoff;        /* MONEY */
	char *doc;               /* "RCPT-000007", "CN-000003" */
	int64_t party;           /* REF party */
	int64_t payment;         /* REF arrcpt/appay when doc is one */
};

/* Receivable and payable of one party (table partybal; derived). */
struct partybal {
	struct store_rec h;
	int64_t party;           /* REF party, unique */
	int64_t ar;              /* MONEY: sum of the open AR items */
	int64_t ap;              /* MONEY: sum of the open AP items */
};

/* A line of a payment proposal (approp.lines). */
struct proline {
	struct store_elem e;
	int64_t party;           /* REF party: the supplier */
	char *item;              /* open item code */
	kdate due;               /* shown */
	int64_t open;            /* shown: the open amount when proposed */
	int64_t amount;          /* MONEY to pay (the clerk may lower it) */
	char *payment;           /* set by the run: the payment's number */
};

/*
 * A payment proposal (table approp): what is open and due by due_by,
 * proposed for payment on pay_date; reviewed (lines removed or
 * lowered), then paid as a run: one payment per supplier.
 */
struct approp {
	struct store_rec h;
	char *code;              /* "PROP-000001" */
	kdate due_by;
	kdate pay_date;
	int64_t bank;            /* REF account; 0 = the role bank's */
	int64_t supplier;        /* REF party: only this one; 0 = all */
	char *status;            /* open | paid */
	int64_t total;           /* MONEY, computed: sum of the lines */
	int64_t payments;        /* set by the run: payments made */
	struct store_list lines; /* struct proline */
};

/* ----------------------------------------------------------- ledgers */

struct sl_ledger {
	const char *name;            /* "ar" | "ap" */
	int sign;                    /* +1 AR, -1 AP (top of this file) */
	const char *control_role;    /* "receivable" | "payable" */
	const char *line_role;       /* "revenue" | "purchases" */
	const char *tax_kind;        /* "output" | "input" */
	bool customer;               /* parties must be customers (AR) or
					suppliers (AP) */
	const char *note_kind;       /* "credit-note" | "debit-note" */
	const char *inv_series;      /* "AR-INV" | "AP-INV" */
	const char *note_series;     /* "AR-CN" | "AP-DN" */
	const char *pay_series;      /* "AR-RCPT" | "AP-PAY" */
	const char *pay_type;        /* "receipt" | "payment" */
	const char *doc_prefix;      /* draft codes: "AR-D", "AP-D" */
	const char *pay_prefix;      /* "AR-R", "AP-P" */
	const struct store_schema *doc, *pay, *item, *alloc;
	const struct entity *doc_entity, *pay_entity;
};

extern const struct sl_ledger sl_ar, sl_ap;

extern const struct store_schema arinv_schema, apinv_schema, slline_schema,
	arrcpt_schema, appay_schema, slpayline_schema, aritem_schema,
	apitem_schema, aralloc_schema, apalloc_schema, partybal_schema,
	approp_schema, proline_schema;
extern const struct entity arinv_entity, apinv_entity, arrcpt_entity,
	appay_entity, approp_entity;

/* ------------------------------------------------------------ limits */

/*
 * The largest write-off on one allocation line, in minor units of the
 * base currency: 10.00.  A constant, not a setting: a bigger
 * difference is a credit note's business, with a reason on paper.
 */
#define SL_WRITEOFF_MAX 1000

/* Most lines a document, allocations a payment, due dates a document. */
#define SL_MAX_LINES 500
#define SL_MAX_ALLOCS 500
#define SL_MAX_DUE 60

/*
 * Dunning levels by days past the due date: level 1 from 1 day, 2 from
 * 31, 3 from 61.  A run raises an item at most one level (a customer
 * always gets the reminder before the final demand) and at most once a
 * day (a second run on the same date changes nothing).
 */
#define AR_DUNNING_LEVELS 3
extern const int ar_dunning_days[AR_DUNNING_LEVELS];   /* { 1, 31, 61 } */

/* Flags of sl_doc_post. */
#define SL_REFUSE_OVER_LIMIT 0x1u   /* AR: refuse an invoice that puts
				       the customer over the limit */

/* ------------------------------------------------------ calculations */

/*
 * THE rounding of a document line: net = round(qty x price x (1 -
 * discount)) to money, tax = round(net x rate), each rounded once half
 * away from zero (num_round_div).  qty scale 3, price scale 4,
 * discount and rate scale 6.  Worked: 3 x 33.3333 = 99.9999 -> 100.00,
 * tax 13% 13.00; 1.5 x 19.99 less 10% = 26.9865 -> 26.99, tax 13%
 * 3.5087 -> 3.51.  K_ERANGE when a result does not fit.
 */
int sl_line_amounts(int64_t qty, int64_t price, int64_t discount,
		    int64_t rate, int64_t *net, int64_t *tax);

/* Recomputes the lines' net and tax and the document's totals from the
   rates on the lines (no I/O: the entity's change step). */
void sl_doc_compute(struct sldoc *d);

/* Recomputes allocated, writeoff and unapplied of p (no I/O). */
void sl_pay_compute(struct slpay *p);

/* The dunning level an item reaches days_over days past due (0..3). */
int ar_dunning_level_for(int64_t days_over);

/* ---------------------------------------------------------- posting */

/* What a post did. */
struct sl_posted {
	char number[40];         /* the document's number */
	char journal[40];        /* the entry's code, "" when none */
	int64_t gross;           /* the document's total / the money */
	int64_t items;           /* open items made */
	/* AR invoices: the credit check as of the posting */
	bool over_limit;
	int64_t balance_after, credit_limit;
};

/*
 * Posts the draft document `code` of ledger L (an invoice or note) in
 * one transaction: checks it (party active and of the right kind,
 * lines, period open), takes its number (inv_series or note_series),
 * makes one open item per due date of its terms, applies a note to the
 * invoice it corrects, adds to the party balance and posts the journal
 * entry.  Refused: a posted document, no lines, a total of 0 or less, a
 * blocked party, a closed period; with flags SL_REFUSE_OVER_LIMIT an
 * AR invoice over the credit limit.  out (may be NULL) says what was
 * done.
 */
int sl_doc_post(struct store *st, const struct sl_ledger *L,
		const char *code, unsigned flags, struct sl_posted *out,
		struct kerr *err);

/*
 * The same post inside t, the caller's transaction, for a draft the
 * caller read (d->h.version set) or built (h.version 0: status and kind
 * default to draft and invoice, the code to a draft code, and it is
 * checked and inserted as a draft before it is posted), so that a bulk
 * loader (kontor demo --scale) posts many documents in one transaction
 * through this one posting code.  d becomes the posted record (the
 * caller clears it); on any error the caller must abort t.  Build or
 * read d inside the transaction function, as for sl_pay_post_txn.
 */
int sl_doc_post_txn(struct store_txn *t, const struct sl_ledger *L,
		    struct sldoc *d, unsigned flags, struct sl_posted *out,
		    struct kerr *err);

/*
 * Posts the draft receipt/payment `code` of ledger L: checks it, takes
 * its number, applies each allocation (refusing more than an item's
 * open amount, a write-off over SL_WRITEOFF_MAX, allocations adding up
 * to more than the money), leaves the rest on account as a negative
 * open item, and posts Dr bank / Dr write-off / Cr receivable (AR) or
 * Dr payable / Cr bank / Cr write-off (AP).
 */
int sl_pay_post(struct store *st, const struct sl_ledger *L,
		const char *code, struct sl_posted *out, struct kerr *err);

/*
 * Reverses the posted receipt/payment `number` of ledger L (a bounced
 * cheque, money booked to the wrong customer), dated `date` (DATE_NONE:
 * today; not before the original), in one transaction: every item it
 * settled is open again by what it applied and wrote off (an
 * allocation of the negated amounts, dated `date`, so aging as of an
 * earlier day is unchanged), its money on account is taken back
 * (refused when that was applied since: undo that first), the party's
 * balance goes back up, its journal entry is mirrored (gl_reverse_own)
 * and a reversal record is posted in the same table with the next
 * number of the series, the amounts negated and reverses set; the
 * original gets reversed_by.  `why` (may be NULL) is the reversal's
 * description.  out->number is the reversal's number.
 */
int sl_pay_reverse(struct store *st, const struct sl_ledger *L,
		   const char *number, kdate date, const char *why,
		   struct sl_posted *out, struct kerr *err);

/*
 * The same inside t for a record the caller built (p->h.version 0: it is
 * inserted) or read (a draft: updated).  p becomes the posted record.
 * Build or read p inside the transaction function: store_write runs it
 * again after a lock conflict, and a record inserted by the try that was
 * rolled back keeps its id and version.
 */
int sl_pay_post_txn(struct store_txn *t, const struct sl_ledger *L,
		    struct slpay *p, struct sl_posted *out,
		    struct kerr *err);

/* ---------------------------------------------------------- queries */

/* The open item with code in L's item table (K_ENOTFOUND). */
int sl_item_find(struct store_txn *t, const struct sl_ledger *L,
		 const char *code, struct openitem *out, struct kerr *err);

/*
 * The open amount of item it as of day asof: its amount minus the
 * allocations dated on or before asof; 0 when it is dated after asof.
 */
int sl_item_open_asof(struct store_txn *t, const struct sl_ledger *L,
		      const struct openitem *it, kdate asof, int64_t *open,
		      struct kerr *err);

/* A party's balances (0 when it never had an item). */
int sl_party_balance(struct store_txn *t, int64_t party, int64_t *ar,
		     int64_t *ap, struct kerr *err);

/* The customer's credit position (the party screen, the warning). */
struct sl_credit {
	int64_t balance;         /* receivable now */
	int64_t limit;           /* party.credit_limit; 0 = no limit */
	int64_t available;       /* limit - balance; 0 when no limit */
	int64_t after;           /* balance + the amount asked about */
	bool over;               /* a limit and after > limit */
};

/*
 * Would `amount` more put customer `party` over its credit limit?
 * Reads the party and its balance inside t.
 */
int ar_credit_check(struct store_txn *t, int64_t party, int64_t amount,
		    struct sl_credit *out, struct kerr *err);

/* The party screen's line: receivable, payable, credit limit and what
   is left of it (forms: info = "party_credit"). */
extern const struct ent_info party_credit_info;

/* The same for the draft invoice `code` (its gross), in a snapshot. */
int ar_invoice_credit(struct store *st, const char *code,
		      struct sl_credit *out, struct kerr *err);

/*
 * The invariants of L in one snapshot: the control account's balance
 * in glbal equals sign x the sum of the open items; every party's
 * balance equals the sum of its items; every item's open amount equals
 * its amount less its allocations.  report(arg, text) is called once a
 * difference; *problems counts them.
 */
int arap_verify(struct store *st, const struct sl_ledger *L,
		void (*report)(void *arg, const char *msg), void *arg,
		unsigned *problems, struct kerr *err);

/* ---------------------------------------------------------- dunning */

/*
 * A dunning run on date `date`: every open AR item with a positive open
 * amount past due gets the level its days past due allow (at most one
 * more than it had, not twice on one date); *raised (may be NULL) gets
 * how many items went up.  One transaction.  Letters: kontor report
 * dunning.
 */
int ar_dunning_run(struct store *st, kdate date, int64_t party,
		   unsigned *raised, struct kerr *err);

/* -------------------------------------------------- payment proposal */

/*
 * Makes a payment proposal: every supplier's open AP items due on or
 * before due_by (only supplier's when supplier != 0), with the
 * supplier's open credits (debit notes, payments on account) set
 * against them; suppliers whose net is not above 0 are left out.  pay
 * date and bank (0: role) are what the run will use.  code (n bytes)
 * gets the proposal's code; *lines its lines (0: nothing due, and no
 * proposal is made).
 */
int ap_proposal_make(struct store *st, kdate due_by, kdate pay_date,
		     int64_t bank, int64_t supplier, char *code, size_t n,
		     size_t *lines, struct kerr *err);

/*
 * Pays proposal `code` as a run, in ONE transaction: one payment per
 * supplier (the sum of its lines), each allocated to its lines, posted
 * like any payment; the proposal becomes paid.  Anything refused (an
 * item paid meanwhile, a supplier blocked) refuses the whole run,
 * naming the line.  *payments and *total (may be NULL) say what was
 * paid.
 */
int ap_proposal_pay(struct store *st, const char *code, size_t *payments,
		    int64_t *total, struct kerr *err);

/* ------------------------------------------------ inside the family */

/* Hooks (entity tables), shared by ar.c and ap.c. */
int sl_doc_validate(struct store_txn *t, const struct entity *e, void *rec,
		    struct kerr *err);
void sl_doc_change(const struct entity *e, void *rec);
int sl_doc_apply(struct store_txn *t, const struct entity *e, void *rec,
		 struct kerr *err);
int sl_pay_validate(struct store_txn *t, const struct entity *e, void *rec,
		    struct kerr *err);
void sl_pay_change(const struct entity *e, void *rec);
int sl_pay_apply(struct store_txn *t, const struct entity *e, void *rec,
		 struct kerr *err);

/* The ledger whose document or payment entity e is (NULL: neither). */
const struct sl_ledger *sl_ledger_of(const struct entity *e);

#endif
