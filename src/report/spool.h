/*
 * spool.h - printing through the daemon's spool.
 *
 * A clerk never runs the print command itself: Berkeley DB's
 * replication forbids subprocesses in a replicated process, and a stuck
 * printer must not freeze a clerk.  spool_submit() copies what is to be
 * printed into HOME/spool/new/ and returns; kontor daemon's print
 * runner (a process of its own, never the watcher) takes each job with
 * spool_run_once() and runs the configured command.  A job that fails
 * keeps its error for the user who printed it (spool_status), who sees
 * it on the next screen refresh and in `kontor print status` until it is
 * marked seen.
 *
 * The spool (all folders 2770 like the home, so clerks of the group can
 * submit):
 *   HOME/spool/new/      ID.job + ID.data: submitted, waiting
 *   HOME/spool/work/     ID.job + ID.data (+ ID.out, the command's
 *                        output): a runner holds flock() on ID.job
 *   HOME/spool/done/     ID.job: printed (the data is removed)
 *   HOME/spool/failed/   ID.job (with the error) + ID.data; ID.seen once
 *                        the user has been shown the error; ID.bad: a
 *                        damaged job file, set aside
 *   HOME/spool/runner.lock  the daemon's print runner holds it
 * A job file is a few "key value" lines, written to a temporary file,
 * synced and renamed into place, so a reader sees all of it or nothing.
 * Finished jobs are removed after 7 days.
 *
 * The state machine: new -> work (rename: the runner that renames it
 * runs it, so two runners never run one job) -> done | failed.  A job
 * found in work/ that no runner holds (the daemon was killed while the
 * command ran) fails as "interrupted": it may have printed in part, so
 * it is never run twice on its own.
 *
 * No curses, no <db.h>: the spool is plain files.
 */
#ifndef KONTOR_REPORT_SPOOL_H
#define KONTOR_REPORT_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/kerr.h"
#include "config/conf.h"

/* One job as spool_status() sees it. */
struct spool_job {
	char id[64];
	char login[64];
	char printer[64];     /* as given ("" = the user's default); the
				 printer used once finished ("" = none) */
	char title[128];
	int64_t submitted_us, done_us;   /* done_us 0 until finished */
	char state;           /* 'n'ew 'w'orking 'd'one 'f'ailed */
	char error[512];      /* failed: what went wrong, one line */
	bool seen;            /* spool_mark_seen() was called for it */
};

/*
 * Submits the file at path (any readable file; "/dev/stdin" works) for
 * printing as login: copies it into HOME/spool/new/ and writes the job
 * file, creating the spool's folders when needed.  printer NULL or ""
 * means the user's default printer (users[].printer of the daemon's
 * kontor.conf, resolved when the job runs); title NULL or "" means the
 * file's name.  The job's id goes to job_id (n bytes; may be NULL).
 * K_EINVAL for a bad login or printer name, K_ENOTFOUND/K_EIO when path
 * cannot be read, K_EIO/K_ENOSPC when the spool cannot be written.
 */
int spool_submit(const char *home, const char *login, const char *printer,
		 const char *title, const char *path, char *job_id, size_t n,
		 struct kerr *err);

/*
 * The same for what the open file fd holds, from its start: it is read
 * with pread(), so fd's offset does not move.  For a file that has no
 * name any more (the viewer unlinks its temporary file as soon as it
 * has opened it).  title NULL or "" means "report".
 */
int spool_submit_fd(const char *home, const char *login, const char *printer,
		    const char *title, int fd, char *job_id, size_t n,
		    struct kerr *err);

/*
 * The jobs of login (NULL: everybody's), newest first, in *jobs (an
 * array of *n; the caller frees it; NULL when there are none).  Damaged
 * job files are skipped.  A home without a spool has no jobs.  It reads
 * every job file of the last 7 days: call it when a screen is drawn
 * afresh, not at every key.
 */
int spool_status(const char *home, const char *login,
		 struct spool_job **jobs, size_t *n, struct kerr *err);

/*
 * Notes that the user has been shown how job id ended (the screens call
 * it once they have shown a failure; kontor print status too).
 * K_ENOTFOUND when no finished job has that id.
 */
int spool_mark_seen(const char *home, const char *id, struct kerr *err);

/*
 * The print runner's one pass: fails the jobs a dead runner left in
 * work/, runs every job waiting in new/ (oldest first) with
 * conf->print_command, and now and then removes finished jobs older
 * than 7 days.  log (may be NULL) gets one line per job and per
 * problem.  The command runs without a shell (spool_command_words),
 * with the data file's path as its last argument, stdin from
 * /dev/null, stdout and stderr to a file whose first lines make the
 * error; after 60 s (the environment variable KONTOR_PRINT_TIMEOUT_S
 * overrides it, for tests) it is killed and the job fails as timed out.
 * Exit status 0 moves the job to done/, anything else to failed/.
 * Returns non-zero only when the spool itself cannot be read.
 */
int spool_run_once(const char *home, const struct kconf *conf,
		   void (*log)(const char *fmt, ...), struct kerr *err);

/*
 * Splits a print command into words, without a shell: blanks separate
 * words; '...' keeps everything inside as it is; "..." too, except that
 * \" and \\ stand for " and \; outside quotes a backslash keeps the next
 * character.  Then in every word %p becomes the printer, %t the title
 * and %% a %; a word holding %p is left out when there is no printer
 * (so "lp -d%p" prints to the system's default then), and one holding
 * %t when there is no title.  *words is a NULL-terminated array for
 * execvp(), freed with spool_words_free().  K_ECONFIG for an empty
 * command or a quote that is not closed.
 */
int spool_command_words(const char *command, const char *printer,
			const char *title, char ***words, struct kerr *err);

/* Frees what spool_command_words() returned.  Safe on NULL. */
void spool_words_free(char **words);

/*
 * For the runner's SIGTERM handler (async-signal-safe): stops the
 * command that runs (SIGTERM to its process group, SIGKILL 2 s later),
 * fails its job as interrupted, and makes spool_run_once() return
 * without starting another job; no later pass of this process starts
 * one either (the runner is on its way out).
 */
void spool_interrupt(void);

/*
 * Takes HOME/spool/runner.lock for the life of the process (one print
 * runner a home): the descriptor, or -1 with K_EBUSY (held by
 * another) or K_EIO in err.
 */
int spool_runner_lock(const char *home, struct kerr *err);

/* pid of the process holding HOME/spool/runner.lock, or 0. */
long spool_runner_pid(const char *home);

/* "queued", "printing", "printed" or "failed" (translated) for a state. */
const char *spool_state_name(char state);

#endif
