/* SPDX-License-Identifier: MIT */
#ifndef TOPO_NODEENV_H
#define TOPO_NODEENV_H

/*
 * A node's environment: what everything topo runs in a node sees.
 * (This branch carries a placeholder, emu/nodeenv_stub.c.)
 */

#include <stdint.h>

#include "topology.h"

/* nodeenv_enter - in a forked child, before exec: join the node's network
 * namespace NETNS_FD and its UTS namespace (made on first use, hostname = the
 * node's name), then a private mount namespace (`/` made slave) with its own
 * /sys, the node's files and dirs and the lab's hosts file bound over the
 * host's, and TOPO_LAB / TOPO_NODE in the environment. Reads only
 * /run/topo/LAB/NODE/ (so it needs no lab file). 0 or -errno. */
int nodeenv_enter(const char *lab, const char *node, int netns_fd);

/* nodeenv_files_hash - a hash of NODE's files (paths, contents) and dirs as the
 * file declares them: a process whose node's files changed is restarted. */
uint64_t nodeenv_files_hash(const struct topology *t, const struct node *n);

#endif
