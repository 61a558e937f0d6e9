/*
 * bench_ui - the screen benchmark's harness (tests/bench/ui.sh): runs the
 * real kontor on a pseudo-terminal, types keys and measures what a clerk
 * waits for.
 *
 *   bench_ui --home DIR [--kontor PATH] [--count N] [--runs N]
 *            [--pages N] [--size COLSxROWS]... [--quiet-ms MS]
 *            [--note TEXT]... [--results FILE]
 *
 * Each run first starts `kontor --home DIR` (TERM=xterm-256color,
 * LANG=C.UTF-8) in a window of the given size:
 *   menu      from the exec until the menu is drawn (start-up)
 *   idle      one second at the menu; then the clerk's memory; F3 y
 * then `kontor --home DIR PA` and walks:
 *   start     until the party list shows P0000001
 *   idle      one second with the list open (bytes written while idle);
 *             then the clerk's memory
 *   PgDn      --pages times (each page must start with the last row of
 *             the page before, as long as there are more rows); then
 *             the clerk's memory again
 *   Enter     the form of the selected (first) row
 *   F3        back to the list, F3 again back to the menu
 *   Ctrl-G    the go-to prompt, then "PA" Enter: the list again
 *   memory    again, after the walk; then F3 F3 y: leave
 * A step ends when the screen shows what it should and nothing has been
 * written for --quiet-ms (150) ms.  Its time is from the key to the
 * last byte written (the quiet period is not counted), "first" to the
 * first byte; bytes are all that the program wrote to the terminal in
 * the step; cpu is the kontor process's CPU time in the step
 * (/proc/PID/schedstat).  The screen is kept by a small terminal model
 * (the xterm sequences ncurses uses), so the markers are checked on
 * what a terminal would show, not on the byte stream.
 *
 * Every measurement is repeated --runs (5) times per window size and the
 * medians are printed, in one table after the machine.  --results FILE
 * also writes the medians there, a line each: "NAME@COLSxROWS MEDIAN
 * UNIT RUNS" (ui.sh passes them to bench_summary).  Nothing passes
 * or fails on time; a screen that does not show what it should within
 * 60 s is an error (exit 1, the screen is printed to stderr).
 * BENCH_UI_DUMP=1 prints the screen after every step to stderr.
 */
#define _XOPEN_SOURCE 700
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#define MAX_SIZES 4
#define MAX_RUNS 50
#define MAX_PAGES 200
#define MAX_NOTES 8
#define STEP_TIMEOUT 60.0       /* seconds until a screen counts as stuck */
#define CONT 0xFFFFFFFFu        /* right half of a wide character */

static const char *prog = "bench_ui";
static bool dump;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------ terminal model */

/*
 * What an xterm would show: cells of code points, the cursor, the
 * scrolling region, insert mode, pending wrap.  Attributes and colours
 * are ignored (SGR is skipped), line-drawing characters stay letters.
 */
enum vt_state { VT_GROUND, VT_ESC, VT_CSI, VT_SKIP1, VT_OSC, VT_OSC_ESC };

struct vt {
	int rows, cols;
	uint32_t *cell;
	int y, x, sy, sx, top, bot;
	bool wrap, insert;
	uint32_t last;                  /* for rep (CSI b) */
	uint32_t cp;                    /* UTF-8 being decoded */
	int need;
	enum vt_state st;
	char par[64];
	size_t npar;
};

static uint32_t *vt_at(struct vt *v, int y, int x)
{
	return &v->cell[(size_t)y * (size_t)v->cols + (size_t)x];
}

static void vt_blank(struct vt *v, int y, int x0, int x1)
{
	for (int x = x0; x < x1 && x < v->cols; x++)
		*vt_at(v, y, x) = ' ';
}

static bool vt_init(struct vt *v, int rows, int cols)
{
	memset(v, 0, sizeof *v);
	v->rows = rows;
	v->cols = cols;
	v->bot = rows - 1;
	if (!(v->cell = malloc(sizeof *v->cell * (size_t)rows * (size_t)cols)))
		return false;
	for (int y = 0; y < rows; y++)
		vt_blank(v, y, 0, cols);
	return true;
}

static void vt_free(struct vt *v)
{
	free(v->cell);
	v->cell = NULL;
}

/* Scrolls rows [top, bot] up by n (n < 0: down). */
static void vt_scroll(struct vt *v, int top, int bot, int n)
{
	int h = bot - top + 1;
	size_t w = (size_t)v->cols;

	if (h <= 0)
		return;
	if (n > h)
		n = h;
	if (n < -h)
		n = -h;
	if (n > 0) {
		memmove(vt_at(v, top, 0), vt_at(v, top + n, 0),
			sizeof *v->cell * w * (size_t)(h - n));
		for (int y = bot - n + 1; y <= bot; y++)
			vt_blank(v, y, 0, v->cols);
	} else if (n < 0) {
		n = -n;
		memmove(vt_at(v, top + n, 0), vt_at(v, top, 0),
			sizeof *v->cell * w * (size_t)(h - n));
		for (int y = top; y < top + n; y++)
			vt_blank(v, y, 0, v->cols);
	}
}

static void vt_linefeed(struct vt *v)
{
	if (v->y == v->bot)
		vt_scroll(v, v->top, v->bot, 1);
	else if (v->y < v->rows - 1)
		v->y++;
}

/* Clears the other half of a wide character cut by a write at y, x. */
static void vt_unsplit(struct vt *v, int y, int x)
{
	if (*vt_at(v, y, x) == CONT && x > 0)
		*vt_at(v, y, x - 1) = ' ';
	if (x + 1 < v->cols && *vt_at(v, y, x + 1) == CONT)
		*vt_at(v, y, x + 1) = ' ';
}

