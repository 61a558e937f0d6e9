/*
 * csvio.c - CSV import and export of any entity, through libcsv.
 *
 * Import streams the file twice, in chunks of 64 KiB, and never holds
 * it whole: pass 1 parses and checks every row inside one snapshot
 * read and collects every problem as "FILE:LINE: column: reason"; only
 * when there is none does pass 2 read the file again and write the
 * rows, up to 1000 per store_write() transaction.
 *
 * Line numbers are physical lines: a quoted field with line breaks
 * inside counts them, and a row is named by the line it starts on.
 * libcsv only says that a field or a row ended, not where, so the file
 * is handed to it one line at a time (each piece ends at a CR or LF):
 * a row can only end at the end of a piece, and the piece that starts a
 * row is known before it is parsed.
 *
 * A reference to the same entity (a party's parent) may name a code
 * that only the file defines, before or after the row: pass 1 accepts
 * it when the file has that code; pass 2 writes the reference at once
 * when the record is already stored, else after every row is written.
 *
 * List fields (a party's contacts) are not CSV columns for now: a
 * column named after one is refused, and export leaves them out.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "base/i18n.h"
#include "base/utf8.h"
#include "masters/csvio.h"

#define CHUNK (64 * 1024)
#define BATCH 1000

/* ------------------------------------------------------------ helpers */

/* A growing array of n elements of size sz. */
static int grow(void *pp, size_t *cap, size_t n, size_t sz)
{
	void **p = pp;
	size_t nc;
	void *np;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 16;
	if (!(np = realloc(*p, nc * sz)))
		return K_ENOMEM;
	*p = np;
	*cap = nc;
	return 0;
}

static void *fptr(const struct store_field *f, const void *rec)
{
	return (char *)rec + f->offset;
}

/* Codes seen in the file: code -> first line (open addressing). */
struct codeset {
	struct { char *code; unsigned long line; } *slot;
	size_t cap, n;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static size_t codeset_pos(const struct codeset *cs, const char *code)
{
	size_t i = (size_t)hash(code) & (cs->cap - 1);

	while (cs->slot[i].code && strcmp(cs->slot[i].code, code) != 0)
		i = (i + 1) & (cs->cap - 1);
	return i;
}

/* The line that defined code, or 0. */
static unsigned long codeset_get(const struct codeset *cs, const char *code)
{
	return cs->cap ? cs->slot[codeset_pos(cs, code)].line : 0;
}

static int codeset_add(struct codeset *cs, const char *code,
		       unsigned long line)
{
	size_t i;

	if ((cs->n + 1) * 10 >= cs->cap * 7) {
		struct codeset big = { NULL, cs->cap ? cs->cap * 2 : 256, 0 };
		if (!(big.slot = calloc(big.cap, sizeof *big.slot)))
			return K_ENOMEM;
		for (size_t j = 0; j < cs->cap; j++)
			if (cs->slot[j].code)
				big.slot[codeset_pos(&big, cs->slot[j].code)] =
					cs->slot[j];
		big.n = cs->n;
		free(cs->slot);
		*cs = big;
	}
	i = codeset_pos(cs, code);
	if (cs->slot[i].code)
		return 0;
	if (!(cs->slot[i].code = strdup(code)))
		return K_ENOMEM;
	cs->slot[i].line = line;
	cs->n++;
	return 0;
}

static void codeset_free(struct codeset *cs)
{
	for (size_t i = 0; i < cs->cap; i++)
		free(cs->slot[i].code);
	free(cs->slot);
	memset(cs, 0, sizeof *cs);
}

/* ------------------------------------------------------------- import */

struct problem {
	unsigned long line;
	size_t seq;             /* order of discovery, for a stable sort */
	char *text;
};

/* A reference to a code of the same entity (see the top comment). */
struct ref {
	unsigned long line;
	const struct store_field *f;
	char *from;             /* the row's code */
	char *to;               /* the code it names */
};

struct row {
	unsigned long line;
	char **v;
	size_t n;
};

struct imp {
	struct store *st;
	const struct entity *e;
	const char *path;
	bool update;
	FILE *errs;
	int pass;                       /* 1 check, 2 write */

