/*
 * date.h - calendar dates as days since 1970-01-01 (int32_t), proleptic
 * Gregorian, for years 0001..9999.  ISO 8601 (YYYY-MM-DD) at every
 * boundary.
 */
#ifndef KONTOR_BASE_DATE_H
#define KONTOR_BASE_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/kerr.h"

typedef int32_t kdate;

#define DATE_NONE INT32_MIN          /* "no date" */
#define DATE_BUFSZ 11                /* "YYYY-MM-DD" + NUL */

bool date_is_leap(int year);
int date_days_in_month(int year, int month);   /* 0 if month invalid */

/* 0 or K_EINVAL when y/m/d is not a real date in 1..9999. */
int date_from_ymd(int y, int m, int d, kdate *out);
void date_to_ymd(kdate d, int *y, int *m, int *day);

/*
 * Parses "YYYY-MM-DD" exactly (also accepts "YYYYMMDD").  K_EINVAL with
 * a message naming the text for anything else, including 2023-02-29.
 */
int date_parse(const char *s, kdate *out, struct kerr *err);

/* Writes "YYYY-MM-DD" (or "" for DATE_NONE); returns buf. */
char *date_format(kdate d, char *buf, size_t n);

/* 1 = Monday .. 7 = Sunday (ISO). */
int date_weekday(kdate d);

/* Adds months, clamping the day to the month's end (Jan 31 + 1 = Feb 28/29). */
kdate date_add_months(kdate d, int months);

kdate date_month_start(kdate d);
kdate date_month_end(kdate d);

/*
 * Today in local time.  The environment variable KONTOR_TODAY
 * (YYYY-MM-DD) pins it, so tests are stable.
 */
kdate date_today(void);

/* Microseconds since the epoch (UTC), for timestamps. */
int64_t date_now_us(void);

/* Formats a microsecond timestamp as "YYYY-MM-DD HH:MM:SS" local time. */
char *date_format_ts(int64_t us, char *buf, size_t n);

#endif
