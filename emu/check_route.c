// SPDX-License-Identifier: MIT
/* The checker's routes: destinations, gateways, devices, and what the kernel
 * would refuse as a duplicate. */

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check_int.h"
#include "state.h"

/* The kernel keys a route by table, destination and metric (IPv4 also by
 * TOS, which topo leaves 0): a second route with the same key is EEXIST. */
#define ROUTE_KEY_LEN (1 + 16 + 1 + 4 + 4)

struct route_maps {
	struct strmap seen;		/* the node's routes so far, by key: index */
	struct strmap connected;	/* the kernel's own, by key: index in ni->addrs */
};

static void route_key(char key[ROUTE_KEY_LEN], int family, const uint8_t addr[16], uint8_t plen,
		      uint32_t metric, uint32_t table)
{
	struct cidr net = { .family = family };

	/* The network of ADDR/PLEN, host bits cleared. */
	memcpy(net.addr, addr, plen / 8);
	if (plen % 8)
		net.addr[plen / 8] = addr[plen / 8] & (uint8_t)(0xff << (8 - plen % 8));
	key[0] = (char)family;
	memcpy(key + 1, net.addr, 16);
	key[17] = (char)plen;
	memcpy(key + 18, &metric, sizeof(metric));
	memcpy(key + 22, &table, sizeof(table));
}

/* Route R of node IDX (to NET) is neither declared twice nor one the kernel makes itself. */
static void route_unique(struct chk *c, size_t idx, const struct route_spec *r,
			 const uint8_t net[16], uint32_t table, struct route_maps *m)
{
	const struct node *n = &c->t->nodes[idx];
	uint32_t metric = r->has_metric ? r->metric : route_metric_default(r->family);
	struct cidr dst = { .family = r->family, .plen = r->dst_len };
	char key[ROUTE_KEY_LEN], buf[80];
	size_t prev;

	memcpy(dst.addr, net, 16);
	cidr_fmt(&dst, buf, sizeof(buf));
	route_key(key, r->family, net, r->dst_len, metric, table);
	if (!strmap_put(&m->seen, key, sizeof(key), (size_t)(r - n->routes), &prev)) {
		error(c, r->pos, "duplicate route to %s on node '%s' (first at line %d)",
		      r->dst_len ? buf : "default", n->name, n->routes[prev].pos.line);
	} else if (strmap_get(&m->connected, key, sizeof(key), &prev)) {
		const struct cidr *a = c->ni[idx].addrs[prev];
		char ab[80];

		error(c, r->pos,
		      "route '%s' is the one the kernel makes for address %s on '%s:%s' (line %d): give it a metric other than %u, or leave it out",
		      SHOW(r->text), cidr_fmt(a, ab, sizeof(ab)), n->name, c->ni[idx].addr_ifs[prev],
		      a->pos.line, metric);
	}
}

/*
 * NET = the destination of R without host bits; `ip route` refuses host
 * bits ("Invalid prefix for given prefix length"), so say so here.
 */
static void route_dst_net(struct chk *c, const struct route_spec *r, uint8_t net[16])
{
	size_t bytes = r->dst_len / 8;
	struct cidr given = { .family = r->family, .plen = r->dst_len }, fixed;
	char g[80], buf[80];

	memset(net, 0, 16);
	memcpy(net, r->dst, bytes);
	if (r->dst_len % 8)
		net[bytes] = r->dst[bytes] & (uint8_t)(0xff << (8 - r->dst_len % 8));
	if (!memcmp(net, r->dst, 16))
		return;
	memcpy(given.addr, r->dst, 16);
	fixed = given;
	memcpy(fixed.addr, net, 16);
	error(c, r->pos, "route destination %s has host bits set (did you mean %s?)",
	      cidr_fmt(&given, g, sizeof(g)), cidr_fmt(&fixed, buf, sizeof(buf)));
}

/* Gateway VIA (through DEV if not NULL, ONLINK) of route R of node IDX: reachable on a subnet of the node. */
static void check_gateway(struct chk *c, size_t idx, const struct route_spec *r,
			  const uint8_t via[16], const char *dev, bool onlink)
{
	const struct node *n = &c->t->nodes[idx];
	const struct nodeinfo *ni = &c->ni[idx];
	bool reach = onlink;
	char gw[64];
	size_t i;

	ip_fmt(r->family, via, gw, sizeof(gw));
	if (onlink && !dev) {
		/* the kernel: "Nexthop device required for onlink" */
		error(c, r->pos, "gateway %s is 'onlink' but names no 'dev' to find it on (route '%s')",
		      gw, SHOW(r->text));
		return;
	}
	if (r->family == AF_INET6 && ip_is_link_local6(via)) {
		/* Every interface has fe80::/64: only `dev` says which link. */
		if (!dev)
			error(c, r->pos,
			      "link-local gateway %s needs 'dev', the interface to reach it on: every interface has its own fe80::/64 (route '%s')",
			      gw, SHOW(r->text));
		return;
	}
	for (i = 0; i < ni->n_addrs; i++) {
		const struct cidr *a = ni->addrs[i];

		if (a->family != r->family)
			continue;
		if (!memcmp(a->addr, via, addr_len(r->family))) {
			error(c, r->pos, "gateway %s is an address of node '%s' itself (route '%s')",
			      gw, n->name, SHOW(r->text));
			return;	/* said enough */
		}
		if ((!dev || !strcmp(ni->addr_ifs[i], dev)) &&
		    prefix_contains(a->family, a->addr, a->plen, via))
			reach = true;
	}
	if (!reach && dev)
		error(c, r->pos, "gateway %s is not on any subnet of '%s:%s' (route '%s')",
		      gw, n->name, dev, SHOW(r->text));
	else if (!reach)
		error(c, r->pos, "gateway %s is not on any subnet of node '%s' (route '%s')", gw,
		      n->name, SHOW(r->text));
}

