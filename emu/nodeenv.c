// SPDX-License-Identifier: MIT
/*
 * nodeenv - entering a node's own view (nodeenv.h), in a forked child
 * before exec. Everything here happens in the child's own mount
 * namespace, but for the node's UTS namespace, bound once at
 * /run/topo/<lab>/<node>/uts so that every process of the node shares it.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "netns.h"
#include "nodeenv.h"
#include "rundir.h"
#include "util.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/* What nodeenv_enter failed on (one process: it runs in a fork). */
static char failed_on[PATH_MAX];

/* ERR (negative) after noting WHAT it was for. */
static int failed(const char *what, int err)
{
	if (err < 0)
		snprintf(failed_on, sizeof(failed_on), "%s", what);
	return err;
}

const char *nodeenv_failed(void)
{
	return failed_on;
}

/*
 * The node's UTS namespace: joined when bound at its `uts`, else made,
 * named and bound there. Under a lock on the node's directory, so that
 * two processes started at once in a new node share one namespace.
 */
static int enter_uts(const char *lab, const char *node)
{
	char dir[256], path[256];
	struct statfs sfs;
	int dfd, fd, err = 0;

	if ((err = rundir_node_path(lab, node, NULL, dir, sizeof(dir))) < 0 ||
	    (err = rundir_node_path(lab, node, "uts", path, sizeof(path))) < 0 ||
	    (err = rundir_node_make(lab, node)) < 0)
		return err;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	while (flock(dfd, LOCK_EX) < 0)
		if (errno != EINTR) {
			err = -errno;
			goto out;
		}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd >= 0 && fstatfs(fd, &sfs) == 0 && sfs.f_type == NSFS_MAGIC) {
		err = setns(fd, CLONE_NEWUTS) < 0 ? -errno : 0;
		close(fd);
		goto out;
	}
	if (fd >= 0)
		close(fd);
	else if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444)) >= 0)
		close(fd);
	else if (errno != EEXIST) {
		err = -errno;
		goto out;
	}
	/* A fork is single-threaded: /proc/self is this thread's namespace. */
	if (unshare(CLONE_NEWUTS) < 0 || sethostname(node, strlen(node)) < 0 ||
	    mount("/proc/self/ns/uts", path, NULL, MS_BIND, NULL) < 0)
		err = -errno;
out:
	close(dfd);	/* and the lock with it */
	return err;
}

/* The paths this process made inside its mount namespace: a mimic's
 * tmpfs and what was made in it, the node's dirs. Made further, nothing
 * reaches the host's filesystem. */
struct made {
	char **paths;
	size_t n;
};

static bool made_has(const struct made *m, const char *path)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->paths[i], path))
			return true;
	return false;
}

/* A copy of entry NAME of directory FD (the host's DIR, now covered) in
 * the tmpfs over DIR: a directory or a file bound from the host's, a
 * symbolic link made again. */
static int mimic_entry(int fd, const char *dir, const char *name)
{
	char src[64 + NAME_MAX], dst[PATH_MAX], target[PATH_MAX];
	struct stat st;
	ssize_t n;
	int out;

	if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;	/* gone meanwhile */
	snprintf(src, sizeof(src), "/proc/self/fd/%d/%s", fd, name);
	if ((size_t)snprintf(dst, sizeof(dst), "%s/%s", strcmp(dir, "/") ? dir : "", name) >=
	    sizeof(dst))
		return -ENAMETOOLONG;
	if (S_ISLNK(st.st_mode)) {
		if ((n = readlinkat(fd, name, target, sizeof(target) - 1)) < 0)
			return -errno;
		target[n] = '\0';
		return symlink(target, dst) < 0 ? -errno : 0;
	}
	if (S_ISDIR(st.st_mode)) {
		if (mkdir(dst, st.st_mode & 07777) < 0)
			return -errno;
	} else {
		if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
			return -errno;
		close(out);
	}
	return mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0 ? -errno : 0;
}

/*
 * Cover DIR with a tmpfs that shows what DIR had (each entry bound from
 * the host's), so that what the node needs can be made in it without
 * making anything on the host. Not an overlay over DIR: an overlay does
 * not show the mounts below its lower directory (/run/netns/NAME, a
 * container's bound /etc/hosts), and its upper directory would have to
 * live somewhere; a tmpfs with binds shows them all.
 */
