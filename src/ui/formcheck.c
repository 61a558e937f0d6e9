/*
 * formcheck.c - every form against the entities it names: fields that
 * exist, look-ups that are entities, hooks that are in the program's
 * table and of the right kind, limits and defaults that parse; and the
 * menu's report items against the program's reports.  The files' own
 * syntax and layout were checked by config/formdef.c; this is the
 * check that needs the domain and report layers.  Errors:
 * "FILE:LINE: ...".
 */
#include <string.h>

#include "base/i18n.h"
#include "report/report.h"
#include "ui/fieldcheck.h"
#include "ui/ui_int.h"

static int bad(struct kerr *err, const char *file, int line, const char *fmt,
	       const char *a, const char *b)
{
	char what[400];

	snprintf(what, sizeof what, fmt, a, b);
	return kerr_set(err, K_ECONFIG, NULL, "%s:%d: %s", file, line, what);
}

static int check_hook(const char *file, int line, const char *name,
		      enum hook_kind kind, const struct entity *e,
		      struct kerr *err)
{
	static const char *const kinds[] = { "validate", "on-change", "action" };
	const struct ent_hook *h = ent_hook_find(name);

	if (!h)
		return bad(err, file, line, _("unknown hook \"%s\"%s"), name, "");
	if (h->kind != kind)
		return bad(err, file, line, _("hook \"%s\" is not a %s hook"),
			   name, kinds[kind]);
	if (strcmp(h->entity, e->name) != 0)
		return bad(err, file, line, _("hook \"%s\" is for %s"), name,
			   h->entity);
	return 0;
}

/* A limit or default must be a value of the field's type. */
static int check_value(const char *file, int line, const struct fd_field *f,
		       const struct store_field *sf, const char *what,
		       const char *v, struct kerr *err)
{
	bool ok = true;

	if (!v)
		return 0;
	if (sf->type == SF_DATE && strcmp(v, "today") == 0 &&
	    strcmp(what, "default") == 0)
		return 0;
	if (fc_scale(sf->type) >= 0 || sf->type == SF_INT ||
	    sf->type == SF_DATE)
		fc_compare(sf->type, v, v, &ok);
	if (!ok) {
		char w[200];
		snprintf(w, sizeof w, "%s \"%s\"", what, v);
		return bad(err, file, line, _("field %s: %s is not a value of its type"),
			   f->name, w);
	}
	return 0;
}

