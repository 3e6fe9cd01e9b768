// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"
#include "observe.h"
#include "util.h"

static void print_diags(const struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n_msgs; i++) {
		char *s = diag_format(d, i);

		fprintf(stderr, "%s\n", s);
		free(s);
	}
}

struct topology *cmd_load(const char *file)
{
	struct diag d = { .file = file };
	struct topology *t = NULL;
	int err;

	if ((err = topo_load(file, &t, &d)) == 0)
		topo_check(t, &d);
	print_diags(&d);
	/* Reading the file failed before there was anything to point at. */
	if (err < 0 && !d.n_errors)
		fprintf(stderr, "topo: %s: %s\n", file, strerror(-err));
	if (d.n_errors) {
		topo_free(t);
		t = NULL;
	}
	diag_free(&d);
	return t;
}

static bool looks_like_file(const char *arg)
{
	size_t n = strlen(arg);

	return strchr(arg, '/') || (n > 5 && !strcmp(arg + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(arg + n - 4, ".yml")) || access(arg, F_OK) == 0;
}

int cmd_load_lab(const char *arg, char lab[TOPO_NAME_MAX + 1], struct topology **t)
{
	char kept[256];

	*t = NULL;
	if (looks_like_file(arg)) {
		if (!(*t = cmd_load(arg)))
			return EXIT_ERR;
		snprintf(lab, TOPO_NAME_MAX + 1, "%s", (*t)->name);
		return 0;
	}
	if (!name_valid(arg)) {
		fprintf(stderr, "topo: '%s' is neither a lab file nor a lab name\n", arg);
		return EXIT_ERR;
	}
	snprintf(lab, TOPO_NAME_MAX + 1, "%s", arg);
	snprintf(kept, sizeof(kept), TOPO_RUN_DIR "/%s/lab.yaml", arg);
	if (access(kept, F_OK) == 0 && !(*t = cmd_load(kept)))
		return EXIT_ERR;
	return 0;
}

bool cmd_need_root(const char *what)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { 0 };
	uint32_t need = (1u << CAP_SYS_ADMIN) | (1u << CAP_NET_ADMIN);

	if (syscall(SYS_capget, &hdr, data) == 0 && (data[0].effective & need) == need)
		return true;
	fprintf(stderr,
		"topo: %s needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN, to enter and change network "
		"namespaces); run it as root or with sudo\n",
		what);
	return false;
}

/* A directory of ours: made by us, or already there as a real directory
 * (never through a symlink someone planted). */
static int run_dir(const char *path)
{
	struct stat st;

	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (lstat(path, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	return 0;
}

int lab_lock(const char *lab, bool create)
{
	char dir[128], path[160];
	struct stat a, b;
	int fd, err;

	if (!name_valid(lab)) {
		fprintf(stderr, "topo: invalid lab name '%s'\n", lab);
		return -1;
	}
	snprintf(dir, sizeof(dir), TOPO_RUN_DIR "/%s", lab);
	snprintf(path, sizeof(path), "%s/lock", dir);
	/* Only looking at a lab that was never brought up: nothing to
	 * serialise with, and nothing to leave behind. */
	if (!create && access(dir, F_OK) < 0)
		return LAB_NO_LOCK;
	for (;;) {
		if ((err = run_dir(TOPO_RUN_DIR)) < 0 || (err = run_dir(dir)) < 0) {
			fprintf(stderr, "topo: %s: %s\n", dir, strerror(-err));
			return -1;
		}
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0) {
			fprintf(stderr, "topo: %s: %s\n", path, strerror(errno));
			return -1;
		}
		while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
			;
		/* `down` removes the lock file while holding it: a waiter that
		 * got the lock on the removed file must take the new one. */
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino)
			return fd;
		close(fd);
	}
}

void lab_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

void lab_keep_file(const char *lab, const char *file)
{
	char path[160], tmp[176], buf[65536];
	int in, out;
	ssize_t n;

	snprintf(path, sizeof(path), TOPO_RUN_DIR "/%s/lab.yaml", lab);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	in = open(file, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return;
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (out >= 0) {
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)n) != n)
				break;
		close(out);
		if (rename(tmp, path) < 0)
			unlink(tmp);
	}
	close(in);
}

void lab_forget(const char *lab, int fd)
{
	char dir[128], path[512];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), TOPO_RUN_DIR "/%s", lab);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	stop_flag = sig;
}

volatile sig_atomic_t *cmd_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return &stop_flag;
}

bool cmd_flag(const char *arg, const char *name)
{
	return arg[0] == '-' && arg[1] == '-' && !strcmp(arg + 2, name);
}

void cmd_lab_hint(const char *lab)
{
	struct conns conns = { 0 };
	struct ns_mark *marks = NULL;
	size_t n = 0, i, len = strlen(lab);

	if (observe_marks(&conns, "", &marks, &n) == 0) {
		for (i = 0; i < n; i++) {
			if (!marks[i].marked || strncmp(marks[i].name, lab, len) ||
			    marks[i].name[len] != '-' || !strcmp(marks[i].lab, lab))
				continue;
			fprintf(stderr,
				"topo: %s-* are the namespaces of lab %s (a prefix is not a lab's name)\n",
				lab, marks[i].lab);
			break;
		}
	}
	free(marks);
	conns_free(&conns);
}