	/* the reader */
	struct csv_parser p;
	unsigned long line;             /* physical line being fed */
	unsigned long row_line;         /* where the current row started */
	bool in_row, prev_cr;
	char **cur;                     /* fields of the row being parsed */
	size_t ncur, capcur;
	size_t nul_col;                 /* 1 + column that held a NUL, or 0 */
	int stop;                       /* an error that ends the scan */
	struct kerr stop_err;           /* why, unless a noted problem */

	/* the header */
	bool have_header, header_bad;
	const struct store_field **col; /* field of each column, or NULL */
	size_t ncol;
	size_t code_col;

	/* pass 1 */
	struct store_txn *t;
	struct problem *probs;
	size_t nprobs, capprobs;
	struct codeset codes;
	struct ref *pend;               /* pass 1: refs to check at the end */
	size_t npend, cappend;

	/* pass 2 */
	struct row *batch;
	size_t nbatch, capbatch;
	struct ref *fix;                /* refs written after every row */
	size_t nfix, capfix;
	size_t nfix_batch;              /* those of the current attempt */
	unsigned long written;
	struct kerr *err;
};

/* Ends the scan for a reason that is not the file's (memory, store). */
static void halt(struct imp *im, int code, const struct kerr *why)
{
	if (im->stop_err.code)
		return;
	im->stop = code;
	if (why && why->code)
		im->stop_err = *why;
	else
		kerr_set(&im->stop_err, code, NULL, NULL);
}

/* True for errors of the store rather than of the row (stop the import). */
static bool fatal(int code)
{
	return code != K_EINVAL && code != K_ERANGE && code != K_ENOTFOUND &&
	       code != K_EEXIST;
}

static int problem(struct imp *im, unsigned long line, const char *column,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Notes "FILE:LINE: column: reason" (column may be NULL or ""). */
static int problem(struct imp *im, unsigned long line, const char *column,
		   const char *fmt, ...)
{
	char reason[1200], *text;
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (!column)
		column = "";
	n = strlen(im->path) + strlen(column) + strlen(reason) + 32;
	if (!(text = malloc(n)) ||
	    grow(&im->probs, &im->capprobs, im->nprobs, sizeof *im->probs)) {
		free(text);
		halt(im, K_ENOMEM, NULL);
		return K_ENOMEM;
	}
	if (*column)
		snprintf(text, n, "%s:%lu: %s: %s", im->path, line, column,
			 reason);
	else
		snprintf(text, n, "%s:%lu: %s", im->path, line, reason);
	im->probs[im->nprobs].line = line;
	im->probs[im->nprobs].seq = im->nprobs;
	im->probs[im->nprobs].text = text;
	im->nprobs++;
	return 0;
}

static int problem_cmp(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void free_fields(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
}

static void free_refs(struct ref *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].from);
		free(r[i].to);
	}
}

static int add_ref(struct ref **arr, size_t *n, size_t *cap,
		   unsigned long line, const struct store_field *f,
		   const char *from, const char *to)
{
	struct ref *r;

	if (grow(arr, cap, *n, sizeof **arr))
		return K_ENOMEM;
	r = &(*arr)[*n];
	r->line = line;
	r->f = f;
	r->from = strdup(from ? from : "");
	r->to = strdup(to);
	if (!r->from || !r->to) {
		free(r->from);
		free(r->to);
		return K_ENOMEM;
	}
	(*n)++;
	return 0;
}

/* True when f refers to the entity being imported. */
static bool self_ref(const struct imp *im, const struct store_field *f)
{
	return f->type == SF_REF && f->ref &&
	       strcmp(f->ref, im->e->schema->name) == 0;
}

/* --------------------------------------------------------- the header */

