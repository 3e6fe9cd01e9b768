// SPDX-License-Identifier: MIT
/* topo status: what the kernel has for a lab, and how it differs from the file. */
#include <errno.h>
#include <inttypes.h>
#include <linux/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd.h"
#include "json.h"
#include "term.h"
#include "observe.h"
#include "plan.h"
#include "proc.h"
#include "qdisc.h"
#include "rundir.h"
#include "sysctl.h"
#include "util.h"
#include "want.h"

static const char *kind_name(const struct st_iface *ifc)
{
	switch (ifc->kind) {
	case ST_LO:
		return "loopback";
	case ST_VETH:
		return "veth";
	case ST_BRIDGE:
		return "bridge";
	default:
		return ifc->kind_name[0] ? ifc->kind_name : "other";
	}
}

/*
 * "up" only when the link can carry traffic: the admin flag alone hides a
 * veth whose peer is down ("up, no carrier") or a link the kernel holds
 * back ("up (operstate dormant)"). lo's operstate is "unknown": no news.
 */
static const char *link_state(const struct st_iface *ifc, char *buf, size_t len)
{
	if (!ifc->up)
		return "down";
	if (!ifc->carrier)
		return "up, no carrier";
	if (ifc->operstate != IF_OPER_UP && ifc->operstate != IF_OPER_UNKNOWN) {
		snprintf(buf, len, "up (operstate %s)", st_operstate_name(ifc->operstate));
		return buf;
	}
	return "up";
}

/* The last line: how the kernel compares with the file. Drift is more
 * than the file says, so a lab with drift is not "in sync". */
static void print_summary(const struct plan *p, const struct proc_plan *pp)
{
	size_t n = p->n_drift_acts, acts = p->n_acts + pp->n;

	if (!acts && !n) {
		printf("in sync with the file\n");
		return;
	}
	if (acts)
		printf("pending: %zu change%s to match the file (`topo plan` shows %s)", acts,
		       cmd_s(acts), acts == 1 ? "it" : "them");
	else
		printf("everything in the file is in place");
	if (n)
		printf("; %zu drift item%s %s not in the file (`topo up --prune` deletes %s)", n,
		       cmd_s(n), n == 1 ? "is" : "are", n == 1 ? "it" : "them");
	printf("\n");
}

/* Does P write the files of NS again? */
static bool files_pending(const struct plan *p, const struct st_ns *ns)
{
	size_t i;

	for (i = 0; i < p->n_acts; i++)
		if (p->acts[i].type == ACT_FILES && !strcmp(p->acts[i].ns, ns->name))
			return true;
	return false;
}

