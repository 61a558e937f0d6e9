/*
 * watch.c - the watcher behind 'kontor daemon'.
 *
 * Recovery belongs to one process.  The watcher recovers the
 * environment when it starts alone, marks it ready, then every second
 * runs failchk, which rolls back the transactions of clerks that died
 * and frees their locks.  When a clerk died inside the library (failchk
 * says DB_RUNRECOVERY) the watcher panics the environment, waits until
 * every clerk has left, recovers and marks it ready again.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/i18n.h"
#include "store/store_int.h"

static void nap(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void say(const struct store_watch_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(const struct store_watch_opts *o, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (!o->log)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	o->log("%s", buf);
}

/* Removes or archives the log files no checkpoint needs any more. */
static void archive_logs(DB_ENV *env, const struct store_watch_opts *o)
{
	struct kerr e;

	if (store_logs_archive(env, o->keep_logs, o->archive_dir, &e))
		say(o, "%s", e.msg);
}

static void check_locks(DB_ENV *env, const struct store_watch_opts *o)
{
	DB_LOCK_STAT *ls;

	if (env->lock_stat(env, &ls, 0) == 0) {
		if (ls->st_maxlocks && ls->st_nlocks > ls->st_maxlocks / 10 * 8)
			say(o, "warning: %lu of %lu locks in use",
			    (unsigned long)ls->st_nlocks,
			    (unsigned long)ls->st_maxlocks);
		free(ls);
	}
}

/*
 * failchk runs in a thread of its own so that the watcher sees when it
 * hangs (5.3 can block for ever destroying the condition variable of a
 * lock a dead clerk was waiting for).  A hang is handled like a process
 * that died inside the library: panic, everyone leaves, recovery.
 */
#define JOB_CHECK 1u       /* failchk and the probe */
#define JOB_CKPT  2u       /* checkpoint when due, archive logs */
#define JOB_LOCKS 4u       /* warn when the lock table fills */
#define JOB_FINAL 8u       /* forced checkpoint before we stop */

struct checker {
	DB_ENV *env;
	DB *meta;                     /* for the probe transaction */
	const struct store_watch_opts *o;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool asked, done, quit;
	unsigned jobs;
	int ret;
	/* Set while the checkpoint of a job runs: it has a longer limit. */
	bool in_ckpt;
	struct timespec ckpt_start;
	/* What the checker last reported (its thread only). */
	int probe_err;                /* the probe's last failure, or 0 */
	time_t probe_said;
	bool txn_full;                /* warned that the table fills */
	time_t txn_said;
	int mutex_state;              /* 0 fine, 1 warned, 2 none left */
	time_t mutex_said;
	int ckpt_err;                 /* the checkpoint's last failure, or 0 */
	time_t ckpt_said;
};

static void check_locks(DB_ENV *env, const struct store_watch_opts *o);

/* A report repeated while its condition lasts: once a minute. */
#define REPEAT_SECS 60

/*
 * The probe commit fails when the environment cannot take a write: the
 * transaction table or the mutexes are exhausted (ENOMEM: "out of
 * memory" for every clerk, and every process that opens it, until
 * recovery), or a dead process holds the log.  A lock conflict with a
 * clerk is no news.
 */
static void check_probe(struct checker *c, int probe)
{
	time_t now = time(NULL);

	if (probe == DB_LOCK_DEADLOCK || probe == DB_LOCK_NOTGRANTED)
		return;
	if (probe == 0) {
		if (c->probe_err)
			say(c->o, "the probe commit works again");
		c->probe_err = 0;
		return;
	}
	if (probe == c->probe_err && now - c->probe_said < REPEAT_SECS)
		return;
	c->probe_err = probe;
	c->probe_said = now;
	if (probe == ENOSPC || probe == EDQUOT || store_disk_full(c->o->home))
		say(c->o, "error: no space left on the disk of %s: every posting fails until "
		    "space is freed there (the probe commit: %s)", c->o->home,
		    db_strerror(probe));
	else if (probe == ENOMEM)
		say(c->o, "error: the environment is out of shared memory (the probe commit: %s): "
		    "clerks cannot write or open it until it is recovered; everyone must leave, "
		    "then restart the daemon; 'kontor db stat' shows the transaction table",
		    db_strerror(probe));
	else
		say(c->o, "error: the probe commit failed: %s", db_strerror(probe));
}