static void header(struct imp *im, char **v, size_t n)
{
	const struct store_schema *s = im->e->schema;
	bool have_code = false;

	im->have_header = true;
	if (!(im->col = calloc(n ? n : 1, sizeof *im->col))) {
		halt(im, K_ENOMEM, NULL);
		return;
	}
	im->ncol = n;
	for (size_t i = 0; i < n; i++) {
		const struct store_field *f;
		if (!utf8_valid(v[i], strlen(v[i])) || im->nul_col == i + 1) {
			problem(im, im->row_line, NULL,
				_("column %zu: the name is not valid UTF-8"),
				i + 1);
			continue;
		}
		if (!*v[i]) {
			problem(im, im->row_line, NULL,
				_("column %zu has no name"), i + 1);
			continue;
		}
		if (!(f = store_field_find(s, v[i]))) {
			char known[1024] = "";
			size_t k = 0;
			for (size_t j = 0; j < s->nfields && k < sizeof known;
			     j++)
				if (s->fields[j].type != SF_LIST)
					k += (size_t)snprintf(known + k,
							      sizeof known - k,
							      "%s%s", k ? ", " : "",
							      s->fields[j].name);
			problem(im, im->row_line, v[i],
				_("unknown column; the columns of %s are %s"),
				im->e->name, known);
			continue;
		}
		if (f->type == SF_LIST) {
			problem(im, im->row_line, v[i],
				_("a list; it cannot be imported from CSV"));
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (im->col[j] == f) {
				problem(im, im->row_line, v[i],
					_("the column appears twice (also column %zu)"),
					j + 1);
				f = NULL;
				break;
			}
		if (!f)
			continue;
		im->col[i] = f;
		if (strcmp(f->name, im->e->code_field) == 0) {
			im->code_col = i;
			have_code = true;
		}
	}
	if (!have_code) {
		problem(im, im->row_line, im->e->code_field,
			_("the %s column is required"), im->e->code_field);
		im->header_bad = true;
	}
}

/* ------------------------------------------------------------- pass 1 */

static void check_row(struct imp *im, unsigned long line, char **v, size_t n)
{
	const struct entity *e = im->e;
	const char *code = v[im->code_col];
	size_t before = im->nprobs;
	unsigned long seen;
	struct kerr err;
	void *rec = NULL;
	bool exists = false;

	if (n != im->ncol) {
		problem(im, line, NULL,
			_("%zu columns where the header has %zu"), n, im->ncol);
		return;
	}
	if (*code && utf8_valid(code, strlen(code)) &&
	    im->nul_col != im->code_col + 1) {
		if ((seen = codeset_get(&im->codes, code)))
			problem(im, line, e->code_field,
				_("%s is already on line %lu"), code, seen);
		else if (codeset_add(&im->codes, code, line))
			halt(im, K_ENOMEM, NULL);
		if (!(rec = calloc(1, e->schema->size))) {
			halt(im, K_ENOMEM, NULL);
			return;
		}
		kerr_clear(&err);
		if (ent_get_code(im->t, e, code, rec, &err) == 0) {
			exists = true;
			if (!im->update)
				problem(im, line, e->code_field,
					_("a %s with code %s already exists"),
					e->name, code);
		} else if (fatal(err.code)) {
			halt(im, err.code, &err);
			ent_free(e, rec);
			return;
		}
		if (!exists)
			ent_free(e, rec);
	}
	if (!exists)
		rec = ent_new(e);
	if (!rec) {
		halt(im, K_ENOMEM, NULL);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct store_field *f = im->col[i];
		int ret;

		if (!f)
			continue;
		if (im->nul_col == i + 1) {
			problem(im, line, f->name,
				_("the value holds a NUL byte"));
			continue;
		}
		kerr_clear(&err);
		ret = ent_field_set(im->t, f, rec, v[i], &err);
		if (ret == K_ENOTFOUND && self_ref(im, f)) {
			/* Checked against the whole file at the end. */
			if (add_ref(&im->pend, &im->npend, &im->cappend, line,
				    f, code, v[i]))
				halt(im, K_ENOMEM, NULL);
			*(int64_t *)fptr(f, rec) = -1;   /* "some other record" */
		} else if (ret && fatal(ret)) {
			halt(im, ret, &err);
			break;
		} else if (ret) {
			problem(im, line, f->name, "%s", err.msg);
		}
	}
	if (im->nprobs == before && !im->stop) {
		int ret;
		kerr_clear(&err);
		if ((ret = ent_check(im->t, e, rec, &err)) && fatal(ret))
			halt(im, ret, &err);
		else if (ret)
			problem(im, line, err.field, "%s", err.msg);
	}
	ent_free(e, rec);
}

/* References to codes the store does not have: the file must have them. */
static void check_pending(struct imp *im)
{
	for (size_t i = 0; i < im->npend; i++) {
		const struct ref *r = &im->pend[i];
		unsigned long at = codeset_get(&im->codes, r->to);
		if (!at)
			problem(im, r->line, r->f->name,
				_("no %s with code %s"), r->f->ref, r->to);
		else if (at == r->line)
			problem(im, r->line, r->f->name,
				_("%s is the row's own code; a record cannot refer to itself"),
				r->to);
	}
}

/* ------------------------------------------------------------- pass 2 */

/* err->msg becomes "FILE:LINE: column: reason". */
static int row_error(struct imp *im, unsigned long line, struct kerr *err,
		     int ret)
{
	char reason[sizeof err->msg];

	snprintf(reason, sizeof reason, "%s", err->msg);
	if (err->field[0])
		return kerr_set(err, ret, err->field, "%s:%lu: %s: %s",
				im->path, line, err->field, reason);
	return kerr_set(err, ret, NULL, "%s:%lu: %s", im->path, line, reason);
}

static int write_row(struct store_txn *t, struct imp *im,
		     const struct row *r, struct kerr *err)
{
	const struct entity *e = im->e;
	const char *code = r->v[im->code_col];
	void *rec = NULL;
	bool exists = false;
	int ret = 0;

	if (im->update) {
		if (!(rec = calloc(1, e->schema->size)))
			return kerr_set(err, K_ENOMEM, NULL, NULL);
		ret = ent_get_code(t, e, code, rec, err);
		if (ret == 0) {
			exists = true;
		} else if (ret == K_ENOTFOUND) {
			ent_free(e, rec);
			rec = NULL;
			ret = 0;
		} else {
			goto out;
		}
	}
	if (!rec && !(rec = ent_new(e)))
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	for (size_t i = 0; i < r->n && !ret; i++) {
		const struct store_field *f = im->col[i];
		if (!f)
			continue;
		ret = ent_field_set(t, f, rec, r->v[i], err);
		if (ret == K_ENOTFOUND && self_ref(im, f) &&
		    codeset_get(&im->codes, r->v[i])) {
			/* Defined later in the file: set after every row. */
			*(int64_t *)fptr(f, rec) = 0;
			if (add_ref(&im->fix, &im->nfix, &im->capfix, r->line,
				    f, code, r->v[i])) {
				ret = kerr_set(err, K_ENOMEM, NULL, NULL);
			} else {
				im->nfix_batch++;
				ret = 0;
			}
		}
	}
	if (!ret)
		ret = ent_check(t, e, rec, err);
	if (!ret)
		ret = exists ? store_update(t, e->schema, rec, err) :
			       store_insert(t, e->schema, rec, err);
out:
	ent_free(e, rec);
	return ret ? row_error(im, r->line, err, ret) : 0;
}

/* Drops the references a failed attempt noted. */
static void forget_fixes(struct imp *im)
{
	free_refs(im->fix + im->nfix - im->nfix_batch, im->nfix_batch);
	im->nfix -= im->nfix_batch;
	im->nfix_batch = 0;
}

static int batch_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct imp *im = arg;
	int ret = 0;

	forget_fixes(im);
	for (size_t i = 0; i < im->nbatch && !ret; i++)
		ret = write_row(t, im, &im->batch[i], err);
	return ret;
}

