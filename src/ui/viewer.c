/*
 * viewer.c - reports on screen: the parameter screen, the viewer, and
 * print failures shown on the next screen refresh.
 *
 * A report opens from the menu.  Its parameters (if it has any) are
 * one input each, filled with their defaults and checked by
 * report_params(); then the report runs once, as paginated text, into
 * a temporary file, and the viewer pages through that file.  It never
 * loads the file: lineidx.c notes where each line and each page (form
 * feed) starts, and the lines on screen are read again when drawn, so
 * a report of a million rows costs 8 bytes a line.  The file has no
 * name: it is unlinked as soon as it is open (and its descriptor is
 * closed on exec), so nothing is left in $TMPDIR however the process
 * ends, an eviction's execv() included.  From the viewer
 * the clerk prints (the text file goes to the daemon's spool) or saves
 * it as text (the file viewed), CSV or PDF (the report runs again in
 * that format into FILE.tmp, renamed over FILE once complete).
 *
 * Printing happens later, in kontor daemon; a job that fails must
 * reach the clerk who printed it.  ui_getkey() calls ui_print_watch()
 * when nothing was typed for a while: every 3 s at most it looks at
 * the spool's failed/ folder (one stat), and only when that changed
 * reads the user's jobs; a failure not yet shown goes to the message
 * line of whatever screen is open, and is marked seen.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/utf8.h"
#include "report/report.h"
#include "report/spool.h"
#include "ui/lineidx.h"
#include "ui/ui_int.h"

#define MAXP 16
#define LINE_BYTES 4096          /* bytes of a line the viewer shows */

/* ------------------------------------------------------ permissions */

bool ui_report_allowed(const struct report *r)
{
	char p[128];

	if (r->perm && *r->perm)
		return perm_allowed(U->user, r->perm);
	snprintf(p, sizeof p, "report.%s", r->name);
	return perm_allowed(U->user, p);
}

/* The permission r asks, for messages. */
static const char *report_perm(const struct report *r, char *buf, size_t n)
{
	if (r->perm && *r->perm)
		snprintf(buf, n, "%s", r->perm);
	else
		snprintf(buf, n, "report.%s", r->name);
	return buf;
}

/* ------------------------------------------------ the parameter screen */

struct pscreen {
	const struct report *r;
	struct edit ed[MAXP];
	size_t n;
	int cur;
	int lw, iw;                    /* label and input columns */
	char title[200];
};

static enum edit_filter param_filter(const struct rparam *p)
{
	switch (p->type) {
	case RP_DATE: return EF_DATE;
	case RP_PERIOD: return EF_DATE;
	case RP_INT: return EF_INT;
	case RP_REF: return EF_CODE;
	default: return EF_TEXT;
	}
}

/* The default a parameter's input starts with ("today" as a date). */
static void param_default(const struct rparam *p, char *buf, size_t n)
{
	buf[0] = '\0';
	if (!p->def)
		return;
	if (p->type == RP_DATE && strcmp(p->def, "today") == 0)
		date_format(date_today(), buf, n);
	else
		snprintf(buf, n, "%s", p->def);
}

/*
 * What the screen says beside an input: the choices, or "Space: the
 * next choice" when they do not fit in room columns.
 */
static void param_hint(const struct rparam *p, int room, char *buf, size_t n)
{
	buf[0] = '\0';
	switch (p->type) {
	case RP_DATE:
		snprintf(buf, n, "%s", _("YYYY-MM-DD"));
		break;
	case RP_PERIOD:
		snprintf(buf, n, "%s", _("YYYY-MM"));
		break;
	case RP_REF:
		snprintf(buf, n, "%s", _("F4 look-up"));
		break;
	case RP_CHOICE: {
		char list[200];
		size_t k = 0;
		for (const char *c = p->choices ? p->choices : ""; *c &&
		     k + 3 < sizeof list; c++) {
			if (*c == '|') {
				list[k++] = '/';
			} else {
				list[k++] = *c;
			}
		}
		list[k] = '\0';
		snprintf(buf, n, _("Space: %s"), list);
		if ((int)utf8_width(buf) > room)
			snprintf(buf, n, "%s", _("Space: the next choice"));
		break;
	}
	default:
		break;
	}
}

/*
 * The choice after cur in choices ("a|b|c"), wrapping; the first when
 * cur is not one of them.
 */
static void next_choice(const char *choices, const char *cur, char *out,
			size_t n)
{
	const char *c = choices ? choices : "", *first = c;
	size_t cl = strlen(cur);

	out[0] = '\0';
	while (*c) {
		size_t len = strcspn(c, "|");
		if (len == cl && strncmp(c, cur, len) == 0) {
			const char *nx = c[len] ? c + len + 1 : first;
			snprintf(out, n, "%.*s", (int)strcspn(nx, "|"), nx);
			return;
		}
		c += len + (c[len] ? 1 : 0);
	}
	snprintf(out, n, "%.*s", (int)strcspn(first, "|"), first);
}

