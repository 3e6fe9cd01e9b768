// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netns.h"
#include "util.h"

bool netns_name_safe(const char *name)
{
	return name[0] && name[0] != '.' && !strchr(name, '/') && strlen(name) < 256;
}

/* Each thread's own namespace, opened once: entering and leaving a lab
 * namespace is then one setns() each way. */
static __thread int home_fd = -1;

static int netns_home(void)
{
	if (home_fd < 0 && (home_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	return home_fd;
}

struct parallel {
	size_t n, next;		/* next: atomic */
	void (*fn)(void *ctx, size_t i);
	void *ctx;
};

static void parallel_work(struct parallel *p)
{
	size_t i;

	while ((i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED)) < p->n)
		p->fn(p->ctx, i);
}

static void *parallel_thread(void *arg)
{
	parallel_work(arg);
	/* A worker thread of our own: let go of its namespace fd as it ends. */
	if (home_fd >= 0)
		close(home_fd);
	home_fd = -1;
	return NULL;
}

/*
 * Each job may leave a namespace fd and a socket open. The kernel grows a
 * descriptor table shared by threads with a synchronize_rcu() per doubling
 * (12 ms each here, three of them on the way to a thousand namespaces);
 * grown once now, while this thread is alone, it costs nothing.
 */
static void fd_table_grow(size_t n)
{
	struct rlimit rl;
	size_t top = 2 * n + 64;
	int fd, home = netns_home();

	if (home < 0 || getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (top >= rl.rlim_cur)
		top = rl.rlim_cur - 1;
	fd = fcntl(home, F_DUPFD_CLOEXEC, (int)top);
	if (fd >= 0)
		close(fd);
}

void netns_parallel(size_t n, size_t max_threads, void (*fn)(void *ctx, size_t i), void *ctx)
{
	struct parallel p = { .n = n, .fn = fn, .ctx = ctx };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	const char *env = getenv("TOPO_THREADS");
	pthread_t tids[16];
	size_t n_threads, i;

	if (env)
		cpus = atol(env);
	n_threads = cpus > 1 ? (size_t)cpus : 1;
	if (n_threads > ARRAY_SIZE(tids))
		n_threads = ARRAY_SIZE(tids);
	if (n_threads > max_threads)
		n_threads = max_threads ? max_threads : 1;
	if (n_threads > 1)
		fd_table_grow(n);
	for (i = 1; i < n_threads; i++)
		if (pthread_create(&tids[i], NULL, parallel_thread, &p))
			break;
	n_threads = i;
	parallel_work(&p);
	for (i = 1; i < n_threads; i++)
		pthread_join(tids[i], NULL);
}

static int netns_path(const char *name, char *buf, size_t len)
{
	if (!netns_name_safe(name))
		return -EINVAL;
	snprintf(buf, len, NETNS_RUN_DIR "/%s", name);
	return 0;
}

int netns_check(const char *name)
{
	char path[300];
	struct statfs sfs;
	int err;

	if ((err = netns_path(name, path, sizeof(path))) < 0)
		return err;
	if (statfs(path, &sfs) < 0)
		return -errno;
	return sfs.f_type == NSFS_MAGIC ? 0 : -ENOTNAM;
}

int netns_open(const char *name)
{
	char path[300];
	struct statfs sfs;
	int fd, err;

	if ((err = netns_path(name, path, sizeof(path))) < 0)
		return err;
	/* Anything but a namespace that someone put there is refused by
	 * its file system type. O_NONBLOCK: a FIFO's open would wait for a
	 * writer; O_NOCTTY: a terminal must not become ours. (No lstat first:
	 * it costs a path walk per node of every read of the lab.) */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return errno == ELOOP ? -ENOTNAM : -errno;
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != NSFS_MAGIC) {
		close(fd);
		return -ENOTNAM;
	}
	return fd;
}

/*
 * /run/netns must be a shared mount point so that the bind mounts on it
 * propagate to other mount namespaces (and unmounting in one frees the
 * namespace everywhere). Upgrade it once, under a lock on the directory,
 * as `ip netns add` does.
 */
static int netns_rundir_prepare(void)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static bool done;
	bool bound = false;
	int dfd, err = 0;

	pthread_mutex_lock(&lock);
	if (done)
		goto out;
	if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST) {
		err = -errno;
		goto out;
	}
	dfd = open(NETNS_RUN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		err = -errno;
		goto out;
	}
	flock(dfd, LOCK_EX);
	while (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
		if (errno != EINVAL || bound) {
			err = -errno;
			break;
		}
		if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0) {
			err = -errno;
			break;
		}
		bound = true;
	}
	flock(dfd, LOCK_UN);
	close(dfd);
	done = err == 0;
out:
	pthread_mutex_unlock(&lock);
	return err;
}

/*
 * The placeholder file is created with O_EXCL, as `ip netns add` does. An
 * empty, unmounted file left by an interrupted create is nobody's namespace
 * and is taken over; anything else under the name is a clash.
 */
