/*
 * perm.h - permissions.
 *
 * A permission names an action as dotted words: "ar.invoice.post",
 * "party.read", "db.backup".  Roles grant patterns:
 *   "*"          everything
 *   "ar.*"       every permission that starts with "ar."
 *   "*.read"     every permission that ends with ".read"
 *   "ar.*.post"  one word in the middle
 *   "!ar.invoice.delete"  denies, and a denial beats any grant.
 * A '*' word matches exactly one word, except as the first word (one or
 * more leading words) or the last (one or more trailing words).
 *
 * Domain code calls perm_check() before it acts, so the screens, the
 * command line and the importers obey the same rule.
 */
#ifndef KONTOR_CONFIG_PERM_H
#define KONTOR_CONFIG_PERM_H

#include <stdbool.h>

#include "base/kerr.h"
#include "config/conf.h"

/*
 * True when pattern (without '!') matches perm.  A malformed pattern or
 * permission (see perm_pattern_valid; a permission is the same without
 * '*' and '!') matches nothing, so a typo never grants.
 */
bool perm_match(const char *pattern, const char *perm);

/*
 * True when pattern is well formed: an optional leading '!', then one to
 * 32 words separated by single dots, each word either "*" or made of
 * a-z, 0-9, '_' and '-'.  kconf_load() rejects roles with other patterns.
 */
bool perm_pattern_valid(const char *pattern);

/* Who is acting: resolved once per process. */
struct perm_user {
	char login[64];
	char name[128];
	bool admin;                       /* single-user mode: everything */
	const struct kconf *conf;         /* borrowed; NULL in single-user */
	const struct kconf_user *user;    /* borrowed; NULL when admin */
};

/*
 * Resolves the process's login against the config.  When the config
 * names users, the login must be one of them (K_ENOUSER otherwise, with
 * a message naming the login and the file).  When it names none (or
 * there is no file), only `creator` (the login that created the
 * environment; NULL = anyone) is accepted, as administrator.
 * login NULL means perm_process_login().  *out is zeroed on error.
 */
int perm_resolve(const struct kconf *conf, const char *login,
		 const char *creator, struct perm_user *out, struct kerr *err);

/* True when the user may perform perm. */
bool perm_allowed(const struct perm_user *u, const char *perm);

/* 0, or K_EPERM with "LOGIN may not PERM" in err. */
int perm_check(const struct perm_user *u, const char *perm, struct kerr *err);

/*
 * The login of the process (getuid), or "uid N" when it has no name.
 * The string is static: the next call overwrites it (not thread-safe).
 */
const char *perm_process_login(void);

#endif