/* The choice starting with letter ch after cur, or "" for none. */
static void choice_by_letter(const char *choices, const char *cur, wchar_t ch,
			     char *out, size_t n)
{
	char now[EDIT_MAX], tries[EDIT_MAX];

	out[0] = '\0';
	snprintf(now, sizeof now, "%s", cur);
	for (int k = 0; k < MAXP * 4; k++) {
		next_choice(choices, now, tries, sizeof tries);
		if (!tries[0] || strcmp(tries, cur) == 0)
			break;
		if (ch < 128 && ((unsigned char)tries[0] | 0x20) ==
		    ((unsigned)ch | 0x20)) {
			snprintf(out, n, "%s", tries);
			return;
		}
		snprintf(now, sizeof now, "%s", tries);
	}
	if (ch < 128 && ((unsigned char)cur[0] | 0x20) == ((unsigned)ch | 0x20))
		snprintf(out, n, "%s", cur);
}

/* Columns the input of p needs: its longest choice, a date, a code. */
static int param_width(const struct rparam *p)
{
	int w = 0;

	switch (p->type) {
	case RP_CHOICE:
		for (const char *c = p->choices ? p->choices : ""; *c; ) {
			size_t len = strcspn(c, "|");
			char one[128];
			snprintf(one, sizeof one, "%.*s", (int)len, c);
			if ((int)utf8_width(one) + 1 > w)
				w = (int)utf8_width(one) + 1;
			c += len + (c[len] ? 1 : 0);
		}
		return w;
	case RP_DATE: return 11;
	case RP_PERIOD: return 8;
	case RP_INT: return 12;
	case RP_REF: return 16;
	default: return 20;
	}
}

static void pscreen_init(struct pscreen *ps, const struct report *r)
{
	char def[EDIT_MAX];

	memset(ps, 0, sizeof *ps);
	ps->r = r;
	ps->n = r->nparams < MAXP ? r->nparams : MAXP;
	ps->lw = 12;
	for (size_t i = 0; i < ps->n; i++) {
		int w = (int)utf8_width(_(r->params[i].label)) + 3;
		if (w > ps->lw)
			ps->lw = w;
	}
	if (ps->lw > 32)
		ps->lw = 32;
	ps->iw = 12;
	for (size_t i = 0; i < ps->n; i++)
		if (param_width(&r->params[i]) > ps->iw)
			ps->iw = param_width(&r->params[i]);
	if (ps->iw > 40)
		ps->iw = 40;
	for (size_t i = 0; i < ps->n; i++) {
		const struct rparam *p = &r->params[i];
		edit_init(&ps->ed[i], ps->iw, param_filter(p));
		ps->ed[i].upper = p->type == RP_REF;
		param_default(p, def, sizeof def);
		edit_set(&ps->ed[i], def);
		ps->ed[i].fresh = true;
	}
	snprintf(ps->title, sizeof ps->title, _("%s: parameters"), _(r->title));
}

static void pscreen_draw(struct pscreen *ps)
{
	char buf[EDIT_MAX * 2], hint[300], label[200];
	int cy = -1, cx = 0, cc;

	if (ui_too_small())
		return;
	erase();
	ui_put(stdscr, 1, 0, ps->title, COLS, R_TITLE);
	for (size_t i = 0; i < ps->n; i++) {
		const struct rparam *p = &ps->r->params[i];
		int y = UI_BODY_TOP + 1 + (int)i, x = 2 + ps->lw;
		bool focus = (size_t)ps->cur == i;
		snprintf(label, sizeof label, "%s%s", _(p->label),
			 p->required ? "*" : "");
		ui_put(stdscr, y, 2, label, ps->lw - 1,
		       p->required ? R_REQUIRED : R_LABEL);
		if (focus)
			edit_view(&ps->ed[i], buf, sizeof buf, &cc);
		else
			edit_view_home(&ps->ed[i], buf, sizeof buf);
		ui_put(stdscr, y, x, buf, ps->iw, focus ? R_FOCUS : R_INPUT);
		param_hint(p, COLS - (x + ps->iw + 2), hint, sizeof hint);
		if (hint[0] && x + ps->iw + 2 < COLS)
			ui_put(stdscr, y, x + ps->iw + 2, hint,
			       COLS - (x + ps->iw + 2), R_DIM);
		if (focus) {
			cy = y;
			cx = x + cc;
		}
	}
	/* the focused parameter's choices in full */
	if (ps->n && ps->r->params[ps->cur].type == RP_CHOICE) {
		param_hint(&ps->r->params[ps->cur], 1000, hint, sizeof hint);
		ui_put(stdscr, UI_BODY_TOP + 2 + (int)ps->n, 2, hint, COLS - 4,
		       R_DIM);
	}
	ui_put(stdscr, UI_BODY_TOP + 3 + (int)ps->n, 2,
	       _("F2 runs the report; so does Enter on the last line."),
	       COLS - 4, R_DIM);
	ui_frame(_(" F1 Help F2 Run F3 Back F4 Look-up Space Next choice Tab Next line"));
	if (cy >= 0) {
		move(cy, cx);
		curs_set(1);
	} else {
		curs_set(0);
	}
	refresh();
}

