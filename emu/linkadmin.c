// SPDX-License-Identifier: MIT
/*
 * link_admin_set: one interface of a lab down or up, through rtnetlink in
 * the node's namespace. Ownership is the interface's own mark (its alias
 * "topo:<lab>"), read in the same dump that finds it: never a name pattern,
 * so an interface someone added to the node by hand is refused.
 */
#include <errno.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linkadmin.h"
#include "observe.h"
#include "observe_parse.h"
#include "state.h"
#include "util.h"

/* The names of NS's interfaces that carry MARK, comma-separated, into BUF. */
static void owned_list(const struct st_ns *ns, const char *mark, char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < ns->n_ifaces && o < len; i++)
		if (!strcmp(ns->ifaces[i].alias, mark))
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "",
					      ns->ifaces[i].name);
}

int link_admin_set(struct nl *nl, const char *lab, const char *ifname, bool up, char *owned,
		   size_t len)
{
	struct state s = { 0 };
	struct st_ns *ns = VEC_PUSH(&s.ns, &s.n_ns);
	struct obs_ns o = { .ns = ns };
	const struct st_iface *ifc;
	char mark[ST_ALIAS_MAX], buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int err;

	snprintf(mark, sizeof(mark), TOPO_MARK_PREFIX "%s", lab);
	if ((err = observe_links(nl, &o)) < 0)
		goto out;
	ifc = st_ns_iface_find(ns, ifname);
	if (!ifc || strcmp(ifc->alias, mark)) {
		owned_list(ns, mark, owned, len);
		err = ifc ? -EPERM : -ENODEV;
		goto out;
	}
	err = 1;
	if (ifc->up == up)
		goto out;
	nlh = nl_msg(nl, buf, RTM_NEWLINK, 0);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifc->ifindex;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	err = nl_request(nl, nlh);
out:
	free(o.links);
	state_free(&s);
	return err;
}
