// SPDX-License-Identifier: MIT
/* proc_plan - which of a lab's processes `up` starts, restarts and stops. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host.h"
#include "netns.h"
#include "nodeenv.h"
#include "proc.h"
#include "util.h"

/* Is PID in another network namespace than NODE's of T (or has NODE none)? */
static bool runs_elsewhere(const struct topology *t, const char *node, pid_t pid)
{
	char ns[TOPO_NSNAME_MAX + 1], path[TOPO_NSNAME_MAX + 32];
	struct stat want, have;

	if (!t || !topo_node_find(t, node))
		return false;
	topo_nsname(t, node, ns, sizeof(ns));
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", ns);
	if (stat(path, &want) < 0)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	return stat(path, &have) == 0 && (have.st_ino != want.st_ino || have.st_dev != want.st_dev);
}

int proc_seen_read(const char *lab, const struct topology *t, struct proc_seen **seen, size_t *n)
{
	struct proc_record *recs;
	char **nodes;
	size_t n_nodes, n_recs, i, j;
	int err;

	*seen = NULL;
	*n = 0;
	if ((err = proc_nodes_read(lab, &nodes, &n_nodes)) < 0)
		return err;
	for (i = 0; i < n_nodes; i++) {
		if (proc_records_read(lab, nodes[i], &recs, &n_recs) == 0) {
			for (j = 0; j < n_recs; j++) {
				struct proc_seen *s = VEC_APPEND(seen, n);

				snprintf(s->node, sizeof(s->node), "%s", nodes[i]);
				s->rec = recs[j];
				s->alive = !recs[j].exited && proc_is(recs[j].pid, recs[j].start);
				s->elsewhere = s->alive && runs_elsewhere(t, nodes[i], recs[j].pid);
			}
			free(recs);
		}
		free(nodes[i]);
	}
	free(nodes);
	return 0;
}

/* "node/name", the key of a process in the lab */
static char *proc_key(const char *node, const char *name, size_t *len)
{
	char *k = xasprintf("%s/%s", node, name);

	*len = strlen(k);
	return k;
}

static void want_node(const struct topology *t, const struct node *nd, const struct proc_seen *seen,
		      const struct strmap *idx, bool *used, struct proc_plan *out)
{
	uint64_t files;
	size_t j, i, len;

	if (!nd->n_runs)
		return;
	/* the node's files are read (hashed) only for a node that runs something */
	files = nodeenv_files_hash(t, nd);

	for (j = 0; j < nd->n_runs; j++) {
		const struct run_spec *r = &nd->runs[j];
		char *k = proc_key(nd->name, r->name, &len);
		struct proc_act a = { .type = PROC_START, .spec = r, .hash = proc_identity(r, files) };
		bool found = strmap_get(idx, k, len, &i);

		free(k);
		snprintf(a.node, sizeof(a.node), "%s", nd->name);
		if (found) {
			used[i] = true;
			if (seen[i].alive && !seen[i].elsewhere && seen[i].rec.hash == a.hash)
				continue;
			a.type = PROC_RESTART;
			a.has_rec = true;
			a.rec = seen[i].rec;
			a.alive = seen[i].alive;
			a.elsewhere = seen[i].elsewhere;
		}
		out->n_start += a.type == PROC_START;
		out->n_restart += a.type == PROC_RESTART;
		*(struct proc_act *)VEC_APPEND(&out->acts, &out->n) = a;
	}
}

int proc_plan_diff(const struct topology *t, const struct proc_seen *seen, size_t n_seen,
		   struct proc_plan *out)
{
	struct strmap idx = { 0 };
	bool *used = xcalloc(n_seen + 1, sizeof(*used));
	size_t i, len;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n_seen; i++) {
		char *k = proc_key(seen[i].node, seen[i].rec.name, &len);

		strmap_put(&idx, k, len, i, NULL);
		free(k);
	}
	for (i = 0; t && i < t->n_nodes; i++)
		if (host_here(t, t->nodes[i].name))	/* another host runs its own */
			want_node(t, &t->nodes[i], seen, &idx, used, out);
	for (i = 0; i < n_seen; i++) {
		struct proc_act *a;

		if (used[i])
			continue;
		a = VEC_APPEND(&out->acts, &out->n);
		a->type = PROC_STOP;
		snprintf(a->node, sizeof(a->node), "%s", seen[i].node);
		a->has_rec = true;
		a->rec = seen[i].rec;
		a->alive = seen[i].alive;
		out->n_stop++;
	}
	strmap_free(&idx);
	free(used);
	return 0;
}

const char *proc_act_why(const struct proc_act *a, char *buf, size_t len)
{
	if (a->type == PROC_START)
		snprintf(buf, len, "not running");
	else if (a->type == PROC_STOP)
		snprintf(buf, len, "no longer in the file");
	else if (a->alive && a->elsewhere)
		snprintf(buf, len, "it runs in a namespace of the node deleted since");
	else if (a->alive)
		snprintf(buf, len, "its command, environment or files changed");
	else if (a->rec.exited)
		snprintf(buf, len, "exited with status %d", a->rec.status);
	else
		snprintf(buf, len, "pid %d is gone", (int)a->rec.pid);
	return buf;
}

void proc_plan_free(struct proc_plan *p)
{
	free(p->acts);
	memset(p, 0, sizeof(*p));
}
