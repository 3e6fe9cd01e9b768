// SPDX-License-Identifier: MIT
/*
 * topo save of a lab spread over hosts: save reads one machine, so the
 * file it writes holds the part this machine runs (its nodes, each with
 * its host:, and the lab's hosts:). What the other hosts run is not
 * dropped in silence: each of their nodes, and each link that crosses to
 * one of them, is said as left out, with where to save it.
 */

#include <stdbool.h>
#include <string.h>

#include "host.h"
#include "save.h"
#include "util.h"

/* Is node NAME one of HAVE's? */
static bool observed(const struct state *have, const char *name)
{
	size_t i;

	for (i = 0; i < have->n_ns; i++)
		if (!strcmp(have->ns[i].node, name))
			return true;
	return false;
}

/* Does node NAME of KEPT run on this machine: on KEPT->self, or, not
 * knowing which host this is, among the nodes read here? */
static bool here(const struct state *have, const struct topology *kept, const char *name)
{
	return kept->self ? host_here(kept, name) : observed(have, name);
}

static void say(struct save_result *out, char *sentence)
{
	*VEC_PUSH(&out->left_out, &out->n_left_out) = sentence;
}

/* "host b" or "the host this is", for sentences. */
static const char *self_name(const struct topology *kept)
{
	return kept->self ? kept->self->name : "the host";
}

/* The LAN whose hidden bridge is node N of KEPT, or NULL. */
static const struct lan *lan_of(const struct topology *kept, const struct node *n)
{
	size_t i;

	for (i = 0; i < kept->n_lans; i++)
		if (kept->lans[i].node == (size_t)(n - kept->nodes))
			return &kept->lans[i];
	return NULL;
}

void save_hosts_left_out(const struct state *have, const struct topology *kept,
			 struct save_result *out)
{
	const struct node *n;
	const struct lan *lan;
	size_t i, e;
	int h;

	if (!kept || !kept->n_hosts)
		return;
	for (i = 0; i < kept->n_nodes; i++) {
		n = &kept->nodes[i];
		if (here(have, kept, n->name) || (h = host_of(kept, n)) < 0)
			continue;
		if (n->lan && (lan = lan_of(kept, n)))
			say(out, xasprintf("LAN %s: its bridge runs on host %s, not on this machine "
					   "(%s)", lan->name, kept->hosts[h].name, self_name(kept)));
		else if (!n->lan)
			say(out, xasprintf("node %s: it runs on host %s, not on this machine (%s): "
					   "`topo save --host %s` there saves that part", n->name,
					   kept->hosts[h].name, self_name(kept), kept->hosts[h].name));
	}
	for (i = 0; i < kept->n_links; i++) {
		const struct link *l = &kept->links[i];

		if (l->lan || here(have, kept, l->ep[0].node) == here(have, kept, l->ep[1].node))
			continue;
		e = here(have, kept, l->ep[0].node) ? 1 : 0;
		if ((h = host_of_name(kept, l->ep[e].node)) >= 0)
			say(out, xasprintf("link %s:%s <-> %s:%s: a tunnel to host %s, where its "
					   "other end is", l->ep[0].node, l->ep[0].iface,
					   l->ep[1].node, l->ep[1].iface, kept->hosts[h].name));
	}
}

const char *save_host_stray(const struct state *have, const struct topology *kept)
{
	size_t i;

	for (i = 0; kept && kept->self && i < have->n_ns; i++)
		if (topo_node_find(kept, have->ns[i].node) && !host_here(kept, have->ns[i].node))
			return have->ns[i].node;
	return NULL;
}
