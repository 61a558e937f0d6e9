/*
 * kerr.h - error codes and diagnostics shared by every layer.
 *
 * Every function that can fail returns an int: 0 (K_OK) on success or one
 * of the K_E* codes below.  Functions that can say more take a
 * struct kerr *, which they fill with the code, the name of the offending
 * field (if any) and a one-line message meant for people.  Only store/
 * sees Berkeley DB's codes; it maps them to these.
 */
#ifndef KONTOR_BASE_KERR_H
#define KONTOR_BASE_KERR_H

#include <stdarg.h>

/* X(name, sysexits code, default message) */
#define KERR_LIST(X)                                                        \
	X(K_OK,        0,  "success")                                       \
	X(K_EINVAL,    65, "invalid value")                                 \
	X(K_ERANGE,    65, "value out of range")                            \
	X(K_ENOTFOUND, 66, "not found")                                     \
	X(K_EEXIST,    65, "already exists")                                \
	X(K_ECONFLICT, 75, "changed by someone else")                       \
	X(K_EBUSY,     75, "records busy, try again")                       \
	X(K_EPERM,     77, "permission denied")                             \
	X(K_ENOUSER,   67, "unknown user")                                  \
	X(K_ECORRUPT,  65, "corrupt data")                                  \
	X(K_EIO,       74, "input/output error")                            \
	X(K_ENOSPC,    74, "no space left on device")                      \
	X(K_ENOMEM,    71, "out of memory")                                 \
	X(K_ERECOVER,  75, "database needs recovery")                      \
	X(K_ENODAEMON, 69, "kontor daemon is not running")                  \
	X(K_ECONFIG,   78, "configuration error")                           \
	X(K_EUSAGE,    64, "usage error")                                   \
	X(K_EREFERENCED, 65, "record is referred to by others")             \
	X(K_EINTERNAL, 70, "internal error")

enum kerr_code {
#define KERR_ENUM(name, ex, msg) name,
	KERR_LIST(KERR_ENUM)
#undef KERR_ENUM
	K_ECOUNT
};

/* A diagnostic: what went wrong, and where. */
struct kerr {
	int code;          /* enum kerr_code */
	char field[64];    /* offending field or "" */
	char msg[512];     /* one line for people, already translated */
};

/* Returns the static default message of a code (untranslated). */
const char *kerr_str(int code);

/* Returns the sysexits.h exit status that fits a code. */
int kerr_exit_status(int code);

/*
 * Fills err (which may be NULL) with code, field (may be NULL) and a
 * printf-style message; returns code so callers can write
 * "return kerr_set(err, K_EINVAL, "date", "bad date %s", s);".
 * A NULL fmt uses the code's default message.
 */
int kerr_set(struct kerr *err, int code, const char *field,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int kerr_vset(struct kerr *err, int code, const char *field,
	      const char *fmt, va_list ap);

/* Resets err to K_OK with empty field and message. */
void kerr_clear(struct kerr *err);

/*
 * Prefixes err->msg with "prefix: " (e.g. a file:line or a field name)
 * and returns err->code.
 */
int kerr_prefix(struct kerr *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
