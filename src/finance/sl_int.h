/*
 * sl_int.h - what the receivables and payables files share among
 * themselves (openitem.c, sldoc.c, slpay.c, ar.c, ap.c,
 * arap_reports.c); subledger.h is the public header.
 */
#ifndef KONTOR_FINANCE_SL_INT_H
#define KONTOR_FINANCE_SL_INT_H

#include <string.h>

#include "finance/gl.h"
#include "finance/subledger.h"
#include "masters/masters.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Derived tables are not audited where the store can say so. */
#ifdef STORE_NOAUDIT
#define SL_NOAUDIT_INIT .flags = STORE_NOAUDIT,
#else
#define SL_NOAUDIT_INIT
#endif

/* strdup that sets err (K_ENOMEM) on failure; s NULL is "". */
int sl_dup(char **dst, const char *s, struct kerr *err);

/* Frees *dst and puts a copy of s there. */
int sl_set_text(char **dst, const char *s, struct kerr *err);

/* True when s is NULL or "". */
static inline bool sl_empty(const char *s)
{
	return !s || !*s;
}

static inline bool sl_is(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

/*
 * Reads party id into p and checks it may take a new document of L:
 * it exists, is active, and is a customer (AR) or supplier (AP).
 * Errors name `field`.
 */
int sl_party_check(struct store_txn *t, const struct sl_ledger *L,
		   int64_t id, const char *field, struct party *p,
		   struct kerr *err);

/*
 * Makes a new open item of L and writes it: open = amount, status open
 * (closed when amount is 0).  code as described in struct openitem.
 * out (may be NULL) gets it.
 */
int sl_item_add(struct store_txn *t, const struct sl_ledger *L,
		int64_t party, const char *doc_type, const char *doc,
		int64_t document, int64_t payment, int64_t instalment,
		int64_t ninst, kdate date, kdate due, int64_t amount,
		struct openitem *out, struct kerr *err);

/*
 * Takes amount + writeoff off item it (read inside t, updated and
 * written back) and writes the allocation row, dated date, by doc
 * (payment: its id when doc is a receipt or payment, else 0).
 * Refused (err->field "allocs", msg prefixed by `what`) when the item
 * is closed, dated after date, or the reduction is 0, of the other
 * sign, or more than its open amount.
 */
int sl_item_reduce(struct store_txn *t, const struct sl_ledger *L,
		   struct openitem *it, int64_t amount, int64_t writeoff,
		   kdate date, const char *doc, int64_t payment,
		   const char *what, struct kerr *err);

/*
 * Undoes an allocation of amount + writeoff to item it (a reversed
 * receipt): the item is open again by that much, and an allocation of
 * the negated amounts dated `date` by doc says so.
 */
int sl_item_restore(struct store_txn *t, const struct sl_ledger *L,
		    struct openitem *it, int64_t amount, int64_t writeoff,
		    kdate date, const char *doc, int64_t payment,
		    struct kerr *err);

/* The receipt and payment screens' "reverse" action (slpay.c). */
int sl_pay_reverse_action(struct store *st, const struct entity *e,
			  void *rec, char *msg, size_t n, struct kerr *err);

/* Adds delta to party's balance in L (the row is made when missing). */
int sl_balance_add(struct store_txn *t, const struct sl_ledger *L,
		   int64_t party, int64_t delta, struct kerr *err);

/*
 * Appends a line to j: amount on the debit side when positive, on the
 * credit side (as a positive credit) when negative; nothing when 0.
 */
int sl_jadd(struct journal *j, int64_t account, int64_t amount,
	    int64_t party, const char *memo, struct kerr *err);

/* The account of role, with the field to blame when there is none. */
int sl_role(struct store_txn *t, const char *role, int64_t *account,
	    struct kerr *err);

/*
 * A draft's code when it was saved without one: prefix + the counter
 * "draft.TABLE", six digits ("AR-D000001").
 */
int sl_draft_code(struct store_txn *t, const struct store_schema *s,
		  const char *prefix, char **code, struct kerr *err);

/* The base currency's check: currency must be 0 or the base. */
int sl_currency_check(struct store_txn *t, int64_t currency,
		      struct kerr *err);

#endif
