/*
 * driver.c - the plain main() of a fuzz harness (make check): runs
 * LLVMFuzzerTestOneInput() once on each file given, or on each file of
 * each folder given (in name order, hidden files skipped), and prints
 * how many.  The name of each input goes to stderr first, so that the
 * one a harness dies on is the last named.  `fuzz_NAME --seeds DIR`
 * writes the harness's seeds into DIR (fuzz_make_seeds, when it has
 * one).
 */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static void run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL, *exact;
	size_t n = 0, cap = 0, got;

	if (!fp) {
		perror(path);
		exit(1);
	}
	fprintf(stderr, "%s: %s\n", fuzz_name, path);
	do {
		if (n == cap) {
			uint8_t *nb;
			cap = cap ? cap * 2 : 65536;
			if (!(nb = realloc(buf, cap)))
				abort();
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
	} while (got);
	fclose(fp);
	/* exactly n bytes, as libFuzzer gives them: a sanitizer sees a
	 * read past the end */
	if (!(exact = malloc(n ? n : 1)))
		abort();
	memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
}

static int hidden(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

int main(int argc, char **argv)
{
	unsigned long inputs = 0;

	if (argc == 3 && strcmp(argv[1], "--seeds") == 0) {
		if (!fuzz_make_seeds) {
			fprintf(stderr, "%s: no --seeds mode\n", fuzz_name);
			return 2;
		}
		return fuzz_make_seeds(argv[2]) ? 1 : 0;
	}
	for (int i = 1; i < argc; i++) {
		struct stat sb;
		struct dirent **names;
		char path[PATH_MAX * 2];
		int n;

		if (stat(argv[i], &sb) != 0) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(sb.st_mode)) {
			run_file(argv[i]);
			inputs++;
			continue;
		}
		if ((n = scandir(argv[i], &names, hidden, alphasort)) < 0) {
			perror(argv[i]);
			return 1;
		}
		for (int j = 0; j < n; j++) {
			snprintf(path, sizeof path, "%s/%s", argv[i],
				 names[j]->d_name);
			free(names[j]);
			run_file(path);
			inputs++;
		}
		free(names);
	}
	printf("%s: %lu inputs\n", fuzz_name, inputs);
	return 0;
}
