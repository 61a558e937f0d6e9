/*
 * acct.h - the test table "acct" (code, name, balance) that ktool and
 * the benchmark share.  Definitions, not declarations: include it once
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
	"acct", 1, sizeof(struct acct), acct_fields, 3, acct_ix, 2,
};

#endif
