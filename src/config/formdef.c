/*
 * formdef.c - reads screen definitions: the .form files and menu.conf.
 *
 * libconfig parses; this file checks everything it can see in the files
 * themselves: every group against an explicit list of keys (libconfig
 * takes a missing ';' in its stride, so a typo would otherwise pass),
 * required keys, types, ranges, positions inside the 80x24 screen,
 * overlaps, duplicate names and codes.  Each complaint is K_ECONFIG with
 * "FILE:LINE: message".  Before libconfig sees a file a small scanner
 * refuses what libconfig would take wrongly: integers that do not fit
 * in 32 bits (libconfig 1.5 wraps them), strings that run over a line
 * end (libconfig reports the syntax error lines later) and @include
 * (a screen is one file, so every line number points into it).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libconfig.h>

#include "base/i18n.h"
#include "base/kerr.h"
#include "base/utf8.h"
#include "config/cfgutil.h"
#include "config/formdef.h"

#define FD_FILE_MAX       (1L << 20)     /* bytes of one file */
#define FD_MENU_DEPTH     8              /* levels of sub-menus */
#define FD_CODE_MAX       8              /* characters of a code */
#define FD_WIDTH_MAX      76
#define FD_LABEL_MIN      4
#define FD_LABEL_MAX      40
#define FD_LABEL_DEFAULT  14
#define FD_SUFFIX         ".form"
#define FD_MENU_FILE      "menu.conf"

/* What a load needs to report a problem. */
struct fd_ctx {
	const char *path;      /* the file, as named by the caller */
	const char *text;      /* its contents */
	struct kerr *err;
	char where[160];       /* scratch for fd_where() */
};

static const char *const fd_top_keys[] = { "form", NULL };
static const char *const fd_form_keys[] = {
	"code", "title", "entity", "permission", "help", "label_width",
	"validate", "info", "fields", "grid", "list", "actions", NULL
};
static const char *const fd_field_keys[] = {
	"name", "label", "row", "col", "width", "help", "default", "min",
	"max", "pattern", "lookup", "on_change", "choices", "max_len",
	"required", "readonly", "upper", NULL
};
static const char *const fd_grid_keys[] = {
	"field", "row", "rows", "columns", "difference", NULL
};
static const char *const fd_grid_column_keys[] = {
	"name", "heading", "width", "total", "readonly", "lookup", "upper",
	NULL
};
static const char *const fd_list_column_keys[] = {
	"name", "heading", "width", NULL
};
static const char *const fd_list_keys[] = { "columns", "sorts", NULL };
static const char *const fd_sort_keys[] = { "index", "label", NULL };
static const char *const fd_action_keys[] = { "name", "label", NULL };
static const char *const fd_menu_top_keys[] = { "menu", NULL };
static const char *const fd_menu_keys[] = { "title", "items", NULL };
static const char *const fd_item_keys[] = {
	"title", "key", "form", "report", "items", NULL
};

static unsigned fd_line(const struct fd_ctx *x, const config_setting_t *s);

/* ----------------------------------------------------------- reporting */

/* The dotted name of s in x's scratch buffer (until the next call). */
static const char *fd_where(struct fd_ctx *x, const config_setting_t *s)
{
	cfg_setting_path(s, x->where, sizeof x->where);
	return x->where;
}

/*
 * Sets K_ECONFIG "FILE:LINE: message" for setting s (line 1 of the file
 * when s is NULL) and returns K_ECONFIG.
 */
