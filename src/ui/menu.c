/*
 * menu.c - the menu tree of forms/menu.conf, drawn with the menu
 * library.  Arrow keys, a number or an item's letter select; Enter
 * opens a list, a sub-menu or a report (its parameters, then the
 * viewer); each form's fast-path code is shown beside it.  Items the
 * user's roles do not allow are not shown (a report's permission is
 * "report.NAME").
 */
#include <menu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "base/i18n.h"
#include "base/utf8.h"
#include "report/report.h"
#include "ui/ui_int.h"

static bool visible(const struct fd_menu *m)
{
	if (m->form) {
		const struct formdef *fd = formset_find(&U->fs, m->form);
		return fd && ui_allowed(fd, "read");
	}
	if (m->report) {
		const struct report *r = report_find(m->report);
		return r && ui_report_allowed(r);
	}
	for (size_t i = 0; i < m->nitems; i++)
		if (visible(&m->items[i]))
			return true;
	return false;
}

static char key_of(const struct fd_menu *m)
{
	if (m->key)
		return (char)(m->key | 0x20);
	if ((unsigned char)m->title[0] < 0x80)
		return (char)(m->title[0] | 0x20);
	return 0;
}

static int level(const struct fd_menu *m, bool root)
{
	const struct fd_menu *vis[64];
	ITEM *items[65];
	char *names[64], *descs[64];
	size_t n = 0;
	MENU *menu = NULL;
	WINDOW *sub = NULL;
	struct ukey_ev ev;
	int status = UI_OK, cur = 0;

	for (size_t i = 0; i < m->nitems && n < 64; i++)
		if (visible(&m->items[i]))
			vis[n++] = &m->items[i];
	for (size_t i = 0; i < n; i++) {
		char buf[256];
		const struct formdef *fd = vis[i]->form ?
			formset_find(&U->fs, vis[i]->form) : NULL;
		snprintf(buf, sizeof buf, "%zu %s%s", i + 1, vis[i]->title,
			 vis[i]->form || vis[i]->report ? "" : " >");
		names[i] = strdup(buf);
		descs[i] = strdup(fd ? fd->code : "");
		items[i] = new_item(names[i], descs[i]);
	}
	items[n] = NULL;
	if (!root)
		ui_crumb_push(m->title);
	for (;;) {
		int rows = LINES - UI_BODY_TOP - 3;
		if (!menu && n) {
			menu = new_menu(items);
			sub = derwin(stdscr, rows > 1 ? rows : 1, 50 < COLS - 4 ? 50 : COLS - 4,
				     UI_BODY_TOP + 1, 2);
			set_menu_win(menu, stdscr);
			set_menu_sub(menu, sub);
			set_menu_format(menu, rows > 1 ? rows : 1, 1);
			set_menu_mark(menu, "> ");
			set_menu_fore(menu, ui_attr(R_SELECT));
			set_menu_back(menu, A_NORMAL);
			set_current_item(menu, items[cur]);
			post_menu(menu);
		}
		if (!ui_too_small()) {
			erase();
			ui_put(stdscr, 1, 0, m->title, COLS, R_TITLE);
			if (menu) {
				unpost_menu(menu);
				post_menu(menu);
			} else {
				ui_put(stdscr, UI_BODY_TOP + 1, 2,
				       _("Nothing here that you may open."), 60, R_NORMAL);
			}
			ui_frame(root ? _(" F1 Help Enter Open 1-9 Open ^G Go to code F3 Quit")
				      : _(" F1 Help Enter Open 1-9 Open ^G Go to code F3 Back"));
			curs_set(0);
			refresh();
		}
		ui_getkey(&ev);
		if (ev.k == UK_HANGUP) {
			status = UI_HANGUP;
			break;
		}
		if (ev.k != UK_IDLE && ev.k != UK_RESIZE)
			ui_message_clear();
		if (menu)
			cur = item_index(current_item(menu));
		int open = -1;
		switch (ev.k) {
		case UK_UP:
			if (menu)
				menu_driver(menu, REQ_UP_ITEM);
			break;
		case UK_DOWN:
		case UK_TAB:
			if (menu)
				menu_driver(menu, REQ_DOWN_ITEM);
			break;
		case UK_HOME:
		case UK_PGUP:
			if (menu)
				menu_driver(menu, REQ_FIRST_ITEM);
			break;
		case UK_END:
		case UK_PGDN:
			if (menu)
				menu_driver(menu, REQ_LAST_ITEM);
			break;
		case UK_ENTER:
		case UK_RIGHT:
			if (menu)
				open = item_index(current_item(menu));
			break;
		case UK_CHAR:
			if (ev.ch >= '1' && ev.ch <= '9' &&
			    (size_t)(ev.ch - '1') < n) {
				open = (int)(ev.ch - '1');
				set_current_item(menu, items[open]);
			} else if (ev.ch < 128 && menu) {
				char c = (char)(ev.ch | 0x20);
				for (size_t k = 1; k <= n; k++) {
					size_t i = ((size_t)cur + k) % n;
					if (key_of(vis[i]) == c) {
						set_current_item(menu, items[i]);
						break;
					}
				}
			}
			break;
		case UK_BACK:
		case UK_LEFT:
			if (root) {
				int a = ui_ask(_("Leave Kontor? "), "yn");
				if (a < 0)
					status = UI_HANGUP;
				if (a == 'y' || a < 0)
					goto out;
				break;
			}
			goto out;
		case UK_GOTO:
			status = ui_goto(NULL);
			break;
		case UK_HELP:
			status = ui_help(_("Menu"),
					 _("Choose with the arrow keys or an item's letter and press Enter, or type its number to open it at once. "
					   "The code beside a screen opens it from anywhere: press Ctrl-G and type the code."),
					 NULL, NULL);
			break;
		case UK_REDRAW:
			clearok(curscr, TRUE);
			break;
		case UK_RESIZE:
			if (menu) {
				unpost_menu(menu);
				free_menu(menu);
				delwin(sub);
				menu = NULL;
				sub = NULL;
			}
			break;
		default:
			break;
		}
		if (open >= 0) {
			const struct fd_menu *it = vis[open];
			if (it->form)
				status = ui_list(formset_find(&U->fs, it->form));
			else if (it->report)
				status = ui_report(report_find(it->report));
			else
				status = level(it, false);
		}
		if (status == UI_HANGUP)
			break;
		if (menu)
			cur = item_index(current_item(menu));
	}
out:
	if (menu) {
		unpost_menu(menu);
		free_menu(menu);
	}
	if (sub)
		delwin(sub);
	for (size_t i = 0; i < n; i++) {
		free_item(items[i]);
		free(names[i]);
		free(descs[i]);
	}
	if (!root)
		ui_crumb_pop();
	return status;
}

int ui_menu_run(const struct fd_menu *root)
{
	return level(root, true);
}
