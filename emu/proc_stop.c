// SPDX-License-Identifier: MIT
/*
 * proc_stop - stopping one of topo's processes: SIGTERM to its process
 * group, SIGKILL after a grace. Kept apart so that `down` and `up` stop
 * processes the one way.
 */
#include <errno.h>
#include <signal.h>
#include <time.h>

#include "proc.h"
#include "util.h"

#define POLL_US 10000

static void nap(void)
{
	struct timespec ts = { 0, POLL_US * 1000 };

	nanosleep(&ts, NULL);
}

/*
 * Is anything left of PID's group? Its leader (while it is the process that
 * started at START), or any member: the kernel does not hand out a pid
 * again while it names a live process group, so -PID reaches only what PID
 * started. A zombie leader counts until its supervisor reaps it (at once).
 */
static bool group_left(pid_t pid, unsigned long long start)
{
	return proc_is(pid, start) || kill(-pid, 0) == 0;
}

static void group_signal(pid_t pid, unsigned long long start, int sig)
{
	/* the leader itself too: it may have moved to a group of its own */
	if (proc_is(pid, start))
		kill(pid, sig);
	kill(-pid, sig);
}

int proc_stop(pid_t pid, unsigned long long start, uint64_t grace_us)
{
	uint64_t deadline;
	int round;

	if (!proc_is(pid, start))
		return -ESRCH;
	for (round = 0; round < 2; round++) {
		group_signal(pid, start, round ? SIGKILL : SIGTERM);
		/* SIGKILL is not refused: a second is for the kernel to get through */
		deadline = now_us() + (round ? 1000000 : grace_us);
		while (group_left(pid, start)) {
			if (now_us() >= deadline)
				break;
			nap();
		}
		if (!group_left(pid, start))
			return 0;
	}
	return -ETIMEDOUT;
}

int proc_stop_record(const struct proc_record *r, uint64_t grace_us)
{
	uint64_t deadline;
	int err = proc_stop(r->pid, r->start, grace_us);

	if (err == -ESRCH)
		err = 1;
	if (err < 0)
		return err;
	/* The supervisor writes the exit status and goes: wait for it so that
	 * the status is in the record, and no old supervisor is left. */
	deadline = now_us() + 1000000;
	while (r->super > 0 && proc_is(r->super, r->super_start) && now_us() < deadline)
		nap();
	return err;
}
