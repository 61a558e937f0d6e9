/*
 * test_conf.c - kontor.conf loading and validation, permission patterns,
 * user resolution.
 *
 * Data files live in tests/unit/config/data; the tests find them through
 * $TEST_SRCDIR (the project's tests/ folder), else SRCDIR "/tests".
 */
#include "config.h"

#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/kerr.h"
#include "config/conf.h"
#include "config/perm.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif
#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

/* The tests/ folder of the source tree. */
static const char *tests_dir(void)
{
	const char *d = getenv("TEST_SRCDIR");

	return d != NULL && d[0] != '\0' ? d : SRCDIR "/tests";
}

/* The path of data file name into buf. */
static const char *data_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/unit/config/data/%s", tests_dir(), name);
	return buf;
}

/* Loads data file name, which must be valid. */
static struct kconf *load_ok(const char *name)
{
	char path[1024];
	struct kconf *c = NULL;
	struct kerr err;
	int rc;

	kerr_clear(&err);
	rc = kconf_load(data_path(path, sizeof path, name), true, &c, &err);
	if (rc != 0)
		fail_msg("%s: %s", name, err.msg);
	assert_non_null(c);
	assert_string_equal(c->path, path);
	return c;
}

/* ------------------------------------------------------ NULL and empty */

static void test_null_inputs(void **state)
{
	struct kconf *c = NULL;
	struct kerr err;
	struct perm_user u;

	(void)state;
	kconf_free(NULL);
	kconf_free(&c);
	assert_null(c);
	assert_null(kconf_user_find(NULL, "li"));

	/* no place for the result */
	assert_int_not_equal(kconf_load(NULL, false, NULL, &err), 0);

	/* path NULL: the defaults, even with must_exist */
	assert_int_equal(kconf_load(NULL, true, &c, NULL), 0);
	assert_non_null(c);
	assert_null(c->path);
	assert_null(kconf_user_find(c, NULL));
	assert_null(kconf_user_find(c, ""));
	kconf_free(&c);
	assert_null(c);

	/* a missing optional file with err NULL */
	assert_int_equal(kconf_load("", false, &c, NULL), 0);
	assert_null(c->path);
	kconf_free(&c);

	assert_false(perm_match(NULL, NULL));
	assert_false(perm_match(NULL, "ar.read"));
	assert_false(perm_match("*", NULL));
	assert_false(perm_match("", ""));
	assert_false(perm_match("*", ""));
	assert_false(perm_pattern_valid(NULL));
	assert_false(perm_pattern_valid(""));
	assert_false(perm_pattern_valid("!"));
	assert_false(perm_allowed(NULL, "ar.read"));

	kerr_clear(&err);
	assert_int_equal(perm_check(NULL, "ar.read", &err), K_EPERM);
	assert_string_equal(err.msg, "nobody may not ar.read");
	assert_int_equal(perm_check(NULL, NULL, NULL), K_EPERM);

	assert_int_equal(perm_resolve(NULL, "li", NULL, NULL, &err),
			 K_EINTERNAL);
	assert_int_equal(perm_resolve(NULL, "", NULL, &u, &err), K_ENOUSER);
	assert_false(u.admin);
	assert_string_equal(u.login, "");
	assert_false(perm_allowed(&u, "ar.read"));
}

/* ------------------------------------------------------------ defaults */

/* Checks that c holds every default. */
static void assert_defaults(const struct kconf *c)
{
	assert_string_equal(c->company_name, "Kontor");
	assert_string_equal(c->base_currency, "CNY");
	assert_int_equal(c->fy_start_month, 1);
	assert_null(c->db_home);
	assert_true(c->db_cache_bytes == INT64_C(256) * 1024 * 1024);
	assert_false(c->db_archive_logs);
	assert_null(c->db_archive_dir);
	assert_int_equal(c->db_lock_timeout_ms, 5000);
	assert_int_equal(c->db_checkpoint_kb, 1024);
	assert_int_equal(c->db_checkpoint_min, 1);
	assert_string_equal(c->print_command, "lp -d%p");
	assert_int_equal(c->print_width, 80);
	assert_int_equal(c->print_length, 66);
	assert_int_equal(c->nusers, 0);
	assert_null(c->users);
}

