// SPDX-License-Identifier: MIT
/*
 * The desired state: what a checked topology asks the kernel for, shaped by
 * what the kernel allows. Pure: no kernel access, no printing.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nodeenv.h"
#include "qdisc.h"
#include "util.h"
#include "want.h"

#define WANT_BRIDGE	 "br0"
#define WANT_DEFAULT_MTU 1500

/* copy_name - SRC into DST of SIZE bytes; -ENAMETOOLONG rather than truncate. */
static int copy_name(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		return -ENAMETOOLONG;
	memcpy(dst, src, n + 1);
	return 0;
}

void want_stable_mac(const char *lab, const char *node, const char *iface, uint8_t mac[6])
{
	uint64_t h = FNV1A64_INIT;
	int i;

	/* the NULs keep ("ab", "c") and ("a", "bc") apart */
	h = fnv1a64(h, lab, strlen(lab) + 1);
	h = fnv1a64(h, node, strlen(node) + 1);
	h = fnv1a64(h, iface, strlen(iface) + 1);
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * i));
	mac[0] = (uint8_t)((mac[0] | 0x02) & ~0x01);
}

/*
 * A device topo makes keeps its MAC when it is made again (a node deleted
 * by hand and brought back): the other hosts' neighbour entries stay right,
 * instead of pointing at a MAC gone until the kernel probes again.
 */
static struct st_iface *iface_push(struct st_ns *ns, const char *lab, const char *name,
				   enum st_kind kind, int *ret)
{
	struct st_iface *ifc = VEC_PUSH(&ns->ifaces, &ns->n_ifaces);

	ifc->kind = kind;
	*ret = copy_name(ifc->name, sizeof(ifc->name), name);
	if (kind != ST_LO) {
		ifc->has_create_mac = true;
		want_stable_mac(lab, ns->node, ifc->name, ifc->create_mac);
	}
	return ifc;
}

/* An address given twice (endpoint and `addresses:`) is one kernel object. */
static void iface_addr_add(struct st_iface *ifc, const struct cidr *c)
{
	struct st_addr *a;
	size_t i;

	for (i = 0; i < ifc->n_addrs; i++) {
		a = &ifc->addrs[i];
		if (a->family == c->family && a->plen == c->plen &&
		    !memcmp(a->addr, c->addr, addr_len(c->family)))
			return;
	}
	a = VEC_PUSH(&ifc->addrs, &ifc->n_addrs);
	a->family = c->family;
	memcpy(a->addr, c->addr, sizeof(a->addr));
	a->plen = c->plen;
	a->proto = TOPO_IFAPROT;
}

static int sysctl_set(struct st_ns *ns, const char *key, const char *value, bool implied)
{
	struct st_sysctl *sc = NULL;
	size_t i;
	int ret;

	for (i = 0; i < ns->n_sysctls; i++) {
		if (!strcmp(ns->sysctls[i].key, key)) {
			sc = &ns->sysctls[i];
			break;
		}
	}
	if (!sc) {
		sc = VEC_PUSH(&ns->sysctls, &ns->n_sysctls);
		ret = copy_name(sc->key, sizeof(sc->key), key);
		if (ret)
			return ret;
	}
	sc->implied = implied;
	return copy_name(sc->value, sizeof(sc->value), value);
}

int want_sysctl_dropped(struct st_ns *ns, const char *key, const char *value)
{
	size_t i;
	int ret;

	for (i = 0; i < ns->n_sysctls; i++)
		if (!strcmp(ns->sysctls[i].key, key))
			return 0;
	ret = sysctl_set(ns, key, value, false);
	ns->sysctls[ns->n_sysctls - 1].dropped = true;
	return ret;
}

static int want_sysctls(const struct node *n, struct st_ns *ns)
{
	/* Host and bridge say "0" explicitly: a router turned back into a host
	 * must converge, and a new namespace may inherit forwarding from the
	 * root namespace (net.core.devconf_inherit_init_net). */
	const char *fwd = n->kind == NODE_ROUTER ? "1" : "0";
	size_t i;
	int ret;

	ret = sysctl_set(ns, "net.ipv4.ip_forward", fwd, true);
	if (!ret)
		ret = sysctl_set(ns, "net.ipv6.conf.all.forwarding", fwd, true);
	for (i = 0; !ret && i < n->n_sysctls; i++)
		ret = sysctl_set(ns, n->sysctls[i].key, n->sysctls[i].value, false);
	return ret;
}