/* The parameter index err names (by name, or its label in the text). */
static int param_of_error(const struct pscreen *ps, const struct kerr *err)
{
	for (size_t i = 0; i < ps->n; i++)
		if (err->field[0] && strcmp(err->field, ps->r->params[i].name) == 0)
			return (int)i;
	for (size_t i = 0; i < ps->n; i++) {
		const struct rparam *p = &ps->r->params[i];
		if (strstr(err->msg, p->name) || strstr(err->msg, _(p->label)))
			return (int)i;
	}
	return -1;
}

/* The values the clerk gave (copies), checked; see struct viewer. */
struct pvals {
	char *text[MAXP];
	struct rparams given, params;
};

static void pvals_free(struct pvals *v)
{
	for (size_t i = 0; i < MAXP; i++)
		free(v->text[i]);
	memset(v, 0, sizeof *v);
}

/*
 * Takes the inputs of ps into v and checks them.  0, or an error in err
 * (and the parameter it names focused).
 */
static int pscreen_take(struct pscreen *ps, struct pvals *v,
			struct kerr *err)
{
	int ret, at;

	pvals_free(v);
	for (size_t i = 0; i < ps->n; i++) {
		const char *t = edit_text(&ps->ed[i]);
		if (!*t)
			continue;
		if (!(v->text[v->given.n] = strdup(t)))
			return kerr_set(err, K_ENOMEM, NULL, NULL);
		v->given.name[v->given.n] = ps->r->params[i].name;
		v->given.value[v->given.n] = v->text[v->given.n];
		v->given.n++;
	}
	kerr_clear(err);
	if ((ret = report_params(ps->r, &v->given, &v->params, err))) {
		if ((at = param_of_error(ps, err)) >= 0)
			ps->cur = at;
		ps->ed[ps->cur].fresh = false;
	}
	return ret;
}

static void pscreen_lookup(struct pscreen *ps)
{
	const struct rparam *p = &ps->r->params[ps->cur];
	const struct entity *e = p->type == RP_REF && p->ref ?
				 ent_find(p->ref) : NULL;
	char code[256];
	int r;

	if (!e) {
		ui_message(MSG_INFO, _("No look-up for this parameter."));
		return;
	}
	r = ui_lookup(e, edit_text(&ps->ed[ps->cur]), code, sizeof code);
	if (r < 0)
		ui_hup = 1;
	else if (r == 1)
		edit_set(&ps->ed[ps->cur], code);
}

/*
 * The parameter screen: 1 when the clerk runs the report (v filled and
 * checked), 0 on Back, -1 on hang-up.
 */
static int pscreen_run(struct pscreen *ps, struct pvals *v)
{
	struct ukey_ev ev;
	struct kerr err;

	ui_crumb_push(_("parameters"));
	for (;;) {
		const struct rparam *p = &ps->r->params[ps->cur];
		bool last = (size_t)ps->cur + 1 == ps->n;
		U->redraw = (void (*)(void *))pscreen_draw;
		U->redraw_arg = ps;
		pscreen_draw(ps);
		ui_getkey(&ev);
		if (ev.k == UK_HANGUP || ui_hup)
			goto hangup;
		if (ev.k == UK_IDLE || ev.k == UK_RESIZE)
			continue;
		ui_message_clear();
		switch (ev.k) {
		case UK_BACK:
			ui_crumb_pop();
			U->redraw = NULL;
			return 0;
		case UK_SAVE:
			if (pscreen_take(ps, v, &err) == 0)
				goto run;
			ui_message(MSG_ERROR, "%s", err.msg);
			break;
		case UK_ENTER:
			if (last) {
				if (pscreen_take(ps, v, &err) == 0)
					goto run;
				ui_message(MSG_ERROR, "%s", err.msg);
				break;
			}
			/* fall through */
		case UK_TAB:
		case UK_DOWN:
			ps->cur = last ? 0 : ps->cur + 1;
			ps->ed[ps->cur].fresh = true;
			break;
		case UK_BTAB:
		case UK_UP:
			ps->cur = ps->cur ? ps->cur - 1 : (int)ps->n - 1;
			ps->ed[ps->cur].fresh = true;
			break;
		case UK_LOOKUP:
			pscreen_lookup(ps);
			break;
		case UK_HELP: {
			char hint[300];
			param_hint(p, 1000, hint, sizeof hint);
			if (ui_help(ps->title,
				    _("The report's parameters: each line starts with its default. "
				      "Tab and Enter move to the next line, Space picks the next choice, "
				      "F4 chooses a record from a list. F2 runs the report and shows it."),
				    _(p->label), hint[0] ? hint : NULL) == UI_HANGUP)
				goto hangup;
			break;
		}
		case UK_REDRAW:
			clearok(curscr, TRUE);
			break;
		case UK_CHAR:
			if (p->type == RP_CHOICE) {
				char nx[EDIT_MAX];
				if (ev.ch == ' ')
					next_choice(p->choices,
						    edit_text(&ps->ed[ps->cur]),
						    nx, sizeof nx);
				else
					choice_by_letter(p->choices,
							 edit_text(&ps->ed[ps->cur]),
							 ev.ch, nx, sizeof nx);
				if (nx[0])
					edit_set(&ps->ed[ps->cur], nx);
				else
					beep();
				break;
			}
			/* fall through */
		default:
			if (p->type == RP_CHOICE &&
			    (ev.k == UK_BS || ev.k == UK_DEL || ev.k == UK_KILL))
				edit_set(&ps->ed[ps->cur], "");
			else if (!edit_key(&ps->ed[ps->cur], &ev))
				beep();
		}
		if (ui_hup)
			goto hangup;
	}
run:
	ui_crumb_pop();
	U->redraw = NULL;
	return 1;
hangup:
	ui_crumb_pop();
	U->redraw = NULL;
	return -1;
}