/*
 * Committed transactions stay in the transaction table while page
 * versions they made are in the cache; DB_CONFIG sizes the table for a
 * cache full of them.  A busy environment with a full cache keeps it
 * about 85% full (HACKING): warn when it nears the bound all the same.
 */
static void check_txns(struct checker *c)
{
	struct store_txn_usage u;
	time_t now = time(NULL);

	if (store_env_txn_usage(c->env, &u) || !u.max)
		return;
	unsigned long used = u.active + u.versions;
	unsigned long pct = (unsigned long)((unsigned long long)used * 100 / u.max);
	if (pct >= 95 && (!c->txn_full || now - c->txn_said >= REPEAT_SECS)) {
		say(c->o, "warning: the transaction table is %lu%% full: %lu of %lu "
		    "(%lu running, %lu committed ones that own page versions in the cache); "
		    "when it is full clerks get \"out of memory\"",
		    pct, used, u.max, u.active, u.versions);
		c->txn_full = true;
		c->txn_said = now;
	} else if (c->txn_full && pct < 90) {
		say(c->o, "the transaction table is %lu%% full again", pct);
		c->txn_full = false;
	}
}

/*
 * Mutexes: one for each cache buffer, one for each committed transaction
 * that owns page versions, some for each process that joins.  When none
 * are left every write fails with "out of memory", and so does every
 * process that opens the environment, while the probe commit (which
 * needs one and frees one) may still pass.  The region grows on demand
 * up to its maximum (measured: 136 bytes a mutex, before and after).
 */
#define MUTEX_LOW 1000

static void check_mutexes(struct checker *c)
{
	DB_MUTEX_STAT *ms;
	time_t now = time(NULL);
	int state = 0;

	if (c->env->mutex_stat(c->env, &ms, 0) != 0)
		return;
	unsigned long inuse = ms->st_mutex_inuse, spare = ms->st_mutex_free;
	if (ms->st_mutex_cnt && ms->st_regmax > ms->st_regsize)
		spare += (unsigned long)((ms->st_regmax - ms->st_regsize) /
			 (ms->st_regsize / ms->st_mutex_cnt + 1));
	free(ms);
	unsigned long pct = (unsigned long)((unsigned long long)inuse * 100 /
					    (inuse + spare ? inuse + spare : 1));
	if (spare < MUTEX_LOW)
		state = 2;
	else if (pct >= 95 || (c->mutex_state && pct >= 90))
		state = 1;
	if (state && (state != c->mutex_state || now - c->mutex_said >= REPEAT_SECS)) {
		if (state == 2)
			say(c->o, "error: %lu mutexes left of %lu: clerks get \"out of memory\" and "
			    "new ones cannot open the database until it is recovered; everyone "
			    "must leave, then restart the daemon", spare, inuse + spare);
		else
			say(c->o, "warning: %lu%% of the mutexes are in use (%lu of %lu)",
			    pct, inuse, inuse + spare);
		c->mutex_said = now;
	} else if (!state && c->mutex_state) {
		say(c->o, "%lu%% of the mutexes are in use again", pct);
	}
	c->mutex_state = state;
}

