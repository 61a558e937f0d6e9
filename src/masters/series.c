/*
 * series.c - number series: how documents of one type are numbered
 * (prefix, digits, gap-free), and taking the next number inside a
 * posting transaction.
 *
 * The next number is the store's counter "series.CODE" (ops.h says
 * why and how the record's `next` relates to it).  Three entity steps
 * keep them together: the rules check a new `next` against the counter
 * (series_validate, read only, so an importer may run it anywhere), the
 * apply step sets the counter in the saving transaction (series_apply),
 * and the fill step shows the counter in a record just read
 * (series_fill).
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/num.h"
#include "masters/entity.h"
#include "masters/ops.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define DOC_TYPE_MAX 40
#define PREFIX_MAX 20

/* Shared inside the family (party.c, entity.c). */
size_t ent_text_chars(const char *s);
int masters_check_code(const char *code, struct kerr *err);
int masters_check_name(const char *field, const char *s, struct kerr *err);
int masters_check_status(const char *s, struct kerr *err);
int series_validate(struct store_txn *t, const struct entity *e, void *rec,
		    struct kerr *err);
int series_apply(struct store_txn *t, const struct entity *e, void *rec,
		 struct kerr *err);
int series_fill(struct store_txn *t, const struct entity *e, void *rec,
		struct kerr *err);

/* ------------------------------------------------------------- schema */

