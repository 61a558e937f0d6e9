/*
 * date.c - calendar dates as days since 1970-01-01, proleptic Gregorian.
 *
 * The conversions use the civil-from-days scheme: shift the year to
 * start on March 1 (so the leap day is the last day of the year), split
 * time into 400-year eras of 146097 days, and count within an era.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "base/i18n.h"

/* 0001-01-01 and 9999-12-31 as day numbers. */
#define DATE_FIRST (-719162)
#define DATE_LAST  2932896

bool date_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && date_is_leap(year))
		return 29;
	return days[month - 1];
}

/* Day number of y-m-d, for any y (no range check). */
static int64_t date_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;                            /* 0..399 */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0..365 */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;    /* 0..146096 */
	return era * 146097 + doe - 719468;
}

/* y-m-d of a day number (no range check). */
static void date_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;                                    /* days since 0000-03-01 */
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;                         /* 0..146096 */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  /* 0..365 */
	mp = (5 * doy + 2) / 153;                       /* 0 = March */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int date_from_ymd(int y, int m, int d, kdate *out)
{
	if (y < 1 || y > 9999 || d < 1 || d > date_days_in_month(y, m))
		return K_EINVAL;
	if (out != NULL)
		*out = (kdate)date_days_from_civil(y, m, d);
	return K_OK;
}

/*
 * DATE_NONE, and any day outside 0001-01-01..9999-12-31, gives 0-0-0.
 * Any of y, m, day may be NULL.
 */
void date_to_ymd(kdate d, int *y, int *m, int *day)
{
	int64_t yy = 0;
	int mm = 0, dd = 0;

	if (d >= DATE_FIRST && d <= DATE_LAST)
		date_civil_from_days(d, &yy, &mm, &dd);
	if (y != NULL)
		*y = (int)yy;
	if (m != NULL)
		*m = mm;
	if (day != NULL)
		*day = dd;
}

static int date_digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int date_parse(const char *s, kdate *out, struct kerr *err)
{
	size_t len;
	int y, m, d, qlen;

	if (s == NULL || s[0] == '\0')
		return kerr_set(err, K_EINVAL, "date", _("no date given"));
	len = strlen(s);
	/* quote at most 60 bytes, not cutting a character in two */
	qlen = len > 60 ? 60 : (int)len;
	while ((size_t)qlen < len && qlen > 0 &&
	       ((unsigned char)s[qlen] & 0xC0) == 0x80)
		qlen--;

	if (len == 10 && s[4] == '-' && s[7] == '-') {
		y = date_digits(s, 4);
		m = date_digits(s + 5, 2);
		d = date_digits(s + 8, 2);
	} else if (len == 8) {
		y = date_digits(s, 4);
		m = date_digits(s + 4, 2);
		d = date_digits(s + 6, 2);
	} else {
		y = m = d = -1;
	}
	if (y < 0 || m < 0 || d < 0)
		return kerr_set(err, K_EINVAL, "date",
				_("\"%.*s\" is not a date (use YYYY-MM-DD)"),
				qlen, s);
	if (date_from_ymd(y, m, d, out) != K_OK)
		return kerr_set(err, K_EINVAL, "date",
				_("no such date: \"%.*s\""), qlen, s);
	return K_OK;
}

/*
 * A day outside 0001-01-01..9999-12-31 (other than DATE_NONE) is
 * written "####-##-##"; a buf shorter than DATE_BUFSZ gets "".
 */
char *date_format(kdate d, char *buf, size_t n)
{
	int y, m, dd;

	if (buf == NULL || n == 0)
		return buf;
	buf[0] = '\0';
	if (d == DATE_NONE || n < DATE_BUFSZ)
		return buf;
	if (d < DATE_FIRST || d > DATE_LAST) {
		memcpy(buf, "####-##-##", DATE_BUFSZ);
		return buf;
	}
	date_to_ymd(d, &y, &m, &dd);
	snprintf(buf, n, "%04d-%02d-%02d", y, m, dd);
	return buf;
}

/* 0 for DATE_NONE. */
int date_weekday(kdate d)
{
	int64_t w;

	if (d == DATE_NONE)
		return 0;
	/* 1970-01-01 was a Thursday (4) */
	w = ((int64_t)d + 3) % 7;
	if (w < 0)
		w += 7;
	return (int)w + 1;
}

/* DATE_NONE when d is DATE_NONE or the result leaves 0001..9999. */
kdate date_add_months(kdate d, int months)
{
	int y, m, day, dim;
	int64_t idx;
	kdate r;

	if (d < DATE_FIRST || d > DATE_LAST)
		return DATE_NONE;
	date_to_ymd(d, &y, &m, &day);
	idx = (int64_t)y * 12 + (m - 1) + months;
	if (idx < 12 || idx > 9999 * 12 + 11)
		return DATE_NONE;
	y = (int)(idx / 12);
	m = (int)(idx % 12) + 1;
	dim = date_days_in_month(y, m);
	if (day > dim)
		day = dim;
	if (date_from_ymd(y, m, day, &r) != K_OK)
		return DATE_NONE;
	return r;
}

/* DATE_NONE for DATE_NONE (and any day outside 0001..9999). */
kdate date_month_start(kdate d)
{
	int y, m, day;

	if (d < DATE_FIRST || d > DATE_LAST)
		return DATE_NONE;
	date_to_ymd(d, &y, &m, &day);
	return d - (day - 1);
}

kdate date_month_end(kdate d)
{
	int y, m, day;

	if (d < DATE_FIRST || d > DATE_LAST)
		return DATE_NONE;
	date_to_ymd(d, &y, &m, &day);
	return d + (date_days_in_month(y, m) - day);
}

/*
 * A KONTOR_TODAY that is not a valid YYYY-MM-DD is ignored (the clock
 * is used); DATE_NONE only when the clock itself fails.
 */
kdate date_today(void)
{
	const char *pin = getenv("KONTOR_TODAY");
	struct tm tm;
	time_t now;
	kdate d;

	if (pin != NULL && date_parse(pin, &d, NULL) == K_OK)
		return d;
	now = time(NULL);
	tzset();
	if (now == (time_t)-1 || localtime_r(&now, &tm) == NULL)
		return DATE_NONE;
	if (date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &d)
	    != K_OK)
		return DATE_NONE;
	return d;
}

int64_t date_now_us(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return (int64_t)time(NULL) * 1000000;
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Seconds are truncated toward the past; a failure gives "". */
char *date_format_ts(int64_t us, char *buf, size_t n)
{
	int64_t sec;
	time_t t;
	struct tm tm;

	if (buf == NULL || n == 0)
		return buf;
	buf[0] = '\0';
	sec = us / 1000000;
	if (us % 1000000 < 0)
		sec--;
	t = (time_t)sec;
	tzset();
	if (localtime_r(&t, &tm) == NULL)
		return buf;
	if (strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		buf[0] = '\0';
	return buf;
}
