/*
 * entity.c - the entity registry, field text conversion, and the save
 * and delete paths every screen, command and importer goes through.
 *
 * Field values cross every boundary as text (entity.h).  Amounts are
 * parsed by num_parse() with the scale of the field's type and never
 * pass through a double; references are the codes of the referenced
 * entity, looked up through its unique code index.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"
#include "base/num.h"
#include "base/utf8.h"
#include "finance/fa.h"
#include "masters/entity.h"
#include "masters/fin.h"
#include "masters/masters.h"
#include "masters/ops.h"
#include "finance/gl.h"
#include "finance/subledger.h"
#include "finance/subledger.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

size_t ent_text_chars(const char *s);

/* ----------------------------------------------------------- registry */

/*
 * Every entity, and every table (a list's element schema is not a
 * table).  A new module adds its entities here; their hooks and
 * defaults travel with them (struct entity).
 */
const struct entity *const ent_all[] = {
	&party_entity, &item_entity,
	&warehouse_entity, &unit_entity, &department_entity, &series_entity,
	&account_entity, &tax_entity, &currency_entity, &rate_entity,
	&terms_entity, &fyear_entity, &period_entity,
	&journal_entity, &glrole_entity, &jtemplate_entity,
	&faclass_entity, &asset_entity, &farun_entity,
	&arinv_entity, &arrcpt_entity, &apinv_entity, &appay_entity,
	&approp_entity,
};
const size_t ent_count = NELEM(ent_all);

const struct store_schema *const ent_schemas[] = {
	&party_schema, &item_schema,
	&warehouse_schema, &unit_schema, &department_schema, &series_schema,
	&account_schema, &tax_schema, &currency_schema, &rate_schema,
	&terms_schema, &fyear_schema, &period_schema,
	&journal_schema, &glbal_schema, &jlinex_schema, &glrole_schema,
	&jtemplate_schema,
	&faclass_schema, &asset_schema, &farun_schema,
	&arinv_schema, &arrcpt_schema, &apinv_schema, &appay_schema,
	&approp_schema, &aritem_schema, &apitem_schema, &aralloc_schema,
	&apalloc_schema, &partybal_schema,
};
const size_t ent_nschemas = NELEM(ent_schemas);

const struct entity *ent_find(const char *name)
{
	for (size_t i = 0; name && i < ent_count; i++)
		if (strcmp(ent_all[i]->name, name) == 0)
			return ent_all[i];
	return NULL;
}

const struct entity *ent_by_table(const char *table)
{
	for (size_t i = 0; table && i < ent_count; i++)
		if (strcmp(ent_all[i]->schema->name, table) == 0)
			return ent_all[i];
	return NULL;
}

static const struct ent_info *const infos[] = {
	&party_credit_info,
};

const struct ent_info *ent_info_find(const char *name)
{
	for (size_t i = 0; name && i < NELEM(infos); i++)
		if (strcmp(infos[i]->name, name) == 0)
			return infos[i];
	return NULL;
}

const struct ent_hook *ent_hook_find(const char *name)
{
	for (size_t e = 0; name && e < ent_count; e++)
		for (size_t i = 0; i < ent_all[e]->nhooks; i++)
			if (strcmp(ent_all[e]->hooks[i].name, name) == 0)
				return &ent_all[e]->hooks[i];
	return NULL;
}

void *ent_new(const struct entity *e)
{
	void *rec = calloc(1, e->schema->size);

	if (!rec)
		return NULL;
	store_rec_clear(e->schema, rec);          /* dates DATE_NONE */
	for (size_t i = 0; i < e->ndefaults; i++) {
		const struct store_field *f;
		if (!(f = store_field_find(e->schema, e->defaults[i].field)))
			continue;
		if (f->type == SF_REF)
			continue;         /* a code: ent_check() resolves it */
		if (ent_field_set(NULL, f, rec, e->defaults[i].value, NULL)) {
			ent_free(e, rec);
			return NULL;
		}
	}
	return rec;
}

void ent_free(const struct entity *e, void *rec)
{
	if (!rec)
		return;
	store_rec_clear(e->schema, rec);
	free(rec);
}

/* -------------------------------------------------------- field text */

static void *fptr(const struct store_field *f, const void *rec)
{
	return (char *)rec + f->offset;
}

static int type_scale(enum store_ftype t)
{
	switch (t) {
	case SF_MONEY: return NUM_MONEY_SCALE;
	case SF_PRICE: return NUM_PRICE_SCALE;
	case SF_QTY:   return NUM_QTY_SCALE;
	case SF_RATE:  return NUM_RATE_SCALE;
	default:       return 0;
	}
}

