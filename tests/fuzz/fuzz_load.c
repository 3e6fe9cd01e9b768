// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the loader, the checker and the planner: whatever
 * the bytes, topo_load_buf() + topo_check() must return an error or a
 * topology, never crash, leak, read out of bounds or run away. A topology
 * the checker accepts must build a desired state, whole and for each of
 * its hosts, and plan it from nothing, with every action printable. Built by the TOPO_FUZZ CMake option; run with
 * scripts/fuzz.sh SECONDS.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "diag.h"
#include "plan.h"
#include "topology.h"
#include "want.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void plan_checked(const struct topology *t);

/* The whole lab, then each host's part (`up --host`), as `up` would plan it. */
static void plan_each_host(struct topology *t)
{
	size_t h;

	plan_checked(t);
	for (h = 0; h < t->n_hosts; h++) {
		t->self = &t->hosts[h];
		plan_checked(t);
	}
	t->self = NULL;
}

static void plan_checked(const struct topology *t)
{
	struct state want = { 0 }, none = { 0 };
	struct plan p = { 0 };
	struct act_text txt;
	char sum[512];
	size_t i;

	if (want_build(t, &want) < 0 || want_host_narrow(t, &want) < 0)
		goto out;
	if (plan_diff(&want, &none, false, &p) < 0)
		abort();
	for (i = 0; i < p.n_acts; i++)
		action_text(&p.acts[i], &txt);
	plan_summary(p.acts, p.n_acts, sum, sizeof(sum));
	plan_free(&p);
out:
	state_free(&want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = { .file = "fuzz.yaml" };
	struct topology *t = NULL;
	char ns[TOPO_NSNAME_MAX + 1];
	size_t i;

	/* DATA is not NUL-terminated: the loader must honour SIZE. */
	if (topo_load_buf("fuzz.yaml", (const char *)data, size, &t, &d) == 0 && t) {
		if (topo_check(t, &d) == 0 && !d.n_errors)
			plan_each_host(t);
		/* What the later stages do first with a checked model. */
		for (i = 0; i < t->n_nodes; i++) {
			topo_nsname(t, t->nodes[i].name, ns, sizeof(ns));
			if (topo_node_find(t, t->nodes[i].name) == NULL)
				abort();
		}
	}
	/* The command layer prints every message: format them all. */
	for (i = 0; i < d.n_msgs; i++)
		free(diag_format(&d, i));
	topo_free(t);
	diag_free(&d);
	return 0;
}
