/*
 * admin.c - checkpoint, verify, backup, restore and statistics.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/i18n.h"
#include "store/store_int.h"

#define BACKUP_MARK "KONTOR-BACKUP"

static int copy_file(const char *from, const char *to, struct kerr *err);

/*
 * Log files are removed (or moved to the archive) only while this
 * process holds STORE_BACKUP_LOCK exclusively: a backup holds it shared
 * while it copies, because the data files it copied may need logs that
 * the live environment no longer does.  Holding it through the removal
 * closes the window between "no backup is running" and the unlink.
 * When a backup runs, nothing is removed; the next checkpoint does it.
 * The descriptor is this function's own (closing a descriptor drops the
 * process's locks on the file: HACKING).
 */
static bool backup_here;        /* this process is copying */

static int archive_locked(DB_ENV *env, bool keep, const char *dir,
			  struct kerr *err)
{
	char **list = NULL, to[PATH_MAX + 64];
	int ret;

	if (!dir || !*dir) {
		if (keep)
			return 0;      /* archive mode: keep them in place */
		if ((ret = env->log_archive(env, NULL, DB_ARCH_REMOVE)))
			return store_dberr(NULL, ret, err, _("log removal"));
		return 0;
	}
	if ((ret = env->log_archive(env, &list, DB_ARCH_ABS)))
		return store_dberr(NULL, ret, err, _("log archive"));
	for (char **p = list; p && *p; p++) {
		const char *base = strrchr(*p, '/');
		base = base ? base + 1 : *p;
		snprintf(to, sizeof to, "%s/%s", dir, base);
		/* Removed only once the copy is on disk (copy_file syncs). */
		if ((ret = copy_file(*p, to, err)))
			break;
		unlink(*p);
	}
	free(list);
	return ret;
}

int store_logs_archive(DB_ENV *env, bool keep, const char *dir,
		       struct kerr *err)
{
	const char *home = NULL;
	int fd, ret;

	if (backup_here || (keep && (!dir || !*dir)))
		return 0;
	if (env->get_home(env, &home) || !home)
		return 0;
	if ((fd = lockfile_open(home, STORE_BACKUP_LOCK, true)) < 0)
		return kerr_set(err, K_EIO, NULL, "%s/%s: %s", home,
				STORE_BACKUP_LOCK, strerror(errno));
	if (lockfile_try(fd, true) != 0) {
		close(fd);             /* a backup is copying: next time */
		return 0;
	}
	ret = archive_locked(env, keep, dir, err);
	lockfile_release(fd);
	close(fd);
	return ret;
}

int store_checkpoint(struct store *st, bool keep_logs, const char *archive_dir,
		     struct kerr *err)
{
	int ret = st->env->txn_checkpoint(st->env, 0, 0, DB_FORCE);

	if (ret)
		return store_dberr(st, ret, err, _("checkpoint"));
	return store_logs_archive(st->env, keep_logs, archive_dir, err);
}

/* ------------------------------------------------------------ verify */

static void problem(FILE *out, unsigned *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(FILE *out, unsigned *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	(*n)++;
}

/*
 * Berkeley DB's check of each file reads the files directly and takes no
 * locks, so it is only right on files nobody writes.  Alone, we check the
 * files in place; with clerks about, we check a fresh hot backup.
 */
static int verify_dir(struct store *st, DB_ENV *env, const char *dir,
		      FILE *out, unsigned *n, struct kerr *err)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (!(d = opendir(dir)))
		return kerr_set(err, K_EIO, NULL, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		DB *db;
		int ret;

		if (!((l > 3 && strcmp(de->d_name + l - 3, ".db") == 0) ||
		      (l > 4 && strcmp(de->d_name + l - 4, ".idx") == 0)))
			continue;
		if ((ret = db_create(&db, env, 0))) {
			closedir(d);
			return store_dberr(st, ret, err, de->d_name);
		}
		if (env)
			snprintf(path, sizeof path, "%s", de->d_name);
		else
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		/* verify() always destroys the handle. */
		ret = db->verify(db, path, NULL, NULL, 0);
		if (ret)
			problem(out, n, _("%s: Berkeley DB verification failed: %s"),
				de->d_name, db_strerror(ret));
	}
	closedir(d);
	return 0;
}

