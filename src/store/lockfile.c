/*
 * lockfile.c - fcntl locks on small files in the environment's home.
 *
 *   kontor.lock    every process inside the environment holds a shared
 *                  lock; recovery and one-off commands alone hold it
 *                  exclusively, so nobody joins during recovery.
 *   daemon.lock    the daemon holds it exclusively for its life.
 *   daemon.ready   the daemon holds it once the environment is
 *                  recovered and watched; clerks check for it.
 *   open.lock      held exclusively while a process opens its tables,
 *                  one process at a time (table.c, store_tables_open).
 *
 * The kernel drops these locks when a process dies, so a crash never
 * leaves a stale lock behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "store/store_int.h"

int lockfile_open(const char *home, const char *name, bool create)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof path, "%s/%s", home, name) >= (int)sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0660);
}

static int setlk(int fd, short type, bool wait)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET };

	return fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl);
}

int lockfile_try(int fd, bool exclusive)
{
	return setlk(fd, exclusive ? F_WRLCK : F_RDLCK, false) == 0 ? 0 : -1;
}

int lockfile_wait(int fd, bool exclusive, int ms)
{
	if (ms < 0) {
		while (setlk(fd, exclusive ? F_WRLCK : F_RDLCK, true) != 0)
			if (errno != EINTR)
				return -1;
		return 0;
	}
	for (int waited = 0;; waited += 20) {
		if (lockfile_try(fd, exclusive) == 0)
			return 0;
		if (waited >= ms)
			return -1;
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

void lockfile_release(int fd)
{
	if (fd >= 0)
		(void)setlk(fd, F_UNLCK, false);
}

/*
 * Closing any descriptor of a file drops every fcntl lock this process
 * holds on it: never ask about a file this process has locked.
 */
long lockfile_holder(const char *home, const char *name, bool exclusive)
{
	int fd = lockfile_open(home, name, false);
	struct flock fl = { .l_type = exclusive ? F_RDLCK : F_WRLCK,
			    .l_whence = SEEK_SET };
	long pid = 0;

	if (fd < 0)
		return 0;
	if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
		pid = fl.l_pid;
	close(fd);
	return pid;
}
