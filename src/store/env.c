/*
 * env.c - opening and closing the environment, error mapping.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "base/i18n.h"
#include "store/store_int.h"

/* The last message Berkeley DB gave, for errors that need it. */
static char last_dbmsg[512];

/*
 * When Berkeley DB last reported a write that failed for lack of space
 * ("BDB0137 write: ...: No space left on device", in our own strerror),
 * on the monotonic clock: its later ENOMEM, EIO and DB_RUNRECOVERY are
 * that full disk (see store_dberr).
 */
static volatile time_t nospace_at;

static time_t mono_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void on_dberr(const DB_ENV *env, const char *pfx, const char *msg)
{
	(void)env;
	(void)pfx;
	snprintf(last_dbmsg, sizeof last_dbmsg, "%s", msg);
	if (strstr(msg, strerror(ENOSPC)) || strstr(msg, strerror(EDQUOT)))
		nospace_at = mono_secs();
	if (getenv("KONTOR_DEBUG"))
		fprintf(stderr, "kontor: db: %s\n", msg);
}

/* Berkeley DB said "no space" in the last 10 s. */
static bool nospace_lately(void)
{
	return nospace_at && mono_secs() - nospace_at < 10;
}

/*
 * Our pid, cached: Berkeley DB asks for it on every call and getpid() is
 * a system call.  Set when an environment is opened (after any fork).
 */
static pid_t my_pid;

/*
 * Our "thread id" names this process image, not the thread: a clerk that
 * starts afresh with execv() keeps its pid and would otherwise look like
 * the image that died inside the library, whose locks failchk would then
 * never free.  The id is written into run/PID for is_alive().
 */
static unsigned long my_image;    /* 1..65535, in the top 16 bits of tids */

/* Sets my_pid and a fresh my_image once per process image (and after fork). */
static void image_init(void)
{
	struct timespec ts;

	if (my_pid == getpid())
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	my_pid = getpid();
	my_image = ((unsigned long)ts.tv_nsec ^ (unsigned long)ts.tv_sec ^
		    ((unsigned long)my_pid << 5)) % 65535 + 1;
}

/* A thread's id: the image in the top 16 bits, the thread below. */
static unsigned long image_of(db_threadid_t tid)
{
	return (unsigned long)tid >> 48;
}

static void thread_id(DB_ENV *env, pid_t *pid, db_threadid_t *tid)
{
	(void)env;
	if (pid)
		*pid = my_pid;
	if (tid)
		*tid = (db_threadid_t)((my_image << 48) |
				       ((unsigned long)pthread_self() &
					0xffffffffffffUL));
}

