/*
 * cfgutil.c - helpers both libconfig readers use (see cfgutil.h).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/i18n.h"
#include "config/cfgutil.h"

#define CFG_DEPTH_MAX 32          /* settings, for error paths */

void cfg_setting_path(const config_setting_t *s, char *buf, size_t n)
{
	const config_setting_t *chain[CFG_DEPTH_MAX];
	size_t depth = 0, len = 0, i;

	if (n == 0)
		return;
	buf[0] = '\0';
	while (s != NULL && !config_setting_is_root(s) &&
	       depth < CFG_DEPTH_MAX) {
		chain[depth++] = s;
		s = config_setting_parent(s);
	}
	for (i = depth; i-- > 0;) {
		const char *name = config_setting_name(chain[i]);
		int w;

		if (name != NULL)
			w = snprintf(buf + len, n - len, "%s%s",
				     len > 0 ? "." : "", name);
		else
			w = snprintf(buf + len, n - len, "[%d]",
				     config_setting_index(chain[i]));
		if (w < 0 || (size_t)w >= n - len)
			return;
		len += (size_t)w;
	}
}

const char *cfg_type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:
		return _("a group { ... }");
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
	case CONFIG_TYPE_FLOAT:
		return _("a number");
	case CONFIG_TYPE_STRING:
		return _("a string");
	case CONFIG_TYPE_BOOL:
		return _("true or false");
	case CONFIG_TYPE_ARRAY:
		return _("an array [ ... ]");
	case CONFIG_TYPE_LIST:
		return _("a list ( ... )");
	default:
		return _("nothing");
	}
}

const config_setting_t *cfg_unknown_key(const config_setting_t *g,
					const char *const *keys, char *known,
					size_t n)
{
	int i, count = config_setting_length(g);

	for (i = 0; i < count; i++) {
		const config_setting_t *s = config_setting_get_elem(g, i);
		const char *name = config_setting_name(s);
		size_t k, len = 0;

		for (k = 0; keys[k] != NULL; k++)
			if (name != NULL && strcmp(name, keys[k]) == 0)
				break;
		if (keys[k] != NULL)
			continue;
		if (n > 0)
			known[0] = '\0';
		for (k = 0; keys[k] != NULL && len < n; k++) {
			int w = snprintf(known + len, n - len, "%s%s",
					 k > 0 ? ", " : "", keys[k]);
			if (w < 0)
				break;
			len += (size_t)w;
		}
		return s;
	}
	return NULL;
}

