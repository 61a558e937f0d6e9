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

/* A busy transaction is tried again for this long, at most. */
#define RETRY_MS 10000

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
	/*
	 * Writers never wait for a lock: a conflict aborts at once and the
	 * caller's retry loop runs the work again.  Nobody sleeping on a
	 * lock is what keeps failchk from hanging in 5.3 (HACKING, "Locks").
	 */
	ret = st->env->txn_begin(st->env, NULL, &t->txn,
				 snapshot ? DB_TXN_SNAPSHOT : DB_TXN_NOWAIT);
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
	free(t);
}

int store_txn_commit(struct store_txn **tp, struct kerr *err)
{
	struct store_txn *t = *tp;
	int ret;

	*tp = NULL;
	ret = t->txn->commit(t->txn, 0);
	if (ret)
		store_dberr(t->st, ret, err, _("commit"));
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

int store_env_txn_usage(DB_ENV *env, struct store_txn_usage *u)
{
	DB_TXN_STAT *ts;
	int ret;

	memset(u, 0, sizeof *u);
	if ((ret = env->txn_stat(env, &ts, 0)))
		return ret;
	u->active = ts->st_nactive;
	u->versions = ts->st_nsnapshot;
	u->max = ts->st_maxtxns;
	free(ts);
	return 0;
}

int store_txn_usage(struct store *st, struct store_txn_usage *u,
		    struct kerr *err)
{
	int ret = store_env_txn_usage(st->env, u);

	return ret ? store_dberr(st, ret, err, _("transaction table")) : 0;
}

long store_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Sleeps a random while that grows with the attempt, 20 ms at most. */
void store_backoff(int attempt)
{
	long max_us = 100L << (attempt < 8 ? attempt : 8);
	struct timespec ts;

	max_us = max_us > 20000 ? 20000 : max_us;
	long us = 50 + rand() % max_us;
	ts.tv_sec = 0;
	ts.tv_nsec = us * 1000;
	nanosleep(&ts, NULL);
}

static int run(struct store *st, bool snapshot, store_fn fn, void *arg,
	       struct kerr *err)
{
	long start = store_now_ms();
	int ret = 0;

	for (int attempt = 0;; attempt++) {
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
		if (ret != K_EBUSY || !st->retry || store_now_ms() - start > RETRY_MS)
			return ret;
		store_backoff(attempt);
	}
}

int store_write(struct store *st, store_fn fn, void *arg, struct kerr *err)
{
	return run(st, false, fn, arg, err);
}

int store_read(struct store *st, store_fn fn, void *arg, struct kerr *err)
{
	return run(st, true, fn, arg, err);
}
