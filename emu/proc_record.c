// SPDX-License-Identifier: MIT
/* proc_record - the records of topo's processes, and telling a live one from a reused pid. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load_run.h"
#include "proc.h"
#include "rundir.h"
#include "util.h"

int proc_record_parse(const char *text, struct proc_record *r)
{
	const char *line, *end;
	bool has_pid = false, has_hash = false;
	char name[RUN_NAME_MAX + 1];

	snprintf(name, sizeof(name), "%s", r->name);
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	for (line = text; *line; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if (sscanf(line, "pid %d %llu", &r->pid, &r->start) == 2 && r->pid > 0)
			has_pid = true;
		else if (sscanf(line, "supervisor %d %llu", &r->super, &r->super_start) == 2)
			;
		else if (sscanf(line, "hash %" SCNx64, &r->hash) == 1)
			has_hash = true;
		else if (sscanf(line, "since %lld", &r->since) == 1)
			;
		else if (sscanf(line, "exit %d %lld", &r->status, &r->ended) == 2)
			r->exited = true;
		else if (!strncmp(line, "cmd ", 4))
			snprintf(r->cmd, sizeof(r->cmd), "%.*s", (int)(end - line - 4), line + 4);
	}
	return has_pid && has_hash ? 0 : -EINVAL;
}

int proc_stat_parse(const char *stat, char *state, unsigned long long *start)
{
	const char *p = strrchr(stat, ')');
	int field;

	if (!p)
		return -EINVAL;
	/* fields are counted from 1: pid (1), comm (2), state (3), ... starttime (22) */
	for (field = 2; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -EINVAL;
		p++;
		if (field == 2)
			*state = *p;
	}
	return sscanf(p, "%llu", start) == 1 ? 0 : -EINVAL;
}

int proc_start_time(pid_t pid, unsigned long long *start, char *state)
{
	char path[64], buf[1024];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	buf[n] = '\0';
	return proc_stat_parse(buf, state, start);
}

bool proc_is(pid_t pid, unsigned long long start)
{
	unsigned long long now;
	char state;

	if (pid <= 0 || proc_start_time(pid, &now, &state) < 0)
		return false;
	return now == start && state != 'Z' && state != 'X';
}

uint64_t proc_identity(const struct run_spec *r, uint64_t files_hash)
{
	uint64_t h = FNV1A64_INIT;
	size_t i;

	h = fnv1a64(h, r->name, strlen(r->name) + 1);
	h = fnv1a64(h, r->cmd, strlen(r->cmd) + 1);
	for (i = 0; i < r->n_env; i++) {
		h = fnv1a64(h, r->env[i].key, strlen(r->env[i].key) + 1);
		h = fnv1a64(h, r->env[i].value, strlen(r->env[i].value) + 1);
	}
	return fnv1a64(h, &files_hash, sizeof(files_hash));
}

static int read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, err;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (!err)
		buf[n] = '\0';
	return err;
}

int proc_record_read(const char *lab, const char *node, const char *name, struct proc_record *r)
{
	char leaf[RUN_NAME_MAX + 8], path[320], text[2048];
	int err;

	if (!run_name_valid(name))
		return -EINVAL;
	snprintf(leaf, sizeof(leaf), "run/%s", name);
	if ((err = rundir_node_path(lab, node, leaf, path, sizeof(path))) < 0 ||
	    (err = read_text(path, text, sizeof(text))) < 0)
		return err;
	snprintf(r->name, sizeof(r->name), "%s", name);
	return proc_record_parse(text, r);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct proc_record *)a)->name, ((const struct proc_record *)b)->name);
}

int proc_records_read(const char *lab, const char *node, struct proc_record **out, size_t *n)
{
	char dir[320];
	struct proc_record r;
	struct dirent *de;
	DIR *d;
	int err;

	*out = NULL;
	*n = 0;
	if ((err = rundir_node_path(lab, node, "run", dir, sizeof(dir))) < 0)
		return err;
	if (!(d = opendir(dir)))
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		/* a half-written record (.NAME.tmp) is not a name */
		if (!run_name_valid(de->d_name))
			continue;
		if (proc_record_read(lab, node, de->d_name, &r) == 0)
			*(struct proc_record *)VEC_APPEND(out, n) = r;
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof(**out), name_cmp);
	return 0;
}

void proc_record_forget(const char *lab, const char *node, const char *name)
{
	char leaf[RUN_NAME_MAX + 8], path[320];

	snprintf(leaf, sizeof(leaf), "run/%s", name);
	if (run_name_valid(name) && rundir_node_path(lab, node, leaf, path, sizeof(path)) == 0)
		unlink(path);
}

/* a node's directory is named as a node is (the lab's own files have a '.') */
static int node_named(const struct dirent *de)
{
	return name_valid(de->d_name);
}

int proc_nodes_read(const char *lab, char ***nodes, size_t *n)
{
	char dir[320], path[640];
	struct dirent **list;
	struct stat st;
	int err, i, got;

	*nodes = NULL;
	*n = 0;
	if ((err = rundir_path(lab, NULL, dir, sizeof(dir))) < 0)
		return err;
	if ((got = scandir(dir, &list, node_named, alphasort)) < 0)
		return errno == ENOENT ? 0 : -errno;
	for (i = 0; i < got; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			*VEC_PUSH(nodes, n) = xstrdup(list[i]->d_name);
		free(list[i]);
	}
	free(list);
	return 0;
}

/* Remove DIR's entries that KEEP accepts (all: NULL), then DIR if empty. */
static void dir_clear(const char *dir, bool (*keep)(const char *name))
{
	char path[640];
	struct dirent *de;
	DIR *d;

	if (!(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || (keep && keep(de->d_name)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static bool not_a_log(const char *name)
{
	size_t n = strlen(name);

	return n < 5 || strcmp(name + n - 4, ".log");
}

void proc_node_forget(const char *lab, const char *node)
{
	char dir[320];

	if (rundir_node_path(lab, node, "run", dir, sizeof(dir)) == 0)
		dir_clear(dir, NULL);
	if (rundir_node_path(lab, node, NULL, dir, sizeof(dir)) == 0)
		dir_clear(dir, not_a_log);
}