/* The image id a process wrote into run/PID, or 0. */
static unsigned long run_tid(DB_ENV *env, pid_t pid)
{
	const char *home = NULL;
	char path[PATH_MAX], buf[32];
	unsigned long v = 0;
	ssize_t n;
	int fd;

	if (env->get_home(env, &home) != 0 || !home)
		return 0;
	snprintf(path, sizeof path, "%s/%s/%ld", home, STORE_RUN_DIR,
		 (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n > 0) {
		buf[n] = 0;
		v = strtoul(buf, NULL, 10);
	}
	return v;
}

/* A locker lives while its process lives and still runs the same image. */
static int is_alive(DB_ENV *env, pid_t pid, db_threadid_t tid,
		    u_int32_t flags)
{
	/* Process-wide resources are asked about with tid 0. */
	bool process_only = (flags & DB_MUTEX_PROCESS_ONLY) || image_of(tid) == 0;

	if (pid == my_pid)
		return process_only || image_of(tid) == my_image;
	if (kill(pid, 0) != 0 && errno != EPERM)
		return 0;
	if (process_only)
		return 1;
	unsigned long now = run_tid(env, pid);
	return now == 0 || now == image_of(tid);
}

static void on_event(DB_ENV *env, u_int32_t event, void *info)
{
	(void)info;
	if (event == DB_EVENT_PANIC || event == DB_EVENT_REG_PANIC) {
		struct store *st = env->app_private;
		if (st)
			st->panicked = true;
	}
}

bool store_disk_full(const char *home)
{
	struct statvfs sv;

	return home && statvfs(home, &sv) == 0 &&
	       (uint64_t)sv.f_bavail * sv.f_frsize < STORE_DISK_FULL;
}

int store_dberr(struct store *st, int ret, struct kerr *err, const char *what)
{
	if (st) {
		st->retry = ret == DB_LOCK_DEADLOCK || ret == DB_LOCK_NOTGRANTED;
	}
	/*
	 * A full disk reaches us in other words too: a page the cache
	 * cannot write out stays dirty, and then readers get "unable to
	 * allocate space from the buffer cache" (ENOMEM) or EIO, an MVCC
	 * snapshot cannot freeze a version (ENOMEM).  Ask the file system.
	 */
	if ((ret == ENOMEM || ret == EIO || ret == DB_RUNRECOVERY) && st &&
	    (nospace_lately() || store_disk_full(st->home))) {
		if (ret == DB_RUNRECOVERY) {
			st->panicked = true;
			return kerr_set(err, K_ERECOVER, NULL,
					_("%s: no space left on the disk of the database %s: free some space there; the daemon recovers the database, then open kontor again"),
					what, st->home);
		}
		return kerr_set(err, K_ENOSPC, NULL,
				_("%s: no space left on the disk of the database %s (Berkeley DB: %s): free some space there, then try again"),
				what, st->home, db_strerror(ret));
	}
	switch (ret) {
	case 0:
		return 0;
	case DB_LOCK_DEADLOCK:
		return kerr_set(err, K_EBUSY, NULL,
				_("%s: records busy (deadlock), try again"), what);
	case DB_LOCK_NOTGRANTED:
		return kerr_set(err, K_EBUSY, NULL,
				_("%s: records locked by another user for too long, try again"),
				what);
	case DB_NOTFOUND:
		return kerr_set(err, K_ENOTFOUND, NULL, _("%s: not found"), what);
	case DB_KEYEXIST:
		return kerr_set(err, K_EEXIST, NULL, _("%s: already exists"), what);
	case DB_RUNRECOVERY:
		if (st)
			st->panicked = true;
		return kerr_set(err, K_ERECOVER, NULL,
				_("%s: the database needs recovery; the daemon is recovering it, open kontor again"),
				what);
	case ENOSPC:
	case EDQUOT:
		if (st)
			return kerr_set(err, K_ENOSPC, NULL,
					_("%s: no space left on the disk of the database %s: free some space there, then try again"),
					what, st->home);
		return kerr_set(err, K_ENOSPC, NULL,
				_("%s: no space left on the disk of the database: free some space there, then try again"),
				what);
	case ENOMEM:
		return kerr_set(err, K_ENOMEM, NULL, _("%s: out of memory"), what);
	case EACCES:
	case EPERM:
		return kerr_set(err, K_EPERM, NULL, _("%s: %s"), what,
				strerror(ret));
	case EIO:
		return kerr_set(err, K_EIO, NULL, _("%s: %s"), what,
				strerror(ret));
	default:
		if (last_dbmsg[0])
			return kerr_set(err, K_EINTERNAL, NULL, "%s: %s (%s)",
					what, db_strerror(ret), last_dbmsg);
		return kerr_set(err, K_EINTERNAL, NULL, "%s: %s", what,
				db_strerror(ret));
	}
}

/*
 * Disk full inside a shared memory file.  Berkeley DB maps its regions
 * (HOME/__db.001 ...) from files it extends sparsely, and grows them
 * (the cache, the main region) on demand: a page touched for the first
 * time needs a disk block, and on a full disk the kernel answers with
 * SIGBUS instead of an error (HACKING, "Disk full").  The process dies
 * inside the library, holding a region's mutex; we only make it say why
 * and tell the watcher, which evicts everyone and recovers at once.
 * A SIGBUS outside these mappings keeps its default action, except
 * while an environment is being opened (or recovered): Berkeley DB maps
 * and initialises the regions then, and nothing else.
 */
#define REGION_MAPS 16

static struct {
	uintptr_t lo, hi;
} region_maps[REGION_MAPS];
static volatile sig_atomic_t nregion_maps;
static volatile sig_atomic_t env_opening;
static char nospace_msg[PATH_MAX + 256];
static size_t nospace_len;
static int nospace_status = 74;       /* EX_IOERR */
static volatile pid_t nospace_notify; /* the watcher, told of our death */
static bool in_watcher;

void store_sigbus_watcher(void)
{
	nospace_status = 75;              /* EX_TEMPFAIL: start afresh */
	in_watcher = true;
}

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	uintptr_t a = (uintptr_t)si->si_addr;
	bool ours = env_opening;

	(void)ctx;
	for (int i = 0; !ours && i < nregion_maps; i++)
		ours = a >= region_maps[i].lo && a < region_maps[i].hi;
	if (ours) {
		/* Every other signal is blocked here (an eviction, say). */
		ssize_t n = write(STDERR_FILENO, nospace_msg, nospace_len);
		(void)n;
		/* We die holding a mutex: the watcher recovers now. */
		if (nospace_notify > 0)
			kill(nospace_notify, SIGUSR2);
		_exit(nospace_status);
	}
	/* Not ours: the instruction faults again with the default action. */
	signal(sig, SIG_DFL);
}

