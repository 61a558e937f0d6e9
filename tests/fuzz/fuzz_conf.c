/*
 * fuzz_conf.c - the kontor.conf reader under a fuzzer.
 *
 * LLVMFuzzerTestOneInput() writes the input to FOLDER/kontor.conf and
 * reads it with kconf_load() (the reader behind every kontor command:
 * cli_config), and checks what conf.h promises:
 *
 *   - the result is 0 or K_ECONFIG, and nothing is returned on error;
 *   - every error is "FILE:LINE: what is wrong", FILE being the file
 *     read or an @include file that exists, LINE inside that file;
 *     only a file that is no text (a NUL byte in it) is "FILE: cannot
 *     read: ...";
 *   - a file read holds what the reader checks: every string valid
 *     UTF-8 without control characters, every number in its range,
 *     logins well formed and once each, every role a user names
 *     defined, every permission pattern valid; perm_resolve() and
 *     perm_allowed() work on each user;
 *   - kconf_free() frees everything (the sanitizer's leak check);
 *   - what cfg_grammar() (the syntax check kconf_load runs before
 *     libconfig, which leaks on some errors) takes, libconfig takes
 *     too: else the check misses an error that libconfig would leak
 *     on.  (The other way, that it refuses nothing libconfig takes,
 *     cannot be tried here without libconfig's leaks.)
 *
 * The folder also holds roles.inc (roles), printing.inc (a bad
 * width) and broken.inc (a syntax error), for @include.  An @include
 * of a name with a '/' is not tried: it could name anything on the
 * machine (a device that never ends), and @include is the admin's own.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libconfig.h>

#include "base/kerr.h"
#include "base/utf8.h"
#include "config/cfgutil.h"
#include "config/conf.h"
#include "config/perm.h"
#include "fuzz.h"

const char fuzz_name[] = "fuzz_conf";

static char folder[PATH_MAX], slash[PATH_MAX + 2], path[PATH_MAX + 16];

static void write_in_folder(const char *name, const char *text)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof p, "%s/%s", folder, name);
	fuzz_write(p, text, strlen(text));
}

static void setup(void)
{
	snprintf(folder, sizeof folder, "%s", fuzz_dir());
	snprintf(slash, sizeof slash, "%s/", folder);
	snprintf(path, sizeof path, "%s/kontor.conf", folder);
	write_in_folder("roles.inc",
			"roles = (\n"
			"\t{ name = \"admin\"; permissions = [ \"*\" ]; },\n"
			"\t{ name = \"clerk\"; permissions = [ \"party.*\",\n"
			"\t\t\"!party.delete\" ]; }\n"
			");\n");
	write_in_folder("printing.inc", "printing = {\n\twidth = 100;\n};\n");
	write_in_folder("broken.inc", "company = {\n\tname = ;\n};\n");
}

/* True when a line with "@include" has a '/': a name outside the folder. */
static bool includes_elsewhere(const uint8_t *data, size_t size)
{
	static const char word[] = "@include";
	size_t n = sizeof word - 1;

	for (size_t i = 0; i + n <= size; i++) {
		if (memcmp(data + i, word, n) != 0)
			continue;
		for (size_t j = i + n; j < size && data[j] != '\n'; j++)
			if (data[j] == '/')
				return true;
	}
	return false;
}

/* A string the reader keeps: not empty, UTF-8, no control characters. */
static void check_string(const char *what, const char *s, bool may_be_null)
{
	if (!s) {
		if (!may_be_null)
			fuzz_fail("%s is NULL", what);
		return;
	}
	if (!s[0])
		fuzz_fail("%s is empty", what);
	if (!utf8_valid(s, strlen(s)))
		fuzz_fail("%s is not valid UTF-8", what);
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fuzz_fail("%s holds a control character", what);
}

static void check_range(const char *what, long long v, long long lo,
			long long hi)
{
	if (v < lo || v > hi)
		fuzz_fail("%s is %lld, outside %lld..%lld", what, v, lo, hi);
}