#define S(tag, name, type) \
	{ tag, #name, type, offsetof(struct series, name), NULL, NULL }

/* Tags are forever: new fields take the next number, at the end. */
static const struct store_field series_fields[] = {
	S(1, code, SF_TEXT),
	S(2, name, SF_TEXT),
	S(3, doc_type, SF_TEXT),
	S(4, prefix, SF_TEXT),
	S(5, width, SF_INT),
	S(6, gap_free, SF_BOOL),
	S(7, next, SF_INT),
	S(8, status, SF_TEXT),
};
#undef S

static const struct store_index series_ix[] = {
	{ "code", STORE_IX_UNIQUE, { "code" } },
	{ "name", STORE_IX_FOLD, { "name" } },
	{ "doc_type", STORE_IX_FOLD, { "doc_type" } },
};

const struct store_schema series_schema = {
	"series", 1, sizeof(struct series), series_fields,
	NELEM(series_fields), series_ix, NELEM(series_ix), 0,
};

static const struct ent_hook series_hooks[] = {
	{ "series_validate", HOOK_VALIDATE, "series", series_validate, NULL,
	  NULL, NULL },
};

/* next has no default: 0 leaves the counter as it is. */
static const struct ent_default series_defaults[] = {
	{ "width", "6" },
	{ "status", "active" },
};

const struct entity series_entity = {
	.name = "series",
	.title = N_("Number series"),
	.schema = &series_schema,
	.code_field = "code",
	.code_index = "code",
	.name_field = "name",
	.perm = "series",
	.validate = series_validate,
	.change = NULL,
	.refs = NULL,
	.nrefs = 0,
	.hooks = series_hooks,
	.nhooks = NELEM(series_hooks),
	.defaults = series_defaults,
	.ndefaults = NELEM(series_defaults),
	.apply = series_apply,
	.fill = series_fill,
};

/* ----------------------------------------------------------- counters */

void series_counter_name(const char *code, char *buf, size_t n)
{
	snprintf(buf, n, "series.%s", code ? code : "");
}

int series_next(struct store_txn *t, const char *code, int64_t *next,
		struct kerr *err)
{
	char name[64];
	int ret;

	series_counter_name(code, name, sizeof name);
	if ((ret = store_counter_peek(t, name, next, err)))
		return ret;
	if (*next == 0)
		*next = 1;             /* store_counter_next's first number */
	return 0;
}

/* The highest number width digits hold. */
static int64_t width_max(int64_t width)
{
	if (width < 1)
		width = 1;
	if (width > SERIES_MAX_WIDTH)
		width = SERIES_MAX_WIDTH;
	return num_pow10((int)width) - 1;
}

/* -------------------------------------------------------------- rules */

static bool same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/*
 * What a save of s would do to its counter: *cur is the number the
 * series gives now.  Numbers below it may have been given, so a next
 * below it is refused (on a series that is not gap-free, unless the
 * prefix changes with it), and so is a new code once the counter has
 * moved.
 */
static int plan(struct store_txn *t, const struct series *s, int64_t *cur,
		struct kerr *err)
{
	struct series old;
	bool new_prefix = false;
	int ret;

	memset(&old, 0, sizeof old);
	if (s->h.version) {
		if ((ret = store_get(t, &series_schema, s->h.id, &old, err)))
			goto out;
		new_prefix = !same_text(old.prefix, s->prefix);
		if (!same_text(old.code, s->code)) {
			int64_t given;
			if ((ret = series_next(t, old.code, &given, err)))
				goto out;
			if (given > 1) {
				ret = kerr_set(err, K_EINVAL, "code",
					       _("series %s is at number %" PRId64 ": its code cannot change"),
					       old.code, given);
				goto out;
			}
		}
	}
	if ((ret = series_next(t, s->code, cur, err)))
		goto out;
	if (s->next == 0 || s->next >= *cur)
		goto out;
	if (s->gap_free)
		ret = kerr_set(err, K_EINVAL, "next",
			       _("series %s is gap-free: next cannot go below %" PRId64),
			       s->code, *cur);
	else if (!new_prefix)
		ret = kerr_set(err, K_EINVAL, "next",
			       _("series %s: next cannot go below %" PRId64 " unless the prefix changes"),
			       s->code, *cur);
out:
	store_rec_clear(&series_schema, &old);
	return ret;
}

int series_validate(struct store_txn *t, const struct entity *e, void *rec,
		    struct kerr *err)
{
	struct series *s = rec;
	int64_t cur;
	int ret;

	(void)e;
	if ((ret = masters_check_code(s->code, err)) ||
	    (ret = masters_check_name("name", s->name, err)))
		return ret;
	if (!s->doc_type || !*s->doc_type || strpbrk(s->doc_type, " \t"))
		return kerr_set(err, K_EINVAL, "doc_type",
				_("doc_type is required: what the series numbers, one word such as ar.invoice"));
	if (ent_text_chars(s->doc_type) > DOC_TYPE_MAX)
		return kerr_set(err, K_EINVAL, "doc_type",
				_("doc_type is longer than %d characters"),
				DOC_TYPE_MAX);
	if (ent_text_chars(s->prefix) > PREFIX_MAX)
		return kerr_set(err, K_EINVAL, "prefix",
				_("prefix is longer than %d characters"),
				PREFIX_MAX);
	if (s->width < 1 || s->width > SERIES_MAX_WIDTH)
		return kerr_set(err, K_EINVAL, "width",
				_("width must be 1 to %d digits"),
				SERIES_MAX_WIDTH);
	if (s->next < 0)
		return kerr_set(err, K_EINVAL, "next",
				_("next must be 1 or more (0 leaves it as it is)"));
	if (s->next > width_max(s->width))
		return kerr_set(err, K_EINVAL, "next",
				_("next %" PRId64 " has more than %" PRId64 " digits; make the width larger"),
				s->next, s->width);
	if ((ret = masters_check_status(s->status, err)))
		return ret;
	return plan(t, s, &cur, err);
}

/* Runs in the saving transaction, after the rules. */
int series_apply(struct store_txn *t, const struct entity *e, void *rec,
		 struct kerr *err)
{
	struct series *s = rec;
	char name[64];
	int64_t cur;
	int ret;

	(void)e;
	if ((ret = plan(t, s, &cur, err)))
		return ret;
	if (s->next && s->next != cur) {
		series_counter_name(s->code, name, sizeof name);
		if ((ret = store_counter_set(t, name, s->next, err)))
			return ret;
		cur = s->next;
	}
	s->next = cur;         /* the stored record: the counter as saved */
	return 0;
}

int series_fill(struct store_txn *t, const struct entity *e, void *rec,
		struct kerr *err)
{
	struct series *s = rec;

	(void)e;
	if (!s->code || !*s->code)
		return 0;
	return series_next(t, s->code, &s->next, err);
}

/* ------------------------------------------------------------- taking */

int series_take(struct store_txn *t, const char *code, char *buf, size_t n,
		struct kerr *err)
{
	struct series s;
	char name[64];
	int64_t num;
	int ret, len, w;

	memset(&s, 0, sizeof s);
	/* not ent_get_code: its fill would read-lock the counter's row */
	ret = store_find_text(t, &series_schema, "code", code ? code : "", &s,
			      err);
	if (ret == K_ENOTFOUND)
		kerr_set(err, ret, "series", _("no number series with code %s"),
			 code ? code : "");
	if (ret)
		goto out;
	if (!s.status || strcmp(s.status, "active") != 0) {
		ret = kerr_set(err, K_EINVAL, "series",
			       _("number series %s is blocked"), s.code);
		goto out;
	}
	series_counter_name(s.code, name, sizeof name);
	if ((ret = store_counter_next(t, name, &num, err)))
		goto out;
	if (num > width_max(s.width)) {
		ret = kerr_set(err, K_ERANGE, "series",
			       _("number series %s is used up: %" PRId64 " has more than %" PRId64 " digits"),
			       s.code, num, s.width);
		goto out;
	}
	w = s.width < 1 ? 1 : s.width > SERIES_MAX_WIDTH ? SERIES_MAX_WIDTH :
							   (int)s.width;
	len = snprintf(buf, n, "%s%0*" PRId64, s.prefix ? s.prefix : "", w,
		       num);
	if (len < 0 || (size_t)len >= n)
		ret = kerr_set(err, K_ERANGE, "series",
			       _("the number %s%0*" PRId64 " is longer than %zu characters"),
			       s.prefix ? s.prefix : "", w, num,
			       n ? n - 1 : 0);
out:
	store_rec_clear(&series_schema, &s);
	return ret;
}
