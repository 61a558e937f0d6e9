/*
 * conf.c - reads kontor.conf with libconfig and checks every setting.
 *
 * libconfig parses; this file checks: every group and key against an
 * explicit list (libconfig takes a missing ';' in its stride, so a typo
 * would otherwise pass unnoticed), every type, every range.  Each
 * complaint is K_ECONFIG with "FILE:LINE: message".
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libconfig.h>

#include "base/i18n.h"
#include "base/kerr.h"
#include "base/utf8.h"
#include "config/cfgutil.h"
#include "config/conf.h"
#include "config/perm.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

#define KCONF_CACHE_MIN   (INT64_C(1) << 20)      /* 1M */
#define KCONF_CACHE_MAX   (INT64_C(64) << 30)     /* 64G */
#define KCONF_FILE_MAX    (4L << 20)              /* bytes of kontor.conf */
#define KCONF_LOGIN_MAX   63                      /* fits perm_user.login */

/* What a load needs to report a problem. */
struct kconf_ctx {
	const char *path;      /* the file named by the caller */
	const char *text;      /* its contents, once read */
	const char *dir;       /* its folder with a '/', or NULL */
	struct kerr *err;
	char where[160];       /* scratch for kconf_where() */
};

static const char *const kconf_top_keys[] = {
	"company", "database", "printing", "users", "roles", NULL
};
static const char *const kconf_company_keys[] = {
	"name", "currency", "fiscal_year_start", NULL
};
static const char *const kconf_database_keys[] = {
	"home", "cache_size", "archive_logs", "archive_dir",
	"lock_timeout_ms", "checkpoint_kb", "checkpoint_min", NULL
};
static const char *const kconf_printing_keys[] = {
	"command", "width", "length", NULL
};
static const char *const kconf_user_keys[] = {
	"login", "name", "roles", "printer", NULL
};
static const char *const kconf_role_keys[] = {
	"name", "permissions", NULL
};

static unsigned kconf_line(const struct kconf_ctx *x,
			   const config_setting_t *s);

/* ------------------------------------------------------------ helpers */

/* The dotted name of s, in x's scratch buffer (valid until the next call). */
static const char *kconf_where(struct kconf_ctx *x, const config_setting_t *s)
{
	cfg_setting_path(s, x->where, sizeof x->where);
	return x->where;
}

/*
 * What goes before the name of file (from libconfig: NULL for the main
 * file, else an @include name as written) to make it a path: the
 * folder of the main file for relative @include names, else "".
 */
static const char *kconf_dir_of(const struct kconf_ctx *x, const char *file)
{
	if (file == NULL || file[0] == '/' || x->dir == NULL)
		return "";
	return x->dir;
}

/*
 * Sets K_ECONFIG "FILE:LINE: message" for setting s (file and line from
 * libconfig, the file named by the caller when libconfig has none) and
 * returns K_ECONFIG.
 */