bool cfg_no_controls(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

bool cfg_fits32(const char *start, const char *end)
{
	const char *q = start;
	unsigned long long v = 0, lim;
	bool neg = false;
	unsigned base = 10;

	if (*q == '-' || *q == '+')
		neg = *q++ == '-';
	if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
		base = 16;
		q += 2;
	}
	if (base == 16)
		lim = 0xFFFFFFFFull;
	else
		lim = neg ? (unsigned long long)INT_MAX + 1 : INT_MAX;
	for (; q < end; q++) {
		unsigned dv = *q >= '0' && *q <= '9' ? (unsigned)(*q - '0') :
			      *q >= 'a' && *q <= 'f' ? (unsigned)(*q - 'a' + 10) :
			      (unsigned)(*q - 'A' + 10);

		v = v * base + dv;
		if (v > lim)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------ scanning */

static bool cfg_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool cfg_is_hex(char c)
{
	return cfg_is_digit(c) || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* The value of hex digit c. */
static unsigned cfg_hex_value(char c)
{
	return cfg_is_digit(c) ? (unsigned)(c - '0') :
	       (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10) :
	       (unsigned)(c - 'A' + 10);
}

static bool cfg_is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * Skips blanks and comments at p, counting lines in *line; *open gets
 * the line of a comment the text ends in.
 */
static const char *cfg_skip_space(const char *p, unsigned *line,
				  unsigned *open)
{
	for (;;) {
		if (*p == '\n') {
			(*line)++;
			p++;
		} else if (*p == ' ' || *p == '\t' || *p == '\r' ||
			   *p == '\f') {                  /* not \v: libconfig */
			p++;
		} else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			/* libconfig: (#|\/\/).*$ -- no comment without a
			 * line break after it: at the end of the text the
			 * '#' or '/' is a stray character */
			const char *nl = strchr(p, '\n');

			if (nl == NULL)
				return p;
			p = nl;
		} else if (p[0] == '/' && p[1] == '*') {
			unsigned from = *line;

			for (p += 2; *p != '\0' && !(p[0] == '*' && p[1] == '/');
			     p++)
				if (*p == '\n')
					(*line)++;
			if (*p != '\0')
				p += 2;
			else
				*open = from;
		} else {
			return p;
		}
	}
}

/*
 * The end of the number at p (a digit, '.', or a sign before one): the
 * longest match of libconfig's patterns
 *   integer    [-+]?[0-9]+            integer64  [-+]?[0-9]+L(L)?
 *   hex        0[Xx][0-9A-Fa-f]+      hex64      0[Xx][0-9A-Fa-f]+L(L)?
 *   float      [-+]?[0-9]*\.[0-9]*([eE][-+]?[0-9]+)?
 *            | [-+]?[0-9]+(\.[0-9]*)?[eE][-+]?[0-9]+
 * *kind gets CT_INT (integer, hex) or CT_NUMBER (the others).
 */
static const char *cfg_scan_number(const char *p, enum cfg_tok_kind *kind)
{
	const char *q = p, *digits, *best = NULL;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && cfg_is_hex(p[2])) {
		for (q = p + 2; cfg_is_hex(*q); q++)
			;
		*kind = CT_INT;
		if (*q == 'L') {
			q += q[1] == 'L' ? 2 : 1;
			*kind = CT_NUMBER;
		}
		return q;
	}
	if (*q == '-' || *q == '+')
		q++;
	digits = q;
	while (cfg_is_digit(*q))
		q++;
	if (q > digits) {                       /* integer, integer64 */
		best = q;
		*kind = CT_INT;
		if (*q == 'L') {
			best = q + (q[1] == 'L' ? 2 : 1);
			*kind = CT_NUMBER;
		}
	}
	if (q > digits || *q == '.') {          /* float */
		const char *f = q, *e;
		bool is_float = *f == '.';

		if (is_float)
			for (f++; cfg_is_digit(*f); f++)
				;
		e = f;
		if (*e == 'e' || *e == 'E') {
			e++;
			if (*e == '-' || *e == '+')
				e++;
			if (cfg_is_digit(*e)) {
				while (cfg_is_digit(*e))
					e++;
				f = e;
				is_float = true;
			}
		}
		if (is_float && (best == NULL || f > best)) {
			best = f;
			*kind = CT_NUMBER;
		}
	}
	if (best == NULL) {                     /* a sign alone */
		*kind = CT_PUNCT;
		best = p + 1;
	}
	return best;
}

void cfg_next(const char **p, unsigned *line, struct cfg_tok *t)
{
	unsigned open = 0;
	const char *q = cfg_skip_space(*p, line, &open);

	t->start = q;
	t->line = open != 0 ? open : *line;
	t->open = open != 0;
	if (*q == '\0') {
		t->kind = CT_END;
	} else if (*q == '"') {
		t->kind = CT_STRING;
		for (q++; *q != '\0' && *q != '"'; q++) {
			if (*q == '\\' && q[1] != '\0' && q[1] != '\n')
				q++;
			if (*q == '\n')
				(*line)++;
		}
		if (*q != '\0')
			q++;
		else
			t->open = true;
	} else if (cfg_is_alpha(*q) || *q == '*' || *q == '@') {
		t->kind = CT_NAME;
		for (q++; cfg_is_alpha(*q) || cfg_is_digit(*q) || *q == '-' ||
			  *q == '_' || *q == '*'; q++)
			;
	} else if (cfg_is_digit(*q) || *q == '.' ||
		   ((*q == '-' || *q == '+') &&
		    (cfg_is_digit(q[1]) || q[1] == '.'))) {
		q = cfg_scan_number(q, &t->kind);
	} else {
		t->kind = CT_PUNCT;
		q++;
	}
	t->end = q;
	t->end_line = *line;
	*p = q;
}

bool cfg_tok_is(const struct cfg_tok *t, char c)
{
	return t->kind == CT_PUNCT && *t->start == c;
}

bool cfg_tok_equals(const struct cfg_tok *t, const char *want)
{
	const char *q, *end;

	if (t->kind != CT_STRING || t->open || t->end - t->start < 2)
		return false;
	end = t->end - 1;
	for (q = t->start + 1; q < end; want++) {
		char c = *q++;

		if (c == '\\' && q < end) {
			c = *q++;
			switch (c) {
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'x':
				if (q + 1 < end && cfg_is_hex(q[0]) &&
				    cfg_is_hex(q[1])) {
					c = (char)(cfg_hex_value(q[0]) * 16 +
						   cfg_hex_value(q[1]));
					q += 2;
				}
				break;
			default:
				break;
			}
		}
		if (*want != c)
			return false;
	}
	return *want == '\0';
}

/* ------------------------------------------------------------ grammar */

/*
 * libconfig's grammar, checked before libconfig parses:
 *
 *   file     = { setting } end
 *   setting  = name ( "=" | ":" ) value [ ";" | "," ]
 *   value    = scalar | "[" [ scalar { "," scalar } ] "]"
 *            | "(" [ value { "," value } ] ")" | "{" { setting } "}"
 *   scalar   = string { string } | number | true | false
 *
 * and, where allowed, `@include "NAME"` at the start of a line (blanks
 * before it), which libconfig's scanner replaces by the file's tokens.
 */
#define CFG_NEST_MAX 64
#define CFG_INCLUDE_MAX 10        /* libconfig 1.5's MAX_INCLUDE_DEPTH */
#define CFG_INCLUDES_MAX 100      /* @include files read in all */

struct cfg_file {
	const char *base;       /* its text */
	char *text;             /* owned: an included file's */
	char *name;             /* owned: an included file's, for messages */
	const char *p;
	unsigned line;
};

struct cfg_parser {
	struct kerr *err;
	const char *path;       /* the caller's file */
	const char *dir;        /* NULL: no @include */
	size_t left;            /* bytes the included files may still take */
	int includes;           /* @include files read */
	struct cfg_file f[CFG_INCLUDE_MAX + 1];
	int nf;                 /* files open: f[nf - 1] is read */
	struct cfg_tok t;       /* the current token */
	const char *tfile;      /* the file it is in */
	int depth;
	int rc;                 /* an error met while reading on, else 0 */
};

static const char *cfg_file_name(const struct cfg_parser *ps)
{
	const struct cfg_file *f = &ps->f[ps->nf - 1];

	return f->name != NULL ? f->name : ps->path;
}

/*
 * True when name token t of the file read is libconfig's include_open,
 * ^[ \t]*@include[ \t]+\" : "@include" with only blanks before it on
 * its line, blanks and a '"' after it.
 */
static bool cfg_is_include(const struct cfg_parser *ps,
			   const struct cfg_tok *t)
{
	const char *base = ps->f[ps->nf - 1].base, *b = t->start;

	if ((size_t)(t->end - t->start) != 8 ||
	    memcmp(t->start, "@include", 8) != 0 ||
	    (*t->end != ' ' && *t->end != '\t'))
		return false;
	while (b > base && (b[-1] == ' ' || b[-1] == '\t'))
		b--;
	if (b > base && b[-1] != '\n')
		return false;
	for (b = t->end; *b == ' ' || *b == '\t'; b++)
		;
	return *b == '"';
}

/* Sets K_ECONFIG "FILE:LINE: ..." for the file read and returns it. */
static int cfg_fail(struct cfg_parser *ps, unsigned line, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));
static int cfg_fail(struct cfg_parser *ps, unsigned line, const char *fmt,
		    ...)
{
	char msg[sizeof ps->err->msg];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	kerr_set(ps->err, K_ECONFIG, NULL, "%s:%u: %s", cfg_file_name(ps),
		 line, msg);
	return ps->rc = K_ECONFIG;
}

