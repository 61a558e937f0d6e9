/*
 * cmd_ui.c - kontor [ui]: the screens; kontor forms check: the forms
 * folder checked without opening a screen.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "base/i18n.h"
#include "cli/cli.h"
#include "ui/ui.h"

char **cli_argv;

int cmd_ui(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "forms", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *forms = NULL;
	char start[256] = "";
	struct formset fs;
	struct kerr e;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			forms = optarg;
			break;
		case 'h':
			printf(_("Usage: kontor [ui] [--forms DIR] [CODE [RECORD]]\n\n"
				 "Opens the menu, or the screen with the fast-path CODE (and the\n"
				 "record with that code).  The keys are in kontor(1) and on F1.\n"));
			return 0;
		default:
			return cli_usage("ui", _("unknown option"));
		}
	}
	for (int i = optind; i < argc; i++) {
		size_t n = strlen(start);
		snprintf(start + n, sizeof start - n, "%s%s", n ? " " : "",
			 argv[i]);
	}
	/* Broken forms stop us before anything else: exit 78. */
	if (ui_forms_load(ui_forms_dir(forms), &fs, &e))
		return cli_fail(&e);
	formset_free(&fs);
	if (getenv("KONTOR_RESTARTED")) {
		/*
		 * Started again after an eviction: the daemon is recovering,
		 * so wait for it (a minute at most) rather than drop the clerk.
		 */
		unsetenv("KONTOR_RESTARTED");
		for (int i = 0; (ret = cli_open(c, STORE_CLERK, NULL)); i++) {
			if (i == 60)
				return ret;
			fprintf(stderr, _("kontor: waiting for the database...\n"));
			sleep(1);
		}
	} else if ((ret = cli_open(c, STORE_CLERK, NULL))) {
		return ret;
	}
	struct ui_opts o = {
		.st = c->st,
		.conf = c->conf,
		.user = &c->user,
		.home = c->home,
		.forms_dir = forms,
		.start = start[0] ? start : NULL,
		.argv = cli_argv,
	};
	ret = ui_run(&o, &e);
	if (ret && e.code && ret != 129) {
		cli_close(c);
		return cli_fail(&e);
	}
	return ret;
}

int cmd_forms(struct cli *c, int argc, char **argv)
{
	const char *forms = NULL;
	struct formset fs;
	struct kerr e;

	(void)c;
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		printf(_("Usage: kontor forms check [--forms DIR]\n\n"
			 "Reads every screen definition and the menu, checks them against\n"
			 "the program's entities and hooks, and prints the first problem\n"
			 "as FILE:LINE (exit 78).  See kontor-forms(5).\n"));
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "check") != 0)
		return cli_usage("forms", _("give 'check'"));
	if (argc == 4 && strcmp(argv[2], "--forms") == 0)
		forms = argv[3];
	else if (argc != 2)
		return cli_usage("forms", _("unexpected arguments"));
	forms = ui_forms_dir(forms);
	if (ui_forms_load(forms, &fs, &e))
		return cli_fail(&e);
	printf(_("%s: %zu forms, menu ok\n"), forms, fs.nforms);
	formset_free(&fs);
	return 0;
}
