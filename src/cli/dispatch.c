/*
 * dispatch.c - the kontor command: global options and dispatch.
 */
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "base/i18n.h"
#include "cli/cli.h"
#include "masters/entity.h"

static const struct cli_cmd commands[] = {
	{ "db", cmd_db,
	  N_("init [--chart cn|ifrs]|verify|backup DIR|restore DIR|checkpoint|stat"),
	  N_("create, check, back up and restore the database") },
	{ "daemon", cmd_daemon, N_("[--foreground] [--stop] [--status]"),
	  N_("run the watcher that recovers and checkpoints the database") },
	{ "demo", cmd_demo, N_("[--scale N [--quiet]] DIR"),
	  N_("create a demo company in DIR (once) and open it; --scale: a big one") },
	{ "history", cmd_history, N_("TABLE KEY"),
	  N_("print the audit trail of one record") },
	{ "period", cmd_period, N_("create YEAR | list [YEAR]"),
	  N_("create a fiscal year with its periods; list them") },
	{ "gl", cmd_gl,
	  N_("close PERIOD | reopen PERIOD | close-year YEAR | recur PERIOD | reverse ENTRY | verify"),
	  N_("close periods and years, post recurring entries, reverse, check") },
	{ "ar", cmd_ar,
	  N_("post CODE... | receipt PARTY AMOUNT [ITEM[=AMOUNT]]... | balance | dunning | verify"),
	  N_("receivables: post invoices and receipts, dunning, checks") },
	{ "ap", cmd_ap,
	  N_("post CODE... | payment ... | balance | proposal --due D | pay PROPOSAL | verify"),
	  N_("payables: post supplier invoices and payments, payment runs") },
	{ "import", cmd_import, N_("ENTITY FILE [--update] | ENTITY --columns | --list"),
	  N_("read records from a CSV file, all or nothing") },
	{ "export", cmd_export, N_("ENTITY [--output FILE]"),
	  N_("write the records of an entity as CSV") },
	{ "fa", cmd_fa,
	  N_("depreciate --period YYYY-MM | dispose CODE --date DATE [--proceeds X] [--account A]"),
	  N_("fixed assets: post a month's depreciation; dispose of an asset") },
	{ "report", cmd_report,
	  N_("list | NAME [--param K=V]... [--format text|csv|pdf] [--output FILE | --print]"),
	  N_("run a report: paginated text, CSV or PDF") },
	{ "print", cmd_print, N_("FILE [--printer P] [--title T] | status [--all]"),
	  N_("print a file through the daemon; list print jobs") },
	{ "ui", cmd_ui, N_("[--forms DIR] [CODE [RECORD]]"),
	  N_("open the screens (the default without a command)") },
	{ "forms", cmd_forms, N_("check [--forms DIR]"),
	  N_("check the screen definitions") },
};

static void usage(FILE *f)
{
	fprintf(f, _("Usage: kontor [--config FILE] [--home DIR] [COMMAND [ARGS]]\n"
		     "       kontor --help | --version\n\n"
		     "Kontor runs a company's ERP and CRM in the terminal.\n\n"
		     "Commands:\n"));
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  %-8s %s\n  %-8s   %s\n", commands[i].name,
			_(commands[i].args), "", _(commands[i].summary));
	fprintf(f, _("\nOptions:\n"
		     "  --config FILE  read FILE instead of $KONTOR_CONF or %s/kontor.conf\n"
		     "  --home DIR     use the database in DIR (overrides the config)\n"
		     "  --help         show this help; 'kontor COMMAND --help' for a command\n"
		     "  --version      show the version\n\n"
		     "See kontor(1) and kontor.conf(5).\n"), SYSCONFDIR);
}

/*
 * The daemon evicts every process (SIGUSR1) when the database needs
 * recovery; we may be inside Berkeley DB, so say so and leave at once
 * (only async-signal-safe calls here).  Nothing half-done stays: the
 * recovery rolls back what we had not committed.
 */
static void on_evict(int sig)
{
	static const char msg[] =
		"kontor: the database is being recovered (a process died "
		"inside it); run the command again\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
		_exit(EX_TEMPFAIL);
	_exit(EX_TEMPFAIL);
}

int cli_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "home", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { 0 };
	int opt, status;

	setlocale(LC_ALL, "");
	signal(SIGUSR1, on_evict);
#if ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
#endif
	while ((opt = getopt_long(argc, argv, "+c:H:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			c.config_path = optarg;
			break;
		case 'H':
			free(c.home);
			c.home = strdup(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("kontor %s\n", PACKAGE_VERSION);
			return 0;
		default:
			fprintf(stderr, _("Try 'kontor --help'.\n"));
			return EX_USAGE;
		}
	}
	cli_argv = argv;
	if (!cli_schemas) {
		cli_schemas = ent_schemas;
		cli_nschemas = ent_nschemas;
	}
	if (optind >= argc) {
		/* No command: the screens. */
		status = cmd_ui(&c, 1, (char *[]){ "ui", NULL });
		cli_close(&c);
		kconf_free(&c.conf);
		free(c.home);
		return status;
	}
	const char *name = argv[optind];
	if (strcmp(name, "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		if (strcmp(commands[i].name, name) == 0) {
			optind++;
			status = commands[i].run(&c, argc - optind + 1,
						 argv + optind - 1);
			cli_close(&c);
			kconf_free(&c.conf);
			free(c.home);
			return status;
		}
	}
	/* "kontor PA" = "kontor ui PA": a fast-path code is upper case. */
	if (name[0] >= 'A' && name[0] <= 'Z') {
		status = cmd_ui(&c, argc - optind + 1, argv + optind - 1);
		cli_close(&c);
		kconf_free(&c.conf);
		free(c.home);
		return status;
	}
	fprintf(stderr, _("kontor: unknown command '%s'; try 'kontor --help'\n"),
		name);
	free(c.home);
	return EX_USAGE;
}
