// SPDX-License-Identifier: MIT
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "proc.h"
#include "procs.h"
#include "util.h"

int procs_ns_of(const char *path, struct procs_ns *ns)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	ns->dev = st.st_dev;
	ns->ino = st.st_ino;
	return 0;
}

/* Which of NS[0..N) the namespace file PATH is: its index, or -1. */
static long ns_index(const char *path, const struct procs_ns *ns, size_t n)
{
	struct procs_ns id = { 0 };
	size_t i;

	if (procs_ns_of(path, &id) < 0)
		return -1;	/* gone, or a zombie: it holds no namespace */
	for (i = 0; i < n; i++)
		if (ns[i].dev == id.dev && ns[i].ino == id.ino)
			return (long)i;
	return -1;
}

/* A /proc entry that is a process: its pid, or 0. */
static pid_t pid_of(const char *name)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)name[0]))
		return 0;
	v = strtol(name, &end, 10);
	return *end || v <= 0 ? 0 : (pid_t)v;
}

static long pid_ns_index(pid_t pid, const struct procs_ns *ns, size_t n)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	return ns_index(path, ns, n);
}

/*
 * Is PID another topo only passing through (a thread of it enters each
 * namespace for a moment: `up` of another lab reading every namespace's
 * mark, `list`, `status`)? Such a process is no process of the lab's, and
 * stopping it would stop another lab's `up`. A supervisor of `run:`
 * (`topo __supervise`) lives in the node: it is the lab's.
 */
static bool topo_visitor(pid_t pid)
{
	char path[64], comm[32] = "", args[64];
	struct stat self, exe;
	ssize_t len;
	bool topo;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	topo = stat("/proc/self/exe", &self) == 0 && stat(path, &exe) == 0 &&
	       self.st_dev == exe.st_dev && self.st_ino == exe.st_ino;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if (!topo && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		len = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		topo = len > 0 && !strcmp(comm, "topo\n");
	}
	if (!topo)
		return false;
	/* argv[1] of the supervisor: PROC_SUPERVISE */
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return true;
	len = read(fd, args, sizeof(args) - 1);
	close(fd);
	if (len <= 0)
		return true;
	args[len] = '\0';
	return !(strlen(args) + 1 < (size_t)len && !strcmp(args + strlen(args) + 1, PROC_SUPERVISE));
}

int procs_in(const struct procs_ns *ns, size_t n, pid_t **pids, size_t *n_pids)
{
	struct dirent *de;
	pid_t pid, self = getpid();
	DIR *d;

	*pids = NULL;
	*n_pids = 0;
	/* Never the namespace topo itself runs in (the host's, bound under a
	 * lab's name by someone): stopping its processes would stop the machine. */
	if (ns_index("/proc/self/ns/net", ns, n) >= 0)
		return -EPERM;
	if (!(d = opendir("/proc")))
		return -errno;
	while ((de = readdir(d))) {
		pid = pid_of(de->d_name);
		if (pid && pid != self && pid_ns_index(pid, ns, n) >= 0 && !topo_visitor(pid))
			*VEC_PUSH(pids, n_pids) = pid;
	}
	closedir(d);
	return 0;
}

int procs_signal(pid_t pid, int sig, const struct procs_ns *ns, size_t n)
{
	int fd, err = 0;

	/* The pidfd pins the process: checked in the namespace after it is
	 * open, the signal cannot reach a newcomer with a reused pid. */
	if (ns_index("/proc/self/ns/net", ns, n) >= 0)
		return -EPERM;	/* as procs_in */
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0 && errno != ENOSYS)
		return -errno;
	if (pid_ns_index(pid, ns, n) < 0)
		err = -ESRCH;
	else if (fd >= 0 && syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) < 0)
		err = -errno;
	else if (fd < 0 && kill(pid, sig) < 0)	/* no pidfds (Linux < 5.3) */
		err = -errno;
	if (fd >= 0)
		close(fd);
	return err;
}

/* Signal every process in the namespaces not in SENT yet (SIG: all of
 * them). How many are in them now; new ones are added to SENT. */
static int signal_round(const struct procs_ns *ns, size_t n, int sig, struct strmap *sent,
			size_t *n_sent, size_t *n_now)
{
	pid_t *pids;
	size_t i, k;
	char key[16];
	int err;

	if ((err = procs_in(ns, n, &pids, &k)) < 0)
		return err;
	*n_now = k;
	for (i = 0; i < k; i++) {
		snprintf(key, sizeof(key), "%d", (int)pids[i]);
		if (sig != SIGKILL && !strmap_put(sent, key, strlen(key), 0, NULL))
			continue;	/* had its SIGTERM */
		if (procs_signal(pids[i], sig, ns, n) == 0)
			(*n_sent)++;
	}
	free(pids);
	return 0;
}

/* Until the namespaces are empty or DEADLINE: SIGTERM newcomers on the way. */
static int wait_empty(const struct procs_ns *ns, size_t n, uint64_t deadline,
		      const volatile sig_atomic_t *stop, struct strmap *sent, size_t *termed,
		      size_t *left)
{
	int err;

	for (;;) {
		if ((err = signal_round(ns, n, SIGTERM, sent, termed, left)) < 0)
			return err;
		if (!*left || now_us() >= deadline || (stop && *stop))
			return 0;
		usleep(10000);
	}
}