static int want_link_end(const struct topology *t, const struct node *n, const struct link *l,
			 int e, struct st_ns *ns, struct state *out)
{
	const struct endpoint *ep = &l->ep[e], *other = &l->ep[!e];
	struct st_iface *ifc;
	struct impair im;
	size_t i;
	int ret;

	ifc = iface_push(ns, out->lab, ep->iface, ST_VETH, &ret);
	if (ret)
		return ret;
	topo_nsname(t, other->node, ifc->peer_ns, sizeof(ifc->peer_ns));
	ret = copy_name(ifc->peer_name, sizeof(ifc->peer_name), other->iface);
	if (ret)
		return ret;
	if (n->kind == NODE_BRIDGE)
		strcpy(ifc->master, WANT_BRIDGE);
	ifc->mtu = l->mtu ? l->mtu : WANT_DEFAULT_MTU;
	ifc->has_mac = ep->has_mac;
	memcpy(ifc->mac, ep->mac, sizeof(ifc->mac));
	ifc->up = l->up;
	qdisc_impair_merge(&l->impair, &ep->impair, &im);
	qdisc_from_impair(&im, ifc->mtu, &ifc->qdisc);
	snprintf(ifc->alias, sizeof(ifc->alias), TOPO_MARK_PREFIX "%s", out->lab);
	for (i = 0; i < ep->n_addrs; i++)
		iface_addr_add(ifc, &ep->addrs[i]);
	return 0;
}

static int want_route(const struct route_spec *rs, struct st_ns *ns)
{
	struct st_route *r = VEC_PUSH(&ns->routes, &ns->n_routes);

	r->family = rs->family;
	memcpy(r->dst, rs->dst, sizeof(r->dst));
	r->dst_len = rs->dst_len;
	r->has_gw = rs->has_via;
	if (rs->has_via)
		memcpy(r->gw, rs->via, sizeof(r->gw));
	r->metric = rs->has_metric ? rs->metric : route_metric_default(rs->family);
	r->proto = TOPO_RTPROT;
	r->pos = rs->pos;
	return rs->dev ? copy_name(r->dev, sizeof(r->dev), rs->dev) : 0;
}

/*
 * route_blocker - the down interface that keeps R out of the kernel, or NULL.
 * A route through a down device is refused (IPv4 "Nexthop device is not up",
 * IPv6 "No route to host"), and so is one whose gateway is on-link only
 * through down interfaces. A gateway on-link nowhere is left for the kernel
 * to reject: that is an error in the file, not a state to wait for.
 */
static const struct st_iface *route_blocker(const struct st_ns *ns, const struct st_route *r)
{
	const struct st_iface *ifc, *down = NULL;
	size_t i, j;

	if (r->dev[0]) {
		ifc = st_ns_iface_find(ns, r->dev);
		return ifc && !ifc->up ? ifc : NULL;
	}
	if (!r->has_gw)
		return NULL;
	for (i = 0; i < ns->n_ifaces; i++) {
		ifc = &ns->ifaces[i];
		for (j = 0; j < ifc->n_addrs; j++) {
			const struct st_addr *a = &ifc->addrs[j];

			if (a->family != r->family ||
			    !prefix_contains(a->family, a->addr, a->plen, r->gw))
				continue;
			if (ifc->up)
				return NULL;
			if (!down)
				down = ifc;
		}
	}
	return down;
}

struct note_items {
	char **v;
	size_t n;
};

/* note_join - "a", "a and b", "a, b and c"; frees the items. */
static char *note_join(struct note_items *it)
{
	char *s = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < it->n; i++) {
		t = xasprintf("%s%s%s", s, i == 0 ? "" : i + 1 == it->n ? " and " : ", ", it->v[i]);
		free(s);
		free(it->v[i]);
		s = t;
	}
	free(it->v);
	it->v = NULL;
	it->n = 0;
	return s;
}

/*
 * want_down_rules - leave out what a down interface cannot carry, and say so.
 * keep_addr_on_down is 0 by default, so the kernel flushes a down device's
 * IPv6 addresses; IPv4 addresses stay.
 */
static void want_down_rules(struct st_ns *ns, struct state *out)
{
	const struct st_iface **blocker;
	char buf[160], *list;
	size_t i, j, k;

	if (!ns->n_routes && !ns->n_ifaces)
		return;
	/* decide for the routes first, against the addresses as written */
	blocker = xcalloc(ns->n_routes ? ns->n_routes : 1, sizeof(*blocker));
	for (k = 0; k < ns->n_routes; k++)
		blocker[k] = route_blocker(ns, &ns->routes[k]);

	for (i = 0; i < ns->n_ifaces; i++) {
		struct st_iface *ifc = &ns->ifaces[i];
		struct note_items items = {0};
		size_t n_items;

		if (ifc->up)
			continue;
		for (j = 0; j < ifc->n_addrs;) {
			struct st_addr *a = &ifc->addrs[j];

			if (a->family != AF_INET6) {
				j++;
				continue;
			}
			*VEC_PUSH(&items.v, &items.n) =
			    xasprintf("address %s", st_addr_fmt(a, buf, sizeof(buf)));
			memmove(a, a + 1, (ifc->n_addrs - j - 1) * sizeof(*a));
			ifc->n_addrs--;
		}
		for (k = 0; k < ns->n_routes; k++) {
			if (blocker[k] == ifc)
				*VEC_PUSH(&items.v, &items.n) = xasprintf(
				    "route %s", st_route_fmt(&ns->routes[k], buf, sizeof(buf)));
		}
		if (!items.n)
			continue;
		n_items = items.n;
		list = note_join(&items);
		*VEC_PUSH(&out->notes, &out->n_notes) = xasprintf(
		    "%s: %s is down (state: down), so %s %s left out until the link is up",
		    ns->node, ifc->name, list, n_items > 1 ? "are" : "is");
		free(list);
	}

	for (k = 0, j = 0; k < ns->n_routes; k++) {
		if (!blocker[k])
			ns->routes[j++] = ns->routes[k];
	}
	ns->n_routes = j;
	free(blocker);
}