static void test_missing_file_defaults(void **state)
{
	char path[1024];
	struct kconf *c = NULL;
	struct kerr err;

	(void)state;
	kerr_clear(&err);
	assert_int_equal(kconf_load(data_path(path, sizeof path,
					      "no-such-file.conf"),
				    false, &c, &err), 0);
	assert_non_null(c);
	assert_null(c->path);
	assert_defaults(c);
	assert_int_equal(c->nroles, 0);
	kconf_free(&c);

	/* a missing folder on the way is "missing" too */
	assert_int_equal(kconf_load(data_path(path, sizeof path,
					      "full.conf/x.conf"),
				    false, &c, &err), 0);
	assert_null(c->path);
	kconf_free(&c);
}

static void test_empty_file_defaults(void **state)
{
	struct kconf *c = load_ok("empty.conf");

	(void)state;
	assert_defaults(c);
	kconf_free(&c);
}

static void test_must_exist_missing(void **state)
{
	char path[1024], want[1200];
	struct kconf *c = (struct kconf *)&c;   /* must become NULL */
	struct kerr err;

	(void)state;
	kerr_clear(&err);
	data_path(path, sizeof path, "no-such-file.conf");
	assert_int_equal(kconf_load(path, true, &c, &err), K_ECONFIG);
	assert_null(c);
	assert_int_equal(err.code, K_ECONFIG);
	snprintf(want, sizeof want,
		 "%s: cannot read: No such file or directory", path);
	assert_string_equal(err.msg, want);
	assert_int_equal(kerr_exit_status(err.code), 78);
}

static void test_directory_unreadable(void **state)
{
	char path[1024], want[1200];
	struct kconf *c = NULL;
	struct kerr err;

	(void)state;
	/* a folder exists: an error even when the file is optional */
	snprintf(path, sizeof path, "%s/unit/config/data", tests_dir());
	assert_int_equal(kconf_load(path, false, &c, &err), K_ECONFIG);
	assert_null(c);
	snprintf(want, sizeof want, "%s: cannot read: Is a directory", path);
	assert_string_equal(err.msg, want);
}

static void test_locate(void **state)
{
	bool ex = false;

	(void)state;
	setenv("KONTOR_CONF", "/tmp/env.conf", 1);
	assert_string_equal(kconf_locate("/tmp/cli.conf", &ex),
			    "/tmp/cli.conf");
	assert_true(ex);
	ex = false;
	assert_string_equal(kconf_locate(NULL, &ex), "/tmp/env.conf");
	assert_true(ex);
	setenv("KONTOR_CONF", "", 1);
	assert_string_equal(kconf_locate(NULL, &ex), SYSCONFDIR "/kontor.conf");
	assert_false(ex);
	unsetenv("KONTOR_CONF");
	ex = true;
	assert_string_equal(kconf_locate(NULL, &ex), SYSCONFDIR "/kontor.conf");
	assert_false(ex);
	assert_string_equal(kconf_locate(NULL, NULL),
			    SYSCONFDIR "/kontor.conf");
}

/* -------------------------------------------------------- valid files */

