/* SPDX-License-Identifier: MIT */
/* load_rule - the loader's part for a node's policy routing rules: `rules:`. */
#ifndef TOPO_LOAD_RULE_H
#define TOPO_LOAD_RULE_H

#include "topology.h"
#include "yaml_tree.h"

/*
 * load_rule - rule Y into *R: "from 10.0.1.0/24 table 100 priority 1000"
 * (the `ip rule` words) or { from, to, iif, oif, fwmark, table, priority,
 * type, family }; false after reporting. What R holds is R's to free even then.
 */
bool load_rule(struct ytree *c, const struct ynode *y, struct rule_spec *r);

/* load_rules - `rules:` list Y into N. */
void load_rules(struct ytree *c, const struct ynode *y, struct node *n);

/* load_rules_merge - DEF's rules first, then N's own. */
void load_rules_merge(struct node *n, const struct node *def);

#endif