/* Writes the rows collected so far in one transaction. */
static int flush(struct imp *im)
{
	int ret;

	if (!im->nbatch)
		return 0;
	im->nfix_batch = 0;
	ret = store_write(im->st, batch_fn, im, im->err);
	if (ret == 0) {
		im->written += im->nbatch;
		im->nfix_batch = 0;
	} else {
		forget_fixes(im);
	}
	for (size_t i = 0; i < im->nbatch; i++) {
		free_fields(im->batch[i].v, im->batch[i].n);
		free(im->batch[i].v);
	}
	im->nbatch = 0;
	return ret;
}

struct fixrange {
	struct imp *im;
	size_t from, to;
};

static int fix_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct fixrange *fr = arg;
	struct imp *im = fr->im;
	const struct entity *e = im->e;
	int ret = 0;

	for (size_t i = fr->from; i < fr->to && !ret; i++) {
		const struct ref *r = &im->fix[i];
		void *rec = calloc(1, e->schema->size);
		if (!rec)
			return kerr_set(err, K_ENOMEM, NULL, NULL);
		if (!(ret = ent_get_code(t, e, r->from, rec, err)) &&
		    !(ret = ent_field_set(t, r->f, rec, r->to, err)) &&
		    !(ret = ent_check(t, e, rec, err)))
			ret = store_update(t, e->schema, rec, err);
		ent_free(e, rec);
		if (ret)
			ret = row_error(im, r->line, err, ret);
	}
	return ret;
}

