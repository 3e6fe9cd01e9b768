/* SPDX-License-Identifier: MIT */
#ifndef TOPO_HOST_KERNEL_H
#define TOPO_HOST_KERNEL_H

/* host_kernel - the underlay as the kernel of the namespace topo runs in sees it. */

#include <stdbool.h>
#include <stdint.h>

#include "topology.h"

#define HOST_IFNAMSIZ 16

/* host_mine - MINE[i] (T->n_hosts of them): is host i's address one of this
 * namespace's own? 0 or -errno. */
int host_mine(const struct topology *t, bool *mine);

/* host_route_mtu - the interface the kernel's route to ADDR (FAMILY) leaves
 * through, into IFNAME, and its MTU. 0, -ENETUNREACH (no route) or -errno. */
int host_route_mtu(int family, const uint8_t addr[16], char ifname[HOST_IFNAMSIZ], uint32_t *mtu);

#endif
