// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rundir.h"
#include "topology.h"
#include "util.h"

/* /run/topo/<lab>/<leaf>: lab and node names are short (TOPO_NAME_MAX). */
#define RUNDIR_PATH_MAX 256

int rundir_path(const char *lab, const char *leaf, char *buf, size_t len)
{
	int n;

	if (!name_valid(lab))
		return -EINVAL;
	if (leaf)
		n = snprintf(buf, len, RUNDIR_ROOT "/%s/%s", lab, leaf);
	else
		n = snprintf(buf, len, RUNDIR_ROOT "/%s", lab);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int rundir_node_path(const char *lab, const char *node, const char *leaf, char *buf, size_t len)
{
	int n;

	if (!name_valid(lab) || !name_valid(node))
		return -EINVAL;
	if (leaf)
		n = snprintf(buf, len, RUNDIR_ROOT "/%s/%s/%s", lab, node, leaf);
	else
		n = snprintf(buf, len, RUNDIR_ROOT "/%s/%s", lab, node);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* A directory of ours: made by us (1), or already there as a real
 * directory (0; never through a symlink someone planted). */
static int dir_make(const char *path)
{
	struct stat st;

	if (mkdir(path, 0755) == 0)
		return 1;
	if (errno != EEXIST)
		return -errno;
	if (lstat(path, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	return 0;
}

int rundir_lock(const char *lab, bool create, bool *made, const volatile sig_atomic_t *stop,
		char *failed, size_t len)
{
	char dir[128], path[160];
	struct stat a, b;
	int fd, err;

	snprintf(failed, len, "%s", RUNDIR_ROOT);
	if ((err = rundir_path(lab, NULL, dir, sizeof(dir))) < 0 ||
	    (err = rundir_path(lab, RUNDIR_LAB_LOCK, path, sizeof(path))) < 0)
		return err;
	/* Only looking at a lab that was never brought up: nothing to
	 * serialise with, and nothing to leave behind. */
	if (!create && access(dir, F_OK) < 0)
		return -ENOENT;
	for (;;) {
		snprintf(failed, len, "%s", RUNDIR_ROOT);
		if ((err = dir_make(RUNDIR_ROOT)) < 0)
			return err;
		snprintf(failed, len, "%s", dir);
		if ((err = dir_make(dir)) < 0)
			return err;
		if (made)
			*made = err == 1;
		snprintf(failed, len, "%s", path);
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0)
			return -errno;
		while (flock(fd, LOCK_EX) < 0 && errno == EINTR) {
			if (stop && *stop) {
				close(fd);
				return -EINTR;
			}
		}
		/* rundir_forget removes the lock file while holding it: a waiter
		 * that got the lock on the removed file must take the new one. */
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino)
			return fd;
		close(fd);
	}
}

void rundir_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int replace_open(const char *path, char *tmp, size_t len)
{
	int fd;

	if ((size_t)snprintf(tmp, len, "%s.tmp", path) >= len)
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	return fd < 0 ? -errno : fd;
}

/* Publish TMP as PATH only when everything before (ERR) and the close
 * went well: a reader, or a topo killed half-way, never sees a partial
 * file. No fsync: /run does not outlive a reboot, and one costs an up
 * that adds a link a tenth of its time on a busy ext4 /run. */
static int replace_finish(int fd, const char *tmp, const char *path, int err)
{
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

int rundir_replace_write(const char *path, const void *data, size_t len)
{
	char tmp[RUNDIR_PATH_MAX];
	int fd;

	if ((fd = replace_open(path, tmp, sizeof(tmp))) < 0)
		return fd;
	return replace_finish(fd, tmp, path, write_all(fd, data, len));
}

int rundir_replace_copy(const char *from, const char *path)
{
	char tmp[RUNDIR_PATH_MAX], buf[65536];
	ssize_t n;
	int in, fd, err = 0;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	if ((fd = replace_open(path, tmp, sizeof(tmp))) < 0) {
		close(in);
		return fd;
	}
	while (!err && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		err = n < 0 ? -errno : write_all(fd, buf, (size_t)n);
	}
	close(in);
	return replace_finish(fd, tmp, path, err);
}

/* FILE's absolute path as LAB's RUNDIR_LAB_PATH. */
static int keep_path(const char *lab, const char *file)
{
	char path[RUNDIR_PATH_MAX];
	char abs[PATH_MAX + 1];
	size_t n;
	int err;

	/* Named in the error when another file claims the lab (cmd_up). */
	if (!realpath(file, abs))
		snprintf(abs, sizeof(abs), "%s", file);
	n = strlen(abs);
	abs[n++] = '\n';
	if ((err = rundir_path(lab, RUNDIR_LAB_PATH, path, sizeof(path))) < 0)
		return err;
	return rundir_replace_write(path, abs, n);
}

/* FILE (or, when not NULL, LEN bytes of TEXT) as LAB's kept copy. */
static int keep(const char *lab, const char *file, const char *text, size_t len)
{
	char path[RUNDIR_PATH_MAX];
	char abs[PATH_MAX + 1];
	int err;

	if ((err = rundir_path(lab, RUNDIR_LAB_FILE, path, sizeof(path))) < 0)
		return err;
	/* `up LAB` reads the kept copy itself: keeping it again would record
	 * the copy, not the file it came from, as where it came from. */
	if (!text && realpath(file, abs) && !strcmp(abs, path))
		return 0;
	err = text ? rundir_replace_write(path, text, len) : rundir_replace_copy(file, path);
	return err < 0 ? err : keep_path(lab, file);
}

int rundir_keep_file(const char *lab, const char *file)
{
	return keep(lab, file, NULL, 0);
}

int rundir_keep_text(const char *lab, const char *text, size_t len, const char *file)
{
	return keep(lab, file, text, len);
}

int rundir_kept_path(const char *lab, char *buf, size_t len)
{
	char path[RUNDIR_PATH_MAX];
	ssize_t n;
	int fd, err;

	if (!len)
		return -EINVAL;
	if ((err = rundir_path(lab, RUNDIR_LAB_PATH, path, sizeof(path))) < 0)
		return err;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] ? 0 : -ENOENT;
}

/* Undo an octal escape of /proc/self/mountinfo ("\\040" for a space) in place. */
static void mountinfo_unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* Detach every mount at DIR or below it (the nodes' `uts` binds), the
 * last made first. 0 or -errno. */
static int unmount_under(const char *dir)
{
	char *line = NULL, **points = NULL, mp[RUNDIR_PATH_MAX * 4];
	size_t cap = 0, n = 0, len = strlen(dir);
	int err = 0;
	FILE *f;

	if (!(f = fopen("/proc/self/mountinfo", "re")))
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		/* id parent major:minor root mount-point ... */
		if (sscanf(line, "%*s %*s %*s %*s %1023s", mp) != 1)
			continue;
		mountinfo_unescape(mp);
		if (!strncmp(mp, dir, len) && (!mp[len] || mp[len] == '/'))
			*VEC_PUSH(&points, &n) = xstrdup(mp);
	}
	free(line);
	fclose(f);
	while (n--) {
		if (umount2(points[n], MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL &&
		    errno != ENOENT && !err)
			err = -errno;
		free(points[n]);
	}
	free(points);
	return err;
}

/* Remove NAME in directory DFD and everything in it; never crosses
 * into another filesystem (a mount that could not be detached). */
static int remove_tree(int dfd, const char *name, dev_t dev)
{
	struct dirent *de;
	struct stat st;
	int fd, err = 0;
	DIR *d;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (st.st_dev != dev)
		return -EBUSY;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
	if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -errno;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			int e = remove_tree(dirfd(d), de->d_name, dev);

			err = err ? err : e;
		}
	}
	closedir(d);
	if (unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT && !err)
		err = -errno;
	return err;
}

int rundir_remove_tree(const char *path)
{
	struct stat st;
	int err, e;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	e = unmount_under(path);
	/* The directory's own filesystem, read again: a mount on the
	 * directory itself was just detached. */
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	err = remove_tree(AT_FDCWD, path, st.st_dev);
	return err ? err : e;
}

int rundir_forget(const char *lab)
{
	char dir[128];
	int err;

	if ((err = rundir_path(lab, NULL, dir, sizeof(dir))) < 0)
		return err;
	return rundir_remove_tree(dir);
}

int rundir_node_forget(const char *lab, const char *node)
{
	char dir[RUNDIR_PATH_MAX];
	int err;

	if ((err = rundir_node_path(lab, node, NULL, dir, sizeof(dir))) < 0)
		return err;
	return rundir_remove_tree(dir);
}

int rundir_node_make(const char *lab, const char *node)
{
	char dir[RUNDIR_PATH_MAX], labdir[RUNDIR_PATH_MAX];
	int err;

	if ((err = rundir_node_path(lab, node, NULL, dir, sizeof(dir))) < 0 ||
	    (err = rundir_path(lab, NULL, labdir, sizeof(labdir))) < 0)
		return err;
	/* `topo exec` in a lab whose directory went (a hand's rm -rf) still works. */
	if ((err = dir_make(RUNDIR_ROOT)) < 0 || (err = dir_make(labdir)) < 0 ||
	    (err = dir_make(dir)) < 0)
		return err;
	return 0;
}

static int exec_record_path(const char *lab, const char *node, char *buf, size_t len)
{
	return rundir_node_path(lab, node, "exec", buf, len);
}

char *rundir_exec_line(uint64_t id, const char *cmd)
{
	char *line = xmalloc(2 * strlen(cmd) + 20), *p;

	p = line + sprintf(line, "%016" PRIx64 " ", id);
	for (; *cmd; cmd++) {
		if (*cmd == '\\' || *cmd == '\n')
			*p++ = '\\';
		*p++ = *cmd == '\n' ? 'n' : *cmd;
	}
	*p++ = '\n';
	*p = '\0';
	return line;
}

int rundir_exec_line_parse(const char *line, uint64_t *id, char **cmd)
{
	char *end, *p;

	if (strlen(line) < 17 || line[16] != ' ')
		return -EINVAL;
	*id = strtoull(line, &end, 16);
	if (end != line + 16)
		return -EINVAL;
	*cmd = p = xstrdup(line + 17);
	for (line += 17; *line; line++) {
		if (*line == '\\' && line[1]) {
			line++;
			*p++ = *line == 'n' ? '\n' : *line;
		} else {
			*p++ = *line;
		}
	}
	*p = '\0';
	return 0;
}

/* A record to read: *F, or NULL when there is none. Never through a link. 0 or -errno. */
static int record_open(const char *path, FILE **f)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), err;

	*f = NULL;
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!(*f = fdopen(fd, "r"))) {
		err = -errno;
		close(fd);
		return err;
	}
	return 0;
}

