/*
 * cmd_daemon.c - kontor daemon: the watcher of one database home.
 *
 * In the background (the default) it detaches from the terminal, logs
 * to HOME/daemon.log, and the starting command returns once the
 * database is recovered and ready.  --foreground is for systemd.
 *
 * Three processes: the supervisor, which never opens the database; the
 * watcher (its child), which holds the environment; and the print
 * runner (its other child), which runs the print spool's jobs every
 * second.  The runner is a process of its own, not a thread of the
 * watcher: a print command may take a minute before it is killed, and
 * the watcher must never wait for it (recovery after a dead clerk
 * cannot wait); it must not fork from inside a process that holds
 * Berkeley DB handles (replication forbids it); and a watcher that is
 * replaced for a recovery must not take a running job with it.  It is
 * not a thread of the supervisor either, which forks watchers: a fork
 * while a thread holds the log's stdio lock would hang the child.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "base/i18n.h"
#include "cli/cli.h"
#include "report/spool.h"

static FILE *logf;
static int ready_fd = -1;
static bool recover_first;

static volatile pid_t watcher;
static volatile pid_t printer;     /* the print runner */

static void on_signal(int sig)
{
	cli_stop = 1;
	if (watcher > 0)
		kill(watcher, sig);
	if (printer > 0)
		kill(printer, sig);
}

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void log_line(const char *fmt, ...)
{
	char ts[32];
	va_list ap;

	if (!logf)
		return;
	fprintf(logf, "%s kontor daemon[%ld]: ", date_format_ts(date_now_us(),
		ts, sizeof ts), (long)getpid());
	va_start(ap, fmt);
	vfprintf(logf, fmt, ap);
	va_end(ap);
	fputc('\n', logf);
	fflush(logf);
}

static void on_ready(void)
{
	if (ready_fd >= 0) {
		close(ready_fd);
		ready_fd = -1;
	}
}

static void handle_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int watch(struct cli *c)
{
	struct kerr e;

	struct store_watch_opts o = {
		.home = c->home,
		.cache_bytes = c->conf->db_cache_bytes,
		.lock_timeout_ms = c->conf->db_lock_timeout_ms,
		.keep_logs = c->conf->db_archive_logs,
		.archive_dir = c->conf->db_archive_dir,
		.checkpoint_kb = c->conf->db_checkpoint_kb,
		.checkpoint_min = c->conf->db_checkpoint_min,
		.login = perm_process_login(),
		.schemas = cli_schemas,
		.nschemas = cli_nschemas,
		.stop = &cli_stop,
		.log = log_line,
		.on_ready = on_ready,
		.recover_first = recover_first,
	};
	if (store_watch(&o, &e)) {
		log_line("%s", e.msg);
		if (ready_fd >= 0)
			dprintf(ready_fd, "%s", e.msg);
		if (e.code == K_ERECOVER)
			_exit(EX_TEMPFAIL);   /* a thread is stuck in the library */
		return cli_fail(&e);
	}
	return 0;
}

static void on_printer_signal(int sig)
{
	(void)sig;
	cli_stop = 1;
	spool_interrupt();      /* stops the command that runs, if any */
}

/*
 * The print runner: one pass over the spool a second until stopped (or
 * orphaned: a supervisor killed with SIGKILL).  Never returns.
 */
static void print_runner(struct cli *c, pid_t parent)
{
	struct sigaction sa = { .sa_handler = on_printer_signal };
	char last[sizeof ((struct kerr *)0)->msg] = "";
	time_t said = 0;
	struct kerr e;
	char **words;
	int fd = -1;

	watcher = 0;
	printer = 0;
	if (ready_fd >= 0)
		close(ready_fd);
	ready_fd = -1;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (logf && logf != stderr)
		fcntl(fileno(logf), F_SETFD, FD_CLOEXEC);
	/* One runner a home: a stopping daemon's may still finish a job. */
	while (!cli_stop && getppid() == parent &&
	       (fd = spool_runner_lock(c->home, &e)) < 0) {
		if (strcmp(last, e.msg) != 0)
			log_line("%s; waiting", e.msg);
		snprintf(last, sizeof last, "%s", e.msg);
		nap(1000);
	}
	if (spool_command_words(c->conf->print_command, "p", "t", &words, &e))
		log_line("error: printing.command: %s: every print job will fail",
			 e.msg);
	spool_words_free(words);
	last[0] = 0;
	while (!cli_stop && getppid() == parent) {
		if (spool_run_once(c->home, c->conf, log_line, &e)) {
			/* The same trouble every second: once a minute. */
			if (strcmp(last, e.msg) != 0 || time(NULL) - said >= 60) {
				log_line("print spool: %s", e.msg);
				said = time(NULL);
			}
			snprintf(last, sizeof last, "%s", e.msg);
		} else {
			last[0] = 0;
		}
		nap(1000);
	}
	if (fd >= 0)
		close(fd);
	_exit(0);
}

