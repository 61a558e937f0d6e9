/*
 * test_spool.c - the print spool: the print command's word splitter,
 * submit and status, damaged job files, running jobs with commands that
 * work, fail, do not exist, hang, or are stopped, jobs a dead runner
 * left behind, old jobs removed, and runners in parallel processes that
 * never run one job twice.
 *
 * Each test has a home of its own in a temporary folder; the print
 * commands are small shell scripts written there.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/kerr.h"
#include "config/conf.h"
#include "report/spool.h"

/* ------------------------------------------------------------ helpers */

struct env {
	char home[512];
	char printed[600];            /* where print.sh copies to */
	struct kconf conf;
	struct kconf_user user;
	char cmd[2048];
};

static char logbuf[16384];

static void tlog(const char *fmt, ...)
{
	size_t l = strlen(logbuf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(logbuf + l, sizeof logbuf - l, fmt, ap);
	va_end(ap);
	l = strlen(logbuf);
	if (l + 1 < sizeof logbuf) {
		logbuf[l] = '\n';
		logbuf[l + 1] = 0;
	}
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static char *read_file(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t r;

	if (!f)
		return NULL;
	r = fread(buf, 1, n - 1, f);
	buf[r] = 0;
	fclose(f);
	return buf;
}

/* A home with a spool, and the scripts the tests use as print commands. */
static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	char path[PATH_MAX], script[PATH_MAX];

	if (!e)
		return -1;
	snprintf(e->home, sizeof e->home, "%s/spool-test.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(e->home))
		return -1;
	snprintf(e->printed, sizeof e->printed, "%s/printed", e->home);
	mkdir(e->printed, 0700);
	/* print.sh ARGS... FILE: copies FILE, notes the arguments. */
	snprintf(path, sizeof path, "%s/print.sh", e->home);
	snprintf(script, sizeof script,
		 "#!/bin/sh\n"
		 "for a; do last=$a; done\n"
		 "echo \"$*\" >>'%s/args'\n"
		 "cp \"$last\" '%s/'\n"
		 "echo \"request id is x-1\"\n", e->printed, e->printed);
	write_file(path, script, 0755);
	snprintf(path, sizeof path, "%s/fail.sh", e->home);
	write_file(path, "#!/bin/sh\n\necho 'printer on fire' >&2\n"
		   "echo 'second line' >&2\necho third >&2\necho fourth >&2\n"
		   "exit 3\n", 0755);
	snprintf(path, sizeof path, "%s/hang.sh", e->home);
	write_file(path, "#!/bin/sh\nsleep 30\n", 0755);
	e->user.login = "wang";
	e->user.printer = "office";
	e->conf.users = &e->user;
	e->conf.nusers = 1;
	logbuf[0] = 0;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[PATH_MAX];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->home);
	if (system(cmd) != 0)
		return -1;
	free(e);
	return 0;
}

/* Sets the print command to the script NAME with args before the file. */
static void use(struct env *e, const char *name, const char *args)
{
	snprintf(e->cmd, sizeof e->cmd, "%s/%s%s%s", e->home, name,
		 args ? " " : "", args ? args : "");
	e->conf.print_command = e->cmd;
}

/* Submits a file holding text as login; returns the id in id. */
static void submit(struct env *e, const char *login, const char *printer,
		   const char *title, const char *text, char *id, size_t n)
{
	char path[PATH_MAX];
	struct kerr err;

	snprintf(path, sizeof path, "%s/input", e->home);
	write_file(path, text, 0644);
	assert_int_equal(spool_submit(e->home, login, printer, title, path, id,
				      n, &err), 0);
	assert_true(id[0] != 0);
}

/* The one job of the spool with this id; fails when there is none. */
static struct spool_job job(struct env *e, const char *id)
{
	struct spool_job *jobs, found;
	struct kerr err;
	size_t n, i;
	bool ok = false;

	assert_int_equal(spool_status(e->home, NULL, &jobs, &n, &err), 0);
	memset(&found, 0, sizeof found);
	for (i = 0; i < n; i++)
		if (strcmp(jobs[i].id, id) == 0) {
			found = jobs[i];
			ok = true;
		}
	free(jobs);
	assert_true(ok);
	return found;
}

static size_t count_files(const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0, sl = strlen(suffix);

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] != '.' && l >= sl &&
		    strcmp(de->d_name + l - sl, suffix) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* ------------------------------------------------------- word splitter */

/* Splits cmd and compares the words with the NULL-terminated list. */
static void words_are(const char *cmd, const char *printer, const char *title,
		      ...)
{
	char **w;
	struct kerr err;
	va_list ap;
	size_t i = 0;
	const char *want;

	assert_int_equal(spool_command_words(cmd, printer, title, &w, &err), 0);
	va_start(ap, title);
	while ((want = va_arg(ap, const char *)) != NULL) {
		assert_non_null(w[i]);
		assert_string_equal(w[i], want);
		i++;
	}
	va_end(ap);
	assert_null(w[i]);
	spool_words_free(w);
}

static void test_words(void **state)
{
	struct kerr err;
	char **w = NULL;

	(void)state;
	words_are("lp", "office", "T", "lp", NULL);
	words_are("  lp\t-d%p  ", "office", "T", "lp", "-doffice", NULL);
	/* A command without %p gets no printer. */
	words_are("lpr -h", "office", "T", "lpr", "-h", NULL);
	/* No printer: the word with %p goes, so lp uses its default. */
	words_are("lp -d%p -s", "", "T", "lp", "-s", NULL);
	words_are("lp -d%p -s", NULL, NULL, "lp", "-s", NULL);
	/* Substitution is inside one word: blanks in values stay in it. */
	words_are("lp -d %p -t %t", "office", "Annual report", "lp", "-d",
		  "office", "-t", "Annual report", NULL);
	words_are("lp -t%t", "x", "", "lp", NULL);
	/* %% is a %; other % sequences stay. */
	words_are("a %%p 100%x %", "P", "T", "a", "%p", "100%x", "%", NULL);
	/* Quotes group, and go. */
	words_are("'/opt/my printer/print' \"a b\" c\\ d", "", "",
		  "/opt/my printer/print", "a b", "c d", NULL);
	words_are("'it''s' \"say \\\"hi\\\" \\\\ \\n\" 'a\\b'", "", "",
		  "its", "say \"hi\" \\ \\n", "a\\b", NULL);
	words_are("x'y'\"z\"", "", "", "xyz", NULL);
	words_are("cmd '' \"\"", "", "", "cmd", "", "", NULL);
	words_are("cmd '-d%p'", "o", "", "cmd", "-do", NULL);
	words_are("cmd \\%p", "o", "", "cmd", "%p", NULL);
	/* Errors. */
	assert_int_equal(spool_command_words("lp 'office", "", "", &w, &err),
			 K_ECONFIG);
	assert_null(w);
	assert_non_null(strstr(err.msg, "not closed"));
	assert_int_equal(spool_command_words("lp \"x", "", "", &w, &err),
			 K_ECONFIG);
	assert_int_equal(spool_command_words("  ", "", "", &w, &err),
			 K_ECONFIG);
	assert_non_null(strstr(err.msg, "empty"));
	assert_int_equal(spool_command_words(NULL, "", "", &w, &err),
			 K_ECONFIG);
	/* Only a word with %p: nothing left. */
	assert_int_equal(spool_command_words("%p", "", "", &w, &err),
			 K_ECONFIG);
	spool_words_free(NULL);
}

/* ---------------------------------------------------- submit, status */

static void test_submit_status(void **state)
{
	struct env *e = *state;
	struct spool_job *jobs;
	struct kerr err;
	char id1[64], id2[64], id3[64], path[PATH_MAX], buf[64];
	size_t n;

	submit(e, "wang", NULL, "Parties \xe5\xae\xa2\xe6\x88\xb7", "one\n",
	       id1, sizeof id1);
	submit(e, "li", "basement", NULL, "two\n", id2, sizeof id2);
	submit(e, "wang", "", "a\ttab\nline", "three\n", id3, sizeof id3);
	assert_string_not_equal(id1, id2);
	assert_string_not_equal(id2, id3);

	assert_int_equal(spool_status(e->home, "wang", &jobs, &n, &err), 0);
	assert_int_equal(n, 2);
	/* Newest first. */
	assert_string_equal(jobs[0].id, id3);
	assert_string_equal(jobs[1].id, id1);
	assert_string_equal(jobs[1].login, "wang");
	assert_string_equal(jobs[1].printer, "");
	assert_string_equal(jobs[1].title, "Parties \xe5\xae\xa2\xe6\x88\xb7");
	assert_int_equal(jobs[1].state, 'n');
	assert_true(jobs[1].submitted_us > 0);
	assert_int_equal(jobs[1].done_us, 0);
	assert_false(jobs[1].seen);
	/* Control characters never reach a job file. */
	assert_string_equal(jobs[0].title, "a tab line");
	free(jobs);

	assert_int_equal(spool_status(e->home, NULL, &jobs, &n, &err), 0);
	assert_int_equal(n, 3);
	free(jobs);
	struct spool_job j = job(e, id2);
	assert_string_equal(j.printer, "basement");
	assert_string_equal(j.title, "input");     /* the file's name */

	assert_int_equal(spool_status(e->home, "nobody", &jobs, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_null(jobs);

	/* The data is a copy: the file may change or go. */
	snprintf(path, sizeof path, "%s/spool/new/%s.data", e->home, id1);
	assert_non_null(read_file(path, buf, sizeof buf));
	assert_string_equal(buf, "one\n");
	snprintf(path, sizeof path, "%s/spool/new", e->home);
	assert_int_equal(count_files(path, ".job"), 3);
	assert_int_equal(count_files(path, ".data"), 3);

	/* The folders are the group's, like the home. */
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 02770);

	/* Refused. */
	snprintf(path, sizeof path, "%s/input", e->home);
	assert_int_equal(spool_submit(e->home, "wang", "-x", NULL, path, id1,
				      sizeof id1, &err), K_EINVAL);
	assert_int_equal(spool_submit(e->home, "wang", "two words", NULL, path,
				      id1, sizeof id1, &err), K_EINVAL);
	assert_int_equal(spool_submit(e->home, "", NULL, NULL, path, id1,
				      sizeof id1, &err), K_EINVAL);
	assert_int_equal(spool_submit(e->home, "wang", NULL, NULL,
				      "/no/such/file", id1, sizeof id1, &err),
			 K_ENOTFOUND);
	assert_non_null(strstr(err.msg, "/no/such/file"));
	assert_int_equal(spool_submit(e->home, "wang", NULL, NULL, e->home,
				      id1, sizeof id1, &err), K_EINVAL);
	snprintf(path, sizeof path, "%s/spool/new", e->home);
	assert_int_equal(count_files(path, ".job"), 3);
	assert_int_equal(count_files(path, ".data"), 3);

	/* A home without a spool has no jobs. */
	assert_int_equal(spool_status("/nonexistent", NULL, &jobs, &n, &err), 0);
	assert_int_equal(n, 0);
}

/*
 * A file without a name (the viewer's, unlinked once open) is printed
 * from its descriptor: all of it, from its start, wherever the
 * caller's offset is, and that offset does not move.
 */
static void test_submit_fd(void **state)
{
	struct env *e = *state;
	struct kerr err;
	char id[64], path[PATH_MAX], buf[128];
	int fd;

	snprintf(path, sizeof path, "%s/gone", e->home);
	assert_true((fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600)) >= 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(write(fd, "page 1\fpage 2\n", 14), 14);
	assert_int_equal(lseek(fd, 3, SEEK_SET), 3);
	assert_int_equal(spool_submit_fd(e->home, "wang", "office", "Items",
					 fd, id, sizeof id, &err), 0);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 3);
	snprintf(path, sizeof path, "%s/spool/new/%s.data", e->home, id);
	assert_non_null(read_file(path, buf, sizeof buf));
	assert_string_equal(buf, "page 1\fpage 2\n");
	struct spool_job j = job(e, id);
	assert_string_equal(j.title, "Items");
	assert_string_equal(j.printer, "office");
	/* Without a title, "report". */
	assert_int_equal(spool_submit_fd(e->home, "wang", NULL, NULL, fd, id,
					 sizeof id, &err), 0);
	j = job(e, id);
	assert_string_equal(j.title, "report");
	/* A descriptor that is not open: nothing is queued. */
	assert_int_equal(close(fd), 0);
	assert_int_not_equal(spool_submit_fd(e->home, "wang", NULL, NULL, fd,
					     id, sizeof id, &err), 0);
	assert_int_not_equal(spool_submit_fd(e->home, "wang", NULL, NULL, -1,
					     id, sizeof id, &err), 0);
	snprintf(path, sizeof path, "%s/spool/new", e->home);
	assert_int_equal(count_files(path, ".job"), 2);
	assert_int_equal(count_files(path, ".data"), 2);
}

/* A job file cut short is not a job: status skips it, the runner sets
 * it aside and says so, and never runs it. */
static void test_damaged(void **state)
{
	struct env *e = *state;
	struct spool_job *jobs;
	struct kerr err;
	char id[64], good[64], path[PATH_MAX], bad[PATH_MAX];
	struct stat sb;
	size_t n;

	submit(e, "wang", NULL, "cut", "data\n", id, sizeof id);
	submit(e, "wang", NULL, "whole", "data\n", good, sizeof good);
	snprintf(path, sizeof path, "%s/spool/new/%s.job", e->home, id);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(truncate(path, sb.st_size / 2), 0);

	assert_int_equal(spool_status(e->home, NULL, &jobs, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(jobs[0].id, good);
	free(jobs);

	use(e, "print.sh", NULL);
	assert_int_equal(spool_run_once(e->home, &e->conf, tlog, &err), 0);
	assert_non_null(strstr(logbuf, "damaged job file"));
	assert_non_null(strstr(logbuf, id));
	snprintf(bad, sizeof bad, "%s/spool/failed/%s.bad", e->home, id);
	assert_int_equal(stat(bad, &sb), 0);
	assert_int_not_equal(stat(path, &sb), 0);
	/* Only the whole one was printed. */
	snprintf(path, sizeof path, "%s/%s.data", e->printed, id);
	assert_int_not_equal(stat(path, &sb), 0);
	snprintf(path, sizeof path, "%s/%s.data", e->printed, good);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(job(e, good).state, 'd');

	/* Not ours at all. */
	snprintf(path, sizeof path, "%s/spool/new/x-1.job", e->home);
	write_file(path, "hello\n", 0644);
	assert_int_equal(spool_status(e->home, NULL, &jobs, &n, &err), 0);
	assert_int_equal(n, 1);
	free(jobs);
	/* A job file naming a data file outside the spool. */
	snprintf(path, sizeof path, "%s/spool/new/x-2.job", e->home);
	write_file(path, "kontor-print-job 1\nid x-2\nlogin wang\n"
		   "data ../../../etc/passwd\nsubmitted 1\nend \n", 0644);
	logbuf[0] = 0;
	assert_int_equal(spool_run_once(e->home, &e->conf, tlog, &err), 0);
	assert_non_null(strstr(logbuf, "x-1.job: damaged job file"));
	assert_non_null(strstr(logbuf, "x-2.job: damaged job file"));
	snprintf(path, sizeof path, "%s/passwd", e->printed);
	assert_int_not_equal(stat(path, &sb), 0);
}

/* ------------------------------------------------------------ running */

static void test_run_done(void **state)
{
	struct env *e = *state;
	struct kerr err;
	char id[64], other[64], path[PATH_MAX], buf[4096];
	struct spool_job j;

	use(e, "print.sh", "-d%p -t%t");
	submit(e, "wang", NULL, "My report", "line 1\nline 2\n\f", id,
	       sizeof id);
	submit(e, "li", NULL, "li's", "x\n", other, sizeof other);
	assert_int_equal(spool_run_once(e->home, &e->conf, tlog, &err), 0);

	j = job(e, id);
	assert_int_equal(j.state, 'd');
	assert_string_equal(j.printer, "office");   /* wang's default */
	assert_string_equal(j.error, "");
	assert_true(j.done_us >= j.submitted_us);
	snprintf(path, sizeof path, "%s/%s.data", e->printed, id);
	assert_non_null(read_file(path, buf, sizeof buf));
	assert_string_equal(buf, "line 1\nline 2\n\f");
	/* li has no default printer: the word with %p is left out. */
	assert_string_equal(job(e, other).printer, "");
	snprintf(path, sizeof path, "%s/args", e->printed);
	assert_non_null(read_file(path, buf, sizeof buf));
	assert_non_null(strstr(buf, "-doffice -tMy report "));
	assert_non_null(strstr(buf, "\n-tli's "));
	assert_non_null(strstr(logbuf, "printed on office: request id is x-1"));
	/* done/ keeps the job, not the data; work/ and new/ are empty. */
	snprintf(path, sizeof path, "%s/spool/done", e->home);
	assert_int_equal(count_files(path, ".job"), 2);
	assert_int_equal(count_files(path, ".data"), 0);
	snprintf(path, sizeof path, "%s/spool/work", e->home);
	assert_int_equal(count_files(path, ""), 0);
	snprintf(path, sizeof path, "%s/spool/new", e->home);
	assert_int_equal(count_files(path, ""), 0);
}

static void test_run_failed(void **state)
{
	struct env *e = *state;
	struct kerr err;
	char id[64], path[PATH_MAX];
	struct spool_job j;
	struct stat sb;

	use(e, "fail.sh", NULL);
	submit(e, "wang", "lab", "T", "x\n", id, sizeof id);
	assert_int_equal(spool_run_once(e->home, &e->conf, tlog, &err), 0);
	j = job(e, id);
	assert_int_equal(j.state, 'f');
	assert_false(j.seen);
	assert_string_equal(j.printer, "lab");
	/* The first lines of what it said, on one line. */
	snprintf(path, sizeof path, "%s/fail.sh exited with status 3: "
		 "printer on fire; second line; third", e->home);
	assert_string_equal(j.error, path);
	assert_non_null(strstr(logbuf, "failed: "));
	/* The data stays with a failed job. */
	snprintf(path, sizeof path, "%s/spool/failed/%s.data", e->home, id);
	assert_int_equal(stat(path, &sb), 0);

	assert_int_equal(spool_mark_seen(e->home, id, &err), 0);
	assert_true(job(e, id).seen);
	assert_int_equal(spool_mark_seen(e->home, id, &err), 0);
	assert_int_equal(spool_mark_seen(e->home, "20990101-000000-1-1", &err),
			 K_ENOTFOUND);
	assert_int_equal(spool_mark_seen(e->home, "../x", &err), K_EINVAL);

	/* A command that does not exist. */
	snprintf(e->cmd, sizeof e->cmd, "%s/no-such-command -d%%p", e->home);
	e->conf.print_command = e->cmd;
	submit(e, "wang", NULL, "T", "x\n", id, sizeof id);
	assert_int_equal(spool_run_once(e->home, &e->conf, tlog, &err), 0);
	j = job(e, id);
	assert_int_equal(j.state, 'f');
	snprintf(path, sizeof path,
		 "cannot run %s/no-such-command: No such file or directory",
		 e->home);
	assert_string_equal(j.error, path);

	/* A command the config cannot give. */
	e->conf.print_command = "lp 'office";
	submit(e, "wang", NULL, "T", "x\n", id, sizeof id);
	assert_int_equal(spool_run_once(e->home, &e->conf, tlog, &err), 0);
	j = job(e, id);
	assert_int_equal(j.state, 'f');
	assert_non_null(strstr(j.error, "not closed"));

	/* A job whose data is gone. */
	use(e, "print.sh", NULL);
	submit(e, "wang", NULL, "T", "x\n", id, sizeof id);
	snprintf(path, sizeof path, "%s/spool/new/%s.data", e->home, id);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(spool_run_once(e->home, &e->conf, tlog, &err), 0);
	j = job(e, id);
	assert_int_equal(j.state, 'f');
	assert_non_null(strstr(j.error, "the data to print is missing"));
}

static void test_timeout(void **state)
{
	struct env *e = *state;
	struct kerr err;
	char id[64];
	struct spool_job j;
	time_t t0 = time(NULL);

	use(e, "hang.sh", NULL);
	setenv("KONTOR_PRINT_TIMEOUT_S", "1", 1);
	submit(e, "wang", NULL, "T", "x\n", id, sizeof id);
	assert_int_equal(spool_run_once(e->home, &e->conf, tlog, &err), 0);
	unsetenv("KONTOR_PRINT_TIMEOUT_S");
	assert_true(time(NULL) - t0 < 10);
	j = job(e, id);
	assert_int_equal(j.state, 'f');
	assert_non_null(strstr(j.error, "hang.sh timed out after 1 s"));
}

/* SIGTERM to a runner (spool_interrupt) ends the command at once and
 * fails its job as interrupted; the next job waits. */
static void on_term(int sig)
{
	(void)sig;
	spool_interrupt();
}

static void test_interrupt(void **state)
{
	struct env *e = *state;
	char id[64], next[64];
	struct spool_job j;
	int ws;
	pid_t pid;
	time_t t0;

	use(e, "hang.sh", NULL);
	submit(e, "wang", NULL, "T", "x\n", id, sizeof id);
	submit(e, "wang", NULL, "T", "y\n", next, sizeof next);
	if ((pid = fork()) == 0) {
		struct kerr err;
		signal(SIGTERM, on_term);
		spool_run_once(e->home, &e->conf, NULL, &err);
		/* Stopped: later passes start nothing. */
		spool_run_once(e->home, &e->conf, NULL, &err);
		_exit(0);
	}
	assert_true(pid > 0);
	/* Wait until it runs the first job. */
	for (int i = 0; i < 100 && job(e, id).state != 'w'; i++)
		usleep(50000);
	assert_int_equal(job(e, id).state, 'w');
	usleep(200000);
	t0 = time(NULL);
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	assert_true(time(NULL) - t0 < 5);
	j = job(e, id);
	assert_int_equal(j.state, 'f');
	assert_non_null(strstr(j.error, "interrupted"));
	assert_int_equal(job(e, next).state, 'n');
}

/* A runner that died mid-job left it in work/: the next pass fails it
 * (it may have printed in part) instead of running it again. */
static void test_dead_runner(void **state)
{
	struct env *e = *state;
	struct kerr err;
	char id[64], from[PATH_MAX], to[PATH_MAX];
	struct spool_job j;

	use(e, "print.sh", NULL);
	submit(e, "wang", NULL, "T", "x\n", id, sizeof id);
	snprintf(from, sizeof from, "%s/spool/new/%s.job", e->home, id);
	snprintf(to, sizeof to, "%s/spool/work/%s.job", e->home, id);
	assert_int_equal(rename(from, to), 0);
	snprintf(from, sizeof from, "%s/spool/new/%s.data", e->home, id);
	snprintf(to, sizeof to, "%s/spool/work/%s.data", e->home, id);
	assert_int_equal(rename(from, to), 0);
	assert_int_equal(job(e, id).state, 'w');

	assert_int_equal(spool_run_once(e->home, &e->conf, tlog, &err), 0);
	j = job(e, id);
	assert_int_equal(j.state, 'f');
	assert_non_null(strstr(j.error, "interrupted"));
	snprintf(to, sizeof to, "%s/%s.data", e->printed, id);
	assert_int_not_equal(access(to, F_OK), 0);
	snprintf(to, sizeof to, "%s/spool/failed/%s.data", e->home, id);
	assert_int_equal(access(to, F_OK), 0);
}

/* One pass in a child process. */
static void runner(struct env *e)
{
	struct kerr err;
	pid_t pid = fork();
	int ws;

	if (pid == 0)
		_exit(spool_run_once(e->home, &e->conf, NULL, &err) ? 1 : 0);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
}

/* Finished jobs go after 7 days, leftovers of cut submits after one. */
static void test_old_removed(void **state)
{
	struct env *e = *state;
	struct kerr err;
	char id[64], keep[64], path[PATH_MAX];
	struct timeval old[2];
	struct spool_job *jobs;
	size_t n;

	use(e, "fail.sh", NULL);
	submit(e, "wang", NULL, "T", "x\n", id, sizeof id);
	submit(e, "wang", NULL, "T", "y\n", keep, sizeof keep);
	/*
	 * A process cleans on its first pass over a home, then every 10
	 * minutes: each pass runs in a fresh child.
	 */
	runner(e);
	assert_int_equal(job(e, id).state, 'f');
	assert_int_equal(job(e, keep).state, 'f');
	memset(old, 0, sizeof old);
	old[0].tv_sec = old[1].tv_sec = time(NULL) - 8 * 24 * 3600;
	snprintf(path, sizeof path, "%s/spool/failed/%s.job", e->home, id);
	assert_int_equal(utimes(path, old), 0);
	snprintf(path, sizeof path, "%s/spool/failed/%s.data", e->home, id);
	assert_int_equal(utimes(path, old), 0);
	snprintf(path, sizeof path, "%s/spool/new/stray.data", e->home);
	write_file(path, "half", 0644);
	assert_int_equal(utimes(path, old), 0);
	runner(e);
	assert_int_equal(spool_status(e->home, NULL, &jobs, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(jobs[0].id, keep);
	free(jobs);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof path, "%s/spool/failed/%s.data", e->home, id);
	assert_int_not_equal(access(path, F_OK), 0);
}

/* Runners in parallel processes: every job runs exactly once. */
static void test_parallel(void **state)
{
	struct env *e = *state;
	enum { JOBS = 40, RUNNERS = 4 };
	char ids[JOBS][64], path[PATH_MAX], script[PATH_MAX];
	char buf[16384];
	struct spool_job *jobs;
	struct kerr err;
	pid_t pids[RUNNERS];
	int go[2], i;
	size_t n;

	/* Each run notes the data file's name; a short sleep makes the
	 * runners overlap. */
	snprintf(path, sizeof path, "%s/note.sh", e->home);
	snprintf(script, sizeof script,
		 "#!/bin/sh\necho \"$(basename \"$1\") $PPID\" >>'%s/ran'\n"
		 "sleep 0.01\n", e->home);
	write_file(path, script, 0755);
	use(e, "note.sh", NULL);
	for (i = 0; i < JOBS; i++)
		submit(e, "wang", NULL, "T", "x\n", ids[i], sizeof ids[i]);
	assert_int_equal(pipe(go), 0);
	for (i = 0; i < RUNNERS; i++) {
		if ((pids[i] = fork()) == 0) {
			char c;
			close(go[1]);
			if (read(go[0], &c, 1) < 0)
				_exit(2);
			_exit(spool_run_once(e->home, &e->conf, NULL, &err) ? 1 : 0);
		}
		assert_true(pids[i] > 0);
	}
	close(go[0]);
	close(go[1]);           /* all start at once */
	for (i = 0; i < RUNNERS; i++) {
		int ws;
		assert_int_equal(waitpid(pids[i], &ws, 0), pids[i]);
		assert_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	}
	snprintf(path, sizeof path, "%s/ran", e->home);
	assert_non_null(read_file(path, buf, sizeof buf));
	for (i = 0; i < JOBS; i++) {
		char line[sizeof ids + 8];
		snprintf(line, sizeof line, "%s.data ", ids[i]);
		char *at = strstr(buf, line);
		assert_non_null(at);
		assert_null(strstr(at + 1, line));
	}
	/* Each line names the runner that ran it: they took turns. */
	size_t lines = 0, used = 0;
	bool by[RUNNERS] = { false };
	for (char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		long ppid = atol(strchr(p, ' ') + 1);
		lines++;
		for (i = 0; i < RUNNERS; i++)
			if (ppid == (long)pids[i] && !by[i]) {
				by[i] = true;
				used++;
			}
	}
	assert_int_equal(lines, JOBS);
	assert_true(used >= 2);
	assert_int_equal(spool_status(e->home, NULL, &jobs, &n, &err), 0);
	assert_int_equal(n, JOBS);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(jobs[k].state, 'd');
	free(jobs);
}

/* One runner a home. */
static void test_runner_lock(void **state)
{
	struct env *e = *state;
	struct kerr err;
	int fd, ws;
	pid_t pid;

	assert_int_equal(spool_runner_pid(e->home), 0);
	fd = spool_runner_lock(e->home, &err);
	assert_true(fd >= 0);
	/* fcntl locks are the process's: ask from another one. */
	if ((pid = fork()) == 0) {
		int f = spool_runner_lock(e->home, &err);
		_exit(f < 0 && err.code == K_EBUSY &&
		      spool_runner_pid(e->home) == (long)getppid() ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_int_equal(WEXITSTATUS(ws), 0);
	close(fd);
	assert_int_equal(spool_runner_pid(e->home), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test_setup_teardown(test_submit_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_submit_fd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_done, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dead_runner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parallel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_lock, setup, teardown),
	};

	return cmocka_run_group_tests_name("spool", tests, NULL, NULL);
}
