/*
 * fa_calc.c - depreciation schedules: pure integer arithmetic, no I/O.
 *
 * The rules are in fa.h.  Every division goes through num_round_div()
 * (half away from zero); the last month of a span (an asset year for
 * declining and sum-of-years, the life for straight-line, the month the
 * units run out) takes the span's rest, so nothing is lost to rounding.
 * No month is ever negative: a month whose rounded share would pass
 * what is left of its span gets what is left.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "finance/fa.h"

#define MAX_LIFE 1200          /* months: 100 years */

static const char *const method_names[] = {
	[FA_STRAIGHT] = "straight-line",
	[FA_DECLINING] = "declining",
	[FA_DECLINING_CN] = "declining-cn",
	[FA_SYD] = "sum-of-years",
	[FA_UNITS] = "units",
};

static const char *const convention_names[] = {
	[FA_FULL_MONTH] = "full-month",
	[FA_NEXT_MONTH] = "next-month",
};

enum fa_method fa_method_parse(const char *s)
{
	for (int i = FA_STRAIGHT; s && i <= FA_UNITS; i++)
		if (strcmp(s, method_names[i]) == 0)
			return (enum fa_method)i;
	return FA_NONE;
}

const char *fa_method_name(enum fa_method m)
{
	return m >= FA_STRAIGHT && m <= FA_UNITS ? method_names[m] : NULL;
}

enum fa_convention fa_convention_parse(const char *s)
{
	for (int i = FA_FULL_MONTH; s && i <= FA_NEXT_MONTH; i++)
		if (strcmp(s, convention_names[i]) == 0)
			return (enum fa_convention)i;
	return FA_CONV_NONE;
}

const char *fa_convention_name(enum fa_convention c)
{
	return c >= FA_FULL_MONTH && c <= FA_NEXT_MONTH ?
	       convention_names[c] : NULL;
}

int fa_terms_check(const struct fa_terms *t, struct kerr *err)
{
	int64_t one = num_pow10(NUM_RATE_SCALE);

	if (t->acquired == DATE_NONE)
		return kerr_set(err, K_EINVAL, "acquired",
				_("acquired is required: the date the asset was acquired"));
	if (t->cost <= 0)
		return kerr_set(err, K_EINVAL, "cost",
				_("cost must be more than 0"));
	if (t->salvage < 0)
		return kerr_set(err, K_EINVAL, "salvage",
				_("salvage must be 0 or more"));
	if (t->salvage > t->cost)
		return kerr_set(err, K_EINVAL, "salvage",
				_("salvage must not be more than the cost"));
	if (!fa_method_name(t->method))
		return kerr_set(err, K_EINVAL, "method",
				_("method must be straight-line, declining, declining-cn, sum-of-years or units"));
	if (!fa_convention_name(t->convention))
		return kerr_set(err, K_EINVAL, "convention",
				_("convention must be full-month or next-month"));
	if (t->method == FA_UNITS) {
		if (t->total_units <= 0)
			return kerr_set(err, K_EINVAL, "total_units",
					_("total_units must be more than 0 for the units method"));
		if (t->life < 0 || t->life > MAX_LIFE)
			return kerr_set(err, K_EINVAL, "life_months",
					_("life_months must be 1 to %d"), MAX_LIFE);
		for (size_t i = 0; i < t->nusage; i++)
			if (t->usage[i].units < 0 || t->usage[i].month == DATE_NONE)
				return kerr_set(err, K_EINVAL, "usage",
						_("usage %zu: units must be 0 or more"),
						i + 1);
	} else {
		if (t->life <= 0 || t->life > MAX_LIFE)
			return kerr_set(err, K_EINVAL, "life_months",
					_("life_months must be 1 to %d"), MAX_LIFE);
		if (t->method == FA_SYD && t->life % 12)
			return kerr_set(err, K_EINVAL, "life_months",
					_("sum-of-years needs a life of whole years: life_months a multiple of 12, not %d"),
					t->life);
	}
	if (t->rate < 0 || t->rate > one)
		return kerr_set(err, K_EINVAL, "rate",
				_("rate must be above 0 and at most 1 (0.40 is 40%% a year), or empty for 2 / years"));
	return 0;
}

kdate fa_first_month(const struct fa_terms *t)
{
	if (t->acquired == DATE_NONE)
		return DATE_NONE;
	return date_add_months(date_month_start(t->acquired),
			       t->convention == FA_NEXT_MONTH ? 1 : 0);
}

int fa_sched_init(struct fa_sched *s, const struct fa_terms *t,
		  struct kerr *err)
{
	int ret;

	memset(s, 0, sizeof *s);
	if ((ret = fa_terms_check(t, err)))
		return ret;
	s->t = *t;
	s->base = t->cost - t->salvage;
	s->first = fa_first_month(t);
	s->last_usage = DATE_NONE;
	if (t->method == FA_UNITS) {
		for (size_t i = 0; i < t->nusage; i++) {
			kdate m = date_month_start(t->usage[i].month);
			if (s->last_usage == DATE_NONE || m > s->last_usage)
				s->last_usage = m;
		}
		return 0;
	}
	if (t->method == FA_STRAIGHT)
		return num_round_div(s->base, t->life, &s->monthly) ?
		       kerr_set(err, K_ERANGE, "cost", _("amount out of range")) : 0;
	/* Declining: the rate as a fraction rnum / rden a year. */
	if (t->rate) {
		s->rnum = t->rate;
		s->rden = num_pow10(NUM_RATE_SCALE);
	} else {
		s->rnum = 24;           /* 2 / (life / 12) = 24 / life */
		s->rden = t->life;
	}
	return 0;
}

