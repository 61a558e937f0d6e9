/*
 * spool.c - printing through the daemon's spool (see spool.h).
 *
 * Clerks write, the daemon's print runner runs.  Every change of a
 * job's state is a rename() inside HOME/spool, and every file another
 * process may read is written to a temporary name, synced, and renamed
 * into place.  The runner that renames a job from new/ into work/ runs
 * it; it holds flock() on the job file from before that rename until
 * the job has left work/, so a job in work/ that nobody holds belongs to
 * a runner that died.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/utf8.h"
#include "report/spool.h"

#define SPOOL_DIR        "spool"
#define SPOOL_MAGIC      "kontor-print-job 1"
#define SPOOL_KEEP_S     (7 * 24 * 3600)   /* finished jobs kept */
#define SPOOL_STRAY_S    (24 * 3600)       /* half-written leftovers kept */
#define SPOOL_CLEAN_S    600               /* how often to look for them */
#define SPOOL_TIMEOUT_S  60
#define SPOOL_GRACE_MS   2000              /* SIGTERM, then SIGKILL */
#define SPOOL_JOB_MAX    8192              /* a job file is smaller */
#define SPOOL_OUT_MAX    4096              /* output read for the error */
#define SPOOL_OUT_LINES  3

/* A job as its file holds it. */
struct job {
	struct spool_job j;
	char data[96];            /* the data file's name in the job's folder */
	int copies;
};

/* ------------------------------------------------------------- helpers */

/*
 * snprintf() for paths and messages whose truncation is harmless (a
 * path that long fails to open); false when it was cut.
 */
static bool bprintf(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool bprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return w >= 0 && (size_t)w < n;
}

static int spool_path(char *buf, size_t n, const char *home, const char *sub,
		      const char *name, struct kerr *err)
{
	int w;

	if (name)
		w = snprintf(buf, n, "%s/%s/%s/%s", home, SPOOL_DIR, sub, name);
	else if (sub)
		w = snprintf(buf, n, "%s/%s/%s", home, SPOOL_DIR, sub);
	else
		w = snprintf(buf, n, "%s/%s", home, SPOOL_DIR);
	if (w < 0 || (size_t)w >= n)
		return kerr_set(err, K_EINVAL, NULL, _("%s: path too long"),
				home);
	return 0;
}

static int errno_code(int e)
{
	if (e == ENOSPC || e == EDQUOT)
		return K_ENOSPC;
	if (e == ENOMEM)
		return K_ENOMEM;
	if (e == ENOENT)
		return K_ENOTFOUND;
	if (e == EACCES || e == EPERM)
		return K_EPERM;
	return K_EIO;
}

