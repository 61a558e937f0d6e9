/*
 * session.c - what every command does first: read the config, find the
 * database, open it, know who is acting.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "base/i18n.h"
#include "cli/cli.h"

volatile int cli_stop;

/* NULL: cli_main() puts every entity's schema here. */
const struct store_schema *const *cli_schemas;
size_t cli_nschemas;

int cli_fail(const struct kerr *e)
{
	fprintf(stderr, "kontor: %s\n", e->msg[0] ? e->msg : kerr_str(e->code));
	return kerr_exit_status(e->code);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kontor %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, _("\nTry 'kontor %s --help'.\n"), cmd);
	return EX_USAGE;
}

int cli_config(struct cli *c)
{
	struct kerr e;
	bool explicit = false;
	const char *path;

	if (c->conf)
		return 0;
	path = kconf_locate(c->config_path, &explicit);
	if (kconf_load(path, explicit, &c->conf, &e))
		return cli_fail(&e);
	return 0;
}

/* Makes path absolute (the daemon leaves the working folder). */
static char *absolute(const char *path)
{
	char cwd[PATH_MAX], *r;

	if (path[0] == '/')
		return strdup(path);
	if (!getcwd(cwd, sizeof cwd))
		return strdup(path);
	if (!(r = malloc(strlen(cwd) + strlen(path) + 2)))
		return NULL;
	sprintf(r, "%s/%s", cwd, path);
	return r;
}

int cli_home(struct cli *c)
{
	const char *h;
	int ret;

	if ((ret = cli_config(c)))
		return ret;
	if (c->home)
		h = c->home;
	else if ((h = getenv("KONTOR_HOME")) && *h)
		;
	else if (c->conf->db_home)
		h = c->conf->db_home;
	else {
		fprintf(stderr, _("kontor: no database home: give --home DIR, set KONTOR_HOME, or set database.home in kontor.conf\n"));
		return EX_USAGE;
	}
	char *abs = absolute(h);
	if (!abs) {
		fprintf(stderr, "kontor: %s\n", strerror(ENOMEM));
		return EX_OSERR;
	}
	free(c->home);
	c->home = abs;
	return 0;
}

static int read_creator(struct store_txn *t, void *arg, struct kerr *err)
{
	int ret = store_meta_get(t, "creator", arg, 64, err);

	if (ret == K_ENOTFOUND) {
		((char *)arg)[0] = 0;
		kerr_clear(err);
		return 0;
	}
	return ret;
}

int cli_open(struct cli *c, enum store_mode mode, const char *perm)
{
	struct kerr e;
	char creator[64];
	const char *login = perm_process_login();
	int ret;

	if ((ret = cli_home(c)))
		return ret;
	/* With users listed, a login that may not act never opens anything. */
	if (c->conf->nusers &&
	    (perm_resolve(c->conf, login, NULL, &c->user, &e) ||
	     (perm && perm_check(&c->user, perm, &e))))
		return cli_fail(&e);
	struct store_opts o = {
		.home = c->home,
		.mode = mode,
		.cache_bytes = c->conf->db_cache_bytes,
		.lock_timeout_ms = c->conf->db_lock_timeout_ms,
		.login = login,
		.wait_ms = 3000,
		.schemas = cli_schemas,
		.nschemas = cli_nschemas,
		.bulk = c->bulk,
	};
	if (store_open(&o, &c->st, &e))
		return cli_fail(&e);
	if (store_read(c->st, read_creator, creator, &e) ||
	    perm_resolve(c->conf, login, creator[0] ? creator : NULL,
			 &c->user, &e) ||
	    (perm && perm_check(&c->user, perm, &e))) {
		store_close(&c->st);
		return cli_fail(&e);
	}
	return 0;
}

void cli_close(struct cli *c)
{
	store_close(&c->st);
}

struct summary {
	const struct cli *c;
	char creator[64];
	char created[64];
	uint64_t *counts;
};

static int read_summary(struct store_txn *t, void *arg, struct kerr *err)
{
	struct summary *s = arg;
	char buf[64];
	int ret;

	if ((ret = read_creator(t, s->creator, err)))
		return ret;
	if (store_meta_get(t, "created", buf, sizeof buf, NULL) == 0)
		date_format_ts(strtoll(buf, NULL, 10), s->created,
			       sizeof s->created);
	for (size_t i = 0; i < cli_nschemas; i++)
		if ((ret = store_count(t, cli_schemas[i], &s->counts[i], err)))
			return ret;
	return 0;
}

int cli_summary(struct cli *c)
{
	struct summary s = { .c = c };
	struct kerr e;
	long pid;

	s.counts = calloc(cli_nschemas + 1, sizeof *s.counts);
	if (!s.counts || store_read(c->st, read_summary, &s, &e)) {
		free(s.counts);
		return cli_fail(&e);
	}
	printf(_("Company    %s\n"), c->conf->company_name);
	printf(_("Currency   %s\n"), c->conf->base_currency);
	printf(_("Database   %s\n"), store_home(c->st));
	printf(_("Created    %s by %s\n"), s.created, s.creator);
	pid = store_daemon_pid(store_home(c->st));
	if (pid)
		printf(_("Daemon     running, pid %ld\n"), pid);
	else
		printf(_("Daemon     not running\n"));
	printf(_("User       %s%s\n"), c->user.login,
	       c->user.admin ? _(" (administrator)") : "");
	for (size_t i = 0; i < cli_nschemas; i++)
		printf("  %-20s %10llu\n", cli_schemas[i]->name,
		       (unsigned long long)s.counts[i]);
	free(s.counts);
	return 0;
}
