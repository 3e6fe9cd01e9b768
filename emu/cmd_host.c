// SPDX-License-Identifier: MIT
/*
 * The command layer's part for a lab on several hosts: which host this run
 * is (`--host NAME`, or the one whose address this machine has), what its
 * underlay lets a tunnel carry, and a tunnel in `status --json`.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "host.h"
#include "host_kernel.h"
#include "json.h"
#include "util.h"

/* "a (192.0.2.10), b (192.0.2.11)": T's hosts, for messages, into BUF. */
static const char *hosts_list(const struct topology *t, char *buf, size_t len)
{
	char ip[64];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < t->n_hosts && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s (%s)", i ? ", " : "", t->hosts[i].name,
				      ip_fmt(t->hosts[i].address.family, t->hosts[i].address.addr,
					     ip, sizeof(ip)));
	return buf;
}

/* The host whose address this machine has: its index, or -1 (printed). */
static int host_by_address(const struct topology *t)
{
	bool *mine = xcalloc(t->n_hosts, sizeof(*mine));
	char list[512];
	size_t i, n = 0;
	int idx = -1, err;

	if ((err = host_mine(t, mine)) < 0) {
		fprintf(stderr, "topo: read this machine's addresses: %s\n", strerror(-err));
		goto out;
	}
	for (i = 0; i < t->n_hosts; i++)
		if (mine[i] && n++ == 0)
			idx = (int)i;
	if (n != 1) {
		fprintf(stderr, "topo: lab %s spans hosts %s, and %s: give --host NAME\n", t->name,
			hosts_list(t, list, sizeof(list)),
			n ? "this machine has the address of more than one"
			  : "none of their addresses is this machine's");
		idx = -1;
	}
out:
	free(mine);
	return idx;
}

/* Link L with its end *E on T->self and the other on another host: that host's index, else -1. */
static int link_remote(const struct topology *t, const struct link *l, int *e)
{
	int self = (int)(t->self - t->hosts);
	int a = host_of_name(t, l->ep[0].node), b = host_of_name(t, l->ep[1].node);

	if (a < 0 || b < 0 || a == b || (a != self && b != self))
		return -1;
	*e = a == self ? 0 : 1;
	return a == self ? b : a;
}

/* The MTU towards host J: T->underlay_mtu[J], asked once (its interface into IFNAME then).
 * 0 or EXIT_ERR (printed when STRICT). */
static int underlay_of(struct topology *t, size_t j, bool strict, char ifname[HOST_IFNAMSIZ])
{
	const struct host_spec *h = &t->hosts[j];
	char ip[64];
	uint32_t mtu;
	int err;

	if (t->underlay_mtu[j])
		return 0;
	err = host_route_mtu(h->address.family, h->address.addr, ifname, &mtu);
	if (err < 0 && strict) {
		fprintf(stderr, "topo: host %s (%s): this host has no way to it: %s\n", h->name,
			ip_fmt(h->address.family, h->address.addr, ip, sizeof(ip)), strerror(-err));
		return EXIT_ERR;
	}
	t->underlay_mtu[j] = err < 0 ? 0 : mtu;
	return 0;
}