static int kconf_fail(const struct kconf_ctx *x, const config_setting_t *s,
		      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int kconf_fail(const struct kconf_ctx *x, const config_setting_t *s,
		      const char *fmt, ...)
{
	char msg[sizeof x->err->msg];
	char field[sizeof x->err->field];
	const char *file;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cfg_setting_path(s, field, sizeof field);
	file = config_setting_source_file(s);
	return kerr_set(x->err, K_ECONFIG, field, "%s%s:%u: %s",
			kconf_dir_of(x, file), file != NULL ? file : x->path,
			kconf_line(x, s), msg);
}

/* Out of memory while loading. */
static int kconf_nomem(const struct kconf_ctx *x)
{
	return kerr_set(x->err, K_ENOMEM, NULL, _("%s: out of memory"),
			x->path);
}

/*
 * Checks that every member of group g is named in keys; the first that
 * is not is an error listing the known ones.
 */
static int kconf_check_keys(struct kconf_ctx *x, const config_setting_t *g,
			    const char *const *keys)
{
	char known[256];
	const config_setting_t *s = cfg_unknown_key(g, keys, known,
						    sizeof known);

	if (s == NULL)
		return 0;
	return kconf_fail(x, s, _("unknown setting \"%s\" (known here: %s)"),
			  kconf_where(x, s), known);
}

/*
 * Reads string setting s into *dst (a copy; the old value is freed).
 * Empty strings are refused; so are invalid UTF-8 and control characters.
 */
static int kconf_get_string(struct kconf_ctx *x, const config_setting_t *s,
			    char **dst)
{
	const char *v;
	char *copy;

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return kconf_fail(x, s, _("%s must be a string, not %s"),
				  kconf_where(x, s), cfg_type_name(s));
	v = config_setting_get_string(s);
	if (v == NULL || v[0] == '\0')
		return kconf_fail(x, s, _("%s must not be empty"),
				  kconf_where(x, s));
	if (!utf8_valid(v, strlen(v)))
		return kconf_fail(x, s, _("%s is not valid UTF-8"),
				  kconf_where(x, s));
	if (!cfg_no_controls(v))
		return kconf_fail(x, s, _("%s contains a control character"),
				  kconf_where(x, s));
	copy = strdup(v);
	if (copy == NULL)
		return kconf_nomem(x);
	free(*dst);
	*dst = copy;
	return 0;
}

/* As kconf_get_string, and the value must be an absolute path. */
static int kconf_get_dir(struct kconf_ctx *x, const config_setting_t *s,
			 char **dst)
{
	int rc;

	rc = kconf_get_string(x, s, dst);
	if (rc != 0)
		return rc;
	if ((*dst)[0] != '/')
		return kconf_fail(x, s,
				  _("%s must be an absolute path (starting "
				    "with /), not \"%s\""),
				  kconf_where(x, s), *dst);
	return 0;
}

/* Reads whole-number setting s (int or int64) into *v. */
static int kconf_whole(struct kconf_ctx *x, const config_setting_t *s,
		       long long *v)
{
	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64)
		return kconf_fail(x, s, _("%s must be a whole number, not %s"),
				  kconf_where(x, s), cfg_type_name(s));
	*v = config_setting_get_int64(s);
	return 0;
}

/* Reads integer setting s (int or int64) into *dst, within lo..hi. */
static int kconf_get_int(struct kconf_ctx *x, const config_setting_t *s,
			 long long lo, long long hi, int *dst)
{
	long long v = 0;
	int rc;

	rc = kconf_whole(x, s, &v);
	if (rc != 0)
		return rc;
	if (v < lo || v > hi)
		return kconf_fail(x, s,
				  _("%s must be between %lld and %lld, "
				    "not %lld"),
				  kconf_where(x, s), lo, hi, v);
	*dst = (int)v;
	return 0;
}

/* Reads boolean setting s into *dst. */
static int kconf_get_bool(struct kconf_ctx *x, const config_setting_t *s,
			  bool *dst)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return kconf_fail(x, s, _("%s must be true or false, not %s"),
				  kconf_where(x, s), cfg_type_name(s));
	*dst = config_setting_get_bool(s) != 0;
	return 0;
}

/*
 * Parses "64M": decimal digits, then an optional K, M or G (either case,
 * powers of 1024).  Returns false on anything else or on overflow.
 */
static bool kconf_parse_size(const char *s, int64_t *out)
{
	int64_t v = 0, mul = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (INT64_MAX - (*p - '0')) / 10)
			return false;
		v = v * 10 + (*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'K': case 'k':
		mul = INT64_C(1) << 10;
		p++;
		break;
	case 'M': case 'm':
		mul = INT64_C(1) << 20;
		p++;
		break;
	case 'G': case 'g':
		mul = INT64_C(1) << 30;
		p++;
		break;
	default:
		return false;
	}
	if (*p != '\0' || v > INT64_MAX / mul)
		return false;
	*out = v * mul;
	return true;
}

