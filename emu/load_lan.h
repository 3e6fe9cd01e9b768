/* SPDX-License-Identifier: MIT */
/* load_lan - the loader's part for `lans:`, segments with any number of members. */
#ifndef TOPO_LOAD_LAN_H
#define TOPO_LOAD_LAN_H

#include "topology.h"
#include "yaml_tree.h"

/*
 * load_lans - `lans:` mapping Y into T: each LAN as a hidden bridge node
 * and one link per member (topology.h, struct lan); every error reported.
 * Runs after the nodes and links are loaded.
 */
void load_lans(struct ytree *c, const struct ynode *y, struct topology *t);

#endif