static int fd_fail(const struct fd_ctx *x, const config_setting_t *s,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fd_fail(const struct fd_ctx *x, const config_setting_t *s,
		   const char *fmt, ...)
{
	char msg[sizeof x->err->msg];
	char field[sizeof x->err->field];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	field[0] = '\0';
	if (s != NULL)
		cfg_setting_path(s, field, sizeof field);
	return kerr_set(x->err, K_ECONFIG, field, "%s:%u: %s", x->path,
			s != NULL ? fd_line(x, s) : 1u, msg);
}

/* Out of memory while loading x->path. */
static int fd_nomem(const struct fd_ctx *x)
{
	return kerr_set(x->err, K_ENOMEM, NULL, _("%s: out of memory"),
			x->path);
}

/* ------------------------------------------------------------ scanning */

static bool fd_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool fd_is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * Checks the raw text before libconfig parses it: no @include, no
 * string running over the end of its line, no integer libconfig would
 * wrap.
 */
static int fd_prescan(const struct fd_ctx *x)
{
	const char *p = x->text;
	unsigned line = 1;
	struct cfg_tok t;
	int len;

	for (;;) {
		cfg_next(&p, &line, &t);
		len = (int)(t.end - t.start);
		switch (t.kind) {
		case CT_END:
			return 0;
		case CT_STRING:
			if (t.end_line != t.line || t.open)
				return kerr_set(x->err, K_ECONFIG, NULL,
						_("%s:%u: this string has no "
						  "closing \" on its line"),
						x->path, t.line);
			break;
		case CT_INT:
			if (!cfg_fits32(t.start, t.end))
				return kerr_set(x->err, K_ECONFIG, NULL,
						_("%s:%u: %.*s does not fit "
						  "in 32 bits"),
						x->path, t.line, len, t.start);
			break;
		case CT_NAME:
			if (t.start[0] == '@')
				return kerr_set(x->err, K_ECONFIG, NULL,
						_("%s:%u: %.*s is not allowed "
						  "here: a screen is one "
						  "file"),
						x->path, t.line, len, t.start);
			break;
		default:
			break;
		}
	}
}

/*
 * Skips from just after the opening bracket of an aggregate (depth 1)
 * to its end, counting its elements in *count and noting the line of
 * element k's first token in *kline and whether element k is the one
 * string token equal to want (when want is not NULL) in *same.
 */
static void fd_walk_elems(const char **p, unsigned *line, size_t k,
			  const char *want, size_t *count, unsigned *kline,
			  bool *same)
{
	struct cfg_tok t;
	size_t j = 0, ntok = 0;
	int depth = 0;
	bool any = false;

	*kline = 0;
	*same = false;
	for (;;) {
		cfg_next(p, line, &t);
		if (t.kind == CT_END)
			break;
		if (depth == 0 && (cfg_tok_is(&t, ']') || cfg_tok_is(&t, ')')))
			break;
		if (depth == 0 && cfg_tok_is(&t, ',')) {
			j++;
			ntok = 0;
			continue;
		}
		any = true;
		if (j == k) {
			if (ntok == 0) {
				*kline = t.line;
				*same = want != NULL &&
					cfg_tok_equals(&t, want);
			} else {
				*same = false;
			}
			ntok++;
		}
		if (cfg_tok_is(&t, '{') || cfg_tok_is(&t, '[') ||
		    cfg_tok_is(&t, '('))
			depth++;
		else if (cfg_tok_is(&t, '}') || cfg_tok_is(&t, ']') ||
			 cfg_tok_is(&t, ')'))
			depth--;
	}
	*count = any ? j + 1 : 0;
}

/*
 * The line where string element s of a named array or list starts.
 * libconfig reads one token past a string (strings may be glued:
 * "a" "b") before it makes the setting, so an element followed by a
 * line break gets the line of the next ',' or ']'.  The aggregate's
 * own line is right (that of its name): find "name = [" there, walk its
 * elements, and believe the walk only when the count and the element's
 * text agree with libconfig.  Anything else: libconfig's line.
 */
static unsigned fd_line(const struct fd_ctx *x, const config_setting_t *s)
{
	const config_setting_t *a;
	unsigned want = config_setting_source_line(s), aline;
	const char *p, *name, *value;
	unsigned line = 1;
	struct cfg_tok t, u;
	size_t k, n;

	if (x->text == NULL || config_setting_name(s) != NULL ||
	    config_setting_type(s) != CONFIG_TYPE_STRING)
		return want;
	a = config_setting_parent(s);
	name = a != NULL ? config_setting_name(a) : NULL;
	if (name == NULL || config_setting_index(s) < 0)
		return want;
	k = (size_t)config_setting_index(s);
	n = (size_t)config_setting_length(a);
	aline = config_setting_source_line(a);
	value = config_setting_get_string(s);
	p = x->text;
	for (;;) {
		cfg_next(&p, &line, &t);
		if (t.kind == CT_END || t.line > aline)
			return want;
		if (t.kind != CT_NAME || t.line != aline ||
		    strlen(name) != (size_t)(t.end - t.start) ||
		    memcmp(t.start, name, strlen(name)) != 0)
			continue;
		{
			const char *q = p;
			unsigned ql = line, kline;
			size_t count;
			bool same;

			cfg_next(&q, &ql, &u);
			if (!cfg_tok_is(&u, '=') && !cfg_tok_is(&u, ':'))
				continue;
			cfg_next(&q, &ql, &u);
			if (!cfg_tok_is(&u, '[') && !cfg_tok_is(&u, '('))
				continue;
			fd_walk_elems(&q, &ql, k, value, &count, &kline,
				      &same);
			if (count == n && same)
				return kline;
		}
	}
}

/* --------------------------------------------------------- value reads */

/*
 * Checks that every member of group g is named in keys; the first that
 * is not is an error naming it and listing the known ones.
 */
static int fd_check_keys(struct fd_ctx *x, const config_setting_t *g,
			 const char *const *keys)
{
	char known[256];
	const config_setting_t *s = cfg_unknown_key(g, keys, known,
						    sizeof known);

	if (s == NULL)
		return 0;
	return fd_fail(x, s, _("unknown setting \"%s\" (known here: %s)"),
		       fd_where(x, s), known);
}

/* Checks that s is a group of the known keys. */
static int fd_group(struct fd_ctx *x, const config_setting_t *s,
		    const char *const *keys)
{
	if (!config_setting_is_group(s))
		return fd_fail(x, s, _("%s must be a group { ... }, not %s"),
			       fd_where(x, s), cfg_type_name(s));
	return fd_check_keys(x, s, keys);
}

/*
 * Checks that s is a list "( ... )" (an empty array "[]" will do too)
 * and returns its length in *n.
 */
static int fd_list_of(struct fd_ctx *x, const config_setting_t *s, size_t *n)
{
	if (!config_setting_is_list(s) &&
	    !(config_setting_is_array(s) && config_setting_length(s) == 0))
		return fd_fail(x, s,
			       _("%s must be a list ( { ... }, ... ), not %s"),
			       fd_where(x, s), cfg_type_name(s));
	*n = (size_t)config_setting_length(s);
	return 0;
}

/* As fd_list_of, and the list must not be empty. */
static int fd_list_some(struct fd_ctx *x, const config_setting_t *s,
			size_t *n)
{
	int rc = fd_list_of(x, s, n);

	if (rc == 0 && *n == 0)
		return fd_fail(x, s, _("%s must not be empty"),
			       fd_where(x, s));
	return rc;
}

/*
 * Member key of group g into *s; an error at g's line when it is
 * missing.
 */
static int fd_need(struct fd_ctx *x, const config_setting_t *g,
		   const char *key, const config_setting_t **s)
{
	*s = config_setting_get_member(g, key);
	if (*s == NULL)
		return fd_fail(x, g, _("%s has no %s (it is required)"),
			       fd_where(x, g), key);
	return 0;
}

/*
 * Reads string setting s into *dst (a copy; the old value is freed):
 * valid UTF-8 without control characters, empty only when empty_ok.
 */
static int fd_text(struct fd_ctx *x, const config_setting_t *s,
		   bool empty_ok, char **dst)
{
	const char *v;
	char *copy;

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fd_fail(x, s, _("%s must be a string, not %s"),
			       fd_where(x, s), cfg_type_name(s));
	v = config_setting_get_string(s);
	if (v == NULL)
		v = "";
	if (!empty_ok && v[0] == '\0')
		return fd_fail(x, s, _("%s must not be empty"),
			       fd_where(x, s));
	if (!utf8_valid(v, strlen(v)))
		return fd_fail(x, s, _("%s is not valid UTF-8"),
			       fd_where(x, s));
	if (!cfg_no_controls(v))
		return fd_fail(x, s, _("%s contains a control character"),
			       fd_where(x, s));
	copy = strdup(v);
	if (copy == NULL)
		return fd_nomem(x);
	free(*dst);
	*dst = copy;
	return 0;
}

/* Reads member key of g, when present, as fd_text (not empty). */
static int fd_opt_text(struct fd_ctx *x, const config_setting_t *g,
		       const char *key, char **dst)
{
	const config_setting_t *s = config_setting_get_member(g, key);

	return s != NULL ? fd_text(x, s, false, dst) : 0;
}

/* Reads the required member key of g as fd_text. */
static int fd_need_text(struct fd_ctx *x, const config_setting_t *g,
			const char *key, bool empty_ok, char **dst)
{
	const config_setting_t *s;
	int rc = fd_need(x, g, key, &s);

	return rc != 0 ? rc : fd_text(x, s, empty_ok, dst);
}

/*
 * Checks that text v of setting s fits in cols display columns (what
 * it is is for the message: "the label", "the heading").
 */
static int fd_fits(struct fd_ctx *x, const config_setting_t *s,
		   const char *v, size_t cols, const char *what)
{
	size_t w = utf8_width(v);

	if (w > cols)
		return fd_fail(x, s,
			       _("%s \"%s\" is %zu columns wide; %s has "
				 "room for %zu"),
			       fd_where(x, s), v, w, what, cols);
	return 0;
}

/* Reads integer setting s (int or int64) within lo..hi into *dst. */
static int fd_int(struct fd_ctx *x, const config_setting_t *s, long long lo,
		  long long hi, int *dst)
{
	long long v;

	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64)
		return fd_fail(x, s, _("%s must be a whole number, not %s"),
			       fd_where(x, s), cfg_type_name(s));
	v = config_setting_get_int64(s);
	if (v < lo || v > hi)
		return fd_fail(x, s,
			       _("%s must be between %lld and %lld, not %lld"),
			       fd_where(x, s), lo, hi, v);
	*dst = (int)v;
	return 0;
}

