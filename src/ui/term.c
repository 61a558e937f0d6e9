/*
 * term.c - the terminal: start and stop, keys, the frame around every
 * screen, prompts and pop-ups.
 *
 * Keys: every function key has an Esc-digit fallback (Esc 1 = F1 ...
 * Esc 0 = F10) because over SSH a terminal's function keys do not
 * always arrive, and a control-key twin where one is natural.  The
 * terminal is in raw mode: Ctrl-C, Ctrl-Z, Ctrl-S and Ctrl-Q are keys,
 * not signals or flow control.  Signals that come from outside are
 * handled: SIGHUP and SIGTERM (the link dropped, the admin stops us)
 * become UK_HANGUP, SIGWINCH becomes UK_RESIZE (ncurses), SIGTSTP and
 * SIGCONT are ncurses's own (it restores the screen).
 */
#include <errno.h>
#include <locale.h>
#include <panel.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/utf8.h"
#include "ui/ui_int.h"

struct ui *U;
volatile sig_atomic_t ui_hup;
/* A question or prompt owns the message line: no print news meanwhile. */
static bool asking;

static void on_hup(int sig)
{
	(void)sig;
	ui_hup = 1;
}

/* Sequences some terminals send that their terminfo entry lacks. */
static void extra_keys(void)
{
	static const struct { const char *seq; int key; } k[] = {
		{ "\033[11~", KEY_F(1) }, { "\033[12~", KEY_F(2) },
		{ "\033[13~", KEY_F(3) }, { "\033[14~", KEY_F(4) },
		{ "\033OP", KEY_F(1) }, { "\033OQ", KEY_F(2) },
		{ "\033OR", KEY_F(3) }, { "\033OS", KEY_F(4) },
		{ "\033[15~", KEY_F(5) }, { "\033[17~", KEY_F(6) },
		{ "\033[18~", KEY_F(7) }, { "\033[19~", KEY_F(8) },
		{ "\033[20~", KEY_F(9) }, { "\033[21~", KEY_F(10) },
		{ "\033[1~", KEY_HOME }, { "\033[4~", KEY_END },
		{ "\033[H", KEY_HOME }, { "\033[F", KEY_END },
		{ "\033OH", KEY_HOME }, { "\033OF", KEY_END },
		{ "\033[5~", KEY_PPAGE }, { "\033[6~", KEY_NPAGE },
		{ "\033[3~", KEY_DC }, { "\033[Z", KEY_BTAB },
		{ "\033[A", KEY_UP }, { "\033[B", KEY_DOWN },
		{ "\033[C", KEY_RIGHT }, { "\033[D", KEY_LEFT },
		{ "\033OA", KEY_UP }, { "\033OB", KEY_DOWN },
		{ "\033OC", KEY_RIGHT }, { "\033OD", KEY_LEFT },
	};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
		if (key_defined(k[i].seq) <= 0)
			define_key(k[i].seq, k[i].key);
}

int ui_term_start(struct kerr *err)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_hup;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return kerr_set(err, K_EUSAGE, NULL,
				_("the screens need a terminal"));
	if (!getenv("ESCDELAY"))
		set_escdelay(150);
	if (!newterm(NULL, stdout, stdin))
		return kerr_set(err, K_EUSAGE, NULL,
				_("cannot use the terminal type '%s'"),
				getenv("TERM") ? getenv("TERM") : "");
	raw();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	timeout(250);
	extra_keys();
	U->colour = has_colors() && !getenv("NO_COLOR");
	if (U->colour) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_WHITE, COLOR_BLUE);    /* bars */
		init_pair(2, COLOR_RED, -1);              /* errors */
		init_pair(3, COLOR_CYAN, -1);             /* labels */
		init_pair(4, COLOR_BLACK, COLOR_CYAN);    /* selection */
	}
	return 0;
}

void ui_term_stop(void)
{
	if (!isendwin())
		endwin();
}