/* Puts the field's name into err after a lower layer named its own. */
static int refield(struct kerr *err, const struct store_field *f, int ret)
{
	if (err) {
		err->code = ret;
		snprintf(err->field, sizeof err->field, "%s", f->name);
	}
	return ret;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Copies s without leading and trailing blanks into a new string. */
static char *trimmed(const char *s)
{
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n && is_blank(s[n - 1]))
		n--;
	return strndup(s, n);
}

/* Characters (code points) of valid UTF-8 text. */
static size_t text_chars(const char *s)
{
	size_t n = 0, len = strlen(s);
	uint32_t cp;
	int k;

	while ((k = utf8_decode(s, len, &cp)) > 0) {
		s += k;
		len -= (size_t)k;
		n++;
	}
	return n;
}

/* True when valid UTF-8 text s holds a C0 or C1 control character. */
static bool has_control(const char *s)
{
	size_t len = strlen(s);
	uint32_t cp;
	int k;

	while ((k = utf8_decode(s, len, &cp)) > 0) {
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return true;
		s += k;
		len -= (size_t)k;
	}
	return false;
}

/* True when s looks like an amount: digits, sign, '.', ',', parentheses. */
static bool amount_shaped(const char *s)
{
	bool digit = false;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (!strchr(" \t+-.,()", *s))
			return false;
	}
	return digit;
}

static int set_amount(const struct store_field *f, void *rec, const char *s,
		      struct kerr *err)
{
	int64_t v;
	int ret;

	if (!amount_shaped(s))
		return kerr_set(err, K_EINVAL, f->name,
				_("not an amount: %s"), s);
	/* num_parse's reasons name the text: too many decimals, ... */
	if ((ret = num_parse(s, type_scale(f->type), &v, err)))
		return refield(err, f, ret);
	*(int64_t *)fptr(f, rec) = v;
	return 0;
}

static int set_int(const struct store_field *f, void *rec, const char *s,
		   struct kerr *err)
{
	const char *p = s;
	char *end;
	long long v;

	if (*p == '+' || *p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return kerr_set(err, K_EINVAL, f->name,
				_("not a whole number: %s"), s);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end)
		return kerr_set(err, K_EINVAL, f->name,
				_("not a whole number: %s"), s);
	if (errno == ERANGE)
		return kerr_set(err, K_ERANGE, f->name,
				_("number out of range: %s"), s);
	*(int64_t *)fptr(f, rec) = v;
	return 0;
}

static int set_bool(const struct store_field *f, void *rec, const char *s,
		    struct kerr *err)
{
	static const char *const yes[] = { "yes", "true", "y", "1" };
	static const char *const no[] = { "no", "false", "n", "0" };

	for (size_t i = 0; i < NELEM(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*(bool *)fptr(f, rec) = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*(bool *)fptr(f, rec) = false;
			return 0;
		}
	}
	return kerr_set(err, K_EINVAL, f->name,
			_("expected yes or no, not %s"), s);
}

static int set_ref(struct store_txn *t, const struct store_field *f,
		   void *rec, const char *code, struct kerr *err)
{
	const struct entity *re = ent_by_table(f->ref);
	void *tmp;
	int ret;

	if (!re)
		return kerr_set(err, K_EINTERNAL, f->name,
				"%s refers to %s, which is not an entity",
				f->name, f->ref ? f->ref : "(null)");
	if (!t)
		return kerr_set(err, K_EINTERNAL, f->name,
				"%s: a reference needs a transaction", f->name);
	if (!(tmp = calloc(1, re->schema->size)))
		return kerr_set(err, K_ENOMEM, f->name, NULL);
	ret = ent_get_code(t, re, code, tmp, err);
	if (ret == 0)
		*(int64_t *)fptr(f, rec) = ((struct store_rec *)tmp)->id;
	else
		refield(err, f, ret);
	store_rec_clear(re->schema, tmp);
	free(tmp);
	return ret;
}

static void clear_value(const struct store_field *f, void *rec)
{
	void *p = fptr(f, rec);

	switch (f->type) {
	case SF_TEXT:
		free(*(char **)p);
		*(char **)p = NULL;
		break;
	case SF_DATE:
		*(kdate *)p = DATE_NONE;
		break;
	case SF_BOOL:
		*(bool *)p = false;
		break;
	case SF_LIST:
		break;
	default:
		*(int64_t *)p = 0;
		break;
	}
}