static int remove_tree(const char *path)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;
	char sub[PATH_MAX];

	if (lstat(path, &sb) != 0)
		return 0;
	if (S_ISDIR(sb.st_mode) && (d = opendir(path))) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
				snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
				remove_tree(sub);
			}
		closedir(d);
		return rmdir(path);
	}
	return unlink(path);
}

static int verify_files(struct store *st, FILE *out, unsigned *n,
			struct kerr *err)
{
	char dir[PATH_MAX + 16], tmp[PATH_MAX];
	int ret;

	if (st->alone) {
		snprintf(dir, sizeof dir, "%s/%s", st->home, STORE_DATA_DIR);
		return verify_dir(st, st->env, dir, out, n, err);
	}
	if (snprintf(tmp, sizeof tmp, "%s/verify.XXXXXX", st->home) >=
	    (int)sizeof tmp - 8 || !mkdtemp(tmp))
		return kerr_set(err, K_EIO, NULL, "%s: %s", tmp, strerror(errno));
	ret = store_backup(st, tmp, err);
	if (!ret) {
		snprintf(dir, sizeof dir, "%s/%s", tmp, STORE_DATA_DIR);
		ret = verify_dir(st, NULL, dir, out, n, err);
	}
	remove_tree(tmp);
	if (ret == K_ENOSPC && err) {
		char why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		kerr_set(err, K_ENOSPC, NULL,
			 _("%s: no space left for the copy of the database that verify checks while the daemon runs (about the size of data/ and logs/): free some space there, or stop the daemon and verify in place (%s)"),
			 st->home, why);
	}
	return ret;
}

struct vctx {
	FILE *out;
	unsigned *n;
};

/* Every record decodes and is in each of its indexes. */
static int verify_records(struct store_txn *t, struct table *tab,
			  struct vctx *v, struct kerr *err)
{
	const struct store_schema *s = tab->s;
	DBC *c;
	DBT key = { .flags = DB_DBT_REALLOC }, data = { .flags = DB_DBT_REALLOC };
	DBT ixd = { .flags = DB_DBT_REALLOC };
	void *rec = calloc(1, s->size);
	struct keybuf k;
	int ret;

	if (!rec)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	if ((ret = tab->db->cursor(tab->db, t->txn, &c, 0))) {
		free(rec);
		return store_dberr(t->st, ret, err, s->name);
	}
	while ((ret = c->get(c, &key, &data, DB_NEXT)) == 0) {
		int64_t id;
		struct kerr e;

		if (key.size != 8) {
			problem(v->out, v->n, _("%s: key of %u bytes"), s->name,
				key.size);
			continue;
		}
		id = (int64_t)key_get_u64(key.data);
		if (codec_decode(s, data.data, data.size, rec, &e)) {
			problem(v->out, v->n, _("%s %" PRId64 ": %s"), s->name,
				id, e.msg);
			continue;
		}
		for (size_t x = 0; x < s->nindexes; x++) {
			bool u = s->indexes[x].flags & STORE_IX_UNIQUE;
			if (!store_index_key(s, x, rec, id, !u, &k))
				continue;
			DBT ik = { .data = k.b, .size = (u_int32_t)k.n };
			int r = tab->ix[x]->get(tab->ix[x], t->txn, &ik, &ixd, 0);
			if (r == DB_NOTFOUND)
				problem(v->out, v->n,
					_("%s %" PRId64 ": missing from index %s"),
					s->name, id, s->indexes[x].name);
			else if (r == 0 && (ixd.size != 8 ||
					    (int64_t)key_get_u64(ixd.data) != id))
				problem(v->out, v->n,
					_("%s %" PRId64 ": index %s points elsewhere"),
					s->name, id, s->indexes[x].name);
			else if (r) {
				ret = r;
				break;
			}
		}
		store_rec_clear(s, rec);
	}
	c->close(c);
	free(key.data);
	free(data.data);
	free(ixd.data);
	free(rec);
	if (ret && ret != DB_NOTFOUND)
		return store_dberr(t->st, ret, err, s->name);
	return 0;
}