/* ------------------------------------------------------------ the viewer */

struct viewer {
	const struct report *r;
	const struct rparams *params;
	struct rmeta meta;
	char path[PATH_MAX];          /* where the text was made (messages) */
	FILE *f;                      /* the text, a file without a name */
	struct lineidx ix;
	unsigned long rows;
	size_t top;                   /* first line shown */
	int hcol;                     /* first column shown */
	int width;                    /* the report's columns */
	char search[128];
	bool hit;                     /* a match to show */
	size_t hit_line, hit_at;
	char title[200];
};

static int view_rows(void)
{
	int n = LINES - UI_BODY_TOP - 2;

	return n > 1 ? n : 1;
}

/*
 * The last line that may be at the top: the report's end fills the
 * screen, except that the last page can be shown from its start.
 */
static size_t max_top(const struct viewer *v)
{
	size_t rows = (size_t)view_rows(), last;

	last = v->ix.npages ? lineidx_page_first(&v->ix, v->ix.npages - 1) : 0;
	if (v->ix.n > rows && v->ix.n - rows > last)
		return v->ix.n - rows;
	return last;
}

static int max_hcol(const struct viewer *v)
{
	return v->width > COLS ? v->width - COLS : 0;
}

static void view_draw(struct viewer *v)
{
	char line[LINE_BYTES], out[LINE_BYTES * 2], right[200], keys[300];
	int rows = view_rows(), rw;
	size_t page = lineidx_page_of(&v->ix, v->top);

	if (ui_too_small())
		return;
	erase();
	if (v->hcol > max_hcol(v))
		v->hcol = max_hcol(v);
	if (v->top > max_top(v))
		v->top = max_top(v);
	if (v->width > COLS)
		snprintf(right, sizeof right,
			 _("page %zu of %zu  line %zu of %zu  columns %d-%d of %d "),
			 v->ix.npages ? page + 1 : 0, v->ix.npages,
			 v->ix.n ? v->top + 1 : 0, v->ix.n, v->hcol + 1,
			 v->hcol + COLS, v->width);
	else
		snprintf(right, sizeof right, _("page %zu of %zu  line %zu of %zu "),
			 v->ix.npages ? page + 1 : 0, v->ix.npages,
			 v->ix.n ? v->top + 1 : 0, v->ix.n);
	rw = (int)utf8_width(right);
	if (rw > COLS - 10)
		rw = COLS - 10;
	ui_put(stdscr, 1, 0, v->title, COLS - rw, R_TITLE);
	ui_put_right(stdscr, 1, COLS - rw, right, rw, R_DIM);
	for (int r = 0; r < rows; r++) {
		size_t ln = v->top + (size_t)r;
		if (ln >= v->ix.n) {
			ui_put(stdscr, UI_BODY_TOP + r, 0, "", COLS, R_NORMAL);
			continue;
		}
		lineidx_read(&v->ix, v->f, ln, line, sizeof line);
		lineidx_slice(line, v->hcol, COLS, out, sizeof out);
		ui_put(stdscr, UI_BODY_TOP + r, 0, out, COLS, R_NORMAL);
		if (v->hit && ln == v->hit_line &&
		    v->hit_at + strlen(v->search) <= strlen(line)) {
			int c0 = lineidx_cols(line, v->hit_at) - v->hcol;
			int c1 = lineidx_cols(line, v->hit_at + strlen(v->search)) -
				 v->hcol;
			if (c0 >= 0 && c1 <= COLS && c1 > c0) {
				char part[LINE_BYTES * 2];
				lineidx_slice(line, c0 + v->hcol, c1 - c0, part,
					      sizeof part);
				ui_put(stdscr, UI_BODY_TOP + r, c0, part, c1 - c0,
				       R_SELECT);
			}
		}
	}
	if (!v->ix.n && !U->msg[0])
		ui_message(MSG_INFO, "%s", _("The report is empty."));
	snprintf(keys, sizeof keys, "%s%s%s",
		 _(" F1 Help / Search n Next g Page p Print s Save"),
		 v->width > COLS ? _(" Left/Right") : "", _(" F3 Back"));
	ui_frame(keys);
	curs_set(0);
	refresh();
}