static void vt_insert_blanks(struct vt *v, int n)
{
	int y = v->y, x = v->x;

	if (n > v->cols - x)
		n = v->cols - x;
	if (n <= 0)
		return;
	memmove(vt_at(v, y, x + n), vt_at(v, y, x),
		sizeof *v->cell * (size_t)(v->cols - x - n));
	vt_blank(v, y, x, x + n);
}

static void vt_print(struct vt *v, uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	if (w == 0)
		return;                 /* combining marks: not modelled */
	if (w < 0)
		w = 1;
	if (v->wrap) {
		v->x = 0;
		vt_linefeed(v);
		v->wrap = false;
	}
	if (v->x + w > v->cols) {
		v->x = 0;
		vt_linefeed(v);
	}
	if (v->insert)
		vt_insert_blanks(v, w);
	vt_unsplit(v, v->y, v->x);
	*vt_at(v, v->y, v->x) = cp;
	if (w == 2) {
		vt_unsplit(v, v->y, v->x + 1);
		*vt_at(v, v->y, v->x + 1) = CONT;
	}
	v->last = cp;
	v->x += w;
	if (v->x >= v->cols) {
		v->x = v->cols - 1;
		v->wrap = true;
	}
}

static int clampi(int a, int lo, int hi)
{
	return a < lo ? lo : a > hi ? hi : a;
}

/* The i-th numeric parameter of the CSI being executed, def when 0/none. */
static int vt_param(const struct vt *v, int i, int def)
{
	const char *p = v->par;
	long n;

	while (*p && !isdigit((unsigned char)*p) && *p != ';')
		p++;                    /* private marker ('?', '>') */
	for (; i > 0; i--) {
		p = strchr(p, ';');
		if (!p)
			return def;
		p++;
	}
	n = strtol(p, NULL, 10);
	return n > 0 ? (n > 10000 ? 10000 : (int)n) : def;
}

static void vt_csi(struct vt *v, char f)
{
	int n = vt_param(v, 0, 1);
	bool priv = v->par[0] == '?' || v->par[0] == '>' || v->par[0] == '=';

	switch (f) {
	case 'H': case 'f':
		v->y = clampi(vt_param(v, 0, 1) - 1, 0, v->rows - 1);
		v->x = clampi(vt_param(v, 1, 1) - 1, 0, v->cols - 1);
		break;
	case 'A': v->y = clampi(v->y - n, 0, v->rows - 1); break;
	case 'B': v->y = clampi(v->y + n, 0, v->rows - 1); break;
	case 'C': v->x = clampi(v->x + n, 0, v->cols - 1); break;
	case 'D': v->x = clampi(v->x - n, 0, v->cols - 1); break;
	case 'E': v->y = clampi(v->y + n, 0, v->rows - 1); v->x = 0; break;
	case 'F': v->y = clampi(v->y - n, 0, v->rows - 1); v->x = 0; break;
	case 'G': case '`': v->x = clampi(n - 1, 0, v->cols - 1); break;
	case 'd': v->y = clampi(n - 1, 0, v->rows - 1); break;
	case 'J': {
		int m = vt_param(v, 0, 0);
		if (m == 0) {
			vt_blank(v, v->y, v->x, v->cols);
			for (int y = v->y + 1; y < v->rows; y++)
				vt_blank(v, y, 0, v->cols);
		} else if (m == 1) {
			for (int y = 0; y < v->y; y++)
				vt_blank(v, y, 0, v->cols);
			vt_blank(v, v->y, 0, v->x + 1);
		} else {
			for (int y = 0; y < v->rows; y++)
				vt_blank(v, y, 0, v->cols);
		}
		break;
	}
	case 'K': {
		int m = vt_param(v, 0, 0);
		if (m == 0)
			vt_blank(v, v->y, v->x, v->cols);
		else if (m == 1)
			vt_blank(v, v->y, 0, v->x + 1);
		else
			vt_blank(v, v->y, 0, v->cols);
		break;
	}
	case 'X':
		vt_blank(v, v->y, v->x, v->x + n);
		break;
	case '@':
		vt_insert_blanks(v, n);
		break;
	case 'P':
		if (n > v->cols - v->x)
			n = v->cols - v->x;
		memmove(vt_at(v, v->y, v->x), vt_at(v, v->y, v->x + n),
			sizeof *v->cell * (size_t)(v->cols - v->x - n));
		vt_blank(v, v->y, v->cols - n, v->cols);
		break;
	case 'L':
		if (v->y >= v->top && v->y <= v->bot)
			vt_scroll(v, v->y, v->bot, -n);
		break;
	case 'M':
		if (v->y >= v->top && v->y <= v->bot)
			vt_scroll(v, v->y, v->bot, n);
		break;
	case 'S': vt_scroll(v, v->top, v->bot, n); break;
	case 'T': vt_scroll(v, v->top, v->bot, -n); break;
	case 'r':
		if (priv)
			break;
		v->top = clampi(vt_param(v, 0, 1) - 1, 0, v->rows - 1);
		v->bot = clampi(vt_param(v, 1, v->rows) - 1, v->top, v->rows - 1);
		v->y = v->x = 0;
		break;
	case 'b':
		for (int i = 0; i < n && v->last; i++)
			vt_print(v, v->last);
		break;
	case 's':
		if (!priv) {
			v->sy = v->y;
			v->sx = v->x;
		}
		break;
	case 'u':
		v->y = v->sy;
		v->x = v->sx;
		break;
	case 'h': case 'l':
		if (!priv && vt_param(v, 0, 0) == 4)
			v->insert = f == 'h';
		else if (priv && vt_param(v, 0, 0) == 1049 && f == 'h')
			for (int y = 0; y < v->rows; y++)
				vt_blank(v, y, 0, v->cols);
		break;
	default:                        /* SGR, modes, reports: no cells */
		break;
	}
	if (f != 'b')
		v->wrap = false;
}

