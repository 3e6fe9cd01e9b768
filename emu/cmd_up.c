// SPDX-License-Identifier: MIT
/* topo plan / topo up: load, want, observe, diff; up also applies, verifies and probes. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "apply.h"
#include "cmd.h"
#include "diag.h"
#include "hostneigh.h"
#include "impair_verify.h"
#include "json.h"
#include "observe.h"
#include "nodeenv.h"
#include "plan.h"
#include "probe.h"
#include "proc.h"
#include "qdisc.h"
#include "rundir.h"
#include "sysctl.h"
#include "term.h"
#include "util.h"
#include "verify.h"
#include "want.h"

struct up_opts {
	const char *file;
	char kept[256];		/* FILE when a lab name was given */
	bool prune, no_probe, no_verify_impair, tune_host, quiet, verbose, json;
	struct probe_opts probe;
	/* topo test: the lab, loaded and renamed for the run (borrowed), and
	 * the text kept as its file in the run directory */
	struct topology *t;
	const char *keep_text;
	size_t keep_len;
	const char *host;	/* --host: the part of a lab on several hosts */
};

static int parse_opts(int argc, char **argv, struct up_opts *o, bool is_up)
{
	const struct cmd_opt plan[] = {
		{ .name = "prune", .flag = &o->prune },
		{ .name = "json", .flag = &o->json },
		{ .name = "host", .value = &o->host },
		{ 0 },
	};
	const struct cmd_opt up[] = {
		{ .name = "prune", .flag = &o->prune },
		{ .name = "no-probe", .flag = &o->no_probe },
		{ .name = "no-verify-impair", .flag = &o->no_verify_impair },
		{ .name = "tune-host", .flag = &o->tune_host },
		{ .name = "json", .flag = &o->json },
		{ .name = "quiet", .letter = 'q', .flag = &o->quiet },
		{ .name = "verbose", .letter = 'v', .flag = &o->verbose },
		{ .name = "failures", .flag = &o->probe.failures_only },
		{ .name = "junit", .value = &o->probe.junit_path },
		{ .name = "host", .value = &o->host },
		{ 0 },
	};

	if (cmd_args(argc, argv, is_up ? up : plan, &o->file, 1, 1,
		     is_up ? USAGE_UP : USAGE_PLAN) < 0)
		return -1;
	if (o->quiet && o->verbose) {
		fprintf(stderr,
			"topo: -q and -v ask for opposite things: give one\nusage: topo up %s\n",
			USAGE_UP);
		return -1;
	}
	o->probe.json = o->json;
	o->probe.quiet = o->quiet;
	o->probe.colour = !o->json && term_colour_for(stdout);
	/* LAB: the file its last `up` kept (up LAB brings it back to it) */
	return (o->file = cmd_lab_file(o->file, o->kept, sizeof(o->kept))) ? 0 : -1;
}

static void print_notes(const struct state *want)
{
	size_t i;

	for (i = 0; i < want->n_notes; i++)
		fprintf(stderr, "topo: note: %s\n", want->notes[i]);
}

static void print_drift(const struct plan *p, FILE *f)
{
	bool colour = term_colour_for(f);
	char before[64];
	size_t i;

	snprintf(before, sizeof(before), "topo: %sdrift:%s ", term_sgr(colour, TERM_YELLOW),
		 term_sgr(colour, TERM_RESET));
	for (i = 0; i < p->n_drift_acts; i++)
		action_print(&p->drift[i], before, " (not in the file; `up --prune` removes it)",
			     f);
}

/* Say what hostneigh_check found: a warning per table the lab can
 * overflow, or what --tune-host raised. -1 when raising failed. */