static int write_fixes(struct imp *im)
{
	int ret = 0;

	for (size_t i = 0; i < im->nfix && !ret; i += BATCH) {
		struct fixrange fr = { im, i,
				       im->nfix - i < BATCH ? im->nfix : i + BATCH };
		ret = store_write(im->st, fix_fn, &fr, im->err);
	}
	return ret;
}

/* --------------------------------------------------------- the reader */

static void on_field(void *s, size_t len, void *data)
{
	struct imp *im = data;
	char *v;

	if (im->stop)
		return;
	if (grow(&im->cur, &im->capcur, im->ncur, sizeof *im->cur) ||
	    !(v = malloc(len + 1))) {
		halt(im, K_ENOMEM, NULL);
		return;
	}
	if (len)
		memcpy(v, s, len);
	v[len] = '\0';
	if (memchr(v, '\0', len) && !im->nul_col)
		im->nul_col = im->ncur + 1;
	im->cur[im->ncur++] = v;
}

static void on_row(int c, void *data)
{
	struct imp *im = data;
	char **v = im->cur;
	size_t n = im->ncur;

	(void)c;
	im->in_row = false;
	if (im->stop || n == 0)
		goto out;
	if (!im->have_header) {
		header(im, v, n);
		goto out;
	}
	if (im->header_bad)
		goto out;
	if (im->pass == 1) {
		check_row(im, im->row_line, v, n);
		goto out;
	}
	/* pass 2: the row is kept for the batch */
	if (n != im->ncol) {
		problem(im, im->row_line, NULL,
			_("%zu columns where the header has %zu"), n, im->ncol);
		im->stop = K_EINVAL;
		goto out;
	}
	if (grow(&im->batch, &im->capbatch, im->nbatch, sizeof *im->batch)) {
		halt(im, K_ENOMEM, NULL);
		goto out;
	}
	im->batch[im->nbatch++] = (struct row){ im->row_line, v, n };
	im->cur = NULL;
	im->capcur = 0;
	im->ncur = 0;
	im->nul_col = 0;
	if (im->nbatch >= BATCH && flush(im))
		halt(im, im->err->code, im->err);
	return;
out:
	free_fields(v, n);
	im->ncur = 0;
	im->nul_col = 0;
}

/* Hands one piece (ending at a CR or LF, or the chunk's end) to libcsv. */
static int feed(struct imp *im, const char *s, size_t n, unsigned long line)
{
	if (n && csv_parse(&im->p, s, n, on_field, on_row, im) != n) {
		problem(im, line, NULL,
			_("bad quoting (a quote inside an unquoted field, or text after a closing quote); the rows after this one were not checked"));
		im->stop = K_EINVAL;
	}
	return im->stop;
}

/*
 * Reads the file through libcsv, calling header(), check_row() (pass
 * 1) or the batch writer (pass 2) for each row.
 */
