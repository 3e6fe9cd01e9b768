// SPDX-License-Identifier: MIT
/*
 * The prober's share of descriptors: how many it may hold, so that a lab of
 * thousands of nodes runs its targets in waves instead of failing on EMFILE.
 */
#include <dirent.h>
#include <sys/resource.h>

#include "probe_int.h"

size_t probe_nofile(void)
{
	struct rlimit rl;

	/* A big lab holds thousands of sockets at once. */
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1u << 20)
		return 1u << 20;
	return (size_t)rl.rlim_cur;
}

size_t probe_fds_open(void)
{
	DIR *d = opendir("/proc/self/fd");
	size_t n = 0;

	if (!d)
		return 64;
	while (readdir(d))
		n++;
	closedir(d);
	return n;	/* ".", ".." and the directory's own fd: a little over, which is safe */
}

void probe_fd_plan(size_t limit, size_t open, size_t *inflight_max, size_t *budget)
{
	size_t used = open + 16 + limit / 32;
	size_t rest = limit > used + 16 ? limit - used : 16;

	if (*inflight_max > rest / 2)
		*inflight_max = rest / 2;
	*budget = rest - *inflight_max;
}
