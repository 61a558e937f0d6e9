/*
 * cfgutil.h - what kontor.conf (conf.c) and the form files (formdef.c)
 * share in reading libconfig files: the dotted name of a setting for
 * messages, what a setting is ("a string"), the first unknown key of a
 * group, text without control characters, whether an integer
 * libconfig 1.5 reads without an L fits in 32 bits, a scanner that cuts
 * the text into tokens as libconfig's does, and libconfig's grammar,
 * checked before libconfig parses.  Each reader keeps its own context,
 * failure messages ("FILE:LINE: ...") and line finding.
 *
 * Inside src/config only: it includes <libconfig.h>.
 */
#ifndef KONTOR_CONFIG_CFGUTIL_H
#define KONTOR_CONFIG_CFGUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <libconfig.h>

#include "base/kerr.h"

/*
 * Writes the dotted name of setting s ("printing.width",
 * "users[1].login", "form.fields[2].width") into buf (n bytes; cut at
 * 32 levels or when buf is full).
 */
void cfg_setting_path(const config_setting_t *s, char *buf, size_t n);

/* What s is, translated, for "must be a string, not a number". */
const char *cfg_type_name(const config_setting_t *s);

/*
 * The first member of group g whose name is not in keys (a NULL-ended
 * list), or NULL when all are known; then known (n bytes) holds the
 * keys as "a, b, c" for the message.
 */
const config_setting_t *cfg_unknown_key(const config_setting_t *g,
					const char *const *keys, char *known,
					size_t n);

/* True when s has no control characters (C0 or DEL). */
bool cfg_no_controls(const char *s);

/*
 * True when the integer written from start to end (decimal, or hex
 * with 0x, an optional sign, no L) fits in an int as libconfig 1.5
 * reads it: decimal within INT_MIN..INT_MAX, hex within 32 bits.
 */
bool cfg_fits32(const char *start, const char *end);

/*
 * A token of libconfig's text, cut the way its scanner cuts it (the
 * longest of its patterns), for what libconfig does not check or
 * reports at the wrong line.
 */
enum cfg_tok_kind {
	CT_END,
	CT_STRING,      /* "..." with its quotes */
	CT_INT,         /* decimal or hex, no L */
	CT_NUMBER,      /* with L, or a float */
	CT_NAME,        /* names, true, false, @include */
	CT_PUNCT,       /* any other single character */
};

struct cfg_tok {
	enum cfg_tok_kind kind;
	const char *start, *end;
	unsigned line;          /* where it starts */
	unsigned end_line;      /* where it ends */
	bool open;              /* a string without its closing quote;
				   CT_END: the text ends in a comment */
};

/* Reads the next token at *p (on line *line) into t; advances both. */
void cfg_next(const char **p, unsigned *line, struct cfg_tok *t);

/* True when token t is the punctuation character c. */
bool cfg_tok_is(const struct cfg_tok *t, char c);

/*
 * True when string token t stands for the text want, reading the
 * escapes libconfig knows (\\ \" \f \n \r \t \xHH).
 */
bool cfg_tok_equals(const struct cfg_tok *t, const char *want);

/*
 * Checks text, the contents of file path, against libconfig's grammar
 * before libconfig parses it: libconfig 1.5 loses the string it has read
 * (a leak) when a syntax error comes after one, and may name a later
 * line.  dir NULL: "@include" is a syntax error.  Else a line
 * `@include "NAME"` is followed as libconfig follows it: NAME taken
 * from dir (a folder ending with '/', or "" for the current one) unless
 * it starts with '/', at most 10 files deep, at most 100 files in all,
 * and all the files read together at most max bytes.  0, or K_ECONFIG ("FILE:LINE: ...", FILE
 * being path or the included file) or K_ENOMEM in err.
 */
int cfg_grammar(const char *path, const char *text, const char *dir,
		size_t max, struct kerr *err);

#endif
