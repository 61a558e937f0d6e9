/*
 * cmd_daemon.c - kontor daemon: the watcher of one database home.
 *
 * In the background (the default) it detaches from the terminal, logs
 * to HOME/daemon.log, and the starting command returns once the
 * database is recovered and ready.  --foreground is for systemd.
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

static FILE *logf;
static int ready_fd = -1;
static bool recover_first;

static volatile pid_t watcher;

static void on_signal(int sig)
{
	cli_stop = 1;
	if (watcher > 0)
		kill(watcher, sig);
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

/*
 * Runs the watcher in a child process and starts a new one when it asks
 * for it (exit status 75: recovery needed and the old process could not
 * do it itself).  Returns the watcher's final status.
 */
static int supervise(struct cli *c)
{
	int status = 0;

	handle_signals();
	while (!cli_stop) {
		pid_t pid = fork();
		if (pid < 0)
			return EX_OSERR;
		if (pid == 0) {
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
		while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
			;
		watcher = 0;
		status = WIFEXITED(ws) ? WEXITSTATUS(ws) : EX_SOFTWARE;
		if (status != EX_TEMPFAIL || cli_stop)
			break;
		log_line("restarting the watcher");
		recover_first = true;
		sleep(1);
	}
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
	for (int i = 0; i < 600 && store_daemon_pid(c->home); i++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (store_daemon_pid(c->home)) {
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
