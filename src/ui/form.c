/*
 * form.c - the form screen: one record of an entity, its fields where
 * the form file puts them, and its line grid.
 *
 * The typed texts are what the clerk sees and what a draft keeps; the
 * record is built from them field by field as the clerk leaves each
 * one (so that computed fields follow), and again on save, where the
 * entity's rules run inside the saving transaction.  No lock is held
 * while the clerk types: saving compares the row version and refuses
 * a record someone else changed meanwhile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/num.h"
#include "base/utf8.h"
#include "ui/fieldcheck.h"
#include "ui/ui_int.h"

struct fscreen {
	const struct formdef *fd;
	const struct entity *e;
	const struct store_schema *s;
	void *rec;
	struct edit *ed;                   /* one per field */
	const struct store_field **sf;
	/* the grid */
	const struct store_field *gsf;     /* the list field */
	const struct store_field **gcf;    /* per column */
	size_t gncols;
	struct edit *cells;                /* nrows * gncols */
	size_t nrows, cap;
	int gtop, grow, gcol;
	int cur;                           /* field index; nfields = grid */
	bool dirty;
	const char *index;
	char title[200];
};

static size_t nfields(const struct fscreen *f)
{
	return f->fd->nfields;
}

static bool in_grid(const struct fscreen *f)
{
	return f->fd->grid && (size_t)f->cur == nfields(f);
}

static struct edit *cell(struct fscreen *f, size_t r, size_t c)
{
	return &f->cells[r * f->gncols + c];
}

/* ------------------------------------------------------- grid lines */

static bool grid_reserve(struct fscreen *f, size_t n)
{
	struct edit *p;

	if (n <= f->cap)
		return true;
	if (!(p = realloc(f->cells, n * 2 * f->gncols * sizeof *p)))
		return false;
	f->cells = p;
	f->cap = n * 2;
	return true;
}

static void grid_init_row(struct fscreen *f, size_t r)
{
	for (size_t c = 0; c < f->gncols; c++) {
		const struct fd_column *col = &f->fd->grid->cols[c];
		edit_init(cell(f, r, c), col->width,
			  fc_filter(NULL, f->gcf[c]));
		cell(f, r, c)->upper = col->upper || f->gcf[c]->type == SF_REF;
		cell(f, r, c)->readonly = col->readonly;
	}
}

static bool grid_insert(struct fscreen *f, size_t at)
{
	if (!grid_reserve(f, f->nrows + 1))
		return false;
	memmove(cell(f, at + 1, 0), cell(f, at, 0),
		(f->nrows - at) * f->gncols * sizeof *f->cells);
	f->nrows++;
	grid_init_row(f, at);
	return true;
}

static void grid_delete(struct fscreen *f, size_t at)
{
	if (at >= f->nrows)
		return;
	memmove(cell(f, at, 0), cell(f, at + 1, 0),
		(f->nrows - at - 1) * f->gncols * sizeof *f->cells);
	f->nrows--;
}

static bool row_blank(struct fscreen *f, size_t r)
{
	for (size_t c = 0; c < f->gncols; c++)
		if (*edit_text(cell(f, r, c)))
			return false;
	return true;
}

/* ------------------------------------------------- record <-> texts */

struct loadarg {
	struct fscreen *f;
	int64_t id;
};

static void texts_from_rec(struct store_txn *t, struct fscreen *f,
			   bool fields, bool grid)
{
	char buf[EDIT_MAX];

	if (fields)
		for (size_t i = 0; i < nfields(f); i++) {
			ent_field_get(t, f->sf[i], f->rec, buf, sizeof buf);
			edit_set(&f->ed[i], buf);
		}
	if (grid && f->gsf) {
		const struct store_list *l =
			(const void *)((const char *)f->rec + f->gsf->offset);
		f->nrows = 0;
		grid_reserve(f, l->n + 1);
		for (size_t r = 0; r < l->n; r++) {
			const char *el = (const char *)l->items +
					 r * f->gsf->sub->size;
			grid_init_row(f, r);
			for (size_t c = 0; c < f->gncols; c++) {
				ent_field_get(t, f->gcf[c], el, buf, sizeof buf);
				edit_set(cell(f, r, c), buf);
			}
			f->nrows++;
		}
	}
}

static int load_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct loadarg *a = arg;
	int ret;

	if ((ret = store_get(t, a->f->s, a->id, a->f->rec, err)) ||
	    (ret = ent_fill(t, a->f->e, a->f->rec, err)))
		return ret;
	texts_from_rec(t, a->f, true, true);
	return 0;
}

static int load(struct fscreen *f, int64_t id, struct kerr *err)
{
	struct loadarg a = { f, id };

	return store_read(U->st, load_fn, &a, err);
}

static void apply_defaults(struct fscreen *f)
{
	for (size_t i = 0; i < nfields(f); i++) {
		const struct fd_field *fd = &f->fd->fields[i];
		char d[32];
		if (!fd->def)
			continue;
		if (f->sf[i]->type == SF_DATE && strcmp(fd->def, "today") == 0)
			edit_set(&f->ed[i], date_format(date_today(), d, sizeof d));
		else
			edit_set(&f->ed[i], fd->def);
		ent_field_set(NULL, f->sf[i], f->rec, edit_text(&f->ed[i]), NULL);
	}
}

struct setarg {
	const struct store_field *sf;
	void *rec;
	const char *text;
};

static int set_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct setarg *a = arg;

	return ent_field_set(t, a->sf, a->rec, a->text, err);
}

