/*
 * list.c - the list screen and the look-up pop-up: pages of records
 * read through a cursor in one sort order.
 *
 * Neither ever loads the table.  A page is read in a short snapshot
 * transaction starting at an anchor record (the first row shown), so
 * opening a list of a million records reads one page, and paging down
 * reads the next one.  The position indicator is Berkeley DB's
 * estimate of where the selected key lies in the index (a walk down
 * the tree), not a count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/utf8.h"
#include "ui/ui_int.h"

#define MAX_ROWS 200
#define MAX_COLS 16
#define FILTER_SCAN 50000       /* records a filtered page may skip */

struct pager {
	const struct entity *e;
	const struct store_schema *s;
	const char *index;              /* NULL: primary (id) order */
	const struct fd_column *cols;
	size_t ncols;
	const struct store_field *cf[MAX_COLS];
	void *rows[MAX_ROWS];
	char *text[MAX_ROWS][MAX_COLS];
	int nrows, page, sel;
	void *anchor;                   /* first row to show; NULL: start */
	bool more;                      /* rows after the page */
	char filter[256];
	unsigned permille;
	bool scan_cut;                  /* the filter stopped looking */
};

static void clear_rows(struct pager *p)
{
	for (int r = 0; r < p->nrows; r++) {
		ent_free(p->e, p->rows[r]);
		for (size_t c = 0; c < p->ncols; c++)
			free(p->text[r][c]);
	}
	p->nrows = 0;
}

/* A deep copy of rec (store_rec_copy overwrites: start from zero). */
static void *dup_rec(const struct pager *p, const void *rec)
{
	void *r = calloc(1, p->s->size);

	if (r && store_rec_copy(p->s, r, rec)) {
		free(r);
		r = NULL;
	}
	return r;
}

static void set_anchor(struct pager *p, const void *rec)
{
	if (p->anchor)
		ent_free(p->e, p->anchor);
	p->anchor = NULL;
	if (rec)
		p->anchor = dup_rec(p, rec);
}

/* Case-insensitive (ASCII) substring. */
static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (!n)
		return true;
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

static void row_texts(struct store_txn *t, struct pager *p, const void *rec,
		      char **out)
{
	char buf[EDIT_MAX];

	for (size_t c = 0; c < p->ncols; c++) {
		ent_field_get(t, p->cf[c], rec, buf, sizeof buf);
		out[c] = strdup(buf);
	}
}

static bool matches(struct pager *p, char **texts)
{
	const char *f = p->filter, *eq;

	if (!*f)
		return true;
	if ((eq = strchr(f, '='))) {
		/* a column by its field name or its heading */
		size_t n = (size_t)(eq - f);
		for (size_t c = 0; c < p->ncols; c++)
			if ((strlen(p->cols[c].name) == n &&
			     strncasecmp(p->cols[c].name, f, n) == 0) ||
			    (strlen(p->cols[c].heading) == n &&
			     strncasecmp(p->cols[c].heading, f, n) == 0))
				return contains(texts[c], eq + 1);
	}
	for (size_t c = 0; c < p->ncols; c++)
		if (contains(texts[c], f))
			return true;
	return false;
}

/* Keeps rec as the next row when it passes the filter. */
static bool take_row(struct store_txn *t, struct pager *p, void *rec,
		     long *skipped)
{
	char *tx[MAX_COLS];

	ent_fill(t, p->e, rec, NULL);     /* shown as it is now, best effort */
	row_texts(t, p, rec, tx);
	if (!matches(p, tx)) {
		for (size_t c = 0; c < p->ncols; c++)
			free(tx[c]);
		(*skipped)++;
		return false;
	}
	if (!(p->rows[p->nrows] = dup_rec(p, rec))) {
		for (size_t c = 0; c < p->ncols; c++)
			free(tx[c]);
		return false;
	}
	memcpy(p->text[p->nrows], tx, sizeof(char *) * p->ncols);
	p->nrows++;
	return true;
}