static int sys_fail(struct kerr *err, const char *path)
{
	int e = errno;

	return kerr_set(err, errno_code(e), NULL, "%s: %s", path, strerror(e));
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Job ids and file names: letters, digits, '.', '_', '-'; no leading '.'. */
static bool name_ok(const char *s, size_t max)
{
	size_t i;

	if (!s[0] || s[0] == '.' || strlen(s) >= max)
		return false;
	for (i = 0; s[i]; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

/* Logins: any text without control characters that fits. */
static bool text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n >= max || !utf8_valid(s, n))
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* Printer names: printable, no blanks, no leading '-' (it reaches argv). */
static bool printer_ok(const char *s)
{
	if (!text_ok(s, sizeof ((struct spool_job *)0)->printer) || s[0] == '-')
		return false;
	for (; *s; s++)
		if (*s == ' ')
			return false;
	return true;
}

/*
 * Copies src into dst (n bytes), cut at a character boundary, with
 * control characters and invalid bytes made spaces.
 */
static void copy_text(char *dst, size_t n, const char *src)
{
	size_t i = 0, len = strlen(src);

	while (len && i + 1 < n) {
		uint32_t cp;
		int k = utf8_decode(src, len, &cp);
		if (k <= 0 || cp < 0x20 || cp == 0x7f) {
			dst[i++] = ' ';
			k = k <= 0 ? 1 : k;
		} else if (i + (size_t)k < n) {
			memcpy(dst + i, src, (size_t)k);
			i += (size_t)k;
		} else {
			break;
		}
		src += k;
		len -= (size_t)k;
	}
	if (n)
		dst[i] = 0;
}

/* Syncs folder dir, so that a rename into it lasts. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Creates the spool's folders that are missing (2770, like the home). */
static int spool_dirs(const char *home, struct kerr *err)
{
	static const char *const subs[] = { NULL, "new", "work", "done",
					    "failed" };
	char path[PATH_MAX];
	size_t i;
	int ret;

	for (i = 0; i < sizeof subs / sizeof *subs; i++) {
		if ((ret = spool_path(path, sizeof path, home, subs[i], NULL,
				      err)))
			return ret;
		if (mkdir(path, 02770) == 0)
			chmod(path, 02770);    /* whatever the umask took */
		else if (errno != EEXIST)
			return sys_fail(err, path);
	}
	return 0;
}

/* Writes all of buf to fd; 0 or -1 with errno. */
static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* ------------------------------------------------------------ job files */

/* Appends "key value\n" to buf with \ and newlines escaped. */
static void put(char *buf, size_t n, size_t *len, const char *key,
		const char *value)
{
	size_t l = *len;
	int w = snprintf(buf + l, n - l, "%s ", key);

	if (w < 0 || (size_t)w >= n - l)
		return;
	l += (size_t)w;
	for (; *value && l + 3 < n; value++) {
		unsigned char c = (unsigned char)*value;
		if (c == '\\' || c == '\n') {
			buf[l++] = '\\';
			buf[l++] = c == '\n' ? 'n' : '\\';
		} else {
			buf[l++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
		}
	}
	if (l + 1 < n)
		buf[l++] = '\n';
	buf[l] = 0;
	*len = l;
}

static void put_num(char *buf, size_t n, size_t *len, const char *key,
		    long long v)
{
	char num[32];

	bprintf(num, sizeof num, "%lld", v);
	put(buf, n, len, key, num);
}

/*
 * Writes j as DIR/ID.job: a temporary file, synced, renamed.  dir is
 * the folder's full path.
 */
static int job_write(const char *dir, const struct job *j, struct kerr *err)
{
	char buf[SPOOL_JOB_MAX], tmp[PATH_MAX], path[PATH_MAX];
	size_t len = 0;
	int fd, ret = 0;

	bprintf(buf, sizeof buf, "%s\n", SPOOL_MAGIC);
	len = strlen(buf);
	put(buf, sizeof buf, &len, "id", j->j.id);
	put(buf, sizeof buf, &len, "login", j->j.login);
	put(buf, sizeof buf, &len, "printer", j->j.printer);
	put(buf, sizeof buf, &len, "title", j->j.title);
	put_num(buf, sizeof buf, &len, "copies", j->copies);
	put(buf, sizeof buf, &len, "data", j->data);
	put_num(buf, sizeof buf, &len, "submitted", (long long)j->j.submitted_us);
	if (j->j.state == 'd' || j->j.state == 'f') {
		char st[2] = { j->j.state, 0 };
		put(buf, sizeof buf, &len, "state", st);
		put_num(buf, sizeof buf, &len, "done", (long long)j->j.done_us);
		if (j->j.error[0])
			put(buf, sizeof buf, &len, "error", j->j.error);
	}
	put(buf, sizeof buf, &len, "end", "");
	if (!bprintf(tmp, sizeof tmp, "%s/.%s.job.tmp", dir, j->j.id) ||
	    !bprintf(path, sizeof path, "%s/%s.job", dir, j->j.id))
		return kerr_set(err, K_EINVAL, NULL, _("%s: path too long"), dir);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0660);
	if (fd < 0)
		return sys_fail(err, tmp);
	if (write_all(fd, buf, len) != 0 || fsync(fd) != 0) {
		ret = sys_fail(err, tmp);
		close(fd);
		goto fail;
	}
	if (close(fd) != 0) {
		ret = sys_fail(err, tmp);
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		ret = sys_fail(err, path);
		goto fail;
	}
	sync_dir(dir);
	return 0;
fail:
	unlink(tmp);
	return ret;
}

/* Undoes put()'s escapes in place. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '\\' && (s[1] == 'n' || s[1] == '\\')) {
			*o++ = s[1] == 'n' ? '\n' : '\\';
			s++;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

static int damaged(struct kerr *err, const char *name, const char *why)
{
	return kerr_set(err, K_ECORRUPT, NULL, _("%s: damaged job file: %s"),
			name, why);
}

/* Copies a value into a field; false when it does not fit. */
static bool field(char *dst, size_t n, const char *v)
{
	if (strlen(v) >= n)
		return false;
	strcpy(dst, v);
	return true;
}

/*
 * Reads the job file open on fd (named name, "ID.job") into *j, with
 * state as given (the folder's).  K_ECORRUPT for a file cut short or
 * otherwise not ours.
 */
static int job_read_fd(int fd, const char *name, char state, struct job *j,
		       struct kerr *err)
{
	char buf[SPOOL_JOB_MAX + 1];
	size_t len = 0;
	bool end = false;
	char *line, *next;

	for (;;) {
		ssize_t r = pread(fd, buf + len, sizeof buf - 1 - len,
				  (off_t)len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return sys_fail(err, name);
		if (r == 0)
			break;
		len += (size_t)r;
		if (len == sizeof buf - 1)
			return damaged(err, name, _("too long"));
	}
	buf[len] = 0;
	memset(j, 0, sizeof *j);
	j->copies = 1;
	if (strncmp(buf, SPOOL_MAGIC "\n", strlen(SPOOL_MAGIC) + 1) != 0)
		return damaged(err, name, _("not a print job"));
	for (line = buf + strlen(SPOOL_MAGIC) + 1; *line; line = next) {
		char *nl = strchr(line, '\n'), *v;
		bool ok = true;
		if (!nl)
			return damaged(err, name, _("cut short"));
		*nl = 0;
		next = nl + 1;
		if (strcmp(line, "end ") == 0 || strcmp(line, "end") == 0) {
			end = true;
			break;
		}
		if (!(v = strchr(line, ' ')))
			return damaged(err, name, _("a line without a value"));
		*v++ = 0;
		unescape(v);
		if (strcmp(line, "id") == 0)
			ok = field(j->j.id, sizeof j->j.id, v);
		else if (strcmp(line, "login") == 0)
			ok = field(j->j.login, sizeof j->j.login, v);
		else if (strcmp(line, "printer") == 0)
			ok = field(j->j.printer, sizeof j->j.printer, v);
		else if (strcmp(line, "title") == 0)
			ok = field(j->j.title, sizeof j->j.title, v);
		else if (strcmp(line, "data") == 0)
			ok = field(j->data, sizeof j->data, v);
		else if (strcmp(line, "error") == 0)
			ok = field(j->j.error, sizeof j->j.error, v);
		else if (strcmp(line, "copies") == 0)
			j->copies = atoi(v);
		else if (strcmp(line, "submitted") == 0)
			j->j.submitted_us = strtoll(v, NULL, 10);
		else if (strcmp(line, "done") == 0)
			j->j.done_us = strtoll(v, NULL, 10);
		/* "state" and unknown keys (a later version's): the folder says */
		if (!ok)
			return damaged(err, name, _("a value too long"));
	}
	if (!end)
		return damaged(err, name, _("cut short"));
	size_t idlen = strlen(j->j.id);
	if (!name_ok(j->j.id, sizeof j->j.id) ||
	    strncmp(name, j->j.id, idlen) != 0 || strcmp(name + idlen, ".job"))
		return damaged(err, name, _("the id does not match the name"));
	if (!j->j.login[0] || !name_ok(j->data, sizeof j->data) ||
	    j->j.submitted_us <= 0)
		return damaged(err, name, _("login, data or time missing"));
	if (j->copies < 1 || j->copies > 100)
		return damaged(err, name, _("copies out of range"));
	j->j.state = state;
	return 0;
}

/* Opens and reads DIR/NAME. */
static int job_read(const char *dir, const char *name, char state,
		    struct job *j, struct kerr *err)
{
	char path[PATH_MAX];
	int fd, ret;

	bprintf(path, sizeof path, "%s/%s", dir, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return sys_fail(err, path);
	ret = job_read_fd(fd, name, state, j, err);
	close(fd);
	return ret;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_free(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}

/* The names in dir ending in suffix (not starting with '.'), sorted. */
static int list_dir(const char *dir, const char *suffix, char ***names,
		    size_t *n, struct kerr *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t cnt = 0, cap = 0;

	*names = NULL;
	*n = 0;
	if (!d) {
		if (errno == ENOENT)
			return 0;
		return sys_fail(err, dir);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !ends_with(de->d_name, suffix))
			continue;
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **nv = realloc(v, nc * sizeof *nv);
			if (!nv)
				goto nomem;
			v = nv;
			cap = nc;
		}
		if (!(v[cnt] = strdup(de->d_name)))
			goto nomem;
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof *v, cmp_names);
	*names = v;
	*n = cnt;
	return 0;
nomem:
	closedir(d);
	names_free(v, cnt);
	return kerr_set(err, K_ENOMEM, NULL, NULL);
}

/* Writes a formatted line to log (which may be NULL). */
static void say(void (*log)(const char *fmt, ...), const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(void (*log)(const char *fmt, ...), const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (!log)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	log("%s", buf);
}

/* ------------------------------------------------------------- submit */

static atomic_uint spool_counter;

/*
 * spool_submit() and spool_submit_fd(): the file at path (opened here,
 * read from where it starts), or fd (when path is NULL: read with
 * pread() from offset 0, so the caller's offset does not move; name is
 * what messages call it).
 */
static int submit(const char *home, const char *login, const char *printer,
		  const char *title, const char *path, int fd,
		  const char *name, char *job_id, size_t n, struct kerr *err)
{
	struct job j;
	char dir[PATH_MAX], data[PATH_MAX], buf[65536];
	struct stat sb;
	int in = -1, out = -1, ret = 0;
	off_t at = 0;
	bool created = false;
	unsigned tries;

	kerr_clear(err);
	if (job_id && n)
		job_id[0] = 0;
	memset(&j, 0, sizeof j);
	if (!login || !login[0] || !text_ok(login, sizeof j.j.login))
		return kerr_set(err, K_EINVAL, "login",
				_("\"%s\" cannot print: not a valid login"),
				login ? login : "");
	if (printer && printer[0] && !printer_ok(printer))
		return kerr_set(err, K_EINVAL, "printer",
				_("\"%s\" is not a printer name"), printer);
	if (path && !path[0])
		return kerr_set(err, K_EINVAL, NULL, _("nothing to print"));
	if (!path && fd < 0)
		return kerr_set(err, K_EINVAL, NULL, _("nothing to print"));
	if (path)
		name = path;
	strcpy(j.j.login, login);
	if (printer)
		strcpy(j.j.printer, printer);
	if (title && title[0]) {
		copy_text(j.j.title, sizeof j.j.title, title);
	} else {
		const char *base = strrchr(name, '/');
		copy_text(j.j.title, sizeof j.j.title, base ? base + 1 : name);
	}
	j.copies = 1;
	j.j.state = 'n';
	j.j.submitted_us = date_now_us();
	if ((ret = spool_dirs(home, err)) ||
	    (ret = spool_path(dir, sizeof dir, home, "new", NULL, err)))
		return ret;
	if (path && (in = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return sys_fail(err, path);
	if (fstat(path ? in : fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		ret = kerr_set(err, K_EINVAL, NULL, _("%s: is a folder"), name);
		goto out;
	}
	for (tries = 0;; tries++) {
		time_t t = (time_t)(j.j.submitted_us / 1000000);
		struct tm tm;
		char stamp[32];
		localtime_r(&t, &tm);
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
		bprintf(j.j.id, sizeof j.j.id, "%s-%ld-%03u", stamp,
			 (long)getpid(), ++spool_counter);
		bprintf(j.data, sizeof j.data, "%s.data", j.j.id);
		bprintf(data, sizeof data, "%s/%s", dir, j.data);
		out = open(data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
		if (out >= 0) {
			created = true;
			break;
		}
		if (errno != EEXIST || tries >= 100) {
			ret = sys_fail(err, data);
			goto out;
		}
	}
	for (;;) {
		ssize_t r = path ? read(in, buf, sizeof buf) :
				   pread(fd, buf, sizeof buf, at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = sys_fail(err, name);
			goto out;
		}
		if (r == 0)
			break;
		at += r;
		if (write_all(out, buf, (size_t)r) != 0) {
			ret = sys_fail(err, data);
			goto out;
		}
	}
	if (fsync(out) != 0) {
		ret = sys_fail(err, data);
		goto out;
	}
	ret = close(out);
	out = -1;
	if (ret != 0) {
		ret = sys_fail(err, data);
		goto out;
	}
	if ((ret = job_write(dir, &j, err)))
		goto out;
	if (job_id && n)
		bprintf(job_id, n, "%s", j.j.id);
out:
	if (out >= 0)
		close(out);
	if (ret && created)
		unlink(data);
	if (in >= 0)
		close(in);
	return ret;
}

int spool_submit(const char *home, const char *login, const char *printer,
		 const char *title, const char *path, char *job_id, size_t n,
		 struct kerr *err)
{
	return submit(home, login, printer, title, path ? path : "", -1, NULL,
		      job_id, n, err);
}

int spool_submit_fd(const char *home, const char *login, const char *printer,
		    const char *title, int fd, char *job_id, size_t n,
		    struct kerr *err)
{
	return submit(home, login, printer, title, NULL, fd,
		      title && title[0] ? title : "report", job_id, n, err);
}

/* ------------------------------------------------------------- status */

static bool exists(const char *home, const char *sub, const char *id,
		   const char *suffix)
{
	char path[PATH_MAX];
	struct stat sb;

	if (snprintf(path, sizeof path, "%s/%s/%s/%s%s", home, SPOOL_DIR, sub,
		     id, suffix) >= (int)sizeof path)
		return false;
	return stat(path, &sb) == 0;
}

static int rank(char state)
{
	return state == 'n' ? 0 : state == 'w' ? 1 : 2;
}

static int cmp_id(const void *a, const void *b)
{
	const struct spool_job *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : rank(x->state) - rank(y->state);
}

static int cmp_newest(const void *a, const void *b)
{
	const struct spool_job *x = a, *y = b;

	if (x->submitted_us != y->submitted_us)
		return x->submitted_us > y->submitted_us ? -1 : 1;
	return -strcmp(x->id, y->id);
}

int spool_status(const char *home, const char *login,
		 struct spool_job **jobs, size_t *n, struct kerr *err)
{
	/*
	 * In the order jobs move, so that a job moving while we read is
	 * seen twice (the later state wins) rather than missed.
	 */
	static const struct { const char *sub; char state; } dirs[] = {
		{ "new", 'n' }, { "work", 'w' }, { "failed", 'f' },
		{ "done", 'd' },
	};
	struct spool_job *v = NULL;
	size_t cnt = 0, cap = 0, i, k;
	int ret = 0;

	kerr_clear(err);
	*jobs = NULL;
	*n = 0;
	for (i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		char dir[PATH_MAX], **names;
		size_t nn;
		if ((ret = spool_path(dir, sizeof dir, home, dirs[i].sub, NULL,
				      err)) ||
		    (ret = list_dir(dir, ".job", &names, &nn, err)))
			goto fail;
		for (k = 0; k < nn; k++) {
			struct job j;
			if (job_read(dir, names[k], dirs[i].state, &j, NULL))
				continue;       /* damaged, or gone meanwhile */
			if (login && strcmp(login, j.j.login) != 0)
				continue;
			if (dirs[i].state == 'f' || dirs[i].state == 'd')
				j.j.seen = exists(home, dirs[i].sub, j.j.id,
						  ".seen");
			if (cnt == cap) {
				size_t nc = cap ? cap * 2 : 16;
				struct spool_job *nv = realloc(v, nc * sizeof *nv);
				if (!nv) {
					names_free(names, nn);
					ret = kerr_set(err, K_ENOMEM, NULL, NULL);
					goto fail;
				}
				v = nv;
				cap = nc;
			}
			v[cnt++] = j.j;
		}
		names_free(names, nn);
	}
	/* One entry per id, the furthest state. */
	if (cnt > 1) {
		qsort(v, cnt, sizeof *v, cmp_id);
		for (i = 0, k = 0; i < cnt; i++) {
			if (k && strcmp(v[k - 1].id, v[i].id) == 0)
				v[k - 1] = v[i];
			else
				v[k++] = v[i];
		}
		cnt = k;
		qsort(v, cnt, sizeof *v, cmp_newest);
	}
	if (!cnt) {
		free(v);
		v = NULL;
	}
	*jobs = v;
	*n = cnt;
	return 0;
fail:
	free(v);
	return ret;
}

int spool_mark_seen(const char *home, const char *id, struct kerr *err)
{
	static const char *const subs[] = { "failed", "done" };
	char path[PATH_MAX];
	size_t i;
	int fd;

	kerr_clear(err);
	if (!id || !name_ok(id, sizeof ((struct spool_job *)0)->id))
		return kerr_set(err, K_EINVAL, NULL,
				_("\"%s\" is not a print job id"), id ? id : "");
	for (i = 0; i < sizeof subs / sizeof *subs; i++) {
		if (!exists(home, subs[i], id, ".job"))
			continue;
		bprintf(path, sizeof path, "%s/%s/%s/%s.seen", home, SPOOL_DIR,
			 subs[i], id);
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0660);
		if (fd < 0)
			return sys_fail(err, path);
		close(fd);
		return 0;
	}
	return kerr_set(err, K_ENOTFOUND, NULL,
			_("print job %s has not finished or does not exist"), id);
}

const char *spool_state_name(char state)
{
	switch (state) {
	case 'n':
		return _("queued");
	case 'w':
		return _("printing");
	case 'd':
		return _("printed");
	case 'f':
		return _("failed");
	default:
		return "?";
	}
}

/* ------------------------------------------------------ the command */

/* A growing string. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static bool sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 32;
		char *ns;
		while (nc < b->len + n + 1)
			nc *= 2;
		if (!(ns = realloc(b->s, nc)))
			return false;
		b->s = ns;
		b->cap = nc;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
	return true;
}

void spool_words_free(char **words)
{
	size_t i;

	if (!words)
		return;
	for (i = 0; words[i]; i++)
		free(words[i]);
	free(words);
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int spool_command_words(const char *command, const char *printer,
			const char *title, char ***words, struct kerr *err)
{
	const char *p = command ? command : "";
	char **v = NULL;
	size_t nv = 0, cap = 0;
	int ret = 0;

	kerr_clear(err);
	*words = NULL;
	if (!printer)
		printer = "";
	if (!title)
		title = "";
	for (;;) {
		struct sbuf b = { 0 };
		bool uses_p = false, uses_t = false, ok = true;
		char quote = 0;

		while (blank(*p))
			p++;
		if (!*p)
			break;
		while (*p && ok && (quote || !blank(*p))) {
			char c = *p;
			if (quote == '\'' && c == '\'') {
				quote = 0;
				p++;
				continue;
			}
			if (quote == '"' && c == '"') {
				quote = 0;
				p++;
				continue;
			}
			if (!quote && (c == '\'' || c == '"')) {
				quote = c;
				p++;
				continue;
			}
			if (c == '\\' && ((quote == '"' && (p[1] == '"' ||
							    p[1] == '\\')) ||
					  (!quote && p[1]))) {
				ok = sb_add(&b, p + 1, 1);
				p += 2;
				continue;
			}
			if (c == '%' && p[1] == 'p') {
				ok = sb_add(&b, printer, strlen(printer));
				uses_p = true;
				p += 2;
			} else if (c == '%' && p[1] == 't') {
				ok = sb_add(&b, title, strlen(title));
				uses_t = true;
				p += 2;
			} else if (c == '%' && p[1] == '%') {
				ok = sb_add(&b, "%", 1);
				p += 2;
			} else {
				ok = sb_add(&b, p, 1);
				p++;
			}
		}
		if (ok && !b.s)
			ok = sb_add(&b, "", 0);     /* '' is an empty word */
		if (!ok) {
			free(b.s);
			ret = kerr_set(err, K_ENOMEM, NULL, NULL);
			goto fail;
		}
		if (quote) {
			free(b.s);
			ret = kerr_set(err, K_ECONFIG, NULL,
				       _("the print command \"%s\" has a %c that is not closed"),
				       command, quote);
			goto fail;
		}
		if ((uses_p && !printer[0]) || (uses_t && !title[0])) {
			free(b.s);
			continue;
		}
		if (nv + 2 > cap) {
			size_t nc = cap ? cap * 2 : 8;
			char **nvv = realloc(v, nc * sizeof *nvv);
			if (!nvv) {
				free(b.s);
				ret = kerr_set(err, K_ENOMEM, NULL, NULL);
				goto fail;
			}
			v = nvv;
			cap = nc;
		}
		v[nv++] = b.s;
		v[nv] = NULL;
	}
	if (!nv) {
		ret = kerr_set(err, K_ECONFIG, NULL, _("the print command is empty"));
		goto fail;
	}
	*words = v;
	return 0;
fail:
	if (v) {
		v[nv] = NULL;
		spool_words_free(v);
	}
	return ret;
}

/* ---------------------------------------------------------- the runner */

static volatile sig_atomic_t spool_stopping;
static volatile sig_atomic_t spool_child;    /* the command's pid, or 0 */

void spool_interrupt(void)
{
	pid_t pid = (pid_t)spool_child;

	spool_stopping = 1;
	if (pid > 0)
		kill(-pid, SIGTERM);
}

static int timeout_s(void)
{
	const char *s = getenv("KONTOR_PRINT_TIMEOUT_S");
	char *end;
	long v;

	if (!s || !*s)
		return SPOOL_TIMEOUT_S;
	v = strtol(s, &end, 10);
	if (*end || v < 1 || v > 86400)
		return SPOOL_TIMEOUT_S;
	return (int)v;
}

/* How a run of the command ended. */
struct outcome {
	bool exec_failed;
	int exec_errno;
	bool timed_out, interrupted;
	bool exited;
	int status;          /* exited: the exit status; else the signal */
};

static void kill_group(pid_t pid, int sig)
{
	if (kill(-pid, sig) != 0)
		kill(pid, sig);
}

/*
 * Runs argv with stdin from /dev/null and stdout and stderr to outfd,
 * in a process group of its own (a timeout kills the group: a script's
 * children too).  Non-zero only when no process could be started.
 */
static int run_command(char *const *argv, int outfd, int limit_s,
		       struct outcome *o, struct kerr *err)
{
	static const int reset[] = { SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT,
				     SIGUSR1, SIGUSR2, SIGCHLD, SIGALRM };
	long maxfd = sysconf(_SC_OPEN_MAX);
	int ep[2], e = 0, ws = 0;
	ssize_t r;
	pid_t pid;
	int64_t start, killed_at = 0;
	bool hard = false;

	memset(o, 0, sizeof *o);
	if (maxfd < 0 || maxfd > 65536)
		maxfd = 65536;
	if (pipe(ep) != 0)
		return sys_fail(err, "pipe");
	fcntl(ep[0], F_SETFD, FD_CLOEXEC);
	fcntl(ep[1], F_SETFD, FD_CLOEXEC);
	if ((pid = fork()) < 0) {
		close(ep[0]);
		close(ep[1]);
		return sys_fail(err, "fork");
	}
	if (pid == 0) {
		/* Only async-signal-safe calls from here to exec. */
		struct sigaction sa = { .sa_handler = SIG_DFL };
		sigset_t none;
		size_t i;
		int nul;
		long fd;

		setpgid(0, 0);
		sigemptyset(&sa.sa_mask);
		for (i = 0; i < sizeof reset / sizeof *reset; i++)
			sigaction(reset[i], &sa, NULL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		nul = open("/dev/null", O_RDONLY);
		if (nul < 0 || dup2(nul, 0) < 0 || dup2(outfd, 1) < 0 ||
		    dup2(outfd, 2) < 0)
			goto child_fail;
		for (fd = 3; fd < maxfd; fd++)
			if (fd != ep[1])
				close((int)fd);
		execvp(argv[0], argv);
child_fail:
		e = errno;
		r = write(ep[1], &e, sizeof e);
		(void)r;
		_exit(127);
	}
	close(ep[1]);
	setpgid(pid, pid);          /* either side may win the race */
	spool_child = pid;
	while ((r = read(ep[0], &e, sizeof e)) < 0 && errno == EINTR)
		;
	close(ep[0]);
	if (r == (ssize_t)sizeof e) {
		o->exec_failed = true;
		o->exec_errno = e;
	}
	start = mono_ms();
	for (;;) {
		pid_t w = waitpid(pid, &ws, WNOHANG);
		int64_t now;
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			ws = 0;
			break;
		}
		now = mono_ms();
		if (!killed_at && (spool_stopping ||
				   now - start >= (int64_t)limit_s * 1000)) {
			if (spool_stopping)
				o->interrupted = true;
			else
				o->timed_out = true;
			kill_group(pid, SIGTERM);
			killed_at = now;
		} else if (killed_at && !hard &&
			   now - killed_at >= SPOOL_GRACE_MS) {
			kill_group(pid, SIGKILL);
			hard = true;
		}
		nap_ms(now - start < 200 ? 10 : 50);
	}
	spool_child = 0;
	if (spool_stopping && !killed_at)
		o->interrupted = true;  /* spool_interrupt() killed it */
	if (killed_at || spool_stopping)
		kill(-pid, SIGKILL);    /* what is left of the group */
	if (WIFEXITED(ws)) {
		o->exited = true;
		o->status = WEXITSTATUS(ws);
	} else if (WIFSIGNALED(ws)) {
		o->status = WTERMSIG(ws);
	}
	return 0;
}

/*
 * The first lines of the command's output that are not blank, joined
 * by "; ", as one line of text.
 */
static void output_summary(int fd, char *dst, size_t n)
{
	char buf[SPOOL_OUT_MAX + 1], joined[SPOOL_OUT_MAX + 16];
	char *save = NULL, *line;
	ssize_t r = fd >= 0 ? pread(fd, buf, SPOOL_OUT_MAX, 0) : -1;
	size_t len = r > 0 ? (size_t)r : 0, used = 0;
	int lines = 0;

	buf[len] = 0;
	joined[0] = 0;
	for (line = strtok_r(buf, "\r\n", &save);
	     line && lines < SPOOL_OUT_LINES;
	     line = strtok_r(NULL, "\r\n", &save)) {
		size_t l;
		while (*line == ' ' || *line == '\t')
			line++;
		l = strlen(line);
		while (l && (line[l - 1] == ' ' || line[l - 1] == '\t'))
			line[--l] = 0;
		if (!l)
			continue;
		int w = snprintf(joined + used, sizeof joined - used, "%s%s",
				 lines ? "; " : "", line);
		if (w < 0 || (size_t)w >= sizeof joined - used)
			break;
		used += (size_t)w;
		lines++;
	}
	copy_text(dst, n, joined);
}

/*
 * Ends job j, which this runner holds in work/ (its data in datadir, or
 * nowhere when datadir is NULL): writes it to done/ or failed/, removes
 * or keeps its data, then leaves work/.
 */
static void finish(const char *home, struct job *j, const char *error,
		   const char *datadir, void (*log)(const char *fmt, ...))
{
	char dir[PATH_MAX], from[PATH_MAX], to[PATH_MAX];
	bool ok = !error;
	struct kerr e;

	j->j.state = ok ? 'd' : 'f';
	j->j.done_us = date_now_us();
	copy_text(j->j.error, sizeof j->j.error, ok ? "" : error);
	spool_path(dir, sizeof dir, home, ok ? "done" : "failed", NULL, NULL);
	if (job_write(dir, j, &e)) {
		/* Left in work/: the next pass fails it as interrupted. */
		say(log, "print job %s: %s", j->j.id, e.msg);
		return;
	}
	if (datadir) {
		bprintf(from, sizeof from, "%s/%s", datadir, j->data);
		bprintf(to, sizeof to, "%s/%s", dir, j->data);
		if (ok)
			unlink(from);
		else
			rename(from, to);
	}
	spool_path(dir, sizeof dir, home, "work", NULL, NULL);
	bprintf(from, sizeof from, "%s/%s.out", dir, j->j.id);
	unlink(from);
	bprintf(from, sizeof from, "%s/%s.job", dir, j->j.id);
	unlink(from);
	if (!ok)
		say(log, "print job %s of %s failed: %s", j->j.id, j->j.login,
		    j->j.error);
}

/* The printer a job goes to: its own, else the user's default. */
static const char *job_printer(const struct job *j, const struct kconf *conf)
{
	const struct kconf_user *u;

	if (j->j.printer[0])
		return j->j.printer;
	if (conf && (u = kconf_user_find(conf, j->j.login)) && u->printer)
		return u->printer;
	return "";
}

/* Runs job j (claimed, in work/, data in work/) and finishes it. */
static void run_job(const char *home, const struct kconf *conf,
		    void (*log)(const char *fmt, ...), struct job *j)
{
	char work[PATH_MAX], data[PATH_MAX], out[PATH_MAX];
	char error[1024], said[512];
	const char *printer = job_printer(j, conf);
	char **argv = NULL, **nargv;
	struct outcome o = { 0 };
	struct kerr e;
	size_t argc;
	int outfd = -1, copy;

	spool_path(work, sizeof work, home, "work", NULL, NULL);
	bprintf(data, sizeof data, "%s/%s", work, j->data);
	bprintf(out, sizeof out, "%s/%s.out", work, j->j.id);
	said[0] = 0;
	if (printer[0] && !printer_ok(printer)) {
		bprintf(error, sizeof error, _("\"%s\" is not a printer name"),
			 printer);
		goto failed;
	}
	if (printer != j->j.printer)
		strcpy(j->j.printer, printer);   /* the one used, for status */
	if (spool_command_words(conf && conf->print_command ?
				conf->print_command : "lp",
				printer, j->j.title, &argv, &e)) {
		bprintf(error, sizeof error, "%s", e.msg);
		goto failed;
	}
	for (argc = 0; argv[argc]; argc++)
		;
	if (!(nargv = realloc(argv, (argc + 2) * sizeof *argv)) ||
	    !(nargv[argc] = strdup(data))) {
		if (nargv)
			argv = nargv;
		bprintf(error, sizeof error, "%s", strerror(ENOMEM));
		goto failed;
	}
	argv = nargv;
	nargv[argc + 1] = NULL;
	if ((outfd = open(out, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
			  0600)) < 0) {
		bprintf(error, sizeof error, "%s: %s", out, strerror(errno));
		goto failed;
	}
	for (copy = 0; copy < j->copies; copy++) {
		if (run_command(argv, outfd, timeout_s(), &o, &e)) {
			bprintf(error, sizeof error, _("cannot run %s: %s"),
				 argv[0], e.msg);
			goto failed;
		}
		if (o.exec_failed || o.interrupted || o.timed_out ||
		    !o.exited || o.status != 0)
			break;
	}
	output_summary(outfd, said, sizeof said);
	if (o.exec_failed)
		bprintf(error, sizeof error, _("cannot run %s: %s"), argv[0],
			 strerror(o.exec_errno));
	else if (o.interrupted && !(o.exited && o.status == 0))
		bprintf(error, sizeof error,
			 _("%s was interrupted: the daemon stopped while it ran "
			   "(it may have printed in part)"), argv[0]);
	else if (o.timed_out)
		bprintf(error, sizeof error,
			 _("%s timed out after %d s and was killed"), argv[0],
			 timeout_s());
	else if (!o.exited)
		bprintf(error, sizeof error, _("%s was killed by signal %d%s%s"),
			 argv[0], o.status, said[0] ? ": " : "", said);
	else if (o.status != 0)
		bprintf(error, sizeof error, _("%s exited with status %d%s%s"),
			 argv[0], o.status, said[0] ? ": " : "", said);
	else
		goto done;
failed:
	if (outfd >= 0)
		close(outfd);
	spool_words_free(argv);
	finish(home, j, error, work, log);
	return;
done:
	close(outfd);
	spool_words_free(argv);
	finish(home, j, NULL, work, log);
	say(log, "print job %s of %s: printed%s%s%s%s", j->j.id, j->j.login,
	    j->j.printer[0] ? " on " : "", j->j.printer, said[0] ? ": " : "",
	    said);
}

/*
 * Takes new/NAME: locks it, renames it into work/ (only one runner can),
 * reads it, moves its data along, and runs it.
 */
static void take(const char *home, const struct kconf *conf,
		 void (*log)(const char *fmt, ...), const char *name)
{
	char newdir[PATH_MAX], work[PATH_MAX], failed[PATH_MAX];
	char from[PATH_MAX], to[PATH_MAX];
	struct job j;
	struct kerr e;
	int fd;

	spool_path(newdir, sizeof newdir, home, "new", NULL, NULL);
	spool_path(work, sizeof work, home, "work", NULL, NULL);
	spool_path(failed, sizeof failed, home, "failed", NULL, NULL);
	bprintf(from, sizeof from, "%s/%s", newdir, name);
	bprintf(to, sizeof to, "%s/%s", work, name);
	if ((fd = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		return;                 /* another runner took it */
	if (flock(fd, LOCK_EX | LOCK_NB) != 0)
		goto out;               /* another runner is taking it */
	if (rename(from, to) != 0) {
		if (errno != ENOENT)
			say(log, "print job %s: cannot take it: %s", name,
			    strerror(errno));
		goto out;
	}
	sync_dir(work);
	if (job_read_fd(fd, name, 'w', &j, &e)) {
		char bad[PATH_MAX];
		bprintf(bad, sizeof bad, "%s/%.*s.bad", failed,
			 (int)(strlen(name) - 4), name);
		rename(to, bad);
		say(log, "%s; set aside as %s", e.msg, bad);
		goto out;
	}
	bprintf(from, sizeof from, "%s/%s", newdir, j.data);
	bprintf(to, sizeof to, "%s/%s", work, j.data);
	if (rename(from, to) != 0) {
		char msg[PATH_MAX + 64];
		bprintf(msg, sizeof msg, _("the data to print is missing (%s: %s)"),
			 from, strerror(errno));
		finish(home, &j, msg, NULL, log);
		goto out;
	}
	run_job(home, conf, log, &j);
out:
	close(fd);
}

/*
 * Fails the jobs in work/ that no runner holds: their runner died while
 * the command ran.  They may have printed in part, so they are not run
 * again on their own.
 */
static void recover_work(const char *home, void (*log)(const char *fmt, ...))
{
	char work[PATH_MAX], newdir[PATH_MAX], path[PATH_MAX], **names;
	size_t n, i;

	spool_path(work, sizeof work, home, "work", NULL, NULL);
	spool_path(newdir, sizeof newdir, home, "new", NULL, NULL);
	if (list_dir(work, ".job", &names, &n, NULL))
		return;
	for (i = 0; i < n; i++) {
		struct stat a, b;
		struct job j;
		struct kerr e;
		int fd;

		bprintf(path, sizeof path, "%s/%s", work, names[i]);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) != 0 || fstat(fd, &a) != 0 ||
		    stat(path, &b) != 0 || a.st_ino != b.st_ino ||
		    a.st_dev != b.st_dev) {
			close(fd);      /* running, or finished meanwhile */
			continue;
		}
		if (job_read_fd(fd, names[i], 'w', &j, &e)) {
			char bad[PATH_MAX];
			bprintf(bad, sizeof bad, "%s/%s/failed/%.*s.bad", home,
				 SPOOL_DIR, (int)(strlen(names[i]) - 4),
				 names[i]);
			rename(path, bad);
			say(log, "%s; set aside as %s", e.msg, bad);
		} else if (exists(home, "done", j.j.id, ".job") ||
			   exists(home, "failed", j.j.id, ".job")) {
			/* It had finished: only work/ was left to clean. */
			char p[PATH_MAX];
			bprintf(p, sizeof p, "%s/%s", work, j.data);
			unlink(p);
			bprintf(p, sizeof p, "%s/%s.out", work, j.j.id);
			unlink(p);
			unlink(path);
		} else {
			char p[PATH_MAX], q[PATH_MAX];
			const char *datadir = work;
			bprintf(p, sizeof p, "%s/%s", work, j.data);
			bprintf(q, sizeof q, "%s/%s", newdir, j.data);
			if (access(p, F_OK) != 0)
				datadir = access(q, F_OK) == 0 ? newdir : NULL;
			finish(home, &j,
			       _("interrupted: the daemon stopped while the print "
				 "command ran (it may have printed in part)"),
			       datadir, log);
		}
		close(fd);
	}
	names_free(names, n);
}

/* Removes files of sub older than age seconds that keep() refuses. */
static void remove_old(const char *home, const char *sub, time_t age,
		       bool (*keep)(const char *home, const char *sub,
				    const char *name))
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	time_t now = time(NULL);
	DIR *d;

	spool_path(dir, sizeof dir, home, sub, NULL, NULL);
	if (!(d = opendir(dir)))
		return;
	while ((de = readdir(d)) != NULL) {
		struct stat sb;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >=
		    (int)sizeof path ||
		    lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
		    now - sb.st_mtime < age)
			continue;
		if (keep && keep(home, sub, de->d_name))
			continue;
		unlink(path);
	}
	closedir(d);
}

/* In new/ and work/: job files, and the data and output of one. */
static bool keep_live(const char *home, const char *sub, const char *name)
{
	char id[96];
	const char *dot;

	if (name[0] != '.' && ends_with(name, ".job"))
		return true;
	if (name[0] == '.' || !(dot = strrchr(name, '.')) ||
	    (size_t)(dot - name) >= sizeof id)
		return false;
	bprintf(id, sizeof id, "%.*s", (int)(dot - name), name);
	return exists(home, sub, id, ".job");
}

/*
 * Every SPOOL_CLEAN_S (and on a process's first pass over a home):
 * finished jobs older than 7 days go, and so do leftovers of submits
 * or runs cut short, after a day.
 */
static void clean(const char *home)
{
	static char last_home[PATH_MAX];
	static time_t last;
	time_t now = time(NULL);

	if (strcmp(last_home, home) == 0 && now - last < SPOOL_CLEAN_S)
		return;
	bprintf(last_home, sizeof last_home, "%s", home);
	last = now;
	remove_old(home, "done", SPOOL_KEEP_S, NULL);
	remove_old(home, "failed", SPOOL_KEEP_S, NULL);
	remove_old(home, "new", SPOOL_STRAY_S, keep_live);
	remove_old(home, "work", SPOOL_STRAY_S, keep_live);
}

int spool_run_once(const char *home, const struct kconf *conf,
		   void (*log)(const char *fmt, ...), struct kerr *err)
{
	char newdir[PATH_MAX], **names;
	size_t n, i;
	int ret;

	kerr_clear(err);
	if (spool_stopping)
		return 0;
	if ((ret = spool_dirs(home, err)) ||
	    (ret = spool_path(newdir, sizeof newdir, home, "new", NULL, err)))
		return ret;
	recover_work(home, log);
	clean(home);
	if ((ret = list_dir(newdir, ".job", &names, &n, err)))
		return ret;
	for (i = 0; i < n && !spool_stopping; i++)
		take(home, conf, log, names[i]);
	names_free(names, n);
	return 0;
}

/* -------------------------------------------------------- runner lock */

int spool_runner_lock(const char *home, struct kerr *err)
{
	char path[PATH_MAX];
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd;

	kerr_clear(err);
	if (spool_dirs(home, err))
		return -1;
	bprintf(path, sizeof path, "%s/%s/runner.lock", home, SPOOL_DIR);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0660)) < 0) {
		sys_fail(err, path);
		return -1;
	}
	if (fcntl(fd, F_SETLK, &fl) != 0) {
		long pid = spool_runner_pid(home);
		close(fd);
		kerr_set(err, K_EBUSY, NULL,
			 _("%s: another print runner is at work (pid %ld)"),
			 home, pid);
		return -1;
	}
	if (ftruncate(fd, 0) == 0)
		dprintf(fd, "%ld\n", (long)getpid());
	return fd;
}

long spool_runner_pid(const char *home)
{
	char path[PATH_MAX];
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	long pid = 0;
	int fd;

	bprintf(path, sizeof path, "%s/%s/runner.lock", home, SPOOL_DIR);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
		pid = fl.l_pid;
	close(fd);
	return pid;
}
