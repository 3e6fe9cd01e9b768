// SPDX-License-Identifier: MIT
/*
 * load_lan - `lans:`. A LAN becomes a node of kind bridge that no file can
 * name ("<lan>.lan") and a link from each member's endpoint to a port of
 * that bridge, so that the checker, the desired state, the planner and the
 * prober handle its members as the link endpoints they are.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "load_lan.h"
#include "load_value.h"
#include "util.h"

#define LAN_NAME_RULE "[a-z0-9][a-z0-9_-]*, at most 28 characters"

/*
 * The name of a member's port on the LAN's bridge: "<node>.<iface>" when
 * it fits an interface name, a hash of it otherwise ("p" and 8 hex digits,
 * no '.': the two forms never meet). Stable under edits of the other
 * members, so adding or removing one leaves the others' pairs alone.
 */
static void port_name(const struct endpoint *ep, size_t nth, struct strmap *ports, char *buf,
		      size_t len)
{
	char *s = xasprintf("%s.%s", ep->node ? ep->node : "", ep->iface ? ep->iface : "");
	uint64_t h;

	buf[0] = '\0';
	if (ep->node && ep->iface && strlen(s) < len)
		memcpy(buf, s, strlen(s) + 1);
	free(s);
	while (!buf[0] || !strmap_put(ports, buf, strlen(buf), nth, NULL)) {
		h = fnv1a64(FNV1A64_INIT, ep->node ? ep->node : "", ep->node ? strlen(ep->node) : 0);
		h = fnv1a64(h, ":", 1);
		h = fnv1a64(h, ep->iface ? ep->iface : "", ep->iface ? strlen(ep->iface) : 0);
		h = fnv1a64(h, buf, strlen(buf));	/* a second try differs from the first */
		snprintf(buf, len, "p%08x", (unsigned)(h ^ (h >> 32)));
	}
}

/* Member Y, the NTH of LAN LI, as a link to a port of its bridge. */
static void load_member(struct ytree *c, const struct ynode *y, struct topology *t, size_t li,
			size_t nth, struct strmap *ports)
{
	const struct lan *lan = &t->lans[li];
	struct link *l = VEC_APPEND(&t->links, &t->n_links);
	char port[TOPO_IFNAME_MAX + 1];

	l->pos = y->pos;
	l->up = true;
	l->lan = true;
	l->mtu = lan->mtu;
	l->mtu_pos = lan->mtu_pos;
	load_endpoint(c, y, &l->ep[0]);
	port_name(&l->ep[0], nth, ports, port, sizeof(port));
	l->ep[1].node = xstrdup(t->nodes[lan->node].name);
	l->ep[1].iface = xstrdup(port);
	l->ep[1].pos = l->ep[1].node_pos = l->ep[1].iface_pos = y->pos;
}

/* { members, mtu } of LAN NAME (at KEY). */
static void load_lan(struct ytree *c, const struct ynode *key, const struct ynode *y,
		     struct topology *t)
{
	enum { LN_MEMBERS, LN_MTU, LN_N };
	static const char *const keys[LN_N] = { "members", "mtu" };
	const struct ynode *v[LN_N], *k[LN_N], *m;
	struct strmap ports = { 0 };
	struct lan *lan;
	struct node *n;
	long long mtu;
	size_t i, li;

	if (!ytree_want(c, y, Y_MAP))
		return;
	ytree_fields(c, y, keys, LN_N, v, k);
	li = t->n_lans;
	lan = VEC_APPEND(&t->lans, &t->n_lans);
	lan->name = xstrdup(key->s);
	lan->pos = key->pos;
	if (v[LN_MTU]) {
		lan->mtu_pos = v[LN_MTU]->pos;
		if (ytree_integer(c, v[LN_MTU], "mtu", 68, 65535, &mtu))
			lan->mtu = (uint32_t)mtu;
	}
	lan->node = t->n_nodes;
	n = VEC_APPEND(&t->nodes, &t->n_nodes);
	n->name = xasprintf("%s" TOPO_LAN_SUFFIX, key->s);
	n->pos = key->pos;
	n->kind = NODE_BRIDGE;
	n->lan = true;
	lan->first_link = t->n_links;
	m = v[LN_MEMBERS];
	if (!m)
		ytree_err(c, y->pos, "missing required key 'members'");
	else if (ytree_want(c, m, Y_SEQ) && m->n < 2)
		ytree_err(c, m->pos, "LAN '%s' needs at least 2 members, got %u", SHOW(key->s), m->n);
	else if (m->type == Y_SEQ)
		for (i = 0; i < m->n; i++)
			load_member(c, m->kids[i], t, li, i, &ports);
	t->lans[li].n_members = t->n_links - t->lans[li].first_link;
	strmap_free(&ports);
}

void load_lans(struct ytree *c, const struct ynode *y, struct topology *t)
{
	struct strmap seen = { 0 };
	size_t i;

	if (!ytree_want_opt(c, y, Y_MAP))
		return;
	for (i = 0; i + 1 < y->n; i += 2) {
		const struct ynode *key = y->kids[i];
		const char *name = ytree_user_key(c, key, &seen);

		if (!name)
			continue;
		if (!name_valid(name) || strlen(name) > TOPO_LAN_NAME_MAX) {
			ytree_err(c, key->pos, "invalid LAN name '%s' (" LAN_NAME_RULE ")", SHOW(name));
			continue;
		}
		load_lan(c, key, y->kids[i + 1], t);
	}
	strmap_free(&seen);
}