static int fill_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct pager *p = arg;
	struct store_cursor *c;
	void *rec = ent_new(p->e);
	long skipped = 0;
	int ret;

	clear_rows(p);
	p->more = false;
	p->scan_cut = false;
	if (!rec)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	if ((ret = store_cursor_open(t, p->s, p->index, &c, err))) {
		ent_free(p->e, rec);
		return ret;
	}
	ret = p->anchor ? store_cursor_seek_rec(c, p->anchor, rec, err) :
			  store_cursor_first(c, rec, err);
	while (ret == 0) {
		if (p->nrows == p->page) {
			p->more = true;
			break;
		}
		take_row(t, p, rec, &skipped);
		if (skipped > FILTER_SCAN) {
			p->scan_cut = true;
			p->more = true;
			break;
		}
		ret = store_cursor_next(c, rec, err);
	}
	if (ret == K_ENOTFOUND)
		ret = 0;
	if (ret == 0 && p->nrows) {
		void *tmp = ent_new(p->e);
		if (p->sel >= p->nrows)
			p->sel = p->nrows - 1;
		if (tmp && store_cursor_seek_rec(c, p->rows[p->sel], tmp, NULL) == 0)
			store_cursor_where(c, &p->permille, NULL);
		ent_free(p->e, tmp);
	}
	store_cursor_close(&c);
	ent_free(p->e, rec);
	return ret;
}

static int fill(struct pager *p)
{
	struct kerr err;
	int ret = store_read(U->st, fill_fn, p, &err);

	if (ret)
		ui_message(MSG_ERROR, "%s", err.msg);
	if (p->sel < 0)
		p->sel = 0;
	if (p->nrows && p->sel >= p->nrows)
		p->sel = p->nrows - 1;
	return ret;
}

/* Moves the anchor back by n passing rows from the current anchor. */
struct backarg {
	struct pager *p;
	int n;
	bool from_end;
};

static int back_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct backarg *a = arg;
	struct pager *p = a->p;
	struct store_cursor *c;
	void *rec = ent_new(p->e), *last = NULL;
	long skipped = 0;
	int ret, got = 0;

	if (!rec)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	if ((ret = store_cursor_open(t, p->s, p->index, &c, err))) {
		ent_free(p->e, rec);
		return ret;
	}
	if (a->from_end || !p->anchor)
		ret = store_cursor_last(c, rec, err);
	else {
		ret = store_cursor_seek_rec(c, p->anchor, rec, err);
		if (ret == 0)
			ret = store_cursor_prev(c, rec, err);
		else if (ret == K_ENOTFOUND)
			ret = store_cursor_last(c, rec, err);
	}
	while (ret == 0 && got < a->n && skipped <= FILTER_SCAN) {
		char *tx[MAX_COLS];
		row_texts(t, p, rec, tx);
		if (matches(p, tx)) {
			got++;
			if (last)
				ent_free(p->e, last);
			last = dup_rec(p, rec);
		} else {
			skipped++;
		}
		for (size_t k = 0; k < p->ncols; k++)
			free(tx[k]);
		if (got < a->n)
			ret = store_cursor_prev(c, rec, err);
	}
	if (ret == K_ENOTFOUND)
		ret = 0;
	if (ret == 0 && last)
		set_anchor(p, last);
	else if (ret == 0 && !a->from_end)
		set_anchor(p, NULL);
	if (last)
		ent_free(p->e, last);
	store_cursor_close(&c);
	ent_free(p->e, rec);
	return ret;
}

static void go_back(struct pager *p, int n, bool from_end)
{
	struct backarg a = { p, n, from_end };
	struct kerr err;

	if (store_read(U->st, back_fn, &a, &err))
		ui_message(MSG_ERROR, "%s", err.msg);
}

struct seekarg {
	struct pager *p;
	const char *text;
	bool found;
};

