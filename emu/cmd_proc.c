// SPDX-License-Identifier: MIT
/* The processes of a lab (`run:`) as plan, up, status and down show and change them. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "json.h"
#include "netns.h"
#include "plan.h"
#include "proc.h"
#include "procs.h"
#include "rundir.h"
#include "util.h"

#define LOG_TAIL_LINES 10

int procs_plan(const struct topology *t, const char *lab, struct proc_plan *pp)
{
	struct proc_seen *seen;
	size_t n;
	int e;

	memset(pp, 0, sizeof(*pp));
	if ((e = proc_seen_read(lab, t, &seen, &n)) < 0) {
		fprintf(stderr, "topo: read the process records of lab %s: %s\n", lab, strerror(-e));
		return -1;
	}
	e = proc_plan_diff(t, seen, n, pp);
	free(seen);
	return e < 0 ? -1 : 0;
}

void procs_plan_print(const struct proc_plan *pp, FILE *f)
{
	char why[128];
	size_t i;

	for (i = 0; pp && i < pp->n; i++) {
		const struct proc_act *a = &pp->acts[i];

		proc_act_why(a, why, sizeof(why));
		if (a->type == PROC_START)
			fprintf(f, "+ process %s/%s (%s)\n", a->node, a->spec->name,
				CMD_SHOW(a->spec->cmd));
		else if (a->type == PROC_RESTART)
			fprintf(f, "~ process %s/%s (restart: %s)\n", a->node, a->spec->name, why);
		else if (a->alive)
			fprintf(f, "- process %s/%s (stop pid %d: %s)\n", a->node, a->rec.name,
				(int)a->rec.pid, why);
		else
			fprintf(f, "- process %s/%s (forget its record: %s)\n", a->node, a->rec.name,
				why);
	}
}

const char *procs_act_sentence(const struct proc_act *a, char *buf, size_t len)
{
	char why[128];

	proc_act_why(a, why, sizeof(why));
	if (a->type == PROC_START)
		snprintf(buf, len, "%s: start process %s", a->node, a->spec->name);
	else if (a->type == PROC_RESTART)
		snprintf(buf, len, "%s: restart process %s (%s)", a->node, a->spec->name, why);
	else if (a->alive)
		snprintf(buf, len, "%s: stop process %s (pid %d)", a->node, a->rec.name,
			 (int)a->rec.pid);
	else if (a->rec.exited)
		snprintf(buf, len, "%s: forget process %s (exited with status %d)", a->node,
			 a->rec.name, a->rec.status);
	else
		snprintf(buf, len, "%s: forget process %s (pid %d is gone)", a->node, a->rec.name,
			 (int)a->rec.pid);
	return buf;
}

/* Stop A's running process, saying so on INFO. 0 or -1 (printed). */
static int stop_one(const struct proc_act *a, FILE *info)
{
	char why[128];
	int e;

	if (info)
		fprintf(info, "%s: stop process %s (pid %d)%s: %s\n", a->node, a->rec.name,
			(int)a->rec.pid, a->type == PROC_RESTART ? " to restart it" : "",
			proc_act_why(a, why, sizeof(why)));
	if ((e = proc_stop_record(&a->rec, PROC_GRACE_US)) < 0) {
		fprintf(stderr, "topo: %s: stop process %s (pid %d): %s\n", a->node, a->rec.name,
			(int)a->rec.pid, strerror(-e));
		return -1;
	}
	return 0;
}

int procs_stop_phase(const char *lab, const struct proc_plan *pp, FILE *info)
{
	char s[ACT_TEXT_MAX];
	size_t i;

	for (i = 0; i < pp->n; i++) {
		const struct proc_act *a = &pp->acts[i];

		if (a->type != PROC_START && a->alive && stop_one(a, info) < 0)
			return -1;
		if (a->type != PROC_STOP)
			continue;
		if (!a->alive && info)
			fprintf(info, "%s: no longer in the file\n",
				procs_act_sentence(a, s, sizeof(s)));
		proc_record_forget(lab, a->node, a->rec.name);
	}
	return 0;
}