static int check_neigh_tables(const struct topology *t, bool tune, bool quiet)
{
	struct hostneigh h[HOSTNEIGH_FAMILIES];
	char path[96];
	size_t i;

	hostneigh_check(t, tune, h);
	for (i = 0; i < HOSTNEIGH_FAMILIES; i++) {
		if (h[i].err < 0) {
			fprintf(stderr, "topo: tune-host: %s: %s\n",
				sysctl_path(h[i].failed, path, sizeof(path)), strerror(-h[i].err));
			return -1;
		}
		if (quiet)
			continue;
		if (h[i].raised)
			fprintf(stderr, "topo: tune-host: net.%s.neigh.default.gc_thresh3 %ld -> %ld\n",
				h[i].proto, h[i].limit, h[i].want);
		else if (h[i].want)
			fprintf(stderr,
				"topo: warning: this lab can need %zu %s neighbour entries, over the "
				"machine-wide limit net.%s.neigh.default.gc_thresh3 = %ld; probes may fail "
				"with 'neighbor table overflow'. Raise it (sysctl -w "
				"net.%s.neigh.default.gc_thresh3=%ld) or run `topo up --tune-host`.\n",
				h[i].need, h[i].family == AF_INET ? "IPv4" : "IPv6", h[i].proto,
				h[i].limit, h[i].proto, h[i].want);
	}
	return 0;
}

/* Everything plan and up share: the file, both states, the diff. */
struct reconcile {
	struct topology *t;
	struct state want, have;
	struct plan plan;
	struct proc_plan procs;	/* the processes (`run:`) to start, restart, stop */
	struct conns conns;
	int lock;
	bool borrowed;		/* T is the caller's */
	/* This `up` made the lab's run directory, and has not kept the lab
	 * file there yet (it changed nothing): a refusal removes it again. */
	bool made_rundir;
};

static void reconcile_free(struct reconcile *r)
{
	if (r->made_rundir && r->lock >= 0)
		rundir_forget(r->want.lab);
	plan_free(&r->plan);
	proc_plan_free(&r->procs);
	state_free(&r->have);
	state_free(&r->want);
	conns_free(&r->conns);
	lab_unlock(r->lock);
	if (!r->borrowed)
		topo_free(r->t);
}

/* The namespaces P's actions reach: their own, and a veth's other end. */
static void plan_touched(const struct plan *p, struct strmap *out)
{
	size_t i;

	for (i = 0; i < p->n_acts; i++) {
		const struct action *a = &p->acts[i];

		strmap_put(out, a->ns, strlen(a->ns), 0, NULL);
		if (a->iface.kind == ST_VETH && a->iface.peer_ns[0])
			strmap_put(out, a->iface.peer_ns, strlen(a->iface.peer_ns), 0, NULL);
	}
}

/*
 * Observe and diff. With APPLIED, after an apply: the namespaces the plan
 * reached are read again, the others taken from the previous reading
 * (nothing in the plan can have changed them), and the plan that was
 * applied moves to *APPLIED.
 */
static int reconcile_diff(struct reconcile *r, bool prune, struct plan *applied)
{
	bool verify = applied != NULL;
	struct state prev = r->have;
	struct strmap touched = { 0 };
	char err[512];
	int e;

	memset(&r->have, 0, sizeof(r->have));
	if (verify) {
		plan_touched(&r->plan, &touched);
		*applied = r->plan;
	} else {
		plan_free(&r->plan);
	}
	memset(&r->plan, 0, sizeof(r->plan));
	if (verify)
		e = observe_reread(&r->conns, r->want.lab, &r->want, &prev, &touched, &r->have, err,
				   sizeof(err));
	else
		e = observe_lab(&r->conns, r->want.lab, &r->want, &r->have, err, sizeof(err));
	state_free(&prev);
	strmap_free(&touched);
	if (e < 0) {
		fprintf(stderr, "topo: %s\n", CMD_SHOW(err));
		return -1;
	}
	if ((e = plan_diff(&r->want, &r->have, prune, &r->plan)) < 0) {
		fprintf(stderr, "topo: plan: %s\n", strerror(-e));
		return -1;
	}
	return 0;
}

/* The prefix of lab R that is up: its kept file's, else that of a
 * namespace of it named for another prefix (""). Into PREFIX. */
