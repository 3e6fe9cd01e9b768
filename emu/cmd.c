// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"
#include "netns.h"
#include "nsconn.h"
#include "observe.h"
#include "rundir.h"
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

/*
 * A path, or a name ending in .yaml/.yml, is a file even when missing (the
 * error then says so); a bare name is a file only when it is one, so that
 * a directory or anything else named like the lab leaves the lab's name.
 */
static bool looks_like_file(const char *arg)
{
	size_t n = strlen(arg);
	struct stat st;

	return strchr(arg, '/') || (n > 5 && !strcmp(arg + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(arg + n - 4, ".yml")) ||
	       (stat(arg, &st) == 0 && S_ISREG(st.st_mode));
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
	if (rundir_path(arg, RUNDIR_LAB_FILE, kept, sizeof(kept)) == 0 && access(kept, F_OK) == 0 && !(*t = cmd_load(kept)))
		return EXIT_ERR;
	return 0;
}

const char *cmd_lab_file(const char *arg, char *buf, size_t len)
{
	if (looks_like_file(arg))
		return arg;
	if (!name_valid(arg)) {
		fprintf(stderr, "topo: '%s' is neither a lab file nor a lab name\n", CMD_SHOW(arg));
		return NULL;
	}
	if (rundir_path(arg, RUNDIR_LAB_FILE, buf, len) == 0 && access(buf, F_OK) == 0)
		return buf;
	fprintf(stderr, "topo: lab %s is not up on this machine (no kept file in %s/%s/): give its "
			"lab file\n",
		arg, RUNDIR_ROOT, arg);
	return NULL;
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

/* The signal that asked topo to stop (cmd_signals), 0 while none came. */
static volatile sig_atomic_t stop_flag;

static int lab_lock_do(const char *lab, bool create, bool *made)
{
	char path[160];
	int fd;

	if (!name_valid(lab)) {
		fprintf(stderr, "topo: invalid lab name '%s'\n", lab);
		return -1;
	}
	fd = rundir_lock(lab, create, made, &stop_flag, path, sizeof(path));
	if (fd == -ENOENT && !create)
		return LAB_NO_LOCK;
	if (fd == -EINTR) {
		fprintf(stderr, "topo: interrupted while waiting for lab %s (another topo holds %s)\n",
			lab, path);
		return -1;
	}
	if (fd < 0) {
		fprintf(stderr, "topo: %s: %s\n", path, strerror(-fd));
		return -1;
	}
	return fd;
}

int lab_lock(const char *lab, bool create)
{
	return lab_lock_do(lab, create, NULL);
}

int lab_lock_made(const char *lab, bool *made)
{
	*made = false;
	return lab_lock_do(lab, true, made);
}

void lab_unlock(int fd)
{
	rundir_unlock(fd);
}

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

int cmd_signal_exit(void)
{
	return stop_flag ? 128 + stop_flag : 0;
}

bool cmd_flag(const char *arg, const char *name)
{
	return arg[0] == '-' && arg[1] == '-' && !strcmp(arg + 2, name);
}

static const struct cmd_opt *opt_find(const struct cmd_opt *opts, const char *arg)
{
	for (; opts->name; opts++)
		if (cmd_flag(arg, opts->name) ||
		    (opts->letter && arg[1] == opts->letter && !arg[2]))
			return opts;
	return NULL;
}

int cmd_args(int argc, char **argv, const struct cmd_opt *opts, const char **pos, int min, int max,
	     const char *usage)
{
	const struct cmd_opt *o;
	bool options = true;
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (options && !strcmp(arg, "--")) {
			options = false;
		} else if (options && arg[0] == '-' && arg[1]) {
			if (!(o = opt_find(opts, arg))) {
				fprintf(stderr, "topo: %s: unknown option '%s'\n", argv[0],
					CMD_SHOW(arg));
				goto usage;
			}
			if (o->flag) {
				*o->flag = true;
			} else if (i + 1 < argc) {
				*o->value = argv[++i];
			} else {
				fprintf(stderr, "topo: %s: %s needs a value\n", argv[0], arg);
				goto usage;
			}
		} else if (n < max) {
			pos[n++] = arg;
		} else {
			fprintf(stderr, "topo: %s: unexpected argument '%s'\n", argv[0],
				CMD_SHOW(arg));
			goto usage;
		}
	}
	if (n >= min)
		return 0;
usage:
	fprintf(stderr, "usage: topo %s %s\n", argv[0], usage);
	return -1;
}

const char *cmd_show(const char *s, char *buf, size_t size)
{
	return diag_show_cut(s, SIZE_MAX, buf, size);
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
				lab, CMD_SHOW(marks[i].lab));
			break;
		}
	}
	free(marks);
	conns_free(&conns);
}

bool cmd_node_iface(const char *cmd, const char *arg, char node[TOPO_NAME_MAX + 1],
		    char iface[TOPO_IFNAME_MAX + 1])
{
	const char *colon = strchr(arg, ':');

	if (!colon || (size_t)(colon - arg) > TOPO_NAME_MAX) {
		fprintf(stderr, "topo: %s: '%s' is not NODE:IFACE\n", cmd, CMD_SHOW(arg));
		return false;
	}
	snprintf(node, TOPO_NAME_MAX + 1, "%.*s", (int)(colon - arg), arg);
	snprintf(iface, TOPO_IFNAME_MAX + 1, "%s", colon + 1);
	if (!name_valid(node) || !ifname_valid(colon + 1)) {
		fprintf(stderr, "topo: %s: '%s' is not NODE:IFACE (a node name, then an "
			"interface name)\n", cmd, CMD_SHOW(arg));
		return false;
	}
	return true;
}

int cmd_node_netns(const char *lab, const char *node, char nsname[ST_NSNAMSIZ])
{
	struct conns conns = { 0 };
	struct ns_mark *marks = NULL;
	size_t n = 0, i;
	bool lab_up = false;
	int err, fd = -1;

	nsname[0] = '\0';
	if ((err = observe_marks(&conns, lab, &marks, &n)) < 0) {
		fprintf(stderr, "topo: %s: %s\n", NETNS_RUN_DIR, strerror(-err));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!marks[i].marked || strcmp(marks[i].lab, lab))
			continue;
		lab_up = true;
		if (!strcmp(marks[i].node, node))
			snprintf(nsname, ST_NSNAMSIZ, "%s", marks[i].name);
	}
	if (!lab_up) {
		fprintf(stderr, "topo: lab %s is not up on this machine\n", lab);
		cmd_lab_hint(lab);
	} else if (!nsname[0]) {
		fprintf(stderr, "topo: lab %s has no node %s on this machine\n", lab, node);
	} else if ((fd = netns_open(nsname)) < 0) {
		fprintf(stderr, "topo: %s: %s\n", nsname, strerror(-fd));
		fd = -1;
	}
out:
	free(marks);
	conns_free(&conns);
	return fd;
}
