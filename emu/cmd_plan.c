// SPDX-License-Identifier: MIT
/* How a plan reads: the lines of `topo plan` and `topo up`, from plan_text.c's words. */

#include <stdio.h>

#include "cmd.h"
#include "plan.h"
#include "proc.h"

static void plan_line(const struct action *a, FILE *f)
{
	struct act_text t;

	action_text(a, &t);
	fprintf(f, "%c %s %s%s%s%s%s%s\n", t.sign, t.kind, CMD_SHOW(t.subject),
		t.detail[0] ? " " : "", CMD_SHOW(t.detail), t.note[0] ? " (" : "", CMD_SHOW(t.note),
		t.note[0] ? ")" : "");
}

static void drift_line(const struct action *a, FILE *f)
{
	struct act_text t;

	action_text(a, &t);
	fprintf(f, "! drift %s: %s (up --prune removes it)\n", CMD_SHOW(a->ns),
		CMD_SHOW(t.drift[0] ? t.drift : t.sentence));
}

void plan_print(const struct plan *p, FILE *f)
{
	plan_print_procs(p, NULL, f);
}

void plan_print_procs(const struct plan *p, const struct proc_plan *procs, FILE *f)
{
	const struct proc_plan none = { 0 }, *pp = procs ? procs : &none;
	size_t i;

	for (i = 0; i < p->n_errors; i++)
		fprintf(f, "! error: %s\n", CMD_SHOW(p->errors[i]));
	for (i = 0; i < p->n_acts; i++)
		plan_line(&p->acts[i], f);
	procs_plan_print(pp, f);
	for (i = 0; i < p->n_drift_acts; i++)
		drift_line(&p->drift[i], f);
	if (p->n_acts || pp->n)
		fprintf(f, "Plan: %zu to add, %zu to change, %zu to destroy.",
			p->n_add + pp->n_start, p->n_change + pp->n_restart,
			p->n_destroy + pp->n_stop);
	else
		fprintf(f, "No changes.");
	/* without --prune drift is left alone; with it, it is among the deletions */
	if (p->n_drift_acts)
		fprintf(f, " %zu drift item%s left alone.", p->n_drift, cmd_s(p->n_drift));
	else if (p->n_drift)
		fprintf(f, " %zu of the deletions %s drift.", p->n_drift,
			p->n_drift == 1 ? "is" : "are");
	fprintf(f, "\n");
}

void action_print(const struct action *a, const char *before, const char *after, FILE *f)
{
	struct act_text t;

	action_text(a, &t);
	fprintf(f, "%s%s%s\n", before, CMD_SHOW(t.sentence), after);
}
