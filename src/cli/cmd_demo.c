/*
 * cmd_demo.c - kontor demo DIR: a demo company to try Kontor on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "cli/cli.h"
#include "finance/gl.h"
#include "masters/fin.h"

/* The fiscal year of today, with its periods. */
static int this_year(struct cli *c)
{
	int m = c->conf->fy_start_month, y, mm, d;
	struct kerr e;

	date_to_ymd(date_today(), &y, &mm, &d);
	if (mm < m)
		y--;
	if (period_create_year(c->st, y, m, &e))
		return cli_fail(&e);
	printf(_("Created fiscal year %d with its periods\n"), y);
	/* The recurring entries of the year's months up to this one, so
	   that the ledger and its reports have something to show. */
	kdate start, today = date_today();
	int posted = 0;
	date_from_ymd(y, m, 1, &start);
	for (kdate d = start; d <= today; d = date_add_months(d, 1)) {
		char code[16];
		int n = 0, yy, mo, dd;
		date_to_ymd(d, &yy, &mo, &dd);
		snprintf(code, sizeof code, "%04d-%02d", yy, mo);
		if (gl_recur_run(c->st, code, &n, NULL, &e))
			return cli_fail(&e);
		posted += n;
	}
	printf(_("Posted %d recurring journal entries\n"), posted);
	return 0;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	int ret;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		printf(_("Usage: kontor demo DIR\n\n"
			 "Creates a demo company in DIR the first time: the Chinese chart\n"
			 "of accounts with its taxes, currencies, exchange rates and payment\n"
			 "terms, units, parties and items with Chinese and Latin names, and\n"
			 "this fiscal year with its periods.  Then starts kontor daemon for\n"
			 "it when it is not running and opens the menu.  Running it again on\n"
			 "the same DIR just opens it.  Without a terminal it prints the\n"
			 "summary.\n"));
		return 0;
	}
	if (argc != 2)
		return cli_usage("demo", _("give the folder of the demo company"));
	free(c->home);
	c->home = strdup(argv[1]);
	if ((ret = cli_home(c)))
		return ret;
	if (!store_exists(c->home)) {
		if ((ret = cli_open(c, STORE_CREATE, NULL)))
			return ret;
		if ((ret = cli_load_chart(c, "cn")) ||
		    (ret = cli_load(c, "rate", "rates.csv")) ||
		    (ret = cli_load(c, "unit", "units.csv")) ||
		    (ret = cli_load(c, "warehouse", "warehouses.csv")) ||
		    (ret = cli_load(c, "department", "departments.csv")) ||
		    (ret = cli_load(c, "party", "parties.csv")) ||
		    (ret = cli_load(c, "item", "items.csv")) ||
		    (ret = cli_load(c, "jtemplate", "recurring.csv")) ||
		    (ret = cli_load(c, "asset", "assets.csv")) ||
		    (ret = this_year(c))) {
			cli_close(c);
			return ret;
		}
		printf(_("Created a demo company in %s\n"), c->home);
		cli_close(c);
	}
	if ((ret = cli_daemon_start(c, true)))
		return ret;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		if ((ret = cli_open(c, STORE_CLERK, NULL)))
			return ret;
		return cli_summary(c);
	}
	return cmd_ui(c, 1, (char *[]){ "ui", NULL });
}
