/*
 * bench_store - the worker of the storage benchmark (tests/bench/run.sh).
 *
 *   bench_store create HOME [CACHE_MB]    a new home with the bench tables
 *   bench_store seed HOME N               N accounts (table acct), 1000.00 each
 *   bench_store load HOME N               N items (table item), 1000 per
 *                                         transaction, timed
 *   bench_store transfer HOME PROCS SECONDS SEED
 *                                         PROCS processes move random amounts
 *                                         between random accounts for SECONDS
 *   bench_store reads HOME SECONDS SEED   random store_get on items, 1000 per
 *                                         snapshot, for SECONDS
 *   bench_store scan HOME                 every item in primary order, then in
 *                                         name order, each in one snapshot
 *
 * All but create join the environment of a running kontor daemon as
 * clerks.  Each prints one result line of key=value words on stdout
 * (run.sh parses them); progress and errors go to stderr.  The figures
 * are measurements only: nothing here passes or fails on time.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "tests/tool/acct.h"

#define BATCH 1000               /* records per load / read transaction */
#define BALANCE 100000           /* 1000.00 in minor units */

/* acct: the small table of the transfers; item: the 1M-record table. */
static const struct store_schema item_schema = {
	"item", 1, sizeof(struct acct), acct_fields, 3, acct_ix, 2, 0,
};
static const struct store_schema *const schemas[] = {
	&acct_schema, &item_schema,
};

static const char *prog = "bench_store";

/*
 * SIGINT and SIGTERM stop a run between two transactions, so that no
 * process dies inside Berkeley DB (the daemon would have to recover).
 */
static volatile sig_atomic_t stopped;

static void on_stop(int sig)
{
	(void)sig;
	stopped = 1;
}

static void catch_stop(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

static int was_stopped(struct store **st)
{
	store_close(st);
	fprintf(stderr, "%s: stopped\n", prog);
	return 1;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64*: cheap, and each process has its own stream. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static uint64_t rnd_seed(uint64_t v)
{
	/* splitmix64 of v: never 0 for the seeds we use */
	v += 0x9E3779B97F4A7C15ULL;
	v = (v ^ (v >> 30)) * 0xBF58476D1CE4E5B9ULL;
	v = (v ^ (v >> 27)) * 0x94D049BB133111EBULL;
	v ^= v >> 31;
	return v ? v : 1;
}

static int fail(const char *what, const struct kerr *e)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, e->msg);
	return 1;
}

static int open_store(const char *home, enum store_mode mode,
		      int64_t cache_bytes, struct store **st, struct kerr *e)
{
	struct store_opts o = {
		.home = home, .mode = mode, .cache_bytes = cache_bytes,
		.login = "bench", .wait_ms = 10000,
		.schemas = schemas, .nschemas = 2,
	};
	return store_open(&o, st, e);
}

/* ------------------------------------------------------------ id range */

struct range {
	const struct store_schema *s;
	int64_t lo, hi;
};

static int range_fn(struct store_txn *t, void *arg, struct kerr *e)
{
	struct range *r = arg;
	struct store_cursor *c;
	struct acct a = { 0 };
	int ret;

	if ((ret = store_cursor_open(t, r->s, NULL, &c, e)))
		return ret;
	if ((ret = store_cursor_first(c, &a, e)) == 0) {
		r->lo = a.h.id;
		store_rec_clear(r->s, &a);
		if ((ret = store_cursor_last(c, &a, e)) == 0) {
			r->hi = a.h.id;
			store_rec_clear(r->s, &a);
		}
	}
	store_cursor_close(&c);
	return ret;
}

/* The first and last id of table s (ids are dense: one loader). */
static int id_range(struct store *st, const struct store_schema *s,
		    int64_t *lo, int64_t *span, struct kerr *e)
{
	struct range r = { s, 0, 0 };
	int ret = store_read(st, range_fn, &r, e);

	if (ret)
		return ret;
	*lo = r.lo;
	*span = r.hi - r.lo + 1;
	return 0;
}

/* ------------------------------------------------------------ load */