static int seek_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct seekarg *a = arg;
	struct store_cursor *c;
	void *rec = ent_new(a->p->e);
	int ret;

	if (!rec)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	if ((ret = store_cursor_open(t, a->p->s, a->p->index, &c, err))) {
		ent_free(a->p->e, rec);
		return ret;
	}
	ret = store_cursor_seek(c, a->text, false, rec, err);
	if (ret == 0) {
		set_anchor(a->p, rec);
		a->found = true;
	} else if (ret == K_ENOTFOUND) {
		ret = 0;
	}
	store_cursor_close(&c);
	ent_free(a->p->e, rec);
	return ret;
}

/* Searches forward from the selected row for text in any column. */
static int search_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct seekarg *a = arg;
	struct pager *p = a->p;
	struct store_cursor *c;
	void *rec = ent_new(p->e);
	int ret;

	if (!rec)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	if ((ret = store_cursor_open(t, p->s, p->index, &c, err))) {
		ent_free(p->e, rec);
		return ret;
	}
	if (p->nrows) {
		ret = store_cursor_seek_rec(c, p->rows[p->sel], rec, err);
		if (ret == 0)
			ret = store_cursor_next(c, rec, err);
	} else {
		ret = store_cursor_first(c, rec, err);
	}
	while (ret == 0) {
		char *tx[MAX_COLS];
		bool hit = false;
		row_texts(t, p, rec, tx);
		if (matches(p, tx))
			for (size_t k = 0; k < p->ncols && !hit; k++)
				hit = contains(tx[k], a->text);
		for (size_t k = 0; k < p->ncols; k++)
			free(tx[k]);
		if (hit) {
			set_anchor(p, rec);
			a->found = true;
			break;
		}
		ret = store_cursor_next(c, rec, err);
	}
	if (ret == K_ENOTFOUND)
		ret = 0;
	store_cursor_close(&c);
	ent_free(p->e, rec);
	return ret;
}

static bool pager_init(struct pager *p, const struct entity *e,
		       const char *index, const struct fd_column *cols,
		       size_t ncols)
{
	memset(p, 0, sizeof *p);
	p->e = e;
	p->s = e->schema;
	p->index = index;
	p->cols = cols;
	p->ncols = ncols > MAX_COLS ? MAX_COLS : ncols;
	for (size_t c = 0; c < p->ncols; c++)
		if (!(p->cf[c] = store_field_find(p->s, cols[c].name)))
			return false;
	return true;
}

static void pager_free(struct pager *p)
{
	clear_rows(p);
	set_anchor(p, NULL);
}

/* Common moves; returns true when the key was one. */
static bool pager_key(struct pager *p, const struct ukey_ev *ev)
{
	switch (ev->k) {
	case UK_DOWN:
	case UK_NEXT:
		if (p->sel + 1 < p->nrows)
			p->sel++;
		else if (p->more && p->nrows > 1) {
			set_anchor(p, p->rows[1]);
			fill(p);
			p->sel = p->nrows - 1;
			if (p->nrows < p->page && p->nrows > 0) {
				/* filtered rows thinned out; stay on the last */
			}
		}
		return true;
	case UK_UP:
	case UK_PREV:
		if (p->sel > 0)
			p->sel--;
		else {
			void *old = p->anchor;
			go_back(p, 1, false);
			if (p->anchor != old || !old) {
				fill(p);
				p->sel = 0;
			}
		}
		return true;
	case UK_PGDN:
		if (p->more && p->nrows) {
			set_anchor(p, p->rows[p->nrows - 1]);
			fill(p);
			if (p->nrows > 1 && p->more) {
				/* the old last row is now the first */
			}
			p->sel = 0;
		} else if (p->nrows) {
			p->sel = p->nrows - 1;
		}
		return true;
	case UK_PGUP:
		if (!p->anchor) {
			p->sel = 0;
			return true;
		}
		go_back(p, p->page - 1, false);
		fill(p);
		p->sel = 0;
		return true;
	case UK_HOME:
		set_anchor(p, NULL);
		fill(p);
		p->sel = 0;
		return true;
	case UK_END:
		go_back(p, p->page, true);
		fill(p);
		p->sel = p->nrows ? p->nrows - 1 : 0;
		return true;
	default:
		return false;
	}
}