int rundir_exec_record_read(const char *lab, const char *node, char ***cmds, uint64_t **ids,
			    size_t *n)
{
	char path[RUNDIR_PATH_MAX], *line = NULL, *cmd;
	size_t cap = 0, n_ids = 0;
	uint64_t id;
	ssize_t len;
	FILE *f;
	int err;

	*cmds = NULL;
	*ids = NULL;
	*n = 0;
	if ((err = exec_record_path(lab, node, path, sizeof(path))) < 0)
		return err;
	if ((err = record_open(path, &f)) < 0 || !f)
		return err;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (strlen(line) == 16 && strspn(line, "0123456789abcdef") == 16) {
			id = strtoull(line, NULL, 16);
			cmd = xstrdup("");	/* an older topo's record */
		} else if (rundir_exec_line_parse(line, &id, &cmd) < 0) {
			continue;
		}
		*VEC_PUSH(cmds, n) = cmd;
		*VEC_PUSH(ids, &n_ids) = id;
	}
	free(line);
	fclose(f);
	return 0;
}

int rundir_exec_record_update(const char *lab, const char *node, uint64_t id, const char *cmd,
			      bool ran)
{
	char path[RUNDIR_PATH_MAX], **cmds, *text = xstrdup(""), *line, *t;
	uint64_t *ids;
	size_t i, n;
	int err;

	if ((err = exec_record_path(lab, node, path, sizeof(path))) < 0 ||
	    (err = rundir_exec_record_read(lab, node, &cmds, &ids, &n)) < 0) {
		free(text);
		return err;
	}
	for (i = 0; i <= n; i++) {
		/* dropped, or added again at the end; an older topo's hash goes */
		if (i < n && (ids[i] == id || !cmds[i][0]))
			continue;
		if (i == n && !ran)
			break;
		line = rundir_exec_line(i < n ? ids[i] : id, i < n ? cmds[i] : cmd);
		t = xasprintf("%s%s", text, line);
		free(line);
		free(text);
		text = t;
	}
	for (i = 0; i < n; i++)
		free(cmds[i]);
	free(cmds);
	free(ids);
	if (text[0] && (err = rundir_node_make(lab, node)) == 0)
		err = rundir_replace_write(path, text, strlen(text));
	else if (!text[0])
		err = unlink(path) < 0 && errno != ENOENT ? -errno : 0;
	free(text);
	return err;
}

