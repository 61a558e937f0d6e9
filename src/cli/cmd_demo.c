/*
 * cmd_demo.c - kontor demo DIR: a demo company to try Kontor on.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "base/i18n.h"
#include "cli/cli.h"
#include "masters/csvio.h"
#include "masters/entity.h"

/* The demo's CSV files: the source tree's when run from it. */
static const char *data_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("KONTOR_DATA");
	char exe[PATH_MAX];
	ssize_t n;
	struct stat sb;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if (strncmp(exe, BINDIR "/", strlen(BINDIR) + 1) != 0) {
			snprintf(dir, sizeof dir, "%s/data/parties.csv", SRCDIR);
			if (stat(dir, &sb) == 0) {
				snprintf(dir, sizeof dir, "%s/data", SRCDIR);
				return dir;
			}
		}
	}
	return PKGDATADIR "/data";
}

static int load(struct cli *c, const char *entity, const char *file)
{
	const struct entity *e = ent_find(entity);
	char path[PATH_MAX + 64];
	unsigned long rows = 0;
	struct kerr err;

	snprintf(path, sizeof path, "%s/%s", data_dir(), file);
	if (!e)
		return EX_SOFTWARE;
	if (csvio_import(c->st, e, path, false, &rows, stderr, &err))
		return cli_fail(&err);
	printf(_("Loaded %lu %s records from %s\n"), rows, entity, path);
	return 0;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	int ret;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		printf(_("Usage: kontor demo DIR\n\n"
			 "Creates a demo company in DIR the first time (parties and items\n"
			 "with Chinese and Latin names), starts kontor daemon for it when it\n"
			 "is not running, and opens the menu.  Running it again on the same\n"
			 "DIR just opens it.  Without a terminal it prints the summary.\n"));
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
		if ((ret = load(c, "party", "parties.csv")) ||
		    (ret = load(c, "item", "items.csv"))) {
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
