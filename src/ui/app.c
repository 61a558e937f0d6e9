/*
 * app.c - the engine's entry: the forms folder, start-up checks, the
 * screen loop, the fast path, help, and leaving (quit, hang-up,
 * eviction).
 *
 * Leaving is the part a clerk never sees go wrong.  A hang-up (SIGHUP
 * or SIGTERM, or a read error on the terminal) turns into a key every
 * screen answers by returning at once; the open form keeps what was
 * typed as a draft; nothing is half-written because no transaction
 * is open while a screen waits for a key.  An eviction (SIGUSR1 from
 * the watcher, which recovers the environment after a process died
 * inside it) may find us inside Berkeley DB: the handler jumps out, the
 * store is abandoned, the draft written, and the program starts again
 * in place (execv), back at the menu.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/datadir.h"
#include "base/i18n.h"
#include "base/utf8.h"
#include "ui/ui.h"
#include "ui/ui_int.h"

const char *ui_forms_dir(const char *given)
{
	static char dir[PATH_MAX];

	if (given && *given)
		return given;
	return datadir_find("KONTOR_FORMS", "forms", "menu.conf", dir,
			    sizeof dir);
}

int ui_forms_load(const char *dir, struct formset *fs, struct kerr *err)
{
	int ret;

	if ((ret = formset_load(dir, fs, err)))
		return ret;
	if ((ret = ui_formcheck(fs, err))) {
		formset_free(fs);
		return ret;
	}
	return 0;
}

/* ------------------------------------------------------------ help */

/* Appends text wrapped at width columns to lines. */
static void wrap(char lines[][256], int *n, int max, const char *text,
		 int width)
{
	while (text && *text && *n < max) {
		size_t used, fit = utf8_fit(text, (size_t)width, &used);
		size_t cut = fit;
		const char *nl = memchr(text, '\n', fit);
		if (nl)
			cut = (size_t)(nl - text);
		else if (text[fit]) {
			size_t k = fit;
			while (k > 0 && text[k] != ' ')
				k--;
			if (k > 0)
				cut = k;
		}
		snprintf(lines[*n], 256, "%.*s", (int)cut, text);
		(*n)++;
		text += cut;
		while (*text == ' ' || *text == '\n')
			text++;
	}
}

int ui_help(const char *title, const char *screen_help,
	    const char *field_label, const char *field_help)
{
	static const char *const keys[] = {
		N_("F1  Esc 1   Help (this page)"),
		N_("F2  Esc 2   Save"),
		N_("F3  Esc 3   Back / leave (Esc Esc too)"),
		N_("F4  Esc 4   Look-up: choose a value from a list"),
		N_("F5  Esc 5   New record; in a grid: insert a line"),
		N_("F6  Esc 6   Delete; in a grid: delete the line"),
		N_("F7  Esc 7   Previous record (Ctrl-P)"),
		N_("F8  Esc 8   Next record (Ctrl-N)"),
		N_("F9  Esc 9   History of the record"),
		N_("F10 Esc 0   Actions"),
		N_("Ctrl-G      Go to a screen by its code (\"PA\", \"PA C0001\")"),
		N_("/ or Ctrl-F Search     Ctrl-O Sort order    Ctrl-T Filter"),
		N_("Tab Enter   Next field   Shift-Tab Up: previous field"),
		N_("Ctrl-U/D    Move a grid line up/down   Ctrl-L Redraw"),
		N_("PgUp PgDn   Page         Home End   First / last"),
	};
	char lines[80][256];
	int n = 0, w = COLS - 4 > 76 ? 76 : COLS - 4, h, status = UI_OK, top = 0;
	struct ukey_ev ev;
	WINDOW *win;

	if (screen_help) {
		wrap(lines, &n, 30, screen_help, w - 4);
		snprintf(lines[n++], 256, "%s", "");
	}
	if (field_label) {
		char t[300];
		snprintf(t, sizeof t, "%s: %s", field_label,
			 field_help ? field_help : _("(no help for this field)"));
		wrap(lines, &n, 50, t, w - 4);
		snprintf(lines[n++], 256, "%s", "");
	}
	for (size_t i = 0; i < sizeof keys / sizeof keys[0] && n < 80; i++)
		snprintf(lines[n++], 256, "%s", _(keys[i]));
	h = n + 2 < LINES - 2 ? n + 2 : LINES - 2;
	if (!(win = ui_popup(h, w, title)))
		return UI_OK;
	for (;;) {
		for (int r = 0; r < h - 2; r++)
			ui_put(win, r + 1, 2, top + r < n ? lines[top + r] : "",
			       w - 4, R_NORMAL);
		update_panels();
		doupdate();
		ui_getkey(&ev);
		if (ev.k == UK_HANGUP) {
			status = UI_HANGUP;
			break;
		}
		if (ev.k == UK_DOWN && top + h - 2 < n)
			top++;
		else if (ev.k == UK_UP && top > 0)
			top--;
		else if (ev.k == UK_PGDN)
			top = top + 2 * (h - 2) <= n ? top + h - 2 :
			      (n > h - 2 ? n - (h - 2) : 0);
		else if (ev.k == UK_PGUP)
			top = top > h - 2 ? top - (h - 2) : 0;
		else if (ev.k == UK_RESIZE) {
			ui_popup_close(win);
			ui_behind();
			h = n + 2 < LINES - 2 ? n + 2 : LINES - 2;
			if (!(win = ui_popup(h, w, title)))
				return status;
		} else if (ev.k != UK_IDLE)
			break;
	}
	ui_popup_close(win);
	return status;
}

