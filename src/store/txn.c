/*
 * txn.c - transactions: the one write path with its retry loop, and
 * snapshot reads.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/i18n.h"
#include "store/store_int.h"

#define MAX_ATTEMPTS 25
#define MAX_TIMEOUTS 3

int store_txn_begin(struct store *st, bool snapshot, struct store_txn **out,
		    struct kerr *err)
{
	struct store_txn *t;
	int ret;

	*out = NULL;
	if (st->panicked)
		return store_dberr(st, DB_RUNRECOVERY, err, _("transaction"));
	if (!(t = calloc(1, sizeof *t)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	t->st = st;
	t->snapshot = snapshot;
	ret = st->env->txn_begin(st->env, NULL, &t->txn,
				 snapshot ? DB_TXN_SNAPSHOT : 0);
	if (ret) {
		free(t);
		return store_dberr(st, ret, err, _("begin transaction"));
	}
	*out = t;
	return 0;
}

static void txn_free(struct store_txn *t)
{
	kbuf_free(&t->enc);
	free(t->fix);
	free(t);
}

int store_txn_commit(struct store_txn **tp, struct kerr *err)
{
	struct store_txn *t = *tp;
	int ret;

	*tp = NULL;
	ret = t->txn->commit(t->txn, 0);
	if (ret == 0) {
		for (size_t i = 0; i < t->nfix; i++) {
			t->fix[i].rec->version = t->fix[i].version;
			t->fix[i].rec->mtime_us = t->fix[i].mtime_us;
			snprintf(t->fix[i].rec->muser, sizeof t->fix[i].rec->muser,
				 "%s", t->st->login);
		}
	} else {
		store_dberr(t->st, ret, err, _("commit"));
	}
	txn_free(t);
	return ret ? err ? err->code : K_EINTERNAL : 0;
}

void store_txn_abort(struct store_txn **tp)
{
	struct store_txn *t = *tp;

	if (!t)
		return;
	*tp = NULL;
	(void)t->txn->abort(t->txn);
	txn_free(t);
}

struct store *store_txn_store(struct store_txn *t)
{
	return t->st;
}

static void backoff(int attempt)
{
	long max_us = 1000L << (attempt < 7 ? attempt : 7);
	struct timespec ts;

	max_us = max_us > 100000 ? 100000 : max_us;
	long us = 500 + rand() % max_us;
	ts.tv_sec = 0;
	ts.tv_nsec = us * 1000;
	nanosleep(&ts, NULL);
}

static int run(struct store *st, bool snapshot, store_fn fn, void *arg,
	       struct kerr *err)
{
	int timeouts = 0;
	int ret = 0;

	for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		struct store_txn *t;

		st->retry = false;
		if ((ret = store_txn_begin(st, snapshot, &t, err)))
			return ret;
		ret = fn(t, arg, err);
		if (ret == 0)
			ret = store_txn_commit(&t, err);
		else
			store_txn_abort(&t);
		if (ret == 0)
			return 0;
		if (ret != K_EBUSY || !st->retry)
			return ret;
		if (st->timedout && ++timeouts >= MAX_TIMEOUTS)
			return ret;
		backoff(attempt);
	}
	return ret;
}

int store_write(struct store *st, store_fn fn, void *arg, struct kerr *err)
{
	return run(st, false, fn, arg, err);
}

int store_read(struct store *st, store_fn fn, void *arg, struct kerr *err)
{
	return run(st, true, fn, arg, err);
}
