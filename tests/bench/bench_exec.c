/*
 * bench_exec - the start-up benchmark's timer (tests/bench/start.sh):
 * runs a command again and again and says how long it took.
 *
 *   bench_exec RUNS COMMAND [ARG]...
 *
 * Runs COMMAND once unmeasured (its program and libraries into the page
 * cache), then RUNS times, each from just before fork() to the return of
 * waitpid() (CLOCK_MONOTONIC), its output to /dev/null.  Prints one line
 * of key=value words:
 *   runs=N median_ms=M min_ms=A max_ms=B maxrss_kb=K
 * maxrss_kb is the largest ru_maxrss of the measured runs (the pages of
 * the Berkeley DB regions it touched count).  A run that does not exit
 * with status 0 is an error: exit 1, naming the status.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 1000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One run of argv: its wall time in ms (*ms) and ru_maxrss; 0 or -1. */
static int once(char **argv, double *ms, long *maxrss)
{
	struct rusage ru;
	double t0 = now();
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "bench_exec: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "bench_exec: wait: %s\n", strerror(errno));
			return -1;
		}
	}
	*ms = (now() - t0) * 1000;
	*maxrss = ru.ru_maxrss;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench_exec: %s: %s %d\n", argv[0],
			WIFEXITED(status) ? "exit status" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) :
			WTERMSIG(status));
		return -1;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static double ms[MAX_RUNS];
	long rss, maxrss = 0;
	double warm;
	int runs;

	if (argc < 3 || (runs = atoi(argv[1])) < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "usage: bench_exec RUNS COMMAND [ARG]...\n");
		return 64;
	}
	if (once(argv + 2, &warm, &rss))
		return 1;
	for (int i = 0; i < runs; i++) {
		if (once(argv + 2, &ms[i], &rss))
			return 1;
		if (rss > maxrss)
			maxrss = rss;
	}
	qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
	printf("runs=%d median_ms=%.1f min_ms=%.1f max_ms=%.1f maxrss_kb=%ld\n",
	       runs, ms[(runs - 1) / 2], ms[0], ms[runs - 1], maxrss);
	return 0;
}