int ent_field_set(struct store_txn *t, const struct store_field *f,
		  void *rec, const char *text, struct kerr *err)
{
	char *s = NULL;
	int ret = 0;

	if (!text)
		text = "";
	if (!utf8_valid(text, strlen(text)))
		return kerr_set(err, K_EINVAL, f->name,
				_("not valid UTF-8 text"));
	if (f->type == SF_LIST)
		return kerr_set(err, K_EINVAL, f->name,
				_("%s is a list and cannot be set from text"),
				f->name);
	if (f->type == SF_TEXT) {
		char **p = fptr(f, rec);
		if (has_control(text))
			return kerr_set(err, K_EINVAL, f->name,
					_("control characters (tab, line break, ...) are not allowed"));
		if (*text && !(s = strdup(text)))
			return kerr_set(err, K_ENOMEM, f->name, NULL);
		free(*p);
		*p = s;
		return 0;
	}
	if (!(s = trimmed(text)))
		return kerr_set(err, K_ENOMEM, f->name, NULL);
	if (!*s) {
		clear_value(f, rec);
		goto out;
	}
	switch (f->type) {
	case SF_INT:
		ret = set_int(f, rec, s, err);
		break;
	case SF_MONEY:
	case SF_PRICE:
	case SF_QTY:
	case SF_RATE:
		ret = set_amount(f, rec, s, err);
		break;
	case SF_BOOL:
		ret = set_bool(f, rec, s, err);
		break;
	case SF_DATE: {
		kdate d;
		if ((ret = date_parse(s, &d, err)))
			refield(err, f, ret);
		else
			*(kdate *)fptr(f, rec) = d;
		break;
	}
	case SF_REF:
		ret = set_ref(t, f, rec, s, err);
		break;
	default:
		ret = kerr_set(err, K_EINTERNAL, f->name, "%s: unknown type %d",
			       f->name, (int)f->type);
		break;
	}
out:
	free(s);
	return ret;
}

static char *get_ref(struct store_txn *t, const struct store_field *f,
		     const void *rec, char *buf, size_t n)
{
	int64_t id = *(const int64_t *)fptr(f, rec);
	const struct entity *re = ent_by_table(f->ref);
	const struct store_field *cf;
	struct kerr e;
	void *tmp;

	if (id == 0) {
		snprintf(buf, n, "%s", "");
		return buf;
	}
	snprintf(buf, n, "#%" PRId64, id);
	if (!t || !re || !(cf = store_field_find(re->schema, re->code_field)) ||
	    !(tmp = calloc(1, re->schema->size)))
		return buf;
	if (store_get(t, re->schema, id, tmp, &e) == 0) {
		const char *code = *(char *const *)fptr(cf, tmp);
		if (code && *code)
			snprintf(buf, n, "%s", code);
	}
	store_rec_clear(re->schema, tmp);
	free(tmp);
	return buf;
}

char *ent_field_get(struct store_txn *t, const struct store_field *f,
		    const void *rec, char *buf, size_t n)
{
	char nb[NUM_BUFSZ];

	if (!n)
		return buf;
	switch (f->type) {
	case SF_TEXT: {
		const char *s = *(char *const *)fptr(f, rec);
		snprintf(buf, n, "%s", s ? s : "");
		break;
	}
	case SF_INT:
		snprintf(buf, n, "%" PRId64, *(const int64_t *)fptr(f, rec));
		break;
	case SF_MONEY:
	case SF_PRICE:
	case SF_QTY:
	case SF_RATE:
		num_format(*(const int64_t *)fptr(f, rec), type_scale(f->type),
			   false, nb, sizeof nb);
		snprintf(buf, n, "%s", nb);
		break;
	case SF_BOOL:
		snprintf(buf, n, "%s", *(const bool *)fptr(f, rec) ? "yes" : "no");
		break;
	case SF_DATE:
		date_format(*(const kdate *)fptr(f, rec), buf, n);
		break;
	case SF_REF:
		return get_ref(t, f, rec, buf, n);
	case SF_LIST:
		if (((const struct store_list *)fptr(f, rec))->n)
			store_field_text(f, rec, buf, n);
		else
			buf[0] = '\0';
		break;
	default:
		buf[0] = '\0';
		break;
	}
	return buf;
}

/* ------------------------------------------------------------- rules */

/* Characters of a text field (NULL = 0), for the length rules. */
size_t ent_text_chars(const char *s)
{
	return s ? text_chars(s) : 0;
}