static void draw_rows(WINDOW *w, struct pager *p, int y, int x, int width,
		      bool heading)
{
	int cx;

	if (heading) {
		cx = x;
		for (size_t c = 0; c < p->ncols && cx < x + width; c++) {
			int cw = p->cols[c].width;
			if (cx + cw > x + width)
				cw = x + width - cx;
			ui_put(w, y, cx, p->cols[c].heading, cw, R_HEADING);
			cx += cw + 1;
		}
		y++;
	}
	for (int r = 0; r < p->page; r++) {
		bool sel = r == p->sel && r < p->nrows;
		cx = x;
		if (r >= p->nrows) {
			ui_put(w, y + r, x, "", width, R_NORMAL);
			continue;
		}
		ui_put(w, y + r, x, "", width, sel ? R_SELECT : R_NORMAL);
		for (size_t c = 0; c < p->ncols && cx < x + width; c++) {
			int cw = p->cols[c].width;
			const struct store_field *f = p->cf[c];
			bool num = f->type == SF_MONEY || f->type == SF_QTY ||
				   f->type == SF_PRICE || f->type == SF_RATE ||
				   f->type == SF_INT;
			if (cx + cw > x + width)
				cw = x + width - cx;
			if (num)
				ui_put_right(w, y + r, cx, p->text[r][c], cw,
					     sel ? R_SELECT : R_NORMAL);
			else
				ui_put(w, y + r, cx, p->text[r][c], cw,
				       sel ? R_SELECT : R_NORMAL);
			cx += cw + 1;
		}
	}
}

/* ------------------------------------------------------------ the list */

struct lscreen {
	const struct formdef *fd;
	struct pager p;
	size_t sort;
	char prefix[64];
	char crumb[160];
};

static void list_draw(struct lscreen *l)
{
	char left[300], right[120];
	int rw;

	if (ui_too_small())
		return;
	erase();
	snprintf(left, sizeof left, " %s%s%s%s", l->fd->title,
		 l->p.filter[0] ? _("  filter: ") : "", l->p.filter,
		 l->prefix[0] ? "" : "");
	{
		/* the estimate is exact at the ends */
		unsigned pct = l->p.nrows ? (l->p.permille + 5) / 10 : 0;
		if (l->p.nrows && !l->p.more && l->p.sel == l->p.nrows - 1)
			pct = 100;
		else if (!l->p.anchor && l->p.sel == 0)
			pct = 0;
		else if (pct >= 100)
			pct = 99;
		snprintf(right, sizeof right, _("by %s  %u%% "),
			 l->fd->list.sorts[l->sort].label, pct);
	}
	rw = (int)utf8_width(right);
	ui_put(stdscr, 1, 0, left, COLS - rw, R_TITLE);
	ui_put_right(stdscr, 1, COLS - rw, right, rw, R_DIM);
	draw_rows(stdscr, &l->p, UI_BODY_TOP, 0, COLS, true);
	if (l->prefix[0])
		ui_message(MSG_INFO, _("Go to: %s"), l->prefix);
	else if (!l->p.nrows && !U->msg[0])
		ui_message(MSG_INFO, l->p.filter[0] ?
			   _("Nothing matches the filter (Ctrl-T to change it).") :
			   _("No records yet: F5 creates one."));
	{
		char keys[256];
		snprintf(keys, sizeof keys, "%s%s%s%s%s", _(" F1 Help Enter Open"),
			 ui_allowed(l->fd, "create") ? _(" F5 New") : "",
			 ui_allowed(l->fd, "delete") ? _(" F6 Del") : "",
			 perm_allowed(U->user, "audit.read") ? _(" F9 Hist") : "",
			 _(" / Search ^O Sort ^T Filter F3 Back"));
		ui_frame(keys);
	}
	curs_set(0);
	refresh();
}

static const char *sort_index(const struct lscreen *l)
{
	const char *ix = l->fd->list.sorts[l->sort].index;

	return strcmp(ix, "id") == 0 ? NULL : ix;
}