static void test_full(void **state)
{
	struct kconf *c = load_ok("full.conf");
	const struct kconf_user *u;

	(void)state;
	assert_string_equal(c->company_name, "上海示例贸易有限公司");
	assert_string_equal(c->base_currency, "CNY");
	assert_int_equal(c->fy_start_month, 4);
	assert_string_equal(c->db_home, "/var/lib/kontor");
	assert_true(c->db_cache_bytes == INT64_C(128) * 1024 * 1024);
	assert_true(c->db_archive_logs);
	assert_string_equal(c->db_archive_dir, "/var/backups/kontor/logs");
	assert_int_equal(c->db_lock_timeout_ms, 2000);
	assert_int_equal(c->db_checkpoint_kb, 2048);
	assert_int_equal(c->db_checkpoint_min, 5);
	assert_string_equal(c->print_command, "lp -d office");
	assert_int_equal(c->print_width, 132);
	assert_int_equal(c->print_length, 72);

	assert_int_equal(c->nusers, 4);
	assert_int_equal(c->nroles, 4);
	u = kconf_user_find(c, "li");
	assert_non_null(u);
	assert_ptr_equal(u, &c->users[0]);
	assert_string_equal(u->name, "李明");
	assert_int_equal(u->nroles, 1);
	assert_string_equal(u->roles[0], "clerk");
	assert_string_equal(u->printer, "office");
	u = kconf_user_find(c, "wang");
	assert_non_null(u);
	assert_int_equal(u->nroles, 2);
	assert_string_equal(u->roles[1], "manager");
	assert_null(u->printer);
	u = kconf_user_find(c, "guest");
	assert_non_null(u);
	assert_string_equal(u->name, "guest");   /* the login by default */
	assert_int_equal(u->nroles, 0);
	assert_null(u->roles);
	assert_null(kconf_user_find(c, "bob"));
	assert_null(kconf_user_find(c, "LI"));

	assert_string_equal(c->roles[1].name, "clerk");
	assert_int_equal(c->roles[1].nperms, 3);
	assert_string_equal(c->roles[1].perms[2], "!ar.invoice.delete");
	assert_string_equal(c->roles[3].name, "empty");
	assert_int_equal(c->roles[3].nperms, 0);
	kconf_free(&c);
	assert_null(c);
}

static void test_cache_forms(void **state)
{
	struct kconf *c;

	(void)state;
	c = load_ok("cache_int.conf");
	assert_true(c->db_cache_bytes == INT64_C(1) << 20);
	kconf_free(&c);
	c = load_ok("cache_int64.conf");
	assert_true(c->db_cache_bytes == INT64_C(64) << 30);
	kconf_free(&c);
	c = load_ok("cache_lower.conf");
	assert_true(c->db_cache_bytes == INT64_C(2) << 30);
	kconf_free(&c);
	c = load_ok("cache_kilo.conf");
	assert_true(c->db_cache_bytes == INT64_C(4) << 20);
	kconf_free(&c);
}

static void test_include(void **state)
{
	char path[1024], want[1200];
	struct kconf *c;
	struct kerr err;

	(void)state;
	/* @include names are relative to the including file's folder */
	c = load_ok("include.conf");
	assert_string_equal(c->company_name, "Acme");
	assert_int_equal(c->nroles, 1);
	assert_string_equal(c->roles[0].name, "admin");
	kconf_free(&c);

	/* an error in an included file names that file */
	kerr_clear(&err);
	data_path(path, sizeof path, "include_bad.conf");
	assert_int_equal(kconf_load(path, true, &c, &err), K_ECONFIG);
	assert_null(c);
	snprintf(want, sizeof want, "%s/unit/config/data/include_bad.inc:3: "
		 "printing.width must be 80 or 132, not 100", tests_dir());
	assert_string_equal(err.msg, want);
}

/*
 * libconfig reads an @include in place, inside a group too; its syntax
 * is checked before libconfig parses (which would leak on some errors)
 * and an error in it names the included file.
 */