int procs_gone_nodes_stop(const struct plan *p, FILE *info, const volatile sig_atomic_t *stop)
{
	char path[sizeof(NETNS_RUN_DIR) + ST_NSNAMSIZ + 1];
	struct procs_stopped st;
	struct procs_ns ns;
	size_t i;
	int err;

	for (i = 0; i < p->n_acts; i++) {
		const struct action *a = &p->acts[i];

		if (a->type != ACT_NS_DEL)
			continue;
		snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", a->ns);
		if (procs_ns_of(path, &ns) < 0)
			continue;	/* gone already: nothing can be in it by name */
		if ((err = procs_stop(&ns, 1, DOWN_GRACE_US, stop, &st)) < 0) {
			fprintf(stderr, "topo: find the processes of node %s in /proc: %s\n", a->node,
				strerror(-err));
			return -1;
		}
		if (st.termed && info)
			fprintf(info, "%s: stopped %zu process%s of a node no longer in the file%s\n",
				a->node, st.termed, st.termed == 1 ? "" : "es",
				st.killed ? " (some killed: still running after SIGTERM)" : "");
	}
	return 0;
}

static const char *ready_what(const struct run_spec *r, char *buf, size_t len)
{
	if (r->ready == READY_FILE)
		snprintf(buf, len, "file %s", r->ready_file);
	else
		snprintf(buf, len, "%s port %u", r->ready == READY_TCP ? "tcp" : "udp", r->ready_port);
	return buf;
}

/* Why A's process is not up: its node, command, status and the end of its log. */
static void start_failed(const char *lab, const struct proc_act *a, const struct proc_record *rec,
			 enum proc_ready_result res)
{
	char what[4200], tail[4096], path[320], leaf[RUN_NAME_MAX + 8];
	const struct run_spec *r = a->spec;
	char *line, *next;

	ready_what(r, what, sizeof(what));
	if (res == PROC_EXITED)
		fprintf(stderr, "topo: %s: process %s (%s) exited with status %d before it was ready "
			"(%s)\n", a->node, r->name, CMD_SHOW(r->cmd), rec->status, what);
	else
		fprintf(stderr, "topo: %s: process %s (%s) was not ready after %.3g s (%s): stopped, "
			"exit status %d\n", a->node, r->name, CMD_SHOW(r->cmd),
			(double)r->ready_timeout_us / 1e6, what, rec->exited ? rec->status : -1);
	snprintf(leaf, sizeof(leaf), "%s.log", r->name);
	rundir_node_path(lab, a->node, leaf, path, sizeof(path));
	if (proc_log_tail(lab, a->node, r->name, LOG_TAIL_LINES, tail, sizeof(tail)) < 0 || !tail[0]) {
		fprintf(stderr, "topo: %s: its log %s is empty\n", a->node, path);
		return;
	}
	fprintf(stderr, "topo: %s: the last lines of its log %s:\n", a->node, path);
	for (line = tail; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		fprintf(stderr, "  | %s\n", CMD_SHOW(line));
	}
}

/* A process runs in its lab file's directory (so `./server` or a config
 * named relative to the file work wherever `topo up` is run from); "/"
 * for a lab read from stdin. */
static const char *lab_dir(const struct topology *t, char dir[PATH_MAX + 1])
{
	char *slash;

	if (!strcmp(t->file, "-") || !realpath(t->file, dir))
		return "/";
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	return dir;
}

static int start_one(const struct topology *t, const char *lab, const struct proc_act *a,
		     FILE *info, const volatile sig_atomic_t *stop)
{
	char ns[TOPO_NSNAME_MAX + 1], err[512], what[4200], dir[PATH_MAX + 1];
	struct proc_where w = { .lab = lab, .node = a->node, .cwd = lab_dir(t, dir) };
	struct proc_record rec = { 0 };
	enum proc_ready_result res;
	uint64_t t0 = now_us();
	int e;

	topo_nsname(t, a->node, ns, sizeof(ns));
	if ((w.netns_fd = netns_open(ns)) < 0) {
		fprintf(stderr, "topo: %s: start process %s: namespace %s: %s\n", a->node,
			a->spec->name, ns, strerror(-w.netns_fd));
		return -1;
	}
	e = proc_start(&w, a->spec, a->hash, &rec, err, sizeof(err));
	close(w.netns_fd);
	if (e < 0) {
		fprintf(stderr, "topo: %s: %s: %s\n", a->node, err, strerror(-e));
		return -1;
	}
	if (info)
		fprintf(info, "%s: start process %s (pid %d)%s\n", a->node, a->spec->name,
			(int)rec.pid, a->spec->ready ? ", waiting until it is ready" : "");
	if ((res = proc_wait_ready(lab, a->node, a->spec, &rec, stop)) == PROC_STOPPED)
		return -1;
	if (res != PROC_READY) {
		start_failed(lab, a, &rec, res);
		return -1;
	}
	if (info && a->spec->ready)
		fprintf(info, "%s: process %s is ready (%s) after %.2f s\n", a->node, a->spec->name,
			ready_what(a->spec, what, sizeof(what)), (double)(now_us() - t0) / 1e6);
	return 0;
}