int procs_stop(const struct procs_ns *ns, size_t n, uint64_t grace_us,
	       const volatile sig_atomic_t *stop, struct procs_stopped *out)
{
	struct strmap sent = { 0 };
	size_t left = 0, sent_kill = 0;
	int err;

	memset(out, 0, sizeof(*out));
	err = wait_empty(ns, n, now_us() + grace_us, stop, &sent, &out->termed, &left);
	if (!err && left) {
		err = signal_round(ns, n, SIGKILL, &sent, &sent_kill, &left);
		out->killed = sent_kill;
		/* SIGKILL is not instant: a process in the middle of a long
		 * system call finishes it first. */
		if (!err)
			err = wait_empty(ns, n, now_us() + 1000000, NULL, &sent, &out->termed,
					 &out->left);
	}
	strmap_free(&sent);
	return err;
}

static void comm_of(pid_t pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(buf, len, "?");
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static void holder_add(struct procs_holder **out, size_t *n_out, size_t ns, pid_t pid,
		       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void holder_add(struct procs_holder **out, size_t *n_out, size_t ns, pid_t pid,
		       const char *fmt, ...)
{
	struct procs_holder *h = VEC_PUSH(out, n_out);
	va_list ap;

	h->ns = ns;
	h->pid = pid;
	if (pid)
		comm_of(pid, h->comm, sizeof(h->comm));
	va_start(ap, fmt);
	vsnprintf(h->how, sizeof(h->how), fmt, ap);
	va_end(ap);
}

/* Each entry of /proc/PID/SUB that is one of the namespaces: a thread in it, an fd of it. */
static void scan_links(pid_t pid, const char *sub, const char *leaf, const struct procs_ns *ns,
		       size_t n, struct procs_holder **out, size_t *n_out)
{
	char dir[64], path[384];
	struct dirent *de;
	long k;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/%s", (int)pid, sub);
	if (!(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s%s", dir, de->d_name, leaf);
		if ((k = ns_index(path, ns, n)) < 0)
			continue;
		if (leaf[0] && atoi(de->d_name) == pid)
			holder_add(out, n_out, (size_t)k, pid, "is in it");
		else if (leaf[0])
			holder_add(out, n_out, (size_t)k, pid, "its thread %s is in it", de->d_name);
		else
			holder_add(out, n_out, (size_t)k, pid, "has it open (fd %s)", de->d_name);
	}
	closedir(d);
}

/* The mounts of the namespaces in the mount namespace PID is in
 * (/proc/PID/mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT ...", the root
 * of an nsfs mount being "net:[INO]"). PID 0: report it as ours. */
static void scan_mounts(pid_t pid, bool ours, const struct procs_ns *ns, size_t n,
			struct procs_holder **out, size_t *n_out)
{
	char path[64], *line = NULL, root[64], point[4096];
	unsigned maj, min;
	size_t cap = 0, i;
	uint64_t ino;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)pid);
	if (!(f = fopen(path, "re")))
		return;
	while (getline(&line, &cap, f) > 0) {
		if (sscanf(line, "%*s %*s %u:%u %63s %4095s", &maj, &min, root, point) != 4 ||
		    sscanf(root, "net:[%" SCNu64 "]", &ino) != 1)
			continue;
		for (i = 0; i < n; i++) {
			if (ns[i].dev != makedev(maj, min) || ns[i].ino != ino)
				continue;
			if (ours)
				holder_add(out, n_out, i, 0, "mounted at %s", point);
			else
				holder_add(out, n_out, i, pid,
					   "mounted at %s in its mount namespace", point);
		}
	}
	free(line);
	fclose(f);
}

int procs_holders(const struct procs_ns *ns, size_t n, struct procs_holder **out, size_t *n_out)
{
	struct procs_ns own_mnt = { 0 }, mnt = { 0 };
	struct strmap seen = { 0 };
	struct dirent *de;
	pid_t pid, self = getpid();
	char path[64], key[48];
	DIR *d;

	*out = NULL;
	*n_out = 0;
	if (!(d = opendir("/proc")))
		return -errno;
	procs_ns_of("/proc/self/ns/mnt", &own_mnt);
	while ((de = readdir(d))) {
		if (!(pid = pid_of(de->d_name)))
			continue;
		if (pid != self) {
			scan_links(pid, "task", "/ns/net", ns, n, out, n_out);
			scan_links(pid, "fd", "", ns, n, out, n_out);
		}
		/* each mount namespace once: the first process seen in it names it */
		snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
		if (procs_ns_of(path, &mnt) < 0)
			continue;
		snprintf(key, sizeof(key), "%ju:%ju", (uintmax_t)mnt.dev, (uintmax_t)mnt.ino);
		if (strmap_put(&seen, key, strlen(key), 0, NULL))
			scan_mounts(pid, mnt.dev == own_mnt.dev && mnt.ino == own_mnt.ino, ns, n, out,
				    n_out);
	}
	closedir(d);
	strmap_free(&seen);
	return 0;
}