static void test_include_checked(void **state)
{
	char path[1024], want[1200];
	struct kconf *c;
	struct kerr err;

	(void)state;
	c = load_ok("include_group.conf");
	assert_string_equal(c->company_name, "Acme");
	assert_string_equal(c->base_currency, "EUR");
	kconf_free(&c);

	/* libconfig takes a comment only with a line break after it: the
	 * file read gets one, an included file is told */
	c = load_ok("comment_last.conf");
	assert_string_equal(c->company_name, "Acme");
	kconf_free(&c);
	kerr_clear(&err);
	data_path(path, sizeof path, "include_comment.conf");
	assert_int_equal(kconf_load(path, true, &c, &err), K_ECONFIG);
	snprintf(want, sizeof want, "%s/unit/config/data/include_comment.inc:2: "
		 "syntax error: a comment on the last line needs a line break "
		 "after it", tests_dir());
	assert_string_equal(err.msg, want);

	/* libconfig would read the including file on inside the comment */
	kerr_clear(&err);
	data_path(path, sizeof path, "include_comment_open.conf");
	assert_int_equal(kconf_load(path, true, &c, &err), K_ECONFIG);
	snprintf(want, sizeof want, "%s/unit/config/data/"
		 "include_comment_open.inc:2: this comment has no end (*/) "
		 "in its file", tests_dir());
	assert_string_equal(err.msg, want);

	kerr_clear(&err);
	data_path(path, sizeof path, "include_syntax.conf");
	assert_int_equal(kconf_load(path, true, &c, &err), K_ECONFIG);
	assert_null(c);
	snprintf(want, sizeof want, "%s/unit/config/data/include_syntax.inc:2: "
		 "syntax error: a value expected, not \";\"", tests_dir());
	assert_string_equal(err.msg, want);
}

static void test_example_conf(void **state)
{
	char path[1024];
	struct kconf *c = NULL;
	struct kerr err;
	struct perm_user u;
	size_t i;
	bool admin = false, clerk = false, manager = false;

	(void)state;
	kerr_clear(&err);
	snprintf(path, sizeof path, "%s/../data/kontor.conf", tests_dir());
	if (kconf_load(path, true, &c, &err) != 0)
		fail_msg("%s", err.msg);
	/* users are commented out: single-user mode */
	assert_int_equal(c->nusers, 0);
	for (i = 0; i < c->nroles; i++) {
		admin |= strcmp(c->roles[i].name, "admin") == 0;
		clerk |= strcmp(c->roles[i].name, "clerk") == 0;
		manager |= strcmp(c->roles[i].name, "manager") == 0;
	}
	assert_true(admin && clerk && manager);
	assert_int_equal(c->print_width, 80);
	assert_int_equal(perm_resolve(c, "li", "li", &u, &err), 0);
	assert_true(u.admin);
	kconf_free(&c);
}

/* ------------------------------------------------------- invalid files */

struct bad_case {
	const char *file;
	unsigned line;
	const char *text;     /* what follows "FILE:LINE: " */
	bool exact;           /* text is the whole rest, else a substring */
};

/*
 * X(file, line, text, exact): loading file fails with
 * "PATH/file:line: " followed by text (the whole rest when exact).
 * perm_dots, user_not_group and perm_comma_first* put a string element
 * before a line break: libconfig alone would say the next line.
 */