static void vt_feed(struct vt *v, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char b = p[i];

		switch (v->st) {
		case VT_ESC:
			v->st = VT_GROUND;
			switch (b) {
			case '[': v->st = VT_CSI; v->npar = 0; v->par[0] = '\0'; break;
			case ']': v->st = VT_OSC; break;
			case '(': case ')': case '*': case '+': case '#': case '%':
				v->st = VT_SKIP1; break;
			case '7': v->sy = v->y; v->sx = v->x; break;
			case '8': v->y = v->sy; v->x = v->sx; v->wrap = false; break;
			case 'D': vt_linefeed(v); break;
			case 'E': v->x = 0; vt_linefeed(v); break;
			case 'M':
				if (v->y == v->top)
					vt_scroll(v, v->top, v->bot, -1);
				else if (v->y > 0)
					v->y--;
				break;
			case 'c':
				for (int y = 0; y < v->rows; y++)
					vt_blank(v, y, 0, v->cols);
				v->y = v->x = v->top = 0;
				v->bot = v->rows - 1;
				v->insert = v->wrap = false;
				break;
			default: break;
			}
			continue;
		case VT_CSI:
			if (b >= 0x40 && b <= 0x7E) {
				v->st = VT_GROUND;
				vt_csi(v, (char)b);
			} else if (b >= 0x20 && v->npar + 1 < sizeof v->par) {
				v->par[v->npar++] = (char)b;
				v->par[v->npar] = '\0';
			} else if (b == 0x1B) {
				v->st = VT_ESC;
			}
			continue;
		case VT_SKIP1:
			v->st = VT_GROUND;
			continue;
		case VT_OSC:
			if (b == 0x07)
				v->st = VT_GROUND;
			else if (b == 0x1B)
				v->st = VT_OSC_ESC;
			continue;
		case VT_OSC_ESC:
			v->st = b == '\\' ? VT_GROUND : VT_OSC;
			continue;
		case VT_GROUND:
			break;
		}
		if (v->need) {
			if ((b & 0xC0) == 0x80) {
				v->cp = (v->cp << 6) | (b & 0x3Fu);
				if (--v->need == 0)
					vt_print(v, v->cp);
				continue;
			}
			v->need = 0;
			vt_print(v, 0xFFFD);
		}
		if (b == 0x1B) {
			v->st = VT_ESC;
		} else if (b == '\r') {
			v->x = 0;
			v->wrap = false;
		} else if (b == '\n' || b == '\v' || b == '\f') {
			vt_linefeed(v);
			v->wrap = false;
		} else if (b == '\b') {
			if (v->x > 0)
				v->x--;
			v->wrap = false;
		} else if (b == '\t') {
			v->x = clampi((v->x / 8 + 1) * 8, 0, v->cols - 1);
		} else if (b < 0x20 || b == 0x7F) {
			;                       /* bell, shift in/out */
		} else if (b < 0x80) {
			vt_print(v, b);
		} else if (b >= 0xC2 && b <= 0xF4) {
			v->need = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
			v->cp = b & (b >= 0xF0 ? 0x07u : b >= 0xE0 ? 0x0Fu : 0x1Fu);
		} else {
			vt_print(v, 0xFFFD);
		}
	}
}

/* Row y as UTF-8 into buf (n bytes). */
static char *vt_row(const struct vt *v, int y, char *buf, size_t n)
{
	size_t k = 0;

	for (int x = 0; x < v->cols; x++) {
		uint32_t c = v->cell[(size_t)y * (size_t)v->cols + (size_t)x];
		char mb[MB_LEN_MAX];
		int m;
		if (c == CONT)
			continue;
		m = wctomb(mb, (wchar_t)c);
		if (m <= 0) {
			mb[0] = '?';
			m = 1;
		}
		if (k + (size_t)m + 1 > n)
			break;
		memcpy(buf + k, mb, (size_t)m);
		k += (size_t)m;
	}
	while (k > 0 && buf[k - 1] == ' ')
		k--;
	buf[k] = '\0';
	return buf;
}

static bool vt_row_has(const struct vt *v, int y, const char *text)
{
	char buf[2048];

	return y >= 0 && y < v->rows && strstr(vt_row(v, y, buf, sizeof buf), text);
}

static bool vt_has(const struct vt *v, const char *text)
{
	for (int y = 0; y < v->rows; y++)
		if (vt_row_has(v, y, text))
			return true;
	return false;
}

/* True when row y starts with a party code "P" and 7 digits; *num. */
static bool code_at(const struct vt *v, int y, long *num)
{
	const uint32_t *c = &v->cell[(size_t)y * (size_t)v->cols];
	long n = 0;

	if (v->cols < 9 || c[0] != 'P' || c[8] != ' ')
		return false;
	for (int i = 1; i <= 7; i++) {
		if (c[i] < '0' || c[i] > '9')
			return false;
		n = n * 10 + (long)(c[i] - '0');
	}
	*num = n;
	return true;
}