/* Names in no relation to ids, so the name index is walked at random. */
static const char *const surnames[] = {
	"Abel", "Bauer", "Cortez", "Dubois", "Engel", "Fischer", "Garcia",
	"Hansen", "Ivanova", "Jensen", "Kowalski", "Larsen", "Moreau",
	"Nakamura", "Olsen", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka",
	"Ueda", "Varga", "Weber", "Xu", "Yilmaz", "Zimmermann", "Novak",
	"Horvat", "Silva", "Costa", "Nguyen", "Kim",
};
static const char *const given[] = {
	"anna", "Boris", "CLARA", "david", "Eva", "Felix", "greta", "Hugo",
	"Ines", "jonas", "Karin", "Lukas", "Mia", "noah", "Olga", "Paul",
};

struct load {
	const struct store_schema *s;
	char prefix;
	int64_t from, to;               /* record numbers [from, to) */
};

static int load_fn(struct store_txn *t, void *arg, struct kerr *e)
{
	struct load *l = arg;
	char code[24], name[64];

	for (int64_t i = l->from; i < l->to; i++) {
		struct acct a = { 0 };
		uint64_t h = rnd_seed((uint64_t)i);
		int ret;

		snprintf(code, sizeof code, "%c%07" PRId64, l->prefix, i + 1);
		snprintf(name, sizeof name, "%s %s %06u",
			 surnames[h % 32], given[(h >> 8) % 16],
			 (unsigned)((h >> 16) % 1000000));
		a.code = code;
		a.name = name;
		a.balance = BALANCE;
		if ((ret = store_insert(t, l->s, &a, e)))
			return ret;
	}
	return 0;
}

static int load(const char *home, const struct store_schema *s, int64_t n,
		bool progress)
{
	struct store *st;
	struct kerr e;
	double t0, t1, last;
	int64_t step = n / 10 > BATCH ? n / 10 : BATCH;

	if (open_store(home, STORE_CLERK, 0, &st, &e))
		return fail(home, &e);
	t0 = last = now();
	for (int64_t i = 0; i < n; i += BATCH) {
		if (stopped)
			return was_stopped(&st);
		struct load l = { s, s == &item_schema ? 'I' : 'A', i,
				  i + BATCH < n ? i + BATCH : n };
		if (store_write(st, load_fn, &l, &e)) {
			store_close(&st);
			return fail("load", &e);
		}
		if (progress && l.to % step == 0 && l.to < n) {
			double t = now();
			fprintf(stderr, "  load: %" PRId64 " of %" PRId64
				" records, %.0f inserts/s lately\n", l.to, n,
				(double)step / (t - last));
			last = t;
		}
	}
	t1 = now();
	store_close(&st);
	printf("table=%s records=%" PRId64 " seconds=%.3f rate=%.0f\n",
	       s->name, n, t1 - t0, (double)n / (t1 - t0));
	return 0;
}

/* ------------------------------------------------------------ transfer */

struct result {
	long done;                      /* committed transfers */
	long busy;                      /* store_write gave K_EBUSY */
	long retries;                   /* attempts beyond the first */
	int failed;
};

/* One transfer process: joins, says ready, waits for go, runs. */
static void transfer_child(const char *home, double seconds, uint64_t seed,
			   int ready_fd, int go_fd, int res_fd)
{
	struct store *st;
	struct kerr e;
	struct result r = { 0 };
	int64_t lo, span;
	char c = 'F', buf;
	uint64_t rs = rnd_seed(seed);

	if (open_store(home, STORE_CLERK, 0, &st, &e)) {
		fail(home, &e);
		goto failed;
	}
	if (id_range(st, &acct_schema, &lo, &span, &e) || span < 2) {
		fail("accounts", &e);
		store_close(&st);
		goto failed;
	}
	c = 'R';
	if (write(ready_fd, &c, 1) != 1)
		_exit(1);
	/* EOF on go: start.  A stop before that: leave without a result. */
	while (read(go_fd, &buf, 1) < 0 && errno == EINTR && !stopped)
		;
	if (stopped) {
		store_close(&st);
		_exit(1);
	}
	double end = now() + seconds;
	while (!stopped && now() < end) {
		struct acct_transfer x = { lo + (int64_t)(rnd(&rs) % (uint64_t)span),
				  0, 1 + (int64_t)(rnd(&rs) % 10000), 0 };
		do
			x.b = lo + (int64_t)(rnd(&rs) % (uint64_t)span);
		while (x.b == x.a);
		int ret = store_write(st, acct_transfer_fn, &x, &e);
		r.retries += x.attempts > 1 ? x.attempts - 1 : 0;
		if (ret == 0) {
			r.done++;
		} else if (ret == K_EBUSY) {
			r.busy++;
		} else {
			fail("transfer", &e);
			r.failed = 1;
			break;
		}
	}
	store_close(&st);
	r.failed |= stopped;
	if (write(res_fd, &r, sizeof r) != (ssize_t)sizeof r)
		_exit(1);
	_exit(r.failed);
failed:
	if (write(ready_fd, &c, 1) != 1)
		_exit(1);
	_exit(1);
}