/* Before an environment of home is opened: catch SIGBUS, say home. */
static void catch_sigbus(const char *home)
{
	struct sigaction old, sa;

	snprintf(nospace_msg, sizeof nospace_msg,
		 _("kontor: %s: no space left on the disk of the database: Berkeley DB could not grow its shared memory files there; free some space there, then try again (the daemon recovers the database by itself)\n"),
		 home);
	nospace_len = strlen(nospace_msg);
	/*
	 * Not in the watcher: looking at daemon.lock opens and closes it,
	 * and closing any descriptor of a file drops our fcntl locks on it.
	 */
	nospace_notify = in_watcher ? 0 : (pid_t)store_daemon_pid(home);
	if (sigaction(SIGBUS, NULL, &old) == 0 &&
	    !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_DFL) {
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_sigbus;
		sa.sa_flags = SA_SIGINFO;
		sigfillset(&sa.sa_mask);
		sigaction(SIGBUS, &sa, NULL);
	}
}

/* After an open: where the regions of every open environment are. */
static void note_regions(void)
{
	char line[PATH_MAX + 128];
	FILE *f;
	int n = 0;

	if (!(f = fopen("/proc/self/maps", "re")))
		return;
	nregion_maps = 0;
	while (n < REGION_MAPS && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char *name = strrchr(line, '/');
		if (!name || sscanf(line, "%lx-%lx", &lo, &hi) != 2 ||
		    strncmp(name, "/__db.", 6) != 0 ||
		    strspn(name + 6, "0123456789") != 3)
			continue;
		region_maps[n].lo = lo;
		region_maps[n].hi = hi;
		n++;
	}
	fclose(f);
	nregion_maps = n;
}

