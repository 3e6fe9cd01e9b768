// SPDX-License-Identifier: MIT
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "observe_parse.h"
#include "qdisc.h"
#include "util.h"

/*
 * The attribute types each message kind is read for, and what each must
 * be (mnl_attr_validate checks the length against it). An attribute of
 * another type is skipped: newer kernels add attributes. A malformed one
 * is skipped too, so nothing is ever read past an attribute's end.
 */
static int attr_keep(const struct nlattr *attr, const struct nlattr **tb, int max,
		     const enum mnl_attr_data_type *policy)
{
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, (uint16_t)max) < 0 || policy[type] == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, policy[type]) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

static const enum mnl_attr_data_type link_policy[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = MNL_TYPE_NUL_STRING,
	[IFLA_IFALIAS] = MNL_TYPE_NUL_STRING,
	[IFLA_MTU] = MNL_TYPE_U32,
	[IFLA_MASTER] = MNL_TYPE_U32,
	[IFLA_LINK] = MNL_TYPE_U32,
	[IFLA_LINK_NETNSID] = MNL_TYPE_U32,
	[IFLA_ADDRESS] = MNL_TYPE_BINARY,
	[IFLA_LINKINFO] = MNL_TYPE_NESTED,
	[IFLA_OPERSTATE] = MNL_TYPE_U8,
	[IFLA_CARRIER] = MNL_TYPE_U8,
	[IFLA_QDISC] = MNL_TYPE_NUL_STRING,
};

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	return attr_keep(attr, data, IFLA_MAX, link_policy);
}

static const enum mnl_attr_data_type linkinfo_policy[IFLA_INFO_MAX + 1] = {
	[IFLA_INFO_KIND] = MNL_TYPE_NUL_STRING,
	[IFLA_INFO_DATA] = MNL_TYPE_NESTED,
};

static int linkinfo_attr_cb(const struct nlattr *attr, void *data)
{
	return attr_keep(attr, data, IFLA_INFO_MAX, linkinfo_policy);
}

static const enum mnl_attr_data_type addr_policy[IFA_MAX + 1] = {
	[IFA_LOCAL] = MNL_TYPE_BINARY,
	[IFA_ADDRESS] = MNL_TYPE_BINARY,
	[IFA_PROTO] = MNL_TYPE_U8,
};

static int addr_attr_cb(const struct nlattr *attr, void *data)
{
	return attr_keep(attr, data, IFA_MAX, addr_policy);
}

static const enum mnl_attr_data_type route_policy[RTA_MAX + 1] = {
	[RTA_DST] = MNL_TYPE_BINARY,
	[RTA_GATEWAY] = MNL_TYPE_BINARY,
	[RTA_TABLE] = MNL_TYPE_U32,
	[RTA_PRIORITY] = MNL_TYPE_U32,
	[RTA_OIF] = MNL_TYPE_U32,
};

static int route_attr_cb(const struct nlattr *attr, void *data)
{
	return attr_keep(attr, data, RTA_MAX, route_policy);
}

/* A validated NUL_STRING attribute into DST, cut to LEN. */
static void attr_strcpy(char *dst, size_t len, const struct nlattr *attr)
{
	snprintf(dst, len, "%s", mnl_attr_get_str(attr));
}

struct st_iface *obs_iface_by_index(const struct st_ns *ns, int ifindex)
{
	size_t i;

	for (i = 0; i < ns->n_ifaces; i++)
		if (ns->ifaces[i].ifindex == ifindex)
			return &ns->ifaces[i];
	return NULL;
}