attr_t ui_attr(enum ui_role r)
{
	bool c = U && U->colour;

	switch (r) {
	case R_BAR: return c ? COLOR_PAIR(1) : A_REVERSE;
	case R_TITLE: return A_BOLD;
	case R_LABEL: return c ? COLOR_PAIR(3) : A_NORMAL;
	case R_REQUIRED: return c ? (COLOR_PAIR(3) | A_BOLD) : A_BOLD;
	case R_INPUT: return A_UNDERLINE;
	case R_FOCUS: return A_REVERSE;
	case R_READONLY: return A_NORMAL;
	case R_ERROR: return c ? (COLOR_PAIR(2) | A_BOLD) : (A_BOLD | A_REVERSE);
	case R_SELECT: return c ? COLOR_PAIR(4) : A_REVERSE;
	case R_HEADING: return A_BOLD | A_UNDERLINE;
	case R_DIM: return A_DIM;
	default: return A_NORMAL;
	}
}

static void put(WINDOW *w, int y, int x, const char *s, int width,
		enum ui_role r, bool right)
{
	char buf[EDIT_MAX * 2];

	if (width <= 0)
		return;
	utf8_pad(s ? s : "", (size_t)width, right, buf, sizeof buf);
	wattrset(w, ui_attr(r));
	mvwaddstr(w, y, x, buf);
	wattrset(w, A_NORMAL);
}

void ui_put(WINDOW *w, int y, int x, const char *s, int width,
	    enum ui_role r)
{
	put(w, y, x, s, width, r, false);
}

void ui_put_right(WINDOW *w, int y, int x, const char *s, int width,
		  enum ui_role r)
{
	put(w, y, x, s, width, r, true);
}

int ui_body_rows(void)
{
	return LINES - UI_BODY_TOP - 2;
}

bool ui_too_small(void)
{
	if (LINES >= 24 && COLS >= 80)
		return false;
	erase();
	mvaddstr(0, 0, _("Enlarge the window to 80x24."));
	refresh();
	return true;
}

void ui_crumb_push(const char *s)
{
	if (U->ncrumbs < UI_MAX_CRUMBS)
		U->crumbs[U->ncrumbs] = s;
	U->ncrumbs++;
}

void ui_crumb_pop(void)
{
	if (U->ncrumbs > 0)
		U->ncrumbs--;
}

void ui_message(enum ui_msgkind k, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(U->msg, sizeof U->msg, fmt, ap);
	va_end(ap);
	U->msgkind = k;
	if (k == MSG_ERROR)
		beep();
}

void ui_message_clear(void)
{
	U->msg[0] = '\0';
}

void ui_frame(const char *keys)
{
	char top[512], right[256];
	size_t used = 0;
	int n = U->ncrumbs < UI_MAX_CRUMBS ? U->ncrumbs : UI_MAX_CRUMBS;
	int rw;

	top[0] = '\0';
	for (int i = 0; i < n && used + 8 < sizeof top; i++) {
		int w = snprintf(top + used, sizeof top - used, "%s%s",
				 i ? " > " : " ", U->crumbs[i]);
		if (w < 0)
			break;
		used += (size_t)w;
		if (used >= sizeof top)
			used = sizeof top - 1;
	}
	snprintf(right, sizeof right, "%s | %s ",
		 U->conf && U->conf->company_name ? U->conf->company_name :
		 "Kontor", U->user ? (U->user->name[0] ? U->user->name :
				      U->user->login) : "");
	rw = (int)utf8_width(right);
	if (rw > COLS / 2)
		rw = COLS / 2;
	ui_put(stdscr, 0, 0, top, COLS - rw, R_BAR);
	ui_put_right(stdscr, 0, COLS - rw, right, rw, R_BAR);
	ui_put(stdscr, LINES - 2, 0, U->msg, COLS,
	       U->msg[0] && U->msgkind == MSG_ERROR ? R_ERROR : R_NORMAL);
	ui_put(stdscr, LINES - 1, 0, keys, COLS, R_BAR);
}