/* Device DEV of route R of node IDX exists and is not a bridge port. */
static bool check_route_dev(struct chk *c, size_t idx, const struct route_spec *r, const char *dev)
{
	const struct node *n = &c->t->nodes[idx];

	if (!ifname_valid(dev)) {
		error(c, r->pos, "invalid interface name '%s' (" IFNAME_RULE ")", SHOW(dev));
		return false;
	}
	if (!chk_has_iface(c, n, dev)) {
		chk_no_such_iface(c, idx, dev, r->pos);
		return false;
	}
	if (chk_is_bridge_port(c, n, dev)) {
		error(c, r->pos, "route '%s' uses '%s', a port of bridge node '%s' (use br0)",
		      SHOW(r->text), dev, n->name);
		return false;
	}
	return true;
}

/* The table of route R of node N into *ID: a number, main/default, or a name of the node's tables:. */
static bool check_route_table(struct chk *c, const struct node *n, const struct route_spec *r,
			      uint32_t *id)
{
	*id = 254;	/* RT_TABLE_MAIN */
	if (!r->table)
		return true;
	if (!topo_table_id(n, r->table, id)) {
		error(c, r->table_pos,
		      "unknown table '%s' in route '%s' (a number 1-4294967295, main, default, or a name from the node's tables:)",
		      SHOW(r->table), SHOW(r->text));
		return false;
	}
	if (*id == 255) {
		error(c, r->table_pos, "table '%s' is the kernel's local table: topo leaves it alone (route '%s')",
		      SHOW(r->table), SHOW(r->text));
		return false;
	}
	return true;
}

/* The source address of route R of node IDX is one of the node's own. */
static void check_route_src(struct chk *c, size_t idx, const struct route_spec *r)
{
	const struct nodeinfo *ni = &c->ni[idx];
	char buf[64];
	size_t i;

	for (i = 0; i < ni->n_addrs; i++)
		if (ni->addrs[i]->family == r->family &&
		    !memcmp(ni->addrs[i]->addr, r->src, addr_len(r->family)))
			return;
	error(c, r->src_pos, "source %s is not an address of node '%s' (route '%s')",
	      ip_fmt(r->family, r->src, buf, sizeof(buf)), c->t->nodes[idx].name, SHOW(r->text));
}

static void check_route(struct chk *c, size_t idx, const struct route_spec *r,
			struct route_maps *routes)
{
	const struct node *n = &c->t->nodes[idx];
	uint8_t net[16];
	uint32_t table;
	size_t i;

	route_dst_net(c, r, net);
	if (!check_route_table(c, n, r, &table))
		return;
	if (r->has_src)
		check_route_src(c, idx, r);
	if (r->dev && !check_route_dev(c, idx, r, r->dev))
		return;
	if (r->has_via)
		check_gateway(c, idx, r, r->via, r->dev, r->onlink);
	else if (r->onlink)
		error(c, r->pos, "'onlink' needs a gateway ('via') (route '%s')", SHOW(r->text));
	for (i = 0; i < r->n_nh; i++) {
		const struct nexthop_spec *nh = &r->nh[i];

		if (nh->dev[0] && !check_route_dev(c, idx, r, nh->dev))
			continue;
		if (nh->has_via)
			check_gateway(c, idx, r, nh->via, nh->dev[0] ? nh->dev : NULL, nh->onlink);
	}
	route_unique(c, idx, r, net, table, routes);
}

/*
 * connected_routes - the routes the kernel adds to table main for the
 * addresses of node IDX, keyed as route_key() into MAP (value: index in
 * the node's addresses). Verified with `ip` in a scratch namespace: IPv4
 * makes one for every prefix shorter than /32 on an up interface other
 * than lo, with metric 0; IPv6 one for every prefix, /128 and lo included,
 * with metric 256. An interface of a `state: down` link has none.
 */
static void connected_routes(struct chk *c, size_t idx, struct strmap *map)
{
	const struct node *n = &c->t->nodes[idx];
	const struct nodeinfo *ni = &c->ni[idx];
	char key[ROUTE_KEY_LEN];
	size_t i, v;

	for (i = 0; i < ni->n_addrs; i++) {
		const struct cidr *a = ni->addrs[i];
		const char *iface = ni->addr_ifs[i];
		bool up = !strcmp(iface, "lo") || (n->kind == NODE_BRIDGE && !strcmp(iface, "br0"));

		if (!up) {
			char *k = xasprintf("%s%c%s", n->name, 0, iface);

			up = strmap_get(&c->ifs, k, strlen(n->name) + 1 + strlen(iface), &v) &&
			     c->t->links[v / 2].up;
			free(k);
		}
		if (!up || (a->family == AF_INET && (a->plen == 32 || !strcmp(iface, "lo"))))
			continue;
		route_key(key, a->family, a->addr, a->plen, a->family == AF_INET6 ? 256 : 0, 254);
		strmap_put(map, key, sizeof(key), i, NULL);
	}
}

void chk_routes(struct chk *c)
{
	size_t i, j;

	for (i = 0; i < c->t->n_nodes; i++) {
		struct route_maps m = { 0 };

		if (c->t->nodes[i].n_routes)
			connected_routes(c, i, &m.connected);
		for (j = 0; j < c->t->nodes[i].n_routes; j++)
			check_route(c, i, &c->t->nodes[i].routes[j], &m);
		strmap_free(&m.seen);
		strmap_free(&m.connected);
	}
}