/*
 * A file in TMPDIR (else /tmp) for the text of a report, already
 * unlinked: it goes when it is closed or the process ends, however it
 * ends.  Its descriptor is closed on exec, so that a process evicted
 * (it execs itself afresh, see app.c) does not keep it either.  path
 * gets the name it had, for messages.
 */
static FILE *temp_file(char *path, size_t n, struct kerr *err)
{
	const char *tmp = getenv("TMPDIR");
	FILE *f;
	int fd;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	snprintf(path, n, "%s/kontor-report-XXXXXX", tmp);
	if ((fd = mkstemp(path)) < 0) {
		kerr_set(err, K_EIO, NULL, _("cannot make a temporary file in %s: %s"),
			 tmp, strerror(errno));
		path[0] = '\0';
		return NULL;
	}
	unlink(path);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 || !(f = fdopen(fd, "w+"))) {
		kerr_set(err, K_EIO, NULL, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	return f;
}

static void meta_fill(struct viewer *v)
{
	memset(&v->meta, 0, sizeof v->meta);
	v->meta.company = U->conf && U->conf->company_name ?
			  U->conf->company_name : "Kontor";
	v->meta.user = U->user ? (U->user->name[0] ? U->user->name :
				  U->user->login) : "";
	v->meta.run_us = date_now_us();
	v->meta.width = 0;             /* the report's own, as kontor report */
	v->meta.page_lines = U->conf && U->conf->print_length ?
			     U->conf->print_length : 66;
	v->meta.base_currency = U->conf ? U->conf->base_currency : NULL;
	v->meta.a4 = true;
	v->meta.landscape = v->r->wide;
}

/* Runs the report as text into a temporary file and indexes it. */
static int view_run(struct viewer *v, struct kerr *err)
{
	int ret;

	meta_fill(v);
	v->width = report_width(v->r, v->meta.width);
	if (!(v->f = temp_file(v->path, sizeof v->path, err)))
		return err->code;
	ret = report_run(U->st, v->r, v->params, &v->meta, RFMT_TEXT, v->f,
			 &v->rows, err);
	if (ret == 0 && fflush(v->f) != 0)
		ret = kerr_set(err, K_EIO, NULL, _("cannot write %s: %s"),
			       v->path, strerror(errno));
	if (ret == 0)
		ret = lineidx_build(&v->ix, v->f, err);
	return ret;
}

static void view_close(struct viewer *v)
{
	lineidx_free(&v->ix);
	if (v->f)
		fclose(v->f);         /* the file goes with it: it has no name */
	v->f = NULL;
	v->path[0] = '\0';
}

/* Brings line ln (and column col of it, when >= 0) into view. */
static void show_line(struct viewer *v, size_t ln, int col, int cols)
{
	size_t rows = (size_t)view_rows();

	if (ln < v->top || ln >= v->top + rows) {
		/* two lines before it, on its page */
		size_t first = lineidx_page_first(&v->ix,
						  lineidx_page_of(&v->ix, ln));
		v->top = ln > 2 ? ln - 2 : 0;
		if (v->top < first)
			v->top = first;
	}
	if (v->top > max_top(v))
		v->top = max_top(v);
	if (col >= 0 && (col < v->hcol || col + cols > v->hcol + COLS)) {
		v->hcol = col > 10 ? col - 10 : 0;
		if (v->hcol > max_hcol(v))
			v->hcol = max_hcol(v);
	}
}

static void do_search(struct viewer *v, bool again)
{
	char text[sizeof v->search], line[LINE_BYTES];
	size_t from, ln, at;
	bool wrapped, top_first;
	int r;

	snprintf(text, sizeof text, "%s", v->search);
	if (!again || !text[0]) {
		r = ui_prompt(_("Search:"), text, sizeof text, EF_TEXT);
		if (r < 0) {
			ui_hup = 1;
			return;
		}
		if (r == 0 || !text[0])
			return;
	}
	snprintf(v->search, sizeof v->search, "%s", text);
	/* after the match shown, else from the first line on screen */
	top_first = false;
	if (v->hit && v->hit_line >= v->top &&
	    v->hit_line < v->top + (size_t)view_rows())
		from = v->hit_line;
	else if (v->top > 0)
		from = v->top - 1;
	else {
		from = v->ix.n ? v->ix.n - 1 : 0;
		top_first = true;
	}
	r = lineidx_search(&v->ix, v->f, from, text, true, &ln, &at, &wrapped);
	if (r < 0) {
		ui_message(MSG_ERROR, _("Cannot read the report: %s"),
			   strerror(errno));
		return;
	}
	if (r == 0) {
		v->hit = false;
		ui_message(MSG_INFO, _("Not found: %s"), text);
		return;
	}
	v->hit = true;
	v->hit_line = ln;
	v->hit_at = at;
	lineidx_read(&v->ix, v->f, ln, line, sizeof line);
	show_line(v, ln, lineidx_cols(line, at),
		  lineidx_cols(line, at + strlen(text)) - lineidx_cols(line, at));
	if (wrapped && !top_first)
		ui_message(MSG_INFO, _("Found on page %zu, searching on from the top."),
			   lineidx_page_of(&v->ix, ln) + 1);
	else
		ui_message(MSG_INFO, _("Found on page %zu."),
			   lineidx_page_of(&v->ix, ln) + 1);
}

static void do_goto_page(struct viewer *v)
{
	char buf[32] = "", label[80];
	long p;
	int r;

	snprintf(label, sizeof label, _("Go to page (1-%zu):"), v->ix.npages);
	r = ui_prompt(label, buf, sizeof buf, EF_INT);
	if (r < 0) {
		ui_hup = 1;
		return;
	}
	if (r == 0 || !buf[0])
		return;
	p = strtol(buf, NULL, 10);
	if (p < 1 || (size_t)p > v->ix.npages) {
		ui_message(MSG_ERROR, _("There is no page %s: the report has %zu."),
			   buf, v->ix.npages);
		return;
	}
	v->top = lineidx_page_first(&v->ix, (size_t)p - 1);
}

/* The user's printer from kontor.conf, or "". */
static const char *default_printer(void)
{
	const struct kconf_user *ku = NULL;

	if (U->user && U->user->user)
		ku = U->user->user;
	else if (U->conf && U->user)
		ku = kconf_user_find(U->conf, U->user->login);
	return ku && ku->printer ? ku->printer : "";
}

static void do_print(struct viewer *v)
{
	char printer[64], id[64];
	struct kerr err;
	int r;

	snprintf(printer, sizeof printer, "%s", default_printer());
	r = ui_prompt(_("Printer (empty: the default):"), printer,
		      sizeof printer, EF_TEXT);
	if (r < 0) {
		ui_hup = 1;
		return;
	}
	if (r == 0)
		return;
	kerr_clear(&err);
	if (spool_submit_fd(U->home, U->user->login, printer, _(v->r->title),
			    fileno(v->f), id, sizeof id, &err)) {
		ui_message(MSG_ERROR, _("Not printed: %s"), err.msg);
		return;
	}
	if (spool_runner_pid(U->home) == 0)
		ui_message(MSG_INFO,
			   _("Queued as job %s; it prints once kontor daemon runs."),
			   id);
	else if (printer[0])
		ui_message(MSG_INFO, _("Sent to %s as job %s."), printer, id);
	else
		ui_message(MSG_INFO, _("Sent to the default printer as job %s."),
			   id);
}

/* "~/x" becomes $HOME/x (the password file's home without $HOME). */
static void expand_home(const char *in, char *out, size_t n)
{
	const char *home;

	if (in[0] != '~' || (in[1] != '/' && in[1] != '\0')) {
		snprintf(out, n, "%s", in);
		return;
	}
	home = getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : "/";
	}
	snprintf(out, n, "%s%s", home, in + 1);
}