/* Reads the required member key of g as fd_int. */
static int fd_need_int(struct fd_ctx *x, const config_setting_t *g,
		       const char *key, long long lo, long long hi, int *dst)
{
	const config_setting_t *s;
	int rc = fd_need(x, g, key, &s);

	return rc != 0 ? rc : fd_int(x, s, lo, hi, dst);
}

/* Reads member key of g, when present, as a boolean into *dst. */
static int fd_opt_bool(struct fd_ctx *x, const config_setting_t *g,
		       const char *key, bool *dst)
{
	const config_setting_t *s = config_setting_get_member(g, key);

	if (s == NULL)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return fd_fail(x, s, _("%s must be true or false, not %s"),
			       fd_where(x, s), cfg_type_name(s));
	*dst = config_setting_get_bool(s) != 0;
	return 0;
}

/* Line of member key of the n-th element of list l, else of the element. */
static unsigned fd_elem_line(const config_setting_t *l, size_t n,
			     const char *key)
{
	const config_setting_t *e = config_setting_get_elem(l, (unsigned)n);
	const config_setting_t *s = config_setting_get_member(e, key);

	return config_setting_source_line(s != NULL ? s : e);
}

/* ------------------------------------------------------------ freeing */

static void fd_free_strings(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void fd_field_free(struct fd_field *f)
{
	free(f->name);
	free(f->label);
	free(f->help);
	free(f->def);
	free(f->min);
	free(f->max);
	free(f->pattern);
	free(f->lookup);
	free(f->on_change);
	fd_free_strings(f->choices, f->nchoices);
}

static void fd_columns_free(struct fd_column *c, size_t n)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(c[i].name);
		free(c[i].heading);
		free(c[i].total);
		free(c[i].lookup);
	}
	free(c);
}

void formdef_free(struct formdef *f)
{
	size_t i;

	if (f == NULL)
		return;
	free(f->file);
	free(f->id);
	free(f->code);
	free(f->title);
	free(f->entity);
	free(f->permission);
	free(f->help);
	free(f->validate);
	free(f->info);
	for (i = 0; f->fields != NULL && i < f->nfields; i++)
		fd_field_free(&f->fields[i]);
	free(f->fields);
	if (f->grid != NULL) {
		free(f->grid->field);
		free(f->grid->diff[0]);
		free(f->grid->diff[1]);
		fd_columns_free(f->grid->cols, f->grid->ncols);
		free(f->grid);
	}
	fd_columns_free(f->list.cols, f->list.ncols);
	for (i = 0; f->list.sorts != NULL && i < f->list.nsorts; i++) {
		free(f->list.sorts[i].index);
		free(f->list.sorts[i].label);
	}
	free(f->list.sorts);
	for (i = 0; f->actions != NULL && i < f->nactions; i++) {
		free(f->actions[i].name);
		free(f->actions[i].label);
	}
	free(f->actions);
	memset(f, 0, sizeof *f);
}

/* Frees what menu m holds (not m itself, nor m->file). */
static void fd_menu_free(struct fd_menu *m)
{
	size_t i;

	for (i = 0; m->items != NULL && i < m->nitems; i++)
		fd_menu_free(&m->items[i]);
	free(m->items);
	free(m->title);
	free(m->form);
	free(m->report);
	m->items = NULL;
	m->nitems = 0;
	m->title = NULL;
	m->form = NULL;
	m->report = NULL;
}

void formset_free(struct formset *fs)
{
	size_t i;

	if (fs == NULL)
		return;
	for (i = 0; fs->forms != NULL && i < fs->nforms; i++)
		formdef_free(&fs->forms[i]);
	free(fs->forms);
	fd_menu_free(&fs->menu);
	free(fs->menu.file);           /* the root owns the menu's path */
	free(fs->dir);
	memset(fs, 0, sizeof *fs);
}

/* ------------------------------------------------------------- a form */

/*
 * Reads form.code into f->code in capitals: a letter, then up to 7
 * letters or digits.
 */
static int fd_read_code(struct fd_ctx *x, const config_setting_t *g,
			struct formdef *f, unsigned *line)
{
	const config_setting_t *s;
	size_t i, n;
	char *c;
	int rc;

	rc = fd_need(x, g, "code", &s);
	if (rc == 0)
		rc = fd_text(x, s, false, &f->code);
	if (rc != 0)
		return rc;
	c = f->code;
	n = strlen(c);
	for (i = 0; i < n; i++)
		if (c[i] >= 'a' && c[i] <= 'z')
			c[i] = (char)(c[i] - 'a' + 'A');
	for (i = 0; i < n; i++)
		if (!(c[i] >= 'A' && c[i] <= 'Z') &&
		    !(i > 0 && fd_is_digit(c[i])))
			break;
	if (i < n || n > FD_CODE_MAX)
		return fd_fail(x, s,
			       _("%s \"%s\" is not a fast-path code (a letter, "
				 "then up to %d letters or digits)"),
			       fd_where(x, s), config_setting_get_string(s),
			       FD_CODE_MAX - 1);
	*line = config_setting_source_line(s);
	return 0;
}

/* Reads the choices array s of field d. */
static int fd_read_choices(struct fd_ctx *x, const config_setting_t *s,
			   struct fd_field *d)
{
	size_t i, j, n;
	int rc;

	if (!config_setting_is_array(s))
		return fd_fail(x, s,
			       _("%s must be an array [ \"...\", ... ], "
				 "not %s"),
			       fd_where(x, s), cfg_type_name(s));
	n = (size_t)config_setting_length(s);
	if (n == 0)
		return fd_fail(x, s, _("%s must not be empty"),
			       fd_where(x, s));
	d->choices = calloc(n, sizeof *d->choices);
	if (d->choices == NULL)
		return fd_nomem(x);
	d->nchoices = n;
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s,
								   (unsigned)i);

		rc = fd_text(x, e, false, &d->choices[i]);
		if (rc != 0)
			return rc;
		for (j = 0; j < i; j++)
			if (strcmp(d->choices[j], d->choices[i]) == 0)
				return fd_fail(x, e,
					       _("field \"%s\": choice \"%s\" "
						 "is listed twice"),
					       d->name, d->choices[i]);
	}
	return 0;
}

/* Reads member pattern of g, which must compile as an extended regex. */
static int fd_read_pattern(struct fd_ctx *x, const config_setting_t *g,
			   struct fd_field *d)
{
	const config_setting_t *s = config_setting_get_member(g, "pattern");
	regex_t re;
	char why[160];
	int rc;

	if (s == NULL)
		return 0;
	rc = fd_text(x, s, false, &d->pattern);
	if (rc != 0)
		return rc;
	rc = regcomp(&re, d->pattern, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, &re, why, sizeof why);
		return fd_fail(x, s,
			       _("field \"%s\": pattern \"%s\" is not a "
				 "regular expression: %s"),
			       d->name, d->pattern, why);
	}
	regfree(&re);
	return 0;
}

