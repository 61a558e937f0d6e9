/*
 * perm.c - who is acting, and what they may do.
 *
 * Permissions are dotted words; role patterns match them word by word
 * (see perm.h).  A user's rights are the union of their roles' grants,
 * minus every denial of any of their roles.
 */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/kerr.h"
#include "config/conf.h"
#include "config/perm.h"

#define PERM_MAX_WORDS 32

/* A permission or pattern cut into words (pointers into the string). */
struct perm_words {
	size_t n;
	const char *w[PERM_MAX_WORDS];
	size_t len[PERM_MAX_WORDS];
};

/* True when c may appear in a word. */
static bool perm_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/*
 * Cuts s into words.  Returns false when s is empty, has an empty word,
 * a character outside a word's alphabet, more than PERM_MAX_WORDS
 * words, or (wild false) a "*" word.  '*' is only valid as a whole word.
 */
static bool perm_split(const char *s, bool wild, struct perm_words *out)
{
	const char *p = s;

	out->n = 0;
	if (s == NULL)
		return false;
	for (;;) {
		const char *start = p;

		if (out->n == PERM_MAX_WORDS)
			return false;
		if (*p == '*') {
			if (!wild)
				return false;
			p++;
		} else {
			while (perm_word_char(*p))
				p++;
		}
		if (p == start || (*p != '.' && *p != '\0'))
			return false;
		out->w[out->n] = start;
		out->len[out->n] = (size_t)(p - start);
		out->n++;
		if (*p == '\0')
			return true;
		p++;  /* the dot */
	}
}

/* True when word i of pattern p is "*". */
static bool perm_is_star(const struct perm_words *p, size_t i)
{
	return p->len[i] == 1 && p->w[i][0] == '*';
}

/*
 * True when pattern words p[pi..] match permission words w[wi..].  A
 * '*' as first or last word takes one or more words, elsewhere exactly
 * one.
 */
static bool perm_match_from(const struct perm_words *p, size_t pi,
			    const struct perm_words *w, size_t wi)
{
	size_t k;

	if (pi == p->n)
		return wi == w->n;
	if (wi == w->n)
		return false;  /* every pattern word takes a word */
	if (perm_is_star(p, pi)) {
		if (pi != 0 && pi != p->n - 1)
			return perm_match_from(p, pi + 1, w, wi + 1);
		for (k = wi + 1; k <= w->n; k++)
			if (perm_match_from(p, pi + 1, w, k))
				return true;
		return false;
	}
	if (p->len[pi] != w->len[wi] ||
	    memcmp(p->w[pi], w->w[wi], p->len[pi]) != 0)
		return false;
	return perm_match_from(p, pi + 1, w, wi + 1);
}

bool perm_pattern_valid(const char *pattern)
{
	struct perm_words p;

	if (pattern == NULL)
		return false;
	if (pattern[0] == '!')
		pattern++;
	return perm_split(pattern, true, &p);
}

bool perm_match(const char *pattern, const char *perm)
{
	struct perm_words p, w;

	if (!perm_split(pattern, true, &p) || !perm_split(perm, false, &w))
		return false;
	return perm_match_from(&p, 0, &w, 0);
}

/* The role of c named name, or NULL. */
static const struct kconf_role *perm_role(const struct kconf *c,
					  const char *name)
{
	size_t i;

	for (i = 0; i < c->nroles; i++)
		if (strcmp(c->roles[i].name, name) == 0)
			return &c->roles[i];
	return NULL;
}

/*
 * Copies s into dst (size n), cut at a character boundary when it is
 * too long.
 */
static void perm_copy(char *dst, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, s, len);
	dst[len] = '\0';
}

int perm_resolve(const struct kconf *conf, const char *login,
		 const char *creator, struct perm_user *out, struct kerr *err)
{
	const struct kconf_user *u;
	const char *file;

	if (out == NULL)
		return kerr_set(err, K_EINTERNAL, NULL,
				_("perm_resolve: no place for the result"));
	memset(out, 0, sizeof *out);
	if (login == NULL)
		login = perm_process_login();
	if (login[0] == '\0')
		return kerr_set(err, K_ENOUSER, NULL,
				_("no login name to look up"));
	if (strlen(login) >= sizeof out->login)
		return kerr_set(err, K_ENOUSER, NULL,
				_("login \"%.40s...\" is too long"), login);
	if (conf != NULL && conf->nusers > 0) {
		u = kconf_user_find(conf, login);
		if (u == NULL)
			return kerr_set(err, K_ENOUSER, NULL,
					_("login \"%s\" is not a Kontor user; "
					  "add it to users in %s"),
					login,
					conf->path != NULL ? conf->path :
					kconf_locate(NULL, NULL));
		perm_copy(out->login, sizeof out->login, login);
		perm_copy(out->name, sizeof out->name,
			  u->name != NULL ? u->name : login);
		out->admin = false;
		out->conf = conf;
		out->user = u;
		return 0;
	}
	if (creator != NULL && strcmp(login, creator) != 0) {
		file = conf != NULL && conf->path != NULL ? conf->path :
		       kconf_locate(NULL, NULL);
		return kerr_set(err, K_ENOUSER, NULL,
				_("login \"%s\" may not use this database: "
				  "it was created by \"%s\" and %s names no "
				  "users; %s can add %s to users there"),
				login, creator, file, creator, login);
	}
	perm_copy(out->login, sizeof out->login, login);
	perm_copy(out->name, sizeof out->name, login);
	out->admin = true;
	out->conf = NULL;
	out->user = NULL;
	return 0;
}

bool perm_allowed(const struct perm_user *u, const char *perm)
{
	struct perm_words w;
	bool granted = false;
	size_t i, j;

	if (u == NULL || !perm_split(perm, false, &w))
		return false;
	if (u->admin)
		return true;
	if (u->conf == NULL || u->user == NULL)
		return false;
	for (i = 0; i < u->user->nroles; i++) {
		const struct kconf_role *r = perm_role(u->conf,
						       u->user->roles[i]);

		for (j = 0; r != NULL && j < r->nperms; j++) {
			const char *p = r->perms[j];

			if (p[0] == '!') {
				if (perm_match(p + 1, perm))
					return false;  /* a denial wins */
			} else if (!granted && perm_match(p, perm)) {
				granted = true;
			}
		}
	}
	return granted;
}

int perm_check(const struct perm_user *u, const char *perm, struct kerr *err)
{
	if (perm_allowed(u, perm))
		return 0;
	return kerr_set(err, K_EPERM, NULL, _("%s may not %s"),
			u != NULL && u->login[0] != '\0' ? u->login :
			_("nobody"),
			perm != NULL ? perm : "?");
}

const char *perm_process_login(void)
{
	static char buf[64];
	const struct passwd *pw;
	uid_t uid = getuid();

	pw = getpwuid(uid);
	if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0' &&
	    strlen(pw->pw_name) < sizeof buf)
		snprintf(buf, sizeof buf, "%s", pw->pw_name);
	else
		snprintf(buf, sizeof buf, "uid %lu", (unsigned long)uid);
	return buf;
}
