/*
 * reports.h - the reports on the master records: their definitions and
 * row sources (masters/reports.c), listed in report_all[] by
 * report/report.c.
 *
 * The sources are domain code: they walk the tables with cursors inside
 * the snapshot transaction report_run() gives them and emit one row at
 * a time; they never load a table.  They use report/report.h for the
 * vocabulary of a report (struct report, struct rrow, remit_fn) and call
 * nothing of the report engine.
 */
#ifndef KONTOR_MASTERS_REPORTS_H
#define KONTOR_MASTERS_REPORTS_H

#include "report/report.h"

/* kontor report parties: parties in code order. */
extern const struct report report_parties;
/* kontor report items: items by category. */
extern const struct report report_items;
/* kontor report accounts: the chart of accounts as a tree. */
extern const struct report report_accounts;

#endif
