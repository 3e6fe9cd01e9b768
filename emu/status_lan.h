/* SPDX-License-Identifier: MIT */
/*
 * status_lan - `topo status` of a lab's LANs: each as one object, its
 * bridge's namespace and its members (the nodes' ends of the ports), read
 * from the kernel's state alone, so that `status LAB` shows them too.
 */
#ifndef TOPO_STATUS_LAN_H
#define TOPO_STATUS_LAN_H

#include <stdbool.h>
#include <stddef.h>

#include "state.h"

/* status_ns_is_lan - is NS the bridge of a LAN (not a node to list)? */
bool status_ns_is_lan(const struct st_ns *ns);

/* status_n_nodes - the namespaces of HAVE that are nodes, LANs left out. */
size_t status_n_nodes(const struct state *have);

/* status_peer_lan - the LAN whose bridge IFC's veth peer is on (its name into BUF), or NULL. */
const char *status_peer_lan(const struct state *have, const struct st_iface *ifc, char *buf,
			    size_t len);

/* status_lans_text - "lan NAME (netns ...)" and a line per member, for each LAN of HAVE. */
void status_lans_text(const struct state *have);

/* status_lans_json - "\"lans\":[...]": each LAN of HAVE with its bridge and members. */
void status_lans_json(const struct state *have);

#endif