int store_env_open(DB_ENV **envp, const char *home, int64_t cache_bytes,
		   int lock_timeout_ms, bool recover, struct kerr *err)
{
	DB_ENV *env = NULL;
	u_int32_t flags = DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG |
			  DB_INIT_MPOOL | DB_THREAD;
	int ret;

	if (cache_bytes <= 0)
		cache_bytes = STORE_DEFAULT_CACHE;
	if (lock_timeout_ms <= 0)
		lock_timeout_ms = STORE_DEFAULT_LOCK_TIMEOUT_MS;
	umask(007);
	image_init();
	if ((ret = db_env_create(&env, 0)) != 0)
		return store_dberr(NULL, ret, err, home);
	env->set_errcall(env, on_dberr);
	env->set_thread_count(env, 500);
	env->set_thread_id(env, thread_id);
	env->set_isalive(env, is_alive);
	env->set_event_notify(env, on_event);
	env->set_lk_detect(env, DB_LOCK_MINWRITE);
	env->set_timeout(env, (db_timeout_t)lock_timeout_ms * 1000,
			 DB_SET_LOCK_TIMEOUT);
	env->set_flags(env, DB_MULTIVERSION, 1);
	/*
	 * Every transaction of this handle never waits for a lock, also
	 * those Berkeley DB begins itself: a sequence that fills its
	 * cache of ids (table.c, next_id) writes in a transaction of its
	 * own, which would sleep on the page of _seq.db while another
	 * process writes it.  A conflict there is "busy" and store_write runs the
	 * work again, like any other (HACKING, "Killed processes").
	 */
	env->set_flags(env, DB_TXN_NOWAIT, 1);
	env->set_cachesize(env, (u_int32_t)(cache_bytes >> 30),
			   (u_int32_t)(cache_bytes & ((1 << 30) - 1)), 1);
	if (recover)
		flags |= DB_CREATE | DB_RECOVER;
	last_dbmsg[0] = 0;
	nospace_at = 0;
	catch_sigbus(home);
	env_opening = 1;
	ret = env->open(env, home, flags, 0660);
	env_opening = 0;
	if (ret != 0) {
		/*
		 * Recovery on a full disk: it redoes the pages the cache
		 * could not write, makes the regions and checkpoints; a
		 * write fails and it returns DB_RUNRECOVERY.  Only more
		 * space helps.
		 */
		bool full = nospace_lately() || store_disk_full(home);
		store_dberr(NULL, ret, err, home);
		env->close(env, 0);
		if (ret == ENOENT)
			kerr_set(err, K_ENOTFOUND, NULL,
				 _("%s: no Kontor database here (create one with 'kontor db init')"),
				 home);
		else if (full && ret != ENOSPC && ret != EDQUOT)
			kerr_set(err, K_ENOSPC, NULL,
				 _("%s: no space left on the disk of the database (Berkeley DB: %s): free some space there, then try again"),
				 home, db_strerror(ret));
		return err ? err->code : K_EINTERNAL;
	}
	note_regions();
	*envp = env;
	return 0;
}

bool store_exists(const char *home)
{
	char path[PATH_MAX];
	struct stat sb;

	snprintf(path, sizeof path, "%s/%s/%s", home, STORE_DATA_DIR,
		 STORE_META_FILE);
	return stat(path, &sb) == 0;
}

long store_daemon_pid(const char *home)
{
	return lockfile_holder(home, STORE_DAEMON_LOCK, false);
}

bool store_daemon_ready(const char *home)
{
	return lockfile_holder(home, STORE_READY_LOCK, false) != 0;
}

static bool daemon_ready(const char *home)
{
	return store_daemon_ready(home);
}

/*
 * The smallest page size the databases of home can have: Berkeley DB
 * gives a new database the file system's block size, clamped to 512
 * bytes .. 16 KiB.  We count 4 KiB at most, so that larger blocks only
 * make the estimate generous.
 */
static int64_t page_floor(const char *home)
{
	char path[PATH_MAX];
	struct stat sb;

	snprintf(path, sizeof path, "%s/%s", home, STORE_DATA_DIR);
	if (stat(path, &sb) != 0 && stat(home, &sb) != 0)
		return 4096;
	if (sb.st_blksize <= 0 || sb.st_blksize >= 4096)
		return 4096;
	return sb.st_blksize < 512 ? 512 : (int64_t)sb.st_blksize;
}