#define BAD_CASES(X) \
	X("syntax.conf", 3, "syntax error: a value expected, not \";\"", \
	  true) \
	X("duplicate_key.conf", 4, "duplicate setting name", true) \
	X("unknown_group.conf", 2, "unknown setting \"compnay\" (known " \
	  "here: company, database, printing, users, roles)", true) \
	X("unknown_key.conf", 4, "unknown setting \"database.cach_size\"", \
	  false) \
	X("missing_semicolon.conf", 3, \
	  "unknown setting \"printing.lenght\"", false) \
	X("wrong_type.conf", 1, \
	  "company.name must be a string, not a number", true) \
	X("fy13.conf", 4, "company.fiscal_year_start must be between 1 " \
	  "and 12, not 13", true) \
	X("width100.conf", 7, "printing.width must be 80 or 132, not 100", \
	  true) \
	X("width_int64.conf", 2, \
	  "printing.width must be 80 or 132, not 4294967376", true) \
	X("cache_suffix.conf", 2, \
	  "database.cache_size \"12X\" is not a size", false) \
	X("cache_small.conf", 3, "database.cache_size must be between 1M " \
	  "and 64G, not 1000 bytes", true) \
	X("cache_big.conf", 1, "must be between 1M and 64G", false) \
	X("cache_type.conf", 1, "database.cache_size must be a size", \
	  false) \
	X("int_wrap.conf", 5, "4294972296 does not fit in 32 bits", false) \
	X("int_wrap_neg.conf", 1, "-2147483649 does not fit in 32 bits", \
	  false) \
	X("lock_range.conf", 2, "database.lock_timeout_ms must be between " \
	  "100 and 600000, not 50", true) \
	X("lock_float.conf", 2, "database.lock_timeout_ms must be a whole " \
	  "number, not a number", true) \
	X("checkpoint_range.conf", 1, "database.checkpoint_min must be " \
	  "between 1 and 1440, not 0", true) \
	X("length_range.conf", 2, \
	  "printing.length must be between 20 and 200, not 10", true) \
	X("currency.conf", 3, \
	  "company.currency \"cny\" is not an ISO 4217 code", false) \
	X("currency_long.conf", 1, "\"EURO\" is not an ISO 4217 code", \
	  false) \
	X("name_empty.conf", 2, "company.name must not be empty", true) \
	X("name_utf8.conf", 2, "company.name is not valid UTF-8", true) \
	X("bool_type.conf", 2, "database.archive_logs must be true or " \
	  "false, not a string", true) \
	X("home_relative.conf", 2, \
	  "database.home must be an absolute path", false) \
	X("group_type.conf", 1, \
	  "printing must be a group { ... }, not a string", true) \
	X("users_group.conf", 2, "users must be a list", false) \
	X("user_not_group.conf", 2, "users[0] must be a group", false) \
	X("user_nologin.conf", 4, "users[1] has no login", true) \
	X("user_badlogin.conf", 2, "\"li ming\" is not a login name", \
	  false) \
	X("user_dup.conf", 5, \
	  "login \"li\" is listed twice (first on line 3)", true) \
	X("user_role.conf", 5, \
	  "user \"li\": role \"clark\" is not defined in roles", true) \
	X("user_key.conf", 3, "unknown setting \"users[0].prnter\"", false) \
	X("user_roles_type.conf", 2, "users[0].roles must be an array", \
	  false) \
	X("role_dup.conf", 4, \
	  "role \"admin\" is defined twice (first on line 2)", true) \
	X("role_noname.conf", 2, "roles[0] has no name", true) \
	X("perm_empty.conf", 3, "role \"clerk\": permission 2 is empty", \
	  true) \
	X("perm_dots.conf", 4, \
	  "role \"clerk\": bad permission pattern \"ar..post\"", false) \
	X("perm_upper.conf", 2, \
	  "bad permission pattern \"ar.Invoice.post\"", false) \
	X("perm_bang.conf", 3, "bad permission pattern \"ar.!post\"", \
	  false) \
	X("perm_partial_star.conf", 2, "bad permission pattern \"ar*\"", \
	  false) \
	X("perm_comma_first.conf", 5, "bad permission pattern \"*.READ\"", \
	  false) \
	X("perm_comma_first2.conf", 3, "bad permission pattern \"Ar.*\"", \
	  false) \
	X("perm_type.conf", 2, "roles[0].permissions[0] must be a string, " \
	  "not a number", true) \
	X("string_garbage.conf", 1, "syntax error: a setting or \"}\" " \
	  "expected, not \"$\"", true) \
	X("string_open.conf", 2, "this string has no closing \"", true) \
	X("include_missing.conf", 2, \
	  "cannot read @include \"no-such.inc\": ", false) \
	X("include_open.conf", 2, "the @include name has no closing \"", \
	  true) \
	X("include_self.conf", 2, "@include \"include_self.conf\": the " \
	  "files include each other more than 10 deep", true)

/* Loads the file of the case (in *state) and checks the message. */
static void test_bad(void **state)
{
	const struct bad_case *bc = *state;
	char path[1024], head[1200];
	struct kconf *c = NULL;
	struct kerr err;
	size_t hl;

	kerr_clear(&err);
	data_path(path, sizeof path, bc->file);
	assert_int_equal(kconf_load(path, false, &c, &err), K_ECONFIG);
	assert_null(c);
	assert_int_equal(err.code, K_ECONFIG);
	snprintf(head, sizeof head, "%s:%u: ", path, bc->line);
	hl = strlen(head);
	if (strncmp(err.msg, head, hl) != 0)
		fail_msg("%s: want \"%s...\", got \"%s\"", bc->file, head,
			 err.msg);
	if (bc->exact ? strcmp(err.msg + hl, bc->text) != 0 :
	    strstr(err.msg + hl, bc->text) == NULL)
		fail_msg("%s: want \"%s\", got \"%s\"", bc->file, bc->text,
			 err.msg + hl);
	/* the same without a kerr */
	assert_int_equal(kconf_load(path, true, &c, NULL), K_ECONFIG);
	assert_null(c);
}