/* Reads field group g (fields[i]) into d; label_width is the form's. */
static int fd_read_field(struct fd_ctx *x, const config_setting_t *g,
			 int label_width, struct fd_field *d)
{
	const config_setting_t *s;
	size_t i;
	int rc;

	rc = fd_group(x, g, fd_field_keys);
	if (rc != 0)
		return rc;
	d->line = (int)config_setting_source_line(g);
	if ((rc = fd_need_text(x, g, "name", false, &d->name)) != 0 ||
	    (rc = fd_need_text(x, g, "label", true, &d->label)) != 0)
		return rc;
	/* the label, then at least one blank before the input */
	if (utf8_width(d->label) > (size_t)label_width - 1)
		return fd_fail(x, config_setting_get_member(g, "label"),
			       _("%s \"%s\" is %zu columns wide; with "
				 "label_width %d it may take %d (a blank "
				 "comes before the input)"),
			       fd_where(x, config_setting_get_member(g,
								   "label")),
			       d->label, utf8_width(d->label), label_width,
			       label_width - 1);
	if ((rc = fd_need_int(x, g, "row", 0, FD_BODY_ROWS - 1,
			      &d->row)) != 0 ||
	    (rc = fd_need_int(x, g, "col", 0, FD_SCREEN_COLS - 1,
			      &d->col)) != 0 ||
	    (rc = fd_need_int(x, g, "width", 1, FD_WIDTH_MAX,
			      &d->width)) != 0)
		return rc;
	if (d->col + label_width + d->width > FD_SCREEN_COLS)
		return fd_fail(x, g,
			       _("field \"%s\" is off the screen: col %d + "
				 "label_width %d + width %d is more than %d"),
			       d->name, d->col, label_width, d->width,
			       FD_SCREEN_COLS);
	if ((rc = fd_opt_text(x, g, "help", &d->help)) != 0 ||
	    (rc = fd_opt_text(x, g, "default", &d->def)) != 0 ||
	    (rc = fd_opt_text(x, g, "min", &d->min)) != 0 ||
	    (rc = fd_opt_text(x, g, "max", &d->max)) != 0 ||
	    (rc = fd_opt_text(x, g, "lookup", &d->lookup)) != 0 ||
	    (rc = fd_opt_text(x, g, "on_change", &d->on_change)) != 0 ||
	    (rc = fd_read_pattern(x, g, d)) != 0)
		return rc;
	if ((s = config_setting_get_member(g, "choices")) != NULL &&
	    (rc = fd_read_choices(x, s, d)) != 0)
		return rc;
	if (d->def != NULL && d->nchoices > 0) {
		for (i = 0; i < d->nchoices; i++)
			if (strcmp(d->choices[i], d->def) == 0)
				break;
		if (i == d->nchoices)
			return fd_fail(x, config_setting_get_member(g,
								  "default"),
				       _("field \"%s\": default \"%s\" is not "
					 "one of its choices"),
				       d->name, d->def);
	}
	if ((s = config_setting_get_member(g, "max_len")) != NULL &&
	    (rc = fd_int(x, s, 0, INT_MAX, &d->max_len)) != 0)
		return rc;
	if ((rc = fd_opt_bool(x, g, "required", &d->required)) != 0 ||
	    (rc = fd_opt_bool(x, g, "readonly", &d->readonly)) != 0 ||
	    (rc = fd_opt_bool(x, g, "upper", &d->upper)) != 0)
		return rc;
	return 0;
}

/* The first column the field occupies after its last one. */
static int fd_field_end(const struct fd_field *d, int label_width)
{
	return d->col + label_width + d->width;
}

/* Reads the fields list l: names unique, no two fields overlapping. */
static int fd_read_fields(struct fd_ctx *x, const config_setting_t *l,
			  struct formdef *f)
{
	size_t i, j, n;
	int rc, lw = f->label_width;

	rc = fd_list_some(x, l, &n);
	if (rc != 0)
		return rc;
	f->fields = calloc(n, sizeof *f->fields);
	if (f->fields == NULL)
		return fd_nomem(x);
	f->nfields = n;
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(l,
								   (unsigned)i);
		struct fd_field *d = &f->fields[i];

		rc = fd_read_field(x, g, lw, d);
		if (rc != 0)
			return rc;
		for (j = 0; j < i; j++) {
			const struct fd_field *o = &f->fields[j];

			if (strcmp(o->name, d->name) == 0)
				return fd_fail(x,
					       config_setting_get_member(g,
								"name"),
					       _("field \"%s\" is defined "
						 "twice (first on line %d)"),
					       d->name, o->line);
			if (o->row == d->row && d->col < fd_field_end(o, lw) &&
			    o->col < fd_field_end(d, lw))
				return fd_fail(x, g,
					       _("field \"%s\" (row %d, "
						 "columns %d to %d) overlaps "
						 "field \"%s\" of line %d "
						 "(columns %d to %d)"),
					       d->name, d->row, d->col,
					       fd_field_end(d, lw) - 1,
					       o->name, o->line, o->col,
					       fd_field_end(o, lw) - 1);
		}
	}
	return 0;
}

/*
 * Reads column group g into c; grid columns may have total, readonly
 * and lookup.
 */
static int fd_read_column(struct fd_ctx *x, const config_setting_t *g,
			  bool grid, struct fd_column *c)
{
	const config_setting_t *s;
	int rc;

	rc = fd_group(x, g, grid ? fd_grid_column_keys : fd_list_column_keys);
	if (rc != 0)
		return rc;
	c->line = (int)config_setting_source_line(g);
	if ((rc = fd_need_text(x, g, "name", false, &c->name)) != 0 ||
	    (rc = fd_need_text(x, g, "heading", true, &c->heading)) != 0 ||
	    (rc = fd_need_int(x, g, "width", 1, FD_WIDTH_MAX,
			      &c->width)) != 0)
		return rc;
	rc = fd_fits(x, config_setting_get_member(g, "heading"), c->heading,
		     (size_t)c->width, _("the column's width"));
	if (rc != 0)
		return rc;
	if ((s = config_setting_get_member(g, "total")) != NULL) {
		rc = fd_text(x, s, false, &c->total);
		if (rc != 0)
			return rc;
		if (strcmp(c->total, "sum") != 0 &&
		    strcmp(c->total, "count") != 0)
			return fd_fail(x, s,
				       _("%s must be \"sum\" or \"count\", "
					 "not \"%s\""),
				       fd_where(x, s), c->total);
	}
	if ((rc = fd_opt_bool(x, g, "readonly", &c->readonly)) != 0 ||
	    (rc = fd_opt_bool(x, g, "upper", &c->upper)) != 0 ||
	    (rc = fd_opt_text(x, g, "lookup", &c->lookup)) != 0)
		return rc;
	return 0;
}

/*
 * Reads the columns list l (not empty, names unique, fitting across the
 * screen with a separator after each) into *cols, *ncols.
 */