static void relayout(struct lscreen *l)
{
	int page = LINES - UI_BODY_TOP - 3;

	if (page < 1)
		page = 1;
	if (page > MAX_ROWS)
		page = MAX_ROWS;
	if (page != l->p.page) {
		l->p.page = page;
		fill(&l->p);
	}
}

static int offer_draft(const struct formdef *fd)
{
	struct draft d;
	struct kerr err;
	char when[32], q[400];
	int a;

	if (draft_load(fd->id, &d, &err))
		return UI_OK;
	date_format_ts(d.saved_us, when, sizeof when);
	snprintf(q, sizeof q,
		 _("Unsaved changes to %s %s from %s were kept. Open them? "),
		 fd->title, d.code && d.code[0] ? d.code : _("(new)"), when);
	a = ui_ask(q, "yn");
	if (a < 0) {
		draft_free(&d);
		return UI_HANGUP;
	}
	if (a == 'y') {
		int64_t id = d.id;
		draft_free(&d);
		ui_draft_accepted = true;
		return ui_form(fd, id, NULL);
	}
	if (a == 'n')
		draft_remove(fd->id);
	draft_free(&d);
	return UI_OK;
}

int ui_list(const struct formdef *fd)
{
	struct lscreen l;
	struct ukey_ev ev;
	int status = UI_OK;
	const struct entity *e = ent_find(fd->entity);

	if (!e)
		return UI_OK;
	if (!ui_allowed(fd, "read")) {
		ui_message(MSG_ERROR, _("You may not open %s (permission %s.read)."),
			   fd->title, fd->permission);
		return UI_OK;
	}
	memset(&l, 0, sizeof l);
	l.fd = fd;
	if (!pager_init(&l.p, e, NULL, fd->list.cols, fd->list.ncols))
		return UI_OK;
	l.p.index = sort_index(&l);
	snprintf(l.crumb, sizeof l.crumb, _("%s list"), fd->title);
	ui_crumb_push(l.crumb);
	relayout(&l);
	list_draw(&l);
	if (offer_draft(fd) == UI_HANGUP)
		status = UI_HANGUP;
	fill(&l.p);
	while (status == UI_OK) {
		U->redraw = (void (*)(void *))list_draw;
		U->redraw_arg = &l;
		relayout(&l);
		list_draw(&l);
		ui_getkey(&ev);
		if (ev.k == UK_HANGUP) {
			status = UI_HANGUP;
			break;
		}
		if (ev.k == UK_IDLE)
			continue;
		if (ev.k != UK_RESIZE)
			ui_message_clear();
		if (ev.k == UK_CHAR && ev.ch == '/')
			ev.k = UK_SEARCH;
		if (ev.k == UK_CHAR || (ev.k == UK_BS && l.prefix[0])) {
			/* type-ahead: jump to the first key that starts so */
			size_t n = strlen(l.prefix);
			if (ev.k == UK_BS) {
				while (n > 0 && ((unsigned char)l.prefix[n - 1] & 0xC0) == 0x80)
					n--;
				if (n > 0)
					n--;
				l.prefix[n] = '\0';
			} else if (n + 5 < sizeof l.prefix) {
				char mb[8];
				int k = wctomb(mb, ev.ch);
				if (k > 0) {
					memcpy(l.prefix + n, mb, (size_t)k);
					l.prefix[n + (size_t)k] = '\0';
				}
			}
			if (l.prefix[0]) {
				struct seekarg a = { &l.p, l.prefix, false };
				struct kerr err;
				if (store_read(U->st, seek_fn, &a, &err) == 0 && a.found) {
					fill(&l.p);
					l.p.sel = 0;
				} else {
					go_back(&l.p, l.p.page, true);
					fill(&l.p);
					l.p.sel = l.p.nrows ? l.p.nrows - 1 : 0;
				}
			}
			continue;
		}
		l.prefix[0] = '\0';
		if (pager_key(&l.p, &ev))
			continue;
		switch (ev.k) {
		case UK_BACK:
			goto out;
		case UK_RESIZE:
			break;
		case UK_REDRAW:
			clearok(curscr, TRUE);
			break;
		case UK_ENTER:
			if (l.p.nrows) {
				status = ui_form(fd, ((struct store_rec *)l.p.rows[l.p.sel])->id,
						 l.p.index);
				fill(&l.p);
			}
			break;
		case UK_NEW:
			status = ui_form(fd, 0, l.p.index);
			fill(&l.p);
			break;
		case UK_DELETE:
			if (l.p.nrows) {
				struct kerr err;
				char q[300], *code = l.p.text[l.p.sel][0];
				int a;
				if (!ui_allowed(fd, "delete")) {
					ui_message(MSG_ERROR, _("You may not delete %s records."),
						   e->name);
					break;
				}
				snprintf(q, sizeof q, _("Delete %s %s? "),
					 fd->title, code);
				a = ui_ask(q, "yn");
				if (a < 0) {
					status = UI_HANGUP;
					break;
				}
				if (a != 'y')
					break;
				if (ent_delete(U->st, e, l.p.rows[l.p.sel], &err))
					ui_message(MSG_ERROR, _("Not deleted: %s"), err.msg);
				else
					ui_message(MSG_INFO, _("Deleted %s %s."), fd->title, code);
				fill(&l.p);
			}
			break;
		case UK_HISTORY:
			if (!perm_allowed(U->user, "audit.read"))
				ui_message(MSG_ERROR, _("You may not see histories (permission audit.read)."));
			else if (l.p.nrows) {
				char t[200];
				snprintf(t, sizeof t, "%s %s", fd->title,
					 l.p.text[l.p.sel][0]);
				status = ui_history(e, ((struct store_rec *)l.p.rows[l.p.sel])->id, t);
			}
			break;
		case UK_SEARCH: {
			static char last[128];
			int r = ui_prompt(_("Search:"), last, sizeof last, EF_TEXT);
			if (r < 0) {
				status = UI_HANGUP;
				break;
			}
			if (r == 1 && last[0]) {
				struct seekarg a = { &l.p, last, false };
				struct kerr err;
				ui_message(MSG_INFO, _("Searching..."));
				list_draw(&l);
				ui_message_clear();
				if (store_read(U->st, search_fn, &a, &err))
					ui_message(MSG_ERROR, "%s", err.msg);
				else if (!a.found)
					ui_message(MSG_INFO, _("Not found after this line: %s"), last);
				else {
					fill(&l.p);
					l.p.sel = 0;
				}
			}
			break;
		}
		case UK_SORT:
			if (fd->list.nsorts > 1) {
				void *keep = l.p.nrows ? l.p.rows[l.p.sel] : NULL;
				l.sort = (l.sort + 1) % fd->list.nsorts;
				l.p.index = sort_index(&l);
				set_anchor(&l.p, keep);
				l.p.sel = 0;
				fill(&l.p);
				ui_message(MSG_INFO, _("Sorted by %s."),
					   fd->list.sorts[l.sort].label);
			}
			break;
		case UK_FILTER: {
			char buf[256];
			int r;
			snprintf(buf, sizeof buf, "%s", l.p.filter);
			r = ui_prompt(_("Filter (text, or column=text; empty for all):"),
				      buf, sizeof buf, EF_TEXT);
			if (r < 0) {
				status = UI_HANGUP;
				break;
			}
			if (r == 1) {
				snprintf(l.p.filter, sizeof l.p.filter, "%s", buf);
				set_anchor(&l.p, NULL);
				l.p.sel = 0;
				fill(&l.p);
				if (l.p.scan_cut)
					ui_message(MSG_INFO, _("Showing matches among the first records; PgDn looks further."));
			}
			break;
		}
		case UK_HELP:
			status = ui_help(fd->title, fd->help, NULL, NULL);
			break;
		case UK_GOTO:
			status = ui_goto(NULL);
			fill(&l.p);
			break;
		default:
			beep();
		}
	}
out:
	U->redraw = NULL;
	ui_crumb_pop();
	pager_free(&l.p);
	return status;
}

