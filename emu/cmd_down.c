// SPDX-License-Identifier: MIT
/* topo down: stop every process in the lab, then delete every namespace
 * (and so every interface) it owns, and check that none lives on. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "apply.h"
#include "cmd.h"
#include "netns.h"
#include "observe.h"
#include "plan.h"
#include "procs.h"
#include "rundir.h"
#include "util.h"

/* Descriptors left to the rest of down beside the namespaces' (lab_ns_ids). */
#define DOWN_FD_RESERVE 128

/* How long a holder of a deleted namespace may take to let go. */
#define DOWN_RELEASE_US 1000000

/*
 * The identities of HAVE's namespaces, taken while they still have names:
 * once deleted, only their holders can name them. Each is also held open
 * (*PINS, -1 where it could not be) until down has checked it is released:
 * the inode number of a freed namespace goes to the next one anybody
 * makes, which the check would take for the lab's, still held.
 */
static struct procs_ns *lab_ns_ids(const struct state *have, int **pins)
{
	struct procs_ns *ids = xcalloc(have->n_ns + 1, sizeof(*ids));
	char path[sizeof(NETNS_RUN_DIR) + ST_NSNAMSIZ + 1];
	struct rlimit rl;
	size_t i;
	/* a pin beside each namespace's handle (two descriptors) and topo's
	 * reserve; a lab too big for the open-file limit goes unpinned */
	bool pin = getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
		   (rlim_t)have->n_ns * 3 + DOWN_FD_RESERVE <= rl.rlim_cur;

	*pins = xcalloc(have->n_ns + 1, sizeof(**pins));
	for (i = 0; i < have->n_ns; i++) {
		snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", have->ns[i].name);
		procs_ns_of(path, &ids[i]);	/* unreadable: {0, 0}, matches nothing */
		(*pins)[i] = pin ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	}
	return ids;
}

static void unpin(int *pins, size_t n)
{
	size_t i;

	for (i = 0; pins && i < n; i++)
		if (pins[i] >= 0)
			close(pins[i]);
	free(pins);
}

/* Every process in the lab: a namespace lives as long as one is in it. */
static int stop_processes(const char *lab, const struct procs_ns *ids, size_t n,
			  uint64_t grace_us, const volatile sig_atomic_t *stop)
{
	struct procs_stopped st;
	int err;

	if ((err = procs_stop(ids, n, grace_us, stop, &st)) < 0) {
		fprintf(stderr, "topo: find the processes of lab %s in /proc: %s\n", lab,
			strerror(-err));
		return -1;
	}
	if (st.termed)
		printf("Stopped %zu process%s in lab %s", st.termed, st.termed == 1 ? "" : "es",
		       lab);
	if (st.killed)
		printf(" (%zu killed: still running %.1f s after SIGTERM)", st.killed,
		       (double)grace_us / 1e6);
	if (st.termed)
		printf(".\n");
	return 0;
}

/* Nothing may keep a namespace of the lab alive once down is done: a
 * process that got in meanwhile, an open descriptor, a bind mount. */
static int check_released(const char *lab, const struct state *have, const struct procs_ns *ids)
{
	uint64_t deadline = now_us() + DOWN_RELEASE_US;
	struct procs_holder *h;
	size_t n, i;
	int err;

	/* Another topo (list, status of another lab) opens every namespace
	 * for a moment: only a holder that stays is one. */
	while ((err = procs_holders(ids, have->n_ns, &h, &n)) == 0 && n && now_us() < deadline) {
		free(h);
		usleep(20000);
	}
	if (err < 0) {
		fprintf(stderr, "topo: check that lab %s is released: %s\n", lab, strerror(-err));
		return -1;
	}
	for (i = 0; i < n; i++) {
		fprintf(stderr, "topo: namespace %s of lab %s is still held: ",
			CMD_SHOW(have->ns[h[i].ns].name), lab);
		if (h[i].pid)
			fprintf(stderr, "pid %d (%s) ", (int)h[i].pid, CMD_SHOW(h[i].comm));
		fprintf(stderr, "%s\n", CMD_SHOW(h[i].how));
	}
	if (n)
		fprintf(stderr, "topo: lab %s is deleted from /run/netns, but a held namespace "
			"lives on (with its interfaces) until what holds it stops or is unmounted\n",
			lab);
	free(h);
	return n ? -1 : 0;
}

