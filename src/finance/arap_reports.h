/*
 * arap_reports.h - the receivables and payables reports (definitions
 * and row sources in finance/arap_reports.c), listed in report_all[] by
 * report/report.c.
 */
#ifndef KONTOR_FINANCE_ARAP_REPORTS_H
#define KONTOR_FINANCE_ARAP_REPORTS_H

#include "base/date.h"
#include "report/report.h"

/* kontor report ar-aging / ap-aging: open amounts as of a date by age. */
extern const struct report report_ar_aging, report_ap_aging;
/* kontor report customer-statement / supplier-statement: one party. */
extern const struct report report_customer_statement,
	report_supplier_statement;
/* kontor report dunning: the letters of a dunning run. */
extern const struct report report_dunning;

/*
 * The aging column an amount due on `due` falls in on day asof: 2
 * current (not yet due, or due that day), 3 1-30 days past due, 4
 * 31-60, 5 61-90, 6 over 90 (the report's column numbers).
 */
int arap_aging_bucket(kdate due, kdate asof);

#endif