/* Copies the viewed text into out. */
static int copy_text(struct viewer *v, FILE *out, struct kerr *err)
{
	char buf[65536];
	size_t got;

	if (fseeko(v->f, 0, SEEK_SET) != 0)
		return kerr_set(err, K_EIO, NULL, "%s: %s", v->path,
				strerror(errno));
	while ((got = fread(buf, 1, sizeof buf, v->f)) > 0)
		if (fwrite(buf, 1, got, out) != got)
			return kerr_set(err, errno == ENOSPC ? K_ENOSPC : K_EIO,
					NULL, "%s", strerror(errno));
	if (ferror(v->f))
		return kerr_set(err, K_EIO, NULL, "%s: %s", v->path,
				strerror(errno));
	return 0;
}

/*
 * Writes the report in fmt to path: into path.tmp, synced, then renamed
 * over path, so path is whole or untouched.
 */
static int save_to(struct viewer *v, enum rformat fmt, const char *path,
		   unsigned long *rows, struct kerr *err)
{
	char tmp[PATH_MAX + 8];
	struct rmeta m = v->meta;
	FILE *out;
	int ret;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return kerr_set(err, K_EINVAL, NULL, _("the file name is too long"));
	if (!(out = fopen(tmp, "w")))
		return kerr_set(err, errno == ENOSPC ? K_ENOSPC : K_EIO, NULL,
				_("cannot write %s: %s"), tmp, strerror(errno));
	if (fmt == RFMT_TEXT) {
		ret = copy_text(v, out, err);
		*rows = v->rows;
	} else {
		m.run_us = date_now_us();
		ret = report_run(U->st, v->r, v->params, &m, fmt, out, rows, err);
	}
	if (ret == 0 && (fflush(out) != 0 || fsync(fileno(out)) != 0))
		ret = kerr_set(err, errno == ENOSPC ? K_ENOSPC : K_EIO, NULL,
			       _("cannot write %s: %s"), tmp, strerror(errno));
	if (fclose(out) != 0 && ret == 0)
		ret = kerr_set(err, K_EIO, NULL, _("cannot write %s: %s"), tmp,
			       strerror(errno));
	if (ret == 0 && rename(tmp, path) != 0)
		ret = kerr_set(err, K_EIO, NULL, _("cannot rename %s to %s: %s"),
			       tmp, path, strerror(errno));
	if (ret)
		unlink(tmp);
	return ret;
}

