/*
 * store.h - the storage layer: one transactional Berkeley DB environment
 * shared by every Kontor process.
 *
 * The store knows no business entity.  Domain code describes its records
 * with a struct store_schema (fields with stable tags, indexes) and the
 * store keeps them: primary B-tree by 64-bit id, unique and non-unique
 * secondary indexes maintained in the same transaction, an audit row for
 * every change, optimistic row versions, gap-free counters, snapshot
 * reads for long readers.  Only this folder includes <db.h>.
 *
 * Error reporting: every call returns 0 or a K_E* code (base/kerr.h) and
 * fills the struct kerr it is given.
 */
#ifndef KONTOR_STORE_STORE_H
#define KONTOR_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/kerr.h"
#include "base/date.h"

/* ------------------------------------------------------------ schemas */

enum store_ftype {
	SF_INT = 1,     /* int64_t */
	SF_TEXT,        /* char *, UTF-8, owned by the record (NULL = "") */
	SF_DATE,        /* kdate (int32_t); DATE_NONE when unset */
	SF_MONEY,       /* int64_t, minor units (scale 2) */
	SF_QTY,         /* int64_t, scale 3 */
	SF_PRICE,       /* int64_t, scale 4 */
	SF_RATE,        /* int64_t, scale 6 */
	SF_BOOL,        /* bool */
	SF_REF,         /* int64_t id of a record of field->ref */
	SF_LIST,        /* struct store_list of field->sub elements */
};

/*
 * A repeated group inside a record (addresses, contacts, lines).  Each
 * element struct starts with a struct store_elem, which keeps fields a
 * newer program added to the element.
 */
struct store_elem {
	uint8_t *unknown;
	size_t unknown_len;
};

struct store_list {
	void *items;    /* n elements of sub->size bytes, owned */
	size_t n;
};

struct store_schema;

struct store_field {
	uint16_t tag;                 /* forever: never reuse or retype */
	const char *name;             /* the field's name in CSV and forms */
	enum store_ftype type;
	size_t offset;                /* offsetof() in the record struct */
	const struct store_schema *sub;  /* SF_LIST: element schema */
	const char *ref;              /* SF_REF: table name */
};

#define STORE_IX_UNIQUE 0x1u   /* at most one record per key */
#define STORE_IX_FOLD   0x2u   /* text parts compare case-folded (ASCII) */
#define STORE_IX_MAXPARTS 4

struct store_index {
	const char *name;                       /* "code", "name", "date" */
	unsigned flags;
	const char *parts[STORE_IX_MAXPARTS];   /* field names, NULL-ended */
};

struct store_schema {
	const char *name;             /* table name, [a-z0-9_] */
	uint16_t version;             /* written in each record header */
	size_t size;                  /* sizeof the record struct */
	const struct store_field *fields;
	size_t nfields;
	const struct store_index *indexes;
	size_t nindexes;
	unsigned flags;               /* STORE_NOAUDIT */
};

/*
 * A table of derived data (balances kept from postings): no audit rows.
 * Its records are recomputed from audited ones, so their history is the
 * history of what they are derived from.
 */
#define STORE_NOAUDIT 0x1u

/*
 * Every record struct starts with this header.  id is assigned on
 * insert; version counts saves (0 = never stored); mtime_us and muser
 * say who saved it last.  unknown keeps fields written by a newer
 * program so that this one does not drop them on rewrite.
 */
struct store_rec {
	int64_t id;
	uint32_t version;
	int64_t mtime_us;
	char muser[32];
	uint8_t *unknown;
	size_t unknown_len;
};

/* Frees what a record owns (texts, lists, unknown) and zeroes it. */
void store_rec_clear(const struct store_schema *s, void *rec);

/* Frees what one field of rec owns and empties it (a list: every element). */
void store_field_clear(const struct store_field *f, void *rec);

/* Deep copy of src into dst (dst is overwritten, not freed). */
int store_rec_copy(const struct store_schema *s, void *dst, const void *src);

/* The field named name, or NULL. */
const struct store_field *store_field_find(const struct store_schema *s,
					   const char *name);

/*
 * Formats a field of rec as text (amounts with their scale, ISO dates,
 * "true"/"false", ids as numbers; lists as "[n items]") into buf.
 */
char *store_field_text(const struct store_field *f, const void *rec,
		       char *buf, size_t n);

/* ----------------------------------------------------------- the store */

struct store;
struct store_txn;
struct store_cursor;

