/* runstat: runs a command N times and states how long it took and how much
 * memory it needed, as key=value lines a script can read. Wall time is
 * measured around fork → wait4; peak RSS is the child's own ru_maxrss. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_RUNS	21
#define DEFAULT_WARMUP	1
#define MAX_RUNS	100000

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: runstat [--runs N] [--warmup N] [--show-output] [--] COMMAND [ARG...]\n"
	    "\n"
	    "Runs COMMAND N times, one after the other, and prints key=value lines:\n"
	    "runs, wall_ms_median, wall_ms_min, wall_ms_max, cpu_ms_median (user +\n"
	    "system: less disturbed than wall time by other work on the machine),\n"
	    "maxrss_kib_max, maxrss_kib_median, exit_status (of every run, or \"mixed\"),\n"
	    "other_load_pct (CPU time that other programs took during the runs, in\n"
	    "percent of all CPUs: above a few percent, the wall times are disturbed).\n"
	    "\n"
	    "  --runs N        measured runs (default %d; an odd number has a true median)\n"
	    "  --warmup N      unmeasured runs first, to warm the page cache (default %d)\n"
	    "  --show-output   keep COMMAND's stdout (default: sent to /dev/null, so\n"
	    "                  a terminal's speed is not measured); stderr is always kept\n"
	    "\n"
	    "Exit status: 0 when every run ended with an exit status (whatever it was),\n"
	    "1 when COMMAND could not be run or was killed by a signal, 2 usage.\n",
	    DEFAULT_RUNS, DEFAULT_WARMUP);
}

static int
parse_count(const char *s, long min, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > MAX_RUNS)
		return -1;
	*out = v;
	return 0;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CPU milliseconds the whole machine spent busy so far (/proc/stat); -1
 * when it cannot be read. */
static double
machine_busy_ms(void)
{
	unsigned long long v[8];
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (f == NULL)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
	    &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n != 8)
		return -1;
	return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) * 1e3 /
	    (double)sysconf(_SC_CLK_TCK);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* Runs argv once; fills wall time, peak RSS and exit status. Returns 0, or
 * -1 when it could not be run or died of a signal (message printed). */
static int
run_once(char **argv, int show, double *ms, double *cpu_ms, long *rss_kib, int *status)
{
	struct rusage ru;
	double t0;
	pid_t pid;
	int ws;

	t0 = now_ms();
	pid = fork();
	if (pid == -1) {
		fprintf(stderr, "runstat: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (!show) {
			int fd = open("/dev/null", O_WRONLY);
			if (fd != -1) {
				dup2(fd, STDOUT_FILENO);
				close(fd);
			}
		}
		execvp(argv[0], argv);
		fprintf(stderr, "runstat: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &ws, 0, &ru) == -1) {
		if (errno != EINTR) {
			fprintf(stderr, "runstat: wait4: %s\n", strerror(errno));
			return -1;
		}
	}
	*ms = now_ms() - t0;
	*cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	*rss_kib = ru.ru_maxrss;	/* Linux: KiB */
	if (WIFSIGNALED(ws)) {
		fprintf(stderr, "runstat: %s was killed by signal %d\n", argv[0], WTERMSIG(ws));
		return -1;
	}
	*status = WEXITSTATUS(ws);
	if (*status == 127) {
		fprintf(stderr, "runstat: %s exited 127 (not found?)\n", argv[0]);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	long runs = DEFAULT_RUNS, warmup = DEFAULT_WARMUP;
	int show = 0, first_status = -1, mixed = 0, i;
	double *ms, *cpu, med, cpu_med;
	long *rss, rss_med;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			if (parse_count(argv[++i], 1, &runs) == -1) {
				fprintf(stderr, "runstat: --runs takes a count from 1 to %d\n", MAX_RUNS);
				return 2;
			}
		} else if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc) {
			if (parse_count(argv[++i], 0, &warmup) == -1) {
				fprintf(stderr, "runstat: --warmup takes a count from 0 to %d\n", MAX_RUNS);
				return 2;
			}
		} else if (strcmp(argv[i], "--show-output") == 0) {
			show = 1;
		} else if (argv[i][0] == '-') {
			usage(stderr);
			return 2;
		} else {
			break;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	argv += i;
	ms = calloc((size_t)runs, sizeof(*ms));
	cpu = calloc((size_t)runs, sizeof(*cpu));
	rss = calloc((size_t)runs, sizeof(*rss));
	if (ms == NULL || cpu == NULL || rss == NULL) {
		fprintf(stderr, "runstat: out of memory\n");
		return 1;
	}
	for (long w = 0; w < warmup; w++) {
		double t, c;
		long r;
		int st;
		if (run_once(argv, show, &t, &c, &r, &st) == -1)
			return 1;
	}
	double busy0 = machine_busy_ms(), t_start = now_ms(), own_cpu = 0;
	for (long r = 0; r < runs; r++) {
		int st;
		if (run_once(argv, show, &ms[r], &cpu[r], &rss[r], &st) == -1)
			return 1;
		if (first_status == -1)
			first_status = st;
		else if (st != first_status)
			mixed = 1;
	}
	double busy1 = machine_busy_ms(), t_span = now_ms() - t_start;
	for (long r = 0; r < runs; r++)
		own_cpu += cpu[r];
	qsort(ms, (size_t)runs, sizeof(*ms), cmp_double);
	qsort(cpu, (size_t)runs, sizeof(*cpu), cmp_double);
	qsort(rss, (size_t)runs, sizeof(*rss), cmp_long);
	med = runs % 2 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
	cpu_med = runs % 2 ? cpu[runs / 2] : (cpu[runs / 2 - 1] + cpu[runs / 2]) / 2;
	rss_med = runs % 2 ? rss[runs / 2] : (rss[runs / 2 - 1] + rss[runs / 2]) / 2;
	printf("runs=%ld\n", runs);
	printf("wall_ms_median=%.3f\n", med);
	printf("wall_ms_min=%.3f\n", ms[0]);
	printf("wall_ms_max=%.3f\n", ms[runs - 1]);
	printf("cpu_ms_median=%.3f\n", cpu_med);
	printf("maxrss_kib_max=%ld\n", rss[runs - 1]);
	printf("maxrss_kib_median=%ld\n", rss_med);
	if (mixed)
		printf("exit_status=mixed\n");
	else
		printf("exit_status=%d\n", first_status);
	if (busy0 >= 0 && busy1 >= 0 && t_span > 0) {
		double other = busy1 - busy0 - own_cpu;
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		printf("other_load_pct=%.0f\n",
		    (other < 0 ? 0 : other) * 100 / (t_span * (double)(ncpu > 0 ? ncpu : 1)));
	}
	free(ms);
	free(cpu);
	free(rss);
	return 0;
}
