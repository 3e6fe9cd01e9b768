/* SPDX-License-Identifier: MIT */
#ifndef TOPO_WANT_H
#define TOPO_WANT_H

#include "state.h"
#include "topology.h"

/*
 * want_build - the kernel state a checked topology asks for. Pure.
 *
 * Kernel rules shape it: an interface that is administratively down keeps
 * no IPv6 address (keep_addr_on_down is 0) and carries no route, so those
 * are left out and said in OUT->notes.
 */
int want_build(const struct topology *t, struct state *out);

/*
 * want_stable_mac - the MAC for interface IFACE of NODE in LAB into MAC:
 * locally administered unicast, from a hash of the three names. Pure.
 */
void want_stable_mac(const char *lab, const char *node, const char *iface, uint8_t mac[6]);

/*
 * want_sysctl_dropped - KEY, which topo once set in NS, is no longer in the
 * file: ask for VALUE (what a new namespace has), marked dropped. Nothing
 * when NS asks for KEY anyway. 0 or -ENAMETOOLONG. Pure.
 */
int want_sysctl_dropped(struct st_ns *ns, const char *key, const char *value);

/*
 * want_route_fill - route RS of node N as the kernel will hold it, into *R
 * (want_route.c): its table resolved, the kernel's default metric, marked
 * topo's. 0, or -EINVAL for a table N does not name. Pure.
 */
int want_route_fill(const struct node *n, const struct route_spec *rs, struct st_route *r);

/* want_rules - the policy routing rules of node N into NS (want_rule.c). Pure. */
void want_rules(const struct node *n, struct st_ns *ns);

/* want_addr_add - C as a desired address of IFC (marked topo's), once however often given. */
void want_addr_add(struct st_iface *ifc, const struct cidr *c);

/*
 * want_host_narrow - OUT, T's desired state, cut to the part of host
 * T->self (nothing when NULL): the namespaces of its nodes; each link to a
 * node on another host a VXLAN device (want_host.c). 0 or -errno. Pure.
 */
int want_host_narrow(const struct topology *t, struct state *out);

#endif