int64_t store_cache_buffers(const char *home, int64_t cache)
{
	if (cache <= 0)
		cache = STORE_DEFAULT_CACHE;
	/* Berkeley DB makes a cache under 500 MB a quarter larger. */
	if (cache < (500LL << 20))
		cache += cache / 4;
	return cache / page_floor(home);
}

/*
 * Writes DB_CONFIG (unless it is there and !force).  Its sizes apply
 * when the regions are made, i.e. at the next recovery, so the daemon
 * writes it from kontor.conf each time before it recovers.
 */
int store_db_config(const char *home, int64_t cache, int timeout_ms,
		    bool force, struct kerr *err)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	FILE *f;
	struct stat sb;
	int64_t versions, txmax, memmax;

	snprintf(path, sizeof path, "%s/DB_CONFIG", home);
	if (!force && stat(path, &sb) == 0)
		return 0;
	if (cache <= 0)
		cache = STORE_DEFAULT_CACHE;
	if (timeout_ms <= 0)
		timeout_ms = STORE_DEFAULT_LOCK_TIMEOUT_MS;
	/*
	 * The transaction table holds the active transactions and every
	 * committed one that still owns a page version in the cache: with
	 * MVCC a transaction is freed with its last version, not when it
	 * commits (HACKING, "The transaction table").  Each owns at least
	 * one buffer, so there are at most as many as the cache holds
	 * buffers.  set_tx_max counts them on top of the STORE_TXN_ACTIVE
	 * of set_memory_init, and Berkeley DB reserves one mutex for each
	 * transaction above that; set_memory_max adds their memory.
	 */
	versions = store_cache_buffers(home, cache);
	txmax = STORE_TXN_ACTIVE + versions;
	if (txmax > INT32_MAX)
		txmax = INT32_MAX;
	memmax = STORE_REGION_BASE + (txmax - STORE_TXN_ACTIVE) * STORE_TXN_BYTES;
	snprintf(tmp, sizeof tmp, "%s.new", path);
	if (!(f = fopen(tmp, "w")))
		return kerr_set(err, K_EIO, NULL, _("%s: cannot create: %s"),
				tmp, strerror(errno));
	/*
	 * set_memory_max bounds the shared regions other than the cache,
	 * which grow on demand up to it; locks take most of it.  An import
	 * is one transaction that keeps a lock on every page it writes:
	 * measured here, 1,000,000 parties (about 110 bytes of CSV each)
	 * held 212,799 locks on 162,346 objects at once and grew the region
	 * to 90 MB; with 32 MB it ran out after about 107,000 locks.  256
	 * MB leaves room for twice that import (or records twice as big).
	 * That is STORE_REGION_BASE: the committed transactions' share
	 * comes on top of it, and the lock table, which Berkeley DB sizes
	 * from set_memory_max, keeps the size the base gives it.
	 */
	fprintf(f,
		"# Berkeley DB settings of this Kontor environment.  Written by\n"
		"# kontor db init, and by kontor daemon from kontor.conf (cache_size,\n"
		"# lock_timeout_ms) each time it recovers: edit kontor.conf, not this.\n"
		"set_data_dir %s\n"
		"set_lg_dir %s\n"
		"set_cachesize %d %d 1\n"
		"set_lg_bsize 1048576\n"
		"set_lg_max 10485760\n"
		"# Transactions: %d active, and up to one committed transaction for\n"
		"# each page buffer of the cache (MVCC page versions): see HACKING.\n"
		"set_tx_max %lld\n"
		"set_thread_count 500\n"
		"set_memory_max %d %d\n"
		"set_memory_init DB_MEM_LOCK 20000\n"
		"set_memory_init DB_MEM_LOCKOBJECT 20000\n"
		"set_memory_init DB_MEM_LOCKER 2000\n"
		"set_memory_init DB_MEM_TRANSACTION %d\n"
		"set_memory_init DB_MEM_THREAD 500\n"
		"set_lk_tablesize %d\n"
		"set_lk_detect DB_LOCK_MINWRITE\n"
		"set_flags DB_MULTIVERSION\n"
		"set_lock_timeout %d\n",
		STORE_DATA_DIR, STORE_LOG_DIR, (int)(cache >> 30),
		(int)(cache & ((1 << 30) - 1)), STORE_TXN_ACTIVE,
		(long long)txmax, (int)(memmax >> 30),
		(int)(memmax & ((1 << 30) - 1)), STORE_TXN_ACTIVE,
		STORE_LOCK_BUCKETS, timeout_ms * 1000);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return kerr_set(err, K_EIO, NULL, _("%s: cannot write: %s"),
				path, strerror(e));
	}
	return 0;
}

