/*
 * cmd_db.c - kontor db: init, verify, backup, restore, checkpoint, stat.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "base/datadir.h"
#include "base/i18n.h"
#include "cli/cli.h"
#include "finance/gl.h"
#include "masters/csvio.h"
#include "masters/entity.h"

/* The shipped charts: the chart's file and its taxes'. */
static const struct chart {
	const char *name, *accounts, *taxes, *roles;
} charts[] = {
	{ "cn", "chart-cn.csv", "taxes-cn.csv", "roles-cn.csv" },
	{ "ifrs", "chart-ifrs.csv", "taxes-ifrs.csv", "roles-ifrs.csv" },
};

const char *cli_data_dir(void)
{
	static char dir[PATH_MAX];

	return datadir_find("KONTOR_DATA", "data", "parties.csv", dir,
			    sizeof dir);
}

int cli_load(struct cli *c, const char *entity, const char *file)
{
	const struct entity *e = ent_find(entity);
	char path[PATH_MAX + 64];
	unsigned long rows = 0;
	struct kerr err;

	snprintf(path, sizeof path, "%s/%s", cli_data_dir(), file);
	if (!e || !store_schema_find(c->st, e->schema->name)) {
		fprintf(stderr, _("kontor: %s: the table %s is not open\n"),
			path, entity);
		return EX_SOFTWARE;
	}
	if (csvio_import(c->st, e, path, false, &rows, stderr, &err))
		return cli_fail(&err);
	printf(_("Loaded %lu %s records from %s\n"), rows, entity, path);
	return 0;
}

int cli_load_chart(struct cli *c, const char *chart)
{
	const struct chart *ch = NULL;
	char classes[64];
	int ret;

	for (size_t i = 0; i < sizeof charts / sizeof *charts; i++)
		if (strcmp(charts[i].name, chart) == 0)
			ch = &charts[i];
	if (!ch)
		return cli_usage("db", _("unknown chart \"%s\"; the charts are cn and ifrs"),
				 chart);
	if ((ret = cli_load(c, "currency", "currencies.csv")) ||
	    (ret = cli_load(c, "account", ch->accounts)) ||
	    (ret = cli_load(c, "tax", ch->taxes)) ||
	    (ret = cli_load(c, "terms", "terms.csv")))
		return ret;
	if (store_schema_find(c->st, "glrole") &&
	    (ret = cli_load(c, "glrole", ch->roles)))
		return ret;
	/* Documents and entries take their numbers from these. */
	if (store_schema_find(c->st, "series") &&
	    (ret = cli_load(c, "series", "series.csv")))
		return ret;
	/* Fixed-asset classes with the chart's accounts (finance/fa.h). */
	snprintf(classes, sizeof classes, "asset-classes-%s.csv", ch->name);
	if (store_schema_find(c->st, "faclass") &&
	    (ret = cli_load(c, "faclass", classes)))
		return ret;
	return cli_set_chart(c, chart);
}

struct chart_meta {
	const char *chart, *base;
};

static int chart_meta_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	const struct chart_meta *m = arg;
	int ret;

	if ((ret = store_meta_put(t, "chart", m->chart, err)))
		return ret;
	return store_meta_put(t, "base_currency", m->base, err);
}

/*
 * Records which chart the books keep (the statements' layouts follow
 * it) and the base currency, which postings read inside their
 * transactions (gl_check) where kontor.conf is not at hand.
 */
int cli_set_chart(struct cli *c, const char *chart)
{
	struct chart_meta m = { chart, c->conf && c->conf->base_currency ?
				c->conf->base_currency : "CNY" };
	struct kerr err;

	if (store_write(c->st, chart_meta_fn, &m, &err))
		return cli_fail(&err);
	return 0;
}

static int db_help(void)
{
	printf(_("Usage: kontor db init [--chart cn|ifrs]\n"
		 "       kontor db verify\n"
		 "       kontor db backup DIR\n"
		 "       kontor db restore DIR\n"
		 "       kontor db checkpoint\n"
		 "       kontor db stat\n\n"
		 "init        create the database in the home folder, with a chart of\n"
		 "            accounts (cn, the default: Chinese enterprise standards;\n"
		 "            ifrs: IFRS style), its taxes, currencies and payment terms\n"
		 "verify      check every file and every index; exit 65 on problems\n"
		 "backup      copy the database into DIR while clerks work\n"
		 "restore     replace the database by the backup in DIR (nobody may use it)\n"
		 "checkpoint  flush the cache and remove log files no longer needed\n"
		 "stat        show transactions, locks, cache and table sizes\n"));
	return 0;
}

/*
 * The chart is loaded only when the tables are there: a tool that runs
 * the command with tables of its own (tests/tool/ktool.c) gets none
 * unless it asks for one.
 */
