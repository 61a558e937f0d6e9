/*
 * kerr.c - error codes and diagnostics shared by every layer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "base/kerr.h"

static const char *const kerr_msgs[K_ECOUNT] = {
#define KERR_MSG(name, ex, msg) [name] = msg,
	KERR_LIST(KERR_MSG)
#undef KERR_MSG
};

static const int kerr_exits[K_ECOUNT] = {
#define KERR_EXIT(name, ex, msg) [name] = ex,
	KERR_LIST(KERR_EXIT)
#undef KERR_EXIT
};

/* EX_SOFTWARE from sysexits.h, for codes we do not know. */
#define KERR_EX_SOFTWARE 70

const char *kerr_str(int code)
{
	if (code < 0 || code >= K_ECOUNT)
		return "unknown error";
	return kerr_msgs[code];
}

int kerr_exit_status(int code)
{
	if (code < 0 || code >= K_ECOUNT)
		return KERR_EX_SOFTWARE;
	return kerr_exits[code];
}

/*
 * Makes s (a NUL-terminated string in a buffer of size n that may have
 * been cut short by snprintf) one line: line breaks become spaces and a
 * multibyte character cut in half at the end is dropped.
 */
static void kerr_tidy(char *s, size_t n)
{
	size_t len, i, start, need;
	unsigned char c;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] == '\n' || s[i] == '\r')
			s[i] = ' ';
	len = i;
	if (len + 1 < n || len == 0)
		return;
	/* The text filled the buffer: look at its last character. */
	start = len;
	while (start > 0 && len - start < 4 &&
	       ((unsigned char)s[start - 1] & 0xC0) == 0x80)
		start--;
	if (start == 0)
		return;
	c = (unsigned char)s[start - 1];
	if (c < 0xC0)
		return;
	need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	if (len - (start - 1) < need)
		s[start - 1] = '\0';
}

/* Appends src to the string in dst (size n), cutting it if need be. */
static void kerr_append(char *dst, size_t n, const char *src)
{
	size_t len = strlen(dst), add = strlen(src);

	if (len + 1 >= n)
		return;
	if (add > n - 1 - len)
		add = n - 1 - len;
	memcpy(dst + len, src, add);
	dst[len + add] = '\0';
}

int kerr_vset(struct kerr *err, int code, const char *field,
	      const char *fmt, va_list ap)
{
	if (err == NULL)
		return code;
	err->code = code;
	snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	kerr_tidy(err->field, sizeof err->field);
	if (fmt == NULL)
		snprintf(err->msg, sizeof err->msg, "%s", _(kerr_str(code)));
	else
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	kerr_tidy(err->msg, sizeof err->msg);
	return code;
}

int kerr_set(struct kerr *err, int code, const char *field,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kerr_vset(err, code, field, fmt, ap);
	va_end(ap);
	return code;
}

void kerr_clear(struct kerr *err)
{
	if (err == NULL)
		return;
	err->code = K_OK;
	err->field[0] = '\0';
	err->msg[0] = '\0';
}

/*
 * A NULL err has no code to return; K_EINTERNAL keeps a caller that
 * writes "return kerr_prefix(err, ...)" from turning a failure into
 * success.
 */
int kerr_prefix(struct kerr *err, const char *fmt, ...)
{
	char pre[sizeof err->msg];
	char old[sizeof err->msg];
	va_list ap;

	if (err == NULL)
		return K_EINTERNAL;
	if (fmt == NULL)
		return err->code;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	old[sizeof old - 1] = '\0';
	err->msg[0] = '\0';
	kerr_append(err->msg, sizeof err->msg, pre);
	if (old[0] != '\0') {
		kerr_append(err->msg, sizeof err->msg, ": ");
		kerr_append(err->msg, sizeof err->msg, old);
	}
	kerr_tidy(err->msg, sizeof err->msg);
	return err->code;
}