/* What a configuration read without error must hold. */
static void check_conf(const struct kconf *c)
{
	static const char *const perms[] = {
		"party.read", "party.delete", "ar.invoice.post", "db.backup",
		"a.b.c.d.e", "x",
	};
	struct perm_user pu;
	struct kerr err;

	if (!c->path || strcmp(c->path, path) != 0)
		fuzz_fail("path is not the file read");
	check_string("company.name", c->company_name, false);
	check_string("company.currency", c->base_currency, false);
	if (strlen(c->base_currency) != 3)
		fuzz_fail("company.currency \"%s\"", c->base_currency);
	for (int i = 0; i < 3; i++)
		if (c->base_currency[i] < 'A' || c->base_currency[i] > 'Z')
			fuzz_fail("company.currency \"%s\"", c->base_currency);
	check_range("company.fiscal_year_start", c->fy_start_month, 1, 12);
	check_string("database.home", c->db_home, true);
	if (c->db_home && c->db_home[0] != '/')
		fuzz_fail("database.home is relative");
	check_string("database.archive_dir", c->db_archive_dir, true);
	if (c->db_archive_dir && c->db_archive_dir[0] != '/')
		fuzz_fail("database.archive_dir is relative");
	check_range("database.cache_size", c->db_cache_bytes,
		    INT64_C(1) << 20, INT64_C(64) << 30);
	check_range("database.lock_timeout_ms", c->db_lock_timeout_ms, 100,
		    600000);
	check_range("database.checkpoint_kb", c->db_checkpoint_kb, 1, 1048576);
	check_range("database.checkpoint_min", c->db_checkpoint_min, 1, 1440);
	check_string("printing.command", c->print_command, false);
	if (c->print_width != 80 && c->print_width != 132)
		fuzz_fail("printing.width is %d", c->print_width);
	check_range("printing.length", c->print_length, 20, 200);

	if ((c->nroles == 0) != (c->roles == NULL) ||
	    (c->nusers == 0) != (c->users == NULL))
		fuzz_fail("a count and its vector disagree");
	for (size_t i = 0; i < c->nroles; i++) {
		const struct kconf_role *r = &c->roles[i];
		check_string("roles[].name", r->name, false);
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->roles[j].name, r->name) == 0)
				fuzz_fail("role \"%s\" twice", r->name);
		for (size_t j = 0; j < r->nperms; j++) {
			check_string("roles[].permissions[]", r->perms[j],
				     false);
			if (!perm_pattern_valid(r->perms[j]))
				fuzz_fail("pattern \"%s\" kept", r->perms[j]);
			for (size_t k = 0; k < sizeof perms / sizeof *perms; k++)
				perm_match(r->perms[j] + (r->perms[j][0] == '!'),
					   perms[k]);
		}
	}
	for (size_t i = 0; i < c->nusers; i++) {
		const struct kconf_user *u = &c->users[i];
		check_string("users[].login", u->login, false);
		check_string("users[].name", u->name, false);
		check_string("users[].printer", u->printer, true);
		if (strlen(u->login) > 63 || u->login[0] == '-')
			fuzz_fail("login \"%s\" kept", u->login);
		if (kconf_user_find(c, u->login) != u)
			fuzz_fail("login \"%s\" twice", u->login);
		for (size_t j = 0; j < u->nroles; j++) {
			size_t k;
			check_string("users[].roles[]", u->roles[j], false);
			for (k = 0; k < c->nroles; k++)
				if (strcmp(c->roles[k].name, u->roles[j]) == 0)
					break;
			if (k == c->nroles)
				fuzz_fail("user \"%s\": role \"%s\" undefined",
					  u->login, u->roles[j]);
		}
		kerr_clear(&err);
		if (perm_resolve(c, u->login, NULL, &pu, &err) != 0)
			fuzz_fail("perm_resolve(%s): %s", u->login, err.msg);
		if (pu.admin || pu.user != u)
			fuzz_fail("perm_resolve(%s): another user", u->login);
		for (size_t k = 0; k < sizeof perms / sizeof *perms; k++)
			perm_allowed(&pu, perms[k]);
	}
	kerr_clear(&err);
	if (c->nusers > 0 &&
	    perm_resolve(c, "nobody-such", NULL, &pu, &err) != K_ENOUSER &&
	    kconf_user_find(c, "nobody-such") == NULL)
		fuzz_fail("an unknown login was let in");
}

