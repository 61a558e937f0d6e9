/*
 * history.c - a record's audit trail on screen: who changed which field
 * when, old value and new.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/utf8.h"
#include "ui/ui_int.h"

struct hist {
	const struct entity *e;
	char **lines;
	size_t n, cap;
	struct store_txn *t;
};

static void add(struct hist *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct hist *h, const char *fmt, ...)
{
	char buf[EDIT_MAX * 3];
	va_list ap;

	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		char **p = realloc(h->lines, cap * sizeof *p);
		if (!p)
			return;
		h->lines = p;
		h->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	h->lines[h->n++] = strdup(buf);
}

static void diff_line(void *arg, const char *field, const char *old,
		      const char *new)
{
	struct hist *h = arg;

	if (!old)
		add(h, "      %s: %s", field, new);
	else if (!new)
		add(h, "      %s: %s %s", field, old, _("(removed)"));
	else
		add(h, "      %s: %s -> %s", field, old[0] ? old : "\"\"",
		    new[0] ? new : "\"\"");
}

static int one(const struct store_audit *a, void *arg)
{
	struct hist *h = arg;
	char when[32];

	date_format_ts(a->ts_us, when, sizeof when);
	add(h, "%s  %-12s %s", when, a->login,
	    a->op == 'I' ? _("created") : a->op == 'D' ? _("deleted") :
	    _("changed"));
	if (a->op != 'D')
		ent_diff(h->t, h->e->schema, a->old_rec, a->new_rec, diff_line, h);
	return 0;
}

struct harg {
	struct hist *h;
	int64_t id;
};

static int read_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct harg *a = arg;

	a->h->t = t;
	return store_history(t, a->h->e->schema, a->id, one, a->h, err);
}

int ui_history(const struct entity *e, int64_t id, const char *title)
{
	struct hist h = { e, NULL, 0, 0, NULL };
	struct harg a = { &h, id };
	struct ukey_ev ev;
	struct kerr err;
	char crumb[200];
	int top = 0, status = UI_OK;

	if (store_read(U->st, read_fn, &a, &err)) {
		ui_message(MSG_ERROR, "%s", err.msg);
		return UI_OK;
	}
	snprintf(crumb, sizeof crumb, _("History of %s"), title);
	ui_crumb_push(_("History"));
	for (;;) {
		int rows = LINES - UI_BODY_TOP - 2;
		if (!ui_too_small()) {
			erase();
			ui_put(stdscr, 1, 0, crumb, COLS, R_TITLE);
			for (int r = 0; r < rows; r++) {
				size_t i = (size_t)(top + r);
				ui_put(stdscr, UI_BODY_TOP + r, 0,
				       i < h.n ? h.lines[i] : "", COLS, R_NORMAL);
			}
			if (!h.n)
				ui_put(stdscr, UI_BODY_TOP, 0, _("No changes recorded."),
				       COLS, R_NORMAL);
			ui_frame(_(" F1 Help Up/Down PgUp/PgDn Scroll F3 Back"));
			curs_set(0);
			refresh();
		}
		ui_getkey(&ev);
		if (ev.k == UK_HANGUP) {
			status = UI_HANGUP;
			break;
		}
		if (ev.k == UK_BACK || ev.k == UK_HISTORY)
			break;
		if (ev.k == UK_DOWN && top + rows < (int)h.n)
			top++;
		else if (ev.k == UK_UP && top > 0)
			top--;
		else if (ev.k == UK_PGDN)
			top = top + rows < (int)h.n ? top + rows : top;
		else if (ev.k == UK_PGUP)
			top = top > rows ? top - rows : 0;
		else if (ev.k == UK_HOME)
			top = 0;
		else if (ev.k == UK_END)
			top = (int)h.n > rows ? (int)h.n - rows : 0;
		else if (ev.k == UK_HELP)
			status = ui_help(_("History"),
					 _("Every change of this record, oldest first: when, who, and each field's old and new value."),
					 NULL, NULL);
		if (status == UI_HANGUP)
			break;
	}
	ui_crumb_pop();
	for (size_t i = 0; i < h.n; i++)
		free(h.lines[i]);
	free(h.lines);
	return status;
}