enum store_mode {
	STORE_CLERK,    /* joins a running daemon's environment; never recovers */
	STORE_ONEOFF,   /* joins if the daemon runs, else opens alone (recovers) */
	STORE_WATCH,    /* the daemon: recovers, then watches */
	STORE_CREATE,   /* kontor db init: creates, then stays open alone */
};

struct store_opts {
	const char *home;
	enum store_mode mode;
	int64_t cache_bytes;          /* 0 = default (64 MiB) */
	int lock_timeout_ms;          /* 0 = default (5000) */
	const char *login;            /* who writes (audit), required */
	int wait_ms;                  /* how long to wait for a busy env */
	const struct store_schema *const *schemas;  /* the tables */
	size_t nschemas;
	/*
	 * Bulk loading (kontor demo --scale), only with STORE_CREATE: the
	 * commits of this process do not wait for the disk
	 * (DB_TXN_WRITE_NOSYNC), and its tables keep no page versions (no
	 * DB_MULTIVERSION on its handles: a snapshot read takes locks
	 * instead, and nobody else is in).  Write-ahead logging still
	 * holds, so recovery after a crash gives a consistent database,
	 * but the last commits before a power cut may be lost: the caller
	 * must be able to start again from nothing.  store_checkpoint()
	 * (and store_close()) make everything committed durable.
	 */
	bool bulk;
};

/*
 * Opens (or creates, for STORE_CREATE) the environment at o->home and
 * every table of o->schemas.  The store is for one thread.
 * K_ENODAEMON: a clerk found no daemon; K_EBUSY: another process holds
 * the environment alone; K_ENOTFOUND: no database at home; K_EEXIST:
 * STORE_CREATE on an existing database.  *out is set as soon as the
 * store exists, so that a signal handler's store_abandon() can find it;
 * it is NULL again when the open fails.
 */
int store_open(const struct store_opts *o, struct store **out,
	       struct kerr *err);

/* Closes every handle; *st becomes NULL.  Safe on NULL. */
void store_close(struct store **st);

/*
 * Leaves an environment that the watcher is recovering while this
 * process may be stuck inside Berkeley DB (called after a siglongjmp
 * out of a handler for SIGUSR1, which the watcher sends to every process
 * it evicts): gives up the locks that keep recovery waiting and forgets
 * the handles without touching them.  Leaks their memory; open again.
 */
void store_abandon(struct store **st);

/* The home folder. */
const char *store_home(const struct store *st);

/* True when this process opened the environment alone (no daemon). */
bool store_is_alone(const struct store *st);

/*
 * False once the environment needs recovery (a process died inside the
 * library and the daemon is recovering): close the store and open it
 * again.  Cheap; the screens call it when idle.
 */
bool store_healthy(struct store *st);

/* The schema of a table by name, or NULL. */
const struct store_schema *store_schema_find(const struct store *st,
					     const char *table);

/* ------------------------------------------------------- transactions */

typedef int (*store_fn)(struct store_txn *t, void *arg, struct kerr *err);

/*
 * Runs fn in a write transaction and commits it.  The transaction never
 * waits for a lock: a conflict aborts it and fn runs again after a short
 * random wait, for up to 10 seconds, then K_EBUSY; any other error from
 * fn aborts and is returned.  fn
 * must therefore do nothing but store calls and computing, and build
 * the records it saves from its arguments on every run: store_insert()
 * and store_update() stamp the record they are given at once, so after
 * a failed attempt that stamp describes a write that did not happen.
 * To save one record a caller keeps (a form), use store_save().
 */
int store_write(struct store *st, store_fn fn, void *arg, struct kerr *err);

/*
 * Runs fn in a snapshot transaction: it reads the data as of its start,
 * takes no read locks, never blocks writers and is never blocked.
 */
int store_read(struct store *st, store_fn fn, void *arg, struct kerr *err);

/* Explicit transactions, for callers that must keep one open. */
int store_txn_begin(struct store *st, bool snapshot, struct store_txn **t,
		    struct kerr *err);
int store_txn_commit(struct store_txn **t, struct kerr *err);
void store_txn_abort(struct store_txn **t);
struct store *store_txn_store(struct store_txn *t);

/*
 * How full the transaction table of the environment is.  With MVCC a
 * committed write transaction stays in the table until the last page
 * version it made leaves the cache (HACKING, "The transaction table").
 */
struct store_txn_usage {
	unsigned long active;         /* transactions running now */
	unsigned long versions;       /* committed, still owning page versions */
	unsigned long max;            /* room for both (DB_CONFIG set_tx_max) */
};
int store_txn_usage(struct store *st, struct store_txn_usage *u,
		    struct kerr *err);

/* ------------------------------------------------------------ records */

