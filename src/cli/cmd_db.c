/*
 * cmd_db.c - kontor db: init, verify, backup, restore, checkpoint, stat.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "base/i18n.h"
#include "cli/cli.h"

static int db_help(void)
{
	printf(_("Usage: kontor db init\n"
		 "       kontor db verify\n"
		 "       kontor db backup DIR\n"
		 "       kontor db restore DIR\n"
		 "       kontor db checkpoint\n"
		 "       kontor db stat\n\n"
		 "init        create the database in the home folder\n"
		 "verify      check every file and every index; exit 65 on problems\n"
		 "backup      copy the database into DIR while clerks work\n"
		 "restore     replace the database by the backup in DIR (nobody may use it)\n"
		 "checkpoint  flush the cache and remove log files no longer needed\n"
		 "stat        show transactions, locks, cache and table sizes\n"));
	return 0;
}

static int db_init(struct cli *c)
{
	const char *login = perm_process_login();
	struct perm_user u;
	struct kerr e;
	int ret;

	/* Who may create it is known before anything is written. */
	if ((ret = cli_config(c)))
		return ret;
	if (perm_resolve(c->conf, login, login, &u, &e) ||
	    perm_check(&u, "db.init", &e))
		return cli_fail(&e);
	if ((ret = cli_open(c, STORE_CREATE, NULL)))
		return ret;
	printf(_("Created the Kontor database in %s\n"), c->home);
	return cli_summary(c);
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
	if (strcmp(act, "init") == 0 && one)
		return db_init(c);
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