/* database.cache_size: bytes as a number, or a string like "64M". */
static int kconf_get_cache(struct kconf_ctx *x, const config_setting_t *s,
			   int64_t *dst)
{
	int64_t v;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		v = config_setting_get_int64(s);
		break;
	case CONFIG_TYPE_STRING:
		if (!kconf_parse_size(config_setting_get_string(s), &v))
			return kconf_fail(x, s,
					  _("%s \"%s\" is not a size (a whole "
					    "number with K, M or G after it, "
					    "like \"64M\")"),
					  kconf_where(x, s),
					  config_setting_get_string(s));
		break;
	default:
		return kconf_fail(x, s,
				  _("%s must be a size like \"64M\" or a "
				    "number of bytes, not %s"),
				  kconf_where(x, s), cfg_type_name(s));
	}
	if (v < KCONF_CACHE_MIN || v > KCONF_CACHE_MAX)
		return kconf_fail(x, s,
				  _("%s must be between 1M and 64G, not %lld "
				    "bytes"),
				  kconf_where(x, s), (long long)v);
	*dst = v;
	return 0;
}

/*
 * Member key of group g, or NULL when it is absent (keys were checked
 * before, so absent means "not set").
 */
static const config_setting_t *kconf_member(const config_setting_t *g,
					    const char *key)
{
	return config_setting_get_member(g, key);
}

/*
 * Checks that s is a group of the known keys.
 */
static int kconf_group(struct kconf_ctx *x, const config_setting_t *s,
		       const char *const *keys)
{
	if (!config_setting_is_group(s))
		return kconf_fail(x, s,
				  _("%s must be a group { ... }, not %s"),
				  kconf_where(x, s), cfg_type_name(s));
	return kconf_check_keys(x, s, keys);
}

/*
 * Checks that s is a list "( ... )" (an empty array "[]" will do too)
 * and returns its length in *n.
 */
static int kconf_list(struct kconf_ctx *x, const config_setting_t *s,
		      size_t *n)
{
	if (!config_setting_is_list(s) &&
	    !(config_setting_is_array(s) && config_setting_length(s) == 0))
		return kconf_fail(x, s,
				  _("%s must be a list ( { ... }, ... ), "
				    "not %s"),
				  kconf_where(x, s), cfg_type_name(s));
	*n = (size_t)config_setting_length(s);
	return 0;
}

/*
 * Reads array or list s of non-empty strings into a new vector *dst of
 * *n copies.
 */