static int check_form(struct formdef *fd, struct kerr *err)
{
	const struct entity *e = ent_find(fd->entity);
	const struct store_schema *s;
	int ret;

	if (!e)
		return bad(err, fd->file, fd->entity_line ? fd->entity_line :
			   fd->line, _("unknown entity \"%s\"%s"), fd->entity, "");
	s = e->schema;
	if (fd->info) {
		const struct ent_info *in = ent_info_find(fd->info);
		int line = fd->info_line ? fd->info_line : fd->line;
		if (!in)
			return bad(err, fd->file, line, _("unknown info \"%s\"%s"),
				   fd->info, "");
		if (strcmp(in->entity, e->name) != 0)
			return bad(err, fd->file, line, _("info \"%s\" is for %s"),
				   fd->info, in->entity);
	}
	if (fd->validate && (ret = check_hook(fd->file, fd->validate_line ?
					      fd->validate_line : fd->line,
					      fd->validate, HOOK_VALIDATE, e, err)))
		return ret;
	for (size_t i = 0; i < fd->nfields; i++) {
		struct fd_field *f = &fd->fields[i];
		const struct store_field *sf = store_field_find(s, f->name);
		if (!sf)
			return bad(err, fd->file, f->line,
				   _("%s has no field \"%s\""), e->name, f->name);
		if (sf->type == SF_LIST)
			return bad(err, fd->file, f->line,
				   _("field %s is a list: show it in the grid%s"),
				   f->name, "");
		if (f->nchoices && sf->type != SF_TEXT)
			return bad(err, fd->file, f->line,
				   _("field %s: choices need a text field%s"),
				   f->name, "");
		if (f->lookup && !ent_find(f->lookup))
			return bad(err, fd->file, f->line,
				   _("field %s: unknown look-up entity \"%s\""),
				   f->name, f->lookup);
		if (!f->lookup && sf->type == SF_REF && sf->ref) {
			const struct entity *r = ent_by_table(sf->ref);
			if (r)
				f->lookup = strdup(r->name);
		}
		if ((ret = check_value(fd->file, f->line, f, sf, "min", f->min, err)) ||
		    (ret = check_value(fd->file, f->line, f, sf, "max", f->max, err)) ||
		    (ret = check_value(fd->file, f->line, f, sf, "default", f->def, err)))
			return ret;
		if (f->on_change &&
		    (ret = check_hook(fd->file, f->line, f->on_change,
				      HOOK_CHANGE, e, err)))
			return ret;
	}
	if (fd->grid) {
		const struct store_field *gf = store_field_find(s, fd->grid->field);
		if (!gf || gf->type != SF_LIST)
			return bad(err, fd->file, fd->grid->line,
				   _("grid field \"%s\" is not a list of %s"),
				   fd->grid->field, e->name);
		for (size_t i = 0; i < fd->grid->ncols; i++) {
			struct fd_column *c = &fd->grid->cols[i];
			const struct store_field *cf = store_field_find(gf->sub, c->name);
			if (!cf || cf->type == SF_LIST)
				return bad(err, fd->file, c->line,
					   _("grid lines have no field \"%s\"%s"),
					   c->name, "");
			if (c->total && strcmp(c->total, "sum") == 0 &&
			    fc_scale(cf->type) < 0 && cf->type != SF_INT)
				return bad(err, fd->file, c->line,
					   _("column %s: only numbers have a sum%s"),
					   c->name, "");
			if (c->lookup && !ent_find(c->lookup))
				return bad(err, fd->file, c->line,
					   _("column %s: unknown look-up entity \"%s\""),
					   c->name, c->lookup);
			if (!c->lookup && cf->type == SF_REF && cf->ref) {
				const struct entity *r = ent_by_table(cf->ref);
				if (r)
					c->lookup = strdup(r->name);
			}
		}
	}
	for (size_t i = 0; i < fd->list.ncols; i++) {
		struct fd_column *c = &fd->list.cols[i];
		const struct store_field *cf = store_field_find(s, c->name);
		if (!cf || cf->type == SF_LIST)
			return bad(err, fd->file, c->line,
				   _("%s has no field \"%s\" to list"), e->name,
				   c->name);
	}
	for (size_t i = 0; i < fd->list.nsorts; i++) {
		struct fd_sort *so = &fd->list.sorts[i];
		size_t k;
		if (strcmp(so->index, "id") == 0)
			continue;
		for (k = 0; k < s->nindexes; k++)
			if (strcmp(s->indexes[k].name, so->index) == 0)
				break;
		if (k == s->nindexes)
			return bad(err, fd->file, so->line,
				   _("%s has no index \"%s\""), e->name, so->index);
	}
	for (size_t i = 0; i < fd->nactions; i++)
		if ((ret = check_hook(fd->file, fd->actions[i].line,
				      fd->actions[i].name, HOOK_ACTION, e, err)))
			return ret;
	return 0;
}

/* Every report item of menu m (and its sub-menus) names a report. */
static int check_menu(const struct fd_menu *m, struct kerr *err)
{
	int ret;

	if (m->report && !report_find(m->report))
		return bad(err, m->file, m->line,
			   _("menu item \"%s\": there is no report \"%s\" "
			     "(kontor report list names them)"),
			   m->title, m->report);
	for (size_t i = 0; i < m->nitems; i++)
		if ((ret = check_menu(&m->items[i], err)))
			return ret;
	return 0;
}

int ui_formcheck(struct formset *fs, struct kerr *err)
{
	int ret;

	for (size_t i = 0; i < fs->nforms; i++)
		if ((ret = check_form(&fs->forms[i], err)))
			return ret;
	return check_menu(&fs->menu, err);
}

bool ui_allowed(const struct formdef *fd, const char *what)
{
	char p[128];

	snprintf(p, sizeof p, "%s.%s", fd->permission, what);
	return perm_allowed(U->user, p);
}