/* Every index entry points at a record that has that key. */
static int verify_index(struct store_txn *t, struct table *tab, size_t x,
			struct vctx *v, struct kerr *err)
{
	const struct store_schema *s = tab->s;
	const char *ix = s->indexes[x].name;
	bool u = s->indexes[x].flags & STORE_IX_UNIQUE;
	DBC *c;
	DBT key = { .flags = DB_DBT_REALLOC }, data = { .flags = DB_DBT_REALLOC };
	void *rec = calloc(1, s->size);
	struct keybuf k;
	int ret;

	if (!rec)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	if ((ret = tab->ix[x]->cursor(tab->ix[x], t->txn, &c, 0))) {
		free(rec);
		return store_dberr(t->st, ret, err, s->name);
	}
	while ((ret = c->get(c, &key, &data, DB_NEXT)) == 0) {
		struct kerr e;
		int64_t id;

		if (data.size != 8) {
			problem(v->out, v->n, _("index %s.%s: bad entry"),
				s->name, ix);
			continue;
		}
		id = (int64_t)key_get_u64(data.data);
		int r = store_get(t, s, id, rec, &e);
		if (r == K_ENOTFOUND) {
			problem(v->out, v->n,
				_("index %s.%s: entry for missing record %" PRId64),
				s->name, ix, id);
			continue;
		}
		if (r) {
			problem(v->out, v->n, "%s", e.msg);
			continue;
		}
		if (!store_index_key(s, x, rec, id, !u, &k) ||
		    k.n != key.size || memcmp(k.b, key.data, k.n) != 0)
			problem(v->out, v->n,
				_("index %s.%s: stale entry for record %" PRId64),
				s->name, ix, id);
		store_rec_clear(s, rec);
	}
	c->close(c);
	free(key.data);
	free(data.data);
	free(rec);
	if (ret && ret != DB_NOTFOUND)
		return store_dberr(t->st, ret, err, s->name);
	return 0;
}

/* Every audit index entry points at an audit row. */
static int verify_audit(struct store_txn *t, struct vctx *v, struct kerr *err)
{
	struct store *st = t->st;
	DBC *c;
	DBT key = { .flags = DB_DBT_REALLOC }, data = { .flags = DB_DBT_REALLOC };
	DBT row = { .flags = DB_DBT_REALLOC };
	int ret;

	if ((ret = st->audit_rec->cursor(st->audit_rec, t->txn, &c, 0)))
		return store_dberr(st, ret, err, "audit");
	while ((ret = c->get(c, &key, &data, DB_NEXT)) == 0) {
		if (key.size < 16 + 16) {
			problem(v->out, v->n, _("audit index: short key"));
			continue;
		}
		DBT ak = { .data = (uint8_t *)key.data + key.size - 16,
			   .size = 16 };
		int r = st->audit->get(st->audit, t->txn, &ak, &row, 0);
		if (r == DB_NOTFOUND)
			problem(v->out, v->n,
				_("audit index: entry without audit row"));
		else if (r) {
			ret = r;
			break;
		}
	}
	c->close(c);
	free(key.data);
	free(data.data);
	free(row.data);
	if (ret && ret != DB_NOTFOUND)
		return store_dberr(st, ret, err, "audit");
	return 0;
}

static int verify_all(struct store_txn *t, void *arg, struct kerr *err)
{
	struct vctx *v = arg;
	int ret;

	for (size_t i = 0; i < t->st->ntables; i++) {
		struct table *tab = &t->st->tables[i];
		if ((ret = verify_records(t, tab, v, err)))
			return ret;
		for (size_t x = 0; x < tab->s->nindexes; x++)
			if ((ret = verify_index(t, tab, x, v, err)))
				return ret;
	}
	return verify_audit(t, v, err);
}

int store_verify(struct store *st, void *outp, unsigned *problems,
		 struct kerr *err)
{
	FILE *out = outp;
	struct vctx v = { out, problems };
	int ret;