/* ----------------------------------------------------------- look-up */

int ui_lookup(const struct entity *ent, const char *start, char *out,
	      size_t n)
{
	struct fd_column cols[2];
	struct pager p;
	struct ukey_ev ev;
	char prefix[64] = "", title[200];
	int h, w, ret = 0;
	bool by_name = false;
	WINDOW *win;

	memset(cols, 0, sizeof cols);
	cols[0].name = (char *)ent->code_field;
	cols[0].heading = (char *)_("Code");
	cols[0].width = 14;
	cols[1].name = (char *)ent->name_field;
	cols[1].heading = (char *)_("Name");
	w = COLS - 10 > 70 ? 70 : COLS - 10;
	cols[1].width = w - 2 - 15;
	h = LINES - 6;
	if (!pager_init(&p, ent, ent->code_index, cols, 2))
		return 0;
	p.page = h - 3;
	snprintf(title, sizeof title, _("Choose: %s"), _(ent->title));
	if (!(win = ui_popup(h, w, title))) {
		pager_free(&p);
		return 0;
	}
	if (start && *start) {
		struct seekarg a = { &p, start, false };
		struct kerr err;
		snprintf(prefix, sizeof prefix, "%s", start);
		if (store_read(U->st, seek_fn, &a, &err) == 0 && !a.found)
			go_back(&p, p.page, true);
	}
	fill(&p);
	for (;;) {
		char foot[200];
		draw_rows(win, &p, 1, 1, w - 2, true);
		snprintf(foot, sizeof foot,
			 _(" %s  Enter choose  ^O by %s  Esc back "),
			 prefix[0] ? prefix : "", by_name ? _("code") : _("name"));
		ui_put(win, h - 1, 1, foot, w - 2, R_DIM);
		update_panels();
		doupdate();
		ui_getkey(&ev);
		if (ev.k == UK_HANGUP) {
			ret = -1;
			break;
		}
		if (ev.k == UK_BACK || ev.k == UK_LOOKUP)
			break;
		if (ev.k == UK_ENTER) {
			if (p.nrows) {
				snprintf(out, n, "%s", p.text[p.sel][0]);
				ret = 1;
			}
			break;
		}
		if (ev.k == UK_SORT) {
			by_name = !by_name;
			p.index = by_name ? ent->name_field : ent->code_index;
			set_anchor(&p, p.nrows ? p.rows[p.sel] : NULL);
			p.sel = 0;
			prefix[0] = '\0';
			fill(&p);
			continue;
		}
		if (ev.k == UK_CHAR || (ev.k == UK_BS && prefix[0])) {
			size_t k = strlen(prefix);
			if (ev.k == UK_BS) {
				while (k > 0 && ((unsigned char)prefix[k - 1] & 0xC0) == 0x80)
					k--;
				if (k > 0)
					k--;
				prefix[k] = '\0';
			} else if (k + 5 < sizeof prefix) {
				char mb[8];
				int m = wctomb(mb, ev.ch);
				if (m > 0) {
					memcpy(prefix + k, mb, (size_t)m);
					prefix[k + (size_t)m] = '\0';
				}
			}
			{
				struct seekarg a = { &p, prefix, false };
				struct kerr err;
				if (store_read(U->st, seek_fn, &a, &err) == 0 && a.found) {
					p.sel = 0;
					fill(&p);
				} else {
					set_anchor(&p, NULL);
					p.sel = 0;
					fill(&p);
				}
			}
			continue;
		}
		if (ev.k == UK_RESIZE) {
			ui_popup_close(win);
			ui_behind();
			h = LINES - 6;
			w = COLS - 10 > 70 ? 70 : COLS - 10;
			cols[1].width = w - 2 - 15;
			p.page = h - 3;
			fill(&p);
			if (!(win = ui_popup(h, w, title)))
				break;
			continue;
		}
		pager_key(&p, &ev);
	}
	ui_popup_close(win);
	pager_free(&p);
	return ret;
}