/* True when the terminal has gone away (read error or hang-up). */
static bool terminal_gone(void)
{
	struct pollfd p = { STDIN_FILENO, POLLIN, 0 };

	if (errno == EIO)
		return true;
	if (poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
		return true;
	return false;
}

static enum ukey fkey(int n)
{
	static const enum ukey f[] = {
		UK_ACTIONS, UK_HELP, UK_SAVE, UK_BACK, UK_LOOKUP, UK_NEW,
		UK_DELETE, UK_PREV, UK_NEXT, UK_HISTORY,
	};
	return n >= 0 && n <= 9 ? f[n] : UK_NONE;
}

static void map_code(int c, struct ukey_ev *ev)
{
	ev->k = UK_NONE;
	if (c >= KEY_F(1) && c <= KEY_F(10)) {
		ev->k = fkey((c - KEY_F(0)) % 10);
		return;
	}
	switch (c) {
	case KEY_UP: ev->k = UK_UP; break;
	case KEY_DOWN: ev->k = UK_DOWN; break;
	case KEY_LEFT: ev->k = UK_LEFT; break;
	case KEY_RIGHT: ev->k = UK_RIGHT; break;
	case KEY_HOME: ev->k = UK_HOME; break;
	case KEY_END: ev->k = UK_END; break;
	case KEY_PPAGE: ev->k = UK_PGUP; break;
	case KEY_NPAGE: ev->k = UK_PGDN; break;
	case KEY_BTAB: ev->k = UK_BTAB; break;
	case KEY_ENTER: ev->k = UK_ENTER; break;
	case KEY_BACKSPACE: ev->k = UK_BS; break;
	case KEY_DC: ev->k = UK_DEL; break;
	case KEY_RESIZE: ev->k = UK_RESIZE; break;
	default: break;
	}
}

static void map_char(wint_t c, struct ukey_ev *ev)
{
	ev->k = UK_NONE;
	switch (c) {
	case '\t': ev->k = UK_TAB; return;
	case '\r': case '\n': ev->k = UK_ENTER; return;
	case 127: case 8: ev->k = UK_BS; return;
	case 1: ev->k = UK_BOL; return;
	case 4: ev->k = UK_ROWDOWN; return;
	case 5: ev->k = UK_EOL; return;
	case 6: ev->k = UK_SEARCH; return;
	case 7: ev->k = UK_GOTO; return;
	case 11: ev->k = UK_KILL; return;
	case 12: ev->k = UK_REDRAW; return;
	case 14: ev->k = UK_NEXT; return;
	case 15: ev->k = UK_SORT; return;
	case 16: ev->k = UK_PREV; return;
	case 20: ev->k = UK_FILTER; return;
	case 21: ev->k = UK_ROWUP; return;
	default: break;
	}
	if (c >= 32 && c != 127) {
		ev->k = UK_CHAR;
		ev->ch = (wchar_t)c;
	}
}

void ui_getkey(struct ukey_ev *ev)
{
	wint_t c;
	int r;

	ev->k = UK_NONE;
	ev->ch = 0;
	for (;;) {
		if (ui_hup) {
			ev->k = UK_HANGUP;
			return;
		}
		errno = 0;
		r = get_wch(&c);
		if (r == ERR) {
			if (ui_hup || terminal_gone()) {
				ui_hup = 1;
				ev->k = UK_HANGUP;
			} else {
				ev->k = UK_IDLE;
				if (!asking)
					ui_print_watch();
			}
			return;
		}
		if (r == KEY_CODE_YES) {
			map_code((int)c, ev);
		} else if (c == 27) {
			/* Esc digit = function key; Esc alone or Esc Esc = Back. */
			wint_t d;
			int r2;
			timeout(700);
			r2 = get_wch(&d);
			timeout(250);
			if (r2 == OK && d >= '0' && d <= '9')
				ev->k = fkey((int)(d - '0'));
			else {
				ev->k = UK_BACK;
				if (r2 == OK && d != 27)
					unget_wch((wchar_t)d);
				else if (r2 == KEY_CODE_YES)
					ungetch((int)d);
			}
		} else {
			map_char(c, ev);
		}
		if (ev->k != UK_NONE)
			return;
	}
}

/* The answers a question takes, for the key line: "(y)es (n)o". */
static void answers_line(const char *answers, char *buf, size_t n)
{
	static const struct { char k; const char *what; } words[] = {
		{ 'y', N_("Yes") }, { 'n', N_("No") }, { 'r', N_("Reload") },
		{ 'k', N_("Keep editing") }, { 't', N_("Text") },
		{ 'c', N_("CSV") }, { 'p', N_("PDF") },
	};
	size_t used = 0;

	buf[0] = '\0';
	for (const char *a = answers; *a && used + 2 < n; a++) {
		const char *w = "";
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
			if (words[i].k == *a)
				w = _(words[i].what);
		int k = snprintf(buf + used, n - used, " %c %s ", *a - 32, w);
		if (k < 0)
			break;
		used += (size_t)k;
		if (used >= n)
			used = n - 1;
	}
	snprintf(buf + used, n - used, "%s", _(" Esc Back"));
}

int ui_ask(const char *question, const char *answers)
{
	struct ukey_ev ev;
	char keys[256];
	int qw = (int)utf8_width(question);

	answers_line(answers, keys, sizeof keys);
	for (;;) {
		/* A long question takes the line above the message line too. */
		if (qw >= COLS - 1) {
			size_t used, cut = utf8_fit(question, (size_t)COLS - 1, &used);
			char first[EDIT_MAX];
			snprintf(first, sizeof first, "%.*s", (int)cut, question);
			ui_put(stdscr, LINES - 3, 0, first, COLS, R_TITLE);
			ui_put(stdscr, LINES - 2, 0, question + cut, COLS, R_TITLE);
			move(LINES - 2, (int)utf8_width(question + cut) < COLS - 1 ?
			     (int)utf8_width(question + cut) : COLS - 1);
		} else {
			ui_put(stdscr, LINES - 2, 0, question, COLS, R_TITLE);
			move(LINES - 2, qw);
		}
		ui_put(stdscr, LINES - 1, 0, keys, COLS, R_BAR);
		curs_set(1);
		refresh();
		asking = true;
		ui_getkey(&ev);
		asking = false;
		if (ev.k == UK_HANGUP)
			return -1;
		if (ev.k == UK_BACK) {
			ui_message_clear();
			return 0;
		}
		if (ev.k == UK_RESIZE || ev.k == UK_IDLE)
			continue;
		if (ev.k == UK_CHAR && ev.ch < 128) {
			int a = (int)ev.ch | 0x20;
			if (strchr(answers, a)) {
				ui_message_clear();
				return a;
			}
		}
		beep();
	}
}

int ui_prompt(const char *label, char *buf, size_t n, enum edit_filter f)
{
	struct edit e;
	struct ukey_ev ev;
	int lw = (int)utf8_width(label) + 1;
	char view[EDIT_MAX * 2];
	int cc;

	if (lw > COLS / 2)
		lw = COLS / 2;
	edit_init(&e, COLS - lw - 1, f);
	edit_set(&e, buf);
	for (;;) {
		ui_put(stdscr, LINES - 2, 0, label, lw, R_TITLE);
		edit_view(&e, view, sizeof view, &cc);
		ui_put(stdscr, LINES - 2, lw, view, COLS - lw - 1, R_INPUT);
		move(LINES - 2, lw + cc);
		curs_set(1);
		refresh();
		asking = true;
		ui_getkey(&ev);
		asking = false;
		switch (ev.k) {
		case UK_HANGUP:
			return -1;
		case UK_BACK:
			ui_message_clear();
			return 0;
		case UK_ENTER:
			snprintf(buf, n, "%s", edit_text(&e));
			ui_message_clear();
			return 1;
		default:
			if (!edit_key(&e, &ev) && ev.k != UK_IDLE &&
			    ev.k != UK_RESIZE)
				beep();
		}
	}
}

WINDOW *ui_popup(int h, int w, const char *title)
{
	WINDOW *win;

	if (h > LINES - 2)
		h = LINES - 2;
	if (w > COLS - 2)
		w = COLS - 2;
	if (!(win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2)))
		return NULL;
	keypad(win, TRUE);
	new_panel(win);
	werase(win);
	box(win, 0, 0);
	if (title) {
		char t[256];
		snprintf(t, sizeof t, " %s ", title);
		ui_put(win, 0, 2, t, (int)utf8_width(t) < w - 4 ?
		       (int)utf8_width(t) : w - 4, R_TITLE);
	}
	return win;
}

void ui_popup_close(WINDOW *w)
{
	PANEL *p;

	if (!w)
		return;
	if ((p = panel_below(NULL)) && panel_window(p) == w)
		del_panel(p);
	else {
		PANEL *q = NULL;
		while ((q = panel_below(q)))
			if (panel_window(q) == w) {
				del_panel(q);
				break;
			}
	}
	delwin(w);
	touchwin(stdscr);
	update_panels();
}

void ui_behind(void)
{
	if (U->redraw) {
		U->redraw(U->redraw_arg);
	} else {
		erase();
		ui_frame("");
		refresh();
	}
}
