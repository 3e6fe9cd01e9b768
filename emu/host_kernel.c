// SPDX-License-Identifier: MIT
/*
 * What the kernel of this host says about its underlay: which of a lab's
 * host addresses are its own, and which interface (and so which MTU)
 * reaches another host. Asked in the namespace topo runs in.
 */

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "host.h"
#include "host_kernel.h"
#include "nl.h"
#include "util.h"

struct mine_ctx {
	const struct topology *t;
	bool *mine;
};

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct mine_ctx *m = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t i, n;

	if (nlh->nlmsg_type != RTM_NEWADDR || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		return MNL_CB_OK;
	n = ifa->ifa_family == AF_INET6 ? 16 : 4;
	mnl_attr_for_each(attr, nlh, sizeof(*ifa)) {
		int type = mnl_attr_get_type(attr);

		/* IFA_LOCAL is the address itself; IFA_ADDRESS the peer's on a point-to-point link */
		if ((type != IFA_LOCAL && (type != IFA_ADDRESS || ifa->ifa_family != AF_INET6)) ||
		    mnl_attr_get_payload_len(attr) != n)
			continue;
		for (i = 0; i < m->t->n_hosts; i++) {
			const struct cidr *a = &m->t->hosts[i].address;

			if (a->family == ifa->ifa_family && !memcmp(a->addr, mnl_attr_get_payload(attr), n))
				m->mine[i] = true;
		}
	}
	return MNL_CB_OK;
}

int host_mine(const struct topology *t, bool *mine)
{
	struct mine_ctx m = { .t = t, .mine = mine };
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	struct nl nl = { 0 };
	int err;

	memset(mine, 0, t->n_hosts * sizeof(*mine));
	if ((err = nl_open(&nl)) < 0)
		return err;
	nlh = nl_msg(&nl, buf, RTM_GETADDR, NLM_F_DUMP);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	err = nl_dump(&nl, nlh, addr_cb, NULL, &m);
	nl_close(&nl);
	return err;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(struct rtmsg))
		if (mnl_attr_get_type(attr) == RTA_OIF && mnl_attr_get_payload_len(attr) == 4)
			*(int *)data = (int)mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

struct link_ctx {
	char *ifname;
	uint32_t *mtu;
};

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_ctx *l = data;
	const struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(attr) == IFLA_MTU && mnl_attr_get_payload_len(attr) == 4)
			*l->mtu = mnl_attr_get_u32(attr);
		if (mnl_attr_get_type(attr) == IFLA_IFNAME && !mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
			snprintf(l->ifname, HOST_IFNAMSIZ, "%s", mnl_attr_get_str(attr));
	}
	return MNL_CB_OK;
}

int host_route_mtu(int family, const uint8_t addr[16], char ifname[HOST_IFNAMSIZ], uint32_t *mtu)
{
	struct link_ctx l = { .ifname = ifname, .mtu = mtu };
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct ifinfomsg *ifi;
	struct nl nl = { 0 };
	int err, oif = 0;

	ifname[0] = '\0';
	*mtu = 0;
	if ((err = nl_open(&nl)) < 0)
		return err;
	nlh = nl_msg(&nl, buf, RTM_GETROUTE, 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = family == AF_INET6 ? 128 : 32;
	mnl_attr_put(nlh, RTA_DST, family == AF_INET6 ? 16 : 4, addr);
	if ((err = nl_query(&nl, nlh, route_cb, &oif)) < 0)
		goto out;
	err = -ENETUNREACH;
	if (oif <= 0)
		goto out;
	nlh = nl_msg(&nl, buf, RTM_GETLINK, 0);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = oif;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	err = nl_query(&nl, nlh, link_cb, &l);
out:
	nl_close(&nl);
	return err;
}