static void prefix_up(const struct reconcile *r, char prefix[TOPO_NAME_MAX + 1])
{
	char kept[256], ns[TOPO_NSNAME_MAX + 1];
	struct topology *k = NULL;
	struct diag d = { 0 };
	size_t i;

	/* The lab's namespaces, read already, say it at no cost; the kept
	 * copy (parsed: a 1000-node file costs a tenth of an added link's
	 * `up`) only when none is left. */
	prefix[0] = '\0';
	for (i = 0; i < r->have.n_ns; i++) {
		const struct st_ns *h = &r->have.ns[i];
		size_t len = strlen(h->name), nlen = strlen(h->node);

		topo_nsname(r->t, h->node, ns, sizeof(ns));
		if (strcmp(ns, h->name) && len > nlen + 1 && h->name[len - nlen - 1] == '-' &&
		    !strcmp(h->name + len - nlen, h->node)) {
			snprintf(prefix, TOPO_NAME_MAX + 1, "%.*s", (int)(len - nlen - 1), h->name);
			return;
		}
	}
	if (r->have.n_ns || rundir_path(r->want.lab, RUNDIR_LAB_FILE, kept, sizeof(kept)) < 0 ||
	    access(kept, F_OK) < 0)
		return;
	d.file = kept;
	if (topo_load(kept, &k, &d) == 0 && k->prefix)
		snprintf(prefix, TOPO_NAME_MAX + 1, "%s", k->prefix);
	topo_free(k);
	diag_free(&d);
}

/*
 * A lab name is one lab: a file that gives it another prefix than the
 * lab that is up would take that lab over, deleting the namespaces of the
 * other prefix (they carry the lab's mark). Refused, naming both files,
 * until `down`. -1 when refused (printed).
 */
static int prefix_clash(const struct reconcile *r, const char *file)
{
	char prefix[TOPO_NAME_MAX + 1], from[PATH_MAX + 1], abs[PATH_MAX + 1];

	/* The same file again (with a new prefix, an edit that renames the
	 * lab): nothing to compare, and the kept copy is not even read. */
	if (rundir_kept_path(r->want.lab, from, sizeof(from)) < 0)
		snprintf(from, sizeof(from), "an earlier file");
	else if (realpath(file, abs) && !strcmp(abs, from))
		return 0;
	prefix_up(r, prefix);
	if (!prefix[0] || !strcmp(prefix, r->t->prefix))
		return 0;
	fprintf(stderr,
		"topo: lab %s is up from %s with prefix %s (namespaces %s-*); %s gives it prefix %s: "
		"`topo down %s` first, or give one of the two files another lab name\n",
		r->want.lab, CMD_SHOW(from), CMD_SHOW(prefix), CMD_SHOW(prefix), file, r->t->prefix,
		r->want.lab);
	return -1;
}

/*
 * A kernel without a qdisc the plan needs (netem is a module some
 * kernels lack) is refused before anything changes, naming the first
 * interface that needs it. -1 when refused (printed).
 */
static int qdiscs_missing(const struct plan *p)
{
	char why[640], t[256];
	size_t i, n = 0, first = 0;

	for (i = 0; i < p->n_acts; i++)
		if (p->acts[i].type == ACT_LINK_SET && p->acts[i].set == SET_QDISC &&
		    qdisc_needs_netem(&p->acts[i].iface.qdisc) && !n++)
			first = i;
	if (!n || qdisc_kernel_has(&p->acts[first].iface.qdisc, why, sizeof(why)) == 0)
		return 0;
	fprintf(stderr, "topo: %s of node %s needs netem (impair: %s)%s; %s. Nothing was changed.\n",
		CMD_SHOW(p->acts[first].iface.name), CMD_SHOW(p->acts[first].node),
		qdisc_text(&p->acts[first].iface.qdisc, t, sizeof(t)),
		n > 1 ? " as do other interfaces" : "", why);
	return -1;
}