static void test_bad_field(void **state)
{
	char path[1024];
	struct kconf *c = NULL;
	struct kerr err;

	(void)state;
	data_path(path, sizeof path, "width100.conf");
	assert_int_equal(kconf_load(path, true, &c, &err), K_ECONFIG);
	assert_string_equal(err.field, "printing.width");
	data_path(path, sizeof path, "user_dup.conf");
	assert_int_equal(kconf_load(path, true, &c, &err), K_ECONFIG);
	assert_string_equal(err.field, "users[2].login");
}

/* ---------------------------------------------------------- perm_match */

struct match_case {
	const char *pattern;
	const char *perm;
	bool match;
};

static const struct match_case match_cases[] = {
	/* everything */
	{ "*", "ar", true },
	{ "*", "ar.invoice.post", true },
	{ "*", "db.init", true },
	/* literal */
	{ "db.backup", "db.backup", true },
	{ "db.backup", "db.restore", false },
	{ "db.backup", "db", false },
	{ "db", "db.backup", false },
	{ "party.read", "party.reads", false },
	/* trailing words */
	{ "ar.*", "ar", false },
	{ "ar.*", "ar.invoice", true },
	{ "ar.*", "ar.invoice.post", true },
	{ "ar.*", "ap.invoice.post", false },
	{ "ar.*", "arx.invoice", false },
	{ "db.*", "db.admin", true },
	/* leading words */
	{ "*.read", "party.read", true },
	{ "*.read", "read", false },
	{ "*.read", "a.b.read", true },
	{ "*.read", "audit.read", true },
	{ "*.read", "party.write", false },
	{ "*.read", "party.read.all", false },
	/* a middle word is exactly one */
	{ "ar.*.post", "ar.invoice.post", true },
	{ "ar.*.post", "ar.payment.post", true },
	{ "ar.*.post", "ar.post", false },
	{ "ar.*.post", "ar.a.b.post", false },
	{ "ar.*.post", "ar.invoice.delete", false },
	/* both ends */
	{ "*.invoice.*", "ar.invoice.post", true },
	{ "*.invoice.*", "x.y.invoice.a.b", true },
	{ "*.invoice.*", "invoice.post", false },
	{ "*.*", "ar", false },
	{ "*.*", "ar.read", true },
	/* patterns that never match */
	{ "", "ar", false },
	{ "ar..post", "ar..post", false },
	{ "ar.", "ar.", false },
	{ ".ar", "ar", false },
	{ "AR.*", "AR.invoice", false },
	{ "ar*", "ar.invoice", false },
	{ "ar*", "ar*", false },
	{ "!ar.*", "ar.invoice", false },  /* '!' is not for perm_match */
	{ "ar invoice", "ar invoice", false },
	/* malformed permissions match nothing, not even "*" */
	{ "*", "ar.*", false },
	{ "*", "ar..post", false },
	{ "*", "Ar.read", false },
	{ "ar.*", "ar.", false },
	{ "db-admin_2.x", "db-admin_2.x", true },
};

static void test_perm_match(void **state)
{
	size_t i;

	(void)state;
	assert_true(sizeof match_cases / sizeof match_cases[0] >= 25);
	for (i = 0; i < sizeof match_cases / sizeof match_cases[0]; i++) {
		const struct match_case *m = &match_cases[i];

		if (perm_match(m->pattern, m->perm) != m->match)
			fail_msg("perm_match(\"%s\", \"%s\") should be %s",
				 m->pattern, m->perm,
				 m->match ? "true" : "false");
	}
}