/* ------------------------------------------------------------ fast path */

struct codearg {
	const struct entity *e;
	const char *code;
	int64_t id;
};

static int code_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct codearg *a = arg;
	void *rec = ent_new(a->e);
	int ret;

	if (!rec)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	ret = ent_get_code(t, a->e, a->code, rec, err);
	if (ret == 0)
		a->id = ((struct store_rec *)rec)->id;
	ent_free(a->e, rec);
	return ret;
}

int ui_open_form_code(const struct formdef *fd, const char *code)
{
	struct codearg a = { ent_find(fd->entity), code, 0 };
	struct kerr err;

	if (!a.e)
		return UI_OK;
	if (store_read(U->st, code_fn, &a, &err)) {
		ui_message(MSG_ERROR, "%s", err.msg);
		return UI_OK;
	}
	return ui_form(fd, a.id, NULL);
}

int ui_goto(const char *text)
{
	char buf[128] = "", *rec;
	const struct formdef *fd;

	if (text)
		snprintf(buf, sizeof buf, "%s", text);
	else {
		int r = ui_prompt(_("Go to (code, or code and record):"), buf,
				  sizeof buf, EF_TEXT);
		if (r < 0)
			return UI_HANGUP;
		if (r == 0 || !buf[0])
			return UI_OK;
	}
	rec = buf + strcspn(buf, " ");
	if (*rec) {
		*rec++ = '\0';
		rec += strspn(rec, " ");
	}
	if (!(fd = formset_find(&U->fs, buf))) {
		ui_message(MSG_ERROR, _("No screen has the code %s."), buf);
		return UI_OK;
	}
	if (!ui_allowed(fd, "read")) {
		ui_message(MSG_ERROR, _("You may not open %s (permission %s.read)."),
			   fd->title, fd->permission);
		return UI_OK;
	}
	if (*rec)
		return ui_open_form_code(fd, rec);
	return ui_list(fd);
}

/* ------------------------------------------------------------ running */

static sigjmp_buf evict_jmp;
static volatile sig_atomic_t evict_armed;

static void on_evict(int sig)
{
	(void)sig;
	if (evict_armed)
		siglongjmp(evict_jmp, 1);
	_exit(75);
}

int ui_run(const struct ui_opts *o, struct kerr *err)
{
	static struct ui u;
	struct sigaction sa;
	int status, ret;

	memset(&u, 0, sizeof u);
	U = &u;
	u.st = o->st;
	u.conf = o->conf;
	u.user = o->user;
	u.home = o->home;
	u.argv = o->argv;
	if ((ret = ui_forms_load(ui_forms_dir(o->forms_dir), &u.fs, err)))
		return ret;
	if (sigsetjmp(evict_jmp, 1)) {
		/* Evicted: the watcher recovers; start again in place. */
		evict_armed = 0;
		store_abandon(&u.st);
		if (u.save_draft)
			u.save_draft(u.save_draft_arg);
		ui_term_stop();
		fprintf(stderr, "%s\n",
			_("kontor: the database was recovered; starting again"));
		setenv("KONTOR_RESTARTED", "1", 1);
		execv("/proc/self/exe", u.argv);
		_exit(75);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_evict;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	evict_armed = 1;
	if ((ret = ui_term_start(err))) {
		evict_armed = 0;
		formset_free(&u.fs);
		return ret;
	}
	ui_crumb_push(u.fs.menu.title ? u.fs.menu.title : "Kontor");
	status = UI_OK;
	if (o->start && *o->start)
		status = ui_goto(o->start);
	if (status == UI_OK)
		status = ui_menu_run(&u.fs.menu);
	evict_armed = 0;
	ui_term_stop();
	formset_free(&u.fs);
	U = NULL;
	return status == UI_HANGUP ? 129 : 0;
}