/* The first (last) list row's code number, 0 when no row shows one. */
static long first_code(const struct vt *v)
{
	long n;

	for (int y = 0; y < v->rows; y++)
		if (code_at(v, y, &n))
			return n;
	return 0;
}

static long last_code(const struct vt *v)
{
	long n;

	for (int y = v->rows - 1; y >= 0; y--)
		if (code_at(v, y, &n))
			return n;
	return 0;
}

static void vt_dump(const struct vt *v, const char *title)
{
	char buf[2048];

	fprintf(stderr, "---- %s (%dx%d, cursor %d,%d)\n", title, v->cols,
		v->rows, v->y + 1, v->x + 1);
	for (int y = 0; y < v->rows; y++)
		fprintf(stderr, "|%s\n", vt_row(v, y, buf, sizeof buf));
	fprintf(stderr, "----\n");
}

/* ------------------------------------------------------------- screens */

/* What a screen must show for a step to be over. */
enum want_kind { W_LIST, W_FORM, W_MENU, W_PROMPT, W_LEAVE };

struct want {
	enum want_kind k;
	long code;                      /* W_LIST: first row; W_FORM: record */
};

static bool satisfied(const struct vt *v, const struct want *w)
{
	char code[16];

	snprintf(code, sizeof code, "P%07ld", w->code);
	switch (w->k) {
	case W_LIST:
		/* the list's title line says the sort order: "by code  N%" */
		return vt_row_has(v, 1, "by code") && first_code(v) == w->code;
	case W_FORM:
		return vt_row_has(v, v->rows - 1, "F2 Save") && vt_has(v, code);
	case W_MENU:
		return vt_row_has(v, v->rows - 1, "F3 Quit");
	case W_PROMPT:
		return vt_row_has(v, v->rows - 2, "Go to");
	case W_LEAVE:
		return vt_row_has(v, v->rows - 2, "Leave Kontor");
	}
	return false;
}

static const char *want_name(const struct want *w)
{
	static char b[64];

	switch (w->k) {
	case W_LIST: snprintf(b, sizeof b, "the list from P%07ld", w->code); break;
	case W_FORM: snprintf(b, sizeof b, "the form of P%07ld", w->code); break;
	case W_MENU: snprintf(b, sizeof b, "the menu"); break;
	case W_PROMPT: snprintf(b, sizeof b, "the go-to prompt"); break;
	case W_LEAVE: snprintf(b, sizeof b, "the leave question"); break;
	}
	return b;
}

/* ------------------------------------------------------------ the clerk */

struct clerk {
	pid_t pid;
	int fd;                         /* pty master */
	struct vt vt;
	bool eof;
};

struct step {
	double ms, first_ms, cpu_ms;
	long bytes;
};

/* CPU time of pid in ns (schedstat), -1 when unknown. */
static long long cpu_ns(pid_t pid)
{
	char path[64];
	long long ns = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/schedstat", (long)pid);
	if ((f = fopen(path, "r"))) {
		if (fscanf(f, "%lld", &ns) != 1)
			ns = -1;
		fclose(f);
	}
	if (ns < 0) {
		unsigned long ut, stt;
		snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
		if ((f = fopen(path, "r"))) {
			if (fscanf(f, "%*d (%*[^)]) %*c %*d %*d %*d %*d %*d %*u "
				   "%*u %*u %*u %*u %lu %lu", &ut, &stt) == 2)
				ns = (long long)(ut + stt) * (1000000000LL /
					sysconf(_SC_CLK_TCK));
			fclose(f);
		}
	}
	return ns;
}

/* Reads what is there (waits at most ms); false on EOF. */
static bool pump(struct clerk *c, int ms, long *bytes, double *t_first,
		 double *t_last)
{
	struct pollfd p = { c->fd, POLLIN, 0 };
	unsigned char buf[65536];
	ssize_t n;

	if (c->eof)
		return false;
	if (poll(&p, 1, ms) <= 0)
		return true;
	n = read(c->fd, buf, sizeof buf);
	if (n <= 0) {
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return true;
		c->eof = true;          /* EIO: the program closed the terminal */
		return false;
	}
	double t = now();
	if (*t_first == 0)
		*t_first = t;
	*t_last = t;
	*bytes += n;
	vt_feed(&c->vt, buf, (size_t)n);
	return true;
}