static pid_t *pids;
static int npids;
static bool forwarded;

/* Asks every child to stop after its current transaction (once). */
static void stop_children(void)
{
	if (forwarded)
		return;
	forwarded = true;
	for (int i = 0; i < npids; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
}

static void reap(void)
{
	for (int i = 0; i < npids; i++) {
		while (pids[i] > 0 && waitpid(pids[i], NULL, 0) < 0 &&
		       errno == EINTR)
			if (stopped)
				stop_children();
		pids[i] = 0;
	}
}

/* Reads exactly n bytes; false on EOF or error.  Passes a stop on. */
static bool read_all(int fd, void *p, size_t n)
{
	char *b = p;

	while (n) {
		if (stopped)
			stop_children();
		ssize_t got = read(fd, b, n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return false;
		b += got;
		n -= (size_t)got;
	}
	return true;
}

static int transfer(const char *home, int procs, double seconds,
		    unsigned seed)
{
	int ready[2], go[2], res[2];
	struct result sum = { 0 };
	double t0, t1;
	int bad = 0;

	if (!(pids = calloc((size_t)procs, sizeof *pids)) || pipe(ready) ||
	    pipe(go) || pipe(res)) {
		perror(prog);
		return 1;
	}
	fflush(NULL);
	for (int i = 0; i < procs; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror(prog);
			stop_children();
			close(go[1]);
			reap();
			return 1;
		}
		if (pid == 0) {
			/* The child keeps catch_stop(): it stops gracefully. */
			close(ready[0]);
			close(go[1]);
			close(res[0]);
			transfer_child(home, seconds,
				       (uint64_t)seed * 1000u + (uint64_t)i,
				       ready[1], go[0], res[1]);
		}
		pids[i] = pid;
		npids = i + 1;
	}
	close(ready[1]);
	close(go[0]);
	close(res[1]);
	/* Everyone has joined the environment: start them together. */
	for (int i = 0; i < procs; i++) {
		char c;
		if (!read_all(ready[0], &c, 1) || c != 'R') {
			bad = 1;
			break;
		}
	}
	if (bad || stopped) {
		stop_children();
		close(go[1]);
		reap();
		fprintf(stderr, "%s: transfer: %s\n", prog, stopped ? "stopped" :
			"a process could not start");
		return 1;
	}
	t0 = now();
	close(go[1]);
	for (int i = 0; i < procs; i++) {
		struct result r;
		if (!read_all(res[0], &r, sizeof r)) {
			bad = 1;
			break;
		}
		sum.done += r.done;
		sum.busy += r.busy;
		sum.retries += r.retries;
		bad |= r.failed;
	}
	t1 = now();
	if (bad)
		stop_children();
	reap();
	free(pids);
	if (bad || stopped) {
		fprintf(stderr, "%s: transfer: %s\n", prog, stopped ? "stopped" :
			"a process failed");
		return 1;
	}
	printf("procs=%d done=%ld busy=%ld retries=%ld seconds=%.3f rate=%.1f\n",
	       procs, sum.done, sum.busy, sum.retries, t1 - t0,
	       (double)sum.done / (t1 - t0));
	return 0;
}

/* ------------------------------------------------------------ reads */

struct reads {
	int64_t lo, span;
	uint64_t rs;
	long misses;
};

static int reads_fn(struct store_txn *t, void *arg, struct kerr *e)
{
	struct reads *r = arg;

	for (int i = 0; i < BATCH; i++) {
		struct acct a = { 0 };
		int64_t id = r->lo + (int64_t)(rnd(&r->rs) % (uint64_t)r->span);
		int ret = store_get(t, &item_schema, id, &a, e);
		if (ret == K_ENOTFOUND)
			r->misses++;
		else if (ret)
			return ret;
		store_rec_clear(&item_schema, &a);
	}
	return 0;
}

static int reads(const char *home, double seconds, unsigned seed)
{
	struct store *st;
	struct kerr e;
	struct reads r = { 0, 0, rnd_seed(seed), 0 };
	long n = 0;
	double t0, end, t1;

	if (open_store(home, STORE_CLERK, 0, &st, &e))
		return fail(home, &e);
	if (id_range(st, &item_schema, &r.lo, &r.span, &e)) {
		store_close(&st);
		return fail("items", &e);
	}
	t0 = now();
	end = t0 + seconds;
	do {
		if (stopped)
			return was_stopped(&st);
		if (store_read(st, reads_fn, &r, &e)) {
			store_close(&st);
			return fail("reads", &e);
		}
		n += BATCH;
	} while ((t1 = now()) < end);
	store_close(&st);
	printf("reads=%ld misses=%ld seconds=%.3f rate=%.0f\n", n, r.misses,
	       t1 - t0, (double)n / (t1 - t0));
	return 0;
}

/* ------------------------------------------------------------ scan */

struct scan {
	const char *index;
	long n;
	int64_t sum;
};

static int scan_fn(struct store_txn *t, void *arg, struct kerr *e)
{
	struct scan *s = arg;
	struct store_cursor *c;
	struct acct a = { 0 };
	int ret;

	s->n = 0;
	s->sum = 0;
	if ((ret = store_cursor_open(t, &item_schema, s->index, &c, e)))
		return ret;
	while (!stopped && (ret = store_cursor_next(c, &a, e)) == 0) {
		s->n++;
		s->sum += a.balance;
		store_rec_clear(&item_schema, &a);
	}
	store_cursor_close(&c);
	return ret == K_ENOTFOUND ? 0 : ret;
}

static int scan(const char *home)
{
	struct store *st;
	struct kerr e;
	struct scan sc[2] = { { NULL, 0, 0 }, { "name", 0, 0 } };
	double secs[2];
	struct rusage ru;

	if (open_store(home, STORE_CLERK, 0, &st, &e))
		return fail(home, &e);
	for (int i = 0; i < 2; i++) {
		double t0 = now();
		if (store_read(st, scan_fn, &sc[i], &e)) {
			store_close(&st);
			return fail("scan", &e);
		}
		if (stopped)
			return was_stopped(&st);
		secs[i] = now() - t0;
		if (sc[i].sum != (int64_t)sc[i].n * BALANCE) {
			fprintf(stderr, "%s: scan: balances do not add up\n", prog);
			store_close(&st);
			return 1;
		}
	}
	store_close(&st);
	getrusage(RUSAGE_SELF, &ru);
	printf("primary=%ld primary_seconds=%.3f primary_rate=%.0f "
	       "name=%ld name_seconds=%.3f name_rate=%.0f maxrss_kb=%ld\n",
	       sc[0].n, secs[0], (double)sc[0].n / secs[0],
	       sc[1].n, secs[1], (double)sc[1].n / secs[1], ru.ru_maxrss);
	return 0;
}

/* ------------------------------------------------------------ main */

static int create(const char *home, long cache_mb)
{
	struct store *st;
	struct kerr e;

	if (open_store(home, STORE_CREATE, (int64_t)cache_mb << 20, &st, &e))
		return fail(home, &e);
	store_close(&st);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: see the comment at the top of tests/bench/bench_store.c\n");
	return 64;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return usage();
	const char *cmd = argv[1], *home = argv[2];

	catch_stop();

	if (strcmp(cmd, "create") == 0 && (argc == 3 || argc == 4))
		return create(home, argc == 4 ? atol(argv[3]) : 0);
	if (strcmp(cmd, "seed") == 0 && argc == 4 && atoll(argv[3]) >= 2)
		return load(home, &acct_schema, atoll(argv[3]), false);
	if (strcmp(cmd, "load") == 0 && argc == 4 && atoll(argv[3]) >= 1)
		return load(home, &item_schema, atoll(argv[3]), true);
	if (strcmp(cmd, "transfer") == 0 && argc == 6 && atoi(argv[3]) >= 1)
		return transfer(home, atoi(argv[3]), atof(argv[4]),
				(unsigned)atol(argv[5]));
	if (strcmp(cmd, "reads") == 0 && argc == 5)
		return reads(home, atof(argv[3]), (unsigned)atol(argv[4]));
	if (strcmp(cmd, "scan") == 0 && argc == 3)
		return scan(home);
	return usage();
}
