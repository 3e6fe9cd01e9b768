// SPDX-License-Identifier: MIT
/*
 * A VXLAN device: the end of a link to a node on another host. It is made
 * in one RTM_NEWLINK sent from the namespace topo runs in (the host's),
 * with IFLA_NET_NS_FD naming the node's namespace: the device is born in
 * the node, already named as the endpoint says, while the kernel keeps
 * its UDP socket in the namespace the request came from, where the
 * underlay is. No crash leaves it behind in the host's namespace.
 */

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "apply_int.h"

static void put_vxlan(struct nlmsghdr *nlh, const struct st_vxlan *v)
{
	struct nlattr *linkinfo, *data;

	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vxlan");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_VXLAN_ID, v->vni);
	if (v->family == AF_INET6) {
		mnl_attr_put(nlh, IFLA_VXLAN_GROUP6, 16, v->remote);
		mnl_attr_put(nlh, IFLA_VXLAN_LOCAL6, 16, v->local);
	} else {
		mnl_attr_put(nlh, IFLA_VXLAN_GROUP, 4, v->remote);
		mnl_attr_put(nlh, IFLA_VXLAN_LOCAL, 4, v->local);
	}
	mnl_attr_put_u16(nlh, IFLA_VXLAN_PORT, htons(v->port));
	/* one remote per device: nothing to learn, and no flooding of the
	 * forwarding table with the lab's MACs */
	mnl_attr_put_u8(nlh, IFLA_VXLAN_LEARNING, 0);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
}

int ap_vxlan_add(struct apply_run *r, const struct action *a, struct nsconn *nc)
{
	const struct st_iface *ifc = &a->iface;
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct nsconn *host;
	int err;

	/* made from the host's namespace, where its UDP socket stays */
	if (!(host = conns_get(r->ctx->conns, ST_HOST_NS, &err)))
		return err;
	nlh = nl_msg(&host->nl, buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = a->ifindex;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = ifc->up ? IFF_UP : 0;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifc->name);
	if (ifc->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, ifc->mtu);
	if (ifc->has_mac || ifc->has_create_mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, ifc->has_mac ? ifc->mac : ifc->create_mac);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)nc->fd);
	put_vxlan(nlh, &ifc->vxlan);
	err = nl_request(&host->nl, nlh);
	if (err < 0) {
		ap_action_error_nl(r->ctx, a, err, &host->nl);
		goto out;
	}
	ap_ifindex_note(r, a->ns, ifc->name, a->ifindex);
	/* the kernel ignores IFLA_IFALIAS in a create: the mark comes after */
	err = ap_link_mark(&nc->nl, a->ifindex, ifc);
out:
	conns_put(r->ctx->conns, host);
	return err;
}