/* Every tunnel of T->self: its underlay's MTU known, and the file's `mtu` fits it. */
static int tunnels_fit(struct topology *t, bool strict)
{
	char ifname[HOST_IFNAMSIZ] = "";
	const struct link *l;
	struct pos at;
	uint32_t max, mtu;
	size_t i;
	int j, e, fam = t->self->address.family;

	for (i = 0; i < t->n_links; i++) {
		l = &t->links[i];
		if ((j = link_remote(t, l, &e)) < 0)
			continue;
		ifname[0] = '\0';
		if (underlay_of(t, (size_t)j, strict, ifname))
			return EXIT_ERR;
		/* this end's: its own mtu over its link's */
		mtu = l->ep[e].mtu ? l->ep[e].mtu : l->mtu;
		at = l->ep[e].mtu ? l->ep[e].mtu_pos : l->mtu_pos;
		if (!mtu || !t->underlay_mtu[j])
			continue;
		max = host_link_mtu(t->underlay_mtu[j], fam);
		if (mtu <= max)
			continue;
		if (!ifname[0])
			host_route_mtu(t->hosts[j].address.family, t->hosts[j].address.addr, ifname,
				       &max);
		fprintf(stderr,
			"%s:%d:%d: error: link %s:%s <-> %s:%s: mtu %u does not fit the tunnel to "
			"host %s: %s has mtu %u, VXLAN over %s takes %u, so at most %u\n",
			t->file, at.line, at.col, l->ep[0].node, l->ep[0].iface,
			l->ep[1].node, l->ep[1].iface, mtu, t->hosts[j].name, ifname,
			t->underlay_mtu[j], fam == AF_INET6 ? "IPv6" : "IPv4",
			host_vxlan_overhead(fam), host_link_mtu(t->underlay_mtu[j], fam));
		return EXIT_ERR;
	}
	return 0;
}

int cmd_host_pick(struct topology *t, const char *name)
{
	char list[512];
	int idx;

	if (!t->n_hosts) {
		if (!name)
			return 0;
		fprintf(stderr, "topo: --host %s: lab %s has no 'hosts:' (it runs on one machine)\n",
			CMD_SHOW(name), t->name);
		return EXIT_ERR;
	}
	idx = name ? host_find(t, name) : host_by_address(t);
	if (name && idx < 0)
		fprintf(stderr, "topo: --host %s: lab %s has no such host (it has %s)\n",
			CMD_SHOW(name), t->name, hosts_list(t, list, sizeof(list)));
	if (idx < 0)
		return EXIT_ERR;
	t->self = &t->hosts[idx];
	return 0;
}

int cmd_host_select(struct topology *t, const char *name, bool strict)
{
	if (cmd_host_pick(t, name))
		return EXIT_ERR;
	if (!t->self)
		return 0;
	free(t->underlay_mtu);
	t->underlay_mtu = xcalloc(t->n_hosts, sizeof(*t->underlay_mtu));
	return tunnels_fit(t, strict);
}

void vxlan_json(const struct st_vxlan *v, FILE *f)
{
	char ip[64];

	fprintf(f, ",\"vxlan\":{\"vni\":%u,\"remote\":\"%s\"", v->vni,
		ip_fmt(v->family, v->remote, ip, sizeof(ip)));
	fprintf(f, ",\"local\":\"%s\",\"port\":%u}", ip_fmt(v->family, v->local, ip, sizeof(ip)),
		v->port);
}

void cmd_host_part(const struct topology *t, FILE *f)
{
	size_t i, nodes = 0, bridges = 0, tunnels = 0, *to = xcalloc(t->n_hosts, sizeof(*to));
	const char *sep = " (";
	int j, e;

	for (i = 0; i < t->n_nodes; i++)
		if (host_here(t, t->nodes[i].name))
			*(t->nodes[i].lan ? &bridges : &nodes) += 1;
	for (i = 0; i < t->n_links; i++)
		if ((j = link_remote(t, &t->links[i], &e)) >= 0) {
			to[j]++;
			tunnels++;
		}
	fprintf(f, "host %s: %zu node%s, ", t->self->name, nodes, cmd_s(nodes));
	if (bridges)
		fprintf(f, "%zu LAN bridge%s, ", bridges, cmd_s(bridges));
	fprintf(f, "%zu tunnel%s", tunnels, cmd_s(tunnels));
	for (i = 0; i < t->n_hosts; i++)
		if (to[i]) {
			fprintf(f, "%s%zu to %s", sep, to[i], t->hosts[i].name);
			sep = ", ";
		}
	fputs(tunnels ? ")\n" : "\n", f);
	free(to);
}
