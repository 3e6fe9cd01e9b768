// SPDX-License-Identifier: MIT
/*
 * The planner's VXLAN devices (the ends of links to nodes on other hosts):
 * made as one ACT_VETH_ADD each ("a link", as a veth pair is), deleted
 * and made again when their tunnel differs, and deleted before the
 * namespace that holds them. A namespace's teardown runs in the kernel's
 * own time, and until it has, its devices keep their VNIs: a VNI still
 * held makes the next device with it fail (File exists).
 */

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "plan_int.h"

bool vxlan_same(const struct st_vxlan *a, const struct st_vxlan *b)
{
	size_t n = a->family == AF_INET6 ? 16 : 4;

	return a->vni == b->vni && a->family == b->family && a->port == b->port &&
	       !memcmp(a->remote, b->remote, n) && !memcmp(a->local, b->local, n);
}

/* VXLAN devices of namespaces that go, and those whose tunnel is not the desired one. */
void plan_vxlan_deletions(struct planner *pl)
{
	const struct state *w = pl->want, *h = pl->have;
	size_t i, j;

	for (i = 0; i < h->n_ns; i++) {
		const struct st_ns *hn = &h->ns[i];

		if (!hn->owned || pl_want_find(pl, hn->name))
			continue;
		for (j = 0; j < hn->n_ifaces; j++)
			if (hn->ifaces[j].kind == ST_VXLAN)
				pl_link_kill(pl, hn->name, hn->node, &hn->ifaces[j], false);
	}
	for (i = 0; i < w->n_ns; i++) {
		const struct st_ns *wn = &w->ns[i];

		for (j = 0; !pl->new_ns[i] && j < wn->n_ifaces; j++) {
			const struct st_iface *d = &wn->ifaces[j], *ifc;

			if (d->kind != ST_VXLAN)
				continue;
			ifc = pl_alive(pl, wn->name, d->name);
			if (ifc && ifc->kind == ST_VXLAN && !vxlan_same(&d->vxlan, &ifc->vxlan))
				pl_link_kill(pl, wn->name, wn->node, ifc, false);
		}
	}
}

/* The missing VXLAN devices; a bridge node's is enslaved after (as a veth end is). */
void plan_vxlan_creations(struct planner *pl)
{
	const struct state *w = pl->want;
	struct action a;
	size_t i, j;

	for (i = 0; i < w->n_ns; i++) {
		const struct st_ns *wn = &w->ns[i];

		for (j = 0; j < wn->n_ifaces; j++) {
			const struct st_iface *d = &wn->ifaces[j];

			if (d->kind != ST_VXLAN || pl_alive(pl, wn->name, d->name) ||
			    pl_set_has(&pl->fresh, wn->name, d->name))
				continue;
			pl_act_init(&a, ACT_VETH_ADD, wn->name, wn->node);
			pl_iface_copy(&a.iface, d);
			a.iface.ifindex = a.ifindex = pl_ifindex_choose(pl, wn->name, 0);
			pl_set_add(&pl->fresh, wn->name, d->name);
			pl_emit(pl, G_VETH_ADD, T_ADD, &a);
			if (!d->master[0])
				continue;
			pl_act_init(&a, ACT_LINK_SET, wn->name, wn->node);
			pl_iface_copy(&a.iface, d);
			a.set = SET_MASTER;
			pl_emit(pl, G_LINK_SET, T_CHANGE, &a);
		}
	}
}

const char *vxlan_fmt(const struct st_vxlan *v, char *buf, size_t len)
{
	char ip[64];

	ip_fmt(v->family, v->remote, ip, sizeof(ip));
	snprintf(buf, len, v->family == AF_INET6 ? "vxlan %u to [%s]:%u" : "vxlan %u to %s:%u",
		 v->vni, ip, v->port);
	return buf;
}
