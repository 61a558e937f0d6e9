/*
 * fa.h - fixed assets: asset classes, the asset register, monthly
 * depreciation schedules, the monthly depreciation run and disposal.
 *
 * The schedule (fa_calc.c) is pure arithmetic on integers: no I/O, no
 * double.  Every amount is MONEY (scale 2) and is rounded by
 * num_round_div() (half away from zero), the one rounding rule of the
 * program; the last month of an asset's life takes what is left, so
 * that the months add up to cost - salvage exactly.
 *
 *   straight-line   cost - salvage over the months of the life: every
 *                   month round(base / life), the last month the rest.
 *   declining       a fixed annual rate of the book value at the start
 *                   of each year of the asset's life (the rate given,
 *                   or 2 / years: double-declining), switching to
 *                   straight-line over the remaining life from the year
 *                   in which that gives at least as much (the textbook
 *                   rule); never below salvage.
 *   declining-cn    the Chinese 双倍余额递减法: declining balance, and
 *                   straight-line over the last two years of the life
 *                   whatever the comparison says.
 *   sum-of-years    year j of Y (life in whole years) takes
 *                   (Y - j + 1) / (Y (Y + 1) / 2) of cost - salvage.
 *   units           (cost - salvage) x units used in the month / total
 *                   units; the month in which the units used reach the
 *                   total takes the rest.
 *
 * Declining and sum-of-years compute an amount per year of the asset's
 * life (12 months from its first month: an asset year, not the fiscal
 * year), rounded once, so the yearly figures are the textbook table's
 * to the cent; a year's amount is spread as round(year / 12) a month,
 * the year's last month taking the year's rest.
 *
 * The first month follows the convention: full-month depreciates the
 * month of acquisition; next-month starts the month after it (the
 * Chinese rule 当月增加当月不提, 当月减少当月照提).  The same convention
 * decides the month of disposal: next-month depreciates it, full-month
 * does not.
 *
 * The run (fa_depreciate) posts one journal entry a period, source "fa",
 * source_ref "FA YYYY-MM": a debit per expense account and department
 * (the department is the line's cost centre) and a credit per
 * accumulated-depreciation account.  Periods are run in order; a run
 * is recorded in table farun, and running a period again posts nothing.
 */
#ifndef KONTOR_FINANCE_FA_H
#define KONTOR_FINANCE_FA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/kerr.h"
#include "masters/entity.h"
#include "store/store.h"

/* ------------------------------------------------------- the schedule */

enum fa_method {
	FA_NONE = 0,
	FA_STRAIGHT,            /* "straight-line" */
	FA_DECLINING,           /* "declining" */
	FA_DECLINING_CN,        /* "declining-cn" */
	FA_SYD,                 /* "sum-of-years" */
	FA_UNITS,               /* "units" */
};

enum fa_convention {
	FA_CONV_NONE = 0,
	FA_FULL_MONTH,          /* "full-month" */
	FA_NEXT_MONTH,          /* "next-month" */
};

/* Units of production used in one month. */
struct fa_usage {
	kdate month;            /* any day of the month */
	int64_t units;          /* QTY, >= 0 */
};

/* What a schedule is computed from (an asset's terms). */
struct fa_terms {
	kdate acquired;
	int64_t cost, salvage;  /* MONEY, 0 <= salvage <= cost, cost > 0 */
	int life;               /* months, 1..1200; units: not used */
	enum fa_method method;
	int64_t rate;           /* RATE, declining: the annual rate, 0 < rate
				   <= 1; 0 = 2 / (life / 12), exactly */
	enum fa_convention convention;
	int64_t total_units;    /* QTY, units: > 0 */
	const struct fa_usage *usage;   /* units: the months' usage */
	size_t nusage;
};

/* One month of a schedule. */
struct fa_month {
	kdate month;            /* its first day */
	int index;              /* 0 = the first month depreciated */
	int64_t amount;         /* MONEY, this month's depreciation */
	int64_t accumulated;    /* MONEY, through this month */
	int64_t book;           /* cost - accumulated */
	bool last;              /* the schedule ends with it: fully
				   depreciated */
	bool straight;          /* declining: straight-line by now (the
				   first such month is the switch) */
};