static int reconcile_start(struct reconcile *r, const struct up_opts *o, const char *what)
{
	int e;

	memset(r, 0, sizeof(*r));
	r->lock = -1;
	r->borrowed = o->t != NULL;
	if (!(r->t = o->t ? o->t : cmd_load(o->file)))
		return -1;
	if (cmd_host_select(r->t, o->host, true))
		return -1;
	if (want_build(r->t, &r->want) < 0) {
		fprintf(stderr, "topo: %s: cannot build the desired state\n", o->file);
		return -1;
	}
	if (!cmd_need_root(what))
		return -1;
	r->conns.stop = cmd_signals();
	if (!strcmp(what, "plan"))
		r->lock = lab_lock(r->want.lab, false);
	else
		r->lock = lab_lock_made(r->want.lab, &r->made_rundir);
	if (r->lock == -1)
		return -1;
	if ((e = sysctl_want_dropped(&r->want)) < 0) {
		fprintf(stderr, "topo: read the sysctls of a new namespace: %s\n", strerror(-e));
		return -1;
	}
	if (reconcile_diff(r, o->prune, NULL) < 0 || qdiscs_missing(&r->plan) < 0 ||
	    procs_plan(r->t, r->want.lab, &r->procs) < 0)
		return -1;
	return prefix_clash(r, o->file);
}

static bool plan_errors(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n_errors; i++)
		fprintf(stderr, "topo: %s\n", CMD_SHOW(p->errors[i]));
	return p->n_errors > 0;
}

int cmd_plan(int argc, char **argv)
{
	struct up_opts o = { 0 };
	struct reconcile r;
	int rc = EXIT_ERR;

	if (parse_opts(argc, argv, &o, false) < 0)
		return EXIT_ERR;
	if (reconcile_start(&r, &o, "plan") < 0)
		goto out;
	print_notes(&r.want);
	if (o.json)
		plan_json_procs(r.want.lab, &r.plan, &r.procs, stdout);
	else
		plan_print_procs(&r.plan, &r.procs, stdout);
	if (plan_errors(&r.plan))
		goto out;
	rc = r.plan.n_acts || r.procs.n ? EXIT_PENDING : EXIT_OK;
out:
	reconcile_free(&r);
	return rc;
}

/*
 * What still differs after apply (LEFT), once APPLIED was carried out:
 * what something else did to the lab meanwhile, said as such, and what
 * only a bug of topo explains.
 */
static void print_left(const char *lab, const struct plan *applied, const struct plan *left)
{
	enum verify_cause *cause = xcalloc(left->n_acts + 1, sizeof(*cause));
	size_t i, bugs = verify_classify(applied, left, cause), follows = 0;

	if (bugs < left->n_acts)
		fprintf(stderr, "topo: something else changed lab %s while up ran:\n", lab);
	for (i = 0; i < left->n_acts; i++) {
		const struct action *a = &left->acts[i];

		if (cause[i] == VERIFY_NS_GONE)
			fprintf(stderr, "topo:   namespace %s is gone (deleted by someone else)\n", a->ns);
		else if (cause[i] == VERIFY_VANISHED)
			action_print(a, "topo:   gone, to do again: ", "", stderr);
		follows += cause[i] == VERIFY_FOLLOWS;
	}
	if (follows)
		fprintf(stderr, "topo:   and %zu difference%s that follow%s from it\n", follows,
			follows == 1 ? "" : "s", follows == 1 ? "s" : "");
	if (bugs < left->n_acts)
		fprintf(stderr, "topo: `topo up` again repairs the lab\n");
	if (bugs) {
		fprintf(stderr, "topo: bug: the kernel still differs from the file after apply:\n");
		for (i = 0; i < left->n_acts; i++)
			if (cause[i] == VERIFY_BUG)
				action_print(&left->acts[i], "topo:   ", "", stderr);
		fprintf(stderr,
			"topo: please report this with the lab file and `topo status --json`\n");
	}
	free(cause);
}

/* Keep a copy of O's file for `status LAB` and `down LAB` without the file. */
static int keep_file(struct reconcile *r, const struct up_opts *o)
{
	const char *file = o->file;
	int err;

	r->made_rundir = false;
	if (o->keep_text)
		err = rundir_keep_text(r->want.lab, o->keep_text, o->keep_len, file);
	else
		err = rundir_keep_file(r->want.lab, file);
	if (err < 0)
		fprintf(stderr, "topo: warning: keep a copy of %s in %s: %s\n", file, RUNDIR_ROOT,
			strerror(-err));
	return err;
}