static void print_text(const struct state *have, const struct plan *p,
		       const struct proc_plan *pp, bool have_file)
{
	char a[64], b[64], m[18], st[48], drift[32];
	bool colour = term_colour_for(stdout);
	size_t i, j, k;

	printf("lab %s: %zu node%s\n", have->lab, have->n_ns, cmd_s(have->n_ns));
	for (i = 0; i < have->n_ns; i++) {
		const struct st_ns *ns = &have->ns[i];

		printf("node %s (netns %s)\n", CMD_SHOW(ns->node), CMD_SHOW(ns->name));
		for (j = 0; j < ns->n_ifaces; j++) {
			const struct st_iface *ifc = &ns->ifaces[j];

			printf("  %-15s %-8s %-4s mtu %-5u", CMD_SHOW(ifc->name),
			       CMD_SHOW(kind_name(ifc)), link_state(ifc, st, sizeof(st)), ifc->mtu);
			if (ifc->has_mac && ifc->kind != ST_LO)
				printf(" %s", mac_fmt(ifc->mac, m, sizeof(m)));
			if (ifc->peer_ns[0])
				printf(" <-> %s:%s", CMD_SHOW(ifc->peer_ns),
				       CMD_SHOW(ifc->peer_name));
			if (ifc->kind == ST_VXLAN)
				printf(" %s", vxlan_fmt(&ifc->vxlan, b, sizeof(b)));
			if (ifc->master[0])
				printf(" master %s", CMD_SHOW(ifc->master));
			for (k = 0; k < ifc->n_addrs; k++)
				printf(" %s", st_addr_fmt(&ifc->addrs[k], a, sizeof(a)));
			if (ifc->qdisc.kind != QD_DEFAULT)
				printf(" impair %s", CMD_SHOW(qdisc_text(&ifc->qdisc, a, sizeof(a))));
			printf("\n");
		}
		for (j = 0; j < ns->n_routes; j++) {
			const struct st_route *r = &ns->routes[j];

			printf("  route %s", st_route_dst_fmt(r, a, sizeof(a)));
			if (r->has_gw)
				printf(" via %s", ip_fmt(r->family, r->gw, b, sizeof(b)));
			if (r->dev[0])
				printf(" dev %s", CMD_SHOW(r->dev));
			printf(" metric %u", r->metric);
			/* a daemon's: neither the file's nor drift */
			if (st_route_learned(r))
				printf(" (learned: proto %s)", st_route_proto_name(r, b, sizeof(b)));
			printf("\n");
		}
		/* the keys the file names, and those topo set that it no longer does */
		for (j = 0; j < ns->n_sysctls; j++)
			printf("  sysctl %s = %s\n", CMD_SHOW(ns->sysctls[j].key),
			       CMD_SHOW(ns->sysctls[j].value));
		if (ns->files_hash)
			printf("  files %u, dirs %u, in %s/%s/%s%s\n", ns->n_files, ns->n_dirs,
			       RUNDIR_ROOT, CMD_SHOW(have->lab), CMD_SHOW(ns->node),
			       files_pending(p, ns) ? " (changed since the last up: pending)" : "");
		procs_status_text(have->lab, ns->node);
	}
	if (!have_file) {
		printf("(the lab file is not known: drift and pending changes need `topo status FILE`)\n");
		return;
	}
	snprintf(drift, sizeof(drift), "%sdrift:%s ", term_sgr(colour, TERM_YELLOW),
		 term_sgr(colour, TERM_RESET));
	for (i = 0; i < p->n_drift_acts; i++)
		action_print(&p->drift[i], drift, "", stdout);
	print_summary(p, pp);
}

/* The sentences of N ACTS and of the process actions PP (NULL: none). */
static void json_sentences(const struct action *acts, size_t n, const struct proc_plan *pp)
{
	char s[ACT_TEXT_MAX];
	struct act_text t;
	size_t i;

	printf("[");
	for (i = 0; i < n; i++) {
		action_text(&acts[i], &t);
		printf("%s", i ? "," : "");
		json_str(stdout, t.sentence);
	}
	for (i = 0; pp && i < pp->n; i++) {
		printf("%s", i + n ? "," : "");
		json_str(stdout, procs_act_sentence(&pp->acts[i], s, sizeof(s)));
	}
	printf("]");
}

/* {"key": "value", ...}: the sysctls read, as the text lists them */
static void json_sysctls(const struct st_ns *ns)
{
	size_t i;

	printf("{");
	for (i = 0; i < ns->n_sysctls; i++) {
		printf("%s", i ? "," : "");
		json_str(stdout, ns->sysctls[i].key);
		printf(":");
		json_str(stdout, ns->sysctls[i].value);
	}
	printf("}");
}

