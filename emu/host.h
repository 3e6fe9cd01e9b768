/* SPDX-License-Identifier: MIT */
#ifndef TOPO_HOST_H
#define TOPO_HOST_H

/*
 * host - a lab spread over several machines (`hosts:`): which host each node
 * runs on, the VNI of each link, and what a VXLAN tunnel costs in MTU. Pure:
 * every host computes the same from the same file, with no coordination.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topology.h"

#define VNI_MAX 16777215u	/* 24 bits; 0 is left out */

/* VXLAN's cost per packet: outer IP header + UDP 8 + VXLAN 8 + inner Ethernet 14. */
#define VXLAN_OVERHEAD_V4 50
#define VXLAN_OVERHEAD_V6 70

/* host_find - the index of host NAME in T->hosts, or -1. */
int host_find(const struct topology *t, const char *name);

/* host_of - the index in T->hosts of the host node N runs on: its `host:`
 * (a LAN bridge's: load_lan_hosts), or the first; -1 when T has no hosts
 * or N names an unknown one. */
int host_of(const struct topology *t, const struct node *n);

/*
 * host_lan_pick - the host of LAN bridge node LAN (n->lan) without `host:`:
 * the one of N_HOSTS most of its members run on, the first of them on a
 * tie, so that the fewest members reach it through a tunnel.
 * MEMBER_HOST(T, NODE, ARG) says where member NODE runs (-1: not on a host,
 * such as node `host`).
 */
int host_lan_pick(const struct topology *t, const struct node *lan, size_t n_hosts,
		  int (*member_host)(const struct topology *t, const char *node, void *arg),
		  void *arg);

/* host_of_name - host_of the node called NODE (-1 also when there is none). */
int host_of_name(const struct topology *t, const char *node);

/* host_port - the UDP port of H's tunnels (HOST_VXLAN_PORT_DEFAULT when not given). */
uint16_t host_port(const struct host_spec *h);

/* host_vxlan_overhead - 50 over an IPv4 underlay, 70 over IPv6. */
unsigned host_vxlan_overhead(int family);

/*
 * host_link_mtu - the largest MTU of a link over a tunnel whose underlay
 * interface has UNDERLAY_MTU, FAMILY its address family; 0 when none fits.
 */
uint32_t host_link_mtu(uint32_t underlay_mtu, int family);

/* host_vni_hash - the VNI that link L of lab LAB hashes to (1..VNI_MAX):
 * from the lab's name and its two "node:iface" ends, sorted. */
uint32_t host_vni_hash(const char *lab, const struct link *l);

/*
 * host_vnis - the VNI of each link of T into VNIS (T->n_links of them).
 * Two links hashing to one VNI: the one whose ends sort first keeps it, the
 * other takes the next free one up (wrapping after VNI_MAX), so that the
 * result depends on the set of links alone, not on their order in the file.
 */
void host_vnis(const struct topology *t, uint32_t *vnis);

/* host_here - does NODE run on T->self (always, when T->self is NULL)? */
bool host_here(const struct topology *t, const char *node);

#endif