static int netns_placeholder_check(const char *path)
{
	struct statfs sfs;
	struct stat st;

	if (lstat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_size != 0)
		return -EEXIST;
	if (statfs(path, &sfs) < 0)
		return -errno;
	return sfs.f_type == NSFS_MAGIC ? -EEXIST : 1;
}

static int netns_placeholder(const char *path)
{
	int fd;

	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno != EEXIST)
		return -errno;
	return netns_placeholder_check(path);
}

int netns_drop_placeholder(const char *name)
{
	char path[300];
	int err;

	if ((err = netns_path(name, path, sizeof(path))) < 0)
		return err;
	if (netns_placeholder_check(path) != 1)
		return 0;
	return unlink(path) < 0 ? -errno : 1;
}

int netns_create(const char *name, int (*prepare)(void *arg), void *arg)
{
	char path[300];
	int saved = -1, fd = -1, err, made;

	if ((err = netns_path(name, path, sizeof(path))) < 0)
		return err;
	if ((err = netns_rundir_prepare()) < 0)
		return err;
	made = netns_placeholder(path);
	if (made < 0)
		return made;
	if ((saved = netns_home()) < 0) {
		err = saved;
		goto fail;
	}
	/* Only this thread moves: other threads keep their namespace. */
	if (unshare(CLONE_NEWNET) < 0) {
		err = -errno;
		goto fail;
	}
	if (prepare && (err = prepare(arg)) < 0)
		goto fail;
	if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0) {
		err = -errno;
		goto fail;
	}
	fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		umount2(path, MNT_DETACH);
		goto fail;
	}
	if (setns(saved, CLONE_NEWNET) < 0)
		abort();	/* cannot go on in the wrong namespace */
	return fd;
fail:
	if (saved >= 0 && setns(saved, CLONE_NEWNET) < 0)
		abort();
	unlink(path);
	return err;
}

int netns_delete(const char *name)
{
	char path[300];
	int err;

	if ((err = netns_path(name, path, sizeof(path))) < 0)
		return err;
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		return -errno;
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int netns_enter(int fd, int *saved)
{
	if ((*saved = netns_home()) < 0)
		return *saved;
	if (setns(fd, CLONE_NEWNET) < 0) {
		*saved = -1;
		return -errno;
	}
	return 0;
}

int netns_leave(int saved)
{
	if (saved < 0)
		return 0;
	if (setns(saved, CLONE_NEWNET) < 0)
		abort();	/* cannot go on in the wrong namespace */
	return 0;
}

int netns_socket(int fd, int domain, int type, int proto)
{
	int saved, sock, err;

	if ((err = netns_enter(fd, &saved)) < 0)
		return err;
	sock = socket(domain, type, proto);
	err = sock < 0 ? -errno : sock;
	netns_leave(saved);
	return err;
}

int netns_exec(int fd, char *const argv[], int out_fd)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (setns(fd, CLONE_NEWNET) < 0)
			_exit(127);
		/* Like `ip netns exec`: a private mount namespace whose /sys
		 * shows the node's interfaces, not the host's. */
		if (unshare(CLONE_NEWNS) == 0 && mount("", "/", "none", MS_SLAVE | MS_REC, NULL) == 0 &&
		    umount2("/sys", MNT_DETACH) == 0)
			mount("sysfs", "/sys", "sysfs", 0, NULL);
		if (out_fd >= 0) {
			dup2(out_fd, STDOUT_FILENO);
			dup2(out_fd, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "topo: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int netns_list(char ***names, size_t *n)
{
	struct dirent *de;
	DIR *d;

	*names = NULL;
	*n = 0;
	d = opendir(NETNS_RUN_DIR);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (!netns_name_safe(de->d_name))
			continue;
		*VEC_PUSH(names, n) = xstrdup(de->d_name);
	}
	closedir(d);
	return 0;
}

int netns_ifindex(int fd, const char *ifname)
{
	struct ifreq ifr = { 0 };
	int s = netns_socket(fd, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r;

	if (s < 0)
		return s;
	/* An interface ioctl answers from the namespace of the socket it is made on. */
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	r = ioctl(s, SIOCGIFINDEX, &ifr) < 0 ? -errno : ifr.ifr_ifindex;
	close(s);
	return r;
}

struct scratch {
	int (*fn)(void *arg);
	void *arg;
	int ret;
};

static void *scratch_thread(void *p)
{
	struct scratch *sc = p;

	/* unshare moves this thread only; the namespace dies with it */
	if (unshare(CLONE_NEWNET) < 0)
		sc->ret = -errno;
	else
		sc->ret = sc->fn(sc->arg);
	return NULL;
}

int netns_scratch_run(int (*fn)(void *arg), void *arg)
{
	struct scratch sc = {.fn = fn, .arg = arg};
	pthread_t th;
	int err;

	if ((err = pthread_create(&th, NULL, scratch_thread, &sc)) != 0)
		return -err;
	pthread_join(th, NULL);
	return sc.ret;
}
