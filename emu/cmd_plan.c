// SPDX-License-Identifier: MIT
/* How a plan reads: the lines of `topo plan` and `topo up`, from plan_text.c's words. */

#include <stdio.h>

#include "cmd.h"
#include "json.h"
#include "plan.h"
#include "proc.h"
#include "term.h"

/* As Terraform paints them: green creates, yellow changes, red deletes. */
static enum term_colour sign_colour(char sign)
{
	return sign == '+' ? TERM_GREEN : sign == '-' ? TERM_RED : TERM_YELLOW;
}

static void plan_line(const struct action *a, FILE *f, bool colour)
{
	struct act_text t;

	action_text(a, &t);
	fprintf(f, "%s%c%s %s %s%s%s%s%s%s\n", term_sgr(colour, sign_colour(t.sign)), t.sign,
		term_sgr(colour, TERM_RESET), t.kind, CMD_SHOW(t.subject), t.detail[0] ? " " : "",
		CMD_SHOW(t.detail), t.note[0] ? " (" : "", CMD_SHOW(t.note), t.note[0] ? ")" : "");
}

static void drift_line(const struct action *a, FILE *f, bool colour)
{
	struct act_text t;

	action_text(a, &t);
	fprintf(f, "%s! drift%s %s: %s (up --prune removes it)\n", term_sgr(colour, TERM_YELLOW),
		term_sgr(colour, TERM_RESET), CMD_SHOW(a->ns),
		CMD_SHOW(t.drift[0] ? t.drift : t.sentence));
}

void plan_print(const struct plan *p, FILE *f)
{
	plan_print_procs(p, NULL, f);
}

void plan_print_procs(const struct plan *p, const struct proc_plan *procs, FILE *f)
{
	const struct proc_plan none = { 0 }, *pp = procs ? procs : &none;
	bool colour = term_colour_for(f);
	size_t i;

	for (i = 0; i < p->n_errors; i++)
		fprintf(f, "%s! error:%s %s\n", term_sgr(colour, TERM_RED),
			term_sgr(colour, TERM_RESET), CMD_SHOW(p->errors[i]));
	for (i = 0; i < p->n_acts; i++)
		plan_line(&p->acts[i], f, colour);
	procs_plan_print(pp, f);
	for (i = 0; i < p->n_drift_acts; i++)
		drift_line(&p->drift[i], f, colour);
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

void action_json(const struct action *a, FILE *f)
{
	struct act_text t;

	action_text(a, &t);
	fprintf(f, "{\"op\":\"%s\",\"kind\":",
		t.sign == '+' ? "create" : t.sign == '-' ? "delete" : "change");
	json_str(f, t.kind);
	json_member(f, "node", a->node);
	json_member(f, "namespace", a->ns);
	json_member(f, "object", t.object);
	json_member(f, "iface", t.iface);
	json_member(f, "peer", t.peer);
	json_member(f, "attribute", t.attr);
	json_member(f, "before", t.before);
	json_member(f, "after", t.after);
	fprintf(f, ",\"drift\":%s,\"text\":", a->drift ? "true" : "false");
	json_str(f, t.sentence);
	fputs("}", f);
}

void actions_json(const struct action *acts, size_t n, FILE *f)
{
	size_t i;

	fputs("[", f);
	for (i = 0; i < n; i++) {
		fputs(i ? ",\n" : "\n", f);
		action_json(&acts[i], f);
	}
	fputs("]", f);
}

/* "processes":[...]: what `up` would do to the lab's processes (PP, NULL: none) */
static void procs_json(const struct proc_plan *pp, FILE *f)
{
	static const char *const ops[] = { [PROC_START] = "start", [PROC_RESTART] = "restart",
					   [PROC_STOP] = "stop" };
	char why[128], text[ACT_TEXT_MAX];
	size_t i;

	fputs(",\"processes\":[", f);
	for (i = 0; pp && i < pp->n; i++) {
		const struct proc_act *a = &pp->acts[i];

		fprintf(f, "%s{\"op\":\"%s\",\"node\":", i ? "," : "",
			a->type == PROC_STOP && !a->alive ? "forget" : ops[a->type]);
		json_str(f, a->node);
		fputs(",\"name\":", f);
		json_str(f, a->spec ? a->spec->name : a->rec.name);
		fputs(",\"why\":", f);
		json_str(f, proc_act_why(a, why, sizeof(why)));
		fputs(",\"text\":", f);
		json_str(f, procs_act_sentence(a, text, sizeof(text)));
		fputs("}", f);
	}
	fputs("]", f);
}

void plan_json(const char *lab, const struct plan *p, FILE *f)
{
	plan_json_procs(lab, p, NULL, f);
}

void plan_json_procs(const char *lab, const struct plan *p, const struct proc_plan *procs, FILE *f)
{
	const struct proc_plan none = { 0 }, *pp = procs ? procs : &none;
	size_t i;

	fprintf(f, "{\"version\":%d,\"lab\":", TOPO_JSON_VERSION);
	json_str(f, lab);
	fputs(",\"changes\":", f);
	actions_json(p->acts, p->n_acts, f);
	fputs(",\"drift\":", f);
	actions_json(p->drift, p->n_drift_acts, f);
	fputs(",\"errors\":[", f);
	for (i = 0; i < p->n_errors; i++) {
		fputs(i ? "," : "", f);
		json_str(f, p->errors[i]);
	}
	fputs("]", f);
	procs_json(pp, f);
	fprintf(f, ",\"add\":%zu,\"change\":%zu,\"destroy\":%zu,\"drift_found\":%zu}\n",
		p->n_add + pp->n_start, p->n_change + pp->n_restart, p->n_destroy + pp->n_stop,
		p->n_drift);
}
