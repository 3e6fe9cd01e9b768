// SPDX-License-Identifier: MIT
/*
 * The checker's hosts: every node's `host:` names one of `hosts:`, no two
 * hosts share an address, and the two ends of a cross-host link can be one
 * tunnel (one address family, one UDP port).
 */

#include <string.h>
#include <sys/socket.h>

#include "check_int.h"
#include "host.h"

static void unknown_host(struct chk *c, const struct node *n)
{
	const struct topology *t = c->t;
	size_t i, best = SIZE_MAX, bi = 0, dist;

	if (!t->n_hosts) {
		error(c, n->host_pos, "node '%s' names host '%s' but the lab has no 'hosts:'",
		      n->name, SHOW(n->host));
		return;
	}
	for (i = 0; i < t->n_hosts; i++) {
		dist = str_distance(n->host, t->hosts[i].name);
		if (dist < best) {
			best = dist;
			bi = i;
		}
	}
	/* a typo, as chk_unknown_node judges one */
	if (best < strlen(n->host) && (best <= 1 || best <= strlen(t->hosts[bi].name) / 3))
		error(c, n->host_pos, "unknown host '%s' (did you mean '%s'?)", SHOW(n->host),
		      t->hosts[bi].name);
	else
		error(c, n->host_pos, "unknown host '%s'", SHOW(n->host));
}

static void check_addresses_unique(struct chk *c)
{
	const struct topology *t = c->t;
	struct strmap seen = { 0 };
	char key[17], buf[64];
	size_t i, first;

	for (i = 0; i < t->n_hosts; i++) {
		const struct host_spec *h = &t->hosts[i];

		if (!h->address.family)
			continue;
		key[0] = (char)h->address.family;
		memcpy(key + 1, h->address.addr, 16);
		if (!strmap_put(&seen, key, sizeof(key), i, &first))
			error(c, h->address.pos, "host '%s' has the address %s of host '%s'",
			      h->name, ip_fmt(h->address.family, h->address.addr, buf, sizeof(buf)),
			      t->hosts[first].name);
	}
	strmap_free(&seen);
}

/* Link L joins hosts A and B (not the same): one tunnel, so one family and one port. */
static void check_tunnel(struct chk *c, const struct link *l, int a, int b)
{
	const struct host_spec *ha = &c->t->hosts[a], *hb = &c->t->hosts[b];

	if (ha->address.family && hb->address.family && ha->address.family != hb->address.family)
		error(c, l->pos,
		      "link %s:%s <-> %s:%s joins host '%s' (%s) and host '%s' (%s): a VXLAN "
		      "tunnel needs one address family",
		      l->ep[0].node, l->ep[0].iface, l->ep[1].node, l->ep[1].iface, ha->name,
		      ha->address.family == AF_INET ? "IPv4" : "IPv6", hb->name,
		      hb->address.family == AF_INET ? "IPv4" : "IPv6");
	if (host_port(ha) != host_port(hb))
		error(c, l->pos,
		      "link %s:%s <-> %s:%s joins host '%s' (vxlan_port %u) and host '%s' "
		      "(vxlan_port %u): the two ends of a tunnel use one port",
		      l->ep[0].node, l->ep[0].iface, l->ep[1].node, l->ep[1].iface, ha->name,
		      host_port(ha), hb->name, host_port(hb));
}

void chk_hosts(struct chk *c)
{
	const struct topology *t = c->t;
	const struct node *n0, *n1;
	size_t i;
	int a, b;

	for (i = 0; i < t->n_nodes; i++) {
		if (t->nodes[i].host && host_of(t, &t->nodes[i]) < 0)
			unknown_host(c, &t->nodes[i]);
	}
	check_addresses_unique(c);
	for (i = 0; i < t->n_links; i++) {
		const struct link *l = &t->links[i];

		n0 = chk_node_get(c, l->ep[0].node, NULL);
		n1 = chk_node_get(c, l->ep[1].node, NULL);
		if (!n0 || !n1)
			continue;
		a = host_of(t, n0);
		b = host_of(t, n1);
		if (a >= 0 && b >= 0 && a != b)
			check_tunnel(c, l, a, b);
	}
}