/* Units used in month m (its first day), summed over the entries. */
static int64_t usage_of(const struct fa_terms *t, kdate m)
{
	int64_t u = 0;

	for (size_t i = 0; i < t->nusage; i++)
		if (date_month_start(t->usage[i].month) == m)
			u += t->usage[i].units;
	return u;
}

/*
 * Starts the asset year (or the last, shorter, span of the life) that
 * begins at month s->k: its amount, and the monthly share of it.
 */
static int block_start(struct fa_sched *s)
{
	const struct fa_terms *t = &s->t;
	int remaining = t->life - s->k;
	int m = remaining < 12 ? remaining : 12;
	int64_t left = s->base - s->acc;          /* book - salvage */
	int64_t book = t->cost - s->acc;
	int64_t a;
	int ret = 0;

	if (t->method == FA_SYD) {
		int64_t years = t->life / 12, j = s->k / 12;
		if (j == years - 1)
			a = left;
		else
			ret = num_round_div((__int128)s->base * (years - j),
					    years * (years + 1) / 2, &a);
	} else {
		/*
		 * Declining: straight-line from the year in which the rest
		 * spread over the remaining months gives at least the
		 * declining amount (monthly: left / remaining >= book x
		 * rate / 12), or, in the Chinese variant, in the last two
		 * years.
		 */
		if (!s->straight) {
			if (t->method == FA_DECLINING_CN)
				s->straight = remaining <= 24;
			else
				s->straight = (__int128)left * s->rden * 12 >=
					      (__int128)book * s->rnum * remaining;
		}
		if (s->straight)
			ret = num_round_div((__int128)left * m, remaining, &a);
		else
			ret = num_round_div((__int128)book * s->rnum * m,
					    (__int128)s->rden * 12, &a);
		if (a > left)
			a = left;
	}
	if (ret == 0)
		ret = num_round_div(a, m, &s->monthly);
	if (ret)
		return K_ERANGE;
	s->block_start = s->k;
	s->block_len = m;
	s->block_amount = a;
	s->block_done = 0;
	return 0;
}

int fa_sched_next(struct fa_sched *s, struct fa_month *out)
{
	const struct fa_terms *t = &s->t;
	struct fa_month mm, *m = &mm;
	int64_t amount = 0;
	kdate month;
	bool last = false;
	int ret;

	if (s->done)
		return K_ENOTFOUND;
	month = date_add_months(s->first, s->k);
	memset(m, 0, sizeof *m);
	switch (t->method) {
	case FA_UNITS: {
		int64_t u;
		if (s->last_usage == DATE_NONE || month > s->last_usage ||
		    s->acc >= s->base) {
			s->done = true;
			return K_ENOTFOUND;
		}
		u = usage_of(t, month);
		if ((ret = num_round_div((__int128)s->base * u, t->total_units,
					 &amount)))
			return ret;
		s->units_cum += u;
		if (s->units_cum >= t->total_units ||
		    amount >= s->base - s->acc) {
			amount = s->base - s->acc;
			last = true;
		}
		break;
	}
	case FA_STRAIGHT:
		if (s->k >= t->life) {
			s->done = true;
			return K_ENOTFOUND;
		}
		last = s->k == t->life - 1;
		amount = s->base - s->acc;
		if (!last && s->monthly < amount)
			amount = s->monthly;
		break;
	default:
		if (s->k >= t->life) {
			s->done = true;
			return K_ENOTFOUND;
		}
		if (s->k == s->block_start + s->block_len &&
		    (ret = block_start(s)))
			return ret;
		amount = s->block_amount - s->block_done;
		if (s->k < s->block_start + s->block_len - 1 &&
		    s->monthly < amount)
			amount = s->monthly;
		s->block_done += amount;
		last = s->k == t->life - 1;
		if (last)
			amount = s->base - s->acc;   /* the whole rest */
		m->straight = s->straight;
		break;
	}
	s->acc += amount;
	m->month = month;
	m->index = s->k++;
	m->amount = amount;
	m->accumulated = s->acc;
	m->book = t->cost - s->acc;
	m->last = last;
	if (last)
		s->done = true;
	*out = mm;
	return 0;
}

int fa_sched_range(const struct fa_terms *t, kdate from, kdate to,
		   int64_t *amount, int64_t *accumulated, bool *ends,
		   struct kerr *err)
{
	struct fa_sched s;
	struct fa_month m;
	int ret;

	*amount = *accumulated = 0;
	*ends = false;
	from = date_month_start(from);
	to = date_month_start(to);
	if ((ret = fa_sched_init(&s, t, err)))
		return ret;
	while ((ret = fa_sched_next(&s, &m)) == 0 && m.month <= to) {
		if (m.month >= from)
			*amount += m.amount;
		*accumulated = m.accumulated;
		if (m.last)
			*ends = true;
	}
	if (ret == K_ENOTFOUND || ret == 0)
		return 0;
	return kerr_set(err, ret, "cost", _("amount out of range"));
}