static int write_all(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Sends keys (NULL: none; t0 given) and waits until the screen is what w
 * says and quiet for quiet_ms.  0, or -1 after printing the screen.
 */
static int step(struct clerk *c, const char *keys, double t0,
		const struct want *w, int quiet_ms, struct step *out)
{
	double t_first = 0, t_last = 0, q = quiet_ms / 1000.0;
	long long cpu0 = cpu_ns(c->pid), cpu1;
	long bytes = 0;

	if (keys) {
		t0 = now();
		if (write_all(c->fd, keys)) {
			fprintf(stderr, "%s: writing to the terminal: %s\n", prog,
				strerror(errno));
			return -1;
		}
	}
	for (;;) {
		double t = now(), since = t - (t_last ? t_last : t0);
		if (satisfied(&c->vt, w) && since >= q)
			break;
		if (t - t0 > STEP_TIMEOUT || c->eof) {
			fprintf(stderr, "%s: %s did not show within %.0f s%s\n",
				prog, want_name(w), STEP_TIMEOUT,
				c->eof ? " (the program left)" : "");
			vt_dump(&c->vt, "the screen");
			return -1;
		}
		int wait = since >= q ? 20 : (int)((q - since) * 1000) + 1;
		pump(c, wait, &bytes, &t_first, &t_last);
	}
	cpu1 = cpu_ns(c->pid);
	out->bytes = bytes;
	out->ms = t_last ? (t_last - t0) * 1000 : 0;
	out->first_ms = t_first ? (t_first - t0) * 1000 : 0;
	out->cpu_ms = cpu0 >= 0 && cpu1 >= cpu0 ? (double)(cpu1 - cpu0) / 1e6 : -1;
	if (dump) {
		char t[128];
		snprintf(t, sizeof t, "%s: %.1f ms, %ld bytes", want_name(w),
			 out->ms, bytes);
		vt_dump(&c->vt, t);
	}
	return 0;
}

/* Starts `kontor --home home [code]` on a new pty of cols x rows. */
static int spawn(struct clerk *c, const char *kontor, const char *home,
		 const char *code, int cols, int rows)
{
	struct winsize ws = { .ws_row = (unsigned short)rows,
			      .ws_col = (unsigned short)cols };

	memset(c, 0, sizeof *c);
	if (!vt_init(&c->vt, rows, cols)) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return -1;
	}
	fflush(NULL);
	c->pid = forkpty(&c->fd, NULL, NULL, &ws);
	if (c->pid < 0) {
		fprintf(stderr, "%s: forkpty: %s\n", prog, strerror(errno));
		vt_free(&c->vt);
		return -1;
	}
	if (c->pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LANG", "C.UTF-8", 1);
		unsetenv("LC_ALL");
		unsetenv("LC_CTYPE");
		unsetenv("LC_MESSAGES");
		unsetenv("LANGUAGE");
		unsetenv("NO_COLOR");
		unsetenv("ESCDELAY");
		unsetenv("KONTOR_HOME");
		unsetenv("COLUMNS");
		unsetenv("LINES");
		execl(kontor, "kontor", "--home", home, code, (char *)NULL);
		fprintf(stderr, "%s: %s: %s\n", prog, kontor, strerror(errno));
		_exit(127);
	}
	return 0;
}

/* Waits for the clerk to leave (after "y"), else hangs it up. */
static void reap(struct clerk *c, bool ask)
{
	double end = now() + 10;
	long bytes = 0;
	double a = 0, b = 0;
	int status;

	while (ask && !c->eof && now() < end)
		pump(c, 50, &bytes, &a, &b);
	if (waitpid(c->pid, &status, WNOHANG) == 0) {
		kill(c->pid, SIGTERM);
		end = now() + 5;
		while (waitpid(c->pid, &status, WNOHANG) == 0) {
			if (now() > end) {
				kill(c->pid, SIGKILL);
				waitpid(c->pid, &status, 0);
				break;
			}
			pump(c, 50, &bytes, &a, &b);
		}
	}
	close(c->fd);
	vt_free(&c->vt);
}

/* ------------------------------------------------------------- memory */

struct mem {
	long rss, anon, file, shmem;    /* /proc/PID/status, KiB */
	long priv;                      /* smaps_rollup Private_Clean+Dirty */
	long pss;
};

static long field_kb(const char *text, const char *name)
{
	const char *p = strstr(text, name);
	long v;

	if (!p || sscanf(p + strlen(name), " %ld", &v) != 1)
		return -1;
	return v;
}

static void read_file_text(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t k = 0;

	if (f) {
		k = fread(buf, 1, n - 1, f);
		fclose(f);
	}
	buf[k] = '\0';
}

static void mem_read(pid_t pid, struct mem *m)
{
	char path[64], text[8192];
	long pc, pd;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	read_file_text(path, text, sizeof text);
	m->rss = field_kb(text, "VmRSS:");
	m->anon = field_kb(text, "RssAnon:");
	m->file = field_kb(text, "RssFile:");
	m->shmem = field_kb(text, "RssShmem:");
	snprintf(path, sizeof path, "/proc/%ld/smaps_rollup", (long)pid);
	read_file_text(path, text, sizeof text);
	pc = field_kb(text, "Private_Clean:");
	pd = field_kb(text, "Private_Dirty:");
	m->pss = field_kb(text, "Pss:");
	if (pc >= 0 && pd >= 0)
		m->priv = pc + pd;
	else if (m->anon >= 0)
		m->priv = m->anon;      /* no smaps_rollup: anonymous memory */
	else
		m->priv = m->rss >= 0 && m->file >= 0 && m->shmem >= 0 ?
			  m->rss - m->file - m->shmem : -1;
}

/* -------------------------------------------------------------- a run */

enum {
	S_MENU, S_START, S_PGDN, S_ENTER, S_BACK_LIST, S_BACK_MENU,
	S_GOTO_PROMPT, S_GOTO_LIST, S_IDLE, NSTEPS
};

static const char *const step_label[NSTEPS] = {
	"start to the menu",
	"start to the party list",
	"PgDn, one page (median page)",
	"Enter: open the form",
	"F3: form back to the list",
	"F3: list back to the menu",
	"Ctrl-G: the go-to prompt",
	"\"PA\" Enter: the list again",
	"idle list, 1 s",
};

struct run {
	struct step s[NSTEPS];
	double page_ms[MAX_PAGES], page_bytes[MAX_PAGES];
	double page_first[MAX_PAGES], page_cpu[MAX_PAGES];
	int npages;
	struct mem menu, idle, paged, after;
};

struct opts {
	const char *home, *kontor;
	long count;
	int runs, pages, quiet_ms;
	int nsizes, cols[MAX_SIZES], rows[MAX_SIZES];
	const char *notes[MAX_NOTES];
	int nnotes;
	const char *results;
};

static double median(double *v, int n);