/* A create or delete killed half-way leaves an empty file under a node's
 * name that is nobody's namespace. */
static void drop_placeholders(const struct topology *t)
{
	char ns[TOPO_NSNAME_MAX + 1];
	size_t i;

	for (i = 0; t && i < t->n_nodes; i++) {
		topo_nsname(t, t->nodes[i].name, ns, sizeof(ns));
		netns_drop_placeholder(ns);
	}
}

int cmd_down_lab(const char *lab, const struct topology *t, uint64_t grace_us,
		 volatile sig_atomic_t *stop)
{
	char err[512];
	struct state want = { 0 }, have = { 0 };
	struct plan plan = { 0 };
	struct conns conns = { 0 };
	struct apply_ctx ctx = { 0 };
	struct procs_ns *ids = NULL;
	int *pins = NULL;
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
	/* topo's own processes first, while their namespaces are still there */
	procs_down(lab);
	ids = lab_ns_ids(&have, &pins);
	if (stop_processes(lab, ids, have.n_ns, grace_us, ctx.stop) < 0)
		goto out;
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
	drop_placeholders(t);
	/* topo's own handles first: they hold the namespaces too */
	conns_free(&conns);
	if (have.n_ns && check_released(lab, &have, ids) < 0)
		goto forget;
	if (have.n_ns)
		printf("Lab %s is down: %zu namespace%s deleted.\n", lab, have.n_ns,
		       have.n_ns == 1 ? "" : "s");
	else if (plan.n_acts) {
		/* its namespaces were gone, not what it had in the host's */
		char sum[256];

		plan_summary(plan.acts, plan.n_acts, sum, sizeof(sum));
		printf("Lab %s is down: no namespace was left. %s\n", lab, sum);
	} else
		printf("Lab %s has nothing on this machine.\n", lab);
	if (!have.n_ns && !t)
		cmd_lab_hint(lab);
	rc = EXIT_OK;
forget:
	/* held or not, the namespaces are no longer the lab's to find */
	if ((e = rundir_forget(lab)) < 0 && e != -ENOENT)
		fprintf(stderr, "topo: warning: %s of lab %s: %s\n", RUNDIR_ROOT, lab, strerror(-e));
out:
	unpin(pins, have.n_ns);
	free(ids);
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
	const char *arg, *grace = NULL, *host = NULL;
	const struct cmd_opt opts[] = { { .name = "grace", .value = &grace },
					{ .name = "host", .value = &host }, { 0 } };
	uint64_t grace_us = DOWN_GRACE_US;
	/* from the start: a SIGTERM while the lab file loads is reported (the
	 * lab is read with the flag set: "interrupted ..."), not a silent death */
	volatile sig_atomic_t *stop = cmd_signals();
	int rc;

	if (cmd_args(argc, argv, opts, &arg, 1, 1, USAGE_DOWN) < 0)
		return EXIT_ERR;
	if (grace && duration_parse(grace, &grace_us) < 0) {
		fprintf(stderr, "topo: down: --grace '%s' is not a duration (5s, 500ms)\n",
			CMD_SHOW(grace));
		return EXIT_ERR;
	}
	if (cmd_load_lab(arg, lab, &t))
		return EXIT_ERR;
	/* this machine's part is what it has: --host only has to name a host */
	if (host && t && cmd_host_select(t, host, false)) {
		topo_free(t);
		return EXIT_ERR;
	}
	rc = cmd_down_lab(lab, t, grace_us, stop);
	topo_free(t);
	if (rc == EXIT_ERR && cmd_signal_exit())
		rc = cmd_signal_exit();
	return rc;
}
