// SPDX-License-Identifier: MIT
/* proc_run - starting one of topo's processes and waiting until it is ready. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nodeenv.h"
#include "proc.h"
#include "rundir.h"
#include "util.h"

/* How long the supervisor may take to report (it only forks and writes). */
#define REPORT_TIMEOUT_MS 5000
#define READY_POLL_NS 20000000L
/* where the environment starts in the supervisor's argv (supervisor_argv) */
#define ENV_AT 6

/* The fds proc_start opens for the child, in the order proc_super.c wants them. */
enum { CH_NULL, CH_LOG, CH_REPORT, CH_DIR, CH_N };

static int open_child_fds(const char *lab, const char *node, const char *name, int fds[CH_N])
{
	char path[320], leaf[RUN_NAME_MAX + 8];
	int err;

	if ((err = rundir_node_path(lab, node, NULL, path, sizeof(path))) < 0 ||
	    (mkdir(path, 0755) < 0 && errno != EEXIST) ||
	    (err = rundir_node_path(lab, node, "run", path, sizeof(path))) < 0 ||
	    (mkdir(path, 0755) < 0 && errno != EEXIST))
		return err < 0 ? err : -errno;
	if ((fds[CH_DIR] = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return -errno;
	snprintf(leaf, sizeof(leaf), "%s.log", name);
	if ((err = rundir_node_path(lab, node, leaf, path, sizeof(path))) < 0)
		return err;
	fds[CH_LOG] = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fds[CH_LOG] < 0)
		return -errno;
	if ((fds[CH_NULL] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	return 0;
}

/*
 * The forked child: into the node, its descriptors in place, then topo's
 * own binary as the supervisor. Only system calls from here on (topo may
 * have had threads when it forked). Never returns.
 */
static void child_exec(const struct proc_where *w, const int fds[CH_N], int report, char **argv)
{
	int hi[CH_N + 1], i, err;
	char **env;

	setsid();	/* no controlling terminal: `topo up | tail` ends */
	if ((err = nodeenv_enter(w->lab, w->node, w->netns_fd)) < 0) {
		dprintf(report, "error: enter node %s: %s\n", w->node, strerror(-err));
		_exit(127);
	}
	/* after nodeenv_enter, which sets TOPO_LAB and TOPO_NODE: the file's win.
	 * (topo has no other thread by now: putenv may allocate.) */
	for (env = argv + ENV_AT; *env; env++)
		putenv(*env);
	if (chdir(w->cwd) < 0) {
		dprintf(report, "error: directory %s: %s\n", w->cwd, strerror(errno));
		_exit(127);
	}
	/* Out of the way of 0..4 first, then in place (dup2 clears CLOEXEC). */
	for (i = 0; i < CH_N; i++)
		hi[i] = fcntl(i == CH_REPORT ? report : fds[i], F_DUPFD_CLOEXEC, 10);
	dup2(hi[CH_NULL], 0);
	dup2(hi[CH_LOG], 1);
	dup2(hi[CH_LOG], 2);
	dup2(hi[CH_REPORT], 3);
	dup2(hi[CH_DIR], 4);
	syscall(SYS_close_range, 5U, ~0U, 0U);
	execv("/proc/self/exe", argv);
	dprintf(3, "error: exec /proc/self/exe: %s\n", strerror(errno));
	_exit(127);
}

/* The supervisor's report from pipe FD: 0 on "ok", else -EIO with its words in ERR. */
static int read_report(int fd, char *err, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[512];
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(buf) - 1 && poll(&p, 1, REPORT_TIMEOUT_MS) > 0) {
		n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(buf, '\n', got))
			break;
	}
	buf[got] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (!strcmp(buf, "ok"))
		return 0;
	snprintf(err, len, "%s", !strncmp(buf, "error: ", 7) ? buf + 7
			   : "the supervisor did not report (see the log)");
	return -EIO;
}

/*
 * The supervisor's arguments, a NULL, then R's environment as KEY=VALUE
 * (ENV_AT on): made before the fork, put in the environment by the child,
 * not on the command line, where every user could read the values.
 */
static char **supervisor_argv(const struct run_spec *r, uint64_t hash)
{
	char **argv = xcalloc(ENV_AT + r->n_env + 1, sizeof(*argv));
	size_t i;

	argv[0] = xstrdup("topo");
	argv[1] = xstrdup(PROC_SUPERVISE);
	argv[2] = xstrdup(r->name);
	argv[3] = xasprintf("%016" PRIx64, hash);
	argv[4] = xstrdup(r->cmd);
	for (i = 0; i < r->n_env; i++)
		argv[ENV_AT + i] = xasprintf("%s=%s", r->env[i].key, r->env[i].value);
	return argv;
}

static void supervisor_argv_free(char **argv)
{
	size_t i;

	for (i = 0; i < ENV_AT - 1; i++)
		free(argv[i]);
	for (i = ENV_AT; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

int proc_start(const struct proc_where *w, const struct run_spec *r, uint64_t hash,
	       struct proc_record *out, char *err, size_t len)
{
	const char *lab = w->lab, *node = w->node;
	int fds[CH_N] = { -1, -1, -1, -1 }, pipefd[2] = { -1, -1 }, e, i;
	char **argv = supervisor_argv(r, hash);
	pid_t pid;

	snprintf(err, len, "start %s", r->name);
	if ((e = open_child_fds(lab, node, r->name, fds)) < 0)
		goto out;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		e = -errno;
		goto out;
	}
	proc_record_forget(lab, node, r->name);
	fflush(NULL);
	if ((pid = fork()) < 0) {
		e = -errno;
		goto out;
	}
	if (pid == 0)
		child_exec(w, fds, pipefd[1], argv);
	close(pipefd[1]);
	pipefd[1] = -1;
	e = read_report(pipefd[0], err, len);
	/* the child failed before it became the supervisor: reap it */
	if (e < 0)
		waitpid(pid, NULL, WNOHANG);
	else if ((e = proc_record_read(lab, node, r->name, out)) < 0)
		snprintf(err, len, "read the record of %s", r->name);
out:
	for (i = 0; i < CH_N; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	for (i = 0; i < 2; i++)
		if (pipefd[i] >= 0)
			close(pipefd[i]);
	supervisor_argv_free(argv);
	return e;
}

bool proc_listens(const char *text, uint16_t port, bool tcp)
{
	const char *line = strchr(text, '\n');	/* the first line is the header */
	unsigned sl, lport, st;
	char local[64];

	for (; line && *line; line = strchr(line + 1, '\n')) {
		/* "  0: 0100007F:1F90 00000000:0000 0A ..." */
		if (sscanf(line + 1, " %u: %63[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x", &sl, local, &lport,
			   &st) != 4)
			continue;
		if (lport == port && (!tcp || st == 0x0A))	/* 0x0A: TCP_LISTEN */
			return true;
	}
	return false;
}

/* Does PID's network namespace have R's port open? /proc/PID/net shows the
 * sockets of the namespace PID is in: no netlink and no traffic needed. */
static bool port_open(pid_t pid, const struct run_spec *r)
{
	static const char *const tables[2][2] = { { "udp", "udp6" }, { "tcp", "tcp6" } };
	bool tcp = r->ready == READY_TCP, found = false;
	char path[64];
	size_t i, cap = 1 << 16;
	char *text = xmalloc(cap);

	for (i = 0; i < 2 && !found; i++) {
		FILE *f;
		size_t n;

		snprintf(path, sizeof(path), "/proc/%d/net/%s", (int)pid, tables[tcp][i]);
		if (!(f = fopen(path, "re")))
			continue;
		for (n = 0; (n += fread(text + n, 1, cap - 1 - n, f)) == cap - 1;)
			text = xrealloc(text, cap *= 2);
		text[n] = '\0';
		fclose(f);
		found = proc_listens(text, r->ready_port, tcp);
	}
	free(text);
	return found;
}

/* Is R ready? Its file seen through the process's own root (so in the
 * node's mounts), or its port. */
static bool is_ready(const struct proc_record *rec, const struct run_spec *r)
{
	char path[4200];

	if (r->ready == READY_FILE) {
		snprintf(path, sizeof(path), "/proc/%d/root%s", (int)rec->pid, r->ready_file);
		return access(path, F_OK) == 0;
	}
	return r->ready == READY_NONE || port_open(rec->pid, r);
}

enum proc_ready_result proc_wait_ready(const char *lab, const char *node, const struct run_spec *r,
				       struct proc_record *rec, const volatile sig_atomic_t *stop)
{
	uint64_t deadline = now_us() + r->ready_timeout_us;
	struct timespec ts = { 0, READY_POLL_NS };

	if (r->ready == READY_NONE)
		return PROC_READY;
	for (;;) {
		proc_record_read(lab, node, r->name, rec);
		if (rec->exited)
			return PROC_EXITED;
		if (is_ready(rec, r))
			return PROC_READY;
		if (stop && *stop)
			return PROC_STOPPED;
		if (now_us() >= deadline)
			break;
		nanosleep(&ts, NULL);
	}
	proc_stop_record(rec, PROC_GRACE_US);
	proc_record_read(lab, node, r->name, rec);
	return PROC_TIMEOUT;
}

int proc_log_tail(const char *lab, const char *node, const char *name, int lines, char *buf,
		  size_t len)
{
	char leaf[RUN_NAME_MAX + 8], path[320];
	const char *p;
	off_t size;
	ssize_t n;
	int fd, err;

	snprintf(leaf, sizeof(leaf), "%s.log", name);
	if ((err = rundir_node_path(lab, node, leaf, path, sizeof(path))) < 0)
		return err;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return -errno;
	size = lseek(fd, 0, SEEK_END);
	n = pread(fd, buf, len - 1, size > (off_t)(len - 1) ? size - (off_t)(len - 1) : 0);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	buf[n] = '\0';
	p = proc_tail(buf, lines);
	memmove(buf, p, strlen(p) + 1);
	return 0;
}

const char *proc_tail(const char *text, int lines)
{
	const char *p = text + strlen(text);

	/* from the end: back over LINES newlines (a last one ends the last line) */
	while (p > text && p[-1] == '\n')
		p--;
	for (; p > text; p--)
		if (p[-1] == '\n' && --lines <= 0)
			break;
	return p;
}