/* Sits idle for a second; bytes written meanwhile and CPU time to s. */
static void idle(struct clerk *c, struct step *s)
{
	long bytes = 0;
	double a = 0, b = 0, end = now() + 1.0;
	long long c0 = cpu_ns(c->pid), c1;

	while (now() < end && pump(c, (int)((end - now()) * 1000) + 1,
				   &bytes, &a, &b))
		;
	c1 = cpu_ns(c->pid);
	s->bytes = bytes;
	s->cpu_ms = c0 >= 0 && c1 >= c0 ? (double)(c1 - c0) / 1e6 : -1;
}

/* kontor with no screen named: start-up to the menu, memory there. */
static int menu_run(const struct opts *o, int cols, int rows, struct run *r)
{
	struct clerk c;
	struct want w;
	struct step s;
	double t0 = now();
	int ret = -1;

	if (spawn(&c, o->kontor, o->home, NULL, cols, rows))
		return -1;
	w = (struct want){ W_MENU, 0 };
	if (step(&c, NULL, t0, &w, o->quiet_ms, &r->s[S_MENU]))
		goto out;
	idle(&c, &s);
	mem_read(c.pid, &r->menu);
	w = (struct want){ W_LEAVE, 0 };
	if (step(&c, "\033OR", 0, &w, o->quiet_ms, &s))
		goto out;
	if (write_all(c.fd, "y") == 0)
		ret = 0;
out:
	reap(&c, ret == 0);
	return ret;
}

static int one_run(const struct opts *o, int cols, int rows, struct run *r)
{
	struct clerk c;
	struct want w;
	double t0;
	int ret = -1;

	memset(r, 0, sizeof *r);
	if (menu_run(o, cols, rows, r))
		return -1;
	t0 = now();
	if (spawn(&c, o->kontor, o->home, "PA", cols, rows))
		return -1;

	/* the list at start, then a second of idling, then memory */
	w = (struct want){ W_LIST, 1 };
	if (step(&c, NULL, t0, &w, o->quiet_ms, &r->s[S_START]))
		goto out;
	idle(&c, &r->s[S_IDLE]);
	mem_read(c.pid, &r->idle);

	/* pages: each starts with the last row of the page before */
	for (int i = 0; i < o->pages; i++) {
		long last = last_code(&c.vt), first = first_code(&c.vt);
		struct step s;
		w = (struct want){ W_LIST, last < o->count ? last : first };
		if (step(&c, "\033[6~", 0, &w, o->quiet_ms, &s))
			goto out;
		r->page_ms[i] = s.ms;
		r->page_first[i] = s.first_ms;
		r->page_bytes[i] = (double)s.bytes;
		r->page_cpu[i] = s.cpu_ms;
		r->npages = i + 1;
	}
	mem_read(c.pid, &r->paged);

	/* the form of the selected row (the first after PgDn) and back */
	long sel = first_code(&c.vt);
	w = (struct want){ W_FORM, sel };
	if (step(&c, "\r", 0, &w, o->quiet_ms, &r->s[S_ENTER]))
		goto out;
	w = (struct want){ W_LIST, sel };
	if (step(&c, "\033OR", 0, &w, o->quiet_ms, &r->s[S_BACK_LIST]))
		goto out;
	w = (struct want){ W_MENU, 0 };
	if (step(&c, "\033OR", 0, &w, o->quiet_ms, &r->s[S_BACK_MENU]))
		goto out;

	/* the fast path */
	w = (struct want){ W_PROMPT, 0 };
	if (step(&c, "\007", 0, &w, o->quiet_ms, &r->s[S_GOTO_PROMPT]))
		goto out;
	w = (struct want){ W_LIST, 1 };
	if (step(&c, "PA\r", 0, &w, o->quiet_ms, &r->s[S_GOTO_LIST]))
		goto out;
	mem_read(c.pid, &r->after);

	/* leave: back to the menu, F3 asks, y */
	struct step s;
	w = (struct want){ W_MENU, 0 };
	if (step(&c, "\033OR", 0, &w, o->quiet_ms, &s))
		goto out;
	w = (struct want){ W_LEAVE, 0 };
	if (step(&c, "\033OR", 0, &w, o->quiet_ms, &s))
		goto out;
	if (write_all(c.fd, "y") == 0)
		ret = 0;
	{
		double pm[MAX_PAGES], pb[MAX_PAGES], pf[MAX_PAGES], pc[MAX_PAGES];
		memcpy(pm, r->page_ms, sizeof pm);
		memcpy(pb, r->page_bytes, sizeof pb);
		memcpy(pf, r->page_first, sizeof pf);
		memcpy(pc, r->page_cpu, sizeof pc);
		r->s[S_PGDN].ms = median(pm, r->npages);
		r->s[S_PGDN].bytes = (long)median(pb, r->npages);
		r->s[S_PGDN].first_ms = median(pf, r->npages);
		r->s[S_PGDN].cpu_ms = median(pc, r->npages);
	}
out:
	reap(&c, ret == 0);
	return ret;
}

/* ------------------------------------------------------------- report */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median (the lower middle one of an even count); sorts v. */
static double median(double *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[(n - 1) / 2];
}

