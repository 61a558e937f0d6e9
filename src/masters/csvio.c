/*
 * csvio.c - CSV import and export of any entity, through libcsv.
 *
 * Import reads the file once, in chunks of 64 KiB, inside one write
 * transaction: each row is parsed, built into a record (ent_new, then
 * ent_field_set per column), checked (ent_check, ent_apply) and inserted
 * (or, with --update, written over the record with its code) at once.
 * A field may hold 1 MiB and a row 8 MiB in up to 4096 columns.  A problem
 * prints nothing yet: it is noted as "FILE:LINE: column: reason" and the
 * scan goes on, so that one run names every bad row; at the end the
 * transaction commits when nothing was noted, else it is aborted and the
 * problems are printed in line order.  Memory stays flat: one row at a
 * time, at most CSVIO_MAX_ERRORS problems, and a list of the references
 * that wait for a later row (below).
 *
 * Duplicate codes.  Each row's code is looked up in the unique index
 * first (the transaction sees its own writes): a record this import
 * wrote already (stamped by our login since the import began) means the
 * code is twice in the file; any other means it was there before, which
 * is an error unless --update.
 *
 * References to the entity itself (a party's parent, in a list element
 * too: a unit's conversion to another unit) may name a code that a
 * later row defines.  Such a reference is written as "none" with
 * the row, and (record id, field, code, line) is kept; after the last
 * row each one is set inside the same transaction, the record checked
 * again and updated.  A rule that refused the row only because of such a
 * field waits for that final check.
 *
 * Line numbers are physical lines: a quoted field with line breaks
 * inside counts them, and a row is named by the line it starts on.
 * libcsv only says that a field or a row ended, not where, so the file
 * is handed to it one line at a time (each piece ends at a CR or LF):
 * a row can only end at the end of a piece, and the piece that starts a
 * row is known before it is parsed.
 *
 * Locks.  The transaction does not wait for locks (store_txn_begin),
 * and it is not run again: when a clerk holds a page the import needs,
 * the import stops with "the database is busy" and writes nothing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "base/i18n.h"
#include "base/num.h"
#include "base/utf8.h"
#include "masters/csvio.h"

#define CHUNK (64 * 1024)
#define FIELD_MAX (1u << 20)     /* bytes of one field */
#define MAX_COLS 4096            /* fields of one row that are kept */
#define ROW_MAX (8u << 20)       /* bytes of one row that are kept */
#define PROGRESS_US 200000

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

/* A growing string. */
struct sbuf {
	char *p;
	size_t n, cap;
};

static int sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 256;
		char *np;
		while (nc < b->n + n + 1)
			nc *= 2;
		if (!(np = realloc(b->p, nc)))
			return K_ENOMEM;
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

static int sb_putc(struct sbuf *b, char c)
{
	return sb_put(b, &c, 1);
}

/* Makes b an empty string (so that b->p is never NULL after it). */
static int sb_reset(struct sbuf *b)
{
	b->n = 0;
	return sb_put(b, "", 0);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A copy of s without leading and trailing blanks. */
static char *trimmed(const char *s)
{
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n && is_blank(s[n - 1]))
		n--;
	return strndup(s, n);
}

/* True for errors of the store rather than of the row (stop the import). */
static bool fatal(int code)
{
	return code != K_EINVAL && code != K_ERANGE && code != K_ENOTFOUND &&
	       code != K_EEXIST && code != K_EREFERENCED;
}

/* True when f refers to records of entity e. */
static bool self_ref(const struct entity *e, const struct store_field *f)
{
	return f->type == SF_REF && f->ref &&
	       strcmp(f->ref, e->schema->name) == 0;
}

/* ------------------------------------------------------ list elements */

/* Appends a zeroed element to list field lf of rec; NULL without memory. */
static void *elem_add(const struct store_field *lf, void *rec)
{
	const struct store_schema *sub = lf->sub;
	struct store_list *l = fptr(lf, rec);
	void *items = realloc(l->items, (l->n + 1) * sub->size);
	void *el;

	if (!items)
		return NULL;
	l->items = items;
	el = (char *)items + l->n * sub->size;
	memset(el, 0, sub->size);
	for (size_t i = 0; i < sub->nfields; i++)
		if (sub->fields[i].type == SF_DATE)
			*(kdate *)fptr(&sub->fields[i], el) = DATE_NONE;
	l->n++;
	return el;
}

static void *elem_at(const struct store_field *lf, void *rec, size_t i)
{
	struct store_list *l = fptr(lf, rec);

	return i < l->n ? (char *)l->items + i * lf->sub->size : NULL;
}

/* "name|role|phone|email": the parts of an element, for messages. */
static void elem_shape(const struct store_schema *sub, char *buf, size_t n)
{
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sub->nfields && k < n; i++)
		k += (size_t)snprintf(buf + k, n - k, "%s%s", i ? "|" : "",
				      sub->fields[i].name);
}

/*
 * The text of field f of rec (a record or a list element) for a CSV
 * cell: a text field's own string, else formatted into buf.
 */
static const char *value_of(struct store_txn *t, const struct store_field *f,
			    const void *rec, char *buf, size_t n)
{
	if (f->type == SF_TEXT) {
		const char *s = *(char *const *)fptr(f, rec);
		return s ? s : "";
	}
	if (f->type == SF_LIST) {
		buf[0] = '\0';           /* lists inside elements: not in CSV */
		return buf;
	}
	return ent_field_get(t, f, rec, buf, n);
}

