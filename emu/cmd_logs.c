// SPDX-License-Identifier: MIT
/* topo logs: print, or follow, the log of one of a lab's processes (`run:`). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "load_run.h"
#include "proc.h"
#include "rundir.h"
#include "util.h"

#define FOLLOW_POLL_NS 200000000L

/* NODE's one process into NAME when none was named. 0, or -1 (printed). */
static int only_process(const char *lab, const char *node, char name[RUN_NAME_MAX + 1])
{
	struct proc_record *recs;
	size_t n, i;
	int e;

	if ((e = proc_records_read(lab, node, &recs, &n)) < 0) {
		fprintf(stderr, "topo: logs: the processes of node %s: %s\n", node, strerror(-e));
		return -1;
	}
	if (n == 1)
		snprintf(name, RUN_NAME_MAX + 1, "%s", recs[0].name);
	else if (!n)
		fprintf(stderr, "topo: logs: node %s of lab %s runs no process\n", node, lab);
	else {
		fprintf(stderr, "topo: logs: node %s runs %zu processes; name one:", node, n);
		for (i = 0; i < n; i++)
			fprintf(stderr, " %s", recs[i].name);
		fprintf(stderr, "\n");
	}
	free(recs);
	return n == 1 ? 0 : -1;
}

/* Copy what FD has from where it is to stdout. 0, or -errno. */
static int copy_out(int fd)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return -EIO;
	}
	return fflush(stdout) == 0 ? 0 : -EIO;
}

/* -f: what the log gets, until a signal or until the process has no record
 * (stopped by `up`, or `down`): then what it wrote last, and the end. */
static int follow(int fd, const char *lab, const char *node, const char *name)
{
	volatile sig_atomic_t *stop = cmd_signals();
	struct timespec ts = { 0, FOLLOW_POLL_NS };
	struct proc_record rec;
	struct stat st;
	int e;

	for (;;) {
		bool gone = proc_record_read(lab, node, name, &rec) < 0;

		if ((e = copy_out(fd)) < 0 || gone || *stop)
			return e;
		nanosleep(&ts, NULL);
		/* emptied by its supervisor (PROC_LOG_MAX): on from its start */
		if (fstat(fd, &st) == 0 && st.st_size < lseek(fd, 0, SEEK_CUR))
			lseek(fd, 0, SEEK_SET);
	}
}

/* The log kept from before the last time it was emptied, NAME.log.1, if any. */
static int print_older(const char *lab, const char *node, const char *name)
{
	char leaf[RUN_NAME_MAX + 8], path[320];
	int fd, e;

	snprintf(leaf, sizeof(leaf), "%s.log.1", name);
	if (rundir_node_path(lab, node, leaf, path, sizeof(path)) < 0 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return 0;
	e = copy_out(fd);
	close(fd);
	return e;
}

int cmd_logs(int argc, char **argv)
{
	char lab[TOPO_NAME_MAX + 1], name[RUN_NAME_MAX + 1], leaf[RUN_NAME_MAX + 8], path[320];
	struct topology *t = NULL;
	const char *pos[3] = { 0 };
	bool follow_opt = false;
	const struct cmd_opt opts[] = { { .name = "follow", .letter = 'f', .flag = &follow_opt },
					{ 0 } };
	int fd = -1, rc = EXIT_ERR, e;

	if (cmd_args(argc, argv, opts, pos, 2, 3, USAGE_LOGS) < 0)
		return EXIT_ERR;
	if (cmd_load_lab(pos[0], lab, &t))
		return EXIT_ERR;
	if (!name_valid(pos[1]) || (pos[2] && !run_name_valid(pos[2]))) {
		fprintf(stderr, "topo: logs: '%s' is not a %s name\n",
			CMD_SHOW(name_valid(pos[1]) ? pos[2] : pos[1]),
			name_valid(pos[1]) ? "process" : "node");
		goto out;
	}
	if (pos[2])
		snprintf(name, sizeof(name), "%s", pos[2]);
	else if (only_process(lab, pos[1], name) < 0)
		goto out;
	snprintf(leaf, sizeof(leaf), "%s.log", name);
	if ((e = rundir_node_path(lab, pos[1], leaf, path, sizeof(path))) < 0 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		fprintf(stderr, "topo: logs: no log of process %s in node %s of lab %s (%s)\n", name,
			pos[1], lab, path);
		goto out;
	}
	if ((e = print_older(lab, pos[1], name)) == 0)
		e = follow_opt ? follow(fd, lab, pos[1], name) : copy_out(fd);
	if (e < 0) {
		fprintf(stderr, "topo: logs: %s: %s\n", path, strerror(-e));
		goto out;
	}
	rc = EXIT_OK;
out:
	if (fd >= 0)
		close(fd);
	topo_free(t);
	return rc;
}
