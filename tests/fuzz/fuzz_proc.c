/* fuzz_proc: a running program as p2p.absent and antivirus.present see it —
 * its name (comm: any user can set their process's name), the target of
 * its exe link and its command line (the user's own) — read from a
 * proc/1234 folder under a scratch root by proc_list_load, then matched
 * against every process pattern of the default policy and one more. The
 * input is: pattern NUL comm NUL exe-target NUL cmdline (the rest, NULs
 * and all).
 *
 * Invariants: the process is listed once, with its pid, a comm of at most
 * 15 bytes without a newline, and a Wine program name only if it ends in
 * ".exe" and holds no path; a match returns one of the process's own
 * names; a comm that matches a pattern whole also matches it as a cut
 * name (proc_glob_prefix_match), since a name starting with it — itself —
 * matches. The extra pattern is kept to four '*' at most: patterns come
 * from the policy, and fnmatch(3) itself backtracks. */
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scratch.h"
#include "agent/scan.h"
#include "platform/proc.h"

static struct root root;
static struct policy pol;

static void
cleanup(void)
{
	root_close(&root);
	policy_free(&pol);
	scratch_remove();
}

static void
init(void)
{
	struct policy_known k = scan_known_checks();
	char path[128];
	struct mm_err e;

	scratch_make("fuzz_proc");
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/proc", scratch);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proc/1234", scratch);
	mkdir(path, 0755);
	/* Not a process: /proc has such entries, and they are skipped. */
	snprintf(path, sizeof(path), "%s/proc/self", scratch);
	if (symlink("1234", path) != 0)
		abort();
	scratch_put("proc/uptime", "1.0 1.0\n", 8);
	if (root_open(&root, scratch, ROOT_DEFAULT, &e) != 0 ||
	    policy_load_buf(&pol, NULL, 0, NULL, &k, &e) != 0)
		abort();
}

static void
match(const struct proc_entry *p, const char *pattern)
{
	const char *m = proc_match(p, pattern);

	if (m != NULL && m != p->comm && m != p->wine_prog &&
	    m != proc_base_name(p->exe))
		__builtin_trap();
	if (strchr(pattern, '/') == NULL && p->comm[0] != '\0' &&
	    fnmatch(pattern, p->comm, FNM_CASEFOLD) == 0 &&
	    !proc_glob_prefix_match(pattern, p->comm))
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *pattern, *comm, *exe, *end;
	char link[128];
	struct proc_list pl;
	struct mm_err e;
	size_t stars = 0;
	char *b;

	if (scratch[0] == '\0')
		init();
	if ((b = malloc(size + 1)) == NULL)
		abort();
	memcpy(b, data, size);
	b[size] = '\0';
	pattern = b;
	comm = pattern + strlen(pattern) + 1;
	exe = comm <= b + size ? comm + strlen(comm) + 1 : NULL;
	if (exe == NULL || exe > b + size) {
		free(b);
		return 0;
	}
	end = exe + strlen(exe) + 1;
	for (const char *s = pattern; *s; s++)
		stars += *s == '*';

	scratch_put("proc/1234/comm", comm, strlen(comm));
	scratch_put("proc/1234/cmdline", end, end <= b + size ? (size_t)(b + size - end) : 0);
	snprintf(link, sizeof(link), "%s/proc/1234/exe", scratch);
	unlink(link);
	/* A link's target is at most PATH_MAX; a longer one is no link. */
	if (exe[0] != '\0' && strlen(exe) < 4000 && symlink(exe, link) != 0)
		abort();

	err_clear(&e);
	if (proc_list_load(&root, 16, &pl, &e) != FILE_OK || !pl.present || pl.n != 1)
		__builtin_trap();
	{
		const struct proc_entry *p = &pl.v[0];
		size_t wl = strlen(p->wine_prog);

		if (p->pid != 1234 || strlen(p->comm) > PROC_COMM_MAX ||
		    strchr(p->comm, '\n') != NULL || strlen(p->exe) >= sizeof(p->exe))
			__builtin_trap();
		if (wl > 0 && (wl < 4 || strcasecmp(p->wine_prog + wl - 4, ".exe") != 0 ||
		    strchr(p->wine_prog, '/') != NULL || strchr(p->wine_prog, '\\') != NULL))
			__builtin_trap();
		for (size_t i = 0; i < pol.p2p.n; i++)
			for (size_t k = 0; k < pol.p2p.v[i].processes.n; k++)
				match(p, pol.p2p.v[i].processes.v[k]);
		for (size_t i = 0; i < pol.antivirus.n; i++)
			for (size_t k = 0; k < pol.antivirus.v[i].processes.n; k++)
				match(p, pol.antivirus.v[i].processes.v[k]);
		if (stars <= 4)
			match(p, pattern);
	}
	proc_list_free(&pl);
	free(b);
	return 0;
}
