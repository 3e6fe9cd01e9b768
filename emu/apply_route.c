// SPDX-License-Identifier: MIT
/* apply_plan's routes, and the wait for IPv6 addresses to be in use. */

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "apply_int.h"

/* RTA_MULTIPATH: a struct rtnexthop per path, each followed by its gateway. */
static int route_put_multipath(struct apply_run *r, const struct action *a, struct nlmsghdr *nlh)
{
	const struct st_route *rt = &a->route;
	struct nlattr *nest = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	size_t i;

	for (i = 0; i < rt->n_nh; i++) {
		const struct st_nexthop *nh = &rt->nh[i];
		struct rtnexthop *rtnh = mnl_nlmsg_get_payload_tail(nlh);
		int ifindex = 0;

		if (nh->dev[0] && (ifindex = ap_ifindex_of(r, a->ns, nh->dev)) <= 0)
			return -ENODEV;
		nlh->nlmsg_len += MNL_ALIGN(sizeof(*rtnh));
		memset(rtnh, 0, sizeof(*rtnh));
		rtnh->rtnh_flags = nh->onlink ? RTNH_F_ONLINK : 0;
		/* the kernel counts a path's weight from 0: rtnh_hops is weight - 1 */
		rtnh->rtnh_hops = (uint8_t)(nh->weight ? nh->weight - 1 : 0);
		rtnh->rtnh_ifindex = ifindex;
		if (nh->has_gw)
			mnl_attr_put(nlh, RTA_GATEWAY, addr_len(rt->family), nh->gw);
		rtnh->rtnh_len = (unsigned short)((char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)rtnh);
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

/* What only an added route says: source, flags, MTU and its paths. */
static int route_put_add(struct apply_run *r, const struct action *a, struct nlmsghdr *nlh,
			 struct rtmsg *rtm)
{
	const struct st_route *rt = &a->route;
	size_t alen = addr_len(rt->family);

	rtm->rtm_protocol = TOPO_RTPROT;
	rtm->rtm_type = st_route_type(rt);
	/* as `ip route`: a unicast IPv4 route with no gateway is on the link */
	rtm->rtm_scope = rt->family == AF_INET && rtm->rtm_type == RTN_UNICAST && !rt->has_gw &&
			 !rt->n_nh ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	if (rt->onlink)
		rtm->rtm_flags |= RTNH_F_ONLINK;
	if (rt->has_src)
		mnl_attr_put(nlh, RTA_PREFSRC, alen, rt->src);
	if (rt->mtu) {
		struct nlattr *m = mnl_attr_nest_start(nlh, RTA_METRICS);

		mnl_attr_put_u32(nlh, RTAX_MTU, rt->mtu);
		mnl_attr_nest_end(nlh, m);
	}
	return rt->n_nh ? route_put_multipath(r, a, nlh) : 0;
}

int ap_route_change(struct apply_run *r, const struct action *a, struct nsconn *nc, bool add)
{
	const struct st_route *rt = &a->route;
	uint32_t table = st_route_table(rt);
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	size_t alen = addr_len(rt->family);
	int err;

	nlh = nl_msg(&nc->nl, buf, add ? RTM_NEWROUTE : RTM_DELROUTE,
		     add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)rt->family;
	rtm->rtm_dst_len = rt->dst_len;
	/* a table past 255 fits only RTA_TABLE */
	rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	/* any type and scope to delete, as `ip route del`: without its
	 * paths, IPv6 deletes every path of a multipath route */
	rtm->rtm_scope = RT_SCOPE_NOWHERE;
	if (add && (err = route_put_add(r, a, nlh, rtm)) < 0)
		return err;
	if (rt->dst_len)
		mnl_attr_put(nlh, RTA_DST, alen, rt->dst);
	if (rt->has_gw)
		mnl_attr_put(nlh, RTA_GATEWAY, alen, rt->gw);
	if (rt->dev[0]) {
		int ifindex = ap_ifindex_of(r, a->ns, rt->dev);

		if (ifindex <= 0)
			return -ENODEV;
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	}
	mnl_attr_put_u32(nlh, RTA_PRIORITY, rt->metric);
	return nl_request(&nc->nl, nlh);
}

static int route_type_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == RTM_NEWROUTE)
		*(int *)data = rtm->rtm_type;
	return MNL_CB_OK;
}

static int settle_ipv6_one(struct apply_run *r, const struct action *a, uint64_t deadline)
{
	char buf[NL_BUFSZ], what[256];
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct nsconn *nc;
	int err;

	if (!(nc = conns_get(r->ctx->conns, a->ns, &err))) {
		ap_action_error(r->ctx, a, err);
		return err;
	}
	for (;;) {
		int type = -1;

		nlh = nl_msg(&nc->nl, buf, RTM_GETROUTE, 0);
		rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
		rtm->rtm_family = AF_INET6;
		rtm->rtm_dst_len = 128;
		rtm->rtm_flags = RTM_F_FIB_MATCH;
		mnl_attr_put(nlh, RTA_DST, 16, a->addr.addr);
		/* No route at all for the address yet (a /128 before its
		 * local route) is "not yet"; any other failure is the
		 * answer, not a reason to wait out the deadline. */
		err = nl_query(&nc->nl, nlh, route_type_cb, &type);
		if (err < 0 && err != -ENETUNREACH) {
			ap_action_error(r->ctx, a, err);
			break;
		}
		err = 0;
		if (type == RTN_LOCAL)
			break;
		action_describe(a, what, sizeof(what));
		if ((err = ap_wait_tick(r, deadline, "take the address into use", a->ns, what, "2 s")) < 0)
			break;
		usleep(500);
	}
	conns_put(r->ctx->conns, nc);
	return err;
}

/*
 * An IPv6 address is taken into use by a kernel work item after the
 * request that adds it returns: only then does the node join its
 * solicited-node group (so a neighbour's first solicitation would be lost,
 * and the next comes a second later) and get its local route. Wait for
 * that local route, so that a lab is usable the moment up returns.
 */
int ap_settle_ipv6(struct apply_run *r, const struct plan *p, size_t n_done)
{
	uint64_t deadline = now_us() + 2000000;
	size_t i;
	int err;

	for (i = 0; i < n_done; i++) {
		const struct action *a = &p->acts[i];

		if (a->type != ACT_ADDR_ADD || a->addr.family != AF_INET6)
			continue;
		if ((err = settle_ipv6_one(r, a, deadline)) < 0)
			return err;
	}
	return 0;
}