/* An iterator over a schedule; fields are private. */
struct fa_sched {
	struct fa_terms t;
	int64_t base, acc, rnum, rden, monthly, units_cum;
	int k;                  /* next month's index */
	kdate first, last_usage;
	int block_start, block_len;
	int64_t block_amount, block_done;
	bool straight, done;
};

/* Names <-> values; 0 / NULL for unknown ones. */
enum fa_method fa_method_parse(const char *s);
const char *fa_method_name(enum fa_method m);
enum fa_convention fa_convention_parse(const char *s);
const char *fa_convention_name(enum fa_convention c);

/*
 * Checks terms: K_EINVAL with err->field naming the asset field at
 * fault ("salvage", "life_months", "rate", "total_units", ...).
 */
int fa_terms_check(const struct fa_terms *t, struct kerr *err);

/* The first month depreciated (its first day); DATE_NONE without a date. */
kdate fa_first_month(const struct fa_terms *t);

/*
 * Starts a schedule (fa_terms_check first).  t->usage must stay valid
 * while the iterator is used.
 */
int fa_sched_init(struct fa_sched *s, const struct fa_terms *t,
		  struct kerr *err);

/*
 * The next month into *m: 0, or K_ENOTFOUND (*m untouched) after the
 * last one (the end of the life; for units, the fully depreciated
 * month or the last month with usage recorded: later months are 0
 * until more usage is recorded).  K_ERANGE when an amount does not
 * fit.
 */
int fa_sched_next(struct fa_sched *s, struct fa_month *m);

/*
 * The depreciation of the months from..to (first days, inclusive) of
 * the schedule, into *amount; *accumulated gets the schedule's
 * accumulated depreciation through `to` and *ends whether the schedule
 * ends in or before `to`.  Months outside the schedule count 0.
 */
int fa_sched_range(const struct fa_terms *t, kdate from, kdate to,
		   int64_t *amount, int64_t *accumulated, bool *ends,
		   struct kerr *err);

/* ----------------------------------------------------------- records */

/* An asset class: the defaults of the assets in it. */
struct faclass {
	struct store_rec h;
	char *code;              /* "MACH" */
	char *name;              /* "机器设备", required */
	char *method;            /* see fa_method_parse; default straight-line */
	int64_t life_months;     /* default useful life, 0 = none */
	int64_t rate;            /* RATE, declining: 0 = 2 / years */
	char *convention;        /* full-month | next-month (default) */
	int64_t asset_account;   /* REF account: cost (1601 固定资产) */
	int64_t depr_account;    /* REF account: accumulated depreciation
				    (1602 累计折旧) */
	int64_t expense_account; /* REF account: depreciation expense
				    (6602 管理费用, 5101 制造费用, ...) */
	char *status;            /* active | blocked */
};

/* Units of production used in one period (element of asset.usage). */
struct fa_use {
	struct store_elem e;
	char *period;            /* "2026-03" */
	int64_t units;           /* QTY, >= 0 */
};

/*
 * A fixed asset.  Empty method, life, rate, convention and accounts
 * take the class's when the record is checked.  accumulated,
 * depreciated_to and status are kept by the depreciation run and by
 * disposal: an import may set them (the opening depreciation of an
 * asset brought over from another system), an edit may not change
 * them.  Once depreciated, the terms the schedule depends on (date,
 * cost, salvage, life, method, rate, convention, total units, the asset
 * and accumulated-depreciation accounts, the usage of months already
 * depreciated) are fixed.
 */
