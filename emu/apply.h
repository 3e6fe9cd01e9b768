/* SPDX-License-Identifier: MIT */
#ifndef TOPO_APPLY_H
#define TOPO_APPLY_H

#include <signal.h>
#include <stdio.h>

#include "nsconn.h"
#include "plan.h"
#include "state.h"

struct apply_ctx {
	const char *lab;
	struct conns *conns;
	const struct state *have;	/* ifindexes of what exists */
	const struct topology *t;	/* the lab file: the nodes' files (ACT_FILES) */
	volatile sig_atomic_t *stop;	/* set by SIGINT/SIGTERM: stop at the next action */
	/* called for each action done, in order (the command layer prints it), or NULL */
	void (*done_cb)(const struct action *a, void *arg);
	void *done_arg;
	/* out */
	size_t done;			/* actions carried out */
	char err[512];			/* "r1: add route ...: Network is unreachable (kernel: ...)" */
};

/*
 * apply_plan - carry out P's actions in order, stopping at the first
 * failure. Every step leaves a state that the next plan converges from.
 * 0, or -errno with ctx->err saying what failed.
 */
int apply_plan(struct apply_ctx *ctx, const struct plan *p);

/* apply_exec - (apply_exec.c, for apply_plan) run exec command A in the
 * namespace NETNS_FD and record it, or forget it. 0 or -errno with ctx->err. */
int apply_exec(struct apply_ctx *ctx, const struct action *a, int netns_fd);

/* apply_exec_records - (apply_exec.c, for apply_plan) before P runs: the
 * exec records that must change first (new namespaces', older topos'). 0 or -errno. */
int apply_exec_records(struct apply_ctx *ctx, const struct plan *p);

#endif