static void *checker_main(void *arg)
{
	struct checker *c = arg;

	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (!c->asked && !c->quit)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->quit)
			break;
		c->asked = false;
		unsigned jobs = c->jobs;
		pthread_mutex_unlock(&c->mu);
		int ret = 0;
		if (jobs & JOB_CHECK) {
			ret = c->env->failchk(c->env, 0);
			if (ret == EBUSY)    /* 5.3: a dead handle's mutex; again */
				ret = c->env->failchk(c->env, 0);
		}
		/*
		 * The probe: a durable commit goes through the log's mutexes,
		 * where a process killed during its own commit leaves them
		 * held and failchk in 5.3 does not see it.
		 */
		DB_TXN *txn;
		if ((jobs & JOB_CHECK) && ret == 0 && c->meta) {
			int probe = c->env->txn_begin(c->env, NULL, &txn,
						      DB_TXN_NOWAIT);
			if (probe == 0) {
				char v[32];
				DBT k = { .data = "heartbeat", .size = 9 };
				DBT d = { .data = v, .size = (u_int32_t)snprintf(
						  v, sizeof v, "%ld", (long)time(NULL)) };
				if ((probe = c->meta->put(c->meta, txn, &k, &d, 0)) == 0)
					probe = txn->commit(txn, 0);
				else
					(void)txn->abort(txn);
			}
			check_probe(c, probe);
			check_txns(c);
			check_mutexes(c);
		}
		/* Everything that can block on a mutex runs here, watched. */
		if (ret == 0 && (jobs & (JOB_CKPT | JOB_FINAL))) {
			const struct store_watch_opts *o = c->o;
			pthread_mutex_lock(&c->mu);
			c->in_ckpt = true;
			clock_gettime(CLOCK_REALTIME, &c->ckpt_start);
			pthread_mutex_unlock(&c->mu);
			int r = (jobs & JOB_FINAL) ?
				c->env->txn_checkpoint(c->env, 0, 0, DB_FORCE) :
				c->env->txn_checkpoint(c->env,
					(u_int32_t)(o->checkpoint_kb > 0 ? o->checkpoint_kb : 1024),
					(u_int32_t)(o->checkpoint_min > 0 ? o->checkpoint_min : 1), 0);
			/* The same failure (a full disk) once a minute. */
			if (r && (r != c->ckpt_err ||
				  time(NULL) - c->ckpt_said >= REPEAT_SECS)) {
				say(o, "checkpoint: %s", db_strerror(r));
				c->ckpt_said = time(NULL);
			}
			if (!r && c->ckpt_err)
				say(o, "the checkpoint works again");
			c->ckpt_err = r;
			if (!r)
				archive_logs(c->env, o);
		}
		if (ret == 0 && (jobs & JOB_LOCKS))
			check_locks(c->env, c->o);
		pthread_mutex_lock(&c->mu);
		c->ret = ret;
		c->done = true;
		pthread_cond_broadcast(&c->cv);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

/*
 * A process that got SIGBUS in a shared memory file (the disk is full:
 * env.c) dies inside Berkeley DB holding a region's mutex, which 5.3's
 * failchk does not look at: writers and the next checkpoint would block
 * on it until the checker times out (a minute with a checkpoint).  Its
 * handler sends us SIGUSR2 instead, and we evict and recover at once.
 */
static volatile sig_atomic_t died_inside;     /* its pid, -1: unknown */

static void on_died_inside(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	died_inside = si && si->si_pid > 0 ? si->si_pid : -1;
}

static void catch_died_inside(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_died_inside;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
}

static bool ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/*
 * Runs jobs in the checker; ETIMEDOUT when they did not end in time,
 * DB_RUNRECOVERY as soon as a process says it died inside.  In time:
 * failchk and the probe within CHECK_SECS, and a checkpoint within
 * ckpt_secs of its start.  (One limit for the whole job let a probe
 * stuck on a mutex of a dead process keep every clerk waiting for a
 * minute whenever a checkpoint was due: the crash test saw it.)
 */
#define CHECK_SECS 5

