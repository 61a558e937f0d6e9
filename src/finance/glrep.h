/*
 * glrep.h - what the general ledger shows and exchanges: its reports
 * (finance/gl_reports.c, listed in report_all[] by report/report.c),
 * the posted ledger as a plain-text accounting journal for hledger
 * (finance/ledger_export.c) and journal entries imported from CSV
 * (finance/journal_import.c).
 *
 * Everything here reads or posts through gl.h and the store: reports
 * read the balance table (glbal) wherever a balance is enough and the
 * journal only for lines; the export streams from one snapshot; the
 * import posts every entry through gl_post() in one transaction.
 */
#ifndef KONTOR_FINANCE_GLREP_H
#define KONTOR_FINANCE_GLREP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/kerr.h"
#include "masters/csvio.h"
#include "report/report.h"
#include "store/store.h"

/* kontor report trial-balance: per account opening, debit, credit, closing. */
extern const struct report report_trial_balance;
/* kontor report general-ledger: per account every line, running balance. */
extern const struct report report_general_ledger;
/* kontor report journal: the day book, entries with their lines. */
extern const struct report report_journal;
/* kontor report balance-sheet: 资产负债表 or the IFRS statement. */
extern const struct report report_balance_sheet;
/* kontor report income-statement: 利润表 or the IFRS statement. */
extern const struct report report_income_statement;
/* kontor report cost-centres: per cost centre and account. */
extern const struct report report_cost_centres;

/* The chart a database was made with (gl_chart). */
enum gl_chart { GL_CHART_CN, GL_CHART_IFRS };

/*
 * Which chart of accounts the database uses: the "chart" setting that
 * `kontor db init --chart` records (store_meta), else guessed from the
 * accounts present (4103 本年利润 is the Chinese chart's, 3200 Retained
 * earnings the IFRS one's), else the Chinese chart.
 */
enum gl_chart gl_chart_of(struct store_txn *t);

/*
 * Writes every posted journal entry, in date order, read in one
 * snapshot, as an hledger journal: account directives for the chart
 * (the tree as "1 资产类:1122 应收账款", with the account's type), then
 * one transaction an entry with its base-currency amounts in commodity
 * (kontor.conf's base currency, "CNY").  *entries (may be NULL) gets
 * how many entries were written.  Only the entry being written is in
 * memory (and a cache of account names).
 */
int gl_export_ledger(struct store *st, const char *commodity, FILE *out,
		     unsigned long *entries, struct kerr *err);

/*
 * Imports journal entries from the CSV file path (columns entry, date,
 * account, debit, credit, description; optional party, cost_centre,
 * currency, rate, memo), posting each entry with gl_post() inside ONE
 * transaction: when any row or entry is wrong nothing is posted.
 * Consecutive rows with the same `entry` value form one entry; a value
 * that comes back after another entry's rows is an error.  Problems go
 * to errs as "FILE:LINE: column: reason", in line order, and the result
 * is K_EINVAL.  o->dry_run checks and posts, then rolls back.
 * *entries (may be NULL) gets the entries posted (0 unless committed),
 * *rows the data rows read.
 */
int gl_import_journal(struct store *st, const char *path,
		      const struct csvio_opts *o, unsigned long *entries,
		      unsigned long *rows, FILE *errs, struct kerr *err);

#endif
