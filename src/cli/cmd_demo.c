/*
 * cmd_demo.c - kontor demo DIR: a demo company to try Kontor on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "base/i18n.h"
#include "cli/cli.h"

int cmd_demo(struct cli *c, int argc, char **argv)
{
	int ret;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		printf(_("Usage: kontor demo DIR\n\n"
			 "Creates a demo company in DIR the first time, starts kontor daemon\n"
			 "for it when it is not running, and opens it.  Running it again on\n"
			 "the same DIR just opens it.\n"));
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
		printf(_("Created a demo company in %s\n"), c->home);
		cli_close(c);
	}
	if ((ret = cli_daemon_start(c, true)))
		return ret;
	if ((ret = cli_open(c, STORE_CLERK, NULL)))
		return ret;
	return cli_summary(c);
}
