// SPDX-License-Identifier: MIT
/*
 * check_lan - the checker's part for `lans:`. The loader made each LAN a
 * bridge node and a link per member, so unknown nodes, interfaces used
 * twice (in links and LANs alike) and the members' MTUs are checked as
 * for any link; here, what only a segment of many can get wrong.
 */

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check_int.h"

/* Do A and B (one family) share a subnet: is either in the other's prefix? */
static bool same_subnet(const struct cidr *a, const struct cidr *b)
{
	return prefix_contains(a->family, a->addr, a->plen, b->addr) ||
	       prefix_contains(b->family, b->addr, b->plen, a->addr);
}

/* Is address A global: one a member shares with others on purpose? */
static bool global(const struct cidr *a)
{
	return a->family != AF_INET6 || !ip_is_link_local6(a->addr);
}

/* Member NTH of LAN: its node's info and its endpoint; NULL for an unknown node. */
static const struct nodeinfo *member(const struct chk *c, const struct lan *lan, size_t nth,
				     const struct endpoint **ep)
{
	size_t idx;

	*ep = &c->t->links[lan->first_link + nth].ep[0];
	return chk_node_get(c, (*ep)->node, &idx) ? &c->ni[idx] : NULL;
}

/*
 * How A, an address of member SELF, meets the others' addresses: true
 * when one shares its subnet; *SEEN when any has one of its family.
 */
static bool shares_subnet(const struct chk *c, const struct lan *lan, size_t self,
			  const struct cidr *a, bool *seen)
{
	const struct nodeinfo *ni;
	const struct endpoint *ep;
	size_t j, k;

	for (j = 0; j < lan->n_members; j++) {
		if (j == self || !(ni = member(c, lan, j, &ep)))
			continue;
		for (k = 0; k < ni->n_addrs; k++) {
			const struct cidr *b = ni->addrs[k];

			if (strcmp(ni->addr_ifs[k], ep->iface) || b->family != a->family || !global(b))
				continue;
			*seen = true;
			if (same_subnet(a, b))
				return true;
		}
	}
	return false;
}

/* Each member's addresses: one in no other member's subnet cannot reach them without a router. */
static void check_lan_addrs(struct chk *c, const struct lan *lan)
{
	const struct nodeinfo *ni;
	const struct endpoint *ep;
	char buf[64];
	size_t i, k;
	bool seen;

	for (i = 0; i < lan->n_members; i++) {
		if (!(ni = member(c, lan, i, &ep)))
			continue;
		for (k = 0; k < ni->n_addrs; k++) {
			const struct cidr *a = ni->addrs[k];

			if (strcmp(ni->addr_ifs[k], ep->iface) || !global(a))
				continue;
			seen = false;
			if (!shares_subnet(c, lan, i, a, &seen) && seen)
				warn(c, a->pos,
				     "address %s of '%s:%s' is in no other member's subnet on LAN '%s'",
				     cidr_fmt(a, buf, sizeof(buf)), ep->node, ep->iface, lan->name);
		}
	}
}

/* Is NAME, or the node part of "NAME:iface", a LAN's bridge? Its node then. */
static const struct node *lan_bridge(const struct chk *c, const char *name)
{
	const struct node *n;
	size_t len = strcspn(name, ":");
	char *node = xasprintf("%.*s", (int)len, name);

	n = chk_node_get(c, node, NULL);
	free(node);
	return n && n->lan ? n : NULL;
}

/* A LAN's bridge is no node: a probe names the LAN's members instead. */
static void check_lan_probes(struct chk *c)
{
	const struct node *n;
	size_t i;

	for (i = 0; i < c->t->n_probes; i++) {
		const struct probe_spec *p = &c->t->probes[i];

		if (p->from && (n = lan_bridge(c, p->from)))
			error(c, p->from_pos, "'%s' is a LAN's bridge, not a node: probe from its members",
			      n->name);
		if (p->to && (n = lan_bridge(c, p->to)))
			error(c, p->to_pos, "'%s' is a LAN's bridge, not a node: probe its members",
			      n->name);
	}
}

void chk_lans(struct chk *c)
{
	size_t i;

	for (i = 0; i < c->t->n_lans; i++)
		check_lan_addrs(c, &c->t->lans[i]);
	check_lan_probes(c);
}