/* ,"impair":{...}: the root qdisc's kind, handle and every figure it has */
static void impair_json(const struct st_qdisc *q)
{
	char t[256];

	printf(",\"impair\":{\"qdisc\":");
	json_str(stdout, q->kind_name);
	printf(",\"handle\":\"%x:\",\"text\":", q->handle >> 16);
	json_str(stdout, qdisc_text(q, t, sizeof(t)));
	if (q->kind == QD_NETEM)
		printf(",\"delay_ns\":%" PRIu64 ",\"jitter_ns\":%" PRIu64 ",\"loss_pct\":%.6g,"
		       "\"loss_correlation_pct\":%.6g,\"duplicate_pct\":%.6g,\"reorder_pct\":%.6g,"
		       "\"gap\":%u,\"corrupt_pct\":%.6g",
		       q->delay_ns, q->jitter_ns, qdisc_pct(q->loss), qdisc_pct(q->loss_corr),
		       qdisc_pct(q->duplicate), qdisc_pct(q->reorder), q->gap, qdisc_pct(q->corrupt));
	if (q->kind == QD_NETEM || q->kind == QD_TBF)
		printf(",\"rate_bps\":%" PRIu64 ",\"limit\":%u", q->rate * 8, q->limit);
	printf("}");
}

/* [{"to": ..., "learned": ...}, ...]: the routes read */
static void json_routes(const struct st_ns *ns)
{
	char a[256];
	size_t j;

	printf("[");
	for (j = 0; j < ns->n_routes; j++) {
		const struct st_route *r = &ns->routes[j];

		printf("%s{\"to\":\"%s\"", j ? "," : "", st_route_dst_fmt(r, a, sizeof(a)));
		if (r->has_gw)
			printf(",\"via\":\"%s\"", ip_fmt(r->family, r->gw, a, sizeof(a)));
		if (r->dev[0]) {
			printf(",\"dev\":");
			json_str(stdout, r->dev);
		}
		printf(",\"metric\":%u,\"topo\":%s", r->metric,
		       r->proto == TOPO_RTPROT ? "true" : "false");
		printf(",\"learned\":%s,\"proto\":\"%s\"}", st_route_learned(r) ? "true" : "false",
		       st_route_proto_name(r, a, sizeof(a)));
	}
	printf("]");
}

static void print_json(const struct state *have, const struct plan *p,
		       const struct proc_plan *pp, bool have_file)
{
	char a[256], m[18];
	size_t i, j, k;

	printf("{\"version\":%d,\"lab\":", TOPO_JSON_VERSION);
	json_str(stdout, have->lab);
	printf(",\"nodes\":[");
	for (i = 0; i < have->n_ns; i++) {
		const struct st_ns *ns = &have->ns[i];

		printf("%s{\"node\":", i ? "," : "");
		json_str(stdout, ns->node);
		printf(",\"namespace\":");
		json_str(stdout, ns->name);
		printf(",\"interfaces\":[");
		for (j = 0; j < ns->n_ifaces; j++) {
			const struct st_iface *ifc = &ns->ifaces[j];

			printf("%s{\"name\":", j ? "," : "");
			json_str(stdout, ifc->name);
			printf(",\"kind\":");
			json_str(stdout, kind_name(ifc));
			printf(",\"up\":%s,\"operstate\":\"%s\",\"carrier\":%s,\"mtu\":%u,"
			       "\"ifindex\":%d",
			       ifc->up ? "true" : "false", st_operstate_name(ifc->operstate),
			       ifc->carrier ? "true" : "false", ifc->mtu, ifc->ifindex);
			if (ifc->has_mac && ifc->kind != ST_LO)
				printf(",\"mac\":\"%s\"", mac_fmt(ifc->mac, m, sizeof(m)));
			if (ifc->peer_ns[0]) {
				printf(",\"peer\":{\"namespace\":");
				json_str(stdout, ifc->peer_ns);
				printf(",\"name\":");
				json_str(stdout, ifc->peer_name);
				printf("}");
			}
			if (ifc->kind == ST_VXLAN)
				vxlan_json(&ifc->vxlan, stdout);
			if (ifc->master[0]) {
				printf(",\"master\":");
				json_str(stdout, ifc->master);
			}
			printf(",\"addresses\":[");
			for (k = 0; k < ifc->n_addrs; k++)
				printf("%s\"%s\"", k ? "," : "", st_addr_fmt(&ifc->addrs[k], a, sizeof(a)));
			printf("]");
			if (ifc->qdisc.kind != QD_DEFAULT)
				impair_json(&ifc->qdisc);
			printf("}");
		}
		printf("],\"routes\":");
		json_routes(ns);
		printf(",\"sysctls\":");
		json_sysctls(ns);
		if (ns->files_hash)
			printf(",\"files\":{\"files\":%u,\"dirs\":%u,\"changed\":%s}", ns->n_files,
			       ns->n_dirs, files_pending(p, ns) ? "true" : "false");
		printf(",");
		procs_status_json(have->lab, ns->node);
		printf("}");
	}
	printf("]");
	if (have_file) {
		printf(",\"drift\":");
		json_sentences(p->drift, p->n_drift_acts, NULL);
		printf(",\"pending\":");
		json_sentences(p->acts, p->n_acts, pp);
		/* the same, structured as `up --json`'s changes */
		printf(",\"drift_changes\":");
		actions_json(p->drift, p->n_drift_acts, stdout);
		printf(",\"pending_changes\":");
		actions_json(p->acts, p->n_acts, stdout);
	}
	printf("}\n");
}