/* Starts the print runner; its pid, or 0 (logged). */
static pid_t start_printer(struct cli *c)
{
	pid_t parent = getpid(), pid;

	if (logf)
		fflush(logf);
	if ((pid = fork()) < 0) {
		log_line("cannot start the print runner: %s", strerror(errno));
		return 0;
	}
	if (pid == 0)
		print_runner(c, parent);
	return pid;
}

/* Stops the print runner and waits for it (a job it ends is failed). */
static void stop_printer(void)
{
	pid_t pid = printer;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	printer = 0;
}

/*
 * Runs the watcher in a child process and starts a new one when it asks
 * for it (exit status 75: recovery needed and the old process could not
 * do it itself).  Once a watcher of ours holds the home, starts the
 * print runner, and again when it dies (at most every 5 s); it lives on
 * across watcher restarts.  Returns the watcher's final status.
 */
static int supervise(struct cli *c)
{
	int status = 0;
	time_t printer_at = 0, full_said = 0;

	handle_signals();
	while (!cli_stop) {
		pid_t pid = fork();
		if (pid < 0)
			return EX_OSERR;
		if (pid == 0) {
			watcher = 0;
			printer = 0;
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			signal(SIGHUP, SIG_DFL);
			handle_signals();
			_exit(watch(c));
		}
		watcher = pid;
		if (ready_fd >= 0) {    /* the child tells the starter */
			close(ready_fd);
			ready_fd = -1;
		}
		int ws;
		bool was_ready = false;
		for (;;) {
			pid_t w = waitpid(-1, &ws, WNOHANG);
			if (w == pid)
				break;
			was_ready = was_ready || store_daemon_ready(c->home);
			if (w > 0 && w == printer) {
				printer = 0;
				if (!cli_stop)
					log_line("the print runner ended (%s %d); starting it again",
						 WIFEXITED(ws) ? "status" : "signal",
						 WIFEXITED(ws) ? WEXITSTATUS(ws) :
						 WTERMSIG(ws));
			}
			if (w < 0 && errno == ECHILD) {
				ws = 0;
				break;
			}
			if (!printer && !cli_stop &&
			    time(NULL) - printer_at >= 5 &&
			    store_daemon_pid(c->home) == (long)pid) {
				printer_at = time(NULL);
				printer = start_printer(c);
			}
			if (w <= 0)
				nap(200);
		}
		watcher = 0;
		status = WIFEXITED(ws) ? WEXITSTATUS(ws) : EX_SOFTWARE;
		if (status != EX_TEMPFAIL || cli_stop)
			break;
		recover_first = true;
		/* Clerks see a daemon that recovers; --stop reaches us. */
		int hold = store_daemon_hold(c->home);
		/*
		 * On a full disk recovery can fail (the watcher dies of
		 * SIGBUS making the regions) until someone frees space: a
		 * watcher that never got ready is followed every 5 s, and
		 * why is said once a minute.  (Recovery removes the old
		 * regions first, so the first try often has room.)
		 */
		if (!was_ready && store_disk_full(c->home)) {
			if (time(NULL) - full_said >= 60) {
				log_line("no space left on the disk of %s: a fresh watcher recovers the database as soon as there is space; trying every 5 s",
					 c->home);
				full_said = time(NULL);
			}
			for (int i = 0; i < 50 && !cli_stop; i++)
				nap(100);
			store_daemon_unhold(hold);
			continue;
		}
		full_said = 0;
		log_line("restarting the watcher");
		for (int i = 0; i < 10 && !cli_stop; i++)
			nap(100);
		store_daemon_unhold(hold);
	}
	stop_printer();
	return status;
}