static int db_init(struct cli *c, int argc, char **argv)
{
	const char *login = perm_process_login();
	const char *chart = NULL;
	struct perm_user u;
	struct kerr e;
	bool known = false;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--chart") == 0 && i + 1 < argc)
			chart = argv[++i];
		else if (strncmp(argv[i], "--chart=", 8) == 0)
			chart = argv[i] + 8;
		else
			return cli_usage("db", _("bad argument for init: %s"),
					 argv[i]);
	}
	for (size_t i = 0; chart && i < sizeof charts / sizeof *charts; i++)
		known |= strcmp(charts[i].name, chart) == 0;
	if (chart && !known)
		return cli_usage("db", _("unknown chart \"%s\"; the charts are cn and ifrs"),
				 chart);
	/* Who may create it is known before anything is written. */
	if ((ret = cli_config(c)))
		return ret;
	if (perm_resolve(c->conf, login, login, &u, &e) ||
	    perm_check(&u, "db.init", &e))
		return cli_fail(&e);
	if ((ret = cli_open(c, STORE_CREATE, NULL)))
		return ret;
	printf(_("Created the Kontor database in %s\n"), c->home);
	if (chart || store_schema_find(c->st, "account"))
		if ((ret = cli_load_chart(c, chart ? chart : "cn")))
			return ret;
	return cli_summary(c);
}

static void print_problem(void *arg, const char *msg)
{
	(void)arg;
	printf("ledger: %s\n", msg);
}

static int db_verify(struct cli *c)
{
	struct kerr e;
	unsigned problems = 0;
	int ret;

	if ((ret = cli_open(c, STORE_ONEOFF, "db.verify")))
		return ret;
	if (store_verify(c->st, stdout, &problems, &e))
		return cli_fail(&e);
	/* The business invariants: the ledger's balance table. */
	if (store_schema_find(c->st, "glbal")) {
		unsigned more = 0;
		if (gl_verify(c->st, print_problem, NULL, &more, &e))
			return cli_fail(&e);
		problems += more;
	}
	if (problems) {
		fprintf(stderr, _("kontor: %s: %u problems found\n"), c->home,
			problems);
		return EX_DATAERR;
	}
	printf(_("%s: verified, no problems\n"), c->home);
	return 0;
}

static int db_backup(struct cli *c, const char *dir)
{
	struct kerr e;
	int ret;

	if ((ret = cli_open(c, STORE_ONEOFF, "db.backup")))
		return ret;
	if (store_backup(c->st, dir, &e))
		return cli_fail(&e);
	printf(_("Backed up %s into %s\n"), c->home, dir);
	return 0;
}

static int db_restore(struct cli *c, const char *dir)
{
	struct kerr e;
	struct perm_user u;
	char moved[128];
	int ret;

	if ((ret = cli_home(c)))
		return ret;
	if (perm_resolve(c->conf, perm_process_login(), NULL, &u, &e) ||
	    perm_check(&u, "db.restore", &e))
		return cli_fail(&e);
	if (store_daemon_pid(c->home)) {
		fprintf(stderr, _("kontor: %s: stop kontor daemon before a restore\n"),
			c->home);
		return EX_TEMPFAIL;
	}
	if (store_restore(c->home, dir, moved, sizeof moved, &e))
		return cli_fail(&e);
	printf(_("Restored %s from %s\n"), c->home, dir);
	if (moved[0])
		printf(_("The previous database was moved to %s/%s\n"), c->home,
		       moved);
	return 0;
}

static int db_checkpoint(struct cli *c)
{
	struct kerr e;
	int ret;

	if ((ret = cli_open(c, STORE_ONEOFF, "db.admin")))
		return ret;
	if (store_checkpoint(c->st, c->conf->db_archive_logs,
			     c->conf->db_archive_dir, &e))
		return cli_fail(&e);
	printf(_("Checkpoint written\n"));
	return 0;
}

static int db_stat(struct cli *c)
{
	struct kerr e;
	int ret;

	if ((ret = cli_open(c, STORE_ONEOFF, "db.admin")))
		return ret;
	if (store_stat(c->st, stdout, &e))
		return cli_fail(&e);
	return 0;
}

int cmd_db(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("db", _("which action? init, verify, backup, restore, checkpoint or stat"));
	const char *act = argv[1];
	if (strcmp(act, "--help") == 0 || strcmp(act, "help") == 0)
		return db_help();
	bool one = argc == 2, two = argc == 3;
	if (strcmp(act, "init") == 0)
		return db_init(c, argc - 1, argv + 1);
	if (strcmp(act, "verify") == 0 && one)
		return db_verify(c);
	if (strcmp(act, "backup") == 0 && two)
		return db_backup(c, argv[2]);
	if (strcmp(act, "restore") == 0 && two)
		return db_restore(c, argv[2]);
	if (strcmp(act, "checkpoint") == 0 && one)
		return db_checkpoint(c);
	if (strcmp(act, "stat") == 0 && one)
		return db_stat(c);
	return cli_usage("db", _("bad action or arguments: %s"), act);
}