/* The error of a refused file: FILE:LINE (or FILE: cannot read). */
static void check_error(const struct kerr *err, const uint8_t *data,
			size_t size)
{
	char file[PATH_MAX + 256];
	unsigned long line, lines;
	struct stat sb;
	size_t plen = strlen(path);

	if (fuzz_where(err->msg, file, sizeof file, &line)) {
		if (stat(file, &sb) != 0 || !S_ISREG(sb.st_mode))
			fuzz_fail("the error names no file: %s", err->msg);
		if (strncmp(file, folder, strlen(folder)) != 0)
			fuzz_fail("the error names a file elsewhere: %s",
				  err->msg);
		lines = fuzz_lines(file);
		if (line > lines + 1)
			fuzz_fail("line %lu of a file of %lu lines: %s", line,
				  lines, err->msg);
		return;
	}
	/* "FILE: cannot read: ..." only for the file read, not text */
	if (strncmp(err->msg, path, plen) != 0 ||
	    strncmp(err->msg + plen, ": cannot read: ", 15) != 0 ||
	    !memchr(data, 0, size))
		fuzz_fail("the error is not FILE:LINE: %s", err->msg);
}

/* What cfg_grammar() takes, libconfig takes. */
static void check_grammar(const uint8_t *data, size_t size)
{
	char *text;
	struct kerr err;
	config_t cfg;

	if (memchr(data, 0, size))
		return;
	if (!(text = malloc(size + 1)))
		abort();
	memcpy(text, data, size);
	text[size] = 0;
	kerr_clear(&err);
	if (cfg_grammar(path, text, slash, (size_t)4 << 20, &err) == 0) {
		config_init(&cfg);
		config_set_include_dir(&cfg, slash);
		/* not grammar: a name twice in a group, an array of strings
		 * and numbers mixed */
		if (config_read_string(&cfg, text) != CONFIG_TRUE &&
		    !strstr(config_error_text(&cfg), "duplicate setting") &&
		    !strstr(config_error_text(&cfg), "element type"))
			fuzz_fail("cfg_grammar took what libconfig refuses: "
				  "%s:%d: %s", config_error_file(&cfg) ?
				  config_error_file(&cfg) : "",
				  config_error_line(&cfg),
				  config_error_text(&cfg));
		config_destroy(&cfg);
	}
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kconf *c = (struct kconf *)&c;   /* not NULL: must become so */
	struct kerr err;
	int ret;

	if (!path[0])
		setup();
	if (includes_elsewhere(data, size))
		return 0;
	fuzz_write(path, data, size);
	check_grammar(data, size);
	kerr_clear(&err);
	ret = kconf_load(path, true, &c, &err);
	if (ret == 0) {
		if (!c)
			fuzz_fail("no configuration and no error");
		check_conf(c);
		fuzz_note("read: %zu users, %zu roles", c->nusers, c->nroles);
		kconf_free(&c);
		if (c)
			fuzz_fail("kconf_free left the pointer");
		return 0;
	}
	if (ret != K_ECONFIG)
		fuzz_fail("kconf_load gave %d: %s", ret, err.msg);
	if (c)
		fuzz_fail("a configuration came back with an error");
	check_error(&err, data, size);
	fuzz_note("refused: %s", err.msg);
	return 0;
}