/* Writes list field lf of rec as list text into out (see csvio.h). */
static int list_text(struct store_txn *t, const struct store_field *lf,
		     const void *rec, struct sbuf *out)
{
	const struct store_schema *sub = lf->sub;
	const struct store_list *l = fptr(lf, rec);
	char buf[1024];
	int ret = sb_reset(out);

	for (size_t i = 0; i < l->n && !ret; i++) {
		const void *el = (const char *)l->items + i * sub->size;
		if (i && (ret = sb_putc(out, '\n')))
			break;
		for (size_t j = 0; j < sub->nfields && !ret; j++) {
			const char *v = value_of(t, &sub->fields[j], el, buf,
						 sizeof buf);
			if (j && (ret = sb_putc(out, '|')))
				break;
			for (; *v && !ret; v++) {
				if (*v == '|' || *v == '\\')
					ret = sb_putc(out, '\\') ||
					      sb_putc(out, *v) ? K_ENOMEM : 0;
				else if (*v == '\n')
					ret = sb_put(out, "\\n", 2);
				else
					ret = sb_putc(out, *v);
			}
		}
	}
	return ret;
}

/* ------------------------------------------------------------- reader */

/* A problem noted, printed at the end in line order. */
struct csvio_note {
	unsigned long line;
	size_t seq;             /* order of discovery, for a stable sort */
	char *text;
};

void csvio_reader_init(struct csvio_reader *r, const char *path,
		       size_t max_cols, size_t row_max, csvio_row_fn row,
		       void *arg)
{
	memset(r, 0, sizeof *r);
	r->path = path;
	r->max_cols = max_cols;
	r->row_max = row_max;
	r->row = row;
	r->arg = arg;
}

void csvio_halt(struct csvio_reader *r, int code, const struct kerr *why)
{
	r->stop = code;
	if (r->stop_err.code)
		return;
	if (why && why->code)
		r->stop_err = *why;
	else
		kerr_set(&r->stop_err, code, NULL, NULL);
	r->stop_err.code = code;
}

/*
 * s made one printable line: control characters and bytes that are not
 * UTF-8 (a column name or a value quoted in a message) become \n, \r,
 * \t or \xHH.  NULL without memory.
 */
