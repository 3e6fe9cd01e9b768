// SPDX-License-Identifier: MIT
/* topo save: a lab file that brings the running lab back as the kernel has it now. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "host.h"
#include "observe.h"
#include "rundir.h"
#include "save.h"
#include "sysctl.h"
#include "util.h"
#include "want.h"

/*
 * Without the kept file, nothing says which sysctls to read: a first read
 * finds the nodes, and WANT then asks for their forwarding (which makes a
 * node a router in the saved file).
 */
static int save_forwarding(struct conns *conns, const char *lab, struct state *want, char *why,
			   size_t len)
{
	static const char *const keys[] = { "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding" };
	struct state nodes = { 0 };
	size_t i, k;
	int e;

	if ((e = observe_lab(conns, lab, want, &nodes, why, len)) < 0)
		return e;
	for (i = 0; i < nodes.n_ns; i++) {
		struct st_ns *ns = VEC_PUSH(&want->ns, &want->n_ns);

		memcpy(ns->name, nodes.ns[i].name, sizeof(ns->name));
		memcpy(ns->node, nodes.ns[i].node, sizeof(ns->node));
		for (k = 0; k < 2; k++)
			snprintf(VEC_PUSH(&ns->sysctls, &ns->n_sysctls)->key, ST_SYSCTL_KEY_MAX, "%s",
				 keys[k]);
	}
	state_free(&nodes);
	return 0;
}

/* The kernel state of lab LAB, read as `status` reads it (the sysctls the
 * kept file T names, and those topo set once). EXIT_OK or EXIT_ERR (printed). */
static int save_observe(const char *lab, const struct topology *t, struct state *have)
{
	struct state want = { 0 };
	struct conns conns = { 0 };
	char why[512];
	int rc = EXIT_ERR, lock = -1, e;

	if (t && want_build(t, &want) < 0) {
		fprintf(stderr, "topo: save: the kept file of lab %s does not build\n", lab);
		return EXIT_ERR;
	}
	snprintf(want.lab, sizeof(want.lab), "%s", lab);
	if (!cmd_need_root("save") || (lock = lab_lock(lab, false)) == -1)
		goto out;
	if (!t && save_forwarding(&conns, lab, &want, why, sizeof(why)) < 0)
		fprintf(stderr, "topo: %s\n", CMD_SHOW(why));
	else if ((e = sysctl_want_dropped(&want)) < 0)
		fprintf(stderr, "topo: save: read the sysctls of a new namespace: %s\n", strerror(-e));
	else if (observe_lab(&conns, lab, &want, have, why, sizeof(why)) < 0)
		fprintf(stderr, "topo: %s\n", CMD_SHOW(why));
	else if (!have->n_ns)
		fprintf(stderr, "topo: lab %s is not up on this machine\n", lab);
	else
		rc = EXIT_OK;
out:
	lab_unlock(lock);
	conns_free(&conns);
	state_free(&want);
	return rc;
}

/* The file must pass `topo validate`: a state the checker refuses (an
 * address given twice by hand, say) is said, not written silently. */
static bool save_checks(const char *text, const char *as)
{
	struct diag d = { .file = as };
	struct topology *t = NULL;
	bool ok;
	size_t i;

	if (topo_load_buf(as, text, strlen(text), &t, &d) == 0)
		topo_check(t, &d);
	ok = !d.n_errors;
	for (i = 0; !ok && i < d.n_msgs; i++) {
		char *m = diag_format(&d, i);

		fprintf(stderr, "%s\n", CMD_SHOW(m));
		free(m);
	}
	if (!ok)
		fprintf(stderr, "topo: save: the saved file does not pass `topo validate` (above)\n");
	topo_free(t);
	diag_free(&d);
	return ok;
}

/*
 * Lab T on several hosts: this machine is one of them (--host NAME, or the
 * one with its address), and saves that part. Without T, the hosts are not
 * known. 0 or EXIT_ERR (printed).
 */
static int save_host(struct topology *t, const char *lab, const char *host)
{
	if (!t && host) {
		fprintf(stderr, "topo: save: --host %s: no file of lab %s is kept on this machine, "
				"so its hosts are not known: give the lab's file\n", CMD_SHOW(host), lab);
		return EXIT_ERR;
	}
	return t ? cmd_host_pick(t, host) : 0;
}

/* Every node read here is this host's: a node of another would be saved
 * as this one's. EXIT_OK, or EXIT_ERR (printed). */
static int save_host_check(const struct state *have, const struct topology *t)
{
	const char *stray = save_host_stray(have, t);

	if (!stray)
		return EXIT_OK;
	fprintf(stderr, "topo: save: node %s is up on this machine, but lab %s runs it on host %s, "
			"not %s: give --host with the host this machine is\n", stray, t->name,
		t->hosts[host_of_name(t, stray)].name, t->self->name);
	return EXIT_ERR;
}

static int save_write(const char *text, const char *path)
{
	int e;

	if (!path || !strcmp(path, "-")) {
		if (fputs(text, stdout) < 0 || fflush(stdout) != 0) {
			fprintf(stderr, "topo: save: standard output: %s\n", strerror(errno));
			return EXIT_ERR;
		}
		return EXIT_OK;
	}
	if ((e = rundir_replace_write(path, text, strlen(text))) < 0) {
		fprintf(stderr, "topo: save: %s: %s\n", path, strerror(-e));
		return EXIT_ERR;
	}
	return EXIT_OK;
}

int cmd_save(int argc, char **argv)
{
	char lab[TOPO_NAME_MAX + 1];
	const char *arg = NULL, *path = NULL, *name = NULL, *prefix = NULL, *host = NULL;
	const struct cmd_opt opts[] = { { .name = "output", .letter = 'o', .value = &path },
					{ .name = "name", .value = &name },
					{ .name = "prefix", .value = &prefix },
					{ .name = "host", .value = &host },
					{ 0 } };
	struct save_result res = { 0 };
	struct state have = { 0 };
	struct topology *t = NULL;
	int rc = EXIT_ERR;
	size_t i;

	if (cmd_args(argc, argv, opts, &arg, 1, 1, USAGE_SAVE) < 0)
		return EXIT_ERR;
	if ((name && !name_valid(name)) || (prefix && !name_valid(prefix))) {
		fprintf(stderr, "topo: save: invalid %s '%s' (expected [a-z0-9][a-z0-9_-]*, "
				"at most %d characters)\n",
			name && !name_valid(name) ? "name" : "prefix",
			CMD_SHOW(name && !name_valid(name) ? name : prefix), TOPO_NAME_MAX);
		return EXIT_ERR;
	}
	if (cmd_load_lab(arg, lab, &t) || save_host(t, lab, host) ||
	    save_observe(lab, t, &have) != EXIT_OK || save_host_check(&have, t) != EXIT_OK)
		goto out;
	if (save_lab(&have, t, name, prefix, &res) < 0) {
		fprintf(stderr, "topo: lab %s is not up on this machine\n", lab);
		goto out;
	}
	for (i = 0; i < res.n_left_out; i++)
		fprintf(stderr, "topo: save: left out: %s\n", CMD_SHOW(res.left_out[i]));
	if (save_write(res.text, path) == EXIT_OK && save_checks(res.text, path ? path : "-"))
		rc = EXIT_OK;
out:
	save_result_free(&res);
	state_free(&have);
	topo_free(t);
	return rc;
}
