// SPDX-License-Identifier: MIT
/* status_lan - the LANs of `topo status`, text and JSON (status_lan.h). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "json.h"
#include "plan.h"
#include "status_lan.h"
#include "util.h"

bool status_ns_is_lan(const struct st_ns *ns)
{
	char lan[TOPO_NAME_MAX + 1];

	return topo_lan_of_node(ns->node, lan, sizeof(lan));
}

size_t status_n_nodes(const struct state *have)
{
	size_t i, n = 0;

	for (i = 0; i < have->n_ns; i++)
		n += !status_ns_is_lan(&have->ns[i]);
	return n;
}

const char *status_peer_lan(const struct state *have, const struct st_iface *ifc, char *buf,
			    size_t len)
{
	const struct st_ns *pns;

	if (!ifc->peer_ns[0] || !(pns = state_ns_find(have, ifc->peer_ns)))
		return NULL;
	return topo_lan_of_node(pns->node, buf, len) ? buf : NULL;
}

/* The member at the other end of port PORT of a LAN: its node's namespace and interface. */
static const struct st_iface *member_of(const struct state *have, const struct st_iface *port,
					const struct st_ns **ns)
{
	*ns = port->peer_ns[0] ? state_ns_find(have, port->peer_ns) : NULL;
	return *ns ? st_ns_iface_find(*ns, port->peer_name) : NULL;
}

/* A veth to a member here, or a tunnel to a member on another host (format.md 11). */
static bool is_port(const struct st_iface *ifc)
{
	return (ifc->kind == ST_VETH || ifc->kind == ST_VXLAN) && ifc->master[0];
}

/* Ports by their member's namespace and name, numbers in order: h2 before h10. */
static int port_cmp(const void *a, const void *b)
{
	const struct st_iface *x = *(const struct st_iface *const *)a;
	const struct st_iface *y = *(const struct st_iface *const *)b;
	int r;

	if (x->kind != y->kind)	/* members here first, then tunnels by port */
		return x->kind == ST_VXLAN ? 1 : -1;
	if (x->kind == ST_VXLAN)
		return strverscmp(x->name, y->name);
	r = strverscmp(x->peer_ns, y->peer_ns);
	return r ? r : strverscmp(x->peer_name, y->peer_name);
}

/* The ports of the LAN whose bridge is in NS, in member order, into *N (free the array). */
static const struct st_iface **ports_of(const struct st_ns *ns, size_t *n)
{
	const struct st_iface **v = xcalloc(ns->n_ifaces + 1, sizeof(*v));
	size_t j;

	*n = 0;
	for (j = 0; j < ns->n_ifaces; j++)
		if (is_port(&ns->ifaces[j]))
			v[(*n)++] = &ns->ifaces[j];
	qsort(v, *n, sizeof(*v), port_cmp);
	return v;
}

void status_lans_text(const struct state *have)
{
	char lan[TOPO_NAME_MAX + 1], a[64], vx[128], who[TOPO_NAME_MAX + ST_IFNAMSIZ + 2];
	const struct st_iface **ports;
	size_t i, j, k, n;

	for (i = 0; i < have->n_ns; i++) {
		const struct st_ns *ns = &have->ns[i];
		const struct st_iface *br = st_ns_iface_find(ns, "br0");

		if (!topo_lan_of_node(ns->node, lan, sizeof(lan)))
			continue;
		printf("lan %s (netns %s)", CMD_SHOW(lan), CMD_SHOW(ns->name));
		if (br)
			printf(": bridge %s %s mtu %u", CMD_SHOW(br->name), br->up ? "up" : "down",
			       br->mtu);
		printf("\n");
		ports = ports_of(ns, &n);
		for (j = 0; j < n; j++) {
			const struct st_iface *port = ports[j], *m;
			const struct st_ns *mns;

			m = member_of(have, port, &mns);
			if (port->kind == ST_VXLAN) {
				printf("  %-24s %-4s mtu %-5u port %s %s\n", "(on another host)",
				       port->up ? "up" : "down", port->mtu, CMD_SHOW(port->name),
				       vxlan_fmt(&port->vxlan, vx, sizeof(vx)));
				continue;
			}
			if (!m) {
				printf("  port %s <-> %s:%s (not a node of the lab)\n",
				       CMD_SHOW(port->name), CMD_SHOW(port->peer_ns),
				       CMD_SHOW(port->peer_name));
				continue;
			}
			snprintf(who, sizeof(who), "%s:%s", mns->node, m->name);
			printf("  %-24s %-4s mtu %-5u port %s", CMD_SHOW(who), m->up ? "up" : "down",
			       m->mtu, CMD_SHOW(port->name));
			for (k = 0; k < m->n_addrs; k++)
				if (!st_addr_is_kernels(&m->addrs[k], m))
					printf(" %s", st_addr_fmt(&m->addrs[k], a, sizeof(a)));
			printf("\n");
		}
		free(ports);
	}
}

/* {"node", "iface", "port", "up", "mtu", "addresses"} of the member on PORT; of a
 * member on another host, what this host has: the tunnel port, node and iface null. */
static void member_json(const struct state *have, const struct st_iface *port, bool first)
{
	const struct st_iface *m;
	const struct st_ns *mns;
	char a[64];
	size_t k, n = 0;

	m = member_of(have, port, &mns);
	printf("%s{\"node\":", first ? "" : ",");
	if (m)
		json_str(stdout, mns->node);
	else
		printf("null");
	printf(",\"iface\":");
	if (port->kind == ST_VXLAN)
		printf("null");
	else
		json_str(stdout, port->peer_name);
	printf(",\"port\":");
	json_str(stdout, port->name);
	if (port->kind == ST_VXLAN) {
		printf(",\"up\":%s,\"mtu\":%u", port->up ? "true" : "false", port->mtu);
		vxlan_json(&port->vxlan, stdout);
		printf(",\"addresses\":[]}");
		return;
	}
	printf(",\"up\":%s,\"mtu\":%u,\"addresses\":[", m && m->up ? "true" : "false",
	       m ? m->mtu : 0);
	for (k = 0; m && k < m->n_addrs; k++)
		if (!st_addr_is_kernels(&m->addrs[k], m))
			printf("%s\"%s\"", n++ ? "," : "", st_addr_fmt(&m->addrs[k], a, sizeof(a)));
	printf("]}");
}

void status_lans_json(const struct state *have)
{
	char lan[TOPO_NAME_MAX + 1];
	const struct st_iface **ports;
	size_t i, j, n = 0, np;

	printf("\"lans\":[");
	for (i = 0; i < have->n_ns; i++) {
		const struct st_ns *ns = &have->ns[i];
		const struct st_iface *br = st_ns_iface_find(ns, "br0");

		if (!topo_lan_of_node(ns->node, lan, sizeof(lan)))
			continue;
		printf("%s{\"lan\":", n++ ? "," : "");
		json_str(stdout, lan);
		printf(",\"namespace\":");
		json_str(stdout, ns->name);
		printf(",\"bridge\":");
		if (br)
			printf("{\"up\":%s,\"mtu\":%u,\"ifindex\":%d}", br->up ? "true" : "false",
			       br->mtu, br->ifindex);
		else
			printf("null");
		printf(",\"members\":[");
		ports = ports_of(ns, &np);
		for (j = 0; j < np; j++)
			member_json(have, ports[j], j == 0);
		free(ports);
		printf("]}");
	}
	printf("]");
}
