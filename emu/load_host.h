/* SPDX-License-Identifier: MIT */
/* load_host - the loader's part for placing a lab on several machines: `hosts:` and `host:`. */
#ifndef TOPO_LOAD_HOST_H
#define TOPO_LOAD_HOST_H

#include "topology.h"
#include "yaml_tree.h"

/* The UDP port of a cross-host link when a host gives no `vxlan_port`: IANA's (RFC 7348). */
#define HOST_VXLAN_PORT_DEFAULT 4789

/* load_hosts - `hosts:` mapping Y into T: name -> { address, vxlan_port }. */
void load_hosts(struct ytree *c, const struct ynode *y, struct topology *t);

/* load_node_host - `host:` of a node (or of `defaults:`), scalar Y, into N. */
void load_node_host(struct ytree *c, const struct ynode *y, struct node *n);

/* merge_node_host - N without `host:` takes DEF's (that of `defaults:`). */
void merge_node_host(struct node *n, const struct node *def);

/*
 * load_lan_hosts - the host of each LAN bridge of T (a hidden node, which
 * no `host:` can name): host_lan_pick's, decided once here so that every
 * later host_of is a lookup.
 */
void load_lan_hosts(struct topology *t);

#endif