	*problems = 0;
	/* Pages in the cache reach the files first, for verify() reads files. */
	if ((ret = st->env->txn_checkpoint(st->env, 0, 0, DB_FORCE)))
		return store_dberr(st, ret, err, _("checkpoint"));
	if ((ret = verify_files(st, out, problems, err)))
		return ret;
	return store_read(st, verify_all, &v, err);
}

/* ------------------------------------------------------------ backup */

static int copy_file(const char *from, const char *to, struct kerr *err)
{
	char buf[65536];
	int in, out;
	ssize_t n;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		return kerr_set(err, K_EIO, NULL, "%s: %s", from, strerror(errno));
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0660)) < 0) {
		close(in);
		return kerr_set(err, K_EIO, NULL, "%s: %s", to, strerror(errno));
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	int e = errno;
	close(in);
	if (fsync(out) != 0 && n >= 0)
		n = -1, e = errno;
	if (close(out) != 0 && n >= 0)
		n = -1, e = errno;
	if (n < 0)
		return kerr_set(err, e == ENOSPC ? K_ENOSPC : K_EIO, NULL,
				"%s: %s", to, strerror(e));
	return 0;
}

/* Copies the regular files of dir `from` into `to` (created). */
static int copy_dir(const char *from, const char *to, struct kerr *err)
{
	char a[PATH_MAX], b[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (mkdir(to, 02770) != 0 && errno != EEXIST)
		return kerr_set(err, K_EIO, NULL, "%s: %s", to, strerror(errno));
	if (!(d = opendir(from)))
		return errno == ENOENT ? 0 : kerr_set(err, K_EIO, NULL, "%s: %s",
						      from, strerror(errno));
	while (!ret && (de = readdir(d))) {
		struct stat sb;
		snprintf(a, sizeof a, "%s/%s", from, de->d_name);
		snprintf(b, sizeof b, "%s/%s", to, de->d_name);
		if (stat(a, &sb) == 0 && S_ISREG(sb.st_mode))
			ret = copy_file(a, b, err);
	}
	closedir(d);
	return ret;
}

static bool dir_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool empty = true;

	if (!d)
		return errno == ENOENT;
	while (empty && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

/* Runs catastrophic recovery in a copy, then removes its regions. */
static int recover_copy(const char *dir, bool fatal, struct kerr *err)
{
	DB_ENV *env;
	int ret;

	if ((ret = db_env_create(&env, 0)))
		return store_dberr(NULL, ret, err, dir);
	ret = env->open(env, dir, DB_CREATE | DB_INIT_TXN | DB_INIT_LOCK |
			DB_INIT_LOG | DB_INIT_MPOOL | DB_PRIVATE |
			(fatal ? DB_RECOVER_FATAL : DB_RECOVER), 0660);
	if (ret == 0)
		ret = env->txn_checkpoint(env, 0, 0, DB_FORCE);
	if (ret == 0)
		ret = env->log_archive(env, NULL, DB_ARCH_REMOVE);
	env->close(env, 0);
	if (ret)
		return store_dberr(NULL, ret, err, dir);
	return 0;
}

static int log_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Copies the log files of `from` into `to` in log order.  Writers go on
 * while we copy: the file being written may be copied half full, which
 * is fine for the last one (recovery stops at its end) but not when a
 * newer file appears meanwhile (recovery would read on through the torn
 * end into the next file: "Log file corrupt").  So the newest file
 * copied is copied again whenever a newer one has appeared, until none
 * has.  Log names (log.0000000001) sort by number.
 */
static int copy_logs(const char *from, const char *to, struct kerr *err)
{
	char last[NAME_MAX + 1] = "", a[PATH_MAX + NAME_MAX + 2],
	     b[PATH_MAX + NAME_MAX + 2];
	int ret = 0;

	if (mkdir(to, 02770) != 0 && errno != EEXIST)
		return kerr_set(err, K_EIO, NULL, "%s: %s", to, strerror(errno));
	for (int round = 0; round < 100 && !ret; round++) {
		char **names = NULL;
		size_t n = 0, cap = 0;
		struct dirent *de;
		DIR *d = opendir(from);
		bool newer = false;

		if (!d)
			return kerr_set(err, K_EIO, NULL, "%s: %s", from,
					strerror(errno));
		while ((de = readdir(d))) {
			if (strncmp(de->d_name, "log.", 4) != 0)
				continue;
			if (n == cap) {
				char **p = realloc(names, (cap = cap ? cap * 2 : 16) *
						   sizeof *p);
				if (!p)
					break;
				names = p;
			}
			if (!(names[n] = strdup(de->d_name)))
				break;
			n++;
		}
		closedir(d);
		qsort(names, n, sizeof *names, log_name_cmp);
		for (size_t i = 0; i < n && !ret; i++) {
			if (last[0] && strcmp(names[i], last) < 0)
				continue;         /* complete: copied before */
			if (strcmp(names[i], last) > 0)
				newer = true;
			snprintf(a, sizeof a, "%s/%s", from, names[i]);
			snprintf(b, sizeof b, "%s/%s", to, names[i]);
			ret = copy_file(a, b, err);
		}
		if (n)
			snprintf(last, sizeof last, "%s", names[n - 1]);
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		if (!newer && round > 0)
			break;                    /* nothing appeared: whole */
	}
	return ret;
}

static int backup_files(struct store *st, const char *dir, struct kerr *err)
{
	char from[PATH_MAX], to[PATH_MAX + 16];
	struct dirent *de;
	DIR *d;
	int ret = 0, r0;

	if (mkdir(dir, 02770) != 0 && errno != EEXIST)
		return kerr_set(err, K_EIO, NULL, "%s: %s", dir, strerror(errno));
	snprintf(to, sizeof to, "%s/%s", dir, STORE_DATA_DIR);
	if (mkdir(to, 02770) != 0 && errno != EEXIST)
		return kerr_set(err, K_EIO, NULL, "%s: %s", to, strerror(errno));
	snprintf(from, sizeof from, "%s/%s", st->home, STORE_DATA_DIR);
	if (!(d = opendir(from)))
		return kerr_set(err, K_EIO, NULL, "%s: %s", from, strerror(errno));
	while (!ret && (de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (!((l > 3 && strcmp(de->d_name + l - 3, ".db") == 0) ||
		      (l > 4 && strcmp(de->d_name + l - 4, ".idx") == 0)))
			continue;
		int r = st->env->dbbackup(st->env, de->d_name, to, 0);
		if (r)
			ret = store_dberr(st, r, err, de->d_name);
	}
	closedir(d);
	if (ret)
		return ret;
	/* Logs last: they must reach past every page copied above. */
	if ((r0 = st->env->log_flush(st->env, NULL)))
		return store_dberr(st, r0, err, _("log flush"));
	snprintf(from, sizeof from, "%s/%s", st->home, STORE_LOG_DIR);
	snprintf(to, sizeof to, "%s/%s", dir, STORE_LOG_DIR);
	return copy_logs(from, to, err);
}

int store_backup(struct store *st, const char *dir, struct kerr *err)
{
	char path[PATH_MAX], from[PATH_MAX], ts[32];
	FILE *f;
	int ret;

	if (!dir_empty(dir))
		return kerr_set(err, K_EEXIST, NULL,
				_("%s: the backup folder must be empty or absent"),
				dir);
	if ((ret = st->env->txn_checkpoint(st->env, 0, 0, DB_FORCE)))
		return store_dberr(st, ret, err, _("checkpoint"));
	/*
	 * Not DB_ENV->backup(): in 5.3.28 it leaves a log file handle open,
	 * and closing the environment then panics it for every process.
	 * Databases page by page through the cache (dbbackup), then the log
	 * files as they are, then catastrophic recovery in the copy.
	 */
	int lfd = lockfile_open(st->home, STORE_BACKUP_LOCK, true);
	if (lfd >= 0 && lockfile_wait(lfd, false, 10000) != 0) {
		close(lfd);
		lfd = -1;
	}
	backup_here = true;
	ret = backup_files(st, dir, err);
	backup_here = false;
	if (lfd >= 0) {
		lockfile_release(lfd);
		close(lfd);
	}
	if (ret)
		return ret;
	snprintf(from, sizeof from, "%s/DB_CONFIG", st->home);
	snprintf(path, sizeof path, "%s/DB_CONFIG", dir);
	if ((ret = copy_file(from, path, err)))
		return ret;
	if ((ret = recover_copy(dir, true, err)))
		return ret;
	snprintf(path, sizeof path, "%s/%s", dir, BACKUP_MARK);
	if (!(f = fopen(path, "w")))
		return kerr_set(err, K_EIO, NULL, "%s: %s", path, strerror(errno));
	fprintf(f, "Kontor backup\nfrom %s\nat %s\nby %s\n", st->home,
		date_format_ts(date_now_us(), ts, sizeof ts), st->login);
	if (fclose(f) != 0)
		return kerr_set(err, K_EIO, NULL, "%s: %s", path, strerror(errno));
	return 0;
}

/* Moves name from home into keep (made when first needed). */
static int move_aside(const char *home, const char *name, const char *keep,
		      bool *made, struct kerr *err)
{
	char a[PATH_MAX], b[PATH_MAX];
	struct stat sb;

	snprintf(a, sizeof a, "%s/%s", home, name);
	if (lstat(a, &sb) != 0)
		return 0;
	if (!*made) {
		snprintf(b, sizeof b, "%s/%s", home, keep);
		if (mkdir(b, 02770) != 0)
			return kerr_set(err, K_EIO, NULL, "%s: %s", b,
					strerror(errno));
		*made = true;
	}
	snprintf(b, sizeof b, "%s/%s/%s", home, keep, name);
	if (rename(a, b) != 0)
		return kerr_set(err, K_EIO, NULL, "%s: %s", a, strerror(errno));
	return 0;
}

int store_restore(const char *home, const char *dir, char *moved, size_t n,
		  struct kerr *err)
{
	char a[PATH_MAX], b[PATH_MAX], keep[64];
	struct stat sb;
	bool made = false;
	int fd, ret;

	if (n)
		moved[0] = 0;
	umask(007);
	snprintf(a, sizeof a, "%s/%s", dir, BACKUP_MARK);
	snprintf(b, sizeof b, "%s/%s/%s", dir, STORE_DATA_DIR, STORE_META_FILE);
	if (stat(a, &sb) != 0 || stat(b, &sb) != 0)
		return kerr_set(err, K_ENOTFOUND, NULL,
				_("%s: not a Kontor backup (no %s)"), dir,
				BACKUP_MARK);
	if (mkdir(home, 02770) != 0 && errno != EEXIST)
		return kerr_set(err, K_EIO, NULL, "%s: %s", home, strerror(errno));
	if ((fd = lockfile_open(home, STORE_ENV_LOCK, true)) < 0)
		return kerr_set(err, K_EIO, NULL, "%s: %s", home, strerror(errno));
	if (lockfile_try(fd, true) != 0) {
		close(fd);
		return kerr_set(err, K_EBUSY, NULL,
				_("%s: the database is in use; stop kontor daemon and every clerk first"),
				home);
	}
	time_t now = time(NULL);
	strftime(keep, sizeof keep, "pre-restore-%Y%m%d-%H%M%S",
		 localtime(&now));
	ret = move_aside(home, STORE_DATA_DIR, keep, &made, err);
	if (!ret)
		ret = move_aside(home, STORE_LOG_DIR, keep, &made, err);
	if (!ret)
		ret = move_aside(home, "DB_CONFIG", keep, &made, err);
	for (int i = 1; !ret && i < 10; i++) {
		char reg[16];
		snprintf(reg, sizeof reg, "__db.%03d", i);
		snprintf(a, sizeof a, "%s/%s", home, reg);
		unlink(a);
	}
	snprintf(a, sizeof a, "%s/%s", home, "__db.rep.egen");
	unlink(a);
	if (!ret && made && n)
		snprintf(moved, n, "%s", keep);
	if (!ret) {
		snprintf(a, sizeof a, "%s/%s", dir, STORE_DATA_DIR);
		snprintf(b, sizeof b, "%s/%s", home, STORE_DATA_DIR);
		ret = copy_dir(a, b, err);
	}
	if (!ret) {
		snprintf(a, sizeof a, "%s/%s", dir, STORE_LOG_DIR);
		snprintf(b, sizeof b, "%s/%s", home, STORE_LOG_DIR);
		ret = copy_dir(a, b, err);
	}
	if (!ret) {
		snprintf(a, sizeof a, "%s/DB_CONFIG", dir);
		snprintf(b, sizeof b, "%s/DB_CONFIG", home);
		ret = copy_file(a, b, err);
	}
	if (!ret)
		ret = recover_copy(home, false, err);
	lockfile_release(fd);
	close(fd);
	return ret;
}

/* ------------------------------------------------------------ stat */

static int count_tables(struct store_txn *t, void *arg, struct kerr *err)
{
	FILE *out = arg;
	int ret;

	for (size_t i = 0; i < t->st->ntables; i++) {
		uint64_t n;
		if ((ret = store_count(t, t->st->tables[i].s, &n, err)))
			return ret;
		fprintf(out, "  %-24s %12" PRIu64 "\n", t->st->tables[i].s->name, n);
	}
	return 0;
}

int store_stat(struct store *st, void *outp, struct kerr *err)
{
	FILE *out = outp;
	DB_TXN_STAT *ts = NULL;
	DB_LOCK_STAT *ls = NULL;
	DB_MPOOL_STAT *ms = NULL;
	DB_LOG_STAT *lg = NULL;
	long pid = store_daemon_pid(st->home);
	int ret;

	fprintf(out, _("Environment   %s\n"), st->home);
	if (pid)
		fprintf(out, _("Daemon        running, pid %ld\n"), pid);
	else
		fprintf(out, _("Daemon        not running\n"));
	if ((ret = st->env->txn_stat(st->env, &ts, 0)) ||
	    (ret = st->env->lock_stat(st->env, &ls, 0)) ||
	    (ret = st->env->memp_stat(st->env, &ms, NULL, 0)) ||
	    (ret = st->env->log_stat(st->env, &lg, 0))) {
		free(ts);
		free(ls);
		free(ms);
		return store_dberr(st, ret, err, "stat");
	}
	uintmax_t hits = ms->st_cache_hit, miss = ms->st_cache_miss;
	fprintf(out, _("Transactions  %lu active, %lu begun, %lu committed, %lu aborted\n"),
		(unsigned long)ts->st_nactive, (unsigned long)ts->st_nbegins,
		(unsigned long)ts->st_ncommits, (unsigned long)ts->st_naborts);
	fprintf(out, _("Versions      %lu committed transactions own page versions in the cache; table %lu of %lu\n"),
		(unsigned long)ts->st_nsnapshot,
		(unsigned long)(ts->st_nactive + ts->st_nsnapshot),
		(unsigned long)ts->st_maxtxns);
	fprintf(out, _("Locks         %lu held (max %lu), %lu lockers, %lu deadlocks, %lu timeouts\n"),
		(unsigned long)ls->st_nlocks, (unsigned long)ls->st_maxnlocks,
		(unsigned long)ls->st_nlockers, (unsigned long)ls->st_ndeadlocks,
		(unsigned long)ls->st_nlocktimeouts);
	fprintf(out, _("Cache         %lu MiB, hit rate %.1f%%\n"),
		(unsigned long)(ms->st_gbytes * 1024 + ms->st_bytes / 1048576),
		hits + miss ? 100.0 * (double)hits / (double)(hits + miss) : 100.0);
	fprintf(out, _("Log           file %lu, %lu MiB written\n"),
		(unsigned long)lg->st_cur_file,
		(unsigned long)(lg->st_w_mbytes));
	free(ts);
	free(ls);
	free(ms);
	free(lg);
	fprintf(out, _("Records\n"));
	return store_read(st, count_tables, out, err);
}