void rundir_exec_record_forget(const char *lab, const char *node)
{
	char path[RUNDIR_PATH_MAX];

	if (exec_record_path(lab, node, path, sizeof(path)) == 0)
		unlink(path);
}

static int sysctl_record_path(const char *lab, const char *node, char *buf, size_t len)
{
	return rundir_node_path(lab, node, "sysctl", buf, len);
}

int rundir_sysctl_record_nodes(const char *lab, struct strmap *nodes)
{
	char dir[RUNDIR_PATH_MAX];
	struct dirent *e;
	DIR *d;
	int err;

	if ((err = rundir_path(lab, NULL, dir, sizeof(dir))) < 0)
		return err;
	if (!(d = opendir(dir)))
		return errno == ENOENT ? 0 : -errno;
	/* Only the nodes with a directory (what ran there, or was recorded)
	 * cost a look each: a lab of thousands of plain nodes has none. */
	while ((e = readdir(d))) {
		char leaf[sizeof(e->d_name) + 8];

		if (!name_valid(e->d_name))
			continue;
		snprintf(leaf, sizeof(leaf), "%s/sysctl", e->d_name);
		if (faccessat(dirfd(d), leaf, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			strmap_put(nodes, e->d_name, strlen(e->d_name), 0, NULL);
	}
	closedir(d);
	return 0;
}

int rundir_sysctl_record_read(const char *lab, const char *node, char ***keys, size_t *n)
{
	char path[RUNDIR_PATH_MAX], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int err;

	*keys = NULL;
	*n = 0;
	if ((err = sysctl_record_path(lab, node, path, sizeof(path))) < 0)
		return err;
	if ((err = record_open(path, &f)) < 0 || !f)
		return err;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (len)
			*VEC_PUSH(keys, n) = xstrdup(line);
	}
	free(line);
	fclose(f);
	return 0;
}

int rundir_sysctl_record_update(const char *lab, const char *node, const char *key, bool set)
{
	char path[RUNDIR_PATH_MAX], **keys, *text = xstrdup(""), *t;
	bool had = false;
	size_t i, n;
	int err;

	if ((err = sysctl_record_path(lab, node, path, sizeof(path))) < 0 ||
	    (err = rundir_sysctl_record_read(lab, node, &keys, &n)) < 0) {
		free(text);
		return err;
	}
	for (i = 0; i < n; i++) {
		if (!strcmp(keys[i], key))
			had = true;
		else {
			t = xasprintf("%s%s\n", text, keys[i]);
			free(text);
			text = t;
		}
		free(keys[i]);
	}
	free(keys);
	if (set) {
		t = xasprintf("%s%s\n", text, key);
		free(text);
		text = t;
	}
	if (had != set && set)
		err = rundir_node_make(lab, node);
	if (!err && had != set)
		err = text[0] ? rundir_replace_write(path, text, strlen(text))
			      : (unlink(path) < 0 && errno != ENOENT ? -errno : 0);
	free(text);
	return err;
}

void rundir_sysctl_record_forget(const char *lab, const char *node)
{
	char path[RUNDIR_PATH_MAX];

	if (sysctl_record_path(lab, node, path, sizeof(path)) == 0)
		unlink(path);
}
