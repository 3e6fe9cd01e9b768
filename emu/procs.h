/* SPDX-License-Identifier: MIT */
#ifndef TOPO_PROCS_H
#define TOPO_PROCS_H

/*
 * The processes of a lab: every process whose network namespace is one of
 * the lab's, whoever started it (topo's `run:`, an `ip netns exec`, a
 * daemon that forked), found through /proc. A namespace is known by the
 * identity of its nsfs inode (stat of /run/netns/NAME or /proc/PID/ns/net),
 * never by a name, so a namespace deleted from /run/netns is still found.
 *
 * Signals go through a pidfd opened after the pid was seen in the
 * namespace and checked again, so a pid reused meanwhile never gets one.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A network namespace, by its inode. */
struct procs_ns {
	dev_t dev;
	ino_t ino;
};

/* procs_ns_of - the identity of the namespace file PATH into *NS. 0 or -errno. */
int procs_ns_of(const char *path, struct procs_ns *ns);

/* procs_in - the pids of the processes (not this one) whose network
 * namespace is one of NS[0..N), into a new array. 0, -EPERM when one of
 * them is this process's own namespace (never a lab's), or -errno. */
int procs_in(const struct procs_ns *ns, size_t n, pid_t **pids, size_t *n_pids);

/* What procs_stop did. */
struct procs_stopped {
	size_t termed;		/* processes sent SIGTERM */
	size_t killed;		/* of them (or of ones forked meanwhile), still there after the grace: SIGKILL */
	size_t left;		/* still there after SIGKILL and a second grace (stuck in the kernel) */
};

/*
 * procs_stop - stop every process in one of the namespaces NS[0..N):
 * SIGTERM, then SIGKILL for those still there after GRACE_US (0: at
 * once), and a last wait of at most a second. New processes that appear
 * in the namespaces meanwhile (children forked on SIGTERM) are stopped
 * too. *STOP (unless NULL) ends the waits early. 0 or -errno; *OUT says
 * what was done.
 */
int procs_stop(const struct procs_ns *ns, size_t n, uint64_t grace_us,
	       const volatile sig_atomic_t *stop, struct procs_stopped *out);

/* procs_signal - send SIG to PID through a pidfd, only if PID is still in
 * one of NS[0..N) when it is opened. 0, -ESRCH when it is gone or
 * elsewhere, -EPERM as procs_in, or -errno. */
int procs_signal(pid_t pid, int sig, const struct procs_ns *ns, size_t n);

/* One thing that keeps a namespace alive. */
struct procs_holder {
	size_t ns;		/* index into the namespaces asked about */
	pid_t pid;		/* the process holding it, or whose mount namespace has the mount */
	char comm[32];		/* its command (/proc/PID/comm) */
	char how[192];		/* "its thread 12 is in it", "has it open (fd 5)", "mounted at /x" */
};

/*
 * procs_holders - everything outside this process that still holds one of
 * NS[0..N): a process with a thread in it, an open descriptor of it, a
 * mount of it (in any mount namespace). Into a new array. 0 or -errno.
 */
int procs_holders(const struct procs_ns *ns, size_t n, struct procs_holder **out, size_t *n_out);

#endif