/*
 * Reads file path whole (at most max bytes) into a new NUL-terminated
 * *out of *len bytes: 0, or an errno value (EFBIG: more than max).
 */
static int cfg_read_file(const char *path, size_t max, char **out,
			 size_t *len)
{
	struct stat st;
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, got;
	int e = 0;

	if (fp == NULL)
		return errno;
	if (fstat(fileno(fp), &st) != 0)
		e = errno;
	else if (S_ISDIR(st.st_mode))
		e = EISDIR;
	else if ((buf = malloc(max + 2)) == NULL)
		e = ENOMEM;
	while (e == 0 && (got = fread(buf + n, 1, max + 1 - n, fp)) > 0)
		if ((n += got) > max)
			e = EFBIG;
	if (e == 0 && ferror(fp))
		e = EIO;
	fclose(fp);
	if (e != 0) {
		free(buf);
		return e;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/*
 * Follows the @include of name token t: reads the name as libconfig
 * does (\\ and \" are its escapes), then the file, which becomes the
 * one read.  0, or the error (set in err and ps->rc).
 */
static int cfg_include(struct cfg_parser *ps, const struct cfg_tok *t)
{
	struct cfg_file *cur = &ps->f[ps->nf - 1], *inc;
	char name[PATH_MAX], *path, *text = NULL;
	const char *q = strchr(t->end, '"') + 1;
	unsigned line = t->line;
	size_t n = 0, len = 0;
	int e;

	for (; *q != '"'; q++) {
		char c = *q;

		if (c == '\0')
			return cfg_fail(ps, t->line, _("the @include name has "
						       "no closing \""));
		if (c == '\\') {
			if (q[1] != '\\' && q[1] != '"')
				return cfg_fail(ps, t->line,
						_("a \\ in an @include name "
						  "comes only before \\ or "
						  "\""));
			c = *++q;
		}
		if (c == '\n')
			line++;
		if (n + 1 >= sizeof name)
			return cfg_fail(ps, t->line,
					_("the @include name is too long"));
		name[n++] = c;
	}
	name[n] = '\0';
	cur->p = q + 1;
	cur->line = line;
	if (ps->nf > CFG_INCLUDE_MAX)
		return cfg_fail(ps, t->line, _("@include \"%s\": the files "
					       "include each other more than "
					       "%d deep"), name,
				CFG_INCLUDE_MAX);
	if (++ps->includes > CFG_INCLUDES_MAX)
		return cfg_fail(ps, t->line, _("@include \"%s\": more than %d "
					       "files are taken in"), name,
				CFG_INCLUDES_MAX);
	n = (name[0] == '/' ? 0 : strlen(ps->dir)) + strlen(name) + 1;
	if ((path = malloc(n)) == NULL)
		return ps->rc = kerr_set(ps->err, K_ENOMEM, NULL,
					 _("%s: out of memory"), ps->path);
	snprintf(path, n, "%s%s", name[0] == '/' ? "" : ps->dir, name);
	e = cfg_read_file(path, ps->left, &text, &len);
	if (e == 0 && memchr(text, '\0', len) != NULL)
		e = -1;
	if (e != 0) {
		free(text);
		free(path);
		return cfg_fail(ps, t->line, _("cannot read @include \"%s\": "
					       "%s"), name,
				e == -1 ? _("not a text file (it holds NUL "
					    "bytes)") :
				e == EFBIG ? _("the files it takes in are too "
					       "large together") :
				strerror(e));
	}
	ps->left -= len;
	inc = &ps->f[ps->nf++];
	inc->base = inc->p = inc->text = text;
	inc->name = path;
	inc->line = 1;
	return 0;
}

/* The next token, through @include files. */
static void cfg_advance(struct cfg_parser *ps)
{
	for (;;) {
		struct cfg_file *f = &ps->f[ps->nf - 1];

		if (ps->rc != 0) {
			ps->t.kind = CT_END;
			return;
		}
		cfg_next(&f->p, &f->line, &ps->t);
		ps->tfile = cfg_file_name(ps);
		if (ps->t.kind == CT_END && ps->nf > 1) {
			/* libconfig would read on in the comment */
			if (ps->t.open) {
				cfg_fail(ps, ps->t.line,
					 _("this comment has no end (*/) in "
					   "its file"));
				ps->t.kind = CT_END;
				return;
			}
			free(f->text);
			free(f->name);
			memset(f, 0, sizeof *f);
			ps->nf--;
			continue;
		}
		if (ps->dir != NULL && ps->t.kind == CT_NAME &&
		    cfg_is_include(ps, &ps->t)) {
			cfg_include(ps, &ps->t);
			continue;
		}
		return;
	}
}

/* True when t is true or false (libconfig: in any case). */
static bool cfg_tok_bool(const struct cfg_tok *t)
{
	static const char *const words[] = { "true", "false" };
	size_t i, j, n = (size_t)(t->end - t->start);

	if (t->kind != CT_NAME)
		return false;
	for (i = 0; i < 2; i++) {
		if (strlen(words[i]) != n)
			continue;
		for (j = 0; j < n; j++)
			if ((t->start[j] | 0x20) != words[i][j])
				break;
		if (j == n)
			return true;
	}
	return false;
}

/* A syntax error at the current token: "what" was expected. */
static int cfg_syntax(struct cfg_parser *ps, const char *what)
{
	const struct cfg_tok *t = &ps->t;
	int n = (int)(t->end - t->start);

	if (ps->rc != 0)
		return ps->rc;
	if (t->kind == CT_END)
		return ps->rc = kerr_set(ps->err, K_ECONFIG, NULL,
					 _("%s:%u: syntax error: %s expected, "
					   "not the end of the file"),
					 ps->tfile, t->line, what);
	if (t->kind == CT_PUNCT && ((unsigned char)*t->start < 0x20 ||
				    (unsigned char)*t->start >= 0x7f))
		return ps->rc = kerr_set(ps->err, K_ECONFIG, NULL,
					 _("%s:%u: syntax error: %s expected, "
					   "not the byte 0x%02X"),
					 ps->tfile, t->line, what,
					 (unsigned char)*t->start);
	if ((cfg_tok_is(t, '#') || (cfg_tok_is(t, '/') && t->end[0] == '/')) &&
	    strchr(t->start, '\n') == NULL)
		return ps->rc = kerr_set(ps->err, K_ECONFIG, NULL,
					 _("%s:%u: syntax error: a comment on "
					   "the last line needs a line break "
					   "after it"), ps->tfile, t->line);
	return ps->rc = kerr_set(ps->err, K_ECONFIG, NULL,
				 _("%s:%u: syntax error: %s expected, not "
				   "%s%.*s%s"),
				 ps->tfile, t->line, what,
				 t->kind == CT_STRING ? "" : "\"",
				 n > 24 ? 24 : n, t->start, n > 24 ? "..." :
				 t->kind == CT_STRING ? "" : "\"");
}

/* Reads a scalar at the current token: 1 when read, 0 when none, or -1. */
static int cfg_parse_scalar(struct cfg_parser *ps)
{
	if (ps->t.kind == CT_STRING) {
		while (ps->t.kind == CT_STRING) {
			if (ps->t.open) {
				ps->rc = kerr_set(ps->err, K_ECONFIG, NULL,
						  _("%s:%u: this string has "
						    "no closing \""),
						  ps->tfile, ps->t.line);
				return -1;
			}
			cfg_advance(ps);
		}
		return 1;
	}
	if (ps->t.kind == CT_INT || ps->t.kind == CT_NUMBER ||
	    cfg_tok_bool(&ps->t)) {
		cfg_advance(ps);
		return 1;
	}
	return 0;
}

static int cfg_parse_settings(struct cfg_parser *ps, char close);

/* Reads a value at the current token. */
static int cfg_parse_value(struct cfg_parser *ps)
{
	char open, close;
	int rc = 0, got;

	if ((got = cfg_parse_scalar(ps)) != 0)
		return got < 0 ? ps->rc : 0;
	if (ps->t.kind != CT_PUNCT || (*ps->t.start != '[' &&
				       *ps->t.start != '(' &&
				       *ps->t.start != '{'))
		return cfg_syntax(ps, _("a value"));
	if (ps->depth >= CFG_NEST_MAX)
		return ps->rc = kerr_set(ps->err, K_ECONFIG, NULL,
					 _("%s:%u: nested more than %d deep"),
					 ps->tfile, ps->t.line, CFG_NEST_MAX);
	open = *ps->t.start;
	close = open == '[' ? ']' : open == '(' ? ')' : '}';
	ps->depth++;
	cfg_advance(ps);
	if (open == '{') {
		rc = cfg_parse_settings(ps, '}');
	} else if (!cfg_tok_is(&ps->t, close)) {
		for (;;) {
			if (open == '[') {
				if ((got = cfg_parse_scalar(ps)) < 0)
					rc = ps->rc;
				else if (got == 0)
					rc = cfg_syntax(ps, _("a number, "
							      "string, true or "
							      "false"));
			} else {
				rc = cfg_parse_value(ps);
			}
			if (rc != 0 || !cfg_tok_is(&ps->t, ','))
				break;
			cfg_advance(ps);
		}
	}
	ps->depth--;
	if (rc != 0)
		return rc;
	if (!cfg_tok_is(&ps->t, close))
		return cfg_syntax(ps, close == ']' ? _("\",\" or \"]\"") :
				  close == ')' ? _("\",\" or \")\"") :
				  _("a setting or \"}\""));
	cfg_advance(ps);
	return 0;
}

/* Reads settings up to close ('}', or 0 for the end of the file). */
static int cfg_parse_settings(struct cfg_parser *ps, char close)
{
	int rc;

	for (;;) {
		if (ps->rc != 0)
			return ps->rc;
		if (close == 0 ? ps->t.kind == CT_END :
		    cfg_tok_is(&ps->t, close))
			return 0;
		if (ps->t.kind != CT_NAME || cfg_tok_bool(&ps->t) ||
		    ps->t.start[0] == '@')
			return cfg_syntax(ps, close == 0 ? _("a setting") :
					  _("a setting or \"}\""));
		cfg_advance(ps);
		if (!cfg_tok_is(&ps->t, '=') && !cfg_tok_is(&ps->t, ':'))
			return cfg_syntax(ps, _("\"=\""));
		cfg_advance(ps);
		rc = cfg_parse_value(ps);
		if (rc != 0)
			return rc;
		if (cfg_tok_is(&ps->t, ';') || cfg_tok_is(&ps->t, ','))
			cfg_advance(ps);
	}
}

int cfg_grammar(const char *path, const char *text, const char *dir,
		size_t max, struct kerr *err)
{
	struct cfg_parser ps;
	size_t len = strlen(text);
	int rc;

	memset(&ps, 0, sizeof ps);
	ps.err = err;
	ps.path = path;
	ps.dir = dir;
	ps.left = max > len ? max - len : 0;
	ps.f[0].base = ps.f[0].p = text;
	ps.f[0].line = 1;
	ps.nf = 1;
	cfg_advance(&ps);
	rc = cfg_parse_settings(&ps, 0);
	if (rc == 0)
		rc = ps.rc;
	for (int i = 1; i < ps.nf; i++) {
		free(ps.f[i].text);
		free(ps.f[i].name);
	}
	return rc;
}