static char *one_line(const char *s)
{
	size_t len = strlen(s), k = 0;
	char *out = malloc(len * 4 + 1);

	if (!out)
		return NULL;
	while (*s) {
		uint32_t cp;
		int n = utf8_decode(s, len, &cp);
		unsigned char c = (unsigned char)*s;
		if (n > 0 && cp >= 0x20 && cp != 0x7f &&
		    !(cp >= 0x80 && cp <= 0x9f)) {
			memcpy(out + k, s, (size_t)n);
			k += (size_t)n;
			s += n;
			len -= (size_t)n;
			continue;
		}
		if (n <= 0)
			n = 1;
		if (c == '\n' || c == '\r' || c == '\t') {
			out[k++] = '\\';
			out[k++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		} else {
			for (int i = 0; i < n; i++)
				k += (size_t)sprintf(out + k, "\\x%02X",
						     (unsigned char)s[i]);
		}
		s += n;
		len -= (size_t)n;
	}
	out[k] = '\0';
	return out;
}

void csvio_problem(struct csvio_reader *r, unsigned long line,
		   const char *column, const char *fmt, ...)
{
	char reason[1200], *text;
	size_t n;
	va_list ap;

	if (r->nprobs >= CSVIO_MAX_ERRORS) {
		if (!r->full) {
			r->full = true;
			r->full_line = line;
		}
		if (!r->stop)
			r->stop = K_EINVAL;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (!column)
		column = "";
	n = strlen(r->path) + strlen(column) + strlen(reason) + 32;
	if (!(text = malloc(n)) ||
	    grow(&r->probs, &r->capprobs, r->nprobs, sizeof *r->probs)) {
		free(text);
		csvio_halt(r, K_ENOMEM, NULL);
		return;
	}
	if (*column)
		snprintf(text, n, "%s:%lu: %s: %s", r->path, line, column,
			 reason);
	else
		snprintf(text, n, "%s:%lu: %s", r->path, line, reason);
	r->probs[r->nprobs].line = line;
	r->probs[r->nprobs].seq = r->nprobs;
	r->probs[r->nprobs].text = one_line(text);
	free(text);
	if (!r->probs[r->nprobs].text) {
		csvio_halt(r, K_ENOMEM, NULL);
		return;
	}
	r->nprobs++;
}

static int note_cmp(const void *a, const void *b)
{
	const struct csvio_note *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void csvio_reader_report(struct csvio_reader *r, FILE *errs)
{
	if (r->nprobs)
		qsort(r->probs, r->nprobs, sizeof *r->probs, note_cmp);
	for (size_t i = 0; errs && i < r->nprobs; i++)
		fprintf(errs, "%s\n", r->probs[i].text);
	if (errs && r->full)
		fprintf(errs,
			_("%s:%lu: more than %d errors; the rest of the file was not checked\n"),
			r->path, r->full_line, CSVIO_MAX_ERRORS);
}

void csvio_reader_free(struct csvio_reader *r)
{
	for (size_t i = 0; i < r->nprobs; i++)
		free(r->probs[i].text);
	free(r->probs);
	r->probs = NULL;
	r->nprobs = r->capprobs = 0;
	for (size_t i = 0; i < r->capcur; i++)
		free(r->cur[i].s);
	free(r->cur);
	r->cur = NULL;
	r->ncur = r->capcur = 0;
}

/* libcsv's buffer may not grow past FIELD_MAX: a field that long is an error. */
static bool field_too_big;

static void *capped_realloc(void *p, size_t n)
{
	if (n > FIELD_MAX + 64) {
		field_too_big = true;
		return NULL;
	}
	return realloc(p, n);
}

static void on_field(void *s, size_t len, void *data)
{
	struct csvio_reader *r = data;
	struct csvio_field *f;

	if (r->stop)
		return;
	if (r->nrow++ >= r->max_cols)
		return;                 /* counted, not kept */
	if (r->row_max && r->row_bytes + len > r->row_max) {
		r->row_big = true;
		return;
	}
	r->row_bytes += len;
	if (r->ncur == r->capcur) {
		size_t old = r->capcur;
		if (grow(&r->cur, &r->capcur, r->ncur, sizeof *r->cur)) {
			csvio_halt(r, K_ENOMEM, NULL);
			return;
		}
		memset(r->cur + old, 0, (r->capcur - old) * sizeof *r->cur);
	}
	f = &r->cur[r->ncur];
	if (len + 1 > f->cap) {
		char *np = realloc(f->s, len + 1);
		if (!np) {
			csvio_halt(r, K_ENOMEM, NULL);
			return;
		}
		f->s = np;
		f->cap = len + 1;
	}
	if (len)
		memcpy(f->s, s, len);
	f->s[len] = '\0';
	f->len = len;
	r->ncur++;
}

static void on_row(int c, void *data)
{
	struct csvio_reader *r = data;

	(void)c;
	r->in_row = false;
	if (!r->stop && r->nrow) {
		r->any_row = true;
		r->row(r, r->arg);
	}
	r->ncur = 0;
	r->nrow = 0;
	r->row_bytes = 0;
	r->row_big = false;
}

/* Hands one piece (ending at a CR or LF, or the chunk's end) to libcsv. */
static void feed(struct csvio_reader *r, const char *s, size_t n,
		 unsigned long line)
{
	if (!n || csv_parse(r->p, s, n, on_field, on_row, r) == n)
		return;
	if (r->stop)
		return;                 /* stopped inside a callback */
	if (csv_error(r->p) == CSV_EPARSE)
		csvio_problem(r, line, NULL,
			      _("bad quoting (a quote inside an unquoted field, or text after a closing quote); the rows after this one were not checked"));
	else if (field_too_big)
		csvio_problem(r, r->row_line, NULL,
			      _("a field longer than %u bytes (a quote left open?); the rows after this one were not checked"),
			      FIELD_MAX);
	else
		csvio_halt(r, K_ENOMEM, NULL);
	r->stop = r->stop ? r->stop : K_EINVAL;
}

int csvio_reader_scan(struct csvio_reader *r, FILE *fp, struct kerr *err)
{
	struct csv_parser p;
	char *buf = malloc(CHUNK);
	bool first = true;
	size_t got;

	if (!buf)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
		free(buf);
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	}
	r->p = &p;
	field_too_big = false;
	csv_set_realloc_func(&p, capped_realloc);
	r->line = 1;
	while (!r->stop && (got = fread(buf, 1, CHUNK, fp)) > 0) {
		size_t i = 0, start;
		unsigned long piece_line;

		if (first && got >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
			i = 3;                  /* the UTF-8 byte order mark */
		first = false;
		start = i;
		piece_line = r->line;
		for (; i < got && !r->stop; i++) {
			char c = buf[i];
			if (r->prev_cr && c != '\n')
				r->line++;      /* a lone CR ended a line */
			r->prev_cr = false;
			if (i == start)
				piece_line = r->line;
			if (!r->in_row && c != '\r' && c != '\n' && c != ' ' &&
			    c != '\t') {
				r->in_row = true;
				r->row_line = r->line;
			}
			if (c != '\r' && c != '\n')
				continue;
			feed(r, buf + start, i + 1 - start, piece_line);
			start = i + 1;
			if (c == '\n')
				r->line++;
			else
				r->prev_cr = true;
		}
		if (!r->stop)
			feed(r, buf + start, got - start, piece_line);
	}
	free(buf);
	if (!r->stop && ferror(fp)) {
		csv_free(&p);
		r->p = NULL;
		return kerr_set(err, K_EIO, NULL, _("cannot read %s: %s"),
				r->path, strerror(errno));
	}
	if (!r->stop && csv_fini(&p, on_field, on_row, r) != 0)
		csvio_problem(r, r->row_line, NULL,
			      _("a quoted field is not closed at the end of the file"));
	if (!r->stop && !r->any_row)
		csvio_problem(r, 1, NULL,
			      _("no header row (the file is empty)"));
	csv_free(&p);
	r->p = NULL;
	return 0;
}

/* ------------------------------------------------------------- import */

/* A reference to a code of the entity itself, set after the last row. */
struct pend {
	int64_t id;                     /* the record, once written */
	const struct store_field *list; /* the list field, or NULL */
	size_t elem;                    /* the element, in list */
	const struct store_field *f;    /* the reference field */
	char *code;
	unsigned long line;
};

struct imp {
	struct store *st;
	const struct entity *e;
	const struct csvio_opts *o;
	struct store_txn *t;
	int64_t start_us;
	char login[32];                 /* our stamp, after our first write */

	struct csvio_reader rd;         /* the file, its problems */

	/* the header */
	bool have_header, header_bad;
	const struct store_field **col; /* field of each column, or NULL */
	size_t ncol;
	size_t code_col;

	struct pend *pend;
	size_t npend, cappend;
	struct sbuf part;               /* scratch of the list parser */

	unsigned long rows, written;
	int64_t last_progress;
	const char *busy;               /* table being worked on */
};

/* Keeps a reference to resolve after the last row. */
static int add_pend(struct imp *im, const struct store_field *list,
		    size_t elem, const struct store_field *f, const char *code,
		    unsigned long line)
{
	struct pend *p;

	if (grow(&im->pend, &im->cappend, im->npend, sizeof *im->pend))
		return K_ENOMEM;
	p = &im->pend[im->npend];
	if (!(p->code = trimmed(code)))
		return K_ENOMEM;
	p->id = 0;
	p->list = list;
	p->elem = elem;
	p->f = f;
	p->line = line;
	im->npend++;
	return 0;
}

/* Forgets the references kept since the n-th (a row that failed). */
static void drop_pend(struct imp *im, size_t n)
{
	while (im->npend > n)
		free(im->pend[--im->npend].code);
}

/*
 * Sets field f of rec (a record, or element elem of list when list is
 * set) from text; a reference to a code the entity does not have yet is
 * kept for later (K_ENOTFOUND is not returned for it).
 */
static int set_value(struct imp *im, const struct store_field *list,
		     size_t elem, const struct store_field *f, void *rec,
		     const char *text, unsigned long line, struct kerr *err)
{
	int ret;

	/* Named by "the database is busy" should the look-up be refused. */
	im->busy = f->type == SF_REF && f->ref ? f->ref : im->e->schema->name;
	ret = ent_field_set(im->t, f, rec, text, err);
	if (ret == K_ENOTFOUND && self_ref(im->e, f)) {
		*(int64_t *)fptr(f, rec) = 0;
		if (add_pend(im, list, elem, f, text, line))
			return kerr_set(err, K_ENOMEM, f->name, NULL);
		kerr_clear(err);
		return 0;
	}
	return ret;
}

/*
 * Parses list text (see csvio.h) into list field lf of rec, replacing
 * the list.  Errors name the element: "contact 2: email: ...".
 */
static int set_list(struct imp *im, const struct store_field *lf, void *rec,
		    const char *text, unsigned long line, struct kerr *err)
{
	const struct store_schema *sub = lf->sub;
	struct sbuf *part = &im->part;
	const char *s = text;
	char shape[256];
	struct kerr e2;
	int ret = 0;

	store_field_clear(lf, rec);
	if (!utf8_valid(text, strlen(text)))
		return kerr_set(err, K_EINVAL, lf->name,
				_("not valid UTF-8 text"));
	while (*s && !ret) {
		size_t nth = ((struct store_list *)fptr(lf, rec))->n + 1;
		size_t k = 0;
		void *el;

		if (*s == '\n' || *s == '\r') {         /* an empty line */
			s++;
			continue;
		}
		if (!(el = elem_add(lf, rec)))
			return kerr_set(err, K_ENOMEM, lf->name, NULL);
		for (;;) {
			if ((ret = sb_reset(part)))
				return kerr_set(err, ret, lf->name, NULL);
			while (*s && *s != '|' && *s != '\n' && *s != '\r') {
				char c = *s++;
				if (c == '\\') {
					c = *s;
					if (c == '|' || c == '\\') {
						s++;
					} else if (c == 'n') {
						c = '\n';
						s++;
					} else {
						return kerr_set(err, K_EINVAL,
								lf->name,
								_("%s %zu: a backslash must be followed by |, \\ or n (write \\\\ for a backslash)"),
								sub->name, nth);
					}
				}
				if (sb_putc(part, c))
					return kerr_set(err, K_ENOMEM, lf->name,
							NULL);
			}
			if (k >= sub->nfields) {
				elem_shape(sub, shape, sizeof shape);
				return kerr_set(err, K_EINVAL, lf->name,
						_("%s %zu: more than %zu parts (%s)"),
						sub->name, nth, sub->nfields,
						shape);
			}
			kerr_clear(&e2);
			ret = set_value(im, lf, nth - 1, &sub->fields[k], el,
					part->p, line, &e2);
			if (ret)
				return kerr_set(err, ret, lf->name,
						"%s %zu: %s: %s", sub->name, nth,
						sub->fields[k].name, e2.msg);
			k++;
			if (*s != '|')
				break;
			s++;
		}
	}
	return ret;
}

/* True when rec was written by this import (so its code is in the file twice). */
static bool ours(const struct imp *im, const void *rec)
{
	const struct store_rec *h = rec;

	return im->login[0] && h->mtime_us >= im->start_us &&
	       strcmp(h->muser, im->login) == 0;
}

/* True when name is the field (or list field) of a kept reference of this row. */
static bool waits(const struct imp *im, size_t from, const char *name)
{
	for (size_t i = from; name && i < im->npend; i++) {
		const struct store_field *f =
			im->pend[i].list ? im->pend[i].list : im->pend[i].f;
		if (strcmp(f->name, name) == 0)
			return true;
	}
	return false;
}

static void progress(struct imp *im, bool done)
{
	int64_t now;

	if (!im->o->progress)
		return;
	if (!done) {
		if (im->rows % 256)
			return;
		now = date_now_us();
		if (now - im->last_progress < PROGRESS_US)
			return;
		im->last_progress = now;
	}
	im->o->progress(im->o->arg, im->rows, done);
}

/* --------------------------------------------------------- the header */

static void header(struct imp *im)
{
	const struct store_schema *s = im->e->schema;
	bool have_code = false;
	size_t n = im->rd.ncur;

	im->have_header = true;
	if (im->rd.nrow > n) {
		csvio_problem(&im->rd, im->rd.row_line, NULL,
			      _("the header has %zu columns; at most %d"),
			      im->rd.nrow, MAX_COLS);
		im->header_bad = true;
		return;
	}
	if (!(im->col = calloc(n ? n : 1, sizeof *im->col))) {
		csvio_halt(&im->rd, K_ENOMEM, NULL);
		return;
	}
	im->ncol = n;
	for (size_t i = 0; i < n; i++) {
		const struct csvio_field *v = &im->rd.cur[i];
		const struct store_field *f;
		if (strlen(v->s) != v->len || !utf8_valid(v->s, v->len)) {
			csvio_problem(&im->rd, im->rd.row_line, NULL,
				      _("column %zu: the name is not valid UTF-8"),
				      i + 1);
			continue;
		}
		if (!*v->s) {
			csvio_problem(&im->rd, im->rd.row_line, NULL,
				      _("column %zu has no name"), i + 1);
			continue;
		}
		if (!(f = store_field_find(s, v->s))) {
			char known[1024] = "";
			size_t k = 0;
			for (size_t j = 0; j < s->nfields && k < sizeof known;
			     j++)
				k += (size_t)snprintf(known + k,
						      sizeof known - k,
						      "%s%s", k ? ", " : "",
						      s->fields[j].name);
			csvio_problem(&im->rd, im->rd.row_line, v->s,
				      _("unknown column; the columns of %s are %s"),
				      im->e->name, known);
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (im->col[j] == f) {
				csvio_problem(&im->rd, im->rd.row_line, v->s,
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
		csvio_problem(&im->rd, im->rd.row_line, im->e->code_field,
			      _("the %s column is required"), im->e->code_field);
		im->header_bad = true;
	}
}

/* ------------------------------------------------------------- a row */

static void do_row(struct imp *im)
{
	const struct entity *e = im->e;
	const struct csvio_field *v = im->rd.cur;
	unsigned long line = im->rd.row_line;
	size_t pend0 = im->npend;
	const char *code;
	bool exists = false, bad = false, skip = false;
	struct kerr err;
	void *rec = NULL;
	int ret;

	if (im->rd.nrow != im->ncol) {
		csvio_problem(&im->rd, line, NULL,
			      _("%zu columns where the header has %zu"),
			      im->rd.nrow, im->ncol);
		return;
	}
	im->busy = e->schema->name;
	code = v[im->code_col].s;
	if (*code && strlen(code) == v[im->code_col].len &&
	    utf8_valid(code, v[im->code_col].len)) {
		if (!(rec = calloc(1, e->schema->size))) {
			csvio_halt(&im->rd, K_ENOMEM, NULL);
			return;
		}
		kerr_clear(&err);
		ret = ent_get_code(im->t, e, code, rec, &err);
		if (ret == 0) {
			exists = true;
			if (ours(im, rec)) {
				csvio_problem(&im->rd, line, e->code_field,
					      _("duplicate code %s: an earlier row of the file has it too"),
					      code);
				skip = true;
			} else if (!im->o->update) {
				csvio_problem(&im->rd, line, e->code_field,
					      _("%s %s is already in the database"),
					      e->name, code);
				skip = true;
			}
		} else if (ret != K_ENOTFOUND) {
			csvio_halt(&im->rd, ret, &err);
			ent_free(e, rec);
			return;
		}
		/* A row that cannot be written is still checked, on a new record. */
		if (!exists || skip) {
			ent_free(e, rec);
			rec = NULL;
			exists = false;
		}
	}
	if (!rec && !(rec = ent_new(e))) {
		csvio_halt(&im->rd, K_ENOMEM, NULL);
		return;
	}
	for (size_t i = 0; i < im->ncol && !im->rd.stop; i++) {
		const struct store_field *f = im->col[i];

		if (!f)
			continue;
		if (strlen(v[i].s) != v[i].len) {
			csvio_problem(&im->rd, line, f->name,
				      _("the value holds a NUL byte"));
			bad = true;
			continue;
		}
		kerr_clear(&err);
		if (f->type == SF_LIST)
			ret = set_list(im, f, rec, v[i].s, line, &err);
		else
			ret = set_value(im, NULL, 0, f, rec, v[i].s, line, &err);
		if (ret && fatal(ret)) {
			csvio_halt(&im->rd, ret, &err);
		} else if (ret) {
			csvio_problem(&im->rd, line, f->name, "%s", err.msg);
			bad = true;
		}
	}
	im->busy = e->schema->name;
	if (!bad && !skip && !im->rd.stop) {
		kerr_clear(&err);
		ret = ent_check(im->t, e, rec, &err);
		/* The kept references are checked again once they are set. */
		if (ret && !fatal(ret) && waits(im, pend0, err.field))
			ret = 0;
		if (ret && fatal(ret)) {
			csvio_halt(&im->rd, ret, &err);
		} else if (ret) {
			csvio_problem(&im->rd, line, err.field, "%s", err.msg);
			bad = true;
		}
	}
	if (!bad && !skip && !im->rd.stop) {
		kerr_clear(&err);
		ret = ent_apply(im->t, e, rec, &err);
		if (!ret)
			ret = exists ? store_update(im->t, e->schema, rec, &err) :
				       store_insert(im->t, e->schema, rec, &err);
		if (ret && fatal(ret)) {
			csvio_halt(&im->rd, ret, &err);
		} else if (ret) {
			csvio_problem(&im->rd, line, err.field, "%s", err.msg);
			bad = true;
		} else {
			const struct store_rec *h = rec;
			if (!im->login[0])
				memcpy(im->login, h->muser, sizeof im->login);
			for (size_t i = pend0; i < im->npend; i++)
				im->pend[i].id = h->id;
			im->written++;
		}
	}
	if (bad || skip || im->rd.stop)
		drop_pend(im, pend0);
	ent_free(e, rec);
}

/* Sets the references kept for later, record by record. */
static void resolve(struct imp *im)
{
	const struct entity *e = im->e;
	struct kerr err;
	size_t i = 0;
	int ret;

	while (i < im->npend && !im->rd.stop) {
		size_t j = i;
		int64_t id = im->pend[i].id;
		bool bad = false;
		void *rec;

		while (j < im->npend && im->pend[j].id == id)
			j++;
		if (!(rec = calloc(1, e->schema->size))) {
			csvio_halt(&im->rd, K_ENOMEM, NULL);
			return;
		}
		kerr_clear(&err);
		if ((ret = store_get(im->t, e->schema, id, rec, &err))) {
			csvio_halt(&im->rd, ret, &err);
			ent_free(e, rec);
			return;
		}
		for (size_t k = i; k < j && !im->rd.stop; k++) {
			const struct pend *p = &im->pend[k];
			void *target = p->list ? elem_at(p->list, rec, p->elem) :
						 rec;
			if (!target)
				continue;
			kerr_clear(&err);
			ret = ent_field_set(im->t, p->f, target, p->code, &err);
			if (ret && fatal(ret)) {
				csvio_halt(&im->rd, ret, &err);
			} else if (ret && p->list) {
				csvio_problem(&im->rd, p->line, p->list->name,
					      "%s %zu: %s: %s",
					      p->list->sub->name, p->elem + 1,
					      p->f->name, err.msg);
				bad = true;
			} else if (ret) {
				csvio_problem(&im->rd, p->line, p->f->name,
					      "%s", err.msg);
				bad = true;
			}
		}
		if (!bad && !im->rd.stop) {
			kerr_clear(&err);
			ret = ent_check(im->t, e, rec, &err);
			if (!ret)
				ret = ent_apply(im->t, e, rec, &err);
			if (!ret)
				ret = store_update(im->t, e->schema, rec, &err);
			if (ret && fatal(ret))
				csvio_halt(&im->rd, ret, &err);
			else if (ret)
				csvio_problem(&im->rd, im->pend[i].line,
					      err.field, "%s", err.msg);
		}
		ent_free(e, rec);
		i = j;
	}
}

/* ---------------------------------------------------------- the rows */

/* The reader's row callback: the header, then each row. */
static void import_row(struct csvio_reader *r, void *arg)
{
	struct imp *im = arg;

	if (r->row_big) {
		csvio_problem(r, r->row_line, NULL,
			      _("a row longer than %u bytes"), ROW_MAX);
		if (!im->have_header)
			r->stop = K_EINVAL;
		return;
	}
	if (!im->have_header) {
		header(im);
		if (im->header_bad)
			r->stop = K_EINVAL;
		return;
	}
	im->rows++;
	do_row(im);
	progress(im, false);
}

int csvio_import_opts(struct store *st, const struct entity *e,
		      const char *path, const struct csvio_opts *o,
		      unsigned long *rows, FILE *errs, struct kerr *err)
{
	static const struct csvio_opts none;
	struct imp im = { 0 };
	FILE *fp;
	int ret;

	if (rows)
		*rows = 0;
	im.st = st;
	im.e = e;
	im.o = o ? o : &none;
	im.busy = e->schema->name;
	csvio_reader_init(&im.rd, path, MAX_COLS, ROW_MAX, import_row, &im);
	if (!(fp = fopen(path, "rb")))
		return kerr_set(err, errno == ENOENT ? K_ENOTFOUND : K_EIO,
				NULL, _("cannot open %s: %s"), path,
				strerror(errno));
	im.start_us = date_now_us();
	if ((ret = store_txn_begin(st, false, &im.t, err))) {
		fclose(fp);
		return ret;
	}
	ret = csvio_reader_scan(&im.rd, fp, err);
	fclose(fp);
	if (!ret && !im.rd.stop && im.have_header && !im.header_bad)
		resolve(&im);
	progress(&im, true);
	if (!ret && im.rd.stop_err.code) {
		ret = im.rd.stop_err.code;
		if (ret == K_EBUSY)
			kerr_set(err, K_EBUSY, NULL,
				 _("the database is busy: another user is changing %s; try again"),
				 im.busy);
		else if (ret == K_ENOMEM &&
			 strcmp(im.rd.stop_err.msg, _(kerr_str(K_ENOMEM))) != 0)
			/* The store's: its lock table is full (DB_CONFIG). */
			kerr_set(err, K_ENOMEM, NULL,
				 _("%s:%lu: the database ran out of room for locks (an import is one transaction and locks every page it writes); nothing was imported; import the file in parts"),
				 path, im.rd.row_line);
		else
			*err = im.rd.stop_err;
	}
	if (ret || im.rd.nprobs || im.rd.full || im.o->dry_run) {
		store_txn_abort(&im.t);
	} else if ((ret = store_txn_commit(&im.t, err)) == K_EBUSY) {
		kerr_set(err, K_EBUSY, NULL,
			 _("the database is busy: another user is changing %s; try again"),
			 im.busy);
	}
	if (!ret && (im.rd.nprobs || im.rd.full)) {
		csvio_reader_report(&im.rd, errs);
		ret = kerr_set(err, K_EINVAL, NULL,
			       im.rd.full ? _("%s: more than %zu errors; nothing was imported") :
				       _("%s: %zu error(s); nothing was imported"),
			       path, im.rd.nprobs);
	}
	if (!ret && rows)
		*rows = im.written;
	csvio_reader_free(&im.rd);
	drop_pend(&im, 0);
	free(im.pend);
	free(im.col);
	free(im.part.p);
	return ret;
}

int csvio_import(struct store *st, const struct entity *e, const char *path,
		 bool update, unsigned long *rows, FILE *errs,
		 struct kerr *err)
{
	struct csvio_opts o = { .update = update };

	return csvio_import_opts(st, e, path, &o, rows, errs, err);
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
		     (len && (is_blank(v[0]) || is_blank(v[len - 1])));

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
	struct sbuf list = { 0 };
	char buf[1024];
	int ret, io = 0;

	x->rows = 0;
	if (!rec)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	store_rec_clear(s, rec);
	for (size_t i = 0; i < s->nfields && !io; i++)
		io = put_value(x->out, s->fields[i].name, i == 0);
	if (!io && putc('\n', x->out) == EOF)
		io = -1;
	if ((ret = store_cursor_open(t, s, x->e->code_index, &c, err)))
		goto out;
	while (!io && (ret = store_cursor_next(c, rec, err)) == 0) {
		/* What lives outside the record (a series' next number). */
		if ((ret = ent_fill(t, x->e, rec, err)))
			goto out;
		for (size_t i = 0; i < s->nfields && !io; i++) {
			const struct store_field *f = &s->fields[i];
			const char *v;
			if (f->type == SF_LIST) {
				if (list_text(t, f, rec, &list)) {
					ret = kerr_set(err, K_ENOMEM, NULL,
						       NULL);
					goto out;
				}
				v = list.p;
			} else {
				v = value_of(t, f, rec, buf, sizeof buf);
			}
			io = put_value(x->out, v, i == 0);
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
	free(list.p);
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

/* -------------------------------------------------------------- order */

/* True when e refers to (another) entity d, in its fields or elements. */
static bool refers(const struct entity *e, const struct entity *d)
{
	const struct store_schema *s = e->schema;

	if (e == d)
		return false;
	for (size_t i = 0; i < s->nfields; i++) {
		const struct store_field *f = &s->fields[i];
		if (f->type == SF_REF && f->ref &&
		    strcmp(f->ref, d->schema->name) == 0)
			return true;
		for (size_t j = 0; f->type == SF_LIST && j < f->sub->nfields;
		     j++) {
			const struct store_field *g = &f->sub->fields[j];
			if (g->type == SF_REF && g->ref &&
			    strcmp(g->ref, d->schema->name) == 0)
				return true;
		}
	}
	return false;
}

/* True when e is among the first n of out. */
static bool placed(const struct entity *const *out, size_t n,
		   const struct entity *e)
{
	for (size_t i = 0; i < n; i++)
		if (out[i] == e)
			return true;
	return false;
}

void csvio_order(const struct entity **out)
{
	size_t n = 0;

	while (n < ent_count) {
		size_t before = n;
		for (size_t i = 0; i < ent_count; i++) {
			bool ready = !placed(out, n, ent_all[i]);
			for (size_t j = 0; ready && j < ent_count; j++)
				if (!placed(out, n, ent_all[j]) &&
				    refers(ent_all[i], ent_all[j]))
					ready = false;
			if (ready)
				out[n++] = ent_all[i];
		}
		for (size_t i = 0; n == before && i < ent_count; i++)
			if (!placed(out, n, ent_all[i]))
				out[n++] = ent_all[i];  /* a cycle */
	}
}

/* ------------------------------------------------------------ columns */

static int type_scale(enum store_ftype t)
{
	switch (t) {
	case SF_MONEY: return NUM_MONEY_SCALE;
	case SF_PRICE: return NUM_PRICE_SCALE;
	case SF_QTY:   return NUM_QTY_SCALE;
	case SF_RATE:  return NUM_RATE_SCALE;
	default:       return 0;
	}
}

/* The type of a column in words. */
static void type_words(const struct store_field *f, char *buf, size_t n)
{
	const struct entity *re;
	char shape[256];

	switch (f->type) {
	case SF_TEXT:
		snprintf(buf, n, "%s", _("text"));
		break;
	case SF_INT:
		snprintf(buf, n, "%s", _("whole number"));
		break;
	case SF_MONEY:
	case SF_PRICE:
	case SF_QTY:
	case SF_RATE:
		snprintf(buf, n, _("amount with %d decimals"),
			 type_scale(f->type));
		break;
	case SF_DATE:
		snprintf(buf, n, "%s", _("date YYYY-MM-DD"));
		break;
	case SF_BOOL:
		snprintf(buf, n, "%s", _("yes/no"));
		break;
	case SF_REF:
		re = ent_by_table(f->ref);
		snprintf(buf, n, _("code of %s"), re ? re->name : f->ref);
		break;
	case SF_LIST:
		elem_shape(f->sub, shape, sizeof shape);
		snprintf(buf, n, _("list: %s"), shape);
		break;
	default:
		snprintf(buf, n, "?");
		break;
	}
}

static bool is_empty(const struct store_field *f, const void *rec)
{
	const void *p = fptr(f, rec);

	switch (f->type) {
	case SF_TEXT:
		return !*(char *const *)p || !**(char *const *)p;
	case SF_DATE:
		return *(const kdate *)p == DATE_NONE;
	case SF_BOOL:
		return !*(const bool *)p;
	case SF_LIST:
		return ((const struct store_list *)p)->n == 0;
	default:
		return *(const int64_t *)p == 0;
	}
}

struct cols {
	const struct entity *e;
	char (*note)[512];       /* per field: "required", a rule, or "" */
};

/*
 * Finds which fields the rules refuse empty: checks a new record, notes
 * the field the rule names while it is empty, fills it with a sample
 * ("1", yes, 2000-01-01) and checks again, until the record passes or
 * the rule names a field that cannot be filled without data (a
 * reference, a list) or one that is not empty.
 */
static int cols_fn(struct store_txn *t, void *arg, struct kerr *err)
{
	struct cols *c = arg;
	const struct store_schema *s = c->e->schema;
	void *rec = ent_new(c->e);
	struct kerr ke;

	for (size_t i = 0; i < s->nfields; i++)
		c->note[i][0] = '\0';
	if (!rec)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	/* A reference with a default takes it: never required. */
	for (size_t i = 0; i < c->e->ndefaults; i++) {
		const struct store_field *f =
			store_field_find(s, c->e->defaults[i].field);
		if (f && f->type == SF_REF)
			*(int64_t *)fptr(f, rec) = -1;
	}
	for (size_t round = 0; round <= s->nfields; round++) {
		const struct store_field *f;
		char want[200];
		size_t i;

		kerr_clear(&ke);
		if (!ent_check(t, c->e, rec, &ke) || !ke.field[0] ||
		    !(f = store_field_find(s, ke.field)))
			break;
		i = (size_t)(f - s->fields);
		if (c->note[i][0] || !is_empty(f, rec))
			break;
		snprintf(want, sizeof want, _("%s is required"), f->name);
		snprintf(c->note[i], sizeof c->note[i], "%s",
			 strncmp(ke.msg, want, strlen(want)) == 0 ?
			 _("required") : ke.msg);
		if (f->type == SF_REF || f->type == SF_LIST ||
		    ent_field_set(t, f, rec,
				  f->type == SF_DATE ? "2000-01-01" :
				  f->type == SF_BOOL ? "yes" : "1", NULL))
			break;
	}
	ent_free(c->e, rec);
	return 0;
}

int csvio_columns(struct store *st, const struct entity *e, FILE *out,
		  struct kerr *err)
{
	const struct store_schema *s = e->schema;
	struct cols c = { e, calloc(s->nfields ? s->nfields : 1,
				    sizeof *c.note) };
	char type[300];
	int ret;

	if (!c.note)
		return kerr_set(err, K_ENOMEM, NULL, NULL);
	if ((ret = store_read(st, cols_fn, &c, err)) == 0) {
		for (size_t i = 0; i < s->nfields; i++) {
			const struct store_field *f = &s->fields[i];
			bool code = strcmp(f->name, e->code_field) == 0;
			type_words(f, type, sizeof type);
			if (code && !c.note[i][0])
				snprintf(c.note[i], sizeof c.note[i], "%s",
					 _("required"));
			for (size_t j = 0; j < e->ndefaults && !c.note[i][0];
			     j++)
				if (strcmp(e->defaults[j].field, f->name) == 0)
					snprintf(c.note[i], sizeof c.note[i],
						 _("default %s"),
						 e->defaults[j].value);
			if (c.note[i][0])
				fprintf(out, "%-20s  %-24s  %s\n", f->name,
					type, c.note[i]);
			else
				fprintf(out, "%-20s  %s\n", f->name, type);
		}
		if (fflush(out) != 0)
			ret = kerr_set(err, K_EIO, NULL, "%s", strerror(errno));
	}
	free(c.note);
	return ret;
}
