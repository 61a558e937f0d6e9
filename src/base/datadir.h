/*
 * datadir.h - where the program's shared files are: the installed
 * folder (PKGDATADIR/forms, PKGDATADIR/data) or, for a program run from
 * the tree it was built in, that source tree's own folder, so that
 * `make check` and a developer's ./src/kontor read the files being
 * edited.  The screens (forms) and the command line (data) both ask
 * here.
 */
#ifndef KONTOR_BASE_DATADIR_H
#define KONTOR_BASE_DATADIR_H

#include <stddef.h>

/*
 * The folder of the shared files sub ("forms", "data"): the value of
 * the environment variable env when it is set and not empty; else,
 * when this program is not the one installed in BINDIR (found through
 * /proc/self/exe) and SRCDIR/sub/probe exists, SRCDIR/sub (the build
 * tree's sources); else PKGDATADIR/sub.  The result is env's value or
 * is written into buf (n bytes).
 */
const char *datadir_find(const char *env, const char *sub, const char *probe,
			 char *buf, size_t n);

#endif
