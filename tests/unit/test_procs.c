// SPDX-License-Identifier: MIT
/*
 * procs.c without root: namespace identities, the refusal to touch the
 * namespace topo runs in, and a holder found by its open descriptor. (The
 * stopping itself needs namespaces of its own: tests/integration/down_procs.sh.)
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "procs.h"

static void test_ns_of(void **state)
{
	struct procs_ns a, b;

	(void)state;
	assert_int_equal(procs_ns_of("/proc/self/ns/net", &a), 0);
	assert_int_equal(procs_ns_of("/proc/1/../self/ns/net", &b), 0);
	assert_true(a.dev == b.dev && a.ino == b.ino);
	assert_int_equal(procs_ns_of("/nonexistent/ns", &b), -ENOENT);
}

/* The namespace topo runs in is never a lab's: listing (and so stopping)
 * its processes is refused, and no signal goes out. */
static void test_own_namespace_refused(void **state)
{
	struct procs_ns own[2] = { { 0 } };
	struct procs_stopped st;
	pid_t *pids = NULL;
	size_t n = 7;

	(void)state;
	assert_int_equal(procs_ns_of("/proc/self/ns/net", &own[1]), 0);
	assert_int_equal(procs_in(own, 2, &pids, &n), -EPERM);
	assert_null(pids);
	assert_int_equal(n, 0);
	assert_int_equal(procs_stop(own, 2, 0, NULL, &st), -EPERM);
	assert_int_equal(st.termed, 0);
	assert_int_equal(procs_signal(getppid(), 0, own, 2), -EPERM);
	/* a namespace no process is in: nothing, and nothing to signal */
	assert_int_equal(procs_in(own, 1, &pids, &n), 0);
	assert_int_equal(n, 0);
	free(pids);
	assert_int_equal(procs_signal(getpid(), 0, own, 1), -ESRCH);
}

/* A child that opened a namespace file is named as holding it, with its
 * command and the descriptor. */
static void test_holder_fd(void **state)
{
	struct procs_holder *h = NULL;
	struct procs_ns ns;
	char want[64];
	size_t n = 0, i, found = 0;
	int ready[2];
	pid_t child;
	char c;

	(void)state;
	assert_int_equal(procs_ns_of("/proc/self/ns/net", &ns), 0);
	assert_int_equal(pipe(ready), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		int fd = open("/proc/self/ns/net", O_RDONLY);

		dup2(fd, 42);
		(void)!write(ready[1], "x", 1);
		pause();
		_exit(0);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(procs_holders(&ns, 1, &h, &n), 0);
	snprintf(want, sizeof(want), "has it open (fd 42)");
	for (i = 0; i < n; i++) {
		assert_int_equal(h[i].ns, 0);
		assert_true(h[i].pid != getpid() || !strncmp(h[i].how, "mounted", 7));
		if (h[i].pid == child && !strcmp(h[i].how, want))
			found++;
	}
	assert_int_equal(found, 1);
	free(h);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(ready[0]);
	close(ready[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ns_of),
		cmocka_unit_test(test_own_namespace_refused),
		cmocka_unit_test(test_holder_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