/* Nodes by name, numbers in names in order: n2 before n10. */
static int ns_cmp(const void *a, const void *b)
{
	return strverscmp(((const struct st_ns *)a)->node, ((const struct st_ns *)b)->node);
}

int cmd_status(int argc, char **argv)
{
	char lab[TOPO_NAME_MAX + 1], err[512];
	struct topology *t = NULL;
	struct state want = { 0 }, have = { 0 };
	struct plan plan = { 0 };
	struct proc_plan procs = { 0 };
	struct conns conns = { 0 };
	const char *arg = NULL, *host = NULL;
	bool json = false;
	const struct cmd_opt opts[] = { { .name = "json", .flag = &json },
					{ .name = "host", .value = &host }, { 0 } };
	int lock = -1, rc = EXIT_ERR, e;

	if (cmd_args(argc, argv, opts, &arg, 1, 1, USAGE_STATUS) < 0)
		return EXIT_ERR;
	if (cmd_load_lab(arg, lab, &t))
		return EXIT_ERR;
	if (t && cmd_host_select(t, host, false))
		goto out;
	if (t && want_build(t, &want) < 0)
		goto out;
	snprintf(want.lab, sizeof(want.lab), "%s", lab);
	if (!cmd_need_root("status") || (lock = lab_lock(lab, false)) == -1)
		goto out;
	if ((e = sysctl_want_dropped(&want)) < 0) {
		fprintf(stderr, "topo: read the sysctls of a new namespace: %s\n", strerror(-e));
		goto out;
	}
	if (observe_lab(&conns, lab, &want, &have, err, sizeof(err)) < 0) {
		fprintf(stderr, "topo: %s\n", CMD_SHOW(err));
		goto out;
	}
	if (t && (e = plan_diff(&want, &have, false, &plan)) < 0) {
		fprintf(stderr, "topo: plan: %s\n", strerror(-e));
		goto out;
	}
	if (t && procs_plan(t, lab, &procs) < 0)
		goto out;
	if (have.n_ns)
		qsort(have.ns, have.n_ns, sizeof(*have.ns), ns_cmp);
	if (json)
		print_json(&have, &plan, &procs, t != NULL);
	else if (have.n_ns)
		print_text(&have, &plan, &procs, t != NULL);
	if (!have.n_ns) {
		fprintf(stderr, "topo: lab %s is not up on this machine\n", lab);
		if (!t)
			cmd_lab_hint(lab);
		goto out;
	}
	rc = EXIT_OK;
out:
	plan_free(&plan);
	proc_plan_free(&procs);
	state_free(&have);
	state_free(&want);
	conns_free(&conns);
	lab_unlock(lock);
	topo_free(t);
	return rc;
}