static int fd_read_columns(struct fd_ctx *x, const config_setting_t *l,
			   bool grid, struct fd_column **cols, size_t *ncols)
{
	size_t i, j, n;
	int rc, total = 0;

	rc = fd_list_some(x, l, &n);
	if (rc != 0)
		return rc;
	*cols = calloc(n, sizeof **cols);
	if (*cols == NULL)
		return fd_nomem(x);
	*ncols = n;
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(l,
								   (unsigned)i);
		struct fd_column *c = &(*cols)[i];

		rc = fd_read_column(x, g, grid, c);
		if (rc != 0)
			return rc;
		for (j = 0; j < i; j++)
			if (strcmp((*cols)[j].name, c->name) == 0)
				return fd_fail(x,
					       config_setting_get_member(g,
								"name"),
					       _("column \"%s\" is listed "
						 "twice (first on line %d)"),
					       c->name, (*cols)[j].line);
		total += c->width + 1;
		if (total > FD_SCREEN_COLS)
			return fd_fail(x, g,
				       _("%s: the columns up to \"%s\" are %d "
					 "columns wide (each width + 1); the "
					 "screen has %d"),
				       fd_where(x, l), c->name, total,
				       FD_SCREEN_COLS);
	}
	return 0;
}

/* Columns the grid takes across: each column's width + 1. */
static int fd_grid_width(const struct fd_grid *g)
{
	size_t i;
	int w = 0;

	for (i = 0; i < g->ncols; i++)
		w += g->cols[i].width + 1;
	return w;
}

/*
 * Reads grid group g into f->grid: inside the body, clear of every
 * field.
 */
static int fd_read_grid(struct fd_ctx *x, const config_setting_t *g,
			struct formdef *f)
{
	const config_setting_t *s;
	struct fd_grid *gr;
	size_t i;
	int rc, last, width;

	rc = fd_group(x, g, fd_grid_keys);
	if (rc != 0)
		return rc;
	gr = calloc(1, sizeof *gr);
	if (gr == NULL)
		return fd_nomem(x);
	f->grid = gr;
	gr->line = (int)config_setting_source_line(g);
	if ((rc = fd_need_text(x, g, "field", false, &gr->field)) != 0 ||
	    (rc = fd_need_int(x, g, "row", 0, FD_BODY_ROWS - 1,
			      &gr->row)) != 0 ||
	    (rc = fd_need_int(x, g, "rows", 1, FD_BODY_ROWS - 2,
			      &gr->rows)) != 0)
		return rc;
	last = gr->row + gr->rows + 1;     /* heading, lines, footer */
	if (last > FD_BODY_ROWS - 1)
		return fd_fail(x, config_setting_get_member(g, "rows"),
			       _("the grid takes rows %d to %d (heading, %d "
				 "lines, footer) but the last row is %d"),
			       gr->row, last, gr->rows, FD_BODY_ROWS - 1);
	if ((rc = fd_need(x, g, "columns", &s)) != 0 ||
	    (rc = fd_read_columns(x, s, true, &gr->cols, &gr->ncols)) != 0)
		return rc;
	if ((s = config_setting_get_member(g, "difference")) != NULL) {
		if (!config_setting_is_array(s) || config_setting_length(s) != 2)
			return fd_fail(x, s,
				       _("%s must be an array of two grid "
					 "columns [ \"debit\", \"credit\" ]"),
				       fd_where(x, s));
		for (int k = 0; k < 2; k++) {
			const config_setting_t *e =
				config_setting_get_elem(s, (unsigned)k);
			bool found = false;
			if ((rc = fd_text(x, e, false, &gr->diff[k])) != 0)
				return rc;
			for (i = 0; i < gr->ncols; i++)
				found |= strcmp(gr->cols[i].name,
						gr->diff[k]) == 0 &&
					 gr->cols[i].total &&
					 strcmp(gr->cols[i].total, "sum") == 0;
			if (!found)
				return fd_fail(x, e,
					       _("difference: \"%s\" is not a "
						 "grid column with total = "
						 "\"sum\""), gr->diff[k]);
		}
	}
	width = fd_grid_width(gr);
	for (i = 0; i < f->nfields; i++) {
		const struct fd_field *d = &f->fields[i];

		if (d->row >= gr->row && d->row <= last && d->col < width)
			return fd_fail(x, g,
				       _("the grid (rows %d to %d, columns 0 "
					 "to %d) overlaps field \"%s\" of "
					 "line %d (row %d, column %d)"),
				       gr->row, last, width - 1, d->name,
				       d->line, d->row, d->col);
	}
	return 0;
}

/* Reads the sorts list l into f->list. */
static int fd_read_sorts(struct fd_ctx *x, const config_setting_t *l,
			 struct formdef *f)
{
	size_t i, j, n;
	int rc;

	rc = fd_list_some(x, l, &n);
	if (rc != 0)
		return rc;
	f->list.sorts = calloc(n, sizeof *f->list.sorts);
	if (f->list.sorts == NULL)
		return fd_nomem(x);
	f->list.nsorts = n;
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(l,
								   (unsigned)i);
		struct fd_sort *o = &f->list.sorts[i];

		rc = fd_group(x, g, fd_sort_keys);
		if (rc != 0)
			return rc;
		o->line = (int)config_setting_source_line(g);
		if ((rc = fd_need_text(x, g, "index", false, &o->index)) != 0 ||
		    (rc = fd_need_text(x, g, "label", false, &o->label)) != 0)
			return rc;
		for (j = 0; j < i; j++)
			if (strcmp(f->list.sorts[j].index, o->index) == 0)
				return fd_fail(x,
					       config_setting_get_member(g,
								"index"),
					       _("sort by \"%s\" is listed "
						 "twice (first on line %d)"),
					       o->index,
					       f->list.sorts[j].line);
	}
	return 0;
}

/* Reads list group g into f->list. */
static int fd_read_list(struct fd_ctx *x, const config_setting_t *g,
			struct formdef *f)
{
	const config_setting_t *s;
	int rc;

	rc = fd_group(x, g, fd_list_keys);
	if (rc != 0)
		return rc;
	f->list.line = (int)config_setting_source_line(g);
	if ((rc = fd_need(x, g, "columns", &s)) != 0 ||
	    (rc = fd_read_columns(x, s, false, &f->list.cols,
				  &f->list.ncols)) != 0)
		return rc;
	if ((rc = fd_need(x, g, "sorts", &s)) != 0 ||
	    (rc = fd_read_sorts(x, s, f)) != 0)
		return rc;
	return 0;
}

/* Reads the actions list l into f. */
static int fd_read_actions(struct fd_ctx *x, const config_setting_t *l,
			   struct formdef *f)
{
	size_t i, j, n;
	int rc;

	rc = fd_list_of(x, l, &n);
	if (rc != 0 || n == 0)
		return rc;
	f->actions = calloc(n, sizeof *f->actions);
	if (f->actions == NULL)
		return fd_nomem(x);
	f->nactions = n;
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(l,
								   (unsigned)i);
		struct fd_action *a = &f->actions[i];