static int scan(struct imp *im, struct kerr *err)
{
	FILE *fp = fopen(im->path, "rb");
	char *buf = NULL;
	bool first = true;
	size_t got;
	int ret = 0;

	if (!fp)
		return kerr_set(err, K_EIO, NULL, _("cannot open %s: %s"),
				im->path, strerror(errno));
	if (!(buf = malloc(CHUNK))) {
		fclose(fp);
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	}
	if (csv_init(&im->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
		free(buf);
		fclose(fp);
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	}
	im->line = 1;
	im->in_row = im->prev_cr = false;
	im->have_header = im->header_bad = false;
	im->stop = 0;
	kerr_clear(&im->stop_err);
	while (!im->stop && (got = fread(buf, 1, CHUNK, fp)) > 0) {
		size_t i = 0, start;
		if (first && got >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
			i = 3;                  /* the UTF-8 byte order mark */
		first = false;
		start = i;
		unsigned long piece_line = im->line;
		for (; i < got && !im->stop; i++) {
			char c = buf[i];
			if (im->prev_cr && c != '\n')
				im->line++;     /* a lone CR ended a line */
			im->prev_cr = false;
			if (i == start)
				piece_line = im->line;
			if (!im->in_row && c != '\r' && c != '\n' && c != ' ' &&
			    c != '\t') {
				im->in_row = true;
				im->row_line = im->line;
			}
			if (c != '\r' && c != '\n')
				continue;
			feed(im, buf + start, i + 1 - start, piece_line);
			start = i + 1;
			if (c == '\n')
				im->line++;
			else
				im->prev_cr = true;
		}
		if (!im->stop)
			feed(im, buf + start, got - start, piece_line);
	}
	if (!im->stop && ferror(fp))
		ret = kerr_set(err, K_EIO, NULL, _("cannot read %s: %s"),
			       im->path, strerror(errno));
	if (!ret && !im->stop &&
	    csv_fini(&im->p, on_field, on_row, im) != 0)
		problem(im, im->row_line, NULL,
			_("a quoted field is not closed at the end of the file"));
	if (!ret && !im->stop && !im->have_header)
		problem(im, 1, NULL, _("no header row (the file is empty)"));
	csv_free(&im->p);
	free_fields(im->cur, im->ncur);
	im->ncur = 0;
	free(buf);
	fclose(fp);
	if (!ret && im->stop_err.code) {
		*err = im->stop_err;
		ret = im->stop_err.code;
	}
	return ret;
}

static int pass1_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct imp *im = arg;
	int ret;

	/* From scratch, should the store run this again. */
	for (size_t i = 0; i < im->nprobs; i++)
		free(im->probs[i].text);
	im->nprobs = 0;
	free_refs(im->pend, im->npend);
	im->npend = 0;
	codeset_free(&im->codes);
	free(im->col);
	im->col = NULL;
	im->t = t;
	ret = scan(im, err);
	if (!ret && !im->stop)
		check_pending(im);
	im->t = NULL;
	return ret;
}

int csvio_import(struct store *st, const struct entity *e, const char *path,
		 bool update, unsigned long *rows, FILE *errs,
		 struct kerr *err)
{
	struct imp im = { 0 };
	int ret;

	im.st = st;
	im.e = e;
	im.path = path;
	im.update = update;
	im.errs = errs;
	im.err = err;
	if (rows)
		*rows = 0;

	im.pass = 1;
	if ((ret = store_read(st, pass1_fn, &im, err)))
		goto out;
	if (im.nprobs) {
		qsort(im.probs, im.nprobs, sizeof *im.probs, problem_cmp);
		for (size_t i = 0; errs && i < im.nprobs; i++)
			fprintf(errs, "%s\n", im.probs[i].text);
		ret = kerr_set(err, K_EINVAL, NULL,
			       _("%s: %zu problem(s); nothing was imported"),
			       path, im.nprobs);
		goto out;
	}

	/*
	 * Pass 2.  Each batch of up to 1000 rows commits on its own, so a
	 * failure here (the data changed since pass 1, the disk filled)
	 * leaves the batches before it written; it is reported with the
	 * rows written so far.  #4 must make a big import all-or-nothing
	 * across batches.
	 */
	im.pass = 2;
	free(im.col);
	im.col = NULL;
	kerr_clear(err);
	ret = scan(&im, err);
	if (!ret && im.nprobs) {
		/* The file changed since pass 1. */
		qsort(im.probs, im.nprobs, sizeof *im.probs, problem_cmp);
		ret = kerr_set(err, K_EINVAL, NULL, "%s", im.probs[0].text);
	}
	if (!ret)
		ret = flush(&im);
	if (!ret)
		ret = write_fixes(&im);
	if (ret && errs) {
		fprintf(errs, "%s\n", err->msg);
		if (im.written)
			fprintf(errs, _("%s: %lu row(s) were written before the error\n"),
				path, im.written);
	}
out:
	if (rows)
		*rows = im.written;
	for (size_t i = 0; i < im.nprobs; i++)
		free(im.probs[i].text);
	free(im.probs);
	free_refs(im.pend, im.npend);
	free(im.pend);
	free_refs(im.fix, im.nfix);
	free(im.fix);
	for (size_t i = 0; i < im.nbatch; i++) {
		free_fields(im.batch[i].v, im.batch[i].n);
		free(im.batch[i].v);
	}
	free(im.batch);
	free(im.cur);
	free(im.col);
	codeset_free(&im.codes);
	return ret;
}

/* ------------------------------------------------------------- export */

struct exp {
	const struct entity *e;
	FILE *out;
	unsigned long rows;
};

/* One value: quoted (libcsv doubles the quotes) only when it must be. */
static int put_value(FILE *out, const char *v, bool first)
{
	size_t len = strlen(v);
	bool quote = strpbrk(v, ",\"\r\n") != NULL ||
		     (len && (v[0] == ' ' || v[0] == '\t' ||
			      v[len - 1] == ' ' || v[len - 1] == '\t'));

	if (!first && putc(',', out) == EOF)
		return -1;
	if (quote)
		return csv_fwrite(out, v, len) == 0 ? 0 : -1;
	return len && fwrite(v, 1, len, out) != len ? -1 : 0;
}

static int export_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct exp *x = arg;
	const struct store_schema *s = x->e->schema;
	struct store_cursor *c = NULL;
	void *rec = calloc(1, s->size);
	char small[256], *big = NULL;
	bool first = true;
	int ret, io = 0;

	x->rows = 0;
	if (!rec)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	store_rec_clear(s, rec);
	for (size_t i = 0; i < s->nfields && !io; i++) {
		if (s->fields[i].type == SF_LIST)
			continue;
		io = put_value(x->out, s->fields[i].name, first);
		first = false;
	}
	if (!io && putc('\n', x->out) == EOF)
		io = -1;
	if ((ret = store_cursor_open(t, s, x->e->code_index, &c, err)))
		goto out;
	while (!io && (ret = store_cursor_next(c, rec, err)) == 0) {
		first = true;
		for (size_t i = 0; i < s->nfields && !io; i++) {
			const struct store_field *f = &s->fields[i];
			char *buf = small;
			size_t n = sizeof small;
			if (f->type == SF_LIST)
				continue;
			if (f->type == SF_TEXT) {
				const char *v = *(char *const *)fptr(f, rec);
				size_t need = v ? strlen(v) + 1 : 1;
				if (need > n) {
					free(big);
					if (!(big = malloc(need))) {
						ret = kerr_set(err, K_ENOMEM,
							       NULL, NULL);
						goto out;
					}
					buf = big;
					n = need;
				}
			}
			ent_field_get(t, f, rec, buf, n);
			io = put_value(x->out, buf, first);
			first = false;
		}
		if (!io && putc('\n', x->out) == EOF)
			io = -1;
		if (!io)
			x->rows++;
	}
	if (ret == K_ENOTFOUND) {
		kerr_clear(err);
		ret = 0;
	}
out:
	if (!ret && io)
		ret = kerr_set(err, K_EIO, NULL, _("cannot write the export: %s"),
			       strerror(errno));
	store_cursor_close(&c);
	store_rec_clear(s, rec);
	free(rec);
	free(big);
	return ret;
}

int csvio_export(struct store *st, const struct entity *e, FILE *out,
		 unsigned long *rows, struct kerr *err)
{
	struct exp x = { e, out, 0 };
	int ret = store_read(st, export_fn, &x, err);

	if (!ret && fflush(out) != 0)
		ret = kerr_set(err, K_EIO, NULL, _("cannot write the export: %s"),
			       strerror(errno));
	if (rows)
		*rows = ret ? 0 : x.rows;
	return ret;
}