/* Reference fields still 0 take their default's code, looked up in t. */
static int ref_defaults(struct store_txn *t, const struct entity *e,
			void *rec, struct kerr *err)
{
	for (size_t i = 0; i < e->ndefaults; i++) {
		const struct store_field *f =
			store_field_find(e->schema, e->defaults[i].field);
		int ret;

		if (!f || f->type != SF_REF || *(int64_t *)fptr(f, rec))
			continue;
		if ((ret = ent_field_set(t, f, rec, e->defaults[i].value, err)))
			return ret;
	}
	return 0;
}

int ent_check(struct store_txn *t, const struct entity *e, void *rec,
	      struct kerr *err)
{
	int ret;

	if ((ret = ref_defaults(t, e, rec, err)))
		return ret;
	if (e->change)
		e->change(e, rec);
	return e->validate ? e->validate(t, e, rec, err) : 0;
}

int ent_apply(struct store_txn *t, const struct entity *e, void *rec,
	      struct kerr *err)
{
	return e->apply ? e->apply(t, e, rec, err) : 0;
}

int ent_fill(struct store_txn *t, const struct entity *e, void *rec,
	     struct kerr *err)
{
	return e->fill ? e->fill(t, e, rec, err) : 0;
}

/* ------------------------------------------------------------ saving */

struct save {
	const struct entity *e;
	void *rec;              /* the caller's */
	void *tmp;              /* this attempt's copy */
	ent_validate_fn extra;
};

static int save_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct save *sv = arg;
	const struct store_schema *s = sv->e->schema;
	int ret;

	store_rec_clear(s, sv->tmp);
	if ((ret = store_rec_copy(s, sv->tmp, sv->rec)))
		return kerr_set(err, ret, NULL, NULL);
	if ((ret = ent_check(t, sv->e, sv->tmp, err)))
		return ret;
	if (sv->extra && (ret = sv->extra(t, sv->e, sv->tmp, err)))
		return ret;
	if ((ret = ent_apply(t, sv->e, sv->tmp, err)))
		return ret;
	if (((struct store_rec *)sv->tmp)->version == 0)
		return store_insert(t, s, sv->tmp, err);
	return store_update(t, s, sv->tmp, err);
}

int ent_save(struct store *st, const struct entity *e, void *rec,
	     ent_validate_fn extra, struct kerr *err)
{
	struct save sv = { e, rec, calloc(1, e->schema->size), extra };
	int ret;

	if (!sv.tmp)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	/* Derived fields are part of the record: the caller sees them too. */
	if (e->change)
		e->change(e, rec);
	ret = store_write(st, save_fn, &sv, err);
	if (ret == 0) {
		struct store_rec *h = rec, *n = sv.tmp;
		h->id = n->id;
		h->version = n->version;
		h->mtime_us = n->mtime_us;
		memcpy(h->muser, n->muser, sizeof h->muser);
		for (size_t i = 0; i < e->ndefaults; i++) {
			const struct store_field *f =
				store_field_find(e->schema, e->defaults[i].field);
			if (f && f->type == SF_REF && !*(int64_t *)fptr(f, rec))
				*(int64_t *)fptr(f, rec) =
					*(int64_t *)fptr(f, sv.tmp);
		}
	}
	store_rec_clear(e->schema, sv.tmp);
	free(sv.tmp);
	return ret;
}

/* ---------------------------------------------------------- deleting */

#define REF_COUNT_MAX 1000

/* The code of a referring record (or "#ID"), for the message. */
static void ref_name(const struct store_schema *s, const void *rec,
		     char *buf, size_t n)
{
	const struct entity *re = ent_by_table(s->name);
	const struct store_field *cf =
		re ? store_field_find(s, re->code_field) : NULL;
	const char *code = cf ? *(char *const *)fptr(cf, rec) : NULL;

	if (code && *code)
		snprintf(buf, n, "%s", code);
	else
		snprintf(buf, n, "#%" PRId64, ((const struct store_rec *)rec)->id);
}

/*
 * Counts the records of r->table that point at record id of table self
 * (up to MAX + 1); example gets the first one's code.
 */