static int kconf_get_strings(struct kconf_ctx *x, const config_setting_t *s,
			     char ***dst, size_t *n)
{
	size_t i, len;

	if (!config_setting_is_array(s) && !config_setting_is_list(s))
		return kconf_fail(x, s,
				  _("%s must be an array [ \"...\", ... ], "
				    "not %s"),
				  kconf_where(x, s), cfg_type_name(s));
	len = (size_t)config_setting_length(s);
	if (len == 0)
		return 0;
	*dst = calloc(len, sizeof **dst);
	if (*dst == NULL)
		return kconf_nomem(x);
	*n = len;
	for (i = 0; i < len; i++) {
		int rc = kconf_get_string(x, config_setting_get_elem(s, i),
					  &(*dst)[i]);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* ---------------------------------------------------------- the text */

/*
 * libconfig 1.5 reads an integer without the L suffix with atoi(), so
 * 4294972296 quietly becomes 5000: refuse such integers in the text.
 */
static int kconf_check_ints(const struct kconf_ctx *x)
{
	const char *p = x->text;
	unsigned line = 1;
	struct cfg_tok t;

	for (;;) {
		cfg_next(&p, &line, &t);
		if (t.kind == CT_END)
			return 0;
		if (t.kind == CT_INT && !cfg_fits32(t.start, t.end))
			return kerr_set(x->err, K_ECONFIG, NULL,
					_("%s:%u: %.*s does not fit in 32 "
					  "bits; write it with an L after it "
					  "(%.*sL)"),
					x->path, t.line, (int)(t.end - t.start),
					t.start, (int)(t.end - t.start),
					t.start);
	}
}

/*
 * The line of string element s.  libconfig reads one token past a
 * string (strings may be glued: "a" "b") before it makes the setting,
 * so an element followed by a line break gets the line of the next
 * ',', ']' or ')'.  When the first token on that line is one of those
 * and the token before it is a string with s's text on an earlier line,
 * that is where s is.
 */
static unsigned kconf_line(const struct kconf_ctx *x,
			   const config_setting_t *s)
{
	unsigned want = config_setting_source_line(s);
	const char *p = x->text, *v;
	unsigned line = 1;
	struct cfg_tok t, prev;
	size_t n;

	if (x->text == NULL || config_setting_name(s) != NULL ||
	    config_setting_type(s) != CONFIG_TYPE_STRING ||
	    config_setting_source_file(s) != NULL)
		return want;
	memset(&prev, 0, sizeof prev);
	prev.kind = CT_END;
	for (;;) {
		cfg_next(&p, &line, &t);
		if (t.kind == CT_END || t.line > want)
			return want;
		if (t.line == want)
			break;
		prev = t;
	}
	if (t.kind != CT_PUNCT ||
	    (*t.start != ',' && *t.start != ']' && *t.start != ')') ||
	    prev.kind != CT_STRING || prev.end_line >= want)
		return want;
	v = config_setting_get_string(s);
	n = (size_t)(prev.end - prev.start) - 2;
	if (strlen(v) != n || memcmp(prev.start + 1, v, n) != 0)
		return want;
	return prev.line;
}

/* ----------------------------------------------------------- sections */

/* The company group. */
static int kconf_read_company(struct kconf_ctx *x, const config_setting_t *g,
			      struct kconf *c)
{
	const config_setting_t *s;
	const char *v;
	int rc;

	rc = kconf_group(x, g, kconf_company_keys);
	if (rc != 0)
		return rc;
	if ((s = kconf_member(g, "name")) != NULL &&
	    (rc = kconf_get_string(x, s, &c->company_name)) != 0)
		return rc;
	if ((s = kconf_member(g, "currency")) != NULL) {
		rc = kconf_get_string(x, s, &c->base_currency);
		if (rc != 0)
			return rc;
		v = c->base_currency;
		if (strlen(v) != 3 || v[0] < 'A' || v[0] > 'Z' ||
		    v[1] < 'A' || v[1] > 'Z' || v[2] < 'A' || v[2] > 'Z')
			return kconf_fail(x, s,
					  _("%s \"%s\" is not an ISO 4217 "
					    "code (3 capital letters, like "
					    "\"CNY\")"),
					  kconf_where(x, s), v);
	}
	if ((s = kconf_member(g, "fiscal_year_start")) != NULL &&
	    (rc = kconf_get_int(x, s, 1, 12, &c->fy_start_month)) != 0)
		return rc;
	return 0;
}

/* The database group. */
static int kconf_read_database(struct kconf_ctx *x, const config_setting_t *g,
			       struct kconf *c)
{
	const config_setting_t *s;
	int rc;

	rc = kconf_group(x, g, kconf_database_keys);
	if (rc != 0)
		return rc;
	if ((s = kconf_member(g, "home")) != NULL &&
	    (rc = kconf_get_dir(x, s, &c->db_home)) != 0)
		return rc;
	if ((s = kconf_member(g, "cache_size")) != NULL &&
	    (rc = kconf_get_cache(x, s, &c->db_cache_bytes)) != 0)
		return rc;
	if ((s = kconf_member(g, "archive_logs")) != NULL &&
	    (rc = kconf_get_bool(x, s, &c->db_archive_logs)) != 0)
		return rc;
	if ((s = kconf_member(g, "archive_dir")) != NULL &&
	    (rc = kconf_get_dir(x, s, &c->db_archive_dir)) != 0)
		return rc;
	if ((s = kconf_member(g, "lock_timeout_ms")) != NULL &&
	    (rc = kconf_get_int(x, s, 100, 600000,
				&c->db_lock_timeout_ms)) != 0)
		return rc;
	if ((s = kconf_member(g, "checkpoint_kb")) != NULL &&
	    (rc = kconf_get_int(x, s, 1, 1048576, &c->db_checkpoint_kb)) != 0)
		return rc;
	if ((s = kconf_member(g, "checkpoint_min")) != NULL &&
	    (rc = kconf_get_int(x, s, 1, 1440, &c->db_checkpoint_min)) != 0)
		return rc;
	return 0;
}

/* The printing group. */
static int kconf_read_printing(struct kconf_ctx *x, const config_setting_t *g,
			       struct kconf *c)
{
	const config_setting_t *s;
	long long v = 0;
	int rc;

	rc = kconf_group(x, g, kconf_printing_keys);
	if (rc != 0)
		return rc;
	if ((s = kconf_member(g, "command")) != NULL &&
	    (rc = kconf_get_string(x, s, &c->print_command)) != 0)
		return rc;
	if ((s = kconf_member(g, "width")) != NULL) {
		rc = kconf_whole(x, s, &v);
		if (rc != 0)
			return rc;
		if (v != 80 && v != 132)
			return kconf_fail(x, s,
					  _("%s must be 80 or 132, not %lld"),
					  kconf_where(x, s), v);
		c->print_width = (int)v;
	}
	if ((s = kconf_member(g, "length")) != NULL &&
	    (rc = kconf_get_int(x, s, 20, 200, &c->print_length)) != 0)
		return rc;
	return 0;
}

/* The role named name, or NULL. */
static const struct kconf_role *kconf_role_find(const struct kconf *c,
						const char *name)
{
	size_t i;

	for (i = 0; i < c->nroles; i++)
		if (c->roles[i].name != NULL &&
		    strcmp(c->roles[i].name, name) == 0)
			return &c->roles[i];
	return NULL;
}

/* The line of member key of element j of list l (known to be there). */
static unsigned kconf_elem_line(const config_setting_t *l, size_t j,
				const char *key)
{
	const config_setting_t *s;

	s = config_setting_get_member(config_setting_get_elem(l,
							       (unsigned)j),
				      key);
	return s != NULL ? config_setting_source_line(s) : 0;
}

/*
 * Reads role r's permissions from array s, refusing empty and malformed
 * patterns.
 */
static int kconf_read_perms(struct kconf_ctx *x, const config_setting_t *s,
			    struct kconf_role *r)
{
	size_t j, n;
	int rc;

	if (!config_setting_is_array(s) && !config_setting_is_list(s))
		return kconf_fail(x, s,
				  _("%s must be an array [ \"...\", ... ], "
				    "not %s"),
				  kconf_where(x, s), cfg_type_name(s));
	n = (size_t)config_setting_length(s);
	if (n == 0)
		return 0;
	r->perms = calloc(n, sizeof *r->perms);
	if (r->perms == NULL)
		return kconf_nomem(x);
	r->nperms = n;
	for (j = 0; j < n; j++) {
		const config_setting_t *e = config_setting_get_elem(s, j);
		const char *p;

		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return kconf_fail(x, e,
					  _("%s must be a string, not %s"),
					  kconf_where(x, e),
					  cfg_type_name(e));
		p = config_setting_get_string(e);
		if (p[0] == '\0')
			return kconf_fail(x, e,
					  _("role \"%s\": permission %zu is "
					    "empty"),
					  r->name, j + 1);
		if (!perm_pattern_valid(p))
			return kconf_fail(x, e,
					  _("role \"%s\": bad permission "
					    "pattern \"%s\" (words of a-z, "
					    "0-9, _ and - between dots; * for "
					    "any word; ! in front denies)"),
					  r->name, p);
		rc = kconf_get_string(x, e, &r->perms[j]);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* The roles list: ( { name = "..."; permissions = [ ... ]; }, ... ). */
static int kconf_read_roles(struct kconf_ctx *x, const config_setting_t *l,
			    struct kconf *c)
{
	size_t i, j, n;
	int rc;

	rc = kconf_list(x, l, &n);
	if (rc != 0 || n == 0)
		return rc;
	c->roles = calloc(n, sizeof *c->roles);
	if (c->roles == NULL)
		return kconf_nomem(x);
	c->nroles = n;
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(l, i);
		const config_setting_t *s;
		struct kconf_role *r = &c->roles[i];

		rc = kconf_group(x, g, kconf_role_keys);
		if (rc != 0)
			return rc;
		s = kconf_member(g, "name");
		if (s == NULL)
			return kconf_fail(x, g, _("%s has no name"),
					  kconf_where(x, g));
		rc = kconf_get_string(x, s, &r->name);
		if (rc != 0)
			return rc;
		j = (size_t)(kconf_role_find(c, r->name) - c->roles);
		if (j < i)
			return kconf_fail(x, s,
					  _("role \"%s\" is defined twice "
					    "(first on line %u)"),
					  r->name,
					  kconf_elem_line(l, j, "name"));
		s = kconf_member(g, "permissions");
		if (s == NULL)
			continue;
		rc = kconf_read_perms(x, s, r);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* True when login looks like a Unix login that fits perm_user. */
static bool kconf_login_ok(const char *s)
{
	size_t n = 0;

	if (s[0] == '-')
		return false;
	for (; s[n] != '\0'; n++) {
		char ch = s[n];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
		      ch == '.' || ch == '@' || ch == '$'))
			return false;
	}
	return n > 0 && n <= KCONF_LOGIN_MAX;
}

/* The users list: ( { login = "..."; name = "..."; roles = [...]; }, ... ). */
static int kconf_read_users(struct kconf_ctx *x, const config_setting_t *l,
			    struct kconf *c)
{
	size_t i, j, n;
	int rc;

	rc = kconf_list(x, l, &n);
	if (rc != 0 || n == 0)
		return rc;
	c->users = calloc(n, sizeof *c->users);
	if (c->users == NULL)
		return kconf_nomem(x);
	c->nusers = n;
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(l, i);
		const config_setting_t *s;
		struct kconf_user *u = &c->users[i];

		rc = kconf_group(x, g, kconf_user_keys);
		if (rc != 0)
			return rc;
		s = kconf_member(g, "login");
		if (s == NULL)
			return kconf_fail(x, g, _("%s has no login"),
					  kconf_where(x, g));
		rc = kconf_get_string(x, s, &u->login);
		if (rc != 0)
			return rc;
		if (!kconf_login_ok(u->login))
			return kconf_fail(x, s,
					  _("\"%s\" is not a login name (up "
					    "to %d letters, digits, '.', '_', "
					    "'-', '@' or '$')"),
					  u->login, KCONF_LOGIN_MAX);
		j = (size_t)(kconf_user_find(c, u->login) - c->users);
		if (j < i)
			return kconf_fail(x, s,
					  _("login \"%s\" is listed twice "
					    "(first on line %u)"),
					  u->login,
					  kconf_elem_line(l, j, "login"));
		s = kconf_member(g, "name");
		if (s != NULL)
			rc = kconf_get_string(x, s, &u->name);
		else if ((u->name = strdup(u->login)) == NULL)
			rc = kconf_nomem(x);
		if (rc != 0)
			return rc;
		if ((s = kconf_member(g, "printer")) != NULL &&
		    (rc = kconf_get_string(x, s, &u->printer)) != 0)
			return rc;
		s = kconf_member(g, "roles");
		if (s == NULL)
			continue;
		rc = kconf_get_strings(x, s, &u->roles, &u->nroles);
		if (rc != 0)
			return rc;
		for (j = 0; j < u->nroles; j++)
			if (kconf_role_find(c, u->roles[j]) == NULL)
				return kconf_fail(x,
						  config_setting_get_elem(s, j),
						  _("user \"%s\": role \"%s\" "
						    "is not defined in roles"),
						  u->login, u->roles[j]);
	}
	return 0;
}

/* ----------------------------------------------------------------- API */

const char *kconf_locate(const char *cli_path, bool *explicit)
{
	const char *env;
	bool named = true;
	const char *path;

	if (cli_path != NULL) {
		path = cli_path;
	} else if ((env = getenv("KONTOR_CONF")) != NULL && env[0] != '\0') {
		path = env;
	} else {
		path = SYSCONFDIR "/kontor.conf";
		named = false;
	}
	if (explicit != NULL)
		*explicit = named;
	return path;
}

/* Fills c with the defaults; 0 or K_ENOMEM. */
static int kconf_defaults(struct kconf *c)
{
	c->company_name = strdup("Kontor");
	c->base_currency = strdup("CNY");
	c->fy_start_month = 1;
	c->db_cache_bytes = INT64_C(256) << 20;
	c->db_archive_logs = false;
	c->db_lock_timeout_ms = 5000;
	c->db_checkpoint_kb = 1024;
	c->db_checkpoint_min = 1;
	c->print_command = strdup("lp -d%p");   /* see spool_command_words */
	c->print_width = 80;
	c->print_length = 66;
	if (c->company_name == NULL || c->base_currency == NULL ||
	    c->print_command == NULL)
		return K_ENOMEM;
	return 0;
}

/*
 * Reads the whole file fp into a new NUL-terminated buffer *out; on
 * failure sets err and returns K_ECONFIG.
 */
static int kconf_slurp(const char *path, FILE *fp, char **out,
		       struct kerr *err)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	int rc;

	if (fstat(fileno(fp), &st) != 0) {
		rc = kerr_set(err, K_ECONFIG, NULL, _("%s: cannot read: %s"),
			      path, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = kerr_set(err, K_ECONFIG, NULL, _("%s: cannot read: %s"),
			      path, strerror(EISDIR));
		goto fail;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *nb;

			if (cap >= (size_t)KCONF_FILE_MAX) {
				rc = kerr_set(err, K_ECONFIG, NULL,
					      _("%s: cannot read: larger "
						"than %ld bytes"),
					      path, KCONF_FILE_MAX);
				goto fail;
			}
			cap = cap == 0 ? 8192 : cap * 2;
			nb = realloc(buf, cap + 1);
			if (nb == NULL) {
				rc = kerr_set(err, K_ENOMEM, NULL,
					      _("%s: out of memory"), path);
				goto fail;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, fp);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		rc = kerr_set(err, K_ECONFIG, NULL, _("%s: cannot read: %s"),
			      path, strerror(errno));
		goto fail;
	}
	if (buf == NULL) {
		buf = malloc(1);
		if (buf == NULL) {
			rc = kerr_set(err, K_ENOMEM, NULL,
				      _("%s: out of memory"), path);
			goto fail;
		}
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len) != NULL) {
		rc = kerr_set(err, K_ECONFIG, NULL,
			      _("%s: cannot read: not a text file (it holds "
				"NUL bytes)"), path);
		goto fail;
	}
	/* libconfig takes a comment only with a line break after it */
	if (len > 0 && buf[len - 1] != '\n') {
		buf[len++] = '\n';
		buf[len] = '\0';
	}
	*out = buf;
	return 0;
fail:
	free(buf);
	return rc;
}

/*
 * Parses text (the contents of x->path) and fills c.  @include names
 * are taken relative to the folder of the file.
 */
static int kconf_parse(struct kconf_ctx *x, const char *text, struct kconf *c)
{
	config_t cfg;
	const config_setting_t *root, *s;
	char *dir = NULL;
	const char *slash;
	int rc;

	config_init(&cfg);
	slash = strrchr(x->path, '/');
	if (slash != NULL) {
		dir = strndup(x->path, (size_t)(slash - x->path) + 1);
		if (dir == NULL) {
			rc = kconf_nomem(x);
			goto out;
		}
		config_set_include_dir(&cfg, dir);
		x->dir = dir;
	}
	/* libconfig leaks on some syntax errors: find them first */
	rc = cfg_grammar(x->path, text, dir != NULL ? dir : "",
			 (size_t)KCONF_FILE_MAX, x->err);
	if (rc != 0)
		goto out;
	if (config_read_string(&cfg, text) != CONFIG_TRUE) {
		const char *file = config_error_file(&cfg);

		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			rc = kerr_set(x->err, K_ECONFIG, NULL,
				      _("%s%s: cannot read: %s"),
				      kconf_dir_of(x, file),
				      file != NULL ? file : x->path,
				      config_error_text(&cfg));
		else
			rc = kerr_set(x->err, K_ECONFIG, NULL, "%s%s:%d: %s",
				      kconf_dir_of(x, file),
				      file != NULL ? file : x->path,
				      config_error_line(&cfg),
				      config_error_text(&cfg));
		goto out;
	}
	x->text = text;
	rc = kconf_check_ints(x);
	if (rc != 0)
		goto out;
	root = config_root_setting(&cfg);
	rc = kconf_check_keys(x, root, kconf_top_keys);
	if (rc != 0)
		goto out;
	/* roles before users: users name roles */
	if ((s = kconf_member(root, "roles")) != NULL &&
	    (rc = kconf_read_roles(x, s, c)) != 0)
		goto out;
	if ((s = kconf_member(root, "company")) != NULL &&
	    (rc = kconf_read_company(x, s, c)) != 0)
		goto out;
	if ((s = kconf_member(root, "database")) != NULL &&
	    (rc = kconf_read_database(x, s, c)) != 0)
		goto out;
	if ((s = kconf_member(root, "printing")) != NULL &&
	    (rc = kconf_read_printing(x, s, c)) != 0)
		goto out;
	if ((s = kconf_member(root, "users")) != NULL &&
	    (rc = kconf_read_users(x, s, c)) != 0)
		goto out;
	rc = 0;
out:
	config_destroy(&cfg);
	x->dir = NULL;
	free(dir);
	return rc;
}

int kconf_load(const char *path, bool must_exist, struct kconf **out,
	       struct kerr *err)
{
	struct kconf_ctx x;
	struct kconf *c = NULL;
	FILE *fp = NULL;
	char *text = NULL;
	int rc, e;

	if (out == NULL)
		return kerr_set(err, K_EINTERNAL, NULL,
				_("kconf_load: no place for the result"));
	*out = NULL;
	memset(&x, 0, sizeof x);
	x.path = path;
	x.err = err;
	c = calloc(1, sizeof *c);
	if (c == NULL || kconf_defaults(c) != 0) {
		rc = kerr_set(err, K_ENOMEM, NULL, _("out of memory"));
		goto fail;
	}
	if (path == NULL)
		goto done;
	fp = fopen(path, "r");
	if (fp == NULL) {
		e = errno;
		if (!must_exist && (e == ENOENT || e == ENOTDIR))
			goto done;
		rc = kerr_set(err, K_ECONFIG, NULL, _("%s: cannot read: %s"),
			      path, strerror(e));
		goto fail;
	}
	rc = kconf_slurp(path, fp, &text, err);
	if (rc != 0)
		goto fail;
	rc = kconf_parse(&x, text, c);
	if (rc != 0)
		goto fail;
	c->path = strdup(path);
	if (c->path == NULL) {
		rc = kconf_nomem(&x);
		goto fail;
	}
done:
	if (fp != NULL)
		fclose(fp);
	free(text);
	*out = c;
	return 0;
fail:
	if (fp != NULL)
		fclose(fp);
	free(text);
	kconf_free(&c);
	return rc;
}

/* Frees a vector of n strings. */
static void kconf_free_strings(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void kconf_free(struct kconf **conf)
{
	struct kconf *c;
	size_t i;

	if (conf == NULL || *conf == NULL)
		return;
	c = *conf;
	free(c->path);
	free(c->company_name);
	free(c->base_currency);
	free(c->db_home);
	free(c->db_archive_dir);
	free(c->print_command);
	for (i = 0; c->users != NULL && i < c->nusers; i++) {
		free(c->users[i].login);
		free(c->users[i].name);
		kconf_free_strings(c->users[i].roles, c->users[i].nroles);
		free(c->users[i].printer);
	}
	free(c->users);
	for (i = 0; c->roles != NULL && i < c->nroles; i++) {
		free(c->roles[i].name);
		kconf_free_strings(c->roles[i].perms, c->roles[i].nperms);
	}
	free(c->roles);
	free(c);
	*conf = NULL;
}

const struct kconf_user *kconf_user_find(const struct kconf *c,
					 const char *login)
{
	size_t i;

	if (c == NULL || login == NULL)
		return NULL;
	for (i = 0; i < c->nusers; i++)
		if (c->users[i].login != NULL &&
		    strcmp(c->users[i].login, login) == 0)
			return &c->users[i];
	return NULL;
}
