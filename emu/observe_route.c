// SPDX-License-Identifier: MIT
/*
 * Reading RTM_NEWROUTE dump messages: a route's destination, paths (one,
 * or RTA_MULTIPATH's struct rtnexthop list, each followed by its own
 * attributes), type, table, source, flags and MTU.
 */

#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "observe_parse.h"
#include "util.h"

static const enum mnl_attr_data_type route_policy[RTA_MAX + 1] = {
	[RTA_DST] = MNL_TYPE_BINARY,
	[RTA_GATEWAY] = MNL_TYPE_BINARY,
	[RTA_TABLE] = MNL_TYPE_U32,
	[RTA_PRIORITY] = MNL_TYPE_U32,
	[RTA_OIF] = MNL_TYPE_U32,
	[RTA_PREFSRC] = MNL_TYPE_BINARY,
	[RTA_METRICS] = MNL_TYPE_NESTED,
	[RTA_MULTIPATH] = MNL_TYPE_BINARY,
};

static int route_attr_cb(const struct nlattr *attr, void *data)
{
	return obs_attr_keep(attr, data, RTA_MAX, route_policy);
}

static const enum mnl_attr_data_type metrics_policy[RTAX_MAX + 1] = {
	[RTAX_MTU] = MNL_TYPE_U32,
};

static int metrics_attr_cb(const struct nlattr *attr, void *data)
{
	return obs_attr_keep(attr, data, RTAX_MAX, metrics_policy);
}

/* Does a file ever describe a route of TYPE? (local, broadcast... are the kernel's) */
static bool route_type_known(uint8_t type)
{
	return type == RTN_UNICAST || type == RTN_BLACKHOLE || type == RTN_UNREACHABLE ||
	       type == RTN_PROHIBIT || type == RTN_THROW;
}

/* The name of interface IFINDEX of O into DEV ("" when unknown). */
static void dev_name(const struct obs_ns *o, uint32_t ifindex, char dev[ST_IFNAMSIZ])
{
	const struct st_iface *ifc = obs_iface_by_index(o->ns, (int)ifindex);

	dev[0] = '\0';
	if (ifc)
		snprintf(dev, ST_IFNAMSIZ, "%s", ifc->name);
}

/*
 * RTA_MULTIPATH of R: a run of struct rtnexthop, each rtnh_len long with
 * its attributes (RTA_GATEWAY) after it. A malformed entry ends the run;
 * past ST_NEXTHOPS_MAX the paths are not kept.
 */
static void route_multipath(const struct obs_ns *o, const struct nlattr *mp, struct st_route *r)
{
	const char *p = mnl_attr_get_payload(mp);
	size_t left = mnl_attr_get_payload_len(mp), alen = addr_len(r->family);

	while (left >= sizeof(struct rtnexthop) && r->n_nh < ST_NEXTHOPS_MAX) {
		const struct rtnexthop *rtnh = (const void *)p;
		struct st_nexthop *nh = &r->nh[r->n_nh];
		const struct nlattr *a;
		size_t off;

		if (rtnh->rtnh_len < sizeof(*rtnh) || rtnh->rtnh_len > left)
			break;
		memset(nh, 0, sizeof(*nh));
		nh->weight = (uint16_t)(rtnh->rtnh_hops + 1);
		nh->onlink = rtnh->rtnh_flags & RTNH_F_ONLINK;
		dev_name(o, (uint32_t)rtnh->rtnh_ifindex, nh->dev);
		for (off = MNL_ALIGN(sizeof(*rtnh)); off + sizeof(*a) <= rtnh->rtnh_len;
		     off += MNL_ALIGN(a->nla_len)) {
			a = (const void *)(p + off);
			if (a->nla_len < sizeof(*a) || off + a->nla_len > rtnh->rtnh_len)
				break;
			if (mnl_attr_get_type(a) == RTA_GATEWAY && mnl_attr_get_payload_len(a) == alen) {
				nh->has_gw = true;
				memcpy(nh->gw, mnl_attr_get_payload(a), alen);
			}
		}
		r->n_nh++;
		off = MNL_ALIGN(rtnh->rtnh_len);
		if (off >= left)
			break;
		p += off;
		left -= off;
	}
	/* one path is a plain route, as the file writes it */
	if (r->n_nh == 1) {
		r->has_gw = r->nh[0].has_gw;
		memcpy(r->gw, r->nh[0].gw, sizeof(r->gw));
		memcpy(r->dev, r->nh[0].dev, sizeof(r->dev));
		r->onlink = r->nh[0].onlink;
		r->n_nh = 0;
	}
}

/* The attributes in TB of route R (family, destination, type set). */
static void route_attrs(const struct obs_ns *o, const struct nlattr *const *tb, struct st_route *r)
{
	size_t alen = addr_len(r->family);

	if (tb[RTA_DST] && mnl_attr_get_payload_len(tb[RTA_DST]) == alen)
		memcpy(r->dst, mnl_attr_get_payload(tb[RTA_DST]), alen);
	if (tb[RTA_PRIORITY])
		r->metric = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	if (tb[RTA_PREFSRC] && mnl_attr_get_payload_len(tb[RTA_PREFSRC]) == alen) {
		r->has_src = true;
		memcpy(r->src, mnl_attr_get_payload(tb[RTA_PREFSRC]), alen);
	}
	if (tb[RTA_METRICS]) {
		const struct nlattr *mx[RTAX_MAX + 1] = { 0 };

		if (mnl_attr_parse_nested(tb[RTA_METRICS], metrics_attr_cb, mx) >= 0 && mx[RTAX_MTU])
			r->mtu = mnl_attr_get_u32(mx[RTAX_MTU]);
	}
	/* a route that goes nowhere has no path (IPv6 says dev lo) */
	if (r->type != RTN_UNICAST)
		return;
	if (tb[RTA_GATEWAY] && mnl_attr_get_payload_len(tb[RTA_GATEWAY]) == alen) {
		r->has_gw = true;
		memcpy(r->gw, mnl_attr_get_payload(tb[RTA_GATEWAY]), alen);
	}
	if (tb[RTA_OIF])
		dev_name(o, mnl_attr_get_u32(tb[RTA_OIF]), r->dev);
	if (tb[RTA_MULTIPATH])
		route_multipath(o, tb[RTA_MULTIPATH], r);
}

int obs_route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct obs_ns *o = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	struct st_route r = { 0 };

	if (nlh->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return MNL_CB_OK;
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return MNL_CB_OK;
	/* What the kernel makes for addresses (proto kernel), local and
	 * broadcast routes, and IPv6 cache clones are not the file's business. */
	if (rtm->rtm_protocol == RTPROT_KERNEL || !route_type_known(rtm->rtm_type) ||
	    (rtm->rtm_flags & RTM_F_CLONED))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*rtm), route_attr_cb, tb) < 0)
		return MNL_CB_OK;
	r.table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	r.family = rtm->rtm_family;
	r.dst_len = rtm->rtm_dst_len;
	r.proto = rtm->rtm_protocol;
	r.type = rtm->rtm_type;
	r.onlink = rtm->rtm_flags & RTNH_F_ONLINK;
	/* the local table is the kernel's; another table than main may be a
	 * daemon's own (a VRF's, a policy's): there only topo's routes and
	 * those a person adds are shown */
	if (r.table == RT_TABLE_LOCAL || (r.table != RT_TABLE_MAIN && st_route_learned(&r)))
		return MNL_CB_OK;
	route_attrs(o, tb, &r);
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