/* How `up` tells what it does: each change (-v), a progress line, or nothing (-q). */
struct up_out {
	FILE *info;	/* what it did, for people: stdout, stderr under --json, NULL under -q */
	bool verbose;
	uint64_t t0;	/* when `up` started */
	struct term_progress progress;
	size_t done, total;
};

static void change_done(const struct action *a, void *arg)
{
	struct up_out *u = arg;

	if (u->verbose)
		action_print(a, "", "", u->info);
	else
		term_progress_count(++u->done, u->total, "applying changes:", &u->progress);
}

/* Apply R's plan and verify it; the plan carried out into *APPLIED. 0, or -1 (printed). */
static int up_apply(struct reconcile *r, const struct up_opts *o, struct apply_ctx *ctx,
		    struct up_out *u, struct plan *applied)
{
	char summary[512];
	int err, e;

	ctx->lab = r->want.lab;
	ctx->conns = &r->conns;
	ctx->have = &r->have;
	ctx->t = r->t;
	ctx->done_cb = u->info ? change_done : NULL;
	ctx->done_arg = u;
	u->total = r->plan.n_acts;
	err = apply_plan(ctx, &r->plan);
	term_progress_clear(&u->progress);
	if (err < 0) {
		fprintf(stderr, "topo: %s\n", CMD_SHOW(ctx->err));
		if (err != -EINTR && !o->t)
			fprintf(stderr,
				"topo: %zu of %zu change%s made; fix the cause and run "
				"`topo up` again, or `topo down %s`\n",
				ctx->done, r->plan.n_acts, cmd_s(r->plan.n_acts), r->want.lab);
		return -1;
	}
	/* Verify: read the kernel again; what still differs is our bug,
	 * unless something else changed the lab meanwhile. */
	e = reconcile_diff(r, o->prune, applied);
	if (e == 0 && r->plan.n_acts)
		print_left(r->want.lab, applied, &r->plan);
	if (e < 0 || r->plan.n_acts)
		return -1;
	if (u->info) {
		plan_summary(applied->acts, applied->n_acts, summary, sizeof(summary));
		fprintf(u->info, "%s\nApply complete: %zu change%s in %.2f s; verified.\n", summary,
			ctx->done, cmd_s(ctx->done), (double)(now_us() - u->t0) / 1e6);
	}
	return 0;
}

/* The impairments measured, as `up --json`'s "impairments" (docs/json.md). */
static void impair_checks_json(const struct topology *t, const struct impair_check *c, size_t n,
			       FILE *out)
{
	char text[512];
	size_t i;
	int e;

	fputc('[', out);
	for (i = 0; i < n; i++, c++) {
		const struct link *l = &t->links[c->link];

		fputs(i ? ",{\"from\":" : "{\"from\":", out);
		snprintf(text, sizeof(text), "%s:%s", l->ep[0].node, l->ep[0].iface);
		json_str(out, text);
		snprintf(text, sizeof(text), "%s:%s", l->ep[1].node, l->ep[1].iface);
		json_member(out, "to", text);
		fprintf(out, ",\"measured\":%s,\"ok\":%s,\"why\":", c->skip[0] ? "false" : "true",
			c->ok ? "true" : "false");
		json_str(out, c->skip[0] ? c->skip : c->why);
		fprintf(out, ",\"echoes\":%u,\"lost\":%u,\"lost_bound\":[%u,%u],"
			"\"rtt_min_ms\":%.3f,\"rtt_floor_ms\":%.3f,\"rates\":[",
			c->count, c->skip[0] ? 0 : c->count - c->received, c->lost_lo, c->lost_hi,
			(double)c->rtt_min_us / 1000, (double)c->rtt_floor_us / 1000);
		for (e = 0; e < 2; e++)
			fprintf(out, "%s{\"declared_bps\":%" PRIu64 ",\"measured_bps\":%" PRIu64 "}",
				e ? "," : "", c->rate_want[e], c->rate_got[e]);
		fputs("]}", out);
	}
	fputc(']', out);
}