static int mimic(const char *dir, struct made *m)
{
	char opts[64];
	struct dirent *e;
	struct stat st;
	int fd, err = 0;
	DIR *d;

	if (!strcmp(dir, "/"))
		return -EXDEV;	/* the root cannot be covered under a running process */
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	snprintf(opts, sizeof(opts), "mode=%o,uid=%u,gid=%u", st.st_mode & 07777, st.st_uid,
		 st.st_gid);
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	if (!(d = fdopendir(fd))) {
		err = -errno;
		close(fd);
		return err;
	}
	while (!err && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			err = mimic_entry(dirfd(d), dir, e->d_name);
	closedir(d);
	*VEC_PUSH(&m->paths, &m->n) = xstrdup(dir);
	return err;
}

/* Make PATH (a directory when DIR, else an empty file) to mount on, in a
 * mimic of its nearest existing ancestor unless that is ours already. */
static int target_make(const char *path, bool dir, struct made *m)
{
	char anc[PATH_MAX], part[PATH_MAX], *slash;
	const char *next;
	struct stat st;
	size_t at;
	int fd, err;

	if (stat(path, &st) == 0)
		return 0;
	snprintf(anc, sizeof(anc), "%s", path);
	do {
		slash = strrchr(anc, '/');
		slash[slash == anc] = '\0';	/* "/etc" -> "/" */
	} while (stat(anc, &st) < 0);
	if (!made_has(m, anc) && (err = mimic(anc, m)) < 0)
		return err;
	/* Then each missing component below it, the last as asked. All of
	 * them are in our tmpfs now: a dangling symbolic link there (mimicked
	 * from the host's) is replaced, never followed to the host. */
	for (at = strcmp(anc, "/") ? strlen(anc) : 0; path[at]; at = strlen(part)) {
		next = strchr(path + at + 1, '/');
		snprintf(part, sizeof(part), "%.*s", next ? (int)(next - path) : (int)strlen(path),
			 path);
		if (lstat(part, &st) == 0 && S_ISLNK(st.st_mode) && unlink(part) < 0)
			return -errno;
		if (next || dir) {
			if (mkdir(part, 0755) < 0 && errno != EEXIST)
				return -errno;
		} else if ((fd = open(part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				      0644)) < 0) {
			return -errno;
		} else {
			close(fd);
		}
		*VEC_PUSH(&m->paths, &m->n) = xstrdup(part);
	}
	return 0;
}

/* Bind FROM over PATH (made if missing), read-only with RDONLY. */
static int bind_over(const char *from, const char *path, bool dir, bool rdonly, struct made *m)
{
	int err;

	if ((err = target_make(path, dir, m)) < 0)
		return failed(path, err);
	if (mount(from, path, NULL, MS_BIND, NULL) < 0)
		return failed(path, -errno);
	if (rdonly && mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
		return failed(path, -errno);
	if (dir)
		*VEC_PUSH(&m->paths, &m->n) = xstrdup(path);
	return 0;
}

/* The entries of the node's `mounts` record, parents first; then the
 * lab's hosts file over /etc/hosts unless the node has its own. */
static int bind_all(const char *lab, const char *node, struct made *m)
{
	char dir[256], rec[256], from[PATH_MAX], *line = NULL;
	bool own_hosts = false;
	size_t cap = 0;
	ssize_t len;
	int err = 0;
	FILE *f;

	if ((err = rundir_node_path(lab, node, NULL, dir, sizeof(dir))) < 0 ||
	    (err = rundir_node_path(lab, node, "mounts", rec, sizeof(rec))) < 0)
		return err;
	if (!(f = fopen(rec, "re")) && errno != ENOENT)
		return failed(rec, -errno);
	while (f && !err && (len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (len < 3 || (line[0] != 'f' && line[0] != 'd') || line[1] != ' ' || line[2] != '/')
			continue;	/* the first line, the hash */
		snprintf(from, sizeof(from), "%s/%s%s", dir, line[0] == 'f' ? "files" : "dirs",
			 line + 2);
		err = bind_over(from, line + 2, line[0] == 'd', false, m);
		own_hosts |= !strcmp(line + 2, "/etc/hosts");
	}
	free(line);
	if (f)
		fclose(f);
	if (err || own_hosts || rundir_path(lab, NODEENV_HOSTS, from, sizeof(from)) < 0 ||
	    access(from, F_OK) < 0)
		return err;
	/* Read-only: one file for the whole lab. */
	return bind_over(from, "/etc/hosts", false, true, m);
}

int nodeenv_enter(const char *lab, const char *node, int netns_fd)
{
	struct made m = { 0 };
	size_t i;
	int err;

	failed_on[0] = '\0';
	if (setns(netns_fd, CLONE_NEWNET) < 0)
		return failed("the network namespace", -errno);
	if ((err = enter_uts(lab, node)) < 0)
		return failed("the UTS namespace", err);
	/* As `ip netns exec`: a mount namespace of its own, which sees the
	 * host's later mounts but shows it none of its own, and a /sys that
	 * shows the node's interfaces. */
	if (unshare(CLONE_NEWNS) < 0 || mount("", "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return failed("a mount namespace", -errno);
	if (umount2("/sys", MNT_DETACH) == 0 && mount("sysfs", "/sys", "sysfs", 0, NULL) < 0)
		return failed("/sys", -errno);
	err = bind_all(lab, node, &m);
	for (i = 0; i < m.n; i++)
		free(m.paths[i]);
	free(m.paths);
	if (err < 0)
		return err;
	if (setenv("TOPO_LAB", lab, 1) < 0 || setenv("TOPO_NODE", node, 1) < 0)
		return -errno;
	return 0;
}

int nodeenv_exec(const char *lab, const char *node, int netns_fd, char *const argv[], int out_fd)
{
	pid_t pid;
	int err;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if ((err = nodeenv_enter(lab, node, netns_fd)) < 0) {
			fprintf(stderr, "topo: enter node %s of lab %s: %s: %s\n", node, lab,
				nodeenv_failed(),
				err == -EXDEV ? "its directory is missing under /, and topo makes "
						"nothing on the host" : strerror(-err));
			_exit(127);
		}
		if (out_fd >= 0) {
			dup2(out_fd, STDOUT_FILENO);
			dup2(out_fd, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "topo: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return netns_wait(pid);
}
