/*
 * store_int.h - what the files of src/store/ share.  Not for other layers.
 */
#ifndef KONTOR_STORE_INT_H
#define KONTOR_STORE_INT_H

#include <db.h>
#include <stdbool.h>

#include "store/codec.h"
#include "store/key.h"
#include "store/store.h"

#define STORE_DEFAULT_CACHE (256LL << 20)
#define STORE_DEFAULT_LOCK_TIMEOUT_MS 5000
/* Transactions that can be active at once (DB_MEM_TRANSACTION). */
#define STORE_TXN_ACTIVE 1000
/*
 * Main-region memory of one committed transaction that still owns page
 * versions (its TXN_DETAIL and the allocator's overhead), rounded up
 * from what we measured (HACKING, "The transaction table").
 */
#define STORE_TXN_BYTES 512
/* set_memory_max without those transactions: locks take most of it. */
#define STORE_REGION_BASE (256LL << 20)
/*
 * Buckets of the lock table: what Berkeley DB 5.3 derives from a
 * set_memory_max of STORE_REGION_BASE (it sizes the table from that
 * maximum, at about 100 bytes a bucket, allocated at once), fixed so
 * that the transactions' share of set_memory_max does not grow it.
 */
#define STORE_LOCK_BUCKETS 786431
#define STORE_DATA_DIR "data"
#define STORE_LOG_DIR "logs"
#define STORE_ENV_LOCK "kontor.lock"
#define STORE_DAEMON_LOCK "daemon.lock"
/* Held (shared) by a backup while it copies: logs are not removed then. */
#define STORE_BACKUP_LOCK "backup.lock"
#define STORE_READY_LOCK "daemon.ready"
/* Held (exclusive) by a process while it opens its tables: table.c. */
#define STORE_OPEN_LOCK "open.lock"
#define STORE_META_FILE "_meta.db"
#define STORE_RUN_DIR "run"

struct table {
	const struct store_schema *s;
	DB *db;                          /* primary: be64(id) -> record */
	DB **ix;                         /* one per s->indexes */
	DB_SEQUENCE *seq;                /* ids (cached), opened on first insert */
};

struct store {
	DB_ENV *env;
	char *home;
	enum store_mode mode;
	bool alone;                      /* opened without a daemon */
	bool bulk;                       /* store_opts.bulk */
	volatile bool panicked;
	int envlock_fd;                  /* fcntl lock on kontor.lock */
	int run_fd;                      /* run/PID, locked while we are in */
	char login[32];
	uint32_t shard;                  /* audit key prefix: our pid */

	struct table *tables;
	size_t ntables;

	DB *meta;                        /* text -> text */
	DB *counter;                     /* text -> be64 next */
	DB *seqdb;                       /* sequences */
	DB *audit;                       /* be32 shard be64 seq -> audit row */
	DB *audit_rec;                   /* table, be64 id, be64 ts, key -> "" */
	int64_t audit_last;              /* time of our last audit row */
	uint32_t audit_n;                /* audit rows written by us */

	bool retry;                      /* the last BDB error may pass on retry */
};

struct store_txn {
	struct store *st;
	DB_TXN *txn;
	bool snapshot;
	int ncursors;
	struct kbuf enc;                 /* scratch for encoding */
};

/* store_txn_usage() of an environment handle; a Berkeley DB error. */
int store_env_txn_usage(DB_ENV *env, struct store_txn_usage *u);

/*
 * Less free space than this (for unprivileged writers) on the file
 * system of the home counts as a full disk (store_disk_full): a log
 * buffer (1 MiB) and some pages could not be written.
 */
#define STORE_DISK_FULL (2LL << 20)

/*
 * Maps a Berkeley DB return code to a K_E* code and fills err; on a full
 * disk ENOMEM and EIO are K_ENOSPC (that is what they mean there), and
 * DB_RUNRECOVERY says to free space.
 */
int store_dberr(struct store *st, int ret, struct kerr *err,
		const char *what);

struct table *store_table(struct store *st, const struct store_schema *s);

/*
 * Opens one database file in the environment, in a transaction of its
 * own that never waits for a lock (tried again, like store_write).
 */
int store_db_open(struct store *st, DB **db, const char *file,
		  struct kerr *err);

/* txn.c: milliseconds of CLOCK_MONOTONIC; the retry loop's random
   wait, which grows with the attempt (20 ms at most). */
long store_now_ms(void);
void store_backoff(int attempt);

/* Builds the key of index i for rec; false when it cannot be indexed. */
bool store_index_key(const struct store_schema *s, size_t i, const void *rec,
		     int64_t id, bool with_id, struct keybuf *k);

/* Writes the audit row for a change (old or new may be NULL). */
int store_audit_write(struct store_txn *t, const struct store_schema *s,
		      int64_t id, char op, const void *old_data,
		      size_t old_len, const void *new_data, size_t new_len,
		      int64_t ts, struct kerr *err);

/* fcntl locks on small files in home. */
int lockfile_open(const char *home, const char *name, bool create);
int lockfile_try(int fd, bool exclusive);         /* 0 or -1 (busy) */
int lockfile_wait(int fd, bool exclusive, int ms); /* 0 or -1 (timeout) */
void lockfile_release(int fd);
long lockfile_holder(const char *home, const char *name, bool exclusive);

/* Registers this process in run/ (the watcher's list of whom to evict). */
int store_run_register(struct store *st);
void store_run_unregister(struct store *st);

/*
 * Log files no checkpoint needs: copied into dir and removed when dir is
 * set, else kept (keep: archive mode) or removed.
 */
int store_logs_archive(DB_ENV *env, bool keep, const char *dir,
		       struct kerr *err);

/*
 * The most page buffers a cache of `cache` bytes (0: the default) can
 * hold in home, and so the most committed transactions that can still
 * own page versions at once.
 */
int64_t store_cache_buffers(const char *home, int64_t cache);

/* Writes HOME/DB_CONFIG (when absent, or always with force). */
int store_db_config(const char *home, int64_t cache, int timeout_ms,
		    bool force, struct kerr *err);

/*
 * A process that touches a page of a shared memory file the full disk
 * cannot give gets SIGBUS (env.c): it says so and exits 74 (EX_IOERR),
 * after telling the watcher (SIGUSR2).  Called by the watcher: it exits
 * 75 instead (its supervisor starts a fresh one, which recovers).
 */
void store_sigbus_watcher(void);

/* Opens the environment handle with the flags of mode. */
int store_env_open(DB_ENV **envp, const char *home, int64_t cache_bytes,
		   int lock_timeout_ms, bool recover, struct kerr *err);

/* Opens every internal and registered table. */
int store_tables_open(struct store *st, const struct store_schema *const *s,
		      size_t n, struct kerr *err);
void store_tables_close(struct store *st);

#endif