static void do_save(struct viewer *v)
{
	bool pdf = report_pdf_available();
	char name[PATH_MAX], path[PATH_MAX], q[PATH_MAX + 64];
	const char *ext;
	enum rformat fmt;
	unsigned long rows = 0;
	struct stat sb;
	struct kerr err;
	int a, r;

	a = ui_ask(pdf ? _("Save as text, CSV or PDF? ") :
		   _("Save as text or CSV (this build has no PDF)? "),
		   pdf ? "tcp" : "tc");
	if (a < 0) {
		ui_hup = 1;
		return;
	}
	if (a == 0)
		return;
	view_draw(v);           /* the viewer's key line under the prompt */
	fmt = a == 'c' ? RFMT_CSV : a == 'p' ? RFMT_PDF : RFMT_TEXT;
	ext = a == 'c' ? "csv" : a == 'p' ? "pdf" : "txt";
	snprintf(name, sizeof name, "~/%s.%s", v->r->name, ext);
	r = ui_prompt(_("Save to file:"), name, sizeof name, EF_TEXT);
	if (r < 0) {
		ui_hup = 1;
		return;
	}
	if (r == 0 || !name[0])
		return;
	expand_home(name, path, sizeof path);
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			ui_message(MSG_ERROR, _("Not saved: %s is a folder."), path);
			return;
		}
		snprintf(q, sizeof q, _("%s exists. Replace it? "), path);
		a = ui_ask(q, "yn");
		if (a < 0) {
			ui_hup = 1;
			return;
		}
		if (a != 'y')
			return;
	}
	ui_message(MSG_INFO, "%s", _("Saving..."));
	view_draw(v);
	kerr_clear(&err);
	if (save_to(v, fmt, path, &rows, &err))
		ui_message(MSG_ERROR, _("Not saved: %s"), err.msg);
	else
		ui_message(MSG_INFO, _("Saved %s (%lu rows)."), path, rows);
}

static const char *view_help(void)
{
	return _("The report as it prints, page by page.\n"
		 "Up Down PgUp PgDn Home End   scroll\n"
		 "Left Right   the other columns of a wide report\n"
		 "/ or Ctrl-F  search forward; n   the next match\n"
		 "g            go to a page\n"
		 "p            print (the daemon prints; a failure shows here)\n"
		 "s            save as text, CSV or PDF\n"
		 "F3           back to the parameters");
}

/* The viewer over v's text: UI_OK when the clerk goes back, or UI_HANGUP. */
static int view_loop(struct viewer *v)
{
	struct ukey_ev ev;
	int status = UI_OK;
	size_t rows;

	ui_crumb_push(_("view"));
	while (status == UI_OK) {
		U->redraw = (void (*)(void *))view_draw;
		U->redraw_arg = v;
		view_draw(v);
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
		rows = (size_t)view_rows();
		switch (ev.k) {
		case UK_BACK:
			goto out;
		case UK_UP:
			if (v->top > 0)
				v->top--;
			break;
		case UK_DOWN:
			if (v->top < max_top(v))
				v->top++;
			break;
		case UK_PGUP:
			v->top = v->top > rows ? v->top - rows : 0;
			break;
		case UK_PGDN:
			v->top = v->top + rows < max_top(v) ? v->top + rows :
				 max_top(v);
			break;
		case UK_HOME:
			v->top = 0;
			v->hcol = 0;
			break;
		case UK_END:
			v->top = max_top(v);
			break;
		case UK_LEFT:
			if (v->hcol > 0)
				v->hcol = v->hcol > COLS / 4 ? v->hcol - COLS / 4 : 0;
			else
				beep();
			break;
		case UK_RIGHT:
			if (v->hcol < max_hcol(v))
				v->hcol = v->hcol + COLS / 4 < max_hcol(v) ?
					  v->hcol + COLS / 4 : max_hcol(v);
			else
				beep();
			break;
		case UK_SEARCH:
			do_search(v, false);
			break;
		case UK_HELP:
			status = ui_help(_(v->r->title), view_help(), NULL, NULL);
			break;
		case UK_REDRAW:
			clearok(curscr, TRUE);
			break;
		case UK_RESIZE:
			break;
		case UK_GOTO:
			status = ui_goto(NULL);
			break;
		case UK_CHAR:
			switch (ev.ch) {
			case 'n': do_search(v, true); break;
			case 'g': do_goto_page(v); break;
			case 'p': do_print(v); break;
			case 's': do_save(v); break;
			default: beep();
			}
			break;
		default:
			beep();
		}
		if (ui_hup)
			status = UI_HANGUP;
	}
out:
	U->redraw = NULL;
	ui_crumb_pop();
	return status;
}

