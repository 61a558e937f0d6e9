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
#include <errno.h>
#include <limits.h>
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

/* Moves log files that no checkpoint needs into archive_dir. */
static void archive_logs(DB_ENV *env, const struct store_watch_opts *o)
{
	char **list = NULL;
	int ret;

	if (!o->keep_logs) {
		if ((ret = env->log_archive(env, NULL, DB_ARCH_REMOVE)))
			say(o, "log removal: %s", db_strerror(ret));
		return;
	}
	if (!o->archive_dir || !*o->archive_dir)
		return;	/* archive mode without a folder: keep them in place */
	if ((ret = env->log_archive(env, &list, DB_ARCH_ABS)) || !list)
		return;
	for (char **p = list; *p; p++) {
		const char *base = strrchr(*p, '/');
		char to[PATH_MAX];
		struct kerr e;
		base = base ? base + 1 : *p;
		snprintf(to, sizeof to, "%s/%s", o->archive_dir, base);
		FILE *in = fopen(*p, "rb"), *out = fopen(to, "wb");
		size_t n;
		char buf[65536];
		bool ok = in && out;
		while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
			ok = fwrite(buf, 1, n, out) == n;
		ok = ok && !ferror(in);
		if (in)
			fclose(in);
		if (out && fclose(out) != 0)
			ok = false;
		if (ok)
			unlink(*p);
		else
			say(o, "cannot archive %s to %s: %s", *p, to,
			    strerror(errno));
		(void)e;
	}
	free(list);
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

int store_watch(const struct store_watch_opts *o, struct kerr *err)
{
	int dfd = -1, efd = -1, rfd = -1;
	DB_ENV *env = NULL;
	int ret = 0;
	bool must_recover = false, readied = false;

	if (!store_exists(o->home))
		return kerr_set(err, K_ENOTFOUND, NULL,
				_("%s: no Kontor database here (create one with 'kontor db init')"),
				o->home);
	umask(007);
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
				if (waited++ % 100 == 0)
					say(o, "waiting for clerks to leave before recovery (pid %ld inside)",
					    lockfile_holder(o->home, STORE_ENV_LOCK, false));
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
		if (recover)
			say(o, "recovering %s", o->home);
		if ((ret = store_env_open(&env, o->home, o->cache_bytes,
					  o->lock_timeout_ms, recover, err))) {
			lockfile_release(efd);
			goto out;
		}
		if (recover && lockfile_try(efd, false) != 0) {
			ret = kerr_set(err, K_EINTERNAL, NULL,
				       "cannot share the environment lock");
			goto out;
		}
		must_recover = false;
		if (!recover) {
			say(o, "joined running clerks in %s", o->home);
			if (env->failchk(env, 0) == EBUSY)
				(void)env->failchk(env, 0);
		}
		if (lockfile_try(rfd, true) != 0) {
			ret = kerr_set(err, K_EINTERNAL, NULL,
				       "cannot take the ready lock");
			goto out;
		}
		say(o, "ready: watching %s (pid %ld)", o->home, (long)getpid());
		if (o->on_ready && !readied)
			o->on_ready();
		readied = true;

		for (unsigned tick = 0; !*o->stop; tick++) {
			for (int i = 0; i < 10 && !*o->stop; i++)
				nap(100);
			if (*o->stop)
				break;
			ret = env->failchk(env, 0);
			if (ret == EBUSY)    /* 5.3: a dead handle's mutex; again */
				ret = env->failchk(env, 0);
			if (ret == DB_RUNRECOVERY) {
				say(o, "a process died inside Berkeley DB: recovery needed");
				must_recover = true;
				break;
			}
			if (ret)
				say(o, "failchk: %s", db_strerror(ret));
			ret = 0;
			if (tick % 10 == 0) {
				int r = env->txn_checkpoint(env,
					(u_int32_t)(o->checkpoint_kb > 0 ? o->checkpoint_kb : 1024),
					(u_int32_t)(o->checkpoint_min > 0 ? o->checkpoint_min : 1), 0);
				if (r)
					say(o, "checkpoint: %s", db_strerror(r));
				else
					archive_logs(env, o);
			}
			if (tick % 60 == 0)
				check_locks(env, o);
		}
		lockfile_release(rfd);
		if (must_recover) {
			env->set_flags(env, DB_PANIC_ENVIRONMENT, 1);
		} else {
			(void)env->txn_checkpoint(env, 0, 0, DB_FORCE);
			archive_logs(env, o);
		}
		env->close(env, 0);
		env = NULL;
		lockfile_release(efd);
	}
	say(o, "stopped");
out:
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