static int count_referrers(struct store_txn *t, const struct ent_referrer *r,
			   const char *self, int64_t id, unsigned long *count,
			   char *example, size_t n, struct kerr *err)
{
	struct store *st = store_txn_store(t);
	const struct store_schema *s = store_schema_find(st, r->table);
	const struct entity *re = ent_by_table(r->table);
	struct store_cursor *c = NULL;
	char key[24];
	void *rec;
	int ret;

	*count = 0;
	if (!s && re)
		s = re->schema;
	if (!s)
		return kerr_set(err, K_EINTERNAL, NULL,
				"table %s is not open", r->table);
	if (!(rec = calloc(1, s->size)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	store_rec_clear(s, rec);
	if ((ret = store_cursor_open(t, s, r->index, &c, err)))
		goto out;
	snprintf(key, sizeof key, "%" PRId64, id);
	for (ret = store_cursor_seek(c, key, true, rec, err);
	     ret == 0 && *count <= REF_COUNT_MAX;
	     ret = store_cursor_next(c, rec, err)) {
		/* A record naming itself does not keep itself alive. */
		if (strcmp(self, r->table) == 0 &&
		    ((struct store_rec *)rec)->id == id)
			continue;
		if ((*count)++ == 0)
			ref_name(s, rec, example, n);
	}
	if (ret == K_ENOTFOUND || ret == 0) {
		kerr_clear(err);
		ret = 0;
	}
out:
	store_cursor_close(&c);
	store_rec_clear(s, rec);
	free(rec);
	return ret;
}

struct del {
	const struct entity *e;
	const void *rec;
};

static int delete_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct del *d = arg;
	int64_t id = ((const struct store_rec *)d->rec)->id;
	int ret;

	for (size_t i = 0; i < d->e->nrefs; i++) {
		const struct ent_referrer *r = &d->e->refs[i];
		unsigned long n;
		char ex[64] = "";

		if ((ret = count_referrers(t, r, d->e->schema->name, id, &n, ex, sizeof ex, err)))
			return ret;
		if (n > REF_COUNT_MAX)
			return kerr_set(err, K_EREFERENCED, NULL,
					_("used by more than %d %s, e.g. %s"),
					REF_COUNT_MAX, _(r->what), ex);
		if (n)
			return kerr_set(err, K_EREFERENCED, NULL,
					_("used by %lu %s, e.g. %s"),
					n, _(r->what), ex);
	}
	return store_delete(t, d->e->schema, d->rec, err);
}

int ent_delete(struct store *st, const struct entity *e, const void *rec,
	       struct kerr *err)
{
	struct del d = { e, rec };

	return store_write(st, delete_fn, &d, err);
}

int ent_get_code(struct store_txn *t, const struct entity *e,
		 const char *code, void *rec, struct kerr *err)
{
	int ret = store_find_text(t, e->schema, e->code_index,
				  code ? code : "", rec, err);

	if (ret == K_ENOTFOUND)
		kerr_set(err, K_ENOTFOUND, e->code_field,
			 _("no %s with code %s"), e->name, code ? code : "");
	if (ret == 0)
		ret = ent_fill(t, e, rec, err);
	return ret;
}

char *ent_elem_text(struct store_txn *t, const struct store_schema *sub,
		    const void *elem, char *buf, size_t n)
{
	size_t used = 0;
	char v[512];

	buf[0] = '\0';
	for (size_t i = 0; i < sub->nfields && used + 1 < n; i++) {
		int w;
		ent_field_get(t, &sub->fields[i], elem, v, sizeof v);
		w = snprintf(buf + used, n - used, "%s%s", i ? " | " : "", v);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

void ent_diff(struct store_txn *t, const struct store_schema *s,
	      const void *old, const void *new, ent_diff_fn fn, void *arg)
{
	char o[1024], nv[1024], name[96];

	for (size_t i = 0; i < s->nfields; i++) {
		const struct store_field *f = &s->fields[i];
		if (f->type == SF_LIST) {
			const struct store_list *lo = old ? (const void *)
				((const char *)old + f->offset) : NULL;
			const struct store_list *ln = new ? (const void *)
				((const char *)new + f->offset) : NULL;
			size_t no = lo ? lo->n : 0, nn = ln ? ln->n : 0;
			for (size_t k = 0; k < no || k < nn; k++) {
				o[0] = nv[0] = '\0';
				if (k < no)
					ent_elem_text(t, f->sub, (const char *)lo->items +
						      k * f->sub->size, o, sizeof o);
				if (k < nn)
					ent_elem_text(t, f->sub, (const char *)ln->items +
						      k * f->sub->size, nv, sizeof nv);
				if (strcmp(o, nv) == 0)
					continue;
				snprintf(name, sizeof name, "%s[%zu]", f->name, k + 1);
				fn(arg, name, k < no ? o : NULL, k < nn ? nv : NULL);
			}
			continue;
		}
		o[0] = nv[0] = '\0';
		if (old)
			ent_field_get(t, f, old, o, sizeof o);
		if (new)
			ent_field_get(t, f, new, nv, sizeof nv);
		if (strcmp(o, nv) != 0)
			fn(arg, f->name, old ? o : NULL, new ? nv : NULL);
	}
}