/* `up --json`'s own members, after "lab": what it changed, the drift it left, whether it probed. */
struct up_json {
	struct plan *applied;	/* filled by up_apply */
	const struct plan *left;
	const struct topology *t;
	struct impair_check *checks;	/* the impairments measured */
	size_t n_checks;
	bool probed;
};

static void up_json_members(FILE *out, void *arg)
{
	const struct up_json *j = arg;

	fputs(",\"changes\":", out);
	actions_json(j->applied->acts, j->applied->n_acts, out);
	fputs(",\"drift\":", out);
	actions_json(j->left->drift, j->left->n_drift_acts, out);
	fprintf(out, ",\"probed\":%s", j->probed ? "true" : "false");
	fputs(",\"impairments\":", out);
	impair_checks_json(j->t, j->checks, j->n_checks, out);
}

/*
 * Measure every impairment of the file across its link, unless told not
 * to. Each verdict on INFO (a failure on stderr too under -q). EXIT_OK,
 * EXIT_PROBE when one is off, or the exit status of an error.
 */
static int up_verify_impair(const struct reconcile *r, const struct up_opts *o, FILE *info,
			    struct up_json *j, volatile sig_atomic_t *stop)
{
	char err[512], text[512];
	size_t i, bad = 0;
	int e;

	j->t = r->t;
	if (o->no_verify_impair || impair_plan(r->t, &j->checks, &j->n_checks) < 0 || !j->n_checks)
		return EXIT_OK;
	if ((e = impair_measure(r->t, j->checks, j->n_checks, stop, err, sizeof(err))) < 0) {
		fprintf(stderr, "topo: impairments: %s\n", err);
		return e == -EINTR ? 128 + (int)*stop : EXIT_ERR;
	}
	for (i = 0; i < j->n_checks; i++) {
		const struct impair_check *c = &j->checks[i];
		FILE *f = c->ok ? info : info ? info : stderr;

		impair_check_text(r->t, c, text, sizeof(text));
		bad += !c->ok;
		if (f && c->skip[0])
			fprintf(f, "impair %s\n", text);
		else if (f)
			fprintf(f, "impair %s: %s%s\n", text, c->ok ? "ok" : "FAIL: ", c->why);
	}
	return bad ? EXIT_PROBE : EXIT_OK;
}

/* Run the probes, or with --json and none to run, the report without them. The exit status. */
static int up_probe(const struct reconcile *r, struct up_opts *o, volatile sig_atomic_t *stop)
{
	struct probe_run none = { .t = r->t };
	char errbuf[512];
	int err;

	if (o->no_probe || !r->t->n_probes) {
		if (o->json)
			probe_report_json_with(&none, stdout, o->probe.json_members,
					       o->probe.json_arg);
		return EXIT_OK;
	}
	((struct up_json *)o->probe.json_arg)->probed = true;
	o->probe.stop = stop;
	err = probe_lab(r->t, &o->probe, stdout, errbuf, sizeof(errbuf));
	term_progress_clear(o->probe.progress_arg);
	if (err < 0) {
		fprintf(stderr, "topo: probe: %s\n", errbuf);
		return err == -EINTR ? 128 + (int)*stop : EXIT_ERR;
	}
	return err ? EXIT_PROBE : EXIT_OK;
}

/*
 * After reconcile_start: notes, drift and the neighbour tables said, the
 * plan applied and verified, the file kept, the lock and the namespace
 * handles let go. J->left is the drift left alone. 0, or -1 (printed).
 */
static int up_converge(struct reconcile *r, const struct up_opts *o, struct apply_ctx *ctx,
		       struct up_out *u, struct up_json *j)
{
	bool kept = false;
	int err;

