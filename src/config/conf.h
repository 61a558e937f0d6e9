/*
 * conf.h - kontor.conf: company, database, printing, users and roles.
 *
 * The file is libconfig syntax.  It is found by --config FILE, then
 * $KONTOR_CONF, then SYSCONFDIR/kontor.conf.  Only this folder includes
 * <libconfig.h>.
 */
#ifndef KONTOR_CONFIG_CONF_H
#define KONTOR_CONFIG_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/kerr.h"

struct kconf_user {
	char *login;          /* Unix login */
	char *name;           /* display name (the login when not set) */
	char **roles;         /* role names, nroles of them */
	size_t nroles;
	char *printer;        /* default printer or NULL */
};

struct kconf_role {
	char *name;
	char **perms;         /* patterns; a leading '!' denies */
	size_t nperms;
};

struct kconf {
	char *path;                   /* file read, or NULL for defaults */

	char *company_name;           /* default "Kontor" */
	char *base_currency;          /* ISO 4217, default "CNY" */
	int fy_start_month;           /* 1..12, default 1 */

	char *db_home;                /* absolute path, NULL when not set */
	int64_t db_cache_bytes;       /* 1 MiB..64 GiB, default 256 MiB */
	bool db_archive_logs;         /* keep log files (point-in-time
					 recovery), default false */
	char *db_archive_dir;         /* absolute path for log copies,
					 or NULL */
	int db_lock_timeout_ms;       /* 100..600000, default 5000 */
	int db_checkpoint_kb;         /* 1..1048576, default 1024 */
	int db_checkpoint_min;        /* 1..1440, default 1 */

	char *print_command;          /* default "lp -d%p" (%p: printer) */
	int print_width;              /* 80 or 132, default 80: the printer's;
					 reports use it only when asked
					 (kontor report --width printer) */
	int print_length;             /* lines a page, 20..200, default 66 */

	struct kconf_user *users;     /* none (nusers 0): single-user mode */
	size_t nusers;
	struct kconf_role *roles;
	size_t nroles;
};

/*
 * Picks the file to read: cli_path when non-NULL, else $KONTOR_CONF
 * when set and not empty, else SYSCONFDIR "/kontor.conf".  Returns a
 * static or given string; *explicit (may be NULL) is set true when the
 * file was named (then a missing file is an error, not "no config").
 */
const char *kconf_locate(const char *cli_path, bool *explicit);

/*
 * Reads path into a new struct kconf (*out, freed with kconf_free).
 * path NULL, or a file that does not exist when !must_exist, gives the
 * defaults with ->path NULL.  A syntax error, a wrong type, an unknown
 * setting, a bad value (month 13, width 100, a user naming a role that
 * is not defined, ...) is K_ECONFIG with err->msg "FILE:LINE: what is
 * wrong"; a file that cannot be read (must_exist, or any error other
 * than "does not exist") is K_ECONFIG "FILE: cannot read: REASON".
 * Integers written without the L suffix must fit in 32 bits (libconfig
 * would wrap them silently; checked in the main file, not in @include
 * files, whose names are relative to the main file's folder).  Every
 * string kept must be valid UTF-8 without control characters.  An
 * error in a string that ends an array line is reported on the line
 * of the string, not of the ']' after it.  Nothing is returned on
 * error.
 */
int kconf_load(const char *path, bool must_exist, struct kconf **out,
	       struct kerr *err);

/* Frees *conf and everything it holds; *conf becomes NULL.  Safe on NULL. */
void kconf_free(struct kconf **conf);

/* The user entry for a login, or NULL. */
const struct kconf_user *kconf_user_find(const struct kconf *c,
					 const char *login);

#endif