static void test_perm_pattern_valid(void **state)
{
	static const char *const good[] = {
		"*", "!*", "ar", "ar.*", "*.read", "ar.*.post",
		"!ar.invoice.delete", "db.backup", "a-b_c.d9", "*.*",
	};
	static const char *const bad[] = {
		"", "!", "!!ar", "ar..post", ".ar", "ar.", "ar.!post",
		"ar*", "**", "ar.Invoice", "ar invoice", "ar/x", "ä.read",
		/* 33 words */
		"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z"
		".a.b.c.d.e.f.g",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!perm_pattern_valid(good[i]))
			fail_msg("\"%s\" should be valid", good[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (perm_pattern_valid(bad[i]))
			fail_msg("\"%s\" should be invalid", bad[i]);
}

/* -------------------------------------------------------- perm_resolve */

static void test_resolve_users(void **state)
{
	struct kconf *c = load_ok("full.conf");
	struct perm_user u;
	struct kerr err;
	char want[1200];

	(void)state;
	kerr_clear(&err);
	assert_int_equal(perm_resolve(c, "li", "root", &u, &err), 0);
	assert_string_equal(u.login, "li");
	assert_string_equal(u.name, "李明");
	assert_false(u.admin);
	assert_ptr_equal(u.conf, c);
	assert_ptr_equal(u.user, kconf_user_find(c, "li"));

	/* a listed user who is not the creator is fine; the creator must
	 * be listed like everybody else */
	assert_int_equal(perm_resolve(c, "wang", "li", &u, &err), 0);
	assert_int_equal(perm_resolve(c, "bob", "bob", &u, &err), K_ENOUSER);
	snprintf(want, sizeof want,
		 "login \"bob\" is not a Kontor user; add it to users in %s",
		 c->path);
	assert_string_equal(err.msg, want);
	assert_false(u.admin);
	assert_null(u.user);
	assert_int_equal(perm_resolve(c, "bob", NULL, &u, NULL), K_ENOUSER);
	kconf_free(&c);
}

static void test_resolve_single(void **state)
{
	struct kconf *c = NULL;
	struct perm_user u;
	struct kerr err;

	(void)state;
	kerr_clear(&err);
	/* no config at all */
	assert_int_equal(perm_resolve(NULL, "li", "li", &u, &err), 0);
	assert_true(u.admin);
	assert_string_equal(u.login, "li");
	assert_null(u.conf);
	assert_null(u.user);
	assert_true(perm_allowed(&u, "db.init"));
	assert_true(perm_allowed(&u, "ar.invoice.delete"));
	assert_false(perm_allowed(&u, "ar..delete"));

	/* creator unknown: anyone */
	assert_int_equal(perm_resolve(NULL, "wang", NULL, &u, &err), 0);
	assert_true(u.admin);

	/* somebody else */
	assert_int_equal(perm_resolve(NULL, "bob", "li", &u, &err), K_ENOUSER);
	assert_false(u.admin);
	assert_non_null(strstr(err.msg, "\"bob\""));
	assert_non_null(strstr(err.msg, "created by \"li\""));

	/* a config with roles but an empty users list */
	c = load_ok("no_users.conf");
	assert_int_equal(perm_resolve(c, "li", "li", &u, &err), 0);
	assert_true(u.admin);
	assert_null(u.conf);
	assert_int_equal(perm_resolve(c, "bob", "li", &u, &err), K_ENOUSER);
	assert_non_null(strstr(err.msg, c->path));
	assert_non_null(strstr(err.msg, "\"li\""));
	kconf_free(&c);

	/* login NULL: the process's login */
	assert_int_equal(perm_resolve(NULL, NULL, NULL, &u, &err), 0);
	assert_string_equal(u.login, perm_process_login());
}

static void test_allowed(void **state)
{
	struct kconf *c = load_ok("full.conf");
	struct perm_user u;
	struct kerr err;

	(void)state;
	assert_int_equal(perm_resolve(c, "li", NULL, &u, &err), 0);
	assert_true(perm_allowed(&u, "ar.invoice.post"));
	assert_true(perm_allowed(&u, "party.read"));
	assert_true(perm_allowed(&u, "audit.read"));
	assert_false(perm_allowed(&u, "party.write"));
	assert_false(perm_allowed(&u, "ar.invoice.delete"));   /* denied */
	assert_false(perm_allowed(&u, "db.backup"));
	assert_false(perm_allowed(&u, "ar"));

	/* clerk's denial beats manager's grant */
	assert_int_equal(perm_resolve(c, "wang", NULL, &u, &err), 0);
	assert_false(perm_allowed(&u, "ar.invoice.delete"));
	assert_true(perm_allowed(&u, "ar.invoice.approve"));
	assert_true(perm_allowed(&u, "audit.read"));

	/* "*" */
	assert_int_equal(perm_resolve(c, "root", NULL, &u, &err), 0);
	assert_false(u.admin);
	assert_true(perm_allowed(&u, "db.init"));
	assert_true(perm_allowed(&u, "db.restore"));
	assert_true(perm_allowed(&u, "ar.invoice.delete"));
	assert_false(perm_allowed(&u, "ar.*"));

	/* no roles: nothing */
	assert_int_equal(perm_resolve(c, "guest", NULL, &u, &err), 0);
	assert_false(perm_allowed(&u, "party.read"));
	kconf_free(&c);
}

static void test_check_messages(void **state)
{
	struct kconf *c = load_ok("full.conf");
	struct perm_user u;
	struct kerr err;

	(void)state;
	kerr_clear(&err);
	assert_int_equal(perm_resolve(c, "li", NULL, &u, &err), 0);
	assert_int_equal(perm_check(&u, "ar.invoice.post", &err), 0);
	assert_int_equal(perm_check(&u, "ar.invoice.delete", &err), K_EPERM);
	assert_int_equal(err.code, K_EPERM);
	assert_string_equal(err.msg, "li may not ar.invoice.delete");
	assert_int_equal(perm_check(&u, "db.backup", &err), K_EPERM);
	assert_string_equal(err.msg, "li may not db.backup");
	assert_int_equal(kerr_exit_status(err.code), 77);
	assert_int_equal(perm_check(&u, "db.backup", NULL), K_EPERM);

	assert_int_equal(perm_resolve(NULL, "li", NULL, &u, &err), 0);
	assert_int_equal(perm_check(&u, "db.backup", &err), 0);
	kconf_free(&c);
}

static void test_process_login(void **state)
{
	const struct passwd *pw = getpwuid(getuid());
	const char *login = perm_process_login();
	char want[64];

	(void)state;
	assert_non_null(login);
	if (pw != NULL && pw->pw_name[0] != '\0') {
		assert_string_equal(login, pw->pw_name);
	} else {
		snprintf(want, sizeof want, "uid %lu",
			 (unsigned long)getuid());
		assert_string_equal(login, want);
	}
}

/* ---------------------------------------------------------------- main */

/* One test per bad file, named after it. */
#define BAD_TEST(f, l, t, e) \
	{ .name = "bad " f, .test_func = test_bad, \
	  .initial_state = &(struct bad_case){ f, l, t, e } },

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_inputs),
		cmocka_unit_test(test_missing_file_defaults),
		cmocka_unit_test(test_empty_file_defaults),
		cmocka_unit_test(test_must_exist_missing),
		cmocka_unit_test(test_directory_unreadable),
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_cache_forms),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_include_checked),
		cmocka_unit_test(test_example_conf),
		BAD_CASES(BAD_TEST)
		cmocka_unit_test(test_bad_field),
		cmocka_unit_test(test_perm_match),
		cmocka_unit_test(test_perm_pattern_valid),
		cmocka_unit_test(test_resolve_users),
		cmocka_unit_test(test_resolve_single),
		cmocka_unit_test(test_allowed),
		cmocka_unit_test(test_check_messages),
		cmocka_unit_test(test_process_login),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