static void want_exec(const struct node *n, struct st_ns *ns)
{
	size_t i, j, nth;

	if (!n->n_execs)
		return;
	ns->execs = xcalloc(n->n_execs, sizeof(*ns->execs));
	ns->exec_ids = xcalloc(n->n_execs, sizeof(*ns->exec_ids));
	for (i = 0; i < n->n_execs; i++) {
		ns->execs[i] = xstrdup(n->execs[i].cmd);
		for (j = nth = 0; j < i; j++)
			nth += !strcmp(n->execs[j].cmd, n->execs[i].cmd);
		ns->exec_ids[i] = st_exec_id(n->execs[i].cmd, nth);
	}
	ns->n_execs = n->n_execs;
}

/* The link ends of one node, in file order. */
struct node_ends {
	size_t *v; /* link index * 2 + endpoint */
	size_t n;
};

static int want_node(const struct topology *t, const struct node *n, const struct node_ends *ends,
		     struct state *out)
{
	struct st_ns *ns = VEC_PUSH(&out->ns, &out->n_ns);
	struct st_iface *ifc;
	size_t i, j;
	int ret;

	if (strlen(n->name) > TOPO_NAME_MAX)
		return -ENAMETOOLONG;
	topo_nsname(t, n->name, ns->name, sizeof(ns->name));
	strcpy(ns->node, n->name);

	ifc = iface_push(ns, out->lab, "lo", ST_LO, &ret);
	ifc->up = true;
	snprintf(ifc->alias, sizeof(ifc->alias), TOPO_MARK_PREFIX "%s:%s", out->lab, n->name);

	if (n->kind == NODE_BRIDGE) {
		ifc = iface_push(ns, out->lab, WANT_BRIDGE, ST_BRIDGE, &ret);
		ifc->up = true;
		snprintf(ifc->alias, sizeof(ifc->alias), TOPO_MARK_PREFIX "%s", out->lab);
	}

	for (i = 0; i < ends->n; i++) {
		ret =
		    want_link_end(t, n, &t->links[ends->v[i] / 2], (int)(ends->v[i] % 2), ns, out);
		if (ret)
			return ret;
	}

	/* `addresses:` naming an interface the node does not have is the
	 * checker's error; here it has nowhere to go. */
	for (i = 0; i < n->n_addrs; i++) {
		ifc = st_ns_iface_find(ns, n->addrs[i].iface);
		for (j = 0; ifc && j < n->addrs[i].n_addrs; j++)
			iface_addr_add(ifc, &n->addrs[i].addrs[j]);
	}

	ret = want_sysctls(n, ns);
	if (ret)
		return ret;
	for (i = 0; i < n->n_routes; i++) {
		ret = want_route(&n->routes[i], ns);
		if (ret)
			return ret;
	}
	want_down_rules(ns, out);
	want_exec(n, ns);
	ns->files_hash = nodeenv_files_hash(t, n);
	ns->n_files = (uint32_t)n->n_files;
	ns->n_dirs = (uint32_t)n->n_dirs;
	return 0;
}

int want_build(const struct topology *t, struct state *out)
{
	struct node_ends *ends = xcalloc(t->n_nodes + 1, sizeof(*ends));
	struct strmap names = {0};
	size_t i, k;
	int e, ret;

	memset(out, 0, sizeof(*out));
	/* one pass over the links, not one per node: labs can be large */
	for (i = 0; i < t->n_nodes; i++)
		strmap_put(&names, t->nodes[i].name, strlen(t->nodes[i].name), i, NULL);
	for (i = 0; i < t->n_links; i++) {
		for (e = 0; e < 2; e++) {
			const char *node = t->links[i].ep[e].node;

			if (strmap_get(&names, node, strlen(node), &k))
				*VEC_PUSH(&ends[k].v, &ends[k].n) = i * 2 + (size_t)e;
		}
	}
	ret = copy_name(out->lab, sizeof(out->lab), t->name);
	for (i = 0; !ret && i < t->n_nodes; i++)
		ret = want_node(t, &t->nodes[i], &ends[i], out);
	if (!ret)
		ret = want_host_narrow(t, out);
	for (i = 0; i < t->n_nodes; i++)
		free(ends[i].v);
	free(ends);
	strmap_free(&names);
	if (ret)
		state_free(out);
	return ret;
}
