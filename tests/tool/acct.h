/*
 * acct.h - the test table "acct" (code, name, balance) that ktool and
 * the benchmark share, and the transfer both run.  Definitions, not declarations: include it once
 * per program.
 */
#ifndef KONTOR_TESTS_ACCT_H
#define KONTOR_TESTS_ACCT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct acct {
	struct store_rec h;
	char *code;
	char *name;
	int64_t balance;
};

static const struct store_field acct_fields[] = {
	{ 1, "code", SF_TEXT, offsetof(struct acct, code), NULL, NULL },
	{ 2, "name", SF_TEXT, offsetof(struct acct, name), NULL, NULL },
	{ 3, "balance", SF_MONEY, offsetof(struct acct, balance), NULL, NULL },
};
static const struct store_index acct_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "name", STORE_IX_FOLD, { "name" } },
};
static const struct store_schema acct_schema = {
	"acct", 1, sizeof(struct acct), acct_fields, 3, acct_ix, 2, 0,
};

/* One transfer between accounts a and b (ids), for store_write(). */
struct acct_transfer {
	int64_t a, b;
	int64_t amount;
	long attempts;              /* runs of acct_transfer_fn: retries show */
};

static inline int acct_transfer_fn(struct store_txn *t, void *arg,
				   struct kerr *e)
{
	struct acct_transfer *x = arg;
	struct acct a = { 0 }, b = { 0 };
	int ret;

	x->attempts++;
	if ((ret = store_get(t, &acct_schema, x->a, &a, e)))
		goto out;
	if ((ret = store_get(t, &acct_schema, x->b, &b, e)))
		goto out;
	a.balance -= x->amount;
	b.balance += x->amount;
	if ((ret = store_update(t, &acct_schema, &a, e)))
		goto out;
	ret = store_update(t, &acct_schema, &b, e);
out:
	store_rec_clear(&acct_schema, &a);
	store_rec_clear(&acct_schema, &b);
	return ret;
}

#endif
