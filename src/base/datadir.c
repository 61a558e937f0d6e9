/*
 * datadir.c - the folder of the shared files (see datadir.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <limits.h>

#include "base/datadir.h"

const char *datadir_find(const char *env, const char *sub, const char *probe,
			 char *buf, size_t n)
{
	const char *v = env ? getenv(env) : NULL;
	char exe[PATH_MAX];
	ssize_t len;
	struct stat sb;

	if (v && *v)
		return v;
	/* Run from the build tree (not the installed binary): its files. */
	len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		if (strncmp(exe, BINDIR "/", strlen(BINDIR) + 1) != 0) {
			snprintf(buf, n, "%s/%s/%s", SRCDIR, sub, probe);
			if (stat(buf, &sb) == 0) {
				snprintf(buf, n, "%s/%s", SRCDIR, sub);
				return buf;
			}
		}
	}
	snprintf(buf, n, "%s/%s", PKGDATADIR, sub);
	return buf;
}