static void machine(char *buf, size_t n)
{
	struct utsname u;
	char line[512], cpu[256] = "unknown";
	FILE *f = fopen("/proc/cpuinfo", "r");
	static const char *const keys[] = { "model name", "Hardware", "cpu model" };

	while (f && fgets(line, sizeof line, f)) {
		char *colon = strchr(line, ':');
		bool hit = false;
		for (size_t k = 0; k < 3 && colon; k++)
			hit |= strncmp(line, keys[k], strlen(keys[k])) == 0;
		if (hit) {
			char *v = colon + 1;
			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = '\0';
			snprintf(cpu, sizeof cpu, "%s", v);
			break;
		}
	}
	if (f)
		fclose(f);
	if (uname(&u) != 0)
		snprintf(u.machine, sizeof u.machine, "?");
	snprintf(buf, n, "%s, %ld CPUs, %s", u.machine,
		 sysconf(_SC_NPROCESSORS_ONLN), cpu);
}

/* Median over runs of one number picked by get. */
static double over_runs(const struct run *rs, int n,
			double (*get)(const struct run *, int), int arg,
			double *lo, double *hi)
{
	double v[MAX_RUNS];

	for (int i = 0; i < n; i++)
		v[i] = get(&rs[i], arg);
	double m = median(v, n);
	if (lo)
		*lo = v[0];
	if (hi)
		*hi = v[n - 1];
	return m;
}

static double g_ms(const struct run *r, int s) { return r->s[s].ms; }
static double g_first(const struct run *r, int s) { return r->s[s].first_ms; }
static double g_bytes(const struct run *r, int s) { return (double)r->s[s].bytes; }
static double g_cpu(const struct run *r, int s) { return r->s[s].cpu_ms; }
static double g_worst_page(const struct run *r, int s)
{
	double m = 0;
	(void)s;
	for (int i = 0; i < r->npages; i++)
		if (r->page_ms[i] > m)
			m = r->page_ms[i];
	return m;
}
/* Memory readings: which / 10 picks the moment, which % 10 the field. */
enum { M_MENU, M_IDLE, M_PAGED, M_AFTER, NMEMS };

static const char *const mem_label[NMEMS] = {
	"clerk memory, menu, idle",
	"clerk memory, list open and idle",
	"clerk memory, list after the PgDns",
	"clerk memory, after the walk",
};

static double g_mem(const struct run *r, int which)
{
	const struct mem *const ms[NMEMS] = {
		&r->menu, &r->idle, &r->paged, &r->after
	};
	const struct mem *m = ms[which / 10];
	switch (which % 10) {
	case 0: return (double)m->priv;
	case 1: return (double)m->anon;
	case 2: return (double)m->rss;
	case 3: return (double)m->file;
	case 4: return (double)m->shmem;
	default: return (double)m->pss;
	}
}

static void print_size(const struct opts *o, const struct run *rs, int cols,
		       int rows)
{
	char head[32];

	snprintf(head, sizeof head, "%dx%d", cols, rows);
	printf("\n  %-34s %9s %8s %8s %8s  %s\n", head, "ms", "first", "bytes",
	       "cpu ms", "detail");
	for (int s = 0; s < NSTEPS; s++) {
		double lo, hi, ms = over_runs(rs, o->runs, g_ms, s, &lo, &hi);
		double first = over_runs(rs, o->runs, g_first, s, NULL, NULL);
		double bytes = over_runs(rs, o->runs, g_bytes, s, NULL, NULL);
		double cpu = over_runs(rs, o->runs, g_cpu, s, NULL, NULL);
		char detail[128] = "", msb[16], fb[16], cb[16];

		if (s == S_IDLE) {
			snprintf(msb, sizeof msb, "-");
			snprintf(fb, sizeof fb, "-");
			snprintf(detail, sizeof detail, "written while nothing happens");
		} else {
			snprintf(msb, sizeof msb, "%.1f", ms);
			snprintf(fb, sizeof fb, "%.1f", first);
			if (o->runs > 1)
				snprintf(detail, sizeof detail, "runs %.1f..%.1f", lo, hi);
		}
		if (s == S_PGDN) {
			double w = over_runs(rs, o->runs, g_worst_page, 0, NULL, NULL);
			size_t k = strlen(detail);
			snprintf(detail + k, sizeof detail - k,
				 "%s%d pages, worst %.1f; a screen: %d cells",
				 k ? "; " : "", o->pages, w, cols * rows);
		}
		if (cpu >= 0)
			snprintf(cb, sizeof cb, "%.1f", cpu);
		else
			snprintf(cb, sizeof cb, "?");
		printf("  %-34s %9s %8s %8.0f %8s  %s\n", step_label[s], msb, fb,
		       bytes, cb, detail);
	}
	for (int a = 0; a < NMEMS; a++) {
		double priv = over_runs(rs, o->runs, g_mem, a * 10 + 0, NULL, NULL);
		double anon = over_runs(rs, o->runs, g_mem, a * 10 + 1, NULL, NULL);
		double rss = over_runs(rs, o->runs, g_mem, a * 10 + 2, NULL, NULL);
		double file = over_runs(rs, o->runs, g_mem, a * 10 + 3, NULL, NULL);
		double shm = over_runs(rs, o->runs, g_mem, a * 10 + 4, NULL, NULL);
		printf("  %-34s %9.0f KiB private; RssAnon %.0f, Rss %.0f (file %.0f, shmem %.0f)\n",
		       mem_label[a], priv, anon, rss, file, shm);
	}
}

/*
 * The medians of one window size for the summary (ui.sh): the times of
 * the steps, and RssAnon (the process's memory less what it shares:
 * libraries, the Berkeley DB regions) at the menu and on the list.
 */
