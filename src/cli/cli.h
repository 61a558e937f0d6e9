/*
 * cli.h - the kontor command: global options, the session every command
 * opens, and the command table.
 */
#ifndef KONTOR_CLI_CLI_H
#define KONTOR_CLI_CLI_H

#include <stdbool.h>

#include "base/kerr.h"
#include "config/conf.h"
#include "config/perm.h"
#include "store/store.h"

struct cli {
	const char *config_path;      /* --config */
	char *home;                   /* --home, or the config's, absolute */
	struct kconf *conf;
	struct perm_user user;
	struct store *st;
};

struct cli_cmd {
	const char *name;
	int (*run)(struct cli *c, int argc, char **argv);
	const char *args;             /* usage after the name */
	const char *summary;
};

/* The tables: every entity's (masters/entity.h) unless a tool set others. */
extern const struct store_schema *const *cli_schemas;
extern size_t cli_nschemas;

/* Prints "kontor: MESSAGE" and returns the exit status for e. */
int cli_fail(const struct kerr *e);

/* Prints a usage error for cmd and returns EX_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Loads kontor.conf (once); 0 or an exit status (78 for config errors). */
int cli_config(struct cli *c);

/* Resolves the database home (--home, $KONTOR_HOME, config); 0 or exit status. */
int cli_home(struct cli *c);

/*
 * Opens the store in mode, resolves the user and checks perm (NULL: no
 * check).  0 or an exit status, after printing the error.
 */
int cli_open(struct cli *c, enum store_mode mode, const char *perm);

/* Closes what cli_open opened. */
void cli_close(struct cli *c);

/* Prints the company summary of an open store. */
int cli_summary(struct cli *c);

/*
 * The folder of the shipped CSV files: $KONTOR_DATA, else the source
 * tree's data/ when the program runs from the tree it was built in,
 * else PKGDATADIR/data.
 */
const char *cli_data_dir(void);

/* Imports FILE of cli_data_dir() into entity; 0 or an exit status. */
int cli_load(struct cli *c, const char *entity, const char *file);

/*
 * Loads a shipped chart of accounts, "cn" or "ifrs", with its
 * currencies, taxes and payment terms into the open store; 0 or an
 * exit status.
 */
int cli_load_chart(struct cli *c, const char *chart);
/* Records the chart and the base currency in the store's meta table. */
int cli_set_chart(struct cli *c, const char *chart);

/* Starts the daemon for c->home in the background and waits until ready. */
int cli_daemon_start(struct cli *c, bool quiet);

/* The largest N of kontor demo --scale. */
#define DEMO_SCALE_MAX 1000000L

/*
 * Generates the company of kontor demo --scale n into the new database
 * open in c->st (demo_scale.c): customers, suppliers, items, posted
 * invoices, receipts, payments and entries, with a progress line on
 * standard error unless quiet.  0 or an exit status, after printing
 * the error.
 */
int demo_scale_run(struct cli *c, long n, bool quiet);

/* Commands. */
int cmd_db(struct cli *c, int argc, char **argv);
int cmd_daemon(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_history(struct cli *c, int argc, char **argv);
int cmd_period(struct cli *c, int argc, char **argv);
int cmd_fa(struct cli *c, int argc, char **argv);
int cmd_gl(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_print(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_ui(struct cli *c, int argc, char **argv);
int cmd_forms(struct cli *c, int argc, char **argv);
int cmd_ar(struct cli *c, int argc, char **argv);
int cmd_ap(struct cli *c, int argc, char **argv);

/* main's argv, to start again in place after an eviction. */
extern char **cli_argv;

/* The kontor command; returns its exit status. */
int cli_main(int argc, char **argv);

/* Set by SIGTERM/SIGINT/SIGHUP handlers; the daemon stops on it. */
extern volatile int cli_stop;

#endif