		rc = fd_group(x, g, fd_action_keys);
		if (rc != 0)
			return rc;
		a->line = (int)config_setting_source_line(g);
		if ((rc = fd_need_text(x, g, "name", false, &a->name)) != 0 ||
		    (rc = fd_need_text(x, g, "label", false, &a->label)) != 0)
			return rc;
		for (j = 0; j < i; j++)
			if (strcmp(f->actions[j].name, a->name) == 0)
				return fd_fail(x,
					       config_setting_get_member(g,
								"name"),
					       _("action \"%s\" is listed "
						 "twice (first on line %d)"),
					       a->name, f->actions[j].line);
	}
	return 0;
}

/*
 * Reads the parsed form file (root) into f; *code_line gets the line of
 * form.code.
 */
static int fd_read_form(struct fd_ctx *x, const config_setting_t *root,
			struct formdef *f, unsigned *code_line)
{
	const config_setting_t *g, *s;
	int rc;

	rc = fd_check_keys(x, root, fd_top_keys);
	if (rc != 0)
		return rc;
	g = config_setting_get_member(root, "form");
	if (g == NULL)
		return fd_fail(x, NULL,
			       _("there is no form = { ... } in the file"));
	rc = fd_group(x, g, fd_form_keys);
	if (rc != 0)
		return rc;
	f->line = (int)config_setting_source_line(g);
	if ((rc = fd_read_code(x, g, f, code_line)) != 0 ||
	    (rc = fd_need_text(x, g, "title", false, &f->title)) != 0)
		return rc;
	rc = fd_fits(x, config_setting_get_member(g, "title"), f->title,
		     FD_SCREEN_COLS, _("the screen"));
	if (rc != 0)
		return rc;
	if ((rc = fd_need_text(x, g, "entity", false, &f->entity)) != 0)
		return rc;
	f->entity_line = (int)config_setting_source_line(
		config_setting_get_member(g, "entity"));
	if ((rc = fd_opt_text(x, g, "permission", &f->permission)) != 0)
		return rc;
	if (f->permission == NULL &&
	    (f->permission = strdup(f->entity)) == NULL)
		return fd_nomem(x);
	if ((rc = fd_opt_text(x, g, "help", &f->help)) != 0)
		return rc;
	f->label_width = FD_LABEL_DEFAULT;
	if ((s = config_setting_get_member(g, "label_width")) != NULL &&
	    (rc = fd_int(x, s, FD_LABEL_MIN, FD_LABEL_MAX,
			 &f->label_width)) != 0)
		return rc;
	if ((s = config_setting_get_member(g, "validate")) != NULL) {
		rc = fd_text(x, s, false, &f->validate);
		if (rc != 0)
			return rc;
		f->validate_line = (int)config_setting_source_line(s);
	}
	if ((s = config_setting_get_member(g, "info")) != NULL) {
		rc = fd_text(x, s, false, &f->info);
		if (rc != 0)
			return rc;
		f->info_line = (int)config_setting_source_line(s);
	}
	if ((rc = fd_need(x, g, "fields", &s)) != 0 ||
	    (rc = fd_read_fields(x, s, f)) != 0)
		return rc;
	if ((s = config_setting_get_member(g, "grid")) != NULL &&
	    (rc = fd_read_grid(x, s, f)) != 0)
		return rc;
	if ((rc = fd_need(x, g, "list", &s)) != 0 ||
	    (rc = fd_read_list(x, s, f)) != 0)
		return rc;
	if ((s = config_setting_get_member(g, "actions")) != NULL &&
	    (rc = fd_read_actions(x, s, f)) != 0)
		return rc;
	if (f->info) {
		/* The info line takes the body's last row. */
		for (size_t i = 0; i < f->nfields; i++)
			if (f->fields[i].row == FD_BODY_ROWS - 1)
				return fd_fail(x, config_setting_get_member(g, "info"),
					       _("info takes row %d, the last of the form, but field \"%s\" (line %d) is on it"),
					       FD_BODY_ROWS - 1, f->fields[i].name,
					       f->fields[i].line);
		if (f->grid && f->grid->row + f->grid->rows + 1 >=
			       FD_BODY_ROWS - 1)
			return fd_fail(x, config_setting_get_member(g, "info"),
				       _("info takes row %d, the last of the form, but the grid reaches it"),
				       FD_BODY_ROWS - 1);
	}
	return 0;
}

/* ------------------------------------------------------------- files */

/*
 * Reads file path into a new NUL-terminated buffer *out: K_EIO when it
 * cannot be read, K_ECONFIG when it is no text file.
 */
static int fd_slurp(const char *path, char **out, struct kerr *err)
{
	struct stat st;
	FILE *fp;
	char *buf = NULL, *nul;
	size_t len = 0, cap = 0, got;
	int rc, e;

	fp = fopen(path, "r");
	if (fp == NULL) {
		e = errno;
		return kerr_set(err, K_EIO, NULL, _("%s: cannot read: %s"),
				path, strerror(e));
	}
	e = fstat(fileno(fp), &st) != 0 ? errno :
	    S_ISDIR(st.st_mode) ? EISDIR : 0;
	if (e != 0) {
		rc = kerr_set(err, K_EIO, NULL, _("%s: cannot read: %s"),
			      path, strerror(e));
		goto fail;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *nb;

			if (cap >= (size_t)FD_FILE_MAX) {
				rc = kerr_set(err, K_ECONFIG, NULL,
					      _("%s:1: the file is larger "
						"than %ld bytes"),
					      path, FD_FILE_MAX);
				goto fail;
			}
			cap = cap == 0 ? 8192 : cap * 2;
			nb = realloc(buf, cap + 1);
			if (nb == NULL) {
				rc = kerr_set(err, K_ENOMEM, NULL,
					      _("%s: out of memory"), path);
				goto fail;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, fp);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		rc = kerr_set(err, K_EIO, NULL, _("%s: cannot read: %s"),
			      path, strerror(EIO));
		goto fail;
	}
	buf[len] = '\0';
	nul = memchr(buf, '\0', len);
	if (nul != NULL) {
		unsigned line = 1;
		const char *p;

		for (p = buf; p < nul; p++)
			if (*p == '\n')
				line++;
		rc = kerr_set(err, K_ECONFIG, NULL,
			      _("%s:%u: a NUL byte: this is not a text file"),
			      path, line);
		goto fail;
	}
	/* libconfig takes a comment only with a line break after it */
	if (len > 0 && buf[len - 1] != '\n') {
		buf[len++] = '\n';
		buf[len] = '\0';
	}
	fclose(fp);
	*out = buf;
	return 0;
fail:
	fclose(fp);
	free(buf);
	return rc;
}

/*
 * Reads path, checks the raw text and parses it into cfg (initialised
 * here; the caller destroys it even on failure); *text gets the file's
 * contents, to be freed by the caller.
 */
