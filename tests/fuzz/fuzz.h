/*
 * fuzz.h - what the fuzz harnesses share.
 *
 * Each harness (fuzz_csv.c, fuzz_codec.c, fuzz_conf.c, fuzz_form.c)
 * defines LLVMFuzzerTestOneInput() and fuzz_name.  `make fuzz` links it
 * with fuzzutil.c and libFuzzer (clang -fsanitize=fuzzer), which brings
 * its own main(); `make check` links it with fuzzutil.c and driver.c,
 * a plain main() that runs each file of the seed corpus once.
 */
#ifndef KONTOR_TESTS_FUZZ_H
#define KONTOR_TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The harness's name, for messages: "fuzz_codec". */
extern const char fuzz_name[];

/*
 * A folder of the harness's own under $TMPDIR (else /tmp), made on the
 * first call and removed with what it holds at exit.
 */
const char *fuzz_dir(void);

/* Writes size bytes of data to path; aborts when it cannot. */
void fuzz_write(const char *path, const void *data, size_t size);

/*
 * True when msg reads "FILE:LINE: text" with LINE a number from 1:
 * FILE (cut to n bytes) goes to file, LINE to *line.
 */
bool fuzz_where(const char *msg, char *file, size_t n, unsigned long *line);

/*
 * Lines of file path (a last line without '\n' counts): 0 when it is
 * empty or cannot be read.
 */
unsigned long fuzz_lines(const char *path);

/* Removes path, a folder with all it holds. */
void fuzz_rm_rf(const char *path);

/*
 * Prints "fuzz_NAME: message" and aborts: libFuzzer keeps the input as
 * a crash, the plain driver dies and make check fails.
 */
void fuzz_fail(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/*
 * Prints "fuzz_NAME: message" to stderr when $FUZZ_VERBOSE is set (what
 * became of each seed: `FUZZ_VERBOSE=1 tests/fuzz/fuzz_conf DIR`).
 */
void fuzz_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The plain driver's helper mode, `fuzz_NAME --seeds DIR`: a harness
 * that can make its seed corpus (the codec's records) defines this;
 * it writes the seeds into DIR and returns 0.
 */
int fuzz_make_seeds(const char *dir) __attribute__((weak));

#endif