/* Forks twice; the grandchild watches.  Returns in the parent only. */
int cli_daemon_start(struct cli *c, bool quiet)
{
	int p[2];
	pid_t pid;
	int ret;

	if ((ret = cli_home(c)))
		return ret;
	if (store_daemon_ready(c->home)) {
		if (!quiet)
			printf(_("kontor daemon is already running for %s (pid %ld)\n"),
			       c->home, store_daemon_pid(c->home));
		return 0;
	}
	if (pipe(p) != 0)
		return EX_OSERR;
	fflush(NULL);
	if ((pid = fork()) < 0)
		return EX_OSERR;
	if (pid == 0) {
		close(p[0]);
		if (setsid() < 0 || (pid = fork()) < 0)
			_exit(EX_OSERR);
		if (pid > 0)
			_exit(0);
		char path[PATH_MAX];
		int null = open("/dev/null", O_RDWR);
		snprintf(path, sizeof path, "%s/daemon.log", c->home);
		logf = fopen(path, "a");
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			if (null > 2)
				close(null);
		}
		if (chdir("/") != 0)
			_exit(EX_OSERR);
		ready_fd = p[1];
		int st = supervise(c);
		if (logf)
			fclose(logf);
		_exit(st);
	}
	close(p[1]);
	waitpid(pid, NULL, 0);
	/* The pipe closes when the daemon is ready or has failed. */
	char msg[600];
	size_t got = 0;
	ssize_t n;
	while (got < sizeof msg - 1 &&
	       (n = read(p[0], msg + got, sizeof msg - 1 - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += (size_t)n;
	}
	close(p[0]);
	msg[got] = 0;
	if (got || !store_daemon_ready(c->home)) {
		fprintf(stderr, _("kontor: the daemon did not start: %s (see %s/daemon.log)\n"),
			got ? msg : _("unknown reason"), c->home);
		return EX_UNAVAILABLE;
	}
	if (!quiet)
		printf(_("kontor daemon is watching %s (pid %ld)\n"), c->home,
		       store_daemon_pid(c->home));
	return 0;
}

static int stop(struct cli *c)
{
	long pid = store_daemon_pid(c->home);

	if (!pid) {
		printf(_("kontor daemon is not running for %s\n"), c->home);
		return 0;
	}
	if (kill((pid_t)pid, SIGTERM) != 0) {
		fprintf(stderr, _("kontor: cannot stop the daemon (pid %ld): %s\n"),
			pid, strerror(errno));
		return EX_NOPERM;
	}
	/* The watcher, then the print runner (it ends the job it runs). */
	for (int i = 0; i < 600 && (store_daemon_pid(c->home) ||
				    spool_runner_pid(c->home)); i++)
		nap(100);
	if (store_daemon_pid(c->home) || spool_runner_pid(c->home)) {
		fprintf(stderr, _("kontor: the daemon (pid %ld) did not stop within a minute\n"),
			pid);
		return EX_TEMPFAIL;
	}
	printf(_("kontor daemon stopped (pid %ld)\n"), pid);
	return 0;
}

int cmd_daemon(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "stop", no_argument, NULL, 's' },
		{ "status", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool fg = false, st = false, status = false;
	int opt, ret;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "fsSh", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			fg = true;
			break;
		case 's':
			st = true;
			break;
		case 'S':
			status = true;
			break;
		case 'h':
			printf(_("Usage: kontor daemon [--foreground | --stop | --status]\n\n"
				 "Recovers the database, then watches it: rolls back the work of\n"
				 "clerks that died, checkpoints, and removes or archives log files.\n"
				 "It also runs the print jobs clerks queue (kontor print).\n"
				 "Without options it goes to the background once the database is\n"
				 "ready and logs to HOME/daemon.log.\n\n"
				 "  --foreground  stay in the foreground, log to stderr (systemd)\n"
				 "  --stop        stop the running daemon\n"
				 "  --status      say whether it runs (exit 0) or not (exit 69)\n"));
			return 0;
		default:
			return cli_usage("daemon", _("unknown option"));
		}
	}
	if (optind != argc)
		return cli_usage("daemon", _("unexpected argument '%s'"), argv[optind]);
	if ((ret = cli_home(c)))
		return ret;
	if (st)
		return stop(c);
	if (status) {
		long pid = store_daemon_pid(c->home);
		if (pid && store_daemon_ready(c->home)) {
			printf(_("kontor daemon is running for %s (pid %ld)\n"),
			       c->home, pid);
			return 0;
		}
		printf(pid ? _("kontor daemon is starting for %s (pid %ld)\n") :
			     _("kontor daemon is not running for %s\n"), c->home, pid);
		return EX_UNAVAILABLE;
	}
	if (fg) {
		logf = stderr;
		return supervise(c);
	}
	return cli_daemon_start(c, false);
}