static int fd_parse(struct fd_ctx *x, config_t *cfg, char **text)
{
	int rc;

	config_init(cfg);
	*text = NULL;
	rc = fd_slurp(x->path, text, x->err);
	if (rc != 0)
		return rc;
	x->text = *text;
	rc = fd_prescan(x);
	if (rc == 0)
		rc = cfg_grammar(x->path, *text, NULL, 0, x->err);
	if (rc != 0)
		return rc;
	if (config_read_string(cfg, *text) != CONFIG_TRUE)
		return kerr_set(x->err, K_ECONFIG, NULL, "%s:%d: %s", x->path,
				config_error_line(cfg),
				config_error_text(cfg) != NULL ?
				config_error_text(cfg) : _("syntax error"));
	return 0;
}

/* A copy of the last component of path without ".form", or NULL. */
static char *fd_id_of(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n, sl = strlen(FD_SUFFIX);

	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	if (n > sl && strcmp(base + n - sl, FD_SUFFIX) == 0)
		n -= sl;
	return strndup(base, n);
}

/* formdef_load, and *code_line gets the line of form.code. */
static int fd_load(const char *path, struct formdef *out, unsigned *code_line,
		   struct kerr *err)
{
	struct fd_ctx x;
	struct formdef f;
	config_t cfg;
	char *text = NULL;
	int rc;

	memset(&x, 0, sizeof x);
	memset(&f, 0, sizeof f);
	x.path = path;
	x.err = err;
	rc = fd_parse(&x, &cfg, &text);
	if (rc == 0)
		rc = fd_read_form(&x, config_root_setting(&cfg), &f,
				  code_line);
	if (rc == 0 && ((f.file = strdup(path)) == NULL ||
			(f.id = fd_id_of(path)) == NULL))
		rc = fd_nomem(&x);
	config_destroy(&cfg);
	free(text);
	if (rc != 0) {
		formdef_free(&f);
		return rc;
	}
	*out = f;
	return 0;
}

int formdef_load(const char *path, struct formdef *out, struct kerr *err)
{
	unsigned code_line;

	if (path == NULL || out == NULL)
		return kerr_set(err, K_EINTERNAL, NULL,
				_("formdef_load: no file or no place for "
				  "the result"));
	return fd_load(path, out, &code_line, err);
}

/* ------------------------------------------------------------ the menu */

/* The form with id exactly, or NULL. */
static const struct formdef *fd_find_id(const struct formdef *forms,
					size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(forms[i].id, id) == 0)
			return &forms[i];
	return NULL;
}

/* The list of menu items: forward declaration for recursion. */
static int fd_read_items(struct fd_ctx *x, const config_setting_t *l,
			 const struct formset *fs, int depth, bool root,
			 struct fd_menu *m);

/* Reads menu item key setting s into *key: one ASCII letter or digit. */
static int fd_read_key(struct fd_ctx *x, const config_setting_t *s, char *key)
{
	const char *v;

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fd_fail(x, s, _("%s must be a string, not %s"),
			       fd_where(x, s), cfg_type_name(s));
	v = config_setting_get_string(s);
	if (v == NULL || strlen(v) != 1 ||
	    !(fd_is_alpha(v[0]) || fd_is_digit(v[0])))
		return fd_fail(x, s,
			       _("%s must be one letter (A to Z) or digit, "
				 "not \"%s\""),
			       fd_where(x, s), v != NULL ? v : "");
	*key = v[0] >= 'a' && v[0] <= 'z' ? (char)(v[0] - 'a' + 'A') : v[0];
	return 0;
}

/* Reads menu item group g into m (file is the menu's path). */
static int fd_read_item(struct fd_ctx *x, const config_setting_t *g,
			const struct formset *fs, int depth, struct fd_menu *m)
{
	const config_setting_t *s, *form, *items, *report;
	int rc;

	rc = fd_group(x, g, fd_item_keys);
	if (rc != 0)
		return rc;
	if ((rc = fd_need_text(x, g, "title", false, &m->title)) != 0)
		return rc;
	rc = fd_fits(x, config_setting_get_member(g, "title"), m->title,
		     FD_SCREEN_COLS, _("the screen"));
	if (rc != 0)
		return rc;
	if ((s = config_setting_get_member(g, "key")) != NULL &&
	    (rc = fd_read_key(x, s, &m->key)) != 0)
		return rc;
	form = config_setting_get_member(g, "form");
	items = config_setting_get_member(g, "items");
	report = config_setting_get_member(g, "report");
	if (form != NULL && items != NULL)
		return fd_fail(x, g,
			       _("menu item \"%s\" has both form and items "
				 "(it opens a form or a sub-menu, not both)"),
			       m->title);
	if (report != NULL && (form != NULL || items != NULL))
		return fd_fail(x, report,
			       _("menu item \"%s\" has both report and %s "
				 "(it opens one of form, report or items)"),
			       m->title, form != NULL ? "form" : "items");
	if (form == NULL && items == NULL && report == NULL)
		return fd_fail(x, g,
			       _("menu item \"%s\" has neither form nor "
				 "items nor report"),
			       m->title);
	if (report != NULL)
		return fd_text(x, report, false, &m->report);
	if (form != NULL) {
		rc = fd_text(x, form, false, &m->form);
		if (rc != 0)
			return rc;
		if (fd_find_id(fs->forms, fs->nforms, m->form) == NULL)
			return fd_fail(x, form,
				       _("menu item \"%s\": there is no form "
					 "\"%s\" (no file %s/%s%s)"),
				       m->title, m->form, fs->dir, m->form,
				       FD_SUFFIX);
		return 0;
	}
	if (depth >= FD_MENU_DEPTH)
		return fd_fail(x, items,
			       _("menu item \"%s\": sub-menus nest deeper "
				 "than %d levels"),
			       m->title, FD_MENU_DEPTH);
	return fd_read_items(x, items, fs, depth + 1, false, m);
}

/*
 * Reads the items list l into m->items: keys unique in the list, and
 * not empty unless root.
 */
static int fd_read_items(struct fd_ctx *x, const config_setting_t *l,
			 const struct formset *fs, int depth, bool root,
			 struct fd_menu *m)
{
	size_t i, j, n;
	int rc;

	rc = root ? fd_list_of(x, l, &n) : fd_list_some(x, l, &n);
	if (rc != 0 || n == 0)
		return rc;
	m->items = calloc(n, sizeof *m->items);
	if (m->items == NULL)
		return fd_nomem(x);
	m->nitems = n;
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(l,
								   (unsigned)i);
		struct fd_menu *it = &m->items[i];

		it->file = m->file;
		it->line = (int)config_setting_source_line(g);
		rc = fd_read_item(x, g, fs, depth, it);
		if (rc != 0)
			return rc;
		for (j = 0; it->key != 0 && j < i; j++)
			if (m->items[j].key == it->key)
				return fd_fail(x,
					       config_setting_get_member(g,
								"key"),
					       _("key \"%c\" of \"%s\" is "
						 "taken by \"%s\" on line %u"),
					       it->key, it->title,
					       m->items[j].title,
					       fd_elem_line(l, j, "key"));
	}
	return 0;
}

