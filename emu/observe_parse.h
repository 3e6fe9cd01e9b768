/* SPDX-License-Identifier: MIT */
#ifndef TOPO_OBSERVE_PARSE_H
#define TOPO_OBSERVE_PARSE_H

/*
 * Reading rtnetlink dump messages into a namespace's state: one attribute
 * table per message type, each attribute's type and length validated
 * before it is read, types topo does not use skipped. Internal to
 * observe.c; its own header so that tests can feed it canned messages.
 */

#include <libmnl/libmnl.h>

#include "state.h"

/* What a link dump gives beyond struct st_iface, until names are known. */
struct obs_link {
	int master_ifindex;
	int link_netnsid;	/* -1: the peer is in the same namespace */
};

/* A namespace being read: its state, and the link details parallel to it. */
struct obs_ns {
	struct st_ns *ns;
	struct obs_link *links;	/* parallel to ns->ifaces */
	size_t n_links;
};

/* obs_link_cb - an RTM_NEWLINK message (DATA: struct obs_ns) as one more interface. */
int obs_link_cb(const struct nlmsghdr *nlh, void *data);

/* obs_links_reset - forget the interfaces read so far (an interrupted link dump). */
void obs_links_reset(void *data);

/* obs_addr_cb - an RTM_NEWADDR message as an address of its interface. */
int obs_addr_cb(const struct nlmsghdr *nlh, void *data);

/* obs_addrs_reset - forget the addresses of FAMILY read so far. */
void obs_addrs_reset(void *data, int family);

/*
 * obs_route_cb - an RTM_NEWROUTE message as a route, when it is one the file
 * can describe (observe_route.c): of any table but local, of any type a
 * file can give; in a table other than main only topo's and those made by
 * hand (a daemon's table is its own).
 */
int obs_route_cb(const struct nlmsghdr *nlh, void *data);

/* obs_routes_reset - forget the routes of FAMILY read so far. */
void obs_routes_reset(void *data, int family);

/* obs_rule_parse - an RTM_NEWRULE message of IPv4 or IPv6 as a rule into *OUT; false if not. */
bool obs_rule_parse(const struct nlmsghdr *nlh, struct st_rule *out);

/* obs_rule_cb - an RTM_NEWRULE message as a rule, unless it is the kernel's own (observe_rule.c). */
int obs_rule_cb(const struct nlmsghdr *nlh, void *data);

/* obs_rules_reset - forget the rules read so far (an interrupted rule dump). */
void obs_rules_reset(void *data);

/* obs_lo_alias_cb - the alias of an RTM_NEWLINK message into DATA (ST_ALIAS_MAX bytes). */
int obs_lo_alias_cb(const struct nlmsghdr *nlh, void *data);

/* obs_qdisc_is_default - is KIND (IFLA_QDISC) a root qdisc the kernel chose by itself? */
bool obs_qdisc_is_default(const char *kind);

/* obs_qdisc_cb - an RTM_NEWQDISC message: a root qdisc as its interface's. */
int obs_qdisc_cb(const struct nlmsghdr *nlh, void *data);

/*
 * obs_attr_keep - ATTR into TB[its type] when POLICY (MAX + 1 entries)
 * knows it and it validates; skipped otherwise. For mnl_attr_parse callbacks.
 */
int obs_attr_keep(const struct nlattr *attr, const struct nlattr **tb, int max,
		  const enum mnl_attr_data_type *policy);

/* obs_iface_by_index - the interface of NS numbered IFINDEX, or NULL. */
struct st_iface *obs_iface_by_index(const struct st_ns *ns, int ifindex);

/* obs_vxlan_read - a "vxlan" link: IFC is ST_VXLAN, its tunnel from
 * IFLA_INFO_DATA DATA (NULL: unknown) (observe_vxlan.c). */
void obs_vxlan_read(struct st_iface *ifc, const struct nlattr *data);

#endif