/* Runs the report with v's parameters and views it. */
static int run_and_view(const struct report *r, const struct rparams *params,
			void (*behind)(void *), void *arg)
{
	struct viewer *v = calloc(1, sizeof *v);
	struct kerr err;
	int status = UI_OK;

	if (!v) {
		ui_message(MSG_ERROR, "%s", _("Out of memory."));
		return UI_OK;
	}
	v->r = r;
	v->params = params;
	snprintf(v->title, sizeof v->title, " %s", _(r->title));
	ui_message(MSG_INFO, "%s", _("Running..."));
	if (behind)
		behind(arg);
	else {
		erase();
		ui_put(stdscr, 1, 0, v->title, COLS, R_TITLE);
		ui_frame("");
		refresh();
	}
	kerr_clear(&err);
	if (view_run(v, &err)) {
		ui_message(MSG_ERROR, _("The report did not run: %s"), err.msg);
	} else {
		ui_message(MSG_INFO, _("%lu rows, %zu pages."), v->rows,
			   v->ix.npages);
		status = view_loop(v);
	}
	view_close(v);
	free(v);
	return status;
}

int ui_report(const struct report *r)
{
	struct pscreen *ps;
	struct pvals vals;
	struct kerr err;
	char perm[128];
	int status = UI_OK;

	if (!r)
		return UI_OK;
	if (!ui_report_allowed(r)) {
		ui_message(MSG_ERROR, _("You may not run %s (permission %s)."),
			   _(r->title), report_perm(r, perm, sizeof perm));
		return UI_OK;
	}
	if (!(ps = calloc(1, sizeof *ps))) {
		ui_message(MSG_ERROR, "%s", _("Out of memory."));
		return UI_OK;
	}
	memset(&vals, 0, sizeof vals);
	pscreen_init(ps, r);
	ui_crumb_push(_(r->title));
	for (;;) {
		if (ps->n) {
			int a = pscreen_run(ps, &vals);
			if (a < 0)
				status = UI_HANGUP;
			if (a <= 0)
				break;
			status = run_and_view(r, &vals.params,
					      (void (*)(void *))pscreen_draw, ps);
		} else {
			kerr_clear(&err);
			if (report_params(r, &vals.given, &vals.params, &err)) {
				ui_message(MSG_ERROR, "%s", err.msg);
				break;
			}
			status = run_and_view(r, &vals.params, NULL, NULL);
		}
		/* Back from the viewer: the parameters again, if any. */
		if (status != UI_OK || !ps->n)
			break;
	}
	ui_crumb_pop();
	pvals_free(&vals);
	free(ps);
	return status;
}

/* ------------------------------------------------- print failures */

void ui_print_watch(void)
{
	static bool checked, have_mtime;
	static struct timespec last, mtime;
	struct timespec now;
	struct spool_job *jobs = NULL;
	struct kerr err;
	struct stat sb;
	char dir[PATH_MAX];
	size_t n = 0, unseen = 0;
	const struct spool_job *show = NULL;

	if (!U || !U->home || !U->user || !U->user->login[0])
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (checked && now.tv_sec - last.tv_sec < 3)
		return;
	checked = true;
	last = now;
	snprintf(dir, sizeof dir, "%s/spool/failed", U->home);
	if (stat(dir, &sb) != 0)
		return;
	if (have_mtime && sb.st_mtim.tv_sec == mtime.tv_sec &&
	    sb.st_mtim.tv_nsec == mtime.tv_nsec)
		return;
	kerr_clear(&err);
	if (spool_status(U->home, U->user->login, &jobs, &n, &err))
		return;                 /* tried again on the next check */
	mtime = sb.st_mtim;
	have_mtime = true;
	/* newest first: show the newest failure, count the others */
	for (size_t i = 0; i < n; i++)
		if (jobs[i].state == 'f' && !jobs[i].seen &&
		    strcmp(jobs[i].login, U->user->login) == 0) {
			if (!show)
				show = &jobs[i];
			unseen++;
		}
	if (show) {
		if (unseen > 1)
			ui_message(MSG_ERROR,
				   _("Printing %s failed: %s (and %zu more: kontor print status)"),
				   show->title, show->error, unseen - 1);
		else
			ui_message(MSG_ERROR, _("Printing %s failed: %s"),
				   show->title, show->error);
		for (size_t i = 0; i < n; i++)
			if (jobs[i].state == 'f' && !jobs[i].seen &&
			    strcmp(jobs[i].login, U->user->login) == 0)
				spool_mark_seen(U->home, jobs[i].id, NULL);
	}
	free(jobs);
}