static int checker_run(struct checker *c, unsigned jobs, int ckpt_secs)
{
	struct timespec until, step;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += CHECK_SECS;
	pthread_mutex_lock(&c->mu);
	c->jobs = jobs;
	c->done = false;
	c->in_ckpt = false;
	c->asked = true;
	pthread_cond_broadcast(&c->cv);
	while (!c->done && !died_inside) {
		if (c->in_ckpt) {
			until = c->ckpt_start;
			until.tv_sec += ckpt_secs;
		}
		/* In steps of 100 ms, to see died_inside. */
		clock_gettime(CLOCK_REALTIME, &step);
		if (!ts_before(&step, &until))
			break;
		step.tv_nsec += 100000000L;
		if (step.tv_nsec >= 1000000000L) {
			step.tv_sec++;
			step.tv_nsec -= 1000000000L;
		}
		if (ts_before(&until, &step))
			step = until;
		pthread_cond_timedwait(&c->cv, &c->mu, &step);
	}
	ret = c->done ? c->ret : died_inside ? DB_RUNRECOVERY : ETIMEDOUT;
	pthread_mutex_unlock(&c->mu);
	return ret;
}

/* Asks every process in the environment to leave it, then makes it. */
static void evict(const struct store_watch_opts *o)
{
	char dir[PATH_MAX], name[PATH_MAX + 300];
	struct dirent *de;
	DIR *d;
	int left = 0;

	snprintf(dir, sizeof dir, "%s/%s", o->home, STORE_RUN_DIR);
	for (int round = 0; round < 2; round++) {
		left = 0;
		if (!(d = opendir(dir)))
			return;
		while ((de = readdir(d))) {
			char *end;
			long pid = strtol(de->d_name, &end, 10);
			if (*end || pid <= 0 || pid == (long)getpid())
				continue;
			snprintf(name, sizeof name, "%s/%s", STORE_RUN_DIR, de->d_name);
			if (lockfile_holder(o->home, name, false) != pid) {
				snprintf(name, sizeof name, "%s/%s", dir, de->d_name);
				unlink(name);      /* it died: a stale entry */
				continue;
			}
			kill((pid_t)pid, round == 0 ? SIGUSR1 : SIGKILL);
			if (round == 1)
				say(o, "killed process %ld: it did not leave", pid);
			left++;
		}
		closedir(d);
		if (!left)
			return;
		say(o, "asked %d processes to leave", left);
		if (round == 0)
			for (int i = 0; i < 30; i++) {
				nap(100);
				bool any = false;
				if (!(d = opendir(dir)))
					return;
				while ((de = readdir(d)) && !any) {
					long pid = strtol(de->d_name, NULL, 10);
					snprintf(name, sizeof name, "%s/%s",
						 STORE_RUN_DIR, de->d_name);
					any = pid > 0 && pid != (long)getpid() &&
					      lockfile_holder(o->home, name, false) == pid;
				}
				closedir(d);
				if (!any)
					return;
			}
	}
}

static int watch_tables(struct store *ws, DB_ENV *env,
			const struct store_watch_opts *o, struct kerr *err)
{
	ws->env = env;
	ws->home = (char *)o->home;
	snprintf(ws->login, sizeof ws->login, "%s", o->login ? o->login : "?");
	return store_tables_open(ws, o->schemas, o->nschemas, err);
}

int store_daemon_hold(const char *home)
{
	int fd = lockfile_open(home, STORE_DAEMON_LOCK, true);

	if (fd < 0)
		return -1;
	if (lockfile_try(fd, true) != 0) {
		close(fd);
		return -1;
	}
	if (ftruncate(fd, 0) == 0)
		dprintf(fd, "%ld\n", (long)getpid());
	return fd;
}

void store_daemon_unhold(int fd)
{
	if (fd < 0)
		return;
	lockfile_release(fd);
	close(fd);
}