static int make_dir(const char *path, struct kerr *err)
{
	if (mkdir(path, 02770) != 0 && errno != EEXIST)
		return kerr_set(err, errno == ENOENT ? K_ENOTFOUND : K_EIO,
				NULL, _("%s: cannot create folder: %s"), path,
				strerror(errno));
	return 0;
}

static int create_layout(const struct store_opts *o, struct kerr *err)
{
	char path[PATH_MAX];
	int ret;

	umask(007);
	if ((ret = make_dir(o->home, err)))
		return ret;
	snprintf(path, sizeof path, "%s/%s", o->home, STORE_DATA_DIR);
	if ((ret = make_dir(path, err)))
		return ret;
	snprintf(path, sizeof path, "%s/%s", o->home, STORE_LOG_DIR);
	if ((ret = make_dir(path, err)))
		return ret;
	return store_db_config(o->home, o->cache_bytes, o->lock_timeout_ms,
			       false, err);
}

static int write_creator(struct store_txn *t, void *arg, struct kerr *err)
{
	char buf[64];
	int ret;

	(void)arg;
	if ((ret = store_meta_put(t, "creator", t->st->login, err)))
		return ret;
	snprintf(buf, sizeof buf, "%lld", (long long)date_now_us());
	if ((ret = store_meta_put(t, "created", buf, err)))
		return ret;
	return store_meta_put(t, "format", "1", err);
}

/* Joins the environment through the daemon (shared lock, no recovery). */
static int join(struct store *st, const struct store_opts *o,
		struct kerr *err)
{
	int ret;

	/* Listed before we go in, so that an eviction never misses us. */
	store_run_register(st);
	if (lockfile_wait(st->envlock_fd, false, o->wait_ms) != 0) {
		long pid = lockfile_holder(o->home, STORE_ENV_LOCK, true);
		return kerr_set(err, K_EBUSY, NULL,
				_("%s: the database is being recovered or used alone (pid %ld); try again"),
				o->home, pid);
	}
	/*
	 * Between two watchers the daemon's supervisor takes daemon.lock
	 * back within a moment (store_daemon_hold): "not running" only
	 * when nobody has it for 1.5 s.
	 */
	long pid = 0;
	for (int i = 0; i < 30 && !daemon_ready(o->home) &&
	     !(pid = store_daemon_pid(o->home)); i++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (!daemon_ready(o->home)) {
		lockfile_release(st->envlock_fd);
		/* Running, not ready: recovering, or waiting for disk space. */
		if (pid && store_disk_full(o->home))
			return kerr_set(err, K_ENOSPC, NULL,
					_("%s: no space left on the disk of the database: free some space there; kontor daemon (pid %ld) recovers the database as soon as there is"),
					o->home, pid);
		if (pid)
			return kerr_set(err, K_EBUSY, NULL,
					_("%s: kontor daemon (pid %ld) is recovering the database; try again (%s/daemon.log says why)"),
					o->home, pid, o->home);
		return kerr_set(err, K_ENODAEMON, NULL,
				_("%s: kontor daemon is not running; start it with 'kontor --home %s daemon' or 'systemctl start kontor-daemon'"),
				o->home, o->home);
	}
	if ((ret = store_env_open(&st->env, o->home, o->cache_bytes,
				  o->lock_timeout_ms, false, err))) {
		lockfile_release(st->envlock_fd);
		return ret;
	}
	return 0;
}

/* Opens the environment alone: exclusive lock, then recovery. */
static int alone(struct store *st, const struct store_opts *o, bool create,
		 struct kerr *err)
{
	int ret;