/* Reads record id of table s into rec (cleared first).  K_ENOTFOUND. */
int store_get(struct store_txn *t, const struct store_schema *s, int64_t id,
	      void *rec, struct kerr *err);

/*
 * Reads the one record whose key in unique index `index` equals the
 * key fields of probe (a record struct with only those fields set).
 */
int store_find(struct store_txn *t, const struct store_schema *s,
	       const char *index, const void *probe, void *rec,
	       struct kerr *err);

/* Shortcut for a unique index on one text field ("code"). */
int store_find_text(struct store_txn *t, const struct store_schema *s,
		    const char *index, const char *value, void *rec,
		    struct kerr *err);

/*
 * Inserts rec: assigns rec->id when 0, refuses a duplicate unique key
 * (K_EEXIST naming the field), writes the audit row.
 */
int store_insert(struct store_txn *t, const struct store_schema *s,
		 void *rec, struct kerr *err);

/*
 * The id the next insert into s would assign, taken now: for a record
 * that others must name in the same transaction before it is inserted
 * (a journal entry's line index).  Set it in the record's h.id and
 * insert it in t; an id that is never inserted is simply skipped.
 */
int store_new_id(struct store_txn *t, const struct store_schema *s,
		 int64_t *id, struct kerr *err);

/*
 * Saves rec over the stored record with the same id, provided the stored
 * row version still equals rec->version; otherwise K_ECONFLICT with
 * "changed by LOGIN at TIME" (or "deleted by someone else").  Every
 * unique key is checked before anything is written; indexes follow;
 * audit row written; rec's version, mtime and muser are stamped.
 */
int store_update(struct store_txn *t, const struct store_schema *s,
		 void *rec, struct kerr *err);

/*
 * Saves one record the caller keeps: inserts it when rec->version is 0,
 * else updates it, in a transaction of its own; rec's id, version and
 * stamp change only when the commit succeeded.
 */
int store_save(struct store *st, const struct store_schema *s, void *rec,
	       struct kerr *err);

/* Deletes rec (same version check as store_update). */
int store_delete(struct store_txn *t, const struct store_schema *s,
		 const void *rec, struct kerr *err);

/* Counts the records of a table (walks keys only). */
int store_count(struct store_txn *t, const struct store_schema *s,
		uint64_t *n, struct kerr *err);

/* ------------------------------------------------------------ cursors */

/*
 * A cursor walks a table in primary (index NULL) or index order.  It
 * belongs to t and must be closed before t ends.  Moves return 0 and
 * fill rec (cleared first), or K_ENOTFOUND past either end.
 */
int store_cursor_open(struct store_txn *t, const struct store_schema *s,
		      const char *index, struct store_cursor **c,
		      struct kerr *err);
void store_cursor_close(struct store_cursor **c);

int store_cursor_first(struct store_cursor *c, void *rec, struct kerr *err);
int store_cursor_last(struct store_cursor *c, void *rec, struct kerr *err);
/* Unpositioned: next = first, prev = last. */
int store_cursor_next(struct store_cursor *c, void *rec, struct kerr *err);
int store_cursor_prev(struct store_cursor *c, void *rec, struct kerr *err);

/* Ends a cursor walk: running off the end (K_ENOTFOUND) is no error. */
static inline int store_walk_end(int ret, struct kerr *err)
{
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		return 0;
	}
	return ret;
}

/*
 * Positions on the first entry whose first key part starts with (or,
 * if none does, sorts after) text.  With `bounded`, later moves stop
 * (K_ENOTFOUND) when the prefix no longer matches.
 */
int store_cursor_seek(struct store_cursor *c, const char *text, bool bounded,
		      void *rec, struct kerr *err);

/*
 * Positions on the record with the given id (primary cursors) or on the
 * index entry of rec's key (index cursors); for paging back to a
 * remembered row.
 */
int store_cursor_seek_rec(struct store_cursor *c, const void *at, void *rec,
			  struct kerr *err);

/*
 * Where the cursor stands in its order, in thousandths of the way from
 * the first entry to the last (Berkeley DB's key_range: a walk down the
 * tree, not a count; an estimate on big tables).  For a list's position
 * indicator.
 */
int store_cursor_where(struct store_cursor *c, unsigned *permille,
		       struct kerr *err);

/* ----------------------------------------------------------- counters */

/*
 * Takes the next number of a gap-free series inside t (the series row
 * is locked until t ends, so numbers are never lost or reused).  A new
 * series starts at 1.
 */
int store_counter_next(struct store_txn *t, const char *series,
		       int64_t *out, struct kerr *err);

