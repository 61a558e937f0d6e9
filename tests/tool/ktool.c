/*
 * ktool - the test suite's helper: a test table of accounts, the
 * kontor command with that table registered, and the worker processes
 * of the multi-process test.
 *
 *   ktool kontor ARGS...          the kontor command, knowing table acct
 *   ktool seed HOME N             N accounts A0001.. with 1000.00 each
 *   ktool set HOME CODE AMOUNT    set one balance (a normal save)
 *   ktool total HOME              print the sum of all balances
 *   ktool clerk HOME              join as a clerk, exit with the status
 *   ktool transfer HOME SECONDS SEED
 *                                 move random amounts between random
 *                                 accounts until SECONDS pass (SECONDS
 *                                 may be @EPOCH, an absolute end)
 *   ktool audit HOME SECONDS EXPECT
 *                                 read snapshots; every total must be EXPECT
 *   ktool post HOME N PREFIX      post N journal entries through gl_post as
 *                                 a clerk, one durable transaction each:
 *                                 6602 debit / 1002 credit, i.00 for the
 *                                 i-th, source_ref "PREFIX i"; prints
 *                                 "CODE PREFIX i AMOUNT" once each has
 *                                 committed, and stops at the first failure
 *                                 with "kontor: MESSAGE" and its sysexits
 *                                 status (the disk-full test)
 *   ktool arpost HOME SECONDS ID ACKFILE
 *   ktool archeck HOME ACKFILE...
 *                                 the crash test's clerks posting invoices
 *                                 and receipts, and its check: see
 *                                 tests/tool/arcrash.c
 *
 * Workers print one progress line per second so the parent sees a hang.
 */
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/num.h"
#include "cli/cli.h"
#include "config/perm.h"
#include "finance/gl.h"
#include "masters/entity.h"
#include "masters/fin.h"
#include "store/store.h"
#include "tests/tool/acct.h"
#include "tests/tool/arcrash.h"

static const struct store_schema *const schemas[] = { &acct_schema };

static int open_store(const char *home, enum store_mode mode,
		      struct store **st, struct kerr *e)
{
	struct store_opts o = {
		.home = home, .mode = mode, .login = perm_process_login(),
		.wait_ms = 5000, .schemas = schemas, .nschemas = 1,
	};
	return store_open(&o, st, e);
}

/*
 * The watcher evicts every process (SIGUSR1) when one died holding a
 * Berkeley DB mutex: we may be stuck inside the library, and nothing in
 * this process image can be trusted to go on, so the handler starts the
 * program afresh (execv is async-signal-safe).  The arguments carry the
 * absolute end time, so the new image works until the same moment.
 */
static char *self_argv[8];

static void on_evict(int sig)
{
	(void)sig;
	/*
	 * An alarm survives execv: one due while the new image starts,
	 * before it has a handler, would kill it (SIGALRM).
	 */
	alarm(0);
	execv("/proc/self/exe", self_argv);
	_exit(75);
}

static void catch_evictions(void)
{
	struct sigaction sa = { .sa_handler = on_evict };
	sigset_t set;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	/*
	 * The same when one call into the store takes far too long: we are
	 * stuck in an environment that was recovered without us.
	 */
	sigaction(SIGALRM, &sa, NULL);
	alarm(0);            /* an alarm survives execv */
	/* A new image inherits the mask the handler ran with. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* "@EPOCH" is an absolute end time, anything else seconds from now. */
static double end_time(const char *arg)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (arg[0] == '@')
		return atof(arg + 1);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9 + atof(arg);
}

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Sets self_argv to argv with argv[3] replaced by "@END" and the work
 * done so far as a last argument, so that counts survive a restart.  Two
 * buffers: the handler always sees a complete one.
 */
static char donebuf[2][32];
static volatile sig_atomic_t donecur;

static void remember_done(long done)
{
	int next = !donecur;

	snprintf(donebuf[next], sizeof donebuf[next], "%ld", done);
	self_argv[5] = donebuf[next];
	donecur = next;
}