int store_watch(const struct store_watch_opts *o, struct kerr *err)
{
	int dfd = -1, efd = -1, rfd = -1;
	DB_ENV *env = NULL;
	int ret = 0;
	bool must_recover = o->recover_first, readied = false;
	time_t nospace_said = 0;         /* recovery waits for disk space */
	struct store ws = { .envlock_fd = -1 };
	struct checker chk;
	pthread_t chk_thread;

	if (!store_exists(o->home))
		return kerr_set(err, K_ENOTFOUND, NULL,
				_("%s: no Kontor database here (create one with 'kontor db init')"),
				o->home);
	umask(007);
	/* Disk full in a region (env.c): a fresh watcher recovers. */
	store_sigbus_watcher();
	catch_died_inside();
	dfd = lockfile_open(o->home, STORE_DAEMON_LOCK, true);
	if (dfd < 0)
		return kerr_set(err, K_EIO, NULL, "%s/%s: %s", o->home,
				STORE_DAEMON_LOCK, strerror(errno));
	if (lockfile_try(dfd, true) != 0) {
		long pid = store_daemon_pid(o->home);
		close(dfd);
		return kerr_set(err, K_EBUSY, NULL,
				_("%s: kontor daemon is already running (pid %ld)"),
				o->home, pid);
	}
	if (ftruncate(dfd, 0) == 0)
		dprintf(dfd, "%ld\n", (long)getpid());
	efd = lockfile_open(o->home, STORE_ENV_LOCK, true);
	rfd = lockfile_open(o->home, STORE_READY_LOCK, true);
	if (efd < 0 || rfd < 0) {
		ret = kerr_set(err, K_EIO, NULL, "%s: %s", o->home,
			       strerror(errno));
		goto out;
	}

	while (!*o->stop) {
		bool recover;

		/* Alone: recover.  Clerks inside (we restarted): join. */
		if (must_recover) {
			int waited = 0;
			while (lockfile_try(efd, true) != 0 && !*o->stop) {
				if (waited++ % 50 == 49) {
					say(o, "waiting for clerks to leave before recovery (pid %ld inside)",
					    lockfile_holder(o->home, STORE_ENV_LOCK, false));
					evict(o);
				}
				nap(100);
			}
			if (*o->stop)
				break;
			recover = true;
		} else if (lockfile_try(efd, true) == 0) {
			recover = true;
		} else {
			while (lockfile_try(efd, false) != 0 && !*o->stop)
				nap(100);
			if (*o->stop)
				break;
			recover = false;
		}
		if (recover) {
			struct kerr e;
			/* Said once a minute while the disk is full (below). */
			bool quiet = nospace_said ||
				     (o->recover_first && store_disk_full(o->home));
			if (!quiet)
				say(o, "recovering %s", o->home);
			/* Alone: kontor.conf's sizes take effect now. */
			if (store_db_config(o->home, o->cache_bytes,
					    o->lock_timeout_ms, true, &e) && !quiet)
				say(o, "%s", e.msg);
		}
		if (recover)      /* what a dead process left is undone now */
			died_inside = 0;
		if ((ret = store_env_open(&env, o->home, o->cache_bytes,
					  o->lock_timeout_ms, recover, err))) {
			lockfile_release(efd);
			if (ret == K_ERECOVER && !recover) {
				/* A panicked environment: wait for everyone, recover. */
				must_recover = true;
				ret = 0;
				continue;
			}
			/*
			 * Recovery writes (a checkpoint, the regions): on a
			 * full disk, wait for space, unless this is the first
			 * start, whose caller is told at once.
			 */
			if (ret == K_ENOSPC && recover &&
			    (readied || o->recover_first)) {
				if (time(NULL) - nospace_said >= REPEAT_SECS) {
					say(o, "error: %s; recovery is tried again every 5 s",
					    err->msg);
					nospace_said = time(NULL);
				}
				for (int i = 0; i < 50 && !*o->stop; i++)
					nap(100);
				must_recover = true;
				ret = 0;
				continue;
			}
			goto out;
		}
		if (nospace_said)
			say(o, "there is space again in %s", o->home);
		nospace_said = 0;
		if (recover && lockfile_try(efd, false) != 0) {
			ret = kerr_set(err, K_EINTERNAL, NULL,
				       "cannot share the environment lock");
			goto out;
		}
		must_recover = false;
		if (!recover)    /* failchk follows within a second */
			say(o, "joined running clerks in %s", o->home);
		/*
		 * Keep every database open here: failchk then undoes a dead
		 * clerk's page allocations through handles it owns.
		 */
		if ((ret = watch_tables(&ws, env, o, err)))
			goto out;
		if (lockfile_try(rfd, true) != 0) {
			ret = kerr_set(err, K_EINTERNAL, NULL,
				       "cannot take the ready lock");
			goto out;
		}
		chk = (struct checker){ .env = env, .meta = ws.meta, .o = o };
		pthread_mutex_init(&chk.mu, NULL);
		pthread_cond_init(&chk.cv, NULL);
		if (pthread_create(&chk_thread, NULL, checker_main, &chk) != 0) {
			ret = kerr_set(err, K_EINTERNAL, NULL,
				       "cannot start the failchk thread");
			goto out;
		}
		say(o, "ready: watching %s (pid %ld)", o->home, (long)getpid());
		if (o->on_ready && !readied)
			o->on_ready();
		readied = true;

		for (unsigned tick = 0; !*o->stop; tick++) {
			for (int i = 0; i < 10 && !*o->stop && !died_inside; i++)
				nap(100);
			if (*o->stop)
				break;
			unsigned jobs = JOB_CHECK;
			if (tick % 10 == 0)
				jobs |= JOB_CKPT;
			if (tick % 60 == 0)
				jobs |= JOB_LOCKS;
			/* A checkpoint may write a lot: give it a minute. */
			ret = died_inside ? DB_RUNRECOVERY :
				checker_run(&chk, jobs, 60);
			if (ret == ETIMEDOUT) {
				/* A full cache that cannot write out is slow too. */
				if (store_disk_full(o->home))
					say(o, "the environment is stuck (the disk of %s is full: Berkeley DB finds "
					    "no buffer it can write out, or a process died holding a mutex): "
					    "evicting everyone, then recovery once there is space", o->home);
				else
					say(o, "the environment is stuck (a process died holding a Berkeley DB mutex): evicting everyone, then recovery");
				/* No Berkeley DB call here: it could block as well. */
				lockfile_release(rfd);
				evict(o);
				/* The stuck thread owns the handle: leave without closing. */
				return kerr_set(err, K_ERECOVER, NULL,
						_("failchk hangs in %s: recovery needed"),
						o->home);
			}
			if (ret == DB_RUNRECOVERY) {
				/*
				 * Nothing of this environment handle can be
				 * trusted now, not even closing it: a fresh
				 * watcher process recovers.
				 */
				if (died_inside)
					say(o, "process %ld died inside Berkeley DB: no space left on the disk "
					    "for its shared memory files; evicting everyone, then recovery",
					    (long)died_inside);
				else
					say(o, "a process died inside Berkeley DB: evicting everyone, then recovery");
				lockfile_release(rfd);
				evict(o);
				return kerr_set(err, K_ERECOVER, NULL,
						_("%s needs recovery"), o->home);
			}
			if (ret)
				say(o, "failchk: %s", db_strerror(ret));
			ret = 0;
		}
		if (!must_recover &&
		    checker_run(&chk, JOB_FINAL, 60) == ETIMEDOUT) {
			say(o, "the final checkpoint hangs: leaving without it");
			lockfile_release(rfd);
			return kerr_set(err, K_ERECOVER, NULL,
					_("the final checkpoint hangs in %s"),
					o->home);
		}
		pthread_mutex_lock(&chk.mu);
		chk.quit = true;
		pthread_cond_broadcast(&chk.cv);
		pthread_mutex_unlock(&chk.mu);
		pthread_join(chk_thread, NULL);
		lockfile_release(rfd);
		if (must_recover) {
			env->set_flags(env, DB_PANIC_ENVIRONMENT, 1);
			evict(o);
		}
		store_tables_close(&ws);
		env->close(env, 0);
		env = NULL;
		lockfile_release(efd);
	}
	say(o, "stopped");
out:
	store_tables_close(&ws);
	if (env)
		env->close(env, 0);
	if (rfd >= 0) {
		lockfile_release(rfd);
		close(rfd);
	}
	if (efd >= 0) {
		lockfile_release(efd);
		close(efd);
	}
	lockfile_release(dfd);
	close(dfd);
	return ret;
}
