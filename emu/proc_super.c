// SPDX-License-Identifier: MIT
/*
 * proc_super - the supervisor of one of topo's processes.
 *
 * A process's exit status must be known after topo itself has exited
 * (`status` says "exited with status 1"), and only a parent learns it. So
 * each process gets a parent of its own: `topo up` forks, enters the node,
 * and execs its own binary (/proc/self/exe) as `topo PROC_SUPERVISE ...`,
 * which forks the program, writes the record, and waits to append the exit
 * status to it. It is an exec and not a bare fork so that what lives on for
 * days is a small process (not a copy of topo's heap, the lab's model and
 * its open namespaces) that `ps` shows as what it is.
 *
 * Its descriptors, set by proc_start: 0 /dev/null, 1 and 2 the log, 3 the
 * pipe to report "ok" (or "error: ...") on, 4 the node's record directory
 * (held from before entering the node, whose mounts may hide /run/topo).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"

enum { FD_REPORT = 3, FD_DIR = 4 };

static volatile pid_t child;

/* SIGTERM to the supervisor (`down` signals every process of the lab) is
 * for the program: passed on to its group, the status still recorded. */
static void pass_on(int sig)
{
	if (child > 0)
		kill(-child, sig);
}

/* To proc_start: "ok", or "error: WHAT: why". */
static void report(const char *what, int err)
{
	if (what)
		dprintf(FD_REPORT, "error: %s: %s\n", what, strerror(err));
	else
		dprintf(FD_REPORT, "ok\n");
	close(FD_REPORT);
}

static int record_write(const char *name, const char *hash, const char *cmd, pid_t pid,
			unsigned long long start)
{
	unsigned long long self_start = 0;
	char tmp[RUN_NAME_MAX + 8], state;
	int fd;

	proc_start_time(getpid(), &self_start, &state);
	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = openat(FD_DIR, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
		    0644);
	if (fd < 0)
		return -errno;
	dprintf(fd, "pid %d %llu\nsupervisor %d %llu\nhash %s\nsince %lld\ncmd ", (int)pid, start,
		(int)getpid(), self_start, hash, (long long)time(NULL));
	for (; *cmd; cmd++)
		dprintf(fd, "%c", *cmd == '\n' || *cmd == '\r' ? ' ' : *cmd);
	dprintf(fd, "\n");
	/* kept open: the exit status goes to this record, not to a newer one
	 * that a later `up` may have put under the same name */
	if (renameat(FD_DIR, tmp, FD_DIR, name) < 0) {
		int err = -errno;

		close(fd);
		unlinkat(FD_DIR, tmp, 0);
		return err;
	}
	return fd;
}

/*
 * The process is over once its leader is: what it left in its group (the
 * command of `sh -c "a; b"` when the shell is killed, a child it did not
 * wait for) gets SIGTERM, then SIGKILL after the grace, so that a restart
 * does not find the old one still holding its port. While a member lives
 * the kernel keeps the group's id its own.
 */
static void group_end(pid_t pgid)
{
	struct timespec nap = { 0, 20000000L };
	int i;

	if (kill(-pgid, SIGTERM) < 0)
		return;
	for (i = 0; (uint64_t)i * 20000 < PROC_GRACE_US; i++) {
		if (kill(-pgid, 0) < 0)
			return;
		nanosleep(&nap, NULL);
	}
	kill(-pgid, SIGKILL);
}

/*
 * Copy the log NAME.log (the supervisor's stdout; the node directory is
 * FD_DIR's parent) to NAME.log.1 and empty it once it is past
 * PROC_LOG_MAX. The program holds its own descriptor of the log, opened
 * O_APPEND: after the truncation it writes at the new end, 0. What it
 * writes between the copy and the truncation is lost, a moment's worth.
 */
static void log_keep(const char *name)
{
	char log[RUN_NAME_MAX + 8], old[RUN_NAME_MAX + 8], tmp[RUN_NAME_MAX + 16];
	struct stat st;
	ssize_t n;
	off_t left;
	int in, out;

	if (fstat(STDOUT_FILENO, &st) < 0 || st.st_size <= PROC_LOG_MAX)
		return;
	snprintf(log, sizeof(log), "../%s.log", name);
	snprintf(old, sizeof(old), "../%s.log.1", name);
	snprintf(tmp, sizeof(tmp), "../.%s.log.1.tmp", name);
	if ((in = openat(FD_DIR, log, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return;
	out = openat(FD_DIR, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (out >= 0) {
		/* what it had when looked at: a program that writes on faster
		 * than the copy goes must not make it endless */
		for (left = st.st_size, n = 1; left > 0 && n > 0; left -= n)
			n = sendfile(out, in, NULL, left < (1 << 20) ? (size_t)left : (1 << 20));
		close(out);
		if (n >= 0 && renameat(FD_DIR, tmp, FD_DIR, old) == 0)
			ftruncate(STDOUT_FILENO, 0);
		else
			unlinkat(FD_DIR, tmp, 0);
	}
	close(in);
}

/* Wait for PID's end into *STATUS, keeping its log short meanwhile. 0, or -1. */
static int wait_keeping_log(pid_t pid, const char *name, const sigset_t *chld, int *status)
{
	struct timespec every = { PROC_LOG_CHECK_S, 0 };
	pid_t r;

	for (;;) {
		if ((r = waitpid(pid, status, WNOHANG)) == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		log_keep(name);
		/* SIGCHLD is blocked: its arrival ends the wait at once */
		sigtimedwait(chld, NULL, &every);
	}
}

static void program(const char *cmd, const sigset_t *mask)
{
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	/* its own session and group: stopping it reaches what it forks */
	setsid();
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	fprintf(stderr, "topo: /bin/sh: %s\n", strerror(errno));
	_exit(127);
}

/* ARGV: PROC_SUPERVISE NAME HASH CMD (the environment is the program's) */
int proc_supervise(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = pass_on };
	unsigned long long start = 0;
	sigset_t block, old, chld;
	int fd, status;
	char state;
	pid_t pid;

	if (argc < 4)
		return 2;
	/* an ignored SIGCHLD (exec keeps it) would make waitpid fail */
	signal(SIGCHLD, SIG_DFL);
	fcntl(FD_REPORT, F_SETFD, FD_CLOEXEC);
	fcntl(FD_DIR, F_SETFD, FD_CLOEXEC);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	if ((pid = fork()) < 0) {
		report("fork", errno);
		return 1;
	}
	if (pid == 0)
		program(argv[3], &old);
	child = pid;
	proc_start_time(pid, &start, &state);
	if ((fd = record_write(argv[1], argv[2], argv[3], pid, start)) < 0) {
		kill(-pid, SIGKILL);
		report("write the record", -fd);
		return 1;
	}
	report(NULL, 0);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	if (wait_keeping_log(pid, argv[1], &chld, &status) < 0)
		return 1;
	dprintf(fd, "exit %d %lld\n", WIFSIGNALED(status) ? 128 + WTERMSIG(status)
							 : WEXITSTATUS(status),
		(long long)time(NULL));
	close(fd);
	group_end(pid);
	return 0;
}