static int set_field(const struct store_field *sf, void *rec,
		     const char *text, struct kerr *err)
{
	struct setarg a = { sf, rec, text };

	if (sf->type == SF_REF && *text)
		return store_read(U->st, set_fn, &a, err);
	return ent_field_set(NULL, sf, rec, text, err);
}

/* Derived fields follow the record: the entity's, then the form's. */
static void recompute(struct fscreen *f)
{
	char buf[EDIT_MAX];

	if (f->e->change)
		f->e->change(f->e, f->rec);
	for (size_t i = 0; i < nfields(f); i++) {
		const struct ent_hook *h;
		if (f->fd->fields[i].on_change &&
		    (h = ent_hook_find(f->fd->fields[i].on_change)) && h->change)
			h->change(f->e, f->rec);
	}
	for (size_t i = 0; i < nfields(f); i++)
		if (f->fd->fields[i].readonly && f->sf[i]->type != SF_REF) {
			ent_field_get(NULL, f->sf[i], f->rec, buf, sizeof buf);
			edit_set(&f->ed[i], buf);
		}
}

/* Checks field i's text and puts it into the record. */
static int commit_field(struct fscreen *f, size_t i, struct kerr *err)
{
	const struct fd_field *fd = &f->fd->fields[i];
	const char *text;
	int ret;

	if (fd->readonly)
		return 0;
	text = edit_text(&f->ed[i]);
	if ((ret = fc_check(fd, f->sf[i], text, err)))
		return ret;
	if ((ret = set_field(f->sf[i], f->rec, text, err))) {
		if (!err->field[0])
			snprintf(err->field, sizeof err->field, "%s", fd->name);
		return ret;
	}
	recompute(f);
	return 0;
}

