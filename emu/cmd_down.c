// SPDX-License-Identifier: MIT
/* topo down: delete every namespace (and so every interface) the lab owns. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "apply.h"
#include "cmd.h"
#include "netns.h"
#include "observe.h"
#include "plan.h"
#include "rundir.h"

int cmd_down_lab(const char *lab, const struct topology *t, volatile sig_atomic_t *stop)
{
	char err[512];
	struct state want = { 0 }, have = { 0 };
	struct plan plan = { 0 };
	struct conns conns = { 0 };
	struct apply_ctx ctx = { 0 };
	int lock = -1, rc = EXIT_ERR, e;

	ctx.stop = conns.stop = stop;
	if (!cmd_need_root("down") || (lock = lab_lock(lab, true)) < 0)
		goto out;
	/* Ownership, not names: only namespaces carrying this lab's mark. */
	snprintf(want.lab, sizeof(want.lab), "%s", lab);
	if (observe_lab(&conns, lab, NULL, &have, err, sizeof(err)) < 0) {
		fprintf(stderr, "topo: %s\n", CMD_SHOW(err));
		goto out;
	}
	if ((e = plan_diff(&want, &have, true, &plan)) < 0) {
		fprintf(stderr, "topo: plan: %s\n", strerror(-e));
		goto out;
	}
	/* topo's own processes, while their namespaces are still there */
	procs_down(lab);
	ctx.lab = lab;
	ctx.conns = &conns;
	ctx.have = &have;
	if ((e = apply_plan(&ctx, &plan)) == -EINTR) {
		fprintf(stderr, "topo: interrupted after %zu of %zu namespaces; `topo down %s` again "
			"removes the rest\n", ctx.done, plan.n_acts, lab);
		goto out;
	}
	if (e < 0) {
		fprintf(stderr, "topo: %s\n", CMD_SHOW(ctx.err));
		goto out;
	}
	/* A create or delete killed half-way leaves an empty file under a
	 * node's name that is nobody's namespace. */
	for (size_t i = 0; t && i < t->n_nodes; i++) {
		char ns[TOPO_NSNAME_MAX + 1];

		topo_nsname(t, t->nodes[i].name, ns, sizeof(ns));
		netns_drop_placeholder(ns);
	}
	if (have.n_ns)
		printf("Lab %s is down: %zu namespace%s deleted.\n", lab, have.n_ns,
		       have.n_ns == 1 ? "" : "s");
	else
		printf("Lab %s has nothing on this machine.\n", lab);
	if (!have.n_ns && !t)
		cmd_lab_hint(lab);
	if ((e = rundir_forget(lab)) < 0 && e != -ENOENT)
		fprintf(stderr, "topo: warning: %s of lab %s: %s\n", RUNDIR_ROOT, lab, strerror(-e));
	rc = EXIT_OK;
out:
	plan_free(&plan);
	state_free(&have);
	conns_free(&conns);
	lab_unlock(lock);
	return rc;
}

int cmd_down(int argc, char **argv)
{
	char lab[TOPO_NAME_MAX + 1];
	struct topology *t = NULL;
	const struct cmd_opt none[] = { { 0 } };
	const char *arg;
	int rc;

	if (cmd_args(argc, argv, none, &arg, 1, 1, USAGE_DOWN) < 0)
		return EXIT_ERR;
	if (cmd_load_lab(arg, lab, &t))
		return EXIT_ERR;
	rc = cmd_down_lab(lab, t, cmd_signals());
	topo_free(t);
	if (rc == EXIT_ERR && cmd_signal_exit())
		rc = cmd_signal_exit();
	return rc;
}
