// SPDX-License-Identifier: MIT
/*
 * The desired state of one host's part of a lab (topology->self): its
 * nodes, the veth pairs between two of them, and for each link to a node
 * on another host a VXLAN device in its node. Pure.
 */

#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "qdisc.h"
#include "util.h"
#include "want.h"

/* The default MTU of a link when the underlay's is not known: Ethernet's. */
#define WANT_UNDERLAY_MTU 1500

/* The MTU of a link from T->self to host OTHER without `mtu:`. */
static uint32_t tunnel_mtu(const struct topology *t, size_t other)
{
	uint32_t under = t->underlay_mtu && t->underlay_mtu[other] ? t->underlay_mtu[other]
								      : WANT_UNDERLAY_MTU;
	uint32_t mtu = host_link_mtu(under, t->self->address.family);

	return mtu ? mtu : 68;
}

/* IFC, end E of link L, takes MTU and the burst its rate needs at that MTU. */
static void iface_mtu(const struct link *l, int e, uint32_t mtu, struct st_iface *ifc)
{
	struct impair im;

	ifc->mtu = mtu;
	qdisc_impair_merge(&l->impair, &l->ep[e].impair, &im);
	qdisc_from_impair(&im, mtu, &ifc->qdisc);
}

/* End E of link L (vni VNI), whose other end is on host OTHER: IFC becomes its tunnel. */
static void vxlan_end(const struct topology *t, const struct link *l, int e, uint32_t vni,
		      size_t other, struct st_iface *ifc)
{
	const struct host_spec *self = t->self, *far = &t->hosts[other];

	ifc->kind = ST_VXLAN;
	ifc->peer_ns[0] = ifc->peer_name[0] = '\0';
	ifc->vxlan.vni = vni;
	ifc->vxlan.family = self->address.family;
	memcpy(ifc->vxlan.remote, far->address.addr, sizeof(ifc->vxlan.remote));
	memcpy(ifc->vxlan.local, self->address.addr, sizeof(ifc->vxlan.local));
	ifc->vxlan.port = host_port(self);
	if (!l->ep[e].mtu && !l->mtu)
		iface_mtu(l, e, tunnel_mtu(t, other), ifc);
}

/* The links with one end here become tunnels; HOSTS[i]: the host of node i (NAMES: name -> i). */
static void want_tunnels(const struct topology *t, const struct strmap *names, const int *hosts,
			 struct state *out)
{
	int self = (int)(t->self - t->hosts);
	uint32_t *vnis = xcalloc(t->n_links + 1, sizeof(*vnis));
	char nsname[TOPO_NSNAME_MAX + 1];
	struct st_iface *ifc;
	struct st_ns *ns;
	size_t i, k[2];
	int e;

	host_vnis(t, vnis);
	for (i = 0; i < t->n_links; i++) {
		const struct link *l = &t->links[i];

		if (!strmap_get(names, l->ep[0].node, strlen(l->ep[0].node), &k[0]) ||
		    !strmap_get(names, l->ep[1].node, strlen(l->ep[1].node), &k[1]) ||
		    (hosts[k[0]] == self) == (hosts[k[1]] == self))
			continue;
		e = hosts[k[0]] == self ? 0 : 1;
		topo_nsname(t, l->ep[e].node, nsname, sizeof(nsname));
		if ((ns = state_ns_find(out, nsname)) && (ifc = st_ns_iface_find(ns, l->ep[e].iface)))
			vxlan_end(t, l, e, vnis[i], (size_t)hosts[k[!e]], ifc);
	}
	free(vnis);
}

/* End E of L, in OUT, takes MTU unless the file gives that end one. */
static void end_mtu(const struct topology *t, const struct link *l, int e, uint32_t mtu,
		    struct state *out)
{
	char nsname[TOPO_NSNAME_MAX + 1];
	struct st_iface *ifc;
	struct st_ns *ns;

	topo_nsname(t, l->ep[e].node, nsname, sizeof(nsname));
	if (!l->ep[e].mtu && (ns = state_ns_find(out, nsname)) &&
	    (ifc = st_ns_iface_find(ns, l->ep[e].iface)))
		iface_mtu(l, e, mtu, ifc);
}

/*
 * A LAN without `mtu` whose bridge is here and which has members on other
 * hosts: its local members and their ports take the smallest MTU of its
 * tunnels, so that a full-size frame of a local member is refused at its
 * own interface (and TCP's MSS fits) instead of vanishing at a tunnel port.
 */
static void want_lan_spans(const struct topology *t, const struct strmap *names,
			   const int *hosts, struct state *out)
{
	int self = (int)(t->self - t->hosts);
	size_t i, j, k;
	uint32_t min;

	for (i = 0; i < t->n_lans; i++) {
		const struct lan *lan = &t->lans[i];
		const struct link *m = &t->links[lan->first_link];

		if (lan->mtu || hosts[lan->node] != self)
			continue;
		for (min = 0, j = 0; j < lan->n_members; j++)
			if (strmap_get(names, m[j].ep[0].node, strlen(m[j].ep[0].node), &k) &&
			    hosts[k] != self && (!min || tunnel_mtu(t, (size_t)hosts[k]) < min))
				min = tunnel_mtu(t, (size_t)hosts[k]);
		for (j = 0; min && j < lan->n_members; j++)
			if (strmap_get(names, m[j].ep[0].node, strlen(m[j].ep[0].node), &k) &&
			    hosts[k] == self) {
				end_mtu(t, &m[j], 0, min, out);
				end_mtu(t, &m[j], 1, min, out);
			}
	}
}

/* Is NOTE ("node: ...", want_down_rules) about one of the nodes here? */
static bool note_here(const char *note, const struct strmap *names, const int *hosts, int self)
{
	const char *colon = strchr(note, ':');
	size_t k;

	return !colon || !strmap_get(names, note, (size_t)(colon - note), &k) || hosts[k] == self;
}

/* Keep in OUT only the namespaces and notes of the nodes here. */
static void want_keep_here(const struct topology *t, const struct strmap *names, const int *hosts,
			   struct state *out)
{
	struct state gone = { 0 };
	int self = (int)(t->self - t->hosts);
	size_t i, j, k;

	gone.ns = xcalloc(out->n_ns + 1, sizeof(*gone.ns));
	for (i = j = 0; i < out->n_ns; i++) {
		if (strmap_get(names, out->ns[i].node, strlen(out->ns[i].node), &k) &&
		    hosts[k] != self)
			gone.ns[gone.n_ns++] = out->ns[i];
		else
			out->ns[j++] = out->ns[i];
	}
	out->n_ns = j;
	for (i = j = 0; i < out->n_notes; i++) {
		if (note_here(out->notes[i], names, hosts, self))
			out->notes[j++] = out->notes[i];
		else
			free(out->notes[i]);
	}
	out->n_notes = j;
	state_free(&gone);
}

int want_host_narrow(const struct topology *t, struct state *out)
{
	struct strmap names = { 0 };
	int *hosts;
	size_t i;

	if (!t->self)
		return 0;
	hosts = xcalloc(t->n_nodes + 1, sizeof(*hosts));
	for (i = 0; i < t->n_nodes; i++) {
		strmap_put(&names, t->nodes[i].name, strlen(t->nodes[i].name), i, NULL);
		hosts[i] = host_of(t, &t->nodes[i]);
	}
	want_tunnels(t, &names, hosts, out);
	want_lan_spans(t, &names, hosts, out);
	want_keep_here(t, &names, hosts, out);
	strmap_free(&names);
	free(hosts);
	return 0;
}