static void link_kind_read(struct st_iface *ifc, const struct ifinfomsg *ifi,
			   const struct nlattr *linkinfo)
{
	const struct nlattr *info[IFLA_INFO_MAX + 1] = { 0 };

	if (ifi->ifi_type == ARPHRD_LOOPBACK) {
		ifc->kind = ST_LO;
		return;
	}
	ifc->kind = ST_OTHER;
	if (linkinfo)
		mnl_attr_parse_nested(linkinfo, linkinfo_attr_cb, info);
	if (info[IFLA_INFO_KIND])
		attr_strcpy(ifc->kind_name, sizeof(ifc->kind_name), info[IFLA_INFO_KIND]);
	if (!strcmp(ifc->kind_name, "veth"))
		ifc->kind = ST_VETH;
	else if (!strcmp(ifc->kind_name, "bridge"))
		ifc->kind = ST_BRIDGE;
	else if (!strcmp(ifc->kind_name, "vxlan"))
		obs_vxlan_read(ifc, info[IFLA_INFO_DATA]);
}

int obs_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct obs_ns *o = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	struct st_iface *ifc;
	struct obs_link *ol;

	if (nlh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, tb) < 0 || !tb[IFLA_IFNAME])
		return MNL_CB_OK;
	ifc = VEC_PUSH(&o->ns->ifaces, &o->ns->n_ifaces);
	ol = VEC_PUSH(&o->links, &o->n_links);
	attr_strcpy(ifc->name, sizeof(ifc->name), tb[IFLA_IFNAME]);
	ifc->ifindex = ifi->ifi_index;
	ifc->up = ifi->ifi_flags & IFF_UP;
	ol->link_netnsid = -1;
	if (tb[IFLA_MTU])
		ifc->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6 &&
	    ifi->ifi_type == ARPHRD_ETHER) {
		ifc->has_mac = true;
		memcpy(ifc->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
	}
	if (tb[IFLA_OPERSTATE])
		ifc->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
	/* without IFLA_CARRIER (before Linux 3.19) the flag says the same */
	ifc->carrier = tb[IFLA_CARRIER] ? mnl_attr_get_u8(tb[IFLA_CARRIER])
					: !!(ifi->ifi_flags & IFF_LOWER_UP);
	if (tb[IFLA_IFALIAS])
		attr_strcpy(ifc->alias, sizeof(ifc->alias), tb[IFLA_IFALIAS]);
	if (tb[IFLA_MASTER])
		ol->master_ifindex = (int)mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_LINK])
		ifc->peer_ifindex = (int)mnl_attr_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_LINK_NETNSID])
		ol->link_netnsid = (int32_t)mnl_attr_get_u32(tb[IFLA_LINK_NETNSID]);
	link_kind_read(ifc, ifi, tb[IFLA_LINKINFO]);
	/* The root qdisc's kind comes free with the link: a qdisc dump is
	 * needed only where it is not a default one (obs_qdisc_cb). */
	if (tb[IFLA_QDISC])
		attr_strcpy(ifc->qdisc.kind_name, sizeof(ifc->qdisc.kind_name), tb[IFLA_QDISC]);
	ifc->qdisc.kind = obs_qdisc_is_default(ifc->qdisc.kind_name) ? QD_DEFAULT : QD_OTHER;
	return MNL_CB_OK;
}

bool obs_qdisc_is_default(const char *kind)
{
	/* noop: a device never up yet */
	return !kind[0] || !strcmp(kind, "noqueue") || !strcmp(kind, "noop");
}

int obs_qdisc_cb(const struct nlmsghdr *nlh, void *data)
{
	struct obs_ns *o = data;
	struct st_iface *ifc;
	struct st_qdisc q;
	int ifindex;

	if (nlh->nlmsg_type != RTM_NEWQDISC || qdisc_parse(nlh, &q, &ifindex) <= 0)
		return MNL_CB_OK;
	if ((ifc = obs_iface_by_index(o->ns, ifindex)))
		ifc->qdisc = q;
	return MNL_CB_OK;
}

void obs_links_reset(void *data)
{
	struct obs_ns *o = data;
	size_t i;

	for (i = 0; i < o->ns->n_ifaces; i++)
		free(o->ns->ifaces[i].addrs);
	free(o->ns->ifaces);
	o->ns->ifaces = NULL;
	o->ns->n_ifaces = 0;
	free(o->links);
	o->links = NULL;
	o->n_links = 0;
}