	if (lockfile_wait(st->envlock_fd, true, o->wait_ms) != 0) {
		long pid = lockfile_holder(o->home, STORE_ENV_LOCK, false);
		return kerr_set(err, K_EBUSY, NULL,
				_("%s: the database is in use by process %ld and kontor daemon is not running"),
				o->home, pid);
	}
	if (create && store_exists(o->home)) {
		lockfile_release(st->envlock_fd);
		return kerr_set(err, K_EEXIST, NULL,
				_("%s: there is a Kontor database here already"),
				o->home);
	}
	st->alone = true;
	if ((ret = store_env_open(&st->env, o->home, o->cache_bytes,
				  o->lock_timeout_ms, true, err)))
		lockfile_release(st->envlock_fd);
	return ret;
}

/*
 * store_opts.bulk, for this process's handle only: no waiting for the
 * disk at commit, and no page versions in the tables it opens next
 * (store_db_open).  Measured at N=10000 of kontor demo --scale: once
 * the tables outgrew the cache, every commit's page copies filled it
 * with versions that each new page had to search past (28 million
 * buffers examined for 333,000 allocations, half the processor time in
 * __memp_alloc); without them 615,000 for 170,000, three times faster.
 */
static int bulk_mode(struct store *st, struct kerr *err)
{
	int ret;

	if (st->mode != STORE_CREATE)
		return kerr_set(err, K_EINTERNAL, NULL,
				"store_open: bulk loading creates a database");
	st->bulk = true;
	if ((ret = st->env->set_flags(st->env, DB_TXN_WRITE_NOSYNC, 1)) ||
	    (ret = st->env->set_flags(st->env, DB_MULTIVERSION, 0)))
		return store_dberr(st, ret, err, _("bulk loading"));
	return 0;
}

int store_open(const struct store_opts *o, struct store **out,
	       struct kerr *err)
{
	struct store *st;
	int ret;