static void results_size(FILE *f, const struct opts *o, const struct run *rs,
			 int cols, int rows)
{
	static const struct { const char *name; int step; } steps[] = {
		{ "start-menu", S_MENU }, { "start-list", S_START },
		{ "page", S_PGDN }, { "form", S_ENTER },
		{ "form-back", S_BACK_LIST }, { "menu", S_BACK_MENU },
		{ "goto-prompt", S_GOTO_PROMPT }, { "list", S_GOTO_LIST },
	};
	static const struct { const char *name; int which; } mems[] = {
		{ "mem-menu", M_MENU * 10 + 1 }, { "mem-list", M_IDLE * 10 + 1 },
		{ "mem-paged", M_PAGED * 10 + 1 },
		{ "mem-after", M_AFTER * 10 + 1 },
	};

	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		fprintf(f, "%s@%dx%d %.1f ms %d\n", steps[i].name, cols, rows,
			over_runs(rs, o->runs, g_ms, steps[i].step, NULL, NULL),
			o->runs);
	for (size_t i = 0; i < sizeof mems / sizeof *mems; i++)
		fprintf(f, "%s@%dx%d %.0f KiB %d\n", mems[i].name, cols, rows,
			over_runs(rs, o->runs, g_mem, mems[i].which, NULL, NULL),
			o->runs);
}

static int usage(void)
{
	fprintf(stderr, "usage: see the comment at the top of tests/bench/bench_ui.c\n");
	return 64;
}

int main(int argc, char **argv)
{
	static struct run rs[MAX_SIZES][MAX_RUNS];
	struct opts o = {
		.kontor = getenv("KONTOR"), .count = 9999999, .runs = 5,
		.pages = 20, .quiet_ms = 150,
	};
	char mach[512];

	setlocale(LC_ALL, "C.UTF-8");
	dump = getenv("BENCH_UI_DUMP") && *getenv("BENCH_UI_DUMP") &&
	       strcmp(getenv("BENCH_UI_DUMP"), "0") != 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			return usage();
		i++;
		if (strcmp(a, "--home") == 0)
			o.home = v;
		else if (strcmp(a, "--kontor") == 0)
			o.kontor = v;
		else if (strcmp(a, "--count") == 0)
			o.count = atol(v);
		else if (strcmp(a, "--runs") == 0)
			o.runs = atoi(v);
		else if (strcmp(a, "--pages") == 0)
			o.pages = atoi(v);
		else if (strcmp(a, "--quiet-ms") == 0)
			o.quiet_ms = atoi(v);
		else if (strcmp(a, "--note") == 0 && o.nnotes < MAX_NOTES)
			o.notes[o.nnotes++] = v;
		else if (strcmp(a, "--results") == 0)
			o.results = v;
		else if (strcmp(a, "--size") == 0 && o.nsizes < MAX_SIZES &&
			 sscanf(v, "%dx%d", &o.cols[o.nsizes], &o.rows[o.nsizes]) == 2 &&
			 o.cols[o.nsizes] >= 20 && o.rows[o.nsizes] >= 5 &&
			 o.cols[o.nsizes] <= 1000 && o.rows[o.nsizes] <= 500)
			o.nsizes++;
		else
			return usage();
	}
	if (!o.home || !o.kontor || !*o.kontor || o.count < 1 ||
	    o.runs < 1 || o.runs > MAX_RUNS || o.pages < 0 ||
	    o.pages > MAX_PAGES || o.quiet_ms < 10)
		return usage();
	if (o.nsizes == 0) {
		o.cols[0] = 80, o.rows[0] = 24;
		o.cols[1] = 132, o.rows[1] = 43;
		o.nsizes = 2;
	}
	signal(SIGPIPE, SIG_IGN);

	for (int z = 0; z < o.nsizes; z++)
		for (int r = 0; r < o.runs; r++) {
			fprintf(stderr, "bench: screens %dx%d, run %d of %d\n",
				o.cols[z], o.rows[z], r + 1, o.runs);
			if (one_run(&o, o.cols[z], o.rows[z], &rs[z][r]))
				return 1;
		}

	machine(mach, sizeof mach);
	printf("\nKontor screen benchmark (figures, not pass/fail)\n");
	printf("  machine   %s\n", mach);
	printf("  program   %s --home HOME [PA], on a pty: TERM=xterm-256color,\n"
	       "            LANG=C.UTF-8 (without PA: the start-up to the menu)\n",
	       o.kontor);
	for (int i = 0; i < o.nnotes; i++)
		printf("  %-9s %s\n", i ? "" : "data", o.notes[i]);
	printf("  method    median of %d run%s (a fresh kontor each); a step ends when the\n"
	       "            screen shows what it should and %d ms pass without output;\n"
	       "            ms = key to the last byte written, first = to the first byte,\n"
	       "            bytes = written to the terminal, cpu = the clerk's CPU time;\n"
	       "            memory of the kontor process in KiB: private = smaps_rollup\n"
	       "            Private_Clean+Private_Dirty; file = libraries and the pages of\n"
	       "            the shared Berkeley DB regions it touched\n",
	       o.runs, o.runs > 1 ? "s" : "", o.quiet_ms);
	for (int z = 0; z < o.nsizes; z++)
		print_size(&o, rs[z], o.cols[z], o.rows[z]);
	if (o.results) {
		FILE *f = fopen(o.results, "w");
		if (!f) {
			fprintf(stderr, "%s: %s: %s\n", prog, o.results,
				strerror(errno));
			return 1;
		}
		for (int z = 0; z < o.nsizes; z++)
			results_size(f, &o, rs[z], o.cols[z], o.rows[z]);
		if (fclose(f) != 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, o.results,
				strerror(errno));
			return 1;
		}
	}
	return 0;
}
