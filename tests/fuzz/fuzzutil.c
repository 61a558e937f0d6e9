/*
 * fuzzutil.c - the temporary folder, file writing and failing that the
 * fuzz harnesses share (fuzz.h).
 */
#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static char dir[PATH_MAX];

void fuzz_rm_rf(const char *path)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;
	char sub[PATH_MAX * 2];

	if (lstat(path, &sb) != 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		unlink(path);
		return;
	}
	if ((d = opendir(path))) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
				snprintf(sub, sizeof sub, "%s/%s", path,
					 de->d_name);
				fuzz_rm_rf(sub);
			}
		closedir(d);
	}
	rmdir(path);
}

static void remove_dir(void)
{
	if (dir[0])
		fuzz_rm_rf(dir);
}

const char *fuzz_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (dir[0])
		return dir;
	snprintf(dir, sizeof dir, "%s/kontor-%s-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp", fuzz_name);
	if (!mkdtemp(dir)) {
		perror(dir);
		abort();
	}
	atexit(remove_dir);
	return dir;
}

void fuzz_write(const char *path, const void *data, size_t size)
{
	FILE *fp = fopen(path, "wb");

	if (!fp || (size && fwrite(data, 1, size, fp) != size) ||
	    fclose(fp) != 0) {
		perror(path);
		abort();
	}
}

bool fuzz_where(const char *msg, char *file, size_t n, unsigned long *line)
{
	for (const char *p = msg; (p = strchr(p, ':')) != NULL; p++) {
		const char *q = p + 1;
		unsigned long v = 0;

		if (*q < '1' || *q > '9')
			continue;
		while (*q >= '0' && *q <= '9' && v < 100000000)
			v = v * 10 + (unsigned long)(*q++ - '0');
		if (q[0] != ':' || q[1] != ' ')
			continue;
		snprintf(file, n, "%.*s", (int)(p - msg), msg);
		*line = v;
		return p > msg;
	}
	return false;
}

unsigned long fuzz_lines(const char *path)
{
	FILE *fp = fopen(path, "rb");
	unsigned long n = 0;
	int c, last = '\n';

	if (!fp)
		return 0;
	while ((c = getc(fp)) != EOF) {
		if (c == '\n')
			n++;
		last = c;
	}
	fclose(fp);
	return n + (last != '\n');
}

void fuzz_note(const char *fmt, ...)
{
	static int verbose = -1;
	va_list ap;

	if (verbose < 0)
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (!verbose)
		return;
	fprintf(stderr, "%s: ", fuzz_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", fuzz_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