int procs_start_phase(const struct topology *t, const char *lab, const struct proc_plan *pp,
		      FILE *info, const volatile sig_atomic_t *stop)
{
	size_t i;

	for (i = 0; i < pp->n; i++) {
		if (pp->acts[i].type == PROC_STOP)
			continue;
		if ((stop && *stop) || start_one(t, lab, &pp->acts[i], info, stop) < 0)
			return -1;
	}
	return 0;
}

static const char *when(long long s, bool iso, char *buf, size_t len)
{
	time_t tt = (time_t)s;
	struct tm tm;

	if (iso)
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&tt, &tm));
	else
		strftime(buf, len, "%Y-%m-%d %H:%M:%S", localtime_r(&tt, &tm));
	return buf;
}

void procs_status_text(const char *lab, const char *node)
{
	struct proc_record *recs;
	char t[32];
	size_t n, i;

	if (proc_records_read(lab, node, &recs, &n) < 0)
		return;
	for (i = 0; i < n; i++) {
		const struct proc_record *r = &recs[i];

		if (!r->exited && proc_is(r->pid, r->start))
			printf("  process %s pid %d running since %s: %s\n", r->name, (int)r->pid,
			       when(r->since, false, t, sizeof(t)), CMD_SHOW(r->cmd));
		else if (r->exited)
			printf("  process %s pid %d exited with status %d at %s: %s\n", r->name,
			       (int)r->pid, r->status, when(r->ended, false, t, sizeof(t)),
			       CMD_SHOW(r->cmd));
		else
			printf("  process %s pid %d gone (its supervisor too; started %s): %s\n",
			       r->name, (int)r->pid, when(r->since, false, t, sizeof(t)),
			       CMD_SHOW(r->cmd));
	}
	free(recs);
}

void procs_status_json(const char *lab, const char *node)
{
	struct proc_record *recs;
	char t[32];
	size_t n = 0, i;

	printf("\"processes\":[");
	if (proc_records_read(lab, node, &recs, &n) < 0)
		n = 0;
	for (i = 0; i < n; i++) {
		const struct proc_record *r = &recs[i];
		bool running = !r->exited && proc_is(r->pid, r->start);

		printf("%s{\"name\":", i ? "," : "");
		json_str(stdout, r->name);
		printf(",\"pid\":%d,\"state\":\"%s\"", (int)r->pid,
		       running ? "running" : r->exited ? "exited" : "gone");
		if (r->exited)
			printf(",\"status\":%d,\"since\":\"%s\"", r->status,
			       when(r->ended, true, t, sizeof(t)));
		else
			printf(",\"since\":\"%s\"", when(r->since, true, t, sizeof(t)));
		printf(",\"started\":\"%s\",\"cmd\":", when(r->since, true, t, sizeof(t)));
		json_str(stdout, r->cmd);
		printf("}");
	}
	printf("]");
	free(recs);
}

void procs_down(const char *lab)
{
	struct proc_seen *seen;
	char **nodes;
	size_t n, i;
	int e;

	if (proc_seen_read(lab, NULL, &seen, &n) == 0) {
		for (i = 0; i < n; i++) {
			if (seen[i].alive && (e = proc_stop_record(&seen[i].rec, PROC_GRACE_US)) < 0)
				fprintf(stderr, "topo: warning: %s: stop process %s (pid %d): %s\n",
					seen[i].node, seen[i].rec.name, (int)seen[i].rec.pid,
					strerror(-e));
		}
		free(seen);
	}
	if (proc_nodes_read(lab, &nodes, &n) < 0)
		return;
	for (i = 0; i < n; i++) {
		proc_node_forget(lab, nodes[i]);
		free(nodes[i]);
	}
	free(nodes);
}