/* Sets the next number a series will give (inside t). */
int store_counter_set(struct store_txn *t, const char *series, int64_t next,
		      struct kerr *err);

/* Reads the next number without taking it (0 when the series is new). */
int store_counter_peek(struct store_txn *t, const char *series, int64_t *out,
		       struct kerr *err);

/* --------------------------------------------------------------- meta */

/* Small named settings of the environment ("creator", "created"). */
int store_meta_get(struct store_txn *t, const char *key, char *buf,
		   size_t n, struct kerr *err);
int store_meta_put(struct store_txn *t, const char *key, const char *value,
		   struct kerr *err);

/* -------------------------------------------------------------- audit */

struct store_audit {
	int64_t ts_us;
	char login[32];
	char table[32];
	int64_t rec_id;
	char op;                 /* 'I'nsert, 'U'pdate, 'D'elete */
	void *old_rec;           /* decoded, NULL for inserts */
	void *new_rec;           /* decoded, NULL for deletes */
};

typedef int (*store_audit_fn)(const struct store_audit *a, void *arg);

/*
 * Calls fn for every audit row of record id in table s, oldest first.
 * The records handed to fn are freed after fn returns.
 */
int store_history(struct store_txn *t, const struct store_schema *s,
		  int64_t id, store_audit_fn fn, void *arg, struct kerr *err);

/* ---------------------------------------------------------- the admin */

/*
 * Forces a checkpoint; then the log files no longer needed are copied
 * into archive_dir and removed when it is set, else kept (keep_logs:
 * archive mode) or removed.
 */
int store_checkpoint(struct store *st, bool keep_logs, const char *archive_dir,
		     struct kerr *err);

/*
 * Berkeley DB's verification of every file plus our invariants (every
 * record decodes, every index entry points at a record with that key,
 * every record is indexed).  Each problem is written to out as one line;
 * *problems counts them.
 */
int store_verify(struct store *st, void *out /* FILE * */, unsigned *problems,
		 struct kerr *err);

/* Online backup into dir (created; must be empty or absent). */
int store_backup(struct store *st, const char *dir, struct kerr *err);

/*
 * Restores the backup in dir into home, which nobody may be using; what
 * home held is moved into a folder "pre-restore-TIMESTAMP" inside it.
 * *moved gets that folder's name ("" when home was empty).
 */
int store_restore(const char *home, const char *dir, char *moved, size_t n,
		  struct kerr *err);

/* Writes environment statistics and table sizes to out (FILE *). */
int store_stat(struct store *st, void *out, struct kerr *err);

/* -------------------------------------------------------------- daemon */

struct store_watch_opts {
	const char *home;
	int64_t cache_bytes;
	int lock_timeout_ms;
	bool keep_logs;               /* archive mode */
	const char *archive_dir;      /* copy logs here before removal */
	int checkpoint_kb;
	int checkpoint_min;
	const char *login;
	const struct store_schema *const *schemas;
	size_t nschemas;
	volatile int *stop;           /* set by a signal handler */
	void (*log)(const char *fmt, ...);  /* one line per event */
	void (*on_ready)(void);       /* called once, when first ready */
	bool recover_first;           /* a predecessor found it stuck */
};

/*
 * The watcher loop of kontor daemon: recovers the environment (or joins
 * it when clerks are still inside), marks it ready, then every second
 * runs failchk and a probe transaction; checkpoints and archives logs.
 * When a process died inside the library (failchk says so, or the probe
 * does not commit within 5 seconds because a dead process holds a mutex)
 * it evicts every process of the environment (SIGUSR1, then SIGKILL
 * after 3 seconds) and recovers.  Returns when *stop is set; K_ERECOVER
 * when this process must be replaced (a thread is stuck in the library).
 */
int store_watch(const struct store_watch_opts *o, struct kerr *err);

/* pid of the daemon watching home, or 0 when none is. */
long store_daemon_pid(const char *home);

/*
 * For the daemon's supervisor between two watchers: holds daemon.lock
 * (with our pid) so that clerks see a daemon that is recovering, not
 * none, and 'kontor daemon --stop' reaches us.  A descriptor, or -1;
 * store_daemon_unhold() lets it go before a watcher starts.
 */
int store_daemon_hold(const char *home);
void store_daemon_unhold(int fd);

/* True when the daemon has recovered home and watches it. */
bool store_daemon_ready(const char *home);

/*
 * Whether the file system of home has less than 2 MiB left for
 * unprivileged writers: Berkeley DB's errors mean "disk full" then
 * (HACKING, "Disk full").
 */
bool store_disk_full(const char *home);

/* True when home holds a Kontor database. */
bool store_exists(const char *home);

#endif