int obs_lo_alias_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	char *alias = data;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr_cb, tb) >= 0 &&
	    tb[IFLA_IFALIAS])
		attr_strcpy(alias, ST_ALIAS_MAX, tb[IFLA_IFALIAS]);
	return MNL_CB_OK;
}

int obs_addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct obs_ns *o = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	const struct nlattr *a;
	struct st_iface *ifc;
	struct st_addr addr = { 0 };

	if (nlh->nlmsg_type != RTM_NEWADDR || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		return MNL_CB_OK;
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, tb) < 0)
		return MNL_CB_OK;
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || mnl_attr_get_payload_len(a) != addr_len(ifa->ifa_family))
		return MNL_CB_OK;
	ifc = obs_iface_by_index(o->ns, (int)ifa->ifa_index);
	if (!ifc)
		return MNL_CB_OK;
	addr.family = ifa->ifa_family;
	addr.plen = ifa->ifa_prefixlen;
	memcpy(addr.addr, mnl_attr_get_payload(a), addr_len(addr.family));
	if (tb[IFA_PROTO])
		addr.proto = mnl_attr_get_u8(tb[IFA_PROTO]);
	if (st_addr_is_kernels(&addr, ifc))
		return MNL_CB_OK;
	*VEC_PUSH(&ifc->addrs, &ifc->n_addrs) = addr;
	return MNL_CB_OK;
}

void obs_addrs_reset(void *data, int family)
{
	struct obs_ns *o = data;
	size_t i, j, k;

	for (i = 0; i < o->ns->n_ifaces; i++) {
		struct st_iface *ifc = &o->ns->ifaces[i];

		for (j = k = 0; j < ifc->n_addrs; j++)
			if (ifc->addrs[j].family != family)
				ifc->addrs[k++] = ifc->addrs[j];
		ifc->n_addrs = k;
	}
}

int obs_route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct obs_ns *o = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	struct st_route r = { 0 };
	uint32_t table;
	size_t alen;

	if (nlh->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return MNL_CB_OK;
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return MNL_CB_OK;
	/* What the kernel makes for addresses (proto kernel), local and
	 * broadcast routes, and IPv6 cache clones are not the file's business. */
	if (rtm->rtm_protocol == RTPROT_KERNEL || rtm->rtm_type != RTN_UNICAST ||
	    (rtm->rtm_flags & RTM_F_CLONED))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*rtm), route_attr_cb, tb) < 0)
		return MNL_CB_OK;
	table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (table != RT_TABLE_MAIN)
		return MNL_CB_OK;
	alen = addr_len(rtm->rtm_family);
	r.family = rtm->rtm_family;
	r.dst_len = rtm->rtm_dst_len;
	r.proto = rtm->rtm_protocol;
	if (tb[RTA_DST] && mnl_attr_get_payload_len(tb[RTA_DST]) == alen)
		memcpy(r.dst, mnl_attr_get_payload(tb[RTA_DST]), alen);
	if (tb[RTA_GATEWAY] && mnl_attr_get_payload_len(tb[RTA_GATEWAY]) == alen) {
		r.has_gw = true;
		memcpy(r.gw, mnl_attr_get_payload(tb[RTA_GATEWAY]), alen);
	}
	if (tb[RTA_PRIORITY])
		r.metric = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	if (tb[RTA_OIF]) {
		const struct st_iface *ifc =
			obs_iface_by_index(o->ns, (int)mnl_attr_get_u32(tb[RTA_OIF]));

		if (ifc)
			snprintf(r.dev, sizeof(r.dev), "%s", ifc->name);
	}
	*VEC_PUSH(&o->ns->routes, &o->ns->n_routes) = r;
	return MNL_CB_OK;
}

void obs_routes_reset(void *data, int family)
{
	struct obs_ns *o = data;
	size_t i, k;

	for (i = k = 0; i < o->ns->n_routes; i++)
		if (o->ns->routes[i].family != family)
			o->ns->routes[k++] = o->ns->routes[i];
	o->ns->n_routes = k;
}
