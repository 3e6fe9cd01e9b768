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
 * want_host_narrow - OUT, T's desired state, cut to the part of host
 * T->self (nothing when NULL): the namespaces of its nodes; each link to a
 * node on another host a VXLAN device (want_host.c). 0 or -errno. Pure.
 */
int want_host_narrow(const struct topology *t, struct state *out);

/* want_tunnel_mtu - the MTU of a link from T->self to host index OTHER
 * without `mtu:`: the underlay's (T->underlay_mtu, else 1500) less VXLAN's cost. */
uint32_t want_tunnel_mtu(const struct topology *t, size_t other);

#endif