/* Reads path (menu.conf) into fs->menu, the forms being read. */
static int fd_load_menu(const char *path, struct formset *fs,
			struct kerr *err)
{
	const config_setting_t *root, *g, *s;
	struct fd_ctx x;
	config_t cfg;
	char *text = NULL;
	int rc;

	memset(&x, 0, sizeof x);
	x.path = path;
	x.err = err;
	rc = fd_parse(&x, &cfg, &text);
	if (rc != 0)
		goto out;
	root = config_root_setting(&cfg);
	if ((rc = fd_check_keys(&x, root, fd_menu_top_keys)) != 0)
		goto out;
	g = config_setting_get_member(root, "menu");
	if (g == NULL) {
		rc = fd_fail(&x, NULL,
			     _("there is no menu = { ... } in the file"));
		goto out;
	}
	if ((rc = fd_group(&x, g, fd_menu_keys)) != 0)
		goto out;
	fs->menu.line = (int)config_setting_source_line(g);
	if ((rc = fd_need_text(&x, g, "title", false, &fs->menu.title)) != 0)
		goto out;
	rc = fd_fits(&x, config_setting_get_member(g, "title"),
		     fs->menu.title, FD_SCREEN_COLS, _("the screen"));
	if (rc != 0)
		goto out;
	if ((rc = fd_need(&x, g, "items", &s)) != 0)
		goto out;
	rc = fd_read_items(&x, s, fs, 1, true, &fs->menu);
out:
	config_destroy(&cfg);
	free(text);
	return rc;
}

/* ------------------------------------------------------------ form sets */

/* qsort: form ids in strcmp order. */
static int fd_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The ids of the *.form files in dir (hidden files skipped), sorted,
 * into *ids (*n of them).
 */
static int fd_list_dir(const char *dir, char ***ids, size_t *n,
		       struct kerr *err)
{
	DIR *d;
	struct dirent *de;
	char **v = NULL;
	size_t len = 0, cap = 0, sl = strlen(FD_SUFFIX);
	int rc, e;

	d = opendir(dir);
	if (d == NULL) {
		e = errno;
		return kerr_set(err, K_EIO, NULL, _("%s: cannot read: %s"),
				dir, strerror(e));
	}
	for (;;) {
		size_t nl;

		errno = 0;
		de = readdir(d);
		if (de == NULL)
			break;
		nl = strlen(de->d_name);
		if (de->d_name[0] == '.' || nl <= sl ||
		    strcmp(de->d_name + nl - sl, FD_SUFFIX) != 0)
			continue;
		if (len == cap) {
			char **nv;

			cap = cap == 0 ? 16 : cap * 2;
			nv = realloc(v, cap * sizeof *v);
			if (nv == NULL)
				goto nomem;
			v = nv;
		}
		v[len] = strndup(de->d_name, nl - sl);
		if (v[len] == NULL)
			goto nomem;
		len++;
	}
	if (errno != 0) {
		e = errno;
		rc = kerr_set(err, K_EIO, NULL, _("%s: cannot read: %s"),
			      dir, strerror(e));
		goto fail;
	}
	closedir(d);
	if (len > 1)
		qsort(v, len, sizeof *v, fd_cmp_names);
	*ids = v;
	*n = len;
	return 0;
nomem:
	rc = kerr_set(err, K_ENOMEM, NULL, _("%s: out of memory"), dir);
fail:
	closedir(d);
	fd_free_strings(v, len);
	return rc;
}

/* dir "/" name suffix in a new string, or NULL. */
static char *fd_join(const char *dir, const char *name, const char *suffix)
{
	size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s%s%s%s", dir,
			 dir[0] != '\0' && dir[strlen(dir) - 1] == '/' ?
			 "" : "/", name, suffix);
	return p;
}

int formset_load(const char *dir, struct formset *out, struct kerr *err)
{
	struct formset fs;
	char **ids = NULL, *path = NULL;
	unsigned *code_lines = NULL;
	size_t nids = 0, i, j;
	int rc;

	memset(&fs, 0, sizeof fs);
	if (dir == NULL || out == NULL)
		return kerr_set(err, K_EINTERNAL, NULL,
				_("formset_load: no folder or no place for "
				  "the result"));
	rc = fd_list_dir(dir, &ids, &nids, err);
	if (rc != 0)
		return rc;
	if ((fs.dir = strdup(dir)) == NULL)
		goto nomem;
	if (nids > 0) {
		fs.forms = calloc(nids, sizeof *fs.forms);
		code_lines = calloc(nids, sizeof *code_lines);
		if (fs.forms == NULL || code_lines == NULL)
			goto nomem;
	}
	for (i = 0; i < nids; i++) {
		struct formdef *f = &fs.forms[i];

		path = fd_join(dir, ids[i], FD_SUFFIX);
		if (path == NULL)
			goto nomem;
		rc = fd_load(path, f, &code_lines[i], err);
		free(path);
		path = NULL;
		if (rc != 0)
			goto fail;
		fs.nforms = i + 1;
		for (j = 0; j < i; j++)
			if (strcmp(fs.forms[j].code, f->code) == 0) {
				rc = kerr_set(err, K_ECONFIG, "form.code",
					      _("%s:%u: code \"%s\" is "
						"already the code of %s:%u"),
					      f->file, code_lines[i], f->code,
					      fs.forms[j].file,
					      code_lines[j]);
				goto fail;
			}
	}
	fs.menu.file = fd_join(dir, FD_MENU_FILE, "");
	if (fs.menu.file == NULL)
		goto nomem;
	rc = fd_load_menu(fs.menu.file, &fs, err);
	if (rc != 0)
		goto fail;
	free(code_lines);
	fd_free_strings(ids, nids);
	*out = fs;
	return 0;
nomem:
	rc = kerr_set(err, K_ENOMEM, NULL, _("%s: out of memory"), dir);
fail:
	free(path);
	free(code_lines);
	fd_free_strings(ids, nids);
	formset_free(&fs);
	return rc;
}

/* ASCII case-insensitive equality. */
static bool fd_same_ci(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char ca = *a >= 'a' && *a <= 'z' ? (char)(*a - 'a' + 'A') : *a;
		char cb = *b >= 'a' && *b <= 'z' ? (char)(*b - 'a' + 'A') : *b;

		if (ca != cb)
			return false;
	}
	return *a == *b;
}

const struct formdef *formset_find(const struct formset *fs,
				   const char *id_or_code)
{
	const struct formdef *f;
	size_t i;

	if (fs == NULL || id_or_code == NULL || fs->forms == NULL)
		return NULL;
	f = fd_find_id(fs->forms, fs->nforms, id_or_code);
	if (f != NULL)
		return f;
	for (i = 0; i < fs->nforms; i++)
		if (fd_same_ci(fs->forms[i].code, id_or_code))
			return &fs->forms[i];
	return NULL;
}