static void remember_args(char **argv, double end, long done)
{
	static char endbuf[32];

	snprintf(endbuf, sizeof endbuf, "@%.3f", end);
	for (int i = 0; i < 5; i++)
		self_argv[i] = argv[i];
	self_argv[3] = endbuf;
	self_argv[6] = NULL;
	remember_done(done);
	catch_evictions();
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ seed */

struct seed {
	int from, to;
};

static int seed_fn(struct store_txn *t, void *arg, struct kerr *e)
{
	struct seed *s = arg;
	char code[16], name[32];

	for (int i = s->from; i < s->to; i++) {
		struct acct a = { 0 };
		snprintf(code, sizeof code, "A%04d", i + 1);
		snprintf(name, sizeof name, "Account %d 账户", i + 1);
		a.code = code;
		a.name = name;
		a.balance = 100000;
		int ret = store_insert(t, &acct_schema, &a, e);
		if (ret)
			return ret;
	}
	return 0;
}

static int seed(const char *home, int n)
{
	struct store *st;
	struct kerr e;

	if (open_store(home, STORE_ONEOFF, &st, &e))
		return fprintf(stderr, "ktool: %s\n", e.msg), 1;
	for (int i = 0; i < n; i += 100) {
		struct seed s = { i, i + 100 < n ? i + 100 : n };
		if (store_write(st, seed_fn, &s, &e)) {
			fprintf(stderr, "ktool: seed: %s\n", e.msg);
			store_close(&st);
			return 1;
		}
	}
	store_close(&st);
	return 0;
}

/* ------------------------------------------------------------ set, total */

struct setarg {
	const char *code;
	int64_t amount;
};

static int set_fn(struct store_txn *t, void *arg, struct kerr *e)
{
	struct setarg *s = arg;
	struct acct a = { 0 };
	int ret = store_find_text(t, &acct_schema, "code", s->code, &a, e);

	if (ret)
		return ret;
	a.balance = s->amount;
	ret = store_update(t, &acct_schema, &a, e);
	store_rec_clear(&acct_schema, &a);
	return ret;
}

static int sum_fn(struct store_txn *t, void *arg, struct kerr *e)
{
	int64_t *sum = arg;
	struct store_cursor *c;
	struct acct a = { 0 };
	int ret;

	*sum = 0;
	if ((ret = store_cursor_open(t, &acct_schema, NULL, &c, e)))
		return ret;
	while ((ret = store_cursor_next(c, &a, e)) == 0) {
		*sum += a.balance;
		store_rec_clear(&acct_schema, &a);
	}
	store_cursor_close(&c);
	return ret == K_ENOTFOUND ? 0 : ret;
}

/* ------------------------------------------------------------ transfer */

static int count_fn(struct store_txn *t, void *arg, struct kerr *e)
{
	uint64_t n;
	int ret = store_count(t, &acct_schema, &n, e);
	*(int *)arg = (int)n;
	return ret;
}

static int transfer(const char *home, double end, unsigned seedv, long done)
{
	struct store *st = NULL;
	struct kerr e;
	double tick = now() + 1;
	long busy = 0, reopen = 0;
	int n = 0;

	srand(seedv ^ (unsigned)getpid());
	while (wall() < end) {
		if (!st) {
			if (open_store(home, STORE_CLERK, &st, &e)) {
				/* The daemon may be recovering: wait, try again. */
				usleep(100000);
				continue;
			}
			if (store_read(st, count_fn, &n, &e) || n < 2) {
				fprintf(stderr, "ktool: no accounts\n");
				return 1;
			}
		}
		struct acct_transfer x = { 1 + rand() % n, 0,
					   1 + rand() % 10000, 0 };
		do
			x.b = 1 + rand() % n;
		while (x.b == x.a);
		alarm(20);
		int ret = store_write(st, acct_transfer_fn, &x, &e);
		alarm(0);
		if (ret == 0) {
			remember_done(++done);
		} else if (ret == K_EBUSY) {
			busy++;
		} else if (ret == K_ERECOVER || !store_healthy(st)) {
			store_close(&st);
			reopen++;
		} else {
			fprintf(stderr, "ktool transfer: %s\n", e.msg);
			store_close(&st);
			return 1;
		}
		if (now() >= tick) {
			printf("transfer %ld done %ld busy %ld reopened\n",
			       done, busy, reopen);
			fflush(stdout);
			tick += 1;
		}
	}
	alarm(20);
	store_close(&st);
	alarm(0);
	printf("transfer %ld done %ld busy %ld reopened\n", done, busy, reopen);
	return 0;
}

static int audit(const char *home, double end, int64_t expect)
{
	struct store *st = NULL;
	struct kerr e;
	long reads = 0;

	while (wall() < end) {
		int64_t sum;
		if (!st && open_store(home, STORE_CLERK, &st, &e)) {
			usleep(100000);
			continue;
		}
		alarm(20);
		int ret = store_read(st, sum_fn, &sum, &e);
		alarm(0);
		if (ret == K_ERECOVER || (ret && !store_healthy(st))) {
			store_close(&st);
			continue;
		}
		if (ret) {
			fprintf(stderr, "ktool audit: %s\n", e.msg);
			store_close(&st);
			return 1;
		}
		if (sum != expect) {
			char a[NUM_BUFSZ], b[NUM_BUFSZ];
			fprintf(stderr, "ktool audit: at %.3f after %ld "
				"snapshots: total %s, expected %s\n",
				wall(), reads,
				num_format(sum, 2, true, a, sizeof a),
				num_format(expect, 2, true, b, sizeof b));
			store_close(&st);
			return 1;
		}
		reads++;
	}
	store_close(&st);
	printf("audit %ld snapshots, total constant\n", reads);
	return 0;
}

/* ------------------------------------------------------------ post */

struct postarg {
	int64_t debit_acct, credit_acct;
	struct journal j;
};

static int acct_id(struct store_txn *t, const char *code, int64_t *id,
		   struct kerr *e)
{
	struct account a;
	int ret;

	memset(&a, 0, sizeof a);
	if ((ret = store_find_text(t, &account_schema, "code", code, &a, e)))
		return kerr_prefix(e, "account %s", code);
	*id = a.h.id;
	store_rec_clear(&account_schema, &a);
	return 0;
}

static int post_ids_fn(struct store_txn *t, void *arg, struct kerr *e)
{
	struct postarg *p = arg;
	int ret = acct_id(t, "6602", &p->debit_acct, e);

	return ret ? ret : acct_id(t, "1002", &p->credit_acct, e);
}

static int post_fn(struct store_txn *t, void *arg, struct kerr *e)
{
	struct postarg *p = arg;

	/* gl_post sets the code; a retried attempt starts from scratch. */
	free(p->j.code);
	p->j.code = NULL;
	p->j.h.id = 0;
	return gl_post(t, &p->j, e);
}

/*
 * Posts n entries; every line printed names an entry whose commit
 * returned (durable: the default commit flushes the log).
 */
static int post(const char *home, long n, const char *prefix)
{
	struct store_opts o = {
		.home = home, .mode = STORE_CLERK,
		.login = perm_process_login(), .wait_ms = 5000,
		.schemas = ent_schemas, .nschemas = ent_nschemas,
	};
	struct postarg p;
	struct store *st;
	struct kerr e;
	char ref[64], desc[96], memo[300], amount[NUM_BUFSZ];
	int ret;

	memset(&p, 0, sizeof p);
	if ((ret = store_open(&o, &st, &e)) ||
	    (ret = store_read(st, post_ids_fn, &p, &e))) {
		fprintf(stderr, "kontor: %s\n", e.msg);
		store_close(&st);
		return kerr_exit_status(ret);
	}
	/* A memo that makes each entry a few hundred bytes of log. */
	memset(memo, 'm', sizeof memo - 1);
	memo[sizeof memo - 1] = 0;
	for (long i = 1; i <= n; i++) {
		struct jline l[2];

		memset(l, 0, sizeof l);
		snprintf(ref, sizeof ref, "%s %ld", prefix, i);
		snprintf(desc, sizeof desc, "disk full test %s", ref);
		l[0].account = p.debit_acct;
		l[0].debit = i * 100;
		l[0].memo = memo;
		l[1].account = p.credit_acct;
		l[1].credit = i * 100;
		p.j.date = date_today();
		p.j.description = desc;
		p.j.source_ref = ref;
		p.j.lines.items = l;
		p.j.lines.n = 2;
		ret = store_write(st, post_fn, &p, &e);
		if (ret) {
			fprintf(stderr, "kontor: %s\n", e.msg);
			printf("failed %s\n", ref);
			fflush(stdout);
			break;
		}
		printf("%s %s %s\n", p.j.code, ref,
		       num_format(i * 100, 2, false, amount, sizeof amount));
		fflush(stdout);
	}
	/* The strings were ours: only the code was allocated by posting. */
	free(p.j.code);
	free(p.j.series);
	free(p.j.source);
	alarm(20);
	store_close(&st);
	alarm(0);
	return ret ? kerr_exit_status(ret) : 0;
}

/* One-shot modes: evicted means "the database is being recovered". */
static void on_evict_oneshot(int sig)
{
	(void)sig;
	_exit(75);
}

int main(int argc, char **argv)
{
	signal(SIGUSR1, on_evict_oneshot);
	if (argc >= 2 && strcmp(argv[1], "kontor") == 0) {
		cli_schemas = schemas;
		cli_nschemas = 1;
		return cli_main(argc - 1, argv + 1);
	}
	if (argc == 4 && strcmp(argv[1], "seed") == 0)
		return seed(argv[2], atoi(argv[3]));
	if (argc == 5 && strcmp(argv[1], "set") == 0) {
		struct store *st;
		struct kerr e;
		struct setarg s = { argv[3], 0 };
		if (num_parse(argv[4], 2, &s.amount, &e) ||
		    open_store(argv[2], STORE_ONEOFF, &st, &e))
			return fprintf(stderr, "ktool: %s\n", e.msg), 1;
		int ret = store_write(st, set_fn, &s, &e);
		store_close(&st);
		if (ret)
			return fprintf(stderr, "ktool: %s\n", e.msg), 1;
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "total") == 0) {
		struct store *st;
		struct kerr e;
		int64_t sum;
		char buf[NUM_BUFSZ];
		if (open_store(argv[2], STORE_ONEOFF, &st, &e) ||
		    store_read(st, sum_fn, &sum, &e))
			return fprintf(stderr, "ktool: %s\n", e.msg), 1;
		store_close(&st);
		printf("%s\n", num_format(sum, 2, false, buf, sizeof buf));
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "clerk") == 0) {
		struct store *st;
		struct kerr e;
		if (open_store(argv[2], STORE_CLERK, &st, &e))
			return fprintf(stderr, "ktool: %s\n", e.msg),
			       kerr_exit_status(e.code);
		store_close(&st);
		return 0;
	}
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "transfer") == 0) {
		double end = end_time(argv[3]);
		long done = argc == 6 ? atol(argv[5]) : 0;
		remember_args(argv, end, done);
		return transfer(argv[2], end, (unsigned)atoi(argv[4]), done);
	}
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "audit") == 0) {
		int64_t expect;
		struct kerr e;
		if (num_parse(argv[4], 2, &expect, &e))
			return fprintf(stderr, "ktool: %s\n", e.msg), 1;
		double end = end_time(argv[3]);
		remember_args(argv, end, 0);
		return audit(argv[2], end, expect);
	}
	if (argc == 5 && strcmp(argv[1], "post") == 0)
		return post(argv[2], atol(argv[3]), argv[4]);
	int ret = arcrash_main(argc, argv);
	if (ret >= 0)
		return ret;
	fprintf(stderr, "usage: see the comment at the top of tests/tool/ktool.c\n");
	return 64;
}