	if (!o->quiet)
		print_notes(&r->want);
	if (plan_errors(&r->plan))
		return -1;
	if (!o->quiet)
		print_drift(&r->plan, stderr);
	if (check_neigh_tables(r->t, o->tune_host, o->quiet) < 0)
		return -1;
	/* Before exec commands run: they may look a node up by name. */
	if ((err = nodeenv_hosts_write(r->t, r->want.lab)) < 0) {
		fprintf(stderr, "topo: write %s/%s/%s: %s\n", RUNDIR_ROOT, r->want.lab, NODEENV_HOSTS,
			strerror(-err));
		return -1;
	}
	/* the drift left alone, for --json: the plan is read again after apply */
	j->left = &r->plan;
	/* Before the network changes: a node that goes takes its processes'
	 * namespace with it, and what restarts is stopped first. */
	if (procs_stop_phase(r->want.lab, &r->procs, u->info) < 0)
		return -1;
	if (!r->plan.n_acts) {
		if (u->info)
			fprintf(u->info, "No changes: the kernel already matches %s.\n", o->file);
	} else {
		/* Kept before the first change: a `down LAB` after an `up` killed
		 * half-way finds the node names (and their placeholders) in it. */
		kept = keep_file(r, o) == 0;
		if (up_apply(r, o, ctx, u, j->applied) < 0)
			return -1;
	}
	if (!kept)
		keep_file(r, o);
	if ((err = nodeenv_prune(r->t, r->want.lab)) < 0)
		fprintf(stderr, "topo: warning: remove what %s keeps for nodes gone: %s\n",
			RUNDIR_ROOT, strerror(-err));
	/* The network is up and verified: the processes that need it, before the probes. */
	if (procs_start_phase(r->t, r->want.lab, &r->procs, u->info, ctx->stop) < 0)
		return -1;
	lab_unlock(r->lock);
	r->lock = -1;
	/* The prober opens the namespaces itself: no handle stays open. */
	conns_free(&r->conns);
	return 0;
}

int cmd_up(int argc, char **argv)
{
	struct up_opts o = { 0 };
	struct apply_ctx ctx = { 0 };
	struct reconcile r;
	struct plan applied = { 0 };
	struct up_out u = { .t0 = now_us() };
	struct up_json j = { .applied = &applied };
	int rc = EXIT_ERR, vrc;

	if (parse_opts(argc, argv, &o, true) < 0)
		return EXIT_ERR;
	/* With --json, stdout carries only the JSON report. */
	u.info = o.quiet ? NULL : o.json ? stderr : stdout;
	u.verbose = o.verbose;
	/* -v lists each change: no progress line between them */
	term_progress_init(&u.progress, stderr, u.info && !o.verbose && term_is_tty(stderr));
	ctx.stop = cmd_signals();
	if (reconcile_start(&r, &o, "up") < 0 || up_converge(&r, &o, &ctx, &u, &j) < 0)
		goto out;
	if ((vrc = up_verify_impair(&r, &o, u.info, &j, ctx.stop)) != EXIT_OK && vrc != EXIT_PROBE) {
		rc = vrc;
		goto out;
	}
	o.probe.json_members = up_json_members;
	o.probe.json_arg = &j;
	o.probe.progress = term_progress_count;
	o.probe.progress_arg = &u.progress;
	rc = up_probe(&r, &o, ctx.stop);
	if (rc == EXIT_OK)
		rc = vrc;
out:
	free(j.checks);
	plan_free(&applied);
	reconcile_free(&r);
	/* Whatever failed, a SIGINT/SIGTERM is why: the shell's status for it. */
	if (rc == EXIT_ERR && cmd_signal_exit())
		rc = cmd_signal_exit();
	return rc;
}

int cmd_up_lab(struct topology *t, const char *file, const char *text, size_t len)
{
	struct up_opts o = { .file = file, .quiet = true, .t = t, .keep_text = text,
			     .keep_len = len };
	struct apply_ctx ctx = { .stop = cmd_signals() };
	struct reconcile r;
	int rc = EXIT_ERR;

	struct plan applied = { 0 };
	struct up_out u = { .t0 = now_us() };
	struct up_json j = { .applied = &applied };

	if (reconcile_start(&r, &o, "test") == 0 && up_converge(&r, &o, &ctx, &u, &j) == 0)
		rc = EXIT_OK;
	plan_free(&applied);
	reconcile_free(&r);
	return rc;
}