struct asset {
	struct store_rec h;
	char *code;              /* "FA-0001" */
	char *name;              /* required, CJK allowed */
	int64_t class;           /* REF faclass, required */
	kdate acquired;          /* required */
	int64_t cost;            /* MONEY, > 0 */
	int64_t salvage;         /* MONEY, 0..cost */
	int64_t life_months;     /* 1..1200 (units: optional) */
	char *method;
	int64_t rate;            /* RATE */
	char *convention;
	int64_t total_units;     /* QTY, units method */
	struct store_list usage; /* struct fa_use, units method */
	int64_t asset_account, depr_account, expense_account;  /* REF account */
	char *location;          /* where it stands, free text */
	int64_t department;      /* REF department: the cost centre */
	char *status;            /* active | fully-depreciated | disposed */
	int64_t accumulated;     /* MONEY, depreciation posted so far */
	char *depreciated_to;    /* "2026-03": the last month posted */
	kdate disposal_date;     /* disposal: set before the action, or by
				    fa_dispose */
	int64_t proceeds;        /* MONEY received for it */
	int64_t proceeds_account;  /* REF account; 0 = role "bank" */
};

/*
 * A depreciation run: one per period, made by fa_depreciate (or saved
 * as a draft from the screen, then posted with its action).
 */
struct farun {
	struct store_rec h;
	char *code;              /* the period: "2026-03" */
	char *status;            /* draft | posted */
	int64_t journal;         /* REF journal: the entry posted (0: none,
				    nothing to post that month) */
	int64_t assets;          /* assets depreciated */
	int64_t amount;          /* MONEY, the entry's total */
};

extern const struct store_schema faclass_schema, asset_schema,
	fa_use_schema, farun_schema;
extern const struct entity faclass_entity, asset_entity, farun_entity;

/* The terms of an asset as its record holds them (usage: *buf, freed
   by the caller with free()). */
int fa_asset_terms(const struct asset *a, struct fa_terms *t,
		   struct fa_usage **buf, struct kerr *err);

/* ---------------------------------------------------------- postings */

/* What fa_depreciate did. */
struct fa_run_result {
	bool already;            /* the period had been run: nothing posted */
	char journal[32];        /* the entry's code, "" when none */
	int assets;              /* assets depreciated */
	int fully;               /* of them, fully depreciated now */
	int64_t amount;          /* MONEY, the entry's total */
};

/*
 * Posts the depreciation of period `period` ("2026-03") in one
 * transaction: for every active asset, each month from the one after
 * its depreciated_to (or its first month) through the period (months
 * missed because the asset was entered late are caught up in this
 * run), in one journal entry dated the period's last day; the assets'
 * accumulated, depreciated_to and status; and the farun record.
 * A period run before posts nothing (*r says so, and names the entry).
 * Refused: an unknown or closed period; a period after a month not yet
 * run ("run 2026-02 first"); a period before the last run.
 */
int fa_depreciate(struct store *st, const char *period,
		  struct fa_run_result *r, struct kerr *err);

/* What fa_dispose posted. */
struct fa_disposal {
	char journal[32];        /* the entry's code */
	int64_t depreciation;    /* MONEY: months caught up first */
	int64_t book;            /* book value at disposal */
	int64_t gain;            /* proceeds - book (negative: a loss) */
};

/*
 * Disposes of asset `code` on `date` for `proceeds` (MONEY, >= 0) paid
 * into account `account` (an id; 0 = role "bank"), in one transaction:
 * first the depreciation due up to the disposal month (the convention
 * says whether that month counts), then the removal: Dr accumulated
 * depreciation, Cr asset cost, Dr proceeds, and the difference Cr role
 * "fa-gain" or Dr role "fa-loss"; the asset becomes disposed.  One
 * journal entry dated `date`, source "fa", source_ref "FA DISPOSAL
 * CODE".  *out may be NULL.
 */
int fa_dispose(struct store *st, const char *code, kdate date,
	       int64_t proceeds, int64_t account, struct fa_disposal *out,
	       struct kerr *err);

/* ------------------------------------------------------------ reports */

/* kontor report asset-register / depreciation-schedule (fa_reports.c). */
struct report;
extern const struct report report_asset_register;
extern const struct report report_depreciation_schedule;

#endif