	*out = NULL;
	if (!o->home || !*o->home)
		return kerr_set(err, K_EUSAGE, "home",
				_("no database home: give --home DIR or set database.home in kontor.conf"));
	if (o->mode == STORE_WATCH)
		return kerr_set(err, K_EINTERNAL, NULL, "store_open: watch mode");
	if (o->mode == STORE_CREATE) {
		if ((ret = create_layout(o, err)))
			return ret;
	} else if (!store_exists(o->home)) {
		return kerr_set(err, K_ENOTFOUND, NULL,
				_("%s: no Kontor database here (create one with 'kontor db init')"),
				o->home);
	} else if (store_disk_full(o->home)) {
		/*
		 * On a full disk the cache cannot write its dirty pages out,
		 * and a process that needs a buffer for a page it reads (the
		 * root of every table, to open it) waits in Berkeley DB for
		 * a minute or more each time (HACKING, "Disk full").
		 */
		return kerr_set(err, K_ENOSPC, NULL,
				_("%s: no space left on the disk of the database: free some space there, then try again"),
				o->home);
	}
	if (!(st = calloc(1, sizeof *st)) || !(st->home = strdup(o->home))) {
		free(st);
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	}
	/* Published at once, so that store_abandon() finds a half-open store. */
	*out = st;
	st->envlock_fd = -1;
	st->run_fd = -1;
	st->mode = o->mode;
	st->shard = (uint32_t)getpid();
	codec_login(st->login, sizeof st->login, o->login ? o->login : "?",
		    strlen(o->login ? o->login : "?"));
	st->envlock_fd = lockfile_open(o->home, STORE_ENV_LOCK, true);
	if (st->envlock_fd < 0) {
		ret = kerr_set(err, errno == EACCES ? K_EPERM : K_EIO, NULL,
			       _("%s/%s: %s"), o->home, STORE_ENV_LOCK,
			       strerror(errno));
		goto fail;
	}
	/* A daemon that is recovering will be ready soon: wait for it. */
	for (int waited = 0; o->mode != STORE_CREATE && waited < o->wait_ms &&
	     !daemon_ready(o->home) && store_daemon_pid(o->home); waited += 50) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	switch (o->mode) {
	case STORE_CREATE:
		ret = alone(st, o, true, err);
		break;
	case STORE_CLERK:
		ret = join(st, o, err);
		break;
	default:
		/* A daemon that runs recovers; a one-off never does then. */
		ret = daemon_ready(o->home) || store_daemon_pid(o->home) ?
			join(st, o, err) : alone(st, o, false, err);
		break;
	}
	if (ret)
		goto fail;
	st->env->app_private = st;
	if (o->bulk && (ret = bulk_mode(st, err)))
		goto fail;
	if ((ret = store_tables_open(st, o->schemas, o->nschemas, err)))
		goto fail;
	if (o->mode == STORE_CREATE &&
	    (ret = store_write(st, write_creator, NULL, err)))
		goto fail;
	return 0;
fail:
	store_close(&st);
	*out = NULL;
	return ret;
}

int store_run_register(struct store *st)
{
	char name[64];

	snprintf(name, sizeof name, "%s", STORE_RUN_DIR);
	{
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "%s/%s", st->home, STORE_RUN_DIR);
		if (mkdir(dir, 02770) != 0 && errno != EEXIST)
			return -1;
	}
	snprintf(name, sizeof name, "%s/%ld", STORE_RUN_DIR, (long)getpid());
	st->run_fd = lockfile_open(st->home, name, true);
	if (st->run_fd < 0 || lockfile_try(st->run_fd, true) != 0)
		return -1;
	image_init();
	if (ftruncate(st->run_fd, 0) == 0)
		dprintf(st->run_fd, "%lu\n", my_image);
	return 0;
}

void store_run_unregister(struct store *st)
{
	char path[PATH_MAX];

	if (st->run_fd < 0)
		return;
	snprintf(path, sizeof path, "%s/%s/%ld", st->home, STORE_RUN_DIR,
		 (long)getpid());
	unlink(path);
	lockfile_release(st->run_fd);
	close(st->run_fd);
	st->run_fd = -1;
}

void store_abandon(struct store **stp)
{
	struct store *st = *stp;

	if (!st)
		return;
	/* The handles stay as they are: a thread of ours was inside them. */
	store_run_unregister(st);
	if (st->envlock_fd >= 0) {
		lockfile_release(st->envlock_fd);
		close(st->envlock_fd);
	}
	*stp = NULL;
}

void store_close(struct store **stp)
{
	struct store *st = *stp;

	if (!st)
		return;
	/* Still listed while closing: an eviction must reach us here too. */
	store_tables_close(st);
	if (st->env) {
		if (st->alone && !st->panicked)
			(void)st->env->txn_checkpoint(st->env, 0, 0, DB_FORCE);
		st->env->close(st->env, 0);
	}
	store_run_unregister(st);
	if (st->envlock_fd >= 0) {
		lockfile_release(st->envlock_fd);
		close(st->envlock_fd);
	}
	free(st->home);
	free(st);
	*stp = NULL;
}

const char *store_home(const struct store *st)
{
	return st->home;
}

bool store_is_alone(const struct store *st)
{
	return st->alone;
}

bool store_healthy(struct store *st)
{
	if (st->panicked)
		return false;
	if (!st->alone && !daemon_ready(st->home))
		return false;
	return true;
}