/* Puts the grid's lines into the record's list; blank lines dropped. */
static int commit_grid(struct fscreen *f, struct kerr *err)
{
	const struct store_schema *sub;
	struct store_list *l;
	char *items;
	size_t n = 0;

	if (!f->gsf)
		return 0;
	sub = f->gsf->sub;
	l = (void *)((char *)f->rec + f->gsf->offset);
	if (!(items = calloc(f->nrows ? f->nrows : 1, sub->size)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	for (size_t r = 0; r < f->nrows; r++) {
		char *el = items + n * sub->size;
		if (row_blank(f, r))
			continue;
		for (size_t k = 0; k < sub->nfields; k++)
			if (sub->fields[k].type == SF_DATE)
				*(kdate *)(el + sub->fields[k].offset) = DATE_NONE;
		n++;
		for (size_t c = 0; c < f->gncols; c++) {
			int ret = set_field(f->gcf[c], el, edit_text(cell(f, r, c)),
					    err);
			if (ret) {
				/* free what the built elements own */
				for (size_t k = 0; k < sub->nfields; k++)
					for (size_t m = 0; m < n; m++)
						store_field_clear(&sub->fields[k],
								  items + m * sub->size);
				free(items);
				f->grow = (int)r;
				f->gcol = (int)c;
				f->cur = (int)nfields(f);
				kerr_prefix(err, _("line %zu"), r + 1);
				return ret;
			}
		}
	}
	store_field_clear(f->gsf, f->rec);
	l->items = items;
	l->n = n;
	return 0;
}

/* ------------------------------------------------------------ drawing */

static int oy(void)
{
	return UI_BODY_TOP;
}

static void draw_grid(struct fscreen *f)
{
	const struct fd_grid *g = f->fd->grid;
	int y = oy() + g->row, x = 0;
	char buf[EDIT_MAX * 2], tot[NUM_BUFSZ + 8];
	int cc;

	if (f->grow >= (int)f->nrows)
		f->grow = f->nrows ? (int)f->nrows - 1 : 0;
	if (f->grow < f->gtop)
		f->gtop = f->grow;
	if (f->grow >= f->gtop + g->rows)
		f->gtop = f->grow - g->rows + 1;
	for (size_t c = 0; c < f->gncols; c++) {
		ui_put(stdscr, y, x, g->cols[c].heading, g->cols[c].width,
		       R_HEADING);
		x += g->cols[c].width + 1;
	}
	for (int r = 0; r < g->rows; r++) {
		size_t row = (size_t)(f->gtop + r);
		x = 0;
		for (size_t c = 0; c < f->gncols; c++) {
			bool focus = in_grid(f) && (int)row == f->grow &&
				     (int)c == f->gcol;
			if (row < f->nrows) {
				if (focus)
					edit_view(cell(f, row, c), buf, sizeof buf, &cc);
				else
					edit_view_home(cell(f, row, c), buf, sizeof buf);
				ui_put(stdscr, y + 1 + r, x, buf, g->cols[c].width,
				       focus ? R_FOCUS : R_INPUT);
			} else {
				ui_put(stdscr, y + 1 + r, x, focus ? "" : "",
				       g->cols[c].width,
				       focus ? R_FOCUS : R_NORMAL);
			}
			x += g->cols[c].width + 1;
		}
	}
	/* Footer: totals under their columns, then where we are. */
	int64_t dsum[2] = { 0, 0 };
	int dscale = 0, after_totals = 0;
	x = 0;
	for (size_t c = 0; c < f->gncols; c++) {
		const struct fd_column *col = &g->cols[c];
		tot[0] = '\0';
		if (col->total && strcmp(col->total, "count") == 0) {
			size_t k = 0;
			for (size_t r = 0; r < f->nrows; r++)
				k += !row_blank(f, r);
			snprintf(tot, sizeof tot, "%zu", k);
		} else if (col->total) {
			int scale = fc_scale(f->gcf[c]->type);
			int64_t sum = 0, v;
			bool over = false;
			if (scale < 0)
				scale = 0;
			for (size_t r = 0; r < f->nrows; r++)
				if (num_parse(edit_text(cell(f, r, c)), scale, &v,
					      NULL) == 0 && num_add(sum, v, &sum))
					over = true;
			if (over)
				snprintf(tot, sizeof tot, "%s", "####");
			else
				num_format(sum, scale, true, tot, sizeof tot);
			for (int k = 0; k < 2; k++)
				if (g->diff[k] && strcmp(g->diff[k],
							 col->name) == 0) {
					dsum[k] = sum;
					dscale = scale;
				}
		}
		if (col->total)
			after_totals = x + col->width + 1;
		if (tot[0])
			ui_put_right(stdscr, y + 1 + g->rows, x, tot, col->width,
				     R_TITLE);
		else
			ui_put(stdscr, y + 1 + g->rows, x, "", col->width,
			       R_NORMAL);
		x += col->width + 1;
	}
	if (g->diff[0]) {
		/* The running difference a journal clerk balances to 0. */
		char d[NUM_BUFSZ];
		num_format(dsum[0] - dsum[1], dscale, true, d, sizeof d);
		snprintf(buf, sizeof buf, _("difference %s  line %d of %zu"), d,
			 f->nrows ? f->grow + 1 : 0, f->nrows);
	} else {
		snprintf(buf, sizeof buf, _("line %d of %zu"),
			 f->nrows ? f->grow + 1 : 0, f->nrows);
	}
	/* Past the grid when there is room, else in the footer cells of
	   the columns after the last total (they show nothing). */
	if (x + (int)utf8_width(buf) >= COLS && g->diff[0])
		x = after_totals;
	if (x + (int)utf8_width(buf) < COLS)
		ui_put(stdscr, y + 1 + g->rows, x, buf, (int)utf8_width(buf),
		       g->diff[0] && dsum[0] != dsum[1] ? R_TITLE : R_DIM);
}

static const char *form_keys(struct fscreen *f)
{
	static char k[256];
	const struct fd_field *fd = in_grid(f) ? NULL : &f->fd->fields[f->cur];
	bool lookup = fd ? fd->lookup != NULL :
		      (f->gncols && f->fd->grid->cols[f->gcol].lookup);

	if (in_grid(f))
		snprintf(k, sizeof k, "%s",
			 lookup ? _(" F1 Help F2 Save F3 Back F4 Look-up F5 Insert F6 Delete line ^U/^D Move")
				: _(" F1 Help F2 Save F3 Back F5 Insert line F6 Delete line ^U/^D Move line"));
	else
		snprintf(k, sizeof k, "%s%s%s%s%s%s%s%s",
			 _(" F1 Help"),
			 ui_allowed(f->fd, ((struct store_rec *)f->rec)->version ?
				    "edit" : "create") ? _(" F2 Save") : "",
			 _(" F3 Back"),
			 lookup ? _(" F4 Look-up") : "",
			 ui_allowed(f->fd, "delete") ? _(" F6 Del") : "",
			 _(" F7/8 Prev/Next"),
			 perm_allowed(U->user, "audit.read") ? _(" F9 Hist") : "",
			 f->fd->nactions ? _(" F10 Actions") : _(" ^G Go"));
	return k;
}

static void draw(struct fscreen *f)
{
	const struct formdef *fd = f->fd;
	char buf[EDIT_MAX * 2], right[160];
	int cy = -1, cx = 0, cc;
	const struct store_rec *h = f->rec;

	if (ui_too_small())
		return;
	erase();
	if (h->version)
		snprintf(right, sizeof right, _("rev %lu, %s "),
			 (unsigned long)h->version, h->muser);
	else
		snprintf(right, sizeof right, "%s", _("new record "));
	snprintf(buf, sizeof buf, " %s%s", f->title, f->dirty ? _("  [changed]") : "");
	ui_put(stdscr, 1, 0, buf, COLS - (int)utf8_width(right), R_TITLE);
	ui_put_right(stdscr, 1, COLS - (int)utf8_width(right), right,
		     (int)utf8_width(right), R_DIM);
	for (size_t i = 0; i < nfields(f); i++) {
		const struct fd_field *ff = &fd->fields[i];
		int y = oy() + ff->row;
		char label[200];
		bool focus = !in_grid(f) && (size_t)f->cur == i;
		snprintf(label, sizeof label, "%s%s", ff->label,
			 ff->required ? "*" : "");
		ui_put(stdscr, y, ff->col, label, fd->label_width - 1,
		       ff->required ? R_REQUIRED : R_LABEL);
		if (focus)
			edit_view(&f->ed[i], buf, sizeof buf, &cc);
		else
			edit_view_home(&f->ed[i], buf, sizeof buf);
		ui_put(stdscr, y, ff->col + fd->label_width, buf, ff->width,
		       focus ? R_FOCUS : ff->readonly ? R_READONLY : R_INPUT);
		if (focus) {
			cy = y;
			cx = ff->col + fd->label_width + cc;
		}
	}
	if (fd->grid) {
		draw_grid(f);
		if (in_grid(f) && f->nrows) {
			int x = 0;
			for (int c = 0; c < f->gcol; c++)
				x += fd->grid->cols[c].width + 1;
			edit_view(cell(f, (size_t)f->grow, (size_t)f->gcol), buf,
				  sizeof buf, &cc);
			cy = oy() + fd->grid->row + 1 + (f->grow - f->gtop);
			cx = x + cc;
		} else if (in_grid(f)) {
			cy = oy() + fd->grid->row + 1;
			cx = 0;
		}
	}
	ui_frame(form_keys(f));
	if (cy >= 0) {
		move(cy, cx);
		curs_set(1);
	} else {
		curs_set(0);
	}
	refresh();
}

/* ------------------------------------------------------------ drafts */

static void fill_draft(struct fscreen *f, struct draft *d)
{
	const struct store_rec *h = f->rec;

	memset(d, 0, sizeof *d);
	d->id = h->id;
	d->version = h->version;
	d->saved_us = date_now_us();
	d->n = nfields(f);
	d->names = calloc(d->n ? d->n : 1, sizeof *d->names);
	d->values = calloc(d->n ? d->n : 1, sizeof *d->values);
	for (size_t i = 0; d->names && d->values && i < d->n; i++) {
		d->names[i] = (char *)f->fd->fields[i].name;
		d->values[i] = (char *)edit_text(&f->ed[i]);
		if (strcmp(f->fd->fields[i].name, f->e->code_field) == 0)
			d->code = d->values[i];
	}
	if (f->gsf) {
		d->ncols = f->gncols;
		d->nrows = f->nrows;
		d->cells = calloc(f->nrows * f->gncols + 1, sizeof *d->cells);
		for (size_t r = 0; d->cells && r < f->nrows; r++)
			for (size_t c = 0; c < f->gncols; c++)
				d->cells[r * f->gncols + c] =
					(char *)edit_text(cell(f, r, c));
	}
}

static void save_draft(void *arg)
{
	struct fscreen *f = arg;
	struct draft d;
	struct kerr err;

	if (!f->dirty)
		return;
	fill_draft(f, &d);
	draft_save(f->fd->id, &d, &err);
	free(d.names);
	free(d.values);
	free(d.cells);
}

static void apply_draft(struct fscreen *f, const struct draft *d)
{
	for (size_t k = 0; k < d->n; k++)
		for (size_t i = 0; i < nfields(f); i++)
			if (strcmp(f->fd->fields[i].name, d->names[k]) == 0 &&
			    !f->fd->fields[i].readonly) {
				edit_set(&f->ed[i], d->values[k]);
				set_field(f->sf[i], f->rec, d->values[k], NULL);
			}
	if (f->gsf && d->ncols == f->gncols) {
		f->nrows = 0;
		grid_reserve(f, d->nrows + 1);
		for (size_t r = 0; r < d->nrows; r++) {
			grid_init_row(f, r);
			for (size_t c = 0; c < f->gncols; c++)
				edit_set(cell(f, r, c), d->cells[r * d->ncols + c]);
			f->nrows++;
		}
	}
	recompute(f);
	f->dirty = true;
}

/* ------------------------------------------------------------ actions */

static void set_title(struct fscreen *f)
{
	const char *code = "", *name = "";

	for (size_t i = 0; i < nfields(f); i++) {
		if (strcmp(f->fd->fields[i].name, f->e->code_field) == 0)
			code = edit_text(&f->ed[i]);
		else if (strcmp(f->fd->fields[i].name, f->e->name_field) == 0)
			name = edit_text(&f->ed[i]);
	}
	snprintf(f->title, sizeof f->title, "%s  %s  %s", f->fd->title, code,
		 name);
}

static void focus_field(struct fscreen *f, const char *name)
{
	if (!name || !name[0])
		return;
	for (size_t i = 0; i < nfields(f); i++)
		if (strcmp(f->fd->fields[i].name, name) == 0) {
			f->cur = (int)i;
			return;
		}
	if (f->gsf && strcmp(f->gsf->name, name) == 0)
		f->cur = (int)nfields(f);
	else if (f->gsf)
		for (size_t c = 0; c < f->gncols; c++)
			if (strcmp(f->fd->grid->cols[c].name, name) == 0) {
				f->cur = (int)nfields(f);
				f->gcol = (int)c;
			}
}

/* Returns 1 when saved, 0 when not (message shown). */
static int save(struct fscreen *f)
{
	struct kerr err;
	const struct ent_hook *h = f->fd->validate ?
				   ent_hook_find(f->fd->validate) : NULL;
	const struct store_rec *r = f->rec;
	bool create = r->version == 0;
	int ret;

	kerr_clear(&err);
	if (!ui_allowed(f->fd, create ? "create" : "edit")) {
		ui_message(MSG_ERROR, _("You may not %s %s records."),
			   create ? _("create") : _("change"), f->e->name);
		return 0;
	}
	for (size_t i = 0; i < nfields(f); i++)
		if ((ret = commit_field(f, i, &err))) {
			f->cur = (int)i;
			ui_message(MSG_ERROR, "%s", err.msg);
			return 0;
		}
	if ((ret = commit_grid(f, &err))) {
		ui_message(MSG_ERROR, "%s", err.msg);
		return 0;
	}
	ret = ent_save(U->st, f->e, f->rec, h ? h->validate : NULL, &err);
	if (ret == K_ECONFLICT) {
		char q[700];
		snprintf(q, sizeof q,
			 _("Not saved: %s. Reload it (your changes are lost) or keep editing? "),
			 err.msg);
		int a = ui_ask(q, "rk");
		if (a == 'r') {
			struct kerr e2;
			if (load(f, r->id, &e2))
				ui_message(MSG_ERROR, "%s", e2.msg);
			else {
				f->dirty = false;
				draft_remove(f->fd->id);
				ui_message(MSG_INFO, _("Reloaded: the record as saved by %s."),
					   ((struct store_rec *)f->rec)->muser);
			}
		} else {
			ui_message(MSG_ERROR, "%s", err.msg);
		}
		return 0;
	}
	if (ret) {
		focus_field(f, err.field);
		ui_message(MSG_ERROR, "%s", err.msg);
		return 0;
	}
	{
		struct kerr e2;
		load(f, r->id, &e2);
	}
	f->dirty = false;
	draft_remove(f->fd->id);
	set_title(f);
	ui_message(MSG_INFO, create ? _("Created %s.") : _("Saved %s."), f->title);
	return 1;
}

/* Asks before unsaved changes are lost: 1 go on, 0 stay, -1 hang-up. */
static int leave_ok(struct fscreen *f)
{
	int a;

	if (!f->dirty)
		return 1;
	a = ui_ask(_("Save your changes? "), "yn");
	if (a < 0)
		return -1;
	if (a == 0)
		return 0;
	if (a == 'n') {
		draft_remove(f->fd->id);
		return 1;
	}
	return save(f);
}

struct stepargs {
	struct fscreen *f;
	bool next;
	int64_t id;
};

static int step_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct stepargs *a = arg;
	struct store_cursor *c;
	void *tmp = ent_new(a->f->e);
	int ret;

	if (!tmp)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	ret = store_cursor_open(t, a->f->s, a->f->index, &c, err);
	if (ret == 0) {
		ret = store_cursor_seek_rec(c, a->f->rec, tmp, err);
		if (ret == 0 && ((struct store_rec *)tmp)->id ==
				((struct store_rec *)a->f->rec)->id)
			ret = a->next ? store_cursor_next(c, tmp, err) :
					store_cursor_prev(c, tmp, err);
		else if (ret == 0 && !a->next)
			ret = store_cursor_prev(c, tmp, err);
		else if (ret == K_ENOTFOUND && !a->next) {
			kerr_clear(err);
			ret = store_cursor_last(c, tmp, err);
		}
		if (ret == 0)
			a->id = ((struct store_rec *)tmp)->id;
		store_cursor_close(&c);
	}
	ent_free(a->f->e, tmp);
	return ret;
}

static void step(struct fscreen *f, bool next)
{
	struct stepargs a = { f, next, 0 };
	struct kerr err;

	if (((struct store_rec *)f->rec)->version == 0)
		return;
	if (store_read(U->st, step_fn, &a, &err) || a.id == 0) {
		ui_message(MSG_INFO, next ? _("This is the last record.") :
			   _("This is the first record."));
		return;
	}
	if (load(f, a.id, &err)) {
		ui_message(MSG_ERROR, "%s", err.msg);
		return;
	}
	f->dirty = false;
	f->gtop = f->grow = f->gcol = 0;
	set_title(f);
}

static int do_delete(struct fscreen *f)
{
	struct kerr err;
	char q[400];
	int a;

	if (((struct store_rec *)f->rec)->version == 0) {
		ui_message(MSG_INFO, _("This record is not saved yet; F3 leaves it."));
		return 0;
	}
	if (!ui_allowed(f->fd, "delete")) {
		ui_message(MSG_ERROR, _("You may not delete %s records."),
			   f->e->name);
		return 0;
	}
	snprintf(q, sizeof q, _("Delete %s? "), f->title);
	if ((a = ui_ask(q, "yn")) != 'y')
		return a < 0 ? -1 : 0;
	if (ent_delete(U->st, f->e, f->rec, &err)) {
		ui_message(MSG_ERROR, _("Not deleted: %s"), err.msg);
		return 0;
	}
	draft_remove(f->fd->id);
	ui_message(MSG_INFO, _("Deleted %s."), f->title);
	return 1;
}

static int do_actions(struct fscreen *f)
{
	const struct formdef *fd = f->fd;
	const struct fd_action *act[32];
	const struct ent_hook *hook[32];
	WINDOW *w;
	struct ukey_ev ev;
	int sel = 0, ret = UI_OK, n = 0;

	if (!fd->nactions)
		return UI_OK;
	if (((struct store_rec *)f->rec)->version == 0 || f->dirty) {
		ui_message(MSG_INFO, _("Save the record first (F2)."));
		return UI_OK;
	}
	/* Only the actions the user's roles allow are offered. */
	for (size_t i = 0; i < fd->nactions && n < 32; i++) {
		const struct ent_hook *h = ent_hook_find(fd->actions[i].name);
		if (h && h->action && ui_allowed(fd, h->perm ? h->perm : "edit")) {
			act[n] = &fd->actions[i];
			hook[n++] = h;
		}
	}
	if (!n) {
		ui_message(MSG_ERROR, _("You may not change %s records."),
			   f->e->name);
		return UI_OK;
	}
	if (!(w = ui_popup(n + 2, 50, _("Actions"))))
		return UI_OK;
	for (;;) {
		for (int i = 0; i < n; i++) {
			char line[200];
			snprintf(line, sizeof line, " %d %s", i + 1, act[i]->label);
			ui_put(w, i + 1, 1, line, getmaxx(w) - 2,
			       i == sel ? R_SELECT : R_NORMAL);
		}
		update_panels();
		doupdate();
		ui_getkey(&ev);
		if (ev.k == UK_HANGUP) {
			ret = UI_HANGUP;
			break;
		}
		if (ev.k == UK_BACK || ev.k == UK_ACTIONS)
			break;
		if (ev.k == UK_UP && sel > 0)
			sel--;
		else if (ev.k == UK_DOWN && sel + 1 < n)
			sel++;
		else if (ev.k == UK_CHAR && ev.ch >= '1' && ev.ch < '1' + n)
			sel = (int)(ev.ch - '1');
		if (ev.k == UK_ENTER ||
		    (ev.k == UK_CHAR && ev.ch >= '1' && ev.ch < '1' + n)) {
			struct kerr err;
			char msg[300] = "";
			ui_popup_close(w);
			w = NULL;
			kerr_clear(&err);
			if (hook[sel]->action(U->st, f->e, f->rec, msg, sizeof msg,
					      &err))
				ui_message(MSG_ERROR, "%s", err.msg);
			else
				ui_message(MSG_INFO, "%s", msg[0] ? msg : _("Done."));
			load(f, ((struct store_rec *)f->rec)->id, &err);
			set_title(f);      /* an action may change what it shows */
			break;
		}
	}
	ui_popup_close(w);
	return ret;
}

static void do_lookup(struct fscreen *f)
{
	const char *target = NULL;
	struct edit *ed = NULL;
	const struct entity *ent;
	char code[256];
	int r;

	if (in_grid(f)) {
		if (f->nrows && f->gncols) {
			target = f->fd->grid->cols[f->gcol].lookup;
			ed = cell(f, (size_t)f->grow, (size_t)f->gcol);
		}
	} else {
		target = f->fd->fields[f->cur].lookup;
		ed = &f->ed[f->cur];
		if (f->fd->fields[f->cur].readonly)
			target = NULL;
	}
	if (!target || !(ent = ent_find(target))) {
		ui_message(MSG_INFO, _("No look-up for this field."));
		return;
	}
	r = ui_lookup(ent, edit_text(ed), code, sizeof code);
	if (r < 0) {
		ui_hup = 1;
		return;
	}
	if (r == 1) {
		edit_set(ed, code);
		f->dirty = true;
	}
}

/* ------------------------------------------------------------ moving */

static bool focusable(struct fscreen *f, size_t i)
{
	if (i == nfields(f))
		return f->fd->grid != NULL;
	return !f->fd->fields[i].readonly;
}

/* Leaves the current field (checked) and moves by dir; false if refused. */
static bool move_focus(struct fscreen *f, int dir)
{
	size_t n = nfields(f) + (f->fd->grid ? 1 : 0);
	struct kerr err;

	if (!in_grid(f) && f->ed[f->cur].changed) {
		kerr_clear(&err);
		if (commit_field(f, (size_t)f->cur, &err)) {
			ui_message(MSG_ERROR, "%s", err.msg);
			return false;
		}
		f->ed[f->cur].changed = false;
		set_title(f);
	}
	for (size_t k = 0; k < n; k++) {
		f->cur = (int)(((size_t)f->cur + n + (size_t)dir) % n);
		if (focusable(f, (size_t)f->cur))
			break;
	}
	if (in_grid(f)) {
		if (dir > 0)
			f->grow = f->gcol = 0;
		if (f->nrows == 0) {
			grid_insert(f, 0);
		}
		cell(f, (size_t)f->grow, (size_t)f->gcol)->fresh = true;
	} else {
		f->ed[f->cur].fresh = true;
	}
	return true;
}

static void grid_key(struct fscreen *f, struct ukey_ev *ev)
{
	int last = (int)f->gncols - 1;

	switch (ev->k) {
	case UK_TAB:
	case UK_ENTER:
		if (f->gcol < last)
			f->gcol++;
		else if (f->grow + 1 < (int)f->nrows) {
			f->grow++;
			f->gcol = 0;
		} else if (!row_blank(f, (size_t)f->grow) && ev->k == UK_ENTER) {
			grid_insert(f, f->nrows);
			f->grow++;
			f->gcol = 0;
		} else {
			if (f->nrows && row_blank(f, (size_t)f->grow)) {
				grid_delete(f, (size_t)f->grow);
			}
			move_focus(f, 1);
		}
		break;
	case UK_BTAB:
		if (f->gcol > 0)
			f->gcol--;
		else if (f->grow > 0) {
			f->grow--;
			f->gcol = last;
		} else
			move_focus(f, -1);
		break;
	case UK_UP:
		if (f->grow > 0)
			f->grow--;
		else
			move_focus(f, -1);
		break;
	case UK_DOWN:
		if (f->grow + 1 < (int)f->nrows)
			f->grow++;
		else if (f->nrows && !row_blank(f, (size_t)f->grow)) {
			grid_insert(f, f->nrows);
			f->grow++;
		}
		break;
	case UK_PGDN:
		f->grow += f->fd->grid->rows;
		if (f->grow >= (int)f->nrows)
			f->grow = f->nrows ? (int)f->nrows - 1 : 0;
		break;
	case UK_PGUP:
		f->grow -= f->fd->grid->rows;
		if (f->grow < 0)
			f->grow = 0;
		break;
	case UK_NEW:
		grid_insert(f, f->nrows ? (size_t)f->grow : 0);
		f->gcol = 0;
		f->dirty = true;
		break;
	case UK_DELETE:
		if (f->nrows) {
			grid_delete(f, (size_t)f->grow);
			f->dirty = true;
			if (f->nrows == 0)
				grid_insert(f, 0);
		}
		break;
	case UK_ROWUP:
		if (f->grow > 0) {
			struct edit tmp[16];
			size_t sz = f->gncols * sizeof *f->cells;
			if (f->gncols <= 16) {
				memcpy(tmp, cell(f, (size_t)f->grow, 0), sz);
				memcpy(cell(f, (size_t)f->grow, 0),
				       cell(f, (size_t)f->grow - 1, 0), sz);
				memcpy(cell(f, (size_t)f->grow - 1, 0), tmp, sz);
				f->grow--;
				f->dirty = true;
			}
		}
		break;
	case UK_ROWDOWN:
		if (f->grow + 1 < (int)f->nrows) {
			struct edit tmp[16];
			size_t sz = f->gncols * sizeof *f->cells;
			if (f->gncols <= 16) {
				memcpy(tmp, cell(f, (size_t)f->grow, 0), sz);
				memcpy(cell(f, (size_t)f->grow, 0),
				       cell(f, (size_t)f->grow + 1, 0), sz);
				memcpy(cell(f, (size_t)f->grow + 1, 0), tmp, sz);
				f->grow++;
				f->dirty = true;
			}
		}
		break;
	default:
		if (f->nrows) {
			struct edit *ed = cell(f, (size_t)f->grow, (size_t)f->gcol);
			if (edit_key(ed, ev)) {
				if (ed->changed)
					f->dirty = true;
			}
		}
		return;
	}
	if (in_grid(f) && f->nrows)
		cell(f, (size_t)f->grow, (size_t)f->gcol)->fresh = true;
}

/* ------------------------------------------------------------ the screen */

static bool setup(struct fscreen *f, const struct formdef *fd)
{
	memset(f, 0, sizeof *f);
	f->fd = fd;
	if (!(f->e = ent_find(fd->entity)))
		return false;
	f->s = f->e->schema;
	f->ed = calloc(fd->nfields ? fd->nfields : 1, sizeof *f->ed);
	f->sf = calloc(fd->nfields ? fd->nfields : 1, sizeof *f->sf);
	if (!f->ed || !f->sf)
		return false;
	for (size_t i = 0; i < fd->nfields; i++) {
		const struct fd_field *ff = &fd->fields[i];
		f->sf[i] = store_field_find(f->s, ff->name);
		edit_init(&f->ed[i], ff->width, fc_filter(ff, f->sf[i]));
		f->ed[i].upper = ff->upper || f->sf[i]->type == SF_REF;
		f->ed[i].readonly = ff->readonly;
		f->ed[i].max_chars = ff->max_len;
	}
	if (fd->grid) {
		f->gsf = store_field_find(f->s, fd->grid->field);
		f->gncols = fd->grid->ncols;
		f->gcf = calloc(f->gncols, sizeof *f->gcf);
		if (!f->gcf)
			return false;
		for (size_t c = 0; c < f->gncols; c++)
			f->gcf[c] = store_field_find(f->gsf->sub,
						     fd->grid->cols[c].name);
		grid_reserve(f, 4);
	}
	while ((size_t)f->cur < fd->nfields && !focusable(f, (size_t)f->cur))
		f->cur++;
	return true;
}

static void teardown(struct fscreen *f)
{
	if (f->rec)
		ent_free(f->e, f->rec);
	free(f->ed);
	free(f->sf);
	free(f->gcf);
	free(f->cells);
	free(f);
}

int ui_form(const struct formdef *fd, int64_t id, const char *index)
{
	struct fscreen *fp = calloc(1, sizeof *fp);
	struct ukey_ev ev;
	struct kerr err;
	struct draft d;
	int status = UI_OK;

	/*
	 * On the heap: after an eviction's siglongjmp this frame is gone but
	 * the draft is still written from the state.
	 */
	if (!fp) {
		ui_message(MSG_ERROR, _("Out of memory."));
		return UI_OK;
	}
	if (!setup(fp, fd) || !(fp->rec = ent_new(fp->e))) {
		teardown(fp);
		ui_message(MSG_ERROR, _("Out of memory."));
		return UI_OK;
	}
	fp->index = index ? index : fp->e->code_index;
	if (id) {
		if (load(fp, id, &err)) {
			ui_message(MSG_ERROR, "%s", err.msg);
			teardown(fp);
			return UI_OK;
		}
	} else {
		if (!ui_allowed(fd, "create")) {
			ui_message(MSG_ERROR, _("You may not create %s records."),
				   fp->e->name);
			teardown(fp);
			return UI_OK;
		}
		texts_from_rec(NULL, fp, true, true);
		apply_defaults(fp);
		recompute(fp);
	}
	set_title(fp);
	if ((size_t)fp->cur < fd->nfields)
		fp->ed[fp->cur].fresh = true;
	ui_crumb_push(fd->title);
	U->save_draft = save_draft;
	U->save_draft_arg = fp;
	/* What the clerk typed before the link dropped is offered back. */
	if (draft_load(fd->id, &d, &err) == 0) {
		if (d.id == id) {
			char when[32], q[300];
			date_format_ts(d.saved_us, when, sizeof when);
			snprintf(q, sizeof q,
				 _("You have unsaved changes from %s. Restore them? "),
				 when);
			draw(fp);
			int a = ui_draft_accepted ? 'y' : ui_ask(q, "yn");
			if (a == 'y') {
				apply_draft(fp, &d);
				if (d.version != ((struct store_rec *)fp->rec)->version)
					ui_message(MSG_INFO,
						   _("Restored. The record was changed since; saving will say by whom."));
				else
					ui_message(MSG_INFO, _("Restored your unsaved changes."));
				((struct store_rec *)fp->rec)->version =
					d.version ? d.version :
					((struct store_rec *)fp->rec)->version;
			} else if (a == 'n') {
				draft_remove(fd->id);
			} else if (a < 0) {
				status = UI_HANGUP;
			}
			set_title(fp);
		}
		draft_free(&d);
	}
	ui_draft_accepted = false;
	while (status == UI_OK) {
		U->redraw = (void (*)(void *))draw;
		U->redraw_arg = fp;
		draw(fp);
		ui_getkey(&ev);
		if (ev.k != UK_IDLE && ev.k != UK_RESIZE)
			ui_message_clear();
		switch (ev.k) {
		case UK_HANGUP:
			save_draft(fp);
			status = UI_HANGUP;
			break;
		case UK_IDLE:
		case UK_RESIZE:
			break;
		case UK_REDRAW:
			clearok(curscr, TRUE);
			break;
		case UK_BACK: {
			int r = leave_ok(fp);
			if (r < 0) {
				save_draft(fp);
				status = UI_HANGUP;
			} else if (r > 0) {
				goto out;
			}
			break;
		}
		case UK_SAVE:
			save(fp);
			break;
		case UK_HELP: {
			const struct fd_field *ff = in_grid(fp) ? NULL :
						    &fd->fields[fp->cur];
			if (ui_help(fd->title, fd->help, ff ? ff->label :
				    fd->grid->cols[fp->gcol].heading,
				    ff ? ff->help : NULL) == UI_HANGUP) {
				save_draft(fp);
				status = UI_HANGUP;
			}
			break;
		}
		case UK_LOOKUP:
			do_lookup(fp);
			break;
		case UK_DELETE:
			if (in_grid(fp)) {
				grid_key(fp, &ev);
				break;
			}
			{
				int r = do_delete(fp);
				if (r > 0)
					goto out;
				if (r < 0)
					status = UI_HANGUP;
			}
			break;
		case UK_NEW:
			if (in_grid(fp)) {
				grid_key(fp, &ev);
				break;
			}
			{
				int r = leave_ok(fp);
				if (r < 0) {
					save_draft(fp);
					status = UI_HANGUP;
				} else if (r > 0) {
					ent_free(fp->e, fp->rec);
					fp->rec = ent_new(fp->e);
					texts_from_rec(NULL, fp, true, true);
					apply_defaults(fp);
					recompute(fp);
					fp->dirty = false;
					fp->cur = 0;
					while ((size_t)fp->cur < fd->nfields &&
					       !focusable(fp, (size_t)fp->cur))
						fp->cur++;
					set_title(fp);
				}
			}
			break;
		case UK_PREV:
		case UK_NEXT: {
			int r = leave_ok(fp);
			if (r < 0) {
				save_draft(fp);
				status = UI_HANGUP;
			} else if (r > 0) {
				step(fp, ev.k == UK_NEXT);
			}
			break;
		}
		case UK_HISTORY:
			if (!perm_allowed(U->user, "audit.read"))
				ui_message(MSG_ERROR, _("You may not see histories (permission audit.read)."));
			else if (((struct store_rec *)fp->rec)->version == 0)
				ui_message(MSG_INFO, _("A new record has no history yet."));
			else if (ui_history(fp->e, ((struct store_rec *)fp->rec)->id,
					    fp->title) == UI_HANGUP) {
				save_draft(fp);
				status = UI_HANGUP;
			}
			break;
		case UK_ACTIONS:
			if (do_actions(fp) == UI_HANGUP) {
				save_draft(fp);
				status = UI_HANGUP;
			}
			break;
		case UK_GOTO:
			if (ui_goto(NULL) == UI_HANGUP) {
				save_draft(fp);
				status = UI_HANGUP;
			}
			U->save_draft = save_draft;
			U->save_draft_arg = fp;
			break;
		case UK_TAB:
		case UK_ENTER:
		case UK_DOWN:
			if (in_grid(fp))
				grid_key(fp, &ev);
			else
				move_focus(fp, 1);
			break;
		case UK_BTAB:
		case UK_UP:
			if (in_grid(fp))
				grid_key(fp, &ev);
			else
				move_focus(fp, -1);
			break;
		default:
			if (in_grid(fp)) {
				grid_key(fp, &ev);
			} else if (edit_key(&fp->ed[fp->cur], &ev)) {
				struct edit *ed = &fp->ed[fp->cur];
				if (ed->changed) {
					fp->dirty = true;
					/* computed fields follow as you type */
					if (fp->sf[fp->cur]->type != SF_REF &&
					    ent_field_set(NULL, fp->sf[fp->cur], fp->rec,
							  edit_text(ed), NULL) == 0)
						recompute(fp);
				}
			} else {
				beep();
			}
		}
		if (ui_hup && status == UI_OK) {
			save_draft(fp);
			status = UI_HANGUP;
		}
	}
out:
	U->redraw = NULL;
	U->save_draft = NULL;
	U->save_draft_arg = NULL;
	ui_crumb_pop();
	teardown(fp);
	return status;
}
