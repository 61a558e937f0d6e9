/*
 * draft.c - what a clerk typed but did not save, kept when the process
 * must leave (the SSH link dropped, the watcher evicted it) and offered
 * back the next time that clerk opens that screen.
 *
 * A draft is a small text file HOME/drafts/LOGIN/FORM.draft, outside
 * the database: writing it must work when the database cannot be
 * touched (an eviction happens because the environment is stuck), and
 * a draft is not a record (nothing validates it; it may be half typed).
 * Written to a temporary file, synced, then renamed: a draft is whole
 * or absent.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/date.h"
#include "base/i18n.h"
#include "ui/ui_int.h"

bool ui_draft_accepted;

static int path_of(const char *form, char *buf, size_t n, bool mkdirs)
{
	int w;

	w = snprintf(buf, n, "%s/drafts", U->home);
	if (mkdirs)
		mkdir(buf, 0770);
	w = snprintf(buf, n, "%s/drafts/%s", U->home, U->user->login);
	if (mkdirs)
		mkdir(buf, 0700);
	w = snprintf(buf, n, "%s/drafts/%s/%s.draft", U->home,
		     U->user->login, form);
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

static void put_esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

/* Unescapes s in place up to the next tab or end; returns the rest. */
static char *take(char *s, char **out)
{
	char *r = s, *w = s;

	*out = s;
	while (*r && *r != '\t' && *r != '\n') {
		if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
			r++;
		} else {
			*w++ = *r++;
		}
	}
	if (*r == '\t') {
		*w = '\0';
		return r + 1;
	}
	*w = '\0';
	return NULL;
}

int draft_save(const char *form, const struct draft *d, struct kerr *err)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	FILE *f;
	int fd;

	if (path_of(form, path, sizeof path, true))
		return kerr_set(err, K_EIO, NULL, _("draft path too long"));
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		return kerr_set(err, K_EIO, NULL, _("cannot write %s: %s"),
				tmp, strerror(errno));
	}
	fprintf(f, "kontor-draft 1\nid\t%lld\nversion\t%lu\nsaved\t%lld\ncode\t",
		(long long)d->id, (unsigned long)d->version,
		(long long)d->saved_us);
	put_esc(f, d->code);
	fputc('\n', f);
	for (size_t i = 0; i < d->n; i++) {
		fputs("f\t", f);
		put_esc(f, d->names[i]);
		fputc('\t', f);
		put_esc(f, d->values[i]);
		fputc('\n', f);
	}
	if (d->ncols) {
		fprintf(f, "grid\t%zu\n", d->ncols);
		for (size_t r = 0; r < d->nrows; r++) {
			fputc('r', f);
			for (size_t c = 0; c < d->ncols; c++) {
				fputc('\t', f);
				put_esc(f, d->cells[r * d->ncols + c]);
			}
			fputc('\n', f);
		}
	}
	fputs("end\n", f);
	if (fflush(f) || fsync(fileno(f))) {
		fclose(f);
		unlink(tmp);
		return kerr_set(err, K_EIO, NULL, _("cannot write %s: %s"),
				tmp, strerror(errno));
	}
	fclose(f);
	if (rename(tmp, path)) {
		unlink(tmp);
		return kerr_set(err, K_EIO, NULL, _("cannot write %s: %s"),
				path, strerror(errno));
	}
	return 0;
}

void draft_free(struct draft *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->names[i]);
		free(d->values[i]);
	}
	free(d->names);
	free(d->values);
	for (size_t i = 0; i < d->nrows * d->ncols; i++)
		free(d->cells[i]);
	free(d->cells);
	free(d->code);
	memset(d, 0, sizeof *d);
}

int draft_load(const char *form, struct draft *d, struct kerr *err)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	bool whole = false;

	memset(d, 0, sizeof *d);
	if (path_of(form, path, sizeof path, false) || !(f = fopen(path, "r")))
		return kerr_set(err, K_ENOTFOUND, NULL, _("no draft"));
	while ((len = getline(&line, &cap, f)) > 0) {
		char *rest, *a, *b;
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (strcmp(line, "end") == 0) {
			whole = true;
			break;
		}
		if (strncmp(line, "id\t", 3) == 0)
			d->id = strtoll(line + 3, NULL, 10);
		else if (strncmp(line, "version\t", 8) == 0)
			d->version = (uint32_t)strtoul(line + 8, NULL, 10);
		else if (strncmp(line, "saved\t", 6) == 0)
			d->saved_us = strtoll(line + 6, NULL, 10);
		else if (strncmp(line, "code\t", 5) == 0) {
			take(line + 5, &a);
			free(d->code);
			d->code = strdup(a);
		} else if (strncmp(line, "f\t", 2) == 0) {
			rest = take(line + 2, &a);
			if (!rest)
				continue;
			take(rest, &b);
			char **nn = realloc(d->names, (d->n + 1) * sizeof *nn);
			if (nn)
				d->names = nn;
			char **vv = realloc(d->values, (d->n + 1) * sizeof *vv);
			if (vv)
				d->values = vv;
			if (!nn || !vv)
				break;
			d->names[d->n] = strdup(a);
			d->values[d->n] = strdup(b);
			d->n++;
		} else if (strncmp(line, "grid\t", 5) == 0) {
			d->ncols = strtoul(line + 5, NULL, 10);
			if (d->ncols > 64)
				d->ncols = 0;
		} else if (line[0] == 'r' && (line[1] == '\t' || !line[1]) &&
			   d->ncols) {
			char **cc = realloc(d->cells, (d->nrows + 1) * d->ncols *
					    sizeof *cc);
			if (!cc)
				break;
			d->cells = cc;
			rest = line[1] ? line + 2 : NULL;
			for (size_t c = 0; c < d->ncols; c++) {
				if (rest) {
					rest = take(rest, &a);
					cc[d->nrows * d->ncols + c] = strdup(a);
				} else {
					cc[d->nrows * d->ncols + c] = strdup("");
				}
			}
			d->nrows++;
		}
	}
	free(line);
	fclose(f);
	if (!whole) {
		draft_free(d);
		return kerr_set(err, K_ECORRUPT, NULL, _("draft %s is cut short"),
				path);
	}
	return 0;
}

void draft_remove(const char *form)
{
	char path[PATH_MAX];

	if (path_of(form, path, sizeof path, false) == 0)
		unlink(path);
}
